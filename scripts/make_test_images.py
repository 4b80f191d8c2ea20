"""Draw the images of the test lesson tests/lessons/berlin-airlift (a map and a cartoon).

Run from the project folder: `python scripts/make_test_images.py`. The PNGs are
committed; this script says how they were made. Drawn with Pillow in the bundled Noto
Sans, in grayscale, a few kilobytes each.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "lessons" / "berlin-airlift" / "documents"
FONT = ROOT / "src" / "worksheets" / "fonts" / "NotoSans-Bold.ttf"


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def corridors() -> Image.Image:
    """A map: the three air corridors from the western zones to Berlin."""
    im = Image.new("L", (1200, 900), 255)
    d = ImageDraw.Draw(im)
    d.rectangle([20, 20, 1180, 880], outline=0, width=4)
    d.polygon([(560, 40), (1160, 40), (1160, 860), (600, 860), (520, 500)], fill=215)
    d.text((900, 80), "SOVIET ZONE", font=font(40), fill=0, anchor="mm")
    d.text((230, 80), "WESTERN ZONES", font=font(40), fill=0, anchor="mm")
    berlin = (900, 400)
    cities = {"Hamburg": (260, 220), "Hanover": (250, 450), "Frankfurt": (280, 760)}
    for name, (x, y) in cities.items():
        d.line([(x, y), berlin], fill=0, width=34)
        d.line([(x, y), berlin], fill=255, width=22)
        d.ellipse([x - 14, y - 14, x + 14, y + 14], fill=0)
        d.text((x, y + 44), name, font=font(36), fill=0, anchor="mm")
    d.ellipse([berlin[0] - 40, berlin[1] - 40, berlin[0] + 40, berlin[1] + 40], fill=0)
    d.text((berlin[0], berlin[1] + 80), "BERLIN", font=font(44), fill=0, anchor="mm")
    d.text((600, 840), "Air corridors, 20 miles wide", font=font(30), fill=0, anchor="mm")
    return im


def cartoon() -> Image.Image:
    """A cartoon: a plane drops a crate marked FOOD over a wall marked BLOCKADE."""
    im = Image.new("L", (900, 1100), 255)
    d = ImageDraw.Draw(im)
    d.rectangle([10, 10, 890, 1090], outline=0, width=6)
    d.rectangle([80, 700, 820, 800], fill=60)
    d.text((450, 750), "BLOCKADE", font=font(70), fill=255, anchor="mm")
    d.polygon([(120, 200), (700, 170), (760, 200), (700, 230), (120, 215)], fill=0)
    d.polygon([(380, 195), (520, 60), (560, 60), (470, 200)], fill=0)
    d.polygon([(380, 210), (520, 350), (560, 350), (470, 210)], fill=0)
    d.rectangle([380, 420, 560, 560], outline=0, width=8)
    d.text((470, 490), "FOOD", font=font(52), fill=0, anchor="mm")
    d.line([(470, 260), (470, 420)], fill=0, width=4)
    for x in (200, 450, 700):
        d.ellipse([x - 40, 840, x + 40, 920], outline=0, width=6)
        d.line([(x, 920), (x, 990)], fill=0, width=6)
    d.text((450, 1040), "\u201cRIGHT ON TIME!\u201d", font=font(44), fill=0, anchor="mm")
    return im


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    corridors().save(OUT / "corridors.png", optimize=True)
    cartoon().save(OUT / "cartoon.png", optimize=True)


if __name__ == "__main__":
    main()
