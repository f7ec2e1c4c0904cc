"""The runbook's aws:executeScript handlers, unit-tested directly as functions."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from runbooks.cloudtrail_remediation_action_scripts import event_selectors, upsert_trail, verify_trail

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def events(**overrides: Any) -> dict[str, Any]:
    base = {
        "TrailName": "main",
        "Region": "us-east-1",
        "Account": "123456789012",
        "S3BucketName": "trail-logs",
        "KmsKeyId": "alias/cloudtrail",
        "IsMultiRegionTrail": True,
        "IsOrganizationTrail": False,
        "IncludeGlobalServiceEvents": True,
        "EnableLogFileValidation": "true",
        "S3KeyPrefix": "",
        "SnsTopicName": "",
        "CloudWatchLogsLogGroupArn": "",
        "CloudWatchLogsRoleArn": "",
    }
    return {**base, **overrides}


# -- upsert_trail -------------------------------------------------------------------------------------------


def test_find_trail_prefers_the_one_homed_here() -> None:
    here = {"Name": "main", "HomeRegion": "us-east-1"}
    shadow = {"Name": "main", "HomeRegion": "eu-west-1"}
    assert upsert_trail.find_trail([shadow, here], "main", "us-east-1") == (here, None)
    assert upsert_trail.find_trail([shadow], "main", "us-east-1") == (None, "eu-west-1")
    assert upsert_trail.find_trail([{"Name": "other", "HomeRegion": "us-east-1"}], "main", "us-east-1") == (None, None)


def test_desired_settings_leave_out_empty_optional_ones_and_read_text_booleans() -> None:
    settings = upsert_trail.desired_settings(events(S3KeyPrefix="logs"), KEY_ARN)
    assert settings == {
        "Name": "main",
        "S3BucketName": "trail-logs",
        "IsMultiRegionTrail": True,
        "IncludeGlobalServiceEvents": True,
        "EnableLogFileValidation": True,
        "IsOrganizationTrail": False,
        "KmsKeyId": KEY_ARN,
        "S3KeyPrefix": "logs",
    }


def test_cloudwatch_settings_must_come_together() -> None:
    with pytest.raises(ValueError, match="must be given together"):
        upsert_trail.desired_settings(events(CloudWatchLogsLogGroupArn="arn:aws:logs:x"), KEY_ARN)


def test_bad_boolean_is_refused() -> None:
    with pytest.raises(ValueError, match="expected true or false"):
        upsert_trail.as_bool("yes")


def test_differences_lists_only_what_differs() -> None:
    settings = upsert_trail.desired_settings(events(SnsTopicName="arn:aws:sns:us-east-1:1:notices"), KEY_ARN)
    trail = {
        "Name": "main",
        "S3BucketName": "trail-logs",
        "IsMultiRegionTrail": False,
        "IncludeGlobalServiceEvents": True,
        "LogFileValidationEnabled": True,
        "KmsKeyId": KEY_ARN,
        "SnsTopicARN": "arn:aws:sns:us-east-1:1:notices",
    }
    assert upsert_trail.differences(trail, settings) == ["IsMultiRegionTrail"]


# -- event_selectors ----------------------------------------------------------------------------------------

ALL = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}
S3_DATA = {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket/"]}


@pytest.mark.parametrize(
    "response",
    [
        {"EventSelectors": [ALL]},
        {
            "EventSelectors": [
                ALL,
                {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False, "DataResources": [S3_DATA]},
            ]
        },
        {"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]},
    ],
)
def test_compliant_selectors_need_no_write(response: dict[str, Any]) -> None:
    assert event_selectors.plan(response) is None


def test_basic_selectors_keep_data_resources() -> None:
    response = {
        "EventSelectors": [
            {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True, "DataResources": [S3_DATA],
             "ExcludeManagementEventSources": ["kms.amazonaws.com"]},
        ]
    }  # fmt: skip
    assert event_selectors.plan(response) == {
        "EventSelectors": [
            ALL,
            {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False, "DataResources": [S3_DATA]},
        ]
    }


def test_advanced_selectors_keep_data_selectors() -> None:
    data = {"Name": "S3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}
    read_only = {
        "FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Management"]},
            {"Field": "readOnly", "Equals": ["true"]},
        ]
    }
    planned = event_selectors.plan({"AdvancedEventSelectors": [read_only, data]})
    assert planned == {"AdvancedEventSelectors": [event_selectors.ADVANCED_MANAGEMENT_SELECTOR, data]}


def test_too_many_data_selectors_fail_without_writing() -> None:
    five = [{"ReadWriteType": "All", "IncludeManagementEvents": False, "DataResources": [S3_DATA]}] * 5
    with pytest.raises(ValueError, match="Nothing was changed"):
        event_selectors.plan({"EventSelectors": five})


data_resources = st.lists(
    st.fixed_dictionaries({"Type": st.sampled_from(["AWS::S3::Object", "AWS::Lambda::Function"]),
                           "Values": st.lists(st.text("abc/", min_size=1, max_size=5), min_size=1, max_size=2)}),
    max_size=2,
)  # fmt: skip
basic_selector = st.fixed_dictionaries(
    {
        "ReadWriteType": st.sampled_from(["All", "ReadOnly", "WriteOnly"]),
        "IncludeManagementEvents": st.booleans(),
        "DataResources": data_resources,
        "ExcludeManagementEventSources": st.sampled_from([[], ["kms.amazonaws.com"]]),
    }
)


def _data_events(selectors: list[dict[str, Any]]) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted(
        (s["ReadWriteType"], d["Type"], tuple(d["Values"])) for s in selectors for d in s.get("DataResources") or []
    )


@given(st.lists(basic_selector, min_size=0, max_size=4))
def test_plan_keeps_every_data_event_and_reaches_best_practice(selectors: list[dict[str, Any]]) -> None:
    response = {"EventSelectors": selectors}
    planned = event_selectors.plan(response)
    after = response if planned is None else planned
    assert _data_events(after["EventSelectors"]) == _data_events(selectors)
    assert event_selectors.records_all_management_events(after)
    assert event_selectors.plan(after) is None  # a second run writes nothing
    assert len(after["EventSelectors"]) <= 5


# -- verify_trail -------------------------------------------------------------------------------------------


def test_verify_names_every_difference() -> None:
    trail = {
        "S3BucketName": "other",
        "IsMultiRegionTrail": True,
        "IncludeGlobalServiceEvents": True,
        "KmsKeyId": KEY_ARN,
    }
    found = verify_trail.problems(events(KmsKeyArn=KEY_ARN), trail, {"EventSelectors": [ALL]}, ["ApiCallRateInsight"])
    assert found == [
        "LogFileValidationEnabled is False, expected True",
        "S3BucketName is other, expected trail-logs",
        "Insights missing: ApiErrorRateInsight",
    ]


# -- handlers over real HTTP (moto's server on 127.0.0.1) -----------------------------------------------------


@pytest.fixture
def account(aws: str) -> dict[str, str]:
    """A bucket and a KMS key in moto, for the handlers to use."""
    boto3.client("s3").create_bucket(Bucket="trail-logs")
    key = boto3.client("kms").create_key()["KeyMetadata"]
    boto3.client("kms").create_alias(AliasName="alias/cloudtrail", TargetKeyId=key["KeyId"])
    return {"KeyArn": key["Arn"]}


def test_handlers_create_then_leave_an_already_correct_trail_alone(account: dict[str, str]) -> None:
    first = upsert_trail.handler(events(), None)
    assert first["Action"] == "created" and first["KmsKeyArn"] == account["KeyArn"]
    assert first["TrailArn"].endswith(":trail/main")
    second = upsert_trail.handler(events(), None)
    assert (second["Action"], second["Changes"]) == ("updated", [])
    trail = boto3.client("cloudtrail").get_trail(Name="main")["Trail"]
    assert trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"]


def test_handler_updates_a_drifted_trail(account: dict[str, str]) -> None:
    boto3.client("cloudtrail").create_trail(Name="main", S3BucketName="trail-logs")
    result = upsert_trail.handler(events(), None)
    assert result["Action"] == "updated"
    assert set(result["Changes"]) >= {"IsMultiRegionTrail", "EnableLogFileValidation", "KmsKeyId"}


def test_handler_refuses_a_trail_homed_elsewhere(account: dict[str, str]) -> None:
    boto3.client("cloudtrail", region_name="eu-west-1").create_trail(
        Name="main", S3BucketName="trail-logs", IsMultiRegionTrail=True
    )
    with pytest.raises(ValueError, match="homed in eu-west-1"):
        upsert_trail.handler(events(), None)
    # Nothing was changed: no trail homed here, and the eu-west-1 trail is as it was.
    assert boto3.client("cloudtrail").describe_trails(includeShadowTrails=False)["trailList"] == []
    home = boto3.client("cloudtrail", region_name="eu-west-1").get_trail(Name="main")["Trail"]
    assert not home["LogFileValidationEnabled"] and "KmsKeyId" not in home


def test_aws_errors_propagate_with_their_code(aws: str) -> None:
    with pytest.raises(ClientError) as caught:
        upsert_trail.handler(events(KmsKeyId="alias/missing"), None)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_event_selector_handler_writes_only_when_needed(account: dict[str, str]) -> None:
    client = boto3.client("cloudtrail")
    client.create_trail(Name="main", S3BucketName="trail-logs")
    client.put_event_selectors(
        TrailName="main", EventSelectors=[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}]
    )
    assert event_selectors.handler({"TrailName": "main"}, None) == {"Changed": True}
    assert event_selectors.handler({"TrailName": "main"}, None) == {"Changed": False}
