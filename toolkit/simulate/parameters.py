"""Execution parameters, checked as StartAutomationExecution checks them, before the first step runs.

Undeclared names, missing required parameters, values of the wrong type, and values breaking allowedValues,
allowedPattern, minItems/maxItems or minChars/maxChars are refused with InvalidAutomationExecutionParametersException.

allowedPattern is java.util.regex's: a value is allowed when the whole of it matches (``Matcher.matches()``), as
``toolkit.javaregex`` decides through its translation of the pattern to Python. Decision: a value the translation
cannot decide (the pattern uses a construct Python cannot express, such as ``\\X`` or an unbounded look-behind, or
the value meets one of the translation's limits) is refused with ``UNDECIDED`` (NotModeledBySimulator) and a message
saying why; the simulator never guesses, and does not start a JVM to ask Java (lint rule W1105 names such patterns).
Defaults fill the rest. Values come typed (the Python API, ``--params FILE``) or as text (``--param NAME=VALUE``),
read per the parameter's declared type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from toolkit.errors import SimulationError
from toolkit.javaregex import CannotDecide, PatternError, compile_java
from toolkit.ssm.references import PARAMETER_STORE_REFERENCE
from toolkit.ssm.types import ParameterType, value_fits

INVALID: Final = "InvalidAutomationExecutionParametersException"
UNDECIDED: Final = "NotModeledBySimulator"
"""The code of a value the simulator cannot check against its allowedPattern as SSM would (never a guess)."""


class Declared:
    """One declared parameter, with its checks compiled once per document."""

    __slots__ = ("allowed", "bounds", "default_checked", "name", "pattern", "pattern_text", "spec", "type")

    def __init__(self, name: str, kind: ParameterType, spec: Mapping[str, Any]) -> None:
        self.name = name
        self.type = kind
        self.spec = spec
        allowed = spec.get("allowedValues")
        self.allowed = frozenset(str(option) for option in allowed) if isinstance(allowed, list) and allowed else None
        pattern = spec.get("allowedPattern")
        self.pattern_text = pattern if isinstance(pattern, str) else None
        try:
            self.pattern = compile_java(pattern) if isinstance(pattern, str) else None
        except PatternError:
            self.pattern = None  # the linter reports it; AWS would refuse the document itself
        self.bounds: list[tuple[str, type, bool, int]] = [
            (key, measure, low, spec[key])
            for key, measure, low in (
                ("minChars", str, True),
                ("maxChars", str, False),
                ("minItems", list, True),
                ("maxItems", list, False),
            )
            if isinstance(spec.get(key), int)
        ]
        self.default_checked = False

    @property
    def has_default(self) -> bool:
        return "default" in self.spec


def declarations(data: Mapping[str, Any]) -> dict[str, Declared]:
    """The document's parameters; a declaration the simulator cannot read makes the document unusable."""
    params = data.get("parameters") or {}
    if not isinstance(params, dict):
        raise SimulationError("parameters must be a mapping", code=INVALID)
    out = {}
    for name, spec in params.items():
        kind = spec.get("type") if isinstance(spec, dict) else None
        try:
            out[name] = Declared(name, ParameterType(kind), spec)
        except ValueError:
            raise SimulationError(f"unknown type {kind!r}", code=INVALID, parameter=name) from None
    return out


