"""A property of every negated operator: when the key is present, the negated operator holds exactly when the
positive one does not (String, Numeric, Date, IP, Arn), for random policy values and request values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from toolkit.iam.policy import Policy, request_context

WHO = ("AWS", "arn:aws:iam::123456789012:role/R")
PAIRS = {
    "string": [
        ("StringEquals", "StringNotEquals"),
        ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"),
        ("StringLike", "StringNotLike"),
    ],
    "numeric": [
        ("NumericEquals", "NumericNotEquals"),
        ("NumericLessThan", "NumericGreaterThanEquals"),
        ("NumericGreaterThan", "NumericLessThanEquals"),
    ],
    "date": [
        ("DateEquals", "DateNotEquals"),
        ("DateLessThan", "DateGreaterThanEquals"),
        ("DateGreaterThan", "DateLessThanEquals"),
    ],
    "ip": [("IpAddress", "NotIpAddress")],
    "arn": [("ArnLike", "ArnNotLike"), ("ArnEquals", "ArnNotEquals")],
}

strings = st.text(alphabet="aAbB*?:", max_size=6)
numbers = st.one_of(st.integers(-20, 20).map(str), st.decimals(-20, 20, places=2, allow_nan=False).map(str))
dates = st.one_of(
    st.integers(1_500_000_000, 1_600_000_000).map(str),
    st.datetimes(min_value=datetime(1900, 1, 1)).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.datetimes(min_value=datetime(1900, 1, 1)).map(lambda moment: moment.strftime("%Y-%m-%d")),
)
addresses = st.ip_addresses().map(str)
networks = st.one_of(addresses, st.ip_addresses(v=4).map(lambda a: f"{a}/{a.packed[0] % 33}"))
arns = st.builds(
    lambda a, b, c: f"arn:aws:{a}::{b}:{c}", st.text("ab*", max_size=2), st.text("12*?", max_size=3), strings
)

FAMILIES: dict[str, tuple[Any, Any]] = {
    "string": (strings, strings),
    "numeric": (numbers, numbers),
    "date": (dates, dates),
    "ip": (networks, addresses),
    "arn": (arns, arns),
}


def holds(operator: str, wanted: list[str], value: str) -> bool:
    document = {
        "Statement": {"Effect": "Allow", "Action": "s3:x", "Resource": "*", "Condition": {operator: {"k:key": wanted}}}
    }
    return Policy(document).allows(WHO, "s3:x", "r", request_context({"k:key": value}))


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, list[str], str]:
    family = draw(st.sampled_from(sorted(FAMILIES)))
    positive, negated = draw(st.sampled_from(PAIRS[family]))
    policy_values, request_values = FAMILIES[family]
    wanted = draw(st.lists(policy_values, min_size=1, max_size=3))
    return positive, negated, wanted, draw(request_values)


@given(cases())
def test_negated_is_not_positive_when_the_key_is_present(case: tuple[str, str, list[str], str]) -> None:
    positive, negated, wanted, value = case
    if positive in ("NumericLessThan", "NumericGreaterThan", "DateLessThan", "DateGreaterThan"):
        wanted = wanted[:1]  # complements hold per value; with several values OR and NOR of other operators differ
    assert holds(negated, wanted, value) is not holds(positive, wanted, value)
