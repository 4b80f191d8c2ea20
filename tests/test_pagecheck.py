"""`worksheets check --all`: page-quality warnings (pagecheck.py) on crafted lessons and PDFs,
and none on the shipped lesson."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import LESSON_YAML, QUESTIONS_YAML, LessonDir, edit
from worksheets.fonts import SANS, register_fonts
from worksheets.load import load_lesson
from worksheets.load.layout import Layout, load_layout
from worksheets.pagecheck import page_problems
from worksheets.pipeline import check

ROOT = Path(__file__).parents[1]


def _page_warnings(folder: Path) -> list[str]:
    return [p.format() for p in check([folder], render_all=True)
            if p.severity == "warning" and any(k in p.message for k in (
                "is the last line of page", "is broken across two lines", "blank (more than"))]


def test_a_crafted_lesson_hyphenates_and_its_long_question_leaves_no_page_blank(
        lesson_dir: LessonDir, in_tmp: Path) -> None:
    # a word wider than the organizer's first column: broken at a syllable, with a hyphen
    lesson = edit(LESSON_YAML, 'prompt: "What does each side want?"',
                  'prompt: "What does each Pneumonoultramicroscopicsilicovolcanoconiosis want?"')
    # a question with more lines than a page holds: it flows on from page to page, and a
    # page that ends in its answer lines is full (the lines are content, not blank)
    questions = edit(QUESTIONS_YAML, "    lines: 3\n", "    lines: 30\n    placement: after\n")
    folder = lesson_dir({"lesson.yaml": lesson, "questions.yaml": questions}).relative_to(in_tmp)
    found = _page_warnings(folder)
    assert not [f for f in found if "is broken across" in f], found
    assert not [f for f in found if "blank" in f], found


def _two_pages(draw: Callable[[Canvas, Layout], None]) -> bytes:
    """A Letter PDF whose first page `draw` fills, and a second page the flow goes on to."""
    layout = load_layout("letter")
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter)
    c.setFont(SANS, 10)
    draw(c, layout)
    c.showPage()
    c.setFont(SANS, 10)
    c.drawString(layout.margin_left, 700, "The flow goes on here.")
    c.save()
    return buf.getvalue()


def test_a_page_mostly_blank_is_reported_and_one_ending_in_answer_lines_is_not(
        lesson_dir: LessonDir, in_tmp: Path) -> None:
    lesson = load_lesson(lesson_dir().relative_to(in_tmp))
    layout = load_layout("letter")
    top = layout.page_size[1] - layout.margin_top

    def short(c: Canvas, lay: Layout) -> None:
        c.drawString(lay.margin_left, top - 12, "1. A question whose lines went on.")

    def ruled(c: Canvas, lay: Layout) -> None:
        short(c, lay)
        y = top - 40
        while y > lay.margin_bottom + 20:  # answer lines down to the foot of the frame
            c.line(lay.margin_left, y, lay.page_size[0] - lay.margin_right, y)
            y -= 24

    found = [p.format() for p in page_problems(_two_pages(short), lesson, layout)]
    assert found == [
        "lesson/lesson.yaml:1:1: warning: page 1 is 98% blank (more than 60%) though the "
        "text goes on (something that must stay whole (a question with its lines, a "
        "vocabulary box, a long paragraph) did not fit below: shorten it or give it fewer "
        "lines)"]
    assert page_problems(_two_pages(ruled), lesson, layout) == []


def test_a_word_broken_without_a_hyphen_is_reported(lesson_dir: LessonDir, in_tmp: Path) -> None:
    lesson = load_lesson(lesson_dir().relative_to(in_tmp))
    layout = load_layout("letter")
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter)
    c.setFont(SANS, 10)
    c.drawString(layout.margin_left, 700, "We want peace and a trea")  # "treaty" cut bare
    c.drawString(layout.margin_left, 688, "ty with you.")
    c.showPage()
    c.drawString(layout.margin_left, 700, "The last page.")
    c.save()
    found = [p.format() for p in page_problems(buf.getvalue(), lesson, layout)]
    assert [f for f in found if "broken" in f] == [
        "lesson/documents/A.md:1:1: warning: the word 'treaty' is broken across two lines "
        "without a hyphen on page 1 (the column is too narrow for it: shorten the text around "
        "it or use a wider layout)"], found


def test_a_heading_that_ends_a_page_is_reported_at_its_file(lesson_dir: LessonDir,
                                                             in_tmp: Path) -> None:
    lesson = load_lesson(lesson_dir().relative_to(in_tmp))
    layout = load_layout("letter")
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter)
    c.setFont(SANS, 10)
    c.drawString(layout.margin_left, 700, "Some text at the top of the page.")
    c.setFont(SANS + "-Bold", 13)
    c.drawString(layout.margin_left, layout.margin_bottom + 5, "Your claim")
    c.showPage()
    c.setFont(SANS + "-Bold", 13)
    c.drawString(layout.margin_left, 700, "Document A: The First Letter")
    c.setFont(SANS, 10)
    c.drawString(layout.margin_left, 600, "Its text.")
    c.drawString(layout.margin_left, layout.margin_bottom + 5, "More text.")
    c.showPage()
    c.drawString(layout.margin_left, 700, "The last page.")
    c.save()
    found = [p.format() for p in page_problems(buf.getvalue(), lesson, layout)]
    assert found[0] == ("lesson/lesson.yaml:29:3: warning: heading 'Your claim' is the last "
                        "line of page 1 (the heading prints apart from what it heads: shorten "
                        "the text before it, or give answers fewer lines)")
    assert len(found) == 1 + sum("blank" in f for f in found)


def test_the_shipped_lesson_has_no_page_quality_warnings_in_any_layout() -> None:
    assert _page_warnings(ROOT / "content" / "cuban-missile-crisis") == []
