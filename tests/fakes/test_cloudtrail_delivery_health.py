"""CloudTrail's delivery health (shared/spec/iam.md §8; ``toolkit.fakes.cloudtrail.health``): a logging trail
delivers every five minutes of the simulated clock; once the bucket, its policy, the key, the topic or the log
group stops accepting delivery, GetTrailStatus reports the error while IsLogging stays true and LatestDeliveryTime
stays at the last success; repairing it clears the error at the next delivery. The record round-trips through the
world file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes.shapes import check_shape
from tests.fakes.worlds import ACCOUNT, CLOUDTRAIL, TRAIL_ARN, allow_cloudtrail, bucket_policy, trail, world
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ID, default_data
from toolkit.fakes.world import World, WorldError

START = datetime(2026, 1, 1, tzinfo=UTC)
TOPIC_ARN = f"arn:aws:sns:us-east-1:{ACCOUNT}:notices"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/cloudtrail/main:*"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/CloudTrailToLogs"


def minutes(count: float) -> datetime:
    return START + timedelta(minutes=count)


class Clock:
    """A world seen through one backend whose simulated clock the test moves."""

    def __init__(self, state: World) -> None:
        self.world = state
        self.now = START
        self.backend = state.backend(now=lambda: self.now)

    def at(self, count: float) -> Clock:
        self.now = minutes(count)
        return self

    def call(self, service: str, operation: str, params: dict[str, Any] | None = None) -> Any:
        return self.backend.call(service, operation, dict(params or {}))

    def status(self, name: str = "main") -> dict[str, Any]:
        response = self.call("cloudtrail", "GetTrailStatus", {"Name": name})
        check_shape("cloudtrail", "GetTrailStatus", response)  # what botocore parses
        return dict(response)


def logging(state: World | None = None, **update: Any) -> Clock:
    """The default world (or ``state``) with trail ``main`` updated as given and logging from START."""
    clock = Clock(state or world())
    if update:
        clock.call("cloudtrail", "UpdateTrail", {"Name": "main", **update})
    clock.call("cloudtrail", "StartLogging", {"Name": "main"})
    return clock


def healthy(status: dict[str, Any]) -> bool:
    return not any(key.endswith("Error") for key in status)


# -- delivering ------------------------------------------------------------------------------------------------


def test_a_logging_trail_delivers_every_five_minutes_of_the_simulated_clock() -> None:
    clock = logging(EnableLogFileValidation=True, KmsKeyId="alias/cloudtrail")
    assert "LatestDeliveryTime" not in clock.at(4).status()  # nothing delivered yet
    assert clock.status()["LatestDeliveryAttemptTime"] == ""
    status = clock.at(12).status()
    assert status["IsLogging"] is True and healthy(status)
    assert status["LatestDeliveryTime"] == minutes(10)
    assert status["LatestDeliveryAttemptTime"] == "2026-01-01T00:10:00Z"
    assert status["LatestDeliveryAttemptSucceeded"] == "2026-01-01T00:10:00Z"  # as implemented: the success's time
    assert status["LatestDigestDeliveryTime"] == minutes(5)  # a digest with the first log file, then hourly
    assert clock.at(70).status()["LatestDigestDeliveryTime"] == minutes(65)
    assert clock.status()["LatestDeliveryTime"] == minutes(70)


def test_reading_the_status_changes_nothing_and_a_trail_that_has_not_delivered_is_written_as_before() -> None:
    clock = logging()
    before = clock.world.to_dict()
    clock.at(600).status()
    assert clock.world.to_dict() == before
    assert "LatestDeliveryTime" not in before["Trails"][0]  # no record until a change makes one


def test_a_stopped_trail_delivers_nothing_more_and_keeps_what_it_delivered() -> None:
    clock = logging()
    clock.at(17).call("cloudtrail", "StopLogging", {"Name": "main"})
    status = clock.at(60).status()
    assert status["IsLogging"] is False and status["LatestDeliveryTime"] == minutes(15)
    clock.call("cloudtrail", "StartLogging", {"Name": "main"})  # at 60: deliveries resume from there
    assert clock.at(64).status()["LatestDeliveryTime"] == minutes(15)
    assert clock.at(66).status()["LatestDeliveryTime"] == minutes(65)


# -- the bucket ------------------------------------------------------------------------------------------------


def test_a_deleted_bucket_is_no_such_bucket_until_it_is_back() -> None:
    clock = logging(EnableLogFileValidation=True)
    policy = clock.call("s3", "GetBucketPolicy", {"Bucket": DEFAULT_BUCKET})["Policy"]
    clock.at(22).call("s3", "DeleteBucket", {"Bucket": DEFAULT_BUCKET})
    status = clock.at(47).status()
    assert status["IsLogging"] is True
    assert status["LatestDeliveryError"] == "NoSuchBucket"
    assert status["LatestDeliveryTime"] == minutes(20)  # the last delivery before the bucket went
    assert status["LatestDeliveryAttemptTime"] == "2026-01-01T00:45:00Z"  # CloudTrail keeps trying
    assert "LatestDigestDeliveryError" not in status  # no digest was due since
    assert clock.at(66).status()["LatestDigestDeliveryError"] == "NoSuchBucket"
    clock.at(70).call("s3", "CreateBucket", {"Bucket": DEFAULT_BUCKET})
    assert clock.at(72).status()["LatestDeliveryError"] == "NoSuchBucket"  # no attempt since the bucket came back
    assert clock.at(76).status()["LatestDeliveryError"] == "AccessDenied"  # back, but without its policy
    clock.call("s3", "PutBucketPolicy", {"Bucket": DEFAULT_BUCKET, "Policy": policy})
    status = clock.at(81).status()
    assert "LatestDeliveryError" not in status and status["LatestDeliveryTime"] == minutes(80)
    assert status["LatestDigestDeliveryError"] == "NoSuchBucket"  # until the next digest, on the hour
    status = clock.at(126).status()
    assert healthy(status) and status["LatestDigestDeliveryTime"] == minutes(125)


def test_a_bucket_policy_that_no_longer_lets_cloudtrail_write_is_access_denied() -> None:
    clock = logging()
    policy = clock.call("s3", "GetBucketPolicy", {"Bucket": DEFAULT_BUCKET})["Policy"]
    other_trail = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/old"
    wrong = bucket_policy(
        allow_cloudtrail("s3:GetBucketAcl", f"arn:aws:s3:::{DEFAULT_BUCKET}"),
        allow_cloudtrail(
            "s3:PutObject",
            f"arn:aws:s3:::{DEFAULT_BUCKET}/AWSLogs/{ACCOUNT}/*",
            {"StringEquals": {"aws:SourceArn": other_trail, "s3:x-amz-acl": "bucket-owner-full-control"}},
        ),
    )
    clock.at(31).call("s3", "PutBucketPolicy", {"Bucket": DEFAULT_BUCKET, "Policy": _text(wrong)})
    status = clock.at(58).status()
    assert (status["IsLogging"], status["LatestDeliveryError"], status["LatestDeliveryTime"]) == (
        True,
        "AccessDenied",
        minutes(30),
    )
    clock.at(59).call("s3", "DeleteBucketPolicy", {"Bucket": DEFAULT_BUCKET})
    assert clock.at(61).status()["LatestDeliveryError"] == "AccessDenied"
    clock.call("s3", "PutBucketPolicy", {"Bucket": DEFAULT_BUCKET, "Policy": policy})
    status = clock.at(66).status()
    assert healthy(status) and status["LatestDeliveryTime"] == minutes(65)


def test_a_trail_moved_to_a_bucket_cloudtrail_may_not_write_fails_from_then_on() -> None:
    state = world(add={"Buckets": [{"Name": "open-bucket", "Region": "us-east-1", "Policy": None}]})
    clock = logging(state)
    clock.at(12).status()
    # UpdateTrail refuses a bucket CloudTrail may not write to; a policy removed after the update is not refused
    clock.call(
        "s3", "PutBucketPolicy", {"Bucket": "open-bucket", "Policy": _text(_default_bucket_policy("open-bucket"))}
    )
    clock.at(13).call("cloudtrail", "UpdateTrail", {"Name": "main", "S3BucketName": "open-bucket"})
    clock.at(14).call("s3", "DeleteBucketPolicy", {"Bucket": "open-bucket"})
    status = clock.at(21).status()
    assert status["LatestDeliveryError"] == "AccessDenied" and status["LatestDeliveryTime"] == minutes(10)


# -- the key ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("break_it", "error", "repair"),
    [
        (("DisableKey", {}), "KMS.DisabledException", [("EnableKey", {})]),
        (
            ("ScheduleKeyDeletion", {"PendingWindowInDays": 7}),
            "KMS.KMSInvalidStateException",
            [("CancelKeyDeletion", {}), ("EnableKey", {})],
        ),
    ],
    ids=["disabled", "pending-deletion"],
)
def test_a_key_cloudtrail_cannot_use_fails_delivery_until_repaired(
    break_it: tuple[str, dict[str, Any]], error: str, repair: list[tuple[str, dict[str, Any]]]
) -> None:
    clock = logging(KmsKeyId="alias/cloudtrail", EnableLogFileValidation=True)
    operation, params = break_it
    clock.at(8).call("kms", operation, {"KeyId": DEFAULT_KEY_ID, **params})
    status = clock.at(100).status()
    assert status["IsLogging"] is True and status["LatestDeliveryError"] == error
    assert status["LatestDeliveryTime"] == minutes(5)
    assert status["LatestDigestDeliveryTime"] == minutes(65) and "LatestDigestDeliveryError" not in status  # SSE-S3
    for operation, params in repair:
        clock.call("kms", operation, {"KeyId": DEFAULT_KEY_ID, **params})
    status = clock.at(106).status()
    assert healthy(status) and status["LatestDeliveryTime"] == minutes(105)


def test_a_key_deleted_at_the_end_of_its_waiting_period_is_not_found() -> None:
    clock = logging(KmsKeyId="alias/cloudtrail")
    clock.at(3).call("kms", "ScheduleKeyDeletion", {"KeyId": DEFAULT_KEY_ID, "PendingWindowInDays": 7})
    assert clock.at(7 * 24 * 60).status()["LatestDeliveryError"] == "KMS.KMSInvalidStateException"
    status = clock.at(8 * 24 * 60).status()
    assert status["LatestDeliveryError"] == "KMS.NotFoundException" and "LatestDeliveryTime" not in status


def test_a_key_policy_that_no_longer_lets_cloudtrail_encrypt_is_access_denied() -> None:
    clock = logging(KmsKeyId="alias/cloudtrail")
    policy = clock.call("kms", "GetKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "PolicyName": "default"})["Policy"]
    root_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    clock.at(26).call(
        "kms", "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "PolicyName": "default", "Policy": _text(root_only)}
    )
    status = clock.at(44).status()
    assert (status["LatestDeliveryError"], status["LatestDeliveryTime"]) == ("AccessDenied", minutes(25))
    clock.call("kms", "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "PolicyName": "default", "Policy": policy})
    assert healthy(clock.at(45).status())


# -- the topic and the log group -------------------------------------------------------------------------------


def _topic_world() -> World:
    publish = {
        "Effect": "Allow",
        "Principal": CLOUDTRAIL,
        "Action": "SNS:Publish",
        "Resource": TOPIC_ARN,
        "Condition": {"StringEquals": {"aws:SourceArn": TRAIL_ARN}},
    }
    return world(Topics=[{"Name": "notices", "Region": "us-east-1", "Policy": bucket_policy(publish)}])


def test_a_deleted_topic_or_a_policy_that_refuses_cloudtrail_is_a_notification_error() -> None:
    clock = logging(_topic_world(), SnsTopicName="notices")
    policy = clock.call("sns", "GetTopicAttributes", {"TopicArn": TOPIC_ARN})["Attributes"]["Policy"]
    status = clock.at(12).status()
    assert healthy(status) and status["LatestNotificationTime"] == minutes(10)
    assert (
        status["LatestNotificationAttemptTime"]
        == status["LatestNotificationAttemptSucceeded"]
        == "2026-01-01T00:10:00Z"
    )
    clock.call("sns", "DeleteTopic", {"TopicArn": TOPIC_ARN})
    status = clock.at(21).status()
    assert (status["LatestNotificationError"], status["LatestNotificationTime"]) == ("NotFound", minutes(10))
    assert status["LatestNotificationAttemptTime"] == "2026-01-01T00:20:00Z"
    assert "LatestDeliveryError" not in status and status["LatestDeliveryTime"] == minutes(20)
    clock.call("sns", "CreateTopic", {"Name": "notices"})  # back, with SNS's default policy: the account only
    assert clock.at(26).status()["LatestNotificationError"] == "AuthorizationError"
    clock.call(
        "sns", "SetTopicAttributes", {"TopicArn": TOPIC_ARN, "AttributeName": "Policy", "AttributeValue": policy}
    )
    status = clock.at(31).status()
    assert healthy(status) and status["LatestNotificationTime"] == minutes(30)


def test_no_notification_is_attempted_for_a_log_file_that_was_not_delivered() -> None:
    clock = logging(_topic_world(), SnsTopicName="notices")
    clock.at(12).call("s3", "DeleteBucketPolicy", {"Bucket": DEFAULT_BUCKET})
    status = clock.at(33).status()
    assert status["LatestDeliveryError"] == "AccessDenied"
    assert status["LatestNotificationAttemptTime"] == "2026-01-01T00:10:00Z"
    assert "LatestNotificationError" not in status


def _logs_world() -> World:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "sts:AssumeRole"}],
    }
    write = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": GROUP_ARN}
        ],
    }
    role = {"Name": "CloudTrailToLogs", "AssumeRolePolicyDocument": trust, "Policies": [write]}
    return world(LogGroups=[{"Name": "/aws/cloudtrail/main", "Region": "us-east-1"}], Roles=[role])


def test_a_deleted_log_group_is_a_cloudwatch_logs_delivery_error_until_it_is_back() -> None:
    clock = logging(_logs_world(), CloudWatchLogsLogGroupArn=GROUP_ARN, CloudWatchLogsRoleArn=ROLE_ARN)
    assert clock.at(6).status()["LatestCloudWatchLogsDeliveryTime"] == minutes(5)
    clock.call("logs", "DeleteLogGroup", {"logGroupName": "/aws/cloudtrail/main"})
    status = clock.at(16).status()
    assert status["LatestCloudWatchLogsDeliveryError"] == "ResourceNotFoundException"
    assert status["LatestCloudWatchLogsDeliveryTime"] == minutes(5) and status["LatestDeliveryTime"] == minutes(15)
    clock.call("logs", "CreateLogGroup", {"logGroupName": "/aws/cloudtrail/main"})
    status = clock.at(21).status()
    assert healthy(status) and status["LatestCloudWatchLogsDeliveryTime"] == minutes(20)


def test_a_role_that_may_no_longer_write_is_access_denied_counted_from_the_last_recorded_attempt() -> None:
    """IAM changes are not watched (the module's docstring): the error shows, dated from the last record."""
    clock = logging(_logs_world(), CloudWatchLogsLogGroupArn=GROUP_ARN, CloudWatchLogsRoleArn=ROLE_ARN)
    name = clock.call("iam", "ListRolePolicies", {"RoleName": "CloudTrailToLogs"})["PolicyNames"][0]
    clock.at(9).call("iam", "DeleteRolePolicy", {"RoleName": "CloudTrailToLogs", "PolicyName": name})
    status = clock.at(11).status()
    assert status["LatestCloudWatchLogsDeliveryError"] == "AccessDeniedException"
    assert "LatestCloudWatchLogsDeliveryTime" not in status


# -- other accounts --------------------------------------------------------------------------------------------

LOG_ARCHIVE = "210987654321"


def test_a_trail_writing_to_a_central_bucket_of_another_account_sees_that_bucket_break() -> None:
    data = default_data()
    central = "central-logs"
    data["Accounts"] = {
        LOG_ARCHIVE: {
            "Buckets": [{"Name": central, "Region": "us-east-1", "Policy": _default_bucket_policy(central)}],
        }
    }
    data["Trails"] = [trail("main", S3BucketName=central, IsLogging=True, StartLoggingTime="2026-01-01T00:00:00Z")]
    state = World.from_dict(data)
    clock = Clock(state)
    archive = state.backend(now=lambda: clock.now).elsewhere(LOG_ARCHIVE, "us-east-1")
    assert archive is not None
    assert healthy(clock.at(11).status())
    archive.call("s3", "DeleteBucketPolicy", {"Bucket": central})
    status = clock.at(31).status()
    assert (status["LatestDeliveryError"], status["LatestDeliveryTime"]) == ("AccessDenied", minutes(10))


# -- the world file ------------------------------------------------------------------------------------------------


def test_the_record_round_trips_through_the_world_file_and_deliveries_go_on_from_it() -> None:
    clock = logging(_topic_world(), SnsTopicName="notices", EnableLogFileValidation=True)
    clock.at(33).call("s3", "DeleteBucketPolicy", {"Bucket": DEFAULT_BUCKET})
    data = clock.world.to_dict()
    written = data["Trails"][0]
    assert written["LatestDeliveryAttemptTime"] == "2026-01-01T00:30:00Z"
    assert written["LatestDeliveryTime"] == written["LatestNotificationTime"] == "2026-01-01T00:30:00Z"
    assert written["LatestDigestDeliveryTime"] == "2026-01-01T00:05:00Z"
    assert written["LatestDeliveryError"] is None
    again = World.from_dict(data)
    assert again == clock.world and again.to_dict() == data
    later = Clock(again).at(50)
    assert later.status() == clock.at(50).status()
    assert later.status()["LatestDeliveryError"] == "AccessDenied"


def test_the_same_calls_give_the_same_world() -> None:
    def play() -> dict[str, Any]:
        clock = logging(KmsKeyId="alias/cloudtrail")
        clock.at(13).call("kms", "DisableKey", {"KeyId": DEFAULT_KEY_ID})
        clock.at(40).call("kms", "EnableKey", {"KeyId": DEFAULT_KEY_ID})
        return clock.world.to_dict()

    assert play() == play()


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"LatestDeliveryTime": "2026-01-01T00:05:00Z"}, "LatestDeliveryAttemptTime"),
        (
            {"LatestDeliveryAttemptTime": "2026-01-01T00:05:00Z", "LatestDeliveryTime": "2026-01-01T00:10:00Z"},
            "LatestDeliveryTime",
        ),
        ({"LatestDeliveryAttemptTime": "soon"}, "LatestDeliveryAttemptTime"),
        ({"LatestDeliveryAttemptTime": "2026-01-01T00:05:00Z", "LatestDeliveryError": 3}, "LatestDeliveryError"),
    ],
)
def test_a_bad_record_is_refused_naming_its_key(fields: dict[str, Any], key: str) -> None:
    with pytest.raises(WorldError) as refused:
        World.from_dict({"Trails": [trail("main", **fields)]})
    assert refused.value.key == f"Trails[0].{key}"


def _default_bucket_policy(bucket: str) -> dict[str, Any]:
    """The default world's bucket policy, for ``bucket``."""
    text = _text(default_data()["Buckets"][0]["Policy"]).replace(DEFAULT_BUCKET, bucket)
    policy: dict[str, Any] = json.loads(text)
    return policy


def _text(document: object) -> str:
    return json.dumps(document)
