"""Whose identity an execution runs with, checked as StartAutomationExecution checks it (shared/spec/iam.md §4;
issue 15): the assume role must exist, be a role's ARN, trust ssm.amazonaws.com (with the execution's
aws:SourceAccount) and be passable by the starter (iam:PassRole); without one the execution runs as its starter
(``--as``, the world's ``Caller``); children run as their own assume role; ``--no-iam`` allows everything.

Decisions where AWS is silent:
- the starter's own session (a role given as ``--as``/``Caller``) is named ``runbook-simulate``; the assume role's
  session is named after the execution id (iam.md §4.1 observes a UUID there);
- the order of the checks is ssm:StartAutomationExecution, then the role ARN's format, then iam:PassRole, then the
  role's existence and trust (iam.md §4.2 leaves the order between PassRole and the trust check unverified): a
  caller without iam:PassRole is told so even when the role does not exist.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CORPUS, ROOT
from tests.simulate.sample import sample_run
from toolkit.errors import SimulationError
from toolkit.fakes.world import World, WorldError
from toolkit.simulate import Options, simulate
from toolkit.simulate.result import SimulationResult
from toolkit.simulate.run import EXECUTION_ID

ACCOUNT = "123456789012"
OTHER = "999988887777"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ASR = CORPUS / "aws-solutions__automated-security-response-on-aws"


def trust(service: str = "ssm.amazonaws.com", condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def allow(*actions: str, resource: str = "*") -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": resource}]}


def role_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def session_arn(name: str, session: str = EXECUTION_ID) -> str:
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/{session}"


WORLD: dict[str, Any] = {
    "Roles": [
        {"Name": "Automation", "AssumeRolePolicyDocument": trust(), "AttachedPolicies": [ADMIN_ACCESS]},
        {"Name": "ReadOnly", "AssumeRolePolicyDocument": trust(), "AttachedPolicies": [READ_ONLY]},
        {"Name": "Ec2Only", "AssumeRolePolicyDocument": trust("ec2.amazonaws.com"), "AttachedPolicies": [ADMIN_ACCESS]},
        {
            "Name": "OtherAccountOnly",
            "AssumeRolePolicyDocument": trust(condition={"StringEquals": {"aws:SourceAccount": OTHER}}),
            "AttachedPolicies": [ADMIN_ACCESS],
        },
        {
            "Name": "OwnAccountOnly",
            "AssumeRolePolicyDocument": trust(condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
            "AttachedPolicies": [ADMIN_ACCESS],
        },
        {
            "Name": "Operator",
            "AssumeRolePolicyDocument": trust("ec2.amazonaws.com"),
            "AttachedPolicies": [READ_ONLY],
            "Policies": [allow("ssm:StartAutomationExecution")],
        },
    ],
    "Users": [
        {
            # may start automations and pass roles, read trails, nothing else
            "Name": "alice",
            "Policies": [
                allow(
                    "ssm:StartAutomationExecution", "iam:PassRole", "cloudtrail:DescribeTrails", "sts:GetCallerIdentity"
                )
            ],
        },
        # may start automations but pass no role
        {"Name": "bob", "Policies": [allow("ssm:StartAutomationExecution")]},
        # may do nothing at all
        {"Name": "carol"},
    ],
}


@pytest.fixture(scope="module")
def world() -> World:
    return World.from_dict(WORLD)


def api(name: str, service: str, operation: str, **inputs: Any) -> dict[str, Any]:
    step: dict[str, Any] = {
        "name": name,
        "action": "aws:executeAwsApi",
        "inputs": {"Service": service, "Api": operation, **inputs},
    }
    if operation == "GetCallerIdentity":
        step["outputs"] = [{"Name": "Arn", "Selector": "$.Arn", "Type": "String"}]
    return step


def document(*steps: dict[str, Any], assume_role: str | None = "{{ AutomationAssumeRole }}") -> dict[str, Any]:
    data: dict[str, Any] = {
        "schemaVersion": "0.3",
        "description": "test document",
        "parameters": {"AutomationAssumeRole": {"type": "String", "default": ""}},
        "mainSteps": list(steps),
    }
    if assume_role is not None:
        data["assumeRole"] = assume_role
    return data


WHO = document(api("Who", "sts", "GetCallerIdentity"), api("Describe", "cloudtrail", "DescribeTrails"))
STOP = document(api("Stop", "cloudtrail", "StopLogging", Name="main"))


def start_error(doc: dict[str, Any], world: World, role: str, caller: str | None = None) -> SimulationError:
    with pytest.raises(SimulationError) as refused:
        simulate(doc, {"AutomationAssumeRole": role}, world, options=Options(caller=caller))
    return refused.value


# -- the assume role -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [role_arn("Missing"), role_arn("Ec2Only"), role_arn("OtherAccountOnly")],
    ids=["missing", "trusts-ec2-only", "source-account-of-another-account"],
)
def test_a_role_ssm_cannot_assume_stops_the_execution_from_starting(world: World, role: str) -> None:
    error = start_error(WHO, world, role)
    assert error.code == "InvalidAutomationExecutionParametersException"
    assert str(error) == "The defined assume role is unable to be assumed."


def test_a_role_trusting_ssm_for_its_own_account_is_assumed(world: World) -> None:
    """The control for the SourceAccount case: the same condition naming the execution's account is met."""
    result = simulate(WHO, {"AutomationAssumeRole": role_arn("OwnAccountOnly")}, world)
    assert result.status == "Success"
    assert result.steps[0].outputs["Arn"] == session_arn("OwnAccountOnly")


