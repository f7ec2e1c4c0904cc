"""The fake Systems Manager's managed instances and Run Command: DescribeInstanceInformation over the world's
ManagedInstances (none by default), its filters and pages; SendCommand's document, instance and parameter checks;
the recorded command through ListCommands, ListCommandInvocations and GetCommandInvocation; the world-file round
trip."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.services import Service
from tests.fakes.worlds import ACCOUNT
from toolkit.fakes.default import default_data
from toolkit.fakes.world import World

LINUX = {"InstanceId": "i-0123456789abcdef0", "Tags": {"Env": "prod"}, "IamRole": "SSMRole"}
WINDOWS = {"InstanceId": "i-0fedcba9876543210", "PlatformType": "Windows", "PlatformName": "Windows Server 2022"}
LOST = {"InstanceId": "i-00000000000000001", "PingStatus": "ConnectionLost"}


def ssm(*instances: dict[str, Any], documents: list[dict[str, Any]] | None = None) -> Service:
    data = default_data()
    data["ManagedInstances"] = list(instances)
    data["Documents"] = documents or []
    return Service("ssm", World.from_dict(data))


def ids(response: dict[str, Any]) -> list[str]:
    return [item["InstanceId"] for item in response["InstanceInformationList"]]


def test_the_default_world_has_no_managed_instances() -> None:
    service = Service("ssm")
    assert service.call("DescribeInstanceInformation") == {"InstanceInformationList": []}
    error = service.error(
        "SendCommand", DocumentName="AWS-RunShellScript", InstanceIds=["i-0123456789abcdef0"],
        Parameters={"commands": ["echo hi"]},
    )  # fmt: skip
    assert error.code == "InvalidInstanceId"
    assert error.message == f"Instances [[i-0123456789abcdef0]] not in a valid state for account {ACCOUNT}"


def test_describe_instance_information_filters() -> None:
    service = ssm(LINUX, WINDOWS, LOST)
    assert ids(service.call("DescribeInstanceInformation")) == sorted(
        [LINUX["InstanceId"], WINDOWS["InstanceId"], LOST["InstanceId"]]
    )
    linux = service.call("DescribeInstanceInformation", Filters=[{"Key": "PlatformTypes", "Values": ["Linux"]}])
    assert ids(linux) == sorted([LINUX["InstanceId"], LOST["InstanceId"]])
    online = service.call(
        "DescribeInstanceInformation", InstanceInformationFilterList=[{"key": "PingStatus", "valueSet": ["Online"]}]
    )
    assert ids(online) == sorted([LINUX["InstanceId"], WINDOWS["InstanceId"]])
    tagged = service.call("DescribeInstanceInformation", Filters=[{"Key": "tag:Env", "Values": ["prod"]}])
    assert ids(tagged) == [LINUX["InstanceId"]]
    assert ids(service.call("DescribeInstanceInformation", Filters=[{"Key": "tag-key", "Values": ["Env"]}])) == [
        LINUX["InstanceId"]
    ]
    (info,) = service.call(
        "DescribeInstanceInformation", Filters=[{"Key": "InstanceIds", "Values": [WINDOWS["InstanceId"]]}]
    )["InstanceInformationList"]
    assert (info["PlatformType"], info["PlatformName"], info["ResourceType"]) == (
        "Windows",
        "Windows Server 2022",
        "EC2Instance",
    )


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Filters": [{"Key": "Colour", "Values": ["red"]}]}, "InvalidFilterKey"),
        ({"InstanceInformationFilterList": [{"key": "tag:Env", "valueSet": ["x"]}]}, "InvalidFilterKey"),
        ({"Filters": [{"Key": "PingStatus", "Values": ["Asleep"]}]}, "InvalidInstanceInformationFilterValue"),
        ({"Filters": [{"Key": "PlatformTypes", "Values": ["Plan9"]}]}, "InvalidInstanceInformationFilterValue"),
        ({"Filters": [{"Key": "tag:Env", "Values": ["prod"]}, {"Key": "PingStatus", "Values": ["Online"]}]},
         "InvalidFilterKey"),
        ({"Filters": [{"Key": "PingStatus", "Values": ["Online"]}],
          "InstanceInformationFilterList": [{"key": "PingStatus", "valueSet": ["Online"]}]},
         "InvalidInstanceInformationFilterValue"),
        ({"NextToken": "not-a-token"}, "InvalidNextToken"),
        ({"MaxResults": 4}, "ValidationException"),
    ],
)  # fmt: skip
def test_describe_instance_information_refusals(params: dict[str, Any], code: str) -> None:
    assert ssm(LINUX).error("DescribeInstanceInformation", **params).code == code


def test_describe_instance_information_pages() -> None:
    instances = [{"InstanceId": f"i-{n:017x}"} for n in range(7)]
    service = ssm(*instances)
    first = service.call("DescribeInstanceInformation", MaxResults=5)
    second = service.call("DescribeInstanceInformation", MaxResults=5, NextToken=first["NextToken"])
    assert ids(first) + ids(second) == [i["InstanceId"] for i in instances]
    assert "NextToken" not in second


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"DocumentName": "AWS-NoSuchDocument", "InstanceIds": [LINUX["InstanceId"]]}, "InvalidDocument"),
        ({"DocumentName": "AWS-RunShellScript", "InstanceIds": [LOST["InstanceId"]],
          "Parameters": {"commands": ["id"]}}, "InvalidInstanceId"),
        ({"DocumentName": "AWS-RunShellScript", "InstanceIds": ["i-0999999999999999a"],
          "Parameters": {"commands": ["id"]}}, "InvalidInstanceId"),
        ({"DocumentName": "AWS-RunShellScript", "InstanceIds": [LINUX["InstanceId"]]}, "InvalidParameters"),
        ({"DocumentName": "AWS-RunShellScript", "InstanceIds": [LINUX["InstanceId"]],
          "Parameters": {"commands": ["id"], "colour": ["red"]}}, "InvalidParameters"),
        ({"DocumentName": "AWS-RunShellScript", "InstanceIds": [WINDOWS["InstanceId"]],
          "Parameters": {"commands": ["id"]}}, "UnsupportedPlatformType"),
        ({"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["id"]}}, "ValidationException"),
    ],
)  # fmt: skip
def test_send_command_refusals(params: dict[str, Any], code: str) -> None:
    assert ssm(LINUX, WINDOWS, LOST).error("SendCommand", **params).code == code


def test_a_sent_command_is_recorded_and_completes_at_once() -> None:
    service = ssm(LINUX, WINDOWS)
    service.now = 60
    sent = service.call(
        "SendCommand",
        DocumentName="AWS-RunShellScript",
        Targets=[{"Key": "tag:Env", "Values": ["prod"]}],
        Parameters={"commands": ["uptime"]},
        Comment="check",
    )["Command"]
    assert (sent["Status"], sent["InstanceIds"], sent["TargetCount"]) == ("Pending", [LINUX["InstanceId"]], 1)
    command_id = sent["CommandId"]
    assert len(command_id) == 36
    (listed,) = service.call("ListCommands")["Commands"]
    assert (listed["CommandId"], listed["Status"], listed["CompletedCount"]) == (command_id, "Success", 1)
    (invocation,) = service.call("ListCommandInvocations", CommandId=command_id)["CommandInvocations"]
    assert (invocation["InstanceId"], invocation["Status"]) == (LINUX["InstanceId"], "Success")
    result = service.call("GetCommandInvocation", CommandId=command_id, InstanceId=LINUX["InstanceId"])
    assert (result["Status"], result["ResponseCode"], result["StandardOutputContent"]) == ("Success", 0, "")
    assert service.error("GetCommandInvocation", CommandId=command_id, InstanceId=WINDOWS["InstanceId"]).code == (
        "InvocationDoesNotExist"
    )
    assert service.error("ListCommands", CommandId="00000000-0000-0000-0000-000000000000").code == "InvalidCommandId"
    again = World.from_dict(service.world.to_dict())
    assert again.to_dict() == service.world.to_dict()
    assert again.ssm.commands == service.world.ssm.commands


def test_a_command_document_of_the_world_may_be_sent() -> None:
    content = {"schemaVersion": "2.2", "description": "d", "mainSteps": [
        {"action": "aws:runShellScript", "name": "run", "inputs": {"runCommand": ["true"]}}]}  # fmt: skip
    service = ssm(LINUX, documents=[{"Name": "Mine", "DocumentType": "Command", "Content": content}])
    sent = service.call("SendCommand", DocumentName="Mine", InstanceIds=[LINUX["InstanceId"]])["Command"]
    assert sent["DocumentName"] == "Mine"
    sleep = {"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}
    runbook = {"schemaVersion": "0.3", "mainSteps": [sleep]}
    automation = ssm(LINUX, documents=[{"Name": "Auto", "DocumentType": "Automation", "Content": runbook}])
    assert automation.error("SendCommand", DocumentName="Auto", InstanceIds=[LINUX["InstanceId"]]).code == (
        "InvalidDocument"
    )


def test_managed_instances_round_trip_through_the_world_file() -> None:
    world = ssm(LINUX, WINDOWS).world
    data = world.to_dict()
    assert [i["InstanceId"] for i in data["ManagedInstances"]] == [LINUX["InstanceId"], WINDOWS["InstanceId"]]
    assert data["ManagedInstances"][0]["Tags"] == {"Env": "prod"}
    assert World.from_dict(data).to_dict() == data
