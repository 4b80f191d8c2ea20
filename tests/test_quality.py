"""The page-quality judge catches each defect on a small hand-made PDF, and passes its cure."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

from .quality import judge

Draw = Callable[[Canvas], None]
LEFT = 58.0


def pdf(*pages: Draw, outline: tuple[tuple[str, int], ...] = (), key: bool = False) -> bytes:
    """A Letter PDF: each page drawn by a function, a footer, and outline entries (title, page)."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(612, 792), invariant=1)
    for n, draw in enumerate(pages, start=1):
        if key:
            c.setFont("Helvetica-Bold", 10)
            c.drawString(LEFT, 740, "Teacher Key")
        c.setFont("Helvetica", 10)
        draw(c)
        c.setFont("Helvetica", 8)
        c.drawRightString(554, 45, f"Page {n} of {len(pages)}")
        for i, (title, page) in enumerate(outline):
            if page == n:
                c.bookmarkPage(f"b{i}")
                c.addOutlineEntry(title, f"b{i}", level=0)
        c.showPage()
    c.save()
    return buf.getvalue()


HEADINGS = ("Your claim", "Before you read", "Vocabulary")


def text(*lines: str, top: float = 700, step: float = 14) -> Draw:
    """Lines of text from `top` down."""

    def draw(c: Canvas) -> None:
        for i, line in enumerate(lines):
            # headings in bold, as the worksheets set them
            c.setFont("Helvetica-Bold" if line in HEADINGS else "Helvetica", 12)
            c.drawString(LEFT, top - i * step, line)

    return draw


def full(first: str = "Text") -> Draw:
    """A page filled to its foot."""
    return text(first, *[f"Line {i} of a full page" for i in range(44)])


def found(data: bytes, check: str) -> list[str]:
    return judge(data, checks=[check])


def test_bookmarks_must_open_the_heading_page() -> None:
    pages = (full("Intro"), text("Your claim", "Write it here."))
    wrong = found(pdf(*pages, outline=(("Your claim", 1),)), "bookmarks")
    assert wrong == ["bookmarks: page 2: the outline entry 'Your claim' opens page 1, not page 2 "
                     "where its heading stands"]
    assert found(pdf(*pages), "bookmarks") == [
        "bookmarks: page 2: heading 'Your claim' has no outline entry"]
    assert found(pdf(*pages, outline=(("Your claim", 2),)), "bookmarks") == []


def test_a_heading_last_on_its_page_is_stranded() -> None:
    alone = text(*[f"Line {i}" for i in range(40)], "Your claim")
    assert found(pdf(alone, text("Write your claim.")), "stranded") == [
        "stranded: page 1: heading 'Your claim' ends the page; what it heads is on the next page"]
    kept = text(*[f"Line {i}" for i in range(38)], "Your claim", "Write your claim.")
    assert found(pdf(kept, text("More.")), "stranded") == []
    # a line of text that starts with a heading's words is not a heading
    prose = text(*[f"Line {i}" for i in range(40)], "Your claim is what the key calls it.")
    assert found(pdf(prose, text("More.")), "stranded") == []

    def in_a_cell(c: Canvas) -> None:  # a bold word in a table cell, not at the left edge
        text(*[f"Line {i}" for i in range(40)])(c)
        c.setFont("Helvetica-Bold", 12)
        c.drawString(LEFT + 6, 700 - 40 * 14, "Your claim")

    assert found(pdf(in_a_cell, text("More.")), "stranded") == []


def test_a_heading_followed_by_answer_rules_is_not_stranded() -> None:
    def with_rules(c: Canvas) -> None:
        text("Before you read")(c)
        c.line(LEFT, 600, 554, 600)

    assert found(pdf(with_rules, text("More.")), "stranded") == []


def test_a_vocabulary_box_starting_a_page_is_stranded() -> None:
    data = pdf(full(), text("Vocabulary", "sonar   a device that finds objects underwater"),
               text("The end."))
    assert found(data, "stranded") == [
        "stranded: page 2: a vocabulary box starts the page without its document's name"]


