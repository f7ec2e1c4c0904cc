"""Fake AWS Organizations: the organization the account belongs to, if any: its root, organizational units, where
its accounts sit, its service control policies and where they are attached, trusted services, delegated
administrators and tags.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.organizations``.

The world file's ``Organization`` (docs/world-file.md, with its 0.2 additions): ``Root`` (default ``r-`` and four
characters derived from the organization id), ``OrganizationalUnits`` (``{Id, Name, Parent, Tags}``, Parent the root
or another OU), ``Accounts`` (``{Id, Parent, Name, Email, Tags}``; the management account and the world's own
account are members even when not listed, under the root), ``Policies`` (service control policies ``{Id, Name,
Description, Type, Content, Targets, Tags}``; Id defaults to one derived from the name), ``DelegatedAdministrators``
(``{AccountId, ServicePrincipal, DelegationEnabledDate}``) and ``RootTags``. AWS attaches its managed SCP
``FullAWSAccess`` to the root and to every OU and account when SCPs are in use; it stays so unless ``Policies``
lists ``FullAWSAccess`` (without Content) with its own Targets. The 0.2 keys are written only when they differ from
their defaults, so a world that does not use them writes the Organization it always did.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Final

from toolkit.fakes.default import DEFAULT_ORGANIZATION
from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields, timestamp_text
from toolkit.iam.policy import Policy
from toolkit.records import MutableRecord

ORGANIZATION_KEYS = (
    "Id",
    "ManagementAccount",
    "FeatureSet",
    "TrustedServices",
    "Root",
    "OrganizationalUnits",
    "Accounts",
    "Policies",
    "DelegatedAdministrators",
    "RootTags",
)
UNIT_KEYS = ("Id", "Name", "Parent", "Tags")
MEMBER_KEYS = ("Id", "Parent", "Name", "Email", "Tags")
POLICY_KEYS = ("Id", "Name", "Description", "Type", "Content", "Targets", "Tags")
DELEGATE_KEYS = ("AccountId", "ServicePrincipal", "DelegationEnabledDate")

ORGANIZATION_ID = re.compile(r"o-[a-z0-9]{10,32}")
ROOT_ID = re.compile(r"r-[0-9a-z]{4,32}")
UNIT_ID = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}")
ACCOUNT_ID = re.compile(r"\d{12}")
POLICY_ID = re.compile(r"p-[0-9a-zA-Z_]{8,128}")
SERVICE_PRINCIPAL = re.compile(r"[\w+=,.@-]{1,128}")
FEATURE_SETS = ("ALL", "CONSOLIDATED_BILLING")
SCP = "SERVICE_CONTROL_POLICY"

FULL_ACCESS_ID = "p-FullAWSAccess"
FULL_ACCESS_NAME = "FullAWSAccess"
FULL_ACCESS_DESCRIPTION = "Allows access to every operation"
FULL_ACCESS_CONTENT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
"""AWS's managed SCP, attached wherever SCPs apply until someone detaches it."""


