"""aws:executeAutomation in other accounts and Regions (TargetLocations) under rate control, as SSM runs it: each
child in its account and Region, its calls there, its execution recorded there (targets and the world's documents:
test_child_automations).

Sources: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAutomation.html (the
inputs and the ExecutionId, Status and Output outputs),
https://docs.aws.amazon.com/systems-manager/latest/userguide/running-automations-multiple-accounts-regions.html
(child automations in each target account, the AWS-SystemsManager-AutomationExecutionRole in every target account,
OUs "don't run recursively"), https://docs.aws.amazon.com/systems-manager/latest/userguide/running-automations-scale-controls.html
(concurrency and error thresholds: with a threshold of 3 the fourth error stops it; children already running finish;
the queue starts one child, then two, then exponentially more),
https://docs.aws.amazon.com/systems-manager/latest/userguide/running-automations-map-targets.html (a child per
target; the parent is complete when every child is) and the API reference of StartAutomationExecution and
TargetLocation (defaults: MaxConcurrency 10, TargetLocationMaxConcurrency 1, TargetLocationMaxErrors 0;
ExecutionRoleName default AWS-SystemsManager-AutomationExecutionRole; IncludeChildOrganizationUnits default false).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.simulate.result import SimulationResult
from toolkit.simulate.run import EXECUTION_ID, child_execution_id
from toolkit.source import read_data

MANAGEMENT = "111111111111"
DEV = "222222222222"
PROD = "333333333333"
ABSENT = "444444444444"
ROLE = "AWS-SystemsManager-AutomationExecutionRole"
WORKLOADS = "ou-ab12-11111111"  # the root is r-ab12 (Organization.Root)
PROD_OU = "ou-ab12-22222222"
PAIRS = [(DEV, "us-east-1"), (DEV, "eu-west-1"), (PROD, "us-east-1"), (PROD, "eu-west-1")]


def doc(text: str) -> dict[str, Any]:
    data, _ = read_data(textwrap.dedent(text), file="test.yaml")
    return data


MARK = doc(
    """\
    schemaVersion: "0.3"
    parameters:
      Fail: {type: String, default: none}
    mainSteps:
      - name: Check
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: handler
          InputPayload: {where: "{{ global:ACCOUNT_ID }}/{{ global:REGION }}", fail: "{{ Fail }}"}
          Script: |
            def handler(events, context):
                if events["where"] == events["fail"]:
                    raise ValueError("told to fail in " + events["where"])
                return events["where"]
        outputs: [{Name: Where, Selector: $.Payload, Type: String}]
      - name: Mark
        action: aws:executeAwsApi
        inputs: {Service: ssm, Api: PutParameter, Name: /marker, Type: String, Value: "{{ Check.Where }}"}
      - name: Queue
        action: aws:executeAwsApi
        inputs: {Service: sqs, Api: CreateQueue, QueueName: work}
    outputs: [Check.Where]
    """
)
FAMILY = Options(documents={"Mark": MARK}.get)


def fan(locations: list[dict[str, Any]], **inputs: Any) -> dict[str, Any]:
    """A document whose one step runs Mark over ``locations``."""
    return {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Fan",
                "action": "aws:executeAutomation",
                "inputs": {"DocumentName": "Mark", "TargetLocations": locations, **inputs},
            }
        ],
    }


def world(*, roles: tuple[str, ...] = (MANAGEMENT, DEV, PROD), delegated: str | None = None) -> World:
    trust = {
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    }
    role = [
        {
            "Name": ROLE,
            "AssumeRolePolicyDocument": trust,
            "AttachedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
        }
    ]
    organization: dict[str, Any] = {
        "Id": "o-a1b2c3d4e5",
        "ManagementAccount": MANAGEMENT,
        "Root": "r-ab12",
        "OrganizationalUnits": [
            {"Id": WORKLOADS, "Name": "Workloads"},
            {"Id": PROD_OU, "Name": "Prod", "Parent": WORKLOADS},
        ],
        "Accounts": [{"Id": DEV, "Parent": WORKLOADS}, {"Id": PROD, "Parent": PROD_OU}],
    }
    if delegated is not None:
        organization["DelegatedAdministrators"] = [{"AccountId": delegated, "ServicePrincipal": "ssm.amazonaws.com"}]
    return World.from_dict(
        {
            "Account": MANAGEMENT,
            "Region": "us-east-1",
            "Organization": organization,
            "Roles": role if MANAGEMENT in roles else [],
            "Accounts": {account: {"Roles": role if account in roles else []} for account in (DEV, PROD)},
        }
    )


def there(result: SimulationResult, account: str, region: str) -> FakeBackend:
    assert result.world is not None
    backend = result.world.backend().elsewhere(account, region)
    assert backend is not None
    return backend


def marker(result: SimulationResult, account: str, region: str) -> str | None:
    try:
        answer = there(result, account, region).call("ssm", "GetParameter", {"Name": "/marker"})
    except AwsError as err:
        assert err.code == "ParameterNotFound"
        return None
    return str(answer["Parameter"]["Value"])


def queues(result: SimulationResult, account: str, region: str) -> list[str]:
    return list(there(result, account, region).call("sqs", "ListQueues", {}).get("QueueUrls", []))


def places(result: SimulationResult, parent: str) -> list[tuple[str, str, str]]:
    return [(child.account, child.region, child.status) for child in result.children if child.parent_id == parent]


# -- 2 accounts x 2 Regions -------------------------------------------------------------------------------------


def test_a_child_runs_in_each_account_and_region_and_its_calls_land_there() -> None:
    locations = [{"Accounts": [DEV, PROD], "Regions": ["us-east-1", "eu-west-1"], "TargetLocationMaxConcurrency": "4"}]
    result = simulate(fan(locations), world=world(), options=FAMILY)
    assert result.status == "Success", result.steps
    parent = child_execution_id(EXECUTION_ID, 1)
    assert result.step_outputs == {"Fan.ExecutionId": parent, "Fan.Status": "Success", "Fan.Output": []}
    assert places(result, parent) == [(account, region, "Success") for account, region in PAIRS]
    for account, region in PAIRS:
        assert marker(result, account, region) == f"{account}/{region}"
        assert [url.rsplit("/", 1)[-1] for url in queues(result, account, region)] == ["work"]
    assert marker(result, MANAGEMENT, "us-east-1") is None and queues(result, MANAGEMENT, "us-east-1") == []
    made = [(call.operation, call.account, call.region) for call in result.calls]
    assert made == [(operation, *pair) for pair in PAIRS for operation in ("PutParameter", "CreateQueue")]


def test_the_executions_are_in_each_accounts_ssm_and_the_json_says_where() -> None:
    locations = [{"Accounts": [DEV, PROD], "Regions": ["us-east-1", "eu-west-1"]}]
    result = simulate(fan(locations), world=world(), options=FAMILY)
    parent = child_execution_id(EXECUTION_ID, 1)
    assert result.world is not None
    top = result.world.call("ssm", "GetAutomationExecution", {"AutomationExecutionId": parent})["AutomationExecution"]
    assert (top["DocumentName"], top["AutomationExecutionStatus"], top["Outputs"]) == ("Mark", "Success", {})
    assert top["ParentAutomationExecutionId"] == EXECUTION_ID
    for ordinal, (account, region) in enumerate(PAIRS, start=1):
        child_id = child_execution_id(parent, ordinal)
        seen = there(result, account, region).call("ssm", "GetAutomationExecution", {"AutomationExecutionId": child_id})
        execution = seen["AutomationExecution"]
        assert execution["AutomationExecutionStatus"] == "Success"
        assert execution["ParentAutomationExecutionId"] == parent
        assert execution["Outputs"] == {"Check.Where": [f"{account}/{region}"]}
        assert execution["ExecutedBy"] == f"arn:aws:iam::{account}:role/{ROLE}"
    shown = json.loads(result.to_json())
    assert [(child["account"], child["region"]) for child in shown["children"]] == [(MANAGEMENT, "us-east-1"), *PAIRS]
    assert all({"account", "region"} <= set(call) for call in shown["calls"])
    again = World.from_dict(result.world.to_dict())
    assert again == result.world  # --world-out writes every account's executions and reads them back
    assert result.to_json() == simulate(fan(locations), world=world(), options=FAMILY).to_json()


def test_calls_in_the_executions_own_place_carry_no_place() -> None:
    locations = [{"Accounts": [MANAGEMENT], "Regions": ["us-east-1", "eu-west-1"], "TargetLocationMaxConcurrency": "2"}]
    result = simulate(fan(locations), world=world(), options=FAMILY)
    assert result.status == "Success", result.steps
    shown = json.loads(result.to_json())["calls"]
    assert [set(call) - {"service", "operation", "params", "error"} for call in shown] == [
        set(),
        set(),
        {"account", "region"},
        {"account", "region"},
    ]
    assert (shown[2]["account"], shown[2]["region"]) == (MANAGEMENT, "eu-west-1")


def test_a_script_in_a_child_calls_its_own_account_and_region() -> None:
    scripted = doc(
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Make
            action: aws:executeScript
            inputs:
              Runtime: python3.11
              Handler: handler
              Script: |
                import boto3
                def handler(events, context):
                    boto3.client("sqs").create_queue(QueueName="from-script")
                    return boto3.client("sts").get_caller_identity()["Account"]
            outputs: [{Name: Account, Selector: $.Payload, Type: String}]
        outputs: [Make.Account]
        """
    )
    document = fan([{"Accounts": [DEV], "Regions": ["eu-west-1"]}])
    document["mainSteps"][0]["inputs"]["DocumentName"] = "Scripted"
    result = simulate(document, world=world(), options=Options(documents={"Scripted": scripted}.get))
    assert result.status == "Success", result.children
    assert [url.rsplit("/", 1)[-1] for url in queues(result, DEV, "eu-west-1")] == ["from-script"]
    assert queues(result, DEV, "us-east-1") == [] and queues(result, MANAGEMENT, "eu-west-1") == []
    assert {(call.account, call.region) for call in result.calls} == {(DEV, "eu-west-1")}
    child = there(result, DEV, "eu-west-1").call(
        "ssm",
        "GetAutomationExecution",
        {"AutomationExecutionId": child_execution_id(result.children[0].execution_id or "", 1)},
    )
    assert child["AutomationExecution"]["Outputs"] == {"Make.Account": [DEV]}


