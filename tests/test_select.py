"""select(): lesson + variant + edition -> exactly what one worksheet prints, in order."""

from __future__ import annotations

import pytest

from tests.conftest import LESSON_YAML, LessonDir, edit
from worksheets import WorksheetError, load_lesson
from worksheets.model import Lesson
from worksheets.select import edition_title, editions_for, select

VARIANTS = """\
  supported:
    title: "Supported"
    scaffolds: [word_bank, hints]
    questions: [b-choice, ab-true]
  only-b:
    title: "Only B"
    documents: [B]
"""


def lesson_with_variants(lesson_dir: LessonDir) -> Lesson:
    text = edit(LESSON_YAML, '    title: "Standard"\n', '    title: "Standard"\n' + VARIANTS)
    return load_lesson(lesson_dir({"lesson.yaml": text}))


def test_sections_follow_the_documents_with_questions_before_and_after(
        lesson_dir: LessonDir) -> None:
    ws = select(load_lesson(lesson_dir()), "standard", "student")
    assert [s.document.id for s in ws.sections] == ["A", "B"]
    a, b = ws.sections
    # a sourcing question stands before its text; a question on A and B after B, its last
    assert [q.id for q in a.before] == ["a-source"] and a.after == ()
    assert b.before == () and [q.id for q in b.after] == ["b-choice", "ab-true"]
    assert [t.term for t in a.vocabulary] == ["treaty"] and b.vocabulary == ()
    assert ws.claim is not None and ws.claim.number == 4
    assert not ws.key and ws.word_bank == ()


def test_the_key_differs_only_in_its_edition(lesson_dir: LessonDir) -> None:
    lesson = load_lesson(lesson_dir())
    student, key = select(lesson, "standard", "student"), select(lesson, "standard", "key")
    assert key.key and not student.key
    assert key.sections == student.sections and key.organizer == student.organizer


def test_a_variant_keeps_question_numbers_and_turns_on_its_scaffolds(
        lesson_dir: LessonDir) -> None:
    ws = select(lesson_with_variants(lesson_dir), "supported")
    asked = [(q.number, q.id) for s in ws.sections for q in (*s.before, *s.after)]
    assert asked == [(2, "b-choice"), (3, "ab-true")]
    assert ws.word_bank == ("treaty",)
    assert ws.scaffold("hints") and not ws.scaffold("starters")


def test_a_variant_that_leaves_a_document_out(lesson_dir: LessonDir) -> None:
    ws = select(lesson_with_variants(lesson_dir), "only-b")
    assert [s.document.id for s in ws.sections] == ["B"]
    # a question on A and B goes with A; the choice question on B stays
    assert [q.id for q in ws.sections[0].after] == ["b-choice"]


def test_an_unknown_variant_names_the_choices(lesson_dir: LessonDir) -> None:
    lesson = lesson_with_variants(lesson_dir)
    with pytest.raises(WorksheetError, match=r"has no variant 'spanish' \(choose one of: "
                                             r"standard, supported, only-b\)"):
        select(lesson, "spanish")


@pytest.mark.parametrize(("choice", "variants", "editions"), [
    ("both", ["standard"], ("student", "key")),
    ("both", ["all"], ("student", "key", "master")),
    ("all", ["standard"], ("student", "key", "master")),
    ("key", ["all"], ("key",)),
    ("master", ["standard"], ("master",)),
])
def test_editions_for(choice: str, variants: list[str], editions: tuple[str, ...]) -> None:
    assert editions_for(choice, variants) == editions


def test_edition_rules() -> None:
    assert edition_title("Cuba", "key") == "Cuba (Teacher Key)"
    assert edition_title("Cuba", "master") == "Cuba (Teacher Master)"
    assert edition_title("Cuba", "student") == "Cuba"
    with pytest.raises(WorksheetError, match="unknown edition 'keys'"):
        editions_for("keys", ["standard"])
