"""Every condition operator family, as a table: each row is one condition and one request, and whether the
condition holds. Each row is checked twice: in a Deny (it must deny exactly when the condition holds) and in an Allow
(it must allow exactly when it holds, so a mismatch never allows). Every family has its missing-key rows."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from toolkit.iam.context import Value
from toolkit.iam.policy import UNKNOWN, CannotEvaluate, Policy, request_context

WHO = ("AWS", "arn:aws:iam::123456789012:role/R")
ACTION = "s3:GetObject"
RESOURCE = "arn:aws:s3:::bucket/key"
ROLE = "arn:aws:iam::123456789012:role/x"
HELLO = base64.b64encode(b"hello").decode()

Row = tuple[str, str, str, Any, dict[str, Value] | None, bool]
"""(id, operator, key, policy value, the key's request value (None: absent) or a whole request, holds)."""


def rows(family: str, cases: list[tuple[str, str, Any, Any, bool]]) -> list[Row]:
    return [
        (f"{family}: {name}", operator, "k:key", wanted, value, holds) for name, operator, wanted, value, holds in cases
    ]


ABSENT = None

STRING = rows(
    "String",
    [
        ("equals", "StringEquals", "abc", "abc", True),
        ("equals is case-sensitive", "StringEquals", "abc", "ABC", False),
        ("equals, missing key", "StringEquals", "abc", ABSENT, False),
        ("several values OR", "StringEquals", ["x", "abc"], "abc", True),
        ("not equals", "StringNotEquals", "abc", "abd", True),
        ("not equals, same", "StringNotEquals", "abc", "abc", False),
        ("not equals, several values NOR", "StringNotEquals", ["a", "b"], "b", False),
        ("not equals, none of several", "StringNotEquals", ["a", "b"], "c", True),
        ("not equals, missing key", "StringNotEquals", "abc", ABSENT, True),
        ("ignore case", "StringEqualsIgnoreCase", "AbC", "aBc", True),
        ("ignore case, other", "StringEqualsIgnoreCase", "AbC", "abd", False),
        ("ignore case, missing key", "StringEqualsIgnoreCase", "AbC", ABSENT, False),
        ("not equals ignore case, same", "StringNotEqualsIgnoreCase", "AbC", "abc", False),
        ("not equals ignore case, other", "StringNotEqualsIgnoreCase", "AbC", "abd", True),
        ("not equals ignore case, missing key", "StringNotEqualsIgnoreCase", "AbC", ABSENT, True),
        ("like", "StringLike", "a*c?", "abbcd", True),
        ("like, ? is one character", "StringLike", "a*c?", "abbc", False),
        ("like spans colons", "StringLike", "arn:*:role/x", ROLE, True),
        ("like, missing key", "StringLike", "a*", ABSENT, False),
        ("not like", "StringNotLike", "a*", "b", True),
        ("not like, matching", "StringNotLike", "a*", "abc", False),
        ("not like, missing key", "StringNotLike", "a*", ABSENT, True),
        ("JSON boolean value", "StringEquals", True, "true", True),
        ("JSON number value", "StringEquals", 12, "12", True),
    ],
)

NUMERIC = rows(
    "Numeric",
    [
        ("equals, decimal and integer", "NumericEquals", "10", "10.0", True),
        ("equals, other", "NumericEquals", "10", "11", False),
        ("equals, JSON number", "NumericEquals", 10, "10", True),
        ("equals, missing key", "NumericEquals", "10", ABSENT, False),
        ("equals, request not a number", "NumericEquals", "10", "ten", False),
        ("not equals", "NumericNotEquals", "10", "11", True),
        ("not equals, same", "NumericNotEquals", "10", "10", False),
        ("not equals, missing key", "NumericNotEquals", "10", ABSENT, True),
        ("not equals, request not a number", "NumericNotEquals", "10", "ten", True),
        ("less than", "NumericLessThan", "10", "9.5", True),
        ("less than, equal", "NumericLessThan", "10", "10", False),
        ("less than, missing key", "NumericLessThan", "10", ABSENT, False),
        ("less than equals", "NumericLessThanEquals", "10", "10", True),
        ("less than equals, above", "NumericLessThanEquals", "10", "10.01", False),
        ("greater than, negative decimal", "NumericGreaterThan", "-1.5", "0", True),
        ("greater than, below", "NumericGreaterThan", "-1.5", "-2", False),
        ("greater than equals", "NumericGreaterThanEquals", "2", "2", True),
        ("greater than equals, below", "NumericGreaterThanEquals", "2", "1", False),
        ("greater than equals, missing key", "NumericGreaterThanEquals", "2", ABSENT, False),
    ],
)

DATE = rows(
    "Date",
    [
        ("equals, epoch seconds", "DateEquals", "2020-01-01T00:00:00Z", "1577836800", True),
        ("equals, other zone, same instant", "DateEquals", "2020-01-01T01:00:00+01:00", "2020-01-01T00:00:00Z", True),
        ("equals, other instant", "DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:01Z", False),
        ("equals, missing key", "DateEquals", "2020-01-01T00:00:00Z", ABSENT, False),
        ("not equals", "DateNotEquals", "2020-01-01", "2020-01-02", True),
        ("not equals, same", "DateNotEquals", "2020-01-01", "2020-01-01T00:00:00Z", False),
        ("not equals, missing key", "DateNotEquals", "2020-01-01", ABSENT, True),
        ("less than, a date", "DateLessThan", "2020-01-01", "2019-12-31T23:59:59Z", True),
        ("less than, same instant", "DateLessThan", "2020-01-01", "2020-01-01T00:00:00Z", False),
        ("less than, missing key", "DateLessThan", "2020-01-01", ABSENT, False),
        ("less than, request not a date", "DateLessThan", "2020-01-01", "yesterday", False),
        ("less than equals", "DateLessThanEquals", "2020-01-01T00:00:00Z", "1577836800", True),
        ("less than equals, after", "DateLessThanEquals", "2020-01-01T00:00:00Z", "1577836801", False),
        ("greater than, no zone is UTC", "DateGreaterThan", "2020-01-01T00:00:00", "2020-01-01T00:00:01Z", True),
        ("greater than, fraction", "DateGreaterThan", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00.5Z", True),
        ("greater than, before", "DateGreaterThan", "2020-01-01T00:00:00Z", "2019-06-01T00:00:00Z", False),
        (
            "greater than equals, minutes only",
            "DateGreaterThanEquals",
            "2020-01-01T10:30Z",
            "2020-01-01T10:30:00Z",
            True,
        ),
        ("greater than equals, missing key", "DateGreaterThanEquals", "2020-01-01", ABSENT, False),
    ],
)

BOOL = rows(
    "Bool",
    [
        ("true", "Bool", "true", "true", True),
        ("true, false request", "Bool", "true", "false", False),
        ("JSON true, case-blind request", "Bool", True, "TRUE", True),
        ("false", "Bool", "false", "false", True),
        ("request not a boolean", "Bool", "true", "yes", False),
        ("missing key", "Bool", "true", ABSENT, False),
    ],
)

BINARY = rows(
    "Binary",
    [
        ("bytes", "BinaryEquals", HELLO, b"hello", True),
        ("base64 text", "BinaryEquals", HELLO, HELLO, True),
        ("other bytes", "BinaryEquals", HELLO, b"bye", False),
        ("request not base64", "BinaryEquals", HELLO, "hello!", False),
        ("missing key", "BinaryEquals", HELLO, ABSENT, False),
    ],
)

IP = rows(
    "IP",
    [
        ("in CIDR", "IpAddress", "203.0.113.0/24", "203.0.113.7", True),
        ("outside CIDR", "IpAddress", "203.0.113.0/24", "198.51.100.1", False),
        ("bare address is /32", "IpAddress", "203.0.113.7", "203.0.113.7", True),
        ("bare address, other", "IpAddress", "203.0.113.7", "203.0.113.8", False),
        ("IPv6", "IpAddress", "2001:db8::/32", "2001:db8::1", True),
        ("IPv6 bare is /128", "IpAddress", "2001:db8::1", "2001:db8::2", False),
        ("IPv4 request, IPv6 block", "IpAddress", "2001:db8::/32", "203.0.113.7", False),
        ("several blocks OR", "IpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "203.0.113.7", True),
        ("request not an address", "IpAddress", "203.0.113.0/24", "here", False),
        ("missing key", "IpAddress", "203.0.113.0/24", ABSENT, False),
        ("not, outside", "NotIpAddress", "10.0.0.0/8", "11.0.0.1", True),
        ("not, inside", "NotIpAddress", "10.0.0.0/8", "10.1.1.1", False),
        ("not, missing key", "NotIpAddress", "10.0.0.0/8", ABSENT, True),
    ],
)

ARN = rows(
    "ARN",
    [
        ("like", "ArnLike", "arn:aws:iam::*:role/*", ROLE, True),
        ("like, wildcard stays in its segment", "ArnLike", "arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x", False),
        (
            "like, resource segment may hold colons",
            "ArnLike",
            "arn:aws:logs:*:*:log-group:*",
            "arn:aws:logs:r:1:log-group:g:*",
            True,
        ),
        ("like, other account", "ArnLike", "arn:aws:iam::111122223333:role/*", ROLE, False),
        ("like, missing key", "ArnLike", "arn:aws:iam::*:role/*", ABSENT, False),
        ("like, request not an ARN", "ArnLike", "arn:aws:iam::*:role/*", "role/x", False),
        ("equals", "ArnEquals", ROLE, ROLE, True),
        ("equals is case-sensitive", "ArnEquals", ROLE, ROLE.upper(), False),
        ("not equals", "ArnNotEquals", ROLE, ROLE + "y", True),
        ("not equals, same", "ArnNotEquals", ROLE, ROLE, False),
        ("not equals, missing key", "ArnNotEquals", ROLE, ABSENT, True),
        ("not like", "ArnNotLike", "arn:aws:iam::*:role/a*", ROLE, True),
        ("not like, matching", "ArnNotLike", "arn:aws:iam::*:role/*", ROLE, False),
        ("not like, missing key", "ArnNotLike", "arn:aws:iam::*:role/*", ABSENT, True),
    ],
)

NULL = rows(
    "Null",
    [
        ("true, absent", "Null", "true", ABSENT, True),
        ("true, present", "Null", "true", "x", False),
        ("false, present", "Null", "false", "x", True),
        ("false, absent", "Null", "false", ABSENT, False),
        ("JSON true, absent", "Null", True, ABSENT, True),
        ("true, an empty set is present", "Null", "true", (), False),
        ("false, UNKNOWN is present", "Null", "false", UNKNOWN, True),
    ],
)

IF_EXISTS = rows(
    "IfExists",
    [
        ("string, missing key", "StringEqualsIfExists", "abc", ABSENT, True),
        ("string, present, other", "StringEqualsIfExists", "abc", "abd", False),
        ("string, present, same", "StringEqualsIfExists", "abc", "abc", True),
        ("negated, missing key", "StringNotEqualsIfExists", "abc", ABSENT, True),
        ("numeric, missing key", "NumericLessThanIfExists", "10", ABSENT, True),
        ("numeric, present", "NumericLessThanIfExists", "10", "11", False),
        ("date, present", "DateLessThanIfExists", "2020-01-01", "2019-01-01", True),
        ("bool, missing key", "BoolIfExists", "true", ABSENT, True),
        ("ip, missing key", "NotIpAddressIfExists", "10.0.0.0/8", ABSENT, True),
        ("arn, present, other", "ArnLikeIfExists", "arn:aws:iam::*:role/a*", ROLE, False),
        ("binary, missing key", "BinaryEqualsIfExists", HELLO, ABSENT, True),
    ],
)

SETS = rows(
    "ForAllValues/ForAnyValue",
    [
        ("all, subset", "ForAllValues:StringEquals", ["a", "b"], ("a",), True),
        ("all, one outside", "ForAllValues:StringEquals", ["a", "b"], ("a", "c"), False),
        ("all, missing key", "ForAllValues:StringEquals", ["a", "b"], ABSENT, True),
        ("all, empty set", "ForAllValues:StringEquals", ["a", "b"], (), True),
        ("all, negated", "ForAllValues:StringNotEquals", ["a"], ("b", "c"), True),
        ("all, negated, one equal", "ForAllValues:StringNotEquals", ["a"], ("a", "b"), False),
        ("all, like", "ForAllValues:StringLike", "Created*", ("CreatedBy", "CreatedAt"), True),
        ("any, one inside", "ForAnyValue:StringEquals", ["a", "b"], ("c", "b"), True),
        ("any, none inside", "ForAnyValue:StringEquals", ["a", "b"], ("c",), False),
        ("any, missing key", "ForAnyValue:StringEquals", ["a", "b"], ABSENT, False),
        ("any, empty set", "ForAnyValue:StringEquals", ["a", "b"], (), False),
        ("any, negated", "ForAnyValue:StringNotLike", "a*", ("ab", "c"), True),
        ("any, single-valued key", "ForAnyValue:StringEquals", "a", "a", True),
        ("any, numeric", "ForAnyValue:NumericGreaterThan", "5", ("1", "7"), True),
        ("all, IfExists, missing key", "ForAllValues:StringEqualsIfExists", "a", ABSENT, True),
        ("any, IfExists, missing key", "ForAnyValue:StringEqualsIfExists", "a", ABSENT, True),
    ],
)

VARIABLES: list[Row] = [
    (
        "variables: username",
        "StringEquals",
        "k:key",
        "${aws:username}",
        {"k:key": "alice", "aws:username": "alice"},
        True,
    ),
    (
        "variables: other user",
        "StringEquals",
        "k:key",
        "${aws:username}",
        {"k:key": "alice", "aws:username": "bob"},
        False,
    ),
    ("variables: unresolvable matches nothing", "StringEquals", "k:key", "${aws:username}", {"k:key": "alice"}, False),
    (
        "variables: unresolvable, negated, does not hold",
        "StringNotEquals",
        "k:key",
        "${aws:PrincipalTag/team}",
        {"k:key": "x"},
        False,
    ),
    ("variables: default", "StringEquals", "k:key", "${aws:username, 'nobody'}", {"k:key": "nobody"}, True),
    (
        "variables: tag",
        "StringEquals",
        "k:key",
        "${aws:PrincipalTag/team}",
        {"k:key": "red", "aws:PrincipalTag/team": "red"},
        True,
    ),
    (
        "variables: key name case-blind",
        "StringEquals",
        "k:key",
        "${AWS:UserName}",
        {"k:key": "al", "aws:username": "al"},
        True,
    ),
    (
        "variables: inside like",
        "StringLike",
        "k:key",
        "home/${aws:username}/*",
        {"k:key": "home/al/x", "aws:username": "al"},
        True,
    ),
    (
        "variables: value is literal",
        "StringLike",
        "k:key",
        "${aws:username}",
        {"k:key": "abc", "aws:username": "a*"},
        False,
    ),
    ("variables: escape ${*} is literal", "StringLike", "k:key", "a${*}", {"k:key": "a*"}, True),
    ("variables: escape ${*} no wildcard", "StringLike", "k:key", "a${*}", {"k:key": "ab"}, False),
    ("variables: escapes ${?} ${$}", "StringEquals", "k:key", "${?}${$}", {"k:key": "?$"}, True),
    (
        "variables: in ARN",
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:iam::${aws:PrincipalAccount}:role/*",
        {"aws:SourceArn": ROLE, "aws:PrincipalAccount": "123456789012"},
        True,
    ),
    (
        "variables: in ARN, other account",
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:iam::${aws:PrincipalAccount}:role/*",
        {"aws:SourceArn": ROLE, "aws:PrincipalAccount": "111122223333"},
        False,
    ),
    ("variables: missing key", "StringEquals", "k:key", "${aws:username}", {"aws:username": "al"}, False),
    (
        "variables: multivalued key is no variable",
        "StringEquals",
        "k:key",
        "${aws:TagKeys}",
        {"k:key": "a", "aws:TagKeys": ("a",)},
        False,
    ),
]

CASES: list[Row] = [*STRING, *NUMERIC, *DATE, *BOOL, *BINARY, *IP, *ARN, *NULL, *IF_EXISTS, *SETS, *VARIABLES]


def policy(effect: str, operator: str, key: str, wanted: Any, version: str = "2012-10-17") -> Policy:
    return Policy(
        {
            "Version": version,
            "Statement": [
                {
                    "Effect": effect,
                    "Principal": "*",
                    "Action": ACTION,
                    "Resource": "*",
                    "Condition": {operator: {key: wanted}},
                }
            ],
        }
    )


def context(key: str, value: Any) -> tuple[tuple[str, Value], ...]:
    if isinstance(value, dict):
        return request_context(value)
    return () if value is None else request_context({key: value})


@pytest.mark.parametrize(
    ("operator", "key", "wanted", "value", "holds"), [row[1:] for row in CASES], ids=[row[0] for row in CASES]
)
def test_a_deny_denies_exactly_when_its_condition_holds(
    operator: str, key: str, wanted: Any, value: Any, holds: bool
) -> None:
    request = context(key, value)
    assert policy("Deny", operator, key, wanted).decide(WHO, ACTION, RESOURCE, request) == ("Deny" if holds else None)


@pytest.mark.parametrize(
    ("operator", "key", "wanted", "value", "holds"), [row[1:] for row in CASES], ids=[row[0] for row in CASES]
)
def test_an_allow_allows_exactly_when_its_condition_holds(
    operator: str, key: str, wanted: Any, value: Any, holds: bool
) -> None:
    request = context(key, value)
    assert policy("Allow", operator, key, wanted).allows(WHO, ACTION, RESOURCE, request) is holds


def test_condition_key_names_are_case_blind() -> None:
    request = request_context({"AWS:SourceAccount": "1"})
    assert policy("Allow", "StringEquals", "aws:sourceACCOUNT", "1").allows(WHO, ACTION, RESOURCE, request)


def test_several_keys_and_operators_are_anded() -> None:
    document = {
        "Statement": {
            "Effect": "Allow",
            "Action": ACTION,
            "Resource": "*",
            "Condition": {"StringEquals": {"a:x": "1", "a:y": "2"}, "NumericLessThan": {"a:n": "5"}},
        }
    }
    good = request_context({"a:x": "1", "a:y": "2", "a:n": "4"})
    assert Policy(document).allows(WHO, ACTION, RESOURCE, good)
    for key, value in (("a:x", "0"), ("a:y", "0"), ("a:n", "6")):
        assert not Policy(document).allows(WHO, ACTION, RESOURCE, request_context({**dict(good), key: value}))


def test_variables_are_literal_before_version_2012_10_17() -> None:
    request = request_context({"k:key": "${aws:username}", "aws:username": "al"})
    assert policy("Allow", "StringEquals", "k:key", "${aws:username}", version="2008-10-17").allows(
        WHO, ACTION, RESOURCE, request
    )
    assert not policy("Allow", "StringEquals", "k:key", "${aws:username}").allows(WHO, ACTION, RESOURCE, request)


# -- never fail open, never fail silently -------------------------------------------------------------------

UNDECIDABLE: list[tuple[str, str, Any, Any, str]] = [
    ("unknown operator", "NumericLessThanEqualz", "10", "5", "unknown operator"),
    ("unknown qualifier", "ForSomeValues:StringEquals", "a", ("a",), "unknown qualifier ForSomeValues"),
    ("NullIfExists is no operator", "NullIfExists", "true", ABSENT, "unknown operator"),
    ("malformed date", "DateLessThan", "abc", "2020-01-01", "malformed value"),
    ("malformed number", "NumericEquals", "ten", "10", "malformed value"),
    ("malformed CIDR", "IpAddress", "10.0.0.0/33", "10.0.0.1", "malformed value"),
    ("malformed base64", "BinaryEquals", "not base64!", b"x", "malformed value"),
    ("malformed Bool", "Bool", "yes", "true", "malformed value"),
    ("malformed Null", "Null", "maybe", ABSENT, "malformed value"),
    ("malformed ARN", "ArnLike", "arn:aws:s3", "arn:aws:s3:::b", "malformed value"),
    ("nested value", "StringEquals", [{"a": 1}], "a", "malformed value"),
    ("UNKNOWN request value", "IpAddress", "10.0.0.0/8", UNKNOWN, "UNKNOWN"),
    ("UNKNOWN, negated", "NotIpAddress", "10.0.0.0/8", UNKNOWN, "UNKNOWN"),
    ("UNKNOWN, IfExists", "NotIpAddressIfExists", "10.0.0.0/8", UNKNOWN, "UNKNOWN"),
    ("UNKNOWN, in a set", "ForAnyValue:StringEquals", "a", UNKNOWN, "UNKNOWN"),
    ("multivalued key without qualifier", "StringEquals", "a", ("a", "b"), "ForAllValues or ForAnyValue"),
    ("variable needs an UNKNOWN key", "StringEquals", "${aws:username}", "al", "UNKNOWN"),
]


@pytest.mark.parametrize(
    ("operator", "wanted", "value", "reason"), [case[1:] for case in UNDECIDABLE], ids=[c[0] for c in UNDECIDABLE]
)
@pytest.mark.parametrize("effect", ["Allow", "Deny"])
def test_an_undecidable_condition_raises_never_allows_never_skips_a_deny(
    effect: str, operator: str, wanted: Any, value: Any, reason: str
) -> None:
    keys: dict[str, Value] = {} if value is None else {"k:key": value}
    if "${aws:username}" in str(wanted):
        keys["aws:username"] = UNKNOWN
    request = request_context(keys)
    denied = policy(effect, operator, "k:key", wanted)
    with pytest.raises(CannotEvaluate, match=f"cannot evaluate condition {operator} on k:key: .*{reason}"):
        denied.decide(WHO, ACTION, RESOURCE, request)
    with pytest.raises(CannotEvaluate):
        denied.allows(WHO, ACTION, RESOURCE, request)
    with pytest.raises(CannotEvaluate):
        denied.verdict(WHO, ACTION, RESOURCE, request)


def statement(effect: str, condition: dict[str, Any], action: str = ACTION, **fields: Any) -> dict[str, Any]:
    return {"Effect": effect, "Principal": "*", "Action": action, "Resource": "*", "Condition": condition, **fields}


BAD = {"NumericLessThanEqualz": {"s3:max-keys": "10"}}


def test_a_statement_that_cannot_match_anyway_does_not_raise() -> None:
    request = request_context({"a:x": "1"})
    other_condition_false = statement("Deny", {**BAD, "StringEquals": {"a:x": "2"}})
    other_action = statement("Deny", BAD, action="s3:PutObject")
    other_principal = {**statement("Deny", BAD), "Principal": {"AWS": "111122223333"}}
    other_resource = {**statement("Deny", BAD), "Resource": "arn:aws:s3:::other/*"}
    for item in (other_condition_false, other_action, other_principal, other_resource):
        assert Policy({"Statement": [item]}).decide(WHO, ACTION, RESOURCE, request) is None


def test_an_undecidable_statement_that_cannot_change_the_answer_does_not_raise() -> None:
    plain_allow = {"Effect": "Allow", "Principal": "*", "Action": ACTION, "Resource": "*"}
    plain_deny = {**plain_allow, "Effect": "Deny"}
    assert Policy({"Statement": [statement("Allow", BAD), plain_allow]}).decide(WHO, ACTION, RESOURCE) == "Allow"
    assert Policy({"Statement": [statement("Allow", BAD), plain_deny]}).decide(WHO, ACTION, RESOURCE) == "Deny"
    assert Policy({"Statement": [statement("Deny", BAD), plain_deny]}).decide(WHO, ACTION, RESOURCE) == "Deny"
    with pytest.raises(CannotEvaluate):
        Policy({"Statement": [statement("Deny", BAD), plain_allow]}).decide(WHO, ACTION, RESOURCE)


def test_a_false_condition_beside_an_undecidable_one_in_the_same_operator() -> None:
    """Several values of one key: a definite match settles an OR even when another value cannot be decided."""
    document = {
        "Version": "2012-10-17",
        "Statement": [statement("Allow", {"StringEquals": {"k:key": ["${aws:username}", "a"]}})],
    }
    request = request_context({"k:key": "a", "aws:username": UNKNOWN})
    assert Policy(document).allows(WHO, ACTION, RESOURCE, request)


def test_a_resource_variable_resolves_from_the_request() -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": ACTION, "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"},
    }
    mine = "arn:aws:s3:::bucket/home/al/notes"
    assert Policy(document).allows(WHO, ACTION, mine, request_context({"aws:username": "al"}))
    assert not Policy(document).allows(WHO, ACTION, mine, request_context({"aws:username": "bo"}))
    assert not Policy(document).allows(WHO, ACTION, mine)
    with pytest.raises(CannotEvaluate, match="aws:username"):
        Policy(document).allows(WHO, ACTION, mine, request_context({"aws:username": UNKNOWN}))
    not_resource = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Deny", "Action": ACTION, "NotResource": "arn:aws:s3:::b/${aws:username}"},
    }
    assert (
        Policy(not_resource).decide(WHO, ACTION, "arn:aws:s3:::b/al", request_context({"aws:username": "al"})) is None
    )
    assert (
        Policy(not_resource).decide(WHO, ACTION, "arn:aws:s3:::b/al", request_context({"aws:username": "bo"})) == "Deny"
    )


def test_the_memo_keeps_requests_apart() -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": ACTION, "Resource": "arn:aws:s3:::b/${aws:username}"},
    }
    policy = Policy(document)
    for _ in range(2):
        assert policy.allows(WHO, ACTION, "arn:aws:s3:::b/al", request_context({"aws:username": "al"}))
        assert not policy.allows(WHO, ACTION, "arn:aws:s3:::b/al", request_context({"aws:username": "bo"}))
