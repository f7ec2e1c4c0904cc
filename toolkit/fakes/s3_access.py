"""Who may do what in S3: access control lists (canned ACLs, grant headers, AccessControlPolicy), Object
Ownership, the public access block, when an ACL or a bucket policy is public, and server access logging's target.

Checked as S3 checks the requests that set them, for requests and world files alike (as ``toolkit.fakes.s3_rules``
does for the other configurations). Sources: the S3 API reference of each operation and the user guide's "Access
control list (ACL) overview" (canned ACLs, group URIs), "Controlling ownership of objects and disabling ACLs" and
"The meaning of public".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json
from toolkit.fakes.s3_rules import (
    MALFORMED_XML,
    Malformed,
    flag_of,
    invalid_argument,
    list_of,
    mapping_of,
    one_of,
    only_keys,
    text_of,
)

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
_CANONICAL_ID = re.compile(r"[0-9a-f]{64}")
_GRANTEE = re.compile(r'\s*(id|uri|emailAddress)\s*=\s*(?:"([^"]*)"|([^",\s]+))\s*', re.IGNORECASE)
"""One grantee of an x-amz-grant-* header: ``type=value``, the value quoted or not, the type in any case. The S3 API
reference quotes the values (``x-amz-grant-read: id="111122223333", id="444455556666"``) and calls each grantee "a
type=value pair"; the AWS CLI's own example sends the header unquoted and in lower case (awscli/examples/s3api/
put-bucket-acl.rst: ``--grant-read uri=http://acs.amazonaws.com/groups/global/AllUsers``, ``emailaddress=...``), and
AWS Automated Security Response's runbooks send ``uri=http://acs.amazonaws.com/groups/s3/LogDelivery`` to
CreateBucket and PutBucketAcl; S3 accepts both."""


# -- public access block, ownership ---------------------------------------------------------------------------


PUBLIC_ACCESS_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
ALL_BLOCKED: Mapping[str, bool] = dict.fromkeys(PUBLIC_ACCESS_SETTINGS, True)
"""The public access block of every bucket CreateBucket makes since April 2023 (user guide, "Blocking public
access to your Amazon S3 storage")."""


def public_access_block(value: object) -> dict[str, bool]:
    config = mapping_of(value, "PublicAccessBlockConfiguration")
    only_keys(config, "PublicAccessBlockConfiguration", *PUBLIC_ACCESS_SETTINGS)
    if not any(config.get(name) is not None for name in PUBLIC_ACCESS_SETTINGS):
        raise AwsError("InvalidRequest", "Must specify at least one configuration.")
    return {name: flag_of(config.get(name, False), name) for name in PUBLIC_ACCESS_SETTINGS}


def ownership_controls(value: object) -> dict[str, Any]:
    config = mapping_of(value, "OwnershipControls")
    only_keys(config, "OwnershipControls", "Rules")
    rules = list_of(config.get("Rules"), "Rules")
    if len(rules) != 1:
        raise Malformed("Rules must hold exactly one rule")
    rule = mapping_of(rules[0], "a rule")
    only_keys(rule, "a rule", "ObjectOwnership")
    return {"Rules": [{"ObjectOwnership": one_of(rule.get("ObjectOwnership"), "ObjectOwnership", OWNERSHIPS)}]}


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
        for item in text_of(value, member).split(","):
            match = _GRANTEE.fullmatch(item)
            if match is None:
                raise invalid_argument(f'{member} must list grantees as id="...", uri="..." or emailAddress="..."')
            kind = {"id": "id", "uri": "uri", "emailaddress": "emailAddress"}[match.group(1).lower()]
            value = match.group(2) if match.group(2) is not None else match.group(3)
            found.append({"Grantee": _grantee(kind, value), "Permission": permission})
    return found if given else None


def grants(value: object) -> list[dict[str, Any]]:
    """An access control list (``Grants``), each grantee a canonical user or a group."""
    shaped = []
    for item in list_of(value, "Grants"):
        grant = mapping_of(item, "a grant")
        only_keys(grant, "a grant", "Grantee", "Permission")
        grantee = mapping_of(grant.get("Grantee"), "Grantee")
        only_keys(grantee, "Grantee", "Type", "ID", "URI", "EmailAddress", "DisplayName")
        kind = one_of(grantee.get("Type"), "Type", frozenset({"CanonicalUser", "Group", "AmazonCustomerByEmail"}))
        key, member = {"CanonicalUser": ("id", "ID"), "Group": ("uri", "URI")}.get(
            kind, ("emailAddress", "EmailAddress")
        )
        shaped.append(
            {
                "Grantee": _grantee(key, text_of(grantee.get(member), member)),
                "Permission": one_of(grant.get("Permission"), "Permission", PERMISSIONS),
            }
        )
    return shaped


def access_control_policy(value: object) -> list[dict[str, Any]]:
    """The grants of PutBucketAcl's AccessControlPolicy (which must name its Owner)."""
    policy = mapping_of(value, "AccessControlPolicy")
    only_keys(policy, "AccessControlPolicy", "Grants", "Owner")
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


# -- server access logging -------------------------------------------------------------------------------------


def logging_enabled(value: object) -> dict[str, Any]:
    """A LoggingEnabled: TargetBucket and TargetPrefix, and optionally TargetGrants and TargetObjectKeyFormat."""
    config = mapping_of(value, "LoggingEnabled")
    only_keys(config, "LoggingEnabled", "TargetBucket", "TargetPrefix", "TargetGrants", "TargetObjectKeyFormat")
    shaped: dict[str, Any] = {
        "TargetBucket": text_of(config.get("TargetBucket"), "TargetBucket"),
        "TargetPrefix": text_of(config.get("TargetPrefix"), "TargetPrefix"),
    }
    if config.get("TargetGrants") is not None:
        shaped["TargetGrants"] = grants(config["TargetGrants"])
    key_format = config.get("TargetObjectKeyFormat")
    if key_format is not None:
        key_format = mapping_of(key_format, "TargetObjectKeyFormat")
        only_keys(key_format, "TargetObjectKeyFormat", "SimplePrefix", "PartitionedPrefix")
        if len(key_format) != 1:
            raise Malformed("TargetObjectKeyFormat must hold one of SimplePrefix and PartitionedPrefix")
        shaped["TargetObjectKeyFormat"] = copy_json(key_format)
    return shaped


def logging_status(value: object) -> dict[str, Any] | None:
    """PutBucketLogging's BucketLoggingStatus: its LoggingEnabled, or None (logging off) when it has none."""
    status = mapping_of(value, "BucketLoggingStatus")
    only_keys(status, "BucketLoggingStatus", "LoggingEnabled")
    enabled = status.get("LoggingEnabled")
    return None if enabled is None else logging_enabled(enabled)
