"""AWS Config's resources, created as CloudFormation creates them, through the fake Config (which checks a rule's
source and parameters, that a recorder exists before a rule or delivery channel, the recorder's role, the delivery
channel's bucket, key and topic, and a remediation's rule):

- AWS::Config::ConfigurationRecorder: PutConfigurationRecorder; "AWS CloudFormation starts the recorder as soon as
  the delivery channel is available" (the resource's reference page), so StartConfigurationRecorder follows at once
  when the region has a delivery channel, or when the stack's delivery channel is created.
- AWS::Config::DeliveryChannel: PutDeliveryChannel (then starts the recorder, as above).
- AWS::Config::ConfigRule: PutConfigRule (InputParameters given as a mapping are sent as its JSON text).
- AWS::Config::RemediationConfiguration: PutRemediationConfigurations (numbers given as text, as a Ref of a Number
  parameter gives them, are converted).

Config's Put operations create or update; CloudFormation refuses to create a resource that exists, so a rule, a
remediation configuration (its rule's), a recorder or a delivery channel of the same name already in the region is
refused (AlreadyExists). Names the template leaves out are generated.
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Resource
from toolkit.fakes.config.common import REMEDIATION_REQUEST_KEYS
from toolkit.fakes.errors import AwsError

RULE_PROPERTIES: Final = (
    "ConfigRuleName",
    "Description",
    "Source",
    "InputParameters",
    "MaximumExecutionFrequency",
    "Scope",
)
REMEDIATION_PROPERTIES: Final = REMEDIATION_REQUEST_KEYS


def config_rule(resource: Resource) -> Physical:
    properties = resource.accept(RULE_PROPERTIES, required=("Source",))
    name = resource.name("ConfigRuleName", 128)
    if _exists(resource, "DescribeConfigRules", {"ConfigRuleNames": [name]}, "ConfigRules"):
        raise resource.already_exists(name)
    rule: dict[str, Any] = {"ConfigRuleName": name, "Source": resource.mapping(properties["Source"], "Source")}
    if "InputParameters" in properties:
        rule["InputParameters"] = resource.json_text(properties["InputParameters"], "InputParameters")
    for key in ("Description", "MaximumExecutionFrequency"):
        if key in properties:
            rule[key] = resource.text(properties[key], key)
    if "Scope" in properties:
        rule["Scope"] = resource.mapping(properties["Scope"], "Scope")
    resource.call("config", "PutConfigRule", {"ConfigRule": rule})
    (found,) = resource.call("config", "DescribeConfigRules", {"ConfigRuleNames": [name]})["ConfigRules"]
    return Physical(name, {"Arn": str(found["ConfigRuleArn"]), "ConfigRuleId": str(found["ConfigRuleId"])})


def remediation_configuration(resource: Resource) -> Physical:
    properties = resource.accept(REMEDIATION_PROPERTIES, required=("ConfigRuleName", "TargetId", "TargetType"))
    rule = resource.text(properties["ConfigRuleName"], "ConfigRuleName")
    if _exists(resource, "DescribeRemediationConfigurations", {"ConfigRuleNames": [rule]}, "RemediationConfigurations"):
        raise resource.already_exists(rule)
    configuration: dict[str, Any] = {"ConfigRuleName": rule}
    for key in ("TargetType", "TargetId", "TargetVersion", "ResourceType"):
        if key in properties:
            configuration[key] = resource.text(properties[key], key)
    for key in ("Parameters", "ExecutionControls"):
        if key in properties:
            configuration[key] = resource.mapping(properties[key], key)
    if "Automatic" in properties:
        configuration["Automatic"] = resource.boolean(properties["Automatic"], "Automatic")
    for key in ("MaximumAutomaticAttempts", "RetryAttemptSeconds"):
        if key in properties:
            configuration[key] = resource.integer(properties[key], key)
    resource.call("config", "PutRemediationConfigurations", {"RemediationConfigurations": [configuration]})
    described = resource.call("config", "DescribeRemediationConfigurations", {"ConfigRuleNames": [rule]})
    (found,) = described["RemediationConfigurations"]
    return Physical(str(found.get("Arn", rule)))


RECORDING_GROUP: Final = {
    "AllSupported": "allSupported",
    "IncludeGlobalResourceTypes": "includeGlobalResourceTypes",
    "ResourceTypes": "resourceTypes",
    "ExclusionByResourceTypes": "exclusionByResourceTypes",
    "RecordingStrategy": "recordingStrategy",
}


def configuration_recorder(resource: Resource) -> Physical:
    properties = resource.accept(("Name", "RoleARN", "RecordingGroup", "RecordingMode"), required=("RoleARN",))
    name = resource.name("Name", 256)
    if _exists(
        resource,
        "DescribeConfigurationRecorders",
        {"ConfigurationRecorderNames": [name]},
        "ConfigurationRecorders",
        "NoSuchConfigurationRecorderException",
    ):
        raise resource.already_exists(name)
    recorder: dict[str, Any] = {"name": name, "roleARN": resource.text(properties["RoleARN"], "RoleARN")}
    if "RecordingGroup" in properties:
        group = resource.converted(properties["RecordingGroup"], "RecordingGroup", RECORDING_GROUP)
        for key in ("allSupported", "includeGlobalResourceTypes"):
            if key in group:
                group[key] = resource.boolean(group[key], f"RecordingGroup.{key}")
        if "exclusionByResourceTypes" in group:
            group["exclusionByResourceTypes"] = resource.converted(
                group["exclusionByResourceTypes"],
                "RecordingGroup.ExclusionByResourceTypes",
                {"ResourceTypes": "resourceTypes"},
            )
        if "recordingStrategy" in group:
            group["recordingStrategy"] = resource.converted(
                group["recordingStrategy"], "RecordingGroup.RecordingStrategy", {"UseOnly": "useOnly"}
            )
        recorder["recordingGroup"] = group
    if "RecordingMode" in properties:
        recorder["recordingMode"] = _recording_mode(resource, properties["RecordingMode"])
    resource.call("config", "PutConfigurationRecorder", {"ConfigurationRecorder": recorder})
    if resource.call("config", "DescribeDeliveryChannels", {}).get("DeliveryChannels"):
        resource.call("config", "StartConfigurationRecorder", {"ConfigurationRecorderName": name})
    return Physical(name)


def _recording_mode(resource: Resource, value: Any) -> dict[str, Any]:
    key = "RecordingMode"
    mode = resource.converted(
        value, key, {"RecordingFrequency": "recordingFrequency", "RecordingModeOverrides": "recordingModeOverrides"}
    )
    overrides = resource.items(mode.get("recordingModeOverrides", []), f"{key}.RecordingModeOverrides")
    names = {"Description": "description", "ResourceTypes": "resourceTypes", "RecordingFrequency": "recordingFrequency"}
    if "recordingModeOverrides" in mode:
        mode["recordingModeOverrides"] = [
            resource.converted(item, f"{key}.RecordingModeOverrides", names) for item in overrides
        ]
    return dict(mode)


def delivery_channel(resource: Resource) -> Physical:
    names = {
        "Name": "name",
        "S3BucketName": "s3BucketName",
        "S3KeyPrefix": "s3KeyPrefix",
        "S3KmsKeyArn": "s3KmsKeyArn",
        "SnsTopicARN": "snsTopicARN",
    }
    properties = resource.accept((*names, "ConfigSnapshotDeliveryProperties"), required=("S3BucketName",))
    name = resource.name("Name", 256)
    if _exists(
        resource,
        "DescribeDeliveryChannels",
        {"DeliveryChannelNames": [name]},
        "DeliveryChannels",
        "NoSuchDeliveryChannelException",
    ):
        raise resource.already_exists(name)
    channel: dict[str, Any] = {
        names[key]: resource.text(value, key) for key, value in properties.items() if key in names
    }
    channel["name"] = name
    if "ConfigSnapshotDeliveryProperties" in properties:
        channel["configSnapshotDeliveryProperties"] = resource.converted(
            properties["ConfigSnapshotDeliveryProperties"],
            "ConfigSnapshotDeliveryProperties",
            {"DeliveryFrequency": "deliveryFrequency"},
        )
    resource.call("config", "PutDeliveryChannel", {"DeliveryChannel": channel})
    resources = resource.stack.template.get("Resources") or {}
    ours = {
        found.id
        for logical, found in (resource.stack.physical or {}).items()
        if resources.get(logical, {}).get("Type") == "AWS::Config::ConfigurationRecorder"
    }
    for recorder in resource.call("config", "DescribeConfigurationRecorders", {}).get("ConfigurationRecorders", []):
        if recorder["name"] in ours:
            resource.call("config", "StartConfigurationRecorder", {"ConfigurationRecorderName": recorder["name"]})
    return Physical(name)


def _exists(
    resource: Resource, operation: str, params: dict[str, Any], listed: str, missing: str | None = None
) -> bool:
    """Whether a Describe call finds the named Config resource (the Describe of an absent rule or recorder fails
    with its ``missing`` error, or lists nothing)."""
    try:
        found = resource.backend.call("config", operation, params)
    except AwsError as err:
        if err.code in (missing, "NoSuchConfigRuleException"):
            return False
        raise resource.error(f"config {operation} failed: {err.code}: {err.message}") from err
    return bool(found.get(listed))


HANDLERS: Final[dict[str, Handler]] = {
    "AWS::Config::ConfigRule": config_rule,
    "AWS::Config::RemediationConfiguration": remediation_configuration,
    "AWS::Config::ConfigurationRecorder": configuration_recorder,
    "AWS::Config::DeliveryChannel": delivery_channel,
}
