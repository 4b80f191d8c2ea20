"""JSON Schema for every file an author edits, generated from the validation models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from .load import shapes
from .load.layout import DIM_PATTERN, LENGTHS, Layout


def _models() -> dict[str, type[msgspec.Struct]]:
    models: dict[str, type[msgspec.Struct]] = {
        "lesson": shapes.LessonFile,
        "questions": shapes.QuestionsFile,
        "vocabulary": shapes.VocabularyFile,
        "document": shapes.DocumentFrontMatter,
        "layout": Layout,
    }
    try:
        from .batch import BatchSpec  # the district batch spec, where it exists
    except ImportError:  # pragma: no cover
        pass
    else:
        models["batch"] = BatchSpec
    return models


def json_schemas() -> dict[str, dict[str, Any]]:
    """The schema of each kind of file, by name."""
    models = _models()
    (*refs,), defs = msgspec.json.schema_components(
        list(models.values()), ref_template="#/$defs/{name}")
    length = {"type": "string", "pattern": DIM_PATTERN}
    for k in LENGTHS:  # lengths are numbers of points, or text with a unit
        prop = defs["Layout"]["properties"][k]
        number = {n: prop.pop(n) for n in ("type", "minimum", "maximum") if n in prop}
        prop["anyOf"] = [number, length]
    out = {}
    for name, ref in zip(models, refs, strict=True):
        top = dict(defs[ref["$ref"].rsplit("/", 1)[1]])
        used = _refs(top, defs)
        top.pop("title", None)
        s: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                             "title": f"worksheets {name} file", **top}
        if used:
            s["$defs"] = {k: defs[k] for k in sorted(used)}
        out[name] = s
    return out


def _refs(node: Any, defs: dict[str, Any], found: set[str] | None = None) -> set[str]:
    """The names of the definitions `node` refers to, directly or through others."""
    found = set() if found is None else found
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name not in found:
                found.add(name)
                _refs(defs[name], defs, found)
        for v in node.values():
            _refs(v, defs, found)
    elif isinstance(node, list):
        for v in node:
            _refs(v, defs, found)
    return found


def write_schemas(folder: str | Path) -> list[Path]:
    """Write `<name>.schema.json` files into `folder`."""
    from .write import prepare_dir, write_atomic

    folder = Path(folder)
    prepare_dir(folder)
    written = []
    for name, s in json_schemas().items():
        path = folder / f"{name}.schema.json"
        write_atomic(path, (json.dumps(s, indent=2, ensure_ascii=False) + "\n").encode())
        written.append(path)
    return written
