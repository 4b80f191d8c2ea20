"""Seeded lessons of many shapes, for judging page quality on lessons nobody wrote.

`rich_lesson(seed)` returns the files of a valid lesson: one to four documents with
headings (several in a row), header lines, salutations, quotations, numbered sections and
long paragraphs; up to fourteen questions of every kind, placed before and after, with
starters, hints and up to twelve lines; an organizer of one to four columns and up to
eight rows; a claim; a vocabulary; a supported variant with every scaffold.
"""

from __future__ import annotations

import io
import random
from typing import Any

import yaml
from PIL import Image, ImageDraw

# Words of historical prose, with a few that test the page: long ones, accents, italics.
WORDS = (
    "the of and to a in that is was he for it with as his on be at by had have not are "
    "but from or this which one you were all we when there can an their has more if no "
    "out so what up about into them than its only other people time over such our most "
    "government president states united soviet union missiles cuba turkey letter offer "
    "proposal assurances invasion blockade quarantine weapons bases removal security "
    "declaration sentiments convention franchise grievances women men rights liberty "
    "happiness legislation property husband education church employments tyranny "
    "despotism usurpations allegiance prudence instituted governed destructive consent "
    "abolishing foundation principles powers experience evils sufferance established "
    "Khrushchev Kennedy Dobrynin Stanton Mott Douglass Rochester Seneca Falls Washington "
    "Moscow Havana Ankara Nguyễn Đà Nẵng Luftbrückendenkmal reconnaissance "
    "counterrevolutionary internationalization *Maddox* *Liberator* 1848. 1962, 90 "
    "October. July, therefore, indeed; however: \"quoted\" [missiles] . . . —"
).split()


def _words(r: random.Random, lo: int, hi: int) -> str:
    return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


def _document(r: random.Random, label: str) -> str:
    front: dict[str, Any] = {"label": label, "title": _words(r, 2, 12).replace(":", ""),
                             "source": "Source: " + _words(r, 3, 30)}
    if r.random() < .6:
        front["dateline"] = _words(r, 2, 8)
    if r.random() < .5:
        front["modified"] = True
    paras = []
    if r.random() < .3:
        paras.append(f"FROM: {_words(r, 1, 4)} \\\nTO: {_words(r, 1, 4)} {{.header}}")
    if r.random() < .3:
        paras.append(_words(r, 1, 4) + ", {.salutation}")
    for _ in range(r.randint(1, 8)):
        k = r.random()
        if k < .12:
            paras.append("## " + _words(r, 1, 6).upper())
        elif k < .2:
            paras.append(_words(r, 10, 60) + " {.quote}")
        elif k < .27:
            paras.append(f"SECTION {r.randint(1, 9)}. {_words(r, 10, 80)} {{.section}}")
        else:
            paras.append(_words(r, 5, 180))
    if r.random() < .3:
        paras += ["Yours, {.closing}", _words(r, 1, 3) + " {.signature}"]
    return "---\n" + _dump(front) + "---\n" + "\n\n".join(paras) + "\n"


def _question(r: random.Random, i: int, ids: list[str]) -> dict[str, Any]:
    kind = r.choice(["written", "written", "choice", "true-false"])
    q: dict[str, Any] = {
        "id": f"q{i}", "documents": r.sample(ids, r.randint(1, min(2, len(ids)))),
        "skill": r.choice(["sourcing", "contextualization", "close-reading", "corroboration"]),
        "kind": kind, "prompt": _words(r, 4, 70)}
    if kind == "choice":
        q["choices"] = list(dict.fromkeys(_words(r, 1, 25) for _ in range(r.randint(2, 5))))
        q["answer"] = "ABCDE"[r.randint(0, len(q["choices"]) - 1)]
    elif kind == "true-false":
        q["answer"] = r.random() < .5
    if kind != "choice":
        q["lines"] = r.randint(1, 12)
        q["look_fors"] = [_words(r, 3, 30) for _ in range(r.randint(1, 4))]
    if r.random() < .3:
        q["placement"] = "before"
    if r.random() < .5:
        q["starter"] = _words(r, 3, 20)
    if r.random() < .5:
        q["hint"] = _words(r, 3, 30)
    return q


