"""EC2 actions: instance state, images, tags, new instances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from toolkit.model.step import Step, inp
from toolkit.model.values import Kind, Ref, Value
from toolkit.ssm.actions import BUILTIN_OUTPUTS

StrList = Sequence[str | Ref] | Ref
Text = str | Ref


@dataclass(frozen=True, kw_only=True)
class ChangeInstanceState(Step):
    """aws:changeInstanceState: bring instances to DesiredState (running, stopped, terminated)."""

    ACTION = "aws:changeInstanceState"

    instance_ids: StrList = inp("InstanceIds", Kind.STRING_LIST, required=True)
    desired_state: Text = inp("DesiredState", Kind.STRING, required=True)
    check_state_only: bool | Ref | None = inp("CheckStateOnly", Kind.BOOLEAN)
    force: bool | Ref | None = inp("Force", Kind.BOOLEAN)
    additional_info: Text | None = inp("AdditionalInfo", Kind.STRING)


@dataclass(frozen=True, kw_only=True)
class CopyImage(Step):
    """aws:copyImage: copy an AMI from any region into the current one."""

    ACTION = "aws:copyImage"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    source_image_id: Text = inp("SourceImageId", Kind.STRING, required=True)
    source_region: Text = inp("SourceRegion", Kind.STRING, required=True)
    image_name: Text = inp("ImageName", Kind.STRING, required=True)
    image_description: Text | None = inp("ImageDescription", Kind.STRING)
    encrypted: bool | Ref | None = inp("Encrypted", Kind.BOOLEAN)
    kms_key_id: Text | None = inp("KmsKeyId", Kind.STRING)
    client_token: Text | None = inp("ClientToken", Kind.STRING)


@dataclass(frozen=True, kw_only=True)
class CreateImage(Step):
    """aws:createImage: create an AMI from an instance."""

    ACTION = "aws:createImage"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    instance_id: Text = inp("InstanceId", Kind.STRING, required=True)
    image_name: Text = inp("ImageName", Kind.STRING, required=True)
    image_description: Text | None = inp("ImageDescription", Kind.STRING)
    no_reboot: bool | Ref | None = inp("NoReboot", Kind.BOOLEAN)
    block_device_mappings: Mapping[str, Value] | Sequence[Value] | Ref | None = inp("BlockDeviceMappings", Kind.ANY)


@dataclass(frozen=True, kw_only=True)
class CreateTags(Step):
    """aws:createTags: tag EC2 resources or managed instances, maintenance windows and parameters."""

    ACTION = "aws:createTags"

    resource_ids: StrList = inp("ResourceIds", Kind.STRING_LIST, required=True)
    tags: Sequence[Value] | Ref = inp("Tags", Kind.MAP_LIST, required=True)
    resource_type: Text | None = inp("ResourceType", Kind.STRING)


@dataclass(frozen=True, kw_only=True)
class DeleteImage(Step):
    """aws:deleteImage: deregister an AMI and delete its snapshots."""

    ACTION = "aws:deleteImage"

    image_id: Text = inp("ImageId", Kind.STRING, required=True)


@dataclass(frozen=True, kw_only=True)
class RunInstances(Step):
    """aws:runInstances: launch instances and wait until they run."""

    ACTION = "aws:runInstances"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    image_id: Text = inp("ImageId", Kind.STRING, required=True)
    instance_type: Text | None = inp("InstanceType", Kind.STRING)
    min_instance_count: int | Ref | None = inp("MinInstanceCount", Kind.INTEGER)
    max_instance_count: int | Ref | None = inp("MaxInstanceCount", Kind.INTEGER)
    additional_info: Text | None = inp("AdditionalInfo", Kind.STRING)
    block_device_mappings: Sequence[Value] | Ref | None = inp("BlockDeviceMappings", Kind.MAP_LIST)
    client_token: Text | None = inp("ClientToken", Kind.STRING)
    disable_api_termination: bool | Ref | None = inp("DisableApiTermination", Kind.BOOLEAN)
    ebs_optimized: bool | Ref | None = inp("EbsOptimized", Kind.BOOLEAN)
    iam_instance_profile_arn: Text | None = inp("IamInstanceProfileArn", Kind.STRING)
    iam_instance_profile_name: Text | None = inp("IamInstanceProfileName", Kind.STRING)
    instance_initiated_shutdown_behavior: Text | None = inp("InstanceInitiatedShutdownBehavior", Kind.STRING)
    kernel_id: Text | None = inp("KernelId", Kind.STRING)
    key_name: Text | None = inp("KeyName", Kind.STRING)
    monitoring: bool | Ref | None = inp("Monitoring", Kind.BOOLEAN)
    network_interfaces: Sequence[Value] | Ref | None = inp("NetworkInterfaces", Kind.MAP_LIST)
    placement: Mapping[str, Value] | Ref | None = inp("Placement", Kind.STRING_MAP)
    private_ip_address: Text | None = inp("PrivateIpAddress", Kind.STRING)
    ramdisk_id: Text | None = inp("RamdiskId", Kind.STRING)
    security_group_ids: StrList | None = inp("SecurityGroupIds", Kind.STRING_LIST)
    security_groups: StrList | None = inp("SecurityGroups", Kind.STRING_LIST)
    subnet_id: Text | None = inp("SubnetId", Kind.STRING)
    tag_specifications: Sequence[Value] | Ref | None = inp("TagSpecifications", Kind.MAP_LIST)
    user_data: Text | None = inp("UserData", Kind.STRING)
