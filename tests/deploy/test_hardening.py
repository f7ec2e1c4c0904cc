"""The audit's findings, each fixed in the single-account template (issue 16) and shown by evaluating the deployed
policies (intrinsic functions resolved for a stack, ``toolkit.deploy.intrinsics``) with ``toolkit.iam.policy``:
the log bucket (fixed name, access logging to a hardened second bucket, Object Lock in compliance mode as an
option, a policy that lets nobody but the administrators weaken it or delete logs), the trail key (the account no
longer administers it destructively, the administrators keep PutKeyPolicy so KMS's lockout check passes, an
alias), the five managed rules each wired to the remediation, the recorder, the alarms and the delivery check,
the parameters' patterns, and the remediation role's resources."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest

from toolkit.deploy.alarm import (
    ALARM_KEY,
    DELIVERY_CHECK_DOCUMENT,
    DELIVERY_CHECK_ROLE,
    FAILED_RULE,
    NONCOMPLIANT_RULE,
    SCHEDULE,
    SCHEDULER_ROLE,
    SUBSCRIPTION,
    TOPIC,
    TOPIC_POLICY,
)
from toolkit.deploy.checks import check_wiring
from toolkit.deploy.iam import arn_patterns
from toolkit.deploy.intrinsics import Stack
from toolkit.deploy.names import DELIVERY_CHECK_NAME, DOCUMENT_NAME
from toolkit.deploy.storage import (
    ACCESS_LOG_BUCKET,
    ACCESS_LOG_BUCKET_POLICY,
    BUCKET,
    BUCKET_POLICY,
    BUCKET_PROTECTED_ACTIONS,
    KEY,
    KEY_ALIAS_RESOURCE,
    KEY_DESTRUCTIVE_ACTIONS,
    OBJECT_PROTECTED_ACTIONS,
)
from toolkit.deploy.template import (
    CONFIG_RECORDER,
    DELIVERY_CHANNEL,
    MANAGED_RULES,
    REMEDIATION,
    ROLE,
    parameters,
    template,
)
from toolkit.iam.context import request_context
from toolkit.iam.policy import Policy

from .test_template import fresh, policy_statements

ACCOUNT = "123456789012"
ADMIN = "arn:aws:iam::*:role/OrgAdmin"
ADMIN_IN_ACCOUNT = f"arn:aws:iam::{ACCOUNT}:role/OrgAdmin"
ORDINARY = f"arn:aws:iam::{ACCOUNT}:role/Developer"
EXECUTION = f"arn:aws:iam::{ACCOUNT}:role/stacksets-exec-0123456789abcdef"
BUCKET_NAME = f"cloudtrail-logs-{ACCOUNT}-us-east-1"
PLACEHOLDERS = {DOCUMENT_NAME: {"schemaVersion": "0.3"}, DELIVERY_CHECK_NAME: {"schemaVersion": "0.3"}}


@cache
def single() -> dict[str, Any]:
    return template(documents=PLACEHOLDERS)


@cache
def member() -> dict[str, Any]:
    return template("CloudTrailRemediationAutomation", documents=PLACEHOLDERS)


def properties(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = data["Resources"][name]["Properties"]
    return found


TOPIC_ARN = f"arn:aws:sns:us-east-1:{ACCOUNT}:cloudtrail-remediation-alarm"


def named(value: Any) -> Any:
    """``value`` with Ref of the log bucket and the alarm topic replaced by what the stack's resources get."""
    if value == {"Ref": BUCKET}:
        return BUCKET_NAME
    if value == {"Ref": TOPIC}:
        return TOPIC_ARN
    if isinstance(value, dict):
        return {key: named(item) for key, item in value.items()}
    if isinstance(value, list):
        return [named(item) for item in value]
    if isinstance(value, str):
        return value.replace("${" + TOPIC + "}", TOPIC_ARN)
    return value


def resolved(data: dict[str, Any], value: Any, **params: Any) -> Any:
    return Stack(data, params, account=ACCOUNT, region="us-east-1").resolve(named(value))


