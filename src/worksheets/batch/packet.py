"""Class packets: a cover, every student's worksheet with their name on it, the keys.

Worksheets are not rendered per student. Each (variant, layout) worksheet and
each key is rendered once per batch into one shared "base" PDF (`render_base`),
so every packet reuses the same page content streams and font subsets. Per
class, one small PDF holds the cover, and the drawing of each student's stamp (their
name at the top right, in the header position of `render.PageDecor.stamp`) made
with the cover's fonts (`render.StampCodes`).
`assemble` then builds the packet with pypdf at the object level: each
student page is a new page object whose /Contents is [a tiny "draw the stamp"
stream, the shared base stream] and whose stamp is a Form XObject drawing
that student's stamp, so fonts are written once per packet.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..compose.styles import text_markup
from ..finish import PacketWriter
from ..fonts import SANS, register_fonts
from ..load.layout import Layout
from ..markup import escape, plain_text
from ..model import Lesson
from ..pipeline import worksheet_part
from ..render import Meta, PageDecor, Part, StampCodes, render_parts
from ..tagging import Elem, StructTemplate, TaggedTable, tag
from .plan import PacketPlan, Seat
from .roster import ClassSection

BaseKey = tuple[str, str, str]  # (edition, variant, layout name)


@dataclass(frozen=True)
class Base:
    """The shared render of a lesson: its PDF and each part's page range."""

    lesson_id: str
    pdf: bytes
    ranges: dict[BaseKey, range]
    # each part's structure elements, copied for each student's copy of its pages
    structure: dict[BaseKey, StructTemplate | None]


def base_parts(plans: Sequence[PacketPlan]) -> list[BaseKey]:
    """Every worksheet and key these packets use, in a stable order."""
    keys: set[BaseKey] = set()
    for p in plans:
        keys.update(("student", s.variant, s.layout.name) for s in p.seats)
        keys.update(("key", v, p.key_layout.name) for v in p.key_variants())
    return sorted(keys)


def render_base(lesson: Lesson, keys: Sequence[BaseKey], layouts: dict[str, Layout]) -> Base:
    """Render every needed worksheet and key of a lesson into one PDF."""
    parts = [worksheet_part(lesson, variant, layouts[layout_name],
                            "key" if edition == "key" else "student")
             for edition, variant, layout_name in keys]
    meta = Meta(title=plain_text(lesson.title), author=lesson.author,
                subject=plain_text(lesson.central_question),
                lang=lesson.lang)
    structure: list[StructTemplate | None] = []
    pdf, ranges = render_parts(parts, meta, structure)
    return Base(lesson.id, pdf, dict(zip(keys, ranges, strict=True)),
                dict(zip(keys, structure, strict=True)))


# --- the cover and the stamps ------------------------------------------------------------


def stamp_text(seat: Seat, cls: ClassSection) -> str:
    """What is printed at the top right of every page of a student's worksheet."""
    period = f", period {cls.period}" if cls.period else ""
    return f"{seat.student.name} · {cls.name}{period}"


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()

    def st(name: str, size: float, bold: bool = False, **kw: float) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=SANS + ("-Bold" if bold else ""), fontSize=size,
                              leading=size * 1.3, textColor=colors.black, **kw)

    return {"title": st("title", 20, True, spaceAfter=2), "sub": st("sub", 13, spaceAfter=10),
            "head": st("head", 12, True, spaceBefore=10, spaceAfter=4), "text": st("text", 10),
            "cell": st("cell", 9), "cellb": st("cellb", 9, True)}


