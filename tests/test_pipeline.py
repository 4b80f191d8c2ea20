"""End to end: the shipped lesson as PDFs, read back the way a teacher and a print shop would."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

import worksheets
from tests.conftest import LessonDir
from tests.pdfutil import (
    GOLDEN,
    LESSON,
    ROOT,
    UPDATE,
    assert_in_order,
    body_text,
    font_sizes,
    fonts_of,
    norm,
    pages_text,
    pdfcheck,
)
from worksheets.load.layout import load_layout
from worksheets.markup import plain
from worksheets.model import Lesson
from worksheets.pipeline import Job, render_job


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    return worksheets.load_lesson(LESSON)


@pytest.fixture(scope="module", autouse=True)
def _layouts_from_repo(request: pytest.FixtureRequest) -> None:
    # Layouts are looked up in ./layouts, as when `worksheets` runs in the project.
    mp = pytest.MonkeyPatch()
    mp.chdir(ROOT)
    request.addfinalizer(mp.undo)


def pdf(lesson: Lesson, variant: str = "standard", layout: str = "letter",
        edition: str = "student") -> bytes:
    return render_job(Job(lesson, variant, load_layout(layout), edition))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def student(lesson: Lesson) -> bytes:
    return pdf(lesson)


@pytest.fixture(scope="module")
def key(lesson: Lesson) -> bytes:
    return pdf(lesson, edition="key")


def test_student_shows_everything_in_order(lesson: Lesson, student: bytes) -> None:
    text = body_text(student, lesson.title, lesson.attribution)
    phrases = ["Name:", "Class:", "Date:", lesson.title, lesson.central_question]
    phrases += [plain(b.runs) for b in lesson.background]
    for doc in lesson.documents:
        phrases.append(f"{doc.label}: {doc.title} (Modified)")
        if doc.dateline:
            phrases.append(doc.dateline)
        before = [q for q in lesson.questions if doc.id == q.documents[-1] and
                  q.placement == "before"]
        phrases += [f"{q.number}. {plain(q.prompt)}" for q in before]
        phrases += [plain(b.runs) for b in doc.bodies["modified"].blocks]
        phrases.append(plain(doc.source))
        phrases.append("Vocabulary")
        after = [q for q in lesson.questions if doc.id == max(
            q.documents, key=[d.id for d in lesson.documents].index) and q.placement == "after"]
        phrases += [f"{q.number}. {plain(q.prompt)}" for q in after]
    assert lesson.organizer is not None
    phrases.append(lesson.organizer.title)
    phrases.append(lesson.organizer.corner)
    phrases += [c.heading for c in lesson.organizer.columns]
    phrases += [r.prompt for r in lesson.organizer.rows]
    assert lesson.claim is not None
    phrases.append(plain(lesson.claim.prompt))
    assert_in_order(text, phrases)


def test_every_question_prints_once_and_every_term_in_a_box(lesson: Lesson, student: bytes) -> None:
    text = norm("\n".join(pages_text(student)))
    for q in lesson.questions:
        assert text.count(f"{q.number}. {norm(plain(q.prompt))}") == 1, q.id
    # the seed's own glosses and key vocabulary terms appear in the boxes
    for term in ("cessation", "unilateral", "blockade", "NATO", "pledge"):
        assert term in text


def test_seed_text_is_printed_faithfully(lesson: Lesson, student: bytes) -> None:
    text = norm(body_text(student, lesson.title, lesson.attribution))
    for phrase in [
        "This is no secret. . . .Your missiles are located in Britain",
        "will remove its [missiles] from Turkey.",
        "We, in making this pledge, will promise not to invade Turkey. . .The United States",
        "the key elements of your proposals...are as follows:",
        "the cessation (end) of work on missile sites in Cuba The continuation",
        "a unilateral (one-sided) decision",
        "we need 4-5 months",
    ]:
        assert norm(phrase) in text, phrase


def test_key_shows_answers_and_student_does_not(lesson: Lesson, student: bytes,
                                                key: bytes) -> None:
    s_text, k_text = norm("\n".join(pages_text(student))), norm("\n".join(pages_text(key)))
    assert lesson.organizer is not None
    for q in lesson.questions:
        for lf in q.look_fors:
            assert norm(lf) in k_text, (q.id, lf)
            assert norm(lf) not in s_text, (q.id, lf)
    for row in lesson.organizer.rows:
        for answer in row.answers.values():
            assert norm(answer) in k_text
            assert norm(answer) not in s_text
    assert all(p.startswith("Teacher Key") for p in pages_text(key))
    assert not any("Teacher Key" in p for p in pages_text(student))
    # the choice question's answer: letter and text
    q = next(q for q in lesson.questions if q.kind == "choice")
    assert f"{q.answer}. {q.choices[ord(str(q.answer)) - 65]}" in k_text


def test_footer_on_every_page(lesson: Lesson, student: bytes) -> None:
    pages = pages_text(student)
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page
        assert lesson.title in page


def test_per_page_text_matches_golden(student: bytes, key: bytes) -> None:
    """Each page's text against tests/golden; WORKSHEETS_UPDATE_GOLDEN=1 rewrites them."""
    for name, data in (("standard-letter-student", student), ("standard-letter-key", key)):
        got = "\n\f\n".join(norm(p) for p in pages_text(data)) + "\n"
        path = GOLDEN / f"{name}.txt"
        if UPDATE:
            path.parent.mkdir(exist_ok=True)
            path.write_text(got, encoding="utf-8")
        assert got == path.read_text(encoding="utf-8"), f"{name}: page text changed"


