"""The fake S3's bucket configurations: Get, Put and Delete of versioning, default encryption, the public access
block, the ACL, ownership controls, logging, lifecycle, tags, notifications and Object Lock.

Each Get of a configuration a bucket lacks fails as S3 does (NoSuchPublicAccessBlockConfiguration,
OwnershipControlsNotFoundError, NoSuchLifecycleConfiguration, NoSuchTagSet, ObjectLockConfigurationNotFoundError,
all 404), except versioning, logging and notifications, which answer an empty configuration, and encryption: every
bucket is encrypted (SSE-S3 by default since January 2023, and DeleteBucketEncryption resets it to SSE-S3), so
ServerSideEncryptionConfigurationNotFoundError never arises. Decisions where AWS does not document the answer:

- PutBucketVersioning needs the ``MFA`` parameter (a device serial and a code) to enable MFA delete, or to change
  anything on a bucket with MFA delete on; without it: AccessDenied "Mfa Authentication must be used for this
  request". That only the root user may do this is not checked (the fake's callers are the root user).
- PutBucketLogging checks the target bucket: it exists (InvalidTargetBucketForLogging), it is in the same region
  (CrossLocationLoggingProhibited) and, unless it has ACLs disabled (BucketOwnerEnforced, where S3 relies on the
  bucket policy alone), either its ACL grants the log-delivery group WRITE and READ_ACP or its policy lets
  logging.s3.amazonaws.com put objects (InvalidTargetBucketForLogging otherwise).
- PutBucketNotificationConfiguration checks SNS destinations, as S3 does with a test message: the topic exists in
  the bucket's region and its policy lets s3.amazonaws.com publish for this bucket; otherwise InvalidArgument
  "Unable to validate the following destination configurations" (unless SkipDestinationValidation). Queues and
  functions are not in the fake world, so they are not checked.
- Object Lock can be enabled on an existing bucket whose versioning is Enabled (S3 allows it since November 2023;
  user guide, "Enable Object Lock on an existing S3 bucket"); otherwise InvalidBucketState.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json, opt_bool, opt_str
from toolkit.fakes.s3 import OWNER_ID, Bucket
from toolkit.fakes.s3_access import (
    LOG_DELIVERY,
    access_control_policy,
    logging_status,
    only_owner,
    owner_grant,
    ownership_controls,
    ownership_of,
    public_access_block,
    public_acl,
)
from toolkit.fakes.s3_rules import (
    DEFAULT_ENCRYPTION,
    Malformed,
    bucket_tags,
    encryption,
    lifecycle,
    notifications,
    object_lock,
    versioning,
)
from toolkit.fakes.services.s3_buckets import access_denied, bucket_of, request_acl, store
from toolkit.iam.policy import request_context


def _required(params: dict[str, Any], member: str) -> Any:
    value = params.get(member)
    if value is None:
        raise Malformed(f"{member} is required")
    return value


def _not_found(code: str, message: str) -> AwsError:
    return AwsError(code, message, status=404)


def _changed(backend: FakeBackend, params: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The request's bucket with ``fields`` replaced, stored; the empty response."""
    changed = bucket_of(backend, params).clone()
    for name, value in fields.items():
        setattr(changed, name, value)
    return store(backend, changed)


# -- versioning -----------------------------------------------------------------------------------------------


