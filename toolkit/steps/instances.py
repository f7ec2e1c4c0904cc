"""EC2 actions: instance state, images, tags, new instances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolkit.lazy_dataclass import lazy_dataclass
from toolkit.model.step import Step, action_input
from toolkit.model.values import Kind, Ref, Value
from toolkit.ssm.actions import BUILTIN_OUTPUTS

StrList = Sequence[str | Ref] | Ref
Text = str | Ref


@lazy_dataclass
class ChangeInstanceState(Step):
    """aws:changeInstanceState: bring instances to DesiredState (running, stopped, terminated)."""

    ACTION = "aws:changeInstanceState"

    instance_ids: StrList = action_input("InstanceIds", Kind.STRING_LIST, required=True)
    desired_state: Text = action_input("DesiredState", Kind.STRING, required=True)
    check_state_only: bool | Ref | None = action_input("CheckStateOnly", Kind.BOOLEAN)
    force: bool | Ref | None = action_input("Force", Kind.BOOLEAN)
    additional_info: Text | None = action_input("AdditionalInfo", Kind.STRING)


@lazy_dataclass
class CopyImage(Step):
    """aws:copyImage: copy an AMI from any region into the current one."""

    ACTION = "aws:copyImage"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    source_image_id: Text = action_input("SourceImageId", Kind.STRING, required=True)
    source_region: Text = action_input("SourceRegion", Kind.STRING, required=True)
    image_name: Text = action_input("ImageName", Kind.STRING, required=True)
    image_description: Text | None = action_input("ImageDescription", Kind.STRING)
    encrypted: bool | Ref | None = action_input("Encrypted", Kind.BOOLEAN)
    kms_key_id: Text | None = action_input("KmsKeyId", Kind.STRING)
    client_token: Text | None = action_input("ClientToken", Kind.STRING)


@lazy_dataclass
class CreateImage(Step):
    """aws:createImage: create an AMI from an instance."""

    ACTION = "aws:createImage"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    instance_id: Text = action_input("InstanceId", Kind.STRING, required=True)
    image_name: Text = action_input("ImageName", Kind.STRING, required=True)
    image_description: Text | None = action_input("ImageDescription", Kind.STRING)
    no_reboot: bool | Ref | None = action_input("NoReboot", Kind.BOOLEAN)
    block_device_mappings: Mapping[str, Value] | Sequence[Value] | Ref | None = action_input(
        "BlockDeviceMappings", Kind.ANY
    )


@lazy_dataclass
class CreateTags(Step):
    """aws:createTags: tag EC2 resources or managed instances, maintenance windows and parameters."""

    ACTION = "aws:createTags"

    resource_ids: StrList = action_input("ResourceIds", Kind.STRING_LIST, required=True)
    tags: Sequence[Value] | Ref = action_input("Tags", Kind.MAP_LIST, required=True)
    resource_type: Text | None = action_input("ResourceType", Kind.STRING)


@lazy_dataclass
class DeleteImage(Step):
    """aws:deleteImage: deregister an AMI and delete its snapshots."""

    ACTION = "aws:deleteImage"

    image_id: Text = action_input("ImageId", Kind.STRING, required=True)


@lazy_dataclass
class RunInstances(Step):
    """aws:runInstances: launch instances and wait until they run."""

    ACTION = "aws:runInstances"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    image_id: Text = action_input("ImageId", Kind.STRING, required=True)
    instance_type: Text | None = action_input("InstanceType", Kind.STRING)
    min_instance_count: int | Ref | None = action_input("MinInstanceCount", Kind.INTEGER)
    max_instance_count: int | Ref | None = action_input("MaxInstanceCount", Kind.INTEGER)
    additional_info: Text | None = action_input("AdditionalInfo", Kind.STRING)
    block_device_mappings: Sequence[Value] | Ref | None = action_input("BlockDeviceMappings", Kind.MAP_LIST)
    client_token: Text | None = action_input("ClientToken", Kind.STRING)
    disable_api_termination: bool | Ref | None = action_input("DisableApiTermination", Kind.BOOLEAN)
    ebs_optimized: bool | Ref | None = action_input("EbsOptimized", Kind.BOOLEAN)
    iam_instance_profile_arn: Text | None = action_input("IamInstanceProfileArn", Kind.STRING)
    iam_instance_profile_name: Text | None = action_input("IamInstanceProfileName", Kind.STRING)
    instance_initiated_shutdown_behavior: Text | None = action_input("InstanceInitiatedShutdownBehavior", Kind.STRING)
    kernel_id: Text | None = action_input("KernelId", Kind.STRING)
    key_name: Text | None = action_input("KeyName", Kind.STRING)
    monitoring: bool | Ref | None = action_input("Monitoring", Kind.BOOLEAN)
    network_interfaces: Sequence[Value] | Ref | None = action_input("NetworkInterfaces", Kind.MAP_LIST)
    placement: Mapping[str, Value] | Ref | None = action_input("Placement", Kind.STRING_MAP)
    private_ip_address: Text | None = action_input("PrivateIpAddress", Kind.STRING)
    ramdisk_id: Text | None = action_input("RamdiskId", Kind.STRING)
    security_group_ids: StrList | None = action_input("SecurityGroupIds", Kind.STRING_LIST)
    security_groups: StrList | None = action_input("SecurityGroups", Kind.STRING_LIST)
    subnet_id: Text | None = action_input("SubnetId", Kind.STRING)
    tag_specifications: Sequence[Value] | Ref | None = action_input("TagSpecifications", Kind.MAP_LIST)
    user_data: Text | None = action_input("UserData", Kind.STRING)