def policy(data: dict[str, Any], resource: str, key: str, **params: Any) -> Policy:
    return Policy(resolved(data, properties(data, resource)[key], **params))


def decide(document: Policy, who: str, action: str, resource: str, **keys: str) -> str | None:
    return document.decide(("AWS", who), action, resource, request_context({"aws:PrincipalArn": who, **keys}))


# -- the log bucket -------------------------------------------------------------------------------------------------


def test_the_buckets_have_the_names_the_policies_fix() -> None:
    assert resolved(single(), properties(single(), BUCKET)["BucketName"]) == BUCKET_NAME
    assert resolved(single(), properties(single(), ACCESS_LOG_BUCKET)["BucketName"]) == (
        f"cloudtrail-logs-access-{ACCOUNT}-us-east-1"
    )


def test_access_logging_goes_to_a_hardened_second_bucket() -> None:
    bucket = properties(single(), BUCKET)
    assert bucket["LoggingConfiguration"] == {"DestinationBucketName": {"Ref": ACCESS_LOG_BUCKET},
                                              "LogFilePrefix": "cloudtrail-logs/"}  # fmt: skip
    logs = properties(single(), ACCESS_LOG_BUCKET)
    assert set(logs["PublicAccessBlockConfiguration"].values()) == {True}
    assert logs["VersioningConfiguration"] == {"Status": "Enabled"}
    assert logs["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    access = policy(single(), ACCESS_LOG_BUCKET_POLICY, "PolicyDocument", AdministratorRoleArn=ADMIN)
    target = f"arn:aws:s3:::cloudtrail-logs-access-{ACCOUNT}-us-east-1/cloudtrail-logs/2026-01-01"
    service = ("Service", "logging.s3.amazonaws.com")
    context = {
        "aws:SourceArn": f"arn:aws:s3:::{BUCKET_NAME}",
        "aws:SourceAccount": ACCOUNT,
        "aws:SecureTransport": "true",
    }
    assert access.decide(service, "s3:PutObject", target, request_context(context)) == "Allow"
    other = {**context, "aws:SourceArn": "arn:aws:s3:::someone-elses"}
    assert access.decide(service, "s3:PutObject", target, request_context(other)) is None
    assert decide(access, ORDINARY, "s3:DeleteObject", target, **{"aws:SecureTransport": "true"}) == "Deny"


def test_object_lock_in_compliance_mode_is_an_option_with_retention_days() -> None:
    bucket = properties(single(), BUCKET)
    off = resolved(single(), {"ObjectLockEnabled": bucket["ObjectLockEnabled"],
                              "ObjectLockConfiguration": bucket["ObjectLockConfiguration"]})  # fmt: skip
    assert off == {}
    on = resolved(single(), {"ObjectLockEnabled": bucket["ObjectLockEnabled"],
                             "ObjectLockConfiguration": bucket["ObjectLockConfiguration"]},
                  ObjectLockRetentionDays=365)  # fmt: skip
    assert on == {
        "ObjectLockEnabled": True,
        "ObjectLockConfiguration": {
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": "365"}},
        },
    }


@pytest.mark.parametrize("action", BUCKET_PROTECTED_ACTIONS)
def test_only_the_administrators_may_weaken_the_bucket(action: str) -> None:
    document = policy(single(), BUCKET_POLICY, "PolicyDocument", AdministratorRoleArn=ADMIN)
    bucket = f"arn:aws:s3:::{BUCKET_NAME}"
    tls = {"aws:SecureTransport": "true"}
    assert decide(document, ORDINARY, action, bucket, **tls) == "Deny"
    assert decide(document, f"arn:aws:iam::{ACCOUNT}:root", action, bucket, **tls) == "Deny"
    assert decide(document, ADMIN_IN_ACCOUNT, action, bucket, **tls) is None
    assert decide(document, EXECUTION, action, bucket, **tls) == "Deny"  # not a StackSet's stack
    stack_set = policy(member(), BUCKET_POLICY, "PolicyDocument", AdministratorRoleArn=ADMIN)
    assert decide(stack_set, EXECUTION, action, bucket, **tls) is None


@pytest.mark.parametrize("action", OBJECT_PROTECTED_ACTIONS)
def test_only_the_administrators_may_delete_logs(action: str) -> None:
    document = policy(single(), BUCKET_POLICY, "PolicyDocument", AdministratorRoleArn=ADMIN)
    log = f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2026/01/01/x.json.gz"
    assert decide(document, ORDINARY, action, log, **{"aws:SecureTransport": "true"}) == "Deny"
    assert decide(document, ADMIN_IN_ACCOUNT, action, log, **{"aws:SecureTransport": "true"}) is None


def test_without_an_administrators_role_the_bucket_keeps_no_tampering_deny() -> None:
    """The documented fallback: nobody named, nobody locked out (the threat model says what that leaves)."""
    document = resolved(single(), properties(single(), BUCKET_POLICY)["PolicyDocument"])
    sids = [statement["Sid"] for statement in document["Statement"]]
    assert "DenyBucketChangesExceptAdministrators" not in sids
    named = resolved(single(), properties(single(), BUCKET_POLICY)["PolicyDocument"], AdministratorRoleArn=ADMIN)
    assert "DenyBucketChangesExceptAdministrators" in [statement["Sid"] for statement in named["Statement"]]


def test_cloudtrail_and_config_deliver_into_the_bucket() -> None:
    document = policy(single(), BUCKET_POLICY, "PolicyDocument", AdministratorRoleArn=ADMIN)
    trail = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management-events"
    cloudtrail = ("Service", "cloudtrail.amazonaws.com")
    keys = {"aws:SourceArn": trail, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "true"}
    log = f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz"
    assert document.decide(cloudtrail, "s3:PutObject", log, request_context(keys)) == "Allow"
    decoy = {**keys, "aws:SourceArn": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/decoy"}
    assert document.decide(cloudtrail, "s3:PutObject", log, request_context(decoy)) is None
    config = ("Service", "config.amazonaws.com")
    keys = {"aws:SourceAccount": ACCOUNT, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "true"}
    snapshot = f"arn:aws:s3:::{BUCKET_NAME}/config/AWSLogs/{ACCOUNT}/Config/us-east-1/x.json.gz"
    assert document.decide(config, "s3:PutObject", snapshot, request_context(keys)) == "Allow"


# -- the key -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", KEY_DESTRUCTIVE_ACTIONS)
def test_the_account_no_longer_administers_the_key_destructively(action: str) -> None:
    document = policy(single(), KEY, "KeyPolicy", AdministratorRoleArn=ADMIN)
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"
    assert decide(document, ORDINARY, action, key) is None
    assert decide(document, f"arn:aws:iam::{ACCOUNT}:root", action, key) is None
    assert decide(document, ADMIN_IN_ACCOUNT, action, key) == "Allow"
    stack_set = policy(member(), KEY, "KeyPolicy", AdministratorRoleArn=ADMIN)
    assert decide(stack_set, EXECUTION, action, key) == "Allow"  # who creates and updates the member's key


def test_the_lockout_safety_check_is_satisfied_by_whoever_deploys() -> None:
    """KMS refuses a key policy that would not let the caller of CreateKey call PutKeyPolicy later: the deployer is
    the administrators' role (single account) or the StackSet's execution role (members); the template never sets
    BypassPolicyLockoutSafetyCheck."""
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"
    assert decide(policy(single(), KEY, "KeyPolicy", AdministratorRoleArn=ADMIN), ADMIN_IN_ACCOUNT, "kms:PutKeyPolicy",
                  key) == "Allow"  # fmt: skip
    assert decide(policy(member(), KEY, "KeyPolicy"), EXECUTION, "kms:PutKeyPolicy", key) == "Allow"
    assert decide(policy(single(), KEY, "KeyPolicy"), ORDINARY, "kms:PutKeyPolicy", key) == "Allow"  # fallback
    assert "BypassPolicyLockoutSafetyCheck" not in json.dumps(single())


def test_the_account_may_still_read_and_restore_the_key() -> None:
    document = policy(single(), KEY, "KeyPolicy", AdministratorRoleArn=ADMIN)
    for action in ("kms:DescribeKey", "kms:EnableKey", "kms:CancelKeyDeletion", "kms:EnableKeyRotation"):
        assert decide(document, ORDINARY, action, "*") == "Allow"


def test_the_key_has_its_alias() -> None:
    alias = properties(single(), KEY_ALIAS_RESOURCE)
    assert alias == {"AliasName": "alias/cloudtrail-logs", "TargetKeyId": {"Ref": KEY}}


# -- detection: five rules, one remediation each ----------------------------------------------------------------------


def test_five_managed_rules_with_their_parameters() -> None:
    found = {
        properties(single(), spec.rule)["ConfigRuleName"]: properties(single(), spec.rule) for spec in MANAGED_RULES
    }
    assert {name: rule["Source"]["SourceIdentifier"] for name, rule in found.items()} == {
        "cloudtrail-enabled": "CLOUD_TRAIL_ENABLED",
        "multi-region-cloudtrail-enabled": "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        "cloudtrail-security-trail-enabled": "CLOUDTRAIL_SECURITY_TRAIL_ENABLED",
        "cloud-trail-encryption-enabled": "CLOUD_TRAIL_ENCRYPTION_ENABLED",
        "cloud-trail-log-file-validation-enabled": "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
    }
    multi = resolved(single(), found["multi-region-cloudtrail-enabled"]["InputParameters"])
    assert multi == {"s3BucketName": BUCKET_NAME, "readWriteType": "ALL", "includeManagementEvents": "true"}
    assert resolved(single(), found["cloudtrail-enabled"]["InputParameters"]) == {"s3BucketName": BUCKET_NAME}


def test_every_rule_runs_the_same_remediation() -> None:
    first = properties(single(), REMEDIATION)
    for spec in MANAGED_RULES:
        remediation = properties(single(), spec.remediation)
        assert remediation["ConfigRuleName"] == {"Ref": spec.rule}
        assert {key: value for key, value in remediation.items() if key != "ConfigRuleName"} == {
            key: value for key, value in first.items() if key != "ConfigRuleName"
        }
    assert check_wiring(single()) == []


def test_the_wiring_check_catches_a_rule_without_remediation_and_differing_parameters() -> None:
    broken = fresh()
    del broken["Resources"][MANAGED_RULES[2].remediation]
    broken["Resources"][MANAGED_RULES[1].remediation]["Properties"]["Parameters"]["IsMultiRegionTrail"] = {
        "StaticValue": {"Values": ["false"]}
    }
    assert check_wiring(broken) == [
        f"Config rule {MANAGED_RULES[2].rule} has 0 remediations (1 expected)",
        "the remediations do not all pass the same parameters",
    ]


def test_the_recorder_and_delivery_channel_are_created_where_asked() -> None:
    recorder = single()["Resources"][CONFIG_RECORDER]
    assert recorder["Condition"] == "CreateConfigRecorder"
    assert recorder["Properties"]["RecordingGroup"] == {"AllSupported": True, "IncludeGlobalResourceTypes": True}
    assert resolved(single(), recorder["Properties"]["RoleARN"]) == (
        f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    )
    channel = single()["Resources"][DELIVERY_CHANNEL]
    assert channel["Condition"] == "CreateConfigRecorder"
    assert single()["Parameters"]["CreateConfigRecorder"]["Default"] == "true"
    rule = properties(single(), MANAGED_RULES[0].rule)
    assert {"Fn::Sub": "cloudtrail-enabled, evaluated on what ${ConfigRecorder} records."} in rule["Description"][
        "Fn::If"
    ]  # CloudFormation creates the recorder before the rules


# -- the alarm --------------------------------------------------------------------------------------------------------


def test_the_alarm_topic_is_encrypted_and_only_the_patterns_rules_publish() -> None:
    topic = properties(single(), TOPIC)
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": [ALARM_KEY, "Arn"]}
    document = policy(single(), TOPIC_POLICY, "PolicyDocument")
    events = ("Service", "events.amazonaws.com")
    arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:cloudtrail-remediation-alarm"
    for rule in ("cloudtrail-remediation-failed", "cloudtrail-remediation-noncompliant"):
        source = {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{rule}"}
        assert document.decide(events, "sns:Publish", arn, request_context(source)) == "Allow"
    other = {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/someone-elses"}
    assert document.decide(events, "sns:Publish", arn, request_context(other)) is None
    assert single()["Resources"][SUBSCRIPTION]["Condition"] == "HasAlarmEmail"


def test_a_remediation_or_delivery_check_that_gives_up_raises_the_alarm() -> None:
    rule = properties(single(), FAILED_RULE)
    assert rule["EventPattern"] == {
        "source": ["aws.ssm"],
        "detail-type": ["EC2 Automation Execution Status-change Notification"],
        "detail": {"Status": ["Failed", "TimedOut", "Cancelled"], "Definition": [DOCUMENT_NAME, DELIVERY_CHECK_NAME]},
    }
    assert rule["Targets"] == [{"Id": "alarm-topic", "Arn": {"Ref": TOPIC}}]
    noncompliant = properties(single(), NONCOMPLIANT_RULE)["EventPattern"]
    assert noncompliant["detail"]["configRuleName"] == [spec.name for spec in MANAGED_RULES]


def test_the_delivery_check_is_scheduled_with_its_parameters_and_roles() -> None:
    schedule = properties(single(), SCHEDULE)
    assert schedule["ScheduleExpression"] == {"Ref": "DeliveryCheckSchedule"}
    assert single()["Parameters"]["DeliveryCheckSchedule"]["Default"] == "rate(1 hour)"
    [target] = resolved(single(), schedule["Targets"], TrailName="main")
    assert target["Arn"] == (
        f"arn:aws:ssm:us-east-1:{ACCOUNT}:automation-definition/cloudtrail-delivery-check:$DEFAULT"
    )
    assert target["RoleArn"].startswith(f"arn:aws:iam::{ACCOUNT}:role/cloudtrail-remediation-{SCHEDULER_ROLE}-")
    automation_input = json.loads(target["Input"])
    assert automation_input["CloudTrailName"] == ["main"]
    assert automation_input["AlarmTopicArn"] == [TOPIC_ARN]
    assert set(automation_input) == {"CloudTrailName", "AlarmTopicArn", "AutomationAssumeRole"}
    scheduler = properties(single(), SCHEDULER_ROLE)["Policies"][0]["PolicyDocument"]["Statement"]
    assert sorted(statement["Action"] for statement in scheduler) == ["iam:PassRole", "ssm:StartAutomationExecution"]
    check = properties(single(), DELIVERY_CHECK_ROLE)["Policies"][0]["PolicyDocument"]["Statement"]
    assert {json.dumps(statement["Action"]) for statement in check} == {
        '"cloudtrail:GetTrailStatus"',
        '"sns:Publish"',
        '["kms:Decrypt", "kms:GenerateDataKey"]',
    }
    assert all(statement["Resource"] != "*" for statement in check)


def test_the_delivery_check_document_is_in_the_template_exactly_when_the_project_has_the_runbook() -> None:
    assert DELIVERY_CHECK_DOCUMENT in single()["Resources"]
    assert properties(single(), DELIVERY_CHECK_DOCUMENT)["Name"] == DELIVERY_CHECK_NAME
    without = template(documents={DOCUMENT_NAME: {"schemaVersion": "0.3"}, DELIVERY_CHECK_NAME: None})
    assert DELIVERY_CHECK_DOCUMENT not in without["Resources"]
    assert "DependsOn" not in without["Resources"][SCHEDULE]


# -- parameters and the role ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "accepted"),
    [
        ("CloudWatchLogsRoleArn", "", True),
        ("CloudWatchLogsRoleArn", f"arn:aws:iam::{ACCOUNT}:role/service-role/CloudTrailToLogs", True),
        ("CloudWatchLogsRoleArn", "*", False),
        ("CloudWatchLogsRoleArn", f"arn:aws:iam::{ACCOUNT}:role/*", False),
        ("CloudWatchLogsLogGroupArn", f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:trail-events:*", True),
        ("CloudWatchLogsLogGroupArn", "*", False),
        ("SnsTopicName", "trail-deliveries", True),
        ("SnsTopicName", "*", False),
        ("AdministratorRoleArn", "arn:aws:iam::*:role/OrgAdmin", True),
        ("AdministratorRoleArn", "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*", True),
        ("AdministratorRoleArn", "arn:aws:iam::*:role/*", False),
        ("LogArchiveAccountId", "210987654321", True),
        ("LogArchiveAccountId", "*", False),
    ],
)
def test_parameters_refuse_wildcards(name: str, value: str, accepted: bool) -> None:
    pattern = parameters()[name]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) == accepted


def test_the_role_passes_only_the_given_logs_role_of_this_account() -> None:
    statements = list(policy_statements(properties(single(), ROLE)["Policies"]))
    [pass_role] = [statement for statement in statements if statement["Action"] == ["iam:PassRole"]]
    assert pass_role["Resource"] == {"Ref": "CloudWatchLogsRoleArn"}
    assert pass_role["Condition"]["StringEquals"]["aws:ResourceAccount"] == {"Ref": "AWS::AccountId"}


def test_the_role_describes_only_the_trail_key() -> None:
    statements = list(policy_statements(properties(single(), ROLE)["Policies"]))
    [describe] = [statement for statement in statements if "kms:DescribeKey" in statement["Action"]]
    assert describe["Resource"] == {
        "Fn::If": [
            "UseCentralLogging",
            {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${LogArchiveAccountId}:key/*"},
            {"Fn::GetAtt": [KEY, "Arn"]},
        ]
    }
    star = [action for statement in statements if statement["Resource"] == "*" for action in statement["Action"]]
    assert "cloudtrail:DescribeTrails" in star
    assert all(arn_patterns(action, {}) == [] for action in star)  # no resource type in the SAR


def test_the_role_locates_only_the_log_bucket() -> None:
    """The runbook's owner check calls s3:GetBucketLocation on the bucket it is given: the role may locate the
    stack's log bucket (or, with central logging, the log-archive account's), no other bucket and no access point."""
    statements = list(policy_statements(properties(single(), ROLE)["Policies"]))
    [locate] = [statement for statement in statements if "s3:GetBucketLocation" in statement["Action"]]
    assert locate["Action"] == ["s3:GetBucketLocation"]
    assert locate["Resource"]["Fn::If"][2] == {"Fn::GetAtt": [BUCKET, "Arn"]}
    central = Policy(
        {"Version": "2012-10-17", "Statement": [resolved(single(), locate, LogArchiveAccountId="210987654321")]}
    )
    role = f"arn:aws:iam::{ACCOUNT}:role/remediation"
    assert (
        decide(central, role, "s3:GetBucketLocation", "arn:aws:s3:::cloudtrail-logs-210987654321-us-east-1") == "Allow"
    )
    assert decide(central, role, "s3:GetBucketLocation", "arn:aws:s3:::attacker-bucket") is None


def test_central_logging_delivers_to_the_log_archive_account() -> None:
    remediation = properties(single(), REMEDIATION)["Parameters"]
    values = resolved(single(), {key: remediation[key] for key in ("CloudTrailS3BucketName", "CloudTrailKmsKeyId")},
                      LogArchiveAccountId="210987654321")  # fmt: skip
    assert values == {
        "CloudTrailS3BucketName": {"StaticValue": {"Values": ["cloudtrail-logs-210987654321-us-east-1"]}},
        "CloudTrailKmsKeyId": {"StaticValue": {"Values": ["arn:aws:kms:us-east-1:210987654321:alias/cloudtrail-logs"]}},
    }
    storage = [name for name, item in single()["Resources"].items() if item.get("Condition") == "CreateLogStorage"]
    assert sorted(storage) == sorted(
        [BUCKET, BUCKET_POLICY, ACCESS_LOG_BUCKET, ACCESS_LOG_BUCKET_POLICY, KEY, KEY_ALIAS_RESOURCE]
    )
