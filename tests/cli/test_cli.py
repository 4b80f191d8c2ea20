"""The command line, through Click's CliRunner, in throwaway project folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from tests.pdfutil import LESSON, assert_in_order, norm, pages_text
from worksheets import __version__
from worksheets.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's content and layouts in a temporary working folder."""
    shutil.copytree(LESSON, tmp_path / "content" / LESSON.name)
    (tmp_path / "layouts").mkdir()  # the project's own layouts; the bundled ones are always found
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.stdout, r.stderr


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"worksheets, version {__version__}"
    for cmd in ("build", "check", "list", "schema", "preview", "new"):
        code, out, _ = run(cmd, "--help")
        assert code == 0 and "Usage: main " + cmd in out


def test_build_with_no_arguments_builds_every_lesson(project: Path) -> None:
    code, out, err = run("build")
    assert code == 0, err
    names = sorted(p.name for p in (project / "output").glob("*.pdf"))
    assert names == ["cuban-missile-crisis-standard-letter-key.pdf",
                     "cuban-missile-crisis-standard-letter-student.pdf"]
    assert out.splitlines() == [f"wrote output/{n}" for n in reversed(names)]
    reports = sorted(p.name for p in (project / "output").glob("*.preflight.json"))
    assert reports == [n.replace(".pdf", ".preflight.json") for n in names]


def test_build_every_combination(project: Path) -> None:
    code, _, err = run("build", "--variant", "all", "--layout", "all", "-q", "-o", "out")
    assert code == 0, err
    files = sorted(p.name for p in (project / "out").glob("*.pdf"))
    assert len(files) == 3 * 3 * 2 + 3
    assert "cuban-missile-crisis-spanish-a4-key.pdf" in files
    assert "cuban-missile-crisis-master-large-print.pdf" in files
    assert not [f for f in (project / "out").iterdir() if f.name.startswith(".")]
    # rendered in one process instead of a pool: the same files, byte for byte
    code, _, err = run("build", "--variant", "all", "--layout", "all", "-q", "-o", "one", "-j1")
    assert code == 0, err
    assert {f.name: f.read_bytes() for f in (project / "one").iterdir()} == {
        f.name: f.read_bytes() for f in (project / "out").iterdir()}


def test_syntax_error_in_each_content_file_names_file_line_col(project: Path) -> None:
    lesson = project / "content" / LESSON.name
    cases = {
        "lesson.yaml": ("title:", "title: [unclosed"),
        "questions.yaml": ("    prompt:", "    prompt: : :"),
        "vocabulary.yaml": ("  - term: blockade", "  - term: blockade\n\tbad: tab"),
        "documents/B.md": ("title:", "title: \"open quote"),
    }
    for name, (anchor, broken) in cases.items():
        path = lesson / name
        original = path.read_text()
        path.write_text(original.replace(anchor, broken, 1))
        code, out, err = run("build")
        path.write_text(original)
        assert code == 1, name
        first = err.splitlines()[0]
        assert first.startswith(f"content/{LESSON.name}/{name}:"), first
        line, col = first.split(":")[1:3]
        assert int(line) > 0 and int(col) > 0, first
        assert "Traceback" not in err
        assert err.splitlines()[-1] in ("1 problem found; nothing was written.",
                                        "2 problems found; nothing was written.")
        assert not (project / "output").exists(), name


def test_existing_outputs_survive_a_failed_build(project: Path) -> None:
    assert run("build", "-q")[0] == 0
    before = {p.name: p.read_bytes() for p in (project / "output").iterdir()}
    q = project / "content" / LESSON.name / "questions.yaml"
    q.write_text(q.read_text().replace("skill: sourcing", "skill: sorcing", 1))
    code, _, err = run("build")
    assert code == 1
    assert "unknown value 'sorcing' (did you mean 'sourcing'?" in err
    after = {p.name: p.read_bytes() for p in (project / "output").iterdir()}
    assert after == before


def test_unknown_variant_and_layout(project: Path) -> None:
    code, _, err = run("build", "--variant", "nope")
    assert code == 1
    assert err.startswith(f"content/{LESSON.name}/lesson.yaml:1:1: lesson has no variant 'nope' "
                          "(choose one of: standard, supported, spanish)")
    code, _, err = run("build", "--layout", "legal")
    assert code == 1
    assert "no layout 'legal' (choose one of: a4, large-print, letter)" in err


