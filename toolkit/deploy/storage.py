"""Where CloudTrail delivers: the log bucket, its access-log bucket and the trail key, with policies that let
CloudTrail (and AWS Config's delivery channel) write and let nobody but the administrators weaken them.

Two variants share this module:
- ``account``: the single-account (and member) template's own storage, written by this account's trail
  (``aws:SourceArn`` is the trail's ARN; an organization trail also writes ``AWSLogs/<organization id>/``);
- ``central``: the log-archive account's storage of the organization variant, written by every member account's
  trail (``aws:SourceOrgID`` is the organization, each account into ``AWSLogs/<its own account id>/``, the IAM
  policy variable ``${aws:SourceAccount}``).

Who administers. ``AdministratorRoleArn`` (wildcards allowed in its account field) and, in stacks that a
service-managed StackSet deploys, the StackSet's execution role ``stacksets-exec-*`` of the stack's account (which
creates and updates these resources): only they may change or delete the bucket's policy, lifecycle, versioning,
object lock, encryption, public access block, ownership, replication, logging or ACL, delete the bucket or a log
object, or administer the key destructively (PutKeyPolicy, DisableKey, ScheduleKeyDeletion, grants, aliases...).
The account (through IAM) keeps only what cannot cut delivery (describe, tag, enable, cancel deletion, rotate).
Decision: a single-account stack without ``AdministratorRoleArn`` keeps the old behaviour (the account administers
key and bucket through IAM, no tampering deny): with nobody named, the KMS key policy lockout safety check would
refuse the key (CreateKey needs the caller to keep PutKeyPolicy), so nobody could deploy it. The README's threat
model says what remains: the account root can always delete a bucket policy, and a single account's administrators
can make themselves the administrators' role unless an SCP protects its name.
"""

from __future__ import annotations

from typing import Any

from toolkit.deploy.iam import TRAIL_ARN
from toolkit.deploy.names import (
    ACCESS_LOG_BUCKET_SUB,
    ACCESS_LOG_PREFIX,
    CONFIG_PREFIX,
    KEY_ALIAS,
    LOG_BUCKET_SUB,
    REMEDIATION_ROLE_NAME,
    STACKSETS_EXECUTION_ROLE,
)

Data = dict[str, Any]

BUCKET = "LogBucket"
BUCKET_POLICY = "LogBucketPolicy"
ACCESS_LOG_BUCKET = "AccessLogBucket"
ACCESS_LOG_BUCKET_POLICY = "AccessLogBucketPolicy"
KEY = "TrailKey"
KEY_ALIAS_RESOURCE = "TrailKeyAlias"

HAS_ADMINISTRATOR = "HasAdministratorRole"
USE_OBJECT_LOCK = "UseObjectLock"

EXECUTION_ROLE_ARN = f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{STACKSETS_EXECUTION_ROLE}"
CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}
CONFIG = {"Service": "config.amazonaws.com"}
ROOT = {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
NO_VALUE = {"Ref": "AWS::NoValue"}

BUCKET_PROTECTED_ACTIONS = [
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketLogging",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
]
"""What would stop delivery, expire or move logs, or open the bucket (DeletePublicAccessBlock and
DeleteBucketLifecycle... are authorized as these Put actions)."""
OBJECT_PROTECTED_ACTIONS = [
    "s3:BypassGovernanceRetention",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutObjectRetention",
]
"""What would delete a log file or any version of it (the bucket is versioned: an overwrite keeps the original)."""

KEY_USE_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:DescribeKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateKeyDescription",
]
"""What the account (through IAM) may do with the key: read it and restore it, never cut delivery with it."""
KEY_DESTRUCTIVE_ACTIONS = [
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:DeleteAlias",
    "kms:DeleteImportedKeyMaterial",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:ImportKeyMaterial",
    "kms:PutKeyPolicy",
    "kms:ReplicateKey",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:UpdateAlias",
    "kms:UpdatePrimaryRegion",
]
"""The administrators' alone: what disables or deletes the key, rewrites its policy, hands out grants or moves its
aliases (kms:RotateKeyOnDemand is harmless but is administration)."""


def administrators(stack_set: bool) -> Any:
    """The principal ARN patterns that administer the storage (``ArnLike`` on ``aws:PrincipalArn``)."""
    admin = {"Ref": "AdministratorRoleArn"}
    if not stack_set:
        return [admin]
    execution = {"Fn::Sub": EXECUTION_ROLE_ARN}
    return {"Fn::If": [HAS_ADMINISTRATOR, [admin, execution], [execution]]}


def administered(statement: Data, otherwise: Any, stack_set: bool) -> Data:
    """``statement`` (which names ``administrators``), or, in a single-account stack without an administrators'
    role, ``otherwise`` (a statement, or no value)."""
    return statement if stack_set else {"Fn::If": [HAS_ADMINISTRATOR, statement, otherwise]}


