"""Fake AWS IAM: roles, users, groups and instance profiles, with their inline policies, attached managed policies,
permissions boundaries and tags; and the world file's IAM sections (Roles, Users, Groups, Policies,
InstanceProfiles). Managed policies themselves are in ``toolkit.fakes.iam_policies``.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.iam``. What a
principal may do is read from here (``permission_policies``, ``boundary_policy``); nothing here evaluates it.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime
from typing import Any, ClassVar, NamedTuple, Protocol

from toolkit.fakes.iam_policies import (
    AWS_MANAGED,
    NAME,
    PATH,
    POLICY_KEYS,
    ManagedPolicy,
    aws_managed_document,
    derived_id,
    parse_policy_arn,
    read_tags,
    unique_name,
)
from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields, policy_json, timestamp_text
from toolkit.iam.policy import Policy
from toolkit.records import MutableRecord

ROLE_KEYS = (
    "Name",
    "Path",
    "AssumeRolePolicyDocument",
    "Description",
    "MaxSessionDuration",
    "Policies",
    "AttachedPolicies",
    "PermissionsBoundary",
    "Tags",
    "CreateDate",
)
USER_KEYS = ("Name", "Path", "Groups", "Policies", "AttachedPolicies", "PermissionsBoundary", "Tags", "CreateDate")
GROUP_KEYS = ("Name", "Path", "Policies", "AttachedPolicies", "CreateDate")
INSTANCE_PROFILE_KEYS = ("Name", "Path", "Roles", "Tags", "CreateDate")
INLINE_KEYS = ("PolicyName", "PolicyDocument")
SESSION_DURATIONS = range(3600, 43201)
"""MaxSessionDuration: one to twelve hours, in seconds."""


class InlinePolicy(NamedTuple):
    """An inline policy: its name (unique within its role, user or group) and document."""

    name: str
    document: Policy


def unnamed_policy_name(document: Policy) -> str:
    """The name an inline policy given without one in the world file gets: derived from its document, so that it is
    stable, and so that such a policy is written back without a name."""
    canonical = json.dumps(document.document, sort_keys=True, separators=(",", ":"))
    return f"Policy-{zlib.crc32(canonical.encode()):08x}"


class Identity(Record, MutableRecord):
    """What roles, users and groups share: a name and path, inline policies and attached managed policies (ARNs, in
    the order they were attached)."""

    KIND: ClassVar[str] = ""
    """The ARN's resource type: role, user or group."""
    PREFIX: ClassVar[str] = ""
    """The unique id's prefix: AROA, AIDA or AGPA."""
    MAX_NAME: ClassVar[int] = 64

    _FIELDS: ClassVar[tuple[str, ...]] = ("name", "path", "inline", "attached", "create_date")
    name: str
    path: str
    inline: tuple[InlinePolicy, ...]
    attached: tuple[str, ...]
    create_date: datetime

    def __init__(
        self,
        name: str,
        path: str = "/",
        inline: tuple[InlinePolicy, ...] = (),
        attached: tuple[str, ...] = (),
        create_date: datetime = CREATED,
    ) -> None:
        self.name = name
        self.path = path
        self.inline = inline
        self.attached = attached
        self.create_date = create_date

    @property
    def policies(self) -> tuple[Policy, ...]:
        """The inline policies' documents."""
        return tuple(policy.document for policy in self.inline)

    def inline_policy(self, name: str) -> Policy | None:
        return next((policy.document for policy in self.inline if policy.name == name), None)

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:iam::{account}:{self.KIND}{self.path}{self.name}"

    def unique_id(self) -> str:
        return derived_id(self.PREFIX, self.name)

    def _common_dict(self) -> dict[str, Any]:
        return {
            "Policies": [_inline_json(policy) for policy in self.inline],
            "AttachedPolicies": list(self.attached),
        }


