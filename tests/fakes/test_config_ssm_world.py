"""Systems Manager and AWS Config in the world: random call sequences keep copies independent, never share a response
or request with the world, give the same world for the same calls and round-trip through the world file; every
other operation of the two services is refused as not modelled; and their state sits below the backend."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.fakes.backend import operations
from toolkit.fakes.default import DEFAULT_BUCKET
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.world import World

Call = tuple[str, str, str, dict[str, Any]]  # region, service, operation, params

ACCOUNT = "123456789012"
SLR = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
DOCUMENT = {
    "schemaVersion": "0.3",
    "parameters": {"Target": {"type": "String", "default": "x"}},
    "mainSteps": [{"name": "Wait", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}],
}
RULE = {"ConfigRuleName": "cloudtrail-enabled", "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}}
REMEDIATION = {"ConfigRuleName": "cloudtrail-enabled", "TargetType": "SSM_DOCUMENT", "TargetId": "the-runbook"}
KEYS = [{"ResourceType": "AWS::::Account", "ResourceId": ACCOUNT}]

regions = st.sampled_from(["us-east-1", "us-east-1", "eu-west-1"])
names = st.sampled_from(["/app/a", "/app/b/c", "top"])
kinds = st.sampled_from(["String", "StringList", "SecureString"])
labels = st.lists(st.sampled_from(["prod", "test", "1bad"]), min_size=1, max_size=2)


@st.composite
def ssm_calls(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(names)
    kind = draw(st.integers(0, 11))
    if kind == 0:
        params: dict[str, Any] = {"Name": name, "Value": draw(st.sampled_from(["v", "a,b"])), "Type": draw(kinds)}
        if draw(st.booleans()):
            params["Overwrite"] = True
        return "PutParameter", params
    if kind == 1:
        return "LabelParameterVersion", {"Name": name, "Labels": draw(labels)}
    if kind == 2:
        return "DeleteParameter", {"Name": name}
    if kind == 3:
        return "GetParameter", {"Name": name + draw(st.sampled_from(["", ":1", ":prod"])), "WithDecryption": True}
    if kind == 4:
        return "GetParametersByPath", {"Path": "/app", "Recursive": draw(st.booleans())}
    if kind == 5:
        return "GetParameterHistory", {"Name": name}
    if kind == 6:
        description = draw(st.sampled_from(["one", "two", "three"]))
        content = json.dumps({**DOCUMENT, "description": description})
        if draw(st.booleans()):
            return "CreateDocument", {"Name": "the-runbook", "Content": content, "DocumentType": "Automation"}
        return "UpdateDocument", {"Name": "the-runbook", "Content": content, "DocumentVersion": "$LATEST"}
    if kind == 7:
        return "UpdateDocumentDefaultVersion", {"Name": "the-runbook", "DocumentVersion": draw(st.sampled_from("123"))}
    if kind == 8:
        return "StartAutomationExecution", {"DocumentName": "the-runbook", "Parameters": {"Target": ["t"]}}
    if kind == 9:
        return "DescribeDocument", {"Name": "the-runbook"}
    if kind == 10:
        return "DescribeAutomationExecutions", {}
    return "DescribeParameters", {}


@st.composite
def config_calls(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return "PutConfigurationRecorder", {"ConfigurationRecorder": {"name": "default", "roleARN": SLR}}
    if kind == 1:
        return "PutDeliveryChannel", {"DeliveryChannel": {"name": "default", "s3BucketName": DEFAULT_BUCKET}}
    if kind == 2:
        operation = draw(st.sampled_from(["StartConfigurationRecorder", "StopConfigurationRecorder"]))
        return operation, {"ConfigurationRecorderName": "default"}
    if kind == 3:
        return "PutConfigRule", {"ConfigRule": RULE}
    if kind == 4:
        return "StartConfigRulesEvaluation", {"ConfigRuleNames": ["cloudtrail-enabled"]}
    if kind == 5:
        return "PutRemediationConfigurations", {"RemediationConfigurations": [REMEDIATION]}
    if kind == 6:
        return "StartRemediationExecution", {
            "ConfigRuleName": "cloudtrail-enabled",
            "ResourceKeys": [{"resourceType": "AWS::::Account", "resourceId": ACCOUNT}],
        }
    if kind == 7:
        operation = draw(st.sampled_from(["PutRemediationExceptions", "DeleteRemediationExceptions"]))
        return operation, {"ConfigRuleName": "cloudtrail-enabled", "ResourceKeys": KEYS}
    if kind == 8:
        return "GetComplianceDetailsByConfigRule", {"ConfigRuleName": "cloudtrail-enabled"}
    if kind == 9:
        return "DescribeConfigurationRecorderStatus", {}
    if kind == 10:
        return "DescribeRemediationExceptions", {"ConfigRuleName": "cloudtrail-enabled"}
    return "DeleteRemediationConfiguration", {"ConfigRuleName": "cloudtrail-enabled"}


@st.composite
def calls(draw: st.DrawFn) -> Call:
    region = draw(regions)
    service = draw(st.sampled_from(["ssm", "ssm", "config", "config", "cloudtrail"]))
    if service == "ssm":
        operation, params = draw(ssm_calls())
    elif service == "config":
        operation, params = draw(config_calls())
    else:
        operation, params = draw(st.sampled_from(["StartLogging", "StopLogging"])), {"Name": "main"}
    return region, service, operation, params


sequences = st.lists(calls(), max_size=15)


def run(world: World, sequence: list[Call], *, vandalise: bool = False) -> list[str | None]:
    outcomes: list[str | None] = []
    for region, service, operation, params in sequence:
        request = copy.deepcopy(params)
        try:
            response = world.backend(region).call(service, operation, request)
        except AwsError as err:
            outcomes.append(err.code)
            continue
        outcomes.append(None)
        assert request == params, f"{operation} changed its request"
        if vandalise:
            before = world.to_dict()
            wreck(response)
            wreck(request)
            assert world.to_dict() == before, f"{operation}'s response or request is shared with the world"
    return outcomes


def wreck(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            wreck(item)
        value.clear()
    elif isinstance(value, list):
        for item in value:
            wreck(item)
        value.clear()


@given(sequences)
def test_changing_a_copy_never_changes_the_original(sequence: list[Call]) -> None:
    original = World.default()
    snapshot = original.to_dict()
    run(original.copy(), sequence)
    assert original.to_dict() == snapshot


@given(sequences, sequences)
def test_changing_the_original_never_changes_a_copy(before: list[Call], after: list[Call]) -> None:
    original = World.default()
    run(original, before)
    twin = original.copy()
    snapshot = twin.to_dict()
    run(original, after)
    assert twin.to_dict() == snapshot


@given(sequences)
def test_responses_and_requests_are_never_shared_with_the_world(sequence: list[Call]) -> None:
    run(World.default(), sequence, vandalise=True)


@given(sequences)
def test_the_same_calls_give_the_same_world_and_the_world_file_round_trips(sequence: list[Call]) -> None:
    first, second = World.default(), World.default()
    assert run(first, sequence) == run(second, sequence)
    assert first == second
    assert World.from_dict(first.to_dict()) == first


def test_the_sequences_reach_interesting_states() -> None:
    """The strategies are not vacuous: a fixed sequence of their kinds of calls succeeds and changes the world."""
    world = World.default()
    content = json.dumps(DOCUMENT)
    sequence: list[Call] = [
        ("us-east-1", "ssm", "PutParameter", {"Name": "/app/a", "Value": "v", "Type": "SecureString"}),
        ("us-east-1", "ssm", "LabelParameterVersion", {"Name": "/app/a", "Labels": ["prod"]}),
        (
            "us-east-1",
            "ssm",
            "CreateDocument",
            {"Name": "the-runbook", "Content": content, "DocumentType": "Automation"},
        ),
        ("us-east-1", "ssm", "StartAutomationExecution", {"DocumentName": "the-runbook"}),
        ("us-east-1", "config", "PutConfigurationRecorder", {"ConfigurationRecorder": {"roleARN": SLR}}),
        ("us-east-1", "config", "PutConfigRule", {"ConfigRule": RULE}),
        ("us-east-1", "config", "StartConfigRulesEvaluation", {"ConfigRuleNames": ["cloudtrail-enabled"]}),
        ("us-east-1", "config", "PutRemediationConfigurations", {"RemediationConfigurations": [REMEDIATION]}),
        (
            "us-east-1",
            "config",
            "PutRemediationExceptions",
            {"ConfigRuleName": "cloudtrail-enabled", "ResourceKeys": KEYS},
        ),
    ]
    assert run(world, sequence, vandalise=True) == [None] * len(sequence)
    data = world.to_dict()
    assert all(data[key] for key in ("Parameters", "Documents", "AutomationExecutions", "ConfigRules"))
    assert all(data[key] for key in ("EvaluationResults", "RemediationConfigurations", "RemediationExceptions"))


# -- what is not modelled ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["ssm", "config"])
def test_every_other_operation_is_not_modelled(service: str) -> None:
    model = botocore.session.get_session().get_service_model(service)
    modelled = operations(service)
    assert set(modelled) < set(model.operation_names)
    backend = World.default().backend()
    for operation in sorted(set(model.operation_names) - set(modelled)):
        with pytest.raises(NotModeled):
            backend.call(service, operation, {})


def test_the_modelled_operations_are_the_ones_asked_for() -> None:
    assert set(operations("config")) == {
        *("PutConfigurationRecorder", "DescribeConfigurationRecorders", "DescribeConfigurationRecorderStatus"),
        *("StartConfigurationRecorder", "StopConfigurationRecorder", "DeleteConfigurationRecorder"),
        *("PutDeliveryChannel", "DescribeDeliveryChannels", "DeleteDeliveryChannel"),
        *("PutConfigRule", "DescribeConfigRules", "DeleteConfigRule", "StartConfigRulesEvaluation"),
        *("GetComplianceDetailsByConfigRule", "DescribeComplianceByConfigRule"),
        *("PutRemediationConfigurations", "DescribeRemediationConfigurations", "DeleteRemediationConfiguration"),
        *("StartRemediationExecution", "DescribeRemediationExecutionStatus"),
        *("PutRemediationExceptions", "DescribeRemediationExceptions", "DeleteRemediationExceptions"),
        "BatchGetResourceConfig",
    }
    assert set(operations("ssm")) == {
        *("PutParameter", "GetParameter", "GetParameters", "GetParametersByPath", "DescribeParameters"),
        *("GetParameterHistory", "LabelParameterVersion", "DeleteParameter", "DeleteParameters"),
        *("CreateDocument", "GetDocument", "DescribeDocument", "UpdateDocument", "UpdateDocumentDefaultVersion"),
        *("ListDocuments", "ListDocumentVersions", "DeleteDocument"),
        *("StartAutomationExecution", "GetAutomationExecution", "DescribeAutomationExecutions"),
        *("DescribeInstanceInformation", "SendCommand", "ListCommands", "ListCommandInvocations"),
        "GetCommandInvocation",
    }


# -- layers ------------------------------------------------------------------------------------------------------

TOOLKIT = Path(__file__).resolve().parents[2] / "toolkit"
STATE = [
    "fakes/ssm/__init__",
    "fakes/ssm/parameters",
    "fakes/ssm/documents",
    "fakes/ssm/executions",
    "fakes/ssm/instances",
    "fakes/config/state",
]


@pytest.mark.parametrize("module", STATE)
def test_the_state_sits_below_the_backend(module: str) -> None:
    """Like every service's state: no import of the backend, the world or the operations."""
    found = set()
    for node in ast.walk(ast.parse((TOOLKIT / f"{module}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    above = ("toolkit.fakes.backend", "toolkit.fakes.world", "toolkit.fakes.services", "toolkit.simulate")
    assert not [name for name in found if any(name == top or name.startswith(f"{top}.") for top in above)]
