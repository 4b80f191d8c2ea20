"""Image documents on the page: the picture at the text width in grayscale, tagged as a
Figure with /Alt and /BBox inside its document's section, the transcript as paragraphs,
passing the independent checkers; in the digital editions too."""

from __future__ import annotations

import ctypes
import json
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from worksheets import build, export, load_lesson
from worksheets.cli import main
from worksheets.compose.images import MIN_SCALE
from worksheets.load.layout import layout_dirs, load_layout
from worksheets.pipeline import Job, render_job

from ..pdfutil import ROOT, a11y_failures, a11ycheck, pdfcheck
from .test_tagging import walk

LESSON = ROOT / "tests" / "lessons" / "berlin-airlift"
MAP_ALT = ("A map of Germany. Three air corridors, drawn as white bands, run from Hamburg, "
           "Hanover and Frankfurt in the western zones across the shaded Soviet zone to Berlin.")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both variants' student and key on Letter and in large print, with preflight."""
    out = tmp_path_factory.mktemp("images")
    written = build([LESSON], out, variants=["all"], layouts=["letter", "large-print"],
                    editions=["student", "key"])
    return {Path(p).name.removeprefix("berlin-airlift-").removesuffix(".pdf"): out / Path(p).name
            for p in written}


def images(pdf: Path) -> list[tuple[int, Any]]:
    """Every image XObject drawn, with its page (0-based)."""
    out = []
    for n, page in enumerate(PdfReader(pdf).pages):
        resources: Any = page["/Resources"]
        for ref in resources.get("/XObject", {}).values():
            x = ref.get_object()
            if x["/Subtype"] == "/Image":
                out.append((n, x))
    return out


