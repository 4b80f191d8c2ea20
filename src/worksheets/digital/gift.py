"""GIFT: the questions for Moodle's question bank import (`.gift.txt`).

Each document's text is a description item before its questions; choice and
true/false questions carry the right answer, written ones are essays with the
key's look-fors as general feedback. GIFT's special characters are escaped
the way Moodle's own GIFT export does, so no text is lost.
"""

from __future__ import annotations

from ..markup import plain_text
from .assessment import Assessment, Item, text_html
from .qti import stimulus_html

SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """`text` safe anywhere in GIFT: backslash first, then ~ = # { } :, then line breaks."""
    out = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def gift(a: Assessment, category: str) -> str:
    """The GIFT text of the assessment, in category `category` (a path of ids)."""
    out = [f"// {a.title}", f"$CATEGORY: $course$/{category}", ""]
    for group in a.groups:
        if group.stimulus is not None:
            s = group.stimulus
            out += [f"// {s.title}",
                    f"::{escape(s.title)}::[html]{escape(stimulus_html(s))}", ""]
        for it in group.items:
            out += [f"// {it.title} ({it.ident.removeprefix('q-')})", _question(it), ""]
    return "\n".join(out)


def _question(it: Item) -> str:
    head = f"::{escape(it.title)}::[html]{escape(it.html)}"
    feedback = f"####{escape(_notes(it))}" if it.notes else ""
    if it.kind == "true-false":
        right = next(c for c in it.choices if c.correct)
        return f"{head}{{{'TRUE' if right.ident == 'true' else 'FALSE'}{feedback}}}"
    if it.kind == "choice":
        lines = [f"\t{'=' if c.correct else '~'}{escape(plain_text(f'{c.ident}. {c.text}'))}"
                 for c in it.choices]
        return "\n".join([head + "{", *lines, *([f"\t{feedback}"] if feedback else []), "}"])
    return f"{head}{{{feedback}}}"


def _notes(it: Item) -> str:
    return "<br/>".join(text_html(n) for n in it.notes)
