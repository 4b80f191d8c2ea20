"""Load stage: a lesson folder on disk -> a validated `Lesson`.

Every problem in every file is collected, each with file:line:col and a hint,
and reported at once as a `ContentError`.
"""

from __future__ import annotations

import difflib
import errno
import math
import os
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from . import schema
from ._yaml import Loaded, dotted, load_yaml, read_text, split_front_matter
from .checks import footer_fit
from .errors import Location, Problem, raise_if_errors, shorten
from .markup import Block, Gloss, normalize_quote, parse_body, parse_inline
from .model import (
    Body,
    Document,
    Evidence,
    Lesson,
    Organizer,
    OrganizerColumn,
    OrganizerRow,
    Question,
    Variant,
    VocabularyTerm,
)
from .validate import Issue, convert, fields_of

M = TypeVar("M", bound=msgspec.Struct)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the author should see it: relative to the working folder when inside it."""
    p = os.path.abspath(path)
    rel = os.path.relpath(p)
    return rel if not rel.startswith("..") else p


def load_lesson(path: str | os.PathLike[str]) -> Lesson:
    """Load and validate the lesson folder at `path`; raise ContentError listing every problem."""
    lesson, problems = load_lesson_with_problems(path)
    raise_if_errors(problems)
    assert lesson is not None
    return lesson


def load_lesson_with_problems(path: str | os.PathLike[str]) -> tuple[Lesson | None, list[Problem]]:
    """Load a lesson, returning it (None when it has errors) with every problem found."""
    problems: list[Problem] = []
    folder = Path(path)
    shown = display_path(folder)
    if not _present(folder / "lesson.yaml"):
        hint = "a lesson folder holds lesson.yaml, questions.yaml and documents/"
        problems.append(Problem(Location(shown), "no lesson.yaml in this folder", hint))
        return None, problems
    name = folder.resolve().name
    if name.startswith(".") or len(name) > 100 or any(c in name for c in _NOT_IN_NAMES):
        # the folder name is the lesson id, and the id starts every output file name
        problems.append(Problem(Location(shown), f"the folder name {name!r} cannot be used in "
                                "the names of the PDF files", "rename the folder with letters, "
                                "digits and '-', at most 100 characters, not starting with '.'"))

    lesson_y = _load_file(folder / "lesson.yaml", schema.LessonFile, problems, folder)
    questions_y = _load_file(folder / "questions.yaml", schema.QuestionsFile, problems, folder)
    vocab_path = folder / "vocabulary.yaml"
    vocab_y = (
        _load_file(vocab_path, schema.VocabularyFile, problems, folder, empty_ok=True)
        if _present(vocab_path)
        else None
    )
    if lesson_y is None:
        # Without lesson.yaml nothing can be cross-checked, but the documents'
        # own problems are still worth reporting in the same run.
        for path in sorted((folder / "documents").glob("*.md")):
            if "." not in path.name[:-3]:
                _load_document(path, path.name[:-3], problems, folder)
        return None, problems
    lesson_f, lesson_l = lesson_y

    doc_ids: list[str] = []  # ids that references may name
    documents = _load_documents(folder, lesson_f, lesson_l, problems, doc_ids)
    questions: tuple[Question, ...] = ()
    if questions_y is not None:
        questions = _questions(questions_y[0], questions_y[1], doc_ids, problems)
    claim = None
    if lesson_f.claim is not None:
        c = lesson_f.claim
        if any(q.id == c.id for q in questions):
            problems.append(Problem(lesson_l.at(("claim", "id")), f"claim.id: '{c.id}' is also "
                                    "the id of a question in questions.yaml",
                                    "give the claim its own id"))
        claim = Question(
            id=c.id, number=len(questions) + 1, documents=tuple(doc_ids), skill="corroboration",
            kind="written", prompt=parse_inline(c.prompt)[0], lines=c.lines,
            look_fors=tuple(c.look_fors), starter=c.starter, hint=c.hint,
            origin=lesson_l.at(("claim",)),
        )
    if vocab_y is not None:
        _twice([t.term for t in vocab_y[0].terms], vocab_y[1], ("terms",), "term", problems,
               ("term",), fold=True)
    vocabulary = _vocabulary(documents, vocab_y)
    organizer = _organizer(lesson_f, lesson_l, doc_ids, problems)
    variants = _variants(lesson_f, lesson_l, documents, questions, problems)
    # A listed document that did not load is reported once; checking quotes
    # against it would only repeat that at every citation.
    if {d.id for d in documents} >= set(lesson_f.documents):
        _check_evidence(documents, questions, organizer, variants, problems)

    background = _background(lesson_f.background, lesson_l, problems)
    for field, text in (("title", lesson_f.title), ("attribution", lesson_f.attribution)):
        fits = footer_fit(text, field)
        if fits is not None:
            problems.append(Problem(lesson_l.at((field,)), f"{field} is too long for the page "
                                    "footer, where it is printed on one line",
                                    f"shorten it to about {fits} characters"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    lesson = Lesson(
        id=folder.resolve().name,
        path=shown,
        title=lesson_f.title,
        central_question=lesson_f.central_question,
        grade_band=lesson_f.grade_band,
        background=background,
        documents=tuple(documents),
        questions=questions,
        claim=claim,
        vocabulary=vocabulary,
        organizer=organizer,
        attribution=lesson_f.attribution,
        author=lesson_f.author or "worksheets",
        variants=variants,
        origin=Location(lesson_l.file, 1, 1),
    )
    return lesson, problems


def _background(text: str, ll: Loaded, problems: list[Problem]) -> tuple[Block, ...]:
    """The background's paragraphs; markup problems located in lesson.yaml."""
    at = ll.at(("background",))
    line = ll.lines[at.line - 1] if 0 < at.line <= len(ll.lines) else ""
    first, indent = at.line, at.col - 1
    style = line[at.col - 1 : at.col]
    if style in ("|", ">"):  # a block: the text starts on the next line
        first += 1
        nxt = ll.lines[first - 1] if first <= len(ll.lines) else ""
        indent = len(nxt) - len(nxt.lstrip(" "))
    if style == ">":
        # YAML folds a `>` block's blank lines into single line breaks, which would run the
        # paragraphs together: read the block's lines as written, as for `|`
        text = _block_lines(ll.lines, first, indent)
    elif style != "|":
        # a plain or quoted value over several lines: each line break in the value is
        # where the author left a blank line
        text = text.replace("\n", "\n\n")
    parsed = parse_body(text, first)
    for ln, col, msg, hint in parsed.problems:
        problems.append(Problem(Location(ll.file, ln, col + indent), f"background: {msg}", hint))
    return parsed.blocks


