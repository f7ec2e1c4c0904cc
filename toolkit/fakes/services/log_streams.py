"""The fake CloudWatch Logs's stream and event operations: CreateLogStream, DeleteLogStream, DescribeLogStreams,
PutLogEvents, GetLogEvents, FilterLogEvents.

Events are stored in the stream in timestamp order (events of one timestamp in the order they arrived). PutLogEvents
takes the simulated clock as "now" (``backend.now()``): an event more than 2 hours ahead of it is rejected as too
new, one older than 14 days as too old, one older than the group's retention as expired (API reference,
PutLogEvents); the rest are stored with that ingestion time. Sequence tokens are no longer checked by AWS and the
fake ignores them; the tokens it returns count the stream's events.

FilterLogEvents matches the unstructured-text filter patterns of the CloudWatch Logs guide ("Filter pattern syntax
for unstructured log events"): terms and quoted phrases that must all occur (case-sensitive), ``?term`` of which
one must occur, ``-term`` that must not. JSON (``{...}``), space-delimited (``[...]``) and regular-expression
(``%...%``) patterns are not modelled and raise NotModeledByFakeWorld.
"""

from __future__ import annotations

import bisect
import itertools
import re
import zlib
from collections.abc import Callable
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.logs import LogEvent, LogStream, millis
from toolkit.fakes.requests import opt_list, str_list
from toolkit.fakes.services.log_lookup import (
    BAD_TOKEN,
    check_stream_name,
    constraint,
    find_group,
    find_stream,
    flag,
    group_name,
    identified_group,
    integer,
    invalid,
    page,
    required_text,
    store,
    text,
)

HOUR = 3_600_000
DAY = 24 * HOUR
ORDERS = ("LogStreamName", "LastEventTime")


