"""`worksheets check --all`: page-quality warnings (pagecheck.py) on crafted lessons and PDFs,
and none on the shipped lesson."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import LESSON_YAML, QUESTIONS_YAML, LessonDir, edit
from worksheets.fonts import SANS, register_fonts
from worksheets.load import load_lesson
from worksheets.load.layout import load_layout
from worksheets.pagecheck import page_problems
from worksheets.pipeline import check

ROOT = Path(__file__).parents[1]
# words are now hyphenated everywhere; pages more than 60% blank remain in large print
# (a kept question or box moved whole), which the tests' judge, at 50% and counting
# differently, does not flag: the two disagree, and this pins today's state
KNOWN_LARGE_PRINT: Counter[tuple[str, str]] = Counter({("blank", "sheet"): 10})


def _page_warnings(folder: Path) -> list[str]:
    return [p.format() for p in check([folder], render_all=True)
            if p.severity == "warning" and any(k in p.message for k in (
                "is the last line of page", "is broken across two lines", "blank (more than"))]


def test_a_crafted_lesson_triggers_the_blank_page_warning_and_hyphenates(
        lesson_dir: LessonDir, in_tmp: Path) -> None:
    # a word wider than the organizer's first column: broken at a syllable, with a hyphen
    lesson = edit(LESSON_YAML, 'prompt: "What does each side want?"',
                  'prompt: "What does each Pneumonoultramicroscopicsilicovolcanoconiosis want?"')
    # a question with more lines than the rest of the first page holds
    questions = edit(QUESTIONS_YAML, "    lines: 3\n", "    lines: 30\n    placement: after\n")
    folder = lesson_dir({"lesson.yaml": lesson, "questions.yaml": questions}).relative_to(in_tmp)
    found = _page_warnings(folder)
    assert not [f for f in found if "is broken across" in f], found
    # on Letter the long question flows on instead of leaving the page blank; in large
    # print (30 lines of 0.5 in) it still leaves most of a page empty, and that is reported
    assert not [f for f in found if "blank" in f and "layout letter" in f], found
    blank = [f for f in found if "blank (more than 60%)" in f and "large-print, student" in f]
    assert blank == ["lesson/lesson.yaml:1:1: warning: page 2 is 92% blank (more than 60%) "
                     "though the text goes on [variant standard, layout large-print, student] "
                     "(something that must stay whole (a question with its lines, a vocabulary "
                     "box, a long paragraph) did not fit below: shorten it or give it fewer "
                     "lines)"], found


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


def test_the_shipped_lesson_has_no_page_quality_warnings_in_letter_and_a4() -> None:
    found = _page_warnings(ROOT / "content" / "cuban-missile-crisis")
    assert [f for f in found if "layout large-print" not in f] == []
    # Large print still has the known defects the test judge lists (tests/test_lessons.py
    # KNOWN: 'broken-words', 'half-empty'), and its teacher master is too narrow for the
    # variants' headings at 18 pt: exactly these, by kind, until they are fixed.
    kinds = Counter(("broken" if "is broken" in f else "blank",
                     "master" if f.endswith("master]") or "master] (" in f else "sheet")
                    for f in found)
    assert kinds == KNOWN_LARGE_PRINT, kinds
