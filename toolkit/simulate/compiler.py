"""The plan compiler: a document compiled into a reusable ``Plan``, every step's flow resolved to indexes, every
input compiled, each action's own preparation done once (``Actions.prepare``).

Compiling once and running many times is what makes a simulation cost microseconds: nothing is parsed, looked up
by name or interpolated by regular expression while an execution runs. The compiler is given the actions it
compiles for and the AWS models API steps are checked against (``Compiler``); it holds no other state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from toolkit.errors import SimulationError
from toolkit.model.flow import EdgeKind, Jump, StepFlow, read_steps
from toolkit.simulate.execution import ABORT, END, UNUSABLE, OutputPlan, Plan, StepFailed, StepPlan
from toolkit.simulate.parameters import declarations
from toolkit.simulate.template import Template, compile_value
from toolkit.ssm.limits import DEFAULT_STEP_TIMEOUTS
from toolkit.ssm.types import ParameterType

if TYPE_CHECKING:
    from toolkit.aws.models import ModelStore
    from toolkit.simulate.actions import Actions
    from toolkit.simulate.jsonpath import Selector


class Compiler:
    """Compiles documents for one set of actions, checking API steps against one AWS model store."""

    __slots__ = ("actions", "models")

    def __init__(self, actions: Actions, models: ModelStore) -> None:
        self.actions = actions
        self.models = models

    def compile_document(self, data: Mapping[str, Any], name: str | None = None) -> Plan:
        return compile_document(data, name, self)

    def compile_steps(self, steps: list[Any]) -> list[StepPlan]:
        return compile_steps(steps, self)


def compile_document(data: Mapping[str, Any], name: str | None, compiler: Compiler) -> Plan:
    """The plan of a document's data. Raises SimulationError (InvalidDocument) for what AWS would not accept."""
    steps = data.get("mainSteps")
    if not isinstance(steps, list) or not steps:
        raise SimulationError("the document has no mainSteps to run", code=UNUSABLE)
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise SimulationError("variables must be a mapping", code=UNUSABLE)
    outputs = data.get("outputs") or []
    compiled = compile_steps(steps, compiler)
    return Plan(
        steps=compiled,
        names={step.name: step.index for step in compiled},
        parameters=declarations(data),
        variables={key: (spec.get("default") if isinstance(spec, dict) else None) for key, spec in variables.items()},
        outputs=[str(item).strip().strip("{} ") for item in outputs if isinstance(item, str)],
        name=name,
        variable_types={
            key: kind for key, kind in ((key, _variable_type(spec)) for key, spec in variables.items()) if kind
        },
        assume_role=compile_value(data["assumeRole"]) if isinstance(data.get("assumeRole"), str) else None,
    )


def _variable_type(spec: Any) -> ParameterType | None:
    try:
        return ParameterType(spec.get("type")) if isinstance(spec, dict) else None
    except ValueError:
        return None


def compile_steps(steps: list[Any], compiler: Compiler) -> list[StepPlan]:
    """Compile one step list (mainSteps, or a loop's Steps): its flow as ``toolkit.model.flow`` reads it, every
    jump resolved within the list. A step that is not a mapping or has no name, or a jump that names no step of
    the list or is not a spelling AWS accepts, makes the document unusable (InvalidDocument)."""
    actions = compiler.actions
    reading = read_steps(steps)
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("name"), str):
            raise SimulationError(f"step {index + 1} has no name", code=UNUSABLE)
    for flow, jump in reading.problems():
        raise SimulationError(_refusal(flow, jump), code=UNUSABLE)
    plans = []
    for index, (flow, edges) in enumerate(zip(reading.steps, reading.edges, strict=True)):
        step = steps[index]
        name = step["name"]
        action = flow.action or ""
        inputs = step.get("inputs")
        inputs = inputs if isinstance(inputs, dict) else {}
        targets = {edge.kind: edge.target for edge in edges}
        plan = StepPlan(
            index=index,
            name=name,
            action=action,
            data=step,
            inputs={key: compile_value(value) for key, value in inputs.items() if key != "Steps"},
            outputs=_outputs(step),
            max_attempts=_fixed_int(step.get("maxAttempts", 1)),
            timeout=_timeout(step, action),
            on_failure=targets.get(EdgeKind.FAILURE, ABORT),
            on_cancel=targets.get(EdgeKind.CANCEL, ABORT),
            critical=_fixed_bool(step.get("isCritical", step.get("onFailure") != "Continue")),
            next_step=targets.get(EdgeKind.FLOW, targets.get(EdgeKind.LOOP_BACK, END)),
            following=index + 1 if index + 1 < len(steps) else END,
            handler=actions.handler_for(action),
            jumps={jump.field: jump.target for jump in reading.jumps[index]},
        )
        plans.append(plan)
    names = dict(reading.names)
    for plan in plans:
        actions.prepare(plan, names, compiler)
        plan.simple = plan.max_attempts == 1 and plan.timeout is None
    return plans


