"""Every condition operator of IAM's policy language, compiled once per statement.

[IAMUG/reference_policies_elements_condition_operators.html; IAMUG/reference_policies_multi-value-conditions.html;
IAMUG/reference_policies_condition-single-vs-multi-valued-context-keys.html] String, Numeric, Date, Bool,
BinaryEquals, IpAddress, Arn and Null operators, the ``IfExists`` suffix on all but Null, and the ``ForAllValues:``
and ``ForAnyValue:`` qualifiers. Several values for one key are ORed (a negated operator: NORed); several keys and
operators are ANDed by the statement. Key names compare case-blind; values case-sensitively unless the operator
says otherwise. A key absent from the request (or an empty set): a positive operator is false, a negated one true,
``IfExists`` true, ``Null`` "true" true, ``ForAllValues`` true, ``ForAnyValue`` false.

A condition that cannot be decided raises ``Undecided`` (the policy decides whether that matters): an unknown
operator or qualifier, a policy value the operator cannot read (``"abc"`` for a Date operator, a bad CIDR, base64
that is not), a request value that is ``UNKNOWN``, a variable needing an ``UNKNOWN`` key, or a single-valued operator
on a multivalued key without a qualifier: AWS says such keys *require* a set operator and documents no result
without one, so this evaluator refuses rather than guess (the reference above, "Multivalued context keys require a
condition set operator").

Decisions where AWS is silent, here: a request value the operator cannot read (``"abc"`` for Numeric, ``"x"`` for
IpAddress, text for Bool other than true/false) matches no policy value, so a positive operator is false and a
negated one true; Numeric values are integers or decimals (``-1``, ``2.50``, ``.5``), compared exactly; a Date
value of digits only (with an optional fraction) is epoch seconds, anything else ISO 8601's W3C profile
(``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-MM-DDThh:mm[:ss[.s]][TZD]``), read as UTC without a zone, compared as
instants; Bool's and Null's "true"/"false" are case-blind; a policy value of JSON true/false/number is its JSON
text; Null ignores a qualifier, and an empty set is present to it (as iam-simulate reads it), while to every
other operator an empty set is as good as absent; BinaryEquals's request value is bytes or base64 text. A policy
value holding a variable the request cannot resolve satisfies neither a positive nor a negated operator ("that
element does not match; can invalidate the statement", IAMUG/reference_policies_variables.html), so it never makes a
condition true: a Deny on ``StringNotEquals: ${aws:PrincipalTag/team}`` does not deny a principal without the tag.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import ipaddress
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Final, TypeVar

from toolkit.iam.context import Keys, Undecided, Unknown
from toolkit.iam.variables import Template, arn_regex, literal, template, wildcard_regex
from toolkit.records import Record

Test = Callable[[str | bytes, Keys], bool | None]
"""One policy value compiled: does this one request value match it? None: the value holds a policy variable the
request cannot resolve. May raise ``Undecided`` (a variable whose key is ``UNKNOWN``)."""

QUALIFIERS: Final = ("ForAllValues", "ForAnyValue")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EPOCH = re.compile(r"[+-]?\d+(?:\.\d+)?")
_W3C = re.compile(
    r"(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?", re.ASCII
)
T = TypeVar("T")
_EPOCH_START = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class _Malformed(ValueError):
    """A policy value the operator cannot read (raised while compiling)."""


class Condition(Record):
    """One key under one operator, compiled."""

    __slots__ = ("if_exists", "key", "name", "negated", "null", "operator", "problem", "qualifier", "tests")
    _FIELDS = ("operator", "key", "name", "qualifier", "if_exists", "negated", "tests", "null", "problem")
    operator: str
    """As written, e.g. ``ForAnyValue:StringLikeIfExists``."""
    key: str
    """As written, e.g. ``aws:SourceArn``."""
    name: str
    """The key, lower case, as the request context holds it."""
    qualifier: str | None
    if_exists: bool
    negated: bool
    tests: tuple[Test, ...]
    """One per policy value; for Null, unused."""
    null: tuple[bool, ...] | None
    """Null's wanted answers (True: the key must be absent); None for every other operator."""
    problem: str | None
    """Why this condition can never be decided (unknown operator, malformed value), or None."""

    def __init__(
        self,
        operator: str,
        key: str,
        name: str,
        qualifier: str | None,
        if_exists: bool,
        negated: bool,
        tests: tuple[Test, ...],
        null: tuple[bool, ...] | None,
        problem: str | None,
    ) -> None:
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "qualifier", qualifier)
        object.__setattr__(self, "if_exists", if_exists)
        object.__setattr__(self, "negated", negated)
        object.__setattr__(self, "tests", tests)
        object.__setattr__(self, "null", null)
        object.__setattr__(self, "problem", problem)

    def undecided(self, reason: str) -> Undecided:
        return Undecided(f"cannot evaluate condition {self.operator} on {self.key}: {reason}")

    def holds(self, keys: Keys) -> bool:
        """Whether the request satisfies this condition; raises ``Undecided`` when that cannot be known."""
        if self.problem is not None:
            raise self.undecided(self.problem)
        value = keys.get(self.name)
        if self.null is not None:
            return any((value is None) == wanted for wanted in self.null)
        if value is None or value == ():
            if self.if_exists or self.qualifier == "ForAllValues":
                return True
            if self.qualifier == "ForAnyValue":
                return False
            return self.negated
        if isinstance(value, Unknown):
            raise self.undecided(f"the request's value of {self.key} is UNKNOWN")
        if self.qualifier is None:
            if isinstance(value, tuple):
                raise self.undecided(
                    "a multivalued key needs ForAllValues or ForAnyValue (AWS documents no single-valued reading)"
                )
            return self._one(value, keys)
        values: tuple[str | bytes, ...] = value if isinstance(value, tuple) else (value,)
        if self.qualifier == "ForAllValues":
            return _all(lambda item: self._one(item, keys), values)
        return _any(lambda item: self._one(item, keys), values)

    def _one(self, value: str | bytes, keys: Keys) -> bool:
        """Whether one request value satisfies the operator: some policy value matches it (a negated operator: none
        does). A policy value whose variable cannot be resolved satisfies neither, so it never makes the condition
        true. Three-valued: raises ``Undecided`` only when the other values do not settle it."""
        pending: Undecided | None = None
        for test in self.tests:
            try:
                found = test(value, keys)
            except Undecided as err:
                pending = pending or err
                continue
            if self.negated:
                if found is not False:
                    return False
            elif found:
                return True
        if pending is not None:
            raise self.undecided(str(pending))
        return self.negated


