"""Giving up is loud, and so is silent non-delivery: the pattern's alarm topic and what feeds it.

- ``AlarmTopic`` (``cloudtrail-remediation-alarm``), encrypted with its own customer managed key
  (``alias/cloudtrail-alarm``: EventBridge cannot publish to a topic under the AWS managed key ``aws/sns``, whose
  policy cannot be changed), its policy letting only ``events.amazonaws.com`` publish, for the pattern's own rules
  (``aws:SourceArn``); an optional e-mail subscription (``AlarmEmail``).
- ``RemediationFailedRule``: every Automation execution of the remediation document or
  ``cloudtrail-delivery-check`` that ends Failed, TimedOut or Cancelled (SSM's "EC2 Automation Execution
  Status-change Notification" event, ``detail.Definition`` the document's name) goes to the topic. AWS Config puts
  a RemediationException after the last automatic attempt fails: each of those failures has been on the topic.
- ``NonCompliantRule``: every "Config Rules Compliance Change" of the pattern's rules to NON_COMPLIANT.
- ``DeliveryCheckSchedule``: on ``DeliveryCheckSchedule`` (default ``rate(1 hour)``) EventBridge starts the
  Automation runbook ``cloudtrail-delivery-check`` (its ``$DEFAULT`` version) with the trail's name, the topic and
  its role; the runbook (``runbooks/cloudtrail_delivery_check.py``) calls GetTrailStatus and, when a delivery error
  is newer than the last good delivery (CloudTrail keeps IsLogging true while delivery fails), publishes to the
  topic and fails. The template holds the runbook as an SSM document when the project has it.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.deploy.iam import TRAIL_ARN
from toolkit.deploy.names import (
    ALARM_KEY_ALIAS,
    ALARM_TOPIC_NAME,
    DELIVERY_CHECK_NAME,
    DELIVERY_CHECK_ROLE_NAME,
    DOCUMENT_NAME,
    FAILED_RULE_NAME,
    NONCOMPLIANT_RULE_NAME,
    SCHEDULE_RULE_NAME,
    SCHEDULER_ROLE_NAME,
)
from toolkit.deploy.storage import ROOT, key_admin_statements

Data = dict[str, Any]

ALARM_KEY = "AlarmKey"
ALARM_KEY_ALIAS_RESOURCE = "AlarmKeyAlias"
TOPIC = "AlarmTopic"
TOPIC_POLICY = "AlarmTopicPolicy"
SUBSCRIPTION = "AlarmEmailSubscription"
FAILED_RULE = "RemediationFailedRule"
NONCOMPLIANT_RULE = "NonCompliantRule"
SCHEDULE = "DeliveryCheckRule"
SCHEDULER_ROLE = "DeliveryCheckSchedulerRole"
DELIVERY_CHECK_ROLE = "DeliveryCheckRole"
DELIVERY_CHECK_DOCUMENT = "DeliveryCheckDocument"

FAILED_STATUSES = ["Failed", "TimedOut", "Cancelled"]
"""Automation execution statuses that mean the execution gave up (AutomationExecutionStatus values)."""
AUTOMATION_EVENT = "EC2 Automation Execution Status-change Notification"
COMPLIANCE_EVENT = "Config Rules Compliance Change"
AUTOMATION_EXECUTIONS = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:automation-execution/*"
DELIVERY_CHECK_DEFINITION = (
    f"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:automation-definition/{DELIVERY_CHECK_NAME}"
)


def _rule_arn(name: str) -> Data:
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{name}"}


def _named(properties: Data, name: str, fixed: bool) -> Data:
    return {"RoleName": name, **properties} if fixed else properties


def alarm_key(stack_set: bool) -> Data:
    """The topic's key: EventBridge encrypts what it publishes, the account's principals publish through SNS."""
    statements = [
        *key_admin_statements(stack_set),
        {
            "Sid": "EventBridgePublishes",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        },
        {
            "Sid": "AccountPublishesThroughSns",
            "Effect": "Allow",
            "Principal": ROOT,
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "kms:CallerAccount": {"Ref": "AWS::AccountId"},
                    "kms:ViaService": {"Fn::Sub": "sns.${AWS::Region}.amazonaws.com"},
                }
            },
        },
    ]
    return {
        ALARM_KEY: {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "Description": "Encrypts the CloudTrail remediation alarm topic",
                "EnableKeyRotation": True,
                "KeyPolicy": {"Version": "2012-10-17", "Statement": statements},
            },
        },
        ALARM_KEY_ALIAS_RESOURCE: {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": ALARM_KEY_ALIAS, "TargetKeyId": {"Ref": ALARM_KEY}},
        },
    }


def topic_resources() -> Data:
    publish = {
        "Sid": "PatternRulesPublish",
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": {"Ref": TOPIC},
        "Condition": {"ArnEquals": {"aws:SourceArn": [_rule_arn(FAILED_RULE_NAME), _rule_arn(NONCOMPLIANT_RULE_NAME)]}},
    }
    return {
        TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "TopicName": ALARM_TOPIC_NAME,
                "DisplayName": "CloudTrail remediation alarm",
                "KmsMasterKeyId": {"Fn::GetAtt": [ALARM_KEY, "Arn"]},
            },
        },
        TOPIC_POLICY: {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [{"Ref": TOPIC}],
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [publish]},
            },
        },
        SUBSCRIPTION: {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasAlarmEmail",
            "Properties": {"TopicArn": {"Ref": TOPIC}, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}},
        },
    }


def event_rules(config_rule_names: list[str]) -> Data:
    to_topic = [{"Id": "alarm-topic", "Arn": {"Ref": TOPIC}}]
    return {
        FAILED_RULE: {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Name": FAILED_RULE_NAME,
                "Description": "A CloudTrail remediation or delivery check gave up: alarm.",
                "State": "ENABLED",
                "EventPattern": {
                    "source": ["aws.ssm"],
                    "detail-type": [AUTOMATION_EVENT],
                    "detail": {"Status": FAILED_STATUSES, "Definition": [DOCUMENT_NAME, DELIVERY_CHECK_NAME]},
                },
                "Targets": to_topic,
            },
        },
        NONCOMPLIANT_RULE: {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Name": NONCOMPLIANT_RULE_NAME,
                "Description": "A CloudTrail rule of the pattern became NON_COMPLIANT: alarm.",
                "State": "ENABLED",
                "EventPattern": {
                    "source": ["aws.config"],
                    "detail-type": [COMPLIANCE_EVENT],
                    "detail": {
                        "configRuleName": config_rule_names,
                        "newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]},
                    },
                },
                "Targets": to_topic,
            },
        },
    }


def automation_trust() -> Data:
    """The trust policy of a role Automation assumes: ssm.amazonaws.com, for executions of this account only."""
    return {
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


def delivery_check_resources(content: Data | None, fixed_names: bool) -> Data:
    """The schedule, the role EventBridge starts the runbook with, the runbook's own role (least privilege:
    GetTrailStatus on the trail, Publish on the topic and the topic key's data keys for it), and the runbook as a
    document when ``content`` is given."""
    check_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadTrailStatus",
                "Effect": "Allow",
                "Action": "cloudtrail:GetTrailStatus",
                "Resource": {"Fn::Sub": TRAIL_ARN},
            },
            {"Sid": "Alarm", "Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": TOPIC}},
            {
                "Sid": "EncryptAlarm",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": {"Fn::GetAtt": [ALARM_KEY, "Arn"]},
            },
        ],
    }
    scheduler_trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                    "ArnEquals": {"aws:SourceArn": _rule_arn(SCHEDULE_RULE_NAME)},
                },
            }
        ],
    }
    scheduler_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StartDeliveryCheck",
                "Effect": "Allow",
                "Action": "ssm:StartAutomationExecution",
                "Resource": {"Fn::Sub": f"{DELIVERY_CHECK_DEFINITION}:*"},
            },
            {
                "Sid": "PassDeliveryCheckRole",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": {"Fn::GetAtt": [DELIVERY_CHECK_ROLE, "Arn"]},
                "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
            },
        ],
    }
    automation_input = json.dumps(
        {
            "CloudTrailName": ["${TrailName}"],
            "AlarmTopicArn": [f"${{{TOPIC}}}"],
            "AutomationAssumeRole": [f"${{{DELIVERY_CHECK_ROLE}.Arn}}"],
        },
        separators=(",", ":"),
    )
    resources: Data = {
        DELIVERY_CHECK_ROLE: {
            "Type": "AWS::IAM::Role",
            "Properties": _named(
                {
                    "Description": f"Assumed by Automation to run {DELIVERY_CHECK_NAME}",
                    "AssumeRolePolicyDocument": automation_trust(),
                    "Policies": [{"PolicyName": "delivery-check", "PolicyDocument": check_policy}],
                },
                DELIVERY_CHECK_ROLE_NAME,
                fixed_names,
            ),
        },
        SCHEDULER_ROLE: {
            "Type": "AWS::IAM::Role",
            "Properties": _named(
                {
                    "Description": f"Assumed by EventBridge to start {DELIVERY_CHECK_NAME}",
                    "AssumeRolePolicyDocument": scheduler_trust,
                    "Policies": [{"PolicyName": "start-delivery-check", "PolicyDocument": scheduler_policy}],
                },
                SCHEDULER_ROLE_NAME,
                fixed_names,
            ),
        },
        SCHEDULE: {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Name": SCHEDULE_RULE_NAME,
                "Description": "Checks that CloudTrail still delivers (GetTrailStatus); alarms when it does not.",
                "State": "ENABLED",
                "ScheduleExpression": {"Ref": "DeliveryCheckSchedule"},
                "Targets": [
                    {
                        "Id": "delivery-check",
                        "Arn": {"Fn::Sub": f"{DELIVERY_CHECK_DEFINITION}:$DEFAULT"},
                        "RoleArn": {"Fn::GetAtt": [SCHEDULER_ROLE, "Arn"]},
                        "Input": {"Fn::Sub": automation_input},
                    }
                ],
            },
        },
    }
    if content is not None:
        resources[DELIVERY_CHECK_DOCUMENT] = {
            "Type": "AWS::SSM::Document",
            "Properties": {
                "Name": DELIVERY_CHECK_NAME,
                "DocumentType": "Automation",
                "DocumentFormat": "YAML",
                "UpdateMethod": "NewVersion",
                "Content": content,
            },
        }
        resources[SCHEDULE]["DependsOn"] = [DELIVERY_CHECK_DOCUMENT]
    return resources


def alarm_resources(config_rule_names: list[str], delivery_check: Data | None, stack_set: bool) -> Data:
    """Everything above; in a StackSet's member stacks the roles get fixed names (the SCP protects them)."""
    return {
        **alarm_key(stack_set),
        **topic_resources(),
        **event_rules(config_rule_names),
        **delivery_check_resources(delivery_check, stack_set),
    }
