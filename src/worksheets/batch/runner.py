"""Running a batch: render each lesson's worksheets once, assemble the packets in a pool,
write each atomically and keep the manifest up to date; resume and shards."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from ..errors import WorksheetError
from ..model import Lesson
from ..select import EDITIONS, Edition, select
from ..workers import run_tasks
from ..write import prepare_dir, write_atomic
from . import manifest
from .packet import Base, assemble, base_parts, render_base
from .plan import BatchInput, PacketPlan, Shard, in_shard, load, plan


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
    editable: list[Path] = field(default_factory=list)  # the DOCX editions (spec: editable)


# --- running ---------------------------------------------------------------------------------


@dataclass
class _Packets:
    """Makes the packets of a run; the pool's workers inherit it through fork."""

    lessons: dict[str, Lesson]
    bases: dict[str, Base]
    plans: list[PacketPlan]
    out: Path
    inputs: str
    pdf_date: str
    readers: dict[str, Any] = field(default_factory=dict)  # one parsed base per lesson

    def make(self, index: int) -> Made:
        """Build and write packet `index`; return (sha256, bytes, pages)."""
        import io

        from pypdf import PdfReader

        p = self.plans[index]
        reader = self.readers.get(p.lesson_id)
        if reader is None:
            reader = self.readers[p.lesson_id] = PdfReader(io.BytesIO(self.bases[p.lesson_id].pdf))
        doc_id = hashlib.md5(f"{self.inputs}/{p.filename}".encode()).digest()
        data, pages = assemble(p, self.lessons[p.lesson_id], self.bases[p.lesson_id], reader,
                               doc_id, self.pdf_date)
        write_atomic(self.out / p.filename, data)
        return hashlib.sha256(data).hexdigest(), len(data), pages


Made = tuple[str, int, int]  # a packet written: sha256, bytes, pages


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
    from ..pipeline import check_environment

    check_environment()
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
    editable = editable_names(data, plans) if spec.editable else {}
    if dry_run:
        result.editable = [out / name for name in editable]
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
        packets = _Packets(lessons, bases, plans, out, inputs, _pdf_date())
        last_write = time.monotonic()

        def record(index: int, made: Made) -> PacketPlan:
            sha, size, pages = made
            p = plans[index]
            if p.filename in entries and entries[p.filename]["sha256"] == sha:
                return p  # handed on twice as the run stopped
            entries[p.filename] = _entry(p, sha, size, pages, inputs)
            result.outputs.append(out / p.filename)
            result.pages += pages
            return p

        late: list[tuple[int, Made]] = []
        results = run_tasks(packets.make, todo, jobs, late)
        try:
            for index, made in results:
                p = record(index, made)
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
                                      p.filename, made[2]))
        finally:
            results.close()  # on an interrupt: stop the pool; packets being written finish
            for index, made in late:
                record(index, made)
            manifest.write(manifest_path,
                           manifest.document(entries.values(), inputs, shard_text))
    for name, (lesson, variant, edition) in editable.items():
        # cheap to remake, so remade on every run and not listed in the manifest
        from ..digital.docx import docx_bytes

        write_atomic(out / name, docx_bytes(select(lesson, variant, edition)))
        result.editable.append(out / name)
    result.seconds = time.monotonic() - started
    return result


def editable_names(data: BatchInput, plans: Sequence[PacketPlan]) -> dict[
        str, tuple[Lesson, str, Edition]]:
    """The DOCX editions of the versions these packets use: file name -> what it holds."""
    lessons = {x.id: x for x in data.lessons}
    out: dict[str, tuple[Lesson, str, Edition]] = {}
    for p in plans:
        for variant in dict.fromkeys(s.variant for s in p.seats):
            for edition in EDITIONS:
                name = f"{p.lesson_id}-{variant}-{edition}.docx"
                out.setdefault(name, (lessons[p.lesson_id], variant, edition))
    return dict(sorted(out.items()))
