"""Reading levels and per-variant wording (issue 14), on tests/lessons/seneca-falls: the
note after a document's title per level, a reading level per document, quotes worded per
level, questions and organizer worded or hidden per variant. Read back from the PDFs, the
teacher master and the digital editions."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from worksheets import build, load_lesson
from worksheets.digital.assessment import assessment
from worksheets.markup import plain
from worksheets.select import select

from .pdfutil import ROOT, assert_in_order, body_text, norm

LESSON = ROOT / "tests" / "lessons" / "seneca-falls"
TITLE = "Seneca Falls, 1848: A Declaration of Sentiments and Its Critics"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every variant's student and key on Letter, and the master: name -> body text."""
    work = tmp_path_factory.mktemp("levels")
    here = os.getcwd()
    os.chdir(work)
    try:
        written = build([LESSON], output=work, variants=["all"], layouts=["letter"],
                        editions="all", preflight=False)
    finally:
        os.chdir(here)
    lesson = load_lesson(LESSON)
    out = {}
    for p in written:
        name = Path(p).name.removeprefix("seneca-falls-").removesuffix(".pdf")
        out[name] = body_text(work / Path(p).name, TITLE, lesson.attribution)
    return out


def heading(text: str, label: str) -> str:
    """The document heading that starts with `label`, whitespace folded."""
    m = re.search(re.escape(label) + r":[^\n]*(?:\n[^\n]*\))?", text)
    assert m, f"no heading {label}"
    return norm(m.group())


def numbers(text: str) -> list[int]:
    """The question numbers printed, in order: a number whose text runs to a skill."""
    number = r"(?<![\w.])\d{1,2}\. "
    skill = r"\((?:Sourcing|Contextualization|Close reading|Corroboration)"
    found = re.findall(f"({number})(?:(?!{number})[^()])*?{skill}", norm(text))
    return [int(n.split(".")[0]) for n in found]


def test_the_note_after_the_title_follows_the_level_printed(pdfs: dict[str, str]) -> None:
    # declaration.simplified.md says adapted: simplified; editorial's level files say
    # nothing, so they keep the main file's modified: true
    assert heading(pdfs["standard-letter-student"], "Document A").endswith("(Modified)")
    assert heading(pdfs["supported-letter-student"], "Document A").endswith("(Simplified)")
    assert "(Modified)" in heading(pdfs["supported-letter-student"], "Document B")
    # Spanish support: the note in both languages
    assert heading(pdfs["mixed-letter-student"], "Document A").endswith(
        "(Simplified / Simplificado)")
    assert "(Modified / Modificado)" in heading(pdfs["mixed-letter-student"], "Document B")


def test_a_variant_picks_the_level_of_each_document(pdfs: dict[str, str]) -> None:
    mixed = norm(pdfs["mixed-letter-student"])
    # the simplified Declaration ...
    assert "(He never let her vote.)" in mixed
    # ... beside the modified editorial
    assert "where, gentlemen, will be our dinners and our elbows?" in mixed
    assert "who will mend the holes in our stockings?" not in mixed


def test_the_key_cites_each_quote_in_the_words_of_the_level_printed(
        pdfs: dict[str, str]) -> None:
    assert_in_order(pdfs["standard-letter-key"], [
        "7. True or false: The editorial answers", "Evidence: Doc B, lines 18\u201319: "
        "\u201cwhere, gentlemen, will be our dinners and our elbows?\u201d"])
    assert_in_order(pdfs["supported-letter-key"], [
        "7. True or false: The newspaper talks about the wages of married women.",
        "Evidence: Doc B, line 14: \u201cwho will mend the holes in our stockings?\u201d"])
    # the mixed variant prints the modified editorial: the modified words, its lines
    assert_in_order(pdfs["mixed-letter-key"], [
        "Evidencia: Doc B, lines 18\u201319: "
        "\u201cwhere, gentlemen, will be our dinners and our elbows?\u201d"])


def test_a_variant_words_prompts_and_choices_its_own_way(pdfs: dict[str, str]) -> None:
    assert_in_order(pdfs["supported-letter-student"], [
        "3. Which right does the Declaration say men never let women use?",
        "A. The right to vote", "B. The right to own property", "C. The right to divorce",
        "Hint: Read grievance 1."])
    assert "D. The right" not in pdfs["supported-letter-student"].split("4. True")[0]
    # the answer follows the correct choice to its new letter
    assert_in_order(pdfs["supported-letter-key"], ["Answer:", "A. The right to vote"])
    # the variant's own answer; the bank's prompt
    assert_in_order(pdfs["mixed-letter-key"], [
        "3. Which right does the Declaration call the \"first right of a citizen\"?",
        "A. The right to a college education", "D. The right to vote",
        "Answer / Respuesta:", "D. The right to vote"])
    assert_in_order(pdfs["standard-letter-key"], [
        "3. Which right does the Declaration call the \"first right of a citizen\"?",
        "A. The right to own property", "B. The right to vote", "Answer:",
        "B. The right to vote"])


