"""District batch end to end: roster packets read back the way a teacher and a print shop would."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tests.pdfutil import LESSON, ROOT, assert_in_order, pdfcheck
from worksheets import batch
from worksheets.cli import main
from worksheets.load.layout import BUNDLED

EXAMPLES = ROOT / "examples" / "district"
SIMPLE = EXAMPLES / "district-simple.yaml"
ONEROSTER = EXAMPLES / "district-oneroster.yaml"


@pytest.fixture(scope="module", autouse=True)
def _in_project(request: pytest.FixtureRequest) -> None:
    # Layouts are looked up in ./layouts, as when `worksheets` runs in the project.
    mp = pytest.MonkeyPatch()
    mp.chdir(ROOT)
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)
    request.addfinalizer(mp.undo)


def run_cli(*args: str | Path) -> Any:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both example specs built once: the simple one with two processes, OneRoster with one."""
    out = {}
    for name, spec, jobs in (("simple", SIMPLE, "2"), ("oneroster", ONEROSTER, "1")):
        target = tmp_path_factory.mktemp(name)
        r = run_cli("batch", spec, "-o", target, "--jobs", jobs)
        assert r.exit_code == 0, r.output
        out[name] = target
    return out


def pdfs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf"))


# --- what each student should get, read from the rosters without the library ----------------


