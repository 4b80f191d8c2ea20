"""Reading the files of a lesson safely, and showing their paths as the author knows them."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..errors import Location, Problem
from .text import MAX_FILE_BYTES, NotAFile, decode_text, read_regular


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
    """The text of a file inside the lesson folder, or None with the reason in `problems`.

    The file is opened once: a link is followed (by resolving the path) only when it
    leads to a file of the lesson, then every folder on the way and the file itself are
    opened without following links, and what was opened is checked to be an ordinary
    file. A file swapped for a link in between is refused, not read.
    """
    shown = display_path(path)
    try:
        raw = read_inside(path, folder, MAX_FILE_BYTES)
    except NotAFile as e:
        problems.append(Problem(Location(shown), f"{path.name} {e.args[0]}", e.args[1]))
        return None
    return decode_text(raw, shown, problems)


def read_inside(path: Path, folder: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the ordinary file `path` inside `folder`; raise NotAFile."""
    why = unreadable(path, folder)
    if why is not None:
        raise NotAFile(*why)
    root = os.path.realpath(folder)
    parts = Path(os.path.relpath(os.path.realpath(path), root)).parts
    if not parts or parts[0] == os.pardir or os.path.isabs(parts[0]):
        raise NotAFile("changed into a link while it was read",
                       "links out of the lesson are not followed")
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    dir_flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow | getattr(
        os, "O_CLOEXEC", 0)
    try:
        fd = os.open(root, dir_flags & ~nofollow)
    except OSError as e:
        raise NotAFile(f"cannot be read ({e.strerror})", "check the file's permissions") from None
    try:
        for part in parts[:-1]:
            try:
                nxt = os.open(part, dir_flags, dir_fd=fd)
            except OSError:
                raise NotAFile("changed while it was read (a folder on its way is now a "
                               "link)", "build again; links out of the lesson are not "
                               "followed") from None
            os.close(fd)
            fd = nxt
        try:
            return read_regular(parts[-1], limit, dir_fd=fd, follow=False)
        except NotAFile as e:
            if e.args[0] == "is a link":  # it was not when it was checked: swapped since
                raise NotAFile("changed into a link while it was read",
                               "links out of the lesson are not followed") from None
            raise
    finally:
        os.close(fd)


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
