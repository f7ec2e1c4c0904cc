"""Differential tests of the fake S3 against moto's server: the same call sequences, through the same botocore
clients, give the same error codes and the same answers where moto models S3 faithfully.

Where moto is wrong the answers are not compared, and the test says why:
- moto gives a new bucket no default encryption (ServerSideEncryptionConfigurationNotFoundError), no public access
  block and no ownership controls, and lets DeleteBucketEncryption remove encryption; since 2023 S3 encrypts every
  bucket with SSE-S3 (API reference, GetBucketEncryption: "By default, all buckets have a default encryption
  configuration that uses SSE-S3"; DeleteBucketEncryption "resets the default encryption for the bucket as SSE-S3")
  and gives every new bucket all four public access blocks and BucketOwnerEnforced (user guide, "Setting Object
  Ownership when you create a bucket": "By default, S3 Object Ownership is set to the Bucket owner enforced
  setting, and ACLs are disabled for new buckets").
- moto accepts bucket names S3 refuses (``Bad_Name``, ``192.168.1.1``; user guide, "General purpose bucket naming
  rules") and ACLs on a bucket with ACLs disabled (user guide, "Troubleshooting" of Object Ownership:
  AccessControlListNotSupported).
- moto ignores CreateBucket's x-amz-grant-* headers (API reference, CreateBucket: they set the bucket's ACL).
- moto's messages for a missing logging target end with a period and its ListBuckets owner id is its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.boto import fake_session
from toolkit.fakes.world import World

ENFORCED = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}


class Observer:
    """Makes calls and records what was seen: chosen members of the response (all but metadata), or the error."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def __call__(
        self,
        label: str,
        call: Callable[[], Any],
        keys: tuple[str, ...] = (),
        codes_only: bool = False,
        drop: tuple[str, ...] = (),
    ) -> Any:
        try:
            response = call()
        except ClientError as err:
            error = err.response["Error"]
            self.seen.append((label, error["Code"]) if codes_only else (label, error["Code"], error["Message"]))
            return {}
        if isinstance(response, dict):
            response = {key: value for key, value in response.items() if key not in ("ResponseMetadata", *drop)}
            if "Body" in response and hasattr(response["Body"], "read"):
                response["Body"] = response["Body"].read()
            self.seen.append((label, {key: response.get(key) for key in keys} if keys else response))
        else:
            self.seen.append((label, response))
        return response


def moto_clients(endpoint: str) -> tuple[Any, Any]:
    import boto3

    def client(region: str) -> Any:
        return boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        ).client("s3", endpoint_url=endpoint)

    return client("us-east-1"), client("eu-west-1")


def fake_clients() -> tuple[Any, Any]:
    subject = World.from_dict({})
    return fake_session(subject.backend()).client("s3"), fake_session(subject.backend("eu-west-1")).client("s3")


