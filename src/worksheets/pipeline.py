"""The whole pipeline: load -> select -> compose -> render -> write, for many builds.

Everything is loaded and validated before anything is rendered, and
everything is rendered before anything is written, so bad content leaves no
file behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .compose import compose, compose_credit, compose_master
from .errors import ContentError, Location, OutputError, Problem, WorksheetError
from .load import display_path, load_lesson_with_problems
from .load.layout import Layout, available_layouts, layout_dirs, layout_source, load_layout
from .markup import plain_text
from .model import Lesson
from .preflight import Report
from .preflight import preflight as check_pdf
from .render import Meta, PageDecor, Part, render_parts
from .select import BANNERS, EDITIONS, Edition, edition_title, editions_for, select
from .tagging import Elem
from .workers import run_tasks
from .write import MAX_NAME_BYTES, prepare_dir, write_atomic


@dataclass(frozen=True)
class Job:
    """One PDF to make: lesson x variant x layout x edition."""

    lesson: Lesson
    variant: str
    layout: Layout
    edition: Edition

    @property
    def filename(self) -> str:
        """`<lesson>-<variant>-<layout>-<edition>.pdf`: stable as variants and layouts grow.

        The teacher master covers every variant: `<lesson>-master-<layout>.pdf`.
        """
        if self.edition == "master":
            return f"{self.lesson.id}-master-{self.layout.name}.pdf"
        return f"{self.lesson.id}-{self.variant}-{self.layout.name}-{self.edition}.pdf"


def check_environment() -> None:
    """Raise WorksheetError, before any work, for settings from the environment that would
    fail deep in a worker (reportlab reads SOURCE_DATE_EPOCH itself)."""
    from .errors import shorten

    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde is None or not sde.strip():
        return
    try:
        seconds = int(sde.strip())
        if not 0 <= seconds < 253402300800:  # before the year 10000
            raise ValueError
    except ValueError:
        raise WorksheetError(f"SOURCE_DATE_EPOCH='{shorten(sde)}' is not a number of seconds "
                             "since 1970 (unset it, or set it like SOURCE_DATE_EPOCH=1700000000)"
                             ) from None


def find_lessons(content: str | os.PathLike[str] = "content") -> list[Path]:
    """The lesson folders (those with a lesson.yaml) under `content`."""
    root = Path(content)
    if not root.is_dir():
        raise WorksheetError(f"{root}: no such folder (run in a project with a content/ folder, "
                             "or name lesson folders)")
    return sorted(p.parent for p in root.glob("*/lesson.yaml"))


def load_all(paths: Iterable[str | os.PathLike[str]]) -> list[Lesson]:
    """Load every lesson, reporting the problems of all of them at once."""
    from .checks import alt_problems, glyph_problems

    lessons, problems = [], []
    for p in paths:
        lesson, found = load_lesson_with_problems(p)
        problems.extend(found)
        if lesson is not None:
            lessons.append(lesson)
            problems.extend(glyph_problems(lesson))
            problems.extend(alt_problems(lesson))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    return lessons


def plan(
    lessons: Sequence[Lesson],
    variants: Sequence[str] = ("standard",),
    layouts: Sequence[str] = ("letter",),
    editions: Sequence[Edition] = EDITIONS,
) -> list[Job]:
    """Every job for these choices; 'all' picks every variant or layout."""
    dirs = layout_dirs([lesson.path for lesson in lessons])
    names = available_layouts(dirs) if "all" in layouts else list(layouts)
    loaded: list[Layout] = []
    bad: list[Problem] = []
    named: dict[str, tuple[str, Layout]] = {}
    for n in names:  # every layout's problems in one report
        try:
            layout = load_layout(n, dirs)
        except ContentError as e:
            bad.extend(e.problems)
            continue
        # the name is part of the file names: one name, one layout (in any case)
        first = named.get(layout.name.casefold())
        if first is None:
            named[layout.name.casefold()] = (n, layout)
            loaded.append(layout)
            continue
        if first[1] == layout:  # the same layout twice
            continue
        bad.append(Problem(Location(layout_source(n, dirs)), f"layouts '{first[0]}' and "
                           f"'{n}' are both named '{layout.name}', and would write the same "
                           "files", "give each layout its own 'name:'"))
    if bad:
        raise ContentError(bad)
    jobs = []
    problems: list[Problem] = []
    for lesson in lessons:
        chosen = list(lesson.variants) if "all" in variants else list(variants)
        for v in chosen:
            if v not in lesson.variants:
                problems.append(Problem(lesson.origin, f"lesson has no variant '{v}'",
                                        "choose one of: " + ", ".join(lesson.variants)))
                continue
            for lay in loaded:
                for ed in editions:
                    if ed != "master":
                        jobs.append(Job(lesson, v, lay, ed))
        if "master" in editions:
            jobs.extend(Job(lesson, "all", lay, "master") for lay in loaded)
    if problems:
        raise ContentError(problems)
    return jobs


def worksheet_part(lesson: Lesson, variant: str, layout: Layout, edition: Edition) -> Part:
    """select -> compose, with the page furniture: one worksheet, key or master to render.

    The one place a worksheet becomes flowables, for `build` and for the batch's packets.
    """
    tree = Elem("Document")  # its structure, for the tagged PDF
    if edition == "master":
        flow = compose_master([select(lesson, v, "key") for v in lesson.variants], layout, tree)
    else:
        flow = compose(select(lesson, variant, edition), layout, tree)
    credit = plain_text(lesson.attribution)
    if layout.footer_min_size and layout.footer:  # large print: once, at the text's size
        flow.append(compose_credit(lesson.attribution, layout, tree))
        credit = ""
    decor = PageDecor(footer_left=plain_text(lesson.title), footer_right=credit,
                      banner=BANNERS.get(edition, ""))
    return Part(flow, layout, decor, tree)


def render_job(job: Job) -> bytes:
    """The PDF of one job."""
    lesson = job.lesson
    meta = Meta(title=edition_title(plain_text(lesson.title), job.edition), author=lesson.author,
                subject=plain_text(lesson.central_question),
                keywords=(lesson.id, job.variant, job.layout.name, job.edition),
                lang=lesson.lang)
    try:
        return render_parts([worksheet_part(lesson, job.variant, job.layout, job.edition)],
                            meta)[0]
    except WorksheetError as e:
        raise WorksheetError(f"{lesson.path}: {job.filename}: {e}") from None


def build(
    lessons: Sequence[str | os.PathLike[str]] | None = None,
    output: str | os.PathLike[str] = "output",
    variants: Sequence[str] = ("standard",),
    layouts: Sequence[str] = ("letter",),
    editions: str | Sequence[Edition] = "both",
    preflight: bool = True,
    notify: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Build PDFs for the lessons (default: every lesson in ./content) into `output`.

    `variants` and `layouts` are names, or 'all'. `editions` lists editions, or names a
    choice: student, key, master, both (student and key; with every variant, also the
    teacher master) or all.

    Each PDF gets a print preflight report beside it (`<name>.preflight.json`);
    `notify` hears each finding. PDFs are rendered by `jobs` processes at once
    (default: one per core); the files are the same, byte for byte, whatever `jobs`.

    Returns the written paths. Raises ContentError (every problem, nothing
    written) or WorksheetError.
    """
    check_environment()
    paths = list(lessons) if lessons else find_lessons()
    if not paths:
        raise WorksheetError("no lessons found under content/ (each lesson is a folder "
                             "with lesson.yaml)")
    if isinstance(editions, str):
        editions = editions_for(editions, variants)
    todo = _one_job_per_file(plan(load_all(paths), variants, layouts, editions))
    out = Path(output)
    prepare_dir(out)
    for job in todo:
        for target in (out / job.filename, (out / job.filename).with_suffix(".preflight.json")):
            _check_target(target)
    # Render everything first: content that fails to lay out leaves no file behind.
    made = _render_all(todo, preflight, jobs)
    written = []
    for job, (pdf, report) in zip(todo, made, strict=True):
        target = out / job.filename
        judged = target.with_suffix(".preflight.json")
        # the old PDF's report goes first: a stop between the two writes leaves the new PDF
        # without a report, never beside one that judged the file it replaced
        write_atomic(target, pdf, stale=[judged])
        if report is not None:
            write_atomic(judged, report.to_json().encode())
            if notify is not None:
                for finding in report.findings:
                    notify(f"{display_path(target)}: preflight: {finding}")
        written.append(Path(display_path(target)))
    return written


