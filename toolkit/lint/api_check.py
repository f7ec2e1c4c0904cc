"""The analysis behind the AWS API rules (``toolkit.lint.rules.api``): one pass over a document's API steps
against botocore's service models, yielding each problem with the kind of finding it is.

Service must be a boto3 client name, Api one of its operations, the other inputs the operation's parameters
(names, required members, the JSON shape of each value, recursively); output selectors and PropertySelector
must name members of the operation's response. The models come from ``toolkit.aws.models``, loaded only
for the services the document names.
"""

from __future__ import annotations

import enum
from collections.abc import Generator, Iterable, Iterator
from typing import Final, TypeAlias

from toolkit.aws import models as aws_models
from toolkit.aws.models import Operation, ServiceModel
from toolkit.lint import aws_selectors
from toolkit.lint.context import LintDocument, StepSite
from toolkit.lint.rule import Path, Problem
from toolkit.model.values import JSON, whole_reference

API_ACTIONS: Final = frozenset({"aws:executeAwsApi", "aws:assertAwsResourceProperty", "aws:waitForAwsResourceProperty"})
CONTROL_INPUTS: Final = frozenset({"Service", "Api"})
PROPERTY_INPUTS: Final = frozenset({"PropertySelector", "DesiredValues"})

Found: TypeAlias = tuple["Check", Problem]
"""A problem and what kind of finding it is."""

# The JSON kind of a value SSM passes for each type of parameter, variable or output: (kind, element kind).
SSM_TYPES: Final = {
    "String": ("string", ""),
    "Integer": ("integer", ""),
    "Boolean": ("boolean", ""),
    "StringList": ("list", "string"),
    "StringMap": ("map", ""),
    "MapList": ("list", "map"),
}
# For each botocore kind, the JSON kinds boto3 accepts as they are.
FITS: Final = {
    "structure": ("map",),
    "map": ("map",),
    "list": ("list",),
    "string": ("string",),
    "integer": ("integer",),
    "long": ("integer",),
    "float": ("integer", "number"),
    "double": ("integer", "number"),
    "boolean": ("boolean",),
    "timestamp": ("string", "integer", "number"),
    "blob": ("string",),
}
CONTAINERS: Final = frozenset({"structure", "map", "list"})
# How messages name each JSON kind and botocore kind: (a value of it, values of it).
NAMES: Final = {
    "map": ("a mapping", "mappings"),
    "list": ("a list", "lists"),
    "string": ("a string", "strings"),
    "integer": ("an integer", "integers"),
    "number": ("a number", "numbers"),
    "boolean": ("a boolean", "booleans"),
    "null": ("null", "nulls"),
    "structure": ("a structure", "structures"),
    "long": ("an integer", "integers"),
    "float": ("a number", "numbers"),
    "double": ("a number", "numbers"),
    "timestamp": ("a timestamp", "timestamps"),
    "blob": ("binary data", "binary values"),
}


def _shape_noun(kind: str) -> str:
    return NAMES.get(kind, (kind, kind))[0]


def _shape_noun_plural(kind: str) -> str:
    return NAMES.get(kind, (kind, kind))[1]


class Check(enum.Enum):
    """What the analysis found; each rule of ``toolkit.lint.rules.api`` reports one kind."""

    UNKNOWN_SERVICE = "unknown-service"
    SERVICE_SPELLING = "service-spelling"
    UNKNOWN_OPERATION = "unknown-operation"
    OPERATION_SPELLING = "operation-spelling"
    UNKNOWN_PARAMETER = "unknown-parameter"
    MISSING_PARAMETER = "missing-parameter"
    SHAPE_MISMATCH = "shape-mismatch"
    SCALAR_MISMATCH = "scalar-mismatch"
    STREAMING_OPERATION = "streaming-operation"
    SELECTOR_MISS = "selector-miss"
    PROPERTY_SELECTOR_MISS = "property-selector-miss"
    OUTPUT_TYPE_MISMATCH = "output-type-mismatch"


