"""The fake KMS lets a key of another account of the world be used by its key ARN or alias ARN, for the operations KMS
allows across accounts (KMS developer guide, "Allowing users in other accounts to use a KMS key"; each operation's
"Cross-account use"), and for those only: the key policy and the caller's own policies must both allow it
(``toolkit.fakes.access``), answers name the key by its owner's ARN, and grants land on the key in its owner's
account. Every other operation, and a key id or alias name, never reaches another account's key."""

from __future__ import annotations

import copy
from typing import Any

import botocore.session
import pytest

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.caller import default_caller_arn, parse_caller
from toolkit.fakes.default import DEFAULT_KEY_ID, default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.services.kms import OPERATIONS
from toolkit.fakes.services.kms_keys import CROSS_ACCOUNT
from toolkit.fakes.world import World

ACCOUNT = "123456789012"
ARCHIVE = "222233334444"
ARCHIVE_KEY = "5678efab-56ef-78ab-90cd-567890abcdef"
ARCHIVE_KEY_ARN = f"arn:aws:kms:us-east-1:{ARCHIVE}:key/{ARCHIVE_KEY}"
ARCHIVE_ALIAS_ARN = f"arn:aws:kms:us-east-1:{ARCHIVE}:alias/archive-logs"
MEMBER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/Member"


def archive_world(*principals: str, actions: str | list[str] = "kms:*") -> World:
    """The default world beside a log-archive account holding one key (alias/archive-logs), whose key policy allows
    its own account everything and ``principals`` (of this account) ``actions``; this account has a role Member
    without permissions beside its administrator."""
    data = default_data()
    key = copy.deepcopy(data["Keys"][0])
    key.update(KeyId=ARCHIVE_KEY, Aliases=["alias/archive-logs"])
    statements = key["Policy"]["Statement"]
    statements[0]["Principal"] = {"AWS": f"arn:aws:iam::{ARCHIVE}:root"}
    if principals:
        shared = {"Effect": "Allow", "Principal": {"AWS": list(principals)}, "Action": actions, "Resource": "*"}
        statements.append({"Sid": "ThisAccountUsesTheKey", **shared})
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}]}
    data["Roles"] = [*data.get("Roles", []), {"Name": "Member", "AssumeRolePolicyDocument": trust}]
    data["Accounts"] = {ARCHIVE: {"Keys": [key]}}
    return World.from_dict(data)


def admin(world: World) -> FakeBackend:
    """This account's administrator (AdministratorAccess), its calls authorized."""
    return world.backend().acting_as(parse_caller(default_caller_arn(world)))


def archive_key(world: World) -> dict[str, Any]:
    """The archive account's key as the world file holds it."""
    (key,) = world.to_dict()["Accounts"][ARCHIVE]["Keys"]
    found: dict[str, Any] = key
    return found


def fails(subject: FakeBackend, operation: str, params: dict[str, Any]) -> AwsError:
    """The call fails; the world is as it was."""
    before = subject.world.to_dict()
    with pytest.raises(AwsError) as caught:
        subject.call("kms", operation, params)
    assert subject.world.to_dict() == before
    return caught.value


# -- DescribeKey and authorization ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [ARCHIVE_KEY_ARN, ARCHIVE_ALIAS_ARN])
def test_describe_key_of_another_account_allowed_by_its_key_policy(name: str) -> None:
    world = archive_world(f"arn:aws:iam::{ACCOUNT}:root", actions="kms:DescribeKey")
    metadata = admin(world).call("kms", "DescribeKey", {"KeyId": name})["KeyMetadata"]
    assert (metadata["AWSAccountId"], metadata["Arn"], metadata["KeyId"]) == (ARCHIVE, ARCHIVE_KEY_ARN, ARCHIVE_KEY)


@pytest.mark.parametrize("name", [ARCHIVE_KEY_ARN, ARCHIVE_ALIAS_ARN])
def test_describe_key_of_another_account_its_key_policy_does_not_allow_is_denied(name: str) -> None:
    err = fails(admin(archive_world()), "DescribeKey", {"KeyId": name})
    assert (err.code, err.status) == ("AccessDeniedException", 400)
    assert f"is not authorized to perform: kms:DescribeKey on resource: {ARCHIVE_KEY_ARN}" in err.message


def test_cross_account_use_needs_the_callers_own_policies_too() -> None:
    """The key policy allows the role Member by name, but Member's own policies allow nothing: denied."""
    world = archive_world(MEMBER_ROLE)
    member = world.backend().acting_as(parse_caller(MEMBER_ROLE))
    assert fails(member, "DescribeKey", {"KeyId": ARCHIVE_KEY_ARN}).code == "AccessDeniedException"
    allowed = archive_world(f"arn:aws:iam::{ACCOUNT}:root")
    assert admin(allowed).call("kms", "DescribeKey", {"KeyId": ARCHIVE_KEY_ARN})["KeyMetadata"]["Enabled"]


