"""The fake KMS's alias operations: CreateAlias, UpdateAlias, DeleteAlias, ListAliases.

An alias is a name of one key in one region (``Key.aliases`` in the world). The rules as KMS applies them
(https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html): the name starts with ``alias/`` and holds
letters, digits, ``/``, ``_`` and ``-`` (at most 256 characters); ``alias/aws/`` is reserved for AWS managed keys;
an alias name is unique in its account and region (AlreadyExistsException); the target is a key id or key ARN, never
an alias, and cannot be a key pending deletion (KMSInvalidStateException; UpdateAlias checks the new target only,
per the key state table's note [10]).

Decisions where KMS does not document its answer (the wording other emulators observed, where known):
- A name without ``alias/``: ValidationException 'Alias must start with the prefix "alias/". Please see
  https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html'.
- An ``alias/aws/`` name: NotAuthorizedException with an empty message, for create, update and delete.
- A target given as an alias: ValidationException "Aliases must refer to keys. Not aliases".
- AWS managed aliases are not listed (the fake holds no AWS managed keys); every alias reports the world's creation
  instant as CreationDate and LastUpdatedDate (the world file keeps alias names only).
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.kms import Key
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import opt_str, req_str
from toolkit.fakes.services.kms_keys import (
    bad_marker,
    keys_here,
    not_found,
    not_pending_deletion,
    resolve,
    store,
    truncated,
    validation,
)
from toolkit.fakes.services.pages import page

ALIAS_PATTERN = re.compile(r"[a-zA-Z0-9:/_-]+")


def _alias_name(params: dict[str, Any]) -> str:
    name = req_str(params, "AliasName")
    if not name.startswith("alias/"):
        raise validation(
            'Alias must start with the prefix "alias/". Please see '
            "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html"
        )
    if name.startswith("alias/aws/"):
        raise AwsError("NotAuthorizedException", "")
    if len(name) > 256:
        raise validation(
            f"1 validation error detected: Value '{name}' at 'aliasName' failed to satisfy constraint: "
            "Member must have length less than or equal to 256"
        )
    if not ALIAS_PATTERN.fullmatch(name):
        raise validation(
            f"1 validation error detected: Value '{name}' at 'aliasName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"
        )
    if ":" in name or name == "alias/":
        raise validation(f"{name} contains invalid characters for an alias")
    return name


def _target(backend: FakeBackend, params: dict[str, Any]) -> Key:
    """The key TargetKeyId names (a key id or key ARN), which must not be pending deletion."""
    target = req_str(params, "TargetKeyId")
    if target.startswith("alias/") or (target.startswith("arn:") and ":alias/" in target):
        raise validation("Aliases must refer to keys. Not aliases")
    key = resolve(backend, target)
    not_pending_deletion(backend, key)
    return key


def _holder(backend: FakeBackend, name: str) -> Key | None:
    """The key of this region that has the alias ``name``, if any."""
    for key in keys_here(backend):
        if name in key.aliases:
            return key
    return None


def create_alias(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = _alias_name(params)
    if _holder(backend, name) is not None:
        raise AwsError("AlreadyExistsException", f"An alias with the name {backend.arn('kms', name)} already exists")
    key = _target(backend, params)
    changed = key.clone()
    changed.aliases = (*key.aliases, name)
    store(backend, changed)
    return {}


def update_alias(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = _alias_name(params)
    current = _holder(backend, name)
    if current is None:
        raise not_found(f"Alias {backend.arn('kms', name)} is not found.")
    key = _target(backend, params)
    if key.key_id == current.key_id:
        return {}
    released = current.clone()
    released.aliases = tuple(alias for alias in current.aliases if alias != name)
    store(backend, released)
    changed = key.clone()
    changed.aliases = (*key.aliases, name)
    store(backend, changed)
    return {}


def delete_alias(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = _alias_name(params)
    current = _holder(backend, name)
    if current is None:
        raise not_found(f"Alias {backend.arn('kms', name)} is not found.")
    released = current.clone()
    released.aliases = tuple(alias for alias in current.aliases if alias != name)
    store(backend, released)
    return {}


def list_aliases(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """The customer aliases in this region (of one key, with KeyId), by name."""
    wanted = opt_str(params, "KeyId")
    keys = [resolve(backend, wanted)] if wanted is not None else keys_here(backend)
    entries = sorted(
        (
            {
                "AliasName": alias,
                "AliasArn": backend.arn("kms", alias),
                "TargetKeyId": key.key_id,
                "CreationDate": CREATED,
                "LastUpdatedDate": CREATED,
            }
            for key in keys
            for alias in key.aliases
        ),
        key=_alias_of,
    )
    chosen, following = page(
        entries, _alias_of, params, limit=("Limit", 100, 1000), marker="Marker", bad_marker=bad_marker()
    )
    return truncated({"Aliases": chosen}, following)


def _alias_of(entry: dict[str, Any]) -> str:
    return str(entry["AliasName"])


OPERATIONS: dict[str, Operation] = {
    "CreateAlias": create_alias,
    "UpdateAlias": update_alias,
    "DeleteAlias": delete_alias,
    "ListAliases": list_aliases,
}
