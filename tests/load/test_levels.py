"""Reading levels and per-variant wording, broken on purpose: every message exact, located,
all at once. The lesson is a copy of tests/lessons/seneca-falls, so paths start with
`seneca-falls/` and line numbers are those of its files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from worksheets.load import load_lesson_with_problems

LESSON = Path(__file__).resolve().parents[1] / "lessons" / "seneca-falls"

Edit = tuple[str, str, str]  # file, old text, new text


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test here runs in its temporary folder."""


def problems_after(*edits: Edit) -> list[str]:
    """Every message (with its severity) of loading the lesson after the edits."""
    shutil.copytree(LESSON, "seneca-falls")
    for file, old, new in edits:
        path = Path("seneca-falls") / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    _, problems = load_lesson_with_problems("seneca-falls")
    return [p.format(with_severity=True) for p in problems]


def test_the_lesson_loads_clean() -> None:
    assert problems_after() == []


CASES = [
    pytest.param(
        ("questions.yaml", '          simplified: "who will', '          simplifed: "who will'),
        ["seneca-falls/questions.yaml:108:22: error: evidence levels: document editorial has no "
         "'simplifed' text (did you mean 'simplified'?)",
         # without words of its own, the simplified text is checked against the main quote
         "seneca-falls/questions.yaml:106:16: error: evidence quote \"where, gentlemen, will be "
         "our dinners and our elbows?\" is not in seneca-falls/documents/editorial.simplified.md "
         "(simplified text, used by supported) (after \"gentlemen, will be our dinners\" the "
         "text has '?' (U+003F QUESTION MARK) where the quote has (U+0020 SPACE): copy the "
         "words exactly from that text)"],
        id="evidence-level-unknown"),
    pytest.param(
        ("questions.yaml", "who will mend the holes", "who will darn the holes"),
        ["seneca-falls/questions.yaml:108:23: error: evidence quote \"who will darn the holes "
         "in our stockings?\" is not in seneca-falls/documents/editorial.simplified.md "
         "(simplified text, used by supported) (after \"who will \" the text has 'm' (U+006D "
         "LATIN SMALL LETTER M) where the quote has 'd' (U+0064 LATIN SMALL LETTER D): copy "
         "the words exactly from that text)"],
        id="evidence-level-wording"),
    pytest.param(
        ("lesson.yaml", "{editorial: modified}", "{editorail: modified}"),
        ["seneca-falls/lesson.yaml:112:22: error: variants.mixed.reading_levels: unknown "
         "document 'editorail' (did you mean 'editorial'?)"],
        id="reading-levels-document"),
    pytest.param(
        ("lesson.yaml", "{editorial: modified}", "{editorial: modifed}"),
        ["seneca-falls/lesson.yaml:112:33: error: variants.mixed.reading_levels.editorial: "
         "document editorial has no 'modifed' text (did you mean 'modified'?)"],
        id="reading-levels-level"),
    pytest.param(
        ("lesson.yaml", "    questions: [decl-sourcing, decl-first, edit-sourcing, edit-joke, "
         "compare-sphere]", "    documents: [declaration]"),
        ["seneca-falls/lesson.yaml:112:22: error: variants.mixed.reading_levels: document "
         "editorial is not printed by this variant (add editorial to its documents, or remove "
         "editorial here)"],
        id="reading-levels-left-out"),
    pytest.param(
        ("questions.yaml", '      supported:\n        prompt: "Which',
         '      suported:\n        prompt: "Which'),
        ["seneca-falls/questions.yaml:39:7: error: questions[2].variants: unknown variant "
         "'suported' (did you mean 'supported'?)"],
        id="wording-unknown-variant"),
    pytest.param(
        ("questions.yaml", '          - "The right to vote"\n          - "The right to own '
         'property"\n          - "The right to divorce"\n        hint',
         '          - "The right to own property"\n          - "The right to divorce"\n'
         '        hint'),
        ["seneca-falls/questions.yaml:42:11: error: questions[2].variants.supported.choices: "
         "the correct choice 'The right to vote' (answer B) is not among them (keep it among "
         "this variant's choices, or give the variant its own answer:)"],
        id="wording-drops-the-correct-choice"),
    pytest.param(
        ("questions.yaml", '        answer: "D"', '        answer: "E"'),
        ["seneca-falls/questions.yaml:53:17: error: questions[2].variants.mixed.answer: 'E' "
         "names no choice (this variant has 4 choices)"],
        id="wording-answer-beyond-the-choices"),
    pytest.param(
        ("questions.yaml", "        lines: 3\n",
         "        lines: 3\n        choices: [\"Yes\", \"No\"]\n"),
        ["seneca-falls/questions.yaml:113:18: error: questions[6].variants.supported.choices: "
         "only a choice question has choices (remove choices from this variant)"],
        id="wording-choices-on-true-false"),
    pytest.param(
        ("questions.yaml", "        lines: 3\n", "        lines: 3\n        answer: \"false\"\n"),
        ["seneca-falls/questions.yaml:113:17: error: questions[6].variants.supported.answer: "
         "expected true or false, got text 'false' (write true or false, without quotes)"],
        id="wording-true-false-answer-in-quotes"),
    pytest.param(
        ("questions.yaml", "Which right does the Declaration say men never",
         "Which **right does the Declaration say men never"),
        ["seneca-falls/questions.yaml:40:24: error: questions[2].variants.supported.prompt: "
         "'**' is not closed: bold text needs '**' on both sides (write **term** (gloss), or "
         "remove the stars)"],
        id="wording-markup"),
    pytest.param(
        ("lesson.yaml", "columns: [demand, answer]", "columns: [demand, anwser]"),
        ["seneca-falls/lesson.yaml:117:25: error: variants.mixed.organizer.columns: unknown "
         "column 'anwser' (did you mean 'answer'?)"],
        id="organizer-column"),
    pytest.param(
        ("lesson.yaml", "columns: [demand, answer]", "columns: []\n      rows: [vote, vote]"),
        ["seneca-falls/lesson.yaml:117:16: error: variants.mixed.organizer.columns: the list is "
         "empty (name at least one, or leave columns: out for all)",
         "seneca-falls/lesson.yaml:118:20: error: variants.mixed.organizer.rows: row 'vote' "
         "appears twice (list it once)"],
        id="organizer-rows"),
    pytest.param(
        ("lesson.yaml", 'variants: {mixed: "What', 'variants: {mixd: "What'),
        ["seneca-falls/lesson.yaml:34:18: error: organizer.columns[0].variants: unknown "
         "variant 'mixd' (did you mean 'mixed'?)"],
        id="organizer-column-heading-variant"),
    pytest.param(
        ("lesson.yaml", "    supported:\n      prompt:", "    suported:\n      prompt:"),
        ["seneca-falls/lesson.yaml:92:5: error: claim.variants: unknown variant 'suported' "
         "(did you mean 'supported'?)"],
        id="claim-variant"),
    pytest.param(
        ("documents/declaration.md", "modified: true\n", "modified: true\nadapted: modified\n"),
        ["seneca-falls/documents/declaration.md:4:11: error: modified: and adapted: both say "
         "what is printed after the title (keep adapted: modified and remove modified:)"],
        id="adapted-and-modified"),
    pytest.param(
        ("documents/declaration.simplified.md", "adapted: simplified", "adapted: simple"),
        ["seneca-falls/documents/declaration.simplified.md:3:10: error: adapted: unknown value "
         "'simple' (did you mean 'simplified'? expected: modified, simplified, excerpt, "
         "original)"],
        id="adapted-value"),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_each_mistake_is_located(edit: Edit, expected: list[str]) -> None:
    assert problems_after(edit) == expected


def test_a_wording_for_a_variant_that_does_not_ask_the_question_is_a_warning() -> None:
    assert problems_after(
        ("questions.yaml", '      mixed:\n        choices:',
         '      standard:\n        prompt: "Which right comes first?"\n      mixed:\n'
         '        choices:'),
        ("lesson.yaml", "    reading_level: modified\n  supported:",
         "    reading_level: modified\n    questions: [decl-sourcing]\n  supported:"),
    ) == ["seneca-falls/questions.yaml:47:7: warning: questions[2].variants.standard: variant "
          "'standard' does not ask question 'decl-first' (add 'decl-first' to the variant's "
          "questions, or remove this wording)"]


def test_every_mistake_at_once() -> None:
    found = problems_after(
        ("lesson.yaml", "{editorial: modified}", "{editorail: modified}"),
        ("lesson.yaml", "columns: [demand, answer]", "columns: [demand, anwser]"),
        ("questions.yaml", '        answer: "D"', '        answer: "E"'),
    )
    assert [p.split(": error")[0] for p in found] == [
        "seneca-falls/questions.yaml:53:17", "seneca-falls/lesson.yaml:112:22",
        "seneca-falls/lesson.yaml:117:25"]
