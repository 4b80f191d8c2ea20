"""A deliberately small reader of a lesson folder for the reference scripts (not the package).

It reads what the reference renderers need and nothing more: no validation,
no locations. Text comes back as a list of (text, bold, italic) runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

Run = tuple[str, bool, bool]

_CLASS = re.compile(r"\s*\{\.([a-z-]+)\}\s*$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def runs(text: str) -> list[Run]:
    """`**bold**` and `*italic*` into runs."""
    out: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False, False))
        out.append((m.group(1), True, False) if m.group(1) else (m.group(2), False, True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False, False))
    return out


def paragraphs(body: str) -> list[tuple[str, list[Run]]]:
    """(style, runs) per blank-line-separated paragraph; `{.closing}` sets the style."""
    out = []
    for block in re.split(r"\n\s*\n", body.strip()):
        text = " ".join(line.strip() for line in block.splitlines())
        m = _CLASS.search(text)
        style = m.group(1) if m else "body"
        out.append((style, runs(_CLASS.sub("", text))))
    return out


def _front(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        _, fm, body = text.split("---", 2)
        return yaml.safe_load(fm) or {}, body
    return {}, text


def load(folder: Path) -> dict[str, Any]:
    """The lesson as plain data."""
    lesson = yaml.safe_load((folder / "lesson.yaml").read_text(encoding="utf-8"))
    qs = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))["questions"]
    vocab_file = folder / "vocabulary.yaml"
    vocab = yaml.safe_load(vocab_file.read_text(encoding="utf-8"))["terms"] \
        if vocab_file.exists() else []
    docs = []
    for doc_id in lesson["documents"]:
        fm, body = _front(folder / "documents" / f"{doc_id}.md")
        bodies = {fm.get("level", "modified"): paragraphs(body)}
        for extra in sorted((folder / "documents").glob(f"{doc_id}.*.md")):
            efm, ebody = _front(extra)
            bodies[efm.get("level") or extra.name.split(".")[1]] = paragraphs(ebody)
        docs.append({"id": doc_id, **fm, "bodies": bodies})
    order = [d["id"] for d in docs]
    for n, q in enumerate(qs, 1):
        q["number"] = n
        q["doc"] = max(q["documents"], key=order.index)
        q.setdefault("placement", "before" if q["skill"] == "sourcing" else "after")
        q.setdefault("lines", 2 if q.get("kind") == "true-false" else 4)
    variants = lesson.get("variants") or {"standard": {"title": "Standard"}}
    return {
        "title": lesson["title"], "central": lesson["central_question"],
        "background": paragraphs(lesson["background"]), "attribution": lesson["attribution"],
        "documents": docs, "questions": qs, "organizer": lesson.get("organizer"),
        "claim": lesson.get("claim"), "variants": variants, "vocabulary": vocab,
    }


def variant(lesson: dict[str, Any], name: str) -> dict[str, Any]:
    """A variant's settings with defaults."""
    v = dict(lesson["variants"][name] or {})
    v.setdefault("reading_level", "modified")
    v.setdefault("scaffolds", [])
    return v