def bucket_lifecycle(east: Any, west: Any) -> list[Any]:
    see = Observer()
    in_eu = {"CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}
    see("create", lambda: east.create_bucket(Bucket="diff-one"))
    see("create again in us-east-1", lambda: east.create_bucket(Bucket="diff-one"))
    see(
        "us-east-1 as a constraint",
        lambda: east.create_bucket(Bucket="diff-two", CreateBucketConfiguration={"LocationConstraint": "us-east-1"}),
    )
    see("elsewhere from us-east-1", lambda: east.create_bucket(Bucket="diff-eu", **in_eu))
    see("no constraint elsewhere", lambda: west.create_bucket(Bucket="diff-three"))
    see(
        "another region's constraint",
        lambda: west.create_bucket(Bucket="diff-three", CreateBucketConfiguration={"LocationConstraint": "us-west-2"}),
    )
    see("create again elsewhere", lambda: west.create_bucket(Bucket="diff-eu", **in_eu))
    see("an owned name elsewhere", lambda: west.create_bucket(Bucket="diff-one", **in_eu))
    see("an eu bucket from us-east-1", lambda: east.create_bucket(Bucket="diff-eu"))
    see("too short", lambda: east.create_bucket(Bucket="ab"))
    see("head missing", lambda: east.head_bucket(Bucket="diff-missing"))
    see("head", lambda: east.head_bucket(Bucket="diff-eu"), ("BucketRegion",))
    see("location", lambda: east.get_bucket_location(Bucket="diff-eu"))
    see("location us-east-1", lambda: east.get_bucket_location(Bucket="diff-one"))
    see("delete missing", lambda: east.delete_bucket(Bucket="diff-missing"))
    see("put", lambda: east.put_object(Bucket="diff-one", Key="k", Body=b"v"), ("ETag",))
    see("delete not empty", lambda: east.delete_bucket(Bucket="diff-one"))
    see("delete object", lambda: east.delete_object(Bucket="diff-one", Key="k"), ("DeleteMarker",))
    see("delete", lambda: east.delete_bucket(Bucket="diff-one"))
    see.seen.append([bucket["Name"] for bucket in east.list_buckets()["Buckets"]])
    return see.seen


def configurations(client: Any) -> list[Any]:
    see = Observer()
    client.create_bucket(Bucket="diff-conf")
    client.create_bucket(Bucket="diff-logs")
    bucket = {"Bucket": "diff-conf"}
    see("versioning never set", lambda: client.get_bucket_versioning(**bucket))
    see("enable", lambda: client.put_bucket_versioning(**bucket, VersioningConfiguration={"Status": "Enabled"}))
    see("versioning", lambda: client.get_bucket_versioning(**bucket))
    see("suspend", lambda: client.put_bucket_versioning(**bucket, VersioningConfiguration={"Status": "Suspended"}))
    see("versioning", lambda: client.get_bucket_versioning(**bucket))
    block = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": False,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    see("block", lambda: client.put_public_access_block(**bucket, PublicAccessBlockConfiguration=block))
    see("blocked", lambda: client.get_public_access_block(**bucket))
    see("unblock", lambda: client.delete_public_access_block(**bucket))
    see("no block", lambda: client.get_public_access_block(**bucket))
    see("empty block", lambda: client.put_public_access_block(**bucket, PublicAccessBlockConfiguration={}))
    writer = {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    see("ownership", lambda: client.put_bucket_ownership_controls(**bucket, OwnershipControls=writer))
    see("owned", lambda: client.get_bucket_ownership_controls(**bucket))
    see("acl", lambda: client.put_bucket_acl(**bucket, ACL="public-read"))
    see("grants", lambda: client.get_bucket_acl(**bucket), ("Grants",))
    see("private", lambda: client.put_bucket_acl(**bucket, ACL="private"))
    see("grants", lambda: client.get_bucket_acl(**bucket), ("Grants",))
    see("no ownership", lambda: client.delete_bucket_ownership_controls(**bucket))
    see("ownership gone", lambda: client.get_bucket_ownership_controls(**bucket))
    see("logging off", lambda: client.get_bucket_logging(**bucket))
    missing_target = {"LoggingEnabled": {"TargetBucket": "diff-missing", "TargetPrefix": "logs/"}}
    see(
        "missing target",
        lambda: client.put_bucket_logging(**bucket, BucketLoggingStatus=missing_target),
        codes_only=True,
    )
    see("no lifecycle", lambda: client.get_bucket_lifecycle_configuration(**bucket))
    rules = [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}}]
    # moto leaves out the response's TransitionDefaultMinimumObjectSize, which S3 returns (API reference,
    # PutBucketLifecycleConfiguration, "Response Syntax": x-amz-transition-default-minimum-object-size)
    see(
        "lifecycle",
        lambda: client.put_bucket_lifecycle_configuration(**bucket, LifecycleConfiguration={"Rules": rules}),
        drop=("TransitionDefaultMinimumObjectSize",),
    )
    see("rules", lambda: client.get_bucket_lifecycle_configuration(**bucket))
    see("no lifecycle", lambda: client.delete_bucket_lifecycle(**bucket))
    see("lifecycle gone", lambda: client.get_bucket_lifecycle_configuration(**bucket))
    see("no tags", lambda: client.get_bucket_tagging(**bucket))
    tags = [{"Key": "team", "Value": "security"}, {"Key": "cost", "Value": "7"}]
    see("tag", lambda: client.put_bucket_tagging(**bucket, Tagging={"TagSet": tags}))
    see("tags", lambda: client.get_bucket_tagging(**bucket))
    twice = [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]
    see("a key twice", lambda: client.put_bucket_tagging(**bucket, Tagging={"TagSet": twice}))
    see(
        "a system tag",
        lambda: client.put_bucket_tagging(**bucket, Tagging={"TagSet": [{"Key": "aws:x", "Value": "1"}]}),
    )
    see("untag", lambda: client.delete_bucket_tagging(**bucket))
    see("tags gone", lambda: client.get_bucket_tagging(**bucket))
    see("no notifications", lambda: client.get_bucket_notification_configuration(**bucket))
    see("no lock", lambda: client.get_object_lock_configuration(**bucket))
    enabled = {"ObjectLockEnabled": "Enabled"}
    see("lock while suspended", lambda: client.put_object_lock_configuration(**bucket, ObjectLockConfiguration=enabled))
    see("enable", lambda: client.put_bucket_versioning(**bucket, VersioningConfiguration={"Status": "Enabled"}))
    retention = {**enabled, "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}}
    see("lock", lambda: client.put_object_lock_configuration(**bucket, ObjectLockConfiguration=retention))
    # moto adds "Years": 0 beside the Days it was given; S3 returns the period it was given (API reference,
    # DefaultRetention: "you must specify Mode and specify either Days or Years")
    see("locked", lambda: _retention(client.get_object_lock_configuration(**bucket)))
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/k"}}]}
    see("encrypt", lambda: client.put_bucket_encryption(**bucket, ServerSideEncryptionConfiguration=kms))
    see("encryption", lambda: client.get_bucket_encryption(**bucket))
    see("no policy", lambda: client.get_bucket_policy(**bucket))
    policy = json.dumps({"Version": "2012-10-17", "Statement": []})
    see("policy", lambda: client.put_bucket_policy(**bucket, Policy=policy))
    see("policy back", lambda: client.get_bucket_policy(**bucket))
    see("locked bucket", lambda: client.create_bucket(Bucket="diff-locked", ObjectLockEnabledForBucket=True))
    see("its lock", lambda: client.get_object_lock_configuration(Bucket="diff-locked"))
    see("its versioning", lambda: client.get_bucket_versioning(Bucket="diff-locked"))
    return see.seen


def _retention(response: dict[str, Any]) -> dict[str, Any]:
    retention = response["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    return {key: value for key, value in retention.items() if value}


def objects(client: Any) -> list[Any]:
    see = Observer()
    client.create_bucket(Bucket="diff-objects")
    bucket = {"Bucket": "diff-objects"}
    for key in ("a/1.txt", "a/2.txt", "a/b/3.txt", "b.txt", "c d/4.txt", "z.txt"):
        see("put", lambda key=key: client.put_object(**bucket, Key=key, Body=key.encode() * 3), ("ETag",))
    written = {"Key": "doc.json", "Body": b'{"a": 1}', "ContentType": "application/json", "Metadata": {"run": "7"}}
    see("put with metadata", lambda: client.put_object(**bucket, **written), ("ETag",))
    fields = ("Body", "ContentType", "ContentLength", "ETag", "Metadata")
    see("get", lambda: client.get_object(**bucket, Key="doc.json"), fields)
    see("head", lambda: client.head_object(**bucket, Key="doc.json"), fields[1:])
    see("range", lambda: client.get_object(**bucket, Key="doc.json", Range="bytes=1-3"), ("Body", "ContentRange"))
    see("get missing", lambda: client.get_object(**bucket, Key="absent"))
    see("head missing", lambda: client.head_object(**bucket, Key="absent"))
    see("get from a missing bucket", lambda: client.get_object(Bucket="diff-absent", Key="k"))
    see("delete missing", lambda: client.delete_object(**bucket, Key="absent"), ("DeleteMarker",))
    listing = ("Contents", "CommonPrefixes", "KeyCount", "IsTruncated", "Prefix", "Delimiter", "MaxKeys")

    def listed(**params: Any) -> dict[str, Any]:
        response = dict(client.list_objects_v2(**bucket, **params))
        response["Contents"] = [(item["Key"], item["Size"], item["ETag"]) for item in response.get("Contents", [])]
        return response

    see("list", lambda: listed(), listing)
    see("list a folder", lambda: listed(Prefix="a/", Delimiter="/"), listing)
    see("list folders", lambda: listed(Delimiter="/"), listing)
    see("list after", lambda: listed(StartAfter="b.txt"), listing)
    see("first page", lambda: listed(MaxKeys=2), listing)
    pages = client.get_paginator("list_objects_v2").paginate(**bucket, PaginationConfig={"PageSize": 3})
    see.seen.append([[item["Key"] for item in page.get("Contents", [])] for page in pages])
    see("delete", lambda: client.delete_object(**bucket, Key="b.txt"), ("DeleteMarker",))
    see("gone", lambda: client.get_object(**bucket, Key="b.txt"))
    return see.seen


@pytest.mark.parametrize("sequence", [configurations, objects])
def test_the_fake_s3_answers_as_moto_does(aws: str, sequence: Callable[[Any], list[Any]]) -> None:
    east, _ = moto_clients(aws)
    fake_east, _ = fake_clients()
    assert sequence(fake_east) == sequence(east)


def test_bucket_lifecycle_answers_as_moto_does(aws: str) -> None:
    assert bucket_lifecycle(*fake_clients()) == bucket_lifecycle(*moto_clients(aws))


def grant_headers(client: Any) -> list[Any]:
    """PutBucketAcl's grant headers with values quoted or not (the S3 API reference quotes them, the AWS CLI's
    example and AWS Automated Security Response's runbooks do not): the ACL that results, as (grantee, permission)
    pairs."""
    see = Observer()
    log_delivery = "http://acs.amazonaws.com/groups/s3/LogDelivery"
    bucket = {"Bucket": "grant-headers"}

    def pairs() -> list[tuple[str, str]]:
        grants = client.get_bucket_acl(**bucket)["Grants"]
        return sorted((grant["Grantee"].get("URI") or "owner", grant["Permission"]) for grant in grants)

    client.create_bucket(**bucket, ObjectOwnership="ObjectWriter")
    see("put", lambda: client.put_bucket_acl(**bucket, GrantWrite=f"uri={log_delivery}",
                                             GrantReadACP=f'uri="{log_delivery}"'), keys=("x",))  # fmt: skip
    see("after put", pairs)
    see("put again", lambda: client.put_bucket_acl(**bucket, GrantRead=f"URI={log_delivery}"), keys=("x",))
    see("after put again", pairs)
    return see.seen


def test_grant_headers_answer_as_moto_does(aws: str) -> None:
    (moto, _), (fake, _) = moto_clients(aws), fake_clients()
    assert grant_headers(fake) == grant_headers(moto)


def test_where_moto_is_wrong_the_fake_follows_aws(aws: str) -> None:
    """Pinned, so a moto that changes shows here: moto's answers beside the fake's (module doc for the sources)."""
    (moto, _), (fake, _) = moto_clients(aws), fake_clients()
    for client in (moto, fake):
        client.create_bucket(Bucket="diff-defaults")
    assert code(lambda: moto.get_bucket_encryption(Bucket="diff-defaults")) == (
        "ServerSideEncryptionConfigurationNotFoundError"
    )
    assert fake.get_bucket_encryption(Bucket="diff-defaults")["ServerSideEncryptionConfiguration"]["Rules"][0][
        "ApplyServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    assert code(lambda: moto.get_bucket_ownership_controls(Bucket="diff-defaults")) == "OwnershipControlsNotFoundError"
    assert fake.get_bucket_ownership_controls(Bucket="diff-defaults")["OwnershipControls"] == ENFORCED
    moto.put_bucket_acl(Bucket="diff-defaults", ACL="public-read")
    assert (
        code(lambda: fake.put_bucket_acl(Bucket="diff-defaults", ACL="public-read")) == "AccessControlListNotSupported"
    )
    moto.create_bucket(Bucket="Bad_Name")
    assert code(lambda: fake.create_bucket(Bucket="Bad_Name")) == "InvalidBucketName"
    # moto drops CreateBucket's grant headers (the owner keeps FULL_CONTROL alone); S3 makes them the bucket's ACL
    # (API reference, CreateBucket: "x-amz-grant-write: Allows grantee to create new objects in the bucket")
    grants = {"GrantWrite": "uri=http://acs.amazonaws.com/groups/s3/LogDelivery", "ObjectOwnership": "ObjectWriter"}
    for client in (moto, fake):
        client.create_bucket(Bucket="diff-grants", **grants)
    assert [grant["Permission"] for grant in moto.get_bucket_acl(Bucket="diff-grants")["Grants"]] == ["FULL_CONTROL"]
    assert [grant["Permission"] for grant in fake.get_bucket_acl(Bucket="diff-grants")["Grants"]] == ["WRITE"]


def code(call: Callable[[], object]) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])
