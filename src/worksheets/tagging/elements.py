"""The logical structure tree (`Elem`), built in reading order while a story is composed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TAG_ATTR = "_pdfua_elem"  # a flowable's structure element, set by tag()
CANVAS_ATTR = "_pdfua_tagger"
STANDARD_ROLES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H "
    "H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note "
    "Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"
    .split())
KEEP_EMPTY = frozenset({"TH", "TD"})  # an empty cell still holds its place in the grid


class TaggingError(RuntimeError):
    """Content was marked in a way that cannot be tagged correctly."""


# --- the logical structure ----------------------------------------------------------


@dataclass(eq=False)
class Elem:
    """A structure element: a role, attributes and child elements in reading order."""

    role: str
    parent: Elem | None = None
    lang: str | None = None
    alt: str | None = None
    actual_text: str | None = None
    title: str | None = None
    scope: str | None = None  # TH only: "Column", "Row" or "Both"
    colspan: int = 1  # TH/TD: columns spanned
    kids: list[Elem] = field(default_factory=list)

    def add(self, role: str, *, lang: str | None = None, alt: str | None = None,
            actual_text: str | None = None, title: str | None = None,
            scope: str | None = None, colspan: int = 1) -> Elem:
        """A new child element, after the existing ones."""
        kid = Elem(role, self, lang=lang, alt=alt, actual_text=actual_text, title=title,
                   scope=scope, colspan=colspan)
        self.kids.append(kid)
        return kid


def tag(flowable: Any, elem: Elem | None) -> Any:
    """Mark a top-level flowable (and every part a split makes of it) as `elem`'s content.

    A `TaggedFrame` wraps its drawing in a marked-content sequence. Returns the flowable.
    """
    setattr(flowable, TAG_ATTR, elem)
    return flowable
