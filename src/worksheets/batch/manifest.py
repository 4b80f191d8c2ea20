"""manifest.json: what a batch made, and from which inputs, so a run can resume or be checked.

One entry per output: its path (relative to the manifest's folder), sha256,
size, pages, students, counts per variant and layout, and the hash of the
inputs that made it. Written atomically; it holds no clock, so the same
inputs give the same manifest, and the manifests of shards merge into exactly
the manifest of an unsharded run.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import WorksheetError
from ..version import __version__
from ..write import prepare_dir, write_atomic

MANIFEST = "manifest.json"
FORMAT = 1

Entry = dict[str, Any]


def manifest_name(shard: tuple[int, int] | None) -> str:
    """`manifest.json`, or `manifest.shard-2-of-4.json` for one shard of a run."""
    if shard is None:
        return MANIFEST
    return f"manifest.shard-{shard[0]}-of-{shard[1]}.json"


def sha256_file(path: Path, follow: bool = True) -> str:
    """The hex sha256 of an ordinary file's bytes, opened once without blocking.

    Anything else is not read: a link (unless `follow`) hashes as its target's name,
    a FIFO, device or folder as its kind, so a FIFO cannot hang a run and a link
    cannot bring an outside file into the hash.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    h = hashlib.sha256()
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if not follow and os.path.islink(path):
            return "link:" + hashlib.sha256(os.fsencode(os.readlink(path))).hexdigest()
        return f"unreadable:{e.errno}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return f"special:{stat.S_IFMT(st.st_mode):o}"
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
    finally:
        os.close(fd)
    return h.hexdigest()


def _tree(root: Path) -> Iterable[Path]:
    # os.walk does not go into linked folders; files are read by sha256_file(follow=False)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def inputs_hash(spec: Path, roster: Sequence[Path], lessons: Sequence[Path],
                layouts: dict[str, str], extra: dict[str, str] | None = None) -> str:
    """A hash of everything that decides the output bytes.

    The spec, the roster files and every file of each lesson (by content and by
    path relative to the spec's or the lesson's folder, so the hash does not
    depend on where the folder is mounted), each layout's effective settings,
    the package version and `extra` (such as SOURCE_DATE_EPOCH).
    """
    base = spec.parent
    parts: dict[str, Any] = {"format": FORMAT, "version": __version__,
                             "spec": sha256_file(spec), "extra": extra or {}}
    parts["roster"] = {os.path.relpath(p, base): sha256_file(p) for p in roster}
    parts["lessons"] = [
        {str(p.relative_to(folder)): sha256_file(p, follow=False) for p in _tree(folder)}
        for folder in lessons
    ]
    parts["layouts"] = layouts
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=True).encode()
    return hashlib.sha256(blob).hexdigest()


def document(entries: Iterable[Entry], inputs: str, shard: str | None = None) -> dict[str, Any]:
    """The manifest as written: entries sorted by path."""
    doc: dict[str, Any] = {"format": FORMAT, "generator": f"worksheets {__version__}",
                           "inputs": inputs}
    if shard:
        doc["shard"] = shard
    doc["outputs"] = sorted(entries, key=lambda e: str(e["path"]))
    return doc


def dumps(doc: dict[str, Any]) -> bytes:
    """Stable JSON text for a manifest."""
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def write(path: Path, doc: dict[str, Any]) -> None:
    """Write a manifest atomically."""
    write_atomic(path, dumps(doc))


def read(path: Path) -> dict[str, Any]:
    """Read a manifest; raise WorksheetError when it is not one."""
    from ..load.text import NotAFile, read_regular

    try:
        doc = json.loads(read_regular(str(path), 500_000_000).decode("utf-8"))
    except NotAFile as e:
        raise WorksheetError(f"{path}: the manifest {e.args[0]}") from None
    except ValueError as e:
        raise WorksheetError(f"{path}: not a manifest: {e}") from None
    except RecursionError:  # a damaged file nested deeper than Python's stack
        raise WorksheetError(f"{path}: not a manifest: nested too deeply") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("outputs"), list) or not all(
        isinstance(e, dict) and isinstance(e.get("path"), str) for e in doc["outputs"]
    ):
        raise WorksheetError(f"{path}: not a worksheets manifest (no 'outputs' list)")
    return doc


def read_entries(paths: Iterable[Path]) -> dict[str, Entry]:
    """Entries by path from the manifests that exist among `paths`; unreadable ones are skipped.

    Used by --resume, where a manifest cut short or damaged only means more is rebuilt.
    """
    out: dict[str, Entry] = {}
    for p in paths:
        if not p.is_file():
            continue
        try:
            doc = read(p)
        except WorksheetError:
            continue
        for e in doc["outputs"]:
            out.setdefault(e["path"], e)
    return out


def merge(paths: Sequence[Path], output: Path) -> dict[str, Any]:
    """Join the manifests of the shards of one run into one, written atomically to `output`.

    Refuses manifests made from different inputs and two different files at one path.
    """
    if not paths:
        raise WorksheetError("manifest merge: name at least one manifest")
    inputs: dict[str, Path] = {}
    entries: dict[str, tuple[Entry, Path]] = {}
    for p in paths:
        doc = read(p)
        inputs.setdefault(str(doc.get("inputs")), p)
        for e in doc["outputs"]:
            seen = entries.get(e["path"])
            if seen is not None and seen[0].get("sha256") != e.get("sha256"):
                raise WorksheetError(f"{p}: {e['path']} differs from the one in {seen[1]} "
                                     "(were they made from the same inputs?)")
            entries.setdefault(e["path"], (e, p))
    if len(inputs) > 1:
        a, b = list(inputs.values())[:2]
        raise WorksheetError(f"{a} and {b} were made from different inputs; run the shards "
                             "again with the same spec, roster, lessons and version")
    doc = document((e for e, _ in entries.values()), next(iter(inputs)))
    prepare_dir(output.parent)
    write(output, doc)
    return doc
