"""Values inside a document: JSON data, typed references, and SSM's value kinds.

A reference is the ``{{ ... }}`` syntax of Automation documents. In Python a runbook author writes typed
references (``param.ref``, ``step.output("Arn")``, ``Var("Count")``, ``Global.REGION``); in a loaded document a
value that is exactly one reference and fills a non-string field is kept as a ``Ref`` with its original spelling,
so rendering gives back the same bytes of data.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeAlias, TypeVar

from toolkit.errors import DefinitionError
from toolkit.json_types import JSON
from toolkit.records import Record
from toolkit.ssm.references import REFERENCE, SYSTEM_VARIABLES, WHOLE_REFERENCE
from toolkit.ssm.types import Kind, Reference

# Re-exported: SSM's value kinds and reference syntax live in the catalogue (toolkit.ssm), read through here too.
__all__ = [
    "BUILD_PLACEHOLDER",
    "JSON",
    "REFERENCE",
    "SYSTEM_VARIABLES",
    "WHOLE_REFERENCE",
    "Global",
    "Kind",
    "Ref",
    "RefKind",
    "Value",
    "Var",
    "as_tuple",
    "classify",
    "references",
    "to_json",
    "whole_reference",
]

# A build-time placeholder some projects put in documents, filled in before publishing: %%SCRIPT=file.py%%.
BUILD_PLACEHOLDER = re.compile(r"%%[A-Za-z0-9_]+(?:=[^%\n]*)?%%")


class RefKind(enum.Enum):
    PARAMETER = "parameter"
    OUTPUT = "output"
    VARIABLE = "variable"
    SYSTEM = "system"
    PARAMETER_STORE = "parameter-store"


class Ref(Reference, Record):
    """One ``{{ target }}`` reference. ``source`` is its spelling in the document (by default ``{{ target }}``).

    A ``Record`` (``@dataclass(frozen=True, slots=True)`` written out, so that loading the model loads no
    ``dataclasses``): equal, hashed and shown by ``(target, source)``."""

    __slots__ = ("source", "target")
    _FIELDS = ("target", "source")
    __match_args__ = ("target", "source")

    target: str
    source: str

    def __init__(self, target: str, source: str = "") -> None:
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "source", source if source else "{{ " + target + " }}")

    def __str__(self) -> str:
        return self.source

    def __format__(self, spec: str) -> str:
        return format(self.source, spec)

    @property
    def kind(self) -> RefKind:
        return classify(self.target)

    @property
    def step(self) -> str:
        """For an output reference, the step's name."""
        return self.target.split(".", 1)[0]

    @property
    def name(self) -> str:
        """The parameter, output, variable or system variable named (without its prefix or step)."""
        kind = self.kind
        if kind is RefKind.OUTPUT:
            return self.target.split(".", 1)[1]
        if kind is RefKind.VARIABLE:
            return self.target.split(":", 1)[1]
        return self.target


Value: TypeAlias = JSON | Ref | Sequence["Value"] | Mapping[str, "Value"]
"""An input value while authoring: JSON data in which typed references may stand."""


def classify(target: str) -> RefKind:
    """What a reference's target text refers to."""
    if target.startswith(("global:", "automation:")):
        return RefKind.SYSTEM
    if target.startswith("variable:"):
        return RefKind.VARIABLE
    if target.startswith("ssm:"):
        return RefKind.PARAMETER_STORE
    if "." in target:
        return RefKind.OUTPUT
    return RefKind.PARAMETER


class Global:
    """The system variables, as typed references."""

    ACCOUNT_ID = Ref("global:ACCOUNT_ID")
    REGION = Ref("global:REGION")
    AWS_PARTITION = Ref("global:AWS_PARTITION")
    DATE = Ref("global:DATE")
    DATE_TIME = Ref("global:DATE_TIME")
    EXECUTION_ID = Ref("automation:EXECUTION_ID")


def Var(name: str) -> Ref:
    """A reference to a runtime variable declared under ``variables``."""
    return Ref(f"variable:{name}")


def whole_reference(text: str) -> Ref | None:
    """The reference, when ``text`` is exactly one ``{{ ... }}`` and nothing else."""
    match = WHOLE_REFERENCE.match(text)
    return Ref(match.group(1), text) if match else None


def references(value: object) -> Iterator[tuple[tuple[str | int, ...], Ref]]:
    """Every reference inside a value, with its path below the value."""
    yield from _walk(value, ())


def _walk(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Ref]]:
    if isinstance(value, Ref):
        yield path, value
    elif isinstance(value, str):
        if "{{" in value:
            for match in REFERENCE.finditer(value):
                yield path, Ref(match.group(1), match.group(0))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


T = TypeVar("T")


def as_tuple(value: Sequence[T] | None, *, field: str, step: str | None = None) -> tuple[T, ...] | None:
    """The stored value of a field an author may give as any sequence (a list, a tuple...): a tuple, so a definition
    cannot change after it is checked and compares equal however it was written. A string is not a sequence of
    items here (``outputs="A.B"`` is a mistake, not three outputs)."""
    if value is None or isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes, bytearray)) or not isinstance(value, Sequence):
        raise DefinitionError(
            f"{field} must be a sequence (a list or tuple), not {type(value).__name__} {value!r}",
            step=step,
            field=field,
        )
    return tuple(value)


def to_json(value: object) -> JSON:
    """Turn an authored value (references, tuples, nested model objects) into plain JSON data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Ref):
        return value.source
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        result: JSON = to_dict()
        return result
    raise TypeError(f"not a document value: {type(value).__name__}")
