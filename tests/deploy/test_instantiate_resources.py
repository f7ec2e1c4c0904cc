"""Instantiating templates, part by part: every resource type the project's templates use (or will), each property
applied through the fakes as S3, KMS, IAM, SNS, EventBridge and Config apply it; parameters and Rules refused as
CloudFormation refuses them; creation order, conditions, and the StackSet's deployment targets; template files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.test_instantiate import MANAGEMENT, MEMBERS, ORG_PARAMS, PROD, ROOT, WORKLOADS, organization_base
from toolkit.deploy.instantiate import InstantiateError, creation_order, deploy, instantiate
from toolkit.deploy.intrinsics import Stack, TemplateError, references
from toolkit.deploy.organization import organization_template
from toolkit.deploy.parameters import ParameterError, checked_parameters
from toolkit.deploy.template import template
from toolkit.deploy.template_file import read_template, read_template_text
from toolkit.errors import LoadError
from toolkit.fakes.default import default_data
from toolkit.fakes.world import World

ACCOUNT = "123456789012"
REGION = "us-east-1"
ALLOW_ALL_TRUST = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}


def base(**sections: Any) -> World:
    return World.from_dict({**default_data(), **sections})


# -- every resource type ------------------------------------------------------------------------------------------

EVERYTHING: dict[str, Any] = {
    "Resources": {
        "AccessLogs": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": {"Fn::Sub": "access-logs-${AWS::AccountId}"},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            },
        },
        "Key": {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "Description": "everything",
                "EnableKeyRotation": True,
                "RotationPeriodInDays": 180,
                "PendingWindowInDays": 7,
                "Tags": [{"Key": "team", "Value": "security"}],
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                },
            },
        },
        "KeyAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": "alias/everything", "TargetKeyId": {"Ref": "Key"}},
        },
        "Logs": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": {"Fn::Sub": "logs-${AWS::AccountId}-${AWS::Region}"},
                "VersioningConfiguration": {"Status": "Enabled"},
                "ObjectLockEnabled": True,
                "ObjectLockConfiguration": {
                    "ObjectLockEnabled": "Enabled",
                    "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}},
                },
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {
                            "ServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]},
                            },
                            "BucketKeyEnabled": True,
                        }
                    ]
                },
                "LifecycleConfiguration": {
                    "Rules": [
                        {
                            "Id": "expire",
                            "Status": "Enabled",
                            "Prefix": "tmp/",
                            "ExpirationInDays": 7,
                            "NoncurrentVersionExpirationInDays": 30,
                            "Transitions": [{"StorageClass": "GLACIER", "TransitionInDays": 1}],
                        }
                    ]
                },
                "LoggingConfiguration": {"DestinationBucketName": {"Ref": "AccessLogs"}, "LogFilePrefix": "logs/"},
                "Tags": [{"Key": "team", "Value": "security"}],
            },
        },
        "Topic": {
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "TopicName": "alarms",
                "DisplayName": "Alarms",
                "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:inbox"}],
            },
        },
        "TopicPolicy": {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [{"Ref": "Topic"}],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sns:Publish",
                            "Resource": {"Ref": "Topic"},
                        }
                    ],
                },
            },
        },
        "Audit": {
            "Type": "AWS::SNS::Subscription",
            "Properties": {
                "TopicArn": {"Ref": "Topic"},
                "Protocol": "sqs",
                "Endpoint": "arn:aws:sqs:us-east-1:123456789012:audit",
                "RawMessageDelivery": True,
            },
        },
        "GaveUp": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Description": "remediation gave up",
                "EventPattern": {"source": ["aws.config"], "detail-type": ["Config Rules Compliance Change"]},
                "Targets": [{"Id": "alarm", "Arn": {"Ref": "Topic"}}],
            },
        },
        "ConfigRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Path": "/service/",
                "MaxSessionDuration": 7200,
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "config.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"],
                "Tags": [{"Key": "team", "Value": "security"}],
            },
        },
        "ReadLogs": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "ManagedPolicyName": "ReadLogs",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${Logs.Arn}/*"}}
                    ],
                },
                "Roles": [{"Ref": "ConfigRole"}],
            },
        },
        "Recorder": {
            "Type": "AWS::Config::ConfigurationRecorder",
            "Properties": {
                "RoleARN": {"Fn::GetAtt": ["ConfigRole", "Arn"]},
                "RecordingGroup": {"AllSupported": True, "IncludeGlobalResourceTypes": True},
            },
        },
        "Channel": {
            "Type": "AWS::Config::DeliveryChannel",
            "Properties": {
                "S3BucketName": {"Ref": "Logs"},
                "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "One_Hour"},
            },
            "DependsOn": "Recorder",
        },
        "MultiRegion": {
            "Type": "AWS::Config::ConfigRule",
            "DependsOn": ["Recorder"],
            "Properties": {
                "ConfigRuleName": "multi-region-cloudtrail-enabled",
                "Source": {"Owner": "AWS", "SourceIdentifier": "MULTI_REGION_CLOUD_TRAIL_ENABLED"},
                "InputParameters": {"s3BucketName": {"Ref": "Logs"}},
            },
        },
    }
}


@pytest.fixture(scope="module")
def everything() -> Any:
    return deploy(EVERYTHING, {}, World.default())


def test_every_resource_type_is_created_in_dependency_order(everything: Any) -> None:
    order = [item.logical_id for item in everything.stacks[0].resources]
    assert order == [
        "AccessLogs",
        "ConfigRole",
        "Key",
        "KeyAlias",
        "Logs",
        "ReadLogs",
        "Recorder",
        "Channel",
        "MultiRegion",
        "Topic",
        "Audit",
        "GaveUp",
        "TopicPolicy",
    ]
    assert order == creation_order(EVERYTHING["Resources"])


def test_the_buckets_configurations_are_s3s_own(everything: Any) -> None:
    world, bucket = everything.world, "logs-123456789012-us-east-1"
    key_arn = next(item for item in everything.stacks[0].resources if item.logical_id == "Key").attributes["Arn"]
    assert world.call("s3", "GetObjectLockConfiguration", {"Bucket": bucket})["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}},
    }
    rules = world.call("s3", "GetBucketLifecycleConfiguration", {"Bucket": bucket})["Rules"]
    assert rules == [
        {
            "ID": "expire",
            "Status": "Enabled",
            "Filter": {"Prefix": "tmp/"},
            "Expiration": {"Days": 7},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
            "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}],
        }
    ]
    logging = world.call("s3", "GetBucketLogging", {"Bucket": bucket})["LoggingEnabled"]
    assert logging == {"TargetBucket": "access-logs-123456789012", "TargetPrefix": "logs/"}
    (rule,) = world.call("s3", "GetBucketEncryption", {"Bucket": bucket})["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule == {
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
        "BucketKeyEnabled": True,
    }
    assert world.call("s3", "GetBucketTagging", {"Bucket": bucket})["TagSet"] == [{"Key": "team", "Value": "security"}]


def test_the_key_alias_role_and_policy(everything: Any) -> None:
    world = everything.world
    (key_id,) = [item.physical_id for item in everything.stacks[0].resources if item.logical_id == "Key"]
    rotation = world.call("kms", "GetKeyRotationStatus", {"KeyId": key_id})
    assert (rotation["KeyRotationEnabled"], rotation["RotationPeriodInDays"]) == (True, 180)
    assert world.call("kms", "ListResourceTags", {"KeyId": key_id})["Tags"] == [
        {"TagKey": "team", "TagValue": "security"}
    ]
    assert world.call("kms", "DescribeKey", {"KeyId": "alias/everything"})["KeyMetadata"]["KeyId"] == key_id
    (role_name,) = [item.physical_id for item in everything.stacks[0].resources if item.logical_id == "ConfigRole"]
    role = world.call("iam", "GetRole", {"RoleName": role_name})["Role"]
    assert (role["Path"], role["MaxSessionDuration"], role["Tags"]) == (
        "/service/",
        7200,
        [{"Key": "team", "Value": "security"}],
    )
    attached = world.call("iam", "ListAttachedRolePolicies", {"RoleName": role_name})["AttachedPolicies"]
    assert [item["PolicyName"] for item in attached] == ["AWS_ConfigRole", "ReadLogs"]


def test_the_topic_its_policy_subscriptions_and_the_eventbridge_rule(everything: Any) -> None:
    world = everything.world
    arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:alarms"
    attributes = world.call("sns", "GetTopicAttributes", {"TopicArn": arn})["Attributes"]
    assert attributes["DisplayName"] == "Alarms"
    assert json.loads(attributes["Policy"])["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    subscriptions = world.call("sns", "ListSubscriptionsByTopic", {"TopicArn": arn})["Subscriptions"]
    assert sorted(item["Endpoint"].rsplit(":", 1)[1] for item in subscriptions) == ["audit", "inbox"]
    (audit,) = [item for item in subscriptions if item["Endpoint"].endswith(":audit")]
    got = world.call("sns", "GetSubscriptionAttributes", {"SubscriptionArn": audit["SubscriptionArn"]})
    assert got["Attributes"]["RawMessageDelivery"] == "true"
    (rule_name,) = [item.physical_id for item in everything.stacks[0].resources if item.logical_id == "GaveUp"]
    rule = world.call("events", "DescribeRule", {"Name": rule_name})
    assert json.loads(rule["EventPattern"]) == EVERYTHING["Resources"]["GaveUp"]["Properties"]["EventPattern"]
    targets = world.call("events", "ListTargetsByRule", {"Rule": rule_name})["Targets"]
    assert targets == [{"Id": "alarm", "Arn": arn}]


def test_config_records_once_the_delivery_channel_is_there(everything: Any) -> None:
    world = everything.world
    (status,) = world.call("config", "DescribeConfigurationRecorderStatus", {})["ConfigurationRecordersStatus"]
    assert status["recording"] is True
    (channel,) = world.call("config", "DescribeDeliveryChannels", {})["DeliveryChannels"]
    assert (channel["s3BucketName"], channel["configSnapshotDeliveryProperties"]) == (
        "logs-123456789012-us-east-1",
        {"deliveryFrequency": "One_Hour"},
    )
    (rule,) = world.call("config", "DescribeConfigRules", {})["ConfigRules"]
    assert json.loads(rule["InputParameters"]) == {"s3BucketName": "logs-123456789012-us-east-1"}


def test_the_world_with_every_type_round_trips(everything: Any, tmp_path: Path) -> None:
    everything.world.dump(tmp_path / "w.yaml")
    assert World.load(tmp_path / "w.yaml") == everything.world


# -- what is refused ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pattern_template() -> dict[str, Any]:
    return template()


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"TrailName": "bad name"}, "Parameter 'TrailName' must match pattern ^[A-Za-z0-9][-A-Za-z0-9_.]{2,127}$"),
        ({"IsOrganizationTrail": "yes"}, "Parameter 'IsOrganizationTrail' must be one of AllowedValues"),
        ({"MaximumAutomaticAttempts": "0"}, "Parameter 'MaximumAutomaticAttempts' must be a number not less than 1"),
        ({"MaximumAutomaticAttempts": 26}, "Parameter 'MaximumAutomaticAttempts' must be a number not greater than 25"),
        ({"RetryAttemptSeconds": "soon"}, "Parameter 'RetryAttemptSeconds' must be a number"),
        ({"Trail": "main"}, "Parameters: [Trail] do not exist in the template"),
        (
            {"IsOrganizationTrail": "true"},
            "Rule OrganizationTrailNeedsId: An organization trail needs OrganizationId (its log path). "
            "(parameters IsOrganizationTrail, OrganizationId)",
        ),
    ],
)
def test_bad_parameters_are_refused_as_cloudformation_refuses_them(
    pattern_template: dict[str, Any], parameters: dict[str, Any], message: str
) -> None:
    with pytest.raises(ParameterError) as refused:
        instantiate(pattern_template, parameters, base())
    assert message in str(refused.value)
    assert str(refused.value).startswith("stack cloudtrail-remediation in 123456789012 us-east-1: ")


def test_a_parameter_without_value_or_default_is_refused() -> None:
    with pytest.raises(ParameterError) as refused:
        instantiate(organization_template(), {"AdministratorRoleArn": "arn:aws:iam::*:role/OrgAdmin"}, base())
    assert "Parameters: [OrganizationalUnitIds, OrganizationId, LogArchiveAccountId] must have values" in str(
        refused.value
    )
    with pytest.raises(ParameterError) as pattern:
        instantiate(organization_template(), {**ORG_PARAMS, "AdministratorRoleArn": "*"}, base())
    assert "Parameter 'AdministratorRoleArn' must match pattern" in str(pattern.value)


def test_allowed_pattern_is_read_as_cloudformations_java_reads_it() -> None:
    """\\w is ASCII in Java (CloudFormation refuses tráil for ^[\\w-]+$), the whole value must match, and Java's
    syntax is read (\\Q...\\E)."""
    template = {
        "Parameters": {
            "Name": {"Type": "String", "AllowedPattern": "^[\\w-]+$"},
            "Tag": {"Type": "String", "AllowedPattern": "\\Qa.b\\E"},
        },
        "Resources": {},
    }
    assert checked_parameters(template, {"Name": "trail", "Tag": "a.b"}) == {"Name": "trail", "Tag": "a.b"}
    with pytest.raises(ParameterError, match="Parameter 'Name' must match pattern"):
        checked_parameters(template, {"Name": "tr\u00e1il", "Tag": "a.b"})
    with pytest.raises(ParameterError, match="Parameter 'Tag' must match pattern"):
        checked_parameters(template, {"Name": "trail", "Tag": "axb"})


SMALL: dict[str, Any] = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "small-1"}}}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"Resources": {"Box": {"Type": "AWS::EC2::Instance"}}},
            "Box (AWS::EC2::Instance): resource type AWS::EC2::Instance cannot be instantiated",
        ),
        (
            {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"WebsiteConfiguration": {}}}}},
            "Bucket (AWS::S3::Bucket): property WebsiteConfiguration is not instantiated",
        ),
        (
            {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "CreationPolicy": {}}}},
            "Bucket (AWS::S3::Bucket): resource attribute CreationPolicy is not instantiated",
        ),
        ({"Transform": "AWS::Serverless-2016-10-31"}, "Transform is not instantiated"),
        ({"Imports": {}}, "unknown template section Imports"),
        (
            {"Outputs": {"Domain": {"Value": {"Fn::GetAtt": ["Bucket", "WebsiteURL"]}}}},
            "Outputs.Domain: Fn::GetAtt Bucket.WebsiteURL: a AWS::S3::Bucket has no such attribute here",
        ),
        (
            {"Outputs": {"Zones": {"Value": {"Fn::GetAZs": ""}}}},
            "Outputs.Zones: Fn::GetAZs is not evaluated here",
        ),
        (
            {
                "Resources": {
                    "A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["B", "TopicName"]}}},
                    "B": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["A", "TopicName"]}}},
                }
            },
            "Circular dependency between resources: [A, B]",
        ),
        (
            {"Resources": {"A": {"Type": "AWS::SNS::Topic", "DependsOn": "Missing"}}},
            "A (AWS::SNS::Topic): DependsOn names Missing, which is not a resource of the template",
        ),
        (
            {
                "Conditions": {"Never": {"Fn::Equals": ["a", "b"]}},
                "Resources": {
                    "Hidden": {"Type": "AWS::SNS::Topic", "Condition": "Never"},
                    "Seen": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Hidden"}}},
                },
            },
            "Seen (AWS::SNS::Topic): Hidden (AWS::SNS::Topic) is referred to, but its Condition Never is false",
        ),
    ],
)
def test_what_cannot_be_instantiated_is_an_error_naming_it(change: dict[str, Any], message: str) -> None:
    world = base()
    before = world.to_dict()
    with pytest.raises(TemplateError) as refused:
        instantiate({**SMALL, **change}, {}, world)
    assert message in str(refused.value)
    assert world.to_dict() == before


def test_aws_errors_name_the_resource_and_the_call() -> None:
    lockout = {
        "Resources": {
            "Key": {
                "Type": "AWS::KMS::Key",
                "Properties": {
                    "KeyPolicy": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                "Action": "kms:*",
                                "Resource": "*",
                            }
                        ],
                    }
                },
            }
        }
    }
    with pytest.raises(InstantiateError) as refused:
        instantiate(lockout, {}, base())
    assert "Key (AWS::KMS::Key): kms CreateKey failed: MalformedPolicyDocumentException" in str(refused.value)
    bypassed = json.loads(json.dumps(lockout))
    bypassed["Resources"]["Key"]["Properties"]["BypassPolicyLockoutSafetyCheck"] = True
    instantiate(bypassed, {}, base())
    taken = {
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "trail-logs-123456789012"}}}
    }
    with pytest.raises(InstantiateError) as exists:
        instantiate(taken, {}, base())
    assert "Resource of type 'AWS::S3::Bucket' with identifier 'trail-logs-123456789012' already exists." in str(
        exists.value
    )


def test_every_call_is_authorized_as_the_stacks_principal() -> None:
    read_only = {
        "Name": "Auditor",
        "AssumeRolePolicyDocument": ALLOW_ALL_TRUST,
        "AttachedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    }
    world = base(Roles=[read_only], Caller=f"arn:aws:iam::{ACCOUNT}:role/Auditor")
    with pytest.raises(InstantiateError) as denied:
        instantiate(SMALL, {}, world)
    assert "Bucket (AWS::S3::Bucket): s3 CreateBucket failed: AccessDenied: " in str(denied.value)
    assert f"arn:aws:sts::{ACCOUNT}:assumed-role/Auditor/runbook-simulate" in str(denied.value)
    admin = {**read_only, "Name": "Deployer", "AttachedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]}
    world = base(Roles=[read_only, admin], Caller=f"arn:aws:iam::{ACCOUNT}:role/Auditor")
    deployed = deploy(SMALL, {}, world, caller=f"arn:aws:iam::{ACCOUNT}:role/Deployer")
    assert deployed.stacks[0].principal == f"arn:aws:iam::{ACCOUNT}:role/Deployer"
    with pytest.raises(InstantiateError) as elsewhere:
        instantiate(SMALL, {}, world, caller="arn:aws:iam::444455556666:role/Deployer")
    assert "is of account 444455556666, not of the stack's account 123456789012" in str(elsewhere.value)


def test_a_stack_in_another_account_of_the_world_runs_as_its_admin_role() -> None:
    world = organization_base()
    deployed = deploy(SMALL, {}, world, account="444455556666", region="eu-west-1")
    (stack,) = deployed.stacks
    assert (stack.account, stack.region, stack.principal) == (
        "444455556666",
        "eu-west-1",
        "arn:aws:iam::444455556666:role/Admin",
    )
    assert deployed.world.accounts["444455556666"].buckets["small-1"].region == "eu-west-1"
    data = world.to_dict()
    data["Accounts"]["444455556666"]["Roles"] = []
    with pytest.raises(InstantiateError) as refused:
        instantiate(SMALL, {}, World.from_dict(data), account="444455556666")
    assert "account 444455556666 has no role Admin to create the stack as" in str(refused.value)
    with pytest.raises(InstantiateError) as unknown:
        instantiate(SMALL, {}, world, account="999999999999")
    assert "account 999999999999 is not an account of the world" in str(unknown.value)


def test_conditions_and_no_value() -> None:
    data = {
        "Parameters": {"Named": {"Type": "String", "AllowedValues": ["yes", "no"]}},
        "Conditions": {"IsNamed": {"Fn::Equals": [{"Ref": "Named"}, "yes"]}},
        "Resources": {
            "Topic": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"TopicName": {"Fn::If": ["IsNamed", "named", {"Ref": "AWS::NoValue"}]}},
            },
            "Only": {"Type": "AWS::SNS::Topic", "Condition": "IsNamed", "Properties": {"TopicName": "only"}},
        },
    }
    named = deploy(data, {"Named": "yes"}, base())
    assert [item.physical_id for item in named.stacks[0].resources] == [
        f"arn:aws:sns:{REGION}:{ACCOUNT}:only",
        f"arn:aws:sns:{REGION}:{ACCOUNT}:named",
    ]
    unnamed = deploy(data, {"Named": "no"}, base())
    (topic,) = unnamed.stacks[0].resources
    assert topic.physical_id.startswith(f"arn:aws:sns:{REGION}:{ACCOUNT}:cloudtrail-remediation-Topic-")
    assert unnamed.stacks[0].skipped == ["Only"]


def test_generated_names_are_derived_from_stack_logical_id_account_and_region() -> None:
    def name(account: str, region: str, stack: str = "s") -> str:
        return Stack({}, account=account, region=region, stack_name=stack).generated_name("LogBucket", 63, lower=True)

    assert name(ACCOUNT, REGION) == name(ACCOUNT, REGION)
    assert (
        len(
            {
                name(ACCOUNT, REGION),
                name("444455556666", REGION),
                name(ACCOUNT, "eu-west-1"),
                name(ACCOUNT, REGION, "t"),
            }
        )
        == 4
    )
    long = Stack({}, account=ACCOUNT, region=REGION, stack_name="x" * 100).generated_name("LogBucket", 63, lower=True)
    assert len(long) == 63 and long.startswith("x" * 49 + "-")


def test_references_follow_every_branch() -> None:
    value = {
        "A": {"Ref": "Bucket"},
        "B": {"Fn::GetAtt": "Key.Arn"},
        "C": {"Fn::Sub": ["${Role.Arn}/${Topic}/${Local}/${!Literal}/${AWS::Region}", {"Local": {"Ref": "Doc"}}]},
        "D": {"Fn::If": ["Cond", {"Ref": "Left"}, {"Ref": "Right"}]},
        "E": {"Ref": "Param"},
    }
    names = {"Bucket", "Key", "Role", "Topic", "Doc", "Left", "Right", "Local", "Literal"}
    assert references(value, names) == {"Bucket", "Key", "Role", "Topic", "Doc", "Left", "Right"}


def test_the_other_functions() -> None:
    data = {
        "Parameters": {"Zones": {"Type": "CommaDelimitedList", "Default": "a, b,c"}},
        "Mappings": {"Sizes": {"us-east-1": {"Days": 7}}},
    }
    stack = Stack(data, account=ACCOUNT, region=REGION)
    assert stack.resolve({"Ref": "Zones"}) == ["a", "b", "c"]
    assert stack.resolve({"Fn::Join": ["-", {"Ref": "Zones"}]}) == "a-b-c"
    assert stack.resolve({"Fn::Select": ["1", {"Fn::Split": [",", "x,y,z"]}]}) == "y"
    assert stack.resolve({"Fn::FindInMap": ["Sizes", {"Ref": "AWS::Region"}, "Days"]}) == 7
    assert stack.resolve({"Fn::Base64": "hi"}) == "aGk="
    assert stack.resolve({"Ref": "AWS::StackId"}).startswith(
        f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/cloudtrail-remediation/"
    )
    assert stack.truth({"Fn::Contains": [{"Ref": "Zones"}, "b"]})
    assert stack.truth({"Fn::EachMemberIn": [{"Ref": "Zones"}, ["a", "b", "c", "d"]]})
    assert not stack.truth({"Fn::EachMemberEquals": [{"Ref": "Zones"}, "a"]})


# -- the StackSet's deployment targets ----------------------------------------------------------------------------

BODY: dict[str, Any] = {
    "Parameters": {"Suffix": {"Type": "String", "Default": "one"}},
    "Resources": {
        "Bucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": {"Fn::Sub": "member-${AWS::AccountId}-${AWS::Region}-${Suffix}"}},
        }
    },
}


def stack_set(targets: dict[str, Any], *groups: dict[str, Any], body: Any = None, **extra: Any) -> dict[str, Any]:
    properties = {
        "StackSetName": "probe",
        "PermissionModel": "SERVICE_MANAGED",
        "TemplateBody": json.dumps(BODY) if body is None else body,
        "StackInstancesGroup": [{"DeploymentTargets": targets, "Regions": [REGION]}, *groups],
        **extra,
    }
    return {"Resources": {"Probe": {"Type": "AWS::CloudFormation::StackSet", "Properties": properties}}}


def instances(data: dict[str, Any], world: World | None = None, **options: Any) -> list[tuple[str, str, str]]:
    deployed = deploy(data, {}, world or organization_base(), **options)
    found = []
    for stack in deployed.stacks[1:]:
        assert stack.parent == "Probe"
        (bucket,) = [item.physical_id for item in stack.resources]
        assert deployed.world.accounts[stack.account].buckets[bucket].region == stack.region
        found.append((stack.account, stack.region, bucket))
    return found


MEMBER_IDS = sorted(MEMBERS)


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ({"OrganizationalUnitIds": [WORKLOADS]}, ["444455556666", "555566667777"]),
        ({"OrganizationalUnitIds": [PROD]}, ["555566667777"]),
        ({"OrganizationalUnitIds": [ROOT]}, MEMBER_IDS),
        (
            {"OrganizationalUnitIds": [WORKLOADS], "Accounts": ["555566667777"], "AccountFilterType": "INTERSECTION"},
            ["555566667777"],
        ),
        (
            {"OrganizationalUnitIds": [WORKLOADS], "Accounts": ["555566667777"], "AccountFilterType": "DIFFERENCE"},
            ["444455556666"],
        ),
        (
            {
                "OrganizationalUnitIds": [WORKLOADS],
                "Accounts": ["777788889999", MANAGEMENT],
                "AccountFilterType": "UNION",
            },
            ["444455556666", "555566667777", "777788889999"],
        ),
        ({"OrganizationalUnitIds": [WORKLOADS], "AccountFilterType": "NONE"}, ["444455556666", "555566667777"]),
    ],
)
def test_deployment_targets_select_the_accounts_under_the_ous(targets: dict[str, Any], expected: list[str]) -> None:
    """Child OUs included, the management account never, Accounts filtered as AccountFilterType says."""
    found = instances(stack_set(targets))
    assert [account for account, _, _ in found] == expected
    assert all(bucket == f"member-{account}-{REGION}-one" for account, _, bucket in found)


def test_regions_parameters_and_overrides() -> None:
    overridden = {
        "DeploymentTargets": {"OrganizationalUnitIds": [PROD]},
        "Regions": ["eu-west-1"],
        "ParameterOverrides": [{"ParameterKey": "Suffix", "ParameterValue": "three"}],
    }
    data = stack_set(
        {"OrganizationalUnitIds": [WORKLOADS]},
        overridden,
        Parameters=[{"ParameterKey": "Suffix", "ParameterValue": "two"}],
    )
    assert instances(data) == [
        ("444455556666", REGION, f"member-444455556666-{REGION}-two"),
        ("555566667777", REGION, f"member-555566667777-{REGION}-two"),
        ("555566667777", "eu-west-1", "member-555566667777-eu-west-1-three"),
    ]
    data["Resources"]["Probe"]["Properties"]["StackInstancesGroup"][0]["Regions"] = [REGION, "eu-west-1"]
    with pytest.raises(InstantiateError) as repeated:
        instantiate(data, {}, organization_base())
    assert "StackInstancesGroup[1] repeats the stack instance of 555566667777 in eu-west-1" in str(repeated.value)


def test_a_yaml_template_body_with_short_forms_and_an_account_the_world_did_not_hold() -> None:
    body = (
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        "      BucketName: !Sub 'yaml-${AWS::AccountId}'\n"
    )
    data = organization_base().to_dict()
    del data["Accounts"]["444455556666"]
    found = instances(stack_set({"OrganizationalUnitIds": [WORKLOADS]}, body=body), World.from_dict(data))
    assert found == [("444455556666", REGION, "yaml-444455556666"), ("555566667777", REGION, "yaml-555566667777")]


def group(**targets: Any) -> dict[str, Any]:
    return {"StackInstancesGroup": [{"DeploymentTargets": targets, "Regions": [REGION]}]}


NAMED_ROLE = {
    "Resources": {
        "R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x", "AssumeRolePolicyDocument": ALLOW_ALL_TRUST}}
    }
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"PermissionModel": "SELF_MANAGED"}, "property PermissionModel SELF_MANAGED is not instantiated"),
        (
            {"CallAs": "DELEGATED_ADMIN"},
            "CallAs DELEGATED_ADMIN: account 111122223333 is not a delegated administrator",
        ),
        (
            group(OrganizationalUnitIds=["ou-ab12-99999999"]),
            "ou-ab12-99999999 is neither the root nor an OU of organization o-a1b2c3d4e5",
        ),
        (
            group(OrganizationalUnitIds=[WORKLOADS], Accounts=["444455556666"]),
            "Accounts are given with AccountFilterType NONE",
        ),
        (
            {"TemplateBody": json.dumps(NAMED_ROLE)},
            "InsufficientCapabilities: Requires capabilities : [CAPABILITY_NAMED_IAM]",
        ),
        ({"TemplateBody": "Resources: [unclosed"}, "property TemplateBody cannot be read"),
    ],
)
def test_stack_set_refusals(change: dict[str, Any], message: str) -> None:
    data = stack_set({"OrganizationalUnitIds": [WORKLOADS]})
    data["Resources"]["Probe"]["Properties"].update(change)
    with pytest.raises(InstantiateError) as refused:
        instantiate(data, {}, organization_base())
    assert message in str(refused.value)


def test_a_stack_set_needs_trusted_access_and_the_management_account() -> None:
    data = stack_set({"OrganizationalUnitIds": [WORKLOADS]})
    with pytest.raises(InstantiateError) as untrusted:
        instantiate(data, {}, organization_base(trusted=False))
    assert "needs trusted access for member.org.stacksets.cloudformation.amazonaws.com" in str(untrusted.value)
    with pytest.raises(InstantiateError) as member:
        instantiate(data, {}, organization_base(), account="444455556666")
    assert "CallAs SELF: account 444455556666 is not the organization's management account" in str(member.value)


def test_an_scp_binds_the_stackset_execution_role() -> None:
    """The exec role is not a service-linked role: an SCP that denies it S3 stops the instance (the exec role itself
    is made by the member's service-linked role, which SCPs do not bind)."""
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:CreateBucket", "Resource": "*"}]}
    data = organization_base().to_dict()
    data["Organization"]["Policies"] = [{"Name": "NoBuckets", "Content": deny, "Targets": [PROD]}]
    with pytest.raises(InstantiateError) as denied:
        instantiate(stack_set({"OrganizationalUnitIds": [WORKLOADS]}), {}, World.from_dict(data))
    text = str(denied.value)
    assert text.startswith("stack StackSet-probe-") and " in 555566667777 us-east-1: " in text
    assert "Bucket (AWS::S3::Bucket): s3 CreateBucket failed: AccessDenied: " in text
    assert "with an explicit deny in a service control policy" in text


def test_the_organization_template_with_its_defaults_in_a_second_region() -> None:
    data = organization_base().to_dict()
    for sections in [data, *data["Accounts"].values()]:
        sections["ConfigurationRecorders"] = [
            {**item, "Region": "eu-west-1"} for item in sections["ConfigurationRecorders"]
        ]
    deployed = deploy(organization_template(), ORG_PARAMS, World.from_dict(data), region="eu-west-1")
    assert [(stack.account, stack.region, stack.parent) for stack in deployed.stacks] == [
        (MANAGEMENT, "eu-west-1", None),
        ("444455556666", "eu-west-1", "LogArchiveStackSet"),  # the log-archive account's bucket and key
        ("444455556666", "eu-west-1", "AlarmStackSet"),
        ("555566667777", "eu-west-1", "AlarmStackSet"),
        ("444455556666", "eu-west-1", "RemediationStackSet"),
        ("555566667777", "eu-west-1", "RemediationStackSet"),
    ]


# -- template files -----------------------------------------------------------------------------------------------


def test_yaml_short_forms_and_dates_read_as_cloudformation_reads_them(tmp_path: Path) -> None:
    text = """\
AWSTemplateFormatVersion: 2010-09-09
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::AccountId}-logs"
      Tags:
        - Key: arn
          Value: !GetAtt Key.Arn
        - Key: joined
          Value: !Join ["-", [!Select [0, !GetAZs ""], !If [IsProd, a, !Ref "AWS::NoValue"]]]
"""
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    data = read_template(tmp_path / "t.yaml")
    assert data["AWSTemplateFormatVersion"] == "2010-09-09"
    assert data["Conditions"]["IsProd"] == {"Fn::Equals": [{"Ref": "Env"}, "prod"]}
    tags = data["Resources"]["Bucket"]["Properties"]["Tags"]
    assert tags[0]["Value"] == {"Fn::GetAtt": ["Key", "Arn"]}
    assert tags[1]["Value"] == {
        "Fn::Join": [
            "-",
            [{"Fn::Select": [0, {"Fn::GetAZs": ""}]}, {"Fn::If": ["IsProd", "a", {"Ref": "AWS::NoValue"}]}],
        ]
    }
    assert read_template_text(json.dumps(data), file="t.json") == data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Resources: [", "t.yaml:1:"),
        ("Resources: !Bogus x", "unknown tag !Bogus"),
        ("- a list", "a template must be a mapping"),
        ('{"Resources": ', "t.yaml:1:"),
    ],
)
def test_unreadable_templates_name_the_file(text: str, message: str) -> None:
    with pytest.raises(LoadError) as refused:
        read_template_text(text, file="t.yaml")
    assert message in str(refused.value)
