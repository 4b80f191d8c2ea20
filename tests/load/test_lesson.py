"""The load stage: the shipped lesson loads, and every broken input gets one exact message.

Messages are asserted in full (`path:line:col: message (hint)`). Line numbers
refer to the default texts in conftest.py. Every test runs in tmp_path, so
paths in messages start with `lesson/`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

import pytest

import worksheets
from tests.conftest import (
    DOCUMENT_A,
    DOCUMENT_B,
    LESSON_YAML,
    QUESTIONS_YAML,
    VOCABULARY_YAML,
    LessonDir,
    edit,
)
from worksheets import ContentError, Location
from worksheets.load import load_lesson_with_problems

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content" / "cuban-missile-crisis"


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test here runs in its temporary folder."""


def problems_of(lesson_dir: LessonDir, files: Mapping[str, str | bytes | None]) -> list[str]:
    """Every message of one load, in the order found; the lesson must not load."""
    lesson, problems = load_lesson_with_problems(lesson_dir(files))
    assert lesson is None
    return [p.format() for p in problems]


def q_edit(old: str, new: str) -> dict[str, str | bytes | None]:
    return {"questions.yaml": edit(QUESTIONS_YAML, old, new)}


def l_edit(old: str, new: str) -> dict[str, str | bytes | None]:
    return {"lesson.yaml": edit(LESSON_YAML, old, new)}


PROMPT = 'prompt: "Who wrote Document A, and when?"'  # questions.yaml line 7, value at col 13


# --- the shipped lesson and the fixture ----------------------------------------------


def test_shipped_lesson_loads() -> None:
    lesson, problems = load_lesson_with_problems(SHIPPED)
    assert [p.format() for p in problems] == []
    assert lesson is not None
    assert [(d.id, d.label) for d in lesson.documents] == [
        ("A", "Document A"),
        ("B", "Document B"),
        ("C", "Document C"),
    ]
    assert len(lesson.questions) == 13
    assert [q.number for q in lesson.questions] == list(range(1, 14))
    # Print order: each question after the last document it names, before-text
    # (sourcing) questions first within a document.
    order = {d.id: i for i, d in enumerate(lesson.documents)}
    keys = [
        (max(order[d] for d in q.documents), 0 if q.placement == "before" else 1)
        for q in lesson.questions
    ]
    assert keys == sorted(keys)
    assert lesson.questions[0].id == "a-sourcing"
    assert lesson.questions[0].placement == "before"
    assert lesson.claim is not None and lesson.claim.number == 14
    terms = [t.term for t in lesson.vocabulary]
    assert terms == sorted(terms, key=str.lower)
    assert {"blockade", "NATO", "unilateral", "cessation", "pledge"} <= set(terms)
    blockade = next(t for t in lesson.vocabulary if t.term == "blockade")
    assert blockade.forms == ("blockades",)
    assert blockade.translations == {"es": "bloqueo"}
    assert lesson.organizer is not None
    assert [c.id for c in lesson.organizer.columns] == ["public", "secret"]
    assert "standard" in lesson.variants
    assert lesson.id == "cuban-missile-crisis"


def test_load_lesson_returns_the_lesson() -> None:
    assert worksheets.load_lesson(SHIPPED).title == (
        "The Cuban Missile Crisis: A Public Deal and a Secret Deal"
    )


def gloss_at(folder: str) -> Location:
    """Where the fixture's document A writes `**treaty** (agreement)`."""
    lines = (Path(folder) / "documents" / "A.md").read_text().split("\n")
    (n,) = [n for n, line in enumerate(lines, 1) if "**treaty**" in line]
    return Location(f"{folder}/documents/A.md", n, lines[n - 1].index("**treaty**") + 1)


def test_fixture_lesson_loads(lesson_dir: LessonDir) -> None:
    lesson, problems = load_lesson_with_problems(lesson_dir())
    assert problems == []
    assert lesson is not None
    assert lesson.id == "lesson"
    assert lesson.path == "lesson"
    assert [(q.number, q.id, q.placement, q.lines) for q in lesson.questions] == [
        (1, "a-source", "before", 3),
        (2, "b-choice", "after", 0),
        (3, "ab-true", "after", 2),
    ]
    assert lesson.questions[1].choices == ("Peace", "Trade", "War")
    assert lesson.questions[1].answer == "B"
    assert lesson.questions[2].answer is False
    assert lesson.claim is not None and lesson.claim.number == 4
    a = lesson.documents[0]
    assert a.modified is True and a.dateline == "Capital City, October 27, 1962."
    assert [b.role for b in a.bodies["modified"].blocks] == [
        "salutation",
        "text",
        "closing",
        "signature",
    ]
    assert a.bodies["modified"].blocks[0].line == 8
    assert [(t.term, t.definition, t.inline) for t in a.glossed] == [("treaty", "agreement", True)]
    assert a.glossed[0].origin == gloss_at(lesson.path)
    assert [(t.term, t.definition) for t in lesson.vocabulary] == [
        ("treaty", "a written agreement between countries")
    ]
    assert lesson.organizer is not None
    assert [r.lines for r in lesson.organizer.rows] == [4, 3]
    assert lesson.organizer.rows[0].answers == {"first": "Peace.", "second": "Trade."}
    assert list(lesson.variants) == ["standard"]
    assert len(lesson.background) == 2


def test_vocabulary_file_is_optional_and_may_be_empty(lesson_dir: LessonDir) -> None:
    for text in (None, "", "# no terms yet\n"):
        lesson, problems = load_lesson_with_problems(lesson_dir({"vocabulary.yaml": text}))
        assert problems == []
        assert lesson is not None
        assert [(t.term, t.definition) for t in lesson.vocabulary] == [("treaty", "agreement")]


