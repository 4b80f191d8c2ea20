"""Variants: what each shows (documents and their reading levels, questions, organizer
columns and rows), and the per-variant wordings written beside questions and the organizer,
each checked against the variants there are."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import Problem
from ..model import Document, Question, Variant
from . import shapes
from .issues import choice_hint, did_you_mean, twice
from .yaml import Loaded


def load_variants(
    lf: shapes.LessonFile, ll: Loaded, docs: list[Document],
    questions: tuple[Question, ...] | None, problems: list[Problem],
) -> dict[str, Variant]:
    """The lesson's variants, every reference they make checked and located (the questions
    they list only when the bank read correctly: `questions` None when it did not)."""
    out: dict[str, Variant] = {}
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
                                        choice_hint(d_id, lf.documents)))
        twice(v.documents or [], ll, (*base, "documents"), "document", problems)
        if v.documents == []:
            problems.append(Problem(ll.at((*base, "documents")),
                                    f"variants.{vid}.documents: the list is empty",
                                    "name at least one document, or leave the key out for all"))
        shown = set(v.documents) if v.documents is not None else set(doc_ids)
        _reading_levels(vid, v, ll, docs, shown, lf.documents, problems)
        if questions is not None:
            _questions(vid, v, ll, questions, shown, problems)
        _organizer(vid, v, lf, ll, problems)
        org = v.organizer
        out[vid] = Variant(vid, v.title, v.description, v.reading_level, frozenset(v.scaffolds),
                           v.language, tuple(v.questions) if v.questions is not None else None,
                           ll.at(base, key=True), v.grade_band,
                           tuple(d for d in lf.documents if d in shown)
                           if v.documents is not None else None,
                           dict(v.reading_levels),
                           tuple(org.columns) if org and org.columns is not None else None,
                           tuple(org.rows) if org and org.rows is not None else None)
    return out


def _reading_levels(
    vid: str, v: shapes.VariantFile, ll: Loaded, docs: list[Document], shown: set[str],
    listed: Sequence[str], problems: list[Problem],
) -> None:
    """Every document the variant prints has a text at the level it asks for."""
    base = ("variants", vid)
    by_id = {d.id: d for d in docs}
    for d_id, level in v.reading_levels.items():
        at = ll.at((*base, "reading_levels", d_id), key=True)
        name = f"variants.{vid}.reading_levels"
        if d_id not in listed:
            problems.append(Problem(at, f"{name}: unknown document '{d_id}'",
                                    choice_hint(d_id, listed)))
        elif d_id not in shown:
            problems.append(Problem(at, f"{name}: document {d_id} is not printed by this "
                                    "variant", f"add {d_id} to its documents, or remove "
                                    f"{d_id} here"))
        elif d_id in by_id and level not in by_id[d_id].bodies \
                and by_id[d_id].image_file is None:  # an image: its own text at any level
            close = did_you_mean(level, sorted(by_id[d_id].bodies))
            problems.append(Problem(
                ll.at((*base, "reading_levels", d_id)),
                f"{name}.{d_id}: document {d_id} has no '{level}' text",
                f"did you mean '{close}'?" if close else
                f"write documents/{d_id}.{level}.md, or use one of: "
                + ", ".join(sorted(by_id[d_id].bodies))))
    for d in docs:
        if d.id in shown and d.id not in v.reading_levels and v.reading_level not in d.bodies \
                and d.image_file is None:  # an image document's transcript serves every level
            problems.append(Problem(
                ll.at((*base, "reading_level")),
                f"variants.{vid}.reading_level: "
                f"document {d.id} has no '{v.reading_level}' text",
                f"write documents/{d.id}.{v.reading_level}.md, or use one of: "
                + ", ".join(sorted(d.bodies))))


def _questions(
    vid: str, v: shapes.VariantFile, ll: Loaded, questions: tuple[Question, ...],
    shown: set[str], problems: list[Problem],
) -> None:
    """The questions a variant lists exist, once each, on documents it prints."""
    base = ("variants", vid)
    qids = [q.id for q in questions]
    twice(v.questions or [], ll, (*base, "questions"), "question", problems)
    by_id = {q.id: q for q in questions}
    for j, q in enumerate(v.questions or ()):
        if q not in qids:
            close = did_you_mean(q, qids)
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


def _organizer(
    vid: str, v: shapes.VariantFile, lf: shapes.LessonFile, ll: Loaded,
    problems: list[Problem],
) -> None:
    """The organizer columns and rows a variant names exist, once each."""
    if v.organizer is None:
        return
    base = ("variants", vid, "organizer")
    if lf.organizer is None:
        problems.append(Problem(ll.at(base, key=True), f"variants.{vid}.organizer: the lesson "
                                "has no organizer", "remove organizer: from this variant"))
        return
    for what, ids in (("columns", [c.id for c in lf.organizer.columns]),
                      ("rows", [r.id for r in lf.organizer.rows])):
        chosen: list[str] | None = getattr(v.organizer, what)
        if chosen is None:
            continue
        name = f"variants.{vid}.organizer.{what}"
        if not chosen:
            problems.append(Problem(ll.at((*base, what)), f"{name}: the list is empty",
                                    f"name at least one, or leave {what}: out for all"))
        twice(chosen, ll, (*base, what), what[:-1], problems)
        for j, c in enumerate(chosen):
            if c not in ids:
                problems.append(Problem(ll.at((*base, what, j)),
                                        f"{name}: unknown {what[:-1]} '{c}'",
                                        choice_hint(c, ids)))


def check_wordings(
    variants: dict[str, Variant], questions: tuple[Question, ...],
    qf: shapes.QuestionsFile | None, ql: Loaded | None, lf: shapes.LessonFile, ll: Loaded,
    problems: list[Problem],
) -> None:
    """Each per-variant wording names a variant there is, one that shows what it rewords."""
    vids = list(variants)

    def unknown(loaded: Loaded, path: tuple[str | int, ...], name: str, vid: str) -> bool:
        if vid in variants:
            return False
        problems.append(Problem(loaded.at((*path, vid), key=True),
                                f"{name}: unknown variant '{vid}'", choice_hint(vid, vids)))
        return True

    if qf is not None and ql is not None:
        by_id = {q.id: q for q in questions}
        for i, qy in enumerate(qf.questions):
            for vid in qy.variants:
                if unknown(ql, ("questions", i, "variants"), f"questions[{i}].variants", vid):
                    continue
                q = by_id.get(qy.id)
                if q is not None and not variants[vid].shows(q):
                    problems.append(Problem(
                        ql.at(("questions", i, "variants", vid), key=True),
                        f"questions[{i}].variants.{vid}: variant '{vid}' does not ask "
                        f"question '{qy.id}'", f"add '{qy.id}' to the variant's questions, or "
                        "remove this wording", "warning"))
    if lf.claim is not None:
        for vid in lf.claim.variants:
            unknown(ll, ("claim", "variants"), "claim.variants", vid)
    if lf.organizer is None:
        return
    named = [("columns", k, c.variants) for k, c in enumerate(lf.organizer.columns)]
    named += [("rows", k, r.variants) for k, r in enumerate(lf.organizer.rows)]
    for what, k, wordings in named:
        for vid in wordings:
            unknown(ll, ("organizer", what, k, "variants"), f"organizer.{what}[{k}].variants",
                    vid)
