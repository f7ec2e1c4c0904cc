"""The other CloudTrail operations' preconditions (UpdateTrail to ListTags): each refusal has CloudTrail's error
code and changes nothing; error messages as observed from AWS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.refusals import (
    BUCKET,
    GOOD_ACL,
    SHADOW_ARN,
    SOLO_ARN,
    Case,
    check_refusal,
    elsewhere,
    full,
    read_only_selectors,
)
from tests.fakes.worlds import (
    ACCOUNT,
    KEY_ARN,
    TRAIL_ARN,
    allow_cloudtrail,
    bucket_policy,
    trail,
    with_bucket_policy,
    with_key,
    world,
)
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_ORGANIZATION, default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

CASES: list[Case] = [
    # UpdateTrail
    ("update unknown", World.default, "UpdateTrail", {"Name": "absent"}, "TrailNotFoundException"),
    ("update shadow by name", elsewhere, "UpdateTrail", {"Name": "global"}, "InvalidHomeRegionException"),
    ("update shadow by ARN", elsewhere, "UpdateTrail", {"Name": SHADOW_ARN}, "InvalidHomeRegionException"),
    ("update by ARN of another region", elsewhere, "UpdateTrail", {"Name": SOLO_ARN}, "CloudTrailARNInvalidException"),
    (
        "update by malformed ARN",
        World.default,
        "UpdateTrail",
        {"Name": "arn:aws:cloudtrail:trail"},
        "CloudTrailARNInvalidException",
    ),
    (
        "update by unknown ARN here",
        World.default,
        "UpdateTrail",
        {"Name": TRAIL_ARN.replace("main", "absent")},
        "TrailNotFoundException",
    ),
    (
        "update multi-region without global events",
        World.default,
        "UpdateTrail",
        {"Name": "main", "IsMultiRegionTrail": True, "IncludeGlobalServiceEvents": False},
        "InvalidParameterCombinationException",
    ),
    (
        "update to an unknown bucket",
        World.default,
        "UpdateTrail",
        {"Name": "main", "S3BucketName": "no-such-bucket"},
        "S3BucketDoesNotExistException",
    ),
    (
        "update to an unknown key",
        World.default,
        "UpdateTrail",
        {"Name": "main", "KmsKeyId": "alias/other"},
        "KmsKeyNotFoundException",
    ),
    (
        "update an organization trail from a member",
        lambda: world(
            Organization={**default_data()["Organization"], "ManagementAccount": "111122223333"},
            Trails=[trail("main", IsOrganizationTrail=True)],
        ),
        "UpdateTrail",
        {"Name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", "EnableLogFileValidation": True},
        "NotOrganizationMasterAccountException",
    ),
    (
        "update to multi-region over a trail elsewhere",
        lambda: world(add={"Trails": [trail("main", HomeRegion="eu-west-1")]}),
        "UpdateTrail",
        {"Name": "main", "IsMultiRegionTrail": True},
        "TrailAlreadyExistsException",
    ),
    ("update to multi-region", elsewhere, "UpdateTrail", {"Name": "main", "IsMultiRegionTrail": True}, None),
    # DeleteTrail, StartLogging, StopLogging
    ("delete unknown", World.default, "DeleteTrail", {"Name": "absent"}, "TrailNotFoundException"),
    ("delete shadow", elsewhere, "DeleteTrail", {"Name": "global"}, "InvalidHomeRegionException"),
    ("start unknown", World.default, "StartLogging", {"Name": "absent"}, "TrailNotFoundException"),
    ("start shadow", elsewhere, "StartLogging", {"Name": SHADOW_ARN}, "InvalidHomeRegionException"),
    ("stop shadow", elsewhere, "StopLogging", {"Name": "global"}, "InvalidHomeRegionException"),
    ("start invalid name", World.default, "StartLogging", {"Name": "x"}, "InvalidTrailNameException"),
    # Reads
    ("status of unknown", World.default, "GetTrailStatus", {"Name": "absent"}, "TrailNotFoundException"),
    ("status of shadow by name", elsewhere, "GetTrailStatus", {"Name": "global"}, "TrailNotFoundException"),
    (
        "trail by ARN rewritten here",
        elsewhere,
        "GetEventSelectors",
        {"TrailName": SHADOW_ARN.replace("eu-west-1", "us-east-1")},
        "TrailNotFoundException",
    ),
    ("get unknown", World.default, "GetTrail", {"Name": "absent"}, "TrailNotFoundException"),
    ("describe invalid name", World.default, "DescribeTrails", {"trailNameList": ["a"]}, "InvalidTrailNameException"),
    (
        "describe malformed ARN",
        World.default,
        "DescribeTrails",
        {"trailNameList": ["arn:aws:x"]},
        "CloudTrailARNInvalidException",
    ),
    # PutEventSelectors
    (
        "both selector kinds",
        World.default,
        "PutEventSelectors",
        {"TrailName": "main", "EventSelectors": [{}], "AdvancedEventSelectors": []},
        "InvalidEventSelectorsException",
    ),
    ("no selectors", World.default, "PutEventSelectors", {"TrailName": "main"}, "InvalidEventSelectorsException"),
    (
        "empty basic selectors",
        World.default,
        "PutEventSelectors",
        {"TrailName": "main", "EventSelectors": []},
        "InvalidEventSelectorsException",
    ),
    (
        "six selectors",
        World.default,
        "PutEventSelectors",
        {"TrailName": "main", "EventSelectors": [{}] * 6},
        "InvalidEventSelectorsException",
    ),
    (
        "bad read/write type",
        World.default,
        "PutEventSelectors",
        {"TrailName": "main", "EventSelectors": [{"ReadWriteType": "read-only"}]},
        "InvalidEventSelectorsException",
    ),
    (
        "wildcard bucket data resource",
        World.default,
        "PutEventSelectors",
        {
            "TrailName": "main",
            "EventSelectors": [{"DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::*"]}]}],
        },
        "InvalidEventSelectorsException",
    ),
    (
        "unknown data resource type",
        World.default,
        "PutEventSelectors",
        {"TrailName": "main", "EventSelectors": [{"DataResources": [{"Type": "AWS::EC2::Instance", "Values": []}]}]},
        "InvalidEventSelectorsException",
    ),
    (
        "too many data resources",
        World.default,
        "PutEventSelectors",
        {
            "TrailName": "main",
            "EventSelectors": [
                {"DataResources": [{"Type": "AWS::S3::Object", "Values": [f"arn:aws:s3:::b-{n}/" for n in range(251)]}]}
            ],
        },
        "InvalidEventSelectorsException",
    ),
    (
        "bad excluded source",
        World.default,
        "PutEventSelectors",
        {"TrailName": "main", "EventSelectors": [{"ExcludeManagementEventSources": ["s3.amazonaws.com"]}]},
        "InvalidEventSelectorsException",
    ),
    (
        "advanced selector without a category",
        World.default,
        "PutEventSelectors",
        {
            "TrailName": "main",
            "AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "readOnly", "Equals": ["true"]}]}],
        },
        "InvalidEventSelectorsException",
    ),
    (
        "advanced selector with an unknown field",
        World.default,
        "PutEventSelectors",
        {"TrailName": "main", "AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "color", "Equals": ["red"]}]}]},
        "InvalidEventSelectorsException",
    ),
    (
        "selectors of a shadow",
        elsewhere,
        "PutEventSelectors",
        {"TrailName": "global", "EventSelectors": [{}]},
        "InvalidHomeRegionException",
    ),
    # Insights
    (
        "unknown insight type",
        World.default,
        "PutInsightSelectors",
        {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiRateInsight"}]},
        "InvalidInsightSelectorsException",
    ),
    (
        "call rate needs write events",
        read_only_selectors,
        "PutInsightSelectors",
        {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]},
        "InvalidInsightSelectorsException",
    ),
    (
        "error rate needs management events",
        lambda: world(Trails=[trail("main", EventSelectors=[{"IncludeManagementEvents": False}])]),
        "PutInsightSelectors",
        {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiErrorRateInsight"}]},
        "InvalidInsightSelectorsException",
    ),
    (
        "error rate with read-only events",
        read_only_selectors,
        "PutInsightSelectors",
        {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiErrorRateInsight"}]},
        None,
    ),
    (
        "insights files not granted",
        lambda: with_bucket_policy(
            bucket_policy(GOOD_ACL, allow_cloudtrail("s3:PutObject", f"{BUCKET}/AWSLogs/{ACCOUNT}/CloudTrail/*"))
        ),
        "PutInsightSelectors",
        {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiErrorRateInsight"}]},
        "InsufficientS3BucketPolicyException",
    ),
    (
        "insights without a trail",
        World.default,
        "PutInsightSelectors",
        {"InsightSelectors": []},
        "InvalidParameterCombinationException",
    ),
    ("insights not enabled", World.default, "GetInsightSelectors", {"TrailName": "main"}, "InsightNotEnabledException"),
    ("insights of unknown", World.default, "GetInsightSelectors", {"TrailName": "absent"}, "TrailNotFoundException"),
    # Tags
    (
        "tag unknown trail",
        World.default,
        "AddTags",
        {"ResourceId": TRAIL_ARN.replace("main", "absent"), "TagsList": []},
        "ResourceNotFoundException",
    ),
    ("tag by name", World.default, "AddTags", {"ResourceId": "main", "TagsList": []}, "CloudTrailARNInvalidException"),
    ("tag another region", elsewhere, "ListTags", {"ResourceIdList": [SOLO_ARN]}, "CloudTrailARNInvalidException"),
    (
        "tag a reserved key",
        World.default,
        "AddTags",
        {"ResourceId": TRAIL_ARN, "TagsList": [{"Key": "aws:x", "Value": "1"}]},
        "InvalidTagParameterException",
    ),
    (
        "tags over the limit",
        lambda: world(Trails=[trail("main", Tags={f"k{n}": "v" for n in range(50)})]),
        "AddTags",
        {"ResourceId": TRAIL_ARN, "TagsList": [{"Key": "one-more", "Value": "v"}]},
        "TagsLimitExceededException",
    ),
]


@pytest.mark.parametrize(
    ("make", "operation", "params", "code"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_cloudtrail_refuses_as_aws_does_and_changes_nothing(
    make: Any, operation: str, params: dict[str, Any], code: str | None
) -> None:
    check_refusal(make, operation, params, code)


def test_error_messages_as_observed_from_aws() -> None:
    backend = World.default().backend()
    cases = [
        ("GetTrail", {"Name": "absent"}, f"Unknown trail: absent for the user: {ACCOUNT}"),
        ("CreateTrail", full(Name="main"), f"Trail main already exists for customer: {ACCOUNT}"),
        ("CreateTrail", full(S3BucketName="no-such-bucket"), "S3 bucket no-such-bucket does not exist!"),
        (
            "CreateTrail",
            full(IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False),
            "Multi-Region trail must include global service events.",
        ),
        (
            "GetInsightSelectors",
            {"TrailName": "main"},
            f"Trail {TRAIL_ARN} does not have Insights enabled. Edit the trail settings to enable Insights, and then "
            "try the operation again.",
        ),
    ]
    for operation, params, message in cases:
        with pytest.raises(AwsError) as caught:
            backend.call("cloudtrail", operation, params)
        assert caught.value.message == message
    no_policy = with_bucket_policy(None).backend()
    with pytest.raises(AwsError, match=f"Incorrect S3 bucket policy is detected for bucket: {DEFAULT_BUCKET}"):
        no_policy.call("cloudtrail", "CreateTrail", full())
    weak_key = with_key(Policy=None).backend()
    with pytest.raises(AwsError) as caught:
        weak_key.call("cloudtrail", "CreateTrail", full(KmsKeyId="alias/cloudtrail"))
    assert (
        caught.value.message == f"Insufficient permissions to access S3 bucket {DEFAULT_BUCKET} or KMS key {KEY_ARN}."
    )


def test_the_default_organization_lets_an_organization_trail_be_created() -> None:
    backend = World.default().backend()
    created = backend.call("cloudtrail", "CreateTrail", full(IsOrganizationTrail=True))
    assert created["IsOrganizationTrail"] is True
    assert DEFAULT_ORGANIZATION.startswith("o-")
