"""The pytest plugin users get with the toolkit: registered as an entry point, with working fixtures."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from toolkit.fakes.world import World

PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}


def test_the_plugin_is_registered_for_pytest() -> None:
    plugins = {entry.name: entry.value for entry in entry_points(group="pytest11")}
    assert plugins.get("runbook") == "toolkit.simulate.pytest_plugin"


def test_fixtures_simulate_a_runbook_in_a_fresh_world(fake_world: World, simulate_runbook: Callable[..., Any]) -> None:
    fake_world.register("cloudtrail", "StartLogging", lambda params: (_ for _ in ()).throw(_denied()))
    result = simulate_runbook("cloudtrail-remediation-action", PARAMS, world=fake_world)
    assert result.status == "Failed"
    assert [step.name for step in result.steps if step.status == "Failed"] == ["StartLogging"]


def test_each_test_gets_its_own_world(fake_world: World) -> None:
    assert not fake_world.handlers


def _denied() -> Exception:
    from toolkit.fakes.errors import AwsError

    return AwsError("AccessDeniedException", "not allowed to start logging")


def test_a_seeded_world_and_reading_state_afterwards_for_a_moto_service(
    seeded_world: Callable[..., World], simulate_runbook: Callable[..., Any]
) -> None:
    world = seeded_world([{"Service": "sqs", "Api": "CreateQueue", "Params": {"QueueName": "work"}}])
    doc = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Tag",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "sqs",
                    "Api": "TagQueue",
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/work",
                    "Tags": {"team": "security"},
                },
            }
        ],
    }
    result = simulate_runbook(doc, world=world)
    assert result.status == "Success", result.steps
    url = {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/work"}
    assert result.world.call("sqs", "ListQueueTags", url)["Tags"] == {"team": "security"}
    assert world.call("sqs", "ListQueueTags", url).get("Tags", {}) == {}  # the world given is never changed