def test_a_role_of_an_account_outside_the_world_cannot_be_passed(world: World) -> None:
    """Decision: iam:PassRole of another account's role is a cross-account request, and an account the world does
    not hold has no side to allow it, so the starter is denied (AWS does not let a role of another account be passed
    to SSM at all; which of the two errors it answers is not documented)."""
    error = start_error(WHO, world, role_arn("Automation", OTHER))
    assert error.code == "AccessDeniedException"
    assert f"iam:PassRole on resource: {role_arn('Automation', OTHER)}" in str(error)


@pytest.mark.parametrize("role", ["Automation", "arn:aws:iam::123:role/Automation", "arn:aws:iam::123456789012:user/a"])
def test_a_malformed_assume_role_arn_is_refused(world: World, role: str) -> None:
    error = start_error(WHO, world, role)
    assert error.code == "InvalidAutomationExecutionParametersException"
    assert str(error) == "The format of the supplied assume role ARN isn't valid."


def test_a_starter_without_pass_role_is_denied_naming_itself_and_the_role(world: World) -> None:
    error = start_error(WHO, world, role_arn("Automation"), caller=f"arn:aws:iam::{ACCOUNT}:user/bob")
    assert error.code == "AccessDeniedException"
    assert str(error) == (
        f"User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: iam:PassRole on resource: "
        f"{role_arn('Automation')} because no identity-based policy allows the iam:PassRole action"
    )
    # alice may pass it: the same start succeeds
    alice = simulate(WHO, {"AutomationAssumeRole": role_arn("Automation")}, world, options=Options(caller=USER))
    assert alice.status == "Success"


def test_a_starter_without_start_automation_execution_is_denied(world: World, tmp_path: Path) -> None:
    """Checked on the automation definition of a named document (a document file is named after it)."""
    path = tmp_path / "Who.json"
    path.write_text(json.dumps(WHO), encoding="utf-8")
    carol = Options(caller=f"arn:aws:iam::{ACCOUNT}:user/carol")
    with pytest.raises(SimulationError) as refused:
        simulate(path, {"AutomationAssumeRole": role_arn("Automation")}, world, options=carol)
    assert refused.value.code == "AccessDeniedException"
    assert str(refused.value) == (
        f"User: arn:aws:iam::{ACCOUNT}:user/carol is not authorized to perform: ssm:StartAutomationExecution on "
        f"resource: arn:aws:ssm:us-east-1:{ACCOUNT}:automation-definition/Who:$DEFAULT because no identity-based "
        "policy allows the ssm:StartAutomationExecution action"
    )


