"""aws:executeScript's Python, run in-process: the real handler, with boto3 answering from the fake world.

``run_script`` executes the step's ``Script`` as a fresh module (compiled once per distinct text) and calls
``handler(events, context)``:

- ``events`` is a copy of the step's ``InputPayload``.
- ``context`` is a dict of the execution's automation variables, as real scripts read it
  (``context['automation:EXECUTION_ID']``, ``context.get('global:ACCOUNT_ID')``): ``automation:EXECUTION_ID``,
  ``global:ACCOUNT_ID``, ``global:REGION``, ``global:AWS_PARTITION``, ``global:DATE`` (``YYYY-MM-DD``) and
  ``global:DATE_TIME`` (``YYYY-MM-DD_HH.MM.SS``) at the simulated instant the script starts. AWS does not document
  the object; these are the keys scripts in the wild read.
- boto3 and botocore talk to ``call`` (see ``toolkit.simulate.boto``) and the environment shows the execution's
  region and fake credentials, for scripts whose text names ``boto`` or ``AWS_`` (the others cannot reach them,
  and skip the cost).
- ``time.sleep`` advances the simulated ``clock`` instead of sleeping, and ``time.time``/``time.monotonic`` read
  it, so a script's own polling deadline works. (``datetime.now()`` cannot be patched and stays real.)

The handler's return value is the step's ``Payload``: it must be JSON (no NaN or infinity), at most 100 KB once
serialized; the JSON form is returned (tuples become lists). What the script prints is captured, never shown.

A script fails the step (``ScriptFailure``, with one line like SSM's ``TrailNotFoundException: An error occurred
(TrailNotFoundException) when calling the GetTrail operation: ...`` and the captured ``output``) when it raises,
exits, recurses without end, cannot be compiled, or calls an operation the fake world does not model. It times
out (``ScriptTimeout``) when its sleeps pass ``timeout_seconds`` of simulated time, or when it computes for
``cpu_seconds`` of real time (a runaway loop): on the main thread a ``SIGALRM`` timer stops it, elsewhere a trace
function checks the time every few thousand line events. The stop is a ``BaseException``, so ``except Exception``
in the script does not swallow it; it is raised again at every later sleep or API call and, on the main thread,
every few milliseconds; whatever the script does after it, the step fails with the first reason. (Off the main
thread, a script that swallows ``BaseException`` in a busy loop escapes: CPython drops a trace function that
raised.) Everything patched is restored when the script ends. The patches are process-wide while a script runs:
another thread's sleeps, prints and boto3 calls meanwhile go to the script's clock, output and fake world.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # signal.signal minus enum conversions (half a run's cost)
import io
import json
import math
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Mapping
from contextlib import redirect_stderr, redirect_stdout
from functools import lru_cache
from typing import Any, Final, NoReturn

from toolkit.fakes.errors import AwsError
from toolkit.simulate.boto import Call, fake_aws
from toolkit.simulate.clock import Clock
from toolkit.ssm.limits import MAX_SCRIPT_PAYLOAD_BYTES

MAX_PAYLOAD_BYTES: Final = MAX_SCRIPT_PAYLOAD_BYTES
"""aws:executeScript's Payload limit."""

MODULE_NAME: Final = "ssm_execute_script"
"""The script module's ``__name__``: not ``__main__``, so a script's own ``if __name__ == "__main__"`` block does
not run (AWS imports the script to call its handler)."""

MONOTONIC_ORIGIN: Final = 1_000_000.0
"""What the patched ``time.monotonic`` reads at the execution's start (its origin is arbitrary, as on a host)."""

HURRY_SECONDS: Final = 0.005
"""How often a stopped script that swallowed the stop is stopped again."""

TRACE_CHECK_EVERY: Final = 4096
"""Line events between two clock checks of the runaway guard off the main thread."""


class ScriptFailure(Exception):
    """The script failed the step. ``message``: one line; ``output``: what the script printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.output = output


class ScriptTimeout(ScriptFailure):
    """The script ran past its budget of simulated time, or computed too long without sleeping."""


def run_script(
    *,
    code: str,
    handler: str,
    payload: Mapping[str, Any],
    call: Call,
    clock: Clock,
    timeout_seconds: float,
    region: str,
    account: str,
    partition: str,
    execution_id: str,
    cpu_seconds: float = 5.0,
) -> Any:
    """Run the script's handler and return its Payload (JSON data); raise ``ScriptFailure`` when the step fails."""
    payload_value, _ = run_script_with_output(
        code=code,
        handler=handler,
        payload=payload,
        call=call,
        clock=clock,
        timeout_seconds=timeout_seconds,
        region=region,
        account=account,
        partition=partition,
        execution_id=execution_id,
        cpu_seconds=cpu_seconds,
    )
    return payload_value


