"""The world from the template (issue 16, "What to build" 2): both of the project's templates instantiated in a world
as CloudFormation would create them, the state asserted exactly where it matters, and the pattern shown to work in
that world: the deployed document, run with the deployed remediation's parameters, ends Success, and logging stopped
is turned back on. The CLI: ``runbook world --from-template``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.deploy.instantiate import Deployment, deploy, instantiate
from toolkit.deploy.intrinsics import Physical, Stack
from toolkit.deploy.names import DELIVERY_CHECK_NAME
from toolkit.deploy.organization import REMEDIATION_ROLE_NAME, SCPS, organization_template
from toolkit.deploy.resources.stackset import execution_role_name
from toolkit.deploy.scp import SCP_NAMES, scp_documents
from toolkit.deploy.template import BUCKET, DOCUMENT, KEY, REMEDIATION, ROLE, deployed_role, pattern_runbook, template
from toolkit.fakes.caller import config_remediation_arn, parse_caller
from toolkit.fakes.default import default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.render import to_yaml_text
from toolkit.scenario.file import load_scenario
from toolkit.scenario.run import play
from toolkit.simulate import Options, simulate

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
REGION = "us-east-1"
CONFIG_SERVICE_ROLE = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"

MANAGEMENT = "111122223333"
ROOT = "r-ab12"
WORKLOADS, PROD, SANDBOX = "ou-ab12-11111111", "ou-ab12-22222222", "ou-ab12-33333333"
MEMBERS = {"444455556666": WORKLOADS, "555566667777": PROD, "666677778888": SANDBOX, "777788889999": ROOT}
"""Member accounts and where they sit: Prod is a child OU of Workloads; Sandbox and the root are not targeted."""
STACKSETS = "member.org.stacksets.cloudformation.amazonaws.com"
ARCHIVE = "444455556666"
"""The log-archive account (in Workloads): it holds the central log bucket and key."""
ORG_PARAMS = {
    "OrganizationalUnitIds": WORKLOADS,
    "AdministratorRoleArn": "arn:aws:iam::*:role/OrgAdmin",
    "OrganizationId": "o-a1b2c3d4e5",
    "LogArchiveAccountId": ARCHIVE,
    "CreateConfigRecorder": "false",  # the base world's accounts record with Config already
}
PATTERN_PARAMS = {"TrailName": "main", "CreateConfigRecorder": "false"}
FIVE_RULES = [
    "cloud-trail-encryption-enabled",
    "cloud-trail-log-file-validation-enabled",
    "cloudtrail-enabled",
    "cloudtrail-security-trail-enabled",
    "multi-region-cloudtrail-enabled",
]
"""The single-account stack in a world that records with Config already (one recorder a Region)."""


def recorder(account: str) -> list[dict[str, Any]]:
    """A configuration recorder (Config rules need one in the region), with Config's service-linked role."""
    return [{"Name": "default", "RoleARN": f"arn:aws:iam::{account}:{CONFIG_SERVICE_ROLE}"}]


def pattern_base() -> World:
    """The default world (trail main, stopped) with AWS Config recording."""
    data = default_data()
    data["ConfigurationRecorders"] = recorder(ACCOUNT)
    return World.from_dict(data)


def admin(name: str = "Admin") -> dict[str, Any]:
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
    return {"Name": name, "AssumeRolePolicyDocument": trust, "AttachedPolicies": [ADMIN_ACCESS]}


