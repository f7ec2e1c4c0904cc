"""cloudtrail-delivery-check: the document (parameters, steps, embedded scripts, golden files), the judgement of
GetTrailStatus's delivery errors by their times (a table and properties), and simulated runs: one SNS message and a
Failed execution when delivery fails, Success and silence when it works, least privilege from its own calls."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runbooks import cloudtrail_delivery_check as module
from runbooks.cloudtrail_delivery_check import (
    ALARM_TOPIC,
    BROKEN_DELIVERY,
    REPRESENTATIVE_PARAMS,
    SCRIPTS,
    build,
    delivering_world,
    representative_runs,
    status_with,
)
from runbooks.cloudtrail_delivery_check_scripts import check_delivery
from toolkit.build import build_all
from toolkit.deploy.iam import granted, runbook_policy
from toolkit.fakes.default import default_data
from toolkit.fakes.world import World
from toolkit.javaregex import JavaPattern, compile_java
from toolkit.model import Document
from toolkit.render import to_data
from toolkit.simulate import Options, simulate
from toolkit.simulate.clock import EPOCH
from toolkit.simulate.result import SimulationResult
from toolkit.steps import ExecuteScript

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SUCCESS_TIMES = ("LatestDeliveryTime", "LatestDigestDeliveryTime", "LatestNotificationTime",
                 "LatestCloudWatchLogsDeliveryTime")  # fmt: skip
TOPIC_ARN = REPRESENTATIVE_PARAMS["AlarmTopicArn"]


@pytest.fixture(scope="module")
def document() -> Document:
    return build()


def pattern(document: Document, name: str) -> JavaPattern:
    """The parameter's allowedPattern as SSM reads it (java.util.regex; ``matches``: the whole value)."""
    parameter = document.parameter(name)
    assert parameter is not None and parameter.allowed_pattern is not None
    return compile_java(parameter.allowed_pattern)


# -- the document --------------------------------------------------------------------------------------------------


def test_parameters_steps_and_outputs(document: Document) -> None:
    data = to_data(document)
    assert list(data["parameters"]) == ["CloudTrailName", "AlarmTopicArn", "AutomationAssumeRole"]
    assert sorted(name for name, spec in data["parameters"].items() if "default" not in spec) == [
        "AlarmTopicArn",
        "CloudTrailName",
    ]
    assert data["assumeRole"] == "{{ AutomationAssumeRole }}"
    assert [step["name"] for step in data["mainSteps"]] == [
        "CheckDelivery",
        "WhenNotDelivering",
        "PublishAlarm",
        "ReportNotDelivering",
    ]
    branch = data["mainSteps"][1]
    assert branch["isEnd"] is True
    assert branch["inputs"]["Choices"] == [
        {"NextStep": "PublishAlarm", "Variable": "{{ CheckDelivery.Delivering }}", "BooleanEquals": False}
    ]
    assert data["mainSteps"][2]["inputs"] == {
        "Service": "sns",
        "Api": "Publish",
        "TopicArn": "{{ AlarmTopicArn }}",
        "Subject": "{{ CheckDelivery.Subject }}",
        "Message": "{{ CheckDelivery.Message }}",
    }
    assert data["outputs"] == ["CheckDelivery.Delivering", "CheckDelivery.Message"]
    assert module.NAME == "cloudtrail-delivery-check" and build() == build()


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("CloudTrailName", "main", True),
        ("CloudTrailName", "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail", True),
        ("CloudTrailName", "arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/main", True),
        ("CloudTrailName", "ab", False),
        ("CloudTrailName", "my--trail", False),
        ("CloudTrailName", "arn:aws:cloudtrail:us-east-1:1234:trail/main", False),
        ("CloudTrailName", "arn:aws:s3:::bucket", False),
        ("AlarmTopicArn", TOPIC_ARN, True),
        ("AlarmTopicArn", "cloudtrail-delivery-alarms", False),
        ("AlarmTopicArn", "arn:aws:sns:us-east-1:123456789012:alarms.fifo", False),
        ("AutomationAssumeRole", "", True),
        ("AutomationAssumeRole", "arn:aws:iam::123456789012:role/Checker", True),
        ("AutomationAssumeRole", "Checker", False),
    ],
)
def test_parameter_patterns(document: Document, name: str, value: str, ok: bool) -> None:
    assert bool(pattern(document, name).matches(value)) is ok


