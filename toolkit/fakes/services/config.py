"""The fake AWS Config's operations (``OPERATIONS``) on the state in ``toolkit.fakes.config.state``: the recorder and
delivery channel here, rules in ``toolkit.fakes.services.config_rules``, remediation in ``config_remediation``.

Recorder: PutConfigurationRecorder (one per region: MaxNumberOfConfigurationRecordersExceededException; a role is
required: InvalidRoleException), DescribeConfigurationRecorders, DescribeConfigurationRecorderStatus,
Start/StopConfigurationRecorder (NoAvailableDeliveryChannelException), DeleteConfigurationRecorder
(NoSuchConfigurationRecorderException). Delivery channel: PutDeliveryChannel (NoAvailableConfigurationRecorderException,
MaxNumberOfDeliveryChannelsExceededException, NoSuchBucketException when the bucket is not in the world,
InsufficientDeliveryPolicyException, InvalidS3KeyPrefixException, InvalidS3KmsKeyArnException,
InvalidSNSTopicARNException), DescribeDeliveryChannels, DeleteDeliveryChannel (NoSuchDeliveryChannelException,
LastDeliveryChannelDeleteFailedException while recording). Resource configuration: BatchGetResourceConfig in
``config_resources``.

The bucket policy is checked when Config would write as its service principal: with the service-linked role
(AWSServiceRoleForConfig) as the recorder's role, the policy must let config.amazonaws.com read the bucket's ACL and
put objects under ``[prefix/]AWSLogs/ACCOUNT/Config/`` (with ``s3:x-amz-acl`` bucket-owner-full-control), as the
Config developer guide's "Permissions for the Amazon S3 Bucket" page says; with a role of the account, Config writes
as that role and the bucket of the same account needs no policy (same page) [the role's own permissions are not
checked: UNVERIFIED whether PutDeliveryChannel checks them].
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.config.common import FREQUENCIES
from toolkit.fakes.config.state import (
    DEFAULT_RECORDING_GROUP,
    DEFAULT_RECORDING_MODE,
    ConfigurationRecorder,
    DeliveryChannel,
)
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json, invalid, opt_str, req_str, str_list
from toolkit.fakes.services import config_remediation, config_resources, config_rules
from toolkit.fakes.services.config_rules import structure
from toolkit.fakes.services.kms import resolve
from toolkit.iam.policy import request_context

CONFIG: Final = ("Service", "config.amazonaws.com")
SERVICE_LINKED_ROLE: Final = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def no_recorder(name: str) -> AwsError:
    return AwsError(
        "NoSuchConfigurationRecorderException", f"Cannot find configuration recorder with the specified name '{name}'."
    )


def no_channel(name: str) -> AwsError:
    return AwsError("NoSuchDeliveryChannelException", f"Cannot find delivery channel with specified name '{name}'.")


def _recorder(backend: FakeBackend, name: str) -> ConfigurationRecorder:
    recorder = backend.world.config.recorders.get(backend.region)
    if recorder is None or recorder.name != name:
        raise no_recorder(name)
    return recorder


# -- the configuration recorder ----------------------------------------------------------------------------------


def put_configuration_recorder(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    request = structure(params, "ConfigurationRecorder")
    name = request.get("name", "default")
    if not isinstance(name, str) or not name.strip():
        raise AwsError(
            "InvalidConfigurationRecorderNameException",
            f"The configuration recorder name '{name}' is not valid, blank string.",
        )
    role = request.get("roleARN")
    if not isinstance(role, str) or not role:
        raise AwsError(
            "InvalidRoleException",
            "You have provided a null or empty Amazon Resource Name (ARN) for the IAM role assumed by AWS Config and "
            "used by the customer managed configuration recorder.",
        )
    _check_role(backend, role)
    table = backend.world.config.recorders
    existing = table.get(backend.region)
    if existing is not None and existing.name != name:
        raise AwsError(
            "MaxNumberOfConfigurationRecordersExceededException",
            f"Failed to put configuration recorder '{name}' because the maximum number of configuration recorders: "
            "1 is reached.",
        )
    group = request.get("recordingGroup", DEFAULT_RECORDING_GROUP)
    if not isinstance(group, dict) or not group or (group.get("allSupported") and group.get("resourceTypes")):
        raise AwsError("InvalidRecordingGroupException", "The recording group provided is not valid")
    group = {**copy_json(DEFAULT_RECORDING_GROUP), **copy_json(group)}
    mode = request.get("recordingMode", DEFAULT_RECORDING_MODE)
    if not isinstance(mode, dict) or mode.get("recordingFrequency") not in ("CONTINUOUS", "DAILY"):
        raise invalid(
            "configurationRecorder.recordingMode.recordingFrequency",
            "Member must satisfy enum value set: [CONTINUOUS, DAILY]",
        )
    mode = {**copy_json(mode)}
    mode.setdefault("recordingModeOverrides", [])
    if existing is None:
        table[backend.region] = ConfigurationRecorder(name, backend.region, role, group, mode)
    else:
        table[backend.region] = replace(existing, role_arn=role, recording_group=group, recording_mode=mode)
    return {}


def _check_role(backend: FakeBackend, role: str) -> None:
    """The role must be a role of this account that Config may assume (the service-linked role always is)."""
    prefix = f"arn:{backend.partition}:iam::{backend.account}:"
    if not role.startswith(prefix) or not role[len(prefix) :].startswith("role/"):
        raise AwsError("InvalidRoleException", f"The role {role} is not a role of account {backend.account}.")
    if role[len(prefix) :] == SERVICE_LINKED_ROLE:
        return
    found = backend.world.roles.get(role.rsplit("/", 1)[-1])
    if found is None or found.trust_policy is None or not found.trust_policy.allows(CONFIG, "sts:AssumeRole", role):
        raise AwsError(
            "InvalidRoleException",
            f"The role {role} does not exist or AWS Config (config.amazonaws.com) may not assume it.",
        )


def _recorder_shape(backend: FakeBackend, recorder: ConfigurationRecorder) -> dict[str, Any]:
    return {
        "arn": recorder.arn(backend.partition, backend.account),
        "name": recorder.name,
        "roleARN": recorder.role_arn,
        "recordingGroup": copy_json(recorder.recording_group),
        "recordingMode": copy_json(recorder.recording_mode),
        "recordingScope": "PAID",
    }


def _recorders(backend: FakeBackend, params: dict[str, Any]) -> list[ConfigurationRecorder]:
    names = str_list(params, "ConfigurationRecorderNames") or []
    arn = opt_str(params, "Arn")
    recorder = backend.world.config.recorders.get(backend.region)
    if opt_str(params, "ServicePrincipal") is not None:
        return []  # service-linked recorders are not modelled: the world's recorders are the customer's own
    for name in names:
        if recorder is None or recorder.name != name:
            raise no_recorder(name)
    if arn is not None and (recorder is None or recorder.arn(backend.partition, backend.account) != arn):
        raise AwsError("NoSuchConfigurationRecorderException", f"Cannot find configuration recorder with ARN {arn}.")
    return [] if recorder is None else [recorder]


def describe_configuration_recorders(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"ConfigurationRecorders": [_recorder_shape(backend, r) for r in _recorders(backend, params)]}


def describe_configuration_recorder_status(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    statuses = []
    for recorder in _recorders(backend, params):
        status: dict[str, Any] = {"arn": recorder.arn(backend.partition, backend.account), "name": recorder.name}
        for key, value in (
            ("lastStartTime", recorder.last_start),
            ("lastStopTime", recorder.last_stop),
        ):
            if value is not None:
                status[key] = value
        status["recording"] = recorder.recording
        if recorder.last_status is not None:
            status["lastStatus"] = recorder.last_status
        if recorder.last_status_change is not None:
            status["lastStatusChangeTime"] = recorder.last_status_change
        statuses.append(status)
    return {"ConfigurationRecordersStatus": statuses}


def start_configuration_recorder(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    recorder = _recorder(backend, req_str(params, "ConfigurationRecorderName"))
    if backend.region not in backend.world.config.channels:
        raise AwsError(
            "NoAvailableDeliveryChannelException", "Delivery channel is not available to start configuration recorder."
        )
    now = backend.now()
    started = replace(recorder, recording=True, last_start=now, last_status="Pending", last_status_change=now)
    backend.world.config.recorders[backend.region] = started
    return {}


def stop_configuration_recorder(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    recorder = _recorder(backend, req_str(params, "ConfigurationRecorderName"))
    now = backend.now()
    backend.world.config.recorders[backend.region] = replace(
        recorder, recording=False, last_stop=now, last_status_change=now
    )
    return {}


def delete_configuration_recorder(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    _recorder(backend, req_str(params, "ConfigurationRecorderName"))
    del backend.world.config.recorders[backend.region]
    return {}


# -- the delivery channel ----------------------------------------------------------------------------------------


def put_delivery_channel(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    request = structure(params, "DeliveryChannel")
    recorder = backend.world.config.recorders.get(backend.region)
    if recorder is None:
        raise AwsError(
            "NoAvailableConfigurationRecorderException",
            "Configuration recorder is not available to put delivery channel.",
        )
    name = request.get("name", "default")
    if not isinstance(name, str) or not name.strip():
        raise AwsError(
            "InvalidDeliveryChannelNameException", f"The delivery channel name '{name}' is not valid, blank string."
        )
    existing = backend.world.config.channels.get(backend.region)
    if existing is not None and existing.name != name:
        raise AwsError(
            "MaxNumberOfDeliveryChannelsExceededException",
            f"Failed to put delivery channel '{name}' because the maximum number of delivery channels: 1 is reached.",
        )
    bucket_name = request.get("s3BucketName")
    if not isinstance(bucket_name, str) or not bucket_name:
        raise AwsError("NoSuchBucketException", "Cannot find a S3 bucket with an empty bucket name.")
    bucket = backend.world.buckets.get(bucket_name)
    if bucket is None:
        raise AwsError("NoSuchBucketException", f"Cannot find a S3 bucket with the specified name '{bucket_name}'.")
    prefix = request.get("s3KeyPrefix")
    if prefix is not None and (not isinstance(prefix, str) or not prefix):
        raise AwsError(
            "InvalidS3KeyPrefixException", f"The s3 key prefix '{prefix}' is not valid, empty s3 key prefix."
        )
    kms = request.get("s3KmsKeyArn")
    if kms is not None:
        _check_kms(backend, kms, bucket.region)
    topic = request.get("snsTopicARN")
    if topic is not None:
        _check_topic(backend, topic)
    properties = request.get("configSnapshotDeliveryProperties") or {}
    frequency = properties.get("deliveryFrequency") if isinstance(properties, dict) else None
    if frequency is not None and frequency not in FREQUENCIES:
        raise invalid(
            "deliveryChannel.configSnapshotDeliveryProperties.deliveryFrequency",
            f"Member must satisfy enum value set: [{', '.join(FREQUENCIES)}]",
        )
    if recorder.role_arn.endswith(SERVICE_LINKED_ROLE) and not _bucket_allows(backend, bucket_name, prefix):
        raise AwsError(
            "InsufficientDeliveryPolicyException",
            "Your Amazon S3 bucket policy does not allow AWS Config to write to it.",
        )
    backend.world.config.channels[backend.region] = DeliveryChannel(
        name, backend.region, bucket_name, prefix, kms, topic, frequency
    )
    return {}


def _check_kms(backend: FakeBackend, arn: object, bucket_region: str) -> None:
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        raise AwsError("InvalidS3KmsKeyArnException", f"The arn '{arn}' is not a valid kms key or alias arn.")
    region = arn.split(":")[3] if arn.count(":") >= 5 else ""
    try:
        resolve(backend, arn, region or backend.region)
    except AwsError as err:
        raise AwsError("InvalidS3KmsKeyArnException", f"The arn '{arn}' is not a valid kms key or alias arn.") from err
    if region != bucket_region:
        raise AwsError(
            "InvalidS3KmsKeyArnException",
            f"The arn '{arn}' is not valid: the KMS key must be in the bucket's region, {bucket_region}.",
        )


def _check_topic(backend: FakeBackend, arn: object) -> None:
    parts = arn.split(":") if isinstance(arn, str) else []
    if len(parts) != 6 or parts[2] != "sns" or (parts[3], parts[5]) not in backend.world.topics:
        raise AwsError("InvalidSNSTopicARNException", f"The sns topic arn '{arn}' is not valid.")


def _bucket_allows(backend: FakeBackend, name: str, prefix: str | None) -> bool:
    """Whether the bucket policy lets Config's service principal check the bucket and deliver to it."""
    policy = backend.world.buckets[name].policy
    if policy is None:
        return False
    base = f"arn:{backend.partition}:s3:::{name}"
    folder = f"{prefix}/" if prefix else ""
    source = {"aws:SourceAccount": backend.account}
    write = {**source, "s3:x-amz-acl": "bucket-owner-full-control"}
    return policy.allows(CONFIG, "s3:GetBucketAcl", base, request_context(source)) and policy.allows(
        CONFIG,
        "s3:PutObject",
        f"{base}/{folder}AWSLogs/{backend.account}/Config/{backend.region}/ConfigSnapshot.json.gz",
        request_context(write),
    )


