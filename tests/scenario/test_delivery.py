"""Delivery off time (issue 16): per trail of the world at the start (and each trail ``expect`` names), the seconds and
intervals it was not delivering (absent, not logging, or GetTrailStatus reporting a LatestDeliveryError), seen after
everything the loop does and at the end; ``expect.delivery_off_at_most`` fails a scenario that exceeds it; the text
prints it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import ROOT
from tests.test_scenario import command, scenario, write
from toolkit.fakes.backend import EPOCH
from toolkit.fakes.world import World
from toolkit.scenario import load_scenario, play
from toolkit.scenario.delivery import DeliveryWatch

STOP = {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "main"}}
START = {"service": "cloudtrail", "operation": "StartLogging", "params": {"Name": "main"}}
DELETE = {"service": "cloudtrail", "operation": "DeleteTrail", "params": {"Name": "main"}}


def report(tmp_path: Path, **changes: Any) -> dict[str, Any]:
    return play(load_scenario(write(tmp_path, scenario(**changes)))).data


def test_stopped_and_remediated_at_one_instant_is_off_for_zero_seconds(tmp_path: Path) -> None:
    data = play(load_scenario(ROOT / "scenarios" / "logging-stopped.yaml")).data
    assert data["delivery"] == {
        "main": {"off_seconds": 0, "intervals": [{"from": 0, "to": 0, "reason": "not logging"}]}
    }


def test_periodic_detection_leaves_the_trail_off_until_each_next_evaluation() -> None:
    data = play(load_scenario(ROOT / "scenarios" / "periodic-detection.yaml")).data
    assert data["delivery"] == {
        "main": {
            "off_seconds": 6200,
            "intervals": [
                {"from": 600, "to": 3600, "reason": "not logging"},
                {"from": 4000, "to": 7200, "reason": "not logging"},
            ],
        }
    }


def test_a_deleted_trail_is_absent_and_a_trail_only_expect_names_is_followed_too(tmp_path: Path) -> None:
    events = [{"at": 30, "call": DELETE}]
    expect = {"final_compliance": "COMPLIANT", "remediation_exception": False, "trails": {"other": None}}
    data = report(tmp_path, events=events, expect=expect, evaluate_after_events=False)
    assert data["delivery"] == {
        "main": {"off_seconds": 3570, "intervals": [{"from": 30, "to": 3600, "reason": "absent"}]},
        "other": {"off_seconds": 3600, "intervals": [{"from": 0, "to": 3600, "reason": "absent"}]},
    }


def test_delivery_off_at_most_fails_the_scenario_when_exceeded(tmp_path: Path) -> None:
    events = [{"at": 0, "call": STOP}, {"at": 600, "call": START}]
    base = {"final_compliance": "COMPLIANT", "remediation_exception": False}
    quiet = {"evaluate_after_events": False, "remediation": {**scenario()["remediation"], "Automatic": False}}
    within = report(tmp_path, events=events, expect={**base, "delivery_off_at_most": 600}, **quiet)
    assert within["expectations_met"], within["unmet"]
    beyond = report(tmp_path, events=events, expect={**base, "delivery_off_at_most": 599.5}, **quiet)
    assert beyond["unmet"] == ["delivery_off_at_most.main: expected at most 599.5 s, got 600 s"]
    named = report(tmp_path, events=events, expect={**base, "delivery_off_at_most": {"main": 60, "gone": 0}}, **quiet)
    assert named["unmet"] == [
        "delivery_off_at_most.main: expected at most 60 s, got 600 s",
        "delivery_off_at_most.gone: expected at most 0 s, got 3600 s",
    ]
    assert named["delivery"]["gone"]["intervals"] == [{"from": 0, "to": 3600, "reason": "absent"}]


def test_a_delivery_error_counts_as_off_while_config_still_reports_compliant(tmp_path: Path) -> None:
    """GetTrailStatus reporting a LatestDeliveryError (the bucket refusing the log files) while the trail still
    logs: cloudtrail-enabled stays COMPLIANT (issue 16, finding 2), and the report counts the trail off."""
    loaded = load_scenario(write(tmp_path, scenario(events=[], duration=7200)))
    broken = {"IsLogging": True, "LatestDeliveryError": "AccessDenied"}
    loaded.world.register("cloudtrail", "GetTrailStatus", lambda params: broken)
    result = play(loaded)
    assert result.data["final_compliance"] == "COMPLIANT" and result.data["remediations"] == []
    assert result.data["delivery"] == {
        "main": {"off_seconds": 7200, "intervals": [{"from": 0, "to": 7200, "reason": "delivery error: AccessDenied"}]}
    }
    assert "      0 delivery  main off: delivery error: AccessDenied" in result.log


def test_delivery_is_looked_at_every_five_minutes_between_what_the_loop_does(tmp_path: Path) -> None:
    """CloudTrail delivers every five minutes: an error its attempt meets between two things the loop does (here the
    third look, at 600 s, of an hour with one evaluation at each end) is counted from that look."""
    loaded = load_scenario(write(tmp_path, scenario(events=[])))
    looks: list[int] = []

    def status(params: dict[str, Any]) -> dict[str, Any]:
        looks.append(len(looks))
        return {"IsLogging": True, **({"LatestDeliveryError": "AccessDenied"} if len(looks) >= 3 else {})}

    loaded.world.register("cloudtrail", "GetTrailStatus", status)
    result = play(loaded)
    assert len(looks) == 14  # at 0 (after the evaluation), 300 ... 3300, 3600 (after the evaluation), the end
    assert result.data["delivery"]["main"] == {
        "off_seconds": 3000,
        "intervals": [{"from": 600, "to": 3600, "reason": "delivery error: AccessDenied"}],
    }
    assert "    600 delivery  main off: delivery error: AccessDenied" in result.log


def test_the_watch_reads_get_trail_status_through_the_backend_and_splits_intervals_by_reason() -> None:
    world = World.load(ROOT / "scenarios" / "worlds" / "logging.yaml")
    answer: dict[str, Any] = {"IsLogging": True}
    world.register("cloudtrail", "GetTrailStatus", lambda params: dict(answer))
    watch = DeliveryWatch(["main"])

    def at(time: float) -> list[str]:
        return watch.observe(time, world, lambda: EPOCH)

    assert at(0) == []  # delivering from the start: nothing to say
    answer["LatestDeliveryError"] = "NoSuchBucket"
    assert at(10) == ["main off: delivery error: NoSuchBucket"]
    assert at(20) == []
    answer["IsLogging"] = False
    assert at(30) == ["main off: not logging"]
    answer.update(IsLogging=True, LatestDeliveryError="")
    assert at(45) == ["main delivering"]
    answer["IsLogging"] = False
    assert at(50) == ["main off: not logging"]
    assert watch.report(60) == {
        "main": {
            "off_seconds": 45,
            "intervals": [
                {"from": 10, "to": 30, "reason": "delivery error: NoSuchBucket"},
                {"from": 30, "to": 45, "reason": "not logging"},
                {"from": 50, "to": 60, "reason": "not logging"},
            ],
        }
    }


def test_the_text_prints_delivery_changes_and_each_trails_seconds_off() -> None:
    result = command("scenarios/periodic-detection.yaml", "scenarios/logging-stopped.yaml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "      600 delivery  main off: not logging" in lines
    assert "     3600 delivery  main delivering" in lines
    assert lines.count("  delivery off: main 6200 s") == 1 and lines.count("  delivery off: main 0 s") == 1
