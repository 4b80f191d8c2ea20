"""The document-body mini-markup: plain text in, paragraphs of styled runs out.

Pure functions, no I/O. The markup (see docs/authoring.md) keeps the seed
texts' conventions: brackets and ellipses are plain text; `**term** (gloss)`
is a vocabulary gloss; `*text*` is emphasis; a trailing `{.role}` marks a
letter's salutation, closing or signature, a block quotation, a numbered section
or uncounted header lines; a line starting with `## ` is a heading inside the
document; a line ending in ` \\` keeps its line break. Every character of the
text survives except the markup itself.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

ROLES = ("text", "salutation", "closing", "signature", "header", "quote", "section", "heading")
# the roles a trailing `{.role}` sets; a heading is a line starting with `## `
MARKED = ("salutation", "closing", "signature", "header", "quote", "section")
# roles whose lines are not the document's counted text: not numbered, not cited by line
UNCOUNTED = ("header",)

_ROLE = re.compile(r"\{\.([A-Za-z-]+)\}\s*$")  # no leading \s*: it made long lines quadratic
# `## heading`; `#`, `###`, ... followed by a space are a Markdown habit, refused
_HEADING = re.compile(r"##(?:[ \t]|$)")
_OTHER_HEADING = re.compile(r"(?:#|#{3,6})[ \t]")
# the number that opens a numbered section: `SECTION 1.`, `SEC. 2.`, `Article IV.`, `3.`, `(a)`
_SECTION = re.compile(
    r"(?:(?:SECTION|Section|SEC\.|Sec\.|ARTICLE|Article|ART\.|Art\.|§)[ \t\u00a0]*)?"
    r"(?:(?:\d+[A-Za-z]?|[IVXLCDM]+|[A-Za-z])[.)]|\((?:\d+|[A-Za-z]|[ivxlcdm]+)\))(?=\s|$)"
)
# **term** optionally followed by " (gloss)"; *emphasis*. Each may hold the other
# (`**The *Maddox* Incident**`, `*USS **Maddox***`, `***both***`): a bold term ends at
# the first `**` not followed by a third star, and emphasis may hold `**bold**`.
_BOLD_IN = r"\*\*[^*\n]+?\*\*"
_INLINE = re.compile(
    r"\*\*(?P<term>[^\n]+?)\*\*(?!\*)(?P<gloss>[ \t]*\((?P<gtext>[^()\n]+)\))?"
    rf"|(?<![*\w])\*(?P<em>[^*\s](?:(?:[^*\n]|{_BOLD_IN})*?(?:[^*\s]|{_BOLD_IN}))?)"
    r"\*(?![*\w])"
)


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style. A run of "\\n" is a hard line break."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Gloss:
    """An inline vocabulary gloss, `**term** (gloss)`, at a 1-based line/column of the text."""

    term: str
    gloss: str
    line: int
    col: int


@dataclass(frozen=True)
class Block:
    """A paragraph with its role and the 1-based line where it starts."""

    runs: tuple[Run, ...]
    role: str = "text"
    line: int = 1
    col: int = 1

    @property
    def text(self) -> str:
        """The plain text of the paragraph."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Parsed:
    """A parsed body: its paragraphs, its glosses, and problems (line, col, message, hint)."""

    blocks: tuple[Block, ...]
    glosses: tuple[Gloss, ...]
    problems: tuple[tuple[int, int, str, str], ...]


def runs_tagged(runs: tuple[Run, ...], escape_text: Callable[[str], str], bold: str,
                italic: str) -> str:
    """Runs as tag markup (reportlab's or HTML's): each run's text through `escape_text`,
    inside `<bold>` and then `<italic>` tags as styled; a hard break as `<br/>`."""
    out = []
    for r in runs:
        if r.text == "\n":
            out.append("<br/>")
            continue
        t = escape_text(r.text)
        if r.bold:
            t = f"<{bold}>{t}</{bold}>"
        if r.italic:
            t = f"<{italic}>{t}</{italic}>"
        out.append(t)
    return "".join(out)


def escape(text: str) -> str:
    """`text` as printed (see `printable`), with &, < and > escaped for reportlab's
    paragraph markup."""
    return html.escape(printable(text), quote=False)


