"""Print preflight: check a finished PDF the way a print shop would, and say what it found.

Fonts embedded (no Type 3), page size, no ink in the outer 0.25 in, every
question on the same page as its answer lines, page-count parity for duplex,
and text on every page that has ink.
"""

from __future__ import annotations

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
    _text(pages, report)
    _questions(pages, report)
    _ink(pdf, report)
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


def _text(pages: list[Any], report: Report) -> None:
    empty = [i for i, p in enumerate(pages, start=1) if not (p.extract_text() or "").strip()]
    report.checks["pages_without_text"] = empty
    for i in empty:
        report.findings.append(f"page {i} has no extractable text")


class _PageScan:
    """Bold question labels and gray answer rules on one page, with their heights."""

    def __init__(self) -> None:
        self.labels: list[tuple[float, str]] = []
        self.rules: list[float] = []
        self.gray = False
        self.start_y = 0.0
        self.stack: list[bool] = []

    def op(self, op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"RG":
            self.gray = tuple(round(float(a), 2) for a in args) == _RULE_GRAY
        elif op == b"G":
            self.gray = round(float(args[0]), 2) == _RULE_GRAY[0]
        elif op == b"q":
            self.stack.append(self.gray)
        elif op == b"Q" and self.stack:
            self.gray = self.stack.pop()
        elif op == b"m":
            self.start_y = float(args[1]) * cm[3] + cm[5]
        elif op == b"l" and self.gray:
            y = float(args[1]) * cm[3] + cm[5]
            if abs(y - self.start_y) < 0.01:  # horizontal
                self.rules.append(y)

    def text(self, t: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        m = _QUESTION.match(t)
        name = str(font.get("/BaseFont", "")) if font is not None else ""
        if m and "Bold" in name:
            self.labels.append((tm[5] * cm[3] + cm[5], m.group(1)))


def _questions(pages: list[Any], report: Report) -> None:
    """Each numbered question must have an answer line below it on its own page."""
    parted = []
    seen = 0
    for n, page in enumerate(pages, start=1):
        scan = _PageScan()
        page.extract_text(visitor_operand_before=scan.op, visitor_text=scan.text)
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


def _ink(pdf: bytes, report: Report) -> None:
    """No ink within 0.25 in of the edge, rendered at 72 dpi (one pixel per point)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    bad = []
    try:
        for i in range(len(doc)):
            image = doc[i].render(scale=1, grayscale=True).to_pil().convert("L")
            w, h = image.size
            m = int(SAFE_MARGIN) - 1
            boxes = [(0, 0, w, m), (0, h - m, w, h), (0, 0, m, h), (w - m, 0, w, h)]
            if any(image.crop(b).getextrema()[0] < 250 for b in boxes):
                bad.append(i + 1)
                report.findings.append(f"page {i + 1} has ink within 0.25 in of the edge")
    finally:
        doc.close()
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
