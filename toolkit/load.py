"""Load any Automation document (YAML or JSON) into the model, keeping its source (``toolkit.source``).

Nothing in a document is lost: an unknown action, an unknown key or a value of the wrong type is kept as loaded
(``GenericStep``, ``extra``, ``extra_inputs``) for the linter to report, and rendering gives back the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

from toolkit.errors import DefinitionError
from toolkit.files import document_stem, read_text
from toolkit.model.document import Document
from toolkit.model.parameter import Parameter, ParameterType, Variable
from toolkit.model.step import COMMON_FIELDS, GenericStep, Output, Step, has_type, input_fields
from toolkit.model.values import JSON, Kind, Ref, whole_reference
from toolkit.source import Source, read_data
from toolkit.steps import ACTIONS, Branch, Choice, Loop
from toolkit.steps.api import _ApiStep

__all__ = ["document_from_data", "load", "load_data", "load_text", "read_data", "read_text"]


def load(path: str | FilePath) -> Document:
    """Load a document file. Raises ``LoadError`` naming the file (and line) when it cannot be read."""
    return load_text(read_text(path), file=str(path))


def load_text(text: str, *, file: str = "<string>") -> Document:
    data, source = read_data(text, file=file)
    return load_data(data, source, file=file)


def load_data(data: Mapping[str, JSON], source: Source | None, *, file: str) -> Document:
    """The model of data already read from ``file`` (named after the file, as ``load`` names it)."""
    return document_from_data(data, source=source, name=_document_name(file))


def _document_name(file: str) -> str | None:
    """The document's name: its file's name without .yaml, .yml or .json (None for text that has no file)."""
    if file.startswith("<"):
        return None
    return document_stem(file) or FilePath(file).name


# -- data -> model --------------------------------------------------------------------------------------------


def document_from_data(data: Mapping[str, JSON], *, source: Source | None = None, name: str | None = None) -> Document:
    """Build the model from document data, keeping whatever does not fit as loaded."""
    kwargs: dict[str, Any] = {}
    extra: dict[str, JSON] = {}
    for key, value in data.items():
        converted = _TOP_LEVEL.get(key, _unknown)(value)
        if converted is _NO:
            extra[key] = value
        else:
            kwargs[_ATTRIBUTE[key]] = converted
    kwargs.setdefault("schema_version", None)
    kwargs.setdefault("main_steps", None)
    return Document(name=name, extra=extra, source=source, **kwargs)


class _Nothing:
    """Marks a value that does not fit its place in the model, so it is kept as loaded."""


_NO: Any = _Nothing()


def _unknown(value: JSON) -> Any:
    return _NO


def _string(value: JSON) -> Any:
    return value if isinstance(value, str) else _NO


def _declarations(value: JSON, cls: type[Parameter] | type[Variable], keys: Mapping[str, tuple[str, type]]) -> Any:
    """``parameters`` or ``variables``: name -> declaration. Kept whole as loaded when one does not fit."""
    if not isinstance(value, dict):
        return _NO
    out = []
    for name, spec in value.items():
        declaration = _declaration(name, spec, cls, keys)
        if declaration is None:
            return _NO
        out.append(declaration)
    return tuple(out)


def _declaration(
    name: str, spec: JSON, cls: type[Parameter] | type[Variable], keys: Mapping[str, tuple[str, type]]
) -> Parameter | Variable | None:
    if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
        return None
    try:
        kind = ParameterType(spec["type"])
    except ValueError:
        return None
    kwargs: dict[str, Any] = {}
    extra: dict[str, JSON] = {}
    for key, value in spec.items():
        if key == "type":
            continue
        if key == "default":
            kwargs.update(default=value, has_default=True)
        elif key == "allowedValues" and cls is Parameter and isinstance(value, list):
            kwargs["allowed_values"] = tuple(value)
        elif key in keys and has_type(value, keys[key][1]):
            kwargs[keys[key][0]] = value
        else:
            extra[key] = value
    try:
        return cls(name=name, type=kind, extra=extra, **kwargs)
    except DefinitionError:
        return None


_PARAMETER_KEYS = {
    "description": ("description", str),
    "allowedPattern": ("allowed_pattern", str),
    "displayType": ("display_type", str),
    "minItems": ("min_items", int),
    "maxItems": ("max_items", int),
    "minChars": ("min_chars", int),
    "maxChars": ("max_chars", int),
}
_VARIABLE_KEYS = {"description": ("description", str)}


def _parameters(value: JSON) -> Any:
    return _declarations(value, Parameter, _PARAMETER_KEYS)


def _variables(value: JSON) -> Any:
    return _declarations(value, Variable, _VARIABLE_KEYS)


def _outputs(value: JSON) -> Any:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return _NO


def _files(value: JSON) -> Any:
    return value if isinstance(value, dict) else _NO


def _steps(value: JSON) -> Any:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return _NO
    return tuple(step_from_data(item) for item in value)  # type: ignore[arg-type]


def _assume_role(value: JSON) -> Any:
    return value if isinstance(value, str) else _NO


_TOP_LEVEL = {
    "schemaVersion": _string,
    "description": _string,
    "assumeRole": _assume_role,
    "parameters": _parameters,
    "variables": _variables,
    "mainSteps": _steps,
    "outputs": _outputs,
    "files": _files,
}
_ATTRIBUTE = {
    "schemaVersion": "schema_version",
    "description": "description",
    "assumeRole": "assume_role",
    "parameters": "parameters",
    "variables": "variables",
    "mainSteps": "main_steps",
    "outputs": "outputs",
    "files": "files",
}


def step_from_data(data: dict[str, JSON]) -> Step:
    """One step as loaded: its action's class when everything fits, else a ``GenericStep`` saying why."""
    name = data.get("name")
    label = name if isinstance(name, str) else ""
    action = data.get("action")
    cls = ACTIONS.get(action) if isinstance(action, str) else None
    if cls is None:
        return GenericStep(name=label, raw=data, problem=f"unknown action {action!r}")
    if not isinstance(name, str):
        return GenericStep(name=label, raw=data, problem="a step needs a name")
    inputs = data.get("inputs")
    if not isinstance(inputs, dict):
        return GenericStep(name=label, raw=data, problem="a step needs inputs (a mapping)")
    kwargs: dict[str, Any] = {}
    extra: dict[str, JSON] = {}
    for key, value in data.items():
        if key in ("action", "inputs"):
            continue
        if key == "outputs":
            outputs = _step_outputs(value)
            if outputs is None:
                extra[key] = value
            else:
                kwargs["outputs"] = outputs
        elif key in COMMON_FIELDS and has_type(value, COMMON_FIELDS[key][1]):
            kwargs[COMMON_FIELDS[key][0]] = value
        else:
            extra[key] = value
    kwargs.update(_inputs(cls, inputs))
    try:
        return cls(extra=extra, **kwargs)
    except (DefinitionError, TypeError) as err:
        return GenericStep(name=label, raw=data, problem=str(err))


