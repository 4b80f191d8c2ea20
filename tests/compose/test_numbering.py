"""Line numbers printed in the margin agree with the lines `numbered_body` counts (and
`cite` cites), however a document's paragraphs split across pages."""

from __future__ import annotations

import pytest
from reportlab.platypus import Flowable, Spacer

from tests.quality import read_pages
from worksheets.compose.flowables import NumberedParagraph
from worksheets.compose.styles import styles
from worksheets.compose.worksheet import numbered_body
from worksheets.load.layout import Layout
from worksheets.markup import parse_body
from worksheets.render import Meta, PageDecor, render
from worksheets.tagging import Elem, tag

LAYOUT = Layout()
META = Meta(title="Numbering test", author="tests", subject="line numbers")

HEADER = "\n".join(f"HEADER LINE {i} OF THE MESSAGE \\" for i in range(1, 9)) + "\nLAST HEADER LINE"
BODY = HEADER + "\n\n" + " ".join(f"word{i}" for i in range(400))


def printed(text: str, before: float) -> tuple[list[tuple[int, str]], list[str]]:
    """The margin numbers read back from the PDF with the text of the line beside each,
    and the lines numbered_body counted; the body starts `before` points down the page."""
    paras, lines = numbered_body(parse_body(text).blocks, styles(LAYOUT), LAYOUT)
    root = Elem("Document")
    div = root.add("Div")
    story: list[Flowable] = [Spacer(1, before), *(tag(p, div.add("P")) for p in paras)]
    pdf = render(story, LAYOUT, META, PageDecor(footer_left="Footer"), root)
    out = []
    for page in read_pages(pdf):
        for n in sorted(page.numbers, key=lambda s: -s.y0):
            beside = [ln.text for ln in page.lines if abs(ln.base - n.base) < 1.5]
            out.append((int(n.text), beside[0] if beside else ""))
    return out, lines


@pytest.mark.parametrize("step", range(0, 10))
def test_a_header_with_breaks_split_anywhere_counts_by_five(step: int) -> None:
    lead = styles(LAYOUT).body.leading
    # the header paragraph starts so that the page ends after 1, 2, ... of its lines
    before = LAYOUT.frame_height - (step + 0.5) * lead - 1
    numbers, lines = printed(BODY, before)
    assert [n for n, _ in numbers] == list(range(5, 5 * len(numbers) + 1, 5))
    assert len(numbers) == len(lines) // 5
    for n, beside in numbers:  # each number stands beside the line numbered_body counted
        assert beside == lines[n - 1], n


def test_split_keeps_the_count_and_drops_the_handed_on_break() -> None:
    s = styles(LAYOUT)
    p = NumberedParagraph("A<br/>B<br/>C<br/>D", s.body)
    p.first_line = 3
    p.wrap(LAYOUT.text_width, 1e9)
    first, second = p.split(LAYOUT.text_width, s.body.leading * 2.5)
    second.wrap(LAYOUT.text_width, 1e9)
    assert (first.first_line, len(first.blPara.lines)) == (3, 2)
    assert (second.first_line, len(second.blPara.lines)) == (5, 2)