def analyse(doc: LintDocument) -> Iterator[Found]:
    sites = [site for site in doc.steps if site.action in API_ACTIONS]
    if not sites:
        return
    store = doc.models
    if not store.available:
        return
    for site in sites:
        model = yield from _service(store, site)
        if model is None:
            continue
        operation = yield from _operation(model, site)
        if operation is None:
            continue
        call = _Call(doc, site, model, operation)
        if operation.streaming:
            message = f"{site.label}: {call.title} streams its data, which aws:executeAwsApi does not support"
            yield Check.STREAMING_OPERATION, Problem((*site.path, "inputs", "Api"), message)
        yield from call.parameters()
        yield from call.selectors()


def _service(store: aws_models.ModelStore, site: StepSite) -> Generator[Found, None, ServiceModel | None]:
    """Check Service; the generator's return value is the service's model (None: stop here)."""
    service = site.inputs.get("Service")
    if not isinstance(service, str) or "{{" in service:
        return None
    name = aws_models.SERVICE_ALIASES.get(service, service)
    model = store.model(name)
    if model is not None:
        return model
    path = (*site.path, "inputs", "Service")
    names = store.service_names()
    folded = [known for known in names if known.lower() == service.strip().lower()]
    if folded:
        yield (
            Check.SERVICE_SPELLING,
            Problem(path, f"{site.label}: Service {service!r} is spelled {folded[0]!r} by boto3"),
        )
        return store.model(folded[0])
    message = f"{site.label}: Service {service!r} is not an AWS service{_hint(service, names)}"
    yield Check.UNKNOWN_SERVICE, Problem(path, message)
    return None


def _operation(model: ServiceModel, site: StepSite) -> Generator[Found, None, Operation | None]:
    """Check Api; the generator's return value is the operation (None: stop here)."""
    api = site.inputs.get("Api")
    if not isinstance(api, str) or "{{" in api:
        return None
    operation = model.operation(api)
    if operation is not None:
        return operation
    path = (*site.path, "inputs", "Api")
    converted = model.operation(aws_models.xform_name(api.strip()))
    if converted is not None:
        message = f"{site.label}: write Api {api!r} as {converted.name} (or {aws_models.xform_name(converted.name)})"
        yield Check.OPERATION_SPELLING, Problem(path, message)
        return converted
    loose = {name.lower(): name for name in model.operations}
    near = loose.get(api.replace("_", "").lower())
    hint = f"; did you mean {near}?" if near else _hint(api, list(model.operations))
    yield (
        Check.UNKNOWN_OPERATION,
        Problem(path, f"{site.label}: Api {api!r} is not an operation of {model.service}{hint}"),
    )
    return None


def _hint(name: str, choices: Iterable[str]) -> str:
    import difflib  # lazy: only a misspelling's suggestion needs it (heapq and more)

    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {close[0]}?" if close else ""


