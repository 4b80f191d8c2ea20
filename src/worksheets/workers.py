"""Work in forked processes (one runner for build and batch), and stopping a run cleanly
on Ctrl-C or SIGTERM."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")

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
                                   initializer=_start_worker, initargs=(os.getpid(),))
    except OSError:
        return None


def _start_worker(parent: int) -> None:
    """A worker's first act: ignore stops, and die with the run that forked it."""
    _ignore_stops()
    _die_with(parent)


def _ignore_stops() -> None:
    # Ctrl-C reaches every process of the terminal's group, and a job runner may signal
    # them all: the parent stops the run and cleans up, the workers finish the task in
    # hand (a file is written whole) and leave when the pool shuts down
    for sig in STOPS:
        signal.signal(sig, signal.SIG_IGN)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """End this worker when `parent` ends, however it ends.

    A worker ignores stop signals and waits on the pool's pipe, whose write end it holds
    too: after a SIGKILL of the run (the OOM killer, a job runner's timeout) nothing would
    ever wake it. On Linux the kernel sends it SIGKILL when the parent dies; elsewhere a
    thread watches for the parent to change. If the parent died before this was set, the
    worker leaves at once.
    """
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):  # no libc with prctl (musl is fine; odd builds)
            armed = False
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                threading.Event().wait(0.5)
            os._exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# The task of the running pool. Forked workers inherit it, and everything it refers to
# (loaded lessons, rendered bases), so only indexes travel to them.
_WORK: Callable[[int], Any] | None = None


def _call(index: int) -> tuple[int, Any]:
    assert _WORK is not None
    return index, _WORK(index)


def run_tasks(work: Callable[[int], T], indexes: Sequence[int], jobs: int | None,
              late: list[tuple[int, T]] | None = None) -> Generator[tuple[int, T]]:
    """`work(i)` for each index, in this process or a fork pool; yields `(i, result)` as
    each finishes (in index order among those that finish together).

    At most `jobs` processes (default: one per core). A stop signal takes effect between
    tasks (KeyboardInterrupt). Closed early (on an interrupt), the tasks being run finish,
    and go into `late` with any finished but not yet handed on (so one may come twice).
    """
    global _WORK
    n = max(1, min(jobs or os.cpu_count() or 1, len(indexes)))
    with deferred_stop() as check:
        _WORK = work
        pool = fork_pool(n)
        if pool is None:  # one job, or no fork (Windows): this process does them all
            _WORK = None
            for i in indexes:
                check()
                yield i, work(i)
            return
        # Freezing the heap first keeps the garbage collector from writing to every
        # inherited object, which would copy the parent's pages into each worker as the
        # run goes on.
        gc.collect()
        gc.freeze()
        pending: set[Future[tuple[int, T]]] = set()
        finished: list[Future[tuple[int, T]]] = []  # done, not yet handed on
        queue = iter(indexes)
        try:
            for i in queue:  # a few tasks in flight per worker keeps memory flat
                pending.add(pool.submit(_call, i))
                if len(pending) >= 2 * n:
                    break
            while pending:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                finished = sorted(done, key=lambda f: f.result()[0])
                check()
                while finished:
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(_call, nxt))
                    yield finished[0].result()
                    del finished[0]  # only now: closed at the yield, it stays in `finished`
                    check()
        except BaseException:
            # Stop: drop what has not started; what is being run finishes whole.
            for f in pending:
                f.cancel()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()
            _WORK = None
            if late is not None:  # finished while the run stopped: whole, so handed on
                late.extend(f.result() for f in [*finished, *pending]
                            if f.done() and not f.cancelled() and f.exception() is None)
