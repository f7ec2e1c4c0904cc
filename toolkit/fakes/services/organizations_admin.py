"""The fake Organizations's writes, all from the management account: trusted access (EnableAWSServiceAccess,
DisableAWSServiceAccess), delegated administrators (RegisterDelegatedAdministrator,
DeregisterDelegatedAdministrator), service control policies (CreatePolicy, UpdatePolicy, DeletePolicy, AttachPolicy,
DetachPolicy) and tags (TagResource, UntagResource).

The rules AWS documents, each with its error: a policy name is unique (DuplicatePolicyException); the AWS managed
FullAWSAccess can be attached and detached but not changed, deleted or tagged (InvalidInputException,
IMMUTABLE_POLICY); a policy still attached cannot be deleted (PolicyInUseException); a target holds a policy once
(DuplicatePolicyAttachmentException), at most five SCPs and at least one
(ConstraintViolationException, MAX_/MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED); an SCP's document is JSON with
Statement, at most 5,120 characters (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html);
SCPs need all features (PolicyTypeNotAvailableForOrganizationException). The management account cannot be a
delegated administrator, a delegated administrator needs its service's trusted access first, and registers once per
service. Trusted access is idempotent both ways; any service principal of the right form is accepted (the fake holds
no list of integrated services), and it reports the world's creation instant as DateEnabled (the world file keeps
the principals only). Policy types other than SCPs are not modelled (NotModeledByFakeWorld).
"""

from __future__ import annotations

import hashlib
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.organizations import (
    POLICY_ID,
    SCP,
    SERVICE_PRINCIPAL,
    ControlPolicy,
    Delegate,
    Member,
    Organization,
    policy_id_for,
)
from toolkit.fakes.requests import missing, opt_str, req_str, str_list, struct_list
from toolkit.fakes.services.organizations_view import (
    POLICY_TYPES,
    TARGET_ID,
    account_of,
    bad_pattern,
    constraint,
    for_manager,
    invalid_input,
    pattern_id,
    policy_of,
    policy_summary,
    save,
    target_not_found,
    target_of,
)
from toolkit.iam.policy import Policy

MAX_CONTENT = 5120
MAX_ATTACHED = 5
MAX_TAGS = 50


def immutable() -> AwsError:
    return invalid_input("You specified a policy that is managed by Amazon Web Services and can't be modified.")


# -- trusted access and delegated administrators ----------------------------------------------------------------


def _principal(params: dict[str, Any]) -> str:
    return pattern_id(params, "ServicePrincipal", SERVICE_PRINCIPAL)


