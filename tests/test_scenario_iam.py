"""Scenario events made as a principal (``as``) and expected to fail (``expect_error``) (spec contracts.md 0.2;
issue 15): the event's call is authorized as that principal, and an event whose expectation does not hold makes
the scenario unmet.

Decision where the contract is silent: an event without ``as`` is made by the world's Caller (default: the
account's Admin role with AdministratorAccess); ``expect_error`` compares the AWS error code only.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_scenario import scenario, write
from toolkit.scenario import load_scenario, play

REMEDIATION_ROLE = "arn:aws:iam::123456789012:role/CloudTrailRemediationRole"
"""The least-privilege role of scenarios/worlds/logging.yaml: it may start logging on trail main, not stop it."""
STOP = {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "main"}}


def test_an_event_as_a_principal_is_authorized_as_it(tmp_path: Path) -> None:
    events = [
        {"at": 0, "call": STOP, "as": REMEDIATION_ROLE, "expect_error": "AccessDeniedException"},
        {"at": 1, "call": STOP},  # the world's Caller, an administrator: allowed
    ]
    data = play(load_scenario(write(tmp_path, scenario(events=events)))).data
    first, second = data["events"]
    assert first["error"]["code"] == "AccessDeniedException"
    assert "assumed-role/CloudTrailRemediationRole/" in first["error"]["message"]
    assert "cloudtrail:StopLogging" in first["error"]["message"]
    assert second["error"] is None
    assert data["expectations_met"] is True and data["unmet"] == []


def test_an_event_whose_expected_error_does_not_happen_makes_the_scenario_unmet(tmp_path: Path) -> None:
    events = [{"at": 0, "call": STOP, "expect_error": "AccessDeniedException"}]  # the administrator may stop it
    data = play(load_scenario(write(tmp_path, scenario(events=events)))).data
    assert data["events"][0]["error"] is None
    assert data["expectations_met"] is False
    assert data["unmet"] == ["event 1 (cloudtrail StopLogging): expected error AccessDeniedException, got success"]


def test_an_event_failing_with_another_code_makes_the_scenario_unmet(tmp_path: Path) -> None:
    missing = {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "nope"}}
    events = [{"at": 0, "call": missing, "expect_error": "AccessDeniedException"}]
    data = play(load_scenario(write(tmp_path, scenario(events=events)))).data
    assert data["expectations_met"] is False
    assert data["unmet"] == [
        "event 1 (cloudtrail StopLogging): expected error AccessDeniedException, got TrailNotFoundException"
    ]
