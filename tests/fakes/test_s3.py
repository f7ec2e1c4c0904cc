"""The fake S3: buckets, their configurations and small objects, through boto3 clients as a script would call them,
and every configuration and object through the world file and back."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.boto import fake_session
from toolkit.fakes.backend import EPOCH
from toolkit.fakes.default import DEFAULT_BUCKET, default_data
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.s3 import OWNER_ID
from toolkit.fakes.s3_access import (
    ALL_USERS,
    LOG_DELIVERY,
)
from toolkit.fakes.s3_rules import (
    derived_id,
    valid_bucket_name,
)
from toolkit.fakes.world import World, WorldError

OWNER_GRANT = {"Grantee": {"ID": OWNER_ID, "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}
SSE_S3 = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}


def world(*buckets: dict[str, Any], **data: Any) -> World:
    return World.from_dict({"Buckets": list(buckets), **data})


def s3(subject: World, region: str | None = None, now: Callable[[], datetime] | None = None) -> Any:
    """A boto3 S3 client on the world (botocore validates and parses as for AWS)."""
    return fake_session(subject.backend(region, now)).client("s3")


def code(call: Callable[[], object]) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])


def answer(response: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def created(name: str = "made-bucket", **params: Any) -> tuple[World, Any]:
    subject = world()
    client = s3(subject)
    client.create_bucket(Bucket=name, **params)
    return subject, client


# -- bucket lifecycle -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_region", "constraint", "expected"),
    [
        ("us-east-1", None, "us-east-1"),
        ("us-east-1", "eu-west-1", "eu-west-1"),  # the global endpoint creates a bucket in any other region
        ("us-east-1", "us-east-1", "InvalidLocationConstraint"),
        ("us-east-1", "mars-north", "InvalidLocationConstraint"),
        ("eu-west-1", "eu-west-1", "eu-west-1"),
        ("eu-west-1", "EU", "eu-west-1"),
        ("eu-west-1", None, "IllegalLocationConstraintException"),
        ("eu-west-1", "us-west-2", "IllegalLocationConstraintException"),
    ],
)
def test_create_bucket_location_constraints(client_region: str, constraint: str | None, expected: str) -> None:
    subject = world()
    client = s3(subject, client_region)
    config = {} if constraint is None else {"CreateBucketConfiguration": {"LocationConstraint": constraint}}
    if expected.islower():
        assert answer(client.create_bucket(Bucket="new-bucket", **config)) == {"Location": "/new-bucket"}
        assert subject.buckets["new-bucket"].region == expected
        location = client.get_bucket_location(Bucket="new-bucket")["LocationConstraint"]
        assert location == (None if expected == "us-east-1" else expected)
    else:
        assert code(lambda: client.create_bucket(Bucket="new-bucket", **config)) == expected
        assert subject.buckets == {}


def test_the_location_errors_word_as_s3() -> None:
    client = s3(world(), "eu-west-1")
    with pytest.raises(ClientError) as caught:
        client.create_bucket(Bucket="new-bucket", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert caught.value.response["Error"]["Message"] == (
        "The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to."
    )


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("abc", True),
        ("my.bucket-1", True),
        ("a" * 63, True),
        ("ab", False),
        ("a" * 64, False),
        ("Bad_Name", False),
        ("-abc", False),
        ("abc-", False),
        ("a..b", False),
        ("192.168.1.1", False),
        ("xn--abc", False),
        ("sthree-abc", False),
        ("amzn-s3-demo-x", False),
        ("abc-s3alias", False),
        ("abc--ol-s3", False),
        ("abc.mrap", False),
        ("abc--x-s3", False),
        ("abc--table-s3", False),
    ],
)
def test_bucket_names(name: str, valid: bool) -> None:
    assert valid_bucket_name(name) is valid
    if not valid and 3 <= len(name) <= 63:
        assert code(lambda: s3(world()).create_bucket(Bucket=name)) == "InvalidBucketName"


def test_creating_an_owned_bucket_again() -> None:
    public = {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}
    subject = world(
        {"Name": "east-bucket", "Acl": {"Grants": [OWNER_GRANT, public]}},
        {"Name": "west-bucket", "Region": "eu-west-1"},
    )
    east, west = s3(subject), s3(subject, "eu-west-1")
    # us-east-1, for legacy compatibility: 200 OK, and the ACL reset (API reference, BucketAlreadyOwnedByYou)
    assert answer(east.create_bucket(Bucket="east-bucket")) == {"Location": "/east-bucket"}
    assert east.get_bucket_acl(Bucket="east-bucket")["Grants"] == [OWNER_GRANT]
    in_eu = {"CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}
    assert code(lambda: west.create_bucket(Bucket="west-bucket", **in_eu)) == "BucketAlreadyOwnedByYou"
    assert code(lambda: east.create_bucket(Bucket="west-bucket")) == "BucketAlreadyOwnedByYou"
    assert code(lambda: west.create_bucket(Bucket="east-bucket", **in_eu)) == "BucketAlreadyOwnedByYou"
    with pytest.raises(AwsError) as caught:
        subject.backend("eu-west-1").call("s3", "CreateBucket", {"Bucket": "west-bucket", **in_eu})
    assert caught.value.status == 409


def test_a_new_bucket_has_s3s_defaults_since_2023() -> None:
    subject, client = created()
    assert client.get_public_access_block(Bucket="made-bucket")["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )
    assert client.get_bucket_ownership_controls(Bucket="made-bucket")["OwnershipControls"] == {
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]
    }
    assert client.get_bucket_encryption(Bucket="made-bucket")["ServerSideEncryptionConfiguration"] == SSE_S3
    assert answer(client.get_bucket_acl(Bucket="made-bucket")) == {"Owner": {"ID": OWNER_ID}, "Grants": [OWNER_GRANT]}
    assert answer(client.get_bucket_versioning(Bucket="made-bucket")) == {}
    assert answer(client.get_bucket_logging(Bucket="made-bucket")) == {}
    assert answer(client.get_bucket_notification_configuration(Bucket="made-bucket")) == {}
    for call, expected in (
        (client.get_bucket_tagging, "NoSuchTagSet"),
        (client.get_bucket_lifecycle_configuration, "NoSuchLifecycleConfiguration"),
        (client.get_object_lock_configuration, "ObjectLockConfigurationNotFoundError"),
        (client.get_bucket_policy, "NoSuchBucketPolicy"),
    ):
        assert code(lambda call=call: call(Bucket="made-bucket")) == expected
    bucket = subject.buckets["made-bucket"]
    assert (bucket.region, bucket.creation_date) == ("us-east-1", EPOCH)


def test_a_world_files_bucket_has_only_what_the_file_says() -> None:
    client = s3(World.default())
    for call, expected in (
        (client.get_public_access_block, "NoSuchPublicAccessBlockConfiguration"),
        (client.get_bucket_ownership_controls, "OwnershipControlsNotFoundError"),
    ):
        assert code(lambda call=call: call(Bucket=DEFAULT_BUCKET)) == expected
    assert client.get_bucket_encryption(Bucket=DEFAULT_BUCKET)["ServerSideEncryptionConfiguration"] == SSE_S3


def test_create_bucket_options() -> None:
    _, client = created(
        "locked-bucket",
        ObjectLockEnabledForBucket=True,
        CreateBucketConfiguration={"Tags": [{"Key": "team", "Value": "security"}]},
    )
    assert client.get_object_lock_configuration(Bucket="locked-bucket")["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled"
    }
    assert answer(client.get_bucket_versioning(Bucket="locked-bucket")) == {"Status": "Enabled"}
    assert client.get_bucket_tagging(Bucket="locked-bucket")["TagSet"] == [{"Key": "team", "Value": "security"}]
    suspend = {"Bucket": "locked-bucket", "VersioningConfiguration": {"Status": "Suspended"}}
    assert code(lambda: client.put_bucket_versioning(**suspend)) == "InvalidBucketState"
    assert code(lambda: client.create_bucket(Bucket="open-bucket", ACL="public-read")) == (
        "InvalidBucketAclWithObjectOwnership"
    )
    client.create_bucket(Bucket="private-bucket", ACL="private")
    client.create_bucket(Bucket="open-bucket", ACL="public-read", ObjectOwnership="ObjectWriter")
    assert client.get_bucket_acl(Bucket="open-bucket")["Grants"] == [
        OWNER_GRANT,
        {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"},
    ]
    grants = {"GrantRead": f'uri="{LOG_DELIVERY}"', "GrantFullControl": f'id="{OWNER_ID}"'}
    assert code(lambda: client.create_bucket(Bucket="grant-bucket", ACL="private", **grants)) == "InvalidRequest"
    client.create_bucket(Bucket="grant-bucket", ObjectOwnership="BucketOwnerPreferred", **grants)
    assert {grant["Permission"] for grant in client.get_bucket_acl(Bucket="grant-bucket")["Grants"]} == {
        "FULL_CONTROL",
        "READ",
    }
    email = {"GrantRead": 'emailAddress="someone@example.com"', "ObjectOwnership": "ObjectWriter"}
    assert code(lambda: client.create_bucket(Bucket="email-bucket", **email)) == "UnresolvableGrantByEmailAddress"
    assert code(
        lambda: client.create_bucket(Bucket="id-bucket", GrantRead='id="nope"', ObjectOwnership="ObjectWriter")
    ) == ("InvalidArgument")


def test_delete_head_and_list_buckets() -> None:
    subject = world(
        {"Name": "alpha-bucket"},
        {"Name": "beta-bucket", "Region": "eu-west-1", "CreationDate": "2025-06-01T00:00:00Z"},
        {"Name": "gamma-bucket", "Objects": [{"Key": "a", "Body": "x"}]},
    )
    client = s3(subject)
    assert answer(client.head_bucket(Bucket="beta-bucket")) == {"BucketRegion": "eu-west-1", "AccessPointAlias": False}
    assert code(lambda: client.head_bucket(Bucket="absent-bucket")) == "404"
    assert code(lambda: client.head_bucket(Bucket="beta-bucket", ExpectedBucketOwner="111122223333")) == "403"
    assert code(lambda: client.get_bucket_versioning(Bucket="beta-bucket", ExpectedBucketOwner="111122223333")) == (
        "AccessDenied"
    )
    listed = client.list_buckets()
    assert [(b["Name"], b["BucketRegion"], b["CreationDate"].year) for b in listed["Buckets"]] == [
        ("alpha-bucket", "us-east-1", 2025),
        ("beta-bucket", "eu-west-1", 2025),
        ("gamma-bucket", "us-east-1", 2025),
    ]
    assert listed["Owner"] == {"ID": OWNER_ID} and "ContinuationToken" not in listed
    assert [b["Name"] for b in client.list_buckets(BucketRegion="eu-west-1")["Buckets"]] == ["beta-bucket"]
    assert [b["Name"] for b in client.list_buckets(Prefix="g")["Buckets"]] == ["gamma-bucket"]
    pages = client.get_paginator("list_buckets").paginate(PaginationConfig={"PageSize": 2})
    assert [[b["Name"] for b in page["Buckets"]] for page in pages] == [
        ["alpha-bucket", "beta-bucket"],
        ["gamma-bucket"],
    ]
    assert code(lambda: client.delete_bucket(Bucket="gamma-bucket")) == "BucketNotEmpty"
    assert code(lambda: client.delete_bucket(Bucket="absent-bucket")) == "NoSuchBucket"
    client.delete_bucket(Bucket="alpha-bucket")
    assert sorted(subject.buckets) == ["beta-bucket", "gamma-bucket"]


# -- the buckets of the world's other accounts (one global namespace) --------------------------------------------

OTHER_ACCOUNT = "222233334444"


def two_accounts() -> World:
    """The world's account with ``own-bucket``; another account of the world with ``archive-bucket``."""
    return world(
        {"Name": "own-bucket"},
        Accounts={OTHER_ACCOUNT: {"Buckets": [{"Name": "archive-bucket", "Region": "eu-west-1"}]}},
    )


