"""The organization variant: a template for the management account that rolls the pattern out to organizational
units with a service-managed CloudFormation StackSet (the member template embedded as its TemplateBody), and
attaches to the same units a service control policy against tampering with CloudTrail.

Each member account gets the single-account template with its own (non-organization) trail and a remediation
role whose name is fixed (``REMEDIATION_ROLE_NAME``), so the SCP can exempt it in every account. The SCP denies
stopping, deleting or weakening trails, and changing or passing the remediation role (which would otherwise be a
way around the exemption), to every principal but that role, the StackSets execution role (for the role only) and
an administrator role given as a parameter. Service-linked roles (Config's included) are not subject to SCPs.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.deploy.template import template
from toolkit.render import to_yaml_text

Data = dict[str, Any]

STACK_SET = "RemediationStackSet"
SCP = "CloudTrailProtection"
REMEDIATION_ROLE_NAME = "CloudTrailRemediationAutomation"

PROTECTED_TRAIL_ACTIONS = [
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
]
"""What stops, deletes or weakens a trail. (RemoveTags and AddTags do not change what is logged: left allowed.)"""

PROTECTED_ROLE_ACTIONS = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PassRole",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
]
"""What would let someone use or reshape the exempt remediation role (to run another document with it, or give
it to someone else)."""

REMEDIATION_ROLE_ARN = f"arn:${{AWS::Partition}}:iam::*:role/{REMEDIATION_ROLE_NAME}"
STACKSETS_EXECUTION_ROLE_ARN = "arn:${AWS::Partition}:iam::*:role/stacksets-exec-*"

PASSED_THROUGH = [
    "TrailName",
    "S3KeyPrefix",
    "MaximumExecutionFrequency",
    "MaximumAutomaticAttempts",
    "RetryAttemptSeconds",
]
"""Member template parameters the management template passes on (the others keep their defaults)."""


def member_template() -> Data:
    """The single-account template with the remediation role's name fixed (IsOrganizationTrail stays false)."""
    return template(role_name=REMEDIATION_ROLE_NAME)


def parameters(member: Data) -> Data:
    result: Data = {
        "OrganizationalUnitIds": {
            "Type": "CommaDelimitedList",
            "Description": "The organizational units (ou-... or the root r-...) to deploy to and protect.",
        },
        "AdministratorRoleArn": {
            "Type": "String",
            "Description": "The role (ARN, wildcards allowed) that may still change trails and the remediation role.",
            "AllowedPattern": r"^arn:aws[-a-z]*:iam::(\d{12}|\*):role/\S+$",
        },
    }
    for name in PASSED_THROUGH:
        result[name] = json.loads(json.dumps(member["Parameters"][name]))
    return result


def stack_set(member: Data) -> Data:
    given = [{"ParameterKey": name, "ParameterValue": {"Ref": name}} for name in PASSED_THROUGH]
    fixed = [{"ParameterKey": "IsOrganizationTrail", "ParameterValue": "false"}]
    return {
        "Type": "AWS::CloudFormation::StackSet",
        "Properties": {
            "StackSetName": "cloudtrail-remediation",
            "Description": "Keep AWS CloudTrail enabled in every member account (Config rule and remediation).",
            "PermissionModel": "SERVICE_MANAGED",
            "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
            "CallAs": "SELF",
            "Capabilities": ["CAPABILITY_NAMED_IAM"],
            "ManagedExecution": {"Active": True},
            "OperationPreferences": {"FailureTolerancePercentage": 0, "MaxConcurrentPercentage": 25},
            "Parameters": [*given, *fixed],
            "StackInstancesGroup": [
                {
                    "DeploymentTargets": {"OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}},
                    "Regions": [{"Ref": "AWS::Region"}],
                }
            ],
            "TemplateBody": json.dumps(member, separators=(",", ":"), sort_keys=True),
        },
    }


def scp_document() -> Data:
    exempt = [{"Fn::Sub": REMEDIATION_ROLE_ARN}, {"Ref": "AdministratorRoleArn"}]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ProtectCloudTrail",
                "Effect": "Deny",
                "Action": PROTECTED_TRAIL_ACTIONS,
                "Resource": "*",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": exempt}},
            },
            {
                "Sid": "ProtectRemediationRole",
                "Effect": "Deny",
                "Action": PROTECTED_ROLE_ACTIONS,
                "Resource": {"Fn::Sub": REMEDIATION_ROLE_ARN},
                "Condition": {
                    "ArnNotLike": {"aws:PrincipalArn": [*exempt[1:], {"Fn::Sub": STACKSETS_EXECUTION_ROLE_ARN}]}
                },
            },
        ],
    }


def scp_resource() -> Data:
    return {
        "Type": "AWS::Organizations::Policy",
        "Properties": {
            "Name": "protect-cloudtrail",
            "Description": "Only the remediation role and the administrators may stop, delete or weaken CloudTrail.",
            "Type": "SERVICE_CONTROL_POLICY",
            "Content": scp_document(),
            "TargetIds": {"Ref": "OrganizationalUnitIds"},
        },
    }


def organization_template() -> Data:
    """The management account's template (deterministic)."""
    member = member_template()
    data = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Keep AWS CloudTrail enabled across an organization: a StackSet and a protecting SCP.",
        "Parameters": parameters(member),
        "Resources": {STACK_SET: stack_set(member), SCP: scp_resource()},
        "Outputs": {
            "StackSetId": {"Value": {"Ref": STACK_SET}},
            "ServiceControlPolicyId": {"Value": {"Ref": SCP}},
        },
    }
    copied: Data = json.loads(json.dumps(data))
    return copied


def organization_template_yaml() -> str:
    return to_yaml_text(organization_template())
