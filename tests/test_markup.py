"""The document-body markup: paragraphs, roles, glosses, emphasis; everything else literal."""

from __future__ import annotations

from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from worksheets.markup import (
    ROLES,
    Block,
    Gloss,
    Run,
    parse_body,
    parse_inline,
    plain,
    section_label,
)


def runs_of(text: str) -> list[tuple[str, bool, bool]]:
    """The runs of a one-paragraph body as (text, bold, italic)."""
    parsed = parse_body(text)
    assert parsed.problems == ()
    assert len(parsed.blocks) == 1
    return [(r.text, r.bold, r.italic) for r in parsed.blocks[0].runs]


# --- paragraphs and roles ----------------------------------------------------------------


def test_paragraphs_split_at_blank_lines_and_lines_are_joined() -> None:
    parsed = parse_body("First line\nsecond line.\n\n\n  Next paragraph\n   \nLast.\n", 8)
    assert [(b.text, b.role, b.line) for b in parsed.blocks] == [
        ("First line second line.", "text", 8),
        ("Next paragraph", "text", 12),
        ("Last.", "text", 14),
    ]
    assert parsed.glosses == () and parsed.problems == ()


def test_roles() -> None:
    parsed = parse_body(
        "DEAR SIR, {.salutation}\n\nWe want peace.\n\nYours, {.closing}\n\nN. K.   {.signature}  "
    )
    assert [(b.text, b.role) for b in parsed.blocks] == [
        ("DEAR SIR,", "salutation"),
        ("We want peace.", "text"),
        ("Yours,", "closing"),
        ("N. K.", "signature"),
    ]
    assert parsed.problems == ()


def test_role_on_the_last_line_of_a_paragraph() -> None:
    parsed = parse_body("Respectfully yours,\nN. Khrushchev {.signature}")
    assert [(b.text, b.role) for b in parsed.blocks] == [
        ("Respectfully yours, N. Khrushchev", "signature")
    ]


def test_role_in_the_middle_of_a_line_is_text() -> None:
    assert runs_of("Use {.closing} here") == [("Use {.closing} here", False, False)]


def test_unknown_role() -> None:
    parsed = parse_body("Intro.\n\nYours,   {.closer}\n", 10)
    assert parsed.problems == (
        (12, 10, "unknown paragraph role '{.closer}'",
         "did you mean {.closing}? use {.salutation}, {.closing}, {.signature}, "
         "{.header}, {.quote} or {.section}"),
    )
    parsed = parse_body("x{.shout}")
    assert parsed.problems == (
        (1, 2, "unknown paragraph role '{.shout}'",
         "use {.salutation}, {.closing}, {.signature}, {.header}, {.quote} or {.section}"),
    )
    # The text is kept, so nothing is silently lost.
    assert parsed.blocks[0].text == "x{.shout}"


# --- inline markup -------------------------------------------------------------------------


def test_gloss() -> None:
    assert runs_of("a **cessation** (end) of work") == [
        ("a ", False, False),
        ("cessation", True, False),
        (" (end) of work", False, False),
    ]
    assert parse_body("a **cessation** (end) of work", 5).glosses == (
        Gloss("cessation", "end", 5, 3),
    )


def test_gloss_location_on_a_later_line_of_a_paragraph() -> None:
    parsed = parse_body("First line\n  then a **pledge** (promise)\nand **more**", 20)
    assert parsed.glosses == (Gloss("pledge", "promise", 21, 10),)
    assert parsed.blocks[0].line == 20


def test_bold_without_gloss_is_not_a_gloss() -> None:
    parsed = parse_body("the **Jupiter** missiles")
    assert [(r.text, r.bold) for r in parsed.blocks[0].runs] == [
        ("the ", False),
        ("Jupiter", True),
        (" missiles", False),
    ]
    assert parsed.glosses == ()


def test_emphasis() -> None:
    assert runs_of("The *New York Times* said") == [
        ("The ", False, False),
        ("New York Times", False, True),
        (" said", False, False),
    ]


def test_lone_stars_are_text() -> None:
    assert runs_of("2 * 3 * 4 and a*b and *") == [("2 * 3 * 4 and a*b and *", False, False)]


def test_brackets_and_ellipses_are_unchanged() -> None:
    text = (
        "This is no secret. . . .Your missiles [are] in Turkey... We . . . will. . "
        "remove [missiles] . . .Your"
    )
    assert runs_of(text) == [(text, False, False)]


