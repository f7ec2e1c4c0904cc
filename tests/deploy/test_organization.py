"""The organization variant: cfn-lint clean, service-managed StackSets embedding the log-archive template (to the
log-archive account alone) and the member templates (auto-deploying), the log archive accepting every member's
trail, and service control policies under AWS's size limit, evaluated by toolkit.iam.policy: they deny weakening
CloudTrail to ordinary roles and not to the remediation role nor the administrators' role (tests/test_scp.py plays
every protected action through the simulator)."""

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
from toolkit.aws.authorization import default_reference
from toolkit.cli import main
from toolkit.deploy.checks import check_all
from toolkit.deploy.intrinsics import Stack
from toolkit.deploy.names import PATTERN_ROLE_NAMES
from toolkit.deploy.organization import (
    ALARM_STACK_SET,
    LOG_ARCHIVE_STACK_SET,
    REMEDIATION_ROLE_NAME,
    SCPS,
    STACK_SET,
    log_archive_template,
    member_template,
    member_templates,
    organization_template,
    organization_template_yaml,
)
from toolkit.deploy.scp import (
    PROTECTED_ROLE_ACTIONS,
    PROTECTED_TRAIL_ACTIONS,
    check_sizes,
    scp_document,
    scp_documents,
)
from toolkit.deploy.template import ADMINISTRATOR_MAX_LENGTH, ROLE
from toolkit.iam.policy import Policy, request_context

from .test_template import DOCUMENTED_WILDCARDS, REGIONS, actions, policy_statements, runbook_data

ADMIN = "arn:aws:iam::*:role/OrganizationAdmin"
REMEDIATION = f"arn:aws:iam::210987654321:role/{REMEDIATION_ROLE_NAME}"
ORDINARY = "arn:aws:iam::210987654321:role/Developer"
STACKSETS_EXEC = "arn:aws:iam::210987654321:role/stacksets-exec-0123456789abcdef"
TRAIL = "arn:aws:cloudtrail:us-east-1:210987654321:trail/management-events"
ARCHIVE = "777788889999"
ORG = "o-a1b2c3d4e5"


@cache
def text() -> str:
    return organization_template_yaml()


@cache
def org() -> dict[str, Any]:
    return organization_template()


def properties(name: str) -> dict[str, Any]:
    found: dict[str, Any] = org()["Resources"][name]["Properties"]
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


@cache
def linted() -> tuple[list[str], set[str]]:
    """cfn-lint's findings in every region, once (linting is the slowest part of these tests)."""
    return findings_where_offered(text())


def test_cfn_lint_reports_nothing_in_every_region() -> None:
    findings, lacking = linted()
    assert findings == []
    assert lacking.isdisjoint(REGIONS)


def test_cfn_lint_reports_nothing_in_any_region_that_offers_the_resource_types() -> None:
    findings, lacking = linted()
    assert findings == []
    assert len(lacking) < len(ALL_REGIONS) // 4


def test_the_stack_sets_templates_are_clean_and_pass_the_cross_checks() -> None:
    from toolkit.render import to_yaml_text

    for body in (*member_templates(), log_archive_template()):
        assert [str(match) for match in lint(to_yaml_text(body), regions=REGIONS)] == []
    assert check_all(member_template(), runbook_data()) == []


def test_the_organization_template_is_deterministic_and_each_stack_set_template_small_enough() -> None:
    """A StackSet's TemplateBody holds at most 51,200 bytes (CreateStackSet); the management template itself is
    deployed from S3 (``aws cloudformation deploy --s3-bucket``: at most 1 MB)."""
    assert organization_template_yaml() == text()
    assert len(text().encode()) <= 1_000_000
    for name in (STACK_SET, ALARM_STACK_SET, LOG_ARCHIVE_STACK_SET):
        assert len(properties(name)["TemplateBody"].encode()) <= 51200, name


