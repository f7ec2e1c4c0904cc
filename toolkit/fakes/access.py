"""Whether AWS would let a caller (``toolkit.fakes.caller``) make a simulated AWS call (shared/spec/iam.md; issue 15).

``authorize(where, caller, service, operation, params)`` asks, for each authorization the call needs
(``toolkit.aws.authorization``: the actions, resources and request keys of AWS's Service Authorization Reference),
every policy that applies to it in the world (the caller's identity-based policies, inline and managed, its
permissions boundary, the session's policies, the SCPs along its account's path in the organization, and the
resource's own policy: bucket, key, topic or trust policy), and raises the service's own access-denied error
(``toolkit.aws.denials``) when IAM's evaluation (``toolkit.iam.evaluate``) denies.

The request context holds the global keys AWS sets for a signed call (aws:PrincipalArn, aws:PrincipalAccount,
aws:PrincipalOrgID, aws:PrincipalTag/*, aws:PrincipalType, aws:userid, aws:username for users,
aws:PrincipalIsAWSService and aws:ViaAWSService (false: steps run as the session itself, iam.md §3),
aws:SecureTransport (true), aws:RequestedRegion, aws:CurrentTime, aws:EpochTime, aws:ResourceAccount), the request's
own keys, the keys AWS sets from the resource where the simulator holds them (a KMS key's kms:ResourceAliases and
aws:ResourceTag/*), and, marked unknown, the keys AWS would set that the simulator cannot know (aws:SourceIp, other
resources' tags, service keys the reference lists but the request does not give): a condition on one of those
cannot be evaluated, and the call fails with ``CannotEvaluatePolicy`` naming it rather than being guessed.

Each decision is kept in the world (``WorldState.decisions``, shared by its copies) with the records it was made
from: the caller's role or user, its groups, its customer managed policies, the organization, the resource
(bucket, key, topic or role) and the account holding it. A call asking the same (caller, Need, region) again gets
the kept decision only while the world still holds those very records (records are never changed in place,
``toolkit.fakes.record``: PutRolePolicy, PutBucketPolicy, PutKeyPolicy... store a changed copy), and, when some
policy it consulted names aws:CurrentTime or aws:EpochTime, at the same second. Every policy is compiled through
the world's ``statements`` table (a Simulator's, shared by every world it runs in: one compiled form per document),
and AWS managed policies are read once per table (``_shared``). Whatever ``_policies``,
``_resource_policy`` and ``_context`` read from the world must be among those records (``_records``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from toolkit.aws.authorization import Need, default_reference
from toolkit.aws.denials import denial
from toolkit.fakes.caller import (
    CONFIG_REMEDIATION_POLICY,
    CONFIG_REMEDIATION_ROLE,
    DEFAULT_CALLER_NAME,
    Caller,
    default_caller_arn,
    user_id,
)
from toolkit.fakes.errors import AwsError
from toolkit.fakes.iam import User, boundary_policy, find_managed_policy, permission_policies
from toolkit.fakes.iam_policies import aws_managed_document
from toolkit.fakes.kms import Key
from toolkit.iam.evaluate import RESOURCE, TRUST, Decision, Policies, Request, decide
from toolkit.iam.policy import UNKNOWN, UNRESOLVED, CannotEvaluate, Policy
from toolkit.records import Record

if TYPE_CHECKING:
    from datetime import datetime

    from toolkit.fakes.iam import Identity, Role
    from toolkit.fakes.state import WorldState

CANNOT_EVALUATE: Final = "CannotEvaluatePolicy"
"""The error code of a call whose authorization depends on a condition the simulator cannot evaluate."""
DECISIONS_KEPT: Final = 4096
"""A world keeps at most this many decisions (then forgets them all and starts again)."""
TIME_KEYS: Final = ("aws:currenttime", "aws:epochtime")
USERID_KEYS: Final = ("aws:userid",)
NAMED_KEYS: Final = (TIME_KEYS, USERID_KEYS)
"""The keys ``_policy_names`` looks for in a policy: each group's answer is kept with the policy (``verdicts``)."""
# -- authorization ---------------------------------------------------------------------------------------------


