"""Issue 15, class 1: YAML values that PyYAML resolves and then cannot build.

Every value is read by our own rules (YAML 1.1's look decides only whether a plain value
looks like a number or a date; numbers are read as YAML 1.2 reads them), so building a
value never raises: an impossible date, a time past 24:00, a number of 5,000 digits,
`0x_`, a merge key, a tag on a key or a noncharacter each become a located problem or
a value every field refuses with "put it in quotes". The properties at the end put
arbitrary scalars (YAML 1.1 forms included) into every scalar of every file kind:
lesson.yaml, questions.yaml, vocabulary.yaml, document front matter, layout files and
batch specs, and arbitrary text into every roster cell; each run ends 0 or 1, with no
traceback and, on 1, nothing written.
"""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DEFAULT_FILES, LessonDir, edit
from worksheets.cli import main
from worksheets.errors import Problem
from worksheets.load.scalars import Lookalike
from worksheets.load.yaml import load_yaml

PROMPT_LINE = 'prompt: "Who wrote Document A, and when?"'


def load(text: str) -> tuple[object, list[str]]:
    problems: list[Problem] = []
    loaded = load_yaml(text, "f.yaml", problems)
    return (loaded.data if loaded else None), [str(p) for p in problems]


@pytest.mark.parametrize("raw, kind", [
    ("1962-10-32", "a date"), ("2024-02-30", "a date"), ("2024-01-05", "a date"),
    ("2020-01-01 25:00:00", "a date and time"), ("2001-12-14t21:59:43.10-05:00",
                                                   "a date and time"),
    ("0x_", "a number"), ("-0x_", "a number"), ("0b_", "a number"), ("0b1_", "a number"),
    ("1_000", "a number"), ("12:30", "a number"), ("1:2:3", "a number"), (".5_", "a number"),
    ("1__0:00", "a number"), ("190:20:30.15", "a number"),
])
def test_lookalikes_build_to_a_value_no_field_accepts(raw: str, kind: str) -> None:
    data, problems = load(f"a: {raw}\n")
    assert problems == []
    assert data == {"a": Lookalike(kind, raw)}


@pytest.mark.parametrize("text, message", [
    ("a: " + "1" * 5000, "f.yaml:1:4: a: a number of 5000 digits is too long "
                         "(put it in quotes if it is text)"),
    ("a: -" + "9" * 4400, "f.yaml:1:4: a: a number of 4400 digits is too long "
                          "(put it in quotes if it is text)"),
    ("a: !!int abc", "f.yaml:1:4: a: 'abc' is not a whole number (remove the '!!int' tag)"),
    ("a: !!float x", "f.yaml:1:4: a: 'x' is not a number (remove the '!!float' tag)"),
    ("a: !!bool x", "f.yaml:1:4: a: 'x' is not true or false "
                    "(write true or false, or remove the '!!bool' tag)"),
    ("a: !!null x", "f.yaml:1:4: a: 'x' is not empty (null) (remove the '!!null' tag)"),
    ("a: !!timestamp soon", "f.yaml:1:4: a: the YAML tag '!!timestamp' is not allowed "
                                  "(remove the tag; write plain text, numbers, lists and keys)"),
    ("!!python/name:os.system x: 1", "f.yaml:1:1: the YAML tag '!!python/name:os.system' is "
                                     "not allowed on a key (remove the tag; a key is a plain "
                                     "name)"),
    ("? !!binary aGVsbG8=\n: 1", "f.yaml:1:3: the YAML tag '!!binary' is not allowed on a key "
                                 "(remove the tag; a key is a plain name)"),
    ("a: \ufffe", "f.yaml:1:4: the character U+FFFE is not allowed in YAML "
                  "(delete it; it is invisible and would print as a blank box)"),
    ('a: "\\uffff"', "f.yaml:1:4: a: the noncharacter U+FFFF is not allowed (remove the escape "
                     "sequence, such as \\a or \\u202e, from the quoted text)"),
    ("k" * 300 + ": 1", "f.yaml:1:1: a key of 300 characters is too long "
                        "(a key is a short name; at most 200 characters)"),
])
def test_unbuildable_values_are_located_problems(text: str, message: str) -> None:
    assert load(text)[1] == [message]