def rich_lesson(seed: int, more: bool = False) -> dict[str, str | bytes]:
    """The files of a valid lesson of a random shape (the same for the same seed).

    `more`: also an image document (a picture of random proportions, maybe in colour, a
    transcript of zero to three paragraphs) and simplified texts, which the supported
    variant reads, one document maybe at the modified level."""
    r = random.Random(seed)
    ids = [f"d{i}" for i in range(r.randint(1, 4))]
    files = {f"documents/{d}.md": _document(r, f"Document {'ABCD'[i]}")
             for i, d in enumerate(ids)}
    questions = [_question(r, i, ids) for i in range(r.randint(1, 14))]
    columns = [{"id": f"c{j}", "heading": _words(r, 1, 10), "documents": r.sample(ids, 1)}
               for j in range(r.randint(1, 4))]
    rows = [{"id": f"r{j}", "prompt": _words(r, 1, 12), "lines": r.randint(1, 6),
             "answers": {c["id"]: _words(r, 3, 40) for c in columns}}
            for j in range(r.randint(1, 8))]
    lesson = {
        "title": _words(r, 2, 8), "central_question": _words(r, 5, 25) + "?",
        "grade_band": "9-12",
        "background": "\n\n".join(_words(r, 10, 120) for _ in range(r.randint(1, 3))),
        "documents": ids,
        "organizer": {"title": _words(r, 1, 6), "instructions": _words(r, 3, 30),
                      "corner": _words(r, 1, 2), "columns": columns, "rows": rows},
        "claim": {"prompt": _words(r, 5, 50), "lines": r.randint(3, 12),
                  "look_fors": [_words(r, 3, 20)]},
        "attribution": _words(r, 2, 10),
        "variants": {"standard": {"title": "Standard"},
                     "supported": {"title": "Supported", "scaffolds": [
                         "starters", "hints", "word_bank", "organizer_hints"]}},
    }
    text = " ".join(files.values()).casefold()
    terms = sorted({w.strip(".,;:\"*[]").casefold() for w in r.sample(WORDS, 12)})
    terms = [t for t in terms if t.isalpha() and len(t) > 3 and t in text]
    out: dict[str, str | bytes] = dict(files)
    if more:
        _picture_and_levels(r, out, lesson, questions, ids)
    out["lesson.yaml"] = _dump(lesson)
    out["questions.yaml"] = _dump({"questions": questions})
    out["vocabulary.yaml"] = _dump({"terms": [{"term": t, "definition": _words(r, 2, 20)}
                                              for t in terms]})
    return out


def _picture_and_levels(r: random.Random, files: dict[str, str | bytes], lesson: dict[str, Any],
                        questions: list[dict[str, Any]], ids: list[str]) -> None:
    for d in ids:
        paras = "\n\n".join(_words(r, 5, 60) for _ in range(r.randint(1, 4)))
        files[f"documents/{d}.simplified.md"] = \
            f"---\nlevel: simplified\nadapted: simplified\n---\n{paras}\n"
    variant = lesson["variants"]["supported"]
    variant["reading_level"] = "simplified"
    if len(ids) > 1 and r.random() < .5:
        variant["reading_levels"] = {ids[0]: "modified"}
    w, h = r.choice([(400, 300), (1200, 900), (800, 2400), (2400, 600), (300, 300)])
    picture = Image.new("RGB" if r.random() < .5 else "L", (w, h), "white")
    draw = ImageDraw.Draw(picture)
    for _ in range(20):
        x, y = r.randrange(w), r.randrange(h)
        draw.rectangle([x, y, x + r.randrange(1, w // 3 + 2), y + r.randrange(1, h // 3 + 2)],
                       outline="black")
    png = io.BytesIO()
    picture.save(png, "PNG")
    files["documents/pic.png"] = png.getvalue()
    front = {"label": f"Document {'ABCDE'[len(ids)]}", "title": _words(r, 2, 8),
             "source": "Source: " + _words(r, 3, 20), "image": "pic.png",
             "alt": _words(r, 5, 30)}
    if r.random() < .5:
        front["credit"] = _words(r, 2, 10)
    body = "\n\n".join(_words(r, 5, 80) for _ in range(r.randint(0, 3)))
    files["documents/img.md"] = "---\n" + _dump(front) + "---\n" + body + "\n"
    lesson["documents"] = [*ids, "img"]
    questions.append({"id": "qimg", "documents": ["img"], "skill": "sourcing",
                      "kind": "written", "prompt": _words(r, 4, 30), "lines": r.randint(1, 8),
                      "look_fors": [_words(r, 2, 10)],
                      **({"placement": "before"} if r.random() < .5 else {})})
