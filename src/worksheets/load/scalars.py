"""Plain scalars resolved the way a writer means them (YAML 1.2 core, not 1.1): no
implicit dates or times, no base-60 or `0x_` numbers; a value that cannot be built is
an `Unbuildable`, never an exception from PyYAML."""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver


class Lookalike:
    """A plain value that YAML 1.1 reads as a number, date or time though it is none in the
    sense the author likely meant (`12:30` is 750, `1_000`, `2024-01-05`, `1962-10-32`).

    It is neither text nor a number, so every field refuses it with "put it in quotes",
    and building it can never fail (an impossible date is not a date at all).
    """

    __slots__ = ("kind", "raw")

    def __init__(self, kind: str, raw: str) -> None:
        self.kind = kind  # "a number", "a date", "a date and time"
        self.raw = raw

    def __str__(self) -> str:
        return self.raw

    def __repr__(self) -> str:
        return f"Lookalike({self.kind!r}, {self.raw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lookalike) and (self.kind, self.raw) == (other.kind, other.raw)

    def __hash__(self) -> int:
        return hash((self.kind, self.raw))


TAG = "tag:yaml.org,2002:"
# Tags an author may write (`!!str 12:30`); scalar tags are resolved by the rules below.
TAGS_OK = {TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {v: b for b, vs in ((True, "true yes on"), (False, "false no off"))
          for w in vs.split() for v in (w, w.capitalize(), w.upper())}
# Numbers read as YAML 1.2 reads them (no '_', no base 60, no 0b); PyYAML's 1.1 rules
# decide only whether a plain value looks like a number at all.
INT = re.compile(r"[-+]?(?:[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)")
FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
SPECIAL = {f"{sign}{dot}": f for sign in ("", "+", "-")
            for dot, f in ((".inf", "inf"), (".Inf", "inf"), (".INF", "inf"))} | {
    ".nan": "nan", ".NaN": "nan", ".NAN": "nan"}
KEY_TAGS = {TAG + t for t in ("timestamp", "merge", "value")}  # plain keys YAML 1.1 reads oddly
MAX_DIGITS = 100  # a number in a lesson file has a few digits; Python prints at most 4300


class Unbuildable(Exception):
    """A scalar that cannot become the value its tag asks for: (message, hint)."""


def scalar(tag: str, text: str, plain: bool) -> Any:
    """The value of a scalar node whose tag is in TAGS_OK; raise Unbuildable."""
    kind = tag.removeprefix(TAG)
    if kind == "str":
        return text
    if kind == "null":
        if text in NULLS:
            return None
        raise Unbuildable(f"'{shorten_raw(text)}' is not empty (null)", "remove the '!!null' tag")
    if kind == "bool":
        if text in BOOLS:
            return BOOLS[text]
        raise Unbuildable(f"'{shorten_raw(text)}' is not true or false",
                           "write true or false, or remove the '!!bool' tag")
    if kind in ("int", "float"):
        t = text.strip()
        if kind == "float" and t in SPECIAL:
            return float(SPECIAL[t])
        if INT.fullmatch(t):
            digits = t.lstrip("+-")
            if len(digits) > MAX_DIGITS:
                raise Unbuildable(f"a number of {len(digits)} digits is too long",
                                   "put it in quotes if it is text")
            sign = -1 if t.startswith("-") else 1
            base = 16 if digits[:2] == "0x" else 8 if digits[:2] == "0o" else 10
            n = sign * int(digits[2:] if base != 10 else digits, base)
            return float(n) if kind == "float" else n
        if kind == "float" and FLOAT.fullmatch(t):
            return float(t)
        if plain and implicit(text) == tag:
            # YAML 1.1 reads it as a number; 1.2 would not (12:30, 1_000, 0b11, 0x_)
            return Lookalike("a number", text)
        raise Unbuildable(f"'{shorten_raw(text)}' is not a {'whole ' if kind == 'int' else ''}"
                           "number", f"remove the '!!{kind}' tag")
    raise Unbuildable(f"the YAML tag '!!{kind}' is not allowed",  # pragma: no cover
                       "remove the tag")


RESOLVER = Resolver()


def implicit(text: str) -> str:
    """The tag YAML 1.1 gives a plain scalar `text` without an explicit tag."""
    return str(RESOLVER.resolve(ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]

def shorten_raw(text: str, limit: int = 60) -> str:
    """Author text quoted in a message: one short line."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."
