"""A worksheet's questions as LMS items: numbered as in the PDF, with the key's answers.

Pure: no I/O. `answer_lines()` says what the key prints under a question, in
the words the PDF uses; the DOCX key and the grading notes of every LMS format
are made from it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import partial
from typing import Literal

from ..compose.citations import cite
from ..compose.strings import words
from ..markup import Block, Run, parse_inline, plain, plain_text, runs_tagged
from ..model import Document, Question
from ..select import Section, Worksheet

Kind = Literal["choice", "true-false", "written"]


@dataclass(frozen=True)
class Choice:
    """One answer option; `ident` is stable ("A", "B", ... or "true", "false")."""

    ident: str
    text: str  # author text with its inline markup (see text_html, plain_text)
    correct: bool


@dataclass(frozen=True)
class Item:
    """One question as an LMS item."""

    ident: str
    label: str  # "5" as printed, or "Claim"
    kind: Kind
    prompt: tuple[Run, ...]
    skill: str  # as printed, e.g. "Close reading"
    choices: tuple[Choice, ...]
    notes: tuple[str, ...]  # what the key prints, the grading notes (with inline markup)
    documents: tuple[str, ...]

    @property
    def title(self) -> str:
        """"Question 5", or "Claim" for the unnumbered claim."""
        return self.label if not self.label.isdigit() else f"Question {self.label}"

    @property
    def text(self) -> str:
        """The prompt as plain text with its skill, as the PDF prints it."""
        return f"{plain(self.prompt)} ({self.skill})"

    @property
    def html(self) -> str:
        """The prompt as HTML with its skill."""
        return f"<p>{runs_html(self.prompt)} <em>({html.escape(self.skill)})</em></p>"


@dataclass(frozen=True)
class Stimulus:
    """A document's text, read before its questions."""

    ident: str
    heading: str  # with the inline markup of the label and title (see `title`)
    document: Document
    blocks: tuple[Block, ...]
    page: int | None = None  # where the document starts in the student PDF

    @property
    def title(self) -> str:
        """The heading as plain text, for titles and comments."""
        return plain_text(self.heading)


@dataclass(frozen=True)
class Group:
    """The questions of one document (or the closing claim, with no stimulus)."""

    stimulus: Stimulus | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Assessment:
    """Every question of one variant, in the PDF's order."""

    ident: str
    title: str
    groups: tuple[Group, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        """All items in order."""
        return tuple(i for g in self.groups for i in g.items)


def runs_html(runs: tuple[Run, ...]) -> str:
    """HTML for styled runs; the author's text is always escaped."""
    return runs_tagged(runs, partial(html.escape, quote=False), "strong", "em")


def text_html(text: str) -> str:
    """HTML for one author text field (a choice, a dateline, a look-for): its inline
    markup as <em> and <strong>, the rest escaped."""
    return runs_html(parse_inline(text)[0])


def blocks_html(blocks: tuple[Block, ...]) -> str:
    """Paragraphs of a document body as HTML: a heading inside the document an h4,
    consecutive quoted paragraphs one blockquote."""
    out: list[str] = []
    quoting = False
    for b in blocks:
        if quoting and b.role != "quote":
            out.append("</blockquote>")
        if b.role == "quote" and not quoting:
            out.append("<blockquote>")
        quoting = b.role == "quote"
        if b.role == "heading":
            out.append(f'<h4 class="heading">{runs_html(b.runs)}</h4>')
        else:
            out.append(f'<p class="{b.role}">{runs_html(b.runs)}</p>')
    if quoting:
        out.append("</blockquote>")
    return "".join(out)


def heading(ws: Worksheet, sec: Section) -> str:
    """"Document A: Title (Modified)", as the PDF heads a document at the level printed."""
    doc = sec.document
    mod = f" ({words(ws, sec.note)})" if sec.note else ""
    return f"{doc.label}: {doc.title}{mod}"


def skill(ws: Worksheet, q: Question) -> str:
    """The question's skill in the variant's words."""
    return words(ws, f"skill.{q.skill}")


def answer_label(ws: Worksheet, q: Question) -> str | None:
    """The label over the answer area ("Answer:", "Evidence:"), if the kind has one."""
    if q.kind == "choice":
        return f"{words(ws, 'answer')}:"
    if q.kind == "true-false":
        return f"{words(ws, 'evidence')}:"
    return None


def answer_lines(ws: Worksheet, q: Question) -> list[str]:
    """What the key prints in the answer area, line by line (as compose.question_parts).

    Citations name the document only: line numbers belong to one PDF layout.
    """
    out: list[str] = []
    if q.kind == "choice":
        letter = str(q.answer)
        correct = q.choices[ord(letter) - 65] if q.choices else ""
        out.append(f"{letter}. {correct}")
    elif q.kind == "true-false":
        out.append(words(ws, "true") if q.answer is True else words(ws, "false"))
        out += [f"• {lf}" for lf in q.look_fors]
    elif q.look_fors:
        out.append(f"{words(ws, 'look_for')}:")
        out += [f"• {lf}" for lf in q.look_fors]
    for e in q.evidence:
        out.append(f"{words(ws, 'evidence')}: {cite(ws, e, {})}: \u201c{e.quote}\u201d")
    return out


def item(ws: Worksheet, q: Question, label: str) -> Item:
    """The LMS item of one question."""
    choices: tuple[Choice, ...] = ()
    kind: Kind = "written"
    if q.kind == "choice":
        kind = "choice"
        choices = tuple(Choice(chr(65 + i), c, chr(65 + i) == str(q.answer))
                        for i, c in enumerate(q.choices))
    elif q.kind == "true-false":
        kind = "true-false"
        choices = (Choice("true", words(ws, "true"), q.answer is True),
                   Choice("false", words(ws, "false"), q.answer is False))
    return Item(f"q-{q.id}", label, kind, q.prompt, skill(ws, q), choices,
                tuple(answer_lines(ws, q)), q.documents)


def assessment(ws: Worksheet, pages: dict[str, int] | None = None) -> Assessment:
    """The questions of a worksheet, grouped by the document they are printed with.

    `pages` maps a document id to the student PDF's page where it starts.
    """
    groups = []
    for sec in ws.sections:
        d = sec.document
        stim = Stimulus(f"doc-{d.id}", heading(ws, sec), d, sec.blocks, (pages or {}).get(d.id))
        items = tuple(item(ws, q, str(q.number)) for q in (*sec.before, *sec.after))
        groups.append(Group(stim, items))
    if ws.claim is not None:
        groups.append(Group(None, (item(ws, ws.claim, "Claim"),)))
    lesson = ws.lesson
    return Assessment(f"{lesson.id}-{ws.variant.id}",
                      plain_text(f"{lesson.title} ({ws.variant.title})"),
                      tuple(groups))
