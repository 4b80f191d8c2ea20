"""Issue 14: the inline markup (`*emphasis*`, `**bold**`) in every author text field.

Printed styled in the PDFs, plain in their metadata, bookmarks and footers, rendered in
the digital editions, and its mistakes reported where they stand.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pypdfium2
from pypdf import PdfReader

from tests.conftest import LESSON_YAML, QUESTIONS_YAML, VOCABULARY_YAML, LessonDir, edit
from worksheets.digital import export
from worksheets.errors import Problem
from worksheets.load import load_lesson, load_lesson_with_problems
from worksheets.load.layout import load_layout
from worksheets.markup import plain_text
from worksheets.pipeline import Job, render_job

DOC_A = """\
---
label: "Document A"
title: "A Letter from the *Maddox*"
dateline: "Aboard the *Maddox*, 1962"
source: "From the *Log*, page 2."
---
The first leader writes about peace and trade. He asks for a treaty.
"""


def _files() -> dict[str, str | bytes | None]:
    lesson = LESSON_YAML
    for old, new in [
        ('title: "A Small Test Lesson"', 'title: "A Small *Test* Lesson"'),
        ('central_question: "Why did the two sides agree?"',
         'central_question: "Why did the *two* sides agree?"'),
        ('title: "Two Sides"', 'title: "Two *Chart* Sides"'),
        ('heading: "The first side (Document A)"', 'heading: "The *Santa* side"'),
        ('prompt: "What does each side want?"', 'prompt: "What does **each** side want?"'),
        ('first: "Peace."', 'first: "Peace on the *Pinta*."'),
        ('look_fors: ["A claim supported by both documents."]',
         'look_fors: ["A claim about the *Nina*, 5*3*2 and a lone * star."]'),
        ('attribution: "Written for the test suite."',
         'attribution: "Written for *Suite*."'),
        ('    title: "Standard"', '    title: "Standard *Edition*"'),
    ]:
        lesson = edit(lesson, old, new)
    questions = edit(QUESTIONS_YAML, 'choices: ["Peace", "Trade", "War"]',
                     'choices: ["Peace", "*Trade* ships", "War"]')
    questions = edit(questions, 'look_fors: ["The first leader, in 1962."]',
                     'look_fors: ["The first leader of the *Maddox*."]\n'
                     '    hint: "Look at the *dateline*."\n    starter: "The **writer** was"')
    vocab = VOCABULARY_YAML.replace("definition: \"", "definition: \"*Very* ", 1)
    return {"lesson.yaml": lesson, "questions.yaml": questions, "vocabulary.yaml": vocab,
            "documents/A.md": DOC_A}


def _spans(pdf: bytes) -> list[tuple[str, str]]:
    """(text, font name) of every text chunk of the PDF."""
    out: list[tuple[str, str]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if text.strip() and font is not None:
                out.append((text, str(font.get("/BaseFont"))))

        page.extract_text(visitor_text=visit)
    return out


def _text(pdf: bytes) -> str:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_bounded() for page in doc)
    finally:
        doc.close()


def _styled(spans: list[tuple[str, str]], word: str, style: str) -> bool:
    return any(word in t and style in f for t, f in spans)


def test_every_text_field_prints_its_markup_styled(lesson_dir: LessonDir) -> None:
    lesson = load_lesson(lesson_dir(_files()))
    assert lesson.title == "A Small *Test* Lesson"  # the model keeps the author's text
    layout = load_layout("letter")
    for edition in ("student", "key", "master"):
        pdf = render_job(Job(lesson, "standard", layout, edition))
        text = _text(pdf)
        # every star is the markup's except the ones that stand as typed
        assert text.count("*") == (3 if edition == "key" else 0), edition
        spans = _spans(pdf)
        assert _styled(spans, "Test", "Bold"), edition  # the title is bold already
        assert "Small Test Lesson" in text
        meta = PdfReader(io.BytesIO(pdf)).metadata
        assert meta is not None and "*" not in str(meta.title) + str(meta.subject)
        if edition == "master":
            assert _styled(spans, "Edition", "Oblique") or _styled(spans, "Edition", "Italic")
            continue
        for word in ("two", "Maddox", "Trade", "Chart", "Santa", "Very"):
            assert _styled(spans, word, "Oblique") or _styled(spans, word, "Italic"), word
        assert _styled(spans, "each", "Bold")
        outline = [str(o.title) for o in PdfReader(io.BytesIO(pdf)).outline
                   if not isinstance(o, list)]
        assert "Document A: A Letter from the Maddox" in outline
        assert all("*" not in o for o in outline)
        if edition == "key":
            assert "5*3*2 and a lone * star" in text
            for word in ("Pinta", "Nina"):
                assert _styled(spans, word, "Italic"), word
    # the footer's title and attribution are plain
    assert "A Small Test Lesson" in text and "Written for Suite." in text


def test_nested_bold_and_italics_print_without_stars(lesson_dir: LessonDir) -> None:
    files = _files()
    files["documents/A.md"] = DOC_A.replace(
        "He asks for a treaty.", "He asks for *a treaty with **the USS Maddox*** and ***both***.")
    files["lesson.yaml"] = edit(str(files["lesson.yaml"]), 'title: "Two *Chart* Sides"',
                                'title: "Two **Sides of the *Chart***"')
    lesson = load_lesson(lesson_dir(files))
    pdf = render_job(Job(lesson, "standard", load_layout("letter"), "student"))
    text = _text(pdf)
    assert "a treaty with the USS Maddox and both." in " ".join(text.split())
    assert "*" not in text
    spans = _spans(pdf)
    for words in ("the USS Maddox", "both", "Chart"):
        assert _styled(spans, words, "BoldItalic"), words
    assert _styled(spans, "a treaty with", "Italic")


def test_a_bold_gloss_in_a_text_field_adds_no_vocabulary(lesson_dir: LessonDir) -> None:
    files = _files()
    files["lesson.yaml"] = edit(str(files["lesson.yaml"]), 'title: "Two *Chart* Sides"',
                                'title: "Two **accord** (an agreement) Sides"')
    lesson = load_lesson(lesson_dir(files))
    assert "accord" not in [t.term for t in lesson.vocabulary]


def _refused(lesson_dir: LessonDir, in_tmp: Path, hint: str,
             doc_edit: tuple[str, str]) -> tuple[dict[str, str | bytes | None], list[Problem]]:
    """The files with question 1's hint and document A edited, and the problems that
    refuse the lesson."""
    files = _files()
    files["questions.yaml"] = edit(str(files["questions.yaml"]), 'hint: "Look at the *dateline*."',
                                   hint)
    files["documents/A.md"] = DOC_A.replace(*doc_edit)
    lesson, problems = load_lesson_with_problems(lesson_dir(files).relative_to(in_tmp))
    assert lesson is None
    return files, problems


def test_an_unclosed_bold_in_a_text_field_is_a_located_error(lesson_dir: LessonDir,
                                                             in_tmp: Path) -> None:
    files, problems = _refused(lesson_dir, in_tmp, 'hint: "Look at the **dateline."',
                               ('dateline: "Aboard', 'dateline: "**Aboard'))
    msg = "'**' is not closed: bold text needs '**' on both sides (write **term** (gloss), " \
          "or remove the stars)"
    found = [p.format() for p in problems]
    assert f"lesson/documents/A.md:4:12: dateline: {msg}" in found
    hint = next(p for p in found if "hint" in p)
    line = str(files["questions.yaml"]).split("\n").index('    hint: "Look at the **dateline."')
    assert hint == f"lesson/questions.yaml:{line + 1}:24: questions[0].hint: {msg}"


def test_a_documents_paragraph_markup_in_a_text_field_is_a_located_error(
        lesson_dir: LessonDir, in_tmp: Path) -> None:
    files, problems = _refused(lesson_dir, in_tmp, 'hint: "## Look at the dateline. {.quote}"',
                               ('source: "From', 'source: "{.header} From'))
    line = str(files["questions.yaml"]).split("\n").index(
        '    hint: "## Look at the dateline. {.quote}"') + 1
    assert sorted(p.format() for p in problems) == [
        "lesson/documents/A.md:5:10: source: '{.header}' marks a paragraph of a document's "
        "text; in this field it would print as typed (remove it)",
        f"lesson/questions.yaml:{line}:12: questions[0].hint: '##' starts a heading only in "
        "a document's text; in this field it would print as typed (remove it)",
        f"lesson/questions.yaml:{line}:37: questions[0].hint: '{{.quote}}' marks a paragraph "
        "of a document's text; in this field it would print as typed (remove it)",
    ]


def test_the_digital_editions_render_the_markup(lesson_dir: LessonDir, tmp_path: Path) -> None:
    folder = lesson_dir(_files())
    written = export([folder], tmp_path / "out", ["docx", "qti", "gift"], ["standard"])
    by = {p.name: p for p in written}
    from docx import Document

    for name in ("lesson-standard-student.docx", "lesson-standard-key.docx"):
        doc = Document(str(by[name]))
        runs = [r for p in doc.paragraphs for r in p.runs]
        runs += [r for t in doc.tables for row in t.rows for c in row.cells
                 for p in c.paragraphs for r in p.runs]
        assert all("*" not in r.text for r in runs if "5*3*2" not in r.text), name
        for word in ("Maddox", "Trade", "Test", "Very"):
            assert any(r.text == word and r.italic for r in runs), (name, word)
        assert doc.core_properties.title.startswith("A Small Test Lesson")
    with zipfile.ZipFile(by["lesson-standard-qti.zip"]) as zf:
        qti = "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".xml"))
    assert "&lt;em&gt;Maddox&lt;/em&gt;" in qti and "&lt;em&gt;Trade&lt;/em&gt; ships" in qti
    assert "*" not in qti.replace("5*3*2", "").replace("lone * star", "")
    gift = by["lesson-standard.gift.txt"].read_text(encoding="utf-8")
    assert "*" not in gift.replace("5*3*2", "").replace("lone * star", "")
    assert "~B. Trade ships" in gift.replace("=B", "~B")
    assert plain_text("A *Maddox*") == "A Maddox"


# --- the teacher master ------------------------------------------------------------------

LESSONS = Path(__file__).parent / "lessons"


def test_the_master_names_documents_and_skills_as_the_keys_do() -> None:
    lesson = load_lesson(LESSONS / "gulf-of-tonkin")
    pdf = render_job(Job(lesson, "standard", load_layout("letter"), "master"))
    text = _text(pdf)
    for raw in ("close-reading", "contextualization;", "Doc address", "Doc cable"):
        assert raw not in text, raw
    assert "Close reading; Doc" in text.replace("\r\n", " ")
    assert "Clai\r\nm" not in text and "Claim" in text


def test_a_large_master_grows_with_its_header_on_every_page() -> None:
    lesson = load_lesson(Path(__file__).parents[1] / "content" / "cuban-missile-crisis")
    pdf = render_job(Job(lesson, "standard", load_layout("large-print"), "master"))
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = [p.get_textpage().get_text_bounded() for p in doc]
    finally:
        doc.close()
    assert 1 < len(pages) <= 6  # it grew to 14 pages when the variants had columns
    for i, page in enumerate(pages):
        assert "No." in page and "Question" in page, f"page {i + 1} has no header row"
        # the header row once per page: rows are kept whole, not split with a header
        # repeated before the rest of a row
        assert page.count("No.") == 1, f"page {i + 1}"
    text = " ".join(" ".join(p.split()) for p in pages)
    # each variant is a line under the prompt: what it shows, with its texts' level
    assert text.count("Supported (simplified texts): asked + starter + hint") == 14
    assert text.count("Spanish support (modified texts): asked") == 14
    # the number column fits its widest entry at the large-print size
    assert "Claim" in "".join(pages)
    assert not any(line.strip() in ("Clai", "Cla", "m", "im") for p in pages
                   for line in p.splitlines())
