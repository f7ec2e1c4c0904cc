"""Finding a KMS key as KMS does, and the checks every KMS operation shares: its key state, its key usage.

A key is named by id, key ARN, alias name or alias ARN (``resolve``); KMS is regional, so an ARN of another region
names no key here, and a key whose deletion date has passed is gone. The operations KMS lets a principal of another
account use a key with (``CROSS_ACCOUNT``, from the developer guide's "Allowing users in other accounts to use a KMS
key" and each operation's "Cross-account use: Yes") find a key ARN or alias ARN of another account of the world in
that account (``shared``); whether the caller may is decided before the operation runs (``toolkit.fakes.access``:
the key policy and the caller's own policies must both allow it). Every other operation answers another account's
ARN as it answers a key that does not exist, as it always did: NotFoundException "Key '<ARN>' does not exist" or
"Alias <ARN> is not found." (KMS documents only that the operation cannot be used across accounts, not its
wording). A key id or alias name never names another account's key. Errors and their messages as KMS words them:
``NotFoundException`` "Key '<arn>' does not exist", "Alias <arn> is not found.", "Invalid keyId <id>"; the key
state errors as the key state table gives them
(https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html): ``DisabledException`` "<key ARN> is
disabled." for a cryptographic operation on a disabled key, ``KMSInvalidStateException`` "<key ARN> is pending
deletion." for any operation the table refuses a key pending deletion, "<key ARN> is not pending deletion." for
CancelKeyDeletion on any other key.
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.cloudtrail import health
from toolkit.fakes.errors import AwsError
from toolkit.fakes.kms import KEY_ID, Key
from toolkit.fakes.requests import req_str

CROSS_ACCOUNT: Final = frozenset(
    {
        "DescribeKey",
        "Encrypt",
        "Decrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "CreateGrant",
        "ListGrants",
        "RetireGrant",
        "RevokeGrant",
    }
)
"""The modelled operations KMS allows on a key of another account (by key ARN or alias ARN). KMS also allows
ReEncrypt, GenerateDataKeyPair(WithoutPlaintext), GetPublicKey, Sign, Verify, GenerateMac, VerifyMac and
DeriveSharedSecret, which the fake does not model."""


def not_found(message: str) -> AwsError:
    return AwsError("NotFoundException", message)


def resolve(backend: FakeBackend, key_id: str, region: str | None = None) -> Key:
    """The key ``key_id`` names in ``region`` (default: the backend's) of the backend's own account, by any of
    KMS's four forms: an ARN of another account names no key here."""
    return _find(backend, key_id, region, shared=False)[1]


def shared(backend: FakeBackend, key_id: str) -> tuple[FakeBackend, Key]:
    """The key ``key_id`` names, for the operations KMS lets another account use a key with (``CROSS_ACCOUNT``),
    with the backend of the key's own account: a key ARN or alias ARN of another account of the world names that
    account's key (a key id or alias name names a key of the caller's account only). The backend is ``backend``
    itself for a key of its own account; answers name the key by the returned backend's ARNs, and a change to the
    key is stored through it, in its owner's account."""
    return _find(backend, key_id, None, shared=True)


def shared_key_of(backend: FakeBackend, params: dict[str, Any], member: str = "KeyId") -> tuple[FakeBackend, Key]:
    """``shared`` for the key the request's ``member`` names (required)."""
    return shared(backend, req_str(params, member))


def _find(backend: FakeBackend, key_id: str, region: str | None, *, shared: bool) -> tuple[FakeBackend, Key]:
    where = region or backend.region
    home = backend
    name = key_id
    if key_id.startswith("arn:"):
        parts = key_id.split(":", 5)
        if len(parts) != 6 or parts[2] != "kms" or not parts[5].startswith(("key/", "alias/")):
            raise not_found(f"Invalid arn {key_id}")
        _, partition, _, arn_region, account, resource = parts
        elsewhere = (partition, arn_region) != (backend.partition, where)
        if not elsewhere and account != backend.account:
            owner = backend.elsewhere(account, where) if shared else None
            elsewhere = owner is None
            home = owner or backend
        if elsewhere:
            if resource.startswith("alias/"):
                raise not_found(f"Alias {key_id} is not found.")
            raise not_found(f"Key '{key_id}' does not exist")
        name = resource.removeprefix("key/")
    return home, _here(home, key_id, name, where)


def _here(backend: FakeBackend, key_id: str, name: str, where: str) -> Key:
    """The key ``name`` (an alias name or a key id) names in the backend's account and region ``where``."""
    now = backend.now()
    if name.startswith("alias/"):
        for key in backend.world.keys.values():
            if key.region == where and name in key.aliases and not key.deleted(now):
                return key
        raise not_found(f"Alias {backend.arn('kms', name, region=where)} is not found.")
    if not KEY_ID.fullmatch(name):
        raise not_found(f"Invalid keyId {key_id}")
    found = backend.world.keys.get(name)
    if found is None or found.region != where or found.deleted(now):
        raise not_found(f"Key '{backend.arn('kms', 'key/' + name, region=where)}' does not exist")
    return found


def key_of(backend: FakeBackend, params: dict[str, Any], member: str = "KeyId") -> Key:
    """The key the request's ``member`` names (required), in the backend's own account."""
    return resolve(backend, req_str(params, member))


def keys_here(backend: FakeBackend) -> list[Key]:
    """The keys of the backend's region that still exist, by key id."""
    now = backend.now()
    found = [key for key in backend.world.keys.values() if key.region == backend.region and not key.deleted(now)]
    return sorted(found, key=_key_id)


def arn_of(backend: FakeBackend, key: Key) -> str:
    return key.arn(backend.partition, backend.account)


def store(backend: FakeBackend, key: Key) -> None:
    """Put a changed key (a clone) in the world."""
    health.before_change(backend, key=key.key_id)
    backend.world.keys[key.key_id] = key


# -- key states ---------------------------------------------------------------------------------------------


def pending_deletion(backend: FakeBackend, key: Key) -> AwsError:
    return AwsError("KMSInvalidStateException", f"{arn_of(backend, key)} is pending deletion.")


def not_pending_deletion(backend: FakeBackend, key: Key) -> None:
    """Refuse a key pending deletion (the operations the key state table marks [3] for that state)."""
    if key.state == "PendingDeletion":
        raise pending_deletion(backend, key)


def usable(backend: FakeBackend, key: Key) -> None:
    """Refuse a key that is not Enabled, for cryptographic operations and CreateGrant (table notes [1] and [3])."""
    if key.state == "Disabled":
        raise AwsError("DisabledException", f"{arn_of(backend, key)} is disabled.")
    not_pending_deletion(backend, key)


def for_usage(backend: FakeBackend, key: Key, usage: str, operation: str) -> None:
    """Refuse a key whose KeyUsage is not ``usage`` for ``operation``."""
    if key.key_usage != usage:
        raise AwsError(
            "InvalidKeyUsageException",
            f"{arn_of(backend, key)} key usage is {key.key_usage} which is not valid for {operation}.",
        )


# -- requests and list responses ---------------------------------------------------------------------


def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message)


