"""A second lesson for the exports: two variants (one Spanish, with every scaffold), and
text full of the characters GIFT and XML treat specially."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LESSON_YAML, QUESTIONS_YAML, LessonDir, edit

# GIFT's specials ~ = # { } : and XML's < & in one prompt and one choice
SPECIAL_PROMPT = "In Document B, what does {trade} mean: peace = trade ~ war # 1 & <2>?"
SPECIAL_CHOICE = "Peace: {all} = ~none~ #1"

EXPORT_LESSON = edit(LESSON_YAML, """variants:
  standard:
    title: "Standard"
""", """variants:
  standard:
    title: "Standard"
  helped:
    title: "Helped"
    scaffolds: [starters, hints, word_bank, organizer_hints]
    language: es
""")
EXPORT_LESSON = edit(EXPORT_LESSON, """      answers:
        first: "Peace."
        second: "Trade."
""", """      answers:
        first: "Peace."
        second: "Trade."
      given:
        first: "Pea..."
      evidence:
        - {doc: B, quote: "We want trade first"}
""")
EXPORT_QUESTIONS = edit(QUESTIONS_YAML, 'prompt: "What does Document B ask for?"',
                        f'prompt: "{SPECIAL_PROMPT}"\n    hint: "Read the first line."')
EXPORT_QUESTIONS = edit(EXPORT_QUESTIONS, 'choices: ["Peace", "Trade", "War"]',
                        f'choices: ["{SPECIAL_CHOICE}", "Trade", "War"]')
EXPORT_QUESTIONS = edit(EXPORT_QUESTIONS, 'look_fors: ["The first leader, in 1962."]',
                        'look_fors: ["The first leader, in 1962."]\n'
                        '    starter: "Document A was written by ..."\n'
                        '    evidence:\n      - {doc: A, quote: "We want peace"}')


@pytest.fixture
def export_lesson(lesson_dir: LessonDir) -> Path:
    """The test lesson `exported`: documents A and B, questions 1-3 and the claim, variants
    `standard` and `helped`."""
    return lesson_dir({"lesson.yaml": EXPORT_LESSON, "questions.yaml": EXPORT_QUESTIONS},
                      name="exported")
