"""Rules and remediations from the world (issue 16): a scenario without ``rule`` runs every Config rule of the world's
account and Region, each on its own schedule, with its own remediation configuration, retries and
RemediationException, all recorded in the world's Config state; a given ``rule`` runs alone; per-rule report data
and expectations; the remediation's document found in the world at each start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.scenario.worlds import REMEDIATION_ROLE, remediation, world
from tests.test_scenario import write
from toolkit.fakes.config import Evaluation
from toolkit.scenario import ScenarioError, load_scenario, play
from toolkit.scenario.rules import RuleLoop

MULTI = "multi-region-cloudtrail-enabled"
ENABLED = "cloudtrail-enabled"
STOP = {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "main"}}


def two_rules(name: str = "logging", **remediations: dict[str, Any]) -> dict[str, Any]:
    """A world holding the rules multi-region-cloudtrail-enabled (hourly) and cloudtrail-enabled (every six hours),
    and the given remediation configurations."""
    data = world(name)
    data["ConfigRules"] = [
        {"ConfigRuleName": MULTI, "InputParameters": {"readWriteType": "ALL"}, "MaximumExecutionFrequency": "One_Hour"},
        {"ConfigRuleName": ENABLED, "MaximumExecutionFrequency": "Six_Hours"},
    ]
    data["RemediationConfigurations"] = list(remediations.values())
    return data


def run(tmp_path: Path, **scenario: Any) -> dict[str, Any]:
    return play(load_scenario(write(tmp_path, scenario))).data


def test_without_a_rule_the_loop_runs_every_rule_of_the_world_on_its_own_schedule(tmp_path: Path) -> None:
    data = run(
        tmp_path,
        world=two_rules(multi=remediation(MULTI)),
        events=[{"at": 100, "call": STOP}],
        duration=7200,
        evaluate_after_events=False,
        expect={
            "rules": {
                MULTI: {"final_compliance": "COMPLIANT", "remediations": ["SUCCEEDED", "SUCCEEDED"]},
                ENABLED: {"final_compliance": "COMPLIANT", "remediation_exception": False, "remediations": []},
            }
        },
    )
    assert [(e["time"], e["trigger"], e["rule"], e["compliance"]) for e in data["evaluations"]] == [
        (0, "periodic", ENABLED, "COMPLIANT"),
        (0, "periodic", MULTI, "NON_COMPLIANT"),  # single-region: remediated at once
        (0, "remediation", MULTI, "COMPLIANT"),
        (3600, "periodic", MULTI, "NON_COMPLIANT"),  # stopped at 100
        (3600, "remediation", MULTI, "COMPLIANT"),
        (7200, "periodic", MULTI, "COMPLIANT"),  # cloudtrail-enabled's next evaluation is at 21600
    ]
    assert [(r["time"], r["rule"], r["status"], r["attempt"]) for r in data["remediations"]] == [
        (0, MULTI, "SUCCEEDED", 1),
        (3600, MULTI, "SUCCEEDED", 1),
    ]
    assert data["rule"] is None and data["remediation_configuration"] is None  # several rules: see "rules"
    assert data["final_compliance"] == "COMPLIANT" and data["expectations_met"], data["unmet"]
    assert data["rules"][ENABLED] == {
        "rule": {
            "ConfigRuleName": ENABLED,
            "SourceIdentifier": "CLOUD_TRAIL_ENABLED",
            "InputParameters": {},
            "MaximumExecutionFrequency": "Six_Hours",
        },
        "remediation_configuration": None,
        "final_compliance": "COMPLIANT",
        "remediation_exception": False,
        "remediations": [],
    }
    assert data["rules"][MULTI]["remediation_configuration"]["TargetId"] == "cloudtrail-remediation-action"
    config = data["world"]
    assert [(e["ConfigRuleName"], e["ComplianceType"]) for e in config["EvaluationResults"]] == [
        (ENABLED, "COMPLIANT"),
        (MULTI, "COMPLIANT"),
    ]
    assert [(e["ConfigRuleName"], e["State"]) for e in config["RemediationExecutionStatuses"]] == [(MULTI, "SUCCEEDED")]
    assert [rule["ConfigRuleName"] for rule in config["ConfigRules"]] == [ENABLED, MULTI]


def test_each_rule_keeps_its_own_retries_and_remediation_exception(tmp_path: Path) -> None:
    """Both remediations fail on the broken bucket policy: each is retried on its own configuration's spacing,
    and each rule gets its own RemediationException after its own number of attempts."""
    world_data = two_rules(
        "broken-bucket-policy",
        enabled=remediation(ENABLED, MaximumAutomaticAttempts=3, RetryAttemptSeconds=60),
        multi=remediation(MULTI, MaximumAutomaticAttempts=2, RetryAttemptSeconds=100),
    )
    world_data["ConfigRules"][1]["MaximumExecutionFrequency"] = "One_Hour"
    data = run(
        tmp_path,
        world=world_data,
        events=[{"at": 0, "call": STOP}],
        duration=3600,
        expect={
            "final_compliance": "NON_COMPLIANT",
            "remediation_exception": True,
            "rules": {
                ENABLED: {"remediation_exception": True, "remediations": ["FAILED"] * 3},
                MULTI: {"remediation_exception": True, "remediations": ["FAILED"] * 2},
            },
        },
    )
    assert data["expectations_met"], data["unmet"]
    assert [(r["time"], r["rule"], r["attempt"]) for r in data["remediations"]] == [
        (0, ENABLED, 1),
        (0, MULTI, 1),
        (20, ENABLED, 2),
        (40, ENABLED, 3),
        (50, MULTI, 2),
    ]
    assert [(e["time"], e["ConfigRuleName"]) for e in data["remediation_exceptions"]] == [(40, ENABLED), (50, MULTI)]
    assert [(e["ConfigRuleName"], e["ResourceId"]) for e in data["world"]["RemediationExceptions"]] == [
        (ENABLED, "123456789012"),
        (MULTI, "123456789012"),
    ]
    periodic = [(e["time"], e["rule"]) for e in data["evaluations"] if e["trigger"] == "periodic"]
    assert periodic == [(0, ENABLED), (0, MULTI), (3600, ENABLED), (3600, MULTI)]  # no retry after the exception


def test_unmet_per_rule_expectations_name_the_rule(tmp_path: Path) -> None:
    data = run(
        tmp_path,
        world=two_rules(multi=remediation(MULTI)),
        duration=0,
        expect={"rules": {MULTI: {"final_compliance": "NON_COMPLIANT", "remediations": []}}},
    )
    assert data["unmet"] == [
        f"rules.{MULTI}.final_compliance: expected NON_COMPLIANT, got COMPLIANT",
        f'rules.{MULTI}.remediations: expected [], got ["SUCCEEDED"]',
    ]


def test_a_given_rule_runs_alone_with_the_worlds_remediation_for_it(tmp_path: Path) -> None:
    data = run(
        tmp_path,
        world=two_rules(multi=remediation(MULTI)),
        rule={"ConfigRuleName": MULTI, "MaximumExecutionFrequency": "Twelve_Hours"},
        duration=0,
        expect={"final_compliance": "COMPLIANT", "remediation_exception": False, "remediations": ["SUCCEEDED"]},
    )
    assert data["expectations_met"], data["unmet"]
    assert list(data["rules"]) == [MULTI] and data["rule"]["MaximumExecutionFrequency"] == "Twelve_Hours"
    assert data["remediation_configuration"] == data["rules"][MULTI]["remediation_configuration"]
    assert {e["rule"] for e in data["evaluations"]} == {MULTI}
    held = {rule["ConfigRuleName"]: rule for rule in data["world"]["ConfigRules"]}
    assert held[MULTI]["MaximumExecutionFrequency"] == "Twelve_Hours"  # the given rule replaced the world's


def test_a_given_remediation_replaces_the_worlds_for_its_rule(tmp_path: Path) -> None:
    manual = remediation(MULTI, Automatic=False)
    data = run(
        tmp_path,
        world=two_rules(multi=remediation(MULTI)),
        remediation=manual,
        events=[{"at": 5, "config": "StartRemediationExecution", "rule": MULTI}],
        duration=10,
        expect={"final_compliance": "COMPLIANT", "remediation_exception": False},
    )
    assert [(r["time"], r["rule"], r["automatic"], r["status"]) for r in data["remediations"]] == [
        (5, MULTI, False, "SUCCEEDED")
    ]
    assert data["events"][0]["params"] == {"ConfigRuleName": MULTI}
    held = {entry["ConfigRuleName"]: entry for entry in data["world"]["RemediationConfigurations"]}
    assert held[MULTI]["Automatic"] is False


def test_a_config_call_for_a_rule_without_remediation_is_refused(tmp_path: Path) -> None:
    events = [{"at": 1, "config": "StartRemediationExecution", "rule": ENABLED}]
    expect = {"final_compliance": "COMPLIANT", "remediation_exception": False}
    data = run(tmp_path, world=two_rules(multi=remediation(MULTI)), events=events, duration=10, expect=expect)
    assert data["events"][0]["error"]["code"] == "NoSuchRemediationConfigurationException"
    assert [r["rule"] for r in data["remediations"]] == [MULTI]  # only the automatic one at 0


def test_the_remediation_runs_the_worlds_document_as_its_default_version_is_at_each_start(tmp_path: Path) -> None:
    """Config starts the document the world holds under TargetId, at its default version then: an administrator
    who makes another version the default steers every later remediation (issue 16, finding 3)."""
    start = {
        "schemaVersion": "0.3",
        "assumeRole": "{{ AutomationAssumeRole }}",
        "parameters": {"AutomationAssumeRole": {"type": "String"}, "TrailName": {"type": "String"}},
        "mainSteps": [
            {
                "name": "Start",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "cloudtrail", "Api": "StartLogging", "Name": "{{ TrailName }}"},
                "isEnd": True,
            }
        ],
    }
    idle = {**start, "mainSteps": [{"name": "Wait", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]}
    data = world()
    data["Documents"] = [
        {
            "Name": "start-logging",
            "DocumentType": "Automation",
            "DefaultVersion": "1",
            "Versions": [
                {"DocumentVersion": "1", "DocumentFormat": "JSON", "Content": start},
                {"DocumentVersion": "2", "DocumentFormat": "JSON", "Content": idle},
            ],
        }
    ]
    data["ConfigRules"] = [{"ConfigRuleName": ENABLED, "MaximumExecutionFrequency": "One_Hour"}]
    parameters = {"AutomationAssumeRole": [REMEDIATION_ROLE], "TrailName": ["main"]}
    data["RemediationConfigurations"] = [
        {
            "ConfigRuleName": ENABLED,
            "TargetType": "SSM_DOCUMENT",
            "TargetId": "start-logging",
            "Automatic": True,
            "Parameters": {key: {"StaticValue": {"Values": values}} for key, values in parameters.items()},
        }
    ]
    steer = {"service": "ssm", "operation": "UpdateDocumentDefaultVersion"}
    events = [
        {"at": 0, "call": STOP},
        {"at": 100, "call": {**steer, "params": {"Name": "start-logging", "DocumentVersion": "2"}}},
        {"at": 200, "call": STOP},
    ]
    report = run(
        tmp_path,
        world=data,
        events=events,
        duration=3600,
        expect={"final_compliance": "NON_COMPLIANT", "remediation_exception": False},
    )
    assert report["expectations_met"], report["unmet"]
    ran = [(r["time"], r["status"], [s["name"] for s in r["execution"]["steps"]]) for r in report["remediations"]]
    assert ran == [(0, "SUCCEEDED", ["Start"]), (200, "SUCCEEDED", ["Wait"]), (3600, "SUCCEEDED", ["Wait"])]
    assert report["delivery"]["main"]["intervals"] == [
        {"from": 0, "to": 0, "reason": "not logging"},
        {"from": 200, "to": 3600, "reason": "not logging"},
    ]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"world": world()}, "rule: is required: the world holds no Config rule in us-east-1"),
        (
            {"world": two_rules(), "remediation": remediation("cloudtrail-security-trail-enabled")},
            "remediation.ConfigRuleName: names no Config rule of the world in us-east-1 (its rules: cloudtrail-enabled,"
            " multi-region-cloudtrail-enabled)",
        ),
        (
            {"world": two_rules(), "expect": {"rules": {"cloudtrail-security-trail-enabled": {}}}},
            "expect.rules.cloudtrail-security-trail-enabled: names no rule the scenario runs",
        ),
        (
            {"world": two_rules(), "events": [{"at": 0, "config": "DeleteRemediationExceptions"}]},
            "events[0].rule: is required: the scenario runs several rules",
        ),
        (
            {"world": two_rules(), "events": [{"at": 0, "config": "DeleteRemediationExceptions", "rule": "x"}]},
            "events[0].rule: names no rule the scenario runs",
        ),
        ({"world": two_rules(), "events": [{"at": 0, "call": STOP, "rule": MULTI}]}, "events[0].rule: is for config"),
        ({"world": two_rules(), "expect": {"rules": {MULTI: {"compliance": "X"}}}}, f"expect.rules.{MULTI}.compliance"),
        ({"world": two_rules(), "expect": {"rules": []}}, "expect.rules: must map Config rule names"),
    ],
)
def test_invalid_world_rule_scenarios_name_the_key(tmp_path: Path, changes: dict[str, Any], words: str) -> None:
    data: dict[str, Any] = {"duration": 10, "expect": {"final_compliance": "COMPLIANT", "remediation_exception": False}}
    path = write(tmp_path, {**data, **changes})
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}:") and words in str(caught.value)


def test_a_rule_with_several_resources_remediates_and_retries_each_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule evaluating each trail (as cloud-trail-log-file-validation-enabled does, stood for here by one that
    wants each trail logging): each NON_COMPLIANT trail is remediated with its name as RESOURCE_ID, retried and
    excepted on its own; a trail deleted leaves the rule's scope, and its result goes."""

    def per_trail(self: RuleLoop) -> list[Evaluation]:
        trails = sorted(trail.name for trail in self.loop.world.trails.values())
        return [
            Evaluation(
                self.rule.name,
                "AWS::CloudTrail::Trail",
                name,
                "COMPLIANT" if self.loop.world.trails[("us-east-1", name)].is_logging else "NON_COMPLIANT",
                f"trail {name}",
            )
            for name in trails
        ]

    monkeypatch.setattr(RuleLoop, "results", per_trail)
    data = world()
    data["Trails"].append({**data["Trails"][0], "Name": "audit"})
    by_name = remediation(ENABLED, MaximumAutomaticAttempts=2, RetryAttemptSeconds=60)
    by_name["Parameters"]["CloudTrailName"] = {"ResourceValue": {"Value": "RESOURCE_ID"}}
    stop_audit = {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "audit"}}
    delete_audit = {"service": "cloudtrail", "operation": "DeleteTrail", "params": {"Name": "audit"}}
    report = run(
        tmp_path,
        world=data,
        rule={"ConfigRuleName": ENABLED, "MaximumExecutionFrequency": "One_Hour"},
        remediation=by_name,
        events=[{"at": 0, "call": STOP}, {"at": 0, "call": stop_audit}, {"at": 600, "call": delete_audit}],
        duration=3600,
        expect={"final_compliance": "COMPLIANT", "remediation_exception": True},
    )
    assert report["expectations_met"], report["unmet"]
    # The remediation role may start logging on trail main only (scenarios/worlds/logging.yaml).
    assert [(r["time"], r["parameters"]["CloudTrailName"], r["status"]) for r in report["remediations"]] == [
        (0, ["audit"], "FAILED"),
        (0, ["main"], "SUCCEEDED"),
        (30, ["audit"], "FAILED"),
    ]
    (exception,) = report["remediation_exceptions"]
    assert (exception["time"], exception["ResourceType"], exception["ResourceId"]) == (
        30,
        "AWS::CloudTrail::Trail",
        "audit",
    )
    assert [(e["time"], e["resource_id"], e["compliance"]) for e in report["evaluations"] if e["time"] >= 600] == [
        (600, "main", "COMPLIANT"),  # audit deleted: out of scope
        (3600, "main", "COMPLIANT"),
    ]
    assert [e["ResourceId"] for e in report["world"]["EvaluationResults"]] == ["main"]
