"""What a simulated execution gives back: the contract's result, in Python and as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from toolkit.fakes.protocol import Call
from toolkit.records import MutableRecord

if TYPE_CHECKING:
    from toolkit.fakes.world import World

SUCCESS = "Success"
FAILED = "Failed"
TIMED_OUT = "TimedOut"
CANCELLED = "Cancelled"


class StepRun(MutableRecord):
    """One run of one step (a retried or revisited step appears once per run of it)."""

    __slots__ = _FIELDS = ("name", "action", "status", "outputs", "failure_message")
    name: str
    action: str
    status: str
    outputs: dict[str, Any]
    failure_message: str | None

    def __init__(
        self,
        name: str,
        action: str,
        status: str,
        outputs: dict[str, Any],
        failure_message: str | None,
    ) -> None:
        self.name = name
        self.action = action
        self.status = status
        self.outputs = outputs
        self.failure_message = failure_message

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "action": self.action,
            "status": self.status,
            "outputs": self.outputs,
            "failure_message": self.failure_message,
        }


class ChildRun(MutableRecord):
    """One child automation an execution started, at any depth (aws:executeAutomation's child, and the children of
    a rate-controlled or multi-account one), in the order they started: where it ran and how it ended.
    ``execution_id`` is None for a child that never started (its account is not in the world, or it lacks the
    execution role; its parameters were refused): no execution of that id exists."""

    __slots__ = _FIELDS = (
        "execution_id",
        "document",
        "parent_id",
        "account",
        "region",
        "status",
        "target",
        "failure_message",
    )
    execution_id: str | None
    document: str
    parent_id: str
    account: str
    region: str
    status: str
    target: str | None
    """The target value (or target map, as JSON) of a rate-controlled child; None for any other."""
    failure_message: str | None

    def __init__(
        self,
        execution_id: str | None,
        document: str,
        parent_id: str,
        account: str,
        region: str,
        status: str,
        target: str | None = None,
        failure_message: str | None = None,
    ) -> None:
        self.execution_id = execution_id
        self.document = document
        self.parent_id = parent_id
        self.account = account
        self.region = region
        self.status = status
        self.target = target
        self.failure_message = failure_message

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "execution_id": self.execution_id,
            "document": self.document,
            "parent_id": self.parent_id,
            "account": self.account,
            "region": self.region,
            "status": self.status,
        }
        if self.target is not None:
            shown["target"] = self.target
        shown["failure_message"] = self.failure_message
        return shown


class SimulationResult(MutableRecord):
    """``status`` is None only when the execution could not start; ``error`` then says why.

    ``outputs`` are the execution's outputs as GetAutomationExecution's ``Outputs`` holds them: the outputs the
    document declares in its top-level ``outputs`` (``Step.Output``, in the document's order), as far as the
    execution produced them (contract version 0.2). AWS lists a declared output whose step did not succeed with the
    text "No output available yet because the step is not successfully executed" (AWS CLI's example of
    describe-automation-executions, AWS-UpdateLinuxAmi's ``createImage.ImageId``); the contract leaves it out, so a
    missing key means "not produced". AWS also gives each value as a list of strings; the result keeps the
    output's declared type, as steps' outputs do. Every step's own outputs, built-in ones such as an
    aws:executeScript's ``Payload`` included, are under ``steps``; ``step_outputs`` gathers them keyed
    ``Step.Output`` (a step run more than once: its last successful run), for tests that read an intermediate
    value. It is not part of the JSON."""

    __slots__ = _FIELDS = ("status", "steps", "outputs", "calls", "world", "error", "children", "step_outputs")
    status: str | None
    steps: list[StepRun]
    outputs: dict[str, Any]
    calls: list[Call]
    world: World | None
    error: dict[str, str] | None
    children: list[ChildRun]
    """Every child automation started, in the order they started (the JSON has a ``children`` key only when there
    is one)."""
    step_outputs: dict[str, Any]
    """Every output of every successful step run, keyed ``Step.Output`` (the last run's where a step ran twice)."""

    def __init__(
        self,
        status: str | None,
        steps: list[StepRun],
        outputs: dict[str, Any],
        calls: list[Call],
        world: World | None,
        error: dict[str, str] | None = None,
        children: list[ChildRun] | None = None,
        step_outputs: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.steps = steps
        self.outputs = outputs
        self.calls = calls
        self.world = world
        self.error = error
        self.children = list() if children is None else children
        self.step_outputs = dict() if step_outputs is None else step_outputs

    def to_dict(self) -> dict[str, Any]:
        shown = {
            "status": self.status,
            "steps": [step.to_json() for step in self.steps],
            "outputs": self.outputs,
            "calls": [call.to_json() for call in self.calls],
            "error": self.error,
        }
        if self.children:
            shown["children"] = [child.to_json() for child in self.children]
        return shown

    def to_json(self) -> str:
        """Exactly the CLI's ``--format json`` document: the same inputs give the same bytes."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=False, default=_jsonable) + "\n"


def _jsonable(value: object) -> object:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", errors="replace")
    return str(value)
