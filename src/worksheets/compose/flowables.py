"""The custom flowables: kept blocks that report overflow, answer areas, numbered text,
organizer cells, bookmarks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
)
from reportlab.platypus.doctemplate import _FrameBreak

from ..errors import Location, Problem
from ..fonts import SANS
from ..ink import INK, RULE
from ..tagging import TAG_ATTR, Elem, TaggedTable, anchor, artifact, content, tag

# --- flowables ---------------------------------------------------------------------

LAYOUT_WARNINGS: ContextVar[list[Problem] | None] = ContextVar("layout_warnings", default=None)


@contextmanager
def collect_layout_warnings() -> Iterator[list[Problem]]:
    """Collect the layout trouble found while rendering inside this block."""
    sink: list[Problem] = []
    token = LAYOUT_WARNINGS.set(sink)
    try:
        yield sink
    finally:
        LAYOUT_WARNINGS.reset(token)


class Keep(KeepTogether):  # type: ignore[misc]
    """Keeps its content on one page, and says so when that cannot be done.

    Content taller than a whole page is split by reportlab; the author hears
    about it, with the place in their file and the page.
    """

    def __init__(self, content: list[Flowable], origin: Location | None = None,
                 what: str = "", page_height: float = 0.0, flow_above: float = 0.0) -> None:
        super().__init__(content)
        self.origin, self.what, self.page_height = origin, what, page_height
        self.flow_above = flow_above

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Kept whole, unless moving it would leave more than `flow_above` of the page
        blank: then its content flows on (an answer area splits at a ruled line, keeping
        at least two lines with its question)."""
        parts: list[Flowable] = super().split(avail_width, avail_height)
        if (self.flow_above and parts and isinstance(parts[0], _FrameBreak)
                and avail_height >= self.flow_above and self._H0 <= avail_height):
            return parts[1:]
        return parts

    def wrap(self, avail_width: float, avail_height: float) -> Any:
        result = super().wrap(avail_width, avail_height)
        sink = LAYOUT_WARNINGS.get()
        if sink is not None and self.origin and self.page_height and self._H > self.page_height:
            page = self.canv.getPageNumber() if getattr(self, "canv", None) else 0
            sink.append(Problem(self.origin, f"{self.what} is taller than a page and is split "
                                f"across pages (page {page})", "shorten it or give it fewer "
                                "answer lines", "warning"))
            self.page_height = 0.0  # once
        return result


class NeedRoom(CondPageBreak):  # type: ignore[misc]
    """A conditional page break whose height is measured at layout time: `measure(width)`.

    Where reportlab's keepWithNext would move a whole long paragraph (or a whole box) to
    the next page, this needs only the room of what must not be left alone at a page's
    foot: see `room_with_next` and the vocabulary box.
    """

    def __init__(self, measure: Callable[[float, Any], float]) -> None:
        super().__init__(0.0)
        self.measure = measure

    def wrap(self, avail_width: float, avail_height: float) -> Any:
        self.height = self.measure(avail_width, getattr(self, "canv", None))
        return super().wrap(avail_width, avail_height)

    def __repr__(self) -> str:
        return f"NeedRoom({self.height})"


def _outer_height(f: Flowable, width: float, canv: Any) -> float:
    h = f.wrapOn(canv, width, 1e9)[1]
    if isinstance(f, KeepTogether):  # its wrap reports an endless height
        h = f._H
    return float(h + f.getSpaceBefore() + f.getSpaceAfter())


def room_with_next(short: list[Flowable], nxt: Flowable | None, lines: int = 3) -> NeedRoom:
    """A keep-with-next that lets the next paragraph split: a break unless there is room
    for `short` (a heading, a salutation, a dateline) and the first `lines` lines of `nxt`
    (all of it when it is shorter, or is not a paragraph)."""

    def measure(width: float, canv: Any) -> float:
        need = sum(_outer_height(f, width, canv) for f in short)
        if nxt is not None:
            h = float(nxt.wrapOn(canv, width, 1e9)[1])
            if isinstance(nxt, KeepTogether):  # its wrap reports an endless height
                h = float(nxt._H)
            if isinstance(nxt, Keep) and nxt.flow_above:  # it flows on below that
                h = min(h, nxt.flow_above)
            if isinstance(nxt, Paragraph):
                h = min(h, lines * nxt.style.leading)
            least = getattr(nxt, "least_height", None)  # a picture that may print smaller
            if least is not None:
                h = min(h, least(width))
            need += h + nxt.getSpaceBefore()
        return need + 1.0  # rounding: a line that just fits

    return NeedRoom(measure)