class Where(Record):
    """Where a call is made: the world's account it lands in, the region, and the simulated clock."""

    __slots__ = ("now", "region", "world")
    _FIELDS = ("world", "region", "now")
    world: WorldState
    region: str
    now: Callable[[], datetime]

    def __init__(self, world: WorldState, region: str, now: Callable[[], datetime]) -> None:
        object.__setattr__(self, "world", world)
        object.__setattr__(self, "region", region)
        object.__setattr__(self, "now", now)


def authorize(where: Where, caller: Caller, service: str, operation: str, params: dict[str, Any]) -> None:
    """Raise the service's access-denied error (or CannotEvaluatePolicy) when ``caller`` may not make the call;
    return when AWS would let it through."""
    world = where.world
    for need in default_reference().needs(
        service, operation, params, partition=world.partition, region=where.region, account=world.account
    ):
        check(where, caller, service, need)


def authorizer(where: Where, caller: Caller) -> Callable[[str, str, dict[str, Any]], None]:
    """``authorize`` for every call ``caller`` makes from ``where`` (a backend keeps one)."""
    world = where.world
    needs = default_reference().needs
    partition, region, account = world.partition, where.region, world.account

    def authorize_call(service: str, operation: str, params: dict[str, Any]) -> None:
        for need in needs(service, operation, params, partition=partition, region=region, account=account):
            check(where, caller, service, need)

    return authorize_call


def check(where: Where, caller: Caller, service: str, need: Need) -> None:
    """Raise unless ``caller`` may do what ``need`` says."""
    world = where.world
    root = world.root or world
    home = root if caller.account == root.account else root.accounts.get(caller.account)
    if home is None:
        raise _denied(service, caller, need, "identity-based policy", explicit=False)
    if ":alias/" in need.resource and need.action.lower() not in ALIAS_ACTIONS:
        need = _key_behind_alias(world, need)
    resource = _resource_policy(world, need)
    records = _records(home, caller, resource.record)
    # The key holds the records' ids; the kept entry holds the records themselves, so no id is reused meanwhile.
    key = (caller, need, where.region, resource.account, root.caller, *map(id, records))
    decisions = root.decisions
    kept: _Kept | None = decisions.get(key)
    if kept is None or (kept.instant is not None and kept.instant != _instant(where.now())):
        kept = _decide(where, home, caller, need, resource, records)
        if len(decisions) >= DECISIONS_KEPT:
            decisions.clear()
        decisions[key] = kept
    decision = kept.decision
    if not decision.allowed:
        if service == "s3" and _outside_organization(world, caller.account, resource.account):
            # S3 explains a denial only to callers of the bucket's account or organization (iam.md §5.1)
            raise AwsError("AccessDenied", "Access Denied", status=403)
        raise _denied(service, caller, need, decision.denied_by or "identity-based policy", explicit=decision.explicit)


class _Kept(Record):
    __slots__ = ("decision", "instant", "records")
    _FIELDS = ("decision", "records", "instant")
    decision: Decision
    records: tuple[object, ...]
    """The world's records the decision was made from (kept alive: the decision's key holds their ids)."""
    instant: tuple[str, str] | None
    """aws:CurrentTime and aws:EpochTime when some policy consulted names either (None: the time did not count)."""

    def __init__(self, decision: Decision, records: tuple[object, ...], instant: tuple[str, str] | None) -> None:
        object.__setattr__(self, "decision", decision)
        object.__setattr__(self, "records", records)
        object.__setattr__(self, "instant", instant)


