"""The world file's IAM sections: defaults, round trips (of what the file says and of whatever the operations make),
refusals naming the key, cheap independent copies, and the reading a permission evaluator will use."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.iam_calls import (
    ACCOUNT,
    ALLOW_LOGS_DOCUMENT,
    ALLOW_S3,
    ALLOW_S3_DOCUMENT,
    AUTOMATION,
    READ_ONLY,
    TRUST,
    TRUST_DOCUMENT,
    Clock,
    call,
)
from toolkit.fakes.default import default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.iam import boundary_policy, permission_policies, unnamed_policy_name
from toolkit.fakes.iam_policies import aws_managed_document
from toolkit.fakes.world import World, WorldError
from toolkit.iam.policy import Policy

MINE = f"arn:aws:iam::{ACCOUNT}:policy/team/Mine"


def iam_data() -> dict[str, Any]:
    """Something in every IAM section, every key set somewhere."""
    return {
        "Policies": [
            {
                "Name": "Mine",
                "Path": "/team/",
                "Description": "mine",
                "Document": ALLOW_S3_DOCUMENT,
                "Tags": {"a": "1"},
            },
            {
                "Name": "Versioned",
                "DefaultVersionId": "v3",
                "Versions": [
                    {"VersionId": "v1", "Document": ALLOW_S3_DOCUMENT, "CreateDate": "2025-02-01T00:00:00Z"},
                    {"VersionId": "v3", "Document": ALLOW_LOGS_DOCUMENT, "CreateDate": "2025-03-01T00:00:00Z"},
                ],
                "NextVersionId": "v5",
            },
        ],
        "Groups": [
            {"Name": "admins", "Path": "/ops/", "Policies": [ALLOW_S3_DOCUMENT], "AttachedPolicies": [READ_ONLY]}
        ],
        "Roles": [
            {
                "Name": "Remediation",
                "Path": "/svc/",
                "AssumeRolePolicyDocument": TRUST_DOCUMENT,
                "Description": "fixes things",
                "MaxSessionDuration": 7200,
                "Policies": [
                    ALLOW_S3_DOCUMENT,
                    {"PolicyName": "Logs", "PolicyDocument": json.dumps(ALLOW_LOGS_DOCUMENT)},
                ],
                "AttachedPolicies": [MINE, AUTOMATION],
                "PermissionsBoundary": READ_ONLY,
                "Tags": {"team": "security"},
                "CreateDate": "2025-06-01T00:00:00Z",
            }
        ],
        "Users": [
            {
                "Name": "alice",
                "Groups": ["admins"],
                "Policies": [{"PolicyName": "Own", "PolicyDocument": ALLOW_LOGS_DOCUMENT}],
                "AttachedPolicies": [MINE],
                "PermissionsBoundary": MINE,
                "Tags": {"t": ""},
            }
        ],
        "InstanceProfiles": [{"Name": "web", "Path": "/ec2/", "Roles": ["Remediation"], "Tags": {"x": "y"}}],
    }


def test_the_iam_sections_are_written_in_full_and_read_back(tmp_path: Path) -> None:
    world = World.from_dict(iam_data())
    data = world.to_dict()
    role = data["Roles"][0]
    assert list(role) == [
        "Name",
        "Path",
        "AssumeRolePolicyDocument",
        "Description",
        "MaxSessionDuration",
        "Policies",
        "AttachedPolicies",
        "PermissionsBoundary",
        "Tags",
        "CreateDate",
    ]
    # the unnamed document stays unnamed; the named one keeps its name (its text read as a document)
    assert role["Policies"] == [ALLOW_S3_DOCUMENT, {"PolicyName": "Logs", "PolicyDocument": ALLOW_LOGS_DOCUMENT}]
    assert data["Users"][0] == {
        "Name": "alice",
        "Path": "/",
        "Groups": ["admins"],
        "Policies": [{"PolicyName": "Own", "PolicyDocument": ALLOW_LOGS_DOCUMENT}],
        "AttachedPolicies": [MINE],
        "PermissionsBoundary": MINE,
        "Tags": {"t": ""},
        "CreateDate": "2025-01-01T00:00:00Z",
    }
    assert data["Groups"][0]["Policies"] == [ALLOW_S3_DOCUMENT]
    versioned = data["Policies"][1]
    assert versioned == {
        "Name": "Versioned",
        "Path": "/",
        "Description": None,
        "Document": ALLOW_LOGS_DOCUMENT,
        "DefaultVersionId": "v3",
        "Versions": [
            {"VersionId": "v1", "Document": ALLOW_S3_DOCUMENT, "CreateDate": "2025-02-01T00:00:00Z"},
            {"VersionId": "v3", "Document": ALLOW_LOGS_DOCUMENT, "CreateDate": "2025-03-01T00:00:00Z"},
        ],
        "NextVersionId": "v5",
        "Tags": {},
        "CreateDate": "2025-01-01T00:00:00Z",
        "UpdateDate": "2025-03-01T00:00:00Z",
    }
    assert data["Policies"][0]["Versions"] == [
        {"VersionId": "v1", "Document": ALLOW_S3_DOCUMENT, "CreateDate": "2025-01-01T00:00:00Z"}
    ]
    assert data["InstanceProfiles"] == [
        {
            "Name": "web",
            "Path": "/ec2/",
            "Roles": ["Remediation"],
            "Tags": {"x": "y"},
            "CreateDate": "2025-01-01T00:00:00Z",
        }
    ]
    assert World.from_dict(data) == world
    world.dump(tmp_path / "w.yaml")
    world.dump(tmp_path / "w.json")
    assert World.load(tmp_path / "w.yaml") == world == World.load(tmp_path / "w.json")
    assert yaml.safe_load((tmp_path / "w.yaml").read_text()) == data


def test_the_world_files_iam_is_what_the_operations_see() -> None:
    backend = World.from_dict(iam_data()).backend()
    got = call(backend, "GetRole", RoleName="Remediation")["Role"]
    assert (got["Arn"], got["Description"], got["MaxSessionDuration"]) == (
        f"arn:aws:iam::{ACCOUNT}:role/svc/Remediation",
        "fixes things",
        7200,
    )
    unnamed = unnamed_policy_name(Policy(ALLOW_S3_DOCUMENT))
    assert re.fullmatch(r"Policy-[0-9a-f]{8}", unnamed)
    assert call(backend, "ListRolePolicies", RoleName="Remediation")["PolicyNames"] == sorted(["Logs", unnamed])
    assert (
        call(backend, "GetRolePolicy", RoleName="Remediation", PolicyName=unnamed)["PolicyDocument"]
        == ALLOW_S3_DOCUMENT
    )
    assert call(backend, "GetPolicy", PolicyArn=MINE)["Policy"]["AttachmentCount"] == 2
    assert (
        call(backend, "GetPolicy", PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/Versioned")["Policy"]["DefaultVersionId"]
        == "v3"
    )
    created = call(
        backend, "CreatePolicyVersion", PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/Versioned", PolicyDocument=ALLOW_S3
    )
    assert created["PolicyVersion"]["VersionId"] == "v5"
    assert [group["GroupName"] for group in call(backend, "ListGroupsForUser", UserName="alice")["Groups"]] == [
        "admins"
    ]
    listed = call(backend, "ListInstanceProfilesForRole", RoleName="Remediation")["InstanceProfiles"]
    assert [profile["InstanceProfileName"] for profile in listed] == ["web"]


def test_identical_unnamed_documents_are_one_policy() -> None:
    world = World.from_dict({"Roles": [{"Name": "r", "Policies": [ALLOW_S3_DOCUMENT, ALLOW_S3_DOCUMENT]}]})
    assert world.to_dict()["Roles"][0]["Policies"] == [ALLOW_S3_DOCUMENT]


def test_the_default_world_has_empty_iam_sections() -> None:
    data = World.default().to_dict()
    assert [data[key] for key in ("Roles", "Users", "Groups", "Policies", "InstanceProfiles")] == [[], [], [], [], []]
    keys = list(data)
    assert keys[keys.index("Roles") : keys.index("Trails")] == [
        "Roles",
        "Users",
        "Groups",
        "Policies",
        "InstanceProfiles",
    ]
    assert data["Roles"] == default_data()["Roles"] == []


def with_section(section: str, entry: dict[str, Any], **others: list[dict[str, Any]]) -> dict[str, Any]:
    return {section: [entry], **others}


@pytest.mark.parametrize(
    ("data", "key", "message"),
    [
        (with_section("Roles", {"Name": "r", "Arn": "x"}), "Roles[0].Arn", "unknown key"),
        (
            with_section("Users", {"Name": "u", "AssumeRolePolicyDocument": {}}),
            "Users[0].AssumeRolePolicyDocument",
            "unknown key",
        ),
        (with_section("Groups", {"Name": "g", "Tags": {}}), "Groups[0].Tags", "unknown key"),
        (with_section("Policies", {"Name": "p", "Document": {}, "Arn": "x"}), "Policies[0].Arn", "unknown key"),
        (with_section("InstanceProfiles", {"Name": "i", "Role": "r"}), "InstanceProfiles[0].Role", "unknown key"),
        (
            with_section("Roles", {"Name": "r", "Policies": [{"PolicyName": "p", "Document": {}}]}),
            "Roles[0].Policies[0].Document",
            "unknown key",
        ),
        ({"Roles": [{"Name": "Same"}, {"Name": "same"}]}, "Roles[1].Name", "repeats an earlier entry"),
        (with_section("Roles", {"Name": "a b"}), "Roles[0].Name", "letters, digits"),
        (with_section("Groups", {"Name": "g" * 129}), "Groups[0].Name", "1-128"),
        (with_section("Roles", {"Name": "r", "Path": "svc"}), "Roles[0].Path", "must be /"),
        (
            with_section("Roles", {"Name": "r", "MaxSessionDuration": 60}),
            "Roles[0].MaxSessionDuration",
            "3600 to 43200",
        ),
        (
            with_section("Roles", {"Name": "r", "Policies": [{"PolicyName": "p"}]}),
            "Roles[0].Policies[0].PolicyDocument",
            "is required",
        ),
        (
            with_section(
                "Roles",
                {
                    "Name": "r",
                    "Policies": [{"PolicyName": "p", "PolicyDocument": {}}, {"PolicyName": "p", "PolicyDocument": {}}],
                },
            ),
            "Roles[0].Policies",
            "repeats the policy name p",
        ),
        (
            with_section("Roles", {"Name": "r", "Policies": ["text"]}),
            "Roles[0].Policies",
            "item 0 is not a policy document",
        ),
        (
            with_section("Roles", {"Name": "r", "AttachedPolicies": ["arn:aws:iam::aws:policy/AWSNoSuchThing"]}),
            "Roles[0].AttachedPolicies",
            "nor an AWS managed policy the fake world knows",
        ),
        (
            with_section("Roles", {"Name": "r", "AttachedPolicies": [f"arn:aws:iam::{ACCOUNT}:policy/Mine"]}),
            "Roles[0].AttachedPolicies",
            "neither a policy of Policies",
        ),
        (
            with_section("Roles", {"Name": "r", "AttachedPolicies": [READ_ONLY, READ_ONLY]}),
            "Roles[0].AttachedPolicies",
            "names a policy twice",
        ),
        (
            with_section(
                "Users", {"Name": "u", "PermissionsBoundary": "arn:aws:iam::aws:policy/AmazonSSMAutomationRole"}
            ),
            "Users[0].PermissionsBoundary",
            "neither",
        ),
        (
            with_section("Users", {"Name": "u", "Groups": ["absent"]}),
            "Users[0].Groups",
            "names absent, which is not in Groups",
        ),
        (
            with_section("InstanceProfiles", {"Name": "i", "Roles": ["absent"]}),
            "InstanceProfiles[0].Roles",
            "not in Roles",
        ),
        (
            with_section("InstanceProfiles", {"Name": "i", "Roles": ["a", "b"]}, Roles=[{"Name": "a"}, {"Name": "b"}]),
            "InstanceProfiles[0].Roles",
            "more than one role",
        ),
        (with_section("Roles", {"Name": "r", "Tags": {"a": "1", "A": "2"}}), "Roles[0].Tags", "case-insensitive"),
        (
            with_section("Roles", {"Name": "r", "Tags": {f"k{n}": "" for n in range(51)}}),
            "Roles[0].Tags",
            "more than 50",
        ),
        (with_section("Policies", {"Name": "p"}), "Policies[0].Document", "is required"),
        (with_section("Policies", {"Name": "p", "Path": "/a b/", "Document": {}}), "Policies[0].Path", "must be /"),
        (
            with_section(
                "Policies",
                {"Name": "p", "Versions": [{"VersionId": "v1", "Document": {}}, {"VersionId": "v2", "Document": {}}]},
            ),
            "Policies[0].DefaultVersionId",
            "is required",
        ),
        (
            with_section(
                "Policies", {"Name": "p", "DefaultVersionId": "v3", "Versions": [{"VersionId": "v1", "Document": {}}]}
            ),
            "Policies[0].DefaultVersionId",
            "not one of the policy's Versions",
        ),
        (
            with_section(
                "Policies",
                {"Name": "p", "Document": ALLOW_S3_DOCUMENT, "Versions": [{"VersionId": "v1", "Document": {}}]},
            ),
            "Policies[0].Document",
            "differs from the default version",
        ),
        (
            with_section(
                "Policies", {"Name": "p", "NextVersionId": "v1", "Versions": [{"VersionId": "v2", "Document": {}}]}
            ),
            "Policies[0].NextVersionId",
            "after every version",
        ),
        (
            with_section("Policies", {"Name": "p", "Versions": [{"VersionId": "1", "Document": {}}]}),
            "Policies[0].Versions[0].VersionId",
            "must be v",
        ),
        (
            with_section(
                "Policies",
                {
                    "Name": "p",
                    "DefaultVersionId": "v1",
                    "Versions": [{"VersionId": f"v{n}", "Document": {}} for n in range(1, 7)],
                },
            ),
            "Policies[0].Versions",
            "more than 5",
        ),
        ({"Policies": [{"Name": "P", "Document": {}}, {"Name": "p", "Document": {}}]}, "Policies[1].Name", "repeats"),
    ],
)
def test_bad_iam_sections_are_refused_naming_the_key(data: dict[str, Any], key: str, message: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict(data)
    assert caught.value.key == key, str(caught.value)
    assert message in str(caught.value)


def test_a_world_file_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("Roles:\n  - Name: r\n    AttachedPolicies: [arn:aws:iam::aws:policy/AWSNoSuchThing]\n")
    with pytest.raises(WorldError) as caught:
        World.load(path)
    assert (caught.value.key, caught.value.line) == ("Roles[0].AttachedPolicies", 3)


# -- what a permission evaluator reads ----------------------------------------------------------------------------


def test_permission_policies_and_boundaries_are_easy_to_read() -> None:
    world = World.from_dict(iam_data())
    alice = world.users["alice"]
    documents = [policy.document for policy in permission_policies(world, alice)]
    # her own inline and attached, then her group's inline and attached
    assert documents == [
        ALLOW_LOGS_DOCUMENT,
        ALLOW_S3_DOCUMENT,
        ALLOW_S3_DOCUMENT,
        aws_managed_document("ReadOnlyAccess").document,
    ]
    assert boundary_policy(world, alice) == Policy(ALLOW_S3_DOCUMENT)
    remediation = world.roles["Remediation"]
    assert len(permission_policies(world, remediation)) == 4
    assert boundary_policy(world, remediation) == aws_managed_document("ReadOnlyAccess")
    assert world.roles["Remediation"].policies == (Policy(ALLOW_S3_DOCUMENT), Policy(ALLOW_LOGS_DOCUMENT))


# -- random operation sequences: copies stay apart, and every state round-trips -------------------------------------

NAMES = st.sampled_from(["Auto", "auto", "Web"])
USERS = st.sampled_from(["alice", "bob"])
GROUPS = st.sampled_from(["admins", "readers"])
ARNS = st.sampled_from(
    [READ_ONLY, AUTOMATION, f"arn:aws:iam::{ACCOUNT}:policy/Mine", f"arn:aws:iam::{ACCOUNT}:policy/x/Other"]
)
TAGS = st.lists(
    st.fixed_dictionaries({"Key": st.sampled_from(["a", "A", "b"]), "Value": st.sampled_from(["1", ""])}), max_size=2
)
CALLS = st.one_of(
    st.tuples(
        st.just("CreateRole"),
        st.fixed_dictionaries({"RoleName": NAMES, "AssumeRolePolicyDocument": st.just(TRUST), "Tags": TAGS}),
    ),
    st.tuples(st.just("DeleteRole"), st.fixed_dictionaries({"RoleName": NAMES})),
    st.tuples(
        st.just("UpdateRole"), st.fixed_dictionaries({"RoleName": NAMES, "Description": st.sampled_from(["x", "y"])})
    ),
    st.tuples(
        st.just("PutRolePolicy"),
        st.fixed_dictionaries(
            {"RoleName": NAMES, "PolicyName": st.sampled_from(["p", "q"]), "PolicyDocument": st.just(ALLOW_S3)}
        ),
    ),
    st.tuples(
        st.just("DeleteRolePolicy"),
        st.fixed_dictionaries({"RoleName": NAMES, "PolicyName": st.sampled_from(["p", "q"])}),
    ),
    st.tuples(st.just("AttachRolePolicy"), st.fixed_dictionaries({"RoleName": NAMES, "PolicyArn": ARNS})),
    st.tuples(st.just("DetachRolePolicy"), st.fixed_dictionaries({"RoleName": NAMES, "PolicyArn": ARNS})),
    st.tuples(
        st.just("PutRolePermissionsBoundary"), st.fixed_dictionaries({"RoleName": NAMES, "PermissionsBoundary": ARNS})
    ),
    st.tuples(st.just("TagRole"), st.fixed_dictionaries({"RoleName": NAMES, "Tags": TAGS})),
    st.tuples(
        st.just("CreatePolicy"),
        st.fixed_dictionaries(
            {
                "PolicyName": st.sampled_from(["Mine", "Other"]),
                "PolicyDocument": st.just(ALLOW_S3),
                "Path": st.sampled_from(["/", "/x/"]),
            }
        ),
    ),
    st.tuples(st.just("DeletePolicy"), st.fixed_dictionaries({"PolicyArn": ARNS})),
    st.tuples(
        st.just("CreatePolicyVersion"),
        st.fixed_dictionaries({"PolicyArn": ARNS, "PolicyDocument": st.just(ALLOW_S3), "SetAsDefault": st.booleans()}),
    ),
    st.tuples(
        st.just("DeletePolicyVersion"),
        st.fixed_dictionaries({"PolicyArn": ARNS, "VersionId": st.sampled_from(["v1", "v2", "v3"])}),
    ),
    st.tuples(st.just("CreateUser"), st.fixed_dictionaries({"UserName": USERS})),
    st.tuples(st.just("DeleteUser"), st.fixed_dictionaries({"UserName": USERS})),
    st.tuples(st.just("CreateGroup"), st.fixed_dictionaries({"GroupName": GROUPS})),
    st.tuples(st.just("AddUserToGroup"), st.fixed_dictionaries({"UserName": USERS, "GroupName": GROUPS})),
    st.tuples(st.just("UpdateGroup"), st.fixed_dictionaries({"GroupName": GROUPS, "NewGroupName": GROUPS})),
    st.tuples(
        st.just("CreateInstanceProfile"), st.fixed_dictionaries({"InstanceProfileName": st.sampled_from(["web", "db"])})
    ),
    st.tuples(
        st.just("AddRoleToInstanceProfile"),
        st.fixed_dictionaries({"InstanceProfileName": st.sampled_from(["web", "db"]), "RoleName": NAMES}),
    ),
)


@given(st.lists(CALLS, max_size=15))
def test_copies_stay_apart_and_every_state_round_trips(sequence: list[tuple[str, dict[str, Any]]]) -> None:
    original = World.default()
    snapshot = original.to_dict()
    world = original.copy()
    backend = world.backend(now=Clock())
    for operation, params in sequence:
        request = copy.deepcopy(params)
        try:
            response = backend.call("iam", operation, request)
        except AwsError:
            continue
        assert request == params, f"{operation} changed its request"
        before = world.to_dict()
        _wreck(response)
        assert world.to_dict() == before, f"{operation}'s response is shared with the world"
    assert original.to_dict() == snapshot
    data = world.to_dict()
    assert World.from_dict(json.loads(json.dumps(data))).to_dict() == data


def _wreck(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _wreck(item)
        value.clear()
    elif isinstance(value, list):
        for item in value:
            _wreck(item)
        value.clear()