class _Call:
    """One resolved API call: checks its parameters and selectors against the operation's shapes."""

    def __init__(self, doc: LintDocument, site: StepSite, model: ServiceModel, operation: Operation) -> None:
        self.doc, self.site, self.model, self.operation = doc, site, model, operation
        self.title = f"{model.service} {operation.name}"

    # -- parameters ---------------------------------------------------------------------------------------

    def parameters(self) -> Iterator[Found]:
        skip = CONTROL_INPUTS | (PROPERTY_INPUTS if self.site.action != "aws:executeAwsApi" else frozenset())
        params = {key: value for key, value in self.site.inputs.items() if key not in skip}
        base = (*self.site.path, "inputs")
        if not self.operation.input:
            for key in params:
                message = f"{self.site.label}: {key} is not a parameter: {self.title} takes none"
                yield Check.UNKNOWN_PARAMETER, Problem((*base, key), message, True)
            return
        yield from self._members(params, self.operation.input, base, "", (*base, "Api"))

    def _members(self, value: dict[str, JSON], name: str, path: Path, label: str, anchor: Path) -> Iterator[Found]:
        """A mapping given for the structure shape ``name``: unknown keys, missing members, then each value."""
        shape = self.model.shape(name)
        where = f"a parameter of {self.title}" if not label else f"a member of {name} in {self.title}"
        unknown = [key for key in value if key not in shape.members]
        for key in unknown:
            hint = _hint(key, shape.members) or (f" (members: {_listed(shape.members)})" if label else "")
            message = f"{self.site.label}: {_join(label, key)} is not {where}{hint}"
            yield Check.UNKNOWN_PARAMETER, Problem((*path, key), message, True)
        for member in shape.required:
            if member not in value:
                near = _close(member, unknown)
                at, at_key = ((*path, near), True) if near else (anchor, False)
                instead = f" ({near} is given instead)" if near else ""
                message = f"{self.site.label}: {self.title} requires {_join(label, member)}{instead}"
                yield Check.MISSING_PARAMETER, Problem(at, message, at_key)
        if shape.union and len(value) != 1:
            options = ", ".join(shape.members)
            rule = Check.MISSING_PARAMETER if not value else Check.SHAPE_MISMATCH
            message = f"{self.site.label}: {label or 'the call'} must set exactly one of {options}"
            yield rule, Problem(path, message)
        for key, item in value.items():
            if key in shape.members:
                yield from self._value(item, shape.members[key], (*path, key), _join(label, key))

    def _value(self, value: JSON, shape_name: str, path: Path, label: str) -> Iterator[Found]:
        shape = self.model.shape(shape_name)
        if shape.kind == "document":
            return
        kind, element = self._kind(value)
        if kind is None:
            return
        if kind not in FITS.get(shape.kind, (kind,)):
            container = shape.kind in CONTAINERS or kind in ("map", "list")
            rule = Check.SHAPE_MISMATCH if container and kind != "null" else Check.SCALAR_MISMATCH
            expected = _shape_noun(shape.kind)
            message = f"{self.site.label}: {label} of {self.title} takes {expected}, not {_shape_noun(kind)}"
            yield rule, Problem(path, message)
            return
        if isinstance(value, dict) and shape.kind == "structure":
            yield from self._members(value, shape_name, path, label, path)
        elif isinstance(value, dict) and shape.kind == "map":
            for key, item in value.items():
                yield from self._value(item, shape.target, (*path, key), f"{label}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                item_label = f"{label}[{index}]"
                item_kind, item_element = self._kind(item) if isinstance(item, str) else (None, "")
                if item_kind == "list":  # SSM flattens a list reference inside a list: [ "{{ InstanceIds }}" ]
                    yield from self._elements(item_element, shape.target, (*path, index), item_label)
                else:
                    yield from self._value(item, shape.target, (*path, index), item_label)
        elif element:  # a whole reference to a list: check its elements' kind
            yield from self._elements(element, shape.target, path, label)

    def _elements(self, element: str, shape_name: str, path: Path, label: str) -> Iterator[Found]:
        """The elements of a referenced StringList or MapList, for a list whose elements have ``shape_name``."""
        target = self.model.shape(shape_name)
        if target.kind != "document" and element not in FITS.get(target.kind, (element,)):
            rule = Check.SHAPE_MISMATCH if target.kind in CONTAINERS or element == "map" else Check.SCALAR_MISMATCH
            takes, given = _shape_noun_plural(target.kind), _shape_noun_plural(element)
            message = f"{self.site.label}: {label} of {self.title} takes a list of {takes}, not of {given}"
            yield rule, Problem(path, message)

    def _kind(self, value: JSON) -> tuple[str | None, str]:
        """(JSON kind, element kind for a referenced list); kind None when a reference hides it."""
        if value is None:
            return "null", ""
        if isinstance(value, bool):
            return "boolean", ""
        if isinstance(value, int):
            return "integer", ""
        if isinstance(value, float):
            return "number", ""
        if isinstance(value, dict):
            return "map", ""
        if isinstance(value, list):
            return "list", ""
        if "{{" not in value:
            return "string", ""
        ref = whole_reference(value)
        declared = self.doc.declared_type(ref) if ref is not None else None
        kind, element = SSM_TYPES.get(declared or "", (None, ""))
        return kind, element

    # -- selectors ----------------------------------------------------------------------------------------

    def selectors(self) -> Iterator[Found]:
        outputs = self.site.data.get("outputs")
        for index, output in enumerate(outputs if isinstance(outputs, list) else ()):
            if not isinstance(output, dict):
                continue
            selector = output.get("Selector")
            if not isinstance(selector, str) or "{{" in selector:
                continue
            path = (*self.site.path, "outputs", index, "Selector")
            selection = aws_selectors.select(self.model, self.operation, selector)
            if selection is None:
                continue
            name = output.get("Name") if isinstance(output.get("Name"), str) else f"#{index + 1}"
            if selection.missing:
                yield Check.SELECTOR_MISS, Problem(path, self._miss(f"the selector of output {name}", selection))
                continue
            declared = output.get("Type", "String")
            fault = _type_fault(self.model, selection, declared) if isinstance(declared, str) else None
            if fault:
                message = f"{self.site.label}: output {name} is {declared}, but {selector!r} selects {fault}"
                yield Check.OUTPUT_TYPE_MISMATCH, Problem((*self.site.path, "outputs", index, "Type"), message)
        selector = self.site.inputs.get("PropertySelector")
        if self.site.action != "aws:executeAwsApi" and isinstance(selector, str) and "{{" not in selector:
            selection = aws_selectors.select(self.model, self.operation, selector)
            if selection is not None and selection.missing:
                path = (*self.site.path, "inputs", "PropertySelector")
                yield Check.PROPERTY_SELECTOR_MISS, Problem(path, self._miss("PropertySelector", selection))

    def _miss(self, what: str, selection: aws_selectors.Selection) -> str:
        members = selection.members
        there = f" (members there: {_listed(members)})" if members else ""
        there = _hint(selection.missing, members) or there
        where = "anywhere in" if selection.multi and not members else f"at {selection.where} in"
        response = f"the response of {self.title}"
        return f"{self.site.label}: {what} names {selection.missing}, which is not {where} {response}{there}"


def _type_fault(model: ServiceModel, selection: aws_selectors.Selection, declared: str) -> str | None:
    """What the selection is, when the declared output Type cannot hold it (None: it fits, or cannot be told)."""
    kinds = {model.shape(name).kind for name in selection.shapes}
    if not kinds or "document" in kinds or len(kinds) > 1:
        return None
    kind = kinds.pop()
    element = ""
    if selection.multi:
        kind, element = "list", kind
    elif kind == "list":
        element = model.shape(model.shape(selection.shapes[0]).target).kind
    if element == "document":
        return None
    shape = "map" if kind in ("structure", "map") else "list" if kind == "list" else "scalar"
    inner = "map" if element in ("structure", "map") else "list" if element == "list" else "scalar"
    fits = {
        "String": shape == "scalar" or (shape == "list" and inner == "scalar"),
        "Integer": (shape == "scalar" and kind != "boolean") or (shape == "list" and inner == "scalar"),
        "Boolean": (shape == "scalar" and kind in ("boolean", "string")) or (shape == "list" and inner == "scalar"),
        "StringList": shape == "scalar" or (shape == "list" and inner == "scalar"),
        "StringMap": shape == "map",
        "MapList": shape == "list" and inner == "map",
    }
    if fits.get(declared, True):
        return None
    if shape == "list":
        return f"a list of {_shape_noun_plural(element)}" if element else "a list"
    return _shape_noun(kind)


def _listed(names: Iterable[str], limit: int = 12) -> str:
    names = list(names)
    return ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")


def _join(label: str, key: str) -> str:
    return f"{label}.{key}" if label else key


def _close(name: str, candidates: list[str]) -> str | None:
    if not candidates:
        return None
    import difflib  # lazy: only a misspelling's suggestion needs it (heapq and more)

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return close[0] if close else None
