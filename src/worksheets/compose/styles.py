"""Paragraph styles of a layout, and author text as reportlab paragraph markup."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Any

import pyphen
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
from ..markup import Run, escape, parse_inline, runs_tagged
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
        inner_heading=st("innerheading", body_face + "-Bold", layout.body_size,
                         spaceBefore=layout.body_size * 0.3, spaceAfter=layout.body_size * 0.3),
        header=st("header", SANS, layout.body_size - 1.5, spaceAfter=layout.body_size * 0.55),
        quote=st("quote", body_face, layout.body_size, leftIndent=width * 0.08,
                 rightIndent=width * 0.08, spaceAfter=layout.body_size * 0.55,
                 alignment=TA_JUSTIFY if layout.justify else TA_LEFT),
    )


# Narrow cells (large print): a word wider than its column is broken at syllables
# (pyphen's dictionaries), a hyphen ending each piece, before reportlab sets the text,
# so reportlab never splits a word where it likes without a hyphen (splitLongWords).
# Words that fit are left alone, so other text keeps its lines.


def widest_word(texts: list[str], font: str, size: float) -> float:
    """The width of the widest word of `texts` in `font` or bold (terms are bold)."""
    words = {w for t in texts for w in re.split(r"[\s/]+", t) if w}
    faces = [font, SANS + "-Bold", SERIF + "-Bold"]
    return max((stringWidth(w, f, size) for w in words for f in faces), default=0.0)


def _hyphenator(lang: str | None) -> pyphen.Pyphen:
    code = "en_US" if lang in (None, "en") else lang
    return pyphen.Pyphen(lang=code)


@functools.lru_cache(maxsize=8192)
def _widest(text: str, font: str, size: float) -> float:
    # cached: the same words come back in every variant and layout of a lesson
    return float(max(stringWidth(text, f, size) for f in (font, SANS + "-Bold", SERIF + "-Bold")))


def break_word(word: str, font: str, size: float, width: float,
               lang: str | None = None) -> list[str]:
    """`word` in pieces that fit `width`, each but the last ending in a hyphen, broken
    where the dictionary allows; where it allows nothing that fits (a name, a word of
    another language), after the most letters that fit, still with a hyphen."""
    def w(t: str) -> float:
        return _widest(t, font, size)

    if w(word) <= width:
        return [word]
    dic = _hyphenator(lang)
    pieces, rest = [], word
    while w(rest) > width:
        lead = len(rest) - len(rest.lstrip("\"'(\u201c\u2018[¿¡"))
        core = re.sub(r"\W+$", "", rest[lead:])  # the dictionary knows letters only
        cuts = [lead + c for c in dic.positions(core) if w(rest[:lead + c] + "-") <= width]
        if not cuts:  # else reportlab would break it itself, bare, wherever it overflows
            cuts = [k for k in range(2, len(rest) - 1) if w(rest[:k] + "-") <= width]
        if not cuts:
            break
        pieces.append(rest[:cuts[-1]] + "-")
        rest = rest[cuts[-1]:]
    return [*pieces, rest]


def _break_token(token: str, style: ParagraphStyle, width: float, lang: str | None) -> str:
    """A word of markup, broken as its text (an entity such as &amp; is one character)."""
    pieces = break_word(html.unescape(token), style.fontName, style.fontSize, width, lang)
    return token if len(pieces) == 1 else " ".join(escape(p) for p in pieces)


def break_long_words(markup: str, style: ParagraphStyle, width: float,
                     lang: str | None = None) -> str:
    """Paragraph markup whose words wider than `width` (the column's room for text) are
    broken at syllables with hyphens (`break_word`); tags are left as they are."""
    parts = re.split(r"(<[^>]*>)", markup)
    for i, part in enumerate(parts):
        if part.startswith("<"):
            continue
        parts[i] = re.sub(r"[^\s/]+", lambda m: _break_token(m.group(), style, width, lang),
                          part)
    return "".join(parts)


# --- text ------------------------------------------------------------------------


def runs_markup(runs: tuple[Run, ...]) -> str:
    """Reportlab paragraph markup for runs; the author's text is always escaped."""
    return runs_tagged(runs, escape, "b", "i")


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
