"""Measuring text and pages: footer room, fitting a line, the footer checks. Fonts only."""

from __future__ import annotations

import math

from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import SANS, register_fonts
from .markup import printable


def footer_room(across: float, pages: int, size: float = 8.0) -> float:
    """The width left for the footer's title beside the widest "Page x of y"."""
    return float(across - stringWidth(f"Page {pages} of {pages}", SANS, size) - 12)


def fit_line(text: str, font: str, size: float, room: float,
             smallest: float) -> tuple[str, float]:
    """`text` and a size for it to fit `room` points on one line.

    The size shrinks (in tenths of a point) down to `smallest`; below that the text is
    cut at a word, or else a letter, and ends with an ellipsis.
    """
    text = printable(text)
    width = stringWidth(text, font, size)
    if width <= room:
        return text, size
    fitted = max(smallest, math.floor(size * room / width * 10) / 10)  # width ~ size
    if stringWidth(text, font, fitted) <= room:
        return text, fitted
    # the longest start of the text that fits with its ellipsis
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid].rstrip() + "\u2026", font, smallest) <= room:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 2 // 3 and not text[lo : lo + 1].isspace():  # a word, if not too much
        cut = cut[:space]
    return cut.rstrip(" ,;:·-") + "\u2026", smallest


# The page footer (render._decorate) sets the title at 8 pt beside "Page x of y" and the
# attribution at 6.5 pt (at most 180 characters), each on one line of the text width
# of the shipped layouts (6.9 in on Letter and A4).
FOOTER_WIDTH = 496.8
FOOTER_MAX_CHARS = 180


def footer_fit(text: str, what: str) -> int | None:
    """None if `text` fits its line of the page footer, else about how many characters do."""
    register_fonts()
    if what == "title":
        size, room = 8.0, footer_room(FOOTER_WIDTH, 999)
    else:
        size, room = 6.5, FOOTER_WIDTH
    width = stringWidth(text, SANS, size)
    if width <= room and len(text) <= FOOTER_MAX_CHARS:
        return None
    return max(1, min(int(len(text) * room / width), FOOTER_MAX_CHARS))