def test_paths_outside_the_working_folder_are_absolute(
    lesson_dir: LessonDir, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = lesson_dir(q_edit("lines: 3", "lines: two"))
    monkeypatch.chdir(ROOT)
    _, problems = load_lesson_with_problems(folder)
    assert [p.format() for p in problems] == [
        f"{tmp_path}/lesson/questions.yaml:6:12: questions[0].lines: expected a whole number, "
        "got text 'two' (write a whole number from 0 to 30)"
    ]


def test_a_folder_without_lesson_yaml(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"lesson.yaml": None}) == [
        "lesson: no lesson.yaml in this folder "
        "(a lesson folder holds lesson.yaml, questions.yaml and documents/)"
    ]


def test_missing_questions_file(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"questions.yaml": None}) == [
        "lesson/questions.yaml: file is missing (create questions.yaml)"
    ]


# --- every problem of a run, at once ----------------------------------------------------


def test_all_problems_are_reported_at_once(lesson_dir: LessonDir) -> None:
    folder = lesson_dir(
        {
            "questions.yaml": edit(QUESTIONS_YAML, "skill: sourcing", "skill: sorcing"),
            "lesson.yaml": edit(LESSON_YAML, 'grade_band: "9-12"', "grade_band: 9"),
            "documents/B.md": edit(DOCUMENT_B, "title:", "titel:"),
        }
    )
    expected = [
        "lesson/documents/B.md:3:1: unknown key 'titel' (did you mean 'title'?)",
        "lesson/lesson.yaml:3:13: grade_band: expected text, got a number '9' "
        '(YAML reads this as a number; put it in quotes: "9")',
        "lesson/questions.yaml:4:12: questions[0].skill: unknown value 'sorcing' "
        "(did you mean 'sourcing'? expected: sourcing, contextualization, close-reading, "
        "corroboration)",
    ]
    _, problems = load_lesson_with_problems(folder)
    assert sorted(p.format() for p in problems) == expected
    with pytest.raises(ContentError) as info:
        worksheets.load_lesson(folder)
    assert [p.format() for p in info.value.problems] == expected
    assert str(info.value) == "\n".join(expected)


def test_syntax_errors_in_every_file_are_reported_together(lesson_dir: LessonDir) -> None:
    folder = lesson_dir(
        {
            "lesson.yaml": edit(LESSON_YAML, "documents: [A, B]", "documents: [A, B"),
            "questions.yaml": edit(QUESTIONS_YAML, "\n    kind: written", "\n\tkind: written"),
            "vocabulary.yaml": edit(VOCABULARY_YAML, '"a written', 'Note: "a written'),
            "documents/A.md": edit(DOCUMENT_A, 'title: "A Letter', 'title: A: "Letter'),
        }
    )
    with pytest.raises(ContentError) as info:
        worksheets.load_lesson(folder)
    assert [p.format() for p in info.value.problems] == [
        "lesson/documents/A.md:3:9: YAML syntax error: mapping values are not allowed here "
        "(put the text in quotes when it contains ': ')",
        "lesson/lesson.yaml:9:10: YAML syntax error: expected ',' or ']', but got ':'; "
        "the list starts on line 8 (close the list with ']')",
        "lesson/questions.yaml:5:1: YAML syntax error: found character '\\t' that cannot "
        "start any token (indent with spaces, not tabs)",
        "lesson/vocabulary.yaml:3:21: YAML syntax error: mapping values are not allowed here "
        "(put the text in quotes when it contains ': ')",
    ]


def test_a_broken_document_is_reported_once_not_at_each_reference(
    lesson_dir: LessonDir,
) -> None:
    # Questions and the organizer name document A; its own error is enough.
    assert problems_of(lesson_dir, {"documents/A.md": edit(DOCUMENT_A, "label:", "lable:")}) == [
        "lesson/documents/A.md:2:1: unknown key 'lable' (did you mean 'label'?)"
    ]


# --- malformed YAML ------------------------------------------------------------------------

