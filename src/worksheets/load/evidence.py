"""Evidence checks: each quoted phrase stands in the text of every reading level that a
variant showing it prints, in the words written for that level."""

from __future__ import annotations

import difflib

from ..errors import Problem, shorten
from ..markup import INVISIBLE, first_difference, normalize_quote
from ..model import Document, Evidence, Organizer, Question, Variant
from .issues import choice_hint


def check_evidence(
    documents: list[Document], questions: tuple[Question, ...], organizer: Organizer | None,
    variants: dict[str, Variant], problems: list[Problem],
) -> None:
    """Each quoted phrase must stand in every reading level a variant that shows it uses:
    a question's in the variants that ask it, a row's in the variants whose organizer has
    the row; a quote's words for a level (`levels:`) in that level's text."""
    docs = {d.id: d for d in documents}
    texts = {(d.id, level): normalize_quote(" ".join(b.text for b in body.blocks))
             for d in documents for level, body in d.bodies.items()}
    cited: list[tuple[Evidence, list[Variant]]] = []
    for q in questions:
        shown = [v for v in variants.values() if v.shows(q)]
        cited.extend((e, shown) for e in q.evidence)
    if organizer is not None:
        for r in organizer.rows:
            cited.extend((e, [v for v in variants.values()
                              if v.shows_document(e.doc) and v.shows_row(r.id)])
                         for e in r.evidence)
    for e, shown in cited:
        if e.doc not in docs:
            close = difflib.get_close_matches(e.doc, list(docs), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "expected one of: " + ", ".join(docs)
            problems.append(Problem(e.origin, f"evidence names unknown document '{e.doc}'", hint))
            continue
        bodies = docs[e.doc].bodies
        for w in e.levels:
            if w.level not in bodies:
                problems.append(Problem(w.origin, f"evidence levels: document {e.doc} has no "
                                        f"'{w.level}' text", choice_hint(w.level, sorted(bodies))))
        doc = docs[e.doc]
        # the level each variant prints (an image document's own text when it has no other)
        printed = {v.id: doc.body_for(v.level_of(e.doc)).level for v in shown
                   if (e.doc, v.level_of(e.doc)) in texts or doc.image is not None}
        used = set(printed.values())
        # every wording written for a level is checked; the main quote where it is used
        levels = sorted(used | {w.level for w in e.levels if w.level in bodies})
        invisible_reported: set[str] = set()
        for level in levels:
            worded = e.at_level(level)
            if worded.quote not in invisible_reported and used:
                invisible_reported.add(worded.quote)
                _invisible(worded, problems)
            if normalize_quote(worded.quote) in texts[(e.doc, level)]:
                continue
            users = ", ".join(v.id for v in shown if printed.get(v.id) == level)
            differs = first_difference(worded.quote, texts[(e.doc, level)])
            problems.append(Problem(
                worded.origin,
                f"evidence quote \"{shorten(worded.quote, 200)}\" is not in "
                f"{bodies[level].origin.file} ({level} text, "
                f"{'used by ' + users if users else 'used by no variant that shows it'})",
                f"{differs}: copy the words exactly from that text" if differs else
                "copy the words exactly from that text, or keep them in it"))


def _invisible(e: Evidence, problems: list[Problem]) -> None:
    """A warning for an invisible character in a quote: matched as a reader sees it, so not
    an error, but it came with the copy."""
    hidden = next((i for i, ch in enumerate(e.quote) if ch in INVISIBLE), None)
    if hidden is None:
        return
    ch = e.quote[hidden]
    problems.append(Problem(e.origin, f"evidence quote has an invisible character, "
                            f"U+{ord(ch):04X} ({INVISIBLE[ch]}), "
                            f"after \"{shorten(e.quote[:hidden], 40)}\"",
                            "delete it: it came with the copied text", "warning"))
