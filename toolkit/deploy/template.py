"""The CloudFormation template of the whole pattern: log bucket, KMS key, automation role, the runbook as an
SSM document, the ``cloudtrail-enabled`` Config rule and its automatic remediation.

Intrinsic functions are plain dicts (``{"Ref": ...}``, ``{"Fn::Sub": ...}``, ``{"Fn::GetAtt": [...]}``), so the
YAML (rendered by toolkit.render) has no custom tags. ``template()`` builds the data; nothing runs at import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from toolkit.deploy.iam import TRAIL_ARN, granted, implied_statements, trail_scoped_policy
from toolkit.deploy.intrinsics import Stack
from toolkit.documents import ReadDocument, read_runbook
from toolkit.render import to_yaml_text

Data = dict[str, Any]

PATTERN_RUNBOOK = "cloudtrail-remediation-action"
"""The runbook the template deploys, found among the project's runbooks (``toolkit.project``); its module's
``representative_runs()`` hook gives the worlds whose calls its role is granted."""

BUCKET = "LogBucket"
KEY = "TrailKey"
ROLE = "AutomationRole"
DOCUMENT = "RemediationDocument"
RULE = "CloudTrailEnabledRule"
REMEDIATION = "CloudTrailRemediation"
RULE_NAME = "cloudtrail-enabled"

FREQUENCIES = ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"]
MAX_ATTEMPTS = (1, 25)
"""MaximumAutomaticAttempts' range (botocore's config model: AutoRemediationAttempts)."""
RETRY_SECONDS = (1, 2678000)
"""RetryAttemptSeconds' range (botocore's config model: AutoRemediationAttemptSeconds)."""

OPTIONAL_STRINGS = {
    "CloudTrailS3KeyPrefix": "S3KeyPrefix",
    "CloudTrailSnsTopicName": "SnsTopicName",
    "CloudWatchLogsLogGroupArn": "CloudWatchLogsLogGroupArn",
    "CloudWatchLogsRoleArn": "CloudWatchLogsRoleArn",
}
"""Optional runbook parameters -> the template parameter giving them (passed only when not empty: Config's
static values are 1-256 characters)."""

FLAGS = {
    "IsMultiRegionTrail": "true",
    "IncludeGlobalServiceEvents": "true",
    "EnableLogFileValidation": "true",
}
"""Best-practice flags, passed as fixed static values."""

AUTOMATION_EXECUTIONS = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:automation-execution/*"
_TRAIL_ARN: Data = {"Fn::Sub": TRAIL_ARN}
_CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}
_ROOT = {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}

KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
]
"""What the account (through IAM) may do with the key: administer it, never use it to encrypt."""


def _string(description: str, default: str, pattern: str | None = None) -> Data:
    parameter: Data = {"Type": "String", "Description": description, "Default": default}
    if pattern is not None:
        parameter["AllowedPattern"] = pattern
    return parameter


def parameters() -> Data:
    return {
        "TrailName": _string("The trail to keep enabled.", "management-events", r"^[A-Za-z0-9][-A-Za-z0-9_.]{2,127}$"),
        "IsOrganizationTrail": {
            "Type": "String",
            "Description": "Make it an organization trail (deploy in the management account).",
            "Default": "false",
            "AllowedValues": ["true", "false"],
        },
        "OrganizationId": _string("The organization's id (for an organization trail).", "", r"^$|^o-[a-z0-9]{10,32}$"),
        "S3KeyPrefix": _string("The S3 key prefix for log files (empty: none).", "", r"^$|^[^\s/][^\s]{0,199}$"),
        "SnsTopicName": _string("The SNS topic notified of log deliveries (empty: none).", ""),
        "CloudWatchLogsLogGroupArn": _string("A CloudWatch Logs log group ARN (empty: none).", ""),
        "CloudWatchLogsRoleArn": _string("The role CloudTrail assumes to write to it (empty: none).", ""),
        "MaximumExecutionFrequency": {
            "Type": "String",
            "Description": "How often Config evaluates the rule.",
            "Default": "One_Hour",
            "AllowedValues": FREQUENCIES,
        },
        "MaximumAutomaticAttempts": {
            "Type": "Number",
            "Description": "Automatic remediation attempts before Config gives up.",
            "Default": 5,
            "MinValue": MAX_ATTEMPTS[0],
            "MaxValue": MAX_ATTEMPTS[1],
        },
        "RetryAttemptSeconds": {
            "Type": "Number",
            "Description": "The period in which the attempts are counted.",
            "Default": 60,
            "MinValue": RETRY_SECONDS[0],
            "MaxValue": RETRY_SECONDS[1],
        },
    }


def conditions() -> Data:
    conditions: Data = {"IsOrganization": {"Fn::Equals": [{"Ref": "IsOrganizationTrail"}, "true"]}}
    for name in OPTIONAL_STRINGS.values():
        conditions[f"Has{name}"] = {"Fn::Not": [{"Fn::Equals": [{"Ref": name}, ""]}]}
    return conditions


def rules() -> Data:
    return {
        "OrganizationTrailNeedsId": {
            "RuleCondition": {"Fn::Equals": [{"Ref": "IsOrganizationTrail"}, "true"]},
            "Assertions": [
                {
                    "Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "OrganizationId"}, ""]}]},
                    "AssertDescription": "An organization trail needs OrganizationId (its log path).",
                }
            ],
        }
    }


def _logs_path(account_part: str) -> Data:
    """The bucket objects CloudTrail writes for ``account_part`` (an account id or organization id)."""
    return {
        "Fn::If": [
            "HasS3KeyPrefix",
            {"Fn::Sub": f"${{{BUCKET}.Arn}}/${{S3KeyPrefix}}/AWSLogs/{account_part}/*"},
            {"Fn::Sub": f"${{{BUCKET}.Arn}}/AWSLogs/{account_part}/*"},
        ]
    }


def _write_statement(sid: str, resource: Data) -> Data:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": _CLOUDTRAIL,
        "Action": "s3:PutObject",
        "Resource": resource,
        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": _TRAIL_ARN}},
    }


def bucket_resources() -> Data:
    bucket_arn = {"Fn::GetAtt": [BUCKET, "Arn"]}
    bucket = {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        },
    }
    statements = [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn, {"Fn::Sub": f"${{{BUCKET}.Arn}}/*"}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": _CLOUDTRAIL,
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": {"aws:SourceArn": _TRAIL_ARN}},
        },
        _write_statement("AWSCloudTrailWrite", _logs_path("${AWS::AccountId}")),
        {
            "Fn::If": [
                "IsOrganization",
                _write_statement("AWSCloudTrailOrganizationWrite", _logs_path("${OrganizationId}")),
                {"Ref": "AWS::NoValue"},
            ]
        },
    ]
    policy = {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": BUCKET},
            "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
        },
    }
    return {BUCKET: bucket, f"{BUCKET}Policy": policy}


def key_resource() -> Data:
    statements = [
        {
            "Sid": "AccountAdministersKey",
            "Effect": "Allow",
            "Principal": _ROOT,
            "Action": KEY_ADMIN_ACTIONS,
            "Resource": "*",
        },
        {
            "Sid": "CloudTrailEncryptsLogs",
            "Effect": "Allow",
            "Principal": _CLOUDTRAIL,
            "Action": "kms:GenerateDataKey",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": _TRAIL_ARN, "kms:EncryptionContext:aws:cloudtrail:arn": _TRAIL_ARN}
            },
        },
        {
            "Sid": "CloudTrailDescribesKey",
            "Effect": "Allow",
            "Principal": _CLOUDTRAIL,
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": _TRAIL_ARN}},
        },
        {
            "Sid": "AccountReadsLogs",
            "Effect": "Allow",
            "Principal": _ROOT,
            "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}},
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": {
                        "Fn::Sub": "arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"
                    }
                },
            },
        },
    ]
    return {
        KEY: {
            "Type": "AWS::KMS::Key",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Description": "Encrypts CloudTrail log files",
                "EnableKeyRotation": True,
                "KeyPolicy": {"Version": "2012-10-17", "Statement": statements},
            },
        }
    }


def pattern_runbook() -> ReadDocument:
    """The runbook the template deploys, as the project's runbooks hold it."""
    return read_runbook(PATTERN_RUNBOOK)


