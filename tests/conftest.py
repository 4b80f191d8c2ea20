"""Shared fixtures: a small valid lesson folder that any test can break on purpose.

The default files are module constants so a test can derive a broken file with
`.replace()`, e.g. ``QUESTIONS_YAML.replace("lines: 3", "lines: two")``.
Line numbers quoted in tests refer to these texts: change them with care.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# CI (.ci/run) sets HYPOTHESIS_PROFILE=ci: the same examples on every run, no timing flakes.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

LESSON_YAML = """\
title: "A Small Test Lesson"
central_question: "Why did the two sides agree?"
grade_band: "9-12"
background: |
  The first paragraph of the background.

  The second paragraph of the background.
documents: [A, B]
organizer:
  title: "Two Sides"
  instructions: "Use Documents A and B to fill in the chart."
  columns:
    - id: first
      heading: "The first side (Document A)"
      documents: [A]
    - id: second
      heading: "The second side (Document B)"
      documents: [B]
  rows:
    - id: wants
      prompt: "What does each side want?"
      answers:
        first: "Peace."
        second: "Trade."
    - id: gives
      prompt: "What does each side give?"
      lines: 3
claim:
  prompt: "Why did the two sides agree? Use both documents."
  look_fors: ["A claim supported by both documents."]
attribution: "Written for the test suite."
variants:
  standard:
    title: "Standard"
"""

QUESTIONS_YAML = """\
questions:
  - id: a-source
    documents: [A]
    skill: sourcing
    kind: written
    lines: 3
    prompt: "Who wrote Document A, and when?"
    look_fors: ["The first leader, in 1962."]
  - id: b-choice
    documents: [B]
    skill: close-reading
    kind: choice
    prompt: "What does Document B ask for?"
    choices: ["Peace", "Trade", "War"]
    answer: "B"
  - id: ab-true
    documents: [A, B]
    skill: corroboration
    kind: true-false
    prompt: "Both documents ask for the same thing."
    answer: false
    look_fors: ["False: A asks for peace, B for trade."]
"""

VOCABULARY_YAML = """\
terms:
  - term: treaty
    definition: "a written agreement between countries"
    translations: {es: "tratado"}
"""

DOCUMENT_A = """\
---
label: "Document A"
title: "A Letter From the First Leader"
modified: true
dateline: "Capital City, October 27, 1962."
source: "Source: A letter written for the test suite."
---
DEAR SIR, {.salutation}

We want peace and a **treaty** (agreement) with you. . . .

Yours, {.closing}

The First Leader {.signature}
"""

DOCUMENT_B = """\
---
label: "Document B"
title: "A Reply From the Second Leader"
source: "Source: A reply written for the test suite."
---
We want *trade* first [and then peace].
"""

DEFAULT_FILES: dict[str, str] = {
    "lesson.yaml": LESSON_YAML,
    "questions.yaml": QUESTIONS_YAML,
    "vocabulary.yaml": VOCABULARY_YAML,
    "documents/A.md": DOCUMENT_A,
    "documents/B.md": DOCUMENT_B,
}

LessonDir = Callable[..., Path]


@pytest.fixture
def lesson_dir(tmp_path: Path) -> LessonDir:
    """Return a function that writes a small valid lesson folder and returns its path.

    ``lesson_dir()`` writes DEFAULT_FILES to ``tmp_path / "lesson"``: two documents
    (A, B), three questions, an organizer of two columns and two rows, a claim and
    the `standard` variant only. ``lesson_dir({"questions.yaml": text})`` replaces
    one file's text (str, or bytes written as they are), ``{"vocabulary.yaml": None}``
    leaves a file out, and a new name such as ``"documents/A.simplified.md"`` adds
    a file. ``name=`` picks another folder name (the lesson id).
    """

    def write(
        files: Mapping[str, str | bytes | None] | None = None, name: str = "lesson"
    ) -> Path:
        root = tmp_path / name
        merged: dict[str, str | bytes | None] = {**DEFAULT_FILES, **(files or {})}
        for rel, text in merged.items():
            if text is None:
                continue
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        return root

    return write


@pytest.fixture
def runner() -> CliRunner:
    """A Click test runner for the `worksheets` command line."""
    return CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test in its temporary folder, so messages name short relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced once; fails if `old` is not there (so no case is vacuous)."""
    assert old in text, f"{old!r} not in the default text"
    return text.replace(old, new, 1)
