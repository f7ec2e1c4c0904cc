"""Managed policies: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, Attach/Detach<Role|User|Group>Policy,
ListAttached<Role|User|Group>Policies, ListEntitiesForPolicy, TagPolicy, UntagPolicy, ListPolicyTags.

A policy ARN names the account's own policy (path included) or an AWS managed policy. The AWS managed policies the
fake knows (``toolkit.fakes.iam_policies.AWS_MANAGED``) can be read and attached; one it does not know fails with
``NotModeledByFakeWorld`` (AWS may have it), and so does changing an AWS managed policy. ListPolicies lists only the
AWS managed policies the fake knows. DeletePolicy refuses a policy still attached or used as a permissions boundary,
or with versions besides the default (``DeleteConflict``, as IAM words them). A role, user or group may have ten
managed policies attached (IAM's default quota).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.iam import IamState, Identity, Role, User
from toolkit.fakes.iam_policies import (
    AWS_MANAGED,
    ManagedPolicy,
    PolicyVersion,
    derived_id,
    parse_policy_arn,
    policy_arn,
)
from toolkit.fakes.services.iam import documents
from toolkit.fakes.services.iam.common import (
    GROUP,
    KINDS,
    ROLE,
    USER,
    Kind,
    already_exists,
    choice,
    delete_conflict,
    flag,
    limit_exceeded,
    merged_tags,
    name,
    no_such_entity,
    not_modeled_aws_policy,
    page,
    path,
    path_prefix,
    policy_arn_member,
    replace_identity,
    resolve_policy,
    tag_keys,
    tag_list,
    tags_json,
    taken,
    text,
    validation_error,
    without_tags,
)

POLICIES_PER_ENTITY = 10
"""Managed policies a role, user or group may have attached (IAM's default quota; AWS raises it to 20 on request)."""
POLICY_SIZE = 6144
"""Characters a managed policy's document may hold, white space not counted (IAM quotas)."""


def aws_arn(backend: FakeBackend, policy_name: str) -> str:
    return policy_arn(backend.partition, "aws", AWS_MANAGED[policy_name].path, policy_name)


def arn_of(backend: FakeBackend, policy: ManagedPolicy | str) -> str:
    return aws_arn(backend, policy) if isinstance(policy, str) else policy.arn(backend.partition, backend.account)


def attached_to(state: IamState, arn: str) -> list[Identity]:
    """The roles, users and groups a managed policy is attached to."""
    tables: list[dict[str, Any]] = [state.groups, state.users, state.roles]
    return [entity for table in tables for key, entity in sorted(table.items()) if arn in entity.attached]


def bounded_by(state: IamState, arn: str) -> list[Role | User]:
    """The users and roles whose permissions boundary a managed policy is."""
    users = [state.users[key] for key in sorted(state.users) if state.users[key].permissions_boundary == arn]
    roles = [state.roles[key] for key in sorted(state.roles) if state.roles[key].permissions_boundary == arn]
    return [*users, *roles]


def policy_json(backend: FakeBackend, policy: ManagedPolicy | str, *, full: bool = True) -> dict[str, Any]:
    """A ``Policy`` as IAM returns it (``full``: GetPolicy's form, with the description and tags)."""
    arn = arn_of(backend, policy)
    if isinstance(policy, str):
        known = AWS_MANAGED[policy]
        policy_name, policy_path, default = policy, known.path, known.default_version_id
        created, updated = datetime.fromisoformat(known.create_date), datetime.fromisoformat(known.update_date)
        policy_id, description, tags = derived_id("ANPA", arn), None, {}
    else:
        policy_name, policy_path, default = policy.name, policy.path, policy.default_version_id
        created, updated = policy.create_date, policy.update_date
        policy_id, description, tags = policy.policy_id(), policy.description, policy.tags
    result: dict[str, Any] = {
        "PolicyName": policy_name,
        "PolicyId": policy_id,
        "Arn": arn,
        "Path": policy_path,
        "DefaultVersionId": default,
        "AttachmentCount": len(attached_to(backend.world, arn)),
        "PermissionsBoundaryUsageCount": len(bounded_by(backend.world, arn)),
        "IsAttachable": True,
    }
    if full and description is not None:
        result["Description"] = description
    result.update({"CreateDate": created, "UpdateDate": updated})
    if full and tags:
        result["Tags"] = tags_json(tags)
    return result


def customer_policy(backend: FakeBackend, arn: str, operation: str) -> ManagedPolicy:
    """The account's own policy an ARN names; an AWS managed policy cannot be changed (not modelled)."""
    found = resolve_policy(backend, arn, operation)
    if isinstance(found, str):
        raise not_modeled_aws_policy(operation, arn)
    return found


def create_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    policy_name = name(params, "PolicyName", 128)
    policy_path = path(params, policy=True) or "/"
    description = text(params, "Description", longest=1000)
    tags = tag_list(params)
    if taken(backend.world.managed_policies, policy_name):
        raise already_exists(f"A policy called {policy_name} already exists. Duplicate names are not allowed.")
    document = documents.document(params, "PolicyDocument", documents.MANAGED)
    documents.limit(document, POLICY_SIZE, f"Cannot exceed quota for PolicySize: {POLICY_SIZE}")
    now = backend.now()
    policy = ManagedPolicy(
        name=policy_name,
        versions=(PolicyVersion("v1", document, now),),
        path=policy_path,
        description=description,
        tags=tags,
        create_date=now,
        update_date=now,
    )
    backend.world.managed_policies[policy_name] = policy
    created = policy_json(backend, policy)
    created.pop("Description", None)  # CreatePolicy's answer leaves the description out, as IAM's does
    return {"Policy": created}


def get_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    return {"Policy": policy_json(backend, resolve_policy(backend, arn, "GetPolicy"))}


def delete_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    policy = customer_policy(backend, arn, "DeletePolicy")
    if attached_to(backend.world, arn) or bounded_by(backend.world, arn):
        raise delete_conflict("Cannot delete a policy attached to entities.")
    if len(policy.versions) > 1:
        raise delete_conflict(
            "This policy has more than one version. Before you delete a policy, you must delete the policy's "
            "versions. The default version is deleted with the policy."
        )
    del backend.world.managed_policies[policy.name]
    return {}


def list_policies(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    scope = choice(params, "Scope", ("All", "AWS", "Local")) or "All"
    only_attached = flag(params, "OnlyAttached") or False
    prefix = path_prefix(params, policy=True)
    usage = choice(params, "PolicyUsageFilter", ("PermissionsPolicy", "PermissionsBoundary"))
    found: list[ManagedPolicy | str] = []
    if scope in ("All", "AWS"):
        found += sorted(AWS_MANAGED)
    if scope in ("All", "Local"):
        found += [backend.world.managed_policies[key] for key in sorted(backend.world.managed_policies)]
    listed = []
    for policy in sorted(found, key=lambda item: item if isinstance(item, str) else item.name):
        arn = arn_of(backend, policy)
        attached, boundary = bool(attached_to(backend.world, arn)), bool(bounded_by(backend.world, arn))
        parsed = parse_policy_arn(arn)
        if parsed is None or not parsed.path.startswith(prefix):
            continue
        if only_attached and not (attached or boundary):
            continue
        if (usage == "PermissionsPolicy" and not attached) or (usage == "PermissionsBoundary" and not boundary):
            continue
        listed.append(policy)
    chosen, more = page(listed, params)
    return {"Policies": [policy_json(backend, policy, full=False) for policy in chosen], **more}


# -- attaching ----------------------------------------------------------------------------------------------------


def _attach(kind: Kind) -> Operation:
    operation = f"Attach{kind.label.title()}Policy"

    def attach(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
        owner = kind.find(backend, name(params, kind.member, kind.longest))
        arn = policy_arn_member(params)
        resolve_policy(backend, arn, operation, missing=f"Policy {arn} does not exist or is not attachable.")
        if arn in owner.attached:
            return {}
        if len(owner.attached) >= POLICIES_PER_ENTITY:
            raise limit_exceeded(f"Cannot exceed quota for PoliciesPer{kind.label.title()}: {POLICIES_PER_ENTITY}")
        changed = owner.clone()
        changed.attached = (*owner.attached, arn)
        replace_identity(backend, changed)
        return {}

    return attach


def _detach(kind: Kind) -> Operation:
    def detach(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
        owner = kind.find(backend, name(params, kind.member, kind.longest))
        arn = policy_arn_member(params)
        if arn not in owner.attached:
            raise no_such_entity(f"Policy {arn} was not found.")
        changed = owner.clone()
        changed.attached = tuple(attached for attached in owner.attached if attached != arn)
        replace_identity(backend, changed)
        return {}

    return detach


def _list_attached(kind: Kind) -> Operation:
    def list_attached(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
        owner = kind.find(backend, name(params, kind.member, kind.longest))
        prefix = path_prefix(params, policy=True)
        entries = []
        for arn in owner.attached:
            parsed = parse_policy_arn(arn)
            if parsed is not None and parsed.path.startswith(prefix):
                entries.append({"PolicyName": parsed.name, "PolicyArn": arn})
        chosen, more = page(entries, params)
        return {"AttachedPolicies": chosen, **more}

    return list_attached


def list_entities_for_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = policy_arn_member(params)
    resolve_policy(backend, arn, "ListEntitiesForPolicy")
    wanted = choice(params, "EntityFilter", ("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"))
    prefix = path_prefix(params)
    usage = choice(params, "PolicyUsageFilter", ("PermissionsPolicy", "PermissionsBoundary"))
    entities: list[Identity] = []
    if usage != "PermissionsBoundary":
        entities += attached_to(backend.world, arn)
    if usage != "PermissionsPolicy":
        entities += [entity for entity in bounded_by(backend.world, arn) if entity not in entities]
    kinds = {kind.label.title(): kind for kind in KINDS}
    chosen_kinds = [kinds[wanted]] if wanted in kinds else [] if wanted else list(KINDS)
    listed = [
        (kind, entity)
        for kind in (GROUP, USER, ROLE)
        if kind in chosen_kinds
        for entity in entities
        if kind.label == entity.KIND and entity.path.startswith(prefix)
    ]
    chosen, more = page(listed, params)
    result: dict[str, Any] = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": []}
    for kind, entity in chosen:
        title = kind.label.title()
        result[f"Policy{title}s"].append({f"{title}Name": entity.name, f"{title}Id": entity.unique_id()})
    return {**result, **more}


# -- tags ---------------------------------------------------------------------------------------------------------


def tag_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    policy = customer_policy(backend, policy_arn_member(params), "TagPolicy")
    if params.get("Tags") is None:
        raise validation_error("Tags", None, "Member must not be null")
    changed = policy.clone()
    changed.tags = merged_tags(policy.tags, tag_list(params), "TagsPerPolicy")
    backend.world.managed_policies[policy.name] = changed
    return {}


def untag_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    policy = customer_policy(backend, policy_arn_member(params), "UntagPolicy")
    changed = policy.clone()
    changed.tags = without_tags(policy.tags, tag_keys(params))
    backend.world.managed_policies[policy.name] = changed
    return {}


def list_policy_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = resolve_policy(backend, policy_arn_member(params), "ListPolicyTags")
    chosen, more = page(tags_json({} if isinstance(found, str) else found.tags), params)
    return {"Tags": chosen, **more}


OPERATIONS: dict[str, Operation] = {
    "CreatePolicy": create_policy,
    "GetPolicy": get_policy,
    "DeletePolicy": delete_policy,
    "ListPolicies": list_policies,
    "ListEntitiesForPolicy": list_entities_for_policy,
    "TagPolicy": tag_policy,
    "UntagPolicy": untag_policy,
    "ListPolicyTags": list_policy_tags,
    **{f"Attach{kind.label.title()}Policy": _attach(kind) for kind in KINDS},
    **{f"Detach{kind.label.title()}Policy": _detach(kind) for kind in KINDS},
    **{f"ListAttached{kind.label.title()}Policies": _list_attached(kind) for kind in KINDS},
}
