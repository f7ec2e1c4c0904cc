"""Policy documents as IAM checks them when they arrive: ``MalformedPolicyDocument`` with IAM's messages, and the
size quotas.

Three kinds, as IAM distinguishes them: an identity policy (inline or managed) must name actions and resources and no
principal; a role's trust policy must name a principal, only STS actions and no resource; a managed policy's
version must also be "2012-10-17" (inline and trust policies may still say "2008-10-17" or leave the version out).
The messages are IAM's own, as CloudFormation and the CLI report them ("Has prohibited field Resource", "Missing
required field Principal", ...). Not checked: condition operators and values, resource ARN formats, whether a
principal exists, and IAM's "legacy parsing" quirks (a Version after the Statement).
"""

from __future__ import annotations

import json
import re
from typing import Any

from toolkit.fakes.services.iam.common import limit_exceeded, malformed, required, validation_error
from toolkit.iam.policy import Policy

TOP_KEYS = frozenset({"Version", "Id", "Statement"})
STATEMENT_KEYS = frozenset(
    {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"}
)
VERSIONS = ("2008-10-17", "2012-10-17")
DOCUMENT_TEXT = re.compile(r"[\t\n\r\x20-\xff]+")
VENDOR = re.compile(r"[A-Za-z0-9.-]+")
TRUST_ACTIONS = frozenset(
    action.lower()
    for action in (
        "sts:AssumeRole",
        "sts:AssumeRoleWithSAML",
        "sts:AssumeRoleWithWebIdentity",
        "sts:TagSession",
        "sts:SetSourceIdentity",
        "sts:SetContext",
    )
)
"""The actions a trust policy may allow (and wildcards over them)."""

IDENTITY, TRUST, MANAGED = "identity", "trust", "managed"

SYNTAX = "Syntax errors in policy."


def document(params: dict[str, Any], member: str, kind: str) -> Policy:
    """The policy document in ``member`` (JSON text, as the API takes it), checked as IAM checks a ``kind`` policy."""
    text = required(params, member, longest=131072)
    if not DOCUMENT_TEXT.fullmatch(text):
        raise validation_error(
            member, text, r"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+"
        )
    try:
        data = json.loads(text)
    except ValueError as err:
        raise malformed("This policy contains invalid Json") from err
    check(data, kind)
    return Policy.parse(text)


def size(policy: Policy) -> int:
    """A policy's size as IAM's quotas count it: its characters, white space outside strings not counted."""
    return len(json.dumps(policy.document, separators=(",", ":"), ensure_ascii=False))


def check(data: object, kind: str) -> None:
    """Raise ``MalformedPolicyDocument`` as IAM would for ``data`` as a ``kind`` policy."""
    statements = _syntax(data)
    assert isinstance(data, dict)
    version = data.get("Version")
    if kind == MANAGED and version != "2012-10-17":
        raise malformed("Policy document must be version 2012-10-17 or greater.")
    sids = [statement["Sid"] for statement in statements if statement.get("Sid")]
    if len(set(sids)) != len(sids):
        raise malformed("Statement IDs (SID) in a single policy must be unique.")
    for statement in statements:
        if not _present(statement, "Action", "NotAction"):
            raise malformed("Policy statement must contain actions.")
        for action in _strings(statement, "Action", "NotAction"):
            _check_action(action)
        if kind == TRUST:
            _check_trust(statement)
        else:
            if "Principal" in statement or "NotPrincipal" in statement:
                raise malformed("Policy document should not specify a principal.")
            if not _present(statement, "Resource", "NotResource"):
                raise malformed("Policy statement must contain resources.")


def _syntax(data: object) -> list[dict[str, Any]]:
    """The statements of a document that parses as a policy; "Syntax errors in policy." otherwise."""
    if not isinstance(data, dict) or not set(data) <= TOP_KEYS:
        raise malformed(SYNTAX)
    if "Version" in data and data["Version"] not in VERSIONS:
        raise malformed(SYNTAX)
    if "Id" in data and not isinstance(data["Id"], str):
        raise malformed(SYNTAX)
    raw = data.get("Statement")
    statements = [raw] if isinstance(raw, dict) else raw
    if not isinstance(statements, list) or not statements:
        raise malformed(SYNTAX)
    for statement in statements:
        if not isinstance(statement, dict) or not set(statement) <= STATEMENT_KEYS:
            raise malformed(SYNTAX)
        if ("Action" in statement and "NotAction" in statement) or (
            "Resource" in statement and "NotResource" in statement
        ):
            raise malformed(SYNTAX)
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise malformed(SYNTAX)
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            value = statement.get(key)
            if value is not None and not (
                isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))
            ):
                raise malformed(SYNTAX)
        if "Sid" in statement and not isinstance(statement["Sid"], str):
            raise malformed(SYNTAX)
        condition = statement.get("Condition")
        if condition is not None and not (
            isinstance(condition, dict) and all(isinstance(value, dict) for value in condition.values())
        ):
            raise malformed(SYNTAX)
    return statements


def _present(statement: dict[str, Any], *keys: str) -> bool:
    return any(key in statement and statement[key] not in ([], "") for key in keys)


def _strings(statement: dict[str, Any], *keys: str) -> list[str]:
    found: list[str] = []
    for key in keys:
        value = statement.get(key)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found += value
    return found


def _check_action(action: str) -> None:
    if action == "*":
        return
    parts = action.split(":")
    if len(parts) == 1:
        raise malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
    if len(parts) > 2:
        raise malformed("Actions/Condition can contain only one colon.")
    if parts[0] != "*" and not VENDOR.fullmatch(parts[0]):
        raise malformed(f"Vendor {parts[0]} is not valid")


def _check_trust(statement: dict[str, Any]) -> None:
    if "Principal" not in statement and "NotPrincipal" not in statement:
        raise malformed("Missing required field Principal")
    if "Resource" in statement or "NotResource" in statement:
        raise malformed("Has prohibited field Resource")
    for action in _strings(statement, "Action", "NotAction"):
        if not _trust_action(action):
            raise malformed(
                "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and "
                "sts:AssumeRoleWithWebIdentity"
            )


def _trust_action(action: str) -> bool:
    folded = action.lower()
    if "*" not in folded:
        return folded in TRUST_ACTIONS
    pattern = re.compile(re.escape(folded).replace(r"\*", ".*"))
    return any(pattern.fullmatch(allowed) for allowed in TRUST_ACTIONS)


def limit(policy: Policy, quota: int, message: str) -> None:
    """``LimitExceeded`` with ``message`` when the policy is larger than ``quota`` characters."""
    if size(policy) > quota:
        raise limit_exceeded(message)
