"""aws:executeScript: the document's own Python, run in-process; its boto3 clients talk to the fake world."""

from __future__ import annotations

from typing import Final

from toolkit.model.values import BUILD_PLACEHOLDER
from toolkit.simulate.boto_models import ServiceModels
from toolkit.simulate.engine import Execution, Outcome, StepFailed
from toolkit.simulate.plan import StepPlan
from toolkit.simulate.result import TIMED_OUT

SCRIPT_LIMIT = 600.0  # aws:executeScript runs at most 600 s, whatever its timeoutSeconds says

SERVICE_MODELS: Final = ServiceModels()
"""botocore's loaded service models and template clients, shared by the scripts of every simulation in this
process: immutable once built, bounded, built on first use (importing this module loads nothing). Each
execution's clients and sessions are its own copies, so no state passes from one simulation to the next."""


def run_script_step(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
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
            code=code,
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
            models=SERVICE_MODELS,
        )
    except ScriptTimeout as err:
        raise StepFailed(err.message, TIMED_OUT) from err
    except ScriptFailure as err:
        raise StepFailed(err.message) from err
    return Outcome(response={"Payload": result}, builtin={"Payload": result})
