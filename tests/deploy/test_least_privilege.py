"""Least privilege, shown (issue 15): the deploy template's remediation role, with its trust and policy exactly as
the template generates them (``deployed_role``: intrinsic functions evaluated for the stack), lets the runbook do
everything it does with unlimited rights, in the runbook's representative worlds and in 200 generated worlds; and
every action the role is granted is needed: without it, some world's run fails with an access error naming it.

"Does everything it does with unlimited rights" is exact: the run under the role and the run with permissions not
checked (``Options(iam=False)``) end with the same status, the same steps and the same calls with the same errors.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings

from runbooks.cloudtrail_remediation_action import REPRESENTATIVE_PARAMS, representative_runs
from toolkit.aws.arns import kms_key
from toolkit.deploy.iam import granted
from toolkit.deploy.template import OPTIONAL_STRINGS, deployed_role, pattern_runbook
from toolkit.fakes.default import default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.simulate.result import SimulationResult
from toolkit.testing import worlds_and_params

ROLE = "CloudTrailRemediationRole"
RUNBOOK = pattern_runbook()
ACCESS_ERRORS = (
    "AccessDenied",
    "AccessDeniedException",
    "InsufficientDependencyServiceAccessPermissionException",
    "InsufficientIAMAccessPermissionException",
)


def template_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """The stack parameters under which the template's remediation passes ``params`` to the runbook."""
    organization = params.get("IsOrganizationTrail", True)  # the runbook's default: true
    found = {"IsOrganizationTrail": str(organization).lower()}
    for runbook_name, name in OPTIONAL_STRINGS.items():
        if params.get(runbook_name):
            found[name] = params[runbook_name]
    return found


def key_arn(world: World, key_id: str) -> str:
    """The ARN of the key the stack's remediation passes as ``key_id`` (the stack's own key): the world's key it
    names, else the ARN the request names (as IAM authorizes a key the world does not hold)."""
    region = key_id.split(":")[3] if key_id.startswith("arn:") else world.region
    try:
        arn: str = world.call("kms", "DescribeKey", {"KeyId": key_id}, region=region)["KeyMetadata"]["Arn"]
    except AwsError:
        named = kms_key(key_id, (world.partition, world.region, world.account))
        assert named is not None
        return named
    return arn


def role_of(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """The remediation role the stack creates for ``params`` in ``world``."""
    return deployed_role(
        account=world.account,
        region=world.region,
        partition=world.partition,
        trail_name=params["CloudTrailName"],
        role_name=ROLE,
        parameters=template_parameters(params),
        key_arn=key_arn(world, params["CloudTrailKmsKeyId"]),
    )


def with_role(world: World, params: dict[str, Any], policy: dict[str, Any] | None = None) -> tuple[World, dict]:
    """``world`` holding the remediation role the stack creates for ``params`` (or with ``policy`` instead of its
    generated policy), and ``params`` naming it as AutomationAssumeRole."""
    role = role_of(world, params)
    if policy is not None:
        role["Policies"] = [{"PolicyName": "runbook-least-privilege", "PolicyDocument": policy}]
    data = world.to_dict()
    data["Roles"] = [*(item for item in data["Roles"] if item["Name"] != ROLE), role]
    arn = f"arn:{world.partition}:iam::{world.account}:role/{ROLE}"
    return World.from_dict(data), {**params, "AutomationAssumeRole": arn}


def outcome(result: SimulationResult) -> tuple[Any, ...]:
    steps = [(step.name, step.status, step.failure_message) for step in result.steps]
    calls = [(call.service, call.operation, call.error) for call in result.calls]
    return result.status, steps, calls


def check_role_suffices(world: World, params: dict[str, Any]) -> SimulationResult:
    unlimited = simulate(RUNBOOK, params, world, options=Options(iam=False))
    deployed, role_params = with_role(world, params)
    under_role = simulate(RUNBOOK, role_params, deployed)
    denied = [(call.operation, call.error) for call in under_role.calls if call.error in ACCESS_ERRORS]
    assert not denied, denied
    assert outcome(under_role) == outcome(unlimited)
    return under_role


# -- the role suffices ---------------------------------------------------------------------------------------------


def cloudwatch_world() -> tuple[World, dict[str, Any]]:
    """The default world with a log group and a role CloudTrail may use to write to it: the runbook passes the role
    (iam:PassRole is granted under the template's HasCloudWatchLogsRoleArn)."""
    data = default_data()
    group = "arn:aws:logs:us-east-1:123456789012:log-group:trail-events"
    data["LogGroups"] = [{"Name": "trail-events", "Region": "us-east-1"}]
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                            "Action": "sts:AssumeRole"}]}  # fmt: skip
    writes = {"Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                             "Resource": f"{group}:*"}]}  # fmt: skip
    data["Roles"] = [{"Name": "CloudTrailToLogs", "AssumeRolePolicyDocument": trust, "Policies": [writes]}]
    params = {
        **REPRESENTATIVE_PARAMS,
        "CloudWatchLogsLogGroupArn": f"{group}:*",
        "CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/CloudTrailToLogs",
    }
    return World.from_dict(data), params


def single_account_world() -> tuple[World, dict[str, Any]]:
    """No organization: an account trail (IsOrganizationTrail false); the role has no organization statements."""
    data = default_data()
    data["Organization"] = None
    return World.from_dict(data), {**REPRESENTATIVE_PARAMS, "IsOrganizationTrail": False}


def worlds() -> Iterator[tuple[World, dict[str, Any]]]:
    yield from representative_runs()
    yield cloudwatch_world()
    yield single_account_world()


def test_the_role_suffices_in_the_representative_worlds() -> None:
    statuses = [check_role_suffices(world, params).status for world, params in worlds()]
    assert statuses == ["Success"] * 5


@settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds_and_params())
def test_the_role_suffices_in_200_generated_worlds(case: tuple[World, dict[str, Any]]) -> None:
    world, params = case
    check_role_suffices(world, params)


