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


def test_without_its_role_the_execution_does_not_start_and_no_iam_runs_it_anyway() -> None:
    done = simulate_cli("--param", "BucketName=my-data", "--param", ROLE, "--format", "json")
    assert done.returncode == 2
    assert done.stderr == (
        "runbook: InvalidAutomationExecutionParametersException: The defined assume role is unable to be assumed.\n"
    )
    done = simulate_cli("--param", "BucketName=my-data", "--param", ROLE, "--format", "json", "--no-iam")
    assert done.returncode == 1
    first = json.loads(done.stdout)["steps"][0]
    assert (first["name"], first["status"]) == ("CheckVersioning", "Failed")
    assert first["failure_message"].startswith("NoSuchBucket: The specified bucket does not exist")


def readme_example() -> dict[str, Any]:
    """The README's complete plugin test of the versioning runbook, run as written (its code block)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("```python\n", text.index("A complete test of `docs/examples/enable-s3-versioning.yaml`"))
    code = text[start + len("```python\n") : text.index("```", start + 3)]
    namespace: dict[str, Any] = {"json": json}
    exec(compile(code, "README.md", "exec"), namespace)
    namespace["RUNBOOK"] = str(EXAMPLES / "enable-s3-versioning.yaml")
    return namespace


def test_the_readme_s_plugin_tests_of_the_versioning_runbook_pass(
    seeded_world: Callable[..., World], simulate_runbook: Callable[..., Any]
) -> None:
    example = readme_example()
    tests = [name for name in example if name.startswith("test_")]
    assert tests == [
        "test_turns_on_versioning_once",
        "test_a_missing_bucket_fails_as_s3_answers",
        "test_the_role_may_not_touch_another_bucket",
    ]
    for name in tests:
        example[name](seeded_world, simulate_runbook)