@pytest.mark.parametrize(
    ("step", "file"), [("CheckDelivery", "check_delivery.py"), ("ReportNotDelivering", "report_failure.py")]
)
def test_scripts_are_the_real_files_embedded_alone(document: Document, step: str, file: str) -> None:
    script = document.step(step)
    assert isinstance(script, ExecuteScript)
    source = (SCRIPTS / file).read_text()
    assert script.script == source and script.runtime == "python3.11"
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] in {"__future__", "typing", "datetime", "boto3", "botocore"}
        if isinstance(node, ast.Import):
            assert {alias.name.split(".")[0] for alias in node.names} <= {"time", "boto3", "botocore"}


def test_built_document_matches_golden_files(tmp_path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    build_all([module.NAME], tmp_path)
    golden(f"{module.NAME}.yaml", (tmp_path / f"{module.NAME}.yaml").read_text())
    golden(f"{module.NAME}.json", (tmp_path / f"{module.NAME}.json").read_text())


# -- judging GetTrailStatus ------------------------------------------------------------------------------------------


def at(hours: float) -> datetime:
    """``hours`` before NOW (the check's own time in the table)."""
    return NOW - timedelta(hours=hours)


def iso(hours: float) -> str:
    return at(hours).strftime("%Y-%m-%dT%H:%M:%SZ")


JUDGED = [
    ("nothing reported", {}, []),
    ("an error followed by a success", {"LatestDeliveryError": "AccessDenied", "LatestDeliveryTime": at(1),
                                        "LatestDeliveryAttemptTime": iso(1)}, []),
    ("an error after the last success", {"LatestDeliveryError": "AccessDenied", "LatestDeliveryTime": at(3),
                                         "LatestDeliveryAttemptTime": iso(0.1)}, ["LatestDeliveryError"]),
    ("an error, never a success", {"LatestDeliveryError": "NoSuchBucket"}, ["LatestDeliveryError"]),
    ("no attempt time: a recent success", {"LatestDeliveryError": "NoSuchBucket", "LatestDeliveryTime": at(1),
                                           "LatestDeliveryAttemptTime": ""}, []),
    ("no attempt time: an old success", {"LatestDeliveryError": "NoSuchBucket", "LatestDeliveryTime": at(5),
                                         "LatestDeliveryAttemptTime": ""}, ["LatestDeliveryError"]),
    ("a digest within two hours of the log attempt", {"LatestDigestDeliveryError": "AccessDenied",
                                                     "LatestDigestDeliveryTime": at(6),
                                                     "LatestDeliveryAttemptTime": iso(4.5)}, []),
    ("a digest older than that", {"LatestDigestDeliveryError": "AccessDenied", "LatestDigestDeliveryTime": at(7),
                                  "LatestDeliveryAttemptTime": iso(4.5)}, ["LatestDigestDeliveryError"]),
    ("a notification error after its success", {"LatestNotificationError": "AuthorizationError",
                                                "LatestNotificationTime": at(2),
                                                "LatestNotificationAttemptTime": iso(1)}, ["LatestNotificationError"]),
    ("a notification error since repaired", {"LatestNotificationError": "AuthorizationError",
                                             "LatestNotificationTime": at(1),
                                             "LatestNotificationAttemptTime": iso(1)}, []),
    ("CloudWatch Logs, never delivered", {"LatestCloudWatchLogsDeliveryError": "AccessDeniedException"},
     ["LatestCloudWatchLogsDeliveryError"]),
    ("CloudWatch Logs, delivering", {"LatestCloudWatchLogsDeliveryError": "AccessDeniedException",
                                     "LatestCloudWatchLogsDeliveryTime": at(0.5),
                                     "LatestDeliveryAttemptTime": iso(0.1)}, []),
    ("every kind at once", {"LatestDeliveryError": "NoSuchBucket", "LatestDigestDeliveryError": "NoSuchBucket",
                            "LatestNotificationError": "NotFound", "LatestCloudWatchLogsDeliveryError": "x"},
     ["LatestDeliveryError", "LatestDigestDeliveryError", "LatestNotificationError",
      "LatestCloudWatchLogsDeliveryError"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "status", "current"), JUDGED, ids=[case for case, _, _ in JUDGED])
def test_an_error_counts_until_a_success_of_its_kind_follows(case: str, status: dict[str, Any], current: list) -> None:
    found = check_delivery.current_errors({"IsLogging": True, **status}, NOW)
    assert [error["Field"] for error in found] == current


def test_the_alarm_names_the_trail_the_error_and_since_when() -> None:
    status = {"IsLogging": True, "StartLoggingTime": at(6), **BROKEN_DELIVERY,
              "LatestNotificationError": "AuthorizationError", "LatestNotificationAttemptTime": iso(0.2)}  # fmt: skip
    result = check_delivery.verdict("main", status, NOW)
    assert result["Delivering"] is False
    assert result["Errors"] == [
        "LatestDeliveryError: NoSuchBucket",
        "LatestDigestDeliveryError: NoSuchBucket",
        "LatestNotificationError: AuthorizationError",
    ]
    assert result["Subject"] == "CloudTrail main: log delivery failing"
    assert result["Message"].splitlines() == [
        "CloudTrail trail main is not delivering (GetTrailStatus):",
        "- log files: LatestDeliveryError NoSuchBucket; failing since the last successful delivery at "
        "2025-12-31T22:00:00Z (latest attempt 2025-12-31T23:55:00Z).",
        "- digest files: LatestDigestDeliveryError NoSuchBucket; failing since the last successful delivery at "
        "2025-12-31T21:00:00Z.",
        "- SNS notifications: LatestNotificationError AuthorizationError; no successful delivery since logging "
        "started at 2025-12-31T18:00:00Z (latest attempt 2025-12-31T23:48:00Z).",
        "Logging is on.",
    ]


def test_a_delivering_trail_says_so() -> None:
    assert check_delivery.verdict("main", {"IsLogging": True}, NOW) == {
        "Delivering": True,
        "Errors": [],
        "Subject": "",
        "Message": "CloudTrail trail main delivers: no delivery error newer than its last successful delivery.",
    }


def test_the_subject_fits_sns_and_names_the_trail_of_an_arn() -> None:
    arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail"
    assert check_delivery.subject(arn) == "CloudTrail org-trail: log delivery failing"
    long = check_delivery.subject("t" * 128)
    assert len(long) == 100 and long.endswith("...")


def test_times_are_read_in_every_form_getstatus_gives() -> None:
    assert check_delivery.instant("2025-12-31T22:00:00Z") == datetime(2025, 12, 31, 22, tzinfo=UTC)
    assert check_delivery.instant(datetime(2025, 12, 31, 22)) == datetime(2025, 12, 31, 22, tzinfo=UTC)
    assert check_delivery.instant("") is None and check_delivery.instant("yesterday") is None
    assert check_delivery.instant(None) is None


FIELDS = [channel[0] for channel in check_delivery.CHANNELS]
times = st.one_of(st.none(), st.integers(0, 48 * 60).map(lambda minutes: NOW - timedelta(minutes=minutes)))
texts = st.one_of(
    st.just(""), times.map(lambda moment: "" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
)


@st.composite
def statuses(draw: st.DrawFn) -> dict[str, Any]:
    status: dict[str, Any] = {"IsLogging": draw(st.booleans())}
    for field, _, success, attempt in check_delivery.CHANNELS:
        if draw(st.booleans()):
            status[field] = draw(st.sampled_from(["AccessDenied", "NoSuchBucket", "AuthorizationError"]))
        moment = draw(times)
        if moment is not None:
            status[success] = moment
        if attempt is not None:
            status[attempt] = draw(texts)
    return status


@given(statuses(), st.sampled_from(FIELDS), st.integers(0, 48 * 60))
def test_a_later_success_never_makes_an_error_current(status: dict[str, Any], field: str, minutes: int) -> None:
    """Errors judged current are errors reported; one without any success is current; with a channel's own attempt
    time, current means its last success came before that attempt; and moving a success later never turns an
    error from over to current."""
    found = {error["Field"] for error in check_delivery.current_errors(status, NOW)}
    assert found <= {name for name in FIELDS if status.get(name)}
    (success, attempt) = next((s, a) for f, _, s, a in check_delivery.CHANNELS if f == field)
    if status.get(field) and success not in status:
        assert field in found
    own = check_delivery.instant(status.get(attempt)) if attempt else None
    if status.get(field) and own is not None and success in status:
        assert (field in found) == (status[success] < own)
    if status.get(field) and success in status and field not in found:
        later = {**status, success: max(status[success], NOW - timedelta(minutes=minutes))}
        assert field not in {error["Field"] for error in check_delivery.current_errors(later, NOW)}


# -- simulated runs --------------------------------------------------------------------------------------------------


def messages(result: SimulationResult) -> list[dict[str, Any]]:
    assert result.world is not None
    (topic,) = [topic for topic in result.world.to_dict()["Topics"] if topic["Name"] == ALARM_TOPIC]
    return list(topic["Messages"])


def failed_step(result: SimulationResult) -> tuple[str, str]:
    (step,) = [step for step in result.steps if step.status == "Failed"]
    return step.name, step.failure_message or ""


def test_a_delivering_trail_ends_success_and_sends_nothing() -> None:
    world, params = representative_runs()[0]
    result = simulate(build(), params, world)
    assert result.status == "Success"
    assert [call.operation for call in result.calls] == ["GetTrailStatus"]
    assert result.outputs["CheckDelivery.Delivering"] is True
    assert result.outputs["CheckDelivery.Message"].startswith("CloudTrail trail main delivers")
    assert messages(result) == []


def test_a_trail_that_does_not_deliver_sends_one_message_and_fails() -> None:
    world, params = representative_runs()[1]
    result = simulate(build(), params, world)
    assert result.status == "Failed"
    (message,) = messages(result)
    assert message["Subject"] == "CloudTrail main: log delivery failing"
    assert "CloudTrail trail main is not delivering" in message["Message"]
    assert (
        "LatestDeliveryError NoSuchBucket; failing since the last successful delivery at 2025-12-31T22:00:00Z"
        in (message["Message"])
    )
    step, failure = failed_step(result)
    assert step == "ReportNotDelivering" and failure.startswith("DeliveryFailing: CloudTrail trail main is not")
    assert [call.operation for call in result.calls] == ["GetTrailStatus", "Publish"]


@pytest.mark.parametrize("field", FIELDS)
def test_each_kind_of_delivery_error_raises_the_alarm(field: str) -> None:
    # no success of any kind recorded: the fake's own answer would show the deliveries made since logging started
    never = dict.fromkeys(SUCCESS_TIMES)
    world = status_with(delivering_world(), {**never, field: "AccessDenied"})
    result = simulate(build(), REPRESENTATIVE_PARAMS, world)
    assert result.status == "Failed"
    (message,) = messages(result)
    assert f"{field} AccessDenied; no successful delivery since logging started at" in message["Message"]


def test_an_error_delivery_has_since_overcome_is_not_an_alarm() -> None:
    recovered = {**BROKEN_DELIVERY, "LatestDeliveryTime": "2025-12-31T23:55:00Z", "LatestDigestDeliveryTime":
                 "2025-12-31T23:00:00Z"}  # fmt: skip
    result = simulate(build(), REPRESENTATIVE_PARAMS, status_with(delivering_world(), recovered))
    assert result.status == "Success" and messages(result) == []


def test_a_trail_that_cannot_be_read_fails_without_a_message() -> None:
    result = simulate(build(), {**REPRESENTATIVE_PARAMS, "CloudTrailName": "absent"}, delivering_world())
    assert result.status == "Failed"
    step, failure = failed_step(result)
    assert step == "CheckDelivery" and "TrailNotFoundException" in failure
    assert messages(result) == []


def test_a_topic_that_is_gone_still_fails_the_execution() -> None:
    data = delivering_world().to_dict()
    data["Topics"] = []
    world = status_with(World.from_dict(data), BROKEN_DELIVERY)
    result = simulate(build(), REPRESENTATIVE_PARAMS, world)
    step, failure = failed_step(result)
    assert result.status == "Failed" and step == "PublishAlarm" and "NotFound" in failure


def test_a_trail_whose_bucket_is_gone_raises_the_alarm() -> None:
    """No stand-in: the fake CloudTrail itself reports LatestDeliveryError NoSuchBucket (iam.md §8)."""
    data = default_data()
    data["Trails"][0]["IsLogging"] = True
    data["Buckets"] = []
    data["Topics"] = [{"Name": ALARM_TOPIC, "Region": "us-east-1"}]
    result = simulate(
        build(), REPRESENTATIVE_PARAMS, World.from_dict(data), options=Options(start=EPOCH + timedelta(days=1))
    )
    assert result.status == "Failed"
    (message,) = messages(result)
    assert "LatestDeliveryError NoSuchBucket" in message["Message"]


# -- least privilege: the policy of its own calls suffices, and each action in it is needed ------------------------

ROLE = "DeliveryCheckRole"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}  # fmt: skip


def runs_under(policy: dict[str, Any]) -> list[tuple[World, dict[str, Any]]]:
    """The representative runs with a role holding ``policy``, named as AutomationAssumeRole."""
    data = delivering_world().to_dict()
    data["Roles"] = [{"Name": ROLE, "AssumeRolePolicyDocument": TRUST, "Policies": [policy]}]
    world = World.from_dict(data)
    params = {**REPRESENTATIVE_PARAMS, "AutomationAssumeRole": f"arn:aws:iam::123456789012:role/{ROLE}"}
    return [(world, params), (status_with(world, BROKEN_DELIVERY), params)]


def outcome(result: SimulationResult) -> tuple[Any, ...]:
    return (
        result.status,
        [(step.name, step.status) for step in result.steps],
        [(call.operation, call.error) for call in result.calls],
    )


def test_the_policy_of_its_calls_suffices_and_every_action_in_it_is_needed() -> None:
    document = build()
    policy = runbook_policy(to_data(document), representative_runs())
    actions = granted(policy)
    assert actions == {"cloudtrail:GetTrailStatus", "sns:Publish"}
    for (world, params), (unlimited_world, unlimited_params) in zip(
        runs_under(policy), representative_runs(), strict=True
    ):
        unlimited = simulate(document, unlimited_params, unlimited_world, options=Options(iam=False))
        assert outcome(simulate(document, params, world)) == outcome(unlimited)
    for action in sorted(actions):
        trimmed = {
            **policy,
            "Statement": [
                {**statement, "Action": [name for name in statement["Action"] if name != action]}
                for statement in policy["Statement"]
            ],
        }
        failures = []
        for world, params in runs_under(trimmed):
            result = simulate(document, params, world)
            if result.status == "Failed":
                failures.append(failed_step(result)[1])
        assert any(action.lower() in failure.lower() and "not authorized" in failure for failure in failures), action
