"""The command line: parse options, call the library, turn its errors into exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import click

from .version import __version__

if TYPE_CHECKING:
    from .select import Edition

BUILD_HELP = """Build worksheet PDFs.

With no LESSON_DIR, builds every lesson under ./content. Files are named
<lesson>-<variant>-<layout>-<edition>.pdf in the output folder.
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="worksheets")
def main() -> None:
    """Turn primary-source lessons into print-ready worksheet PDFs."""


@main.command(help=BUILD_HELP)
@click.argument("lesson_dirs", nargs=-1, type=click.Path(file_okay=False))
@click.option("-o", "--output", default="output", show_default=True, type=click.Path(),
              help="Folder for the PDFs.")
@click.option("--edition", type=click.Choice(["student", "key", "master", "both", "all"]),
              default="both", show_default=True,
              help="student, key (teacher key), master (every variant's questions side by side, "
              "one per lesson), both (student and key) or all three. With --variant all, "
              "both also makes the master.")
@click.option("--variant", "variants", multiple=True, default=["standard"], show_default=True,
              help="Variant name from lesson.yaml, or 'all'. Repeat for several.")
@click.option("--layout", "layouts", multiple=True, default=["letter"], show_default=True,
              help="Layout name (layouts/NAME.yaml), a path to a layout file, or 'all'.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that render at once (default: the number of cores).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def build(lesson_dirs: tuple[str, ...], output: str, edition: str, variants: tuple[str, ...],
          layouts: tuple[str, ...], jobs: int | None, quiet: bool) -> None:
    from .pipeline import build as run_build

    with _reported():
        written = run_build(lessons=list(lesson_dirs) or None, output=output, variants=variants,
                            layouts=layouts, editions=edition, jobs=jobs,
                            notify=lambda message: click.echo(f"warning: {message}", err=True))
    if not quiet:
        for path in written:
            click.echo(f"wrote {path}")


EXPORT_HELP = """Export digital editions: editable DOCX and LMS packages.

With no LESSON_DIR, exports every lesson under ./content. --to docx writes
<lesson>-<variant>-<edition>.docx; cc a Common Cartridge 1.3
<lesson>-<variant>.imscc (Canvas, Schoology, Brightspace, Moodle); qti a Canvas
QTI .zip <lesson>-<variant>-qti.zip; gift Moodle's <lesson>-<variant>.gift.txt.
See docs/digital-editions.md.
"""


@main.command(name="export", help=EXPORT_HELP)
@click.argument("lesson_dirs", nargs=-1, type=click.Path(file_okay=False))
@click.option("--to", "formats", multiple=True, required=True,
              type=click.Choice(["docx", "cc", "qti", "gift"]),
              help="Format to make. Repeat for several.")
@click.option("--variant", "variants", multiple=True, default=["standard"], show_default=True,
              help="Variant name from lesson.yaml, or 'all'. Repeat for several.")
@click.option("--edition", type=click.Choice(["student", "key", "both"]), default="both",
              show_default=True, help="The DOCX editions (a cartridge always holds both).")
@click.option("-o", "--output", default="output", show_default=True, type=click.Path(),
              help="Folder for the files.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def export_cmd(lesson_dirs: tuple[str, ...], formats: tuple[str, ...], variants: tuple[str, ...],
               edition: str, output: str, quiet: bool) -> None:
    from .digital import export

    editions: Any = ("student", "key") if edition == "both" else (edition,)
    chosen: Any = list(dict.fromkeys(formats))
    with _reported():
        written = export(lessons=list(lesson_dirs) or None, output=output, formats=chosen,
                         variants=variants, editions=editions)
    if not quiet:
        for path in written:
            click.echo(f"wrote {path}")


@main.command()
@click.argument("lesson_dirs", nargs=-1, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: path:line:col: severity: message (hint); "
              "json: a list of objects, for editors and CI.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--all", "render_all", is_flag=True,
              help="Also render every variant, layout and edition in memory and report "
              "layout trouble (slower).")
