"""The simple roster CSV: classes in first-seen order, students in row order, flags read."""

from __future__ import annotations

from pathlib import Path

from worksheets import Location, Problem
from worksheets.batch.roster import header_name, read_simple

CSV = """\
Student Name,Student-ID,Class,Teacher,Period,reading_support
Ana Ruiz,S1,History 2,Ms. Lee,2,yes
Bo Chen,S2,History 1,Mr. Day,1,no
Cy Diaz,S3,History 2,Ms. Lee,2,
"""


def read(tmp_path: Path, text: str) -> tuple[list[tuple[str, list[tuple[str, bool]]]],
                                             list[Problem]]:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    roster = read_simple(path, "roster.csv", ["reading_support"], problems)
    return [(c.name, [(s.name, "reading_support" in s.accommodations) for s in c.students])
            for c in roster.classes], problems


def test_header_names_compare_loosely() -> None:
    assert header_name("  Student Name ") == header_name("student-name") == "student_name"


def test_classes_and_students_in_roster_order(tmp_path: Path) -> None:
    classes, problems = read(tmp_path, CSV)
    assert problems == []
    assert classes == [("History 2", [("Ana Ruiz", True), ("Cy Diaz", False)]),
                       ("History 1", [("Bo Chen", False)])]


def test_every_bad_row_is_located(tmp_path: Path) -> None:
    text = CSV + ",S4,History 1,Mr. Day,1,no\nDe Fox,S5,History 1,Mr. Day,1,perhaps\n"
    _, problems = read(tmp_path, text)
    assert [(p.location, p.message) for p in problems] == [
        (Location("roster.csv", 5), "student_name is empty"),
        (Location("roster.csv", 6), "reading_support: 'perhaps' is not yes or no"),
    ]


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    classes, problems = read(tmp_path, CSV.replace(",reading_support", ",support"))
    assert classes == []
    assert [p.message for p in problems] == ["missing column 'reading_support'"]
