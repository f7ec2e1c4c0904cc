"""The attack scenarios (scenarios/attacks/, issue 16): each is played against the world the toolkit's own
templates deploy (``template: {pattern: ...}``, instantiated by ``toolkit.deploy.instantiate``), by an
administrator of the member account, and ends as its file expects: every attack call refused with the AWS error it
names, or logging restored within the time the file allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.commands.scenario import world_from_template
from toolkit.scenario import load_scenario, play

ATTACKS = sorted((Path(__file__).resolve().parents[2] / "scenarios" / "attacks").glob("*.yaml"))


def test_every_attack_path_of_the_audit_has_a_scenario() -> None:
    assert [path.stem for path in ATTACKS] == ["cut-delivery", "decoy-trail", "forge-exemption", "steer-remediation"]


@pytest.mark.parametrize("path", ATTACKS, ids=[path.stem for path in ATTACKS])
def test_the_attack_ends_denied_or_remediated(path: Path) -> None:
    scenario = load_scenario(path, world_maker=world_from_template)
    report = play(scenario)
    assert report.expectations_met, report.data["unmet"]
    made = zip(scenario.events, report.data["events"], strict=True)
    attacks = [done for event, done in made if (event.caller or "").endswith(":role/Admin")]
    assert attacks, "an attack scenario makes its calls as the member account's administrator"
    denied = [event for event in attacks if event["error"] is not None]
    if path.stem == "decoy-trail":  # the calls are allowed; the rules see through them
        assert denied == [] and report.data["delivery"]["main"]["off_seconds"] <= 3600
    else:  # every attack call refused, and delivery never stopped
        assert len(denied) == len(attacks)
        assert report.data["delivery"]["main"]["off_seconds"] == 0
