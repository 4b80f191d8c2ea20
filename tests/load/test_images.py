"""Image documents as loaded and checked: every problem with its place, and the warnings
about print size and colour."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from worksheets.cli import main
from worksheets.errors import ContentError
from worksheets.load import load_lesson, load_lesson_with_problems
from worksheets.pipeline import check

from ..conftest import LESSON_YAML, LessonDir, edit

IMAGE_B = """\
---
label: "Document B"
title: "A Cartoon From the Second Side"
source: "Source: A cartoon drawn for the test suite."
image: cartoon.png
alt: "Two leaders shake hands over a table marked TRADE."
---
We want *trade* first [and then peace].
"""


def png(width: int = 1200, height: int = 800, mode: str = "L", fmt: str = "PNG") -> bytes:
    """An image file: grey, or red and green halves in colour."""
    im = Image.new(mode, (width, height), 200 if mode in ("L", "1") else (220, 30, 30))
    if mode == "RGB":
        im.paste((30, 200, 30), (0, 0, width // 2, height))
    buf = io.BytesIO()
    im.save(buf, format=fmt)
    return buf.getvalue()


def errors(folder: Path) -> list[str]:
    lesson, problems = load_lesson_with_problems(folder)
    assert lesson is None
    return [p.format() for p in sorted(problems, key=lambda p: (p.location, p.message))
            if p.severity == "error"]


def test_an_image_document_loads(lesson_dir: LessonDir, in_tmp: Path) -> None:
    lesson = load_lesson(lesson_dir({"documents/B.md": IMAGE_B,
                                     "documents/cartoon.png": png()}))
    pic = lesson.document("B").image
    assert pic is not None
    assert (pic.file, pic.width, pic.height, pic.colour) == ("cartoon.png", 1200, 800, False)
    assert pic.alt == "Two leaders shake hands over a table marked TRADE."
    assert pic.png.startswith(b"\x89PNG") and Image.open(io.BytesIO(pic.png)).mode == "L"
    assert str(pic.origin) == "lesson/documents/B.md:5:8"
    assert [(n.kind, n.alt) for n in lesson.non_text] == [("image", pic.alt)]


def test_the_transcript_may_be_empty_and_serves_every_level(lesson_dir: LessonDir,
                                                            in_tmp: Path) -> None:
    lesson_yaml = edit(LESSON_YAML, "    title: \"Standard\"\n",
                       "    title: \"Standard\"\n  supported:\n    title: \"Supported\"\n"
                       "    reading_level: simplified\n")
    folder = lesson_dir({"lesson.yaml": lesson_yaml,
                         "documents/A.simplified.md": "Simple words about a treaty.\n",
                         "documents/B.md": IMAGE_B.split("---\n", 2)[0] + "---\n"
                         + IMAGE_B.split("---\n", 2)[1] + "---\n",
                         "documents/cartoon.png": png()})
    lesson = load_lesson(folder)
    b = lesson.document("B")
    assert b.bodies["modified"].blocks == () and b.body_for("simplified").level == "modified"


def test_a_broken_image_is_reported_alone(lesson_dir: LessonDir, in_tmp: Path) -> None:
    # its document has no 'simplified' text, and needs none: an image document's own
    # text serves every level, even when the image cannot be read
    lesson_yaml = edit(LESSON_YAML, "    title: \"Standard\"\n",
                       "    title: \"Standard\"\n  supported:\n    title: \"Supported\"\n"
                       "    reading_level: simplified\n")
    folder = lesson_dir({"lesson.yaml": lesson_yaml, "documents/B.md": IMAGE_B,
                         "documents/A.simplified.md": "Simple words about a treaty.\n"})
    assert errors(folder) == ["lesson/documents/B.md:5:8: image: no file "
                              "lesson/documents/cartoon.png (put the image file beside the "
                              "document, or correct the name (names are case-sensitive))"]


def test_a_missing_file_says_which_one_was_meant(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B, "documents/Cartoon.png": png()})
    assert errors(folder) == ["lesson/documents/B.md:5:8: image: no file "
                              "lesson/documents/cartoon.png (did you mean 'Cartoon.png'?)"]


def test_an_unreadable_image(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B,
                         "documents/cartoon.png": png()[:300]})
    assert errors(folder) == [
        "lesson/documents/B.md:5:8: image: lesson/documents/cartoon.png cannot be read (the "
        "file is damaged or cut short) (open it in an image editor and save it again as PNG "
        "or JPEG)"]
    folder = lesson_dir({"documents/B.md": IMAGE_B,
                         "documents/cartoon.png": b"not an image at all"})
    assert errors(folder) == [
        "lesson/documents/B.md:5:8: image: lesson/documents/cartoon.png cannot be read (not "
        "a PNG or JPEG image) (open it in an image editor and save it again as PNG or JPEG)"]


def test_other_formats_are_named(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B,
                         "documents/cartoon.png": png(40, 30, fmt="GIF")})
    assert errors(folder) == [
        "lesson/documents/B.md:5:8: image: lesson/documents/cartoon.png is a GIF file, not "
        "PNG or JPEG (save it as .png (drawings, cartoons, maps) or .jpg (photographs))"]
    folder = lesson_dir({"documents/B.md": edit(IMAGE_B, "cartoon.png", "cartoon.webp"),
                         "documents/cartoon.webp": b"RIFF"})
    assert errors(folder) == [
        "lesson/documents/B.md:5:8: image: lesson/documents/cartoon.webp is not a PNG or JPEG "
        "file (save the image as .png (drawings, cartoons, maps) or .jpg (photographs))"]


def test_a_pixel_bomb_is_refused_before_it_is_decoded(lesson_dir: LessonDir,
                                                      in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B,
                         "documents/cartoon.png": png(8000, 6000, mode="1")})
    assert errors(folder) == [
        "lesson/documents/B.md:5:8: image: lesson/documents/cartoon.png is 8000 × 6000 "
        "pixels, more than 40 million (reduce it to at most 3000 pixels on its longer side)"]


def test_a_file_claiming_billions_of_pixels(lesson_dir: LessonDir, in_tmp: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0))
    bomb = b"\x89PNG\r\n\x1a\n" + header + chunk(b"IEND", b"")  # 3.6 billion, in 57 bytes
    folder = lesson_dir({"documents/B.md": IMAGE_B, "documents/cartoon.png": bomb})
    assert errors(folder) == [
        "lesson/documents/B.md:5:8: image: lesson/documents/cartoon.png has more than 40 "
        "million pixels (reduce it to at most 3000 pixels on its longer side)"]


def test_a_missing_or_blank_alt_is_an_error(lesson_dir: LessonDir, in_tmp: Path) -> None:
    hint = ("(add alt: one sentence saying what the image shows, for students who listen "
            "to the page)")
    no_alt = edit(IMAGE_B, 'alt: "Two leaders shake hands over a table marked TRADE."\n', "")
    folder = lesson_dir({"documents/B.md": no_alt, "documents/cartoon.png": png()})
    assert errors(folder) == [
        f"lesson/documents/B.md:5:1: this image has no text alternative (alt) {hint}"]
    blank = edit(IMAGE_B, '"Two leaders shake hands over a table marked TRADE."', '"  "')
    folder = lesson_dir({"documents/B.md": blank})
    assert errors(folder) == [
        f"lesson/documents/B.md:6:6: this image has no text alternative (alt) {hint}"]
    empty = edit(IMAGE_B, '"Two leaders shake hands over a table marked TRADE."', '')
    folder = lesson_dir({"documents/B.md": empty})
    assert errors(folder) == [
        f"lesson/documents/B.md:6:1: this image has no text alternative (alt) {hint}"]


def test_alt_and_credit_belong_to_an_image(lesson_dir: LessonDir, in_tmp: Path) -> None:
    text = edit(IMAGE_B, "image: cartoon.png\n", "")
    folder = lesson_dir({"documents/B.md": text + "", "documents/cartoon.png": png()})
    assert errors(folder) == [
        "lesson/documents/B.md:5:1: alt: only an image document has one (add image: with "
        "the image file beside the document, or remove alt:)"]


def test_paths_out_of_the_lesson_are_refused(lesson_dir: LessonDir, in_tmp: Path) -> None:
    (in_tmp / "secret.png").write_bytes(png())
    folder = lesson_dir({"documents/B.md": edit(IMAGE_B, "cartoon.png", "../../secret.png")})
    assert errors(folder) == [
        "lesson/documents/B.md:5:8: image: '../../secret.png' is outside the lesson folder "
        "(copy the image into the lesson folder, beside the document)"]
    folder = lesson_dir({"documents/B.md": edit(IMAGE_B, "cartoon.png", "/etc/passwd")})
    assert errors(folder)[0].startswith(
        "lesson/documents/B.md:5:8: image: '/etc/passwd' is not a path inside the lesson "
        "folder")
    folder = lesson_dir({"documents/B.md": IMAGE_B})
    os.symlink(in_tmp / "secret.png", folder / "documents" / "cartoon.png")
    (message,) = errors(folder)
    assert message.startswith("lesson/documents/B.md:5:8: image: lesson/documents/cartoon.png "
                              "is a link to ")
    assert "outside the lesson folder" in message


def test_a_folder_inside_the_lesson_is_fine(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": edit(IMAGE_B, "cartoon.png", "../images/c.png"),
                         "images/c.png": png()})
    assert load_lesson(folder).document("B").image is not None


def test_every_problem_at_once_and_nothing_written(lesson_dir: LessonDir, in_tmp: Path) -> None:
    no_alt = edit(IMAGE_B, 'alt: "Two leaders shake hands over a table marked TRADE."\n', "")
    folder = lesson_dir({"documents/B.md": no_alt,
                         "documents/A.md": "---\nlabel: \"Document A\"\ntitle: \"T\"\n"
                         "source: \"S\"\nimage: map.png\nalt: \"A map.\"\n---\n"})
    r = CliRunner().invoke(main, ["build", str(folder), "-o", "out"])
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert "lesson/documents/A.md:5:8: image: no file lesson/documents/map.png" in r.output
    assert "lesson/documents/B.md:5:1: this image has no text alternative" in r.output
    assert "lesson/documents/B.md:5:8: image: no file lesson/documents/cartoon.png" in r.output
    assert "3 problems found; nothing was written." in r.output
    assert not (in_tmp / "out").exists() or not list((in_tmp / "out").iterdir())
    with pytest.raises(ContentError):
        load_lesson(folder)


def test_check_warns_under_150_dpi_at_print_size(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B, "documents/cartoon.png": png(300, 200)})
    warnings = [p.format() for p in check([folder]) if "image" in p.message]
    assert warnings == [
        "lesson/documents/B.md:5:8: warning: image cartoon.png prints at 43 dpi, 6.90 × 4.60 "
        "in on layout 'letter' (under 150 dpi) (use a copy at least 1035 pixels wide (300 "
        "now), or expect a soft print)"]
    r = CliRunner().invoke(main, ["check", "--strict", str(folder)])
    assert r.exit_code == 1 and "43 dpi" in r.output
    folder = lesson_dir({"documents/B.md": IMAGE_B, "documents/cartoon.png": png(1100, 700)})
    assert [p for p in check([folder]) if "dpi" in p.message] == []


def test_a_tall_image_is_judged_at_its_capped_height(lesson_dir: LessonDir,
                                                     in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B, "documents/cartoon.png": png(100, 500)})
    (w,) = [p.message for p in check([folder]) if "dpi" in p.message]
    assert w == ("image cartoon.png prints at 85 dpi, 1.18 × 5.91 in on layout 'letter' "
                 "(under 150 dpi)")


def test_colour_is_converted_and_warned_about(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B,
                         "documents/cartoon.png": png(1200, 800, mode="RGB")})
    lesson = load_lesson(folder)
    pic = lesson.document("B").image
    assert pic is not None and pic.colour
    assert Image.open(io.BytesIO(pic.png)).mode == "L"
    (w,) = [p.format() for p in check([folder]) if "image" in p.message]
    assert w.startswith("lesson/documents/B.md:5:8: warning: image cartoon.png is in colour "
                        "and prints in grayscale (check that nothing in it depends on colour")


def test_a_jpeg_photograph(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": edit(IMAGE_B, "cartoon.png", "photo.jpg"),
                         "documents/photo.jpg": png(1500, 1000, mode="RGB", fmt="JPEG")})
    pic = load_lesson(folder).document("B").image
    assert pic is not None and (pic.width, pic.height) == (1500, 1000)
    assert Image.open(io.BytesIO(pic.png)).mode == "L"


def test_the_same_file_gives_the_same_bytes(lesson_dir: LessonDir, in_tmp: Path) -> None:
    folder = lesson_dir({"documents/B.md": IMAGE_B,
                         "documents/cartoon.png": png(4000, 1000, mode="RGB")})
    a = load_lesson(folder).document("B").image
    b = load_lesson(folder).document("B").image
    assert a is not None and b is not None and a.png == b.png
    assert (a.width, a.height) == (3000, 750)  # reduced to 3000 pixels across


def test_a_character_the_fonts_lack_in_the_credit(lesson_dir: LessonDir, in_tmp: Path) -> None:
    text = edit(IMAGE_B, "image: cartoon.png\n", "image: cartoon.png\ncredit: \"Drawn \u505c\"\n")
    folder = lesson_dir({"documents/B.md": text, "documents/cartoon.png": png()})
    (problem,) = [p.format() for p in check([folder]) if p.severity == "error"]
    assert problem.startswith("lesson/documents/B.md:6:16: character '\u505c' (U+505C) is not "
                              "in the bundled fonts")


def test_a_photograph_taken_sideways_is_set_upright(lesson_dir: LessonDir,
                                                     in_tmp: Path) -> None:
    im = Image.new("RGB", (1600, 1200), (90, 90, 90))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; viewers rotate it 90 degrees
    buf = io.BytesIO()
    im.save(buf, format="JPEG", exif=exif)
    folder = lesson_dir({"documents/B.md": edit(IMAGE_B, "cartoon.png", "photo.jpg"),
                         "documents/photo.jpg": buf.getvalue()})
    pic = load_lesson(folder).document("B").image
    assert pic is not None and (pic.width, pic.height) == (1200, 1600)


def test_a_transparent_background_prints_as_paper(lesson_dir: LessonDir,
                                                  in_tmp: Path) -> None:
    im = Image.new("RGBA", (1200, 800), (0, 0, 0, 0))
    im.paste((0, 0, 0, 255), (0, 0, 100, 100))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    folder = lesson_dir({"documents/B.md": IMAGE_B, "documents/cartoon.png": buf.getvalue()})
    pic = load_lesson(folder).document("B").image
    assert pic is not None and not pic.colour
    gray = Image.open(io.BytesIO(pic.png))
    assert gray.getpixel((600, 400)) == 255 and gray.getpixel((10, 10)) == 0


def test_the_test_lesson_documents_match_the_schema() -> None:
    import jsonschema
    import yaml

    from worksheets.jsonschema import json_schemas
    from worksheets.load.yaml import split_front_matter

    from ..pdfutil import ROOT

    v = jsonschema.Draft202012Validator(json_schemas()["document"])
    docs = sorted((ROOT / "tests" / "lessons" / "berlin-airlift" / "documents").glob("?.md"))
    assert len(docs) == 3
    for doc in docs:
        assert list(v.iter_errors(yaml.safe_load(split_front_matter(doc.read_text())[0]))) == []
