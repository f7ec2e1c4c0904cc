"""A stack's parameter values checked as CloudFormation checks them before it creates anything, and the template's
Rules asserted: the refusals of CreateStack (ValidationError), each naming the parameter or the rule.

``checked_parameters(template, given)``: every name given is a parameter of the template, every parameter has a
value (given, else its Default), and each value meets its declaration: ``Type`` (String, Number, List<Number>,
CommaDelimitedList; the AWS-specific types name resources CloudFormation looks up in the account, which the
simulator does not, so a template using one is refused naming it), ``AllowedValues``, ``AllowedPattern`` (the
whole value must match, as CloudFormation's Java regular expressions do), ``MinLength``/``MaxLength`` and
``MinValue``/``MaxValue``; for a list type, each item. AllowedPattern is read by ``toolkit.javaregex`` (the one
translation of Java patterns the toolkit has). ``check_rules(stack)``: each rule whose RuleCondition holds
(or that has none) has every Assertion true; a false one is refused with its AssertDescription. Messages follow
CloudFormation's ("Parameter 'X' must match pattern ...", "Parameters: [X] must have values").

https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from toolkit.deploy.intrinsics import InstantiateError, Stack, TemplateError, is_list_type, references
from toolkit.javaregex import CannotDecide, PatternError, compile_java

SIMPLE_TYPES: Final = ("String", "Number", "List<Number>", "CommaDelimitedList")
PARAMETER_KEYS: Final = frozenset(
    {
        "Type",
        "Default",
        "Description",
        "AllowedValues",
        "AllowedPattern",
        "ConstraintDescription",
        "MinLength",
        "MaxLength",
        "MinValue",
        "MaxValue",
        "NoEcho",
    }
)


class ParameterError(InstantiateError):
    """A parameter value CloudFormation would refuse (or a Rules assertion that fails): names the parameter or rule
    (and the stack, once ``toolkit.deploy.instantiate`` knows it)."""

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


def checked_parameters(template: Mapping[str, Any], given: Mapping[str, Any] | None) -> dict[str, Any]:
    """The stack's parameter values (given, else the default), each checked against its declaration."""
    declared = template.get("Parameters") or {}
    if not isinstance(declared, dict):
        raise ParameterError("the template's Parameters must be a mapping")
    given = dict(given or {})
    unknown = sorted(name for name in given if name not in declared)
    if unknown:
        raise ParameterError(f"Parameters: [{', '.join(unknown)}] do not exist in the template", parameter=unknown[0])
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if not isinstance(spec, dict):
            raise ParameterError(f"Parameter '{name}' must be a mapping with a Type", parameter=name)
        extra = sorted(set(spec) - PARAMETER_KEYS)
        if extra:
            raise ParameterError(f"Parameter '{name}' has an unknown attribute {extra[0]}", parameter=name)
        value = given.get(name, spec.get("Default"))
        if value is not None:
            values[name] = value
    missing = [name for name in declared if name not in values]
    if missing:
        raise ParameterError(f"Parameters: [{', '.join(missing)}] must have values", parameter=missing[0])
    for name, value in values.items():
        _check(name, declared[name], value)
    return values


def _check(name: str, spec: Mapping[str, Any], value: Any) -> None:
    kind = spec.get("Type")
    if not isinstance(kind, str):
        raise ParameterError(f"Parameter '{name}' has no Type", parameter=name)
    if kind not in SIMPLE_TYPES:
        raise ParameterError(
            f"Parameter '{name}' is of type {kind}, which names resources CloudFormation looks up in the account; "
            "the simulated world does not look them up (use String)",
            parameter=name,
        )
    if is_list_type(kind):
        items = value if isinstance(value, list) else [part.strip() for part in _text(value).split(",")]
    else:
        if isinstance(value, (list, dict)):
            raise ParameterError(f"Parameter '{name}' must be a single value, not {value!r}", parameter=name)
        items = [value]
    numeric = kind in ("Number", "List<Number>")
    for item in items:
        text = _text(item)
        if numeric:
            _check_number(name, spec, text)
        else:
            _check_text(name, spec, text)
        allowed = spec.get("AllowedValues")
        if allowed is not None and not _allowed(text, allowed, numeric):
            raise ParameterError(_constraint(name, spec, "must be one of AllowedValues"), parameter=name)


