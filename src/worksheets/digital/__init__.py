"""Digital editions (`worksheets export`): DOCX, a Common Cartridge, a Canvas QTI zip, GIFT.

`export()` loads and validates like `build()` (the same located errors),
makes every file in memory, then writes them atomically: bad content leaves
nothing behind, and the same inputs give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ..errors import OutputError, WorksheetError
from ..load import display_path
from ..markup import plain_text
from ..model import Lesson
from ..pipeline import Job, find_lessons, load_all, plan, render_job
from ..select import select
from ..workers import run_tasks
from ..write import prepare_dir, write_atomic

Format = Literal["docx", "cc", "qti", "gift"]
FORMATS: tuple[Format, ...] = ("docx", "cc", "qti", "gift")
PDF_LAYOUT = "letter"  # the PDFs in a cartridge


def export(
    lessons: Sequence[str | os.PathLike[str]] | None = None,
    output: str | os.PathLike[str] = "output",
    formats: Sequence[Format] = ("docx",),
    variants: Sequence[str] = ("standard",),
    editions: Sequence[Literal["student", "key"]] = ("student", "key"),
) -> list[Path]:
    """Export the lessons (default: every lesson in ./content) into `output`.

    Formats: `docx` (`<lesson>-<variant>-<edition>.docx` per edition), `cc`
    (`<lesson>-<variant>.imscc`), `qti` (`<lesson>-<variant>-qti.zip`) and
    `gift` (`<lesson>-<variant>.gift.txt`); 'all' in `variants` picks every
    variant. Returns the written paths. Raises ContentError (every problem,
    nothing written) or WorksheetError.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise WorksheetError(f"unknown export format '{unknown[0] if unknown else ''}' "
                             f"(choose from: {', '.join(FORMATS)})")
    paths = list(lessons) if lessons else find_lessons()
    if not paths:
        raise WorksheetError("no lessons found under content/ (each lesson is a folder "
                             "with lesson.yaml)")
    # plan() checks the variants and the layout the way build does
    jobs = plan(load_all(paths), variants, [PDF_LAYOUT], ("student", "key"))
    groups = _by_variant(jobs)
    need_docx = "docx" in formats or "cc" in formats
    tasks = [(kind, j) for g in groups for j in g
             for kind, on in (("docx", need_docx and ("cc" in formats or j.edition in editions)),
                              ("pdf", "cc" in formats)) if on]
    made = {_key(k, j): data for (k, j), data in zip(tasks, _make_all(tasks), strict=True)}
    files: dict[str, bytes] = {}
    owner: dict[str, str] = {}  # names that differ only in case are one file on some disks
    for group in groups:
        path = group[0].lesson.path
        for name, data in _variant_files(group, formats, editions, made).items():
            first = owner.setdefault(name.casefold(), path)
            if first != path:
                raise WorksheetError(f"{first} and {path} would both write {name} (rename one "
                                     "of the lesson folders)")
            files[name] = data
    out = Path(output)
    prepare_dir(out)
    for name in files:
        if (out / name).is_dir():
            raise OutputError(f"{out / name}: cannot write: a folder has this name")
    written = []
    for name, data in files.items():
        write_atomic(out / name, data)
        written.append(Path(display_path(out / name)))
    return written


Task = tuple[str, Job]  # ("pdf" or "docx", the edition's job)
Key = tuple[str, str, str]


def _key(kind: str, job: Job) -> Key:
    return kind, job.lesson.path, job.filename
def _make_all(tasks: list[Task]) -> list[bytes]:
    """The bytes of every PDF and DOCX, in forked workers when there are cores to use."""

    def make(index: int) -> bytes:
        kind, job = tasks[index]
        if kind == "pdf":
            return render_job(job)
        from .docx import docx_bytes

        return docx_bytes(select(job.lesson, job.variant, job.edition))

    made = dict(run_tasks(make, range(len(tasks)), None))
    return [made[i] for i in range(len(tasks))]


def _by_variant(jobs: list[Job]) -> list[list[Job]]:
    """The jobs grouped by lesson and variant, in plan order."""
    groups: dict[tuple[str, str], list[Job]] = {}
    for job in jobs:
        groups.setdefault((job.lesson.path, job.variant), []).append(job)
    return list(groups.values())


def _variant_files(jobs: list[Job], formats: Sequence[Format], editions: Sequence[str],
                   made: dict[Key, bytes]) -> dict[str, bytes]:
    """Every export file of one lesson variant, by file name, from its rendered PDFs and DOCX."""
    from .assessment import assessment

    lesson, variant = jobs[0].lesson, jobs[0].variant
    stem = f"{lesson.id}-{variant}"
    by: dict[str, Job] = {j.edition: j for j in jobs}
    out: dict[str, bytes] = {}
    if "docx" in formats:
        out.update({f"{stem}-{ed}.docx": made[_key("docx", by[ed])] for ed in editions})
    pages = _pages(lesson, made[_key("pdf", by["student"])]) if "cc" in formats else None
    quiz = assessment(select(lesson, variant, "key"), pages)
    if "cc" in formats:
        from .cartridge import File, cartridge

        student, key = by["student"], by["key"]
        files = [
            File("Student worksheet (PDF)", student.filename, made[_key("pdf", student)]),
            File("Student worksheet (editable DOCX)", f"{stem}-student.docx",
                 made[_key("docx", student)]),
            File("Teacher key (PDF)", key.filename, made[_key("pdf", key)], instructor=True),
            File("Teacher key (editable DOCX)", f"{stem}-key.docx", made[_key("docx", key)],
                 instructor=True),
        ]
        title = plain_text(f"{lesson.title} ({lesson.variants[variant].title})")
        out[f"{stem}.imscc"] = cartridge(title, plain_text(lesson.central_question), files, quiz,
                                         student.filename)
    if "qti" in formats:
        from .qti import qti_zip

        out[f"{stem}-qti.zip"] = qti_zip(quiz)
    if "gift" in formats:
        from .gift import gift

        out[f"{stem}.gift.txt"] = gift(quiz, f"{lesson.id}/{variant}").encode("utf-8")
    return out


def _pages(lesson: Lesson, pdf: bytes) -> dict[str, int]:
    """The student PDF's page (1-based) where each document starts, from its bookmarks."""
    import pypdfium2

    titles = {plain_text(f"{d.label}: {d.title}"): d.id for d in lesson.documents}
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = {}
        for b in doc.get_toc():
            dest = b.get_dest()
            if b.get_title() in titles and dest is not None:
                pages[titles[b.get_title()]] = dest.get_index() + 1
        return pages
    finally:
        doc.close()


__all__ = ["FORMATS", "Format", "export"]
