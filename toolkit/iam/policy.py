"""One policy document evaluated as AWS evaluates it for one request: a principal doing an action on a resource,
with the request's condition keys (resource policies: bucket, key and topic policies, role trust policies; and
identity policies, SCPs).

An explicit Deny wins; otherwise some Allow must match. A statement matches when its Principal/NotPrincipal,
Action/NotAction, Resource/NotResource and every Condition match (``toolkit.iam.conditions``: every operator AWS
documents). Policy variables (``toolkit.iam.variables``) work in Resource/NotResource and in String and Arn
condition values of policies whose Version is 2012-10-17.

Never fail open, never fail silently: when a statement whose Principal, Action and Resource match the request has a
condition that cannot be decided (an unknown operator or qualifier, a value the operator cannot read, a request key
whose value is ``UNKNOWN``), and the policy's answer depends on it, ``decide``, ``allows`` and ``verdict`` raise
``CannotEvaluate`` naming the operator and key. Definite answers come first: a statement another condition of which
is false does not raise, nor does one that cannot change the answer (a definite Deny elsewhere in the policy masks an
undecidable Allow; a definite Allow masks an undecidable Allow). A malformed statement (an Effect other than
Allow/Deny, a Principal, Action or Resource that is not a string or list of strings, a Condition block that is not
an object of objects) is ignored, as before: it grants and denies nothing. AWS refuses such a document when it is
put; the fakes check documents where they are put, not here.

Principals [IAMUG/reference_policies_elements_principal.html; shared/spec/iam.md 1.2]: an AWS principal pattern
matches the principal's ARN, the request's ``aws:PrincipalArn`` (for a role session the role's ARN, while the
principal is the session ``arn:aws:sts::A:assumed-role/R/S``), the principal's account (``"A"`` or
``arn:aws:iam::A:root``) or ``"*"``. ``verdict`` tells a grant naming the principal ("Allow") from one naming only
its account ("AllowAccount"), which same-account evaluation treats differently.

A ``Policy`` is immutable: it wraps the document, compiles its statements on first use and remembers each
answer, so checking the same request again costs one dict lookup. Fakes share a Policy between world copies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

from toolkit.iam.conditions import Condition, compile_condition
from toolkit.iam.context import UNKNOWN, Context, Keys, Undecided, Unknown, Value, keys_of, request_context
from toolkit.iam.variables import VERSION, Template, glob_regex, template, wildcard_regex
from toolkit.records import Record

__all__ = [
    "UNKNOWN",
    "UNRESOLVED",
    "CannotEvaluate",
    "Context",
    "Policy",
    "Principal",
    "Unknown",
    "Value",
    "Verdict",
    "allowed_by_any",
    "request_context",
]

Matcher = Callable[[str], bool]
"""A compiled test of one string: an action, a resource or a condition value."""

ResourceMatcher = Callable[[str, Keys], bool]
"""A compiled Resource pattern: the request's keys resolve its policy variables. May raise ``Undecided``."""

Principal = tuple[str, str]
"""Who makes the request: ("Service", "cloudtrail.amazonaws.com") or ("AWS", "arn:aws:iam::123456789012:root")."""

Verdict = Literal["Deny", "Allow", "AllowAccount"] | None
"""``Policy.verdict``'s answer: an explicit Deny; an Allow naming the principal itself (its ARN, its role's ARN,
``*`` or a service); an Allow naming only its account; or no matching statement."""

Sid = str | int
"""A statement's Sid, or its index in the document when it has none."""

_NONE, _ACCOUNT, _DIRECT, _DENY = 0, 1, 2, 3
"""A matching statement's strength: nothing, an Allow through the account, an Allow naming the principal, a Deny."""

UNRESOLVED: Final = "<the resource the request does not name>"
"""A request's resource when it cannot be known (a Config rule's id, a ciphertext's key...): only ``"Resource":
"*"`` matches it for certain; any other Resource or NotResource makes the statement undecided (``CannotEvaluate``
when the answer depends on it)."""

_VERDICTS: Final[tuple[Verdict, ...]] = (None, "AllowAccount", "Allow", "Deny")
_DECISIONS: Final[tuple[str | None, ...]] = (None, "Allow", "Allow", "Deny")


class CannotEvaluate(Exception):
    """The policy's answer for a request depends on a condition this evaluator cannot decide; the message names the
    operator and key, e.g. "cannot evaluate condition NumericLessThanEqualz on s3:max-keys: unknown operator"."""


