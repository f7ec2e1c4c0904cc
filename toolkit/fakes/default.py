"""The default world: what ``simulate`` runs in when no world is given (docs/world-file.md, "The default world").

Account 123456789012 in us-east-1, the management account of its own organization (all features, trusted access
for CloudTrail); a log bucket whose policy lets CloudTrail deliver for any trail of the account (organization
trails included); a KMS key with an alias whose policy lets CloudTrail encrypt and describe it for any trail of
the account; and a plain trail, stopped. The names are the ones the runbook's examples and tests use: pass
``CloudTrailName=main``, ``CloudTrailS3BucketName=trail-logs-123456789012`` and
``CloudTrailKmsKeyId=alias/cloudtrail`` (or the key's id or ARN) to run the runbook's happy path in it.
"""

from __future__ import annotations

from typing import Any

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
DEFAULT_ORGANIZATION = "o-a1b2c3d4e5"
DEFAULT_BUCKET = "trail-logs-123456789012"
DEFAULT_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
DEFAULT_KEY_ALIAS = "alias/cloudtrail"
DEFAULT_TRAIL = "main"


def default_data() -> dict[str, Any]:
    """The default world as world-file data (a fresh copy on each call)."""
    account = DEFAULT_ACCOUNT
    any_trail = f"arn:aws:cloudtrail:*:{account}:trail/*"
    cloudtrail = {"Service": "cloudtrail.amazonaws.com"}
    from_this_account = {"ArnLike": {"aws:SourceArn": any_trail}}
    bucket = DEFAULT_BUCKET
    write_condition = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}, **from_this_account}
    return {
        "Account": account,
        "Region": DEFAULT_REGION,
        "Partition": "aws",
        "Organization": {
            "Id": DEFAULT_ORGANIZATION,
            "ManagementAccount": account,
            "FeatureSet": "ALL",
            "TrustedServices": ["cloudtrail.amazonaws.com"],
        },
        "Buckets": [
            {
                "Name": bucket,
                "Region": "us-east-1",
                "Policy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AWSCloudTrailAclCheck",
                            "Effect": "Allow",
                            "Principal": cloudtrail,
                            "Action": "s3:GetBucketAcl",
                            "Resource": f"arn:aws:s3:::{bucket}",
                            "Condition": from_this_account,
                        },
                        {
                            "Sid": "AWSCloudTrailWrite",
                            "Effect": "Allow",
                            "Principal": cloudtrail,
                            "Action": "s3:PutObject",
                            "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{account}/*",
                            "Condition": write_condition,
                        },
                        {
                            "Sid": "AWSCloudTrailOrganizationWrite",
                            "Effect": "Allow",
                            "Principal": cloudtrail,
                            "Action": "s3:PutObject",
                            "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{DEFAULT_ORGANIZATION}/*",
                            "Condition": write_condition,
                        },
                    ],
                },
            }
        ],
        "Keys": [
            {
                "KeyId": DEFAULT_KEY_ID,
                "Region": "us-east-1",
                "Aliases": [DEFAULT_KEY_ALIAS],
                "Enabled": True,
                "Description": "Encrypts CloudTrail log files",
                "Policy": {
                    "Version": "2012-10-17",
                    "Id": "cloudtrail-log-key",
                    "Statement": [
                        {
                            "Sid": "Enable IAM user permissions",
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                            "Action": "kms:*",
                            "Resource": "*",
                        },
                        {
                            "Sid": "Allow CloudTrail to encrypt logs",
                            "Effect": "Allow",
                            "Principal": cloudtrail,
                            "Action": "kms:GenerateDataKey*",
                            "Resource": "*",
                            "Condition": {
                                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": any_trail},
                                **from_this_account,
                            },
                        },
                        {
                            "Sid": "Allow CloudTrail to describe key",
                            "Effect": "Allow",
                            "Principal": cloudtrail,
                            "Action": "kms:DescribeKey",
                            "Resource": "*",
                        },
                        {
                            "Sid": "Allow principals in the account to decrypt log files",
                            "Effect": "Allow",
                            "Principal": {"AWS": "*"},
                            "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
                            "Resource": "*",
                            "Condition": {
                                "StringEquals": {"kms:CallerAccount": account},
                                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": any_trail},
                            },
                        },
                    ],
                },
            }
        ],
        "Topics": [],
        "LogGroups": [],
        "Roles": [],
        "Trails": [
            {
                "Name": DEFAULT_TRAIL,
                "HomeRegion": "us-east-1",
                "S3BucketName": bucket,
                "IsLogging": False,
                "StartLoggingTime": "2025-01-01T00:00:00Z",
                "StopLoggingTime": "2025-12-31T00:00:00Z",
            }
        ],
    }