def fit_paragraphs(paras: list[Paragraph], width: float, height: float) -> tuple[list[Paragraph],
                                                                        list[Paragraph]]:
    """The paragraphs that fit in `height`, and the rest (splitting one paragraph if need be)."""
    first: list[Paragraph] = []
    used = 0.0
    for i, p in enumerate(paras):
        h = p.wrap(width, height)[1]
        if used + h <= height:
            first.append(p)
            used += h
            continue
        parts = p.split(width, height - used)
        if len(parts) == 2:
            for part in parts:  # both halves are the one paragraph's content
                setattr(part, TAG_ATTR, getattr(p, TAG_ATTR, None))
            return [*first, parts[0]], [parts[1], *paras[i + 1:]]
        return first, list(paras[i:])
    return first, []


class AnswerArea(Flowable):  # type: ignore[misc]
    """Ruled lines to write on; in the key, the answer is written over them.

    Its height is the larger of the lines and the key's answer, in both
    editions, so the student edition and the key paginate alike. An area
    taller than the space left splits at a ruled line.

    Tagged: the label is `label_elem`'s content; the area is `elem`, an element with
    a text alternative ("answer space, 4 lines") in the student edition, the parent of
    the answer's paragraphs in the key; the rules are artifacts.
    """

    tags_itself = True

    def __init__(self, lines: int, spacing: float, answer: list[Paragraph], show: bool,
                 label: str | None = None, label_style: ParagraphStyle | None = None,
                 elem: Elem | None = None, label_elem: Elem | None = None) -> None:
        super().__init__()
        self.lines, self.spacing, self.answer, self.show = lines, spacing, answer, show
        self.elem, self.label_elem = elem, label_elem
        self.label_style = label_style
        # the label is paragraph markup (escaped by the caller)
        self.label = Paragraph(label, label_style) if label and label_style else None
        self._heights: list[float] = []

    def _label_height(self, avail_width: float) -> float:
        return self.label.wrap(avail_width, 1e9)[1] if self.label is not None else 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._heights = [p.wrap(avail_width - 12, avail_height)[1] for p in self.answer]
        need = sum(self._heights) + self.spacing * 0.4 if self.answer else 0.0
        self.height = max(self.lines * self.spacing, need) + self._label_height(avail_width)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self._label_height(avail_width)
        n = int(room // self.spacing)
        if n < min(2, self.lines):  # at least two lines stay with the question
            return []
        room = n * self.spacing - self.spacing * 0.4
        first, rest = fit_paragraphs(self.answer, avail_width - 12, room)
        head = AnswerArea(n, self.spacing, first, self.show, None, self.label_style,
                          self.elem, self.label_elem)
        head.label = self.label
        tail = AnswerArea(max(self.lines - n, 1), self.spacing, rest, self.show, elem=self.elem)
        return [head, tail]

    def draw(self) -> None:
        c = self.canv
        top = self.height
        if self.label is not None:
            lh = self.label.height
            with content(c, self.label_elem):
                self.label.drawOn(c, 0, top - lh)
            top -= lh
        if self.show and self.answer:
            y = top - 3
            for p, h in zip(self.answer, self._heights, strict=True):
                with content(c, getattr(p, TAG_ATTR, None) or self.elem):
                    p.drawOn(c, 8, y - h)
                y -= h
            top = y - 2  # the key's rules continue below its answer
        elif not self.show:
            anchor(c, self.elem)  # where the answer goes, for a listener
        with artifact(c, "Layout"):
            self._rules(top)

    def _rules(self, top: float) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        n = int(top // self.spacing + 1e-6)
        for i in range(1, n + 1):
            y = top - i * self.spacing
            c.line(0, y, self.width, y)
        if n == 0:  # a key answer fills the area: still close it with a rule
            c.line(0, 0, self.width, 0)


class NumberedParagraph(Paragraph):  # type: ignore[misc]
    """A document paragraph that prints its line numbers (every fifth) in the left margin.

    `first_line` is the document's line number of its first line; a split
    across pages hands the count on to the second part. A paragraph that is not
    `numbered` (a document's header lines) prints no numbers and counts no lines.
    """

    first_line = 1
    numbered = True
    role = "text"  # the role of its block (see markup.ROLES), for its structure element
    every = 5
    number_size = 0.0  # 0: 70% of the text size, at most 8 pt
    tags_itself = True  # the text is its element's content, the numbers artifacts

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        if len(parts) == 2:
            # reportlab hands the hard break that ended the first part's last line on to
            # the second part, which would start with an empty line: one printed line
            # more than the paragraph has, numbered, and the count off from there on
            frags = parts[1].frags
            if frags and _is_break(frags[0]):
                parts[1].frags = frags[1:]
            parts[0].first_line = self.first_line
            parts[1].first_line = self.first_line + len(parts[0].blPara.lines)
            for part in parts:
                part.number_size, part.numbered, part.role = (self.number_size, self.numbered,
                                                              self.role)
        return parts

    def draw(self) -> None:
        c = self.canv
        with content(c, getattr(self, TAG_ATTR, None)):
            super().draw()
        with artifact(c, "Layout"):
            self._numbers()

    def _numbers(self) -> None:
        if not self.numbered:
            return
        st = self.style
        c = self.canv
        c.saveState()
        c.setFont(SANS, self.number_size or min(8.0, st.fontSize * 0.7))
        c.setFillColor(INK)
        for i in range(len(self.blPara.lines)):
            n = self.first_line + i
            if n % self.every == 0:
                c.drawRightString(-7, self.height - st.fontSize - i * st.leading, str(n))
        c.restoreState()


def _is_break(frag: Any) -> bool:
    """Whether a paragraph fragment (a ParaFrag, or a split's [width, (frag, text)]) is a
    bare hard line break."""
    if isinstance(frag, list):
        return len(frag) == 2 and _is_break(frag[1][0]) and not frag[1][1]
    return bool(getattr(frag, "lineBreak", False)) and not getattr(frag, "text", "")


def line_texts(p: Paragraph, width: float) -> list[str]:
    """The text of each line of a paragraph wrapped at `width`."""
    p.wrap(width, 1e9)
    out = []
    for line in p.blPara.lines:
        if isinstance(line, tuple):  # simple paragraphs: (space left, words)
            out.append(" ".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") for w in line.words))
    return out


class Cell(Flowable):  # type: ignore[misc]
    """An organizer cell: empty (or partly filled) for students, the answer in the key.

    As tall as the key's answer in both editions; splits when a row is taller than a page.
    """

    def __init__(self, min_height: float, answer: list[Paragraph], given: list[Paragraph],
                 show: bool) -> None:
        super().__init__()
        self.min_height, self.answer, self.given, self.show = min_height, answer, given, show
        self._wrapped_width: float | None = None

    @staticmethod
    def _h(paras: list[Paragraph], width: float) -> float:
        return float(sum(p.wrap(width, 1e9)[1] for p in paras))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = self._wrapped_width = avail_width
        self.height = max(self.min_height, self._h(self.answer, avail_width),
                          self._h(self.given, avail_width))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if avail_height < 24:
            return []
        # A table splitting a row passes the column's width, padding included; the cell
        # is drawn at the width it was wrapped to, so the text must be fitted at that one.
        if self._wrapped_width is not None:
            avail_width = min(avail_width, self._wrapped_width)
        a1, a2 = fit_paragraphs(self.answer, avail_width, avail_height)
        g1, g2 = fit_paragraphs(self.given, avail_width, avail_height)
        rest = max(self.min_height - avail_height, 0.0)
        return [Cell(avail_height, a1, g1, self.show), Cell(rest, a2, g2, self.show)]

    def draw(self) -> None:
        y = self.height
        for p in self.answer if self.show else self.given:
            y -= p.height
            p.drawOn(self.canv, 0, y)


class Choices(Flowable):  # type: ignore[misc]
    """Options to circle set well apart on one line ("Circle one:   TRUE      FALSE"),
    wrapping when they do not fit; in the key the right one is ringed in place.

    Each item is a paragraph (an option may be two lines: its English over its
    Spanish); their tops align, so first lines share a baseline. Tagged: every item
    is `elem`'s content, the ring an artifact (the key also says the answer in text).
    """

    tags_itself = True

    def __init__(self, label: Paragraph | None, options: list[Paragraph], gap: float,
                 ring: int | None = None, elem: Elem | None = None, indent: float = 0.0) -> None:
        super().__init__()
        self.label, self.options, self.gap, self.ring = label, options, gap, ring
        self.elem, self.indent = elem, indent
        self._places: list[tuple[Paragraph, float, float, float]] = []  # item, x, y-top, width

    @staticmethod
    def _width(p: Paragraph, avail: float) -> float:
        p.wrap(avail, 1e9)
        return float(max(p.getActualLineWidths0() or [0.0]))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        items = ([self.label] if self.label is not None else []) + self.options
        x, top, row_h = self.indent, 0.0, 0.0
        places = []
        for k, p in enumerate(items):
            w = min(self._width(p, avail_width - self.indent), avail_width - self.indent)
            if k and x + w > avail_width:  # the next line
                x, top, row_h = self.indent, top + row_h, 0.0
            h = p.wrap(w + 1, 1e9)[1]
            places.append((p, x, top, w))
            row_h = max(row_h, h)
            x += w + self.gap
        self._places = places
        self.width, self.height = avail_width, top + row_h + 2
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        with content(c, self.elem):
            for p, x, top, _ in self._places:
                p.drawOn(c, x, self.height - top - p.height)
        if self.ring is None:
            return
        first = 1 if self.label is not None else 0
        p, x, top, w = self._places[first + self.ring]
        size = p.style.fontSize
        y0 = self.height - top - p.height - size * 0.15
        y1 = self.height - top + size * 0.05
        with artifact(c, "Layout"):
            c.saveState()
            c.setStrokeColor(INK)
            c.setLineWidth(1.2)
            c.ellipse(x - size * 0.45, y0, x + w + size * 0.45, y1, stroke=1, fill=0)
            c.restoreState()


class BalancedTable(TaggedTable):
    """A table that splits between whole rows and balances its pages: no page after a
    split holds a single row when the page before can give it one (a 5+1 split becomes
    4+2). Rows split inside only when the table was made with splitInRow (a row
    taller than a page)."""

    page_height = 0.0  # the frame's height, for tables whose rows may split inside

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        if self.splitInRow:
            return self._split_tall(avail_width, avail_height)
        self.wrap(avail_width, avail_height)
        heights = list(self._rowHeights)
        head = self._head_rows()
        used, k = sum(heights[:head]), 0
        for h in heights[head:]:
            if used + h > avail_height:
                break
            used, k = used + h, k + 1
        left = len(heights) - head - k
        if k == 0 or left == 0:
            return super().split(avail_width, avail_height)
        if left == 1 and k >= 3:  # do not leave one row alone on the next page
            k -= 1
        return super().split(avail_width,
                             sum(heights[:head + k]) + 0.01)

    def _head_rows(self) -> int:
        """How many rows head this part: those repeated, or the table's own header row."""
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        return max(head, 1 if len(self._pdfua_rowmap) and self._pdfua_rowmap[0] == 0 else 0)

    def _split_tall(self, avail_width: float, avail_height: float) -> list[Any]:
        """Rows taller than a third of a page: whole rows where they leave less than a
        quarter of the page blank, else the next row split inside to fill the page.

        Never as reportlab does: a split between rows, then the rest set under its
        repeated header in the space left on the same page.
        """
        self._calc(avail_width, avail_height)
        between = self._splitRows(avail_height, doInRowSplit=0)
        page = self.page_height or avail_height
        n = len(between[0]._cellvalues) if len(between) == 2 else self._head_rows()
        rest = avail_height - sum(self._rowHeights[:n])
        # the next row splits inside only where its prompt (first cell) stands whole above
        # the cut, with room to write beside it; not on a page the table starts fresh on
        short = n < len(self._cellvalues) and rest < self._prompt_height(n) + 24 \
            and avail_height < 0.9 * page
        if len(between) == 2 and (rest < 0.25 * page or short):
            return [between[0], _FrameBreak("frameEnd"), between[1]]
        if short:
            return []
        inside: list[Any] = self._splitRows(avail_height, doInRowSplit=1)
        return inside or super().split(avail_width, avail_height)

    def _prompt_height(self, row: int) -> float:
        """The height of a row's first cell (its prompt), padding included."""
        cell = self._cellvalues[row][0]
        parts = cell if isinstance(cell, (list, tuple)) else [cell]  # reportlab wraps cells
        return sum(float(f.wrap(self._colWidths[0] - 12, 1e9)[1]) for f in parts
                   if isinstance(f, Flowable)) + 10


class Bookmark(Flowable):  # type: ignore[misc]
    """An outline entry for the page where it lands."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=0)


def figure(flowable: Flowable, parent: Elem, alt: str | None) -> Flowable:
    """A non-text flowable (an image, a drawing) as a Figure read as its text alternative.

    An image document's picture is one (`compose.images`); the loader and
    `checks.alt_problems` refuse a lesson whose non-text element has no alt, and the
    tagger refuses a Figure without one.
    A decorative drawing needs no element: leave it untagged and it is an artifact.
    """
    return tag(flowable, parent.add("Figure", alt=alt))
