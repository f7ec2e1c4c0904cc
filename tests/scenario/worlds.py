"""Small hand-written worlds for the scenario loop's tests: the pattern's account (scenarios/worlds/logging.yaml) with
Config rules, SNS topics, roles and EventBridge rules added, the EventBridge rules made by the world file's ``Calls``
(moto answers EventBridge)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from tests.conftest import ROOT

ACCOUNT = "123456789012"
REMEDIATION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/CloudTrailRemediationRole"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:remediation-alarms"
DEFINITION = f"arn:aws:ssm:us-east-1:{ACCOUNT}:automation-definition/cloudtrail-remediation-action:$DEFAULT"
STARTER = f"arn:aws:iam::{ACCOUNT}:role/EventBridgeAutomation"
RUNBOOK_PARAMETERS = {
    "AutomationAssumeRole": [REMEDIATION_ROLE],
    "CloudTrailName": ["main"],
    "CloudTrailS3BucketName": [f"trail-logs-{ACCOUNT}"],
    "CloudTrailKmsKeyId": ["alias/cloudtrail"],
}
FAILED_PATTERN = {
    "source": ["aws.ssm"],
    "detail-type": ["EC2 Automation Execution Status-change Notification"],
    "detail": {"Status": ["Failed", "TimedOut", "Cancelled"], "Definition": ["cloudtrail-remediation-action"]},
}


def world(name: str = "logging") -> dict[str, Any]:
    """A world file of scenarios/worlds/ as data, to add to."""
    data: dict[str, Any] = yaml.safe_load((ROOT / "scenarios" / "worlds" / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def remediation(rule: str, **changes: Any) -> dict[str, Any]:
    """The pattern's remediation configuration for ``rule``, as PutRemediationConfigurations takes it."""
    return {
        "ConfigRuleName": rule,
        "TargetType": "SSM_DOCUMENT",
        "TargetId": "cloudtrail-remediation-action",
        "Automatic": True,
        "Parameters": {key: {"StaticValue": {"Values": values}} for key, values in RUNBOOK_PARAMETERS.items()},
        **changes,
    }


def with_alarm(data: dict[str, Any], *, allow_eventbridge: bool = True, state: str = "ENABLED") -> dict[str, Any]:
    """``data`` with the topic remediation-alarms and an EventBridge rule sending failed executions of the pattern's
    runbook to it (its policy lets EventBridge publish, unless ``allow_eventbridge`` is false)."""
    principal = "events.amazonaws.com" if allow_eventbridge else "s3.amazonaws.com"
    statement = {"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sns:Publish", "Resource": TOPIC}
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    data.setdefault("Topics", []).append({"Name": "remediation-alarms", "Region": "us-east-1", "Policy": policy})
    rule = {"Name": "remediation-failed", "EventPattern": json.dumps(FAILED_PATTERN), "State": state}
    data.setdefault("Calls", []).extend(
        [
            {"Service": "events", "Api": "PutRule", "Params": rule},
            {
                "Service": "events",
                "Api": "PutTargets",
                "Params": {"Rule": "remediation-failed", "Targets": [{"Id": "alarm", "Arn": TOPIC}]},
            },
        ]
    )
    return data


def with_schedule(
    data: dict[str, Any],
    *,
    rate: str = "rate(30 minutes)",
    trusted: str = "events.amazonaws.com",
    may_pass_role: bool = True,
    parameters: object = None,
) -> dict[str, Any]:
    """``data`` with the role EventBridgeAutomation (trusting ``trusted``; allowed to start the runbook and, when
    ``may_pass_role``, to pass the remediation role) and a scheduled rule keep-trail starting the runbook as it."""
    allowed: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": "ssm:StartAutomationExecution",
            "Resource": f"arn:aws:ssm:us-east-1:{ACCOUNT}:automation-definition/cloudtrail-remediation-action:*",
        }
    ]
    if may_pass_role:
        allowed.append({"Effect": "Allow", "Action": "iam:PassRole", "Resource": REMEDIATION_ROLE})
    trust = {"Effect": "Allow", "Principal": {"Service": trusted}, "Action": "sts:AssumeRole"}
    data.setdefault("Roles", []).append(
        {
            "Name": "EventBridgeAutomation",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
            "Policies": [{"PolicyName": "Start", "PolicyDocument": {"Version": "2012-10-17", "Statement": allowed}}],
        }
    )
    target = {
        "Id": "run",
        "Arn": DEFINITION,
        "RoleArn": STARTER,
        "Input": json.dumps(RUNBOOK_PARAMETERS if parameters is None else parameters),
    }
    data.setdefault("Calls", []).extend(
        [
            {"Service": "events", "Api": "PutRule", "Params": {"Name": "keep-trail", "ScheduleExpression": rate}},
            {"Service": "events", "Api": "PutTargets", "Params": {"Rule": "keep-trail", "Targets": [target]}},
        ]
    )
    return data
