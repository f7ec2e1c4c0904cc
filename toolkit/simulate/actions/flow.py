"""Actions that shape the execution itself: sleep, pause, approve, updateVariable, loop, executeAutomation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from toolkit.simulate.actions.branch import compile_condition
from toolkit.simulate.execution import Execution, Outcome, StepCompiler, StepFailed, StepPlan
from toolkit.simulate.result import SUCCESS, TIMED_OUT
from toolkit.simulate.template import Unresolved
from toolkit.ssm.durations import duration_seconds
from toolkit.ssm.limits import MAX_LOOP_ITERATIONS as MAX_ITERATIONS
from toolkit.ssm.limits import MAX_SLEEP_SECONDS
from toolkit.ssm.types import value_fits


def _wait(run: Execution, seconds: float, deadline: float | None, what: str) -> None:
    """Let ``seconds`` pass on the simulated clock, or fail the step as TimedOut at its deadline."""
    if deadline is not None and run.clock.now + seconds > deadline:
        run.clock.now = deadline
        raise StepFailed(f"the step timed out while {what}", TIMED_OUT)
    run.clock.advance(seconds)


def sleep(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    duration = run.render(step, "Duration")
    if duration is not None:
        seconds = duration_seconds(duration)
        if seconds is None:
            raise StepFailed(f"Duration {duration!r} is not an ISO 8601 duration")
    else:
        timestamp = run.render(step, "Timestamp")
        try:
            until = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
        except ValueError:
            raise StepFailed(f"Timestamp {timestamp!r} is not an ISO 8601 date-time") from None
        if until.tzinfo is None:
            raise StepFailed(f"Timestamp {timestamp!r} has no time zone")
        seconds = max((until - run.clock.instant()).total_seconds(), 0.0)
    if seconds > MAX_SLEEP_SECONDS:
        raise StepFailed("aws:sleep sleeps at most 7 days")
    _wait(run, seconds, deadline, "sleeping")
    return Outcome()


def pause(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    if not run.options.resume:
        _wait(run, MAX_SLEEP_SECONDS if deadline is None else deadline - run.clock.now, deadline, "paused")
        raise StepFailed("the execution was paused and never resumed", TIMED_OUT)
    return Outcome()


def approve(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    approvers = run.render(step, "Approvers", [])
    approvers = approvers if isinstance(approvers, list) else [approvers]
    decision = "Approved" if run.options.approve else "Rejected"
    decisions = [{"Approver": str(name), "Decision": decision} for name in approvers]
    if not run.options.approve:
        raise StepFailed("the approval was rejected")
    return Outcome(builtin={"ApprovalStatus": decision, "ApproverDecisions": decisions})


def update_variable(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    name = run.render(step, "Name")
    if not isinstance(name, str) or not name.startswith("variable:"):
        raise StepFailed(f"Name must be variable:<name>, not {name!r}")
    variable = name[len("variable:") :]
    if variable not in run.scope.variables:
        raise StepFailed(f"variable {variable} is not declared under variables")
    value = run.render(step, "Value")
    kind = run.variable_types.get(variable)
    if kind is not None and not value_fits(kind, value):
        raise StepFailed(f"variable {variable} is a {kind.value}; {value!r} does not fit")
    run.scope.variables[variable] = value
    return Outcome()


# -- aws:loop ----------------------------------------------------------------------------------------------


def prepare_loop(step: StepPlan, names: Mapping[str, int], compiler: StepCompiler) -> None:
    body = step.data.get("inputs", {}).get("Steps")
    if not isinstance(body, list) or not body:
        step.extra["problem"] = "aws:loop needs Steps"
        return
    step.extra["body"] = compiler.compile_steps(body)
    condition = step.data.get("inputs", {}).get("LoopCondition")
    if isinstance(condition, dict):
        try:
            step.extra["condition"] = compile_condition(condition)
        except ValueError as err:
            step.extra["problem"] = f"LoopCondition: {err}"


def loop(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    problem = step.extra.get("problem")
    if problem is not None:
        raise StepFailed(problem)
    body = step.extra["body"]
    maximum = run.render(step, "MaxIterations", MAX_ITERATIONS)
    maximum = maximum if isinstance(maximum, int) and not isinstance(maximum, bool) else MAX_ITERATIONS
    iterators = run.render(step, "Iterators")
    values: list[Any] | None = None
    if iterators is not None:
        values = iterators if isinstance(iterators, list) else [iterators]
        kind = run.render(step, "IteratorDataType", "String")
        values = [_typed(value, kind) for value in values][:maximum]
    condition = step.extra.get("condition")
    iteration = 0
    builtin: dict[str, Any] = {}
    while True:
        if values is not None and iteration >= len(values):
            break
        iteration += 1
        builtin = {"CurrentIteration": iteration}
        if values is not None:
            builtin["CurrentIteratorValue"] = values[iteration - 1]
        for name, value in builtin.items():
            run.scope.outputs[f"{step.name}.{name}"] = value
        status = run.run_steps(body, run)
        if status != SUCCESS:
            raise StepFailed(
                f"iteration {iteration} of the loop ended {status}", status if status == TIMED_OUT else "Failed"
            )
        if deadline is not None and run.clock.now > deadline:
            raise StepFailed("the loop ran past its timeout", TIMED_OUT)
        if values is None:
            try:
                going_on = condition is not None and condition(run.scope)
            except Unresolved as err:
                raise StepFailed(str(err)) from err
            if not going_on or iteration >= maximum:
                break
        elif iteration >= maximum:
            break
    return Outcome(builtin=builtin)


def _typed(value: Any, kind: Any) -> Any:
    if not isinstance(value, str):
        return value
    if kind == "Integer" and value.strip().lstrip("-").isdigit():
        return int(value)
    if kind == "Boolean" and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if kind == "StringMap":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise StepFailed(f"iterator value {value!r} is not a StringMap") from None
    return value


# -- aws:executeAutomation ---------------------------------------------------------------------------------


def execute_automation(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    # lazy: only aws:executeAutomation finds documents, reads targets and records executions in the world's SSM;
    # a simulation without one never loads them
    from toolkit.simulate.actions.automation import execute_automation as start_automation

    return start_automation(step, run, deadline)