def _block_lines(lines: list[str], first: int, indent: int) -> str:
    """The lines of a block scalar starting at line `first`, without their indentation."""
    out = []
    for raw in lines[first - 1 :]:
        if raw.strip() and len(raw) - len(raw.lstrip(" ")) < indent:
            break
        out.append(raw[indent:])
    return "\n".join(out)


# More paragraphs than any document a class reads (a 20-page text has a few hundred):
# laying out so many would take minutes.
MAX_PARAGRAPHS = 2000
# A paragraph longer than this (about five pages) is a text missing its blank lines, and
# laying it out takes time that grows with the square of its length.
MAX_PARAGRAPH_CHARS = 20_000

# Characters that make a file name hidden, broken or unportable (besides a leading '.').
_NOT_IN_NAMES = set('\\:*?"<>|') | {chr(c) for c in range(32)} | {"\x7f"}


# --- files -------------------------------------------------------------------


def _present(path: Path) -> bool:
    """Whether anything (a file, a folder, even a broken link) stands at `path`."""
    return path.exists() or path.is_symlink()


def _read(path: Path, folder: Path, problems: list[Problem]) -> str | None:
    """The text of a file inside the lesson folder, or None with the reason in `problems`."""
    why = _unreadable(path, folder)
    if why is not None:
        problems.append(Problem(Location(display_path(path)), f"{path.name} {why[0]}", why[1]))
        return None
    return read_text(str(path), display_path(path), problems)


