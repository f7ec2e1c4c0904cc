"""Roles: CreateRole, GetRole, DeleteRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy,
Put/DeleteRolePermissionsBoundary, and TagRole, UntagRole, ListRoleTags.

GetRole returns the trust policy as a mapping, as boto3 gives it: IAM sends it URL-encoded JSON text and botocore
decodes it (its ``json_decode_policies`` handler); see the package's docstring. ``RoleLastUsed`` is empty (the fake
never records a role's use), as AWS returns it for a role never used. DeleteRole refuses a role that is in an
instance profile, has attached or inline policies (``DeleteConflict``, in that order).
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.iam import SESSION_DURATIONS, Role
from toolkit.fakes.services.iam import documents
from toolkit.fakes.services.iam.common import (
    ROLE,
    already_exists,
    boundary_json,
    boundary_member,
    delete_conflict,
    find_role,
    integer,
    merged_tags,
    name,
    not_modeled_member,
    page,
    path,
    path_prefix,
    tag_keys,
    tag_list,
    tags_json,
    taken,
    text,
    validation_error,
    without_tags,
)

TRUST_POLICY_QUOTA = 2048
"""Characters a role's trust policy may hold (IAM quotas: "Role trust policy length", 2,048 by default)."""


def role_json(backend: FakeBackend, role: Role, *, full: bool = True) -> dict[str, Any]:
    """A ``Role`` as IAM returns it: ``full`` for GetRole and CreateRole, the shorter form for listings (ListRoles
    and instance profiles leave out the boundary, tags and last use)."""
    result: dict[str, Any] = {
        "Path": role.path,
        "RoleName": role.name,
        "RoleId": role.role_id(),
        "Arn": role.arn(backend.partition, backend.account),
        "CreateDate": role.create_date,
    }
    if role.trust_policy is not None:
        result["AssumeRolePolicyDocument"] = role.trust_policy.to_json()
    if role.description is not None:
        result["Description"] = role.description
    result["MaxSessionDuration"] = role.max_session_duration
    if full:
        result.update(boundary_json(role.permissions_boundary))
        if role.tags:
            result["Tags"] = tags_json(role.tags)
    return result


def _description(params: dict[str, Any]) -> str | None:
    value = text(params, "Description", longest=1000)
    if value is not None and any(
        not (ord(c) in (9, 10, 13) or 32 <= ord(c) <= 126 or 161 <= ord(c) <= 255) for c in value
    ):
        raise validation_error(
            "Description",
            value,
            r"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*",
        )
    return value


def _duration(params: dict[str, Any]) -> int | None:
    return integer(params, "MaxSessionDuration", SESSION_DURATIONS.start, SESSION_DURATIONS.stop - 1)


def _trust_policy(params: dict[str, Any], member: str) -> Any:
    policy = documents.document(params, member, documents.TRUST)
    documents.limit(policy, TRUST_POLICY_QUOTA, f"Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_QUOTA}")
    return policy


def create_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    not_modeled_member(params, "CreateRole", "MaxSigninSessionDuration")
    role_name = name(params, "RoleName", ROLE.longest)
    role_path = path(params) or "/"
    description = _description(params)
    duration = _duration(params) or 3600
    tags = tag_list(params)
    if taken(backend.world.roles, role_name):
        raise already_exists(f"Role with name {role_name} already exists.")
    trust = _trust_policy(params, "AssumeRolePolicyDocument")
    boundary = boundary_member(backend, params, "CreateRole")
    role = Role(
        name=role_name,
        path=role_path,
        create_date=backend.now(),
        trust_policy=trust,
        description=description,
        max_session_duration=duration,
        permissions_boundary=boundary,
        tags=tags,
    )
    backend.world.roles[role_name] = role
    result = role_json(backend, role)
    return {"Role": result}


def get_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    return {"Role": {**role_json(backend, role), "RoleLastUsed": {}}}


def delete_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    if any(role.name in profile.roles for profile in backend.world.instance_profiles.values()):
        raise delete_conflict("Cannot delete entity, must remove roles from instance profile first.")
    if role.attached:
        raise delete_conflict("Cannot delete entity, must detach all policies first.")
    if role.inline:
        raise delete_conflict("Cannot delete entity, must delete policies first.")
    del backend.world.roles[role.name]
    return {}


def list_roles(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    prefix = path_prefix(params)
    roles = [backend.world.roles[key] for key in sorted(backend.world.roles)]
    chosen, more = page([role for role in roles if role.path.startswith(prefix)], params)
    return {"Roles": [role_json(backend, role, full=False) for role in chosen], **more}


def update_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    not_modeled_member(params, "UpdateRole", "MaxSigninSessionDuration", "ResetMaxSigninSessionDuration")
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    description = _description(params)
    duration = _duration(params)
    changed = role.clone()
    if description is not None:
        changed.description = description
    if duration is not None:
        changed.max_session_duration = duration
    backend.world.roles[role.name] = changed
    return {}


def update_role_description(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    description = _description(params)
    if description is None:
        raise validation_error("Description", None, "Member must not be null")
    changed = role.clone()
    changed.description = description
    backend.world.roles[role.name] = changed
    return {"Role": role_json(backend, changed)}


def update_assume_role_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    changed = role.clone()
    changed.trust_policy = _trust_policy(params, "PolicyDocument")
    backend.world.roles[role.name] = changed
    return {}


def put_role_permissions_boundary(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    if params.get("PermissionsBoundary") is None:
        raise validation_error("PermissionsBoundary", None, "Member must not be null")
    changed = role.clone()
    changed.permissions_boundary = boundary_member(backend, params, "PutRolePermissionsBoundary")
    backend.world.roles[role.name] = changed
    return {}


def delete_role_permissions_boundary(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    changed = role.clone()
    changed.permissions_boundary = None
    backend.world.roles[role.name] = changed
    return {}


def tag_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    if params.get("Tags") is None:
        raise validation_error("Tags", None, "Member must not be null")
    changed = role.clone()
    changed.tags = merged_tags(role.tags, tag_list(params), "TagsPerRole")
    backend.world.roles[role.name] = changed
    return {}


def untag_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    changed = role.clone()
    changed.tags = without_tags(role.tags, tag_keys(params))
    backend.world.roles[role.name] = changed
    return {}


def list_role_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    chosen, more = page(tags_json(role.tags), params)
    return {"Tags": chosen, **more}


OPERATIONS: dict[str, Operation] = {
    "CreateRole": create_role,
    "GetRole": get_role,
    "DeleteRole": delete_role,
    "ListRoles": list_roles,
    "UpdateRole": update_role,
    "UpdateRoleDescription": update_role_description,
    "UpdateAssumeRolePolicy": update_assume_role_policy,
    "PutRolePermissionsBoundary": put_role_permissions_boundary,
    "DeleteRolePermissionsBoundary": delete_role_permissions_boundary,
    "TagRole": tag_role,
    "UntagRole": untag_role,
    "ListRoleTags": list_role_tags,
}
