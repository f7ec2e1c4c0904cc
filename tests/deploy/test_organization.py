"""The organization variant: cfn-lint clean, a service-managed auto-deploying StackSet embedding the member
template, and a service control policy evaluated by toolkit.iam.policy: it denies weakening CloudTrail to
ordinary roles and not to the remediation role nor the administrator role."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint

from tests.deploy.cfn import ALL_REGIONS, findings_where_offered
from toolkit.cli import main
from toolkit.deploy.checks import check_all
from toolkit.deploy.organization import (
    PROTECTED_ROLE_ACTIONS,
    PROTECTED_TRAIL_ACTIONS,
    REMEDIATION_ROLE_NAME,
    SCP,
    STACK_SET,
    member_template,
    organization_template,
    organization_template_yaml,
    scp_document,
)
from toolkit.deploy.template import ROLE
from toolkit.iam.policy import Policy, request_context

from .test_template import REGIONS, actions, policy_statements, runbook_data

ADMIN = "arn:aws:iam::*:role/OrganizationAdmin"
REMEDIATION = f"arn:aws:iam::210987654321:role/{REMEDIATION_ROLE_NAME}"
ORDINARY = "arn:aws:iam::210987654321:role/Developer"
STACKSETS_EXEC = "arn:aws:iam::210987654321:role/stacksets-exec-0123456789abcdef"
TRAIL = "arn:aws:cloudtrail:us-east-1:210987654321:trail/management-events"


@cache
def text() -> str:
    return organization_template_yaml()


def properties(name: str) -> dict[str, Any]:
    found: dict[str, Any] = organization_template()["Resources"][name]["Properties"]
    return found


def resolve(value: Any, names: dict[str, str]) -> Any:
    """Fn::Sub and Ref substituted, as CloudFormation would for one stack."""
    if isinstance(value, dict):
        if set(value) == {"Fn::Sub"}:
            return re.sub(r"\$\{([^}]+)\}", lambda match: names[match.group(1)], value["Fn::Sub"])
        if set(value) == {"Ref"}:
            return names[value["Ref"]]
        return {key: resolve(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, names) for item in value]
    return value


def scp(document: dict[str, Any] | None = None) -> Policy:
    names = {"AWS::Partition": "aws", "AdministratorRoleArn": ADMIN}
    return Policy(resolve(scp_document() if document is None else document, names))


def decision(policy: Policy, principal: str, action: str, resource: str = TRAIL) -> str | None:
    return policy.decide(("AWS", principal), action, resource, request_context({"aws:PrincipalArn": principal}))


# -- cfn-lint and shape --------------------------------------------------------------------------------------------


def test_cfn_lint_reports_nothing_in_every_region() -> None:
    assert [str(match) for match in lint(text(), regions=REGIONS)] == []


def test_cfn_lint_reports_nothing_in_any_region_that_offers_the_resource_types() -> None:
    findings, lacking = findings_where_offered(text())
    assert findings == []
    assert len(lacking) < len(ALL_REGIONS) // 4


def test_the_member_template_is_clean_and_passes_the_cross_checks() -> None:
    from toolkit.render import to_yaml_text

    assert [str(match) for match in lint(to_yaml_text(member_template()), regions=["us-east-1"])] == []
    assert check_all(member_template(), runbook_data()) == []


def test_the_organization_template_is_deterministic_and_small_enough() -> None:
    assert organization_template_yaml() == text()
    assert len(text().encode()) <= 51200  # deployable with --template-body, no S3 bucket needed
    assert len(properties(STACK_SET)["TemplateBody"].encode()) <= 51200


def test_the_template_command_writes_the_organization_variant(tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    assert main(["template", "--organization", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text()


# -- the StackSet ---------------------------------------------------------------------------------------------------


def test_the_stack_set_is_service_managed_and_auto_deploys_to_the_given_units() -> None:
    stack_set = properties(STACK_SET)
    assert stack_set["PermissionModel"] == "SERVICE_MANAGED"
    assert stack_set["AutoDeployment"]["Enabled"] is True
    [group] = stack_set["StackInstancesGroup"]
    assert group["DeploymentTargets"] == {"OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}}
    assert organization_template()["Parameters"]["OrganizationalUnitIds"]["Type"] == "CommaDelimitedList"
    assert stack_set["Capabilities"] == ["CAPABILITY_NAMED_IAM"]


def test_the_members_get_the_single_account_template_with_a_fixed_role_name() -> None:
    stack_set = properties(STACK_SET)
    member = json.loads(stack_set["TemplateBody"])
    assert member == member_template()
    assert member["Resources"][ROLE]["Properties"]["RoleName"] == REMEDIATION_ROLE_NAME
    given = {item["ParameterKey"]: item["ParameterValue"] for item in stack_set["Parameters"]}
    assert set(given) <= set(member["Parameters"])
    assert given["IsOrganizationTrail"] == "false"
    for name, value in given.items():
        if name != "IsOrganizationTrail":
            assert value == {"Ref": name} and name in organization_template()["Parameters"]


# -- the service control policy ---------------------------------------------------------------------------------------


def test_the_scp_is_a_service_control_policy_attached_to_the_units() -> None:
    policy = properties(SCP)
    assert policy["Type"] == "SERVICE_CONTROL_POLICY"
    assert policy["TargetIds"] == {"Ref": "OrganizationalUnitIds"}
    assert policy["Content"] == scp_document()


@pytest.mark.parametrize("action", PROTECTED_TRAIL_ACTIONS)
def test_weakening_cloudtrail_is_denied_to_an_ordinary_role_only(action: str) -> None:
    assert decision(scp(), ORDINARY, action) == "Deny"
    assert decision(scp(), REMEDIATION, action) is None
    assert decision(scp(), "arn:aws:iam::123456789012:role/OrganizationAdmin", action) is None


def test_the_remediation_roles_arn_in_members_is_the_one_exempted() -> None:
    name = member_template()["Resources"][ROLE]["Properties"]["RoleName"]
    arn = f"arn:aws:iam::111122223333:role/{name}"
    assert all(decision(scp(), arn, action) is None for action in PROTECTED_TRAIL_ACTIONS)


def test_reading_and_starting_trails_is_left_alone() -> None:
    for action in ("cloudtrail:StartLogging", "cloudtrail:GetTrail", "cloudtrail:CreateTrail", "cloudtrail:AddTags"):
        assert decision(scp(), ORDINARY, action) is None


@pytest.mark.parametrize("action", PROTECTED_ROLE_ACTIONS)
def test_the_remediation_role_cannot_be_used_or_reshaped_by_others(action: str) -> None:
    role = f"arn:aws:iam::210987654321:role/{REMEDIATION_ROLE_NAME}"
    assert decision(scp(), ORDINARY, action, role) == "Deny"
    assert decision(scp(), REMEDIATION, action, role) == "Deny"
    assert decision(scp(), STACKSETS_EXEC, action, role) is None
    assert decision(scp(), "arn:aws:iam::123456789012:role/OrganizationAdmin", action, role) is None
    assert decision(scp(), ORDINARY, action, "arn:aws:iam::210987654321:role/Other") is None


def test_an_scp_without_the_exemption_would_deny_the_remediation_role() -> None:
    broken = copy.deepcopy(scp_document())
    broken["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"] = [{"Ref": "AdministratorRoleArn"}]
    assert decision(scp(broken), REMEDIATION, "cloudtrail:StopLogging") == "Deny"


# -- wildcards ---------------------------------------------------------------------------------------------------------


def test_no_wildcard_action_in_either_template() -> None:
    org = organization_template()
    member = json.loads(properties(STACK_SET)["TemplateBody"])
    statements = [*policy_statements(org["Resources"]), *policy_statements(member["Resources"])]
    allows = [statement for statement in statements if statement["Effect"] == "Allow"]
    assert len(allows) > 10
    for statement in allows:
        assert "NotAction" not in statement
        assert all("*" not in action and "?" not in action for action in actions(statement)), statement
    for statement in policy_statements(org["Resources"]):
        assert all("*" not in action for action in actions(statement))
