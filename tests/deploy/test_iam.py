"""The policy generator, and least privilege proven: every call the runbook makes across the representative
worlds and 200 hypothesis worlds is allowed by the generated policy (evaluated by toolkit.iam.policy), and the
policy grants no action the runbook never calls."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from runbooks.cloudtrail_remediation_action import representative_runs
from toolkit.aws.arns import alias_arn_in
from toolkit.aws.authorization import default_reference
from toolkit.cli import main
from toolkit.deploy.iam import (
    TRAIL_ARN,
    TRAIL_RESOURCE_ACTIONS,
    arn_patterns,
    document_calls,
    iam_action,
    policy_document,
    statements,
)
from toolkit.deploy.template import pattern_policy
from toolkit.documents import read_runbook
from toolkit.fakes.errors import AwsError
from toolkit.fakes.protocol import Call
from toolkit.fakes.world import World
from toolkit.iam.policy import Policy, allowed_by_any
from toolkit.model.document import Document
from toolkit.render import to_yaml_text
from toolkit.simulate import simulate
from toolkit.testing import worlds_and_params

RUNBOOK = "cloudtrail-remediation-action"


@cache
def runbook() -> Document:
    return read_runbook(RUNBOOK).model()


ANY_KEY = [
    {"Fn::Sub": "arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*"},
    {"Fn::Sub": "arn:${AWS::Partition}:kms:*:${AWS::AccountId}:alias/*"},
]
"""kms:DescribeKey's resource here: any key of the account, or an alias that names none, as the simulator
authorizes it (the template scopes it to the stack's own key)."""


ANY_BUCKET = {"Fn::Sub": "arn:${AWS::Partition}:s3:::*"}
"""s3:GetBucketLocation's resource here: the representative worlds deliver to buckets of many names (the template
scopes it to the stack's own log bucket)."""


@cache
def policy() -> dict[str, Any]:
    return pattern_policy(key=ANY_KEY, bucket=ANY_BUCKET)


def granted_actions(document: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for statement in document["Statement"]:
        actions = statement["Action"]
        found.update([actions] if isinstance(actions, str) else actions)
    return found


def resolve(value: Any, names: dict[str, str]) -> Any:
    """The policy with its ``Fn::Sub`` strings substituted, as CloudFormation would for one stack."""
    if isinstance(value, dict):
        if set(value) == {"Fn::Sub"}:
            return re.sub(r"\$\{([^}]+)\}", lambda match: names[match.group(1)], value["Fn::Sub"])
        return {key: resolve(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, names) for item in value]
    return value


def resource_of(call: Call, world: World) -> str:
    """The resource IAM authorizes a call's own action on (the SAR, ``toolkit.aws.authorization``): the trail's
    ARN for trail actions, the key's (behind an alias) for kms:DescribeKey, else ``*``."""
    action = iam_action(call.service, call.operation)
    [need] = [
        need
        for need in default_reference().needs(
            call.service,
            call.operation,
            call.params,
            partition=world.partition,
            region=world.region,
            account=world.account,
        )
        if need.action.lower() == action.lower()
    ]
    if alias_arn_in(need.resource):
        try:
            described = world.call("kms", "DescribeKey", {"KeyId": need.resource}, region=need.resource.split(":")[3])
            return str(described["KeyMetadata"]["Arn"])
        except AwsError:
            return need.resource
    return need.resource


def denied_calls(world: World, params: dict[str, Any], document: dict[str, Any] | None = None) -> list[str]:
    """Simulate the runbook and give the calls the stack's policy (for this trail name) would deny."""
    names = {
        "AWS::Partition": world.partition,
        "AWS::Region": world.region,
        "AWS::AccountId": world.account,
        "TrailName": params["CloudTrailName"],
    }
    concrete = Policy(resolve(policy() if document is None else document, names))
    role = ("AWS", f"arn:{world.partition}:iam::{world.account}:role/remediation")
    result = simulate(runbook(), params, world)
    denied = []
    for call in result.calls:
        action = iam_action(call.service, call.operation)
        if not allowed_by_any((concrete,), role, action, resource_of(call, world)):
            denied.append(f"{action} on {resource_of(call, world)}")
    return denied


def called_actions(world: World, params: dict[str, Any]) -> set[str]:
    return {iam_action(call.service, call.operation) for call in simulate(runbook(), params, world).calls}


# -- the generator ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "operation", "action"),
    [
        ("elbv2", "DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancers"),
        ("stepfunctions", "StartExecution", "states:StartExecution"),
        ("logs", "CreateLogGroup", "logs:CreateLogGroup"),
        ("cloudtrail", "StartLogging", "cloudtrail:StartLogging"),
        ("ec2", "DescribeInstances", "ec2:DescribeInstances"),
    ],
)
def test_boto3_services_map_to_iam_prefixes(service: str, operation: str, action: str) -> None:
    assert iam_action(service, operation) == action


@pytest.mark.parametrize("operation", ["*", "Describe*", "Get?", ""])
def test_a_wildcard_or_empty_operation_is_refused(operation: str) -> None:
    with pytest.raises(ValueError):
        iam_action("ec2", operation)


def test_statements_group_by_resource_and_sort_actions() -> None:
    arn = {"Fn::Sub": "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/x"}
    calls = [("cloudtrail", "StartLogging"), ("cloudtrail", "DescribeTrails"), ("cloudtrail", "GetTrail")]
    found = statements(calls, {"cloudtrail:StartLogging": arn, "cloudtrail:GetTrail": arn})
    assert found == [
        {
            "Sid": "Scoped1",
            "Effect": "Allow",
            "Action": ["cloudtrail:GetTrail", "cloudtrail:StartLogging"],
            "Resource": arn,
        },
        {"Sid": "AnyResource", "Effect": "Allow", "Action": ["cloudtrail:DescribeTrails"], "Resource": "*"},
    ]


def test_document_calls_are_read_from_api_steps() -> None:
    calls = document_calls(runbook().to_dict())
    assert ("cloudtrail", "StartLogging") in calls
    assert ("cloudtrail", "GetTrailStatus") in calls
    assert not any(service == "kms" for service, _ in calls)  # the scripts' calls need a simulation


def test_trail_actions_are_scoped_to_the_trail_the_key_action_to_the_key_and_the_rest_cannot_be() -> None:
    for statement in policy()["Statement"]:
        for action in statement["Action"]:
            if action in TRAIL_RESOURCE_ACTIONS:
                assert statement["Resource"] == {"Fn::Sub": TRAIL_ARN}, action
            elif action == "kms:DescribeKey":
                assert statement["Resource"] == ANY_KEY
            elif action == "s3:GetBucketLocation":  # the owner check reads the location of the bucket it is given
                assert statement["Resource"] == ANY_BUCKET
            else:
                assert statement["Resource"] == "*" and arn_patterns(action, {}) == [], action
    assert {"cloudtrail:DescribeTrails", "kms:DescribeKey"} <= granted_actions(policy())


def test_an_unscoped_action_with_a_resource_type_gets_its_arn_pattern_never_a_star() -> None:
    found = statements([("kms", "DescribeKey"), ("ssm", "GetParameter"), ("cloudtrail", "DescribeTrails")])
    assert found == [
        {"Sid": "Scoped1", "Effect": "Allow", "Action": ["kms:DescribeKey"],
         "Resource": {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"}},
        {"Sid": "Scoped2", "Effect": "Allow", "Action": ["ssm:GetParameter"],
         "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*"}},
        {"Sid": "AnyResource", "Effect": "Allow", "Action": ["cloudtrail:DescribeTrails"], "Resource": "*"},
    ]  # fmt: skip


def test_no_wildcard_action_is_granted() -> None:
    assert all("*" not in action and "?" not in action for action in granted_actions(policy()))


def test_the_policy_is_deterministic() -> None:
    assert json.dumps(pattern_policy(key=ANY_KEY, bucket=ANY_BUCKET)) == json.dumps(policy())
    assert json.dumps(pattern_policy()) == json.dumps(pattern_policy())


# -- least privilege, proven ----------------------------------------------------------------------------------------


def test_every_call_in_the_representative_worlds_is_allowed_and_every_grant_is_used() -> None:
    used: set[str] = set()
    for world, params in representative_runs():
        assert denied_calls(world, params) == []
        used |= called_actions(world, params)
    assert granted_actions(policy()) == used


def test_the_check_can_fail_a_policy_missing_an_action() -> None:
    world, params = representative_runs()[0]
    narrow = policy_document([("cloudtrail", "DescribeTrails"), ("kms", "DescribeKey")])
    denied = denied_calls(world, params, narrow)
    assert "cloudtrail:StartLogging on arn:aws:cloudtrail:us-east-1:123456789012:trail/main" in denied
    assert not any(item.startswith(("cloudtrail:DescribeTrails", "kms:")) for item in denied)


def test_a_trail_action_on_another_trail_is_denied() -> None:
    world, params = representative_runs()[0]
    assert denied_calls(world, params) == []
    concrete = Policy(
        resolve(
            policy(),
            {
                "AWS::Partition": "aws",
                "AWS::Region": "us-east-1",
                "AWS::AccountId": "123456789012",
                "TrailName": "main",
            },
        )
    )
    role = ("AWS", "arn:aws:iam::123456789012:role/remediation")
    other = "arn:aws:cloudtrail:us-east-1:123456789012:trail/other"
    assert not allowed_by_any((concrete,), role, "cloudtrail:StartLogging", other)


@settings(max_examples=200)
@given(worlds_and_params())
def test_every_call_in_generated_worlds_is_allowed(case: tuple[World, dict[str, Any]]) -> None:
    world, params = case
    assert denied_calls(world, params) == []


# -- the command ------------------------------------------------------------------------------------------------------


PARAMS = [
    "CloudTrailName=main",
    "CloudTrailS3BucketName=trail-logs-123456789012",
    "CloudTrailKmsKeyId=alias/cloudtrail",
]


def test_iam_policy_command_refuses_a_file_without_its_required_parameters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No representative runs and no values for the required parameters: no partial policy, exit 2, one line."""
    built = tmp_path / f"{RUNBOOK}.yaml"
    built.write_text(to_yaml_text(runbook()), encoding="utf-8")
    assert main(["iam-policy", str(built)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "CloudTrailName, CloudTrailS3BucketName, CloudTrailKmsKeyId" in captured.err
    assert main(["iam-policy", str(built), "--param", "CloudTrailName=main"]) == 2
    assert "CloudTrailS3BucketName, CloudTrailKmsKeyId" in capsys.readouterr().err


def test_iam_policy_command_prints_a_files_policy_from_a_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built = tmp_path / f"{RUNBOOK}.yaml"
    built.write_text(to_yaml_text(runbook()), encoding="utf-8")
    assert main(["iam-policy", str(built), *[f"--param={param}" for param in PARAMS]]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {iam_action(*call) for call in document_calls(runbook().to_dict())} <= granted_actions(printed)
    assert_no_star_for_typed_actions(printed)


def assert_no_star_for_typed_actions(printed: dict[str, Any]) -> None:
    """``*`` only for actions without a resource type in the SAR; every other resource an ARN."""
    for statement in printed["Statement"]:
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for action in statement["Action"]:
            if "*" in resources:
                assert resources == ["*"] and arn_patterns(action, {}) == [], action
            else:
                assert all(resource.startswith("arn:aws:") for resource in resources), statement


def test_iam_policy_command_simulates_a_runbook_in_its_representative_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The runbook's module has the ``representative_runs()`` hook: the policy grants what the deploy template's
    role is granted (with resources left as ``*``)."""
    assert main(["iam-policy", RUNBOOK]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert granted_actions(printed) == granted_actions(policy())
    assert_no_star_for_typed_actions(printed)
    [trail] = [statement for statement in printed["Statement"] if "cloudtrail:StartLogging" in statement["Action"]]
    assert "arn:aws:cloudtrail:us-east-1:123456789012:trail/main" in trail["Resource"]
    [key] = [statement for statement in printed["Statement"] if "kms:DescribeKey" in statement["Action"]]
    assert key["Resource"] == "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_iam_policy_command_adds_the_scripts_calls_when_simulating(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iam-policy", RUNBOOK, *[f"--param={param}" for param in PARAMS]]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {"kms:DescribeKey", "cloudtrail:DescribeTrails", "cloudtrail:UpdateTrail"} <= granted_actions(printed)
    assert_no_star_for_typed_actions(printed)


@pytest.mark.parametrize(
    ("call", "action"),
    [
        (("lambda", "Invoke"), "lambda:InvokeFunction"),
        (("s3", "PutPublicAccessBlock"), "s3:PutBucketPublicAccessBlock"),
        (("s3", "ListObjectsV2"), "s3:ListBucket"),
        (("s3", "PutBucketPolicy"), "s3:PutBucketPolicy"),
        (("stepfunctions", "StartExecution"), "states:StartExecution"),
    ],
)
def test_iam_actions_use_iams_own_names(call: tuple[str, str], action: str) -> None:
    assert iam_action(*call) == action


def test_document_calls_include_loop_bodies_and_what_other_actions_call() -> None:
    document = {
        "mainSteps": [
            {
                "name": "Each",
                "action": "aws:loop",
                "inputs": {
                    "Iterators": ["a"],
                    "Steps": [
                        {"name": "Get", "action": "aws:executeAwsApi", "inputs": {"Service": "s3", "Api": "HeadObject"}}
                    ],
                },
            },
            {
                "name": "Stop",
                "action": "aws:changeInstanceState",
                "inputs": {"InstanceIds": ["i-1"], "DesiredState": "stopped"},
            },
            {
                "name": "Tag",
                "action": "aws:createTags",
                "inputs": {"ResourceType": "ManagedInstance", "ResourceIds": ["mi-1"]},
            },
            {
                "name": "Ask",
                "action": "aws:approve",
                "inputs": {"Approvers": ["x"], "NotificationArn": "arn:aws:sns:x"},
            },
            {"name": "Run", "action": "aws:runCommand", "inputs": {"DocumentName": "AWS-RunShellScript"}},
            {"name": "Wait", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}},
        ]
    }
    actions = [iam_action(*call) for call in document_calls(document)]
    assert actions == [
        "s3:GetObject",
        "ec2:DescribeInstances",
        "ec2:StopInstances",
        "ssm:AddTagsToResource",
        "sns:Publish",
        "ssm:SendCommand",
        "ssm:ListCommands",
        "ssm:ListCommandInvocations",
    ]
