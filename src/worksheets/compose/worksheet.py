"""One worksheet: header, word bank, each document with its questions, organizer, claim.

Pure and small: one function per kind of content. The student edition and the
key are composed from the same objects, and every answer area is as tall as
the key's answer needs, so both editions break pages in the same places.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    TableStyle,
)

from ..fonts import SANS
from ..ink import INK, RULE, SHADE
from ..load.layout import Layout
from ..markup import UNCOUNTED, Block, escape, plain, plain_text, section_label
from ..model import Question, VocabularyTerm
from ..select import Section, Worksheet
from ..tagging import Elem, TaggedTable, lang_span, tag
from .citations import cite
from .flowables import (
    AnswerArea,
    Bookmark,
    Choices,
    Keep,
    NeedRoom,
    NumberedParagraph,
    line_texts,
    room_with_next,
)
from .images import compose_picture
from .organizer import compose_organizer
from .strings import STRINGS, words, words_markup
from .styles import Styles, break_long_words, para, runs_markup, styles, tagged, text_markup, tpara

# --- compose -------------------------------------------------------------------------


def compose(ws: Worksheet, layout: Layout, root: Elem | None = None) -> list[Flowable]:
    """The whole worksheet as a list of flowables.

    Their structure elements (for the tagged PDF) are added under `root`, a
    Document, in reading order.
    """
    root = Elem("Document") if root is None else root
    s = styles(layout)
    bodies = {sec.document.id: numbered_body(sec.blocks, s, layout) for sec in ws.sections}
    lines = {doc: body[1] for doc, body in bodies.items()}
    story: list[Flowable] = [*compose_header(ws, s, layout, root)]
    if ws.word_bank:
        story.append(compose_word_bank(ws, s, layout, root))
    for section in ws.sections:
        story.extend(compose_section(ws, section, s, layout, bodies[section.document.id][0],
                                     lines, root.add("Sect")))
    if ws.organizer is not None:
        story.extend(compose_organizer(ws, ws.organizer, s, layout, lines, root.add("Sect")))
    if ws.claim is not None:
        sect = root.add("Sect")
        story.append(CondPageBreak(6 * layout.answer_line_spacing))
        heading = [Bookmark("claim", words(ws, "claim")),
                   tagged(Paragraph(words_markup(ws, "claim"), s.heading), sect, "H2")]
        story.extend(_headed(heading, [compose_question(ws, ws.claim, s, layout, lines,
                                                        numbered=False, parent=sect)]))
    return story


def compose_header(ws: Worksheet, s: Styles, layout: Layout, root: Elem) -> list[Flowable]:
    """Name / Class / Date lines, the title, the central question and the background."""
    width = layout.text_width
    labels = [words_markup(ws, k) for k in ("name", "class", "date")]
    cells = [[Paragraph(f"{lb}:", s.text) for lb in labels]]
    line = root.add("Div")  # a layout table: three labelled blanks, the rules artifacts
    t = TaggedTable(cells, colWidths=[width * 0.5, width * 0.25, width * 0.25], rowHeights=[22],
                    cells=[[line.add("P") for _ in labels]])
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, INK),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
    ]))
    lesson = ws.lesson
    out: list[Flowable] = [t, Spacer(1, 10), Bookmark("title", plain_text(lesson.title)),
                           tpara(lesson.title, s.title, root, "H1")]
    out.append(tagged(Paragraph(f"<b>{words_markup(ws, 'central')}:</b> "
                                f"{text_markup(lesson.central_question)}", s.subheading), root))
    background = root.add("Sect")
    out.append(tagged(Paragraph(words_markup(ws, "background"), s.subheading), background,
                      "H2"))
    # the background takes a document's markup (headings, quotes, sections), unnumbered
    paras = [compose_block(b, s) for b in lesson.background]
    for p in paras:
        p.numbered = False
    tag_body(paras, background)
    out += kept_with_text(paras, s, None)
    lang = ws.variant.language
    if lang:
        d = STRINGS["directions"]
        # two paragraphs set as one (no space between), so the second can be marked Spanish
        first = ParagraphStyle("directions", parent=s.text, spaceAfter=0)
        out.append(tagged(Paragraph(f"<b>{escape(d['en'])}</b>", first), root))
        out.append(tagged(Paragraph(f"<b>{escape(d[lang])}</b>", s.text), root, lang=lang))
    return out


def compose_word_bank(ws: Worksheet, s: Styles, layout: Layout, root: Elem) -> Flowable:
    """A boxed list of the vocabulary words the variant's texts use."""
    text = "   •   ".join(escape(w) for w in ws.word_bank)
    # splitInRow: a bank longer than a page splits instead of failing the build
    t = TaggedTable([[Paragraph(f"<b>{words_markup(ws, 'word_bank')}:</b> {text}", s.text)]],
                    splitInRow=1, cells=[[root.add("P")]])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                           ("BOX", (0, 0), (-1, -1), 0.8, INK),
                           ("TOPPADDING", (0, 0), (-1, -1), 5),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return t


