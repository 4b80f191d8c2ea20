"""Work in forked processes, and stopping a run cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Ctrl-C and a job runner's stop
STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_once() -> Iterator[None]:
    """Within the block, the first stop signal raises KeyboardInterrupt; later ones are ignored.

    A second Ctrl-C arriving while a process pool shuts down would break the pool's
    handshake with its workers and leave the run hanging; once stopping, stopping again
    has nothing to add. Outside the main thread (where Python cannot set handlers)
    the block runs as is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before: dict[signal.Signals, Any] = {sig: signal.getsignal(sig) for sig in STOPS}

    def stop(signum: int, frame: FrameType | None) -> None:
        for sig in STOPS:
            signal.signal(sig, signal.SIG_IGN)
        raise KeyboardInterrupt

    for sig in STOPS:
        signal.signal(sig, stop)
    try:
        yield
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
                                   initializer=_ignore_ctrl_c)
    except OSError:
        return None


def _ignore_ctrl_c() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent stops the run
    # and cleans up, the workers carry on with the task in hand until it is shut down
    signal.signal(signal.SIGINT, signal.SIG_IGN)
