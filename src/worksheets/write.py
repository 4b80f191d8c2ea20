"""Write stage: put bytes at a path atomically, so no reader ever sees a partial file."""

from __future__ import annotations

import os
import re
import signal
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError
from .workers import STOPS

# The temp file beside a target is named `.<name>.<pid>.<random>.part`: 23 bytes more.
MAX_NAME_BYTES = 255 - 23


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


_PART = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")


def remove_stale_parts(folder: Path, mine: Iterable[str] = ()) -> list[Path]:
    """Delete temp files left by runs that were killed (their process no longer exists),
    and temp files without a process id of the names in `mine`."""
    names = set(mine)
    removed = []
    for p in folder.glob(".*.part"):
        m = _PART.match(p.name)
        if m is None:
            stale = p.name[1:].rsplit(".", 2)[0] in names
        else:
            stale = not _alive(int(m.group(1)))
        if not stale:
            continue
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


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
    folder = path.parent
    # the pid in the name lets a later run tell a dead run's leftovers from a live one's
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part",
                                   dir=folder)
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a PDF is for sharing
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(e, OSError):
            raise OutputError(f"{path}: cannot write ({e.strerror})") from None
        raise
