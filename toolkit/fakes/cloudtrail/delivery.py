"""What CreateTrail, UpdateTrail and PutInsightSelectors check before they accept a trail: that CloudTrail could
deliver to it (spec cloudtrail.md §4.6), and the organization prerequisites of an organization trail.

Whether CloudTrail may write to the bucket, encrypt with the key, publish to the topic and write to the log group is
``toolkit.fakes.cloudtrail.destinations``'s answer, the one every later delivery is judged by too
(``toolkit.fakes.cloudtrail.health``); here it becomes CreateTrail's errors. The bucket must exist and let CloudTrail
read its ACL and write log files (and digest files when validation is on, Insights files when Insights are on); the
KMS key must be found (in the bucket's region), enabled, and let CloudTrail GenerateDataKey and DescribeKey; an SNS
topic must let CloudTrail publish; a CloudWatch Logs role must trust CloudTrail and allow CreateLogStream and
PutLogEvents on the log group.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.fakes import kms
from toolkit.fakes.cloudtrail.destinations import (
    DIGESTS,
    ENCRYPT_AND_DESCRIBE,
    INSIGHTS,
    LOGS,
    bucket_allows,
    find_bucket,
    key_allows,
    key_by_arn,
    logs_problem,
    topic_error,
)
from toolkit.fakes.errors import AwsError
from toolkit.fakes.s3 import BUCKET_NAME
from toolkit.fakes.services.kms_keys import resolve as resolve_key
from toolkit.iam.policy import Policy

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend
    from toolkit.fakes.cloudtrail.trail import Trail

TRUSTED_SERVICE = "cloudtrail.amazonaws.com"


def check_organization(backend: FakeBackend) -> None:
    """An organization trail needs an organization with all features, this account its management account, and
    trusted access for CloudTrail."""
    organization = backend.world.organization
    if organization is None:
        raise AwsError(
            "OrganizationsNotInUseException",
            "This request is not allowed because your account is not a member of an organization in AWS Organizations.",
        )
    if organization.management_account != backend.account:
        raise AwsError(
            "NotOrganizationMasterAccountException",
            "The request to create or update an organization trail requires being signed in with the management "
            "account.",
        )
    if organization.feature_set != "ALL":
        raise AwsError(
            "OrganizationNotInAllFeaturesModeException",
            f"Organization {organization.id} does not have all features enabled.",
        )
    if TRUSTED_SERVICE not in organization.trusted_services:
        raise AwsError(
            "CloudTrailAccessNotEnabledException",
            "Trusted access for CloudTrail is not enabled in AWS Organizations. Enable it, then try again.",
        )
    if backend.caller is not None:
        _check_organization_permissions(backend)


SERVICE_LINKED_ROLE_PATH = "/aws-service-role/cloudtrail.amazonaws.com/"
SERVICE_LINKED_ROLE = "AWSServiceRoleForCloudTrail"
ORGANIZATION_READS = ("organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization")


def _check_organization_permissions(backend: FakeBackend) -> None:
    """What CloudTrail checks of the caller for an organization trail (CloudTrail user guide, "Prepare for creating a
    trail for your organization"; the Service Authorization Reference lists them as UpdateTrail's dependent actions):
    it reads the organization and its trusted services with the caller's permissions, and reads, or creates when
    absent, its service-linked role AWSServiceRoleForCloudTrail. A missing permission is CloudTrail's own error
    (InsufficientDependencyServiceAccessPermissionException, InsufficientIAMAccessPermissionException), naming the
    action here. The role is created when the trail is saved (``create_service_linked_role``)."""
    # lazy: the authorization glue loads only for a call made by an authorized caller
    from toolkit.aws.authorization import Need
    from toolkit.fakes.access import Where, check

    caller = backend.caller
    assert caller is not None
    where = Where(backend.world, backend.region, backend.now)

    def allowed(need: Need, code: str, what: str) -> None:
        try:
            check(where, caller, "cloudtrail", need)
        except AwsError as err:
            if err.code == "CannotEvaluatePolicy":
                raise
            raise AwsError(code, f"{what} ({err.message})") from err

    for action in ORGANIZATION_READS:
        allowed(
            Need(action, "*"),
            "InsufficientDependencyServiceAccessPermissionException",
            f"The caller lacks {action}, which CloudTrail needs to create an organization trail",
        )
    role_arn = f"arn:{backend.partition}:iam::{backend.account}:role{SERVICE_LINKED_ROLE_PATH}{SERVICE_LINKED_ROLE}"
    access = "The caller lacks permissions to view or create the service-linked role AWSServiceRoleForCloudTrail"
    allowed(Need("iam:GetRole", role_arn), "InsufficientIAMAccessPermissionException", access)
    if SERVICE_LINKED_ROLE in backend.world.roles:
        return
    service = (("iam:awsservicename", TRUSTED_SERVICE),)
    allowed(Need("iam:CreateServiceLinkedRole", role_arn, service), "InsufficientIAMAccessPermissionException", access)


def create_service_linked_role(backend: FakeBackend) -> None:
    """CloudTrail's service-linked role, created (when absent) as an organization trail is saved."""
    # lazy: as in _check_organization_permissions
    from toolkit.fakes.iam import Role

    world = backend.world
    if SERVICE_LINKED_ROLE in world.roles:
        return
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": TRUSTED_SERVICE}, "Action": "sts:AssumeRole"}],
    }
    world.roles[SERVICE_LINKED_ROLE] = Role(
        name=SERVICE_LINKED_ROLE,
        path=SERVICE_LINKED_ROLE_PATH,
        trust_policy=Policy(trust),
        description="Allows CloudTrail to act on your behalf",
        create_date=backend.now(),
    )


