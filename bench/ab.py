"""A/B timing of two checkouts, alternating, for a change's cost (used for tagging, issue 13).

    git archive <commit> | tar -x -C /tmp/base_src      # the "base" checkout
    python bench/ab.py /tmp/base_src BASE_DISTRICT.yaml NEW_DISTRICT.yaml

Each district spec must name its own checkout's lesson (layouts are found beside it).
Runs `worksheets build` 11 times and `worksheets batch --jobs 2` 5 times per checkout,
alternately, each a new process; prints medians and the median of paired ratios, by
wall time and by the CPU time of the process tree (steadier on a busy machine).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    base, base_spec, new_spec = sys.argv[1:4]
    roots = {"base": Path(base), "new": HERE}
    specs = {"base": base_spec, "new": new_spec}
    cpu: dict[str, list[float]] = {"base": [], "new": []}

    def run(which: str, args: list[str]) -> tuple[float, int]:
        env = dict(os.environ, PYTHONPATH=str(roots[which] / "src"), SOURCE_DATE_EPOCH="1")
        out = tempfile.mkdtemp()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "worksheets", *args, "-o", out],
                       cwd=roots[which], env=env, check=True, capture_output=True)
        wall = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[which].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        manifest = Path(out) / "manifest.json"
        pages = (sum(e["pages"] for e in json.loads(manifest.read_text())["outputs"])
                 if manifest.exists() else 0)
        shutil.rmtree(out)
        return wall, pages

    def series(args_of: dict[str, list[str]], n: int) -> dict[str, list[tuple[float, int]]]:
        got: dict[str, list[tuple[float, int]]] = {"base": [], "new": []}
        for i in range(n):
            for w in ("base", "new") if i % 2 == 0 else ("new", "base"):
                got[w].append(run(w, args_of[w]))
        return got

    def ratio(a: list[float], b: list[float]) -> float:
        return round(statistics.median(x / y for x, y in zip(a, b, strict=True)), 3)

    lesson = ["build", "content/cuban-missile-crisis"]
    series({"base": lesson, "new": lesson}, 1)  # warm up, byte-compile
    cpu["base"].clear()
    cpu["new"].clear()
    cold = series({"base": lesson, "new": lesson}, 11)
    walls = {w: [t for t, _ in v] for w, v in cold.items()}
    print("cold build: wall median", {w: round(statistics.median(v), 3) for w, v in walls.items()},
          "new/base", ratio(walls["new"], walls["base"]), "| CPU new/base",
          ratio(cpu["new"], cpu["base"]))
    cpu["base"].clear()
    cpu["new"].clear()
    bat = series({w: ["batch", specs[w], "-q", "--jobs", "2"] for w in specs}, 5)
    rate = {w: [p / t for t, p in v] for w, v in bat.items()}
    pages = {w: v[0][1] for w, v in bat.items()}
    print("batch: pages", pages, "pages/s median",
          {w: round(statistics.median(v)) for w, v in rate.items()},
          "new/base", ratio(rate["new"], rate["base"]), "| pages per CPU-s new/base",
          ratio([pages["new"] / c for c in cpu["new"]], [pages["base"] / c for c in cpu["base"]]))


if __name__ == "__main__":
    main()