def test_layout_extends_and_validation(project: Path) -> None:
    (project / "layouts" / "mine.yaml").write_text("extends: a4\nbody_size: 12\n")
    from worksheets.load.layout import load_layout

    mine = load_layout("mine")
    a4 = load_layout("a4")
    assert (mine.paper, mine.margin_top, mine.body_size) == ("a4", a4.margin_top, 12)
    (project / "layouts" / "bad.yaml").write_text(
        "extends: letter\npaper: legal\nmargin_left: wide\nbody_size: 3\nfontsize: 9\n")
    code, _, err = run("build", "--layout", "bad")
    assert code == 1
    assert err.splitlines()[:4] == [
        "layouts/bad.yaml:2:8: paper: unknown value 'legal' (expected: letter, a4)",
        "layouts/bad.yaml:3:14: margin_left: 'wide' is not a length (write it like 0.8in, "
        "20mm or 12pt)",
        "layouts/bad.yaml:4:12: body_size: 3 is out of range (use a number from 6 to 40)",
        "layouts/bad.yaml:5:1: unknown key 'fontsize' (did you mean 'footer_size'?)",
    ]
    (project / "layouts" / "loop.yaml").write_text("extends: loop\n")
    code, _, err = run("build", "--layout", "loop")
    assert code == 1 and "layouts/loop.yaml:1:10: layout 'loop' extends itself" in err


def test_check_clean_text_and_json(project: Path) -> None:
    code, out, err = run("check", "--strict")
    assert code == 0, out
    assert err.strip() == "0 error(s), 0 warning(s)"
    assert "documents/B.md:8:1: info: document B (modified): reading grade" in out
    code, out, _ = run("check", "--format", "json")
    items = json.loads(out)
    assert {i["severity"] for i in items} == {"info"}
    assert set(items[0]) == {"file", "line", "column", "severity", "message", "hint"}


def test_check_reports_errors_and_warnings(project: Path) -> None:
    lesson = project / "content" / LESSON.name
    vocab = lesson / "vocabulary.yaml"
    vocab.write_text(vocab.read_text() + "  - term: zeppelin\n    definition: \"an airship\"\n")
    q = lesson / "questions.yaml"
    q.write_text(q.read_text().replace("documents: [C]", "documents: [D]", 1))
    code, out, _ = run("check")
    assert code == 1
    lines = out.splitlines()
    assert any(ln.endswith("error: questions[9].documents: unknown document 'D' (did you mean "
                           "'A'?)") or "unknown document 'D'" in ln for ln in lines)
    code, out, _ = run("check", "--format", "json")
    items = json.loads(out)
    assert [i["severity"] for i in items if "unknown document 'D'" in i["message"]] == ["error"]
    q.write_text(q.read_text().replace("documents: [D]", "documents: [C]", 1))
    code, out, _ = run("check")
    assert code == 0
    zeppelin = [ln for ln in out.splitlines() if "zeppelin" in ln]
    assert len(zeppelin) == 1 and ": warning: vocabulary term 'zeppelin' occurs in no document " \
        "text (add the form the text uses to 'forms', or remove the term)" in zeppelin[0]
    assert run("check", "--strict")[0] == 1


def test_a_narrow_layout_fits_the_footer_and_check_says_so(project: Path) -> None:
    (project / "layouts" / "narrow.yaml").write_text(
        "extends: letter\nname: narrow\nmargin_left: 2.5in\nmargin_right: 2.5in\n")
    code, out, _ = run("check", "--all")
    assert code == 0
    footer = [ln for ln in out.splitlines() if "for the footer" in ln]
    lesson_yaml = f"content/{LESSON.name}/lesson.yaml:1:1"
    assert footer == [
        f"{lesson_yaml}: warning: attribution is too long for the footer of layout 'narrow' "
        "(3.50 in wide): shortened to 'Documents adapted from the Stanford History Education "
        "Group (SHEG), Cuban Missile Crisis…' (shorten the attribution, or widen the "
        "layout's text block)",
        f"{lesson_yaml}: warning: title is too long for the footer of layout 'narrow' "
        "(3.50 in wide): printed at 7.1 pt instead of 8 (shorten the title, or widen the "
        "layout's text block)",
    ]
    code, _, err = run("build", "--layout", "narrow", "-q")
    assert code == 0, err
    pdf = project / "output" / f"{LESSON.name}-standard-narrow-student.pdf"
    last = norm(pages_text(pdf)[-1])
    assert last.endswith("Page 15 of 15 Documents adapted from the Stanford History Education "
                         "Group (SHEG), Cuban Missile Crisis…")
    # the title and "Page x of y" do not overlap: the title ends left of where it starts
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    found = {}
    for phrase in ("Secret Deal", "Page 1 of"):  # the last on the page: the footer's
        search = text.search(phrase)
        while (hit := search.get_next()) is not None:
            index, count = hit
            found[phrase] = text.get_charbox(index), text.get_charbox(index + count - 1)
    (_, title_end), (page_start, _) = found["Secret Deal"], found["Page 1 of"]
    assert title_end[1] == page_start[1]  # the same line
    assert title_end[2] < page_start[0]