def test_expected_bucket_owner_is_the_account_that_owns_the_bucket() -> None:
    """A request names a bucket of any account; ExpectedBucketOwner must be its owner's id, else 403 AccessDenied
    "Access Denied" (API reference: "If the account ID that you provide does not match the actual owner of the
    bucket, the request fails with the HTTP status code 403 Forbidden (access denied)")."""
    subject = two_accounts()
    client = s3(subject)
    for bucket, owner, other in (
        ("own-bucket", "123456789012", OTHER_ACCOUNT),
        ("archive-bucket", OTHER_ACCOUNT, "123456789012"),
    ):
        location = client.get_bucket_location(Bucket=bucket, ExpectedBucketOwner=owner)["LocationConstraint"]
        assert location == (None if bucket == "own-bucket" else "eu-west-1")
        assert client.head_bucket(Bucket=bucket, ExpectedBucketOwner=owner)["BucketRegion"] in (
            "us-east-1",
            "eu-west-1",
        )
        with pytest.raises(ClientError) as caught:
            client.get_bucket_location(Bucket=bucket, ExpectedBucketOwner=other)
        error = caught.value.response
        assert (error["Error"]["Code"], error["Error"]["Message"]) == ("AccessDenied", "Access Denied")
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert code(
            lambda bucket=bucket, other=other: client.head_bucket(Bucket=bucket, ExpectedBucketOwner=other)
        ) == ("403")
        assert code(
            lambda bucket=bucket, other=other: client.get_bucket_policy(Bucket=bucket, ExpectedBucketOwner=other)
        ) == ("AccessDenied")
    assert code(lambda: client.get_bucket_location(Bucket="absent-bucket", ExpectedBucketOwner=OTHER_ACCOUNT)) == (
        "NoSuchBucket"
    )


