"""The fake KMS's grant operations: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant.

Grants live on their key (``Key.grants``, the world file's ``Keys[].Grants``). A grant id is 64 hexadecimal digits
derived from the key, the number of its grants and the simulated time (never random); a grant token is the
base64 of where the grant is (partition, account, region, key id, grant id), so RetireGrant finds it from the
token alone. CreateGrant with the Name of an existing grant of the key that has the same grantee, operations,
retiring principal and constraints answers that grant again (KMS's idempotent retry,
https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html).

Key states as the key state table gives them: CreateGrant refuses a disabled key (DisabledException) and a key
pending deletion (KMSInvalidStateException); ListGrants, RetireGrant and RevokeGrant work in every state.
Decisions where KMS does not document its wording: an id that is not 64 hex digits is InvalidGrantIdException, an
unknown one NotFoundException "Grant ID <id> not found"; a token that is not one of these InvalidGrantTokenException.
Who may retire a grant is not checked (the fake knows no caller).

Across accounts (``kms_keys.CROSS_ACCOUNT``): CreateGrant, ListGrants, RetireGrant and RevokeGrant take the key ARN
or alias ARN of another account's key; the grant is kept on that key, in its owner's account, its IssuingAccount the
caller's account, and its token names the key's account (RetireGrant by token finds it there).
ListRetirableGrants lists the caller's account's keys only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.kms import GRANT_ID, GRANT_OPERATIONS, Grant, Key
from toolkit.fakes.requests import copy_json, opt_bool, opt_str, req_str, str_list
from toolkit.fakes.services.kms_crypto import dry_run
from toolkit.fakes.services.kms_keys import (
    arn_of,
    bad_marker,
    keys_here,
    not_found,
    resolve,
    shared,
    shared_key_of,
    store,
    truncated,
    usable,
    validation,
)
from toolkit.fakes.services.pages import page

CONSTRAINTS = ("EncryptionContextSubset", "EncryptionContextEquals")


def create_grant(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    home, key = shared_key_of(backend, params)
    if params.get("GranteeServicePrincipal") is not None or params.get("RetiringServicePrincipal") is not None:
        raise validation("Grants to service principals are not modelled by the fake world; use GranteePrincipal.")
    grantee = req_str(params, "GranteePrincipal")
    operations = str_list(params, "Operations")
    if not operations or any(operation not in GRANT_OPERATIONS for operation in operations):
        raise validation(
            f"1 validation error detected: Value '{operations}' at 'operations' failed to satisfy constraint: "
            f"Member must satisfy constraint: [Member must satisfy enum value set: [{', '.join(GRANT_OPERATIONS)}]]"
        )
    retiring = opt_str(params, "RetiringPrincipal")
    constraints = _constraints(params)
    name = opt_str(params, "Name") or ""
    usable(home, key)
    if opt_bool(params, "DryRun"):
        raise dry_run()
    wanted = (grantee, tuple(operations), retiring, constraints)
    for grant in key.grants:
        if name and grant.name == name and wanted == _terms(grant):
            return {"GrantToken": _token(home, key, grant.grant_id), "GrantId": grant.grant_id}
    grant = Grant(
        grant_id=_new_grant_id(backend, key),
        grantee_principal=grantee,
        operations=tuple(operations),
        issuing_account=f"arn:{backend.partition}:iam::{backend.account}:root",
        creation_date=backend.now(),
        name=name,
        retiring_principal=retiring,
        constraints=constraints,
    )
    changed = key.clone()
    changed.grants = (*key.grants, grant)
    store(home, changed)
    return {"GrantToken": _token(home, key, grant.grant_id), "GrantId": grant.grant_id}


def list_grants(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    home, key = shared_key_of(backend, params)
    grant_id = opt_str(params, "GrantId")
    grantee = opt_str(params, "GranteePrincipal")
    if grant_id is not None:
        _check_id(grant_id)
    grants = [
        grant
        for grant in key.grants
        if (grant_id is None or grant.grant_id == grant_id) and (grantee is None or grant.grantee_principal == grantee)
    ]
    chosen, following = page(
        grants, _grant_id, params, limit=("Limit", 50, 100), marker="Marker", bad_marker=bad_marker()
    )
    return truncated({"Grants": [_entry(home, key, grant) for grant in chosen]}, following)


def list_retirable_grants(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    retiring = req_str(params, "RetiringPrincipal")
    found = [(key, grant) for key in keys_here(backend) for grant in key.grants if grant.retiring_principal == retiring]
    chosen, following = page(
        found, _pair_id, params, limit=("Limit", 50, 100), marker="Marker", bad_marker=bad_marker()
    )
    return truncated({"Grants": [_entry(backend, key, grant) for key, grant in chosen]}, following)


def retire_grant(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    token = opt_str(params, "GrantToken")
    key_id = opt_str(params, "KeyId")
    grant_id = opt_str(params, "GrantId")
    if token is not None:
        home, key, grant_id = _from_token(backend, token)
    elif key_id is not None and grant_id is not None:
        _check_id(grant_id)
        home, key = shared(backend, key_id)
    else:
        raise validation("Grant token OR (grant ID, key ID) must be specified")
    if opt_bool(params, "DryRun"):
        raise dry_run()
    _remove(home, key, grant_id)
    return {}


def revoke_grant(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    home, key = shared_key_of(backend, params)
    grant_id = req_str(params, "GrantId")
    _check_id(grant_id)
    if opt_bool(params, "DryRun"):
        raise dry_run()
    _remove(home, key, grant_id)
    return {}


def _remove(backend: FakeBackend, key: Key, grant_id: str) -> None:
    kept = tuple(grant for grant in key.grants if grant.grant_id != grant_id)
    if len(kept) == len(key.grants):
        raise not_found(f"Grant ID {grant_id} not found")
    changed = key.clone()
    changed.grants = kept
    store(backend, changed)


def _entry(backend: FakeBackend, key: Key, grant: Grant) -> dict[str, Any]:
    """A GrantListEntry."""
    entry: dict[str, Any] = {
        "KeyId": arn_of(backend, key),
        "GrantId": grant.grant_id,
        "Name": grant.name,
        "CreationDate": grant.creation_date,
        "GranteePrincipal": grant.grantee_principal,
    }
    if grant.retiring_principal is not None:
        entry["RetiringPrincipal"] = grant.retiring_principal
    entry["IssuingAccount"] = grant.issuing_account
    entry["Operations"] = list(grant.operations)
    if grant.constraints is not None:
        entry["Constraints"] = copy_json(grant.constraints)
    return entry


def _constraints(params: dict[str, Any]) -> dict[str, Any] | None:
    value = params.get("Constraints")
    if value is None:
        return None
    if not isinstance(value, dict) or any(name not in CONSTRAINTS for name in value):
        raise validation(f"Constraints may hold {' and '.join(CONSTRAINTS)} only.")
    for name, context in value.items():
        if not isinstance(context, dict) or not all(isinstance(item, str) for item in context.values()):
            raise validation(f"Constraints.{name} must be a map of strings to strings.")
    result: dict[str, Any] = copy_json(value)
    return result


def _terms(grant: Grant) -> tuple[str, tuple[str, ...], str | None, dict[str, Any] | None]:
    return grant.grantee_principal, grant.operations, grant.retiring_principal, grant.constraints


def _new_grant_id(backend: FakeBackend, key: Key) -> str:
    taken = {grant.grant_id for grant in key.grants}
    salt = 0
    while True:
        seed = f"{key.key_id}:{len(key.grants)}:{salt}:{backend.now().isoformat()}"
        grant_id = hashlib.sha256(seed.encode()).hexdigest()
        if grant_id not in taken:
            return grant_id
        salt += 1


def _token(backend: FakeBackend, key: Key, grant_id: str) -> str:
    where = f"{backend.partition}:{backend.account}:{key.region}:{key.key_id}:{grant_id}"
    return base64.urlsafe_b64encode(where.encode()).decode().rstrip("=")


def _from_token(backend: FakeBackend, token: str) -> tuple[FakeBackend, Key, str]:
    """The backend of the key's account, the key and the grant id a grant token names."""
    invalid = AwsError("InvalidGrantTokenException", "The grant token is not valid.")
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as err:
        raise invalid from err
    parts = text.split(":")
    if len(parts) != 5 or not GRANT_ID.fullmatch(parts[4]):
        raise invalid
    partition, account, region, key_id, grant_id = parts
    home = backend.elsewhere(account, region) if partition == backend.partition else None
    if home is None:
        raise invalid
    return home, resolve(home, key_id), grant_id


def _check_id(grant_id: str) -> None:
    if not GRANT_ID.fullmatch(grant_id):
        raise AwsError("InvalidGrantIdException", f"Invalid grant ID {grant_id}")


def _grant_id(grant: Grant) -> str:
    return grant.grant_id


def _pair_id(pair: tuple[Key, Grant]) -> str:
    return pair[1].grant_id


OPERATIONS: dict[str, Operation] = {
    "CreateGrant": create_grant,
    "ListGrants": list_grants,
    "ListRetirableGrants": list_retirable_grants,
    "RetireGrant": retire_grant,
    "RevokeGrant": revoke_grant,
}
