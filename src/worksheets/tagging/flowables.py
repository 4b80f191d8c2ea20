"""Tagged reportlab flowables: a frame that wraps each flowable in its element, and tables
with TR/TH/TD (header scopes) whose rules and shading are artifacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from reportlab.platypus import Frame, Table

from .canvas import artifact, content, tagger_of
from .elements import TAG_ATTR, Elem
from .tagger import Tagger

# --- flowables ----------------------------------------------------------------------------


class TaggedFrame(Frame):  # type: ignore[misc]
    """A Frame that marks each top-level flowable as its element's content.

    A flowable tagged with `tag()` is drawn inside its element's sequence; one whose
    class sets `tags_itself = True` marks its own drawing; an untagged flowable that
    draws anything is an artifact. A split hands the element on to both parts.
    """

    def add(self, flowable: Any, canv: Any, trySplit: int = 0) -> Any:  # noqa: N803
        """Draw the flowable inside its marked-content sequence."""
        if tagger_of(canv) is None or getattr(flowable, "tags_itself", False):
            return self._add(flowable, canv, trySplit)
        elem = getattr(flowable, TAG_ATTR, None)
        if elem is None:
            with artifact(canv, "Layout"):
                return self._add(flowable, canv, trySplit)
        with content(canv, elem):
            return self._add(flowable, canv, trySplit)

    def split(self, flowable: Any, canv: Any) -> Any:
        """Split, handing the element on to the parts."""
        parts = super().split(flowable, canv)
        elem = getattr(flowable, TAG_ATTR, None)
        if elem is not None:
            for p in parts:
                if getattr(p, TAG_ATTR, None) is None:
                    setattr(p, TAG_ATTR, elem)
        return parts


@dataclass
class _TableTags:
    table: Elem | None
    cells: list[list[Elem | None]]


class _TableCB:
    """reportlab's Table render callback: cells tagged, background and rules artifacts."""

    def __call__(self, t: Any, cmd: str, *args: Any) -> None:
        canv = t.canv
        if tagger_of(canv) is None:
            return
        tags: _TableTags | None = getattr(t, "_pdfua_tags", None)
        if cmd in ("startBG", "startLines"):
            cast(Tagger, tagger_of(canv)).begin_artifact(canv, "Layout")
        elif cmd in ("endBG", "endLines"):
            cast(Tagger, tagger_of(canv)).end(canv)
        elif cmd == "startCell":
            row, col = args[0], args[1]
            rowmap: list[int | None] = t._pdfua_rowmap
            orig = rowmap[row] if row < len(rowmap) else None
            tg = cast(Tagger, tagger_of(canv))
            cell = None if orig is None or tags is None else tags.cells[orig][col]
            if cell is None:  # a header row repeated on a new page, or a spanned cell
                tg.begin_artifact(canv, "Pagination" if orig is None else "Layout")
            else:
                tg.begin(canv, cell)
        elif cmd == "endCell":
            cast(Tagger, tagger_of(canv)).end(canv)


class TaggedTable(Table):  # type: ignore[misc]
    """A Table tagged as Table > TR > TH/TD; repeated header rows become artifacts.

    `elem` is the Table element; the first `header_rows` rows are TH with Scope Column,
    the first `header_cols` columns of the other rows TH with Scope Row.
    """

    tags_itself: ClassVar[bool] = True

    def __init__(self, data: Sequence[Sequence[Any]], *args: Any, elem: Elem | None = None,
                 header_rows: int = 1, header_cols: int = 0,
                 cells: Sequence[Sequence[Elem | None]] | None = None,
                 colspans: dict[tuple[int, int], int] | None = None,
                 langs: dict[int, str] | None = None, **kwargs: Any) -> None:
        """`cells` gives each cell's element instead (a layout table: no Table element);
        `colspans` maps (row, column) to the columns a cell spans (the cells it covers get
        no element); `langs` maps a column to the language of its data cells."""
        kwargs["renderCB"] = kwargs.get("renderCB") or _TableCB()
        super().__init__(data, *args, **kwargs)
        self._pdfua_rowmap: list[int | None] = list(range(len(data)))
        self._pdfua_tags: _TableTags | None = None
        if cells is not None:
            self._pdfua_tags = _TableTags(None, [list(r) for r in cells])
        elif elem is not None:
            spans = colspans or {}
            grid: list[list[Elem | None]] = []
            for r, row in enumerate(data):
                tr = elem.add("TR")
                out: list[Elem | None] = []
                covered = 0
                for c in range(len(row)):
                    if covered:
                        covered -= 1
                        out.append(None)
                        continue
                    span = spans.get((r, c), 1)
                    covered = span - 1
                    if r < header_rows:
                        out.append(tr.add("TH", scope="Column", colspan=span))
                    elif c < header_cols:
                        out.append(tr.add("TH", scope="Row", colspan=span))
                    else:
                        out.append(tr.add("TD", colspan=span, lang=(langs or {}).get(c)))
                grid.append(out)
            self._pdfua_tags = _TableTags(elem, grid)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        """Split, mapping each part's rows to the original rows (None: repeated header)."""
        parts: list[Any] = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            first._pdfua_rowmap = self._pdfua_rowmap[:len(first._cellvalues)]
            rr = rest.repeatRows if isinstance(rest.repeatRows, int) else len(rest.repeatRows)
            tail = len(rest._cellvalues) - rr
            rest._pdfua_rowmap = [None] * rr + self._pdfua_rowmap[len(self._pdfua_rowmap)
                                                                  - tail:]
        for p in parts:
            p._pdfua_tags = self._pdfua_tags
        return parts

    def _restoreRoundingObscuredLines(self) -> None:  # noqa: N802 - reportlab's name
        with artifact(self.canv, "Layout"):
            super()._restoreRoundingObscuredLines()
