"""Benchmark `worksheets batch` against hand-written reportlab and Typst, in one run.

    python bench/run.py [--classes 40] [--students 30] [--jobs 2] [--ref-classes K]
                        [--no-typst] [--json bench/results.json]

Reports, for the batch and for each reference on the same synthetic district:
pages per second, ms per worksheet, peak memory of the whole process tree
(sum of PSS, which counts memory shared after fork once) and the largest
single process (RSS), bytes per page; then the references as ratios. Also
memory flatness (the batch on 2,000 worksheets against 200) and a cold
`worksheets build` of one lesson against the reference script's build.
Run it from anywhere; it needs the package installed and PyPI `typst`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LESSON = ROOT / "content" / "cuban-missile-crisis"


@dataclass
class Figures:
    name: str
    pages: int
    worksheets: int
    seconds: float
    peak_pss_mb: float
    max_rss_mb: float
    bytes: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds

    @property
    def ms_per_worksheet(self) -> float:
        return self.seconds * 1000 / self.worksheets

    @property
    def bytes_per_page(self) -> float:
        return self.bytes / self.pages


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    return kids


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """Peak memory of a process and all its descendants, sampled every 10 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop, self.peak_pss, self.max_rss = pid, False, 0, 0

    def run(self) -> None:
        while not self.stop:
            kids = _children()
            tree, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo.extend(kids.get(p, []))
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree)
            rss = max((_kb(f"/proc/{p}/status", "VmRSS:") for p in tree), default=0)
            self.peak_pss, self.max_rss = max(self.peak_pss, pss), max(self.max_rss, rss)
            time.sleep(0.01)