def _step_outputs(value: JSON) -> tuple[Output, ...] | None:
    if not isinstance(value, list):
        return None
    outputs = []
    for item in value:
        if not isinstance(item, dict):
            return None
        name, selector, kind = item.get("Name"), item.get("Selector"), item.get("Type", "String")
        if not isinstance(name, str) or not isinstance(selector, str) or not isinstance(kind, str):
            return None
        try:
            output_type = Kind(kind)
        except ValueError:
            return None
        rest = {key: v for key, v in item.items() if key not in ("Name", "Selector", "Type")}
        if "Type" not in item:
            return None
        try:
            outputs.append(Output(name=name, selector=selector, type=output_type, extra=rest))
        except DefinitionError:
            return None
    return tuple(outputs)


def _inputs(cls: type[Step], inputs: dict[str, JSON]) -> dict[str, Any]:
    specs = {spec.key: (attribute, spec) for attribute, spec in input_fields(cls)}
    kwargs: dict[str, Any] = {}
    extra: dict[str, JSON] = {}
    params: dict[str, JSON] = {}
    api_step = issubclass(cls, _ApiStep)
    for key, value in inputs.items():
        if key not in specs:
            (params if api_step else extra)[key] = value
            continue
        attribute, spec = specs[key]
        converted = _input_value(cls, key, value)
        if converted is _NO or not spec.kind.fits(converted):
            extra[key] = value
        else:
            kwargs[attribute] = converted
    if api_step:
        kwargs["params"] = params
    kwargs["extra_inputs"] = extra
    return kwargs


def _input_value(cls: type[Step], key: str, value: JSON) -> Any:
    if cls is Branch and key == "Choices":
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            return _NO
        return tuple(Choice.from_dict(item) for item in value)  # type: ignore[arg-type]
    if cls is Loop and key == "Steps":
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            return _NO
        return tuple(step_from_data(item) for item in value)  # type: ignore[arg-type]
    if isinstance(value, str) and not isinstance(value, Ref):
        ref = whole_reference(value)
        if ref is not None:
            return ref if _needs_ref(cls, key) else value
    return value


def _needs_ref(cls: type[Step], key: str) -> bool:
    """A whole reference standing for a non-string input is held as a ``Ref`` (its kind is not text)."""
    for _, spec in input_fields(cls):
        if spec.key == key:
            return spec.kind is not Kind.STRING
    return False