def enable_aws_service_access(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    principal = _principal(params)
    if found.feature_set != "ALL":
        raise constraint(
            "You attempted to perform an operation that requires the organization to be configured to support all "
            "features."
        )
    if principal not in found.trusted_services:
        changed = found.clone()
        changed.trusted_services = (*found.trusted_services, principal)
        save(backend, changed)
    return {}


def disable_aws_service_access(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    principal = _principal(params)
    if principal in found.trusted_services:
        changed = found.clone()
        changed.trusted_services = tuple(name for name in found.trusted_services if name != principal)
        save(backend, changed)
    return {}


def register_delegated_administrator(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    account = account_of(backend, found, params)
    principal = _principal(params)
    if account == found.management_account:
        raise constraint(
            "You cannot register master account/yourself as delegated administrator for your organization."
        )
    if any((d.account_id, d.service_principal) == (account, principal) for d in found.delegates):
        raise AwsError(
            "AccountAlreadyRegisteredException",
            "The provided account is already a delegated administrator for your organization.",
        )
    if principal not in found.trusted_services:
        raise constraint(
            "You attempted to register a delegated administrator before you enabled service access. Call the "
            "EnableAWSServiceAccess API first."
        )
    changed = found.clone()
    changed.delegates = (*found.delegates, Delegate(account, principal, backend.now()))
    save(backend, changed)
    return {}


def deregister_delegated_administrator(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    account = account_of(backend, found, params)
    principal = _principal(params)
    if account == found.management_account:
        raise constraint(
            "You cannot register master account/yourself as delegated administrator for your organization."
        )
    kept = tuple(d for d in found.delegates if (d.account_id, d.service_principal) != (account, principal))
    if len(kept) == len(found.delegates):
        raise AwsError(
            "AccountNotRegisteredException",
            "The provided account is not a registered delegated administrator for your organization.",
        )
    changed = found.clone()
    changed.delegates = kept
    save(backend, changed)
    return {}


# -- service control policies ---------------------------------------------------------------------------------------


def create_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    content = req_str(params, "Content")
    description = req_str(params, "Description")
    name = req_str(params, "Name")
    kind = req_str(params, "Type")
    if kind not in POLICY_TYPES:
        raise invalid_input()
    if kind != SCP:
        raise NotModeled("organizations", f"CreatePolicy of Type {kind}")
    _scps_available(found)
    _name(found, name, None)
    _check_description(description)
    text = _document(content)
    tags = _tags(params, "Tags", {})
    policy = ControlPolicy(_new_policy_id(found, name), name, text, (), description, SCP, tags)
    changed = found.clone()
    changed.policies = (*found.policies, policy)
    save(backend, changed)
    return {"Policy": {"PolicySummary": policy_summary(backend, changed, policy), "Content": policy.content}}


def update_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    policy = policy_of(found, params)
    if policy.aws_managed:
        raise immutable()
    changed_policy = policy.clone()
    name = opt_str(params, "Name")
    if name is not None:
        _name(found, name, policy.id)
        changed_policy.name = name
    description = opt_str(params, "Description")
    if description is not None:
        _check_description(description)
        changed_policy.description = description
    content = opt_str(params, "Content")
    if content is not None:
        changed_policy.content = _document(content)
    changed = found.with_policy(changed_policy)
    save(backend, changed)
    return {
        "Policy": {"PolicySummary": policy_summary(backend, changed, changed_policy), "Content": changed_policy.content}
    }


def delete_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    policy = policy_of(found, params)
    if policy.aws_managed:
        raise immutable()
    if found.targets_of(policy, backend.account):
        raise AwsError(
            "PolicyInUseException",
            "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts "
            "before performing this operation.",
        )
    changed = found.clone()
    changed.policies = tuple(existing for existing in found.policies if existing.id != policy.id)
    save(backend, changed)
    return {}


def attach_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    policy = policy_of(found, params)
    target = target_of(backend, found, params)
    _scps_enabled(found)
    targets = found.targets_of(policy, backend.account)
    if target in targets:
        raise AwsError(
            "DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target."
        )
    if len(found.attached(target, backend.account)) >= MAX_ATTACHED:
        raise constraint(
            "You attempted to exceed the number of policies of a certain type that can be attached to an entity at "
            "one time."
        )
    changed_policy = policy.clone()
    changed_policy.targets = (*targets, target)
    save(backend, found.with_policy(changed_policy))
    return {}


def detach_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    policy = policy_of(found, params)
    target = target_of(backend, found, params)
    _scps_enabled(found)
    targets = found.targets_of(policy, backend.account)
    if target not in targets:
        raise AwsError(
            "PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root."
        )
    if len(found.attached(target, backend.account)) <= 1:
        raise constraint(
            "You attempted to detach a policy from an entity that would cause the entity to have fewer than the "
            "minimum number of policies of a certain type required."
        )
    changed_policy = policy.clone()
    changed_policy.targets = tuple(existing for existing in targets if existing != target)
    save(backend, found.with_policy(changed_policy))
    return {}


def _scps_available(found: Organization) -> None:
    if found.feature_set != "ALL":
        raise AwsError(
            "PolicyTypeNotAvailableForOrganizationException",
            "You can't use the specified policy type with the feature set currently enabled for this organization.",
        )


def _scps_enabled(found: Organization) -> None:
    if found.feature_set != "ALL":
        raise AwsError(
            "PolicyTypeNotEnabledException", "The specified policy type isn't currently enabled in this root."
        )


def _name(found: Organization, name: str, own_id: str | None) -> None:
    if not 1 <= len(name) <= 128:
        raise invalid_input("You provided a string parameter that is longer than allowed.")
    if any(policy.name == name and policy.id != own_id for policy in found.all_policies()):
        raise AwsError("DuplicatePolicyException", "A policy with the same name already exists.")


def _check_description(description: str) -> None:
    if len(description) > 512:
        raise invalid_input("You provided a string parameter that is longer than allowed.")


def _document(content: str) -> str:
    """The SCP document as sent, once it is JSON with Statement and within the size limit."""
    if len(content) > MAX_CONTENT:
        raise constraint("You attempted to create a policy that is larger than the maximum size.")
    malformed = AwsError(
        "MalformedPolicyDocumentException",
        "The provided policy document doesn't meet the requirements of the specified policy type.",
    )
    try:
        policy = Policy.parse(content)
    except ValueError as err:
        raise malformed from err
    statements = policy.document.get("Statement")
    if not isinstance(statements, (list, dict)) or not statements:
        raise malformed
    return content


def _new_policy_id(found: Organization, name: str) -> str:
    taken = {policy.id for policy in found.all_policies()}
    policy_id = policy_id_for(found.id, name)
    salt = 0
    while policy_id in taken:
        salt += 1
        policy_id = "p-" + hashlib.sha256(f"{found.id}/{name}/{salt}".encode()).hexdigest()[:8]
    return policy_id


# -- tags --------------------------------------------------------------------------------------------------------


def tags_of(backend: FakeBackend, found: Organization, params: dict[str, Any]) -> dict[str, str]:
    """The tags of the root, OU, account or policy the request's ResourceId names."""
    resource = _resource(backend, found, params)
    if resource == found.root:
        return found.root_tags
    unit = found.unit(resource)
    if unit is not None:
        return unit.tags
    policy = found.policy(resource)
    if policy is not None:
        return policy.tags
    member = found.member(resource)
    return {} if member is None else member.tags


def tag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    current = tags_of(backend, found, params)
    tags = _tags(params, "Tags", current, required=True)
    save(backend, _retagged(backend, found, req_str(params, "ResourceId"), tags))
    return {}


def untag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_manager(backend)
    current = tags_of(backend, found, params)
    names = str_list(params, "TagKeys")
    if names is None:
        raise missing("TagKeys")
    tags = {name: value for name, value in current.items() if name not in names}
    save(backend, _retagged(backend, found, req_str(params, "ResourceId"), tags))
    return {}


def _resource(backend: FakeBackend, found: Organization, params: dict[str, Any]) -> str:
    resource = req_str(params, "ResourceId")
    if POLICY_ID.fullmatch(resource):
        policy = found.policy(resource)
        if policy is None:
            raise target_not_found()
        return resource
    if not TARGET_ID.fullmatch(resource):
        raise bad_pattern()
    if resource not in found.targets(backend.account):
        raise target_not_found()
    return resource


def _retagged(backend: FakeBackend, found: Organization, resource: str, tags: dict[str, str]) -> Organization:
    changed = found.clone()
    if resource == found.root:
        changed.root_tags = tags
        return changed
    unit = found.unit(resource)
    if unit is not None:
        twin = unit.clone()
        twin.tags = tags
        changed.units = tuple(twin if existing.id == resource else existing for existing in found.units)
        return changed
    policy = found.policy(resource)
    if policy is not None:
        if policy.aws_managed:
            raise immutable()
        retagged = policy.clone()
        retagged.tags = tags
        return found.with_policy(retagged)
    member = found.member(resource)
    if member is None:
        changed.members = (*found.members, Member(resource, found.root, tags=tags))
        return changed
    twin_member = member.clone()
    twin_member.tags = tags
    changed.members = tuple(twin_member if existing.id == resource else existing for existing in found.members)
    return changed


def _tags(params: dict[str, Any], member: str, current: dict[str, str], required: bool = False) -> dict[str, str]:
    items = struct_list(params, member)
    if items is None:
        if required:
            raise missing(member)
        return dict(current)
    names = [item.get("Key") for item in items]
    if len(set(names)) != len(names):
        raise invalid_input("Tag keys must be unique among the tags attached to the same entity.")
    result = dict(current)
    for item in items:
        name, value = item.get("Key"), item.get("Value")
        if not isinstance(name, str) or not isinstance(value, str) or not 1 <= len(name) <= 128 or len(value) > 256:
            raise bad_pattern()
        if name.lower().startswith("aws:"):
            raise invalid_input(
                "You specified a tag key that is a system tag. You can't add, edit, or delete system tag keys "
                "because they're reserved for Amazon Web Services use."
            )
        result[name] = value
    if len(result) > MAX_TAGS:
        raise constraint("You have exceeded the number of tags allowed on this resource.")
    return result


OPERATIONS: dict[str, Operation] = {
    "EnableAWSServiceAccess": enable_aws_service_access,
    "DisableAWSServiceAccess": disable_aws_service_access,
    "RegisterDelegatedAdministrator": register_delegated_administrator,
    "DeregisterDelegatedAdministrator": deregister_delegated_administrator,
    "CreatePolicy": create_policy,
    "UpdatePolicy": update_policy,
    "DeletePolicy": delete_policy,
    "AttachPolicy": attach_policy,
    "DetachPolicy": detach_policy,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
}