def check_bucket(backend: FakeBackend, trail: Trail, *, insights: bool) -> None:
    """The bucket exists and its policy lets CloudTrail check its ACL and write every file the trail writes."""
    name = trail.s3_bucket_name
    bucket = find_bucket(backend, name)
    if bucket is None:
        if not BUCKET_NAME.fullmatch(name):
            raise AwsError("InvalidS3BucketNameException", f"Bucket name {name} is not valid.")
        raise AwsError("S3BucketDoesNotExistException", f"S3 bucket {name} does not exist!")
    kinds = (LOGS, *((DIGESTS,) if trail.log_file_validation_enabled else ()), *((INSIGHTS,) if insights else ()))
    if not bucket_allows(backend, trail, bucket, kinds):
        raise AwsError(
            "InsufficientS3BucketPolicyException", f"Incorrect S3 bucket policy is detected for bucket: {name}"
        )


def check_key(backend: FakeBackend, trail: Trail, key_id: str) -> str:
    """The full ARN of the key ``key_id`` names, after checking that CloudTrail can encrypt with it.

    Alias names and bare key ids are looked up in the trail's home region; an ARN names its own region (and
    account: a key of another account of the world is found by its key ARN). The key must be in the bucket's
    region (else KmsKeyNotFoundException, as documented). A disabled key gives KmsException [UNVERIFIED: the model
    says KmsKeyDisabledException is no longer used].
    """
    if key_id.startswith("arn:"):
        parts = key_id.split(":", 5)
        if len(parts) != 6 or parts[2] != "kms" or not parts[5].startswith(("key/", "alias/")):
            raise AwsError("InvalidKmsKeyIdException", f"Invalid KmsKeyId {key_id}: not a KMS key or alias ARN.")
        region = parts[3]
    elif key_id.startswith("alias/") or kms.KEY_ID.fullmatch(key_id):
        region = trail.home_region
    else:
        raise AwsError(
            "InvalidKmsKeyIdException",
            f"Invalid KmsKeyId {key_id}: use an alias name, an alias ARN, a key ARN or a key id.",
        )
    found = key_by_arn(backend, key_id)
    if found is None:
        try:
            key = resolve_key(backend, key_id, region)
        except AwsError as err:
            raise AwsError("KmsKeyNotFoundException", f"KMS key {key_id} does not exist: {err.message}") from err
        key_arn = key.arn(backend.partition, backend.account)
    else:
        key, key_arn = found
    bucket = find_bucket(backend, trail.s3_bucket_name)
    if bucket is not None and bucket.region != key.region:
        raise AwsError(
            "KmsKeyNotFoundException",
            f"KMS key {key_arn} is not in the same region as S3 bucket {bucket.name} ({bucket.region}).",
        )
    if not key.enabled:
        raise AwsError("KmsException", f"{key_arn} is disabled.")
    if not key_allows(backend, trail, key, key_arn, ENCRYPT_AND_DESCRIBE):
        raise AwsError(
            "InsufficientEncryptionPolicyException",
            f"Insufficient permissions to access S3 bucket {trail.s3_bucket_name} or KMS key {key_arn}.",
        )
    return key_arn


def check_topic(backend: FakeBackend, trail: Trail) -> None:
    """The SNS topic exists (in the trail's home region) and lets CloudTrail publish to it."""
    topic_arn = trail.topic_arn(backend)
    if topic_arn is None:
        return
    parts = topic_arn.split(":")
    if len(parts) != 6 or parts[2] != "sns" or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", parts[5]):
        raise AwsError("InvalidSnsTopicNameException", f"SNS topic name {trail.sns_topic_name} is not valid.")
    if topic_error(backend, trail) is not None:
        raise AwsError(
            "InsufficientSnsTopicPolicyException", "SNS Topic does not exist or the topic policy is incorrect!"
        )


def check_logs(backend: FakeBackend, trail: Trail) -> None:
    """The log group exists in the home region; the role trusts CloudTrail and may write to the group.

    Errors and messages as observed: a group without a role, a role that does not trust CloudTrail
    (InvalidCloudWatchLogsRoleArnException); an unknown group, a role without the permissions
    (InvalidCloudWatchLogsLogGroupArnException).
    """
    group_arn = trail.cloud_watch_logs_log_group_arn
    role_arn = trail.cloud_watch_logs_role_arn
    if not group_arn and not role_arn:
        return
    if not role_arn:
        raise AwsError("InvalidCloudWatchLogsRoleArnException", "You must specify a role ARN as well as a log group.")
    if not group_arn:
        raise AwsError(
            "InvalidCloudWatchLogsLogGroupArnException", "You must specify a log group as well as a role ARN."
        )
    problem = logs_problem(backend, trail, group_arn, role_arn)
    if problem == "group":
        raise AwsError(
            "InvalidCloudWatchLogsLogGroupArnException", "Check the log group ARN: CloudTrail can't validate it."
        )
    if problem == "trust":
        raise AwsError(
            "InvalidCloudWatchLogsRoleArnException", "Access denied. Check the trust relationships for your role."
        )
    if problem == "permissions":
        raise AwsError(
            "InvalidCloudWatchLogsLogGroupArnException", "Access denied. Check the permissions for your role."
        )