def organization_base(trusted: bool = True) -> World:
    """The management account (the world's own) of an organization with OUs Workloads (and its child Prod) and
    Sandbox; each member account records with Config and has an Admin role and a logging trail."""
    services = ["cloudtrail.amazonaws.com", *([STACKSETS] if trusted else [])]
    trail = {"Name": "main", "S3BucketName": "logs", "IsLogging": True}
    return World.from_dict(
        {
            "Account": MANAGEMENT,
            "Organization": {
                "Id": "o-a1b2c3d4e5",
                "ManagementAccount": MANAGEMENT,
                "FeatureSet": "ALL",
                "Root": ROOT,
                "TrustedServices": services,
                "OrganizationalUnits": [
                    {"Id": WORKLOADS, "Name": "Workloads", "Parent": ROOT},
                    {"Id": PROD, "Name": "Prod", "Parent": WORKLOADS},
                    {"Id": SANDBOX, "Name": "Sandbox", "Parent": ROOT},
                ],
                "Accounts": [{"Id": account, "Parent": parent} for account, parent in MEMBERS.items()],
            },
            "ConfigurationRecorders": recorder(MANAGEMENT),
            "Accounts": {
                account: {"ConfigurationRecorders": recorder(account), "Roles": [admin()], "Trails": [trail]}
                for account in MEMBERS
            },
        }
    )


@pytest.fixture(scope="module")
def pattern_template() -> dict[str, Any]:
    return template()


@pytest.fixture(scope="module")
def org_template() -> dict[str, Any]:
    return organization_template()


@pytest.fixture(scope="module")
def pattern(pattern_template: dict[str, Any]) -> Deployment:
    return deploy(pattern_template, PATTERN_PARAMS, pattern_base())


@pytest.fixture(scope="module")
def organization(org_template: dict[str, Any]) -> Deployment:
    return deploy(org_template, ORG_PARAMS, organization_base())


def physical(deployment: Deployment, stack: int = 0) -> dict[str, Physical]:
    return {item.logical_id: Physical(item.physical_id, item.attributes) for item in deployment.stacks[stack].resources}


def resolved(deployment: Deployment, data: dict[str, Any], logical_id: str, key: str, stack: int = 0) -> Any:
    """A template resource's property as the stack evaluated it (the created resources' ids and attributes)."""
    record = deployment.stacks[stack]
    evaluator = Stack(
        data,
        PATTERN_PARAMS,
        account=record.account,
        region=record.region,
        stack_name=record.name,
        physical=physical(deployment, stack),
    )
    return evaluator.resolve(data["Resources"][logical_id]["Properties"][key])


def role_entry(world: World, account: str | None, name: str) -> dict[str, Any]:
    """A role as the world file writes it, without CreateDate (when it was made)."""
    data = world.to_dict()
    roles = data["Roles"] if account is None else data["Accounts"][account]["Roles"]
    (entry,) = [role for role in roles if role["Name"] == name]
    return {key: value for key, value in entry.items() if key != "CreateDate"}


def normalized(entry: dict[str, Any]) -> dict[str, Any]:
    """A world file's role entry with every key written, as the world writes it (without CreateDate)."""
    world = World.from_dict({"Roles": [entry]})
    return role_entry(world, None, entry["Name"])


# -- the single-account template ---------------------------------------------------------------------------------


def test_the_pattern_template_creates_its_resources_in_dependency_order(pattern: Deployment) -> None:
    (stack,) = pattern.stacks
    assert (stack.name, stack.account, stack.region) == ("cloudtrail-remediation", ACCOUNT, REGION)
    assert stack.principal == f"arn:aws:iam::{ACCOUNT}:role/Admin"
    order = [item.logical_id for item in stack.resources]
    assert order.index(BUCKET) < order.index(f"{BUCKET}Policy") < order.index(REMEDIATION)
    assert order.index(KEY) < order.index(REMEDIATION) and order.index(ROLE) < order.index(REMEDIATION)
    assert order.index(DOCUMENT) < order.index(REMEDIATION)
    assert stack.outputs["LogBucketName"] == physical(pattern)[BUCKET].id