SYNTAX = [
    pytest.param(
        l_edit('grade_band: "9-12"', 'grade_band: "9-12'),
        "lesson/lesson.yaml:3:13: YAML syntax error: the quote opened here is closed only on "
        "line 10 (close the quote on this line)",
        id="lesson-unclosed-quote-mid-file",
    ),
    pytest.param(
        l_edit('    title: "Standard"', '    title: "Standard'),
        "lesson/lesson.yaml:34:12: YAML syntax error: the quote opened here is never closed "
        "(close the quote)",
        id="lesson-unclosed-quote-at-end",
    ),
    pytest.param(
        l_edit("    title: \"Standard\"", "    title: 'Standard"),
        "lesson/lesson.yaml:34:12: YAML syntax error: the quote opened here is never closed "
        "(close the quote)",
        id="lesson-unclosed-single-quote",
    ),
    pytest.param(
        q_edit(PROMPT, 'prompt: "Who wrote Document A, and when?'),
        "lesson/questions.yaml:7:13: YAML syntax error: the quote opened here is closed only "
        "on line 8 (close the quote on this line)",
        id="questions-unclosed-quote",
    ),
    pytest.param(
        {"vocabulary.yaml": edit(VOCABULARY_YAML, "{es: \"tratado\"}", "{es: \"tratado}")},
        "lesson/vocabulary.yaml:4:24: YAML syntax error: the quote opened here is never closed "
        "(close the quote)",
        id="vocabulary-unclosed-quote",
    ),
    pytest.param(
        {"documents/A.md": edit(DOCUMENT_A, 'label: "Document A"', 'label: "Document A')},
        "lesson/documents/A.md:2:8: YAML syntax error: the quote opened here is closed only "
        "on line 3 (close the quote on this line)",
        id="front-matter-unclosed-quote",
    ),
    pytest.param(
        q_edit("\n    skill: sourcing", "\n\tskill: sourcing"),
        "lesson/questions.yaml:4:1: YAML syntax error: found character '\\t' that cannot start "
        "any token (indent with spaces, not tabs)",
        id="tab-indent",
    ),
    pytest.param(
        q_edit(PROMPT, "prompt: Note: who wrote it?"),
        "lesson/questions.yaml:7:17: YAML syntax error: mapping values are not allowed here "
        "(put the text in quotes when it contains ': ')",
        id="colon-space",
    ),
    pytest.param(
        q_edit("documents: [A]", "documents: [A"),
        "lesson/questions.yaml:4:10: YAML syntax error: expected ',' or ']', but got ':'; "
        "the list starts on line 3 (close the list with ']')",
        id="unclosed-flow-list",
    ),
    pytest.param(
        {"vocabulary.yaml": edit(VOCABULARY_YAML, '{es: "tratado"}', '{es: "tratado"')},
        # issue 15: reported where the mapping opens, not at the end of the file
        "lesson/vocabulary.yaml:4:19: YAML syntax error: the mapping opened here with '{' is "
        "never closed (close the mapping with '}')",
        id="unclosed-flow-mapping",
    ),
    pytest.param(
        {"documents/B.md": edit(DOCUMENT_B, 'title: "A Reply', 'title: ["A Reply')},
        "lesson/documents/B.md:4:1: YAML syntax error: expected ',' or ']', but got text; "
        "the list starts on line 3 (close the list with ']')",
        id="front-matter-unclosed-flow-list",
    ),
    pytest.param(
        l_edit('  title: "Two Sides"', '    title: "Two Sides"'),
        "lesson/lesson.yaml:11:3: YAML syntax error: the indentation of this line does not "
        "match the lines before it; the mapping starts on line 1 "
        "(check the indentation of this line)",
        id="bad-indentation",
    ),
    pytest.param(
        l_edit('central_question: "Why did the two sides agree?"',
               'central_question: "Why did the two sides agree?" Explain.'),
        "lesson/lesson.yaml:2:50: YAML syntax error: unexpected text after a value "
        "(put the whole value in quotes)",
        id="text-after-quoted-value",
    ),
    pytest.param(
        q_edit("    kind: written\n", "    kind: written\n    a line with no key\n"),
        "lesson/questions.yaml:6:5: YAML syntax error: expected 'key: value' on this line "
        "(write 'key: value', or put text that runs over several lines in quotes)",
        id="line-without-key",
    ),
    pytest.param(
        {"questions.yaml": QUESTIONS_YAML + "---\nquestions: []\n"},
        "lesson/questions.yaml:23:1: YAML syntax error: a second YAML document starts here "
        "(remove the '---' line: one file holds one YAML document)",
        id="two-documents",
    ),
    pytest.param(
        q_edit(PROMPT, "prompt: @home"),
        "lesson/questions.yaml:7:13: YAML syntax error: found character '@' that cannot start "
        "any token (put the text in quotes)",
        id="at-sign",
    ),
    pytest.param(
        q_edit(PROMPT, "prompt: * star"),
        "lesson/questions.yaml:7:14: YAML syntax error: expected alphabetic or numeric "
        "character, but found ' ' (put the text in quotes; a value that starts with '*' or "
        "'&' means something else)",
        id="star-start",
    ),
]


@pytest.mark.parametrize(("files", "message"), SYNTAX)
def test_yaml_syntax_errors(
    lesson_dir: LessonDir, files: dict[str, str | bytes | None], message: str
) -> None:
    assert problems_of(lesson_dir, files) == [message]


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n"])
def test_empty_file(lesson_dir: LessonDir, text: str) -> None:
    assert problems_of(lesson_dir, {"questions.yaml": text}) == [
        "lesson/questions.yaml:1:1: file is empty (expected keys: questions)"
    ]


def test_empty_lesson_yaml(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"lesson.yaml": ""}) == [
        "lesson/lesson.yaml:1:1: file is empty (expected keys: title, central_question, "
        "grade_band, background, documents, attribution)"
    ]


def test_top_level_list(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"questions.yaml": "- id: a\n- id: b\n"}) == [
        "lesson/questions.yaml:1:1: expected a mapping of keys, got a list "
        "(expected keys: questions)"
    ]


def test_front_matter_problems(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"documents/A.md": "DEAR SIR,\n"}) == [
        "lesson/documents/A.md:1:1: missing front matter "
        "(start the file with '---', label:, title:, source:, then '---')"
    ]
    assert problems_of(lesson_dir, {"documents/A.md": "---\nlabel: x\nDEAR SIR,\n"}) == [
        "lesson/documents/A.md:1:1: the front matter is not closed "
        "(end it with a line '---' before the text)"
    ]
    assert problems_of(lesson_dir, {"documents/A.md": "---\n---\nDEAR SIR,\n"}) == [
        "lesson/documents/A.md:1:1: the front matter is empty "
        "(write label:, title: and source: between the '---' lines)"
    ]
    body_only = DOCUMENT_B[: DOCUMENT_B.index("We want")]
    assert problems_of(lesson_dir, {"documents/B.md": body_only}) == [
        "lesson/documents/B.md:6:1: the document has no text "
        "(write the text after the front matter)"
    ]


# --- YAML 1.1 types in text fields -------------------------------------------------------

TRAPS = [
    ("no", "got the yes/no value 'no' (put it in quotes: \"no\")"),
    ("yes", "got the yes/no value 'yes' (put it in quotes: \"yes\")"),
    ("on", "got the yes/no value 'on' (put it in quotes: \"on\")"),
    ("Off", "got the yes/no value 'Off' (put it in quotes: \"Off\")"),
    ("12:30", "got a number '12:30' (YAML reads this as a number; put it in quotes: \"12:30\")"),
    ("1.10", "got a number '1.10' (YAML reads this as a number; put it in quotes: \"1.10\")"),
    ("02134", "got a number '02134' (YAML reads this as a number; put it in quotes: \"02134\")"),
    (
        "2024-01-05",
        "got a date '2024-01-05' (YAML reads this as a date; put it in quotes: \"2024-01-05\")",
    ),
    (".inf", "got infinity '.inf' (YAML reads this as infinity; put it in quotes: \".inf\")"),
]


@pytest.mark.parametrize(("value", "tail"), TRAPS, ids=[t[0] for t in TRAPS])
def test_yaml_11_values_in_text_fields(lesson_dir: LessonDir, value: str, tail: str) -> None:
    assert problems_of(lesson_dir, q_edit(PROMPT, f"prompt: {value}")) == [
        f"lesson/questions.yaml:7:13: questions[0].prompt: expected text, {tail}"
    ]


