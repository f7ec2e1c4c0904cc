"""The fake KMS: keys and their state machine, aliases, key policies, rotation, grants, tags and the cryptographic
round trips, with AWS's error codes (the key state table: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, KEY_ARN, world
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.default import DEFAULT_KEY_ID, default_data
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.world import World

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def backend(w: World | None = None, region: str | None = None) -> FakeBackend:
    return (w or World.default()).backend(region)


def fails(subject: FakeBackend, operation: str, params: dict[str, Any]) -> AwsError:
    """The call fails; the world is as it was."""
    before = subject.world.to_dict()
    with pytest.raises(AwsError) as caught:
        subject.call("kms", operation, params)
    assert subject.world.to_dict() == before
    return caught.value


def new_key(subject: FakeBackend, **params: Any) -> str:
    key_id: str = subject.call("kms", "CreateKey", params)["KeyMetadata"]["KeyId"]
    return key_id


def state(subject: FakeBackend, key_id: str) -> str:
    value: str = subject.call("kms", "DescribeKey", {"KeyId": key_id})["KeyMetadata"]["KeyState"]
    return value


# -- CreateKey ------------------------------------------------------------------------------------------------


def test_create_key_defaults_and_describe() -> None:
    subject = backend()
    created = subject.call("kms", "CreateKey", {"Description": "logs"})["KeyMetadata"]
    assert created["KeyState"] == "Enabled" and created["Enabled"] is True
    assert (created["KeySpec"], created["KeyUsage"], created["EncryptionAlgorithms"]) == (
        "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", ["SYMMETRIC_DEFAULT"],
    )  # fmt: skip
    assert created["Arn"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{created['KeyId']}"
    assert created["CreationDate"] == NOW and created["Description"] == "logs"
    assert subject.call("kms", "DescribeKey", {"KeyId": created["Arn"]})["KeyMetadata"] == created
    policy = json.loads(subject.call("kms", "GetKeyPolicy", {"KeyId": created["KeyId"]})["Policy"])
    assert policy == {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }


def test_key_ids_are_deterministic_and_distinct() -> None:
    first, second = backend(), backend()
    ids = [new_key(first), new_key(first)]
    assert ids == [new_key(second), new_key(second)]
    assert len(set(ids)) == 2 and DEFAULT_KEY_ID not in ids
    assert new_key(backend(), MultiRegion=True).startswith("mrk-")


@pytest.mark.parametrize(
    ("spec", "usage", "field", "values"),
    [
        ("RSA_2048", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]),
        ("RSA_3072", "SIGN_VERIFY", "SigningAlgorithms", None),
        ("ECC_NIST_P384", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_384"]),
        ("ECC_NIST_P256", "KEY_AGREEMENT", "KeyAgreementAlgorithms", ["ECDH"]),
        ("HMAC_256", "GENERATE_VERIFY_MAC", "MacAlgorithms", ["HMAC_SHA_256"]),
    ],
)
def test_create_key_spec_and_usage(spec: str, usage: str, field: str, values: list[str] | None) -> None:
    metadata = backend().call("kms", "CreateKey", {"KeySpec": spec, "KeyUsage": usage})["KeyMetadata"]
    assert (metadata["KeySpec"], metadata["KeyUsage"]) == (spec, usage)
    assert field in metadata and (values is None or metadata[field] == values)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"KeySpec": "RSA_2048"}, "ValidationException"),  # a KeyUsage is required but for symmetric keys
        ({"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"}, "ValidationException"),
        ({"KeySpec": "AES_256"}, "ValidationException"),
        ({"KeyUsage": "SIGN_VERIFY"}, "ValidationException"),
        ({"Policy": "not json"}, "MalformedPolicyDocumentException"),
        ({"Tags": [{"TagKey": "aws:reserved", "TagValue": "x"}]}, "TagException"),
    ],
)
def test_create_key_refusals(params: dict[str, Any], code: str) -> None:
    subject = backend()
    assert fails(subject, "CreateKey", params).code == code


def test_create_key_with_an_external_origin_is_not_modelled() -> None:
    with pytest.raises(NotModeled):
        backend().call("kms", "CreateKey", {"Origin": "EXTERNAL"})


# -- key ids in every form ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key_id", [DEFAULT_KEY_ID, KEY_ARN, "alias/cloudtrail", f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/cloudtrail"]
)
@pytest.mark.parametrize("operation", ["DescribeKey", "GetKeyPolicy", "GetKeyRotationStatus", "ListResourceTags"])
def test_every_key_id_form_names_the_key(key_id: str, operation: str) -> None:
    backend().call("kms", operation, {"KeyId": key_id})


@pytest.mark.parametrize("operation", ["DescribeKey", "EnableKey", "Encrypt", "ScheduleKeyDeletion", "CreateGrant"])
def test_an_unknown_key_is_not_found(operation: str) -> None:
    params = {"KeyId": "alias/absent", "Plaintext": b"x", "GranteePrincipal": "arn:aws:iam::1:root"}
    assert fails(backend(), operation, {**params, "Operations": ["Decrypt"]}).code == "NotFoundException"


# -- the state machine ------------------------------------------------------------------------------------------


def test_disable_enable_and_the_disabled_exception() -> None:
    subject = backend()
    subject.call("kms", "DisableKey", {"KeyId": "alias/cloudtrail"})
    assert state(subject, DEFAULT_KEY_ID) == "Disabled"
    subject.call("kms", "DisableKey", {"KeyId": "alias/cloudtrail"})  # disabling a disabled key is allowed
    for operation, params in [
        ("Encrypt", {"Plaintext": b"secret"}),
        ("GenerateDataKey", {"KeySpec": "AES_256"}),
        ("GenerateDataKeyWithoutPlaintext", {"NumberOfBytes": 16}),
        ("CreateGrant", {"GranteePrincipal": f"arn:aws:iam::{ACCOUNT}:role/x", "Operations": ["Decrypt"]}),
        ("EnableKeyRotation", {}),
    ]:
        caught = fails(subject, operation, {"KeyId": DEFAULT_KEY_ID, **params})
        assert (caught.code, caught.message) == ("DisabledException", f"{KEY_ARN} is disabled.")
    subject.call("kms", "EnableKey", {"KeyId": KEY_ARN})
    assert state(subject, DEFAULT_KEY_ID) == "Enabled"
    assert subject.world.keys[DEFAULT_KEY_ID].enabled


def test_schedule_and_cancel_key_deletion() -> None:
    subject = backend()
    scheduled = subject.call("kms", "ScheduleKeyDeletion", {"KeyId": "alias/cloudtrail", "PendingWindowInDays": 7})
    assert scheduled == {
        "KeyId": KEY_ARN,
        "DeletionDate": NOW + timedelta(days=7),
        "KeyState": "PendingDeletion",
        "PendingWindowInDays": 7,
    }
    metadata = subject.call("kms", "DescribeKey", {"KeyId": DEFAULT_KEY_ID})["KeyMetadata"]
    assert (metadata["KeyState"], metadata["Enabled"], metadata["DeletionDate"]) == (
        "PendingDeletion", False, NOW + timedelta(days=7),
    )  # fmt: skip
    pending = f"{KEY_ARN} is pending deletion."
    for operation, params in [
        ("EnableKey", {}),
        ("DisableKey", {}),
        ("ScheduleKeyDeletion", {}),
        ("Encrypt", {"Plaintext": b"secret"}),
        ("GenerateDataKey", {"NumberOfBytes": 32}),
        ("CreateGrant", {"GranteePrincipal": f"arn:aws:iam::{ACCOUNT}:root", "Operations": ["Encrypt"]}),
        ("EnableKeyRotation", {}),
        ("DisableKeyRotation", {}),
        ("TagResource", {"Tags": [{"TagKey": "a", "TagValue": "b"}]}),
        ("UntagResource", {"TagKeys": ["a"]}),
        ("UpdateKeyDescription", {"Description": "d"}),
    ]:
        caught = fails(subject, operation, {"KeyId": DEFAULT_KEY_ID, **params})
        assert (caught.code, caught.message) == ("KMSInvalidStateException", pending), operation
    caught = fails(subject, "CreateAlias", {"AliasName": "alias/more", "TargetKeyId": DEFAULT_KEY_ID})
    assert caught.code == "KMSInvalidStateException"
    # what the table allows while a key is pending deletion
    subject.call("kms", "GetKeyPolicy", {"KeyId": DEFAULT_KEY_ID})
    subject.call("kms", "ListAliases", {"KeyId": DEFAULT_KEY_ID})
    subject.call("kms", "ListGrants", {"KeyId": DEFAULT_KEY_ID})
    assert subject.call("kms", "CancelKeyDeletion", {"KeyId": DEFAULT_KEY_ID}) == {"KeyId": KEY_ARN}
    assert state(subject, DEFAULT_KEY_ID) == "Disabled"
    assert "DeletionDate" not in subject.call("kms", "DescribeKey", {"KeyId": DEFAULT_KEY_ID})["KeyMetadata"]
    caught = fails(subject, "CancelKeyDeletion", {"KeyId": DEFAULT_KEY_ID})
    assert (caught.code, caught.message) == ("KMSInvalidStateException", f"{KEY_ARN} is not pending deletion.")


@pytest.mark.parametrize("days", [6, 31, 0])
def test_the_waiting_period_is_7_to_30_days(days: int) -> None:
    assert fails(backend(), "ScheduleKeyDeletion", {"KeyId": DEFAULT_KEY_ID, "PendingWindowInDays": days}).code == (
        "ValidationException"
    )


def test_the_default_waiting_period_is_30_days() -> None:
    scheduled = backend().call("kms", "ScheduleKeyDeletion", {"KeyId": DEFAULT_KEY_ID})
    assert scheduled["PendingWindowInDays"] == 30 and scheduled["DeletionDate"] == NOW + timedelta(days=30)


def test_a_key_whose_deletion_date_has_passed_is_gone() -> None:
    w = world(
        Keys=[
            {
                **default_data()["Keys"][0],
                "Enabled": False,
                "KeyState": "PendingDeletion",
                "DeletionDate": "2025-12-31T00:00:00Z",
            }
        ]
    )
    subject = w.backend()
    assert fails(subject, "DescribeKey", {"KeyId": DEFAULT_KEY_ID}).code == "NotFoundException"
    assert fails(subject, "DescribeKey", {"KeyId": "alias/cloudtrail"}).code == "NotFoundException"
    assert subject.call("kms", "ListKeys", {})["Keys"] == []
    assert subject.call("kms", "ListAliases", {})["Aliases"] == []
    clock = [NOW]
    later = World.default().backend(now=lambda: clock[0])
    later.call("kms", "ScheduleKeyDeletion", {"KeyId": DEFAULT_KEY_ID, "PendingWindowInDays": 7})
    clock[0] = NOW + timedelta(days=7)
    assert fails(later, "DescribeKey", {"KeyId": DEFAULT_KEY_ID}).code == "NotFoundException"


def test_cloudtrail_still_refuses_a_disabled_key_and_accepts_it_again() -> None:
    subject = backend()
    params = {"Name": "main", "KmsKeyId": "alias/cloudtrail"}
    subject.call("kms", "DisableKey", {"KeyId": DEFAULT_KEY_ID})
    with pytest.raises(AwsError) as caught:
        subject.call("cloudtrail", "UpdateTrail", params)
    assert caught.value.code == "KmsException"
    subject.call("kms", "EnableKey", {"KeyId": DEFAULT_KEY_ID})
    assert subject.call("cloudtrail", "UpdateTrail", params)["KmsKeyId"] == KEY_ARN


# -- aliases ---------------------------------------------------------------------------------------------------------


def test_alias_lifecycle() -> None:
    subject = backend()
    other = new_key(subject)
    subject.call("kms", "CreateAlias", {"AliasName": "alias/app", "TargetKeyId": other})
    assert subject.call("kms", "DescribeKey", {"KeyId": "alias/app"})["KeyMetadata"]["KeyId"] == other
    names = [entry["AliasName"] for entry in subject.call("kms", "ListAliases", {})["Aliases"]]
    assert names == ["alias/app", "alias/cloudtrail"]
    assert [a["AliasName"] for a in subject.call("kms", "ListAliases", {"KeyId": other})["Aliases"]] == ["alias/app"]
    subject.call("kms", "UpdateAlias", {"AliasName": "alias/app", "TargetKeyId": DEFAULT_KEY_ID})
    assert subject.call("kms", "DescribeKey", {"KeyId": "alias/app"})["KeyMetadata"]["KeyId"] == DEFAULT_KEY_ID
    assert subject.call("kms", "ListAliases", {"KeyId": other})["Aliases"] == []
    subject.call("kms", "DeleteAlias", {"AliasName": "alias/app"})
    assert fails(subject, "DescribeKey", {"KeyId": "alias/app"}).code == "NotFoundException"


@pytest.mark.parametrize(
    ("operation", "params", "code", "message"),
    [
        (
            "CreateAlias",
            {"AliasName": "alias/cloudtrail", "TargetKeyId": DEFAULT_KEY_ID},
            "AlreadyExistsException",
            f"An alias with the name arn:aws:kms:us-east-1:{ACCOUNT}:alias/cloudtrail already exists",
        ),
        (
            "CreateAlias",
            {"AliasName": "app", "TargetKeyId": DEFAULT_KEY_ID},
            "ValidationException",
            'Alias must start with the prefix "alias/". Please see '
            "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
        ),
        ("CreateAlias", {"AliasName": "alias/aws/s3", "TargetKeyId": DEFAULT_KEY_ID}, "NotAuthorizedException", ""),
        ("CreateAlias", {"AliasName": "alias/a b", "TargetKeyId": DEFAULT_KEY_ID}, "ValidationException", None),
        ("CreateAlias", {"AliasName": "alias/x", "TargetKeyId": "alias/cloudtrail"}, "ValidationException", None),
        ("CreateAlias", {"AliasName": "alias/x", "TargetKeyId": "alias/absent"}, "ValidationException", None),
        ("CreateAlias", {"AliasName": "alias/x"}, "ValidationException", None),
        (
            "UpdateAlias",
            {"AliasName": "alias/absent", "TargetKeyId": DEFAULT_KEY_ID},
            "NotFoundException",
            f"Alias arn:aws:kms:us-east-1:{ACCOUNT}:alias/absent is not found.",
        ),
        ("DeleteAlias", {"AliasName": "alias/absent"}, "NotFoundException", None),
        ("DeleteAlias", {"AliasName": "alias/aws/ebs"}, "NotAuthorizedException", None),
        ("ListAliases", {"KeyId": "alias/absent"}, "NotFoundException", None),
    ],
)
def test_alias_refusals(operation: str, params: dict[str, Any], code: str, message: str | None) -> None:
    caught = fails(backend(), operation, params)
    assert caught.code == code
    assert message is None or caught.message == message


def test_aliases_are_regional() -> None:
    subject = backend(region="eu-west-1")
    key_id = new_key(subject)
    subject.call("kms", "CreateAlias", {"AliasName": "alias/cloudtrail", "TargetKeyId": key_id})
    assert subject.call("kms", "DescribeKey", {"KeyId": "alias/cloudtrail"})["KeyMetadata"]["KeyId"] == key_id
    assert backend(subject.world).call("kms", "DescribeKey", {"KeyId": "alias/cloudtrail"})["KeyMetadata"]["KeyId"] == (
        DEFAULT_KEY_ID
    )


# -- key policies -------------------------------------------------------------------------------------------------


def allow_root(*actions: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": list(actions)}
        ],
    }


def test_put_key_policy_and_the_lockout_safety_check() -> None:
    subject = backend()
    text = json.dumps(allow_root("kms:PutKeyPolicy", "kms:Describe*"), indent=2)
    subject.call("kms", "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "Policy": text})
    assert subject.call("kms", "GetKeyPolicy", {"KeyId": DEFAULT_KEY_ID}) == {"Policy": text, "PolicyName": "default"}
    locked = json.dumps(allow_root("kms:Encrypt"))
    caught = fails(subject, "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "Policy": locked})
    assert (caught.code, caught.message) == (
        "MalformedPolicyDocumentException",
        "The new key policy will not allow you to update the key policy in the future.",
    )
    subject.call(
        "kms", "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "Policy": locked, "BypassPolicyLockoutSafetyCheck": True}
    )
    assert json.loads(subject.call("kms", "GetKeyPolicy", {"KeyId": DEFAULT_KEY_ID})["Policy"]) == allow_root(
        "kms:Encrypt"
    )
    admin = f"arn:aws:iam::{ACCOUNT}:role/KeyAdmin"
    by_role = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": admin}, "Action": "kms:*", "Resource": "*"}],
    }
    subject.call("kms", "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, "Policy": json.dumps(by_role)})
    assert fails(subject, "CreateKey", {"Policy": locked}).code == "MalformedPolicyDocumentException"


def test_the_lockout_safety_check_evaluates_the_creating_principal() -> None:
    """KMS (API_CreateKey, BypassPolicyLockoutSafetyCheck): the key policy must allow the principal making the
    request to call PutKeyPolicy later, with that principal's own request keys: a root statement conditioned on
    aws:PrincipalArn counts for the principals it names, not for others of the account."""
    deployer = f"arn:aws:iam::{ACCOUNT}:role/stacksets-exec-0123"
    conditioned = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:PutKeyPolicy",
                "Resource": "*",
                "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/stacksets-exec-*"}},
            }
        ],
    }
    data = default_data()
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    data["Roles"] = [{"Name": "stacksets-exec-0123", "AssumeRolePolicyDocument": trust, "AttachedPolicies": [admin]}]
    world_ = World.from_dict(data)
    as_deployer = world_.backend().acting_as(parse_caller(deployer))
    as_deployer.call("kms", "CreateKey", {"Policy": json.dumps(conditioned)})
    other = world_.backend().acting_as(parse_caller(f"arn:aws:iam::{ACCOUNT}:role/Admin"))
    assert fails(other, "CreateKey", {"Policy": json.dumps(conditioned)}).code == "MalformedPolicyDocumentException"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Policy": "{"}, "MalformedPolicyDocumentException"),
        ({"Policy": '{"Version": "2012-10-17"}'}, "MalformedPolicyDocumentException"),
        ({"Policy": json.dumps(allow_root("kms:*")), "PolicyName": "other"}, "NotFoundException"),
        ({}, "ValidationException"),
    ],
)
def test_put_key_policy_refusals(params: dict[str, Any], code: str) -> None:
    assert fails(backend(), "PutKeyPolicy", {"KeyId": DEFAULT_KEY_ID, **params}).code == code


def test_list_key_policies() -> None:
    assert backend().call("kms", "ListKeyPolicies", {"KeyId": DEFAULT_KEY_ID}) == {
        "PolicyNames": ["default"],
        "Truncated": False,
    }


# -- rotation -------------------------------------------------------------------------------------------------------


def test_rotation() -> None:
    subject = backend()
    assert subject.call("kms", "GetKeyRotationStatus", {"KeyId": DEFAULT_KEY_ID}) == {
        "KeyRotationEnabled": False,
        "KeyId": DEFAULT_KEY_ID,
    }
    subject.call("kms", "EnableKeyRotation", {"KeyId": DEFAULT_KEY_ID, "RotationPeriodInDays": 90})
    assert subject.call("kms", "GetKeyRotationStatus", {"KeyId": "alias/cloudtrail"}) == {
        "KeyRotationEnabled": True,
        "KeyId": DEFAULT_KEY_ID,
        "RotationPeriodInDays": 90,
        "NextRotationDate": NOW + timedelta(days=90),
    }
    subject.call("kms", "ScheduleKeyDeletion", {"KeyId": DEFAULT_KEY_ID})
    assert subject.call("kms", "GetKeyRotationStatus", {"KeyId": DEFAULT_KEY_ID})["KeyRotationEnabled"] is False
    subject.call("kms", "CancelKeyDeletion", {"KeyId": DEFAULT_KEY_ID})
    assert subject.call("kms", "GetKeyRotationStatus", {"KeyId": DEFAULT_KEY_ID})["KeyRotationEnabled"] is True
    subject.call("kms", "EnableKey", {"KeyId": DEFAULT_KEY_ID})
    subject.call("kms", "DisableKeyRotation", {"KeyId": DEFAULT_KEY_ID})
    assert subject.call("kms", "GetKeyRotationStatus", {"KeyId": DEFAULT_KEY_ID})["KeyRotationEnabled"] is False
    subject.call("kms", "EnableKeyRotation", {"KeyId": DEFAULT_KEY_ID})
    assert subject.call("kms", "GetKeyRotationStatus", {"KeyId": DEFAULT_KEY_ID})["RotationPeriodInDays"] == 365


def test_rotation_refusals() -> None:
    subject = backend()
    asymmetric = new_key(subject, KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    caught = fails(subject, "EnableKeyRotation", {"KeyId": asymmetric})
    assert caught.code == "UnsupportedOperationException"
    assert subject.call("kms", "GetKeyRotationStatus", {"KeyId": asymmetric})["KeyRotationEnabled"] is False
    for days in (89, 2561):
        params = {"KeyId": DEFAULT_KEY_ID, "RotationPeriodInDays": days}
        assert fails(subject, "EnableKeyRotation", params).code == "ValidationException"


# -- grants -------------------------------------------------------------------------------------------------------


def test_grant_lifecycle() -> None:
    subject = backend()
    grantee = f"arn:aws:iam::{ACCOUNT}:role/Reader"
    params = {"KeyId": "alias/cloudtrail", "GranteePrincipal": grantee, "Operations": ["Decrypt"], "Name": "reader"}
    created = subject.call("kms", "CreateGrant", params)
    assert len(created["GrantId"]) == 64 and created["GrantToken"]
    assert subject.call("kms", "CreateGrant", params)["GrantId"] == created["GrantId"]  # the same name: a retry
    second = subject.call("kms", "CreateGrant", {**params, "Name": "other", "RetiringPrincipal": grantee})
    grants = subject.call("kms", "ListGrants", {"KeyId": DEFAULT_KEY_ID})
    assert grants["Truncated"] is False
    assert [(g["GrantId"], g["Name"], g["KeyId"]) for g in grants["Grants"]] == [
        (created["GrantId"], "reader", KEY_ARN),
        (second["GrantId"], "other", KEY_ARN),
    ]
    entry = grants["Grants"][0]
    assert (entry["GranteePrincipal"], entry["Operations"], entry["IssuingAccount"], entry["CreationDate"]) == (
        grantee, ["Decrypt"], f"arn:aws:iam::{ACCOUNT}:root", NOW,
    )  # fmt: skip
    retirable = subject.call("kms", "ListRetirableGrants", {"RetiringPrincipal": grantee})["Grants"]
    assert [g["GrantId"] for g in retirable] == [second["GrantId"]]
    page = subject.call("kms", "ListGrants", {"KeyId": DEFAULT_KEY_ID, "Limit": 1})
    assert page["Truncated"] is True and len(page["Grants"]) == 1
    rest = subject.call("kms", "ListGrants", {"KeyId": DEFAULT_KEY_ID, "Marker": page["NextMarker"]})
    assert [g["GrantId"] for g in rest["Grants"]] == [second["GrantId"]]
    subject.call("kms", "RetireGrant", {"GrantToken": second["GrantToken"]})
    subject.call("kms", "RevokeGrant", {"KeyId": DEFAULT_KEY_ID, "GrantId": created["GrantId"]})
    assert subject.call("kms", "ListGrants", {"KeyId": DEFAULT_KEY_ID})["Grants"] == []
    again = subject.call("kms", "CreateGrant", params)
    subject.call("kms", "RetireGrant", {"KeyId": KEY_ARN, "GrantId": again["GrantId"]})


def test_grant_refusals() -> None:
    subject = backend()
    grantee = f"arn:aws:iam::{ACCOUNT}:root"
    assert fails(
        subject, "CreateGrant", {"KeyId": DEFAULT_KEY_ID, "GranteePrincipal": grantee, "Operations": []}
    ).code == ("ValidationException")
    bad = {"KeyId": DEFAULT_KEY_ID, "GranteePrincipal": grantee, "Operations": ["Fly"]}
    assert fails(subject, "CreateGrant", bad).code == "ValidationException"
    assert fails(subject, "RevokeGrant", {"KeyId": DEFAULT_KEY_ID, "GrantId": "x"}).code == "InvalidGrantIdException"
    unknown = "0" * 64
    caught = fails(subject, "RevokeGrant", {"KeyId": DEFAULT_KEY_ID, "GrantId": unknown})
    assert (caught.code, caught.message) == ("NotFoundException", f"Grant ID {unknown} not found")
    assert fails(subject, "RetireGrant", {"GrantToken": "nonsense!"}).code == "InvalidGrantTokenException"
    assert fails(subject, "RetireGrant", {}).code == "ValidationException"
    dry = {"KeyId": DEFAULT_KEY_ID, "GranteePrincipal": grantee, "Operations": ["Encrypt"], "DryRun": True}
    assert fails(subject, "CreateGrant", dry).code == "DryRunOperationException"


# -- Encrypt, Decrypt, data keys -----------------------------------------------------------------------------------


def test_encrypt_decrypt_round_trip() -> None:
    subject = backend()
    context = {"aws:cloudtrail:arn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"}
    sealed = subject.call(
        "kms", "Encrypt", {"KeyId": "alias/cloudtrail", "Plaintext": b"secret", "EncryptionContext": context}
    )
    assert (sealed["KeyId"], sealed["EncryptionAlgorithm"]) == (KEY_ARN, "SYMMETRIC_DEFAULT")
    assert b"secret" not in sealed["CiphertextBlob"]
    assert sealed == subject.call(
        "kms", "Encrypt", {"KeyId": DEFAULT_KEY_ID, "Plaintext": b"secret", "EncryptionContext": dict(context)}
    )
    opened = subject.call("kms", "Decrypt", {"CiphertextBlob": sealed["CiphertextBlob"], "EncryptionContext": context})
    assert opened == {"KeyId": KEY_ARN, "Plaintext": b"secret", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}
    as_base64 = base64.b64encode(b"text").decode()  # a backend takes a blob as base64 text, as its callers send it
    text = subject.call("kms", "Encrypt", {"KeyId": DEFAULT_KEY_ID, "Plaintext": as_base64})
    assert subject.call("kms", "Decrypt", {"CiphertextBlob": text["CiphertextBlob"]})["Plaintext"] == b"text"


def test_decrypt_refusals() -> None:
    subject = backend()
    other = new_key(subject)
    context = {"purpose": "test"}
    blob = subject.call(
        "kms", "Encrypt", {"KeyId": DEFAULT_KEY_ID, "Plaintext": b"secret", "EncryptionContext": context}
    )["CiphertextBlob"]
    tampered = blob[:-20] + bytes([blob[-20] ^ 1]) + blob[-19:]
    for params in (
        {"CiphertextBlob": blob},
        {"CiphertextBlob": blob, "EncryptionContext": {"purpose": "other"}},
        {"CiphertextBlob": tampered, "EncryptionContext": context},
        {"CiphertextBlob": b"not a ciphertext at all"},
    ):
        caught = fails(subject, "Decrypt", params)
        assert (caught.code, caught.message) == ("InvalidCiphertextException", "")
    caught = fails(subject, "Decrypt", {"CiphertextBlob": blob, "EncryptionContext": context, "KeyId": other})
    assert caught.code == "IncorrectKeyException"
    subject.call("kms", "DisableKey", {"KeyId": DEFAULT_KEY_ID})
    assert fails(subject, "Decrypt", {"CiphertextBlob": blob, "EncryptionContext": context}).code == "DisabledException"
    subject.call("kms", "ScheduleKeyDeletion", {"KeyId": DEFAULT_KEY_ID})
    caught = fails(subject, "Decrypt", {"CiphertextBlob": blob, "EncryptionContext": context})
    assert caught.code == "KMSInvalidStateException"


def test_asymmetric_encryption_needs_its_algorithm_and_key() -> None:
    subject = backend()
    rsa = new_key(subject, KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    assert fails(subject, "Encrypt", {"KeyId": rsa, "Plaintext": b"x"}).code == "InvalidKeyUsageException"
    sealed = subject.call(
        "kms", "Encrypt", {"KeyId": rsa, "Plaintext": b"x", "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}
    )
    blob = sealed["CiphertextBlob"]
    assert fails(subject, "Decrypt", {"CiphertextBlob": blob, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}).code == (
        "InvalidCiphertextException"
    )
    opened = subject.call(
        "kms", "Decrypt", {"CiphertextBlob": blob, "KeyId": rsa, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}
    )
    assert opened["Plaintext"] == b"x"
    assert fails(subject, "GenerateDataKey", {"KeyId": rsa, "KeySpec": "AES_256"}).code == "InvalidKeyUsageException"
    signing = new_key(subject, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    caught = fails(subject, "Encrypt", {"KeyId": signing, "Plaintext": b"x"})
    assert caught.code == "InvalidKeyUsageException"
    assert caught.message.endswith("key usage is SIGN_VERIFY which is not valid for Encrypt.")


@pytest.mark.parametrize(
    ("params", "length"), [({"KeySpec": "AES_256"}, 32), ({"KeySpec": "AES_128"}, 16), ({"NumberOfBytes": 7}, 7)]
)
def test_data_keys(params: dict[str, Any], length: int) -> None:
    subject = backend()
    context = {"bucket": "logs"}
    generated = subject.call(
        "kms", "GenerateDataKey", {"KeyId": "alias/cloudtrail", "EncryptionContext": context, **params}
    )
    assert len(generated["Plaintext"]) == length and generated["KeyId"] == KEY_ARN
    opened = subject.call(
        "kms", "Decrypt", {"CiphertextBlob": generated["CiphertextBlob"], "EncryptionContext": context}
    )
    assert opened["Plaintext"] == generated["Plaintext"]
    bare = subject.call("kms", "GenerateDataKeyWithoutPlaintext", {"KeyId": DEFAULT_KEY_ID, **params})
    assert set(bare) == {"CiphertextBlob", "KeyId"}
    assert len(subject.call("kms", "Decrypt", {"CiphertextBlob": bare["CiphertextBlob"]})["Plaintext"]) == length


@pytest.mark.parametrize(
    "params", [{}, {"KeySpec": "AES_256", "NumberOfBytes": 32}, {"NumberOfBytes": 1025}, {"KeySpec": "AES_512"}]
)
def test_data_key_refusals(params: dict[str, Any]) -> None:
    assert fails(backend(), "GenerateDataKey", {"KeyId": DEFAULT_KEY_ID, **params}).code == "ValidationException"


def test_encrypt_dry_run_and_sizes() -> None:
    subject = backend()
    dry = {"KeyId": DEFAULT_KEY_ID, "Plaintext": b"x", "DryRun": True}
    assert fails(subject, "Encrypt", dry).code == "DryRunOperationException"
    assert fails(subject, "Encrypt", {"KeyId": DEFAULT_KEY_ID, "Plaintext": b"x" * 4097}).code == "ValidationException"
    assert fails(subject, "Encrypt", {"KeyId": DEFAULT_KEY_ID}).code == "ValidationException"


# -- tags and lists ------------------------------------------------------------------------------------------------


def test_tags() -> None:
    subject = backend()
    subject.call(
        "kms",
        "TagResource",
        {"KeyId": DEFAULT_KEY_ID, "Tags": [{"TagKey": "b", "TagValue": "2"}, {"TagKey": "a", "TagValue": "1"}]},
    )
    subject.call("kms", "TagResource", {"KeyId": "alias/cloudtrail", "Tags": [{"TagKey": "a", "TagValue": "3"}]})
    assert subject.call("kms", "ListResourceTags", {"KeyId": DEFAULT_KEY_ID}) == {
        "Tags": [{"TagKey": "a", "TagValue": "3"}, {"TagKey": "b", "TagValue": "2"}],
        "Truncated": False,
    }
    subject.call("kms", "UntagResource", {"KeyId": DEFAULT_KEY_ID, "TagKeys": ["a", "absent"]})
    assert subject.call("kms", "ListResourceTags", {"KeyId": DEFAULT_KEY_ID})["Tags"] == [
        {"TagKey": "b", "TagValue": "2"}
    ]
    many = [{"TagKey": f"k{n}", "TagValue": "v"} for n in range(50)]
    assert fails(subject, "TagResource", {"KeyId": DEFAULT_KEY_ID, "Tags": many}).code == "LimitExceededException"


def test_list_keys_pages() -> None:
    subject = backend()
    created = sorted([new_key(subject) for _ in range(3)] + [DEFAULT_KEY_ID])
    first = subject.call("kms", "ListKeys", {"Limit": 3})
    assert first["Truncated"] is True and [k["KeyId"] for k in first["Keys"]] == created[:3]
    rest = subject.call("kms", "ListKeys", {"Marker": first["NextMarker"]})
    assert rest == {
        "Keys": [{"KeyId": created[3], "KeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{created[3]}"}],
        "Truncated": False,
    }
    assert fails(subject, "ListKeys", {"Marker": "nowhere"}).code == "InvalidMarkerException"
    assert fails(subject, "ListKeys", {"Limit": 0}).code == "ValidationException"


# -- what stays unmodelled -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["Sign", "ReEncrypt", "ReplicateKey", "GenerateRandom", "ImportKeyMaterial"])
def test_other_kms_operations_are_not_modelled(operation: str) -> None:
    with pytest.raises(NotModeled):
        backend().call("kms", operation, {})