def _unreadable(path: Path, folder: Path) -> tuple[str, str] | None:
    """Why `path` cannot be read as a file of the lesson in `folder`: (message, hint).

    Only regular files inside the lesson folder are read: a link that leads
    out of it (to /etc/passwd, say) is refused, never followed, and a FIFO or
    device would block or never end.
    """
    same = "replace the link with a copy of the file"
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return "is a link to a file that does not exist", same
    except RuntimeError:  # Python 3.11 and 3.12: a link that leads to itself
        return "is a link that leads round in a circle", same
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "is a link that leads round in a circle", same
        return f"cannot be read ({e.strerror})", "check the file's permissions"
    if not real.is_relative_to(folder.resolve()):
        return (f"is a link to {real}, outside the lesson folder",
                "copy the file into the lesson folder; links out of it are not followed")
    if real.is_dir():
        return "is a folder, not a file", "a lesson needs a text file here"
    if not real.is_file():
        return "is not an ordinary file", "save the text as an ordinary file"
    return None


def _load_file(
    path: Path, model: type[M], problems: list[Problem], folder: Path, empty_ok: bool = False
) -> tuple[M, Loaded] | None:
    shown = display_path(path)
    if not _present(path):
        problems.append(Problem(Location(shown), "file is missing", f"create {path.name}"))
        return None
    text = _read(path, folder, problems)
    if text is None:
        return None
    loaded = load_yaml(text, shown, problems)
    if loaded is None:
        return None
    return _validate(model, loaded, problems, empty_ok)


def _validate(
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
                f"expected a mapping of keys, got {_kind(data)}",
                _expected_keys_hint(model),
            )
        )
        return None
    value, issues = convert(data, model)
    if value is None:
        problems.extend(_translate(issues, model, loaded))
        return None
    return value, loaded


def _expected_keys_hint(model: type[msgspec.Struct]) -> str:
    fields = fields_of(model)
    required = [n for n, f in fields.items() if f.required]
    return "expected keys: " + ", ".join(required or list(fields))


# --- validation issues -> located problems ----------------------------------------


