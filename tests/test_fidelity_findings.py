"""Issue 18's findings about AWS's messages, outputs and delivery errors, one test each (named for the finding),
found by running code nobody here wrote (moto's own CloudTrail tests, AWS-authored runbooks) against the toolkit.

The fourth finding, Unicode ``\\w`` in allowedPattern, is the Java regular expressions' (``toolkit/model/patterns.py``
and its tests). The evidence behind each expected value is cited where the behaviour lives:
``toolkit/fakes/cloudtrail/lookup.py`` (messages), ``toolkit/simulate/result.py`` (outputs),
``toolkit/fakes/cloudtrail/health.py`` (delivery errors).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.boto import fake_session
from tests.fakes.worlds import ACCOUNT, trail, world
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ID, default_data
from toolkit.fakes.world import World
from toolkit.simulate import simulate

ROOT = Path(__file__).resolve().parents[1]


# -- Unknown-trail messages ----------------------------------------------------------------------------------------

MANAGEMENT = [{"ReadWriteType": "All", "IncludeManagementEvents": True}]
CALLS: dict[str, Callable[[Any, str], object]] = {
    "GetTrailStatus": lambda client, name: client.get_trail_status(Name=name),
    "GetEventSelectors": lambda client, name: client.get_event_selectors(TrailName=name),
    "GetInsightSelectors": lambda client, name: client.get_insight_selectors(TrailName=name),
    "UpdateTrail": lambda client, name: client.update_trail(Name=name, EnableLogFileValidation=True),
    "DeleteTrail": lambda client, name: client.delete_trail(Name=name),
    "StartLogging": lambda client, name: client.start_logging(Name=name),
    "StopLogging": lambda client, name: client.stop_logging(Name=name),
    "PutEventSelectors": lambda client, name: client.put_event_selectors(TrailName=name, EventSelectors=MANAGEMENT),
    "PutInsightSelectors": lambda client, name: client.put_insight_selectors(
        TrailName=name, InsightSelectors=[{"InsightType": "ApiCallRateInsight"}]
    ),
    "GetTrail": lambda client, name: client.get_trail(Name=name),
}


def refusal(subject: World, operation: str, name: str, region: str = "us-east-1") -> tuple[str, str]:
    """(code, message) of the ClientError a boto3 client of ``subject`` raises, after checking nothing changed."""
    before = subject.to_dict()
    client = fake_session(subject.backend(region)).client("cloudtrail")
    with pytest.raises(ClientError) as caught:
        CALLS[operation](client, name)
    assert subject.to_dict() == before
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.mark.parametrize("operation", sorted(set(CALLS) - {"GetTrail"}))
def test_unknown_trail_messages_name_the_arn_the_name_would_have(operation: str) -> None:
    """Finding: GetTrailStatus of an unknown trail answered "Unknown trail: unknowntrail for the user: ..." where AWS
    names the ARN built from the caller's region and account (moto's own test_get_trail_status_unknown_trail);
    every operation taking a trail name does so but GetTrail, each as AWS gives it (lookup.py's docstring)."""
    for region in ("us-east-1", "eu-west-1"):
        arn = f"arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/unknowntrail"
        assert refusal(World.default(), operation, "unknowntrail", region) == (
            "TrailNotFoundException",
            f"Unknown trail: {arn} for the user: {ACCOUNT}",
        )
        # Given the ARN, the message quotes it as given.
        assert refusal(World.default(), operation, arn, region)[1] == f"Unknown trail: {arn} for the user: {ACCOUNT}"


def test_unknown_trail_messages_of_get_trail_quote_the_name_as_given() -> None:
    """moto's own test_get_trail_unknown, and `aws cloudtrail get-trail --name ...` as recorded."""
    assert refusal(World.default(), "GetTrail", "unknowntrail") == (
        "TrailNotFoundException",
        f"Unknown trail: unknowntrail for the user: {ACCOUNT}",
    )
    arn = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/unknowntrail"
    assert refusal(World.default(), "GetTrail", arn)[1] == f"Unknown trail: {arn} for the user: {ACCOUNT}"


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_unknown_trail_messages_for_an_arn_of_another_region_or_account(operation: str) -> None:
    """An ARN of another region: "Region in ARN is wrong"; of another account (no trail of it visible here):
    "AccountID in ARN is wrong" (turbot/steampipe-plugin-aws#577). Both CloudTrailARNInvalidException."""
    elsewhere = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/unknowntrail"
    assert refusal(World.default(), operation, elsewhere) == (
        "CloudTrailARNInvalidException",
        "Region in ARN is wrong, you can only access resources in region us-east-1.",
    )
    foreign = "arn:aws:cloudtrail:us-east-1:444455556666:trail/main"
    assert refusal(World.default(), operation, foreign) == (
        "CloudTrailARNInvalidException",
        f"AccountID in ARN is wrong, you can only access resources with AccountID {ACCOUNT}.",
    )


def test_unknown_trail_messages_leave_an_organization_trail_readable_by_its_arn_in_a_member_account() -> None:
    """GetTrailStatus's documentation: a member account reads the organization trail by its full ARN, which carries
    the management account; tags of it are refused there (cloudquery/cq-provider-aws#405, from ListTags)."""
    management = "111122223333"
    member = world(
        Organization={**default_data()["Organization"], "ManagementAccount": management},
        Trails=[trail("main", IsOrganizationTrail=True, IsMultiRegionTrail=True)],
    )
    arn = f"arn:aws:cloudtrail:us-east-1:{management}:trail/main"
    client = fake_session(member.backend()).client("cloudtrail")
    assert client.get_trail_status(Name=arn)["IsLogging"] is False
    with pytest.raises(ClientError) as caught:
        client.list_tags(ResourceIdList=[arn])
    assert caught.value.response["Error"] == {
        "Code": "CloudTrailARNInvalidException",
        "Message": f"AccountID in ARN is wrong, you can only access resources with AccountID {ACCOUNT}.",
    }


MOTO_CASES = [
    # (moto's test, operation, name, code, message): tests/test_cloudtrail/test_cloudtrail.py of getmoto/moto,
    # each call made through boto3 against the fake world instead of mock_aws.
    ("test_get_trail_unknown", "GetTrail", "unknowntrail", "TrailNotFoundException", None),
    ("test_get_trail_status_unknown_trail", "GetTrailStatus", "unknowntrail", "TrailNotFoundException", None),
    (
        "test_start_logging_unknown_trail_raises_not_found",
        "StartLogging",
        "unknowntrail",
        "TrailNotFoundException",
        None,
    ),
    (
        "test_get_trail_with_one_char",
        "GetTrail",
        "?",
        "InvalidTrailNameException",
        "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 1 characters.",
    ),
    (
        "test_get_trail_status_with_one_char",
        "GetTrailStatus",
        "?",
        "InvalidTrailNameException",
        "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 1 characters.",
    ),
]
UNKNOWN_ARN = f"Unknown trail: arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/unknowntrail for the user: {ACCOUNT}"
MOTO_MESSAGES = {
    "GetTrail": f"Unknown trail: unknowntrail for the user: {ACCOUNT}",
    "GetTrailStatus": UNKNOWN_ARN,
    "StartLogging": UNKNOWN_ARN,  # moto's test checks only the code; the message is CloudTrail's (lookup.py)
}


@pytest.mark.parametrize(
    ("operation", "name", "code", "message"), [case[1:] for case in MOTO_CASES], ids=[case[0] for case in MOTO_CASES]
)
def test_unknown_trail_messages_as_motos_own_tests_expect(
    operation: str, name: str, code: str, message: str | None
) -> None:
    assert refusal(World.default(), operation, name) == (code, message or MOTO_MESSAGES[operation])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a", "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 1 characters."),
        ("aa", "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters."),
        (
            "a" * 129,
            "Trail name too long. Maximum allowed length: 128 characters. Specified name length: 129 characters.",
        ),
        ("trail!", "Trail name must ends with a letter or number."),
        (
            "my#trail",
            "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens "
            "(-), and underscores (_).",
        ),
        ("-trail", "Trail name must starts with a letter or number."),
    ],
)
def test_unknown_trail_messages_and_name_rules_as_motos_test_create_trail_invalid_name(name: str, message: str) -> None:
    client = fake_session(World.default().backend()).client("cloudtrail")
    with pytest.raises(ClientError) as caught:
        client.create_trail(Name=name, S3BucketName="specificweirdbucketthatdoesnotexist")
    assert caught.value.response["Error"] == {"Code": "InvalidTrailNameException", "Message": message}