class _Answer(Record):
    """One request's evaluation: the strongest statement that certainly matches, the strongest that might."""

    __slots__ = ("certain", "possible", "problem", "sid")
    _FIELDS = ("certain", "possible", "sid", "problem")
    certain: int
    possible: int
    sid: Sid | None
    """The statement behind ``certain`` (the first Deny, else the first of the strongest Allows)."""
    problem: str | None
    """Why ``possible`` is undecided (the first such statement's reason)."""

    def __init__(self, certain: int, possible: int, sid: Sid | None, problem: str | None) -> None:
        object.__setattr__(self, "certain", certain)
        object.__setattr__(self, "possible", possible)
        object.__setattr__(self, "sid", sid)
        object.__setattr__(self, "problem", problem)

    def resolve(self, table: tuple[Any, ...]) -> Any:
        answer = table[self.certain]
        if self.problem is not None and table[max(self.certain, self.possible)] != answer:
            raise CannotEvaluate(self.problem)
        return answer


class Policy:
    """One policy document (never changed after construction), with memoised evaluation."""

    __slots__ = ("_memo", "_statements", "_text", "document", "verdicts")

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._statements: tuple[_Statement, ...] | None = None
        self._memo: dict[tuple[Principal, str, str, Context], _Answer] = {}
        self._text: str | None = None
        self.verdicts: dict[tuple[str, ...], bool] = {}
        """A memo for checks derived from this policy alone (e.g. "can CloudTrail deliver for this trail")."""

    @classmethod
    def parse(cls, value: object) -> Policy:
        """A policy from a document (copied) or from its JSON text, as PutBucketPolicy receives it."""
        if isinstance(value, str):
            document = json.loads(value)
            if not isinstance(document, dict):
                raise ValueError("a policy is a JSON object")
            policy = cls(document)
            policy._text = value
            return policy
        if isinstance(value, dict):
            return cls(_copy_json(value))
        raise ValueError("a policy is a JSON object")

    def text(self) -> str:
        """The policy as JSON text (as GetBucketPolicy and GetKeyPolicy return it)."""
        if self._text is None:
            self._text = json.dumps(self.document, separators=(",", ":"))
        return self._text

    def to_json(self) -> dict[str, Any]:
        """A copy of the document, safe to hand out."""
        result: dict[str, Any] = _copy_json(self.document)
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Policy) and self.document == other.document

    def __hash__(self) -> int:
        return hash(self.text())

    def __repr__(self) -> str:
        return f"Policy({self.text()})"

    def allows(self, principal: Principal, action: str, resource: str, request: Context = ()) -> bool:
        """Whether this policy allows the request (an explicit Deny wins; no matching Allow denies)."""
        return self.decide(principal, action, resource, request) == "Allow"

    def decide(self, principal: Principal, action: str, resource: str, request: Context = ()) -> str | None:
        """ "Deny" when a Deny statement matches, else "Allow" when an Allow statement does, else None.

        Raises ``CannotEvaluate`` when the answer depends on a condition that cannot be decided."""
        answer: str | None = self._answer(principal, action, resource, request).resolve(_DECISIONS)
        return answer

    def verdict(self, principal: Principal, action: str, resource: str, request: Context = ()) -> Verdict:
        """ "Deny" when a Deny matches; "Allow" when a matching Allow names the principal itself (its ARN, the
        request's ``aws:PrincipalArn``, ``*``, a service, or no Principal element at all); "AllowAccount" when
        matching Allows name it only through its account; None otherwise. Raises ``CannotEvaluate`` like
        ``decide``."""
        verdict: Verdict = self._answer(principal, action, resource, request).resolve(_VERDICTS)
        return verdict

    def deciding_sid(self, principal: Principal, action: str, resource: str, request: Context = ()) -> Sid | None:
        """The statement behind ``verdict``: its Sid, or its index in the document when it has none; None when no
        statement matches. Raises ``CannotEvaluate`` like ``verdict``."""
        answer = self._answer(principal, action, resource, request)
        answer.resolve(_VERDICTS)
        return answer.sid

    def _answer(self, principal: Principal, action: str, resource: str, request: Context) -> _Answer:
        memo_key = (principal, action, resource, request)
        found = self._memo.get(memo_key)
        if found is not None:
            return found
        if self._statements is None:
            self._statements = _compile(self.document)
        keys = keys_of(request)
        certain = possible = _NONE
        sid: Sid | None = None
        problem: str | None = None
        for statement in self._statements:
            try:
                level = statement.level(principal, action, resource, keys)
            except Undecided as err:
                possible = max(possible, statement.strength(principal, keys))
                problem = problem or str(err)
                continue
            if level > certain:
                certain, sid = level, statement.sid
                if level == _DENY:
                    break
        answer = _Answer(certain, possible, sid, problem)
        self._memo[memo_key] = answer
        return answer