def test_the_key_owner_sees_its_own_key_as_before() -> None:
    archive = archive_world().backend().elsewhere(ARCHIVE, "us-east-1")
    assert archive is not None
    metadata = archive.call("kms", "DescribeKey", {"KeyId": "alias/archive-logs"})["KeyMetadata"]
    assert (metadata["AWSAccountId"], metadata["Arn"]) == (ARCHIVE, ARCHIVE_KEY_ARN)


def test_a_key_id_or_alias_name_never_reaches_another_account() -> None:
    subject = archive_world(f"arn:aws:iam::{ACCOUNT}:root").backend()
    err = fails(subject, "DescribeKey", {"KeyId": ARCHIVE_KEY})
    assert (err.code, err.message) == (
        "NotFoundException", f"Key 'arn:aws:kms:us-east-1:{ACCOUNT}:key/{ARCHIVE_KEY}' does not exist",
    )  # fmt: skip
    err = fails(subject, "GenerateDataKey", {"KeyId": "alias/archive-logs", "KeySpec": "AES_256"})
    assert (err.code, err.message) == (
        "NotFoundException", f"Alias arn:aws:kms:us-east-1:{ACCOUNT}:alias/archive-logs is not found.",
    )  # fmt: skip


def test_an_arn_of_an_account_or_region_the_world_does_not_hold_names_no_key() -> None:
    subject = archive_world(f"arn:aws:iam::{ACCOUNT}:root").backend()
    for name in (
        f"arn:aws:kms:us-east-1:999988887777:key/{ARCHIVE_KEY}",
        f"arn:aws:kms:eu-west-1:{ARCHIVE}:key/{ARCHIVE_KEY}",
        f"arn:aws:kms:us-east-1:{ARCHIVE}:key/{DEFAULT_KEY_ID}",
    ):
        err = fails(subject, "DescribeKey", {"KeyId": name})
        assert (err.code, err.message) == ("NotFoundException", f"Key '{name}' does not exist")
    absent = f"arn:aws:kms:us-east-1:{ARCHIVE}:alias/absent"
    assert fails(subject, "DescribeKey", {"KeyId": absent}).message == f"Alias {absent} is not found."


# -- cryptographic operations ---------------------------------------------------------------------------------


def test_generate_data_key_with_another_accounts_key_and_decrypt_naming_it() -> None:
    world = archive_world(f"arn:aws:iam::{ACCOUNT}:root", actions=["kms:GenerateDataKey", "kms:Decrypt"])
    subject = admin(world)
    made = subject.call("kms", "GenerateDataKey", {"KeyId": ARCHIVE_ALIAS_ARN, "KeySpec": "AES_256"})
    assert made["KeyId"] == ARCHIVE_KEY_ARN and len(made["Plaintext"]) == 32
    opened = subject.call("kms", "Decrypt", {"CiphertextBlob": made["CiphertextBlob"], "KeyId": ARCHIVE_KEY_ARN})
    assert (opened["KeyId"], opened["Plaintext"]) == (ARCHIVE_KEY_ARN, made["Plaintext"])
    # Without KeyId the fake looks for the ciphertext's key in the caller's account only (module kms_crypto).
    err = fails(subject, "Decrypt", {"CiphertextBlob": made["CiphertextBlob"]})
    assert err.message == f"Key 'arn:aws:kms:us-east-1:{ACCOUNT}:key/{ARCHIVE_KEY}' does not exist"
    sealed = subject.call("kms", "Encrypt", {"KeyId": DEFAULT_KEY_ID, "Plaintext": b"data"})["CiphertextBlob"]
    wrong = fails(subject, "Decrypt", {"CiphertextBlob": sealed, "KeyId": ARCHIVE_KEY_ARN})
    assert wrong.code == "IncorrectKeyException"


def test_generate_data_key_the_key_policy_does_not_allow_is_denied() -> None:
    world = archive_world(f"arn:aws:iam::{ACCOUNT}:root", actions="kms:DescribeKey")
    err = fails(admin(world), "GenerateDataKey", {"KeyId": ARCHIVE_KEY_ARN, "KeySpec": "AES_256"})
    assert err.code == "AccessDeniedException"


def test_the_owners_key_state_applies_naming_its_arn() -> None:
    world = archive_world(f"arn:aws:iam::{ACCOUNT}:root")
    owner = world.backend().elsewhere(ARCHIVE, "us-east-1")
    assert owner is not None
    owner.call("kms", "DisableKey", {"KeyId": ARCHIVE_KEY})
    err = fails(admin(world), "Encrypt", {"KeyId": ARCHIVE_KEY_ARN, "Plaintext": b"data"})
    assert (err.code, err.message) == ("DisabledException", f"{ARCHIVE_KEY_ARN} is disabled.")


