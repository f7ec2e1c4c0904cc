"""CloudTrail's delivery health: what GetTrailStatus reports of a logging trail's deliveries (shared/spec/iam.md §8).

**Deliveries.** While a trail is logging, CloudTrail attempts a delivery every ``PERIOD`` (five minutes) of the
simulated clock from StartLoggingTime (a logging trail of the world file without one has logged since the
account's resources were made, ``CREATED``): a log file to the S3 bucket, encrypted with the trail's KMS key if it
has one; an SNS notification of each log file delivered, when the trail has a topic; its events to the CloudWatch
Logs group, when it has one; and, when log file validation is on, a digest file every hour (with the first log
file, then every twelfth). An attempt succeeds when the world lets CloudTrail do it, as CreateTrail's checks read
the world (``toolkit.fakes.cloudtrail.destinations``: one answer to "may CloudTrail write here"):

- the log file: the bucket exists (in any account of the world) and its policy lets ``cloudtrail.amazonaws.com``
  s3:GetBucketAcl the bucket and s3:PutObject the trail's log path with its conditions (aws:SourceArn,
  aws:SourceAccount, s3:x-amz-acl); then the key exists, is enabled and its policy lets CloudTrail
  kms:GenerateDataKey with the trail's encryption context;
- the digest file: the same bucket checks for the ``CloudTrail-Digest`` path (digests are SSE-S3, not KMS);
- the notification: the topic exists in the trail's account and its policy lets CloudTrail SNS:Publish;
- CloudWatch Logs: the group exists and the role trusts CloudTrail and may create the trail's stream and put events.

**Errors**, as GetTrailStatus reports them (the error of the latest attempt; gone once an attempt succeeds):
LatestDeliveryError is "NoSuchBucket" for a missing bucket [cloudsploit's GetTrailStatus fixture,
aquasecurity/cloudsploit plugins/aws/cloudtrail/cloudtrailEnabled.spec.js] and "AccessDenied" for a bucket policy
that refuses [a recorded GetTrailStatus: "TS-006 — CloudTrail para de entregar no S3", iam.md §8]. For the key
[UNVERIFIED: no recorded CloudTrail output; inferred]: the log file is written by S3 PutObject with SSE-KMS, and
LatestDeliveryError is "any Amazon S3 error" (API_GetTrailStatus), so it is S3's code for the key's failure:
"KMS.DisabledException" (disabled), "KMS.KMSInvalidStateException" (pending deletion), "KMS.NotFoundException"
(deleted, or not in the bucket's region) as S3 reports KMS's errors (aws/aws-cli#4507 "(KMS.NotFoundException) when
calling the PutObject operation"; localstack/localstack#8422 and #7786, validated against AWS), and "AccessDenied"
when the key policy refuses GenerateDataKey (S3's answer then: buildkite/docs#2344, aws/aws-sdk-js#2404).
LatestDigestDeliveryError takes the bucket's errors. LatestNotificationError is SNS's code, "NotFound" or
"AuthorizationError" [UNVERIFIED]; LatestCloudWatchLogsDeliveryError CloudWatch Logs', "ResourceNotFoundException"
or "AccessDeniedException" [UNVERIFIED]. IsLogging stays true; LatestDeliveryTime stays at the last success.
Notifications are attempted only for log files delivered [UNVERIFIED]. Encrypted topics are not modelled.

**Deprecated fields** [a recorded output, TS-006 above; the AWS announcement quoted in aws/aws-sdk-php's
UPGRADING.md]: LatestDeliveryAttemptTime is the latest attempt's time, LatestDeliveryAttemptSucceeded the latest
success's ("As implemented: Time of most recent successful file delivery"), likewise for notifications; as text
(``2026-01-01T00:05:00Z``), "" when there is none.

**How the last good delivery is kept.** The world's state is known only at calls, and it changes only at calls.
The trail keeps a ``DeliveryRecord`` (GetTrailStatus's values up to its LatestDeliveryAttemptTime); the attempts
after it are judged by the world as it is now. So every call that may change what delivery depends on first brings
the records of the logging trails that depend on it up to its own time (``before_change``), judged by the world as
it was until then, and only then changes the world: CreateBucket, DeleteBucket and every change of a bucket (S3's
``store``), every change of a key (KMS's ``store``), of a topic and its deletion, of a log group and its deletion,
and UpdateTrail and StopLogging. GetTrailStatus reads the record and the world and changes nothing. A record is
stored only when an attempt fell since the last one (a trail that has not yet delivered is written as before).
Not watched: a change of the CloudWatch Logs role (IAM), of the organization, or by a registered handler counts
from the trail's last recorded attempt. Everything here is a function of the world and the simulated clock, so
simulations stay byte-stable.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from toolkit.fakes.cloudtrail.trail import DeliveryRecord, Trail
from toolkit.fakes.errors import AwsError
from toolkit.fakes.record import CREATED
from toolkit.fakes.worldfile import timestamp_text
from toolkit.records import Record

if TYPE_CHECKING:
    from collections.abc import Callable

    from toolkit.fakes.backend import FakeBackend
    from toolkit.fakes.state import WorldState

PERIOD = timedelta(minutes=5)
"""How often a logging trail delivers ("log files are generally published every 5 minutes")."""
DIGEST_EVERY = 12
"""A digest file every hour: with the first log file, then with every twelfth."""
CANNOT_EVALUATE = "CannotEvaluatePolicy"


class Verdicts(Record):
    """The error each delivery channel of a trail would meet now (None: delivered). A frozen record
    (``toolkit.records``; once a frozen dataclass)."""

    __slots__ = ("cloudwatch", "delivery", "digest", "notification")
    _FIELDS = ("delivery", "digest", "notification", "cloudwatch")
    delivery: str | None
    digest: str | None
    notification: str | None
    cloudwatch: str | None

    def __init__(
        self, delivery: str | None, digest: str | None, notification: str | None, cloudwatch: str | None
    ) -> None:
        object.__setattr__(self, "delivery", delivery)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "notification", notification)
        object.__setattr__(self, "cloudwatch", cloudwatch)


def verdicts(backend: FakeBackend, trail: Trail, at: datetime) -> Verdicts:
    """What CloudTrail's deliveries for ``trail`` (held by ``backend``'s account) meet in the world at ``at``."""
    # lazy: the policy checks load only when a logging trail has delivered
    from toolkit.fakes.cloudtrail.destinations import (
        DIGESTS,
        LOGS,
        bucket_allows,
        find_bucket,
        key_error,
        logs_error,
        topic_error,
    )

    bucket = find_bucket(backend, trail.s3_bucket_name)
    delivery: str | None
    digest: str | None = None
    if bucket is None:
        delivery = digest = "NoSuchBucket"
    else:
        delivery = None if bucket_allows(backend, trail, bucket, (LOGS,)) else "AccessDenied"
        if trail.log_file_validation_enabled:
            digest = None if bucket_allows(backend, trail, bucket, (DIGESTS,)) else "AccessDenied"
    if delivery is None and trail.kms_key_id:
        delivery = key_error(backend, trail, at)
    return Verdicts(
        delivery=delivery,
        digest=digest,
        notification=topic_error(backend, trail) if trail.sns_topic_name else None,
        cloudwatch=logs_error(backend, trail) if trail.cloud_watch_logs_log_group_arn else None,
    )


def advance(
    record: DeliveryRecord | None, trail: Trail, until: datetime, judge: Callable[[datetime], Verdicts]
) -> DeliveryRecord | None:
    """``record`` with the trail's attempts after it, up to ``until``, each judged by ``judge`` (the world as it is
    throughout: the world does not change between two calls); ``record`` itself when no attempt fell meanwhile."""
    if not trail.is_logging:
        return record
    start = trail.start_logging_time or CREATED
    count = (until - start) // PERIOD
    if count < 1:
        return record
    last = start + count * PERIOD
    since = record.attempt if record is not None else None
    if since is not None and last <= since:
        return record
    first = 1 if since is None or since < start else (since - start) // PERIOD + 1
    found = judge(last)  # the same all along, but for a key whose deletion date passed (its error changes)
    changes: dict[str, Any] = {"attempt": last}
    if found.delivery is None:
        changes.update(delivered=last, error=None)
    else:
        changes["error"] = found.delivery
    if trail.log_file_validation_enabled:
        digest = count - (count - 1) % DIGEST_EVERY
        if digest >= first:
            if found.digest is None:
                changes.update(digest=start + digest * PERIOD, digest_error=None)
            else:
                changes["digest_error"] = found.digest
    if trail.sns_topic_name and found.delivery is None:
        changes["notification_attempt"] = last
        if found.notification is None:
            changes.update(notified=last, notification_error=None)
        else:
            changes["notification_error"] = found.notification
    if trail.cloud_watch_logs_log_group_arn:
        if found.cloudwatch is None:
            changes.update(cloudwatch=last, cloudwatch_error=None)
        else:
            changes["cloudwatch_error"] = found.cloudwatch
    return (record or DeliveryRecord(attempt=last)).replace(**changes)


def up_to_now(backend: FakeBackend, trail: Trail) -> DeliveryRecord | None:
    """The trail's delivery record brought up to the backend's clock (``trail`` is held by ``backend``'s account).
    Raises CannotEvaluatePolicy when a policy's answer for CloudTrail cannot be decided."""
    # lazy: IAM's CannotEvaluate is only needed once a delivery is judged (``import a.b as c``: cheaper than
    # ``from a.b import c`` for a module already loaded, and UpdateTrail asks every time)
    import toolkit.iam.policy as policies

    try:
        return advance(trail.delivery, trail, backend.now(), lambda at: verdicts(backend, trail, at))
    except policies.CannotEvaluate as err:
        raise AwsError(
            CANNOT_EVALUATE, f"the simulator cannot decide whether CloudTrail may deliver for {trail.name}: {err}"
        ) from err


def kept_up_to_now(backend: FakeBackend, trail: Trail) -> DeliveryRecord | None:
    """``up_to_now``, or the record as it was when a policy's answer cannot be decided (a change elsewhere in the
    world never fails for CloudTrail's sake)."""
    try:
        return up_to_now(backend, trail)
    except AwsError as err:
        if err.code != CANNOT_EVALUATE:
            raise
        return trail.delivery


def status(backend: FakeBackend, trail: Trail) -> dict[str, Any]:
    """GetTrailStatus's answer for ``trail`` now (reads the world, changes nothing)."""
    response: dict[str, Any] = {"IsLogging": trail.is_logging}
    record = up_to_now(backend, trail)
    if record is not None:
        _put(response, "LatestDeliveryError", record.error)
        _put(response, "LatestNotificationError", record.notification_error)
        _put(response, "LatestDeliveryTime", record.delivered)
        _put(response, "LatestNotificationTime", record.notified)
    _put(response, "StartLoggingTime", trail.start_logging_time)
    _put(response, "StopLoggingTime", trail.stop_logging_time)
    if record is not None:
        _put(response, "LatestCloudWatchLogsDeliveryError", record.cloudwatch_error)
        _put(response, "LatestCloudWatchLogsDeliveryTime", record.cloudwatch)
        _put(response, "LatestDigestDeliveryTime", record.digest)
        _put(response, "LatestDigestDeliveryError", record.digest_error)
    # The deprecated text fields are always there, empty when there is nothing to say.
    response["LatestDeliveryAttemptTime"] = _text(record.attempt if record else None)
    response["LatestNotificationAttemptTime"] = _text(record.notification_attempt if record else None)
    response["LatestNotificationAttemptSucceeded"] = _text(record.notified if record else None)
    response["LatestDeliveryAttemptSucceeded"] = _text(record.delivered if record else None)
    response["TimeLoggingStarted"] = _text(trail.start_logging_time)
    response["TimeLoggingStopped"] = _text(trail.stop_logging_time)
    return response


def _put(response: dict[str, Any], key: str, value: object) -> None:
    if value is not None:
        response[key] = value


def _text(value: datetime | None) -> str:
    return timestamp_text(value) or ""


# -- keeping the records up to date ----------------------------------------------------------------------------


def before_change(
    backend: FakeBackend,
    *,
    bucket: str | None = None,
    key: str | None = None,
    topic: tuple[str, str] | None = None,
    log_group: tuple[str, str] | None = None,
) -> None:
    """Bring up to the backend's clock the delivery records of every logging trail of the world that delivers to
    ``bucket`` (a name), encrypts with ``key`` (a key id), notifies ``topic`` or writes to ``log_group`` (each
    (region, name) of the backend's account): called by an operation just before it changes that resource."""
    world = backend.world
    root = world.root or world
    states: tuple[WorldState, ...] = (root, *root.accounts.values()) if root.accounts else (root,)
    for state in states:
        if not state.trails:
            continue
        for trail in [trail for trail in state.trails.values() if trail.is_logging]:
            if _uses(trail, backend, state, bucket, key, topic, log_group):
                _record(backend if state is world else _seen_from(backend, state), trail)


def _uses(
    trail: Trail,
    changer: FakeBackend,
    holder: WorldState,
    bucket: str | None,
    key: str | None,
    topic: tuple[str, str] | None,
    log_group: tuple[str, str] | None,
) -> bool:
    if bucket is not None and trail.s3_bucket_name == bucket:
        return True
    if key is not None and trail.kms_key_id is not None and trail.kms_key_id.endswith(f":key/{key}"):
        return True
    if holder is not changer.world:
        return False  # a trail's topic and log group are its own account's
    if topic is not None and trail.sns_topic_name:
        region, name = topic
        return trail.topic_arn(changer) == f"arn:{changer.partition}:sns:{region}:{changer.account}:{name}"
    if log_group is not None and trail.cloud_watch_logs_log_group_arn:
        region, name = log_group
        arn = trail.cloud_watch_logs_log_group_arn.removesuffix(":*")
        return arn == f"arn:{changer.partition}:logs:{region}:{changer.account}:log-group:{name}"
    return False


def _seen_from(backend: FakeBackend, state: WorldState) -> FakeBackend:
    found = backend.elsewhere(state.account, state.region)
    assert found is not None  # state is one of the world's accounts
    return found


def _record(backend: FakeBackend, trail: Trail) -> None:
    """Store ``trail`` with its record brought up to now, if an attempt fell since its last one."""
    record = kept_up_to_now(backend, trail)
    if record is not trail.delivery:
        changed = trail.clone()
        changed.delivery = record
        backend.world.trails[(trail.home_region, trail.name)] = changed
