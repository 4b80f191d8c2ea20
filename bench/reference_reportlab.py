"""Reference for the benchmark: the same worksheets written by hand with plain reportlab.

What a developer would write without the `worksheets` package: read the lesson,
build platypus flowables, one reportlab document per class in which every
student's worksheet is laid out again with their name in the header (page x
of y per worksheet, padded to an even page count), then the keys. Same fonts
(embedded Noto), same page sizes and margins, about the same pages.

    python bench/reference_reportlab.py build LESSON OUT          # standard student + key
    python bench/reference_reportlab.py batch ROSTER.csv LESSON OUT [--jobs N] [--classes K]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from html import escape as _html_escape
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)


def escape(text: str) -> str:
    """&, < and > as entities (xml.sax.saxutils.escape; that module imports urllib and email,
    which a cold build would pay for and never use)."""
    return _html_escape(text, quote=False)


sys.path.insert(0, str(Path(__file__).resolve().parent))
import _lesson  # noqa: E402

FONTS = Path(__file__).resolve().parent.parent / "src" / "worksheets" / "fonts"
W, H = 612.0, 792.0
for fam, stem in (("Serif", "NotoSerif"), ("Sans", "NotoSans")):
    for suf, sty in (("", "Regular"), ("-Bold", "Bold"), ("-Italic", "Italic"),
                     ("-BoldItalic", "BoldItalic")):
        pdfmetrics.registerFont(TTFont(fam + suf, str(FONTS / f"{stem}-{sty}.ttf")))
    pdfmetrics.registerFontFamily(fam, normal=fam, bold=fam + "-Bold", italic=fam + "-Italic",
                                  boldItalic=fam + "-BoldItalic")

LAYOUTS = {  # margins and sizes as in the bundled letter and large-print layouts
    "letter": {"m": 57.6, "top": 68.76, "face": "Serif", "body": 11, "text": 10, "title": 17,
               "head": 13, "cap": 8.5, "line": 24.0, "cell": 18.0},
    "large-print": {"m": 54.0, "top": 68.76, "face": "Sans", "body": 18, "text": 16,
                    "title": 26, "head": 21, "cap": 14, "line": 36.0, "cell": 28.8},
}


def md(rs: list[_lesson.Run]) -> str:
    out = []
    for text, bold, italic in rs:
        s = escape(text)
        out.append(f"<b>{s}</b>" if bold else f"<i>{s}</i>" if italic else s)
    return "".join(out)


class Lines(Flowable):
    """Ruled answer lines, with the key's answer written over them."""

    def __init__(self, n: int, gap: float, answer: Paragraph | None = None) -> None:
        super().__init__()
        self.n, self.gap, self.answer = n, gap, answer

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        need = self.answer.wrap(aw - 12, ah)[1] + 6 if self.answer else 0
        self.height = max(self.n * self.gap, need)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        if self.answer:
            self.answer.drawOn(c, 8, self.height - self.answer.height - 3)
        c.setStrokeColor(colors.Color(0.45, 0.45, 0.45))
        c.setLineWidth(0.6)
        y = self.height - self.gap
        while y >= -0.1:
            c.line(0, y, self.width, y)
            y -= self.gap


