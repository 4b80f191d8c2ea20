"""A page-quality judge for built worksheets: what a reader sees wrong on the page.

`judge(pdf, lesson)` reads a PDF (a path or bytes) with pdfium's page objects
(text with its bounds, font and size; vector paths and images) and pypdf's outline, and
returns findings, each a string naming the check, the page and what is wrong:

- ``bookmarks``: every section heading (the lesson title, each document, the
  organizer, the claim) has an outline entry that opens the page where it stands;
- ``stranded``: no heading ends a page without what it heads, and no vocabulary
  box starts a page without its document's name;
- ``half-empty``: no page ends above half of the text area while the flow goes
  on (the last page and the page before the organizer, which always starts a
  page, are exempt);
- ``broken-words``: no word is broken across two lines without a hyphen;
- ``markup``: no body markup (``*``, ``**``, ``{.role}``, a line-final ``\\``) is printed;
- ``line-numbers``: the margin numbers of each document count 5, 10, 15, ...
  and stand five printed lines apart;
- ``true-false``: TRUE and FALSE are spaced apart, and the key marks the answer
  on them (circled or underlined), not only below.

Deterministic and fast: one pdfium pass per page, no rendering.
"""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from worksheets.compose.strings import STRINGS
from worksheets.markup import plain, plain_text
from worksheets.model import Lesson

CHECKS = ("bookmarks", "stranded", "half-empty", "broken-words", "markup", "line-numbers",
          "true-false")


@dataclass(frozen=True)
class Span:
    """A run of text drawn by one text object: its bounds, font and size."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    font: str
    size: float
    base: float  # the baseline
    ox: float  # where the text starts (its origin), without side bearing


@dataclass
class Line:
    """Spans on one baseline that follow each other without a column gap."""

    spans: list[Span]

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.spans if s.text.strip())

    @property
    def x0(self) -> float:
        return self.spans[0].ox

    @property
    def base(self) -> float:
        return self.spans[0].base

    @property
    def x1(self) -> float:
        return self.spans[-1].x1

    @property
    def y0(self) -> float:
        return min(s.y0 for s in self.spans)

    @property
    def y1(self) -> float:
        return max(s.y1 for s in self.spans)

    @property
    def size(self) -> float:
        return max(s.size for s in self.spans)


@dataclass
class Page:
    """One page: its content lines (footer and banner apart), margin numbers and paths."""

    number: int  # 1-based
    height: float
    lines: list[Line] = field(default_factory=list)
    numbers: list[Span] = field(default_factory=list)  # margin line numbers
    paths: list[tuple[float, float, float, float]] = field(default_factory=list)
    banner: str = ""
    footer_top: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def bottom(self) -> float:
        """The lowest ink of the page's content (text or rules)."""
        ys = [line.y0 for line in self.lines] + [p[1] for p in self.paths]
        return min(ys) if ys else self.height


# --- reading the PDF ---------------------------------------------------------------

_PAGE_OF = re.compile(r"Page \d+ of \d+")
BANNERS = ("Teacher Key", "Teacher Master")


def _obj_text(raw: Any, obj: Any, textpage: Any) -> str:
    n = raw.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
    buf = ctypes.create_string_buffer(n)
    raw.FPDFTextObj_GetText(obj, textpage.raw, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)),
                            n)
    return buf.raw.decode("utf-16-le", errors="replace").rstrip("\x00")


def _font_name(raw: Any, font: Any) -> str:
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(n)
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    return buf.value.decode("latin-1")


def _spans_and_paths(page: Any) -> tuple[list[Span], list[tuple[float, float, float, float]]]:
    import pypdfium2.raw as raw

    spans: list[Span] = []
    paths: list[tuple[float, float, float, float]] = []
    box = [ctypes.c_float() for _ in range(4)]
    size = ctypes.c_float()
    matrix = raw.FS_MATRIX()
    fonts: dict[int | None, str] = {}
    textpage = page.get_textpage()
    try:
        for i in range(raw.FPDFPage_CountObjects(page.raw)):
            obj = raw.FPDFPage_GetObject(page.raw, i)
            kind = raw.FPDFPageObj_GetType(obj)
            raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(c) for c in box))
            x0, y0, x1, y1 = (c.value for c in box)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                text = _obj_text(raw, obj, textpage)
                if not text.strip():
                    continue
                font = raw.FPDFTextObj_GetFont(obj)
                key = ctypes.cast(font, ctypes.c_void_p).value
                if key not in fonts:
                    fonts[key] = _font_name(raw, font)
                raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
                raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
                spans.append(Span(x0, y0, x1, y1, text, fonts[key],
                                  round(size.value * abs(matrix.d), 2), matrix.f, matrix.e))
            elif kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE):  # ink: rules, pictures
                paths.append((x0, y0, x1, y1))
    finally:
        textpage.close()
    return spans, paths


