"""`runbook scenario`: every scenario in scenarios/ ends as it expects; the report's JSON shape; exit codes 0/1/2;
invalid scenarios name the file and key; the same file gives the same bytes; the loop's timing and retries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from toolkit.scenario import ScenarioError, load_scenario, play

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
ROLE = "arn:aws:iam::123456789012:role/CloudTrailRemediationRole"
REMEDIATION: dict[str, Any] = {
    "ConfigRuleName": "cloudtrail-enabled",
    "TargetType": "SSM_DOCUMENT",
    "TargetId": "cloudtrail-remediation-action",
    "Automatic": True,
    "Parameters": {
        "AutomationAssumeRole": {"StaticValue": {"Values": [ROLE]}},
        "CloudTrailName": {"StaticValue": {"Values": ["main"]}},
        "CloudTrailS3BucketName": {"StaticValue": {"Values": ["trail-logs-123456789012"]}},
        "CloudTrailKmsKeyId": {"StaticValue": {"Values": ["alias/cloudtrail"]}},
    },
}
STOP = {"at": 0, "call": {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "main"}}}


def scenario(**changes: Any) -> dict[str, Any]:
    """A scenario like the pattern's own test, with top-level keys changed."""
    data: dict[str, Any] = {
        "world": str(ROOT / "scenarios" / "worlds" / "logging.yaml"),
        "rule": {"ConfigRuleName": "cloudtrail-enabled", "MaximumExecutionFrequency": "One_Hour"},
        "remediation": REMEDIATION,
        "events": [STOP],
        "duration": 3600,
        "expect": {"final_compliance": "COMPLIANT", "remediation_exception": False},
    }
    data.update(changes)
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "scenario", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


# -- the project's scenarios -----------------------------------------------------------------------------------


def test_the_scenarios_folder_covers_the_pattern_and_its_failures() -> None:
    names = {path.stem for path in SCENARIOS}
    assert {
        "logging-stopped",
        "trail-deleted",
        "broken-bucket-policy",
        "key-policy-without-cloudtrail",
        "member-account-organization-trail",
        "organization-trail-homed-elsewhere",
    } <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_every_scenario_ends_as_it_expects(path: Path) -> None:
    report = play(load_scenario(path))
    assert report.data["unmet"] == [] and report.expectations_met
    expect = yaml.safe_load(path.read_text(encoding="utf-8"))["expect"]
    assert report.data["final_compliance"] == expect["final_compliance"]
    assert report.data["remediation_exception"] is expect["remediation_exception"]


def test_the_pattern_remediates_stopped_logging_at_once() -> None:
    data = play(load_scenario(ROOT / "scenarios" / "logging-stopped.yaml")).data
    assert [(e["time"], e["compliance"]) for e in data["evaluations"][:2]] == [(0, "NON_COMPLIANT"), (0, "COMPLIANT")]
    (remediation,) = data["remediations"]
    assert remediation["status"] == "SUCCEEDED" and remediation["attempt"] == 1 and remediation["automatic"]
    assert remediation["parameters"]["CloudTrailName"] == ["main"]
    execution = remediation["execution"]
    assert execution["status"] == "Success" and execution["outputs"]["UpsertTrail.Action"] == "updated"
    assert "StartLogging" in [call["operation"] for call in execution["calls"]]


def test_a_broken_bucket_policy_fails_five_times_then_stops() -> None:
    data = play(load_scenario(ROOT / "scenarios" / "broken-bucket-policy.yaml")).data
    assert [(r["time"], r["attempt"], r["status"]) for r in data["remediations"]] == [
        (0, 1, "FAILED"),
        (12, 2, "FAILED"),
        (24, 3, "FAILED"),
        (36, 4, "FAILED"),
        (48, 5, "FAILED"),
    ]
    assert all("InsufficientS3BucketPolicyException" in r["message"] for r in data["remediations"])
    (exception,) = data["remediation_exceptions"]
    assert exception["time"] == 48 and exception["ResourceId"] == "123456789012" and exception["deleted"] is None
    periodic = [e for e in data["evaluations"] if e["trigger"] == "periodic"]
    assert [e["time"] for e in periodic] == [0, 3600, 7200] and periodic[-1]["compliance"] == "NON_COMPLIANT"