def test_equals_sign_alone(lesson_dir: LessonDir) -> None:
    # One message, not a second "is empty" for the value the tag check refused.
    assert problems_of(lesson_dir, q_edit(PROMPT, "prompt: =")) == [
        "lesson/questions.yaml:7:13: questions[0].prompt: '=' cannot stand alone as a YAML "
        'value (put it in quotes: "=")'
    ]


@pytest.mark.parametrize("value", ["", ' ""', " ''", " ~", " null", " |", " >"])
def test_empty_required_text(lesson_dir: LessonDir, value: str) -> None:
    assert problems_of(lesson_dir, q_edit(PROMPT, f"prompt:{value}")) == [
        "lesson/questions.yaml:7:5: questions[0].prompt is empty (write the text)"
    ]


def test_text_after_hash_is_a_comment(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, q_edit(PROMPT, "prompt: #hashtag")) == [
        "lesson/questions.yaml:7:5: questions[0].prompt is empty "
        "(YAML reads text after ' #' as a comment; put the text in quotes)"
    ]


def test_empty_optional_text(lesson_dir: LessonDir) -> None:
    files = l_edit("  instructions: \"Use", "  instructions: ''\n  instructons: \"")
    assert problems_of(lesson_dir, files) == [
        "lesson/lesson.yaml:11:3: organizer.instructions is empty "
        "(write the text, or remove the key)",
        "lesson/lesson.yaml:12:3: organizer: unknown key 'instructons' "
        "(did you mean 'instructions'?)",
    ]


def test_mapping_or_list_where_text_is_expected(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, q_edit(PROMPT, "prompt: {a}")) == [
        "lesson/questions.yaml:7:13: questions[0].prompt: expected text, got a mapping "
        "(write plain text)"
    ]


def test_text_that_is_too_long(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, q_edit(PROMPT, 'prompt: "' + "x" * 5001 + '"')) == [
        "lesson/questions.yaml:7:13: questions[0].prompt is too long: 5001 characters "
        "(at most 5000 characters)"
    ]


# --- numbers ---------------------------------------------------------------------------------

LINES = [
    ("two", "expected a whole number, got text 'two'"),
    ("1e9", "expected a whole number, got text '1e9'"),
    (".inf", "expected a whole number, got '.inf'"),
    (".nan", "expected a whole number, got '.nan'"),
    ("3.5", "expected a whole number, got '3.5'"),
    ('"3"', "expected a whole number, got text '3'"),
    ("true", "expected a whole number, got a yes/no value 'true'"),
    ("100000000", "100000000 is out of range"),
    ("-1", "-1 is out of range"),
    ("31", "31 is out of range"),
]


@pytest.mark.parametrize(("value", "message"), LINES, ids=[v for v, _ in LINES])
def test_lines_must_be_a_small_whole_number(
    lesson_dir: LessonDir, value: str, message: str
) -> None:
    assert problems_of(lesson_dir, q_edit("lines: 3", f"lines: {value}")) == [
        f"lesson/questions.yaml:6:12: questions[0].lines: {message} "
        "(write a whole number from 0 to 30)"
    ]


def test_lines_in_the_organizer(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, l_edit("      lines: 3", "      lines: 1e9")) == [
        "lesson/lesson.yaml:27:14: organizer.rows[1].lines: expected a whole number, "
        "got text '1e9' (write a whole number from 0 to 30)"
    ]


def test_yes_no_field_given_a_number(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"documents/A.md": edit(DOCUMENT_A, "modified: true",
                                                           "modified: 1")}) == [
        "lesson/documents/A.md:4:11: modified: expected true or false, got a number '1' "
        "(write true or false)"
    ]


# --- keys and shapes -------------------------------------------------------------------------

