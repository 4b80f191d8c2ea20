"""The teacher master: every question number with what each variant shows."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    TableStyle,
)

from ..fonts import SANS
from ..ink import INK, SHADE
from ..load.layout import Layout
from ..markup import escape, plain_text
from ..model import Question
from ..select import Worksheet
from ..tagging import Elem, TaggedTable
from .flowables import Bookmark
from .organizer import repeat_header
from .strings import STRINGS
from .styles import break_long_words, para, runs_markup, styles, text_markup, tpara, widest_word


def compose_master(sheets: list[Worksheet], layout: Layout,
                   root: Elem | None = None) -> list[Flowable]:
    """The teacher master: every question number, its wording, and what each variant shows.

    A variant never renumbers a question, so the bank's wording is printed once and
    each variant's column says whether it asks it, with which supports, and what it
    words its own way ("own prompt, choices").
    Questions are named as the keys name them: skills by their printed names,
    documents by their labels ("Doc A"). A lesson with many questions or variants
    takes more than one page, the header row repeated on each.

    Tagged under `root`: the heading (H1), a paragraph, and a Table whose first
    row and first column (the question numbers) are header cells.
    """
    root = Elem("Document") if root is None else root
    s = styles(layout)
    lesson = sheets[0].lesson
    width = layout.text_width
    size = max(min(s.cell.fontSize - 1.5, 9.0), layout.min_text_size)
    note = max(size - 1, layout.min_text_size)
    small = ParagraphStyle("master", parent=s.cell, fontSize=size, leading=size * 1.2)
    head = ParagraphStyle("master-head", parent=s.cell_head, fontSize=size, leading=size * 1.2)
    # wide enough for "No." and "Claim" at large print's size too: never broken bare
    first = max(32.0, max(stringWidth(w, head.fontName, size) for w in ("No.", "Claim")) + 12.5)
    # the prompts keep 40% of the width, and their width where "Claim" needs more room
    rest = min(70.0 - (first - 32.0) / len(sheets), (width * 0.6 - first) / len(sheets))
    # room for the words a variant's cell prints ("asked", "starter"), taken from the
    # prompts (down to 25% of the width) when the columns are too narrow (large print)
    heads = [w for ws in sheets for w in (plain_text(ws.variant.title).split()
                                         + " ".join(variant_notes(ws)).split())]
    need = max(widest_word(["asked", "starter", "hint"], small.fontName, small.fontSize),
               widest_word(heads, head.fontName, head.fontSize)) + 12.5
    rest = max(rest, min(need, (width * 0.75 - first) / len(sheets)))
    room = rest - 12  # a longer word breaks at a syllable, with a hyphen
    prompt_w = width - first - rest * len(sheets)
    # where the variants' columns would squeeze the prompts below 40% of the width (large
    # print), each variant is a line under the prompt instead: rows a few lines tall, not
    # twenty, and no row split across pages
    stacked = prompt_w < width * 0.4
    if stacked:
        prompt_w = width - first
    header: list[Flowable] = [para("No.", head), para(
        "Question, and what each variant shows" if stacked else "Question", head)]
    for ws in (() if stacked else sheets):
        v = ws.variant
        extra = variant_notes(ws)
        header.append(Paragraph(break_long_words(
            f"{text_markup(v.title)}<br/><font size={note}>{escape(', '.join(extra))}</font>",
            head, room), head))
    heading = tpara(f"Teacher master: {lesson.title}", s.heading, root, "H1")
    intro = tpara("Every question has the same number in every variant, so one class can work "
                  "from different versions together.", s.small, root)
    table_elem = root.add("Table")
    rows: list[list[Flowable]] = [header]
    questions = [*lesson.questions, *([lesson.claim] if lesson.claim else [])]
    for q in questions:
        docs = ", ".join(doc_label(lesson.document(d).label) for d in q.documents) \
            if q is not lesson.claim else "all documents"
        skill = STRINGS[f"skill.{q.skill}"]["en"]
        prompt = f"{runs_markup(q.prompt)} <i>({escape(skill)}; {escape(docs)})</i>"
        # the claim is unnumbered on the worksheets, so it is here too
        label = "Claim" if q is lesson.claim else str(q.number)
        shows = [asked_text(ws, q) for ws in sheets]
        if stacked:
            prompt += "".join(
                f"<br/><b>{text_markup(ws.variant.title)}</b> "
                f"({escape(', '.join(variant_notes(ws, glossary=False)))}): {escape(text)}"
                for ws, text in zip(sheets, shows, strict=True))
        row: list[Flowable] = [para(label, head),
                               Paragraph(break_long_words(prompt, small, prompt_w - 12), small)]
        if not stacked:
            row += [Paragraph(break_long_words(escape(text), small, room), small)
                    for text in shows]
        rows.append(row)
    widths = [first, prompt_w] + ([] if stacked else [rest] * len(sheets))
    frame_h = layout.frame_height
    repeat = repeat_header(header, widths, 12, frame_h)
    head_h = header[1].wrap(prompt_w - 12, frame_h)[1] + 5 if repeat else 0.0
    tallest = max(r[1].wrap(prompt_w - 12, frame_h)[1] + 5 for r in rows[1:]) \
        if len(rows) > 1 else 0.0
    # rows stay whole; only a row taller than a page (with the header) splits inside
    table = TaggedTable(rows, colWidths=widths, repeatRows=repeat,
                        splitInRow=1 if tallest > frame_h - head_h - 40 else 0,
                        elem=table_elem, header_rows=1, header_cols=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("GRID", (0, 0), (-1, -1), 0.5, INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [
        Bookmark("master", "Teacher master"),
        heading,
        intro,
        Spacer(1, 4),
        table,
    ]


def variant_notes(ws: Worksheet, glossary: bool = True) -> list[str]:
    """Under a variant's name: its texts' reading level (and the documents it prints at
    another), its glossary language, the organizer columns it leaves out."""
    v = ws.variant
    extra = [v.reading_level + " texts"]
    extra += [f"{doc_label(ws.lesson.document(d).label)}: {level}"
              for d, level in v.reading_levels.items() if level != v.reading_level]
    if v.language and glossary:
        extra.append(f"glossary: {v.language}")
    o = ws.lesson.organizer
    if o is not None and ws.organizer is not None:
        hidden = [c.id for c in o.columns if all(x.id != c.id for x in ws.organizer.columns)]
        if hidden:
            extra.append("chart without: " + ", ".join(hidden))
    return extra


def asked_text(ws: Worksheet, q: Question) -> str:
    """What a variant does with a question: "—" when it does not ask it, else "asked", its
    supports ("asked + starter + hint"), and what it words its own way ("; own prompt")."""
    mine = ws.claim if q is ws.lesson.claim else next(
        (x for sec in ws.sections for x in (*sec.before, *sec.after) if x.id == q.id), None)
    if mine is None:
        return "\u2014"
    supports = [name for name, on in (
        ("starter", mine.starter and ws.scaffold("starters")),
        ("hint", mine.hint and ws.scaffold("hints"))) if on]
    text = "asked" + (" + " + " + ".join(supports) if supports else "")
    own = [f for f in ("prompt", "choices", "answer", "lines")
           if getattr(mine, f) != getattr(q, f)] if q.rewording(ws.variant.id) else []
    if own:
        text += "; own " + ", ".join(own)
    return text


def doc_label(label: str) -> str:
    """A document's label as the keys cite it: "Document D" -> "Doc D"."""
    return plain_text(label).replace("Document ", "Doc ")
