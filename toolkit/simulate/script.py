"""aws:executeScript's Python, run in-process: the real handler, with boto3 answering from the fake world.

``run_script`` executes the step's ``Script`` as a fresh module namespace (compiled once per distinct text) and
calls ``handler(events, context)``:

- ``events`` is a copy of the step's ``InputPayload``.
- ``context`` is a dict of the execution's automation variables, as real scripts read it
  (``context['automation:EXECUTION_ID']``, ``context.get('global:ACCOUNT_ID')``): ``automation:EXECUTION_ID``,
  ``global:ACCOUNT_ID``, ``global:REGION``, ``global:AWS_PARTITION``, ``global:DATE`` (``YYYY-MM-DD``) and
  ``global:DATE_TIME`` (``YYYY-MM-DD_HH.MM.SS``) at the simulated instant the script starts. AWS does not document
  the object; these are the keys scripts in the wild read.
- The script's builtins are its own (``toolkit.simulate.script_modules``): ``import boto3``/``botocore`` give
  modules whose clients and sessions are the execution's (``toolkit.simulate.boto``: they talk to ``call``);
  ``import os`` shows the execution's environment (its region and fake credentials, no host ``AWS_*``);
  ``import time``: ``time.sleep`` advances the simulated ``clock`` instead of sleeping, and
  ``time.time``/``time.monotonic`` read it, so a script's own polling deadline works (``datetime.now()`` stays
  real); ``print`` and ``sys.stdout``/``sys.stderr`` write to the execution's output.

Nothing process-wide is patched (not botocore, ``boto3.DEFAULT_SESSION``, ``os.environ``, ``time``,
``sys.stdout``, ``sys.modules`` nor a signal), so simulations may run in several threads at once, each with its
own clock, output, environment and fake world. The script's module is not registered in ``sys.modules``.

The handler's return value is the step's ``Payload``: it must be JSON (no NaN or infinity), at most 100 KB once
serialized; the JSON form is returned (tuples become lists). What the script prints is captured, never shown.

A script fails the step (``ScriptFailure``, with one line like SSM's ``TrailNotFoundException: An error occurred
(TrailNotFoundException) when calling the GetTrail operation: ...`` and the captured ``output``) when it raises,
exits, recurses without end, cannot be compiled, or calls an operation the fake world does not model. It times
out (``ScriptTimeout``) when its sleeps pass ``timeout_seconds`` of simulated time, or when it computes for
``cpu_seconds`` of its thread's CPU time (a runaway loop). The runaway guard is the process's watchdog thread
(``toolkit.simulate.watchdog``): it reads the CPU clock of the thread running the script and raises the stop into
that thread; nothing traces the script, so it runs at full speed, and a debugger's or coverage tool's trace
function keeps working in it. The simulator's own work for the script (building boto3 clients, loading service
models, answering calls) is neither counted nor interrupted, so the first client of a service costs the script
nothing and the fake world never sees half an operation. The stop is a ``BaseException``, so ``except Exception``
in the script does not swallow it; it is raised again at every later sleep or API call; whatever the script does
after it, the step fails with the first reason. (A script that swallows ``BaseException`` in a busy loop without
sleeping or calling AWS escapes: the watchdog raises once. So does one computing inside a single long call into
C.)
"""

from __future__ import annotations

import io
import json
import math
import sys
import threading
import types
from collections.abc import Callable, Mapping
from typing import Any, Final, NoReturn

from toolkit.fakes.errors import AwsError
from toolkit.simulate.boto import Call, ScriptAws
from toolkit.simulate.boto_models import ServiceModels
from toolkit.simulate.clock import Clock
from toolkit.simulate.script_modules import ScriptModules
from toolkit.simulate.watchdog import WATCHDOG, Watch
from toolkit.ssm.limits import MAX_SCRIPT_PAYLOAD_BYTES
from toolkit.ssm.references import TIME_VARIABLES

MAX_PAYLOAD_BYTES: Final = MAX_SCRIPT_PAYLOAD_BYTES
"""aws:executeScript's Payload limit."""

MODULE_NAME: Final = "ssm_execute_script"
"""The script module's ``__name__``: not ``__main__``, so a script's own ``if __name__ == "__main__"`` block does
not run (AWS imports the script to call its handler)."""

MONOTONIC_ORIGIN: Final = 1_000_000.0
"""What the patched ``time.monotonic`` reads at the execution's start (its origin is arbitrary, as on a host)."""