def printable(text: str) -> str:
    """Text as printed: accents composed (NFC), invisible characters dropped (a zero-width
    joiner would print as a dotted box, a zero-width space as a space)."""
    return unicodedata.normalize("NFC", text).translate(_UNPRINTED)


def parse_inline(text: str, line: int = 1, col: int = 1) -> tuple[tuple[Run, ...], list[Gloss]]:
    """Parse the inline markup of one piece of text (no paragraphs, no roles).

    `line` and `col` are where the text starts, to place the glosses.
    """
    runs, found = _inline(text)
    glosses = []
    for term, gloss, at in found:
        lines_before = text.count("\n", 0, at)
        c = at - (text.rfind("\n", 0, at) + 1)
        glosses.append(
            Gloss(term, gloss, line + lines_before, (col if lines_before == 0 else 1) + c)
        )
    return runs, glosses


def _inline(text: str) -> tuple[tuple[Run, ...], list[tuple[str, str, int]]]:
    """Runs, and each gloss as (term, gloss, offset of its `**` in text)."""
    runs: list[Run] = []
    glosses: list[tuple[str, str, int]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()]))
        if m.group("term") is not None:
            inner = _inline(m.group("term"))[0]  # italics inside bold
            runs.extend(Run(r.text, True, r.italic) for r in inner)
            term = plain(inner)
            if m.group("gloss"):
                runs.append(Run(m.group("gloss")))
                if not _is_label(text, m.start(), m.end(), term):
                    glosses.append((term.strip(), m.group("gtext").strip(), m.start()))
        else:
            runs.extend(Run(r.text, r.bold, True) for r in _inline(m.group("em"))[0])
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return _merge(runs), glosses


def _is_label(text: str, start: int, end: int, term: str) -> bool:
    """Whether a bold term with a parenthesis is a speaker's label with a stage direction
    (`**SENATOR GORE** (reading from the cable).`, `**MR. BALL:** (aside)` opening a line
    of a transcript), not a gloss: it starts its line, and the label or the parenthesis
    ends with a full stop or a colon."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and (
        term.rstrip().endswith((".", ":")) or text[end : end + 1] in (".", ":"))


def _unclosed_bold(text: str) -> int | None:
    """The offset of a `**` that opens bold text and is never closed, if any.

    Stars that stand apart (`2 ** 3`, `* * *`) are text; a `**` just before a
    word with no partner after it is a half-written gloss.
    """
    pos = 0
    for m in _INLINE.finditer(text):  # bold, or italics (which may hold whole bold text)
        hit = _OPEN_BOLD.search(text, pos, m.start())
        if hit:
            return hit.start()
        pos = m.end()
    hit = _OPEN_BOLD.search(text, pos)
    return hit.start() if hit else None


_OPEN_BOLD = re.compile(r"(?<![*\w])\*\*(?=[^\s*])")


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    out: list[Run] = []
    for r in runs:
        if out and (out[-1].bold, out[-1].italic) == (r.bold, r.italic) and "\n" not in (
            out[-1].text + r.text
        ):
            out[-1] = Run(out[-1].text + r.text, r.bold, r.italic)
        else:
            out.append(r)
    return tuple(out)


def section_label(text: str) -> str | None:
    """The number that opens a numbered section's text (`SECTION 1.`, `2.`, `(a)`), if any."""
    m = _SECTION.match(text)
    return m.group() if m else None


