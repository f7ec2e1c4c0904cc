"""The fake AWS Organizations: the tree (root, OUs, accounts), service control policies, trusted access, delegated
administrators and tags, who may call what, and the errors AWS gives for unknown ids."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, world
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.default import default_data
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.record import CREATED
from toolkit.fakes.world import World

ORG = "o-a1b2c3d4e5"
ROOT = "r-ab12"
WORKLOADS = "ou-ab12-11111111"
PROD = "ou-ab12-22222222"
SANDBOX = "ou-ab12-33333333"
MEMBER = "444455556666"
OTHER = "777788889999"
SCP = "SERVICE_CONTROL_POLICY"
DENY_STOP = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*"}],
}


def organization(**changes: Any) -> dict[str, Any]:
    return {
        **default_data()["Organization"],
        "Root": ROOT,
        "OrganizationalUnits": [
            {"Id": WORKLOADS, "Name": "Workloads", "Parent": ROOT},
            {"Id": PROD, "Name": "Prod", "Parent": WORKLOADS},
            {"Id": SANDBOX, "Name": "Sandbox"},
        ],
        "Accounts": [
            {"Id": MEMBER, "Parent": PROD},
            {"Id": OTHER, "Parent": SANDBOX, "Name": "sandbox", "Email": "sandbox@example.com"},
        ],
        "Policies": [{"Name": "CloudTrailProtection", "Content": DENY_STOP, "Targets": [WORKLOADS]}],
        **changes,
    }


def org_world(**changes: Any) -> World:
    return world(Organization=organization(**changes))


def call(subject: FakeBackend, operation: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    return subject.call("organizations", operation, params or {})


def fails(subject: FakeBackend, operation: str, params: dict[str, Any] | None = None) -> AwsError:
    before = subject.world.to_dict()
    with pytest.raises(AwsError) as caught:
        call(subject, operation, params)
    assert subject.world.to_dict() == before
    return caught.value


def protection_id(subject: FakeBackend) -> str:
    policies = call(subject, "ListPolicies", {"Filter": SCP})["Policies"]
    return next(str(policy["Id"]) for policy in policies if policy["Name"] == "CloudTrailProtection")


# -- the tree ---------------------------------------------------------------------------------------------------


def test_roots_accounts_and_units() -> None:
    subject = org_world().backend()
    assert call(subject, "ListRoots") == {
        "Roots": [
            {
                "Id": ROOT,
                "Arn": f"arn:aws:organizations::{ACCOUNT}:root/{ORG}/{ROOT}",
                "Name": "Root",
                "PolicyTypes": [{"Type": SCP, "Status": "ENABLED"}],
            }
        ]
    }
    accounts = call(subject, "ListAccounts")["Accounts"]
    assert [account["Id"] for account in accounts] == [ACCOUNT, MEMBER, OTHER]
    assert accounts[2] == {
        "Id": OTHER,
        "Arn": f"arn:aws:organizations::{ACCOUNT}:account/{ORG}/{OTHER}",
        "Email": "sandbox@example.com",
        "Name": "sandbox",
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": "CREATED",
        "JoinedTimestamp": CREATED,
    }
    management = call(subject, "DescribeAccount", {"AccountId": ACCOUNT})["Account"]
    assert (management["Email"], management["JoinedMethod"]) == (f"management+{ACCOUNT}@example.com", "INVITED")
    units = call(subject, "ListOrganizationalUnitsForParent", {"ParentId": ROOT})["OrganizationalUnits"]
    assert [(unit["Id"], unit["Name"]) for unit in units] == [(WORKLOADS, "Workloads"), (SANDBOX, "Sandbox")]
    assert call(subject, "DescribeOrganizationalUnit", {"OrganizationalUnitId": PROD})["OrganizationalUnit"] == {
        "Id": PROD,
        "Arn": f"arn:aws:organizations::{ACCOUNT}:ou/{ORG}/{PROD}",
        "Name": "Prod",
    }
    assert call(subject, "ListParents", {"ChildId": MEMBER})["Parents"] == [{"Id": PROD, "Type": "ORGANIZATIONAL_UNIT"}]
    assert call(subject, "ListParents", {"ChildId": WORKLOADS})["Parents"] == [{"Id": ROOT, "Type": "ROOT"}]
    assert call(subject, "ListParents", {"ChildId": ACCOUNT})["Parents"] == [{"Id": ROOT, "Type": "ROOT"}]
    children = call(subject, "ListChildren", {"ParentId": ROOT, "ChildType": "ACCOUNT"})["Children"]
    assert children == [{"Id": ACCOUNT, "Type": "ACCOUNT"}]
    children = call(subject, "ListChildren", {"ParentId": WORKLOADS, "ChildType": "ORGANIZATIONAL_UNIT"})["Children"]
    assert children == [{"Id": PROD, "Type": "ORGANIZATIONAL_UNIT"}]
    in_prod = call(subject, "ListAccountsForParent", {"ParentId": PROD})["Accounts"]
    assert [account["Id"] for account in in_prod] == [MEMBER]


def test_lists_page_with_next_token() -> None:
    subject = org_world().backend()
    first = call(subject, "ListAccounts", {"MaxResults": 2})
    assert [account["Id"] for account in first["Accounts"]] == [ACCOUNT, MEMBER]
    rest = call(subject, "ListAccounts", {"NextToken": first["NextToken"]})
    assert [account["Id"] for account in rest["Accounts"]] == [OTHER] and "NextToken" not in rest
    assert fails(subject, "ListAccounts", {"NextToken": "elsewhere"}).code == "InvalidInputException"
    assert fails(subject, "ListAccounts", {"MaxResults": 21}).code == "InvalidInputException"


@pytest.mark.parametrize(
    ("operation", "params", "code", "message"),
    [
        (
            "DescribeAccount",
            {"AccountId": "000000000000"},
            "AccountNotFoundException",
            "You specified an account that doesn't exist.",
        ),
        ("DescribeAccount", {"AccountId": "12"}, "InvalidInputException", None),
        (
            "DescribeOrganizationalUnit",
            {"OrganizationalUnitId": "ou-ab12-99999999"},
            "OrganizationalUnitNotFoundException",
            None,
        ),
        ("DescribeOrganizationalUnit", {"OrganizationalUnitId": "Workloads"}, "InvalidInputException", None),
        ("ListOrganizationalUnitsForParent", {"ParentId": "ou-ab12-99999999"}, "ParentNotFoundException", None),
        ("ListAccountsForParent", {"ParentId": "r-zzzz"}, "ParentNotFoundException", None),
        ("ListChildren", {"ParentId": ROOT, "ChildType": "POLICY"}, "InvalidInputException", None),
        ("ListParents", {"ChildId": "000000000000"}, "ChildNotFoundException", None),
        ("ListParents", {"ChildId": ROOT}, "InvalidInputException", None),
        (
            "DescribePolicy",
            {"PolicyId": "p-12345678"},
            "PolicyNotFoundException",
            "You specified a policy that doesn't exist.",
        ),
        ("DescribePolicy", {"PolicyId": "FullAWSAccess"}, "InvalidInputException", None),
        ("ListTargetsForPolicy", {"PolicyId": "p-12345678"}, "PolicyNotFoundException", None),
        ("ListPoliciesForTarget", {"TargetId": "ou-ab12-99999999", "Filter": SCP}, "TargetNotFoundException", None),
        ("ListPoliciesForTarget", {"TargetId": ROOT, "Filter": "NO_SUCH_TYPE"}, "InvalidInputException", None),
        ("ListPolicies", {"Filter": "NO_SUCH_TYPE"}, "InvalidInputException", None),
        ("ListTagsForResource", {"ResourceId": "p-12345678"}, "TargetNotFoundException", None),
        ("ListDelegatedServicesForAccount", {"AccountId": MEMBER}, "AccountNotRegisteredException", None),
    ],
)
def test_unknown_ids(operation: str, params: dict[str, Any], code: str, message: str | None) -> None:
    caught = fails(org_world().backend(), operation, params)
    assert caught.code == code
    assert message is None or caught.message == message


# -- who may call --------------------------------------------------------------------------------------------------


READS: list[tuple[str, dict[str, Any]]] = [
    ("ListRoots", {}),
    ("ListAccounts", {}),
    ("DescribeAccount", {"AccountId": MEMBER}),
    ("ListOrganizationalUnitsForParent", {"ParentId": ROOT}),
    ("DescribeOrganizationalUnit", {"OrganizationalUnitId": WORKLOADS}),
    ("ListParents", {"ChildId": MEMBER}),
    ("ListChildren", {"ParentId": ROOT, "ChildType": "ACCOUNT"}),
    ("ListAccountsForParent", {"ParentId": ROOT}),
    ("ListPolicies", {"Filter": SCP}),
    ("DescribePolicy", {"PolicyId": "p-FullAWSAccess"}),
    ("ListTargetsForPolicy", {"PolicyId": "p-FullAWSAccess"}),
    ("ListPoliciesForTarget", {"TargetId": ROOT, "Filter": SCP}),
    ("ListAWSServiceAccessForOrganization", {}),
    ("ListDelegatedAdministrators", {}),
    ("ListTagsForResource", {"ResourceId": ROOT}),
]
WRITES: list[tuple[str, dict[str, Any]]] = [
    ("EnableAWSServiceAccess", {"ServicePrincipal": "config.amazonaws.com"}),
    ("DisableAWSServiceAccess", {"ServicePrincipal": "cloudtrail.amazonaws.com"}),
    ("RegisterDelegatedAdministrator", {"AccountId": MEMBER, "ServicePrincipal": "cloudtrail.amazonaws.com"}),
    ("DeregisterDelegatedAdministrator", {"AccountId": MEMBER, "ServicePrincipal": "cloudtrail.amazonaws.com"}),
    ("CreatePolicy", {"Name": "n", "Description": "d", "Type": SCP, "Content": json.dumps(DENY_STOP)}),
    ("UpdatePolicy", {"PolicyId": "p-FullAWSAccess", "Name": "x"}),
    ("DeletePolicy", {"PolicyId": "p-FullAWSAccess"}),
    ("AttachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": ROOT}),
    ("DetachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": ROOT}),
    ("TagResource", {"ResourceId": ROOT, "Tags": [{"Key": "a", "Value": "b"}]}),
    ("UntagResource", {"ResourceId": ROOT, "TagKeys": ["a"]}),
]


def member_view(**changes: Any) -> FakeBackend:
    """The organization seen from MEMBER (the world's own account, not the management account)."""
    data = organization(ManagementAccount=ACCOUNT, **changes)
    return world(Account=MEMBER, Organization=data, Keys=[], Trails=[], Buckets=[]).backend()


@pytest.mark.parametrize(("operation", "params"), READS + WRITES)
def test_a_member_account_is_denied(operation: str, params: dict[str, Any]) -> None:
    caught = fails(member_view(), operation, params)
    assert (caught.code, caught.message) == (
        "AccessDeniedException",
        "You don't have permissions to access this resource.",
    )


@pytest.mark.parametrize(("operation", "params"), READS)
def test_a_delegated_administrator_may_read(operation: str, params: dict[str, Any]) -> None:
    delegates = [{"AccountId": MEMBER, "ServicePrincipal": "cloudtrail.amazonaws.com"}]
    call(member_view(DelegatedAdministrators=delegates), operation, params)


@pytest.mark.parametrize(("operation", "params"), WRITES)
def test_a_delegated_administrator_may_not_write(operation: str, params: dict[str, Any]) -> None:
    delegates = [{"AccountId": MEMBER, "ServicePrincipal": "cloudtrail.amazonaws.com"}]
    assert fails(member_view(DelegatedAdministrators=delegates), operation, params).code == "AccessDeniedException"


def test_any_member_may_describe_its_organization() -> None:
    described = call(member_view(), "DescribeOrganization")["Organization"]
    assert (described["Id"], described["MasterAccountId"]) == (ORG, ACCOUNT)


@pytest.mark.parametrize(("operation", "params"), [("DescribeOrganization", {}), *READS, *WRITES])
def test_without_an_organization_nothing_is_in_use(operation: str, params: dict[str, Any]) -> None:
    caught = fails(world(Organization=None).backend(), operation, params)
    assert (caught.code, caught.message) == (
        "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.",
    )


# -- service control policies ------------------------------------------------------------------------------------------


def test_full_aws_access_is_attached_everywhere() -> None:
    subject = org_world().backend()
    described = call(subject, "DescribePolicy", {"PolicyId": "p-FullAWSAccess"})["Policy"]
    assert described["PolicySummary"] == {
        "Id": "p-FullAWSAccess",
        "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        "Name": "FullAWSAccess",
        "Description": "Allows access to every operation",
        "Type": SCP,
        "AwsManaged": True,
    }
    assert json.loads(described["Content"])["Statement"] == [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    targets = call(subject, "ListTargetsForPolicy", {"PolicyId": "p-FullAWSAccess"})["Targets"]
    assert {target["TargetId"] for target in targets} == {ROOT, WORKLOADS, PROD, SANDBOX, ACCOUNT, MEMBER, OTHER}
    assert {target["Type"] for target in targets} == {"ROOT", "ORGANIZATIONAL_UNIT", "ACCOUNT"}
    on_workloads = call(subject, "ListPoliciesForTarget", {"TargetId": WORKLOADS, "Filter": SCP})["Policies"]
    assert [policy["Name"] for policy in on_workloads] == ["FullAWSAccess", "CloudTrailProtection"]
    assert call(subject, "ListPoliciesForTarget", {"TargetId": WORKLOADS, "Filter": "TAG_POLICY"})["Policies"] == []


def test_policy_lifecycle() -> None:
    subject = org_world().backend()
    created = call(
        subject,
        "CreatePolicy",
        {
            "Name": "NoLeave",
            "Description": "stay",
            "Type": SCP,
            "Content": json.dumps(DENY_STOP),
            "Tags": [{"Key": "t", "Value": "1"}],
        },
    )["Policy"]
    summary = created["PolicySummary"]
    assert summary["Arn"] == f"arn:aws:organizations::{ACCOUNT}:policy/{ORG}/service_control_policy/{summary['Id']}"
    assert (summary["Name"], summary["Description"], summary["AwsManaged"]) == ("NoLeave", "stay", False)
    policy_id = summary["Id"]
    call(subject, "AttachPolicy", {"PolicyId": policy_id, "TargetId": MEMBER})
    targets = call(subject, "ListTargetsForPolicy", {"PolicyId": policy_id})["Targets"]
    assert targets == [
        {
            "TargetId": MEMBER,
            "Arn": f"arn:aws:organizations::{ACCOUNT}:account/{ORG}/{MEMBER}",
            "Name": f"account-{MEMBER}",
            "Type": "ACCOUNT",
        }
    ]
    assert fails(subject, "DeletePolicy", {"PolicyId": policy_id}).code == "PolicyInUseException"
    updated = call(subject, "UpdatePolicy", {"PolicyId": policy_id, "Name": "StayPut", "Description": "still"})[
        "Policy"
    ]
    assert (updated["PolicySummary"]["Id"], updated["PolicySummary"]["Name"]) == (policy_id, "StayPut")
    assert call(subject, "ListTagsForResource", {"ResourceId": policy_id})["Tags"] == [{"Key": "t", "Value": "1"}]
    call(subject, "DetachPolicy", {"PolicyId": policy_id, "TargetId": MEMBER})
    call(subject, "DeletePolicy", {"PolicyId": policy_id})
    assert fails(subject, "DescribePolicy", {"PolicyId": policy_id}).code == "PolicyNotFoundException"


def test_full_aws_access_can_move_but_not_change() -> None:
    subject = org_world().backend()
    call(subject, "DetachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": WORKLOADS})
    on_workloads = call(subject, "ListPoliciesForTarget", {"TargetId": WORKLOADS, "Filter": SCP})["Policies"]
    assert [policy["Name"] for policy in on_workloads] == ["CloudTrailProtection"]
    data = subject.world.to_dict()["Organization"]
    assert data["Policies"][0]["Name"] == "FullAWSAccess" and WORKLOADS not in data["Policies"][0]["Targets"]
    assert World.from_dict(subject.world.to_dict()) == subject.world
    call(subject, "AttachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": WORKLOADS})
    for operation, params in [
        ("UpdatePolicy", {"PolicyId": "p-FullAWSAccess", "Description": "x"}),
        ("DeletePolicy", {"PolicyId": "p-FullAWSAccess"}),
        ("TagResource", {"ResourceId": "p-FullAWSAccess", "Tags": [{"Key": "a", "Value": "b"}]}),
    ]:
        assert fails(subject, operation, params).code == "InvalidInputException"


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        ("CreatePolicy", {"Name": "CloudTrailProtection"}, "DuplicatePolicyException"),
        ("CreatePolicy", {"Name": "FullAWSAccess"}, "DuplicatePolicyException"),
        ("CreatePolicy", {"Content": "{not json"}, "MalformedPolicyDocumentException"),
        ("CreatePolicy", {"Content": '{"Version": "2012-10-17"}'}, "MalformedPolicyDocumentException"),
        ("CreatePolicy", {"Content": json.dumps({**DENY_STOP, "Pad": "x" * 5200})}, "ConstraintViolationException"),
        ("CreatePolicy", {"Type": "NOT_A_TYPE"}, "InvalidInputException"),
        ("AttachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": ROOT}, "DuplicatePolicyAttachmentException"),
        ("AttachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": "ou-ab12-99999999"}, "TargetNotFoundException"),
        ("AttachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": "Workloads"}, "InvalidInputException"),
        ("AttachPolicy", {"PolicyId": "p-99999999", "TargetId": ROOT}, "PolicyNotFoundException"),
        ("DetachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": ROOT}, "ConstraintViolationException"),
        ("UpdatePolicy", {"PolicyId": "p-99999999", "Name": "x"}, "PolicyNotFoundException"),
    ],
)
def test_policy_refusals(operation: str, params: dict[str, Any], code: str) -> None:
    base = (
        {"Name": "New", "Description": "", "Type": SCP, "Content": json.dumps(DENY_STOP)}
        if operation == "CreatePolicy"
        else {}
    )
    assert fails(org_world().backend(), operation, {**base, **params}).code == code


