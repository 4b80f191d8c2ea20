"""Page quality on lessons of shapes nobody wrote (tests/rich_lessons.py), every variant,
layout and edition: both judges (tests/quality.py and `check --all`'s pagecheck.py) find
nothing. The seeds include the shapes that once failed: a heading ending a document's
text, two headings in a row, an italic title, a word no dictionary can cut; two add an
image document and simplified texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from worksheets.load import load_lesson_with_problems
from worksheets.load.layout import load_layout
from worksheets.pagecheck import page_problems
from worksheets.pipeline import Job, render_job

from .quality import judge
from .rich_lessons import rich_lesson

SEEDS = [(3, False), (11, False), (36, False), (44, False), (49, False), (52, False),
         (5, True), (27, True)]  # True: with an image document and simplified texts


@pytest.mark.parametrize(("seed", "more"), SEEDS)
def test_a_generated_lesson_is_typeset_well(seed: int, more: bool, tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    for rel, data in rich_lesson(seed, more).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            (folder / rel).write_bytes(data)
        else:
            (folder / rel).write_text(data, encoding="utf-8")
    lesson, problems = load_lesson_with_problems(folder)
    assert [p.format() for p in problems if p.severity == "error"] == []
    assert lesson is not None
    found: list[str] = []
    for variant in lesson.variants:
        for name in ("letter", "a4", "large-print"):
            layout = load_layout(name)
            for edition in ("student", "key"):
                pdf = render_job(Job(lesson, variant, layout, edition))
                path = tmp_path / f"{variant}-{name}-{edition}.pdf"
                path.write_bytes(pdf)
                found += [f"{path.name}: {f}" for f in judge(path, lesson)]
                found += [f"{path.name}: {p.message}"
                          for p in page_problems(pdf, lesson, layout)]
    assert found == [], "\n".join(found[:10])