def test_the_member_account_changes_nothing_of_the_organization_trail() -> None:
    path = ROOT / "scenarios" / "member-account-organization-trail.yaml"
    loaded = load_scenario(path)
    data = play(loaded).data
    before = [trail for trail in loaded.world.to_dict()["Trails"] if trail["Name"] == "org-trail"]
    after = [trail for trail in data["world"]["Trails"] if trail["Name"] == "org-trail"]
    assert before == after
    for remediation in data["remediations"]:
        calls = remediation["execution"]["calls"]
        assert [call["operation"] for call in calls] == ["DescribeTrails"]  # the runbook refuses before any write
        assert "only that account can change it" in remediation["message"]


# -- the report and the command --------------------------------------------------------------------------------


def test_json_shape_and_determinism() -> None:
    first = command(str(SCENARIOS[0].relative_to(ROOT)), "--format", "json")
    second = command(str(SCENARIOS[0].relative_to(ROOT)), "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout  # the same file, the same bytes
    data = json.loads(first.stdout)
    assert {
        "file",
        "description",
        "rule",
        "remediation_configuration",
        "duration",
        "events",
        "evaluations",
        "remediations",
        "remediation_exceptions",
        "remediation_exception",
        "final_compliance",
        "rules",
        "scheduled",
        "notifications",
        "delivery",
        "expectations_met",
        "unmet",
        "world",
    } == set(data)
    evaluation_keys = {"time", "trigger", "rule", "resource_type", "resource_id", "compliance", "annotation"}
    assert all(set(evaluation) == evaluation_keys for evaluation in data["evaluations"])
    remediation_keys = {"time", "rule", "automatic", "attempt", "status", "message", "parameters", "execution"}
    assert all(set(remediation) == remediation_keys for remediation in data["remediations"])
    for remediation in data["remediations"]:
        assert set(remediation["execution"]) == {"status", "steps", "outputs", "calls", "error"}
    assert data["expectations_met"] is True and isinstance(data["remediation_exception"], bool)
    (rule,) = data["rules"].values()  # one rule: its part holds what the top-level keys say of it
    assert rule["rule"] == data["rule"] and rule["remediation_configuration"] == data["remediation_configuration"]
    assert rule["final_compliance"] == data["final_compliance"]
    assert rule["remediations"] == [entry["status"] for entry in data["remediations"]]
    assert data["scheduled"] == data["notifications"] == []
    assert set(data["delivery"]) == {"main"} and set(data["delivery"]["main"]) == {"off_seconds", "intervals"}


def test_every_report_is_deterministic_in_process() -> None:
    for path in SCENARIOS:
        assert json.dumps(play(load_scenario(path)).data) == json.dumps(play(load_scenario(path)).data)


def test_several_files_print_a_list_and_a_folder_runs_what_is_directly_inside(tmp_path: Path) -> None:
    first, second = (write(tmp_path, scenario(), name) for name in ("a.yaml", "b.yaml"))
    (tmp_path / "worlds").mkdir()
    (tmp_path / "worlds" / "ignored.yaml").write_text("Account: 'not a scenario'\n")
    listed = command(str(first), str(second), "--format", "json")
    folder = command(str(tmp_path), "--format", "json")
    assert listed.returncode == folder.returncode == 0, listed.stderr + folder.stderr
    assert [report["file"] for report in json.loads(listed.stdout)] == [str(first), str(second)]
    assert [report["file"] for report in json.loads(folder.stdout)] == [str(first), str(second)]


def test_text_output_and_exit_one_when_a_scenario_does_not_end_as_expected(tmp_path: Path) -> None:
    wrong = scenario(expect={"final_compliance": "NON_COMPLIANT", "remediation_exception": False})
    result = command(str(write(tmp_path, wrong)), str(ROOT / "scenarios" / "logging-stopped.yaml"))
    assert result.returncode == 1 and result.stderr == ""
    assert "NOT AS EXPECTED" in result.stdout
    assert "final_compliance: expected NON_COMPLIANT, got COMPLIANT" in result.stdout
    assert result.stdout.rstrip().endswith("2 scenarios: 1 as expected, 1 not")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"expected": {}}, "expected: unknown key"),
        ({"remediation": {**REMEDIATION, "MaxAttempts": 3}}, "remediation.MaxAttempts: unknown member"),
        ({"remediation": {**REMEDIATION, "MaximumAutomaticAttempts": 30}}, "remediation.MaximumAutomaticAttempts"),
        (
            {"remediation": {**REMEDIATION, "Parameters": {"CloudTrailName": {"StaticValue": {"Values": [True]}}}}},
            "remediation.Parameters.CloudTrailName.StaticValue.Values[0]",
        ),
        ({"remediation": {**REMEDIATION, "ConfigRuleName": "other"}}, "remediation.ConfigRuleName: names no rule"),
        ({"remediation": {**REMEDIATION, "TargetId": "no-such-runbook"}}, "remediation.TargetId: names no runbook"),
        ({"rule": {"ConfigRuleName": "cloudtrail-enabled", "Frequency": "One_Hour"}}, "rule.Frequency: unknown member"),
        ({"rule": {"ConfigRuleName": "cloudtrail-enabled", "InputParameters": {"x": "1"}}}, "rule.InputParameters.x"),
        (
            {"events": [{"at": 0, "call": {"service": "cloudtrail", "operation": "StopLoging"}}]},
            "events[0].call.operation",
        ),
        ({"events": [{"at": 0, "call": {"service": "ec2", "operation": "StopInstances"}}]}, "events[0].call.service"),
        ({"events": [{"at": 4000, "config": "DeleteRemediationExceptions"}]}, "events[0].at"),
        ({"events": [{"at": 0, "config": "DeleteRemediation"}]}, "events[0].config"),
        ({"events": [{"at": 0}]}, "events[0]: must hold exactly one of call and config"),
        ({"events": [{**STOP, "when": 1}]}, "events[0].when: unknown key"),
        ({"duration": -1}, "duration: must be a number of seconds"),
        ({"evaluate_after_events": "yes"}, "evaluate_after_events"),
        ({"world": {"Acount": "123456789012"}}, "world.Acount"),
        ({"world": "missing-world.yaml"}, "cannot read the world file"),
        ({"world": {"Trails": [{"Name": "main"}]}}, "world.Trails[0].S3BucketName: is required"),
        ({"expect": {"final_compliance": "COMPLIANT"}}, "expect.remediation_exception: is required"),
        ({"expect": {"final_compliance": "OK", "remediation_exception": False}}, "expect.final_compliance"),
        (
            {"expect": {"final_compliance": "COMPLIANT", "remediation_exception": False, "remediations": ["DONE"]}},
            "expect.remediations",
        ),
        (
            {
                "expect": {
                    "final_compliance": "COMPLIANT",
                    "remediation_exception": False,
                    "trails": {"main": {"Logging": True}},
                }
            },
            "expect.trails.main.Logging: unknown key",
        ),
    ],
)
def test_invalid_scenarios_name_the_key(tmp_path: Path, changes: dict[str, Any], words: str) -> None:
    path = write(tmp_path, scenario(**changes))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:") and words in message


