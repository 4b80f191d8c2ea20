"""Issue 15, class 10: messages are bounded, name invisible characters, and point at the
place that is wrong (an unclosed `[` or `{` where it opens)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tests.conftest import QUESTIONS_YAML, LessonDir, edit
from worksheets.cli import main
from worksheets.errors import Location, Problem
from worksheets.load.yaml import load_yaml


def problems_of(text: str) -> list[str]:
    problems: list[Problem] = []
    load_yaml(text, "f.yaml", problems)
    return [str(p) for p in problems]


@pytest.mark.parametrize("text, message", [
    ("a: 1\nx: [1, 2,\n\n\n", "f.yaml:2:4: YAML syntax error: the list opened here with '[' is "
                              "never closed (close the list with ']')"),
    ("a: 1\nx: {a: 2\n\n", "f.yaml:2:4: YAML syntax error: the mapping opened here with '{' is "
                           "never closed (close the mapping with '}')"),
    ("x: [1, {a: 2", "f.yaml:1:8: YAML syntax error: the mapping opened here with '{' is never "
                     "closed (close the mapping with '}')"),
])
def test_an_unclosed_bracket_is_reported_where_it_opens(text: str, message: str) -> None:
    assert problems_of(text) == [message]


def test_a_huge_key_or_value_is_never_printed_whole() -> None:
    long_key = "k" * 200_000
    (msg,) = problems_of(f"{long_key}: 1\n")
    assert len(msg) < 700
    p = Problem(Location("f.yaml", 1, 1), "x" * 200_000, "y" * 50_000)
    assert len(str(p)) < 900


@pytest.mark.usefixtures("in_tmp")
def test_an_invisible_character_in_a_quote_is_named(lesson_dir: LessonDir) -> None:
    """Matched as a reader sees it (the build works, the key prints no invisible character);
    `check` names what came with the copied text."""
    questions = edit(QUESTIONS_YAML, "    lines: 3\n",
                     "    lines: 3\n"
                     "    evidence: [{doc: A, quote: \"a treaty\u200b (agreement)\"}]\n")
    lesson_dir({"questions.yaml": questions})
    r = CliRunner().invoke(main, ["build", "lesson", "-o", "out", "--edition", "key", "-q"])
    assert r.exit_code == 0, r.output
    key = "".join(p.extract_text() for p in PdfReader("out/lesson-standard-letter-key.pdf").pages)
    assert "a treaty (agreement)" in key and "\u200b" not in key
    r = CliRunner().invoke(main, ["check", "lesson"])
    assert ("lesson/questions.yaml:7:32: warning: evidence quote has an invisible character, "
            "U+200B (zero width space), after \"a treaty\" (delete it: it came with the copied "
            "text)") in r.output, r.output
    assert "not in" not in r.output
