"""Differential tests of the fake IAM against moto's server (real HTTP on 127.0.0.1): the same call sequences through
the same botocore clients give the same answers, error codes and HTTP statuses, where moto is faithful to IAM.

Compared: the response members that matter (ids and timestamps differ by design: the fake derives ids from names
and reads the simulated clock), every error's code and status, and the message where moto words it as IAM does.
Left out, because moto is wrong there (IAM API reference, https://docs.aws.amazon.com/IAM/latest/APIReference/):
- names and values outside the model's constraints (``a b`` as a RoleName, MaxSessionDuration 50000): moto accepts
  them; IAM answers ValidationError (API_CreateRole.html: RoleName pattern ``[\\w+=,.@-]+``, MaxSessionDuration
  3600 to 43200);
- names that differ only in case: moto creates both; IAM refuses the second (API_CreateRole.html: "Role names are
  not distinguished by case"); and a policy named as another in a different path: moto creates it; IAM refuses it
  (names are unique in the account, IAM User Guide, reference_iam-quotas.html#reference_iam-quotas-names);
- trust policies with a Resource or without a Principal, and identity policies with a Principal: moto accepts them;
  IAM answers MalformedPolicyDocument;
- DeletePolicy of a policy still attached or with versions besides the default, DeleteUser of a user still in a
  group, DeleteGroup of a group with members: moto deletes; IAM answers DeleteConflict (API_DeletePolicy.html,
  API_DeleteUser.html, API_DeleteGroup.html: detach, delete the versions, remove the users first);
- PutRolePermissionsBoundary with a policy that does not exist: moto accepts it;
- the messages of NoSuchEntity for a role, group, instance profile, policy or version ("Role X not found"), of
  EntityAlreadyExists for users and groups, and of invalid JSON ("Syntax errors in policy." where IAM says "This
  policy contains invalid Json");
- the order of ListRoles, ListAttached*Policies and ListPolicyVersions (moto sorts roles by id, policies by name and
  versions oldest first; IAM documents no order: compared as sets);
- CreatePolicyVersion's answer (moto adds the Document, which IAM's answer leaves out: API_CreatePolicyVersion.html).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.boto import fake_session
from tests.fakes.iam_calls import ACCOUNT, ALLOW_LOGS, ALLOW_S3, AUTOMATION, READ_ONLY, TRUST, statement
from toolkit.fakes.iam_policies import AWS_MANAGED
from toolkit.fakes.world import World

MINE = f"arn:aws:iam::{ACCOUNT}:policy/team/Mine"


def _reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture
def moto_iam(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An IAM client of moto's server, with AWS's managed policies loaded (``moto_endpoint`` starts the server with
    MOTO_IAM_LOAD_MANAGED_POLICIES)."""
    import boto3

    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    _reset(moto_endpoint)
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    yield session.client("iam", endpoint_url=moto_endpoint)
    _reset(moto_endpoint)


def fake_iam() -> Any:
    return fake_session(World.default().backend()).client("iam")


