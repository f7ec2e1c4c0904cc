"""aws:executeScript: the document's own Python, run in-process; its boto3 clients talk to the fake world."""

from __future__ import annotations

from collections.abc import Mapping

from toolkit.model.values import BUILD_PLACEHOLDER
from toolkit.simulate.execution import Execution, Outcome, StepCompiler, StepFailed, StepPlan
from toolkit.simulate.result import TIMED_OUT
from toolkit.ssm.limits import SCRIPT_TIMEOUT_SECONDS

SCRIPT_LIMIT = float(SCRIPT_TIMEOUT_SECONDS)  # the most aws:executeScript runs, whatever its timeoutSeconds says


def prepare(step: StepPlan, names: Mapping[str, int], compiler: StepCompiler) -> None:
    """A literal Python script is compiled once, with the plan (one with a syntax error fails each run)."""
    inputs = step.data.get("inputs")
    code = inputs.get("Script") if isinstance(inputs, dict) else None
    if isinstance(code, str) and "{{" not in code and not BUILD_PLACEHOLDER.fullmatch(code.strip()):
        # lazy: the script runner loads only when a document has a script step
        from toolkit.simulate.script import compile_script

        compiled = compile_script(code)
        if not isinstance(compiled, str):
            step.extra["compiled"] = compiled


def run_script_step(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    # lazy: the script runner loads only when a document has a script step
    from toolkit.simulate.script import ScriptFailure, ScriptTimeout, run_script

    runtime = run.render(step, "Runtime")
    if not isinstance(runtime, str) or not runtime.lower().startswith("python"):
        raise StepFailed(f"runtime {runtime!r}: only Python scripts can be simulated")
    code, handler = run.render(step, "Script"), run.render(step, "Handler")
    if not isinstance(code, str):
        raise StepFailed("the script comes from an attachment, which cannot be simulated")
    if not isinstance(handler, str):
        raise StepFailed("a Python script needs a Handler")
    if BUILD_PLACEHOLDER.fullmatch(code.strip()):
        raise StepFailed(f"the script is a build-time placeholder ({code.strip()}), not code: fill it in to simulate")
    payload = run.render(step, "InputPayload", {}) or {}
    if not isinstance(payload, dict):
        raise StepFailed("InputPayload must be a mapping")
    budget = SCRIPT_LIMIT if deadline is None else min(SCRIPT_LIMIT, deadline - run.clock.now)
    backend = run.recorder.backend
    try:
        result = run_script(
            code=step.extra.get("compiled", code),
            handler=handler,
            payload=payload,
            call=run.call,
            clock=run.clock,
            timeout_seconds=budget,
            region=backend.region,
            account=backend.account,
            partition=backend.partition,
            execution_id=run.execution_id,
            cpu_seconds=run.options.cpu_seconds,
            models=run.script_models,
        )
    except ScriptTimeout as err:
        raise StepFailed(err.message, TIMED_OUT) from err
    except ScriptFailure as err:
        raise StepFailed(err.message) from err
    return Outcome(response={"Payload": result}, builtin={"Payload": result})
