"""Rule E0010: the document matches the Automation JSON Schema (``toolkit/schemas/automation-0.3.schema.json``).

The schema is the one published for editors (the repository's ``schemas/`` links to it). It is package data, read
with importlib.resources, so an installed toolkit finds it wherever it is installed.

Checking a valid document must cost next to nothing, and jsonschema takes over a millisecond a document, so the
schema is compiled once per process into plain Python closures that only answer "valid or not". A document that
fails this check is validated again with jsonschema, whose errors are turned into one readable problem per
defect, located at the node at fault.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, Final

from toolkit.lint.rule import Path, Problem, Rule
from toolkit.lint.schema_check import BOUNDS, Compiler
from toolkit.model.values import JSON
from toolkit.records import Record
from toolkit.ssm.actions import ACTION_NAMES

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    from toolkit.lint.context import LintDocument

SCHEMA_NAME: Final = "automation-0.3.schema.json"
"""The schema's file name in the package's ``schemas`` folder."""

Check = Callable[[Any], bool]


def schema_file() -> Traversable:
    """The schema as a resource of the installed package (a file, or a member of a zip archive)."""
    from importlib.resources import files  # lazy: importlib.resources costs ~30 ms; only a lint reads the schema

    return files("toolkit") / "schemas" / SCHEMA_NAME


def _installed_file() -> FilePath:
    """Where the schema is when the package is installed as files (the usual case): beside ``toolkit/lint``."""
    return FilePath(__file__).resolve().parents[2] / "schemas" / SCHEMA_NAME


@cache
def load_schema() -> dict[str, Any]:
    """The Automation schema, read once per process: from the package's folder, or through importlib.resources
    when the package is not plain files (a zip archive), which costs ~8 ms of imports a command does not need."""
    try:
        text = _installed_file().read_text(encoding="utf-8")
    except OSError:
        resource = schema_file()
        try:
            text = resource.read_text(encoding="utf-8")
        except OSError as err:
            raise FileNotFoundError(f"the Automation schema is missing: {resource} ({err.strerror})") from err
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def fast_check() -> Check:
    """The schema compiled to a predicate: True when the data is valid (exactly as jsonschema would say)."""
    return Compiler(load_schema()).compile(load_schema())


@cache
def validator() -> Validator:
    """The jsonschema validator (draft-07, format checking off), built on first need."""
    from jsonschema import Draft7Validator  # lazy: jsonschema (60-100 ms) only for a document that fails fast_check

    return Draft7Validator(load_schema())


class Schema(Rule):
    """The document does not match the Automation schema.

    Checks the document's shape and types against ``schemas/automation-0.3.schema.json``, the JSON Schema this
    project publishes for editors: only the top-level keys AWS defines (schemaVersion, description, assumeRole,
    parameters, variables, mainSteps, outputs, files); parameters with a known type, a default of that type and
    known constraint keys; steps with a name, a known action, that action's inputs (required ones present, no
    unknown ones, each of its type) and the common step fields (maxAttempts, timeoutSeconds, onFailure,
    onCancel, isEnd, nextStep, isCritical, outputs, description) with their types; declared outputs with a Name,
    Selector and Type. A value that is exactly one ``{{ reference }}`` is accepted wherever a list, mapping,
    integer or boolean is, since SSM resolves it when the step runs. The inputs of aws:executeAwsApi,
    aws:assertAwsResourceProperty and aws:waitForAwsResourceProperty also take the API operation's own
    parameters, which other rules check.

    Why: AWS refuses such a document when it is created or updated (InvalidDocumentContent), or the step fails
    when it runs; an unknown key is usually a misspelling that would otherwise do nothing.

    Fix: correct the key or value the message names; the message lists the keys known there and suggests the
    closest one. Point your editor at the schema (see the README) to get completion and these errors as you type.
    """

    id = "E0010"
    summary = "the document does not match the Automation schema"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        if fast_check()(doc.data) or fast_check()(_without_parts_reported_elsewhere(doc.data)):
            return []
        return [problem for problem in problems(doc.data) if not _reported_elsewhere(problem, doc.data)]


def _without_parts_reported_elsewhere(data: Mapping[str, JSON]) -> dict[str, JSON]:
    """The data less what other rules report (steps with an unknown action, parameter defaults and allowed
    values): when it is valid, jsonschema (slow to import) need not be asked for messages that would be dropped."""
    out = dict(data)
    parameters = data.get("parameters")
    if isinstance(parameters, dict):
        out["parameters"] = {
            name: {k: v for k, v in spec.items() if k not in ("default", "allowedValues")}
            if isinstance(spec, dict)
            else spec
            for name, spec in parameters.items()
        }
    steps = data.get("mainSteps")
    if isinstance(steps, list):
        out["mainSteps"] = [
            step
            for step in steps
            if not (
                isinstance(step, dict) and isinstance(step.get("action"), str) and step["action"] not in ACTION_NAMES
            )
        ]
    return out


def _reported_elsewhere(problem: Problem, data: Mapping[str, JSON]) -> bool:
    """A defect another rule reports with more to say: an unknown action (E3001 suggests the right one) and a
    parameter default or allowed value of the wrong type (E1101). The schema itself keeps both, for editors."""
    path = problem.path
    if len(path) >= 3 and path[0] == "parameters" and path[2] in ("default", "allowedValues"):
        return True
    if path and path[-1] == "action" and not problem.at_key:
        node: Any = data
        for part in path:
            if isinstance(node, dict) and isinstance(part, str):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return False
        return isinstance(node, str) and node not in ACTION_NAMES
    return False


def problems(data: Mapping[str, JSON]) -> list[Problem]:
    """One problem per defect jsonschema finds in the data, without duplicates.

    A misspelt key shows up twice among the schema's errors, as an unknown key and as a missing one: it is
    reported once, as the unknown key, with the missing one suggested."""
    errors = [_pick(error) for error in validator().iter_errors(data)]
    missing: dict[Path, list[str]] = {}
    for error in errors:
        keys = _required_keys(error)
        if keys and isinstance(error.instance, dict):
            absent = [key for key in keys if key not in error.instance]
            missing.setdefault(tuple(error.absolute_path), []).extend(absent)
    typos: dict[tuple[Path, str], str] = {}
    for error in errors:
        if error.validator == "additionalProperties":
            path = tuple(error.absolute_path)
            for key in _unknown_keys(error):
                match = _closest(key, missing.get(path, []))
                if match is not None:
                    typos[(path, key)] = match
    found: dict[tuple[Path, bool], Problem] = {}
    for error in errors:
        for problem in _describe(error, data, typos):
            found.setdefault((problem.path, problem.at_key), problem)
    return list(found.values())


# -- turning a jsonschema error into a problem ------------------------------------------------------------------


def _pick(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the sub-error that says most: one deeper in the data, or the failed bound of the branch
    whose type matched; else the error itself (reported with the schema's title)."""
    from jsonschema.exceptions import best_match  # lazy: as in validator(), only for an invalid document

    while error.validator in ("anyOf", "oneOf") and error.context:
        deeper = [sub for sub in error.context if len(sub.absolute_path) > len(error.absolute_path)]
        bounds = [sub for sub in error.context if sub.validator in BOUNDS]
        if deeper:
            error = best_match(deeper) or error
        elif len(bounds) == 1:
            return bounds[0]
        else:
            break
    return error


