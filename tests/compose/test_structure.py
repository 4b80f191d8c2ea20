"""Documents that are not letters: headings, header lines, quotes and numbered sections
are printed in their styles, tagged, and numbered (or not) as the key cites them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reportlab.platypus import Paragraph

from tests.conftest import DOCUMENT_A, LESSON_YAML, LessonDir
from worksheets import Location, build, load_lesson
from worksheets.compose.citations import cite
from worksheets.compose.flowables import NumberedParagraph
from worksheets.compose.styles import styles
from worksheets.compose.worksheet import numbered_body, tag_body
from worksheets.load.layout import Layout
from worksheets.markup import parse_body
from worksheets.model import Evidence
from worksheets.select import select
from worksheets.tagging import Elem

LETTER = Layout()

CABLE = """\
FROM: COMMANDER TASK GROUP 72.1 \\
TO: COMMANDER IN CHIEF, PACIFIC {.header}

## FIRST MESSAGE

AM UNDER CONTINUOUS TORPEDO ATTACK.

The commander wrote: {.salutation}

Review of action makes many reported contacts \\
appear doubtful. {.quote}

Suggest complete evaluation. {.quote}

SECTION 1. That the Congress approves. {.section}
"""


def test_header_lines_are_neither_numbered_nor_counted() -> None:
    paras, lines = numbered_body(parse_body(CABLE).blocks, styles(LETTER), LETTER)
    assert [(p.role, p.numbered, p.first_line) for p in paras] == [
        ("header", False, 1), ("heading", True, 1), ("text", True, 2), ("salutation", True, 3),
        ("quote", True, 4), ("quote", True, 6), ("section", True, 7)]
    assert lines == ["FIRST MESSAGE", "AM UNDER CONTINUOUS TORPEDO ATTACK.",
                     "The commander wrote:", "Review of action makes many reported contacts",
                     "appear doubtful.", "Suggest complete evaluation.",
                     "SECTION 1. That the Congress approves."]


def test_each_role_has_its_style() -> None:
    s = styles(LETTER)
    paras, _ = numbered_body(parse_body(CABLE).blocks, s, LETTER)
    header, heading, text, _, quote, _, section = paras
    assert header.style is s.header and header.style.fontSize < text.style.fontSize
    assert heading.style is s.inner_heading
    assert quote.style.leftIndent > 0 and quote.style.rightIndent > 0
    # a hanging indent: the number at the margin, the text and its next lines after it
    assert section.style.leftIndent > 0
    assert section.style.firstLineIndent == -section.style.leftIndent


def test_a_split_header_hands_on_that_it_is_not_numbered() -> None:
    p = NumberedParagraph("A<br/>B<br/>C<br/>D", styles(LETTER).header)
    p.numbered, p.role = False, "header"
    first, second = p.split(LETTER.text_width, p.style.leading * 2.5)
    assert (second.numbered, second.role) == (False, "header")


def test_structure_tags() -> None:
    paras, _ = numbered_body(parse_body(CABLE).blocks, styles(LETTER), LETTER)
    div = Elem("Div")
    tag_body(paras, div)
    assert [k.role for k in div.kids] == ["P", "H3", "P", "P", "BlockQuote", "P"]
    quote = div.kids[4]
    assert [k.role for k in quote.kids] == ["P", "P"]  # consecutive quoted paragraphs


def test_cite_counts_without_the_header(lesson_dir: LessonDir) -> None:
    body = DOCUMENT_A.split("---\n")[2]
    doc = DOCUMENT_A.replace(body, CABLE)
    ws = select(load_lesson(lesson_dir({"documents/A.md": doc})), "standard", "key")
    paras, lines = numbered_body(ws.sections[0].blocks, styles(LETTER), LETTER)
    at = Location("questions.yaml", 9, 5)

    def c(quote: str) -> str:
        return cite(ws, Evidence("A", quote, at), {"A": lines})

    assert c("CONTINUOUS TORPEDO ATTACK") == "Doc A, line 2"
    assert c("contacts appear doubtful") == "Doc A, lines 4\u20135"
    assert c("That the Congress approves") == "Doc A, line 7"
    assert c("TO: COMMANDER IN CHIEF") == "Doc A, header"
    assert c("not in the text") == "Doc A"


def test_the_background_takes_a_documents_markup(lesson_dir: LessonDir, tmp_path: Path) -> None:
    lesson = LESSON_YAML.replace(
        "  The first paragraph of the background.\n",
        "  ## The Crisis Begins\n\n  The first paragraph of the background.\n\n"
        "  As the President said, \"We will not prematurely\n  run the risks.\" {.quote}\n")
    folder = lesson_dir({"lesson.yaml": lesson})
    [pdf] = [p for p in build([folder], output=tmp_path / "out", preflight=False)
             if p.name.endswith("student.pdf")]
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "##" not in text and "{.quote}" not in text
    assert "The Crisis Begins\n\nThe first paragraph" in text
    tree = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sect = tree[tree.index('"Background'):tree.index('"The second paragraph')]
    roles = [ln.split()[0] for ln in sect.splitlines()[1:]
             if ln.strip() and not ln.strip().startswith('"')]
    assert roles == ["H3", "P", "BlockQuote", "P", "P"], sect  # the last P: the second one
    assert '"The Crisis Begins' in sect and '"As the President said' in sect


def test_a_heading_that_ends_a_documents_text_stays_with_its_source(
        lesson_dir: LessonDir) -> None:
    from worksheets.compose import compose
    from worksheets.compose.flowables import NeedRoom

    doc = DOCUMENT_A.rstrip("\n") + "\n\n## NOTES ON THE TEXT\n"
    ws = select(load_lesson(lesson_dir({"documents/A.md": doc})))
    story = compose(ws, LETTER)
    at = next(i for i, f in enumerate(story) if isinstance(f, NumberedParagraph)
              and f.getPlainText() == "NOTES ON THE TEXT")
    need = story[at - 1]
    assert isinstance(need, NeedRoom)
    caption = story[at + 1]
    assert isinstance(caption, Paragraph) and caption.getPlainText().startswith("Source:")
    heading_h = story[at].wrap(LETTER.text_width, 1e9)[1]
    caption_h = caption.wrap(LETTER.text_width, 1e9)[1]
    assert need.wrap(LETTER.text_width, 1e9) and need.height >= heading_h + caption_h
