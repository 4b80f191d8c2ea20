"""Print preflight: clean on what we make, and it catches a deliberately broken PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.pdfutil import LESSON, ROOT
from worksheets.cli import main
from worksheets.fonts import SANS, register_fonts
from worksheets.preflight import preflight, preflight_file


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    mp = pytest.MonkeyPatch()
    mp.chdir(ROOT)
    r = CliRunner().invoke(main, ["build", str(LESSON), "-o", str(out), "--variant", "all",
                                  "--layout", "letter", "--layout", "a4", "-q"])
    mp.undo()
    assert r.exit_code == 0, r.output
    return out


def test_build_writes_clean_preflight_reports(built: Path) -> None:
    pdfs = sorted(built.glob("*.pdf"))
    reports = sorted(built.glob("*.preflight.json"))
    assert len(reports) == len(pdfs) == 3 * 2 * 2 + 2
    for r in reports:
        data = json.loads(r.read_text())
        assert data["ok"] is True and data["findings"] == [], r.name
        assert all(data["checks"]["fonts"].values())
    student = json.loads((built / "cuban-missile-crisis-standard-letter-student.preflight.json")
                         .read_text())
    assert student["checks"]["questions_seen"] == 13
    assert student["checks"]["paper"] == "letter"
    a4 = json.loads((built / "cuban-missile-crisis-standard-a4-key.preflight.json").read_text())
    assert a4["checks"]["paper"] == "a4" and a4["checks"]["questions_seen"] == 13


def _broken() -> bytes:
    """A4 page: Helvetica text at the edge, question 3 at the foot with its lines overleaf."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(4, 400, "edge")
    c.setFont(SANS + "-Bold", 10)
    c.drawString(72, 60, "3. Who wrote this letter?")
    c.showPage()
    c.setStrokeColorRGB(0.45, 0.45, 0.45)
    c.line(72, 700, 500, 700)
    c.setFont(SANS, 10)
    c.drawString(72, 720, "lines")
    c.showPage()
    c.showPage()  # a blank third page
    c.save()
    return buf.getvalue()


def test_preflight_catches_a_broken_pdf() -> None:
    report = preflight(_broken(), "broken.pdf", paper="letter", duplex=True)
    assert not report.ok
    assert report.findings == [
        "page 1 is 595 x 842 pt, not letter",
        "page 2 is 595 x 842 pt, not letter",
        "page 3 is 595 x 842 pt, not letter",
        "font Helvetica is not embedded",
        "page 3 has no extractable text",
        "question 3 on page 1 has no answer lines below it on that page",
        "page 1 has ink within 0.25 in of the edge",
        "3 pages: an odd count; pad to an even count so the next copy starts on a new sheet",
    ]


def test_preflight_command(tmp_path: Path, built: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_broken())
    good = built / "cuban-missile-crisis-standard-letter-student.pdf"
    r = CliRunner().invoke(main, ["preflight", str(good)])
    assert r.exit_code == 0 and r.stdout.startswith(f"{good}: ok")
    r = CliRunner().invoke(main, ["preflight", str(bad), "--strict"])
    assert r.exit_code == 1
    assert f"{bad}: 4 findings" in r.stdout  # paper taken from the file; duplex not asked
    assert json.loads((tmp_path / "bad.preflight.json").read_text())["ok"] is False
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(good.read_bytes()[:5000])
    report = preflight_file(truncated)
    assert report.findings[0].startswith("not a readable PDF")


def _edges() -> bytes:
    """Letter pages: a thick rule whose stroke (not its path) enters the band; a white box
    in the band; ink drawn in a form XObject near the edge; a page kept clear of the band."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(612, 792))
    c.setLineWidth(8)
    c.line(100, 22, 500, 22)  # the path is 22 pt up, its 8 pt stroke reaches down to 18 pt
    c.line(100, 30, 500, 30)
    c.setLineWidth(12)
    c.line(591, 400, 591, 500)  # the path is 21 pt from the edge, its stroke 15 pt
    c.showPage()
    c.setFillColorRGB(1, 1, 1)
    c.rect(0, 0, 612, 10, stroke=0, fill=1)  # white on white: bounds in the band, no ink
    c.showPage()
    c.beginForm("corner")
    c.rect(2, 2, 20, 20, stroke=0, fill=1)
    c.endForm()
    c.doForm("corner")
    c.showPage()
    c.rect(18.5, 18.5, 575, 755, stroke=1, fill=0)  # just clear of the band
    c.showPage()
    c.save()
    return buf.getvalue()


def test_edge_ink_is_found_whatever_draws_it() -> None:
    report = preflight(_edges(), "edges.pdf", paper="letter")
    assert report.checks["edge_ink_pages"] == [1, 3]
