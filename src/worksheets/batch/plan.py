"""Batch planning: the spec, lessons, layouts and roster loaded and checked together, then
one packet per class x lesson x paper, students in roster order with their version."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ContentError, Location, Problem, raise_if_errors
from ..load import display_path
from ..load.layout import Layout, load_layout
from ..model import Lesson
from .oneroster import read_oneroster
from .roster import (
    MAX_LENGTHS,
    ClassSection,
    Roster,
    Student,
    read_simple,
    text_problem,
)
from .spec import Spec, load_spec

Shard = tuple[int, int]


@dataclass(frozen=True)
class Seat:
    """A student with the variant and layout their accommodations call for."""

    student: Student
    variant: str
    layout: Layout


@dataclass(frozen=True)
class PacketPlan:
    """One packet to make: a class's students on one paper size, for one lesson."""

    filename: str
    lesson_id: str
    cls: ClassSection
    paper: str
    seats: tuple[Seat, ...]
    key_layout: Layout
    school: str
    date: str

    @property
    def variants(self) -> dict[str, int]:
        """Students per variant, in first-seen order."""
        return dict(Counter(s.variant for s in self.seats))

    @property
    def layouts(self) -> dict[str, int]:
        """Students per layout, in first-seen order."""
        return dict(Counter(s.layout.name for s in self.seats))

    def key_variants(self) -> list[str]:
        """The variants whose keys the packet ends with, in first-seen order."""
        return list(self.variants)


def parse_shard(text: str) -> Shard:
    """`i/n` with 1 <= i <= n; raise ValueError with a readable message otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m:
        raise ValueError(f"'{text}' is not i/n (for example 2/4)")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise ValueError(f"'{text}': i must be between 1 and n (for example 1/{max(n, 2)})")
    return i, n


# --- loading and planning ------------------------------------------------------------------


@dataclass(frozen=True)
class BatchInput:
    """Everything a batch needs, validated."""

    spec: Spec
    lessons: tuple[Lesson, ...]
    layouts: dict[str, Layout]
    roster: Roster
    classes: tuple[ClassSection, ...]


def load(spec_path: str | os.PathLike[str]) -> BatchInput:
    """Load the spec, its lessons, layouts and roster; raise one ContentError listing all."""
    from ..pipeline import load_all

    problems: list[Problem] = []
    spec = load_spec(spec_path, problems)
    if spec is None:
        raise ContentError(problems)
    lessons: list[Lesson] = []
    try:
        lessons = load_all(spec.lessons)
    except ContentError as e:
        problems.extend(e.problems)
    seen: dict[str, int] = {}
    for i, lesson in enumerate(lessons):
        if lesson.id in seen:
            problems.append(Problem(spec.at("lessons", i), f"two lessons are named "
                                    f"'{lesson.id}' (also lessons[{seen[lesson.id]}])",
                                    "packet file names use the lesson folder's name: rename one"))
        seen.setdefault(lesson.id, i)
    layouts = _layouts(spec, problems)
    columns = [p.column for p in spec.picks]
    before = len(problems)
    if spec.roster_format == "simple":
        assert spec.roster_file is not None
        roster = read_simple(spec.roster_file, display_path(spec.roster_file), columns, problems)
    else:
        assert spec.roster_folder is not None
        acc = spec.accommodations_file
        roster = read_oneroster(spec.roster_folder, display_path(spec.roster_folder), acc,
                                display_path(acc) if acc else "", columns, problems)
    for lesson in lessons:
        wanted = [(spec.default_variant, spec.at("defaults", "variant"))]
        wanted += [(p.variant, spec.at("accommodations", p.key, "variant"))
                   for p in spec.picks if p.variant]
        for name, at in wanted:
            if name not in lesson.variants:
                problems.append(Problem(at, f"lesson '{lesson.id}' has no variant '{name}'",
                                        "choose one of: " + ", ".join(lesson.variants)))
    _unprintable(spec, roster, problems)
    # A roster that could not be read has no classes: do not also call each one unknown.
    classes = _select_classes(spec, roster, problems if len(problems) == before else [])
    if not classes and not problems:
        problems.append(Problem(Location(spec.shown, 1, 1), "the roster has no students",
                                "check the roster files the spec names"))
    raise_if_errors(problems)
    return BatchInput(spec, tuple(lessons), layouts, roster, classes)


def _unprintable(spec: Spec, roster: Roster, problems: list[Problem]) -> None:
    """Text the cover and the stamps cannot print (a blank box on paper), or spec text held
    to the rules for roster cells, reported instead."""
    from reportlab.pdfbase import pdfmetrics

    from ..fonts import SANS, register_fonts

    register_fonts()
    cmap = pdfmetrics.getFont(SANS).face.charToGlyph
    seen: set[str] = set()

    def check(label: str, text: str, where: Location) -> None:
        if text in seen:
            return
        seen.add(text)
        bad = sorted({ch for ch in text if ord(ch) not in cmap and not ch.isspace()})
        if bad:
            problems.append(Problem(where, f"{label}: '{text}' has characters the bundled "
                                    f"fonts cannot print: {' '.join(bad)}",
                                    "write it in Latin, Greek or Cyrillic letters"))

    for key, text in (("school", spec.school), ("date", spec.date)):
        bad = text_problem(key, text, MAX_LENGTHS["school"])
        if bad is not None:  # a YAML escape ("\n", "\t") makes what a file may not hold
            problems.append(Problem(spec.at(key), *bad))
        else:
            check(key, text, spec.at(key))
    for c in roster.classes:
        for label, text in (("class", c.name), ("class_code", c.code), ("teacher", c.teacher),
                            ("period", c.period), ("school", c.school)):
            check(label, text, c.origin)
        for st in c.students:
            check("student_name", st.name, st.origin)
            check("student_id", st.id, st.origin)


def _layouts(spec: Spec, problems: list[Problem]) -> dict[str, Layout]:
    out: dict[str, Layout] = {}
    refs = [(spec.default_layout, spec.at("defaults", "layout"))]
    refs += [(p.layout, spec.at("accommodations", p.key, "layout"))
             for p in spec.picks if p.layout]
    for name, at in refs:
        if name in out:
            continue
        try:
            out[name] = layout = load_layout(spec.layout_ref(name))
            other = next((k for k, v in out.items() if k != name and v.name.casefold() ==
                          layout.name.casefold() and v != layout), None)
            if other is not None:
                problems.append(Problem(at, f"layouts '{other}' and '{name}' are both named "
                                        f"'{layout.name}'", "give each layout its own 'name:'"))
        except ContentError as e:
            for p in e.problems:
                if p.message.startswith("no layout") and p.location.line == 0:
                    problems.append(Problem(at, f"no layout '{name}'", p.hint))
                else:
                    problems.append(p)
    return out


def _select_classes(spec: Spec, roster: Roster, problems: list[Problem]) -> tuple[
        ClassSection, ...]:
    if spec.classes is None:
        return roster.classes
    by_key: dict[str, ClassSection] = {}
    for c in roster.classes:
        for k in (c.id, c.code, c.name):
            if k:
                by_key.setdefault(k, c)
    chosen: list[ClassSection] = []
    for i, key in enumerate(spec.classes):
        found = by_key.get(key)
        if found is None:
            problems.append(Problem(spec.at("roster", "classes", i),
                                    f"unknown class '{key}' (no students in the roster)",
                                    "name a class by its roster value, sourcedId or classCode"))
        elif found not in chosen:
            chosen.append(found)
    return tuple(sorted(chosen, key=roster.classes.index))


def slug(text: str) -> str:
    """A file-name-safe form of a class name: `U.S. History (P3)` -> `u-s-history-p3`."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return s[:60].rstrip("-") or "class"


