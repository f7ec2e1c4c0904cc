"""Users and groups: CreateUser, GetUser, DeleteUser, ListUsers, UpdateUser, Put/DeleteUserPermissionsBoundary,
TagUser, UntagUser, ListUserTags; CreateGroup, GetGroup, DeleteGroup, ListGroups, UpdateGroup, AddUserToGroup,
RemoveUserFromGroup, ListGroupsForUser.

A user's groups are kept on the user (``User.groups``), so renaming a group renames it in its members. DeleteUser
refuses a user with inline or attached policies or in a group, DeleteGroup a group with members or policies
(``DeleteConflict``). GetUser without a UserName (the caller's own user) is not modelled: the fake world has no
calling identity yet.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import NotModeled
from toolkit.fakes.iam import Group, User
from toolkit.fakes.services.iam.common import (
    GROUP,
    USER,
    already_exists,
    boundary_json,
    boundary_member,
    delete_conflict,
    find_group,
    find_user,
    limit_exceeded,
    lookup,
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

GROUPS_PER_USER = 10
"""Groups a user may belong to (IAM quotas)."""


def user_json(backend: FakeBackend, user: User, *, full: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.unique_id(),
        "Arn": user.arn(backend.partition, backend.account),
        "CreateDate": user.create_date,
    }
    if full:
        result.update(boundary_json(user.permissions_boundary))
        if user.tags:
            result["Tags"] = tags_json(user.tags)
    return result


def group_json(backend: FakeBackend, group: Group) -> dict[str, Any]:
    return {
        "Path": group.path,
        "GroupName": group.name,
        "GroupId": group.unique_id(),
        "Arn": group.arn(backend.partition, backend.account),
        "CreateDate": group.create_date,
    }


# -- users --------------------------------------------------------------------------------------------------------


def create_user(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user_name = name(params, "UserName", 64)
    user_path = path(params) or "/"
    tags = tag_list(params)
    if taken(backend.world.users, user_name):
        raise already_exists(f"User with name {user_name} already exists.")
    boundary = boundary_member(backend, params, "CreateUser")
    user = User(name=user_name, path=user_path, create_date=backend.now(), permissions_boundary=boundary, tags=tags)
    backend.world.users[user_name] = user
    return {"User": user_json(backend, user)}


def get_user(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("UserName") is None:
        raise NotModeled("iam", "GetUser without UserName (the caller's own user)")
    return {"User": user_json(backend, find_user(backend, name(params, "UserName", USER.longest)))}


def delete_user(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", USER.longest))
    if user.attached:
        raise delete_conflict("Cannot delete entity, must detach all policies first.")
    if user.inline:
        raise delete_conflict("Cannot delete entity, must delete policies first.")
    if user.groups:
        raise delete_conflict("Cannot delete entity, must remove user from all groups first.")
    del backend.world.users[user.name]
    return {}


def list_users(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    prefix = path_prefix(params)
    users = [backend.world.users[key] for key in sorted(backend.world.users)]
    chosen, more = page([user for user in users if user.path.startswith(prefix)], params)
    return {"Users": [user_json(backend, user, full=False) for user in chosen], **more}


def update_user(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", USER.longest))
    new_path = path(params, "NewPath")
    new_name = name(params, "NewUserName", 64) if params.get("NewUserName") is not None else None
    changed = user.clone()
    if new_name is not None and new_name != user.name:
        other = lookup(backend.world.users, new_name)
        if other is not None and other is not user:
            raise already_exists(f"User with name {new_name} already exists.")
        changed.name = new_name
    if new_path is not None:
        changed.path = new_path
    del backend.world.users[user.name]
    backend.world.users[changed.name] = changed
    return {}


def put_user_permissions_boundary(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", 64))
    if params.get("PermissionsBoundary") is None:
        raise validation_error("PermissionsBoundary", None, "Member must not be null")
    changed = user.clone()
    changed.permissions_boundary = boundary_member(backend, params, "PutUserPermissionsBoundary")
    backend.world.users[user.name] = changed
    return {}


def delete_user_permissions_boundary(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", 64))
    changed = user.clone()
    changed.permissions_boundary = None
    backend.world.users[user.name] = changed
    return {}


def tag_user(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", USER.longest))
    if params.get("Tags") is None:
        raise validation_error("Tags", None, "Member must not be null")
    changed = user.clone()
    changed.tags = merged_tags(user.tags, tag_list(params), "TagsPerUser")
    backend.world.users[user.name] = changed
    return {}


def untag_user(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", USER.longest))
    changed = user.clone()
    changed.tags = without_tags(user.tags, tag_keys(params))
    backend.world.users[user.name] = changed
    return {}


def list_user_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", USER.longest))
    chosen, more = page(tags_json(user.tags), params)
    return {"Tags": chosen, **more}


# -- groups -------------------------------------------------------------------------------------------------------


def create_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group_name = name(params, "GroupName", GROUP.longest)
    group_path = path(params) or "/"
    if taken(backend.world.groups, group_name):
        raise already_exists(f"Group with name {group_name} already exists.")
    group = Group(name=group_name, path=group_path, create_date=backend.now())
    backend.world.groups[group_name] = group
    return {"Group": group_json(backend, group)}


def members(backend: FakeBackend, group: Group) -> list[User]:
    return [
        backend.world.users[key] for key in sorted(backend.world.users) if group.name in backend.world.users[key].groups
    ]


def get_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, name(params, "GroupName", GROUP.longest))
    chosen, more = page(members(backend, group), params)
    return {
        "Group": group_json(backend, group),
        "Users": [user_json(backend, user, full=False) for user in chosen],
        **more,
    }


def delete_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, name(params, "GroupName", GROUP.longest))
    if members(backend, group):
        raise delete_conflict("Cannot delete entity, must remove users from group first.")
    if group.attached:
        raise delete_conflict("Cannot delete entity, must detach all policies first.")
    if group.inline:
        raise delete_conflict("Cannot delete entity, must delete policies first.")
    del backend.world.groups[group.name]
    return {}


def list_groups(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    prefix = path_prefix(params)
    groups = [backend.world.groups[key] for key in sorted(backend.world.groups)]
    chosen, more = page([group for group in groups if group.path.startswith(prefix)], params)
    return {"Groups": [group_json(backend, group) for group in chosen], **more}


def update_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, name(params, "GroupName", GROUP.longest))
    new_path = path(params, "NewPath")
    new_name = name(params, "NewGroupName", GROUP.longest) if params.get("NewGroupName") is not None else None
    changed = group.clone()
    if new_name is not None and new_name != group.name:
        other = lookup(backend.world.groups, new_name)
        if other is not None and other is not group:
            raise already_exists(f"Group with name {new_name} already exists.")
        changed.name = new_name
        for user in members(backend, group):
            renamed = user.clone()
            renamed.groups = tuple(new_name if joined == group.name else joined for joined in user.groups)
            backend.world.users[user.name] = renamed
    if new_path is not None:
        changed.path = new_path
    del backend.world.groups[group.name]
    backend.world.groups[changed.name] = changed
    return {}


def add_user_to_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, name(params, "GroupName", GROUP.longest))
    user = find_user(backend, name(params, "UserName", USER.longest))
    if group.name in user.groups:
        return {}
    if len(user.groups) >= GROUPS_PER_USER:
        raise limit_exceeded(f"Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}")
    changed = user.clone()
    changed.groups = (*user.groups, group.name)
    backend.world.users[user.name] = changed
    return {}


def remove_user_from_group(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    group = find_group(backend, name(params, "GroupName", GROUP.longest))
    user = find_user(backend, name(params, "UserName", USER.longest))
    if group.name not in user.groups:
        raise no_such_entity(f"The user with name {user.name} cannot be found.")
    changed = user.clone()
    changed.groups = tuple(joined for joined in user.groups if joined != group.name)
    backend.world.users[user.name] = changed
    return {}


def list_groups_for_user(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    user = find_user(backend, name(params, "UserName", USER.longest))
    groups = [backend.world.groups[joined] for joined in sorted(user.groups) if joined in backend.world.groups]
    chosen, more = page(groups, params)
    return {"Groups": [group_json(backend, group) for group in chosen], **more}


OPERATIONS: dict[str, Operation] = {
    "CreateUser": create_user,
    "GetUser": get_user,
    "DeleteUser": delete_user,
    "ListUsers": list_users,
    "UpdateUser": update_user,
    "PutUserPermissionsBoundary": put_user_permissions_boundary,
    "DeleteUserPermissionsBoundary": delete_user_permissions_boundary,
    "TagUser": tag_user,
    "UntagUser": untag_user,
    "ListUserTags": list_user_tags,
    "CreateGroup": create_group,
    "GetGroup": get_group,
    "DeleteGroup": delete_group,
    "ListGroups": list_groups,
    "UpdateGroup": update_group,
    "AddUserToGroup": add_user_to_group,
    "RemoveUserFromGroup": remove_user_from_group,
    "ListGroupsForUser": list_groups_for_user,
}
