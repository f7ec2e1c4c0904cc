"""aws:executeAutomation over targets (Targets, TargetMaps) under rate control, with documents of the world's
Systems Manager, and the executions it records there that later steps read.

Sources: https://docs.aws.amazon.com/systems-manager/latest/userguide/running-automations-map-targets.html (a child
automation per target: tags, parameter values, target maps; the document's target type decides which resources a tag
targets), https://docs.aws.amazon.com/systems-manager/latest/userguide/running-automations-scale.html
(GetAutomationExecution of an execution over targets shows ``"Outputs": {}``),
https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAutomation.html (DocumentName,
DocumentVersion: "If not specified, Automation runs the default runbook version") and the StartAutomationExecution
API reference (TargetParameterName "Required if you specify targets"; Targets "Required if you specify
TargetParameterName"; "Both Targets and TargetMaps can't be specified together").
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.simulate.test_multi_account import DEV, doc, world
from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.simulate.run import EXECUTION_ID, child_execution_id
from toolkit.source import read_data

# -- targets -----------------------------------------------------------------------------------------------------

ECHO = doc(
    """\
    schemaVersion: "0.3"
    parameters:
      Name: {type: String}
      Names: {type: StringList, default: []}
    mainSteps:
      - name: Check
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: handler
          InputPayload: {name: "{{ Name }}"}
          Script: |
            def handler(events, context):
                if events["name"] == "bad":
                    raise ValueError("bad target")
                return events["name"]
        outputs: [{Name: Said, Selector: $.Payload, Type: String}]
    outputs: [Check.Said]
    """
)


def over_targets(**inputs: Any) -> dict[str, Any]:
    return {
        "schemaVersion": "0.3",
        "mainSteps": [
            {"name": "Each", "action": "aws:executeAutomation", "inputs": {"DocumentName": "Echo", **inputs}},
            {
                "name": "Children",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "ssm",
                    "Api": "DescribeAutomationExecutions",
                    "Filters": [{"Key": "ParentExecutionId", "Values": ["{{ Each.ExecutionId }}"]}],
                },
                "outputs": [
                    {
                        "Name": "Statuses",
                        "Selector": "$.AutomationExecutionMetadataList..AutomationExecutionStatus",
                        "Type": "StringList",
                    }
                ],
            },
        ],
    }


def test_parameter_values_run_one_child_per_value() -> None:
    targets = [{"Key": "ParameterValues", "Values": ["a", "b", "c"]}]
    result = simulate(
        over_targets(Targets=targets, TargetParameterName="Name"), options=Options(documents={"Echo": ECHO}.get)
    )
    assert result.status == "Success", result.steps
    parent = child_execution_id(EXECUTION_ID, 1)
    assert result.step_outputs["Each.ExecutionId"] == parent and result.step_outputs["Each.Output"] == []
    assert [(child.target, child.status) for child in result.children[1:]] == [(v, "Success") for v in "abc"]
    assert result.step_outputs["Children.Statuses"] == ["Success", "Success", "Success"]


def test_max_errors_over_targets() -> None:
    targets = [{"Key": "ParameterValues", "Values": ["a", "bad", "c", "d"]}]
    result = simulate(
        over_targets(Targets=targets, TargetParameterName="Name", MaxConcurrency="1", MaxErrors="0"),
        options=Options(documents={"Echo": ECHO}.get),
    )
    assert [(child.target, child.status) for child in result.children[1:]] == [("a", "Success"), ("bad", "Failed")]
    assert "MaxErrors was exceeded, so 2 never started" in str(result.steps[0].failure_message)


def test_target_maps_run_one_child_per_map() -> None:
    maps = [{"Name": ["x"]}, {"Name": ["y"], "Names": ["p", "q"]}]
    result = simulate(over_targets(TargetMaps=maps), options=Options(documents={"Echo": ECHO}.get))
    assert result.status == "Success", result.steps
    assert [json.loads(str(child.target)) for child in result.children[1:]] == maps


def test_tag_targets_resolve_to_the_tagged_buckets_of_the_region() -> None:
    versioner = {
        "schemaVersion": "0.3",
        "parameters": {"BucketName": {"type": "String"}},
        "mainSteps": [
            {
                "name": "Version",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "s3",
                    "Api": "PutBucketVersioning",
                    "Bucket": "{{ BucketName }}",
                    "VersioningConfiguration": {"Status": "Enabled"},
                },
            }
        ],
    }
    bucket = {"Region": "us-east-1", "Policy": None}
    start = World.from_dict(
        {
            "Buckets": [
                {**bucket, "Name": "logs-a", "Tags": {"team": "data"}},
                {**bucket, "Name": "logs-b", "Tags": {"team": "web"}},
                {**bucket, "Name": "logs-c", "Tags": {"team": "data"}, "Region": "eu-west-1"},
            ],
            "Documents": [
                {
                    "Name": "Versioner",
                    "DocumentType": "Automation",
                    "TargetType": "/AWS::S3::Bucket",
                    "Content": versioner,
                }
            ],
        }
    )
    step = {"DocumentName": "Versioner", "TargetParameterName": "BucketName"}
    document = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Each",
                "action": "aws:executeAutomation",
                "inputs": {**step, "Targets": [{"Key": "tag:team", "Values": ["data"]}]},
            }
        ],
    }
    result = simulate(document, world=start, options=Options(documents={}.get))
    assert result.status == "Success", result.steps
    assert [child.target for child in result.children[1:]] == ["logs-a"]
    assert result.world is not None
    status = {
        name: result.world.call("s3", "GetBucketVersioning", {"Bucket": name}).get("Status")
        for name in ("logs-a", "logs-b")
    }
    assert status == {"logs-a": "Enabled", "logs-b": None}


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"TargetLocationsURL": "https://x"}, "aws:executeAutomation with TargetLocationsURL is not simulated"),
        (
            {"Targets": [{"Key": "ResourceGroup", "Values": ["g"]}], "TargetParameterName": "Name"},
            "aws:executeAutomation with Targets of Key ResourceGroup is not simulated",
        ),
        (
            {"Targets": [{"Key": "tag:team", "Values": ["g"]}], "TargetParameterName": "Name"},
            "aws:executeAutomation with Targets by tag:team for a document of target type none is not simulated",
        ),
        ({"Targets": [{"Key": "ParameterValues", "Values": ["a"]}]}, "TargetParameterName is required"),
        (
            {"Targets": [{"Key": "ParameterValues", "Values": ["a"]}], "TargetParameterName": "Nope"},
            "InvalidAutomationExecutionParametersException: the target parameter Nope",
        ),
        (
            {"TargetMaps": [{"Name": ["a"]}], "Targets": [{"Key": "ParameterValues", "Values": ["a"]}]},
            "Targets and TargetMaps can't be specified together",
        ),
        (
            {"Targets": [{"Key": "ParameterValues", "Values": ["a"]}], "TargetParameterName": "Name", "MaxErrors": "x"},
            "ValidationException: MaxErrors 'x' must be a number or a percentage",
        ),
        (
            {"TargetLocations": [{"Accounts": ["123"], "Regions": ["us-east-1"]}]},
            "is neither an account id nor an OU id",
        ),
        (
            {"TargetLocations": [{"Accounts": [DEV], "TargetLocationAlarmConfiguration": {}}]},
            "TargetLocations[0].TargetLocationAlarmConfiguration is not simulated",
        ),
    ],
)
def test_what_is_refused_or_not_simulated_fails_the_step_before_any_child(inputs: dict[str, Any], message: str) -> None:
    document = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {"name": "Each", "action": "aws:executeAutomation", "inputs": {"DocumentName": "Echo", **inputs}},
        ],
    }
    result = simulate(document, world=world(), options=Options(documents={"Echo": ECHO}.get))
    assert result.status == "Failed"
    assert message in str(result.steps[0].failure_message)
    assert result.children == []


def test_locations_with_targets_run_the_targets_in_each_place() -> None:
    targets = [{"Key": "ParameterValues", "Values": ["a", "b"]}]
    location = {"Accounts": [DEV], "Regions": ["us-east-1", "eu-west-1"], "TargetLocationMaxConcurrency": "2"}
    document = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Each",
                "action": "aws:executeAutomation",
                "inputs": {
                    "DocumentName": "Echo",
                    "TargetParameterName": "Name",
                    "Targets": targets,
                    "TargetLocations": [location],
                },
            }
        ],
    }
    result = simulate(document, world=world(), options=Options(documents={"Echo": ECHO}.get))
    assert result.status == "Success", result.steps
    top = child_execution_id(EXECUTION_ID, 1)
    rate = [child_execution_id(top, 1), child_execution_id(top, 2)]
    assert [(child.execution_id, child.parent_id, child.region, child.target) for child in result.children] == [
        (top, EXECUTION_ID, "us-east-1", None),
        (rate[0], top, "us-east-1", None),
        (child_execution_id(rate[0], 1), rate[0], "us-east-1", "a"),
        (child_execution_id(rate[0], 2), rate[0], "us-east-1", "b"),
        (rate[1], top, "eu-west-1", None),
        (child_execution_id(rate[1], 1), rate[1], "eu-west-1", "a"),
        (child_execution_id(rate[1], 2), rate[1], "eu-west-1", "b"),
    ]


# -- documents of the world and executions a later step reads ------------------------------------------------------


def test_a_document_created_by_a_step_is_run_by_a_later_step() -> None:
    greeter = {
        "schemaVersion": "0.3",
        "parameters": {"Greeting": {"type": "String"}},
        "mainSteps": [
            {
                "name": "Echo",
                "action": "aws:executeScript",
                "inputs": {
                    "Runtime": "python3.11",
                    "Handler": "handler",
                    "InputPayload": {"g": "{{ Greeting }}"},
                    "Script": "def handler(events, context):\n    return events['g'] + ' v1'\n",
                },
                "outputs": [{"Name": "Said", "Selector": "$.Payload", "Type": "String"}],
            }
        ],
        "outputs": ["Echo.Said"],
    }
    second = json.loads(json.dumps(greeter).replace(" v1", " v2"))
    document = {
        "schemaVersion": "0.3",
        # the contents come in as parameters: a {{ }} inside the step's own inputs would be the parent's reference
        "parameters": {"First": {"type": "String"}, "Second": {"type": "String"}},
        "mainSteps": [
            {
                "name": "Create",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "ssm",
                    "Api": "CreateDocument",
                    "Name": "Greeter",
                    "DocumentType": "Automation",
                    "DocumentFormat": "JSON",
                    "Content": "{{ First }}",
                },
            },
            {
                "name": "Update",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "ssm",
                    "Api": "UpdateDocument",
                    "Name": "Greeter",
                    "DocumentVersion": "$LATEST",
                    "DocumentFormat": "JSON",
                    "Content": "{{ Second }}",
                },
            },
            {
                "name": "Default",
                "action": "aws:executeAutomation",
                "inputs": {"DocumentName": "Greeter", "RuntimeParameters": {"Greeting": "hi"}},
            },
            {
                "name": "Latest",
                "action": "aws:executeAutomation",
                "inputs": {
                    "DocumentName": "Greeter",
                    "DocumentVersion": "$LATEST",
                    "RuntimeParameters": {"Greeting": "hi"},
                },
            },
            {
                "name": "Missing",
                "action": "aws:executeAutomation",
                "inputs": {"DocumentName": "Greeter", "DocumentVersion": "7"},
                "onFailure": "Continue",
                "isCritical": False,
            },
        ],
    }
    contents = {"First": json.dumps(greeter), "Second": json.dumps(second)}
    result = simulate(document, contents, world=world(), options=Options(documents={}.get))
    assert [step.status for step in result.steps] == ["Success"] * 4 + ["Failed"], result.steps
    assert result.step_outputs["Default.Output"] == ["Echo.Said=hi v1"]
    assert result.step_outputs["Latest.Output"] == ["Echo.Said=hi v2"]
    assert result.steps[-1].failure_message == (
        "AutomationDefinitionVersionNotFoundException: An Automation runbook with the name Greeter and version 7 "
        "couldn't be found."
    )
    assert result.world is not None
    latest = result.step_outputs["Latest.ExecutionId"]
    recorded = result.world.call("ssm", "GetAutomationExecution", {"AutomationExecutionId": latest})
    assert recorded["AutomationExecution"]["DocumentVersion"] == "2"


def test_a_later_step_reads_a_child_execution() -> None:
    child = doc(
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Echo
            action: aws:executeScript
            inputs:
              Runtime: python3.11
              Handler: handler
              Script: "def handler(events, context):\\n    return 'done'\\n"
            outputs: [{Name: Said, Selector: $.Payload, Type: String}]
        outputs: [Echo.Said]
        """
    )
    parent = doc(
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Child
            action: aws:executeAutomation
            inputs: {DocumentName: Child}
          - name: Read
            action: aws:executeAwsApi
            inputs: {Service: ssm, Api: GetAutomationExecution, AutomationExecutionId: "{{ Child.ExecutionId }}"}
            outputs:
              - {Name: Status, Selector: $.AutomationExecution.AutomationExecutionStatus, Type: String}
              - {Name: Parent, Selector: $.AutomationExecution.ParentAutomationExecutionId, Type: String}
              - {Name: Said, Selector: "$.AutomationExecution.Outputs['Echo.Said'][0]", Type: String}
              - {Name: Document, Selector: $.AutomationExecution.DocumentName, Type: String}
        """
    )
    result = simulate(parent, options=Options(documents={"Child": child}.get))
    assert result.status == "Success", result.steps
    assert (result.step_outputs["Read.Status"], result.step_outputs["Read.Parent"]) == ("Success", EXECUTION_ID)
    assert (result.step_outputs["Read.Said"], result.step_outputs["Read.Document"]) == ("done", "Child")
    assert [(child.execution_id, child.status) for child in result.children] == [
        (child_execution_id(EXECUTION_ID, 1), "Success")
    ]


def test_a_named_top_level_execution_is_recorded_once_it_starts_a_child(tmp_path: Any) -> None:
    (tmp_path / "Child.yaml").write_text(
        'schemaVersion: "0.3"\nmainSteps:\n  - {name: Nap, action: aws:sleep, inputs: {Duration: PT1S}}\n'
    )
    top = tmp_path / "Top.yaml"
    top.write_text(
        'schemaVersion: "0.3"\nmainSteps:\n  - {name: Child, action: aws:executeAutomation, '
        "inputs: {DocumentName: Child}}\n"
    )

    def documents(name: str) -> Any:
        return read_data((tmp_path / f"{name}.yaml").read_text(), file=f"{name}.yaml")[0]

    result = simulate(top, options=Options(documents=documents))
    assert result.status == "Success", result.steps
    assert result.world is not None
    found = result.world.call("ssm", "DescribeAutomationExecutions", {})["AutomationExecutionMetadataList"]
    shown = {item["DocumentName"]: item for item in found}
    assert sorted(shown) == ["Child", "Top"]
    assert shown["Top"]["AutomationExecutionId"] == EXECUTION_ID
    assert shown["Top"]["AutomationExecutionStatus"] == shown["Child"]["AutomationExecutionStatus"] == "Success"
    assert shown["Child"]["ParentAutomationExecutionId"] == EXECUTION_ID
    assert shown["Top"]["ExecutionEndTime"] == shown["Child"]["ExecutionEndTime"]  # the child slept its one second


def test_tag_targets_resolve_to_the_tagged_instances_of_the_region() -> None:
    stopper = {
        "schemaVersion": "0.3",
        "parameters": {"InstanceId": {"type": "String"}},
        "mainSteps": [
            {
                "name": "Stop",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "ec2", "Api": "StopInstances", "InstanceIds": ["{{ InstanceId }}"]},
            }
        ],
    }

    def run(tag: str) -> dict[str, Any]:
        return {
            "Service": "ec2",
            "Api": "RunInstances",
            "Params": {
                "ImageId": "ami-12c6146b",
                "MinCount": 1,
                "MaxCount": 1,
                "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": tag}]}],
            },
        }

    start = World.from_dict(
        {
            "Documents": [
                {
                    "Name": "Stopper",
                    "DocumentType": "Automation",
                    "TargetType": "/AWS::EC2::Instance",
                    "Content": stopper,
                }
            ],
            "Calls": [run("data"), run("web"), run("data")],
        }
    )
    document = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Each",
                "action": "aws:executeAutomation",
                "inputs": {
                    "DocumentName": "Stopper",
                    "TargetParameterName": "InstanceId",
                    "Targets": [{"Key": "tag:team", "Values": ["data"]}],
                },
            }
        ],
    }
    result = simulate(document, world=start, options=Options(documents={}.get))
    assert result.status == "Success", result.steps
    stopped = sorted(str(child.target) for child in result.children[1:])
    found = start.call("ec2", "DescribeInstances", {"Filters": [{"Name": "tag:team", "Values": ["data"]}]})
    tagged = sorted(i["InstanceId"] for group in found["Reservations"] for i in group["Instances"])
    assert len(stopped) == 2 and stopped == tagged
    assert [call.params["InstanceIds"] for call in result.calls] == [[value] for value in stopped]