# -- rate control ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("concurrency", "ran"),
    [
        ("1", [(DEV, "us-east-1", "Success"), (DEV, "eu-west-1", "Failed")]),
        # the queue starts one child, waits, then two: the second fails, the third was already running and ends
        ("2", [(DEV, "us-east-1", "Success"), (DEV, "eu-west-1", "Failed"), (PROD, "us-east-1", "Success")]),
    ],
)
def test_target_location_max_errors_stops_new_children(concurrency: str, ran: list[tuple[str, str, str]]) -> None:
    locations = [
        {
            "Accounts": [DEV, PROD],
            "Regions": ["us-east-1", "eu-west-1"],
            "TargetLocationMaxConcurrency": concurrency,
            "TargetLocationMaxErrors": "0",
        }
    ]
    result = simulate(fan(locations, RuntimeParameters={"Fail": f"{DEV}/eu-west-1"}), world=world(), options=FAMILY)
    assert result.status == "Failed"
    parent = child_execution_id(EXECUTION_ID, 1)
    assert places(result, parent) == ran
    message = result.steps[0].failure_message or ""
    assert message.startswith("the child automation Mark ended Failed: TargetLocations[0]: 1 of")
    assert f"TargetLocationMaxErrors was exceeded, so {4 - len(ran)} never started" in message
    assert marker(result, PROD, "eu-west-1") is None
    assert (marker(result, PROD, "us-east-1") is not None) == (concurrency == "2")
    assert result.world is not None
    recorded = result.world.call("ssm", "GetAutomationExecution", {"AutomationExecutionId": parent})
    assert recorded["AutomationExecution"]["AutomationExecutionStatus"] == "Failed"


