"""The shapes of the files an author writes, declared once.

These msgspec Structs validate what YAML gives us (strictly: text must be
text) and are the source of the JSON Schema for editors. The loader turns
validated files into the frozen objects of `model.py`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct, field

from ..model import Skill

# `(?!\n)$`: a pattern's `$` would also match before a final line break.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*(?!\n)$"

Id = Annotated[
    str,
    Meta(pattern=ID_PATTERN, max_length=64,
         description="A stable id: letters, digits, '-' and '_'."),
]
Text = Annotated[str, Meta(min_length=1, max_length=5000)]
ShortText = Annotated[str, Meta(min_length=1, max_length=300)]
LongText = Annotated[str, Meta(min_length=1, max_length=20000)]
Lines = Annotated[int, Meta(ge=0, le=30, description="Number of ruled answer lines.")]
Kind = Literal["written", "choice", "true-false"]
Scaffold = Literal["starters", "hints", "word_bank", "organizer_hints"]
Language = Literal["es"]
# A BCP 47 language tag as PDF readers use it: a language, then optional subtags
# ("en", "en-US", "es-419", "zh-Hant-TW").
LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*(?!\n)$"
LangTag = Annotated[
    str,
    Meta(pattern=LANG_PATTERN, max_length=35,
         description="The lesson's language as a BCP 47 tag, like en-US or es; screen "
                     "readers speak the text in it."),
]
Translations = dict[Language, ShortText]
# How a text was adapted from its source, printed after the document's title: "(Modified)",
# "(Simplified)", "(Excerpt)"; an original text prints nothing.
Adapted = Literal["modified", "simplified", "excerpt", "original"]
ADAPTED_HELP = ('How this text was adapted: modified, simplified or excerpt print "(Modified)", '
                '"(Simplified)" or "(Excerpt)" after the title; original prints nothing.')


class Strict(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Unknown keys are refused; values are never coerced (text must be text)."""


class EvidenceFile(Strict, frozen=True, kw_only=True):
    """A quoted phrase from a document that an answer rests on."""

    doc: Annotated[Id, Meta(description="The document's id, e.g. C.")]
    quote: Annotated[ShortText, Meta(description="Words copied exactly from the document's text.")]
    levels: Annotated[
        dict[Id, ShortText],
        Meta(description="The words as a reading level's text has them, where it words them "
             "differently: {simplified: \"...\"}. The key cites the words of the level a "
             "variant prints."),
    ] = field(default_factory=dict)


class RewordingFile(Strict, frozen=True, kw_only=True):
    """A variant's own wording of a question: what it sets replaces the bank's."""

    prompt: Text | None = None
    choices: Annotated[
        Annotated[list[ShortText], Meta(min_length=2, max_length=6)] | None,
        Meta(description="This variant's choices. Without answer:, the correct choice's text "
             "must be among them."),
    ] = None
    answer: Annotated[
        Annotated[str, Meta(pattern=r"^[A-F](?!\n)$")] | bool | None,
        Meta(description="The correct letter among this variant's choices, or true/false."),
    ] = None
    look_fors: list[Text] | None = None
    starter: Text | None = None
    hint: Text | None = None
    lines: Lines | None = None


