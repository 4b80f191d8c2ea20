"""Print preflight: check a finished PDF the way a print shop would, and say what it found.

Every font that draws text embedded, page size, no ink in the outer 0.25 in, every
question on the same page as its answer lines, page-count parity for duplex,
and text on every page that has ink. Also the accessibility facts (`checks.accessibility`):
tagged, page objects outside marked content, the document language, headings; with
`accessible=True` a PDF lacking them has findings.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .ink import RULE
from .load.layout import PAGE_SIZES

SAFE_MARGIN = 18.0  # points: 0.25 in
_QUESTION = re.compile(r"^(\d+)\.(?:\s|$)")
_RULE_GRAY = round(RULE.red * 255)  # answer lines are stroked in this gray


@dataclass
class Report:
    """What preflight found in one PDF."""

    file: str
    sha256: str = ""  # of the PDF judged: a report beside a file of another hash is stale
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


def preflight(pdf: bytes, name: str, paper: str | None = None, duplex: bool = False,
              accessible: bool = False) -> Report:
    """Check one PDF; `paper` is letter or a4 (default: whichever the first page is).

    `accessible`: an untagged PDF, content outside marked content, no language or no
    headings are findings (the facts are reported either way)."""
    import pypdfium2

    report = Report(name, hashlib.sha256(pdf).hexdigest())
    if not pdf.rstrip().endswith(b"%%EOF"):
        report.findings.append("not a readable PDF: it is truncated (no %%EOF at the end)")
        return report
    try:
        doc = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as e:
        report.findings.append(f"not a readable PDF: {e}")
        return report
    try:
        report.pages = len(doc)
        _page_size([doc.get_page_size(i) for i in range(len(doc))], paper, report)
        untagged = _pages(doc, report)
        _accessibility(doc, pdf, untagged, report, accessible)
    finally:
        doc.close()
    report.checks["duplex_even"] = report.pages % 2 == 0
    if duplex and report.pages % 2:
        report.findings.append(f"{report.pages} pages: an odd count; pad to an even count so "
                               "the next copy starts on a new sheet")
    return report


def _page_size(sizes: list[tuple[float, float]], paper: str | None, report: Report) -> None:
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
        self.fonts: dict[str, bool] = {}  # fonts that draw text: embedded or not
        self.clear_of_edges = True  # every object's bounds stay out of the 0.25 in band
        self.untagged = 0  # page objects in no marked-content sequence (content or artifact)

    @classmethod
    def of(cls, page: Any) -> _PageScan:
        """Scan one pypdfium2 page (with pdfium's own calls: a wrapper per object costs more
        than the scan)."""
        import pypdfium2.raw as raw

        scan = cls()
        width, height = page.get_size()
        known: dict[int | None, str] = {}  # font handle -> name
        box = [ctypes.c_float() for _ in range(4)]
        refs = [ctypes.byref(c) for c in box]
        textpage = page.get_textpage()

        def visit(obj: Any, top_level: bool = False) -> None:
            kind = raw.FPDFPageObj_GetType(obj)
            if top_level and raw.FPDFPageObj_CountMarks(obj) == 0:
                scan.untagged += 1
            raw.FPDFPageObj_GetBounds(obj, *refs)
            left, bottom, right, top = (c.value for c in box)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                # a form's objects have bounds in its own space: render to be sure
                scan.clear_of_edges = False
                for i in range(raw.FPDFFormObj_CountObjects(obj)):
                    visit(raw.FPDFFormObj_GetObject(obj, i))
                return
            if (left < SAFE_MARGIN or bottom < SAFE_MARGIN or right > width - SAFE_MARGIN
                    or top > height - SAFE_MARGIN):
                scan.clear_of_edges = False
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                font = raw.FPDFTextObj_GetFont(obj)
                key = ctypes.cast(font, ctypes.c_void_p).value
                if key not in known:
                    known[key] = font_name(raw, font)
                    scan.fonts[known[key]] = bool(raw.FPDFFont_GetIsEmbedded(font))
                if "Bold" in known[key]:  # question numbers are bold
                    m = _QUESTION.match(object_text(raw, obj, textpage))
                    if m:
                        scan.labels.append((bottom, m.group(1)))
            elif kind == raw.FPDF_PAGEOBJ_PATH and top - bottom < 2 and right > left:
                if _stroke_gray(raw, obj) == _RULE_GRAY:
                    scan.rules.append((top + bottom) / 2)

        try:
            scan.has_text = bool(textpage.get_text_range().strip())
            for i in range(raw.FPDFPage_CountObjects(page.raw)):
                visit(raw.FPDFPage_GetObject(page.raw, i), True)
        finally:
            textpage.close()
        return scan


def object_text(raw: Any, obj: Any, textpage: Any) -> str:
    """The text a pdfium text object draws."""
    n = raw.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
    buf = ctypes.create_string_buffer(n)
    out = ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort))
    raw.FPDFTextObj_GetText(obj, textpage.raw, out, n)
    return buf.raw.decode("utf-16-le", errors="replace").rstrip("\x00")


def font_name(raw: Any, font: Any) -> str:
    """A pdfium font's base name ("NotoSans-Bold", with its subset prefix)."""
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(n)
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    return buf.value.decode("latin-1")