def _lines(spans: list[Span]) -> list[Line]:
    """Spans grouped into lines: same baseline, no gap wider than two spaces between them."""
    out: list[Line] = []
    for s in sorted(spans, key=lambda s: (-round(s.base, 1), s.ox)):
        last = out[-1] if out else None
        if (last is not None and abs(last.base - s.base) < 0.8
                and -1 < s.x0 - last.spans[-1].x1 < s.size * 1.0):
            last.spans.append(s)
        else:
            out.append(Line([s]))
    out.sort(key=lambda ln: (-round(ln.base, 1), ln.x0))
    return out


def read_pages(pdf: bytes) -> list[Page]:
    """Every page's content lines, margin numbers and paths, footer and banner apart."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    pages: list[Page] = []
    try:
        raw_pages = []
        for i in range(len(doc)):
            page = doc[i]
            raw_pages.append((page.get_size()[1], *_spans_and_paths(page)))
            page.close()
    finally:
        doc.close()
    # The text block's left edge: where most lines start.
    starts: dict[int, int] = {}
    for _, spans, _ in raw_pages:
        for s in spans:
            starts[round(s.x0)] = starts.get(round(s.x0), 0) + 1
    left = max(starts, key=lambda k: starts[k]) if starts else 0
    for n, (height, spans, paths) in enumerate(raw_pages, start=1):
        p = Page(n, height)
        footer = [s for s in spans if _PAGE_OF.fullmatch(s.text.strip())]
        p.footer_top = max((s.y1 for s in footer), default=0.0) + 2
        content = []
        # margin numbers stand left of all the page's text (a page of a wide table has
        # most of its lines in the columns, and a number in a cell is text)
        edge = min([left, *(s.x0 for s in spans if not s.text.strip().isdigit()
                            and s.y1 > p.footer_top)])
        for s in spans:
            t = s.text.strip()
            if s.y1 <= p.footer_top:
                continue
            if t in BANNERS and s.y0 > height * 0.85:
                p.banner = t
                continue
            if t.isdigit() and s.x1 < edge - 2:
                p.numbers.append(s)
                continue
            content.append(s)
        p.lines = _lines(content)
        p.paths = [b for b in paths if b[3] > p.footer_top + 11]  # the footer rule apart
        pages.append(p)
    return pages


def _data(pdf: bytes | str | Path) -> bytes:
    return pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()


def norm(text: str) -> str:
    """Whitespace folded, for comparing headings with the text that shows them."""
    return re.sub(r"\s+", " ", text).strip().lower()


# --- what the lesson prints ---------------------------------------------------------


def _both(key: str) -> list[str]:
    """A generator string as printed: English, or English / Spanish."""
    s = STRINGS[key]
    return [f"{s['en']} / {s['es']}", s["en"]] if s["es"] != s["en"] else [s["en"]]


def section_headings(lesson: Lesson | None) -> list[str]:
    """Headings a section bookmark should open: title, documents, organizer, claim."""
    out: list[str] = []
    if lesson is not None:
        out.append(plain_text(lesson.title))
        out.extend(plain_text(f"{d.label}: {d.title}") for d in lesson.documents)
    out.extend(_both("organizer"))
    out.extend(_both("claim"))
    return out


def lesson_words(lesson: Lesson) -> set[str]:
    """Every word the lesson's files print, for telling a broken word from two words."""
    texts: list[str] = [lesson.title, lesson.central_question, lesson.attribution]
    texts += [b.text for b in lesson.background]
    for d in lesson.documents:
        texts += [d.label, d.title, d.dateline or "", plain(d.source)]
        texts += [b.text for body in d.bodies.values() for b in body.blocks]
    for q in (*lesson.questions, *([lesson.claim] if lesson.claim else [])):
        texts += [plain(q.prompt), *q.choices, *q.look_fors, q.starter or "", q.hint or ""]
    for t in lesson.vocabulary:
        texts += [t.term, t.definition, *t.forms, *t.translations.values()]
    o = lesson.organizer
    if o is not None:
        texts += [o.title, o.instructions or "", o.corner]
        texts += [v for tr in o.translations.values() for v in tr.values()]
        for c in o.columns:
            texts += [c.heading, *c.translations.values()]
        for r in o.rows:
            texts += [r.prompt, *r.answers.values(), *r.given.values(), *r.translations.values()]
    for s in STRINGS.values():
        texts += list(s.values())
    return {w.lower() for t in texts for w in re.findall(r"[^\W\d_]+", t)}


