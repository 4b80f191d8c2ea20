"""Render stage: flowables -> PDF bytes, with embedded fonts and no clock in the output.

The only module that builds a doc template and draws page furniture.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import pdfdocEnc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)
from reportlab.platypus.doctemplate import LayoutError

from .errors import WorksheetError
from .fonts import SANS, register_fonts
from .ink import INK, RULE
from .load.layout import Layout
from .measure import fit_line, footer_room
from .tagging import (
    LANG_CALLBACK,
    Elem,
    LineEndText,
    StructTemplate,
    TaggedFrame,
    Tagger,
    artifact,
    lang_callback,
)
from .version import __version__

# Roles of our own, mapped to standard ones for assistive technology.
ROLE_MAP = {"AnswerArea": "Figure"}


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
    lang: str = "en-US"  # the document's language (catalog /Lang, XMP dc:language)


@dataclass(frozen=True)
class Part:
    """One document of a multi-part render: its flowables, page layout and furniture."""

    flowables: list[Flowable]
    layout: Layout
    decor: PageDecor
    # the structure elements of the flowables (a Document), built as they were composed
    tree: Elem = field(default_factory=lambda: Elem("Document"))


def render_parts(parts: Sequence[Part], meta: Meta,
                 structure: list[StructTemplate | None] | None = None,
                 ) -> tuple[bytes, list[range]]:
    """Lay out several documents in one PDF so they share one subset of each font.

    Each part starts on a new page with its own layout and decor, and its footer
    counts its own pages ("Page 2 of 10"). Returns the PDF and each part's
    0-based page range. Streams are Flate only (no ASCII85), to keep packets small.

    The PDF is tagged (PDF/UA-1): each part's structure tree becomes a `Part` of one
    Document (a single part is the Document); page furniture is an artifact.
    `structure`, if given, receives each part's structure (None for a part with no
    content) for packets made of copies of its pages; the PDF is then only for
    copying from: its pages are marked but it has no structure tree of its own.
    """
    register_fonts()
    buf = io.BytesIO()
    first = parts[0].layout
    doc = BaseDocTemplate(
        buf, pagesize=first.page_size, title=meta.title, author=meta.author,
        subject=meta.subject, keywords=list(meta.keywords),
        creator=f"worksheets {__version__}", invariant=1, initialFontName=SANS,
        initialFontSize=10,
    )
    templates, story = [], []
    for i, part in enumerate(parts):
        lay, w_h = part.layout, part.layout.page_size
        frame = TaggedFrame(lay.margin_left, lay.margin_bottom,
                      lay.text_width, lay.frame_height, id=f"body{i}",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=f"part{i}", frames=[frame], pagesize=w_h,
                                      onPage=_part_start(i, part)))
        if i:
            story += [NextPageTemplate(f"part{i}"), PageBreak()]
        story += part.flowables
    doc.addPageTemplates(templates)
    tagger = Tagger(_tree(parts), lang=meta.lang, title=meta.title, role_map=ROLE_MAP,
                    write_tree=structure is None)
    with _flate_only():
        try:
            doc.build(story, canvasmaker=tagger.canvasmaker(_parts_canvas_class(parts)))
        except LayoutError as e:
            raise WorksheetError(_does_not_fit(str(e), parts)) from None
    if structure is not None:
        structure.extend(tagger.templates())
    owner: list[int] = getattr(doc, "_ws_owner", [])
    ranges = []
    for i in range(len(parts)):
        pages = [n for n, o in enumerate(owner) if o == i]
        ranges.append(range(pages[0], pages[-1] + 1) if pages else range(0))
    return buf.getvalue(), ranges


_ELEMENTS = {"Table": "a table (the organizer or the vocabulary box)",
             "Paragraph": "a paragraph", "KeepTogether": "a question with its answer lines",
             "Image": "an image"}


def _does_not_fit(error: str, parts: Sequence[Part]) -> str:
    """reportlab's 'Flowable <Table@0x7f...> too large' as the author can act on it: which
    layout, which element, how tall against the text area, and what to change."""
    m = re.search(r"<(\w+)", error)
    kind = _ELEMENTS.get(m.group(1), "an element") if m else "an element"
    size = re.search(r"\(([\d.]+) x ([\d.]+)\)", error)
    frame = re.search(r"frame 'body(\d+)'", error)
    lay = parts[int(frame.group(1))].layout if frame and int(frame.group(1)) < len(
        parts) else parts[0].layout
    tall = f" is {float(size.group(2)) / 72:.1f} in tall," if size else ""
    return (f"layout '{lay.name}': {kind}{tall} and does not fit in the text area "
            f"({lay.text_width / 72:.1f} x {lay.frame_height / 72:.1f} in) (make body_size, "
            "text_size or leading smaller, or answer_line_spacing and cell_line_spacing, or "
            "the margins)")


def render(flowables: list[Flowable], layout: Layout, meta: Meta, decor: PageDecor,
           tree: Elem | None = None) -> bytes:
    """Lay out the flowables on the layout's pages and return the PDF."""
    part = Part(flowables, layout, decor) if tree is None else Part(flowables, layout, decor,
                                                                     tree)
    return render_parts([part], meta)[0]


