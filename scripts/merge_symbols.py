"""Merge symbols into the bundled Noto fonts, so the arrows, mathematical signs and check
marks a history text uses (→ ≈ ✓ −) print in every style.

Run once when the fonts change (fontTools is needed only here, not by `worksheets`):

    pip install fonttools
    apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb noto
    python scripts/merge_symbols.py noto/usr/share/fonts/truetype/noto

Takes from Noto Sans Math and Noto Sans Symbols 2 (the same Debian package and licence as
the bundled families, SIL OFL 1.1, no reserved names) the glyphs of the ranges below that
a bundled face lacks, and adds them to each of the eight faces in src/worksheets/fonts/.
The faces' own glyphs and widths are unchanged, so pages lay out as before.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "src" / "worksheets" / "fonts"
RANGES = [
    *range(0x2190, 0x2200),  # arrows
    *range(0x2200, 0x2300),  # mathematical operators
    *range(0x2300, 0x2310),  # technical: diameter, house, ...
    *range(0x25A0, 0x2600),  # geometric shapes (squares, circles, triangles)
    0x2605, 0x2606, 0x2610, 0x2611, 0x2612,  # stars, ballot boxes
    0x2713, 0x2714, 0x2715, 0x2716, 0x2717, 0x2718,  # check and cross marks
]
SOURCES = ["NotoSansMath-Regular.ttf", "NotoSansSymbols2-Regular.ttf"]


def symbols(source: Path, have: set[int], into: Path) -> set[int]:
    """Save the glyphs of `source` for the ranges not in `have`; return their code points."""
    font = TTFont(source, recalcTimestamp=False)
    wanted = [c for c in RANGES if c in font.getBestCmap() and c not in have]
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH"]
    options.hinting = False
    options.name_IDs = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.save(into)
    return set(wanted)


def main() -> None:
    noto = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        for face in sorted(FONTS.glob("Noto*.ttf")):
            have = set(TTFont(face).getBestCmap())
            parts = [str(face)]
            for i, name in enumerate(SOURCES):
                part = Path(tmp) / f"{i}-{face.name}"
                have |= symbols(noto / name, have, part)
                parts.append(str(part))
            merged = Merger().merge(parts)
            merged.recalcTimestamp = False
            merged.save(face)
            print(f"{face.name}: {len(merged.getBestCmap())} characters")


if __name__ == "__main__":
    main()