# --- the checks ----------------------------------------------------------------------


def _heading_page(pages: list[Page], heading: str) -> tuple[Page, int] | None:
    """The first page, and line, where a heading starts (it may wrap onto more lines)."""
    want = norm(heading)
    for p in pages:
        for i, line in enumerate(p.lines):
            t = norm(line.text)
            if not t:
                continue
            if t.startswith(want) or (len(t) >= 8 and want.startswith(t)
                                      and want in norm(" ".join(x.text for x in p.lines[i:i + 4]))):
                return p, i
    return None


def check_bookmarks(pdf: bytes, pages: list[Page], lesson: Lesson | None) -> list[str]:
    """Each section heading has an outline entry that opens the page where it stands."""
    reader = PdfReader(io.BytesIO(pdf))
    entries: list[tuple[str, int]] = []

    def walk(items: Iterable[Any]) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                n = reader.get_destination_page_number(it)
                entries.append((str(it.title), -1 if n is None else n + 1))

    walk(reader.outline)
    out = []
    seen: set[int] = set()
    for heading in section_headings(lesson):
        found = _heading_page(pages, heading)
        if found is None:
            continue
        page, i = found
        if id(page.lines[i]) in seen:  # "Your claim / Tu afirmación" and "Your claim"
            continue
        seen.add(id(page.lines[i]))
        h = norm(heading)
        mine = [(t, n) for t, n in entries if norm(t) and (norm(t) in h or h in norm(t))]
        if not mine:
            out.append(f"bookmarks: page {page.number}: heading {heading!r} has no outline entry")
        elif all(n != page.number for _, n in mine):
            out.append(f"bookmarks: page {page.number}: the outline entry {mine[0][0]!r} opens "
                       f"page {mine[0][1]}, not page {page.number} where its heading stands")
    return out


def _subheadings(lesson: Lesson | None = None) -> list[str]:
    """The "Before you read" and "After you read" headings, and the `## ` headings inside
    documents' texts."""
    inner = [plain(b.runs) for d in (lesson.documents if lesson else ())
             for body in d.bodies.values() for b in body.blocks if b.role == "heading"]
    return [*_both("before"), *_both("after"), *inner]


def check_stranded(pages: list[Page], lesson: Lesson | None) -> list[str]:
    """No heading is the last thing on its page; no vocabulary box starts a page alone."""
    out = []
    headings = [*section_headings(lesson), *_subheadings(lesson)]
    datelines = {norm(d.dateline) for d in lesson.documents if d.dateline} if lesson else set()
    for p in pages[:-1]:
        left = min((ln.x0 for ln in p.lines), default=0.0)
        for i, line in enumerate(p.lines):
            t = norm(line.text)
            h = next((h for h in headings if t and (t.startswith(norm(h)) or (
                len(t) >= 8 and norm(h).startswith(t)))), None)
            # every heading is set in bold at the text's left edge: a line of text that
            # starts with a short heading's words ("TO"), or a bold term in a table cell
            # that starts one ("president"), is not a heading
            if h is None or not any("Bold" in s.font for s in line.spans) or \
                    line.x0 > left + 2:
                continue
            rest = p.lines[i + 1:]
            # the heading's own wrapped lines and a document's dateline go with it
            while rest and (norm(rest[0].text) in norm(h) or norm(rest[0].text) in datelines
                            or any(norm(rest[0].text) and d.startswith(norm(rest[0].text))
                                   for d in datelines)):
                rest = rest[1:]
            below = rest[0].y1 if rest else None
            ink_below = any(b[3] < line.y0 - 1 for b in p.paths)
            if below is None and not ink_below:
                out.append(f"stranded: page {p.number}: heading {line.text!r} ends the page; "
                           "what it heads is on the next page")
        first = p.lines[0].text if p.lines else ""
        if norm(first).startswith(norm(STRINGS["vocabulary"]["en"])) and p.number > 1:
            labels = [plain_text(d.label) for d in lesson.documents] if lesson else ["Document"]
            if not any(lb in first for lb in labels):
                out.append(f"stranded: page {p.number}: a vocabulary box starts the page without "
                           "its document's name")
    return out