def check(lesson_dirs: tuple[str, ...], fmt: str, strict: bool, render_all: bool) -> None:
    """Check lessons for errors and likely mistakes without writing anything.

    With no LESSON_DIR, checks every lesson under ./content. Exit status 1 on
    errors (and on warnings with --strict).
    """
    import json

    from .pipeline import check as run_check

    with _reported():
        problems = run_check(lessons=list(lesson_dirs) or None, render_all=render_all)
    if fmt == "json":
        click.echo(json.dumps([{
            "file": p.location.file, "line": p.location.line, "column": p.location.col,
            "severity": p.severity, "message": p.message, "hint": p.hint,
        } for p in problems], indent=2, ensure_ascii=False))
    else:
        for p in problems:
            click.echo(p.format(with_severity=True))
        errors = sum(p.severity == "error" for p in problems)
        warnings = sum(p.severity == "warning" for p in problems)
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if any(p.severity == "error" or (strict and p.severity == "warning") for p in problems):
        sys.exit(1)


@main.command()
@click.option("-o", "--output", default="schemas", show_default=True, type=click.Path(),
              help="Folder for the .schema.json files.")
def schema(output: str) -> None:
    """Write JSON Schema files for lessons, questions, vocabulary, documents and layouts.

    Editors use them for checking and completion: put
    `# yaml-language-server: $schema=<path>/lesson.schema.json` on the first line.
    """
    from .jsonschema import write_schemas

    with _reported():
        written = write_schemas(output)
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.argument("lesson_dir", type=click.Path(file_okay=False))
@click.option("--variant", default="standard", show_default=True, help="Variant name.")
@click.option("--layout", default="letter", show_default=True, help="Layout name or path.")
@click.option("--edition", type=click.Choice(["student", "key", "master"]), default="student",
              show_default=True)
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1),
              help="Page number, from 1.")
@click.option("--scale", default=1.5, show_default=True, type=click.FloatRange(0.1, 8),
              help="1 = 72 pixels per inch.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="PNG file (default: output/<name>-p<N>.png).")
def preview(lesson_dir: str, variant: str, layout: str, edition: str, page: int, scale: float,
            output: str | None) -> None:
    """Render one page of a worksheet to a PNG image."""
    from .pipeline import preview as run_preview

    with _reported():
        path = run_preview(lesson_dir, output=output, variant=variant, layout=layout,
                           edition=cast("Edition", edition), page=page, scale=scale)
    click.echo(f"wrote {path}")


@main.command()
@click.argument("lesson_id")
@click.option("--content", default="content", show_default=True, type=click.Path(),
              help="Folder that holds the lessons.")
def new(lesson_id: str, content: str) -> None:
    """Start a new lesson: a commented skeleton in CONTENT/LESSON_ID that checks and builds."""
    from .pipeline import new_lesson

    with _reported():
        target = new_lesson(lesson_id, content=content)
    click.echo(f"created {target}; edit its files, then run: worksheets check {target}")


@main.command(name="preflight")
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--paper", type=click.Choice(["letter", "a4"]),
              help="Expected paper (default: the size of the first page).")
@click.option("--duplex", is_flag=True, help="An odd page count is a finding.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything is found.")
@click.option("--accessible", is_flag=True,
              help="Also check accessibility (tagged, nothing outside marked content, a "
                   "language, headings); exit 1 when a PDF fails it.")
def preflight_cmd(pdfs: tuple[str, ...], paper: str | None, duplex: bool, strict: bool,
                  accessible: bool) -> None:
    """Check PDFs as a print shop would; write NAME.preflight.json beside each."""
    from .preflight import preflight_file

    found = 0
    for path in pdfs:
        with _reported():
            report = preflight_file(path, paper=paper, duplex=duplex, accessible=accessible)
        if report.ok:
            click.echo(f"{path}: ok ({report.pages} pages)")
            continue
        found += 1
        n = len(report.findings)
        click.echo(f"{path}: {n} finding{'s' if n != 1 else ''}")
        for f in report.findings:
            click.echo(f"  {f}")
    if (strict or accessible) and found:
        sys.exit(1)