def test_detaching_a_policy_that_is_not_attached() -> None:
    subject = org_world().backend()
    caught = fails(subject, "DetachPolicy", {"PolicyId": protection_id(subject), "TargetId": SANDBOX})
    assert caught.code == "PolicyNotAttachedException"


def test_at_most_five_scps_per_target() -> None:
    subject = org_world().backend()
    for n in range(4):
        created = call(
            subject, "CreatePolicy", {"Name": f"p{n}", "Description": "", "Type": SCP, "Content": json.dumps(DENY_STOP)}
        )
        call(subject, "AttachPolicy", {"PolicyId": created["Policy"]["PolicySummary"]["Id"], "TargetId": SANDBOX})
    extra = call(
        subject, "CreatePolicy", {"Name": "p5", "Description": "", "Type": SCP, "Content": json.dumps(DENY_STOP)}
    )
    caught = fails(subject, "AttachPolicy", {"PolicyId": extra["Policy"]["PolicySummary"]["Id"], "TargetId": SANDBOX})
    assert caught.code == "ConstraintViolationException"


def test_scps_need_all_features() -> None:
    subject = world(Organization={**default_data()["Organization"], "FeatureSet": "CONSOLIDATED_BILLING"}).backend()
    params = {"Name": "n", "Description": "", "Type": SCP, "Content": json.dumps(DENY_STOP)}
    assert fails(subject, "CreatePolicy", params).code == "PolicyTypeNotAvailableForOrganizationException"
    assert call(subject, "ListRoots")["Roots"][0]["PolicyTypes"] == []
    with pytest.raises(NotModeled):
        call(org_world().backend(), "CreatePolicy", {**params, "Type": "TAG_POLICY"})


