"""The action handlers: ``ACTIONS.handler_for("aws:x")`` gives the function that runs such a step.

A handler takes the step's plan, the execution and the step's deadline on the simulated clock, and returns an
``Outcome`` or raises ``StepFailed``. An action the simulator cannot run fails its step, naming it; it never
passes silently. ``prepare`` lets an action compile what it needs once (a branch's choices, a loop's body).

Handlers sit on ``toolkit.simulate.execution`` and the modules beside it that reach no higher (aws:executeAutomation
on ``child_documents``, ``targets``, ``rate_control`` and ``records``): what they need from the layers above (a loop
runs its body, executeAutomation a child document) they take from the ``Execution`` or the ``StepCompiler`` they
are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from toolkit.records import Record
from toolkit.simulate.actions import api, branch, flow, integrations, script_step
from toolkit.simulate.execution import Execution, Handler, Outcome, Preparer, StepCompiler, StepFailed, StepPlan


class Actions(Record):
    """A registry of actions: the handler that runs each, and the preparers that compile what one needs."""

    __slots__ = ("handlers", "preparers")
    _FIELDS = ("handlers", "preparers")
    handlers: Mapping[str, Handler]
    preparers: Mapping[str, Preparer]

    def __init__(self, handlers: Mapping[str, Handler], preparers: Mapping[str, Preparer]) -> None:
        object.__setattr__(self, "handlers", handlers)
        object.__setattr__(self, "preparers", preparers)

    def handler_for(self, action: str) -> Handler:
        return self.handlers.get(action, _unknown)

    def prepare(self, step: StepPlan, names: Mapping[str, int], compiler: StepCompiler) -> None:
        preparer = self.preparers.get(step.action)
        if preparer is not None:
            preparer(step, names, compiler)


def _unknown(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    raise StepFailed(f"unknown action {step.action!r}: SSM would not run this document")


ACTIONS: Final = Actions(
    handlers=MappingProxyType(
        {
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
    ),
    preparers=MappingProxyType(
        {
            "aws:branch": branch.prepare,
            "aws:executeAwsApi": api.prepare,
            "aws:assertAwsResourceProperty": api.prepare,
            "aws:waitForAwsResourceProperty": api.prepare,
            "aws:loop": flow.prepare_loop,
            "aws:executeScript": script_step.prepare,
        }
    ),
)
"""The actions SSM Automation runs (read-only: a simulator is given a registry, never changes one)."""
