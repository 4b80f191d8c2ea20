"""Helpers flowables call while they draw: content, artifacts, anchors, Spanish spans,
and a text object that ends each wrapped line with a space."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from reportlab.pdfgen.textobject import PDFTextObject

from .elements import CANVAS_ATTR, Elem
from .tagger import Tagger, pdf_text


def tagger_of(canvas: Any) -> Tagger | None:
    """The tagger attached to a canvas, if any."""
    return cast(Tagger | None, getattr(canvas, CANVAS_ATTR, None))


@contextmanager
def content(canvas: Any, elem: Elem | None) -> Iterator[None]:
    """Drawing inside this block is `elem`'s content (no-op untagged or for None)."""
    t = tagger_of(canvas)
    if t is None or elem is None:
        yield
        return
    t.begin(canvas, elem)
    try:
        yield
    finally:
        t.end(canvas)


@contextmanager
def artifact(canvas: Any, kind: str | None = None) -> Iterator[None]:
    """Drawing inside this block is decoration (no-op on an untagged canvas)."""
    t = tagger_of(canvas)
    if t is None:
        yield
        return
    t.begin_artifact(canvas, kind)
    try:
        yield
    finally:
        t.end(canvas)


def anchor(canvas: Any, elem: Elem | None) -> None:
    """Tie a content-less element (an answer space with /Alt) to the current page."""
    t = tagger_of(canvas)
    if t is not None and elem is not None:
        t.anchor(canvas, elem)






def figure_box(canvas: Any, elem: Elem | None, bbox: tuple[float, float, float, float]) -> None:
    """Record where a figure is drawn on the page (its /BBox); no-op untagged."""
    t = tagger_of(canvas)
    if t is not None and elem is not None:
        t.box(elem, bbox)


LANG_CALLBACK = "pdfua_lang"  # a canvas attribute: `lang_callback`


def lang_span(markup: str, lang: str) -> str:
    """Paragraph markup whose text is marked as being in `lang` (inside its paragraph's
    own element: `/Span <</Lang (es)>> BDC ... EMC` in the text object). The canvas
    needs `LANG_CALLBACK` set to `lang_callback`."""
    return (f'<onDraw name="{LANG_CALLBACK}" label="{lang}"/>{markup}'
            f'<onDraw name="{LANG_CALLBACK}" label="-"/>')


def lang_callback(canvas: Any, kind: str, label: str | None) -> None:
    """Reportlab's onDraw callback for `lang_span`: opens or closes the language span
    in the text object being drawn (so it nests inside the text object and inside the
    paragraph's own marked-content sequence)."""
    if tagger_of(canvas) is None:
        return
    tx = canvas._curr_tx_info["tx"]
    depth = getattr(tx, "_pdfua_spans", 0)
    if label and label != "-":
        tx._code.append(f"/Span <</Lang {pdf_text(label).decode()}>> BDC")
        tx._pdfua_spans = depth + 1
    elif depth:  # (a paragraph split inside a span starts its second part without it)
        tx._code.append("EMC")
        tx._pdfua_spans = depth - 1


class LineEndText(PDFTextObject):  # type: ignore[misc]
    """A text object that ends each wrapped line with a space glyph.

    Reportlab draws no space where a paragraph wraps, so text extraction and the
    structure's text join the last word of a line to the first of the next
    ("wherethe"). The space is invisible and, drawn after the line, moves nothing.
    Use it from a canvas's `beginText`.
    """

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 - reportlab's
        if TStar and not text[-1:].isspace():
            text += " "
        super()._textOut(text, TStar)

    def getCode(self) -> str:  # noqa: N802 - reportlab's name
        """The text object's code, closing a language span a page break left open."""
        self._code.extend(["EMC"] * getattr(self, "_pdfua_spans", 0))
        self._pdfua_spans = 0
        code: str = super().getCode()
        return code