def test_the_log_bucket_and_its_policy(pattern: Deployment, pattern_template: dict[str, Any]) -> None:
    world, bucket = pattern.world, physical(pattern)[BUCKET].id
    assert bucket == f"cloudtrail-logs-{ACCOUNT}-{REGION}"  # the name the SCP protects
    properties = pattern_template["Resources"][BUCKET]["Properties"]
    assert world.call("s3", "GetBucketVersioning", {"Bucket": bucket})["Status"] == "Enabled"
    block = world.call("s3", "GetPublicAccessBlock", {"Bucket": bucket})["PublicAccessBlockConfiguration"]
    assert block == properties["PublicAccessBlockConfiguration"]
    rules = world.call("s3", "GetBucketEncryption", {"Bucket": bucket})["ServerSideEncryptionConfiguration"]["Rules"]
    assert [rule["ApplyServerSideEncryptionByDefault"] for rule in rules] == [{"SSEAlgorithm": "AES256"}]
    ownership = world.call("s3", "GetBucketOwnershipControls", {"Bucket": bucket})["OwnershipControls"]
    assert ownership == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    policy = json.loads(world.call("s3", "GetBucketPolicy", {"Bucket": bucket})["Policy"])
    assert policy == resolved(pattern, pattern_template, f"{BUCKET}Policy", "PolicyDocument")
    statements = {statement["Sid"]: statement for statement in policy["Statement"]}
    assert set(statements) == {  # no organization statement, no administrators' deny without AdministratorRoleArn
        "DenyInsecureTransport",
        "AWSCloudTrailAclCheck",
        "AWSCloudTrailWrite",
        "AWSConfigBucketCheck",
        "AWSConfigWrite",
    }
    write = statements["AWSCloudTrailWrite"]
    assert write["Resource"] == f"arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/*"
    assert write["Condition"]["StringEquals"]["aws:SourceArn"] == f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/main"


def test_the_key_and_its_policy(pattern: Deployment, pattern_template: dict[str, Any]) -> None:
    world, key = pattern.world, physical(pattern)[KEY]
    assert key.attributes["Arn"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key.id}"
    text = world.call("kms", "GetKeyPolicy", {"KeyId": key.id, "PolicyName": "default"})["Policy"]
    assert json.loads(text) == resolved(pattern, pattern_template, KEY, "KeyPolicy")
    assert world.call("kms", "GetKeyRotationStatus", {"KeyId": key.id})["KeyRotationEnabled"] is True
    metadata = world.call("kms", "DescribeKey", {"KeyId": key.id})["KeyMetadata"]
    assert (metadata["Description"], metadata["KeyState"]) == ("Encrypts CloudTrail log files", "Enabled")


def test_the_role_is_exactly_the_one_deployed_role_gives(pattern: Deployment) -> None:
    name = physical(pattern)[ROLE].id
    assert name.startswith("cloudtrail-remediation-AutomationRole-") and len(name) <= 64
    key = physical(pattern)[KEY].attributes["Arn"]
    bucket = physical(pattern)[BUCKET].id
    expected = deployed_role(account=ACCOUNT, region=REGION, trail_name="main", key_arn=key, bucket=bucket)
    assert expected["Name"] == name
    assert role_entry(pattern.world, None, name) == normalized(expected)


def test_the_document_is_the_built_runbook(pattern: Deployment) -> None:
    name = physical(pattern)[DOCUMENT].id
    got = pattern.world.call("ssm", "GetDocument", {"Name": name, "DocumentFormat": "YAML"})
    assert (got["DocumentType"], got["DocumentFormat"]) == ("Automation", "YAML")
    assert got["Content"] == to_yaml_text(pattern_runbook().data)
    built = (REPO / "tests" / "golden" / "cloudtrail-remediation-action.yaml").read_text(encoding="utf-8")
    assert got["Content"] == built


