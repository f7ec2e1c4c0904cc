"""What Amazon S3 accepts: bucket names and regions, and each bucket configuration (versioning, encryption,
lifecycle, tags, notifications, Object Lock), checked and put in the form S3 returns it; and the small validators
the checks are made of (``mapping_of``, ``only_keys``, ``one_of``...). ACLs, ownership, the public access block
and logging are checked in ``toolkit.fakes.s3_access``.

Shared by the operations (``toolkit.fakes.services.s3``) and the world file's reader (``toolkit.fakes.s3``): a
configuration is checked where it enters the world and raises ``AwsError`` with S3's code and message. A shape S3
would refuse as ``MalformedXML`` raises ``Malformed``, which also says what is wrong (for the world file's error).
Sources: the S3 API reference of each operation and its data types, and the user guide's "General purpose bucket
naming rules".
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json

MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"

SSE_ALGORITHMS = frozenset({"AES256", "aws:kms", "aws:kms:dsse"})
STORAGE_CLASSES = frozenset(
    {"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE",
     "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE", "FSX_OPENZFS", "FSX_ONTAP"}
)  # fmt: skip
ARCHIVED = frozenset({"GLACIER", "DEEP_ARCHIVE"})
"""Storage classes whose objects GetObject refuses (InvalidObjectState) until restored."""
TRANSITION_SIZES = frozenset({"varies_by_storage_class", "all_storage_classes_128K"})
DEFAULT_TRANSITION_SIZE = "all_storage_classes_128K"
"""The lifecycle default minimum object size for transitions since September 2024 (API reference,
PutBucketLifecycleConfiguration)."""
NOTIFICATION_EVENTS = frozenset(
    {"s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
     "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*",
     "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post",
     "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:Replication:*",
     "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
     "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
     "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectAcl:Put", "s3:LifecycleExpiration:*",
     "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:*",
     "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete"}
)  # fmt: skip
"""The events S3 notifies of (botocore's ``Event`` enumeration, less the annotation and multipart-upload events
of newer bucket types)."""
NOTIFICATION_KINDS = {
    "TopicConfigurations": "TopicArn",
    "QueueConfigurations": "QueueArn",
    "LambdaFunctionConfigurations": "LambdaFunctionArn",
}
"""Each list of a NotificationConfiguration and the member naming its destination."""

_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}")
_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IP_ADDRESS = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


class Malformed(AwsError):
    """A request body S3 refuses as MalformedXML; ``detail`` says what is wrong (S3's own message does not)."""

    def __init__(self, detail: str) -> None:
        super().__init__("MalformedXML", MALFORMED_XML)
        self.detail = detail


def problem(err: AwsError) -> str:
    """What is wrong, for a world file's error message."""
    return err.detail if isinstance(err, Malformed) else err.message


def invalid_argument(message: str) -> AwsError:
    return AwsError("InvalidArgument", message)


def mapping_of(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} must be a mapping")
    return value


def only_keys(value: dict[str, Any], what: str, *keys: str) -> None:
    for key in value:
        if key not in keys:  # the message names the first unknown member in sorted order
            unknown = sorted(set(value) - set(keys))
            raise Malformed(f"{what} has unknown member {unknown[0]} (known: {', '.join(keys)})")


def one_of(value: object, what: str, allowed: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise Malformed(f"{what} must be one of {', '.join(sorted(allowed))}")
    return value


def flag_of(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise Malformed(f"{what} must be true or false")
    return value


def text_of(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise Malformed(f"{what} must be a string")
    return value


def list_of(value: object, what: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise Malformed(f"{what} must be a list")
    return list(value)


def derived_id(*parts: object, length: int = 48) -> str:
    """An id S3 would make up (a rule's, a notification's, a version's), derived from what names it, so
    simulations stay deterministic: URL-safe base64 of a digest."""
    import hashlib  # lazy: hashlib loads OpenSSL (~5 ms); only a derived id needs it

    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
    return base64.urlsafe_b64encode(digest + digest[::-1]).decode("ascii")[:length]


# -- bucket names ---------------------------------------------------------------------------------------------


def valid_bucket_name(name: str) -> bool:
    """The general purpose bucket naming rules: 3-63 lower-case letters, digits, dots and hyphens, beginning and
    ending with a letter or digit, no two adjacent dots, not an IP address, no reserved prefix or suffix."""
    return (
        _NAME.fullmatch(name) is not None
        and ".." not in name
        and not _IP_ADDRESS.fullmatch(name)
        and not name.startswith(_RESERVED_PREFIXES)
        and not name.endswith(_RESERVED_SUFFIXES)
    )


def bucket_region(client_region: str, constraint: object) -> str:
    """Where CreateBucket puts a bucket: us-east-1 (the global endpoint) takes no LocationConstraint, or any
    region's but its own; any other region takes exactly its own (``EU`` is eu-west-1's old name)."""
    if constraint is None or constraint == "":
        if client_region != "us-east-1":
            raise AwsError(
                "IllegalLocationConstraintException",
                "The unspecified location constraint is incompatible for the region specific endpoint this request "
                "was sent to.",
            )
        return "us-east-1"
    if (
        not isinstance(constraint, str)
        or constraint == "us-east-1"
        or not (constraint == "EU" or _REGION.fullmatch(constraint))
    ):
        raise AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid")
    region = "eu-west-1" if constraint == "EU" else constraint
    if client_region not in ("us-east-1", region):
        raise AwsError(
            "IllegalLocationConstraintException",
            f"The {constraint} location constraint is incompatible for the region specific endpoint this request "
            "was sent to.",
        )
    return region


# -- versioning, encryption --------------------------------------------------------------------------------------


def versioning(value: object) -> dict[str, str]:
    """A VersioningConfiguration (Status, MFADelete) as GetBucketVersioning returns it."""
    config = mapping_of(value, "VersioningConfiguration")
    only_keys(config, "VersioningConfiguration", "Status", "MFADelete")
    result = {}
    if config.get("Status") is not None:
        result["Status"] = one_of(config["Status"], "Status", frozenset({"Enabled", "Suspended"}))
    if config.get("MFADelete") is not None:
        result["MFADelete"] = one_of(config["MFADelete"], "MFADelete", frozenset({"Enabled", "Disabled"}))
    return result


DEFAULT_ENCRYPTION: Mapping[str, Any] = {
    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]
}
"""SSE-S3, every bucket's default encryption since January 2023 (API reference: GetBucketEncryption, "By default,
all buckets have a default encryption configuration that uses SSE-S3"; DeleteBucketEncryption "resets the default
encryption for the bucket as SSE-S3")."""


def encryption(value: object) -> dict[str, Any]:
    """A ServerSideEncryptionConfiguration with its one rule, BucketKeyEnabled spelt out as S3 returns it."""
    config = mapping_of(value, "ServerSideEncryptionConfiguration")
    only_keys(config, "ServerSideEncryptionConfiguration", "Rules")
    rules = list_of(config.get("Rules"), "Rules")
    if len(rules) != 1:
        raise Malformed("Rules must hold exactly one rule")
    rule = mapping_of(rules[0], "a rule")
    only_keys(rule, "a rule", "ApplyServerSideEncryptionByDefault", "BucketKeyEnabled", "BlockedEncryptionTypes")
    default = mapping_of(rule.get("ApplyServerSideEncryptionByDefault"), "ApplyServerSideEncryptionByDefault")
    only_keys(default, "ApplyServerSideEncryptionByDefault", "SSEAlgorithm", "KMSMasterKeyID")
    algorithm = one_of(default.get("SSEAlgorithm"), "SSEAlgorithm", SSE_ALGORITHMS)
    applied: dict[str, Any] = {"SSEAlgorithm": algorithm}
    if default.get("KMSMasterKeyID") is not None:
        if algorithm == "AES256":
            raise invalid_argument(
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse"
            )
        applied["KMSMasterKeyID"] = text_of(default["KMSMasterKeyID"], "KMSMasterKeyID")
    shaped: dict[str, Any] = {
        "ApplyServerSideEncryptionByDefault": applied,
        "BucketKeyEnabled": flag_of(rule.get("BucketKeyEnabled", False), "BucketKeyEnabled"),
    }
    if rule.get("BlockedEncryptionTypes") is not None:
        shaped["BlockedEncryptionTypes"] = copy_json(
            mapping_of(rule["BlockedEncryptionTypes"], "BlockedEncryptionTypes")
        )
    return {"Rules": [shaped]}


# -- lifecycle, tags, notifications, object lock --------------------------------------------------------------


_ACTIONS = (
    "Expiration", "Transitions", "NoncurrentVersionTransitions", "NoncurrentVersionExpiration",
    "AbortIncompleteMultipartUpload",
)  # fmt: skip


def lifecycle(value: object, bucket: str) -> dict[str, Any]:
    """A lifecycle configuration ({Rules, TransitionDefaultMinimumObjectSize}), each rule with an ID (derived
    when the request gives none, as S3 makes one up)."""
    config = mapping_of(value, "LifecycleConfiguration")
    only_keys(config, "LifecycleConfiguration", "Rules", "TransitionDefaultMinimumObjectSize")
    rules = list_of(config.get("Rules"), "Rules")
    if not 1 <= len(rules) <= 1000:
        raise Malformed("Rules must hold 1 to 1000 rules")
    shaped: list[dict[str, Any]] = []
    for index, item in enumerate(rules):
        rule = copy_json(mapping_of(item, "a rule"))
        only_keys(rule, "a rule", "ID", "Prefix", "Filter", "Status", *_ACTIONS)
        one_of(rule.get("Status"), "Status", frozenset({"Enabled", "Disabled"}))
        if (rule.get("Filter") is None) == (rule.get("Prefix") is None):
            raise Malformed("a rule must have exactly one of Filter and Prefix")
        if rule.get("Filter") is not None and len(mapping_of(rule["Filter"], "Filter")) > 1:
            raise Malformed(
                "a Filter must have exactly one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan and And"
            )
        if not any(rule.get(action) is not None for action in _ACTIONS):
            raise AwsError("InvalidRequest", "At least one action needs to be specified in a rule")
        days = (rule.get("Expiration") or {}).get("Days")
        if days is not None and (not isinstance(days, int) or days <= 0):
            raise invalid_argument("'Days' for Expiration action must be a positive integer")
        rule_id = rule.get("ID")
        if rule_id is None:
            rule["ID"] = derived_id("lifecycle", bucket, index, rule)
        elif not isinstance(rule_id, str) or len(rule_id) > 255:
            raise invalid_argument("ID length should not exceed allowed limit of 255")
        shaped.append(rule)
    ids = [rule["ID"] for rule in shaped]
    if len(set(ids)) != len(ids):
        raise invalid_argument("Rule ID must be unique. Found same ID for more than one rule")
    size = config.get("TransitionDefaultMinimumObjectSize") or DEFAULT_TRANSITION_SIZE
    return {
        "Rules": shaped,
        "TransitionDefaultMinimumObjectSize": one_of(size, "TransitionDefaultMinimumObjectSize", TRANSITION_SIZES),
    }


def tag_set(pairs: list[tuple[str, str]], *, limit: int, what: str) -> dict[str, str]:
    """Tags as S3 checks them (keys 1-128 characters, values up to 256, no aws: keys, no repeated key)."""
    if len(pairs) > limit:
        if what == "Object":
            raise AwsError("BadRequest", f"Object tags cannot be greater than {limit}")
        raise AwsError("InvalidTag", f"{what} tag count cannot be greater than {limit}")
    tags: dict[str, str] = {}
    for key, value in pairs:
        if key in tags:
            raise AwsError("InvalidTag", "Cannot provide multiple Tags with the same key")
        if key.lower().startswith("aws:"):
            raise AwsError("InvalidTag", "System tags cannot be added/updated by requester")
        if not 1 <= len(key) <= 128:
            raise AwsError("InvalidTag", "The TagKey you have provided is invalid")
        if len(value) > 256:
            raise AwsError("InvalidTag", "The TagValue you have provided is invalid")
        tags[key] = value
    return tags


def bucket_tags(value: object) -> dict[str, str]:
    """PutBucketTagging's Tagging ({TagSet: [{Key, Value}]})."""
    tagging = mapping_of(value, "Tagging")
    only_keys(tagging, "Tagging", "TagSet")
    pairs = []
    for item in list_of(tagging.get("TagSet"), "TagSet"):
        tag = mapping_of(item, "a tag")
        only_keys(tag, "a tag", "Key", "Value")
        pairs.append((text_of(tag.get("Key"), "Key"), text_of(tag.get("Value"), "Value")))
    return tag_set(pairs, limit=50, what="Bucket")


def object_tags(value: str) -> dict[str, str]:
    """PutObject's Tagging, URL query parameters (``key1=value1&key2=value2``)."""
    return tag_set(parse_qsl(value, keep_blank_values=True), limit=10, what="Object")


def notifications(value: object, bucket: str) -> dict[str, Any]:
    """A NotificationConfiguration, each destination with its Id (derived when the request gives none)."""
    config = mapping_of(value, "NotificationConfiguration")
    only_keys(config, "NotificationConfiguration", *NOTIFICATION_KINDS, "EventBridgeConfiguration")
    shaped: dict[str, Any] = {}
    for kind, arn_member in NOTIFICATION_KINDS.items():
        if config.get(kind) is None:
            continue
        items = []
        for index, item in enumerate(list_of(config[kind], kind)):
            destination = copy_json(mapping_of(item, kind))
            only_keys(destination, kind, "Id", arn_member, "Events", "Filter")
            text_of(destination.get(arn_member), arn_member)
            events = list_of(destination.get("Events"), "Events")
            if not events:
                raise Malformed("Events must name at least one event")
            for event in events:
                if event not in NOTIFICATION_EVENTS:
                    raise invalid_argument("The event is not supported for notifications")
            for rule in ((destination.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []:
                if str(mapping_of(rule, "a filter rule").get("Name", "")).lower() not in ("prefix", "suffix"):
                    raise invalid_argument("filter rule name must be either prefix or suffix")
            if destination.get("Id") is None:
                destination["Id"] = derived_id("notification", bucket, kind, index, destination)
            items.append(destination)
        if items:
            shaped[kind] = items
    if config.get("EventBridgeConfiguration") is not None:
        shaped["EventBridgeConfiguration"] = {}
    return shaped


def object_lock(value: object) -> dict[str, Any]:
    """An ObjectLockConfiguration: ObjectLockEnabled "Enabled", and optionally a default retention (a Mode and
    either Days or Years, positive)."""
    config = mapping_of(value, "ObjectLockConfiguration")
    only_keys(config, "ObjectLockConfiguration", "ObjectLockEnabled", "Rule")
    shaped: dict[str, Any] = {
        "ObjectLockEnabled": one_of(config.get("ObjectLockEnabled"), "ObjectLockEnabled", frozenset({"Enabled"}))
    }
    if config.get("Rule") is not None:
        rule = mapping_of(config["Rule"], "Rule")
        only_keys(rule, "Rule", "DefaultRetention")
        retention = mapping_of(rule.get("DefaultRetention"), "DefaultRetention")
        only_keys(retention, "DefaultRetention", "Mode", "Days", "Years")
        mode = one_of(retention.get("Mode"), "Mode", frozenset({"GOVERNANCE", "COMPLIANCE"}))
        periods = [name for name in ("Days", "Years") if retention.get(name) is not None]
        if len(periods) != 1:
            raise Malformed("DefaultRetention must have exactly one of Days and Years")
        period = retention[periods[0]]
        if not isinstance(period, int) or isinstance(period, bool) or period <= 0:
            raise invalid_argument("Default retention period must be a positive integer value")
        shaped["Rule"] = {"DefaultRetention": {"Mode": mode, periods[0]: period}}
    return shaped