KEYS = [
    pytest.param(
        q_edit("questions:", "qeustions:"),
        ["lesson/questions.yaml:1:1: unknown key 'qeustions' (did you mean 'questions'?)"],
        id="top-level-typo",
    ),
    pytest.param(
        q_edit('prompt: "Who', 'promt: "Who'),
        ["lesson/questions.yaml:7:5: questions[0]: unknown key 'promt' (did you mean 'prompt'?)"],
        id="question-key-typo",
    ),
    pytest.param(
        l_edit("claim:\n  prompt:", "claim:\n  promt:"),
        ["lesson/lesson.yaml:29:3: claim: unknown key 'promt' (did you mean 'prompt'?)"],
        id="claim-key-typo",
    ),
    pytest.param(
        {"vocabulary.yaml": "off: 1\n" + VOCABULARY_YAML},
        ["lesson/vocabulary.yaml:1:1: unknown key 'off' (expected one of: terms)"],
        id="yaml-boolean-key",
    ),
    pytest.param(
        q_edit("kind: written", "kind: esay"),
        [
            "lesson/questions.yaml:5:11: questions[0].kind: unknown value 'esay' "
            "(did you mean 'written'? expected: written, choice, true-false)"
        ],
        id="unknown-kind",
    ),
    pytest.param(
        q_edit("kind: choice", "kind: multiple choice"),
        [
            "lesson/questions.yaml:12:11: questions[1].kind: unknown value 'multiple choice' "
            "(did you mean 'choice'? expected: written, choice, true-false)"
        ],
        id="kind-synonym",
    ),
    pytest.param(
        q_edit("skill: sourcing", "skill: history"),
        [
            "lesson/questions.yaml:4:12: questions[0].skill: unknown value 'history' "
            "(expected: sourcing, contextualization, close-reading, corroboration)"
        ],
        id="unknown-skill",
    ),
    pytest.param(
        q_edit("skill: sourcing", "skill: Sourcing"),
        [
            "lesson/questions.yaml:4:12: questions[0].skill: unknown value 'Sourcing' "
            "(did you mean 'sourcing'? expected: sourcing, contextualization, close-reading, "
            "corroboration)"
        ],
        id="skill-case",
    ),
    pytest.param(
        l_edit("    title: \"Standard\"", "    title: \"Standard\"\n    scaffolds: [starter]"),
        [
            "lesson/lesson.yaml:35:17: variants.standard.scaffolds[0]: unknown value 'starter' "
            "(did you mean 'starters'? expected: starters, hints, word_bank, organizer_hints)"
        ],
        id="unknown-scaffold",
    ),
    pytest.param(
        q_edit("    skill: sourcing\n", ""),
        ["lesson/questions.yaml:2:5: questions[0]: missing required field 'skill' (add 'skill:')"],
        id="missing-in-list-item",
    ),
    pytest.param(
        l_edit('title: "A Small Test Lesson"\n', ""),
        ["lesson/lesson.yaml:1:1: missing required field 'title' (add 'title:')"],
        id="missing-at-top",
    ),
    pytest.param(
        l_edit('  title: "Two Sides"\n', ""),
        ["lesson/lesson.yaml:9:1: organizer: missing required field 'title' (add 'title:')"],
        id="missing-in-mapping",
    ),
    pytest.param(
        l_edit('    title: "Standard"', '    description: "Plain."'),
        [
            "lesson/lesson.yaml:33:3: variants.standard: missing required field 'title' "
            "(add 'title:')"
        ],
        id="missing-in-variant",
    ),
    pytest.param(
        {"questions.yaml": "questions: What is erosion?\n"},
        [
            "lesson/questions.yaml:1:12: questions: expected a list, got text "
            "(write one '- item' per line, or [a, b])"
        ],
        id="text-for-list",
    ),
    pytest.param(
        {"questions.yaml": "questions: []\n"},
        ["lesson/questions.yaml:1:12: questions: needs at least 1 item (add the missing items)"],
        id="no-questions",
    ),
    pytest.param(
        q_edit('choices: ["Peace", "Trade", "War"]', 'choices: ["Peace"]'),
        [
            "lesson/questions.yaml:14:14: questions[1].choices: needs at least 2 items "
            "(add the missing items)"
        ],
        id="one-choice",
    ),
    pytest.param(
        {"vocabulary.yaml": edit(VOCABULARY_YAML, "terms:\n", "terms:\n  - just text\n")},
        [
            "lesson/vocabulary.yaml:2:5: terms[0]: expected a mapping, got text "
            "(with keys: term, definition, forms, translations)"
        ],
        id="text-for-mapping",
    ),
    pytest.param(
        l_edit('  title: "Two Sides"', '  title: "Two Sides"\n  translations: {fr: {title: x}}'),
        ["lesson/lesson.yaml:11:18: organizer.translations: unknown key 'fr' (expected 'es')"],
        id="unknown-language-key",
    ),
    pytest.param(
        {"vocabulary.yaml": edit(VOCABULARY_YAML, '{es: "tratado"}', "{e: }")},
        ["lesson/vocabulary.yaml:4:20: terms[0].translations: unknown key 'e' (expected 'es')"],
        id="unknown-key-with-empty-value",
    ),
    pytest.param(
        l_edit("  standard:", "  st andard:"),
        [
            "lesson/lesson.yaml:33:3: variants: 'st andard' is not a valid id "
            "(use letters, digits, '-' and '_', starting with a letter or digit)"
        ],
        id="bad-id-as-key",
    ),
    pytest.param(
        q_edit("id: a-source", "id: a source"),
        [
            "lesson/questions.yaml:2:9: questions[0].id: 'a source' is not a valid id "
            "(use letters, digits, '-' and '_', starting with a letter or digit)"
        ],
        id="bad-id",
    ),
    pytest.param(
        l_edit("variants:\n  standard:\n    title: \"Standard\"\n", "variants: {}\n"),
        [
            "lesson/lesson.yaml:32:1: variants: there is no 'standard' variant "
            "(add 'standard:'; it is the variant built by default)"
        ],
        id="no-standard-variant",
    ),
]


@pytest.mark.parametrize(("files", "messages"), KEYS)
def test_keys_and_shapes(
    lesson_dir: LessonDir, files: dict[str, str | bytes | None], messages: list[str]
) -> None:
    assert problems_of(lesson_dir, files) == messages


def test_duplicate_keys_name_both_lines(lesson_dir: LessonDir) -> None:
    twice = l_edit('grade_band: "9-12"', 'grade_band: "9-12"\ntitle: B')
    assert problems_of(lesson_dir, twice) == [
        "lesson/lesson.yaml:4:1: key 'title' appears twice, on lines 1 and 4 "
        "(remove one of them; YAML would silently keep only the last)"
    ]
    twice = q_edit("    kind: choice\n", "    kind: choice\n    kind: x\n")
    assert problems_of(lesson_dir, twice) == [
        "lesson/questions.yaml:13:5: questions[1]: key 'kind' appears twice, on lines 12 and 13 "
        "(remove one of them; YAML would silently keep only the last)"
    ]
    flow = {"vocabulary.yaml": edit(VOCABULARY_YAML, '{es: "tratado"}', '{es: a, es: b}')}
    assert problems_of(lesson_dir, flow) == [
        "lesson/vocabulary.yaml:4:27: terms[0].translations: key 'es' appears twice, on lines "
        "4 and 4 (remove one of them; YAML would silently keep only the last)"
    ]


def test_complex_key(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, l_edit("claim:", "? [a, b]\n: 1\nclaim:")) == [
        "lesson/lesson.yaml:28:3: a key must be plain text (use a simple name)"
    ]


# --- resource attacks and code execution ------------------------------------------------


def test_billion_laughs_is_refused_fast(lesson_dir: LessonDir) -> None:
    laughs = "a0: &a0 [lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    ) + "questions: *a9\n"
    start = time.perf_counter()
    messages = problems_of(lesson_dir, {"questions.yaml": laughs})
    assert time.perf_counter() - start < 1.0
    assert messages == [
        "lesson/questions.yaml:2:10: YAML syntax error: aliases (*name) are not allowed "
        "(write the value out in full)"
    ]