def _table(rows: list[list[str]], widths: list[float], s: dict[str, ParagraphStyle],
           parent: Elem, header: bool = True, row_heads: int = 0) -> Table:
    # Plain strings lay out much faster than paragraphs; only text too wide for its
    # column becomes a (wrapping) paragraph.
    cells = [[c if stringWidth(c, SANS + "-Bold", 9) < w - 12 else
              Paragraph(escape(c), s["cellb"] if header and i == 0 else s["cell"])
              for c, w in zip(row, widths, strict=True)] for i, row in enumerate(rows)]
    t = TaggedTable(cells, colWidths=widths, repeatRows=1 if header else 0,
                    elem=parent.add("Table"), header_rows=1 if header else 0,
                    header_cols=row_heads)
    style = [("FONTNAME", (0, 0), (-1, -1), SANS), ("FONTSIZE", (0, 0), (-1, -1), 9),
             ("LEADING", (0, 0), (-1, -1), 11.7), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.Color(0.6, 0.6, 0.6)),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black))
        style.append(("FONTNAME", (0, 0), (-1, 0), SANS + "-Bold"))
    t.setStyle(TableStyle(style))
    return t


def compose_cover(plan: PacketPlan, lesson: Lesson, first_pages: list[int],
                  key_pages: range, total: int, width: float,
                  root: Elem | None = None) -> list[Flowable]:
    """The cover: who and what the packet is for, counts, print instructions, the roster.

    Tagged under `root`: H1, headings (H2), paragraphs, tables with header cells.
    """
    root = Elem("Document") if root is None else root
    s = _styles()
    cls = plan.cls
    school = cls.school or plan.school

    def p(text: str, style: str, role: str = "P") -> Flowable:
        return tag(Paragraph(text, s[style]), root.add(role))

    out: list[Flowable] = [p("Class packet", "title", "H1"), p(text_markup(lesson.title), "sub")]
    facts = [("School", school), ("Teacher", cls.teacher),
             ("Class", cls.name + (f" ({cls.code})" if cls.code and cls.code != cls.name else "")),
             ("Period", cls.period), ("Date", plan.date)]
    out.append(_table([[k, v or "—"] for k, v in facts], [width * 0.2, width * 0.8], s, root,
                      header=False, row_heads=1))
    out.append(p("Versions in this packet", "head", "H2"))
    layouts = list(plan.layouts)
    rows = [["Variant \\ layout", *layouts, "Students"]]
    for v in plan.variants:
        per = Counter(x.layout.name for x in plan.seats if x.variant == v)
        counts = [str(per[lay]) if per[lay] else "" for lay in layouts]
        rows.append([v, *counts, str(sum(per.values()))])
    rows.append(["All", *[str(plan.layouts[lay]) for lay in layouts], str(len(plan.seats))])
    n = len(layouts) + 2
    out.append(_table(rows, [width * 0.3] + [width * 0.7 / (n - 1)] * (n - 1), s, root,
                      row_heads=1))
    out.append(p("Printing", "head", "H2"))
    sheets = total // 2
    paper = "A4" if plan.paper == "a4" else "Letter"
    tips = [
        f"This packet has {total} pages: print it double-sided (flip on the long edge) on "
        f"{paper} paper, {sheets} sheets. Black and white is fine.",
        "Each student's worksheet starts on a new sheet and has an even number of pages; "
        "a blank back is on purpose. Staple each student's sheets on their own.",
        "Each student's name and class are printed at the top right of every page of their "
        "worksheet.",
        f"The teacher keys are on pages {key_pages.start + 1}–{key_pages.stop}."
        if len(key_pages) else "This packet has no teacher key.",
    ]
    tip_list = root.add("L")
    out.extend(tag(Paragraph("• " + escape(t), s["text"]), tip_list.add("LI").add("LBody"))
               for t in tips)
    out.append(Spacer(1, 6))
    out.append(p("Students in roster order", "head", "H2"))
    rows = [["#", "Student", "ID", "Variant", "Layout", "Pages"]]
    for i, (seat, first) in enumerate(zip(plan.seats, first_pages, strict=True), 1):
        rows.append([str(i), seat.student.name, seat.student.id, seat.variant,
                     seat.layout.name, str(first + 1)])
    w = [0.06, 0.38, 0.16, 0.16, 0.14, 0.10]
    out.append(_table(rows, [width * f for f in w], s, root))
    return out


# --- assembling the packet ----------------------------------------------------------------


def _even(n: int) -> int:
    return n + n % 2


