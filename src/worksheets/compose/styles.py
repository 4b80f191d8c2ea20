"""Paragraph styles of a layout, and author text as reportlab paragraph markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Paragraph,
)

from ..fonts import SANS, SERIF, register_fonts
from ..ink import INK
from ..load.layout import Layout
from ..markup import Run, escape, parse_inline
from ..tagging import Elem, tag


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one layout."""

    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    closing: ParagraphStyle
    salutation: ParagraphStyle
    dateline: ParagraphStyle
    caption: ParagraphStyle
    text: ParagraphStyle
    small: ParagraphStyle
    key: ParagraphStyle
    cell_key: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    inner_heading: ParagraphStyle  # a heading inside a document (`## `)
    header: ParagraphStyle  # a document's uncounted header lines (`{.header}`)
    quote: ParagraphStyle  # a block quotation inside a document (`{.quote}`)


def styles(layout: Layout) -> Styles:
    """Paragraph styles derived from a layout's sizes and faces."""
    register_fonts()  # paragraphs resolve their fonts when they are made
    lead = layout.leading
    width = layout.text_width
    body_face = SERIF if layout.serif == "serif" else SANS

    def st(name: str, face: str, size: float, **kw: object) -> ParagraphStyle:
        if size < layout.min_text_size:  # large print: nothing a student reads is smaller
            size = layout.min_text_size
            kw.pop("leading", None)
        kw.setdefault("leading", size * lead)
        return ParagraphStyle(name, fontName=face, fontSize=size, textColor=INK, **kw)

    t = layout.text_size
    return Styles(
        title=st("title", SANS + "-Bold", layout.title_size, spaceAfter=4),
        heading=st("heading", SANS + "-Bold", layout.heading_size, spaceBefore=6, spaceAfter=2,
                   keepWithNext=1),
        subheading=st("subheading", SANS + "-Bold", t, spaceBefore=6, spaceAfter=3),
        body=st("body", body_face, layout.body_size, spaceAfter=layout.body_size * 0.55,
                alignment=TA_JUSTIFY if layout.justify else TA_LEFT),
        closing=st("closing", body_face, layout.body_size, leftIndent=width * 0.45,
                   spaceAfter=2),
        salutation=st("salutation", body_face, layout.body_size, spaceAfter=layout.body_size * 0.55,
                      keepWithNext=1),
        dateline=st("dateline", body_face + "-Italic", layout.body_size, spaceAfter=6),
        caption=st("caption", SANS, layout.caption_size, spaceBefore=2, spaceAfter=6),
        text=st("text", SANS, t, spaceAfter=2),
        small=st("small", SANS + "-Italic", max(t - 1, layout.caption_size), spaceAfter=2),
        key=st("key", SERIF + "-Italic", t),
        cell_key=st("cellkey", SERIF + "-Italic", t - 1.5, leading=(t - 1.5) * 1.2),
        cell=st("cell", SANS, t - 0.5),
        cell_head=st("cellhead", SANS + "-Bold", t - 0.5, alignment=TA_CENTER),
        inner_heading=st("innerheading", body_face + "-Bold", layout.body_size,
                         spaceBefore=layout.body_size * 0.3, spaceAfter=layout.body_size * 0.3,
                         keepWithNext=1),
        header=st("header", SANS, layout.body_size - 1.5, spaceAfter=layout.body_size * 0.55,
                  keepWithNext=1),  # header lines stand above the text they head
        quote=st("quote", body_face, layout.body_size, leftIndent=width * 0.08,
                 rightIndent=width * 0.08, spaceAfter=layout.body_size * 0.55,
                 alignment=TA_JUSTIFY if layout.justify else TA_LEFT),
    )


# --- text ------------------------------------------------------------------------


def runs_markup(runs: tuple[Run, ...]) -> str:
    """Reportlab paragraph markup for runs; the author's text is always escaped."""
    out = []
    for r in runs:
        if r.text == "\n":
            out.append("<br/>")
            continue
        s = escape(r.text)
        if r.bold:
            s = f"<b>{s}</b>"
        if r.italic:
            s = f"<i>{s}</i>"
        out.append(s)
    return "".join(out)


def text_markup(text: str) -> str:
    """Reportlab markup for one author text field: its inline markup (`*emphasis*`,
    `**bold**`) styled, everything else escaped. A `**term** (gloss)` here prints but
    adds nothing to the vocabulary."""
    return runs_markup(parse_inline(text)[0])


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of author text: its inline markup styled, the rest escaped."""
    return Paragraph(text_markup(text), style)


def tagged(flowable: Flowable, parent: Elem, role: str = "P", lang: str | None = None) -> Any:
    """The flowable, marked as the content of a new `role` element under `parent`."""
    return tag(flowable, parent.add(role, lang=lang))


def tpara(text: str, style: ParagraphStyle, parent: Elem, role: str = "P",
          lang: str | None = None) -> Paragraph:
    """`para()` as the content of a new `role` element under `parent`."""
    return tagged(para(text, style), parent, role, lang)
