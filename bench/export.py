"""Time a cold `worksheets export` of every format and variant against `worksheets build`.

    python bench/export.py [--runs 7]

Both commands run as new processes on content/cuban-missile-crisis with
`--variant all`, alternately, after one unmeasured run each; prints the median
wall time of each and the median of the paired ratios. The export target is
under 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "content" / "cuban-missile-crisis"


def _time(args: list[str]) -> float:
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "worksheets", *args, "-q", "-o", out],
                       check=True, cwd=ROOT)
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs
    export = ["export", str(LESSON), "--variant", "all",
              "--to", "docx", "--to", "cc", "--to", "qti", "--to", "gift"]
    # the same worksheets as PDFs: every variant, student and key (and the teacher master)
    build = ["build", str(LESSON), "--variant", "all"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    _time(export), _time(build)
    pairs = [(_time(export), _time(build)) for _ in range(runs)]
    e = statistics.median(p[0] for p in pairs)
    b = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    print(f"export, 4 formats x 3 variants: {e:.2f} s (median of {runs}; target < 2 s)")
    print(f"build, 3 variants x 2 editions + master: {b:.2f} s")
    print(f"ratio export/build: {ratio:.2f}x (median of paired ratios)")


if __name__ == "__main__":
    main()
