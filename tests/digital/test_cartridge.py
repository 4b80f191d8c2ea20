"""Common Cartridge 1.3: the manifest's structure (IMS CC 1.3 / CP 1.2), its files, the
instructor-only key, and the QTI quiz in the CC profile."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from worksheets import export, load_lesson

from .qtiutil import QTI, check_items, meta

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "content" / "cuban-missile-crisis"
CC = "{http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1}"
LOM = "{http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource}"
LOMM = "{http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest}"
PROFILES = {"choice": "cc.multiple_choice.v0p1", "true-false": "cc.true_false.v0p1",
            "written": "cc.essay.v0p1"}
WEB, QUIZ = "webcontent", "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"


def _check(path: Path, lesson_path: Path, variant: str) -> dict[str, bytes]:
    lesson = load_lesson(lesson_path)
    stem = f"{lesson.id}-{variant}"
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    assert next(iter(files)) == "imsmanifest.xml"
    m = etree.fromstring(files["imsmanifest.xml"])
    assert m.tag == f"{CC}manifest"
    assert m.findtext(f"{CC}metadata/{CC}schema") == "IMS Common Cartridge"
    assert m.findtext(f"{CC}metadata/{CC}schemaversion") == "1.3.0"
    title = m.findtext(f"{CC}metadata/{LOMM}lom/{LOMM}general/{LOMM}title/{LOMM}string")
    assert title == f"{lesson.title} ({lesson.variants[variant].title})"

    ids = [el.get("identifier") for el in m.iter() if el.get("identifier")]
    assert len(ids) == len(set(ids)), "identifiers must be unique"
    resources = {r.get("identifier"): r for r in m.iter(f"{CC}resource")}
    for r in resources.values():
        hrefs = [f.get("href") for f in r.findall(f"{CC}file")]
        assert hrefs and all(h in files for h in hrefs), "every resource's file is in the zip"
        if r.get("href"):
            assert r.get("href") in hrefs
        for dep in r.findall(f"{CC}dependency"):
            assert dep.get("identifierref") in resources
    assert set(files) == {"imsmanifest.xml"} | {f.get("href") for f in m.iter(f"{CC}file")}

    (org,) = m.findall(f"{CC}organizations/{CC}organization")
    assert org.get("structure") == "rooted-hierarchy"
    (root_item,) = org.findall(f"{CC}item")
    assert root_item.find(f"{CC}title") is None  # the root item of a CC has no title
    (module,) = root_item.findall(f"{CC}item")
    assert module.findtext(f"{CC}title") == title
    entries = module.findall(f"{CC}item")
    assert [e.findtext(f"{CC}title") for e in entries] == [
        "Student worksheet (PDF)", "Student worksheet (editable DOCX)", "Teacher key (PDF)",
        "Teacher key (editable DOCX)", title]
    refs = [resources[e.get("identifierref")] for e in entries]
    assert [r.get("type") for r in refs] == [WEB, WEB, WEB, WEB, QUIZ]
    names = [os.path.basename(r.find(f"{CC}file").get("href")) for r in refs[:4]]
    assert names == [f"{stem}-letter-student.pdf", f"{stem}-student.docx",
                     f"{stem}-letter-key.pdf", f"{stem}-key.docx"]
    roles = [[v.text for v in r.iter(f"{LOM}value")] for r in refs]
    assert roles == [[], [], ["Instructor"], ["Instructor"], []]
    assert [s.text for s in refs[2].iter(f"{LOM}source")] == ["IMSGLC_CC_Rolesv1p3"]

    quiz_href = refs[4].find(f"{CC}file").get("href")
    quiz = etree.fromstring(files[quiz_href])
    assert meta(quiz.find(f"{QTI}assessment/{QTI}qtimetadata"))["cc_profile"] == "cc.exam.v0p1"
    items = check_items(quiz, lesson, variant, "cc_profile", PROFILES)
    assert all(meta(i)["cc_profile"] in PROFILES.values() for i in quiz.iter(f"{QTI}item"))
    [dep] = refs[4].findall(f"{CC}dependency")
    assert dep.get("identifierref") == refs[0].get("identifier")
    return {"quiz": files[quiz_href], "student": files[f"web_resources/{names[0]}"],
            "items": str(len(items)).encode()}


def test_shipped_lesson_every_variant(tmp_path: Path) -> None:
    written = export([LESSON], tmp_path, ["cc"], ["all"])
    assert [p.name for p in written] == [f"cuban-missile-crisis-{v}.imscc"
                                         for v in ("standard", "supported", "spanish")]
    for p in written:
        _check(p, LESSON, p.name.removesuffix(".imscc").split("-")[-1])


def test_test_lesson_every_variant(tmp_path: Path, export_lesson: Path) -> None:
    for p in export([export_lesson], tmp_path, ["cc"], ["all"]):
        _check(p, export_lesson, p.name.removesuffix(".imscc").split("-")[-1])


def test_items_link_to_their_document_page_in_the_student_pdf(tmp_path: Path) -> None:
    (p,) = export([LESSON], tmp_path, ["cc"])
    got = _check(p, LESSON, "standard")
    reader = PdfReader(io.BytesIO(got["student"]))
    starts = {str(o.title): (reader.get_destination_page_number(o) or 0) + 1
              for o in reader.outline
              if not isinstance(o, list) and str(o.title).startswith("Document")}
    quiz = etree.fromstring(got["quiz"])
    item = next(i for i in quiz.iter(f"{QTI}item") if i.get("ident") == "q-bc-compare")
    html = item.findtext(f".//{QTI}mattext")
    page = starts["Document C: Russian Ambassador Cable to Soviet Foreign Ministry"]
    assert (f'<a href="$IMS-CC-FILEBASE$/cuban-missile-crisis-standard-letter-student.pdf'
            f'#page={page}">student worksheet, page {page}</a>') in html
    assert html.index("Document C") < html.index("Document B is a public letter")


def test_pdfs_are_the_built_pdfs(tmp_path: Path) -> None:
    from worksheets import build

    (p,) = export([LESSON], tmp_path / "x", ["cc"])
    built = build([LESSON], tmp_path / "b", jobs=1, preflight=False)
    with zipfile.ZipFile(p) as zf:
        for b in built:
            assert zf.read(f"web_resources/{b.name}") == b.read_bytes()


@pytest.mark.parametrize("epoch", ["0", "1700000000"])
def test_zip_entries_have_fixed_dates_and_order(tmp_path: Path, epoch: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    (a,) = export([LESSON], tmp_path / "a", ["cc"])
    (b,) = export([LESSON], tmp_path / "b", ["cc"])
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        dates = {i.date_time for i in zf.infolist()}
    assert dates == {(1980, 1, 1, 0, 0, 0)} if epoch == "0" else {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.parametrize("name", ["gulf-of-tonkin", "seneca-falls"])
def test_the_other_test_lessons_every_variant_every_format(tmp_path: Path, name: str) -> None:
    folder = ROOT / "tests" / "lessons" / name
    lesson = load_lesson(folder)
    written = export([folder], tmp_path, ["cc", "qti", "gift", "docx"], ["all"])
    per_variant = {"imscc", "zip", "txt", "docx"}
    for v in lesson.variants:
        mine = [p for p in written if p.name.startswith(f"{name}-{v}")]
        assert {p.suffix.lstrip(".") for p in mine} == per_variant, v
        (cc,) = [p for p in mine if p.suffix == ".imscc"]
        _check(cc, folder, v)