def test_half_empty_page_in_mid_flow() -> None:
    short = text(*[f"Line {i}" for i in range(10)])
    assert found(pdf(full(), short, full(), text("End")), "half-empty") == [
        "half-empty: page 2: content ends at 21% of the text area (last line 'Line 9'); "
        "page 3 continues the flow"]
    # the page before the organizer, and the last page, may end early
    organizer = text("Graphic organizer: Two Sides", "Row")
    assert found(pdf(full(), short, organizer), "half-empty") == []


def test_a_word_broken_without_a_hyphen() -> None:
    lines = text("a reconnaissance mission over the gulf at night",
                 "then a long reconnaissanc", "e flight by day", "and the sea was calm")
    assert found(pdf(lines), "broken-words") == [
        "broken-words: page 1: reconnaissanc|e ('then a long reconnaissanc' / 'e flight by day'): "
        "a word broken without a hyphen"]
    fine = text("a reconnaissance mission over the gulf at night", "then a long",
                "reconnaissance flight by day", "into the wind")
    assert found(pdf(fine), "broken-words") == []


def test_printed_markup() -> None:
    data = pdf(text("the *Maddox* sailed", "DATE: 4 AUGUST 1964 \\", "a **bold** claim",
                    "Yours, {.closing}", "2 * 3 is six, and * * * marks a break"))
    assert found(data, "markup") == [
        "markup: page 1: '*' printed in 'the *Maddox* sailed'",
        "markup: page 1: '\\\\' printed in 'DATE: 4 AUGUST 1964 \\\\'",
        "markup: page 1: '**' printed in 'a **bold** claim'",
        "markup: page 1: '{.closing}' printed in 'Yours, {.closing}'",
    ]


def numbered(numbers: list[int | None]) -> Draw:
    """Body lines with a margin number beside those that have one."""

    def draw(c: Canvas) -> None:
        for i, n in enumerate(numbers):
            y = 700 - i * 14
            c.setFont("Helvetica", 10)
            c.drawString(LEFT, y, f"body line {i + 1}")
            if n is not None:
                c.setFont("Helvetica", 7)
                c.drawRightString(LEFT - 7, y, str(n))

    return draw


def test_line_numbers_count_by_five() -> None:
    good = [None, None, None, None, 5, None, None, None, None, 10, None, None, None, None, 15]
    assert found(pdf(numbered(good)), "line-numbers") == []
    repeat = [None, None, None, None, 5, 5, None, None, None, None, 10]
    assert found(pdf(numbered(repeat)), "line-numbers") == [
        "line-numbers: page 1: '?' numbers its line 5 where 10 was due",
        "line-numbers: page 1: '?' has 1 printed lines from 5 to 5",
    ]
    gap = [None, None, None, None, 5, None, None, None, None, 15]
    assert found(pdf(numbered(gap)), "line-numbers") == [
        "line-numbers: page 1: '?' numbers its line 15 where 10 was due"]
    drift = [None, None, None, None, 5, None, None, None, 10]
    assert found(pdf(numbered(drift)), "line-numbers") == [
        "line-numbers: page 1: '?' has 4 printed lines from 5 to 10"]


def circle_line(gap: float, ring: bool) -> Draw:
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(LEFT, 700, "Circle one:")
        c.setFont("Helvetica-Bold", 10)
        c.drawString(120, 700, "TRUE")
        c.drawString(120 + 28 + gap, 700, "FALSE")
        if ring:
            c.ellipse(114, 694, 154, 712)

    return draw


def test_true_false_spacing_and_the_key_marking() -> None:
    assert found(pdf(circle_line(3, False)), "true-false") == [
        "true-false: page 1: TRUE and FALSE stand 5.0 pt apart (want at least 15.0)"]
    assert found(pdf(circle_line(30, False)), "true-false") == []
    assert found(pdf(circle_line(30, False), key=True), "true-false") == [
        "true-false: page 1: the key does not mark TRUE or FALSE in place"]
    assert found(pdf(circle_line(30, True), key=True), "true-false") == []
