"""GIFT: a parser written from Moodle's GIFT rules reads every question back, specials intact."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from worksheets import export
from worksheets.digital.gift import escape

from .conftest import SPECIAL_CHOICE, SPECIAL_PROMPT

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "content" / "cuban-missile-crisis"


def unescape(text: str) -> str:
    """Moodle's reading of escapes: \\\\ is a backslash, \\x is x for x in ~=#{}:, \\n a break."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


@dataclass
class Parsed:
    title: str
    text: str
    answers: list[tuple[bool, str]] = field(default_factory=list)
    truth: bool | None = None
    feedback: str = ""
    description: bool = False


# one unescaped special character (an even run of backslashes before it)
def _unescaped(ch: str) -> str:
    return r"(?<!\\)(?:\\\\)*" + re.escape(ch)


def parse(gift: str) -> list[Parsed]:
    """Questions of a GIFT file, split at blank lines; comments and categories skipped."""
    out = []
    for chunk in re.split(r"\n\s*\n", gift):
        lines = [ln for ln in chunk.splitlines() if not ln.startswith(("//", "$CATEGORY"))]
        src = "\n".join(lines).strip()
        if not src:
            continue
        m = re.match(r"::((?:\\.|[^\\:])*)::", src)
        assert m, f"no title: {src[:60]!r}"
        title, rest = unescape(m.group(1)), src[m.end():]
        rest = rest.removeprefix("[html]")
        opens = [mm.end() - 1 for mm in re.finditer(_unescaped("{"), rest)]
        if not opens:
            out.append(Parsed(title, unescape(rest), description=True))
            continue
        assert len(opens) == 1, f"more than one answer block in {title}"
        body = rest[opens[0] + 1:]
        closes = [mm.end() - 1 for mm in re.finditer(_unescaped("}"), body)]
        assert len(closes) == 1 and not body[closes[0] + 1:].strip()
        q = Parsed(title, unescape(rest[: opens[0]]))
        answer = body[: closes[0]]
        fb = re.split(r"(?<!\\)####", answer, maxsplit=1)
        answer, q.feedback = fb[0], unescape(fb[1]) if len(fb) == 2 else ""
        answer = answer.strip()
        if answer in ("TRUE", "FALSE", "T", "F"):
            q.truth = answer.startswith("T")
        elif answer:
            for part in re.split(r"(?<!\\)(?=[=~])", answer):
                if part.strip():
                    q.answers.append((part[0] == "=", unescape(part[1:].strip())))
        out.append(q)
    return out


@given(st.text())
def test_escape_round_trips_any_text(text: str) -> None:
    escaped = escape(text)
    assert unescape(escaped) == text
    assert not re.search(r"(?<!\\)(?:\\\\)*[~=#{}:]", escaped.replace("\\\\", ""))
    assert "\n" not in escaped


def test_every_question_of_every_variant_round_trips(tmp_path: Path,
                                                     export_lesson: Path) -> None:
    written = export([LESSON, export_lesson], tmp_path, ["gift"], ["all"])
    assert [p.name for p in written] == [
        "cuban-missile-crisis-standard.gift.txt", "cuban-missile-crisis-supported.gift.txt",
        "cuban-missile-crisis-spanish.gift.txt", "exported-standard.gift.txt",
        "exported-helped.gift.txt"]
    from worksheets import load_lesson

    for path in written:
        lesson = load_lesson(LESSON if path.name.startswith("cuban") else export_lesson)
        variant = lesson.variants[path.name.split("-")[-1].split(".")[0]]
        parsed = parse(path.read_text(encoding="utf-8"))
        descriptions = [q for q in parsed if q.description]
        questions = [q for q in parsed if not q.description]
        asked = [q for q in lesson.questions if variant.shows(q)]
        assert [q.title for q in questions] == [f"Question {q.number}" for q in asked] + ["Claim"]
        assert [d.title.split(":")[0] for d in descriptions] == [
            d.label for d in lesson.documents if variant.shows_document(d.id)]
        for q, src in zip(questions, asked, strict=False):
            if src.kind == "choice":
                assert [a[0] for a in q.answers] == [
                    chr(65 + i) == src.answer for i in range(len(src.choices))]
                assert [a[1] for a in q.answers] == [
                    f"{chr(65 + i)}. {c}" for i, c in enumerate(src.choices)]
            elif src.kind == "true-false":
                assert q.truth is src.answer and not q.answers
            else:
                assert q.answers == [] and q.truth is None
                for lf in src.look_fors:
                    assert html.escape(lf, quote=False) in q.feedback


def test_special_characters_survive(tmp_path: Path, export_lesson: Path) -> None:
    (path,) = export([export_lesson], tmp_path, ["gift"])
    text = path.read_text(encoding="utf-8")
    assert r"what does \{trade\} mean\: peace \= trade \~ war \# 1 &amp; &lt;2&gt;?" in text
    q2 = next(q for q in parse(text) if q.title == "Question 2")
    assert html.unescape(q2.text).startswith(f"<p>{SPECIAL_PROMPT} <em>")
    assert q2.answers[0] == (False, f"A. {SPECIAL_CHOICE}")
    assert q2.answers[1] == (True, "B. Trade")
