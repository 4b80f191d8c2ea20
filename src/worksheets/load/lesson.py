"""A lesson folder on disk -> a validated `Lesson`.

Every problem in every file is collected, each with file:line:col and a hint,
and reported at once as a `ContentError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from ..errors import Location, Problem, raise_if_errors
from ..markup import Block, parse_body, parse_inline, plain_text
from ..measure import footer_fit
from ..model import (
    Document,
    Lesson,
    NonText,
    Organizer,
    OrganizerColumn,
    OrganizerRow,
    Question,
    Rewording,
    VocabularyTerm,
)
from . import shapes
from .documents import load_document, load_documents
from .evidence import check_evidence
from .files import NOT_IN_NAMES, display_path, present, read_lesson_file
from .issues import (
    LESSON_TEXT_FIELDS,
    QUESTION_TEXT_FIELDS,
    VOCABULARY_TEXT_FIELDS,
    choice_hint,
    did_you_mean,
    markup_problems,
    twice,
    validate_file,
)
from .questions import evidence_of, load_questions
from .variants import check_wordings, load_variants
from .yaml import Loaded, load_yaml


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
    if not present(folder / "lesson.yaml"):
        hint = "a lesson folder holds lesson.yaml, questions.yaml and documents/"
        problems.append(Problem(Location(shown), "no lesson.yaml in this folder", hint))
        return None, problems
    name = folder.resolve().name
    if name.startswith(".") or len(name) > 100 or any(c in name for c in NOT_IN_NAMES):
        # the folder name is the lesson id, and the id starts every output file name
        problems.append(Problem(Location(shown), f"the folder name {name!r} cannot be used in "
                                "the names of the PDF files", "rename the folder with letters, "
                                "digits and '-', at most 100 characters, not starting with '.'"))

    lesson_y = _load_file(folder / "lesson.yaml", shapes.LessonFile, problems, folder)
    questions_y = _load_file(folder / "questions.yaml", shapes.QuestionsFile, problems, folder)
    vocab_path = folder / "vocabulary.yaml"
    vocab_y = (
        _load_file(vocab_path, shapes.VocabularyFile, problems, folder, empty_ok=True)
        if present(vocab_path)
        else None
    )
    if lesson_y is None:
        # Without lesson.yaml nothing can be cross-checked, but the documents'
        # own problems are still worth reporting in the same run.
        for path in sorted((folder / "documents").glob("*.md")):
            if "." not in path.name[:-3]:
                load_document(path, path.name[:-3], problems, folder)
        return None, problems
    lesson_f, lesson_l = lesson_y
    markup_problems(lesson_l, LESSON_TEXT_FIELDS, problems)
    if questions_y is not None:
        markup_problems(questions_y[1], QUESTION_TEXT_FIELDS, problems)
    if vocab_y is not None:
        markup_problems(vocab_y[1], VOCABULARY_TEXT_FIELDS, problems)

    doc_ids: list[str] = []  # ids that references may name
    documents = load_documents(folder, lesson_f, lesson_l, problems, doc_ids)
    questions: tuple[Question, ...] = ()
    if questions_y is not None:
        questions = load_questions(questions_y[0], questions_y[1], doc_ids, problems)
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
            variants=tuple(Rewording(
                vid, lesson_l.at(("claim", "variants", vid), key=True),
                prompt=parse_inline(r.prompt)[0] if r.prompt is not None else None,
                look_fors=tuple(r.look_fors) if r.look_fors is not None else None,
                starter=r.starter, hint=r.hint, lines=r.lines)
                for vid, r in c.variants.items()),
        )
    if vocab_y is not None:
        twice([t.term for t in vocab_y[0].terms], vocab_y[1], ("terms",), "term", problems,
               ("term",), fold=True)
    vocabulary = _vocabulary(documents, vocab_y)
    organizer = _organizer(lesson_f, lesson_l, doc_ids, problems)
    variants = load_variants(lesson_f, lesson_l, documents,
                             questions if questions_y is not None else None, problems)
    check_wordings(variants, questions, questions_y[0] if questions_y else None,
                   questions_y[1] if questions_y else None, lesson_f, lesson_l, problems)
    # A listed document that did not load is reported once; checking quotes
    # against it would only repeat that at every citation.
    if {d.id for d in documents} >= set(lesson_f.documents):
        check_evidence(documents, questions, organizer, variants, problems)

    background = _background(lesson_f.background, lesson_l, problems)
    for field, text in (("title", lesson_f.title), ("attribution", lesson_f.attribution)):
        fits = footer_fit(plain_text(text), field)
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
        lang=lesson_f.lang,
        non_text=tuple(NonText("image", d.image.alt, d.image.origin) for d in documents
                       if d.image is not None),
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


M = TypeVar("M", bound=msgspec.Struct)


def _load_file(
    path: Path, model: type[M], problems: list[Problem], folder: Path, empty_ok: bool = False
) -> tuple[M, Loaded] | None:
    shown = display_path(path)
    if not present(path):
        problems.append(Problem(Location(shown), "file is missing", f"create {path.name}"))
        return None
    text = read_lesson_file(path, folder, problems)
    if text is None:
        return None
    loaded = load_yaml(text, shown, problems)
    if loaded is None:
        return None
    return validate_file(model, loaded, problems, empty_ok)


# --- vocabulary, organizer, variants ------------------------------------------------


def _vocabulary(
    docs: list[Document], vy: tuple[shapes.VocabularyFile, Loaded] | None
) -> tuple[VocabularyTerm, ...]:
    terms: dict[str, VocabularyTerm] = {}
    if vy is not None:
        for i, t in enumerate(vy[0].terms):
            terms[t.term.lower()] = VocabularyTerm(
                t.term, t.definition, tuple(t.forms), _texts(t.translations),
                vy[1].at(("terms", i)),
            )
    # a gloss of a declared term's form (`**vessels** (ships)` for `vessel`) is that term
    forms = {f.lower(): t for t in terms.values() for f in t.forms}
    for d in docs:
        for g in d.glossed:
            if g.term.lower() not in forms:
                terms.setdefault(g.term.lower(), g)
    return tuple(sorted(terms.values(), key=lambda t: t.term.lower()))


def _texts(d: Mapping[Any, str]) -> dict[str, str]:
    """A mapping with Literal keys as the plain `dict[str, str]` of the model."""
    return {str(k): v for k, v in d.items()}


def _organizer(
    lf: shapes.LessonFile, ll: Loaded, doc_ids: list[str], problems: list[Problem]
) -> Organizer | None:
    o = lf.organizer
    if o is None:
        return None
    col_ids = [c.id for c in o.columns]
    twice(col_ids, ll, ("organizer", "columns"), "column id", problems, ("id",))
    twice([r.id for r in o.rows], ll, ("organizer", "rows"), "row id", problems, ("id",))
    for ci, c in enumerate(o.columns):
        twice(c.documents, ll, ("organizer", "columns", ci, "documents"), "document", problems)
        for j, d in enumerate(c.documents):
            if d not in doc_ids:
                problems.append(Problem(ll.at(("organizer", "columns", ci, "documents", j)),
                                        f"organizer.columns[{ci}].documents: "
                                        f"unknown document '{d}'", choice_hint(d, doc_ids)))
    rows = []
    for ri, r in enumerate(o.rows):
        for what in ("answers", "given"):
            for key in getattr(r, what):
                if key not in col_ids:
                    close = did_you_mean(key, col_ids)
                    hint = f"did you mean '{close}'?" if close else "expected: " + ", ".join(
                        dict.fromkeys(col_ids))
                    problems.append(Problem(ll.at(("organizer", "rows", ri, what, key), key=True),
                                            f"organizer.rows[{ri}].{what}: unknown column '{key}'",
                                            hint))
        rows.append(OrganizerRow(r.id, r.prompt, r.lines, dict(r.answers), dict(r.given),
                                 _texts(r.translations), ll.at(("organizer", "rows", ri)),
                                 evidence_of(r.evidence, ll, ("organizer", "rows", ri)),
                                 dict(r.variants)))
    return Organizer(
        title=o.title, instructions=o.instructions, corner=o.corner,
        columns=tuple(OrganizerColumn(c.id, c.heading, tuple(c.documents), _texts(c.translations),
                                      ll.at(("organizer", "columns", ci)), dict(c.variants))
                      for ci, c in enumerate(o.columns)),
        rows=tuple(rows),
        translations={k: _texts(v) for k, v in o.translations.items()},
        origin=ll.at(("organizer",)),
    )
