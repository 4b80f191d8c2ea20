"""Compose stage: worksheet + layout -> reportlab flowables.

Pure and small: one function per kind of content. The student edition and the
key are composed from the same objects, and every answer area is as tall as
the key's answer needs, so both editions break pages in the same places.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .errors import Location, Problem
from .fonts import SANS, SERIF, register_fonts
from .load.layout import Layout
from .markup import Block, Run, escape, normalize_quote
from .model import Evidence, Organizer, OrganizerColumn, Question, VocabularyTerm
from .variants import Section, Worksheet

INK = colors.black
RULE = colors.Color(0.45, 0.45, 0.45)  # answer lines: visible on paper, light under handwriting
SHADE = colors.Color(0.9, 0.9, 0.9)

# Words the generator itself prints, with their Spanish for bilingual variants.
STRINGS: dict[str, dict[str, str]] = {
    "directions": {
        "en": "Read each document, then answer the questions about it. "
              "You may write your answers in English or Spanish.",
        "es": "Lee cada documento y luego responde las preguntas. "
              "Puedes escribir tus respuestas en inglés o en español. ¡Usa evidencia!",
    },
    "name": {"en": "Name", "es": "Nombre"},
    "class": {"en": "Class", "es": "Clase"},
    "date": {"en": "Date", "es": "Fecha"},
    "central": {"en": "Central question", "es": "Pregunta central"},
    "background": {"en": "Background", "es": "Contexto"},
    "before": {"en": "Before you read", "es": "Antes de leer"},
    "after": {"en": "After you read", "es": "Después de leer"},
    "vocabulary": {"en": "Vocabulary", "es": "Vocabulario"},
    "word_bank": {"en": "Word bank", "es": "Banco de palabras"},
    "organizer": {"en": "Graphic organizer", "es": "Organizador gráfico"},
    "claim": {"en": "Your claim", "es": "Tu afirmación"},
    "answer": {"en": "Answer", "es": "Respuesta"},
    "evidence": {"en": "Evidence", "es": "Evidencia"},
    "circle": {"en": "Circle one", "es": "Encierra una"},
    "starter": {"en": "Sentence starter", "es": "Para empezar"},
    "hint": {"en": "Hint", "es": "Pista"},
    "look_for": {"en": "Look for", "es": "Buscar"},
    "modified": {"en": "Modified", "es": "Modificado"},
    "grade": {"en": "Grades", "es": "Grados"},
    "true": {"en": "TRUE", "es": "VERDADERO"},
    "false": {"en": "FALSE", "es": "FALSO"},
    "skill.sourcing": {"en": "Sourcing", "es": "Fuente"},
    "skill.contextualization": {"en": "Contextualization", "es": "Contexto"},
    "skill.close-reading": {"en": "Close reading", "es": "Lectura atenta"},
    "skill.corroboration": {"en": "Corroboration", "es": "Corroboración"},
}


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one layout."""

    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    closing: ParagraphStyle
    salutation: ParagraphStyle
    dateline: ParagraphStyle
    caption: ParagraphStyle
    text: ParagraphStyle
    small: ParagraphStyle
    key: ParagraphStyle
    cell_key: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle


def styles(layout: Layout) -> Styles:
    """Paragraph styles derived from a layout's sizes and faces."""
    register_fonts()  # paragraphs resolve their fonts when they are made
    lead = layout.leading
    width = layout.page_size[0] - layout.margin_left - layout.margin_right
    body_face = SERIF if layout.serif == "serif" else SANS

    def st(name: str, face: str, size: float, **kw: object) -> ParagraphStyle:
        kw.setdefault("leading", size * lead)
        return ParagraphStyle(name, fontName=face, fontSize=size, textColor=INK, **kw)

    t = layout.text_size
    return Styles(
        title=st("title", SANS + "-Bold", layout.title_size, spaceAfter=4),
        heading=st("heading", SANS + "-Bold", layout.heading_size, spaceBefore=6, spaceAfter=2,
                   keepWithNext=1),
        subheading=st("subheading", SANS + "-Bold", t, spaceBefore=6, spaceAfter=3),
        body=st("body", body_face, layout.body_size, spaceAfter=layout.body_size * 0.55,
                alignment=TA_JUSTIFY if layout.justify else TA_LEFT),
        closing=st("closing", body_face, layout.body_size, leftIndent=width * 0.45,
                   spaceAfter=2),
        salutation=st("salutation", body_face, layout.body_size, spaceAfter=layout.body_size * 0.55,
                      keepWithNext=1),
        dateline=st("dateline", body_face + "-Italic", layout.body_size, spaceAfter=6),
        caption=st("caption", SANS, layout.caption_size, spaceBefore=2, spaceAfter=6),
        text=st("text", SANS, t, spaceAfter=2),
        small=st("small", SANS + "-Italic", max(t - 1, layout.caption_size), spaceAfter=2),
        key=st("key", SERIF + "-Italic", t),
        cell_key=st("cellkey", SERIF + "-Italic", t - 1.5, leading=(t - 1.5) * 1.2),
        cell=st("cell", SANS, t - 0.5),
        cell_head=st("cellhead", SANS + "-Bold", t - 0.5, alignment=TA_CENTER),
    )


