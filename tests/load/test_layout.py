"""Issue 15: layouts as hostile input (names, `extends:`, margins) and layouts from any folder.

Every case runs `worksheets` in a temporary folder and checks the exact located
message, exit 1, no traceback and nothing written (inside or outside the output folder).
"""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import LessonDir
from worksheets.cli import main


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test here runs in its temporary folder."""


def run(*args: str) -> Result:
    r = CliRunner().invoke(main, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), "".join(
        traceback.format_exception(r.exception))
    assert "Traceback" not in r.output
    return r


def files_under(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def failed(*args: str) -> list[str]:
    before = files_under(Path.cwd().parent)
    r = run(*args)
    assert r.exit_code == 1, r.output
    assert files_under(Path.cwd().parent) == before  # nothing written anywhere
    return r.output.strip().splitlines()


# --- class 2: a layout's name is one safe file-name component ----------------------------

@pytest.mark.parametrize("name", ["../../escaped", "a/b", "..", "/tmp/x", "a\\\\b", "-x",
                                  ".hidden"])
def test_a_layout_name_that_is_not_a_file_name_is_refused(lesson_dir: LessonDir,
                                                          name: str) -> None:
    lesson_dir()
    Path("evil.yaml").write_text(f'name: "{name}"\npaper: a4\n', encoding="utf-8")
    shown = name.replace("\\\\", "\\")
    assert failed("build", "lesson", "--layout", "evil.yaml", "-o", "out") == [
        f"evil.yaml:1:7: name: '{shown}' cannot be part of a file name "
        "(use letters, digits, '-' and '_', starting with a letter or digit)",
        "1 problem found; nothing was written.",
    ]


def test_a_layout_file_name_that_cannot_name_the_pdfs(lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("my school.yaml").write_text("paper: a4\n", encoding="utf-8")
    assert failed("build", "lesson", "--layout", "my school.yaml", "-o", "out") == [
        "my school.yaml:1:1: the file name 'my school' cannot name the PDF files made with "
        "this layout (add 'name:' with letters, digits, '-' and '_')",
        "1 problem found; nothing was written.",
    ]


@pytest.mark.parametrize("other", ["letter", "LETTER"])
def test_two_layouts_with_one_name_are_an_error_before_any_work(lesson_dir: LessonDir,
                                                               other: str) -> None:
    lesson_dir()
    Path("mine.yaml").write_text(f"name: {other}\npaper: a4\n", encoding="utf-8")
    assert failed("build", "lesson", "--layout", "letter", "--layout", "mine.yaml",
                  "-o", "out") == [
        f"mine.yaml: layouts 'letter' and 'mine.yaml' are both named '{other}', and would "
        "write the same files (give each layout its own 'name:')",
        "1 problem found; nothing was written.",
    ]


def test_the_same_layout_twice_is_built_once(lesson_dir: LessonDir) -> None:
    lesson_dir()
    r = run("build", "lesson", "--layout", "letter", "--layout", "letter", "-o", "out",
            "--edition", "student", "-j", "1")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in Path("out").glob("*.pdf")) == [
        "lesson-standard-letter-student.pdf"]


def test_a_lesson_folder_name_too_long_in_bytes_is_refused_before_any_work(
        lesson_dir: LessonDir) -> None:
    name = "é" * 100  # 100 characters, 200 bytes: the PDF names would pass 255 bytes
    lesson_dir(name=name)
    r = run("build", name, "-o", "out")
    assert r.exit_code == 1, r.output
    assert "the file name is too long" in r.output
    assert not list(Path("out").glob("*"))


# --- class 3: `extends:` stays inside the layout folders; a file that is not a layout -------

SECRET = "API_TOKEN: hunter2-very-secret\nDB_PASSWORD: s3cr3t\n"


@pytest.mark.parametrize("target", ["/etc/passwd", "../secrets.yaml", "secrets.yaml",
                                    "layouts/../../secrets", "/dev/zero"])
def test_extends_names_a_layout_never_a_path(lesson_dir: LessonDir, target: str) -> None:
    lesson_dir()
    Path("secrets.yaml").write_text(SECRET, encoding="utf-8")
    Path("mine.yaml").write_text(f"extends: {target}\npaper: a4\n", encoding="utf-8")
    lines = failed("build", "lesson", "--layout", "mine.yaml", "-o", "out")
    assert lines == [
        f"mine.yaml:1:10: extends: '{target}' is not a layout name (name a layout of the "
        "layouts folders, such as letter)",
        "1 problem found; nothing was written.",
    ]


def test_extends_by_name_does_not_follow_a_link_out_of_the_layouts_folder(
        lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("secrets.yaml").write_text(SECRET, encoding="utf-8")
    Path("layouts").mkdir()
    Path("layouts/evil.yaml").symlink_to(Path("secrets.yaml").resolve())
    Path("layouts/mine.yaml").write_text("extends: evil\npaper: a4\n", encoding="utf-8")
    r = run("build", "lesson", "--layout", "mine", "-o", "out")
    assert r.exit_code == 1
    assert "hunter2" not in r.output and "DB_PASSWORD" not in r.output
    assert r.output.startswith("layouts/mine.yaml:1:10: extends: no layout 'evil'"), r.output


def test_a_file_that_is_not_a_layout_is_not_echoed(lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("secrets.yaml").write_text(SECRET, encoding="utf-8")
    lines = failed("build", "lesson", "--layout", "secrets.yaml", "-o", "out")
    assert lines == [
        "secrets.yaml:1:1: this is not a layout file: none of its keys is a layout setting "
        "(a layout sets paper, margins and type sizes; see docs/authoring.md)",
        "1 problem found; nothing was written.",
    ]


def test_an_extends_cycle_is_named_as_a_cycle(lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("layouts").mkdir()
    Path("layouts/one.yaml").write_text("extends: two\n", encoding="utf-8")
    Path("layouts/two.yaml").write_text("extends: three\n", encoding="utf-8")
    Path("layouts/three.yaml").write_text("extends: one\n", encoding="utf-8")
    assert failed("build", "lesson", "--layout", "one", "-o", "out") == [
        "layouts/three.yaml:1:10: extends: the layouts one -> two -> three -> one form a cycle "
        "(remove the cycle)",
        "1 problem found; nothing was written.",
    ]


def test_a_project_layout_extends_the_bundled_one_it_overrides(lesson_dir: LessonDir) -> None:
    from worksheets.load.layout import load_layout

    lesson_dir()
    Path("layouts").mkdir()
    Path("layouts/letter.yaml").write_text("extends: letter\nbody_size: 12.5\n",
                                           encoding="utf-8")
    mine, bundled = load_layout("letter"), load_layout("letter", dirs=[])
    assert mine.body_size == 12.5 and bundled.body_size != 12.5
    assert (mine.paper, mine.margin_left) == (bundled.paper, bundled.margin_left)
    r = run("build", "lesson", "--layout", "letter", "-o", "out")
    assert r.exit_code == 0 and Path("out/lesson-standard-letter-student.pdf").is_file()
    # a file named like no layout further down extends nothing: it extends itself
    Path("layouts/mine.yaml").write_text("extends: mine\n", encoding="utf-8")
    assert failed("build", "lesson", "--layout", "mine", "-o", "out2") == [
        "layouts/mine.yaml:1:10: layout 'mine' extends itself "
        "(name another layout, or remove 'extends:')",
        "1 problem found; nothing was written.",
    ]


def test_a_huge_extends_name_is_a_located_problem(lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("mine.yaml").write_text("extends: " + "x" * 30000 + "\n", encoding="utf-8")
    lines = failed("build", "lesson", "--layout", "mine.yaml", "-o", "out")
    assert lines[0].startswith("mine.yaml:1:10: extends: no layout 'xxx")
    assert len(lines[0]) < 400


# --- class 9: a printable area; every layout problem located; "does not fit" actionable -----

def test_zero_margins_are_refused_at_their_lines(lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("zero.yaml").write_text("name: zero\nmargin_top: 0\nmargin_left: 0.2in\n"
                                 "margin_bottom: 5mm\n", encoding="utf-8")
    assert failed("build", "lesson", "--layout", "zero.yaml", "-o", "out") == [
        "zero.yaml:2:13: margin_top: 0.00 in puts the banner, text or line numbers off the "
        "printable area (printers leave 0.25 in of each edge blank: use at least 0.25in)",
        "zero.yaml:3:14: margin_left: 0.20 in puts the text or line numbers off the printable "
        "area (printers leave 0.25 in of each edge blank: use at least 0.25in)",
        "zero.yaml:4:16: margin_bottom: 0.20 in puts the footer, text or line numbers off the "
        "printable area (printers leave 0.25 in of each edge blank: use at least 0.25in)",
        "3 problems found; nothing was written.",
    ]


def test_a_margin_set_by_the_parent_is_located_in_the_parent(lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("layouts").mkdir()
    Path("layouts/base.yaml").write_text("paper: a4\nmargin_right: 0\n", encoding="utf-8")
    Path("layouts/child.yaml").write_text("extends: base\nbody_size: 12\n", encoding="utf-8")
    assert failed("build", "lesson", "--layout", "child", "-o", "out")[0] == (
        "layouts/base.yaml:2:15: margin_right: 0.00 in puts the text or line numbers off the "
        "printable area (printers leave 0.25 in of each edge blank: use at least 0.25in)")


def test_a_layout_in_range_that_fits_nothing_names_layout_element_and_remedy(
        lesson_dir: LessonDir) -> None:
    lesson_dir()
    Path("huge.yaml").write_text(
        "name: huge\nmargin_top: 3.5in\nmargin_bottom: 3.5in\nmargin_left: 2.75in\n"
        "margin_right: 2.75in\nbody_size: 40\ntext_size: 40\ntitle_size: 60\nheading_size: 50\n"
        "caption_size: 40\nleading: 3\nanswer_line_spacing: 1in\ncell_line_spacing: 1in\n",
        encoding="utf-8")
    r = run("build", "lesson", "--layout", "huge.yaml", "-o", "out", "-j", "1")
    assert r.exit_code == 1
    assert "0x" not in r.output and "Flowable" not in r.output
    assert "layout 'huge': a paragraph is" in r.output
    assert "does not fit in the text area (3.0 x 4.0 in) (make body_size" in r.output
    assert not Path("out").exists() or not list(Path("out").glob("*.pdf"))
