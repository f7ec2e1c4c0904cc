"""What the fake CloudWatch Logs's operations share: reading requests as Logs validates them, finding log groups
and streams, the service's errors, and paging.

Logs answers a request member that breaks its model's constraints with ``InvalidParameterException`` and the
message "1 validation error detected: Value '...' at 'member' failed to satisfy constraint: ..." (observed; the
other services' fakes say ValidationException, ``toolkit.fakes.requests``); a log group name longer than 512
characters gets its own message. Every error is HTTP 400, as Logs answers them.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.cloudtrail import health
from toolkit.fakes.errors import AwsError
from toolkit.fakes.logs import LOG_GROUP_NAME, LogGroup, LogStream

T = TypeVar("T")

GROUP_PATTERN = r"[\.\-_/#A-Za-z0-9]+"
STREAM_PATTERN = r"[^:*]*"
GROUP_ARN = re.compile(r"arn:(aws[a-z-]*):logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?")

NO_GROUP = "The specified log group does not exist."
NO_STREAM = "The specified log stream does not exist."
BAD_TOKEN = "The specified nextToken is invalid."


def invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message)


def not_found(message: str = NO_GROUP) -> AwsError:
    return AwsError("ResourceNotFoundException", message)


def constraint(member: str, value: object, rule: str) -> AwsError:
    """Logs's request validation: ``InvalidParameterException`` naming the value, the member and the rule."""
    shown = "null" if value is None else f"'{value}'"
    return invalid(f"1 validation error detected: Value {shown} at '{member}' failed to satisfy constraint: {rule}")


def text(params: dict[str, Any], member: str, *, required: bool = False, most: int | None = None) -> str | None:
    value = params.get(member)
    if value is None:
        if required:
            raise constraint(member, None, "Member must not be null")
        return None
    if not isinstance(value, str):
        raise constraint(member, value, "Member must be a string")
    if most is not None and len(value) > most:
        raise constraint(member, value, f"Member must have length less than or equal to {most}")
    return value


def required_text(params: dict[str, Any], member: str, *, most: int | None = None) -> str:
    value = text(params, member, required=True, most=most)
    assert value is not None
    return value


def integer(params: dict[str, Any], member: str, least: int | None = None, most: int | None = None) -> int | None:
    value = params.get(member)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise constraint(member, value, "Member must be a number")
    if least is not None and value < least:
        raise constraint(member, value, f"Member must have value greater than or equal to {least}")
    if most is not None and value > most:
        raise constraint(member, value, f"Member must have value less than or equal to {most}")
    return value


def flag(params: dict[str, Any], member: str) -> bool | None:
    value = params.get(member)
    if value is None or isinstance(value, bool):
        return value
    raise constraint(member, value, "Member must be a boolean")


def string_map(params: dict[str, Any], member: str) -> dict[str, str] | None:
    value = params.get(member)
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise constraint(member, value, "Member must be a map of strings")
    return dict(value)


def check_group_name(name: str, member: str = "logGroupName") -> str:
    if len(name) > 512:
        raise invalid("Invalid LogGroup or LogStream, both must have length less than or equal to 512.")
    if not LOG_GROUP_NAME.fullmatch(name):
        raise constraint(member, name, f"Member must satisfy regular expression pattern: {GROUP_PATTERN}")
    return name


def check_stream_name(name: str, member: str = "logStreamName") -> str:
    if len(name) > 512:
        raise invalid("Invalid LogGroup or LogStream, both must have length less than or equal to 512.")
    if not name or ":" in name or "*" in name:
        raise constraint(member, name, f"Member must satisfy regular expression pattern: {STREAM_PATTERN}")
    return name


def group_name(params: dict[str, Any], member: str = "logGroupName") -> str:
    return check_group_name(required_text(params, member), member)


def find_group(backend: FakeBackend, name: str) -> LogGroup:
    group = backend.world.log_groups.get((backend.region, name))
    if group is None:
        raise not_found()
    return group


def group_by_arn(backend: FakeBackend, arn: str) -> LogGroup | None:
    """The log group an ARN (with or without ``:*``) names in this account and region, else None."""
    match = GROUP_ARN.fullmatch(arn)
    if match is None:
        return None
    partition, region, account, name = match.groups()
    if (partition, region, account) != (backend.partition, backend.region, backend.account):
        return None
    return backend.world.log_groups.get((region, name))


def identified_group(backend: FakeBackend, params: dict[str, Any]) -> LogGroup:
    """The group of ``logGroupName`` or ``logGroupIdentifier`` (a name or an ARN): exactly one of them."""
    name = text(params, "logGroupName")
    identifier = text(params, "logGroupIdentifier", most=2048)
    if name is not None and identifier is not None:
        raise AwsError("ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.")
    if name is not None:
        return find_group(backend, check_group_name(name))
    if identifier is None:
        raise invalid("Should provide either name or ARN of the log group.")
    if identifier.startswith("arn:"):
        group = group_by_arn(backend, identifier)
        if group is None:
            raise not_found()
        return group
    return find_group(backend, check_group_name(identifier, "logGroupIdentifier"))


def find_stream(group: LogGroup, name: str) -> LogStream:
    stream = group.streams.get(name)
    if stream is None:
        raise not_found(NO_STREAM)
    return stream


def store(backend: FakeBackend, group: LogGroup) -> None:
    health.before_change(backend, log_group=(group.region, group.name))
    backend.world.log_groups[(group.region, group.name)] = group


def page(items: Sequence[T], key: Callable[[T], str], limit: int, token: str | None) -> tuple[list[T], str | None]:
    """One page of ``items`` (sorted by ``key``) after ``token``, and the token of the next page (None at the end).

    A token names the last item returned, so the next page starts after it wherever it now is (or, once it is
    gone, after every key that sorts before it)."""
    start = 0
    if token is not None:
        try:
            after = base64.urlsafe_b64decode(token.encode()).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError) as err:
            raise invalid(BAD_TOKEN) from err
        if not after.startswith("next/"):
            raise invalid(BAD_TOKEN)
        after = after.removeprefix("next/")
        keys = [key(item) for item in items]
        start = keys.index(after) + 1 if after in keys else sum(1 for name in keys if name <= after)
    chunk = list(items[start : start + limit])
    if start + limit >= len(items) or not chunk:
        return chunk, None
    return chunk, base64.urlsafe_b64encode(f"next/{key(chunk[-1])}".encode()).decode()
