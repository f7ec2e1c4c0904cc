"""What CreateTrail, UpdateTrail and PutInsightSelectors check before they accept a trail: that CloudTrail could
deliver to it (spec cloudtrail.md §4.6), and the organization prerequisites of an organization trail.

Delivery is checked the way CloudTrail's principal would meet it, by evaluating the resource policies with
``cloudtrail.amazonaws.com`` as the principal and the request's condition keys (aws:SourceArn = the trail's ARN,
aws:SourceAccount = its owner, s3:x-amz-acl, kms:EncryptionContext:aws:cloudtrail:arn) against concrete ARNs of
what it would write: the bucket ACL check, a log file under ``[prefix/]AWSLogs/<account>/CloudTrail/``, a digest
file when validation is on, an Insights file when Insights are on, and ``AWSLogs/<org id>/...`` for an
organization trail. The KMS key must be found (in the bucket's region), enabled, and let CloudTrail
GenerateDataKey and DescribeKey. An SNS topic must let CloudTrail publish; a CloudWatch Logs role must trust
CloudTrail and allow CreateLogStream and PutLogEvents on the log group.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.fakes import kms
from toolkit.fakes.errors import AwsError
from toolkit.fakes.s3 import BUCKET_NAME
from toolkit.fakes.services import kms as kms_operations
from toolkit.iam.policy import Policy, Principal, allowed_by_any, request_context

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend
    from toolkit.fakes.cloudtrail.trail import Trail

CLOUDTRAIL: Principal = ("Service", "cloudtrail.amazonaws.com")
TRUSTED_SERVICE = "cloudtrail.amazonaws.com"
LOG_GROUP_ARN = re.compile(r"arn:(aws[a-z-]*):logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?")
ROLE_ARN = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)")
SAMPLE_FILE = "2026/01/01/{account}_{kind}_{region}_20260101T0000Z_fakeworld.json.gz"


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
    bucket = backend.world.buckets.get(name)
    if bucket is None:
        if not BUCKET_NAME.fullmatch(name):
            raise AwsError("InvalidS3BucketNameException", f"Bucket name {name} is not valid.")
        raise AwsError("S3BucketDoesNotExistException", f"S3 bucket {name} does not exist!")
    policy = bucket.policy
    organization = backend.world.organization
    organization_id = organization.id if trail.is_organization_trail and organization is not None else ""
    arn = trail.arn(backend)
    memo = (
        "cloudtrail-bucket",
        backend.partition,
        arn,
        trail.owner(backend),
        trail.s3_key_prefix or "",
        "digest" if trail.log_file_validation_enabled else "",
        "insights" if insights else "",
        organization_id,
    )
    allowed = None if policy is None else policy.verdicts.get(memo)
    if allowed is None:
        allowed = policy is not None and _bucket_allows(backend, trail, arn, memo)
        if policy is not None:
            policy.verdicts[memo] = allowed
    if not allowed:
        raise AwsError(
            "InsufficientS3BucketPolicyException", f"Incorrect S3 bucket policy is detected for bucket: {name}"
        )


def _bucket_allows(backend: FakeBackend, trail: Trail, arn: str, memo: tuple[str, ...]) -> bool:
    bucket = backend.world.buckets[trail.s3_bucket_name]
    policy = bucket.policy
    assert policy is not None
    _, partition, _, account, prefix, digest, insights, organization_id = memo
    request = request_context({"aws:SourceArn": arn, "aws:SourceAccount": account, "aws:SecureTransport": "true"})
    write = (*request, ("s3:x-amz-acl", "bucket-owner-full-control"))
    base = f"arn:{partition}:s3:::{bucket.name}/" + (f"{prefix}/" if prefix else "")
    region = trail.home_region
    kinds = ["CloudTrail"] + (["CloudTrail-Digest"] if digest else []) + (["CloudTrail-Insight"] if insights else [])
    folders = [f"AWSLogs/{account}/"] + ([f"AWSLogs/{organization_id}/{account}/"] if organization_id else [])
    if not policy.allows(CLOUDTRAIL, "s3:GetBucketAcl", bucket.arn(partition), request):
        return False
    for folder in folders:
        for kind in kinds:
            sample = SAMPLE_FILE.format(account=account, kind=kind, region=region)
            if not policy.allows(CLOUDTRAIL, "s3:PutObject", f"{base}{folder}{kind}/{region}/{sample}", write):
                return False
    return True


def check_key(backend: FakeBackend, trail: Trail, key_id: str) -> str:
    """The full ARN of the key ``key_id`` names, after checking that CloudTrail can encrypt with it.

    Alias names and bare key ids are looked up in the trail's home region; an ARN names its own region. The key
    must be in the bucket's region (else KmsKeyNotFoundException, as documented). A disabled key gives
    KmsException [UNVERIFIED: the model says KmsKeyDisabledException is no longer used].
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
    key = _key_by_arn(backend, key_id)
    if key is None:
        try:
            key = kms_operations.resolve(backend, key_id, region)
        except AwsError as err:
            raise AwsError("KmsKeyNotFoundException", f"KMS key {key_id} does not exist: {err.message}") from err
    key_arn = key.arn(backend.partition, backend.account)
    bucket = backend.world.buckets.get(trail.s3_bucket_name)
    if bucket is not None and bucket.region != key.region:
        raise AwsError(
            "KmsKeyNotFoundException",
            f"KMS key {key_arn} is not in the same region as S3 bucket {bucket.name} ({bucket.region}).",
        )
    if not key.enabled:
        raise AwsError("KmsException", f"{key_arn} is disabled.")
    arn = trail.arn(backend)
    owner = trail.owner(backend)
    policy = key.effective_policy(backend.partition, backend.account)
    memo = ("cloudtrail-key", key_arn, arn, owner)
    allowed = policy.verdicts.get(memo)
    if allowed is None:
        request = request_context(
            {"kms:EncryptionContext:aws:cloudtrail:arn": arn, "aws:SourceArn": arn, "aws:SourceAccount": owner}
        )
        allowed = policy.allows(CLOUDTRAIL, "kms:GenerateDataKey", key_arn, request) and policy.allows(
            CLOUDTRAIL, "kms:DescribeKey", key_arn, request
        )
        policy.verdicts[memo] = allowed
    if not allowed:
        raise AwsError(
            "InsufficientEncryptionPolicyException",
            f"Insufficient permissions to access S3 bucket {trail.s3_bucket_name} or KMS key {key_arn}.",
        )
    return key_arn