def _any(predicate: Callable[[T], bool], items: tuple[T, ...]) -> bool:
    """``any`` over predicates that may raise ``Undecided``: true if one is true whatever the others are."""
    pending: Undecided | None = None
    for item in items:
        try:
            if predicate(item):
                return True
        except Undecided as err:
            pending = pending or err
    if pending is not None:
        raise pending
    return False


def _all(predicate: Callable[[T], bool], items: tuple[T, ...]) -> bool:
    """``all`` over predicates that may raise ``Undecided``: false if one is false whatever the others are."""
    pending: Undecided | None = None
    for item in items:
        try:
            if not predicate(item):
                return False
        except Undecided as err:
            pending = pending or err
    if pending is not None:
        raise pending
    return True


def compile_condition(operator: str, key: str, wanted: object, variables: bool) -> Condition:
    """One key under one operator; ``wanted`` is the policy's value or list of values; ``variables`` whether the
    policy's version has policy variables."""
    listed = wanted if isinstance(wanted, list) else [wanted]
    qualifier: str | None = None
    base = operator
    problem: str | None = None
    if ":" in operator:
        prefix, base = operator.split(":", 1)
        if prefix in QUALIFIERS:
            qualifier = prefix
        else:
            problem = f"unknown qualifier {prefix}"
    if_exists = base.endswith("IfExists") and base != "IfExists"
    base = base.removesuffix("IfExists") if if_exists else base
    family = _OPERATORS.get(base)
    if problem is None and (family is None or (if_exists and base == "Null")):
        problem = "unknown operator"
    negated = family is not None and family[1]
    tests: tuple[Test, ...] = ()
    null: tuple[bool, ...] | None = None
    if problem is None and family is not None:
        try:
            texts = tuple(_text(item) for item in listed)
            if base == "Null":
                null = tuple(_boolean(text) for text in texts)
            else:
                tests = tuple(family[0](text, variables) for text in texts)
        except _Malformed as err:
            problem = f"malformed value: {err}"
    return Condition(operator, key, key.lower(), qualifier, if_exists, negated, tests, null, problem)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise _Malformed(f"{value!r} is not a string, number or boolean")


