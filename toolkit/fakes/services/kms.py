"""The fake KMS's operations (``OPERATIONS``) on the state in ``toolkit.fakes.kms``.

Operations: DescribeKey, ListKeys, ListAliases, GetKeyPolicy. A key is named by id, key ARN, alias name or alias
ARN (``resolve``); KMS is regional, so an ARN of another region names no key here. Errors and their messages as
KMS words them: ``NotFoundException`` "Key '<arn>' does not exist", "Alias <arn> is not found.", "Invalid keyId
<id>". A key without a policy in the world file has KMS's default policy (the account's root may use it).
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.kms import KEY_ID, Key
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import opt_str, req_str


def not_found(message: str) -> AwsError:
    return AwsError("NotFoundException", message)


def resolve(backend: FakeBackend, key_id: str, region: str | None = None) -> Key:
    """The key ``key_id`` names in ``region`` (default: the backend's), by any of KMS's four forms."""
    where = region or backend.region
    name = key_id
    if key_id.startswith("arn:"):
        parts = key_id.split(":", 5)
        if len(parts) != 6 or parts[2] != "kms" or not parts[5].startswith(("key/", "alias/")):
            raise not_found(f"Invalid arn {key_id}")
        _, partition, _, arn_region, account, resource = parts
        foreign = (partition, arn_region, account) != (backend.partition, where, backend.account)
        if resource.startswith("alias/"):
            if foreign:
                raise not_found(f"Alias {key_id} is not found.")
            name = resource
        else:
            if foreign:
                raise not_found(f"Key '{key_id}' does not exist")
            name = resource.removeprefix("key/")
    if name.startswith("alias/"):
        for key in backend.world.keys.values():
            if key.region == where and name in key.aliases:
                return key
        raise not_found(f"Alias {backend.arn('kms', name, region=where)} is not found.")
    if not KEY_ID.fullmatch(name):
        raise not_found(f"Invalid keyId {key_id}")
    found = backend.world.keys.get(name)
    if found is None or found.region != where:
        raise not_found(f"Key '{backend.arn('kms', 'key/' + name, region=where)}' does not exist")
    return found


def metadata(backend: FakeBackend, key: Key) -> dict[str, Any]:
    multi_region = key.key_id.startswith("mrk-")
    arn = key.arn(backend.partition, backend.account)
    result: dict[str, Any] = {
        "AWSAccountId": backend.account,
        "KeyId": key.key_id,
        "Arn": arn,
        "CreationDate": CREATED,
        "Enabled": key.enabled,
        "Description": key.description,
        "KeyUsage": "ENCRYPT_DECRYPT",
        "KeyState": "Enabled" if key.enabled else "Disabled",
        "Origin": "AWS_KMS",
        "KeyManager": "CUSTOMER",
        "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
        "MultiRegion": multi_region,
    }
    if multi_region:
        result["MultiRegionConfiguration"] = {
            "MultiRegionKeyType": "PRIMARY",
            "PrimaryKey": {"Arn": arn, "Region": key.region},
            "ReplicaKeys": [],
        }
    return result


def describe_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = resolve(backend, req_str(params, "KeyId"))
    return {"KeyMetadata": metadata(backend, key)}


def list_keys(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    keys = sorted((key for key in backend.world.keys.values() if key.region == backend.region), key=_key_id)
    listed = [{"KeyId": key.key_id, "KeyArn": key.arn(backend.partition, backend.account)} for key in keys]
    return {"Keys": listed, "Truncated": False}


def list_aliases(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """The customer aliases in this region (of one key, with KeyId); AWS-managed aliases are not modelled."""
    wanted = opt_str(params, "KeyId")
    if wanted is not None:
        keys = [resolve(backend, wanted)]
    else:
        keys = [key for key in backend.world.keys.values() if key.region == backend.region]
    entries = [
        {
            "AliasName": alias,
            "AliasArn": backend.arn("kms", alias),
            "TargetKeyId": key.key_id,
            "CreationDate": CREATED,
            "LastUpdatedDate": CREATED,
        }
        for key in keys
        for alias in key.aliases
    ]
    entries.sort(key=lambda entry: str(entry["AliasName"]))
    return {"Aliases": entries, "Truncated": False}


def get_key_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = resolve(backend, req_str(params, "KeyId"))
    name = opt_str(params, "PolicyName") or "default"
    if name != "default":
        raise not_found(f"No such policy exists: {name}")
    return {"Policy": key.effective_policy(backend.partition, backend.account).text(), "PolicyName": "default"}


def _key_id(key: Key) -> str:
    return key.key_id


OPERATIONS: dict[str, Operation] = {
    "DescribeKey": describe_key,
    "ListKeys": list_keys,
    "ListAliases": list_aliases,
    "GetKeyPolicy": get_key_policy,
}
