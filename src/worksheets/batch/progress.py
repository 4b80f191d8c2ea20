"""Progress of a batch on stderr: a one-line bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import time
from typing import TextIO

from .runner import Progress


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


class Reporter:
    """Call with each Progress; `close()` ends the bar's line."""

    def __init__(self, stream: TextIO, tty: bool | None = None, width: int = 24) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.width = width
        self._shown = 0.0
        self._first = 0.0
        self._open = False

    def __call__(self, p: Progress) -> None:
        if p.path and p.done - p.skipped == 1:
            self._first = p.elapsed  # time left is timed from here: setting up comes first
        if self.tty:
            now = time.monotonic()
            # Redraw at most ten times a second, and always for the last packet.
            if p.done < p.total and now - self._shown < 0.1 and p.path:
                return
            self._shown = now
            self.stream.write("\r" + self.line(p) + "\x1b[K")
            self._open = True
        elif p.path:
            self.stream.write(f"[{p.done}/{p.total}] wrote {p.path} ({p.packet_pages} pages)\n")
        elif p.skipped:
            self.stream.write(f"resuming: {p.skipped} of {p.total} packets are already made\n")
        self.stream.flush()

    def line(self, p: Progress) -> str:
        """`[#######.....] 12/40 packets  3,210 pages  1,250 pages/s  left 0:07`."""
        frac = p.done / p.total if p.total else 1.0
        fill = int(frac * self.width)
        bar = "#" * fill + "." * (self.width - fill)
        made = p.done - p.skipped
        rate = p.pages / p.elapsed if p.elapsed > 0 else 0.0
        left = ""
        if made > 1 and p.done < p.total and p.elapsed > self._first:
            per = (p.elapsed - self._first) / (made - 1)
            left = f"  left {_clock(per * (p.total - p.done))}"
        return (f"[{bar}] {p.done}/{p.total} packets  {p.pages:,} pages  "
                f"{rate:,.0f} pages/s{left}")

    def close(self) -> None:
        """Finish the bar's line so later output starts on a fresh one."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
