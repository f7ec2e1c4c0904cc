"""aws-tag-resources: imported from aws-tag-resources.yaml by `runbook import`."""

from __future__ import annotations

from toolkit.model import Document, Parameter, ParameterType, runbook
from toolkit.steps import Branch, Choice, ExecuteAwsApi

NAME = "aws-tag-resources"
DESCRIPTION = (
    "SSM Automation to tag AWS resources including EC2, SSM-managed nodes, EBS, Snapshot, AMI, ENI, VPC, S3, SSM "
    "Documents, Parameter Store, ASG, and Classic Load Balancer."
)


def build() -> Document:
    automation_assume_role = Parameter(
        name="AutomationAssumeRole",
        type=ParameterType.STRING,
        description="(Optional) IAM role ARN that allows Automation to perform actions.",
        default="",
    )
    resource_type = Parameter(
        name="ResourceType",
        type=ParameterType.STRING,
        description="Type of AWS resource to tag",
        allowed_values=(
            "ec2",
            "ebs",
            "snapshot",
            "ami",
            "eni",
            "vpc",
            "s3",
            "asg",
            "elb",
            "Parameter",
            "Document",
            "ManagedInstance",
        ),
    )
    resource_id = Parameter(
        name="ResourceId",
        type=ParameterType.STRING,
        description="Resource identifier (e.g., i-0123456789abcdef0, my-bucket-name, vpc-xxxxxx)",
    )
    tag_key = Parameter(name="TagKey", type=ParameterType.STRING, description="Tag key to apply")
    tag_value = Parameter(name="TagValue", type=ParameterType.STRING, description="Tag value to apply")
    determine_tagging_step = Branch(
        name="DetermineTaggingStep",
        choices=(
            Choice(
                next_step="TagEC2BasedResources",
                any_of=(
                    Choice.when(resource_type.ref, "StringEquals", "ec2"),
                    Choice.when(resource_type.ref, "StringEquals", "ebs"),
                    Choice.when(resource_type.ref, "StringEquals", "snapshot"),
                    Choice.when(resource_type.ref, "StringEquals", "ami"),
                    Choice.when(resource_type.ref, "StringEquals", "eni"),
                    Choice.when(resource_type.ref, "StringEquals", "vpc"),
                ),
            ),
            Choice(
                next_step="TagSSMResource",
                any_of=(
                    Choice.when(resource_type.ref, "StringEquals", "ManagedInstance"),
                    Choice.when(resource_type.ref, "StringEquals", "Document"),
                    Choice.when(resource_type.ref, "StringEquals", "Parameter"),
                ),
            ),
            Choice.when(resource_type.ref, "StringEquals", "s3", next_step="TagS3Bucket"),
            Choice.when(resource_type.ref, "StringEquals", "asg", next_step="TagASG"),
            Choice.when(resource_type.ref, "StringEquals", "elb", next_step="TagELB"),
        ),
        default="TagEC2BasedResources",
    )
    tag_ec2_based_resources = ExecuteAwsApi(
        name="TagEC2BasedResources",
        service="ec2",
        api="CreateTags",
        params={"Resources": [resource_id.ref], "Tags": [{"Key": tag_key.ref, "Value": tag_value.ref}]},
        is_end=True,
    )
    tag_s3_bucket = ExecuteAwsApi(
        name="TagS3Bucket",
        service="s3",
        api="PutBucketTagging",
        params={"Bucket": resource_id.ref, "Tagging": {"TagSet": [{"Key": tag_key.ref, "Value": tag_value.ref}]}},
        is_end=True,
    )
    tag_ssm_resource = ExecuteAwsApi(
        name="TagSSMResource",
        service="ssm",
        api="AddTagsToResource",
        params={
            "ResourceType": resource_type.ref,
            "ResourceId": resource_id.ref,
            "Tags": [{"Key": tag_key.ref, "Value": tag_value.ref}],
        },
        is_end=True,
    )
    tag_asg = ExecuteAwsApi(
        name="TagASG",
        service="autoscaling",
        api="CreateOrUpdateTags",
        params={
            "Tags": [
                {
                    "ResourceId": resource_id.ref,
                    "ResourceType": "auto-scaling-group",
                    "Key": tag_key.ref,
                    "Value": tag_value.ref,
                    "PropagateAtLaunch": True,
                },
            ],
        },
        is_end=True,
    )
    tag_elb = ExecuteAwsApi(
        name="TagELB",
        service="elb",
        api="AddTags",
        params={"LoadBalancerNames": [resource_id.ref], "Tags": [{"Key": tag_key.ref, "Value": tag_value.ref}]},
        is_end=True,
    )
    return runbook(
        NAME,
        description=DESCRIPTION,
        assume_role=automation_assume_role.ref,
        parameters=[automation_assume_role, resource_type, resource_id, tag_key, tag_value],
        steps=[determine_tagging_step, tag_ec2_based_resources, tag_s3_bucket, tag_ssm_resource, tag_asg, tag_elb],
    )
