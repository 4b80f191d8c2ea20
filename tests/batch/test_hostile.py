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
