"""Text from files: a regular file opened once (never a link, FIFO or device), decoded as
UTF-8, and the characters a writer cannot see or that print as boxes refused, each with
its line and column."""

from __future__ import annotations

import errno
import os
import re
import stat

from ..errors import Location, Problem

MAX_FILE_BYTES = 1_000_000
MAX_CHAR_PROBLEMS = 10  # control characters reported one by one; then a count

# C0 controls other than tab/newline/CR, DEL, C1 controls (YAML reads U+0085 as a
# line break), the line/paragraph separators, and bidi overrides/isolates.
# The replacement character U+FFFD stands where an earlier program could not read a
# character: the text was damaged, and it prints as a box.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd"
    "\ud800-\udfff"  # and half characters, which only a "\ud800" escape can make
    # noncharacters: never text (YAML's reader refuses U+FFFE and U+FFFF outright)
    "\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff"
    "\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
REPLACEMENT_HINT = ("a character was lost when the text was copied or converted; "
                     "type the right character in its place")


class NotAFile(Exception):
    """What was opened is not an ordinary file (or the open failed): (message, hint)."""


_O_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
    os, "O_CLOEXEC", 0)


def read_regular(path: str, limit: int, *, dir_fd: int | None = None,
                 follow: bool = True) -> bytes:
    """At most `limit` + 1 bytes of the ordinary file at `path`, opened once.

    Opened without blocking (a FIFO would wait for a writer for ever) and, unless
    `follow`, without following a final link; what was opened is checked with fstat,
    so a device, FIFO or folder is refused whatever the path looked like before.
    """
    flags = _O_FLAGS | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise NotAFile("is a link", "replace the link with a copy of the file") from None
        raise NotAFile(f"cannot be read ({e.strerror})", "check the file's permissions") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise NotAFile("is a folder, not a file", "a text file is needed here")
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile("is not an ordinary file", "save the text as an ordinary file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as e:
        raise NotAFile(f"cannot be read ({e.strerror})", "check the file's permissions") from None
    finally:
        os.close(fd)


def read_text(path: str, display: str, problems: list[Problem]) -> str | None:
    """Read a UTF-8 text file, refusing large files, bad bytes and control characters."""
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotAFile as e:
        problems.append(Problem(Location(display), f"{os.path.basename(path)} {e.args[0]}",
                                e.args[1]))
        return None
    return decode_text(raw, display, problems)


def decode_text(raw: bytes, display: str, problems: list[Problem]) -> str | None:
    """The text of a file's bytes, refusing large files, bad bytes and control characters."""
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            Problem(
                Location(display, 1, 1),
                f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                "split it into smaller files; a lesson file is normally a few KB",
            )
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.count(b"\x00") > len(raw) // 4:
        problems.append(Problem(Location(display, 1, 1), "the file is saved as UTF-16, not UTF-8",
                                "save the file with the encoding UTF-8"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = before.count(b"\n") + 1
        line_start = max(raw.rfind(b"\n", 0, e.start), raw.rfind(b"\r", 0, e.start)) + 1
        col = len(raw[line_start : e.start].decode("utf-8", "replace")) + 1
        problems.append(
            Problem(
                Location(display, line, col),
                f"the file is not UTF-8: byte 0x{raw[e.start]:02X} is not valid UTF-8 text",
                "save the file with the encoding UTF-8",
            )
        )
        return None
    # Old Mac files end lines with CR alone; YAML counts those as line breaks too.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ok = True
    for n, m in enumerate(FORBIDDEN.finditer(text)):
        if n == MAX_CHAR_PROBLEMS:
            more = len(FORBIDDEN.findall(text, m.start()))
            problems.append(Problem(Location(display, line, col), f"and {more} more such "
                                    f"character{'s' if more > 1 else ''} after this one",
                                    "is the file text? save it as UTF-8 text"))
            break
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        problems.append(
            Problem(
                Location(display, line, col),
                f"{describe(m.group())} is not allowed",
                REPLACEMENT_HINT if m.group() == "\ufffd"
                else "delete it; it is invisible and would print as a blank box",
            )
        )
        ok = False
    return text if ok else None


def describe(ch: str) -> str:
    if ch == "\ufffd":
        return "the replacement character U+FFFD"
    if "\ufdd0" <= ch <= "\ufdef" or (ord(ch) & 0xFFFE) == 0xFFFE:
        return f"the noncharacter U+{ord(ch):04X}"
    if ch == "\ufffd":
        return "the replacement character U+FFFD"
    if "\ud800" <= ch <= "\udfff":
        return f"half a character (the surrogate U+{ord(ch):04X})"
    if "\u202a" <= ch <= "\u2069" and ch not in "\u2028\u2029":
        return f"a right-to-left control character U+{ord(ch):04X}"
    if ch in "\u2028\u2029":
        return f"a line separator character U+{ord(ch):04X}"
    return f"a control character U+{ord(ch):04X}"
