"""The fake AWS Organizations's operations (``OPERATIONS``) on the state in ``toolkit.fakes.organizations``.

Here the reads: DescribeOrganization, ListRoots, ListAccounts, DescribeAccount, ListOrganizationalUnitsForParent,
DescribeOrganizationalUnit, ListParents, ListChildren, ListAccountsForParent, ListPolicies, DescribePolicy,
ListTargetsForPolicy, ListPoliciesForTarget, ListAWSServiceAccessForOrganization, ListDelegatedAdministrators,
ListDelegatedServicesForAccount, ListTagsForResource. The writes (trusted access, delegated administrators, service
control policies, tags) are in ``organizations_admin``; who may call what, ids, shapes and errors in
``organizations_view``.

Without an organization every operation raises ``AWSOrganizationsNotInUseException``. Decisions where AWS is
silent: SCPs count as enabled in the root exactly when the organization has all features (the world file names no
other policy type state); only service control policies are modelled (ListPolicies of another type lists none);
accounts the world names without a Name or Email get ``account-<id>`` and ``account+<id>@example.com`` (the
management account ``management`` and ``management+<id>@example.com``, as DescribeOrganization reports it);
every account joined at the world's creation instant, the management account by invitation (as AWS reports the
account that created the organization), the others by creation.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.organizations import SCP, ControlPolicy, OrganizationalUnit
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import opt_str, req_str
from toolkit.fakes.services import organizations_admin
from toolkit.fakes.services.organizations_view import (
    CHILD_ID,
    account_entry,
    account_of,
    for_reader,
    invalid_input,
    kind_of,
    listed,
    organization,
    paged,
    parent_of,
    pattern_id,
    policy_filter,
    policy_of,
    policy_summary,
    root_entry,
    target_entry,
    target_of,
    unit_entry,
    unit_of,
)


def describe_organization(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = organization(backend)
    management = found.management_account
    partition = backend.partition
    policy_types = [{"Type": SCP, "Status": "ENABLED"}] if found.feature_set == "ALL" else []
    return {
        "Organization": {
            "Id": found.id,
            "Arn": f"arn:{partition}:organizations::{management}:organization/{found.id}",
            "FeatureSet": found.feature_set,
            "MasterAccountArn": f"arn:{partition}:organizations::{management}:account/{found.id}/{management}",
            "MasterAccountId": management,
            "MasterAccountEmail": account_entry(backend, found, management)["Email"],
            "AvailablePolicyTypes": policy_types,
        }
    }


def list_roots(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    roots, following = paged([found.root], str, params)
    return listed("Roots", [root_entry(backend, found) for _ in roots], following)


def list_accounts(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    accounts, following = paged(found.account_ids(backend.account), str, params)
    return listed("Accounts", [account_entry(backend, found, account) for account in accounts], following)


def describe_account(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    return {"Account": account_entry(backend, found, account_of(backend, found, params))}


def list_organizational_units_for_parent(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    parent = parent_of(backend, found, params)
    units, following = paged([unit for unit in found.units if unit.parent == parent], _unit_id, params)
    return listed("OrganizationalUnits", [unit_entry(backend, found, unit) for unit in units], following)


def describe_organizational_unit(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    return {"OrganizationalUnit": unit_entry(backend, found, unit_of(found, params))}


def list_parents(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    child = pattern_id(params, "ChildId", CHILD_ID)
    if found.unit(child) is None and child not in found.account_ids(backend.account):
        raise AwsError(
            "ChildNotFoundException",
            "We can't find an organizational unit (OU) or Amazon Web Services account with the ChildId that you "
            "specified.",
        )
    parent = found.parent_of(child)
    parents, following = paged([parent], str, params)
    return listed("Parents", [{"Id": item, "Type": kind_of(found, item)} for item in parents], following)


def list_children(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    parent = parent_of(backend, found, params)
    kind = req_str(params, "ChildType")
    if kind == "ACCOUNT":
        children = [account for account in found.account_ids(backend.account) if found.parent_of(account) == parent]
    elif kind == "ORGANIZATIONAL_UNIT":
        children = [unit.id for unit in found.units if unit.parent == parent]
    else:
        raise invalid_input()
    chosen, following = paged(children, str, params)
    return listed("Children", [{"Id": child, "Type": kind} for child in chosen], following)


def list_accounts_for_parent(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    parent = parent_of(backend, found, params)
    accounts = [account for account in found.account_ids(backend.account) if found.parent_of(account) == parent]
    chosen, following = paged(accounts, str, params)
    return listed("Accounts", [account_entry(backend, found, account) for account in chosen], following)


def list_policies(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    kind = policy_filter(params)
    policies = [policy for policy in found.all_policies() if policy.type == kind]
    chosen, following = paged(policies, _policy_id, params)
    return listed("Policies", [policy_summary(backend, found, policy) for policy in chosen], following)


def describe_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    policy = policy_of(found, params, "You specified a policy that doesn't exist.")
    return {"Policy": {"PolicySummary": policy_summary(backend, found, policy), "Content": policy.content}}


def list_targets_for_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    policy = policy_of(found, params, "You specified a policy that doesn't exist.")
    chosen, following = paged(found.targets_of(policy, backend.account), str, params)
    return listed("Targets", [target_entry(backend, found, target) for target in chosen], following)


def list_policies_for_target(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    target = target_of(backend, found, params)
    kind = policy_filter(params)
    policies = [policy for policy in found.attached(target, backend.account) if policy.type == kind]
    chosen, following = paged(policies, _policy_id, params)
    return listed("Policies", [policy_summary(backend, found, policy) for policy in chosen], following)


def list_aws_service_access(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    principals = [{"ServicePrincipal": name, "DateEnabled": CREATED} for name in sorted(found.trusted_services)]
    chosen, following = paged(principals, _principal, params)
    return listed("EnabledServicePrincipals", chosen, following)


def list_delegated_administrators(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    service = opt_str(params, "ServicePrincipal")
    dates: dict[str, Any] = {}
    for delegate in found.delegates:
        if service is None or delegate.service_principal == service:
            earliest = dates.get(delegate.account_id)
            dates[delegate.account_id] = delegate.enabled if earliest is None else min(earliest, delegate.enabled)
    chosen, following = paged(sorted(dates), str, params)
    entries = [
        {**account_entry(backend, found, account), "DelegationEnabledDate": dates[account]} for account in chosen
    ]
    return listed("DelegatedAdministrators", entries, following)


def list_delegated_services_for_account(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    account = account_of(backend, found, params)
    services = [
        {"ServicePrincipal": delegate.service_principal, "DelegationEnabledDate": delegate.enabled}
        for delegate in found.delegates
        if delegate.account_id == account
    ]
    if not services:
        raise AwsError(
            "AccountNotRegisteredException",
            "The provided account is not a registered delegated administrator for your organization.",
        )
    chosen, following = paged(services, _principal, params)
    return listed("DelegatedServices", chosen, following)


def list_tags_for_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    found = for_reader(backend)
    tags = organizations_admin.tags_of(backend, found, params)
    chosen, following = paged(sorted(tags), str, params)
    return listed("Tags", [{"Key": name, "Value": tags[name]} for name in chosen], following)


def _unit_id(unit: OrganizationalUnit) -> str:
    return unit.id


def _policy_id(policy: ControlPolicy) -> str:
    return policy.id


def _principal(entry: dict[str, Any]) -> str:
    return str(entry["ServicePrincipal"])


OPERATIONS: dict[str, Operation] = {
    "DescribeOrganization": describe_organization,
    "ListRoots": list_roots,
    "ListAccounts": list_accounts,
    "DescribeAccount": describe_account,
    "ListOrganizationalUnitsForParent": list_organizational_units_for_parent,
    "DescribeOrganizationalUnit": describe_organizational_unit,
    "ListParents": list_parents,
    "ListChildren": list_children,
    "ListAccountsForParent": list_accounts_for_parent,
    "ListPolicies": list_policies,
    "DescribePolicy": describe_policy,
    "ListTargetsForPolicy": list_targets_for_policy,
    "ListPoliciesForTarget": list_policies_for_target,
    "ListAWSServiceAccessForOrganization": list_aws_service_access,
    "ListDelegatedAdministrators": list_delegated_administrators,
    "ListDelegatedServicesForAccount": list_delegated_services_for_account,
    "ListTagsForResource": list_tags_for_resource,
    **organizations_admin.OPERATIONS,
}
