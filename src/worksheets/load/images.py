"""The image of an image document: found safely, decoded, checked, made print-ready.

The file is read like every lesson file (inside the lesson folder, opened once, no link
out), decoded by Pillow as PNG or JPEG only, and re-encoded as a grayscale PNG the same
way every time, so a build's bytes depend on the pixels alone.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import Location, Problem
from ..markup import parse_inline
from ..model import NonText, Picture
from . import shapes
from .files import display_path, present, read_inside
from .issues import did_you_mean
from .text import NotAFile
from .yaml import Loaded

MAX_IMAGE_BYTES = 20_000_000
# More pixels than any scan a worksheet needs: a file that claims more is refused before
# it is decoded (a small file can unpack into gigabytes, a "decompression bomb").
MAX_PIXELS = 40_000_000
# Kept on the longer side: 400 dpi across a 7.5 in text block, more than print shows.
MAX_SIDE = 3000
SUFFIXES = (".png", ".jpg", ".jpeg")
# A share of pixels this saturated makes an image "in colour" (a sepia scan is not).
COLOUR_SPREAD, COLOUR_SHARE = 48, 0.02

_SIGNATURES = ((b"GIF8", "a GIF"), (b"RIFF", "a WebP"), (b"II*\x00", "a TIFF"),
               (b"MM\x00*", "a TIFF"), (b"BM", "a BMP"), (b"%PDF", "a PDF"),
               (b"<svg", "an SVG"), (b"<?xml", "an SVG"))


def load_picture(fm: shapes.DocumentFrontMatter, ll: Loaded, doc_path: Path, folder: Path,
                 problems: list[Problem]) -> Picture | None:
    """The front matter's image, or None with every problem (file, pixels, alt) reported.

    Without `image:`, `alt:` and `credit:` are errors: they belong to an image.
    """
    if fm.image is None:
        for key in ("alt", "credit"):
            if getattr(fm, key) is not None:
                problems.append(Problem(ll.at((key,), key=True), f"{key}: only an image "
                                        "document has one", "add image: with the image file "
                                        f"beside the document, or remove {key}:"))
        return None
    where = ll.at(("image",))
    written = isinstance(ll.data, dict) and "alt" in ll.data  # `alt:` with nothing after it
    missing_alt = NonText("image", fm.alt, ll.at(("alt",), key=fm.alt is None) if written
                          else ll.at(("image",), key=True)).alt_problem()
    if missing_alt is not None:
        problems.append(missing_alt)
    found = _read(fm.image, where, doc_path.parent, folder, problems)
    if found is None:
        return None
    shown, raw = found
    decoded = _decode(raw, shown, where, problems)
    if decoded is None or missing_alt is not None:
        return None
    width, height, png, colour = decoded
    credit = parse_inline(fm.credit)[0] if fm.credit else ()
    return Picture(fm.image, width, height, png, (fm.alt or "").strip(), credit, colour, where)


def _read(name: str, where: Location, docdir: Path, folder: Path,
          problems: list[Problem]) -> tuple[str, bytes] | None:
    """The file's bytes and its path as shown, or None with the problem reported."""
    rel = PurePosixPath(name)
    if "://" in name:
        problems.append(Problem(where, f"image: '{name}' is a web address", "download the "
                                "image into the lesson folder and give its file name"))
        return None
    if "\\" in name or rel.is_absolute() or (len(name) > 1 and name[1] == ":"):
        problems.append(Problem(where, f"image: '{name}' is not a path inside the lesson "
                                "folder", "give the file's path from the documents folder "
                                "with '/' between folders, like cartoon.png or "
                                "../images/cartoon.png"))
        return None
    path = docdir / rel
    inside = os.path.normpath(os.path.relpath(os.path.abspath(path), os.path.abspath(folder)))
    if inside == os.curdir or inside.split(os.sep)[0] == os.pardir:
        problems.append(Problem(where, f"image: '{name}' is outside the lesson folder",
                                "copy the image into the lesson folder, beside the "
                                "document"))
        return None
    shown = display_path(path)
    if not present(path):
        problems.append(Problem(where, f"image: no file {shown}", _nearby(path)))
        return None
    if path.suffix.lower() not in SUFFIXES:
        problems.append(Problem(where, f"image: {shown} is not a PNG or JPEG file",
                                "save the image as .png (drawings, cartoons, maps) or .jpg "
                                "(photographs)"))
        return None
    try:
        raw = read_inside(path, folder, MAX_IMAGE_BYTES)
    except NotAFile as e:
        problems.append(Problem(where, f"image: {shown} {e.args[0]}", e.args[1]))
        return None
    if len(raw) > MAX_IMAGE_BYTES:
        problems.append(Problem(where, f"image: {shown} is larger than "
                                f"{MAX_IMAGE_BYTES // 1_000_000} MB", "save a smaller copy: "
                                f"a worksheet needs at most {MAX_SIDE} pixels across"))
        return None
    return shown, raw


