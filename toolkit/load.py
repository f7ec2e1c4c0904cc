"""Read any Automation document (YAML or JSON) into the model, keeping a source map.

Nothing in a document is lost: an unknown action, an unknown key or a value of the wrong type is kept as loaded
(``GenericStep``, ``extra``, ``extra_inputs``) for the linter to report, and rendering gives back the same data.
YAML is read as YAML 1.1 (as PyYAML reads it) with two deliberate differences, both so that a document's data is
exactly its JSON: timestamps stay strings, and mapping keys are their source text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

import yaml

from toolkit.errors import DefinitionError, LoadError, NotADocumentError
from toolkit.model.document import Document, Path, Position, Source, SourceMap
from toolkit.model.parameter import Parameter, ParameterType, Variable
from toolkit.model.step import COMMON_FIELDS, GenericStep, Output, Step, has_type, input_fields
from toolkit.model.values import JSON, Kind, Ref, whole_reference
from toolkit.steps import ACTIONS, Branch, Choice, Loop
from toolkit.steps.api import _ApiStep

__all__ = ["document_from_data", "load", "load_text", "read_data"]


def load(path: str | FilePath) -> Document:
    """Load a document file. Raises ``LoadError`` naming the file (and line) when it cannot be read."""
    name = str(path)
    try:
        raw = FilePath(path).read_bytes()
    except OSError as err:
        raise LoadError(f"cannot read: {err.strerror or err}", file=name) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LoadError(f"not UTF-8 text (byte {err.start})", file=name) from err
    return load_text(text, file=name)


def load_text(text: str, *, file: str = "<string>") -> Document:
    data, source = read_data(text, file=file)
    return document_from_data(data, source=source, name=_document_name(file))


def read_data(text: str, *, file: str) -> tuple[dict[str, JSON], Source]:
    """Parse text as JSON (when it looks like JSON) or YAML, into data and its source."""
    if "\x00" in text:
        raise LoadError("binary content, not a document", file=file)
    if text.lstrip().startswith("{"):
        data, source = _read_json(text, file)
    else:
        data, source = _read_yaml(text, file)
    return data, source


# -- JSON ---------------------------------------------------------------------------------------------------


def _read_json(text: str, file: str) -> tuple[dict[str, JSON], Source]:
    duplicates: list[Path] = []

    def pairs(items: list[tuple[str, JSON]]) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for key, value in items:
            if key in out:
                duplicates.append((key,))
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        raise LoadError(f"invalid JSON: {err.msg}", file=file, line=err.lineno, column=err.colno) from err
    except RecursionError as err:
        raise LoadError("invalid JSON: nested too deeply", file=file) from err
    _require_mapping(data, file)
    positions = SourceMap(compute=lambda: _json_positions(text))
    return data, Source(file=file, format="json", data=data, positions=positions, duplicate_keys=tuple(duplicates))


def _json_positions(text: str) -> tuple[dict[Path, Position], dict[Path, Position]]:
    import json_source_map

    values: dict[Path, Position] = {}
    keys: dict[Path, Position] = {}
    for pointer, entry in json_source_map.calculate(text).items():
        path = _pointer_path(pointer)
        values[path] = (entry.value_start.line + 1, entry.value_start.column + 1)
        if entry.key_start is not None:
            keys[path] = (entry.key_start.line + 1, entry.key_start.column + 1)
    return values, keys


def _pointer_path(pointer: str) -> Path:
    if not pointer:
        return ()
    parts: list[str | int] = []
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


# -- YAML ---------------------------------------------------------------------------------------------------

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.constructor.SafeConstructor()
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_TEXT_TAGS = frozenset({_STR, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "!"})


def _read_yaml(text: str, file: str) -> tuple[dict[str, JSON], Source]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(f"invalid YAML: {problem}", file=file, line=line, column=column) from err
    except yaml.YAMLError as err:
        raise LoadError(f"invalid YAML: {err}", file=file) from err
    if node is None:
        raise NotADocumentError("empty file, not a document", file=file)
    builder = _YamlBuilder(file)
    data = builder.build(node, ())
    _require_mapping(data, file)
    assert isinstance(data, dict)
    positions = SourceMap(builder.values, builder.keys)
    source = Source(file=file, format="yaml", data=data, positions=positions, duplicate_keys=tuple(builder.duplicates))
    return data, source


class _YamlBuilder:
    """Builds plain data from a YAML node graph, recording where every node stands."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.duplicates: list[Path] = []
        self._open: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> LoadError:
        return LoadError(message, file=self.file, line=node.start_mark.line + 1, column=node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path) -> JSON:
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self._open:
            raise self.fail(node, "a YAML alias refers to the node that contains it")
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
        finally:
            self._open.discard(id(node))
        raise self.fail(node, "unsupported YAML node")

    def scalar(self, node: yaml.ScalarNode) -> JSON:
        tag = node.tag
        if tag in _TEXT_TAGS:
            return str(node.value)
        if tag == _INT:
            value: JSON = _SCALARS.construct_yaml_int(node)
        elif tag == _FLOAT:
            value = _SCALARS.construct_yaml_float(node)
        elif tag == _BOOL:
            value = _SCALARS.construct_yaml_bool(node)
        elif tag == _NULL:
            value = None
        else:
            raise self.fail(node, f"unsupported YAML tag {tag} (a document holds plain data)")
        return value

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a mapping key must be a plain value, not a list or mapping")
            key = str(key_node.value)
            child = (*path, key)
            if key in out:
                self.duplicates.append(child)
            self.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child)
        return out

    def _pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """The mapping's pairs with YAML merge keys (<<) applied: merged pairs first, own pairs win."""
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        own: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise self.fail(source, "a YAML merge (<<) takes a mapping")
                    merged.extend(self._pairs(source))
            else:
                own.append((key_node, value_node))
        if not merged:
            return own
        own_keys = {key.value for key, _ in own}
        return [pair for pair in merged if pair[0].value not in own_keys] + own


def _require_mapping(data: object, file: str) -> None:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value" if data is not None else "empty"
        raise NotADocumentError(
            f"not an Automation document: the top level is {kind}, not a mapping", file=file, line=1, column=1
        )


def _document_name(file: str) -> str | None:
    if file.startswith("<"):
        return None
    name = FilePath(file).name
    for suffix in (".yaml", ".yml", ".json"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


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