def layout_pages(plan: PacketPlan, base: Base, cover_pages: int) -> tuple[list[int], range, int]:
    """Each student's first page, the keys' pages and the total, all 0-based, padded."""
    page = _even(cover_pages)
    firsts = []
    for seat in plan.seats:
        firsts.append(page)
        page += _even(len(base.ranges["student", seat.variant, seat.layout.name]))
    start = page
    for v in plan.key_variants():
        page += _even(len(base.ranges["key", v, plan.key_layout.name]))
    return firsts, range(start, page), page


def render_class_doc(plan: PacketPlan, lesson: Lesson,
                     base: Base) -> tuple[bytes, int, StructTemplate | None, list[bytes]]:
    """The cover; returns its PDF, its length, its structure and each student's stamp
    (drawing operators with the cover's fonts)."""
    cover_layout = plan.key_layout
    w = cover_layout.text_width
    meta = Meta(title=plain_text(lesson.title), author=lesson.author, subject="", lang=lesson.lang)
    # The cover's own length moves the page numbers printed on it. Start from the
    # length of the last cover of this shape: usually right, so rendered once. The
    # output does not depend on the guess, only the number of passes does.
    shape = (len(plan.seats), len(plan.layouts), len(plan.variants), cover_layout.name)
    guess = _COVER_PAGES.get(shape, 1)
    for _ in range(3):
        firsts, keys, total = layout_pages(plan, base, guess)
        tree = Elem("Document")
        cover = compose_cover(plan, lesson, firsts, keys, total, w, tree)
        stamps = StampCodes([(seat.layout, stamp_text(seat, plan.cls)) for seat in plan.seats])
        decor = PageDecor(footer_left=f"{plain_text(lesson.title)}: {plan.cls.name}")
        structure: list[StructTemplate | None] = []
        pdf, ranges = render_parts([Part([*cover, stamps], cover_layout, decor, tree)], meta,
                                   structure)
        _COVER_PAGES[shape] = len(ranges[0])
        if _even(len(ranges[0])) == _even(guess):
            break
        guess = len(ranges[0])
    return pdf, len(ranges[0]), structure[0], stamps.codes


_COVER_PAGES: dict[tuple[int, int, int, str], int] = {}


def assemble(plan: PacketPlan, lesson: Lesson, base: Base, base_reader: PdfReader,
             doc_id: bytes, pdf_date: str) -> tuple[bytes, int]:
    """The packet PDF and its page count."""
    class_pdf, cover_len, cover_tree, stamps = render_class_doc(plan, lesson, base)
    cr = PdfReader(io.BytesIO(class_pdf))
    pk = PacketWriter()
    cover = [cr.pages[i] for i in range(cover_len)]
    pk.tag_part(cover_tree, {i: pk.copy(page) for i, page in enumerate(cover)})
    if cover_len % 2:
        pk.blank(cover[-1].mediabox)
    bpages = base_reader.pages
    for seat, code in zip(plan.seats, stamps, strict=True):
        rng = base.ranges["student", seat.variant, seat.layout.name]
        stamp = pk.stamp(code, cover[0], bpages[rng[0]].mediabox)
        part = base.structure["student", seat.variant, seat.layout.name]
        pk.tag_part(part, {i: pk.stamped(i, bpages[i], stamp) for i in rng})
        if len(rng) % 2:
            pk.blank(bpages[rng[-1]].mediabox)
    for v in plan.key_variants():
        rng = base.ranges["key", v, plan.key_layout.name]
        pk.tag_part(base.structure["key", v, plan.key_layout.name],
                    {i: pk.copy(bpages[i]) for i in rng})
        if len(rng) % 2:
            pk.blank(bpages[rng[-1]].mediabox)
    teacher = f" ({plan.cls.teacher})" if plan.cls.teacher else ""
    title = f"{plain_text(lesson.title)}: {plan.cls.name}{teacher}"
    data = pk.finish(title, lesson.author, plain_text(lesson.central_question), doc_id, pdf_date,
                     lesson.lang)
    return data, pk.pages