def _render_all(
    todo: list[Job], preflight: bool, jobs: int | None
) -> list[tuple[bytes, Report | None]]:
    """Render (and preflight) every job, in forked processes when there are cores to use."""

    def make(index: int) -> tuple[bytes, Report | None]:
        job = todo[index]
        pdf = render_job(job)
        return pdf, check_pdf(pdf, job.filename, job.layout.paper,
                              accessible=True) if preflight else None

    made = dict(run_tasks(make, range(len(todo)), jobs))
    return [made[i] for i in range(len(todo))]


def _one_job_per_file(jobs: list[Job]) -> list[Job]:
    """The jobs without repeats; raise WorksheetError if two lessons would write one file.

    Names that differ only in case are one file on macOS and Windows disks.
    """
    seen: dict[str, Job] = {}
    out = []
    for job in jobs:
        first = seen.setdefault(job.filename.casefold(), job)
        if first is job:
            out.append(job)
        elif first.lesson.path != job.lesson.path or first.filename != job.filename:
            raise WorksheetError(f"{first.lesson.path} and {job.lesson.path} would both write "
                                 f"{job.filename} (rename one of the lesson folders)")
    return out


def _check_target(target: Path) -> None:
    """Raise OutputError, before anything is rendered, if `target` cannot be written."""
    size = len(os.fsencode(target.name))
    if size > MAX_NAME_BYTES:
        raise OutputError(f"{target}: the file name is too long ({size} bytes; at most "
                          f"{MAX_NAME_BYTES}): give the lesson folder a shorter name")
    try:
        is_dir = target.is_dir()
    except OSError as e:
        raise OutputError(f"{target}: cannot write ({e.strerror})") from None
    if is_dir:
        raise OutputError(f"{target}: cannot write: a folder has this name")