def _tree(parts: Sequence[Part]) -> Elem:
    """One Document: a single part's own, or each part's as a Part of a new one."""
    if len(parts) == 1:
        return parts[0].tree
    root = Elem("Document")
    for part in parts:
        # the part's elements are shared, not copied: only the writer reads them
        root.kids.append(Elem("Part", root, lang=part.tree.lang, kids=part.tree.kids))
    return root


@contextmanager
def _flate_only() -> Iterator[None]:
    # ASCII85 makes every stream a quarter larger and buys nothing in a binary PDF.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _part_start(i: int, part: Part) -> Callable[[Canvas, BaseDocTemplate], None]:
    def on_page(c: Canvas, doc: BaseDocTemplate) -> None:
        c._ws_part = i  # read back when the held pages are decorated
        owner = getattr(doc, "_ws_owner", None)
        if owner is None:
            owner = doc._ws_owner = []
        owner.append(i)
        with artifact(c, "Pagination"):
            _banner(c, part.layout, part.decor)

    return on_page


def _parts_canvas_class(parts: Sequence[Part]) -> Callable[..., Canvas]:
    class _PartsCanvas(Canvas):  # type: ignore[misc]
        """Holds pages back until the end so each footer can say "Page x of y" (of its part)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self._marks: list[str] = []  # bookmarks on the page being drawn
            self.setNamedCB(LANG_CALLBACK, lang_callback)  # marks bilingual text's Spanish

        def bookmarkPage(self, key: str, **kw: Any) -> None:  # noqa: N802 - reportlab's name
            # The document's pages are made when the held pages are written: a bookmark
            # set now would point at the first page. It is set as its page is written.
            if kw:
                raise TypeError("bookmarks here open their page whole (fit='Fit')")
            self._marks.append(key)

        def beginText(self, x: float = 0, y: float = 0,  # noqa: N802 - reportlab's name
                      direction: Any = None) -> LineEndText:
            # a space at each line's end: words do not run together when read aloud
            return LineEndText(self, x, y, direction=direction)

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def save(self) -> None:
            totals: dict[int, int] = {}
            for state in self._held:
                totals[state["_ws_part"]] = totals.get(state["_ws_part"], 0) + 1
            seen: dict[int, int] = {}
            for state in self._held:
                self.__dict__.update(state)
                i = state["_ws_part"]
                seen[i] = seen.get(i, 0) + 1
                with artifact(self, "Pagination"):
                    _decorate(self, parts[i].layout, parts[i].decor, totals[i], seen[i])
                for key in state["_marks"]:
                    Canvas.bookmarkPage(self, key)
                Canvas.showPage(self)
            Canvas.save(self)

    return _PartsCanvas


class StampCodes(Flowable):  # type: ignore[misc]
    """Draws nothing where it stands. As it is drawn it writes each stamp (a layout and
    the text of `PageDecor.stamp`, as a worksheet page would carry it) with the
    document's fonts, and keeps the drawing operators in `codes`, each in page
    coordinates, for Form XObjects whose resources are the render's fonts: a class
    packet's name stamps come with its cover, with no page each."""

    def __init__(self, stamps: Sequence[tuple[Layout, str]]) -> None:
        super().__init__()
        self.stamps = list(stamps)
        self.codes: list[bytes] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """No room taken."""
        return 0.0, 0.0

    def draw(self) -> None:
        """Each stamp's operators, taken back out of the page."""
        c = self.canv
        self.codes = []
        for layout, text in self.stamps:
            start = len(c._code)
            _banner(c, layout, PageDecor(footer_left="", stamp=text))
            self.codes.append(bytes(pdfdocEnc("\n".join(c._code[start:]))))
            del c._code[start:]