# -- trusted access and delegated administrators ---------------------------------------------------------------------


def test_trusted_access_and_delegated_administrators() -> None:
    subject = org_world().backend()
    call(subject, "EnableAWSServiceAccess", {"ServicePrincipal": "config.amazonaws.com"})
    call(subject, "EnableAWSServiceAccess", {"ServicePrincipal": "config.amazonaws.com"})  # idempotent
    enabled = call(subject, "ListAWSServiceAccessForOrganization")["EnabledServicePrincipals"]
    assert [entry["ServicePrincipal"] for entry in enabled] == ["cloudtrail.amazonaws.com", "config.amazonaws.com"]
    call(subject, "RegisterDelegatedAdministrator", {"AccountId": MEMBER, "ServicePrincipal": "config.amazonaws.com"})
    call(
        subject, "RegisterDelegatedAdministrator", {"AccountId": MEMBER, "ServicePrincipal": "cloudtrail.amazonaws.com"}
    )
    admins = call(subject, "ListDelegatedAdministrators")["DelegatedAdministrators"]
    assert [(admin["Id"], admin["DelegationEnabledDate"]) for admin in admins] == [(MEMBER, subject.now())]
    filtered = call(subject, "ListDelegatedAdministrators", {"ServicePrincipal": "guardduty.amazonaws.com"})
    assert filtered == {"DelegatedAdministrators": []}
    services = call(subject, "ListDelegatedServicesForAccount", {"AccountId": MEMBER})["DelegatedServices"]
    assert [service["ServicePrincipal"] for service in services] == ["config.amazonaws.com", "cloudtrail.amazonaws.com"]
    call(subject, "DeregisterDelegatedAdministrator", {"AccountId": MEMBER, "ServicePrincipal": "config.amazonaws.com"})
    call(subject, "DisableAWSServiceAccess", {"ServicePrincipal": "config.amazonaws.com"})
    call(subject, "DisableAWSServiceAccess", {"ServicePrincipal": "config.amazonaws.com"})  # idempotent
    assert World.from_dict(subject.world.to_dict()) == subject.world


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        (
            "RegisterDelegatedAdministrator",
            {"AccountId": ACCOUNT, "ServicePrincipal": "cloudtrail.amazonaws.com"},
            "ConstraintViolationException",
        ),
        (
            "RegisterDelegatedAdministrator",
            {"AccountId": "000000000000", "ServicePrincipal": "cloudtrail.amazonaws.com"},
            "AccountNotFoundException",
        ),
        (
            "RegisterDelegatedAdministrator",
            {"AccountId": MEMBER, "ServicePrincipal": "guardduty.amazonaws.com"},
            "ConstraintViolationException",
        ),
        (
            "RegisterDelegatedAdministrator",
            {"AccountId": OTHER, "ServicePrincipal": "cloudtrail.amazonaws.com"},
            "AccountAlreadyRegisteredException",
        ),
        (
            "RegisterDelegatedAdministrator",
            {"AccountId": MEMBER, "ServicePrincipal": "not a principal"},
            "InvalidInputException",
        ),
        (
            "DeregisterDelegatedAdministrator",
            {"AccountId": MEMBER, "ServicePrincipal": "cloudtrail.amazonaws.com"},
            "AccountNotRegisteredException",
        ),
        (
            "DeregisterDelegatedAdministrator",
            {"AccountId": "000000000000", "ServicePrincipal": "cloudtrail.amazonaws.com"},
            "AccountNotFoundException",
        ),
        ("EnableAWSServiceAccess", {}, "ValidationException"),
    ],
)
def test_delegation_refusals(operation: str, params: dict[str, Any], code: str) -> None:
    delegates = [{"AccountId": OTHER, "ServicePrincipal": "cloudtrail.amazonaws.com"}]
    assert fails(org_world(DelegatedAdministrators=delegates).backend(), operation, params).code == code