def bucket_name_sub(resource: str) -> str:
    return (LOG_BUCKET_SUB if resource == BUCKET else ACCESS_LOG_BUCKET_SUB).replace("${Account}", "${AWS::AccountId}")


def _bucket_arn(resource: str, suffix: str = "") -> Data:
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket_name_sub(resource)}{suffix}"}


def _hardened_bucket(resource: str, condition: str | None, extra: Data) -> Data:
    properties: Data = {
        "BucketName": {"Fn::Sub": bucket_name_sub(resource)},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
        "VersioningConfiguration": {"Status": "Enabled"},
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        **extra,
    }
    bucket: Data = {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": properties,
    }
    return {"Condition": condition, **bucket} if condition else bucket


def _protection_statements(resource: str, stack_set: bool) -> list[Data]:
    """TLS only, and the administrators alone may weaken the bucket or delete what it holds."""
    bucket, objects = _bucket_arn(resource), _bucket_arn(resource, "/*")
    guard = {"ArnNotLike": {"aws:PrincipalArn": administrators(stack_set)}}
    return [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket, objects],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        administered(
            {
                "Sid": "DenyBucketChangesExceptAdministrators",
                "Effect": "Deny",
                "Principal": "*",
                "Action": BUCKET_PROTECTED_ACTIONS,
                "Resource": bucket,
                "Condition": guard,
            },
            NO_VALUE,
            stack_set,
        ),
        administered(
            {
                "Sid": "DenyLogDeletionExceptAdministrators",
                "Effect": "Deny",
                "Principal": "*",
                "Action": OBJECT_PROTECTED_ACTIONS,
                "Resource": objects,
                "Condition": guard,
            },
            NO_VALUE,
            stack_set,
        ),
    ]