def test_hard_line_break() -> None:
    parsed = parse_body("Line one \\\nLine two\nstill two \\\nLine three")
    assert [r.text for r in parsed.blocks[0].runs] == [
        "Line one",
        "\n",
        "Line two still two",
        "\n",
        "Line three",
    ]
    assert plain(parsed.blocks[0].runs) == "Line one Line two still two Line three"


def test_a_break_after_a_paragraphs_last_line_is_dropped_not_printed() -> None:
    assert runs_of("Washington, D.C. \\") == [("Washington, D.C.", False, False)]
    assert runs_of("Yours, \\\nN. K. \\") == [("Yours,", False, False), ("\n", False, False),
                                            ("N. K.", False, False)]
    assert runs_of("a path: C:\\\\") == [("a path: C:\\\\", False, False)]  # two: as typed


def test_a_heading_line_ending_in_a_break_goes_on_to_its_next_line() -> None:
    parsed = parse_body("## ARTICLE I \\\nOf the Congress\n\nThe text.\n\n## Lone \\\n")
    assert [(b.text, b.role, b.line) for b in parsed.blocks] == [
        ("ARTICLE I\nOf the Congress", "heading", 1),
        ("The text.", "text", 4),
        ("Lone", "heading", 6),
    ]
    assert parsed.problems == ()


def test_reportlab_markup_characters_are_literal() -> None:
    text = "Is 3 < 5 & 7 > 2? <b>not bold</b> &amp; Q&A <font size=60>x</font>"
    assert runs_of(text) == [(text, False, False)]


def test_parse_inline() -> None:
    runs, glosses = parse_inline("Who sent **Document A** (the letter), and *why*?", 3, 13)
    assert runs == (
        Run("Who sent "),
        Run("Document A", bold=True),
        Run(" (the letter), and "),
        Run("why", italic=True),
        Run("?"),
    )
    assert glosses == [Gloss("Document A", "the letter", 3, 22)]


def test_empty_and_blank_bodies() -> None:
    assert parse_body("").blocks == ()
    assert parse_body("\n  \n\t\n").blocks == ()


def test_block_text() -> None:
    assert Block((Run("a "), Run("b", bold=True))).text == "a b"


# --- properties ------------------------------------------------------------------------------

SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # not encodable text
MARKUP_FREE = st.text(
    alphabet=st.characters(exclude_characters="*{\\#", exclude_categories=SURROGATES),
    max_size=300,
)
WITH_STARS = st.text(alphabet=st.sampled_from(list("ab (). [*]\n \t-é")), max_size=200) | st.text(
    alphabet=st.characters(exclude_characters="{\\#", exclude_categories=SURROGATES), max_size=300
)
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=SURROGATES), max_size=300)


def visible(s: str, drop: str = "") -> str:
    return "".join(c for c in s if not c.isspace() and c not in drop)


def body_runs(text: str) -> str:
    return "".join(r.text for b in parse_body(text).blocks for r in b.runs)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_parse_body_never_raises(text: str) -> None:
    parsed = parse_body(text)
    for block in parsed.blocks:
        assert block.runs
        assert block.role in ROLES


@settings(derandomize=True, max_examples=200, deadline=None)
@given(MARKUP_FREE)
def test_text_without_markup_survives_exactly(text: str) -> None:
    assert visible(body_runs(text)) == visible(text)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(WITH_STARS)
def test_only_stars_are_consumed(text: str) -> None:
    # `**term** (gloss)` and `*em*` remove only their stars: every other visible
    # character survives, in order.
    assert visible(body_runs(text), "*") == visible(text, "*")


