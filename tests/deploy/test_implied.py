"""Implied permissions: what AWS authorizes for CreateTrail/UpdateTrail without a call the simulator records,
granted in the role's policy exactly under the template conditions that make them needed."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest

from toolkit.deploy.iam import IMPLIED_ACTIONS, granted, implied_statements
from toolkit.deploy.template import ROLE, pattern_policy, template

PASS_ROLE = {"iam:PassRole"}
ORGANIZATION = {
    "organizations:DescribeOrganization",
    "organizations:ListAWSServiceAccessForOrganization",
    "iam:GetRole",
    "iam:CreateServiceLinkedRole",
}


@cache
def role_policy() -> dict[str, Any]:
    found: dict[str, Any] = template()["Resources"][ROLE]["Properties"]["Policies"][0]["PolicyDocument"]
    return found


def resolve_conditions(value: Any, truth: dict[str, bool]) -> Any:
    """The policy as deployed with the template conditions ``truth``: Fn::If chosen, AWS::NoValue dropped."""
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            name, then, otherwise = value["Fn::If"]
            return resolve_conditions(then if truth[name] else otherwise, truth)
        return {key: resolve_conditions(item, truth) for key, item in value.items()}
    if isinstance(value, list):
        items = [resolve_conditions(item, truth) for item in value]
        return [item for item in items if item != {"Ref": "AWS::NoValue"}]
    return value


@pytest.mark.parametrize(("logs_role", "organization"), list(itertools.product([False, True], repeat=2)))
def test_implied_actions_are_granted_exactly_under_their_conditions(logs_role: bool, organization: bool) -> None:
    truth = {"HasCloudWatchLogsRoleArn": logs_role, "IsOrganization": organization, "UseCentralLogging": False}
    deployed = resolve_conditions(role_policy(), truth)
    expected = granted(pattern_policy())
    expected |= PASS_ROLE if logs_role else set()
    expected |= ORGANIZATION if organization else set()
    assert granted(deployed) == expected


def test_the_conditions_are_the_templates_and_test_the_right_parameters() -> None:
    conditions = template()["Conditions"]
    assert conditions["IsOrganization"] == {"Fn::Equals": [{"Ref": "IsOrganizationTrail"}, "true"]}
    assert conditions["HasCloudWatchLogsRoleArn"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "CloudWatchLogsRoleArn"}, ""]}]
    }
    used = {item["Fn::If"][0] for item in role_policy()["Statement"] if "Fn::If" in item}
    assert used == {"IsOrganization", "HasCloudWatchLogsRoleArn"}
    keys = {
        item["Resource"]["Fn::If"][0] for item in role_policy()["Statement"] if "Fn::If" in item.get("Resource", {})
    }
    assert keys == {"UseCentralLogging"}  # kms:DescribeKey: the stack's own key or the log archive's


def test_pass_role_is_scoped_to_the_logs_role_and_to_cloudtrail() -> None:
    truth = {"HasCloudWatchLogsRoleArn": True, "IsOrganization": False, "UseCentralLogging": False}
    statement = resolve_conditions(role_policy(), truth)
    pass_role = next(item for item in statement["Statement"] if item["Action"] == ["iam:PassRole"])
    assert pass_role["Resource"] == {"Ref": "CloudWatchLogsRoleArn"}
    assert pass_role["Condition"] == {
        "StringEquals": {
            "iam:PassedToService": "cloudtrail.amazonaws.com",
            "aws:ResourceAccount": {"Ref": "AWS::AccountId"},  # a role of this account only
        }
    }


def test_the_service_linked_role_grants_are_scoped_to_cloudtrails_role() -> None:
    truth = {"HasCloudWatchLogsRoleArn": False, "IsOrganization": True, "UseCentralLogging": False}
    statements = resolve_conditions(role_policy(), truth)
    iam = [item for item in statements["Statement"] if item["Action"][0].startswith("iam:")]
    assert sorted(item["Action"][0] for item in iam) == ["iam:CreateServiceLinkedRole", "iam:GetRole"]
    for item in iam:
        assert item["Resource"]["Fn::Sub"].endswith(
            ":role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail"
        )
    create = next(item for item in iam if item["Action"] == ["iam:CreateServiceLinkedRole"])
    assert create["Condition"] == {"StringEquals": {"iam:AWSServiceName": "cloudtrail.amazonaws.com"}}


def test_nothing_is_implied_without_create_or_update_trail() -> None:
    assert implied_statements([]) == []
    assert implied_statements(["cloudtrail:GetTrail", "cloudtrail:StartLogging"]) == []
    assert len(implied_statements(["cloudtrail:UpdateTrail"])) == len(IMPLIED_ACTIONS)


def test_no_implied_action_is_a_wildcard() -> None:
    for _, _, statement in IMPLIED_ACTIONS:
        assert statement["Effect"] == "Allow"
        assert all("*" not in action and "?" not in action for action in statement["Action"])