def class_slugs(classes: Sequence[ClassSection]) -> dict[str, str]:
    """A unique file-name stem per class id; clashing names get a short hash of the id."""
    stems = {c.id: slug(c.code or c.id) for c in classes}
    counts: dict[str, int] = {}
    for s in stems.values():
        counts[s] = counts.get(s, 0) + 1
    return {cid: s if counts[s] == 1 else f"{s}-{hashlib.sha1(cid.encode()).hexdigest()[:6]}"
            for cid, s in stems.items()}


def plan(data: BatchInput) -> list[PacketPlan]:
    """Every packet of the run, in class order (all shards: the plan is the same for each)."""
    spec, layouts = data.spec, data.layouts
    default_layout = layouts[spec.default_layout]
    slugs = class_slugs(data.classes)
    out = []
    for cls in data.classes:
        seats = [_seat(spec, layouts, st) for st in cls.students]
        papers = [default_layout.paper]
        papers += sorted({s.layout.paper for s in seats} - {default_layout.paper})
        for lesson in data.lessons:
            for paper in papers:
                mine = tuple(s for s in seats if s.layout.paper == paper)
                if not mine:
                    continue
                suffix = "" if paper == default_layout.paper else f"-{paper}"
                key_layout = default_layout if paper == default_layout.paper else mine[0].layout
                out.append(PacketPlan(
                    filename=f"{slugs[cls.id]}-{lesson.id}{suffix}.pdf", lesson_id=lesson.id,
                    cls=cls, paper=paper, seats=mine, key_layout=key_layout,
                    school=spec.school, date=spec.date))
    raise_if_errors(_name_problems(out))
    return out


def _name_problems(plans: Sequence[PacketPlan]) -> list[Problem]:
    """Two packets that would be one file (in any case), or a name too long for the disk:
    found before any work, as the plan is the same for every shard."""
    from ..write import MAX_NAME_BYTES

    problems = []
    seen: dict[str, PacketPlan] = {}
    for p in plans:
        size = len(p.filename.encode("utf-8", "surrogateescape"))
        if size > MAX_NAME_BYTES:
            problems.append(Problem(p.cls.origin, f"the packet file name {p.filename[:60]}... is "
                                    f"too long ({size} bytes; at most {MAX_NAME_BYTES})",
                                    "give the lesson folder a shorter name"))
        first = seen.setdefault(p.filename.casefold(), p)
        if first is not p:
            problems.append(Problem(p.cls.origin, f"class '{p.cls.name}' with lesson "
                                    f"'{p.lesson_id}' and class '{first.cls.name}' with lesson "
                                    f"'{first.lesson_id}' would both be written to "
                                    f"{first.filename}", "rename a lesson folder, or give the "
                                    "classes codes that differ"))
    return problems


def _seat(spec: Spec, layouts: dict[str, Layout], student: Any) -> Seat:
    variant, layout = spec.default_variant, spec.default_layout
    got_v = got_l = False
    for p in spec.picks:  # the first accommodation listed wins
        if p.column not in student.accommodations:
            continue
        if p.variant and not got_v:
            variant, got_v = p.variant, True
        if p.layout and not got_l:
            layout, got_l = p.layout, True
    return Seat(student, variant, layouts[layout])


def in_shard(plans: Sequence[PacketPlan], shard: Shard | None) -> list[PacketPlan]:
    """The packets of one shard: classes sorted by id, every n-th from the i-th."""
    if shard is None:
        return list(plans)
    i, n = shard
    ids = sorted({p.cls.id for p in plans})
    mine = {cid for k, cid in enumerate(ids) if k % n == i - 1}
    return [p for p in plans if p.cls.id in mine]
