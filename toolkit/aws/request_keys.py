"""The request-specific condition keys of one call, read from its parameters.

The Service Authorization Reference lists, per action and per resource type, the condition keys AWS may set.
Each such key is one of:
- the glue's: global ``aws:`` keys (principal, network, time...) and resource-tag keys (``aws:ResourceTag/k``,
  ``iam:ResourceTag/k``, ``s3:ExistingObjectTag/k``...), which need the principal or the resource, not the request;
- filled here from the request (``EXTRACTORS``): present when the request carries it, absent when it does not
  (AWS sets e.g. ``s3:x-amz-acl`` only when the header is sent), or UNKNOWN when the request leaves it to a default
  or to the resource (``kms:KeySpec`` without KeySpec, ``iam:PermissionsBoundary`` of an existing role);
- known to be absent for a direct call (``ABSENT``): ``kms:ViaService`` (only when a service calls KMS for the
  principal), web-identity and SAML keys on sts:AssumeRole, ``kms:RecipientAttestation:*``...;
- otherwise unknown: AWS would set it, and nothing in the request says to what (``s3:TlsVersion``,
  ``ec2:InstanceType`` of an instance being terminated).
Key names are lower case (IAM compares them case-insensitively, iam.md 1.5); values keep their case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final
from urllib.parse import parse_qsl

Value = str | tuple[str, ...]
Pairs = list[tuple[str, Value]]


class Unknown:
    """The request leaves this key to a default or to the resource."""

    __slots__ = ()


UNKNOWN: Final = Unknown()

Extractor = Callable[[Mapping[str, Any], str], "Pairs | Unknown | None"]
"""(request, caller's account) -> the key's (name, value) pairs, UNKNOWN, or None when AWS does not set it."""


def _text(value: Any) -> Value | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return tuple(str(item) for item in value)
    return None


def _path(params: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = params
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def header(key: str, *path: str) -> Extractor:
    """A key AWS sets exactly when the request carries the parameter at ``path``."""

    if len(path) == 1:
        name = path[0]

        def direct(params: Mapping[str, Any], account: str) -> Pairs | None:
            found = params.get(name)
            if found is None:
                return None
            value = _text(found)
            return [(key, value)] if value is not None else None

        return direct

    def extract(params: Mapping[str, Any], account: str) -> Pairs | None:
        value = _text(_path(params, path))
        return [(key, value)] if value is not None else None

    return extract


def defaulted(key: str, *path: str) -> Extractor:
    """A key AWS sets from the parameter, or from a default or the resource when the request has none."""

    def extract(params: Mapping[str, Any], account: str) -> Pairs | Unknown:
        value = _text(_path(params, path))
        return [(key, value)] if value is not None else UNKNOWN

    return extract


def constant(key: str, value: str) -> Extractor:
    def extract(params: Mapping[str, Any], account: str) -> Pairs:
        return [(key, value)]

    return extract


# -- tags ----------------------------------------------------------------------------------------------------

_TAG_PARAMS: Final = ("Tags", "TagList", "TagsList", "tags", "Tagging", "TagSet")


def request_tags(params: Mapping[str, Any]) -> dict[str, str] | None:
    """The tags a request sets, from any of AWS's shapes: a list of {Key, Value} (any case, or TagKey/TagValue), a
    {key: value} map, S3's {TagSet: [...]} or its URL-encoded ``Tagging`` string. None: the request sets none."""
    for name in _TAG_PARAMS:
        value = params.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            return dict(parse_qsl(value, keep_blank_values=True))
        if isinstance(value, Mapping) and isinstance(value.get("TagSet"), list):
            value = value["TagSet"]
        if isinstance(value, Mapping):
            return {str(key): str(item) for key, item in value.items()}
        if isinstance(value, list):
            tags = {}
            for tag in value:
                if not isinstance(tag, Mapping):
                    continue
                key = tag.get("Key", tag.get("key", tag.get("TagKey")))
                item = tag.get("Value", tag.get("value", tag.get("TagValue", "")))
                if isinstance(key, str):
                    tags[key] = str(item)
            return tags
    return None


def _request_tag(prefix: str) -> Extractor:
    def extract(params: Mapping[str, Any], account: str) -> Pairs | None:
        tags = request_tags(params)
        return [(f"{prefix}{key}".lower(), value) for key, value in tags.items()] if tags else None

    return extract


def _tag_keys(key: str) -> Extractor:
    def extract(params: Mapping[str, Any], account: str) -> Pairs | None:
        tags = request_tags(params)
        keys = list(tags) if tags else params.get("TagKeys", params.get("tagKeys"))
        if isinstance(keys, list) and keys and all(isinstance(item, str) for item in keys):
            return [(key, tuple(keys))]
        return None

    return extract


# -- KMS -----------------------------------------------------------------------------------------------------


def _encryption_context(params: Mapping[str, Any]) -> Mapping[str, Any] | None:
    context = params.get("EncryptionContext")
    if isinstance(context, Mapping):
        return context
    constraints = params.get("Constraints")  # CreateGrant: the grant's constraints
    if isinstance(constraints, Mapping):
        for name in ("EncryptionContextEquals", "EncryptionContextSubset"):
            if isinstance(constraints.get(name), Mapping):
                return constraints[name]  # type: ignore[no-any-return]
    return None


def _context_pairs(params: Mapping[str, Any], account: str) -> Pairs | None:
    context = _encryption_context(params)
    return [(f"kms:encryptioncontext:{key}".lower(), str(value)) for key, value in context.items()] if context else None


def _context_keys(params: Mapping[str, Any], account: str) -> Pairs | None:
    context = _encryption_context(params)
    return [("kms:encryptioncontextkeys", tuple(context))] if context else None


def _request_alias(params: Mapping[str, Any], account: str) -> Pairs | None:
    # KMSDG/conditions-kms.html#conditions-kms-request-alias: the alias name (or alias ARN) in the KeyId
    key = params.get("KeyId")
    if isinstance(key, str) and (key.startswith("alias/") or ":alias/" in key):
        return [("kms:requestalias", key[key.index("alias/") :])]
    return None


def _caller_account(params: Mapping[str, Any], account: str) -> Pairs:
    return [("kms:calleraccount", account)]


def _grant_constraint(params: Mapping[str, Any], account: str) -> Pairs | None:
    constraints = params.get("Constraints")
    if isinstance(constraints, Mapping) and constraints:
        return [("kms:grantconstrainttype", next(iter(constraints)))]
    return None


# -- the table -----------------------------------------------------------------------------------------------

EXTRACTORS: Final[dict[str, Extractor]] = {
    "aws:requesttag/${tagkey}": _request_tag("aws:RequestTag/"),
    "aws:tagkeys": _tag_keys("aws:tagkeys"),
    # S3: each key is a request header (SAR/list_amazons3.html#amazons3-policy-keys)
    "s3:x-amz-acl": header("s3:x-amz-acl", "ACL"),
    "s3:x-amz-grant-full-control": header("s3:x-amz-grant-full-control", "GrantFullControl"),
    "s3:x-amz-grant-read": header("s3:x-amz-grant-read", "GrantRead"),
    "s3:x-amz-grant-read-acp": header("s3:x-amz-grant-read-acp", "GrantReadACP"),
    "s3:x-amz-grant-write": header("s3:x-amz-grant-write", "GrantWrite"),
    "s3:x-amz-grant-write-acp": header("s3:x-amz-grant-write-acp", "GrantWriteACP"),
    "s3:x-amz-copy-source": header("s3:x-amz-copy-source", "CopySource"),
    "s3:x-amz-metadata-directive": header("s3:x-amz-metadata-directive", "MetadataDirective"),
    "s3:x-amz-server-side-encryption": header("s3:x-amz-server-side-encryption", "ServerSideEncryption"),
    "s3:x-amz-server-side-encryption-aws-kms-key-id": header(
        "s3:x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId"
    ),
    "s3:x-amz-server-side-encryption-customer-algorithm": header(
        "s3:x-amz-server-side-encryption-customer-algorithm", "SSECustomerAlgorithm"
    ),
    "s3:x-amz-storage-class": header("s3:x-amz-storage-class", "StorageClass"),
    "s3:x-amz-website-redirect-location": header("s3:x-amz-website-redirect-location", "WebsiteRedirectLocation"),
    "s3:x-amz-object-ownership": header("s3:x-amz-object-ownership", "ObjectOwnership"),
    "s3:object-lock-mode": header("s3:object-lock-mode", "ObjectLockMode"),
    "s3:object-lock-retain-until-date": header("s3:object-lock-retain-until-date", "ObjectLockRetainUntilDate"),
    "s3:object-lock-legal-hold": header("s3:object-lock-legal-hold", "ObjectLockLegalHoldStatus"),
    "s3:if-match": header("s3:if-match", "IfMatch"),
    "s3:if-none-match": header("s3:if-none-match", "IfNoneMatch"),
    "s3:locationconstraint": header("s3:locationconstraint", "CreateBucketConfiguration", "LocationConstraint"),
    "s3:prefix": header("s3:prefix", "Prefix"),
    "s3:delimiter": header("s3:delimiter", "Delimiter"),
    "s3:max-keys": header("s3:max-keys", "MaxKeys"),
    "s3:versionid": header("s3:versionid", "VersionId"),
    "s3:requestobjecttag/<key>": _request_tag("s3:RequestObjectTag/"),
    "s3:requestobjecttagkeys": _tag_keys("s3:requestobjecttagkeys"),
    # boto3 (and SSM's own SDK) sign every request with SigV4 in the Authorization header (S3 API Reference,
    # "Authenticating requests"; SAR s3:authType values REST-HEADER, REST-QUERY-STRING, POST)
    "s3:authtype": constant("s3:authtype", "REST-HEADER"),
    "s3:signatureversion": constant("s3:signatureversion", "AWS4-HMAC-SHA256"),
    # KMS (KMSDG/conditions-kms.html)
    "kms:encryptioncontext:${encryptioncontextkey}": _context_pairs,
    "kms:encryptioncontextkeys": _context_keys,
    "kms:requestalias": _request_alias,
    "kms:calleraccount": _caller_account,
    "kms:encryptionalgorithm": defaulted("kms:encryptionalgorithm", "EncryptionAlgorithm"),
    "kms:keyspec": defaulted("kms:keyspec", "KeySpec"),
    "kms:keyusage": defaulted("kms:keyusage", "KeyUsage"),
    "kms:keyorigin": defaulted("kms:keyorigin", "Origin"),
    "kms:multiregion": defaulted("kms:multiregion", "MultiRegion"),
    "kms:bypasspolicylockoutsafetycheck": defaulted(
        "kms:bypasspolicylockoutsafetycheck", "BypassPolicyLockoutSafetyCheck"
    ),
    "kms:grantoperations": header("kms:grantoperations", "Operations"),
    "kms:granteeprincipal": header("kms:granteeprincipal", "GranteePrincipal"),
    "kms:retiringprincipal": header("kms:retiringprincipal", "RetiringPrincipal"),
    "kms:grantconstrainttype": _grant_constraint,
    "kms:schedulekeydeletionpendingwindowindays": defaulted(
        "kms:schedulekeydeletionpendingwindowindays", "PendingWindowInDays"
    ),
    "kms:rotationperiodindays": defaulted("kms:rotationperiodindays", "RotationPeriodInDays"),
    # SSM (SAR/list_awssystemsmanager.html)
    "ssm:documentversion": defaulted("ssm:documentversion", "DocumentVersion"),
    "ssm:overwrite": defaulted("ssm:overwrite", "Overwrite"),
    "ssm:recursive": defaulted("ssm:recursive", "Recursive"),
    "ssm:policies": header("ssm:policies", "Policies"),
    "ssm:documenttype": defaulted("ssm:documenttype", "DocumentType"),
    # SNS, IAM, Organizations, STS: request parameters
    "sns:protocol": header("sns:protocol", "Protocol"),
    "sns:endpoint": header("sns:endpoint", "Endpoint"),
    "iam:policyarn": header("iam:policyarn", "PolicyArn"),
    "iam:permissionsboundary": defaulted("iam:permissionsboundary", "PermissionsBoundary"),
    "organizations:policytype": defaulted("organizations:policytype", "Type"),
    "organizations:serviceprincipal": header("organizations:serviceprincipal", "ServicePrincipal"),
    "sts:externalid": header("sts:externalid", "ExternalId"),
    "sts:rolesessionname": header("sts:rolesessionname", "RoleSessionName"),
    "sts:sourceidentity": header("sts:sourceidentity", "SourceIdentity"),
    "sts:transitivetagkeys": header("sts:transitivetagkeys", "TransitiveTagKeys"),
}
"""SAR condition key (lower case, as listed) -> how the request sets it."""

ABSENT: Final = frozenset(
    {
        "kms:viaservice",  # only when an AWS service calls KMS on the principal's behalf (KMSDG/conditions-kms)
        "kms:grantisforawsresource",  # only when an integrated service creates the grant
        "kms:granteeserviceprincipal",
        "kms:retiringserviceprincipal",
        "kms:grantconstraintsourcearn",
        "s3:accessgrantsinstancearn",  # only with S3 Access Grants credentials
        "s3:x-amz-object-annotation-directive",
        "s3:x-amz-bucket-namespace",
    }
)
"""Keys AWS does not set for a direct call from an SSM Automation execution's session."""

_ABSENT_PREFIXES: Final = ("kms:recipientattestation:",)  # only with a Nitro Enclaves Recipient parameter
_FEDERATION_PREFIXES: Final = (
    "accounts.google.com:",
    "cognito-identity.amazonaws.com:",
    "graph.facebook.com:",
    "www.amazon.com:",
    "saml:",
)  # sts:AssumeRoleWithWebIdentity / AssumeRoleWithSAML only; listed under sts:AssumeRole too


def classify(key: str) -> str:
    """``glue``, ``filled``, ``absent`` or ``unknown`` for a SAR condition key (any case)."""
    lower = key.lower()
    if lower in EXTRACTORS:
        return "filled"
    if lower.startswith("aws:") or ("tag/" in lower and "requesttag/" not in lower):
        return "glue"  # aws:* and the resource's tags (ResourceTag/, ExistingObjectTag/, s3:BucketTag/, db-tag/...)
    if lower in ABSENT or lower.startswith(_ABSENT_PREFIXES + _FEDERATION_PREFIXES):
        return "absent"
    return "unknown"
