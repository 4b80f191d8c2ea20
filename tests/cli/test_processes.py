"""Issue 15 class 6: no process outlives a killed run, and temp-file cleanup judges a
leftover by its lock and its host, not by a pid that may be reused or local to another
machine."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.batch.test_batch import small_district
from tests.pdfutil import LESSON, ROOT
from worksheets.write import host_tag, remove_stale_parts, write_atomic

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    out = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.parametrize("what", ["build", "batch"])
def test_sigkill_leaves_no_worker_behind(tmp_path: Path, what: str) -> None:
    if what == "build":
        args = ["build", str(LESSON), "-o", str(tmp_path / "out"), "--variant", "all",
                "--layout", "all", "-j", "2", "-q"]
    else:
        spec = small_district(tmp_path / "d", classes=8, students=3)
        args = ["batch", str(spec), "-o", str(tmp_path / "out"), "--jobs", "2", "-q"]
    workers: set[int] = set()
    proc = subprocess.Popen([sys.executable, "-m", "worksheets", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "the run never forked its workers"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived the killed run"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in workers:  # a failure leaves none of them running
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def _dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)


def test_a_part_file_of_another_host_is_left_alone(tmp_path: Path) -> None:
    other = "0123456789ab" if host_tag() != "0123456789ab" else "ba9876543210"
    fresh = tmp_path / f".x.pdf.{other}.{_dead_pid()}.abcd1234.part"
    old = tmp_path / f".y.pdf.{other}.{_dead_pid()}.abcd1234.part"
    for p in (fresh, old):
        p.write_bytes(b"%PDF-1.4 partial")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    assert remove_stale_parts(tmp_path) == [old]
    assert fresh.exists()


def test_a_part_file_of_a_dead_local_run_is_removed(tmp_path: Path) -> None:
    stale = tmp_path / f".x.pdf.{host_tag()}.{_dead_pid()}.abcd1234.part"
    stale.write_bytes(b"%PDF-1.4 partial")
    assert remove_stale_parts(tmp_path) == [stale]


def test_a_part_file_whose_pid_is_reused_is_removed_when_unlocked(tmp_path: Path) -> None:
    # this process is alive and has the pid in the name, but holds no lock on the file
    reused = tmp_path / f".x.pdf.{host_tag()}.{os.getpid()}.abcd1234.part"
    reused.write_bytes(b"%PDF-1.4 partial")
    assert remove_stale_parts(tmp_path) == [reused]


def test_a_part_file_being_written_is_kept(tmp_path: Path) -> None:
    live = tmp_path / f".x.pdf.{host_tag()}.{_dead_pid()}.abcd1234.part"
    live.write_bytes(b"%PDF-1.4 partial")
    with open(live, "rb") as fh:  # another process writing it holds its lock
        holder = subprocess.Popen(
            [sys.executable, "-c", "import fcntl, sys, time\n"
             f"f = open({str(live)!r}, 'rb'); fcntl.flock(f, fcntl.LOCK_EX)\n"
             "print('locked', flush=True); time.sleep(30)"],
            stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
            assert remove_stale_parts(tmp_path) == []
            assert live.exists()
            with pytest.raises(BlockingIOError):
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            holder.kill()
            holder.communicate()
    assert remove_stale_parts(tmp_path) == [live]


def test_temp_files_are_named_with_host_and_pid_and_locked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, bool]] = []
    real = os.replace

    def replace(src: str, dst: str) -> None:
        with open(src, "rb") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = False
            except BlockingIOError:
                locked = True
        seen.append((Path(src).name, locked))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "a.pdf", b"%PDF-1.4\n%%EOF\n")
    ((name, locked),) = seen
    assert name.startswith(f".a.pdf.{host_tag()}.{os.getpid()}.") and name.endswith(".part")
    assert locked
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
