"""The fake AWS Config API: the recorder and delivery channel, rules evaluated by the same code as the scenarios,
remediation configurations, executions and exceptions, with AWS's error codes; and the scenario loop and the API
reading and writing one state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.fakes.services import Service
from tests.fakes.worlds import ACCOUNT, KEY_ARN, world
from toolkit.fakes.config import ConfigRule, evaluate
from toolkit.fakes.default import DEFAULT_BUCKET, default_data
from toolkit.fakes.world import World, WorldError
from toolkit.scenario import load_scenario, play
from toolkit.testing import worlds

SLR = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ConfigRole"
OTHER_ROLE = "arn:aws:iam::111122223333:role/ConfigRole"
CONFIG_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
ACCOUNT_KEY = [{"ResourceType": "AWS::::Account", "ResourceId": ACCOUNT}]
ENABLED = {
    "ConfigRuleName": "cloudtrail-enabled",
    "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"},
}
REMEDIATION = {
    "ConfigRuleName": "cloudtrail-enabled",
    "TargetType": "SSM_DOCUMENT",
    "TargetId": "cloudtrail-remediation-action",
    "Automatic": True,
    "Parameters": {
        "AutomationAssumeRole": {"StaticValue": {"Values": [f"arn:aws:iam::{ACCOUNT}:role/Remediation"]}},
        "Account": {"ResourceValue": {"Value": "RESOURCE_ID"}},
    },
}


def config_world(logging: bool = True) -> World:
    data = default_data()
    data["Roles"] = [{"Name": "ConfigRole", "AssumeRolePolicyDocument": CONFIG_TRUST}]
    data["Trails"][0]["IsLogging"] = logging
    return World.from_dict(data)


def config(w: World | None = None, region: str | None = None) -> Service:
    return Service("config", w if w is not None else config_world(), region)


def recording(service: Service, role: str = ROLE) -> Service:
    service.call("PutConfigurationRecorder", ConfigurationRecorder={"name": "default", "roleARN": role})
    return service


def with_rule(logging: bool = True) -> Service:
    service = recording(config(config_world(logging)))
    service.call("PutConfigRule", ConfigRule=ENABLED)
    return service


# -- recorder and delivery channel -------------------------------------------------------------------------------


def test_the_recorder_and_channel_lifecycle() -> None:
    service = config()
    assert service.error("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET}).code == (
        "NoAvailableConfigurationRecorderException"
    )
    recording(service)
    recorder = service.call("DescribeConfigurationRecorders")["ConfigurationRecorders"][0]
    assert (recorder["name"], recorder["roleARN"], recorder["recordingGroup"]["allSupported"]) == (
        "default",
        ROLE,
        True,
    )
    assert service.error("StartConfigurationRecorder", ConfigurationRecorderName="default").code == (
        "NoAvailableDeliveryChannelException"
    )
    service.call("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET, "s3KeyPrefix": "config"})
    service.now = 30
    service.call("StartConfigurationRecorder", ConfigurationRecorderName="default")
    (status,) = service.call("DescribeConfigurationRecorderStatus")["ConfigurationRecordersStatus"]
    assert (status["recording"], status["lastStatus"], status["lastStartTime"].second) == (True, "Pending", 30)
    assert service.error("DeleteDeliveryChannel", DeliveryChannelName="default").code == (
        "LastDeliveryChannelDeleteFailedException"
    )
    service.call("StopConfigurationRecorder", ConfigurationRecorderName="default")
    service.call("DeleteDeliveryChannel", DeliveryChannelName="default")
    service.call("DeleteConfigurationRecorder", ConfigurationRecorderName="default")
    assert service.call("DescribeConfigurationRecorders") == {"ConfigurationRecorders": []}
    assert service.call("DescribeDeliveryChannels") == {"DeliveryChannels": []}


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        ("PutConfigurationRecorder", {"ConfigurationRecorder": {"name": "other", "roleARN": ROLE}},
         "MaxNumberOfConfigurationRecordersExceededException"),
        ("PutConfigurationRecorder", {"ConfigurationRecorder": {"name": "default"}}, "InvalidRoleException"),
        ("PutConfigurationRecorder", {"ConfigurationRecorder": {"roleARN": f"arn:aws:iam::{ACCOUNT}:role/Absent"}},
         "InvalidRoleException"),
        ("PutConfigurationRecorder", {"ConfigurationRecorder": {"roleARN": OTHER_ROLE}}, "InvalidRoleException"),
        ("PutConfigurationRecorder", {"ConfigurationRecorder": {"roleARN": ROLE, "recordingGroup": {}}},
         "InvalidRecordingGroupException"),
        ("PutConfigurationRecorder", {"ConfigurationRecorder": {"name": " ", "roleARN": ROLE}},
         "InvalidConfigurationRecorderNameException"),
        ("DescribeConfigurationRecorders", {"ConfigurationRecorderNames": ["other"]},
         "NoSuchConfigurationRecorderException"),
        ("StartConfigurationRecorder", {"ConfigurationRecorderName": "other"}, "NoSuchConfigurationRecorderException"),
        ("DeleteConfigurationRecorder", {"ConfigurationRecorderName": "other"}, "NoSuchConfigurationRecorderException"),
        ("PutDeliveryChannel", {"DeliveryChannel": {"s3BucketName": "absent-bucket"}}, "NoSuchBucketException"),
        ("PutDeliveryChannel", {"DeliveryChannel": {"s3BucketName": ""}}, "NoSuchBucketException"),
        ("PutDeliveryChannel", {"DeliveryChannel": {"name": " ", "s3BucketName": DEFAULT_BUCKET}},
         "InvalidDeliveryChannelNameException"),
        ("PutDeliveryChannel", {"DeliveryChannel": {"s3BucketName": DEFAULT_BUCKET, "s3KeyPrefix": ""}},
         "InvalidS3KeyPrefixException"),
        ("PutDeliveryChannel", {"DeliveryChannel": {"s3BucketName": DEFAULT_BUCKET, "s3KmsKeyArn": "alias/cloudtrail"}},
         "InvalidS3KmsKeyArnException"),
        ("PutDeliveryChannel", {"DeliveryChannel": {"s3BucketName": DEFAULT_BUCKET,
                                                    "s3KmsKeyArn": KEY_ARN.replace("us-east-1", "eu-west-1")}},
         "InvalidS3KmsKeyArnException"),
        ("PutDeliveryChannel", {"DeliveryChannel": {"s3BucketName": DEFAULT_BUCKET,
                                                    "snsTopicARN": f"arn:aws:sns:us-east-1:{ACCOUNT}:absent"}},
         "InvalidSNSTopicARNException"),
        ("DescribeDeliveryChannels", {"DeliveryChannelNames": ["default"]}, "NoSuchDeliveryChannelException"),
        ("DeleteDeliveryChannel", {"DeliveryChannelName": "default"}, "NoSuchDeliveryChannelException"),
    ],
)  # fmt: skip
def test_recorder_and_channel_refusals(operation: str, params: dict[str, Any], code: str) -> None:
    assert recording(config()).error(operation, **params).code == code


def test_a_second_channel_is_refused_and_a_key_of_the_buckets_region_is_taken() -> None:
    service = recording(config())
    service.call("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET, "s3KmsKeyArn": KEY_ARN})
    assert service.error(
        "PutDeliveryChannel", DeliveryChannel={"name": "two", "s3BucketName": DEFAULT_BUCKET}
    ).code == ("MaxNumberOfDeliveryChannelsExceededException")
    (channel,) = service.call("DescribeDeliveryChannels", DeliveryChannelNames=["default"])["DeliveryChannels"]
    assert channel == {"name": "default", "s3BucketName": DEFAULT_BUCKET, "s3KmsKeyArn": KEY_ARN}


def config_bucket_policy(prefix: str = "") -> dict[str, Any]:
    config_principal = {"Service": "config.amazonaws.com"}
    from_account = {"AWS:SourceAccount": ACCOUNT}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": config_principal, "Action": "s3:GetBucketAcl",
             "Resource": f"arn:aws:s3:::{DEFAULT_BUCKET}", "Condition": {"StringEquals": from_account}},
            {"Effect": "Allow", "Principal": config_principal, "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{DEFAULT_BUCKET}/{prefix}AWSLogs/{ACCOUNT}/Config/*",
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", **from_account}}},
        ],
    }  # fmt: skip


def test_the_service_linked_role_needs_a_bucket_policy_that_lets_config_write() -> None:
    # The default bucket's policy lets CloudTrail write, not Config.
    linked = recording(config(), SLR)
    refused = linked.error("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET})
    assert (refused.code, refused.message) == (
        "InsufficientDeliveryPolicyException",
        "Your Amazon S3 bucket policy does not allow AWS Config to write to it.",
    )
    # A role of the account writes to a bucket of the same account without a bucket policy.
    recording(config()).call("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET})
    fixed = world(Buckets=[{"Name": DEFAULT_BUCKET, "Policy": config_bucket_policy("config/")}])
    allowed = recording(config(fixed), SLR)
    allowed.call("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET, "s3KeyPrefix": "config"})
    assert allowed.error("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET}).code == (
        "InsufficientDeliveryPolicyException"  # the policy allows the prefix config/ only
    )


def test_recorders_and_channels_are_regional() -> None:
    w = config_world()
    recording(config(w))
    assert config(w, "eu-west-1").call("DescribeConfigurationRecorders") == {"ConfigurationRecorders": []}
    recording(config(w, "eu-west-1"))
    assert sorted(r["Region"] for r in w.to_dict()["ConfigurationRecorders"]) == ["eu-west-1", "us-east-1"]


# -- rules -------------------------------------------------------------------------------------------------------


def test_a_rule_needs_a_recorder_and_a_managed_source_the_fake_runs() -> None:
    service = config()
    assert service.error("PutConfigRule", ConfigRule=ENABLED).code == "NoAvailableConfigurationRecorderException"
    recording(service)
    custom = {"ConfigRuleName": "mine", "Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "arn:aws:lambda:x"}}
    assert service.error("PutConfigRule", ConfigRule=custom).code == "NotModeledByFakeWorld"
    other = {
        "ConfigRuleName": "versioning",
        "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"},
    }
    assert service.error("PutConfigRule", ConfigRule=other).code == "NotModeledByFakeWorld"


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ({**ENABLED, "InputParameters": "{nope"}, "InvalidParameterValueException"),
        ({**ENABLED, "InputParameters": '{"colour": "red"}'}, "InvalidParameterValueException"),
        ({**ENABLED, "ConfigRuleId": "config-rule-abcdef"}, "InvalidParameterValueException"),
        ({**ENABLED, "ConfigRuleState": "DELETING"}, "InvalidParameterValueException"),
        ({**ENABLED, "CreatedBy": "securityhub.amazonaws.com"}, "InvalidParameterValueException"),
        ({**ENABLED, "MaximumExecutionFrequency": "Weekly"}, "ValidationException"),
        ({"ConfigRuleName": "r", "Source": {"Owner": "AWS", "SourceIdentifier": "MULTI_REGION_CLOUD_TRAIL_ENABLED"},
          "InputParameters": '{"readWriteType": "Sometimes"}'}, "InvalidParameterValueException"),
    ],
)  # fmt: skip
def test_rule_refusals(rule: dict[str, Any], code: str) -> None:
    assert recording(config()).error("PutConfigRule", ConfigRule=rule).code == code


def test_rules_are_described_updated_and_deleted() -> None:
    service = with_rule()
    (rule,) = service.call("DescribeConfigRules")["ConfigRules"]
    assert rule["ConfigRuleArn"] == f"arn:aws:config:us-east-1:{ACCOUNT}:config-rule/{rule['ConfigRuleId']}"
    assert rule["ConfigRuleId"].startswith("config-rule-") and len(rule["ConfigRuleId"]) == len("config-rule-") + 6
    assert (rule["Source"], rule["ConfigRuleState"]) == (ENABLED["Source"], "ACTIVE")
    updated = {**ENABLED, "MaximumExecutionFrequency": "One_Hour", "InputParameters": json.dumps({"s3BucketName": "x"})}
    service.now = 100
    service.call("PutConfigRule", ConfigRule=updated)
    (again,) = service.call("DescribeConfigRules", ConfigRuleNames=["cloudtrail-enabled"])["ConfigRules"]
    assert again["ConfigRuleId"] == rule["ConfigRuleId"] and again["MaximumExecutionFrequency"] == "One_Hour"
    assert again["InputParameters"] == updated["InputParameters"]
    assert service.error("DescribeConfigRules", ConfigRuleNames=["absent"]).code == "NoSuchConfigRuleException"
    assert service.error("DeleteConfigRule", ConfigRuleName="absent").code == "NoSuchConfigRuleException"
    service.call("DeleteConfigRule", ConfigRuleName="cloudtrail-enabled")
    assert service.call("DescribeConfigRules") == {"ConfigRules": []}


def test_a_rule_may_be_named_otherwise_than_its_managed_rule() -> None:
    service = recording(config())
    named = {"ConfigRuleName": "org-trail-on", "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}}
    service.call("PutConfigRule", ConfigRule=named)
    service.call("StartConfigRulesEvaluation", ConfigRuleNames=["org-trail-on"])
    (result,) = service.call("GetComplianceDetailsByConfigRule", ConfigRuleName="org-trail-on")["EvaluationResults"]
    assert result["ComplianceType"] == "COMPLIANT"
    assert result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ConfigRuleName"] == "org-trail-on"


def test_evaluation_and_compliance() -> None:
    service = with_rule(logging=False)
    compliance = service.call("DescribeComplianceByConfigRule")["ComplianceByConfigRules"]
    assert compliance == [
        {"ConfigRuleName": "cloudtrail-enabled", "Compliance": {"ComplianceType": "INSUFFICIENT_DATA"}}
    ]
    assert service.call("GetComplianceDetailsByConfigRule", ConfigRuleName="cloudtrail-enabled") == {
        "EvaluationResults": []
    }
    service.now = 60
    assert service.call("StartConfigRulesEvaluation", ConfigRuleNames=["cloudtrail-enabled"]) == {}
    (result,) = service.call("GetComplianceDetailsByConfigRule", ConfigRuleName="cloudtrail-enabled")[
        "EvaluationResults"
    ]
    assert result["ComplianceType"] == "NON_COMPLIANT" and "not logging" in result["Annotation"]
    assert result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"] == ACCOUNT
    assert result["ResultRecordedTime"].isoformat() == "2026-01-01T00:01:00+00:00"
    assert service.call("DescribeComplianceByConfigRule", ComplianceTypes=["NON_COMPLIANT"])[
        "ComplianceByConfigRules"
    ] == [
        {
            "ConfigRuleName": "cloudtrail-enabled",
            "Compliance": {
                "ComplianceType": "NON_COMPLIANT",
                "ComplianceContributorCount": {"CappedCount": 1, "CapExceeded": False},
            },
        }
    ]
    service.world.backend().call("cloudtrail", "StartLogging", {"Name": "main"})
    service.call("StartConfigRulesEvaluation")
    compliant = service.call(
        "GetComplianceDetailsByConfigRule", ConfigRuleName="cloudtrail-enabled", ComplianceTypes=["COMPLIANT"]
    )
    assert len(compliant["EvaluationResults"]) == 1
    assert service.error("StartConfigRulesEvaluation", ConfigRuleNames=["absent"]).code == "NoSuchConfigRuleException"
    assert (
        service.error("GetComplianceDetailsByConfigRule", ConfigRuleName="absent").code == "NoSuchConfigRuleException"
    )
    assert service.error(
        "GetComplianceDetailsByConfigRule", ConfigRuleName="cloudtrail-enabled", NextToken="x"
    ).code == ("InvalidNextTokenException")


RULE_SOURCES = {
    "cloudtrail-enabled": "CLOUD_TRAIL_ENABLED",
    "multi-region-cloudtrail-enabled": "MULTI_REGION_CLOUD_TRAIL_ENABLED",
    "cloudtrail-security-trail-enabled": "CLOUDTRAIL_SECURITY_TRAIL_ENABLED",
}


@given(worlds(), st.sampled_from(sorted(RULE_SOURCES)))
def test_the_api_evaluates_as_the_scenarios_do(w: World, name: str) -> None:
    """StartConfigRulesEvaluation gives the compliance ``toolkit.fakes.config.evaluate`` gives a scenario."""
    expected = evaluate(ConfigRule.read({"ConfigRuleName": name}), w)
    linked = f"arn:{w.partition}:iam::{w.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    service = recording(Service("config", w), linked)
    service.call(
        "PutConfigRule",
        ConfigRule={"ConfigRuleName": name, "Source": {"Owner": "AWS", "SourceIdentifier": RULE_SOURCES[name]}},
    )
    service.call("StartConfigRulesEvaluation", ConfigRuleNames=[name])
    (result,) = service.call("GetComplianceDetailsByConfigRule", ConfigRuleName=name)["EvaluationResults"]
    assert (result["ComplianceType"], result["Annotation"]) == (expected.compliance, expected.annotation)


# -- remediation -------------------------------------------------------------------------------------------------


def test_remediation_configurations() -> None:
    service = with_rule()
    assert service.call("PutRemediationConfigurations", RemediationConfigurations=[REMEDIATION]) == {
        "FailedBatches": []
    }
    (described,) = service.call("DescribeRemediationConfigurations", ConfigRuleNames=["cloudtrail-enabled", "absent"])[
        "RemediationConfigurations"
    ]
    assert described["Arn"].startswith(
        f"arn:aws:config:us-east-1:{ACCOUNT}:remediation-configuration/cloudtrail-enabled/"
    )
    assert (described["MaximumAutomaticAttempts"], described["RetryAttemptSeconds"]) == (5, 60)
    assert described["ExecutionControls"] == {
        "SsmControls": {"ConcurrentExecutionRatePercentage": 10, "ErrorPercentage": 50}
    }
    assert service.error("DeleteConfigRule", ConfigRuleName="cloudtrail-enabled").code == "ResourceInUseException"
    bad = {**REMEDIATION, "MaximumAutomaticAttempts": 26}
    assert service.error("PutRemediationConfigurations", RemediationConfigurations=[bad]).code == (
        "InvalidParameterValueException"
    )
    orphan = {**REMEDIATION, "ConfigRuleName": "absent"}
    assert service.error("PutRemediationConfigurations", RemediationConfigurations=[orphan]).code == (
        "InvalidParameterValueException"
    )
    service.call("DeleteRemediationConfiguration", ConfigRuleName="cloudtrail-enabled")
    assert service.error("DeleteRemediationConfiguration", ConfigRuleName="cloudtrail-enabled").code == (
        "NoSuchRemediationConfigurationException"
    )
    service.call("DeleteConfigRule", ConfigRuleName="cloudtrail-enabled")


def test_a_manual_execution_is_queued_with_a_pending_automation() -> None:
    service = with_rule()
    assert service.error("StartRemediationExecution", ConfigRuleName="cloudtrail-enabled",
                         ResourceKeys=[{"resourceType": "AWS::::Account", "resourceId": ACCOUNT}]).code == (
        "NoSuchRemediationConfigurationException"
    )  # fmt: skip
    service.call("PutRemediationConfigurations", RemediationConfigurations=[REMEDIATION])
    keys = [{"resourceType": "AWS::::Account", "resourceId": ACCOUNT}]
    assert service.call("StartRemediationExecution", ConfigRuleName="cloudtrail-enabled", ResourceKeys=keys) == {
        "FailedItems": []
    }
    again = service.call("StartRemediationExecution", ConfigRuleName="cloudtrail-enabled", ResourceKeys=keys)
    assert again["FailedItems"] == keys and "already" in again["FailureMessage"]
    (status,) = service.call("DescribeRemediationExecutionStatus", ConfigRuleName="cloudtrail-enabled")[
        "RemediationExecutionStatuses"
    ]
    assert (status["ResourceKey"], status["State"]) == (keys[0], "QUEUED")
    (execution,) = service.world.ssm.executions.values()
    assert (execution.document_name, execution.status) == ("cloudtrail-remediation-action", "Pending")
    assert execution.parameters == {
        "AutomationAssumeRole": (f"arn:aws:iam::{ACCOUNT}:role/Remediation",),
        "Account": (ACCOUNT,),  # RESOURCE_ID: the non-compliant resource's id
    }
    ssm_view = Service("ssm", service.world).call(
        "GetAutomationExecution", AutomationExecutionId=execution.execution_id
    )
    assert ssm_view["AutomationExecution"]["ExecutedBy"].endswith("/AWSServiceRoleForConfigRemediation")
    assert service.error("DeleteRemediationConfiguration", ConfigRuleName="cloudtrail-enabled").code == (
        "RemediationInProgressException"
    )
    assert World.from_dict(service.world.to_dict()) == service.world


def test_remediation_exceptions_put_described_expire_and_deleted() -> None:
    service = with_rule()
    service.call("PutRemediationExceptions", ConfigRuleName="cloudtrail-enabled", ResourceKeys=ACCOUNT_KEY,
                 Message="a change freeze", ExpirationTime="2026-01-01T01:00:00Z")  # fmt: skip
    (exception,) = service.call("DescribeRemediationExceptions", ConfigRuleName="cloudtrail-enabled")[
        "RemediationExceptions"
    ]
    assert (exception["Message"], exception["ExpirationTime"].hour) == ("a change freeze", 1)
    assert World.from_dict(service.world.to_dict()) == service.world
    service.now = 3600  # expired: no longer applies
    assert service.call("DescribeRemediationExceptions", ConfigRuleName="cloudtrail-enabled") == {
        "RemediationExceptions": []
    }
    assert service.error(
        "DeleteRemediationExceptions", ConfigRuleName="cloudtrail-enabled", ResourceKeys=ACCOUNT_KEY
    ).code == ("NoSuchRemediationExceptionException")
    service.call("PutRemediationExceptions", ConfigRuleName="cloudtrail-enabled", ResourceKeys=ACCOUNT_KEY)
    other = [*ACCOUNT_KEY, {"ResourceType": "AWS::::Account", "ResourceId": "111122223333"}]
    answer = service.call("DeleteRemediationExceptions", ConfigRuleName="cloudtrail-enabled", ResourceKeys=other)
    assert answer["FailedBatches"][0]["FailedItems"] == other[1:]
    assert service.call("DescribeRemediationExceptions", ConfigRuleName="cloudtrail-enabled") == {
        "RemediationExceptions": []
    }


# -- the world file ----------------------------------------------------------------------------------------------


def test_the_world_file_holds_config() -> None:
    data = {
        "Buckets": [{"Name": "config-bucket-1"}],
        "ConfigurationRecorders": [{"RoleARN": SLR, "Recording": True, "LastStatus": "Success"}],
        "DeliveryChannels": [
            {"S3BucketName": "config-bucket-1", "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "One_Hour"}}
        ],
        "ConfigRules": [
            {"ConfigRuleName": "cloudtrail-enabled", "InputParameters": {"s3BucketName": "config-bucket-1"}},
            {"ConfigRuleName": "security", "Source": {"SourceIdentifier": "CLOUDTRAIL_SECURITY_TRAIL_ENABLED"}},
        ],
        "EvaluationResults": [{"ConfigRuleName": "cloudtrail-enabled", "ComplianceType": "NON_COMPLIANT"}],
        "RemediationConfigurations": [REMEDIATION],
        "RemediationExceptions": [{"ConfigRuleName": "cloudtrail-enabled", "ResourceType": "AWS::::Account",
                                   "ResourceId": ACCOUNT, "Message": "frozen"}],
        "RemediationExecutionStatuses": [{"ConfigRuleName": "cloudtrail-enabled", "ResourceType": "AWS::::Account",
                                          "ResourceId": ACCOUNT, "State": "FAILED"}],
    }  # fmt: skip
    w = World.from_dict(data)
    assert World.from_dict(w.to_dict()) == w
    service = config(w)
    (status,) = service.call("DescribeConfigurationRecorderStatus")["ConfigurationRecordersStatus"]
    assert (status["name"], status["recording"], status["lastStatus"]) == ("default", True, "Success")
    rules = {r["ConfigRuleName"]: r for r in service.call("DescribeConfigRules")["ConfigRules"]}
    assert rules["cloudtrail-enabled"]["InputParameters"] == '{"s3BucketName":"config-bucket-1"}'
    assert rules["security"]["Source"]["SourceIdentifier"] == "CLOUDTRAIL_SECURITY_TRAIL_ENABLED"
    compliance = service.call("DescribeComplianceByConfigRule", ConfigRuleNames=["cloudtrail-enabled"])
    assert compliance["ComplianceByConfigRules"][0]["Compliance"]["ComplianceType"] == "NON_COMPLIANT"
    assert (
        service.call("DescribeRemediationExceptions", ConfigRuleName="cloudtrail-enabled")["RemediationExceptions"][0][
            "Message"
        ]
        == "frozen"
    )
    (execution,) = service.call("DescribeRemediationExecutionStatus", ConfigRuleName="cloudtrail-enabled")[
        "RemediationExecutionStatuses"
    ]
    assert execution["State"] == "FAILED"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"ConfigurationRecorders": [{"RoleARN": SLR}, {"RoleARN": SLR, "Name": "two"}]},
         "second configuration recorder"),
        ({"ConfigRules": [{"ConfigRuleName": "my-rule"}]}, "ConfigRules[0].Source"),
        ({"ConfigRules": [{"ConfigRuleName": "cloudtrail-enabled", "InputParameters": {"x": "1"}}]}, "InputParameters"),
        ({"RemediationConfigurations": [{**REMEDIATION, "TargetType": "LAMBDA"}]}, "TargetType"),
        ({"EvaluationResults": [{"ConfigRuleName": "r", "ComplianceType": "MAYBE"}]}, "ComplianceType"),
        ({"DeliveryChannels": [{"S3BucketName": "b", "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "x"}}]},
         "DeliveryFrequency"),
    ],
)  # fmt: skip
def test_the_world_file_refuses_config_aws_would_not_hold(data: dict[str, Any], words: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict(data)
    assert words in str(caught.value)


# -- the scenario loop and the API share one state ---------------------------------------------------------------


def test_a_scenario_leaves_its_config_state_where_the_api_reads_it() -> None:
    report = play(load_scenario(ROOT / "scenarios" / "broken-bucket-policy.yaml")).data
    after = World.from_dict(report["world"])
    service = config(after)
    (rule,) = service.call("DescribeConfigRules")["ConfigRules"]
    assert rule["ConfigRuleName"] == report["rule"]["ConfigRuleName"]
    (exception,) = service.call("DescribeRemediationExceptions", ConfigRuleName=rule["ConfigRuleName"])[
        "RemediationExceptions"
    ]
    assert exception["Message"] == report["remediation_exceptions"][0]["Message"]
    (status,) = service.call("DescribeRemediationExecutionStatus", ConfigRuleName=rule["ConfigRuleName"])[
        "RemediationExecutionStatuses"
    ]
    assert status["State"] == "FAILED"
    (result,) = service.call("GetComplianceDetailsByConfigRule", ConfigRuleName=rule["ConfigRuleName"])[
        "EvaluationResults"
    ]
    assert result["ComplianceType"] == report["final_compliance"] == "NON_COMPLIANT"
    (configuration,) = service.call("DescribeRemediationConfigurations", ConfigRuleNames=[rule["ConfigRuleName"]])[
        "RemediationConfigurations"
    ]
    assert {k: v for k, v in configuration.items() if k != "Arn"} == report["remediation_configuration"]


def test_deleting_the_exception_through_the_api_resumes_automatic_remediation(tmp_path: Path) -> None:
    """The scenario's own event (config: DeleteRemediationExceptions) and the API call act on one exception."""
    source = yaml.safe_load((ROOT / "scenarios" / "remediation-exception-deleted.yaml").read_text(encoding="utf-8"))
    by_api = {
        "at": 5400,
        "call": {
            "service": "config",
            "operation": "DeleteRemediationExceptions",
            "params": {"ConfigRuleName": "cloudtrail-enabled", "ResourceKeys": ACCOUNT_KEY},
        },
    }
    source["events"] = [event if event.get("config") is None else by_api for event in source["events"]]
    source["world"] = str(ROOT / "scenarios" / "worlds" / "broken-bucket-policy.yaml")
    path = tmp_path / "by-api.yaml"
    path.write_text(yaml.safe_dump(source, sort_keys=False), encoding="utf-8")
    report = play(load_scenario(path))
    assert report.data["unmet"] == [] and report.expectations_met
    assert [e["error"] for e in report.data["events"]] == [None, None, None]
    assert [r["status"] for r in report.data["remediations"]][-1] == "SUCCEEDED"
