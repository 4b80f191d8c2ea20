"""Problems with the author's files: where they are, what is wrong, how to fix it.

This module imports nothing from Click, YAML or reportlab so every stage can use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column in an author's file (column 0: the whole line, as in CSV)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.col <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, at one place."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self, with_severity: bool = False) -> str:
        """`path:line:col: message (hint)`; warnings always say so."""
        label = ""
        if with_severity or self.severity != "error":
            label = f"{self.severity}: "
        hint = f" ({_bounded(self.hint, 300)})" if self.hint else ""
        # one problem, one line: a value quoted in a message may hold a line break
        line = f"{self.location}: {label}{_bounded(self.message, 500)}{hint}"
        return line.replace("\r", "\\r").replace("\n", "\\n")

    def __str__(self) -> str:
        return self.format()


def _bounded(text: str, limit: int) -> str:
    """A message never prints an author's text whole: a long one keeps its start and end."""
    if len(text) <= limit:
        return text
    return text[: limit * 2 // 3] + " ... " + text[-(limit // 3):]


def shorten(text: str, limit: int = 60) -> str:
    """Text quoted in a message, cut to `limit` characters: a message stays one short line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class WorksheetError(Exception):
    """Base class for every error the library reports to its caller."""


class ContentError(WorksheetError):
    """The lesson content has one or more problems; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(p.format() for p in self.problems))


class OutputError(WorksheetError):
    """An output file could not be written."""


def _problem_order(p: Problem) -> tuple[str, int, int, str]:
    return (p.location.file, p.location.line, p.location.col, p.message)


def raise_if_errors(problems: Iterable[Problem]) -> None:
    """Raise one ContentError carrying every error, if there is any."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)