def _decide(
    where: Where, home: WorldState, caller: Caller, need: Need, resource: _Resource, records: tuple[object, ...]
) -> _Kept:
    policies = _policies(home, caller, resource)
    prepare = (where.world.root or where.world).statements.prepare
    for policy in (*policies.identity, *(policies.session or ()), policies.boundary, policies.resource):
        prepare(policy)
    for level in policies.scps or ():
        for policy in level:
            prepare(policy)
    now = _instant(where.now())
    context = _context(where, home, caller, need, resource, now, userid=_names(policies, USERID_KEYS))
    resource_arn = UNRESOLVED if need.unresolved else need.resource  # only "Resource": "*" surely matches it
    request = Request(("AWS", caller.arn), need.action, resource_arn, context, caller.kind, caller.account)
    try:
        decision = decide(request, policies)
    except CannotEvaluate as err:
        raise AwsError(
            CANNOT_EVALUATE,
            f"the simulator cannot decide whether {caller.arn} may perform {need.action} on {need.resource}: {err}",
            status=400,
        ) from err
    return _Kept(decision, records, now if _names(policies, TIME_KEYS) else None)


def _instant(now: datetime) -> tuple[str, str]:
    """aws:CurrentTime and aws:EpochTime at ``now``."""
    return now.strftime("%Y-%m-%dT%H:%M:%SZ"), str(int(now.timestamp()))


def _names(policies: Policies, keys: tuple[str, ...]) -> bool:
    """Whether some policy of ``policies`` names one of ``keys`` (a group of ``NAMED_KEYS``: aws:CurrentTime or
    aws:EpochTime, or aws:userid), as a condition key or a policy variable. Only such a policy reads the key: then
    its answer may change with the clock, or the request must hold the key."""
    every: list[Policy] = [
        *policies.identity,
        *(policies.session or ()),
        *(p for level in policies.scps or () for p in level),
    ]
    every += [policy for policy in (policies.boundary, policies.resource) if policy is not None]
    return any(_policy_names(policy, keys) for policy in every)


def _policy_names(policy: Policy, keys: tuple[str, ...]) -> bool:
    memo = policy.verdicts
    found = memo.get(keys)
    if found is None:
        text = json.dumps(policy.document).lower()
        for group in NAMED_KEYS:
            memo[group] = any(key in text for key in group)
        found = memo[keys]
    return found


def _records(home: WorldState, caller: Caller, resource: object) -> tuple[object, ...]:
    """Every record of the world a decision for ``caller`` reads (with the resource's): its role or user and
    groups, their customer managed policies and boundary, the default caller's role, the organization."""
    identity: Role | User | None
    if caller.kind == "AssumedRole":
        identity = home.roles.get(caller.name)
        if caller.name == DEFAULT_CALLER_NAME:
            admin = (home.root or home).roles.get(DEFAULT_CALLER_NAME)
            return (home.organization, resource, identity, admin)
    elif caller.kind == "User":
        identity = home.users.get(caller.name)
    else:
        identity = None
    if identity is None:
        return (home.organization, resource, None)
    boundary = identity.permissions_boundary
    if not identity.attached and boundary is None and not (isinstance(identity, User) and identity.groups):
        return (home.organization, resource, identity)  # the usual role: inline policies only
    found: list[object] = [home.organization, resource]
    owners: list[Identity] = [identity]
    if isinstance(identity, User) and identity.groups:
        groups = home.groups
        owners += [groups[name] for name in identity.groups if name in groups]
    found += owners
    for owner in owners:
        for arn in owner.attached:
            found.append(find_managed_policy(home, arn))
    if boundary is not None:
        found.append(find_managed_policy(home, boundary))
    # An AWS managed policy is found by name (a str, a new one each time): the ARN alone decides it.
    return tuple(None if isinstance(item, str) else item for item in found)


ALIAS_ACTIONS: Final = frozenset({"kms:createalias", "kms:deletealias", "kms:updatealias", "kms:listaliases"})
"""KMS actions authorized on the alias itself; every other action naming a key by alias is authorized on the key
the alias points to (KMS developer guide, "Using aliases to control access to KMS keys")."""


