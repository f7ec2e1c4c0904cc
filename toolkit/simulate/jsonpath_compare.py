"""How Jayway JsonPath 2.0.0's filters compare two values: ``Criteria.safeCompare`` and the operators built on it.

``compare(operator, expected, model)`` is ``CriteriaType.eval(expected, model)``: ``model`` is the filter's left
operand, ``expected`` its right one. What a Java comparison would throw is kept apart:

- ``Incomparable`` (Jayway's ValueCompareException): the two do not compare; the criterion is false;
- ``JavaError``: a NumberFormatException (a string that is no number against a number), a ClassCastException
  (``=~`` without a /regex/), a NullPointerException: Jayway lets it through, so the whole read fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from toolkit.simulate.jsonpath_java import (
    JavaError,
    big_decimal,
    compare_strings,
    is_number,
    number_decimal,
    to_string,
)
from toolkit.simulate.jsonpath_parse import JavaPattern


class Incomparable(Exception):
    """Jayway's ValueCompareException: the criterion is false."""


def _nullish(value: Any) -> bool:
    return value is None or value == "null"


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _java_true(text: str) -> bool:
    """``Boolean.valueOf(text)``: "true" in any case (Java's ``equalsIgnoreCase``, char by char)."""
    return len(text) == 4 and all(
        char == want or char.upper() == want.upper() or char.lower() == want
        for char, want in zip(text, "true", strict=True)
    )


def safe_compare(left: Any, right: Any) -> int:
    """``Criteria.safeCompare(left, right)``: negative, zero or positive; Incomparable when Jayway's is."""
    if isinstance(left, (dict, list, tuple, JavaPattern)) and left is right:
        return 0
    left_nullish, right_nullish = _nullish(left), _nullish(right)
    if left_nullish or right_nullish:
        return int(right_nullish) - int(left_nullish)
    if isinstance(left, str) and isinstance(right, str):
        expected = left.replace("\\'", "'") if "'" in left else left
        return compare_strings(expected, right)
    if is_number(left) and is_number(right):
        return _sign(number_decimal(left), number_decimal(right))
    if isinstance(left, str) and is_number(right):
        return _sign(big_decimal(left), number_decimal(right))
    if isinstance(left, str) and isinstance(right, bool):
        return _sign(_java_true(left), right)
    if isinstance(left, bool) and isinstance(right, bool):
        return _sign(left, right)
    raise Incomparable


def _ordered(test: Callable[[int], bool]) -> Callable[[Any, Any], bool]:
    def compare(expected: Any, model: Any) -> bool:
        if (expected is None) != (model is None):
            return False
        return test(safe_compare(expected, model))

    return compare


def _regex(expected: Any, model: Any) -> bool:
    pattern: JavaPattern | None
    if isinstance(model, JavaPattern):
        pattern, target = model, expected
    else:
        if expected is not None and not isinstance(expected, JavaPattern):
            raise JavaError("ClassCastException", "=~ needs a /regex/")
        pattern, target = expected, model
    if target is None:
        return False
    if pattern is None:
        raise JavaError("NullPointerException", "=~ against null")
    return pattern.pattern.fullmatch(to_string(target)) is not None


OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": lambda expected, model: safe_compare(expected, model) == 0,
    "!=": lambda expected, model: safe_compare(expected, model) != 0,
    ">": _ordered(lambda sign: sign < 0),
    ">=": _ordered(lambda sign: sign <= 0),
    "<": _ordered(lambda sign: sign > 0),
    "<=": _ordered(lambda sign: sign >= 0),
    "=~": _regex,
}


def compare(operator: str, expected: Any, model: Any) -> bool:
    """``CriteriaType.parse(operator).eval(expected, model)``; Incomparable when the criterion is just false."""
    return OPERATORS[operator](expected, model)