# -- Execution outputs ---------------------------------------------------------------------------------------------

WHERE = {
    "schemaVersion": "0.3",
    "outputs": ["Check.Where"],
    "mainSteps": [
        {
            "name": "Check",
            "action": "aws:executeScript",
            "inputs": {
                "Runtime": "python3.11",
                "Handler": "handler",
                "Script": "def handler(events, context):\n    return {'Where': 'here', 'Other': 1}\n",
            },
            "outputs": [
                {"Name": "Where", "Selector": "$.Payload.Where", "Type": "String"},
                {"Name": "Other", "Selector": "$.Payload.Other", "Type": "Integer"},
            ],
        },
        {"name": "Later", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}},
    ],
}


def test_execution_outputs_are_the_outputs_the_document_declares() -> None:
    """Finding: the result's ``outputs`` held every step output, the aws:executeScript step's built-in Payload
    included, while GetAutomationExecution's Outputs holds the outputs the document declares (contract 0.2)."""
    result = simulate(WHERE, {}, World.default())
    assert result.status == "Success"
    assert result.outputs == {"Check.Where": "here"}
    (check, _) = result.steps
    assert check.outputs == {"Payload": {"Where": "here", "Other": 1}, "Where": "here", "Other": 1}
    assert result.step_outputs == {
        "Check.Payload": {"Where": "here", "Other": 1},
        "Check.Where": "here",
        "Check.Other": 1,
    }
    shown = json.loads(result.to_json())
    assert shown["outputs"] == {"Check.Where": "here"}
    assert shown["steps"][0]["outputs"] == check.outputs
    assert "step_outputs" not in shown


