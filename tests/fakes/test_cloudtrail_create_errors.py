"""CreateTrail's preconditions, in CloudTrail's order: name, existence, parameters, organization, quota, bucket,
bucket policy, key, key policy, topic, log group, tags. Each refusal has CloudTrail's error code and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.refusals import (
    BUCKET,
    GOOD_ACL,
    GOOD_WRITE,
    NEW_ARN,
    Case,
    check_refusal,
    elsewhere,
    five_trails,
    full,
    organization,
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
from toolkit.fakes.default import default_data
from toolkit.fakes.world import World

CASES: list[Case] = [
    # CreateTrail: name, existence, parameters
    ("short name", World.default, "CreateTrail", full(Name="ab"), "InvalidTrailNameException"),
    ("name starts badly", World.default, "CreateTrail", full(Name="-abc"), "InvalidTrailNameException"),
    ("name ends badly", World.default, "CreateTrail", full(Name="abc_"), "InvalidTrailNameException"),
    ("adjacent separators", World.default, "CreateTrail", full(Name="my-_trail"), "InvalidTrailNameException"),
    ("ip address name", World.default, "CreateTrail", full(Name="192.168.5.4"), "InvalidTrailNameException"),
    ("bad characters", World.default, "CreateTrail", full(Name="my trail"), "InvalidTrailNameException"),
    ("existing name", World.default, "CreateTrail", full(Name="main"), "TrailAlreadyExistsException"),
    ("shadow's name", elsewhere, "CreateTrail", full(Name="global"), "TrailAlreadyExistsException"),
    (
        "multi-region over a trail elsewhere",
        elsewhere,
        "CreateTrail",
        full(Name="solo", IsMultiRegionTrail=True),
        "TrailAlreadyExistsException",
    ),
    (
        "multi-region without global events",
        World.default,
        "CreateTrail",
        full(IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False),
        "InvalidParameterCombinationException",
    ),
    ("missing bucket member", World.default, "CreateTrail", {"Name": "new-trail"}, "ValidationException"),
    ("flag as text", World.default, "CreateTrail", full(IsMultiRegionTrail="true"), "ValidationException"),
    ("long prefix", World.default, "CreateTrail", full(S3KeyPrefix="p" * 201), "InvalidS3PrefixException"),
    ("quota", five_trails, "CreateTrail", full(), "MaximumNumberOfTrailsExceededException"),
    (
        "quota counts shadows",
        lambda: world(
            add={"Trails": [trail(f"far-{n}", HomeRegion="eu-west-1", IsMultiRegionTrail=True) for n in range(4)]}
        ),
        "CreateTrail",
        full(),
        "MaximumNumberOfTrailsExceededException",
    ),
    # CreateTrail: organization prerequisites
    (
        "no organization",
        lambda: world(Organization=None),
        "CreateTrail",
        full(IsOrganizationTrail=True),
        "OrganizationsNotInUseException",
    ),
    (
        "member account",
        lambda: organization(ManagementAccount="111122223333"),
        "CreateTrail",
        full(IsOrganizationTrail=True),
        "NotOrganizationMasterAccountException",
    ),
    (
        "consolidated billing",
        lambda: organization(FeatureSet="CONSOLIDATED_BILLING"),
        "CreateTrail",
        full(IsOrganizationTrail=True),
        "OrganizationNotInAllFeaturesModeException",
    ),
    (
        "no trusted access",
        lambda: organization(TrustedServices=["config.amazonaws.com"]),
        "CreateTrail",
        full(IsOrganizationTrail=True),
        "CloudTrailAccessNotEnabledException",
    ),
    # CreateTrail: the bucket
    (
        "unknown bucket",
        World.default,
        "CreateTrail",
        full(S3BucketName="no-such-bucket"),
        "S3BucketDoesNotExistException",
    ),
    (
        "invalid bucket name",
        World.default,
        "CreateTrail",
        full(S3BucketName="Bad_Bucket"),
        "InvalidS3BucketNameException",
    ),
    (
        "no bucket policy",
        lambda: with_bucket_policy(None),
        "CreateTrail",
        full(),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "no write grant",
        lambda: with_bucket_policy(bucket_policy(GOOD_ACL)),
        "CreateTrail",
        full(),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "no ACL grant",
        lambda: with_bucket_policy(bucket_policy(GOOD_WRITE)),
        "CreateTrail",
        full(),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "write granted without the prefix",
        lambda: with_bucket_policy(bucket_policy(GOOD_ACL, GOOD_WRITE)),
        "CreateTrail",
        full(S3KeyPrefix="logs"),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "source ARN of another trail",
        lambda: with_bucket_policy(
            bucket_policy(
                GOOD_ACL,
                allow_cloudtrail(
                    "s3:PutObject",
                    f"{BUCKET}/AWSLogs/{ACCOUNT}/*",
                    {"StringEquals": {"aws:SourceArn": TRAIL_ARN}},
                ),
            )
        ),
        "CreateTrail",
        full(),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "source account of another account",
        lambda: with_bucket_policy(
            bucket_policy(
                GOOD_ACL,
                allow_cloudtrail(
                    "s3:PutObject",
                    f"{BUCKET}/AWSLogs/{ACCOUNT}/*",
                    {"StringEquals": {"aws:SourceAccount": "111122223333"}},
                ),
            )
        ),
        "CreateTrail",
        full(),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "explicit deny",
        lambda: with_bucket_policy(
            bucket_policy(
                GOOD_ACL, GOOD_WRITE, {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": f"{BUCKET}/*"}
            )
        ),
        "CreateTrail",
        full(),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "digest files not granted",
        lambda: with_bucket_policy(
            bucket_policy(GOOD_ACL, allow_cloudtrail("s3:PutObject", f"{BUCKET}/AWSLogs/{ACCOUNT}/CloudTrail/*"))
        ),
        "CreateTrail",
        full(EnableLogFileValidation=True),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "organization folder not granted",
        lambda: with_bucket_policy(bucket_policy(GOOD_ACL, GOOD_WRITE)),
        "CreateTrail",
        full(IsOrganizationTrail=True),
        "InsufficientS3BucketPolicyException",
    ),
    (
        "prefix granted",
        lambda: with_bucket_policy(
            bucket_policy(GOOD_ACL, allow_cloudtrail("s3:PutObject", f"{BUCKET}/logs/AWSLogs/{ACCOUNT}/*"))
        ),
        "CreateTrail",
        full(S3KeyPrefix="logs"),
        None,
    ),
    (
        "source ARN of this trail",
        lambda: with_bucket_policy(
            bucket_policy(
                allow_cloudtrail("s3:GetBucketAcl", BUCKET, {"StringEquals": {"aws:SourceArn": NEW_ARN}}),
                allow_cloudtrail(
                    "s3:PutObject",
                    f"{BUCKET}/AWSLogs/{ACCOUNT}/*",
                    {"StringEquals": {"aws:SourceArn": [TRAIL_ARN, NEW_ARN]}},
                ),
            )
        ),
        "CreateTrail",
        full(),
        None,
    ),
    # CreateTrail: the key
    ("malformed key id", World.default, "CreateTrail", full(KmsKeyId="my-key"), "InvalidKmsKeyIdException"),
    ("unknown alias", World.default, "CreateTrail", full(KmsKeyId="alias/other"), "KmsKeyNotFoundException"),
    (
        "unknown key",
        World.default,
        "CreateTrail",
        full(KmsKeyId="0000abcd-12ab-34cd-56ef-1234567890ab"),
        "KmsKeyNotFoundException",
    ),
    (
        "key in another region",
        lambda: with_key(Region="eu-west-1"),
        "CreateTrail",
        full(KmsKeyId=KEY_ARN.replace("us-east-1", "eu-west-1")),
        "KmsKeyNotFoundException",
    ),
    (
        "key and bucket in different regions",
        lambda: world(
            Buckets=[{**default_data()["Buckets"][0], "Region": "eu-west-1"}],
        ),
        "CreateTrail",
        full(KmsKeyId="alias/cloudtrail"),
        "KmsKeyNotFoundException",
    ),
    ("disabled key", lambda: with_key(Enabled=False), "CreateTrail", full(KmsKeyId="alias/cloudtrail"), "KmsException"),
    (
        "key without policy",
        lambda: with_key(Policy=None),
        "CreateTrail",
        full(KmsKeyId="alias/cloudtrail"),
        "InsufficientEncryptionPolicyException",
    ),
    (
        "key policy without describe",
        lambda: with_key(
            Policy={
                "Version": "2012-10-17",
                "Statement": [allow_cloudtrail("kms:GenerateDataKey*", "*")],
            }
        ),
        "CreateTrail",
        full(KmsKeyId="alias/cloudtrail"),
        "InsufficientEncryptionPolicyException",
    ),
    # CreateTrail: topic and logs
    (
        "unknown topic",
        World.default,
        "CreateTrail",
        full(SnsTopicName="notices"),
        "InsufficientSnsTopicPolicyException",
    ),
    ("bad topic name", World.default, "CreateTrail", full(SnsTopicName="no spaces"), "InvalidSnsTopicNameException"),
    (
        "log group without role",
        World.default,
        "CreateTrail",
        full(CloudWatchLogsLogGroupArn=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:trail:*"),
        "InvalidCloudWatchLogsRoleArnException",
    ),
    (
        "role without log group",
        World.default,
        "CreateTrail",
        full(CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/ToLogs"),
        "InvalidCloudWatchLogsLogGroupArnException",
    ),
    (
        "unknown log group",
        World.default,
        "CreateTrail",
        full(
            CloudWatchLogsLogGroupArn=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:trail:*",
            CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/ToLogs",
        ),
        "InvalidCloudWatchLogsLogGroupArnException",
    ),
    # CreateTrail: tags
    (
        "duplicate tag keys",
        World.default,
        "CreateTrail",
        full(TagsList=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]),
        "InvalidTagParameterException",
    ),
    (
        "too many tags",
        World.default,
        "CreateTrail",
        full(TagsList=[{"Key": f"k{n}", "Value": "v"} for n in range(51)]),
        "TagsLimitExceededException",
    ),
]


@pytest.mark.parametrize(
    ("make", "operation", "params", "code"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_create_trail_refuses_as_aws_does_and_changes_nothing(
    make: Any, operation: str, params: dict[str, Any], code: str | None
) -> None:
    check_refusal(make, operation, params, code)