@settings(derandomize=True, max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_output_is_a_subsequence_of_the_input(text: str) -> None:
    # Roles and hard-break backslashes are dropped too; nothing is added or reordered.
    out = iter(visible(text))
    assert all(c in out for c in visible(body_runs(text)))


def test_printed_text_has_its_accents_composed() -> None:
    from worksheets.fonts import SANS, register_fonts
    from worksheets.markup import escape
    from worksheets.measure import fit_line

    register_fonts()
    assert escape("Nguye\u0302\u0303n & <b>") == "Nguy\u1ec5n &amp; &lt;b&gt;"
    assert fit_line("Nguye\u0302\u0303n", SANS, 8, 500, 6)[0] == "Nguy\u1ec5n"


# --- documents that are not letters: headings, header lines, quotes, sections -----------


def test_a_heading_is_a_paragraph_of_its_own() -> None:
    parsed = parse_body("Preamble text\n## ARTICLE I\nThe text of\nthe article.\n\n"
                        "  ## Notes on **reconnaissance** (a search)", 3)
    assert [(b.text, b.role, b.line, b.col) for b in parsed.blocks] == [
        ("Preamble text", "text", 3, 1),
        ("ARTICLE I", "heading", 4, 1),
        ("The text of the article.", "text", 5, 1),
        ("Notes on reconnaissance (a search)", "heading", 8, 3),
    ]
    assert parsed.glosses == (Gloss("reconnaissance", "a search", 8, 15),)
    assert parsed.problems == ()


def test_header_quote_and_section_roles() -> None:
    parsed = parse_body(
        "FROM: CTG 72.1 \\\nTO: CINCPACFLT {.header}\n\n"
        "He wrote: {.salutation}\n\n"
        "We hold these truths \\\nto be self-evident. {.quote}\n\n"
        "SECTION 1. That the Congress approves. {.section}\n\n"
        "(a) A lettered clause. {.section}"
    )
    assert [(b.text, b.role, b.line) for b in parsed.blocks] == [
        ("FROM: CTG 72.1\nTO: CINCPACFLT", "header", 1),
        ("He wrote:", "salutation", 4),
        ("We hold these truths\nto be self-evident.", "quote", 6),
        ("SECTION 1. That the Congress approves.", "section", 9),
        ("(a) A lettered clause.", "section", 11),
    ]
    assert parsed.blocks[0].runs == (Run("FROM: CTG 72.1"), Run("\n"), Run("TO: CINCPACFLT"))
    assert parsed.problems == ()


def test_section_labels() -> None:
    assert section_label("SECTION 1. That the Congress") == "SECTION 1."
    assert section_label("SEC. 12. Short title") == "SEC. 12."
    assert section_label("Article IV. The states") == "Article IV."
    assert section_label("2. The United States") == "2."
    assert section_label("(iii) and") == "(iii)"
    assert section_label("1964. The year") == "1964."
    assert section_label("Section one.") is None
    assert section_label("2.5 percent") is None


def test_structure_markup_errors_are_located() -> None:
    parsed = parse_body("Text.\n\n### Part two\n\n##\n\n## Title {.quote}\n\n"
                        "No number here. {.section}\n\nShout {.heading}\n\n{.header}", 20)
    assert parsed.problems == (
        (22, 1, "'###' does not start a heading",
         "a heading inside a document starts with '## ' (two hashes); to print the hashes, "
         "put them after other text"),
        (24, 1, "'##' starts a heading but no text follows",
         "write the heading after '## ', or remove the '##'"),
        (26, 10, "a heading takes no role: '{.quote}'",
         "remove it; a heading is the line after '## '"),
        (28, 1, "'{.section}' marks a numbered section, but the paragraph does not start with "
         "its number", "start it with the number, as in 'SECTION 1.', '2.' or '(a)'"),
        (30, 7, "unknown paragraph role '{.heading}'",
         "start a heading's line with '## ', as in '## Article I'"),
        (32, 1, "'{.header}' marks no text",
         "put it at the end of the paragraph it marks, as in 'TO: THE PRESIDENT {.header}'"),
    )


def test_hashes_inside_a_line_are_text() -> None:
    assert runs_of("Room ## 5 and #hashtag") == [("Room ## 5 and #hashtag", False, False)]
    assert runs_of("##no space") == [("##no space", False, False)]


def test_bold_and_italics_nest() -> None:
    assert runs_of("***Both*** at once") == [("Both", True, True), (" at once", False, False)]
    assert runs_of("**The *Maddox* Incident**") == [
        ("The ", True, False), ("Maddox", True, True), (" Incident", True, False)]
    assert runs_of("**USS *Maddox***") == [("USS ", True, False), ("Maddox", True, True)]
    assert runs_of("*the USS **Maddox** at sea*") == [
        ("the USS ", False, True), ("Maddox", True, True), (" at sea", False, True)]
    assert runs_of("*USS **Maddox***") == [("USS ", False, True), ("Maddox", True, True)]
    # a gloss's term is its words, without the italics' stars
    parsed = parse_body("**the *Maddox* affair** (a naval clash)")
    assert [(g.term, g.gloss) for g in parsed.glosses] == [("the Maddox affair", "a naval clash")]
    # stars that stand apart are still text
    assert runs_of("2 ** 3 and 5*3*2 and * * *") == [("2 ** 3 and 5*3*2 and * * *", False, False)]
