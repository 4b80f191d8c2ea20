"""The shapes of the files an author writes, declared once.

These pydantic models validate what YAML gives us (strictly: text must be
text) and are the source of the JSON Schema for editors. The loader turns
validated files into the frozen objects of `model.py`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=64),
    Field(description="A stable id: letters, digits, '-' and '_'."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Lines = Annotated[int, Field(ge=0, le=30, description="Number of ruled answer lines.")]
Skill = Literal["sourcing", "contextualization", "close-reading", "corroboration"]
Kind = Literal["written", "choice", "true-false"]
Scaffold = Literal["starters", "hints", "word_bank", "organizer_hints"]
Language = Literal["es"]
Translations = dict[Language, ShortText]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class EvidenceFile(_Strict):
    """A quoted phrase from a document that an answer rests on."""

    doc: Id = Field(description="The document's id, e.g. C.")
    quote: ShortText = Field(description="Words copied exactly from the document's text.")


class QuestionFile(_Strict):
    """One question of the bank."""

    id: Id
    documents: list[Id] = Field(min_length=1, description="Ids of the documents it is about.")
    skill: Skill = Field(description="The historical-thinking skill it practises.")
    kind: Kind = Field("written", description="written, choice or true-false.")
    prompt: Text = Field(description="The question as printed.")
    lines: Lines | None = Field(None, description="Answer lines (default 4, 2 for evidence).")
    choices: list[ShortText] | None = Field(
        None, min_length=2, max_length=6, description="Choices of a choice question."
    )
    answer: Annotated[str, StringConstraints(pattern=r"^[A-F]$")] | bool | None = Field(
        None, description="The correct letter (choice) or true/false (true-false)."
    )
    look_fors: list[Text] = Field(
        default_factory=list, description="What a strong answer contains (teacher key)."
    )
    starter: Text | None = Field(None, description="Sentence starter (scaffold).")
    hint: Text | None = Field(None, description="Hint (scaffold).")
    placement: Literal["before", "after"] | None = Field(
        None, description="Before or after the document text (default: sourcing before)."
    )
    evidence: list[EvidenceFile] = Field(
        default_factory=list, description="Quoted phrases the answer rests on (key cites lines)."
    )


class QuestionsFile(_Strict):
    """questions.yaml"""

    questions: list[QuestionFile] = Field(min_length=1, max_length=500)


class ClaimFile(_Strict):
    """The closing claim question."""

    id: Id = "claim"
    prompt: Text
    lines: Lines = 10
    look_fors: list[Text] = Field(default_factory=list)
    starter: Text | None = None
    hint: Text | None = None


class ColumnFile(_Strict):
    """A column of the graphic organizer."""

    id: Id
    heading: ShortText
    documents: list[Id] = Field(default_factory=list)
    translations: Translations = Field(default_factory=dict)


class RowFile(_Strict):
    """A row of the graphic organizer."""

    id: Id
    prompt: ShortText
    lines: Lines = 4
    answers: dict[str, Text] = Field(default_factory=dict, description="Key answer per column id.")
    given: dict[str, Text] = Field(
        default_factory=dict, description="Partial answer per column id (organizer_hints)."
    )
    translations: Translations = Field(default_factory=dict)
    evidence: list[EvidenceFile] = Field(
        default_factory=list, description="Quoted phrases the row's answers rest on."
    )


class OrganizerFile(_Strict):
    """The graphic organizer: a comparison table."""

    title: ShortText
    instructions: Text | None = None
    corner: ShortText = "Question"
    columns: list[ColumnFile] = Field(min_length=1, max_length=4)
    rows: list[RowFile] = Field(min_length=1, max_length=40)
    translations: dict[Language, dict[Literal["title", "instructions", "corner"], Text]] = Field(
        default_factory=dict
    )


class VariantFile(_Strict):
    """A differentiated version of the lesson: it picks content, never the page."""

    title: ShortText
    description: Text | None = None
    reading_level: Id = "modified"
    scaffolds: list[Scaffold] = Field(default_factory=list)
    language: Language | None = None
    questions: list[Id] | None = Field(
        default=None, description="Question ids to include (default all)."
    )
    grade_band: ShortText | None = Field(
        default=None, description="Grades this variant is written for (default: the lesson's)."
    )


class LessonFile(_Strict):
    """lesson.yaml"""

    title: ShortText
    central_question: Text
    grade_band: ShortText
    background: LongText
    documents: list[Id] = Field(min_length=1, max_length=20)
    organizer: OrganizerFile | None = None
    claim: ClaimFile | None = None
    attribution: Annotated[str, StringConstraints(min_length=1, max_length=180)] = Field(
        description="Credits, printed on one line at the foot of every page."
    )
    author: ShortText | None = None
    variants: dict[Id, VariantFile] = Field(
        default_factory=lambda: {"standard": VariantFile(title="Standard")},
        max_length=8,  # the teacher master gives each variant a column
    )


class DocumentFrontMatter(_Strict):
    """The front matter of documents/<id>.md."""

    label: ShortText = Field(description='For instance "Document A".')
    title: ShortText
    modified: bool = Field(False, description='Print "(Modified)" after the title.')
    dateline: ShortText | None = None
    source: Text = Field(description="The source caption printed under the text.")
    level: Id = "modified"


class LevelFrontMatter(_Strict):
    """The front matter of documents/<id>.<level>.md (optional)."""

    level: Id | None = None


class TermFile(_Strict):
    """A declared vocabulary term."""

    term: ShortText
    definition: Text
    forms: list[ShortText] = Field(default_factory=list)
    translations: Translations = Field(default_factory=dict)


class VocabularyFile(_Strict):
    """vocabulary.yaml"""

    terms: list[TermFile] = Field(default_factory=list, max_length=500)
