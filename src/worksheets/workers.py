"""Work in forked processes, and stopping a run cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Ctrl-C and a job runner's stop
STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def deferred_stop() -> Iterator[Callable[[], None]]:
    """Within the block a stop signal only takes note; `check()` then raises KeyboardInterrupt.

    A KeyboardInterrupt thrown into a process pool's bookkeeping at an arbitrary moment
    (a lock held, a task half submitted, results half collected) can hang its shutdown
    or lose a finished packet, and a second Ctrl-C during the shutdown is worse; so the
    code that runs a pool calls `check()` where stopping is safe. Outside the main
    thread (where Python cannot set handlers) signals are left as they are.
    """
    stops: list[int] = []

    def check() -> None:
        if stops:
            raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield check
        return
    before: dict[signal.Signals, Any] = {sig: signal.getsignal(sig) for sig in STOPS}

    def note(signum: int, frame: FrameType | None) -> None:
        stops.append(signum)

    for sig in STOPS:
        signal.signal(sig, note)
    try:
        yield check
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def fork_pool(n: int) -> ProcessPoolExecutor | None:
    """A pool of `n` forked workers, or None when this system cannot give one.

    Forked workers inherit what the parent has loaded, so only indexes need to travel.
    Without fork (Windows), or where the pool's semaphores cannot be made (no /dev/shm
    in some containers, a file size limit), the caller does the work itself.
    """
    if n < 2:
        return None
    import multiprocessing  # here: a build with one job need not load it
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    try:
        return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_ignore_stops)
    except OSError:
        return None


def _ignore_stops() -> None:
    # Ctrl-C reaches every process of the terminal's group, and a job runner may signal
    # them all: the parent stops the run and cleans up, the workers finish the task in
    # hand (a file is written whole) and leave when the pool shuts down
    for sig in STOPS:
        signal.signal(sig, signal.SIG_IGN)