def _stroke_gray(raw: Any, obj: Any) -> int | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetStrokeColor(obj, *(ctypes.byref(c) for c in (r, g, b, a))):
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


def _edge_ink(page: Any) -> bool:
    """Whether any ink stands within 0.25 in of the page edge.

    Rendered in gray at 36 dpi, where the 18 pt band is 9 pixels wide; the
    bitmap's bytes are read directly, row by row.
    """
    scale = 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        w, h, stride = bitmap.width, bitmap.height, bitmap.stride
        data = bytes(bitmap.buffer)
    finally:
        bitmap.close()
    m = int(SAFE_MARGIN * scale) - 1
    if min(data[: m * stride]) < 250 or min(data[(h - m) * stride :]) < 250:
        return True
    return any(min(data[y * stride : y * stride + m]) < 250
               or min(data[y * stride + w - m : y * stride + w]) < 250 for y in range(h))


def _pages(doc: Any, report: Report) -> int:
    """One pdfium pass over the pages: fonts, text, questions and their lines, edge ink.

    Returns the number of page objects outside marked content."""
    scans, bad = [], []
    for i in range(len(doc)):
        page = doc[i]
        scan = _PageScan.of(page)
        scans.append(scan)
        # Bounds (stroke width included) inside the safe area mean no ink at the
        # edge; only other pages are rendered to see whether ink is really there.
        if not scan.clear_of_edges and _edge_ink(page):
            bad.append(i + 1)
        page.close()
    fonts: dict[str, bool] = {}
    for scan in scans:
        for name, embedded in scan.fonts.items():
            fonts[name] = fonts.get(name, True) and embedded
    report.checks["fonts"] = fonts
    for name, embedded in sorted(fonts.items()):
        if not embedded:
            report.findings.append(f"font {name} is not embedded")
    _text(scans, report)
    _questions(scans, report)
    for n in bad:
        report.findings.append(f"page {n} has ink within 0.25 in of the edge")
    report.checks["edge_ink_pages"] = bad
    return sum(scan.untagged for scan in scans)


_HEADING = re.compile(rb"/S\s*/H[1-6]?(?![A-Za-z0-9])")


def _accessibility(doc: Any, pdf: bytes, untagged: int, report: Report,
                   accessible: bool) -> None:
    """Tagged (PDF/UA's /MarkInfo and structure tree), untagged objects, /Lang, headings.

    Headings are counted in the file's bytes (no tree walk: every build runs this);
    structure elements inside compressed object streams are not seen.
    """
    import pypdfium2.raw as raw

    tagged = bool(raw.FPDFCatalog_IsTagged(doc.raw))
    n = raw.FPDFCatalog_GetLanguage(doc.raw, None, 0)
    lang = ""
    if n > 2:
        buf = ctypes.create_string_buffer(n)
        raw.FPDFCatalog_GetLanguage(doc.raw, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n)
        lang = buf.raw.decode("utf-16-le", errors="replace").rstrip("\x00")
    headings = len(_HEADING.findall(pdf)) if tagged else 0
    if tagged and not headings:  # the tree may be in compressed object streams (packets)
        headings = _tree_headings(doc)
    report.checks["accessibility"] = {"tagged": tagged, "untagged_objects": untagged,
                                      "lang": lang or None, "headings": headings}
    if not accessible:
        return
    if not tagged:
        report.findings.append("not tagged (no structure tree): a screen reader cannot read "
                               "it in order")
    if untagged:
        report.findings.append(f"{untagged} page objects are outside marked content (neither "
                               "tagged content nor artifacts)")
    if not lang:
        report.findings.append("no document language (/Lang)")
    if tagged and not headings:
        report.findings.append("no headings in the structure tree")


def _tree_headings(doc: Any) -> int:
    """Headings in the structure tree of the first pages, read by pdfium (slower)."""
    import pypdfium2.raw as raw

    found = 0
    buf = ctypes.create_string_buffer(64)

    def walk(elem: Any) -> None:
        nonlocal found
        n = raw.FPDF_StructElement_GetType(elem, buf, 64)
        role = buf.raw[:max(n - 2, 0)].decode("utf-16-le", errors="replace")
        if re.fullmatch(r"H[1-6]?", role):
            found += 1
        for i in range(raw.FPDF_StructElement_CountChildren(elem)):
            kid = raw.FPDF_StructElement_GetChildAtIndex(elem, i)
            if kid:
                walk(kid)

    for i in range(min(len(doc), 3)):
        page = doc[i]
        tree = raw.FPDF_StructTree_GetForPage(page.raw)
        try:
            for k in range(raw.FPDF_StructTree_CountChildren(tree)):
                walk(raw.FPDF_StructTree_GetChildAtIndex(tree, k))
        finally:
            raw.FPDF_StructTree_Close(tree)
            page.close()
        if found:
            break
    return found


def preflight_file(path: str | Path, paper: str | None = None, duplex: bool = False,
                   write_report: bool = True, accessible: bool = False) -> Report:
    """Preflight a PDF on disk, writing `<name>.preflight.json` beside it."""
    from .write import write_atomic

    path = Path(path)
    report = preflight(path.read_bytes(), str(path), paper, duplex, accessible)
    if write_report:  # the hash in the report says which bytes it judged
        write_atomic(path.with_suffix(".preflight.json"), report.to_json().encode())
    return report
