"""Rosters: who is in which class, with which accommodations, read from CSV exports.

Two sources are read: a simple CSV (one row per student, here) and a OneRoster
1.1 CSV export (`oneroster.py`); this module holds what both share: the model,
the rules for roster text and the CSV reading. Every bad row is reported
as a `Problem` at `file:line`, and all of them are collected before anything
is built. Pure data out: nothing here knows about PDFs.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem, shorten
from ..load.text import NotAFile, read_regular

MAX_CSV_BYTES = 200_000_000
YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})

# The longest text each printed (or file-naming) cell may hold, in characters: the cover
# sets the roster in narrow columns, and a row taller than a page cannot be laid out.
MAX_LENGTHS = {"student_name": 100, "student_id": 64, "class": 100, "class_code": 40,
               "teacher": 100, "period": 40, "school": 200, "sourcedId": 100}
MAX_TEACHERS_TEXT = 200  # several teachers of one class, joined with " & "
_SPACES = re.compile("[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def text_problem(label: str, value: str, limit: int | None = None) -> tuple[str, str] | None:
    """Why a cell's text cannot be printed or name a file, as (message, hint); None when
    it can. Held to the rules for lesson text: no line breaks, control, format, private or
    unassigned characters (each would print as a blank box, run words together, or vanish
    from a file name), and not longer than `limit` characters."""
    for i, ch in enumerate(value):
        cat = unicodedata.category(ch)
        if ch in _LINE_BREAKS or cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or (
                ch == "\ufffd"):
            before = value[max(0, i - 20):i]
            after = f" after '{before}'" if before else " at its start"
            if ch in _LINE_BREAKS:
                return (f"{label}: the cell holds a line break (U+{ord(ch):04X}){after}",
                        "keep each cell on one line: join the lines with a space")
            if ch == "\ufffd":
                return (f"{label}: the cell holds the replacement character U+FFFD{after}",
                        "a character was lost when the file was exported; type it again")
            name = unicodedata.name(ch, "")
            what = f" ({name.lower()})" if name else ""
            return (f"{label}: the cell holds the invisible character U+{ord(ch):04X}{what}"
                    f"{after}", "delete it: it would print as a blank box or vanish from "
                    "file names")
    if limit is not None and len(value) > limit:
        return (f"{label}: {len(value)} characters is too long ('{value[:30]}...')",
                f"shorten it to at most {limit} characters")
    return None


def _shown(text: str) -> str:
    """A header cell as a message shows it: short, each unprintable character as '?'."""
    return shorten("".join(c if c.isprintable() else "?" for c in text.strip()))


def clean_text(value: str) -> str:
    """A cell as printed: accents composed (NFC), runs of spaces (tabs, no-break spaces)
    made one space, no space at either end."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip(" ")


@dataclass(frozen=True)
class Student:
    """One student of one class, in roster order."""

    name: str
    id: str  # the id printed for people: the SIS identifier
    accommodations: frozenset[str]
    origin: Location


@dataclass(frozen=True)
class ClassSection:
    """A class (section) with its teacher and its students in roster order."""

    id: str  # stable key: the simple CSV's class value, or OneRoster's sourcedId
    name: str  # what is printed: the class value, or OneRoster's title
    code: str  # a short code for file names (OneRoster classCode), may be empty
    teacher: str
    period: str
    school: str
    students: tuple[Student, ...]
    origin: Location


@dataclass(frozen=True)
class Roster:
    """Every class that has students, in the order first seen, and the files read."""

    classes: tuple[ClassSection, ...]
    files: tuple[Path, ...] = field(default=())


# --- CSV reading ----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A CSV row as a mapping from normalised header names, with its line."""

    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        """The stripped value of a column, empty when absent."""
        return self.values.get(name, "").strip()

    def text(self, name: str, label: str, csvf: CsvFile, problems: list[Problem],
             limit: str | None = None) -> str:
        """A column that is printed or names a file, cleaned (see `clean_text`); a cell
        that breaks the rules of `text_problem` is reported at this row, and read empty."""
        value = clean_text(self.get(name))
        bad = text_problem(label, value, MAX_LENGTHS[limit or label] if (
            limit or label) in MAX_LENGTHS else None)
        if bad is not None:
            problems.append(Problem(csvf.at(self.line), *bad))
            return ""
        return value


