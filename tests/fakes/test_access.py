"""Every simulated AWS call is authorized as IAM would (shared/spec/iam.md §1, §5; issue 15): identity-based
policies (inline, AWS managed, customer managed), permissions boundaries, explicit denies, resource-based policies
(bucket and key policies), cross-account requests, the calls that need no permission, AWS's denial formats per
service, and conditions evaluated at call level (unknown keys, policy variables, the simulated clock).

Decisions where AWS is silent:
- a condition on a key the simulator cannot know (aws:SourceIp) fails the call with ``CannotEvaluatePolicy`` (HTTP
  400), naming the key, whether the statement allows or denies: the simulator never guesses a network origin;
- a role session whose role is not in the world has no policies (everything implicitly denied), except the world's
  default ``Admin`` caller;
- the denial sentence names the first policy type that denied in AWS's evaluation order (SCP, resource-based,
  identity-based, boundary, session), as AWS names only one (iam.md §5.2).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from toolkit.fakes.caller import parse_caller
from toolkit.fakes.errors import AwsError
from toolkit.fakes.iam import Role
from toolkit.fakes.world import World, WorldError
from toolkit.simulate import Options, simulate
from toolkit.simulate.run import EXECUTION_ID

ACCOUNT = "123456789012"
OTHER = "210987654321"
KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY}"
TOPIC_ARN = f"arn:aws:sns:us-east-1:{ACCOUNT}:notices"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
TRUST_SSM = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TRUST_ACCOUNT = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
    ],
}


def statement(effect: str, actions: str | list[str], resource: str = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": actions, "Resource": resource, **extra}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def role(
    name: str, *, attached: tuple[str, ...] = (), inline: tuple[dict[str, Any], ...] = (), **extra: Any
) -> dict[str, Any]:
    return {
        "Name": name,
        "AssumeRolePolicyDocument": TRUST_SSM,
        "AttachedPolicies": list(attached),
        "Policies": list(inline),
        **extra,
    }


DENY_ALL_FAMILIES = policy(
    statement(
        "Deny",
        [
            "cloudtrail:StopLogging",
            "kms:DescribeKey",
            "ssm:GetParameter",
            "logs:CreateLogGroup",
            "config:DescribeConfigurationRecorders",
            "s3:GetBucketVersioning",
            "iam:GetRole",
            "sts:AssumeRole",
            "sns:Publish",
            "ec2:DescribeInstances",
            "dynamodb:ListTables",
        ],
    )
)

WORLD: dict[str, Any] = {
    "Buckets": [
        {"Name": "plain-bucket"},
        {
            "Name": "shared-bucket",
            "Policy": policy(
                statement(
                    "Allow",
                    "s3:GetBucketVersioning",
                    "arn:aws:s3:::shared-bucket",
                    Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/Nothing"},
                )
            ),
        },
        {"Name": "security-logs"},
        {"Name": "finance-logs"},
    ],
    "Keys": [
        {
            # no "enable IAM policies" statement for the account's root: only CloudTrail may use the key
            "KeyId": KEY,
            "Policy": policy(
                statement("Allow", "kms:*", Principal={"Service": "cloudtrail.amazonaws.com"}),
            ),
        }
    ],
    "Topics": [{"Name": "notices"}],
    "Policies": [{"Name": "TrailReader", "Document": policy(statement("Allow", "cloudtrail:DescribeTrails"))}],
    "Roles": [
        role("Nothing"),
        role("Admin", attached=(ADMIN_ACCESS,)),
        role("Reader", attached=(READ_ONLY,)),
        role("Custom", attached=(f"arn:aws:iam::{ACCOUNT}:policy/TrailReader",)),
        role(
            "Bounded",
            attached=(ADMIN_ACCESS,),
            PermissionsBoundary=f"arn:aws:iam::{ACCOUNT}:policy/TrailReader",
        ),
        role("Denied", attached=(ADMIN_ACCESS,), inline=(DENY_ALL_FAMILIES,)),
        role("DenyEverything", attached=(ADMIN_ACCESS,), inline=(policy(statement("Deny", "*")),)),
        role(
            "Tagged",
            inline=(policy(statement("Allow", "s3:GetBucketVersioning", "arn:aws:s3:::${aws:PrincipalTag/team}-*")),),
            Tags={"team": "security"},
        ),
        {"Name": "Assumable", "AssumeRolePolicyDocument": TRUST_ACCOUNT},
    ],
    "Trails": [{"Name": "main", "S3BucketName": "plain-bucket", "IsLogging": True}],
    "Accounts": {
        OTHER: {
            "Buckets": [
                {"Name": "other-private"},
                {
                    "Name": "other-shared",
                    "Policy": policy(
                        statement(
                            "Allow",
                            "s3:GetBucketVersioning",
                            "arn:aws:s3:::other-shared",
                            Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        )
                    ),
                },
            ]
        }
    },
}


@pytest.fixture(scope="module")
def world() -> World:
    return World.from_dict(WORLD)


def role_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def call_as(world: World, name: str, service: str, operation: str, params: dict[str, Any] | None = None) -> Any:
    """``operation`` as a session of role ``name`` of the world's account."""
    caller = parse_caller(role_arn(name))
    assert caller is not None
    return world.copy().backend().acting_as(caller).call(service, operation, dict(params or {}))