def _key_by_arn(backend: FakeBackend, key_id: str) -> kms.Key | None:
    """The key a full key ARN of this account names (the common case, looked up directly), else None."""
    if not key_id.startswith("arn:"):
        return None
    key = backend.world.keys.get(key_id.rpartition("/")[2])
    if key is None or key.arn(backend.partition, backend.account) != key_id:
        return None
    return key


def check_topic(backend: FakeBackend, trail: Trail) -> None:
    """The SNS topic exists (in the trail's home region) and lets CloudTrail publish to it."""
    topic_arn = trail.topic_arn(backend)
    if topic_arn is None:
        return
    parts = topic_arn.split(":")
    if len(parts) != 6 or parts[2] != "sns" or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", parts[5]):
        raise AwsError("InvalidSnsTopicNameException", f"SNS topic name {trail.sns_topic_name} is not valid.")
    topic = backend.world.topics.get((parts[3], parts[5]))
    insufficient = AwsError(
        "InsufficientSnsTopicPolicyException", "SNS Topic does not exist or the topic policy is incorrect!"
    )
    if topic is None or parts[4] != backend.account:
        raise insufficient
    arn = trail.arn(backend)
    request = request_context({"aws:SourceArn": arn, "aws:SourceAccount": trail.owner(backend)})
    if not topic.effective_policy(backend.partition, backend.account).allows(
        CLOUDTRAIL, "SNS:Publish", topic_arn, request
    ):
        raise insufficient


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
    unknown_group = AwsError(
        "InvalidCloudWatchLogsLogGroupArnException", "Check the log group ARN: CloudTrail can't validate it."
    )
    group_match = LOG_GROUP_ARN.fullmatch(group_arn)
    if group_match is None:
        raise unknown_group
    _, region, account, group_name = group_match.groups()
    group = backend.world.log_groups.get((region, group_name))
    if group is None or account != backend.account or region != trail.home_region:
        raise unknown_group
    untrusted = AwsError(
        "InvalidCloudWatchLogsRoleArnException", "Access denied. Check the trust relationships for your role."
    )
    role_match = ROLE_ARN.fullmatch(role_arn)
    role = backend.world.roles.get(role_match.group(3)) if role_match else None
    if role is None or role_match is None or role_match.group(2) != backend.account or role.trust_policy is None:
        raise untrusted
    if not role.trust_policy.allows(CLOUDTRAIL, "sts:AssumeRole", role_arn):
        raise untrusted
    stream = f"{group.arn(backend.partition, backend.account)}:log-stream:{backend.account}_CloudTrail_{region}"
    caller: Principal = ("AWS", role_arn)
    for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
        if not allowed_by_any(role.policies, caller, action, stream):
            raise AwsError(
                "InvalidCloudWatchLogsLogGroupArnException", "Access denied. Check the permissions for your role."
            )