# --- text ------------------------------------------------------------------------


def runs_markup(runs: tuple[Run, ...]) -> str:
    """Reportlab paragraph markup for runs; the author's text is always escaped."""
    out = []
    for r in runs:
        if r.text == "\n":
            out.append("<br/>")
            continue
        s = escape(r.text)
        if r.bold:
            s = f"<b>{s}</b>"
        if r.italic:
            s = f"<i>{s}</i>"
        out.append(s)
    return "".join(out)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain author text (escaped)."""
    return Paragraph(escape(text), style)


def words(ws: Worksheet, key: str) -> str:
    """A generator string, bilingual when the variant has a second language."""
    s = STRINGS[key]
    lang = ws.variant.language
    if lang and lang in s and s[lang] != s["en"]:
        return f"{s['en']} / {s[lang]}"
    return s["en"]


# --- flowables ---------------------------------------------------------------------

_LAYOUT_WARNINGS: ContextVar[list[Problem] | None] = ContextVar("layout_warnings", default=None)


@contextmanager
def collect_layout_warnings() -> Iterator[list[Problem]]:
    """Collect the layout trouble found while rendering inside this block."""
    sink: list[Problem] = []
    token = _LAYOUT_WARNINGS.set(sink)
    try:
        yield sink
    finally:
        _LAYOUT_WARNINGS.reset(token)


class Keep(KeepTogether):  # type: ignore[misc]
    """Keeps its content on one page, and says so when that cannot be done.

    Content taller than a whole page is split by reportlab; the author hears
    about it, with the place in their file and the page.
    """

    def __init__(self, content: list[Flowable], origin: Location | None = None,
                 what: str = "", page_height: float = 0.0) -> None:
        super().__init__(content)
        self.origin, self.what, self.page_height = origin, what, page_height

    def wrap(self, avail_width: float, avail_height: float) -> Any:
        result = super().wrap(avail_width, avail_height)
        sink = _LAYOUT_WARNINGS.get()
        if sink is not None and self.origin and self.page_height and self._H > self.page_height:
            page = self.canv.getPageNumber() if getattr(self, "canv", None) else 0
            sink.append(Problem(self.origin, f"{self.what} is taller than a page and is split "
                                f"across pages (page {page})", "shorten it or give it fewer "
                                "answer lines", "warning"))
            self.page_height = 0.0  # once
        return result


def _fit(paras: list[Paragraph], width: float, height: float) -> tuple[list[Paragraph],
                                                                        list[Paragraph]]:
    """The paragraphs that fit in `height`, and the rest (splitting one paragraph if need be)."""
    first: list[Paragraph] = []
    used = 0.0
    for i, p in enumerate(paras):
        h = p.wrap(width, height)[1]
        if used + h <= height:
            first.append(p)
            used += h
            continue
        parts = p.split(width, height - used)
        if len(parts) == 2:
            return [*first, parts[0]], [parts[1], *paras[i + 1:]]
        return first, list(paras[i:])
    return first, []


class AnswerArea(Flowable):  # type: ignore[misc]
    """Ruled lines to write on; in the key, the answer is written over them.

    Its height is the larger of the lines and the key's answer, in both
    editions, so the student edition and the key paginate alike. An area
    taller than the space left splits at a ruled line.
    """

    def __init__(self, lines: int, spacing: float, answer: list[Paragraph], show: bool,
                 label: str | None = None, label_style: ParagraphStyle | None = None) -> None:
        super().__init__()
        self.lines, self.spacing, self.answer, self.show = lines, spacing, answer, show
        self.label_style = label_style
        self.label = Paragraph(escape(label), label_style) if label and label_style else None
        self._heights: list[float] = []

    def _label_height(self, avail_width: float) -> float:
        return self.label.wrap(avail_width, 1e9)[1] if self.label is not None else 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._heights = [p.wrap(avail_width - 12, avail_height)[1] for p in self.answer]
        need = sum(self._heights) + self.spacing * 0.4 if self.answer else 0.0
        self.height = max(self.lines * self.spacing, need) + self._label_height(avail_width)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self._label_height(avail_width)
        n = int(room // self.spacing)
        if n < 1:
            return []
        first, rest = _fit(self.answer, avail_width - 12, n * self.spacing - self.spacing * 0.4)
        head = AnswerArea(n, self.spacing, first, self.show, None, self.label_style)
        head.label = self.label
        tail = AnswerArea(max(self.lines - n, 1), self.spacing, rest, self.show)
        return [head, tail]

    def draw(self) -> None:
        c = self.canv
        top = self.height
        if self.label is not None:
            lh = self.label.height
            self.label.drawOn(c, 0, top - lh)
            top -= lh
        if self.show and self.answer:
            y = top - 3
            for p, h in zip(self.answer, self._heights, strict=True):
                p.drawOn(c, 8, y - h)
                y -= h
            top = y - 2  # the key's rules continue below its answer
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        n = int(top // self.spacing + 1e-6)
        for i in range(1, n + 1):
            y = top - i * self.spacing
            c.line(0, y, self.width, y)
        if n == 0:  # a key answer fills the area: still close it with a rule
            c.line(0, 0, self.width, 0)


class NumberedParagraph(Paragraph):  # type: ignore[misc]
    """A document paragraph that prints its line numbers (every fifth) in the left margin.

    `first_line` is the document's line number of its first line; a split
    across pages hands the count on to the second part.
    """

    first_line = 1
    every = 5

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        if len(parts) == 2:
            parts[0].first_line = self.first_line
            parts[1].first_line = self.first_line + len(parts[0].blPara.lines)
        return parts

    def draw(self) -> None:
        super().draw()
        st = self.style
        c = self.canv
        c.saveState()
        c.setFont(SANS, min(8.0, st.fontSize * 0.7))
        c.setFillColor(INK)
        for i in range(len(self.blPara.lines)):
            n = self.first_line + i
            if n % self.every == 0:
                c.drawRightString(-7, self.height - st.fontSize - i * st.leading, str(n))
        c.restoreState()


def line_texts(p: Paragraph, width: float) -> list[str]:
    """The text of each line of a paragraph wrapped at `width`."""
    p.wrap(width, 1e9)
    out = []
    for line in p.blPara.lines:
        if isinstance(line, tuple):  # simple paragraphs: (space left, words)
            out.append(" ".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") for w in line.words))
    return out


class Cell(Flowable):  # type: ignore[misc]
    """An organizer cell: empty (or partly filled) for students, the answer in the key.

    As tall as the key's answer in both editions; splits when a row is taller than a page.
    """

    def __init__(self, min_height: float, answer: list[Paragraph], given: list[Paragraph],
                 show: bool) -> None:
        super().__init__()
        self.min_height, self.answer, self.given, self.show = min_height, answer, given, show
        self._wrapped_width: float | None = None

    @staticmethod
    def _h(paras: list[Paragraph], width: float) -> float:
        return float(sum(p.wrap(width, 1e9)[1] for p in paras))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = self._wrapped_width = avail_width
        self.height = max(self.min_height, self._h(self.answer, avail_width),
                          self._h(self.given, avail_width))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if avail_height < 24:
            return []
        # A table splitting a row passes the column's width, padding included; the cell
        # is drawn at the width it was wrapped to, so the text must be fitted at that one.
        if self._wrapped_width is not None:
            avail_width = min(avail_width, self._wrapped_width)
        a1, a2 = _fit(self.answer, avail_width, avail_height)
        g1, g2 = _fit(self.given, avail_width, avail_height)
        rest = max(self.min_height - avail_height, 0.0)
        return [Cell(avail_height, a1, g1, self.show), Cell(rest, a2, g2, self.show)]

    def draw(self) -> None:
        y = self.height
        for p in self.answer if self.show else self.given:
            y -= p.height
            p.drawOn(self.canv, 0, y)


class Bookmark(Flowable):  # type: ignore[misc]
    """An outline entry for the page where it lands."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=0)


