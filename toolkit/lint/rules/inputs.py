"""Action inputs (family 3): known actions, and the inputs of the flow actions (branch, sleep, approve, loop,
updateVariable) beyond their shape, which the schema checks. AWS API inputs are in ``api``, scripts in ``scripts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Final

from toolkit.lint.context import LintDocument, Path, StepSite
from toolkit.lint.rule import Problem, Rule
from toolkit.model.values import JSON, RefKind, whole_reference
from toolkit.ssm.actions import (
    ACTION_NAMES,
    BOOLEAN_OPERATORS,
    COMBINATORS,
    NUMERIC_OPERATORS,
    OPERATORS,
    STRING_OPERATORS,
)
from toolkit.ssm.durations import duration_seconds
from toolkit.ssm.limits import (
    APPROVAL_TOPIC_PREFIX,
    MAX_APPROVAL_MESSAGE,
    MAX_APPROVERS,
    MAX_LOOP_ITERATIONS,
    MAX_SLEEP_SECONDS,
    MAX_SLEEP_SHOWN,
    MAX_STEP_TIMEOUTS,
    MIN_LOOP_ITERATIONS,
)

CHOICE_KEYS: Final = frozenset({"NextStep", "Variable", *OPERATORS, *COMBINATORS})


def _is_ref(value: JSON) -> bool:
    return isinstance(value, str) and "{{" in value


class UnknownAction(Rule):
    """A step's action is not one of SSM's Automation actions.

    Actions are case-sensitive: ``aws:executeAwsApi``, not ``aws:executeAPI``. AWS rejects the document.
    """

    id = "E3001"
    summary = "Unknown action"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            action = site.data.get("action")
            if not isinstance(action, str) or action in ACTION_NAMES:
                continue
            import difflib  # lazy: only a misspelling's suggestion needs it (heapq and more)

            close = difflib.get_close_matches(action, ACTION_NAMES, n=1, cutoff=0.6)
            if not close:
                lower = {name.lower(): name for name in ACTION_NAMES}
                close = [lower[action.lower()]] if action.lower() in lower else []
            hint = f"; did you mean {close[0]}?" if close else ""
            yield Problem((*site.path, "action"), f"{site.label}: unknown action {action!r}{hint}")


def _conditions(choice: dict[str, JSON], path: Path) -> Iterator[tuple[dict[str, JSON], Path]]:
    """A choice and every condition nested in its And/Or/Not, with their paths."""
    yield choice, path
    for key in ("And", "Or"):
        items = choice.get(key)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield from _conditions(item, (*path, key, index))
    nested = choice.get("Not")
    if isinstance(nested, dict):
        yield from _conditions(nested, (*path, "Not"))
    elif isinstance(nested, list):  # some documents write Not as a one-item list
        for index, item in enumerate(nested):
            if isinstance(item, dict):
                yield from _conditions(item, (*path, "Not", index))


def _branch_conditions(site: StepSite) -> Iterator[tuple[dict[str, JSON], Path, bool]]:
    """(condition, path, is a top-level choice) for every condition of an aws:branch step."""
    if site.action != "aws:branch":
        return
    choices = site.inputs.get("Choices")
    if not isinstance(choices, list):
        return
    for index, choice in enumerate(choices):
        if isinstance(choice, dict):
            base = (*site.path, "inputs", "Choices", index)
            for condition, path in _conditions(choice, base):
                yield condition, path, path == base


class BranchOperator(Rule):
    """An aws:branch condition has no operator, more than one, or a key SSM does not know.

    Each condition is ``Variable`` plus exactly one operator (StringEquals, EqualsIgnoreCase, StartsWith, EndsWith,
    Contains, NumericEquals, NumericGreater, NumericLesser, NumericGreaterOrEquals, NumericLesserOrEquals,
    BooleanEquals), or exactly one of ``And``, ``Or`` (lists of conditions) and ``Not`` (one condition). Only a
    top-level choice has ``NextStep``.
    """

    id = "E3002"
    summary = "A branch condition's operator is missing, doubled or unknown"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            for condition, path, top in _branch_conditions(site):
                for key in condition:
                    if key not in CHOICE_KEYS:
                        import difflib  # lazy: only a misspelling's suggestion needs it (heapq and more)

                        close = difflib.get_close_matches(key, sorted(CHOICE_KEYS), n=1)
                        hint = f"; did you mean {close[0]}?" if close else ""
                        yield Problem((*path, key), f"{site.label}: unknown branch operator {key!r}{hint}", True)
                    elif key == "NextStep" and not top:
                        yield Problem((*path, key), f"{site.label}: NextStep belongs on a top-level choice only", True)
                tests = [key for key in condition if key in OPERATORS or key in COMBINATORS]
                if len(tests) > 1:
                    yield Problem(
                        (*path, tests[1]), f"{site.label}: a condition takes one operator, not {', '.join(tests)}", True
                    )
                elif not tests and all(key in CHOICE_KEYS for key in condition):
                    yield Problem(path, f"{site.label}: condition has no operator")
                elif tests and tests[0] in OPERATORS and "Variable" not in condition:
                    yield Problem(path, f"{site.label}: condition with {tests[0]} has no Variable")


class BranchOperand(Rule):
    """An aws:branch operator is given a value of the wrong kind.

    Numeric operators compare numbers, BooleanEquals a boolean, the string operators text. A literal of the wrong
    kind never matches (or fails the step). When the Variable is a parameter or a declared output whose type does
    not fit the operator, the comparison cannot work either.
    """

    id = "E3003"
    summary = "A branch operand does not fit its operator"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            for condition, path, _ in _branch_conditions(site):
                for operator in (key for key in condition if key in OPERATORS):
                    value = condition[operator]
                    if not _is_ref(value) and not _fits(operator, value):
                        yield Problem(
                            (*path, operator), f"{site.label}: {operator} needs {_wants(operator)}, not {value!r}"
                        )
                    variable = condition.get("Variable")
                    kind = _variable_type(doc, variable)
                    if kind is not None and not _type_fits(operator, kind):
                        yield Problem(
                            (*path, "Variable"),
                            f"{site.label}: {operator} compares {_wants(operator)}, but {variable} is a {kind}",
                        )


def _fits(operator: str, value: JSON) -> bool:
    if operator in NUMERIC_OPERATORS:
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)):
            return True
        return isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value) is not None
    if operator in BOOLEAN_OPERATORS:
        return isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _wants(operator: str) -> str:
    if operator in NUMERIC_OPERATORS:
        return "a number"
    if operator in BOOLEAN_OPERATORS:
        return "a boolean"
    return "text"


_TYPE_FITS: Final = {
    **{operator: frozenset({"Integer"}) for operator in NUMERIC_OPERATORS},
    **{operator: frozenset({"Boolean"}) for operator in BOOLEAN_OPERATORS},
    **{operator: frozenset({"String", "StringList", "Integer", "Boolean"}) for operator in STRING_OPERATORS},
}


def _type_fits(operator: str, kind: str) -> bool:
    if operator in STRING_OPERATORS and kind.startswith("AWS::"):
        return True
    return kind in _TYPE_FITS[operator]


def _variable_type(doc: LintDocument, variable: JSON) -> str | None:
    """The declared type of a branch Variable that is one reference to a parameter or a declared output."""
    if not isinstance(variable, str):
        return None
    ref = whole_reference(variable)
    if ref is None:
        return None
    if ref.kind is RefKind.PARAMETER:
        return doc.parameter_type(ref.target)
    if ref.kind is RefKind.OUTPUT:
        step = doc.steps_by_name.get(ref.step)
        outputs = step.data.get("outputs") if step is not None else None
        for output in outputs if isinstance(outputs, list) else ():
            if isinstance(output, dict) and output.get("Name") == ref.name and isinstance(output.get("Type"), str):
                return str(output["Type"])
    return None


class SleepInputs(Rule):
    """aws:sleep takes exactly one of ``Duration`` (ISO 8601, e.g. PT5M) and ``Timestamp`` (ISO 8601 date-time),
    and sleeps at most 7 days.
    """

    id = "E3004"
    summary = "aws:sleep needs one valid Duration or Timestamp, at most 7 days"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            if site.action != "aws:sleep":
                continue
            inputs = site.inputs
            given = [key for key in ("Duration", "Timestamp") if key in inputs]
            if len(given) != 1:
                yield Problem(
                    (*site.path, "inputs"), f"{site.label}: aws:sleep takes exactly one of Duration and Timestamp"
                )
                continue
            value = inputs[given[0]]
            if _is_ref(value):
                continue
            path = (*site.path, "inputs", given[0])
            if given[0] == "Duration":
                seconds = duration_seconds(value)
                if seconds is None:
                    yield Problem(path, f"{site.label}: Duration {value!r} is not an ISO 8601 duration such as PT5M")
                elif seconds > MAX_SLEEP_SECONDS:
                    yield Problem(
                        path, f"{site.label}: Duration {value!r} is longer than the {MAX_SLEEP_SHOWN} aws:sleep allows"
                    )
            elif not _is_timestamp(value):
                yield Problem(path, f"{site.label}: Timestamp {value!r} is not an ISO 8601 date-time")


def _is_timestamp(value: JSON) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


class ApproveInputs(Rule):
    """aws:approve limits: 1 to 10 ``Approvers``, ``MinRequiredApprovals`` no more than the approvers, a
    ``Message`` of at most 4096 characters, and a ``NotificationArn`` topic whose name starts with ``Automation``
    (SSM publishes approval requests only to such topics).

    Approvers are counted as SSM passes them: SSM splices into the list each list that a whole-reference item
    names (``Approvers: ["{{ Approvers }}"]`` with a StringList holds all of its entries), so a list with such an
    item, or with one whose type cannot be told (a built-in output), is not counted.
    """

    id = "E3005"
    summary = "aws:approve inputs out of AWS's limits"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            if site.action != "aws:approve":
                continue
            inputs, base = site.inputs, (*site.path, "inputs")
            approvers = inputs.get("Approvers")
            count = doc.list_length(approvers) if isinstance(approvers, list) else None
            if count is not None and not 1 <= count <= MAX_APPROVERS:
                yield Problem(
                    (*base, "Approvers"),
                    f"{site.label}: Approvers takes 1 to {MAX_APPROVERS} entries, not {count}",
                )
            minimum = inputs.get("MinRequiredApprovals")
            if (
                isinstance(minimum, int)
                and not isinstance(minimum, bool)
                and count is not None
                and not 1 <= minimum <= max(count, 1)
            ):
                yield Problem(
                    (*base, "MinRequiredApprovals"),
                    f"{site.label}: MinRequiredApprovals {minimum} cannot be met by {count} approvers",
                )
            message = inputs.get("Message")
            if isinstance(message, str) and len(message) > MAX_APPROVAL_MESSAGE:
                yield Problem(
                    (*base, "Message"),
                    f"{site.label}: Message is {len(message)} characters; at most {MAX_APPROVAL_MESSAGE}",
                )
            arn = inputs.get("NotificationArn")
            if (
                isinstance(arn, str)
                and not _is_ref(arn)
                and not arn.rsplit(":", 1)[-1].startswith(APPROVAL_TOPIC_PREFIX)
            ):
                yield Problem(
                    (*base, "NotificationArn"), f"{site.label}: the approval topic's name must start with Automation"
                )


class LoopInputs(Rule):
    """aws:loop takes exactly one of ``Iterators`` (at most 100 values) and ``LoopCondition``, at least one step
    in ``Steps``, and ``MaxIterations`` from 1 to 100.

    Iterators are counted as SSM passes them: SSM splices into the list each list that a whole-reference item
    names (a StringList or MapList), so a list with such an item, or with one whose type cannot be told, is not
    counted.
    """

    id = "E3006"
    summary = "aws:loop inputs out of AWS's limits"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            if site.action != "aws:loop":
                continue
            inputs, base = site.inputs, (*site.path, "inputs")
            if ("Iterators" in inputs) == ("LoopCondition" in inputs):
                yield Problem(base, f"{site.label}: aws:loop takes exactly one of Iterators and LoopCondition")
            iterators = inputs.get("Iterators")
            count = doc.list_length(iterators) if isinstance(iterators, list) else None
            if count is not None and count > MAX_LOOP_ITERATIONS:
                yield Problem(
                    (*base, "Iterators"), f"{site.label}: at most {MAX_LOOP_ITERATIONS} Iterators, not {count}"
                )
            maximum = inputs.get("MaxIterations")
            if (
                isinstance(maximum, int)
                and not isinstance(maximum, bool)
                and not MIN_LOOP_ITERATIONS <= maximum <= MAX_LOOP_ITERATIONS
            ):
                yield Problem(
                    (*base, "MaxIterations"),
                    f"{site.label}: MaxIterations is {MIN_LOOP_ITERATIONS} to {MAX_LOOP_ITERATIONS}, not {maximum}",
                )
            steps = inputs.get("Steps")
            if isinstance(steps, list) and not steps:
                yield Problem((*base, "Steps"), f"{site.label}: aws:loop needs at least one step")


class UpdateVariableName(Rule):
    """aws:updateVariable's ``Name`` is ``variable:<name>``, and the variable is declared under ``variables``."""

    id = "E3007"
    summary = "aws:updateVariable names an undeclared or malformed variable"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            if site.action != "aws:updateVariable":
                continue
            name = site.inputs.get("Name")
            path = (*site.path, "inputs", "Name")
            if not isinstance(name, str) or _is_ref(name):
                continue
            if not name.startswith("variable:"):
                yield Problem(path, f"{site.label}: Name must be written variable:<name>, not {name!r}")
            elif name[len("variable:") :] not in doc.variables:
                yield Problem(
                    path, f"{site.label}: variable {name[len('variable:') :]} is not declared under variables"
                )


class TimeoutOverLimit(Rule):
    """A step's ``timeoutSeconds`` is longer than its action can run: aws:executeScript runs at most 600 seconds,
    so a longer timeout never applies.
    """

    id = "W3008"
    summary = "timeoutSeconds beyond what the action allows"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            limit = MAX_STEP_TIMEOUTS.get(site.action or "")
            timeout = site.data.get("timeoutSeconds")
            if limit is not None and isinstance(timeout, int) and not isinstance(timeout, bool) and timeout > limit:
                yield Problem(
                    (*site.path, "timeoutSeconds"), f"{site.label}: {site.action} runs at most {limit} s, not {timeout}"
                )


RULES: tuple[type[Rule], ...] = (
    UnknownAction,
    BranchOperator,
    BranchOperand,
    SleepInputs,
    ApproveInputs,
    LoopInputs,
    UpdateVariableName,
    TimeoutOverLimit,
)
