"""Fake AWS KMS: customer managed keys, per region, with their key state, aliases, key policy, rotation, grants
and tags.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.kms``.

A key's state is one of Enabled, Disabled and PendingDeletion (the three every KMS key can be in; PendingImport,
Unavailable and the multi-Region states are not modelled). ``Enabled`` in the world file is KeyMetadata's flag and
must agree with ``KeyState``; a key pending deletion carries its ``DeletionDate``. A key without a ``Policy`` has
KMS's default key policy (``default_policy``). World-file keys are KeyMetadata's names where KMS has one
(KeyState, DeletionDate, KeySpec, KeyUsage, CreationDate), GetKeyRotationStatus's for rotation
(KeyRotationEnabled, RotationPeriodInDays, NextRotationDate), GrantListEntry's inside ``Grants``, and ``Tags`` as a
mapping like a trail's.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.requests import copy_json
from toolkit.fakes.worldfile import Fields, policy_json, timestamp_text
from toolkit.iam.policy import Policy
from toolkit.records import MutableRecord

KEY_KEYS = (
    "KeyId",
    "Region",
    "Aliases",
    "Enabled",
    "Description",
    "Policy",
    "KeyState",
    "DeletionDate",
    "KeySpec",
    "KeyUsage",
    "CreationDate",
    "KeyRotationEnabled",
    "RotationPeriodInDays",
    "NextRotationDate",
    "Grants",
    "Tags",
)
GRANT_KEYS = (
    "GrantId",
    "Name",
    "GranteePrincipal",
    "RetiringPrincipal",
    "Operations",
    "Constraints",
    "IssuingAccount",
    "CreationDate",
)
KEY_ID = re.compile(r"(?:mrk-[0-9a-f]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
ALIAS = re.compile(r"alias/[a-zA-Z0-9/_-]{1,250}")
GRANT_ID = re.compile(r"[0-9a-f]{64}")
KEY_STATES = ("Enabled", "Disabled", "PendingDeletion")

KEY_SPEC_USAGES: dict[str, tuple[str, ...]] = {
    "SYMMETRIC_DEFAULT": ("ENCRYPT_DECRYPT",),
    "RSA_2048": ("ENCRYPT_DECRYPT", "SIGN_VERIFY"),
    "RSA_3072": ("ENCRYPT_DECRYPT", "SIGN_VERIFY"),
    "RSA_4096": ("ENCRYPT_DECRYPT", "SIGN_VERIFY"),
    "ECC_NIST_P256": ("SIGN_VERIFY", "KEY_AGREEMENT"),
    "ECC_NIST_P384": ("SIGN_VERIFY", "KEY_AGREEMENT"),
    "ECC_NIST_P521": ("SIGN_VERIFY", "KEY_AGREEMENT"),
    "ECC_SECG_P256K1": ("SIGN_VERIFY", "KEY_AGREEMENT"),
    "ECC_NIST_EDWARDS25519": ("SIGN_VERIFY",),
    "HMAC_224": ("GENERATE_VERIFY_MAC",),
    "HMAC_256": ("GENERATE_VERIFY_MAC",),
    "HMAC_384": ("GENERATE_VERIFY_MAC",),
    "HMAC_512": ("GENERATE_VERIFY_MAC",),
    "SM2": ("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT"),
    "ML_DSA_44": ("SIGN_VERIFY",),
    "ML_DSA_65": ("SIGN_VERIFY",),
    "ML_DSA_87": ("SIGN_VERIFY",),
    "ML_KEM_512": ("ENCAPSULATE_DECAPSULATE",),
    "ML_KEM_768": ("ENCAPSULATE_DECAPSULATE",),
    "ML_KEM_1024": ("ENCAPSULATE_DECAPSULATE",),
}
"""Each key spec and the key usages it allows (the first is CreateKey's default where the usage may be left out).
https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html"""

KEY_USAGES = ("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT", "ENCAPSULATE_DECAPSULATE")

GRANT_OPERATIONS = (
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
    "Encapsulate",
    "Decapsulate",
)
"""The GrantOperation values of botocore's KMS model."""

DEFAULT_ROTATION_DAYS = 365
"""EnableKeyRotation's default rotation period (RotationPeriodInDays, 90 to 2560)."""


class Grant(Record, MutableRecord):
    """One grant on a key (GrantListEntry without KeyId, which is the key's ARN)."""

    _FIELDS = (
        "grant_id",
        "grantee_principal",
        "operations",
        "issuing_account",
        "creation_date",
        "name",
        "retiring_principal",
        "constraints",
    )
    grant_id: str
    grantee_principal: str
    operations: tuple[str, ...]
    issuing_account: str
    creation_date: datetime
    name: str
    retiring_principal: str | None
    constraints: dict[str, Any] | None

    def __init__(
        self,
        grant_id: str,
        grantee_principal: str,
        operations: tuple[str, ...],
        issuing_account: str,
        creation_date: datetime = CREATED,
        name: str = "",
        retiring_principal: str | None = None,
        constraints: dict[str, Any] | None = None,
    ) -> None:
        self.grant_id = grant_id
        self.grantee_principal = grantee_principal
        self.operations = operations
        self.issuing_account = issuing_account
        self.creation_date = creation_date
        self.name = name
        self.retiring_principal = retiring_principal
        self.constraints = constraints

    @classmethod
    def read(cls, fields: Fields, account: str, partition: str) -> Grant:
        grant_id = fields.required_text("GrantId")
        if not GRANT_ID.fullmatch(grant_id):
            raise fields.fail("GrantId", "must be 64 lower-case hexadecimal digits")
        operations = fields.strings("Operations")
        unknown = [operation for operation in operations if operation not in GRANT_OPERATIONS]
        if not operations or unknown:
            raise fields.fail("Operations", f"must name grant operations ({', '.join(GRANT_OPERATIONS)})")
        constraints = fields.data.get("Constraints")
        if constraints is not None and not isinstance(constraints, dict):
            raise fields.fail("Constraints", "must be a mapping (EncryptionContextSubset, EncryptionContextEquals)")
        return cls(
            grant_id=grant_id,
            grantee_principal=fields.required_text("GranteePrincipal"),
            operations=operations,
            issuing_account=fields.text("IssuingAccount", f"arn:{partition}:iam::{account}:root"),
            creation_date=fields.timestamp("CreationDate") or CREATED,
            name=fields.optional_text("Name") or "",
            retiring_principal=fields.optional_text("RetiringPrincipal") or None,
            constraints=None if constraints is None else copy_json(constraints),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "GrantId": self.grant_id,
            "Name": self.name,
            "GranteePrincipal": self.grantee_principal,
            "RetiringPrincipal": self.retiring_principal,
            "Operations": list(self.operations),
            "Constraints": copy_json(self.constraints),
            "IssuingAccount": self.issuing_account,
            "CreationDate": timestamp_text(self.creation_date),
        }


class Key(Record, MutableRecord):
    _FIELDS = (
        "key_id",
        "region",
        "aliases",
        "state",
        "description",
        "policy",
        "deletion_date",
        "key_spec",
        "key_usage",
        "creation_date",
        "rotation_enabled",
        "rotation_period",
        "next_rotation",
        "grants",
        "tags",
    )
    key_id: str
    region: str
    aliases: tuple[str, ...]
    state: str
    description: str
    policy: Policy | None
    deletion_date: datetime | None
    key_spec: str
    key_usage: str
    creation_date: datetime
    rotation_enabled: bool
    rotation_period: int | None
    next_rotation: datetime | None
    grants: tuple[Grant, ...]
    tags: dict[str, str]

    def __init__(
        self,
        key_id: str,
        region: str,
        aliases: tuple[str, ...] = (),
        state: str = "Enabled",
        description: str = "",
        policy: Policy | None = None,
        deletion_date: datetime | None = None,
        key_spec: str = "SYMMETRIC_DEFAULT",
        key_usage: str = "ENCRYPT_DECRYPT",
        creation_date: datetime = CREATED,
        rotation_enabled: bool = False,
        rotation_period: int | None = None,
        next_rotation: datetime | None = None,
        grants: tuple[Grant, ...] = (),
        tags: dict[str, str] | None = None,
    ) -> None:
        self.key_id = key_id
        self.region = region
        self.aliases = aliases
        self.state = state
        self.description = description
        self.policy = policy
        self.deletion_date = deletion_date
        self.key_spec = key_spec
        self.key_usage = key_usage
        self.creation_date = creation_date
        self.rotation_enabled = rotation_enabled
        self.rotation_period = rotation_period
        self.next_rotation = next_rotation
        self.grants = grants
        self.tags = {} if tags is None else tags

    @property
    def enabled(self) -> bool:
        """KeyMetadata's Enabled: true exactly when the key state is Enabled."""
        return self.state == "Enabled"

    @property
    def multi_region(self) -> bool:
        return self.key_id.startswith("mrk-")

    @property
    def symmetric(self) -> bool:
        return self.key_spec == "SYMMETRIC_DEFAULT"

    @classmethod
    def read(cls, fields: Fields, region: str, account: str = "123456789012", partition: str = "aws") -> Key:
        key_id = fields.required_text("KeyId")
        if not KEY_ID.fullmatch(key_id):
            raise fields.fail("KeyId", "must be a key id (a UUID, or mrk- and 32 hex digits for a multi-Region key)")
        aliases = fields.strings("Aliases")
        for alias in aliases:
            if not ALIAS.fullmatch(alias) or alias.startswith("alias/aws/"):
                raise fields.fail("Aliases", f"holds {alias!r}, not a customer alias name (alias/...)")
        key_spec = fields.text("KeySpec", "SYMMETRIC_DEFAULT")
        usages = KEY_SPEC_USAGES.get(key_spec)
        if usages is None:
            raise fields.fail("KeySpec", f"must be one of {', '.join(KEY_SPEC_USAGES)}")
        key_usage = fields.text("KeyUsage", usages[0])
        if key_usage not in usages:
            raise fields.fail("KeyUsage", f"must be one of {', '.join(usages)} for a {key_spec} key")
        state, deletion_date = _read_state(fields)
        rotation = fields.flag("KeyRotationEnabled", False)
        if rotation and key_spec != "SYMMETRIC_DEFAULT":
            raise fields.fail("KeyRotationEnabled", "can be true only for a symmetric encryption key")
        period = _optional_int(fields, "RotationPeriodInDays", 90, 2560)
        grants = tuple(Grant.read(item, account, partition) for item in fields.items("Grants", GRANT_KEYS))
        if len({grant.grant_id for grant in grants}) != len(grants):
            raise fields.fail("Grants", "repeats a GrantId")
        tags = fields.string_map("Tags")
        if any(value is None for value in tags.values()):
            raise fields.fail("Tags", "must map each tag key to a string value")
        return cls(
            key_id=key_id,
            region=fields.text("Region", region),
            aliases=aliases,
            state=state,
            description=fields.optional_text("Description") or "",
            policy=fields.policy("Policy"),
            deletion_date=deletion_date,
            key_spec=key_spec,
            key_usage=key_usage,
            creation_date=fields.timestamp("CreationDate") or CREATED,
            rotation_enabled=rotation,
            rotation_period=period,
            next_rotation=fields.timestamp("NextRotationDate"),
            grants=grants,
            tags={name: value for name, value in tags.items() if value is not None},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "KeyId": self.key_id,
            "Region": self.region,
            "Aliases": list(self.aliases),
            "Enabled": self.enabled,
            "Description": self.description,
            "Policy": policy_json(self.policy),
            "KeyState": self.state,
            "DeletionDate": timestamp_text(self.deletion_date),
            "KeySpec": self.key_spec,
            "KeyUsage": self.key_usage,
            "CreationDate": timestamp_text(self.creation_date),
            "KeyRotationEnabled": self.rotation_enabled,
            "RotationPeriodInDays": self.rotation_period,
            "NextRotationDate": timestamp_text(self.next_rotation),
            "Grants": [grant.to_dict() for grant in self.grants],
            "Tags": dict(self.tags),
        }

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:kms:{self.region}:{account}:key/{self.key_id}"

    def effective_policy(self, partition: str, account: str) -> Policy:
        """The key policy, or KMS's default one (the account's principals, through IAM) when none is set."""
        if self.policy is not None:
            return self.policy
        return Policy(default_policy(partition, account))

    def deleted(self, now: datetime) -> bool:
        """Whether the key's waiting period has ended: KMS has deleted it, and no operation finds it."""
        return self.state == "PendingDeletion" and self.deletion_date is not None and self.deletion_date <= now


def default_policy(partition: str, account: str) -> dict[str, Any]:
    """The key policy CreateKey gives a key when the request has none: the account may use IAM policies to allow
    every KMS operation on the key. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"""
    return {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }


def _read_state(fields: Fields) -> tuple[str, datetime | None]:
    """KeyState (from Enabled when left out) and DeletionDate, which a key has exactly when pending deletion."""
    deletion_date = fields.timestamp("DeletionDate")
    enabled = fields.data.get("Enabled")
    if enabled is not None and not isinstance(enabled, bool):
        raise fields.fail("Enabled", "must be true or false")
    if fields.data.get("KeyState") is None:
        state = "PendingDeletion" if deletion_date is not None else ("Disabled" if enabled is False else "Enabled")
    else:
        state = fields.text("KeyState", "Enabled")
        if state not in KEY_STATES:
            raise fields.fail("KeyState", f"must be one of {', '.join(KEY_STATES)} (other key states are not modelled)")
    if enabled is not None and enabled != (state == "Enabled"):
        raise fields.fail("Enabled", f"must be {str(state == 'Enabled').lower()} for a key in state {state}")
    if (state == "PendingDeletion") != (deletion_date is not None):
        raise fields.fail("DeletionDate", "is required for a key pending deletion, and only for one")
    return state, deletion_date


def _optional_int(fields: Fields, key: str, low: int, high: int) -> int | None:
    value = fields.data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise fields.fail(key, f"must be a whole number from {low} to {high}")
    return value