class QuestionFile(Strict, frozen=True, kw_only=True):
    """One question of the bank."""

    id: Id
    documents: Annotated[
        list[Id], Meta(min_length=1, description="Ids of the documents it is about.")
    ]
    skill: Annotated[Skill, Meta(description="The historical-thinking skill it practises.")]
    kind: Annotated[Kind, Meta(description="written, choice or true-false.")] = "written"
    prompt: Annotated[Text, Meta(description="The question as printed.")]
    lines: Annotated[
        Lines | None, Meta(description="Answer lines (default 4, 2 for evidence).")
    ] = None
    choices: Annotated[
        Annotated[list[ShortText], Meta(min_length=2, max_length=6)] | None,
        Meta(description="Choices of a choice question."),
    ] = None
    answer: Annotated[
        Annotated[str, Meta(pattern=r"^[A-F](?!\n)$")] | bool | None,
        Meta(description="The correct letter (choice) or true/false (true-false)."),
    ] = None
    look_fors: Annotated[
        list[Text], Meta(description="What a strong answer contains (teacher key).")
    ] = field(default_factory=list)
    starter: Annotated[Text | None, Meta(description="Sentence starter (scaffold).")] = None
    hint: Annotated[Text | None, Meta(description="Hint (scaffold).")] = None
    placement: Annotated[
        Literal["before", "after"] | None,
        Meta(description="Before or after the document text (default: sourcing before)."),
    ] = None
    evidence: Annotated[
        list[EvidenceFile],
        Meta(description="Quoted phrases the answer rests on (key cites lines)."),
    ] = field(default_factory=list)
    variants: Annotated[
        dict[Id, RewordingFile],
        Meta(description="A variant's own wording, by variant name: prompt, choices, answer, "
             "look_fors, starter, hint or lines. The number stays the bank's."),
    ] = field(default_factory=dict)


class QuestionsFile(Strict, frozen=True, kw_only=True):
    """questions.yaml"""

    questions: Annotated[list[QuestionFile], Meta(min_length=1, max_length=500)]


class ClaimRewordingFile(Strict, frozen=True, kw_only=True):
    """A variant's own wording of the claim: what it sets replaces the lesson's."""

    prompt: Text | None = None
    look_fors: list[Text] | None = None
    starter: Text | None = None
    hint: Text | None = None
    lines: Lines | None = None


class ClaimFile(Strict, frozen=True, kw_only=True):
    """The closing claim question."""

    id: Id = "claim"
    prompt: Text
    lines: Lines = 10
    look_fors: list[Text] = field(default_factory=list)
    starter: Text | None = None
    hint: Text | None = None
    variants: Annotated[
        dict[Id, ClaimRewordingFile],
        Meta(description="A variant's own wording, by variant name: prompt, look_fors, "
             "starter, hint or lines."),
    ] = field(default_factory=dict)


class ColumnFile(Strict, frozen=True, kw_only=True):
    """A column of the graphic organizer."""

    id: Id
    heading: ShortText
    documents: list[Id] = field(default_factory=list)
    translations: Translations = field(default_factory=dict)
    variants: Annotated[
        dict[Id, ShortText], Meta(description="A variant's own heading, by variant name.")
    ] = field(default_factory=dict)


class RowFile(Strict, frozen=True, kw_only=True):
    """A row of the graphic organizer."""

    id: Id
    prompt: ShortText
    lines: Lines = 4
    answers: Annotated[dict[str, Text], Meta(description="Key answer per column id.")] = field(
        default_factory=dict
    )
    given: Annotated[
        dict[str, Text], Meta(description="Partial answer per column id (organizer_hints).")
    ] = field(default_factory=dict)
    translations: Translations = field(default_factory=dict)
    evidence: Annotated[
        list[EvidenceFile], Meta(description="Quoted phrases the row's answers rest on.")
    ] = field(default_factory=list)
    variants: Annotated[
        dict[Id, ShortText], Meta(description="A variant's own prompt, by variant name.")
    ] = field(default_factory=dict)


class OrganizerFile(Strict, frozen=True, kw_only=True):
    """The graphic organizer: a comparison table."""

    title: ShortText
    instructions: Text | None = None
    corner: ShortText = "Question"
    columns: Annotated[list[ColumnFile], Meta(min_length=1, max_length=4)]
    rows: Annotated[list[RowFile], Meta(min_length=1, max_length=40)]
    translations: dict[Language, dict[Literal["title", "instructions", "corner"], Text]] = field(
        default_factory=dict
    )


class VariantOrganizerFile(Strict, frozen=True, kw_only=True):
    """Which parts of the organizer a variant shows."""

    columns: Annotated[
        list[Id] | None, Meta(description="Column ids to show, in the organizer's order "
                              "(default all).")
    ] = None
    rows: Annotated[
        list[Id] | None, Meta(description="Row ids to show, in the organizer's order "
                              "(default all).")
    ] = None