def parse_body(text: str, first_line: int = 1) -> Parsed:
    """Split a body into paragraphs at blank lines (and around `## ` headings) and parse
    each one."""
    blocks: list[Block] = []
    glosses: list[Gloss] = []
    problems: list[tuple[int, int, str, str]] = []
    para: list[str] = []
    start = first_line

    def flush(heading: bool = False) -> None:
        if not para:
            return
        role = "heading" if heading else "text"
        last = para[-1]
        m = _ROLE.search(last)
        if m:
            name = m.group(1)
            alone = not "".join(para[:-1]).strip() and not last[: m.start()].strip()
            at = (start + len(para) - 1, m.start(1) - 1)
            if heading:
                problems.append((*at, f"a heading takes no role: '{{.{name}}}'",
                                 "remove it; a heading is the line after '## '"))
            elif name in MARKED and alone:
                # a role marks the paragraph it ends; alone, it would vanish from the page
                problems.append((*at, f"'{{.{name}}}' marks no text",
                                 f"put it at the end of the paragraph it marks, as in "
                                 f"'{_EXAMPLES[name]} {{.{name}}}'"))
            elif name in MARKED:
                role = name
                para[-1] = last[: m.start()]
            elif name == "heading":
                problems.append((*at, "unknown paragraph role '{.heading}'",
                                 "start a heading's line with '## ', as in '## Article I'"))
            else:
                close = difflib.get_close_matches(name, MARKED, n=1)
                dym = f"did you mean {{.{close[0]}}}? " if close else ""
                problems.append((*at, f"unknown paragraph role '{{.{name}}}'",
                                 f"{dym}use {{.salutation}}, {{.closing}}, {{.signature}}, "
                                 "{.header}, {.quote} or {.section}"))
        pieces: list[str] = []
        starts: list[tuple[int, int, int]] = []  # (offset in joined, source line, column)
        offset = 0
        for i, ln in enumerate(para):
            s = ln.strip()
            starts.append((offset, start + i, 1 + len(ln) - len(ln.lstrip())))
            if i < len(para) - 1 and s.endswith("\\"):
                pieces.append(s[:-1].rstrip() + "\n")
            elif s.endswith("\\") and not s.endswith("\\\\"):
                # a break after the last line breaks nothing: it would print as typed
                pieces.append(s[:-1].rstrip() + " ")
            else:
                pieces.append(s + " ")
            offset += len(pieces[-1])
        joined = "".join(pieces).rstrip(" ")
        if heading and not joined:
            problems.append((start, starts[0][2] - 3, "'##' starts a heading but no text "
                             "follows", "write the heading after '## ', or remove the '##'"))
            return
        if role == "section" and section_label(joined) is None:
            problems.append((start, starts[0][2], "'{.section}' marks a numbered section, but "
                             "the paragraph does not start with its number",
                             "start it with the number, as in 'SECTION 1.', '2.' or '(a)'"))
        runs, found = _inline(joined)
        offsets = [p[0] for p in starts]  # a binary search: a paragraph may have many lines
        for term, gloss, at_ in found:
            o, ln_no, c = starts[bisect_right(offsets, at_) - 1]
            glosses.append(Gloss(term, gloss, ln_no, c + at_ - o))
        open_at = _unclosed_bold(joined)
        if open_at is not None:
            o, ln_no, c = starts[bisect_right(offsets, open_at) - 1]
            problems.append((ln_no, c + open_at - o, "'**' is not closed: bold text needs '**' on "
                             "both sides", "write **term** (gloss), or remove the stars"))
        # a hard break inside a run becomes its own run
        split: list[Run] = []
        for r in runs:
            parts = r.text.split("\n")
            for j, part in enumerate(parts):
                if j:
                    split.append(Run("\n"))
                if part:
                    split.append(Run(part, r.bold, r.italic))
        if split:
            col = starts[0][2] - (3 if heading else 0)  # a heading starts at its '##'
            blocks.append(Block(tuple(split), role, start, max(col, 1)))

    in_heading = False  # a heading line ending in '\\' goes on on the next line
    for i, ln in enumerate(text.split("\n")):
        stripped = ln.lstrip()
        if in_heading and ln.strip():
            para.append(ln)
            in_heading = ln.rstrip().endswith("\\")
            if not in_heading:
                flush(heading=True)
                para = []
        elif _HEADING.match(stripped):  # a heading is a paragraph of its own
            flush()
            start = first_line + i
            # the '##' becomes spaces, so columns (of glosses, of problems) stay right
            para = [ln[: len(ln) - len(stripped)] + "   " + stripped[3:]]
            in_heading = ln.rstrip().endswith("\\")
            if not in_heading:
                flush(heading=True)
                para = []
        elif ln.strip():
            if _OTHER_HEADING.match(stripped):
                hashes = stripped.split(None, 1)[0]
                problems.append((first_line + i, 1 + len(ln) - len(stripped),
                                 f"'{hashes}' does not start a heading",
                                 "a heading inside a document starts with '## ' (two "
                                 "hashes); to print the hashes, put them after other text"))
            if not para:
                start = first_line + i
            para.append(ln)
        else:
            flush(heading=in_heading)
            para, in_heading = [], False
    flush(heading=in_heading)
    return Parsed(tuple(blocks), tuple(glosses), tuple(problems))


