"""How JSONPath filters compare values, as Jayway does: equality across JSON kinds, ordering, regex matches.

``toolkit.simulate.jsonpath_parse`` reads a filter's text into predicates built from ``OPERATORS``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

ARRAY: Final = (list, tuple)


class _Undefined:
    """A filter operand whose path finds nothing: it equals nothing, itself included."""


UNDEFINED: Final = _Undefined()
DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, re.Pattern):
        return "pattern"
    if value is UNDEFINED:
        return "undefined"
    return "json"


def _decimal(number: Any) -> Decimal | None:
    if isinstance(number, float):
        return Decimal(repr(number)) if math.isfinite(number) else None
    return Decimal(number)


def _number_text(number: Any) -> str:
    value = _decimal(number)
    return "NaN" if value is None else str(value)


def _same_json(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, ARRAY):
        return isinstance(b, ARRAY) and len(a) == len(b) and all(map(_same_json, a, b))
    return type(a) is type(b) and bool(a == b)


def _equal(left: Any, right: Any) -> bool:
    lk, rk = _kind(left), _kind(right)
    if lk == "number" and rk in ("number", "string"):
        number = _decimal(left)
        other = _decimal(right) if rk == "number" else _parse_decimal(right)
        return number is not None and other is not None and number == other
    if lk == "string" and rk in ("number", "string"):
        return bool(left == (_number_text(right) if rk == "number" else right))
    if lk == rk == "json":
        return _same_json(left, right)
    if lk == rk == "pattern":
        return bool(left.pattern == right.pattern and left.flags == right.flags)
    return lk == rk and lk in ("bool", "null") and left == right


def _parse_decimal(text: str) -> Decimal | None:
    return Decimal(text) if DECIMAL_TEXT.fullmatch(text) else None


def _order(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 as Jayway's <, <=, >, >= see the operands; None when they do not compare."""
    lk, rk = _kind(left), _kind(right)
    a: Any
    b: Any
    if lk == rk == "number":
        a, b = _decimal(left), _decimal(right)
        if a is None or b is None:
            return None
    elif lk in ("number", "string") and rk in ("number", "string"):
        a = _number_text(left) if lk == "number" else left
        b = _number_text(right) if rk == "number" else right
    else:
        return None
    return int(a > b) - int(a < b)


def _regex_text(value: Any) -> str:
    kind = _kind(value)
    if kind == "string":
        text: str = value
        return text
    if kind == "number":
        return _number_text(value)
    return ("true" if value else "false") if kind == "bool" else ""


def _matches(left: Any, right: Any) -> bool:
    if isinstance(left, re.Pattern) == isinstance(right, re.Pattern):
        return False
    pattern, value = (left, right) if isinstance(left, re.Pattern) else (right, left)
    values = value if isinstance(value, ARRAY) else [value]
    return any(pattern.fullmatch(_regex_text(item)) is not None for item in values)


def _lt(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order < 0


def _le(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order <= 0


def _gt(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order > 0


def _ge(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order >= 0


def _same_kind_equal(a: Any, b: Any) -> bool:
    return _kind(a) == _kind(b) and _equal(a, b)


OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "===": _same_kind_equal,
    "!==": lambda a, b: not _same_kind_equal(a, b),
    "<": _lt,
    "<=": _le,
    ">": _gt,
    ">=": _ge,
    "=~": _matches,
}
WORD_OPERATORS: Final = frozenset(
    {"in", "nin", "subsetof", "anyof", "noneof", "size", "empty", "contains", "all", "matches", "type"}
)