def _check_text(name: str, spec: Mapping[str, Any], text: str) -> None:
    pattern = spec.get("AllowedPattern")
    if pattern is not None:
        try:
            matched = compile_java(str(pattern)).matches(text)
        except PatternError as err:
            raise ParameterError(f"Parameter '{name}' has an invalid AllowedPattern: {err}", parameter=name) from err
        except CannotDecide as err:
            raise ParameterError(
                f"Parameter '{name}': the value cannot be checked against AllowedPattern as CloudFormation "
                f"(java.util.regex) would: {err.reason}",
                parameter=name,
            ) from None
        if not matched:
            raise ParameterError(_constraint(name, spec, f"must match pattern {pattern}"), parameter=name)
    least, most = spec.get("MinLength"), spec.get("MaxLength")
    if least is not None and len(text) < int(least):
        raise ParameterError(_constraint(name, spec, f"must contain at least {least} characters"), parameter=name)
    if most is not None and len(text) > int(most):
        raise ParameterError(_constraint(name, spec, f"must contain at most {most} characters"), parameter=name)


def _check_number(name: str, spec: Mapping[str, Any], text: str) -> None:
    try:
        number = float(text)
    except ValueError as err:
        raise ParameterError(f"Parameter '{name}' must be a number", parameter=name) from err
    least, most = spec.get("MinValue"), spec.get("MaxValue")
    if least is not None and number < float(least):
        raise ParameterError(_constraint(name, spec, f"must be a number not less than {least}"), parameter=name)
    if most is not None and number > float(most):
        raise ParameterError(_constraint(name, spec, f"must be a number not greater than {most}"), parameter=name)


def _allowed(text: str, allowed: Any, numeric: bool) -> bool:
    choices = allowed if isinstance(allowed, list) else [allowed]
    if numeric:
        try:
            return any(float(text) == float(choice) for choice in choices)
        except ValueError:
            return False
    return text in [_text(choice) for choice in choices]


def _constraint(name: str, spec: Mapping[str, Any], rule: str) -> str:
    description = spec.get("ConstraintDescription")
    if description:
        return f"Parameter '{name}' failed to satisfy constraint: {description}"
    return f"Parameter '{name}' {rule}"


def check_rules(stack: Stack) -> None:
    """Every applicable rule's assertions hold for the stack's parameters; else ParameterError naming the rule, its
    AssertDescription and the parameters it reads."""
    rules = stack.template.get("Rules") or {}
    if not isinstance(rules, dict):
        raise ParameterError("the template's Rules must be a mapping")
    parameters = set(stack.template.get("Parameters") or {})
    for name, rule in rules.items():
        if not isinstance(rule, dict) or not isinstance(rule.get("Assertions"), list):
            raise ParameterError(f"Rule {name} must be a mapping with a list of Assertions")
        condition = rule.get("RuleCondition")
        if condition is not None and not _holds(stack, name, condition):
            continue
        for assertion in rule["Assertions"]:
            if not isinstance(assertion, dict) or "Assert" not in assertion:
                raise ParameterError(f"Rule {name}: each assertion needs an Assert")
            if _holds(stack, name, assertion["Assert"]):
                continue
            read = sorted(references([condition, assertion["Assert"]], parameters))
            description = assertion.get("AssertDescription") or "Assertion failed"
            names = f" (parameters {', '.join(read)})" if read else ""
            raise ParameterError(f"Rule {name}: {description}{names}", parameter=read[0] if read else None)


def _holds(stack: Stack, rule: str, spec: Any) -> bool:
    try:
        return stack.truth(spec)
    except TemplateError as err:
        raise ParameterError(f"Rule {rule}: {err}") from err


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
