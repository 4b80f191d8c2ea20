"""The bundled fonts (Noto Serif, Noto Sans; SIL OFL 1.1) and their registration with reportlab."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SERIF, SANS = "Serif", "Sans"
FONT_DIR = Path(__file__).parent / "fonts"
_FAMILIES = {SERIF: "NotoSerif", SANS: "NotoSans"}
_STYLES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
_registered = False


def register_fonts() -> None:
    """Register both families (four styles each) once per process, so <b> and <i> work."""
    global _registered
    if _registered:
        return
    for family, stem in _FAMILIES.items():
        for suffix, style in _STYLES.items():
            pdfmetrics.registerFont(TTFont(family + suffix, str(FONT_DIR / f"{stem}-{style}.ttf")))
        pdfmetrics.registerFontFamily(
            family, normal=family, bold=family + "-Bold", italic=family + "-Italic",
            boldItalic=family + "-BoldItalic",
        )
    _registered = True


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` that the bundled fonts cannot draw."""
    register_fonts()
    cmap = pdfmetrics.getFont(SERIF).face.charToGlyph
    sans = pdfmetrics.getFont(SANS).face.charToGlyph
    return sorted({ch for ch in text
                   if ord(ch) not in cmap and ord(ch) not in sans and ch not in "\n\t"})
