"""Reading requests and writing responses in the fake services: typed getters that fail as AWS's validation does,
and a fast copy of JSON data.

Requests arrive as botocore would serialise them (PascalCase members, JSON-like values). A missing required
member or a value of the wrong type is refused with ``ValidationException`` and the message AWS's request
validation uses ("1 validation error detected: ..."); botocore itself would refuse most of these before sending.

State the fakes keep is never shared with a caller: values taken from a request are copied in, values put in a
response are copied out (``copy_json``), so a script that edits a response cannot change the world.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.errors import AwsError


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, tuples as lists, scalars): several times faster than deepcopy."""
    kind = type(value)
    if kind is dict:
        # One C-level copy, then each container in it replaced by its copy (most values are strings, shared as
        # they are immutable).
        result = value.copy()
        for key, item in value.items():
            if type(item) in _CONTAINERS:
                result[key] = copy_json(item)
        return result
    if kind is list or kind is tuple:
        for item in value:
            if type(item) in _CONTAINERS:
                return [copy_json(item) if type(item) in _CONTAINERS else item for item in value]
        return list(value)
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [copy_json(item) for item in value]
    return value


_CONTAINERS = frozenset({dict, list, tuple})


def invalid(member: str, constraint: str) -> AwsError:
    return AwsError(
        "ValidationException",
        f"1 validation error detected: Value at '{member}' failed to satisfy constraint: {constraint}",
    )


def missing(member: str) -> AwsError:
    return AwsError(
        "ValidationException",
        f"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null",
    )


def req_str(params: dict[str, Any], member: str) -> str:
    value = params.get(member)
    if value is None:
        raise missing(member)
    if not isinstance(value, str):
        raise invalid(member, "Member must be a string")
    return value


def opt_str(params: dict[str, Any], member: str) -> str | None:
    value = params.get(member)
    if value is None or isinstance(value, str):
        return value
    raise invalid(member, "Member must be a string")


def opt_bool(params: dict[str, Any], member: str) -> bool | None:
    value = params.get(member)
    if value is None or isinstance(value, bool):
        return value
    raise invalid(member, "Member must be a boolean")


def opt_int(params: dict[str, Any], member: str) -> int | None:
    value = params.get(member)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise invalid(member, "Member must be an integer")


def opt_list(params: dict[str, Any], member: str) -> list[Any] | None:
    value = params.get(member)
    if value is None or isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    raise invalid(member, "Member must be a list")


def str_list(params: dict[str, Any], member: str) -> list[str] | None:
    values = opt_list(params, member)
    if values is not None and not all(isinstance(item, str) for item in values):
        raise invalid(member, "Member must be a list of strings")
    return values


def struct_list(params: dict[str, Any], member: str) -> list[dict[str, Any]] | None:
    values = opt_list(params, member)
    if values is not None and not all(isinstance(item, dict) for item in values):
        raise invalid(member, "Member must be a list of structures")
    return values


def drop_none(response: dict[str, Any]) -> dict[str, Any]:
    """The response without members whose value is None: botocore leaves absent members out."""
    return {key: value for key, value in response.items() if value is not None}
