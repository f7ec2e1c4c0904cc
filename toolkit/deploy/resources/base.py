"""What every resource type's handler shares: the resource being created (``Resource``: its resolved properties, the
stack, the backend whose calls it makes), what it gives back (``Physical``), the errors, and the stack records.

A handler takes a ``Resource``, accepts the properties it applies (``accept``: any other property the template sets
is an error naming it, so nothing is dropped silently), makes the API calls CloudFormation's handler for the type
makes (``call``: through the world's backend, as the stack's principal, so IAM and the fakes' own checks apply;
an AWS error becomes an ``InstantiateError`` naming the resource, the call and AWS's error), and returns the
physical id and attributes ``Ref`` and ``Fn::GetAtt`` give.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from toolkit.deploy.intrinsics import InstantiateError, Physical, Stack
from toolkit.fakes.errors import AwsError

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend
    from toolkit.fakes.caller import Caller
    from toolkit.fakes.state import WorldState


__all__ = ["Created", "Handler", "InstantiateError", "Renamed", "Resource", "StackRecord", "Stacks"]

Renamed = str | tuple[str, Callable[[Any], Any]]
"""A template key's API key, or its API key and the function converting its value."""


@dataclass(frozen=True)
class Created:
    """A resource a stack created: its logical id, type, physical id and attributes."""

    logical_id: str
    type: str
    physical_id: str
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class StackRecord:
    """What one stack created, where and as whom: the resources in creation order, those its conditions left out,
    and its outputs. ``parent``: the logical id of the StackSet a stack instance belongs to."""

    name: str
    account: str
    region: str
    principal: str
    parent: str | None = None
    resources: list[Created] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)


class Stacks(Protocol):
    """Where stacks are created: the world (its root), and a way to create another stack in it (a StackSet's
    instances)."""

    @property
    def world(self) -> WorldState: ...

    def account(self, account_id: str) -> WorldState: ...

    def create(
        self,
        template: Mapping[str, Any],
        parameters: Mapping[str, Any],
        *,
        account: str,
        region: str,
        stack_name: str,
        caller: Caller,
        parent: str | None = None,
    ) -> StackRecord: ...


@dataclass
class Resource:
    """One resource being created: its logical id, type and properties (intrinsic functions evaluated), the stack it
    belongs to, the backend its calls go to (the stack's account and region, as the stack's principal)."""

    stack: Stack
    logical_id: str
    type: str
    properties: dict[str, Any]
    backend: FakeBackend
    stacks: Stacks

    def error(self, message: str) -> InstantiateError:
        return InstantiateError(
            message,
            stack=self.stack.name,
            account=self.stack.account,
            region=self.stack.region,
            logical_id=self.logical_id,
            type=self.type,
        )

    def accept(self, supported: Iterable[str], required: Iterable[str] = ()) -> dict[str, Any]:
        """The properties, when each is one the handler applies and the required ones are there."""
        known = set(supported)
        for key in self.properties:
            if key not in known:
                raise self.error(f"property {key} is not instantiated (supported: {', '.join(sorted(known))})")
        for key in required:
            if key not in self.properties:
                raise self.error(f"property {key} is required")
        return self.properties

    def call(
        self, service: str, operation: str, params: dict[str, Any], *, backend: FakeBackend | None = None
    ) -> dict[str, Any]:
        """One API call CloudFormation makes for the resource, through the world's backend as the stack's principal."""
        try:
            return (backend or self.backend).call(service, operation, params)
        except AwsError as err:
            raise self.error(f"{service} {operation} failed: {err.code}: {err.message}") from err

    def name(self, key: str, limit: int, *, lower: bool = False) -> str:
        """The resource's name: the property ``key`` if the template sets it, else the name CloudFormation
        generates (``Stack.generated_name``)."""
        given = self.properties.get(key)
        if given is not None:
            return self.text(given, key)
        return self.stack.generated_name(self.logical_id, limit, lower=lower)

    def already_exists(self, identifier: str) -> InstantiateError:
        """CloudFormation's refusal to create a named resource that exists (where the API itself would update it)."""
        return self.error(f"Resource of type '{self.type}' with identifier '{identifier}' already exists.")

    def text(self, value: Any, key: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (dict, list)):
            raise self.error(f"property {key} must be a single value, not {value!r}")
        return str(value)

    def integer(self, value: Any, key: str) -> int:
        """A number property (a Ref to a Number parameter gives text, which CloudFormation converts)."""
        if isinstance(value, bool):
            raise self.error(f"property {key} must be an integer, not {value!r}")
        try:
            return int(str(value))
        except ValueError as err:
            raise self.error(f"property {key} must be an integer, not {value!r}") from err

    def boolean(self, value: Any, key: str) -> bool:
        """A Boolean property (given as true/false, or as the text a Ref gives)."""
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self.error(f"property {key} must be true or false, not {value!r}")

    def json_text(self, value: Any, key: str) -> str:
        """A JSON property (a policy document, input parameters) as the text the API takes: a mapping is serialised,
        text is passed as it is."""
        if isinstance(value, str):
            return value
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        raise self.error(f"property {key} must be a JSON object or its text, not {value!r}")

    def mapping(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f"property {key} must be a mapping, not {value!r}")
        return value

    def items(self, value: Any, key: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.error(f"property {key} must be a list, not {value!r}")
        return value

    def tags(self, key: str = "Tags") -> list[dict[str, str]]:
        """A Tags property, ``[{Key, Value}]``, as the API's tag list."""
        found = []
        for tag in self.items(self.properties.get(key, []), key):
            if not isinstance(tag, dict) or set(tag) != {"Key", "Value"}:
                raise self.error(f"property {key} must be a list of {{Key, Value}}, not {tag!r}")
            found.append({"Key": self.text(tag["Key"], key), "Value": self.text(tag["Value"], key)})
        return found

    def converted(self, value: Any, key: str, names: Mapping[str, Renamed]) -> Any:
        """A structure property as the API spells it: each of ``names`` (the template's key) becomes its API
        key (and value, through the function given with it); any other key is an error naming it."""
        result: dict[str, Any] = {}
        for item, inner in self.mapping(value, key).items():
            target = names.get(item)
            if target is None:
                raise self.error(f"property {key}.{item} is not instantiated (supported: {', '.join(sorted(names))})")
            if isinstance(target, tuple):
                result[target[0]] = target[1](inner)
            else:
                result[target] = inner
        return result

    def arn(self, service: str, resource: str, *, region: str | None = None) -> str:
        where = self.stack.region if region is None else region
        return f"arn:{self.stack.partition}:{service}:{where}:{self.stack.account}:{resource}"


Handler = Callable[[Resource], Physical]
"""A resource type's handler: creates the resource, returns its physical id and attributes."""
