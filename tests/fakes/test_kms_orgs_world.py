"""The world file's KMS keys and organization: the new keys read and written, every state the KMS and
Organizations operations create round-trips, world copies stay independent, and bad values are refused by name."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.test_organizations import DENY_STOP, MEMBER, ROOT, SANDBOX, WORKLOADS, organization
from tests.fakes.worlds import ACCOUNT, world
from toolkit.fakes.default import DEFAULT_KEY_ID, default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World, WorldError

KEY = default_data()["Keys"][0]
GRANT_ID = "a" * 64


def test_the_default_world_writes_what_it_always_did_plus_empty_or_default_key_fields() -> None:
    data = World.default().to_dict()
    assert data["Organization"] == default_data()["Organization"]
    (key,) = data["Keys"]
    old = {name: key[name] for name in ("KeyId", "Region", "Aliases", "Enabled", "Description", "Policy")}
    assert old == {**KEY}
    assert {name: key[name] for name in key if name not in old} == {
        "KeyState": "Enabled",
        "DeletionDate": None,
        "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyUsage": "ENCRYPT_DECRYPT",
        "CreationDate": "2025-01-01T00:00:00Z",
        "KeyRotationEnabled": False,
        "RotationPeriodInDays": None,
        "NextRotationDate": None,
        "Grants": [],
        "Tags": {},
    }


def rich_key() -> dict[str, Any]:
    return {
        **KEY,
        "Enabled": False,
        "KeyState": "PendingDeletion",
        "DeletionDate": "2026-01-20T00:00:00Z",
        "CreationDate": "2024-06-01T00:00:00Z",
        "KeyRotationEnabled": True,
        "RotationPeriodInDays": 180,
        "NextRotationDate": "2026-03-01T00:00:00Z",
        "Grants": [
            {
                "GrantId": GRANT_ID,
                "Name": "reader",
                "GranteePrincipal": f"arn:aws:iam::{ACCOUNT}:role/Reader",
                "RetiringPrincipal": None,
                "Operations": ["Decrypt"],
                "Constraints": {"EncryptionContextSubset": {"a": "b"}},
                "IssuingAccount": f"arn:aws:iam::{ACCOUNT}:root",
                "CreationDate": "2025-02-01T00:00:00Z",
            }
        ],
        "Tags": {"team": "security"},
    }


def test_rich_keys_and_organizations_round_trip() -> None:
    signing = {"KeyId": "2222abcd-12ab-34cd-56ef-1234567890ab", "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}
    data = world(
        Keys=[rich_key(), signing],
        Organization=organization(
            DelegatedAdministrators=[{"AccountId": MEMBER, "ServicePrincipal": "cloudtrail.amazonaws.com"}],
            RootTags={"env": "all"},
        ),
    ).to_dict()
    again = World.from_dict(data).to_dict()
    assert again == data
    key = next(item for item in again["Keys"] if item["KeyId"] == DEFAULT_KEY_ID)
    assert (key["KeyState"], key["Grants"][0]["GrantId"], key["Tags"]) == (
        "PendingDeletion",
        GRANT_ID,
        {"team": "security"},
    )
    assert again["Organization"]["Root"] == ROOT
    assert again["Organization"]["Policies"][0]["Targets"] == [WORKLOADS]


def test_every_created_state_round_trips() -> None:
    subject = world(Organization=organization()).backend()
    key_id = subject.call("kms", "CreateKey", {"Description": "new", "Tags": [{"TagKey": "a", "TagValue": "b"}]})[
        "KeyMetadata"
    ]["KeyId"]
    subject.call("kms", "CreateAlias", {"AliasName": "alias/new", "TargetKeyId": key_id})
    subject.call("kms", "EnableKeyRotation", {"KeyId": key_id})
    grantee = f"arn:aws:iam::{ACCOUNT}:root"
    subject.call("kms", "CreateGrant", {"KeyId": key_id, "GranteePrincipal": grantee, "Operations": ["Encrypt"]})
    subject.call(
        "kms", "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "Policy": json.dumps(default_data()["Keys"][0]["Policy"])}
    )
    subject.call("kms", "ScheduleKeyDeletion", {"KeyId": DEFAULT_KEY_ID})
    created = subject.call(
        "organizations",
        "CreatePolicy",
        {"Name": "n", "Description": "d", "Type": "SERVICE_CONTROL_POLICY", "Content": json.dumps(DENY_STOP)},
    )
    subject.call(
        "organizations", "AttachPolicy", {"PolicyId": created["Policy"]["PolicySummary"]["Id"], "TargetId": SANDBOX}
    )
    subject.call(
        "organizations", "UpdatePolicy", {"PolicyId": created["Policy"]["PolicySummary"]["Id"], "Name": "renamed"}
    )
    subject.call("organizations", "EnableAWSServiceAccess", {"ServicePrincipal": "config.amazonaws.com"})
    subject.call(
        "organizations",
        "RegisterDelegatedAdministrator",
        {"AccountId": MEMBER, "ServicePrincipal": "config.amazonaws.com"},
    )
    subject.call("organizations", "TagResource", {"ResourceId": ROOT, "Tags": [{"Key": "k", "Value": "v"}]})
    subject.call("organizations", "DetachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": SANDBOX})
    data = subject.world.to_dict()
    assert World.from_dict(data) == subject.world
    assert World.from_dict(json.loads(json.dumps(data))).to_dict() == data


@pytest.mark.parametrize(
    ("key", "at"),
    [
        ({"KeyState": "Unavailable"}, "Keys[0].KeyState"),
        ({"KeyState": "Disabled"}, "Keys[0].Enabled"),  # Enabled: true with a disabled key
        ({"Enabled": False, "KeyState": "PendingDeletion"}, "Keys[0].DeletionDate"),
        ({"DeletionDate": "2026-02-01T00:00:00Z"}, "Keys[0].Enabled"),
        ({"KeySpec": "AES_256"}, "Keys[0].KeySpec"),
        ({"KeySpec": "RSA_2048", "KeyUsage": "GENERATE_VERIFY_MAC"}, "Keys[0].KeyUsage"),
        ({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY", "KeyRotationEnabled": True}, "Keys[0].KeyRotationEnabled"),
        ({"RotationPeriodInDays": 10}, "Keys[0].RotationPeriodInDays"),
        ({"Tags": {"a": None}}, "Keys[0].Tags"),
        (
            {"Grants": [{"GrantId": "x", "GranteePrincipal": "p", "Operations": ["Decrypt"]}]},
            "Keys[0].Grants[0].GrantId",
        ),
        (
            {"Grants": [{"GrantId": GRANT_ID, "GranteePrincipal": "p", "Operations": ["Fly"]}]},
            "Keys[0].Grants[0].Operations",
        ),
        ({"Grants": [{"GrantId": GRANT_ID, "Operations": ["Decrypt"]}]}, "Keys[0].Grants[0].GranteePrincipal"),
    ],
)
def test_bad_key_fields_are_refused_by_name(key: dict[str, Any], at: str) -> None:
    with pytest.raises(WorldError) as caught:
        world(Keys=[{**KEY, **key}])
    assert caught.value.key == at


@pytest.mark.parametrize(
    ("changes", "at"),
    [
        ({"Root": "root"}, "Organization.Root"),
        ({"OrganizationalUnits": [{"Id": "ou-zzzz-11111111", "Name": "x"}]}, "Organization.OrganizationalUnits[0].Id"),
        (
            {"OrganizationalUnits": [{"Id": "ou-ab12-11111111", "Name": "x", "Parent": "ou-ab12-22222222"}]},
            "Organization.OrganizationalUnits[0].Parent",
        ),
        (
            {
                "OrganizationalUnits": [
                    {"Id": "ou-ab12-11111111", "Name": "x", "Parent": "ou-ab12-22222222"},
                    {"Id": "ou-ab12-22222222", "Name": "y", "Parent": "ou-ab12-11111111"},
                ]
            },
            "Organization.OrganizationalUnits[0].Parent",
        ),
        ({"Accounts": [{"Id": "1234", "Parent": ROOT}]}, "Organization.Accounts[0].Id"),
        ({"Accounts": [{"Id": MEMBER, "Parent": "ou-ab12-99999999"}]}, "Organization.Accounts[0].Parent"),
        ({"Policies": [{"Name": "x", "Targets": [ROOT]}]}, "Organization.Policies[0].Content"),
        (
            {"Policies": [{"Name": "x", "Content": DENY_STOP, "Targets": ["ou-ab12-99999999"]}]},
            "Organization.Policies[0].Targets",
        ),
        ({"Policies": [{"Name": "x", "Content": DENY_STOP, "Type": "TAG_POLICY"}]}, "Organization.Policies[0].Type"),
        ({"Policies": [{"Name": "FullAWSAccess", "Content": DENY_STOP}]}, "Organization.Policies[0].Content"),
        (
            {"DelegatedAdministrators": [{"AccountId": ACCOUNT, "ServicePrincipal": "x.amazonaws.com"}]},
            "Organization.DelegatedAdministrators[0].AccountId",
        ),
        ({"Unknown": 1}, "Organization.Unknown"),
    ],
)
def test_bad_organization_fields_are_refused_by_name(changes: dict[str, Any], at: str) -> None:
    data = {**default_data()["Organization"], "Root": ROOT, **changes}
    with pytest.raises(WorldError) as caught:
        world(Organization=data)
    assert caught.value.key == at


def test_policies_need_all_features() -> None:
    data = {
        **default_data()["Organization"],
        "FeatureSet": "CONSOLIDATED_BILLING",
        "Policies": [{"Name": "x", "Content": DENY_STOP}],
    }
    with pytest.raises(WorldError, match="FeatureSet ALL"):
        world(Organization=data)


def test_the_tree_gives_an_accounts_ancestry() -> None:
    found = world(Organization=organization()).organization
    assert found is not None
    assert found.ancestry(MEMBER) == [ROOT, WORKLOADS, "ou-ab12-22222222", MEMBER]
    assert found.ancestry(ACCOUNT) == [ROOT, ACCOUNT]
    assert [policy.name for policy in found.attached(WORKLOADS, ACCOUNT)] == ["FullAWSAccess", "CloudTrailProtection"]


# -- random sequences: copies stay independent, the world file keeps up ----------------------------------------------

Call = tuple[str, str, dict[str, Any]]
key_ids = st.sampled_from([DEFAULT_KEY_ID, "alias/cloudtrail", "alias/second"])
kms_calls: st.SearchStrategy[Call] = st.one_of(
    st.builds(lambda k: ("kms", "DisableKey", {"KeyId": k}), key_ids),
    st.builds(lambda k: ("kms", "EnableKey", {"KeyId": k}), key_ids),
    st.builds(
        lambda k, d: ("kms", "ScheduleKeyDeletion", {"KeyId": k, "PendingWindowInDays": d}), key_ids, st.integers(6, 31)
    ),
    st.builds(lambda k: ("kms", "CancelKeyDeletion", {"KeyId": k}), key_ids),
    st.builds(lambda k: ("kms", "EnableKeyRotation", {"KeyId": k}), key_ids),
    st.builds(lambda k: ("kms", "DisableKeyRotation", {"KeyId": k}), key_ids),
    st.builds(
        lambda k: ("kms", "CreateAlias", {"AliasName": "alias/second", "TargetKeyId": k}), st.just(DEFAULT_KEY_ID)
    ),
    st.just(("kms", "DeleteAlias", {"AliasName": "alias/second"})),
    st.just(("kms", "CreateKey", {"Description": "more"})),
    st.builds(
        lambda k, t: ("kms", "TagResource", {"KeyId": k, "Tags": [{"TagKey": t, "TagValue": "v"}]}),
        key_ids,
        st.sampled_from("ab"),
    ),
    st.builds(
        lambda k: (
            "kms",
            "CreateGrant",
            {"KeyId": k, "GranteePrincipal": f"arn:aws:iam::{ACCOUNT}:root", "Operations": ["Decrypt"]},
        ),
        key_ids,
    ),
)
targets = st.sampled_from([ROOT, WORKLOADS, SANDBOX, MEMBER])
org_calls: st.SearchStrategy[Call] = st.one_of(
    st.builds(lambda t: ("organizations", "DetachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": t}), targets),
    st.builds(lambda t: ("organizations", "AttachPolicy", {"PolicyId": "p-FullAWSAccess", "TargetId": t}), targets),
    st.builds(
        lambda n: (
            "organizations",
            "CreatePolicy",
            {"Name": n, "Description": "", "Type": "SERVICE_CONTROL_POLICY", "Content": json.dumps(DENY_STOP)},
        ),
        st.sampled_from(["one", "two"]),
    ),
    st.builds(
        lambda s: ("organizations", "EnableAWSServiceAccess", {"ServicePrincipal": s}),
        st.sampled_from(["config.amazonaws.com", "ssm.amazonaws.com"]),
    ),
    st.builds(
        lambda s: ("organizations", "RegisterDelegatedAdministrator", {"AccountId": MEMBER, "ServicePrincipal": s}),
        st.sampled_from(["config.amazonaws.com", "cloudtrail.amazonaws.com"]),
    ),
    st.builds(
        lambda t: ("organizations", "TagResource", {"ResourceId": t, "Tags": [{"Key": "k", "Value": "v"}]}), targets
    ),
)


@given(st.lists(st.one_of(kms_calls, org_calls), max_size=12))
def test_copies_are_independent_and_every_state_round_trips(calls: list[Call]) -> None:
    original = world(Organization=organization())
    pristine = original.to_dict()
    copy = original.copy()
    subject = copy.backend()
    for service, operation, params in calls:
        with contextlib.suppress(AwsError):
            subject.call(service, operation, params)
    assert original.to_dict() == pristine
    data = copy.to_dict()
    assert World.from_dict(data).to_dict() == data
