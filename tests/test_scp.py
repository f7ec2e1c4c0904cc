"""Service control policies as AWS applies them (shared/spec/iam.md §7, §5.2; issues 15 and 16): the project's SCPs
(``toolkit.deploy.scp``, as the organization template creates them) attached to an OU deny a member account's
administrator every protected action (the trail, the pattern's roles (creating one of an exempt-looking name
included), the keys' aliases, the log buckets, AWS Config, the documents, the stack instances, the alarm), made
through the simulator's IAM (World, FakeBackend, toolkit/fakes/access.py), while the management account, the roles
the SCPs exempt and service-linked roles are not restricted; and an allow-list (FullAWSAccess detached from an OU)
denies what it does not list, implicitly.

Decision where AWS is silent: an SCP denial for want of an Allow (allow-list) is reported here as AWS's implicit form,
``because no service control policy allows ...``; iam.md §5.2 notes that AWS sometimes words it "with an explicit
deny" anyway; the simulator keeps the two apart so that tests can tell them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from toolkit.deploy.intrinsics import Stack
from toolkit.deploy.names import (
    ALARM_TOPIC_NAME,
    DELIVERY_CHECK_NAME,
    DELIVERY_CHECK_ROLE_NAME,
    DOCUMENT_NAME,
    FAILED_RULE_NAME,
    KEY_ALIAS,
    REMEDIATION_ROLE_NAME,
    SCHEDULER_ROLE_NAME,
)
from toolkit.deploy.organization import SCPS, organization_template
from toolkit.deploy.scp import (
    PROTECTED_CONFIG_ACTIONS,
    PROTECTED_KEY_ACTIONS,
    PROTECTED_ROLE_ACTIONS,
    PROTECTED_TRAIL_ACTIONS,
    scp_documents,
)
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.simulate import simulate
from toolkit.simulate.run import EXECUTION_ID

MANAGEMENT = "111122223333"
MEMBER = "444455556666"
ARCHIVE = "777788889999"
ORG = "o-a1b2c3d4e5"
ROOT = "r-ab12"
WORKLOADS = "ou-ab12-11111111"
ADMINISTRATOR = "OrgAdmin"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
TRUST_SSM = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TRUST_ACCOUNT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MEMBER}:root"}, "Action": "sts:AssumeRole"}],
}
TRAIL = {"Name": "main", "S3BucketName": "logs", "IsLogging": True}
BUCKET = f"cloudtrail-logs-{MEMBER}-us-east-1"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
STACK = f"arn:aws:cloudformation:us-east-1:{MEMBER}:stack/StackSet-cloudtrail-remediation-0a1b/4c5d6e7f-0000-1111"
SERVICE_LINKED = ("AWSServiceRoleForCloudTrail", "/aws-service-role/cloudtrail.amazonaws.com/")
SCP_DENIAL = "with an explicit deny in a service control policy"


def project_scps() -> list[dict[str, Any]]:
    """The project's SCPs as CloudFormation creates them (intrinsics resolved): the administrators' role is
    OrgAdmin in every account."""
    stack = Stack(
        organization_template(),
        {
            "OrganizationalUnitIds": [WORKLOADS],
            "AdministratorRoleArn": f"arn:aws:iam::*:role/{ADMINISTRATOR}",
            "OrganizationId": ORG,
            "LogArchiveAccountId": ARCHIVE,
        },
        account=MANAGEMENT,
        region="us-east-1",
    )
    resolved: list[dict[str, Any]] = [stack.resolve(document) for document in scp_documents()]
    return resolved


def admin_role(name: str, path: str = "/", trust: dict[str, Any] = TRUST_SSM) -> dict[str, Any]:
    return {"Name": name, "Path": path, "AssumeRolePolicyDocument": trust, "AttachedPolicies": [ADMIN_ACCESS]}


def scp_entries() -> list[dict[str, Any]]:
    return [
        {"Name": name, "Content": content, "Targets": [WORKLOADS]}
        for name, content in zip(SCPS, project_scps(), strict=True)
    ]


def org_world(policies: list[dict[str, Any]] | None = None) -> World:
    """The member account (the world's own) in OU Workloads, the management account among ``Accounts``; both hold
    an Admin role with AdministratorAccess, the SCPs' exempt roles, a service-linked role, a logging trail, the
    log bucket and the trail key (alias/cloudtrail-logs)."""
    roles = [
        admin_role("Admin"),
        admin_role(REMEDIATION_ROLE_NAME),
        admin_role(DELIVERY_CHECK_ROLE_NAME),
        admin_role(SCHEDULER_ROLE_NAME),
        admin_role(ADMINISTRATOR, trust=TRUST_ACCOUNT),
        admin_role("stacksets-exec-0123456789abcdef"),
        admin_role(*SERVICE_LINKED),
    ]
    key = {"KeyId": KEY_ID, "Region": "us-east-1", "Aliases": [KEY_ALIAS]}
    bucket = {"Name": BUCKET, "Region": "us-east-1"}
    return World.from_dict(
        {
            "Account": MEMBER,
            "Organization": {
                "Id": ORG,
                "ManagementAccount": MANAGEMENT,
                "FeatureSet": "ALL",
                "Root": ROOT,
                "OrganizationalUnits": [{"Id": WORKLOADS, "Name": "Workloads", "Parent": ROOT}],
                "Accounts": [{"Id": MEMBER, "Parent": WORKLOADS}],
                "Policies": scp_entries() if policies is None else policies,
            },
            "Roles": roles,
            "Trails": [TRAIL],
            "Keys": [key],
            "Buckets": [bucket],
            "Accounts": {MANAGEMENT: {"Roles": roles, "Trails": [TRAIL], "Keys": [key]}},
        }
    )


def call_as(
    world: World, account: str, role: str, service: str, operation: str, params: dict[str, Any], path: str = "/"
) -> dict[str, Any]:
    """One call in ``account`` as a session of ``role`` of that account."""
    caller = parse_caller(f"arn:aws:iam::{account}:role{path}{role}")
    backend = world.backend().elsewhere(account, "us-east-1")
    assert backend is not None and caller is not None
    return backend.acting_as(caller).call(service, operation, params)


def stop_logging(world: World, account: str, role: str, path: str = "/") -> dict[str, Any]:
    return call_as(world, account, role, "cloudtrail", "StopLogging", {"Name": "main"}, path)


def denied_by_scp(world: World, role: str, service: str, operation: str, params: dict[str, Any]) -> str:
    """The denial message of the call made by ``role`` of the member account (fails unless an SCP denies it)."""
    with pytest.raises(AwsError) as denied:
        call_as(world, MEMBER, role, service, operation, params)
    assert SCP_DENIAL in denied.value.message, denied.value.message
    return denied.value.message


def not_denied_by_scp(world: World, account: str, role: str, service: str, operation: str, params: dict[str, Any],
                      path: str = "/") -> None:  # fmt: skip
    """The call may fail (the fakes may not hold what it names), but never because of an SCP."""
    try:
        call_as(world, account, role, service, operation, params, path)
    except AwsError as error:
        assert "service control polic" not in error.message, error.message
        assert error.code != "CannotEvaluatePolicy", error.message


TRUST_TEXT = json.dumps(TRUST_SSM)
TRUST_ACCOUNT_TEXT = json.dumps(TRUST_ACCOUNT)
POLICY_TEXT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
MANAGED_SOURCE = {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}
ACCOUNT_KEY = [{"ResourceType": "AWS::::Account", "ResourceId": MEMBER}]
EVENT_SELECTORS = [{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}]

PROTECTED_CALLS: list[tuple[str, str, dict[str, Any]]] = [
    # the trail
    ("cloudtrail", "StopLogging", {"Name": "main"}),
    ("cloudtrail", "DeleteTrail", {"Name": "main"}),
    ("cloudtrail", "UpdateTrail", {"Name": "main", "IsMultiRegionTrail": False}),
    ("cloudtrail", "PutEventSelectors", {"TrailName": "main", "EventSelectors": EVENT_SELECTORS}),
    ("cloudtrail", "PutInsightSelectors", {"TrailName": "main", "InsightSelectors": []}),
    # roles of exempt-looking names: creating one, and taking over the existing ones
    ("iam", "CreateRole", {"RoleName": "stacksets-exec-attacker", "AssumeRolePolicyDocument": TRUST_TEXT}),
    ("iam", "CreateRole", {"RoleName": DELIVERY_CHECK_ROLE_NAME, "AssumeRolePolicyDocument": TRUST_TEXT}),
    ("iam", "UpdateAssumeRolePolicy", {"RoleName": REMEDIATION_ROLE_NAME, "PolicyDocument": TRUST_TEXT}),
    ("iam", "PutRolePolicy", {"RoleName": REMEDIATION_ROLE_NAME, "PolicyName": "x", "PolicyDocument": POLICY_TEXT}),
    ("iam", "AttachRolePolicy", {"RoleName": "stacksets-exec-0123456789abcdef", "PolicyArn": ADMIN_ACCESS}),
    ("iam", "DetachRolePolicy", {"RoleName": ADMINISTRATOR, "PolicyArn": ADMIN_ACCESS}),
    ("iam", "DeleteRolePolicy", {"RoleName": REMEDIATION_ROLE_NAME, "PolicyName": "x"}),
    ("iam", "PutRolePermissionsBoundary", {"RoleName": REMEDIATION_ROLE_NAME, "PermissionsBoundary": ADMIN_ACCESS}),
    ("iam", "DeleteRolePermissionsBoundary", {"RoleName": REMEDIATION_ROLE_NAME}),
    ("iam", "TagRole", {"RoleName": REMEDIATION_ROLE_NAME, "Tags": [{"Key": "k", "Value": "v"}]}),
    ("iam", "UntagRole", {"RoleName": REMEDIATION_ROLE_NAME, "TagKeys": ["k"]}),
    ("iam", "UpdateRole", {"RoleName": REMEDIATION_ROLE_NAME, "MaxSessionDuration": 7200}),
    ("iam", "UpdateRoleDescription", {"RoleName": REMEDIATION_ROLE_NAME, "Description": "mine now"}),
    ("iam", "DeleteRole", {"RoleName": REMEDIATION_ROLE_NAME}),
    ("sts", "AssumeRole", {"RoleArn": f"arn:aws:iam::{MEMBER}:role/{ADMINISTRATOR}", "RoleSessionName": "x"}),
    # the keys' aliases
    ("kms", "CreateAlias", {"AliasName": KEY_ALIAS, "TargetKeyId": KEY_ID}),
    ("kms", "UpdateAlias", {"AliasName": KEY_ALIAS, "TargetKeyId": KEY_ID}),
    ("kms", "DeleteAlias", {"AliasName": KEY_ALIAS}),
    # the log bucket
    ("s3", "PutBucketPolicy", {"Bucket": BUCKET, "Policy": POLICY_TEXT}),
    ("s3", "DeleteBucketPolicy", {"Bucket": BUCKET}),
    ("s3", "PutBucketLifecycleConfiguration", {"Bucket": BUCKET, "LifecycleConfiguration": {"Rules": []}}),
    ("s3", "PutBucketVersioning", {"Bucket": BUCKET, "VersioningConfiguration": {"Status": "Suspended"}}),
    ("s3", "PutObjectLockConfiguration", {"Bucket": BUCKET, "ObjectLockConfiguration": {}}),
    ("s3", "PutBucketEncryption", {"Bucket": BUCKET, "ServerSideEncryptionConfiguration": {"Rules": []}}),
    ("s3", "DeletePublicAccessBlock", {"Bucket": BUCKET}),
    ("s3", "PutBucketOwnershipControls", {"Bucket": BUCKET, "OwnershipControls": {"Rules": []}}),
    ("s3", "DeleteBucket", {"Bucket": BUCKET}),
    ("s3", "DeleteObject", {"Bucket": BUCKET, "Key": f"AWSLogs/{MEMBER}/CloudTrail/log.json.gz"}),
    ("s3", "DeleteObject", {"Bucket": BUCKET, "Key": "AWSLogs/x.json.gz", "VersionId": "v1"}),
    # AWS Config
    ("config", "DeleteConfigRule", {"ConfigRuleName": "cloudtrail-enabled"}),
    ("config", "PutConfigRule", {"ConfigRule": {"ConfigRuleName": "cloudtrail-enabled", "Source": MANAGED_SOURCE}}),
    ("config", "DeleteRemediationConfiguration", {"ConfigRuleName": "cloudtrail-enabled"}),
    ("config", "PutRemediationExceptions", {"ConfigRuleName": "cloudtrail-enabled", "ResourceKeys": ACCOUNT_KEY}),
    ("config", "StopConfigurationRecorder", {"ConfigurationRecorderName": "default"}),
    ("config", "DeleteConfigurationRecorder", {"ConfigurationRecorderName": "default"}),
    ("config", "DeleteDeliveryChannel", {"DeliveryChannelName": "default"}),
    # the documents
    ("ssm", "UpdateDocument", {"Name": DOCUMENT_NAME, "Content": "{}", "DocumentVersion": "$LATEST"}),
    ("ssm", "UpdateDocumentDefaultVersion", {"Name": DOCUMENT_NAME, "DocumentVersion": "2"}),
    ("ssm", "DeleteDocument", {"Name": DOCUMENT_NAME}),
    ("ssm", "ModifyDocumentPermission", {"Name": DOCUMENT_NAME, "PermissionType": "Share", "AccountIdsToAdd": ["all"]}),
    # the account's membership
    ("organizations", "LeaveOrganization", {}),
    # the stack instance
    ("cloudformation", "DeleteStack", {"StackName": STACK}),
    ("cloudformation", "UpdateStack", {"StackName": STACK, "UsePreviousTemplate": True}),
    # the alarm
    ("events", "DisableRule", {"Name": FAILED_RULE_NAME}),
    ("events", "DeleteRule", {"Name": FAILED_RULE_NAME}),
    ("events", "RemoveTargets", {"Rule": FAILED_RULE_NAME, "Ids": ["alarm-topic"]}),
    ("sns", "DeleteTopic", {"TopicArn": f"arn:aws:sns:us-east-1:{MEMBER}:{ALARM_TOPIC_NAME}"}),
    ("sns", "SetTopicAttributes", {"TopicArn": f"arn:aws:sns:us-east-1:{MEMBER}:{ALARM_TOPIC_NAME}",
                                   "AttributeName": "Policy", "AttributeValue": POLICY_TEXT}),
]  # fmt: skip
KEY_CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("kms", "DisableKey", {"KeyId": KEY_ID}),
    ("kms", "ScheduleKeyDeletion", {"KeyId": KEY_ID, "PendingWindowInDays": 7}),
    ("kms", "PutKeyPolicy", {"KeyId": KEY_ID, "PolicyName": "default", "Policy": POLICY_TEXT}),
    ("kms", "CreateGrant", {"KeyId": KEY_ID, "GranteePrincipal": f"arn:aws:iam::{MEMBER}:role/Admin",
                            "Operations": ["Decrypt"]}),
    ("kms", "DisableKeyRotation", {"KeyId": KEY_ID}),
]  # fmt: skip


def call_id(call: tuple[str, str, dict[str, Any]]) -> str:
    service, operation, params = call
    return f"{service}:{operation}:{params.get('RoleName') or params.get('VersionId') or ''}"


# -- a member account's administrator is denied every protected action ------------------------------------------


@pytest.mark.parametrize("call", PROTECTED_CALLS, ids=[call_id(call) for call in PROTECTED_CALLS])
def test_a_member_administrator_is_denied_every_protected_action(call: tuple[str, str, dict[str, Any]]) -> None:
    service, operation, params = call
    message = denied_by_scp(org_world(), "Admin", service, operation, params)
    assert message.startswith(f"User: arn:aws:sts::{MEMBER}:assumed-role/Admin/")


@pytest.mark.parametrize("call", KEY_CALLS, ids=[call_id(call) for call in KEY_CALLS])
def test_a_member_administrator_is_denied_cutting_delivery_through_the_key(
    call: tuple[str, str, dict[str, Any]],
) -> None:
    service, operation, params = call
    denied_by_scp(org_world(), "Admin", service, operation, params)


def test_every_protected_action_family_is_exercised() -> None:
    """The table above calls at least one action of every SCP statement, and every trail, role and Config action."""
    exercised = {f"{service}:{operation}" for service, operation, _ in PROTECTED_CALLS}
    assert set(PROTECTED_TRAIL_ACTIONS) <= exercised
    roles = {action for action in PROTECTED_ROLE_ACTIONS if action != "iam:PassRole"}  # PassRole: test below
    assert roles <= exercised
    assert {"config:DeleteConfigRule", "config:PutRemediationExceptions"} <= exercised & set(PROTECTED_CONFIG_ACTIONS)
    assert {f"{service}:{operation}" for service, operation, _ in KEY_CALLS} <= set(PROTECTED_KEY_ACTIONS)
    sids = {statement["Sid"] for document in project_scps() for statement in document["Statement"]}
    assert len(sids) == 14


def test_a_role_created_with_an_exempt_looking_name_is_denied_and_so_exempts_nothing() -> None:
    """CreateRole of stacksets-exec-* is denied; and were such a role made anyway (seeded), the SCP that exempts it
    from changing the pattern would not let the member administrator make it its own."""
    world = org_world()
    denied_by_scp(world, "Admin", "iam", "CreateRole",
                  {"RoleName": "stacksets-exec-mine", "AssumeRolePolicyDocument": TRUST_TEXT})  # fmt: skip
    denied_by_scp(world, "Admin", "iam", "UpdateAssumeRolePolicy",
                  {"RoleName": "stacksets-exec-0123456789abcdef", "PolicyDocument": TRUST_ACCOUNT_TEXT})  # fmt: skip
    # an ordinary name stays allowed
    call_as(world, MEMBER, "Admin", "iam", "CreateRole", {"RoleName": "Mine", "AssumeRolePolicyDocument": TRUST_TEXT})


def test_the_remediation_role_cannot_be_passed_to_automation_by_an_administrator() -> None:
    """StartAutomationExecution with the exempt role as AutomationAssumeRole needs iam:PassRole on it: denied (so
    an administrator cannot run another document as the exempt role); an ordinary role may still be passed."""
    role = f"arn:aws:iam::{MEMBER}:role/{REMEDIATION_ROLE_NAME}"
    params = {"DocumentName": DOCUMENT_NAME, "Parameters": {"AutomationAssumeRole": [role]}}
    message = denied_by_scp(org_world(), "Admin", "ssm", "StartAutomationExecution", params)
    assert f"iam:PassRole on resource: {role}" in message
    mine = {
        "DocumentName": DOCUMENT_NAME,
        "Parameters": {"AutomationAssumeRole": [f"arn:aws:iam::{MEMBER}:role/Admin"]},
    }
    not_denied_by_scp(org_world(), MEMBER, "Admin", "ssm", "StartAutomationExecution", mine)


def test_only_the_scheduler_and_the_administrators_may_pass_the_delivery_check_role() -> None:
    """The delivery check's EventBridge schedule runs as its scheduler role, which passes the delivery check's role
    to Automation: the SCP lets it (the organization variant's hourly check failed before), and nothing else: the
    scheduler may not pass the remediation role, and a member administrator may pass neither."""
    check = f"arn:aws:iam::{MEMBER}:role/{DELIVERY_CHECK_ROLE_NAME}"
    remediation = f"arn:aws:iam::{MEMBER}:role/{REMEDIATION_ROLE_NAME}"

    def start(role: str) -> dict[str, Any]:
        return {"DocumentName": DELIVERY_CHECK_NAME, "Parameters": {"AutomationAssumeRole": [role]}}

    world = org_world()
    not_denied_by_scp(world, MEMBER, SCHEDULER_ROLE_NAME, "ssm", "StartAutomationExecution", start(check))
    not_denied_by_scp(world, MEMBER, ADMINISTRATOR, "ssm", "StartAutomationExecution", start(check))
    for role in (remediation, f"arn:aws:iam::{MEMBER}:role/{ADMINISTRATOR}"):
        with pytest.raises(AwsError) as denied:
            call_as(world, MEMBER, SCHEDULER_ROLE_NAME, "ssm", "StartAutomationExecution", start(role))
        assert f"iam:PassRole on resource: {role} {SCP_DENIAL}" in denied.value.message
    message = denied_by_scp(world, "Admin", "ssm", "StartAutomationExecution", start(check))
    assert f"iam:PassRole on resource: {check}" in message


def test_the_project_scp_denies_a_member_administrator_stop_logging_explicitly() -> None:
    world = org_world()
    with pytest.raises(AwsError) as denied:
        stop_logging(world, MEMBER, "Admin")
    assert denied.value.code == "AccessDeniedException"
    assert denied.value.message == (
        f"User: arn:aws:sts::{MEMBER}:assumed-role/Admin/runbook-simulate is not authorized to perform: "
        f"cloudtrail:StopLogging on resource: arn:aws:cloudtrail:us-east-1:{MEMBER}:trail/main "
        "with an explicit deny in a service control policy"
    )
    # what the SCP does not protect stays allowed (AdministratorAccess)
    world.backend().acting_as(parse_caller(f"arn:aws:iam::{MEMBER}:role/Admin")).call(
        "cloudtrail", "GetTrailStatus", {"Name": "main"}
    )


def test_the_project_scp_denies_through_a_simulated_execution() -> None:
    """The same denial as a step of an execution sees it: the call is recorded with the error code."""
    document = {
        "schemaVersion": "0.3",
        "assumeRole": f"arn:aws:iam::{MEMBER}:role/Admin",
        "mainSteps": [
            {
                "name": "Stop",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "cloudtrail", "Api": "StopLogging", "Name": "main"},
            }
        ],
    }
    result = simulate(document, {}, org_world())
    assert result.status == "Failed"
    assert [(call.operation, call.error) for call in result.calls] == [("StopLogging", "AccessDeniedException")]
    message = result.steps[0].failure_message or ""
    assert SCP_DENIAL in message
    assert f"User: arn:aws:sts::{MEMBER}:assumed-role/Admin/{EXECUTION_ID} " in message


# -- who is not restricted -----------------------------------------------------------------------------------------


def test_the_management_account_is_not_restricted_by_scps() -> None:
    """SCPs do not restrict any principal of the management account (iam.md §7), even with the SCPs attached to the
    root as well."""
    entries = [{**entry, "Targets": [ROOT, WORKLOADS]} for entry in scp_entries()]
    world = org_world(entries)
    stop_logging(world, MANAGEMENT, "Admin")
    assert world.accounts[MANAGEMENT].trails["us-east-1", "main"].is_logging is False
    for service, operation, params in PROTECTED_CALLS[5:8]:
        not_denied_by_scp(world, MANAGEMENT, "Admin", service, operation, params)
    with pytest.raises(AwsError, match="explicit deny in a service control policy"):
        stop_logging(world, MEMBER, "Admin")


@pytest.mark.parametrize("role", [REMEDIATION_ROLE_NAME, ADMINISTRATOR])
def test_the_roles_the_scp_exempts_may_stop_logging(role: str) -> None:
    """The SCP's ArnNotLike on aws:PrincipalArn exempts the remediation role (any account) and the administrators'
    role given as AdministratorRoleArn."""
    stop_logging(org_world(), MEMBER, role)


@pytest.mark.parametrize("call", PROTECTED_CALLS[5:], ids=[call_id(call) for call in PROTECTED_CALLS[5:]])
def test_the_administrators_role_is_not_restricted(call: tuple[str, str, dict[str, Any]]) -> None:
    service, operation, params = call
    not_denied_by_scp(org_world(), MEMBER, ADMINISTRATOR, service, operation, params)


def test_the_remediation_role_may_change_trails_but_not_itself_nor_the_pattern() -> None:
    world = org_world()
    stop_logging(world, MEMBER, REMEDIATION_ROLE_NAME)
    denied_by_scp(world, REMEDIATION_ROLE_NAME, "iam", "PutRolePolicy",
                  {"RoleName": REMEDIATION_ROLE_NAME, "PolicyName": "x", "PolicyDocument": POLICY_TEXT})  # fmt: skip
    denied_by_scp(world, REMEDIATION_ROLE_NAME, "config", "DeleteConfigRule", {"ConfigRuleName": "cloudtrail-enabled"})


def test_the_stacksets_execution_role_may_deploy_the_pattern() -> None:
    world = org_world()
    for service, operation, params in [call for call in PROTECTED_CALLS if call[0] in ("iam", "config", "ssm")][:6]:
        not_denied_by_scp(world, MEMBER, "stacksets-exec-0123456789abcdef", service, operation, params)


def test_a_service_linked_role_is_not_restricted_by_scps() -> None:
    """Actions made with a service-linked role's permissions are not restricted by SCPs (iam.md §7)."""
    stop_logging(org_world(), MEMBER, *SERVICE_LINKED)
    not_denied_by_scp(org_world(), MEMBER, SERVICE_LINKED[0], "config", "DeleteConfigRule",
                      {"ConfigRuleName": "cloudtrail-enabled"}, SERVICE_LINKED[1])  # fmt: skip


def test_an_allow_list_scp_denies_implicitly_what_it_does_not_list() -> None:
    """FullAWSAccess detached from the OU (kept on the root and the accounts), replaced there by an allow-list of
    CloudTrail reads: StopLogging has no Allow at the OU's level, an implicit SCP denial; GetTrailStatus is allowed;
    the management account is unaffected.

    Decision: AWS refuses to detach an entity's last SCP, so a world must keep one attached at every level; the
    simulator does not enforce that, and a level with no SCP at all allows nothing (as an empty allow-list)."""
    allow_list = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["cloudtrail:Get*", "cloudtrail:Describe*"], "Resource": "*"}],
    }
    world = org_world(
        [
            {"Name": "FullAWSAccess", "Targets": [ROOT, MEMBER, MANAGEMENT]},
            {"Name": "CloudTrailReadOnly", "Content": allow_list, "Targets": [WORKLOADS]},
        ]
    )
    admin = parse_caller(f"arn:aws:iam::{MEMBER}:role/Admin")
    world.backend().acting_as(admin).call("cloudtrail", "GetTrailStatus", {"Name": "main"})
    with pytest.raises(AwsError) as denied:
        stop_logging(world, MEMBER, "Admin")
    assert denied.value.code == "AccessDeniedException"
    assert denied.value.message.endswith("because no service control policy allows the cloudtrail:StopLogging action")
    stop_logging(world, MANAGEMENT, "Admin")