def test_scripts_see_the_assumed_role_session_named_after_the_execution(world: World) -> None:
    script = {
        "name": "Script",
        "action": "aws:executeScript",
        "inputs": {
            "Runtime": "python3.11",
            "Handler": "handler",
            "Script": "import boto3\n\ndef handler(events, context):\n"
            "    return boto3.client('sts').get_caller_identity()['Arn']\n",
        },
        "outputs": [{"Name": "Arn", "Selector": "$.Payload", "Type": "String"}],
    }
    result = simulate(document(script), {"AutomationAssumeRole": role_arn("Automation")}, world)
    assert result.status == "Success"
    assert result.steps[0].outputs["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/Automation/{EXECUTION_ID}"


def test_steps_are_denied_what_the_assume_role_lacks(world: World) -> None:
    result = simulate(STOP, {"AutomationAssumeRole": role_arn("ReadOnly")}, world)
    assert result.status == "Failed"
    assert [(call.operation, call.error) for call in result.calls] == [("StopLogging", "AccessDeniedException")]
    assert f"User: {session_arn('ReadOnly')} is not authorized to perform: cloudtrail:StopLogging" in (
        result.steps[0].failure_message or ""
    )


# -- an AWS-authored runbook ---------------------------------------------------------------------------------

ASR_RUNBOOK = ASR / "source__remediation_runbooks__EnableCloudTrailLogFileValidation.yaml"
"""ASR's copy of AWSConfigRemediation-EnableCloudTrailLogFileValidation: UpdateTrail, then an assertion on GetTrail."""


def asr_run(role: str | None, extra_roles: Sequence[dict[str, Any]] = ()) -> SimulationResult:
    data = yaml.safe_load(ASR_RUNBOOK.read_text(encoding="utf-8"))
    params, base = sample_run(data)
    params["TrailName"] = "main"
    if role is not None:
        params["AutomationAssumeRole"] = role
    world = base.to_dict()
    world["Roles"] = [*world["Roles"], *extra_roles]
    return simulate(data, params, World.from_dict(world))


def test_an_asr_runbook_succeeds_with_an_automation_role() -> None:
    """The control: the runbook in the default world, with a role SSM may assume (AdministratorAccess)."""
    result = asr_run(None)
    assert result.status == "Success"
    assert [(call.operation, call.error) for call in result.calls] == [("UpdateTrail", None), ("GetTrail", None)]


def test_an_asr_runbook_fails_with_a_read_only_automation_role() -> None:
    read_only = {"Name": "ReadOnly", "AssumeRolePolicyDocument": trust(), "AttachedPolicies": [READ_ONLY]}
    result = asr_run(role_arn("ReadOnly"), [read_only])
    assert result.status == "Failed"
    assert [(call.operation, call.error) for call in result.calls] == [("UpdateTrail", "AccessDeniedException")]


@pytest.mark.parametrize("trusting", [None, "ec2.amazonaws.com"], ids=["missing", "trusts-ec2-only"])
def test_an_asr_runbook_does_not_succeed_with_a_role_ssm_cannot_assume(trusting: str | None) -> None:
    extra = [] if trusting is None else [{"Name": "Ec2Role", "AssumeRolePolicyDocument": trust(trusting),
                                          "AttachedPolicies": [ADMIN_ACCESS]}]  # fmt: skip
    with pytest.raises(SimulationError) as refused:
        asr_run(role_arn("Ec2Role" if trusting else "NoSuchRole"), extra)
    assert refused.value.code == "InvalidAutomationExecutionParametersException"
    assert str(refused.value) == "The defined assume role is unable to be assumed."


# -- the starter (--as, Caller) ------------------------------------------------------------------------------

USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
NO_ROLE = document(api("Who", "sts", "GetCallerIdentity"), api("Describe", "cloudtrail", "DescribeTrails"),
                   api("Stop", "cloudtrail", "StopLogging", Name="main"), assume_role=None)  # fmt: skip


def test_without_an_assume_role_a_user_runs_the_steps_with_its_own_policy(world: World) -> None:
    result = simulate(NO_ROLE, {}, world, options=Options(caller=USER))
    assert result.status == "Failed"
    assert [(call.operation, call.error) for call in result.calls] == [
        ("GetCallerIdentity", None),
        ("DescribeTrails", None),
        ("StopLogging", "AccessDeniedException"),
    ]
    assert result.steps[0].outputs["Arn"] == USER
    assert (result.steps[2].failure_message or "").endswith(
        f"User: {USER} is not authorized to perform: cloudtrail:StopLogging on resource: "
        f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main because no identity-based policy allows the "
        "cloudtrail:StopLogging action"
    )


def test_without_an_assume_role_a_role_of_the_world_runs_as_its_session(world: World) -> None:
    """Operator (ReadOnlyAccess plus ssm:StartAutomationExecution) describes but cannot stop."""
    result = simulate(NO_ROLE, {}, world, options=Options(caller=role_arn("Operator")))
    assert result.steps[0].outputs["Arn"] == session_arn("Operator", "runbook-simulate")
    assert [call.error for call in result.calls] == [None, None, "AccessDeniedException"]


def test_the_root_user_may_do_anything(world: World) -> None:
    root = f"arn:aws:iam::{ACCOUNT}:root"
    result = simulate(NO_ROLE, {}, world, options=Options(caller=root))
    assert result.steps[0].outputs["Arn"] == root
    assert [call.error for call in result.calls] == [None, None, "TrailNotFoundException"]  # allowed, then AWS's


def test_the_world_caller_starts_executions(world: World) -> None:
    data = json.loads(json.dumps(WORLD))
    data["Caller"] = USER
    result = simulate(NO_ROLE, {}, World.from_dict(data))
    assert result.steps[0].outputs["Arn"] == USER
    assert [call.error for call in result.calls][-1] == "AccessDeniedException"


def test_no_iam_allows_every_call(world: World) -> None:
    """Options(iam=False): no start checks (an unassumable role is not looked at), every call allowed."""
    result = simulate(STOP, {"AutomationAssumeRole": role_arn("ReadOnly")}, world, options=Options(iam=False))
    assert [(call.operation, call.error) for call in result.calls] == [("StopLogging", "TrailNotFoundException")]
    result = simulate(STOP, {"AutomationAssumeRole": role_arn("Missing")}, world, options=Options(iam=False))
    assert [call.error for call in result.calls] == ["TrailNotFoundException"]
    carol = Options(iam=False, caller=f"arn:aws:iam::{ACCOUNT}:user/carol")
    assert [call.error for call in simulate(NO_ROLE, {}, world, options=carol).calls][1:] == [
        None,
        "TrailNotFoundException",
    ]


# -- child automations ---------------------------------------------------------------------------------------


def test_a_child_automation_runs_as_its_own_assume_role(world: World) -> None:
    """The parent runs as Automation (AdministratorAccess) and may stop logging; its child's document names ReadOnly
    as its assume role, so the child's identical call is denied, naming the child's session."""
    child = document(api("Who", "sts", "GetCallerIdentity"), api("Stop", "cloudtrail", "StopLogging", Name="main"),
                     assume_role=role_arn("ReadOnly"))  # fmt: skip
    parent = document(
        api("ParentStop", "cloudtrail", "StopLogging", Name="main"),
        {"name": "Child", "action": "aws:executeAutomation", "inputs": {"DocumentName": "Child"}},
    )
    parent["mainSteps"][0]["onFailure"] = "Continue"
    options = Options(documents={"Child": child}.get)
    result = simulate(parent, {"AutomationAssumeRole": role_arn("Automation")}, world, options=options)
    assert [(call.operation, call.error) for call in result.calls] == [
        ("StopLogging", "TrailNotFoundException"),  # the parent is allowed; the trail does not exist
        ("GetCallerIdentity", None),
        ("StopLogging", "AccessDeniedException"),
    ]
    assert result.status == "Failed"
    (run,) = result.children
    assert run.status == "Failed" and run.execution_id
    assert (run.failure_message or "").startswith(
        f"AccessDeniedException: User: {session_arn('ReadOnly', run.execution_id)} is not authorized to perform: "
        "cloudtrail:StopLogging"
    )


# -- the command line ----------------------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "simulate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def test_the_command_refuses_a_start_as_ssm_would(tmp_path: Path) -> None:
    """``--as`` a user without iam:PassRole, an unassumable role, a malformed --as: exit 2, one line, no traceback;
    ``--no-iam`` lets the same execution start."""
    (tmp_path / "world.yaml").write_text(yaml.safe_dump(WORLD), encoding="utf-8")
    (tmp_path / "doc.json").write_text(json.dumps(WHO), encoding="utf-8")
    common = [str(tmp_path / "doc.json"), "--world", str(tmp_path / "world.yaml")]
    bob = cli(*common, "--param", f"AutomationAssumeRole={role_arn('Automation')}", "--as",
              f"arn:aws:iam::{ACCOUNT}:user/bob")  # fmt: skip
    assert bob.returncode == 2 and bob.stdout == "" and bob.stderr.count("\n") == 1, bob.stderr
    assert bob.stderr.startswith(f"runbook: User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: "
                                 f"iam:PassRole on resource: {role_arn('Automation')}")  # fmt: skip
    missing = cli(*common, "--param", f"AutomationAssumeRole={role_arn('Missing')}", "--format", "json")
    assert missing.returncode == 2
    error = json.loads(missing.stdout)["error"]
    assert error == {
        "code": "InvalidAutomationExecutionParametersException",
        "message": "The defined assume role is unable to be assumed.",
    }
    malformed = cli(*common, "--param", f"AutomationAssumeRole={role_arn('Automation')}", "--as", "alice")
    assert malformed.returncode == 2 and malformed.stderr.count("\n") == 1 and "Traceback" not in malformed.stderr
    unchecked = cli(*common, "--param", f"AutomationAssumeRole={role_arn('Missing')}", "--no-iam")
    assert unchecked.returncode == 0, unchecked.stderr


# -- the world file's Caller ---------------------------------------------------------------------------------


def test_caller_is_read_and_written_back() -> None:
    data = json.loads(json.dumps(WORLD))
    data["Caller"] = USER
    world = World.from_dict(data)
    written = world.to_dict()
    assert written["Caller"] == USER
    assert World.from_dict(written) == world and World.from_dict(written).to_dict() == written
    assert "Caller" not in World.from_dict(WORLD).to_dict()  # absent stays absent: the default caller


@pytest.mark.parametrize("caller", ["alice", "arn:aws:iam::123:role/Admin", "arn:aws:sts::123456789012:x", 7])
def test_a_bad_caller_is_refused_naming_the_key(caller: object) -> None:
    with pytest.raises(WorldError, match="Caller"):
        World.from_dict({"Caller": caller})


def test_unknown_keys_are_still_refused() -> None:
    with pytest.raises(WorldError, match="Callr"):
        World.from_dict({"Callr": USER})


def test_a_bad_caller_through_the_command_names_file_line_and_key(tmp_path: Path) -> None:
    world = tmp_path / "world.yaml"
    world.write_text("Account: '123456789012'\nCaller: alice\n", encoding="utf-8")
    (tmp_path / "doc.json").write_text(json.dumps(WHO), encoding="utf-8")
    result = cli(str(tmp_path / "doc.json"), "--world", str(world))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{world}:2" in result.stderr and "Caller" in result.stderr
