"""The fake S3's operations (``OPERATIONS``) on the state in ``toolkit.fakes.s3``.

Operations: HeadBucket, GetBucketLocation, ListBuckets, GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy.
Errors as boto3 reports them: HeadBucket on a missing bucket gives code ``404`` (a HEAD response has no body);
the others ``NoSuchBucket`` and ``NoSuchBucketPolicy`` (status 404) and ``MalformedPolicy``.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.policy import Policy
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import req_str
from toolkit.fakes.s3 import OWNER_ID, Bucket


def no_such_bucket() -> AwsError:
    return AwsError("NoSuchBucket", "The specified bucket does not exist", status=404)


def _bucket(backend: FakeBackend, params: dict[str, Any]) -> Bucket:
    name = req_str(params, "Bucket")
    bucket = backend.world.buckets.get(name)
    if bucket is None:
        raise no_such_bucket()
    return bucket


def head_bucket(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "Bucket")
    bucket = backend.world.buckets.get(name)
    if bucket is None:
        raise AwsError("404", "Not Found", status=404)
    return {"BucketRegion": bucket.region, "AccessPointAlias": False}


def get_bucket_location(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = _bucket(backend, params)
    # us-east-1 has no location constraint: botocore parses the empty element as None.
    return {"LocationConstraint": None if bucket.region == "us-east-1" else bucket.region}


def list_buckets(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    buckets = [
        {"Name": bucket.name, "CreationDate": CREATED, "BucketRegion": bucket.region}
        for bucket in sorted(backend.world.buckets.values(), key=lambda item: item.name)
    ]
    return {"Buckets": buckets, "Owner": {"ID": OWNER_ID}}


def get_bucket_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = _bucket(backend, params)
    if bucket.policy is None:
        raise AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", status=404)
    return {"Policy": bucket.policy.text()}


def put_bucket_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = _bucket(backend, params)
    text = req_str(params, "Policy")
    try:
        policy = Policy.parse(text)
    except ValueError as err:
        raise AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'") from err
    changed = bucket.clone()
    changed.policy = policy
    backend.world.buckets[bucket.name] = changed
    return {}


def delete_bucket_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = _bucket(backend, params)
    changed = bucket.clone()
    changed.policy = None
    backend.world.buckets[bucket.name] = changed
    return {}


OPERATIONS: dict[str, Operation] = {
    "HeadBucket": head_bucket,
    "GetBucketLocation": get_bucket_location,
    "ListBuckets": list_buckets,
    "GetBucketPolicy": get_bucket_policy,
    "PutBucketPolicy": put_bucket_policy,
    "DeleteBucketPolicy": delete_bucket_policy,
}
