"""DOCX: the worksheet as an editable Word document, with real styles and tables.

The content and its order are the PDF's (`compose.py`); the page is Word's.
Headings use Word's Title and Heading 1-2 styles, lists its List styles, the
source line its Caption style, so the navigation pane and a screen reader see
the structure. python-docx does most of it; the few properties it lacks
(document language, repeated header rows, paragraph rules, page fields, font
fallbacks) are set on its XML elements.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from ..compose.citations import cite
from ..compose.strings import STRINGS, words
from ..markup import Block, Run, parse_inline, plain_text
from ..model import Organizer, Picture, Question, VocabularyTerm
from ..select import Section, Worksheet
from ._zip import iso_date, zip_bytes
from .assessment import answer_label, answer_lines, heading, skill

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

SERIF, SANS = "Noto Serif", "Noto Sans"
# Where Noto is not installed, Word substitutes by these (w:family, w:altName).
FALLBACKS = {SERIF: ("roman", "Georgia"), SANS: ("swiss", "Arial")}
LANG = {"en": "en-US", "es": "es-ES"}
LOCAL: dict[str, dict[str, str]] = {  # column headings the PDF's boxes do without
    "definition": {"en": "Definition", "es": "Definición"},
    "translation": {"en": "Spanish", "es": "Español"},
}
# Custom styles: (name, style id); built-in ones are used by id (looking a name up is slow).
ANSWER_STYLE, KEY_STYLE, TEXT_STYLE = "AnswerLine", "KeyAnswer", "DocumentText"
CLOSING_STYLE, SMALL_STYLE = "Closing", "Scaffold"
NAMES = {ANSWER_STYLE: "Answer Line", KEY_STYLE: "Key Answer", TEXT_STYLE: "Document Text",
         CLOSING_STYLE: "Closing", SMALL_STYLE: "Scaffold"}


def docx_bytes(ws: Worksheet) -> bytes:
    """The worksheet as a DOCX file, byte for byte the same from the same inputs."""
    import docx

    doc = docx.Document()
    _setup(doc, ws)
    _header(doc, ws)
    if ws.word_bank:
        p = doc.add_paragraph()
        p.add_run(f"{words(ws, 'word_bank')}:").bold = True
        p.add_run(" " + "   •   ".join(ws.word_bank))
    for sec in ws.sections:
        _section(doc, ws, sec)
    if ws.organizer is not None:
        _organizer(doc, ws, ws.organizer)
    if ws.claim is not None:
        _p(doc, "Heading1", words(ws, "claim"))
        _question(doc, ws, ws.claim, numbered=False)
    buf = io.BytesIO()
    doc.save(buf)
    return _deterministic(buf.getvalue())


# --- document set-up --------------------------------------------------------------


def _setup(doc: DocxDocument, ws: Worksheet) -> None:
    """Page, metadata, language, fonts and the styles the worksheet uses."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches, Pt, RGBColor

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Inches(0.75))
    lesson = ws.lesson
    props = doc.core_properties
    props.title = plain_text(lesson.title) + (" (Teacher Key)" if ws.key else "")
    props.author = props.last_modified_by = lesson.author
    props.subject = plain_text(lesson.central_question)
    props.keywords = ", ".join((lesson.id, ws.variant.id, ws.edition))
    props.language = LANG["en"]
    props.comments = props.category = ""
    props.revision = 1
    when = dt.datetime.strptime(iso_date(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    props.created = props.modified = props.last_printed = when
    _language(doc, LANG["en"])
    _font_table(doc)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = SANS, Pt(11)
    _east_asia(normal, SANS)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12)):
        st = styles[name]
        st.font.name, st.font.size, st.font.bold = SANS, Pt(size), True
        st.font.color.rgb = RGBColor(0, 0, 0)  # grayscale, as the PDF
        _east_asia(st, SANS)
    for name in ("Caption", "List", "List Bullet"):
        st = styles[name]
        st.font.name, st.font.color.rgb = SANS, RGBColor(0, 0, 0)
    styles["Caption"].font.size, styles["Caption"].font.italic = Pt(9), False
    styles["Caption"].font.bold = False

    def para_style(style_id: str, base: str, **font: Any) -> Any:
        st = styles.add_style(NAMES[style_id], WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles[NAMES.get(base, base)]
        for k, v in font.items():
            setattr(st.font, k, v)
        return st

    text = para_style(TEXT_STYLE, "Normal", name=SERIF, size=Pt(11))
    text.paragraph_format.space_after = Pt(6)
    closing = para_style(CLOSING_STYLE, TEXT_STYLE)
    closing.paragraph_format.left_indent = Inches(3.1)
    closing.paragraph_format.space_after = Pt(2)
    para_style(SMALL_STYLE, "Normal", italic=True, size=Pt(10))
    para_style(KEY_STYLE, "Normal", name=SERIF, italic=True)
    line = para_style(ANSWER_STYLE, "Normal")
    line.paragraph_format.space_before = Pt(0)
    line.paragraph_format.space_after = Pt(0)
    line.paragraph_format.line_spacing = Pt(24)
    _rules(line)


def _language(doc: DocxDocument, lang: str) -> None:
    """The document's language, in its default run properties (python-docx has no setter)."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), "ar-SA")


def _east_asia(style: Any, face: str) -> None:
    """Name the face for every script, so no run falls back to the template's Asian font."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)


def _font_table(doc: DocxDocument) -> None:
    """Declare the Noto faces with a family and a substitute for machines without them."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement, parse_xml
    from docx.oxml.xmlchemy import serialize_for_reading

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for face, (family, alt) in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), face)
        for tag, val in (("w:altName", alt), ("w:charset", "00"), ("w:family", family),
                         ("w:pitch", "variable")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            font.append(el)
        root.append(font)
    part._blob = _XML_DECL + serialize_for_reading(root).encode("utf-8")


_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rules(style: Any) -> None:
    """A rule under each paragraph of the style, and between two of them: lines to write on."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    ppr = style.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for side in ("w:bottom", "w:between"):
        el = OxmlElement(side)
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"),
                     ("w:color", "737373")):
            el.set(qn(k), v)
        bdr.append(el)
    ppr.append(bdr)