def test_recursive_alias(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"questions.yaml": "questions: &x [1, *x]\n"}) == [
        "lesson/questions.yaml:1:19: YAML syntax error: aliases (*name) are not allowed "
        "(write the value out in full)"
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("x: " + "[" * 600 + "]" * 600 + "\n", "1:53"),
        ("x: " + "[" * 600 + "\n", "1:53"),
        ("x: " + "{a: " * 600 + "}" * 600 + "\n", "1:197"),
        ("".join("  " * i + f"k{i}:\n" for i in range(600)), "50:99"),
    ],
    ids=["flow-lists", "unclosed", "flow-mappings", "block-mappings"],
)
def test_deep_nesting(lesson_dir: LessonDir, text: str, where: str) -> None:
    assert problems_of(lesson_dir, {"questions.yaml": text}) == [
        f"lesson/questions.yaml:{where}: YAML syntax error: nested more than 50 levels deep "
        "(a lesson file needs only a few levels)"
    ]


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ('!!python/object/apply:os.system ["echo pwned"]', "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!include other.yaml", "!include"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
    ],
)
def test_tags_are_refused(lesson_dir: LessonDir, value: str, tag: str) -> None:
    assert problems_of(lesson_dir, q_edit(PROMPT, f"prompt: {value}")) == [
        f"lesson/questions.yaml:7:13: questions[0].prompt: the YAML tag '{tag}' is not allowed "
        "(remove the tag; write plain text, numbers, lists and keys)"
    ]


def test_tag_on_the_whole_file(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, {"questions.yaml": "!include other.yaml\n"}) == [
        "lesson/questions.yaml:1:1: the YAML tag '!include' is not allowed "
        "(remove the tag; write plain text, numbers, lists and keys)"
    ]


def test_str_tag_is_fine(lesson_dir: LessonDir) -> None:
    lesson, problems = load_lesson_with_problems(lesson_dir(q_edit(PROMPT, "prompt: !!str 12")))
    assert problems == []
    assert lesson is not None and lesson.questions[0].prompt[0].text == "12"


def test_file_over_1_mb_is_refused_before_parsing(lesson_dir: LessonDir) -> None:
    # Invalid YAML after the first megabyte: only the size is reported.
    big = QUESTIONS_YAML + "#" + "x" * 1_000_000 + "\n[unclosed\n"
    assert problems_of(lesson_dir, {"questions.yaml": big}) == [
        "lesson/questions.yaml:1:1: file is larger than 1 MB "
        "(split it into smaller files; a lesson file is normally a few KB)"
    ]


def test_document_over_1_mb_is_refused(lesson_dir: LessonDir) -> None:
    big = DOCUMENT_B + ("Word " * 200 + "\n\n") * 1000
    assert problems_of(lesson_dir, {"documents/B.md": big}) == [
        "lesson/documents/B.md:1:1: file is larger than 1 MB "
        "(split it into smaller files; a lesson file is normally a few KB)"
    ]


# --- characters and encodings ---------------------------------------------------------------


def test_latin_1_file(lesson_dir: LessonDir) -> None:
    latin = edit(QUESTIONS_YAML, "Who wrote Document", "Who wrote Documént").encode("latin-1")
    assert problems_of(lesson_dir, {"questions.yaml": latin}) == [
        "lesson/questions.yaml:7:29: the file is not UTF-8: byte 0xE9 is not valid UTF-8 text "
        "(save the file with the encoding UTF-8)"
    ]


def test_latin_1_column_counts_characters_not_bytes(lesson_dir: LessonDir) -> None:
    # "é" (UTF-8, two bytes) then "è" (Latin-1): the column is the 9th character.
    text = edit(DOCUMENT_B, "We want", "Café ok \xe8").encode("utf-8").replace(b"\xc3\xa8", b"\xe8")
    assert problems_of(lesson_dir, {"documents/B.md": text}) == [
        "lesson/documents/B.md:6:9: the file is not UTF-8: byte 0xE8 is not valid UTF-8 text "
        "(save the file with the encoding UTF-8)"
    ]


def test_nul_byte(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, q_edit("Who wrote", "Who\x00 wrote")) == [
        "lesson/questions.yaml:7:17: a control character U+0000 is not allowed "
        "(delete it; it is invisible and would print as a blank box)"
    ]


def test_right_to_left_override(lesson_dir: LessonDir) -> None:
    assert problems_of(lesson_dir, q_edit("Who wrote", "Who \u202ewrote")) == [
        "lesson/questions.yaml:7:18: a right-to-left control character U+202E is not allowed "
        "(delete it; it is invisible and would print as a blank box)"
    ]


def test_right_to_left_override_in_a_document_body(lesson_dir: LessonDir) -> None:
    doc = edit(DOCUMENT_B, "first [and", "first \u202e[and")
    assert problems_of(lesson_dir, {"documents/B.md": doc}) == [
        "lesson/documents/B.md:6:23: a right-to-left control character U+202E is not allowed "
        "(delete it; it is invisible and would print as a blank box)"
    ]


@pytest.mark.parametrize(
    ("escape", "what"),
    [
        ("\\u202e", "a right-to-left control character U+202E"),
        ("\\a", "a control character U+0007"),
        ("\\x85", "a control character U+0085"),
        ("\\0", "a control character U+0000"),
    ],
)
def test_control_characters_from_escapes(lesson_dir: LessonDir, escape: str, what: str) -> None:
    assert problems_of(lesson_dir, q_edit('"Who wrote', f'"Who {escape} wrote')) == [
        f"lesson/questions.yaml:7:13: questions[0].prompt: {what} is not allowed "
        "(remove the escape sequence, such as \\a or \\u202e, from the quoted text)"
    ]


