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
}
"""(boto3 service, operation) -> the IAM action's name after the prefix, where it is not the operation's name."""

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
