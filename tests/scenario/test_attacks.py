"""The attack scenarios (scenarios/attacks/, issue 16): each is played against the world the toolkit's own
templates deploy (``template: {pattern: ...}``, instantiated by ``toolkit.deploy.instantiate``), by an
administrator of the member account, and ends as its file expects: every attack call refused with the AWS error it
names, or logging restored within the time the file allows; and, where no SCP binds the attacker (one account
outside an organization), remediation made to give up is loud: the alarm topic is notified."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.commands.scenario import world_from_template
from toolkit.scenario import load_scenario, play

ATTACKS = sorted((Path(__file__).resolve().parents[2] / "scenarios" / "attacks").glob("*.yaml"))


def test_every_attack_path_of_the_audit_has_a_scenario() -> None:
    assert [path.stem for path in ATTACKS] == [
        "cut-delivery-unguarded",
        "cut-delivery",
        "decoy-trail",
        "forge-exemption",
        "give-up",
        "log-archive-admin",
        "steer-remediation",
    ]


@pytest.mark.parametrize("path", ATTACKS, ids=[path.stem for path in ATTACKS])
def test_the_attack_ends_denied_or_remediated_or_alarmed(path: Path) -> None:
    scenario = load_scenario(path, world_maker=world_from_template)
    report = play(scenario)
    assert report.expectations_met, report.data["unmet"]
    made = zip(scenario.events, report.data["events"], strict=True)
    attacks = [done for event, done in made if (event.caller or "").endswith(":role/Admin")]
    assert attacks, "an attack scenario makes its calls as an account's administrator"
    denied = [event for event in attacks if event["error"] is not None]
    assert report.data["scheduled"], "the hourly delivery check ran"
    checks = {run["status"] for run in report.data["scheduled"]}
    failed = [item for item in report.data["notifications"] if item["rule"] == "cloudtrail-remediation-failed"]
    if path.stem == "cut-delivery-unguarded":  # no AdministratorRoleArn: the attack works; the delivery check alarms
        assert denied == [] and checks == {"FAILED"} and report.data["delivery"]["main"]["off_seconds"] > 0
        assert len(failed) == len(report.data["scheduled"]) and all(item["error"] is None for item in failed)
        return
    assert checks == {"SUCCEEDED"}, report.data["scheduled"]
    if path.stem == "decoy-trail":  # the calls are allowed; the rules see through them
        assert denied == [] and report.data["delivery"]["main"]["off_seconds"] <= 3600
    elif path.stem == "give-up":  # one account, no SCP: the attack works, and the alarm says so
        assert denied == [] and report.data["remediation_exception"]
        noncompliant = [
            item for item in report.data["notifications"] if item["rule"] == "cloudtrail-remediation-noncompliant"
        ]
        assert len(failed) == 6 and all(item["error"] is None for item in failed)
        assert noncompliant and all(item["event"] == "Config Rules Compliance Change" for item in noncompliant)
    else:  # every attack call refused, and delivery never stopped
        assert len(denied) == len(attacks)
        assert report.data["delivery"]["main"]["off_seconds"] == 0
