"""`worksheets export`: every format for every variant, located errors, nothing partial."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.conftest import QUESTIONS_YAML, LessonDir, edit
from worksheets.cli import main

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "content" / "cuban-missile-crisis"
ALL = ["--to", "docx", "--to", "cc", "--to", "qti", "--to", "gift", "--variant", "all"]


def test_all_formats_every_variant(runner: CliRunner, tmp_path: Path,
                                   export_lesson: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["export", str(LESSON), str(export_lesson), *ALL, "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    expected = []
    for lesson, variants in (("cuban-missile-crisis", ("standard", "supported", "spanish")),
                             ("exported", ("standard", "helped"))):
        for v in variants:
            expected += [f"{lesson}-{v}-student.docx", f"{lesson}-{v}-key.docx",
                         f"{lesson}-{v}.imscc", f"{lesson}-{v}-qti.zip", f"{lesson}-{v}.gift.txt"]
    assert names == sorted(expected)
    assert result.output.count("wrote ") == len(expected)


def test_edition_picks_the_docx(runner: CliRunner, tmp_path: Path, export_lesson: Path) -> None:
    result = runner.invoke(main, ["export", str(export_lesson), "--to", "docx", "--edition",
                                  "key", "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0 and result.output == ""
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["exported-standard-key.docx"]


def test_bad_content_is_located_and_nothing_is_written(runner: CliRunner, in_tmp: Path,
                                                       lesson_dir: LessonDir) -> None:
    bad = lesson_dir({"questions.yaml": edit(QUESTIONS_YAML, "kind: choice", "kind: chioce")})
    result = runner.invoke(main, ["export", "lesson", "--to", "gift", "-o", "out"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        "lesson/questions.yaml:12:11: questions[1].kind: unknown value")
    assert "chioce" in result.output
    assert "nothing was written" in result.output
    assert not (in_tmp / "out").exists() and bad.exists()


def test_unknown_variant(runner: CliRunner, in_tmp: Path, lesson_dir: LessonDir) -> None:
    lesson_dir()
    result = runner.invoke(main, ["export", "lesson", "--to", "qti", "--variant", "nope"])
    assert result.exit_code == 1
    assert "lesson/lesson.yaml:1:1: lesson has no variant 'nope' (choose one of: standard)" \
        in result.output
    assert not (in_tmp / "output").exists()


def test_to_is_required(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export"])
    assert result.exit_code == 2 and "--to" in result.output
