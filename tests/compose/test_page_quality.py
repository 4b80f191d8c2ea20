"""The page-quality mechanisms of issue 14, one by one, on small stories."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from tests.conftest import LessonDir
from worksheets import load_lesson
from worksheets.compose.flowables import BalancedTable, Choices, NeedRoom, room_with_next
from worksheets.compose.styles import break_long_words, break_word, styles
from worksheets.compose.worksheet import compose_vocabulary_box, true_false
from worksheets.load.layout import Layout
from worksheets.select import select
from worksheets.tagging import Elem, TaggedTable

LETTER = Layout()
BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=12, leading=14)


def _pages(story: list[object]) -> list[list[str]]:
    """The plain text of each paragraph, per page, after laying `story` out on Letter."""
    pages: list[list[str]] = [[]]

    def on_page(canvas: object, doc: object) -> None:
        pages.append([])

    class Mark(Paragraph):  # type: ignore[misc]
        def draw(self) -> None:
            pages[-1].append(self.getPlainText())
            super().draw()

    marked = [Mark(f.text, f.style) if isinstance(f, Paragraph) and type(f) is Paragraph
              else f for f in story]
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=letter)
    doc.build(marked, onLaterPages=on_page, onFirstPage=lambda c, d: None)
    return [p for p in pages if p]


def test_a_salutation_needs_room_for_three_lines_not_the_whole_paragraph() -> None:
    long = Paragraph("word " * 900, BODY)  # several pages
    salutation = Paragraph("DEAR SIR,", BODY)
    frame_h = letter[1] - 144
    filler = Spacer(1, frame_h - 14 * 6)  # room for about five lines
    pages = _pages([filler, room_with_next([salutation], long), salutation, long])
    assert pages[0][0] == "DEAR SIR,"  # stays: its paragraph splits after it
    need = room_with_next([salutation], long)
    need.wrap(400, 1e9)
    assert need.height < 14 * 6  # the salutation and three lines, not the paragraph


def test_need_room_measures_at_layout_time() -> None:
    n = NeedRoom(lambda width, canv: width / 2)
    n.wrap(300, 1000)
    assert n.height == 150


def test_a_word_wider_than_its_column_breaks_at_syllables_with_hyphens() -> None:
    cell = styles(LETTER).cell
    font, size = cell.fontName, cell.fontSize
    assert break_word("short", font, size, 200) == ["short"]
    pieces = break_word("reconnaissance", font, size, 50)
    assert len(pieces) > 1 and "".join(p.rstrip("-") for p in pieces) == "reconnaissance"
    assert all(p.endswith("-") for p in pieces[:-1])
    assert break_word("reconocimiento", font, size, 50, "es")[0].endswith("-")
    # a word the dictionary cannot cut (a name, another script): after the letters that
    # fit, still with a hyphen, never left for reportlab to break bare
    for word in ("Luftbrückendenkmal", "достопримечательность", "Nguyễn-Thị-Minh-Khai"):
        pieces = break_word(word, font, size, 40)
        assert len(pieces) > 1 and all(p.endswith("-") for p in pieces[:-1]), pieces
        assert "".join(p[:-1] for p in pieces[:-1]) + pieces[-1] == word
        assert all(stringWidth(p, font, size) <= 40 for p in pieces[:-1]), pieces
    # markup: tags untouched, only the long word broken
    out = break_long_words("<b>a reconnaissance</b> flight", cell, 50)
    assert out.startswith("<b>a ") and out.endswith("</b> flight") and "-" in out


def test_vocabulary_box_names_its_document_and_repeats_its_header(
        lesson_dir: LessonDir) -> None:
    ws = select(load_lesson(lesson_dir()))
    s = styles(LETTER)
    terms = ws.sections[0].vocabulary * 20  # longer than a page
    parts = compose_vocabulary_box(ws, terms, s, LETTER, label="Document A")
    assert isinstance(parts[0], NeedRoom)
    table = next(p for p in parts if isinstance(p, TaggedTable))
    assert table._cellvalues[0][0].getPlainText() == "Vocabulary: Document A"
    assert table.repeatRows == 1
    first, rest = table.split(LETTER.text_width, LETTER.frame_height * 0.5)
    assert rest._pdfua_rowmap[0] is None  # the repeated header: an artifact
    assert len(first._cellvalues) > 3 and len(rest._cellvalues) > 3
    # room for the header and two rows before it starts
    assert parts[0].measure(LETTER.text_width, None) >= sum(table._rowHeights[:3])


def test_true_false_spaced_apart_and_ringed_only_in_the_key(lesson_dir: LessonDir) -> None:
    s = styles(LETTER)
    student = select(load_lesson(lesson_dir()), "standard", "student")
    key = select(load_lesson(lesson_dir()), "standard", "key")
    c = true_false(student, s, False, Elem("Div"))
    k = true_false(key, s, False, Elem("Div"))
    assert isinstance(c, Choices) and c.ring is None and k.ring == 1
    c.wrap(LETTER.text_width, 1000)
    k.wrap(LETTER.text_width, 1000)
    assert c.height == k.height  # the key paginates like the student edition
    (_, x1, _, w1), (_, x2, _, _) = c._places[1], c._places[2]
    assert x2 - (x1 + w1) >= 1.5 * s.text.fontSize


def test_a_question_flows_on_rather_than_leave_half_a_page_blank() -> None:
    from worksheets.compose.flowables import AnswerArea, Keep

    def question() -> Keep:
        area = AnswerArea(30, 20.0, [], False)  # 600 pt of ruled lines
        return Keep([Paragraph("1. A question?", BODY), area], flow_above=300.0)

    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(io.BytesIO())
    q = question()
    q.wrapOn(canv, 400, 400)
    parts = q.split(400, 400)  # 400 pt left (more than flow_above): it flows on
    assert not any(type(p).__name__ == "_FrameBreak" for p in parts)
    q = question()
    q.wrapOn(canv, 400, 200)
    parts = q.split(400, 200)  # 200 pt left: moved whole to the next page
    assert type(parts[0]).__name__ == "_FrameBreak"
    area = AnswerArea(4, 20.0, [], False)
    area.wrap(400, 1000)
    assert area.split(400, 30) == []  # never one line alone under its question


def test_an_organizer_table_never_leaves_one_row_alone() -> None:
    rows = [[Paragraph("head", BODY)]] + [[Spacer(10, 90)] for _ in range(6)]
    t = BalancedTable(rows, colWidths=[200], repeatRows=1, splitInRow=0, elem=Elem("Table"))
    t.wrap(200, 1000)
    row_h = t._rowHeights[1]
    # room for five rows: reportlab would split 5 + 1; balanced it is 4 + 2
    first, rest = t.split(200, t._rowHeights[0] + 5 * row_h + 1)
    assert len(first._cellvalues) == 1 + 4
    assert len(rest._cellvalues) == 1 + 2  # the header repeated, then two rows
    assert rest._pdfua_rowmap[0] is None
    # room for two rows of six: nothing to balance
    first, rest = t.split(200, t._rowHeights[0] + 2 * row_h + 1)
    assert len(first._cellvalues) == 3


def _tall_table(rows: list[list[Flowable]], widths: list[float],
                page: float) -> BalancedTable:
    """A table whose rows split inside (as the organizer's in large print), wrapped."""
    t = BalancedTable(rows, colWidths=widths, repeatRows=1, splitInRow=1, elem=Elem("Table"))
    t.page_height = page
    t.wrap(sum(widths), 10_000)
    return t


def test_tall_rows_never_continue_under_a_repeated_header_on_the_same_page() -> None:
    from reportlab.platypus.doctemplate import _FrameBreak

    rows: list[list[Flowable]] = [[Paragraph("head", BODY)]] + [
        [Paragraph("row " * 60, BODY)] for _ in range(4)]

    def table() -> BalancedTable:
        return _tall_table(rows, [100], 300.0)

    t = table()
    head, row = t._rowHeights[0], t._rowHeights[1]
    # whole rows leave less than a quarter of the page: the rest starts the next page
    parts = table().split(100, head + row + 0.2 * 300)
    assert [type(p).__name__ for p in parts] == ["BalancedTable", "_FrameBreak",
                                                 "BalancedTable"]
    assert len(parts[0]._cellvalues) == 2 and isinstance(parts[1], _FrameBreak)
    # they would leave more: the next row is split inside, and the page is full
    first, rest = table().split(100, head + row + 0.5 * 300)
    assert len(first._cellvalues) == 3 and len(rest._cellvalues) == 1 + 3
    assert sum(first._rowHeights) > head + row + 0.4 * 300


def test_a_tall_row_splits_only_below_its_whole_prompt() -> None:
    prompt = "What does each side give or promise in public and in secret? " * 2
    rows: list[list[Flowable]] = [[Paragraph("head", BODY), Paragraph("col", BODY)]] + [
        [Paragraph(prompt, BODY), Spacer(10, 350)] for _ in range(4)]  # rows of 356 pt

    def table() -> BalancedTable:
        return _tall_table(rows, [60, 200], 800.0)

    t = table()
    head, row = t._rowHeights[0], t._rowHeights[1]
    tall = Paragraph(prompt, BODY).wrap(60 - 12, 1e9)[1] + 10
    assert 0.25 * 800 < tall  # the prompt is taller than a quarter of the page
    # room below the first row for less than the next prompt: the next row moves on whole
    parts = table().split(260, head + row + tall - 5)
    assert [type(p).__name__ for p in parts] == ["BalancedTable", "_FrameBreak",
                                                 "BalancedTable"]
    # room for the whole prompt and lines beside it: the next row is split below it
    first, rest = table().split(260, head + row + tall + 40)
    assert len(first._cellvalues) == 3