class StatementTable:
    """Compiled statements shared by every policy of the same document (a policy's compiled form depends only on its
    document), so policies read anew for each world compile once per owner: a Simulator keeps one for all the worlds
    it runs in; a world without one keeps its own (``WorldState.statements``). Keyed by ``repr`` of the document (of
    JSON data: equal text only for equal documents, lists and tuples, ints and floats told apart); at most ``limit``
    documents (then it forgets them all and starts again)."""

    __slots__ = ("_kept", "_table", "limit")

    def __init__(self, limit: int = 1024) -> None:
        self._table: dict[str, tuple[_Statement, ...]] = {}
        self._kept: dict[str, Policy] = {}
        self.limit = limit

    def fresh(self, key: str, make: Callable[[], Policy]) -> Policy:
        """A new Policy (its own memo) of the document ``make()`` gives for ``key``, which must name that document
        alone (e.g. an AWS managed policy's name): ``make`` runs once per table, its document and compiled statements
        are shared by every Policy this returns."""
        kept = self._kept.get(key)
        if kept is None:
            kept = make()
            self.prepare(kept)
            if len(self._kept) >= self.limit:
                self._kept.clear()
            self._kept[key] = kept
        policy = Policy(kept.document)
        policy._statements = kept._statements
        return policy

    def prepare(self, policy: Policy | None) -> None:
        """Give ``policy`` its compiled statements from the table (compiling them once), unless it has them."""
        if policy is None or policy._statements is not None:
            return
        key = repr(policy.document)
        found = self._table.get(key)
        if found is None:
            found = _compile(policy.document)
            if len(self._table) >= self.limit:
                self._table.clear()
            self._table[key] = found
        policy._statements = found

    def __len__(self) -> int:
        """How many compiled documents the table holds."""
        return len(self._table)


def allowed_by_any(policies: tuple[Policy, ...], principal: Principal, action: str, resource: str) -> bool:
    """Identity-policy evaluation over several policies: some Allow and no Deny."""
    decisions = {policy.decide(principal, action, resource) for policy in policies}
    return "Allow" in decisions and "Deny" not in decisions


# -- compiled statements ----------------------------------------------------------------------------------


class _Statement(Record):
    __slots__ = (
        "actions",
        "allow",
        "conditions",
        "not_action",
        "not_principal",
        "not_resource",
        "principals",
        "resources",
        "sid",
    )
    _FIELDS = (
        "sid",
        "allow",
        "principals",
        "not_principal",
        "actions",
        "not_action",
        "resources",
        "not_resource",
        "conditions",
    )
    sid: Sid
    allow: bool
    principals: tuple[Principal, ...] | None  # None: no Principal element (matches anyone)
    not_principal: bool
    actions: tuple[Matcher, ...]
    not_action: bool
    resources: tuple[ResourceMatcher, ...] | None  # None: no Resource element (matches any resource)
    not_resource: bool
    conditions: tuple[Condition, ...]

    def __init__(
        self,
        sid: Sid,
        allow: bool,
        principals: tuple[Principal, ...] | None,
        not_principal: bool,
        actions: tuple[Matcher, ...],
        not_action: bool,
        resources: tuple[ResourceMatcher, ...] | None,
        not_resource: bool,
        conditions: tuple[Condition, ...],
    ) -> None:
        object.__setattr__(self, "sid", sid)
        object.__setattr__(self, "allow", allow)
        object.__setattr__(self, "principals", principals)
        object.__setattr__(self, "not_principal", not_principal)
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "not_action", not_action)
        object.__setattr__(self, "resources", resources)
        object.__setattr__(self, "not_resource", not_resource)
        object.__setattr__(self, "conditions", conditions)

    def strength(self, principal: Principal, keys: Keys) -> int:
        """What this statement would be worth if it matched: a Deny, or an Allow naming the principal or only its
        account."""
        if not self.allow:
            return _DENY
        if self.principals is None or self.not_principal:
            return _DIRECT
        arn = keys.get("aws:principalarn")
        return max(_principal_level(pattern, principal, arn) for pattern in self.principals)

    def level(self, principal: Principal, action: str, resource: str, keys: Keys) -> int:
        """This statement's strength for the request, or ``_NONE`` when it does not match; raises ``Undecided`` when
        that depends on something that cannot be decided (and nothing definite rules the statement out)."""
        strength = _DIRECT
        if self.principals is not None:
            arn = keys.get("aws:principalarn")
            strength = max(_principal_level(pattern, principal, arn) for pattern in self.principals)
            if (strength > _NONE) == self.not_principal:
                return _NONE
            if self.not_principal:
                strength = _DIRECT
        found = False
        for matches in self.actions:
            if matches(action):
                found = True
                break
        if found == self.not_action:
            return _NONE
        pending: Undecided | None = None
        if self.resources is not None:
            try:
                found = _any_resource(self.resources, resource, keys)
            except Undecided as err:
                pending = err
            else:
                if found == self.not_resource:
                    return _NONE
        for condition in self.conditions:
            try:
                if not condition.holds(keys):
                    return _NONE
            except Undecided as err:
                pending = pending or err
        if pending is not None:
            raise pending
        return strength if self.allow else _DENY