def denied(world: World, name: str, service: str, operation: str, params: dict[str, Any] | None = None) -> AwsError:
    with pytest.raises(AwsError) as refused:
        call_as(world, name, service, operation, params)
    return refused.value


def session(name: str) -> str:
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/runbook-simulate"


# -- every service's calls are authorized --------------------------------------------------------------------

CALLS = [
    ("cloudtrail", "DescribeTrails", {}),
    ("s3", "ListBuckets", {}),
    ("kms", "ListKeys", {}),
    ("sns", "ListTopics", {}),
    ("logs", "DescribeLogGroups", {}),
    ("iam", "ListRoles", {}),
    ("sts", "AssumeRole", {"RoleArn": role_arn("Assumable"), "RoleSessionName": "s"}),
    ("organizations", "ListRoots", {}),
    ("config", "DescribeConfigRules", {}),
    ("ssm", "DescribeParameters", {}),
    ("ec2", "DescribeInstances", {}),  # moto's
    ("dynamodb", "ListTables", {}),  # moto's
]


@pytest.mark.parametrize(("service", "operation", "params"), CALLS, ids=[f"{c[0]}-{c[1]}" for c in CALLS])
def test_every_service_denies_a_role_without_policies_and_allows_an_administrator(
    world: World, service: str, operation: str, params: dict[str, Any]
) -> None:
    error = denied(world, "Nothing", service, operation, params)
    assert f"User: {session('Nothing')} is not authorized to perform: " in error.message
    assert "because no identity-based policy allows" in error.message
    try:
        call_as(world, "Admin", service, operation, params)
    except AwsError as err:  # allowed by IAM: the service itself may still refuse (an organization-less world)
        assert "not authorized" not in err.message, err.message


def test_an_aws_managed_policy_by_arn_allows_reads_only(world: World) -> None:
    call_as(world, "Reader", "cloudtrail", "DescribeTrails")
    call_as(world, "Reader", "cloudtrail", "GetTrailStatus", {"Name": "main"})
    error = denied(world, "Reader", "cloudtrail", "StopLogging", {"Name": "main"})
    assert error.message.endswith("because no identity-based policy allows the cloudtrail:StopLogging action")


def test_a_customer_managed_policy_of_the_world_grants_what_it_says(world: World) -> None:
    call_as(world, "Custom", "cloudtrail", "DescribeTrails")
    assert denied(world, "Custom", "cloudtrail", "GetTrailStatus", {"Name": "main"}).code == "AccessDeniedException"


def test_a_permissions_boundary_caps_an_administrator(world: World) -> None:
    call_as(world, "Bounded", "cloudtrail", "DescribeTrails")
    error = denied(world, "Bounded", "cloudtrail", "StopLogging", {"Name": "main"})
    assert error.message.endswith("because no permissions boundary allows the cloudtrail:StopLogging action")


def test_an_explicit_deny_beats_an_allow(world: World) -> None:
    error = denied(world, "Denied", "cloudtrail", "StopLogging", {"Name": "main"})
    assert error.message.endswith("with an explicit deny in an identity-based policy")
    call_as(world, "Denied", "cloudtrail", "DescribeTrails")  # what the Deny does not name stays allowed


def test_a_bucket_policy_grants_a_role_directly_without_an_identity_policy(world: World) -> None:
    call_as(world, "Nothing", "s3", "GetBucketVersioning", {"Bucket": "shared-bucket"})
    error = denied(world, "Nothing", "s3", "GetBucketVersioning", {"Bucket": "plain-bucket"})
    assert error.code == "AccessDenied" and '"arn:aws:s3:::plain-bucket"' in error.message
    # the grant is for that action only
    assert denied(world, "Nothing", "s3", "GetBucketPolicy", {"Bucket": "shared-bucket"}).code == "AccessDenied"


