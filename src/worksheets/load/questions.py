"""The question bank: ids, documents, kinds and answers checked, numbered in print order."""

from __future__ import annotations

from ..errors import Location, Problem
from ..markup import parse_inline
from ..model import (
    Evidence,
    Question,
    Rewording,
    Wording,
)
from . import shapes
from .issues import choice_hint, twice
from .yaml import Loaded

# --- questions -----------------------------------------------------------------


def load_questions(
    qf: shapes.QuestionsFile, ql: Loaded, doc_ids: list[str], problems: list[Problem]
) -> tuple[Question, ...]:
    seen: dict[str, int] = {}
    staged: list[tuple[int, int, int, shapes.QuestionFile, Location]] = []
    for i, q in enumerate(qf.questions):
        here = ql.at(("questions", i))
        id_at = ql.at(("questions", i, "id"))
        if q.id in seen:
            problems.append(Problem(id_at, f"questions[{i}].id: id '{q.id}' is used twice, "
                                    f"on lines {seen[q.id]} and {id_at.line}",
                                    "give each question its own id"))
            continue
        seen[q.id] = id_at.line
        twice(q.documents, ql, ("questions", i, "documents"), "document", problems)
        if q.choices:
            twice(q.choices, ql, ("questions", i, "choices"), "choice", problems)
        positions = []
        for j, d in enumerate(q.documents):
            if d not in doc_ids:
                problems.append(Problem(ql.at(("questions", i, "documents", j)),
                                        f"questions[{i}].documents: unknown document '{d}'",
                                        choice_hint(d, doc_ids)))
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
            origin=here, evidence=evidence_of(q.evidence, ql, ("questions", _i)),
            variants=tuple(_rewording(q, _i, vid, r, ql, problems)
                           for vid, r in q.variants.items()),
        ))
    return tuple(out)


def _rewording(q: shapes.QuestionFile, i: int, vid: str, r: shapes.RewordingFile,
               ql: Loaded, problems: list[Problem]) -> Rewording:
    """A variant's wording of question `q`, its choices and answer checked against its kind.

    When the variant changes the choices but not the answer, the answer follows the
    correct choice's text to its new letter.
    """
    base = ("questions", i, "variants", vid)
    name = f"questions[{i}].variants.{vid}"
    answer = r.answer
    if r.choices:
        twice(r.choices, ql, (*base, "choices"), "choice", problems)
    if q.kind != "choice" and r.choices is not None:
        problems.append(Problem(ql.at((*base, "choices")), f"{name}.choices: only a choice "
                                "question has choices", "remove choices from this variant"))
    if q.kind == "written" and r.answer is not None:
        problems.append(Problem(ql.at((*base, "answer")), f"{name}.answer: a written question "
                                "has look_fors, not an answer", "remove answer from this variant"))
    if q.kind == "true-false" and r.answer is not None and not isinstance(r.answer, bool):
        problems.append(Problem(ql.at((*base, "answer")), f"{name}.answer: expected true or "
                                f"false, got text '{r.answer}'",
                                "write true or false, without quotes"))
    if q.kind == "choice" and r.answer is not None:
        choices = r.choices or q.choices or []
        if isinstance(r.answer, bool):
            problems.append(Problem(ql.at((*base, "answer")), f"{name}.answer: expected a "
                                    "choice letter, got a yes/no value",
                                    "write the letter in quotes, such as \"B\""))
        elif ord(r.answer) - ord("A") >= len(choices):
            problems.append(Problem(ql.at((*base, "answer")),
                                    f"{name}.answer: '{r.answer}' names no choice",
                                    f"this variant has {len(choices)} choices"))
    elif q.kind == "choice" and r.choices is not None and isinstance(q.answer, str) \
            and q.choices and ord(q.answer) - ord("A") < len(q.choices):
        correct = q.choices[ord(q.answer) - ord("A")]
        if correct in r.choices:
            answer = chr(ord("A") + r.choices.index(correct))
        else:
            problems.append(Problem(ql.at((*base, "choices")), f"{name}.choices: the correct "
                                    f"choice '{correct}' (answer {q.answer}) is not among them",
                                    "keep it among this variant's choices, or give the variant "
                                    "its own answer:"))
    return Rewording(
        variant=vid, origin=ql.at(base, key=True),
        prompt=parse_inline(r.prompt)[0] if r.prompt is not None else None,
        choices=tuple(r.choices) if r.choices is not None else None, answer=answer,
        look_fors=tuple(r.look_fors) if r.look_fors is not None else None,
        starter=r.starter, hint=r.hint, lines=r.lines)


def _check_kind(q: shapes.QuestionFile, i: int, ql: Loaded, problems: list[Problem]) -> None:
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



def evidence_of(
    items: list[shapes.EvidenceFile], loaded: Loaded, base: tuple[str | int, ...]
) -> tuple[Evidence, ...]:
    """The quotes of a question or row, each wording where the author wrote it."""
    return tuple(Evidence(e.doc, e.quote, loaded.at((*base, "evidence", j, "quote")),
                          tuple(Wording(level, quote,
                                        loaded.at((*base, "evidence", j, "levels", level)))
                                for level, quote in e.levels.items()))
                 for j, e in enumerate(items))
