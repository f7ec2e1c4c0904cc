"""A document compiled into a reusable plan: every step's flow resolved to indexes, every input compiled.

Compiling once and running many times is what makes a simulation cost microseconds: nothing is parsed, looked up
by name or interpolated by regular expression while an execution runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from toolkit.errors import SimulationError
from toolkit.model.parameter import ParameterType
from toolkit.simulate.params import Declared, copy_value, declarations, resolve
from toolkit.simulate.template import Template, compile_value

if TYPE_CHECKING:
    from toolkit.simulate.engine import Handler

END: Final = -1
ABORT: Final = -2
CONTINUE: Final = -3
UNUSABLE: Final = "InvalidDocument"

# The longest a step may take when it sets no timeoutSeconds (AWS's documented defaults; None: no limit).
DEFAULT_TIMEOUTS: Final[Mapping[str, float]] = {
    "aws:executeScript": 600.0,
    "aws:waitForAwsResourceProperty": 3600.0,
    "aws:assertAwsResourceProperty": 3600.0,
    "aws:changeInstanceState": 3600.0,
    "aws:approve": 7 * 24 * 3600.0,
    "aws:sleep": 7 * 24 * 3600.0,
}


@dataclass(slots=True)
class OutputPlan:
    name: str
    selector: str
    type: str


@dataclass(slots=True, eq=False)
class StepPlan:
    """One step, ready to run. ``next_step`` is the index run after success (END: the execution ends)."""

    index: int
    name: str
    action: str
    data: dict[str, Any]
    inputs: dict[str, Template]
    outputs: list[OutputPlan]
    max_attempts: int | Template
    timeout: float | Template | None
    on_failure: int
    on_cancel: int
    critical: bool | Template
    next_step: int
    following: int
    handler: Handler
    extra: dict[str, Any] = field(default_factory=dict)
    simple: bool = False
    """One attempt and no timeout: the engine's short path."""
    """Whatever the action compiled for itself (a loop's body, a branch's choices...)."""


@dataclass(slots=True, eq=False)
class Plan:
    steps: list[StepPlan]
    names: dict[str, int]
    parameters: dict[str, Declared]
    variables: dict[str, Any]
    outputs: list[str]
    name: str | None
    variable_types: dict[str, ParameterType] = field(default_factory=dict)
    _last: tuple[dict[str, Any], dict[str, Any]] | None = None
    """The last parameters given and the values they resolved to: runs often repeat them."""

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The execution's parameter values (``params.resolve``), remembering the last answer."""
        last = self._last
        if last is not None and last[0] == given:
            return {key: copy_value(value) for key, value in last[1].items()}
        values = resolve(self.parameters, given)
        self._last = (copy_value(dict(given)), values)
        return {key: copy_value(value) for key, value in values.items()}

    def index(self, name: str) -> int:
        return self.names[name]


def compile_document(data: Mapping[str, Any], name: str | None = None) -> Plan:
    """The plan of a document's data. Raises SimulationError (InvalidDocument) for what AWS would not accept."""
    steps = data.get("mainSteps")
    if not isinstance(steps, list) or not steps:
        raise SimulationError("the document has no mainSteps to run", code=UNUSABLE)
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise SimulationError("variables must be a mapping", code=UNUSABLE)
    outputs = data.get("outputs") or []
    compiled = compile_steps(steps)
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
    )


def _variable_type(spec: Any) -> ParameterType | None:
    try:
        return ParameterType(spec.get("type")) if isinstance(spec, dict) else None
    except ValueError:
        return None


def compile_steps(steps: list[Any]) -> list[StepPlan]:
    """Compile one step list (mainSteps, or a loop's Steps): jumps resolve within the list."""
    from toolkit.simulate.actions import handler_for

    names: dict[str, int] = {}
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("name"), str):
            raise SimulationError(f"step {index + 1} has no name", code=UNUSABLE)
        names.setdefault(step["name"], index)
    plans = []
    count = len(steps)
    for index, step in enumerate(steps):
        name = step["name"]
        action = step.get("action")
        action = action if isinstance(action, str) else ""
        inputs = step.get("inputs")
        inputs = inputs if isinstance(inputs, dict) else {}
        following = index + 1 if index + 1 < count else END
        plan = StepPlan(
            index=index,
            name=name,
            action=action,
            data=step,
            inputs={key: compile_value(value) for key, value in inputs.items() if key != "Steps"},
            outputs=_outputs(step),
            max_attempts=_fixed_int(step.get("maxAttempts", 1)),
            timeout=_timeout(step, action),
            on_failure=_jump(step.get("onFailure", "Abort"), names, following, name, "onFailure"),
            on_cancel=_jump(step.get("onCancel", "Abort"), names, following, name, "onCancel"),
            critical=_fixed_bool(step.get("isCritical", step.get("onFailure") != "Continue")),
            next_step=_next(step, names, following),
            following=following,
            handler=handler_for(action),
        )
        plans.append(plan)
    for plan in plans:
        _prepare(plan, names)
        plan.simple = plan.max_attempts == 1 and plan.timeout is None
    return plans


def _prepare(plan: StepPlan, names: Mapping[str, int]) -> None:
    from toolkit.simulate.actions import prepare

    prepare(plan, names)


def _outputs(step: Mapping[str, Any]) -> list[OutputPlan]:
    outputs = step.get("outputs")
    found = []
    for item in outputs if isinstance(outputs, list) else ():
        if isinstance(item, dict) and isinstance(item.get("Name"), str) and isinstance(item.get("Selector"), str):
            kind = item.get("Type", "String")
            found.append(OutputPlan(item["Name"], item["Selector"], kind if isinstance(kind, str) else "String"))
    return found


def _timeout(step: Mapping[str, Any], action: str) -> float | Template | None:
    if "timeoutSeconds" in step:
        value = _fixed_int(step["timeoutSeconds"])
        return float(value) if isinstance(value, int) else value
    return DEFAULT_TIMEOUTS.get(action)


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


def _jump(value: Any, names: Mapping[str, int], following: int, step: str, key: str) -> int:
    if value == "Abort" or value is None:
        return ABORT
    if value == "Continue":
        return following if key == "onFailure" else ABORT
    if isinstance(value, str) and value.startswith("step:"):
        target = value[len("step:") :].strip()
        if target in names:
            return names[target]
    raise SimulationError(f"step {step}: {key} {value!r} names no step of its list", code=UNUSABLE)


def _next(step: Mapping[str, Any], names: Mapping[str, int], following: int) -> int:
    target = step.get("nextStep")
    if isinstance(target, str):
        if target not in names:
            raise SimulationError(f"step {step['name']}: nextStep {target} names no step of its list", code=UNUSABLE)
        return names[target]
    if step.get("isEnd") is True or step.get("isEnd") == "true":
        return END
    return following
