"""Page quality of a rendered worksheet, key or master, for `worksheets check --all`.

Reads the PDF back with pypdfium2 (text objects with their positions, fonts and sizes)
and says, in the author's terms, where a page reads badly:

- a heading is the last line of a page, apart from what it heads;
- a word is broken across two lines without a hyphen ("Clai" / "m");
- a page is mostly blank though the flow goes on (more than `BLANK_SHARE` of its text
  area empty, not the last page, not before a page the layout starts on purpose).

Each finding is a located warning: at the document or lesson.yaml it comes from.
This is the product's own check; the test suite judges pages independently.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .errors import Location, Problem
from .load.layout import Layout
from .markup import plain, plain_text
from .model import Lesson
from .preflight import font_name, object_text
from .select import BANNERS

# A page whose text area is more than this share blank while the flow goes on is reported.
BLANK_SHARE = 0.6

# The headings the generator prints (compose.strings keys): each heads what follows it.
_HEADINGS = ("claim", "before", "after", "background")


@dataclass
class _Span:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    bold: bool
    size: float
    base: float  # the baseline: bounds differ along a line with its letters' descenders


@dataclass
class _Line:
    spans: list[_Span]

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.spans if s.text.strip())

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.spans)

    @property
    def y0(self) -> float:
        return min(s.y0 for s in self.spans)

    @property
    def base(self) -> float:
        return self.spans[0].base

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.spans)


@dataclass
class _Page:
    number: int
    lines: list[_Line]  # the text area's lines, top to bottom
    bottom: float  # the lowest ink in the text area: text, answer lines or table rules
    floor: float | None = None  # the bottom of the lowest image (an image document's)


def page_problems(pdf: bytes, lesson: Lesson, layout: Layout,
                  blank_share: float = BLANK_SHARE) -> list[Problem]:
    """The page-quality warnings of one rendered PDF of `lesson` in `layout`; the caller
    adds which variant, layout and edition it is."""
    pages = _read(pdf, layout)
    headings = _headings(lesson)
    words = _words(lesson)
    out: list[Problem] = []
    for i, page in enumerate(pages):
        body = [ln for ln in page.lines if ln.text]
        if not body:
            continue
        last = body[-1]
        text = last.text
        for k in (2, 3, 4):  # a heading set on several lines
            if len(body) >= k and all(ln.bold for ln in body[-k:]) and _as_printed(
                    " ".join(ln.text for ln in body[-k:])) in headings:
                text = " ".join(ln.text for ln in body[-k:])
        key = _as_printed(text)
        pictured = page.floor is not None and page.floor < last.y0  # a picture below it
        if last.bold and key in headings and i + 1 < len(pages) and not pictured:
            out.append(Problem(headings[key], f"heading '{text}' is the last line of page "
                               f"{page.number}", "the heading prints apart from what it heads: "
                               "shorten the text before it, or give answers fewer lines",
                               "warning"))
        for a, b in _pairs(body):
            broken = _broken(a.text, b.text, words)
            if broken is not None:
                word, origin = broken, _origin_of(broken, lesson)
                out.append(Problem(origin, f"the word '{word}' is broken across two lines "
                                   f"without a hyphen on page {page.number}",
                                   "the column is too narrow for it: shorten the text around "
                                   "it or use a wider layout", "warning"))
        if i + 1 < len(pages) and not _starts_on_purpose(pages[i + 1], lesson):
            top = layout.page_size[1] - layout.margin_top
            used = (top - page.bottom) / layout.frame_height
            if 1 - used > blank_share:
                out.append(Problem(lesson.origin, f"page {page.number} is {1 - used:.0%} blank "
                                   f"(more than {blank_share:.0%}) though the text goes on",
                                   "something that must stay whole (a question with its "
                                   "lines, a vocabulary box, a long paragraph) did not fit "
                                   "below: shorten it or give it fewer lines", "warning"))
    return out


# --- reading the PDF ------------------------------------------------------------------


def _read(pdf: bytes, layout: Layout) -> list[_Page]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        w, h = layout.page_size
        left, bottom = layout.margin_left - 1, layout.margin_bottom - 1
        right, top = w - layout.margin_right + 1, h - layout.margin_top + 1
        pages = []
        for n in range(len(doc)):
            page = doc[n]
            try:
                found, rules, floor = _spans(page)
            finally:
                page.close()
            spans = [s for s in found if s.x0 >= left and s.x1 <= right
                     and s.y0 >= bottom and s.y1 <= top]
            # answer lines, rules and pictures are content too: a page ending in a
            # question's lines is full, not blank below the question
            ink = [s.y0 for s in spans] + [y0 for (_, y0, _, y1) in rules
                                           if y0 >= bottom - 1 and y1 <= top + 1]
            ink += [floor] if floor is not None else []
            pages.append(_Page(n + 1, _lines(spans), min(ink, default=top), floor))
        return pages
    finally:
        doc.close()


def _spans(page: Any) -> tuple[list[_Span], list[tuple[float, float, float, float]],
                               float | None]:
    """The page's text spans, the bounds of its paths (rules, boxes), and the lowest
    bottom edge of its images (None: it has none), in one pass over its objects."""
    import pypdfium2.raw as raw

    out: list[_Span] = []
    paths: list[tuple[float, float, float, float]] = []
    floor: float | None = None
    box = [ctypes.c_float() for _ in range(4)]
    size = ctypes.c_float()
    matrix = raw.FS_MATRIX()
    names: dict[int | None, str] = {}
    textpage = page.get_textpage()
    try:
        for i in range(raw.FPDFPage_CountObjects(page.raw)):
            obj = raw.FPDFPage_GetObject(page.raw, i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE,
                            raw.FPDF_PAGEOBJ_TEXT):
                continue
            raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(c) for c in box))
            x0, y0, x1, y1 = (c.value for c in box)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                paths.append((x0, y0, x1, y1))
                continue
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                floor = y0 if floor is None else min(floor, y0)
                continue
            text = object_text(raw, obj, textpage)
            if not text.strip():
                continue
            font = raw.FPDFTextObj_GetFont(obj)
            key = ctypes.cast(font, ctypes.c_void_p).value
            if key not in names:
                names[key] = font_name(raw, font)
            raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
            raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
            out.append(_Span(x0, y0, x1, y1, text, "Bold" in names[key],
                             size.value * abs(matrix.d), matrix.f))
    finally:
        textpage.close()
    return out, paths, floor


def _lines(spans: list[_Span]) -> list[_Line]:
    """Spans on one baseline with no wide gap between them as a line; lines from the top
    of the page (table cells side by side are lines of their own)."""
    rows: list[list[_Span]] = []
    for s in sorted(spans, key=lambda s: -s.base):
        if rows and abs(rows[-1][0].base - s.base) < 1.5:
            rows[-1].append(s)
        else:
            rows.append([s])
    out: list[_Line] = []
    for row in rows:
        line: _Line | None = None
        for s in sorted(row, key=lambda s: s.x0):
            if line is not None and -1 < s.x0 - line.spans[-1].x1 < 2 * s.size:
                line.spans.append(s)
            else:
                line = _Line([s])
                out.append(line)
    return sorted(out, key=lambda ln: -ln.base)


def _pairs(lines: list[_Line]) -> list[tuple[_Line, _Line]]:
    """Each line with the next line below it in the same column (the text, a table cell)."""
    out = []
    for i, a in enumerate(lines):
        size = a.spans[-1].size
        x1 = max(s.x1 for s in a.spans)
        below = [b for b in lines[i + 1:] if 0 < a.y0 - b.y0 < 1.8 * size
                 and b.x0 < x1 and max(s.x1 for s in b.spans) > a.x0]
        if below:
            out.append((a, max(below, key=lambda b: b.y0)))
    return out


# --- what the lesson prints ---------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _broken(a: str, b: str, words: set[str]) -> str | None:
    """The word split between the end of line `a` and the start of line `b`, if any."""
    m1 = re.search(r"([^\W\d_]+)$", a)
    m2 = re.match(r"([^\W\d_]+)", b)
    if not m1 or not m2:
        return None
    head, tail = m1.group(1), m2.group(1)
    joined = (head + tail).casefold()
    if joined in words and (head.casefold() not in words or tail.casefold() not in words):
        return head + tail
    if head.casefold() not in words:  # a long word broken over more than two lines
        whole = next((w for w in sorted(words) if w.startswith(joined) and w != joined), None)
        return None if whole is None else head + whole[len(head):]
    return None


def _words(lesson: Lesson) -> set[str]:
    return {w.casefold() for w in _WORD.findall(" ".join(_texts(lesson)))}


def _texts(lesson: Lesson) -> list[str]:
    """Every text field of the lesson as printed (without markup)."""
    out = [plain_text(t) for t in (lesson.title, lesson.central_question, lesson.attribution)]
    out += [b.text for b in lesson.background]
    for d in lesson.documents:
        out += [plain_text(d.label), plain_text(d.title), plain_text(d.dateline or ""),
                plain(d.source), plain(d.image.credit) if d.image is not None else ""]
        out += [b.text for body in d.bodies.values() for b in body.blocks]
    for q in [*lesson.questions, *([lesson.claim] if lesson.claim else [])]:
        out += [plain(q.prompt), *map(plain_text, (*q.choices, *q.look_fors)),
                plain_text(q.starter or ""), plain_text(q.hint or "")]
    for t in lesson.vocabulary:
        out += [t.term, plain_text(t.definition), *map(plain_text, t.translations.values())]
    o = lesson.organizer
    if o is not None:
        out += [plain_text(t) for t in (o.title, o.instructions or "", o.corner)]
        out += [plain_text(c.heading) for c in o.columns]
        for r in o.rows:
            out += [plain_text(t) for t in (r.prompt, *r.answers.values(), *r.given.values())]
    out += [plain_text(v.title) for v in lesson.variants.values()]
    from .compose.strings import STRINGS

    out += [w for s in STRINGS.values() for w in s.values()]
    out += ["Teacher", "master", "Question", "asked", "starter", "hint", "texts", "glossary"]
    return out


def _as_printed(text: str) -> str:
    """Text for matching a printed heading: composed, spaces folded, case kept (a heading
    "TO" is not the word "to" wrapped onto a line of its own in a bold table cell)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _headings(lesson: Lesson) -> dict[str, Location]:
    """The headings a page must not end with, folded, and where their text comes from."""
    claim = lesson.claim.origin if lesson.claim is not None else lesson.origin
    out: dict[str, Location] = {}
    from .compose.strings import STRINGS

    for key in _HEADINGS:
        where = claim if key == "claim" else lesson.origin
        en, es = STRINGS[key]["en"], STRINGS[key]["es"]
        for text in (en, es, f"{en} / {es}"):
            out[_as_printed(text)] = where
    for d in lesson.documents:
        title = plain_text(f"{d.label}: {d.title}")
        out[_as_printed(title)] = d.origin
        for m in STRINGS["modified"].values():
            out[_as_printed(f"{title} ({m})")] = d.origin
        out[_as_printed(f"{title} ({STRINGS['modified']['en']} / "
                            f"{STRINGS['modified']['es']})")] = d.origin
        for body in d.bodies.values():  # the headings inside its text (`## `)
            for b in body.blocks:
                if b.role == "heading":
                    out.setdefault(_as_printed(plain(b.runs)),
                                   Location(body.origin.file, b.line, b.col))
    return out


def _starts_on_purpose(page: _Page, lesson: Lesson) -> bool:
    """Whether the page starts where the layout always breaks: the organizer's page."""
    body = [ln for ln in page.lines if ln.text and ln.text not in BANNERS.values()]
    if not body or lesson.organizer is None:
        return False
    # a heading's words on one baseline may come as several lines (spans set apart)
    first = sorted((ln for ln in body if abs(ln.base - body[0].base) < 1.5),
                   key=lambda ln: ln.spans[0].x0)
    text = " ".join(ln.text for ln in first).casefold()
    return all(ln.bold for ln in first) and (
        "organizer" in text or "organizador" in text
        or plain_text(lesson.organizer.title).casefold() in text)


def _origin_of(word: str, lesson: Lesson) -> Location:
    """The document whose text has the word, else lesson.yaml."""
    w = word.casefold()
    for d in lesson.documents:
        texts = [b.text for body in d.bodies.values() for b in body.blocks]
        texts += [plain_text(d.title), plain_text(d.dateline or ""), plain(d.source)]
        if any(w in {x.casefold() for x in _WORD.findall(t)} for t in texts):
            return d.origin
    return lesson.origin
