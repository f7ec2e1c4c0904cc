"""The fake S3's bucket operations: CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation and the
bucket policy; and the helpers every S3 operation uses (finding the bucket, storing its changed clone).

Errors as boto3 reports them: a HEAD has no body, so HeadBucket fails with code ``404`` or ``403``; the others
``NoSuchBucket`` (404), ``AccessDenied`` (403, an ExpectedBucketOwner that is not the world's account) and each
operation's own. CreateBucket follows S3's rules for the LocationConstraint (see ``s3_rules.bucket_region``) and
since 2023 for new buckets: SSE-S3, every public access blocked, Object Ownership BucketOwnerEnforced (ACLs off).
Re-creating a bucket one owns fails with BucketAlreadyOwnedByYou, except in us-east-1 (asked of us-east-1 for a
bucket there), where S3 answers 200 OK and resets the bucket's ACL, for legacy compatibility.

S3's bucket namespace is shared by every account: a request names a bucket of any account of the world (the
world file's ``Accounts``), the caller's own or another's, and acts on that account's bucket (whether the caller
may is IAM's decision, made before: the bucket's policy must allow another account). ``ExpectedBucketOwner`` is
compared with the account that owns the bucket, whoever calls: another account gives 403 AccessDenied, "Access
Denied" (S3 API reference, every bucket operation: "If the account ID that you provide does not match the actual
owner of the bucket, the request fails with the HTTP status code 403 Forbidden (access denied)"). CreateBucket of
a name another account of the world owns fails with BucketAlreadyExists (409). ListBuckets lists the caller's own.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.cloudtrail import health
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.requests import opt_bool, opt_int, opt_str, req_str
from toolkit.fakes.s3 import OWNER_ID, Bucket
from toolkit.fakes.s3_access import (
    ALL_BLOCKED,
    OWNERSHIPS,
    canned_grants,
    header_grants,
    only_owner,
    owner_grant,
    public_policy,
)
from toolkit.fakes.s3_rules import (
    Malformed,
    bucket_region,
    bucket_tags,
    invalid_argument,
    valid_bucket_name,
)
from toolkit.fakes.state import WorldState
from toolkit.iam.policy import Policy

# -- helpers for every S3 operation ---------------------------------------------------------------------------


def no_such_bucket() -> AwsError:
    return AwsError("NoSuchBucket", "The specified bucket does not exist", status=404)


def access_denied() -> AwsError:
    return AwsError("AccessDenied", "Access Denied", status=403)


def owner_of(backend: FakeBackend, name: str) -> WorldState | None:
    """The account of the world that owns bucket ``name`` (the caller's own first), or None: no such bucket."""
    world = backend.world
    if name in world.buckets:
        return world
    root = world.root or world
    for state in (root, *root.accounts.values()):
        if name in state.buckets:
            return state
    return None


def bucket_of(backend: FakeBackend, params: dict[str, Any]) -> Bucket:
    """The request's bucket, of whichever account of the world owns it: NoSuchBucket when no account has it,
    AccessDenied when ExpectedBucketOwner names another account than its owner."""
    name = req_str(params, "Bucket")
    holder = owner_of(backend, name)
    if holder is None:
        raise no_such_bucket()
    owner = opt_str(params, "ExpectedBucketOwner")
    if owner is not None and owner != holder.account:
        raise access_denied()
    return holder.buckets[name]


def store(backend: FakeBackend, bucket: Bucket) -> dict[str, Any]:
    """Put a changed clone of a bucket in the world, in its owner's account; the empty response of a Put or
    Delete."""
    health.before_change(backend, bucket=bucket.name)
    (owner_of(backend, bucket.name) or backend.world).buckets[bucket.name] = bucket
    return {}


def request_acl(params: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The ACL a request sets with a canned ACL (``ACL``) or grant headers (``GrantRead``...), or None."""
    canned = opt_str(params, "ACL")
    granted = header_grants(params)
    if canned is not None and granted is not None:
        raise AwsError("InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed")
    if canned is not None:
        return canned_grants(canned, OWNER_ID)
    return granted


def caller_arn(backend: FakeBackend) -> str:
    """Who the fake's callers are (as the fake STS's GetCallerIdentity says): the account's root."""
    return f"arn:{backend.partition}:iam::{backend.account}:root"


# -- buckets --------------------------------------------------------------------------------------------------


def create_bucket(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "Bucket")
    config = params.get("CreateBucketConfiguration") or {}
    if not isinstance(config, dict):
        raise Malformed("CreateBucketConfiguration must be a mapping")
    if config.get("Location") is not None or config.get("Bucket") is not None:
        raise NotModeled("s3", "CreateBucket of a directory bucket (CreateBucketConfiguration.Location or Bucket)")
    if params.get("BucketNamespace") is not None:
        raise NotModeled("s3", "CreateBucket with a BucketNamespace")
    if not valid_bucket_name(name):
        raise AwsError("InvalidBucketName", "The specified bucket is not valid.")
    region = bucket_region(backend.region, config.get("LocationConstraint"))
    ownership = opt_str(params, "ObjectOwnership") or "BucketOwnerEnforced"
    if ownership not in OWNERSHIPS:
        raise invalid_argument(f"Invalid x-amz-object-ownership header: {ownership}")
    acl = request_acl(params)
    if ownership == "BucketOwnerEnforced" and acl is not None and not only_owner(acl, OWNER_ID):
        raise AwsError(
            "InvalidBucketAclWithObjectOwnership",
            "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
        )
    tags = bucket_tags({"TagSet": config["Tags"]}) if config.get("Tags") is not None else {}
    kept = None if acl is None or acl == [owner_grant(OWNER_ID)] else acl
    holder = owner_of(backend, name)
    if holder is not None and holder is not backend.world:
        raise AwsError(
            "BucketAlreadyExists",
            "The requested bucket name is not available. The bucket namespace is shared by all users of the system. "
            "Please select a different name and try again.",
            status=409,
        )
    existing = backend.world.buckets.get(name)
    if existing is not None:
        if backend.region == "us-east-1" and existing.region == "us-east-1" == region:
            reset = existing.clone()
            reset.acl = kept
            store(backend, reset)
            return {"Location": f"/{name}"}
        raise AwsError(
            "BucketAlreadyOwnedByYou",
            "Your previous request to create the named bucket succeeded and you already own it.",
            status=409,
        )
    locked = opt_bool(params, "ObjectLockEnabledForBucket") is True
    bucket = Bucket(
        name=name,
        region=region,
        creation_date=backend.now(),
        versioning={"Status": "Enabled"} if locked else {},
        public_access_block=dict(ALL_BLOCKED),
        acl=kept,
        ownership_controls={"Rules": [{"ObjectOwnership": ownership}]},
        tags=tags,
        object_lock={"ObjectLockEnabled": "Enabled"} if locked else None,
    )
    store(backend, bucket)
    return {"Location": f"/{name}"}


def delete_bucket(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    if bucket.objects:
        raise AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", status=409)
    health.before_change(backend, bucket=bucket.name)
    del (owner_of(backend, bucket.name) or backend.world).buckets[bucket.name]
    return {}


def head_bucket(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    try:
        bucket = bucket_of(backend, params)
    except AwsError as err:
        if err.status not in (403, 404):
            raise
        raise AwsError(str(err.status), "Not Found" if err.status == 404 else "Forbidden", status=err.status) from err
    return {"BucketRegion": bucket.region, "AccessPointAlias": False}


def get_bucket_location(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    # us-east-1 has no location constraint: botocore parses the empty element as None.
    return {"LocationConstraint": None if bucket.region == "us-east-1" else bucket.region}


def list_buckets(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    prefix = opt_str(params, "Prefix")
    region = opt_str(params, "BucketRegion")
    most = opt_int(params, "MaxBuckets")
    if most is not None and not 1 <= most <= 10000:
        raise invalid_argument("Argument max-buckets must be an integer between 1 and 10000")
    after = _token_name(opt_str(params, "ContinuationToken"))
    names = [
        name
        for name in sorted(backend.world.buckets)
        if name.startswith(prefix or "")
        and (region is None or backend.world.buckets[name].region == region)
        and (after is None or name > after)
    ]
    page = names if most is None else names[:most]
    buckets = [
        {"Name": bucket.name, "CreationDate": bucket.created, "BucketRegion": bucket.region}
        for bucket in (backend.world.buckets[name] for name in page)
    ]
    response: dict[str, Any] = {"Buckets": buckets, "Owner": {"ID": OWNER_ID}}
    if len(page) < len(names):
        response["ContinuationToken"] = base64.urlsafe_b64encode(page[-1].encode()).decode("ascii")
    if prefix is not None:
        response["Prefix"] = prefix
    return response


def _token_name(token: str | None) -> str | None:
    """The last bucket name of the page before (ListBuckets' tokens are opaque; the fake's encode that name)."""
    if token is None:
        return None
    try:
        return base64.b64decode(token, altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError) as err:
        raise invalid_argument("The continuation token provided is incorrect") from err


# -- the bucket policy ----------------------------------------------------------------------------------------


def get_bucket_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    if bucket.policy is None:
        raise AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", status=404)
    return {"Policy": bucket.policy.text()}


def put_bucket_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    text = req_str(params, "Policy")
    try:
        policy = Policy.parse(text)
    except ValueError as err:
        raise AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'") from err
    blocks = bucket.public_access_block or {}
    if blocks.get("BlockPublicPolicy") and public_policy(policy.document):
        raise AwsError(
            "AccessDenied",
            f"User: {caller_arn(backend)} is not authorized to perform: s3:PutBucketPolicy on resource: "
            f'"{bucket.arn(backend.partition)}" because public policies are blocked by the BlockPublicPolicy block '
            "public access setting.",
            status=403,
        )
    changed = bucket.clone()
    changed.policy = policy
    return store(backend, changed)


def delete_bucket_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    changed = bucket_of(backend, params).clone()
    changed.policy = None
    return store(backend, changed)