def story(lesson: dict[str, Any], vname: str, key: bool, lay: dict[str, Any]) -> list[Any]:
    v = _lesson.variant(lesson, vname)
    width = W - 2 * lay["m"]

    def st(name: str, face: str, size: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=face, fontSize=size, leading=size * 1.3, **kw)

    body = st("b", lay["face"], lay["body"], spaceAfter=lay["body"] * 0.55)
    text = st("t", "Sans", lay["text"], spaceAfter=2)
    head = st("h", "Sans-Bold", lay["head"], spaceBefore=6, spaceAfter=2, keepWithNext=1)
    sub = st("s", "Sans-Bold", lay["text"], spaceBefore=6, spaceAfter=3)
    cap = st("c", "Sans", lay["cap"], spaceAfter=6)
    ital = st("i", "Serif-Italic", lay["text"])
    out: list[Any] = []
    t = Table([[Paragraph(f"{x}:", text) for x in ("Name", "Class", "Date")]],
              colWidths=[width * 0.5, width * 0.25, width * 0.25], rowHeights=[22])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "Sans"),
                           ("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    out += [t, Spacer(1, 10), Paragraph(escape(lesson["title"]), st("T", "Sans-Bold", lay["title"],
                                                                      spaceAfter=4)),
            Paragraph(f"<b>Central question:</b> {escape(lesson['central'])}", sub),
            Paragraph("Background", sub)]
    out += [Paragraph(md(r), body) for _, r in lesson["background"]]

    def question(q: dict[str, Any]) -> list[Any]:
        parts: list[Any] = [Paragraph(f"<b>{q['number']}.</b> {escape(q['prompt'])}", text)]
        if q.get("kind") == "choice":
            parts += [Paragraph(f"{chr(65 + i)}. {escape(c)}", text)
                      for i, c in enumerate(q["choices"])]
        if q.get("kind") == "true-false":
            parts.append(Paragraph("Circle one: TRUE / FALSE. Evidence:", text))
        if "starters" in v["scaffolds"] and q.get("starter"):
            parts.append(Paragraph(f"<i>Sentence starter:</i> {escape(q['starter'])}", text))
        if "hints" in v["scaffolds"] and q.get("hint"):
            parts.append(Paragraph(f"<i>Hint:</i> {escape(q['hint'])}", text))
        answer = None
        if key and q.get("look_fors"):
            answer = Paragraph("<br/>".join(escape(x) for x in q["look_fors"]), ital)
        if q.get("kind") == "choice":
            parts.append(Paragraph("Answer:", text))
            answer = Paragraph(escape(str(q.get("answer", ""))), ital) if key else None
        parts.append(Lines(q["lines"] if q.get("kind") != "choice" else 1, lay["line"], answer))
        return [KeepTogether(parts), Spacer(1, 6)]

    if "word_bank" in v["scaffolds"]:
        out.append(Paragraph("<b>Word bank:</b> " + " • ".join(
            escape(t["term"]) for t in lesson["vocabulary"]), text))
    for d in lesson["documents"]:
        paras = d["bodies"].get(v["reading_level"]) or d["bodies"]["modified"]
        out.append(Paragraph(f"{escape(d['label'])}: {escape(d['title'])}"
                             + (" (Modified)" if d.get("modified") else ""), head))
        if d.get("dateline"):
            out.append(Paragraph(f"<i>{escape(d['dateline'])}</i>", body))
        before = [q for q in lesson["questions"] if q["doc"] == d["id"]
                  and q["placement"] == "before"]
        if before:
            out.append(Paragraph("Before you read", sub))
        for q in before:
            out += question(q)
        out += [Paragraph(md(r), body) for _, r in paras]
        out.append(Paragraph(escape(d["source"]), cap))
        words = " ".join(t for _, r in paras for t, _, _ in r).lower()
        terms = [t for t in lesson["vocabulary"]
                 if any(f.lower() in words for f in [t["term"], *t.get("forms", [])])]
        if terms:
            vt = Table([[Paragraph("<b>Vocabulary</b>", text), ""]] + [
                [Paragraph(f"<b>{escape(t['term'])}</b>", text),
                 Paragraph(escape(t["definition"]), text)] for t in terms],
                colWidths=[width * 0.25, width * 0.75])
            vt.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "Sans"),
                                    ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
                                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(.9, .9, .9))]))
            out += [vt, Spacer(1, 8)]
        after = [q for q in lesson["questions"] if q["doc"] == d["id"]
                 and q["placement"] == "after"]
        if after:
            out.append(Paragraph("After you read", sub))
        for q in after:
            out += question(q)
    o = lesson["organizer"]
    if o:
        out += [PageBreak(), Paragraph("Graphic organizer: " + escape(o["title"]), head)]
        if o.get("instructions"):
            out.append(Paragraph(escape(o["instructions"]), text))
        rows = [[Paragraph(f"<b>{escape(o.get('corner', 'Question'))}</b>", text)]
                + [Paragraph(f"<b>{escape(c['heading'])}</b>", text) for c in o["columns"]]]
        for r in o["rows"]:
            cells: list[Any] = [Paragraph(escape(r["prompt"]), text)]
            for c in o["columns"]:
                a = (r.get("answers") or {}).get(c["id"]) if key else None
                cells.append(Paragraph(escape(a), ital) if a else Spacer(1, r.get("lines", 4)
                                                                          * lay["cell"]))
            rows.append(cells)
        tb = Table(rows, colWidths=[width * 0.24] + [width * 0.76 / len(o["columns"])]
                   * len(o["columns"]), repeatRows=1)
        tb.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "Sans"),
                                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        out.append(tb)
    c = lesson["claim"]
    if c:
        out += [PageBreak(), Paragraph("Your claim", head),
                *question({**c, "number": "", "lines": c.get("lines", 10)})]
    return out


