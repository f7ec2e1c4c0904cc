"""What every fake Organizations operation shares: who may call it, finding roots, OUs, accounts and policies by
id, their response shapes, paging, and the errors AWS gives.

Who may call (each operation's API reference, as botocore's model carries it, and "API operations by account",
https://docs.aws.amazon.com/organizations/latest/APIReference/action-reference.html): DescribeOrganization from any
account of the organization; the reads from "the management account or a member account that is a delegated
administrator"; RegisterDelegatedAdministrator, DeregisterDelegatedAdministrator, EnableAWSServiceAccess and
DisableAWSServiceAccess "only from the management account". The policy and tag writes also name delegated
administrators, but only those the organization's resource policy delegates policy management to
(PutResourcePolicy, not modelled): here they are the management account's. Anyone else gets AccessDeniedException;
an account in no organization AWSOrganizationsNotInUseException.

Messages: the not-found errors as AWS words them ("You specified an account that doesn't exist.", ...); the
InvalidInputException and ConstraintViolationException messages are the documented sentence of their reason code
(botocore's model of those exceptions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError
from toolkit.fakes.organizations import (
    ACCOUNT_ID,
    POLICY_ID,
    ROOT_ID,
    UNIT_ID,
    ControlPolicy,
    Organization,
    OrganizationalUnit,
)
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import opt_int, req_str
from toolkit.fakes.services.pages import page

T = TypeVar("T")

POLICY_TYPES = (
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "SECURITYHUB_POLICY",
    "SECURITYHUB_CSPM_POLICY",
    "INSPECTOR_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
    "BEDROCK_POLICY",
    "S3_POLICY",
    "NETWORK_SECURITY_DIRECTOR_POLICY",
    "GUARDDUTY_POLICY",
)
"""The PolicyType values of botocore's Organizations model."""

PARENT_ID = re.compile(rf"{ROOT_ID.pattern}|{UNIT_ID.pattern}")
CHILD_ID = re.compile(rf"{ACCOUNT_ID.pattern}|{UNIT_ID.pattern}")
TARGET_ID = re.compile(rf"{ROOT_ID.pattern}|{ACCOUNT_ID.pattern}|{UNIT_ID.pattern}")


# -- errors --------------------------------------------------------------------------------------------------


def not_in_use() -> AwsError:
    return AwsError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")


def access_denied() -> AwsError:
    return AwsError("AccessDeniedException", "You don't have permissions to access this resource.")


def invalid_input(message: str = "You specified an invalid value.") -> AwsError:
    return AwsError("InvalidInputException", message)


def bad_pattern() -> AwsError:
    return invalid_input("You provided a value that does not match the required pattern.")


def constraint(message: str) -> AwsError:
    return AwsError("ConstraintViolationException", message)


def account_not_found() -> AwsError:
    return AwsError("AccountNotFoundException", "You specified an account that doesn't exist.")


def policy_not_found(message: str = "We can't find a policy with the PolicyId that you specified.") -> AwsError:
    return AwsError("PolicyNotFoundException", message)


def target_not_found() -> AwsError:
    return AwsError("TargetNotFoundException", "You specified a target that doesn't exist.")


# -- who may call -------------------------------------------------------------------------------------------------


def organization(backend: FakeBackend) -> Organization:
    """The organization, for an operation any of its accounts may call."""
    found = backend.world.organization
    if found is None:
        raise not_in_use()
    return found


def for_reader(backend: FakeBackend) -> Organization:
    """The organization, for a read of the management account or a delegated administrator."""
    found = organization(backend)
    if backend.account != found.management_account and not found.delegated(backend.account):
        raise access_denied()
    return found


def for_manager(backend: FakeBackend) -> Organization:
    """The organization, for an operation of the management account only."""
    found = organization(backend)
    if backend.account != found.management_account:
        raise access_denied()
    return found


def save(backend: FakeBackend, changed: Organization) -> None:
    """The organization is the whole world's: every account of the world sees the change (an SCP attached from the
    management account applies to the members' calls at once)."""
    world = backend.world.root or backend.world
    world.organization = changed
    for member in world.accounts.values():
        member.organization = changed


# -- finding things by id --------------------------------------------------------------------------------------


def pattern_id(params: dict[str, Any], member: str, pattern: re.Pattern[str], error: AwsError | None = None) -> str:
    value = req_str(params, member)
    if not pattern.fullmatch(value):
        raise error or bad_pattern()
    return value


def account_of(backend: FakeBackend, found: Organization, params: dict[str, Any], member: str = "AccountId") -> str:
    account_id = pattern_id(params, member, ACCOUNT_ID)
    if account_id not in found.account_ids(backend.account):
        raise account_not_found()
    return account_id


def parent_of(backend: FakeBackend, found: Organization, params: dict[str, Any]) -> str:
    parent = pattern_id(params, "ParentId", PARENT_ID)
    if parent != found.root and found.unit(parent) is None:
        raise AwsError("ParentNotFoundException", "You specified parent that doesn't exist.")
    return parent