def test_byte_order_mark_and_crlf_are_accepted(lesson_dir: LessonDir) -> None:
    files: dict[str, str | bytes | None] = {
        "questions.yaml": "\ufeff" + QUESTIONS_YAML,
        "lesson.yaml": LESSON_YAML.replace("\n", "\r\n"),
        "documents/A.md": ("\ufeff" + DOCUMENT_A).replace("\n", "\r\n"),
    }
    lesson, problems = load_lesson_with_problems(lesson_dir(files))
    assert problems == []
    assert lesson is not None
    assert lesson.documents[0].label == "Document A"
    assert lesson.documents[0].bodies["modified"].blocks[0].role == "salutation"


def test_bom_does_not_shift_columns(lesson_dir: LessonDir) -> None:
    text = "\ufeff" + edit(QUESTIONS_YAML, "lines: 3", "lines: two")
    assert problems_of(lesson_dir, {"questions.yaml": text}) == [
        "lesson/questions.yaml:6:12: questions[0].lines: expected a whole number, got text "
        "'two' (write a whole number from 0 to 30)"
    ]


# --- cross-references -----------------------------------------------------------------------

REFERENCES = [
    pytest.param(
        q_edit("documents: [B]", "documents: [b]"),
        [
            "lesson/questions.yaml:10:17: questions[1].documents: unknown document 'b' "
            "(did you mean 'B'?)"
        ],
        id="question-document-case",
    ),
    pytest.param(
        q_edit("documents: [B]", "documents: [D]"),
        [
            "lesson/questions.yaml:10:17: questions[1].documents: unknown document 'D' "
            "(expected one of: A, B)"
        ],
        id="question-document-unknown",
    ),
    pytest.param(
        l_edit("documents: [A, B]", "documents: [A, B, C]"),
        ["lesson/lesson.yaml:8:19: documents: no file documents/C.md (create documents/C.md)"],
        id="listed-document-without-file",
    ),
    pytest.param(
        l_edit("documents: [A, B]", "documents: [A, b]"),
        [
            "lesson/lesson.yaml:8:16: documents: no file documents/b.md (did you mean 'B'?)",
        ],
        id="listed-document-case",
    ),
    pytest.param(
        l_edit("documents: [A, B]", "documents: [A, B, A]"),
        ["lesson/lesson.yaml:8:19: documents: 'A' is listed twice (list each document once)"],
        id="document-listed-twice",
    ),
    pytest.param(
        l_edit("      documents: [B]", "      documents: [B1]"),
        [
            "lesson/lesson.yaml:18:19: organizer.columns[1].documents: unknown document 'B1' "
            "(did you mean 'B'?)"
        ],
        id="organizer-column-document",
    ),
    pytest.param(
        q_edit("- id: b-choice", "- id: a-source"),
        [
            "lesson/questions.yaml:9:9: questions[1].id: id 'a-source' is used twice, on lines "
            "2 and 9 (give each question its own id)"
        ],
        id="duplicate-question-id",
    ),
    pytest.param(
        q_edit('    choices: ["Peace", "Trade", "War"]\n', ""),
        [
            "lesson/questions.yaml:9:5: questions[1]: a choice question needs 'choices' "
            "(add choices: [..., ...])"
        ],
        id="choice-without-choices",
    ),
    pytest.param(
        q_edit('answer: "B"', 'answer: "D"'),
        ["lesson/questions.yaml:15:13: questions[1].answer: 'D' names no choice (there are 3 "
         "choices)"],
        id="answer-beyond-choices",
    ),
    pytest.param(
        q_edit('answer: "B"', 'answer: "b"'),
        [
            "lesson/questions.yaml:15:13: questions[1].answer: 'b' is not a choice letter "
            '(write the capital letter of the correct choice, such as "B")'
        ],
        id="answer-lowercase",
    ),
    pytest.param(
        q_edit('    answer: "B"\n', ""),
        [
            "lesson/questions.yaml:9:5: questions[1]: a choice question needs 'answer' as a "
            'letter (add answer: "B")'
        ],
        id="choice-without-answer",
    ),
    pytest.param(
        q_edit("answer: false", 'answer: "false"'),
        [
            "lesson/questions.yaml:21:13: questions[2].answer: expected true or false, got text "
            "'false' (write true or false, without quotes)"
        ],
        id="true-false-quoted",
    ),
    pytest.param(
        q_edit("    answer: false\n", ""),
        [
            "lesson/questions.yaml:16:5: questions[2]: a true-false question needs 'answer: "
            "true' or 'answer: false' (add answer: true or false)"
        ],
        id="true-false-without-answer",
    ),
    pytest.param(
        q_edit('    look_fors: ["The first', '    answer: "x"\n    look_fors: ["The first'),
        [
            "lesson/questions.yaml:8:13: questions[0].answer: a written question has "
            "look_fors, not an answer (rename answer to look_fors and make it a list)"
        ],
        id="written-with-answer",
    ),
    pytest.param(
        l_edit('first: "Peace."', 'frist: "Peace."'),
        [
            "lesson/lesson.yaml:23:9: organizer.rows[0].answers: unknown column 'frist' "
            "(did you mean 'first'?)"
        ],
        id="organizer-answer-column",
    ),
    pytest.param(
        l_edit('    title: "Standard"', '    title: "Standard"\n    reading_level: simple'),
        [
            "lesson/lesson.yaml:35:20: variants.standard.reading_level: document A has no "
            "'simple' text (write documents/A.simple.md, or use one of: modified)",
            "lesson/lesson.yaml:35:20: variants.standard.reading_level: document B has no "
            "'simple' text (write documents/B.simple.md, or use one of: modified)",
        ],
        id="variant-reading-level",
    ),
    pytest.param(
        l_edit('    title: "Standard"',
               '    title: "Standard"\n    questions: [a-source, b-choise]'),
        [
            "lesson/lesson.yaml:35:27: variants.standard.questions: unknown question "
            "'b-choise' (did you mean 'b-choice'?)"
        ],
        id="variant-question",
    ),
    pytest.param(
        l_edit('    title: "Standard"', '    title: "Standard"\n    language: fr'),
        [
            "lesson/lesson.yaml:35:15: variants.standard.language: unknown value 'fr' "
            "(expected: es)"
        ],
        id="variant-language",
    ),
    pytest.param(
        {"documents/A.simplified.md": "---\nlevel: simple\n---\nShort text.\n"},
        [
            "lesson/documents/A.simplified.md:2:8: level 'simple' does not match the file name "
            "(the file name says 'simplified')"
        ],
        id="level-file-name",
    ),
    pytest.param(
        {"documents/A.md": edit(DOCUMENT_A, "Yours, {.closing}", "Yours, {.closer}")},
        [
            "lesson/documents/A.md:12:8: unknown paragraph role '{.closer}' "
            "(did you mean {.closing}? use {.salutation}, {.closing}, {.signature}, "
            "{.header}, {.quote} or {.section})"
        ],
        id="unknown-role",
    ),
]