def _channels(backend: FakeBackend, params: dict[str, Any]) -> list[DeliveryChannel]:
    channel = backend.world.config.channels.get(backend.region)
    for name in str_list(params, "DeliveryChannelNames") or []:
        if channel is None or channel.name != name:
            raise no_channel(name)
    return [] if channel is None else [channel]


def describe_delivery_channels(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    shapes = []
    for channel in _channels(backend, params):
        shape: dict[str, Any] = {"name": channel.name, "s3BucketName": channel.bucket}
        for key, value in (
            ("s3KeyPrefix", channel.prefix),
            ("s3KmsKeyArn", channel.kms_key_arn),
            ("snsTopicARN", channel.topic_arn),
        ):
            if value is not None:
                shape[key] = value
        if channel.frequency is not None:
            shape["configSnapshotDeliveryProperties"] = {"deliveryFrequency": channel.frequency}
        shapes.append(shape)
    return {"DeliveryChannels": shapes}


def delete_delivery_channel(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "DeliveryChannelName")
    channel = backend.world.config.channels.get(backend.region)
    if channel is None or channel.name != name:
        raise no_channel(name)
    recorder = backend.world.config.recorders.get(backend.region)
    if recorder is not None and recorder.recording:
        raise AwsError(
            "LastDeliveryChannelDeleteFailedException",
            f"Failed to delete last specified delivery channel with name '{name}', because there is a running "
            "configuration recorder.",
        )
    del backend.world.config.channels[backend.region]
    return {}


OPERATIONS: dict[str, Operation] = {
    "PutConfigurationRecorder": put_configuration_recorder,
    "DescribeConfigurationRecorders": describe_configuration_recorders,
    "DescribeConfigurationRecorderStatus": describe_configuration_recorder_status,
    "StartConfigurationRecorder": start_configuration_recorder,
    "StopConfigurationRecorder": stop_configuration_recorder,
    "DeleteConfigurationRecorder": delete_configuration_recorder,
    "PutDeliveryChannel": put_delivery_channel,
    "DescribeDeliveryChannels": describe_delivery_channels,
    "DeleteDeliveryChannel": delete_delivery_channel,
    **config_rules.OPERATIONS,
    **config_remediation.OPERATIONS,
    **config_resources.OPERATIONS,
}