def test_the_template_command_writes_the_organization_variant(tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    assert main(["template", "--organization", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text()


# -- the StackSets ----------------------------------------------------------------------------------------------------


def test_the_member_stack_sets_are_service_managed_and_auto_deploy_to_the_given_units() -> None:
    for name in (STACK_SET, ALARM_STACK_SET):
        stack_set = properties(name)
        assert stack_set["PermissionModel"] == "SERVICE_MANAGED"
        assert stack_set["AutoDeployment"]["Enabled"] is True
        [group] = stack_set["StackInstancesGroup"]
        assert group["DeploymentTargets"] == {"OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}}
        assert stack_set["Capabilities"] == ["CAPABILITY_NAMED_IAM"]
        assert org()["Resources"][name]["DependsOn"] == [LOG_ARCHIVE_STACK_SET]
    assert org()["Parameters"]["OrganizationalUnitIds"]["Type"] == "CommaDelimitedList"


def test_the_log_archive_stack_set_targets_only_the_log_archive_account() -> None:
    stack_set = properties(LOG_ARCHIVE_STACK_SET)
    assert stack_set["PermissionModel"] == "SERVICE_MANAGED"
    [group] = stack_set["StackInstancesGroup"]
    assert group["DeploymentTargets"] == {
        "OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"},
        "Accounts": [{"Ref": "LogArchiveAccountId"}],
        "AccountFilterType": "INTERSECTION",
    }
    assert json.loads(stack_set["TemplateBody"]) == log_archive_template()
    given = {item["ParameterKey"]: item["ParameterValue"] for item in stack_set["Parameters"]}
    assert given == {name: {"Ref": name} for name in log_archive_template()["Parameters"]}


def test_the_members_get_the_templates_with_fixed_role_names_and_central_logging() -> None:
    member = json.loads(properties(STACK_SET)["TemplateBody"])
    alarm = json.loads(properties(ALARM_STACK_SET)["TemplateBody"])
    assert (member, alarm) == member_templates()
    assert member["Resources"][ROLE]["Properties"]["RoleName"] == REMEDIATION_ROLE_NAME
    assert {alarm["Resources"][name]["Properties"]["RoleName"] for name in ("DeliveryCheckRole",
            "DeliveryCheckSchedulerRole")} == set(PATTERN_ROLE_NAMES[1:])  # fmt: skip
    for body in (member, alarm):
        assert not {"LogBucket", "TrailKey", "AccessLogBucket"} & set(body["Resources"])
    assert "Default" not in member["Parameters"]["LogArchiveAccountId"]
    remediation = member["Resources"]["CloudTrailRemediation"]["Properties"]["Parameters"]
    assert remediation["CloudTrailS3BucketName"] == {
        "StaticValue": {"Values": [{"Fn::Sub": "cloudtrail-logs-${LogArchiveAccountId}-${AWS::Region}"}]}
    }
    for name, body in (("RemediationStackSet", member), ("AlarmStackSet", alarm)):
        given = {item["ParameterKey"]: item["ParameterValue"] for item in properties(name)["Parameters"]}
        assert set(given) <= set(body["Parameters"])
        for key, value in given.items():
            if key != "IsOrganizationTrail":
                assert value == {"Ref": key} and key in org()["Parameters"]
        required = {key for key, spec in body["Parameters"].items() if "Default" not in spec}
        assert required <= set(given)
    assert {item["ParameterKey"]: item["ParameterValue"] for item in properties(STACK_SET)["Parameters"]}[
        "IsOrganizationTrail"
    ] == "false"


def test_the_log_archive_accepts_every_member_accounts_trail_into_its_own_path() -> None:
    archive = log_archive_template()
    names = {"AWS::Partition": "aws", "AWS::AccountId": ARCHIVE, "AWS::Region": "us-east-1", "OrganizationId": ORG,
             "AdministratorRoleArn": ADMIN, "S3KeyPrefix": "", "ObjectLockRetentionDays": "0"}  # fmt: skip
    stack = Stack(archive, {"AdministratorRoleArn": ADMIN, "OrganizationId": ORG}, account=ARCHIVE, region="us-east-1")
    bucket = Policy(stack.resolve(archive["Resources"]["LogBucketPolicy"]["Properties"]["PolicyDocument"]))
    cloudtrail = ("Service", "cloudtrail.amazonaws.com")
    keys = {"aws:SourceOrgID": ORG, "aws:SourceAccount": "210987654321", "s3:x-amz-acl": "bucket-owner-full-control",
            "aws:SecureTransport": "true"}  # fmt: skip
    own = f"arn:aws:s3:::cloudtrail-logs-{ARCHIVE}-us-east-1/AWSLogs/210987654321/CloudTrail/x.json.gz"
    other = f"arn:aws:s3:::cloudtrail-logs-{ARCHIVE}-us-east-1/AWSLogs/111122223333/CloudTrail/x.json.gz"
    assert bucket.decide(cloudtrail, "s3:PutObject", own, request_context(keys)) == "Allow"
    assert bucket.decide(cloudtrail, "s3:PutObject", other, request_context(keys)) is None
    outsider = {**keys, "aws:SourceOrgID": "o-zzzzzzzzzz"}
    assert bucket.decide(cloudtrail, "s3:PutObject", own, request_context(outsider)) is None
    key = Policy(stack.resolve(archive["Resources"]["TrailKey"]["Properties"]["KeyPolicy"]))
    trail = "arn:aws:cloudtrail:us-east-1:210987654321:trail/t"
    context = {"aws:SourceOrgID": ORG, "kms:EncryptionContext:aws:cloudtrail:arn": trail}
    assert key.decide(cloudtrail, "kms:GenerateDataKey", "*", request_context(context)) == "Allow"
    role = f"arn:aws:iam::210987654321:role/{REMEDIATION_ROLE_NAME}"
    member_role = request_context({"aws:PrincipalArn": role, "aws:PrincipalOrgID": ORG})
    assert key.decide(("AWS", role), "kms:DescribeKey", "*", member_role) == "Allow"
    assert key.decide(("AWS", role), "kms:PutKeyPolicy", "*", member_role) is None
    assert names  # the parameters the stack was resolved with


# -- the service control policy ---------------------------------------------------------------------------------------


def test_the_scps_are_service_control_policies_attached_to_the_units_and_small_enough() -> None:
    documents = []
    for name in SCPS:
        policy = properties(name)
        assert policy["Type"] == "SERVICE_CONTROL_POLICY"
        assert policy["TargetIds"] == {"Ref": "OrganizationalUnitIds"}
        documents.append(policy["Content"])
    assert documents == scp_documents()
    assert check_sizes(documents, ADMINISTRATOR_MAX_LENGTH) == []
    assert org()["Parameters"]["AdministratorRoleArn"]["MaxLength"] == ADMINISTRATOR_MAX_LENGTH


def test_the_size_check_catches_an_scp_over_the_limit() -> None:
    big = copy.deepcopy(scp_documents())
    big[1]["Statement"] += copy.deepcopy(big[1]["Statement"])
    problems = check_sizes(big, ADMINISTRATOR_MAX_LENGTH)
    assert len(problems) == 1 and problems[0].startswith("SCP 2 has ") and problems[0].endswith("AWS allows 5120")


def test_every_action_the_scps_name_exists() -> None:
    reference = default_reference()
    named = {action for document in scp_documents() for statement in document["Statement"]
             for action in actions(statement)}  # fmt: skip
    assert len(named) > 60
    assert [action for action in sorted(named) if not reference.action_exists(action)] == []


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


def test_no_wildcard_action_in_any_template() -> None:
    bodies = [
        json.loads(properties(name)["TemplateBody"]) for name in (STACK_SET, ALARM_STACK_SET, LOG_ARCHIVE_STACK_SET)
    ]
    statements = [*policy_statements(org()["Resources"])]
    for body in bodies:
        statements += policy_statements(body["Resources"])
    allows = [statement for statement in statements if statement["Effect"] == "Allow"]
    assert len(allows) > 10
    for statement in allows:
        assert "NotAction" not in statement
        named = [action for action in actions(statement) if action not in DOCUMENTED_WILDCARDS]
        assert all("*" not in action and "?" not in action for action in named), statement
    for statement in policy_statements(org()["Resources"]):
        assert all("*" not in action for action in actions(statement))