def compose_section(
    ws: Worksheet, sec: Section, s: Styles, layout: Layout, body: list[NumberedParagraph],
    lines: dict[str, list[str]], sect: Elem | None = None,
) -> list[Flowable]:
    """One document: heading, sourcing questions, numbered text, caption, vocabulary, questions.

    Tagged as a Sect under `sect`'s parent: H2, the dateline and paragraphs (P), the
    questions, the caption, the vocabulary table.
    """
    sect = Elem("Sect") if sect is None else sect
    d = sec.document
    title = f"{text_markup(d.label)}: {text_markup(d.title)}"
    mod = f" ({words_markup(ws, sec.note)})" if sec.note else ""
    head: list[Flowable] = [Bookmark(f"doc-{d.id}", plain_text(f"{d.label}: {d.title}")),
                            tagged(Paragraph(f"{title}{mod}", s.heading), sect,
                                   "H2")]
    if d.dateline:
        head.append(tpara(d.dateline, s.dateline, sect))
    out: list[Flowable] = [CondPageBreak(layout.page_size[1] * 0.25)]
    if sec.before:
        before = sect.add("Div")
        heading = tagged(Paragraph(words_markup(ws, "before"), s.subheading), before, "H3")
        # the document's heading is kept with the first question (which flows on only
        # when moving it would leave much of the page blank): it never ends a page
        out += [*_headed([*head, heading], [compose_question(ws, q, s, layout, lines,
                                                             parent=before)
                                            for q in sec.before]), Spacer(1, 6)]
    caption = Paragraph(runs_markup(d.source), s.caption)  # tagged after the text
    picture = compose_picture(d.image, s, layout, sect, body[0] if body else caption) \
        if d.image is not None else []
    if not sec.before:  # the heading needs room for the text's first lines, not all of it
        run, nxt = _short_run(body, 0, s, caption)
        lead = [*run, nxt]
        if picture:  # or for the picture, which its size lets fit with it
            lead = picture[:2]
        out += [room_with_next([*head, *lead[:-1]], lead[-1]), KeepTogether(head)]
    out += picture
    tag_body(body, sect.add("Div"))  # the document's own words (an image's transcript)
    tagged(caption, sect)
    # the first paragraph is kept with the heading above, unless questions came between
    out += kept_with_text(body, s, caption, first=bool(sec.before))
    out.append(caption)
    if sec.vocabulary:
        out.extend(compose_vocabulary_box(ws, sec.vocabulary, s, layout, sect, d.label))
    if sec.after:
        after = sect.add("Div")
        heading = tagged(Paragraph(words_markup(ws, "after"), s.subheading), after, "H3")
        out.extend(_headed([heading], [compose_question(ws, q, s, layout, lines, parent=after)
                                     for q in sec.after]))
    return out