def test_check_all_reports_layout_trouble(project: Path) -> None:
    q = project / "content" / LESSON.name / "questions.yaml"
    q.write_text(q.read_text().replace("lines: 3", "lines: 30", 1))
    code, out, _ = run("check", "--all")
    assert code == 0
    trouble = [ln for ln in out.splitlines() if "taller than a page" in ln
               and "questions.yaml" in ln]
    assert trouble, out
    assert trouble[0].startswith(f"content/{LESSON.name}/questions.yaml:")
    assert "question 1 (a-sourcing) is taller than a page and is split across pages (page " in \
        trouble[0]
    assert "[variant " in trouble[0] and "layout large-print" in out


def test_schema_command(project: Path) -> None:
    code, out, _ = run("schema", "-o", "s")
    assert code == 0
    names = sorted(p.name for p in (project / "s").iterdir())
    assert "lesson.schema.json" in names and "layout.schema.json" in names
    assert json.loads((project / "s" / "lesson.schema.json").read_text())["title"] == \
        "worksheets lesson file"


def test_preview_writes_a_png(project: Path) -> None:
    code, out, err = run("preview", f"content/{LESSON.name}", "--page", "2", "-o", "p2.png")
    assert code == 0, err
    with Image.open(project / "p2.png") as image:
        assert image.size == (918, 1188)  # Letter at 1.5 x 72 dpi
    code, _, err = run("preview", f"content/{LESSON.name}", "--page", "99")
    assert code == 1 and "has 10 pages; --page 99 is not one of them" in err


def test_new_then_check_and_build(project: Path) -> None:
    code, out, _ = run("new", "the-treaty")
    assert code == 0 and out.startswith("created content/the-treaty")
    code, out, err = run("check", "--strict", "content/the-treaty")
    assert code == 0, out + err
    code, _, err = run("build", "content/the-treaty", "-q")
    assert code == 0, err
    pdf = project / "output" / "the-treaty-standard-letter-student.pdf"
    assert "The Treaty" in PdfReader(pdf).pages[0].extract_text()
    code, _, err = run("new", "the-treaty")
    assert code == 1 and "already exists" in err
    code, _, err = run("new", "Bad Id")
    assert code == 1 and "is not a lesson id" in err


