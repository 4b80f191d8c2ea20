"""The graphic organizer: a table of row prompts and columns, empty cells for students and
the answers (with their evidence) in the key; rows kept whole and pages balanced."""


from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from ..fonts import SANS
from ..ink import INK, SHADE
from ..load.layout import Layout
from ..markup import escape, plain_text
from ..model import Organizer, OrganizerColumn
from ..select import Worksheet
from ..tagging import Elem
from .citations import cite
from .flowables import (
    BalancedTable,
    Bookmark,
    Cell,
)
from .strings import both_markup, words, words_markup
from .styles import Styles, break_long_words, tagged, text_markup


def compose_organizer(
    ws: Worksheet, o: Organizer, s: Styles, layout: Layout, lines: dict[str, list[str]],
    sect: Elem | None = None,
) -> list[Flowable]:
    """The graphic organizer on its own page: empty cells for students, answers in the key.

    Tagged as a Sect: its heading (H2), instructions, and a Table whose column
    headings and row prompts are header cells.
    """
    sect = Elem("Sect") if sect is None else sect
    lang = ws.variant.language

    def tr(text: str, translations: dict[str, str]) -> str:  # markup
        return both_markup(text, translations.get(lang) if lang else None, lang)

    top = o.translations.get(lang, {}) if lang else {}

    def tr_top(field: str, text: str) -> str:  # markup
        return both_markup(text, top.get(field), lang)

    width = layout.text_width
    heading = f"{words_markup(ws, 'organizer')}: {tr_top('title', o.title)}"
    title = plain_text(f"{o.title} / {top['title']}" if "title" in top else o.title)
    out: list[Flowable] = [PageBreak(),
                           Bookmark("organizer", f"{words(ws, 'organizer')}: {title}"),
                           tagged(Paragraph(heading, s.heading), sect, "H2")]
    if o.instructions:
        out.append(tagged(Paragraph(tr_top("instructions", o.instructions), s.text), sect))
        out.append(Spacer(1, 6))
    show_given = ws.scaffold("organizer_hints")
    corner = tr_top("corner", o.corner)
    first = width * 0.24
    rest = (width - first) / len(o.columns)
    widths = [first] + [rest] * len(o.columns)

    room = [w - 12 for w in widths]  # a word wider than its column breaks with a hyphen

    def fit(markup: str, st: ParagraphStyle, col: int) -> Paragraph:
        return Paragraph(break_long_words(markup, st, room[col]), st)

    header: list[Flowable] = [fit(corner, s.cell_head, 0)]
    header += [fit(tr(c.heading, c.translations), s.cell_head, k + 1)
               for k, c in enumerate(o.columns)]
    rows: list[list[Flowable]] = [header]
    for r in o.rows:
        row: list[Flowable] = [fit(f"<b>{tr(r.prompt, r.translations)}</b>", s.cell, 0)]
        for k, c in enumerate(o.columns):
            ans = r.answers.get(c.id)
            given = r.given.get(c.id) if show_given else None
            cites = [f"({escape(cite(ws, e, lines))}: \u201c{escape(e.quote)}\u201d)"
                     for e in r.evidence if column_for(o, e.doc) is c]
            row.append(Cell(
                r.lines * layout.cell_line_spacing,
                [fit(markup, s.cell_key, k + 1)
                 for markup in ([text_markup(ans)] if ans else []) + cites],
                [fit(text_markup(given), s.small, k + 1)] if given else [],
                ws.key,
            ))
        rows.append(row)
    frame_h = layout.frame_height
    repeat = repeat_header(header, widths, 12, frame_h)
    # rows are kept whole and pages balanced where at least three rows fit a page; taller
    # rows (large print) split inside, which fills pages better than moving them whole
    head_h = max(f.wrap(w - 12, frame_h)[1] for f, w in zip(header, widths, strict=True)) + 10
    tallest = max((max(f.wrap(w - 12, frame_h)[1] for f, w in zip(r, widths, strict=True)) + 10
                   for r in rows), default=0.0)  # the header row too: it may be the tallest
    table = BalancedTable(rows, colWidths=widths, repeatRows=repeat,
                          splitInRow=1 if 3 * tallest > frame_h - head_h * repeat else 0,
                          elem=sect.add("Table"), header_rows=1, header_cols=1)
    table.page_height = frame_h
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


def repeat_header(header: list[Flowable], widths: list[float], padding: float,
            frame_h: float) -> int:
    """1 to repeat a table's header row on each page; 0 when it is too tall to repeat.

    A repeated header row cannot split, so one taller than a page (long
    headings in narrow columns) would stop the build.
    """
    height = max(f.wrap(w - padding, frame_h)[1] for f, w in zip(header, widths, strict=True))
    return 1 if height + padding < frame_h / 3 else 0


def column_for(o: Organizer, doc: str) -> OrganizerColumn:
    """The column where a row's evidence from `doc` is cited: the first that uses the document."""
    return next((c for c in o.columns if doc in c.documents), o.columns[0])