# --- compose -------------------------------------------------------------------------


def compose(ws: Worksheet, layout: Layout) -> list[Flowable]:
    """The whole worksheet as a list of flowables."""
    s = styles(layout)
    bodies = {sec.document.id: numbered_body(sec.blocks, s, layout) for sec in ws.sections}
    lines = {doc: body[1] for doc, body in bodies.items()}
    story: list[Flowable] = [*compose_header(ws, s, layout)]
    if ws.word_bank:
        story.append(compose_word_bank(ws, s, layout))
    for section in ws.sections:
        story.extend(compose_section(ws, section, s, layout, bodies[section.document.id][0],
                                     lines))
    if ws.organizer is not None:
        story.extend(compose_organizer(ws, ws.organizer, s, layout, lines))
    if ws.claim is not None:
        story.append(CondPageBreak(6 * layout.answer_line_spacing))
        story.append(para(words(ws, "claim"), s.heading))
        story.append(compose_question(ws, ws.claim, s, layout, lines, numbered=False))
    return story


def compose_header(ws: Worksheet, s: Styles, layout: Layout) -> list[Flowable]:
    """Name / Class / Date lines, the title, the central question and the background."""
    width = layout.page_size[0] - layout.margin_left - layout.margin_right
    labels = [words(ws, k) for k in ("name", "class", "date")]
    cells = [[para(f"{lb}:", s.text) for lb in labels]]
    t = Table(cells, colWidths=[width * 0.5, width * 0.25, width * 0.25], rowHeights=[22])
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, INK),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
    ]))
    lesson = ws.lesson
    out: list[Flowable] = [t, Spacer(1, 10), Bookmark("title", lesson.title),
                           para(lesson.title, s.title)]
    out.append(Paragraph(f"<b>{escape(words(ws, 'central'))}:</b> "
                         f"{escape(lesson.central_question)}", s.subheading))
    out.append(para(f"{words(ws, 'background')}", s.subheading))
    out.extend(Paragraph(runs_markup(b.runs), s.body) for b in lesson.background)
    lang = ws.variant.language
    if lang:
        d = STRINGS["directions"]
        out.append(Paragraph(f"<b>{escape(d['en'])}</b><br/><b>{escape(d[lang])}</b>", s.text))
    return out


