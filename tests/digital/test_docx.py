"""DOCX: Word styles, headings, tables with repeated header rows, text in reading order;
LibreOffice renders it, and every phrase of the PDF's text is in it, in the PDF's order."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import cast

import docx
import pytest
from docx.oxml.ns import qn

from tests.pdfutil import assert_in_order, body_text, pages_text
from worksheets import export
from worksheets.digital.docx import docx_bytes
from worksheets.load import load_lesson
from worksheets.load.layout import load_layout
from worksheets.pipeline import Job, render_job
from worksheets.select import Edition, select

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "content" / "cuban-missile-crisis"


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _styled(d: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in d.paragraphs if p.style is not None and p.style.name == style]


def test_structure_of_the_shipped_student_edition() -> None:
    lesson = load_lesson(LESSON)
    d = _open(docx_bytes(select(lesson, "standard", "student")))
    assert _styled(d, "Title") == [lesson.title]
    assert _styled(d, "Heading 1") == [
        "Background",
        "Document A: Letter From Chairman Khrushchev to President Kennedy (Modified)",
        "Document B: Letter from President Kennedy to Chairman Khrushchev (Modified)",
        "Document C: Russian Ambassador Cable to Soviet Foreign Ministry (Modified)",
        "Graphic organizer: The Public Deal and the Secret Deal",
        "Your claim"]
    assert _styled(d, "Heading 2") == ["Before you read", "After you read"] * 3
    questions = [p.text for p in d.paragraphs if re.match(r"\d+\. ", p.text)]
    assert [int(q.split(".")[0]) for q in questions] == list(range(1, 14))
    assert questions[0].endswith("(Sourcing)")
    assert _styled(d, "List")[:4] == [
        "A. To warn that the Soviet Union is about to attack those three countries",
        "B. To argue that Soviet missiles in Cuba are no different from U.S. missiles placed "
        "near the Soviet Union",
        "C. To ask Britain, Italy and Turkey to help end the crisis",
        "D. To admit that the Soviet missiles in Cuba were a mistake"]
    assert _styled(d, "Caption")[0].startswith("Source: Letter from Soviet Chairman")
    assert len(_styled(d, "Answer Line")) >= sum(max(q.lines, 1) for q in lesson.questions)
    assert not _styled(d, "Key Answer") and "Look for" not in "\n".join(
        p.text for p in d.paragraphs)
    # bold glosses, italics and brackets kept
    gloss = next(r for p in d.paragraphs for r in p.runs if r.text == "cessation")
    assert gloss.bold
    assert any("[blockade]" in p.text for p in d.paragraphs)
    # language, metadata
    lang = d.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-US"
    assert d.core_properties.title == lesson.title
    assert d.core_properties.language == "en-US"
    assert d.styles["Normal"].font.name == "Noto Sans"
    assert d.styles["Document Text"].font.name == "Noto Serif"


def test_tables_have_repeating_header_rows() -> None:
    lesson = load_lesson(LESSON)
    d = _open(docx_bytes(select(lesson, "spanish", "key")))
    vocab, *_, organizer = d.tables
    assert [c.text for c in vocab.rows[0].cells] == [
        "Vocabulary / Vocabulario: Document A", "Definition / Definición", "Spanish / Español"]
    assert vocab.rows[1].cells[0].text == "allies"
    assert vocab.rows[1].cells[2].text == "aliados"
    assert [c.text for c in organizer.rows[0].cells] == [
        "Question / Pregunta", "The public deal (Documents A and B) / El acuerdo público "
        "(Documentos A y B)", "The secret deal (Document C) / El acuerdo secreto (Documento C)"]
    assert lesson.organizer is not None
    assert len(organizer.rows) == 1 + len(lesson.organizer.rows)
    assert organizer.rows[3].cells[2].text.startswith("The U.S. will remove them in 4-5 months")
    for t in d.tables:
        trpr = t.rows[0]._tr.trPr
        assert trpr is not None
        assert trpr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
        assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None
                   for r in t.rows[1:])


def test_key_has_answers_and_look_fors(export_lesson: Path) -> None:
    lesson = load_lesson(export_lesson)
    d = _open(docx_bytes(select(lesson, "standard", "key")))
    assert d.sections[0].header.paragraphs[0].text == "Teacher Key"
    text = [p.text for p in d.paragraphs]
    assert _styled(d, "Key Answer") == [
        "Look for:", "Evidence: Doc A: \u201cWe want peace\u201d", "B. Trade",
        "Answer: FALSE", "Look for:"]
    assert _styled(d, "List Bullet") == ["The first leader, in 1962.",
                                         "False: A asks for peace, B for trade.",
                                         "A claim supported by both documents."]
    answer = text.index("Answer:")  # the key's answer is under the label, after the choices
    assert text[answer - 3:answer + 2] == ["A. Peace: {all} = ~none~ #1", "B. Trade", "C. War",
                                           "Answer:", "B. Trade"]
    assert "Name: " not in d.sections[0].header.paragraphs[0].text
    org = d.tables[-1]
    assert [c.text for c in org.rows[1].cells] == [
        "What does each side want?", "Peace.", "Trade.\n(Doc B: \u201cWe want trade first\u201d)"]


def test_scaffolds_in_a_helped_variant(export_lesson: Path) -> None:
    lesson = load_lesson(export_lesson)
    d = _open(docx_bytes(select(lesson, "helped", "student")))
    assert _styled(d, "Scaffold")[:3] == [
        "Sentence starter / Para empezar: Document A was written by ...",
        "Hint / Pista: Read the first line.", "Answer / Respuesta:"]
    assert d.tables[-1].rows[1].cells[1].text == "Pea..."
    assert any(p.text.startswith("Word bank / Banco de palabras: treaty") for p in d.paragraphs)


def test_deterministic(export_lesson: Path, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = export([export_lesson], tmp_path / "a", ["docx"], ["all"])
    b = export([export_lesson], tmp_path / "b", ["docx"], ["all"])
    assert [p.name for p in a] == ["exported-standard-student.docx", "exported-standard-key.docx",
                                   "exported-helped-student.docx", "exported-helped-key.docx"]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    d = docx.Document(str(a[0]))
    assert d.core_properties.created.isoformat() == "2023-11-14T22:13:20+00:00"


# --- LibreOffice ---------------------------------------------------------------------

SOFFICE = shutil.which("soffice")
# LibreOffice's own start-up notice on machines without Java; not about the document
HARMLESS = re.compile(r"failed to launch javaldx|^$")


def _pdf_phrases(pdf: bytes, lesson_title: str, attribution: str, corner: str,
                 first_row: str) -> list[str]:
    """The PDF's text lines, as the DOCX words them: no line numbers in citations, no bullets,
    the organizer's and the vocabulary boxes' header rows once (repeated on a new page)."""
    text = body_text(pdf, lesson_title, attribution)
    raw = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(raw) if line.startswith(corner))
    header = raw[start:next(i for i in range(start, len(raw)) if raw[i].startswith(first_row))]
    for i in range(len(raw) - 1, start, -1):
        if raw[i:i + len(header)] == header:
            del raw[i:i + len(header)]
    seen: set[str] = set()  # a vocabulary box's header row, repeated on a new page, once
    kept = []
    for ln in raw:
        if ln.startswith("Vocabulary"):
            if ln in seen:
                continue
            seen.add(ln)
        kept.append(ln)
    raw = kept
    text = "\n".join(raw)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"(Doc [A-Z]), lines? \d+(\u2013\d+)?", r"\1", line)
        line = line.replace("\u2022", " ").strip()
        if line and not re.fullmatch(r"\d+", line):
            lines.append(line)
    return lines


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI "
                    "installs libreoffice-writer-nogui")
@pytest.mark.parametrize("variant,edition", [("standard", "student"), ("standard", "key"),
                                             ("spanish", "key")])
def test_libreoffice_renders_the_pdfs_text_in_order(tmp_path: Path, variant: str,
                                                    edition: str) -> None:
    lesson = load_lesson(LESSON)
    data = docx_bytes(select(lesson, variant, cast(Edition, edition)))
    src = tmp_path / "sheet.docx"
    src.write_bytes(data)
    run = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    warnings = [ln for ln in run.stderr.splitlines() if not HARMLESS.search(ln)]
    assert warnings == []
    converted = (tmp_path / "sheet.pdf").read_bytes()
    footer = (re.escape(lesson.title) + r"\s+Page \d+ of \d+\s*" + re.escape(lesson.attribution)
              .replace(r"\ ", r"\s+"))
    pages = [re.sub(footer, " ", p).removeprefix("Teacher Key") for p in pages_text(converted)]
    docx_text = " ".join(pages).replace("\u2022", " ")
    docx_text = re.sub(r"_{3,}", " ", docx_text)
    docx_text = re.sub(r"(?<=\w-)\s+", "", docx_text)  # "4-\n5": a line broken at a hyphen
    pdf = render_job(Job(lesson, variant, load_layout("letter"), cast(Edition, edition)))
    o = lesson.organizer
    assert o is not None
    corner = f"{o.corner} / {o.translations['es']['corner']}" if variant == "spanish" else o.corner
    phrases = _pdf_phrases(pdf, lesson.title, lesson.attribution, corner, o.rows[0].prompt[:15])
    assert len(phrases) > 200
    assert_in_order(docx_text, phrases)


def test_structure_markup_in_the_word_file(tmp_path: Path) -> None:
    import dataclasses

    from worksheets.markup import parse_body

    lesson = load_lesson(LESSON)
    ws = select(lesson, "standard", "student")
    blocks = parse_body("TO: THE PRESIDENT {.header}\n\n## ARTICLE I\n\nHe wrote:\n\n"
                        "We hold these truths. {.quote}").blocks
    sec = dataclasses.replace(ws.sections[0], blocks=blocks)
    d = _open(docx_bytes(dataclasses.replace(ws, sections=(sec, *ws.sections[1:]))))
    assert _styled(d, "Heading 3") == ["ARTICLE I"]
    quote = next(p for p in d.paragraphs if p.text == "We hold these truths.")
    assert quote.paragraph_format.left_indent and quote.paragraph_format.right_indent
    # the background takes the same markup
    background = parse_body("## THE CRISIS\n\nThe text.\n\nA quotation. {.quote}").blocks
    lesson_b = dataclasses.replace(lesson, background=background)
    d = _open(docx_bytes(dataclasses.replace(ws, lesson=lesson_b)))
    texts = [p.text for p in d.paragraphs]
    at = texts.index("THE CRISIS")
    assert texts[at - 1] == "Background" and texts[at + 1] == "The text."
    assert _styled(d, "Heading 3")[0] == "THE CRISIS"
    quote = next(p for p in d.paragraphs if p.text == "A quotation.")
    assert quote.paragraph_format.left_indent and quote.paragraph_format.right_indent