def kept_with_text(paras: list[NumberedParagraph], s: Styles, after: Flowable | None,
                   first: bool = True) -> list[Flowable]:
    """The paragraphs, each short one (a heading, a salutation, header lines) after a break
    unless there is room for it, the short ones after it and the first lines of the text
    that follows (which may split); `after` follows the last paragraph. `first`: the
    first paragraph too (else the caller keeps it with what stands above)."""
    out: list[Flowable] = []
    for i, p in enumerate(paras):
        if (i or first) and _short(paras[i], s):
            out.append(room_with_next(*_short_run(paras, i, s, after)))
        out.append(p)
    return out


def _short(p: NumberedParagraph, s: Styles) -> bool:
    """A heading inside a text, a salutation or header lines: never left alone at a foot."""
    return p.style in (s.salutation, s.header, s.inner_heading)


def _short_run(paras: list[NumberedParagraph], i: int, s: Styles,
               after: Flowable | None) -> tuple[list[Flowable], Flowable | None]:
    """The short paragraphs from paras[i] on (two headings in a row, a salutation after
    header lines), and what they must not be parted from: the paragraph after them, or
    `after` at the end."""
    j = i
    while j < len(paras) and _short(paras[j], s):
        j += 1
    return list(paras[i:j]), paras[j] if j < len(paras) else after


def _headed(heading: list[Flowable], questions: list[Keep]) -> list[Flowable]:
    """Questions, each kept whole, the heading kept on the page of the first.

    KeepTogether must not nest: an inner one reports an endless height.
    """
    first, *rest = questions
    return [Keep([*heading, *first._content], first.origin, first.what, first.page_height,
                 first.flow_above), *rest]


def tag_body(body: list[NumberedParagraph], div: Elem) -> list[NumberedParagraph]:
    """A document's paragraphs tagged under `div`: a heading inside the document an H3,
    a block quotation a BlockQuote (one for consecutive quoted paragraphs, each a P),
    every other paragraph (header lines, sections, a letter's parts) a P."""
    quote: Elem | None = None
    for p in body:
        if p.role == "quote":
            quote = quote or div.add("BlockQuote")
            tag(p, quote.add("P"))
            continue
        quote = None
        tag(p, div.add("H3" if p.role == "heading" else "P"))
    return body


def compose_block(b: Block, s: Styles) -> NumberedParagraph:
    """A paragraph of a document body in its role's style."""
    style = {"closing": s.closing, "signature": s.closing, "salutation": s.salutation,
             "heading": s.inner_heading, "header": s.header, "quote": s.quote}.get(
        b.role, s.body)
    label = section_label(plain(b.runs)) if b.role == "section" else None
    if label:  # a hanging indent: the number stands out, the text aligns after it
        indent = min(stringWidth(label + " ", s.body.fontName, s.body.fontSize),
                     s.body.fontSize * 6)
        style = ParagraphStyle("section", parent=s.body, leftIndent=indent,
                               firstLineIndent=-indent)
    p = NumberedParagraph(runs_markup(b.runs), style)
    p.role = b.role
    p.numbered = b.role not in UNCOUNTED
    return p


def numbered_body(
    blocks: tuple[Block, ...], s: Styles, layout: Layout
) -> tuple[list[NumberedParagraph], list[str]]:
    """A document's paragraphs with their line numbers set, and the text of each counted
    line (header lines are printed, but neither numbered nor counted)."""
    width = layout.text_width
    paras: list[NumberedParagraph] = []
    lines: list[str] = []
    for b in blocks:
        p = compose_block(b, s)
        p.first_line = len(lines) + 1
        p.number_size = layout.line_number_size
        if p.numbered:
            lines.extend(line_texts(p, width))  # the frame wraps at the same width
        paras.append(p)
    return paras, lines


