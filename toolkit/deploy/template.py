"""The CloudFormation template of the whole pattern, for one account (and, with its role names fixed, for every
member account of the organization variant): where CloudTrail delivers (``toolkit.deploy.storage``: log bucket,
access-log bucket, trail key; or, with ``LogArchiveAccountId``, the organization's central ones), the automation
role, the runbook as an SSM document, five AWS Config managed rules each wired to the same automatic remediation,
the configuration recorder and delivery channel (``CreateConfigRecorder``), and the alarms
(``toolkit.deploy.alarm``: failed remediations, non-compliance, a scheduled delivery check).

Intrinsic functions are plain dicts (``{"Ref": ...}``, ``{"Fn::Sub": ...}``, ``{"Fn::GetAtt": [...]}``), so the
YAML (rendered by toolkit.render) has no custom tags. ``template()`` builds the data; nothing runs at import. Only
Ref, Fn::Sub, Fn::GetAtt, Fn::If, Fn::Equals/Not/And/Or, Condition and AWS::NoValue are used, on the resource
types ``runbook world --from-template`` instantiates.

Decisions where AWS or the issue is silent:
- Every rule passes the runbook the same static parameters: a trail the rule finds non-compliant (a decoy of
  someone else's, say) makes the runbook bring *the pattern's* trail to best practice, which is idempotent; a decoy
  that stays non-compliant exhausts its attempts and is reported (the alarm), never "fixed".
- ``cloudtrail-enabled`` and ``multi-region-cloudtrail-enabled`` name the log bucket (``s3BucketName``), so a
  trail delivering elsewhere is no evidence; the other three managed rules take no parameters.
- ``CreateConfigRecorder`` defaults to true: a member account without a recorder has no working rule at all, and
  an account that already records (Control Tower, another StackSet) must say false (one recorder per region). The
  recorder records every supported resource type (AWS::CloudTrail::Trail included) with the Config service-linked
  role, which must exist (``aws iam create-service-linked-role --aws-service-name config.amazonaws.com``); the
  delivery channel writes to the log bucket under ``config/``, created after the bucket's policy lets Config
  write (PutDeliveryChannel checks it). The rules reference the recorder (their
  description) so that CloudFormation creates it first when it creates it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.deploy.alarm import TOPIC, alarm_resources, automation_trust
from toolkit.deploy.iam import granted, implied_statements, trail_scoped_policy
from toolkit.deploy.intrinsics import Stack
from toolkit.deploy.names import DELIVERY_CHECK_NAME, DOCUMENT_NAME, KEY_ALIAS, LOG_BUCKET_SUB
from toolkit.deploy.storage import (
    BUCKET,
    HAS_ADMINISTRATOR,
    KEY,
    USE_OBJECT_LOCK,
    bucket_resources,
    key_resources,
)
from toolkit.documents import ReadDocument, read_runbook
from toolkit.project import find_runbook
from toolkit.render import to_yaml_text

Data = dict[str, Any]

PATTERN_RUNBOOK = DOCUMENT_NAME
"""The runbook the template deploys, found among the project's runbooks (``toolkit.project``); its module's
``representative_runs()`` hook gives the worlds whose calls its role is granted."""

ROLE = "AutomationRole"
DOCUMENT = "RemediationDocument"
RULE = "CloudTrailEnabledRule"
REMEDIATION = "CloudTrailRemediation"
RULE_NAME = "cloudtrail-enabled"
RECORDER = "CreateConfigRecorder"
"""The condition (and parameter) under which the recorder and delivery channel are created."""
CONFIG_RECORDER = "ConfigRecorder"
DELIVERY_CHANNEL = "ConfigDeliveryChannel"
CENTRAL = "UseCentralLogging"
OWN_STORAGE = "CreateLogStorage"


@dataclass(frozen=True)
class ManagedRule:
    """One AWS Config managed rule of the pattern and its remediation (logical ids, AWS's name and identifier, the
    InputParameters it is given: a parameter name -> its value)."""

    rule: str
    remediation: str
    name: str
    identifier: str
    inputs: tuple[tuple[str, Any], ...] = ()


MANAGED_RULES = (
    ManagedRule(RULE, REMEDIATION, RULE_NAME, "CLOUD_TRAIL_ENABLED", (("s3BucketName", "bucket"),)),
    ManagedRule(
        "MultiRegionCloudTrailRule",
        "MultiRegionCloudTrailRemediation",
        "multi-region-cloudtrail-enabled",
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        (("s3BucketName", "bucket"), ("readWriteType", "ALL"), ("includeManagementEvents", "true")),
    ),
    ManagedRule(
        "SecurityTrailRule",
        "SecurityTrailRemediation",
        "cloudtrail-security-trail-enabled",
        "CLOUDTRAIL_SECURITY_TRAIL_ENABLED",
    ),
    ManagedRule(
        "TrailEncryptionRule",
        "TrailEncryptionRemediation",
        "cloud-trail-encryption-enabled",
        "CLOUD_TRAIL_ENCRYPTION_ENABLED",
    ),
    ManagedRule(
        "LogFileValidationRule",
        "LogFileValidationRemediation",
        "cloud-trail-log-file-validation-enabled",
        "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
    ),
)
"""The rules that check what the runbook guarantees (AWS Config developer guide, each rule's page: identifiers
and parameters), every one remediated by the runbook with the same static parameters. ``"bucket"`` stands for the
log bucket's name."""

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

