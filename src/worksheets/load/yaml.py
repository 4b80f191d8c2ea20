"""Safe YAML reading that remembers where every value came from.

Only the safe constructors are used; aliases, duplicate keys, tags, control
characters and non-UTF-8 bytes are refused with a located message. Loading
never raises for bad content: problems are returned for the caller to report
together with everything else that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from ..errors import Location, Problem
from .scalars import KEY_TAGS, TAG, TAGS_OK, Lookalike, Unbuildable, implicit, scalar, shorten_raw
from .text import FORBIDDEN, describe

MAX_DEPTH = 50
MAX_KEY = 200  # characters in a key: keys are short names, and messages quote them

Path_ = tuple[str | int, ...]

@dataclass(frozen=True)
class Mark:
    """Where a value (and its key, for mapping values) stands in the file."""

    line: int
    col: int
    key_line: int
    key_col: int
    raw: str | None = None  # the source text of a plain (unquoted) scalar


@dataclass
class Loaded:
    """YAML data plus the location of every value, by its path."""

    file: str
    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    bad: set[Path_] = field(default_factory=set)  # values already reported (tags, controls)
    lines: list[str] = field(default_factory=list)  # the source text, for hints

    def reported(self, path: Path_) -> bool:
        """Whether a problem was already reported at `path` or at one of its parents."""
        return any(path[: len(b)] == b for b in self.bad)

    def at(self, path: Path_, key: bool = False) -> Location:
        """The location of the value at `path`, or of its nearest known parent."""
        p = tuple(path)
        while p not in self.marks and p:
            p = p[:-1]
        m = self.marks.get(p)
        if m is None:
            return Location(self.file, 1, 1)
        if key:
            return Location(self.file, m.key_line, m.key_col)
        return Location(self.file, m.line, m.col)


class _Guard(Composer):
    """Refuses aliases and deep nesting while composing."""

    depth = 0
    check_event: Any  # from the parser it is mixed with
    peek_event: Any

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            ev = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed",
                problem_mark=ev.start_mark,
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                problem=f"nested more than {MAX_DEPTH} levels deep",
                problem_mark=self.peek_event().start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(_Guard, yaml.SafeLoader):
    """The pure-Python safe loader: its error messages are the ones authors see."""


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _FastLoader(_Guard, CParser, SafeConstructor, Resolver):
        """libyaml's parser (ten times faster) under the same guarded composer.

        Only well-formed files go this way: on any error the file is parsed
        again with `_Loader`, whose messages and marks the hints are written for.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

else:  # pragma: no cover - PyYAML wheels ship libyaml
    _FastLoader = _Loader  # type: ignore[misc, assignment]


def _hint_for(problem: str, context: str) -> str:
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "put the text in quotes when it contains ': '"
    if "cannot start any token" in problem:
        return "put the text in quotes"
    if "alias" in context or "anchor" in context:
        return "put the text in quotes; a value that starts with '*' or '&' means something else"
    if "expected ',' or ']'" in problem:
        return "close the list with ']'"
    if "expected ',' or '}'" in problem:
        return "close the mapping with '}'"
    if "expected <block end>, but found '<scalar>'" in problem:
        return "put the whole value in quotes"
    if "could not find expected ':'" in problem:
        return "write 'key: value', or put text that runs over several lines in quotes"
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        return "check the indentation of this line"
    if "aliases" in problem:
        return "write the value out in full"
    if "nested" in problem:
        return "a lesson file needs only a few levels"
    return "check the YAML syntax here"


# What PyYAML calls the construct that was open when the error was found.
_CONSTRUCTS = {
    "flow sequence": "the list",
    "flow mapping": "the mapping",
    "flow node": "the value",
    "block mapping": "the mapping",
    "block collection": "the list",
    "quoted scalar": "the quoted text",
    "alias": "the alias",
    "anchor": "the anchor",
}


# PyYAML's wording, where it is parser jargon, in the author's words.
_PLAIN = {
    "expected <block end>, but found '<block mapping start>'":
        "the indentation of this line does not match the lines before it",
    "expected <block end>, but found '<scalar>'": "unexpected text after a value",
}


def load_yaml(text: str, display: str, problems: list[Problem]) -> Loaded | None:
    """Parse YAML text into plain data plus marks; append problems, return None on failure.

    Never raises for anything in `text`: whatever goes wrong while reading or building a
    value becomes a located problem.
    """
    loader: _Loader | _FastLoader | None = None
    node: Node | Literal[False] | None
    try:
        loader = _FastLoader(text)
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError, ValueError):
        if loader is not None:
            loader.dispose()
        node = _slow_parse(text, display, problems)
        if node is None:
            return None
        loader = None
    finally:
        if loader is not None:
            loader.dispose()
    out = Loaded(display, None, lines=text.split("\n"))
    if node is None or node is False:
        return out
    try:
        out.data = _construct(node, (), out, None, problems, None)
    except RecursionError:  # pragma: no cover - nesting is limited while composing
        problems.append(Problem(Location(display, 1, 1), "nested too deeply", "simplify the file"))
        return None
    return out


