"""The custom flowables: kept blocks that report overflow, answer areas, numbered text,
organizer cells, bookmarks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
)

from ..errors import Location, Problem
from ..fonts import SANS
from ..ink import INK, RULE
from ..tagging import TAG_ATTR, Elem, anchor, artifact, content, tag

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
                 what: str = "", page_height: float = 0.0) -> None:
        super().__init__(content)
        self.origin, self.what, self.page_height = origin, what, page_height

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
        if n < 1:
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

    Where images will enter the worksheet; `checks.alt_problems` refuses a lesson
    whose non-text element has no alt, and the tagger refuses a Figure without one.
    A decorative drawing needs no element: leave it untagged and it is an artifact.
    """
    return tag(flowable, parent.add("Figure", alt=alt))
