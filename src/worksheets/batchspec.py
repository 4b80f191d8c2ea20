"""The batch spec: which lessons, which roster, and how accommodations pick variant x layout.

A spec is a YAML file read with the project's safe loader and validated with
pydantic; every problem is reported as `path:line:col: message (hint)`.
Paths inside the spec are relative to the spec file's folder.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ._yaml import Loaded, load_yaml, read_text
from .errors import Location, Problem

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=300)]
PathText = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RosterFile(_Strict):
    """Where the students come from."""

    format: Literal["simple", "oneroster"] = Field(
        "simple", description="simple (one CSV) or oneroster (a OneRoster 1.1 CSV folder).")
    file: PathText | None = Field(None, description="simple: the roster CSV.")
    folder: PathText | None = Field(
        None, description="oneroster: the folder with users.csv, classes.csv, enrollments.csv.")
    accommodations: PathText | None = Field(
        None, description="oneroster: a CSV of accommodations keyed by userSourcedId.")
    classes: list[Text] | None = Field(
        None, min_length=1,
        description="Only these classes (class value, or OneRoster sourcedId or classCode).")


class PickFile(_Strict):
    """What one accommodation changes."""

    variant: Id | None = Field(None, description="The lesson variant it calls for.")
    layout: Text | None = Field(None, description="The layout it calls for (name or path).")


class DefaultsFile(_Strict):
    """What a student without accommodations gets."""

    variant: Id = "standard"
    layout: Text = "letter"


class SpecFile(_Strict):
    """A batch spec file."""

    lesson: PathText | None = Field(None, description="One lesson folder.")
    lessons: list[PathText] | None = Field(None, min_length=1, description="Lesson folders.")
    school: Text | None = Field(None, description="School or district name for the covers.")
    date: Text | datetime.date | None = Field(None, description="Date printed on the covers.")
    roster: RosterFile
    defaults: DefaultsFile = DefaultsFile()
    accommodations: dict[Id, PickFile] = Field(
        default_factory=dict,
        description="Roster column -> variant and/or layout; the first listed wins a tie.")


@dataclass(frozen=True)
class Pick:
    """An accommodation column and what it picks."""

    column: str
    variant: str | None
    layout: str | None
    origin: Location


@dataclass(frozen=True)
class Spec:
    """A validated batch spec with paths resolved against its folder."""

    path: Path
    shown: str
    lessons: tuple[Path, ...]
    school: str
    date: str
    roster_format: str
    roster_file: Path | None
    roster_folder: Path | None
    accommodations_file: Path | None
    classes: tuple[str, ...] | None
    default_variant: str
    default_layout: str
    picks: tuple[Pick, ...]
    loaded: Loaded

    def at(self, *path: str | int) -> Location:
        """Where a value of the spec stands."""
        return self.loaded.at(tuple(path))

    def shown_path(self, p: Path) -> str:
        """A path from the spec as the user should see it."""
        from .load import display_path

        return display_path(p)

    def layout_ref(self, name: str) -> str:
        """A layout name as load_layout takes it: names stay names, paths join the spec folder."""
        if name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name:
            return str(self.path.parent / name)
        return name

    @property
    def layouts(self) -> list[str]:
        """Every layout the spec can pick, default first."""
        out = [self.default_layout]
        out += [p.layout for p in self.picks if p.layout and p.layout not in out]
        return out


def load_spec(path: str | os.PathLike[str], problems: list[Problem]) -> Spec | None:
    """Read and validate a batch spec; append problems and return None when it is unusable."""
    from .load import _validate, display_path

    p = Path(path)
    shown = display_path(p)
    if not p.is_file():
        problems.append(Problem(Location(shown), "no such spec file",
                                "give the path of a batch spec YAML file"))
        return None
    text = read_text(str(p), shown, problems)
    loaded = load_yaml(text, shown, problems) if text is not None else None
    if loaded is None:
        return None
    checked = _validate(SpecFile, loaded, problems)
    if checked is None:
        return None
    f = checked[0]
    base = p.parent
    start = len(problems)
    if f.lesson is None and f.lessons is None:
        problems.append(Problem(Location(shown, 1, 1), "missing required field 'lesson'",
                                "add 'lesson: path/to/lesson-folder' (or 'lessons:' as a list)"))
    if f.lesson is not None and f.lessons is not None:
        problems.append(Problem(loaded.at(("lessons",), key=True),
                                "give either 'lesson' or 'lessons', not both",
                                "move the lesson into the list"))
    names = [f.lesson] if f.lesson is not None else list(f.lessons or [])
    lesson_keys: list[tuple[str | int, ...]] = (
        [("lesson",)] if f.lesson is not None else [("lessons", i) for i in range(len(names))])
    lessons = []
    for name, key in zip(names, lesson_keys, strict=True):
        folder = base / name
        if not (folder / "lesson.yaml").is_file():
            problems.append(Problem(loaded.at(key), f"no lesson folder at '{name}'",
                                    "paths are relative to the spec file's folder"))
        lessons.append(folder)
    r = f.roster
    roster_file = roster_folder = acc_file = None
    if r.format == "simple":
        if r.file is None:
            problems.append(Problem(loaded.at(("roster",), key=True),
                                    "roster: missing required field 'file'",
                                    "add 'file: roster.csv' (relative to the spec)"))
        else:
            roster_file = base / r.file
            if not roster_file.is_file():
                problems.append(Problem(loaded.at(("roster", "file")),
                                        f"roster: no file at '{r.file}'",
                                        "paths are relative to the spec file's folder"))
        for k in ("folder", "accommodations"):
            if getattr(r, k) is not None:
                problems.append(Problem(loaded.at(("roster", k), key=True),
                                        f"roster: '{k}' is for format: oneroster",
                                        "a simple roster has accommodation columns in its CSV"))
    else:
        if r.folder is None:
            problems.append(Problem(loaded.at(("roster",), key=True),
                                    "roster: missing required field 'folder'",
                                    "add 'folder: oneroster' (the export's folder)"))
        else:
            roster_folder = base / r.folder
            if not roster_folder.is_dir():
                problems.append(Problem(loaded.at(("roster", "folder")),
                                        f"roster: no folder at '{r.folder}'",
                                        "paths are relative to the spec file's folder"))
        if r.accommodations is not None:
            acc_file = base / r.accommodations
            if not acc_file.is_file():
                problems.append(Problem(loaded.at(("roster", "accommodations")),
                                        f"roster: no file at '{r.accommodations}'",
                                        "paths are relative to the spec file's folder"))
        if r.file is not None:
            problems.append(Problem(loaded.at(("roster", "file"), key=True),
                                    "roster: 'file' is for format: simple",
                                    "name the export's folder with 'folder:'"))
    picks = []
    for col, pick in f.accommodations.items():
        if pick.variant is None and pick.layout is None:
            problems.append(Problem(loaded.at(("accommodations", col), key=True),
                                    f"accommodations.{col}: picks nothing",
                                    "give it a variant, a layout, or both"))
        picks.append(Pick(col, pick.variant, pick.layout, loaded.at(("accommodations", col))))
    if len(problems) > start:
        return None
    date = f.date.isoformat() if isinstance(f.date, datetime.date) else (f.date or "")
    return Spec(
        path=p, shown=shown, lessons=tuple(lessons), school=f.school or "", date=date,
        roster_format=r.format, roster_file=roster_file, roster_folder=roster_folder,
        accommodations_file=acc_file, classes=tuple(r.classes) if r.classes else None,
        default_variant=f.defaults.variant, default_layout=f.defaults.layout,
        picks=tuple(picks), loaded=loaded,
    )