def enum_error(value: str, member: str, allowed: tuple[str, ...] | list[str]) -> AwsError:
    return validation(
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{', '.join(allowed)}]"
    )


def range_error(value: int, member: str, low: int, high: int) -> AwsError:
    bound = f"greater than or equal to {low}" if value < low else f"less than or equal to {high}"
    return validation(
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
        f"Member must have value {bound}"
    )


def truncated(response: dict[str, Any], following: str | None) -> dict[str, Any]:
    """A KMS list response: Truncated, and NextMarker when there is a next page."""
    if following is None:
        return {**response, "Truncated": False}
    return {**response, "NextMarker": following, "Truncated": True}


def bad_marker() -> AwsError:
    return AwsError("InvalidMarkerException", "The marker is not valid: pass the NextMarker of the last response.")


# -- responses ---------------------------------------------------------------------------------------------

_SIGNING = {
    "RSA": [
        "RSASSA_PKCS1_V1_5_SHA_256",
        "RSASSA_PKCS1_V1_5_SHA_384",
        "RSASSA_PKCS1_V1_5_SHA_512",
        "RSASSA_PSS_SHA_256",
        "RSASSA_PSS_SHA_384",
        "RSASSA_PSS_SHA_512",
    ],
    "ECC_NIST_P256": ["ECDSA_SHA_256"],
    "ECC_SECG_P256K1": ["ECDSA_SHA_256"],
    "ECC_NIST_P384": ["ECDSA_SHA_384"],
    "ECC_NIST_P521": ["ECDSA_SHA_512"],
    "ECC_NIST_EDWARDS25519": ["ED25519_SHA_512", "ED25519_PH_SHA_512"],
    "SM2": ["SM2DSA"],
    "ML_DSA": ["ML_DSA_SHAKE_256"],
}


def encryption_algorithms(key: Key) -> list[str]:
    if key.key_usage != "ENCRYPT_DECRYPT":
        return []
    if key.symmetric:
        return ["SYMMETRIC_DEFAULT"]
    return ["SM2PKE"] if key.key_spec == "SM2" else ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]


def metadata(backend: FakeBackend, key: Key) -> dict[str, Any]:
    """The key's KeyMetadata, as DescribeKey and CreateKey return it."""
    arn = arn_of(backend, key)
    result: dict[str, Any] = {
        "AWSAccountId": backend.account,
        "KeyId": key.key_id,
        "Arn": arn,
        "CreationDate": key.creation_date,
        "Enabled": key.enabled,
        "Description": key.description,
        "KeyUsage": key.key_usage,
        "KeyState": key.state,
    }
    if key.deletion_date is not None:
        result["DeletionDate"] = key.deletion_date
    result.update(
        {
            "Origin": "AWS_KMS",
            "KeyManager": "CUSTOMER",
            "CustomerMasterKeySpec": key.key_spec,
            "KeySpec": key.key_spec,
        }
    )
    if key.key_usage == "ENCRYPT_DECRYPT":
        result["EncryptionAlgorithms"] = encryption_algorithms(key)
    elif key.key_usage == "SIGN_VERIFY":
        family = "RSA" if key.key_spec.startswith("RSA") else "ML_DSA" if key.key_spec.startswith("ML_DSA") else None
        result["SigningAlgorithms"] = list(_SIGNING[family or key.key_spec])
    elif key.key_usage == "GENERATE_VERIFY_MAC":
        result["MacAlgorithms"] = ["HMAC_SHA_" + key.key_spec.removeprefix("HMAC_")]
    elif key.key_usage == "KEY_AGREEMENT":
        result["KeyAgreementAlgorithms"] = ["ECDH"]
    result["MultiRegion"] = key.multi_region
    if key.multi_region:
        result["MultiRegionConfiguration"] = {
            "MultiRegionKeyType": "PRIMARY",
            "PrimaryKey": {"Arn": arn, "Region": key.region},
            "ReplicaKeys": [],
        }
    return result


def _key_id(key: Key) -> str:
    return key.key_id