def check(
    lessons: Sequence[str | os.PathLike[str]] | None = None,
    render_all: bool = False,
) -> list[Problem]:
    """Every error and warning in the lessons (default: all under ./content), without writing.

    With `render_all`, every variant x layout x edition is also rendered in
    memory and layout trouble is reported with its place in the author's files.
    """
    from .checks import (
        alt_problems,
        content_warnings,
        footer_problems,
        glyph_problems,
        image_warnings,
        readability,
        readability_report,
        readability_warnings,
    )
    from .compose import collect_layout_warnings
    from .pagecheck import page_problems

    paths = list(lessons) if lessons else find_lessons()
    problems: list[Problem] = []
    loaded = []
    for p in paths:
        lesson, found = load_lesson_with_problems(p)
        problems.extend(found)
        if lesson is not None:
            loaded.append(lesson)
            problems.extend(content_warnings(lesson))
            if lesson.non_text and not render_all:  # on Letter (with --all: every layout)
                problems.extend(image_warnings(lesson, [_letter(lesson)]))
            problems.extend(glyph_problems(lesson))
            problems.extend(alt_problems(lesson))
            scores = readability(lesson)
            problems.extend(readability_warnings(lesson, scores))
            problems.extend(readability_report(lesson, scores))
    if render_all and loaded:
        check_environment()
        jobs = plan(loaded, ["all"], ["all"], ("student", "key", "master"))
        layouts = {j.layout.name: j.layout for j in jobs}.values()
        problems.extend(p for lesson in loaded for layout in layouts
                        for p in footer_problems(lesson, layout))
        problems.extend(p for lesson in loaded for p in image_warnings(lesson, list(layouts)))
        for job in jobs:
            with collect_layout_warnings() as found:
                pdf = render_job(job)
            found.extend(page_problems(pdf, job.lesson, job.layout))
            where = f"variant {job.variant}, layout {job.layout.name}, {job.edition}"
            problems.extend(Problem(w.location, f"{w.message} [{where}]", w.hint, w.severity)
                            for w in found)
    return sorted(set(problems), key=lambda p: (p.location.file, p.location.line,
                                                 p.location.col, p.message))


def _letter(lesson: Lesson) -> Layout:
    """The Letter layout the lesson is built in by default (bundled, when the project's
    own is broken: `build` reports that)."""
    try:
        return load_layout("letter", layout_dirs([lesson.path]))
    except ContentError:
        return Layout()


