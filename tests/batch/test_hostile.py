"""Issue 15: hostile batch inputs. Packet names, paths in the spec, the lesson tree the
input hash reads, roster text, and the batch's own files.

Every case runs `worksheets batch` in a temporary project (lessons from conftest's
small lesson) and checks exit 1 with located messages, or correct output; never a
traceback, a hang, a file outside the output folder or an echoed secret.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import DEFAULT_FILES
from worksheets.cli import main

HEADER = "student_name,student_id,class,teacher,period\n"


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def lesson(name: str, files: Mapping[str, str | None] | None = None) -> Path:
    root = Path(name)
    for rel, text in {**DEFAULT_FILES, **(files or {})}.items():
        if text is None:
            continue
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(text if isinstance(text, bytes) else text.encode())
    return root


def project(spec: str, roster: str = HEADER + "Ana Diaz,S1,P1,Ms. Abe,1\n",
            lessons: tuple[str, ...] = ("lesson",)) -> None:
    for name in lessons:
        lesson(name)
    Path("district.yaml").write_text(spec, encoding="utf-8")
    Path("roster.csv").write_text(roster, encoding="utf-8")


SPEC = "lesson: lesson\nroster:\n  format: simple\n  file: roster.csv\n"


def run(*args: str) -> Result:
    r = CliRunner().invoke(main, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), "".join(
        traceback.format_exception(r.exception))
    assert "Traceback" not in r.output
    return r


def failed(*args: str) -> list[str]:
    r = run(*args)
    assert r.exit_code == 1, r.output
    assert not Path("out").exists() or not any(Path("out").iterdir())
    return r.output.strip().splitlines()


# --- class 2: two packets that would be one file --------------------------------------------

def test_two_packets_mapping_to_one_file_are_an_error_before_any_work() -> None:
    # class 'A B' + lesson 'c' and class 'A' + lesson 'b-c' are both a-b-c.pdf
    project("lessons: [c, b-c]\nroster:\n  format: simple\n  file: roster.csv\n",
            HEADER + "Ana Diaz,S1,A B,Ms. Abe,1\nBen Ode,S2,A,Ms. Abe,1\n", ("c", "b-c"))
    assert failed("batch", "district.yaml", "-o", "out") == [
        "roster.csv:3: class 'A' with lesson 'b-c' and class 'A B' with lesson 'c' would "
        "both be written to a-b-c.pdf (rename a lesson folder, or give the classes codes "
        "that differ)",
        "1 problem found; nothing was written.",
    ]
    assert failed("batch", "district.yaml", "-o", "out", "--dry-run")[0].startswith(
        "roster.csv:3: class 'A'")


def test_packet_names_that_differ_only_in_case_collide() -> None:
    project("lessons: [x, X]\nroster:\n  format: simple\n  file: roster.csv\n",
            lessons=("x", "X")) if not Path("x").exists() else None
    if Path("X").samefile("x"):  # pragma: no cover - a case-insensitive disk
        pytest.skip("case-insensitive disk")
    lines = failed("batch", "district.yaml", "-o", "out")
    assert "would both be written to p1-x.pdf" in lines[0], lines


# --- class 3: paths in the spec stay in its folder; no file is echoed -------------------------

SECRET = "API_TOKEN=hunter2-very-secret\nDB_PASSWORD=s3cr3t\n"


@pytest.mark.parametrize("key, value, line", [
    ("file", "../outside/roster.csv", "roster.csv"),
    ("file", "/etc/passwd", "roster.csv"),
])
def test_a_roster_outside_the_spec_folder_is_refused(key: str, value: str, line: str,
                                                     tmp_path: Path) -> None:
    Path("outside").mkdir()
    Path("outside/roster.csv").write_text(HEADER + "Ana Diaz,S1,P1,Ms. Abe,1\n")
    Path("proj").mkdir()
    lesson("proj/lesson")
    Path("proj/district.yaml").write_text(SPEC.replace("roster.csv", value))
    lines = failed("batch", "proj/district.yaml", "-o", "out")
    assert lines == [
        f"proj/district.yaml:4:9: roster: file '{value}' is outside the spec's folder (move it "
        "into the spec's folder, or add 'allow_outside_paths: true' to the spec)",
        "1 problem found; nothing was written.",
    ]


def test_a_lesson_outside_the_spec_folder_needs_the_opt_out() -> None:
    lesson("lesson")
    Path("proj").mkdir()
    Path("proj/roster.csv").write_text(HEADER + "Ana Diaz,S1,P1,Ms. Abe,1\n")
    spec = SPEC.replace("lesson: lesson", "lesson: ../lesson")
    Path("proj/district.yaml").write_text(spec)
    assert failed("batch", "proj/district.yaml", "-o", "out")[0] == (
        "proj/district.yaml:1:9: lesson '../lesson' is outside the spec's folder (move it into "
        "the spec's folder, or add 'allow_outside_paths: true' to the spec)")
    Path("proj/district.yaml").write_text("allow_outside_paths: true\n" + spec)
    r = run("batch", "proj/district.yaml", "-o", "out", "--dry-run")
    assert r.exit_code == 0, r.output


def test_a_roster_that_is_a_secrets_file_is_not_echoed() -> None:
    project(SPEC.replace("roster.csv", ".env"))
    Path(".env").write_text(SECRET)
    r = run("batch", "district.yaml", "-o", "out")
    assert r.exit_code == 1
    assert "hunter2" not in r.output and "API_TOKEN" not in r.output
    assert r.output.splitlines()[0] == (
        ".env:1: this is not a roster: its first line names none of the columns a roster "
        "needs (expected columns: student_name, student_id, class, teacher, period)")


def test_a_layout_path_outside_the_spec_folder_is_refused() -> None:
    project(SPEC + "defaults:\n  layout: /etc/passwd.yaml\n")
    assert failed("batch", "district.yaml", "-o", "out")[0] == (
        "district.yaml:6:11: layout '/etc/passwd.yaml' is outside the spec's folder (move it "
        "into the spec's folder, or add 'allow_outside_paths: true' to the spec)")


# --- class 4: the lesson tree is read without following links or waiting on FIFOs -----------

def _dry_run_within(seconds: float) -> tuple[int, str]:
    """`batch --dry-run` in a process of its own, which must end within `seconds`."""
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "worksheets", "batch", "district.yaml", "-o",
                        "out", "--dry-run"], capture_output=True, text=True, timeout=seconds)
    assert "Traceback" not in p.stderr
    return p.returncode, p.stdout + p.stderr


@pytest.mark.parametrize("make", ["fifo", "zero", "outside"])
def test_odd_files_in_the_lesson_folder_do_not_hang_or_leak_into_the_hash(make: str) -> None:
    import os

    from worksheets.batch import manifest

    project(SPEC)
    Path("secret.txt").write_text(SECRET)
    odd = Path("lesson/notes.bin")
    if make == "fifo":
        os.mkfifo(odd)
    elif make == "zero":
        odd.symlink_to("/dev/zero")
    else:
        odd.symlink_to(Path("secret.txt").resolve())
    code, output = _dry_run_within(60)
    assert code == 0, output
    before = manifest.inputs_hash(Path("district.yaml"), [Path("roster.csv")],
                                  [Path("lesson")], {})
    Path("secret.txt").write_text("changed")
    after = manifest.inputs_hash(Path("district.yaml"), [Path("roster.csv")],
                                 [Path("lesson")], {})
    assert before == after  # an outside file is never read


def test_a_roster_that_is_a_fifo_is_refused_not_waited_on() -> None:
    import os

    project(SPEC.replace("roster.csv", "pipe.csv"))
    os.mkfifo("pipe.csv")
    code, output = _dry_run_within(60)
    assert code == 1
    assert output.splitlines()[0] == ("district.yaml:4:9: roster: no file at 'pipe.csv' "
                                      "(paths are relative to the spec file's folder)")


def test_a_roster_read_as_a_fifo_is_refused_not_waited_on() -> None:
    import os

    from worksheets.batch.roster import read_csv
    from worksheets.errors import Problem

    os.mkfifo("pipe.csv")  # as if swapped in after the spec's check
    problems: list[Problem] = []
    assert read_csv(Path("pipe.csv"), "pipe.csv", problems) is None
    assert [str(p) for p in problems] == [
        "pipe.csv: pipe.csv is not an ordinary file (save the text as an ordinary file)"]


def test_a_lesson_file_swapped_for_a_link_after_the_check_is_not_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from worksheets.errors import Problem
    from worksheets.load import files

    lesson("lesson")
    Path("secret.txt").write_text(SECRET)
    real = files.unreadable

    def check_then_swap(path: Path, folder: Path) -> tuple[str, str] | None:
        why = real(path, folder)
        path.unlink()
        path.symlink_to(Path("secret.txt").resolve())  # the race, made certain
        return why

    monkeypatch.setattr(files, "unreadable", check_then_swap)
    problems: list[Problem] = []
    text = files.read_lesson_file(Path("lesson/questions.yaml"), Path("lesson"), problems)
    assert text is None
    assert [str(p) for p in problems] == [
        "lesson/questions.yaml: questions.yaml changed into a link while it was read "
        "(links out of the lesson are not followed)"]


# --- class 5: roster text is held to the rules for lesson text ---------------------------

ONEROSTER = {
    "users.csv": "sourcedId,givenName,familyName,identifier,status\n"
                 "u1,Ana,Diaz,S1,\nu2,Tom,Abe,T1,\n",
    "classes.csv": "sourcedId,title,classCode,periods,schoolSourcedId,status\n"
                   "c1,History,H-1,1,o1,\n",
    "enrollments.csv": "classSourcedId,userSourcedId,role,primary,status\n"
                       "c1,u1,student,,\nc1,u2,teacher,true,\n",
    "orgs.csv": "sourcedId,name\no1,Lincoln High\n",
}
ONEROSTER_SPEC = ("lesson: lesson\nroster:\n  format: oneroster\n  folder: oneroster\n"
                  "  accommodations: acc.csv\naccommodations:\n  large_print: {layout: letter}\n")


def oneroster(**files: str) -> None:
    lesson("lesson")
    Path("oneroster").mkdir()
    for name, text in {**ONEROSTER, **files}.items():
        Path("oneroster", name).write_text(text, encoding="utf-8")
    Path("acc.csv").write_text("userSourcedId,large_print\nu1,no\n", encoding="utf-8")
    Path("district.yaml").write_text(ONEROSTER_SPEC, encoding="utf-8")


@pytest.mark.parametrize(("cell", "message"), [
    ('"Ana\nDiaz"', "roster.csv:2: student_name: the cell holds a line break (U+000A) after "
                    "'Ana' (keep each cell on one line: join the lines with a space)"),
    ("Ana\x07Diaz", "roster.csv:2: student_name: the cell holds the invisible character "
                    "U+0007 after 'Ana' (delete it: it would print as a blank box or vanish "
                    "from file names)"),
    ("Ana\u2028Diaz", "roster.csv:2: student_name: the cell holds a line break (U+2028) "
                      "after 'Ana'"),
    ("\u202eAna", "roster.csv:2: student_name: the cell holds the invisible character U+202E "
                  "(right-to-left override) at its start"),
    ("A" * 101, f"roster.csv:2: student_name: 101 characters is too long ('{'A' * 30}...') "
                "(shorten it to at most 100 characters)"),
])
def test_a_name_that_cannot_be_printed_is_located(cell: str, message: str) -> None:
    project(SPEC, HEADER + f"{cell},S1,P1,Ms. Abe,1\n")
    out = failed("batch", "district.yaml", "-o", "out")
    assert out[0].startswith(message), out


@pytest.mark.parametrize(("row", "message"), [
    ("Ana,S\x001,P1,Ms. Abe,1", "roster.csv:2: the row holds a NUL byte"),
    ("Ana,S\x1b1,P1,Ms. Abe,1", "roster.csv:2: student_id: the cell holds the invisible "
                                "character U+001B after 'S'"),
    ("Ana,S1,P\u200b1,Ms. Abe,1", "roster.csv:2: class: the cell holds the invisible "
                                  "character U+200B (zero width space) after 'P'"),
    ("Ana,S1,P1,Ms. Abe,\x7f", "roster.csv:2: period: the cell holds the invisible "
                               "character U+007F at its start"),
    ("Ana," + "9" * 65 + ",P1,Ms. Abe,1", "roster.csv:2: student_id: 65 characters is too "
                                          "long"),
    ("Ana,S1," + "P" * 101 + ",Ms. Abe,1", "roster.csv:2: class: 101 characters is too long"),
    ('Ana,S1,P1,"Ms.\rAbe",1', "roster.csv:2: teacher: the cell holds a line break (U+000D)"),
])
def test_ids_classes_and_teachers_are_held_to_the_same_rules(row: str, message: str) -> None:
    project(SPEC, HEADER + row + "\n")
    out = failed("batch", "district.yaml", "-o", "out")
    assert out[0].startswith(message), out


def test_a_name_with_tabs_and_no_break_spaces_prints_with_single_spaces() -> None:
    project(SPEC, HEADER + "Ana\t\u00a0 Diaz,S1,P1,Ms. Abe,1\nZoe\u0308 Ruiz,S2,P1,Ms. Abe,1\n")
    r = run("batch", "district.yaml", "-o", "out", "--dry-run")
    assert r.exit_code == 0, r.output
    from worksheets.batch import load

    data = load("district.yaml")
    assert [s.name for s in data.classes[0].students] == ["Ana Diaz", "Zo\u00eb Ruiz"]


def test_a_long_name_with_no_spaces_is_refused_before_any_work() -> None:
    # was: a cover row taller than a page, and reportlab's LayoutError mid-run
    project(SPEC, HEADER + "x" * 5000 + ",S1,P1,Ms. Abe,1\n")
    out = failed("batch", "district.yaml", "-o", "out")
    assert out[0].startswith("roster.csv:2: student_name: 5000 characters is too long")


def test_the_longest_names_allowed_make_a_packet(tmp_path: Path) -> None:
    rows = [f"{'W' * 100},{'9' * 64},{'C' * 100},{'T' * 100},{'1' * 40}"]
    rows += [f"{'Wy ' * 33}W,S{i},{'C' * 100},{'T' * 100},{'1' * 40}" for i in range(3)]
    project(SPEC, HEADER + "\n".join(rows) + "\n")
    r = run("batch", "district.yaml", "-o", "out", "-q", "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert len(list(Path("out").glob("*.pdf"))) == 1


def test_duplicate_header_columns_are_an_error() -> None:
    project(SPEC, "student_name,student_id,class,teacher,period,Class\n"
                  "Ana,S1,P1,Ms. Abe,1,P2\n")
    out = failed("batch", "district.yaml", "-o", "out")
    assert out[0] == ("roster.csv:1: columns 3 and 6 ('class' and 'Class') are the same "
                      "column 'class' (header names are compared without case, spaces or "
                      "dashes: rename or remove one)")


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_with_another_separator_gets_a_hint(sep: str, name: str) -> None:
    project(SPEC, HEADER.replace(",", sep) + sep.join(["Ana", "S1", "P1", "Ms. Abe", "1"])
            + "\n")
    out = failed("batch", "district.yaml", "-o", "out")
    assert out[0] == (f"roster.csv:1: the columns are separated by {name}, not commas "
                      "(export the file as 'CSV UTF-8 (comma delimited)', or replace the "
                      "separators with commas)")


def test_accommodation_keys_are_compared_like_headers() -> None:
    project(SPEC + "accommodations:\n  Large-Print: {layout: letter}\n",
            "Student Name,Student ID,Class,Teacher,Period,large print\n"
            "Ana,S1,P1,Ms. Abe,1,yes\n")
    r = run("batch", "district.yaml", "-o", "out", "--dry-run")
    assert r.exit_code == 0, r.output
    project(SPEC + "accommodations:\n  large_print: {layout: letter}\n"
                   "  Large-Print: {layout: a4}\n")
    out = failed("batch", "district.yaml", "-o", "out")
    assert out[0] == ("district.yaml:7:3: accommodations: 'Large-Print' and 'large_print' name "
                      "the same roster column 'large_print' (roster headers are compared "
                      "without case, spaces or dashes: keep one)")


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("users.csv", "u1,Ana,", 'u1,"An\na",', "oneroster/users.csv:2: givenName: the cell holds a "
                                            "line break (U+000A) after 'An'"),
    ("users.csv", ",S1,", ",S\x071,", "oneroster/users.csv:2: identifier: the cell holds the "
                                      "invisible character U+0007 after 'S'"),
    ("users.csv", "Diaz", "D" * 101, "oneroster/users.csv:2: familyName: 101 characters is "
                                     "too long"),
    ("classes.csv", ",H-1,", ",H\u200d1,", "oneroster/classes.csv:2: classCode: the cell holds "
                                           "the invisible character U+200D"),
    ("classes.csv", ",H-1,", "," + "H" * 41 + ",", "oneroster/classes.csv:2: classCode: 41 "
                                                   "characters is too long"),
    ("classes.csv", "History", "Hi\x0bstory", "oneroster/classes.csv:2: title: the cell holds a "
                                              "line break (U+000B)"),
    ("classes.csv", ",1,o1", ",\x01,o1", "oneroster/classes.csv:2: periods: the cell holds the "
                                         "invisible character U+0001"),
    ("orgs.csv", "Lincoln High", "Lincoln\x1fHigh", "oneroster/orgs.csv:2: name: the cell holds "
                                                    "the invisible character U+001F"),
    ("classes.csv", "c1,History", "Student Name,title", "oneroster/classes.csv:1: columns"),
])
def test_oneroster_cells_are_held_to_the_same_rules(file: str, old: str, new: str,
                                                    message: str) -> None:
    text = ONEROSTER[file].replace(old, new)
    if file == "classes.csv" and old == "c1,History":
        text = "sourcedId,title,classCode,periods,schoolSourcedId,status,Title\n" \
               "c1,History,H-1,1,o1,,x\n"
    oneroster(**{file: text})
    out = failed("batch", "district.yaml", "-o", "out")
    assert out[0].startswith(message), out


def test_oneroster_many_teachers_are_shortened_on_the_cover() -> None:
    users = ONEROSTER["users.csv"] + "".join(f"t{i},{'Teacher' * 10},{i},T{i},\n"
                                             for i in range(10))
    enrol = ONEROSTER["enrollments.csv"] + "".join(f"c1,t{i},teacher,,\n" for i in range(10))
    oneroster(**{"users.csv": users, "enrollments.csv": enrol})
    from worksheets.batch import load

    teacher = load("district.yaml").classes[0].teacher
    assert teacher.startswith("Tom Abe & Teacher") and teacher.endswith(" more")
    assert len(teacher) <= 220