def _field(p: Paragraph, instr: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) with the text shown before Word updates it."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = shown
    run.append(t)
    fld.append(run)
    p._p.append(fld)


def _local(ws: Worksheet, key: str) -> str:
    s = LOCAL[key]
    lang = ws.variant.language
    return f"{s['en']} / {s[lang]}" if lang and lang in s else s["en"]


def _header(doc: DocxDocument, ws: Worksheet) -> None:
    """Running header and footer, Name / Class / Date, title, central question, background."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    sec = doc.sections[0]
    if ws.key:
        hp = sec.header.paragraphs[0]
        hp.text = "Teacher Key"
        hp.runs[0].bold = True
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lesson = ws.lesson
    fp = sec.footer.paragraphs[0]
    fp.add_run(f"{plain_text(lesson.title)}    Page ")
    _field(fp, "PAGE", "1")
    fp.add_run(" of ")
    _field(fp, "NUMPAGES", "1")
    for r in fp.runs:
        r.font.size = Pt(8)
    attribution = _text(sec.footer.add_paragraph(), lesson.attribution)
    for r in attribution.runs:
        r.font.size = Pt(7)

    labels = [f"{words(ws, k)}:" for k in ("name", "class", "date")]
    doc.add_paragraph(f"{labels[0]} {'_' * 30}   {labels[1]} {'_' * 14}   "
                      f"{labels[2]} {'_' * 14}")
    _text(_p(doc, "Title"), lesson.title)
    p = doc.add_paragraph()
    p.add_run(f"{words(ws, 'central')}:").bold = True
    _text(p, f" {lesson.central_question}")
    _p(doc, "Heading1", words(ws, "background"))
    for b in lesson.background:  # its headings and quotations as in a document's text
        _block(doc, b)
    lang = ws.variant.language
    if lang:
        d = STRINGS["directions"]
        for text in (d["en"], d[lang]):
            doc.add_paragraph().add_run(text).bold = True


# --- content ---------------------------------------------------------------------


def _p(doc: DocxDocument, style_id: str | None = None, text: str = "") -> Paragraph:
    """A new paragraph in a style given by id (python-docx's lookup by name scans every style)."""
    p = doc.add_paragraph(text)
    if style_id:
        p._p.style = style_id
    return p


def _runs(p: Paragraph, runs: tuple[Run, ...]) -> Paragraph:
    """Styled runs into a paragraph; a "\\n" run is a line break."""
    for r in runs:
        if r.text == "\n":
            p.add_run().add_break()
            continue
        run = p.add_run(r.text)
        run.bold = r.bold or None
        run.italic = r.italic or None
    return p


def _text(p: Paragraph, text: str, bold: bool = False, italic: bool = False) -> Paragraph:
    """One author text field into a paragraph: its inline markup as bold and italic runs,
    over the paragraph's own `bold` and `italic`."""
    for r in parse_inline(text)[0]:
        run = p.add_run(r.text)
        run.bold = (bold or r.bold) or None
        run.italic = (italic or r.italic) or None
    return p


def _section(doc: DocxDocument, ws: Worksheet, sec: Section) -> None:
    """One document: heading, dateline, questions before, text, caption, vocabulary, after."""
    d = sec.document
    _text(_p(doc, "Heading1"), heading(ws, sec))
    if d.dateline:
        _text(_p(doc, TEXT_STYLE), d.dateline, italic=True)
    if sec.before:
        _p(doc, "Heading2", words(ws, "before"))
        for q in sec.before:
            _question(doc, ws, q)
    if d.image is not None:
        _picture(doc, d.image)
    for b in sec.blocks:
        _block(doc, b)
    _runs(_p(doc, "Caption"), d.source)
    if sec.vocabulary:
        _vocabulary(doc, ws, sec.vocabulary, d.label)
    if sec.after:
        _p(doc, "Heading2", words(ws, "after"))
        for q in sec.after:
            _question(doc, ws, q)


def _picture(doc: DocxDocument, pic: Picture) -> None:
    """An image document's picture (grayscale, as printed), centred, as wide as the text
    (at most 6.5 in tall), its alt text as the description Word reads aloud; its credit."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches

    w, h = 7.0, 7.0 * pic.height / pic.width
    if h > 6.5:
        w, h = w * 6.5 / h, 6.5
    shape = doc.add_picture(io.BytesIO(pic.png), width=Inches(w), height=Inches(h))
    shape._inline.docPr.set("descr", pic.alt)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if pic.credit:
        _runs(_p(doc, "Caption"), pic.credit).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _block(doc: DocxDocument, b: Block) -> None:
    from docx.shared import Inches, Pt

    style = CLOSING_STYLE if b.role in ("closing", "signature") else TEXT_STYLE
    p = _runs(_p(doc, "Heading3" if b.role == "heading" else style), b.runs)
    if b.role in ("salutation", "heading"):
        p.paragraph_format.keep_with_next = True
    if b.role == "quote":
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Inches(0.5)
    if b.role == "header":
        for r in p.runs:
            r.font.size = Pt(9.5)


def _vocabulary(doc: DocxDocument, ws: Worksheet, terms: tuple[VocabularyTerm, ...],
                label: str = "") -> None:
    """The vocabulary box as a table whose header row names its columns, the first
    saying whose box it is ("Vocabulary: Document A"), as in the PDF."""
    lang = ws.variant.language
    heads = [words(ws, "vocabulary") + (f": {label}" if label else ""),
             _local(ws, "definition")]
    if lang:
        heads.append(_local(ws, "translation"))
    table = _table(doc, heads)
    for t in terms:
        row = table.add_row()  # type: ignore[no-untyped-call]
        _keep_row(row)
        cells = row.cells
        cells[0].paragraphs[0].add_run(t.term).bold = True
        _text(cells[1].paragraphs[0], t.definition)
        if lang:
            _text(cells[2].paragraphs[0], t.translations.get(lang, ""), italic=True)
    doc.add_paragraph()


def _table(doc: DocxDocument, heads: list[str]) -> Table:
    """A grid table with a bold header row that repeats on every page."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    table = doc.add_table(rows=1, cols=len(heads))
    table.style = doc.styles["Table Grid"]
    row = table.rows[0]
    for cell, text in zip(row.cells, heads, strict=True):
        _text(cell.paragraphs[0], text, bold=True)
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)
    return table  # type: ignore[no-any-return]