def compose_vocabulary_box(
    ws: Worksheet, terms: tuple[VocabularyTerm, ...], s: Styles, layout: Layout,
    parent: Elem | None = None, label: str | None = None,
) -> list[Flowable]:
    """A boxed table of terms and definitions (and translations in a bilingual variant).

    Its header says whose box it is ("Vocabulary: Document A"). The box splits across
    pages between rows, its header row repeated (a Pagination artifact), and it never
    starts a page's last lines: a break comes first unless the header and two rows fit.
    A row splits only when it is taller than a page.

    Tagged as a Table: its title row a header spanning the columns, each term the
    header of its row, a translation marked in its language.
    """
    lang = ws.variant.language
    width = layout.text_width
    title = words_markup(ws, "vocabulary") + (f": {escape(label)}" if label else "")
    widths = [width * 0.22, width * 0.53, width * 0.25] if lang else [width * 0.25, width * 0.75]
    # a column whose longest word does not fit hyphenates (never a break without a hyphen)
    room = [w - 12 for w in widths]  # a word wider than its column breaks with a hyphen
    rows: list[list[Flowable]] = [[Paragraph(f"<b>{title}</b>", s.cell)]]
    for t in terms:
        row = [Paragraph(break_long_words(f"<b>{escape(t.term)}</b>", s.cell, room[0]), s.cell),
               Paragraph(break_long_words(text_markup(t.definition), s.cell, room[1]), s.cell)]
        if lang:
            tr = text_markup(t.translations.get(lang, ""))
            row.append(Paragraph(break_long_words(f"<i>{tr}</i>", s.cell, room[2], lang),
                                 s.cell))
        rows.append(row)
    ncol = 3 if lang else 2
    rows[0].extend([Spacer(0, 0)] * (ncol - 1))
    elem = (Elem("Sect") if parent is None else parent).add("Table")
    frame_h = layout.frame_height
    # rows are kept whole unless one is taller than a page (it would stop the build)
    tallest = max(max(f.wrap(w - 12, frame_h)[1] for f, w in zip(r, widths, strict=False))
                  for r in rows[1:]) if len(rows) > 1 else 0.0
    table = TaggedTable(rows, colWidths=widths, repeatRows=1,
                        splitInRow=1 if tallest + 12 > frame_h * 0.8 else 0,
                        elem=elem, header_rows=1, header_cols=1, colspans={(0, 0): ncol},
                        langs={2: lang} if lang else None)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))

    def head_and_two_rows(avail_width: float, canv: object) -> float:
        table.wrapOn(canv, avail_width, frame_h)
        return 4 + float(sum(table._rowHeights[:3])) + 1.0

    return [NeedRoom(head_and_two_rows), Spacer(1, 4), table, Spacer(1, 8)]


def _skill(ws: Worksheet, q: Question) -> str:
    return words_markup(ws, f"skill.{q.skill}")


def compose_question(
    ws: Worksheet, q: Question, s: Styles, layout: Layout,
    lines: dict[str, list[str]] | None = None, numbered: bool = True,
    parent: Elem | None = None,
) -> Keep:
    """A question with its scaffolds and answer area, kept together on one page."""
    frame_h = layout.frame_height
    what = f"question {q.number} ({q.id})" if numbered else f"question '{q.id}'"
    # kept whole, unless that would leave more than 45% of a page blank (large print)
    return Keep(question_parts(ws, q, s, layout, lines or {}, numbered, parent), q.origin, what,
                frame_h, flow_above=frame_h * 0.45)