class Role(Identity):
    KIND: ClassVar[str] = "role"
    PREFIX: ClassVar[str] = "AROA"

    _FIELDS = (
        "name",
        "path",
        "inline",
        "attached",
        "create_date",
        "trust_policy",
        "description",
        "max_session_duration",
        "permissions_boundary",
        "tags",
    )
    trust_policy: Policy | None
    description: str | None
    max_session_duration: int
    permissions_boundary: str | None
    tags: dict[str, str]

    def __init__(
        self,
        name: str,
        path: str = "/",
        inline: tuple[InlinePolicy, ...] = (),
        attached: tuple[str, ...] = (),
        create_date: datetime = CREATED,
        trust_policy: Policy | None = None,
        description: str | None = None,
        max_session_duration: int = 3600,
        permissions_boundary: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        super().__init__(name, path, inline, attached, create_date)
        self.trust_policy = trust_policy
        self.description = description
        self.max_session_duration = max_session_duration
        self.permissions_boundary = permissions_boundary
        self.tags = {} if tags is None else tags

    @classmethod
    def read(cls, fields: Fields) -> Role:
        duration = fields.data.get("MaxSessionDuration", 3600)
        if duration is None:
            duration = 3600
        if isinstance(duration, bool) or not isinstance(duration, int) or duration not in SESSION_DURATIONS:
            raise fields.fail("MaxSessionDuration", "must be a number of seconds from 3600 to 43200")
        description = fields.optional_text("Description")
        if description is not None and len(description) > 1000:
            raise fields.fail("Description", "must be at most 1000 characters")
        return cls(
            **_read_identity(fields, cls.MAX_NAME),
            trust_policy=fields.policy("AssumeRolePolicyDocument"),
            description=description,
            max_session_duration=duration,
            permissions_boundary=fields.optional_text("PermissionsBoundary"),
            tags=read_tags(fields),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Path": self.path,
            "AssumeRolePolicyDocument": policy_json(self.trust_policy),
            "Description": self.description,
            "MaxSessionDuration": self.max_session_duration,
            **self._common_dict(),
            "PermissionsBoundary": self.permissions_boundary,
            "Tags": dict(self.tags),
            "CreateDate": timestamp_text(self.create_date),
        }

    def role_id(self) -> str:
        """A stable role id in AWS's form (AROA and 17 characters)."""
        return self.unique_id()


class User(Identity):
    KIND: ClassVar[str] = "user"
    PREFIX: ClassVar[str] = "AIDA"

    _FIELDS = ("name", "path", "inline", "attached", "create_date", "groups", "permissions_boundary", "tags")
    groups: tuple[str, ...]
    """The groups the user belongs to, by name, in the order it joined them."""
    permissions_boundary: str | None
    tags: dict[str, str]

    def __init__(
        self,
        name: str,
        path: str = "/",
        inline: tuple[InlinePolicy, ...] = (),
        attached: tuple[str, ...] = (),
        create_date: datetime = CREATED,
        groups: tuple[str, ...] = (),
        permissions_boundary: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        super().__init__(name, path, inline, attached, create_date)
        self.groups = groups
        self.permissions_boundary = permissions_boundary
        self.tags = {} if tags is None else tags

    @classmethod
    def read(cls, fields: Fields) -> User:
        groups = fields.strings("Groups")
        if len(set(groups)) != len(groups):
            raise fields.fail("Groups", "names a group twice")
        return cls(
            **_read_identity(fields, cls.MAX_NAME),
            groups=groups,
            permissions_boundary=fields.optional_text("PermissionsBoundary"),
            tags=read_tags(fields),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Path": self.path,
            "Groups": list(self.groups),
            **self._common_dict(),
            "PermissionsBoundary": self.permissions_boundary,
            "Tags": dict(self.tags),
            "CreateDate": timestamp_text(self.create_date),
        }


class Group(Identity):
    KIND: ClassVar[str] = "group"
    PREFIX: ClassVar[str] = "AGPA"
    MAX_NAME: ClassVar[int] = 128

    @classmethod
    def read(cls, fields: Fields) -> Group:
        return cls(**_read_identity(fields, cls.MAX_NAME))

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Path": self.path,
            **self._common_dict(),
            "CreateDate": timestamp_text(self.create_date),
        }


class InstanceProfile(Record, MutableRecord):
    """An instance profile: a name and path, and the role it passes to EC2 (at most one)."""

    _FIELDS = ("name", "path", "roles", "tags", "create_date")
    name: str
    path: str
    roles: tuple[str, ...]
    tags: dict[str, str]
    create_date: datetime

    def __init__(
        self,
        name: str,
        path: str = "/",
        roles: tuple[str, ...] = (),
        tags: dict[str, str] | None = None,
        create_date: datetime = CREATED,
    ) -> None:
        self.name = name
        self.path = path
        self.roles = roles
        self.tags = {} if tags is None else tags
        self.create_date = create_date

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:iam::{account}:instance-profile{self.path}{self.name}"

    def unique_id(self) -> str:
        return derived_id("AIPA", self.name)

    @classmethod
    def read(cls, fields: Fields) -> InstanceProfile:
        roles = fields.strings("Roles")
        if len(roles) > 1:
            raise fields.fail("Roles", "holds more than one role (an instance profile has at most one)")
        return cls(
            name=_read_name(fields, 128),
            path=_read_path(fields),
            roles=roles,
            tags=read_tags(fields),
            create_date=fields.timestamp("CreateDate") or CREATED,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Path": self.path,
            "Roles": list(self.roles),
            "Tags": dict(self.tags),
            "CreateDate": timestamp_text(self.create_date),
        }


# -- the world file's IAM sections --------------------------------------------------------------------------------


class IamState(Protocol):
    """The part of a world's state IAM keeps (``toolkit.fakes.state.WorldState`` has it)."""

    account: str
    partition: str
    roles: dict[str, Role]
    users: dict[str, User]
    groups: dict[str, Group]
    managed_policies: dict[str, ManagedPolicy]
    instance_profiles: dict[str, InstanceProfile]
    compiled: dict[str, Policy]


IAM_SECTIONS = ("Roles", "Users", "Groups", "Policies", "InstanceProfiles")


def read_iam(root: Fields, state: IamState) -> None:
    """Read the world file's IAM sections into ``state``'s tables, then check what they name exists: attached
    policies and boundaries (in Policies or known AWS managed policies), groups, instance profiles' roles."""
    for fields in root.items("Policies", POLICY_KEYS):
        policy = ManagedPolicy.read(fields)
        unique_name(fields, policy.name, state.managed_policies)
        state.managed_policies[policy.name] = policy
    for fields in root.items("Groups", GROUP_KEYS):
        group = Group.read(fields)
        unique_name(fields, group.name, state.groups)
        _check_attachments(fields, state, group)
        state.groups[group.name] = group
    for fields in root.items("Roles", ROLE_KEYS):
        role = Role.read(fields)
        unique_name(fields, role.name, state.roles)
        _check_attachments(fields, state, role)
        state.roles[role.name] = role
    for fields in root.items("Users", USER_KEYS):
        user = User.read(fields)
        unique_name(fields, user.name, state.users)
        _check_attachments(fields, state, user)
        for group_name in user.groups:
            if group_name not in state.groups:
                raise fields.fail("Groups", f"names {group_name}, which is not in Groups")
        state.users[user.name] = user
    for fields in root.items("InstanceProfiles", INSTANCE_PROFILE_KEYS):
        profile = InstanceProfile.read(fields)
        unique_name(fields, profile.name, state.instance_profiles)
        for role_name in profile.roles:
            if role_name not in state.roles:
                raise fields.fail("Roles", f"names {role_name}, which is not in Roles")
        state.instance_profiles[profile.name] = profile


def write_iam(state: IamState) -> dict[str, list[dict[str, Any]]]:
    """The world file's IAM sections, each sorted by name."""
    return {
        "Roles": [state.roles[name].to_dict() for name in sorted(state.roles)],
        "Users": [state.users[name].to_dict() for name in sorted(state.users)],
        "Groups": [state.groups[name].to_dict() for name in sorted(state.groups)],
        "Policies": [state.managed_policies[name].to_dict() for name in sorted(state.managed_policies)],
        "InstanceProfiles": [state.instance_profiles[name].to_dict() for name in sorted(state.instance_profiles)],
    }


def find_managed_policy(state: IamState, arn: str) -> ManagedPolicy | str | None:
    """The managed policy an ARN names: the account's own (a ManagedPolicy), a known AWS managed policy (its name),
    or None when neither has it."""
    parsed = parse_policy_arn(arn)
    if parsed is None or parsed.partition != state.partition:
        return None
    if parsed.owner == "aws":
        known = AWS_MANAGED.get(parsed.name)
        return parsed.name if known is not None and known.path == parsed.path else None
    policy = state.managed_policies.get(parsed.name)
    if parsed.owner != state.account or policy is None or policy.path != parsed.path:
        return None
    return policy


def managed_document(state: IamState, arn: str) -> Policy | None:
    """What an attached managed policy grants: its default version's document (None for an unknown ARN). An AWS
    managed policy's document is read from its file once per world (``state.compiled``, shared by its copies)."""
    found = find_managed_policy(state, arn)
    if found is None:
        return None
    if not isinstance(found, str):
        return found.document
    key = f"aws-managed:{found}"
    document = state.compiled.get(key)
    if document is None:
        document = state.compiled[key] = aws_managed_document(found)
    return document


def permission_policies(state: IamState, identity: Identity) -> tuple[Policy, ...]:
    """Every identity-based policy that applies to a role, user or group: inline and attached, and for a user its
    groups' too (for a permission evaluator; IAM's own order, duplicates kept)."""
    owners: list[Identity] = [identity]
    if isinstance(identity, User):
        owners += [state.groups[name] for name in identity.groups if name in state.groups]
    found: list[Policy] = []
    for owner in owners:
        found += owner.policies
        found += [document for arn in owner.attached if (document := managed_document(state, arn)) is not None]
    return tuple(found)


def boundary_policy(state: IamState, identity: Role | User) -> Policy | None:
    """The permissions boundary's document, if the role or user has one."""
    boundary = identity.permissions_boundary
    return None if boundary is None else managed_document(state, boundary)


# -- reading helpers ----------------------------------------------------------------------------------------------


def _read_name(fields: Fields, longest: int) -> str:
    name = fields.required_text("Name")
    if not (NAME.fullmatch(name) and len(name) <= longest):
        raise fields.fail("Name", f"must be 1-{longest} letters, digits or the characters + = , . @ _ -")
    return name


def _read_path(fields: Fields) -> str:
    path = fields.text("Path", "/")
    if not (PATH.fullmatch(path) and len(path) <= 512):
        raise fields.fail("Path", "must be / or a path that starts and ends with / (at most 512 characters)")
    return path


def _read_identity(fields: Fields, longest: int) -> dict[str, Any]:
    return {
        "name": _read_name(fields, longest),
        "path": _read_path(fields),
        "inline": _read_inline(fields),
        "attached": _read_attached(fields),
        "create_date": fields.timestamp("CreateDate") or CREATED,
    }


def _read_attached(fields: Fields) -> tuple[str, ...]:
    attached = fields.strings("AttachedPolicies")
    if len(set(attached)) != len(attached):
        raise fields.fail("AttachedPolicies", "names a policy twice")
    return attached


def _read_inline(fields: Fields) -> tuple[InlinePolicy, ...]:
    """Inline policies: each a policy document (named after it) or ``{PolicyName, PolicyDocument}``."""
    value = fields.data.get("Policies")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fields.fail("Policies", "must be a list of policy documents")
    found: dict[str, Policy] = {}
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise fields.fail("Policies", f"item {index} is not a policy document")
        if "PolicyName" in item or "PolicyDocument" in item:
            named = Fields(item, (*fields.path, "Policies", index), INLINE_KEYS)
            name = named.required_text("PolicyName")
            if not (NAME.fullmatch(name) and len(name) <= 128):
                raise named.fail("PolicyName", "must be 1-128 letters, digits or the characters + = , . @ _ -")
            document = named.policy("PolicyDocument")
            if document is None:
                raise named.fail("PolicyDocument", "is required")
        else:
            document = Policy.parse(item)
            name = unnamed_policy_name(document)
            if found.get(name) == document:
                continue  # the same unnamed document twice grants no more than once
        if name in found:
            raise fields.fail("Policies", f"item {index} repeats the policy name {name}")
        found[name] = document
    return tuple(InlinePolicy(name, document) for name, document in found.items())


def _inline_json(policy: InlinePolicy) -> dict[str, Any]:
    document = policy.document.to_json()
    if policy.name == unnamed_policy_name(policy.document):
        return document
    return {"PolicyName": policy.name, "PolicyDocument": document}


def _check_attachments(fields: Fields, state: IamState, identity: Identity) -> None:
    for arn in identity.attached:
        if find_managed_policy(state, arn) is None:
            raise fields.fail("AttachedPolicies", _unknown_policy(arn))
    boundary = getattr(identity, "permissions_boundary", None)
    if boundary is not None and find_managed_policy(state, boundary) is None:
        raise fields.fail("PermissionsBoundary", _unknown_policy(boundary))


def _unknown_policy(arn: str) -> str:
    return (
        f"names {arn}, which is neither a policy of Policies (its ARN, path included) nor an AWS managed policy the "
        f"fake world knows ({', '.join(sorted(AWS_MANAGED))})"
    )
