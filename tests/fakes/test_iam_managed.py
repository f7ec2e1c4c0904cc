"""The fake IAM's managed policies: customer managed ones with their versions and tags, the AWS managed ones it
knows, attaching them to roles, users and groups, and listing who uses them."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.fakes.iam_calls import (
    ACCOUNT,
    ALLOW_LOGS,
    ALLOW_LOGS_DOCUMENT,
    ALLOW_S3,
    ALLOW_S3_DOCUMENT,
    AUTOMATION,
    READ_ONLY,
    backend,
    call,
    error,
    policy,
    role,
    round_trips,
    statement,
)
from toolkit.fakes.errors import NotModeled
from toolkit.fakes.iam_policies import AWS_MANAGED, aws_managed_document, aws_managed_folder, derived_id

MINE = f"arn:aws:iam::{ACCOUNT}:policy/Mine"

# -- CreatePolicy, GetPolicy, DeletePolicy ------------------------------------------------------------------------


def test_create_policy_and_get_it() -> None:
    where = backend()
    created = call(
        where,
        "CreatePolicy",
        PolicyName="Mine",
        Path="/team/",
        PolicyDocument=ALLOW_S3,
        Description="S3 for the team",
        Tags=[{"Key": "a", "Value": "1"}],
    )["Policy"]
    arn = f"arn:aws:iam::{ACCOUNT}:policy/team/Mine"
    assert created == {
        "PolicyName": "Mine",
        "PolicyId": derived_id("ANPA", "Mine"),
        "Arn": arn,
        "Path": "/team/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 0,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "CreateDate": created["CreateDate"],
        "UpdateDate": created["CreateDate"],
        "Tags": [{"Key": "a", "Value": "1"}],
    }
    assert call(where, "GetPolicy", PolicyArn=arn)["Policy"] == {**created, "Description": "S3 for the team"}
    version = call(where, "GetPolicyVersion", PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert version == {
        "Document": ALLOW_S3_DOCUMENT,
        "VersionId": "v1",
        "IsDefaultVersion": True,
        "CreateDate": created["CreateDate"],
    }
    taken = error(where, "CreatePolicy", PolicyName="mine", PolicyDocument=ALLOW_S3)
    assert (taken.code, taken.status, taken.message) == (
        "EntityAlreadyExists",
        409,
        "A policy called mine already exists. Duplicate names are not allowed.",
    )
    round_trips(where)


@pytest.mark.parametrize(
    ("document", "code", "message"),
    [
        (
            json.dumps({"Version": "2008-10-17", "Statement": json.loads(ALLOW_S3)["Statement"]}),
            "MalformedPolicyDocument",
            "Policy document must be version 2012-10-17 or greater.",
        ),
        (
            json.dumps({"Statement": json.loads(ALLOW_S3)["Statement"]}),
            "MalformedPolicyDocument",
            "Policy document must be version 2012-10-17 or greater.",
        ),
        (
            statement(Effect="Allow", Action="s3:*"),
            "MalformedPolicyDocument",
            "Policy statement must contain resources.",
        ),
        (
            statement(Effect="Allow", Action="s3:GetObject", Resource=[f"arn:aws:s3:::b/{n:05d}" for n in range(400)]),
            "LimitExceeded",
            "Cannot exceed quota for PolicySize: 6144",
        ),
    ],
)
def test_create_policy_checks_the_document(document: str, code: str, message: str) -> None:
    failed = error(backend(), "CreatePolicy", PolicyName="Mine", PolicyDocument=document)
    assert (failed.code, failed.message) == (code, message)


def test_get_policy_errors() -> None:
    where = backend()
    policy(where, Path="/team/")
    bad = error(where, "GetPolicy", PolicyArn="arn:aws:s3:::not-a-policy")
    assert (bad.code, bad.status, bad.message) == ("InvalidInput", 400, "ARN arn:aws:s3:::not-a-policy is not valid.")
    for arn in (
        MINE,  # the path is part of the ARN
        "arn:aws:iam::111122223333:policy/team/Mine",  # another account's
        f"arn:aws:iam::{ACCOUNT}:policy/team/Absent",
        "arn:aws:iam::aws:policy/AmazonSSMAutomationRole",  # an AWS managed policy, without its path
    ):
        missing = error(where, "GetPolicy", PolicyArn=arn)
        assert (missing.code, missing.status, missing.message) == ("NoSuchEntity", 404, f"Policy {arn} was not found.")
    with pytest.raises(NotModeled, match="AWSSomethingUnknown"):
        call(where, "GetPolicy", PolicyArn="arn:aws:iam::aws:policy/AWSSomethingUnknown")


def test_delete_policy_refuses_while_attached_used_as_boundary_or_versioned() -> None:
    where = backend()
    arn = policy(where)
    role(where)
    call(where, "AttachRolePolicy", RoleName="Auto", PolicyArn=arn)
    attached = error(where, "DeletePolicy", PolicyArn=arn)
    assert (attached.code, attached.status, attached.message) == (
        "DeleteConflict",
        409,
        "Cannot delete a policy attached to entities.",
    )
    call(where, "DetachRolePolicy", RoleName="Auto", PolicyArn=arn)
    call(where, "PutRolePermissionsBoundary", RoleName="Auto", PermissionsBoundary=arn)
    assert error(where, "DeletePolicy", PolicyArn=arn).message == "Cannot delete a policy attached to entities."
    call(where, "DeleteRolePermissionsBoundary", RoleName="Auto")
    call(where, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=ALLOW_LOGS)
    versioned = error(where, "DeletePolicy", PolicyArn=arn)
    assert (versioned.code, versioned.message) == (
        "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
        "The default version is deleted with the policy.",
    )
    call(where, "DeletePolicyVersion", PolicyArn=arn, VersionId="v2")
    assert call(where, "DeletePolicy", PolicyArn=arn) == {}
    assert error(where, "GetPolicy", PolicyArn=arn).code == "NoSuchEntity"
    with pytest.raises(NotModeled):
        call(where, "DeletePolicy", PolicyArn=READ_ONLY)


# -- AWS managed policies -----------------------------------------------------------------------------------------


def test_the_aws_managed_index_matches_its_files() -> None:
    files = {path.name.removesuffix(".json") for path in aws_managed_folder().iterdir() if path.name.endswith(".json")}
    assert files == set(AWS_MANAGED)
    for name, known in AWS_MANAGED.items():
        data = json.loads((aws_managed_folder() / f"{name}.json").read_text(encoding="utf-8"))
        assert data["PolicyName"] == name
        assert (data["Path"], data["DefaultVersionId"], data["CreateDate"], data["UpdateDate"]) == known
        assert data["Document"]["Statement"], name
    for wanted in (
        "AdministratorAccess",
        "ReadOnlyAccess",
        "AmazonSSMManagedInstanceCore",
        "AmazonSSMAutomationRole",
        "AWS_ConfigRole",
    ):
        assert wanted in AWS_MANAGED


def test_aws_managed_policies_are_read_as_aws_gives_them() -> None:
    where = backend()
    got = call(where, "GetPolicy", PolicyArn=AUTOMATION)["Policy"]
    assert got == {
        "PolicyName": "AmazonSSMAutomationRole",
        "PolicyId": derived_id("ANPA", AUTOMATION),
        "Arn": AUTOMATION,
        "Path": "/service-role/",
        "DefaultVersionId": AWS_MANAGED["AmazonSSMAutomationRole"].default_version_id,
        "AttachmentCount": 0,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "CreateDate": datetime.fromisoformat(AWS_MANAGED["AmazonSSMAutomationRole"].create_date),
        "UpdateDate": datetime.fromisoformat(AWS_MANAGED["AmazonSSMAutomationRole"].update_date),
    }
    admin = call(where, "GetPolicyVersion", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess", VersionId="v1")
    assert admin["PolicyVersion"]["Document"] == {
        "Statement": [{"Action": "*", "Effect": "Allow", "Resource": "*"}],
        "Version": "2012-10-17",
    }
    assert admin["PolicyVersion"]["IsDefaultVersion"] is True
    with pytest.raises(NotModeled):
        call(where, "GetPolicyVersion", PolicyArn=READ_ONLY, VersionId="v1")  # an older version: not vendored
    for operation, params in [
        ("CreatePolicyVersion", {"PolicyDocument": ALLOW_S3}),
        ("ListPolicyVersions", {}),
        ("SetDefaultPolicyVersion", {"VersionId": "v1"}),
        ("TagPolicy", {"Tags": [{"Key": "a", "Value": "b"}]}),
    ]:
        with pytest.raises(NotModeled):
            call(where, operation, PolicyArn=READ_ONLY, **params)
    assert call(where, "ListPolicyTags", PolicyArn=READ_ONLY) == {"Tags": [], "IsTruncated": False}
    read_only = aws_managed_document("ReadOnlyAccess")
    assert read_only.allows(("AWS", f"arn:aws:iam::{ACCOUNT}:role/x"), "cloudtrail:DescribeTrails", "*")
    assert not read_only.allows(("AWS", f"arn:aws:iam::{ACCOUNT}:role/x"), "cloudtrail:StopLogging", "*")


# -- attaching ----------------------------------------------------------------------------------------------------

KINDS = [("Role", "RoleName"), ("User", "UserName"), ("Group", "GroupName")]


@pytest.mark.parametrize(("kind", "member"), KINDS)
def test_attach_list_and_detach(kind: str, member: str) -> None:
    where = backend()
    if kind == "Role":
        role(where, "Owner")
    else:
        call(where, f"Create{kind}", **{member: "Owner"})
    mine = policy(where, Path="/team/")
    for arn in (mine, READ_ONLY, AUTOMATION, mine):  # attaching again changes nothing
        assert call(where, f"Attach{kind}Policy", **{member: "owner"}, PolicyArn=arn) == {}
    attached = call(where, f"ListAttached{kind}Policies", **{member: "Owner"})
    assert attached == {
        "AttachedPolicies": [
            {"PolicyName": "Mine", "PolicyArn": mine},
            {"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY},
            {"PolicyName": "AmazonSSMAutomationRole", "PolicyArn": AUTOMATION},
        ],
        "IsTruncated": False,
    }
    by_path = call(where, f"ListAttached{kind}Policies", **{member: "Owner"}, PathPrefix="/service-role/")
    assert [item["PolicyName"] for item in by_path["AttachedPolicies"]] == ["AmazonSSMAutomationRole"]
    assert call(where, "GetPolicy", PolicyArn=mine)["Policy"]["AttachmentCount"] == 1
    assert call(where, "GetPolicy", PolicyArn=READ_ONLY)["Policy"]["AttachmentCount"] == 1
    round_trips(where)
    absent = f"arn:aws:iam::{ACCOUNT}:policy/Absent"
    unknown = error(where, f"Attach{kind}Policy", **{member: "Owner"}, PolicyArn=absent)
    assert (unknown.code, unknown.message) == ("NoSuchEntity", f"Policy {absent} does not exist or is not attachable.")
    call(where, f"Detach{kind}Policy", **{member: "Owner"}, PolicyArn=READ_ONLY)
    again = error(where, f"Detach{kind}Policy", **{member: "Owner"}, PolicyArn=READ_ONLY)
    assert (again.code, again.message) == ("NoSuchEntity", f"Policy {READ_ONLY} was not found.")
    assert error(where, f"Attach{kind}Policy", **{member: "Absent"}, PolicyArn=mine).code == "NoSuchEntity"
    with pytest.raises(NotModeled):
        call(where, f"Attach{kind}Policy", **{member: "Owner"}, PolicyArn="arn:aws:iam::aws:policy/AWSNoSuchThing")


def test_at_most_ten_managed_policies_per_role() -> None:
    where = backend()
    role(where)
    known = sorted(AWS_MANAGED)
    for name in known[:10]:
        call(
            where,
            "AttachRolePolicy",
            RoleName="Auto",
            PolicyArn=f"arn:aws:iam::aws:policy{AWS_MANAGED[name].path}{name}",
        )
    eleventh = known[10]
    full = error(
        where,
        "AttachRolePolicy",
        RoleName="Auto",
        PolicyArn=f"arn:aws:iam::aws:policy{AWS_MANAGED[eleventh].path}{eleventh}",
    )
    assert (full.code, full.status, full.message) == (
        "LimitExceeded",
        409,
        "Cannot exceed quota for PoliciesPerRole: 10",
    )


def test_list_entities_for_policy() -> None:
    where = backend()
    arn = policy(where)
    role(where, "Web", Path="/svc/")
    role(where, "Bounded")
    call(where, "CreateUser", UserName="alice")
    call(where, "CreateGroup", GroupName="admins")
    call(where, "AttachRolePolicy", RoleName="Web", PolicyArn=arn)
    call(where, "AttachUserPolicy", UserName="alice", PolicyArn=arn)
    call(where, "AttachGroupPolicy", GroupName="admins", PolicyArn=arn)
    call(where, "PutRolePermissionsBoundary", RoleName="Bounded", PermissionsBoundary=arn)
    everyone = call(where, "ListEntitiesForPolicy", PolicyArn=arn)
    assert everyone == {
        "PolicyGroups": [{"GroupName": "admins", "GroupId": derived_id("AGPA", "admins")}],
        "PolicyUsers": [{"UserName": "alice", "UserId": derived_id("AIDA", "alice")}],
        "PolicyRoles": [
            {"RoleName": "Web", "RoleId": derived_id("AROA", "Web")},
            {"RoleName": "Bounded", "RoleId": derived_id("AROA", "Bounded")},
        ],
        "IsTruncated": False,
    }

    def names(**params: str) -> list[str]:
        answer = call(where, "ListEntitiesForPolicy", PolicyArn=arn, **params)
        return [
            entity.get("GroupName") or entity.get("UserName") or entity["RoleName"]
            for key in ("PolicyGroups", "PolicyUsers", "PolicyRoles")
            for entity in answer[key]
        ]

    assert names(EntityFilter="Role") == ["Web", "Bounded"]
    assert names(EntityFilter="User") == ["alice"]
    assert names(PolicyUsageFilter="PermissionsBoundary") == ["Bounded"]
    assert names(PolicyUsageFilter="PermissionsPolicy") == ["admins", "alice", "Web"]
    assert names(PathPrefix="/svc/") == ["Web"]
    assert names(EntityFilter="AWSManagedPolicy") == []
    assert call(where, "GetPolicy", PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    assert error(where, "ListEntitiesForPolicy", PolicyArn=arn, EntityFilter="Robot").code == "ValidationError"
    assert error(where, "ListEntitiesForPolicy", PolicyArn=arn + "x").code == "NoSuchEntity"


def test_list_policies_by_scope_use_and_path() -> None:
    where = backend()
    mine = policy(where)
    policy(where, "Unused", Path="/team/")
    role(where)
    call(where, "AttachRolePolicy", RoleName="Auto", PolicyArn=mine)
    call(where, "AttachRolePolicy", RoleName="Auto", PolicyArn=READ_ONLY)
    call(where, "PutRolePermissionsBoundary", RoleName="Auto", PermissionsBoundary=AUTOMATION)

    def names(**params: object) -> list[str]:
        return [item["PolicyName"] for item in call(where, "ListPolicies", **params)["Policies"]]

    assert names(Scope="Local") == ["Mine", "Unused"]
    assert names(Scope="AWS") == sorted(AWS_MANAGED)
    assert names() == sorted([*AWS_MANAGED, "Mine", "Unused"])
    assert names(OnlyAttached=True) == ["AmazonSSMAutomationRole", "Mine", "ReadOnlyAccess"]
    assert names(OnlyAttached=True, Scope="Local") == ["Mine"]
    assert names(Scope="Local", PathPrefix="/team/") == ["Unused"]
    assert names(PolicyUsageFilter="PermissionsBoundary") == ["AmazonSSMAutomationRole"]
    assert names(PolicyUsageFilter="PermissionsPolicy") == ["Mine", "ReadOnlyAccess"]
    listed = call(where, "ListPolicies", Scope="Local")["Policies"][0]
    assert "Description" not in listed and "Tags" not in listed
    first = call(where, "ListPolicies", Scope="Local", MaxItems=1)
    assert (first["IsTruncated"], first["Marker"]) == (True, "1")
    assert error(where, "ListPolicies", Scope="Mine").code == "ValidationError"


# -- versions -----------------------------------------------------------------------------------------------------


def test_policy_versions() -> None:
    where = backend()
    arn = policy(where)
    created = call(where, "GetPolicy", PolicyArn=arn)["Policy"]["CreateDate"]
    v2 = call(where, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=ALLOW_LOGS)["PolicyVersion"]
    assert (v2["VersionId"], v2["IsDefaultVersion"], "Document" in v2) == ("v2", False, False)
    v3 = call(where, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=ALLOW_LOGS, SetAsDefault=True)
    assert v3["PolicyVersion"]["IsDefaultVersion"] is True
    got = call(where, "GetPolicy", PolicyArn=arn)["Policy"]
    assert (got["DefaultVersionId"], got["CreateDate"], got["UpdateDate"]) == (
        "v3",
        created,
        v3["PolicyVersion"]["CreateDate"],
    )
    assert got["UpdateDate"] > created
    listed = call(where, "ListPolicyVersions", PolicyArn=arn)
    assert [(item["VersionId"], item["IsDefaultVersion"]) for item in listed["Versions"]] == [
        ("v3", True),
        ("v2", False),
        ("v1", False),
    ]
    assert "Document" not in listed["Versions"][0]
    assert (
        call(where, "GetPolicyVersion", PolicyArn=arn, VersionId="v3")["PolicyVersion"]["Document"]
        == ALLOW_LOGS_DOCUMENT
    )
    default = error(where, "DeletePolicyVersion", PolicyArn=arn, VersionId="v3")
    assert (default.code, default.status, default.message) == (
        "DeleteConflict",
        409,
        "Cannot delete the default version of a policy.",
    )
    call(where, "DeletePolicyVersion", PolicyArn=arn, VersionId="v2")
    missing = error(where, "GetPolicyVersion", PolicyArn=arn, VersionId="v2")
    assert (missing.code, missing.message) == ("NoSuchEntity", f"Policy {arn} version v2 does not exist.")
    assert error(where, "DeletePolicyVersion", PolicyArn=arn, VersionId="v2").code == "NoSuchEntity"
    round_trips(where)
    # ids are never reused: after v3 comes v4, even with v2 gone
    assert (
        call(where, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=ALLOW_S3)["PolicyVersion"]["VersionId"] == "v4"
    )
    call(where, "SetDefaultPolicyVersion", PolicyArn=arn, VersionId="v1")
    assert call(where, "GetPolicy", PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"
    unknown = error(where, "SetDefaultPolicyVersion", PolicyArn=arn, VersionId="v9")
    assert (unknown.code, unknown.message) == (
        "NoSuchEntity",
        f"Policy {arn} version v9 does not exist or is not attachable.",
    )
    assert error(where, "GetPolicyVersion", PolicyArn=arn, VersionId="1").code == "ValidationError"
    assert error(
        where, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=statement(Effect="Allow", Action="s3:*")
    ).code == ("MalformedPolicyDocument")
    round_trips(where)


def test_a_policy_keeps_at_most_five_versions() -> None:
    where = backend()
    arn = policy(where)
    for _ in range(4):
        call(where, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=ALLOW_S3)
    full = error(where, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=ALLOW_S3)
    assert (full.code, full.status, full.message) == (
        "LimitExceeded",
        409,
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing "
        "version.",
    )


def test_policy_tags() -> None:
    where = backend()
    arn = policy(where)
    call(where, "TagPolicy", PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    call(where, "UntagPolicy", PolicyArn=arn, TagKeys=["b"])
    assert call(where, "ListPolicyTags", PolicyArn=arn) == {"Tags": [{"Key": "a", "Value": "1"}], "IsTruncated": False}
    assert call(where, "GetPolicy", PolicyArn=arn)["Policy"]["Tags"] == [{"Key": "a", "Value": "1"}]
    assert error(where, "TagPolicy", PolicyArn=arn + "x", Tags=[]).code == "NoSuchEntity"
    round_trips(where)
