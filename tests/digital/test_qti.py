"""Canvas QTI .zip: a content package whose assessment holds every question, answers keyed."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from worksheets import export, load_lesson

from .qtiutil import QTI, check_items, meta

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "content" / "cuban-missile-crisis"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS = {"choice": "multiple_choice_question", "true-false": "true_false_question",
          "written": "essay_question"}


def _check(path: Path, lesson_path: Path, variant: str) -> None:
    lesson = load_lesson(lesson_path)
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert names[0] == "imsmanifest.xml"
        manifest = etree.fromstring(zf.read("imsmanifest.xml"))
        resources = manifest.findall(f"{CP}resources/{CP}resource")
        assert [r.get("type") for r in resources] == ["imsqti_xmlv1p2"]
        for r in resources:
            for f in r.findall(f"{CP}file"):
                assert f.get("href") in names
        root = etree.fromstring(zf.read(resources[0].find(f"{CP}file").get("href")))
    check_items(root, lesson, variant, "question_type", CANVAS)
    stimuli = [i for i in root.iter(f"{QTI}item")
               if meta(i)["question_type"] == "text_only_question"]
    shown = [d for d in lesson.documents if lesson.variants[variant].shows_document(d.id)]
    assert [s.get("ident") for s in stimuli] == [f"doc-{d.id}" for d in shown]
    for s, d in zip(stimuli, shown, strict=True):
        text = "".join(etree.fromstring(
            f"<div>{s.findtext(f'.//{QTI}mattext')}</div>".encode()).itertext())
        body = d.bodies[lesson.variants[variant].reading_level]
        for block in body.blocks:
            assert block.text.replace("\n", "") in text


def test_shipped_lesson_every_variant(tmp_path: Path) -> None:
    written = export([LESSON], tmp_path, ["qti"], ["all"])
    assert [p.name for p in written] == [f"cuban-missile-crisis-{v}-qti.zip"
                                         for v in ("standard", "supported", "spanish")]
    for p in written:
        _check(p, LESSON, p.name.split("-")[-2])


def test_test_lesson_every_variant(tmp_path: Path, export_lesson: Path) -> None:
    written = export([export_lesson], tmp_path, ["qti"], ["all"])
    for p in written:
        _check(p, export_lesson, p.name.split("-")[-2])


def test_question_numbers_and_order_as_in_the_pdf(tmp_path: Path) -> None:
    (p,) = export([LESSON], tmp_path, ["qti"])
    with zipfile.ZipFile(p) as zf:
        root = etree.fromstring(zf.read(next(n for n in zf.namelist() if n.endswith(".xml")
                                             and n != "imsmanifest.xml")))
    titles = [i.get("title") for i in root.iter(f"{QTI}item")]
    assert titles[:3] == ["Document A: Letter From Chairman Khrushchev to President Kennedy "
                          "(Modified)", "Question 1", "Question 2"]
    assert [t for t in titles if t.startswith("Question")] == [f"Question {n}"
                                                               for n in range(1, 14)]
    assert titles[-1] == "Claim"


def test_structure_markup_as_html() -> None:
    from worksheets.digital.assessment import blocks_html
    from worksheets.markup import parse_body

    blocks = parse_body("## ARTICLE I\n\nOne. {.quote}\n\nTwo. {.quote}\n\nAfter.").blocks
    assert blocks_html(blocks) == (
        '<h4 class="heading">ARTICLE I</h4><blockquote><p class="quote">One.</p>'
        '<p class="quote">Two.</p></blockquote><p class="text">After.</p>')
