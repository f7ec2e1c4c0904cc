"""What the fake IAM's operations share: IAM's errors (codes and HTTP statuses from botocore's model), requests
checked as IAM checks them (``ValidationError`` with IAM's wording), pagination, tags, and finding roles, users,
groups, instance profiles and managed policies.

IAM names are unique whatever their case ("you cannot create roles named both Role1 and role1"), and a name is
found whatever its case too: ``lookup`` tries the exact name first, then the case-folded one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.iam import Group, Identity, InstanceProfile, Role, User, find_managed_policy
from toolkit.fakes.iam_policies import AWS_MANAGED, NAME, PATH, POLICY_PATH, ManagedPolicy, parse_policy_arn

T = TypeVar("T")

NAME_PATTERN = r"[\w+=,.@-]+"
TAG_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
TAG_KEY = re.compile(r"[\w\s.:/=+\-@]+")
TAG_VALUE = re.compile(r"[\w\s.:/=+\-@]*")
MAX_TAGS = 50
DEFAULT_MAX_ITEMS = 100


# -- errors -------------------------------------------------------------------------------------------------------


def no_such_entity(message: str) -> AwsError:
    return AwsError("NoSuchEntity", message, status=404)


def already_exists(message: str) -> AwsError:
    return AwsError("EntityAlreadyExists", message, status=409)


def delete_conflict(message: str) -> AwsError:
    return AwsError("DeleteConflict", message, status=409)


def limit_exceeded(message: str) -> AwsError:
    return AwsError("LimitExceeded", message, status=409)


def invalid_input(message: str) -> AwsError:
    return AwsError("InvalidInput", message, status=400)


def malformed(message: str) -> AwsError:
    return AwsError("MalformedPolicyDocument", message, status=400)


def _member(member: str) -> str:
    """IAM names a member in its messages in camel case: RoleName -> roleName."""
    return member[:1].lower() + member[1:]


def validation_error(member: str, value: object, constraint: str) -> AwsError:
    shown = "null" if value is None else f"'{value}'"
    return AwsError(
        "ValidationError",
        f"1 validation error detected: Value {shown} at '{_member(member)}' failed to satisfy constraint: {constraint}",
    )


# -- request members ----------------------------------------------------------------------------------------------


def text(params: dict[str, Any], member: str, *, longest: int | None = None, shortest: int = 0) -> str | None:
    """An optional string member (None when absent), its length checked."""
    value = params.get(member)
    if value is None:
        return None
    if not isinstance(value, str):
        raise validation_error(member, value, "Member must be a string")
    if len(value) < shortest:
        raise validation_error(member, value, f"Member must have length greater than or equal to {shortest}")
    if longest is not None and len(value) > longest:
        raise validation_error(member, value, f"Member must have length less than or equal to {longest}")
    return value


def required(params: dict[str, Any], member: str, *, longest: int | None = None) -> str:
    value = text(params, member, longest=longest, shortest=1)
    if value is None:
        raise validation_error(member, None, "Member must not be null")
    return value


def name(params: dict[str, Any], member: str, longest: int) -> str:
    """A required IAM name (``[\\w+=,.@-]+``, ASCII) of at most ``longest`` characters."""
    value = required(params, member, longest=longest)
    if not NAME.fullmatch(value):
        raise validation_error(member, value, f"Member must satisfy regular expression pattern: {NAME_PATTERN}")
    return value


def path(params: dict[str, Any], member: str = "Path", *, policy: bool = False) -> str | None:
    """An optional path: ``/`` or ``/a/b/`` (a managed policy's path allows fewer characters)."""
    value = text(params, member, longest=512, shortest=1)
    if value is None:
        return None
    pattern = POLICY_PATH if policy else PATH
    if not pattern.fullmatch(value):
        shown = r"((/[A-Za-z0-9\.,\+@=_-]+)*)/" if policy else r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"
        raise validation_error(member, value, f"Member must satisfy regular expression pattern: {shown}")
    return value


def path_prefix(params: dict[str, Any], *, policy: bool = False) -> str:
    value = text(params, "PathPrefix", longest=512, shortest=1)
    if value is None:
        return "/"
    valid = POLICY_PATH.fullmatch(value) if policy else re.fullmatch(r"/[\x21-\x7f]*", value)
    if not valid:
        shown = r"((/[A-Za-z0-9\.,\+@=_-]+)*)/" if policy else r"\u002F[\u0021-\u007F]*"
        raise validation_error("PathPrefix", value, f"Member must satisfy regular expression pattern: {shown}")
    return value


def flag(params: dict[str, Any], member: str) -> bool | None:
    value = params.get(member)
    if value is None or isinstance(value, bool):
        return value
    raise validation_error(member, value, "Member must be a boolean")


def integer(params: dict[str, Any], member: str, low: int, high: int) -> int | None:
    value = params.get(member)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise validation_error(member, value, "Member must be an integer")
    if value < low:
        raise validation_error(member, value, f"Member must have value greater than or equal to {low}")
    if value > high:
        raise validation_error(member, value, f"Member must have value less than or equal to {high}")
    return value


def choice(params: dict[str, Any], member: str, allowed: Sequence[str]) -> str | None:
    value = text(params, member)
    if value is not None and value not in allowed:
        raise validation_error(member, value, f"Member must satisfy enum value set: [{', '.join(allowed)}]")
    return value


# -- pagination ---------------------------------------------------------------------------------------------------


def page(items: Sequence[T], params: dict[str, Any]) -> tuple[list[T], dict[str, Any]]:
    """One page of ``items`` (already in the order IAM lists them) by ``Marker`` and ``MaxItems`` (default 100),
    and the response's ``IsTruncated`` and ``Marker``. The marker is the position of the next item, as text."""
    limit = integer(params, "MaxItems", 1, 1000) or DEFAULT_MAX_ITEMS
    marker = text(params, "Marker", longest=320, shortest=1)
    start = 0
    if marker is not None:
        if not marker.isdigit():
            raise validation_error("Marker", marker, "Member must be a marker this operation returned")
        start = int(marker)
    chosen = list(items[start : start + limit])
    if start + limit < len(items):
        return chosen, {"IsTruncated": True, "Marker": str(start + limit)}
    return chosen, {"IsTruncated": False}


# -- tags ---------------------------------------------------------------------------------------------------------


def tag_list(params: dict[str, Any], member: str = "Tags") -> dict[str, str]:
    """The request's tags (``[{Key, Value}]``) as a mapping; IAM's limits and case-blind duplicate check."""
    value = params.get(member)
    if value is None:
        return {}
    if not isinstance(value, list | tuple) or not all(isinstance(tag, dict) for tag in value):
        raise validation_error(member, value, "Member must be a list of tags")
    if len(value) > MAX_TAGS:
        raise validation_error(member, value, f"Member must have length less than or equal to {MAX_TAGS}")
    tags: dict[str, str] = {}
    for tag in value:
        key, tag_value = tag.get("Key"), tag.get("Value")
        if not isinstance(key, str) or not isinstance(tag_value, str):
            raise validation_error(f"{_member(member)}.member.key", key, "Member must not be null")
        _check_tag_key(key, f"{member}.X.member.key")
        if len(tag_value) > 256:
            raise validation_error(
                f"{member}.X.member.value", tag_value, "Member must have length less than or equal to 256"
            )
        if not TAG_VALUE.fullmatch(tag_value):
            raise validation_error(
                f"{member}.X.member.value", tag_value, f"Member must satisfy regular expression pattern: {TAG_PATTERN}"
            )
        if any(other.lower() == key.lower() for other in tags):
            raise invalid_input("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        tags[key] = tag_value
    return tags


def tag_keys(params: dict[str, Any]) -> list[str]:
    value = params.get("TagKeys")
    if value is None:
        raise validation_error("TagKeys", None, "Member must not be null")
    if not isinstance(value, list | tuple) or not all(isinstance(key, str) for key in value):
        raise validation_error("TagKeys", value, "Member must be a list of strings")
    if len(value) > MAX_TAGS:
        raise validation_error("TagKeys", value, f"Member must have length less than or equal to {MAX_TAGS}")
    for key in value:
        _check_tag_key(key, "TagKeys")
    return list(value)


def _check_tag_key(key: str, member: str) -> None:
    if len(key) > 128:
        raise validation_error(member, key, "Member must have length less than or equal to 128")
    if not TAG_KEY.fullmatch(key):
        raise validation_error(member, key, f"Member must satisfy regular expression pattern: {TAG_PATTERN}")


def merged_tags(current: dict[str, str], new: dict[str, str], quota: str) -> dict[str, str]:
    """``current`` with ``new`` added: a key already there (whatever its case) takes the new key and value."""
    folded = {key.lower() for key in new}
    result = {key: value for key, value in current.items() if key.lower() not in folded}
    result.update(new)
    if len(result) > MAX_TAGS:
        raise limit_exceeded(f"Cannot exceed quota for {quota}: {MAX_TAGS}")
    return result


def without_tags(current: dict[str, str], keys: list[str]) -> dict[str, str]:
    folded = {key.lower() for key in keys}
    return {key: value for key, value in current.items() if key.lower() not in folded}


def tags_json(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


# -- finding things -----------------------------------------------------------------------------------------------


def lookup(table: dict[str, T], wanted: str) -> T | None:
    """The entry named ``wanted``, whatever its case (IAM names are case-insensitive)."""
    found = table.get(wanted)
    if found is None:
        folded = wanted.lower()
        found = next((item for key, item in table.items() if key.lower() == folded), None)
    return found


def taken(table: dict[str, Any], wanted: str) -> bool:
    return lookup(table, wanted) is not None


def find_role(backend: FakeBackend, role_name: str) -> Role:
    role = lookup(backend.world.roles, role_name)
    if role is None:
        raise no_such_entity(f"The role with name {role_name} cannot be found.")
    return role


def find_user(backend: FakeBackend, user_name: str) -> User:
    user = lookup(backend.world.users, user_name)
    if user is None:
        raise no_such_entity(f"The user with name {user_name} cannot be found.")
    return user


def find_group(backend: FakeBackend, group_name: str) -> Group:
    group = lookup(backend.world.groups, group_name)
    if group is None:
        raise no_such_entity(f"The group with name {group_name} cannot be found.")
    return group


def find_profile(backend: FakeBackend, profile_name: str) -> InstanceProfile:
    profile = lookup(backend.world.instance_profiles, profile_name)
    if profile is None:
        raise no_such_entity(f"Instance Profile {profile_name} cannot be found.")
    return profile


def policy_arn_member(params: dict[str, Any], member: str = "PolicyArn") -> str:
    """A policy ARN member: ``InvalidInput`` when it is not an IAM policy ARN at all."""
    arn = required(params, member, longest=2048)
    if parse_policy_arn(arn) is None:
        raise invalid_input(f"ARN {arn} is not valid.")
    return arn


def resolve_policy(backend: FakeBackend, arn: str, operation: str, *, missing: str = "") -> ManagedPolicy | str:
    """The managed policy an ARN names (the account's own, or the name of a known AWS managed policy).

    An AWS managed policy the fake does not know raises ``NotModeled``: AWS may well have it, and the fake cannot
    say what it holds. Any other unknown ARN raises ``NoSuchEntity`` with ``missing`` (default: "Policy <arn> was
    not found.")."""
    found = find_managed_policy(backend.world, arn)
    if found is not None:
        return found
    parsed = parse_policy_arn(arn)
    if parsed is not None and parsed.owner == "aws" and parsed.name not in AWS_MANAGED:
        raise not_modeled_aws_policy(operation, arn)
    raise no_such_entity(missing or f"Policy {arn} was not found.")


def not_modeled_aws_policy(operation: str, arn: str) -> AwsError:
    return NotModeled("iam", f"{operation} with {arn}, an AWS managed policy the fake world does not know")


def replace_identity(backend: FakeBackend, identity: Identity) -> None:
    """Store a changed role, user or group in its world's table (by its name, which the clone kept)."""
    if isinstance(identity, Role):
        backend.world.roles[identity.name] = identity
    elif isinstance(identity, User):
        backend.world.users[identity.name] = identity
    elif isinstance(identity, Group):
        backend.world.groups[identity.name] = identity


@dataclass(frozen=True)
class Kind:
    """Roles, users and groups, as the operations that treat them alike (inline and attached policies) see them."""

    label: str
    """role, user or group: how IAM's messages name it."""
    member: str
    """The request member naming one: RoleName, UserName, GroupName."""
    longest: int
    inline_quota: int
    """The most characters its inline policies may hold together (IAM quotas)."""
    find: Callable[[FakeBackend, str], Identity]


ROLE = Kind("role", "RoleName", 64, 10240, find_role)
USER = Kind("user", "UserName", 128, 2048, find_user)
GROUP = Kind("group", "GroupName", 128, 5120, find_group)
KINDS = (ROLE, USER, GROUP)


def boundary_json(arn: str | None) -> dict[str, Any]:
    """The ``PermissionsBoundary`` member of a role or user, when it has one."""
    if arn is None:
        return {}
    return {
        "PermissionsBoundary": {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}
    }


def boundary_member(backend: FakeBackend, params: dict[str, Any], operation: str) -> str | None:
    """The ``PermissionsBoundary`` member: the ARN of a managed policy that exists (customer or AWS managed)."""
    arn = text(params, "PermissionsBoundary", longest=2048, shortest=20)
    if arn is None:
        return None
    if parse_policy_arn(arn) is None:
        raise invalid_input(f"ARN {arn} is not valid.")
    resolve_policy(backend, arn, operation, missing=f"Scope ARN: {arn} does not exist or is not attachable.")
    return arn


def not_modeled_member(params: dict[str, Any], operation: str, *members: str) -> None:
    """Members of the request the fake does not model: refused loudly rather than silently ignored."""
    for member in members:
        if params.get(member) is not None:
            raise NotModeled("iam", f"{operation} with {member}")
