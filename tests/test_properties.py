"""Properties, with Hypothesis: generated lessons build and print all their text, in order;
the loader's locations always lie inside the file, whatever the mutation.

Derandomized (the same examples on every run) and kept small: the whole file runs in a
few seconds. The markup parser's own properties are in test_markup.py.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DEFAULT_FILES
from tests.pdfutil import body_text
from worksheets.checks import glyph_problems
from worksheets.load import load_lesson_with_problems
from worksheets.load.layout import load_layout
from worksheets.markup import plain
from worksheets.model import Lesson
from worksheets.pipeline import Job, render_job
from worksheets.select import select

# --- generated lessons ------------------------------------------------------------------------

# Letters the bundled fonts draw: ASCII, Latin-1, Latin Extended-A, basic Greek and Cyrillic.
# No digits (a line of digits alone reads as a margin line number), no markup characters
# (`*`, `{`, `\`).
LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÉÎÑÖÜ"
    "ĀāĂăĄąĆćČčĎďĘęĚěĞğĪīıŁłŃńŇňŐőŒœŘřŚśŞşŠšŢţŤťŪūŮůŰűŹźŻżŽž"
    "ΑΒΓΔΘΛΞΠΣΦΨΩαβγδεζηθικλμνξοπρστυφχψω"
    "АБВГДЖЗИЛПФЦЧШЩЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюяё"
)
PUNCT = ["[", "]", "...", ". . .", "…", "&", "<", ">", "&amp;", "<b>", "—", "–", "(", ")",
         "«", "»", "\u201c", "\u201d", "'", ",", ".", "?", "!", ";", "-", "/", "@", "#", "%"]

word = st.text(alphabet=LETTERS, min_size=1, max_size=14)
token = st.one_of(word, word, word, st.sampled_from(PUNCT))


def phrase(min_words: int = 1, max_words: int = 12) -> st.SearchStrategy[str]:
    """Words and punctuation joined by spaces, starting with a word."""
    return st.builds(lambda first, rest: " ".join([first, *rest]), word,
                     st.lists(token, min_size=min_words - 1, max_size=max_words - 1))


short = phrase(1, 6)
paragraph = phrase(1, 60)
# Title and attribution stand on one line of the page footer: keep them short enough.
footer_text = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=10), min_size=1,
                       max_size=4).map(" ".join)


@dataclass
class Generated:
    """The files of a generated lesson."""

    files: dict[str, str]


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


@st.composite
def lessons(draw: st.DrawFn) -> Generated:
    n_docs = draw(st.integers(1, 3))
    doc_ids = ["A", "B", "C"][:n_docs]
    files: dict[str, str] = {}
    for d in doc_ids:
        front = {"label": f"Document {d}", "title": draw(short), "source": draw(short)}
        if draw(st.booleans()):
            front["dateline"] = draw(short)
        body = draw(st.lists(paragraph, min_size=1, max_size=5))
        files[f"documents/{d}.md"] = "---\n" + _dump(front) + "---\n" + "\n\n".join(body) + "\n"
    questions: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["written", "choice", "true-false"]))
        q: dict[str, Any] = {
            "id": f"q{i}",
            "documents": draw(st.lists(st.sampled_from(doc_ids), min_size=1, max_size=n_docs,
                                       unique=True)),
            "skill": draw(st.sampled_from(["sourcing", "contextualization", "close-reading",
                                           "corroboration"])),
            "kind": kind,
            "prompt": draw(phrase(1, 25)),
        }
        if kind == "choice":
            q["choices"] = draw(st.lists(short, min_size=2, max_size=4, unique=True))
            q["answer"] = "ABCD"[draw(st.integers(0, len(q["choices"]) - 1))]
        elif kind == "true-false":
            q["answer"] = draw(st.booleans())
        if kind != "choice":
            q["look_fors"] = draw(st.lists(short, max_size=2))
            q["lines"] = draw(st.integers(0, 6))
        questions.append(q)
    columns = [{"id": f"c{j}", "heading": draw(short),
                "documents": draw(st.lists(st.sampled_from(doc_ids), max_size=n_docs,
                                           unique=True))}
               for j in range(draw(st.integers(1, 3)))]
    rows = [{"id": f"r{j}", "prompt": draw(short), "lines": draw(st.integers(0, 5)),
             "answers": {c["id"]: draw(short) for c in columns if draw(st.booleans())}}
            for j in range(draw(st.integers(1, 3)))]
    lesson: dict[str, Any] = {
        "title": draw(footer_text),
        "central_question": draw(phrase(1, 20)),
        "grade_band": "9-12",
        "background": "\n\n".join(draw(st.lists(paragraph, min_size=1, max_size=2))),
        "documents": doc_ids,
        "organizer": {"title": draw(short), "instructions": draw(short), "corner": draw(short),
                      "columns": columns, "rows": rows},
        "claim": {"prompt": draw(phrase(1, 20)), "look_fors": draw(st.lists(short, max_size=2))},
        "attribution": draw(footer_text),
        "variants": {"standard": {"title": "Standard"}},
    }
    terms = draw(st.lists(word, max_size=3, unique_by=str.casefold))
    vocabulary = {"terms": [{"term": t, "definition": draw(short)} for t in terms]}
    files.update({"lesson.yaml": _dump(lesson), "questions.yaml": _dump({"questions": questions}),
                  "vocabulary.yaml": _dump(vocabulary)})
    return Generated(files)


def write_lesson(root: Path, files: dict[str, str]) -> Path:
    folder = root / "lesson"
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed_in_order(lesson: Lesson) -> list[str]:
    """Every piece of the lesson's text a student sees, in print order."""
    ws = select(lesson, "standard", "student")
    out = [lesson.title, lesson.central_question, *(b.text for b in lesson.background)]

    def question(q: Any) -> list[str]:
        return [plain(q.prompt), *(f"{'ABCD'[i]}. {c}" for i, c in enumerate(q.choices))]

    for sec in ws.sections:
        d = sec.document
        out.append(f"{d.label}: {d.title}")
        out.extend([d.dateline] if d.dateline else [])
        for q in sec.before:
            out.extend(question(q))
        out.extend(b.text for b in sec.blocks)
        out.append(plain(d.source))
        for t in sec.vocabulary:
            out.extend([t.term, t.definition])
        for q in sec.after:
            out.extend(question(q))
    if ws.organizer is not None:
        o = ws.organizer
        out.extend([o.title, *([o.instructions] if o.instructions else []), o.corner,
                    *(c.heading for c in o.columns)])
        out.extend(r.prompt for r in o.rows)
    if ws.claim is not None:
        out.append(plain(ws.claim.prompt))
    return out


