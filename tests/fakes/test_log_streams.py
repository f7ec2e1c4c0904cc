"""The fake CloudWatch Logs's streams and events: CreateLogStream, DeleteLogStream, DescribeLogStreams,
PutLogEvents (against the simulated clock), GetLogEvents and FilterLogEvents."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, world
from toolkit.fakes.backend import EPOCH
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.world import World

NOW = int(EPOCH.timestamp() * 1000)
HOUR = 3_600_000
DAY = 24 * HOUR
GROUP = "/app/main"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}"


def logs(w: World, operation: str, **params: Any) -> dict[str, Any]:
    return w.backend().call("logs", operation, params)


def refused(w: World, operation: str, **params: Any) -> AwsError:
    before = w.to_dict()
    with pytest.raises(AwsError) as caught:
        logs(w, operation, **params)
    assert w.to_dict() == before, f"a refused {operation} changed the world"
    return caught.value


def with_stream(*events: tuple[int, str], retention: int | None = None) -> World:
    stream = {"Name": "web", "Events": [{"Timestamp": t, "Message": m, "IngestionTime": NOW} for t, m in events]}
    return world(LogGroups=[{"Name": GROUP, "RetentionInDays": retention, "Streams": [stream]}])


def put(w: World, *events: tuple[int, str], stream: str = "web") -> dict[str, Any]:
    batch = [{"timestamp": timestamp, "message": message} for timestamp, message in events]
    return logs(w, "PutLogEvents", logGroupName=GROUP, logStreamName=stream, logEvents=batch)


# -- streams ----------------------------------------------------------------------------------------------------


def test_streams_are_created_described_and_deleted() -> None:
    w = world(LogGroups=[{"Name": GROUP}])
    for name in ("b", "a", "c/1"):
        logs(w, "CreateLogStream", logGroupName=GROUP, logStreamName=name)
    described = logs(w, "DescribeLogStreams", logGroupName=GROUP)["logStreams"]
    assert [stream["logStreamName"] for stream in described] == ["a", "b", "c/1"]
    assert described[0] == {
        "logStreamName": "a",
        "creationTime": NOW,
        "arn": f"{GROUP_ARN}:log-stream:a",
        "storedBytes": 0,
    }
    assert logs(w, "DescribeLogStreams", logGroupIdentifier=GROUP_ARN, logStreamNamePrefix="c") == {
        "logStreams": [{**described[2]}]
    }
    reverse = logs(w, "DescribeLogStreams", logGroupIdentifier=GROUP, descending=True)["logStreams"]
    assert [stream["logStreamName"] for stream in reverse] == ["c/1", "b", "a"]
    logs(w, "DeleteLogStream", logGroupName=GROUP, logStreamName="b")
    assert [s["logStreamName"] for s in logs(w, "DescribeLogStreams", logGroupName=GROUP)["logStreams"]] == ["a", "c/1"]


def test_stream_refusals() -> None:
    w = with_stream()
    caught = refused(w, "CreateLogStream", logGroupName=GROUP, logStreamName="web")
    assert (caught.code, caught.message) == (
        "ResourceAlreadyExistsException",
        "The specified log stream already exists",
    )
    caught = refused(w, "CreateLogStream", logGroupName="/absent", logStreamName="web")
    assert (caught.code, caught.message) == ("ResourceNotFoundException", "The specified log group does not exist.")
    caught = refused(w, "DeleteLogStream", logGroupName=GROUP, logStreamName="absent")
    assert (caught.code, caught.message) == ("ResourceNotFoundException", "The specified log stream does not exist.")
    assert refused(w, "CreateLogStream", logGroupName=GROUP, logStreamName="a:b").code == "InvalidParameterException"
    caught = refused(w, "DescribeLogStreams", logGroupName=GROUP, logGroupIdentifier=GROUP)
    assert (caught.code, caught.message) == (
        "ValidationException",
        "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
    )
    caught = refused(w, "DescribeLogStreams", logGroupName=GROUP, orderBy="LastEventTime", logStreamNamePrefix="w")
    assert caught.message == "Cannot order by LastEventTime with a logStreamNamePrefix."
    assert refused(w, "DescribeLogStreams", logGroupIdentifier=GROUP_ARN + "x").code == "ResourceNotFoundException"


def test_describe_log_streams_pages_and_orders_by_last_event() -> None:
    w = world(LogGroups=[{"Name": GROUP}])
    for name, offset in (("a", 3), ("b", 1), ("c", 2)):
        logs(w, "CreateLogStream", logGroupName=GROUP, logStreamName=name)
        put(w, (NOW - offset, "x"), stream=name)
    latest_first = logs(w, "DescribeLogStreams", logGroupName=GROUP, orderBy="LastEventTime", descending=True)
    assert [stream["logStreamName"] for stream in latest_first["logStreams"]] == ["b", "c", "a"]
    first = logs(w, "DescribeLogStreams", logGroupName=GROUP, limit=2)
    rest = logs(w, "DescribeLogStreams", logGroupName=GROUP, limit=2, nextToken=first["nextToken"])
    assert [s["logStreamName"] for s in first["logStreams"] + rest["logStreams"]] == ["a", "b", "c"]
    assert "nextToken" not in rest
    described = first["logStreams"][0]
    assert (described["firstEventTimestamp"], described["lastEventTimestamp"], described["lastIngestionTime"]) == (
        NOW - 3,
        NOW - 3,
        NOW,
    )


# -- PutLogEvents ---------------------------------------------------------------------------------------------------


def test_events_are_stored_in_timestamp_order_with_the_ingestion_time() -> None:
    w = with_stream((NOW - 10, "first"))
    assert put(w, (NOW - 20, "earlier"), (NOW - 5, "later")) == {"nextSequenceToken": f"{3:056d}"}
    stored = w.log_groups[("us-east-1", GROUP)].streams["web"].events
    assert stored == ((NOW - 20, "earlier", NOW), (NOW - 10, "first", NOW), (NOW - 5, "later", NOW))


def test_events_too_old_too_new_or_expired_are_rejected_not_stored() -> None:
    w = with_stream()
    old = put(w, (NOW - 14 * DAY - HOUR, "old"), (NOW - 14 * DAY - 1, "old too"), (NOW - 14 * DAY + HOUR, "kept"))
    assert old == {"nextSequenceToken": f"{1:056d}", "rejectedLogEventsInfo": {"tooOldLogEventEndIndex": 1}}
    new = put(w, (NOW, "now"), (NOW + 3 * HOUR, "new"), (NOW + 4 * HOUR, "newer"))
    assert new == {"nextSequenceToken": f"{2:056d}", "rejectedLogEventsInfo": {"tooNewLogEventStartIndex": 1}}
    assert [event[1] for event in w.log_groups[("us-east-1", GROUP)].streams["web"].events] == ["kept", "now"]
    kept = with_stream(retention=1)
    answer = put(kept, (NOW - DAY - HOUR, "expired"), (NOW - HOUR, "kept"))
    assert answer["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 0}
    assert [event[1] for event in kept.log_groups[("us-east-1", GROUP)].streams["web"].events] == ["kept"]


def test_put_log_events_follows_the_simulated_clock() -> None:
    w = with_stream()
    later = EPOCH + timedelta(days=30)
    backend = w.backend(now=lambda: later)
    event = {"timestamp": NOW + 30 * DAY, "message": "a month on"}
    backend.call("logs", "PutLogEvents", {"logGroupName": GROUP, "logStreamName": "web", "logEvents": [event]})
    assert w.log_groups[("us-east-1", GROUP)].streams["web"].events[0][2] == NOW + 30 * DAY


def test_put_log_events_refusals() -> None:
    w = with_stream()
    caught = refused(w, "PutLogEvents", logGroupName=GROUP, logStreamName="web", logEvents=[
        {"timestamp": NOW, "message": "b"}, {"timestamp": NOW - 1, "message": "a"}])  # fmt: skip
    assert (caught.code, caught.message) == (
        "InvalidParameterException",
        "Log events in a single PutLogEvents request must be in chronological order.",
    )
    caught = refused(w, "PutLogEvents", logGroupName=GROUP, logStreamName="web", logEvents=[
        {"timestamp": NOW - 2 * DAY, "message": "b"}, {"timestamp": NOW, "message": "a"}])  # fmt: skip
    assert caught.message == "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."
    caught = refused(w, "PutLogEvents", logGroupName=GROUP, logStreamName="absent", logEvents=[
        {"timestamp": NOW, "message": "m"}])  # fmt: skip
    assert (caught.code, caught.message) == ("ResourceNotFoundException", "The specified log stream does not exist.")
    caught = refused(w, "PutLogEvents", logGroupName="/absent", logStreamName="web", logEvents=[
        {"timestamp": NOW, "message": "m"}])  # fmt: skip
    assert caught.message == "The specified log group does not exist."
    assert refused(w, "PutLogEvents", logGroupName=GROUP, logStreamName="web", logEvents=[]).code == (
        "InvalidParameterException"
    )


# -- GetLogEvents and FilterLogEvents -------------------------------------------------------------------------------


def test_get_log_events_from_the_tail_and_the_head_and_paging() -> None:
    w = with_stream(*((NOW - 10 + index, f"m{index}") for index in range(5)))
    tail = logs(w, "GetLogEvents", logGroupName=GROUP, logStreamName="web", limit=2)
    assert [event["message"] for event in tail["events"]] == ["m3", "m4"]
    assert tail["events"][0] == {"timestamp": NOW - 7, "message": "m3", "ingestionTime": NOW}
    back = logs(
        w, "GetLogEvents", logGroupName=GROUP, logStreamName="web", limit=2, nextToken=tail["nextBackwardToken"]
    )
    assert [event["message"] for event in back["events"]] == ["m1", "m2"]
    head = logs(w, "GetLogEvents", logGroupIdentifier=GROUP_ARN, logStreamName="web", limit=2, startFromHead=True)
    assert [event["message"] for event in head["events"]] == ["m0", "m1"]
    forward = logs(w, "GetLogEvents", logGroupName=GROUP, logStreamName="web", nextToken=head["nextForwardToken"])
    assert [event["message"] for event in forward["events"]] == ["m2", "m3", "m4"]
    end = logs(w, "GetLogEvents", logGroupName=GROUP, logStreamName="web", nextToken=forward["nextForwardToken"])
    assert end["events"] == [] and end["nextForwardToken"] == forward["nextForwardToken"]
    window = logs(w, "GetLogEvents", logGroupName=GROUP, logStreamName="web", startTime=NOW - 9, endTime=NOW - 7)
    assert [event["message"] for event in window["events"]] == ["m1", "m2"]


def test_get_log_events_refusals() -> None:
    w = with_stream()
    caught = refused(w, "GetLogEvents", logGroupName=GROUP, logStreamName="web", nextToken="nonsense")
    assert (caught.code, caught.message) == ("InvalidParameterException", "The specified nextToken is invalid.")
    caught = refused(w, "GetLogEvents", logGroupName=GROUP, logStreamName="web", limit=10001)
    assert caught.message == (
        "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 10000"
    )
    assert refused(w, "GetLogEvents", logGroupName=GROUP, logStreamName="absent").message == (
        "The specified log stream does not exist."
    )
    assert refused(w, "GetLogEvents", logGroupName="/absent", logStreamName="web").message == (
        "The specified log group does not exist."
    )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", ["ERROR disk full", "INFO all good", "ERROR timeout at db", "WARN slow"]),
        ("ERROR", ["ERROR disk full", "ERROR timeout at db"]),
        ("ERROR db", ["ERROR timeout at db"]),
        ('"disk full"', ["ERROR disk full"]),
        ("?WARN ?INFO", ["INFO all good", "WARN slow"]),
        ("ERROR -disk", ["ERROR timeout at db"]),
        ("error", []),
    ],
)
def test_filter_log_events_matches_terms_phrases_alternatives_and_exclusions(pattern: str, expected: list[str]) -> None:
    w = with_stream((NOW - 4, "ERROR disk full"), (NOW - 2, "ERROR timeout at db"))
    logs(w, "CreateLogStream", logGroupName=GROUP, logStreamName="api")
    put(w, (NOW - 3, "INFO all good"), (NOW - 1, "WARN slow"), stream="api")
    found = logs(w, "FilterLogEvents", logGroupName=GROUP, filterPattern=pattern)["events"]
    assert [event["message"] for event in found] == expected


def test_filter_log_events_by_stream_time_and_page() -> None:
    w = with_stream((NOW - 4, "a"), (NOW - 2, "b"))
    logs(w, "CreateLogStream", logGroupName=GROUP, logStreamName="api")
    put(w, (NOW - 3, "c"), stream="api")
    found = logs(w, "FilterLogEvents", logGroupIdentifier=GROUP, logStreamNames=["api"])["events"]
    assert [(event["logStreamName"], event["message"], event["timestamp"]) for event in found] == [
        ("api", "c", NOW - 3)
    ]
    ranged = logs(w, "FilterLogEvents", logGroupName=GROUP, startTime=NOW - 3, endTime=NOW - 2)["events"]
    assert [event["message"] for event in ranged] == ["c", "b"]
    first = logs(w, "FilterLogEvents", logGroupName=GROUP, limit=2)
    rest = logs(w, "FilterLogEvents", logGroupName=GROUP, limit=2, nextToken=first["nextToken"])
    assert [event["message"] for event in first["events"] + rest["events"]] == ["a", "c", "b"]
    assert len({event["eventId"] for event in first["events"] + rest["events"]}) == 3
    caught = refused(w, "FilterLogEvents", logGroupName=GROUP, logStreamNames=["api"], logStreamNamePrefix="a")
    assert caught.code == "InvalidParameterException"


@pytest.mark.parametrize("pattern", ['{ $.level = "ERROR" }', "[ip, user, ...]", "%ERR%"])
def test_structured_filter_patterns_are_not_modelled(pattern: str) -> None:
    with pytest.raises(NotModeled):
        logs(with_stream((NOW, "x")), "FilterLogEvents", logGroupName=GROUP, filterPattern=pattern)
