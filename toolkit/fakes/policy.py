"""Resource policies (bucket, key and topic policies, role trust policies) evaluated as AWS evaluates them for one
request: a principal doing an action on a resource, with the request's condition keys.

An explicit Deny wins; otherwise some Allow must match. A statement matches when its Principal/NotPrincipal,
Action/NotAction, Resource/NotResource and every Condition match. Supported condition operators: String(Not)Equals,
String(Not)EqualsIgnoreCase, String(Not)Like, Arn(Not)Equals, Arn(Not)Like, Bool and Null, each with ``IfExists``
and the ForAnyValue/ForAllValues qualifiers (the request's keys are single-valued). A key the request lacks
fails a positive operator and satisfies a negated one, as in IAM. Any other operator (Numeric, Date, IpAddress,
...) makes its statement not apply: such an Allow grants nothing and such a Deny denies nothing. A malformed
statement is ignored.

A ``Policy`` is immutable: it wraps the document, compiles its statements on first use and remembers each
answer, so checking the same request again costs one dict lookup. Fakes share a Policy between world copies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.fakes.requests import copy_json

Matcher = Callable[[str], bool]
"""A compiled test of one string: an action, a resource or a condition value."""

Principal = tuple[str, str]
"""Who makes the request: ("Service", "cloudtrail.amazonaws.com") or ("AWS", "arn:aws:iam::123456789012:root")."""

Context = tuple[tuple[str, str], ...]
"""The request's condition keys (lower case) and their values, e.g. (("aws:sourceaccount", "123456789012"),)."""


def request_context(keys: Mapping[str, str]) -> Context:
    """A request context from condition keys as AWS spells them (``aws:SourceArn``); names compare case-blind."""
    return tuple((name.lower(), value) for name, value in keys.items())


class Policy:
    """One policy document (never changed after construction), with memoised evaluation."""

    __slots__ = ("_memo", "_statements", "_text", "document", "verdicts")

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._statements: tuple[_Statement, ...] | None = None
        self._memo: dict[tuple[Principal, str, str, Context], str | None] = {}
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
            return cls(copy_json(value))
        raise ValueError("a policy is a JSON object")

    def text(self) -> str:
        """The policy as JSON text (as GetBucketPolicy and GetKeyPolicy return it)."""
        if self._text is None:
            self._text = json.dumps(self.document, separators=(",", ":"))
        return self._text

    def to_json(self) -> dict[str, Any]:
        """A copy of the document, safe to hand out."""
        result: dict[str, Any] = copy_json(self.document)
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
        """ "Deny" when a Deny statement matches, else "Allow" when an Allow statement does, else None."""
        memo_key = (principal, action, resource, request)
        if memo_key in self._memo:
            return self._memo[memo_key]
        if self._statements is None:
            self._statements = _compile(self.document)
        answer = None
        keys = dict(request)
        for statement in self._statements:
            if statement.matches(principal, action, resource, keys):
                answer = "Allow" if statement.allow else "Deny"
                if answer == "Deny":
                    break
        self._memo[memo_key] = answer
        return answer


def allowed_by_any(policies: tuple[Policy, ...], principal: Principal, action: str, resource: str) -> bool:
    """Identity-policy evaluation over several policies: some Allow and no Deny."""
    decisions = {policy.decide(principal, action, resource) for policy in policies}
    return "Allow" in decisions and "Deny" not in decisions


# -- compiled statements ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Condition:
    operator: str
    key: str
    values: tuple[str, ...]
    if_exists: bool
    for_all: bool
    tests: tuple[Matcher, ...] | None
    """One matcher per value, compiled with the statement (None: an operator this evaluator does not know)."""
    negated: bool

    def holds(self, request: dict[str, str]) -> bool:
        value = request.get(self.key)
        if self.operator == "Null":
            return any((value is None) == (wanted.lower() == "true") for wanted in self.values)
        if self.tests is None:
            return False
        if value is None:
            return self.if_exists or self.negated or self.for_all
        found = any(test(value) for test in self.tests)
        return not found if self.negated else found


@dataclass(frozen=True, slots=True)
class _Statement:
    allow: bool
    principals: tuple[Principal, ...] | None  # None: no Principal element (matches anyone)
    not_principal: bool
    actions: tuple[Matcher, ...]
    not_action: bool
    resources: tuple[Matcher, ...] | None  # None: no Resource element (matches any resource)
    not_resource: bool
    conditions: tuple[_Condition, ...]

    def matches(self, principal: Principal, action: str, resource: str, request: dict[str, str]) -> bool:
        if self.principals is not None:
            found = any(_principal_matches(pattern, principal) for pattern in self.principals)
            if found == self.not_principal:
                return False
        found = any(matches(action) for matches in self.actions)
        if found == self.not_action:
            return False
        if self.resources is not None:
            found = any(matches(resource) for matches in self.resources)
            if found == self.not_resource:
                return False
        return all(condition.holds(request) for condition in self.conditions)