_EXAMPLES = {"salutation": "Yours,", "closing": "Yours,", "signature": "Yours,",
             "header": "TO: THE PRESIDENT", "quote": "\u201cWe hold these truths . . .\u201d",
             "section": "SECTION 1. That the Congress . . ."}


def plain(runs: tuple[Run, ...]) -> str:
    """The text of runs, hard breaks as spaces."""
    return "".join(" " if r.text == "\n" else r.text for r in runs)


def plain_text(text: str) -> str:
    """A text field's words without its inline markup (`*Maddox*` -> `Maddox`): for PDF
    metadata, bookmarks, footers and anything else that takes no styles."""
    return plain(parse_inline(text)[0])


_ANY_ROLE = re.compile(r"\{\.([A-Za-z-]+)\}")


def inline_problems(text: str) -> list[tuple[int, str, str]]:
    """The markup mistakes of one text field, as (offset, message, hint): an unclosed `**`,
    and a document's paragraph markup (`{.quote}`, `## `), which would print as typed."""
    out = []
    at = _unclosed_bold(text)
    if at is not None:
        out.append((at, "'**' is not closed: bold text needs '**' on both sides",
                     "write **term** (gloss), or remove the stars"))
    for m in _ANY_ROLE.finditer(text):
        out.append((m.start(), f"'{m.group()}' marks a paragraph of a document's text; in "
                    "this field it would print as typed", "remove it"))
    stripped = text.lstrip()
    if _HEADING.match(stripped) or _OTHER_HEADING.match(stripped):
        hashes = stripped.split(None, 1)[0]
        out.append((len(text) - len(stripped), f"'{hashes}' starts a heading only in a "
                    "document's text; in this field it would print as typed",
                    "remove it"))
    return sorted(out)


# Characters that print as nothing (or as a box): named in messages, dropped in print.
INVISIBLE = {"\u00ad": "soft hyphen", "\u180e": "Mongolian vowel separator",
             "\u200b": "zero width space", "\u200c": "zero width non-joiner",
             "\u200d": "zero width joiner", "\u200e": "left-to-right mark",
             "\u200f": "right-to-left mark", "\u2060": "word joiner",
             "\u2061": "function application", "\u2062": "invisible times",
             "\u2063": "invisible separator", "\u2064": "invisible plus",
             "\ufeff": "zero width no-break space"}
# Characters a reader cannot tell apart on the page, folded alike for matching quotes
# and vocabulary: curly and straight quotes and apostrophes, the dashes (and `--`),
# no-break spaces; zero-width characters are dropped.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2033": '"', "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-",
    "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ",
    **dict.fromkeys(INVISIBLE),
})
_UNPRINTED = str.maketrans(dict.fromkeys(INVISIBLE))


def normalize_quote(text: str) -> str:
    """Text as a reader sees it, for matching: composed accents (NFC), quotes, apostrophes
    and dashes made plain, `--` as one dash, zero-width characters dropped, whitespace
    folded, case folded."""
    folded = unicodedata.normalize("NFC", text).translate(_FOLD).replace("--", "-")
    return " ".join(folded.split()).casefold()


def first_difference(quote: str, text: str) -> str | None:
    """Where a quote that is not in `text` parts from it, for a message: the longest start
    of the quote that is in the text, and the two characters that differ after it; None
    when not even the quote's first word is there."""
    q, t = normalize_quote(quote), normalize_quote(text)
    lo, hi = 0, len(q)
    while lo < hi:  # the longest prefix of q found in t
        mid = (lo + hi + 1) // 2
        if q[:mid] in t:
            lo = mid
        else:
            hi = mid - 1
    if lo < min(len(q), len(q.split(" ", 1)[0]) + 1) or lo >= len(q):
        return None
    got = t[t.index(q[:lo]) + lo : t.index(q[:lo]) + lo + 1]
    start = q[:lo][-30:]
    want = q[lo]
    if not got:
        return f"the text ends after \"{start}\""
    return (f"after \"{start}\" the text has {_char(got)} where the quote has {_char(want)}")


def _char(ch: str) -> str:
    name = unicodedata.name(ch, "")
    shown = f"'{ch}' " if ch.isprintable() and not ch.isspace() else ""
    return f"{shown}(U+{ord(ch):04X}{' ' + name if name else ''})"