def measure(cmd: list[str], cwd: Path = ROOT) -> tuple[float, str, Sampler]:
    """Wall time, stdout and memory of a command."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.monotonic() - start
    sampler.stop = True
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return seconds, out, sampler


def district(folder: Path, classes: int, students: int) -> Path:
    subprocess.run([sys.executable, str(BENCH / "make_district.py"), str(folder), "--classes",
                    str(classes), "--students", str(students)], check=True,
                   stdout=subprocess.DEVNULL)
    return folder


def run_batch(d: Path, out: Path, jobs: int, name: str = "worksheets batch") -> Figures:
    seconds, _, s = measure([sys.executable, "-m", "worksheets", "batch",
                             str(d / "district.yaml"), "-o", str(out), "-q", "--jobs", str(jobs)])
    doc = json.loads((out / "manifest.json").read_text())
    return Figures(name, sum(e["pages"] for e in doc["outputs"]),
                   sum(e["students"] for e in doc["outputs"]), seconds, s.peak_pss / 1024,
                   s.max_rss / 1024, sum(e["bytes"] for e in doc["outputs"]))


def run_reference(script: str, name: str, d: Path, out: Path, jobs: int, classes: int,
                  students: int) -> Figures:
    cmd = [sys.executable, str(BENCH / script)] + (["batch"] if "reportlab" in script else [])
    cmd += [str(d / "roster.csv"), str(LESSON), str(out), "--jobs", str(jobs),
            "--classes", str(classes)]
    seconds, text, s = measure(cmd)
    m = re.search(r"pages=(\d+)", text)
    assert m, text
    size = sum(p.stat().st_size for p in out.glob("*.pdf"))
    return Figures(name, int(m.group(1)), classes * students, seconds, s.peak_pss / 1024,
                   s.max_rss / 1024, size)


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the process and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cold(ours: list[str], ref: list[str], runs: int) -> tuple[float, float, float, float]:
    """Median wall seconds of each command as a fresh process, the median of paired wall
    ratios, and the median of paired CPU-time ratios.

    The two alternate (ours, ref, ours, ref, ...) so that a change in the machine's load
    touches both alike; each runs once first, unmeasured, to warm the disk cache. A build
    renders on every core, so its wall time can hide CPU time: both ratios are reported.
    """
    _timed(ours), _timed(ref)
    pairs = [(_timed(ours), _timed(ref)) for _ in range(runs)]
    return (statistics.median(a[0] for a, _ in pairs), statistics.median(b[0] for _, b in pairs),
            statistics.median(a[0] / b[0] for a, b in pairs),
            statistics.median(a[1] / b[1] for a, b in pairs))


def compile_package() -> None:
    """Byte-compile the package, as `pip install` does, in case it runs from a source tree.

    A source checkout run with PYTHONDONTWRITEBYTECODE would otherwise compile every module
    on every start, which an installed copy never does; the reference's reportlab is
    installed, so compiled.
    """
    import importlib.util

    spec = importlib.util.find_spec("worksheets")
    assert spec and spec.submodule_search_locations, "install the package first"
    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    *spec.submodule_search_locations, str(BENCH)], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classes", type=int, default=40)
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ref-classes", type=int, default=0,
                    help="run the references on the first K classes only (default: all)")
    ap.add_argument("--no-typst", action="store_true")
    ap.add_argument("--cold-runs", type=int, default=11)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    ref_classes = a.ref_classes or a.classes
    tmp = Path(tempfile.mkdtemp(prefix="worksheets-bench-"))
    print(f"machine: {os.cpu_count()} cores; district {a.classes} classes x {a.students} "
          f"students; --jobs {a.jobs}; work in {tmp}", flush=True)
    d = district(tmp / "district", a.classes, a.students)
    rows = [run_batch(d, tmp / "batch", a.jobs)]
    print(f"  batch done in {rows[0].seconds:.2f} s", flush=True)
    rows.append(run_reference("reference_reportlab.py", "reportlab by hand", d, tmp / "rl",
                              a.jobs, ref_classes, a.students))
    print(f"  reportlab reference done in {rows[-1].seconds:.2f} s", flush=True)
    if not a.no_typst:
        rows.append(run_reference("reference_typst.py", "typst (PyPI)", d, tmp / "typst",
                                  a.jobs, ref_classes, a.students))
        print(f"  typst reference done in {rows[-1].seconds:.2f} s", flush=True)

    small = run_batch(district(tmp / "d200", 8, 25), tmp / "b200", a.jobs, "batch, 200 ws")
    large = run_batch(district(tmp / "d2000", 80, 25), tmp / "b2000", a.jobs, "batch, 2000 ws")
    compile_package()
    ours, ref, cold_ratio, cold_cpu = cold(
        [sys.executable, "-m", "worksheets", "build", str(LESSON), "-o", str(tmp / "cold"), "-q"],
        [sys.executable, str(BENCH / "reference_reportlab.py"), "build", str(LESSON),
         str(tmp / "cold-ref")], a.cold_runs)

    print()
    print(f"{'':22} {'pages':>7} {'ws':>5} {'s':>7} {'pages/s':>8} {'ms/ws':>7} "
          f"{'PSS MB':>7} {'RSS MB':>7} {'B/page':>7}")
    for r in rows + [small, large]:
        print(f"{r.name:22} {r.pages:7d} {r.worksheets:5d} {r.seconds:7.2f} {r.pages_per_s:8.0f} "
              f"{r.ms_per_worksheet:7.2f} {r.peak_pss_mb:7.1f} {r.max_rss_mb:7.1f} "
              f"{r.bytes_per_page:7.0f}")
    print()
    b = rows[0]
    for r in rows[1:]:
        print(f"batch / {r.name}: pages/s {b.pages_per_s / r.pages_per_s:.1f}x, "
              f"ms per worksheet {b.ms_per_worksheet / r.ms_per_worksheet:.3f}x, "
              f"peak memory (PSS) {b.peak_pss_mb / r.peak_pss_mb:.2f}x, "
              f"bytes per page {b.bytes_per_page / r.bytes_per_page:.2f}x")
    flat = large.peak_pss_mb / small.peak_pss_mb
    flat_rss = large.max_rss_mb / small.max_rss_mb
    print(f"memory, 2000 vs 200 worksheets: {flat:.2f}x (tree PSS), {flat_rss:.2f}x "
          "(largest process RSS)")
    print(f"cold build of one lesson (median of {a.cold_runs} alternating runs): worksheets "
          f"{ours:.3f} s, reference {ref:.3f} s, {cold_ratio:.2f}x wall, {cold_cpu:.2f}x CPU "
          "time (medians of paired ratios)")
    typst = next((r for r in rows if r.name.startswith("typst")), None)
    checks = [
        ("batch >= 1,000 pages/s", b.pages_per_s >= 1000),
        ("batch >= Typst pages/s", typst is None or b.pages_per_s >= typst.pages_per_s),
        ("memory flat: 2000 ws <= 1.2x of 200", flat <= 1.2),
        ("cold build <= 1.3x reference", cold_ratio <= 1.3),
    ]
    print()
    for what, ok in checks:
        print(f"  [{'met' if ok else 'NOT MET'}] {what}")
    if a.json:
        a.json.write_text(json.dumps({
            "rows": [{**asdict(r), "pages_per_s": r.pages_per_s,
                      "ms_per_worksheet": r.ms_per_worksheet,
                      "bytes_per_page": r.bytes_per_page} for r in rows + [small, large]],
            "memory_ratio_pss": flat, "memory_ratio_rss": flat_rss,
            "cold_build_s": ours, "cold_reference_s": ref, "cold_ratio": cold_ratio,
            "cold_cpu_ratio": cold_cpu,
            "checks": dict(checks)}, indent=2) + "\n")


if __name__ == "__main__":
    main()
