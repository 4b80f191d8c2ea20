"""Evidence citations as the key prints them: "Doc C, lines 19–20", by the line numbers
printed in a layout ("Doc A, header" for a document's uncounted header lines)."""


from __future__ import annotations

from ..markup import UNCOUNTED, normalize_quote, plain, plain_text
from ..model import Evidence
from ..select import Worksheet


def line_range(lines: list[str], quote: str) -> tuple[int, int] | None:
    """The first and last (1-based) line numbers a quoted phrase spans, if it is there."""
    starts, joined = [], ""
    for t in lines:
        starts.append(len(joined))
        joined += normalize_quote(t) + " "
    q = normalize_quote(quote)
    i = joined.find(q)
    if i < 0:
        return None
    first = max(k for k, st in enumerate(starts) if st <= i)
    last = max(k for k, st in enumerate(starts) if st <= i + len(q) - 1)
    return first + 1, last + 1


def cite(ws: Worksheet, e: Evidence, lines: dict[str, list[str]]) -> str:
    """"Doc C, lines 14-16" for a quote, by the line numbers printed in this layout;
    "Doc A, header" for one in a document's uncounted header lines."""
    label = plain_text(ws.lesson.document(e.doc).label).replace("Document ", "Doc ")
    span = line_range(lines.get(e.doc, []), e.quote)
    if span is None:
        header = " ".join(plain(b.runs) for sec in ws.sections if sec.document.id == e.doc
                          for b in sec.blocks if b.role in UNCOUNTED)
        q = normalize_quote(e.quote)
        return f"{label}, header" if q and q in normalize_quote(header) else label
    a, b = span
    return f"{label}, line {a}" if a == b else f"{label}, lines {a}\u2013{b}"
