"""Write stage: put bytes at a path atomically, so no reader ever sees a partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def prepare_dir(folder: Path) -> None:
    """Create the output folder, or explain why it cannot be used."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{folder}: cannot create the output folder: a file is in the way") from None
    except OSError as e:
        raise OutputError(f"{folder}: cannot create the output folder ({e.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: the output folder is not writable")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, fsync it, then rename it onto `path`.

    Two runs writing the same path each rename a complete file, so the last one wins whole.
    """
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
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