SCRIPT_FILE: Final = "<executeScript>"
"""The file name the script's code is compiled with."""


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
    code: str | CompiledScript,
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
    models: ServiceModels | None = None,
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
        models=models,
    )
    return payload_value


def run_script_with_output(
    *,
    code: str | CompiledScript,
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
    models: ServiceModels | None = None,
) -> tuple[Any, str]:
    """``run_script``, also returning what the script printed (stdout and stderr, interleaved).

    ``models``: botocore's loaded data and template clients, shared by the runs given the same object (None: a
    new one for this run alone, which costs the loading again)."""
    if "." in handler:
        raise ScriptFailure(
            f"Handler {handler!r} names a function in an attachment; attachments cannot be simulated unless their "
            "files are provided (give the script inline)"
        )
    compiled = compile_script(code) if isinstance(code, str) else code
    if isinstance(compiled, str):
        raise ScriptFailure(compiled)
    events = json.loads(json.dumps(payload))
    context = _context(clock, region, account, partition, execution_id)
    output = io.StringIO()
    guard = _Guard(clock, timeout_seconds, cpu_seconds)
    shared = models if models is not None else ServiceModels()

    def aws() -> ScriptAws:
        return ScriptAws(
            shared,
            call,
            region,
            check=guard.check,
            refuse=guard.refuse,
            sleep=guard.sleep,
            outside_budget=guard.outside_budget,
        )

    modules = ScriptModules(
        output=output,
        sleep=guard.sleep,
        now=guard.time,
        monotonic=guard.monotonic,
        region=region,
        aws=aws,
        outside_budget=guard.outside_budget,
    )
    namespace: dict[str, Any] = {"__name__": MODULE_NAME, "__builtins__": modules.builtins()}
    try:
        try:
            value = _call_handler(compiled, namespace, handler, events, context, guard)
        except _Stop:
            value = None
        except ScriptFailure as err:
            if guard.stopped is None:
                err.output = output.getvalue()
                raise
            value = None
        finally:
            modules.close()
        if guard.stopped is not None:  # whatever the script did after it was stopped
            guard.stopped.output = output.getvalue()
            raise guard.stopped
        return _payload(value, output.getvalue()), output.getvalue()
    finally:
        # The script's functions and globals refer to each other: garbage only the collector frees. Emptied once
        # its answer is plain data (as the process AWS runs a script in ends with it), they are freed at once.
        namespace.clear()


def _call_handler(
    compiled: CompiledScript,
    namespace: dict[str, Any],
    handler_name: str,
    events: Any,
    context: dict[str, str],
    guard: _Guard,
) -> Any:
    try:
        try:
            guard.arm()
            exec(compiled, namespace)
            function = namespace.get(handler_name)
            if function is None:
                raise ScriptFailure(f"Handler {handler_name!r} is not defined in the script")
            if not callable(function):
                raise ScriptFailure(f"Handler {handler_name!r} is not a function")
            return function(events, context)
        finally:
            try:
                guard.disarm()
            except _Stop:  # the watchdog's stop, raised just before and arriving now: disarm again
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
    """The script's ``context``: the system variables, the time-valued ones as the step starts."""
    context = {
        "automation:EXECUTION_ID": execution_id,
        "global:ACCOUNT_ID": account,
        "global:REGION": region,
        "global:AWS_PARTITION": partition,
    }
    for name, time_format in TIME_VARIABLES.items():
        context[name] = clock.strftime(time_format)
    return context


CompiledScript = types.CodeType
"""A script's code object."""


def compile_script(code: str) -> CompiledScript | str:
    """The script compiled, or the one-line message of its syntax error (a plan compiles a literal script once)."""
    try:
        compiled = compile(code, SCRIPT_FILE, "exec", dont_inherit=True)
    except SyntaxError as err:
        return f"SyntaxError: {err.msg} (line {err.lineno})"
    except ValueError as err:  # source with a null byte
        return _one_line(err)
    return compiled


# -- the budget: simulated time for sleeps, real time for computation -------------------------------------------


class _Stop(BaseException):
    """Raised into the script to stop it; ``except Exception`` does not catch it."""


