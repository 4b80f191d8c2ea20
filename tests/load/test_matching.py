"""Text matched as a reader sees it: quotes, apostrophes, dashes, accents, invisible
characters; glosses, forms and speaker labels."""

from __future__ import annotations

import pytest

from tests.conftest import DOCUMENT_A, QUESTIONS_YAML, VOCABULARY_YAML, LessonDir, edit
from worksheets.load import load_lesson_with_problems
from worksheets.select import select

A_TEXT = "We want peace and a **treaty** (agreement) with you. . . ."


def with_quote(text: str, quote: str) -> dict[str, str | bytes | None]:
    """Document A's sentence replaced by `text`, and question a-source quoting `quote`."""
    look = '    look_fors: ["The first leader, in 1962."]'
    yaml_quote = "'" + quote.replace("'", "''") + "'"  # single-quoted: no escapes
    q = edit(QUESTIONS_YAML, look, f"{look}\n    evidence: [{{doc: A, quote: {yaml_quote}}}]")
    return {"documents/A.md": edit(DOCUMENT_A, A_TEXT, text), "questions.yaml": q}


@pytest.mark.parametrize(("text", "quote"), [
    ("The leader\u2019s \u201cfinal\u201d offer \u2014 peace.",
     'The leader\'s "final" offer -- peace'),
    ("The leader's \"final\" offer -- peace.",
     "The leader\u2019s \u201cfinal\u201d offer \u2014 peace"),
    ("Nguye\u0302\u0303n Kh\u00e1nh agreed.", "Nguy\u1ec5n Kh\u00e1nh agreed"),  # decomposed
    ("We want peace\u200b now.", "We want peace now"),  # a zero-width space in the text
    ("We want peace now.", "We want\u00a0peace\u200d now"),  # no-break space, joiner
])
def test_a_quote_matches_the_text_as_a_reader_sees_it(lesson_dir: LessonDir, text: str,
                                                      quote: str) -> None:
    lesson, problems = load_lesson_with_problems(lesson_dir(with_quote(text, quote)))
    assert [p.format() for p in problems if p.severity == "error"] == []
    assert lesson is not None


def test_a_quote_that_differs_names_the_first_difference(lesson_dir: LessonDir) -> None:
    files = with_quote("The leader\u02bcs final offer.", "The leader's fianl offer")
    lesson, problems = load_lesson_with_problems(lesson_dir(files))
    assert lesson is None
    (p,) = [p for p in problems if "evidence" in p.message]
    assert p.message.startswith('evidence quote "The leader\'s fianl offer" is not in ')
    assert p.hint == ("after \"the leader's fi\" the text has 'n' (U+006E LATIN SMALL LETTER N) "
                      "where the quote has 'a' (U+0061 LATIN SMALL LETTER A): copy the words "
                      "exactly from that text")


def test_a_gloss_of_a_declared_form_is_that_term(lesson_dir: LessonDir) -> None:
    vocab = edit(VOCABULARY_YAML, "  - term: treaty\n", "  - term: treaty\n    forms: [treaties]\n")
    doc = edit(DOCUMENT_A, A_TEXT, "We signed two **treaties** (agreements) with you.")
    lesson, problems = load_lesson_with_problems(lesson_dir({"vocabulary.yaml": vocab,
                                                             "documents/A.md": doc}))
    assert lesson is not None and [p for p in problems if p.severity == "error"] == []
    assert [(t.term, t.translations) for t in lesson.vocabulary] == [
        ("treaty", {"es": "tratado"})]
    box = select(lesson).sections[0].vocabulary
    assert [t.term for t in box] == ["treaty"]


def test_a_speakers_label_is_not_a_gloss(lesson_dir: LessonDir) -> None:
    doc = edit(DOCUMENT_A, A_TEXT, "**SENATOR GORE** (reading from the cable). We want a "
               "**treaty** (agreement).\n\n**MR. BALL:** (aside) Peace.")
    lesson, problems = load_lesson_with_problems(lesson_dir({"documents/A.md": doc}))
    assert lesson is not None
    assert [t.term for t in lesson.documents[0].glossed] == ["treaty"]
    assert not [p for p in problems if "SENATOR" in p.message or "MR. BALL" in p.message]


def test_vocabulary_is_found_whatever_the_apostrophe(lesson_dir: LessonDir) -> None:
    vocab = edit(VOCABULARY_YAML, "  - term: treaty\n", "  - term: leader's word\n"
                 "    definition: \"a promise\"\n  - term: treaty\n")
    doc = edit(DOCUMENT_A, A_TEXT, "The leader\u2019s word and a **treaty** (agreement).")
    lesson, _ = load_lesson_with_problems(lesson_dir({"vocabulary.yaml": vocab,
                                                      "documents/A.md": doc}))
    assert lesson is not None
    assert [t.term for t in select(lesson).sections[0].vocabulary] == ["leader's word", "treaty"]