def unit_of(found: Organization, params: dict[str, Any]) -> OrganizationalUnit:
    unit = found.unit(pattern_id(params, "OrganizationalUnitId", UNIT_ID))
    if unit is None:
        raise AwsError(
            "OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist."
        )
    return unit


def policy_of(found: Organization, params: dict[str, Any], message: str | None = None) -> ControlPolicy:
    policy = found.policy(pattern_id(params, "PolicyId", POLICY_ID))
    if policy is None:
        raise policy_not_found(message) if message else policy_not_found()
    return policy


def target_of(backend: FakeBackend, found: Organization, params: dict[str, Any], member: str = "TargetId") -> str:
    target = pattern_id(
        params,
        member,
        TARGET_ID,
        invalid_input("You specified a policy target ID that doesn't match the required pattern."),
    )
    if target not in found.targets(backend.account):
        raise target_not_found()
    return target


def policy_filter(params: dict[str, Any]) -> str:
    kind = req_str(params, "Filter")
    if kind not in POLICY_TYPES:
        raise invalid_input()
    return kind


# -- response shapes ---------------------------------------------------------------------------------------------


def arn(backend: FakeBackend, found: Organization, resource: str) -> str:
    return f"arn:{backend.partition}:organizations::{found.management_account}:{resource}"


def root_entry(backend: FakeBackend, found: Organization) -> dict[str, Any]:
    enabled = [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}] if found.feature_set == "ALL" else []
    return {
        "Id": found.root,
        "Arn": arn(backend, found, f"root/{found.id}/{found.root}"),
        "Name": "Root",
        "PolicyTypes": enabled,
    }


def unit_entry(backend: FakeBackend, found: Organization, unit: OrganizationalUnit) -> dict[str, Any]:
    return {"Id": unit.id, "Arn": arn(backend, found, f"ou/{found.id}/{unit.id}"), "Name": unit.name}


def account_entry(backend: FakeBackend, found: Organization, account_id: str) -> dict[str, Any]:
    member = found.member(account_id)
    management = account_id == found.management_account
    default_name = "management" if management else f"account-{account_id}"
    default_email = f"management+{account_id}@example.com" if management else f"account+{account_id}@example.com"
    return {
        "Id": account_id,
        "Arn": arn(backend, found, f"account/{found.id}/{account_id}"),
        "Email": (member.email if member else None) or default_email,
        "Name": (member.name if member else None) or default_name,
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": "INVITED" if management else "CREATED",
        "JoinedTimestamp": CREATED,
    }


def policy_summary(backend: FakeBackend, found: Organization, policy: ControlPolicy) -> dict[str, Any]:
    if policy.aws_managed:
        policy_arn = f"arn:{backend.partition}:organizations::aws:policy/service_control_policy/{policy.id}"
    else:
        policy_arn = arn(backend, found, f"policy/{found.id}/service_control_policy/{policy.id}")
    return {
        "Id": policy.id,
        "Arn": policy_arn,
        "Name": policy.name,
        "Description": policy.description,
        "Type": policy.type,
        "AwsManaged": policy.aws_managed,
    }


def target_entry(backend: FakeBackend, found: Organization, target: str) -> dict[str, Any]:
    if target == found.root:
        entry = root_entry(backend, found)
        kind = "ROOT"
    elif target.startswith("ou-"):
        unit = found.unit(target)
        assert unit is not None
        entry = unit_entry(backend, found, unit)
        kind = "ORGANIZATIONAL_UNIT"
    else:
        entry = account_entry(backend, found, target)
        kind = "ACCOUNT"
    return {"TargetId": target, "Arn": entry["Arn"], "Name": entry["Name"], "Type": kind}


def kind_of(found: Organization, parent: str) -> str:
    return "ROOT" if parent == found.root else "ORGANIZATIONAL_UNIT"


# -- paging --------------------------------------------------------------------------------------------------------


def paged(items: Sequence[T], key: Callable[[T], str], params: dict[str, Any]) -> tuple[list[T], str | None]:
    """A page of at most MaxResults (1 to 20) items, from the one NextToken names."""
    size = opt_int(params, "MaxResults")
    if size is not None and size > 20:
        raise invalid_input("You provided a numeric parameter that has a larger value than allowed.")
    if size is not None and size < 1:
        raise invalid_input("You provided a numeric parameter that has a smaller value than allowed.")
    bad_token = invalid_input(
        "Get the value for the NextToken parameter from the response to a previous call of the operation."
    )
    return page(items, key, params, limit=("MaxResults", 20, 20), marker="NextToken", bad_marker=bad_token)


def listed(member: str, entries: list[dict[str, Any]], following: str | None) -> dict[str, Any]:
    """An Organizations list response: the entries, and NextToken when there is a next page."""
    return {member: entries} if following is None else {member: entries, "NextToken": following}