class OrganizationalUnit(Record, MutableRecord):
    _FIELDS = ("id", "name", "parent", "tags")
    id: str
    name: str
    parent: str
    tags: dict[str, str]

    def __init__(
        self,
        id: str,
        name: str,
        parent: str,
        tags: dict[str, str] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.parent = parent
        self.tags = {} if tags is None else tags

    def to_dict(self) -> dict[str, Any]:
        return {"Id": self.id, "Name": self.name, "Parent": self.parent, "Tags": dict(self.tags)}


class Member(Record, MutableRecord):
    """A member account placed in the tree (and, optionally, its name, email and tags)."""

    _FIELDS = ("id", "parent", "name", "email", "tags")
    id: str
    parent: str
    name: str | None
    email: str | None
    tags: dict[str, str]

    def __init__(
        self,
        id: str,
        parent: str,
        name: str | None = None,
        email: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        self.id = id
        self.parent = parent
        self.name = name
        self.email = email
        self.tags = {} if tags is None else tags

    def to_dict(self) -> dict[str, Any]:
        return {"Id": self.id, "Parent": self.parent, "Name": self.name, "Email": self.email, "Tags": dict(self.tags)}


class ControlPolicy(Record, MutableRecord):
    """A service control policy; ``targets`` None only for FullAWSAccess where AWS left it (everywhere)."""

    _FIELDS = ("id", "name", "content", "targets", "description", "type", "tags")
    id: str
    name: str
    content: str
    targets: tuple[str, ...] | None
    description: str
    type: str
    tags: dict[str, str]

    def __init__(
        self,
        id: str,
        name: str,
        content: str,
        targets: tuple[str, ...] | None = (),
        description: str = "",
        type: str = SCP,
        tags: dict[str, str] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.content = content
        self.targets = targets
        self.description = description
        self.type = type
        self.tags = {} if tags is None else tags

    @property
    def aws_managed(self) -> bool:
        return self.id == FULL_ACCESS_ID

    def to_dict(self) -> dict[str, Any]:
        if self.aws_managed:
            return {"Name": self.name, "Targets": list(self.targets or ())}
        return {
            "Id": self.id,
            "Name": self.name,
            "Description": self.description,
            "Type": self.type,
            "Content": Policy.parse(self.content).to_json(),
            "Targets": list(self.targets or ()),
            "Tags": dict(self.tags),
        }


class Delegate(Record, MutableRecord):
    _FIELDS = ("account_id", "service_principal", "enabled")
    account_id: str
    service_principal: str
    enabled: datetime

    def __init__(
        self,
        account_id: str,
        service_principal: str,
        enabled: datetime = CREATED,
    ) -> None:
        self.account_id = account_id
        self.service_principal = service_principal
        self.enabled = enabled

    def to_dict(self) -> dict[str, Any]:
        return {
            "AccountId": self.account_id,
            "ServicePrincipal": self.service_principal,
            "DelegationEnabledDate": timestamp_text(self.enabled),
        }


def full_access() -> ControlPolicy:
    return ControlPolicy(FULL_ACCESS_ID, FULL_ACCESS_NAME, FULL_ACCESS_CONTENT, None, FULL_ACCESS_DESCRIPTION)


def policy_id_for(organization_id: str, name: str) -> str:
    """The id a policy named ``name`` gets when the world file leaves it out: ``p-`` and 8 derived characters."""
    import hashlib  # lazy: hashlib loads OpenSSL (~5 ms); only worlds with policies need it

    return "p-" + hashlib.sha256(f"{organization_id}/{name}".encode()).hexdigest()[:8]


DEFAULT_WORLD_ROOT: Final = (DEFAULT_ORGANIZATION, "r-289f")
"""The default world's organization and its derived root (``default_root``'s answer, written out so that reading
the default world loads no hashlib; tests/fakes/test_organizations.py checks it)."""


def default_root(organization_id: str) -> str:
    """The root id an organization gets when the world file leaves it out: ``r-`` and 4 derived characters."""
    if organization_id == DEFAULT_WORLD_ROOT[0]:
        return DEFAULT_WORLD_ROOT[1]
    import hashlib  # lazy: hashlib loads OpenSSL (~5 ms); only another organization's root needs it

    return "r-" + hashlib.sha256(organization_id.encode()).hexdigest()[:4]


class Organization(Record, MutableRecord):
    _FIELDS = (
        "id",
        "management_account",
        "feature_set",
        "trusted_services",
        "root",
        "units",
        "members",
        "policies",
        "delegates",
        "root_tags",
    )
    id: str
    management_account: str
    feature_set: str
    trusted_services: tuple[str, ...]
    root: str
    units: tuple[OrganizationalUnit, ...]
    members: tuple[Member, ...]
    policies: tuple[ControlPolicy, ...]
    delegates: tuple[Delegate, ...]
    root_tags: dict[str, str]

    def __init__(
        self,
        id: str,
        management_account: str,
        feature_set: str = "ALL",
        trusted_services: tuple[str, ...] = (),
        root: str = "",
        units: tuple[OrganizationalUnit, ...] = (),
        members: tuple[Member, ...] = (),
        policies: tuple[ControlPolicy, ...] = (),
        delegates: tuple[Delegate, ...] = (),
        root_tags: dict[str, str] | None = None,
    ) -> None:
        self.id = id
        self.management_account = management_account
        self.feature_set = feature_set
        self.trusted_services = trusted_services
        self.root = root
        self.units = units
        self.members = members
        self.policies = policies
        self.delegates = delegates
        self.root_tags = {} if root_tags is None else root_tags
        self.__post_init__()

    def __post_init__(self) -> None:
        if not self.root:
            self.root = default_root(self.id)

    # -- reading and writing --------------------------------------------------------------------------------

    @classmethod
    def read(cls, fields: Fields, account: str) -> Organization:
        organization_id = fields.text("Id", "o-a1b2c3d4e5")
        if not ORGANIZATION_ID.fullmatch(organization_id):
            raise fields.fail("Id", "must be an organization id: o- and 10 to 32 lower-case letters or digits")
        management = fields.text("ManagementAccount", account)
        if not ACCOUNT_ID.fullmatch(management):
            raise fields.fail("ManagementAccount", "must be a 12-digit account id (quote it in YAML)")
        feature_set = fields.text("FeatureSet", "ALL")
        if feature_set not in FEATURE_SETS:
            raise fields.fail("FeatureSet", "must be ALL or CONSOLIDATED_BILLING")
        # The default is derived (a hash) only when the file leaves Root out.
        root = fields.text("Root", "") if fields.data.get("Root") is not None else default_root(organization_id)
        if not ROOT_ID.fullmatch(root):
            raise fields.fail("Root", "must be a root id: r- and 4 to 32 lower-case letters or digits")
        organization = cls(
            organization_id,
            management,
            feature_set,
            fields.strings("TrustedServices"),
            root,
            root_tags=_tags(fields, "RootTags"),
        )
        # Each part the file leaves out (or gives as an empty list) is empty: most organizations give none.
        data = fields.data
        if not _absent(data.get("OrganizationalUnits")):
            organization.units = _read_units(fields, root)
        if not _absent(data.get("Accounts")):
            organization.members = _read_members(fields, organization)
        if not _absent(data.get("Policies")):
            organization.policies = _read_policies(fields, organization, account)
        if not _absent(data.get("DelegatedAdministrators")):
            organization.delegates = _read_delegates(fields, organization, account)
        return organization

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "Id": self.id,
            "ManagementAccount": self.management_account,
            "FeatureSet": self.feature_set,
            "TrustedServices": list(self.trusted_services),
        }
        if self.root != default_root(self.id):
            result["Root"] = self.root
        policies = [policy for policy in self.policies if not (policy.aws_managed and policy.targets is None)]
        sections: dict[str, list[Any] | dict[str, str]] = {
            "OrganizationalUnits": [unit.to_dict() for unit in self.units],
            "Accounts": [member.to_dict() for member in self.members],
            "Policies": [policy.to_dict() for policy in policies],
            "DelegatedAdministrators": [delegate.to_dict() for delegate in self.delegates],
            "RootTags": dict(self.root_tags),
        }
        result.update({key: value for key, value in sections.items() if value})
        return result

    # -- the tree ---------------------------------------------------------------------------------------------

    def account_ids(self, world_account: str) -> list[str]:
        """Every member account: the management account, the world's own and those placed in the tree."""
        found = {self.management_account, world_account, *(member.id for member in self.members)}
        return sorted(found)

    def member(self, account_id: str) -> Member | None:
        return next((member for member in self.members if member.id == account_id), None)

    def unit(self, unit_id: str) -> OrganizationalUnit | None:
        return next((unit for unit in self.units if unit.id == unit_id), None)

    def parent_of(self, child: str) -> str:
        """The parent (root or OU id) of an account or OU of the organization."""
        unit = self.unit(child)
        if unit is not None:
            return unit.parent
        member = self.member(child)
        return self.root if member is None else member.parent

    def ancestry(self, target: str) -> list[str]:
        """The root, the OUs down to ``target`` and ``target`` itself: where SCPs that apply to it are attached."""
        path = [target]
        while path[-1] != self.root:
            path.append(self.parent_of(path[-1]))
        return path[::-1]

    def targets(self, world_account: str) -> list[str]:
        """Every id a policy can be attached to: the root, the OUs and the member accounts."""
        return [self.root, *(unit.id for unit in self.units), *self.account_ids(world_account)]

    # -- policies ---------------------------------------------------------------------------------------------

    def all_policies(self) -> list[ControlPolicy]:
        """FullAWSAccess (where AWS left it unless the world says otherwise) and the customer policies."""
        if any(policy.aws_managed for policy in self.policies):
            return list(self.policies)
        return [full_access(), *self.policies]

    def policy(self, policy_id: str) -> ControlPolicy | None:
        return next((policy for policy in self.all_policies() if policy.id == policy_id), None)

    def targets_of(self, policy: ControlPolicy, world_account: str) -> list[str]:
        return self.targets(world_account) if policy.targets is None else list(policy.targets)

    def attached(self, target: str, world_account: str) -> list[ControlPolicy]:
        """The policies attached directly to ``target``."""
        return [policy for policy in self.all_policies() if target in self.targets_of(policy, world_account)]

    def with_policy(self, policy: ControlPolicy) -> Organization:
        """A copy with ``policy`` added or replaced (by id)."""
        changed = self.clone()
        kept = [existing for existing in self.policies if existing.id != policy.id]
        fallback = 0 if policy.aws_managed else len(kept)
        index = next((i for i, existing in enumerate(self.policies) if existing.id == policy.id), fallback)
        kept.insert(index, policy)
        changed.policies = tuple(kept)
        return changed

    def delegated(self, account_id: str) -> bool:
        return any(delegate.account_id == account_id for delegate in self.delegates)


# -- reading sections -------------------------------------------------------------------------------------------


def _absent(section: object) -> bool:
    """Whether a list of the organization holds no entry (absent, null or empty: ``Fields.items`` yields none)."""
    return section is None or (type(section) is list and not section)


def _tags(fields: Fields, key: str) -> dict[str, str]:
    if fields.data.get(key) is None:
        return {}
    tags = fields.string_map(key)
    if any(value is None for value in tags.values()):
        raise fields.fail(key, "must map each tag key to a string value")
    return {name: value for name, value in tags.items() if value is not None}


def _read_units(fields: Fields, root: str) -> tuple[OrganizationalUnit, ...]:
    units: list[OrganizationalUnit] = []
    rows = list(fields.items("OrganizationalUnits", UNIT_KEYS))
    for item in rows:
        unit_id = item.required_text("Id")
        if not UNIT_ID.fullmatch(unit_id) or unit_id.split("-")[1] != root.removeprefix("r-"):
            raise item.fail("Id", f"must be an OU id of the root: ou-{root.removeprefix('r-')}- and 8 to 32 characters")
        if any(unit.id == unit_id for unit in units):
            raise item.fail("Id", "repeats an earlier OU")
        name = item.required_text("Name")
        if len(name) > 128:
            raise item.fail("Name", "must be at most 128 characters")
        units.append(OrganizationalUnit(unit_id, name, item.text("Parent", root), _tags(item, "Tags")))
    known = {root, *(unit.id for unit in units)}
    for item, unit in zip(rows, units, strict=True):
        if unit.parent not in known or unit.parent == unit.id:
            raise item.fail("Parent", f"names {unit.parent}, which is neither the root nor another OU")
        if any(other.name == unit.name and other.parent == unit.parent and other is not unit for other in units):
            raise item.fail("Name", f"repeats the name of another OU under {unit.parent}")
    parents = {unit.id: unit.parent for unit in units}
    for item, unit in zip(rows, units, strict=True):
        seen, here = set(), unit.id
        while here != root:
            if here in seen:
                raise item.fail("Parent", "makes a circle of OUs")
            seen.add(here)
            here = parents[here]
    return tuple(units)


def _read_members(fields: Fields, organization: Organization) -> tuple[Member, ...]:
    members: list[Member] = []
    known = {organization.root, *(unit.id for unit in organization.units)}
    for item in fields.items("Accounts", MEMBER_KEYS):
        account_id = item.required_text("Id")
        if not ACCOUNT_ID.fullmatch(account_id):
            raise item.fail("Id", "must be a 12-digit account id (quote it in YAML)")
        if any(member.id == account_id for member in members):
            raise item.fail("Id", "repeats an earlier account")
        parent = item.text("Parent", organization.root)
        if parent not in known:
            raise item.fail("Parent", f"names {parent}, which is neither the root nor an OU")
        member = Member(
            account_id, parent, item.optional_text("Name"), item.optional_text("Email"), _tags(item, "Tags")
        )
        members.append(member)
    return tuple(members)


def _read_policies(fields: Fields, organization: Organization, account: str) -> tuple[ControlPolicy, ...]:
    policies: list[ControlPolicy] = []
    rows = list(fields.items("Policies", POLICY_KEYS))
    targets = set(organization.targets(account)) if rows else set()
    if rows and organization.feature_set != "ALL":
        raise fields.fail("Policies", "need FeatureSet ALL (service control policies need all features)")
    for item in rows:
        name = item.required_text("Name")
        wanted = item.strings("Targets")
        for target in wanted:
            if target not in targets:
                raise item.fail("Targets", f"names {target}, which is not the root, an OU or a member account")
        if name == FULL_ACCESS_NAME:
            extra = [key for key in ("Id", "Content", "Description", "Type", "Tags") if item.data.get(key) is not None]
            if extra:
                raise item.fail(extra[0], "cannot be set: FullAWSAccess is AWS managed (give only its Targets)")
            policy = full_access()
            policy.targets = wanted
        else:
            policy = _read_policy(item, organization.id, name, wanted)
        if any(other.name == policy.name or other.id == policy.id for other in policies):
            raise item.fail("Name", "repeats the name or id of another policy")
        policies.append(policy)
    return tuple(policies)


def _read_policy(item: Fields, organization_id: str, name: str, targets: tuple[str, ...]) -> ControlPolicy:
    if len(name) > 128:
        raise item.fail("Name", "must be at most 128 characters")
    policy_id = item.text("Id", policy_id_for(organization_id, name))
    if not POLICY_ID.fullmatch(policy_id) or policy_id == FULL_ACCESS_ID:
        raise item.fail("Id", "must be a policy id: p- and 8 to 128 letters, digits or underscores")
    kind = item.text("Type", SCP)
    if kind != SCP:
        raise item.fail("Type", f"must be {SCP} (other policy types are not modelled)")
    content = item.policy("Content")
    if content is None:
        raise item.fail("Content", "is required: the policy document")
    return ControlPolicy(
        policy_id,
        name,
        content.text(),
        targets,
        item.optional_text("Description") or "",
        kind,
        _tags(item, "Tags"),
    )


def _read_delegates(fields: Fields, organization: Organization, account: str) -> tuple[Delegate, ...]:
    delegates: list[Delegate] = []
    members: set[str] | None = None  # worked out at the first entry (most organizations delegate nothing)
    for item in fields.items("DelegatedAdministrators", DELEGATE_KEYS):
        if members is None:
            members = set(organization.account_ids(account))
        account_id = item.required_text("AccountId")
        if account_id not in members or account_id == organization.management_account:
            raise item.fail("AccountId", "must be a member account other than the management account")
        principal = item.required_text("ServicePrincipal")
        if not SERVICE_PRINCIPAL.fullmatch(principal):
            raise item.fail("ServicePrincipal", "must be a service principal such as config.amazonaws.com")
        if any((d.account_id, d.service_principal) == (account_id, principal) for d in delegates):
            raise item.fail("ServicePrincipal", "repeats an earlier registration")
        delegates.append(Delegate(account_id, principal, item.timestamp("DelegationEnabledDate") or CREATED))
    return tuple(delegates)
