"""Instance profiles: CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile, ListInstanceProfiles,
AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, ListInstanceProfilesForRole, and TagInstanceProfile,
UntagInstanceProfile, ListInstanceProfileTags.

An instance profile holds at most one role ("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
``LimitExceeded``), and a profile holding one cannot be deleted (``DeleteConflict``). Its roles are listed in the
short form ListRoles uses.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.iam import InstanceProfile
from toolkit.fakes.services.iam.common import (
    ROLE,
    already_exists,
    delete_conflict,
    find_profile,
    find_role,
    limit_exceeded,
    merged_tags,
    name,
    no_such_entity,
    page,
    path,
    path_prefix,
    tag_keys,
    tag_list,
    tags_json,
    taken,
    validation_error,
    without_tags,
)
from toolkit.fakes.services.iam.roles import role_json

PROFILE_NAME = ("InstanceProfileName", 128)


def profile_json(backend: FakeBackend, profile: InstanceProfile, *, full: bool = True) -> dict[str, Any]:
    roles = [backend.world.roles[role] for role in profile.roles if role in backend.world.roles]
    result: dict[str, Any] = {
        "Path": profile.path,
        "InstanceProfileName": profile.name,
        "InstanceProfileId": profile.unique_id(),
        "Arn": profile.arn(backend.partition, backend.account),
        "CreateDate": profile.create_date,
        "Roles": [role_json(backend, role, full=False) for role in roles],
    }
    if full and profile.tags:
        result["Tags"] = tags_json(profile.tags)
    return result


def _profile(backend: FakeBackend, params: dict[str, Any]) -> InstanceProfile:
    return find_profile(backend, name(params, *PROFILE_NAME))


def create_instance_profile(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    profile_name = name(params, *PROFILE_NAME)
    profile_path = path(params) or "/"
    tags = tag_list(params)
    if taken(backend.world.instance_profiles, profile_name):
        raise already_exists(f"Instance Profile {profile_name} already exists.")
    profile = InstanceProfile(name=profile_name, path=profile_path, tags=tags, create_date=backend.now())
    backend.world.instance_profiles[profile_name] = profile
    return {"InstanceProfile": profile_json(backend, profile)}


def get_instance_profile(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"InstanceProfile": profile_json(backend, _profile(backend, params))}


def delete_instance_profile(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    profile = _profile(backend, params)
    if profile.roles:
        raise delete_conflict("Cannot delete entity, must remove roles from instance profile first.")
    del backend.world.instance_profiles[profile.name]
    return {}


def list_instance_profiles(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    prefix = path_prefix(params)
    profiles = [backend.world.instance_profiles[key] for key in sorted(backend.world.instance_profiles)]
    chosen, more = page([profile for profile in profiles if profile.path.startswith(prefix)], params)
    return {"InstanceProfiles": [profile_json(backend, profile, full=False) for profile in chosen], **more}


def add_role_to_instance_profile(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    profile = _profile(backend, params)
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    if profile.roles:
        raise limit_exceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
    changed = profile.clone()
    changed.roles = (role.name,)
    backend.world.instance_profiles[profile.name] = changed
    return {}


def remove_role_from_instance_profile(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    profile = _profile(backend, params)
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    if role.name not in profile.roles:
        raise no_such_entity(f"The role with name {role.name} cannot be found in instance profile {profile.name}.")
    changed = profile.clone()
    changed.roles = tuple(held for held in profile.roles if held != role.name)
    backend.world.instance_profiles[profile.name] = changed
    return {}


def list_instance_profiles_for_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, name(params, "RoleName", ROLE.longest))
    profiles = [
        backend.world.instance_profiles[key]
        for key in sorted(backend.world.instance_profiles)
        if role.name in backend.world.instance_profiles[key].roles
    ]
    chosen, more = page(profiles, params)
    return {"InstanceProfiles": [profile_json(backend, profile, full=False) for profile in chosen], **more}


def tag_instance_profile(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    profile = _profile(backend, params)
    if params.get("Tags") is None:
        raise validation_error("Tags", None, "Member must not be null")
    changed = profile.clone()
    changed.tags = merged_tags(profile.tags, tag_list(params), "TagsPerInstanceProfile")
    backend.world.instance_profiles[profile.name] = changed
    return {}


def untag_instance_profile(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    profile = _profile(backend, params)
    changed = profile.clone()
    changed.tags = without_tags(profile.tags, tag_keys(params))
    backend.world.instance_profiles[profile.name] = changed
    return {}


def list_instance_profile_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    chosen, more = page(tags_json(_profile(backend, params).tags), params)
    return {"Tags": chosen, **more}


OPERATIONS: dict[str, Operation] = {
    "CreateInstanceProfile": create_instance_profile,
    "GetInstanceProfile": get_instance_profile,
    "DeleteInstanceProfile": delete_instance_profile,
    "ListInstanceProfiles": list_instance_profiles,
    "AddRoleToInstanceProfile": add_role_to_instance_profile,
    "RemoveRoleFromInstanceProfile": remove_role_from_instance_profile,
    "ListInstanceProfilesForRole": list_instance_profiles_for_role,
    "TagInstanceProfile": tag_instance_profile,
    "UntagInstanceProfile": untag_instance_profile,
    "ListInstanceProfileTags": list_instance_profile_tags,
}