def test_metadata_and_bookmarks(lesson: Lesson, student: bytes, key: bytes) -> None:
    r = PdfReader(io.BytesIO(student))
    assert r.metadata is not None
    assert r.metadata.title == lesson.title
    assert r.metadata.author == lesson.author == (
        "worksheets contributors; documents adapted from the Stanford History Education Group")
    assert r.metadata.subject == lesson.central_question
    outline = [o.title for o in r.outline]  # type: ignore[union-attr]
    assert outline[:1] == [lesson.title]
    for doc in lesson.documents:
        assert f"{doc.label}: {doc.title}" in outline
    k = PdfReader(io.BytesIO(key))
    assert k.metadata is not None and k.metadata.title == f"{lesson.title} (Teacher Key)"


def test_fonts_are_embedded_and_never_base14(student: bytes, key: bytes) -> None:
    for data in (student, key):
        fonts = fonts_of(data)
        assert fonts and all(fonts.values()), fonts
        assert not any("Helvetica" in f or "Times" in f for f in fonts), fonts
        assert b"/Helvetica" not in data


def test_identical_inputs_give_identical_bytes(lesson: Lesson, student: bytes) -> None:
    assert pdf(worksheets.load_lesson(LESSON)) == student


def test_source_date_epoch_sets_dates(lesson: Lesson, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")  # 2001-09-09
    a = pdf(lesson)
    assert a == pdf(lesson)
    meta = PdfReader(io.BytesIO(a)).metadata
    assert meta is not None and str(meta.get("/CreationDate", "")).startswith("D:20010909")


def test_key_paginates_like_student_in_every_variant_and_layout(lesson: Lesson) -> None:
    for variant in lesson.variants:
        for layout in ("letter", "a4", "large-print"):
            s = pages_text(pdf(lesson, variant, layout, "student"))
            k = pages_text(pdf(lesson, variant, layout, "key"))
            assert len(s) == len(k), (variant, layout)
            # same page breaks: what starts each student page is on the same key page (a
            # key page may open with the rest of an answer written over the lines)
            for n, (sp, kp) in enumerate(zip(s, k, strict=True), 1):
                assert norm(sp)[:40] in norm(kp), (variant, layout, n)


def test_same_number_for_same_question_in_every_variant(lesson: Lesson) -> None:
    for variant in lesson.variants:
        text = norm("\n".join(pages_text(pdf(lesson, variant))))
        for q in lesson.questions:
            assert f"{q.number}. {norm(plain(q.prompt))}" in text, (variant, q.id)


def test_supported_variant_has_scaffolds_and_simplified_texts(lesson: Lesson) -> None:
    text = norm("\n".join(pages_text(pdf(lesson, "supported"))))
    standard = norm("\n".join(pages_text(pdf(lesson, "standard"))))
    for q in lesson.questions:
        if q.starter and q.kind != "choice":
            assert norm(f"Sentence starter: {q.starter}") in text
            assert norm(q.starter) not in standard
        if q.hint:
            assert norm(f"Hint: {q.hint}") in text
    for doc in lesson.documents:
        first = norm(plain(doc.bodies["simplified"].blocks[1].runs))
        assert first in text and first not in standard
    assert "Word bank:" in text and "Word bank" not in standard


def test_spanish_variant_prints_accents(lesson: Lesson, tmp_path: Path) -> None:
    data = pdf(lesson, "spanish")
    text = "\n".join(pages_text(data))
    for phrase in ["Vocabulary / Vocabulario", "bloqueo", "¿Qué da o promete la Unión Soviética?",
                   "Organizador gráfico", "Después de leer"]:
        assert norm(phrase) in norm(text), phrase
    for ch in "áéíóúñ¿":  # (the "¡Usa evidencia!" the English lacked is gone)
        assert ch in text, ch
    assert "\ufffd" not in text and "\u25a0" not in text
    out = tmp_path / "spanish.pdf"
    out.write_bytes(data)
    rc, report = pdfcheck([out])
    assert rc == 0, report


def test_large_print_body_is_at_least_18pt(lesson: Lesson) -> None:
    data = pdf(lesson, layout="large-print")
    sizes = font_sizes(data, "I understand your concern")
    assert sizes and min(sizes) >= 18, sizes
    letter = font_sizes(pdf(lesson), "I understand your concern")
    assert max(letter) < 18


def test_a4_pages_are_a4(lesson: Lesson) -> None:
    r = PdfReader(io.BytesIO(pdf(lesson, layout="a4")))
    for page in r.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_every_output_passes_pdfcheck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    written = worksheets.build([LESSON], out, variants=["all"], layouts=["all"],
                               editions=("student", "key", "master"))
    assert len(written) == 3 * 3 * 2 + 3
    letter = [p for p in out.glob("*.pdf") if "-a4" not in p.name]
    a4 = [p for p in out.glob("*.pdf") if "-a4" in p.name]
    rc, report = pdfcheck(letter, "--gray", "require")
    assert rc == 0, report
    rc, report = pdfcheck(a4, "--size", "a4", "--gray", "require")
    assert rc == 0, report
    masters = sorted(out.glob("*-master-*.pdf"))
    assert [len(PdfReader(p).pages) for p in masters] == [1, 1, 1] or all(
        "large-print" in p.name for p in masters if len(PdfReader(p).pages) > 1)


@pytest.mark.parametrize(("variant", "layout"), [("standard", "letter"), ("supported", "a4")])
def test_line_numbers_and_key_citations(lesson: Lesson, variant: str, layout: str) -> None:
    """Margin numbers count the document's lines, and each cited range holds its quote."""
    import re

    from worksheets.markup import normalize_quote

    from .pdfutil import serif_lines

    lines, numbers = serif_lines(pdf(lesson, variant, layout))
    # split the serif lines into documents at the pages/positions where each body starts
    docs: dict[str, list[tuple[int, float, str]]] = {}
    level = lesson.variants[variant].reading_level
    rest = lines
    for d in lesson.documents:
        first = norm(d.bodies[level].blocks[0].text)[:20]
        start = next(i for i, ln in enumerate(rest) if norm(ln[2]).startswith(first))
        rest = rest[start:]
        docs[d.id] = rest
    ids = [d.id for d in lesson.documents]
    for k, doc in enumerate(ids[:-1]):
        nxt = docs[ids[k + 1]][0]
        docs[doc] = docs[doc][: docs[doc].index(nxt)]
    # every printed margin number stands beside the line it counts
    printed = 0
    for doc_lines in docs.values():
        for i, (page, y, _) in enumerate(doc_lines, start=1):
            if i % 5 == 0:
                assert (page, y, str(i)) in numbers, (i, doc_lines[i - 1])
                printed += 1
    assert printed == len(numbers) and printed > 10
    key_text = norm(body_text(pdf(lesson, variant, layout, "key"), lesson.title,
                              lesson.attribution))
    cites = re.findall(r"Evidence: Doc ([ABC]), lines? (\d+)(?:–(\d+))?: “([^”]+)”", key_text)
    expected = sum(len(q.evidence) for q in lesson.questions)
    assert len(cites) == expected
    for doc, a, b, quote in cites:
        span = " ".join(t for _, _, t in docs[doc][int(a) - 1: int(b or a)])
        assert normalize_quote(quote) in normalize_quote(span), (doc, a, b, quote, span)


def test_the_api_and_the_cli_agree_on_the_master(lesson_dir: LessonDir, tmp_path: Path) -> None:
    """Every variant with both editions also makes the teacher master, from Python too."""
    from click.testing import CliRunner

    from worksheets.cli import main

    folder = lesson_dir()
    api = sorted(p.name for p in worksheets.build([folder], tmp_path / "api", variants=["all"],
                                                  preflight=False))
    r = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "cli"),
                                  "--variant", "all", "-q"])
    assert r.exit_code == 0, r.output
    assert api == ["lesson-master-letter.pdf", "lesson-standard-letter-key.pdf",
                   "lesson-standard-letter-student.pdf"]
    assert sorted(p.name for p in (tmp_path / "cli").glob("*.pdf")) == api


@pytest.mark.parametrize("layout", ["letter", "large-print"])
def test_each_bookmark_opens_the_page_of_its_heading(layout: str) -> None:
    lesson = worksheets.load_lesson(LESSON)
    pdf = render_job(Job(lesson, "spanish", load_layout(layout), "student"))
    reader = PdfReader(io.BytesIO(pdf))
    pages = [norm(p.extract_text()) for p in reader.pages]
    entries: list[tuple[str, int]] = []
    for o in reader.outline:
        assert not isinstance(o, list)  # one level
        page = reader.get_destination_page_number(o)
        assert page is not None
        entries.append((str(o.title), page))
    assert [t for t, _ in entries] == [
        lesson.title, *[f"{d.label}: {d.title}" for d in lesson.documents],
        "Graphic organizer / Organizador gráfico: The Public Deal and the Secret Deal / El "
        "acuerdo público y el acuerdo secreto", "Your claim / Tu afirmación"]
    shown = [t for t, _ in entries]
    for (title, page), heading in zip(entries, shown, strict=True):
        assert norm(heading) in pages[page], f"{title}: not on page {page + 1}"
        assert all(norm(heading) not in p for p in pages[:page]), title
    assert len({page for _, page in entries}) > 3  # not every entry on one page