def _banner(c: Canvas, layout: Layout, decor: PageDecor) -> None:
    """The page's top line, drawn first so it also comes first in the text."""
    if not (decor.banner or decor.stamp):
        return
    w, h = layout.page_size
    y = h - layout.margin_top + 14
    floor = layout.footer_min_size
    banner_size = max(10.0, layout.footer_size) if floor else 10.0  # large print: as the footer
    c.saveState()
    c.setFillColor(INK)
    if decor.banner:
        c.setFont(SANS + "-Bold", banner_size)
        c.drawString(layout.margin_left, y, decor.banner)
    if decor.stamp:
        room = layout.text_width
        if decor.banner:
            room -= stringWidth(decor.banner, SANS + "-Bold", banner_size) + 12
        stamp, size = fit_line(decor.stamp, SANS, max(9.0, layout.footer_size) if floor else 9.0,
                               room, floor or 6.5)
        c.setFont(SANS, size)
        c.drawRightString(w - layout.margin_right, y, stamp)
    c.restoreState()


def _decorate(c: Canvas, layout: Layout, decor: PageDecor, total: int,
              number: int | None = None) -> None:
    """The footer, drawn when the page count is known."""
    w, h = layout.page_size
    left, right = layout.margin_left, w - layout.margin_right
    n = c.getPageNumber() if number is None else number
    c.saveState()
    c.setFillColor(INK)
    if layout.footer and layout.footer_min_size:
        _large_footer(c, layout, decor, total, n)
    elif layout.footer:
        y = layout.margin_bottom - 24
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(left, y + 11, right, y + 11)
        # a title too long for a narrow layout is printed smaller, or shortened: never
        # over "Page x of y" (`worksheets check --all` warns)
        title, size = fit_line(decor.footer_left, SANS, 8, footer_room(right - left, total),
                               6.5)
        c.setFont(SANS, size)
        c.drawString(left, y, title)
        c.setFont(SANS, 8)
        c.drawRightString(right, y, f"Page {n} of {total}")
        if decor.footer_right:
            credit, size = fit_line(decor.footer_right, SANS, 6.5, right - left, 5.5)
            c.setFont(SANS, size)
            c.drawString(left, y - 10, credit)
    c.restoreState()


def _large_footer(c: Canvas, layout: Layout, decor: PageDecor, total: int, n: int) -> None:
    """A footer for large print: the title and "Page x of y" at `footer_size` below a
    rule, never shrunk below `footer_min_size` (a title too long is cut). The
    attribution is not here: large print prints it once, after the worksheet."""
    w, _ = layout.page_size
    left, right = layout.margin_left, w - layout.margin_right
    size = max(layout.footer_size, layout.footer_min_size)
    y = layout.margin_bottom - 10 - size
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.line(left, y + size + 2, right, y + size + 2)
    title, fitted = fit_line(decor.footer_left, SANS, size,
                             footer_room(right - left, total, size), size)
    c.setFont(SANS, fitted)
    c.drawString(left, y, title)
    c.drawRightString(right, y, f"Page {n} of {total}")
