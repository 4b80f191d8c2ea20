"""District batch: one print-ready packet per class, in parallel, resumable and shardable.

load (spec, lessons, layouts, roster; every problem reported at once, nothing
written) -> plan (one packet per class x lesson x paper, students in roster
order with the variant and layout their accommodations call for) -> shard
and resume filters -> render each lesson's worksheets and keys once
(`packet.render_base`) -> assemble the packets in a process pool, each
written atomically and recorded in the manifest.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import time
import unicodedata
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from . import manifest
from .batchspec import Spec, load_spec
from .batchspec import SpecFile as BatchSpec  # the spec file's model, for its JSON Schema
from .errors import ContentError, Location, Problem, WorksheetError, raise_if_errors
from .load import display_path
from .load.layout import Layout, load_layout
from .model import Lesson
from .packet import Base, PacketPlan, Seat, assemble, base_parts, render_base
from .roster import ClassSection, Roster, read_oneroster, read_simple
from .workers import deferred_stop, fork_pool
from .write import prepare_dir, write_atomic

Shard = tuple[int, int]

__all__ = ["BatchSpec", "Loaded", "Progress", "Result", "load", "parse_shard", "plan", "run"]


def parse_shard(text: str) -> Shard:
    """`i/n` with 1 <= i <= n; raise ValueError with a readable message otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m:
        raise ValueError(f"'{text}' is not i/n (for example 2/4)")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise ValueError(f"'{text}': i must be between 1 and n (for example 1/{max(n, 2)})")
    return i, n


@dataclass(frozen=True)
class Item:
    """One packet of the plan, and whether a resumed run keeps the file already there."""

    plan: PacketPlan
    skip: bool = False


@dataclass
class Progress:
    """What the caller is told after each packet (and once at the start)."""

    done: int
    total: int
    pages: int  # pages made in this run so far
    skipped: int
    elapsed: float
    path: str = ""  # the packet just finished ("" at the start)
    packet_pages: int = 0


@dataclass
class Result:
    """What a batch did."""

    outputs: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    manifest: Path | None = None
    planned: list[Item] = field(default_factory=list)


# --- loading and planning ------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """Everything a batch needs, validated."""

    spec: Spec
    lessons: tuple[Lesson, ...]
    layouts: dict[str, Layout]
    roster: Roster
    classes: tuple[ClassSection, ...]


