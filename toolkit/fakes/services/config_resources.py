"""The fake AWS Config's resource configuration: BatchGetResourceConfig over the resources the world holds.

AWS (API reference, BatchGetResourceConfig): "Returns the BaseConfigurationItem for one or more requested
resources. The operation also returns a list of resources that are not processed in the current request"; "The API
does not return results for deleted resources" and returns no tags (they are filtered out of
supplementaryConfiguration). 1 to 100 resource keys (ValidationException beyond); NoAvailableConfigurationRecorder
Exception when the region has no recorder (the operation's documented errors are these two).

What the fake records, in the caller's region: S3 buckets homed there (AWS::S3::Bucket, id = name), trails homed
there (AWS::CloudTrail::Trail, id = name), KMS keys (AWS::KMS::Key, id = key id), SNS topics (AWS::SNS::Topic,
id = the topic ARN), log groups (AWS::Logs::LogGroup, id = name) and, as global resource types, IAM roles, users and
customer managed policies (AWS::IAM::Role/User/Policy, id = the unique id, awsRegion ``global``). A type is recorded
as the recorder's recording group says: all supported types (the IAM types only with includeGlobalResourceTypes),
the listed types, or all but the excluded ones (recordingStrategy EXCLUSION_BY_RESOURCE_TYPES).

Decisions where AWS is silent [UNVERIFIED]: a key the fake does not find (absent resource, unrecorded or unknown
type, a recorder never started) is left out of both lists, as a deleted resource is: ``unprocessedResourceKeys``
is AWS's way of asking the caller to retry, which the fake never needs; the world keeps no history, so a stopped
recorder answers with the resources as they are now (AWS would answer with them as last recorded). The item is
captured at the simulated clock's now (configurationStateId: its epoch milliseconds), with status OK and a minimal
``configuration`` per type (JSON text, the fields AWS's resource schema names for what the world holds).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.config.state import ConfigurationRecorder
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import struct_list

GLOBAL_TYPES: Final = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Policy")
REGIONAL_TYPES: Final = (
    "AWS::S3::Bucket",
    "AWS::CloudTrail::Trail",
    "AWS::KMS::Key",
    "AWS::SNS::Topic",
    "AWS::Logs::LogGroup",
)
MAX_KEYS: Final = 100

Item = dict[str, Any]
"""What the world knows of one resource: resourceName, arn, awsRegion, resourceCreationTime, configuration and
supplementaryConfiguration (the rest of the item is the same for every type)."""


def _text(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=False, default=str)


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _bucket(backend: FakeBackend, name: str) -> Item | None:
    bucket = backend.world.buckets.get(name)
    if bucket is None or bucket.region != backend.region:
        return None
    supplementary: dict[str, str] = {
        "BucketVersioningConfiguration": _text(
            {"status": bucket.versioning.get("Status", "Off"), "isMfaDeleteEnabled": None}
        )
    }
    if bucket.policy is not None:
        supplementary["BucketPolicy"] = _text({"policyText": bucket.policy.text()})
    if bucket.encryption is not None:
        supplementary["ServerSideEncryptionConfiguration"] = _text(bucket.encryption)
    if bucket.public_access_block is not None:
        supplementary["PublicAccessBlockConfiguration"] = _text(bucket.public_access_block)
    if bucket.logging:
        supplementary["BucketLoggingConfiguration"] = _text(bucket.logging)
    return {
        "resourceName": name,
        "arn": bucket.arn(backend.partition),
        "resourceCreationTime": bucket.creation_date,
        "configuration": {"name": name, "owner": {"id": None}, "creationDate": _time(bucket.creation_date)},
        "supplementaryConfiguration": supplementary,
    }


def _trail(backend: FakeBackend, name: str) -> Item | None:
    trail = backend.world.trails.get((backend.region, name))
    if trail is None or trail.home_region != backend.region:
        return None
    configuration = {
        "name": trail.name,
        "trailARN": trail.arn(backend),
        "s3BucketName": trail.s3_bucket_name,
        "s3KeyPrefix": trail.s3_key_prefix,
        "snsTopicARN": trail.topic_arn(backend),
        "includeGlobalServiceEvents": trail.include_global_service_events,
        "isMultiRegionTrail": trail.is_multi_region_trail,
        "homeRegion": trail.home_region,
        "logFileValidationEnabled": trail.log_file_validation_enabled,
        "cloudWatchLogsLogGroupArn": trail.cloud_watch_logs_log_group_arn,
        "cloudWatchLogsRoleArn": trail.cloud_watch_logs_role_arn,
        "kmsKeyId": trail.kms_key_id,
        "isOrganizationTrail": trail.is_organization_trail,
    }
    return {
        "resourceName": trail.name,
        "arn": trail.arn(backend),
        "resourceCreationTime": None,
        "configuration": configuration,
        "supplementaryConfiguration": {"IsLogging": _text(trail.is_logging)},
    }


def _key(backend: FakeBackend, key_id: str) -> Item | None:
    key = backend.world.keys.get(key_id)
    if key is None or key.region != backend.region:
        return None
    arn = key.arn(backend.partition, backend.account)
    configuration = {
        "keyId": key.key_id,
        "arn": arn,
        "awsaccountId": backend.account,
        "creationDate": _time(key.creation_date),
        "enabled": key.state == "Enabled",
        "description": key.description,
        "keyUsage": key.key_usage,
        "keyState": key.state,
        "keyManager": "CUSTOMER",
        "keySpec": key.key_spec,
        "deletionDate": _time(key.deletion_date),
    }
    return {
        "resourceName": None,
        "arn": arn,
        "resourceCreationTime": key.creation_date,
        "configuration": configuration,
        "supplementaryConfiguration": {},
    }


def _topic(backend: FakeBackend, arn: str) -> Item | None:
    parts = arn.split(":")
    if len(parts) != 6 or parts[3] != backend.region or parts[4] != backend.account:
        return None
    topic = backend.world.topics.get((backend.region, parts[5]))
    if topic is None:
        return None
    return {
        "resourceName": topic.name,
        "arn": arn,
        "resourceCreationTime": None,
        "configuration": {"TopicArn": arn, "DisplayName": topic.attributes.get("DisplayName", "")},
        "supplementaryConfiguration": {},
    }


def _log_group(backend: FakeBackend, name: str) -> Item | None:
    group = backend.world.log_groups.get((backend.region, name))
    if group is None:
        return None
    arn = group.arn(backend.partition, backend.account)
    configuration = {
        "LogGroupName": name,
        "Arn": f"{arn}:*",
        "RetentionInDays": group.retention_in_days,
        "KmsKeyId": group.kms_key_id,
        "LogGroupClass": group.log_group_class,
    }
    return {
        "resourceName": name,
        "arn": arn,
        "resourceCreationTime": group.creation_time,
        "configuration": configuration,
        "supplementaryConfiguration": {},
    }


def _role(backend: FakeBackend, role_id: str) -> Item | None:
    role = next((r for r in backend.world.roles.values() if r.role_id() == role_id), None)
    if role is None:
        return None
    arn = role.arn(backend.partition, backend.account)
    configuration = {
        "path": role.path,
        "roleName": role.name,
        "roleId": role_id,
        "arn": arn,
        "createDate": _time(role.create_date),
        "assumeRolePolicyDocument": None if role.trust_policy is None else role.trust_policy.text(),
        "instanceProfileList": [],
        "rolePolicyList": [{"policyName": p.name, "policyDocument": p.document.text()} for p in role.inline],
        "attachedManagedPolicies": [{"policyArn": a, "policyName": a.rsplit("/", 1)[-1]} for a in role.attached],
        "permissionsBoundary": role.permissions_boundary,
    }
    return _global(role.name, arn, role.create_date, configuration)


def _user(backend: FakeBackend, user_id: str) -> Item | None:
    user = next((u for u in backend.world.users.values() if u.unique_id() == user_id), None)
    if user is None:
        return None
    arn = user.arn(backend.partition, backend.account)
    configuration = {
        "path": user.path,
        "userName": user.name,
        "userId": user_id,
        "arn": arn,
        "createDate": _time(user.create_date),
        "userPolicyList": [{"policyName": p.name, "policyDocument": p.document.text()} for p in user.inline],
        "groupList": list(user.groups),
        "attachedManagedPolicies": [{"policyArn": a, "policyName": a.rsplit("/", 1)[-1]} for a in user.attached],
        "permissionsBoundary": user.permissions_boundary,
    }
    return _global(user.name, arn, user.create_date, configuration)


def _policy(backend: FakeBackend, policy_id: str) -> Item | None:
    policy = next((p for p in backend.world.managed_policies.values() if p.policy_id() == policy_id), None)
    if policy is None:
        return None
    arn = policy.arn(backend.partition, backend.account)
    default = policy.version(policy.default_version_id)
    configuration = {
        "policyName": policy.name,
        "policyId": policy_id,
        "arn": arn,
        "path": policy.path,
        "defaultVersionId": policy.default_version_id,
        "isAttachable": True,
        "description": policy.description,
        "createDate": _time(policy.create_date),
        "updateDate": _time(policy.update_date),
        "policyVersionList": [
            {
                "document": version.document.text(),
                "versionId": version.version_id,
                "isDefaultVersion": version is default,
                "createDate": _time(version.create_date),
            }
            for version in policy.versions
        ],
    }
    return _global(policy.name, arn, policy.create_date, configuration)


def _global(name: str, arn: str, created: datetime, configuration: dict[str, Any]) -> Item:
    return {
        "resourceName": name,
        "arn": arn,
        "awsRegion": "global",
        "resourceCreationTime": created,
        "configuration": configuration,
        "supplementaryConfiguration": {},
    }


FINDERS: Final = {
    "AWS::S3::Bucket": _bucket,
    "AWS::CloudTrail::Trail": _trail,
    "AWS::KMS::Key": _key,
    "AWS::SNS::Topic": _topic,
    "AWS::Logs::LogGroup": _log_group,
    "AWS::IAM::Role": _role,
    "AWS::IAM::User": _user,
    "AWS::IAM::Policy": _policy,
}


def recorded_types(recorder: ConfigurationRecorder) -> frozenset[str]:
    """The resource types (of those the fake holds) that ``recorder``'s recording group records."""
    group = recorder.recording_group
    strategy = (group.get("recordingStrategy") or {}).get("useOnly")
    if strategy == "EXCLUSION_BY_RESOURCE_TYPES":
        excluded = set((group.get("exclusionByResourceTypes") or {}).get("resourceTypes") or [])
        return frozenset(FINDERS) - excluded
    if group.get("allSupported", False):
        return frozenset(REGIONAL_TYPES + (GLOBAL_TYPES if group.get("includeGlobalResourceTypes") else ()))
    return frozenset(group.get("resourceTypes") or []) & frozenset(FINDERS)