def _describe(
    error: ValidationError, data: Mapping[str, JSON], typos: Mapping[tuple[Path, str], str]
) -> Iterator[Problem]:
    path: Path = tuple(error.absolute_path)
    kind, value, limit = error.validator, error.instance, _limit(error)
    place = _Place.of(path, data)
    fixed = {fix for (at, _), fix in typos.items() if at == path}
    if "propertyNames" in error.absolute_schema_path:
        yield Problem((*path, str(value)), f"'{value}' is not {_title(error) or 'a valid name'}", at_key=True)
    elif kind == "additionalProperties":
        known = list(_schema(error).get("properties", {}))
        for key in _unknown_keys(error):
            message = place.unknown(key, known, typos.get((path, key)) or _closest(key, known))
            yield Problem((*path, key), message, at_key=True)
    elif kind == "required" and isinstance(value, dict):
        for key in limit:
            if key not in value and key not in fixed:
                yield Problem(path, place.missing(key))
    elif _required_keys(error):
        names = _required_keys(error)
        if not fixed & set(names):
            yield Problem(path, f"{place.owner_with_action} needs one of the inputs {', '.join(names)}")
    elif kind == "not" and isinstance(limit, dict) and "required" in limit:
        key = limit["required"][0]
        yield Problem((*path, key), f"{key} is not supported on {place.action} ({place})", at_key=True)
    elif kind == "enum" and place.owner.startswith("step ") and place.rest == ("action",):
        yield Problem(path, f"unknown action {_shown(value, bare=True)} in {place.owner}{_close(value, limit)}")
    else:
        yield Problem(path, f"{place} {_expectation(error)}")


