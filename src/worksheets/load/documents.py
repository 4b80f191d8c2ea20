"""Documents: front matter and body text of each reading level, glosses collected."""

from __future__ import annotations

from pathlib import Path

from ..errors import Location, Problem
from ..markup import parse_body, parse_inline
from ..model import Body, Document, VocabularyTerm
from . import shapes
from .files import display_path, present, read_lesson_file, unreadable
from .images import load_picture
from .issues import DOCUMENT_TEXT_FIELDS, did_you_mean, markup_problems, validate_file
from .yaml import Loaded, load_yaml, split_front_matter

# More paragraphs than any document a class reads (a 20-page text has a few hundred):
# laying out so many would take minutes.
MAX_PARAGRAPHS = 2000
# A paragraph longer than this (about five pages) is a text missing its blank lines, and
# laying it out takes time that grows with the square of its length.
MAX_PARAGRAPH_CHARS = 20_000


# --- documents -----------------------------------------------------------------


def load_documents(
    folder: Path, lesson: shapes.LessonFile, ll: Loaded, problems: list[Problem],
    known: list[str],
) -> list[Document]:
    """Load the listed documents; fill `known` with the ids references may name.

    A listed document that is missing or broken is reported once, at its own
    file or listing, not again at each question or column that names it.
    """
    docs: list[Document] = []
    seen: set[str] = set()
    docdir = folder / "documents"
    available = sorted(p.name[:-3] for p in docdir.glob("*.md") if "." not in p.name[:-3])
    for i, doc_id in enumerate(lesson.documents):
        where = ll.at(("documents", i))
        if doc_id in seen:
            problems.append(Problem(where, f"documents: '{doc_id}' is listed twice",
                                    "list each document once"))
            continue
        seen.add(doc_id)
        known.append(doc_id)
        path = docdir / f"{doc_id}.md"
        if not present(path):
            close = did_you_mean(doc_id, available)
            hint = f"did you mean '{close}'?" if close else f"create documents/{doc_id}.md"
            problems.append(Problem(where, f"documents: no file documents/{doc_id}.md", hint))
            if close and close not in lesson.documents:
                known.append(close)  # the file the author meant: references to it are fine
            continue
        doc = load_document(path, doc_id, problems, folder)
        if doc is not None:
            docs.append(doc)
    return docs


def load_document(
    path: Path, doc_id: str, problems: list[Problem], folder: Path
) -> Document | None:
    shown = display_path(path)
    text = read_lesson_file(path, folder, problems)
    if text is None:
        return None
    fm_text, body_text, body_line = split_front_matter(text)
    if not fm_text:
        if text.split("\n", 1)[0].strip() == "---":
            problems.append(Problem(Location(shown, 1, 1), "the front matter is not closed",
                                    "end it with a line '---' before the text"))
        else:
            problems.append(Problem(Location(shown, 1, 1), "missing front matter",
                                    "start the file with '---', label:, title:, source:, "
                                    "then '---'"))
        return None
    loaded = load_yaml(fm_text, shown, problems)
    if loaded is None:
        return None
    if loaded.data is None:
        problems.append(Problem(Location(shown, 1, 1), "the front matter is empty",
                                "write label:, title: and source: between the '---' lines"))
        return None
    v = validate_file(shapes.DocumentFrontMatter, loaded, problems)
    if v is None:
        return None
    fm = v[0]
    markup_problems(loaded, DOCUMENT_TEXT_FIELDS, problems)
    if fm.adapted is not None and loaded.marks.get(("modified",)) is not None:
        problems.append(Problem(loaded.at(("modified",)), "modified: and adapted: both say "
                                "what is printed after the title",
                                f"keep adapted: {fm.adapted} and remove modified:"))
    # what the main file says is printed for every level whose file does not say
    note = _note(fm.adapted or ("modified" if fm.modified else None))
    picture = load_picture(fm, loaded, path, folder, problems)
    glossed: dict[str, VocabularyTerm] = {}  # by the term in lower case
    # an image document's text is the transcript under the image, which it may do without
    bodies = {fm.level: _body(fm.level, body_text, body_line, shown, problems, glossed, note,
                              required=fm.image is None)}
    for extra in sorted(path.parent.glob(f"{doc_id}.*.md")):
        level = extra.name[len(doc_id) + 1 : -3]
        eshown = display_path(extra)
        if level == fm.level and unreadable(extra, folder) is None:
            problems.append(Problem(Location(eshown, 1, 1), f"{path.name} already holds the "
                                    f"'{level}' text (its level: is '{fm.level}')",
                                    f"remove one of the two, or change level: in {path.name}"))
            continue
        etext = read_lesson_file(extra, folder, problems)
        if etext is None:
            continue
        efm, ebody, eline = split_front_matter(etext)
        enote = note
        if efm:
            el = load_yaml(efm, eshown, problems)
            if el is not None:
                ev = validate_file(shapes.LevelFrontMatter, el, problems, empty_ok=True)
                if ev is not None and ev[0].level not in (None, level):
                    problems.append(Problem(el.at(("level",)),
                                            f"level '{ev[0].level}' does not match the file name",
                                            f"the file name says '{level}'"))
                if ev is not None and ev[0].adapted is not None:
                    enote = _note(ev[0].adapted)
        bodies[level] = _body(level, ebody, eline, eshown, problems, glossed, enote,
                              required=fm.image is None)
    return Document(
        id=doc_id,
        label=fm.label,
        title=fm.title,
        modified=fm.modified,
        dateline=fm.dateline,
        source=parse_inline(fm.source)[0],
        bodies=bodies,
        glossed=tuple(glossed.values()),
        origin=Location(shown, 1, 1),
        image=picture,
        image_file=fm.image,
    )


def _note(adapted: str | None) -> str | None:
    """The word printed after the title for a text adapted so (None: nothing)."""
    return None if adapted in (None, "original") else adapted


def _body(level: str, text: str, first: int, shown: str, problems: list[Problem],
          glossed: dict[str, VocabularyTerm], note: str | None, required: bool = True) -> Body:
    """One reading level's text; the terms it glosses inline are added to `glossed`.

    Not `required` (an image's transcript), it may be empty."""
    parsed = parse_body(text, first)
    for g in parsed.glosses:  # the first gloss of a term, whatever its case, as written
        glossed.setdefault(g.term.lower(), VocabularyTerm(
            g.term, g.gloss, origin=Location(shown, g.line, g.col), inline=True))
    for line, col, msg, hint in parsed.problems:
        problems.append(Problem(Location(shown, line, col), msg, hint))
    if not parsed.blocks and required:
        problems.append(Problem(Location(shown, first, 1), "the document has no text",
                                "write the text after the front matter"))
    for b in parsed.blocks:
        if len(b.text) > MAX_PARAGRAPH_CHARS:
            problems.append(Problem(Location(shown, b.line, b.col), f"a paragraph of "
                                    f"{len(b.text)} characters is too long (at most "
                                    f"{MAX_PARAGRAPH_CHARS})", "separate paragraphs with a "
                                    "blank line"))
    if len(parsed.blocks) > MAX_PARAGRAPHS:
        extra = parsed.blocks[MAX_PARAGRAPHS]
        problems.append(Problem(Location(shown, extra.line, extra.col),
                                f"the document has {len(parsed.blocks)} paragraphs, more than "
                                f"{MAX_PARAGRAPHS}", "a worksheet document is a few pages; "
                                "use a shorter excerpt"))
    return Body(level, parsed.blocks, Location(shown, first, 1), note)
