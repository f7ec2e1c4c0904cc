"""What Amazon S3 accepts: bucket names, and each bucket configuration, checked and put in the form S3 returns it.

Shared by the operations (``toolkit.fakes.services.s3``) and the world file's reader (``toolkit.fakes.s3``): a
configuration is checked where it enters the world and raises ``AwsError`` with S3's code and message. A shape S3
would refuse as ``MalformedXML`` raises ``Malformed``, which also says what is wrong (for the world file's error).
Sources: the S3 API reference of each operation and its data types, and the user guide's "Bucket naming rules",
"Access control list (ACL) overview" (canned ACLs, group URIs) and "The meaning of public".
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json

MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
GROUPS = frozenset({ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY})
PERMISSIONS = frozenset({"FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"})
CANNED_BUCKET_ACLS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "private": (),
    "public-read": ((ALL_USERS, "READ"),),
    "public-read-write": ((ALL_USERS, "READ"), (ALL_USERS, "WRITE")),
    "authenticated-read": ((AUTHENTICATED_USERS, "READ"),),
    "log-delivery-write": ((LOG_DELIVERY, "WRITE"), (LOG_DELIVERY, "READ_ACP")),
}
"""The canned ACLs a bucket takes: the grants each adds to the owner's FULL_CONTROL."""
OBJECT_CANNED_ACLS = frozenset(
    {"private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read",
     "bucket-owner-full-control"}
)  # fmt: skip
GRANT_HEADERS = {
    "GrantFullControl": "FULL_CONTROL",
    "GrantRead": "READ",
    "GrantReadACP": "READ_ACP",
    "GrantWrite": "WRITE",
    "GrantWriteACP": "WRITE_ACP",
}
OWNERSHIPS = frozenset({"BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"})
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
_CANONICAL_ID = re.compile(r"[0-9a-f]{64}")
_GRANTEE = re.compile(r'\s*(id|uri|emailAddress)\s*=\s*"([^"]*)"\s*')


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


def _mapping(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} must be a mapping")
    return value


def _only(value: dict[str, Any], what: str, *keys: str) -> None:
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise Malformed(f"{what} has unknown member {unknown[0]} (known: {', '.join(keys)})")


def _choice(value: object, what: str, allowed: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise Malformed(f"{what} must be one of {', '.join(sorted(allowed))}")
    return value


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise Malformed(f"{what} must be true or false")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise Malformed(f"{what} must be a string")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise Malformed(f"{what} must be a list")
    return list(value)


def derived_id(*parts: object, length: int = 48) -> str:
    """An id S3 would make up (a rule's, a notification's, a version's), derived from what names it, so
    simulations stay deterministic: URL-safe base64 of a digest."""
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


# -- versioning, encryption, public access block, ownership ---------------------------------------------------


def versioning(value: object) -> dict[str, str]:
    """A VersioningConfiguration (Status, MFADelete) as GetBucketVersioning returns it."""
    config = _mapping(value, "VersioningConfiguration")
    _only(config, "VersioningConfiguration", "Status", "MFADelete")
    result = {}
    if config.get("Status") is not None:
        result["Status"] = _choice(config["Status"], "Status", frozenset({"Enabled", "Suspended"}))
    if config.get("MFADelete") is not None:
        result["MFADelete"] = _choice(config["MFADelete"], "MFADelete", frozenset({"Enabled", "Disabled"}))
    return result


DEFAULT_ENCRYPTION: Mapping[str, Any] = {
    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]
}
"""SSE-S3, every bucket's default encryption since January 2023 (API reference: GetBucketEncryption, "By default,
all buckets have a default encryption configuration that uses SSE-S3"; DeleteBucketEncryption "resets the default
encryption for the bucket as SSE-S3")."""


