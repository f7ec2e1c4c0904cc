"""AWS's decision for one request, from every policy that applies to it (shared/spec/iam.md §1).

``decide(request, policies)`` follows the order of IAM's evaluation logic page
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):

0. the account's root user is allowed unless a service control policy says otherwise;
1. an explicit Deny in any applicable policy (SCPs, resource-based, identity-based, permissions boundary, session
   policy) denies;
2. (resource control policies are not modelled: the world file has none);
3. service control policies, along the account's path from the root: every level must allow;
4. the resource-based policy: naming the principal directly (its ARN, its role's ARN, its session's ARN, ``*``)
   grants without an identity-based policy in the same account; naming only the account delegates to the
   identity-based policies. KMS key policies and role trust policies must themselves allow (a key policy naming the
   account lets identity-based policies grant);
5. identity-based policies must allow, unless the resource-based policy granted;
6. a permissions boundary must allow (it does not cap a resource-based grant naming a user, iam.md §1.2);
7. a session policy, when the session has one, must allow.

Across accounts both sides must allow: the principal's account (identity-based policies, boundary, session policies
and SCPs) and the resource's account (its resource-based policy naming the principal or its account; iam.md §1.3).

The answer names the policy type that denied, as AWS's messages do (one type, even when several denied). A
condition the evaluator cannot decide raises ``CannotEvaluate`` (never an allow, never a skipped Deny).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

from toolkit.iam.policy import Context, Policy, Principal
from toolkit.records import Record

IDENTITY: Final = "identity-based policy"
RESOURCE: Final = "resource-based policy"
BOUNDARY: Final = "permissions boundary"
SESSION: Final = "session policy"
SCP: Final = "service control policy"
TRUST: Final = "role trust policy"

PolicyType = Literal[
    "identity-based policy",
    "resource-based policy",
    "permissions boundary",
    "session policy",
    "service control policy",
    "role trust policy",
]


class Request(Record):
    """One authorization request: who (``principal``: ("AWS", session or user ARN)), what, on which resource, with
    which condition keys (names lower case; ``aws:principalarn`` among them for an AWS principal)."""

    __slots__ = ("account", "action", "context", "kind", "principal", "resource")
    _FIELDS = ("principal", "action", "resource", "context", "kind", "account")
    principal: Principal
    action: str
    resource: str
    context: Context
    kind: str
    """aws:PrincipalType: AssumedRole, User, Account (the root user) or FederatedUser."""
    account: str
    """The principal's account."""

    def __init__(
        self,
        principal: Principal,
        action: str,
        resource: str,
        context: Context = (),
        kind: str = "AssumedRole",
        account: str = "",
    ) -> None:
        object.__setattr__(self, "principal", principal)
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "resource", resource)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "account", account)


class Policies(Record):
    """Every policy that applies to one request, as the caller found them in the world."""

    __slots__ = (
        "boundary",
        "identity",
        "resource",
        "resource_account",
        "resource_required",
        "resource_type",
        "scps",
        "session",
    )
    _FIELDS = (
        "identity",
        "boundary",
        "session",
        "scps",
        "resource",
        "resource_account",
        "resource_type",
        "resource_required",
    )
    identity: Sequence[Policy]
    boundary: Policy | None
    session: Sequence[Policy] | None
    """The session's policies (None: a session without session policies, which caps nothing)."""
    scps: Sequence[Sequence[Policy]] | None
    """The SCPs attached at each level from the organization's root down to the account (None: SCPs do not apply:
    no organization, the management account, or a service-linked role)."""
    resource: Policy | None
    resource_account: str | None
    """The account that owns the resource (None: the principal's own)."""
    resource_type: PolicyType
    """How a denial by the resource's policy is named: a key policy is a resource-based policy; a trust policy is
    the role trust policy."""
    resource_required: bool
    """KMS key policies and role trust policies: the resource's policy must allow (alone, or by naming the account
    so that identity-based policies can)."""

    def __init__(
        self,
        identity: Sequence[Policy] = (),
        boundary: Policy | None = None,
        session: Sequence[Policy] | None = None,
        scps: Sequence[Sequence[Policy]] | None = None,
        resource: Policy | None = None,
        resource_account: str | None = None,
        resource_type: PolicyType = RESOURCE,
        resource_required: bool = False,
    ) -> None:
        object.__setattr__(self, "identity", identity)
        object.__setattr__(self, "boundary", boundary)
        object.__setattr__(self, "session", session)
        object.__setattr__(self, "scps", scps)
        object.__setattr__(self, "resource", resource)
        object.__setattr__(self, "resource_account", resource_account)
        object.__setattr__(self, "resource_type", resource_type)
        object.__setattr__(self, "resource_required", resource_required)


