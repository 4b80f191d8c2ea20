"""Every kind of PDF the tool writes is tagged (PDF/UA-1), judged by ../shared/tools/a11ycheck.

One a11ycheck call per group of files (about a second a file). Skipped locally when
its packages (page-validation, pikepdf) or tools (pdfinfo, mutool) are missing; in CI
(HYPOTHESIS_PROFILE=ci) a missing tool fails instead.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from reportlab.pdfgen.canvas import Canvas

from worksheets import batch
from worksheets.cli import main
from worksheets.pipeline import build

from .pdfutil import LESSON, ROOT, a11y_failures, a11ycheck
from .test_properties import Generated, lessons, write_lesson


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """`worksheets build --variant all --layout all --edition both`: worksheets, keys, masters."""
    out = tmp_path_factory.mktemp("all")
    build([LESSON], out, variants=["all"], layouts=["all"], editions="both", preflight=False)
    return sorted(out.glob("*.pdf"))


def test_every_worksheet_key_and_master_passes_a11ycheck(everything: list[Path]) -> None:
    assert len(everything) == 3 * 3 * 2 + 3  # variants x layouts x editions, and the masters
    reports = a11ycheck(everything)
    assert a11y_failures(reports) == {}
    for r in reports:
        assert r["facts"]["ua1"] == "104 passed, 0 failed"
        assert r["facts"]["untagged_ops"] == 0
        assert r["facts"]["lang"] == "en-US"
        roles = r["facts"]["roles"]
        assert roles.get("/H1") == 1 and roles["/P"] >= 1 and roles["/TH"] > 1, r["file"]


def test_large_print_sizes(everything: list[Path]) -> None:
    large = [p for p in everything if "large-print" in p.name]
    assert len(large) == 7
    assert a11y_failures(a11ycheck(large, "--min-pt", "14", "--share-pt", "18:0.98")) == {}


def test_spanish_passages_are_marked_es(everything: list[Path]) -> None:
    spanish = [p for p in everything if "-spanish-" in p.name]
    assert spanish
    assert a11y_failures(a11ycheck(spanish, "--lang-in", "es")) == {}


# What a sighted student reads on the standard student worksheet, in its order: the
# screen reader must meet it in the same order (phrases within one printed line).
READING_ORDER = [
    "Name:", "Class:", "Date:", "The Cuban Missile Crisis: A Public Deal and a Secret Deal",
    "Central question:", "Background", "On October 14, 1962",
    "Document A: Letter From Chairman Khrushchev", "Moscow, October 27, 1962.",
    "Before you read", "1. Who wrote Document A",
    "DEAR MR. PRESIDENT,", "N. Khrushchev", "Source: Letter from Soviet Chairman",
    "Vocabulary", "allies", "countries that have agreed", "After you read", "2. Khrushchev",
    "3. Why does Khrushchev", "A. To warn", "D. To admit", "Answer:",
    "Document B: Letter from President Kennedy", "Dear Mr. Chairman:", "John F. Kennedy",
    "Document C: Russian Ambassador Cable", "Late tonight Robert Kennedy",
    "Circle one:", "Evidence:", "13. Document B is a public letter",
    "Graphic organizer: The Public Deal and the Secret Deal", "Use Documents A, B and C",
    "Question", "The public deal", "The secret deal", "What does the Soviet Union give",
    "Your claim", "Why did the Soviet Union agree",
]


def test_the_structure_reads_in_the_order_the_page_does(everything: list[Path]) -> None:
    (student,) = [p for p in everything if p.name.endswith("standard-letter-student.pdf")]
    assert a11y_failures(a11ycheck([student], "--order", *READING_ORDER)) == {}


def test_the_key_reads_answers_citations_and_look_fors(everything: list[Path]) -> None:
    (key,) = [p for p in everything if p.name.endswith("standard-letter-key.pdf")]
    order = ["1. Who wrote Document A", "Look for:", "3. Why does Khrushchev", "Answer:",
             "B. To argue", "Evidence: Doc A, line"]
    assert a11y_failures(a11ycheck([key], "--order", *order)) == {}


def test_packets_are_tagged(tmp_path: Path) -> None:
    spec = ROOT / "examples" / "district" / "district-simple.yaml"
    batch.run(spec, tmp_path / "packets")
    packets = sorted((tmp_path / "packets").glob("*.pdf"))
    assert packets
    reports = a11ycheck(packets, "--order", "Class packet", "Students in roster order",
                        "The Cuban Missile Crisis", "Document A")
    assert a11y_failures(reports) == {}
    for r in reports:
        assert r["facts"]["roles"]["/Part"] > 3  # the cover, each student, the keys


@settings(derandomize=True, deadline=None, max_examples=3,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(lessons())
def test_a_lesson_a_writer_adds_is_tagged(g: Generated) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_lesson(Path(tmp), g.files)
        out = Path(tmp) / "out"
        build([folder], out, layouts=["letter", "large-print"], editions="both",
              preflight=False)
        pdfs = sorted(out.glob("*.pdf"))
        assert len(pdfs) == 4
        assert a11y_failures(a11ycheck(pdfs)) == {}


def test_lang_comes_from_the_lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["new", "demo"]).exit_code == 0
    lesson = Path("content/demo/lesson.yaml")
    text = lesson.read_text()
    lesson.write_text(text + 'lang: "es_MX!"\n')
    r = runner.invoke(main, ["check", "content/demo"])
    assert r.exit_code == 1
    assert re.search(r"lesson\.yaml:\d+:\d+: error: lang: 'es_MX!' is not a language tag",
                     r.output), r.output
    lesson.write_text(text + "lang: es-MX\n")
    r = runner.invoke(main, ["build", "content/demo", "-o", "out", "--edition", "student"])
    assert r.exit_code == 0, r.output
    (pdf,) = Path("out").glob("*.pdf")
    assert b"/Lang (es-MX)" in pdf.read_bytes()


def test_preflight_accessible_fails_an_untagged_pdf(tmp_path: Path,
                                                    everything: list[Path]) -> None:
    plain = tmp_path / "plain.pdf"
    c = Canvas(str(plain))
    c.drawString(100, 700, "Untagged text")
    c.save()
    runner = CliRunner()
    r = runner.invoke(main, ["preflight", "--accessible", str(plain)])
    assert r.exit_code == 1 and "not tagged" in r.output
    assert runner.invoke(main, ["preflight", str(plain)]).exit_code == 0  # facts only
    ours = [p for p in everything if p.name.endswith("standard-letter-student.pdf")]
    r = runner.invoke(main, ["preflight", "--accessible", *map(str, ours)])
    assert r.exit_code == 0, r.output
    facts = (ours[0].with_suffix(".preflight.json")).read_text()
    assert '"tagged": true' in facts and '"untagged_objects": 0' in facts
    assert '"lang": "en-US"' in facts


def test_check_reports_a_non_text_element_without_alt() -> None:
    from dataclasses import replace

    from worksheets.checks import alt_problems
    from worksheets.errors import Location
    from worksheets.load import load_lesson_with_problems
    from worksheets.model import NonText

    lesson, _ = load_lesson_with_problems(LESSON)
    assert lesson is not None and alt_problems(lesson) == []
    where = Location("content/x/lesson.yaml", 7, 3)
    lesson = replace(lesson, non_text=(NonText("image", None, where),
                                       NonText("image", "A map of Cuba", where)))
    (problem,) = alt_problems(lesson)
    assert problem.severity == "error" and problem.location == where
    assert "no text alternative" in problem.format()