def _refusal(step: StepFlow, jump: Jump) -> str:
    key = ".".join(str(part) for part in jump.field)
    if jump.name is None:
        words = "Abort, Continue or step:NAME" if key == "onFailure" else "Abort or step:NAME"
        return f"step {step.name}: {key} {step.data.get(key)!r} is not {words}"
    return f"step {step.name}: {key} {jump.name} names no step of its list"


def _outputs(step: Mapping[str, Any]) -> list[OutputPlan]:
    """The step's declared outputs, each selector compiled once, with the plan."""
    outputs = step.get("outputs")
    declared = [
        item
        for item in (outputs if isinstance(outputs, list) else ())
        if isinstance(item, dict) and isinstance(item.get("Name"), str) and isinstance(item.get("Selector"), str)
    ]
    if not declared:
        return []
    # lazy: a plan without declared outputs never needs the selector compiler (~20 ms) or output typing
    from toolkit.simulate.jsonpath import SelectorError, compile_selector

    found = []
    for item in declared:
        kind = item.get("Type", "String")
        compiled: Selector | str
        try:
            compiled = compile_selector(item["Selector"])
        except SelectorError as err:
            compiled = str(err)
        name, selector, kind = item["Name"], item["Selector"], kind if isinstance(kind, str) else "String"
        found.append(OutputPlan(name, selector, kind, compiled, _reader(name, selector, kind, compiled)))
    return found


def _reader(name: str, selector: str, kind: str, compiled: Selector | str) -> Callable[[Any], tuple[bool, Any]]:
    """An output's reading of a response, compiled once: select, then type; StepFailed naming the output."""
    # lazy: as in _outputs, only for a plan with declared outputs
    from toolkit.simulate.jsonpath import SelectorError
    from toolkit.simulate.outputs import OutputTypeError, convert

    def read(response: Any) -> tuple[bool, Any]:
        if isinstance(compiled, str):
            raise StepFailed(f"output {name}: selector {selector!r}: {compiled}")
        try:
            found, value = compiled.select(response)
        except SelectorError as err:
            raise StepFailed(f"output {name}: selector {selector!r}: {err}") from err
        if not found:
            return False, None
        try:
            return True, convert(value, kind)
        except OutputTypeError as err:
            raise StepFailed(f"output {name}: {err}") from err

    return read


def _timeout(step: Mapping[str, Any], action: str) -> float | Template | None:
    if "timeoutSeconds" in step:
        value = _fixed_int(step["timeoutSeconds"])
        return float(value) if isinstance(value, int) else value
    return DEFAULT_STEP_TIMEOUTS.get(action)  # the longest a step may take when it sets no timeoutSeconds


def _fixed_int(value: Any) -> int | Template:
    """A whole number known now (most are), or a template rendered per execution (a {{ reference }})."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return compile_value(value)


def _fixed_bool(value: Any) -> bool | Template:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return compile_value(value)