@contextmanager
def _reported() -> Iterator[None]:
    """Run a library call: print its errors the author's way and exit 1 on failure; a stop
    (Ctrl-C, or SIGTERM from a job runner) exits 130."""
    import signal

    from .errors import ContentError, WorksheetError

    # unwind like Ctrl-C, so temp files are removed
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    except ContentError as e:
        for p in e.problems:
            click.echo(p.format(), err=True)
        n = len(e.problems)
        click.echo(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", err=True)
        sys.exit(1)
    except WorksheetError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; files already written are complete, and no partial file was "
                   "left", err=True)
        sys.exit(130)


@main.command(name="list")
@click.argument("content", default="content", type=click.Path(file_okay=False))
def list_(content: str) -> None:
    """List the lessons under CONTENT with their variants, and the layouts."""
    from .load.layout import available_layouts, layout_dirs, layout_origin
    from .pipeline import find_lessons, load_all

    with _reported():
        lessons = load_all(find_lessons(content))
    for lesson in lessons:
        click.echo(f"{lesson.id}: {lesson.title}")
        for v in lesson.variants.values():
            desc = f" - {v.description}" if v.description else ""
            click.echo(f"  variant {v.id}: {v.title}{desc}")
    dirs = layout_dirs([lesson.path for lesson in lessons])
    click.echo("layouts:")
    for name in available_layouts(dirs):
        click.echo(f"  {name}: {layout_origin(name, dirs)}")


BATCH_HELP = """Make one print-ready packet per class from a batch spec.

SPEC is a YAML file naming the lesson(s), the roster (a simple CSV or a
OneRoster 1.1 CSV export) and how accommodations pick variant and layout; see
docs/batch.md. Each packet holds a cover, every student's worksheet in roster
order with their name on it, and the teacher keys. manifest.json in the
output folder lists every packet with its sha256.
"""


def _shard_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from .batch import parse_shard

    if value is None:
        return None
    try:
        return parse_shard(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


@main.command(help=BATCH_HELP)
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False),
              help="Folder for the packets.  [default: output/<spec name>]")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Processes to use.  [default: the number of cores]")
@click.option("--resume", is_flag=True,
              help="Keep packets already made from the same inputs (checked by sha256).")
@click.option("--shard", callback=_shard_option, metavar="I/N",
              help="Make only the I-th of N equal shares of the classes (1-based).")
@click.option("--dry-run", is_flag=True, help="List the packets that would be made; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
def batch(spec: str, output: str | None, jobs: int | None, resume: bool,
          shard: tuple[int, int] | None, dry_run: bool, quiet: bool) -> None:
    from .batch import run
    from .batch.progress import Reporter

    reporter = Reporter(sys.stderr)
    try:
        with _reported():
            result = run(spec, output=output, jobs=jobs, resume=resume, shard=shard,
                         dry_run=dry_run, progress=None if quiet or dry_run else reporter)
    finally:
        reporter.close()
    if dry_run:
        for it in result.planned:
            p = it.plan
            counts = ", ".join(f"{v} {n}" for v, n in p.variants.items())
            state = "  (already made: kept)" if it.skip else ""
            click.echo(f"{p.filename}: {p.cls.name}, {len(p.seats)} students ({counts}){state}")
        n, kept = len(result.planned), sum(i.skip for i in result.planned)
        click.echo(f"{n - kept} of {n} packets would be made, {kept} kept." if resume
                   else f"{n} packets would be made.")
        for path in result.editable:
            click.echo(f"{path.name}: editable Word edition")
        return
    if not quiet:
        rate = result.pages / result.seconds if result.seconds else 0.0
        click.echo(f"made {len(result.outputs)} packets ({result.pages:,} pages, "
                   f"{rate:,.0f} pages/s), kept {len(result.skipped)}"
                   + (f", {len(result.editable)} editable Word files" if result.editable else "")
                   + f"; manifest: {result.manifest}")


@main.group(name="manifest")
def manifest_() -> None:
    """Work with batch manifests."""


@manifest_.command(name="merge")
@click.argument("manifests", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The merged manifest, e.g. out/manifest.json.")
def manifest_merge(manifests: tuple[str, ...], output: str) -> None:
    """Join the manifests of a batch's shards into one."""
    from pathlib import Path

    from .batch.manifest import merge

    with _reported():
        doc = merge([Path(m) for m in manifests], Path(output))
    click.echo(f"wrote {output} ({len(doc['outputs'])} outputs from {len(manifests)} manifests)")