def _expectation(error: ValidationError) -> str:
    """What the value must be, and what it is: 'must be an integer, not the string "x"'."""
    kind, limit, title = error.validator, _limit(error), _title(error)
    value: Any = error.instance
    if kind in ("anyOf", "oneOf"):
        context = error.context or []
        phrases = dict.fromkeys(phrase for phrase in (_title_of(sub) for sub in context) if phrase)
        all_types = bool(context) and all(sub.validator == "type" for sub in context)
        options = [option for sub in context if sub.validator == "enum" for option in _limit(sub)]
        shown = f", not {_shown(value)}" if all_types or not isinstance(value, (dict, list)) else ""
        return f"must be {title or ' or '.join(phrases) or 'valid'}{shown}{_close(value, options)}"
    if kind == "type":
        return f"must be {title or _type_phrase(limit)}, not {_shown(value)}"
    if kind in ("enum", "const"):
        options = limit if kind == "enum" else [limit]
        if len(options) > 12:
            return f"must be a known value, not {_shown(value)}{_close(value, options)}"
        listed = ", ".join(dict.fromkeys(str(option) for option in options))
        return f"must be one of {listed}, not {_shown(value)}{_close(value, options)}"
    if kind == "pattern":
        return f"must be {title or 'text matching ' + str(limit)}, not {_shown(value)}"
    if kind in BOUNDS:
        bound = "at least" if kind.startswith("min") else "at most"
        if kind.endswith("Items"):
            return f"must have {bound} {limit} item{'s' if limit != 1 else ''}, not {len(value)}"
        if kind.endswith("Length"):
            return f"must be {bound} {limit} characters long, not {len(value)}"
        return f"must be {bound} {limit}, not {_shown(value)}"
    if kind == "minProperties":
        return "must not be empty"
    return f"does not match the schema ({kind})"


def _limit(error: ValidationError) -> Any:
    return error.validator_value


def _schema(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _title(error: ValidationError) -> str | None:
    title = _schema(error).get("title")
    return title if isinstance(title, str) else None


def _title_of(error: ValidationError) -> str | None:
    return _title(error) or (_type_phrase(_limit(error)) if error.validator == "type" else None)


def _required_keys(error: ValidationError) -> list[str]:
    """The keys a required error asks for, or those of an anyOf of single required keys (one of them)."""
    limit = _limit(error)
    if error.validator == "required":
        return [str(key) for key in limit]
    if error.validator == "anyOf" and all(isinstance(b, dict) and list(b) == ["required"] for b in limit):
        return [str(key) for branch in limit for key in branch["required"]]
    return []


def _unknown_keys(error: ValidationError) -> list[str]:
    known = _schema(error).get("properties", {})
    return [key for key in (error.instance if isinstance(error.instance, dict) else {}) if key not in known]


_TYPE_PHRASES: Final = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "object": "a mapping",
    "array": "a list",
}


def _type_phrase(types: object) -> str:
    names = types if isinstance(types, list) else [types]
    return " or ".join(_TYPE_PHRASES.get(str(name), str(name)) for name in names if name != "null")


def _shown(value: object, *, bare: bool = False) -> str:
    """A short description of a value, never the whole of a long one."""
    if isinstance(value, str):
        text = repr(value if len(value) <= 40 else value[:37] + "...")
        return text if bare else f"the string {text}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return "an empty value" if value is None else "a list" if isinstance(value, list) else "a mapping"