def test_missing_keys_and_files_that_are_not_scenarios(tmp_path: Path) -> None:
    data = scenario()
    del data["duration"]
    with pytest.raises(ScenarioError, match="duration: is required"):
        load_scenario(write(tmp_path, data))
    with pytest.raises(ScenarioError, match="Account: unknown key"):
        load_scenario(ROOT / "scenarios" / "worlds" / "logging.yaml")  # a world file is not a scenario
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(ScenarioError, match=r"list\.yaml"):
        load_scenario(tmp_path / "list.yaml")


def test_an_invalid_file_exits_two_with_one_line_naming_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, scenario(remediation={**REMEDIATION, "RetryAttemptSecond": 60}))
    result = command(str(ROOT / "scenarios" / "logging-stopped.yaml"), str(path))
    assert result.returncode == 2 and result.stdout == ""  # nothing runs when one file is invalid
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"runbook: {path}:") and "remediation.RetryAttemptSecond" in result.stderr
    line = int(result.stderr.split(":")[2])
    assert "RetryAttemptSecond" in path.read_text().splitlines()[line - 1]
    missing = command(str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr and "no such scenario file" in missing.stderr


# -- the loop --------------------------------------------------------------------------------------------------


def test_a_fix_before_the_retry_cancels_it(tmp_path: Path) -> None:
    start = {"at": 5, "call": {"service": "cloudtrail", "operation": "StartLogging", "params": {"Name": "main"}}}
    data = play(
        load_scenario(
            write(
                tmp_path,
                scenario(world=str(ROOT / "scenarios" / "worlds" / "broken-bucket-policy.yaml"), events=[STOP, start]),
            )
        )
    ).data
    assert [r["status"] for r in data["remediations"]] == ["FAILED"]  # the retry at 12 s finds the account COMPLIANT
    assert data["final_compliance"] == "COMPLIANT" and not data["remediation_exception"]
    assert [(e["time"], e["trigger"], e["compliance"]) for e in data["evaluations"][:3]] == [
        (0, "periodic", "NON_COMPLIANT"),
        (0, "remediation", "NON_COMPLIANT"),
        (5, "change", "COMPLIANT"),
    ]


def test_manual_remediation_with_a_document_file_and_a_failed_start(tmp_path: Path) -> None:
    document = {
        "schemaVersion": "0.3",
        "parameters": {"TrailName": {"type": "String"}},
        "mainSteps": [
            {
                "name": "Start",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "cloudtrail", "Api": "StartLogging", "Name": "{{ TrailName }}"},
                "isEnd": True,
            }
        ],
    }
    (tmp_path / "start.json").write_text(json.dumps(document), encoding="utf-8")
    manual = {
        "ConfigRuleName": "cloudtrail-enabled",
        "TargetType": "SSM_DOCUMENT",
        "TargetId": "start.json",
        "Parameters": {"TrailName": {"StaticValue": {"Values": ["main", "other"]}}},
    }
    events = [STOP, {"at": 10, "config": "StartRemediationExecution"}]
    data = play(load_scenario(write(tmp_path, scenario(remediation=manual, events=events)))).data
    (failed,) = data["remediations"]  # Automatic is false: only the manual execution runs
    assert (failed["time"], failed["automatic"], failed["attempt"], failed["status"]) == (10, False, None, "FAILED")
    assert failed["execution"]["error"]["code"] == "InvalidAutomationExecutionParametersException"
    assert "takes one value" in failed["message"] and data["final_compliance"] == "NON_COMPLIANT"
    # Without an assume role the automation runs as whoever started it: AWS Config's service-linked role, which may
    # start automations and nothing more (AWSConfigRemediationServiceRolePolicy), so StartLogging is denied.
    manual["Parameters"] = {"TrailName": {"StaticValue": {"Values": ["main"]}}}
    data = play(load_scenario(write(tmp_path, scenario(remediation=manual, events=events)))).data
    assert [r["status"] for r in data["remediations"]] == ["FAILED"]
    (call,) = data["remediations"][0]["execution"]["calls"]
    assert (call["operation"], call["error"]) == ("StartLogging", "AccessDeniedException")
    assert "assumed-role/AWSServiceRoleForConfigRemediation/" in data["remediations"][0]["message"]
    # With the pattern's role (scenarios/worlds/logging.yaml holds it as the deploy template creates it) it succeeds.
    document["assumeRole"] = "{{ AutomationAssumeRole }}"
    document["parameters"]["AutomationAssumeRole"] = {"type": "String"}
    (tmp_path / "start.json").write_text(json.dumps(document), encoding="utf-8")
    role = "arn:aws:iam::123456789012:role/CloudTrailRemediationRole"
    manual["Parameters"]["AutomationAssumeRole"] = {"StaticValue": {"Values": [role]}}
    data = play(load_scenario(write(tmp_path, scenario(remediation=manual, events=events)))).data
    assert [r["status"] for r in data["remediations"]] == ["SUCCEEDED"]
    assert data["final_compliance"] == "COMPLIANT"
    assert [c["operation"] for c in data["remediations"][0]["execution"]["calls"]] == ["StartLogging"]


def test_failed_event_calls_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    events = [
        {"at": 0, "call": {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "nope"}}},
        {"at": 1, "config": "DeleteRemediationExceptions"},
    ]
    data = play(load_scenario(write(tmp_path, scenario(events=events)))).data
    assert [event["error"]["code"] for event in data["events"]] == [
        "TrailNotFoundException",
        "NoSuchRemediationExceptionException",
    ]
    assert data["remediations"] == [] and data["final_compliance"] == "COMPLIANT"


def test_the_rule_frequency_sets_the_periodic_evaluations(tmp_path: Path) -> None:
    rule = {"ConfigRuleName": "cloudtrail-enabled", "MaximumExecutionFrequency": "Twelve_Hours"}
    data = play(load_scenario(write(tmp_path, scenario(rule=rule, events=[], duration=86400)))).data
    assert [e["time"] for e in data["evaluations"] if e["trigger"] == "periodic"] == [0, 43200, 86400]