def _nearby(path: Path) -> str:
    """A hint for a missing image: the image file of the same folder it most likely is."""
    try:
        names = sorted(p.name for p in path.parent.iterdir()
                       if p.suffix.lower() in SUFFIXES)
    except OSError:
        names = []
    close = did_you_mean(path.name, names)
    if close:
        return f"did you mean '{close}'?"
    return "put the image file beside the document, or correct the name (names are " \
           "case-sensitive)"


def _decode(raw: bytes, shown: str, where: Location,
            problems: list[Problem]) -> tuple[int, int, bytes, bool] | None:
    """(width, height, grayscale PNG, had colour), or None with the problem reported."""
    from PIL import Image

    kind = next((what for sig, what in _SIGNATURES if raw.startswith(sig)), None)
    if kind is not None:
        problems.append(Problem(where, f"image: {shown} is {kind} file, not PNG or JPEG",
                                "save it as .png (drawings, cartoons, maps) or .jpg "
                                "(photographs)"))
        return None
    again = "open it in an image editor and save it again as PNG or JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im: Any = Image.open(io.BytesIO(raw), formats=["PNG", "JPEG"])
            w, h = im.size
            if w * h > MAX_PIXELS:
                problems.append(Problem(where, f"image: {shown} is {w} × {h} pixels, more "
                                        f"than {MAX_PIXELS // 1_000_000} million",
                                        f"reduce it to at most {MAX_SIDE} pixels on its "
                                        "longer side"))
                return None
            if im.format == "JPEG":  # decode at a reduced scale when it is very large
                im.draft(im.mode, (MAX_SIDE, MAX_SIDE))
            im.load()
            return _prepare(im)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        problems.append(Problem(where, f"image: {shown} has more than "
                                f"{MAX_PIXELS // 1_000_000} million pixels",
                                f"reduce it to at most {MAX_SIDE} pixels on its longer side"))
        return None
    except (OSError, ValueError, SyntaxError) as e:
        why = str(e).split(" (")[0].rstrip(".") or type(e).__name__
        if "cannot identify image file" in why:
            why = "not a PNG or JPEG image"
        elif "runcated" in why:
            why = "the file is damaged or cut short"
        problems.append(Problem(where, f"image: {shown} cannot be read ({why})", again))
        return None


def _prepare(im: Any) -> tuple[int, int, bytes, bool]:
    """An opened image upright, on white, grayscale, at most MAX_SIDE pixels across."""
    from PIL import Image, ImageChops, ImageOps

    im = ImageOps.exif_transpose(im)
    if im.mode == "I" or im.mode.startswith("I;16"):  # 16-bit grey: to 8 bits, not clipped
        im = im.convert("I").point(lambda v: v / 257).convert("L")
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")  # transparent parts print as paper, not black
        im = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im.alpha_composite(rgba)
    colour = False
    if im.mode not in ("L", "1"):
        rgb = im.convert("RGB")
        small = rgb.reduce(max(1, max(rgb.size) // 256))
        r, g, b = small.split()
        spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b),
                                     ImageChops.darker(ImageChops.darker(r, g), b))
        counts = spread.histogram()
        colour = sum(counts[COLOUR_SPREAD:]) > COLOUR_SHARE * sum(counts)
        im = rgb
    gray = im.convert("L")
    if max(gray.size) > MAX_SIDE:
        scale = MAX_SIDE / max(gray.size)
        gray = gray.resize((max(1, round(gray.width * scale)),
                            max(1, round(gray.height * scale))), Image.Resampling.LANCZOS)
    # a new image with the pixels only: no profile, date or other metadata is carried over
    clean = Image.frombytes("L", gray.size, gray.tobytes())
    buf = io.BytesIO()
    clean.save(buf, format="PNG", compress_level=6)
    return clean.width, clean.height, buf.getvalue(), colour