def _translate(
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
        (path[:-1], _did_you_mean(str(path[-1]), _fields_at(model, path[:-1])))
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


def _choice_hint(value: str, options: Sequence[str]) -> str:
    """'did you mean X?' for a near miss, else the options there are."""
    close = _did_you_mean(value, options)
    return f"did you mean '{close}'?" if close else "expected one of: " + ", ".join(options)


def _did_you_mean(value: str, options: Sequence[str]) -> str | None:
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
                       _choice_hint(field, allowed))
    if value is None and kind in ("string_type", "int_type", "bool_type"):
        return _empty(name, path, model, loaded)
    if kind == "string_type":
        if isinstance(value, bool) and raw is not None:
            return Problem(loc, f"{name}: expected text, got the yes/no value '{raw}'",
                           f"put it in quotes: \"{raw}\"")
        if raw is not None and not isinstance(value, list | dict):
            return Problem(loc, f"{name}: expected text, got {_kind(value)} '{raw}'",
                           f"YAML reads this as {_kind(value)}; put it in quotes: \"{raw}\"")
        return Problem(loc, f"{name}: expected text, got {_kind(value)}", "write plain text")
    if kind == "string_too_short":
        return _empty(name, path, model, loaded)
    if kind == "string_too_long":
        return Problem(loc, f"{name} is too long: {len(full)} characters",
                       f"at most {ctx.get('max_length')} characters")
    if kind == "string_pattern_mismatch":
        if path and path[-1] == "answer":
            return _answer_problem(name, value, path, loc, loaded)
        return Problem(loc, f"{name}: '{value}' is not a valid id",
                       "use letters, digits, '-' and '_', starting with a letter or digit")
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        close = _did_you_mean(str(value), options)
        dym = f"did you mean '{close}'? " if close else ""
        return Problem(loc, f"{name}: unknown value '{shown}'",
                       f"{dym}expected: {', '.join(options)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        got = f"{_kind(value)} '{shown}'" if isinstance(value, str | bool) else f"'{shown}'"
        return Problem(loc, f"{name}: expected a whole number, got {got}", _ge(model, path))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return Problem(loc, f"{name}: {value} is out of range", _ge(model, path))
    if kind == "bool_type":
        return Problem(loc, f"{name}: expected true or false, got {_kind(value)} '{shown}'",
                       "write true or false")
    if kind == "list_type":
        return Problem(loc, f"{name}: expected a list, got {_kind(value)}",
                       "write one '- item' per line, or [a, b]")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        allowed = _fields_at(model, path)
        hint = ("with keys: " + ", ".join(allowed)) if allowed else "write 'key: value' lines"
        return Problem(loc, f"{name}: expected a mapping, got {_kind(value)}", hint)
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
    for part in path[:-1]:
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


def _kind(value: Any) -> str:
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


# --- documents -----------------------------------------------------------------


def _load_documents(
    folder: Path, lesson: schema.LessonFile, ll: Loaded, problems: list[Problem],
    known: list[str],
) -> list[Document]:
    """Load the listed documents; fill `known` with the ids references may name.

    A listed document that is missing or broken is reported once, at its own
    file or listing, not again at each question or column that names it.
    """
    docs: list[Document] = []
    seen: set[str] = set()
    docdir = folder / "documents"
    available = sorted(p.name[:-3] for p in docdir.glob("*.md") if "." not in p.name[:-3])
    for i, doc_id in enumerate(lesson.documents):
        where = ll.at(("documents", i))
        if doc_id in seen:
            problems.append(Problem(where, f"documents: '{doc_id}' is listed twice",
                                    "list each document once"))
            continue
        seen.add(doc_id)
        known.append(doc_id)
        path = docdir / f"{doc_id}.md"
        if not _present(path):
            close = _did_you_mean(doc_id, available)
            hint = f"did you mean '{close}'?" if close else f"create documents/{doc_id}.md"
            problems.append(Problem(where, f"documents: no file documents/{doc_id}.md", hint))
            if close and close not in lesson.documents:
                known.append(close)  # the file the author meant: references to it are fine
            continue
        doc = _load_document(path, doc_id, problems, folder)
        if doc is not None:
            docs.append(doc)
    return docs


def _load_document(
    path: Path, doc_id: str, problems: list[Problem], folder: Path
) -> Document | None:
    shown = display_path(path)
    text = _read(path, folder, problems)
    if text is None:
        return None
    fm_text, body_text, body_line = split_front_matter(text)
    if not fm_text:
        if text.split("\n", 1)[0].strip() == "---":
            problems.append(Problem(Location(shown, 1, 1), "the front matter is not closed",
                                    "end it with a line '---' before the text"))
        else:
            problems.append(Problem(Location(shown, 1, 1), "missing front matter",
                                    "start the file with '---', label:, title:, source:, "
                                    "then '---'"))
        return None
    loaded = load_yaml(fm_text, shown, problems)
    if loaded is None:
        return None
    if loaded.data is None:
        problems.append(Problem(Location(shown, 1, 1), "the front matter is empty",
                                "write label:, title: and source: between the '---' lines"))
        return None
    v = _validate(schema.DocumentFrontMatter, loaded, problems)
    if v is None:
        return None
    fm = v[0]
    bodies = {fm.level: _body(fm.level, body_text, body_line, shown, problems)}
    glosses: dict[str, str] = {}
    _add_glosses(glosses, parse_body(body_text, body_line).glosses)
    for extra in sorted(path.parent.glob(f"{doc_id}.*.md")):
        level = extra.name[len(doc_id) + 1 : -3]
        eshown = display_path(extra)
        if level == fm.level and _unreadable(extra, folder) is None:
            problems.append(Problem(Location(eshown, 1, 1), f"{path.name} already holds the "
                                    f"'{level}' text (its level: is '{fm.level}')",
                                    f"remove one of the two, or change level: in {path.name}"))
            continue
        etext = _read(extra, folder, problems)
        if etext is None:
            continue
        efm, ebody, eline = split_front_matter(etext)
        if efm:
            el = load_yaml(efm, eshown, problems)
            if el is not None:
                ev = _validate(schema.LevelFrontMatter, el, problems, empty_ok=True)
                if ev is not None and ev[0].level not in (None, level):
                    problems.append(Problem(el.at(("level",)),
                                            f"level '{ev[0].level}' does not match the file name",
                                            f"the file name says '{level}'"))
        bodies[level] = _body(level, ebody, eline, eshown, problems)
        _add_glosses(glosses, parse_body(ebody, eline).glosses)
    return Document(
        id=doc_id,
        label=fm.label,
        title=fm.title,
        modified=fm.modified,
        dateline=fm.dateline,
        source=parse_inline(fm.source)[0],
        bodies=bodies,
        glosses=glosses,
        origin=Location(shown, 1, 1),
    )


def _body(level: str, text: str, first: int, shown: str, problems: list[Problem]) -> Body:
    parsed = parse_body(text, first)
    for line, col, msg, hint in parsed.problems:
        problems.append(Problem(Location(shown, line, col), msg, hint))
    if not parsed.blocks:
        problems.append(Problem(Location(shown, first, 1), "the document has no text",
                                "write the text after the front matter"))
    for b in parsed.blocks:
        if len(b.text) > MAX_PARAGRAPH_CHARS:
            problems.append(Problem(Location(shown, b.line, b.col), f"a paragraph of "
                                    f"{len(b.text)} characters is too long (at most "
                                    f"{MAX_PARAGRAPH_CHARS})", "separate paragraphs with a "
                                    "blank line"))
    if len(parsed.blocks) > MAX_PARAGRAPHS:
        extra = parsed.blocks[MAX_PARAGRAPHS]
        problems.append(Problem(Location(shown, extra.line, extra.col),
                                f"the document has {len(parsed.blocks)} paragraphs, more than "
                                f"{MAX_PARAGRAPHS}", "a worksheet document is a few pages; "
                                "use a shorter excerpt"))
    return Body(level, parsed.blocks, Location(shown, first, 1))


def _twice(
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


# --- questions -----------------------------------------------------------------


def _questions(
    qf: schema.QuestionsFile, ql: Loaded, doc_ids: list[str], problems: list[Problem]
) -> tuple[Question, ...]:
    seen: dict[str, int] = {}
    staged: list[tuple[int, int, int, schema.QuestionFile, Location]] = []
    for i, q in enumerate(qf.questions):
        here = ql.at(("questions", i))
        id_at = ql.at(("questions", i, "id"))
        if q.id in seen:
            problems.append(Problem(id_at, f"questions[{i}].id: id '{q.id}' is used twice, "
                                    f"on lines {seen[q.id]} and {id_at.line}",
                                    "give each question its own id"))
            continue
        seen[q.id] = id_at.line
        _twice(q.documents, ql, ("questions", i, "documents"), "document", problems)
        if q.choices:
            _twice(q.choices, ql, ("questions", i, "choices"), "choice", problems)
        positions = []
        for j, d in enumerate(q.documents):
            if d not in doc_ids:
                problems.append(Problem(ql.at(("questions", i, "documents", j)),
                                        f"questions[{i}].documents: unknown document '{d}'",
                                        _choice_hint(d, doc_ids)))
            else:
                positions.append(doc_ids.index(d))
        _check_kind(q, i, ql, problems)
        if not positions:
            continue
        placement = q.placement or ("before" if q.skill == "sourcing" else "after")
        # Printed with its last document: before-text questions first.
        staged.append((max(positions), 0 if placement == "before" else 1, i, q, here))
    staged.sort(key=lambda s: (s[0], s[1], s[2]))
    out = []
    for n, (_, before, _i, q, here) in enumerate(staged, start=1):
        default_lines = 2 if q.kind == "true-false" else (0 if q.kind == "choice" else 4)
        out.append(Question(
            id=q.id, number=n, documents=tuple(q.documents), skill=q.skill, kind=q.kind,
            prompt=parse_inline(q.prompt)[0],
            lines=q.lines if q.lines is not None else default_lines,
            choices=tuple(q.choices or ()), answer=q.answer, look_fors=tuple(q.look_fors),
            starter=q.starter, hint=q.hint, placement="before" if before == 0 else "after",
            origin=here, evidence=_evidence(q.evidence, ql, ("questions", _i)),
        ))
    return tuple(out)


def _check_kind(q: schema.QuestionFile, i: int, ql: Loaded, problems: list[Problem]) -> None:
    at = ql.at(("questions", i))
    name = f"questions[{i}]"
    if q.kind == "choice":
        if not q.choices:
            problems.append(Problem(at, f"{name}: a choice question needs 'choices'",
                                    "add choices: [..., ...]"))
        mark = ql.marks.get(("questions", i, "answer"))
        if isinstance(q.answer, bool) and mark is not None and mark.raw is not None:
            problems.append(Problem(ql.at(("questions", i, "answer")), f"{name}.answer: "
                                    f"expected a choice letter, got the yes/no value "
                                    f"'{mark.raw}'", "write the letter in quotes, such as \"B\""))
        elif not isinstance(q.answer, str):
            problems.append(Problem(ql.at(("questions", i, "answer")) if q.answer is not None
                                    else at, f"{name}: a choice question needs 'answer' "
                                    "as a letter", "add answer: \"B\""))
        elif q.choices and ord(q.answer) - ord("A") >= len(q.choices):
            problems.append(Problem(ql.at(("questions", i, "answer")),
                                    f"{name}.answer: '{q.answer}' names no choice",
                                    f"there are {len(q.choices)} choices"))
    elif q.kind == "true-false":
        if not isinstance(q.answer, bool):
            problems.append(Problem(ql.at(("questions", i, "answer")) if q.answer is not None
                                    else at, f"{name}: a true-false question needs 'answer: "
                                    "true' or 'answer: false'", "add answer: true or false"))
    else:
        if q.answer is not None:
            problems.append(Problem(ql.at(("questions", i, "answer")),
                                    f"{name}.answer: a written question has look_fors, "
                                    "not an answer",
                                    "rename answer to look_fors and make it a list"))
        if q.choices:
            problems.append(Problem(ql.at(("questions", i, "choices")),
                                    f"{name}.choices: only a choice question has choices",
                                    "add kind: choice, or remove choices"))


def _add_glosses(into: dict[str, str], found: Iterable[Gloss]) -> None:
    """Add the glosses of terms not yet in `into` (whatever their case), as first written."""
    known = {term.lower() for term in into}
    for g in found:
        if g.term.lower() not in known:
            into[g.term] = g.gloss
            known.add(g.term.lower())


# --- vocabulary, organizer, variants ------------------------------------------------


def _vocabulary(
    docs: list[Document], vy: tuple[schema.VocabularyFile, Loaded] | None
) -> tuple[VocabularyTerm, ...]:
    terms: dict[str, VocabularyTerm] = {}
    if vy is not None:
        for i, t in enumerate(vy[0].terms):
            terms[t.term.lower()] = VocabularyTerm(
                t.term, t.definition, tuple(t.forms), _texts(t.translations),
                vy[1].at(("terms", i)),
            )
    for d in docs:
        for term, gloss in d.glosses.items():
            if term.lower() not in terms:
                terms[term.lower()] = VocabularyTerm(term, gloss, (), {}, d.origin)
    return tuple(sorted(terms.values(), key=lambda t: t.term.lower()))


def _texts(d: Mapping[Any, str]) -> dict[str, str]:
    """A mapping with Literal keys as the plain `dict[str, str]` of the model."""
    return {str(k): v for k, v in d.items()}


def _organizer(
    lf: schema.LessonFile, ll: Loaded, doc_ids: list[str], problems: list[Problem]
) -> Organizer | None:
    o = lf.organizer
    if o is None:
        return None
    col_ids = [c.id for c in o.columns]
    _twice(col_ids, ll, ("organizer", "columns"), "column id", problems, ("id",))
    _twice([r.id for r in o.rows], ll, ("organizer", "rows"), "row id", problems, ("id",))
    for ci, c in enumerate(o.columns):
        _twice(c.documents, ll, ("organizer", "columns", ci, "documents"), "document", problems)
        for j, d in enumerate(c.documents):
            if d not in doc_ids:
                problems.append(Problem(ll.at(("organizer", "columns", ci, "documents", j)),
                                        f"organizer.columns[{ci}].documents: "
                                        f"unknown document '{d}'", _choice_hint(d, doc_ids)))
    rows = []
    for ri, r in enumerate(o.rows):
        for what in ("answers", "given"):
            for key in getattr(r, what):
                if key not in col_ids:
                    close = _did_you_mean(key, col_ids)
                    hint = f"did you mean '{close}'?" if close else "expected: " + ", ".join(
                        dict.fromkeys(col_ids))
                    problems.append(Problem(ll.at(("organizer", "rows", ri, what, key), key=True),
                                            f"organizer.rows[{ri}].{what}: unknown column '{key}'",
                                            hint))
        rows.append(OrganizerRow(r.id, r.prompt, r.lines, dict(r.answers), dict(r.given),
                                 _texts(r.translations), ll.at(("organizer", "rows", ri)),
                                 _evidence(r.evidence, ll, ("organizer", "rows", ri))))
    return Organizer(
        title=o.title, instructions=o.instructions, corner=o.corner,
        columns=tuple(OrganizerColumn(c.id, c.heading, tuple(c.documents), _texts(c.translations))
                      for c in o.columns),
        rows=tuple(rows),
        translations={k: _texts(v) for k, v in o.translations.items()},
        origin=ll.at(("organizer",)),
    )


def _variants(
    lf: schema.LessonFile, ll: Loaded, docs: list[Document], questions: tuple[Question, ...],
    problems: list[Problem],
) -> dict[str, Variant]:
    out: dict[str, Variant] = {}
    qids = [q.id for q in questions]
    if "standard" not in lf.variants:
        problems.append(Problem(ll.at(("variants",), key=True),
                                "variants: there is no 'standard' variant",
                                "add 'standard:'; it is the variant built by default"))
    folded: dict[str, str] = {}
    for vid in lf.variants:
        if folded.setdefault(vid.casefold(), vid) != vid:
            problems.append(Problem(ll.at(("variants", vid), key=True),
                                    f"variants: '{vid}' and '{folded[vid.casefold()]}' differ "
                                    "only in case", "their PDF files would have the same name "
                                    "on many disks: rename one"))
    doc_ids = [d.id for d in docs]
    for vid, v in lf.variants.items():
        base = ("variants", vid)
        for j, d_id in enumerate(v.documents or ()):
            if d_id not in lf.documents:
                problems.append(Problem(ll.at((*base, "documents", j)),
                                        f"variants.{vid}.documents: unknown document '{d_id}'",
                                        _choice_hint(d_id, lf.documents)))
        _twice(v.documents or [], ll, (*base, "documents"), "document", problems)
        if v.documents == []:
            problems.append(Problem(ll.at((*base, "documents")),
                                    f"variants.{vid}.documents: the list is empty",
                                    "name at least one document, or leave the key out for all"))
        shown = set(v.documents) if v.documents is not None else set(doc_ids)
        for d in docs:
            if d.id not in shown:
                continue
            if v.reading_level not in d.bodies:
                problems.append(Problem(
                    ll.at((*base, "reading_level")),
                    f"variants.{vid}.reading_level: "
                    f"document {d.id} has no '{v.reading_level}' text",
                    f"write documents/{d.id}.{v.reading_level}.md, or use one of: "
                    + ", ".join(sorted(d.bodies))))
        _twice(v.questions or [], ll, (*base, "questions"), "question", problems)
        by_id = {q.id: q for q in questions}
        for j, q in enumerate(v.questions or ()):
            if q not in qids:
                close = _did_you_mean(q, qids)
                hint = f"did you mean '{close}'?" if close else "see questions.yaml for ids"
                problems.append(Problem(ll.at((*base, "questions", j)),
                                        f"variants.{vid}.questions: unknown question '{q}'", hint))
                continue
            left_out = [d for d in by_id[q].documents if d not in shown]
            if left_out:
                problems.append(Problem(
                    ll.at((*base, "questions", j)),
                    f"variants.{vid}.questions: question '{q}' is about document "
                    f"{' and '.join(left_out)}, which the variant leaves out",
                    f"add {' and '.join(left_out)} to its documents, or take '{q}' out"))
        out[vid] = Variant(vid, v.title, v.description, v.reading_level, frozenset(v.scaffolds),
                           v.language, tuple(v.questions) if v.questions is not None else None,
                           ll.at(base, key=True), v.grade_band,
                           tuple(d for d in lf.documents if d in shown)
                           if v.documents is not None else None)
    return out



def _evidence(
    items: list[schema.EvidenceFile], loaded: Loaded, base: tuple[str | int, ...]
) -> tuple[Evidence, ...]:
    return tuple(Evidence(e.doc, e.quote, loaded.at((*base, "evidence", j, "quote")))
                 for j, e in enumerate(items))


def _check_evidence(
    documents: list[Document], questions: tuple[Question, ...], organizer: Organizer | None,
    variants: dict[str, Variant], problems: list[Problem],
) -> None:
    """Each quoted phrase must stand in every reading level a variant that shows it uses."""
    docs = {d.id: d for d in documents}
    texts = {(d.id, level): normalize_quote(" ".join(b.text for b in body.blocks))
             for d in documents for level, body in d.bodies.items()}
    cited: list[tuple[Evidence, list[Variant]]] = []
    for q in questions:
        shown = [v for v in variants.values() if v.shows(q)]
        cited.extend((e, shown) for e in q.evidence)
    if organizer is not None:
        for r in organizer.rows:
            cited.extend((e, [v for v in variants.values() if v.shows_document(e.doc)])
                         for e in r.evidence)
    for e, shown in cited:
        if e.doc not in docs:
            close = difflib.get_close_matches(e.doc, list(docs), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "expected one of: " + ", ".join(docs)
            problems.append(Problem(e.origin, f"evidence names unknown document '{e.doc}'", hint))
            continue
        levels = sorted({v.reading_level for v in shown if (e.doc, v.reading_level) in texts})
        for level in levels:
            if normalize_quote(e.quote) not in texts[(e.doc, level)]:
                users = ", ".join(v.id for v in shown if v.reading_level == level)
                body = docs[e.doc].bodies[level]
                problems.append(Problem(
                    e.origin,
                    f"evidence quote \"{e.quote}\" is not in {body.origin.file} "
                    f"({level} text, used by {users})",
                    "copy the words exactly from that text, or keep them in it"))
