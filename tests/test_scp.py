"""Service control policies as AWS applies them (shared/spec/iam.md §7, §5.2; issue 15): the project's SCP
(``toolkit.deploy.organization.scp_document``) attached to an OU denies a member account's administrator
cloudtrail:StopLogging, while the management account, the roles the SCP exempts and service-linked roles are not
restricted; and an allow-list (FullAWSAccess detached from an OU) denies what it does not list, implicitly.

Decision where AWS is silent: an SCP denial for want of an Allow (allow-list) is reported here as AWS's implicit form,
``because no service control policy allows ...``; iam.md §5.2 notes that AWS sometimes words it "with an explicit
deny" anyway; the simulator keeps the two apart so that tests can tell them.
"""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.deploy.intrinsics import Stack
from toolkit.deploy.organization import REMEDIATION_ROLE_NAME, organization_template, scp_document
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.simulate import simulate
from toolkit.simulate.run import EXECUTION_ID

MANAGEMENT = "111122223333"
MEMBER = "444455556666"
ORG = "o-a1b2c3d4e5"
ROOT = "r-ab12"
WORKLOADS = "ou-ab12-11111111"
ADMINISTRATOR = "OrgAdmin"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
TRUST_SSM = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TRAIL = {"Name": "main", "S3BucketName": "logs", "IsLogging": True}


def project_scp() -> dict[str, Any]:
    """The project's SCP as CloudFormation creates it (intrinsics resolved): the administrators' role is OrgAdmin."""
    stack = Stack(
        organization_template(),
        {"OrganizationalUnitIds": [WORKLOADS], "AdministratorRoleArn": f"arn:aws:iam::*:role/{ADMINISTRATOR}"},
        account=MANAGEMENT,
        region="us-east-1",
    )
    resolved: dict[str, Any] = stack.resolve(scp_document())
    return resolved


def admin_role(name: str, path: str = "/") -> dict[str, Any]:
    return {"Name": name, "Path": path, "AssumeRolePolicyDocument": TRUST_SSM, "AttachedPolicies": [ADMIN_ACCESS]}


def org_world(policies: list[dict[str, Any]] | None = None) -> World:
    """The member account (the world's own) in OU Workloads, the management account among ``Accounts``; both hold
    an Admin role with AdministratorAccess, the SCP's exempt roles, a service-linked role and a logging trail."""
    roles = [
        admin_role("Admin"),
        admin_role(REMEDIATION_ROLE_NAME),
        admin_role(ADMINISTRATOR),
        admin_role("AWSServiceRoleForCloudTrail", "/aws-service-role/cloudtrail.amazonaws.com/"),
    ]
    scp = {"Name": "CloudTrailProtection", "Content": project_scp(), "Targets": [WORKLOADS]}
    return World.from_dict(
        {
            "Account": MEMBER,
            "Organization": {
                "Id": ORG,
                "ManagementAccount": MANAGEMENT,
                "FeatureSet": "ALL",
                "Root": ROOT,
                "OrganizationalUnits": [{"Id": WORKLOADS, "Name": "Workloads", "Parent": ROOT}],
                "Accounts": [{"Id": MEMBER, "Parent": WORKLOADS}],
                "Policies": [scp] if policies is None else policies,
            },
            "Roles": roles,
            "Trails": [TRAIL],
            "Accounts": {MANAGEMENT: {"Roles": roles, "Trails": [TRAIL]}},
        }
    )


def stop_logging(world: World, account: str, role: str, path: str = "/") -> dict[str, Any]:
    """cloudtrail StopLogging of trail main in ``account``, as a session of ``role`` of that account."""
    caller = parse_caller(f"arn:aws:iam::{account}:role{path}{role}")
    backend = world.backend().elsewhere(account, "us-east-1")
    assert backend is not None and caller is not None
    return backend.acting_as(caller).call("cloudtrail", "StopLogging", {"Name": "main"})