def _slow_parse(text: str, display: str, problems: list[Problem]) -> Node | Literal[False] | None:
    """The node of `text` by the pure-Python parser (False: an empty file), or None with
    the syntax problem appended: its messages and marks are the ones authors are shown."""
    try:
        loader = _Loader(text)
    except yaml.YAMLError as e:  # the reader refuses a character before parsing
        problems.append(_reader_problem(e, display, text))
        return None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        problems.append(_syntax_problem(e, display, text))
        return None
    except yaml.YAMLError as e:
        problems.append(_reader_problem(e, display, text))
        return None
    except RecursionError:
        problems.append(Problem(Location(display, 1, 1), "nested too deeply",
                                "simplify the file"))
        return None
    finally:
        loader.dispose()
    return False if node is None else node


def _reader_problem(e: yaml.YAMLError, display: str, text: str) -> Problem:
    """A character YAML's reader refuses, at its line and column."""
    pos = getattr(e, "position", None)
    if not isinstance(pos, int) or not 0 <= pos < len(text):
        return Problem(Location(display, 1, 1), "YAML cannot read this file",
                       "save it as UTF-8 text")
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return Problem(Location(display, line, col),
                   f"the character U+{ord(text[pos]):04X} is not allowed in YAML",
                   "delete it; it is invisible and would print as a blank box")


def _syntax_problem(e: yaml.MarkedYAMLError, display: str, text: str) -> Problem:
    pm, cm = e.problem_mark, e.context_mark
    problem = (e.problem or "invalid YAML").strip()
    context = (e.context or "").strip()

    def at(m: yaml.Mark) -> Location:
        return Location(display, m.line + 1, m.column + 1)

    if "quoted scalar" in context and "end of stream" in problem and cm is not None:
        return Problem(at(cm), "YAML syntax error: the quote opened here is never closed",
                       "close the quote")
    flow = _open_flow(text) if "<stream end>" in problem or "end of stream" in problem \
        else None
    if flow is not None:  # the file ended inside a [ or {: say where it opened
        fmark, is_list = flow
        what, o, c = ("list", "[", "]") if is_list else ("mapping", "{", "}")
        return Problem(at(fmark), f"YAML syntax error: the {what} opened here with '{o}' is "
                       "never closed", f"close the {what} with '{c}'")
    if "single document" in context and pm is not None:
        return Problem(at(pm), "YAML syntax error: a second YAML document starts here",
                       "remove the '---' line: one file holds one YAML document")
    if "could not find expected ':'" in problem and cm is not None:
        return Problem(at(cm), "YAML syntax error: expected 'key: value' on this line",
                       _hint_for(problem, context))
    runaway = _runaway_quote(text, pm)
    if runaway is not None:
        opened, closed = runaway
        return Problem(at(opened), "YAML syntax error: the quote opened here is closed only "
                       f"on line {closed.line + 1}", "close the quote on this line")
    mark = pm or cm
    assert mark is not None
    extra = ""
    after_value = problem == "expected <block end>, but found '<scalar>'"
    if cm is not None and pm is not None and cm.line != pm.line and not after_value:
        what = next((v for k, v in _CONSTRUCTS.items() if k in context), "it")
        extra = f"; {what} starts on line {cm.line + 1}"
    shown = _PLAIN.get(problem, problem)
    shown = shown.replace("'<stream end>'", "the end of the text").replace("'<scalar>'", "text")
    return Problem(at(mark), f"YAML syntax error: {shown}{extra}", _hint_for(problem, context))


