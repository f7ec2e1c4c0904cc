"""Managed policy versions: CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
SetDefaultPolicyVersion.

Version ids count up and are never reused (v1, v2, ...; the next one is kept as ``NextVersionId``). A policy holds
at most five versions (``LimitExceeded``), and its default version cannot be deleted (``DeleteConflict``). UpdateDate
is when the newest version was created, as IAM's Policy documentation defines it. ListPolicyVersions lists the newest
first. Of an AWS managed policy the fake knows only the default version: GetPolicyVersion of it works, anything else
on it (its other versions, listing them, changing it) is not modelled.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.iam_policies import AWS_MANAGED, MAX_VERSIONS, ManagedPolicy, PolicyVersion, aws_managed_document
from toolkit.fakes.services.iam import documents
from toolkit.fakes.services.iam.common import (
    delete_conflict,
    flag,
    limit_exceeded,
    no_such_entity,
    not_modeled_aws_policy,
    page,
    policy_arn_member,
    required,
    resolve_policy,
    validation_error,
)
from toolkit.fakes.services.iam.managed import POLICY_SIZE, customer_policy

VERSION_ID = re.compile(r"v[1-9][0-9]*(\.[A-Za-z0-9-]*)?")


def _version_id(params: dict[str, Any]) -> str:
    value = required(params, "VersionId")
    if not VERSION_ID.fullmatch(value):
        raise validation_error(
            "VersionId", value, r"Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?"
        )
    return value


def version_json(policy: ManagedPolicy, version: PolicyVersion, *, document: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if document:
        result["Document"] = version.document.to_json()
    result.update(
        {
            "VersionId": version.version_id,
            "IsDefaultVersion": version.version_id == policy.default_version_id,
            "CreateDate": version.create_date,
        }
    )
    return result


def _missing(arn: str, version_id: str) -> AwsError:
    return no_such_entity(f"Policy {arn} version {version_id} does not exist.")


def create_policy_version(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    policy = customer_policy(backend, arn, "CreatePolicyVersion")
    document = documents.document(params, "PolicyDocument", documents.MANAGED)
    documents.limit(document, POLICY_SIZE, f"Cannot exceed quota for PolicySize: {POLICY_SIZE}")
    make_default = flag(params, "SetAsDefault") or False
    if len(policy.versions) >= MAX_VERSIONS:
        raise limit_exceeded(
            f"A managed policy can have up to {MAX_VERSIONS} versions. Before you create a new version, you must "
            "delete an existing version."
        )
    now = backend.now()
    version = PolicyVersion(f"v{policy.next_version}", document, now)
    changed = policy.clone()
    changed.versions = (*policy.versions, version)
    changed.next_version = policy.next_version + 1
    changed.update_date = now
    if make_default:
        changed.default_version_id = version.version_id
    backend.world.managed_policies[policy.name] = changed
    return {"PolicyVersion": version_json(changed, version, document=False)}


def get_policy_version(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    version_id = _version_id(params)
    found = resolve_policy(backend, arn, "GetPolicyVersion")
    if isinstance(found, str):
        known = AWS_MANAGED[found]
        if version_id != known.default_version_id:
            raise not_modeled_aws_policy(f"GetPolicyVersion of {version_id} (not the default version)", arn)
        return {
            "PolicyVersion": {
                "Document": aws_managed_document(found).to_json(),
                "VersionId": version_id,
                "IsDefaultVersion": True,
                "CreateDate": datetime.fromisoformat(known.update_date),
            }
        }
    version = found.version(version_id)
    if version is None:
        raise _missing(arn, version_id)
    return {"PolicyVersion": version_json(found, version)}


def list_policy_versions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    policy = customer_policy(backend, arn, "ListPolicyVersions")
    newest_first = sorted(policy.versions, key=lambda version: int(version.version_id[1:].split(".")[0]), reverse=True)
    chosen, more = page(newest_first, params)
    return {"Versions": [version_json(policy, version, document=False) for version in chosen], **more}


def delete_policy_version(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    version_id = _version_id(params)
    policy = customer_policy(backend, arn, "DeletePolicyVersion")
    if policy.version(version_id) is None:
        raise _missing(arn, version_id)
    if version_id == policy.default_version_id:
        raise delete_conflict("Cannot delete the default version of a policy.")
    changed = policy.clone()
    changed.versions = tuple(version for version in policy.versions if version.version_id != version_id)
    backend.world.managed_policies[policy.name] = changed
    return {}


def set_default_policy_version(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    version_id = _version_id(params)
    policy = customer_policy(backend, arn, "SetDefaultPolicyVersion")
    if policy.version(version_id) is None:
        raise no_such_entity(f"Policy {arn} version {version_id} does not exist or is not attachable.")
    changed = policy.clone()
    changed.default_version_id = version_id
    backend.world.managed_policies[policy.name] = changed
    return {}


OPERATIONS: dict[str, Operation] = {
    "CreatePolicyVersion": create_policy_version,
    "GetPolicyVersion": get_policy_version,
    "ListPolicyVersions": list_policy_versions,
    "DeletePolicyVersion": delete_policy_version,
    "SetDefaultPolicyVersion": set_default_policy_version,
}