def create_log_stream(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = group_name(params)
    stream_name = check_stream_name(required_text(params, "logStreamName"))
    group = find_group(backend, name)
    if stream_name in group.streams:
        raise AwsError("ResourceAlreadyExistsException", "The specified log stream already exists")
    changed = group.clone()
    changed.streams = {**group.streams, stream_name: LogStream(name=stream_name, creation_time=backend.now())}
    store(backend, changed)
    return {}


def delete_log_stream(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = group_name(params)
    stream_name = check_stream_name(required_text(params, "logStreamName"))
    group = find_group(backend, name)
    find_stream(group, stream_name)
    changed = group.clone()
    changed.streams = {key: stream for key, stream in group.streams.items() if key != stream_name}
    store(backend, changed)
    return {}


def describe_log_streams(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = identified_group(backend, params)
    prefix = text(params, "logStreamNamePrefix", most=512)
    order = text(params, "orderBy") or "LogStreamName"
    if order not in ORDERS:
        raise constraint("orderBy", order, "Member must satisfy enum value set: [LogStreamName, LastEventTime]")
    if order == "LastEventTime" and prefix is not None:
        raise invalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
    descending = bool(flag(params, "descending"))
    limit = integer(params, "limit", 1, 50) or 50
    streams = [stream for name, stream in group.streams.items() if prefix is None or name.startswith(prefix)]
    if order == "LogStreamName":
        streams.sort(key=_stream_name, reverse=descending)
    else:
        streams.sort(
            key=lambda stream: (stream.events[-1][0] if stream.events else -1, stream.name), reverse=descending
        )
    chunk, token = page(streams, _stream_name, limit, text(params, "nextToken"))
    arn = group.arn(backend.partition, backend.account)
    listed = [_describe_stream(arn, stream) for stream in chunk]
    return {"logStreams": listed} if token is None else {"logStreams": listed, "nextToken": token}


def _describe_stream(group_arn: str, stream: LogStream) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "logStreamName": stream.name,
        "creationTime": millis(stream.creation_time),
        "arn": f"{group_arn}:log-stream:{stream.name}",
        "storedBytes": 0,
    }
    if stream.events:
        entry["firstEventTimestamp"] = stream.events[0][0]
        entry["lastEventTimestamp"] = stream.events[-1][0]
        entry["lastIngestionTime"] = max(ingested for _, _, ingested in stream.events)
        entry["uploadSequenceToken"] = _sequence_token(stream)
    return entry


def _stream_name(stream: LogStream) -> str:
    return stream.name


def _sequence_token(stream: LogStream) -> str:
    return f"{len(stream.events):056d}"


# -- events -----------------------------------------------------------------------------------------------------


def put_log_events(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = group_name(params)
    stream_name = check_stream_name(required_text(params, "logStreamName"))
    events = _events(params)
    group = find_group(backend, name)
    stream = find_stream(group, stream_name)
    now = millis(backend.now())
    expiry = None if group.retention_in_days is None else now - group.retention_in_days * DAY
    accepted: list[LogEvent] = []
    rejected: dict[str, int] = {}
    for index, (timestamp, message) in enumerate(events):
        if timestamp > now + 2 * HOUR:
            rejected.setdefault("tooNewLogEventStartIndex", index)
        elif expiry is not None and timestamp < expiry:
            rejected["expiredLogEventEndIndex"] = index
        elif timestamp < now - 14 * DAY:
            rejected["tooOldLogEventEndIndex"] = index
        else:
            accepted.append((timestamp, message, now))
    stored = list(stream.events)
    for event in accepted:
        stored.insert(bisect.bisect_right(stored, event[0], key=_timestamp), event)
    changed_stream = stream.clone()
    changed_stream.events = tuple(stored)
    changed = group.clone()
    changed.streams = {**group.streams, stream_name: changed_stream}
    store(backend, changed)
    response: dict[str, Any] = {"nextSequenceToken": _sequence_token(changed_stream)}
    if rejected:
        response["rejectedLogEventsInfo"] = rejected
    return response


def _events(params: dict[str, Any]) -> list[tuple[int, str]]:
    items = opt_list(params, "logEvents")
    if items is None:
        raise constraint("logEvents", None, "Member must not be null")
    if not 1 <= len(items) <= 10_000:
        raise constraint("logEvents", f"[{len(items)} events]", "Member must have length between 1 and 10000")
    events = []
    for index, item in enumerate(items):
        member = f"logEvents.{index + 1}.member"
        if not isinstance(item, dict):
            raise constraint(member, item, "Member must be a structure")
        timestamp = integer(item, "timestamp", 0)
        message = text(item, "message")
        if timestamp is None:
            raise constraint(f"{member}.timestamp", None, "Member must not be null")
        if not message:
            raise constraint(f"{member}.message", message, "Member must have length greater than or equal to 1")
        events.append((timestamp, message))
    if any(later[0] < earlier[0] for earlier, later in itertools.pairwise(events)):
        raise invalid("Log events in a single PutLogEvents request must be in chronological order.")
    if events[-1][0] - events[0][0] > DAY:
        raise invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
    return events


def _timestamp(event: LogEvent) -> int:
    return event[0]


def get_log_events(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """Events of one stream in [startTime, endTime), a page of ``limit`` from the head (``startFromHead``) or the
    tail; tokens ``f/<index>`` and ``b/<index>`` (56 digits) move forward and back, as AWS's do."""
    group = identified_group(backend, params)
    stream = find_stream(group, check_stream_name(required_text(params, "logStreamName")))
    start = integer(params, "startTime", 0)
    end = integer(params, "endTime", 0)
    limit = integer(params, "limit", 1, 10_000) or 10_000
    from_head = bool(flag(params, "startFromHead"))
    token = text(params, "nextToken")
    events = [
        event for event in stream.events if (start is None or event[0] >= start) and (end is None or event[0] < end)
    ]
    last = len(events) - 1
    if token is None:
        first, final = (0, limit - 1) if from_head else (last - limit + 1, last)
    else:
        match = re.fullmatch(r"([fb])/(\d{56})", token)
        if match is None:
            raise invalid(BAD_TOKEN)
        index = int(match.group(2))
        first, final = (index + 1, index + limit) if match.group(1) == "f" else (index - limit, index - 1)
    if not events or first > last:
        edge = max(last, 0)
        return {"events": [], "nextForwardToken": f"f/{edge:056d}", "nextBackwardToken": f"b/{edge:056d}"}
    if final < 0:
        return {"events": [], "nextForwardToken": f"f/{0:056d}", "nextBackwardToken": f"b/{0:056d}"}
    first, final = max(first, 0), min(final, last)
    listed = [{"timestamp": t, "message": m, "ingestionTime": i} for t, m, i in events[first : final + 1]]
    return {"events": listed, "nextForwardToken": f"f/{final:056d}", "nextBackwardToken": f"b/{first:056d}"}


def filter_log_events(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = identified_group(backend, params)
    names = str_list(params, "logStreamNames")
    prefix = text(params, "logStreamNamePrefix", most=512)
    if names is not None and prefix is not None:
        # [UNVERIFIED] the wording; the API reference says the two cannot be given together.
        raise invalid("logStreamNames and logStreamNamePrefix are mutually exclusive.")
    if names is not None and not 1 <= len(names) <= 100:
        raise constraint("logStreamNames", names, "Member must have length between 1 and 100")
    start = integer(params, "startTime", 0)
    end = integer(params, "endTime", 0)
    limit = integer(params, "limit", 1, 10_000) or 10_000
    matches = _matcher(text(params, "filterPattern", most=1024) or "")
    found = []
    for stream in group.streams.values():
        if (names is not None and stream.name not in names) or (
            prefix is not None and not stream.name.startswith(prefix)
        ):
            continue
        for index, (timestamp, message, ingested) in enumerate(stream.events):
            if (start is not None and timestamp < start) or (end is not None and timestamp > end):
                continue
            if matches(message):
                found.append(
                    {
                        "logStreamName": stream.name,
                        "timestamp": timestamp,
                        "message": message,
                        "ingestionTime": ingested,
                        "eventId": f"{timestamp:020d}{zlib.crc32(stream.name.encode()):010d}{index:026d}",
                    }
                )
    found.sort(key=lambda event: (event["timestamp"], event["logStreamName"], event["eventId"]))
    chunk, token = page(found, _event_id, limit, text(params, "nextToken"))
    return {"events": chunk} if token is None else {"events": chunk, "nextToken": token}


def _event_id(event: dict[str, Any]) -> str:
    return str(event["eventId"])


def _matcher(pattern: str) -> Callable[[str], bool]:
    """A test of one message for an unstructured-text filter pattern (see the module's docstring)."""
    stripped = pattern.strip()
    if not stripped:
        return lambda message: True
    if stripped[0] in "{[%":
        raise NotModeled("logs", "a JSON, space-delimited or regular-expression filter pattern")
    terms = re.findall(r'([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))', stripped)
    required: list[str] = []
    optional: list[str] = []
    excluded: list[str] = []
    for sign, quoted, bare in terms:
        term = quoted if quoted or not bare else bare
        {"": required, "?": optional, "-": excluded}[sign].append(term)

    def matches(message: str) -> bool:
        return (
            all(term in message for term in required)
            and (not optional or any(term in message for term in optional))
            and not any(term in message for term in excluded)
        )

    return matches


OPERATIONS: dict[str, Operation] = {
    "CreateLogStream": create_log_stream,
    "DeleteLogStream": delete_log_stream,
    "DescribeLogStreams": describe_log_streams,
    "PutLogEvents": put_log_events,
    "GetLogEvents": get_log_events,
    "FilterLogEvents": filter_log_events,
}