def _boolean(text: str) -> bool:
    folded = text.lower()
    if folded not in ("true", "false"):
        raise _Malformed(f"{text!r} is not true or false")
    return folded == "true"


# -- String and Arn: policy variables allowed ---------------------------------------------------------------


def _string_test(kind: str) -> Callable[[str, bool], Test]:
    def compile_test(text: str, variables: bool) -> Test:
        shape = template(text) if variables else None
        if shape is None:
            static = _static_string(kind, text)
            return lambda value, keys: isinstance(value, str) and static(value)
        return _templated_string(kind, shape)

    return compile_test


def _static_string(kind: str, text: str) -> Callable[[str], bool]:
    if kind == "equals":
        return text.__eq__
    if kind == "ignore_case":
        folded = text.casefold()
        return lambda value: value.casefold() == folded
    if kind == "like":
        if text == "*":
            return lambda value: True
        if "*" not in text and "?" not in text:
            return text.__eq__
        compiled = re.compile(wildcard_regex(((text, True),)), re.DOTALL)
        return lambda value: compiled.fullmatch(value) is not None
    regex = arn_regex(((text, True),))
    if regex is None:
        raise _Malformed(f"{text!r} is not an ARN (six colon-separated parts)")
    compiled = re.compile(regex, re.DOTALL)
    return lambda value: compiled.fullmatch(value) is not None


def _templated_string(kind: str, shape: Template) -> Test:
    def test(value: str | bytes, keys: Keys) -> bool | None:
        pieces = shape.resolve(keys)
        if pieces is None:
            return None
        if not isinstance(value, str):
            return False
        if kind == "equals":
            return value == literal(pieces)
        if kind == "ignore_case":
            return value.casefold() == literal(pieces).casefold()
        if kind == "like":
            return re.fullmatch(wildcard_regex(pieces), value, re.DOTALL) is not None
        regex = arn_regex(pieces)
        if regex is None:
            raise Undecided(f"{shape.text!r} resolves to {literal(pieces)!r}, not an ARN")
        return re.fullmatch(regex, value, re.DOTALL) is not None

    return test


# -- Numeric, Date, Bool, Binary, IP: no variables ----------------------------------------------------------


def _numeric_test(compare: Callable[[Decimal, Decimal], bool]) -> Callable[[str, bool], Test]:
    def compile_test(text: str, variables: bool) -> Test:
        wanted = _number(text)
        if wanted is None:
            raise _Malformed(f"{text!r} is not a number")

        def test(value: str | bytes, keys: Keys) -> bool:
            found = _number(value) if isinstance(value, str) else None
            return found is not None and compare(found, wanted)

        return test

    return compile_test


def _number(text: str) -> Decimal | None:
    return Decimal(text) if _NUMBER.fullmatch(text) else None


def _date_test(compare: Callable[[Decimal, Decimal], bool]) -> Callable[[str, bool], Test]:
    def compile_test(text: str, variables: bool) -> Test:
        wanted = instant(text)
        if wanted is None:
            raise _Malformed(f"{text!r} is not an ISO 8601 date or epoch seconds")

        def test(value: str | bytes, keys: Keys) -> bool:
            found = instant(value) if isinstance(value, str) else None
            return found is not None and compare(found, wanted)

        return test

    return compile_test


