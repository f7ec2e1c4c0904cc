"""docs/examples: the S3 versioning runbook simulates from the command line in a world that seeds its bucket by
API calls, and fails as S3 answers when the bucket is absent."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.fakes.world import World

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
ROLE = "AutomationAssumeRole=arn:aws:iam::123456789012:role/Versioning"


def simulate_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "toolkit", "simulate", str(EXAMPLES / "enable-s3-versioning.yaml"), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)


def test_the_versioning_runbook_succeeds_in_a_world_seeded_with_its_bucket(tmp_path: Path) -> None:
    after = tmp_path / "after.json"
    done = simulate_cli("--world", str(EXAMPLES / "s3-world.yaml"), "--param", "BucketName=my-data", "--param", ROLE,
                        "--format", "json", "--world-out", str(after))  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [(step["name"], step["status"]) for step in result["steps"]] == [
        ("CheckVersioning", "Failed"), ("TurnOn", "Success"), ("ProveVersioning", "Success"),
    ]  # fmt: skip
    assert World.load(after).call("s3", "GetBucketVersioning", {"Bucket": "my-data"})["Status"] == "Enabled"


def test_the_versioning_runbook_fails_with_no_such_bucket_when_the_bucket_is_absent() -> None:
    done = simulate_cli("--param", "BucketName=my-data", "--param", ROLE, "--format", "json")
    assert done.returncode == 1
    first = json.loads(done.stdout)["steps"][0]
    assert (first["name"], first["status"]) == ("CheckVersioning", "Failed")
    assert first["failure_message"].startswith("NoSuchBucket: The specified bucket does not exist")


def test_the_readme_s_plugin_test_of_the_versioning_runbook(
    seeded_world: Callable[..., World], simulate_runbook: Callable[..., Any]
) -> None:
    world = seeded_world([{"Service": "s3", "Api": "CreateBucket", "Params": {"Bucket": "my-data"}}])
    result = simulate_runbook(
        EXAMPLES / "enable-s3-versioning.yaml",
        {"BucketName": "my-data", "AutomationAssumeRole": "arn:aws:iam::123456789012:role/Versioning"},
        world=world,
    )
    assert result.status == "Success"
    assert result.world.call("s3", "GetBucketVersioning", {"Bucket": "my-data"})["Status"] == "Enabled"
    again = simulate_runbook(
        EXAMPLES / "enable-s3-versioning.yaml",
        {"BucketName": "my-data", "AutomationAssumeRole": "arn:aws:iam::123456789012:role/Versioning"},
        world=result.world,
    )
    assert [(step.name, step.status) for step in again.steps] == [
        ("CheckVersioning", "Success"),
        ("ProveVersioning", "Success"),
    ]
