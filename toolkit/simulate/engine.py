"""The step interpreter: runs a plan on a simulated clock with SSM's flow, retry, timeout and status rules.

After a step succeeds the execution goes to its ``nextStep``, else ends if ``isEnd``, else runs the next step in
the list. A failed step is retried until ``maxAttempts`` is used up; then ``onFailure`` decides: Abort ends the
execution, Continue goes on, ``step:X`` jumps. A step that runs past ``timeoutSeconds`` (simulated time) ends
TimedOut. The execution is Failed if any critical step failed, even when the flow went on; else Success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from toolkit.simulate.clock import Clock
from toolkit.simulate.plan import ABORT, END, StepPlan
from toolkit.simulate.recorder import Recorder
from toolkit.simulate.result import CANCELLED, FAILED, SUCCESS, TIMED_OUT, StepRun
from toolkit.simulate.template import Scope, Unresolved

# An execution that runs more steps than this is stopped as Failed: SSM would run until its own limits; a
# simulation must halt. (A document looping through nextStep without end is reported, not hung on.)
MAX_STEP_RUNS: Final = 10_000


class StepFailed(Exception):
    """A step did not succeed: ``status`` is Failed, TimedOut or Cancelled; ``message`` says why in one line."""

    def __init__(self, message: str, status: str = FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(slots=True)
class Outcome:
    """What a step produced: the response its output selectors read, its built-in outputs, and where to go."""

    response: Any = None
    builtin: dict[str, Any] | None = None
    jump: int | None = None
    """An index to run next instead of the step's own flow (aws:branch); None: the step's own flow."""


Handler = Callable[[StepPlan, "Execution", float | None], Outcome]


@dataclass(slots=True)
class Options:
    """Choices a real execution leaves to people or to time."""

    approve: bool = True
    """aws:approve is approved (True) or rejected (False)."""
    resume: bool = True
    """aws:pause is resumed at once (True), or never, so it runs into its timeout (False)."""
    cancel_at: str | None = None
    """Cancel the execution when this step is about to run (its onCancel then decides)."""
    cpu_seconds: float = 5.0
    """Real seconds an aws:executeScript may compute before it is stopped as a runaway."""
    documents: Callable[[str], Any] | None = None
    """Finds the document an aws:executeAutomation step names (None: the project's runbooks and search path)."""
    start: datetime | None = None
    """When the execution starts (default: the clock's fixed epoch, 2026-01-01T00:00:00Z)."""
    moto: bool = False
    """Send calls the fake world does not model to moto's in-process mock (``toolkit.fakes.moto``)."""


class Execution:
    """One execution in progress: its scope, clock, AWS calls and the step runs so far."""

    __slots__ = (
        "cancelled",
        "children",
        "clock",
        "depth",
        "execution_id",
        "options",
        "outputs",
        "recorder",
        "runs",
        "scope",
        "variable_types",
    )

    def __init__(
        self,
        *,
        scope: Scope,
        clock: Clock,
        recorder: Recorder,
        options: Options,
        execution_id: str,
        variable_types: dict[str, Any],
        depth: int = 0,
    ) -> None:
        self.scope = scope
        self.clock = clock
        self.recorder = recorder
        self.options = options
        self.execution_id = execution_id
        self.variable_types = variable_types
        """Declared variables' ParameterType, for aws:updateVariable."""
        self.depth = depth
        self.runs: list[StepRun] = []
        self.outputs: dict[str, Any] = {}
        self.cancelled = False
        self.children = 0
        """Child executions started so far (their ids are numbered)."""

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.recorder.call(service, operation, params)

    def render(self, step: StepPlan, key: str, default: Any = None) -> Any:
        template = step.inputs.get(key)
        if template is None:
            return default
        try:
            return template(self.scope)
        except Unresolved as err:
            raise StepFailed(str(err)) from err

    def inputs(self, step: StepPlan, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
        try:
            return {key: template(self.scope) for key, template in step.inputs.items() if key not in skip}
        except Unresolved as err:
            raise StepFailed(str(err)) from err


def run_steps(steps: list[StepPlan], run: Execution) -> str:
    """Run a step list to its end; the status it ends with (Success, Failed, TimedOut or Cancelled)."""
    index = 0 if steps else END
    failed_critical = False
    runs = run.runs
    cancel_at = run.options.cancel_at
    while index != END:
        step = steps[index]
        if len(runs) >= MAX_STEP_RUNS:
            runs.append(StepRun(step.name, step.action, FAILED, {}, _runaway()))
            return FAILED
        if cancel_at is not None and cancel_at == step.name and not run.cancelled:
            run.cancelled = True
            runs.append(StepRun(step.name, step.action, CANCELLED, {}, "the execution was cancelled"))
            if step.on_cancel >= 0:
                index = step.on_cancel
                continue
            return CANCELLED
        if step.simple:
            # The common case, kept short: one attempt, no timeout.
            try:
                outcome = step.handler(step, run, None)
                outputs = _outputs(step, outcome, run) if step.outputs or outcome.builtin else {}
            except StepFailed as err:
                runs.append(StepRun(step.name, step.action, err.status, {}, err.message))
                status = err.status
            else:
                runs.append(StepRun(step.name, step.action, SUCCESS, outputs, None))
                index = outcome.jump if outcome.jump is not None else step.next_step
                continue
        else:
            status, outcome = _run_step(step, run)
            if status == SUCCESS:
                index = outcome.jump if outcome.jump is not None else step.next_step
                continue
        if _critical(step, run):
            failed_critical = True
        if step.on_failure == ABORT:
            return status
        index = step.on_failure
    return FAILED if failed_critical else SUCCESS


def _runaway() -> str:
    return f"the execution ran {MAX_STEP_RUNS} steps without ending; stopped (a loop with no way out?)"


def _critical(step: StepPlan, run: Execution) -> bool:
    value = step.critical if isinstance(step.critical, bool) else step.critical(run.scope)
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _run_step(step: StepPlan, run: Execution) -> tuple[str, Outcome]:
    """Run one step with its retries. Each attempt is one step run in the result (the contract's "once per run
    of it"); the step's status is its last attempt's."""
    attempts = step.max_attempts if isinstance(step.max_attempts, int) else _whole(step.max_attempts(run.scope), 1)
    attempts = max(attempts, 1)
    timeout = step.timeout
    if timeout is not None and not isinstance(timeout, float):
        timeout = float(_whole(timeout(run.scope), 0))
    status = FAILED
    for _ in range(attempts):
        start = run.clock.now
        deadline = None if not timeout else start + timeout
        try:
            outcome = step.handler(step, run, deadline)
            if deadline is not None and run.clock.now > deadline:
                run.clock.now = deadline
                raise StepFailed(f"the step ran past its timeout of {timeout:g} s", TIMED_OUT)
            outputs = _outputs(step, outcome, run) if step.outputs or outcome.builtin else {}
        except StepFailed as err:
            status = err.status
            run.runs.append(StepRun(step.name, step.action, status, {}, err.message))
            continue
        run.runs.append(StepRun(step.name, step.action, SUCCESS, outputs, None))
        return SUCCESS, outcome
    return status, Outcome()


def _whole(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return default


def _outputs(step: StepPlan, outcome: Outcome, run: Execution) -> dict[str, Any]:
    """The step's outputs: built-in ones, then declared ones selected from the response and typed."""
    produced: dict[str, Any] = dict(outcome.builtin) if outcome.builtin else {}
    if step.outputs:
        from toolkit.simulate.jsonpath import SelectorError, compile_selector
        from toolkit.simulate.outputs import OutputTypeError, convert

        for output in step.outputs:
            try:
                found, value = compile_selector(output.selector).select(outcome.response)
            except SelectorError as err:
                raise StepFailed(f"output {output.name}: selector {output.selector!r}: {err}") from err
            if not found:
                continue
            try:
                produced[output.name] = convert(value, output.type)
            except OutputTypeError as err:
                raise StepFailed(f"output {output.name}: {err}") from err
    for name, value in produced.items():
        key = f"{step.name}.{name}"
        run.scope.outputs[key] = value
        run.outputs[key] = value
    return produced