def _keys(params: dict[str, Any]) -> list[tuple[str, str]]:
    keys = struct_list(params, "resourceKeys")
    if keys is None or not keys or len(keys) > MAX_KEYS:
        count = 0 if keys is None else len(keys)
        bound = "greater than or equal to 1" if count == 0 else f"less than or equal to {MAX_KEYS}"
        raise AwsError(
            "ValidationException",
            f"1 validation error detected: Value at 'resourceKeys' failed to satisfy constraint: Member must have "
            f"length {bound}",
        )
    found = []
    for index, key in enumerate(keys, 1):
        kind, ident = key.get("resourceType"), key.get("resourceId")
        if not isinstance(kind, str) or not isinstance(ident, str) or not ident:
            raise AwsError(
                "ValidationException",
                f"1 validation error detected: Value null at 'resourceKeys.{index}.member.resourceId' failed to "
                "satisfy constraint: Member must not be null",
            )
        found.append((kind, ident))
    return found


def batch_get_resource_config(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    keys = _keys(params)
    recorder = backend.world.config.recorders.get(backend.region)
    if recorder is None:
        raise AwsError(
            "NoAvailableConfigurationRecorderException",
            "Configuration recorder is not available to get resource config.",
        )
    items = list(_items(backend, recorder, keys))
    return {"baseConfigurationItems": items, "unprocessedResourceKeys": []}


def _items(backend: FakeBackend, recorder: ConfigurationRecorder, keys: list[tuple[str, str]]) -> Iterator[Item]:
    if recorder.last_start is None:
        return  # a recorder never started has recorded nothing
    recorded = recorded_types(recorder)
    now = backend.now()
    seen: set[tuple[str, str]] = set()
    for kind, ident in keys:
        if kind not in recorded or (kind, ident) in seen:
            continue
        seen.add((kind, ident))
        found = FINDERS[kind](backend, ident)
        if found is None:
            continue
        item: Item = {
            "version": "1.3",
            "accountId": backend.account,
            "configurationItemCaptureTime": now,
            "configurationItemStatus": "OK",
            "configurationStateId": str(int(now.timestamp() * 1000)),
            "arn": found["arn"],
            "resourceType": kind,
            "resourceId": ident,
            "awsRegion": found.get("awsRegion", backend.region),
            "availabilityZone": "Not Applicable" if kind in GLOBAL_TYPES else "Regional",
            "configuration": _text(found["configuration"]),
            "supplementaryConfiguration": found["supplementaryConfiguration"],
            "recordingFrequency": recorder.recording_mode.get("recordingFrequency", "CONTINUOUS"),
        }
        if found["resourceName"] is not None:
            item["resourceName"] = found["resourceName"]
        if found["resourceCreationTime"] is not None:
            item["resourceCreationTime"] = found["resourceCreationTime"]
        yield item


OPERATIONS: dict[str, Operation] = {"BatchGetResourceConfig": batch_get_resource_config}