def load(spec_path: str | os.PathLike[str]) -> Loaded:
    """Load the spec, its lessons, layouts and roster; raise one ContentError listing all."""
    from .pipeline import load_all

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
        wanted += [(p.variant, spec.at("accommodations", p.column, "variant"))
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
    return Loaded(spec, tuple(lessons), layouts, roster, classes)


def _unprintable(spec: Spec, roster: Roster, problems: list[Problem]) -> None:
    """Names the cover and the stamps cannot print: a blank box on paper, reported instead."""
    from reportlab.pdfbase import pdfmetrics

    from .fonts import SANS, register_fonts

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

    check("school", spec.school, spec.at("school"))
    check("date", spec.date, spec.at("date"))
    for c in roster.classes:
        for label, text in (("class", c.name), ("teacher", c.teacher), ("period", c.period),
                            ("school", c.school)):
            check(label, text, c.origin)
        for st in c.students:
            check("student_name", st.name, st.origin)


def _layouts(spec: Spec, problems: list[Problem]) -> dict[str, Layout]:
    out: dict[str, Layout] = {}
    refs = [(spec.default_layout, spec.at("defaults", "layout"))]
    refs += [(p.layout, spec.at("accommodations", p.column, "layout"))
             for p in spec.picks if p.layout]
    for name, at in refs:
        if name in out:
            continue
        try:
            out[name] = load_layout(spec.layout_ref(name))
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


def plan(data: Loaded) -> list[PacketPlan]:
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
    return out


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


# --- running ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    """What every worker needs; inherited through fork, never pickled."""

    lessons: dict[str, Lesson]
    bases: dict[str, Base]
    plans: list[PacketPlan]
    out: Path
    inputs: str
    pdf_date: str


_STATE: _State | None = None
_READERS: dict[str, Any] = {}


Made = tuple[int, str, int, int]  # a packet written: plan index, sha256, bytes, pages


def _make(index: int) -> Made:
    """Build and write one packet; return (index, sha256, bytes, pages)."""
    import io

    from pypdf import PdfReader

    st = _STATE
    assert st is not None
    p = st.plans[index]
    reader = _READERS.get(p.lesson_id)
    if reader is None:
        reader = _READERS[p.lesson_id] = PdfReader(io.BytesIO(st.bases[p.lesson_id].pdf))
    doc_id = hashlib.md5(f"{st.inputs}/{p.filename}".encode()).digest()
    data, pages = assemble(p, st.lessons[p.lesson_id], st.bases[p.lesson_id], reader, doc_id,
                           st.pdf_date)
    write_atomic(st.out / p.filename, data)
    return index, hashlib.sha256(data).hexdigest(), len(data), pages


def _pdf_date() -> str:
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not sde:
        return ""
    try:
        t = time.gmtime(int(sde))
    except (ValueError, OverflowError, OSError):
        raise WorksheetError(f"SOURCE_DATE_EPOCH='{sde}' is not a number of seconds") from None
    return time.strftime("D:%Y%m%d%H%M%SZ", t)


def _entry(p: PacketPlan, sha: str, size: int, pages: int, inputs: str) -> manifest.Entry:
    return {"path": p.filename, "sha256": sha, "bytes": size, "pages": pages,
            "lesson": p.lesson_id, "class": p.cls.id, "class_name": p.cls.name,
            "teacher": p.cls.teacher, "period": p.cls.period, "paper": p.paper,
            "students": len(p.seats), "variants": p.variants, "layouts": p.layouts,
            "inputs": inputs}


def run(spec_path: str | os.PathLike[str], output: str | os.PathLike[str] | None = None,
        jobs: int | None = None, resume: bool = False, shard: Shard | None = None,
        dry_run: bool = False, progress: Callable[[Progress], None] | None = None) -> Result:
    """Make the packets of a batch spec into `output` (default: output/<spec name>).

    Raises ContentError (every problem, nothing written) or WorksheetError.
    KeyboardInterrupt stops the run after the packets being written are done:
    no partial file is left and the manifest lists what was made.
    """
    global _STATE
    started = time.monotonic()
    data = load(spec_path)
    out = Path(output) if output is not None else Path("output") / Path(spec_path).stem
    everything = plan(data)
    plans = in_shard(everything, shard)
    spec = data.spec
    inputs = manifest.inputs_hash(
        spec.path, data.roster.files, spec.lessons,
        {k: msgspec.json.encode(v).decode() for k, v in sorted(data.layouts.items())},
        {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "")})
    manifest_path = out / manifest.manifest_name(shard)
    kept: dict[str, manifest.Entry] = {}
    if resume:
        old = manifest.read_entries([manifest_path, out / manifest.MANIFEST])
        for p in plans:
            e = old.get(p.filename)
            f = out / p.filename
            if e and e.get("inputs") == inputs and f.is_file() and \
                    manifest.sha256_file(f) == e.get("sha256"):
                kept[p.filename] = e
    items = [Item(p, p.filename in kept) for p in plans]
    result = Result(planned=items, manifest=manifest_path)
    if dry_run:
        return result
    prepare_dir(out, [p.filename for p in plans] + [manifest_path.name])
    shard_text = f"{shard[0]}/{shard[1]}" if shard else None
    entries = dict(kept)
    manifest.write(manifest_path, manifest.document(entries.values(), inputs, shard_text))
    todo = [i for i, it in enumerate(items) if not it.skip]
    result.skipped = [out / it.plan.filename for it in items if it.skip]
    total, done = len(items), len(kept)
    if progress:
        progress(Progress(done, total, 0, len(kept), 0.0))
    if todo:
        lessons = {x.id: x for x in data.lessons}
        need = {plans[i].lesson_id for i in todo}
        bases = {lid: render_base(lessons[lid],
                                  base_parts([p for p in everything if p.lesson_id == lid]),
                                  {x.name: x for x in data.layouts.values()})
                 for lid in sorted(need)}
        _STATE = _State(lessons, bases, plans, out, inputs, _pdf_date())
        _READERS.clear()
        last_write = time.monotonic()

        def record(made: Made) -> PacketPlan:
            index, sha, size, pages = made
            p = plans[index]
            if p.filename in entries and entries[p.filename]["sha256"] == sha:
                return p  # handed on twice as the run stopped
            entries[p.filename] = _entry(p, sha, size, pages, inputs)
            result.outputs.append(out / p.filename)
            result.pages += pages
            return p

        late: list[Made] = []
        results = _results(todo, jobs, late)
        try:
            for made in results:
                p = record(made)
                done += 1
                now = time.monotonic()
                # Rewriting the manifest now and then is enough: a packet made but not yet
                # listed is made again by --resume, replacing the file whole.
                if now - last_write > 0.5:
                    manifest.write(manifest_path,
                                   manifest.document(entries.values(), inputs, shard_text))
                    last_write = now
                if progress:
                    progress(Progress(done, total, result.pages, len(kept), now - started,
                                      p.filename, made[3]))
        finally:
            results.close()  # on an interrupt: stop the pool; packets being written finish
            for made in late:
                record(made)
            manifest.write(manifest_path,
                           manifest.document(entries.values(), inputs, shard_text))
            _STATE = None
            _READERS.clear()
    result.seconds = time.monotonic() - started
    return result


def _results(todo: list[int], jobs: int | None, late: list[Made]) -> Generator[Made]:
    """Make the packets, in this process or a pool; yield each as it is written.

    A stop signal takes effect between packets. Closed early (on an interrupt), the
    packets that were being written finish, and go into `late` with any not yet handed
    on (so one may come twice).
    """
    n = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    with deferred_stop() as check:
        pool = fork_pool(n)
        if pool is None:  # one job, or no fork (Windows): this process makes them all
            for i in todo:
                check()
                yield _make(i)
            return
        # fork: the workers inherit the loaded lessons and rendered bases without pickling.
        # Freezing the heap first keeps the garbage collector from writing to every
        # inherited object, which would copy the parent's pages into each worker as the
        # run goes on.
        gc.collect()
        gc.freeze()
        pending: set[Future[Made]] = set()
        finished: list[Future[Made]] = []  # done, not yet handed on
        queue = iter(todo)
        try:
            for i in queue:  # a few tasks in flight per worker keeps memory flat
                pending.add(pool.submit(_make, i))
                if len(pending) >= 2 * n:
                    break
            while pending:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                finished = sorted(done, key=lambda f: f.result()[0])
                check()
                while finished:
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(_make, nxt))
                    yield finished[0].result()
                    del finished[0]  # only now: closed at the yield, it stays in `finished`
                    check()
        except BaseException:
            # Stop: drop what has not started; what is being written finishes whole.
            for f in pending:
                f.cancel()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()
            # packets finished while the run stopped are whole: the manifest lists them too
            late.extend(f.result() for f in [*finished, *pending]
                        if f.done() and not f.cancelled() and f.exception() is None)