def test_the_config_rule_and_remediation_with_parameters_resolved(pattern: Deployment) -> None:
    world, made = pattern.world, physical(pattern)
    rules = {rule["ConfigRuleName"]: rule for rule in world.call("config", "DescribeConfigRules", {})["ConfigRules"]}
    assert len(rules) == 5
    rule = rules["cloudtrail-enabled"]
    assert rule["Source"]["SourceIdentifier"] == "CLOUD_TRAIL_ENABLED"
    assert rule["MaximumExecutionFrequency"] == "One_Hour"
    (remediation,) = world.call(
        "config", "DescribeRemediationConfigurations", {"ConfigRuleNames": ["cloudtrail-enabled"]}
    )["RemediationConfigurations"]
    assert made[REMEDIATION].id == remediation["Arn"]
    assert (remediation["TargetId"], remediation["TargetVersion"]) == (made[DOCUMENT].id, "$DEFAULT")
    assert (remediation["Automatic"], remediation["MaximumAutomaticAttempts"], remediation["RetryAttemptSeconds"]) == (
        True,
        5,
        60,
    )
    values = {name: entry["StaticValue"]["Values"] for name, entry in remediation["Parameters"].items()}
    assert values == {
        "CloudTrailName": ["main"],
        "CloudTrailS3BucketName": [made[BUCKET].id],
        "CloudTrailKmsKeyId": [made[KEY].attributes["Arn"]],
        "AutomationAssumeRole": [made[ROLE].attributes["Arn"]],
        "IsOrganizationTrail": ["false"],
        "IsMultiRegionTrail": ["true"],
        "IncludeGlobalServiceEvents": ["true"],
        "EnableLogFileValidation": ["true"],
    }


def deployed_document(deployment: Deployment, stack: int = 0) -> dict[str, Any]:
    record = deployment.stacks[stack]
    world = (
        deployment.world if record.account == deployment.world.account else deployment.world.accounts[record.account]
    )
    document = world.ssm.documents[(record.region, physical(deployment, stack)[DOCUMENT].id)]
    data: dict[str, Any] = yaml.safe_load(document.versions[-1].content)
    return data


def test_the_deployed_document_with_the_remediations_parameters_ends_success(pattern: Deployment) -> None:
    """As AWS Config starts it: its service-linked role starts the document; the document assumes the template's
    role, whose least-privilege policy must let the runbook do everything."""
    world = pattern.world
    configuration = world.config.remediations[(REGION, "cloudtrail-enabled")]
    texts = configuration.execution_parameters(ACCOUNT)
    params: dict[str, Any] = {name: values[0] for name, values in texts.items()}
    for flag in ("IsOrganizationTrail", "IsMultiRegionTrail", "IncludeGlobalServiceEvents", "EnableLogFileValidation"):
        params[flag] = params[flag] == "true"
    options = Options(caller=config_remediation_arn("aws", ACCOUNT))
    result = simulate(deployed_document(pattern), params, world, options=options)
    assert result.status == "Success", [(step.name, step.failure_message) for step in result.steps]
    assert result.world is not None
    status = result.world.call("cloudtrail", "GetTrailStatus", {"Name": "main"})
    assert status["IsLogging"] is True
    trail = result.world.call("cloudtrail", "GetTrail", {"Name": "main"})["Trail"]
    assert trail["S3BucketName"] == physical(pattern)[BUCKET].id
    assert trail["KmsKeyId"] == physical(pattern)[KEY].attributes["Arn"]


