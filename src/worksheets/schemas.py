"""JSON Schema for every file an author edits, generated from the validation models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import schema
from .layout import Layout


def _models() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {
        "lesson": schema.LessonFile,
        "questions": schema.QuestionsFile,
        "vocabulary": schema.VocabularyFile,
        "document": schema.DocumentFrontMatter,
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
    out = {}
    for name, model in _models().items():
        s = model.model_json_schema()
        s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        s["title"] = f"worksheets {name} file"
        out[name] = s
    return out


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