def _open_flow(text: str) -> tuple[yaml.Mark, bool] | None:
    """The innermost `[` or `{` still open where the text ends (and whether it is a list)."""
    stack: list[tuple[yaml.Mark, bool]] = []
    try:
        for tok in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(tok, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                stack.append((tok.start_mark, isinstance(tok, yaml.FlowSequenceStartToken)))
            elif isinstance(tok, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and stack:
                stack.pop()
    except yaml.YAMLError:
        return None
    return stack[-1] if stack else None


def _runaway_quote(text: str, pm: yaml.Mark | None) -> tuple[yaml.Mark, yaml.Mark] | None:
    """A quoted text that runs over several lines and ends just where the error is.

    An unclosed quote in the middle of a file runs on to the next quote; the
    error is then reported there. Return where such a quote opened and closed.
    """
    if pm is None:
        return None
    last: yaml.Token | None = None
    try:
        for tok in yaml.scan(text, Loader=yaml.SafeLoader):
            if (tok.start_mark.line, tok.start_mark.column) >= (pm.line, pm.column):
                break
            last = tok
    except yaml.YAMLError:
        pass
    if (
        isinstance(last, yaml.ScalarToken)
        and last.style in ('"', "'")
        and last.start_mark.line < last.end_mark.line == pm.line
    ):
        return last.start_mark, last.end_mark
    return None


def dotted(path: Path_) -> str:
    """A data path as the author reads it: `questions[2].prompt`."""
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s



def _construct(
    node: Node,
    path: Path_,
    out: Loaded,
    loader: Any,
    problems: list[Problem],
    key_node: Node | None,
) -> Any:
    sm = node.start_mark
    km = key_node.start_mark if key_node is not None else sm
    # libyaml marks a plain scalar with style '', PyYAML with None
    raw = node.value if isinstance(node, ScalarNode) and not node.style else None
    out.marks[path] = Mark(sm.line + 1, sm.column + 1, km.line + 1, km.column + 1, raw)
    here = Location(out.file, sm.line + 1, sm.column + 1)
    name = f"{shorten_raw(dotted(path))}: " if path else ""
    tag = node.tag
    if isinstance(node, ScalarNode) and raw is not None and tag == TAG + "timestamp" and (
            implicit(raw) == tag):
        # YAML 1.1 reads these as dates; an impossible one (1962-10-32) would not build
        return Lookalike("a date" if len(raw.strip()) <= 10 else "a date and time", raw)
    if isinstance(node, ScalarNode) and raw is not None and tag == TAG + "merge":
        tag = TAG + "str"  # `<<` is a key like any other here: merging is not supported
    if tag not in TAGS_OK:
        if tag.endswith(":value") and isinstance(node, ScalarNode):
            msg = f"{name}'{node.value}' cannot stand alone as a YAML value"
            hint = f'put it in quotes: "{node.value}"'
        else:
            shown = shorten_raw(tag.replace(TAG, "!!"))
            msg = f"{name}the YAML tag '{shown}' is not allowed"
            hint = "remove the tag; write plain text, numbers, lists and keys"
        problems.append(Problem(here, msg, hint))
        out.bad.add(path)
        return None
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        seen: dict[Any, int] = {}
        for k_node, v_node in node.value:
            kl = Location(out.file, k_node.start_mark.line + 1, k_node.start_mark.column + 1)
            if not isinstance(k_node, ScalarNode):
                problems.append(Problem(kl, f"{name}a key must be plain text", "use a simple name"))
                continue
            if k_node.tag not in TAGS_OK and k_node.tag not in KEY_TAGS:
                shown = shorten_raw(k_node.tag.replace(TAG, "!!"))
                problems.append(Problem(kl, f"{name}the YAML tag '{shown}' is not allowed on "
                                        "a key", "remove the tag; a key is a plain name"))
                continue
            # `off:`, `1:` or `2024-01-05:` as a key: keep the text the author wrote
            key = k_node.value
            if FORBIDDEN.search(key) or "\n" in key or "\t" in key:
                # a key is printed in messages: no line breaks or escapes in it
                problems.append(Problem(kl, f"{name}a key must be plain text",
                                        "use a simple name"))
                out.bad.add((*path, key))
                continue
            if len(key) > MAX_KEY:
                problems.append(Problem(kl, f"{name}a key of {len(key)} characters is too long",
                                        f"a key is a short name; at most {MAX_KEY} characters"))
                out.bad.add((*path, key))
                continue
            if key in seen:
                problems.append(
                    Problem(
                        kl,
                        f"{name}key '{key}' appears twice, on lines {seen[key]} and {kl.line}",
                        "remove one of them; YAML would silently keep only the last",
                    )
                )
                continue
            seen[key] = kl.line
            result[key] = _construct(v_node, (*path, key), out, loader, problems, k_node)
        return result
    if isinstance(node, SequenceNode):
        return [
            _construct(item, (*path, i), out, loader, problems, None)
            for i, item in enumerate(node.value)
        ]
    assert isinstance(node, ScalarNode)
    try:
        value = scalar(tag, node.value, raw is not None)
    except Unbuildable as e:
        problems.append(Problem(here, f"{name}{e.args[0]}", e.args[1]))
        out.bad.add(path)
        return None
    bad = FORBIDDEN.search(value) if node.style == '"' and isinstance(value, str) else None
    if bad is not None:
        problems.append(Problem(here, f"{name}{describe(bad.group())} is not allowed",
                                "remove the escape sequence, such as \\a or \\u202e, "
                                "from the quoted text"))
        out.bad.add(path)
        return None
    return value


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split `---` front matter from a body.

    Returns (yaml_text, body, body_first_line). The YAML text keeps blank lines in
    place of everything before it so YAML marks are the file's own line numbers.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return "", text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            yaml_text = "\n" + "\n".join(lines[1:i]) + "\n"
            return yaml_text, "\n".join(lines[i + 1 :]), i + 2
    return "", text, 1