def test_logging_stopped_in_the_world_from_the_template_is_turned_back_on(pattern: Deployment, tmp_path: Path) -> None:
    """The scenario loop on the deployed rule, remediation and document (the scenario names none: the loop runs the
    world's): StopLogging, NON_COMPLIANT, remediation (as Config's service-linked role, assuming the template's
    role), COMPLIANT again."""
    (tmp_path / "world.json").write_text(json.dumps(pattern.world.to_dict()), encoding="utf-8")
    scenario = {
        "description": "logging stopped is turned back on",
        "world": "world.json",
        "events": [
            {"at": 0, "call": {"service": "cloudtrail", "operation": "StopLogging", "params": {"Name": "main"}}}
        ],
        "duration": 7200,
        "evaluate_after_events": False,
        "expect": {
            "final_compliance": "COMPLIANT",
            "remediation_exception": False,
            "remediations": ["SUCCEEDED"] * 5,  # each of the five rules finds the stopped trail
            "trails": {"main": {"IsLogging": True, "IsMultiRegionTrail": True}},
        },
    }
    (tmp_path / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
    report = play(load_scenario(tmp_path / "scenario.json"))
    assert report.expectations_met, report.data["unmet"]
    assert [event["error"] for event in report.data["events"]] == [None]
    assert sorted(entry["rule"] for entry in report.data["remediations"]) == sorted(FIVE_RULES)


def test_the_base_world_is_not_changed_and_the_same_inputs_give_the_same_world(
    pattern_template: dict[str, Any],
) -> None:
    base = pattern_base()
    before = base.to_dict()
    first = instantiate(pattern_template, PATTERN_PARAMS, base)
    assert base.to_dict() == before
    assert instantiate(pattern_template, PATTERN_PARAMS, pattern_base()) == first


def test_the_scenario_worlds_hold_the_role_a_world_from_the_template_holds(pattern_template: dict[str, Any]) -> None:
    """scenarios/worlds/*.yaml were written by hand to hold the template's role: a world made from the template
    (the hand-written role left out) holds the very same role. A template with a fixed role name is the member
    template a StackSet deploys, so its stack is created by a ``stacksets-exec-*`` role (its keys' administrator:
    the KMS lockout check refuses any other creator)."""
    name = "CloudTrailRemediationRole"
    named = template(role_name=name)
    executor = admin("stacksets-exec-scenarios")
    stacks = {
        "member-account.yaml": ("member-trail", "false"),
        "organization-trail-elsewhere.yaml": ("org-trail", "true"),
    }
    checked = 0
    for path in sorted((REPO / "scenarios" / "worlds").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        trail, organization = stacks.get(path.name, ("main", "true"))
        hand_written = role_entry(World.from_dict(data), None, name)
        data["Roles"] = [role for role in data["Roles"] if role["Name"] != name] + [executor]
        data.setdefault("ConfigurationRecorders", recorder(data["Account"]))
        parameters = {"TrailName": trail, "IsOrganizationTrail": organization, "CreateConfigRecorder": "false"}
        if organization == "true":
            parameters["OrganizationId"] = data["Organization"]["Id"]
        caller = f"arn:aws:iam::{data['Account']}:role/{executor['Name']}"
        deployment = deploy(named, parameters, World.from_dict(data), caller=caller)
        # the differences: the role describes the stack's own trail key and locates the stack's own log bucket, the
        # hand-written one the world's key and bucket
        made_key = physical(deployment)[KEY].attributes["Arn"]
        world_key = f"arn:aws:kms:{data['Region']}:{data['Account']}:key/{data['Keys'][0]['KeyId']}"
        made_bucket = physical(deployment)[BUCKET].attributes["Arn"]
        world_bucket = f"arn:aws:s3:::trail-logs-{data['Account']}"
        text = json.dumps(role_entry(deployment.world, None, name))
        made = json.loads(text.replace(made_key, world_key).replace(made_bucket, world_bucket))
        assert made == hand_written, path.name
        checked += 1
    assert checked == 5


# -- the organization template -----------------------------------------------------------------------------------


def test_the_scp_is_created_and_attached_to_the_targeted_ous(organization: Deployment) -> None:
    world = organization.world
    made = physical(organization)
    stack = Stack(organization_template(), ORG_PARAMS, account=MANAGEMENT, region=REGION)
    listed = world.call(
        "organizations", "ListPoliciesForTarget", {"TargetId": WORKLOADS, "Filter": "SERVICE_CONTROL_POLICY"}
    )
    for logical_id, name, document in zip(SCPS, SCP_NAMES, scp_documents(), strict=True):
        policy_id = made[logical_id].id
        (scp,) = [policy for policy in world.organization.to_dict()["Policies"] if policy["Id"] == policy_id]
        assert (scp["Name"], scp["Type"], scp["Targets"]) == (name, "SERVICE_CONTROL_POLICY", [WORKLOADS])
        assert scp["Content"] == stack.resolve(document)
        assert policy_id in [item["Id"] for item in listed["Policies"]]
    # the SCP binds the members' calls at once: a member administrator may no longer stop logging
    member = world.backend().elsewhere("555566667777", REGION)
    assert member is not None
    with pytest.raises(AwsError) as denied:
        member.acting_as(parse_caller("arn:aws:iam::555566667777:role/Admin")).call(
            "cloudtrail", "StopLogging", {"Name": "main"}
        )
    assert denied.value.code == "AccessDeniedException" and "service control policy" in denied.value.message


def test_the_stackset_instances_are_in_exactly_the_accounts_under_the_targeted_ous(organization: Deployment) -> None:
    """Workloads' account and its child OU Prod's, never the management account, Sandbox's or the root's."""
    instances = [stack for stack in organization.stacks if stack.parent == "RemediationStackSet"]
    assert [(stack.account, stack.region) for stack in instances] == [
        ("444455556666", REGION),
        ("555566667777", REGION),
    ]
    world = organization.world
    exec_role = execution_role_name(world.organization)
    for stack in instances:
        assert stack.name.startswith("StackSet-cloudtrail-remediation-")
        assert stack.principal == f"arn:aws:iam::{stack.account}:role/{exec_role}"
        expected = deployed_role(
            account=stack.account,
            region=REGION,
            trail_name="management-events",
            role_name=REMEDIATION_ROLE_NAME,
            parameters={"IsOrganizationTrail": "false", "LogArchiveAccountId": ARCHIVE},
            key_arn=f"arn:aws:kms:{REGION}:{ARCHIVE}:key/*",  # the central key, of the log-archive account
        )
        assert role_entry(world, stack.account, REMEDIATION_ROLE_NAME) == normalized(expected)
        member = world.accounts[stack.account]
        assert sorted(member.config.rules) == [(REGION, rule) for rule in FIVE_RULES]
        made = physical(organization, organization.stacks.index(stack))
        # the remediation document of this stack, the delivery check of the alarm StackSet's
        assert sorted(key[1] for key in member.ssm.documents) == sorted([made[DOCUMENT].id, DELIVERY_CHECK_NAME])
        executor = role_entry(world, stack.account, exec_role)
        assert executor["AttachedPolicies"] == [ADMIN_ACCESS]
        principal = executor["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"]
        assert principal.endswith(
            ":role/aws-service-role/stacksets.cloudformation.amazonaws.com/"
            "AWSServiceRoleForCloudFormationStackSetsOrgAdmin"
        )
    for account in (MANAGEMENT, "666677778888", "777788889999"):
        state = world if account == MANAGEMENT else world.accounts[account]
        assert REMEDIATION_ROLE_NAME not in state.roles and not state.config.rules, account
        assert exec_role not in state.roles


def test_a_stack_instance_runs_its_remediation_in_the_member_account(organization: Deployment) -> None:
    """The member's deployed document, with its remediation's parameters, makes the member's own trail best
    practice (the template's TrailName default: management-events)."""
    index = next(
        i
        for i, stack in enumerate(organization.stacks)
        if stack.account == "444455556666" and stack.parent == "RemediationStackSet"
    )
    member = organization.world.accounts["444455556666"]
    configuration = member.config.remediations[(REGION, "cloudtrail-enabled")]
    document = deployed_document(organization, index)
    declared = document["parameters"]
    params: dict[str, Any] = {
        name: values if declared[name]["type"] == "StringList" else values[0]
        for name, values in configuration.execution_parameters("444455556666").items()
    }
    assert params["AllowedLogAccountIds"] == [ARCHIVE]  # the central bucket and key are allowed, nothing else
    for flag in ("IsOrganizationTrail", "IsMultiRegionTrail", "IncludeGlobalServiceEvents", "EnableLogFileValidation"):
        params[flag] = params[flag] == "true"
    options = Options(caller=config_remediation_arn("aws", "444455556666"))
    world = seen_from(organization.world, "444455556666")
    result = simulate(document, params, world, options=options)
    assert result.status == "Success", [(step.name, step.failure_message) for step in result.steps]


def seen_from(world: World, account: str) -> World:
    """The same world with ``account`` as its own (where executions run)."""
    data = world.to_dict()
    sections = data["Accounts"].pop(account)
    own = {key: data.pop(key) for key in sections}
    data["Accounts"][data["Account"]] = own
    return World.from_dict({**data, **sections, "Account": account})


def test_the_organization_world_round_trips_through_its_file(organization: Deployment, tmp_path: Path) -> None:
    for name in ("world.yaml", "world.json"):
        organization.world.dump(tmp_path / name)
        assert World.load(tmp_path / name) == organization.world


# -- the command -------------------------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "world", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        check=False,
    )


TINY = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"Env": {"Type": "String", "AllowedValues": ["dev", "prod"], "Default": "dev"}},
    "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    "Resources": {
        "Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "logs-${AWS::AccountId}-${Env}"}}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": {"Fn::Sub": "for ${Logs}"}}},
        "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/logs", "TargetKeyId": {"Ref": "Key"}}},
        "Extra": {"Type": "AWS::SNS::Topic", "Condition": "IsProd", "Properties": {}},
    },
    "Outputs": {"KeyArn": {"Value": {"Fn::GetAtt": ["Key", "Arn"]}}},
}