# -- tags ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", [ROOT, WORKLOADS, MEMBER, ACCOUNT])
def test_tags_round_trip(resource: str) -> None:
    subject = org_world().backend()
    call(
        subject,
        "TagResource",
        {"ResourceId": resource, "Tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]},
    )
    call(subject, "UntagResource", {"ResourceId": resource, "TagKeys": ["b"]})
    assert call(subject, "ListTagsForResource", {"ResourceId": resource}) == {"Tags": [{"Key": "a", "Value": "1"}]}
    assert World.from_dict(subject.world.to_dict()) == subject.world


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        ([{"Key": "aws:x", "Value": "1"}], "InvalidInputException"),
        ([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}], "InvalidInputException"),
        ([{"Key": f"k{n}", "Value": "v"} for n in range(51)], "ConstraintViolationException"),
    ],
)
def test_tag_refusals(tags: list[dict[str, str]], code: str) -> None:
    assert fails(org_world().backend(), "TagResource", {"ResourceId": ROOT, "Tags": tags}).code == code


def test_tagging_an_unknown_resource() -> None:
    params = {"ResourceId": "ou-ab12-99999999", "Tags": [{"Key": "a", "Value": "b"}]}
    assert fails(org_world().backend(), "TagResource", params).code == "TargetNotFoundException"