def test_a_variant_words_the_claim_its_own_way(pdfs: dict[str, str]) -> None:
    claim = "Why did the people at Seneca Falls ask for the vote, and why did newspapers " \
        "laugh at them?"
    assert_in_order(pdfs["supported-letter-student"], ["Your claim", claim])
    assert claim not in pdfs["standard-letter-student"]
    assert "own prompt, lines" in norm(pdfs["master-letter"]).split("Claim")[-1]


def test_question_numbers_stay_those_of_the_bank(pdfs: dict[str, str]) -> None:
    assert numbers(pdfs["standard-letter-student"]) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert numbers(pdfs["supported-letter-student"]) == [1, 2, 3, 4, 5, 6, 7, 8]
    # questions: [decl-sourcing, decl-first, edit-sourcing, edit-joke, compare-sphere]
    assert numbers(pdfs["mixed-letter-student"]) == [1, 3, 5, 7, 8]
    assert numbers(pdfs["mixed-letter-key"]) == [1, 3, 5, 7, 8]


def test_an_organizer_column_hidden_and_headings_and_prompts_per_variant(
        pdfs: dict[str, str]) -> None:
    standard = norm(pdfs["standard-letter-student"].split("Graphic organizer")[1])
    mixed = norm(pdfs["mixed-letter-key"].split("Organizador gr\u00e1fico")[1])
    supported = norm(pdfs["supported-letter-student"].split("Graphic organizer")[1])
    assert "A quotation from Document A" in standard
    assert "A quotation from" not in mixed
    assert "What the Declaration demands (Doc A)" in mixed
    assert "What the newspaper answers (Document B)" in mixed
    # the key's answers of the hidden columns are gone with them
    assert "He has never permitted her" not in mixed
    assert "Women must have the vote" in mixed
    assert "Voting: who may vote?" in supported
    assert "Voting: who may vote?" not in standard


def test_the_master_says_what_each_variant_words_its_own_way(pdfs: dict[str, str]) -> None:
    master = norm(pdfs["master-letter"])
    assert "Doc B: modified" in master
    assert "chart without: demand-quote, answer-quote" in master
    assert "asked + hint; own prompt, choices, answer" in master
    assert "asked + hint; own choices, answer" in master
    assert "asked + hint; own prompt, lines" in master


def test_the_digital_editions_use_the_variants_wording() -> None:
    lesson = load_lesson(LESSON)
    items = {i.label: i for g in assessment(select(lesson, "supported", "key")).groups
             for i in g.items}
    q3 = items["3"]
    assert plain(q3.prompt) == (
        "Which right does the Declaration say men never let women use?")
    assert [(c.text, c.correct) for c in q3.choices] == [
        ("The right to vote", True), ("The right to own property", False),
        ("The right to divorce", False)]
    assert "\u201cwho will mend the holes in our stockings?\u201d" in items["7"].notes[-1]
    mixed = assessment(select(lesson, "mixed", "key"))
    assert [i.label for g in mixed.groups for i in g.items] == ["1", "3", "5", "7", "8", "Claim"]
    assert mixed.groups[0].stimulus is not None
    assert mixed.groups[0].stimulus.heading.endswith("(Simplified / Simplificado)")


def test_select_leaves_out_the_rows_and_columns_a_variant_does_not_show() -> None:
    lesson = load_lesson(LESSON)
    mixed = replace(lesson.variants["mixed"], rows=("sphere", "vote"))
    ws = select(replace(lesson, variants={**lesson.variants, "mixed": mixed}), "mixed", "key")
    assert ws.organizer is not None
    assert [r.id for r in ws.organizer.rows] == ["vote", "sphere"]  # the organizer's order
    assert [(c.id, c.heading) for c in ws.organizer.columns] == [
        ("demand", "What the Declaration demands (Doc A)"),
        ("answer", "What the newspaper answers (Document B)")]
    # the standard variant shows the organizer as written
    standard = select(lesson, "standard").organizer
    assert standard is not None and lesson.organizer is not None
    assert [(c.id, c.heading) for c in standard.columns] == [
        (c.id, c.heading) for c in lesson.organizer.columns]
    assert [r.prompt for r in standard.rows] == [r.prompt for r in lesson.organizer.rows]