def test_another_accounts_bucket_is_changed_in_that_account() -> None:
    """A write to another account's bucket (IAM not checked here) changes that account's bucket; ListBuckets lists
    only the caller's own; the name cannot be created again by anyone (BucketAlreadyExists, 409)."""
    subject = two_accounts()
    client = s3(subject)
    client.put_bucket_versioning(Bucket="archive-bucket", VersioningConfiguration={"Status": "Enabled"})
    assert subject.accounts[OTHER_ACCOUNT].buckets["archive-bucket"].versioning == {"Status": "Enabled"}
    assert "archive-bucket" not in subject.buckets
    assert [bucket["Name"] for bucket in client.list_buckets()["Buckets"]] == ["own-bucket"]
    with pytest.raises(ClientError) as caught:
        s3(subject, "eu-west-1").create_bucket(
            Bucket="archive-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
    error = caught.value.response
    assert error["Error"]["Code"] == "BucketAlreadyExists"
    assert error["Error"]["Message"].startswith("The requested bucket name is not available.")
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 409
    client.delete_bucket(Bucket="archive-bucket")
    assert subject.accounts[OTHER_ACCOUNT].buckets == {} and sorted(subject.buckets) == ["own-bucket"]


# -- bucket configurations ------------------------------------------------------------------------------------


def test_versioning_and_mfa_delete() -> None:
    _, client = created()
    put = client.put_bucket_versioning
    put(Bucket="made-bucket", VersioningConfiguration={"Status": "Suspended"})
    assert answer(client.get_bucket_versioning(Bucket="made-bucket")) == {"Status": "Suspended"}
    mfa_on = {"Status": "Enabled", "MFADelete": "Enabled"}
    assert code(lambda: put(Bucket="made-bucket", VersioningConfiguration=mfa_on)) == "AccessDenied"
    put(Bucket="made-bucket", VersioningConfiguration=mfa_on, MFA="arn:aws:iam::123456789012:mfa/root 123456")
    assert answer(client.get_bucket_versioning(Bucket="made-bucket")) == mfa_on
    suspend = {"Status": "Suspended"}
    assert code(lambda: put(Bucket="made-bucket", VersioningConfiguration=suspend)) == "AccessDenied"
    put(Bucket="made-bucket", VersioningConfiguration={**suspend, "MFADelete": "Disabled"}, MFA="serial 654321")
    assert answer(client.get_bucket_versioning(Bucket="made-bucket")) == {
        "Status": "Suspended",
        "MFADelete": "Disabled",
    }
    assert code(lambda: put(Bucket="made-bucket", VersioningConfiguration={"Status": "On"})) == "MalformedXML"
    assert code(lambda: put(Bucket="made-bucket", VersioningConfiguration={})) == (
        "IllegalVersioningConfigurationException"
    )


def test_default_encryption() -> None:
    _, client = created()
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/x"}}]}
    client.put_bucket_encryption(Bucket="made-bucket", ServerSideEncryptionConfiguration=kms)
    assert client.get_bucket_encryption(Bucket="made-bucket")["ServerSideEncryptionConfiguration"] == {
        "Rules": [{**kms["Rules"][0], "BucketKeyEnabled": False}]
    }
    client.delete_bucket_encryption(Bucket="made-bucket")
    # DeleteBucketEncryption "resets the default encryption for the bucket as SSE-S3" (API reference)
    assert client.get_bucket_encryption(Bucket="made-bucket")["ServerSideEncryptionConfiguration"] == SSE_S3
    wrong = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}}]}
    assert code(
        lambda: client.put_bucket_encryption(Bucket="made-bucket", ServerSideEncryptionConfiguration=wrong)
    ) == ("InvalidArgument")
    for bad in ({"Rules": []}, {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "ROT13"}}]}):
        assert code(
            lambda bad=bad: client.put_bucket_encryption(Bucket="made-bucket", ServerSideEncryptionConfiguration=bad)
        ) == ("MalformedXML")


def test_public_access_block() -> None:
    _, client = created()
    client.delete_public_access_block(Bucket="made-bucket")
    assert code(lambda: client.get_public_access_block(Bucket="made-bucket")) == "NoSuchPublicAccessBlockConfiguration"
    client.delete_public_access_block(Bucket="made-bucket")  # nothing to delete is no error
    assert code(lambda: client.put_public_access_block(Bucket="made-bucket", PublicAccessBlockConfiguration={})) == (
        "InvalidRequest"
    )
    client.put_public_access_block(Bucket="made-bucket", PublicAccessBlockConfiguration={"BlockPublicPolicy": True})
    assert client.get_public_access_block(Bucket="made-bucket")["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": False,
        "IgnorePublicAcls": False,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": False,
    }


