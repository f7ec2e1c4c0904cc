"""Actions that shape the execution itself: sleep, pause, approve, loop, updateVariable, executeAutomation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolkit.errors import DefinitionError
from toolkit.lazy_dataclass import lazy_dataclass
from toolkit.model.step import Step, action_input
from toolkit.model.values import Kind, Ref, Value, as_tuple
from toolkit.ssm.actions import BUILTIN_OUTPUTS
from toolkit.ssm.limits import MAX_APPROVAL_MESSAGE, MAX_APPROVERS, MAX_LOOP_ITERATIONS, MIN_LOOP_ITERATIONS


@lazy_dataclass
class Sleep(Step):
    """aws:sleep: wait for an ISO 8601 Duration or until a Timestamp (at most 7 days)."""

    ACTION = "aws:sleep"

    duration: str | Ref | None = action_input("Duration", Kind.STRING)
    timestamp: str | Ref | None = action_input("Timestamp", Kind.STRING)

    def check_definition(self) -> None:
        super().check_definition()
        if (self.duration is None) == (self.timestamp is None):
            raise DefinitionError(
                "aws:sleep takes exactly one of Duration and Timestamp", step=self.name, field="inputs"
            )


@lazy_dataclass
class Pause(Step):
    """aws:pause: wait until the execution is resumed (inputs: {})."""

    ACTION = "aws:pause"


@lazy_dataclass
class Approve(Step):
    """aws:approve: wait for approvers to approve or reject."""

    ACTION = "aws:approve"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    approvers: Sequence[str | Ref] | Ref = action_input("Approvers", Kind.STRING_LIST, required=True)
    message: str | Ref | None = action_input("Message", Kind.STRING)
    min_required_approvals: int | Ref | None = action_input("MinRequiredApprovals", Kind.INTEGER)
    notification_arn: str | Ref | None = action_input("NotificationArn", Kind.STRING)

    def check_definition(self) -> None:
        super().check_definition()
        if isinstance(self.approvers, Sequence) and not 1 <= len(self.approvers) <= MAX_APPROVERS:
            raise DefinitionError(
                f"Approvers takes 1 to {MAX_APPROVERS} entries", step=self.name, field="inputs.Approvers"
            )
        if isinstance(self.message, str) and len(self.message) > MAX_APPROVAL_MESSAGE:
            raise DefinitionError(
                f"Message is at most {MAX_APPROVAL_MESSAGE} characters", step=self.name, field="inputs.Message"
            )


@lazy_dataclass
class UpdateVariable(Step):
    """aws:updateVariable: set a runtime variable declared under ``variables``."""

    ACTION = "aws:updateVariable"

    variable: str = action_input("Name", Kind.STRING, required=True)
    value: Value = action_input("Value", Kind.ANY, required=True)

    def check_definition(self) -> None:
        super().check_definition()
        if not self.variable.startswith("variable:"):
            raise DefinitionError("Name must be variable:<name>", step=self.name, field="inputs.Name")


@lazy_dataclass
class Loop(Step):
    """aws:loop: run nested Steps per iterator value, or while LoopCondition holds (at most MaxIterations)."""

    ACTION = "aws:loop"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    iterators: Sequence[Value] | Ref | None = action_input("Iterators", Kind.LIST)
    iterator_data_type: str | None = action_input("IteratorDataType", Kind.STRING)
    loop_condition: Mapping[str, Value] | None = action_input("LoopCondition", Kind.STRING_MAP)
    steps: Sequence[Step] = action_input("Steps", Kind.LIST, required=True)
    max_iterations: int | Ref | None = action_input("MaxIterations", Kind.INTEGER)

    def _check_inputs(self) -> None:
        object.__setattr__(self, "steps", as_tuple(self.steps, step=self.name, field="inputs.Steps"))
        for step in self.steps:
            if not isinstance(step, Step):
                raise DefinitionError(f"Steps must be steps, not {step!r}", step=self.name, field="inputs.Steps")

    def nested_steps(self) -> Sequence[Step]:
        return self.steps

    def check_definition(self) -> None:
        super().check_definition()
        if (self.iterators is None) == (self.loop_condition is None):
            raise DefinitionError(
                "aws:loop takes exactly one of Iterators and LoopCondition", step=self.name, field="inputs"
            )
        if (
            isinstance(self.max_iterations, int)
            and not MIN_LOOP_ITERATIONS <= self.max_iterations <= MAX_LOOP_ITERATIONS
        ):
            raise DefinitionError(
                f"MaxIterations is {MIN_LOOP_ITERATIONS} to {MAX_LOOP_ITERATIONS}",
                step=self.name,
                field="inputs.MaxIterations",
            )
        if not self.steps:
            raise DefinitionError("aws:loop needs at least one step", step=self.name, field="inputs.Steps")


@lazy_dataclass
class ExecuteAutomation(Step):
    """aws:executeAutomation: run another Automation document as a child execution."""

    ACTION = "aws:executeAutomation"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    document_name: str | Ref = action_input("DocumentName", Kind.STRING, required=True)
    document_version: str | Ref | None = action_input("DocumentVersion", Kind.STRING)
    runtime_parameters: Mapping[str, Value] | Ref | None = action_input("RuntimeParameters", Kind.STRING_MAP)
    tags: Sequence[Value] | Ref | None = action_input("Tags", Kind.MAP_LIST)
    target_parameter_name: str | Ref | None = action_input("TargetParameterName", Kind.STRING)
    targets: Sequence[Value] | Ref | None = action_input("Targets", Kind.MAP_LIST)
    target_maps: Sequence[Value] | Ref | None = action_input("TargetMaps", Kind.MAP_LIST)
    target_locations: Sequence[Value] | Ref | None = action_input("TargetLocations", Kind.MAP_LIST)
    target_locations_url: str | Ref | None = action_input("TargetLocationsURL", Kind.STRING)
    max_concurrency: str | Ref | None = action_input("MaxConcurrency", Kind.STRING)
    max_errors: str | Ref | None = action_input("MaxErrors", Kind.STRING)