def test_a_key_policy_without_the_account_statement_denies_even_an_administrator(world: World) -> None:
    error = denied(world, "Admin", "kms", "DescribeKey", {"KeyId": KEY})
    assert error.code == "AccessDeniedException"
    assert error.message == (
        f"User: {session('Admin')} is not authorized to perform: kms:DescribeKey on resource: {KEY_ARN} "
        "because no resource-based policy allows the kms:DescribeKey action"
    )


def test_a_cross_account_call_needs_both_sides(world: World) -> None:
    """A bucket of another account of the world (no organization): its policy must name our account (or the role),
    and our role's identity policy must allow too. S3 answers a caller from another account (outside its
    organization) a bare "Access Denied" (iam.md §5.1)."""
    # allowed by IAM on both sides; S3's namespace is global, so the bucket is the other account's
    assert call_as(world, "Admin", "s3", "GetBucketVersioning", {"Bucket": "other-shared"}) == {}
    for name, bucket in (("Admin", "other-private"), ("Nothing", "other-shared")):
        error = denied(world, name, "s3", "GetBucketVersioning", {"Bucket": bucket})
        assert (error.code, error.message) == ("AccessDenied", "Access Denied")
    # other services name the side that refused: the resource's account has no policy for us
    topic = f"arn:aws:sns:us-east-1:{OTHER}:t"
    error = denied(world, "Admin", "sns", "Publish", {"TopicArn": topic, "Message": "m"})
    assert error.message.endswith("because no resource-based policy allows the SNS:Publish action")


def test_a_cross_account_s3_denial_inside_the_organization_is_explained() -> None:
    """Within one organization S3 gives the full sentence, naming the side that refused."""
    data = json.loads(json.dumps(WORLD))
    data["Organization"] = {"Id": "o-a1b2c3d4e5", "ManagementAccount": ACCOUNT}
    error = denied(World.from_dict(data), "Admin", "s3", "GetBucketVersioning", {"Bucket": "other-private"})
    assert error.code == "AccessDenied"
    assert error.message.endswith(
        'on resource: "arn:aws:s3:::other-private" because no resource-based policy allows the s3:GetBucketVersioning'
        " action"
    )


def test_the_regions_logs_resource_policies_grant_and_deny_for_their_log_groups() -> None:
    """CloudWatch Logs' account-level resource policies (PutResourcePolicy) are the resource-based policy of every
    log group of their region, together: one grants the role without policies a group, another denies everyone
    another group, and neither touches a third group or another region."""
    group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group"
    data = json.loads(json.dumps(WORLD))
    data["LogGroups"] = [{"Name": name} for name in ("open", "locked", "plain")]
    data["LogResourcePolicies"] = [
        {
            "PolicyName": "grant",
            "PolicyDocument": policy(
                statement(
                    "Allow",
                    "logs:CreateLogStream",
                    f"{group}:open:*",
                    Principal={"AWS": role_arn("Nothing")},
                )
            ),
        },
        {
            "PolicyName": "lock",
            "PolicyDocument": policy(statement("Deny", "logs:*", f"{group}:locked:*", Principal="*")),
        },
    ]
    world = World.from_dict(data)
    stream = {"logStreamName": "s"}
    call_as(world, "Nothing", "logs", "CreateLogStream", {"logGroupName": "open", **stream})
    assert denied(world, "Nothing", "logs", "CreateLogStream", {"logGroupName": "plain", **stream}).message.endswith(
        "because no identity-based policy allows the logs:CreateLogStream action"
    )
    error = denied(world, "Admin", "logs", "CreateLogStream", {"logGroupName": "locked", **stream})
    assert error.code == "AccessDeniedException"
    assert error.message == (
        f"User: {session('Admin')} is not authorized to perform: logs:CreateLogStream on resource: "
        f"{group}:locked:log-stream:s with an explicit deny in a resource-based policy"
    )
    call_as(world, "Admin", "logs", "CreateLogStream", {"logGroupName": "plain", **stream})
    # the policies are the region's: in another region the same names are neither granted nor locked
    other = world.copy().backend(region="eu-west-1").acting_as(parse_caller(role_arn("Admin")))  # type: ignore[arg-type]
    other.call("logs", "CreateLogGroup", {"logGroupName": "locked"})
    other.call("logs", "CreateLogStream", {"logGroupName": "locked", **stream})


