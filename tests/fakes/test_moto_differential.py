"""Differential tests against moto: plain call sequences where moto is right give the same answers from moto
(in-process) and from the fake (through the same botocore clients). Where moto is known to be wrong (spec
cloudtrail.md §4.5: default event selectors, selector normalisation, HasCustomEventSelectors, timestamps) the
answers are not compared."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.boto import fake_session
from toolkit.fakes.default import DEFAULT_BUCKET, default_data
from toolkit.fakes.world import World

BUCKET_POLICY = default_data()["Buckets"][0]["Policy"]
PLAIN_BUCKET = "plain-bucket-123"


@pytest.fixture
def moto_session(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3
    from moto import mock_aws

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        s3 = session.client("s3")
        s3.create_bucket(Bucket=DEFAULT_BUCKET)
        s3.put_bucket_policy(Bucket=DEFAULT_BUCKET, Policy=json.dumps(BUCKET_POLICY))
        s3.create_bucket(Bucket=PLAIN_BUCKET)
        yield session


def fake(**changes: Any) -> Any:
    """A session on the default world without trails, plus a bucket without a policy (as in moto)."""
    data = {**default_data(), "Trails": [], **changes}
    data["Buckets"] = [*data["Buckets"], {"Name": PLAIN_BUCKET}]
    return fake_session(World.from_dict(data).backend())


class Observer:
    """Makes calls and records what was seen: the response (or chosen members of it), or the error."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def __call__(
        self, label: str, call: Callable[[], dict[str, Any]], keys: tuple[str, ...] = (), drop: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        try:
            response = call()
        except ClientError as err:
            self.seen.append((label, err.response["Error"]["Code"], err.response["Error"]["Message"]))
            return {}
        response = {key: value for key, value in response.items() if key not in ("ResponseMetadata", *drop)}
        self.seen.append((label, {key: response.get(key) for key in keys} if keys else response))
        return response


def trail_lifecycle(session: Any) -> list[Any]:
    cloudtrail = session.client("cloudtrail")
    see = Observer()
    arn = see("create", lambda: cloudtrail.create_trail(Name="diff-trail", S3BucketName=DEFAULT_BUCKET))["TrailARN"]
    # moto's GetTrail leaves out HomeRegion, which the Trail shape has and DescribeTrails returns.
    see("get", lambda: cloudtrail.get_trail(Name="diff-trail")["Trail"], drop=("HomeRegion",))
    see("describe", lambda: cloudtrail.describe_trails())
    see("describe by name", lambda: cloudtrail.describe_trails(trailNameList=["diff-trail"]))
    see("list", lambda: cloudtrail.list_trails())
    see("status", lambda: cloudtrail.get_trail_status(Name="diff-trail"), ("IsLogging",))
    see("start", lambda: cloudtrail.start_logging(Name="diff-trail"))
    started = see("status", lambda: cloudtrail.get_trail_status(Name=arn), ("IsLogging",))
    see("stop", lambda: cloudtrail.stop_logging(Name="diff-trail"))
    see("status", lambda: cloudtrail.get_trail_status(Name="diff-trail"), ("IsLogging",))
    put = see(
        "selectors",
        lambda: cloudtrail.put_event_selectors(
            TrailName="diff-trail", EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]
        ),
        ("TrailARN",),
    )
    see.seen.append([(s["ReadWriteType"], s["IncludeManagementEvents"]) for s in put["EventSelectors"]])
    see(
        "tag",
        lambda: cloudtrail.add_tags(ResourceId=arn, TagsList=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]),
    )
    see("untag", lambda: cloudtrail.remove_tags(ResourceId=arn, TagsList=[{"Key": "b"}]))
    see("tags", lambda: cloudtrail.list_tags(ResourceIdList=[arn]))
    see("validate", lambda: cloudtrail.update_trail(Name="diff-trail", EnableLogFileValidation=True))
    see("multi-region", lambda: cloudtrail.update_trail(Name="diff-trail", IsMultiRegionTrail=True))
    see("delete", lambda: cloudtrail.delete_trail(Name="diff-trail"))
    see("describe", lambda: cloudtrail.describe_trails())
    assert started["IsLogging"] is True and "StartLoggingTime" in started
    return see.seen


def cloudtrail_errors(session: Any) -> list[Any]:
    cloudtrail = session.client("cloudtrail")
    see = Observer()
    see("unknown trail", lambda: cloudtrail.get_trail(Name="absent"))
    see("unknown bucket", lambda: cloudtrail.create_trail(Name="diff-trail", S3BucketName="no-such-bucket"))
    see("short name", lambda: cloudtrail.create_trail(Name="ab", S3BucketName=DEFAULT_BUCKET))
    see("bad start", lambda: cloudtrail.create_trail(Name="-abc", S3BucketName=DEFAULT_BUCKET))
    see("bad end", lambda: cloudtrail.create_trail(Name="abc-", S3BucketName=DEFAULT_BUCKET))
    see("bad characters", lambda: cloudtrail.create_trail(Name="a trail", S3BucketName=DEFAULT_BUCKET))
    see(
        "multi-region without global events",
        lambda: cloudtrail.create_trail(
            Name="diff-trail", S3BucketName=DEFAULT_BUCKET, IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False
        ),
    )
    return see.seen


def other_services(session: Any) -> list[Any]:
    s3, sts = session.client("s3"), session.client("sts")
    see = Observer()
    see("head", lambda: s3.head_bucket(Bucket=DEFAULT_BUCKET), ("BucketRegion",))
    see("head missing", lambda: s3.head_bucket(Bucket="no-such-bucket"))
    see("location", lambda: s3.get_bucket_location(Bucket=DEFAULT_BUCKET))
    see("no policy", lambda: s3.get_bucket_policy(Bucket=PLAIN_BUCKET))
    text = json.dumps({"Version": "2012-10-17", "Statement": []})
    see("put policy", lambda: s3.put_bucket_policy(Bucket=PLAIN_BUCKET, Policy=text), ())
    see("policy", lambda: s3.get_bucket_policy(Bucket=PLAIN_BUCKET))
    see("caller", lambda: sts.get_caller_identity(), ("Account",))
    return see.seen


@pytest.mark.parametrize("sequence", [trail_lifecycle, cloudtrail_errors, other_services])
def test_the_fake_answers_as_moto_does(moto_session: Any, sequence: Callable[[Any], list[Any]]) -> None:
    assert sequence(fake()) == sequence(moto_session)


def test_kms_answers_as_moto_does(moto_session: Any) -> None:
    kms = moto_session.client("kms")
    key_id = kms.create_key(Description="Encrypts CloudTrail log files")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/cloudtrail", TargetKeyId=key_id)
    fields = ("KeyId", "Arn", "AWSAccountId", "Enabled", "KeyState", "Description", "Origin", "KeyManager", "KeySpec")

    def sequence(session: Any) -> list[Any]:
        client = session.client("kms")
        see = Observer()
        see("describe", lambda: client.describe_key(KeyId="alias/cloudtrail")["KeyMetadata"], fields)
        see("by id", lambda: client.describe_key(KeyId=key_id)["KeyMetadata"], ("Arn",))
        see("missing alias", lambda: client.describe_key(KeyId="alias/absent"))
        aliases = client.list_aliases()["Aliases"]  # moto also lists AWS-managed aliases, which the fake does not
        see.seen.append(
            [(a["AliasName"], a["AliasArn"], a["TargetKeyId"]) for a in aliases if "/aws/" not in a["AliasName"]]
        )
        return see.seen

    assert sequence(fake(Keys=[{**default_data()["Keys"][0], "KeyId": key_id}])) == sequence(moto_session)
