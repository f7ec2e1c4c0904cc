"""`runbook simulate`: the contract's JSON, exit codes 0/1/2, typed --param, --params, --world and --world-out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import ROOT

RUNBOOK = "cloudtrail-remediation-action"
PARAMS = [
    "--param",
    "CloudTrailName=main",
    "--param",
    "CloudTrailS3BucketName=trail-logs-123456789012",
    "--param",
    "CloudTrailKmsKeyId=alias/cloudtrail",
]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "simulate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def test_the_runbook_in_the_default_world_as_contracted_json(golden: Callable[[str, str], None]) -> None:
    result = run(RUNBOOK, *PARAMS, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"status", "steps", "outputs", "calls", "error"}
    assert data["status"] == "Success" and data["error"] is None
    assert all(set(step) == {"name", "action", "status", "outputs", "failure_message"} for step in data["steps"])
    assert all(set(call) == {"service", "operation", "params", "error"} for call in data["calls"])
    assert data["outputs"]["UpsertTrail.TrailArn"] == "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"
    golden("cli/simulate.json", result.stdout)
    assert run(RUNBOOK, *PARAMS, "--format", "json").stdout == result.stdout  # the same inputs, the same bytes


def test_text_output(golden: Callable[[str, str], None]) -> None:
    result = run(RUNBOOK, *PARAMS)
    assert result.returncode == 0
    golden("cli/simulate.txt", result.stdout)


def test_a_failed_execution_exits_one(tmp_path: Path) -> None:
    world = tmp_path / "world.yaml"
    world.write_text(yaml.safe_dump({"Keys": []}))  # no key: the trail cannot be encrypted
    result = run(RUNBOOK, *PARAMS, "--world", str(world), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["status"] == "Failed"
    failed = [step for step in data["steps"] if step["status"] == "Failed"]
    assert failed and failed[0]["failure_message"]


def test_an_execution_that_cannot_start_exits_two_with_the_error_code() -> None:
    result = run(RUNBOOK, "--param", "CloudTrailName=main", "--format", "json")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["status"] is None and data["steps"] == [] and data["calls"] == []
    assert data["error"]["code"] == "InvalidAutomationExecutionParametersException"
    assert "CloudTrailS3BucketName" in data["error"]["message"]
    text = run(RUNBOOK, "--param", "CloudTrailName=x!")
    assert text.returncode == 2 and text.stdout == ""
    assert text.stderr.count("\n") == 1 and "CloudTrailName" in text.stderr


def test_params_file_and_typed_text(tmp_path: Path) -> None:
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"CloudTrailS3BucketName": "trail-logs-123456789012", "IsMultiRegionTrail": True}))
    result = run(
        RUNBOOK,
        "--params",
        str(params),
        "--param",
        "CloudTrailName=main",
        "--param",
        "CloudTrailKmsKeyId=alias/cloudtrail",
        "--param",
        "EnableLogFileValidation=true",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stdout
    bad = run(RUNBOOK, *PARAMS, "--param", "EnableLogFileValidation=yes")
    assert bad.returncode == 2 and "true or false" in bad.stderr


def test_world_out_can_be_read_back(tmp_path: Path) -> None:
    out = tmp_path / "after.json"
    result = run(RUNBOOK, *PARAMS, "--world-out", str(out))
    assert result.returncode == 0
    after = json.loads(out.read_text())
    trail = next(trail for trail in after["Trails"] if trail["Name"] == "main")
    assert trail["IsLogging"] is True and trail["IsMultiRegionTrail"] is True
    again = run(RUNBOOK, *PARAMS, "--world", str(out), "--format", "json")
    assert again.returncode == 0


def test_a_bad_world_file_is_one_line_naming_the_key(tmp_path: Path) -> None:
    world = tmp_path / "world.yaml"
    world.write_text("Trails:\n  - Nmae: main\n")
    result = run(RUNBOOK, *PARAMS, "--world", str(world))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Nmae" in result.stderr and "Traceback" not in result.stderr
