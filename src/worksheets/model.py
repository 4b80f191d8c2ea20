"""The lesson as the pipeline sees it: plain frozen objects that know their origin.

Nothing here imports YAML, reportlab or Click.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from .errors import Location, Problem
from .markup import Block, Run

Skill = Literal["sourcing", "contextualization", "close-reading", "corroboration"]
SKILLS: tuple[Skill, ...] = get_args(Skill)


@dataclass(frozen=True)
class Body:
    """One reading level of a document's text."""

    level: str
    blocks: tuple[Block, ...]
    origin: Location
    note: str | None = None  # printed after the title: "modified" -> "(Modified)"


@dataclass(frozen=True)
class VocabularyTerm:
    """A vocabulary term with its definition and translations."""

    term: str
    definition: str
    forms: tuple[str, ...] = ()
    translations: dict[str, str] = field(default_factory=dict)
    origin: Location = Location("")
    inline: bool = False  # defined only by a `**term** (gloss)` in a document


@dataclass(frozen=True)
class Picture:
    """The image of an image document (a photograph, a cartoon, a map), ready to print.

    `png` is the image in grayscale, re-encoded the same way every time; `colour` says
    whether the writer's file had colour that the print loses.
    """

    file: str  # as the front matter names it
    width: int  # pixels
    height: int
    png: bytes
    alt: str
    credit: tuple[Run, ...]  # empty: no credit line
    colour: bool
    origin: Location  # the `image:` line


@dataclass(frozen=True)
class Document:
    """A primary-source document with its caption and its reading levels.

    An image document (`image` set) prints its picture; its bodies are the transcript
    or caption under it, possibly empty.
    """

    id: str
    label: str
    title: str
    modified: bool
    dateline: str | None
    source: tuple[Run, ...]
    bodies: dict[str, Body]
    glossed: tuple[VocabularyTerm, ...]  # the terms its texts gloss inline, where first glossed
    origin: Location
    image: Picture | None = None
    image_file: str | None = None  # as `image:` names it, also when it could not be read

    def body_for(self, level: str) -> Body:
        """The text printed at a reading level: an image document without a text at that
        level prints the transcript of its own file (the first body)."""
        return self.bodies.get(level) or next(iter(self.bodies.values()))


@dataclass(frozen=True)
class Wording:
    """A quote's words at one reading level of its document, where the author wrote them."""

    level: str
    quote: str
    origin: Location


@dataclass(frozen=True)
class Evidence:
    """A phrase quoted from a document, where the author wrote it; other words for the
    reading levels whose text words it differently."""

    doc: str
    quote: str
    origin: Location
    levels: tuple[Wording, ...] = ()

    def at_level(self, level: str) -> Evidence:
        """The quote as the text of this reading level has it."""
        for w in self.levels:
            if w.level == level:
                return Evidence(self.doc, w.quote, w.origin)
        return Evidence(self.doc, self.quote, self.origin) if self.levels else self


@dataclass(frozen=True)
class Rewording:
    """A variant's own wording of a question: each field it sets replaces the bank's."""

    variant: str
    origin: Location
    prompt: tuple[Run, ...] | None = None
    choices: tuple[str, ...] | None = None
    answer: str | bool | None = None  # derived from the bank's answer when choices change
    look_fors: tuple[str, ...] | None = None
    starter: str | None = None
    hint: str | None = None
    lines: int | None = None

    def changes(self) -> tuple[str, ...]:
        """The names of the fields it sets."""
        return tuple(f for f in ("prompt", "choices", "answer", "look_fors", "starter", "hint",
                                 "lines") if getattr(self, f) is not None)


@dataclass(frozen=True)
class Question:
    """A question of the bank; its number is fixed across variants."""

    id: str
    number: int
    documents: tuple[str, ...]
    skill: Skill
    kind: str
    prompt: tuple[Run, ...]
    lines: int
    choices: tuple[str, ...] = ()
    answer: str | bool | None = None
    look_fors: tuple[str, ...] = ()
    starter: str | None = None
    hint: str | None = None
    placement: str = "after"
    origin: Location = Location("")
    evidence: tuple[Evidence, ...] = ()
    variants: tuple[Rewording, ...] = ()  # per-variant wording

    def rewording(self, variant: str) -> Rewording | None:
        """The variant's own wording of this question, if it has one."""
        return next((r for r in self.variants if r.variant == variant), None)

    def worded(self, variant: str) -> Question:
        """The question as this variant asks it: its own wording over the bank's."""
        r = self.rewording(variant)
        if r is None:
            return self
        return replace(self, **{f: getattr(r, f) for f in r.changes()}, variants=())


