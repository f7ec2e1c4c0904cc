"""EventBridge in the scenario loop (issue 16): scheduled rules start their automation definition every period as
the target's RoleArn; every automation execution the loop runs sends AWS's status-change event, matched against the
enabled rules (TestEventPattern through the world's backend), each matching rule's SNS topics getting a Publish as
events.amazonaws.com (the topic policy decides); ``notifications``, ``scheduled`` and their expectations. The
EventBridge rules come from the world file's ``Calls``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.scenario.worlds import (
    DEFINITION,
    REMEDIATION_ROLE,
    RUNBOOK_PARAMETERS,
    STARTER,
    TOPIC,
    remediation,
    with_alarm,
    with_schedule,
    world,
)
from tests.test_scenario import command, write
from toolkit.fakes.errors import AwsError
from toolkit.scenario import ScenarioError, alarms, load_scenario, play

STOP = {"at": 0, "call": {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "main"}}}
RULE = {"ConfigRuleName": "cloudtrail-enabled", "MaximumExecutionFrequency": "One_Hour"}


def run(tmp_path: Path, world_data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "world": world_data,
        "rule": RULE,
        "remediation": remediation("cloudtrail-enabled"),
        "events": [STOP],
        "duration": 3600,
        "expect": {"final_compliance": "COMPLIANT", "remediation_exception": False},
        **changes,
    }
    return play(load_scenario(write(tmp_path, {key: value for key, value in data.items() if value is not None}))).data


# -- alarms -------------------------------------------------------------------------------------------------------


def test_each_failed_remediation_is_published_to_the_alarm_topic_the_last_with_the_exception(tmp_path: Path) -> None:
    expect = {"final_compliance": "NON_COMPLIANT", "remediation_exception": True, "notified": True, "notifications": 5}
    loaded = load_scenario(
        write(
            tmp_path,
            {
                "world": with_alarm(world("broken-bucket-policy")),
                "rule": RULE,
                "remediation": remediation("cloudtrail-enabled"),
                "events": [STOP],
                "duration": 3600,
                "expect": expect,
            },
        )
    )
    result = play(loaded)
    data = result.data
    assert data["expectations_met"], data["unmet"]
    assert [(n["time"], n["rule"], n["topic"], n["subject"], n["error"]) for n in data["notifications"]] == [
        (time, "remediation-failed", TOPIC, None, None) for time in (0, 12, 24, 36, 48)
    ]
    event = json.loads(data["notifications"][0]["message"])  # the whole event, as EventBridge sends it
    execution = event["detail"]["ExecutionId"]
    assert event == {
        "version": "0",
        "id": event["id"],
        "detail-type": "EC2 Automation Execution Status-change Notification",
        "source": "aws.ssm",
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [
            f"arn:aws:ssm:us-east-1:123456789012:automation-execution/{execution}",
            "arn:aws:ssm:us-east-1:123456789012:automation-definition/cloudtrail-remediation-action:1",
        ],
        "detail": {
            "ExecutionId": execution,
            "Definition": "cloudtrail-remediation-action",
            "DefinitionVersion": 1.0,
            "Status": "Failed",
            "StartTime": "Jan 1, 2026 12:00:00 AM",
            "EndTime": "Jan 1, 2026 12:00:00 AM",
            "Time": 0.0,
            "ExecutedBy": "arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForConfigRemediation/runbook-simulate",
        },
    }
    ids = {json.loads(n["message"])["detail"]["ExecutionId"] for n in data["notifications"]}
    assert len(ids) == 5  # one execution each
    (topic,) = [topic for topic in data["world"]["Topics"] if topic["Name"] == "remediation-alarms"]
    assert [message["Timestamp"] for message in topic["Messages"]] == [
        f"2026-01-01T00:00:{seconds:02d}Z" for seconds in (0, 12, 24, 36, 48)
    ]
    assert [call["Api"] for call in data["world"]["Calls"]] == ["PutRule", "PutTargets"]  # matching changes nothing
    last = result.log.index("     48 exception RemediationException recorded: automatic remediation stops")
    assert result.log[last + 1].startswith("     48 notify    remediation-failed -> arn:aws:sns:")


def test_a_successful_execution_matches_no_failure_pattern(tmp_path: Path) -> None:
    expect = {"final_compliance": "COMPLIANT", "remediation_exception": False, "notified": False, "notifications": 0}
    data = run(tmp_path, with_alarm(world()), expect=expect)
    assert data["expectations_met"], data["unmet"]
    assert [r["status"] for r in data["remediations"]] == ["SUCCEEDED"] and data["notifications"] == []


def test_the_topic_policy_must_let_eventbridge_publish(tmp_path: Path) -> None:
    expect = {"final_compliance": "NON_COMPLIANT", "remediation_exception": True, "notified": True}
    data = run(tmp_path, with_alarm(world("broken-bucket-policy"), allow_eventbridge=False), expect=expect)
    assert [n["error"]["code"] for n in data["notifications"]] == ["AuthorizationError"] * 5
    assert "events.amazonaws.com" in data["notifications"][0]["error"]["message"]
    assert data["unmet"] == ["notified: expected true, got 0 notifications"]
    (topic,) = [topic for topic in data["world"]["Topics"] if topic["Name"] == "remediation-alarms"]
    assert topic["Messages"] == []


def test_a_disabled_rule_sends_nothing(tmp_path: Path) -> None:
    expect = {"final_compliance": "NON_COMPLIANT", "remediation_exception": True, "notifications": 0}
    data = run(tmp_path, with_alarm(world("broken-bucket-policy"), state="DISABLED"), expect=expect)
    assert data["expectations_met"], data["unmet"]


def test_a_remediation_config_cannot_start_raises_no_event(tmp_path: Path) -> None:
    """Without AutomationAssumeRole Config starts no execution: no status change, so no alarm, even as Config
    records its RemediationException (the loop's decision: alarms come from executions' events only)."""
    quiet = remediation("cloudtrail-enabled")
    del quiet["Parameters"]["AutomationAssumeRole"]
    expect = {"final_compliance": "NON_COMPLIANT", "remediation_exception": True, "notifications": 0}
    data = run(tmp_path, with_alarm(world()), remediation=quiet, expect=expect)
    assert data["expectations_met"], data["unmet"]
    assert [r["execution"] for r in data["remediations"]] == [None] * 5


# -- scheduled automations -----------------------------------------------------------------------------------------


def test_a_scheduled_rule_starts_its_automation_every_period_as_its_role(tmp_path: Path) -> None:
    expect = {
        "final_compliance": "COMPLIANT",
        "remediation_exception": False,
        "scheduled": ["SUCCEEDED", "SUCCEEDED"],
        "delivery_off_at_most": 1800,
    }
    data = run(tmp_path, with_schedule(world()), remediation=None, expect=expect)
    assert data["expectations_met"], data["unmet"]
    assert [{key: entry[key] for key in entry if key != "execution"} for entry in data["scheduled"]] == [
        {
            "time": time,
            "rule": "keep-trail",
            "target": DEFINITION,
            "role": STARTER,
            "status": "SUCCEEDED",
            "message": None,
            "parameters": RUNBOOK_PARAMETERS,
        }
        for time in (1800, 3600)
    ]
    first = data["scheduled"][0]["execution"]
    assert first["status"] == "Success" and "StartLogging" in [call["operation"] for call in first["calls"]]
    assert data["delivery"]["main"]["intervals"] == [{"from": 0, "to": 1800, "reason": "not logging"}]
    assert [(e["time"], e["trigger"], e["compliance"]) for e in data["evaluations"]] == [
        (0, "periodic", "NON_COMPLIANT"),
        (1800, "change", "COMPLIANT"),  # a scheduled run changes the world, as an event does
        (3600, "periodic", "COMPLIANT"),  # one evaluation an instant: the run at 3600 comes first
    ]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (
            {"trusted": "ssm.amazonaws.com"},
            f"EventBridge cannot assume {STARTER}: its trust policy does not allow events.amazonaws.com",
        ),
        ({"parameters": {"CloudTrailName": "main"}}, "the target's Input must map the automation's parameters"),
    ],
)
def test_a_scheduled_start_eventbridge_cannot_make_fails_without_an_execution(
    tmp_path: Path, schedule: dict[str, Any], message: str
) -> None:
    expect = {"final_compliance": "NON_COMPLIANT", "remediation_exception": False, "scheduled": ["FAILED"]}
    data = run(tmp_path, with_schedule(world(), **schedule), remediation=None, duration=1800, expect=expect)
    assert data["expectations_met"], data["unmet"]
    (entry,) = data["scheduled"]
    assert entry["message"].startswith(message) and entry["execution"] is None


def test_a_scheduled_start_ssm_refuses_names_the_missing_permission(tmp_path: Path) -> None:
    expect = {"final_compliance": "NON_COMPLIANT", "remediation_exception": False, "scheduled": ["FAILED"]}
    data = run(tmp_path, with_schedule(world(), may_pass_role=False), remediation=None, duration=1800, expect=expect)
    (entry,) = data["scheduled"]
    assert entry["execution"]["status"] is None and entry["execution"]["error"]["code"] == "AccessDeniedException"
    assert "assumed-role/EventBridgeAutomation/" in entry["message"] and "iam:PassRole" in entry["message"]
    assert REMEDIATION_ROLE in entry["message"]


def test_a_failed_scheduled_execution_raises_the_alarm_as_its_role(tmp_path: Path) -> None:
    expect = {"final_compliance": "NON_COMPLIANT", "remediation_exception": False, "notifications": 1}
    world_data = with_alarm(with_schedule(world("broken-bucket-policy"), rate="rate(1 hour)"))
    data = run(tmp_path, world_data, remediation=None, expect=expect)
    assert data["expectations_met"], data["unmet"]
    assert [entry["status"] for entry in data["scheduled"]] == ["FAILED"]
    (notification,) = data["notifications"]
    detail = json.loads(notification["message"])["detail"]
    assert notification["time"] == 3600 and detail["Status"] == "Failed"
    assert detail["ExecutedBy"] == "arn:aws:sts::123456789012:assumed-role/EventBridgeAutomation/runbook-simulate"


def test_schedules_follow_eventbridge_calls_made_during_the_scenario(tmp_path: Path) -> None:
    """Disabled at 2000, the rule stops; enabled again at 2500, it runs one period later."""
    events = [
        STOP,
        {"at": 2000, "call": {"service": "events", "operation": "DisableRule", "params": {"Name": "keep-trail"}}},
        {"at": 2500, "call": {"service": "events", "operation": "EnableRule", "params": {"Name": "keep-trail"}}},
    ]
    expect = {"final_compliance": "COMPLIANT", "remediation_exception": False}
    data = run(tmp_path, with_schedule(world()), remediation=None, events=events, duration=5000, expect=expect)
    assert [entry["time"] for entry in data["scheduled"]] == [1800, 4300]
    assert [event["error"] for event in data["events"]] == [None, None, None]


def test_a_cron_schedule_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"rule keep-trail runs on cron\(0 \* \* \* \? \*\): .* rate\(\)"):
        run(tmp_path, with_schedule(world(), rate="cron(0 * * * ? *)"), remediation=None)


def test_eventbridge_is_read_only_when_the_world_holds_eventbridge_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    read_rules = alarms._read_rules

    def counted(backend: Any) -> Any:
        reads.append(backend.account)
        return read_rules(backend)

    monkeypatch.setattr(alarms, "_read_rules", counted)
    run(
        tmp_path,
        world("broken-bucket-policy"),
        expect={"final_compliance": "NON_COMPLIANT", "remediation_exception": True},
    )
    assert reads == []  # no EventBridge call in the world: never asked, though five executions ran
    run(
        tmp_path,
        with_alarm(world("broken-bucket-policy")),
        expect={"final_compliance": "NON_COMPLIANT", "remediation_exception": True},
    )
    assert reads == ["123456789012"]  # read once: the executions made no EventBridge call


def test_an_event_may_call_eventbridge_but_only_its_real_operations(tmp_path: Path) -> None:
    bad = {"at": 0, "call": {"service": "events", "operation": "DisableRules", "params": {}}}
    with pytest.raises(ScenarioError, match=r"events\[1\]\.call\.operation: names no events operation"):
        run(tmp_path, world(), events=[STOP, bad])


def test_the_report_is_the_same_from_run_to_run_and_the_text_counts_what_eventbridge_did(tmp_path: Path) -> None:
    world_data = with_alarm(with_schedule(world("broken-bucket-policy"), rate="rate(1 hour)"))
    data = {
        "world": world_data,
        "rule": RULE,
        "remediation": remediation("cloudtrail-enabled"),
        "events": [STOP],
        "duration": 3600,
        "expect": {"final_compliance": "NON_COMPLIANT", "remediation_exception": True, "notifications": 6},
    }
    path = write(tmp_path, data)
    first, second = (play(load_scenario(path)).data for _ in range(2))
    assert json.dumps(first) == json.dumps(second)
    result = command(str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "  1 scheduled automation, 6 notifications published" in lines
    assert any(
        line.startswith("     3600 scheduled keep-trail FAILED: execution Failed: step UpsertTrail") for line in lines
    )
    assert sum(1 for line in lines if " notify    remediation-failed -> " in line) == 6


@pytest.mark.parametrize(
    ("expect", "words"),
    [
        ({"notified": "yes"}, "expect.notified: must be true or false"),
        ({"notifications": -1}, "expect.notifications: must be a whole number"),
        ({"notifications": True}, "expect.notifications: must be a whole number"),
        ({"scheduled": ["DONE"]}, "expect.scheduled: must be a list of SUCCEEDED and FAILED"),
        ({"delivery_off_at_most": "1h"}, "expect.delivery_off_at_most: must be a number of seconds"),
        ({"delivery_off_at_most": {"main": -5}}, "expect.delivery_off_at_most.main: must be a number of seconds"),
        (
            {"final_compliance": "UNKNOWN"},
            "expect.final_compliance: must be COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE",
        ),
    ],
)
def test_invalid_expectations_name_the_key(tmp_path: Path, expect: dict[str, Any], words: str) -> None:
    full = {"final_compliance": "COMPLIANT", "remediation_exception": False, **expect}
    with pytest.raises(ScenarioError) as caught:
        run(tmp_path, world(), expect=full)
    assert words in str(caught.value)


def test_a_rule_that_cannot_be_matched_is_reported_not_skipped(tmp_path: Path) -> None:
    data = {
        "world": with_alarm(world("broken-bucket-policy")),
        "rule": RULE,
        "remediation": remediation("cloudtrail-enabled", MaximumAutomaticAttempts=1),
        "events": [STOP],
        "duration": 0,
        "expect": {"final_compliance": "NON_COMPLIANT", "remediation_exception": True},
    }
    loaded = load_scenario(write(tmp_path, data))

    def refuse(params: dict[str, Any]) -> dict[str, Any]:
        raise AwsError("InvalidEventPatternException", "Event pattern is not valid. Reason: test")

    loaded.world.register("events", "TestEventPattern", refuse)
    first, notification = play(loaded).data["notifications"]  # the rule's first result, then the execution's end
    assert first["event"] == "Config Rules Compliance Change"
    assert first["error"]["code"] == "InvalidEventPatternException"
    assert notification == {
        "time": 0,
        "event": "EC2 Automation Execution Status-change Notification",
        "rule": "remediation-failed",
        "topic": None,
        "subject": None,
        "message": None,
        "error": {"code": "InvalidEventPatternException", "message": "Event pattern is not valid. Reason: test"},
    }