def header_name(text: str) -> str:
    """A header as compared: `Student Name` and `student-name` both read `student_name`."""
    return "_".join(text.strip().lower().replace("-", " ").split())


class CsvFile:
    """A CSV file read whole: its header, its rows with line numbers, and where it is shown."""

    def __init__(self, path: Path, shown: str, header: list[str], rows: list[Row],
                 raw_header: list[str] | None = None) -> None:
        self.path, self.shown, self.header, self.rows = path, shown, header, rows
        self.raw_header = raw_header if raw_header is not None else header

    def at(self, line: int) -> Location:
        """A row-level location: `file:line`."""
        return Location(self.shown, line, 0)

    def require(self, columns: Sequence[str | tuple[str, ...]], problems: list[Problem],
                why: str = "") -> dict[str, str] | None:
        """Map each wanted column (or its first present alias) to the header name found.

        Reports every missing column at line 1 and returns None when any is missing.
        """
        found: dict[str, str] = {}
        missing = []
        for want in columns:
            names = (want,) if isinstance(want, str) else want
            hit = next((n for n in names if n in self.header), None)
            if hit is None:
                missing.append(names)
            else:
                found[names[0]] = hit
        expected = ", ".join(w if isinstance(w, str) else w[0] for w in columns)
        other = self._other_separator(columns)
        if other:
            # a spreadsheet set to another list separator: say so, whatever it found
            problems.append(Problem(self.at(1), f"the columns are separated by {other}, not "
                                    "commas", "export the file as 'CSV UTF-8 (comma "
                                    "delimited)', or replace the separators with commas"))
            return None
        if not found and columns:
            # not a roster (a secrets file, say): do not echo its first line
            problems.append(Problem(self.at(1), "this is not a roster: its first line names "
                                    "none of the columns a roster needs", "expected columns: "
                                    + expected))
            return None
        dup = False
        seen: dict[str, int] = {}
        for i, name in enumerate(self.header):
            if name in seen:
                first = seen[name]
                problems.append(Problem(self.at(1), f"columns {first + 1} and {i + 1} "
                                        f"('{_shown(self.raw_header[first])}' and "
                                        f"'{_shown(self.raw_header[i])}') are the same "
                                        f"column '{name}'", "header names are compared without "
                                        "case, spaces or dashes: rename or remove one"))
                dup = True
            seen.setdefault(name, i)
        for names in missing:
            alias = f" (or {', '.join(names[1:])})" if len(names) > 1 else ""
            problems.append(Problem(self.at(1), f"missing column '{names[0]}'{alias}",
                                    why or f"the header has: {', '.join(self.header)}"))
        return None if missing or dup else found

    def _other_separator(self, columns: Sequence[str | tuple[str, ...]]) -> str:
        """'semicolons' or 'tabs' when the header is one cell that those would split into
        columns a roster needs; else ''."""
        if len(self.header) != 1:
            return ""
        wanted = {n for w in columns for n in ((w,) if isinstance(w, str) else w)}
        for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if any(header_name(c) in wanted for c in self.raw_header[0].split(sep)[1:]):
                return name
        return ""