def from_text(declared: Mapping[str, Declared], pairs: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` texts read per the declared type: Boolean true/false, Integer digits, lists and maps as JSON."""
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise SimulationError(f"--param {pair!r} must be NAME=VALUE", code=INVALID)
        if not name:
            raise SimulationError(f"--param {pair!r} has an empty parameter name (it must be NAME=VALUE)", code=INVALID)
        spec = declared.get(name)
        if spec is None:
            values[name] = text  # refused below, as undeclared
            continue
        values[name] = _read_text(spec, text)
    return values


def _read_text(spec: Declared, text: str) -> Any:
    kind = spec.type
    if kind is ParameterType.BOOLEAN:
        if text not in ("true", "false"):
            raise SimulationError(f"must be true or false, not {text!r}", code=INVALID, parameter=spec.name)
        return text == "true"
    if kind is ParameterType.INTEGER:
        if not text.lstrip("-").isdigit():
            raise SimulationError(f"must be a whole number, not {text!r}", code=INVALID, parameter=spec.name)
        return int(text)
    if kind.is_text:
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        if kind.is_list and not text.lstrip().startswith("["):
            return [item.strip() for item in text.split(",")] if text else []
        raise SimulationError(f"must be JSON for a {kind.value}", code=INVALID, parameter=spec.name) from None


def resolve(declared: Mapping[str, Declared], given: Mapping[str, Any]) -> dict[str, Any]:
    """The execution's parameter values: given ones checked, defaults for the rest. Raises SimulationError."""
    for name in given:
        if name == "":
            raise SimulationError("a parameter has an empty name", code=INVALID)
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise SimulationError(f"is not declared by the document (it takes: {known})", code=INVALID, parameter=name)
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if name in given:
            value = given[name]
        elif spec.has_default:
            value = spec.spec["default"]
            if not spec.default_checked:  # a default is checked once per document, not per execution
                if not (isinstance(value, str) and PARAMETER_STORE_REFERENCE.match(value)):
                    check_value(spec, value)  # a {{ssm:NAME}} default is checked once resolved, at the start
                spec.default_checked = True
            values[name] = copy_value(value)
            continue
        else:
            raise SimulationError(
                "is required (it has no default) but no value was given", code=INVALID, parameter=name
            )
        if not (isinstance(value, str) and PARAMETER_STORE_REFERENCE.match(value)):
            check_value(spec, value)  # a {{ssm:NAME}} value is checked once resolved, at the start
        values[name] = copy_value(value)
    return values


def copy_value(value: Any) -> Any:
    """A value the execution may hold without sharing the caller's (or the document's) lists and maps."""
    if isinstance(value, (list, tuple)):
        return [copy_value(item) for item in value]
    if isinstance(value, dict):
        return {key: copy_value(item) for key, item in value.items()}
    return value


def check_value(spec: Declared, value: Any) -> None:
    """Raise SimulationError (InvalidAutomationExecutionParametersException) unless ``value`` fits the parameter's
    type and constraints, as StartAutomationExecution checks it."""
    name, kind = spec.name, spec.type
    if value is None and kind.is_text and spec.spec.get("default", "") is None:
        return
    if not value_fits(kind, value):
        raise SimulationError(f"must be a {kind.value}, not {value!r}", code=INVALID, parameter=name)
    items = value if kind.is_list else (value,)
    if spec.allowed is not None:
        for item in items:
            if str(item) not in spec.allowed:
                raise SimulationError(f"value {item!r} is not one of allowedValues", code=INVALID, parameter=name)
    if spec.pattern is not None:
        for item in items:
            if isinstance(item, str) and not _matches(spec, item):
                raise SimulationError(
                    f"value {item!r} does not match allowedPattern {spec.pattern_text}", code=INVALID, parameter=name
                )
    if spec.bounds:
        _bounds(name, value, spec.bounds)


def _matches(spec: Declared, value: str) -> bool:
    """Whether the whole value matches the parameter's allowedPattern, as SSM (java.util.regex) decides it."""
    assert spec.pattern is not None
    try:
        return spec.pattern.matches(value)
    except CannotDecide as err:
        raise SimulationError(
            f"cannot check value {value!r} against allowedPattern {spec.pattern_text} as SSM (java.util.regex) "
            f"would: {err.reason}; the simulator refuses rather than guess",
            code=UNDECIDED,
            parameter=spec.name,
        ) from None


def _bounds(name: str, value: Any, bounds: list[tuple[str, type, bool, int]]) -> None:
    for key, measure, low, limit in bounds:
        if not isinstance(value, measure):
            continue
        size = len(value)  # type: ignore[arg-type]  # a str or a list, per ``measure``
        if (low and size < limit) or (not low and size > limit):
            raise SimulationError(
                f"has {size} {'characters' if measure is str else 'items'}; {key} is {limit}",
                code=INVALID,
                parameter=name,
            )