def test_the_command_writes_the_world_and_says_what_it_created(
    tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    result = run_cli("--from-template", "tiny.yaml", "--param", "Env=dev", "--out", "world.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    golden("cli/world.txt", result.stdout)
    written = World.load(tmp_path / "world.yaml")
    assert written == instantiate(TINY, {"Env": "dev"})
    assert "logs-123456789012-dev" in written.buckets
    again = run_cli("--from-template", "tiny.yaml", "--out", "world.json", "--format", "json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert [item["logical_id"] for item in data["stacks"][0]["resources"]] == ["Logs", "Key", "Alias"]
    assert data["stacks"][0]["skipped"] == ["Extra"]
    assert World.load(tmp_path / "world.json") == written


@pytest.mark.parametrize(
    ("change", "args", "message"),
    [
        (
            {"Resources": {"Box": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1"}}}},
            (),
            "Box (AWS::EC2::Instance): resource type AWS::EC2::Instance cannot be instantiated",
        ),
        ({}, ("--param", "Env=test"), "Parameter 'Env' must be one of AllowedValues"),
        ({}, ("--param", "Stage=dev"), "Parameters: [Stage] do not exist in the template"),
        ({}, ("--param", "Env"), "--param 'Env' must be NAME=VALUE"),
    ],
)
def test_the_command_exits_2_naming_what_is_at_fault(
    tmp_path: Path, change: dict[str, Any], args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "t.json").write_text(json.dumps({**TINY, **change}), encoding="utf-8")
    result = run_cli("--from-template", "t.json", *args, "--out", "w.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "w.yaml").exists()


def test_the_command_needs_out_and_a_template(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(json.dumps(TINY), encoding="utf-8")
    missing_out = run_cli("--from-template", "t.json", cwd=tmp_path)
    assert missing_out.returncode == 2 and "--out" in missing_out.stderr
    missing_file = run_cli("--from-template", "absent.yaml", "--out", "w.yaml", cwd=tmp_path)
    assert missing_file.returncode == 2 and "absent.yaml" in missing_file.stderr
    bad_suffix = run_cli("--from-template", "t.json", "--out", "w.txt", cwd=tmp_path)
    assert bad_suffix.returncode == 2 and "w.txt" in bad_suffix.stderr


def test_the_command_names_an_aws_error_while_creating(tmp_path: Path) -> None:
    """The project's template in the default world, created by the world's Admin role while the parameters make
    another role the keys' administrator: KMS's lockout safety check refuses the first key as AWS refuses it (the
    creator could not change the key policy later), and the error names the template, the stack, the resource and
    AWS's error."""
    subprocess.run(
        [sys.executable, "-m", "toolkit", "template", "--out", str(tmp_path / "t.yaml")],
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    other = "AdministratorRoleArn=arn:aws:iam::123456789012:role/KeyAdministrators"
    result = run_cli("--from-template", "t.yaml", "--param", other, "--out", "w.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("runbook: t.yaml: stack cloudtrail-remediation in 123456789012 us-east-1: ")
    assert "AlarmKey (AWS::KMS::Key): kms CreateKey failed: MalformedPolicyDocumentException" in result.stderr
    assert "will not allow you to update the key policy in the future" in result.stderr
    assert not (tmp_path / "w.yaml").exists()