def _closest(word: str, options: Iterable[object]) -> str | None:
    lowered = {option.lower(): option for option in options if isinstance(option, str)}
    import difflib  # lazy: only a misspelling's suggestion needs it (heapq and more)

    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[matches[0]] if matches else None


def _close(value: object, options: Iterable[object]) -> str:
    match = _closest(value, options) if isinstance(value, str) else None
    return f" (did you mean {match}?)" if match else ""


# -- naming the place at fault ----------------------------------------------------------------------------------

_SECTIONS: Final = {"parameters": "parameter", "variables": "variable", "files": "file"}


class _Place(Record):
    """The innermost named thing holding a path (a step, parameter, variable, file, or the document), the rest
    of the path below it, and that thing's data (a ``Record``)."""

    __slots__ = ("node", "owner", "rest")
    _FIELDS = ("owner", "rest", "node")

    owner: str
    rest: Path
    node: JSON

    def __init__(self, owner: str, rest: Path, node: JSON) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "owner", owner)
        setattr_(self, "rest", rest)
        setattr_(self, "node", node)

    @classmethod
    def of(cls, path: Path, data: Mapping[str, JSON]) -> _Place:
        if len(path) > 1 and path[0] in _SECTIONS:
            section = data.get(str(path[0]))
            node = section.get(str(path[1])) if isinstance(section, dict) else None
            return cls(f"{_SECTIONS[str(path[0])]} {path[1]}", path[2:], node)
        place = cls("the document", path, None)
        steps = data.get("mainSteps") if path[:1] == ("mainSteps",) else None
        while len(place.rest) > 1 and isinstance(steps, list) and isinstance(place.rest[1], int):
            index = place.rest[1]
            step = steps[index] if index < len(steps) else None
            if not isinstance(step, dict):
                break
            name, inputs = step.get("name"), step.get("inputs")
            place = cls(f"step {name}" if isinstance(name, str) else f"step {index + 1}", place.rest[2:], step)
            is_loop = step.get("action") == "aws:loop" and isinstance(inputs, dict)
            if not is_loop or place.rest[:2] != ("inputs", "Steps") or not isinstance(inputs, dict):
                break
            steps, place = inputs.get("Steps"), cls(place.owner, place.rest[1:], step)
        return place

    @property
    def action(self) -> str:
        action = self.node.get("action") if isinstance(self.node, dict) else None
        return action if isinstance(action, str) else "this action"

    @property
    def is_inputs(self) -> bool:
        return self.owner.startswith("step ") and self.rest == ("inputs",)

    @property
    def owner_with_action(self) -> str:
        return f"{self.owner} ({self.action})" if self.is_inputs else str(self)

    def __str__(self) -> str:
        if not self.rest:
            return self.owner
        if self.owner == "the document":
            return f"top-level {_compact(self.rest)}"
        if self.owner.startswith("step ") and self.rest[0] == "inputs" and len(self.rest) > 1:
            return f"input {_compact(self.rest[1:])} of {self.owner}"
        return f"{_compact(self.rest)} of {self.owner}"

    def unknown(self, key: str, known: list[str], hint: str | None) -> str:
        listed = f"known: {', '.join(known)}" if known else "it takes none"
        listed = f"did you mean {hint}? {listed}" if hint else listed
        if self.is_inputs:
            return f"unknown input '{key}' for {self.action} in {self.owner} ({listed})"
        if self.owner == "the document" and not self.rest:
            return f"unknown top-level key '{key}' ({listed})"
        return f"unknown key '{key}' in {self} ({listed})"

    def missing(self, key: str) -> str:
        if self.is_inputs:
            return f"{self.owner_with_action} is missing the required input '{key}'"
        if self.owner == "the document" and not self.rest:
            return f"the document is missing the required top-level key '{key}'"
        return f"{self} is missing the required key '{key}'"


def _compact(path: Path) -> str:
    out = ""
    for token in path:
        out += f"[{token}]" if isinstance(token, int) else (f".{token}" if out else str(token))
    return out


RULES: tuple[type[Rule], ...] = (Schema,)
