"""Interruption and concurrency: never a partial or temp file, always valid PDFs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.batch.test_batch import small_district
from tests.pdfutil import LESSON, ROOT
from worksheets.write import remove_stale_parts, write_atomic


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


# Run the CLI with one pipeline step wrapped so that it sends a stop signal at a chosen
# moment: the outcome is then exact, not a race with a timer.
_STOPPING_RUN = """
import os, sys
import worksheets.batch.runner as batch, worksheets.pipeline as pipeline, worksheets.write as write
from worksheets.cli import main
sig, where, nth = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
parent, seen = os.getpid(), []
def stop():
    seen.append(1)
    if len(seen) == nth:
        os.kill(parent, sig)  # from a render worker too: the run's own process is stopped
if where == "write":
    real_write = write._write_atomic
    def _write_atomic(path, data):
        if path.suffix == ".pdf":
            stop()
        real_write(path, data)
    write._write_atomic = _write_atomic
elif where == "pack":
    real_make = batch._Packets.make
    def _make(self, index):
        stop()
        return real_make(self, index)
    batch._Packets.make = _make
else:
    real_render = pipeline.render_job
    def render_job(job):
        stop()
        return real_render(job)
    pipeline.render_job = render_job
sys.argv = ["worksheets"] + sys.argv[4:]
main()
"""


def _stopped_run(out: Path, sig: int, where: str, nth: int, *args: str) -> str:
    command = [*args, "-o", str(out), "-q"] if args and args[0] == "batch" else [
        "build", str(LESSON), "-o", str(out), "--variant", "all", "--layout", "all", "-q", *args]
    proc = subprocess.run([sys.executable, "-c", _STOPPING_RUN, str(int(sig)), where, str(nth),
                           *command], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 130, proc.stderr
    assert "interrupted; files already written are complete" in proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stop_while_writing_finishes_the_file_in_hand(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "out"
    # the signal comes as the third PDF's temp file is made: that PDF is finished and
    # renamed into place, then the run stops, before its preflight report
    _stopped_run(out, sig, "write", 3)
    assert _assert_complete(out) == 3
    assert len(list(out.glob("*.preflight.json"))) == 2


def test_a_report_never_outlives_the_pdf_it_judged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # an earlier build's files: every PDF with a report that says ok
    names = [f"{LESSON.name}-{v}-{lay}-{e}.pdf" for v in ("standard", "supported", "spanish")
             for lay in ("a4", "large-print", "letter") for e in ("student", "key")]
    for name in names:
        (out / name).write_bytes(b"%PDF-1.4 old\n%%EOF\n")
        (out / name).with_suffix(".preflight.json").write_text(
            json.dumps({"ok": True, "file": name, "sha256": "old", "findings": []}))
    # stopped as the third PDF is written: it is replaced, and the run stops before its
    # report is written
    _stopped_run(out, signal.SIGTERM, "write", 3)
    new = [p for p in out.glob("*.pdf") if not p.read_bytes().startswith(b"%PDF-1.4 old")]
    assert len(new) == 3
    for pdf in out.glob("*.pdf"):
        report = pdf.with_suffix(".preflight.json")
        if pdf in new and report.exists():
            data = json.loads(report.read_text())
            assert data["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest(), pdf
        elif pdf in new:
            assert pdf == sorted(new, key=lambda p: p.stat().st_mtime_ns)[-1]
        else:
            assert json.loads(report.read_text())["sha256"] == "old"
    assert sum(p.with_suffix(".preflight.json").exists() for p in new) == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stop_while_rendering_writes_nothing(tmp_path: Path, sig: int, jobs: str) -> None:
    out = tmp_path / "out"
    # with two workers, each stops the run at its fifth PDF: the second signal comes
    # while the pool shuts down, and must neither hang the run nor break its exit
    _stopped_run(out, sig, "render", 5, "-j", jobs)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_batch_stopped_twice_ends_with_whole_packets_all_listed(tmp_path: Path,
                                                                sig: int) -> None:
    spec = small_district(tmp_path / "d", classes=8, students=2)
    out = tmp_path / "out"
    # each of the two workers stops the run as it starts its third packet
    _stopped_run(out, sig, "pack", 3, "batch", str(spec), "--jobs", "2")
    doc = json.loads((out / "manifest.json").read_text())
    # the packets the workers were writing as the stop came are finished, and listed
    listed = sorted(e["path"] for e in doc["outputs"])
    assert 2 <= len(listed) == _assert_complete(out) <= 8
    assert listed == sorted(p.name for p in out.glob("*.pdf"))
    for e in doc["outputs"]:
        assert hashlib.sha256((out / e["path"]).read_bytes()).hexdigest() == e["sha256"]


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
