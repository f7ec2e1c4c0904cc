"""The other fake services (S3, KMS, STS, Organizations, SNS, Logs, IAM) and the backend's dispatch."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, KEY_ARN, world
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ID
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.record import CREATED
from toolkit.fakes.world import World


def call(
    service: str, operation: str, params: dict[str, Any], w: World | None = None, region: str | None = None
) -> dict[str, Any]:
    return (w or World.default()).backend(region).call(service, operation, params)


def error(
    service: str, operation: str, params: dict[str, Any], w: World | None = None, region: str | None = None
) -> AwsError:
    with pytest.raises(AwsError) as caught:
        call(service, operation, params, w, region)
    return caught.value


# -- S3 -----------------------------------------------------------------------------------------------------


def test_s3_bucket_reads() -> None:
    assert call("s3", "HeadBucket", {"Bucket": DEFAULT_BUCKET}) == {
        "BucketRegion": "us-east-1",
        "AccessPointAlias": False,
    }
    assert call("s3", "GetBucketLocation", {"Bucket": DEFAULT_BUCKET}) == {"LocationConstraint": None}
    policy = json.loads(call("s3", "GetBucketPolicy", {"Bucket": DEFAULT_BUCKET})["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == [
        "AWSCloudTrailAclCheck",
        "AWSCloudTrailWrite",
        "AWSCloudTrailOrganizationWrite",
    ]
    listed = call("s3", "ListBuckets", {})
    assert listed["Buckets"] == [{"Name": DEFAULT_BUCKET, "CreationDate": CREATED, "BucketRegion": "us-east-1"}]


def test_s3_errors() -> None:
    assert (
        error("s3", "HeadBucket", {"Bucket": "absent"}).code,
        error("s3", "HeadBucket", {"Bucket": "absent"}).status,
    ) == ("404", 404)
    assert error("s3", "GetBucketPolicy", {"Bucket": "absent"}).code == "NoSuchBucket"
    bare = world(Buckets=[{"Name": "bare-bucket", "Region": "eu-west-1"}])
    assert error("s3", "GetBucketPolicy", {"Bucket": "bare-bucket"}, bare).code == "NoSuchBucketPolicy"
    assert call("s3", "GetBucketLocation", {"Bucket": "bare-bucket"}, bare) == {"LocationConstraint": "eu-west-1"}
    assert error("s3", "PutBucketPolicy", {"Bucket": "bare-bucket", "Policy": "{nope"}, bare).code == "MalformedPolicy"


def test_s3_bucket_policy_can_be_replaced_and_deleted() -> None:
    w = World.default()
    text = json.dumps({"Version": "2012-10-17", "Statement": []})
    call("s3", "PutBucketPolicy", {"Bucket": DEFAULT_BUCKET, "Policy": text}, w)
    assert call("s3", "GetBucketPolicy", {"Bucket": DEFAULT_BUCKET}, w)["Policy"] == text
    with pytest.raises(AwsError, match="Incorrect S3 bucket policy"):
        call("cloudtrail", "CreateTrail", {"Name": "new-trail", "S3BucketName": DEFAULT_BUCKET}, w)
    call("s3", "DeleteBucketPolicy", {"Bucket": DEFAULT_BUCKET}, w)
    assert error("s3", "GetBucketPolicy", {"Bucket": DEFAULT_BUCKET}, w).code == "NoSuchBucketPolicy"


# -- KMS ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key_id", [DEFAULT_KEY_ID, KEY_ARN, "alias/cloudtrail", f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/cloudtrail"]
)
def test_kms_describe_key_by_any_of_its_names(key_id: str) -> None:
    metadata = call("kms", "DescribeKey", {"KeyId": key_id})["KeyMetadata"]
    assert metadata["Arn"] == KEY_ARN
    assert metadata["KeyId"] == DEFAULT_KEY_ID
    assert (metadata["Enabled"], metadata["KeyState"], metadata["KeyManager"]) == (True, "Enabled", "CUSTOMER")
    assert metadata["CreationDate"] == CREATED


@pytest.mark.parametrize(
    ("key_id", "message"),
    [
        ("alias/other", f"Alias arn:aws:kms:us-east-1:{ACCOUNT}:alias/other is not found."),
        (
            "0000abcd-12ab-34cd-56ef-1234567890ab",
            f"Key 'arn:aws:kms:us-east-1:{ACCOUNT}:key/0000abcd-12ab-34cd-56ef-1234567890ab' does not exist",
        ),
        ("not-a-key", "Invalid keyId not-a-key"),
        (
            KEY_ARN.replace("us-east-1", "eu-west-1"),
            f"Key '{KEY_ARN.replace('us-east-1', 'eu-west-1')}' does not exist",
        ),
    ],
)
def test_kms_names_that_name_no_key(key_id: str, message: str) -> None:
    caught = error("kms", "DescribeKey", {"KeyId": key_id})
    assert (caught.code, caught.message) == ("NotFoundException", message)


def test_kms_is_regional() -> None:
    assert error("kms", "DescribeKey", {"KeyId": "alias/cloudtrail"}, region="eu-west-1").code == "NotFoundException"
    assert call("kms", "ListKeys", {}, region="eu-west-1") == {"Keys": [], "Truncated": False}


def test_kms_lists_and_policy() -> None:
    assert call("kms", "ListKeys", {}) == {"Keys": [{"KeyId": DEFAULT_KEY_ID, "KeyArn": KEY_ARN}], "Truncated": False}
    aliases = call("kms", "ListAliases", {})["Aliases"]
    assert [(a["AliasName"], a["AliasArn"], a["TargetKeyId"]) for a in aliases] == [
        ("alias/cloudtrail", f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/cloudtrail", DEFAULT_KEY_ID)
    ]
    assert call("kms", "ListAliases", {"KeyId": DEFAULT_KEY_ID})["Aliases"] == aliases
    policy = call("kms", "GetKeyPolicy", {"KeyId": DEFAULT_KEY_ID})
    assert policy["PolicyName"] == "default" and "cloudtrail.amazonaws.com" in policy["Policy"]
    bare = world(Keys=[{"KeyId": DEFAULT_KEY_ID, "Enabled": False}])
    assert '"kms:*"' in call("kms", "GetKeyPolicy", {"KeyId": DEFAULT_KEY_ID}, bare)["Policy"]
    assert call("kms", "DescribeKey", {"KeyId": DEFAULT_KEY_ID}, bare)["KeyMetadata"]["KeyState"] == "Disabled"


def test_kms_multi_region_key() -> None:
    key_id = "mrk-" + "a" * 32
    metadata = call("kms", "DescribeKey", {"KeyId": key_id}, world(Keys=[{"KeyId": key_id}]))["KeyMetadata"]
    assert metadata["MultiRegion"] is True
    assert metadata["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"


# -- STS, Organizations ---------------------------------------------------------------------------------------


def test_sts_caller_identity() -> None:
    assert call("sts", "GetCallerIdentity", {}) == {
        "UserId": ACCOUNT,
        "Account": ACCOUNT,
        "Arn": f"arn:aws:iam::{ACCOUNT}:root",
    }


def test_organizations() -> None:
    organization = call("organizations", "DescribeOrganization", {})["Organization"]
    assert organization["Id"] == "o-a1b2c3d4e5"
    assert organization["MasterAccountId"] == ACCOUNT
    assert organization["FeatureSet"] == "ALL"
    assert organization["Arn"] == f"arn:aws:organizations::{ACCOUNT}:organization/o-a1b2c3d4e5"
    access = call("organizations", "ListAWSServiceAccessForOrganization", {})
    assert access == {
        "EnabledServicePrincipals": [{"ServicePrincipal": "cloudtrail.amazonaws.com", "DateEnabled": CREATED}]
    }
    alone = world(Organization=None)
    assert error("organizations", "DescribeOrganization", {}, alone).code == "AWSOrganizationsNotInUseException"
    member = world(Organization={"Id": "o-a1b2c3d4e5", "ManagementAccount": "111122223333"})
    assert error("organizations", "ListAWSServiceAccessForOrganization", {}, member).code == "AccessDeniedException"


# -- SNS, Logs, IAM -------------------------------------------------------------------------------------------


def test_sns_logs_iam() -> None:
    w = world(
        Topics=[{"Name": "notices"}],
        LogGroups=[{"Name": "/aws/cloudtrail/main"}, {"Name": "other"}],
        Roles=[{"Name": "ToLogs", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}],
    )
    topic_arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:notices"
    assert call("sns", "ListTopics", {}, w) == {"Topics": [{"TopicArn": topic_arn}]}
    attributes = call("sns", "GetTopicAttributes", {"TopicArn": topic_arn}, w)["Attributes"]
    assert attributes["TopicArn"] == topic_arn and attributes["Owner"] == ACCOUNT
    # SNS's query-protocol codes, as boto3 reports them (client.exceptions.NotFoundException has code NotFound).
    assert error("sns", "GetTopicAttributes", {"TopicArn": topic_arn + "x"}, w).code == "NotFound"
    assert error("sns", "GetTopicAttributes", {"TopicArn": "notices"}, w).code == "InvalidParameter"
    groups = call("logs", "DescribeLogGroups", {"logGroupNamePrefix": "/aws/"}, w)["logGroups"]
    assert [(g["logGroupName"], g["arn"]) for g in groups] == [
        ("/aws/cloudtrail/main", f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/cloudtrail/main:*")
    ]
    assert isinstance(groups[0]["creationTime"], int)
    role = call("iam", "GetRole", {"RoleName": "ToLogs"}, w)["Role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/ToLogs"
    assert role["AssumeRolePolicyDocument"] == {"Version": "2012-10-17", "Statement": []}
    assert role["RoleId"].startswith("AROA") and len(role["RoleId"]) == 21
    assert error("iam", "GetRole", {"RoleName": "absent"}, w).code == "NoSuchEntity"


# -- the backend ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "operation"),
    [("cloudtrail", "CreateEventDataStore"), ("waf", "GetWebACL"), ("s3", "PutBucketWebsite")],
)
def test_an_operation_no_owner_implements_fails_loudly(service: str, operation: str) -> None:
    with pytest.raises(NotModeled) as caught:
        call(service, operation, {"WebACLId": "acl-1"} if service == "waf" else {})
    assert caught.value.code == "NotModeledByFakeWorld"
    assert (caught.value.service, caught.value.operation) == (service, operation)
    assert operation in caught.value.message


def test_a_registered_handler_answers_and_world_copies_keep_it() -> None:
    w = World.default()
    backend = w.backend()
    seen: list[dict[str, Any]] = []

    def describe(params: dict[str, Any]) -> dict[str, Any]:
        seen.append(params)
        return {"Reservations": []}

    backend.register("ec2", "DescribeInstances", describe)
    assert backend.call("ec2", "DescribeInstances", {"MaxResults": 5}) == {"Reservations": []}
    assert w.copy().backend().call("ec2", "DescribeInstances", {}) == {"Reservations": []}
    assert seen == [{"MaxResults": 5}, {}]
    assert World.default().backend().call("ec2", "DescribeInstances", {})["Reservations"] == []  # moto answers


def test_a_registered_handler_can_stand_in_for_a_modelled_operation() -> None:
    w = World.default()

    def throttled(params: dict[str, Any]) -> dict[str, Any]:
        raise AwsError("ThrottlingException", "Rate exceeded")

    w.register("cloudtrail", "StartLogging", throttled)
    assert error("cloudtrail", "StartLogging", {"Name": "main"}, w).code == "ThrottlingException"


def test_the_backend_reports_where_it_runs() -> None:
    backend = world(Account="111122223333", Region="eu-west-1", Partition="aws").backend()
    assert (backend.account, backend.region, backend.partition) == ("111122223333", "eu-west-1", "aws")
    assert backend.in_region("us-west-2").region == "us-west-2"
    assert backend.in_region("us-west-2").world is backend.world
