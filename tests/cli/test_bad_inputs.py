"""Hostile and broken input through `worksheets build`: every row of bad-inputs.md, sections 1-8.

The catalogue is ../shared/tools/bad-inputs.md. For an input error the build
must exit 1, print the exact `path:line:col: message (hint)` line(s), never a
traceback, and leave no output (no PDF, no report, no temp `.part` file). For
text that is legal but awkward it must succeed, print every piece of that text
literally and in order, pass ../shared/tools/pdfcheck, and contain no link or
image. Rows already asserted through the library in test_load.py are checked
here once more at the command line, compactly. Line numbers refer to the
default texts in conftest.py; every test runs in tmp_path, so paths start
with `lesson/`.
"""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from pypdf import PdfReader

from tests.conftest import (
    DEFAULT_FILES,
    DOCUMENT_A,
    DOCUMENT_B,
    LESSON_YAML,
    QUESTIONS_YAML,
    VOCABULARY_YAML,
    LessonDir,
    edit,
)
from tests.pdfutil import body_text, norm, pages_text, pdfcheck
from worksheets.cli import main
from worksheets.load.layout import BUNDLED

Files = Mapping[str, str | bytes | None]


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test here runs in its temporary folder."""


def q_edit(old: str, new: str) -> dict[str, str | bytes | None]:
    return {"questions.yaml": edit(QUESTIONS_YAML, old, new)}


def l_edit(old: str, new: str) -> dict[str, str | bytes | None]:
    return {"lesson.yaml": edit(LESSON_YAML, old, new)}


def a_edit(old: str, new: str) -> dict[str, str | bytes | None]:
    return {"documents/A.md": edit(DOCUMENT_A, old, new)}


def b_edit(old: str, new: str) -> dict[str, str | bytes | None]:
    return {"documents/B.md": edit(DOCUMENT_B, old, new)}


PROMPT = 'prompt: "Who wrote Document A, and when?"'  # questions.yaml line 7, value at col 13
B_BODY = "We want *trade* first [and then peace]."  # documents/B.md line 6
STANDARD = '    title: "Standard"'  # lesson.yaml line 34


def build(folder: Path, *args: str) -> Result:
    """`worksheets build FOLDER -o out -q ARGS`; it must never end in a traceback."""
    r = CliRunner().invoke(main, ["build", os.path.relpath(folder), "-o", "out", "-q", *args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exc_info
    assert "Traceback" not in r.stdout + r.stderr
    return r


def assert_no_output(out: Path = Path("out"), keep: tuple[str, ...] = ()) -> None:
    """Nothing in the output folder but `keep`: no PDF, no report, no temp `.part` file."""
    if out.exists():
        assert sorted(p.name for p in out.rglob("*")) == sorted(keep)


def refused(r: Result) -> list[str]:
    """The problem lines of a build refused for its content, after checking the rest."""
    assert r.exit_code == 1, r.stdout + r.stderr
    lines = r.stderr.splitlines()
    n = len(lines) - 1
    assert n >= 1 and lines[-1] == f"{n} problem{'s' if n != 1 else ''} found; nothing was written."
    assert r.stdout == ""
    assert_no_output()
    return lines[:-1]


def output_error(r: Result) -> str:
    """The one message of a build refused because of where it would write."""
    assert r.exit_code == 1, r.stdout + r.stderr
    (line,) = r.stderr.splitlines()
    return line


def built(r: Result) -> list[Path]:
    assert r.exit_code == 0, r.stderr
    assert not [p for p in Path("out").iterdir() if p.name.startswith(".")]
    return sorted(Path("out").glob("*.pdf"))


# --- sections 1-3: malformed YAML, wrong types and keys, resource attacks ----------------------

LAUGHS = "a0: &a0 [lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
) + "questions: *a9\n"


def _quote_hint(what: str) -> str:
    return f"(YAML reads this as {what}; put it in quotes: "


CATALOGUE = [
    # 1. malformed YAML
    pytest.param(
        l_edit('title: "A Small Test Lesson"', 'title: "A Small Test Lesson'),
        "lesson/lesson.yaml:1:8: YAML syntax error: the quote opened here is closed only on "
        "line 2 (close the quote on this line)",
        id="1-unclosed-quote",
    ),
    pytest.param(
        l_edit(STANDARD, '    title: "Standard'),
        "lesson/lesson.yaml:34:12: YAML syntax error: the quote opened here is never closed "
        "(close the quote)",
        id="1-unclosed-quote-at-end-of-file",
    ),
    pytest.param(
        q_edit("\n    skill: sourcing", "\n\tskill: sourcing"),
        "lesson/questions.yaml:4:1: YAML syntax error: found character '\\t' that cannot start "
        "any token (indent with spaces, not tabs)",
        id="1-tab-indent",
    ),
    pytest.param(
        q_edit(PROMPT, "prompt: Note: what is erosion?"),
        "lesson/questions.yaml:7:17: YAML syntax error: mapping values are not allowed here "
        "(put the text in quotes when it contains ': ')",
        id="1-colon-space-in-value",
    ),
    pytest.param(
        q_edit("documents: [A]", "documents: [A"),
        "lesson/questions.yaml:4:10: YAML syntax error: expected ',' or ']', but got ':'; the "
        "list starts on line 3 (close the list with ']')",
        id="1-unclosed-flow-list-names-both-lines",
    ),
    pytest.param(
        l_edit('  title: "Two Sides"', '    title: "Two Sides"'),
        "lesson/lesson.yaml:11:3: YAML syntax error: the indentation of this line does not "
        "match the lines before it; the mapping starts on line 1 "
        "(check the indentation of this line)",
        id="1-bad-indentation",
    ),
    pytest.param(
        {"questions.yaml": QUESTIONS_YAML + "---\nquestions: []\n"},
        "lesson/questions.yaml:23:1: YAML syntax error: a second YAML document starts here "
        "(remove the '---' line: one file holds one YAML document)",
        id="1-two-documents",
    ),
    pytest.param(
        {"questions.yaml": ""},
        "lesson/questions.yaml:1:1: file is empty (expected keys: questions)",
        id="1-empty-file",
    ),
    pytest.param(
        {"questions.yaml": "# nothing yet\n# still nothing\n"},
        "lesson/questions.yaml:1:1: file is empty (expected keys: questions)",
        id="1-only-comments",
    ),
    pytest.param(
        {"questions.yaml": "- id: a\n- id: b\n"},
        "lesson/questions.yaml:1:1: expected a mapping of keys, got a list "
        "(expected keys: questions)",
        id="1-top-level-list",
    ),
    pytest.param(
        q_edit("Who wrote", "Who\x00 wrote"),
        "lesson/questions.yaml:7:17: a control character U+0000 is not allowed "
        "(delete it; it is invisible and would print as a blank box)",
        id="1-nul-byte",
    ),
    pytest.param(
        b_edit("We want", "We\x1b want"),
        "lesson/documents/B.md:6:3: a control character U+001B is not allowed "
        "(delete it; it is invisible and would print as a blank box)",
        id="1-control-byte-in-a-document",
    ),
    pytest.param(
        {"questions.yaml": edit(QUESTIONS_YAML, "Who wrote Document", "Who wrote Documént")
         .encode("latin-1")},
        "lesson/questions.yaml:7:29: the file is not UTF-8: byte 0xE9 is not valid UTF-8 text "
        "(save the file with the encoding UTF-8)",
        id="1-latin-1",
    ),
    pytest.param(
        {"documents/B.md": edit(DOCUMENT_B, "We want", "We \u201cwant\u201d").encode("cp1252")},
        "lesson/documents/B.md:6:4: the file is not UTF-8: byte 0x93 is not valid UTF-8 text "
        "(save the file with the encoding UTF-8)",
        id="1-windows-1252",
    ),
    *[
        pytest.param(
            q_edit(PROMPT, f"prompt: {value}"),
            f"lesson/questions.yaml:7:13: YAML syntax error: found character '{value[0]}' that "
            "cannot start any token (put the text in quotes)",
            id=f"1-{name}",
        )
        for name, value in (("at-sign", "@home"), ("backtick", "`x`"), ("percent", "%d"))
    ],
    *[
        pytest.param(
            q_edit(PROMPT, f"prompt: {value}"),
            "lesson/questions.yaml:7:14: YAML syntax error: expected alphabetic or numeric "
            "character, but found ' ' (put the text in quotes; a value that starts with '*' or "
            "'&' means something else)",
            id=f"1-{name}",
        )
        for name, value in (("star", "* star"), ("ampersand", "& amp"))
    ],
    pytest.param(
        q_edit(PROMPT, "prompt: ="),
        "lesson/questions.yaml:7:13: questions[0].prompt: '=' cannot stand alone as a YAML "
        'value (put it in quotes: "=")',
        id="1-equals-sign",
    ),
    pytest.param(
        {"questions.yaml": "x: " + "[" * 600 + "\n"},
        "lesson/questions.yaml:1:53: YAML syntax error: nested more than 50 levels deep "
        "(a lesson file needs only a few levels)",
        id="1-600-nested-brackets",
    ),
    # 2. wrong types, missing fields, unknown and duplicate keys
    pytest.param(
        {"questions.yaml": "questions: What is erosion?\n"},
        "lesson/questions.yaml:1:12: questions: expected a list, got text "
        "(write one '- item' per line, or [a, b])",
        id="2-string-for-list",
    ),
    *[
        pytest.param(
            q_edit(PROMPT, f"prompt: {v}"),
            f"lesson/questions.yaml:7:13: questions[0].prompt: expected text, got the yes/no "
            f"value '{v}' (put it in quotes: \"{v}\")",
            id=f"2-{v}",
        )
        for v in ("no", "ON", "off")
    ],
    pytest.param(
        q_edit('answer: "B"', "answer: no"),
        "lesson/questions.yaml:15:13: questions[1].answer: expected a choice letter, got the "
        "yes/no value 'no' (write the letter in quotes, such as \"B\")",
        id="2-choice-answer-no",
    ),
    *[
        pytest.param(
            q_edit(PROMPT, f"prompt: {v}"),
            f"lesson/questions.yaml:7:13: questions[0].prompt: expected text, got {what} "
            f"'{v}' {_quote_hint(what)}\"{v}\")",
            id=f"2-{v}",
        )
        for v, what in (("02134", "a number"), ("12:30", "a number"), ("1:2:3", "a number"),
                        ("1.10", "a number"), ("2024-01-05", "a date"))
    ],
    *[
        pytest.param(
            q_edit("lines: 3", f"lines: {v}"),
            f"lesson/questions.yaml:6:12: questions[0].lines: {msg} "
            "(write a whole number from 0 to 30)",
            id=f"2-lines-{v}",
        )
        for v, msg in (("1e9", "expected a whole number, got text '1e9'"),
                       (".inf", "expected a whole number, got '.inf'"),
                       (".nan", "expected a whole number, got '.nan'"),
                       ("100000000", "100000000 is out of range"))
    ],
    pytest.param(
        q_edit(PROMPT, "prompt: #hashtag"),
        "lesson/questions.yaml:7:5: questions[0].prompt is empty "
        "(YAML reads text after ' #' as a comment; put the text in quotes)",
        id="2-hashtag",
    ),
    *[
        pytest.param(
            q_edit(PROMPT, f"prompt:{v}"),
            "lesson/questions.yaml:7:5: questions[0].prompt is empty (write the text)",
            id=f"2-empty-{name}",
        )
        for name, v in (("nothing", ""), ("folded", " >"), ("literal", " |"))
    ],
    pytest.param(
        q_edit(PROMPT, "prompt: {a}"),
        "lesson/questions.yaml:7:13: questions[0].prompt: expected text, got a mapping "
        "(write plain text)",
        id="2-flow-mapping-for-text",
    ),
    pytest.param(
        {"vocabulary.yaml": "off: x\n" + VOCABULARY_YAML},
        "lesson/vocabulary.yaml:1:1: unknown key 'off' (expected one of: terms)",
        id="2-boolean-key-printed-readably",
    ),
    pytest.param(
        l_edit("claim:", "? [a, b]\n: 1\nclaim:"),
        "lesson/lesson.yaml:28:3: a key must be plain text (use a simple name)",
        id="2-complex-key",
    ),
    pytest.param(
        l_edit('title: "A Small Test Lesson"\n', ""),
        "lesson/lesson.yaml:1:1: missing required field 'title' (add 'title:')",
        id="2-missing-title",
    ),
    pytest.param(
        {"questions.yaml": "# no questions yet\n"},
        "lesson/questions.yaml:1:1: file is empty (expected keys: questions)",
        id="2-missing-questions",
    ),
    pytest.param(
        {"questions.yaml": "questions: []\n"},
        "lesson/questions.yaml:1:12: questions: needs at least 1 item (add the missing items)",
        id="2-no-questions",
    ),
    pytest.param(
        l_edit('variants:\n  standard:\n    title: "Standard"\n', "variants: {}\n"),
        "lesson/lesson.yaml:32:1: variants: there is no 'standard' variant "
        "(add 'standard:'; it is the variant built by default)",
        id="2-zero-variants",
    ),
    pytest.param(
        q_edit("questions:", "qeustions:"),
        "lesson/questions.yaml:1:1: unknown key 'qeustions' (did you mean 'questions'?)",
        id="2-typo-qeustions",
    ),
    pytest.param(
        q_edit('answer: "B"', 'answr: "B"'),
        "lesson/questions.yaml:15:5: questions[1]: unknown key 'answr' (did you mean 'answer'?)",
        id="2-typo-answr",
    ),
    pytest.param(
        l_edit("central_question:", 'title: "Another"\ncentral_question:'),
        "lesson/lesson.yaml:2:1: key 'title' appears twice, on lines 1 and 2 "
        "(remove one of them; YAML would silently keep only the last)",
        id="2-duplicate-key",
    ),
    pytest.param(
        q_edit("    kind: choice\n", "    kind: choice\n    kind: written\n"),
        "lesson/questions.yaml:13:5: questions[1]: key 'kind' appears twice, on lines 12 and 13 "
        "(remove one of them; YAML would silently keep only the last)",
        id="2-duplicate-key-in-a-question",
    ),
    *[
        pytest.param(
            q_edit('"Who wrote', f'"Who {esc} wrote'),
            f"lesson/questions.yaml:7:13: questions[0].prompt: {what} is not allowed "
            "(remove the escape sequence, such as \\a or \\u202e, from the quoted text)",
            id=f"2-escape-{esc[1:]}",
        )
        for esc, what in (("\\a", "a control character U+0007"),
                          ("\\0", "a control character U+0000"),
                          ("\\e", "a control character U+001B"),
                          ("\\u202e", "a right-to-left control character U+202E"))
    ],
    # 3. resource attacks and code execution
    pytest.param(
        {"questions.yaml": LAUGHS},
        "lesson/questions.yaml:2:10: YAML syntax error: aliases (*name) are not allowed "
        "(write the value out in full)",
        id="3-billion-laughs",
    ),
    pytest.param(
        {"questions.yaml": "questions: &x [1, *x]\n"},
        "lesson/questions.yaml:1:19: YAML syntax error: aliases (*name) are not allowed "
        "(write the value out in full)",
        id="3-recursive-alias",
    ),
    *[
        pytest.param(
            q_edit(PROMPT, f"prompt: {value}"),
            f"lesson/questions.yaml:7:13: questions[0].prompt: the YAML tag '{tag}' is not "
            "allowed (remove the tag; write plain text, numbers, lists and keys)",
            id=f"3-tag-{tag.strip('!').split(':')[0].replace('/', '-')}",
        )
        for value, tag in (
            ('!!python/object/apply:os.system ["echo pwned"]', "!!python/object/apply:os.system"),
            ("!!python/name:os.system", "!!python/name:os.system"),
            ("!include other.yaml", "!include"),
        )
    ],
    pytest.param(
        {"questions.yaml": QUESTIONS_YAML + "#" + "x" * 1_100_000 + "\n"},
        "lesson/questions.yaml:1:1: file is larger than 1 MB "
        "(split it into smaller files; a lesson file is normally a few KB)",
        id="3-file-over-1-mb",
    ),
    pytest.param(
        q_edit(PROMPT, 'prompt: "' + "word " * 2100 + '"'),
        "lesson/questions.yaml:7:13: questions[0].prompt is too long: 10500 characters "
        "(at most 5000 characters)",
        id="3-field-too-long",
    ),
]


@pytest.mark.parametrize(("files", "message"), CATALOGUE)
def test_catalogue_rows_are_refused_at_the_command_line(
    lesson_dir: LessonDir, files: Files, message: str
) -> None:
    assert refused(build(lesson_dir(files))) == [message]


def test_no_traceback_even_under_python_m(lesson_dir: LessonDir) -> None:
    # The real entry point, in a fresh interpreter: the recursion guard and the
    # messages do not depend on the test runner.
    folder = lesson_dir({"questions.yaml": "x: " + "[" * 600 + "\n"})
    r = subprocess.run([sys.executable, "-m", "worksheets", "build", "lesson", "-o", "out"],
                       capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout) == (1, "")
    assert "Traceback" not in r.stderr
    assert r.stderr.splitlines()[0].startswith("lesson/questions.yaml:1:53: ")
    assert folder.exists() and not Path("out").exists()


def test_several_problems_are_reported_in_one_run(lesson_dir: LessonDir) -> None:
    files: dict[str, str | bytes | None] = {
        **q_edit("lines: 3", "lines: two"),
        **l_edit('grade_band: "9-12"', "grade_band: 9"),
        **b_edit("title:", "titel:"),
    }
    assert refused(build(lesson_dir(files))) == [
        "lesson/documents/B.md:3:1: unknown key 'titel' (did you mean 'title'?)",
        "lesson/lesson.yaml:3:13: grade_band: expected text, got a number '9' "
        '(YAML reads this as a number; put it in quotes: "9")',
        "lesson/questions.yaml:6:12: questions[0].lines: expected a whole number, got text "
        "'two' (write a whole number from 0 to 30)",
    ]


def test_byte_order_mark_is_accepted(lesson_dir: LessonDir) -> None:
    files: dict[str, str | bytes | None] = {
        name: "\ufeff" + text for name, text in DEFAULT_FILES.items() if text is not None
    }
    (student, _key) = reversed(built(build(lesson_dir(files))))
    assert "Who wrote Document A, and when?" in norm(" ".join(pages_text(student)))


def test_text_after_a_comment_mark_is_dropped_as_documented(lesson_dir: LessonDir) -> None:
    # Unavoidable in YAML: `a #comment` is the text "a" (docs/authoring.md, "Writing YAML
    # safely", says to quote such text).
    pdfs = built(build(lesson_dir(q_edit(PROMPT, "prompt: Who wrote it? #sourcing"))))
    text = norm(" ".join(pages_text(pdfs[-1])))
    assert "Who wrote it?" in text and "#sourcing" not in text


def test_a_poem_keeps_its_line_breaks(lesson_dir: LessonDir) -> None:
    # In a document, a line ending in ` \` keeps its break; in a question (one paragraph,
    # by design) the lines of a `|` block are joined, and none of their words is lost.
    poem = "The first line, \\\nthe second line, \\\nand the third."
    files = {**b_edit(B_BODY, poem),
             **q_edit(PROMPT, "prompt: |\n      Who wrote it,\n      and when?\n")}
    pdfs = built(build(lesson_dir(files)))
    lines = [norm(x) for x in pages_text(pdfs[-1])[0].splitlines()]
    i = lines.index("The first line,")
    assert lines[i : i + 3] == ["The first line,", "the second line,", "and the third."]
    assert "1. Who wrote it, and when?" in norm(" ".join(pages_text(pdfs[-1])))


# --- sections 4-6: long, tall and awkward text that is legal ------------------------------

LONG_WORD = ("Antidisestablishmentarianism" * 11)[:300]  # 300 characters, no space
SECTION_6 = [
    "Is 3 < 5 and 7 > 2?",
    "Q&A about R&D",
    "AT&T",
    "&nbsp; &copy; Tom &amp Jerry",
    "<b>bold without end",
    '<font name="NoSuchFont">x</font>',
    "line1<br/>line2<para>nested</para>",
    '<font size="60" color="red">HUGE</font>',
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="file:///etc/passwd">a file</a>',
    '<img src="../../../../../etc/hostname"/>',
    '<img src="http://127.0.0.1:9/x.png"/>',
]
SECTION_5 = [
    "\u201csmart quotes\u201d \u2018single\u2019 \u2014 em \u2013 en \u2026 \u2022 \u20ac "
    "\u2122 \u00e9 \u00f1 \u00fc \u00bd \u00b0 \u00d7",
    "\u03c0 \u00b1 \u00b5 \u00a7 \u00b6 \u00a9 \u00ae",
    "Greek: \u0391\u03b8\u03ae\u03bd\u03b1, \u03a3\u03c0\u03ac\u03c1\u03c4\u03b7, "
    "\u1f08\u03b8\u1fc6\u03bd\u03b1\u03b9",
    "Cyrillic: \u041c\u043e\u0441\u043a\u0432\u0430, "
    "\u0425\u0440\u0443\u0449\u0451\u0432",
    "Latin Extended: \u0141\u00f3d\u017a, \u0106ma, \u0151 \u0171 \u011f \u015f \u0105 \u0119 "
    "\u0142 \u0111 \u021b",
    "hyphens \u2011 \u2010 and ligature \ufb01",
]


def squash(text: str) -> str:
    """Text without any whitespace: a word split over lines still matches."""
    return re.sub(r"\s+", "", text)


def _unhyphenate(text: str) -> str:
    """Text with the hyphens that end a line inside a word taken out (narrow cells
    break a word wider than the column at a syllable, with a hyphen)."""
    return re.sub(r"(?<=\w)-\s+(?=\w)", "", text)


def assert_in_order_squashed(text: str, phrases: list[str]) -> None:
    hay, pos = squash(_unhyphenate(text)), 0
    for ph in phrases:
        want = squash(_unhyphenate(ph))
        i = hay.find(want, pos)
        assert i >= 0, f"missing or out of order: {ph[:80]!r}"
        pos = i + len(want)


def no_links_or_images(pdf: Path) -> None:
    for page in PdfReader(pdf).pages:
        assert "/Annots" not in page
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        assert not [k for k, v in xobjects.items() if v.get_object().get("/Subtype") == "/Image"]
    assert b"/URI" not in pdf.read_bytes() and b"/Launch" not in pdf.read_bytes()


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


def document(front: dict[str, object], paragraphs: list[str]) -> str:
    return "---\n" + dump(front) + "---\n" + "\n\n".join(paragraphs) + "\n"


def awkward_lesson(tripwire: Path) -> tuple[dict[str, str | bytes | None], dict[str, list[str]]]:
    """A lesson with awkward text in every field, and the phrases each PDF must show in order."""
    six = [*SECTION_6, f'<img src="{tripwire}"/>']
    lesson = {
        "title": "Q&A about R&D: <b>AT&T</b> & \u0391\u03b8\u03ae\u03bd\u03b1",
        "central_question": "Is 3 < 5 & 7 > 2? " + SECTION_6[7],
        "grade_band": "9-12",
        "background": "\n\n".join(six[:6]),
        "documents": ["A", "B"],
        "organizer": {
            "title": "&nbsp; <u>Organizer</u>",
            "instructions": "Use <b>A</b> & <i>B</i>: " + SECTION_6[9],
            "corner": "Q&A <br/>",
            "columns": [
                {"id": "first", "heading": "<para>First</para> & A", "documents": ["A"]},
                {"id": "second", "heading": "AT&T " + SECTION_5[3], "documents": ["B"]},
            ],
            "rows": [{
                "id": "wants",
                "prompt": "<script>x</script> wants?",
                "answers": {"first": LONG_WORD, "second": "&copy; Tom &amp Jerry"},
                "given": {"first": SECTION_6[10]},
                "translations": {"es": "\u00bfQu\u00e9 <b>quiere</b>?"},
            }],
        },
        "claim": {
            "prompt": "Claim: " + SECTION_6[4],
            "look_fors": ["Claim look-for " + SECTION_6[3]],
            "starter": "Claim starter &amp; " + SECTION_5[2],
            "hint": "Claim hint " + SECTION_6[5],
        },
        "attribution": "Written by AT&T's <a href=\"file:///etc/passwd\">R&D</a> & co.",
        "variants": {
            "standard": {"title": "Standard"},
            "all": {"title": "<b>All</b> & more", "description": "Q&A",
                    "scaffolds": ["starters", "hints", "word_bank", "organizer_hints"],
                    "language": "es"},
        },
    }
    questions: dict[str, list[dict[str, Any]]] = {"questions": [
        {"id": "a-source", "documents": ["A"], "skill": "sourcing", "lines": 2,
         "prompt": "Who wrote A? " + SECTION_6[0] + " " + SECTION_6[1],
         "look_fors": ["Look-for " + SECTION_6[2], LONG_WORD],
         "starter": "Starter " + SECTION_6[8], "hint": "Hint " + SECTION_5[0]},
        {"id": "b-choice", "documents": ["B"], "skill": "close-reading", "kind": "choice",
         "prompt": "Choose: " + SECTION_6[6],
         "choices": [LONG_WORD, "Choice " + SECTION_6[11], "Choice " + SECTION_5[4]],
         "answer": "B"},
        {"id": "ab-true", "documents": ["A", "B"], "skill": "corroboration",
         "kind": "true-false", "prompt": "True? " + SECTION_6[12], "answer": False,
         "look_fors": ["False: " + SECTION_5[1]]},
    ]}
    vocabulary = {"terms": [{"term": "treaty", "definition": "a <b>written</b> & signed deal",
                             "translations": {"es": "tratado <i>&amp;</i>"}}]}
    body_a = [*six, LONG_WORD, "A **treaty** (agreement & <b>deal</b>) was signed."]
    body_b = [*SECTION_5, "Sign the treaty &lt; now."]
    doc_a = {"label": "Document A", "title": "<img src=\"/etc/hostname\"/> & a letter",
             "modified": True, "dateline": "Moscow \u2014 27 Oct. 1962 <br/>",
             "source": "Source: " + SECTION_6[9] + " Q&A;"}
    doc_b: dict[str, object] = {"label": "Document B", "title": SECTION_5[2],
                                "source": "Source: " + SECTION_5[3]}
    files: dict[str, str | bytes | None] = {
        "lesson.yaml": dump(lesson), "questions.yaml": dump(questions),
        "vocabulary.yaml": dump(vocabulary),
        "documents/A.md": document(doc_a, body_a), "documents/B.md": document(doc_b, body_b),
    }
    org = lesson["organizer"]
    assert isinstance(org, dict)
    claim = lesson["claim"]
    assert isinstance(claim, dict)
    q1, q2, q3 = questions["questions"]
    student = [
        str(lesson["title"]), str(lesson["central_question"]), *six[:6],
        "Word bank / Banco de palabras: treaty",
        f"{doc_a['label']}: {doc_a['title']} (Modified / Modificado)", str(doc_a["dateline"]),
        "Before you read / Antes de leer", str(q1["prompt"]), "Hint / Pista: " + str(q1["hint"]),
        "Sentence starter / Para empezar: " + str(q1["starter"]),
        *six, LONG_WORD, "A treaty (agreement & <b>deal</b>) was signed.",
        str(doc_a["source"]), "treaty", "a <b>written</b> & signed deal", "tratado <i>&amp;</i>",
        f"{doc_b['label']}: {doc_b['title']}", *body_b, str(doc_b["source"]),
        str(q2["prompt"]), *[f"{'ABC'[i]}. {c}" for i, c in enumerate(q2["choices"])],
        str(q3["prompt"]),
        str(org["title"]), str(org["instructions"]), str(org["corner"]),
        "<para>First</para> & A", "AT&T " + SECTION_5[3],
        "<script>x</script> wants? / \u00bfQu\u00e9 <b>quiere</b>?", SECTION_6[10],
        str(claim["prompt"]), "Claim hint " + SECTION_6[5], str(claim["starter"]),
    ]
    key = [
        str(q1["prompt"]), "Look-for " + SECTION_6[2], LONG_WORD, str(q2["prompt"]),
        f"B. Choice {SECTION_6[11]}", str(q3["prompt"]), "False: " + SECTION_5[1],
        LONG_WORD, "&copy; Tom &amp Jerry", str(claim["prompt"]), "Claim look-for " + SECTION_6[3],
    ]
    return files, {"student": student, "key": key, "footer": [str(lesson["title"]),
                                                              str(lesson["attribution"])]}


def test_awkward_text_prints_literally_in_every_field(
    lesson_dir: LessonDir, tmp_path: Path
) -> None:
    # A real image on disk: if any text were read as <img>, it would be embedded.
    tripwire = tmp_path / "tripwire.png"
    from PIL import Image

    Image.new("RGB", (300, 300), "red").save(tripwire)
    files, expect = awkward_lesson(tripwire)
    pdfs = built(build(lesson_dir(files), "--variant", "all"))
    assert [p.name for p in pdfs] == sorted(
        [f"lesson-{v}-letter-{e}.pdf" for v in ("all", "standard") for e in ("key", "student")]
        + ["lesson-master-letter.pdf"])
    title, attribution = expect["footer"]
    for edition in ("student", "key"):
        pdf = Path("out") / f"lesson-all-letter-{edition}.pdf"
        text = body_text(pdf, title, attribution)
        assert_in_order_squashed(text, expect[edition])
    for pdf in pdfs:
        no_links_or_images(pdf)
        pages = pages_text(pdf)
        assert all(title in p and attribution in p for p in pages)  # the footer, every page
    code, report = pdfcheck([Path("out") / "lesson-all-letter-student.pdf",
                             Path("out") / "lesson-all-letter-key.pdf",
                             Path("out") / "lesson-master-letter.pdf"])
    assert code == 0, report


def test_a_long_word_wraps_inside_the_margins(lesson_dir: LessonDir) -> None:
    files = {**b_edit(B_BODY, f"Before {LONG_WORD} after."),
             **l_edit('first: "Peace."', f'first: "{LONG_WORD}"')}
    pdfs = built(build(lesson_dir(files)))
    for pdf in pdfs:
        assert_in_order_squashed(" ".join(pages_text(pdf)), ["Before", LONG_WORD, "after."])
    code, report = pdfcheck(pdfs)
    assert code == 0, report


def _words(n: int, tag: str) -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


def test_tall_content_splits_across_pages(lesson_dir: LessonDir) -> None:
    # A 20-page document, a prompt near the length limit, answers in the key longer than a
    # page, and an organizer cell taller than a page: all printed, nothing lost.
    paragraphs = [f"Paragraph {i}: " + _words(110, f"p{i}w") for i in range(140)]
    prompt = ("Prompt " + _words(700, "q"))[:5000]
    look_fors = [("Look " + _words(700, f"l{j}x"))[:5000] for j in range(3)]
    cell = ("Cell " + _words(700, "c"))[:5000]
    files: dict[str, str | bytes | None] = {
        **b_edit(B_BODY, "\n\n".join(paragraphs)),
        "questions.yaml": edit(edit(QUESTIONS_YAML, PROMPT, f'prompt: "{prompt}"'),
                               'look_fors: ["The first leader, in 1962."]',
                               "look_fors: [" + ", ".join(f'"{x}"' for x in look_fors) + "]"),
        **l_edit('first: "Peace."', f'first: "{cell}"'),
    }
    key, student = built(build(lesson_dir(files)))
    assert len(PdfReader(student).pages) >= 20
    footer = ("A Small Test Lesson", "Written for the test suite.")
    assert_in_order_squashed(body_text(student, *footer), [prompt, *paragraphs])
    # the cell is split across pages, with the header row repeated between its parts
    assert_in_order_squashed(body_text(key, *footer),
                             [prompt, *look_fors, *paragraphs, *cell.split()])
    code, report = pdfcheck([student, key])
    assert code == 0, report


LIMITS = [
    pytest.param(
        q_edit(PROMPT, 'prompt: "' + "ten pages " * 3000 + '"'),
        "lesson/questions.yaml:7:13: questions[0].prompt is too long: 30000 characters "
        "(at most 5000 characters)",
        id="4-ten-page-question",
    ),
    pytest.param(
        l_edit('title: "A Small Test Lesson"', 'title: "' + "Title " * 1000 + '"'),
        "lesson/lesson.yaml:1:8: title is too long: 6000 characters (at most 300 characters)",
        id="4-5000-character-title",
    ),
    pytest.param(
        l_edit('title: "A Small Test Lesson"', 'title: "' + "Long title words " * 10 + '"'),
        "lesson/lesson.yaml:1:8: title is too long for the page footer, where it is printed "
        "on one line (shorten it to about 115 characters)",
        id="4-title-too-wide-for-the-footer",
    ),
    pytest.param(
        l_edit('attribution: "Written for the test suite."',
               'attribution: "' + "Credits " * 30 + '"'),
        "lesson/lesson.yaml:31:14: attribution is too long: 240 characters "
        "(at most 180 characters)",
        id="4-attribution-too-long",
    ),
    pytest.param(
        l_edit('attribution: "Written for the test suite."',
               'attribution: "' + "W" * 100 + '"'),
        "lesson/lesson.yaml:31:14: attribution is too long for the page footer, where it is "
        "printed on one line (shorten it to about 82 characters)",
        id="4-attribution-too-wide-for-the-footer",
    ),
    pytest.param(
        {**l_edit('first: "Peace."', 'first: "' + "cell " * 4000 + '"'),
         "vocabulary.yaml": edit(VOCABULARY_YAML, '"a written agreement between countries"',
                                 '"' + "definition " * 2000 + '"')},
        ["lesson/lesson.yaml:23:16: organizer.rows[0].answers.first is too long: 20000 "
         "characters (at most 5000 characters)",
         "lesson/vocabulary.yaml:3:17: terms[0].definition is too long: 22000 characters "
         "(at most 5000 characters)"],
        id="4-20000-characters-in-table-cells",
    ),
    pytest.param(
        l_edit("  rows:\n", "  rows:\n" + "".join(
            f'    - id: r{i}\n      prompt: "Row {i}"\n' for i in range(200))),
        "lesson/lesson.yaml:20:5: organizer.rows: too many items (at most 40)",
        id="4-organizer-with-200-rows",
    ),
    pytest.param(
        {"questions.yaml": "questions:\n" + "".join(
            f"  - {{id: q{i}, documents: [A], skill: sourcing, prompt: Q{i}}}\n"
            for i in range(5000))},
        "lesson/questions.yaml:2:3: questions: too many items (at most 500)",
        id="4-5000-questions",
    ),
]


@pytest.mark.parametrize(("files", "message"), LIMITS)
def test_limits(lesson_dir: LessonDir, files: Files, message: str | list[str]) -> None:
    assert refused(build(lesson_dir(files))) == ([message] if isinstance(message, str)
                                                 else message)


GLYPHLESS = [
    ("emoji", "Smile \U0001f600 now", "character '\U0001f600' (U+1F600) is",
     "emoji and pictographs cannot be printed; describe it in words"),
    ("hebrew", "\u05e9\u05dc\u05d5\u05dd", "characters '\u05e9' (U+05E9), '\u05dc' (U+05DC), "
     "'\u05d5' (U+05D5), '\u05dd' (U+05DD) are",
     "right-to-left scripts are not supported yet; give a transliteration"),
    ("arabic", "\u0645\u0631\u062d\u0628\u0627", "characters '\u0645' (U+0645), '\u0631' "
     "(U+0631), '\u062d' (U+062D), '\u0628' (U+0628), '\u0627' (U+0627) are",
     "right-to-left scripts are not supported yet; give a transliteration"),
    ("chinese", "\u4f60\u597d", "characters '\u4f60' (U+4F60), '\u597d' (U+597D) are",
     "replace it, or describe it in words"),
    ("pictograph", "\u2602\u26c4", "characters '\u2602' (U+2602), '\u26c4' (U+26C4) are",
     "emoji and pictographs cannot be printed; describe it in words"),
]


@pytest.mark.parametrize(("text", "what", "hint"), [g[1:] for g in GLYPHLESS],
                         ids=[g[0] for g in GLYPHLESS])
def test_characters_the_fonts_lack_are_refused_where_they_stand(
    lesson_dir: LessonDir, text: str, what: str, hint: str
) -> None:
    tail = f"{what} not in the bundled fonts and would print as blank boxes ({hint})"
    col = 1 + text.index(next(c for c in text if ord(c) > 0x2FF))
    assert refused(build(lesson_dir(b_edit("We want", f"{text} We want")))) == [
        f"lesson/documents/B.md:6:{col}: {tail}"
    ]
    assert refused(build(lesson_dir(q_edit("Who wrote", f"{text} Who wrote")))) == [
        f"lesson/questions.yaml:7:{13 + col}: {tail}"
    ]


def test_symbols_a_history_text_uses_print(lesson_dir: LessonDir) -> None:
    """Arrows, mathematical signs and check marks are in the bundled fonts (merged from Noto
    Sans Math and Symbols 2), in every face: printed, and in the text of the PDF."""
    text = "Cuba \u2192 Turkey \u2248 90 miles, \u2212 5 \u2264 6 \u2713 \u2717 \u2610"
    files = {**b_edit("We want", f"{text} We want"),
             **q_edit("Who wrote", f"**{text}** *{text}* Who wrote")}
    student, = [p for p in built(build(lesson_dir(files))) if p.name.endswith("student.pdf")]
    assert norm(text) in norm(" ".join(pages_text(student.read_bytes())))
    code, report = pdfcheck([student])
    assert code == 0, report  # embedded, and every glyph has its Unicode meaning


def test_unprintable_runs_are_located_one_by_one(lesson_dir: LessonDir) -> None:
    doc = ('---\nlabel: "Document A \U0001f600"\ntitle: "A Letter \u05e9\u05dc\u05d5\u05dd"\n'
           'modified: true\nsource: "Source: \u4f60"\n---\nDEAR SIR.\n')
    assert refused(build(lesson_dir({"documents/A.md": doc}))) == [
        "lesson/documents/A.md:2:20: character '\U0001f600' (U+1F600) is not in the bundled fonts "
        "and would print as blank boxes (emoji and pictographs cannot be printed; describe it "
        "in words)",
        "lesson/documents/A.md:3:18: characters '\u05e9' (U+05E9), '\u05dc' (U+05DC), '\u05d5' "
        "(U+05D5), '\u05dd' (U+05DD) are not in the bundled fonts and would print as blank boxes "
        "(right-to-left scripts are not supported yet; give a transliteration)",
        "lesson/documents/A.md:5:18: character '\u4f60' (U+4F60) is not in the bundled fonts and "
        "would print as blank boxes (replace it, or describe it in words)",
    ]


# --- section 7: paths, images and includes ---------------------------------------------------


def test_image_paths_out_of_the_lesson_are_refused(lesson_dir: LessonDir) -> None:
    # a document may name an image (issue 14), never one outside the lesson folder;
    # lesson.yaml has no image key
    files = {**a_edit("modified: true", "modified: true\nimage: ../../../../etc/hostname\n"
                      "alt: \"A map.\""),
             **l_edit("grade_band:", "image: /etc/hostname\ngrade_band:")}
    assert refused(build(lesson_dir(files))) == [
        "lesson/documents/A.md:5:8: image: '../../../../etc/hostname' is outside the lesson "
        "folder (copy the image into the lesson folder, beside the document)",
        "lesson/lesson.yaml:3:1: unknown key 'image' (expected one of: title, central_question, "
        "grade_band, background, documents, organizer, claim, attribution, author, lang, variants)",
    ]
    files = a_edit("modified: true", "modified: true\nimage: /etc/hostname\nalt: \"A map.\"")
    assert refused(build(lesson_dir(files))) == [
        "lesson/documents/A.md:5:8: image: '/etc/hostname' is not a path inside the lesson "
        "folder (give the file's path from the documents folder with '/' between folders, like "
        "cartoon.png or ../images/cartoon.png)"]
    files = a_edit("modified: true", "modified: true\nimage: https://example.org/map.png\n"
                   "alt: \"A map.\"")
    assert refused(build(lesson_dir(files))) == [
        "lesson/documents/A.md:5:8: image: 'https://example.org/map.png' is a web address "
        "(download the image into the lesson folder and give its file name)"]


def test_include_tag_is_refused_in_any_file(lesson_dir: LessonDir) -> None:
    files = {**a_edit('title: "A Letter', 'title: !include "../../secret.yaml'),
             "vocabulary.yaml": "!include vocabulary.yaml\n"}
    assert refused(build(lesson_dir(files))) == [
        "lesson/documents/A.md:3:8: title: the YAML tag '!include' is not allowed "
        "(remove the tag; write plain text, numbers, lists and keys)",
        "lesson/vocabulary.yaml:1:1: the YAML tag '!include' is not allowed "
        "(remove the tag; write plain text, numbers, lists and keys)",
    ]


def test_paths_in_text_are_only_text(lesson_dir: LessonDir) -> None:
    files = {**a_edit('source: "Source: A letter', 'source: "Source: ../../etc/passwd, a letter'),
             **b_edit(B_BODY, "See /etc/passwd and ../../../etc/hostname."),
             **q_edit("Who wrote", "file:///etc/passwd: who wrote")}
    student = built(build(lesson_dir(files)))[-1]
    text = norm(" ".join(pages_text(student)))
    for phrase in ("Source: ../../etc/passwd, a letter", "See /etc/passwd and "
                   "../../../etc/hostname.", "file:///etc/passwd: who wrote"):
        assert phrase in text
    assert "root:" not in text


def _link_out(target: Path) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    return make


LINKS = [
    ("questions.yaml", Path("/etc/passwd"),
     "lesson/questions.yaml: questions.yaml is a link to /etc/passwd, outside the lesson folder "
     "(copy the file into the lesson folder; links out of it are not followed)"),
    ("documents/B.md", Path("../../outside.md"),
     "lesson/documents/B.md: B.md is a link to {tmp}/outside.md, outside the lesson folder "
     "(copy the file into the lesson folder; links out of it are not followed)"),
    ("documents/A.simplified.md", Path("/etc/hostname"),
     "lesson/documents/A.simplified.md: A.simplified.md is a link to /etc/hostname, outside "
     "the lesson folder (copy the file into the lesson folder; links out of it are not "
     "followed)"),
    ("vocabulary.yaml", Path("/nonexistent/vocabulary.yaml"),
     "lesson/vocabulary.yaml: vocabulary.yaml is a link to a file that does not exist "
     "(replace the link with a copy of the file)"),
    ("questions.yaml", Path("questions.yaml"),
     "lesson/questions.yaml: questions.yaml is a link that leads round in a circle "
     "(replace the link with a copy of the file)"),
]


@pytest.mark.parametrize(("name", "target", "message"), LINKS,
                         ids=["to-etc-passwd", "document-out", "level-out", "dangling", "loop"])
def test_links_out_of_the_lesson_are_refused(
    lesson_dir: LessonDir, tmp_path: Path, name: str, target: Path, message: str
) -> None:
    (tmp_path / "outside.md").write_text(DOCUMENT_B)
    folder = lesson_dir({name: None})
    (folder / name).unlink(missing_ok=True)
    _link_out(target)(folder / name)
    lines = refused(build(folder))
    assert lines == [message.format(tmp=tmp_path)]
    assert "root:" not in "".join(lines)  # never the file's contents


def test_a_documents_folder_that_links_out_is_refused(
    lesson_dir: LessonDir, tmp_path: Path
) -> None:
    folder = lesson_dir({"documents/A.md": None, "documents/B.md": None})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "A.md").write_text(DOCUMENT_A)
    (elsewhere / "B.md").write_text(DOCUMENT_B)
    (folder / "documents").symlink_to(elsewhere)
    assert refused(build(folder)) == [
        f"lesson/documents/{d}.md: {d}.md is a link to {elsewhere}/{d}.md, outside the lesson "
        "folder (copy the file into the lesson folder; links out of it are not followed)"
        for d in "AB"
    ]


def test_a_link_inside_the_lesson_is_fine(lesson_dir: LessonDir) -> None:
    folder = lesson_dir({"documents/B.md": None, "sources/B.md": DOCUMENT_B})
    (folder / "documents" / "B.md").symlink_to(Path("../sources/B.md"))
    assert len(built(build(folder))) == 2


def test_document_ids_cannot_be_paths(lesson_dir: LessonDir) -> None:
    files = l_edit("documents: [A, B]", "documents: [A, B, ../../etc/passwd, /etc/hostname]")
    assert refused(build(lesson_dir(files))) == [
        "lesson/lesson.yaml:8:19: documents[2]: '../../etc/passwd' is not a valid id "
        "(use letters, digits, '-' and '_', starting with a letter or digit)",
        "lesson/lesson.yaml:8:37: documents[3]: '/etc/hostname' is not a valid id "
        "(use letters, digits, '-' and '_', starting with a letter or digit)",
    ]


# --- section 8: output -----------------------------------------------------------------------


def test_a_missing_output_folder_is_created(lesson_dir: LessonDir) -> None:
    folder = lesson_dir()
    r = CliRunner().invoke(main, ["build", "lesson", "-o", "new/deeper/out", "-q"])
    assert r.exit_code == 0, r.stderr
    assert folder.exists() and len(list(Path("new/deeper/out").glob("*.pdf"))) == 2


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("afile", "error: afile: cannot create the output folder: a file is in the way"),
        ("afile/sub", "error: afile/sub: cannot create the output folder: a file is in the way"),
    ],
    ids=["output-is-a-file", "path-component-is-a-file"],
)
def test_output_folder_in_the_way(lesson_dir: LessonDir, output: str, message: str) -> None:
    folder = lesson_dir()
    Path("afile").write_text("not a folder")
    r = CliRunner().invoke(main, ["build", os.path.relpath(folder), "-o", output])
    assert output_error(r) == message
    assert Path("afile").read_text() == "not a folder"


def test_an_output_file_that_is_a_folder_stops_the_build_before_any_write(
    lesson_dir: LessonDir,
) -> None:
    folder = lesson_dir()
    Path("out/lesson-standard-letter-key.pdf").mkdir(parents=True)
    assert output_error(build(folder)) == (
        "error: out/lesson-standard-letter-key.pdf: cannot write: a folder has this name"
    )
    assert_no_output(keep=("lesson-standard-letter-key.pdf",))  # the student PDF not either


def test_an_unwritable_output_folder(
    lesson_dir: LessonDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The suite runs as root, which ignores permission bits: pretend.
    folder = lesson_dir()
    access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: Path(p).name != "out" and access(
        p, mode, **k))
    assert output_error(build(folder)) == "error: out: the output folder is not writable"
    assert_no_output()


@pytest.mark.parametrize("limit", [0, 4096], ids=["disk-full-at-once", "disk-full-mid-write"])
def test_disk_full_leaves_no_file(lesson_dir: LessonDir, limit: int) -> None:
    lesson_dir()

    def small_files() -> None:  # Python ignores SIGXFSZ: a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = subprocess.run([sys.executable, "-m", "worksheets", "build", "lesson", "-o", "out"],
                       capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == (
        "error: out/lesson-standard-letter-student.pdf: cannot write (File too large)\n")
    assert_no_output()


def test_two_lessons_that_would_write_one_file(lesson_dir: LessonDir, tmp_path: Path) -> None:
    for parent in ("a", "b"):
        for name, text in DEFAULT_FILES.items():
            assert isinstance(text, str)
            (tmp_path / parent / "lesson" / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / parent / "lesson" / name).write_text(text)
    r = CliRunner().invoke(main, ["build", "a/lesson", "b/lesson", "-o", "out", "-q"])
    assert output_error(r) == ("error: a/lesson and b/lesson would both write "
                               "lesson-standard-letter-student.pdf (rename one of the lesson "
                               "folders)")
    assert not Path("out").exists()
    # the same lesson named twice is built once
    r = CliRunner().invoke(main, ["build", "a/lesson", "a/lesson/", "-o", "out"])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 2, r.stderr


# Issue 15: each layout problem is located at the line that sets the value.
LAYOUTS = [
    ("margin_left: 2000\n", "1:14: the margins leave a text area of 0.0 x 9.1 in "
     "(leave at least 3 in across and 4 in down)"),
    ("margin_top: 400\nmargin_bottom: 390\n", "1:13: the margins leave a text area of 6.9 x 0.0 in "
     "(leave at least 3 in across and 4 in down)"),
    ("answer_line_spacing: 0\n", "1:22: answer_line_spacing: 0 pt is out of range "
     "(use a length from 6pt to 1in)"),
    ("cell_line_spacing: 20in\n", "1:20: cell_line_spacing: 1440 pt is out of range "
     "(use a length from 6pt to 1in)"),
]


@pytest.mark.parametrize(("text", "message"), LAYOUTS,
                         ids=["no-width", "no-height", "no-line-spacing", "huge-cells"])
def test_a_layout_that_leaves_no_room(lesson_dir: LessonDir, text: str, message: str) -> None:
    # Not a traceback from deep inside reportlab (negative widths, a division by zero).
    folder = lesson_dir()
    Path("odd.yaml").write_text(text)
    assert refused(build(folder, "--layout", "odd.yaml")) == [f"odd.yaml:{message}"]


def test_a_lesson_folder_name_that_cannot_name_files(lesson_dir: LessonDir) -> None:
    for name in (".hidden", "L" * 120, "a:b"):
        folder = lesson_dir(name=name)
        assert refused(build(folder)) == [
            f"{name}: the folder name {name!r} cannot be used in the names of the PDF files "
            "(rename the folder with letters, digits and '-', at most 100 characters, not "
            "starting with '.')"
        ]


# --- more hostile lessons in the same spirit -------------------------------------------------


def _folder(path: Path) -> None:
    path.mkdir(parents=True)


def _fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


MAKERS: dict[str, Callable[[Path], None]] = {"folder": _folder, "fifo": _fifo}

ODD_FILES = [
    ("documents/B.md", "folder",
     "lesson/documents/B.md: B.md is a folder, not a file (a lesson needs a text file here)"),
    ("questions.yaml", "folder",
     "lesson/questions.yaml: questions.yaml is a folder, not a file "
     "(a lesson needs a text file here)"),
    ("lesson.yaml", "folder",
     "lesson/lesson.yaml: lesson.yaml is a folder, not a file (a lesson needs a text file here)"),
    ("documents/A.simplified.md", "folder",
     "lesson/documents/A.simplified.md: A.simplified.md is a folder, not a file "
     "(a lesson needs a text file here)"),
    ("questions.yaml", "fifo",
     "lesson/questions.yaml: questions.yaml is not an ordinary file "
     "(save the text as an ordinary file)"),
    ("documents/B.md", "fifo",
     "lesson/documents/B.md: B.md is not an ordinary file (save the text as an ordinary file)"),
]


@pytest.mark.parametrize(("name", "kind", "message"), ODD_FILES,
                         ids=[f"{n}-{k}" for n, k, _ in ODD_FILES])
def test_a_lesson_file_that_is_not_a_file(
    lesson_dir: LessonDir, name: str, kind: str, message: str
) -> None:
    folder = lesson_dir({name: None})
    MAKERS[kind](folder / name)
    assert refused(build(folder)) == [message]  # and a FIFO is never opened (it would block)


MORE = [
    pytest.param(
        {"documents/A.md": None, "documents/B.md": None},
        ["lesson/lesson.yaml:8:13: documents: no file documents/A.md (create documents/A.md)",
         "lesson/lesson.yaml:8:16: documents: no file documents/B.md (create documents/B.md)"],
        id="no-documents-folder",
    ),
    pytest.param(
        q_edit("    kind: written", "    1: written"),
        ["lesson/questions.yaml:5:5: questions[0]: unknown key '1' (expected one of: id, "
         "documents, skill, kind, prompt, lines, choices, answer, look_fors, starter, hint, "
         "placement, evidence, variants)"],
        id="number-as-key",
    ),
    pytest.param(
        {"documents/B.md": DOCUMENT_B + ("Word " * 200 + "\n\n") * 1100},
        ["lesson/documents/B.md:1:1: file is larger than 1 MB "
         "(split it into smaller files; a lesson file is normally a few KB)"],
        id="document-over-1-mb",
    ),
    pytest.param(
        b_edit(B_BODY, "{.closing}"),
        ["lesson/documents/B.md:6:1: '{.closing}' marks no text "
         "(put it at the end of the paragraph it marks, as in 'Yours, {.closing}')"],
        id="body-of-only-a-role",
    ),
    pytest.param(
        a_edit("Yours, {.closing}", "Yours,\n\n   {.closing}"),
        ["lesson/documents/A.md:14:4: '{.closing}' marks no text "
         "(put it at the end of the paragraph it marks, as in 'Yours, {.closing}')"],
        id="role-alone-in-a-paragraph",
    ),
    pytest.param(
        b_edit("peace].", "peace]. {.footnote}"),
        ["lesson/documents/B.md:6:41: unknown paragraph role '{.footnote}' "
         "(use {.salutation}, {.closing}, {.signature}, {.header}, {.quote} or {.section})"],
        id="unknown-role",
    ),
    pytest.param(
        b_edit("*trade*", "**trade*"),
        ["lesson/documents/B.md:6:9: '**' is not closed: bold text needs '**' on both sides "
         "(write **term** (gloss), or remove the stars)"],
        id="mismatched-bold",
    ),
    pytest.param(
        l_edit("  The second paragraph", "  The **second paragraph"),
        ["lesson/lesson.yaml:7:7: background: '**' is not closed: bold text needs '**' on both "
         "sides (write **term** (gloss), or remove the stars)"],
        id="mismatched-bold-in-the-background",
    ),
    pytest.param(
        q_edit("documents: [A]", "documents: [A, A]"),
        ["lesson/questions.yaml:3:20: questions[0].documents: document 'A' appears twice "
         "(list it once)"],
        id="question-names-a-document-twice",
    ),
    pytest.param(
        {**l_edit(STANDARD, STANDARD + "\n    reading_level: simplified"),
         "documents/A.simplified.md": "",
         "documents/B.simplified.md": "---\nlevel: simplified\n---\n"},
        ["lesson/documents/A.simplified.md:1:1: the document has no text "
         "(write the text after the front matter)",
         "lesson/documents/B.simplified.md:4:1: the document has no text "
         "(write the text after the front matter)"],
        id="reading-level-with-empty-bodies",
    ),
    pytest.param(
        l_edit(STANDARD, STANDARD + "\n    reading_level: simplified"),
        ["lesson/lesson.yaml:35:20: variants.standard.reading_level: document A has no "
         "'simplified' text (write documents/A.simplified.md, or use one of: modified)",
         "lesson/lesson.yaml:35:20: variants.standard.reading_level: document B has no "
         "'simplified' text (write documents/B.simplified.md, or use one of: modified)"],
        id="reading-level-with-no-bodies",
    ),
    pytest.param(
        {"documents/A.simplified.md": "Short.\n",
         **a_edit("modified: true", "modified: true\nlevel: simplified")},
        ["lesson/documents/A.simplified.md:1:1: A.md already holds the 'simplified' text "
         "(its level: is 'simplified') (remove one of the two, or change level: in A.md)",
         "lesson/lesson.yaml:34:5: variants.standard.reading_level: document A has no "
         "'modified' text (write documents/A.modified.md, or use one of: simplified)"],
        id="two-files-for-one-level",
    ),
    pytest.param(
        {"questions.yaml": edit(edit(QUESTIONS_YAML, '["Peace", "Trade", "War"]',
                                       '["Peace", "Trade", "War", "Law"]'),
                                  'answer: "B"', 'answer: "E"')},
        ["lesson/questions.yaml:15:13: questions[1].answer: 'E' names no choice "
         "(there are 4 choices)"],
        id="choice-E-of-4",
    ),
    pytest.param(
        q_edit("lines: 3", "lines: -1"),
        ["lesson/questions.yaml:6:12: questions[0].lines: -1 is out of range "
         "(write a whole number from 0 to 30)"],
        id="lines-minus-one",
    ),
    pytest.param(
        b_edit("We want", "We \ufffd want"),
        ["lesson/documents/B.md:6:4: the replacement character U+FFFD is not allowed "
         "(a character was lost when the text was copied or converted; type the right "
         "character in its place)"],
        id="replacement-character",
    ),
    pytest.param(
        l_edit("    - id: second", "    - id: first"),
        ["lesson/lesson.yaml:16:11: organizer.columns: column id 'first' appears twice, on "
         "lines 13 and 16 (give each its own id)",
         "lesson/lesson.yaml:24:9: organizer.rows[0].answers: unknown column 'second' "
         "(expected: first)"],
        id="column-id-twice",
    ),
    pytest.param(
        l_edit("    - id: gives", "    - id: wants"),
        ["lesson/lesson.yaml:25:11: organizer.rows: row id 'wants' appears twice, on lines 20 "
         "and 25 (give each its own id)"],
        id="row-id-twice",
    ),
    pytest.param(
        l_edit("      documents: [B]", "      documents: [B, B]"),
        ["lesson/lesson.yaml:18:22: organizer.columns[1].documents: document 'B' appears "
         "twice (list it once)"],
        id="column-document-twice",
    ),
    pytest.param(
        l_edit(STANDARD, STANDARD + "\n    questions: [a-source, b-choice, a-source]"),
        ["lesson/lesson.yaml:35:37: variants.standard.questions: question 'a-source' appears "
         "twice (list it once)"],
        id="variant-question-twice",
    ),
    pytest.param(
        l_edit("claim:\n", "claim:\n  id: b-choice\n"),
        ["lesson/lesson.yaml:29:7: claim.id: 'b-choice' is also the id of a question in "
         "questions.yaml (give the claim its own id)"],
        id="claim-id-of-a-question",
    ),
    pytest.param(
        q_edit('["Peace", "Trade", "War"]', '["Peace", "Trade", "Peace"]'),
        ["lesson/questions.yaml:14:33: questions[1].choices: choice 'Peace' appears twice "
         "(list it once)"],
        id="choice-twice",
    ),
    pytest.param(
        {"vocabulary.yaml": VOCABULARY_YAML + '  - term: Treaty\n    definition: "a deal"\n'},
        ["lesson/vocabulary.yaml:5:11: terms: term 'Treaty' appears twice, on lines 2 and 5 "
         "(list it once)"],
        id="vocabulary-term-twice",
    ),
    pytest.param(
        {"lesson.yaml": LESSON_YAML + "".join(f"  v{i}:\n    title: V{i}\n" for i in range(8))},
        ["lesson/lesson.yaml:33:3: variants: too many items (at most 8)"],
        id="nine-variants",
    ),
    pytest.param(
        q_edit("documents: [A]", "documents: []"),
        ["lesson/questions.yaml:3:16: questions[0].documents: needs at least 1 item "
         "(add the missing items)"],
        id="question-about-no-document",
    ),
    pytest.param(
        {"documents/B.md": "---\nlabel: [Document B]\ntitle: {a: b}\nsource: 12:30\n---\nText.\n"},
        ["lesson/documents/B.md:2:8: label: expected text, got a list (write plain text)",
         "lesson/documents/B.md:3:8: title: expected text, got a mapping (write plain text)",
         "lesson/documents/B.md:4:9: source: expected text, got a number '12:30' "
         '(YAML reads this as a number; put it in quotes: "12:30")'],
        id="front-matter-of-wrong-types",
    ),
    pytest.param(
        {"documents/B.md": "---\n- label\n---\nText.\n"},
        ["lesson/documents/B.md:1:1: expected a mapping of keys, got a list "
         "(expected keys: label, title, source)"],
        id="front-matter-a-list",
    ),
    pytest.param(
        {"questions.yaml": "questions:\n  -\n  - 3\n"},
        ["lesson/questions.yaml:2:4: questions[0]: expected a mapping, got nothing (with keys: "
         "id, documents, skill, kind, prompt, lines, choices, answer, look_fors, starter, hint, "
         "placement, evidence, variants)",
         "lesson/questions.yaml:3:5: questions[1]: expected a mapping, got a number (with keys: "
         "id, documents, skill, kind, prompt, lines, choices, answer, look_fors, starter, hint, "
         "placement, evidence, variants)"],
        id="questions-that-are-not-mappings",
    ),
    pytest.param(
        q_edit('"Who wrote', '"Who \\ud800 wrote'),
        ["lesson/questions.yaml:7:13: questions[0].prompt: half a character (the surrogate "
         "U+D800) is not allowed (remove the escape sequence, such as \\a or \\u202e, from the "
         "quoted text)"],
        id="lone-surrogate-escape",
    ),
    pytest.param(
        {"questions.yaml": '"\\e[31mred": 1\n"two\\nlines": 2\n' + QUESTIONS_YAML},
        ["lesson/questions.yaml:1:1: a key must be plain text (use a simple name)",
         "lesson/questions.yaml:2:1: a key must be plain text (use a simple name)"],
        id="keys-with-escapes",
    ),
    pytest.param(
        q_edit("kind: written", 'kind: "writ\\nten"'),
        ["lesson/questions.yaml:5:11: questions[0].kind: unknown value 'writ\\nten' "
         "(did you mean 'written'? expected: written, choice, true-false)"],
        id="line-break-in-a-quoted-value-stays-on-one-line",
    ),
    pytest.param(
        {"lesson.yaml": LESSON_YAML + '  Standard:\n    title: "Also standard"\n'},
        ["lesson/lesson.yaml:35:3: variants: 'Standard' and 'standard' differ only in case "
         "(their PDF files would have the same name on many disks: rename one)"],
        id="variants-differing-in-case",
    ),
    pytest.param(
        b_edit(B_BODY, "\n\n".join(["Tiny."] * 2001)),
        ["lesson/documents/B.md:4006:1: the document has 2001 paragraphs, more than 2000 "
         "(a worksheet document is a few pages; use a shorter excerpt)"],
        id="too-many-paragraphs",
    ),
    pytest.param(
        b_edit(B_BODY, "word " * 4001),
        ["lesson/documents/B.md:6:1: a paragraph of 20004 characters is too long (at most "
         "20000) (separate paragraphs with a blank line)"],
        id="paragraph-too-long",
    ),
    pytest.param(
        q_edit("kind: written", "kind: " + "w" * 900_000),
        ["lesson/questions.yaml:5:11: questions[0].kind: unknown value '" + "w" * 57 + "...' "
         "(expected: written, choice, true-false)"],
        id="long-value-shortened-in-the-message",
    ),
    pytest.param(
        {"lesson.yaml": LESSON_YAML.encode("utf-16")},
        ["lesson/lesson.yaml:1:1: the file is saved as UTF-16, not UTF-8 "
         "(save the file with the encoding UTF-8)"],
        id="utf-16",
    ),
    pytest.param(
        {"questions.yaml": QUESTIONS_YAML.encode("utf-16-be")},
        ["lesson/questions.yaml:1:1: the file is saved as UTF-16, not UTF-8 "
         "(save the file with the encoding UTF-8)"],
        id="utf-16-without-bom",
    ),
    pytest.param(
        {"questions.yaml": "# " + "\x01" * 500_000 + "\n" + QUESTIONS_YAML},
        [f"lesson/questions.yaml:1:{c}: a control character U+0001 is not allowed "
         "(delete it; it is invisible and would print as a blank box)" for c in range(3, 13)]
        + ["lesson/questions.yaml:1:12: and 499990 more such characters after this one "
           "(is the file text? save it as UTF-8 text)"],
        id="control-characters-counted-not-listed",
    ),
    pytest.param(
        l_edit('      answers:\n        first: "Peace."\n        second: "Trade."',
               "      answers: [Peace, Trade]"),
        ["lesson/lesson.yaml:22:16: organizer.rows[0].answers: expected a mapping, got a list "
         "(write 'key: value' lines)"],
        id="answers-a-list",
    ),
]


@pytest.mark.parametrize(("files", "messages"), MORE)
def test_more_hostile_lessons(lesson_dir: LessonDir, files: Files, messages: list[str]) -> None:
    assert refused(build(lesson_dir(files))) == messages


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_other_line_endings_build_alike(lesson_dir: LessonDir, newline: str) -> None:
    files: dict[str, str | bytes | None] = {
        name: text.replace("\n", newline) for name, text in DEFAULT_FILES.items()
        if text is not None
    }
    key, student = built(build(lesson_dir(files)))
    text = norm(" ".join(pages_text(student)))
    assert "We want trade first [and then peace]." in text and "\r" not in text
    # and a problem is still put on the right line
    shutil.rmtree("out")
    files["questions.yaml"] = edit(QUESTIONS_YAML, "lines: 3", "lines: two").replace("\n", newline)
    assert refused(build(lesson_dir(files))) == [
        "lesson/questions.yaml:6:12: questions[0].lines: expected a whole number, got text "
        "'two' (write a whole number from 0 to 30)"
    ]


def test_content_that_used_to_stop_the_layout_now_prints(lesson_dir: LessonDir) -> None:
    # A word bank longer than a page, long headings in narrow organizer columns (a header row
    # taller than a page in large print), and eight variants in the teacher master.
    terms = [f"term{i}" + "x" * 60 for i in range(300)]
    columns = "".join(f'    - id: c{i}\n      heading: "{"H" * 299}"\n      documents: [A]\n'
                      for i in range(2))
    variants = "".join(f"  v{i}:\n    title: \"{'W' * 299}\"\n    scaffolds: [word_bank]\n"
                       for i in range(7))
    files: dict[str, str | bytes | None] = {
        "vocabulary.yaml": "terms:\n" + "".join(f"  - {{term: {t}, definition: d}}\n"
                                               for t in terms),
        "documents/B.md": edit(DOCUMENT_B, "We want", "\n\n".join(
            " ".join(terms[i : i + 100]) for i in range(0, 300, 100)) + "\n\nWe want"),
        "lesson.yaml": edit(LESSON_YAML, "  rows:\n", columns + "  rows:\n") + variants,
    }
    folder = lesson_dir(files)
    large = str(BUNDLED / "large-print.yaml")
    (v0,) = built(build(folder, "--variant", "v0", "--layout", large, "--edition", "student"))
    text = body_text(v0, "A Small Test Lesson", "Written for the test suite.")
    assert_in_order_squashed(text, ["Word bank", *sorted(terms, key=str.lower), "H" * 299])
    (master,) = [p for p in built(build(folder, "--variant", "all", "--layout", large,
                                        "--edition", "master")) if "master" in p.name]
    # seven titles of 299 letters, each wrapped in a narrow column of the header row
    assert squash(" ".join(pages_text(master))).count("W") >= 7 * 299
    code, report = pdfcheck([v0, master])
    assert code == 0, report


def test_pdf_bytes_are_complete(lesson_dir: LessonDir) -> None:
    # Sanity for the helpers above: a good build is read back whole.
    for pdf in built(build(lesson_dir())):
        assert PdfReader(io.BytesIO(pdf.read_bytes()), strict=True).pages
