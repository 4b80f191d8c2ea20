"""Content checks beyond validity: mistakes a writer would want to hear about before printing.

Each check returns located Problems (mostly warnings). Readability uses the
Flesch-Kincaid grade with syllables from pyphen's hyphenation dictionaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import Location, Problem
from .fonts import missing_glyphs
from .load.layout import Layout
from .markup import Block, normalize_quote, plain, plain_text
from .model import SKILLS, Lesson, Variant
from .select import term_pattern

_SENTENCE_END = re.compile(r"[.!?]+(?:[\"')\]]*)(?=\s|$)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@lru_cache(maxsize=1)
def _hyphenator() -> object:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    """Syllables of an English word, counted from its hyphenation points."""
    h = _hyphenator()
    return max(1, len(h.positions(word.lower())) + 1)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Readability:
    """The reading grade of one document body."""

    document: str
    level: str
    grade: float
    words: int
    origin: Location


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade level of English text."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    syl = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59, 1)


def readability(lesson: Lesson) -> list[Readability]:
    """The reading grade of every document body at every level."""
    out = []
    for d in lesson.documents:
        for level, body in d.bodies.items():
            if not body.blocks:  # an image without a transcript
                continue
            text = "\n".join(b.text for b in body.blocks)
            out.append(Readability(d.id, level, fk_grade(text), len(_WORD.findall(text)),
                                   body.origin))
    return out


def grade_ceiling(band: str) -> int | None:
    """The highest grade of a band such as '9-12' or '7'."""
    nums = [int(n) for n in re.findall(r"\d+", band)]
    return max(nums) if nums else None


def content_warnings(lesson: Lesson) -> list[Problem]:
    """Warnings for content that is valid but probably a mistake."""
    out: list[Problem] = []
    printed = {(d.id, d.body_for(v.level_of(d.id)).level) for d in lesson.documents
               for v in lesson.variants.values() if v.shows_document(d.id)}
    bodies = {(d.id, lvl): normalize_quote("\n".join(b.text for b in body.blocks))
              for d in lesson.documents for lvl, body in d.bodies.items()
              if (d.id, lvl) in printed}
    for t in lesson.vocabulary:
        pat = term_pattern(t)
        if not any(pat.search(text) for text in bodies.values()):
            out.append(Problem(t.origin, f"vocabulary term '{t.term}' occurs in no document text",
                               "add the form the text uses to 'forms', or remove the term",
                               "warning"))
    declared = {w.lower() for t in lesson.vocabulary if not t.inline for w in (t.term, *t.forms)}
    for d in lesson.documents:
        for t in d.glossed:
            if t.term.lower() not in declared:
                out.append(Problem(t.origin, f"inline gloss '{t.term}' has no definition in "
                                   "vocabulary.yaml", f"add it with a definition; until then the "
                                   f"gloss '{t.definition}' is used", "warning"))
    asked = {q.skill for q in lesson.questions}
    for skill in SKILLS:
        if skill not in asked:
            where = lesson.questions[0].origin if lesson.questions else lesson.origin
            out.append(Problem(Location(where.file, 1, 1), f"no question practises {skill}",
                               "add a question with skill: " + skill, "warning"))
    for d in lesson.documents:
        if not any(d.id in q.documents for q in lesson.questions):
            out.append(Problem(d.origin, f"document {d.id} has no question",
                               "add a question with documents: [" + d.id + "]", "warning"))
    for q in [*lesson.questions, *([lesson.claim] if lesson.claim else [])]:
        if q.kind in ("written", "true-false") and not q.look_fors:
            out.append(Problem(q.origin, f"question '{q.id}' has no look_fors for the key",
                               "add look_fors: what a strong answer contains", "warning"))
    if lesson.organizer is not None:
        for r in lesson.organizer.rows:
            for c in lesson.organizer.columns:
                if c.id not in r.answers:
                    out.append(Problem(r.origin, f"organizer row '{r.id}' has no answer for "
                                       f"column '{c.id}'", f"add answers: {{{c.id}: ...}}",
                                       "warning"))
    out.extend(_left_out_warnings(lesson))
    return out


def _left_out_warnings(lesson: Lesson) -> list[Problem]:
    """What a variant that leaves documents out still points students or teachers to."""
    out: list[Problem] = []
    for v in lesson.variants.values():
        if v.documents is None:
            continue
        if not any(v.shows(q) for q in lesson.questions):
            out.append(Problem(v.origin, f"variant '{v.id}' asks no question: every question "
                               "is about a document it leaves out",
                               "add documents to the variant, or questions on the ones it has",
                               "warning"))
        if lesson.organizer is None:
            continue
        for c in lesson.organizer.columns:
            if c.documents and not any(v.shows_document(d) for d in c.documents):
                out.append(Problem(v.origin, f"variant '{v.id}' leaves out document "
                                   f"{' and '.join(c.documents)}, which organizer column "
                                   f"'{c.id}' "
                                   "is about", "add the document to the variant, or expect "
                                   "students to fill in that column without it", "warning"))
        for r in lesson.organizer.rows:
            for e in r.evidence:
                if not v.shows_document(e.doc):
                    out.append(Problem(e.origin, f"organizer row '{r.id}' cites document "
                                       f"{e.doc}, which variant '{v.id}' leaves out: its key "
                                       "points to a text the class does not have",
                                       "expect it, or add the document to the variant",
                                       "warning"))
    return out


def footer_problems(lesson: Lesson, layout: Layout) -> list[Problem]:
    """Warnings for a title or attribution that the layout's footer must shrink or shorten."""
    from .fonts import SANS, register_fonts
    from .measure import fit_line, footer_room

    if not layout.footer:
        return []
    register_fonts()
    across = layout.text_width
    out = []
    for field, text, size, room, smallest in (
        ("title", plain_text(lesson.title), 8.0, footer_room(across, 99), 6.5),
        ("attribution", plain_text(lesson.attribution), 6.5, across, 5.5),
    ):
        shown, fitted = fit_line(text, SANS, size, room, smallest)
        if shown != text:
            how = f"shortened to '{shown}'"
        elif fitted != size:
            how = f"printed at {fitted:g} pt instead of {size:g}"
        else:
            continue
        out.append(Problem(lesson.origin, f"{field} is too long for the footer of layout "
                           f"'{layout.name}' ({across / 72:.2f} in wide): {how}",
                           f"shorten the {field}, or widen the layout's text block",
                           "warning"))
    return out