def pattern_policy(trail_arn: Any = None) -> Data:
    """The deployed runbook's least-privilege policy, trail actions scoped to ``trail_arn`` (default: the
    ``Fn::Sub`` ARN of the template's ``TrailName``)."""
    return trail_scoped_policy(pattern_runbook(), trail_arn)


def role_policy() -> Data:
    """The runbook's generated policy plus the statements AWS implies for it, each under its condition."""
    policy = pattern_policy()
    policy["Statement"] = [*policy["Statement"], *implied_statements(granted(policy))]
    return policy


def role_resource(policy: Data, role_name: str | None = None) -> Data:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ssm.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                    "ArnLike": {"aws:SourceArn": {"Fn::Sub": AUTOMATION_EXECUTIONS}},
                },
            }
        ],
    }
    properties: Data = {
        "Description": f"Assumed by Automation to run {PATTERN_RUNBOOK}",
        "AssumeRolePolicyDocument": trust,
        "Policies": [{"PolicyName": "runbook-least-privilege", "PolicyDocument": policy}],
    }
    if role_name is not None:
        properties = {"RoleName": role_name, **properties}
    return {ROLE: {"Type": "AWS::IAM::Role", "Properties": properties}}


def _static(value: Any) -> Data:
    return {"StaticValue": {"Values": [value]}}


