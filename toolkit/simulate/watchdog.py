"""The runaway guard's watchdog: a thread that stops a script computing past its CPU budget.

An ``aws:executeScript`` script runs on the simulation's own thread. While it runs, that thread is *watched*: the
watchdog, one daemon thread for the process, reads the watched thread's CPU clock and, once the script has
computed past its budget, raises the script's stop exception into that thread with CPython's
``PyThreadState_SetAsyncExc`` (through ``ctypes``, loaded only then). The exception arrives at the thread's next
bytecode boundary that checks for it: a loop's jump back or a function's entry, in the script's code or in any
library code it calls. A script computing inside one long call into C (a regular expression that backtracks
without end) is stopped only when that call returns.

The simulator's own work for the script (building clients, loading service models, answering calls) is *paused*:
its CPU time is not counted and nothing is raised into it, so the fake world never sees half an operation. The
watchdog raises only under its lock, into a watch that is not paused and has not been raised into before; a
pause that comes after the raise refuses to start (``pause`` returns False) so the stop arrives before the
simulator's work, never inside it. ``unwatch`` lets a stop raised but not yet arrived arrive, and catches it, so
nothing reaches the thread after it returns (one that arrives as it starts is the caller's to catch: ``unwatch``
again then).
The watchdog raises the stop once per watch (a script that swallows it is the guard's to stop again): so at
most one stop is ever pending, and when it arrives in ``unwatch``, calling ``unwatch`` again completes it.

The clock is the watched thread's CPU time (``time.pthread_getcpuclockid``), so other threads' work does not
count against a script; where the platform has no such clock (macOS, Windows), wall time stands in.

Why a thread and not ``sys.settrace``: a trace function called on every call of the script and every line of its
loops made a simulation of the CloudTrail runbook (three scripts) a quarter slower (callgrind: 6.06 M
instructions per simulation against 4.58 M). Why not a signal timer: signals are process-wide and reach only
the main thread, so two simulations could not run in threads. Why one watchdog for the process: it watches
threads, as the interpreter's own machinery does; it holds no simulation's state (a watch lives only while its
script runs), starts with the first script and ends after ``LINGER`` seconds with nothing to watch.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Final

LINGER: Final = 1.0
"""Seconds the watchdog's thread waits with nothing to watch before it ends (the next script starts it again)."""

LONGEST_NAP: Final = 0.05
"""The longest the watchdog sleeps between two readings of a watched clock (it sleeps less when a budget could
run out sooner: CPU time never runs faster than wall time)."""


class Watch:
    """One script's run on the thread that makes it: past ``budget`` seconds of that thread's CPU time, the
    watchdog calls ``over`` and raises ``stop`` (a class: CPython raises it without arguments) into the thread."""

    __slots__ = ("clock", "deadline", "fired", "ident", "over", "paused", "paused_at", "stop")

    def __init__(self, budget: float, over: Callable[[], None], stop: type[BaseException]) -> None:
        self.ident = threading.get_ident()
        self.clock = _clock_of_this_thread()
        self.deadline = self.clock() + budget
        self.over = over
        """Called by the watchdog (under its lock) just before it raises ``stop``: the guard records why."""
        self.stop = stop
        self.paused = False
        self.paused_at = 0.0
        self.fired = False


class Watchdog:
    """The watches of the scripts running now, and the thread that reads their clocks."""

    def __init__(self, linger: float = LINGER) -> None:
        self.linger = linger
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._watches: set[Watch] = set()
        self._thread: threading.Thread | None = None
        self._idle = False
        self._forks_handled = False

    def watch(self, watch: Watch) -> None:
        """Start watching the calling thread (which made ``watch``)."""
        with self._lock:
            self._watches.add(watch)
            if self._thread is None or not self._thread.is_alive():
                self._start()
            elif self._idle:
                self._changed.notify()

    def unwatch(self, watch: Watch) -> None:
        """Stop watching. A stop raised into the thread that has not arrived yet arrives here and is caught, so
        none reaches the thread after this returns; one arriving before the lock is taken leaves this call (call
        it again then: it cannot happen twice, a watch is raised into once)."""
        with self._lock:
            self._watches.discard(watch)
            fired, watch.fired = watch.fired, False
        if fired:
            # not contextlib.suppress: its __enter__ is a function entry too, where the stop would arrive unguarded
            try:  # noqa: SIM105
                _arrive()
            except watch.stop:
                pass

    def pause(self, watch: Watch) -> bool:
        """The simulator's work begins on the watched thread: not counted, never interrupted. False (nothing
        paused) when the stop has been raised: it is on its way, and the work must not start."""
        with self._lock:
            if watch.fired:
                return False
            watch.paused = True
            watch.paused_at = watch.clock()
        return True

    def resume(self, watch: Watch) -> None:
        """The simulator's work for the script is done: the script's clock runs again, without that work."""
        with self._lock:
            watch.deadline += watch.clock() - watch.paused_at
            watch.paused = False

    def __len__(self) -> int:
        """How many scripts are watched now."""
        return len(self._watches)

    @property
    def running(self) -> bool:
        """Whether the watchdog's thread is running."""
        with self._lock:
            return self._thread is not None and self._thread.is_alive()

    # -- the watchdog's thread ------------------------------------------------------------------------------

    def _start(self) -> None:
        if not self._forks_handled:  # a child of fork() has no watchdog thread and a fresh lock
            os.register_at_fork(after_in_child=self._after_fork)
            self._forks_handled = True
        self._thread = threading.Thread(target=self._run, name="runbook-script-watchdog", daemon=True)
        self._thread.start()

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._watches = set()
        self._thread = None
        self._idle = False

    def _run(self) -> None:
        with self._lock:
            while True:
                if not self._watches:
                    self._idle = True
                    self._changed.wait(self.linger)
                    self._idle = False
                    if not self._watches:
                        self._thread = None
                        return
                    continue
                self._changed.wait(self._check())

    def _check(self) -> float:
        """Raise the stop into every watch past its budget; how long until the next reading is worth it."""
        nap = LONGEST_NAP
        for watch in list(self._watches):
            if watch.paused or watch.fired:
                continue
            try:
                left = watch.deadline - watch.clock()
            except OSError:  # the thread has ended without unwatching (it cannot: a script's run unwatches)
                self._watches.discard(watch)
                continue
            if left > 0:
                nap = min(nap, left)
                continue
            watch.over()
            watch.fired = True
            _raise_in(watch.ident, watch.stop)
        return max(nap, 0.001)


WATCHDOG: Final = Watchdog()
"""The process's watchdog (its thread starts with the first script watched)."""


def _clock_of_this_thread() -> Callable[[], float]:
    """A reader of the calling thread's CPU clock, readable from any thread; wall time where there is none."""
    try:
        clock_id = time.pthread_getcpuclockid(threading.get_ident())
    except (AttributeError, OSError):  # no per-thread CPU clocks on this platform
        return time.perf_counter
    return lambda: time.clock_gettime(clock_id)


def _raise_in(ident: int, exception: type[BaseException]) -> None:
    """Raise ``exception`` into the thread ``ident`` at its next check."""
    import ctypes  # lazy: only a runaway script needs it

    # Never called with NULL to withdraw a pending stop: CPython 3.11 then leaves its eval breaker set for good,
    # which makes every later check take the slow path (and, under a trace function, loop for ever).
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exception))


def _arrive() -> None:
    """Nothing: a function's entry is where CPython checks for a pending asynchronous exception."""
