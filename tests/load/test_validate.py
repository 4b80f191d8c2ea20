"""The validator: msgspec decides, the walker lists every issue, and the two always agree.

msgspec stops at the first problem; `issues_in` walks the same types to find them all. If the
walker ever passed data that msgspec refuses (or the reverse), an author would get a wrong or
empty report, so Hypothesis mutates the shipped files and checks both on every example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from worksheets.batch import spec as batchspec
from worksheets.load import shapes as schema
from worksheets.load.layout import Layout
from worksheets.load.validate import Issue, convert, issues_in
from worksheets.load.yaml import split_front_matter

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "content" / "cuban-missile-crisis"


def _files() -> list[tuple[type[msgspec.Struct], Any]]:
    out: list[tuple[type[msgspec.Struct], Any]] = [
        (schema.LessonFile, yaml.safe_load((LESSON / "lesson.yaml").read_text())),
        (schema.QuestionsFile, yaml.safe_load((LESSON / "questions.yaml").read_text())),
        (schema.VocabularyFile, yaml.safe_load((LESSON / "vocabulary.yaml").read_text())),
        (schema.DocumentFrontMatter,
         yaml.safe_load(split_front_matter((LESSON / "documents" / "C.md").read_text())[0])),
        (Layout, {"paper": "a4", "margin_left": 40, "leading": 1.5, "justify": True}),
    ]
    spec = yaml.safe_load((ROOT / "examples" / "district" / "district-oneroster.yaml").read_text())
    spec.pop("date", None)  # the loader turns an unquoted date into text first
    out.append((batchspec.SpecFile, spec))
    return out


FILES = _files()

# Values that break one rule or another: wrong types, empty and overlong text, ids with a
# line break, out-of-range numbers, unknown literals and keys.
ODD = [None, True, False, 0, -1, 3, 31, 2.5, float("nan"), "", " ", "x" * 301, "x" * 5001,
       "id\n", "G", "B", "essay", "written", "es", "fr", "a4", "legal", "sans", "0.8in",
       [], ["A"], ["A", "A"], [1], {}, {"x": 1}, {"es": "hola"}, {"title": "T"}]


def _paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*here, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*here, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _set(data[path[0]], path[1:], value) if path[1:] else value
    return copy


def _drop(data: Any, path: tuple[Any, ...]) -> Any:
    if len(path) == 1:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k != path[0]}
        return [v for i, v in enumerate(data) if i != path[0]]
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _drop(data[path[0]], path[1:])
    return copy


@st.composite
def mutated(draw: st.DrawFn) -> tuple[type[msgspec.Struct], Any]:
    model, data = draw(st.sampled_from(FILES))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        how = draw(st.sampled_from(["set", "set", "drop", "add"]))
        if how == "drop" and path:
            data = _drop(data, path)
        elif how == "add" and isinstance(_get(data, path), dict):
            key = draw(st.sampled_from(["promt", "extra", "es", "fr", "standard", "bad id"]))
            data = _set(data, (*path, key), draw(st.sampled_from(ODD)))
        else:
            data = _set(data, path, draw(st.sampled_from(ODD)))
    return model, data


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


@settings(derandomize=True, deadline=None, max_examples=1500)
@given(mutated())
def test_the_walker_agrees_with_msgspec(case: tuple[type[msgspec.Struct], Any]) -> None:
    model, data = case
    try:
        msgspec.convert(data, model, strict=True)
        accepted = True
    except msgspec.ValidationError:
        accepted = False
    issues = issues_in(data, model)
    assert accepted == (not issues), issues


@pytest.mark.parametrize(("model", "data"), FILES)
def test_shipped_files_convert(model: type[msgspec.Struct], data: Any) -> None:
    value, issues = convert(data, model)
    assert issues == [] and isinstance(value, model)


def test_every_issue_at_once_in_declared_order() -> None:
    data = {"questions": [
        {"id": "q\n", "documents": [], "skill": "sorcing", "prompt": "", "lines": 31,
         "answer": "G", "kind": True, "promt": "x"},
        {"documents": ["A"], "skill": "sourcing", "prompt": "Why?", "evidence": [{"doc": 1}]},
    ]}
    issues = issues_in(data, schema.QuestionsFile)
    assert [(i.kind, i.loc) for i in issues] == [
        ("string_pattern_mismatch", ("questions", 0, "id")),
        ("too_short", ("questions", 0, "documents")),
        ("literal_error", ("questions", 0, "skill")),
        ("literal_error", ("questions", 0, "kind")),
        ("string_too_short", ("questions", 0, "prompt")),
        ("less_than_equal", ("questions", 0, "lines")),
        ("string_pattern_mismatch", ("questions", 0, "answer")),
        ("extra_forbidden", ("questions", 0, "promt")),
        ("missing", ("questions", 1, "id")),
        ("string_type", ("questions", 1, "evidence", 0, "doc")),
        ("missing", ("questions", 1, "evidence", 0, "quote")),
    ]
    skill = issues[2]
    assert skill.ctx == {"expected": "'sourcing', 'contextualization', 'close-reading' or "
                                     "'corroboration'"}


def test_a_bad_key_is_an_issue_of_the_key() -> None:
    data = {"terms": [{"term": "pledge", "definition": "a promise", "translations": {"fr": "x"}}]}
    assert issues_in(data, schema.VocabularyFile) == [
        Issue("literal_error", ("terms", 0, "translations", "fr"), "fr", {"expected": "'es'"},
              is_key=True),
    ]