def test_numbers_are_read_as_yaml_1_2_reads_them() -> None:
    data, problems = load("a: 0x1F\nb: 0o17\nc: -12\nd: 1.5\ne: .inf\nf: 017\ng: 1e9\nh: +.5e3\n")
    assert problems == []
    assert data == {"a": 31, "b": "0o17", "c": -12, "d": 1.5, "e": float("inf"), "f": 17,
                    "g": "1e9", "h": "+.5e3"}


def test_merge_key_is_an_ordinary_key_and_keys_keep_their_text() -> None:
    data, problems = load("<<: {b: 1}\noff: 2\n1: 3\n2024-01-05: 4\n=: 5\n!!int 7: 6\n")
    assert problems == []
    assert data == {"<<": {"b": 1}, "off": 2, "1": 3, "2024-01-05": 4, "=": 5, "7": 6}


# --- through the command line ---------------------------------------------------------------

HOSTILE = ["1962-10-32", "2020-01-01 25:00:00", "1" * 5000, "0x_", "-0x_", "0b_",
           "!!int abc", "!!float x", "!!bool maybe", "!!timestamp 2020-13-45", "!!binary aGk=",
           "!!python/object:os.system x", "{<<: {a: 1}}", "\ufffe", '"\\ufffe"', "1_000",
           ".5_", "!!set {a}", "[!!int x]", "{!!int x: 1}", "="]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("file, old", [
    ("questions.yaml", PROMPT_LINE),
    ("lesson.yaml", 'title: "A Small Test Lesson"'),
    ("vocabulary.yaml", None),
])
def test_hostile_values_in_lesson_fields_exit_1_located(
    lesson_dir: LessonDir, in_tmp: Path, value: str, file: str, old: str | None,
) -> None:
    if old is None:
        text = DEFAULT_FILES[file]
        key, _, _ = text.partition("\n")[0].partition(":")
        old = text.partition("\n")[0]
        new = f"{key}: {value}"
    else:
        key = old.split(":")[0]
        new = f"{key}: {value}"
    assert isinstance(DEFAULT_FILES[file], str)
    lesson_dir({file: edit(str(DEFAULT_FILES[file]), old, new)})
    r = CliRunner().invoke(main, ["build", "lesson", "-o", "out", "-j", "1"])
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), traceback.format_exception(
        r.exception)
    assert "Traceback" not in r.output
    assert r.output.startswith(f"lesson/{file}:"), r.output
    assert not Path("out").exists() or not any(Path("out").iterdir())


# --- the property: any scalar anywhere ------------------------------------------------------

# YAML 1.1 forms, tags, escapes and text that YAML reads as something else
FORMS = st.sampled_from([
    "yes", "No", "ON", "off", "~", "null", "", "12:30", "1:2:3", "190:20:30.15", "02134",
    "0o17", "0x1F", "0x_", "0b_", "0b101", "1_000", "1e9", "1.10", ".inf", "-.Inf", ".NaN",
    "2024-01-05", "1962-10-32", "2024-02-30 25:61:00", "2001-12-14t21:59:43.10-05:00",
    "1" * 4400, "-" + "9" * 300, "=", "<<", "!!int x", "!!float 1.5", "!!bool yes",
    "!!null", "!!str 12", "!!timestamp 2024-01-05", "!!binary aGk=", "!!set {a}",
    "!foo bar", '"\\ufffe"', '"\\u200b"', '"\\x00"', "'it''s'", "[1, 2]", "{a: 1}", "[]",
    "{}", "|\n  block", ">-\n  folded", "\"a\\nb\"", "&a x", "*a", "? x", "- item",
    "k" * 300, "x" * 30000,
])
PLAIN = st.text(st.characters(exclude_categories=["Cs"], max_codepoint=0x2FFF),
                max_size=20).map(lambda s: s.replace("\n", " ").replace("\r", " "))