def _logs_path(account_part: str) -> Data:
    """The log bucket's objects CloudTrail writes for ``account_part`` (an account id, organization id or the
    policy variable of the writer's account)."""
    bucket = bucket_name_sub(BUCKET)
    return {
        "Fn::If": [
            "HasS3KeyPrefix",
            {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket}/${{S3KeyPrefix}}/AWSLogs/{account_part}/*"},
            {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket}/AWSLogs/{account_part}/*"},
        ]
    }


def _writer(central: bool) -> Data:
    """The condition naming who may deliver: this account's trail, or any trail of the organization."""
    if central:
        return {"aws:SourceOrgID": {"Ref": "OrganizationId"}}
    return {"aws:SourceArn": {"Fn::Sub": TRAIL_ARN}}


def _delivery_statements(central: bool) -> list[Data]:
    source = _writer(central)
    owner = {"s3:x-amz-acl": "bucket-owner-full-control"}
    account = "${!aws:SourceAccount}" if central else "${AWS::AccountId}"
    config_source = source if central else {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    bucket = bucket_name_sub(BUCKET)
    statements: list[Data] = [
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "s3:GetBucketAcl",
            "Resource": _bucket_arn(BUCKET),
            "Condition": {"StringEquals": source},
        },
        {
            "Sid": "AWSCloudTrailWrite",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "s3:PutObject",
            "Resource": _logs_path(account),
            "Condition": {"StringEquals": {**owner, **source}},
        },
    ]
    if central:
        # the members' remediation confirms the bucket's owner (GetBucketLocation with ExpectedBucketOwner) before
        # it points a trail here: only the pattern's remediation roles of the organization may ask
        statements.append(
            {
                "Sid": "RemediationRolesLocateBucket",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "s3:GetBucketLocation",
                "Resource": _bucket_arn(BUCKET),
                "Condition": {
                    "StringEquals": {"aws:PrincipalOrgID": {"Ref": "OrganizationId"}},
                    "ArnLike": {
                        "aws:PrincipalArn": {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::*:role/{REMEDIATION_ROLE_NAME}"}
                    },
                },
            }
        )
    if not central:
        organization = {
            "Sid": "AWSCloudTrailOrganizationWrite",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "s3:PutObject",
            "Resource": _logs_path("${OrganizationId}"),
            "Condition": {"StringEquals": {**owner, **source}},
        }
        statements.append({"Fn::If": ["IsOrganization", organization, NO_VALUE]})
    statements += [
        {
            "Sid": "AWSConfigBucketCheck",
            "Effect": "Allow",
            "Principal": CONFIG,
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": _bucket_arn(BUCKET),
            "Condition": {"StringEquals": config_source},
        },
        {
            "Sid": "AWSConfigWrite",
            "Effect": "Allow",
            "Principal": CONFIG,
            "Action": "s3:PutObject",
            "Resource": {
                "Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket}/{CONFIG_PREFIX}/AWSLogs/{account}/Config/*"
            },
            "Condition": {"StringEquals": {**owner, **config_source}},
        },
    ]
    return statements


def bucket_resources(*, central: bool, stack_set: bool, condition: str | None = None) -> Data:
    """The log bucket (access logging on, optional Object Lock in compliance mode), its access-log bucket, and
    both buckets' policies."""
    object_lock = {
        "ObjectLockEnabled": {"Fn::If": [USE_OBJECT_LOCK, True, NO_VALUE]},
        "ObjectLockConfiguration": {
            "Fn::If": [
                USE_OBJECT_LOCK,
                {
                    "ObjectLockEnabled": "Enabled",
                    "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": {"Ref": "ObjectLockRetentionDays"}}},
                },
                NO_VALUE,
            ]
        },
    }
    logging = {
        "LoggingConfiguration": {
            "DestinationBucketName": {"Ref": ACCESS_LOG_BUCKET},
            "LogFilePrefix": ACCESS_LOG_PREFIX,
        }
    }
    access_writes = {
        "Sid": "S3ServerAccessLogsWrite",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": _bucket_arn(ACCESS_LOG_BUCKET, f"/{ACCESS_LOG_PREFIX}*"),
        "Condition": {
            "ArnLike": {"aws:SourceArn": _bucket_arn(BUCKET)},
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        },
    }
    resources: Data = {
        BUCKET: _hardened_bucket(BUCKET, condition, {**logging, **object_lock}),
        BUCKET_POLICY: {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": BUCKET},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [*_protection_statements(BUCKET, stack_set), *_delivery_statements(central)],
                },
            },
        },
        ACCESS_LOG_BUCKET: _hardened_bucket(ACCESS_LOG_BUCKET, condition, {}),
        ACCESS_LOG_BUCKET_POLICY: {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": ACCESS_LOG_BUCKET},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [*_protection_statements(ACCESS_LOG_BUCKET, stack_set), access_writes],
                },
            },
        },
    }
    if condition:
        for name in (BUCKET_POLICY, ACCESS_LOG_BUCKET_POLICY):
            resources[name] = {"Condition": condition, **resources[name]}
    return resources


# -- keys --------------------------------------------------------------------------------------------------------


def key_admin_statements(stack_set: bool) -> list[Data]:
    """The account may read and restore the key; only the administrators may administer it destructively."""
    destructive = {
        "Sid": "AdministratorsAdministerKey",
        "Effect": "Allow",
        "Principal": ROOT,
        "Action": KEY_DESTRUCTIVE_ACTIONS,
        "Resource": "*",
        "Condition": {"ArnLike": {"aws:PrincipalArn": administrators(stack_set)}},
    }
    fallback = {key: value for key, value in destructive.items() if key != "Condition"}
    fallback["Sid"] = "AccountAdministersKey"
    return [
        {
            "Sid": "AccountReadsAndRestoresKey",
            "Effect": "Allow",
            "Principal": ROOT,
            "Action": KEY_USE_ADMIN_ACTIONS,
            "Resource": "*",
        },
        administered(destructive, fallback, stack_set),
    ]


def _key_statements(central: bool, stack_set: bool) -> list[Data]:
    trails = (
        "arn:${AWS::Partition}:cloudtrail:*:*:trail/*"
        if central
        else ("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*")
    )
    source = _writer(central)
    statements = [
        *key_admin_statements(stack_set),
        {
            "Sid": "CloudTrailEncryptsLogs",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": source,
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": {"Fn::Sub": trails}},
            },
        },
        {
            "Sid": "CloudTrailDescribesKey",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": source},
        },
        {
            "Sid": "AccountReadsLogs",
            "Effect": "Allow",
            "Principal": ROOT,
            "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}},
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": {"Fn::Sub": trails}},
            },
        },
    ]
    if central:
        statements.append(
            {
                "Sid": "RemediationRolesDescribeKey",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:PrincipalOrgID": {"Ref": "OrganizationId"}},
                    "ArnLike": {
                        "aws:PrincipalArn": {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::*:role/{REMEDIATION_ROLE_NAME}"}
                    },
                },
            }
        )
    return statements


def key_resources(*, central: bool, stack_set: bool, condition: str | None = None) -> Data:
    """The trail key (rotation on; CloudTrail may encrypt, never decrypt) and its alias ``alias/cloudtrail-logs``."""
    key: Data = {
        "Type": "AWS::KMS::Key",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "Description": "Encrypts CloudTrail log files",
            "EnableKeyRotation": True,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": _key_statements(central, stack_set)},
        },
    }
    alias: Data = {
        "Type": "AWS::KMS::Alias",
        "Properties": {"AliasName": KEY_ALIAS, "TargetKeyId": {"Ref": KEY}},
    }
    if condition:
        key, alias = {"Condition": condition, **key}, {"Condition": condition, **alias}
    return {KEY: key, KEY_ALIAS_RESOURCE: alias}
