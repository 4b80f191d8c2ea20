"""Validation issues -> located problems: file:line:col, what is wrong, and a hint."""

from __future__ import annotations

import difflib
import math
import types
import typing
from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec

from ..errors import Location, Problem, shorten
from ..markup import inline_problems
from .scalars import Lookalike
from .validate import Issue, convert, fields_of
from .yaml import Loaded, dotted

M = TypeVar("M", bound=msgspec.Struct)


def validate_file(
    model: type[M], loaded: Loaded, problems: list[Problem], empty_ok: bool = False
) -> tuple[M, Loaded] | None:
    data = loaded.data
    if loaded.reported(()):
        return None
    if data is None:
        if empty_ok:
            data = {}
        else:
            problems.append(
                Problem(Location(loaded.file, 1, 1), "file is empty", _expected_keys_hint(model))
            )
            return None
    if not isinstance(data, dict):
        problems.append(
            Problem(
                Location(loaded.file, 1, 1),
                f"expected a mapping of keys, got {kind_of(data)}",
                _expected_keys_hint(model),
            )
        )
        return None
    value, issues = convert(data, model)
    if value is None:
        problems.extend(translate(issues, model, loaded))
        return None
    return value, loaded


def _expected_keys_hint(model: type[msgspec.Struct]) -> str:
    fields = fields_of(model)
    required = [n for n, f in fields.items() if f.required]
    return "expected keys: " + ", ".join(required or list(fields))


# --- validation issues -> located problems ----------------------------------------


def translate(
    issues: Sequence[Issue], model: type[msgspec.Struct], loaded: Loaded
) -> list[Problem]:
    errors: list[tuple[Issue, tuple[Any, ...], bool]] = []
    seen: set[tuple[Any, ...]] = set()
    for err in issues:
        path, is_key = err.loc, err.is_key
        if (path, is_key) in seen or loaded.reported(path):
            continue  # one message for a value is enough
        seen.add((path, is_key))
        errors.append((err, path, is_key))
    # The value of a refused key is not worth a second message.
    errors = [e for e in errors if e[2] or (e[1], True) not in seen]
    # A misspelt key (`promt:`) explains the missing field it stands for: say it once.
    meant = {
        (path[:-1], did_you_mean(str(path[-1]), _fields_at(model, path[:-1])))
        for err, path, _ in errors
        if err.kind == "extra_forbidden"
    }
    return [
        _problem(err, path, is_key, model, loaded)
        for err, path, is_key in errors
        if not (err.kind == "missing" and (path[:-1], path[-1]) in meant)
    ]


# Words an author may use for a value, by the value they mean.
_SYNONYMS = {
    "essay": "written",
    "short-answer": "written",
    "open": "written",
    "multiple-choice": "choice",
    "mcq": "choice",
    "true/false": "true-false",
    "truefalse": "true-false",
    "boolean": "true-false",
}


def choice_hint(value: str, options: Sequence[str]) -> str:
    """'did you mean X?' for a near miss, else the options there are."""
    close = did_you_mean(value, options)
    return f"did you mean '{close}'?" if close else "expected one of: " + ", ".join(options)


def did_you_mean(value: str, options: Sequence[str]) -> str | None:
    """The option the author most likely meant by `value`, if any is close."""
    for o in options:
        if o.lower() == value.lower():
            return o
    close = difflib.get_close_matches(value, options, n=1)
    if close:
        return close[0]
    words = [w for w, o in _SYNONYMS.items() if o in options]
    close = difflib.get_close_matches(value.lower(), words, n=1)
    return _SYNONYMS[close[0]] if close else None


def _is_struct(t: Any) -> typing.TypeGuard[type[msgspec.Struct]]:
    return isinstance(t, type) and issubclass(t, msgspec.Struct)