CONFIG_SERVICE_LINKED_ROLE = (
    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
)


def _string(description: str, default: str, pattern: str | None = None, max_length: int | None = None) -> Data:
    parameter: Data = {"Type": "String", "Description": description, "Default": default}
    if pattern is not None:
        parameter["AllowedPattern"] = pattern
    if max_length is not None:
        parameter["MaxLength"] = max_length
    return parameter


ROLE_ARN_PATTERN = r"^$|^arn:aws[-a-z]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$"
ADMINISTRATOR_PATTERN = r"^$|^arn:aws[-a-z]*:iam::(\d{12}|\*):role/[\w+=,.@/-]{1,127}\*?$"
"""A role's ARN; the account may be ``*`` (the same role in every account) and the name may end with ``*`` (roles
that IAM Identity Center creates with a suffix), never be ``*`` alone."""
ADMINISTRATOR_MAX_LENGTH = 160
"""Bounds the SCPs' size (the administrators' ARN appears in several statements)."""
TOPIC_NAME_PATTERN = r"^$|^[A-Za-z0-9_-]{1,256}$|^arn:aws[-a-z]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$"
LOG_GROUP_PATTERN = r"^$|^arn:aws[-a-z]*:logs:[a-z0-9-]+:\d{12}:log-group:[-._/#A-Za-z0-9]{1,512}:\*$"
ACCOUNT_PATTERN = r"^$|^\d{12}$"


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
        "SnsTopicName": _string("The SNS topic notified of log deliveries (empty: none).", "", TOPIC_NAME_PATTERN),
        "CloudWatchLogsLogGroupArn": _string("A CloudWatch Logs log group ARN (empty: none).", "", LOG_GROUP_PATTERN),
        "CloudWatchLogsRoleArn": _string(
            "The role of this account CloudTrail assumes to write to it (empty: none).", "", ROLE_ARN_PATTERN
        ),
        "AdministratorRoleArn": _string(
            "The role (ARN; account may be *) that alone may weaken the log bucket and key (empty: the account).",
            "",
            ADMINISTRATOR_PATTERN,
            ADMINISTRATOR_MAX_LENGTH,
        ),
        "LogArchiveAccountId": _string(
            "Deliver to the organization's log-archive account (its bucket and key) instead of this account's own.",
            "",
            ACCOUNT_PATTERN,
        ),
        "ObjectLockRetentionDays": {
            "Type": "Number",
            "Description": "S3 Object Lock in compliance mode on the log bucket for this many days (0: off).",
            "Default": 0,
            "MinValue": 0,
            "MaxValue": 36500,
        },
        "CreateConfigRecorder": {
            "Type": "String",
            "Description": "Create the AWS Config recorder and delivery channel (false where the account records).",
            "Default": "true",
            "AllowedValues": ["true", "false"],
        },
        "AlarmEmail": _string(
            "An e-mail address subscribed to the alarm topic (empty: none).", "", r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
        ),
        "DeliveryCheckSchedule": _string(
            "How often the delivery check runs (an EventBridge schedule expression).",
            "rate(1 hour)",
            r"^(rate|cron)\(.+\)$",
        ),
        "MaximumExecutionFrequency": {
            "Type": "String",
            "Description": "How often Config evaluates the rules.",
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


def _not_empty(name: str) -> Data:
    return {"Fn::Not": [{"Fn::Equals": [{"Ref": name}, ""]}]}


def conditions() -> Data:
    conditions: Data = {"IsOrganization": {"Fn::Equals": [{"Ref": "IsOrganizationTrail"}, "true"]}}
    for name in OPTIONAL_STRINGS.values():
        conditions[f"Has{name}"] = _not_empty(name)
    conditions[HAS_ADMINISTRATOR] = _not_empty("AdministratorRoleArn")
    conditions[CENTRAL] = _not_empty("LogArchiveAccountId")
    conditions[OWN_STORAGE] = {"Fn::Equals": [{"Ref": "LogArchiveAccountId"}, ""]}
    conditions[USE_OBJECT_LOCK] = {"Fn::Not": [{"Fn::Equals": [{"Ref": "ObjectLockRetentionDays"}, "0"]}]}
    conditions[RECORDER] = {"Fn::Equals": [{"Ref": "CreateConfigRecorder"}, "true"]}
    conditions["HasAlarmEmail"] = _not_empty("AlarmEmail")
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
        },
        "CentralLoggingNeedsOrganizationId": {
            "RuleCondition": {"Fn::Not": [{"Fn::Equals": [{"Ref": "LogArchiveAccountId"}, ""]}]},
            "Assertions": [
                {
                    "Assert": {"Fn::Equals": [{"Ref": "IsOrganizationTrail"}, "false"]},
                    "AssertDescription": "Central logging is for member accounts' own trails, not organization trails.",
                }
            ],
        },
    }


