"""Any lesson, typeset well: the shipped lesson and two of other shapes, judged page by page.

Each lesson checks clean, then builds every variant x layout x edition once (from a
folder outside the project, `--layout all`: the bundled layouts), and `tests/quality.py`
judges every PDF. A check the current code fails is an xfail, strict, per lesson: when a
fix lands the test passes, fails as XPASS, and its mark must go.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from worksheets import build, load_lesson
from worksheets.model import Lesson
from worksheets.pipeline import check

from .pdfutil import ROOT
from .quality import CHECKS, judge

LESSONS = {
    "cuban-missile-crisis": ROOT / "content" / "cuban-missile-crisis",
    "gulf-of-tonkin": ROOT / "tests" / "lessons" / "gulf-of-tonkin",
    "seneca-falls": ROOT / "tests" / "lessons" / "seneca-falls",
}

# The warnings each lesson carries on purpose. In large print the supported variant's
# claim (prompt, starter, hint and its lines at 18 pt) is taller than a page: it flows on.
EXPECTED_WARNINGS: dict[str, set[str]] = {
    # the supported variant in large print: its claim (starter, hint, 10 lines) and
    # question 13 (bc-compare) are taller than a page at 18 pt and flow on
    "cuban-missile-crisis": {"question 'claim' is taller than a page and is split across pages",
                             "question 13"},
    "gulf-of-tonkin": {"question 'claim' is taller than a page and is split across pages"},
    "seneca-falls": {"question 'claim' is taller than a page and is split across pages"},
}

# What the current code gets wrong (issue 14), per check and lesson.
KNOWN: dict[str, dict[str, str]] = {
}


def _lesson_checks() -> Iterator[object]:
    for lesson in LESSONS:
        for name in CHECKS:
            reason = KNOWN.get(name, {}).get(lesson)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(lesson, name, marks=marks, id=f"{lesson}-{name}")


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_lesson_checks_clean(lesson: str) -> None:
    # render_all: `check --all`, whose page-quality warnings (pagecheck.py) must agree
    # with this file's judge (tests/quality.py): none on any of these lessons
    problems = check([LESSONS[lesson]], render_all=True)
    errors = [f"{p.location}: {p.message}" for p in problems if p.severity == "error"]
    warnings = {p.message.split(" (")[0] for p in problems if p.severity == "warning"}
    assert errors == []
    assert warnings == EXPECTED_WARNINGS[lesson]


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """Every PDF of every lesson, built once from outside the project: name -> findings."""
    out: dict[str, dict[str, list[str]]] = {}
    here = os.getcwd()
    work = tmp_path_factory.mktemp("lessons")
    os.chdir(work)
    try:
        for lesson, path in LESSONS.items():
            written = build([path], output=work / lesson, variants=["all"], layouts=["all"],
                            editions="all", preflight=False)
            model: Lesson = load_lesson(path)
            out[lesson] = {Path(p).name: judge(work / lesson / Path(p).name, model)
                           for p in written}
    finally:
        os.chdir(here)
    return out


def test_every_pdf_is_built(judged: dict[str, dict[str, list[str]]]) -> None:
    # variants x 3 layouts x (student, key), plus one master per layout
    for lesson, pdfs in judged.items():
        variants = len(load_lesson(LESSONS[lesson]).variants)
        assert len(pdfs) == variants * 3 * 2 + 3, lesson


@pytest.mark.parametrize(("lesson", "name"), list(_lesson_checks()))
def test_page_quality(judged: dict[str, dict[str, list[str]]], lesson: str, name: str) -> None:
    found = [f"{pdf}: {f}" for pdf, findings in sorted(judged[lesson].items())
             for f in findings if f.startswith(f"{name}:")]
    assert found == [], "\n".join(found[:20])