@dataclass(frozen=True)
class OrganizerColumn:
    """A column of the organizer: one deal and the documents it rests on."""

    id: str
    heading: str
    documents: tuple[str, ...]
    translations: dict[str, str]
    origin: Location = Location("")
    headings: dict[str, str] = field(default_factory=dict)  # a variant's own heading


@dataclass(frozen=True)
class OrganizerRow:
    """A row prompt with the key's answers and optional partial answers, per column."""

    id: str
    prompt: str
    lines: int
    answers: dict[str, str]
    given: dict[str, str]
    translations: dict[str, str]
    origin: Location
    evidence: tuple[Evidence, ...] = ()
    prompts: dict[str, str] = field(default_factory=dict)  # a variant's own prompt


@dataclass(frozen=True)
class Organizer:
    """A comparison table students fill in."""

    title: str
    instructions: str | None
    corner: str
    columns: tuple[OrganizerColumn, ...]
    rows: tuple[OrganizerRow, ...]
    translations: dict[str, dict[str, str]]
    origin: Location


@dataclass(frozen=True)
class Variant:
    """A differentiated version: reading level, scaffolds, language, documents, questions."""

    id: str
    title: str
    description: str | None
    reading_level: str
    scaffolds: frozenset[str]
    language: str | None
    questions: tuple[str, ...] | None
    origin: Location
    grade_band: str | None = None
    documents: tuple[str, ...] | None = None  # None: every document
    reading_levels: dict[str, str] = field(default_factory=dict)  # per document, over the above
    columns: tuple[str, ...] | None = None  # the organizer columns it shows; None: all
    rows: tuple[str, ...] | None = None  # the organizer rows it shows; None: all

    def level_of(self, doc_id: str) -> str:
        """The reading level this variant prints the document at."""
        return self.reading_levels.get(doc_id, self.reading_level)

    def shows_document(self, doc_id: str) -> bool:
        """Whether this variant prints the document."""
        return self.documents is None or doc_id in self.documents

    def shows_row(self, row_id: str) -> bool:
        """Whether this variant's organizer has the row."""
        return self.rows is None or row_id in self.rows

    def shows(self, q: Question) -> bool:
        """Whether this variant asks the question: chosen, and on documents it prints."""
        return (self.questions is None or q.id in self.questions) and all(
            self.shows_document(d) for d in q.documents)


@dataclass(frozen=True)
class NonText:
    """Something printed that is not text (an image, a map, a chart): a screen reader
    reads its text alternative instead."""

    kind: str  # "image", ...
    alt: str | None  # the text alternative; None or blank is an error
    origin: Location

    def alt_problem(self) -> Problem | None:
        """The error for a missing or blank text alternative, located; None when it has one.

        A tagged PDF gives a screen reader the alternative in place of the element (a
        `Figure` with `/Alt`); without one the listener learns nothing is there.
        """
        if self.alt and self.alt.strip():
            return None
        return Problem(self.origin, f"this {self.kind} has no text alternative (alt)",
                       f"add alt: one sentence saying what the {self.kind} shows, for "
                       "students who listen to the page")


@dataclass(frozen=True)
class Lesson:
    """A whole lesson, validated."""

    id: str
    path: str
    title: str
    central_question: str
    grade_band: str
    background: tuple[Block, ...]
    documents: tuple[Document, ...]
    questions: tuple[Question, ...]
    claim: Question | None
    vocabulary: tuple[VocabularyTerm, ...]
    organizer: Organizer | None
    attribution: str
    author: str
    variants: dict[str, Variant]
    origin: Location
    lang: str = "en-US"  # BCP 47: the language of the lesson's text (a PDF's /Lang)
    non_text: tuple[NonText, ...] = ()  # every non-text element, each with its alt

    def document(self, doc_id: str) -> Document:
        """The document with this id."""
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)
