"""Write stage: put bytes at a path atomically, so no reader ever sees a partial file."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError
from .workers import STOPS

# The temp file beside a target is named `.<name>.<host>.<pid>.<random>.part`: the host
# tag is 12 characters, the pid at most 7 and mkstemp's random part 8, so 36 bytes more.
HOST_TAG_LENGTH = 12
MAX_NAME_BYTES = 255 - (1 + 1 + HOST_TAG_LENGTH + 1 + 7 + 1 + 8 + len(".part"))
# Another host's temp file is left alone (its run may be alive) unless it is this old.
FOREIGN_PART_AGE = 24 * 3600.0


def host_tag() -> str:
    """This machine in a temp file's name: a short hash of its host name (pods and nodes
    sharing one output folder have different names; raw names may hold dots)."""
    name = socket.gethostname() or "localhost"
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[
        :HOST_TAG_LENGTH]


def prepare_dir(folder: Path, mine: Iterable[str] = ()) -> None:
    """Create the output folder, or explain why it cannot be used; remove stale temp files
    (see `remove_stale_parts`)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(
            f"{folder}: cannot create the output folder: a file is in the way") from None
    except OSError as e:
        raise OutputError(f"{folder}: cannot create the output folder ({e.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: the output folder is not writable")
    remove_stale_parts(folder, mine)


_PART = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")  # an older form: no host
_HOST_PART = re.compile(rf"^\..+\.([0-9a-f]{{{HOST_TAG_LENGTH}}})\.(\d+)\.[^.]+\.part$")


def remove_stale_parts(folder: Path, mine: Iterable[str] = ()) -> list[Path]:
    """Delete temp files left by runs that were stopped for good (SIGKILL, a power cut).

    A run holds an advisory lock on its temp file until the rename, so a temp file of
    this host is stale when its lock can be taken: its run is gone, even if another
    process now has its pid. Temp files of other hosts sharing the folder (shards on
    other nodes or pods) are left alone unless older than a day: a lock may not be seen
    across machines. Temp files without a process id are stale if named after `mine`.
    """
    names = set(mine)
    here = host_tag()
    removed = []
    for p in folder.glob(".*.part"):
        m = _HOST_PART.match(p.name)
        old = _PART.match(p.name)
        if m is not None and m.group(1) != here:
            stale = _older_than(p, FOREIGN_PART_AGE)
        elif m is not None:
            stale = _remove_if_unlocked(p)
            if stale:
                removed.append(p)
            continue
        elif old is not None:
            stale = not _alive(int(old.group(1))) and _unlocked(p)
        else:
            stale = p.name[1:].rsplit(".", 2)[0] in names
        if not stale:
            continue
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def _older_than(p: Path, seconds: float) -> bool:
    try:
        return time.time() - p.lstat().st_mtime > seconds
    except OSError:
        return False


def _lock(fd: int, wait: bool) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; pids decide
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _unlocked(p: Path) -> bool:
    """Whether nobody holds the lock of `p` (False if it cannot be opened)."""
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return _lock(fd, wait=False)
    finally:
        os.close(fd)


def _remove_if_unlocked(p: Path) -> bool:
    """Remove `p` if its lock can be taken, holding the lock while it is removed."""
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        if not _lock(fd, wait=False):
            return False
        try:  # still the file that was locked: not a new one put at the same name
            if os.path.samestat(os.fstat(fd), os.lstat(p)):
                p.unlink()
                return True
        except OSError:
            pass
        return False
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_atomic(path: Path, data: bytes, stale: Iterable[Path] = ()) -> None:
    """Write `data` to a temp file beside `path`, fsync it, then rename it onto `path`.

    `stale` are files that describe what `path` holds now (its preflight report): they are
    removed before it is replaced, so none outlives the file it judged, whenever a stop
    comes.

    Two runs writing the same path each rename a complete file, so the last one wins whole.
    A stop signal waits until the file is written: arriving between the temp file's
    creation and its rename (inside mkstemp, say), it would leave the temp file behind.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        _remove(stale, path)
        _write_atomic(path, data)
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        _remove(stale, path)
        _write_atomic(path, data)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _remove(stale: Iterable[Path], path: Path) -> None:
    for p in stale:
        try:
            p.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise OutputError(f"{p}: cannot remove the report of the old {path.name} "
                              f"({e.strerror})") from None


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = _locked_temp(path)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a PDF is for sharing
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        os.replace(tmp, path)  # with the lock held: until here the temp file is in use
    except BaseException as e:
        try:
            if os.path.samestat(os.fstat(fd), os.lstat(tmp)):
                os.remove(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise OutputError(f"{path}: cannot write ({e.strerror})") from None
        raise
    finally:
        os.close(fd)


def _locked_temp(path: Path) -> tuple[int, str]:
    """A new temp file beside `path`, open and locked, named with this host and pid.

    A cleaner of another run may take the lock between the file's creation and ours, and
    remove the file: then it is made again.
    """
    prefix = f".{path.name}.{host_tag()}.{os.getpid()}."
    for _ in range(100):
        try:
            fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=path.parent)
        except OSError as e:
            raise OutputError(f"{path}: cannot write ({e.strerror})") from None
        _lock(fd, wait=True)
        try:
            if os.path.samestat(os.fstat(fd), os.lstat(tmp)):
                return fd, tmp
        except OSError:
            pass
        os.close(fd)
    raise OutputError(f"{path}: cannot write (its temporary file keeps being removed)")
