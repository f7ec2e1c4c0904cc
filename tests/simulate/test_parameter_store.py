"""``{{ssm:NAME}}`` references read the world's Parameter Store: in a parameter's value (a default or a value
given, resolved when the execution starts, as StartAutomationExecution does) and in a step's inputs (when the step
runs). AWS: String and StringList parameters may be referenced in an Automation document's parameters, SecureString
ones may not (https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html)."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.errors import SimulationError
from toolkit.fakes.world import World
from toolkit.simulate import simulate

ECHO = {
    "schemaVersion": "0.3",
    "parameters": {
        "Bucket": {"type": "String", "default": "{{ssm:/app/bucket}}"},
        "Names": {"type": "StringList", "default": "{{ ssm:/app/names }}"},
    },
    "mainSteps": [
        {
            "name": "Echo",
            "action": "aws:executeScript",
            "inputs": {
                "Runtime": "python3.11",
                "Handler": "handler",
                "Script": "def handler(events, context):\n    return events\n",
                "InputPayload": {
                    "bucket": "{{ Bucket }}",
                    "names": "{{ Names }}",
                    "pinned": "{{ssm:/app/bucket:1}}",
                    "text": "bucket {{ssm:/app/bucket}} in {{ global:REGION }}",
                },
            },
            "outputs": [{"Name": "Payload", "Selector": "$.Payload", "Type": "StringMap"}],
        }
    ],
}


def world_with(*calls: dict[str, Any]) -> World:
    data = World.default().to_dict()
    data["Calls"] = [{"Service": "ssm", "Api": "PutParameter", "Params": params} for params in calls]
    return World.from_dict(data)


def test_parameter_values_and_step_inputs_read_the_parameter_store() -> None:
    world = world_with(
        {"Name": "/app/bucket", "Value": "first", "Type": "String"},
        {"Name": "/app/bucket", "Value": "logs", "Type": "String", "Overwrite": True},
        {"Name": "/app/names", "Value": "main,audit", "Type": "StringList"},
    )
    result = simulate(ECHO, {}, world)
    assert result.status == "Success", result.steps
    assert result.step_outputs["Echo.Payload"] == {
        "bucket": "logs",
        "names": ["main", "audit"],
        "pinned": "first",
        "text": "bucket logs in us-east-1",
    }


def test_a_value_given_as_a_reference_is_resolved_too_and_then_checked() -> None:
    doc = {
        "schemaVersion": "0.3",
        "parameters": {"Bucket": {"type": "String", "allowedPattern": "^[a-z-]+$"}},
        "mainSteps": [{**ECHO["mainSteps"][0], "inputs": {**ECHO["mainSteps"][0]["inputs"], "InputPayload": {
            "bucket": "{{ Bucket }}"}}}],
    }  # fmt: skip
    world = world_with({"Name": "/app/other", "Value": "other", "Type": "String"},
                       {"Name": "/app/upper", "Value": "UPPER", "Type": "String"})  # fmt: skip
    result = simulate(doc, {"Bucket": "{{ssm:/app/other}}"}, world)
    assert result.step_outputs["Echo.Payload"] == {"bucket": "other"}
    with pytest.raises(SimulationError) as caught:
        simulate(doc, {"Bucket": "{{ssm:/app/upper}}"}, world)
    assert caught.value.code == "InvalidAutomationExecutionParametersException"


@pytest.mark.parametrize(
    ("calls", "message"),
    [
        ((), "Parameter /app/bucket not found in us-east-1"),
        (({"Name": "/app/bucket", "Value": "s", "Type": "SecureString"},), "is a SecureString parameter"),
    ],
)
def test_a_default_that_cannot_be_resolved_refuses_the_execution(
    calls: tuple[dict[str, Any], ...], message: str
) -> None:
    with pytest.raises(SimulationError) as caught:
        simulate(ECHO, {}, world_with(*calls))
    assert caught.value.code == "InvalidAutomationExecutionParametersException"
    assert message in str(caught.value)


def test_ssm_secure_is_refused_in_parameters() -> None:
    doc = {**ECHO, "parameters": {"Secret": {"type": "String", "default": "{{ssm-secure:/app/secret}}"}}}
    with pytest.raises(SimulationError) as caught:
        simulate(doc, {}, World.default())
    assert "SecureString parameters can't be referenced" in str(caught.value)
