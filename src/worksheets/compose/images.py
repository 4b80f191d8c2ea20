"""An image document's picture: scaled to the layout, tagged as a Figure read as its alt."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..load.layout import Layout
from ..model import Picture
from ..tagging import TAG_ATTR, Elem, content, figure_box
from .flowables import figure
from .styles import Styles, runs_markup, tagged

# A picture is printed smaller, down to this share of its size, to fit the page it
# starts on (it is never split, and a blank half page reads worse than a smaller image;
# the dpi warning judges its full size).
MIN_SCALE = 0.5


class PictureFlowable(Flowable):  # type: ignore[misc]
    """A grayscale image, centred in the text block, at its printed size or smaller.

    Where the page has less room left than it and the flowables that must follow it on
    its page (`followers`: its credit, the first lines of its transcript or the source
    caption), it is printed smaller, down to `MIN_SCALE`; with less room than that it
    starts the next page.

    Drawn as its element's content (a Figure with /Alt: see `figure()`), with its place
    on the page as the Figure's /BBox. It must be drawn by the frame itself (not inside a
    table), where `drawOn`'s x and y are page coordinates.
    """

    tags_itself = True

    def __init__(self, png: bytes, width: float, height: float,
                 followers: list[Flowable] | None = None) -> None:
        super().__init__()
        self.png, self.full_w, self.full_h = png, width, height
        self.picture_w, self.picture_h = width, height
        self.followers = followers or []
        self.min_height = height * MIN_SCALE  # what a page must have left to take it
        self._at = (0.0, 0.0)

    def _reserve(self, avail_width: float) -> float:
        """The height of what must stay on its page below it."""
        need = 0.0
        for i, f in enumerate(self.followers):
            h = float(f.wrap(avail_width, 1e9)[1])
            if isinstance(f, Paragraph):
                h = min(h, 2 * f.style.leading)
            need += h + f.getSpaceBefore()
            if i + 1 < len(self.followers):
                need += f.getSpaceAfter()  # the frame takes it before the next one
        return need

    def least_height(self, avail_width: float) -> float:
        """The least room it takes on a page: at its smallest, with its followers."""
        return self.min_height + self._reserve(avail_width) + 1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        room = avail_height - self._reserve(avail_width) - 1.0
        scale = 1.0
        if self.min_height <= room < self.full_h:
            scale = room / self.full_h
        self.picture_w, self.picture_h = self.full_w * scale, self.full_h * scale
        self.width, self.height = max(avail_width, self.picture_w), self.picture_h
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Never split: it starts the next page."""
        return []

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        """Remember where the frame puts it, then draw."""
        self._at = (x, y)
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        dx = (self.width - self.picture_w) / 2
        x, y = self._at
        elem = getattr(self, TAG_ATTR, None)  # its Figure, from `figure()`
        figure_box(self.canv, elem, (x + dx, y, x + dx + self.picture_w, y + self.picture_h))
        with content(self.canv, elem):
            self.canv.drawImage(ImageReader(io.BytesIO(self.png)), dx, 0, self.picture_w,
                                self.picture_h)


def compose_picture(picture: Picture, s: Styles, layout: Layout, sect: Elem,
                    then: Flowable | None = None) -> list[Flowable]:
    """The picture at its printed size (a Figure under `sect`), then its credit line.

    `then` is what follows (the transcript's first paragraph, or the source caption):
    its first lines stay on the picture's page.
    """
    w, h = layout.picture_size(picture.width, picture.height)
    followers: list[Flowable] = []
    credit = None
    if picture.credit:
        style = ParagraphStyle("credit", parent=s.caption, alignment=TA_RIGHT, spaceBefore=3)
        credit = Paragraph(runs_markup(picture.credit), style)
        followers.append(credit)
    gap = Spacer(1, 8)
    followers += [gap, *([then] if then is not None else [])]
    out: list[Flowable] = [Spacer(1, 4), figure(PictureFlowable(picture.png, w, h, followers),
                                                sect, picture.alt)]
    if credit is not None:
        out.append(tagged(credit, sect))
    out.append(gap)
    return out