def run_script_with_output(
    *,
    code: str,
    handler: str,
    payload: Mapping[str, Any],
    call: Call,
    clock: Clock,
    timeout_seconds: float,
    region: str,
    account: str,
    partition: str,
    execution_id: str,
    cpu_seconds: float = 5.0,
) -> tuple[Any, str]:
    """``run_script``, also returning what the script printed (stdout and stderr, interleaved)."""
    if "." in handler:
        raise ScriptFailure(
            f"Handler {handler!r} names a function in an attachment; attachments cannot be simulated unless their "
            "files are provided (give the script inline)"
        )
    compiled = _compile(code)
    if isinstance(compiled, str):
        raise ScriptFailure(compiled)
    events = json.loads(json.dumps(payload))
    context = _context(clock, region, account, partition, execution_id)
    output = io.StringIO()
    guard = _Guard(clock, timeout_seconds, cpu_seconds)
    uses_aws = _uses_aws(code)
    try:
        value = _run(compiled, handler, events, context, call, region, guard, output, uses_aws)
    except _Stop:
        value = None
    except ScriptFailure as err:
        if guard.stopped is None:
            err.output = output.getvalue()
            raise
        value = None
    finally:
        guard.disarm()  # already done, unless the timer interrupted the first attempt
    if guard.stopped is not None:  # whatever the script did after it was stopped
        guard.stopped.output = output.getvalue()
        raise guard.stopped
    return _payload(value, output.getvalue()), output.getvalue()


def _run(
    compiled: types.CodeType,
    handler_name: str,
    events: Any,
    context: dict[str, str],
    call: Call,
    region: str,
    guard: _Guard,
    output: io.StringIO,
    uses_aws: bool,
) -> Any:
    module = types.ModuleType(MODULE_NAME)
    previous_module = sys.modules.get(MODULE_NAME)
    sys.modules[MODULE_NAME] = module
    saved_time = (time.sleep, time.time, time.monotonic)
    time.sleep, time.time, time.monotonic = guard.sleep, guard.time, guard.monotonic
    try:
        with redirect_stdout(output), redirect_stderr(output):
            if uses_aws:
                with fake_aws(call, region, check=guard.check, refuse=guard.refuse):
                    return _call_handler(compiled, module, handler_name, events, context, guard)
            return _call_handler(compiled, module, handler_name, events, context, guard)
    finally:
        time.sleep, time.time, time.monotonic = saved_time
        if previous_module is None:
            sys.modules.pop(MODULE_NAME, None)
        else:
            sys.modules[MODULE_NAME] = previous_module


def _call_handler(
    compiled: types.CodeType,
    module: types.ModuleType,
    handler_name: str,
    events: Any,
    context: dict[str, str],
    guard: _Guard,
) -> Any:
    try:
        try:
            guard.arm()
            exec(compiled, module.__dict__)
            function = module.__dict__.get(handler_name)
            if function is None:
                raise ScriptFailure(f"Handler {handler_name!r} is not defined in the script")
            if not callable(function):
                raise ScriptFailure(f"Handler {handler_name!r} is not a function")
            return function(events, context)
        finally:
            guard.disarm()
    except (_Stop, ScriptFailure):
        raise
    except (Exception, SystemExit) as err:  # RecursionError included: the stack has unwound by now
        raise ScriptFailure(_one_line(err)) from None


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    name = type(err).__name__
    return f"{name}: {text}" if text else name


def _payload(value: Any, output: str) -> Any:
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ScriptFailure(f"The handler's return value is not JSON: {_one_line(err)}", output) from None
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise ScriptFailure(
            f"The handler's return value is {len(text.encode())} bytes as JSON, over the {MAX_PAYLOAD_BYTES}-byte "
            "limit of an aws:executeScript Payload",
            output,
        )
    return json.loads(text)


def _context(clock: Clock, region: str, account: str, partition: str, execution_id: str) -> dict[str, str]:
    instant = clock.instant()
    date = f"{instant.year:04d}-{instant.month:02d}-{instant.day:02d}"
    return {
        "automation:EXECUTION_ID": execution_id,
        "global:ACCOUNT_ID": account,
        "global:REGION": region,
        "global:AWS_PARTITION": partition,
        "global:DATE": date,
        "global:DATE_TIME": f"{date}_{instant.hour:02d}.{instant.minute:02d}.{instant.second:02d}",
    }


@lru_cache(maxsize=256)
def _uses_aws(code: str) -> bool:
    """Whether the script may reach boto3 or the AWS environment (a script that never names them cannot)."""
    return "boto" in code or "AWS_" in code