@pytest.mark.parametrize("content", ["elsewhere/units/content", "units/unit 3"])
def test_new_in_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           content: str) -> None:
    """The skeleton's comments name the folder it was written to; its `$schema=` lines lead
    to the nearest schemas/ above it, else to the project's (beside the content folder)."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run("new", "gulf-of-tonkin-and-the-war-of-1812", "--content", content)
    assert code == 0, err
    lesson = tmp_path / content / "gulf-of-tonkin-and-the-war-of-1812"
    text = (lesson / "lesson.yaml").read_text()
    assert 'title: "Gulf of Tonkin and the War of 1812"' in text
    shown = f"{content}/gulf-of-tonkin-and-the-war-of-1812"
    shown = f"'{shown}'" if " " in shown else shown
    assert f"# Check it with:  worksheets check {shown}\n" in text
    for name in ("lesson", "questions", "vocabulary"):
        first = (lesson / f"{name}.yaml").read_text().splitlines()[0]
        ref = first.removeprefix("# yaml-language-server: $schema=")
        assert (lesson / ref).resolve() == (lesson.parent.parent / "schemas" /
                                            f"{name}.schema.json").resolve(), first
    code, out, err = run("check", "--strict", str(lesson))
    assert code == 0, out + err
    # with schemas/ in a folder above, the lines point there
    assert run("schema", "-o", "schemas")[0] == 0
    code, _, err = run("new", "seneca-falls", "--content", content)
    assert code == 0, err
    first = (tmp_path / content / "seneca-falls" / "lesson.yaml").read_text().splitlines()[0]
    ref = first.removeprefix("# yaml-language-server: $schema=")
    assert (tmp_path / content / "seneca-falls" / ref).resolve() == (
        tmp_path / "schemas" / "lesson.schema.json"), first


def test_title_case() -> None:
    from worksheets.pipeline import title_case

    assert title_case("gulf-of-tonkin") == "Gulf of Tonkin"
    assert title_case("the-fall-of-the-wall") == "The Fall of the Wall"
    assert title_case("what-are-rights-for") == "What Are Rights For"
    assert title_case("a--b") == "A B"


def test_list(project: Path) -> None:
    code, out, _ = run("list")
    assert code == 0
    assert out.splitlines()[0] == (f"{LESSON.name}: The Cuban Missile Crisis: A Public Deal "
                                   "and a Secret Deal")
    assert "  variant supported: Supported" in out
    assert out.splitlines()[-4:] == ["layouts:", "  a4: bundled", "  large-print: bundled",
                                     "  letter: bundled"]
    (project / "layouts" / "letter.yaml").write_text("paper: letter\nbody_size: 12\n")
    (project / "layouts" / "mine.yaml").write_text("extends: a4\n")
    code, out, _ = run("list")
    assert code == 0 and out.splitlines()[-5:] == [
        "layouts:", "  a4: bundled", "  large-print: bundled",
        "  letter: layouts/letter.yaml (overrides the bundled one)", "  mine: layouts/mine.yaml"]


def test_layouts_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside any project every bundled layout is found by name, and 'all' means all of
    them; a lesson's own layouts/ adds to them."""
    monkeypatch.chdir(tmp_path)
    lesson = tmp_path / "elsewhere" / LESSON.name
    shutil.copytree(LESSON, lesson)
    code, _, err = run("build", str(lesson), "--layout", "a4", "-o", "out", "-q")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == [
        f"{LESSON.name}-standard-a4-key.pdf", f"{LESSON.name}-standard-a4-student.pdf"]
    (lesson / "layouts").mkdir()
    (lesson / "layouts" / "wide.yaml").write_text("extends: large-print\nmargin_left: 0.5in\n")
    code, out, err = run("check", str(lesson), "--all")
    assert code == 0, err
    code, out, _ = run("list", str(lesson.parent))
    assert out.splitlines()[-5:] == [
        "layouts:", "  a4: bundled", "  large-print: bundled", "  letter: bundled",
        f"  wide: elsewhere/{LESSON.name}/layouts/wide.yaml"]


BROKEN = [
    # (file, old, new, expected (line, column, severity, message start))
    ("lesson.yaml", 'grade_band: "9-12"', 'grade_band: ["9-12"', None),
    ("lesson.yaml", 'grade_band: "9-12"', "grade_band: 9",
     (4, 13, "error", "grade_band: expected text")),
    ("lesson.yaml", "documents: [A, B, C]", "documents: [A, B, C]\ndocumnets: [A]",
     (29, 1, "error", "unknown key 'documnets'")),
    ("lesson.yaml", "documents: [A, B, C]", "documents: [A, B, D]",
     (28, 19, "error", "documents: no file documents/D.md")),
    ("documents/C.simplified.md", "we need 4-5 months", "we need some months",
     (71, 27, "error", 'evidence quote "we need 4-5 months" is not in')),
    ("vocabulary.yaml", "  - term: blockade", "  - term: zeppelin\n    definition: \"an airship\"\n"
     "  - term: blockade", (3, 5, "warning", "vocabulary term 'zeppelin' occurs in no document")),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BROKEN)
def test_broken_lessons_in_text_and_json(project: Path, name: str, old: str, new: str,
                                         expected: tuple[int, int, str, str] | None) -> None:
    path = project / "content" / LESSON.name / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    # an evidence quote is reported where it is cited: first in lesson.yaml's organizer
    shown = f"content/{LESSON.name}/{name}" if name != "documents/C.simplified.md" else \
        f"content/{LESSON.name}/lesson.yaml"
    code, out, _ = run("check", "--format", "json")
    items = [i for i in json.loads(out) if i["severity"] != "info"]
    assert code == (1 if expected is None or expected[2] == "error" else 0)
    first = items[0]
    assert first["file"] == shown
    if expected is None:  # a syntax error, where the list opened or just after
        assert first["line"] in (4, 5) and first["severity"] == "error"
        assert first["message"].startswith("YAML syntax error")
    else:
        line, col, severity, message = expected
        assert (first["line"], first["column"], first["severity"]) == (line, col, severity)
        assert first["message"].startswith(message), first["message"]
    code, out, _ = run("check")
    first_line = next(ln for ln in out.splitlines() if ": info: " not in ln)
    assert first_line.startswith(f"{shown}:{first['line']}:{first['column']}: "
                                 f"{first['severity']}: {first['message']}")