def encryption(value: object) -> dict[str, Any]:
    """A ServerSideEncryptionConfiguration with its one rule, BucketKeyEnabled spelt out as S3 returns it."""
    config = _mapping(value, "ServerSideEncryptionConfiguration")
    _only(config, "ServerSideEncryptionConfiguration", "Rules")
    rules = _list(config.get("Rules"), "Rules")
    if len(rules) != 1:
        raise Malformed("Rules must hold exactly one rule")
    rule = _mapping(rules[0], "a rule")
    _only(rule, "a rule", "ApplyServerSideEncryptionByDefault", "BucketKeyEnabled", "BlockedEncryptionTypes")
    default = _mapping(rule.get("ApplyServerSideEncryptionByDefault"), "ApplyServerSideEncryptionByDefault")
    _only(default, "ApplyServerSideEncryptionByDefault", "SSEAlgorithm", "KMSMasterKeyID")
    algorithm = _choice(default.get("SSEAlgorithm"), "SSEAlgorithm", SSE_ALGORITHMS)
    applied: dict[str, Any] = {"SSEAlgorithm": algorithm}
    if default.get("KMSMasterKeyID") is not None:
        if algorithm == "AES256":
            raise invalid_argument(
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse"
            )
        applied["KMSMasterKeyID"] = _text(default["KMSMasterKeyID"], "KMSMasterKeyID")
    shaped: dict[str, Any] = {
        "ApplyServerSideEncryptionByDefault": applied,
        "BucketKeyEnabled": _flag(rule.get("BucketKeyEnabled", False), "BucketKeyEnabled"),
    }
    if rule.get("BlockedEncryptionTypes") is not None:
        shaped["BlockedEncryptionTypes"] = copy_json(_mapping(rule["BlockedEncryptionTypes"], "BlockedEncryptionTypes"))
    return {"Rules": [shaped]}


PUBLIC_ACCESS_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
ALL_BLOCKED: Mapping[str, bool] = dict.fromkeys(PUBLIC_ACCESS_SETTINGS, True)
"""The public access block of every bucket CreateBucket makes since April 2023 (user guide, "Blocking public
access to your Amazon S3 storage")."""


def public_access_block(value: object) -> dict[str, bool]:
    config = _mapping(value, "PublicAccessBlockConfiguration")
    _only(config, "PublicAccessBlockConfiguration", *PUBLIC_ACCESS_SETTINGS)
    if not any(config.get(name) is not None for name in PUBLIC_ACCESS_SETTINGS):
        raise AwsError("InvalidRequest", "Must specify at least one configuration.")
    return {name: _flag(config.get(name, False), name) for name in PUBLIC_ACCESS_SETTINGS}


def ownership_controls(value: object) -> dict[str, Any]:
    config = _mapping(value, "OwnershipControls")
    _only(config, "OwnershipControls", "Rules")
    rules = _list(config.get("Rules"), "Rules")
    if len(rules) != 1:
        raise Malformed("Rules must hold exactly one rule")
    rule = _mapping(rules[0], "a rule")
    _only(rule, "a rule", "ObjectOwnership")
    return {"Rules": [{"ObjectOwnership": _choice(rule.get("ObjectOwnership"), "ObjectOwnership", OWNERSHIPS)}]}


def ownership_of(controls: Mapping[str, Any] | None) -> str:
    """The Object Ownership in force: a bucket without ownership controls behaves as ObjectWriter."""
    return "ObjectWriter" if controls is None else str(controls["Rules"][0]["ObjectOwnership"])


# -- access control lists -------------------------------------------------------------------------------------