def test_get_caller_identity_is_allowed_even_under_an_explicit_deny(world: World) -> None:
    answer = call_as(world, "DenyEverything", "sts", "GetCallerIdentity")
    assert answer["Arn"] == session("DenyEverything") and answer["Account"] == ACCOUNT
    assert call_as(world, "Nothing", "sts", "GetCallerIdentity")["Arn"] == session("Nothing")
    assert denied(world, "DenyEverything", "cloudtrail", "DescribeTrails").message.endswith(
        "with an explicit deny in an identity-based policy"
    )


# -- AWS's denials, service by service, as an execution records them ------------------------------------------

FAMILIES = [
    # service, operation, params, action as shown, resource as shown ("" when the action has none), code
    (
        "cloudtrail",
        "StopLogging",
        {"Name": "main"},
        "cloudtrail:StopLogging",
        f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main",
        "AccessDeniedException",
    ),
    ("kms", "DescribeKey", {"KeyId": KEY}, "kms:DescribeKey", KEY_ARN, "AccessDeniedException"),
    (
        "ssm",
        "GetParameter",
        {"Name": "p"},
        "ssm:GetParameter",
        f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/p",
        "AccessDeniedException",
    ),
    (
        "logs",
        "CreateLogGroup",
        {"logGroupName": "g"},
        "logs:CreateLogGroup",
        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:g:*",  # SAR's log-group ARN ends :*
        "AccessDeniedException",
    ),
    (
        "config",
        "DescribeConfigurationRecorders",
        {},
        "config:DescribeConfigurationRecorders",
        "",
        "AccessDeniedException",
    ),
    (
        "s3",
        "GetBucketVersioning",
        {"Bucket": "plain-bucket"},
        "s3:GetBucketVersioning",
        '"arn:aws:s3:::plain-bucket"',
        "AccessDenied",
    ),
    ("iam", "GetRole", {"RoleName": "Admin"}, "iam:GetRole", "role Admin", "AccessDenied"),
    (
        "sts",
        "AssumeRole",
        {"RoleArn": role_arn("Assumable"), "RoleSessionName": "s"},
        "sts:AssumeRole",
        role_arn("Assumable"),
        "AccessDenied",
    ),
    ("sns", "Publish", {"TopicArn": TOPIC_ARN, "Message": "m"}, "SNS:Publish", TOPIC_ARN, "AuthorizationError"),
    ("ec2", "DescribeInstances", {}, "ec2:DescribeInstances", "", "UnauthorizedOperation"),
]


def expected_sentence(principal: str, action: str, resource: str, explicit: bool, kms: bool = False) -> str:
    where = f" on resource: {resource}" if resource else ""
    if explicit:
        reason = "with an explicit deny in an identity-based policy"
    else:
        kind = "resource-based policy" if kms else "identity-based policy"
        reason = f"because no {kind} allows the {action} action"
    return f"User: {principal} is not authorized to perform: {action}{where} {reason}"


@pytest.mark.parametrize("explicit", [False, True], ids=["implicit", "explicit"])
@pytest.mark.parametrize(
    ("service", "operation", "params", "action", "resource", "code"), FAMILIES, ids=[f[0] for f in FAMILIES]
)
def test_denials_look_like_aws(
    world: World,
    service: str,
    operation: str,
    params: dict[str, Any],
    action: str,
    resource: str,
    code: str,
    explicit: bool,
) -> None:
    """The execution runs as role Nothing (implicit: nothing allows) or Denied (AdministratorAccess and an explicit
    Deny of each family's action); the step fails with AWS's code and sentence, and the call is in ``calls`` with
    that code. (For KMS the key's policy does not name the account, so the implicit denial is the key policy's.)"""
    name = "Denied" if explicit else "Nothing"
    document = {
        "schemaVersion": "0.3",
        "assumeRole": role_arn(name),
        "mainSteps": [
            {"name": "Call", "action": "aws:executeAwsApi", "inputs": {"Service": service, "Api": operation, **params}}
        ],
    }
    result = simulate(document, {}, world)
    assert result.status == "Failed"
    assert [(call.service, call.operation, call.error) for call in result.calls] == [(service, operation, code)]
    principal = f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/{EXECUTION_ID}"
    sentence = expected_sentence(principal, action, resource, explicit, kms=service == "kms")
    if service == "ec2":
        sentence = f"You are not authorized to perform this operation. {sentence}"
    assert result.steps[0].failure_message == f"{code}: {sentence}"
    assert json.loads(result.to_json())["calls"][0]["error"] == code


