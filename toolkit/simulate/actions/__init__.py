"""One handler per action: ``handler_for("aws:x")`` gives the function that runs such a step.

A handler takes the step's plan, the execution and the step's deadline on the simulated clock, and returns an
``Outcome`` or raises ``StepFailed``. An action the simulator cannot run fails its step, naming it; it never
passes silently. ``prepare`` lets an action compile what it needs once (a branch's choices, a loop's body).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from toolkit.simulate.actions import api, branch, flow, integrations, script_step

if TYPE_CHECKING:
    from toolkit.simulate.engine import Execution, Handler, Outcome
    from toolkit.simulate.plan import StepPlan

HANDLERS: dict[str, Handler] = {
    "aws:executeAwsApi": api.execute_aws_api,
    "aws:assertAwsResourceProperty": api.assert_property,
    "aws:waitForAwsResourceProperty": api.wait_for_property,
    "aws:branch": branch.run_branch,
    "aws:executeScript": script_step.run_script_step,
    "aws:sleep": flow.sleep,
    "aws:pause": flow.pause,
    "aws:approve": flow.approve,
    "aws:updateVariable": flow.update_variable,
    "aws:loop": flow.loop,
    "aws:executeAutomation": flow.execute_automation,
    **integrations.HANDLERS,
}

PREPARERS: dict[str, Callable[[StepPlan, Mapping[str, int]], None]] = {
    "aws:branch": branch.prepare,
    "aws:executeAwsApi": api.prepare,
    "aws:assertAwsResourceProperty": api.prepare,
    "aws:waitForAwsResourceProperty": api.prepare,
    "aws:loop": flow.prepare_loop,
}


def handler_for(action: str) -> Handler:
    return HANDLERS.get(action, _unknown)


def prepare(step: StepPlan, names: Mapping[str, int]) -> None:
    preparer = PREPARERS.get(step.action)
    if preparer is not None:
        preparer(step, names)


def _unknown(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    from toolkit.simulate.engine import StepFailed

    raise StepFailed(f"unknown action {step.action!r}: SSM would not run this document")
