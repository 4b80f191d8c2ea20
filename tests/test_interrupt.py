"""Interruption and concurrency: never a partial or temp file, always valid PDFs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from worksheets.write import remove_stale_parts, write_atomic

from .pdfutil import LESSON, ROOT


def _start(out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "worksheets", "build", str(LESSON), "-o", str(out),
         "--variant", "all", "--layout", "all", "-q"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _assert_complete(out: Path) -> int:
    assert not list(out.glob(".*")), list(out.glob(".*"))
    pdfs = list(out.glob("*.pdf"))
    for pdf in pdfs:
        assert len(PdfReader(pdf, strict=True).pages) > 0
    return len(pdfs)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_build_leaves_only_complete_files(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "out"
    proc = _start(out)
    deadline = time.monotonic() + 60
    while not (out.exists() and len(list(out.glob("*.pdf"))) >= 2):
        assert time.monotonic() < deadline and proc.poll() is None, proc.stderr
        time.sleep(0.02)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"interrupted; files already written are complete" in err
    assert b"Traceback" not in err
    assert 2 <= _assert_complete(out) < 21


def test_two_builds_writing_the_same_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a, b = _start(out), _start(out)
    for proc in (a, b):
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert _assert_complete(out) == 21


def test_killed_run_leftovers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".x.pdf.{dead}.abc123.part"
    live = tmp_path / f".y.pdf.{os.getpid()}.abc123.part"
    stale.write_bytes(b"%PDF-1.4 partial")
    live.write_bytes(b"%PDF-1.4 partial")
    assert remove_stale_parts(tmp_path) == [stale]
    assert live.exists() and not stale.exists()


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.pdf"

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    from worksheets.errors import OutputError

    with pytest.raises(OutputError, match="a.pdf: cannot write \\(No space left on device\\)"):
        write_atomic(target, b"%PDF-1.4")
    assert list(tmp_path.iterdir()) == []
    shutil.rmtree(tmp_path)