# -- conditions at call level ----------------------------------------------------------------------------------


def conditional_world(*statements: dict[str, Any]) -> World:
    return World.from_dict(
        {
            "Roles": [role("Conditional", attached=(ADMIN_ACCESS,), inline=(policy(*statements),))],
            "Trails": [{"Name": "main", "S3BucketName": "b", "IsLogging": True}],
        }
    )


def test_a_deny_on_an_unknown_source_ip_cannot_be_evaluated() -> None:
    deny = statement("Deny", "cloudtrail:StopLogging", Condition={"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    world = conditional_world(deny)
    error = denied(world, "Conditional", "cloudtrail", "StopLogging", {"Name": "main"})
    assert error.code == "CannotEvaluatePolicy"
    assert "aws:SourceIp".lower() in error.message.lower()
    call_as(world, "Conditional", "cloudtrail", "DescribeTrails")  # the condition's statement does not apply


def test_an_allow_on_an_unknown_source_ip_is_never_an_allow() -> None:
    allow = statement("Allow", "cloudtrail:StopLogging", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    world = World.from_dict(
        {
            "Roles": [role("Conditional", inline=(policy(allow),))],
            "Trails": [{"Name": "main", "S3BucketName": "b", "IsLogging": True}],
        }
    )
    error = denied(world, "Conditional", "cloudtrail", "StopLogging", {"Name": "main"})
    assert error.code == "CannotEvaluatePolicy" and "sourceip" in error.message.lower()


def test_a_policy_variable_is_resolved_from_the_role_tags(world: World) -> None:
    call_as(world, "Tagged", "s3", "GetBucketVersioning", {"Bucket": "security-logs"})
    error = denied(world, "Tagged", "s3", "GetBucketVersioning", {"Bucket": "finance-logs"})
    assert error.code == "AccessDenied" and '"arn:aws:s3:::finance-logs"' in error.message


def test_a_condition_on_aws_userid_sees_the_role_sessions_unique_id() -> None:
    """aws:userid is ``ROLEID:SESSION`` for a role session (the role's AROA id). The request holds it only when some
    policy names it (it costs a SHA-256): an inline policy's condition, or a Deny of another policy."""
    own = f"{Role('Conditional').unique_id()}:runbook-simulate"
    allow = statement("Allow", "cloudtrail:StopLogging", Condition={"StringEquals": {"aws:userid": own}})
    call_as(conditional_world(allow), "Conditional", "cloudtrail", "StopLogging", {"Name": "main"})
    stranger = statement(
        "Allow", "cloudtrail:StopLogging", Condition={"StringEquals": {"AWS:UserId": "AROAOTHER:runbook-simulate"}}
    )
    world = World.from_dict(
        {
            "Roles": [role("Conditional", inline=(policy(stranger),))],
            "Trails": [{"Name": "main", "S3BucketName": "b", "IsLogging": True}],
        }
    )
    assert denied(world, "Conditional", "cloudtrail", "StopLogging", {"Name": "main"}).code == "AccessDeniedException"
    deny = statement("Deny", "cloudtrail:StopLogging", Condition={"StringLike": {"aws:userid": "AROA*:runbook-*"}})
    error = denied(conditional_world(deny), "Conditional", "cloudtrail", "StopLogging", {"Name": "main"})
    assert error.code == "AccessDeniedException" and "explicit deny" in error.message


def test_a_date_condition_follows_the_simulated_clock() -> None:
    """StopLogging is denied from 2026-06-01 on: an execution started before may stop logging, one after may not."""
    deny = statement(
        "Deny", "cloudtrail:StopLogging", Condition={"DateGreaterThan": {"aws:CurrentTime": "2026-06-01T00:00:00Z"}}
    )
    world = conditional_world(deny)
    document = {
        "schemaVersion": "0.3",
        "assumeRole": role_arn("Conditional"),
        "mainSteps": [
            {
                "name": "Stop",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "cloudtrail", "Api": "StopLogging", "Name": "main"},
            }
        ],
    }
    before = simulate(document, {}, world, options=Options(start=datetime(2026, 5, 31, 23, 0, tzinfo=UTC)))
    assert [call.error for call in before.calls] == [None]
    after = simulate(document, {}, world, options=Options(start=datetime(2026, 6, 1, 0, 1, tzinfo=UTC)))
    assert [call.error for call in after.calls] == ["AccessDeniedException"]
    # and a call made through the world's backend with a clock of its own
    caller = parse_caller(role_arn("Conditional"))
    late = world.copy().backend(now=lambda: datetime(2027, 1, 1, tzinfo=UTC)).acting_as(caller)
    with pytest.raises(AwsError, match="explicit deny"):
        late.call("cloudtrail", "StopLogging", {"Name": "main"})


# -- seeding calls made as someone ---------------------------------------------------------------------------


def test_a_seeding_call_made_as_a_principal_without_permission_is_a_world_file_error() -> None:
    data = {
        "Roles": [role("Nothing"), role("Admin", attached=(ADMIN_ACCESS,))],
        "Calls": [
            {"Service": "s3", "Api": "CreateBucket", "Params": {"Bucket": "made-by-admin"}, "As": role_arn("Admin")},
            {"Service": "s3", "Api": "CreateBucket", "Params": {"Bucket": "made-by-nobody"}, "As": role_arn("Nothing")},
        ],
    }
    with pytest.raises(WorldError) as refused:
        World.from_dict(data)
    message = str(refused.value)
    assert "Calls[1]" in message and "s3" in message and "CreateBucket" in message and "AccessDenied" in message
    assert "Calls" in refused.value.path
    data["Calls"] = data["Calls"][:1]
    assert "made-by-admin" in World.from_dict(data).buckets


# -- resources the request names indirectly, or not at all ----------------------------------------------------------


def extra_world(*roles: dict[str, Any]) -> World:
    data = World.default().to_dict()
    data["Roles"] = [*data["Roles"], *roles]
    return World.from_dict(data)


def test_a_key_named_by_alias_is_authorized_as_the_key_it_points_to() -> None:
    """KMS authorizes a request naming a key by alias on the key itself (KMS developer guide, "Using aliases to
    control access to KMS keys"): a policy scoped to the key's ARN allows it, one scoped to the alias does not."""
    default_key = "arn:aws:kms:us-east-1:123456789012:key/*"
    alias = "arn:aws:kms:us-east-1:123456789012:alias/cloudtrail"
    world = extra_world(
        role("KeyScoped", inline=(policy(statement("Allow", "kms:DescribeKey", default_key)),)),
        role("AliasScoped", inline=(policy(statement("Allow", "kms:DescribeKey", alias)),)),
    )
    assert call_as(world, "KeyScoped", "kms", "DescribeKey", {"KeyId": "alias/cloudtrail"})["KeyMetadata"]
    err = denied(world, "AliasScoped", "kms", "DescribeKey", {"KeyId": "alias/cloudtrail"})
    assert err.code == "AccessDeniedException" and "on resource: arn:aws:kms:us-east-1:123456789012:key/" in err.message


def test_a_resource_the_request_does_not_name_is_decided_only_when_the_answer_cannot_depend_on_it() -> None:
    """DeleteConfigRule is authorized on the rule's ARN, which holds an id Config generates and the request (a rule
    name) does not carry: Resource "*" allows for certain, no policy denies for certain, and a policy scoped to some
    rules cannot be decided."""
    scoped = "arn:aws:config:us-east-1:123456789012:config-rule/config-rule-*"
    params = {"ConfigRuleName": "cloudtrail-enabled"}
    world = extra_world(
        role("Everywhere", inline=(policy(statement("Allow", "config:DeleteConfigRule")),)),
        role("Scoped", inline=(policy(statement("Allow", "config:DeleteConfigRule", scoped)),)),
        role("NoPolicy"),
    )
    assert denied(world, "Everywhere", "config", "DeleteConfigRule", params).code == "NoSuchConfigRuleException"
    assert denied(world, "NoPolicy", "config", "DeleteConfigRule", params).code == "AccessDeniedException"
    err = denied(world, "Scoped", "config", "DeleteConfigRule", params)
    assert err.code == "CannotEvaluatePolicy" and "does not name the resource" in err.message


def test_a_condition_on_a_resource_tag_cannot_be_evaluated_never_taken_as_absent() -> None:
    """Resource tags are not looked up: a Deny unless the resource is tagged env=dev must not silently deny (or
    allow) as if the tag were absent."""
    deny = statement("Deny", "cloudtrail:*", Condition={"StringNotEquals": {"aws:ResourceTag/env": "dev"}})
    world = extra_world(role("TagGuarded", attached=(ADMIN_ACCESS,), inline=(policy(deny),)))
    err = denied(world, "TagGuarded", "cloudtrail", "GetTrail", {"Name": "main"})
    assert err.code == "CannotEvaluatePolicy" and "aws:ResourceTag/env" in err.message
