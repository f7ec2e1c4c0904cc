"""EventBridge's TestEventPattern through a world's backend: moto's response leaves it unanswered, so the door into
moto answers it with moto's own event-pattern matcher (``toolkit.fakes.moto.ANSWERED_BY_MODELS``), without touching
or logging moto's state."""

from __future__ import annotations

import json

import pytest

from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

EVENT = {
    "version": "0",
    "id": "d290ece9-1088-4383-9df6-cd5b4ac42b99",
    "detail-type": "EC2 Automation Execution Status-change Notification",
    "source": "aws.ssm",
    "account": "123456789012",
    "time": "2026-01-01T00:00:00Z",
    "region": "us-east-1",
    "resources": [],
    "detail": {"Status": "Failed", "Definition": "cloudtrail-remediation-action"},
}


def matches(world: World, pattern: object, event: object = EVENT) -> bool:
    params = {"EventPattern": json.dumps(pattern), "Event": json.dumps(event)}
    return bool(world.call("events", "TestEventPattern", params)["Result"])


def test_the_pattern_is_matched_as_moto_routes_events_and_nothing_is_logged() -> None:
    world = World.default()
    assert matches(world, {"source": ["aws.ssm"], "detail": {"Status": ["Failed", "TimedOut"]}})
    assert not matches(world, {"source": ["aws.ssm"], "detail": {"Status": ["Success"]}})
    assert matches(world, {"detail": {"Definition": [{"prefix": "cloudtrail-"}]}})
    assert not matches(
        world, {"detail-type": [{"anything-but": "EC2 Automation Execution Status-change Notification"}]}
    )
    assert world.moto_calls == ()


def test_an_invalid_pattern_or_event_is_refused() -> None:
    world = World.default()
    with pytest.raises(AwsError) as caught:
        matches(world, {"source": "aws.ssm"})
    assert (
        caught.value.code == "InvalidEventPatternException" and "must be an object or an array" in caught.value.message
    )
    with pytest.raises(AwsError) as caught:
        matches(world, {"source": ["aws.ssm"]}, {"source": "aws.ssm"})
    assert caught.value.code == "InvalidEventPatternException" and "lacks id, account" in caught.value.message
    with pytest.raises(AwsError, match="EventPattern and Event"):
        world.call("events", "TestEventPattern", {"EventPattern": "{}"})
