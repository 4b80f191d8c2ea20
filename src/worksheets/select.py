"""Select stage: lesson + variant + edition -> the content of one worksheet.

Pure: no I/O, no clock. The result holds exactly what will be printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, cast

from .errors import Location, WorksheetError
from .markup import Block, normalize_quote
from .model import Document, Lesson, Organizer, Question, Variant, VocabularyTerm

Edition = Literal["student", "key", "master"]
EDITIONS: tuple[Edition, ...] = ("student", "key")
# The banner at the top of every page of an edition, and its PDF title's suffix.
BANNERS: dict[Edition, str] = {"key": "Teacher Key", "master": "Teacher Master"}


def edition_title(title: str, edition: Edition) -> str:
    """The PDF title of an edition of a lesson: 'Title (Teacher Key)'."""
    return f"{title} ({BANNERS[edition]})" if edition in BANNERS else title


def editions_for(choice: str, variants: Sequence[str]) -> tuple[Edition, ...]:
    """The editions a choice names: student, key, master, both (student and key) or all.

    Building every variant ('all') with both editions also makes the teacher master,
    which sets the variants side by side.
    """
    if choice == "all" or (choice == "both" and "all" in variants):
        return ("student", "key", "master")
    if choice == "both":
        return EDITIONS
    if choice in ("student", "key", "master"):
        return (cast(Edition, choice),)
    raise WorksheetError(f"unknown edition '{choice}' (expected: student, key, master, both "
                         "or all)")


@dataclass(frozen=True)
class Section:
    """One document as printed, with the questions before and after its text."""

    document: Document
    blocks: tuple[Block, ...]
    vocabulary: tuple[VocabularyTerm, ...]
    before: tuple[Question, ...]
    after: tuple[Question, ...]
    note: str | None = None  # after the title: "modified" prints "(Modified)"


@dataclass(frozen=True)
class Worksheet:
    """Everything one PDF shows, in order."""

    lesson: Lesson
    variant: Variant
    edition: Edition
    sections: tuple[Section, ...]
    organizer: Organizer | None
    claim: Question | None
    word_bank: tuple[str, ...]

    @property
    def key(self) -> bool:
        """True for the teacher key."""
        return self.edition == "key"

    def scaffold(self, name: str) -> bool:
        """Whether the variant turns this scaffold on."""
        return name in self.variant.scaffolds


def select(lesson: Lesson, variant: str = "standard", edition: Edition = "student") -> Worksheet:
    """Pick the content of one worksheet; raise WorksheetError for an unknown variant."""
    if variant not in lesson.variants:
        raise WorksheetError(
            f"{Location(lesson.origin.file)}: lesson '{lesson.id}' has no variant '{variant}' "
            f"(choose one of: {', '.join(lesson.variants)})"
        )
    v = lesson.variants[variant]
    chosen = [worded(q, v) for q in lesson.questions if v.shows(q)]
    sections = []
    used_terms: list[str] = []
    for doc in lesson.documents:
        if not v.shows_document(doc.id):
            continue
        body = doc.body_for(v.level_of(doc.id))
        terms = terms_in(lesson.vocabulary, body.blocks)
        used_terms.extend(t.term for t in terms)
        mine = [q for q in chosen if q.documents and _last_doc(lesson, q) == doc.id]
        sections.append(
            Section(
                document=doc,
                blocks=body.blocks,
                vocabulary=terms,
                before=tuple(q for q in mine if q.placement == "before"),
                after=tuple(q for q in mine if q.placement == "after"),
                note=body.note,
            )
        )
    word_bank = tuple(sorted(set(used_terms), key=str.lower)) if "word_bank" in v.scaffolds else ()
    organizer = organizer_for(lesson.organizer, v) if lesson.organizer is not None else None
    claim = lesson.claim.worded(v.id) if lesson.claim is not None else None
    return Worksheet(lesson, v, edition, tuple(sections), organizer, claim, word_bank)


def worded(q: Question, v: Variant) -> Question:
    """A question as the variant asks it: its own wording, and each quote in the words of
    the reading level the variant prints its document at. The number stays the bank's."""
    q = q.worded(v.id)
    return replace(q, evidence=tuple(e.at_level(v.level_of(e.doc)) for e in q.evidence))


def organizer_for(o: Organizer, v: Variant) -> Organizer:
    """The organizer as the variant shows it: its columns and rows, their own headings and
    prompts, each quote in the words of the level the variant prints."""
    columns = tuple(replace(c, heading=c.headings.get(v.id, c.heading), headings={})
                    for c in o.columns if v.columns is None or c.id in v.columns)
    rows = tuple(replace(r, prompt=r.prompts.get(v.id, r.prompt), prompts={},
                         evidence=tuple(e.at_level(v.level_of(e.doc)) for e in r.evidence))
                 for r in o.rows if v.shows_row(r.id))
    if columns == o.columns and rows == o.rows:
        return o
    return replace(o, columns=columns, rows=rows)


def _last_doc(lesson: Lesson, q: Question) -> str:
    order = [d.id for d in lesson.documents]
    return max(q.documents, key=order.index)


def term_pattern(term: VocabularyTerm) -> re.Pattern[str]:
    """A whole-word pattern for a term and its forms, to search in text made plain by
    `markup.normalize_quote` (curly or straight apostrophes, composed accents alike)."""
    words = sorted({normalize_quote(w) for w in (term.term, *term.forms)}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


def terms_in(
    vocabulary: tuple[VocabularyTerm, ...], blocks: tuple[Block, ...]
) -> tuple[VocabularyTerm, ...]:
    """The vocabulary terms that occur in these paragraphs, in vocabulary order."""
    text = normalize_quote("\n".join(b.text for b in blocks))
    return tuple(t for t in vocabulary if term_pattern(t).search(text))
