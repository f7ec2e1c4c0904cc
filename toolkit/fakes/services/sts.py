"""Fake AWS STS: GetCallerIdentity and AssumeRole.

The caller is the backend's (``toolkit.fakes.caller``: the execution's role session, a user), or the account's
root user when calls are not authorized (``caller_arn``). AssumeRole finds the
role among the world's IAM roles and evaluates its trust policy (``toolkit.iam.policy``) for the caller doing
``sts:AssumeRole`` (and ``sts:TagSession`` with Tags, ``sts:SetSourceIdentity`` with SourceIdentity), with the
request's condition keys: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, sts:ExternalId,
sts:RoleSessionName, sts:SourceIdentity. A role that is missing, of another account, or whose trust policy does
not allow the caller is refused alike, as AWS refuses it (AccessDenied, 403, "User: ... is not authorized to
perform: sts:AssumeRole on resource: ..."). AWS refuses AssumeRole to root credentials outright; the fake lets its
caller stand for an identity of the account whose IAM policies allow it, so only the trust policy decides.

DurationSeconds is 900 to the role's MaxSessionDuration (3600 seconds for every role of the world, as GetRole
reports it; AWS's default). The credentials are fake and deterministic: derived from the role, the session name,
the duration and the simulated clock, never random. No state changes.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from toolkit.fakes.caller import user_id
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import opt_int, opt_str, req_str, struct_list
from toolkit.iam.policy import request_context

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend, Operation
    from toolkit.fakes.iam import Role

SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")
EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}")
ROLE_ARN = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)")
MAX_SESSION_DURATION = 3600
"""Every role's MaxSessionDuration (GetRole reports it; the world file has no key for it yet)."""


def caller_arn(backend: FakeBackend) -> str:
    """Who makes the call: the backend's caller (a role session, a user), or the account's root user when calls are
    not authorized."""
    if backend.caller is not None:
        return backend.caller.arn
    return f"arn:{backend.partition}:iam::{backend.account}:root"


def get_caller_identity(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    caller = backend.caller
    if caller is not None:
        world = backend.world.root or backend.world
        home = world if caller.account == world.account else world.accounts.get(caller.account, world)
        return {"UserId": user_id(home, caller), "Account": caller.account, "Arn": caller.arn}
    return {"UserId": backend.account, "Account": backend.account, "Arn": caller_arn(backend)}


def assume_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role_arn = req_str(params, "RoleArn")
    session = req_str(params, "RoleSessionName")
    if not SESSION_NAME.fullmatch(session):
        raise _validation("roleSessionName", session, "Member must satisfy regular expression pattern: [\\w+=,.@-]*")
    duration = opt_int(params, "DurationSeconds")
    if duration is not None and not 900 <= duration <= 43200:
        rule = "greater than or equal to 900" if duration < 900 else "less than or equal to 43200"
        raise _validation("durationSeconds", duration, f"Member must have value {rule}")
    external_id = opt_str(params, "ExternalId")
    if external_id is not None and not EXTERNAL_ID.fullmatch(external_id):
        raise _validation("externalId", external_id, "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*")
    source_identity = opt_str(params, "SourceIdentity")
    if source_identity is not None and not SESSION_NAME.fullmatch(source_identity):
        raise _validation(
            "sourceIdentity", source_identity, "Member must satisfy regular expression pattern: [\\w+=,.@-]*"
        )
    session_policy = opt_str(params, "Policy")
    if session_policy is not None:
        try:
            document = json.loads(session_policy)
        except ValueError as err:
            raise AwsError("MalformedPolicyDocument", "The policy is not in the valid JSON format.") from err
        if not isinstance(document, dict):
            raise AwsError("MalformedPolicyDocument", "The policy is not in the valid JSON format.")
    tags = struct_list(params, "Tags") or []
    parts = role_arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not all(parts[index] for index in (1, 2, 5)):
        raise AwsError("ValidationError", f"{role_arn} is invalid")
    role = _trusting_role(backend, role_arn, session, external_id, source_identity, bool(tags))
    seconds = duration or 3600
    if seconds > MAX_SESSION_DURATION:
        raise AwsError(
            "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    now = backend.now()
    seed = f"{role_arn}|{session}|{seconds}|{now.isoformat()}"
    response: dict[str, Any] = {
        "Credentials": {
            "AccessKeyId": "ASIA" + _digest(seed, "key", 16),
            "SecretAccessKey": _digest(seed, "secret", 40),
            "SessionToken": "FwoGZXIvYXdzE" + _digest(seed, "token", 160),
            "Expiration": now + timedelta(seconds=seconds),
        },
        "AssumedRoleUser": {
            "AssumedRoleId": f"{role.role_id()}:{session}",
            "Arn": f"arn:{backend.partition}:sts::{backend.account}:assumed-role/{role.name}/{session}",
        },
    }
    if source_identity is not None:
        response["SourceIdentity"] = source_identity
    return response


def _trusting_role(
    backend: FakeBackend,
    role_arn: str,
    session: str,
    external_id: str | None,
    source_identity: str | None,
    tagged: bool,
) -> Role:
    """The role ``role_arn`` names, when its trust policy lets the caller assume it; else AccessDenied."""
    caller = caller_arn(backend)

    def denied(action: str) -> AwsError:
        return AwsError(
            "AccessDenied", f"User: {caller} is not authorized to perform: {action} on resource: {role_arn}", status=403
        )

    match = ROLE_ARN.fullmatch(role_arn)
    role = backend.world.roles.get(match.group(3)) if match else None
    if role is None or role.arn(backend.partition, backend.account) != role_arn or role.trust_policy is None:
        raise denied("sts:AssumeRole")
    who = backend.caller
    keys = {
        "aws:PrincipalArn": caller if who is None else who.principal_arn,
        "aws:PrincipalAccount": backend.account if who is None else who.account,
        "aws:PrincipalType": "Account" if who is None else who.kind,
        "sts:RoleSessionName": session,
    }
    if external_id is not None:
        keys["sts:ExternalId"] = external_id
    if source_identity is not None:
        keys["sts:SourceIdentity"] = source_identity
    request = request_context(keys)
    actions = ["sts:AssumeRole"]
    if tagged:
        actions.append("sts:TagSession")
    if source_identity is not None:
        actions.append("sts:SetSourceIdentity")
    for action in actions:
        if not role.trust_policy.allows(("AWS", caller), action, role_arn, request):
            raise denied(action)
    return role


def _validation(member: str, value: object, rule: str) -> AwsError:
    return AwsError(
        "ValidationError",
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}",
    )


def _digest(seed: str, purpose: str, length: int) -> str:
    """``length`` characters derived from ``seed``: upper-case base32 for key ids, base64 otherwise."""
    import hashlib  # lazy: hashlib loads OpenSSL (~5 ms); only AssumeRole's credentials need it

    raw = b""
    counter = 0
    while len(raw) * 4 // 3 < length + 4:
        raw += hashlib.sha256(f"{purpose}|{counter}|{seed}".encode()).digest()
        counter += 1
    if purpose == "key":
        return base64.b32encode(raw).decode()[:length]
    return base64.b64encode(raw).decode()[:length]


OPERATIONS: dict[str, Operation] = {"GetCallerIdentity": get_caller_identity, "AssumeRole": assume_role}
