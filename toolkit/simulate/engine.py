"""The step interpreter: runs a plan on a simulated clock with SSM's flow, retry, timeout and status rules.

After a step succeeds the execution goes to its ``nextStep``, else ends if ``isEnd``, else runs the next step in
the list. A failed step is retried until ``maxAttempts`` is used up; then ``onFailure`` decides: Abort ends the
execution, Continue goes on, ``step:X`` jumps. A step that runs past ``timeoutSeconds`` (simulated time) ends
TimedOut. The execution is Failed if any critical step failed, even when the flow went on; else Success.
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.simulate.execution import ABORT, END, Execution, Outcome, StepFailed, StepPlan
from toolkit.simulate.result import CANCELLED, FAILED, SUCCESS, TIMED_OUT, StepRun

# The simulator's own guards (SSM documents no limit on the steps an execution runs: toolkit.ssm.limits), so that
# a simulation halts. A loop is a jump back to a step already run in the same pass over its list (nextStep, onFailure
# or onCancel naming an earlier step, or the step itself; an aws:loop's iterations and a step's retries are not
# jumps back): an execution that jumps back this many times is stopped as a loop with no way out. A straight
# document never jumps back, however long it is. An execution that runs more steps than MAX_STEP_RUNS in all (loops
# within bounds: aws:loop inside aws:loop, each up to 100 iterations) is stopped too, saying so, not called a loop.
MAX_JUMPS_BACK: Final = 10_000
MAX_STEP_RUNS: Final = 100_000


def run_steps(steps: list[StepPlan], run: Execution) -> str:
    """Run a step list to its end; the status it ends with (Success, Failed, TimedOut or Cancelled)."""
    index = 0 if steps else END
    failed_critical = False
    runs = run.runs
    cancel_at = run.options.cancel_at
    entered = bytearray(len(steps))
    while index != END:
        step = steps[index]
        if entered[index]:
            run.jumps_back += 1
            if run.jumps_back >= MAX_JUMPS_BACK:
                runs.append(StepRun(step.name, step.action, FAILED, {}, _endless_loop()))
                return FAILED
        entered[index] = 1
        if len(runs) >= MAX_STEP_RUNS:
            runs.append(StepRun(step.name, step.action, FAILED, {}, _too_long()))
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


def _endless_loop() -> str:
    return (
        f"the execution went back to a step it had already run {MAX_JUMPS_BACK} times without ending; stopped (a "
        "loop with no way out?)"
    )


def _too_long() -> str:
    return f"the execution ran {MAX_STEP_RUNS} steps without ending; the simulator stops an execution there"


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
    for output in step.outputs:
        found, value = output.read(outcome.response)  # compiled with the plan; raises StepFailed
        if found:
            produced[output.name] = value
    for name, value in produced.items():
        key = f"{step.name}.{name}"
        run.scope.outputs[key] = value
        run.outputs[key] = value
    return produced