def instant(text: str) -> Decimal | None:
    """Seconds since the epoch of an ISO 8601 (W3C profile) date or date-time, or of epoch seconds; None if
    neither."""
    if _EPOCH.fullmatch(text):
        return Decimal(text)
    match = _W3C.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    offset = datetime.timedelta()
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        if abs(offset) >= datetime.timedelta(hours=24):
            return None
    try:
        moment = datetime.datetime(
            int(year),
            int(month),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=datetime.timezone(offset),
        )
    except ValueError:
        return None
    elapsed = moment - _EPOCH_START
    seconds = Decimal(elapsed.days * 86400 + elapsed.seconds)
    return seconds + (Decimal(fraction) if fraction else Decimal(0))


def _bool_test(text: str, variables: bool) -> Test:
    wanted = _boolean(text)
    return lambda value, keys: isinstance(value, str) and value.lower() == ("true" if wanted else "false")


def _binary_test(text: str, variables: bool) -> Test:
    try:
        wanted = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise _Malformed(f"{text!r} is not base64") from err

    def test(value: str | bytes, keys: Keys) -> bool:
        if isinstance(value, bytes):
            return value == wanted
        try:
            return base64.b64decode(value, validate=True) == wanted
        except (binascii.Error, ValueError):
            return False

    return test


def _ip_test(text: str, variables: bool) -> Test:
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError as err:
        raise _Malformed(f"{text!r} is not an IP address or CIDR block") from err

    def test(value: str | bytes, keys: Keys) -> bool:
        if not isinstance(value, str):
            return False
        try:
            address = ipaddress.ip_address(value.strip())
        except ValueError:
            return False
        return address.version == network.version and address in network

    return test


def _null_test(text: str, variables: bool) -> Test:
    raise AssertionError("Null is decided by Condition.holds")  # pragma: no cover


_LT: Callable[[Decimal, Decimal], bool] = lambda found, wanted: found < wanted  # noqa: E731
_LE: Callable[[Decimal, Decimal], bool] = lambda found, wanted: found <= wanted  # noqa: E731
_GT: Callable[[Decimal, Decimal], bool] = lambda found, wanted: found > wanted  # noqa: E731
_GE: Callable[[Decimal, Decimal], bool] = lambda found, wanted: found >= wanted  # noqa: E731
_EQ: Callable[[Decimal, Decimal], bool] = lambda found, wanted: found == wanted  # noqa: E731

_OPERATORS: Final[dict[str, tuple[Callable[[str, bool], Test], bool]]] = {
    "StringEquals": (_string_test("equals"), False),
    "StringNotEquals": (_string_test("equals"), True),
    "StringEqualsIgnoreCase": (_string_test("ignore_case"), False),
    "StringNotEqualsIgnoreCase": (_string_test("ignore_case"), True),
    "StringLike": (_string_test("like"), False),
    "StringNotLike": (_string_test("like"), True),
    "NumericEquals": (_numeric_test(_EQ), False),
    "NumericNotEquals": (_numeric_test(_EQ), True),
    "NumericLessThan": (_numeric_test(_LT), False),
    "NumericLessThanEquals": (_numeric_test(_LE), False),
    "NumericGreaterThan": (_numeric_test(_GT), False),
    "NumericGreaterThanEquals": (_numeric_test(_GE), False),
    "DateEquals": (_date_test(_EQ), False),
    "DateNotEquals": (_date_test(_EQ), True),
    "DateLessThan": (_date_test(_LT), False),
    "DateLessThanEquals": (_date_test(_LE), False),
    "DateGreaterThan": (_date_test(_GT), False),
    "DateGreaterThanEquals": (_date_test(_GE), False),
    "Bool": (_bool_test, False),
    "BinaryEquals": (_binary_test, False),
    "IpAddress": (_ip_test, False),
    "NotIpAddress": (_ip_test, True),
    "ArnEquals": (_string_test("arn"), False),
    "ArnLike": (_string_test("arn"), False),
    "ArnNotEquals": (_string_test("arn"), True),
    "ArnNotLike": (_string_test("arn"), True),
    "Null": (_null_test, False),
}
"""Operator (without qualifier or IfExists) -> (compile one policy value, negated)."""

OPERATORS: Final = frozenset(_OPERATORS)
"""Every base operator name this evaluator knows."""