def read_csv(path: Path, shown: str, problems: list[Problem]) -> CsvFile | None:
    """Read a UTF-8 CSV with a header row; report unreadable files and bad bytes."""
    try:
        raw = read_regular(str(path), MAX_CSV_BYTES)  # a FIFO or device is refused, not read
    except NotAFile as e:
        problems.append(Problem(Location(shown), f"{path.name} {e.args[0]}", e.args[1]))
        return None
    if len(raw) > MAX_CSV_BYTES:
        problems.append(Problem(Location(shown), "file is larger than 200 MB",
                                "split the roster by school"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        problems.append(Problem(Location(shown, line, 0),
                                f"the file is not UTF-8: byte 0x{raw[e.start]:02X} is not valid "
                                "UTF-8 text", "export or save the file as 'CSV UTF-8'"))
        return None
    rows: list[Row] = []
    header: list[str] | None = None
    raw_header: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if "\x00" in "".join(cells):
                problems.append(Problem(Location(shown, start, 0), "the row holds a NUL byte",
                                        "export the file again as CSV"))
                continue
            if header is None:
                header, raw_header = [header_name(c) for c in cells], cells
                continue
            if len(cells) > len(header):
                problems.append(Problem(Location(shown, start, 0),
                                        f"the row has {len(cells)} cells but the header has "
                                        f"{len(header)}", "quote cells that contain commas"))
                continue
            rows.append(Row(start, dict(zip(header, cells, strict=False))))
    except csv.Error as e:
        problems.append(Problem(Location(shown, reader.line_num, 0), f"bad CSV: {e}",
                                "check the quotes on this line"))
        return None
    if header is None:
        problems.append(Problem(Location(shown, 1, 0), "the file is empty",
                                "the first row names the columns"))
        return None
    return CsvFile(path, shown, header, rows, raw_header)


def flag(row: Row, column: str, csvf: CsvFile, problems: list[Problem]) -> bool:
    """A yes/no accommodation cell; an empty cell means no."""
    value = row.get(column).lower()
    if value in YES:
        return True
    if value not in NO:
        problems.append(Problem(csvf.at(row.line),
                                f"{column}: '{row.get(column)}' is not yes or no",
                                "write yes/no, true/false or 1/0; an empty cell means no"))
    return False


# --- the simple CSV --------------------------------------------------------------------

SIMPLE_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("student_name", "name", "student"),
    ("student_id", "id"),
    ("class", "section", "class_section"),
    ("teacher",),
    ("period",),
)


def read_simple(path: Path, shown: str, accommodations: Sequence[str],
                problems: list[Problem]) -> Roster:
    """A roster from one CSV: student_name, student_id, class, teacher, period, accommodations.

    Rows keep their order within each class. An optional `school` column names
    each class's school.
    """
    csvf = read_csv(path, shown, problems)
    if csvf is None:
        return Roster((), (path,))
    cols = csvf.require([*SIMPLE_COLUMNS, *accommodations], problems)
    if cols is None:
        return Roster((), (path,))
    name_c, id_c, class_c = cols["student_name"], cols["student_id"], cols["class"]
    classes: dict[str, ClassDraft] = {}
    names_by_id: dict[str, tuple[str, int]] = {}
    for row in csvf.rows:
        before = len(problems)
        name = row.text(name_c, "student_name", csvf, problems)
        sid = row.text(id_c, "student_id", csvf, problems)
        cls = row.text(class_c, "class", csvf, problems)
        for label, col in (("student_name", name_c), ("student_id", id_c), ("class", class_c)):
            if not row.get(col):
                problems.append(Problem(csvf.at(row.line), f"{label} is empty",
                                        "every row needs a student name, id and class"))
        teacher = row.text("teacher", "teacher", csvf, problems)
        period = row.text("period", "period", csvf, problems)
        school = row.text("school", "school", csvf, problems)
        acc = frozenset(a for a in accommodations if flag(row, a, csvf, problems))
        if len(problems) > before:
            continue
        draft = classes.get(cls)
        if draft is None:
            draft = classes[cls] = ClassDraft(cls, cls, "", teacher, period, school,
                                               csvf.at(row.line))
        else:
            for label, mine, theirs in (("teacher", teacher, draft.teacher),
                                        ("period", period, draft.period),
                                        ("school", school, draft.school)):
                if mine != theirs:
                    problems.append(Problem(
                        csvf.at(row.line),
                        f"class '{cls}' has {label} '{theirs}' on line {draft.origin.line}, "
                        f"not '{mine}'", f"give every row of a class the same {label}"))
        if sid in draft.seen:
            problems.append(Problem(csvf.at(row.line),
                                    f"duplicate student id '{sid}' in class '{cls}' "
                                    f"(first on line {draft.seen[sid]})", "remove one of the rows"))
            continue
        first = names_by_id.get(sid)
        if first is not None and first[0] != name:
            problems.append(Problem(csvf.at(row.line),
                                    f"student id '{sid}' is '{first[0]}' on line {first[1]}, "
                                    f"not '{name}'", "each student id belongs to one student"))
            continue
        names_by_id.setdefault(sid, (name, row.line))
        draft.seen[sid] = row.line
        draft.students.append(Student(name, sid, acc, csvf.at(row.line)))
    return Roster(tuple(d.freeze() for d in classes.values()), (path,))


@dataclass
class ClassDraft:
    id: str
    name: str
    code: str
    teacher: str
    period: str
    school: str
    origin: Location
    students: list[Student] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)

    def freeze(self) -> ClassSection:
        return ClassSection(self.id, self.name, self.code, self.teacher, self.period,
                            self.school, tuple(self.students), self.origin)
