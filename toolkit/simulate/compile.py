"""The plan compiler: a document compiled into a reusable ``Plan``, every step's flow resolved to indexes, every
input compiled, each action's own preparation done once (``Actions.prepare``).

Compiling once and running many times is what makes a simulation cost microseconds: nothing is parsed, looked up
by name or interpolated by regular expression while an execution runs. The compiler is given the actions it
compiles for and the AWS models API steps are checked against (``Compiler``); it holds no other state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from toolkit.errors import SimulationError
from toolkit.model.parameter import ParameterType
from toolkit.simulate.execution import ABORT, END, UNUSABLE, OutputPlan, Plan, StepPlan
from toolkit.simulate.params import declarations
from toolkit.simulate.template import Template, compile_value

if TYPE_CHECKING:
    from toolkit.aws.models import ModelStore
    from toolkit.simulate.actions import Actions

# The longest a step may take when it sets no timeoutSeconds (AWS's documented defaults; None: no limit).
DEFAULT_TIMEOUTS: Final[Mapping[str, float]] = {
    "aws:executeScript": 600.0,
    "aws:waitForAwsResourceProperty": 3600.0,
    "aws:assertAwsResourceProperty": 3600.0,
    "aws:changeInstanceState": 3600.0,
    "aws:approve": 7 * 24 * 3600.0,
    "aws:sleep": 7 * 24 * 3600.0,
}


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
    )


def _variable_type(spec: Any) -> ParameterType | None:
    try:
        return ParameterType(spec.get("type")) if isinstance(spec, dict) else None
    except ValueError:
        return None


def compile_steps(steps: list[Any], compiler: Compiler) -> list[StepPlan]:
    """Compile one step list (mainSteps, or a loop's Steps): jumps resolve within the list."""
    actions = compiler.actions
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
            handler=actions.handler_for(action),
        )
        plans.append(plan)
    for plan in plans:
        actions.prepare(plan, names, compiler)
        plan.simple = plan.max_attempts == 1 and plan.timeout is None
    return plans


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
