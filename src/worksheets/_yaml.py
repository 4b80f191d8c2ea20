"""Safe YAML reading that remembers where every value came from.

Only the safe constructors are used; aliases, duplicate keys, tags, control
characters and non-UTF-8 bytes are refused with a located message. Loading
never raises for bad content: problems are returned for the caller to report
together with everything else that is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Location, Problem

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 50

Path_ = tuple[str | int, ...]

# C0 controls other than tab/newline/CR, DEL, C1 controls (YAML reads U+0085 as a
# line break), the line/paragraph separators, and bidi overrides/isolates.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


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


def read_text(path: str, display: str, problems: list[Problem]) -> str | None:
    """Read a UTF-8 text file, refusing large files, bad bytes and control characters."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        problems.append(Problem(Location(display), f"cannot read file: {e.strerror}"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            Problem(
                Location(display, 1, 1),
                f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                "split it into smaller files; a lesson file is normally a few KB",
            )
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        problems.append(
            Problem(
                Location(display, line, col),
                f"file is not UTF-8 (byte 0x{raw[e.start]:02X})",
                "save the file as UTF-8",
            )
        )
        return None
    text = text.replace("\r\n", "\n")
    ok = True
    for m in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        ch = m.group()
        what = "a right-to-left control" if "\u202a" <= ch <= "\u2069" else "a control"
        problems.append(
            Problem(
                Location(display, line, col),
                f"{what} character U+{ord(ch):04X} is not allowed",
                "delete it; it is invisible and would print as a blank box",
            )
        )
        ok = False
    return text if ok else None


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    depth = 0

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
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self.depth -= 1


def _hint_for(problem: str) -> str:
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "put the text in quotes when it contains ': '"
    if "cannot start any token" in problem:
        return "put the text in quotes"
    if "expected ',' or ']'" in problem:
        return "close the list with ']'"
    if "expected ',' or '}'" in problem:
        return "close the mapping with '}'"
    if "end of stream" in problem and "quoted" in problem:
        return "close the quote"
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        return "check the indentation of this line"
    if "single document" in problem:
        return "remove the '---' line: one file holds one YAML document"
    if "aliases" in problem:
        return "write the value out in full"
    if "nested" in problem:
        return "a lesson file needs only a few levels"
    return "check the YAML syntax here"


def load_yaml(text: str, display: str, problems: list[Problem]) -> Loaded | None:
    """Parse YAML text into plain data plus marks; append problems, return None on failure."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        problems.append(_syntax_problem(e, display))
        return None
    except yaml.YAMLError as e:  # pragma: no cover - every PyYAML error carries a mark
        problems.append(Problem(Location(display, 1, 1), str(e)))
        return None
    except RecursionError:
        problems.append(Problem(Location(display, 1, 1), "nested too deeply", "simplify the file"))
        return None
    finally:
        loader.dispose()
    out = Loaded(display, None)
    if node is None:
        return out
    out.data = _construct(node, (), out, loader, problems, None)
    return out


def _syntax_problem(e: yaml.MarkedYAMLError, display: str) -> Problem:
    pm, cm = e.problem_mark, e.context_mark
    problem = (e.problem or "invalid YAML").strip()
    mark = pm or cm
    extra = ""
    # An unclosed quote or bracket is found at the end of the stream; point
    # at where it opened, and name the other line too.
    if cm is not None and pm is not None and cm.line != pm.line:
        if "end of stream" in problem or e.context and "quoted" in e.context:
            mark, other = cm, pm
        else:
            other = cm
        extra = f"; {e.context or 'started'} on line {other.line + 1}"
        extra = extra.replace("while scanning a", "the").replace("while parsing a", "the")
    assert mark is not None
    msg = f"YAML syntax error: {problem}{extra}"
    return Problem(Location(display, mark.line + 1, mark.column + 1), msg, _hint_for(problem))


_TAGS_OK = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _construct(
    node: Node,
    path: Path_,
    out: Loaded,
    loader: _Loader,
    problems: list[Problem],
    key_node: Node | None,
) -> Any:
    sm = node.start_mark
    km = key_node.start_mark if key_node is not None else sm
    raw = node.value if isinstance(node, ScalarNode) and node.style is None else None
    out.marks[path] = Mark(sm.line + 1, sm.column + 1, km.line + 1, km.column + 1, raw)
    if node.tag not in _TAGS_OK:
        hint = "put the text in quotes" if node.tag.endswith(":value") else "remove the tag"
        if node.tag.endswith(":value"):
            msg = f"'{node.value}' cannot stand alone as a YAML value"
        else:
            msg = f"YAML tag '{node.tag}' is not allowed"
        problems.append(Problem(Location(out.file, sm.line + 1, sm.column + 1), msg, hint))
        return None
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        seen: dict[Any, int] = {}
        for k_node, v_node in node.value:
            kl = Location(out.file, k_node.start_mark.line + 1, k_node.start_mark.column + 1)
            if not isinstance(k_node, ScalarNode):
                problems.append(Problem(kl, "a key must be plain text", "use a simple name"))
                continue
            key = k_node.value if k_node.tag.endswith(":str") or k_node.style else None
            if key is None:
                key = loader.construct_object(k_node)
                if not isinstance(key, str):
                    key = k_node.value  # `off:` or `1:` as a key: keep the text the author wrote
            if key in seen:
                problems.append(
                    Problem(
                        kl,
                        f"duplicate key '{key}' (first on line {seen[key]})",
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
    try:
        return loader.construct_object(node)
    except ConstructorError as e:  # pragma: no cover - tags are checked above
        problems.append(Problem(Location(out.file, sm.line + 1, sm.column + 1), str(e.problem)))
        return None


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