def _keep_row(row: Any) -> None:
    """A row that moves whole to the next page rather than splitting (unless taller than one)."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _question(doc: DocxDocument, ws: Worksheet, q: Question, numbered: bool = True) -> None:
    """Prompt, choices, scaffolds, and the answer area (the key's answer in the key)."""
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    if numbered:
        p.add_run(f"{q.number}. ").bold = True
    _runs(p, q.prompt)
    p.add_run(f" ({skill(ws, q)})").italic = True
    if q.kind == "choice":
        for i, choice in enumerate(q.choices):
            _text(_p(doc, "List"), f"{chr(65 + i)}. {choice}").paragraph_format \
                .keep_with_next = True
    elif q.kind == "true-false":
        c = _p(doc, "List", f"{words(ws, 'circle')}:   ")
        c.add_run(words(ws, "true")).bold = True
        c.add_run("      ")
        c.add_run(words(ws, "false")).bold = True
    if q.hint and ws.scaffold("hints"):
        _text(_p(doc, SMALL_STYLE, f"{words(ws, 'hint')}: "), q.hint)
    if q.starter and ws.scaffold("starters"):
        _text(_p(doc, SMALL_STYLE, f"{words(ws, 'starter')}: "), q.starter)
    label = answer_label(ws, q)
    if label:
        _p(doc, SMALL_STYLE, label).paragraph_format.keep_with_next = True
    if ws.key:
        lines = answer_lines(ws, q)
        if q.kind == "true-false" and lines:  # as the PDF key says it: "Answer: FALSE"
            lines = [f"{words(ws, 'answer')}: {lines[0]}", *lines[1:]]
        for line in lines:
            if line.startswith("• "):
                _text(_p(doc, "ListBullet"), line[2:], italic=True)
            else:
                _text(_p(doc, KEY_STYLE), line)
    else:
        for _ in range(max(q.lines, 1)):
            _p(doc, ANSWER_STYLE)
    doc.add_paragraph()


def _organizer(doc: DocxDocument, ws: Worksheet, o: Organizer) -> None:
    """The comparison chart as a table: header row, a row per prompt, answers in the key."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    lang = ws.variant.language
    top = o.translations.get(lang, {}) if lang else {}

    def tr(text: str, translations: dict[str, str]) -> str:
        other = translations.get(lang) if lang else None
        return f"{text} / {other}" if other else text

    def tr_top(field: str, text: str) -> str:
        return f"{text} / {top[field]}" if field in top else text

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _text(_p(doc, "Heading1"), f"{words(ws, 'organizer')}: {tr_top('title', o.title)}")
    if o.instructions:
        _text(doc.add_paragraph(), tr_top("instructions", o.instructions))
    table = _table(doc, [tr_top("corner", o.corner),
                         *(tr(c.heading, c.translations) for c in o.columns)])
    show_given = ws.scaffold("organizer_hints")
    for r in o.rows:
        row = table.add_row()  # type: ignore[no-untyped-call]
        _keep_row(row)
        row.height, row.height_rule = Pt(r.lines * 18), WD_ROW_HEIGHT_RULE.AT_LEAST
        _text(row.cells[0].paragraphs[0], tr(r.prompt, r.translations), bold=True)
        for cell, c in zip(row.cells[1:], o.columns, strict=True):
            first = cell.paragraphs[0]
            if ws.key:
                texts = [r.answers[c.id]] if c.id in r.answers else []
                for i, text in enumerate(texts):
                    _text(first if i == 0 else cell.add_paragraph(), text, italic=True)
                for j, e in enumerate(e for e in r.evidence if _column_for(o, e.doc) == c.id):
                    p = first if not texts and j == 0 else cell.add_paragraph()
                    p.add_run(f"({cite(ws, e, {})}: \u201c{e.quote}\u201d)").italic = True
            elif show_given and c.id in r.given:
                _text(first, r.given[c.id], italic=True)
    doc.add_paragraph()


def _column_for(o: Organizer, doc_id: str) -> str:
    """The column where a row's evidence from a document is cited (as in the PDF)."""
    return next((c.id for c in o.columns if doc_id in c.documents), o.columns[0].id)


def _deterministic(data: bytes) -> bytes:
    """python-docx stamps zip entries with the clock: the same entries, fixed stamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zip_bytes((i.filename, zf.read(i)) for i in zf.infolist())
