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
# starts on (it is never split, and a blank half page reads worse than a smaller image).
MIN_SCALE = 0.6


class PictureFlowable(Flowable):  # type: ignore[misc]
    """A grayscale image, centred in the text block at a fixed printed size.

    Drawn as its element's content (a Figure with /Alt: see `figure()`), with its place
    on the page as the Figure's /BBox. It must be drawn by the frame itself (not inside a
    table), where `drawOn`'s x and y are page coordinates.
    """

    tags_itself = True

    def __init__(self, png: bytes, width: float, height: float,
                 min_scale: float = MIN_SCALE) -> None:
        super().__init__()
        self.png, self.picture_w, self.picture_h = png, width, height
        self.min_height = height * min_scale  # what a page must have left to take it
        self._at = (0.0, 0.0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = max(avail_width, self.picture_w), self.picture_h
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Smaller, down to `min_scale`, rather than leave the rest of the page blank."""
        if avail_height < self.min_height:
            return []
        scale = (avail_height - 0.5) / self.picture_h
        return [PictureFlowable(self.png, self.picture_w * scale, self.picture_h * scale, 0.0)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        """Remember where the frame puts it, then draw."""
        self._at = (x, y)
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        dx = (self.width - self.picture_w) / 2
        x, y = self._at
        elem = getattr(self, TAG_ATTR, None)  # its Figure, from `figure()` (or a split)
        figure_box(self.canv, elem, (x + dx, y, x + dx + self.picture_w, y + self.picture_h))
        with content(self.canv, elem):
            self.canv.drawImage(ImageReader(io.BytesIO(self.png)), dx, 0, self.picture_w,
                                self.picture_h)


def compose_picture(picture: Picture, s: Styles, layout: Layout,
                    sect: Elem) -> list[Flowable]:
    """The picture at its printed size (a Figure under `sect`), then its credit line."""
    w, h = layout.picture_size(picture.width, picture.height)
    out: list[Flowable] = [Spacer(1, 4), figure(PictureFlowable(picture.png, w, h), sect,
                                                picture.alt)]
    if picture.credit:
        style = ParagraphStyle("credit", parent=s.caption, alignment=TA_RIGHT, spaceBefore=3)
        out.append(tagged(Paragraph(runs_markup(picture.credit), style), sect))
    out.append(Spacer(1, 8))
    return out