def numbered_canvas(sections: list[tuple[int, str]], title: str) -> type[Canvas]:
    """A canvas that holds pages back to print "Page x of y" per worksheet and its stamp."""

    class C(Canvas):  # type: ignore[misc]
        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, **k)
            self.held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802
            self.held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            owner = [self.held[i]["_sec"] for i in range(len(self.held))]
            for i, state in enumerate(self.held):
                self.__dict__.update(state)
                s = owner[i]
                n = owner[: i + 1].count(s)
                total = owner.count(s)
                stamp = sections[s][1]
                lay = LAYOUTS["letter"]
                self.setFont("Sans", 8)
                self.drawString(lay["m"], lay["top"] - 24, title)
                self.drawRightString(W - lay["m"], lay["top"] - 24, f"Page {n} of {total}")
                if stamp:
                    self.setFont("Sans", 9)
                    self.drawRightString(W - lay["m"], H - lay["top"] + 14, stamp)
                Canvas.showPage(self)
            Canvas.save(self)

    return C


def render(path: Path, lesson: dict[str, Any], parts: list[tuple[str, bool, str, str]]) -> int:
    """One PDF of several worksheets: (variant, key, layout, stamp) each; returns pages."""
    doc = BaseDocTemplate(str(path), pagesize=(W, H), invariant=1, title=lesson["title"],
                          initialFontName="Sans")
    templates, flow, sections = [], [], []
    for i, (vname, key, layout, stamp) in enumerate(parts):
        lay = LAYOUTS[layout]

        def on_page(c: Canvas, d: Any, i: int = i) -> None:
            c._sec = i

        templates.append(PageTemplate(id=f"p{i}", onPage=on_page, frames=[
            Frame(lay["m"], lay["top"], W - 2 * lay["m"], H - 2 * lay["top"], 0, 0, 0, 0)]))
        if i:
            flow += [NextPageTemplate(f"p{i}"), PageBreak()]
        flow += story(lesson, vname, key, lay)
        sections.append((i, stamp or ("Teacher Key" if key else "")))
    doc.addPageTemplates(templates)
    doc.build(flow, canvasmaker=numbered_canvas(sections, lesson["title"]))
    return doc.page


def class_pdf(args: tuple[Path, Path, str, list[dict[str, str]]]) -> int:
    lesson_dir, out, cls, students = args
    lesson = _lesson.load(lesson_dir)
    parts = []
    for s in students:
        v = "supported" if s["reading_support"] == "yes" else \
            "spanish" if s["spanish"] == "yes" else "standard"
        lay = "large-print" if s["large_print"] == "yes" else "letter"
        parts.append((v, False, lay, f"{s['student_name']} · {cls}"))
    for v in dict.fromkeys(p[0] for p in parts):
        parts.append((v, True, "letter", ""))
    return render(out / f"{cls.replace(' ', '-')}.pdf", lesson, parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("lesson", type=Path)
    b.add_argument("out", type=Path)
    t = sub.add_parser("batch")
    t.add_argument("roster", type=Path)
    t.add_argument("lesson", type=Path)
    t.add_argument("out", type=Path)
    t.add_argument("--jobs", type=int, default=os.cpu_count())
    t.add_argument("--classes", type=int, default=0, help="only the first K classes")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    if a.cmd == "build":
        lesson = _lesson.load(a.lesson)
        pages = render(a.out / "standard-letter-student.pdf", lesson,
                       [("standard", False, "letter", "")])
        pages += render(a.out / "standard-letter-key.pdf", lesson,
                        [("standard", True, "letter", "")])
    else:
        classes: dict[str, list[dict[str, str]]] = {}
        with open(a.roster, encoding="utf-8", newline="") as fh:
            import csv  # the batch only: a cold build does not pay for it

            for row in csv.DictReader(fh):
                classes.setdefault(row["class"], []).append(row)
        todo = [(a.lesson, a.out, c, s) for c, s in classes.items()]
        if a.classes:
            todo = todo[: a.classes]
        from multiprocessing import Pool

        with Pool(a.jobs) as pool:
            pages = sum(pool.map(class_pdf, todo, chunksize=1))
    print(f"pages={pages} seconds={time.monotonic() - start:.3f}")


if __name__ == "__main__":
    main()