def _key_behind_alias(world: WorldState, need: Need) -> Need:
    """The need on the key an alias ARN points to (unchanged when the world has no such alias)."""
    parts = need.resource.split(":", 5)
    if len(parts) < 6 or parts[2] != "kms":
        return need
    region, account, alias = parts[3], parts[4], parts[5]
    home = _account_world(world, account)
    if home is None:
        return need
    for key in home.keys.values():
        if key.region == region and alias in key.aliases:
            return Need(need.action, key.arn(home.partition, account), need.context, need.unknown, need.unresolved)
    return need


def _denied(service: str, caller: Caller, need: Need, denied_by: str, *, explicit: bool) -> AwsError:
    code, message, status = denial(service, caller.arn, need.action, need.resource, denied_by, explicit)
    return AwsError(code, message, status=status)


def _outside_organization(world: WorldState, account: str, owner: str | None) -> bool:
    """Whether the resource's owner is another account that is not in ``account``'s organization (the world's
    accounts all belong to its organization, if it has one)."""
    if owner is None or owner == account:
        return False
    root = world.root or world
    return root.organization is None or not {account, owner} <= {root.account, *root.accounts}


def _account_world(world: WorldState, account: str) -> WorldState | None:
    root = world.root or world
    return root if account == root.account else root.accounts.get(account)


def _policies(home: WorldState, caller: Caller, resource: _Resource) -> Policies:
    identity: tuple[Policy, ...] = ()
    boundary: Policy | None = None
    if caller.kind == "AssumedRole":
        role = home.roles.get(caller.name)
        if role is not None and role.arn(home.partition, home.account) == caller.principal_arn:
            identity, boundary = permission_policies(home, role), boundary_policy(home, role)
        elif caller.name == DEFAULT_CALLER_NAME and caller.principal_arn == default_caller_arn(home):
            identity = (_aws_managed(home, "AdministratorAccess"),)
        elif caller.name == CONFIG_REMEDIATION_ROLE and caller.service_linked:
            identity = (_config_remediation_policy(home),)
    elif caller.kind == "User":
        user = home.users.get(caller.name)
        if user is not None:
            identity, boundary = permission_policies(home, user), boundary_policy(home, user)
    return Policies(
        identity=identity,
        boundary=boundary,
        session=caller.session_policies,
        scps=_scps(home, caller),
        resource=resource.policy,
        resource_account=resource.account,
        resource_type=resource.kind,
        resource_required=resource.required,
    )


def _compiled(world: WorldState, key: str, make: Callable[..., Policy], *args: Any) -> Policy:
    """A policy the world's IAM needs on every call but does not hold (an AWS managed policy's document, a default
    key policy, an SCP's parsed content), made once per world and shared by its copies (policies never change)."""
    cache = (world.root or world).compiled
    found = cache.get(key)
    if found is None:
        found = cache[key] = make(*args)
    return found


def _aws_managed(world: WorldState, name: str) -> Policy:
    return _compiled(world, f"aws-managed:{name}", _shared, world, f"aws-managed:{name}", aws_managed_document, name)


def _config_remediation_policy(world: WorldState) -> Policy:
    return _compiled(
        world, CONFIG_REMEDIATION_ROLE, _shared, world, CONFIG_REMEDIATION_ROLE, Policy, CONFIG_REMEDIATION_POLICY
    )


def _shared(world: WorldState, key: str, make: Callable[..., Policy], *args: Any) -> Policy:
    """A policy whose document depends on ``key`` alone (not on the world): read and compiled once per statements
    table (a Simulator's, for every world it runs in), a fresh Policy for each world."""
    return (world.root or world).statements.fresh(key, lambda: make(*args))


