"""Rendered pages against reference images, within a tolerance; diff images on failure."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

import worksheets
from tests.pdfutil import GOLDEN, LESSON, ROOT, UPDATE
from worksheets.load.layout import load_layout
from worksheets.pipeline import Job, render_job

FAILURES = Path(__file__).resolve().parents[1] / "_failures"
SCALE = 0.75  # 54 pixels per inch: enough to see layout, small enough to commit

# (variant, layout, edition, page)
PAGES = [
    ("standard", "letter", "student", 1),
    ("standard", "letter", "key", 3),
    ("standard", "letter", "key", 9),
    ("spanish", "a4", "student", 2),
    ("supported", "large-print", "student", 1),
]


def render_page(variant: str, layout: str, edition: str, page: int) -> Image.Image:
    lesson = worksheets.load_lesson(LESSON)
    pdf = render_job(Job(lesson, variant, load_layout(layout), edition))  # type: ignore[arg-type]
    doc = pypdfium2.PdfDocument(pdf)
    try:
        image: Image.Image = doc[page - 1].render(scale=SCALE, grayscale=True).to_pil()
        return image.convert("L")
    finally:
        doc.close()


@pytest.mark.parametrize(("variant", "layout", "edition", "page"), PAGES)
def test_page_looks_like_reference(variant: str, layout: str, edition: str, page: int,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    name = f"{variant}-{layout}-{edition}-p{page}.png"
    got = render_page(variant, layout, edition, page)
    ref_path = GOLDEN / name
    if UPDATE:
        got.save(ref_path, optimize=True)
    with Image.open(ref_path) as opened:
        ref = opened.convert("L")
        assert got.size == ref.size, f"{name}: size {got.size} != {ref.size}"
        diff = ImageChops.difference(got, ref)
        hist = diff.histogram()
        changed = sum(hist[48:])  # pixels off by more than anti-aliasing noise
        ratio = changed / (got.size[0] * got.size[1])
        if ratio > 0.002:
            FAILURES.mkdir(exist_ok=True)
            got.save(FAILURES / name)
            diff.point(lambda v: 255 - min(255, v * 4)).save(FAILURES / f"diff-{name}")
            pytest.fail(f"{name}: {ratio:.2%} of pixels differ; see tests/_failures/{name} "
                        f"and diff-{name} (WORKSHEETS_UPDATE_GOLDEN=1 accepts the change)")
