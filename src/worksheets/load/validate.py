"""Check YAML data against a file's shape (a msgspec Struct) and list every problem in it.

msgspec converts a valid file in one C call and is the authority on what is
valid. It stops at the first problem, though, so for a file it refuses,
`issues_in` walks the data against the same types and lists every problem:
a missing key, an unknown key, text where a number belongs, and so on.
`load.py` words each one for the author and locates it in the file.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


@dataclass(frozen=True)
class Issue:
    """One thing wrong with the data, at `loc` (keys and list indexes from the file's top).

    `kind` names the rule that failed: missing, extra_forbidden, string_type,
    string_too_short, string_too_long, string_pattern_mismatch, literal_error,
    int_type, float_type, bool_type, list_type, dict_type, model_type,
    too_short, too_long, greater_than_equal, less_than_equal, value_error.
    A key that is itself wrong (in a mapping of ids, say) has `is_key`.
    """

    kind: str
    loc: tuple[str | int, ...]
    input: Any
    ctx: dict[str, Any] = field(default_factory=dict)
    is_key: bool = False
    msg: str = ""


def convert(data: Any, model: type[T]) -> tuple[T | None, list[Issue]]:
    """`data` as a `model`, or None and every issue found in it."""
    try:
        return msgspec.convert(data, model, strict=True), []
    except msgspec.ValidationError as e:
        issues = issues_in(data, model)
        if not issues:  # pragma: no cover - the walker knows every rule the types use
            issues = [Issue("value_error", (), data, msg=str(e))]
        return None, issues


def issues_in(data: Any, model: type[Any]) -> list[Issue]:
    """Every issue in `data` read as a `model`; empty when msgspec would accept it."""
    out: list[Issue] = []
    _walk(model, data, (), out)
    return out


def fields_of(model: type[Any]) -> dict[str, msgspec.structs.FieldInfo]:
    """The fields of a Struct type, by name."""
    return {f.name: f for f in msgspec.structs.fields(model)}


Loc = tuple[str | int, ...]


def _walk(t: Any, value: Any, loc: Loc, out: list[Issue], meta: tuple[Any, ...] = ()) -> None:
    """Check `value` against the annotation `t`; `meta` holds the msgspec.Meta around it."""
    origin = typing.get_origin(t)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(t)
        _walk(inner, value, loc, out, (*meta, *(m for m in extra if isinstance(m, msgspec.Meta))))
    elif origin in (typing.Union, types.UnionType):
        _union(typing.get_args(t), value, loc, out)
    elif origin is typing.Literal:
        _literal(typing.get_args(t), value, loc, out)
    elif origin is list:
        if not isinstance(value, list):
            out.append(Issue("list_type", loc, value))
            return
        _length(meta, value, loc, out)
        for i, item in enumerate(value):
            _walk(typing.get_args(t)[0], item, (*loc, i), out)
    elif origin is dict:
        if not isinstance(value, dict):
            out.append(Issue("dict_type", loc, value))
            return
        _length(meta, value, loc, out)
        key_type, value_type = typing.get_args(t)
        for k, v in value.items():
            keyed: list[Issue] = []
            _walk(key_type, k, (*loc, k), keyed)
            out.extend(Issue(i.kind, i.loc, i.input, i.ctx, True, i.msg) for i in keyed)
            if not keyed:
                _walk(value_type, v, (*loc, k), out)
    elif isinstance(t, type) and issubclass(t, msgspec.Struct):
        _struct(t, value, loc, out)
    elif t is str:
        _str(_bounds(meta), value, loc, out)
    elif t is bool:
        if not isinstance(value, bool):
            out.append(Issue("bool_type", loc, value))
    elif t is int:
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(Issue("int_type", loc, value))
        else:
            _range(_bounds(meta), value, loc, out)
    elif t is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            out.append(Issue("float_type", loc, value, msg="Input should be a valid number"))
        else:
            _range(_bounds(meta), value, loc, out)
    elif t is type(None) or t is None:
        if value is not None:  # pragma: no cover - None only stands in unions
            out.append(Issue("none_required", loc, value))
    else:  # pragma: no cover - a type the file shapes do not use
        raise TypeError(f"no check for {t!r}")


def _bounds(meta: tuple[Any, ...]) -> dict[str, Any]:
    """The constraints of the msgspec.Meta around a value, merged."""
    out: dict[str, Any] = {}
    for m in meta:
        for k in ("min_length", "max_length", "pattern", "ge", "le"):
            if getattr(m, k) is not None:
                out[k] = getattr(m, k)
    return out


def _union(members: tuple[Any, ...], value: Any, loc: Loc, out: list[Issue]) -> None:
    if value is None and type(None) in members:
        return
    found: list[list[Issue]] = []
    for m in members:
        if m is type(None):
            continue
        issues: list[Issue] = []
        _walk(m, value, loc, issues)
        if not issues:
            return
        found.append(issues)
    # The member of the value's own type says best what is wrong (text that is not a
    # choice letter); otherwise the first member does (expected text).
    typed = [f for f in found if f[0].loc != loc or not f[0].kind.endswith("_type")]
    out.extend(typed[0] if typed else found[0])


def _str(b: dict[str, Any], value: Any, loc: Loc, out: list[Issue]) -> None:
    if not isinstance(value, str):
        out.append(Issue("string_type", loc, value))
    elif len(value) < b.get("min_length", 0):
        out.append(Issue("string_too_short", loc, value, {"min_length": b["min_length"]}))
    elif "max_length" in b and len(value) > b["max_length"]:
        out.append(Issue("string_too_long", loc, value, {"max_length": b["max_length"]}))
    elif "pattern" in b and not re.search(b["pattern"], value):
        out.append(Issue("string_pattern_mismatch", loc, value, {"pattern": b["pattern"]}))


def _range(b: dict[str, Any], value: Any, loc: Loc, out: list[Issue]) -> None:
    # `not >=`: NaN compares false with everything, and is out of every range
    if "ge" in b and not value >= b["ge"]:
        out.append(Issue("greater_than_equal", loc, value, {"ge": b["ge"]}))
    elif "le" in b and not value <= b["le"]:
        out.append(Issue("less_than_equal", loc, value, {"le": b["le"]}))


def _literal(values: tuple[Any, ...], value: Any, loc: Loc, out: list[Issue]) -> None:
    if not any(value == v and type(value) is type(v) for v in values):
        shown = [repr(v) for v in values]
        expected = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
        out.append(Issue("literal_error", loc, value, {"expected": expected}))


def _length(meta: tuple[Any, ...], value: Any, loc: Loc, out: list[Issue]) -> None:
    b = _bounds(meta)
    if len(value) < b.get("min_length", 0):
        out.append(Issue("too_short", loc, value, {"min_length": b["min_length"]}))
    elif "max_length" in b and len(value) > b["max_length"]:
        out.append(Issue("too_long", loc, value, {"max_length": b["max_length"]}))


def _struct(t: type[msgspec.Struct], value: Any, loc: Loc, out: list[Issue]) -> None:
    if not isinstance(value, dict):
        out.append(Issue("model_type", loc, value))
        return
    fields = fields_of(t)
    for f in fields.values():
        if f.name in value:
            _walk(f.type, value[f.name], (*loc, f.name), out)
        elif f.required:
            out.append(Issue("missing", (*loc, f.name), value))
    for k in value:
        if k not in fields:
            expected = ", ".join(repr(n) for n in fields)
            out.append(Issue("extra_forbidden", (*loc, k), value[k], {"expected": expected}))