class Observer:
    """Makes calls and records what was seen: chosen members of the response, or the error (code, status and,
    unless ``code_only``, message)."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def __call__(
        self,
        label: str,
        call: Callable[[], dict[str, Any]],
        keys: tuple[str, ...] = (),
        *,
        code_only: bool = False,
        pick: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        try:
            response = call()
        except ClientError as err:
            error = err.response["Error"]
            status = err.response["ResponseMetadata"]["HTTPStatusCode"]
            self.seen.append((label, error["Code"], status, None if code_only else error["Message"]))
            return
        if pick is not None:
            self.seen.append((label, pick(response)))
        else:
            self.seen.append((label, {key: response.get(key) for key in keys}))


def role_fields(response: dict[str, Any]) -> dict[str, Any]:
    role = response["Role"]
    keys = ("Path", "RoleName", "Arn", "AssumeRolePolicyDocument", "Description", "MaxSessionDuration", "Tags")
    return {key: role.get(key) for key in (*keys, "PermissionsBoundary")}


def names(key: str, name: str) -> Callable[[dict[str, Any]], list[str]]:
    return lambda response: sorted(item[name] for item in response[key])


def roles(iam: Any) -> list[Any]:
    see = Observer()
    see(
        "create",
        lambda: iam.create_role(
            RoleName="R1",
            AssumeRolePolicyDocument=TRUST,
            Path="/svc/",
            Description="d",
            MaxSessionDuration=7200,
            Tags=[{"Key": "a", "Value": "1"}],
        ),
        pick=role_fields,
    )
    see("again", lambda: iam.create_role(RoleName="R1", AssumeRolePolicyDocument=TRUST))
    see(
        "get",
        lambda: iam.get_role(RoleName="R1"),
        pick=lambda response: {**role_fields(response), "RoleLastUsed": response["Role"]["RoleLastUsed"]},
    )
    see("absent", lambda: iam.get_role(RoleName="Absent"), code_only=True)
    see("second", lambda: iam.create_role(RoleName="R0", AssumeRolePolicyDocument=TRUST), pick=role_fields)
    see("list", lambda: iam.list_roles(), pick=names("Roles", "RoleName"))
    see("by path", lambda: iam.list_roles(PathPrefix="/svc/"), pick=names("Roles", "RoleName"))
    see("update", lambda: iam.update_role(RoleName="R1", Description="new", MaxSessionDuration=3600), ())
    lambda_trust = statement(Effect="Allow", Principal={"Service": "lambda.amazonaws.com"}, Action="sts:AssumeRole")
    see("trust", lambda: iam.update_assume_role_policy(RoleName="R1", PolicyDocument=lambda_trust), ())
    see("tag", lambda: iam.tag_role(RoleName="R1", Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}]), ())
    see("untag", lambda: iam.untag_role(RoleName="R1", TagKeys=["b"]), ())
    see(
        "duplicate tags",
        lambda: iam.tag_role(RoleName="R1", Tags=[{"Key": "c", "Value": "1"}, {"Key": "C", "Value": "2"}]),
    )
    see("tags", lambda: iam.list_role_tags(RoleName="R1"), ("Tags", "IsTruncated"))
    see("boundary policy", lambda: iam.create_policy(PolicyName="Boundary", PolicyDocument=ALLOW_S3), ())
    boundary = f"arn:aws:iam::{ACCOUNT}:policy/Boundary"
    see("boundary", lambda: iam.put_role_permissions_boundary(RoleName="R1", PermissionsBoundary=boundary), ())
    see("bounded", lambda: iam.get_role(RoleName="R1"), pick=role_fields)
    see("unbounded", lambda: iam.delete_role_permissions_boundary(RoleName="R1"), ())
    see("after", lambda: iam.get_role(RoleName="R1"), pick=role_fields)
    see("put inline", lambda: iam.put_role_policy(RoleName="R1", PolicyName="p", PolicyDocument=ALLOW_S3), ())
    see(
        "get inline",
        lambda: iam.get_role_policy(RoleName="R1", PolicyName="p"),
        ("RoleName", "PolicyName", "PolicyDocument"),
    )
    see("list inline", lambda: iam.list_role_policies(RoleName="R1"), ("PolicyNames", "IsTruncated"))
    see(
        "no resource",
        lambda: iam.put_role_policy(
            RoleName="R1", PolicyName="q", PolicyDocument=statement(Effect="Allow", Action="s3:*")
        ),
    )
    see("bad json", lambda: iam.put_role_policy(RoleName="R1", PolicyName="q", PolicyDocument="{nope"), code_only=True)
    see("conflict", lambda: iam.delete_role(RoleName="R1"))
    see("delete absent inline", lambda: iam.delete_role_policy(RoleName="R1", PolicyName="q"))
    see("delete inline", lambda: iam.delete_role_policy(RoleName="R1", PolicyName="p"), ())
    see("delete", lambda: iam.delete_role(RoleName="R1"), ())
    see("gone", lambda: iam.get_role(RoleName="R1"), code_only=True)
    return see.seen


def managed(iam: Any) -> list[Any]:
    see = Observer()
    fields = ("PolicyName", "Arn", "Path", "DefaultVersionId", "AttachmentCount", "IsAttachable", "Tags")
    see(
        "create",
        lambda: iam.create_policy(
            PolicyName="Mine",
            Path="/team/",
            PolicyDocument=ALLOW_S3,
            Description="mine",
            Tags=[{"Key": "k", "Value": "v"}],
        ),
        pick=lambda response: {key: response["Policy"].get(key) for key in fields},
    )
    see("again", lambda: iam.create_policy(PolicyName="Mine", Path="/team/", PolicyDocument=ALLOW_S3))
    old = json.dumps({"Version": "2008-10-17", "Statement": json.loads(ALLOW_S3)["Statement"]})
    see("old version", lambda: iam.create_policy(PolicyName="Old", PolicyDocument=old))
    see(
        "get",
        lambda: iam.get_policy(PolicyArn=MINE),
        pick=lambda response: {key: response["Policy"].get(key) for key in (*fields, "Description")},
    )
    see("absent", lambda: iam.get_policy(PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/Absent"), code_only=True)
    see("role", lambda: iam.create_role(RoleName="R1", AssumeRolePolicyDocument=TRUST), ())
    for arn in (MINE, READ_ONLY, AUTOMATION):
        see(f"attach {arn}", lambda arn=arn: iam.attach_role_policy(RoleName="R1", PolicyArn=arn), ())
    see(
        "attach absent",
        lambda: iam.attach_role_policy(RoleName="R1", PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/Absent"),
    )
    see(
        "attach without path",
        lambda: iam.attach_role_policy(RoleName="R1", PolicyArn="arn:aws:iam::aws:policy/AmazonSSMAutomationRole"),
    )
    see(
        "attached",
        lambda: iam.list_attached_role_policies(RoleName="R1"),
        pick=lambda response: sorted((item["PolicyName"], item["PolicyArn"]) for item in response["AttachedPolicies"]),
    )
    aws_fields = (
        "PolicyName",
        "Arn",
        "Path",
        "DefaultVersionId",
        "AttachmentCount",
        "IsAttachable",
        "CreateDate",
        "UpdateDate",
    )
    see(
        "read only",
        lambda: iam.get_policy(PolicyArn=READ_ONLY),
        pick=lambda response: {key: response["Policy"].get(key) for key in aws_fields},
    )
    see(
        "entities",
        lambda: iam.list_entities_for_policy(PolicyArn=MINE),
        pick=lambda response: (
            [r["RoleName"] for r in response["PolicyRoles"]],
            response["PolicyUsers"],
            response["PolicyGroups"],
        ),
    )
    see(
        "local attached",
        lambda: iam.list_policies(Scope="Local", OnlyAttached=True),
        pick=names("Policies", "PolicyName"),
    )
    see("conflict", lambda: iam.delete_role(RoleName="R1"))
    see("detach", lambda: iam.detach_role_policy(RoleName="R1", PolicyArn=READ_ONLY), ())
    see("detach again", lambda: iam.detach_role_policy(RoleName="R1", PolicyArn=READ_ONLY))
    for default in (False, True, False, False):
        see(
            "version",
            lambda default=default: iam.create_policy_version(
                PolicyArn=MINE, PolicyDocument=ALLOW_LOGS, SetAsDefault=default
            ),
            pick=lambda response: (
                response["PolicyVersion"]["VersionId"],
                response["PolicyVersion"]["IsDefaultVersion"],
            ),
        )
    see("sixth", lambda: iam.create_policy_version(PolicyArn=MINE, PolicyDocument=ALLOW_LOGS))
    see(
        "versions",
        lambda: iam.list_policy_versions(PolicyArn=MINE),
        pick=lambda response: sorted((item["VersionId"], item["IsDefaultVersion"]) for item in response["Versions"]),
    )
    see("default", lambda: iam.get_policy(PolicyArn=MINE), pick=lambda response: response["Policy"]["DefaultVersionId"])
    see("delete default", lambda: iam.delete_policy_version(PolicyArn=MINE, VersionId="v3"))
    see("delete v4", lambda: iam.delete_policy_version(PolicyArn=MINE, VersionId="v4"), ())
    see("get v4", lambda: iam.get_policy_version(PolicyArn=MINE, VersionId="v4"), code_only=True)
    see(
        "get v3",
        lambda: iam.get_policy_version(PolicyArn=MINE, VersionId="v3"),
        pick=lambda response: {
            key: response["PolicyVersion"][key] for key in ("Document", "VersionId", "IsDefaultVersion")
        },
    )
    see("set v9", lambda: iam.set_default_policy_version(PolicyArn=MINE, VersionId="v9"))
    see("set v1", lambda: iam.set_default_policy_version(PolicyArn=MINE, VersionId="v1"), ())
    see("tag", lambda: iam.tag_policy(PolicyArn=MINE, Tags=[{"Key": "z", "Value": "1"}]), ())
    see("untag", lambda: iam.untag_policy(PolicyArn=MINE, TagKeys=["k"]), ())
    see("tags", lambda: iam.list_policy_tags(PolicyArn=MINE), ("Tags", "IsTruncated"))
    return see.seen


def users_and_groups(iam: Any) -> list[Any]:
    see = Observer()
    user_fields = ("Path", "UserName", "Arn", "Tags")
    see(
        "create",
        lambda: iam.create_user(UserName="alice", Path="/staff/", Tags=[{"Key": "t", "Value": "1"}]),
        pick=lambda response: {key: response["User"].get(key) for key in user_fields},
    )
    see("again", lambda: iam.create_user(UserName="alice"), code_only=True)
    see(
        "get",
        lambda: iam.get_user(UserName="alice"),
        pick=lambda response: {key: response["User"].get(key) for key in user_fields},
    )
    see("absent", lambda: iam.get_user(UserName="bob"))
    see("bob", lambda: iam.create_user(UserName="bob"), ())
    see(
        "group",
        lambda: iam.create_group(GroupName="admins", Path="/ops/"),
        pick=lambda response: {key: response["Group"][key] for key in ("Path", "GroupName", "Arn")},
    )
    see("group again", lambda: iam.create_group(GroupName="admins"), code_only=True)
    for user in ("alice", "bob"):
        see(f"join {user}", lambda user=user: iam.add_user_to_group(GroupName="admins", UserName=user), ())
    see("members", lambda: iam.get_group(GroupName="admins"), pick=names("Users", "UserName"))
    see("groups of", lambda: iam.list_groups_for_user(UserName="alice"), pick=names("Groups", "GroupName"))
    see("groups", lambda: iam.list_groups(), pick=names("Groups", "GroupName"))
    see("leave", lambda: iam.remove_user_from_group(GroupName="admins", UserName="bob"), ())
    see("members after", lambda: iam.get_group(GroupName="admins"), pick=names("Users", "UserName"))
    see("inline", lambda: iam.put_user_policy(UserName="alice", PolicyName="p", PolicyDocument=ALLOW_S3), ())
    see(
        "get inline",
        lambda: iam.get_user_policy(UserName="alice", PolicyName="p"),
        ("UserName", "PolicyName", "PolicyDocument"),
    )
    see("group inline", lambda: iam.put_group_policy(GroupName="admins", PolicyName="g", PolicyDocument=ALLOW_LOGS), ())
    see(
        "get group inline",
        lambda: iam.get_group_policy(GroupName="admins", PolicyName="g"),
        ("GroupName", "PolicyName", "PolicyDocument"),
    )
    see("list group inline", lambda: iam.list_group_policies(GroupName="admins"), ("PolicyNames",))
    see("attach", lambda: iam.attach_user_policy(UserName="bob", PolicyArn=READ_ONLY), ())
    see("attach group", lambda: iam.attach_group_policy(GroupName="admins", PolicyArn=READ_ONLY), ())
    see("attached", lambda: iam.list_attached_user_policies(UserName="bob"), ("AttachedPolicies",))
    see("attached group", lambda: iam.list_attached_group_policies(GroupName="admins"), ("AttachedPolicies",))
    see(
        "count",
        lambda: iam.get_policy(PolicyArn=READ_ONLY),
        pick=lambda response: response["Policy"]["AttachmentCount"],
    )
    see("conflict", lambda: iam.delete_user(UserName="bob"))
    see("detach", lambda: iam.detach_user_policy(UserName="bob", PolicyArn=READ_ONLY), ())
    see("rename", lambda: iam.update_user(UserName="bob", NewUserName="carol"), ())
    see("users", lambda: iam.list_users(), pick=names("Users", "UserName"))
    see("delete", lambda: iam.delete_user(UserName="carol"), ())
    see("users after", lambda: iam.list_users(PathPrefix="/staff/"), pick=names("Users", "UserName"))
    return see.seen


def profiles(iam: Any) -> list[Any]:
    see = Observer()
    fields = ("Path", "InstanceProfileName", "Arn")
    see(
        "create",
        lambda: iam.create_instance_profile(InstanceProfileName="web", Path="/ec2/"),
        pick=lambda response: {key: response["InstanceProfile"][key] for key in (*fields, "Roles")},
    )
    see("again", lambda: iam.create_instance_profile(InstanceProfileName="web"))
    see("role", lambda: iam.create_role(RoleName="R1", AssumeRolePolicyDocument=TRUST), ())
    see("add", lambda: iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="R1"), ())
    see("add again", lambda: iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="R1"))
    see(
        "get",
        lambda: iam.get_instance_profile(InstanceProfileName="web"),
        pick=lambda response: (
            {key: response["InstanceProfile"][key] for key in fields},
            [role["RoleName"] for role in response["InstanceProfile"]["Roles"]],
        ),
    )
    see(
        "for role",
        lambda: iam.list_instance_profiles_for_role(RoleName="R1"),
        pick=names("InstanceProfiles", "InstanceProfileName"),
    )
    see("list", lambda: iam.list_instance_profiles(), pick=names("InstanceProfiles", "InstanceProfileName"))
    see("role conflict", lambda: iam.delete_role(RoleName="R1"))
    see("profile conflict", lambda: iam.delete_instance_profile(InstanceProfileName="web"))
    see("remove", lambda: iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="R1"), ())
    see("delete", lambda: iam.delete_instance_profile(InstanceProfileName="web"), ())
    see("absent", lambda: iam.get_instance_profile(InstanceProfileName="web"), code_only=True)
    see("delete role", lambda: iam.delete_role(RoleName="R1"), ())
    return see.seen


@pytest.mark.parametrize("sequence", [roles, managed, users_and_groups, profiles])
def test_the_fake_iam_answers_as_moto_does(moto_iam: Any, sequence: Callable[[Any], list[Any]]) -> None:
    assert sequence(fake_iam()) == sequence(moto_iam)


def test_the_vendored_aws_managed_policies_are_moto_and_aws_own(moto_iam: Any) -> None:
    """Each AWS managed policy the fake knows: the same path, default version, dates and document as moto's copy."""
    fake = fake_iam()
    for name, known in sorted(AWS_MANAGED.items()):
        arn = f"arn:aws:iam::aws:policy{known.path}{name}"
        answers = []
        for iam in (fake, moto_iam):
            got = iam.get_policy(PolicyArn=arn)["Policy"]
            version = iam.get_policy_version(PolicyArn=arn, VersionId=got["DefaultVersionId"])["PolicyVersion"]
            answers.append(
                (got["Path"], got["DefaultVersionId"], got["CreateDate"], got["UpdateDate"], version["Document"])
            )
        assert answers[0] == answers[1], name
