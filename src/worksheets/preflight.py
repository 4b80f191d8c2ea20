"""Print preflight: check a finished PDF the way a print shop would, and say what it found.

Fonts embedded (no Type 3), page size, no ink in the outer 0.25 in, every
question on the same page as its answer lines, page-count parity for duplex,
and text on every page that has ink.
"""

from __future__ import annotations

import ctypes
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .layout import PAGE_SIZES

SAFE_MARGIN = 18.0  # points: 0.25 in
_QUESTION = re.compile(r"^(\d+)\.(?:\s|$)")
_RULE_GRAY = (0.45, 0.45, 0.45)  # answer lines are stroked in this gray (compose.RULE)


@dataclass
class Report:
    """What preflight found in one PDF."""

    file: str
    pages: int = 0
    findings: list[str] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    def to_json(self) -> str:
        """The report as JSON."""
        return json.dumps({"ok": self.ok, **asdict(self)}, indent=2, ensure_ascii=False) + "\n"


def preflight(pdf: bytes, name: str, paper: str | None = None, duplex: bool = False) -> Report:
    """Check one PDF; `paper` is letter or a4 (default: whichever the first page is)."""
    report = Report(name)
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=True)
        pages = list(reader.pages)
    except (PdfReadError, ValueError, OSError) as e:
        report.findings.append(f"not a readable PDF: {e}")
        return report
    report.pages = len(pages)
    _fonts(reader, report)
    _page_size(pages, paper, report)
    _pages(pdf, report)
    report.checks["duplex_even"] = report.pages % 2 == 0
    if duplex and report.pages % 2:
        report.findings.append(f"{report.pages} pages: an odd count; pad to an even count so "
                               "the next copy starts on a new sheet")
    return report


def _fonts(reader: PdfReader, report: Report) -> None:
    seen: dict[str, bool] = {}
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            f = ref.get_object()
            name = str(f.get("/BaseFont", f.get("/Name", "?"))).lstrip("/")
            if f.get("/Subtype") == "/Type3":
                seen[name] = False
                continue
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            d = desc.get_object() if desc is not None else {}
            seen[name] = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    report.checks["fonts"] = seen
    for name, embedded in sorted(seen.items()):
        if not embedded:
            report.findings.append(f"font {name} is not embedded (or is a Type 3 font)")


def _page_size(pages: list[Any], paper: str | None, report: Report) -> None:
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages]
    if paper is None and sizes:
        w, h = sizes[0]
        paper = min(PAGE_SIZES, key=lambda k: abs(PAGE_SIZES[k][0] - w) + abs(PAGE_SIZES[k][1] - h))
    report.checks["paper"] = paper
    if paper is None:
        return
    want = PAGE_SIZES[paper]
    for i, (w, h) in enumerate(sizes, start=1):
        if abs(w - want[0]) > 1 or abs(h - want[1]) > 1:
            report.findings.append(f"page {i} is {w:.0f} x {h:.0f} pt, not {paper}")


def _text(scans: list[_PageScan], report: Report) -> None:
    empty = [i for i, scan in enumerate(scans, start=1) if not scan.has_text]
    report.checks["pages_without_text"] = empty
    for i in empty:
        report.findings.append(f"page {i} has no extractable text")


class _PageScan:
    """Bold question labels and gray answer rules on one page, read from pdfium's page objects."""

    def __init__(self) -> None:
        self.labels: list[tuple[float, str]] = []
        self.rules: list[float] = []
        self.has_text = False

    @classmethod
    def of(cls, page: Any) -> _PageScan:
        """Scan one pypdfium2 page."""
        import pypdfium2.raw as raw

        scan = cls()
        textpage = page.get_textpage()
        try:
            scan.has_text = bool(textpage.get_text_range().strip())
            for obj in page.get_objects():
                left, bottom, right, top = obj.get_bounds()
                if obj.type == raw.FPDF_PAGEOBJ_TEXT:
                    m = _QUESTION.match(_obj_text(raw, obj, textpage))
                    if m and "Bold" in _font_name(raw, obj):
                        scan.labels.append((bottom, m.group(1)))
                elif obj.type == raw.FPDF_PAGEOBJ_PATH and top - bottom < 2 and right > left:
                    if _stroke_gray(raw, obj) == round(_RULE_GRAY[0] * 255):
                        scan.rules.append((top + bottom) / 2)
        finally:
            textpage.close()
        return scan


def _obj_text(raw: Any, obj: Any, textpage: Any) -> str:
    n = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buf = ctypes.create_string_buffer(n)
    out = ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort))
    raw.FPDFTextObj_GetText(obj.raw, textpage.raw, out, n)
    return buf.raw.decode("utf-16-le", errors="replace").rstrip("\x00")


def _font_name(raw: Any, obj: Any) -> str:
    font = raw.FPDFTextObj_GetFont(obj.raw)
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(n)
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    return buf.value.decode("latin-1")


def _stroke_gray(raw: Any, obj: Any) -> int | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetStrokeColor(obj.raw, *(ctypes.byref(c) for c in (r, g, b, a))):
        return None
    return r.value if r.value == g.value == b.value else None


def _questions(scans: list[_PageScan], report: Report) -> None:
    """Each numbered question must have an answer line below it on its own page."""
    parted = []
    seen = 0
    for n, scan in enumerate(scans, start=1):
        labels = sorted(scan.labels, reverse=True)
        seen += len(labels)
        for k, (y, number) in enumerate(labels):
            below = labels[k + 1][0] if k + 1 < len(labels) else -1.0
            if not any(below < r < y for r in scan.rules):
                parted.append(number)
                report.findings.append(f"question {number} on page {n} has no answer lines "
                                       "below it on that page")
    report.checks["questions_seen"] = seen
    report.checks["questions_parted"] = parted


def _pages(pdf: bytes, report: Report) -> None:
    """One pdfium pass over the pages: text, questions and their lines, ink near the edge."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    scans, bad = [], []
    try:
        for i in range(len(doc)):
            page = doc[i]
            scans.append(_PageScan.of(page))
            # no ink within 0.25 in of the edge, rendered at 72 dpi (one pixel per point)
            image = page.render(scale=1, grayscale=True).to_pil().convert("L")
            w, h = image.size
            m = int(SAFE_MARGIN) - 1
            boxes = [(0, 0, w, m), (0, h - m, w, h), (0, 0, m, h), (w - m, 0, w, h)]
            if any(image.crop(b).getextrema()[0] < 250 for b in boxes):
                bad.append(i + 1)
            page.close()
    finally:
        doc.close()
    _text(scans, report)
    _questions(scans, report)
    for n in bad:
        report.findings.append(f"page {n} has ink within 0.25 in of the edge")
    report.checks["edge_ink_pages"] = bad


def preflight_file(path: str | Path, paper: str | None = None, duplex: bool = False,
                   write_report: bool = True) -> Report:
    """Preflight a PDF on disk, writing `<name>.preflight.json` beside it."""
    from .write import write_atomic

    path = Path(path)
    report = preflight(path.read_bytes(), str(path), paper, duplex)
    if write_report:
        write_atomic(path.with_suffix(".preflight.json"), report.to_json().encode())
    return report