def remediation_parameters() -> Data:
    values: Data = {
        "CloudTrailName": _static({"Ref": "TrailName"}),
        "CloudTrailS3BucketName": _static({"Ref": BUCKET}),
        "CloudTrailKmsKeyId": _static({"Fn::GetAtt": [KEY, "Arn"]}),
        "AutomationAssumeRole": _static({"Fn::GetAtt": [ROLE, "Arn"]}),
        "IsOrganizationTrail": _static({"Ref": "IsOrganizationTrail"}),
    }
    values.update({name: _static(value) for name, value in FLAGS.items()})
    for runbook_name, name in OPTIONAL_STRINGS.items():
        values[runbook_name] = {"Fn::If": [f"Has{name}", _static({"Ref": name}), {"Ref": "AWS::NoValue"}]}
    return values


def config_resources(content: Data) -> Data:
    return {
        DOCUMENT: {
            "Type": "AWS::SSM::Document",
            "Properties": {
                "DocumentType": "Automation",
                "DocumentFormat": "YAML",
                "UpdateMethod": "NewVersion",
                "Content": content,
            },
        },
        RULE: {
            "Type": "AWS::Config::ConfigRule",
            "Properties": {
                "ConfigRuleName": RULE_NAME,
                "Description": "CloudTrail is enabled in this account.",
                "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"},
                "MaximumExecutionFrequency": {"Ref": "MaximumExecutionFrequency"},
            },
        },
        REMEDIATION: {
            "Type": "AWS::Config::RemediationConfiguration",
            "DependsOn": [f"{BUCKET}Policy"],
            "Properties": {
                "ConfigRuleName": {"Ref": RULE},
                "TargetType": "SSM_DOCUMENT",
                "TargetId": {"Ref": DOCUMENT},
                "TargetVersion": "$DEFAULT",
                "Automatic": True,
                "MaximumAutomaticAttempts": {"Ref": "MaximumAutomaticAttempts"},
                "RetryAttemptSeconds": {"Ref": "RetryAttemptSeconds"},
                "Parameters": remediation_parameters(),
            },
        },
    }


def outputs() -> Data:
    return {
        "LogBucketName": {"Value": {"Ref": BUCKET}},
        "KmsKeyArn": {"Value": {"Fn::GetAtt": [KEY, "Arn"]}},
        "AutomationRoleArn": {"Value": {"Fn::GetAtt": [ROLE, "Arn"]}},
        "DocumentName": {"Value": {"Ref": DOCUMENT}},
    }


def template(role_name: str | None = None) -> Data:
    """The whole stack as template data (deterministic: the same toolkit gives the same template). ``role_name``
    fixes the automation role's name (the organization variant's members, so its SCP can name the role)."""
    content = pattern_runbook().data
    data = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Keep AWS CloudTrail enabled: Config rule cloudtrail-enabled with automatic remediation.",
        "Parameters": parameters(),
        "Rules": rules(),
        "Conditions": conditions(),
        "Resources": {
            **bucket_resources(),
            **key_resource(),
            **role_resource(role_policy(), role_name),
            **config_resources(content),
        },
        "Outputs": outputs(),
    }
    # A fresh copy shares no sub-object, so the YAML has no anchors or aliases (CloudFormation rejects them).
    copied: Data = json.loads(json.dumps(data))
    return copied


def template_yaml() -> str:
    return to_yaml_text(template())


def deployed_role(
    *,
    account: str,
    region: str,
    partition: str = "aws",
    trail_name: str,
    role_name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Data:
    """The remediation role a stack of this template creates (trust and policy exactly as generated, intrinsic
    functions evaluated for the stack's account, region and parameters), as a world file's ``Roles`` entry."""
    stack = Stack(
        template(role_name),
        {"TrailName": trail_name, **(parameters or {})},
        account=account,
        region=region,
        partition=partition,
    )
    return stack.role(ROLE)
