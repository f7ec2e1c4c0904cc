"""Each CloudTrail operation's effect and response shape (members as botocore's model names them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, CLOUDTRAIL, KEY_ARN, TRAIL_ARN, trail, world
from toolkit.fakes.default import DEFAULT_BUCKET
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

SUMMARY_KEYS = {
    "Name", "S3BucketName", "S3KeyPrefix", "SnsTopicName", "SnsTopicARN", "IncludeGlobalServiceEvents",
    "IsMultiRegionTrail", "TrailARN", "LogFileValidationEnabled", "CloudWatchLogsLogGroupArn",
    "CloudWatchLogsRoleArn", "KmsKeyId", "IsOrganizationTrail", "RecursiveLogging",
}  # fmt: skip
TRAIL_KEYS = SUMMARY_KEYS | {"HomeRegion", "HasCustomEventSelectors", "HasInsightSelectors"}
LOG_GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/cloudtrail/main:*"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/CloudTrailToLogs"


def call(backend_world: World, operation: str, params: dict[str, Any], region: str | None = None) -> dict[str, Any]:
    return backend_world.backend(region).call("cloudtrail", operation, params)


def delivery_world() -> World:
    """The default world plus a topic CloudTrail may publish to and a log group with a role it may use."""
    publish = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "SNS:Publish", "Resource": "*"}
    trust = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "sts:AssumeRole"}
    write = {
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/cloudtrail/main:log-stream:*",
    }
    return world(
        Topics=[{"Name": "trail-notices", "Policy": {"Version": "2012-10-17", "Statement": [publish]}}],
        LogGroups=[{"Name": "/aws/cloudtrail/main"}],
        Roles=[
            {
                "Name": "CloudTrailToLogs",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
                "Policies": [{"Version": "2012-10-17", "Statement": [write]}],
            }
        ],
    )


def test_create_trail_applies_createtrails_defaults_and_returns_its_shape() -> None:
    w = World.default()
    created = call(w, "CreateTrail", {"Name": "new-trail", "S3BucketName": DEFAULT_BUCKET})
    assert created == {
        "Name": "new-trail",
        "S3BucketName": DEFAULT_BUCKET,
        "IncludeGlobalServiceEvents": True,
        "IsMultiRegionTrail": False,
        "TrailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/new-trail",
        "LogFileValidationEnabled": False,
        "IsOrganizationTrail": False,
    }
    assert call(w, "GetTrailStatus", {"Name": "new-trail"})["IsLogging"] is False
    assert call(w, "GetEventSelectors", {"TrailName": "new-trail"})["EventSelectors"] == [
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [],
            "ExcludeManagementEventSources": [],
        }
    ]
    assert call(w, "GetTrail", {"Name": "new-trail"})["Trail"]["HasCustomEventSelectors"] is False


def test_create_trail_with_every_setting() -> None:
    w = delivery_world()
    created = call(
        w,
        "CreateTrail",
        {
            "Name": "full",
            "S3BucketName": DEFAULT_BUCKET,
            "SnsTopicName": "trail-notices",
            "IsMultiRegionTrail": True,
            "EnableLogFileValidation": True,
            "CloudWatchLogsLogGroupArn": LOG_GROUP_ARN,
            "CloudWatchLogsRoleArn": ROLE_ARN,
            "KmsKeyId": "alias/cloudtrail",
            "IsOrganizationTrail": True,
            "RecursiveLogging": False,
            "TagsList": [{"Key": "team", "Value": "security"}, {"Key": "bare"}],
        },
    )
    assert set(created) == SUMMARY_KEYS - {"S3KeyPrefix"}
    assert created["KmsKeyId"] == KEY_ARN
    assert created["SnsTopicName"] == "trail-notices"
    assert created["SnsTopicARN"] == f"arn:aws:sns:us-east-1:{ACCOUNT}:trail-notices"
    tags = call(w, "ListTags", {"ResourceIdList": [created["TrailARN"]]})["ResourceTagList"]
    assert tags == [
        {"ResourceId": created["TrailARN"], "TagsList": [{"Key": "team", "Value": "security"}, {"Key": "bare"}]}
    ]
    described = call(w, "GetTrail", {"Name": "full"})["Trail"]
    assert set(described) == TRAIL_KEYS - {"S3KeyPrefix"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"Policies": []}, "InvalidCloudWatchLogsLogGroupArnException"),
        (
            {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}},
            "InvalidCloudWatchLogsRoleArnException",
        ),
        ({}, None),
    ],
)
def test_the_logs_role_must_trust_cloudtrail_and_allow_writing(changes: dict[str, Any], expected: str | None) -> None:
    data = delivery_world().to_dict()
    data["Roles"][0].update(changes)
    w = World.from_dict(data)
    params = {"Name": "main", "CloudWatchLogsLogGroupArn": LOG_GROUP_ARN, "CloudWatchLogsRoleArn": ROLE_ARN}
    if expected is None:
        assert call(w, "UpdateTrail", params)["CloudWatchLogsRoleArn"] == ROLE_ARN
        return
    with pytest.raises(AwsError) as caught:
        call(w, "UpdateTrail", params)
    assert caught.value.code == expected


def test_a_topic_policy_must_let_cloudtrail_publish() -> None:
    data = delivery_world().to_dict()
    data["Topics"][0]["Policy"] = None  # SNS's default policy: the owner only
    with pytest.raises(AwsError) as caught:
        call(World.from_dict(data), "UpdateTrail", {"Name": "main", "SnsTopicName": "trail-notices"})
    assert caught.value.code == "InsufficientSnsTopicPolicyException"


def test_update_trail_changes_only_what_it_is_sent() -> None:
    w = World.default()
    before = w.to_dict()["Trails"][0]
    updated = call(w, "UpdateTrail", {"Name": "main", "EnableLogFileValidation": True})
    assert updated["LogFileValidationEnabled"] is True
    after = w.to_dict()["Trails"][0]
    assert {key for key in after if after[key] != before[key]} == {"LogFileValidationEnabled"}


def test_update_trail_conversions_and_clearing() -> None:
    w = World.default()
    call(w, "UpdateTrail", {"Name": "main", "IncludeGlobalServiceEvents": False})
    assert call(w, "UpdateTrail", {"Name": "main", "IsMultiRegionTrail": True})["IncludeGlobalServiceEvents"] is True
    assert call(w, "UpdateTrail", {"Name": "main", "IsMultiRegionTrail": False})["IncludeGlobalServiceEvents"] is False
    assert call(w, "UpdateTrail", {"Name": "main", "KmsKeyId": "alias/cloudtrail"})["KmsKeyId"] == KEY_ARN
    assert "KmsKeyId" not in call(w, "UpdateTrail", {"Name": "main", "KmsKeyId": ""})
    with pytest.raises(AwsError, match="Incorrect S3 bucket policy"):  # the policy grants no prefixed folder
        call(w, "UpdateTrail", {"Name": "main", "S3KeyPrefix": "logs"})
    prefixed = world(Trails=[trail("main", S3KeyPrefix="logs")])
    assert call(prefixed, "GetTrail", {"Name": "main"})["Trail"]["S3KeyPrefix"] == "logs"
    assert "S3KeyPrefix" not in call(prefixed, "UpdateTrail", {"Name": "main", "S3KeyPrefix": ""})


def test_update_trail_by_arn() -> None:
    w = World.default()
    assert call(w, "UpdateTrail", {"Name": TRAIL_ARN, "EnableLogFileValidation": True})["TrailARN"] == TRAIL_ARN


def test_a_multi_region_trail_is_visible_elsewhere_as_its_shadow() -> None:
    w = World.default()
    call(w, "UpdateTrail", {"Name": "main", "IsMultiRegionTrail": True})
    shadow = call(w, "DescribeTrails", {}, region="eu-west-1")["trailList"]
    assert [(t["Name"], t["HomeRegion"], t["TrailARN"]) for t in shadow] == [("main", "us-east-1", TRAIL_ARN)]
    assert call(w, "DescribeTrails", {"includeShadowTrails": False}, region="eu-west-1")["trailList"] == []
    assert call(w, "DescribeTrails", {"trailNameList": ["main"]}, region="eu-west-1")["trailList"] == []
    by_arn = call(w, "DescribeTrails", {"trailNameList": [TRAIL_ARN]}, region="eu-west-1")["trailList"]
    assert [t["TrailARN"] for t in by_arn] == [TRAIL_ARN]
    assert call(w, "GetTrail", {"Name": "main"}, region="eu-west-1")["Trail"]["HomeRegion"] == "us-east-1"
    assert call(w, "GetTrailStatus", {"Name": TRAIL_ARN}, region="eu-west-1")["IsLogging"] is False
    assert call(w, "GetEventSelectors", {"TrailName": TRAIL_ARN}, region="eu-west-1")["TrailARN"] == TRAIL_ARN
    call(w, "UpdateTrail", {"Name": "main", "IsMultiRegionTrail": False})
    assert call(w, "DescribeTrails", {}, region="eu-west-1")["trailList"] == []


def test_a_single_region_trail_is_not_visible_elsewhere() -> None:
    w = World.default()
    assert call(w, "DescribeTrails", {}, region="eu-west-1")["trailList"] == []
    with pytest.raises(AwsError, match="Unknown trail"):
        call(w, "GetTrail", {"Name": "main"}, region="eu-west-1")


def test_describe_trails_by_names_and_arns() -> None:
    w = world(add={"Trails": [trail("second"), trail("global", HomeRegion="eu-west-1", IsMultiRegionTrail=True)]})
    names = lambda params: [t["Name"] for t in call(w, "DescribeTrails", params)["trailList"]]  # noqa: E731
    assert names({}) == ["main", "second", "global"]
    assert names({"includeShadowTrails": False}) == ["main", "second"]
    assert names({"trailNameList": ["second", "absent", "main", "second"]}) == ["second", "main"]
    assert names({"trailNameList": ["global"]}) == []
    global_arn = f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/global"
    assert names({"trailNameList": [global_arn]}) == ["global"]
    assert names({"trailNameList": [global_arn], "includeShadowTrails": False}) == []


def test_list_trails_lists_every_trail_of_the_account() -> None:
    w = world(add={"Trails": [trail("solo", HomeRegion="eu-west-1")]})
    assert call(w, "ListTrails", {}) == {
        "Trails": [
            {
                "TrailARN": f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/solo",
                "Name": "solo",
                "HomeRegion": "eu-west-1",
            },
            {"TrailARN": TRAIL_ARN, "Name": "main", "HomeRegion": "us-east-1"},
        ]
    }


def test_delete_trail_removes_it_and_its_shadows() -> None:
    w = world(Trails=[trail("main", IsMultiRegionTrail=True)])
    assert call(w, "DeleteTrail", {"Name": "main"}) == {}
    assert w.trails == {}
    assert call(w, "DescribeTrails", {}, region="eu-west-1")["trailList"] == []


def test_logging_starts_and_stops_on_the_clock_and_repeats_change_nothing() -> None:
    w = World.default()
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    backend = w.backend(now=lambda: now[0])
    assert backend.call("cloudtrail", "StartLogging", {"Name": "main"}) == {}
    now[0] += timedelta(seconds=30)
    backend.call("cloudtrail", "StartLogging", {"Name": "main"})
    status = backend.call("cloudtrail", "GetTrailStatus", {"Name": "main"})
    assert status["IsLogging"] is True
    assert status["StartLoggingTime"] == datetime(2026, 1, 1, tzinfo=UTC)
    assert status["TimeLoggingStarted"] == "2026-01-01T00:00:00Z"
    backend.call("cloudtrail", "StopLogging", {"Name": TRAIL_ARN})
    status = backend.call("cloudtrail", "GetTrailStatus", {"Name": TRAIL_ARN})
    assert status["IsLogging"] is False
    assert status["StopLoggingTime"] == datetime(2026, 1, 1, 0, 0, 30, tzinfo=UTC)


def test_event_selectors_are_replaced_whole_and_one_kind_clears_the_other() -> None:
    w = World.default()
    basic = [
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True},
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": False,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::data-bucket/"]}],
        },
    ]
    put = call(w, "PutEventSelectors", {"TrailName": "main", "EventSelectors": basic})
    assert put["TrailARN"] == TRAIL_ARN
    assert put["EventSelectors"][0] == {
        "ReadWriteType": "WriteOnly",
        "IncludeManagementEvents": True,
        "DataResources": [],
        "ExcludeManagementEventSources": [],
    }
    assert call(w, "GetEventSelectors", {"TrailName": "main"}) == put
    assert call(w, "GetTrail", {"Name": "main"})["Trail"]["HasCustomEventSelectors"] is True
    advanced = [{"Name": "m", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
    assert call(w, "PutEventSelectors", {"TrailName": "main", "AdvancedEventSelectors": advanced}) == {
        "TrailARN": TRAIL_ARN,
        "AdvancedEventSelectors": advanced,
    }
    assert call(w, "GetEventSelectors", {"TrailName": "main"}) == {
        "TrailARN": TRAIL_ARN,
        "AdvancedEventSelectors": advanced,
    }


def test_insight_selectors_are_replaced_and_an_empty_list_turns_them_off() -> None:
    w = World.default()
    both = [{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]
    assert call(w, "PutInsightSelectors", {"TrailName": "main", "InsightSelectors": both})["InsightSelectors"] == both
    one = [{"InsightType": "ApiErrorRateInsight", "EventCategories": ["Management"]}]
    call(w, "PutInsightSelectors", {"TrailName": "main", "InsightSelectors": one})
    assert call(w, "GetInsightSelectors", {"TrailName": "main"}) == {"TrailARN": TRAIL_ARN, "InsightSelectors": one}
    assert call(w, "GetTrail", {"Name": "main"})["Trail"]["HasInsightSelectors"] is True
    call(w, "PutInsightSelectors", {"TrailName": "main", "InsightSelectors": []})
    assert call(w, "GetTrail", {"Name": "main"})["Trail"]["HasInsightSelectors"] is False
    with pytest.raises(AwsError, match="does not have Insights enabled"):
        call(w, "GetInsightSelectors", {"TrailName": "main"})


def test_insights_on_advanced_selectors_need_write_management_events() -> None:
    w = World.default()
    read_only = [
        {
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "readOnly", "Equals": ["true"]},
            ]
        }
    ]
    call(w, "PutEventSelectors", {"TrailName": "main", "AdvancedEventSelectors": read_only})
    with pytest.raises(AwsError) as caught:
        call(
            w, "PutInsightSelectors", {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}
        )
    assert caught.value.code == "InvalidInsightSelectorsException"
    call(w, "PutInsightSelectors", {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiErrorRateInsight"}]})


def test_tags_are_added_replaced_and_removed() -> None:
    w = World.default()
    call(w, "AddTags", {"ResourceId": TRAIL_ARN, "TagsList": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]})
    call(w, "AddTags", {"ResourceId": TRAIL_ARN, "TagsList": [{"Key": "a", "Value": "3"}]})
    call(w, "RemoveTags", {"ResourceId": TRAIL_ARN, "TagsList": [{"Key": "b"}]})
    assert call(w, "ListTags", {"ResourceIdList": [TRAIL_ARN]}) == {
        "ResourceTagList": [{"ResourceId": TRAIL_ARN, "TagsList": [{"Key": "a", "Value": "3"}]}]
    }


def test_an_organization_trail_seen_from_a_member_account_carries_the_management_accounts_arn() -> None:
    management = "111122223333"
    w = world(
        Organization={
            "Id": "o-a1b2c3d4e5",
            "ManagementAccount": management,
            "TrustedServices": ["cloudtrail.amazonaws.com"],
        },
        Trails=[trail("org-trail", IsOrganizationTrail=True, IsMultiRegionTrail=True)],
    )
    arn = f"arn:aws:cloudtrail:us-east-1:{management}:trail/org-trail"
    assert call(w, "GetTrail", {"Name": arn})["Trail"]["TrailARN"] == arn
    with pytest.raises(AwsError) as caught:
        call(w, "StartLogging", {"Name": arn})
    assert caught.value.code == "NotOrganizationMasterAccountException"