def get_bucket_versioning(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return dict(bucket_of(backend, params).versioning)


def put_bucket_versioning(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    config = versioning(_required(params, "VersioningConfiguration"))
    if "Status" not in config:
        raise AwsError("IllegalVersioningConfigurationException", "The Versioning element must be specified")
    mfa = opt_str(params, "MFA")
    if (config.get("MFADelete") == "Enabled" or bucket.versioning.get("MFADelete") == "Enabled") and not (
        mfa is not None and len(mfa.split()) == 2
    ):
        raise AwsError("AccessDenied", "Mfa Authentication must be used for this request", status=403)
    if bucket.object_lock is not None and config["Status"] != "Enabled":
        raise AwsError(
            "InvalidBucketState",
            "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
            status=409,
        )
    changed = bucket.clone()
    changed.versioning = {**bucket.versioning, **config}
    return store(backend, changed)


# -- default encryption ---------------------------------------------------------------------------------------


def get_bucket_encryption(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    return {"ServerSideEncryptionConfiguration": copy_json(bucket.encryption or DEFAULT_ENCRYPTION)}


def put_bucket_encryption(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket_of(backend, params)
    config = encryption(_required(params, "ServerSideEncryptionConfiguration"))
    return _changed(backend, params, encryption=config)


def delete_bucket_encryption(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return _changed(backend, params, encryption=None)


# -- the public access block ----------------------------------------------------------------------------------


def get_public_access_block(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    block = bucket_of(backend, params).public_access_block
    if block is None:
        raise _not_found("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
    return {"PublicAccessBlockConfiguration": dict(block)}


def put_public_access_block(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket_of(backend, params)
    block = public_access_block(_required(params, "PublicAccessBlockConfiguration"))
    return _changed(backend, params, public_access_block=block)


def delete_public_access_block(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return _changed(backend, params, public_access_block=None)


# -- the ACL and ownership controls ---------------------------------------------------------------------------


def get_bucket_acl(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """The bucket's grants; with ACLs disabled, only the owner's FULL_CONTROL, whatever was set before."""
    bucket = bucket_of(backend, params)
    enforced = ownership_of(bucket.ownership_controls) == "BucketOwnerEnforced"
    acl = bucket.acl if bucket.acl is not None and not enforced else [owner_grant(OWNER_ID)]
    return {"Owner": {"ID": OWNER_ID}, "Grants": copy_json(acl)}


def put_bucket_acl(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    acl = request_acl(params)
    if params.get("AccessControlPolicy") is not None:
        if acl is not None:
            raise AwsError("UnexpectedContent", "This request does not support content")
        acl = access_control_policy(params["AccessControlPolicy"])
    if acl is None:
        raise AwsError("MissingSecurityHeader", "Your request was missing a required header")
    if ownership_of(bucket.ownership_controls) == "BucketOwnerEnforced" and not only_owner(acl, OWNER_ID):
        raise AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs")
    if (bucket.public_access_block or {}).get("BlockPublicAcls") and public_acl(acl):
        raise access_denied()
    changed = bucket.clone()
    changed.acl = None if acl == [owner_grant(OWNER_ID)] else acl
    return store(backend, changed)


def get_bucket_ownership_controls(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    controls = bucket_of(backend, params).ownership_controls
    if controls is None:
        raise _not_found("OwnershipControlsNotFoundError", "The bucket ownership controls were not found")
    return {"OwnershipControls": copy_json(controls)}


def put_bucket_ownership_controls(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    controls = ownership_controls(_required(params, "OwnershipControls"))
    if ownership_of(controls) == "BucketOwnerEnforced" and not only_owner(bucket.acl or [], OWNER_ID):
        raise AwsError(
            "InvalidBucketAclWithObjectOwnership",
            "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
        )
    return _changed(backend, params, ownership_controls=controls)


def delete_bucket_ownership_controls(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return _changed(backend, params, ownership_controls=None)


# -- logging --------------------------------------------------------------------------------------------------


def get_bucket_logging(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    enabled = bucket_of(backend, params).logging
    return {} if enabled is None else {"LoggingEnabled": copy_json(enabled)}


def put_bucket_logging(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    enabled = logging_status(_required(params, "BucketLoggingStatus"))
    if enabled is not None:
        _check_log_target(backend, bucket, enabled)
    return _changed(backend, params, logging=enabled)


def _check_log_target(backend: FakeBackend, bucket: Bucket, enabled: dict[str, Any]) -> None:
    target = backend.world.buckets.get(enabled["TargetBucket"])
    if target is None:
        raise AwsError("InvalidTargetBucketForLogging", "The target bucket for logging does not exist")
    if target.region != bucket.region:
        raise AwsError(
            "CrossLocationLoggingProhibited",
            "Cross S3 location logging not allowed. Buckets in one geographic location cannot log information to a "
            "bucket in another location.",
            status=403,
        )
    if ownership_of(target.ownership_controls) == "BucketOwnerEnforced":
        return
    granted = {grant["Permission"] for grant in target.acl or [] if grant["Grantee"].get("URI") == LOG_DELIVERY}
    request = request_context({"aws:SourceArn": bucket.arn(backend.partition), "aws:SourceAccount": backend.account})
    resource = f"{target.arn(backend.partition)}/{enabled['TargetPrefix']}"
    allowed = target.policy is not None and target.policy.allows(
        ("Service", "logging.s3.amazonaws.com"), "s3:PutObject", resource, request
    )
    if not ({"WRITE", "READ_ACP"} <= granted or "FULL_CONTROL" in granted or allowed):
        raise AwsError(
            "InvalidTargetBucketForLogging",
            "You must either provide the necessary permissions to the logging service using a bucket policy or give "
            "the log-delivery group WRITE and READ_ACP permissions to the target bucket",
        )


# -- lifecycle, tags ------------------------------------------------------------------------------------------


def get_bucket_lifecycle_configuration(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    config = bucket_of(backend, params).lifecycle
    if config is None:
        raise _not_found("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")
    return copy_json(config)  # type: ignore[no-any-return]


def put_bucket_lifecycle_configuration(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    config = _required(params, "LifecycleConfiguration")
    size = opt_str(params, "TransitionDefaultMinimumObjectSize")
    shaped = lifecycle(
        {**config, "TransitionDefaultMinimumObjectSize": size} if isinstance(config, dict) else config, bucket.name
    )
    _changed(backend, params, lifecycle=shaped)
    return {"TransitionDefaultMinimumObjectSize": shaped["TransitionDefaultMinimumObjectSize"]}


def delete_bucket_lifecycle(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return _changed(backend, params, lifecycle=None)


def get_bucket_tagging(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    tags = bucket_of(backend, params).tags
    if not tags:
        raise _not_found("NoSuchTagSet", "The TagSet does not exist")
    return {"TagSet": [{"Key": key, "Value": value} for key, value in tags.items()]}


def put_bucket_tagging(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket_of(backend, params)
    return _changed(backend, params, tags=bucket_tags(_required(params, "Tagging")))


def delete_bucket_tagging(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return _changed(backend, params, tags={})


# -- notifications, Object Lock -------------------------------------------------------------------------------


def get_bucket_notification_configuration(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return copy_json(bucket_of(backend, params).notifications)  # type: ignore[no-any-return]


def put_bucket_notification_configuration(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    config = notifications(_required(params, "NotificationConfiguration"), bucket.name)
    if opt_bool(params, "SkipDestinationValidation") is not True:
        for destination in config.get("TopicConfigurations", []):
            _check_topic(backend, bucket, destination["TopicArn"])
    return _changed(backend, params, notifications=config)


def _check_topic(backend: FakeBackend, bucket: Bucket, arn: str) -> None:
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "sns":
        raise AwsError("InvalidArgument", "The ARN is not well formed")
    if parts[3] != bucket.region:
        raise AwsError(
            "InvalidArgument",
            "The notification destination service region is not valid for the bucket location constraint",
        )
    topic = backend.world.topics.get((parts[3], parts[5])) if parts[4] == backend.account else None
    request = request_context({"aws:SourceArn": bucket.arn(backend.partition), "aws:SourceAccount": backend.account})
    if topic is None or not topic.effective_policy(backend.partition, backend.account).allows(
        ("Service", "s3.amazonaws.com"), "SNS:Publish", arn, request
    ):
        raise AwsError("InvalidArgument", "Unable to validate the following destination configurations")


def get_object_lock_configuration(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    config = bucket_of(backend, params).object_lock
    if config is None:
        raise _not_found(
            "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket"
        )
    return {"ObjectLockConfiguration": copy_json(config)}


def put_object_lock_configuration(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    config = object_lock(_required(params, "ObjectLockConfiguration"))
    if bucket.object_lock is None and bucket.versioning.get("Status") != "Enabled":
        raise AwsError(
            "InvalidBucketState",
            "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
            status=409,
        )
    return _changed(backend, params, object_lock=config)