@pytest.mark.parametrize(("files", "messages"), REFERENCES)
def test_cross_references(
    lesson_dir: LessonDir, files: dict[str, str | bytes | None], messages: list[str]
) -> None:
    assert problems_of(lesson_dir, files) == messages


def test_a_reading_level_that_exists(lesson_dir: LessonDir) -> None:
    files: dict[str, str | bytes | None] = {
        "lesson.yaml": edit(LESSON_YAML, '    title: "Standard"',
                            '    title: "Standard"\n    reading_level: simplified'),
        "documents/A.simplified.md": "Dear Sir. We want a **treaty** (deal). {.closing}\n",
        "documents/B.simplified.md": "---\nlevel: simplified\n---\nWe want trade.\n",
    }
    lesson, problems = load_lesson_with_problems(lesson_dir(files))
    assert problems == []
    assert lesson is not None
    a = lesson.documents[0]
    assert sorted(a.bodies) == ["modified", "simplified"]
    assert a.bodies["simplified"].blocks[0].role == "closing"
    # the main text's gloss wins
    assert [(t.term, t.definition, t.origin) for t in a.glossed] == [
        ("treaty", "agreement", gloss_at(lesson.path))]


@pytest.mark.parametrize("value", [
    # folded: YAML turns the blank line into a single line break
    ">\n  The first paragraph\n  of the background.\n\n  The second paragraph.\n",
    ">-\n  The first paragraph\n  of the background.\n\n\n  The second paragraph.\n",
    # plain and quoted values over several lines fold the same way
    "The first paragraph\n  of the background.\n\n  The second paragraph.\n",
    "\"The first paragraph\n  of the background.\n\n  The second paragraph.\"\n",
])
def test_background_paragraphs_whatever_the_yaml_style(lesson_dir: LessonDir,
                                                       value: str) -> None:
    text = edit(LESSON_YAML, "|\n  The first paragraph of the background.\n\n"
                "  The second paragraph of the background.\n", value)
    lesson, problems = load_lesson_with_problems(lesson_dir({"lesson.yaml": text}))
    assert problems == [] and lesson is not None
    assert [b.text for b in lesson.background] == [
        "The first paragraph of the background.", "The second paragraph."]


def test_folded_background_problems_are_at_their_line(lesson_dir: LessonDir) -> None:
    text = edit(LESSON_YAML, "|\n  The first paragraph of the background.\n\n"
                "  The second paragraph of the background.\n",
                ">\n  The first paragraph\n  of the background.\n\n  The **second one.\n")
    assert problems_of(lesson_dir, {"lesson.yaml": text}) == [
        "lesson/lesson.yaml:8:7: background: '**' is not closed: bold text needs '**' on both "
        "sides (write **term** (gloss), or remove the stars)"]


SHORT = """variants:
  standard:
    title: "Standard"
  short:
    title: "Short"
    reading_level: simplified
    documents: [B]
"""


def test_a_variant_may_leave_documents_out(lesson_dir: LessonDir) -> None:
    from worksheets.select import select

    files = {"lesson.yaml": edit(LESSON_YAML, 'variants:\n  standard:\n    title: "Standard"\n',
                                 SHORT),
             # only B has a simplified text: A needs none, since `short` leaves it out
             "documents/B.simplified.md": "We want trade.\n"}
    lesson, problems = load_lesson_with_problems(lesson_dir(files))
    assert problems == [] and lesson is not None
    assert lesson.variants["short"].documents == ("B",)
    ws = select(lesson, "short")
    assert [s.document.id for s in ws.sections] == ["B"]
    assert [s.blocks[0].text for s in ws.sections] == ["We want trade."]
    # questions on A (alone or with B) go with it; the others keep their numbers
    assert [(q.id, q.number) for s in ws.sections for q in s.after] == [("b-choice", 2)]
    full = select(lesson, "standard")
    assert [s.document.id for s in full.sections] == ["A", "B"]
    from worksheets.checks import content_warnings

    assert [p.format() for p in content_warnings(lesson) if "leaves out" in p.message] == [
        "lesson/lesson.yaml:35:3: warning: variant 'short' leaves out document A, which "
        "organizer column 'first' is about (add the document to the variant, or expect "
        "students to fill in that column without it)"]


def test_variant_documents_are_checked(lesson_dir: LessonDir) -> None:
    text = edit(LESSON_YAML, 'variants:\n  standard:\n    title: "Standard"\n', """variants:
  standard:
    title: "Standard"
    documents: []
  short:
    title: "Short"
    documents: [B, b, Bee, B]
    questions: [b-choice, ab-true]
""")
    assert problems_of(lesson_dir, {"lesson.yaml": text}) == [
        "lesson/lesson.yaml:35:16: variants.standard.documents: the list is empty (name at "
        "least one document, or leave the key out for all)",
        "lesson/lesson.yaml:38:20: variants.short.documents: unknown document 'b' (did you "
        "mean 'B'?)",
        "lesson/lesson.yaml:38:23: variants.short.documents: unknown document 'Bee' (expected "
        "one of: A, B)",
        "lesson/lesson.yaml:38:28: variants.short.documents: document 'B' appears twice (list "
        "it once)",
        "lesson/lesson.yaml:39:27: variants.short.questions: question 'ab-true' is about "
        "document A, which the variant leaves out (add A to its documents, or take 'ab-true' "
        "out)",
    ]