def check_half_empty(pages: list[Page], lesson: Lesson | None, fill: float = 0.5) -> list[str]:
    """No page ends above `fill` of the text area while the same flow goes on."""
    if len(pages) < 2:
        return []
    tops = [max((ln.y1 for ln in p.lines), default=0.0) for p in pages]
    top = max(tops)
    floor = min(p.bottom for p in pages)  # the fullest page reaches the frame's foot
    out = []
    organizer = [norm(h) for h in _both("organizer")]
    for k, p in enumerate(pages[:-1]):
        nxt = pages[k + 1]
        if nxt.lines and any(norm(nxt.lines[0].text).startswith(o) for o in organizer):
            continue
        used = (top - p.bottom) / (top - floor) if top > floor else 1.0
        if used < fill:
            last = p.lines[-1].text if p.lines else ""
            out.append(f"half-empty: page {p.number}: content ends at {used:.0%} of the text "
                       f"area (last line {last[:60]!r}); page {nxt.number} continues the flow")
    return out


_WORD_END = re.compile(r"([^\W\d_]+)$")
_WORD_START = re.compile(r"^([^\W\d_]+)")


def check_broken_words(pages: list[Page], lesson: Lesson | None) -> list[str]:
    """No line ends inside a word without a hyphen (narrow cells split long words)."""
    if lesson is not None:
        words = lesson_words(lesson)
    else:  # words the PDF prints whole, away from line ends
        words = set()
        for p in pages:
            for ln in p.lines:
                words.update(w.lower() for w in re.findall(r"[^\W\d_]+", ln.text)[1:-1])
    out = []
    for p in pages:
        lines = p.lines
        for i, a in enumerate(lines):
            # the next line of the same column: same left edge, just below
            below = [b for b in lines[i + 1:] if abs(b.x0 - a.x0) < 1.5
                     and 0 < a.base - b.base < a.size * 2.2]
            if not below:
                continue
            b = below[0]
            m1, m2 = _WORD_END.search(a.text), _WORD_START.match(b.text)
            if not (m1 and m2 and m2.group(1)[0].islower()):
                continue
            left, right = m1.group(1).lower(), m2.group(1).lower()
            if (left + right) in words and (left not in words or right not in words):
                out.append(f"broken-words: page {p.number}: {m1.group(1)}|{m2.group(1)} "
                           f"({a.text[-30:]!r} / {b.text[:30]!r}): a word broken without a hyphen")
    return out


_MARKUP = re.compile(r"\*\*|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])|\{\.[A-Za-z-]+\}")


def check_markup(pages: list[Page]) -> list[str]:
    """No markup printed as text: stars, role markers, a backslash at a line's end."""
    out = []
    for p in pages:
        for ln in p.lines:
            t = ln.text
            m = _MARKUP.search(t)
            if m or t.rstrip().endswith("\\"):
                what = m.group(0) if m else "\\"
                out.append(f"markup: page {p.number}: {what!r} printed in {t[:70]!r}")
    return out


def check_line_numbers(pages: list[Page], lesson: Lesson | None) -> list[str]:
    """Each document's margin numbers go 5, 10, 15, ... five printed lines apart."""
    if any(p.banner == "Teacher Master" for p in pages):  # a table of numbered questions
        return []
    heads = [plain_text(f"{d.label}: {d.title}") for d in lesson.documents] if lesson else []
    marks: list[tuple[int, float, str]] = []  # (page, y, document) where documents start
    for h in heads:
        found = _heading_page(pages, h)
        if found:
            page, i = found
            marks.append((page.number, page.lines[i].y1, h))
    marks.sort(key=lambda m: (m[0], -m[1]))
    seq: dict[str, list[tuple[Page, Span]]] = {}
    for p in pages:
        for s in sorted(p.numbers, key=lambda s: -s.y0):
            doc = "?"
            for pn, y, h in marks:
                if (pn, -y) < (p.number, -s.y1):
                    doc = h
            seq.setdefault(doc, []).append((p, s))
    out = []
    for doc, nums in seq.items():
        runs: list[list[tuple[Page, Span]]] = [[]]
        for item in nums:  # without a lesson, a new document starts again at 5
            if (doc == "?" and runs[-1] and item[1].text.strip() == "5"
                    and runs[-1][-1][1].text.strip() != "5"):
                runs.append([])
            runs[-1].append(item)
        for run in runs:
            want = 5
            for k, (p, s) in enumerate(run):
                n = int(s.text.strip())
                if n != want:
                    out.append(f"line-numbers: page {p.number}: {doc[:40]!r} numbers its line "
                               f"{n} where {want} was due")
                    want = n
                want += 5
                # five printed lines apart, counted on the page
                if k and run[k - 1][0] is p:
                    prev = run[k - 1][1]
                    body = {round(ln.base, 1) for ln in p.lines
                            if s.base - 0.5 < ln.base < prev.base - 0.5}
                    if len(body) != 5:
                        out.append(f"line-numbers: page {p.number}: {doc[:40]!r} has "
                                   f"{len(body)} printed lines from {prev.text.strip()} to {n}")
                if not any(abs(ln.base - s.base) < 1.5 for ln in p.lines):
                    out.append(f"line-numbers: page {p.number}: number {n} of {doc[:40]!r} "
                               "stands beside no line of text")
    return out


