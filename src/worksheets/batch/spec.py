"""The batch spec: which lessons, which roster, and how accommodations pick variant x layout.

A spec is a YAML file read with the project's safe loader and validated with
msgspec; every problem is reported as `path:line:col: message (hint)`.
Paths inside the spec are relative to the spec file's folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from msgspec import Meta, field

from ..errors import Location, Problem, shorten
from ..load.scalars import Lookalike
from ..load.shapes import ID_PATTERN, Strict
from ..load.text import read_text
from ..load.yaml import Loaded, load_yaml

Id = Annotated[str, Meta(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, Meta(min_length=1, max_length=300)]
PathText = Annotated[str, Meta(min_length=1, max_length=1000)]


class RosterFile(Strict, frozen=True, kw_only=True):
    """Where the students come from."""

    format: Annotated[
        Literal["simple", "oneroster"],
        Meta(description="simple (one CSV) or oneroster (a OneRoster 1.1 CSV folder)."),
    ] = "simple"
    file: Annotated[PathText | None, Meta(description="simple: the roster CSV.")] = None
    folder: Annotated[
        PathText | None,
        Meta(description="oneroster: the folder with users.csv, classes.csv, enrollments.csv."),
    ] = None
    accommodations: Annotated[
        PathText | None,
        Meta(description="oneroster: a CSV of accommodations keyed by userSourcedId."),
    ] = None
    classes: Annotated[
        Annotated[list[Text], Meta(min_length=1)] | None,
        Meta(description="Only these classes (class value, or OneRoster sourcedId or classCode)."),
    ] = None


class PickFile(Strict, frozen=True, kw_only=True):
    """What one accommodation changes."""

    variant: Annotated[Id | None, Meta(description="The lesson variant it calls for.")] = None
    layout: Annotated[
        Text | None, Meta(description="The layout it calls for (name or path).")] = None


class DefaultsFile(Strict, frozen=True, kw_only=True):
    """What a student without accommodations gets."""

    variant: Id = "standard"
    layout: Text = "letter"


class SpecFile(Strict, frozen=True, kw_only=True):
    """A batch spec file."""

    lesson: Annotated[PathText | None, Meta(description="One lesson folder.")] = None
    lessons: Annotated[
        Annotated[list[PathText], Meta(min_length=1)] | None,
        Meta(description="Lesson folders."),
    ] = None
    school: Annotated[
        Text | None, Meta(description="School or district name for the covers.")] = None
    date: Annotated[Text | None, Meta(description="Date printed on the covers.")] = None
    roster: RosterFile
    defaults: DefaultsFile = field(default_factory=DefaultsFile)
    accommodations: Annotated[
        dict[Id, PickFile],
        Meta(description="Roster column -> variant and/or layout; the first listed wins a tie."),
    ] = field(default_factory=dict)
    editable: Annotated[
        bool, Meta(description="Also write the editable Word edition (DOCX, student and key) "
                               "of every version the packets use, beside them.")] = False
    allow_outside_paths: Annotated[
        bool, Meta(description="Let lessons, roster files and layout files lie outside the "
                               "spec's folder (by default they must be inside it).")] = False


@dataclass(frozen=True)
class Pick:
    """An accommodation column and what it picks."""

    column: str  # as roster headers are compared (see roster.header_name)
    variant: str | None
    layout: str | None
    origin: Location
    key: str = ""  # as the spec writes it


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
    editable: bool = False  # DOCX editions beside the packets

    def at(self, *path: str | int) -> Location:
        """Where a value of the spec stands."""
        return self.loaded.at(tuple(path))

    def shown_path(self, p: Path) -> str:
        """A path from the spec as the user should see it."""
        from ..load import display_path

        return display_path(p)

    def layout_ref(self, name: str) -> str:
        """A layout name as load_layout takes it: names stay names, paths join the spec folder."""
        if _is_path(name):
            return str(self.path.parent / name)
        return name

    @property
    def layouts(self) -> list[str]:
        """Every layout the spec can pick, default first."""
        out = [self.default_layout]
        out += [p.layout for p in self.picks if p.layout and p.layout not in out]
        return out


def _is_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, links followed, lies inside `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def load_spec(path: str | os.PathLike[str], problems: list[Problem]) -> Spec | None:
    """Read and validate a batch spec; append problems and return None when it is unusable."""
    from ..load.files import display_path
    from ..load.issues import validate_file

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
    if isinstance(loaded.data, dict) and isinstance(loaded.data.get("date"), Lookalike):
        # an unquoted date is read as one; the covers print it as written
        loaded.data["date"] = str(loaded.data["date"])
    checked = validate_file(SpecFile, loaded, problems)
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
    def outside(name: str, key: tuple[str | int, ...], what: str) -> bool:
        """A path of the spec that leads out of its folder (refused unless allowed)."""
        if f.allow_outside_paths or _inside(base / name, base):
            return False
        problems.append(Problem(loaded.at(key), f"{what} '{shorten(name)}' is outside the "
                                "spec's folder", "move it into the spec's folder, or add "
                                "'allow_outside_paths: true' to the spec"))
        return True

    lessons = []
    for name, key in zip(names, lesson_keys, strict=True):
        folder = base / name
        if outside(name, key, "lesson"):
            continue
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
        elif not outside(r.file, ("roster", "file"), "roster: file"):
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
        elif not outside(r.folder, ("roster", "folder"), "roster: folder"):
            roster_folder = base / r.folder
            if not roster_folder.is_dir():
                problems.append(Problem(loaded.at(("roster", "folder")),
                                        f"roster: no folder at '{r.folder}'",
                                        "paths are relative to the spec file's folder"))
        if r.accommodations is not None and not outside(
                r.accommodations, ("roster", "accommodations"), "roster: accommodations"):
            acc_file = base / r.accommodations
            if not acc_file.is_file():
                problems.append(Problem(loaded.at(("roster", "accommodations")),
                                        f"roster: no file at '{r.accommodations}'",
                                        "paths are relative to the spec file's folder"))
        if r.file is not None:
            problems.append(Problem(loaded.at(("roster", "file"), key=True),
                                    "roster: 'file' is for format: simple",
                                    "name the export's folder with 'folder:'"))
    for key, ref in [(("defaults", "layout"), f.defaults.layout)] + [
            (("accommodations", c, "layout"), pk.layout) for c, pk in f.accommodations.items()
            if pk.layout]:
        assert ref is not None
        if _is_path(ref):
            outside(ref, key, "layout")
    from .roster import header_name

    picks = []
    columns: dict[str, str] = {}
    for col, pick in f.accommodations.items():
        if pick.variant is None and pick.layout is None:
            problems.append(Problem(loaded.at(("accommodations", col), key=True),
                                    f"accommodations.{col}: picks nothing",
                                    "give it a variant, a layout, or both"))
        # compared with the roster's header as its names are: without case, spaces, dashes
        name = header_name(col)
        if name in columns:
            problems.append(Problem(loaded.at(("accommodations", col), key=True),
                                    f"accommodations: '{col}' and '{columns[name]}' name the "
                                    f"same roster column '{name}'", "roster headers are "
                                    "compared without case, spaces or dashes: keep one"))
        columns.setdefault(name, col)
        picks.append(Pick(name, pick.variant, pick.layout, loaded.at(("accommodations", col)),
                          col))
    if len(problems) > start:
        return None
    date = f.date or ""
    return Spec(
        path=p, shown=shown, lessons=tuple(lessons), school=f.school or "", date=date,
        roster_format=r.format, roster_file=roster_file, roster_folder=roster_folder,
        accommodations_file=acc_file, classes=tuple(r.classes) if r.classes else None,
        default_variant=f.defaults.variant, default_layout=f.defaults.layout,
        picks=tuple(picks), loaded=loaded, editable=f.editable,
    )
