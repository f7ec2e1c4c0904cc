"""Input values with ``{{ references }}``, compiled once and rendered per execution with SSM's typing rules.

A value that is exactly one reference keeps the referenced value's type (a StringList fills a list, a Boolean a
boolean, a MapList a list of maps). An item of a list that is exactly one reference to a list is spliced into the
enclosing list, as SSM does: ``InstanceIds: ["{{ LaunchInstance.InstanceIds }}"]`` is the list of ids, not a list
holding it (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html, "Refer to
output from previous step"). A reference inside a longer string is rendered as text: strings as they are, numbers
in decimal, booleans as ``true``/``false``, lists and maps as JSON (decision: AWS does not document it). Strings
with quotes, backslashes or newlines pass through unharmed: nothing is ever re-parsed. The time-valued system
variables (``global:DATE``, ``global:DATE_TIME``) are read from the execution's clock when a template renders,
that is when the step using them runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from toolkit.model.values import REFERENCE, WHOLE_REFERENCE
from toolkit.simulate.clock import Clock
from toolkit.ssm.references import TIME_VARIABLES

Template = Callable[["Scope"], Any]


class Unresolved(Exception):
    """A reference names nothing the execution holds (yet): an output its step did not produce, say."""

    def __init__(self, source: str, why: str) -> None:
        super().__init__(f"cannot resolve {source}: {why}")
        self.source = source


class Scope:
    """What references read during one execution: parameters, step outputs, variables, system values (``system``
    holds those fixed for the execution; the time-valued ones are read from ``clock`` at each lookup)."""

    __slots__ = ("clock", "outputs", "parameter_store", "parameters", "system", "variables")

    def __init__(
        self,
        parameters: dict[str, Any],
        system: dict[str, Any],
        variables: dict[str, Any] | None = None,
        *,
        clock: Clock,
        parameter_store: Callable[[str], str] | None = None,
    ) -> None:
        self.parameters = parameters
        self.outputs: dict[str, Any] = {}
        self.variables = variables if variables is not None else {}
        self.system = system
        self.clock = clock
        self.parameter_store = parameter_store
        """Resolves ``{{ssm:NAME}}`` in a step's inputs from the world's Parameter Store (raises ValueError)."""

    def lookup(self, target: str, source: str) -> Any:
        if target in self.parameters:
            return self.parameters[target]
        if target in self.outputs:
            return self.outputs[target]
        if target.startswith("variable:"):
            name = target[len("variable:") :]
            if name in self.variables:
                return self.variables[name]
            raise Unresolved(source, f"no variable {name} is declared")
        if target in self.system:
            return self.system[target]
        time_format = TIME_VARIABLES.get(target)
        if time_format is not None:
            return self.clock.strftime(time_format)
        if target.startswith(("ssm:", "ssm-secure:")):
            if self.parameter_store is None:
                raise Unresolved(source, "no Parameter Store is at hand")
            try:
                return self.parameter_store(source)
            except ValueError as err:
                raise Unresolved(source, str(err)) from err
        if "." in target:
            step, _, name = target.partition(".")
            raise Unresolved(source, f"step {step} has produced no output {name}")
        raise Unresolved(source, f"no parameter {target}")


def compile_value(value: Any) -> Template:
    """A function rendering ``value`` in a scope. Constant text and numbers are returned as they are; a constant
    list or map is copied on each render, since a run may hand it on to its result (a call's parameters, a loop's
    iterator value), which the caller may change, and the compiled plan serves later runs."""
    if isinstance(value, str):
        return _compile_string(value)
    if isinstance(value, dict):
        if not _has_reference(value):
            return _constant_container(value)
        parts = [(key, compile_value(item)) for key, item in value.items()]
        return lambda scope: {key: part(scope) for key, part in parts}
    if isinstance(value, list):
        if not _has_reference(value):
            return _constant_container(value)
        items = [compile_value(item) for item in value]
        spliced = [isinstance(item, str) and WHOLE_REFERENCE.match(item) is not None for item in value]
        if any(spliced):
            return lambda scope: _splice(scope, items, spliced)
        return lambda scope: [item(scope) for item in items]
    return _constant(value)


def _splice(scope: Scope, items: list[Template], spliced: list[bool]) -> list[Any]:
    """A list's items rendered, each list that a whole-reference item names spliced in its place."""
    rendered: list[Any] = []
    for item, whole in zip(items, spliced, strict=True):
        value = item(scope)
        if whole and isinstance(value, list):
            rendered.extend(value)
        else:
            rendered.append(value)
    return rendered


def _constant(value: Any) -> Template:
    return lambda scope: value


def _constant_container(value: dict[str, Any] | list[Any]) -> Template:
    copy = _copier(value)
    if copy == value.copy:  # a list or map of scalars (the common case): one shallow copy, no second call
        return lambda scope: value.copy()
    return lambda scope: copy()


def _copier(value: Any) -> Callable[[], Any]:
    """A function returning a fresh copy of the constant ``value``, fitted to its shape once: a list or map of
    scalars is one shallow copy, so a render costs no walk over the value."""
    if isinstance(value, dict):
        if not any(isinstance(item, (dict, list)) for item in value.values()):
            return value.copy
        entries = [(key, _copier(item)) for key, item in value.items()]
        return lambda: {key: copy() for key, copy in entries}
    if isinstance(value, list):
        if not any(isinstance(item, (dict, list)) for item in value):
            return value.copy
        items = [_copier(item) for item in value]
        return lambda: [copy() for copy in items]
    return lambda: value


def _has_reference(value: Any) -> bool:
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, dict):
        return any(_has_reference(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_reference(item) for item in value)
    return False


def _compile_string(text: str) -> Template:
    if "{{" not in text:
        return _constant(text)
    whole = WHOLE_REFERENCE.match(text)
    if whole is not None:
        target = whole.group(1)
        return lambda scope: scope.lookup(target, text)
    pieces: list[str | tuple[str, str]] = []
    position = 0
    for match in REFERENCE.finditer(text):
        if match.start() > position:
            pieces.append(text[position : match.start()])
        pieces.append((match.group(1), match.group(0)))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])

    def render(scope: Scope) -> str:
        return "".join(
            piece if isinstance(piece, str) else as_text(scope.lookup(piece[0], piece[1])) for piece in pieces
        )

    return render


def as_text(value: Any) -> str:
    """A value as it reads inside a longer string."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return ""
    return json.dumps(value, separators=(",", ":"), default=str)