def _scps(home: WorldState, caller: Caller) -> tuple[tuple[Policy, ...], ...] | None:
    """The SCPs at each level above the caller's account (None where SCPs do not apply, iam.md §7)."""
    organization = home.organization
    if organization is None or caller.account == organization.management_account or caller.service_linked:
        return None
    if organization.feature_set != "ALL":
        return None
    world_account = (home.root or home).account
    return tuple(
        tuple(
            _compiled(home, f"scp:{scp.id}:{scp.content}", Policy.parse, scp.content)
            for scp in organization.attached(target, world_account)
        )
        for target in organization.ancestry(caller.account)
    )


class _Resource(Record):
    """The resource's own policy, the account that owns the resource, how a denial by it is named, whether it must
    itself allow, and the record the policy was read from (bucket, key, topic, role; None: none found)."""

    __slots__ = ("account", "kind", "policy", "record", "required")
    _FIELDS = ("policy", "account", "kind", "required", "record")
    policy: Policy | None
    account: str | None
    kind: Any
    required: bool
    record: object

    def __init__(
        self,
        policy: Policy | None = None,
        account: str | None = None,
        kind: Any = RESOURCE,
        required: bool = False,
        record: object = None,
    ) -> None:
        object.__setattr__(self, "policy", policy)
        object.__setattr__(self, "account", account)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "record", record)


_NO_RESOURCE: Final = _Resource()
_RESOURCE_POLICIES: Final = frozenset({"kms", "sns", "iam", "logs"})
"""The services (besides S3) whose resources have a policy of their own here."""


def _resource_policy(world: WorldState, need: Need) -> _Resource:
    arn = need.resource
    if arn == "*":
        return _NO_RESOURCE
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return _NO_RESOURCE
    service, region, account, rest = parts[2], parts[3], parts[4], parts[5]
    if service == "s3" and not account:
        bucket_name = rest.split("/", 1)[0]
        for state in _all_accounts(world):
            bucket = state.buckets.get(bucket_name)
            if bucket is not None:
                return _Resource(bucket.policy, state.account, record=bucket)
        return _NO_RESOURCE
    if service not in _RESOURCE_POLICIES:
        return _owned_by(world, account)
    home = _account_world(world, account) if account else None
    if home is None:
        return _Resource(account=account or None)
    state = home
    if service == "kms" and rest.startswith("key/"):
        key = state.keys.get(rest[4:])
        if key is None:
            return _Resource(account=account)
        policy = key.policy or _compiled(
            state, f"kms-default:{account}", key.effective_policy, state.partition, account
        )
        return _Resource(policy, account, required=True, record=key)
    if service == "sns":
        topic = state.topics.get((region, rest))
        if topic is None:
            return _Resource(account=account)
        policy = topic.policy or topic.effective_policy(state.partition, account)
        return _Resource(policy, account, record=topic)
    if service == "logs" and rest.startswith("log-group:"):
        return _logs_policy(state, region, account)
    if service == "iam" and need.action.lower() == "sts:assumerole" and rest.startswith("role/"):
        role = state.roles.get(rest.rsplit("/", 1)[-1])
        return _Resource(None if role is None else role.trust_policy, account, TRUST, True, role)
    return _Resource(account=account)


def _logs_policy(state: WorldState, region: str, account: str) -> _Resource:
    """The region's CloudWatch Logs account-level resource policies, as one policy: Logs considers every one of them
    for a log group of the region (each statement's Resource says which groups it covers)."""
    documents = tuple(
        policy.document for (where, _), policy in sorted(state.log_resource_policies.items()) if where == region
    )
    if not documents:
        return _owned_by(state, account)
    policy = _compiled(state, f"logs:{account}:{region}:" + "\n".join(documents), _merged, documents)
    return _Resource(policy, account, record=policy)


def _merged(documents: tuple[str, ...]) -> Policy:
    statements: list[Any] = []
    for text in documents:
        found = json.loads(text).get("Statement", [])
        statements.extend(found if isinstance(found, list) else [found])
    return Policy({"Version": "2012-10-17", "Statement": statements})


