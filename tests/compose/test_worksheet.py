"""compose(): small pure functions from a worksheet and a layout to flowables."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph

from tests.conftest import LessonDir
from worksheets import Location, load_lesson
from worksheets.compose import compose
from worksheets.compose.citations import cite, line_range
from worksheets.compose.flowables import AnswerArea, Bookmark, NumberedParagraph
from worksheets.compose.strings import words
from worksheets.compose.styles import runs_markup, styles
from worksheets.compose.worksheet import numbered_body
from worksheets.load.layout import Layout
from worksheets.markup import parse_inline
from worksheets.model import Evidence
from worksheets.select import select

LETTER = Layout()


def flat(flowables: list[object]) -> list[object]:
    """The flowables with kept groups opened, in order."""
    out: list[object] = []
    for f in flowables:
        out.extend(flat(f._content) if isinstance(f, KeepTogether) else [f])
    return out


def test_line_range_finds_a_phrase_across_lines() -> None:
    lines = ["We want peace and", "a treaty with you.", "Yours,"]
    assert line_range(lines, "peace and a treaty") == (1, 2)
    assert line_range(lines, "\u201cYours,\u201d") is None  # quotes are part of the phrase
    assert line_range(lines, "Yours,") == (3, 3)
    assert line_range(lines, "war") is None


def test_cite_names_the_lines_printed_in_this_layout(lesson_dir: LessonDir) -> None:
    ws = select(load_lesson(lesson_dir()), "standard", "key")
    lines = {"A": ["DEAR SIR,", "We want peace and a treaty", "with you. . . ."]}
    at = Location("questions.yaml", 9, 5)
    assert cite(ws, Evidence("A", "a treaty with you", at), lines) == "Doc A, lines 2\u20133"
    assert cite(ws, Evidence("A", "DEAR SIR", at), lines) == "Doc A, line 1"
    assert cite(ws, Evidence("A", "not there", at), lines) == "Doc A"


def test_numbered_body_counts_lines_across_paragraphs(lesson_dir: LessonDir) -> None:
    ws = select(load_lesson(lesson_dir()))
    paras, lines = numbered_body(ws.sections[0].blocks, styles(LETTER), LETTER)
    assert [p.first_line for p in paras] == [1, 2, 3, 4]
    assert lines == ["DEAR SIR,", "We want peace and a treaty (agreement) with you. . . .",
                     "Yours,", "The First Leader"]


def test_runs_markup_escapes_the_authors_text() -> None:
    runs, _ = parse_inline("A **<b>bold</b>** & *it*")
    assert runs_markup(runs) == "A <b>&lt;b&gt;bold&lt;/b&gt;</b> &amp; <i>it</i>"


def test_words_are_bilingual_only_in_a_bilingual_variant(lesson_dir: LessonDir) -> None:
    ws = select(load_lesson(lesson_dir()))
    assert words(ws, "vocabulary") == "Vocabulary"
    es = ws.variant.__class__(**{**ws.variant.__dict__, "language": "es"})
    assert words(ws.__class__(**{**ws.__dict__, "variant": es}), "vocabulary") == \
        "Vocabulary / Vocabulario"


def test_the_story_in_reading_order(lesson_dir: LessonDir) -> None:
    ws = select(load_lesson(lesson_dir()))
    story = flat(compose(ws, LETTER))
    marks = [f.title for f in story if isinstance(f, Bookmark)]
    assert marks == ["A Small Test Lesson", "Document A: A Letter From the First Leader",
                     "Document B: A Reply From the Second Leader", "Graphic organizer: Two Sides",
                     "Your claim"]
    texts = [f.getPlainText() for f in story if isinstance(f, Paragraph)]
    order = ["A Small Test Lesson", "Document A: A Letter From the First Leader (Modified)",
             "Before you read", "1. Who wrote Document A, and when? (Sourcing)", "DEAR SIR,",
             "Source: A letter written for the test suite.", "After you read",
             "2. What does Document B ask for? (Close reading)", "Your claim"]
    assert [t for t in texts if t in order] == order
    # the documents' lines (the background's paragraphs are not numbered)
    numbered = [f for f in story if isinstance(f, NumberedParagraph) and f.numbered]
    assert [p.first_line for p in numbered] == [1, 2, 3, 4, 1]


def test_answer_areas_are_as_tall_in_the_student_edition_as_in_the_key(
        lesson_dir: LessonDir) -> None:
    lesson = load_lesson(lesson_dir())

    def heights(edition: str) -> list[float]:
        story = flat(compose(select(lesson, "standard", edition), LETTER))  # type: ignore[arg-type]
        return [f.wrap(LETTER.text_width, 1e6)[1] for f in story if isinstance(f, AnswerArea)]

    student, key = heights("student"), heights("key")
    assert len(student) == 4 and student == key
    assert student[0] == 3 * LETTER.answer_line_spacing  # a-source: 3 lines
