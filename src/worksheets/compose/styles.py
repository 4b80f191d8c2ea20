"""Paragraph styles of a layout, and author text as reportlab paragraph markup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Paragraph,
)

from ..fonts import SANS, SERIF, register_fonts
from ..ink import INK
from ..load.layout import Layout
from ..markup import Run, escape
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
        heading=st("heading", SANS + "-Bold", layout.heading_size, spaceBefore=6, spaceAfter=2),
        subheading=st("subheading", SANS + "-Bold", t, spaceBefore=6, spaceAfter=3),
        body=st("body", body_face, layout.body_size, spaceAfter=layout.body_size * 0.55,
                alignment=TA_JUSTIFY if layout.justify else TA_LEFT),
        closing=st("closing", body_face, layout.body_size, leftIndent=width * 0.45,
                   spaceAfter=2),
        salutation=st("salutation", body_face, layout.body_size,
                      spaceAfter=layout.body_size * 0.55),
        dateline=st("dateline", body_face + "-Italic", layout.body_size, spaceAfter=6),
        caption=st("caption", SANS, layout.caption_size, spaceBefore=2, spaceAfter=6),
        text=st("text", SANS, t, spaceAfter=2),
        small=st("small", SANS + "-Italic", max(t - 1, layout.caption_size), spaceAfter=2),
        key=st("key", SERIF + "-Italic", t),
        cell_key=st("cellkey", SERIF + "-Italic", t - 1.5, leading=(t - 1.5) * 1.2),
        cell=st("cell", SANS, t - 0.5),
        cell_head=st("cellhead", SANS + "-Bold", t - 0.5, alignment=TA_CENTER),
    )


# Hyphenation for narrow cells (pyphen's dictionaries): a word wider than its column
# breaks at a syllable with a hyphen, never anywhere without one (reportlab's
# splitLongWords). Only where a word does not fit, so other text keeps its lines.
HYPHENATE: dict[str, object] = {"embeddedHyphenation": 1, "hyphenationMinWordLength": 4}


def widest_word(texts: list[str], font: str, size: float) -> float:
    words = {w for t in texts for w in re.split(r"[\s/]+", t) if w}
    faces = [font, SANS + "-Bold", SERIF + "-Bold"]
    return max((stringWidth(w, f, size) for w in words for f in faces), default=0.0)


def fitting(style: ParagraphStyle, texts: list[str], width: float,
            lang: str | None = None) -> ParagraphStyle:
    """`style`, hyphenating in `lang` (default English) when a word of `texts` (the
    column's plain text) is wider than `width`, the column's room for text."""
    if widest_word(texts, style.fontName, style.fontSize) <= width:
        return style
    code = {"en": "en_US", None: "en_US"}.get(lang, lang)
    return ParagraphStyle(f"{style.name}-hy-{code}", parent=style, hyphenationLang=code,
                          **HYPHENATE)


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


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain author text (escaped)."""
    return Paragraph(escape(text), style)


def tagged(flowable: Flowable, parent: Elem, role: str = "P", lang: str | None = None) -> Any:
    """The flowable, marked as the content of a new `role` element under `parent`."""
    return tag(flowable, parent.add(role, lang=lang))


def tpara(text: str, style: ParagraphStyle, parent: Elem, role: str = "P",
          lang: str | None = None) -> Paragraph:
    """`para()` as the content of a new `role` element under `parent`."""
    return tagged(para(text, style), parent, role, lang)
