"""The fake KMS's operations (``OPERATIONS``) on the state in ``toolkit.fakes.kms``.

Here: keys and their state machine (CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion,
CancelKeyDeletion, UpdateKeyDescription), key policies (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies), rotation
(EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus) and tags (TagResource, UntagResource,
ListResourceTags). Aliases are in ``kms_aliases``, grants in ``kms_grants``, Encrypt/Decrypt/GenerateDataKey in
``kms_crypto``; ``kms_keys`` finds keys (any of the four key-id forms) and words the key-state errors.

Decisions where KMS is silent or its wording is not documented:
- New key ids are derived from the account, region, number of keys and the simulated time (a UUID's form, or mrk-
  and 32 hex digits for a multi-Region key), so simulations are byte-stable.
- CreateKey without a policy leaves ``Policy`` unset in the world: the key has KMS's default key policy.
- The lockout safety check (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html and
  API_CreateKey: "the key policy must allow the principal that is making the CreateKey request to make a subsequent
  PutKeyPolicy request"): when the backend acts as a caller, the new policy passes when it allows
  ``kms:PutKeyPolicy`` on the key to that caller, evaluated with the caller's own request keys (aws:PrincipalArn,
  aws:PrincipalAccount, aws:PrincipalType, aws:PrincipalOrgID, kms:CallerAccount), so a statement for the account's
  root with an ``aws:PrincipalArn`` condition counts for exactly the principals it names. Only the key policy is
  read (an account-root statement passes it on to IAM, as KMS's check does). A backend without a caller (every
  call allowed) has nobody to check: the policy passes when it allows ``kms:PutKeyPolicy`` to the account (the
  root principal) or to some principal of the account it names. Otherwise MalformedPolicyDocumentException
  "The new key policy will not allow you to update the key policy in the future."
- Rotation cannot be enabled on a key that is not a symmetric encryption key: UnsupportedOperationException
  "<key ARN> key spec is <spec> which is not valid for this operation." [UNVERIFIED wording]. While a key is pending
  deletion GetKeyRotationStatus reports false, and the setting returns when the deletion is cancelled
  (API_GetKeyRotationStatus).
- Origins other than AWS_KMS and custom key stores are not modelled (NotModeledByFakeWorld).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.kms import DEFAULT_ROTATION_DAYS, KEY_SPEC_USAGES, KEY_USAGES, Key
from toolkit.fakes.requests import missing, opt_bool, opt_int, opt_str, req_str, str_list, struct_list
from toolkit.fakes.services import kms_aliases, kms_crypto, kms_grants
from toolkit.fakes.services.kms_keys import (
    arn_of,
    bad_marker,
    enum_error,
    key_of,
    keys_here,
    metadata,
    not_pending_deletion,
    range_error,
    shared_key_of,
    store,
    truncated,
    usable,
    validation,
)
from toolkit.fakes.services.kms_keys import not_found as not_found
from toolkit.fakes.services.kms_keys import resolve as resolve
from toolkit.fakes.services.pages import page
from toolkit.iam.policy import Policy

# -- keys ------------------------------------------------------------------------------------------------------


def create_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    for member in ("CustomKeyStoreId", "XksKeyId"):
        if params.get(member) is not None:
            raise NotModeled("kms", f"CreateKey with {member} (custom key stores)")
    origin = opt_str(params, "Origin") or "AWS_KMS"
    if origin != "AWS_KMS":
        raise NotModeled("kms", f"CreateKey with Origin {origin}")
    key_spec = opt_str(params, "KeySpec") or opt_str(params, "CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    usages = KEY_SPEC_USAGES.get(key_spec)
    if usages is None:
        raise enum_error(key_spec, "keySpec", list(KEY_SPEC_USAGES))
    key_usage = opt_str(params, "KeyUsage")
    if key_usage is None:
        if key_spec != "SYMMETRIC_DEFAULT":
            raise validation("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
        key_usage = "ENCRYPT_DECRYPT"
    if key_usage not in KEY_USAGES:
        raise enum_error(key_usage, "keyUsage", KEY_USAGES)
    if key_usage not in usages:
        raise validation(f"KeyUsage {key_usage} is not compatible with KeySpec {key_spec}")
    description = opt_str(params, "Description") or ""
    if len(description) > 8192:
        raise validation(
            "1 validation error detected: Value at 'description' failed to satisfy constraint: "
            "Member must have length less than or equal to 8192"
        )
    tags = _tags(params, "Tags", {})
    multi_region = bool(opt_bool(params, "MultiRegion"))
    key_id = _new_key_id(backend, multi_region)
    key = Key(
        key_id=key_id,
        region=backend.region,
        description=description,
        key_spec=key_spec,
        key_usage=key_usage,
        creation_date=backend.now(),
        tags=tags,
    )
    text = opt_str(params, "Policy")
    if text is not None:
        key.policy = _checked_policy(
            backend, text, arn_of(backend, key), opt_bool(params, "BypassPolicyLockoutSafetyCheck")
        )
    store(backend, key)
    return {"KeyMetadata": metadata(backend, key)}


def describe_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    home, key = shared_key_of(backend, params)
    return {"KeyMetadata": metadata(home, key)}


def list_keys(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    keys, following = page(
        keys_here(backend), _key_id, params, limit=("Limit", 100, 1000), marker="Marker", bad_marker=bad_marker()
    )
    listed = [{"KeyId": key.key_id, "KeyArn": arn_of(backend, key)} for key in keys]
    return truncated({"Keys": listed}, following)


def enable_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    not_pending_deletion(backend, key)
    _set_state(backend, key, "Enabled")
    return {}


def disable_key(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    not_pending_deletion(backend, key)
    _set_state(backend, key, "Disabled")
    return {}


def schedule_key_deletion(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    window = opt_int(params, "PendingWindowInDays")
    if window is None:
        window = 30
    elif not 7 <= window <= 30:
        raise range_error(window, "pendingWindowInDays", 7, 30)
    not_pending_deletion(backend, key)
    changed = key.clone()
    changed.state = "PendingDeletion"
    changed.deletion_date = backend.now() + timedelta(days=window)
    store(backend, changed)
    return {
        "KeyId": arn_of(backend, key),
        "DeletionDate": changed.deletion_date,
        "KeyState": "PendingDeletion",
        "PendingWindowInDays": window,
    }


def cancel_key_deletion(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """A key pending deletion goes back to Disabled (its aliases, grants and rotation setting as before)."""
    key = key_of(backend, params)
    if key.state != "PendingDeletion":
        raise AwsError("KMSInvalidStateException", f"{arn_of(backend, key)} is not pending deletion.")
    changed = key.clone()
    changed.state = "Disabled"
    changed.deletion_date = None
    store(backend, changed)
    return {"KeyId": arn_of(backend, key)}


def update_key_description(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    description = req_str(params, "Description")
    not_pending_deletion(backend, key)
    changed = key.clone()
    changed.description = description
    store(backend, changed)
    return {}


def _set_state(backend: FakeBackend, key: Key, state: str) -> None:
    if key.state != state:
        changed = key.clone()
        changed.state = state
        store(backend, changed)


def _new_key_id(backend: FakeBackend, multi_region: bool) -> str:
    """A key id no key has, derived from where and when the key is created (never random)."""
    salt = 0
    while True:
        seed = f"{backend.partition}:{backend.account}:{backend.region}:{len(backend.world.keys)}:{salt}"
        digest = hashlib.sha256(f"{seed}:{backend.now().isoformat()}".encode()).hexdigest()
        if multi_region:
            key_id = "mrk-" + digest[:32]
        else:
            key_id = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        if key_id not in backend.world.keys:
            return key_id
        salt += 1


# -- key policies -------------------------------------------------------------------------------------------


def get_key_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    name = opt_str(params, "PolicyName") or "default"
    if name != "default":
        raise not_found(f"No such policy exists: {name}")
    return {"Policy": key.effective_policy(backend.partition, backend.account).text(), "PolicyName": "default"}


def put_key_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    name = opt_str(params, "PolicyName") or "default"
    text = req_str(params, "Policy")
    if name != "default":
        raise not_found(f"No such policy exists: {name}")
    changed = key.clone()
    changed.policy = _checked_policy(
        backend, text, arn_of(backend, key), opt_bool(params, "BypassPolicyLockoutSafetyCheck")
    )
    store(backend, changed)
    return {}


def list_key_policies(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key_of(backend, params)
    return {"PolicyNames": ["default"], "Truncated": False}


def _checked_policy(backend: FakeBackend, text: str, key_arn: str, bypass: bool | None) -> Policy:
    """The key policy ``text`` as CreateKey and PutKeyPolicy accept it: a JSON policy document that, unless the
    lockout safety check is bypassed, still lets the account change the key policy."""
    try:
        policy = Policy.parse(text)
    except ValueError as err:
        raise AwsError("MalformedPolicyDocumentException", "The policy is not a valid JSON document.") from err
    statements = policy.document.get("Statement")
    if not isinstance(statements, (list, dict)) or not statements:
        raise AwsError("MalformedPolicyDocumentException", "The policy has no Statement.")
    if not bypass and not _keeps_control(backend, policy, key_arn):
        raise AwsError(
            "MalformedPolicyDocumentException",
            "The new key policy will not allow you to update the key policy in the future.",
        )
    return policy


def _keeps_control(backend: FakeBackend, policy: Policy, key_arn: str) -> bool:
    account = backend.account
    caller = backend.caller
    if caller is not None:
        keys: dict[str, str] = {
            "aws:principalarn": caller.principal_arn,
            "aws:principalaccount": caller.account,
            "aws:principaltype": caller.kind,
            "kms:calleraccount": caller.account,
        }
        organization = backend.world.organization
        if organization is not None:
            keys["aws:principalorgid"] = organization.id
        return policy.allows(("AWS", caller.arn), "kms:PutKeyPolicy", key_arn, tuple(keys.items()))
    callers = [f"arn:{backend.partition}:iam::{account}:root"]
    statements = policy.document.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        named = principal.get("AWS") if isinstance(principal, dict) else None
        for name in [named] if isinstance(named, str) else named if isinstance(named, list) else []:
            if isinstance(name, str) and name.startswith("arn:") and name.split(":")[4:5] == [account]:
                callers.append(name)
    context = (("kms:calleraccount", account), ("aws:principalaccount", account))
    return any(policy.allows(("AWS", caller), "kms:PutKeyPolicy", key_arn, context) for caller in callers)


# -- rotation -------------------------------------------------------------------------------------------------


def enable_key_rotation(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    period = opt_int(params, "RotationPeriodInDays")
    if period is not None and not 90 <= period <= 2560:
        raise range_error(period, "rotationPeriodInDays", 90, 2560)
    _rotatable(backend, key)
    changed = key.clone()
    changed.rotation_enabled = True
    changed.rotation_period = period or key.rotation_period or DEFAULT_ROTATION_DAYS
    changed.next_rotation = backend.now() + timedelta(days=changed.rotation_period)
    store(backend, changed)
    return {}


def disable_key_rotation(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    _rotatable(backend, key)
    changed = key.clone()
    changed.rotation_enabled = False
    changed.rotation_period = None
    changed.next_rotation = None
    store(backend, changed)
    return {}


def get_key_rotation_status(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    enabled = key.rotation_enabled and key.state != "PendingDeletion"
    result: dict[str, Any] = {"KeyRotationEnabled": enabled, "KeyId": key.key_id}
    if enabled:
        result["RotationPeriodInDays"] = key.rotation_period or DEFAULT_ROTATION_DAYS
        if key.next_rotation is not None:
            result["NextRotationDate"] = key.next_rotation
    return result


def _rotatable(backend: FakeBackend, key: Key) -> None:
    if not key.symmetric:
        raise AwsError(
            "UnsupportedOperationException",
            f"{arn_of(backend, key)} key spec is {key.key_spec} which is not valid for this operation.",
        )
    usable(backend, key)


# -- tags -------------------------------------------------------------------------------------------------------


def tag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    tags = _tags(params, "Tags", key.tags, required=True)
    not_pending_deletion(backend, key)
    changed = key.clone()
    changed.tags = tags
    store(backend, changed)
    return {}


def untag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    names = str_list(params, "TagKeys")
    if names is None:
        raise missing("TagKeys")
    not_pending_deletion(backend, key)
    changed = key.clone()
    changed.tags = {name: value for name, value in key.tags.items() if name not in names}
    store(backend, changed)
    return {}


def list_resource_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    key = key_of(backend, params)
    names, following = page(
        sorted(key.tags), str, params, limit=("Limit", 50, 50), marker="Marker", bad_marker=bad_marker()
    )
    return truncated({"Tags": [{"TagKey": name, "TagValue": key.tags[name]} for name in names]}, following)


def _tags(params: dict[str, Any], member: str, current: dict[str, str], required: bool = False) -> dict[str, str]:
    """``current`` with the request's tags ({TagKey, TagValue} items) added or replaced, as TagResource does."""
    items = struct_list(params, member)
    if items is None:
        if required:
            raise missing(member)
        return dict(current)
    result = dict(current)
    for item in items:
        name, value = item.get("TagKey"), item.get("TagValue")
        if not isinstance(name, str) or not isinstance(value, str) or not 1 <= len(name) <= 128 or len(value) > 256:
            raise AwsError("TagException", "A tag needs a TagKey of 1 to 128 characters and a TagValue of 0 to 256.")
        if name.startswith("aws:"):
            raise AwsError("TagException", "Tag keys beginning with aws: are reserved for AWS use.")
        result[name] = value
    if len(result) > 50:
        raise AwsError("LimitExceededException", "A KMS key can have at most 50 tags.")
    return result


# -- shared -------------------------------------------------------------------------------------------------------


def _key_id(key: Key) -> str:
    return key.key_id


OPERATIONS: dict[str, Operation] = {
    "CreateKey": create_key,
    "DescribeKey": describe_key,
    "ListKeys": list_keys,
    "EnableKey": enable_key,
    "DisableKey": disable_key,
    "ScheduleKeyDeletion": schedule_key_deletion,
    "CancelKeyDeletion": cancel_key_deletion,
    "UpdateKeyDescription": update_key_description,
    "GetKeyPolicy": get_key_policy,
    "PutKeyPolicy": put_key_policy,
    "ListKeyPolicies": list_key_policies,
    "EnableKeyRotation": enable_key_rotation,
    "DisableKeyRotation": disable_key_rotation,
    "GetKeyRotationStatus": get_key_rotation_status,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListResourceTags": list_resource_tags,
    **kms_aliases.OPERATIONS,
    **kms_grants.OPERATIONS,
    **kms_crypto.OPERATIONS,
}
