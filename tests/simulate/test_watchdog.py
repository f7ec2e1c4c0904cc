"""The runaway guard's watchdog (toolkit.simulate.watchdog): what it counts, what it never interrupts, and that
its stop reaches the script's thread only while the script runs."""

from __future__ import annotations

import random
import sys
import threading
import time
from typing import Any

import pytest

from toolkit.simulate.boto import Call
from toolkit.simulate.clock import Clock
from toolkit.simulate.script import ScriptFailure, ScriptTimeout, run_script
from toolkit.simulate.watchdog import WATCHDOG, Watch, Watchdog, _clock_of_this_thread


def _burn(seconds: float) -> None:
    started = time.thread_time()
    while time.thread_time() - started < seconds:
        pass


def run(code: str, call: Call | None = None, cpu_seconds: float = 5.0) -> Any:
    def refuse(service: str, operation: str, params: dict[str, Any], region: str | None = None) -> dict[str, Any]:
        raise AssertionError(f"unexpected call {service} {operation}")

    return run_script(
        code=code,
        handler="handler",
        payload={},
        call=call or refuse,
        clock=Clock(),
        timeout_seconds=600,
        region="us-east-1",
        account="123456789012",
        partition="aws",
        execution_id="0a1b2c3d-1111-2222-3333-444455556666",
        cpu_seconds=cpu_seconds,
    )


def in_a_thread(target: Any) -> None:
    """Run ``target`` in a thread of its own with a trace function set (a coverage tool's, say); the thread must
    end (a stop left pending, or CPython's eval breaker left set, makes a traced thread spin for ever)."""
    failures: list[BaseException] = []

    def traced() -> None:
        sys.settrace(lambda frame, event, arg: None)
        try:
            target()
        except BaseException as err:
            failures.append(err)
        finally:
            sys.settrace(None)

    thread = threading.Thread(target=traced, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the thread did not end"
    if failures:
        raise failures[0]


def test_answering_a_call_is_neither_counted_nor_interrupted() -> None:
    """The fake world's work for a script is paused: a call that computes past the script's whole budget completes
    and costs the script nothing (were the stop raised into it, the world would see half an operation)."""
    done: list[str] = []

    def slow_call(service: str, operation: str, params: dict[str, Any], region: str | None = None) -> dict[str, Any]:
        _burn(0.4)
        done.append(operation)
        return {"Trails": []}

    code = "import boto3\ndef handler(e, c):\n    return boto3.client('cloudtrail').list_trails()['Trails']\n"
    assert run(code, call=slow_call, cpu_seconds=0.2) == []
    assert done == ["ListTrails"]


def test_a_script_runs_untraced_and_the_threads_own_trace_sees_it() -> None:
    """No trace function of the guard's: the script runs at full speed, and a debugger's or coverage tool's trace
    function set on the thread sees the script's own frames and is the thread's after."""
    seen: set[str] = set()

    def tracer(frame: Any, event: str, arg: Any) -> None:
        seen.add(frame.f_code.co_filename)

    def target() -> None:
        sys.settrace(tracer)
        try:
            code = (
                "import sys\ndef twice(x):\n    return 2 * x\n"
                "def handler(e, c):\n    return [sys.gettrace() is not None, twice(21)]\n"
            )
            assert run(code) == [True, 42]
            assert sys.gettrace() is tracer
        finally:
            sys.settrace(None)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert "<executeScript>" in seen


def test_a_runaway_stop_swallowed_and_swallowed_again_at_a_sleep_still_ends_the_loop() -> None:
    code = """
import time
def handler(e, c):
    while True:
        try:
            time.sleep(1)  # once stopped: raises the stop again, and the loop's next line raises it once more
            while True:
                pass  # the runaway
        except BaseException:
            pass
"""
    with pytest.raises(ScriptTimeout, match="runaway"):
        run(code, cpu_seconds=0.1)


def test_a_stop_racing_the_scripts_end_never_reaches_the_thread_after() -> None:
    """Scripts that end about when their budget does: each either returns or times out, and then nothing is
    raised into the thread, nothing stays watched, and the traced thread is not left spinning."""
    rng = random.Random(7)
    outcomes: dict[str, int] = {"returned": 0, "stopped": 0}

    def many() -> None:
        for _ in range(150):
            loops = rng.randrange(200, 150_000)
            code = f"def handler(e, c):\n    x = 0\n    for i in range({loops}):\n        x += i\n    return x\n"
            try:
                assert run(code, cpu_seconds=0.001) == sum(range(loops))
                outcomes["returned"] += 1
            except ScriptTimeout:
                outcomes["stopped"] += 1
            _burn(0.002)  # the thread's own work after the script: a stop landing here would fail the test
        assert len(WATCHDOG) == 0

    in_a_thread(many)
    assert sum(outcomes.values()) == 150, outcomes


def test_the_watchdogs_thread_ends_when_idle_and_starts_again() -> None:
    watchdog = Watchdog(linger=0.05)
    assert not watchdog.running
    watch = Watch(60.0, lambda: None, KeyboardInterrupt)
    watchdog.watch(watch)
    assert watchdog.running and len(watchdog) == 1
    watchdog.unwatch(watch)
    deadline = time.monotonic() + 30
    while watchdog.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not watchdog.running and len(watchdog) == 0
    again = Watch(60.0, lambda: None, KeyboardInterrupt)
    watchdog.watch(again)
    assert watchdog.running
    watchdog.unwatch(again)


def test_without_a_thread_cpu_clock_wall_time_stands_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(time, "pthread_getcpuclockid", raising=False)
    assert _clock_of_this_thread() is time.perf_counter
    with pytest.raises(ScriptTimeout, match="runaway"):
        run("def handler(e, c):\n    while True:\n        pass\n", cpu_seconds=0.1)


def test_a_script_that_fails_is_unwatched_too() -> None:
    with pytest.raises(ScriptFailure, match="ZeroDivisionError"):
        run("def handler(e, c):\n    return 1 / 0\n")
    assert len(WATCHDOG) == 0