def _script_hint(ch: str) -> str:
    cp = ord(ch)
    if 0x0590 <= cp <= 0x08FF or 0xFB1D <= cp <= 0xFEFF:
        return "right-to-left scripts are not supported yet; give a transliteration"
    if cp >= 0x1F000 or unicodedata.category(ch) == "So" and 0x2600 <= cp <= 0x27BF:
        return "emoji and pictographs cannot be printed; describe it in words"
    return "replace it, or describe it in words"


def _locate(where: Location, ch: str) -> Location:
    """The exact place of `ch` (a character or a run of them) in the author's file,
    searching from `where` on."""
    try:
        with open(where.file, encoding="utf-8-sig") as fh:
            lines = fh.read().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    except OSError:
        return where
    for n in range(max(where.line, 1), len(lines) + 1):
        col = lines[n - 1].find(ch)
        if col >= 0:
            return Location(where.file, n, col + 1)
    return where


def glyph_problems(lesson: Lesson) -> list[Problem]:
    """An error for each character the bundled fonts cannot draw, where it stands.

    Printing it would leave a blank box on paper, so the build refuses.
    """
    out: list[Problem] = []

    def scan(text: str, where: Location) -> None:
        missing = set(missing_glyphs(text))
        # each run of such characters (a word of another script, an emoji) where it stands
        for m in re.finditer("[" + re.escape("".join(sorted(missing))) + "]+", text) \
                if missing else ():
            run = list(dict.fromkeys(m.group()))
            names = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in run)
            what = "character" if len(run) == 1 else "characters"
            verb = "is" if len(run) == 1 else "are"
            out.append(Problem(_locate(where, m.group()), f"{what} {names} {verb} not in the "
                               "bundled fonts and would print as blank boxes",
                               _script_hint(run[0])))

    def blocks(bs: tuple[Block, ...], file: str) -> None:
        for b in bs:
            scan(b.text, Location(file, b.line, b.col))

    for d in lesson.documents:
        credit = plain(d.image.credit) if d.image is not None else ""
        for field in (d.label, d.title, d.dateline or "", plain(d.source), credit):
            scan(field, d.origin)  # each front-matter line on its own
        for body in d.bodies.values():
            blocks(body.blocks, body.origin.file)
    for q in [*lesson.questions, *([lesson.claim] if lesson.claim else [])]:
        scan(" ".join([plain(q.prompt), *q.choices, *q.look_fors, q.starter or "",
                       q.hint or ""]), q.origin)
        for w in q.variants:
            scan(" ".join([plain(w.prompt or ()), *(w.choices or ()), *(w.look_fors or ()),
                           w.starter or "", w.hint or ""]), w.origin)
    for t in lesson.vocabulary:
        scan(" ".join([t.term, t.definition, *t.translations.values()]), t.origin)
    if lesson.organizer is not None:
        o = lesson.organizer
        for r in o.rows:
            scan(" ".join([r.prompt, *r.answers.values(), *r.given.values(),
                           *r.translations.values(), *r.prompts.values()]), r.origin)
        scan(" ".join([o.title, o.instructions or "", o.corner,
                       *(c.heading for c in o.columns),
                       *(h for c in o.columns for h in c.headings.values()),
                       *(t for c in o.columns for t in c.translations.values()),
                       *(t for tr in o.translations.values() for t in tr.values())]), o.origin)
    for v in lesson.variants.values():  # titles print on the teacher master
        scan(" ".join([v.title, v.description or ""]), v.origin)
    scan(" ".join([lesson.title, lesson.central_question, lesson.attribution]), lesson.origin)
    blocks(lesson.background, lesson.origin.file)
    return out