def compose_word_bank(ws: Worksheet, s: Styles, layout: Layout) -> Flowable:
    """A boxed list of the vocabulary words the variant's texts use."""
    text = "   •   ".join(escape(w) for w in ws.word_bank)
    # splitInRow: a bank longer than a page splits instead of failing the build
    t = Table([[Paragraph(f"<b>{escape(words(ws, 'word_bank'))}:</b> {text}", s.text)]],
              splitInRow=1)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                           ("BOX", (0, 0), (-1, -1), 0.8, INK),
                           ("TOPPADDING", (0, 0), (-1, -1), 5),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return t


def compose_section(
    ws: Worksheet, sec: Section, s: Styles, layout: Layout, body: list[NumberedParagraph],
    lines: dict[str, list[str]],
) -> list[Flowable]:
    """One document: heading, sourcing questions, numbered text, caption, vocabulary, questions."""
    d = sec.document
    title = f"{d.label}: {d.title}"
    mod = f" ({words(ws, 'modified')})" if d.modified else ""
    head: list[Flowable] = [Bookmark(f"doc-{d.id}", title),
                            Paragraph(f"{escape(title)}{escape(mod)}", s.heading)]
    if d.dateline:
        head.append(para(d.dateline, s.dateline))
    out: list[Flowable] = [CondPageBreak(layout.page_size[1] * 0.25), KeepTogether(head)]
    if sec.before:
        out.extend(_headed(para(words(ws, "before"), s.subheading),
                           [compose_question(ws, q, s, layout, lines) for q in sec.before]))
        out.append(Spacer(1, 6))
    out.extend(body)
    out.append(Paragraph(runs_markup(d.source), s.caption))
    if sec.vocabulary:
        out.append(compose_vocabulary_box(ws, sec.vocabulary, s, layout, d.origin,
                                          f"the vocabulary box of {d.label}"))
    if sec.after:
        out.extend(_headed(para(words(ws, "after"), s.subheading),
                           [compose_question(ws, q, s, layout, lines) for q in sec.after]))
    return out


