"""A runbook that sets up a role in the fake IAM: action steps and a script's boto3 client see what they would see
on AWS (policy documents as mappings, IAM's errors as failed steps), and the world after the run holds the role."""

from __future__ import annotations

from typing import Any

from tests.fakes.iam_calls import ALLOW_S3, READ_ONLY, TRUST, TRUST_DOCUMENT
from toolkit.fakes.world import World
from toolkit.simulate import simulate

SCRIPT = """
import boto3

def handler(events, context):
    iam = boto3.client("iam")
    document = iam.get_role_policy(RoleName=events["Role"], PolicyName="s3")["PolicyDocument"]
    try:
        iam.delete_role(RoleName=events["Role"])
    except iam.exceptions.DeleteConflictException as err:
        conflict = err.response["Error"]["Message"]
    listed = iam.list_attached_role_policies(RoleName=events["Role"])["AttachedPolicies"]
    attached = [item["PolicyArn"] for item in listed]
    return {"Actions": document["Statement"][0]["Action"], "Conflict": conflict, "Attached": attached}
"""


def document() -> dict[str, Any]:
    return {
        "schemaVersion": "0.3",
        "parameters": {"RoleName": {"type": "String"}},
        "mainSteps": [
            {
                "name": "CreateRole",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "iam",
                    "Api": "CreateRole",
                    "RoleName": "{{ RoleName }}",
                    "AssumeRolePolicyDocument": TRUST,
                },
                "outputs": [
                    {"Name": "Arn", "Selector": "$.Role.Arn", "Type": "String"},
                    {
                        "Name": "Principal",
                        "Selector": "$.Role.AssumeRolePolicyDocument.Statement[0].Principal.Service",
                        "Type": "String",
                    },
                ],
            },
            {
                "name": "PutPolicy",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "iam",
                    "Api": "PutRolePolicy",
                    "RoleName": "{{ RoleName }}",
                    "PolicyName": "s3",
                    "PolicyDocument": ALLOW_S3,
                },
            },
            {
                "name": "Attach",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "iam",
                    "Api": "AttachRolePolicy",
                    "RoleName": "{{ RoleName }}",
                    "PolicyArn": READ_ONLY,
                },
            },
            {
                "name": "Inspect",
                "action": "aws:executeScript",
                "inputs": {
                    "Runtime": "python3.11",
                    "Handler": "handler",
                    "Script": SCRIPT,
                    "InputPayload": {"Role": "{{ RoleName }}"},
                },
                "outputs": [{"Name": "Result", "Selector": "$.Payload", "Type": "StringMap"}],
            },
            {
                "name": "CreateAgain",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "iam",
                    "Api": "CreateRole",
                    "RoleName": "{{ RoleName }}",
                    "AssumeRolePolicyDocument": TRUST,
                },
                "onFailure": "Continue",
            },
        ],
    }


def test_a_runbook_builds_a_role_and_sees_iam_as_on_aws() -> None:
    result = simulate(document(), {"RoleName": "Remediation"}, World.default())
    by_name = {step.name: step for step in result.steps}
    assert by_name["CreateRole"].outputs["Arn"] == "arn:aws:iam::123456789012:role/Remediation"
    assert by_name["CreateRole"].outputs["Principal"] == "ssm.amazonaws.com"
    assert by_name["Inspect"].outputs["Result"] == {
        "Actions": "s3:*",
        "Conflict": "Cannot delete entity, must detach all policies first.",
        "Attached": [READ_ONLY],
    }
    again = by_name["CreateAgain"]
    assert again.status == "Failed" and "EntityAlreadyExists" in (again.failure_message or "")
    assert [(call.operation, call.error) for call in result.calls if call.service == "iam"] == [
        ("CreateRole", None),
        ("PutRolePolicy", None),
        ("AttachRolePolicy", None),
        ("GetRolePolicy", None),
        ("DeleteRole", "DeleteConflict"),
        ("ListAttachedRolePolicies", None),
        ("CreateRole", "EntityAlreadyExists"),
    ]
    assert result.world is not None
    role = result.world.to_dict()["Roles"][0]
    assert (role["Name"], role["AssumeRolePolicyDocument"], role["AttachedPolicies"]) == (
        "Remediation",
        TRUST_DOCUMENT,
        [READ_ONLY],
    )
    assert role["Policies"] == [
        {
            "PolicyName": "s3",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            },
        }
    ]
    assert role["CreateDate"] == "2026-01-01T00:00:00Z"  # the execution's simulated clock
    assert World.from_dict(result.world.to_dict()) == result.world