def image_bounds(pdf: Path) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Where each image is drawn: (page, (x0, y0, x1, y1)), read by pdfium."""
    import pypdfium2
    import pypdfium2.raw as raw

    doc = pypdfium2.PdfDocument(pdf)
    out = []
    box = [ctypes.c_float() for _ in range(4)]
    for n in range(len(doc)):
        page = doc[n]
        for i in range(raw.FPDFPage_CountObjects(page.raw)):
            obj = raw.FPDFPage_GetObject(page.raw, i)
            if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_IMAGE:
                raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(c) for c in box))
                out.append((n, (box[0].value, box[1].value, box[2].value, box[3].value)))
        page.close()
    doc.close()
    return out


def test_every_pdf_shows_both_pictures_in_grayscale(pdfs: dict[str, Path]) -> None:
    assert len(pdfs) == 8
    for name, pdf in pdfs.items():
        found = images(pdf)
        assert len(found) == 2, name
        for _, x in found:
            assert x["/ColorSpace"] == "/DeviceGray" and x["/BitsPerComponent"] == 8, name
        assert sorted((int(x["/Width"]), int(x["/Height"])) for _, x in found) == [
            (900, 1100), (1200, 900)]


def test_the_map_spans_the_text_width(pdfs: dict[str, Path]) -> None:
    lay = load_layout("letter", layout_dirs([]))
    (_, (x0, _, x1, _)), _ = image_bounds(pdfs["standard-letter-student"])
    assert (x0, x1 - x0) == pytest.approx((lay.margin_left, lay.text_width), abs=0.5)
    # in large print it starts a page that has less room: smaller, centred
    lay = load_layout("large-print", layout_dirs([]))
    (_, (x0, _, x1, _)), _ = image_bounds(pdfs["standard-large-print-student"])
    assert MIN_SCALE * lay.text_width - 0.5 < x1 - x0 < lay.text_width
    assert (x0 + x1) / 2 == pytest.approx(lay.margin_left + lay.text_width / 2, abs=0.5)


def _figures(pdf: Path) -> list[tuple[Any, Any]]:
    """Each Figure element with its parent."""
    return [(e, cast(Any, e["/P"]).get_object()) for _, role, e in walk(pdf.read_bytes())
            if role == "Figure"]


def test_the_figure_is_read_as_its_alt_inside_its_documents_section(
        pdfs: dict[str, Path]) -> None:
    for name, pdf in pdfs.items():
        figures = [(e, parent) for e, parent in _figures(pdf) if "/BBox" in e.get("/A", {})]
        assert [str(e["/Alt"])[:13] for e, _ in figures] == ["A map of Germ", "A cartoon. A "]
        assert str(figures[0][0]["/Alt"]) == MAP_ALT
        for _, parent in figures:
            assert parent["/S"] == "/Sect", name
            assert parent["/K"][0].get_object()["/S"] == "/H2", name  # the document's heading
        bounds = image_bounds(pdf)
        pages = PdfReader(pdf).pages
        for (e, _), (page, box) in zip(figures, bounds, strict=True):
            assert [float(v) for v in e["/A"]["/BBox"]] == pytest.approx(box, abs=0.6), name
            assert e.raw_get("/Pg").idnum == cast(Any, pages[page].indirect_reference).idnum


def test_the_picture_is_the_figures_marked_content(pdfs: dict[str, Path]) -> None:
    from pypdf.generic import ContentStream

    r = PdfReader(pdfs["standard-letter-student"])
    drawn = 0
    for page in r.pages:
        ops = ContentStream(page.get_contents(), r).operations
        stack: list[bytes] = []
        for operands, op in ops:
            if op in (b"BDC", b"BMC"):
                stack.append(bytes(str(operands[0]), "ascii"))
            elif op == b"EMC":
                stack.pop()
            elif op == b"Do" and str(operands[0]).startswith("/FormXob"):
                assert stack and stack[0] == b"/Figure"
                drawn += 1
    assert drawn == 2


def test_the_transcript_prints_under_the_map_and_the_credit_under_the_cartoon(
        pdfs: dict[str, Path]) -> None:
    reports = a11ycheck([pdfs["standard-letter-student"]], "--order",
                        "Document B: The Air Corridors to Berlin", "A map, 1948.",
                        "Map labels: WESTERN ZONES", "Source: A map drawn",
                        "Document C: Right on Time", "Drawn for the worksheets test suite",
                        "Source: A cartoon drawn")
    assert a11y_failures(reports) == {}
    simplified = PdfReader(pdfs["supported-letter-student"]).pages
    text = " ".join(p.extract_text() for p in simplified)
    assert "The map shows three air corridors." in text and "Map labels" not in text


def test_every_pdf_passes_a11ycheck(pdfs: dict[str, Path]) -> None:
    reports = a11ycheck(sorted(pdfs.values()))
    assert a11y_failures(reports) == {}
    for r in reports:
        assert r["facts"]["untagged_ops"] == 0
    large = [p for n, p in pdfs.items() if "large-print" in n]
    assert a11y_failures(a11ycheck(large, "--min-pt", "14", "--share-pt", "18:0.98")) == {}


def test_print_checks_pass_in_grayscale(pdfs: dict[str, Path]) -> None:
    letter = [p for n, p in pdfs.items() if "letter" in n]
    status, report = pdfcheck(letter, "--gray", "require")
    assert status == 0, report
    for pdf in pdfs.values():
        facts = json.loads(pdf.with_suffix(".preflight.json").read_text())
        assert facts["findings"] == [], pdf.name


def test_the_same_lesson_gives_the_same_bytes() -> None:
    lesson = load_lesson(LESSON)
    job = Job(lesson, "standard", load_layout("large-print", layout_dirs([])), "key")
    assert render_job(job) == render_job(Job(load_lesson(LESSON), "standard", job.layout,
                                             "key"))


def test_the_build_from_the_command_line(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["build", str(LESSON), "-o", str(tmp_path), "--edition",
                                  "student", "-q"])
    assert r.exit_code == 0, r.output
    (pdf,) = tmp_path.glob("*.pdf")
    assert len(images(pdf)) == 2


def test_the_docx_has_the_pictures_with_their_alt(tmp_path: Path) -> None:
    written = export([LESSON], tmp_path, formats=["docx", "gift", "qti"])
    docx = next(p for p in map(Path, written) if p.name.endswith("standard-student.docx"))
    with zipfile.ZipFile(docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        xml = z.read("word/document.xml").decode()
    assert len(media) == 2
    assert f'descr="{MAP_ALT}"' in xml
    gift = next(p for p in map(Path, written) if p.name.endswith(".gift.txt")).read_text()
    assert "[Image\\: A map of Germany." in gift


def test_the_lesson_checks_clean_in_every_layout() -> None:
    from worksheets.pipeline import check

    problems = [p for p in check([LESSON], render_all=True) if p.severity != "info"]
    assert problems == []