def _headed(heading: Flowable, questions: list[Keep]) -> list[Flowable]:
    """Questions, each kept whole, the heading kept on the page of the first.

    KeepTogether must not nest: an inner one reports an endless height.
    """
    first, *rest = questions
    return [Keep([heading, *first._content], first.origin, first.what, first.page_height), *rest]


def compose_block(b: Block, s: Styles) -> NumberedParagraph:
    """A paragraph of a document body in its role's style."""
    style = {"closing": s.closing, "signature": s.closing, "salutation": s.salutation}.get(
        b.role, s.body)
    return NumberedParagraph(runs_markup(b.runs), style)


def line_range(lines: list[str], quote: str) -> tuple[int, int] | None:
    """The first and last (1-based) line numbers a quoted phrase spans, if it is there."""
    starts, joined = [], ""
    for t in lines:
        starts.append(len(joined))
        joined += normalize_quote(t) + " "
    q = normalize_quote(quote)
    i = joined.find(q)
    if i < 0:
        return None
    first = max(k for k, st in enumerate(starts) if st <= i)
    last = max(k for k, st in enumerate(starts) if st <= i + len(q) - 1)
    return first + 1, last + 1


def cite(ws: Worksheet, e: Evidence, lines: dict[str, list[str]]) -> str:
    """"Doc C, lines 14-16" for a quote, by the line numbers printed in this layout."""
    label = ws.lesson.document(e.doc).label.replace("Document ", "Doc ")
    span = line_range(lines.get(e.doc, []), e.quote)
    if span is None:
        return label
    a, b = span
    return f"{label}, line {a}" if a == b else f"{label}, lines {a}\u2013{b}"


def numbered_body(
    blocks: tuple[Block, ...], s: Styles, layout: Layout
) -> tuple[list[NumberedParagraph], list[str]]:
    """A document's paragraphs with their line numbers set, and the text of each line."""
    width = layout.page_size[0] - layout.margin_left - layout.margin_right
    paras: list[NumberedParagraph] = []
    lines: list[str] = []
    for b in blocks:
        p = compose_block(b, s)
        p.first_line = len(lines) + 1
        lines.extend(line_texts(p, width))  # the frame wraps at the same width
        paras.append(p)
    return paras, lines


