"""Reading the files of a lesson safely, and showing their paths as the author knows them."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..errors import Location, Problem
from .yaml import read_text


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the author should see it: relative to the working folder when inside it."""
    p = os.path.abspath(path)
    rel = os.path.relpath(p)
    return rel if not rel.startswith("..") else p

# Characters that make a file name hidden, broken or unportable (besides a leading '.').
NOT_IN_NAMES = set('\\:*?"<>|') | {chr(c) for c in range(32)} | {"\x7f"}


# --- files -------------------------------------------------------------------


def present(path: Path) -> bool:
    """Whether anything (a file, a folder, even a broken link) stands at `path`."""
    return path.exists() or path.is_symlink()


def read_lesson_file(path: Path, folder: Path, problems: list[Problem]) -> str | None:
    """The text of a file inside the lesson folder, or None with the reason in `problems`."""
    why = unreadable(path, folder)
    if why is not None:
        problems.append(Problem(Location(display_path(path)), f"{path.name} {why[0]}", why[1]))
        return None
    return read_text(str(path), display_path(path), problems)


def unreadable(path: Path, folder: Path) -> tuple[str, str] | None:
    """Why `path` cannot be read as a file of the lesson in `folder`: (message, hint).

    Only regular files inside the lesson folder are read: a link that leads
    out of it (to /etc/passwd, say) is refused, never followed, and a FIFO or
    device would block or never end.
    """
    same = "replace the link with a copy of the file"
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return "is a link to a file that does not exist", same
    except RuntimeError:  # Python 3.11 and 3.12: a link that leads to itself
        return "is a link that leads round in a circle", same
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "is a link that leads round in a circle", same
        return f"cannot be read ({e.strerror})", "check the file's permissions"
    if not real.is_relative_to(folder.resolve()):
        return (f"is a link to {real}, outside the lesson folder",
                "copy the file into the lesson folder; links out of it are not followed")
    if real.is_dir():
        return "is a folder, not a file", "a lesson needs a text file here"
    if not real.is_file():
        return "is not an ordinary file", "save the text as an ordinary file"
    return None
