"""source__remediation_runbooks__EnableRedshiftClusterAuditLogging: imported from
source__remediation_runbooks__EnableRedshiftClusterAuditLogging.yaml by `runbook import`.
"""

from __future__ import annotations

from toolkit.model import Document, Kind, Output, Parameter, ParameterType, runbook
from toolkit.steps import AssertAwsResourceProperty, Branch, Choice, ExecuteAwsApi

NAME = "source__remediation_runbooks__EnableRedshiftClusterAuditLogging"
DESCRIPTION = (
    "### Document name - AWSConfigRemediation-EnableRedshiftClusterAuditLogging\n"
    "\n"
    "## What does this document do?\n"
    "This automation document enables audit logging on the Amazon Redshift cluster using "
    "[EnableLogging](https://docs.aws.amazon.com/redshift/latest/APIReference/API_EnableLogging.html) API call with "
    "given bucket name and s3 key prefix.\n"
    "\n"
    "## Input Parameters\n"
    "* ClusterIdentifier: (Required) The unique identifier of the Amazon Redshift cluster on which logging to be "
    "started.\n"
    "* AutomationAssumeRole: (Required) The ARN of the role that allows Automation to perform the actions on your "
    "behalf.\n"
    "* BucketName: (Required) The name of an existing Amazon S3 bucket where the log files are to be stored.\n"
    "* S3KeyPrefix: (Optional) The prefix applied to the log file names.\n"
    "\n"
    "## Output Parameters\n"
    "* EnableLoggingWithPrefix.Response: Standard HTTP response of the EnableLogging API.\n"
    "* EnableLoggingWithoutPrefix.Response: Standard HTTP response of the EnableLogging API.\n"
)


def build() -> Document:
    cluster_identifier = Parameter(
        name="ClusterIdentifier",
        type=ParameterType.STRING,
        description="The unique identifier of the Amazon Redshift cluster on which the logging logging to be started.",
        allowed_pattern="^(?!.*--)[a-z][a-z0-9-]{0,62}(?<!-)$",
    )
    automation_assume_role = Parameter(
        name="AutomationAssumeRole",
        type=ParameterType.STRING,
        description="(Required) The ARN of the role that allows Automation to perform the actions on your behalf.",
        allowed_pattern=r"^arn:(?:aws|aws-us-gov|aws-cn):iam::\d{12}:role/[\w+=,.@-]+$",
    )
    bucket_name = Parameter(
        name="BucketName",
        type=ParameterType.STRING,
        description="The name of an existing Amazon S3 bucket where the log files are to be stored.",
        allowed_pattern=(
            r"(?=^.{3,63}$)(?!^(\d+\.)+\d+$)(^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9"
            r"\-]*[a-z0-9])$)"
        ),
    )
    s3_key_prefix = Parameter(
        name="S3KeyPrefix",
        type=ParameterType.STRING,
        description="The prefix applied to the log file names.",
        default="",
        allowed_pattern="^[^\"'\\\\ ]{0,512}$",
    )
    check_s3_key_prefix = Branch(
        name="CheckS3KeyPrefix",
        description="## CheckS3KeyPrefix\nChecks whether S3KeyPrefix provided in the input parameters.\n",
        choices=(Choice.when("{{S3KeyPrefix}}", "StringEquals", "", next_step="EnableLoggingWithoutPrefix"),),
        default="EnableLoggingWithPrefix",
        is_end=True,
    )
    enable_logging_without_prefix = ExecuteAwsApi(
        name="EnableLoggingWithoutPrefix",
        description=(
            "## EnableLoggingWithoutPrefix\n"
            "Enables logging on the given Amazon Redshift cluster using the "
            "[EnableLogging](https://docs.aws.amazon.com/redshift/latest/APIReference/API_EnableLogging.html) API with "
            "given bucket name in input parameters.\n"
            "## Outputs\n"
            "* Response: Standard HTTP response of the EnableLogging API.\n"
        ),
        service="redshift",
        api="EnableLogging",
        params={"BucketName": "{{BucketName}}", "ClusterIdentifier": cluster_identifier.ref},
        outputs=(Output(name="Response", selector="$", type=Kind.STRING_MAP),),
        next_step="AssertClusterLoggingEnabled",
    )
    enable_logging_with_prefix = ExecuteAwsApi(
        name="EnableLoggingWithPrefix",
        description=(
            "## EnableLoggingWithPrefix\n"
            "Enables logging on the given Amazon Redshift cluster using the "
            "[EnableLogging](https://docs.aws.amazon.com/redshift/latest/APIReference/API_EnableLogging.html) API with "
            "given bucket name and s3 key prefix in input parameters.\n"
            "## Outputs\n"
            "* Response: Standard HTTP response of the EnableLogging API.\n"
        ),
        service="redshift",
        api="EnableLogging",
        params={
            "BucketName": "{{BucketName}}",
            "S3KeyPrefix": "{{S3KeyPrefix}}",
            "ClusterIdentifier": cluster_identifier.ref,
        },
        outputs=(Output(name="Response", selector="$", type=Kind.STRING_MAP),),
    )
    assert_cluster_bucket_prefix = AssertAwsResourceProperty(
        name="AssertClusterBucketPrefix",
        description=(
            "## AssertClusterBucketPrefix\n"
            'Verifies whether the value of the "S3KeyPrefix" parameter is used for logging for the given Amazon '
            "Redshift cluster.\n"
        ),
        service="redshift",
        api="DescribeLoggingStatus",
        property_selector="$.S3KeyPrefix",
        desired_values=["{{S3KeyPrefix}}/"],
        params={"ClusterIdentifier": cluster_identifier.ref},
    )
    assert_cluster_logging_enabled = AssertAwsResourceProperty(
        name="AssertClusterLoggingEnabled",
        description=(
            "## AssertClusterLoggingEnabled\n"
            'Verifies whether the "LoggingEnabled" property is set to "True" for the given Amazon Redshift cluster.\n'
        ),
        service="redshift",
        api="DescribeLoggingStatus",
        property_selector="$.LoggingEnabled",
        desired_values=["True"],
        params={"ClusterIdentifier": cluster_identifier.ref},
    )
    assert_cluster_logging_bucket = AssertAwsResourceProperty(
        name="AssertClusterLoggingBucket",
        description=(
            "## AssertClusterLoggingBucket\n"
            'Checks whether the value of the "BucketName" parameter is used for the audit logging configuration of the '
            "given Amazon Redshift cluster.\n"
        ),
        service="redshift",
        api="DescribeLoggingStatus",
        property_selector="$.BucketName",
        desired_values=["{{BucketName}}"],
        params={"ClusterIdentifier": cluster_identifier.ref},
        is_end=True,
    )
    return runbook(
        NAME,
        description=DESCRIPTION,
        assume_role=automation_assume_role.ref,
        parameters=[cluster_identifier, automation_assume_role, bucket_name, s3_key_prefix],
        steps=[
            check_s3_key_prefix,
            enable_logging_without_prefix,
            enable_logging_with_prefix,
            assert_cluster_bucket_prefix,
            assert_cluster_logging_enabled,
            assert_cluster_logging_bucket,
        ],
        outputs=["EnableLoggingWithoutPrefix.Response", "EnableLoggingWithPrefix.Response"],
    )