def test_execution_outputs_leave_out_what_the_execution_did_not_produce() -> None:
    """A declared output of a step that failed, or never ran, is not in ``outputs`` (AWS shows "No output available
    yet because the step is not successfully executed"; the contract: "as far as the execution produced them")."""
    document = json.loads(json.dumps(WHERE))
    document["outputs"] = ["Later.Nothing", "Check.Other", "Check.Where"]
    document["mainSteps"][0]["inputs"]["Script"] = "def handler(events, context):\n    raise ValueError('no')\n"
    failed = simulate(document, {}, World.default())
    assert failed.status == "Failed" and failed.outputs == {}
    document["mainSteps"][0]["inputs"]["Script"] = WHERE["mainSteps"][0]["inputs"]["Script"]  # type: ignore[index]
    assert list(simulate(document, {}, World.default()).outputs) == ["Check.Other", "Check.Where"]  # declared order
    undeclared = {key: value for key, value in WHERE.items() if key != "outputs"}
    assert simulate(undeclared, {}, World.default()).outputs == {}


def test_execution_outputs_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "where.json"
    path.write_text(json.dumps(WHERE), encoding="utf-8")
    shown = subprocess.run(
        [sys.executable, "-m", "toolkit", "simulate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert json.loads(shown.stdout)["outputs"] == {"Check.Where": "here"}
    text = subprocess.run(
        [sys.executable, "-m", "toolkit", "simulate", str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        timeout=120,
    ).stdout
    assert [line for line in text.splitlines() if line.startswith("output ")] == ['output Check.Where = "here"']


# -- Delivery errors -----------------------------------------------------------------------------------------------

START = datetime(2026, 1, 1, tzinfo=UTC)


class Watch:
    """A world whose simulated clock the test moves, read through boto3 as a script reads GetTrailStatus."""

    def __init__(self, subject: World) -> None:
        self.now = START
        self.backend = subject.backend(now=lambda: self.now)
        self.client = fake_session(self.backend).client("cloudtrail")

    def at(self, minutes: int) -> Watch:
        self.now = START + timedelta(minutes=minutes)
        return self

    def call(self, service: str, operation: str, params: dict[str, Any]) -> Any:
        return self.backend.call(service, operation, params)

    def status(self) -> dict[str, Any]:
        return {
            key: value for key, value in self.client.get_trail_status(Name="main").items() if key != "ResponseMetadata"
        }


def minute(count: int) -> datetime:
    return START + timedelta(minutes=count)


def topic_world() -> World:
    arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:notices"
    publish = {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "SNS:Publish"}
    policy = {"Version": "2012-10-17", "Statement": [{**publish, "Resource": arn}]}
    return world(Topics=[{"Name": "notices", "Region": "us-east-1", "Policy": policy}])


def test_delivery_errors_reported_once_the_bucket_key_or_topic_stops_accepting_delivery() -> None:
    """Finding: GetTrailStatus never reported LatestDeliveryError, LatestDigestDeliveryError or
    LatestNotificationError (iam.md §8). Each channel fails when its destination stops accepting delivery, with its
    latest attempt and its latest success, while IsLogging stays true; repairing it clears the error."""
    watch = Watch(topic_world())
    watch.call(
        "cloudtrail",
        "UpdateTrail",
        {"Name": "main", "SnsTopicName": "notices", "EnableLogFileValidation": True, "KmsKeyId": "alias/cloudtrail"},
    )
    watch.call("cloudtrail", "StartLogging", {"Name": "main"})
    healthy = watch.at(7).status()
    assert healthy["IsLogging"] is True
    assert not [key for key in healthy if key.endswith("Error")]
    assert (healthy["LatestDeliveryTime"], healthy["LatestNotificationTime"]) == (minute(5), minute(5))

    # The bucket's policy stops letting CloudTrail write: log files and, on the hour, digest files fail.
    policy = watch.call("s3", "GetBucketPolicy", {"Bucket": DEFAULT_BUCKET})["Policy"]
    watch.call("s3", "DeleteBucketPolicy", {"Bucket": DEFAULT_BUCKET})
    status = watch.at(66).status()
    assert status["IsLogging"] is True
    assert (status["LatestDeliveryError"], status["LatestDeliveryTime"]) == ("AccessDenied", minute(5))
    assert status["LatestDeliveryAttemptTime"] == "2026-01-01T01:05:00Z"
    assert status["LatestDeliveryAttemptSucceeded"] == "2026-01-01T00:05:00Z"
    assert status["LatestDigestDeliveryError"] == "AccessDenied"
    watch.call("s3", "PutBucketPolicy", {"Bucket": DEFAULT_BUCKET, "Policy": policy})

    # The key is disabled: the log files (SSE-KMS) fail with S3's code for KMS's refusal.
    watch.call("kms", "DisableKey", {"KeyId": DEFAULT_KEY_ID})
    status = watch.at(71).status()
    assert (status["IsLogging"], status["LatestDeliveryError"]) == (True, "KMS.DisabledException")
    watch.call("kms", "EnableKey", {"KeyId": DEFAULT_KEY_ID})

    # The topic is deleted: the notification of each delivered log file fails.
    watch.call("sns", "DeleteTopic", {"TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:notices"})
    status = watch.at(76).status()
    assert status["IsLogging"] is True and "LatestDeliveryError" not in status
    assert status["LatestDeliveryTime"] == minute(75)
    assert (status["LatestNotificationError"], status["LatestNotificationAttemptTime"]) == (
        "NotFound",
        "2026-01-01T01:15:00Z",
    )
    assert status["LatestNotificationTime"] == minute(5)