def compose_vocabulary_box(
    ws: Worksheet, terms: tuple[VocabularyTerm, ...], s: Styles, layout: Layout,
    origin: Location | None = None, what: str = "the vocabulary box",
) -> Flowable:
    """A boxed table of terms and definitions (and translations in a bilingual variant)."""
    lang = ws.variant.language
    width = layout.page_size[0] - layout.margin_left - layout.margin_right
    rows: list[list[Flowable]] = [[Paragraph(f"<b>{escape(words(ws, 'vocabulary'))}</b>", s.cell)]]
    for t in terms:
        row = [Paragraph(f"<b>{escape(t.term)}</b>", s.cell), para(t.definition, s.cell)]
        if lang:
            row.append(Paragraph(f"<i>{escape(t.translations.get(lang, ''))}</i>", s.cell))
        rows.append(row)
    ncol = 3 if lang else 2
    rows[0].extend([Spacer(0, 0)] * (ncol - 1))
    widths = [width * 0.22, width * 0.53, width * 0.25] if lang else [width * 0.25, width * 0.75]
    table = Table(rows, colWidths=widths, splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    frame_h = layout.page_size[1] - layout.margin_top - layout.margin_bottom
    return Keep([Spacer(1, 4), table, Spacer(1, 8)], origin, what, frame_h)


def _skill(ws: Worksheet, q: Question) -> str:
    return words(ws, f"skill.{q.skill}")


def compose_question(
    ws: Worksheet, q: Question, s: Styles, layout: Layout,
    lines: dict[str, list[str]] | None = None, numbered: bool = True,
) -> Keep:
    """A question with its scaffolds and answer area, kept together on one page."""
    frame_h = layout.page_size[1] - layout.margin_top - layout.margin_bottom
    what = f"question {q.number} ({q.id})" if numbered else f"question '{q.id}'"
    return Keep(question_parts(ws, q, s, layout, lines or {}, numbered), q.origin, what, frame_h)


def question_parts(
    ws: Worksheet, q: Question, s: Styles, layout: Layout, lines: dict[str, list[str]],
    numbered: bool = True,
) -> list[Flowable]:
    """The flowables of a question: prompt, choices, scaffolds, answer area."""
    number = f"<b>{q.number}.</b> " if numbered else ""
    parts: list[Flowable] = [
        Paragraph(f"{number}{runs_markup(q.prompt)} <i>({escape(_skill(ws, q))})</i>", s.text)
    ]
    indent = ParagraphStyle("q-indent", parent=s.text, leftIndent=14)
    key_style = s.key
    answer: list[Paragraph] = []
    label = None
    if q.kind == "choice":
        for i, choice in enumerate(q.choices):
            parts.append(para(f"{chr(65 + i)}. {choice}", indent))
        letter = str(q.answer)
        correct = q.choices[ord(letter) - 65] if q.choices else ""
        answer = [para(f"{letter}. {correct}", key_style)]
        label = f"{words(ws, 'answer')}:"
    elif q.kind == "true-false":
        parts.append(Paragraph(f"{escape(words(ws, 'circle'))}:   <b>{words(ws, 'true')}</b>"
                               f"      <b>{words(ws, 'false')}</b>", indent))
        verdict = words(ws, "true") if q.answer is True else words(ws, "false")
        answer = [para(verdict, key_style)] + [para(f"• {lf}", key_style) for lf in q.look_fors]
        label = f"{words(ws, 'evidence')}:"
    else:
        if q.look_fors:
            answer = [para(f"{words(ws, 'look_for')}:", key_style)]
            answer += [para(f"• {lf}", key_style) for lf in q.look_fors]
    for e in q.evidence:
        answer.append(para(f"{words(ws, 'evidence')}: {cite(ws, e, lines)}: \u201c{e.quote}\u201d",
                           key_style))
    if q.hint and ws.scaffold("hints"):
        parts.append(para(f"{words(ws, 'hint')}: {q.hint}", s.small))
    if q.starter and ws.scaffold("starters"):
        parts.append(para(f"{words(ws, 'starter')}: {q.starter}", s.small))
    n_lines = max(q.lines, 1)
    parts.append(AnswerArea(n_lines, layout.answer_line_spacing, answer, ws.key, label, s.small))
    parts.append(Spacer(1, 8))
    return parts


def compose_organizer(
    ws: Worksheet, o: Organizer, s: Styles, layout: Layout, lines: dict[str, list[str]]
) -> list[Flowable]:
    """The graphic organizer on its own page: empty cells for students, answers in the key."""
    lang = ws.variant.language

    def tr(text: str, translations: dict[str, str]) -> str:
        other = translations.get(lang) if lang else None
        return f"{text} / {other}" if other else text

    top = o.translations.get(lang, {}) if lang else {}

    def tr_top(field: str, text: str) -> str:
        return f"{text} / {top[field]}" if field in top else text

    width = layout.page_size[0] - layout.margin_left - layout.margin_right
    heading = f"{words(ws, 'organizer')}: {tr_top('title', o.title)}"
    out: list[Flowable] = [PageBreak(), Bookmark("organizer", o.title), para(heading, s.heading)]
    if o.instructions:
        out.append(para(tr_top("instructions", o.instructions), s.text))
        out.append(Spacer(1, 6))
    show_given = ws.scaffold("organizer_hints")
    corner = tr_top("corner", o.corner)
    header: list[Flowable] = [para(corner, s.cell_head)]
    header += [para(tr(c.heading, c.translations), s.cell_head) for c in o.columns]
    rows: list[list[Flowable]] = [header]
    for r in o.rows:
        row: list[Flowable] = [Paragraph(f"<b>{escape(tr(r.prompt, r.translations))}</b>", s.cell)]
        for c in o.columns:
            ans = r.answers.get(c.id)
            given = r.given.get(c.id) if show_given else None
            cites = [f"({cite(ws, e, lines)}: \u201c{e.quote}\u201d)" for e in r.evidence
                     if _column_for(o, e.doc) is c]
            row.append(Cell(
                r.lines * layout.cell_line_spacing,
                [para(t, s.cell_key) for t in ([ans] if ans else []) + cites],
                [para(given, s.small)] if given else [],
                ws.key,
            ))
        rows.append(row)
    first = width * 0.24
    rest = (width - first) / len(o.columns)
    widths = [first] + [rest] * len(o.columns)
    frame_h = layout.page_size[1] - layout.margin_top - layout.margin_bottom
    table = Table(rows, colWidths=widths, repeatRows=_repeat(header, widths, 12, frame_h),
                  splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("GRID", (0, 0), (-1, -1), 0.8, INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    out.append(table)
    out.append(Spacer(1, 12))
    return out


def _repeat(header: list[Flowable], widths: list[float], padding: float,
            frame_h: float) -> int:
    """1 to repeat a table's header row on each page; 0 when it is too tall to repeat.

    A repeated header row cannot split, so one taller than a page (long
    headings in narrow columns) would stop the build.
    """
    height = max(f.wrap(w - padding, frame_h)[1] for f, w in zip(header, widths, strict=True))
    return 1 if height + padding < frame_h / 3 else 0


def _column_for(o: Organizer, doc: str) -> OrganizerColumn:
    """The column where a row's evidence from `doc` is cited: the first that uses the document."""
    return next((c for c in o.columns if doc in c.documents), o.columns[0])


def compose_master(sheets: list[Worksheet], layout: Layout) -> list[Flowable]:
    """The one-page teacher master: every question number, its wording, and what each variant shows.

    A variant never rewords or renumbers a question, so the wording is printed
    once and each variant's column says whether it asks it and with which supports.
    """
    s = styles(layout)
    lesson = sheets[0].lesson
    width = layout.page_size[0] - layout.margin_left - layout.margin_right
    size = min(s.cell.fontSize - 1.5, 9.0)
    small = ParagraphStyle("master", parent=s.cell, fontSize=size, leading=size * 1.2)
    head = ParagraphStyle("master-head", parent=s.cell_head, fontSize=size, leading=size * 1.2)
    header: list[Flowable] = [para("No.", head), para("Question", head)]
    for ws in sheets:
        v = ws.variant
        extra = [v.reading_level + " texts"]
        if v.language:
            extra.append(f"glossary: {v.language}")
        header.append(Paragraph(f"{escape(v.title)}<br/><font size={size - 1}>"
                                f"{escape(', '.join(extra))}</font>", head))
    rows: list[list[Flowable]] = [header]
    questions = [*lesson.questions, *([lesson.claim] if lesson.claim else [])]
    for q in questions:
        docs = ", ".join(q.documents) if q is not lesson.claim else "all"
        prompt = f"{runs_markup(q.prompt)} <i>({escape(q.skill)}; Doc {escape(docs)})</i>"
        # the claim is unnumbered on the worksheets, so it is here too
        label = "Claim" if q is lesson.claim else str(q.number)
        row: list[Flowable] = [para(label, head), Paragraph(prompt, small)]
        for ws in sheets:
            asked = q is lesson.claim or any(
                x.id == q.id for sec in ws.sections for x in (*sec.before, *sec.after))
            supports = [name for name, on in (
                ("starter", q.starter and ws.scaffold("starters")),
                ("hint", q.hint and ws.scaffold("hints"))) if on]
            text = ("asked" + (" + " + " + ".join(supports) if supports else "")) if asked else "—"
            row.append(para(text, small))
        rows.append(row)
    first = 32.0  # wide enough for "Claim"
    rest = min(70.0, (width * 0.6 - first) / len(sheets))  # the prompts keep 40% of the width
    prompt_w = width - first - rest * len(sheets)
    widths = [first, prompt_w] + [rest] * len(sheets)
    frame_h = layout.page_size[1] - layout.margin_top - layout.margin_bottom
    table = Table(rows, colWidths=widths, repeatRows=_repeat(header, widths, 12, frame_h),
                  splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("GRID", (0, 0), (-1, -1), 0.5, INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [
        Bookmark("master", "Teacher master"),
        para(f"Teacher master: {lesson.title}", s.heading),
        para("Every question has the same number in every variant, so one class can work "
             "from different versions together.", s.small),
        Spacer(1, 4),
        table,
    ]