def assert_in_order(text: str, phrases: list[str]) -> None:
    hay, pos = squash(text), 0
    for ph in phrases:
        i = hay.find(squash(ph), pos)
        assert i >= 0, f"missing or out of order: {ph!r}"
        pos = i + len(squash(ph))


@settings(derandomize=True, deadline=None, max_examples=40,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lessons())
def test_any_valid_lesson_builds_and_prints_all_its_text_in_order(g: Generated) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_lesson(Path(tmp), g.files)
        lesson, problems = load_lesson_with_problems(folder)
        assert [p.format() for p in problems if p.severity == "error"] == []
        assert lesson is not None
        assert glyph_problems(lesson) == []
        pdf = render_job(Job(lesson, "standard", load_layout("letter"), "student"))
    text = body_text(pdf, lesson.title, lesson.attribution)
    assert_in_order(text, printed_in_order(lesson))


# --- mutated YAML: locations inside the file ----------------------------------------------------

YAML_FILES = ["lesson.yaml", "questions.yaml", "vocabulary.yaml", "documents/A.md",
              "documents/B.md"]
INSERTS = [": ", "- ", '"', "'", "\t", "{", "[", "]", "}", "&a ", "*a", "!x ", "? ", "|",
           "---\n", "\n", "  ", "#", "%", "@", "`", "\ufeff", "\x00", "\u202e", "{.closing}",
           "**", "\\", "é", "\u00a0"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """One of the default files after one to three random mutations."""
    name = draw(st.sampled_from(YAML_FILES))
    text = DEFAULT_FILES[name]
    assert isinstance(text, str)
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "drop-line"]))
        if op == "delete" and text:
            i = draw(st.integers(0, len(text) - 1))
            text = text[:i] + text[i + 1:]
        elif op == "insert":
            i = draw(st.integers(0, len(text)))
            text = text[:i] + draw(st.sampled_from(INSERTS)) + text[i:]
        elif op == "duplicate":
            i = draw(st.integers(0, len(lines) - 1))
            text = "\n".join([*lines[: i + 1], lines[i], *lines[i + 1:]])
        elif op == "swap" and len(lines) > 1:
            i = draw(st.integers(0, len(lines) - 2))
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
            text = "\n".join(lines)
        elif op == "drop-line":
            i = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[:i] + lines[i + 1:])
    return name, text


@settings(derandomize=True, deadline=None, max_examples=500,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_loader_locations_lie_inside_the_file(case: tuple[str, str]) -> None:
    name, text = case
    files = {k: v for k, v in DEFAULT_FILES.items() if isinstance(v, str)}
    files[name] = text
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_lesson(Path(tmp), files)
        lesson, problems = load_lesson_with_problems(folder)  # never raises
        if lesson is not None:
            problems += glyph_problems(lesson)
        assert lesson is not None or any(p.severity == "error" for p in problems)
        for p in problems:
            loc = p.location
            source = (folder.parent / loc.file).read_bytes().decode("utf-8", "replace")
            lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            # the lines of the file, and one more for its end
            assert 1 <= loc.line <= len(lines), p.format()
            assert 1 <= loc.col <= len(lines[loc.line - 1]) + 1, p.format()


@given(text=st.text(st.sampled_from("abc ÉéŽ,.·-WMil"), min_size=0, max_size=300),
       room=st.floats(min_value=6, max_value=600), size=st.sampled_from([6.5, 8.0, 9.0]))
def test_a_fitted_line_fits_and_is_the_text_or_its_start(text: str, room: float,
                                                        size: float) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from worksheets.fonts import SANS, register_fonts
    from worksheets.measure import fit_line

    register_fonts()
    shown, fitted = fit_line(text, SANS, size, room, 5.5)
    assert 5.5 <= fitted <= size
    assert stringWidth(shown, SANS, fitted) <= room
    if shown == text:
        return
    assert fitted == 5.5 and shown.endswith("…")
    assert text.startswith(shown[:-1])
