"""The fake CloudWatch Logs's operations (``OPERATIONS``) on the state in ``toolkit.fakes.logs``.

Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups (by ``logGroupNamePrefix`` or, case-blind,
``logGroupNamePattern``; by ``logGroupIdentifiers`` and ``logGroupClass``; paged by ``limit`` up to 50 and
``nextToken``). Tags: TagResource, UntagResource, ListTagsForResource and the older TagLogGroup, UntagLogGroup,
ListTagsLogGroup. Retention: PutRetentionPolicy, DeleteRetentionPolicy. Encryption: AssociateKmsKey,
DisassociateKmsKey. Streams and events are in ``toolkit.fakes.services.log_streams``; resource policies and
metric filters in ``toolkit.fakes.services.log_policies``. Timestamps are epoch milliseconds, as the Logs API
models them (``long``), not datetimes.

A KMS key (CreateLogGroup's ``kmsKeyId``, AssociateKmsKey) must be a key ARN naming an enabled key of this account
and region whose key policy lets ``logs.<region>.amazonaws.com`` use it for this log group: kms:GenerateDataKey and
kms:Decrypt with ``kms:EncryptionContext:aws:logs:arn`` = the group's ARN (the statement the CloudWatch Logs guide
"Encrypt log data in CloudWatch Logs using AWS KMS" gives). Anything else is refused as AWS refuses it:
AccessDeniedException "The specified KMS key does not exist or is not allowed to be used with Arn '<group arn>'".

Refused as AWS's model allows but the fake does not model: ``deletionProtectionEnabled`` true, and AssociateKmsKey
on a ``resourceIdentifier`` that is not a log group (query results): both raise NotModeledByFakeWorld.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.cloudtrail import health
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.logs import LOG_GROUP_CLASSES, MAX_TAGS, RETENTION_DAYS, LogGroup, millis
from toolkit.fakes.requests import str_list
from toolkit.fakes.services import kms as kms_operations
from toolkit.fakes.services import log_policies, log_streams
from toolkit.fakes.services.log_lookup import (
    check_group_name,
    constraint,
    find_group,
    flag,
    group_by_arn,
    group_name,
    integer,
    invalid,
    not_found,
    page,
    store,
    string_map,
    text,
)
from toolkit.iam.policy import request_context

TAG_KEY = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$"
TAG_VALUE = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"
_TAG_CHARACTERS = frozenset("_.:/=+-@ ")


# -- log groups -----------------------------------------------------------------------------------------------


def create_log_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = group_name(params)
    if name.lower().startswith("aws/"):
        raise invalid("Log groups starting with AWS/ are reserved for AWS.")
    tags = _tags(params, "tags") or {}
    group_class = text(params, "logGroupClass") or "STANDARD"
    if group_class not in LOG_GROUP_CLASSES:
        allowed = ", ".join(LOG_GROUP_CLASSES)
        raise constraint("logGroupClass", group_class, f"Member must satisfy enum value set: [{allowed}]")
    if flag(params, "deletionProtectionEnabled"):
        raise NotModeled("logs", "CreateLogGroup with deletionProtectionEnabled")
    key_id = text(params, "kmsKeyId", most=256)
    if (backend.region, name) in backend.world.log_groups:
        raise AwsError("ResourceAlreadyExistsException", "The specified log group already exists")
    group = LogGroup(
        name=name, region=backend.region, creation_time=backend.now(), log_group_class=group_class, tags=tags
    )
    if key_id:
        check_key(backend, group, key_id)
        group.kms_key_id = key_id
    store(backend, group)
    return {}


def delete_log_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, group_name(params))
    health.before_change(backend, log_group=(group.region, group.name))
    del backend.world.log_groups[(group.region, group.name)]
    return {}


def describe_log_groups(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """In name order. As observed, a listing by ``logGroupNamePattern`` leaves out storedBytes and
    deletionProtectionEnabled, which the other listings give."""
    prefix = text(params, "logGroupNamePrefix", most=512)
    pattern = text(params, "logGroupNamePattern", most=512)
    if prefix is not None and pattern is not None:
        raise invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
    limit = integer(params, "limit", 1, 50) or 50
    token = text(params, "nextToken")
    wanted_class = text(params, "logGroupClass")
    identifiers = str_list(params, "logGroupIdentifiers")
    accounts = str_list(params, "accountIdentifiers")
    if accounts is not None and backend.account not in accounts:
        return {"logGroups": []}
    named = None
    if identifiers is not None:
        named = set()
        for identifier in identifiers:
            found = group_by_arn(backend, identifier) if identifier.startswith("arn:") else None
            named.add(found.name if found is not None else identifier)
    folded = None if pattern is None else pattern.lower()
    groups = sorted(
        (
            group
            for (region, name), group in backend.world.log_groups.items()
            if region == backend.region
            and (prefix is None or name.startswith(prefix))
            and (folded is None or folded in name.lower())
            and (wanted_class is None or group.log_group_class == wanted_class)
            and (named is None or name in named)
        ),
        key=_name,
    )
    chunk, next_token = page(groups, _name, limit, token)
    listed = [describe_group(backend, group, by_pattern=pattern is not None) for group in chunk]
    return {"logGroups": listed} if next_token is None else {"logGroups": listed, "nextToken": next_token}


def describe_group(backend: FakeBackend, group: LogGroup, *, by_pattern: bool = False) -> dict[str, Any]:
    arn = group.arn(backend.partition, backend.account)
    entry: dict[str, Any] = {
        "logGroupName": group.name,
        "creationTime": millis(group.creation_time),
        "metricFilterCount": len(group.metric_filters),
        "arn": f"{arn}:*",
        "logGroupClass": group.log_group_class,
        "logGroupArn": arn,
    }
    if not by_pattern:
        entry["storedBytes"] = 0
        entry["deletionProtectionEnabled"] = False
    if group.retention_in_days is not None:
        entry["retentionInDays"] = group.retention_in_days
    if group.kms_key_id is not None:
        entry["kmsKeyId"] = group.kms_key_id
    return entry


def _name(group: LogGroup) -> str:
    return group.name


# -- tags -----------------------------------------------------------------------------------------------------


def tag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = _tagged(backend, params)
    _tag(backend, group, _tags(params, "tags", required=True) or {})
    return {}


def untag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = _tagged(backend, params)
    _untag(backend, group, _tag_keys(params, "tagKeys"))
    return {}


def list_tags_for_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"tags": dict(sorted(_tagged(backend, params).tags.items()))}


def tag_log_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, group_name(params))
    _tag(backend, group, _tags(params, "tags", required=True) or {})
    return {}


def untag_log_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, group_name(params))
    _untag(backend, group, _tag_keys(params, "tags"))
    return {}


def list_tags_log_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"tags": dict(sorted(find_group(backend, group_name(params)).tags.items()))}


def _tagged(backend: FakeBackend, params: dict[str, Any]) -> LogGroup:
    """The log group a ``resourceArn`` names; no other taggable resource (destinations, deliveries...) exists in
    the fake world, so any other ARN names nothing."""
    arn = text(params, "resourceArn", required=True, most=1011) or ""
    group = group_by_arn(backend, arn)
    if group is None:
        # [UNVERIFIED] the wording for an ARN of another kind of resource.
        raise not_found("The specified log group does not exist." if ":log-group:" in arn else "Resource not found.")
    return group


def _tag(backend: FakeBackend, group: LogGroup, tags: dict[str, str]) -> None:
    merged = {**group.tags, **tags}
    if len(merged) > MAX_TAGS:
        # [UNVERIFIED] the message's wording; the code and the limit of 50 are documented.
        raise AwsError("TooManyTagsException", f"A resource can have no more than {MAX_TAGS} tags.")
    changed = group.clone()
    changed.tags = merged
    store(backend, changed)


def _untag(backend: FakeBackend, group: LogGroup, keys: list[str]) -> None:
    changed = group.clone()
    changed.tags = {key: value for key, value in group.tags.items() if key not in keys}
    store(backend, changed)


def _tags(params: dict[str, Any], member: str, *, required: bool = False) -> dict[str, str] | None:
    tags = string_map(params, member)
    if tags is None:
        if required:
            raise constraint(member, None, "Member must not be null")
        return None
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or not all(char.isalnum() or char in _TAG_CHARACTERS for char in key):
            raise constraint(
                f"{member}.{key}.member.key", key, f"Member must satisfy regular expression pattern: {TAG_KEY}"
            )
        if len(value) > 256 or not all(char.isalnum() or char in _TAG_CHARACTERS for char in value):
            raise constraint(
                f"{member}.{key}.member.value", value, f"Member must satisfy regular expression pattern: {TAG_VALUE}"
            )
    if len(tags) > MAX_TAGS:
        raise constraint(member, tags, f"Member must have length less than or equal to {MAX_TAGS}")
    return tags


def _tag_keys(params: dict[str, Any], member: str) -> list[str]:
    keys = str_list(params, member)
    if keys is None:
        raise constraint(member, None, "Member must not be null")
    return keys


# -- retention ------------------------------------------------------------------------------------------------


def put_retention_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = group_name(params)
    days = integer(params, "retentionInDays")
    if days is None:
        raise constraint("retentionInDays", None, "Member must not be null")
    if days not in RETENTION_DAYS:
        allowed = ", ".join(map(str, RETENTION_DAYS))
        raise constraint("retentionInDays", days, f"Member must satisfy enum value set: [{allowed}]")
    changed = find_group(backend, name).clone()
    changed.retention_in_days = days
    store(backend, changed)
    return {}


def delete_retention_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    changed = find_group(backend, group_name(params)).clone()
    changed.retention_in_days = None
    store(backend, changed)
    return {}


# -- KMS keys -------------------------------------------------------------------------------------------------


def associate_kms_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key_id = text(params, "kmsKeyId", required=True, most=256) or ""
    group = _key_target(backend, params)
    check_key(backend, group, key_id)
    changed = group.clone()
    changed.kms_key_id = key_id
    store(backend, changed)
    return {}


def disassociate_kms_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    changed = _key_target(backend, params).clone()
    changed.kms_key_id = None
    store(backend, changed)
    return {}


def _key_target(backend: FakeBackend, params: dict[str, Any]) -> LogGroup:
    """The log group of ``logGroupName`` or of ``resourceIdentifier`` (a log group ARN): exactly one of them."""
    name = text(params, "logGroupName")
    identifier = text(params, "resourceIdentifier", most=2048)
    if (name is None) == (identifier is None):
        # [UNVERIFIED] the wording; the API reference says to give exactly one of them.
        raise invalid("Specify exactly one of logGroupName and resourceIdentifier.")
    if name is not None:
        return find_group(backend, check_group_name(name))
    assert identifier is not None
    if ":log-group:" not in identifier:
        raise NotModeled("logs", "AssociateKmsKey or DisassociateKmsKey on a resourceIdentifier other than a log group")
    group = group_by_arn(backend, identifier)
    if group is None:
        raise not_found()
    return group


def check_key(backend: FakeBackend, group: LogGroup, key_id: str) -> None:
    """The key is an enabled key of this account and region whose policy lets CloudWatch Logs use it for
    ``group`` (see the module's docstring); else AccessDeniedException, as AWS answers either case."""
    arn = group.arn(backend.partition, backend.account)
    refused = AwsError(
        "AccessDeniedException",
        f"The specified KMS key does not exist or is not allowed to be used with Arn '{arn}'",
    )
    parts = key_id.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "kms" or not parts[5].startswith("key/"):
        raise refused
    try:
        key = kms_operations.resolve(backend, key_id)
    except AwsError as err:
        raise refused from err
    if not key.enabled:
        raise refused
    suffix = ".cn" if backend.partition == "aws-cn" else ""
    logs = ("Service", f"logs.{backend.region}.amazonaws.com{suffix}")
    key_arn = key.arn(backend.partition, backend.account)
    request = request_context({"kms:EncryptionContext:aws:logs:arn": arn, "aws:SourceAccount": backend.account})
    policy = key.effective_policy(backend.partition, backend.account)
    if not all(policy.allows(logs, action, key_arn, request) for action in ("kms:GenerateDataKey", "kms:Decrypt")):
        raise refused


OPERATIONS: dict[str, Operation] = {
    "CreateLogGroup": create_log_group,
    "DeleteLogGroup": delete_log_group,
    "DescribeLogGroups": describe_log_groups,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
    "TagLogGroup": tag_log_group,
    "UntagLogGroup": untag_log_group,
    "ListTagsLogGroup": list_tags_log_group,
    "PutRetentionPolicy": put_retention_policy,
    "DeleteRetentionPolicy": delete_retention_policy,
    "AssociateKmsKey": associate_kms_key,
    "DisassociateKmsKey": disassociate_kms_key,
    **log_streams.OPERATIONS,
    **log_policies.OPERATIONS,
}