SCALARS = st.one_of(FORMS, FORMS, PLAIN, st.integers().map(str), st.floats().map(str))


def scalar_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every scalar (keys and values) in `text`."""
    out = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            out.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            for n in node.value:
                walk(n)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(k)
                walk(v)

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    walk(root)
    return out


def _front(text: str) -> tuple[str, str]:
    _, fm, body = text.split("---\n", 2)
    return fm, body


LESSON_FILES = ["lesson.yaml", "questions.yaml", "vocabulary.yaml", "documents/A.md"]


def _clean(r: object) -> None:
    from click.testing import Result

    assert isinstance(r, Result)
    assert r.exit_code in (0, 1), r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), "".join(
        traceback.format_exception(r.exception))
    assert "Traceback" not in r.output


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(file=st.sampled_from(LESSON_FILES), data=st.data(), value=SCALARS)
def test_any_scalar_in_any_lesson_field_is_exit_0_or_1(
    tmp_path: Path, file: str, data: st.DataObject, value: str,
) -> None:
    original = str(DEFAULT_FILES[file])
    if file.endswith(".md"):
        fm, body = _front(original)
        spans = scalar_spans(fm)
        start, end = data.draw(st.sampled_from(spans))
        changed = "---\n" + fm[:start] + value + fm[end:] + "---\n" + body
    else:
        start, end = data.draw(st.sampled_from(scalar_spans(original)))
        changed = original[:start] + value + original[end:]
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    for rel, text in {**DEFAULT_FILES, file: changed}.items():
        assert text is not None
        target = root / "lesson" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = root / "out"
    r = CliRunner().invoke(main, ["check", str(root / "lesson")])
    _clean(r)
    if r.exit_code == 1:
        r = CliRunner().invoke(main, ["build", str(root / "lesson"), "-o", str(out), "-j", "1",
                                      "--edition", "student"])
        _clean(r)
        assert r.exit_code == 1
        assert not out.exists() or not any(out.iterdir())


# --- the same property for layouts, batch specs and roster cells ---------------------------

LAYOUT_YAML = """\
name: mine
extends: letter
paper: letter
margin_left: 0.8in
margin_right: 57.6
margin_top: 1in
margin_bottom: 25mm
serif: sans
body_size: 11
text_size: 10pt
caption_size: 8.5
title_size: 17
heading_size: 13
leading: 1.3
justify: false
answer_line_spacing: 24pt
cell_line_spacing: 18
footer: true
"""

SPEC_YAML = """\
lesson: lesson
school: Lincoln High
date: "October 27, 2025"
roster:
  format: simple
  file: roster.csv
  classes: [History 1]
defaults:
  variant: standard
  layout: letter
accommodations:
  large_print: {layout: mine.yaml}
  reading: {variant: standard}
