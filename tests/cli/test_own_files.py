"""Issue 15, class 7: the tool's own files and environment. A damaged manifest, a bad
SOURCE_DATE_EPOCH and `new` where it cannot write are messages, never tracebacks."""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import DEFAULT_FILES
from worksheets.cli import main


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test here runs in its temporary folder."""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    r = CliRunner().invoke(main, list(args), env=env)
    assert r.exception is None or isinstance(r.exception, SystemExit), "".join(
        traceback.format_exception(r.exception))
    assert "Traceback" not in r.output
    return r


def write_lesson() -> None:
    for rel, text in DEFAULT_FILES.items():
        assert isinstance(text, str)
        (Path("lesson") / rel).parent.mkdir(parents=True, exist_ok=True)
        (Path("lesson") / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("value", ["abc", "1e9", "-5", "9" * 5000, "99999999999999"])
def test_a_bad_source_date_epoch_is_one_message_before_any_work(value: str) -> None:
    write_lesson()
    r = run("build", "lesson", "-o", "out", "-j", "2", env={"SOURCE_DATE_EPOCH": value})
    assert r.exit_code == 1
    assert "is not a number of seconds since 1970" in r.output
    assert len(r.output) < 400
    assert not Path("out").exists()


def test_a_deeply_nested_manifest_is_refused_by_merge_and_ignored_by_resume() -> None:
    Path("m.json").write_text("[" * 100_000 + "]" * 100_000)
    r = run("manifest", "merge", "m.json", "-o", "all.json")
    assert r.exit_code == 1
    assert "m.json: not a manifest: nested too deeply" in r.output
    from worksheets.batch import manifest

    assert manifest.read_entries([Path("m.json")]) == {}


def test_a_manifest_that_is_a_fifo_is_not_waited_on() -> None:
    os.mkfifo("m.json")
    r = run("manifest", "merge", "m.json", "-o", "all.json")
    assert r.exit_code == 1
    assert "m.json: the manifest is not an ordinary file" in r.output


def test_new_into_a_file_is_a_message() -> None:
    Path("content").write_text("not a folder")
    r = run("new", "my-lesson")
    assert r.exit_code == 1
    assert r.output.startswith("error: content: cannot create the folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_new_into_a_read_only_folder_is_a_message() -> None:
    Path("content").mkdir()
    Path("content").chmod(0o555)
    try:
        r = run("new", "my-lesson")
    finally:
        Path("content").chmod(0o755)
    assert r.exit_code == 1
    assert "cannot write here" in r.output


def test_new_that_fails_half_way_leaves_nothing_and_can_be_retried(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.write_text
    calls = []

    def full_disk(self: Path, *args: object, **kwargs: object) -> int:
        calls.append(self)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", full_disk)
    r = run("new", "my-lesson")
    assert r.exit_code == 1
    assert "No space left on device" in r.output
    assert list(Path("content").iterdir()) == []  # no half skeleton, no temp folder
    monkeypatch.setattr(Path, "write_text", real)
    r = run("new", "my-lesson")
    assert r.exit_code == 0, r.output
    assert (Path("content/my-lesson/lesson.yaml")).is_file()
    assert json.dumps(sorted(p.name for p in Path("content").iterdir())) == '["my-lesson"]'