def _fields_at(model: type[msgspec.Struct], path: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at `path`."""
    t = _type_at(model, path)
    return list(fields_of(t)) if _is_struct(t) else []


def _field_at(model: type[msgspec.Struct], path: tuple[Any, ...]) -> Any:
    """The field (msgspec FieldInfo) at `path`, or None."""
    parent = _type_at(model, path[:-1]) if path else None
    return fields_of(parent).get(str(path[-1])) if _is_struct(parent) else None


def _required(model: type[msgspec.Struct], path: tuple[Any, ...]) -> bool:
    """Whether the field at `path` must be given."""
    f = _field_at(model, path)
    return f is not None and bool(f.required)


def _type_at(model: type[msgspec.Struct], path: tuple[Any, ...]) -> Any:
    t: Any = model
    for part in path:
        t = _unwrap(t)
        if _is_struct(t):
            f = fields_of(t).get(str(part))
            t = f.type if f else None
        elif typing.get_origin(t) in (list, dict):
            t = typing.get_args(t)[-1]
        else:
            return None
    return _unwrap(t)


def _unwrap(t: Any) -> Any:
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            t = typing.get_args(t)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(t) if a is not type(None)]
            t = args[0]
        else:
            return t


def _problem(
    err: Issue, path: tuple[Any, ...], is_key: bool, model: type[msgspec.Struct], loaded: Loaded
) -> Problem:
    kind = err.kind
    name = shorten(dotted(path)) or "file"
    value = full = err.input
    if isinstance(value, str):
        value = shorten(value)  # quoted in the message: keep it one short line
    mark = loaded.marks.get(path)
    raw = shorten(mark.raw) if mark and mark.raw is not None else None
    shown = raw if raw is not None else value
    ctx = err.ctx
    loc = loaded.at(path)
    where = f"{dotted(path[:-1])}: " if path[:-1] else ""  # the enclosing mapping
    if is_key:
        if kind == "string_pattern_mismatch":
            return Problem(loaded.at(path, key=True), f"{where}'{value}' is not a valid id",
                           "use letters, digits, '-' and '_', starting with a letter or digit")
        return Problem(
            loaded.at(path, key=True) if path else loc,
            f"{where}unknown key '{value}'",
            f"expected {ctx.get('expected', 'one of the documented keys')}",
        )
    if kind == "missing":
        field = path[-1]
        parent = path[:-1]
        at = loaded.at(parent, key=True) if parent else Location(loaded.file, 1, 1)
        return Problem(at, f"{where}missing required field '{field}'", f"add '{field}:'")
    if kind == "extra_forbidden":
        field = str(path[-1])
        allowed = _fields_at(model, path[:-1])
        return Problem(loaded.at(path, key=True), f"{where}unknown key '{shorten(field)}'",
                       choice_hint(field, allowed))
    if value is None and kind in ("string_type", "int_type", "bool_type"):
        return _empty(name, path, model, loaded)
    if kind == "string_type":
        if isinstance(value, bool) and raw is not None:
            return Problem(loc, f"{name}: expected text, got the yes/no value '{raw}'",
                           f"put it in quotes: \"{raw}\"")
        if raw is not None and not isinstance(value, list | dict):
            return Problem(loc, f"{name}: expected text, got {kind_of(value)} '{raw}'",
                           f"YAML reads this as {kind_of(value)}; put it in quotes: \"{raw}\"")
        return Problem(loc, f"{name}: expected text, got {kind_of(value)}", "write plain text")
    if kind == "string_too_short":
        return _empty(name, path, model, loaded)
    if kind == "string_too_long":
        return Problem(loc, f"{name} is too long: {len(full)} characters",
                       f"at most {ctx.get('max_length')} characters")
    if kind == "string_pattern_mismatch":
        if path and path[-1] == "answer":
            return _answer_problem(name, value, path, loc, loaded)
        if path == ("name",):  # a layout's name: part of the PDF file names
            return Problem(loc, f"{name}: '{value}' cannot be part of a file name",
                           "use letters, digits, '-' and '_', starting with a letter or digit")
        if path == ("lang",):
            return Problem(loc, f"lang: '{value}' is not a language tag",
                           "write a BCP 47 tag such as en-US, en, es or es-MX")
        return Problem(loc, f"{name}: '{value}' is not a valid id",
                       "use letters, digits, '-' and '_', starting with a letter or digit")
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        close = did_you_mean(str(value), options)
        dym = f"did you mean '{close}'? " if close else ""
        return Problem(loc, f"{name}: unknown value '{shown}'",
                       f"{dym}expected: {', '.join(options)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        got = f"{kind_of(value)} '{shown}'" if isinstance(value, str | bool) else f"'{shown}'"
        return Problem(loc, f"{name}: expected a whole number, got {got}", _ge(model, path))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return Problem(loc, f"{name}: {value} is out of range", _ge(model, path))
    if kind == "bool_type":
        return Problem(loc, f"{name}: expected true or false, got {kind_of(value)} '{shown}'",
                       "write true or false")
    if kind == "list_type":
        return Problem(loc, f"{name}: expected a list, got {kind_of(value)}",
                       "write one '- item' per line, or [a, b]")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        allowed = _fields_at(model, path)
        hint = ("with keys: " + ", ".join(allowed)) if allowed else "write 'key: value' lines"
        return Problem(loc, f"{name}: expected a mapping, got {kind_of(value)}", hint)
    if kind == "too_short":
        n = int(ctx.get("min_length", 1))
        return Problem(loc, f"{name}: needs at least {n} item{'' if n == 1 else 's'}",
                       "add the missing items")
    if kind == "too_long":
        return Problem(loc, f"{name}: too many items", f"at most {ctx.get('max_length')}")
    if kind == "value_error":
        msg, _, hint = err.msg.partition(" (")
        return Problem(loc, f"{name}: {msg}", hint.rstrip(")"))
    return Problem(loc, f"{name}: {err.msg}")


def _empty(
    name: str, path: tuple[Any, ...], model: type[msgspec.Struct], loaded: Loaded
) -> Problem:
    """`key:` with nothing (or only a comment, or "") after it."""
    at = loaded.at(path, key=True)
    value_at = loaded.at(path)
    line = loaded.lines[value_at.line - 1] if 0 < value_at.line <= len(loaded.lines) else ""
    if "#" in line[value_at.col - 1 :]:
        hint = "YAML reads text after ' #' as a comment; put the text in quotes"
    else:
        hint = "write the text" if _required(model, path) else "write the text, or remove the key"
    return Problem(at, f"{name} is empty", hint)


def _answer_problem(
    name: str, value: Any, path: tuple[Any, ...], loc: Location, loaded: Loaded
) -> Problem:
    """`answer:` text that is not a choice letter: what it should be depends on the kind."""
    question = loaded.data
    # a variant's answer (questions[i].variants.<name>.answer) is judged by its question's kind
    for part in path[:2] if path[:1] == ("questions",) else path[:-1]:
        question = question[part]
    kind = question.get("kind", "written") if isinstance(question, dict) else "written"
    if kind == "true-false":
        return Problem(loc, f"{name}: expected true or false, got text '{value}'",
                       "write true or false, without quotes")
    if kind == "choice":
        return Problem(loc, f"{name}: '{value}' is not a choice letter",
                       "write the capital letter of the correct choice, such as \"B\"")
    return Problem(loc, f"{name}: a written question has look_fors, not an answer",
                   "rename answer to look_fors and make it a list")


def kind_of(value: Any) -> str:
    if isinstance(value, Lookalike):
        return value.kind
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, float) and not math.isfinite(value):
        return "infinity" if math.isinf(value) else "not-a-number"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"


def _ge(model: type[msgspec.Struct], path: tuple[Any, ...]) -> str:
    """The allowed range of the number at `path`, as a hint."""
    if path and path[-1] == "lines":
        return "write a whole number from 0 to 30"
    f = _field_at(model, path)
    t = f.type if f is not None else None
    while typing.get_origin(t) is typing.Annotated:
        meta = [m for m in typing.get_args(t)[1:] if isinstance(m, msgspec.Meta)]
        lo = next((m.ge for m in meta if m.ge is not None), None)
        hi = next((m.le for m in meta if m.le is not None), None)
        if isinstance(lo, int | float) and isinstance(hi, int | float):
            return f"use a number from {lo:g} to {hi:g}"
        t = typing.get_args(t)[0]
    return "use a smaller or larger value"


def twice(
    items: Sequence[str], loaded: Loaded, base: tuple[str | int, ...], what: str,
    problems: list[Problem], sub: tuple[str, ...] = (), fold: bool = False,
) -> None:
    """Report each item of a list that repeats an earlier one (`sub`: the key to point at)."""
    first: dict[str, int] = {}
    for j, item in enumerate(items):
        key = item.casefold() if fold else item
        if key not in first:
            first[key] = j
            continue
        at = loaded.at((*base, j, *sub))
        was = loaded.at((*base, first[key], *sub)).line
        lines = f", on lines {was} and {at.line}" if was != at.line else ""
        hint = "give each its own id" if sub == ("id",) else "list it once"
        problems.append(Problem(at, f"{dotted(base)}: {what} '{item}' appears twice{lines}",
                                hint))


# --- inline markup in text fields ----------------------------------------------------

# The author text fields printed on a page, by data path ("*": any key or index). Each
# takes the inline markup (`*emphasis*`, `**bold**`); document texts, the background,
# prompts and sources are checked where they are parsed.
LESSON_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("title",), ("central_question",), ("attribution",),
    ("claim", "prompt"), ("claim", "look_fors", "*"), ("claim", "starter"), ("claim", "hint"),
    ("claim", "variants", "*", "prompt"), ("claim", "variants", "*", "look_fors", "*"),
    ("claim", "variants", "*", "starter"), ("claim", "variants", "*", "hint"),
    ("organizer", "title"), ("organizer", "instructions"), ("organizer", "corner"),
    ("organizer", "translations", "*", "*"),
    ("organizer", "columns", "*", "heading"), ("organizer", "columns", "*", "translations", "*"),
    ("organizer", "rows", "*", "prompt"), ("organizer", "rows", "*", "answers", "*"),
    ("organizer", "rows", "*", "given", "*"), ("organizer", "rows", "*", "translations", "*"),
    ("organizer", "columns", "*", "variants", "*"), ("organizer", "rows", "*", "variants", "*"),
    ("variants", "*", "title"),
)
_QUESTION_FIELDS = (("prompt",), ("choices", "*"), ("look_fors", "*"), ("starter",), ("hint",))
QUESTION_TEXT_FIELDS: tuple[tuple[str, ...], ...] = tuple(
    p for f in _QUESTION_FIELDS
    for p in (("questions", "*", *f), ("questions", "*", "variants", "*", *f)))
VOCABULARY_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("terms", "*", "definition"), ("terms", "*", "translations", "*"))
DOCUMENT_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("label",), ("title",), ("dateline",), ("source",), ("credit",))


def markup_problems(loaded: Loaded, fields: Sequence[tuple[str, ...]],
                    problems: list[Problem]) -> None:
    """Report the inline-markup mistakes (an unclosed `**`) of the text fields of a file,
    each where it stands: `questions[2].hint: '**' is not closed ...`."""
    for path, text in _strings(loaded.data, ()):
        if loaded.reported(path) or not any(
                len(f) == len(path) and all(a in ("*", b) for a, b in zip(f, path, strict=True))
                for f in fields):
            continue
        for offset, msg, hint in inline_problems(text):
            problems.append(Problem(_at_offset(loaded, path, text, offset),
                                    f"{dotted(path)}: {msg}", hint))


def _strings(data: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in _strings(v, (*path, str(k)))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _strings(v, (*path, i))]
    return []


def _at_offset(loaded: Loaded, path: tuple[str | int, ...], text: str, offset: int) -> Location:
    """Where character `offset` of a value stands, when the value is written on its line as
    it reads (plain or simply quoted); else where the value starts."""
    at = loaded.at(path)
    line = loaded.lines[at.line - 1] if 0 < at.line <= len(loaded.lines) else ""
    head = text[: offset + 2]
    for skip in (0, 1):
        start = at.col - 1 + skip
        if "\n" not in head and line[start : start + len(head)] == head:
            return Location(at.file, at.line, at.col + skip + offset)
    return at