def _compile(document: Mapping[str, Any]) -> tuple[_Statement, ...]:
    raw = document.get("Statement")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    statements = []
    for item in items:
        statement = _statement(item) if isinstance(item, dict) else None
        if statement is not None:
            statements.append(statement)
    return tuple(statements)


def _statement(item: dict[str, Any]) -> _Statement | None:
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
    conditions = _conditions(item.get("Condition"))
    if conditions is None:
        return None
    return _Statement(
        allow=effect == "Allow",
        principals=principals,
        not_principal=not_principal,
        actions=tuple(_wildcard(pattern, True) for pattern in actions),
        not_action=not_action,
        resources=None if resources is None else tuple(_wildcard(pattern, False) for pattern in resources),
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


def _principal_matches(pattern: Principal, principal: Principal) -> bool:
    kind, name = pattern
    if name == "*" and kind in ("*", "AWS"):
        return True
    if kind != principal[0]:
        return False
    if kind == "AWS":
        # An account id or its root ARN stands for every principal of that account.
        parts = principal[1].split(":")
        if len(parts) < 6:
            return name == principal[1]
        return name in (principal[1], parts[4], f"arn:{parts[1]}:iam::{parts[4]}:root")
    return name == principal[1]


def _conditions(value: object) -> tuple[_Condition, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, dict):
        return None
    found = []
    for operator, tests in value.items():
        if not isinstance(tests, dict):
            return None
        name = str(operator)
        for_all = name.startswith("ForAllValues:")
        name = name.split(":", 1)[1] if name.startswith(("ForAllValues:", "ForAnyValue:")) else name
        if_exists = name.endswith("IfExists")
        name = name.removesuffix("IfExists")
        for key, wanted in tests.items():
            listed = wanted if isinstance(wanted, list) else [wanted]
            values = tuple(_text(item) for item in listed)
            negated, compile_test = _OPERATORS.get(name, (False, None))
            tests = None if compile_test is None else tuple(compile_test(item) for item in values)
            found.append(_Condition(name, str(key).lower(), values, if_exists, for_all, tests, negated))
    return tuple(found)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- matching ---------------------------------------------------------------------------------------------


def _wildcard(pattern: str, ignore_case: bool) -> Matcher:
    """A matcher for an IAM pattern: ``*`` any run of characters, ``?`` any one (compiled with its statement)."""
    if pattern == "*":
        return _always
    if "*" not in pattern and "?" not in pattern:
        if ignore_case:
            folded = pattern.lower()
            return lambda text: text.lower() == folded
        return pattern.__eq__
    body = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    compiled = re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))
    return lambda text: compiled.fullmatch(text) is not None


def _always(text: str) -> bool:
    return True


def _like(pattern: str) -> Matcher:
    return _wildcard(pattern, False)


def _arn_like(pattern: str) -> Matcher:
    """ArnLike/ArnEquals: the six colon-separated parts are compared one by one, each with wildcards."""
    patterns = pattern.split(":", 5)
    if len(patterns) != 6:
        return lambda value: False
    parts_match = tuple(_wildcard(part, False) for part in patterns)

    def matches(value: str) -> bool:
        parts = value.split(":", 5)
        return len(parts) == 6 and all(test(part) for test, part in zip(parts_match, parts, strict=True))

    return matches


def _equals(pattern: str) -> Matcher:
    return pattern.__eq__


def _equals_ignore_case(pattern: str) -> Matcher:
    folded = pattern.lower()
    return lambda value: value.lower() == folded


_OPERATORS: dict[str, tuple[bool, Callable[[str], Matcher]]] = {
    "StringEquals": (False, _equals),
    "StringNotEquals": (True, _equals),
    "StringEqualsIgnoreCase": (False, _equals_ignore_case),
    "StringNotEqualsIgnoreCase": (True, _equals_ignore_case),
    "StringLike": (False, _like),
    "StringNotLike": (True, _like),
    "ArnEquals": (False, _arn_like),
    "ArnLike": (False, _arn_like),
    "ArnNotEquals": (True, _arn_like),
    "ArnNotLike": (True, _arn_like),
    "Bool": (False, _equals_ignore_case),
}