def bucket_name() -> Data:
    """The bucket the trail delivers to: this account's, or the log-archive account's."""
    own = {"Ref": BUCKET}
    central = {"Fn::Sub": LOG_BUCKET_SUB.replace("${Account}", "${LogArchiveAccountId}")}
    return {"Fn::If": [CENTRAL, central, own]}


def key_arn() -> Data:
    """The key the trail encrypts with: this account's, or the log-archive account's (by its alias's ARN)."""
    central = {"Fn::Sub": f"arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{LogArchiveAccountId}}:{KEY_ALIAS}"}
    return {"Fn::If": [CENTRAL, central, {"Fn::GetAtt": [KEY, "Arn"]}]}


def described_key() -> Data:
    """What the remediation role may describe: this account's key, or a key of the log-archive account (IAM
    authorizes kms:DescribeKey by alias on the key behind it, whose id this template cannot know)."""
    central = {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${LogArchiveAccountId}:key/*"}
    return {"Fn::If": [CENTRAL, central, {"Fn::GetAtt": [KEY, "Arn"]}]}


def pattern_runbook() -> ReadDocument:
    """The runbook the template deploys, as the project's runbooks hold it."""
    return read_runbook(PATTERN_RUNBOOK)


def delivery_check_runbook() -> ReadDocument | None:
    """The delivery check runbook, when the project has it (``runbooks/cloudtrail_delivery_check.py``)."""
    return read_runbook(DELIVERY_CHECK_NAME) if find_runbook(DELIVERY_CHECK_NAME) is not None else None


def bucket_arn() -> Data:
    """The ARN of the bucket the trail delivers to (``bucket_name``): what the remediation role may locate."""
    name = LOG_BUCKET_SUB.replace("${Account}", "${LogArchiveAccountId}")
    return {"Fn::If": [CENTRAL, {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{name}"}, {"Fn::GetAtt": [BUCKET, "Arn"]}]}


def pattern_policy(trail_arn: Any = None, key: Any = None, bucket: Any = None) -> Data:
    """The deployed runbook's least-privilege policy, trail actions scoped to ``trail_arn`` (default: the
    ``Fn::Sub`` ARN of the template's ``TrailName``), kms:DescribeKey to ``key`` (default: ``described_key()``),
    s3:GetBucketLocation (the runbook's owner check) to ``bucket`` (default: ``bucket_arn()``)."""
    return trail_scoped_policy(
        pattern_runbook(),
        trail_arn,
        described_key() if key is None else key,
        bucket_arn() if bucket is None else bucket,
    )


def role_policy() -> Data:
    """The runbook's generated policy plus the statements AWS implies for it, each under its condition."""
    policy = pattern_policy()
    policy["Statement"] = [*policy["Statement"], *implied_statements(granted(policy))]
    return policy


def role_resource(policy: Data, role_name: str | None = None) -> Data:
    trust = automation_trust()
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
        "CloudTrailS3BucketName": _static(bucket_name()),
        "CloudTrailKmsKeyId": _static(key_arn()),
        "AutomationAssumeRole": _static({"Fn::GetAtt": [ROLE, "Arn"]}),
        "IsOrganizationTrail": _static({"Ref": "IsOrganizationTrail"}),
    }
    values.update({name: _static(value) for name, value in FLAGS.items()})
    # Central logging: the runbook refuses a bucket or key of another account unless the remediation allows it
    # (the SCP protects remediation configurations, so nobody can widen this).
    values["AllowedLogAccountIds"] = {
        "Fn::If": [CENTRAL, _static({"Ref": "LogArchiveAccountId"}), {"Ref": "AWS::NoValue"}]
    }
    for runbook_name, name in OPTIONAL_STRINGS.items():
        values[runbook_name] = {"Fn::If": [f"Has{name}", _static({"Ref": name}), {"Ref": "AWS::NoValue"}]}
    return values


def _rule(spec: ManagedRule) -> Data:
    recorded = {"Fn::Sub": f"{spec.name}, evaluated on what ${{{CONFIG_RECORDER}}} records."}
    properties: Data = {
        "ConfigRuleName": spec.name,
        "Description": {"Fn::If": [RECORDER, recorded, f"{spec.name}, the CloudTrail remediation pattern's rule."]},
        "Source": {"Owner": "AWS", "SourceIdentifier": spec.identifier},
        "MaximumExecutionFrequency": {"Ref": "MaximumExecutionFrequency"},
    }
    if spec.inputs:
        properties["InputParameters"] = {
            name: bucket_name() if value == "bucket" else value for name, value in spec.inputs
        }
    return {"Type": "AWS::Config::ConfigRule", "Properties": properties}


def _remediation(spec: ManagedRule) -> Data:
    return {
        "Type": "AWS::Config::RemediationConfiguration",
        "Properties": {
            "ConfigRuleName": {"Ref": spec.rule},
            "TargetType": "SSM_DOCUMENT",
            "TargetId": {"Ref": DOCUMENT},
            "TargetVersion": "$DEFAULT",
            "Automatic": True,
            "MaximumAutomaticAttempts": {"Ref": "MaximumAutomaticAttempts"},
            "RetryAttemptSeconds": {"Ref": "RetryAttemptSeconds"},
            "Parameters": remediation_parameters(),
        },
    }


def _bucket_once_config_may_write() -> Data:
    """The delivery channel's bucket, referring to the log bucket's policy too: PutDeliveryChannel fails with
    InsufficientDeliveryPolicyException unless the bucket policy already lets AWS Config write (its
    ``AWSConfigBucketCheck`` and ``AWSConfigWrite`` statements), so the channel must be created after the policy.
    ``DependsOn`` cannot say so: the policy exists only with ``CreateLogStorage`` (CloudFormation refuses a
    DependsOn on a resource whose condition is false), so the reference sits in the own-storage branch of
    ``Fn::If``, ``Fn::Select`` keeping the bucket's name."""
    own = {"Fn::Select": [0, [{"Ref": BUCKET}, {"Ref": f"{BUCKET}Policy"}]]}
    central = {"Fn::Sub": LOG_BUCKET_SUB.replace("${Account}", "${LogArchiveAccountId}")}
    return {"Fn::If": [CENTRAL, central, own]}


def recorder_resources() -> Data:
    """The configuration recorder (every supported resource type, the Config service-linked role) and its delivery
    channel (the log bucket, under ``config/``), where ``CreateConfigRecorder`` is true."""
    return {
        CONFIG_RECORDER: {
            "Type": "AWS::Config::ConfigurationRecorder",
            "Condition": RECORDER,
            "Properties": {
                "Name": "default",
                "RoleARN": {"Fn::Sub": CONFIG_SERVICE_LINKED_ROLE},
                "RecordingGroup": {"AllSupported": True, "IncludeGlobalResourceTypes": True},
            },
        },
        DELIVERY_CHANNEL: {
            "Type": "AWS::Config::DeliveryChannel",
            "Condition": RECORDER,
            "Properties": {
                "Name": "default",
                "S3BucketName": _bucket_once_config_may_write(),
                "S3KeyPrefix": "config",
                "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "TwentyFour_Hours"},
            },
        },
    }


def config_resources(content: Data) -> Data:
    """The runbook as the document ``cloudtrail-remediation-action`` and every managed rule with its remediation."""
    resources: Data = {
        DOCUMENT: {
            "Type": "AWS::SSM::Document",
            "Properties": {
                "Name": DOCUMENT_NAME,
                "DocumentType": "Automation",
                "DocumentFormat": "YAML",
                "UpdateMethod": "NewVersion",
                "Content": content,
            },
        },
    }
    for spec in MANAGED_RULES:
        resources[spec.rule] = _rule(spec)
        resources[spec.remediation] = _remediation(spec)
    return resources


def outputs() -> Data:
    return {
        "LogBucketName": {"Value": bucket_name()},
        "KmsKeyArn": {"Value": key_arn()},
        "AutomationRoleArn": {"Value": {"Fn::GetAtt": [ROLE, "Arn"]}},
        "DocumentName": {"Value": {"Ref": DOCUMENT}},
        "AlarmTopicArn": {"Value": {"Ref": TOPIC}},
    }


def template(role_name: str | None = None, *, documents: Mapping[str, Data | None] | None = None) -> Data:
    """The whole stack as template data (deterministic: the same toolkit gives the same template). ``role_name``
    fixes the automation role's name and makes it the organization variant's member template (deployed by a
    StackSet: the roles get fixed names, so the SCP can name them; the StackSet's execution role administers).
    ``documents`` gives the documents' contents by name (default: the project's runbooks; the delivery check's
    only when the project has it, else the template has no such document and its schedule starts the one of that
    name in the account)."""
    stack_set = role_name is not None
    if documents is None:
        check = delivery_check_runbook()
        documents = {DOCUMENT_NAME: pattern_runbook().data, DELIVERY_CHECK_NAME: check.data if check else None}
    content = documents[DOCUMENT_NAME]
    assert content is not None, "the remediation runbook's content"
    data = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Keep AWS CloudTrail enabled and delivering: Config rules with automatic remediation, "
        "protected storage, alarms.",
        "Parameters": parameters(),
        "Rules": rules(),
        "Conditions": conditions(),
        "Resources": {
            **bucket_resources(central=False, stack_set=stack_set, condition=OWN_STORAGE),
            **key_resources(central=False, stack_set=stack_set, condition=OWN_STORAGE),
            **role_resource(role_policy(), role_name),
            **config_resources(content),
            **recorder_resources(),
            **alarm_resources([spec.name for spec in MANAGED_RULES], documents.get(DELIVERY_CHECK_NAME), stack_set),
        },
        "Outputs": outputs(),
    }
    # A fresh copy shares no sub-object, so the YAML has no anchors or aliases (CloudFormation rejects them).
    copied: Data = json.loads(json.dumps(data))
    return copied


def template_yaml() -> str:
    return to_yaml_text(template())


def _with_arns(value: Any, arns: Mapping[str, str]) -> Any:
    """``value`` with each ``Fn::GetAtt [resource, Arn]`` of ``arns`` replaced by the ARN that resource got."""
    if isinstance(value, dict):
        target = value.get("Fn::GetAtt")
        if len(value) == 1 and isinstance(target, list) and target[1:] == ["Arn"] and target[0] in arns:
            return arns[target[0]]
        return {name: _with_arns(item, arns) for name, item in value.items()}
    if isinstance(value, list):
        return [_with_arns(item, arns) for item in value]
    return value


def deployed_role(
    *,
    account: str,
    region: str,
    partition: str = "aws",
    trail_name: str,
    role_name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    key_arn: str | None = None,
    bucket: str | None = None,
) -> Data:
    """The remediation role a stack of this template creates (trust and policy exactly as generated, intrinsic
    functions evaluated for the stack's account, region and parameters), as a world file's ``Roles`` entry.
    ``key_arn`` is the ARN the stack's own key got and ``bucket`` its log bucket's name (the role may describe only
    that key and locate only that bucket); without them, any key of the account and region, any bucket (for
    callers that keep their own key and bucket, such as the benchmarks and the representative worlds)."""
    arns = {
        KEY: key_arn or f"arn:{partition}:kms:{region}:{account}:key/*",
        BUCKET: f"arn:{partition}:s3:::{bucket or '*'}",
    }
    stack = Stack(
        _with_arns(template(role_name), arns),
        {"TrailName": trail_name, **(parameters or {})},
        account=account,
        region=region,
        partition=partition,
    )
    return stack.role(ROLE)