def _owned_by(world: WorldState, account: str) -> _Resource:
    """A resource without a policy of its own, of ``account`` (one instance per account, kept with the world's
    decisions)."""
    kept = (world.root or world).decisions
    found = kept.get(("owner", account))
    if found is None:
        found = kept[("owner", account)] = _Resource(account=account or None)
    return found


def _all_accounts(world: WorldState) -> list[WorldState]:
    root = world.root or world
    return [root, *root.accounts.values()]


def _context(
    where: Where,
    home: WorldState,
    caller: Caller,
    need: Need,
    resource: _Resource,
    now: tuple[str, str],
    *,
    userid: bool,
) -> tuple[tuple[str, Any], ...]:
    """The request's condition keys. aws:userid is there only when ``userid`` (some policy of the request names it):
    a key no policy reads changes no answer, and the id is a SHA-256 (``derived_id``: hashlib loads OpenSSL, some
    4 ms of a cold simulation that needs no id)."""
    keys: dict[str, Any] = {
        "aws:principalarn": caller.principal_arn,
        "aws:principalaccount": caller.account,
        "aws:principaltype": caller.kind,
        "aws:principalisawsservice": "false",
        "aws:viaawsservice": "false",
        "aws:securetransport": "true",
        "aws:requestedregion": "us-east-1" if need.action.startswith("iam:") else where.region,
        "aws:currenttime": now[0],
        "aws:epochtime": now[1],
        "aws:sourceip": UNKNOWN,
        "aws:resourceaccount": resource.account or caller.account,
    }
    if userid:
        keys["aws:userid"] = user_id(home, caller)
    if caller.kind == "User":
        keys["aws:username"] = caller.name
    organization = home.organization
    if organization is not None:
        keys["aws:principalorgid"] = organization.id
    for name, value in _principal_tags(home, caller).items():
        keys[f"aws:principaltag/{name.lower()}"] = value
    for name in need.unknown:
        keys.setdefault(name, UNKNOWN)
    prefix = need.action.split(":", 1)[0].lower()
    known = _resource_keys(resource, need)
    if known is None:
        # the resource's tags are not looked up: a condition on one cannot be decided (never taken as absent)
        keys["aws:resourcetag/*"] = UNKNOWN
    else:
        keys.update(known)
    keys[f"{prefix}:resourcetag/*"] = UNKNOWN
    if prefix == "s3":
        keys["s3:existingobjecttag/*"] = UNKNOWN
    keys.update(need.context)
    return tuple(keys.items())


def _resource_keys(resource: _Resource, need: Need) -> dict[str, Any] | None:
    """The condition keys AWS sets from the resource itself, where the simulator holds them (None: it does not, and
    a condition on the resource's tags cannot be decided). A KMS key's: ``kms:ResourceAliases``, the aliases that
    point to it (a multivalued key of alias names, ``alias/x``; empty for a key without aliases), and
    ``aws:ResourceTag/<key>`` for each of its tags (a tag it lacks is absent). A key the world does not hold (KMS
    will answer NotFoundException) has neither aliases nor tags. Read from the key's record, which is among the
    records a decision is kept with (``_records``): an alias or tag change makes a new record, and a new decision.
    KMS developer guide, "kms:ResourceAliases" and "aws:ResourceTag" (condition keys for AWS KMS)."""
    record = resource.record
    if isinstance(record, Key):
        keys: dict[str, Any] = {"kms:resourcealiases": tuple(record.aliases)}
        for name, value in record.tags.items():
            keys[f"aws:resourcetag/{name.lower()}"] = value
        return keys
    if record is None and ":kms:" in need.resource and need.resource.rsplit(":", 1)[-1].startswith("key/"):
        return {"kms:resourcealiases": ()}
    return None


def _principal_tags(home: WorldState, caller: Caller) -> dict[str, str]:
    if caller.kind == "AssumedRole":
        role = home.roles.get(caller.name)
        return dict(role.tags) if role is not None else {}
    if caller.kind == "User":
        user = home.users.get(caller.name)
        return dict(user.tags) if user is not None else {}
    return {}
