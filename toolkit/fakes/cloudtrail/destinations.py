"""Whether CloudTrail may write to a trail's destinations, read from the world as CloudTrail's principal meets them:
the one answer CreateTrail and UpdateTrail check (``toolkit.fakes.cloudtrail.delivery``) and every later delivery
is judged by (``toolkit.fakes.cloudtrail.health``).

The resource policies are evaluated with ``cloudtrail.amazonaws.com`` as the principal and the request's condition
keys (aws:SourceArn = the trail's ARN, aws:SourceAccount = its owner, aws:SourceOrgID = the owner's organization
when it is in one (IAM's global condition keys: set with aws:SourceAccount for a service principal acting for a
resource of an account in an organization), s3:x-amz-acl, kms:EncryptionContext:aws:cloudtrail:arn) against
concrete ARNs of what it writes: the bucket ACL check, a file
under ``[prefix/]AWSLogs/<account>/<kind>/`` of each kind asked (log files, digest files, Insights files), and
``AWSLogs/<org id>/<account>/...`` for an organization trail. The bucket may be in another account of the world (a
central log bucket), and so may the key when named by its key ARN. Verdicts are kept with the policy they were
read from (``Policy.verdicts``; a policy never changes). State only: no operation of another service is called.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.iam.policy import Policy, Principal, allowed_by_any, request_context

if TYPE_CHECKING:
    from datetime import datetime

    from toolkit.fakes.backend import FakeBackend
    from toolkit.fakes.cloudtrail.trail import Trail
    from toolkit.fakes.kms import Key
    from toolkit.fakes.s3 import Bucket

CLOUDTRAIL: Principal = ("Service", "cloudtrail.amazonaws.com")
LOG_GROUP_ARN = re.compile(r"arn:(aws[a-z-]*):logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?")
ROLE_ARN = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)")
SAMPLE_FILE = "2026/01/01/{account}_{kind}_{region}_20260101T0000Z_fakeworld.json.gz"


LOGS = "CloudTrail"
DIGESTS = "CloudTrail-Digest"
INSIGHTS = "CloudTrail-Insight"
"""The folders CloudTrail writes under ``AWSLogs/<account>/``: log files, digest files, Insights files."""


def find_bucket(backend: FakeBackend, name: str) -> Bucket | None:
    """The bucket ``name`` names, in this account or another of the world (a central log bucket)."""
    world = backend.world
    found = world.buckets.get(name)
    if found is not None:
        return found
    root = world.root or world
    for state in (root, *root.accounts.values()):
        if state is not world and name in state.buckets:
            return state.buckets[name]
    return None


def bucket_allows(backend: FakeBackend, trail: Trail, bucket: Bucket, kinds: tuple[str, ...]) -> bool:
    """Whether ``bucket``'s policy lets CloudTrail check its ACL and write the trail's files of ``kinds``: the one
    answer CreateTrail, UpdateTrail and every later delivery (``toolkit.fakes.cloudtrail.health``) ask for. Kept
    with the policy (``Policy.verdicts``), which never changes."""
    policy = bucket.policy
    if policy is None:
        return False
    organization = backend.world.organization
    organization_id = organization.id if trail.is_organization_trail and organization is not None else ""
    memo = (
        "cloudtrail-bucket",
        backend.partition,
        bucket.name,
        trail.arn(backend),
        trail.owner(backend),
        trail.s3_key_prefix or "",
        trail.home_region,
        organization_id,
        organization.id if organization is not None else "",
        *kinds,
    )
    allowed = policy.verdicts.get(memo)
    if allowed is None:
        (backend.world.root or backend.world).statements.prepare(policy)
        allowed = policy.verdicts[memo] = _bucket_allows(policy, bucket.arn(backend.partition), memo, kinds)
    return allowed


def _bucket_allows(policy: Policy, bucket_arn: str, memo: tuple[str, ...], kinds: tuple[str, ...]) -> bool:
    _, _, _, arn, account, prefix, region, organization_id, source_org = memo[:9]
    keys = {"aws:SourceArn": arn, "aws:SourceAccount": account, "aws:SecureTransport": "true"}
    request = request_context({**keys, "aws:SourceOrgID": source_org} if source_org else keys)
    write = (*request, ("s3:x-amz-acl", "bucket-owner-full-control"))
    base = f"{bucket_arn}/" + (f"{prefix}/" if prefix else "")
    folders = [f"AWSLogs/{account}/"] + ([f"AWSLogs/{organization_id}/{account}/"] if organization_id else [])
    if not policy.allows(CLOUDTRAIL, "s3:GetBucketAcl", bucket_arn, request):
        return False
    for folder in folders:
        for kind in kinds:
            sample = SAMPLE_FILE.format(account=account, kind=kind, region=region)
            if not policy.allows(CLOUDTRAIL, "s3:PutObject", f"{base}{folder}{kind}/{region}/{sample}", write):
                return False
    return True


ENCRYPT: tuple[str, ...] = ("kms:GenerateDataKey",)
"""What each delivery of an encrypted log file asks of the key policy."""
ENCRYPT_AND_DESCRIBE: tuple[str, ...] = ("kms:GenerateDataKey", "kms:DescribeKey")
"""What CreateTrail and UpdateTrail ask of the key policy (CloudTrail user guide, "Configure AWS KMS key policies
for CloudTrail": encrypt, and describe the key's properties)."""


def key_allows(backend: FakeBackend, trail: Trail, key: Key, key_arn: str, actions: tuple[str, ...]) -> bool:
    """Whether ``key``'s policy lets CloudTrail do ``actions`` with the trail's encryption context
    (kms:EncryptionContext:aws:cloudtrail:arn, aws:SourceArn, aws:SourceAccount); kept with the policy."""
    arn = trail.arn(backend)
    owner = trail.owner(backend)
    account = key_arn.split(":", 5)[4]
    policy = key.effective_policy(backend.partition, account)
    organization = backend.world.organization
    source_org = organization.id if organization is not None else ""
    memo = ("cloudtrail-key", key_arn, arn, owner, source_org, *actions)
    allowed = policy.verdicts.get(memo)
    if allowed is None:
        (backend.world.root or backend.world).statements.prepare(policy)
        keys = {"kms:EncryptionContext:aws:cloudtrail:arn": arn, "aws:SourceArn": arn, "aws:SourceAccount": owner}
        request = request_context({**keys, "aws:SourceOrgID": source_org} if source_org else keys)
        allowed = all(policy.allows(CLOUDTRAIL, action, key_arn, request) for action in actions)
        policy.verdicts[memo] = allowed
    return allowed


def key_error(backend: FakeBackend, trail: Trail, at: datetime) -> str | None:
    """S3's error code when it encrypts one of the trail's log files with the trail's key at ``at`` (None: it
    can): KMS.NotFoundException (the key is gone, or not in the bucket's region), KMS.DisabledException,
    KMS.KMSInvalidStateException (pending deletion), AccessDenied (the key policy does not let CloudTrail
    GenerateDataKey with the trail's encryption context). See ``toolkit.fakes.cloudtrail.health`` for the sources."""
    key_id = trail.kms_key_id
    if not key_id:
        return None
    found = key_by_arn(backend, key_id)
    if found is None or found[0].deleted(at):
        return "KMS.NotFoundException"
    key, key_arn = found
    bucket = find_bucket(backend, trail.s3_bucket_name)
    if bucket is not None and bucket.region != key.region:
        return "KMS.NotFoundException"
    if key.state == "Disabled":
        return "KMS.DisabledException"
    if key.state == "PendingDeletion":
        return "KMS.KMSInvalidStateException"
    if not key_allows(backend, trail, key, key_arn, ENCRYPT):
        return "AccessDenied"
    return None


def key_by_arn(backend: FakeBackend, key_id: str) -> tuple[Key, str] | None:
    """The key a full key ARN names (in this account or another of the world) and that ARN; None otherwise."""
    if not key_id.startswith("arn:"):
        return None
    parts = key_id.split(":", 5)
    if len(parts) != 6 or parts[1] != backend.partition or not parts[5].startswith("key/"):
        return None
    world = backend.world
    root = world.root or world
    state = world if parts[4] == world.account else (root if parts[4] == root.account else root.accounts.get(parts[4]))
    key = None if state is None else state.keys.get(parts[5][4:])
    if key is None or key.region != parts[3]:
        return None
    return key, key_id


def topic_error(backend: FakeBackend, trail: Trail) -> str | None:
    """SNS's error code when CloudTrail publishes a notification to the trail's topic (None: it may): NotFound for a
    topic that is not there (in the trail's account), AuthorizationError when its policy does not let CloudTrail
    publish with the trail's aws:SourceArn and aws:SourceAccount."""
    topic_arn = trail.topic_arn(backend)
    if topic_arn is None:
        return None
    parts = topic_arn.split(":")
    topic = backend.world.topics.get((parts[3], parts[5])) if len(parts) == 6 else None
    if topic is None or parts[4] != backend.account:
        return "NotFound"
    arn = trail.arn(backend)
    request = request_context({"aws:SourceArn": arn, "aws:SourceAccount": trail.owner(backend)})
    policy = topic.effective_policy(backend.partition, backend.account)
    if not policy.allows(CLOUDTRAIL, "SNS:Publish", topic_arn, request):
        return "AuthorizationError"
    return None


LOGS_ERRORS = {
    "group": "ResourceNotFoundException",
    "trust": "AccessDeniedException",
    "permissions": "AccessDeniedException",
}
"""CloudWatch Logs' error code, as LatestCloudWatchLogsDeliveryError reports it, for each problem of
``logs_problem`` [UNVERIFIED: CloudWatch Logs' own codes for a missing group and a denied call]."""


def logs_error(backend: FakeBackend, trail: Trail) -> str | None:
    """CloudWatch Logs' error when CloudTrail delivers the trail's events to its log group (None: it may): the group
    is gone (ResourceNotFoundException), or the role is gone, no longer trusts CloudTrail or may no longer write to
    the group (AccessDeniedException). The same reading of the group and role as CreateTrail's (``check_logs``)."""
    group_arn = trail.cloud_watch_logs_log_group_arn
    role_arn = trail.cloud_watch_logs_role_arn
    if not group_arn:
        return None
    if not role_arn:
        return LOGS_ERRORS["trust"]
    problem = logs_problem(backend, trail, group_arn, role_arn)
    return None if problem is None else LOGS_ERRORS[problem]


def logs_problem(backend: FakeBackend, trail: Trail, group_arn: str, role_arn: str) -> str | None:
    """What keeps CloudTrail from writing to the log group as the role: "group" (not found in the trail's account
    and home region), "trust" (the role is not there or does not trust CloudTrail), "permissions" (the role may not
    create the trail's log stream and put events in it); None: nothing."""
    group_match = LOG_GROUP_ARN.fullmatch(group_arn)
    if group_match is None:
        return "group"
    _, region, account, group_name = group_match.groups()
    group = backend.world.log_groups.get((region, group_name))
    if group is None or account != backend.account or region != trail.home_region:
        return "group"
    role_match = ROLE_ARN.fullmatch(role_arn)
    role = backend.world.roles.get(role_match.group(3)) if role_match else None
    if role is None or role_match is None or role_match.group(2) != backend.account or role.trust_policy is None:
        return "trust"
    if not role.trust_policy.allows(CLOUDTRAIL, "sts:AssumeRole", role_arn):
        return "trust"
    stream = f"{group.arn(backend.partition, backend.account)}:log-stream:{backend.account}_CloudTrail_{region}"
    caller: Principal = ("AWS", role_arn)
    for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
        if not allowed_by_any(role.policies, caller, action, stream):
            return "permissions"
    return None