# -- every granted action is needed ----------------------------------------------------------------------------------


def without(policy: dict[str, Any], action: str) -> dict[str, Any]:
    """``policy`` with ``action`` removed from every statement (a statement left with no action is dropped)."""
    trimmed = copy.deepcopy(policy)
    statements = []
    for statement in trimmed["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        kept = [name for name in actions if name != action]
        if kept:
            statements.append({**statement, "Action": kept})
    trimmed["Statement"] = statements
    return trimmed


def test_removing_any_granted_action_makes_some_world_fail_naming_it() -> None:
    cases = list(worlds())
    actions: set[str] = set()
    for world, params in cases:
        actions |= granted(role_of(world, params)["Policies"][0]["PolicyDocument"])
    assert len(actions) == 17, sorted(actions)
    unneeded = []
    for action in sorted(actions):
        found = False
        for world, params in cases:
            policy = role_of(world, params)["Policies"][0]["PolicyDocument"]
            if action not in granted(policy):
                continue
            deployed, role_params = with_role(world, params, without(policy, action))
            result = simulate(RUNBOOK, role_params, deployed)
            messages = [step.failure_message or "" for step in result.steps]
            if result.status != "Success" and any(action in message for message in messages):
                assert any(call.error in ACCESS_ERRORS for call in result.calls), outcome(result)
                found = True
                break
        if not found:
            unneeded.append(action)
    assert unneeded == [], f"granted but never needed: {unneeded}"


def test_the_scenario_worlds_hold_the_role_as_the_template_creates_it() -> None:
    """scenarios/worlds/*.yaml carry CloudTrailRemediationRole exactly as deployed_role gives it (regenerate them
    from deployed_role when the template's policy changes)."""
    from pathlib import Path

    import yaml

    folder = Path(__file__).resolve().parents[2] / "scenarios" / "worlds"
    stacks = {
        "member-account.yaml": ("member-trail", "false"),
        "organization-trail-elsewhere.yaml": ("org-trail", "true"),
    }
    checked = 0
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        (role,) = [item for item in data.get("Roles", []) if item["Name"] == ROLE]
        trail, organization = stacks.get(path.name, ("main", "true"))
        [key] = [key for key in data["Keys"] if "alias/cloudtrail" in key.get("Aliases", [])]
        arn = f"arn:aws:kms:{key['Region']}:{data['Account']}:key/{key['KeyId']}"
        expected = deployed_role(account=data["Account"], region=data["Region"], trail_name=trail, role_name=ROLE,
                                 parameters={"IsOrganizationTrail": organization}, key_arn=arn,
                                 bucket=f"trail-logs-{data['Account']}")  # fmt: skip
        assert json.loads(json.dumps(role)) == expected, path.name
        checked += 1
    assert checked == 5