class VariantFile(Strict, frozen=True, kw_only=True):
    """A differentiated version of the lesson: it picks content, never the page."""

    title: ShortText
    description: Text | None = None
    reading_level: Id = "modified"
    reading_levels: Annotated[
        dict[Id, Id],
        Meta(description="The reading level of some documents, by document id, over "
             "reading_level: {C: modified}."),
    ] = field(default_factory=dict)
    scaffolds: list[Scaffold] = field(default_factory=list)
    language: Language | None = None
    documents: Annotated[
        list[Id] | None,
        Meta(description="Document ids to include, printed in the lesson's order (default "
             "all). Questions on a document left out are left out too."),
    ] = None
    questions: Annotated[
        list[Id] | None, Meta(description="Question ids to include (default all).")
    ] = None
    grade_band: Annotated[
        ShortText | None,
        Meta(description="Grades this variant is written for (default: the lesson's)."),
    ] = None
    organizer: Annotated[
        VariantOrganizerFile | None,
        Meta(description="The organizer columns and rows this variant shows (default all)."),
    ] = None


def _standard() -> dict[str, VariantFile]:
    return {"standard": VariantFile(title="Standard")}


class LessonFile(Strict, frozen=True, kw_only=True):
    """lesson.yaml"""

    title: ShortText
    central_question: Text
    grade_band: ShortText
    background: LongText
    documents: Annotated[list[Id], Meta(min_length=1, max_length=20)]
    organizer: OrganizerFile | None = None
    claim: ClaimFile | None = None
    attribution: Annotated[
        str,
        Meta(min_length=1, max_length=180,
             description="Credits, printed on one line at the foot of every page."),
    ]
    author: ShortText | None = None
    lang: LangTag = "en-US"
    # at most 8: the teacher master gives each variant a column
    variants: Annotated[dict[Id, VariantFile], Meta(max_length=8)] = field(
        default_factory=_standard
    )


class DocumentFrontMatter(Strict, frozen=True, kw_only=True):
    """The front matter of documents/<id>.md."""

    label: Annotated[ShortText, Meta(description='For instance "Document A".')]
    title: ShortText
    modified: Annotated[bool, Meta(description='Print "(Modified)" after the title (the same '
                                   'as adapted: modified).')] = False
    adapted: Annotated[
        Adapted | None,
        Meta(description=ADAPTED_HELP + " Other levels print the same unless their file says."),
    ] = None
    dateline: ShortText | None = None
    source: Annotated[Text, Meta(description="The source caption printed under the text.")]
    level: Id = "modified"
    image: Annotated[
        ShortText | None,
        Meta(description="An image document: the PNG or JPEG file, relative to the "
             "documents folder (e.g. cartoon.png). The text after the front matter is its "
             "transcript or caption, and may be empty."),
    ] = None
    alt: Annotated[
        Text | None,
        Meta(description="The image's text alternative, read by a screen reader in its "
             "place: what the image shows. Required with image."),
    ] = None
    credit: Annotated[
        ShortText | None,
        Meta(description="The image's credit line (artist, publisher, rights), printed "
             "under it."),
    ] = None


class LevelFrontMatter(Strict, frozen=True, kw_only=True):
    """The front matter of documents/<id>.<level>.md (optional)."""

    level: Id | None = None
    adapted: Annotated[
        Adapted | None,
        Meta(description=ADAPTED_HELP + " Default: as the document's main file."),
    ] = None


class TermFile(Strict, frozen=True, kw_only=True):
    """A declared vocabulary term."""

    term: ShortText
    definition: Text
    forms: list[ShortText] = field(default_factory=list)
    translations: Translations = field(default_factory=dict)


class VocabularyFile(Strict, frozen=True, kw_only=True):
    """vocabulary.yaml"""

    terms: Annotated[list[TermFile], Meta(max_length=500)] = field(default_factory=list)