def owner_grant(owner_id: str) -> dict[str, Any]:
    return {"Grantee": {"ID": owner_id, "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}


def canned_grants(name: str, owner_id: str) -> list[dict[str, Any]]:
    """The grants of a bucket's canned ACL (the owner's FULL_CONTROL first)."""
    if name not in CANNED_BUCKET_ACLS:
        raise invalid_argument(f"{name} is not a canned ACL")
    return [owner_grant(owner_id)] + [
        {"Grantee": {"Type": "Group", "URI": uri}, "Permission": permission}
        for uri, permission in CANNED_BUCKET_ACLS[name]
    ]


def _grantee(kind: str, value: str) -> dict[str, str]:
    if kind == "emailAddress":
        raise AwsError(
            "UnresolvableGrantByEmailAddress", "The email address you provided does not match any account on record."
        )
    if kind == "id":
        if not _CANONICAL_ID.fullmatch(value):
            raise invalid_argument("Invalid id")
        return {"ID": value, "Type": "CanonicalUser"}
    if value not in GROUPS:
        raise invalid_argument("Invalid group uri")
    return {"Type": "Group", "URI": value}


def header_grants(params: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The grants of the x-amz-grant-* headers (``GrantRead='id="...", uri="..."'``), or None when none is given."""
    found: list[dict[str, Any]] = []
    given = False
    for member, permission in GRANT_HEADERS.items():
        value = params.get(member)
        if value is None:
            continue
        given = True
        for item in _text(value, member).split(","):
            match = _GRANTEE.fullmatch(item)
            if match is None:
                raise invalid_argument(f'{member} must list grantees as id="...", uri="..." or emailAddress="..."')
            found.append({"Grantee": _grantee(match.group(1), match.group(2)), "Permission": permission})
    return found if given else None


def grants(value: object) -> list[dict[str, Any]]:
    """An access control list (``Grants``), each grantee a canonical user or a group."""
    shaped = []
    for item in _list(value, "Grants"):
        grant = _mapping(item, "a grant")
        _only(grant, "a grant", "Grantee", "Permission")
        grantee = _mapping(grant.get("Grantee"), "Grantee")
        _only(grantee, "Grantee", "Type", "ID", "URI", "EmailAddress", "DisplayName")
        kind = _choice(grantee.get("Type"), "Type", frozenset({"CanonicalUser", "Group", "AmazonCustomerByEmail"}))
        key, member = {"CanonicalUser": ("id", "ID"), "Group": ("uri", "URI")}.get(
            kind, ("emailAddress", "EmailAddress")
        )
        shaped.append(
            {
                "Grantee": _grantee(key, _text(grantee.get(member), member)),
                "Permission": _choice(grant.get("Permission"), "Permission", PERMISSIONS),
            }
        )
    return shaped


def access_control_policy(value: object) -> list[dict[str, Any]]:
    """The grants of PutBucketAcl's AccessControlPolicy (which must name its Owner)."""
    policy = _mapping(value, "AccessControlPolicy")
    _only(policy, "AccessControlPolicy", "Grants", "Owner")
    if not isinstance(policy.get("Owner"), dict):
        raise AwsError("MalformedACLError", MALFORMED_XML)
    return grants(policy.get("Grants", []))


def only_owner(acl: list[dict[str, Any]], owner_id: str) -> bool:
    """Whether the ACL grants nobody but the bucket owner (what a bucket with ACLs disabled may have)."""
    return all(grant["Grantee"].get("ID") == owner_id for grant in acl)


def public_acl(acl: list[dict[str, Any]]) -> bool:
    """Whether the ACL grants anything to everyone or to every authenticated AWS user ("The meaning of public")."""
    return any(grant["Grantee"].get("URI") in (ALL_USERS, AUTHENTICATED_USERS) for grant in acl)


_FIXED_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:SourceVpc", "aws:SourceVpce",
        "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:userid",
        "aws:SourceIp", "s3:DataAccessPointArn", "s3:DataAccessPointAccount",
    )
)  # fmt: skip


def public_policy(document: Mapping[str, Any]) -> bool:
    """Whether a bucket policy is public ("The meaning of public"): an Allow to every principal (``*`` or
    ``{"AWS": "*"}``) not narrowed by a condition on a key with a fixed value (aws:SourceArn, aws:SourceAccount,
    aws:PrincipalOrgID, aws:SourceIp other than 0.0.0.0/0, ...). A simplification: any such condition counts as
    narrowing, whatever its operator."""
    statements = document.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        everyone = principal == "*" or (isinstance(principal, dict) and _has_star(principal.get("AWS")))
        if everyone and not _narrowed(statement.get("Condition")):
            return True
    return False


def _has_star(value: object) -> bool:
    return value == "*" or (isinstance(value, list) and "*" in value)


def _narrowed(condition: object) -> bool:
    """Whether a Condition fixes one of the keys that make a policy non-public (a value without a wildcard; for
    aws:SourceIp, a range other than /0)."""
    if not isinstance(condition, dict):
        return False
    for keys in condition.values():
        for key, value in keys.items() if isinstance(keys, dict) else ():
            name = str(key).lower()
            values = [str(item) for item in (value if isinstance(value, list) else [value])]
            if name == "aws:sourceip":
                if not any(item.endswith("/0") for item in values):
                    return True
            elif name in _FIXED_KEYS and not any("*" in item for item in values):
                return True
    return False


# -- logging, lifecycle, tags, notifications, object lock -----------------------------------------------------


def logging_enabled(value: object) -> dict[str, Any]:
    """A LoggingEnabled: TargetBucket and TargetPrefix, and optionally TargetGrants and TargetObjectKeyFormat."""
    config = _mapping(value, "LoggingEnabled")
    _only(config, "LoggingEnabled", "TargetBucket", "TargetPrefix", "TargetGrants", "TargetObjectKeyFormat")
    shaped: dict[str, Any] = {
        "TargetBucket": _text(config.get("TargetBucket"), "TargetBucket"),
        "TargetPrefix": _text(config.get("TargetPrefix"), "TargetPrefix"),
    }
    if config.get("TargetGrants") is not None:
        shaped["TargetGrants"] = grants(config["TargetGrants"])
    key_format = config.get("TargetObjectKeyFormat")
    if key_format is not None:
        key_format = _mapping(key_format, "TargetObjectKeyFormat")
        _only(key_format, "TargetObjectKeyFormat", "SimplePrefix", "PartitionedPrefix")
        if len(key_format) != 1:
            raise Malformed("TargetObjectKeyFormat must hold one of SimplePrefix and PartitionedPrefix")
        shaped["TargetObjectKeyFormat"] = copy_json(key_format)
    return shaped


def logging_status(value: object) -> dict[str, Any] | None:
    """PutBucketLogging's BucketLoggingStatus: its LoggingEnabled, or None (logging off) when it has none."""
    status = _mapping(value, "BucketLoggingStatus")
    _only(status, "BucketLoggingStatus", "LoggingEnabled")
    enabled = status.get("LoggingEnabled")
    return None if enabled is None else logging_enabled(enabled)


_ACTIONS = (
    "Expiration", "Transitions", "NoncurrentVersionTransitions", "NoncurrentVersionExpiration",
    "AbortIncompleteMultipartUpload",
)  # fmt: skip


def lifecycle(value: object, bucket: str) -> dict[str, Any]:
    """A lifecycle configuration ({Rules, TransitionDefaultMinimumObjectSize}), each rule with an ID (derived
    when the request gives none, as S3 makes one up)."""
    config = _mapping(value, "LifecycleConfiguration")
    _only(config, "LifecycleConfiguration", "Rules", "TransitionDefaultMinimumObjectSize")
    rules = _list(config.get("Rules"), "Rules")
    if not 1 <= len(rules) <= 1000:
        raise Malformed("Rules must hold 1 to 1000 rules")
    shaped: list[dict[str, Any]] = []
    for index, item in enumerate(rules):
        rule = copy_json(_mapping(item, "a rule"))
        _only(rule, "a rule", "ID", "Prefix", "Filter", "Status", *_ACTIONS)
        _choice(rule.get("Status"), "Status", frozenset({"Enabled", "Disabled"}))
        if (rule.get("Filter") is None) == (rule.get("Prefix") is None):
            raise Malformed("a rule must have exactly one of Filter and Prefix")
        if rule.get("Filter") is not None and len(_mapping(rule["Filter"], "Filter")) > 1:
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
        "TransitionDefaultMinimumObjectSize": _choice(size, "TransitionDefaultMinimumObjectSize", TRANSITION_SIZES),
    }


