"""The fake IAM's users, groups and inline policies (of roles, users and groups alike)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.iam_calls import (
    ACCOUNT,
    ALLOW_LOGS,
    ALLOW_S3,
    ALLOW_S3_DOCUMENT,
    READ_ONLY,
    backend,
    call,
    error,
    policy,
    role,
    round_trips,
    statement,
)
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.iam_policies import derived_id

# -- users --------------------------------------------------------------------------------------------------------


def test_users_are_created_found_listed_and_renamed() -> None:
    where = backend()
    boundary = policy(where, "Boundary")
    created = call(
        where,
        "CreateUser",
        UserName="alice",
        Path="/staff/",
        PermissionsBoundary=boundary,
        Tags=[{"Key": "t", "Value": "1"}],
    )["User"]
    assert created == {
        "Path": "/staff/",
        "UserName": "alice",
        "UserId": derived_id("AIDA", "alice"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/staff/alice",
        "CreateDate": created["CreateDate"],
        "PermissionsBoundary": {
            "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": boundary,
        },
        "Tags": [{"Key": "t", "Value": "1"}],
    }
    assert call(where, "GetUser", UserName="ALICE")["User"] == created
    call(where, "CreateUser", UserName="bob")
    listed = call(where, "ListUsers")["Users"]
    assert [user["UserName"] for user in listed] == ["alice", "bob"]
    assert "Tags" not in listed[0] and "PermissionsBoundary" not in listed[0]
    assert [user["UserName"] for user in call(where, "ListUsers", PathPrefix="/staff/")["Users"]] == ["alice"]
    taken = error(where, "CreateUser", UserName="Alice")
    assert (taken.code, taken.message) == ("EntityAlreadyExists", "User with name Alice already exists.")
    assert error(where, "UpdateUser", UserName="alice", NewUserName="BOB").code == "EntityAlreadyExists"
    call(where, "UpdateUser", UserName="alice", NewUserName="carol", NewPath="/")
    carol = call(where, "GetUser", UserName="carol")["User"]
    assert (carol["Arn"], carol["Tags"]) == (f"arn:aws:iam::{ACCOUNT}:user/carol", [{"Key": "t", "Value": "1"}])
    missing = error(where, "GetUser", UserName="alice")
    assert (missing.code, missing.status, missing.message) == (
        "NoSuchEntity",
        404,
        "The user with name alice cannot be found.",
    )
    round_trips(where)


def test_user_boundaries_and_tags() -> None:
    where = backend()
    call(where, "CreateUser", UserName="alice")
    call(where, "PutUserPermissionsBoundary", UserName="alice", PermissionsBoundary=READ_ONLY)
    assert (
        call(where, "GetUser", UserName="alice")["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == READ_ONLY
    )
    call(where, "DeleteUserPermissionsBoundary", UserName="alice")
    assert "PermissionsBoundary" not in call(where, "GetUser", UserName="alice")["User"]
    call(where, "TagUser", UserName="alice", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    call(where, "UntagUser", UserName="alice", TagKeys=["A"])
    assert call(where, "ListUserTags", UserName="alice") == {"Tags": [{"Key": "b", "Value": "2"}], "IsTruncated": False}
    assert error(where, "TagUser", UserName="alice", Tags=[{"Key": "x", "Value": "v" * 257}]).code == "ValidationError"
    assert error(where, "ListUserTags", UserName="nobody").code == "NoSuchEntity"


# -- groups -------------------------------------------------------------------------------------------------------


def test_groups_and_their_members() -> None:
    where = backend()
    for name in ("alice", "bob"):
        call(where, "CreateUser", UserName=name)
    created = call(where, "CreateGroup", GroupName="admins", Path="/ops/")["Group"]
    assert created == {
        "Path": "/ops/",
        "GroupName": "admins",
        "GroupId": derived_id("AGPA", "admins"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:group/ops/admins",
        "CreateDate": created["CreateDate"],
    }
    taken = error(where, "CreateGroup", GroupName="Admins")
    assert (taken.code, taken.message) == ("EntityAlreadyExists", "Group with name Admins already exists.")
    call(where, "CreateGroup", GroupName="readers")
    for user, group in [("bob", "admins"), ("alice", "admins"), ("alice", "readers"), ("alice", "admins")]:
        assert call(where, "AddUserToGroup", GroupName=group, UserName=user) == {}  # again: no change, no error
    answer = call(where, "GetGroup", GroupName="admins")
    assert [user["UserName"] for user in answer["Users"]] == ["alice", "bob"]
    assert answer["IsTruncated"] is False
    assert [group["GroupName"] for group in call(where, "ListGroupsForUser", UserName="alice")["Groups"]] == [
        "admins",
        "readers",
    ]
    assert [group["GroupName"] for group in call(where, "ListGroups")["Groups"]] == ["admins", "readers"]
    assert [group["GroupName"] for group in call(where, "ListGroups", PathPrefix="/ops/")["Groups"]] == ["admins"]
    round_trips(where)
    call(where, "UpdateGroup", GroupName="admins", NewGroupName="operators", NewPath="/")
    assert [group["GroupName"] for group in call(where, "ListGroupsForUser", UserName="bob")["Groups"]] == ["operators"]
    assert call(where, "GetGroup", GroupName="operators")["Group"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/operators"
    assert error(where, "UpdateGroup", GroupName="operators", NewGroupName="Readers").code == "EntityAlreadyExists"
    conflict = error(where, "DeleteGroup", GroupName="operators")
    assert (conflict.code, conflict.message) == (
        "DeleteConflict",
        "Cannot delete entity, must remove users from group first.",
    )
    member = error(where, "DeleteUser", UserName="bob")
    assert (member.code, member.message) == (
        "DeleteConflict",
        "Cannot delete entity, must remove user from all groups first.",
    )
    call(where, "RemoveUserFromGroup", GroupName="operators", UserName="bob")
    assert error(where, "RemoveUserFromGroup", GroupName="operators", UserName="bob").code == "NoSuchEntity"
    call(where, "DeleteUser", UserName="bob")
    call(where, "RemoveUserFromGroup", GroupName="operators", UserName="alice")
    call(where, "DeleteGroup", GroupName="operators")
    missing = error(where, "GetGroup", GroupName="operators")
    assert (missing.code, missing.message) == ("NoSuchEntity", "The group with name operators cannot be found.")
    round_trips(where)


def test_a_user_joins_at_most_ten_groups() -> None:
    where = backend()
    call(where, "CreateUser", UserName="alice")
    for number in range(11):
        call(where, "CreateGroup", GroupName=f"g{number}")
    for number in range(10):
        call(where, "AddUserToGroup", GroupName=f"g{number}", UserName="alice")
    full = error(where, "AddUserToGroup", GroupName="g10", UserName="alice")
    assert (full.code, full.status, full.message) == ("LimitExceeded", 409, "Cannot exceed quota for GroupsPerUser: 10")


def test_get_group_pages_its_members() -> None:
    where = backend()
    call(where, "CreateGroup", GroupName="all")
    for name in ("a", "b", "c"):
        call(where, "CreateUser", UserName=name)
        call(where, "AddUserToGroup", GroupName="all", UserName=name)
    first = call(where, "GetGroup", GroupName="all", MaxItems=2)
    assert ([user["UserName"] for user in first["Users"]], first["IsTruncated"]) == (["a", "b"], True)
    rest = call(where, "GetGroup", GroupName="all", Marker=first["Marker"])
    assert ([user["UserName"] for user in rest["Users"]], rest["IsTruncated"]) == (["c"], False)


def test_delete_user_and_group_refuse_while_they_have_policies() -> None:
    where = backend()
    call(where, "CreateUser", UserName="alice")
    call(where, "CreateGroup", GroupName="admins")
    for kind, member, owner in [("User", "UserName", "alice"), ("Group", "GroupName", "admins")]:
        call(where, f"Attach{kind}Policy", **{member: owner}, PolicyArn=READ_ONLY)
        call(where, f"Put{kind}Policy", **{member: owner}, PolicyName="s3", PolicyDocument=ALLOW_S3)
        attached = error(where, f"Delete{kind}", **{member: owner})
        assert (attached.code, attached.message) == (
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first.",
        )
        call(where, f"Detach{kind}Policy", **{member: owner}, PolicyArn=READ_ONLY)
        inline = error(where, f"Delete{kind}", **{member: owner})
        assert (inline.code, inline.message) == ("DeleteConflict", "Cannot delete entity, must delete policies first.")
        call(where, f"Delete{kind}Policy", **{member: owner}, PolicyName="s3")
        call(where, f"Delete{kind}", **{member: owner})


# -- inline policies ----------------------------------------------------------------------------------------------

KINDS = [("Role", "RoleName", "role"), ("User", "UserName", "user"), ("Group", "GroupName", "group")]


def owner(kind: str) -> tuple[FakeBackend, str]:
    where = backend()
    if kind == "Role":
        role(where, "Owner")
    else:
        call(where, f"Create{kind}", **{f"{kind}Name": "Owner"})
    return where, "Owner"


@pytest.mark.parametrize(("kind", "member", "label"), KINDS)
def test_inline_policies_are_put_read_listed_and_deleted(kind: str, member: str, label: str) -> None:
    where, name = owner(kind)
    assert call(where, f"Put{kind}Policy", **{member: name}, PolicyName="s3", PolicyDocument=ALLOW_S3) == {}
    call(where, f"Put{kind}Policy", **{member: name.upper()}, PolicyName="logs", PolicyDocument=ALLOW_S3)
    call(where, f"Put{kind}Policy", **{member: name}, PolicyName="logs", PolicyDocument=ALLOW_LOGS)  # replaces
    assert call(where, f"Get{kind}Policy", **{member: name}, PolicyName="s3") == {
        member: name,
        "PolicyName": "s3",
        "PolicyDocument": ALLOW_S3_DOCUMENT,
    }
    assert call(where, f"Get{kind}Policy", **{member: name}, PolicyName="logs")["PolicyDocument"] == json.loads(
        ALLOW_LOGS
    )
    assert call(where, f"List{kind}Policies", **{member: name}) == {"PolicyNames": ["logs", "s3"], "IsTruncated": False}
    assert call(where, f"List{kind}Policies", **{member: name}, MaxItems=1) == {
        "PolicyNames": ["logs"],
        "IsTruncated": True,
        "Marker": "1",
    }
    round_trips(where)
    call(where, f"Delete{kind}Policy", **{member: name}, PolicyName="s3")
    for operation in (f"Get{kind}Policy", f"Delete{kind}Policy"):
        missing = error(where, operation, **{member: name}, PolicyName="s3")
        assert (missing.code, missing.status, missing.message) == (
            "NoSuchEntity",
            404,
            f"The {label} policy with name s3 cannot be found.",
        )
    assert error(where, f"Put{kind}Policy", **{member: "Absent"}, PolicyName="p", PolicyDocument=ALLOW_S3).code == (
        "NoSuchEntity"
    )
    assert error(where, f"List{kind}Policies", **{member: "Absent"}).code == "NoSuchEntity"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{", "This policy contains invalid Json"),
        ("[]", "Syntax errors in policy."),
        (
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Extra": 1}],
                }
            ),
            "Syntax errors in policy.",
        ),
        (
            json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}),
            "Syntax errors in policy.",
        ),
        (
            json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotResource": "x"}]}),
            "Syntax errors in policy.",
        ),
        (statement(Effect="Allow", Action="s3:*"), "Policy statement must contain resources."),
        (statement(Effect="Allow", Resource="*"), "Policy statement must contain actions."),
        (statement(Effect="Allow", Action=[], Resource="*"), "Policy statement must contain actions."),
        (
            statement(Effect="Allow", Principal="*", Action="s3:*", Resource="*"),
            "Policy document should not specify a principal.",
        ),
        (
            statement(Effect="Allow", Action="GetObject", Resource="*"),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        ),
        (
            statement(Effect="Allow", Action="s3:Get:Object", Resource="*"),
            "Actions/Condition can contain only one colon.",
        ),
        (statement(Effect="Allow", Action="s 3:GetObject", Resource="*"), "Vendor s 3 is not valid"),
        (
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}] * 2,
                }
            ),
            "Statement IDs (SID) in a single policy must be unique.",
        ),
    ],
)
def test_malformed_inline_policies_are_refused(document: str, message: str) -> None:
    where, name = owner("Role")
    failed = error(where, "PutRolePolicy", RoleName=name, PolicyName="p", PolicyDocument=document)
    assert (failed.code, failed.status, failed.message) == ("MalformedPolicyDocument", 400, message)


def test_an_inline_policy_may_be_unversioned_or_of_2008() -> None:
    where, name = owner("User")
    unversioned = json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    call(where, "PutUserPolicy", UserName=name, PolicyName="a", PolicyDocument=unversioned)
    call(
        where,
        "PutUserPolicy",
        UserName=name,
        PolicyName="b",
        PolicyDocument=unversioned.replace("{", '{"Version": "2008-10-17", ', 1),
    )
    assert call(where, "ListUserPolicies", UserName=name)["PolicyNames"] == ["a", "b"]


@pytest.mark.parametrize(
    ("kind", "member", "quota"), [("Role", "RoleName", 10240), ("User", "UserName", 2048), ("Group", "GroupName", 5120)]
)
def test_inline_policies_share_a_size_quota(kind: str, member: str, quota: int) -> None:
    where, name = owner(kind)
    resources = [f"arn:aws:s3:::bucket-{number:04d}/*" for number in range(quota // 30)]
    big = statement(Effect="Allow", Action="s3:GetObject", Resource=resources)
    first = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources[: len(resources) // 2]}],
        }
    )
    call(where, f"Put{kind}Policy", **{member: name}, PolicyName="half", PolicyDocument=first)
    failed = error(where, f"Put{kind}Policy", **{member: name}, PolicyName="whole", PolicyDocument=big)
    assert (failed.code, failed.status) == ("LimitExceeded", 409)
    assert failed.message == f"Maximum policy size of {quota} bytes exceeded for {kind.lower()} {name}"
    # white space is not counted
    spaced = json.dumps(json.loads(first), indent=8)
    call(where, f"Put{kind}Policy", **{member: name}, PolicyName="half", PolicyDocument=spaced)


@pytest.mark.parametrize(
    "params",
    [
        {"PolicyName": "a b"},
        {"PolicyName": "p" * 129},
        {"PolicyDocument": "\u0100"},
    ],
)
def test_inline_policy_requests_are_validated(params: dict[str, Any]) -> None:
    where, name = owner("Group")
    request = {"GroupName": name, "PolicyName": "p", "PolicyDocument": ALLOW_S3, **params}
    assert error(where, "PutGroupPolicy", **request).code == "ValidationError"