class _Guard:
    """The script's budget, its clock functions and the runaway guard of the thread running it."""

    def __init__(self, clock: Clock, timeout_seconds: float, cpu_seconds: float) -> None:
        self.clock = clock
        self.timeout_seconds = timeout_seconds
        self.deadline = clock.now + timeout_seconds
        self.cpu_seconds = cpu_seconds
        self.stopped: ScriptFailure | None = None
        """Why the script was stopped; it fails with this whatever it does next."""
        self.watch: Watch | None = None
        """The watchdog's watch of the thread running the script, while it runs."""
        self._outside = _OutsideBudget(self)
        self.previous_trace: Any = None
        """The thread's trace function when the script started (a debugger's, a coverage tool's)."""
        self.retraced = False

    # the script's clock

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
        """Raise the stop again for a script that swallowed it (called at every sleep and AWS call), and trace the
        script so that its next line raises it once more, outside the ``try`` that swallowed it (``_retrace``)."""
        if self.stopped is not None:
            self._retrace()
            raise _Stop(self.stopped.message)

    def _retrace(self) -> None:
        """Trace the script's frames on this thread, so the next line the script runs raises the stop again: a
        stopped script that swallowed the stop and called the simulator again (a sleep, an AWS call) is stopped by
        the next line of its loop too, outside the ``try`` that swallowed it. CPython drops a trace function that
        raised, so the next sleep or call puts it back; ``disarm`` gives back the thread's own trace function."""
        watch = self.watch
        if watch is None or watch.ident != threading.get_ident():
            return
        stopped = self.stopped
        assert stopped is not None

        def trace(frame: types.FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
            if frame.f_code.co_filename != SCRIPT_FILE:
                return None
            if event in ("call", "line"):
                raise _Stop(stopped.message)
            return trace

        self.retraced = True
        sys.settrace(trace)
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == SCRIPT_FILE:
                frame.f_trace = trace
                frame.f_trace_lines = True
            frame = frame.f_back

    def refuse(self, error: AwsError) -> NoReturn:
        """A call the fake world cannot answer (``NotModeled``): the script is stopped and fails with it."""
        self._stop(ScriptFailure(error.message))

    def _stop(self, failure: ScriptFailure) -> NoReturn:
        if self.stopped is None:
            self.stopped = failure
        raise _Stop(self.stopped.message)

    # the runaway guard: the watchdog reads the running thread's CPU time (toolkit.simulate.watchdog)

    def arm(self) -> None:
        """Start the budget on this thread (the watch is kept first, so ``disarm`` finds it whatever happens)."""
        self.previous_trace = sys.gettrace()
        self.watch = Watch(self.cpu_seconds, self._runaway, _Stop)
        WATCHDOG.watch(self.watch)

    def disarm(self) -> None:
        """End the budget: once this returns, no stop reaches the thread. Call it again if it raised ``_Stop``
        (a stop the watchdog raised just before, arriving while it ran)."""
        if self.watch is not None:
            WATCHDOG.unwatch(self.watch)
            self.watch = None
        if self.retraced:
            self.retraced = False
            sys.settrace(self.previous_trace)
        self.previous_trace = None

    def _runaway(self) -> None:
        """The watchdog found the script past its CPU budget (called on the watchdog's thread)."""
        if self.stopped is None:
            self.stopped = ScriptTimeout(
                f"The script computed for more than {self.cpu_seconds:g} seconds of CPU time without sleeping "
                "(a runaway loop?) and was stopped"
            )

    def outside_budget(self) -> _OutsideBudget:
        """The simulator's own work for the script (building clients, answering calls): not counted, never
        interrupted by the runaway stop.

        Only on the script's thread while it runs (a thread the script started is not watched)."""
        return self._outside


class _OutsideBudget:
    """A context in which the script's thread is paused: its CPU time is not counted and no stop is raised into
    it. Nested contexts and other threads leave the pause as it is."""

    __slots__ = ("depth", "guard")

    def __init__(self, guard: _Guard) -> None:
        self.guard = guard
        self.depth = 0

    def __enter__(self) -> None:
        watch = self.guard.watch
        if watch is None or watch.ident != threading.get_ident():
            return
        if self.depth == 0 and not WATCHDOG.pause(watch):
            self.guard.check()  # the watchdog's stop is on its way: the simulator's work must not start
        self.depth += 1

    def __exit__(self, *exc: object) -> None:
        watch = self.guard.watch
        if watch is None or watch.ident != threading.get_ident():
            return
        self.depth -= 1
        if self.depth == 0:
            WATCHDOG.resume(watch)