# -- grants -------------------------------------------------------------------------------------------------------


def test_grants_on_another_accounts_key_land_in_its_account() -> None:
    world = archive_world(f"arn:aws:iam::{ACCOUNT}:root")
    before = world.copy()
    subject = admin(world)
    grantee = f"arn:aws:iam::{ACCOUNT}:role/Admin"
    made = subject.call(
        "kms", "CreateGrant", {"KeyId": ARCHIVE_ALIAS_ARN, "GranteePrincipal": grantee, "Operations": ["Decrypt"]}
    )
    (grant,) = archive_key(world)["Grants"]
    assert grant["GrantId"] == made["GrantId"] and grant["IssuingAccount"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert archive_key(before).get("Grants", []) == []  # the key was replaced by a changed clone, not changed
    assert all(not key.get("Grants") for key in world.to_dict()["Keys"])  # nothing on this account's keys
    assert World.from_dict(world.to_dict()) == world
    (listed,) = subject.call("kms", "ListGrants", {"KeyId": ARCHIVE_KEY_ARN})["Grants"]
    assert (listed["KeyId"], listed["GrantId"]) == (ARCHIVE_KEY_ARN, made["GrantId"])
    subject.call("kms", "RetireGrant", {"GrantToken": made["GrantToken"]})
    assert archive_key(world).get("Grants", []) == []
    again = subject.call(
        "kms", "CreateGrant", {"KeyId": ARCHIVE_KEY_ARN, "GranteePrincipal": grantee, "Operations": ["Encrypt"]}
    )
    subject.call("kms", "RevokeGrant", {"KeyId": ARCHIVE_KEY_ARN, "GrantId": again["GrantId"]})
    assert archive_key(world).get("Grants", []) == []


# -- the operations that stay in the caller's account ------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("PutKeyPolicy", {"Policy": '{"Statement": [{"Effect": "Allow"}]}', "PolicyName": "default"}),
        ("ScheduleKeyDeletion", {"PendingWindowInDays": 7}),
        ("DisableKey", {}),
    ],
)
def test_other_operations_on_another_accounts_key_answer_not_found(operation: str, params: dict[str, Any]) -> None:
    """Even when the key policy grants this account everything: KMS does not let another account use them."""
    subject = admin(archive_world(f"arn:aws:iam::{ACCOUNT}:root"))
    err = fails(subject, operation, {"KeyId": ARCHIVE_KEY_ARN, **params})
    assert (err.code, err.message) == ("NotFoundException", f"Key '{ARCHIVE_KEY_ARN}' does not exist")
    err = fails(subject, operation, {"KeyId": ARCHIVE_ALIAS_ARN, **params})
    assert (err.code, err.message) == ("NotFoundException", f"Alias {ARCHIVE_ALIAS_ARN} is not found.")


GENERIC = {
    "Plaintext": b"data",
    "KeySpec": "AES_256",
    "GranteePrincipal": f"arn:aws:iam::{ACCOUNT}:root",
    "Operations": ["Decrypt"],
    "GrantId": "0" * 64,
    "Policy": '{"Statement": [{"Effect": "Allow"}]}',
    "Description": "changed",
    "Tags": [{"TagKey": "a", "TagValue": "b"}],
    "TagKeys": ["a"],
    "TargetKeyId": ARCHIVE_KEY_ARN,
}
ALIAS_NAMES = {"CreateAlias": "alias/new", "UpdateAlias": "alias/cloudtrail"}  # a new one; this account's own


def _key_operations() -> list[str]:
    """The modelled operations whose request names a key (KeyId, or an alias's TargetKeyId)."""
    model = botocore.session.get_session().get_service_model("kms")
    members = {name: model.operation_model(name).input_shape.members for name in OPERATIONS}
    named = [name for name in OPERATIONS if {"KeyId", "TargetKeyId"} & set(members[name])]
    return sorted(name for name in named if name != "Decrypt")  # Decrypt's key is in its ciphertext (tested above)


@pytest.mark.parametrize("operation", _key_operations())
def test_exactly_the_cross_account_operations_reach_another_accounts_key(operation: str) -> None:
    subject = archive_world().backend()  # every call allowed: this is KMS's own answer
    try:
        params = {"KeyId": ARCHIVE_KEY_ARN, "AliasName": ALIAS_NAMES.get(operation), **GENERIC}
        subject.call("kms", operation, params)
    except AwsError as err:
        reached = not (err.code == "NotFoundException" and ARCHIVE_KEY_ARN in err.message)
    else:
        reached = True
    assert reached == (operation in CROSS_ACCOUNT)