def check_true_false(pdf: bytes, pages: list[Page]) -> list[str]:
    """TRUE and FALSE stand apart; in the key one of them is marked where students mark."""
    import pypdfium2

    out = []
    true_w, false_w = _both("true")[0].split(" / ")[0], _both("false")[0].split(" / ")[0]
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for p in pages:
            if not any(norm(STRINGS["circle"]["en"]) in norm(ln.text) for ln in p.lines):
                continue
            page = doc[p.number - 1]
            tp = page.get_textpage()
            try:
                boxes: dict[str, list[tuple[float, float, float, float]]] = {}
                for word in (true_w, false_w):
                    found = []
                    search = tp.search(word, match_case=True, match_whole_word=True)
                    while (hit := search.get_next()) is not None:
                        i, n = hit
                        cb = [tp.get_charbox(j) for j in range(i, i + n)]
                        found.append((cb[0][0], min(c[1] for c in cb), cb[-1][2],
                                      max(c[3] for c in cb)))
                    boxes[word] = found
            finally:
                tp.close()
                page.close()
            for ln in p.lines:
                if norm(STRINGS["circle"]["en"]) not in norm(ln.text):
                    continue
                on = [b for b in boxes[true_w] if ln.y0 - 2 < b[1] < ln.y1 + 2]
                off = [b for b in boxes[false_w] if ln.y0 - 2 < b[1] < ln.y1 + 2]
                if not on or not off:
                    continue
                t, f = on[0], off[-1]
                gap = f[0] - t[2]
                if gap < ln.size * 1.5:
                    out.append(f"true-false: page {p.number}: TRUE and FALSE stand {gap:.1f} pt "
                               f"apart (want at least {ln.size * 1.5:.1f})")
                if p.banner == "Teacher Key":
                    def marked(b: tuple[float, float, float, float],
                               paths: list[tuple[float, float, float, float]] = p.paths) -> bool:
                        # a ring around the word, or a line under it: not a full-width rule
                        w = b[2] - b[0]
                        return any(x0 <= b[0] + 1 and x1 >= b[2] - 1 and y0 <= b[1] + 2
                                   and y1 >= b[1] - 4 and x1 - x0 < 4 * w
                                   for x0, y0, x1, y1 in paths)

                    if not (marked(t) or marked(f)):
                        out.append(f"true-false: page {p.number}: the key does not mark TRUE or "
                                   "FALSE in place")
    finally:
        doc.close()
    return out


def judge(pdf: bytes | str | Path, lesson: Lesson | None = None,
          checks: Iterable[str] = CHECKS) -> list[str]:
    """Findings on a built PDF: '<check>: page N: what is wrong', for the checks named."""
    data = _data(pdf)
    pages = read_pages(data)
    chosen = set(checks)
    out: list[str] = []
    if "bookmarks" in chosen:
        out += check_bookmarks(data, pages, lesson)
    if "stranded" in chosen:
        out += check_stranded(pages, lesson)
    if "half-empty" in chosen:
        out += check_half_empty(pages, lesson)
    if "broken-words" in chosen:
        out += check_broken_words(pages, lesson)
    if "markup" in chosen:
        out += check_markup(pages)
    if "line-numbers" in chosen:
        out += check_line_numbers(pages, lesson)
    if "true-false" in chosen:
        out += check_true_false(data, pages)
    return out
