"""Reference for the benchmark: the same class packets as Typst markup, compiled with PyPI `typst`.

One Typst document per class: every student's worksheet (their name in the
header, "Page x of y" per worksheet, padded to an even page count), then the
keys. Same fonts (the package's Noto TTFs, embedded by Typst), Letter pages,
the same margins and sizes as the reportlab reference.

    python bench/reference_typst.py ROSTER.csv LESSON OUT [--jobs N] [--classes K]
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import typst

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _lesson  # noqa: E402

FONTS = Path(__file__).resolve().parent.parent / "src" / "worksheets" / "fonts"
_SPECIAL = re.compile(r"([\\#$*_`<>@\[\]~=+\-/'\"])")

PREAMBLE = r"""
// Each worksheet sets its own page header (the stamp) and footer (page x of its total,
// read at the worksheet's <end-N> label); a page set rule also starts a new page.
#let furniture(stamp, n) = (
  header: align(right, text(font: "Noto Sans", size: 9pt, stamp)),
  footer: context {
    let total = counter(page).at(label("end-" + str(n))).first()
    let page = counter(page).get().first()
    set text(font: "Noto Sans", size: 8pt)
    if page <= total {
      line(length: 100%, stroke: 0.5pt + gray)
      [TITLE #h(1fr) Page #page of #total]
    }
  },
)
#set page(paper: "us-letter", margin: (x: 0.8in, y: 0.955in))
#set text(font: "Noto Serif", size: 11pt)
#set par(leading: 0.45em, spacing: 0.7em)
#let lines(n, gap) = {
  for i in range(n) { v(gap - 0.6pt); line(length: 100%, stroke: 0.6pt + gray) }
}
#let sans(body) = text(font: "Noto Sans", size: 10pt, body)
"""


def esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def md(rs: list[_lesson.Run]) -> str:
    out = []
    for text, bold, italic in rs:
        s = esc(text)
        out.append(f"*{s}*" if bold else f"_{s}_" if italic else s)
    return "".join(out)


def worksheet(lesson: dict[str, Any], vname: str, key: bool, large: bool) -> str:
    v = _lesson.variant(lesson, vname)
    gap = "36pt" if large else "24pt"
    size = "18pt" if large else "11pt"
    face = "Noto Sans" if large else "Noto Serif"
    o: list[str] = [f'#set text(font: "{face}", size: {size})',
                    "#sans[#grid(columns: (50%, 25%, 25%), [Name:], [Class:], [Date:])]",
                    '#line(length: 100%, stroke: 0.6pt)',
                    f'#text(font: "Noto Sans", weight: "bold", size: 17pt)[{esc(lesson["title"])}]',
                    f"#sans[*Central question:* {esc(lesson['central'])}]", "#sans[*Background*]"]
    o += [md(r) + "\n" for _, r in lesson["background"]]

    def question(q: dict[str, Any]) -> None:
        o.append(f"#block(breakable: false)[#sans[*{q['number']}.* {esc(q['prompt'])}]")
        if q.get("kind") == "choice":
            o.extend(f"#sans[{chr(65 + i)}. {esc(c)}]" for i, c in enumerate(q["choices"]))
            o.append("#sans[Answer:]")
        if q.get("kind") == "true-false":
            o.append("#sans[Circle one: TRUE / FALSE. Evidence:]")
        if "starters" in v["scaffolds"] and q.get("starter"):
            o.append(f"#sans[_Sentence starter:_ {esc(q['starter'])}]")
        if "hints" in v["scaffolds"] and q.get("hint"):
            o.append(f"#sans[_Hint:_ {esc(q['hint'])}]")
        if key and q.get("look_fors"):
            o.append("#text(style: \"italic\")[" + " \\ ".join(esc(x) for x in q["look_fors"])
                     + "]")
        n = 1 if q.get("kind") == "choice" else q["lines"]
        o.append(f"#lines({n}, {gap})]\n")

    if "word_bank" in v["scaffolds"]:
        o.append("#sans[*Word bank:* " + " • ".join(esc(t["term"]) for t in lesson["vocabulary"])
                 + "]")
    for d in lesson["documents"]:
        paras = d["bodies"].get(v["reading_level"]) or d["bodies"]["modified"]
        mod = " (Modified)" if d.get("modified") else ""
        o.append(f"#text(font: \"Noto Sans\", weight: \"bold\", size: 13pt)[{esc(d['label'])}: "
                 f"{esc(d['title'])}{mod}]\n")
        if d.get("dateline"):
            o.append(f"_{esc(d['dateline'])}_\n")
        before = [q for q in lesson["questions"] if q["doc"] == d["id"]
                  and q["placement"] == "before"]
        if before:
            o.append("#sans[*Before you read*]")
        for q in before:
            question(q)
        o += [md(r) + "\n" for _, r in paras]
        o.append(f"#text(font: \"Noto Sans\", size: 8.5pt)[{esc(d['source'])}]\n")
        words = " ".join(t for _, r in paras for t, _, _ in r).lower()
        terms = [t for t in lesson["vocabulary"]
                 if any(f.lower() in words for f in [t["term"], *t.get("forms", [])])]
        if terms:
            cells = ", ".join(f"[*{esc(t['term'])}*], [{esc(t['definition'])}]" for t in terms)
            o.append(f"#sans[#table(columns: (25%, 75%), [*Vocabulary*], [], {cells})]\n")
        after = [q for q in lesson["questions"] if q["doc"] == d["id"]
                 and q["placement"] == "after"]
        if after:
            o.append("#sans[*After you read*]")
        for q in after:
            question(q)
    org = lesson["organizer"]
    if org:
        o.append("#pagebreak()")
        o.append(f"#text(font: \"Noto Sans\", weight: \"bold\", size: 13pt)[Graphic organizer: "
                 f"{esc(org['title'])}]\n")
        if org.get("instructions"):
            o.append(f"#sans[{esc(org['instructions'])}]")
        head = [f"[*{esc(org.get('corner', 'Question'))}*]"]
        head += [f"[*{esc(c['heading'])}*]" for c in org["columns"]]
        cells = []
        for r in org["rows"]:
            cells.append(f"[{esc(r['prompt'])}]")
            for c in org["columns"]:
                a = (r.get("answers") or {}).get(c["id"]) if key else None
                h = r.get("lines", 4) * (28.8 if large else 18)
                cells.append(f"[_{esc(a)}_]" if a else f"[#v({h}pt)]")
        cols = ", ".join(["24%"] + [f"{76 / len(org['columns']):.1f}%"] * len(org["columns"]))
        o.append(f"#sans[#table(columns: ({cols}), {', '.join(head + cells)})]\n")
    c = lesson["claim"]
    if c:
        o.append("#pagebreak()")
        o.append("#text(font: \"Noto Sans\", weight: \"bold\", size: 13pt)[Your claim]\n")
        question({**c, "number": "", "lines": c.get("lines", 10)})
    return "\n".join(o)


def class_doc(lesson: dict[str, Any], cls: str, students: list[dict[str, str]]) -> str:
    parts: list[tuple[str, bool, bool, str]] = []
    for s in students:
        v = "supported" if s["reading_support"] == "yes" else \
            "spanish" if s["spanish"] == "yes" else "standard"
        parts.append((v, False, s["large_print"] == "yes", f"{s['student_name']} · {cls}"))
    for v in dict.fromkeys(p[0] for p in parts):
        parts.append((v, True, False, "Teacher Key"))
    out = [PREAMBLE.replace("TITLE", esc(lesson["title"]))]
    for i, (v, key, large, stamp) in enumerate(parts):
        if i:
            out.append(f"#metadata(none) <end-{i - 1}>")
        if i:
            out.append('#pagebreak(to: "odd")')
        out.append(f'#set page(..furniture("{stamp}", {i}))')
        out.append("#counter(page).update(1)")
        out.append(worksheet(lesson, v, key, large))
    out.append(f"#metadata(none) <end-{len(parts) - 1}>")
    return "\n".join(out)


def compile_class(args: tuple[Path, Path, str, list[dict[str, str]]]) -> int:
    lesson_dir, out, cls, students = args
    lesson = _lesson.load(lesson_dir)
    src = out / f"{cls.replace(' ', '-')}.typ"
    src.write_text(class_doc(lesson, cls, students), encoding="utf-8")
    pdf = typst.compile(str(src), font_paths=[str(FONTS)], ignore_system_fonts=True)
    assert isinstance(pdf, bytes)
    src.with_suffix(".pdf").write_bytes(pdf)
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type/Page") or _pages(pdf)


def _pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("roster", type=Path)
    ap.add_argument("lesson", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--classes", type=int, default=0, help="only the first K classes")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    classes: dict[str, list[dict[str, str]]] = {}
    with open(a.roster, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            classes.setdefault(row["class"], []).append(row)
    todo = [(a.lesson, a.out, c, s) for c, s in classes.items()]
    if a.classes:
        todo = todo[: a.classes]
    with Pool(a.jobs) as pool:
        pages = sum(pool.map(compile_class, todo, chunksize=1))
    print(f"pages={pages} seconds={time.monotonic() - start:.3f}")


if __name__ == "__main__":
    main()