def test_layouts_are_found_beside_the_content_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run("build", str(LESSON), "--layout", "a4", "-o", "out", "-q")
    assert code == 0, err
    assert (elsewhere / "out" / "cuban-missile-crisis-standard-a4-student.pdf").exists()
    code, _, err = run("build", str(LESSON), "--layout", "legal", "-o", "out2")
    assert code == 1 and "choose one of: a4, large-print, letter" in err


def test_check_warns_about_an_inline_gloss_without_a_definition(project: Path) -> None:
    vocab = project / "content" / LESSON.name / "vocabulary.yaml"
    text = vocab.read_text()
    assert "  - term: cessation\n" in text
    vocab.write_text(text.replace("  - term: cessation\n", "  - term: cessations\n", 1))
    code, out, _ = run("check")
    assert code == 0
    # where the gloss stands: documents/B.md, line 18, at its '**'
    assert (f"content/{LESSON.name}/documents/B.md:18:46: warning: inline gloss 'cessation' has "
            "no definition in vocabulary.yaml (add it with a definition; until then the gloss "
            "'end' is used)") in out.splitlines()
    assert not [ln for ln in out.splitlines() if "inline gloss 'unilateral'" in ln]


def test_a_gloss_only_term_keeps_its_capitals_in_the_box(project: Path) -> None:
    doc = project / "content" / LESSON.name / "documents" / "C.md"
    text = doc.read_text()
    assert "NATO Council" in text
    doc.write_text(text.replace("NATO Council", "**NATO Council** (the allies' leaders)", 1))
    code, out, _ = run("check")
    assert code == 0
    assert "inline gloss 'NATO Council' has no definition in vocabulary.yaml" in out
    code, _, err = run("build", "-q", "-j1")
    assert code == 0, err
    pages = [norm(t) for t in pages_text(project / "output" /
                                         f"{LESSON.name}-standard-letter-student.pdf")]
    box = [t for t in pages if "the allies' leaders" in t]
    assert box and not any("nato council" in t for t in pages), pages


def test_a_variant_that_leaves_a_document_out(project: Path) -> None:
    lesson_yaml = project / "content" / LESSON.name / "lesson.yaml"
    lesson_yaml.write_text(lesson_yaml.read_text() + (
        "  short:\n"
        "    title: \"Kennedy and Dobrynin\"\n"
        "    description: \"Documents B and C only, for a single period.\"\n"
        "    documents: [B, C]\n"))
    code, out, _ = run("check")
    assert code == 0
    left_out = [ln.split(": warning: ", 1)[1] for ln in out.splitlines() if "leaves out" in ln]
    assert left_out and all(
        "cites document A, which variant 'short' leaves out: its key points to a text the "
        "class does not have" in ln for ln in left_out), left_out
    code, _, err = run("build", "--variant", "short", "--variant", "standard", "-q", "-j1")
    assert code == 0, err
    short = pages_text(project / "output" / f"{LESSON.name}-short-letter-student.pdf")
    full = pages_text(project / "output" / f"{LESSON.name}-standard-letter-student.pdf")
    text, whole = norm(" ".join(short)), norm(" ".join(full))
    assert "Document A" in whole and "Document A" not in text
    assert_in_order(text, ["Document B", "Document C"])
    # the questions on Documents B and C keep their numbers; those on A are gone
    from worksheets import load_lesson
    from worksheets.markup import plain

    lesson = load_lesson(project / "content" / LESSON.name)
    on_a = [q for q in lesson.questions if "A" in q.documents]
    kept = [q for q in lesson.questions if "A" not in q.documents]
    assert on_a and kept
    for q in lesson.questions:
        printed = f"{q.number}. {norm(plain(q.prompt))}"
        assert printed in whole
        assert (printed in text) == (q in kept), q.id
    assert_in_order(text, [f"{q.number}. " for q in kept])
    assert len(short) < len(full)
