"""Requests and responses of a simulated script's boto3 calls, converted as botocore would.

Requests reach the fake world as JSON-like data (datetimes as ISO 8601 text in UTC, bytes and files as base64);
responses come back with timestamp members as ``datetime``, blob members as ``bytes`` and streaming blobs as a
``StreamingBody``, as botocore's parsers give them, guided by a plan per operation kept in the caller's
``ServiceModels``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from toolkit.simulate.boto_models import ServiceModels


def metadata(request_id: str, status: int) -> dict[str, Any]:
    return {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": {"x-amzn-requestid": request_id},
        "RetryAttempts": 0,
    }


@dataclass
class _Struct:
    members: dict[str, Plan] = field(default_factory=dict)


Plan: TypeAlias = "str | _Struct | tuple[str, Plan] | None"
"""Where in a response sit the members botocore would not leave as JSON: "timestamp", "blob", a structure's
members that lead to some, or ("list" | "map", the plan of the items). None: nothing to convert below."""


def parsed(response: Mapping[str, Any], service: str, operation_model: Any, models: ServiceModels) -> dict[str, Any]:
    """The response as botocore's parser would give it: timestamps as datetimes, blobs as bytes."""

    def build() -> Plan:
        shape = operation_model.output_shape
        return None if shape is None else _plan(shape, {}, set())

    plan: Plan = models.plan(service, operation_model.name, build)
    if plan is None:
        return dict(response)
    return dict(_convert(response, plan))


def _plan(shape: Any, memo: dict[str, _Struct], done: set[str]) -> Plan:
    kind: str = shape.type_name
    if kind == "blob" and shape.serialization.get("streaming"):
        return "stream"
    if kind == "timestamp" or (kind == "blob" and not shape.serialization.get("eventstream")):
        return kind
    if kind == "list":
        inner = _plan(shape.member, memo, done)
        return None if inner is None else ("list", inner)
    if kind == "map":
        inner = _plan(shape.value, memo, done)
        return None if inner is None else ("map", inner)
    if kind != "structure":
        return None
    node = memo.get(shape.name)
    if node is not None:  # planned already, or being planned (a recursive shape): share the node
        return None if shape.name in done and not node.members else node
    node = memo[shape.name] = _Struct()
    for name, member in shape.members.items():
        inner = _plan(member, memo, done)
        if inner is not None:
            node.members[name] = inner
    done.add(shape.name)
    return node if node.members else None


def _convert(value: Any, plan: Plan) -> Any:
    if value is None:
        return None
    if plan == "timestamp":
        if isinstance(value, dt.datetime):
            return value
        # lazy: botocore loads only when a script uses AWS
        from botocore.utils import parse_timestamp

        return parse_timestamp(value)
    if plan == "blob":
        return base64.b64decode(value) if isinstance(value, str) else value
    if plan == "stream":  # a streaming body (S3 GetObject's Body): read()able, as botocore gives it
        # lazy: botocore loads only when a script uses AWS
        from botocore.response import StreamingBody

        data = base64.b64decode(value) if isinstance(value, str) else bytes(value)
        return StreamingBody(io.BytesIO(data), len(data))
    if isinstance(plan, _Struct):
        if not isinstance(value, Mapping):
            return value
        converted = dict(value)
        for name, inner in plan.members.items():
            if name in converted:
                converted[name] = _convert(converted[name], inner)
        return converted
    if not isinstance(plan, tuple):
        return value
    kind, inner = plan
    if kind == "list" and isinstance(value, list):
        return [_convert(item, inner) for item in value]
    if kind == "map" and isinstance(value, Mapping):
        return {name: _convert(item, inner) for name, item in value.items()}
    return value


def to_json_like(value: Any, shape: Any = None) -> Any:
    """The parameters as JSON-like data, copied: datetimes as ISO 8601 text (UTC), bytes and files as base64, and
    text given for a blob member (``shape``: botocore's input shape, when known) as the base64 of its UTF-8, as
    botocore sends it."""
    kind = getattr(shape, "type_name", None)
    if isinstance(value, dict):
        members = shape.members if kind == "structure" else {}
        inner = shape.value if kind == "map" else None
        return {key: to_json_like(item, members.get(key, inner)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_like(item, shape.member if kind == "list" else None) for item in value]
    if kind == "blob" and isinstance(value, str):
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if hasattr(value, "read"):
        value = value.read()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value
