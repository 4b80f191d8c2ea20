"""Render stage: flowables -> PDF bytes, with embedded fonts and no clock in the output.

The only module that builds a doc template and draws page furniture.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from . import __version__
from .fonts import SANS, register_fonts
from .errors import WorksheetError
from .layout import Layout

@dataclass(frozen=True)
class PageDecor:
    """What every page carries besides the flowables."""

    footer_left: str
    footer_right: str = ""
    banner: str = ""  # e.g. "Teacher Key", printed at the top of every page
    stamp: str = ""  # e.g. a student's name, printed top right


@dataclass(frozen=True)
class Meta:
    """PDF document information."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ()


def render(flowables: list[Flowable], layout: Layout, meta: Meta, decor: PageDecor) -> bytes:
    """Lay out the flowables on the layout's pages and return the PDF."""
    register_fonts()
    buf = io.BytesIO()
    w, h = layout.page_size
    doc = BaseDocTemplate(
        buf,
        pagesize=(w, h),
        leftMargin=layout.margin_left,
        rightMargin=layout.margin_right,
        topMargin=layout.margin_top,
        bottomMargin=layout.margin_bottom,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=list(meta.keywords),
        creator=f"worksheets {__version__}",
        invariant=1,
        initialFontName=SANS,
        initialFontSize=10,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                       onPage=lambda c, d: _banner(c, layout, decor))])
    try:
        doc.build(flowables, canvasmaker=_canvas_class(layout, decor))
    except LayoutError as e:
        raise WorksheetError(f"content does not fit on a page: {e}") from None
    return buf.getvalue()


def _canvas_class(layout: Layout, decor: PageDecor) -> Callable[..., Canvas]:
    class _PagedCanvas(Canvas):  # type: ignore[misc]
        """Holds pages back until the end so each footer can say "Page x of y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                _decorate(self, layout, decor, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return _PagedCanvas


def _banner(c: Canvas, layout: Layout, decor: PageDecor) -> None:
    """The page's top line, drawn first so it also comes first in the text."""
    if not (decor.banner or decor.stamp):
        return
    w, h = layout.page_size
    y = h - layout.margin_top + 14
    c.saveState()
    c.setFillColor(colors.black)
    if decor.banner:
        c.setFont(SANS + "-Bold", 10)
        c.drawString(layout.margin_left, y, decor.banner)
    if decor.stamp:
        c.setFont(SANS, 9)
        c.drawRightString(w - layout.margin_right, y, decor.stamp)
    c.restoreState()


def _decorate(c: Canvas, layout: Layout, decor: PageDecor, total: int) -> None:
    """The footer, drawn when the page count is known."""
    w, h = layout.page_size
    left, right = layout.margin_left, w - layout.margin_right
    n = c.getPageNumber()
    c.saveState()
    c.setFillColor(colors.black)
    if layout.footer:
        y = layout.margin_bottom - 24
        c.setStrokeColor(colors.Color(0.45, 0.45, 0.45))
        c.setLineWidth(0.5)
        c.line(left, y + 11, right, y + 11)
        c.setFont(SANS, 8)
        c.drawString(left, y, decor.footer_left)
        c.drawRightString(right, y, f"Page {n} of {total}")
        if decor.footer_right:
            c.setFont(SANS, 6.5)
            c.drawString(left, y - 10, decor.footer_right[:180])
    c.restoreState()