@pytest.mark.parametrize(
    "operation", ["CreateOrganizationalUnit", "MoveAccount", "CreateAccount", "EnablePolicyType", "LeaveOrganization"]
)
def test_other_operations_are_not_modelled(operation: str) -> None:
    with pytest.raises(NotModeled):
        call(org_world().backend(), operation)


def test_a_change_from_the_management_account_is_the_whole_worlds() -> None:
    """The organization is one for every account of the world: an SCP created and attached from the management
    account (here an account of ``Accounts``) is what the world's own account and the world file see at once."""
    management = default_data()["Account"]
    subject = World.from_dict(
        {"Account": MEMBER, "Organization": organization(ManagementAccount=management), "Accounts": {management: {}}}
    )
    manager = subject.backend().elsewhere(management, "us-east-1")
    assert manager is not None
    created = call(
        manager, "CreatePolicy", {"Name": "More", "Description": "", "Type": SCP, "Content": json.dumps(DENY_STOP)}
    )
    policy_id = created["Policy"]["PolicySummary"]["Id"]
    call(manager, "AttachPolicy", {"PolicyId": policy_id, "TargetId": PROD})
    for state in (subject, subject.accounts[management]):
        assert state.organization is not None
        assert [policy.targets for policy in state.organization.policies if policy.id == policy_id] == [(PROD,)]
    written = subject.to_dict()["Organization"]["Policies"]
    assert [policy["Targets"] for policy in written if policy["Name"] == "More"] == [[PROD]]


def test_the_default_worlds_root_written_out_is_the_one_derived() -> None:
    """``DEFAULT_WORLD_ROOT`` spares the default world hashlib (issue 19): it must be what the derivation gives."""
    import hashlib

    from toolkit.fakes.organizations import DEFAULT_WORLD_ROOT, default_root

    organization, root = DEFAULT_WORLD_ROOT
    assert root == "r-" + hashlib.sha256(organization.encode()).hexdigest()[:4]
    assert default_root(organization) == root
    assert World.default().to_dict()["Organization"].get("Root") is None
    assert default_root("o-zzzzzzzzzz") == "r-" + hashlib.sha256(b"o-zzzzzzzzzz").hexdigest()[:4]
