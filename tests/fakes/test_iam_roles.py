"""The fake IAM's roles and instance profiles: what they return, IAM's errors, and the world they leave."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import botocore
import pytest

from tests.fakes.boto import fake_session
from tests.fakes.iam_calls import (
    ACCOUNT,
    ALLOW_S3,
    READ_ONLY,
    START,
    TRUST,
    TRUST_DOCUMENT,
    backend,
    call,
    error,
    policy,
    role,
    round_trips,
    statement,
)
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.iam_policies import derived_id
from toolkit.fakes.record import CREATED
from toolkit.fakes.services.iam import OPERATIONS

IAM_MODEL = Path(botocore.__file__).parent / "data" / "iam" / "2010-05-08" / "service-2.json.gz"


def iam_model() -> dict[str, Any]:
    model: dict[str, Any] = json.loads(gzip.decompress(IAM_MODEL.read_bytes()))
    return model


# -- CreateRole and GetRole ---------------------------------------------------------------------------------------


def test_create_role_answers_the_role_as_get_role_does_and_it_round_trips() -> None:
    where = backend()
    created = role(
        where,
        Path="/service/",
        Description="Runs automations",
        MaxSessionDuration=7200,
        Tags=[{"Key": "team", "Value": "sec"}],
    )
    assert created == {
        "Path": "/service/",
        "RoleName": "Auto",
        "RoleId": derived_id("AROA", "Auto"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/service/Auto",
        "CreateDate": created["CreateDate"],
        "AssumeRolePolicyDocument": TRUST_DOCUMENT,
        "Description": "Runs automations",
        "MaxSessionDuration": 7200,
        "Tags": [{"Key": "team", "Value": "sec"}],
    }
    assert created["CreateDate"] > START  # the simulated clock's time, not the wall clock's
    assert call(where, "GetRole", RoleName="Auto")["Role"] == {**created, "RoleLastUsed": {}}
    assert created["RoleId"].startswith("AROA") and len(created["RoleId"]) == 21
    round_trips(where)


def test_a_world_file_role_keeps_getroles_old_answer() -> None:
    where = backend({"Roles": [{"Name": "ToLogs", "AssumeRolePolicyDocument": TRUST_DOCUMENT}]})
    assert call(where, "GetRole", RoleName="ToLogs")["Role"] == {
        "Path": "/",
        "RoleName": "ToLogs",
        "RoleId": derived_id("AROA", "ToLogs"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/ToLogs",
        "CreateDate": CREATED,
        "AssumeRolePolicyDocument": TRUST_DOCUMENT,
        "MaxSessionDuration": 3600,
        "RoleLastUsed": {},
    }


def test_names_are_case_insensitive_and_unique() -> None:
    where = backend()
    role(where, "Auto")
    assert call(where, "GetRole", RoleName="AUTO")["Role"]["RoleName"] == "Auto"
    taken = error(where, "CreateRole", RoleName="auto", AssumeRolePolicyDocument=TRUST)
    assert (taken.code, taken.status, taken.message) == (
        "EntityAlreadyExists",
        409,
        "Role with name auto already exists.",
    )
    missing = error(where, "GetRole", RoleName="Other")
    assert (missing.code, missing.status, missing.message) == (
        "NoSuchEntity",
        404,
        "The role with name Other cannot be found.",
    )


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"RoleName": "a b"},
            "ValidationError",
            r"Value 'a b' at 'roleName' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: [\w+=,.@-]+",
        ),
        (
            {"RoleName": "r" * 65},
            "ValidationError",
            "at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
        ),
        ({"RoleName": "é"}, "ValidationError", "Member must satisfy regular expression pattern"),
        (
            {"RoleName": None},
            "ValidationError",
            "Value null at 'roleName' failed to satisfy constraint: Member must not be null",
        ),
        ({"Path": "svc"}, "ValidationError", "at 'path' failed to satisfy constraint"),
        ({"MaxSessionDuration": 3599}, "ValidationError", "Member must have value greater than or equal to 3600"),
        ({"MaxSessionDuration": 43201}, "ValidationError", "Member must have value less than or equal to 43200"),
        ({"Description": "d" * 1001}, "ValidationError", "Member must have length less than or equal to 1000"),
        (
            {"Tags": [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]},
            "InvalidInput",
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        ),
        (
            {"Tags": [{"Key": f"k{n}", "Value": ""} for n in range(51)]},
            "ValidationError",
            "Member must have length less than or equal to 50",
        ),
        (
            {"Tags": [{"Key": "k" * 129, "Value": ""}]},
            "ValidationError",
            "Member must have length less than or equal to 128",
        ),
        (
            {"Tags": [{"Key": "bad#key", "Value": ""}]},
            "ValidationError",
            "Member must satisfy regular expression pattern",
        ),
        ({"AssumeRolePolicyDocument": "{nope"}, "MalformedPolicyDocument", "This policy contains invalid Json"),
        (
            {
                "AssumeRolePolicyDocument": statement(
                    Effect="Allow", Principal={"Service": "x"}, Action="sts:AssumeRole", Resource="*"
                )
            },
            "MalformedPolicyDocument",
            "Has prohibited field Resource",
        ),
        (
            {"AssumeRolePolicyDocument": statement(Effect="Allow", Action="sts:AssumeRole")},
            "MalformedPolicyDocument",
            "Missing required field Principal",
        ),
        (
            {"AssumeRolePolicyDocument": statement(Effect="Allow", Principal="*", Action="s3:GetObject")},
            "MalformedPolicyDocument",
            "Trust Policy statement actions can only be sts:AssumeRole",
        ),
        (
            {"AssumeRolePolicyDocument": json.dumps({"Version": "2012-10-17", "Statement": []})},
            "MalformedPolicyDocument",
            "Syntax errors in policy.",
        ),
        (
            {
                "AssumeRolePolicyDocument": json.dumps(
                    {"Version": "2013-01-01", "Statement": json.loads(TRUST)["Statement"]}
                )
            },
            "MalformedPolicyDocument",
            "Syntax errors in policy.",
        ),
        (
            {
                "AssumeRolePolicyDocument": statement(
                    Effect="Allow", Principal={"AWS": ["arn:aws:iam::111122223333:root"] * 60}, Action="sts:AssumeRole"
                )
            },
            "LimitExceeded",
            "Cannot exceed quota for ACLSizePerRole: 2048",
        ),
        (
            {"PermissionsBoundary": "arn:aws:iam::123456789012:policy/Absent"},
            "NoSuchEntity",
            "Scope ARN: arn:aws:iam::123456789012:policy/Absent does not exist or is not attachable.",
        ),
        (
            {"PermissionsBoundary": "not a policy arn at all"},
            "InvalidInput",
            "ARN not a policy arn at all is not valid.",
        ),
    ],
)
def test_create_role_refuses_as_iam_does(params: dict[str, Any], code: str, message: str) -> None:
    where = backend()
    request = {"RoleName": "Auto", "AssumeRolePolicyDocument": TRUST, **params}
    failed = error(where, "CreateRole", **{key: value for key, value in request.items() if value is not None})
    assert failed.code == code
    assert message in failed.message


def test_a_trust_policy_may_use_the_older_version_and_sts_wildcards() -> None:
    where = backend()
    older = {**TRUST_DOCUMENT, "Version": "2008-10-17"}
    call(where, "CreateRole", RoleName="Old", AssumeRolePolicyDocument=json.dumps(older))
    wildcard = statement(Effect="Allow", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, Action="sts:Assume*")
    call(where, "CreateRole", RoleName="Wild", AssumeRolePolicyDocument=wildcard)
    assert call(where, "GetRole", RoleName="Old")["Role"]["AssumeRolePolicyDocument"] == older


def test_signin_session_duration_is_not_modelled() -> None:
    with pytest.raises(NotModeled):
        role(backend(), MaxSigninSessionDuration=3600)


# -- changing roles -----------------------------------------------------------------------------------------------


def test_update_role_and_its_description_and_trust_policy() -> None:
    where = backend()
    role(where, Description="old")
    assert call(where, "UpdateRole", RoleName="Auto", MaxSessionDuration=10800) == {}
    got = call(where, "GetRole", RoleName="Auto")["Role"]
    assert (got["Description"], got["MaxSessionDuration"]) == ("old", 10800)  # an absent member changes nothing
    updated = call(where, "UpdateRoleDescription", RoleName="Auto", Description="new")["Role"]
    assert updated["Description"] == "new" and "RoleLastUsed" not in updated
    trusted = statement(Effect="Allow", Principal={"Service": "lambda.amazonaws.com"}, Action="sts:AssumeRole")
    assert call(where, "UpdateAssumeRolePolicy", RoleName="Auto", PolicyDocument=trusted) == {}
    assert call(where, "GetRole", RoleName="Auto")["Role"]["AssumeRolePolicyDocument"] == json.loads(trusted)
    assert error(where, "UpdateAssumeRolePolicy", RoleName="Auto", PolicyDocument=ALLOW_S3).code == (
        "MalformedPolicyDocument"
    )
    assert error(where, "UpdateRole", RoleName="Auto", MaxSessionDuration=60).code == "ValidationError"
    assert error(where, "UpdateRole", RoleName="Absent").code == "NoSuchEntity"
    round_trips(where)


def test_permissions_boundaries_of_roles() -> None:
    where = backend()
    role(where)
    boundary = policy(where, "Boundary")
    call(where, "PutRolePermissionsBoundary", RoleName="Auto", PermissionsBoundary=boundary)
    assert call(where, "GetRole", RoleName="Auto")["Role"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": boundary,
    }
    call(where, "PutRolePermissionsBoundary", RoleName="Auto", PermissionsBoundary=READ_ONLY)
    round_trips(where)
    call(where, "DeleteRolePermissionsBoundary", RoleName="Auto")
    assert "PermissionsBoundary" not in call(where, "GetRole", RoleName="Auto")["Role"]
    absent = error(where, "PutRolePermissionsBoundary", RoleName="Auto", PermissionsBoundary=boundary + "x")
    assert (absent.code, absent.message) == (
        "NoSuchEntity",
        f"Scope ARN: {boundary}x does not exist or is not attachable.",
    )
    with pytest.raises(NotModeled):
        call(
            where, "PutRolePermissionsBoundary", RoleName="Auto", PermissionsBoundary="arn:aws:iam::aws:policy/Unknown"
        )


def test_role_tags() -> None:
    where = backend()
    role(where, Tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "prod"}])
    call(where, "TagRole", RoleName="Auto", Tags=[{"Key": "Team", "Value": "b"}, {"Key": "cost", "Value": "1"}])
    tags = call(where, "ListRoleTags", RoleName="Auto")
    assert tags == {
        "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "Team", "Value": "b"}, {"Key": "cost", "Value": "1"}],
        "IsTruncated": False,
    }
    call(where, "UntagRole", RoleName="Auto", TagKeys=["TEAM", "absent"])
    assert [tag["Key"] for tag in call(where, "ListRoleTags", RoleName="Auto")["Tags"]] == ["env", "cost"]
    first = call(where, "ListRoleTags", RoleName="Auto", MaxItems=1)
    assert first == {"Tags": [{"Key": "env", "Value": "prod"}], "IsTruncated": True, "Marker": "1"}
    assert call(where, "ListRoleTags", RoleName="Auto", Marker="1")["Tags"] == [{"Key": "cost", "Value": "1"}]
    many = [{"Key": f"k{n}", "Value": ""} for n in range(49)]
    full = error(where, "TagRole", RoleName="Auto", Tags=many)
    assert (full.code, full.status) == ("LimitExceeded", 409)
    assert error(where, "TagRole", RoleName="Absent", Tags=[{"Key": "a", "Value": ""}]).code == "NoSuchEntity"
    round_trips(where)


# -- DeleteRole and ListRoles -------------------------------------------------------------------------------------


def test_delete_role_refuses_while_anything_holds_it() -> None:
    where = backend()
    role(where)
    call(where, "CreateInstanceProfile", InstanceProfileName="Web")
    call(where, "AddRoleToInstanceProfile", InstanceProfileName="Web", RoleName="Auto")
    call(where, "AttachRolePolicy", RoleName="Auto", PolicyArn=READ_ONLY)
    call(where, "PutRolePolicy", RoleName="Auto", PolicyName="s3", PolicyDocument=ALLOW_S3)
    messages = []
    for undo, params in [
        ("RemoveRoleFromInstanceProfile", {"InstanceProfileName": "Web", "RoleName": "Auto"}),
        ("DetachRolePolicy", {"RoleName": "Auto", "PolicyArn": READ_ONLY}),
        ("DeleteRolePolicy", {"RoleName": "Auto", "PolicyName": "s3"}),
    ]:
        conflict = error(where, "DeleteRole", RoleName="Auto")
        assert (conflict.code, conflict.status) == ("DeleteConflict", 409)
        messages.append(conflict.message)
        call(where, undo, **params)
    assert messages == [
        "Cannot delete entity, must remove roles from instance profile first.",
        "Cannot delete entity, must detach all policies first.",
        "Cannot delete entity, must delete policies first.",
    ]
    call(where, "PutRolePermissionsBoundary", RoleName="Auto", PermissionsBoundary=READ_ONLY)  # no conflict
    assert call(where, "DeleteRole", RoleName="auto") == {}
    assert error(where, "GetRole", RoleName="Auto").code == "NoSuchEntity"
    assert error(where, "DeleteRole", RoleName="Auto").code == "NoSuchEntity"


def test_list_roles_by_path_and_page() -> None:
    where = backend()
    for name, path in [("c", "/"), ("a", "/svc/"), ("b", "/svc/deep/"), ("d", "/other/")]:
        role(where, name, Path=path)
    listed = call(where, "ListRoles")
    assert [item["RoleName"] for item in listed["Roles"]] == ["a", "b", "c", "d"]
    assert listed["IsTruncated"] is False and "Marker" not in listed
    assert {"Tags", "PermissionsBoundary", "RoleLastUsed"}.isdisjoint(listed["Roles"][0])
    assert [item["RoleName"] for item in call(where, "ListRoles", PathPrefix="/svc/")["Roles"]] == ["a", "b"]
    pages, marker = [], None
    while True:
        answer = call(where, "ListRoles", MaxItems=3, **({"Marker": marker} if marker else {}))
        pages.append([item["RoleName"] for item in answer["Roles"]])
        if not answer["IsTruncated"]:
            break
        marker = answer["Marker"]
    assert pages == [["a", "b", "c"], ["d"]]
    assert error(where, "ListRoles", MaxItems=0).code == "ValidationError"
    assert error(where, "ListRoles", PathPrefix="svc").code == "ValidationError"


def test_boto3s_paginator_walks_the_roles() -> None:
    where = backend()
    for name in ("one", "two", "three"):
        role(where, name)
    client = fake_session(where).client("iam")
    pages = client.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 2})
    assert [item["RoleName"] for page in pages for item in page["Roles"]] == ["one", "three", "two"]


# -- instance profiles --------------------------------------------------------------------------------------------


def test_instance_profiles_hold_one_role() -> None:
    where = backend()
    role(where)
    role(where, "Other")
    created = call(
        where, "CreateInstanceProfile", InstanceProfileName="Web", Path="/ec2/", Tags=[{"Key": "a", "Value": "1"}]
    )
    profile = created["InstanceProfile"]
    assert profile == {
        "Path": "/ec2/",
        "InstanceProfileName": "Web",
        "InstanceProfileId": derived_id("AIPA", "Web"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/ec2/Web",
        "CreateDate": profile["CreateDate"],
        "Roles": [],
        "Tags": [{"Key": "a", "Value": "1"}],
    }
    assert error(where, "CreateInstanceProfile", InstanceProfileName="web").code == "EntityAlreadyExists"
    call(where, "AddRoleToInstanceProfile", InstanceProfileName="Web", RoleName="Auto")
    full = error(where, "AddRoleToInstanceProfile", InstanceProfileName="Web", RoleName="Other")
    assert (full.code, full.status, full.message) == (
        "LimitExceeded",
        409,
        "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
    )
    assert error(where, "AddRoleToInstanceProfile", InstanceProfileName="Web", RoleName="Auto").code == "LimitExceeded"
    got = call(where, "GetInstanceProfile", InstanceProfileName="Web")["InstanceProfile"]
    assert [(item["RoleName"], item["AssumeRolePolicyDocument"]) for item in got["Roles"]] == [("Auto", TRUST_DOCUMENT)]
    for_role = call(where, "ListInstanceProfilesForRole", RoleName="Auto")
    assert [item["InstanceProfileName"] for item in for_role["InstanceProfiles"]] == ["Web"]
    assert call(where, "ListInstanceProfilesForRole", RoleName="Other")["InstanceProfiles"] == []
    assert [item["InstanceProfileName"] for item in call(where, "ListInstanceProfiles")["InstanceProfiles"]] == ["Web"]
    assert call(where, "ListInstanceProfiles", PathPrefix="/other/")["InstanceProfiles"] == []
    round_trips(where)
    conflict = error(where, "DeleteInstanceProfile", InstanceProfileName="Web")
    assert (conflict.code, conflict.message) == (
        "DeleteConflict",
        "Cannot delete entity, must remove roles from instance profile first.",
    )
    assert error(where, "RemoveRoleFromInstanceProfile", InstanceProfileName="Web", RoleName="Other").code == (
        "NoSuchEntity"
    )
    call(where, "RemoveRoleFromInstanceProfile", InstanceProfileName="Web", RoleName="Auto")
    call(where, "DeleteInstanceProfile", InstanceProfileName="Web")
    missing = error(where, "GetInstanceProfile", InstanceProfileName="Web")
    assert (missing.code, missing.message) == ("NoSuchEntity", "Instance Profile Web cannot be found.")


def test_instance_profile_tags() -> None:
    where = backend()
    call(where, "CreateInstanceProfile", InstanceProfileName="Web")
    call(where, "TagInstanceProfile", InstanceProfileName="Web", Tags=[{"Key": "a", "Value": "1"}])
    assert call(where, "ListInstanceProfileTags", InstanceProfileName="Web")["Tags"] == [{"Key": "a", "Value": "1"}]
    call(where, "UntagInstanceProfile", InstanceProfileName="Web", TagKeys=["a"])
    assert call(where, "ListInstanceProfileTags", InstanceProfileName="Web")["Tags"] == []
    assert error(where, "TagInstanceProfile", InstanceProfileName="No", Tags=[]).code == "NoSuchEntity"


# -- what is not modelled, and statuses ---------------------------------------------------------------------------


def test_every_other_iam_operation_is_not_modelled() -> None:
    others = sorted(set(iam_model()["operations"]) - set(OPERATIONS))
    assert len(others) > 80 and "GetAccountAuthorizationDetails" in others and "CreateAccessKey" in others
    where = backend()
    for operation in others:
        with pytest.raises(NotModeled) as caught:
            call(where, operation)
        assert caught.value.operation == operation


def test_every_modelled_operation_is_an_iam_operation() -> None:
    assert set(OPERATIONS) <= set(iam_model()["operations"])
    assert len(OPERATIONS) == 74


def test_get_user_without_a_name_is_not_modelled() -> None:
    with pytest.raises(NotModeled):
        call(backend(), "GetUser")


def failures() -> list[AwsError]:
    """One of each error the fake IAM raises."""
    where = backend()
    role(where)
    found = []
    for operation, params in [
        ("GetRole", {"RoleName": "Absent"}),
        ("CreateRole", {"RoleName": "Auto", "AssumeRolePolicyDocument": TRUST}),
        ("CreateRole", {"RoleName": "Bad", "AssumeRolePolicyDocument": ALLOW_S3}),
        ("CreateRole", {"RoleName": "a b", "AssumeRolePolicyDocument": TRUST}),
        ("CreateRole", {"RoleName": "T", "AssumeRolePolicyDocument": TRUST, "Tags": [{"Key": "a", "Value": ""}] * 2}),
        ("GetPolicy", {"PolicyArn": "arn:aws:s3:::not-a-policy"}),
        ("AddRoleToInstanceProfile", {"InstanceProfileName": "Absent", "RoleName": "Auto"}),
        ("PutRolePolicy", {"RoleName": "Auto", "PolicyName": "p", "PolicyDocument": ALLOW_S3}),
        ("DeleteRole", {"RoleName": "Auto"}),
    ]:
        try:
            call(where, operation, **params)
        except AwsError as err:
            found.append(err)
    call(where, "CreateInstanceProfile", InstanceProfileName="P")
    call(where, "AddRoleToInstanceProfile", InstanceProfileName="P", RoleName="Auto")
    try:
        call(where, "AddRoleToInstanceProfile", InstanceProfileName="P", RoleName="Auto")
    except AwsError as err:
        found.append(err)
    return found


def test_every_error_has_the_status_botocores_model_gives_its_code() -> None:
    statuses = {
        shape["error"]["code"]: shape["error"]["httpStatusCode"]
        for shape in iam_model()["shapes"].values()
        if "error" in shape and "code" in shape["error"]
    }
    statuses["ValidationError"] = 400  # IAM's request validation, not in the model
    seen = {err.code: err.status for err in failures()}
    assert set(seen) == {
        "NoSuchEntity",
        "EntityAlreadyExists",
        "MalformedPolicyDocument",
        "ValidationError",
        "InvalidInput",
        "DeleteConflict",
        "LimitExceeded",
    }
    assert seen == {code: statuses[code] for code in seen}


def test_clients_raise_iams_modeled_exceptions() -> None:
    client = fake_session(backend()).client("iam")
    with pytest.raises(client.exceptions.NoSuchEntityException):
        client.get_role(RoleName="Absent")
    client.create_role(RoleName="Auto", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(client.exceptions.EntityAlreadyExistsException):
        client.create_role(RoleName="Auto", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(client.exceptions.MalformedPolicyDocumentException):
        client.put_role_policy(RoleName="Auto", PolicyName="p", PolicyDocument="{")
    client.put_role_policy(RoleName="Auto", PolicyName="p", PolicyDocument=ALLOW_S3)
    with pytest.raises(client.exceptions.DeleteConflictException):
        client.delete_role(RoleName="Auto")
    # the document comes back as boto3 gives it: IAM's URL-encoded text, decoded by botocore
    assert client.get_role_policy(RoleName="Auto", PolicyName="p")["PolicyDocument"] == json.loads(ALLOW_S3)
    assert client.get_role(RoleName="Auto")["Role"]["AssumeRolePolicyDocument"] == TRUST_DOCUMENT