def readability_warnings(lesson: Lesson, scores: list[Readability]) -> list[Problem]:
    """A warning for each variant whose texts read above the grade band it is written for."""
    out = []
    ceiling = grade_ceiling(lesson.grade_band)
    for v in lesson.variants.values():
        band = v.grade_band or lesson.grade_band
        top = grade_ceiling(band) if band else ceiling
        if top is None:
            continue
        for r in scores:
            if _prints(lesson, v, r) and \
                    r.grade > top + 0.5:
                out.append(Problem(r.origin, f"document {r.document} ({r.level}) reads at grade "
                                   f"{r.grade:.1f}, above variant '{v.id}' (grades {band})",
                                   "shorten sentences and use common words, or raise the "
                                   "variant's grade_band", "warning"))
    return out


def _prints(lesson: Lesson, v: Variant, r: Readability) -> bool:
    """Whether variant `v` prints the text `r` was measured on."""
    return v.shows_document(r.document) and \
        lesson.document(r.document).body_for(v.level_of(r.document)).level == r.level


def readability_report(lesson: Lesson, scores: list[Readability]) -> list[Problem]:
    """An info line per document body: its grade estimate and the variants that use it."""
    out = []
    for r in scores:
        users = [v.id for v in lesson.variants.values() if _prints(lesson, v, r)]
        used = f"used by {', '.join(users)}" if users else "used by no variant"
        out.append(Problem(r.origin, f"document {r.document} ({r.level}): reading grade "
                           f"{r.grade:.1f}, {r.words} words, {used}", "Flesch-Kincaid", "info"))
    return out


def alt_problems(lesson: Lesson) -> list[Problem]:
    """An error, located, for each non-text element without a text alternative."""
    return [p for n in lesson.non_text if (p := n.alt_problem()) is not None]


MIN_DPI = 150  # below this a print looks soft or blocky


def image_warnings(lesson: Lesson, layouts: list[Layout]) -> list[Problem]:
    """For each image: a warning when it prints under MIN_DPI in one of `layouts` (the
    lowest, with its printed size), and when the colour it loses in print was there."""
    out: list[Problem] = []
    for d in lesson.documents:
        pic = d.image
        if pic is None:
            continue
        worst = min(((pic.width / (layout.picture_size(pic.width, pic.height)[0] / 72),
                      layout) for layout in layouts), key=lambda t: t[0], default=None)
        if worst is not None and worst[0] < MIN_DPI:
            dpi, layout = worst
            w, h = layout.picture_size(pic.width, pic.height)
            need = -(-MIN_DPI * w // 72)
            out.append(Problem(pic.origin, f"image {pic.file} prints at {dpi:.0f} dpi, "
                               f"{w / 72:.2f} × {h / 72:.2f} in on layout '{layout.name}' "
                               f"(under {MIN_DPI} dpi)", f"use a copy at least {need:.0f} "
                               f"pixels wide ({pic.width} now), or expect a soft print",
                               "warning"))
        if pic.colour:
            out.append(Problem(pic.origin, f"image {pic.file} is in colour and prints in "
                               "grayscale", "check that nothing in it depends on colour (a "
                               "map's red and green can print as one grey); a grayscale file "
                               "silences this", "warning"))
    return out