@lru_cache(maxsize=256)
def _compile(code: str) -> types.CodeType | str:
    """The script's code object, or the one-line message of its syntax error."""
    try:
        return compile(code, "<executeScript>", "exec", dont_inherit=True)
    except SyntaxError as err:
        return f"SyntaxError: {err.msg} (line {err.lineno})"
    except ValueError as err:  # source with a null byte
        return _one_line(err)


# -- the budget: simulated time for sleeps, real time for computation -------------------------------------------


class _Stop(BaseException):
    """Raised into the script to stop it; ``except Exception`` does not catch it."""


class _Guard:
    """The script's budget and the patched clock functions."""

    def __init__(self, clock: Clock, timeout_seconds: float, cpu_seconds: float) -> None:
        self.clock = clock
        self.timeout_seconds = timeout_seconds
        self.deadline = clock.now + timeout_seconds
        self.cpu_seconds = cpu_seconds
        self.stopped: ScriptFailure | None = None
        """Why the script was stopped; it fails with this whatever it does next."""
        self.armed = False
        self.real_deadline = 0.0
        self.events = 0
        self.previous_handler: Any = None
        self.previous_timer = (0.0, 0.0)
        self.previous_trace: Any = None
        self.on_main_thread = False
        self.started = 0.0

    # patched time functions

    def sleep(self, seconds: object) -> None:
        self.check()
        if not isinstance(seconds, int | float):
            raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
        if math.isnan(seconds) or seconds < 0:
            raise ValueError("sleep length must be non-negative")
        if self.clock.now + seconds > self.deadline:
            self.clock.advance(self.deadline - self.clock.now)
            self._stop(ScriptTimeout(f"The script ran past its timeout of {self.timeout_seconds:g} seconds"))
        self.clock.advance(seconds)

    def time(self) -> float:
        return self.clock.instant().timestamp()

    def monotonic(self) -> float:
        return MONOTONIC_ORIGIN + self.clock.now

    def check(self) -> None:
        if self.stopped is not None:
            raise _Stop(self.stopped.message)

    def refuse(self, error: AwsError) -> NoReturn:
        """A call the fake world cannot answer (``NotModeled``): the script is stopped and fails with it."""
        self._stop(ScriptFailure(error.message))

    def _stop(self, failure: ScriptFailure, *, hurry: bool = False) -> NoReturn:
        if self.stopped is None:
            self.stopped = failure
            if hurry:
                self._hurry()
        raise _Stop(self.stopped.message)

    def _hurry(self) -> None:
        """A runaway script that swallows the stop is stopped again, and again, every few milliseconds.

        Only a runaway: any other stop (a call the fake world does not model, a timeout in a sleep) is raised again
        at the script's next sleep or AWS call, and the step fails with it whatever the script does, so no timer
        fires at a moment nobody chose (inside a garbage-collector callback, or the runner's own clean-up)."""
        if not self.armed:
            return
        if self.on_main_thread:
            signal.setitimer(signal.ITIMER_REAL, HURRY_SECONDS, HURRY_SECONDS)
        else:
            self.real_deadline = _real_clock()

    def _runaway(self) -> NoReturn:
        self._stop(
            ScriptTimeout(
                f"The script computed for more than {self.cpu_seconds:g} seconds of real time without sleeping "
                "(a runaway loop?) and was stopped"
            ),
            hurry=True,
        )

    # the runaway guard

    def arm(self) -> None:
        self.started = _real_clock()
        self.on_main_thread = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if self.on_main_thread:
            self.previous_handler = _signal.signal(signal.SIGALRM, self._on_alarm)
            self.previous_timer = signal.setitimer(signal.ITIMER_REAL, self.cpu_seconds, HURRY_SECONDS)
        else:
            self.real_deadline = self.started + self.cpu_seconds
            self.previous_trace = sys.gettrace()
            sys.settrace(self._trace)
        self.armed = True

    def disarm(self) -> None:
        if not self.armed:
            return
        self.armed = False
        if self.on_main_thread:
            remaining, interval = self.previous_timer
            signal.setitimer(signal.ITIMER_REAL, 0)
            handler = self.previous_handler
            _signal.signal(signal.SIGALRM, signal.SIG_DFL if handler is None else handler)
            if remaining:  # someone else's timer (pytest-timeout, say): give back what is left of it
                left = max(remaining - (_real_clock() - self.started), 1e-6)
                signal.setitimer(signal.ITIMER_REAL, left, interval)
        else:
            sys.settrace(self.previous_trace)

    def _on_alarm(self, signum: int, frame: types.FrameType | None) -> None:
        if self.armed:
            self._runaway()

    def _trace(self, frame: types.FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        self.events += 1
        if self.events >= TRACE_CHECK_EVERY:
            self.events = 0
            if self.armed and _real_clock() > self.real_deadline:
                self._runaway()
        return self._trace


_real_clock = time.perf_counter
