"""allowedPattern as SSM checks it: java.util.regex's matches() on the whole value, through the one translation
(toolkit.javaregex) the model, the linter and the simulator share; a value the translation cannot decide is refused
with a clear message, never guessed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.lint.helpers import lint_snippet
from toolkit.errors import SimulationError
from toolkit.fakes.world import World
from toolkit.simulate import simulate
from toolkit.source import read_data

TRAIL = """\
schemaVersion: "0.3"
parameters:
  TrailName: {type: String, allowedPattern: '^[\\w-]+$'%s}
mainSteps:
  - name: Only
    action: aws:sleep
    inputs: {Duration: PT1S}
"""


def doc(text: str) -> dict[str, Any]:
    data, _ = read_data(textwrap.dedent(text), file="test.yaml")
    return data


def test_ssm_refuses_to_start_an_execution_whose_value_has_a_unicode_word_character() -> None:
    """The finding: Java's \\w is ASCII, so StartAutomationExecution refuses ``tráil`` for ``^[\\w-]+$`` (the
    simulator used to start the execution, which then failed at UpdateTrail)."""
    with pytest.raises(SimulationError) as refused:
        simulate(doc(TRAIL % ""), {"TrailName": "tr\u00e1il"}, World.default())
    assert refused.value.code == "InvalidAutomationExecutionParametersException"
    assert refused.value.parameter == "TrailName"
    assert "value 'tr\u00e1il' does not match allowedPattern ^[\\w-]+$" in str(refused.value)
    assert simulate(doc(TRAIL % ""), {"TrailName": "trail-1"}, World.default()).status == "Success"


def test_the_linter_and_the_model_agree_on_the_finding() -> None:
    findings = lint_snippet(TRAIL % ", default: tr\u00e1il", "E1102")
    assert [(finding.rule, finding.line) for finding in findings] == [("E1102", 3)]
    with pytest.raises(SimulationError) as refused:  # the default is checked as a given value is
        simulate(doc(TRAIL % ", default: tr\u00e1il"), {}, World.default())
    assert refused.value.code == "InvalidAutomationExecutionParametersException"
    # the model's side: tests/test_model.py (a runbook with this default is a DefinitionError)


def test_the_cli_refuses_it_in_one_line(tmp_path: Path) -> None:
    document = tmp_path / "trail.yaml"
    document.write_text(TRAIL % "", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "simulate", str(document), "--param", "TrailName=tr\u00e1il"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "TrailName" in result.stderr and "allowedPattern" in result.stderr


@pytest.mark.parametrize(
    ("pattern", "value", "allowed"),
    [
        ("[a-z]*", "ABCDEF", False),  # matches(): a search would find the empty match
        ("[a-z]*", "abc", True),
        ("INFO|ERROR", "INFO-ERROR", False),
        ("sg-[a-z0-9]+$", "sg-123abc", True),
        ("sg-[a-z0-9]+$", "xsg-123", False),
        ("^[a-z]+$", "abc\n", False),  # $ before a final newline leaves the newline unmatched
    ],
)
def test_the_whole_value_must_match(pattern: str, value: str, allowed: bool) -> None:
    text = TRAIL.replace("'^[\\w-]+$'", repr(pattern).replace('"', "'")) % ""
    if allowed:
        assert simulate(doc(text), {"TrailName": value}, World.default()).status == "Success"
    else:
        with pytest.raises(SimulationError, match="does not match allowedPattern"):
            simulate(doc(text), {"TrailName": value}, World.default())


def test_a_pattern_python_cannot_express_is_refused_not_guessed() -> None:
    text = TRAIL.replace("'^[\\w-]+$'", "'^\\X+$'") % ""
    with pytest.raises(SimulationError) as refused:
        simulate(doc(text), {"TrailName": "trail"}, World.default())
    assert refused.value.code == "NotModeledBySimulator"
    message = str(refused.value)
    assert "\\X (an extended grapheme cluster)" in message and "refuses rather than guess" in message
    assert [finding.rule for finding in lint_snippet(text, "W1105")] == ["W1105"]