class Decision(Record):
    __slots__ = ("allowed", "denied_by", "explicit", "notes")
    _FIELDS = ("allowed", "explicit", "denied_by", "notes")
    allowed: bool
    explicit: bool
    """Denied by a matching Deny statement (else no policy of ``denied_by``'s type allowed)."""
    denied_by: PolicyType | None
    notes: tuple[str, ...]

    def __init__(
        self, allowed: bool, explicit: bool = False, denied_by: PolicyType | None = None, notes: tuple[str, ...] = ()
    ) -> None:
        object.__setattr__(self, "allowed", allowed)
        object.__setattr__(self, "explicit", explicit)
        object.__setattr__(self, "denied_by", denied_by)
        object.__setattr__(self, "notes", notes)


ALLOWED: Final = Decision(True)


def decide(request: Request, policies: Policies) -> Decision:
    """Whether AWS allows ``request`` under ``policies`` (see the module's doc for the order)."""
    principal, action, resource, context = request.principal, request.action, request.resource, request.context

    def verdict(policy: Policy) -> str | None:
        return policy.verdict(principal, action, resource, context)

    # 1. explicit denies, named in the order AWS checks the policy types
    scp_verdicts = [[verdict(policy) for policy in level] for level in policies.scps] if policies.scps else []
    if any("Deny" in level for level in scp_verdicts):
        return Decision(False, True, SCP)
    resource_verdict = verdict(policies.resource) if policies.resource is not None else None
    if resource_verdict == "Deny":
        return Decision(False, True, policies.resource_type)
    identity = [verdict(policy) for policy in policies.identity]
    if "Deny" in identity:
        return Decision(False, True, IDENTITY)
    boundary = verdict(policies.boundary) if policies.boundary is not None else None
    if boundary == "Deny":
        return Decision(False, True, BOUNDARY)
    session = [verdict(policy) for policy in policies.session] if policies.session is not None else None
    if session is not None and "Deny" in session:
        return Decision(False, True, SESSION)
    # 3. every level of the organization's tree must allow
    if any(not any(answer in ("Allow", "AllowAccount") for answer in level) for level in scp_verdicts):
        return Decision(False, False, SCP)
    if request.kind == "Account":
        return ALLOWED  # the root user: only SCPs limit it
    identity_allows = any(answer in ("Allow", "AllowAccount") for answer in identity)
    direct = resource_verdict == "Allow"
    other_account = policies.resource_account is not None and policies.resource_account != request.account
    # 4. policies that must themselves allow (key policies, trust policies), and the resource's account's side
    if policies.resource_required or other_account:
        if resource_verdict is None:
            return Decision(False, False, policies.resource_type)
        if resource_verdict == "AllowAccount" and not identity_allows:
            return Decision(False, False, IDENTITY)
    if other_account and not identity_allows:
        return Decision(False, False, IDENTITY)  # the principal's own account must allow too (iam.md §1.3)
    # 5. identity-based policies, unless the resource-based policy granted the principal directly
    if not identity_allows and not direct:
        return Decision(False, False, IDENTITY)
    granted_by_identity = identity_allows and not direct
    # 6. a boundary caps identity-based grants and resource grants naming a role (not those naming a user)
    capped = granted_by_identity or request.kind != "User"
    if policies.boundary is not None and boundary not in ("Allow", "AllowAccount") and capped:
        return Decision(False, False, BOUNDARY)
    # 7. session policies cap a role session's permissions
    if session is not None and not any(answer in ("Allow", "AllowAccount") for answer in session):
        return Decision(False, False, SESSION)
    return ALLOWED