def question_parts(
    ws: Worksheet, q: Question, s: Styles, layout: Layout, lines: dict[str, list[str]],
    numbered: bool = True, parent: Elem | None = None,
) -> list[Flowable]:
    """The flowables of a question: prompt, choices, scaffolds, answer area.

    Tagged as a labelled paragraph (its number first), its choices a list, its
    answer area one element: in the student edition a figure with a short text
    alternative ("answer space, 4 lines"), in the key the answer's paragraphs.
    """
    box = (Elem("Sect") if parent is None else parent).add("Div")
    number = f"<b>{q.number}.</b> " if numbered else ""
    parts: list[Flowable] = [tagged(
        Paragraph(f"{number}{runs_markup(q.prompt)} <i>({_skill(ws, q)})</i>", s.text),
        box)]
    indent = ParagraphStyle("q-indent", parent=s.text, leftIndent=14)
    key_style = s.key
    answer: list[Paragraph] = []
    label = None
    if q.kind == "choice":
        choices = box.add("L")
        for i, choice in enumerate(q.choices):
            parts.append(tpara(f"{chr(65 + i)}. {choice}", indent, choices.add("LI"), "LBody"))
        letter = str(q.answer)
        correct = q.choices[ord(letter) - 65] if q.choices else ""
        answer = [para(f"{letter}. {correct}", key_style)]
        label = f"{words_markup(ws, 'answer')}:"
    elif q.kind == "true-false":
        parts.append(true_false(ws, s, q.answer is True, box))
        # the key rings the answer in place; its text says it too (for a screen reader)
        verdict = words_markup(ws, "true") if q.answer is True else words_markup(ws, "false")
        answer = [Paragraph(f"{words_markup(ws, 'answer')}: {verdict}", key_style)]
        answer += [para(f"• {lf}", key_style) for lf in q.look_fors]
        label = f"{words_markup(ws, 'evidence')}:"
    else:
        if q.look_fors:
            answer = [Paragraph(f"{words_markup(ws, 'look_for')}:", key_style)]
            answer += [para(f"• {lf}", key_style) for lf in q.look_fors]
    for e in q.evidence:
        answer.append(Paragraph(f"{words_markup(ws, 'evidence')}: "
                                f"{escape(cite(ws, e, lines))}: \u201c{escape(e.quote)}\u201d",
                                key_style))
    if q.hint and ws.scaffold("hints"):
        parts.append(tagged(Paragraph(f"{words_markup(ws, 'hint')}: {text_markup(q.hint)}",
                                      s.small), box))
    if q.starter and ws.scaffold("starters"):
        parts.append(tagged(Paragraph(f"{words_markup(ws, 'starter')}: {text_markup(q.starter)}",
                                      s.small), box))
    n_lines = max(q.lines, 1)
    label_elem = box.add("P") if label else None
    if ws.key:
        area = box.add("Div")
        for p in answer:
            tag(p, area.add("P"))
    else:
        area = box.add("AnswerArea", alt=f"answer space, {n_lines} "
                       f"line{'s' if n_lines != 1 else ''}")
    parts.append(AnswerArea(n_lines, layout.answer_line_spacing, answer, ws.key, label, s.small,
                            area, label_elem))
    parts.append(Spacer(1, 8))
    return parts


def true_false(ws: Worksheet, s: Styles, answer: bool, parent: Elem) -> Choices:
    """"Circle one:   TRUE      FALSE", the options three ems apart; a bilingual option
    is its English over its Spanish. The key rings the answer (tagged as one paragraph
    under `parent`, the ring an artifact)."""
    style = ParagraphStyle("tf", parent=s.text, alignment=TA_LEFT)
    lang = ws.variant.language

    def option(key: str) -> Paragraph:
        st = STRINGS[key]
        other = st.get(lang) if lang else None
        if other and other != st["en"]:
            return Paragraph(f"<b>{escape(st['en'])}<br/>{lang_span(escape(other), lang or '')}"
                             "</b>", ParagraphStyle("tf-both", parent=style,
                                                    alignment=TA_CENTER))
        return Paragraph(f"<b>{escape(st['en'])}</b>", style)

    label = Paragraph(f"{words_markup(ws, 'circle')}:", style)
    return Choices(label, [option("true"), option("false")], gap=3 * s.text.fontSize,
                   ring=(0 if answer else 1) if ws.key else None, elem=parent.add("P"),
                   indent=14)


def compose_credit(attribution: str, layout: Layout, root: Elem) -> Flowable:
    """The attribution as the worksheet's last paragraph (large print, where the
    footer has no room for it at a size a student can read)."""
    s = styles(layout)
    style = ParagraphStyle("credit", parent=s.small, spaceBefore=12)
    return tpara(attribution, style, root)
