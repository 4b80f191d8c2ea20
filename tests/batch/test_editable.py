"""`editable: true` in a batch spec: the DOCX editions of the versions the packets use."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.batch.test_batch import run_cli, small_district
from tests.pdfutil import LESSON
from worksheets import load_lesson


def editable_spec(tmp_path: Path) -> Path:
    spec = small_district(tmp_path / "d", classes=2, students=6)
    spec.write_text(spec.read_text().replace("school: Test School", "editable: true\nschool: "
                                             "Test School"))
    return spec


def test_the_docx_editions_of_every_version_used(tmp_path: Path) -> None:
    spec, out = editable_spec(tmp_path), tmp_path / "out"
    r = run_cli("batch", spec, "-o", out, "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert "6 editable Word files" in r.output
    # the first six students of small_district cover standard, supported and spanish
    names = sorted(p.name for p in out.glob("*.docx"))
    assert names == [f"cuban-missile-crisis-{v}-{e}.docx" for v in ("spanish", "standard",
                                                                      "supported")
                     for e in ("key", "student")]
    lesson = load_lesson(LESSON)
    d = docx.Document(str(out / "cuban-missile-crisis-spanish-student.docx"))
    assert [p.text for p in d.paragraphs if p.style is not None and p.style.name == "Title"] \
        == [lesson.title]
    assert d.tables[0].rows[0].cells[0].text == "Vocabulary / Vocabulario: Document A"
    dry = run_cli("batch", spec, "-o", tmp_path / "dry", "--dry-run")
    assert [ln.split(":")[0] for ln in dry.output.splitlines() if "editable" in ln] == names
    assert not (tmp_path / "dry").exists()


def test_no_docx_unless_asked(tmp_path: Path) -> None:
    spec = small_district(tmp_path / "d", classes=1, students=2)
    assert run_cli("batch", spec, "-o", tmp_path / "out", "-q").exit_code == 0
    assert not list((tmp_path / "out").glob("*.docx"))