def new_lesson(lesson_id: str, content: str | os.PathLike[str] = "content") -> Path:
    """Write a commented lesson skeleton to content/<lesson_id>/ that checks clean and builds."""
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", lesson_id):
        raise WorksheetError(f"'{lesson_id}' is not a lesson id (use lowercase letters, digits "
                             "and '-', like 'cuban-missile-crisis')")
    target = Path(content) / lesson_id
    if target.exists() or target.is_symlink():
        raise WorksheetError(f"{target}: already exists; choose another id or remove it")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WorksheetError(f"{parent}: cannot create the folder ("
                             f"{e.strerror or 'a file is in the way'})") from None
    skeleton = Path(__file__).parent / "skeleton"
    fill = {"__ID__": lesson_id, "__TITLE__": title_case(lesson_id),
            "__PATH__": _shown_in_comment(target)}
    schemas = _schemas_for(target)
    fill["__SCHEMAS__"] = _relative_uri(schemas, target)
    fill["__SCHEMADIR__"] = _shown_in_comment(schemas)
    # Written in a temp folder beside it and renamed into place: a full disk or a stop
    # leaves no half skeleton to block the next try.
    import shutil
    import tempfile

    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{lesson_id}.", suffix=".part", dir=parent))
    except OSError as e:
        raise WorksheetError(f"{parent}: cannot write here ({e.strerror})") from None
    try:
        for src in sorted(skeleton.rglob("*")):
            if src.is_file():
                dest = tmp / src.relative_to(skeleton)
                dest.parent.mkdir(parents=True, exist_ok=True)
                text = src.read_text(encoding="utf-8")
                for key, value in fill.items():
                    text = text.replace(key, value)
                dest.write_text(text, encoding="utf-8")
        tmp.chmod(0o777 & ~_umask())
        os.rename(tmp, target)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError):
            raise WorksheetError(f"{target}: cannot write the lesson ({e.strerror})") from None
        raise
    return target


# Words a title keeps in lower case unless they start or end it (Chicago style).
_SMALL_WORDS = frozenset(
    "a an and as at but by en for from if in into nor of off on onto or per so the to "
    "up upon via vs with yet".split())


def title_case(lesson_id: str) -> str:
    """A lesson id as a title: 'gulf-of-tonkin' -> 'Gulf of Tonkin'."""
    words = [w for w in lesson_id.split("-") if w]
    return " ".join(
        w if w in _SMALL_WORDS and 0 < i < len(words) - 1 else w[:1].upper() + w[1:]
        for i, w in enumerate(words))


def _schemas_for(lesson: Path) -> Path:
    """The folder of the JSON Schemas a new lesson's `$schema=` lines name: the nearest
    schemas/ folder above the lesson that holds them, else the project's schemas/ beside
    the content folder, where `worksheets schema` writes them when run from the project
    folder."""
    folder = lesson.absolute()
    for up in folder.parents:
        try:
            if (up / "schemas" / "lesson.schema.json").is_file():
                return up / "schemas"
        except OSError:
            continue
    return folder.parent.parent / "schemas"


def _relative_uri(target: Path, start: Path) -> str:
    """`target` as a `$schema=` reference from inside `start`: a relative path, or a file
    URI when the relative path would not survive in a YAML comment."""
    rel = Path(os.path.relpath(target.absolute(), start.absolute())).as_posix()
    return rel if rel.isprintable() and " " not in rel else target.absolute().as_uri()


def _shown_in_comment(path: Path) -> str:
    """A path as a comment of the skeleton shows it: never a character that would end the
    comment line or need quoting in a shell."""
    import shlex

    shown = display_path(path)
    return shlex.quote(shown) if shown.isprintable() else "<the lesson folder>"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def preview(
    lesson: str | os.PathLike[str], output: str | os.PathLike[str] | None = None,
    variant: str = "standard", layout: str = "letter", edition: Edition = "student",
    page: int = 1, scale: float = 1.5,
) -> Path:
    """Render one page of one worksheet to a PNG; returns its path."""
    import io

    import pypdfium2

    check_environment()
    (loaded,) = load_all([lesson])
    (job,) = plan([loaded], [variant], [layout], (edition,))
    pdf = pypdfium2.PdfDocument(io.BytesIO(render_job(job)))
    if not 1 <= page <= len(pdf):
        raise WorksheetError(f"{job.filename} has {len(pdf)} pages; --page {page} is not one "
                             "of them")
    image = pdf[page - 1].render(scale=scale).to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    target = Path(output) if output else Path("output") / (
        job.filename.removesuffix(".pdf") + f"-p{page}.png")
    prepare_dir(target.parent)
    write_atomic(target, buf.getvalue())
    return Path(display_path(target))