def expected_simple() -> dict[str, list[tuple[str, str, str]]]:
    """class -> [(name, variant, layout)] in roster order."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    with open(EXAMPLES / "roster.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["class"], []).append(_pick(row["student_name"], row))
    return out


def _pick(name: str, flags: dict[str, str]) -> tuple[str, str, str]:
    yes = {k for k, v in flags.items() if v in ("yes", "true", "1")}
    variant = ("supported" if "reading_support" in yes else
               "spanish" if "spanish" in yes else "standard")
    return name, variant, "large-print" if "large_print" in yes else "letter"


def expected_oneroster() -> dict[str, list[tuple[str, str, str]]]:
    """class title -> [(name, variant, layout)] in enrollments.csv order (history classes)."""
    def rows(name: str) -> list[dict[str, str]]:
        path = EXAMPLES / "oneroster" / name if name != "accommodations.csv" else EXAMPLES / name
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    users = {u["sourcedId"]: u for u in rows("users.csv")}
    titles = {c["sourcedId"]: c["title"] for c in rows("classes.csv")
              if c["classCode"] in ("WH-101", "WH-103", "MH-205")}
    acc = {a["userSourcedId"]: a for a in rows("accommodations.csv")}
    out: dict[str, list[tuple[str, str, str]]] = {}
    for e in rows("enrollments.csv"):
        if e["role"] == "student" and e["classSourcedId"] in titles:
            u = users[e["userSourcedId"]]
            out.setdefault(titles[e["classSourcedId"]], []).append(
                _pick(f"{u['givenName']} {u['familyName']}", acc.get(u["sourcedId"], {})))
    return out


# --- reading a packet back ---------------------------------------------------------------------


def max_size(page: Any) -> float:
    sizes = [0.0]

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            sizes.append(size * (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5)

    page.extract_text(visitor_text=visit)
    return max(sizes)


def segments(path: Path) -> tuple[str, list[dict[str, Any]], list[str]]:
    """(cover text, one segment per student in order, key pages' text)."""
    reader = PdfReader(path)
    texts = [p.extract_text() or "" for p in reader.pages]
    start = next(i for i, t in enumerate(texts) if " · " in t.split("\n", 1)[0])
    assert start % 2 == 0  # the cover is padded to whole sheets
    cover = "\n".join(texts[:start])
    segs: list[dict[str, Any]] = []
    keys: list[str] = []
    for i, t in enumerate(texts[start:], start=start):
        first = t.split("\n", 1)[0]
        if t.startswith("Teacher Key"):
            keys.append(t)
        elif " · " in first:
            name = first.split(" · ")[0]
            if not segs or segs[-1]["name"] != name or segs[-1]["closed"]:
                segs.append({"name": name, "stamp": first, "pages": 0, "text": "",
                             "size": max_size(reader.pages[i]), "closed": False})
            segs[-1]["pages"] += 1
            segs[-1]["text"] += t
        elif not t.strip() and segs and not keys:
            segs[-1]["pages"] += 1  # the blank back of an odd-length worksheet
            segs[-1]["closed"] = True
    return cover, segs, keys


def variant_of(text: str) -> str:
    if "Banco de palabras" in text:
        return "spanish"
    return "supported" if "Word bank" in text else "standard"


@pytest.mark.parametrize("kind", ["simple", "oneroster"])
def test_packets_show_every_student_in_roster_order_with_the_right_version(
        made: dict[str, Path], kind: str) -> None:
    expected = expected_simple() if kind == "simple" else expected_oneroster()
    doc = json.loads((made[kind] / "manifest.json").read_text())
    by_class = {e["class_name"]: e for e in doc["outputs"]}
    assert set(by_class) == set(expected)
    for cls, students in expected.items():
        entry = by_class[cls]
        cover, segs, keys = segments(made[kind] / entry["path"])
        assert "Class packet" in cover
        assert_in_order(cover, [name for name, _, _ in students])
        got = [(s["name"], variant_of(s["text"]), "large-print" if s["size"] > 20 else "letter")
               for s in segs]
        assert got == students
        for s in segs:
            assert s["pages"] % 2 == 0, s["name"]  # duplex: every worksheet on its own sheets
            assert cls in s["stamp"]
        variants = list(dict.fromkeys(v for _, v, _ in students))
        assert entry["variants"] == {v: sum(1 for _, x, _ in students if x == v)
                                     for v in variants}
        assert keys and all("Teacher Key" in k for k in keys)
        assert entry["students"] == len(students)


def test_packets_pass_pdfcheck(made: dict[str, Path]) -> None:
    files = pdfs(made["simple"]) + pdfs(made["oneroster"])
    with ThreadPoolExecutor(2) as pool:  # pdfcheck reads one file at a time; use both cores
        results = list(pool.map(pdfcheck, [files[::2], files[1::2]]))
    for code, report in results:
        assert code == 0, report


def test_manifest_matches_the_files(made: dict[str, Path]) -> None:
    for folder in made.values():
        doc = json.loads((folder / "manifest.json").read_text())
        assert sorted(e["path"] for e in doc["outputs"]) == [p.name for p in pdfs(folder)]
        for e in doc["outputs"]:
            data = (folder / e["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == e["sha256"]
            assert e["bytes"] == len(data)
            assert len(PdfReader(io.BytesIO(data)).pages) == e["pages"]
            assert e["inputs"] == doc["inputs"]
            # fonts are shared in a packet; the tagged structure, one copy per student,
            # is in compressed object streams (about 0.5 KB a page)
            assert e["bytes"] / e["pages"] < 2500, e["path"]
        assert not list(folder.glob(".*.part"))


def test_fonts_are_written_once_per_packet(made: dict[str, Path]) -> None:
    path = pdfs(made["simple"])[0]
    reader = PdfReader(path)
    files = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            f = ref.get_object()
            desc = f.get("/FontDescriptor") or f["/DescendantFonts"][0]["/FontDescriptor"]
            files.add(desc.get_object().raw_get("/FontFile2").idnum)
    assert len(files) <= 8  # the base's faces plus the cover's, not one set per student


def test_shards_together_make_exactly_the_unsharded_files(made: dict[str, Path],
                                                         tmp_path: Path) -> None:
    for i in (1, 2):
        r = run_cli("batch", SIMPLE, "-o", tmp_path / f"s{i}", "--shard", f"{i}/2", "--jobs", "1")
        assert r.exit_code == 0, r.output
    one, two = pdfs(tmp_path / "s1"), pdfs(tmp_path / "s2")
    assert one and two and not {p.name for p in one} & {p.name for p in two}
    whole = {p.name: p.read_bytes() for p in pdfs(made["simple"])}
    assert {p.name: p.read_bytes() for p in one + two} == whole
    r = run_cli("manifest", "merge", tmp_path / "s1" / "manifest.shard-1-of-2.json",
                tmp_path / "s2" / "manifest.shard-2-of-2.json", "-o", tmp_path / "merged.json")
    assert r.exit_code == 0, r.output
    merged = json.loads((tmp_path / "merged.json").read_text())
    assert merged == json.loads((made["simple"] / "manifest.json").read_text())


def test_merge_refuses_manifests_of_different_inputs(made: dict[str, Path],
                                                    tmp_path: Path) -> None:
    r = run_cli("manifest", "merge", made["simple"] / "manifest.json",
                made["oneroster"] / "manifest.json", "-o", tmp_path / "m.json")
    assert r.exit_code == 1
    assert "were made from different inputs" in r.output
    assert not (tmp_path / "m.json").exists()


def test_dry_run_lists_and_writes_nothing(tmp_path: Path) -> None:
    r = run_cli("batch", SIMPLE, "-o", tmp_path / "out", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "us-history-p2-cuban-missile-crisis.pdf: US History P2, 14 students" in r.output
    assert "3 packets would be made." in r.output
    assert not (tmp_path / "out").exists()


# --- bad rosters: every problem at file:line, nothing written ------------------------------------

HEADER = "student_name,student_id,class,teacher,period,reading_support,spanish,large_print\n"
SPEC = f"""\
lesson: {LESSON}
allow_outside_paths: true
school: Test School
roster:
  format: simple
  file: roster.csv
accommodations:
  reading_support: {{variant: supported}}
  spanish: {{variant: spanish}}
  large_print: {{layout: {BUNDLED / "large-print.yaml"}}}
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def bad_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> list[str]:
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    r = run_cli("batch", "district.yaml", "-o", "out")
    assert r.exit_code == 1, r.output
    assert not (tmp_path / "out").exists()
    lines: list[str] = r.output.strip().splitlines()
    return lines


def test_bad_simple_rows_are_all_reported_with_file_and_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roster = HEADER + (
        "Ana Díaz,S1,P1,Ms. Abe,1,no,no,no\n"
        "Ben Ode,S2,P1,Ms. Abe,1,maybe,no,no\n"
        "Cai Wu,S1,P1,Ms. Abe,1,no,no,no\n"
        "Dee Ray,S4,,Ms. Abe,1,no,no,no\n"
        "Fay Oz,S6,P2,Mr. Bo,2,no,no,no\n"
        "Eve Li,S5,P2,Mr. Bo,2,no,sí,no\n"
        "Gus Po,S7,P2,Mr. Cy,2,no,no,no\n"
        "王芳,S8,P2,Mr. Bo,2,no,no,no\n"
    )
    lines = bad_run(tmp_path, monkeypatch, {"district.yaml": SPEC, "roster.csv": roster})
    assert lines == [
        "roster.csv:3: reading_support: 'maybe' is not yes or no "
        "(write yes/no, true/false or 1/0; an empty cell means no)",
        "roster.csv:4: duplicate student id 'S1' in class 'P1' (first on line 2) "
        "(remove one of the rows)",
        "roster.csv:5: class is empty (every row needs a student name, id and class)",
        "roster.csv:7: spanish: 'sí' is not yes or no "
        "(write yes/no, true/false or 1/0; an empty cell means no)",
        "roster.csv:8: class 'P2' has teacher 'Mr. Bo' on line 6, not 'Mr. Cy' "
        "(give every row of a class the same teacher)",
        "roster.csv:9: student_name: '王芳' has characters the bundled fonts cannot print: "
        "王 芳 (write it in Latin, Greek or Cyrillic letters)",
        "6 problems found; nothing was written.",
    ]


def test_missing_column_is_reported_at_the_header(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SPEC.replace("{variant: spanish}", "{variant: spansh}")
    roster = HEADER.replace(",large_print", "") + "Ana Díaz,S1,P1,Ms. Abe,1,no,no\n"
    lines = bad_run(tmp_path, monkeypatch, {"district.yaml": spec, "roster.csv": roster})
    assert lines == [
        "district.yaml:9:22: lesson 'cuban-missile-crisis' has no variant 'spansh' "
        "(choose one of: standard, supported, spanish)",
        "roster.csv:1: missing column 'large_print' (the header has: student_name, "
        "student_id, class, teacher, period, reading_support, spanish)",
        "2 problems found; nothing was written.",
    ]


def test_unknown_class_in_the_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SPEC.replace("  file: roster.csv\n", "  file: roster.csv\n  classes: [P1, P9]\n")
    roster = HEADER + "Ana Díaz,S1,P1,Ms. Abe,1,no,no,no\n"
    lines = bad_run(tmp_path, monkeypatch, {"district.yaml": spec, "roster.csv": roster})
    assert lines == [
        "district.yaml:7:17: unknown class 'P9' (no students in the roster) "
        "(name a class by its roster value, sourcedId or classCode)",
        "1 problem found; nothing was written.",
    ]


ONER_SPEC = f"""\
lesson: {LESSON}
allow_outside_paths: true
roster:
  format: oneroster
  folder: or
  accommodations: acc.csv
accommodations:
  reading_support: {{variant: supported}}
"""


def test_bad_oneroster_rows_are_all_reported(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "district.yaml": ONER_SPEC,
        "or/users.csv": "sourcedId,role,givenName,familyName,identifier\n"
                        "t1,teacher,Tess,Ng,T1\nu1,student,Zoë,Ñúñez,S1\nu2,student,Al,Bo,S2\n"
                        "u2,student,Al,Bo,S2\n",
        "or/classes.csv": "sourcedId,title,classCode,periods\nc1,History,H1,3\n",
        "or/enrollments.csv": "sourcedId,classSourcedId,userSourcedId,role,primary\n"
                              "e1,c1,t1,teacher,true\ne2,c1,u1,student,false\n"
                              "e3,c9,u2,student,false\ne4,c1,u1,student,false\n"
                              "e5,c1,u7,student,false\n",
        "acc.csv": "userSourcedId,reading_support\nu1,yes\nu8,yes\nu2,perhaps\n",
    }
    lines = bad_run(tmp_path, monkeypatch, files)
    assert lines == [
        "acc.csv:3: unknown student 'u8' (no user with this sourcedId in or/users.csv)",
        "acc.csv:4: reading_support: 'perhaps' is not yes or no "
        "(write yes/no, true/false or 1/0; an empty cell means no)",
        "or/enrollments.csv:4: unknown class 'c9' (no class with this sourcedId in "
        "or/classes.csv)",
        "or/enrollments.csv:5: duplicate enrollment of 'u1' in class 'c1' (first on line 3) "
        "(remove one of the rows)",
        "or/enrollments.csv:6: unknown user 'u7' (no user with this sourcedId in or/users.csv)",
        "or/users.csv:5: duplicate user sourcedId 'u2' (first on line 4) "
        "(remove one of the rows)",
        "6 problems found; nothing was written.",
    ]


# --- resuming, stopping ---------------------------------------------------------------------------


def small_district(root: Path, classes: int = 10, students: int = 6) -> Path:
    rows = [HEADER]
    for c in range(classes):
        for s in range(students):
            k = c * students + s
            flags = ["yes" if k % 5 == 1 else "no", "yes" if k % 7 == 3 else "no", "no"]
            rows.append(f"Student Ñ{k:03d} Zoë,S{k},Class {c:02d},Teacher {c},{c % 7 + 1},"
                        + ",".join(flags) + "\n")
    write_tree(root, {"district.yaml": SPEC, "roster.csv": "".join(rows)})
    return root / "district.yaml"


def manifest_ok(folder: Path) -> dict[str, Any]:
    doc = json.loads((folder / "manifest.json").read_text())
    assert sorted(e["path"] for e in doc["outputs"]) == [p.name for p in pdfs(folder)]
    for e in doc["outputs"]:
        assert hashlib.sha256((folder / e["path"]).read_bytes()).hexdigest() == e["sha256"]
    assert not list(folder.glob(".*.part"))
    return dict(doc)


def test_resume_after_kill_9_ends_complete(tmp_path: Path) -> None:
    spec = small_district(tmp_path / "d")
    clean, out = tmp_path / "clean", tmp_path / "out"
    assert run_cli("batch", spec, "-o", clean, "--jobs", "1").exit_code == 0
    proc = subprocess.Popen([sys.executable, "-m", "worksheets", "batch", str(spec), "-o",
                             str(out), "--jobs", "1", "-q"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.glob("*.pdf")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    (out / ".class-05-cuban-missile-crisis.pdf.abc123.part").write_bytes(b"%PDF-1.4 torn")
    r = run_cli("batch", spec, "-o", out, "--resume", "--jobs", "2")
    assert r.exit_code == 0, r.output
    manifest_ok(out)
    assert {p.name: p.read_bytes() for p in pdfs(out)} == {
        p.name: p.read_bytes() for p in pdfs(clean)}

    # A lost packet and a damaged one are made again; the others are kept.
    (out / "class-03-cuban-missile-crisis.pdf").unlink()
    with open(out / "class-07-cuban-missile-crisis.pdf", "ab") as fh:
        fh.write(b"junk")
    r = run_cli("batch", spec, "-o", out, "--resume")
    assert r.exit_code == 0, r.output
    assert "made 2 packets" in r.output and "kept 8" in r.output
    manifest_ok(out)
    assert {p.name: p.read_bytes() for p in pdfs(out)} == {
        p.name: p.read_bytes() for p in pdfs(clean)}


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_leaves_no_partial_file(tmp_path: Path, jobs: int) -> None:
    spec = small_district(tmp_path / "d", classes=6, students=3)
    out = tmp_path / "out"

    def stop(p: batch.Progress) -> None:
        if p.done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch.run(spec, out, jobs=jobs, progress=stop)
    assert not list(out.glob(".*.part"))
    doc = json.loads((out / "manifest.json").read_text())
    assert len(doc["outputs"]) >= 2
    for e in doc["outputs"]:
        assert hashlib.sha256((out / e["path"]).read_bytes()).hexdigest() == e["sha256"]
    for p in pdfs(out):  # made, perhaps not yet listed: whole all the same
        PdfReader(p, strict=True)


def test_interrupted_cli_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = small_district(tmp_path / "d", classes=3, students=2)
    from worksheets.batch.runner import _Packets

    real = _Packets.make
    calls = iter(range(100))

    def flaky(self: _Packets, i: int) -> Any:
        if next(calls) == 1:
            raise KeyboardInterrupt
        return real(self, i)

    monkeypatch.setattr(_Packets, "make", flaky)
    r = run_cli("batch", spec, "-o", tmp_path / "out", "--jobs", "1")
    assert r.exit_code == 130
    assert "interrupted" in r.output
    assert len(pdfs(tmp_path / "out")) == 1
    assert not list((tmp_path / "out").glob(".*.part"))


def test_same_inputs_same_bytes_and_source_date_epoch(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    spec = small_district(tmp_path / "d", classes=1, students=3)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    runs = []
    for name in ("a", "b"):
        assert run_cli("batch", spec, "-o", tmp_path / name, "-q").exit_code == 0
        runs.append({p.name: p.read_bytes() for p in pdfs(tmp_path / name)})
    assert runs[0] == runs[1]
    data = next(iter(runs[0].values()))
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None and meta.get("/CreationDate") == "D:20231114221320Z"
    ids: list[Any] = [PdfReader(io.BytesIO(r[next(iter(r))])).trailer["/ID"] for r in runs]
    assert ids[0][0] == ids[1][0]


def test_shard_option_is_checked() -> None:
    r = run_cli("batch", SIMPLE, "--shard", "3/2", "--dry-run")
    assert r.exit_code == 2
    assert "i must be between 1 and n" in r.output


def test_progress_bar_on_a_terminal_and_log_lines_elsewhere() -> None:
    from worksheets.batch.progress import Reporter

    tty, log = io.StringIO(), io.StringIO()
    bar, lines = Reporter(tty, tty=True), Reporter(log, tty=False)
    events = [batch.Progress(0, 4, 0, 0, 0.5),
              batch.Progress(1, 4, 300, 0, 1.0, "a.pdf", 300),
              batch.Progress(2, 4, 600, 0, 2.0, "b.pdf", 300),
              batch.Progress(4, 4, 1200, 0, 4.0, "d.pdf", 300)]
    for e in events:
        bar(e)
        lines(e)
    bar.close()
    assert bar.line(events[2]) == ("[############............] 2/4 packets  600 pages  "
                                   "300 pages/s  left 0:02")
    assert tty.getvalue().endswith("\r[########################] 4/4 packets  1,200 pages  "
                                   "300 pages/s\x1b[K\n")
    assert log.getvalue().splitlines() == ["[1/4] wrote a.pdf (300 pages)",
                                           "[2/4] wrote b.pdf (300 pages)",
                                           "[4/4] wrote d.pdf (300 pages)"]


def test_a_long_name_is_fitted_to_the_page(tmp_path: Path) -> None:
    from worksheets.preflight import preflight_file

    name = ("María Guadalupe Fernández de la Concepción Rodríguez-Santiago "
            "Villaseñor y Ñúñez-Castellanos")
    cls = "AP United States History Honors Seminar, Section Three"
    write_tree(tmp_path / "d", {"district.yaml": SPEC, "roster.csv": HEADER + "".join(
        f"{n},S{i},\"{cls}\",Teacher,6,no,no,{lp}\n"
        for i, (n, lp) in enumerate([(name, "no"), ("Ana Li", "no"), (name + " II", "yes")]))})
    out = tmp_path / "out"
    r = run_cli("batch", tmp_path / "d" / "district.yaml", "-o", out, "--jobs", "1")
    assert r.exit_code == 0, r.output
    packets = pdfs(out)
    assert len(packets) == 1  # large print is on Letter paper too
    # (a blank page after the cover pads it for duplex: no text there is right)
    report = preflight_file(packets[0], write_report=False)
    assert report.checks["edge_ink_pages"] == [], report.findings
    first = PdfReader(packets[0]).pages
    stamped = [p.extract_text() for p in first if "María Guadalupe" in p.extract_text()]
    assert stamped  # the start of the name is always printed, whole or shortened with '…'
