"""The CloudFormation template: cfn-lint clean in several regions, deterministic, plain YAML, secure by
construction; and the toolkit's cross-checks, each shown to fail on a template broken on purpose."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import lint

from tests.deploy.cfn import ALL_REGIONS, findings_where_offered
from toolkit.cli import main
from toolkit.deploy.checks import check_all, check_parameters, check_ranges, check_target
from toolkit.deploy.template import (
    BUCKET,
    DOCUMENT,
    KEY,
    MANAGED_RULES,
    REMEDIATION,
    ROLE,
    RULE,
    template,
    template_yaml,
)
from toolkit.documents import read_runbook

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "sa-east-1", "us-gov-west-1", "cn-north-1"]


@cache
def text() -> str:
    return template_yaml()


@cache
def runbook_data() -> dict[str, Any]:
    return read_runbook("cloudtrail-remediation-action").model().to_dict()


def fresh() -> dict[str, Any]:
    return copy.deepcopy(template())


def resource(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = data["Resources"][name]["Properties"]
    return found


def policy_statements(value: Any) -> Iterator[dict[str, Any]]:
    """Every statement of every policy document in the template (Fn::If branches included)."""
    if isinstance(value, dict):
        if "Effect" in value and ("Action" in value or "NotAction" in value):
            yield value
        for item in value.values():
            yield from policy_statements(item)
    elif isinstance(value, list):
        for item in value:
            yield from policy_statements(item)


def actions(statement: dict[str, Any]) -> list[str]:
    value = statement.get("Action", [])
    return [value] if isinstance(value, str) else list(value)


def by_sid(statements: list[Any], sid: str) -> dict[str, Any]:
    flat = list(policy_statements(statements))
    return next(statement for statement in flat if statement.get("Sid") == sid)


# -- cfn-lint and rendering ---------------------------------------------------------------------------------------


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
    assert len(lacking) < len(ALL_REGIONS) // 4  # a few new regions lack AWS::Config::RemediationConfiguration


def test_cfn_lint_catches_a_broken_template() -> None:
    broken = fresh()
    del broken["Parameters"]["TrailName"]  # still named by the policies' Fn::Sub and the remediation
    from toolkit.render import to_yaml_text

    assert lint(to_yaml_text(broken), regions=["us-east-1"]) != []


def test_the_template_is_deterministic_plain_yaml() -> None:
    assert template_yaml() == text()
    assert "!" not in "".join(line.split(":", 1)[-1][:3] for line in text().splitlines())
    assert "&id" not in text() and "*id" not in text()
    assert yaml.safe_load(text()) == template()


def test_the_document_content_is_the_built_runbook_as_an_object() -> None:
    document = resource(template(), DOCUMENT)
    assert document["DocumentType"] == "Automation"
    assert document["Content"] == runbook_data()


def test_the_template_command_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build" / "stack.yaml"
    assert main(["template", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text()
    assert [path.name for path in out.parent.iterdir()] == ["stack.yaml"]
    assert main(["template"]) == 0
    assert capsys.readouterr().out.endswith(text())


# -- the cross-checks, each broken on purpose ------------------------------------------------------------------------


def test_the_template_passes_every_cross_check() -> None:
    assert check_all(template(), runbook_data()) == []


def test_a_missing_required_parameter_is_caught() -> None:
    broken = fresh()
    del resource(broken, REMEDIATION)["Parameters"]["CloudTrailKmsKeyId"]
    assert check_parameters(broken, runbook_data()) == [
        f"{REMEDIATION}: required runbook parameter CloudTrailKmsKeyId is not passed"
    ]


def test_an_unknown_parameter_is_caught() -> None:
    broken = fresh()
    resource(broken, REMEDIATION)["Parameters"]["TrailName"] = {"StaticValue": {"Values": ["x"]}}
    assert check_parameters(broken, runbook_data()) == [
        f"{REMEDIATION}: remediation parameter TrailName is not a parameter of the runbook"
    ]


def test_a_resource_value_is_caught() -> None:
    broken = fresh()
    resource(broken, REMEDIATION)["Parameters"]["CloudTrailName"] = {"ResourceValue": {"Value": "RESOURCE_ID"}}
    assert check_parameters(broken, runbook_data()) == [
        f"{REMEDIATION}: required runbook parameter CloudTrailName is passed conditionally or not as a static value",
        f"{REMEDIATION}: remediation parameter CloudTrailName is not a static value",
    ]


def test_a_target_other_than_the_document_is_caught() -> None:
    broken = fresh()
    resource(broken, REMEDIATION)["TargetId"] = "AWS-EnableCloudTrail"
    assert check_target(broken) == [
        f"{REMEDIATION}: TargetId 'AWS-EnableCloudTrail' is not a Ref to the template's SSM document"
    ]
    resource(broken, REMEDIATION)["TargetId"] = {"Ref": ROLE}
    assert len(check_target(broken)) == 1


@pytest.mark.parametrize(
    ("field", "parameter", "key", "value"),
    [
        ("MaximumAutomaticAttempts", "MaximumAutomaticAttempts", "MaxValue", 26),
        ("MaximumAutomaticAttempts", "MaximumAutomaticAttempts", "MinValue", 0),
        ("RetryAttemptSeconds", "RetryAttemptSeconds", "MaxValue", 2678001),
        ("RetryAttemptSeconds", "RetryAttemptSeconds", "Default", 0),
    ],
)
def test_ranges_outside_aws_are_caught(field: str, parameter: str, key: str, value: int) -> None:
    broken = fresh()
    broken["Parameters"][parameter][key] = value
    problems = check_ranges(broken)
    assert len(problems) == len(MANAGED_RULES)  # every remediation refers to the parameter
    assert all(problem.split(": ", 1)[1].startswith(field) for problem in problems)


@pytest.mark.parametrize(
    ("field", "value", "caught"),
    [
        ("MaximumAutomaticAttempts", 25, False),
        ("MaximumAutomaticAttempts", 26, True),
        ("RetryAttemptSeconds", 1, False),
        ("RetryAttemptSeconds", 0, True),
    ],
)
def test_literal_ranges_are_checked(field: str, value: int, caught: bool) -> None:
    broken = fresh()
    resource(broken, REMEDIATION)[field] = value
    assert bool(check_ranges(broken)) == caught


# -- security -------------------------------------------------------------------------------------------------------


def test_the_bucket_blocks_public_access_versions_and_encrypts() -> None:
    bucket = resource(template(), BUCKET)
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]


def test_the_bucket_is_tls_only() -> None:
    statements = resource(template(), f"{BUCKET}Policy")["PolicyDocument"]["Statement"]
    deny = by_sid(statements, "DenyInsecureTransport")
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert len(deny["Resource"]) == 2


def test_every_cloudtrail_grant_is_conditioned_on_the_trail_arn() -> None:
    data = template()
    granted = [
        statement
        for statement in policy_statements(data["Resources"])
        if statement.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}
    ]
    assert len(granted) == 5  # bucket: ACL check, write, organization write; key: encrypt, describe
    for statement in granted:
        source = statement["Condition"]["StringEquals"]["aws:SourceArn"]
        assert "trail/${TrailName}" in source["Fn::Sub"]


def test_the_organization_path_is_written_only_for_organization_trails() -> None:
    statements = resource(template(), f"{BUCKET}Policy")["PolicyDocument"]["Statement"]
    branch = next(item for item in statements if "Fn::If" in item and item["Fn::If"][0] == "IsOrganization")["Fn::If"]
    assert branch[0] == "IsOrganization" and branch[2] == {"Ref": "AWS::NoValue"}
    assert "AWSLogs/${OrganizationId}/*" in json.dumps(branch[1])


def test_the_key_rotates_and_cloudtrail_cannot_decrypt() -> None:
    key = resource(template(), KEY)
    assert key["EnableKeyRotation"] is True
    statements = key["KeyPolicy"]["Statement"]
    encrypt = by_sid(statements, "CloudTrailEncryptsLogs")
    assert encrypt["Action"] == "kms:GenerateDataKey*"  # AWS's documented form (CloudTrail user guide, key policy)
    assert encrypt["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:cloudtrail:arn": {
            "Fn::Sub": "arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"
        }
    }
    assert by_sid(statements, "CloudTrailDescribesKey")["Action"] == "kms:DescribeKey"
    for statement in policy_statements(statements):
        if statement["Principal"] == {"Service": "cloudtrail.amazonaws.com"}:
            assert not any(action.startswith("kms:Decrypt") or action == "kms:*" for action in actions(statement))


def test_the_role_trusts_only_automation_of_this_account() -> None:
    trust = resource(template(), ROLE)["AssumeRolePolicyDocument"]["Statement"]
    assert len(trust) == 1
    assert trust[0]["Principal"] == {"Service": "ssm.amazonaws.com"}
    assert trust[0]["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert "automation-execution/*" in trust[0]["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]


DOCUMENTED_WILDCARDS = {"kms:GenerateDataKey*"}
"""Wildcard actions AWS's own documents prescribe (the CloudTrail and EventBridge key policies for SSE)."""


def test_no_allow_grants_a_wildcard_action_anywhere() -> None:
    statements = list(policy_statements(template()["Resources"]))
    assert len(statements) > 10
    for statement in statements:
        assert "NotAction" not in statement
        named = [action for action in actions(statement) if action not in DOCUMENTED_WILDCARDS]
        if statement["Effect"] == "Allow" or statement["Sid"] != "DenyInsecureTransport":
            assert all("*" not in action and "?" not in action for action in named), statement
        else:  # the one Deny of every S3 action: TLS only
            assert actions(statement) == ["s3:*"]


def test_the_remediation_is_automatic_with_the_role() -> None:
    remediation = resource(template(), REMEDIATION)
    assert remediation["Automatic"] is True
    assert remediation["ConfigRuleName"] == {"Ref": RULE}
    role = remediation["Parameters"]["AutomationAssumeRole"]["StaticValue"]["Values"]
    assert role == [{"Fn::GetAtt": [ROLE, "Arn"]}]
    rule = resource(template(), RULE)
    assert rule["Source"] == {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}
    assert rule["MaximumExecutionFrequency"] == {"Ref": "MaximumExecutionFrequency"}