def _every_resource(text: str, keys: Keys) -> bool:
    return True


def _any_resource(resources: tuple[ResourceMatcher, ...], resource: str, keys: Keys) -> bool:
    if resource == UNRESOLVED:
        if any(matches is _every_resource for matches in resources):
            return True
        raise Undecided("the request does not name the resource it is authorized on")
    pending: Undecided | None = None
    for matches in resources:
        try:
            if matches(resource, keys):
                return True
        except Undecided as err:
            pending = pending or err
    if pending is not None:
        raise pending
    return False


def _compile(document: Mapping[str, Any]) -> tuple[_Statement, ...]:
    raw = document.get("Statement")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    variables = document.get("Version") == VERSION
    statements = []
    for index, item in enumerate(items):
        statement = _statement(item, index, variables) if isinstance(item, dict) else None
        if statement is not None:
            statements.append(statement)
    return tuple(statements)


def _statement(item: dict[str, Any], index: int, variables: bool) -> _Statement | None:
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        return None
    not_principal = "NotPrincipal" in item
    principals = _principals(item["NotPrincipal"] if not_principal else item.get("Principal"))
    if principals is None and ("Principal" in item or not_principal):
        return None
    not_action = "NotAction" in item
    actions = _strings(item.get("NotAction") if not_action else item.get("Action"))
    if actions is None:
        return None
    not_resource = "NotResource" in item
    resources = _strings(item.get("NotResource") if not_resource else item.get("Resource"))
    if resources is None and ("Resource" in item or not_resource):
        return None
    conditions = _conditions(item.get("Condition"), variables)
    if conditions is None:
        return None
    sid = item.get("Sid")
    return _Statement(
        sid=sid if isinstance(sid, str) else index,
        allow=effect == "Allow",
        principals=principals,
        not_principal=not_principal,
        actions=tuple(_wildcard(pattern, True) for pattern in actions),
        not_action=not_action,
        resources=None if resources is None else tuple(_resource(pattern, variables) for pattern in resources),
        not_resource=not_resource,
        conditions=conditions,
    )


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _principals(value: object) -> tuple[Principal, ...] | None:
    if value == "*":
        return (("*", "*"),)
    if not isinstance(value, dict):
        return None
    found: list[Principal] = []
    for kind, names in value.items():
        listed = _strings(names)
        if listed is None:
            return None
        found.extend((str(kind), name) for name in listed)
    return tuple(found)


def _principal_level(pattern: Principal, principal: Principal, principal_arn: Value | None) -> int:
    """How ``pattern`` names ``principal``: directly, through its account, or not at all."""
    kind, name = pattern
    if name == "*" and kind in ("*", "AWS"):
        return _DIRECT
    if kind != principal[0]:
        return _NONE
    if kind != "AWS":
        return _DIRECT if name == principal[1] else _NONE
    if name == principal[1] or (name == principal_arn and isinstance(principal_arn, str)):
        return _DIRECT
    # An account id or its root ARN stands for every principal of that account.
    parts = principal[1].split(":")
    if len(parts) >= 6 and name in (parts[4], f"arn:{parts[1]}:iam::{parts[4]}:root"):
        return _ACCOUNT
    return _NONE


def _conditions(value: object, variables: bool) -> tuple[Condition, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, dict):
        return None
    found = []
    for operator, tests in value.items():
        if not isinstance(tests, dict):
            return None
        for key, wanted in tests.items():
            found.append(compile_condition(str(operator), str(key), wanted, variables))
    return tuple(found)


# -- matching ---------------------------------------------------------------------------------------------


def _resource(pattern: str, variables: bool) -> ResourceMatcher:
    if pattern == "*":
        return _every_resource
    shape = template(pattern) if variables else None
    if shape is None:
        static = _wildcard(pattern, False)
        return lambda text, keys: static(text)
    return _templated_resource(shape)


def _templated_resource(shape: Template) -> ResourceMatcher:
    def matches(text: str, keys: Keys) -> bool:
        pieces = shape.resolve(keys)
        if pieces is None:
            return False
        return re.fullmatch(wildcard_regex(pieces), text, re.DOTALL) is not None

    return matches


def _wildcard(pattern: str, ignore_case: bool) -> Matcher:
    """A matcher for an IAM pattern: ``*`` any run of characters, ``?`` any one (compiled with its statement)."""
    if pattern == "*":
        return _always
    if "*" not in pattern and "?" not in pattern:
        if ignore_case:
            folded = pattern.lower()
            return lambda text: text.lower() == folded
        return pattern.__eq__
    body = glob_regex(pattern)
    compiled = re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))
    return lambda text: compiled.fullmatch(text) is not None


def _always(text: str) -> bool:
    return True


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, tuples as lists, scalars)."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_copy_json(item) for item in value]
    return value
