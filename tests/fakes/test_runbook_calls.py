"""The default world lets the runbooks' AWS calls succeed: the reference runbook's API steps in order, and our
runbook's scripts through real boto3 clients (botocore validates every request), reaching the end state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from runbooks.cloudtrail_remediation_action_scripts import event_selectors, upsert_trail, verify_trail
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ALIAS, DEFAULT_KEY_ID, DEFAULT_TRAIL, default_data
from toolkit.fakes.world import World

KEY_ARN = f"arn:aws:kms:us-east-1:123456789012:key/{DEFAULT_KEY_ID}"


def reference_runbook(backend: FakeBackend, name: str, key: str) -> list[str]:
    """The reference runbook's executeAwsApi calls (its branch taken as the document takes it)."""
    call = backend.call
    path = []
    count = len(
        call("cloudtrail", "DescribeTrails", {"trailNameList": [name], "includeShadowTrails": False})["trailList"]
    )
    settings = {
        "Name": name,
        "S3BucketName": DEFAULT_BUCKET,
        "IsMultiRegionTrail": True,
        "EnableLogFileValidation": True,
        "KmsKeyId": key,
    }
    operation = "UpdateTrail" if count > 0 else "CreateTrail"
    path.append(operation)
    assert call("cloudtrail", operation, settings)["TrailARN"].endswith(f":trail/{name}")
    call("cloudtrail", "StartLogging", {"Name": name})
    selectors = [{"ReadWriteType": "All", "IncludeManagementEvents": True}]
    call("cloudtrail", "PutEventSelectors", {"TrailName": name, "EventSelectors": selectors})
    call(
        "cloudtrail",
        "PutInsightSelectors",
        {"TrailName": name, "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]},
    )
    return path


@pytest.mark.parametrize(
    ("name", "key", "path"),
    [
        (DEFAULT_TRAIL, DEFAULT_KEY_ALIAS, ["UpdateTrail"]),
        (DEFAULT_TRAIL, KEY_ARN, ["UpdateTrail"]),
        ("other-trail", DEFAULT_KEY_ID, ["CreateTrail"]),
        ("other-trail", "arn:aws:kms:us-east-1:123456789012:alias/cloudtrail", ["CreateTrail"]),
    ],
)
def test_the_reference_runbooks_calls_succeed_in_the_default_world(name: str, key: str, path: list[str]) -> None:
    world = World.default()
    backend = world.backend()
    assert reference_runbook(backend, name, key) == path
    trail = backend.call("cloudtrail", "GetTrail", {"Name": name})["Trail"]
    assert trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"] and trail["HasInsightSelectors"]
    assert trail["KmsKeyId"] == KEY_ARN
    assert backend.call("cloudtrail", "GetTrailStatus", {"Name": name})["IsLogging"] is True


def script_events(**overrides: Any) -> dict[str, Any]:
    return {
        "TrailName": DEFAULT_TRAIL,
        "Region": "us-east-1",
        "S3BucketName": DEFAULT_BUCKET,
        "KmsKeyId": DEFAULT_KEY_ALIAS,
        "IsMultiRegionTrail": True,
        "IsOrganizationTrail": True,
        "IncludeGlobalServiceEvents": True,
        "EnableLogFileValidation": True,
        "S3KeyPrefix": "",
        "SnsTopicName": "",
        "CloudWatchLogsLogGroupArn": "",
        "CloudWatchLogsRoleArn": "",
        **overrides,
    }


def our_runbook(backend: FakeBackend, events: dict[str, Any]) -> dict[str, Any]:
    """Our runbook's steps: its three scripts and its API steps, in the document's order."""
    upserted = upsert_trail.handler(events, None)
    event_selectors.handler({"TrailName": events["TrailName"]}, None)
    insights = [{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]
    backend.call("cloudtrail", "PutInsightSelectors", {"TrailName": events["TrailName"], "InsightSelectors": insights})
    backend.call("cloudtrail", "StartLogging", {"Name": events["TrailName"]})
    assert backend.call("cloudtrail", "GetTrailStatus", {"Name": events["TrailName"]})["IsLogging"] is True
    assert backend.call("cloudtrail", "GetTrail", {"Name": events["TrailName"]})["Trail"]["KmsKeyId"] == KEY_ARN
    verify = {key: value for key, value in events.items() if key not in ("Region", "KmsKeyId")}
    assert verify_trail.handler({**verify, "KmsKeyArn": upserted["KmsKeyArn"]}, None) == {"Verified": True}
    return upserted


@pytest.mark.parametrize(
    ("overrides", "action"),
    [
        ({}, "updated"),
        ({"KmsKeyId": KEY_ARN}, "updated"),
        ({"KmsKeyId": DEFAULT_KEY_ID, "IsOrganizationTrail": "false"}, "updated"),
        ({"TrailName": "new-trail"}, "created"),
        ({"TrailName": "new-trail", "IsMultiRegionTrail": False, "IncludeGlobalServiceEvents": "false"}, "created"),
    ],
)
def test_our_runbooks_scripts_succeed_in_the_default_world(
    fake_boto3: Callable[[FakeBackend], None], overrides: dict[str, Any], action: str
) -> None:
    world = World.default()
    backend = world.backend()
    fake_boto3(backend)
    result = our_runbook(backend, script_events(**overrides))
    assert result["Action"] == action
    assert result["KmsKeyArn"] == KEY_ARN


def test_a_second_run_changes_nothing(fake_boto3: Callable[[FakeBackend], None]) -> None:
    world = World.default()
    backend = world.backend()
    fake_boto3(backend)
    our_runbook(backend, script_events())
    after_first = world.to_dict()
    assert our_runbook(backend, script_events())["Changes"] == []
    assert world.to_dict() == after_first


def test_a_trail_homed_elsewhere_is_refused_with_nothing_changed(fake_boto3: Callable[[FakeBackend], None]) -> None:
    data = default_data()
    data["Trails"] = [
        {"Name": "main", "HomeRegion": "eu-west-1", "S3BucketName": DEFAULT_BUCKET, "IsMultiRegionTrail": True}
    ]
    world = World.from_dict(data)
    before = world.to_dict()
    backend = world.backend()
    fake_boto3(backend)
    with pytest.raises(ValueError, match="homed in eu-west-1"):
        upsert_trail.handler(script_events(), None)
    assert world.to_dict() == before