@pytest.mark.parametrize("max_errors", ["1", "25%"])
def test_errors_within_the_threshold_let_every_child_start_but_the_parent_fails(max_errors: str) -> None:
    location = {"Accounts": [DEV, PROD], "Regions": ["us-east-1", "eu-west-1"]}
    locations = [{**location, "TargetLocationMaxErrors": max_errors}]
    result = simulate(fan(locations, RuntimeParameters={"Fail": f"{DEV}/eu-west-1"}), world=world(), options=FAMILY)
    parent = child_execution_id(EXECUTION_ID, 1)
    assert [status for *_, status in places(result, parent)] == ["Success", "Failed", "Success", "Success"]
    assert result.status == "Failed"
    assert "1 of 4 child automations did not succeed" in (result.steps[0].failure_message or "")


def test_the_simulated_clock_runs_children_side_by_side() -> None:
    sleeper = doc(
        """\
        schemaVersion: "0.3"
        mainSteps:
          - {name: Wait, action: aws:sleep, inputs: {Duration: PT10M}}
        """
    )
    after = {
        "name": "After",
        "action": "aws:executeScript",
        "inputs": {
            "Runtime": "python3.11",
            "Handler": "handler",
            "InputPayload": {"at": "{{ global:DATE_TIME }}"},
            "Script": "def handler(events, context):\n    return events['at']\n",
        },
        "outputs": [{"Name": "At", "Selector": "$.Payload", "Type": "String"}],
    }

    def minutes(concurrency: str) -> str:
        document = fan([{"Accounts": [DEV, PROD], "Regions": ["us-east-1", "eu-west-1"]}])
        document["mainSteps"][0]["inputs"]["DocumentName"] = "Sleeper"
        document["mainSteps"][0]["inputs"]["TargetLocations"][0]["TargetLocationMaxConcurrency"] = concurrency
        document["mainSteps"].append(after)
        result = simulate(document, world=world(), options=Options(documents={"Sleeper": sleeper}.get))
        assert result.status == "Success", result.steps
        return str(result.step_outputs["After.At"])

    assert minutes("1") == "2026-01-01_00.40.00"  # one after the other
    assert minutes("4") == "2026-01-01_00.30.00"  # one, then two, then the last: three rounds of ten minutes
    assert minutes("100%") == "2026-01-01_00.30.00"


