"""Helpers for reading back the PDFs the tests make."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "content" / "cuban-missile-crisis"
GOLDEN = Path(__file__).resolve().parent / "golden"
PDFCHECK = ROOT.parent / "shared" / "tools" / "pdfcheck"
UPDATE = os.environ.get("WORKSHEETS_UPDATE_GOLDEN") == "1"


def norm(text: str) -> str:
    """Whitespace folded to single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def pages_text(pdf: bytes | Path) -> list[str]:
    """The extracted text of each page."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def body_text(pdf: bytes | Path, footer_title: str, attribution: str) -> str:
    """All pages' text without the running footer and banner, for checks across page breaks."""
    out = []
    for page in pages_text(pdf):
        # large print cuts a long title ("...") and prints the attribution once, at the end
        page = re.sub(r"\s*(?:" + re.escape(footer_title) + r"|[^\n]*\u2026)\s*Page \d+ of \d+"
                      r"\s*(?:" + re.escape(attribution) + r")?\s*$", "", page)
        # margin line numbers stand on lines of their own
        page = re.sub(r"(?m)^\d+(\n|$)", "", page)
        out.append(page.removeprefix("Teacher Key\n"))
    return "\n".join(out)


def assert_in_order(text: str, phrases: list[str]) -> None:
    """Every phrase occurs in `text` (whitespace-folded), each after the one before."""
    hay = norm(text)
    pos = 0
    for ph in phrases:
        i = hay.find(norm(ph), pos)
        assert i >= 0, f"missing or out of order: {ph!r} (searched from offset {pos})"
        pos = i + len(norm(ph))


def font_sizes(pdf: bytes, needle: str) -> list[float]:
    """Effective font sizes of the text chunks that contain `needle`."""
    sizes: list[float] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if needle in text:
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes.append(round(size * scale, 2))

        page.extract_text(visitor_text=visit)
    return sizes


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Every font used by any page, mapped to whether its program is embedded."""
    out: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            f = ref.get_object()
            name = str(f.get("/BaseFont"))
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            out[name] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def pdfcheck(paths: list[Path], *args: str) -> tuple[int, str]:
    """Run the independent print checker; return (exit status, stderr summary)."""
    if not PDFCHECK.exists() or not shutil.which("qpdf"):
        if os.environ.get("CI") or os.environ.get("HYPOTHESIS_PROFILE") == "ci":  # .ci/run
            raise AssertionError("pdfcheck or its tools are missing in CI")
        import pytest

        pytest.skip("../shared/tools/pdfcheck or qpdf not available")
    r = subprocess.run([sys.executable, str(PDFCHECK), "--jsonl", *args, *map(str, paths)],
                       capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout + r.stderr


def serif_lines(pdf: bytes) -> tuple[list[tuple[int, float, str]], list[tuple[int, float, str]]]:
    """Document-body lines (serif text) and margin numbers, as (page, baseline y, text), in order.

    In a student edition only document texts (and italic datelines) are set in the serif face.
    """
    body: dict[tuple[int, float], str] = {}
    numbers: list[tuple[int, float, str]] = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, n: int = n) -> None:
            if not text.strip() or font is None:
                return
            name = str(font.get("/BaseFont", ""))
            x, y = tm[4] * cm[0] + cm[4], round(tm[5] * cm[3] + cm[5], 1)
            if "Sans" in name and text.strip().isdigit() and x < 60:
                numbers.append((n, y, text.strip()))
            elif "Serif" in name and "Italic" not in name:  # datelines are italic
                body[(n, y)] = body.get((n, y), "") + text

        page.extract_text(visitor_text=visit)
    ordered = sorted(body.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    return [(p, y, t) for (p, y), t in ordered], numbers


A11YCHECK = ROOT.parent / "shared" / "tools" / "a11ycheck"


def a11ycheck(paths: list[Path], *args: str) -> list[dict[str, Any]]:
    """Run the accessibility reviewer on many files in one call; its report for each file.

    `args` come after the files (`--order` takes every word after it). Skipped locally
    when its packages or tools are missing; CI (HYPOTHESIS_PROFILE=ci) fails instead.
    """
    import importlib.util
    import json

    missing = [m for m in ("page", "pikepdf") if importlib.util.find_spec(m) is None]
    missing += [t for t in ("pdfinfo", "mutool") if shutil.which(t) is None]
    if not A11YCHECK.exists():
        missing.append(str(A11YCHECK))
    if missing:
        if os.environ.get("HYPOTHESIS_PROFILE") == "ci":
            raise AssertionError(f"a11ycheck needs {', '.join(missing)} in CI")
        import pytest

        pytest.skip(f"a11ycheck needs {', '.join(missing)}")
    r = subprocess.run([sys.executable, str(A11YCHECK), *map(str, paths), "--jsonl", *args],
                       capture_output=True, text=True, timeout=600)
    reports = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert len(reports) == len(paths), r.stdout + r.stderr
    return reports


def a11y_failures(reports: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The files that failed, with what failed."""
    return {Path(r["file"]).name: r["failed"] for r in reports if not r["ok"]}
