"""aws:branch: the first choice whose condition holds names the next step; else Default.

Conditions compare the resolved ``Variable`` with one operator, or combine conditions with And, Or and Not.
String operators compare text; numeric operators numbers (a value that is not a number fails the step); BooleanEquals
booleans (``true``/``false`` text counts). With no match and no Default the step goes on by its own flow
(nextStep, isEnd or the next step) — the same reading the linter takes, as AWS's docs are silent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from toolkit.simulate.execution import Execution, Outcome, StepCompiler, StepFailed, StepPlan
from toolkit.simulate.template import Scope, Unresolved, as_text, compile_value

Condition = Callable[[Scope], bool]


def prepare(step: StepPlan, names: Mapping[str, int], compiler: StepCompiler) -> None:
    """Compile the choices' conditions; their targets are resolved already (``StepPlan.jumps``, from the flow
    reading: a name that is no step of the list refused the document)."""
    choices = step.data.get("inputs", {}).get("Choices")
    compiled: list[tuple[Condition, int]] = []
    for index, choice in enumerate(choices if isinstance(choices, list) else ()):
        target = step.jumps.get(("inputs", "Choices", index, "NextStep"))
        if target is None:
            step.extra["problem"] = f"choice {index + 1} names no step of this list to go to"
            return
        try:
            compiled.append((compile_condition(choice), target))
        except ValueError as err:
            step.extra["problem"] = f"choice {index + 1}: {err}"
            return
    default = step.jumps.get(("inputs", "Default"))
    if default is not None:
        step.extra["default"] = default
    step.extra["choices"] = compiled


def run_branch(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    problem = step.extra.get("problem")
    if problem is not None:
        raise StepFailed(problem)
    try:
        for condition, target in step.extra["choices"]:
            if condition(run.scope):
                return Outcome(jump=target)
    except Unresolved as err:
        raise StepFailed(str(err)) from err
    return Outcome(jump=step.extra.get("default"))


def compile_condition(choice: Mapping[str, Any]) -> Condition:
    if "And" in choice or "Or" in choice:
        key = "And" if "And" in choice else "Or"
        parts = [compile_condition(item) for item in choice[key] if isinstance(item, dict)]
        if key == "And":
            return lambda scope: all(part(scope) for part in parts)
        return lambda scope: any(part(scope) for part in parts)
    if "Not" in choice:
        inner = choice["Not"]
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if not isinstance(inner, dict):
            raise ValueError("Not takes one condition")
        negated = compile_condition(inner)
        return lambda scope: not negated(scope)
    for operator, compare in OPERATORS.items():
        if operator in choice:
            variable = compile_value(choice.get("Variable"))
            operand = compile_value(choice[operator])
            return lambda scope: compare(variable(scope), operand(scope))
    raise ValueError("the condition has no operator")


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise StepFailed(f"{value!r} is not a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise StepFailed(f"{value!r} is not a number") from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise StepFailed(f"{value!r} is not a boolean")


def _contains(value: Any, operand: Any) -> bool:
    if isinstance(value, list):
        return as_text(operand) in [as_text(item) for item in value]
    return as_text(operand) in as_text(value)


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "StringEquals": lambda a, b: as_text(a) == as_text(b),
    "EqualsIgnoreCase": lambda a, b: as_text(a).lower() == as_text(b).lower(),
    "StartsWith": lambda a, b: as_text(a).startswith(as_text(b)),
    "EndsWith": lambda a, b: as_text(a).endswith(as_text(b)),
    "Contains": _contains,
    "NumericEquals": lambda a, b: _number(a) == _number(b),
    "NumericGreater": lambda a, b: _number(a) > _number(b),
    "NumericLesser": lambda a, b: _number(a) < _number(b),
    "NumericGreaterOrEquals": lambda a, b: _number(a) >= _number(b),
    "NumericLesserOrEquals": lambda a, b: _number(a) <= _number(b),
    "BooleanEquals": lambda a, b: _boolean(a) == _boolean(b),
}