# -- accounts: OUs, missing roles, absent accounts ---------------------------------------------------------------


def test_an_ou_stands_for_the_accounts_directly_in_it() -> None:
    result = simulate(fan([{"Accounts": [WORKLOADS], "Regions": ["us-east-1"]}]), world=world(), options=FAMILY)
    assert result.status == "Success", result.steps
    assert places(result, child_execution_id(EXECUTION_ID, 1)) == [(DEV, "us-east-1", "Success")]
    assert marker(result, PROD, "us-east-1") is None


def test_an_ou_with_its_child_ous_and_exclusions() -> None:
    location = {"Accounts": [WORKLOADS], "Regions": ["us-east-1"], "IncludeChildOrganizationUnits": True}
    result = simulate(fan([location]), world=world(), options=FAMILY)
    parent = child_execution_id(EXECUTION_ID, 1)
    assert places(result, parent) == [(DEV, "us-east-1", "Success"), (PROD, "us-east-1", "Success")]
    result = simulate(fan([{**location, "ExcludeAccounts": [DEV]}]), world=world(), options=FAMILY)
    assert places(result, parent) == [(PROD, "us-east-1", "Success")]


def test_ous_need_the_management_account_or_a_delegated_administrator() -> None:
    step = {"Fan": {"DocumentName": "Mark", "TargetLocations": [{"Accounts": [PROD_OU], "Regions": ["us-east-1"]}]}}
    inner = {
        "schemaVersion": "0.3",
        "mainSteps": [{"name": "Fan", "action": "aws:executeAutomation", "inputs": step["Fan"]}],
    }
    outer = fan([{"Accounts": [DEV], "Regions": ["us-east-1"]}])
    outer["mainSteps"][0]["inputs"]["DocumentName"] = "Inner"
    documents = Options(documents={"Mark": MARK, "Inner": inner}.get)
    refused = simulate(outer, world=world(), options=documents)
    assert refused.status == "Failed"
    inner_run = [child for child in refused.children if child.account == DEV]
    assert inner_run[0].status == "Failed"
    assert "only the organization's management account or a delegated administrator" in str(
        inner_run[0].failure_message
    )
    allowed = simulate(outer, world=world(delegated=DEV), options=documents)
    assert allowed.status == "Success", allowed.children
    assert marker(allowed, PROD, "us-east-1") == f"{PROD}/us-east-1"


def test_an_account_without_the_execution_role_or_absent_from_the_world_fails_its_children() -> None:
    locations = [{"Accounts": [DEV, PROD, ABSENT], "Regions": ["us-east-1"], "TargetLocationMaxErrors": "5"}]
    result = simulate(fan(locations), world=world(roles=(MANAGEMENT, DEV)), options=FAMILY)
    assert result.status == "Failed"
    children = [child for child in result.children if child.account != MANAGEMENT]
    assert [(child.account, child.status, child.execution_id is None) for child in children] == [
        (DEV, "Success", False),
        (PROD, "Failed", True),
        (ABSENT, "Failed", True),
    ]
    assert children[1].failure_message == (
        f"the execution role arn:aws:iam::{PROD}:role/{ROLE} does not exist: cannot assume it"
    )
    assert children[2].failure_message == f"account {ABSENT} is not in the world: cannot assume " + (
        f"arn:aws:iam::{ABSENT}:role/{ROLE}"
    )
    assert marker(result, PROD, "us-east-1") is None
    named = fan([{"Accounts": [DEV], "Regions": ["us-east-1"], "ExecutionRoleName": "Other"}])
    assert simulate(named, world=world(), options=FAMILY).status == "Failed"


def test_later_locations_do_not_start_once_a_location_exceeds_its_threshold() -> None:
    locations = [
        {"Accounts": [ABSENT], "Regions": ["us-east-1"]},
        {"Accounts": [DEV], "Regions": ["us-east-1"]},
    ]
    result = simulate(fan(locations), world=world(), options=FAMILY)
    assert [child.account for child in result.children] == [MANAGEMENT, ABSENT]
    assert "the 1 account and Region pairs of later target locations never started" in str(
        result.steps[0].failure_message
    )