def test_the_project_scp_denies_a_member_administrator_stop_logging_explicitly() -> None:
    world = org_world()
    with pytest.raises(AwsError) as denied:
        stop_logging(world, MEMBER, "Admin")
    assert denied.value.code == "AccessDeniedException"
    assert denied.value.message == (
        f"User: arn:aws:sts::{MEMBER}:assumed-role/Admin/runbook-simulate is not authorized to perform: "
        f"cloudtrail:StopLogging on resource: arn:aws:cloudtrail:us-east-1:{MEMBER}:trail/main "
        "with an explicit deny in a service control policy"
    )
    # what the SCP does not protect stays allowed (AdministratorAccess)
    world.backend().acting_as(parse_caller(f"arn:aws:iam::{MEMBER}:role/Admin")).call(
        "cloudtrail", "GetTrailStatus", {"Name": "main"}
    )


def test_the_project_scp_denies_through_a_simulated_execution() -> None:
    """The same denial as a step of an execution sees it: the call is recorded with the error code."""
    document = {
        "schemaVersion": "0.3",
        "assumeRole": f"arn:aws:iam::{MEMBER}:role/Admin",
        "mainSteps": [
            {
                "name": "Stop",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "cloudtrail", "Api": "StopLogging", "Name": "main"},
            }
        ],
    }
    result = simulate(document, {}, org_world())
    assert result.status == "Failed"
    assert [(call.operation, call.error) for call in result.calls] == [("StopLogging", "AccessDeniedException")]
    message = result.steps[0].failure_message or ""
    assert "with an explicit deny in a service control policy" in message
    assert f"User: arn:aws:sts::{MEMBER}:assumed-role/Admin/{EXECUTION_ID} " in message


def test_the_management_account_is_not_restricted_by_scps() -> None:
    """SCPs do not restrict any principal of the management account (iam.md §7), even with the SCP attached to the
    root as well."""
    scp = {"Name": "CloudTrailProtection", "Content": project_scp(), "Targets": [ROOT, WORKLOADS]}
    world = org_world([scp])
    stop_logging(world, MANAGEMENT, "Admin")
    assert world.accounts[MANAGEMENT].trails["us-east-1", "main"].is_logging is False
    with pytest.raises(AwsError, match="explicit deny in a service control policy"):
        stop_logging(world, MEMBER, "Admin")


@pytest.mark.parametrize("role", [REMEDIATION_ROLE_NAME, ADMINISTRATOR])
def test_the_roles_the_scp_exempts_may_stop_logging(role: str) -> None:
    """The SCP's ArnNotLike on aws:PrincipalArn exempts the remediation role (any account) and the administrators'
    role given as AdministratorRoleArn."""
    stop_logging(org_world(), MEMBER, role)


def test_a_service_linked_role_is_not_restricted_by_scps() -> None:
    """Actions made with a service-linked role's permissions are not restricted by SCPs (iam.md §7)."""
    stop_logging(org_world(), MEMBER, "AWSServiceRoleForCloudTrail", "/aws-service-role/cloudtrail.amazonaws.com/")


def test_an_allow_list_scp_denies_implicitly_what_it_does_not_list() -> None:
    """FullAWSAccess detached from the OU (kept on the root and the accounts), replaced there by an allow-list of
    CloudTrail reads: StopLogging has no Allow at the OU's level, an implicit SCP denial; GetTrailStatus is allowed;
    the management account is unaffected.

    Decision: AWS refuses to detach an entity's last SCP, so a world must keep one attached at every level; the
    simulator does not enforce that, and a level with no SCP at all allows nothing (as an empty allow-list)."""
    allow_list = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["cloudtrail:Get*", "cloudtrail:Describe*"], "Resource": "*"}],
    }
    world = org_world(
        [
            {"Name": "FullAWSAccess", "Targets": [ROOT, MEMBER, MANAGEMENT]},
            {"Name": "CloudTrailReadOnly", "Content": allow_list, "Targets": [WORKLOADS]},
        ]
    )
    admin = parse_caller(f"arn:aws:iam::{MEMBER}:role/Admin")
    world.backend().acting_as(admin).call("cloudtrail", "GetTrailStatus", {"Name": "main"})
    with pytest.raises(AwsError) as denied:
        stop_logging(world, MEMBER, "Admin")
    assert denied.value.code == "AccessDeniedException"
    assert denied.value.message.endswith("because no service control policy allows the cloudtrail:StopLogging action")
    stop_logging(world, MANAGEMENT, "Admin")