def tag_set(pairs: list[tuple[str, str]], *, limit: int, what: str) -> dict[str, str]:
    """Tags as S3 checks them (keys 1-128 characters, values up to 256, no aws: keys, no repeated key)."""
    if len(pairs) > limit:
        raise AwsError(
            "InvalidTag" if what == "Bucket" else "BadRequest", f"{what} tag count cannot be greater than {limit}"
        )
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
    tagging = _mapping(value, "Tagging")
    _only(tagging, "Tagging", "TagSet")
    pairs = []
    for item in _list(tagging.get("TagSet"), "TagSet"):
        tag = _mapping(item, "a tag")
        _only(tag, "a tag", "Key", "Value")
        pairs.append((_text(tag.get("Key"), "Key"), _text(tag.get("Value"), "Value")))
    return tag_set(pairs, limit=50, what="Bucket")


def object_tags(value: str) -> dict[str, str]:
    """PutObject's Tagging, URL query parameters (``key1=value1&key2=value2``)."""
    return tag_set(parse_qsl(value, keep_blank_values=True), limit=10, what="Object")


def notifications(value: object, bucket: str) -> dict[str, Any]:
    """A NotificationConfiguration, each destination with its Id (derived when the request gives none)."""
    config = _mapping(value, "NotificationConfiguration")
    _only(config, "NotificationConfiguration", *NOTIFICATION_KINDS, "EventBridgeConfiguration")
    shaped: dict[str, Any] = {}
    for kind, arn_member in NOTIFICATION_KINDS.items():
        if config.get(kind) is None:
            continue
        items = []
        for index, item in enumerate(_list(config[kind], kind)):
            destination = copy_json(_mapping(item, kind))
            _only(destination, kind, "Id", arn_member, "Events", "Filter")
            _text(destination.get(arn_member), arn_member)
            events = _list(destination.get("Events"), "Events")
            if not events:
                raise Malformed("Events must name at least one event")
            for event in events:
                if event not in NOTIFICATION_EVENTS:
                    raise invalid_argument("The event is not supported for notifications")
            for rule in ((destination.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []:
                if str(_mapping(rule, "a filter rule").get("Name", "")).lower() not in ("prefix", "suffix"):
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
    config = _mapping(value, "ObjectLockConfiguration")
    _only(config, "ObjectLockConfiguration", "ObjectLockEnabled", "Rule")
    shaped: dict[str, Any] = {
        "ObjectLockEnabled": _choice(config.get("ObjectLockEnabled"), "ObjectLockEnabled", frozenset({"Enabled"}))
    }
    if config.get("Rule") is not None:
        rule = _mapping(config["Rule"], "Rule")
        _only(rule, "Rule", "DefaultRetention")
        retention = _mapping(rule.get("DefaultRetention"), "DefaultRetention")
        _only(retention, "DefaultRetention", "Mode", "Days", "Years")
        mode = _choice(retention.get("Mode"), "Mode", frozenset({"GOVERNANCE", "COMPLIANCE"}))
        periods = [name for name in ("Days", "Years") if retention.get(name) is not None]
        if len(periods) != 1:
            raise Malformed("DefaultRetention must have exactly one of Days and Years")
        period = retention[periods[0]]
        if not isinstance(period, int) or isinstance(period, bool) or period <= 0:
            raise invalid_argument("Default retention period must be a positive integer value")
        shaped["Rule"] = {"DefaultRetention": {"Mode": mode, periods[0]: period}}
    return shaped