def test_a_public_policy_is_blocked_by_block_public_policy() -> None:
    _, client = created()
    public = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::made-bucket/*",
                }
            ],
        }
    )
    narrowed = json.loads(public)
    narrowed["Statement"][0]["Condition"] = {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    with pytest.raises(ClientError) as caught:
        client.put_bucket_policy(Bucket="made-bucket", Policy=public)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert "blocked by the BlockPublicPolicy block public access setting" in caught.value.response["Error"]["Message"]
    client.put_bucket_policy(Bucket="made-bucket", Policy=json.dumps(narrowed))
    client.put_public_access_block(Bucket="made-bucket", PublicAccessBlockConfiguration={"BlockPublicAcls": True})
    client.put_bucket_policy(Bucket="made-bucket", Policy=public)
    assert client.get_bucket_policy(Bucket="made-bucket")["Policy"] == public


def test_acls_and_ownership_controls() -> None:
    subject, client = created()
    assert code(lambda: client.put_bucket_acl(Bucket="made-bucket", ACL="public-read")) == (
        "AccessControlListNotSupported"
    )
    client.put_bucket_acl(Bucket="made-bucket", ACL="private")
    client.put_bucket_ownership_controls(
        Bucket="made-bucket", OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    assert code(lambda: client.put_bucket_acl(Bucket="made-bucket", ACL="public-read")) == "AccessDenied"
    client.delete_public_access_block(Bucket="made-bucket")
    client.put_bucket_acl(Bucket="made-bucket", ACL="public-read")
    public = [OWNER_GRANT, {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}]
    assert client.get_bucket_acl(Bucket="made-bucket")["Grants"] == public
    enforced = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert code(lambda: client.put_bucket_ownership_controls(Bucket="made-bucket", OwnershipControls=enforced)) == (
        "InvalidBucketAclWithObjectOwnership"
    )
    policy = {"Owner": {"ID": OWNER_ID}, "Grants": [OWNER_GRANT]}
    client.put_bucket_acl(Bucket="made-bucket", AccessControlPolicy=policy)
    client.put_bucket_ownership_controls(Bucket="made-bucket", OwnershipControls=enforced)
    client.delete_bucket_ownership_controls(Bucket="made-bucket")
    assert code(lambda: client.get_bucket_ownership_controls(Bucket="made-bucket")) == "OwnershipControlsNotFoundError"
    assert code(lambda: client.put_bucket_acl(Bucket="made-bucket")) == "MissingSecurityHeader"
    assert code(lambda: client.put_bucket_acl(Bucket="made-bucket", AccessControlPolicy={"Grants": []})) == (
        "MalformedACLError"
    )
    assert subject.buckets["made-bucket"].acl is None


def test_grant_headers_take_values_quoted_or_not() -> None:
    """S3's API reference quotes each grantee's value; the AWS CLI's example (awscli/examples/s3api/
    put-bucket-acl.rst) and AWS Automated Security Response's runbooks send them unquoted, in any case, and S3
    accepts that."""
    log_delivery = [
        {"Grantee": {"Type": "Group", "URI": LOG_DELIVERY}, "Permission": "READ_ACP"},
        {"Grantee": {"Type": "Group", "URI": LOG_DELIVERY}, "Permission": "WRITE"},
    ]
    _, client = created("logs-bucket", ACL="private", ObjectOwnership="ObjectWriter")
    client.put_bucket_acl(Bucket="logs-bucket", GrantReadACP=f"uri={LOG_DELIVERY}", GrantWrite=f"uri={LOG_DELIVERY}")
    assert client.get_bucket_acl(Bucket="logs-bucket")["Grants"] == log_delivery
    client.create_bucket(
        Bucket="asr-access-logs",
        GrantWrite=f"uri={LOG_DELIVERY}",
        GrantReadACP=f"URI={LOG_DELIVERY}",
        ObjectOwnership="ObjectWriter",
    )
    assert client.get_bucket_acl(Bucket="asr-access-logs")["Grants"] == log_delivery
    client.put_bucket_acl(Bucket="logs-bucket", GrantFullControl=f"ID={OWNER_ID}")
    assert client.get_bucket_acl(Bucket="logs-bucket")["Grants"] == [OWNER_GRANT]
    for bad in (f"uri {LOG_DELIVERY}", "uri=", f'uri="{LOG_DELIVERY}', f"group={LOG_DELIVERY}"):
        assert code(lambda bad=bad: client.put_bucket_acl(Bucket="logs-bucket", GrantRead=bad)) == "InvalidArgument"
    assert code(lambda: client.put_bucket_acl(Bucket="logs-bucket", GrantRead="uri=http://example.com/x")) == (
        "InvalidArgument"
    )


def test_acls_read_back_as_the_owners_alone_once_acls_are_disabled() -> None:
    subject = world(
        {
            "Name": "old-bucket",
            "Acl": {"Grants": [OWNER_GRANT, {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}]},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        }
    )
    assert s3(subject).get_bucket_acl(Bucket="old-bucket")["Grants"] == [OWNER_GRANT]


def test_logging() -> None:
    log_grants = [
        {"Grantee": {"Type": "Group", "URI": LOG_DELIVERY}, "Permission": permission}
        for permission in ("WRITE", "READ_ACP")
    ]
    subject = world(
        {"Name": "source-bucket"},
        {"Name": "acl-logs", "Acl": {"Grants": [OWNER_GRANT, *log_grants]}},
        {"Name": "plain-logs"},
        {"Name": "enforced-logs", "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
        {
            "Name": "policy-logs",
            "Policy": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "logging.s3.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": "arn:aws:s3:::policy-logs/*",
                    }
                ],
            },
        },
        {"Name": "far-logs", "Region": "eu-west-1"},
    )
    client = s3(subject)

    def enable(target: str) -> object:
        status = {"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "logs/"}}
        return client.put_bucket_logging(Bucket="source-bucket", BucketLoggingStatus=status)

    assert code(lambda: enable("absent-logs")) == "InvalidTargetBucketForLogging"
    assert code(lambda: enable("far-logs")) == "CrossLocationLoggingProhibited"
    assert code(lambda: enable("plain-logs")) == "InvalidTargetBucketForLogging"
    for target in ("acl-logs", "enforced-logs", "policy-logs"):
        enable(target)
        assert client.get_bucket_logging(Bucket="source-bucket")["LoggingEnabled"] == {
            "TargetBucket": target,
            "TargetPrefix": "logs/",
        }
    client.put_bucket_logging(Bucket="source-bucket", BucketLoggingStatus={})
    assert answer(client.get_bucket_logging(Bucket="source-bucket")) == {}


def test_lifecycle() -> None:
    _, client = created()
    rule = {"Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}}
    response = client.put_bucket_lifecycle_configuration(Bucket="made-bucket", LifecycleConfiguration={"Rules": [rule]})
    assert response["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    got = answer(client.get_bucket_lifecycle_configuration(Bucket="made-bucket"))
    rule_id = derived_id("lifecycle", "made-bucket", 0, rule)
    assert got == {"Rules": [{**rule, "ID": rule_id}], "TransitionDefaultMinimumObjectSize": "all_storage_classes_128K"}
    put = client.put_bucket_lifecycle_configuration
    for rules, expected in (
        ([{"Status": "Enabled", "Filter": {}}], "InvalidRequest"),
        ([{**rule, "ID": "a"}, {**rule, "ID": "a"}], "InvalidArgument"),
        ([{"Status": "Enabled", "Expiration": {"Days": 1}}], "MalformedXML"),
        ([{**rule, "Expiration": {"Days": 0}}], "InvalidArgument"),
    ):
        assert code(lambda rules=rules: put(Bucket="made-bucket", LifecycleConfiguration={"Rules": rules})) == expected
    put(
        Bucket="made-bucket",
        LifecycleConfiguration={"Rules": [{**rule, "ID": "expire"}]},
        TransitionDefaultMinimumObjectSize="varies_by_storage_class",
    )
    assert client.get_bucket_lifecycle_configuration(Bucket="made-bucket")["Rules"][0]["ID"] == "expire"
    client.delete_bucket_lifecycle(Bucket="made-bucket")
    assert code(lambda: client.get_bucket_lifecycle_configuration(Bucket="made-bucket")) == (
        "NoSuchLifecycleConfiguration"
    )


def test_tagging() -> None:
    _, client = created()
    tag_set = [{"Key": "team", "Value": "security"}, {"Key": "cost", "Value": ""}]
    client.put_bucket_tagging(Bucket="made-bucket", Tagging={"TagSet": tag_set})
    assert client.get_bucket_tagging(Bucket="made-bucket")["TagSet"] == tag_set
    put = client.put_bucket_tagging
    for tags in ([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}], [{"Key": "aws:x", "Value": "1"}]):
        assert code(lambda tags=tags: put(Bucket="made-bucket", Tagging={"TagSet": tags})) == "InvalidTag"
    assert code(
        lambda: put(Bucket="made-bucket", Tagging={"TagSet": [{"Key": str(n), "Value": ""} for n in range(51)]})
    ) == ("InvalidTag")
    put(Bucket="made-bucket", Tagging={"TagSet": []})
    assert code(lambda: client.get_bucket_tagging(Bucket="made-bucket")) == "NoSuchTagSet"
    put(Bucket="made-bucket", Tagging={"TagSet": tag_set})
    client.delete_bucket_tagging(Bucket="made-bucket")
    assert code(lambda: client.get_bucket_tagging(Bucket="made-bucket")) == "NoSuchTagSet"


def test_notifications_check_their_topics() -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:uploads"
    allow_s3 = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "SNS:Publish",
                "Resource": topic,
            }
        ],
    }
    subject = world({"Name": "made-bucket"}, Topics=[{"Name": "uploads", "Policy": allow_s3}, {"Name": "closed"}])
    client = s3(subject)
    config = {"TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}]}
    client.put_bucket_notification_configuration(Bucket="made-bucket", NotificationConfiguration=config)
    got = answer(client.get_bucket_notification_configuration(Bucket="made-bucket"))
    (entry,) = got["TopicConfigurations"]
    assert entry["TopicArn"] == topic and entry["Events"] == ["s3:ObjectCreated:*"] and len(entry["Id"]) == 48
    put = client.put_bucket_notification_configuration
    for arn in (topic.replace("uploads", "closed"), topic.replace("uploads", "absent")):
        other = {"TopicConfigurations": [{"TopicArn": arn, "Events": ["s3:ObjectCreated:*"]}]}
        with pytest.raises(ClientError) as caught:
            put(Bucket="made-bucket", NotificationConfiguration=other)
        assert (
            caught.value.response["Error"]["Message"] == "Unable to validate the following destination configurations"
        )
        put(Bucket="made-bucket", NotificationConfiguration=other, SkipDestinationValidation=True)
    wrong = {"TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:Nothing"]}]}
    assert code(lambda: put(Bucket="made-bucket", NotificationConfiguration=wrong)) == "InvalidArgument"
    put(Bucket="made-bucket", NotificationConfiguration={"EventBridgeConfiguration": {}})
    assert answer(client.get_bucket_notification_configuration(Bucket="made-bucket")) == {
        "EventBridgeConfiguration": {}
    }
    put(Bucket="made-bucket", NotificationConfiguration={})
    assert answer(client.get_bucket_notification_configuration(Bucket="made-bucket")) == {}


def test_object_lock_on_an_existing_bucket_needs_versioning() -> None:
    _, client = created()
    enabled = {"ObjectLockEnabled": "Enabled"}
    assert code(
        lambda: client.put_object_lock_configuration(Bucket="made-bucket", ObjectLockConfiguration=enabled)
    ) == ("InvalidBucketState")
    client.put_bucket_versioning(Bucket="made-bucket", VersioningConfiguration={"Status": "Enabled"})
    retention = {**enabled, "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}}
    client.put_object_lock_configuration(Bucket="made-bucket", ObjectLockConfiguration=retention)
    assert client.get_object_lock_configuration(Bucket="made-bucket")["ObjectLockConfiguration"] == retention
    put = client.put_object_lock_configuration
    for bad, expected in (
        ({**enabled, "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}}, "MalformedXML"),
        ({**enabled, "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 0}}}, "InvalidArgument"),
        ({**enabled, "Rule": {"DefaultRetention": {"Mode": "FOREVER", "Days": 1}}}, "MalformedXML"),
        ({"ObjectLockEnabled": "Disabled"}, "MalformedXML"),
    ):
        assert code(lambda bad=bad: put(Bucket="made-bucket", ObjectLockConfiguration=bad)) == expected


# -- objects --------------------------------------------------------------------------------------------------


def test_put_get_head_and_delete_an_object() -> None:
    subject, client = created()
    put = client.put_object(
        Bucket="made-bucket",
        Key="reports/a.json",
        Body=b'{"ok": true}',
        ContentType="application/json",
        Metadata={"Run": "1"},
        Tagging="team=security&cost=",
        CacheControl="no-cache",
    )
    etag = '"' + hashlib.md5(b'{"ok": true}').hexdigest() + '"'
    assert answer(put) == {"ETag": etag, "ServerSideEncryption": "AES256"}
    got = client.get_object(Bucket="made-bucket", Key="reports/a.json")
    assert got["Body"] == b'{"ok": true}'  # bytes: what botocore would wrap in a StreamingBody
    assert (got["ContentType"], got["ContentLength"], got["ETag"], got["Metadata"], got["TagCount"]) == (
        "application/json",
        12,
        put["ETag"],
        {"run": "1"},
        2,
    )
    assert (got["LastModified"], got["CacheControl"], got["ServerSideEncryption"]) == (EPOCH, "no-cache", "AES256")
    head = answer(client.head_object(Bucket="made-bucket", Key="reports/a.json"))
    assert head == {key: value for key, value in answer(got).items() if key not in ("Body", "TagCount")}
    assert code(lambda: client.get_object(Bucket="made-bucket", Key="absent")) == "NoSuchKey"
    assert code(lambda: client.head_object(Bucket="made-bucket", Key="absent")) == "404"
    assert code(lambda: client.get_object(Bucket="absent-bucket", Key="a")) == "NoSuchBucket"
    assert answer(client.delete_object(Bucket="made-bucket", Key="absent")) == {}
    assert answer(client.delete_object(Bucket="made-bucket", Key="reports/a.json")) == {}
    assert subject.buckets["made-bucket"].objects == {}


def test_object_reads_by_range_and_conditions() -> None:
    _, client = created()
    etag = client.put_object(Bucket="made-bucket", Key="k", Body=b"0123456789")["ETag"]
    get = client.get_object
    assert get(Bucket="made-bucket", Key="k", Range="bytes=2-4")["Body"] == b"234"
    assert get(Bucket="made-bucket", Key="k", Range="bytes=7-")["ContentRange"] == "bytes 7-9/10"
    assert get(Bucket="made-bucket", Key="k", Range="bytes=-3")["Body"] == b"789"
    assert get(Bucket="made-bucket", Key="k", Range="lines=1-2")["Body"] == b"0123456789"
    assert code(lambda: get(Bucket="made-bucket", Key="k", Range="bytes=10-")) == "InvalidRange"
    assert get(Bucket="made-bucket", Key="k", IfMatch=etag)["ETag"] == etag
    assert code(lambda: get(Bucket="made-bucket", Key="k", IfMatch='"other"')) == "PreconditionFailed"
    assert code(lambda: client.head_object(Bucket="made-bucket", Key="k", IfMatch='"other"')) == "412"
    assert code(lambda: get(Bucket="made-bucket", Key="k", IfNoneMatch=etag)) == "304"
    assert code(lambda: get(Bucket="made-bucket", Key="k", IfModifiedSince=EPOCH)) == "304"
    assert code(lambda: get(Bucket="made-bucket", Key="k", IfUnmodifiedSince=EPOCH - timedelta(days=1))) == (
        "PreconditionFailed"
    )
    assert get(Bucket="made-bucket", Key="k", ResponseContentType="text/plain")["ContentType"] == "text/plain"
    assert code(lambda: client.put_object(Bucket="made-bucket", Key="k", Body=b"x", IfNoneMatch="*")) == (
        "PreconditionFailed"
    )
    assert code(lambda: client.delete_object(Bucket="made-bucket", Key="k", IfMatch='"other"')) == "PreconditionFailed"


def test_put_object_checks_acls_storage_and_encryption() -> None:
    subject, client = created()
    put = client.put_object
    assert code(lambda: put(Bucket="made-bucket", Key="k", Body=b"", ACL="public-read")) == (
        "AccessControlListNotSupported"
    )
    put(Bucket="made-bucket", Key="k", Body=b"", ACL="bucket-owner-full-control")
    put(Bucket="made-bucket", Key="cold", Body=b"x", StorageClass="GLACIER")
    assert code(lambda: client.get_object(Bucket="made-bucket", Key="cold")) == "InvalidObjectState"
    assert client.head_object(Bucket="made-bucket", Key="cold")["StorageClass"] == "GLACIER"
    assert code(lambda: put(Bucket="made-bucket", Key="k", Body=b"", StorageClass="SHELF")) == "InvalidStorageClass"
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "key-1"}}]}
    client.put_bucket_encryption(Bucket="made-bucket", ServerSideEncryptionConfiguration=kms)
    written = put(Bucket="made-bucket", Key="secret", Body=b"s")
    assert (written["ServerSideEncryption"], written["SSEKMSKeyId"]) == ("aws:kms", "key-1")
    assert put(Bucket="made-bucket", Key="plain", Body=b"p", ServerSideEncryption="AES256")["ServerSideEncryption"] == (
        "AES256"
    )
    assert code(lambda: put(Bucket="made-bucket", Key="k", Body=b"", SSEKMSKeyId="key-1")) == "InvalidArgument"
    assert code(lambda: put(Bucket="made-bucket", Key="k" * 1025, Body=b"")) == "KeyTooLongError"
    with pytest.raises(NotModeled):
        subject.backend().call("s3", "PutObject", {"Bucket": "made-bucket", "Key": "k", "SSECustomerKey": "x"})


def test_a_text_body_is_read_as_base64_as_the_simulator_sends_bytes() -> None:
    subject, _ = created()
    backend = subject.backend()
    backend.call(
        "s3", "PutObject", {"Bucket": "made-bucket", "Key": "k", "Body": base64.b64encode(b"\x00\xff").decode()}
    )
    assert backend.call("s3", "GetObject", {"Bucket": "made-bucket", "Key": "k"})["Body"] == b"\x00\xff"
    with pytest.raises(AwsError) as caught:
        backend.call("s3", "PutObject", {"Bucket": "made-bucket", "Key": "k", "Body": "not base64!"})
    assert caught.value.code == "InvalidArgument"


def test_versioned_objects_keep_their_versions() -> None:
    clock = iter(EPOCH + timedelta(seconds=n) for n in range(100))
    subject = world({"Name": "versioned-bucket", "Versioning": {"Status": "Enabled"}})
    client = s3(subject, now=lambda: next(clock))
    first = client.put_object(Bucket="versioned-bucket", Key="k", Body=b"one")["VersionId"]
    second = client.put_object(Bucket="versioned-bucket", Key="k", Body=b"two")["VersionId"]
    assert len({first, second}) == 2 and len(first) == 32
    assert client.get_object(Bucket="versioned-bucket", Key="k")["Body"] == b"two"
    assert client.get_object(Bucket="versioned-bucket", Key="k", VersionId=first)["Body"] == b"one"
    deleted = answer(client.delete_object(Bucket="versioned-bucket", Key="k"))
    assert deleted["DeleteMarker"] is True and deleted["VersionId"] not in (first, second)
    assert code(lambda: client.get_object(Bucket="versioned-bucket", Key="k")) == "NoSuchKey"
    assert code(lambda: client.get_object(Bucket="versioned-bucket", Key="k", VersionId=deleted["VersionId"])) == (
        "MethodNotAllowed"
    )
    assert code(lambda: client.get_object(Bucket="versioned-bucket", Key="k", VersionId="x" * 32)) == "NoSuchVersion"
    assert "Contents" not in client.list_objects_v2(Bucket="versioned-bucket")
    assert code(lambda: client.delete_bucket(Bucket="versioned-bucket")) == "BucketNotEmpty"
    assert client.delete_object(Bucket="versioned-bucket", Key="k", VersionId=deleted["VersionId"])["DeleteMarker"]
    assert client.get_object(Bucket="versioned-bucket", Key="k")["VersionId"] == second
    client.delete_object(Bucket="versioned-bucket", Key="k", VersionId=second)
    assert client.get_object(Bucket="versioned-bucket", Key="k")["Body"] == b"one"
    client.delete_object(Bucket="versioned-bucket", Key="k", VersionId=first)
    client.delete_bucket(Bucket="versioned-bucket")


def test_a_suspended_bucket_writes_the_null_version() -> None:
    subject = world(
        {
            "Name": "suspended-bucket",
            "Versioning": {"Status": "Suspended"},
            "Objects": [{"Key": "k", "Body": "old", "VersionId": "abc"}, {"Key": "k", "Body": "null one"}],
        }
    )
    client = s3(subject)
    assert "VersionId" not in client.put_object(Bucket="suspended-bucket", Key="k", Body=b"new")
    assert [v.body for v in subject.buckets["suspended-bucket"].objects["k"]] == [b"old", b"new"]
    assert answer(client.delete_object(Bucket="suspended-bucket", Key="k")) == {
        "DeleteMarker": True,
        "VersionId": "null",
    }
    assert client.get_object(Bucket="suspended-bucket", Key="k", VersionId="abc")["Body"] == b"old"


def test_object_lock_retention_protects_versions() -> None:
    now = [EPOCH]
    subject = world(
        {
            "Name": "locked-bucket",
            "Versioning": {"Status": "Enabled"},
            "ObjectLock": {
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}},
            },
        }
    )
    client = s3(subject, now=lambda: now[0])
    version = client.put_object(Bucket="locked-bucket", Key="k", Body=b"kept")["VersionId"]
    assert code(lambda: client.delete_object(Bucket="locked-bucket", Key="k", VersionId=version)) == "AccessDenied"
    client.delete_object(Bucket="locked-bucket", Key="k")  # a delete marker is always allowed
    other = client.put_object(Bucket="locked-bucket", Key="j", Body=b"j")["VersionId"]
    client.delete_object(Bucket="locked-bucket", Key="j", VersionId=other, BypassGovernanceRetention=True)
    now[0] = EPOCH + timedelta(days=1)
    client.delete_object(Bucket="locked-bucket", Key="k", VersionId=version)
    assert [v.delete_marker for v in subject.buckets["locked-bucket"].objects["k"]] == [True]


def test_list_objects_v2() -> None:
    keys = ["a/1", "a/2", "a/b/3", "b", "c d/4", "c+e", "z"]
    subject = world({"Name": "listed-bucket", "Objects": [{"Key": key, "Body": key} for key in keys]})
    client = s3(subject)
    listed = client.list_objects_v2(Bucket="listed-bucket")
    assert [item["Key"] for item in listed["Contents"]] == keys
    assert (listed["KeyCount"], listed["IsTruncated"], listed["MaxKeys"], listed["Prefix"]) == (7, False, 1000, "")
    by_folder = client.list_objects_v2(Bucket="listed-bucket", Delimiter="/")
    assert [item["Key"] for item in by_folder["Contents"]] == ["b", "c+e", "z"]
    assert by_folder["CommonPrefixes"] == [{"Prefix": "a/"}, {"Prefix": "c d/"}]
    inside = client.list_objects_v2(Bucket="listed-bucket", Prefix="a/", Delimiter="/")
    assert ([i["Key"] for i in inside["Contents"]], inside["CommonPrefixes"]) == (["a/1", "a/2"], [{"Prefix": "a/b/"}])
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket="listed-bucket", Delimiter="/", PaginationConfig={"PageSize": 2}
    )
    seen = [
        sorted([*(i["Key"] for i in page.get("Contents", [])), *(p["Prefix"] for p in page.get("CommonPrefixes", []))])
        for page in pages
    ]
    assert seen == [["a/", "b"], ["c d/", "c+e"], ["z"]]
    assert [i["Key"] for i in client.list_objects_v2(Bucket="listed-bucket", StartAfter="b")["Contents"]] == keys[4:]
    raw = subject.backend().call(
        "s3", "ListObjectsV2", {"Bucket": "listed-bucket", "Prefix": "c", "EncodingType": "url"}
    )
    assert [item["Key"] for item in raw["Contents"]] == ["c%20d/4", "c%2Be"]
    owner = client.list_objects_v2(Bucket="listed-bucket", MaxKeys=1, FetchOwner=True)
    assert owner["Contents"][0]["Owner"] == {"ID": OWNER_ID} and owner["IsTruncated"]
    assert code(lambda: client.list_objects_v2(Bucket="listed-bucket", ContinuationToken="!!")) == "InvalidArgument"


def test_pages_hold_max_keys_entries_with_each_common_prefix_counted_once() -> None:
    subject = world({"Name": "listed-bucket", "Objects": [{"Key": k, "Body": ""} for k in ("a/1", "a/2", "b", "c")]})
    client = s3(subject)
    first = client.list_objects_v2(Bucket="listed-bucket", Delimiter="/", MaxKeys=2)
    assert (first["CommonPrefixes"], [i["Key"] for i in first["Contents"]], first["KeyCount"]) == (
        [{"Prefix": "a/"}],
        ["b"],
        2,
    )
    rest = client.list_objects_v2(
        Bucket="listed-bucket", Delimiter="/", MaxKeys=2, ContinuationToken=first["NextContinuationToken"]
    )
    assert [i["Key"] for i in rest["Contents"]] == ["c"] and not rest["IsTruncated"]


def test_unmodelled_s3_operations_fail_loudly() -> None:
    for operation in (
        "ListObjectVersions",
        "CopyObject",
        "PutBucketWebsite",
        "GetBucketReplication",
        "PutBucketLifecycle",
    ):
        with pytest.raises(NotModeled):
            World.default().backend().call("s3", operation, {"Bucket": DEFAULT_BUCKET})


# -- the world file -------------------------------------------------------------------------------------------


def rich_bucket() -> dict[str, Any]:
    """A bucket with every configuration set and objects of every kind."""
    return {
        "Name": "rich-bucket",
        "Region": "eu-west-1",
        "Policy": {"Version": "2012-10-17", "Statement": []},
        "CreationDate": "2025-03-01T10:00:00Z",
        "Versioning": {"Status": "Enabled", "MFADelete": "Disabled"},
        "Encryption": {
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/logs"},
                    "BucketKeyEnabled": True,
                }
            ]
        },
        "PublicAccessBlock": dict.fromkeys(
            ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
        ),
        "Acl": {"Grants": [OWNER_GRANT, {"Grantee": {"Type": "Group", "URI": LOG_DELIVERY}, "Permission": "WRITE"}]},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]},
        "Logging": {"TargetBucket": "rich-bucket", "TargetPrefix": "self/"},
        "Lifecycle": {
            "Rules": [
                {
                    "ID": "old",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                }
            ],
            "TransitionDefaultMinimumObjectSize": "varies_by_storage_class",
        },
        "Tags": {"team": "security"},
        "Notifications": {"EventBridgeConfiguration": {}},
        "ObjectLock": {
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 1}},
        },
        "Objects": [
            {"Key": "bin", "BodyBase64": base64.b64encode(bytes(range(256))).decode(), "VersionId": "v1"},
            {"Key": "bin", "DeleteMarker": True, "VersionId": "v2"},
            {
                "Key": "text.txt",
                "Body": "hello\r\nworld\n",
                "ContentType": "text/plain",
                "VersionId": "v3",
                "LastModified": "2025-04-01T00:00:00Z",
                "Metadata": {"run": "7"},
                "StorageClass": "STANDARD_IA",
                "ServerSideEncryption": "aws:kms",
                "SSEKMSKeyId": "alias/logs",
                "BucketKeyEnabled": True,
                "Tags": {"k": "v"},
                "CacheControl": "no-cache",
                "ContentDisposition": "inline",
                "ContentEncoding": "gzip",
                "ContentLanguage": "en",
                "Expires": "2030-01-01T00:00:00Z",
                "WebsiteRedirectLocation": "/other",
            },
        ],
    }


def test_every_configuration_and_object_round_trips(tmp_path: Path) -> None:
    subject = world(rich_bucket())
    data = subject.to_dict()
    assert World.from_dict(data).to_dict() == data
    bucket = data["Buckets"][0]
    assert [(o["Key"], o["Body"] is None, o["BodyBase64"] is None) for o in bucket["Objects"]] == [
        ("bin", True, False),
        ("bin", False, True),
        ("text.txt", False, True),
    ]
    for suffix in (".json", ".yaml"):
        subject.dump(tmp_path / f"world{suffix}")
        assert World.load(tmp_path / f"world{suffix}") == subject
    reread = World.load(tmp_path / "world.yaml").buckets["rich-bucket"]
    assert reread.objects["bin"][0].body == bytes(range(256))
    assert reread.objects["text.txt"][0].body == b"hello\r\nworld\n"


def test_what_operations_make_round_trips(tmp_path: Path) -> None:
    clock = iter(EPOCH + timedelta(minutes=n) for n in range(100))
    subject = World.default()
    client = s3(subject, now=lambda: next(clock))
    client.create_bucket(Bucket="made-bucket", ObjectLockEnabledForBucket=True)
    client.put_bucket_tagging(Bucket="made-bucket", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    client.put_bucket_lifecycle_configuration(
        Bucket="made-bucket",
        LifecycleConfiguration={"Rules": [{"Status": "Enabled", "Prefix": "", "Expiration": {"Days": 9}}]},
    )
    client.put_object(Bucket="made-bucket", Key="x", Body=b"\xff\x00", Metadata={"a": "b"}, Expires=EPOCH)
    client.put_object(Bucket="made-bucket", Key="x", Body=b"text")
    client.delete_object(Bucket="made-bucket", Key="x")
    client.put_bucket_logging(
        Bucket=DEFAULT_BUCKET,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "made-bucket", "TargetPrefix": "logs/"}},
    )
    path = tmp_path / "out.yaml"
    subject.dump(path)
    assert World.load(path) == subject
    assert World.load(path).buckets["made-bucket"].creation_date == EPOCH


def test_operations_change_only_their_own_world() -> None:
    original = world(rich_bucket())
    before = original.to_dict()
    twin = original.copy()
    client = s3(twin)
    client.put_object(Bucket="rich-bucket", Key="new", Body=b"n")
    client.delete_bucket_tagging(Bucket="rich-bucket")
    client.put_bucket_versioning(
        Bucket="rich-bucket", VersioningConfiguration={"Status": "Enabled", "MFADelete": "Disabled"}
    )
    assert original.to_dict() == before
    assert twin.to_dict() != before


def test_the_default_world_gains_only_empty_bucket_keys() -> None:
    bucket = World.default().to_dict()["Buckets"][0]
    assert list(bucket)[:3] == ["Name", "Region", "Policy"]
    assert {key: value for key, value in bucket.items() if key not in ("Name", "Region", "Policy")} == {
        "CreationDate": None,
        "Versioning": {},
        "Encryption": None,
        "PublicAccessBlock": None,
        "Acl": None,
        "OwnershipControls": None,
        "Logging": None,
        "Lifecycle": None,
        "Tags": {},
        "Notifications": {},
        "ObjectLock": None,
        "Objects": [],
    }
    assert default_data()["Buckets"][0].keys() == {"Name", "Region", "Policy"}


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"Versioning": {"Status": "On"}}, "Buckets[0].Versioning"),
        ({"Versioning": {"Sttus": "Enabled"}}, "Buckets[0].Versioning"),
        ({"Encryption": {"Rules": []}}, "Buckets[0].Encryption"),
        ({"PublicAccessBlock": {}}, "Buckets[0].PublicAccessBlock"),
        (
            {"Acl": {"Grants": [{"Grantee": {"Type": "Group", "URI": "x"}, "Permission": "READ"}]}},
            "Buckets[0].Acl.Grants",
        ),
        ({"Acl": {"Owner": {}}}, "Buckets[0].Acl.Owner"),
        ({"OwnershipControls": {"Rules": [{"ObjectOwnership": "Me"}]}}, "Buckets[0].OwnershipControls"),
        ({"Logging": {"TargetBucket": "x"}}, "Buckets[0].Logging"),
        ({"Lifecycle": {"Rules": [{"Status": "Enabled", "Prefix": ""}]}}, "Buckets[0].Lifecycle"),
        ({"Tags": {"aws:x": "1"}}, "Buckets[0].Tags"),
        ({"Tags": ["a"]}, "Buckets[0].Tags"),
        ({"Notifications": {"TopicConfigurations": [{"TopicArn": "a"}]}}, "Buckets[0].Notifications"),
        ({"ObjectLock": {"ObjectLockEnabled": "Yes"}}, "Buckets[0].ObjectLock"),
        ({"CreationDate": "yesterday"}, "Buckets[0].CreationDate"),
        ({"Objects": [{"Body": "x"}]}, "Buckets[0].Objects[0].Key"),
        ({"Objects": [{"Key": "k", "Body": "x", "BodyBase64": "eA=="}]}, "Buckets[0].Objects[0].BodyBase64"),
        ({"Objects": [{"Key": "k", "BodyBase64": "!"}]}, "Buckets[0].Objects[0].BodyBase64"),
        ({"Objects": [{"Key": "k"}, {"Key": "k"}]}, "Buckets[0].Objects[1].VersionId"),
        ({"Objects": [{"Key": "k", "DeleteMarker": True, "Body": "x"}]}, "Buckets[0].Objects[0].Body"),
        ({"Objects": [{"Key": "k", "StorageClass": "SHELF"}]}, "Buckets[0].Objects[0].StorageClass"),
        ({"Objects": [{"Key": "k", "Size": 3}]}, "Buckets[0].Objects[0].Size"),
    ],
)
def test_a_bad_bucket_entry_is_refused_by_its_key(change: dict[str, Any], key: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict({"Buckets": [{"Name": "bucket-1", **change}]})
    assert caught.value.key == key


def test_the_same_sequence_gives_the_same_world() -> None:
    def run() -> dict[str, Any]:
        subject = world()
        client = s3(subject, now=lambda: datetime(2026, 5, 1, tzinfo=UTC))
        client.create_bucket(Bucket="made-bucket")
        client.put_bucket_versioning(Bucket="made-bucket", VersioningConfiguration={"Status": "Enabled"})
        client.put_object(Bucket="made-bucket", Key="k", Body=b"1")
        client.put_bucket_notification_configuration(
            Bucket="made-bucket", NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
        return subject.to_dict()

    assert run() == run()
