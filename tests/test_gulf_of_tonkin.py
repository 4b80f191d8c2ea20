"""End to end on the Gulf of Tonkin lesson, whose documents are not letters: a cable with
header lines, a resolution with numbered sections. In every layout its margin numbers go
5, 10, 15, ... without a repeat, and each citation in the key names the printed line
where the quoted words stand."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from worksheets import build, load_lesson

from .pdfutil import ROOT
from .pdfutil import norm as fold
from .quality import Line, Page, check_line_numbers, norm, read_pages

LESSON = ROOT / "tests" / "lessons" / "gulf-of-tonkin"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    """The key of the standard and supported variants in every layout, read back."""
    work = tmp_path_factory.mktemp("gulf")
    here = os.getcwd()
    os.chdir(work)
    try:
        written = build([LESSON], output=work, variants=["standard", "supported"],
                        layouts=["all"], editions=["key"], preflight=False)
    finally:
        os.chdir(here)
    return {Path(p).name: read_pages((work / Path(p).name).read_bytes()) for p in written}


def test_a_key_per_variant_and_layout(keys: dict[str, list[Page]]) -> None:
    assert len(keys) == 6


def test_line_numbers_count_by_five_without_repeats(keys: dict[str, list[Page]]) -> None:
    lesson = load_lesson(LESSON)
    for name, pages in keys.items():
        assert check_line_numbers(pages, lesson) == [], name
        numbers = [int(s.text) for p in pages for s in sorted(p.numbers, key=lambda s: -s.y0)]
        assert len(numbers) >= 10 and numbers.count(5) >= 3, name


def _document_a(pages: list[Page]) -> tuple[list[Line], dict[int, int]]:
    """Document A's printed lines in order (from its heading to Document B's), and the
    index among them of the line beside each margin number."""
    lines: list[Line] = []
    beside: dict[int, int] = {}
    started = False
    for p in pages:
        numbers = list(p.numbers)
        for ln in sorted(p.lines, key=lambda ln: -ln.base):
            if ln.text.startswith("Document A:"):
                started = True
            elif ln.text.startswith("Document B:"):
                return lines, beside
            if started:
                for s in numbers:
                    if abs(s.base - ln.base) < 1.5:
                        beside[int(s.text)] = len(lines)
                lines.append(ln)
    return lines, beside


# the evidence under a question (the organizer's cells interleave in the text read back)
CITED = re.compile(r"Evidence: Doc A, lines? (\d+)(?:\u2013(\d+))?: \u201c([^\u201d]+)\u201d")


def test_the_key_cites_the_printed_lines(keys: dict[str, list[Page]]) -> None:
    for name, pages in keys.items():
        text = fold(" ".join(p.text for p in pages))
        cited = CITED.findall(text)
        assert len(cited) >= 3, name  # the evidence of the cable's questions
        lines, beside = _document_a(pages)
        assert beside and min(beside) == 5, name
        for first, last, quote in cited:
            a = int(first)
            b = int(last or first)
            n = max(5, a // 5 * 5)  # the margin number nearest above (or just below)
            at = beside[n] + a - n
            printed = norm(" ".join(ln.text for ln in lines[at:at + b - a + 1]))
            assert norm(quote) in printed, (name, a, b, quote, printed)
            assert norm(quote).split()[0] in norm(lines[at].text), (name, a, quote)
        # a quote from the uncounted header lines is cited as such
        assert "Doc A, header: \u201cTO: COMMANDER IN CHIEF, U.S. PACIFIC FLEET\u201d" in text
        assert not any(norm(ln.text).startswith("to: commander")
                       for i, ln in enumerate(lines) if i in beside.values()), name
