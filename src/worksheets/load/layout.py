"""Page layouts: paper, margins, type sizes and spacing, read from `layouts/*.yaml`.

The bundled layouts (`letter`, `a4`, `large-print`) ship inside the package and are
always found; a project's `layouts/` folder and a lesson's own `layouts/` add to them
or override them by name. A layout file may `extends:` another (by name, from any of
these folders) and override any field. Each
field carries its type, default and help text; dimensions take units
("0.8in", "20mm", "12pt"; a bare number is points).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct
from msgspec.structs import asdict

from ..errors import Location, Problem, raise_if_errors, shorten
from .files import display_path
from .text import read_text
from .validate import Issue, convert
from .yaml import Loaded, load_yaml

_UNITS = {"pt": 1.0, "in": 72.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54}
DIM_PATTERN = r"^\s*(\d+(?:\.\d+)?)\s*(pt|in|mm|cm)?\s*$"
_DIM = re.compile(DIM_PATTERN)

# A layout's name is part of every output file name: one safe path component.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*(?!\n)$"

PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}


Dim = Annotated[float, Meta(ge=0, le=2000)]
# The layouts that ship with the package: found from any folder, last in every search.
BUNDLED = Path(__file__).resolve().parent.parent / "layouts"
BUILT_IN = tuple(sorted(p.stem for p in BUNDLED.glob("*.yaml")))


class Layout(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """How a worksheet is put on paper."""

    name: Annotated[str, Meta(
        pattern=NAME_PATTERN, max_length=64,
        description="The layout's name, used in output file names: letters, digits, '-' and "
                    "'_'.")] = "letter"
    extends: Annotated[
        str | None, Meta(description="Another layout to start from, by name.")] = None
    paper: Annotated[
        Literal["letter", "a4"], Meta(description="Paper size: letter or a4.")] = "letter"
    margin_left: Annotated[Dim, Meta(description="Left margin (0.8in on Letter).")] = 57.6
    margin_right: Annotated[Dim, Meta(description="Right margin.")] = 57.6
    margin_top: Annotated[
        Dim, Meta(description="Top margin; the header stands inside it.")] = 68.76
    margin_bottom: Annotated[
        Dim, Meta(description="Bottom margin; the footer stands inside it.")] = 68.76
    serif: Annotated[
        Literal["serif", "sans"], Meta(description="Face for document texts.")] = "serif"
    body_size: Annotated[
        float, Meta(ge=6, le=40, description="Document text size in points.")] = 11.0
    text_size: Annotated[
        float, Meta(ge=6, le=40, description="Questions and instructions, points.")] = 10.0
    caption_size: Annotated[
        float, Meta(ge=5, le=40, description="Source captions, points.")] = 8.5
    title_size: Annotated[float, Meta(ge=8, le=60, description="Lesson title, points.")] = 17.0
    heading_size: Annotated[
        float, Meta(ge=7, le=50, description="Document headings, points.")] = 13.0
    leading: Annotated[
        float, Meta(ge=1.0, le=3.0, description="Line height as a multiple of size.")] = 1.3
    justify: Annotated[
        bool, Meta(description="Justify document text (false: ragged right).")] = False
    answer_line_spacing: Annotated[
        Dim, Meta(description="Distance between answer lines.")] = 24.0
    cell_line_spacing: Annotated[
        Dim, Meta(description="Height per 'line' of an organizer cell.")] = 18.0
    footer: Annotated[
        bool, Meta(description="Print the footer (title, page x of y, attribution).")] = True
    min_text_size: Annotated[
        float, Meta(ge=0, le=40, description="Nothing a student reads is set smaller than "
                    "this, in points: questions, choices, hints, vocabulary, organizer cells, "
                    "captions, the key's answers (large print: 18). 0: sizes as derived, "
                    "table cells 0.5 to 1.5 pt below text_size.")] = 0.0
    footer_size: Annotated[
        float, Meta(ge=5, le=40, description="The footer's title and page numbers, and "
                    "the size the header and the attribution are scaled from, points.")] = 8.0
    footer_min_size: Annotated[
        float, Meta(ge=0, le=40, description="Large print when set: the smallest size of "
                    "the page furniture (Teacher Key banner, name stamp) in points; the "
                    "footer's title and page numbers are set at footer_size and never "
                    "shrunk (a long title is cut), and the attribution is printed once, "
                    "after the worksheet, in the text's size. 0: the footer carries the "
                    "attribution, and long lines shrink to fit (down to 5.5 pt).")] = 0.0
    line_number_size: Annotated[
        float, Meta(ge=0, le=40, description="Line numbers in the margin of document "
                    "texts, points (large print: 14). 0: 70% of body_size, at most 8.")] = 0.0

    @property
    def page_size(self) -> tuple[float, float]:
        """Paper width and height in points."""
        return PAGE_SIZES[self.paper]

    @property
    def text_width(self) -> float:
        """The width of the text block: the page less its side margins."""
        return self.page_size[0] - self.margin_left - self.margin_right

    @property
    def frame_height(self) -> float:
        """The height of the text block: the page less its top and bottom margins."""
        return self.page_size[1] - self.margin_top - self.margin_bottom


_FIELDS = {f.name for f in msgspec.structs.fields(Layout)}

# The fields that take a length: a number of points, or text with a unit ("0.8in", "20mm").
LENGTHS = (
    "margin_left", "margin_right", "margin_top", "margin_bottom", "body_size", "text_size",
    "caption_size", "title_size", "heading_size", "answer_line_spacing", "cell_line_spacing",
)


def _lengths(data: dict[str, Any], issues: list[Issue]) -> dict[str, Any]:
    """`data` with lengths written with units in points; a length that cannot be read is
    an issue, and is left out so that it is reported once."""
    out = dict(data)
    for k in LENGTHS:
        value = out.get(k)
        if isinstance(value, str):
            m = _DIM.match(value)
            if m:
                out[k] = float(m.group(1)) * _UNITS[m.group(2) or "pt"]
            else:
                issues.append(Issue("value_error", (k,), value, msg=f"'{value}' is not a length "
                                    "(write it like 0.8in, 20mm or 12pt)"))
                del out[k]
    return out


def layout_dirs(near: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    """Where layouts are looked up by name, first match wins: each of `near`'s (lesson
    folders') own layouts/, ./layouts, the layouts/ folder of the project each lesson
    belongs to (beside its content/ folder), then the bundled layouts."""
    lessons = [Path(lesson).resolve() for lesson in near]
    found = [*(p / "layouts" for p in lessons), Path.cwd() / "layouts",
             *(p.parent.parent / "layouts" for p in lessons), BUNDLED]
    dirs: list[Path] = []
    seen: set[Path] = set()
    for d in found:
        try:
            key = d.resolve()
        except (OSError, RuntimeError):
            continue
        if key not in seen:
            seen.add(key)
            dirs.append(d)
    return dirs


def available_layouts(dirs: Sequence[Path] | None = None) -> list[str]:
    """Names of the layouts that can be chosen by name."""
    names: set[str] = set()
    for d in layout_dirs() if dirs is None else [*dirs, BUNDLED]:
        try:
            names.update(p.stem for p in d.glob("*.yaml")
                         if re.match(NAME_PATTERN, p.stem) and p.is_file())
        except OSError:
            continue
    return sorted(names)


def load_layout(name_or_path: str, dirs: Sequence[Path] | None = None) -> Layout:
    """A layout by name (layouts/NAME.yaml) or by path to a YAML file; raise ContentError."""
    search = layout_dirs() if dirs is None else list(dirs)
    problems: list[Problem] = []
    origins: dict[str, Location] = {}
    layout = _load(name_or_path, problems, (), search, origins)
    raise_if_errors(problems)
    assert layout is not None
    path = _find(name_or_path, search)
    where = Location(display_path(path), 1, 1) if path else Location(name_or_path)
    raise_if_errors(_room_problems(layout, where, origins))
    return layout


MIN_MARGIN = 18.0  # 0.25 in: printers leave this much of each edge unprinted
MARGINS = ("margin_left", "margin_right", "margin_top", "margin_bottom")


def _room_problems(layout: Layout, where: Location,
                   origins: dict[str, Location]) -> list[Problem]:
    """A page that leaves no room to lay out a worksheet, found before any rendering, each
    problem at the line that sets the value (in the layout or the one it extends).

    Checked on the finished layout only: a file may fix what its `extends:` parent sets.
    """
    across, down = layout.text_width, layout.frame_height
    out = []
    for m in MARGINS:
        value = getattr(layout, m)
        if value < MIN_MARGIN:
            out.append(Problem(origins.get(m, where), f"{m}: {value / 72:.2f} in puts the "
                               f"{'banner, ' if m == 'margin_top' else ''}"
                               f"{'footer, ' if m == 'margin_bottom' else ''}text "
                               "or line numbers off the printable area",
                               "printers leave 0.25 in of each edge blank: use at least 0.25in"))
    if across < 216 or down < 288:
        pair = ("margin_left", "margin_right") if across < 216 else ("margin_top",
                                                                      "margin_bottom")
        at = next((origins[k] for k in pair if k in origins), where)
        out.append(Problem(at, f"the margins leave a text area of {max(across, 0) / 72:.1f} "
                           f"x {max(down, 0) / 72:.1f} in", "leave at least 3 in across and "
                           "4 in down"))
    for field in ("answer_line_spacing", "cell_line_spacing"):
        value = getattr(layout, field)
        if not 6 <= value <= 72:
            out.append(Problem(origins.get(field, where), f"{field}: {value:g} pt is out of "
                               "range", "use a length from 6pt to 1in"))
    return out


def layout_source(name_or_path: str, dirs: Sequence[Path] | None = None) -> str:
    """Where a layout comes from, as a place in a message: its file, or 'NAME (bundled)'."""
    origin = layout_origin(name_or_path, dirs)
    return f"{name_or_path} ({origin})" if origin in ("bundled", "not found") else origin


def layout_origin(name_or_path: str, dirs: Sequence[Path] | None = None) -> str:
    """Where `worksheets list` says a layout comes from: 'bundled', or its file (saying when
    it overrides a bundled layout of the same name)."""
    path = _find(name_or_path, layout_dirs() if dirs is None else dirs)
    if path is None:
        return "not found"
    if path.parent.resolve() == BUNDLED:
        return "bundled"
    shown = display_path(path)
    if path.stem in BUILT_IN and path.stem == name_or_path:
        return f"{shown} (overrides the bundled one)"
    return shown


def _find(name_or_path: str, dirs: Sequence[Path]) -> Path | None:
    """The file of a layout: a path as given, or NAME.yaml in the first of `dirs` that has it
    (a name is looked up only inside those folders: never a link out of them)."""
    try:
        if name_or_path.endswith((".yaml", ".yml")) or os.sep in name_or_path or (
                "/" in name_or_path):
            p = Path(name_or_path)
            return p if p.is_file() else None
        if not re.match(NAME_PATTERN, name_or_path):
            return None
        for d in [*dirs, BUNDLED]:
            p = d / f"{name_or_path}.yaml"
            if p.is_file() and p.resolve().is_relative_to(d.resolve()):
                return p
    except (OSError, RuntimeError, ValueError):  # a name too long for the disk, a link loop
        return None
    return None


def _load(name_or_path: str, problems: list[Problem], chain: tuple[str, ...],
          dirs: Sequence[Path], origins: dict[str, Location] | None = None) -> Layout | None:
    from .files import display_path

    path = _find(name_or_path, dirs)
    if path is None:
        problems.append(Problem(Location(shorten(name_or_path)),
                                f"no layout '{shorten(name_or_path)}'",
                                "choose one of: " + ", ".join(available_layouts(dirs))))
        return None
    shown = display_path(path)
    text = read_text(str(path), shown, problems)
    loaded = load_yaml(text, shown, problems) if text is not None else None
    if loaded is None:
        return None
    data = loaded.data if loaded.data is not None else {}
    if not isinstance(data, dict):
        problems.append(Problem(Location(shown, 1, 1), "expected a mapping of layout fields",
                                "for instance: paper: a4"))
        return None
    if data and not any(k in _FIELDS for k in data):
        # not a layout at all (a secrets file, say): say so without echoing its keys
        problems.append(Problem(Location(shown, 1, 1), "this is not a layout file: none of "
                                "its keys is a layout setting", "a layout sets paper, "
                                "margins and type sizes; see docs/authoring.md"))
        return None
    base: dict[str, Any] = {}
    parent = data.get("extends")
    if isinstance(parent, str):
        at = loaded.at(("extends",))
        if not re.match(NAME_PATTERN, parent):
            # a name, never a path: a layout extends only layouts of the layout folders
            problems.append(Problem(at, f"extends: '{shorten(parent)}' is not a layout name",
                                    "name a layout of the layouts folders, such as letter"))
            return None
        here = (*chain, path.stem)
        if parent == path.stem:  # its own name: the layout it overrides, further down
            return _load_overridden(path, data, loaded, problems, chain, dirs, origins)
        if parent in here:
            cycle = " -> ".join((*here[here.index(parent):], parent))
            if len(here) - here.index(parent) == 1:
                msg = f"layout '{parent}' extends itself"
            else:
                msg = f"extends: the layouts {cycle} form a cycle"
            problems.append(Problem(at, msg, "remove the cycle"))
            return None
        # a layout extends one beside it first
        near = [path.parent, *dirs]
        if _find(parent, near) is None:
            problems.append(Problem(at, f"extends: no layout '{shorten(parent)}'",
                                    "choose one of: " + ", ".join(available_layouts(near))))
            return None
        parent_layout = _load(parent, problems, here, near, origins)
        if parent_layout is None:
            return None
        base = asdict(parent_layout)
    return _finish(path, data, loaded, base, problems, origins)


def _load_overridden(path: Path, data: dict[str, Any], loaded: Loaded,
                     problems: list[Problem], chain: tuple[str, ...], dirs: Sequence[Path],
                     origins: dict[str, Location] | None) -> Layout | None:
    """A layout that extends its own name (a project's letter.yaml with `extends: letter`):
    it builds on the layout of that name in the folders after its own, the bundled last."""
    lower = list(dirs)
    for i, d in enumerate(dirs):
        try:
            if (d / path.name).resolve() == path.resolve():
                lower = list(dirs[i + 1:])
                break
        except (OSError, RuntimeError):
            continue
    below = _find(path.stem, lower)
    if below is None or below.resolve() == path.resolve():
        problems.append(Problem(loaded.at(("extends",)), f"layout '{path.stem}' extends itself",
                                "name another layout, or remove 'extends:'"))
        return None
    parent_layout = _load(path.stem, problems, chain, lower, origins)
    if parent_layout is None:
        return None
    return _finish(path, data, loaded, asdict(parent_layout), problems, origins)


def _finish(path: Path, data: dict[str, Any], loaded: Loaded, base: dict[str, Any],
            problems: list[Problem], origins: dict[str, Location] | None) -> Layout | None:
    """The layout of a file's `data` over its parent's values `base`."""
    from .files import display_path
    from .issues import translate

    shown = display_path(path)
    if "name" not in data and not re.match(NAME_PATTERN, path.stem):
        problems.append(Problem(Location(shown, 1, 1), f"the file name '{shorten(path.stem)}' "
                                "cannot name the PDF files made with this layout",
                                "add 'name:' with letters, digits, '-' and '_'"))
        return None
    if origins is not None:  # where each value is set: this file overrides its parent
        origins.update({k: loaded.at((k,)) for k in data if isinstance(k, str)})
    merged = {**base, **data, "name": data.get("name", path.stem)}
    issues: list[Issue] = []
    layout, more = convert(_lengths(merged, issues), Layout)
    issues += more
    if issues:
        problems.extend(translate(issues, Layout, Loaded(shown, merged, loaded.marks)))
        return None
    return layout