allow_outside_paths: false
"""

ROSTER_ROWS = [
    ["student_name", "student_id", "class", "teacher", "period", "school", "large_print",
     "reading"],
    ["Ana Diaz", "S1", "History 1", "Ms. Abe", "1", "Lincoln", "no", "yes"],
    ["Bo Chen", "S2", "History 1", "Ms. Abe", "1", "Lincoln", "yes", ""],
]


def _project(root: Path, files: dict[str, str]) -> None:
    for rel, text in {**DEFAULT_FILES}.items():
        assert text is not None
        target = root / "lesson" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    for rel, text in files.items():
        (root / rel).write_bytes(text.encode("utf-8", "surrogatepass"))


def _roster(rows: list[list[str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _batch_is_clean(root: Path) -> None:
    out = root / "out"
    r = CliRunner().invoke(main, ["batch", str(root / "district.yaml"), "-o", str(out),
                                  "--jobs", "1", "-q"])
    _clean(r)
    if r.exit_code == 1:
        assert not out.exists() or not any(out.iterdir()), r.output
    else:
        assert (out / "manifest.json").is_file()


def _replace_scalar(text: str, data: st.DataObject, value: str) -> str:
    start, end = data.draw(st.sampled_from(scalar_spans(text)))
    return text[:start] + value + text[end:]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), value=SCALARS)
def test_any_scalar_in_any_layout_field_is_exit_0_or_1(
    tmp_path: Path, data: st.DataObject, value: str,
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    _project(root, {"mine.yaml": _replace_scalar(LAYOUT_YAML, data, value)})
    out = root / "out"
    r = CliRunner().invoke(main, ["build", str(root / "lesson"), "-o", str(out), "-j", "1",
                                  "--edition", "student", "--layout", str(root / "mine.yaml")])
    _clean(r)
    if r.exit_code == 1:
        assert not out.exists() or not any(out.iterdir()), r.output


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), value=SCALARS)
def test_any_scalar_in_any_batch_spec_field_is_exit_0_or_1(
    tmp_path: Path, data: st.DataObject, value: str,
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    _project(root, {"district.yaml": _replace_scalar(SPEC_YAML, data, value),
                    "roster.csv": _roster(ROSTER_ROWS), "mine.yaml": LAYOUT_YAML})
    _batch_is_clean(root)


# Any text a spreadsheet can hold in a cell: line breaks, controls, other scripts, long.
CELLS = st.one_of(
    FORMS, PLAIN,
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40),
    st.text(st.sampled_from("aZ \t\n\r\x0b\x1f\x7f\x85\u00a0\u200b\u202e\u2028\ufffd;,\"'"),
            max_size=12),
    st.integers(1, 400).map(lambda n: "W" * n),
)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(row=st.integers(0, 2), col=st.integers(0, 7), value=CELLS)
def test_any_text_in_any_roster_cell_is_exit_0_or_1(
    tmp_path: Path, row: int, col: int, value: str,
) -> None:
    rows = [list(r) for r in ROSTER_ROWS]
    rows[row][col] = value
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    _project(root, {"district.yaml": SPEC_YAML, "roster.csv": _roster(rows),
                    "mine.yaml": LAYOUT_YAML})
    _batch_is_clean(root)


ONEROSTER_FILES = {
    "users.csv": [["sourcedId", "givenName", "familyName", "identifier", "status"],
                  ["u1", "Ana", "Diaz", "S1", ""], ["u2", "Tom", "Abe", "T1", "active"]],
    "classes.csv": [["sourcedId", "title", "classCode", "periods", "schoolSourcedId",
                     "status"], ["c1", "History", "H-1", "1", "o1", ""]],
    "enrollments.csv": [["classSourcedId", "userSourcedId", "role", "primary", "status"],
                        ["c1", "u1", "student", "", ""], ["c1", "u2", "teacher", "true", ""]],
    "orgs.csv": [["sourcedId", "name"], ["o1", "Lincoln High"]],
    "acc.csv": [["userSourcedId", "large_print"], ["u1", "no"]],
}
ONEROSTER_SPEC = ("lesson: lesson\nroster:\n  format: oneroster\n  folder: oneroster\n"
                  "  accommodations: oneroster/acc.csv\n"
                  "accommodations:\n  large_print: {layout: letter}\n")


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), value=CELLS)
def test_any_text_in_any_oneroster_cell_is_exit_0_or_1(
    tmp_path: Path, data: st.DataObject, value: str,
) -> None:
    name = data.draw(st.sampled_from(sorted(ONEROSTER_FILES)))
    rows = [list(r) for r in ONEROSTER_FILES[name]]
    row = data.draw(st.integers(0, len(rows) - 1))
    rows[row][data.draw(st.integers(0, len(rows[0]) - 1))] = value
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    (root / "oneroster").mkdir()
    _project(root, {"district.yaml": ONEROSTER_SPEC, **{
        f"oneroster/{n}": _roster(rows if n == name else ONEROSTER_FILES[n])
        for n in ONEROSTER_FILES}})
    _batch_is_clean(root)