def test_the_text_lists_the_children() -> None:
    from toolkit.commands.simulate import text

    locations = [{"Accounts": [DEV, ABSENT], "Regions": ["us-east-1"], "TargetLocationMaxErrors": "1"}]
    result = simulate(fan(locations), world=world(), options=FAMILY)
    parent = child_execution_id(EXECUTION_ID, 1)
    lines = text(result).splitlines()
    assert lines[1:4] == [
        f"child {parent} Mark in {MANAGEMENT} us-east-1: Failed: TargetLocations[0]: 1 of 2 child automations did "
        "not succeed",
        f"child {child_execution_id(parent, 1)} Mark in {DEV} us-east-1: Success",
        f"child (never started) Mark in {ABSENT} us-east-1: Failed: account {ABSENT} is not in the world: cannot "
        f"assume arn:aws:iam::{ABSENT}:role/{ROLE}",
    ]


# -- an execution started in another account of the world (`runbook simulate --account ID --region R`) -------------


def in_dev(**options: Any) -> Options:
    return Options(account=DEV, region="eu-west-1", caller=f"arn:aws:iam::{DEV}:role/{ROLE}", **options)


def test_an_execution_runs_in_the_account_and_region_it_is_given() -> None:
    """Its global values, its calls and what they change are that account's and Region's, never the world's own."""
    result = simulate(MARK, world=world(), options=in_dev())
    assert result.status == "Success", result.steps
    assert result.step_outputs["Check.Where"] == f"{DEV}/eu-west-1"
    assert there(result, DEV, "eu-west-1").call("ssm", "GetParameter", {"Name": "/marker"})["Parameter"]["Value"] == (
        f"{DEV}/eu-west-1"
    )
    for account, region in [(MANAGEMENT, "us-east-1"), (MANAGEMENT, "eu-west-1"), (DEV, "us-east-1")]:
        with pytest.raises(AwsError) as missing:
            there(result, account, region).call("ssm", "GetParameter", {"Name": "/marker"})
        assert missing.value.code == "ParameterNotFound"


def test_an_execution_in_another_account_starts_as_that_accounts_admin_by_default() -> None:
    """The world's Caller is of its own account: in another account the default starter is that account's Admin
    role, which must exist there (an implicit Admin is the world's own account's only)."""
    from toolkit.fakes.caller import account_caller_arn

    made = world()
    assert account_caller_arn(made.accounts[DEV]) == f"arn:aws:iam::{DEV}:role/Admin"
    assert account_caller_arn(made) == f"arn:aws:iam::{MANAGEMENT}:role/Admin"
    refused = simulate(MARK, world=made, options=Options(account=DEV))
    assert refused.status == "Failed"
    assert refused.steps[1].failure_message == (
        f"AccessDeniedException: User: arn:aws:sts::{DEV}:assumed-role/Admin/runbook-simulate is not authorized to "
        f"perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:{DEV}:parameter/marker because no "
        "identity-based policy allows the ssm:PutParameter action"
    )


def test_an_account_the_world_does_not_hold_is_refused_naming_it() -> None:
    from toolkit.errors import SimulationError

    with pytest.raises(SimulationError) as refused:
        simulate(MARK, world=world(), options=Options(account=ABSENT))
    assert str(refused.value) == (
        f"account {ABSENT} is not an account of the world (it holds {MANAGEMENT}, {DEV}, {PROD})"
    )


def test_the_command_line_runs_in_the_account_and_region_given(tmp_path: Any) -> None:
    import subprocess
    import sys

    import yaml

    made = world()
    path = tmp_path / "world.yaml"
    made.dump(path)
    document = tmp_path / "mark.yaml"
    document.write_text(yaml.safe_dump(MARK), encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "toolkit", "simulate", str(document), "--world", str(path), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    done = cli("--account", DEV, "--region", "eu-west-1", "--as", f"arn:aws:iam::{DEV}:role/{ROLE}", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outputs"]["Check.Where"] == f"{DEV}/eu-west-1"
    unknown = cli("--account", ABSENT)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == (
        f"runbook: --account {ABSENT}: not an account of the world (it holds {MANAGEMENT}, {DEV}, {PROD})\n"
    )
    region = cli("--region", "Europe")
    assert (region.returncode, region.stderr) == (
        2,
        "runbook: --region Europe: not a Region's name (such as us-east-1)\n",
    )
