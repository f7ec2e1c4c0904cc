"""The Java behaviour Jayway JsonPath leans on, in Python: strings as UTF-16, ``trim``, ``Integer.parseInt``,
``new BigDecimal(String)``, ``Double.toString``, ``String.valueOf`` of json-smart's values, ``compareTo``, the
filter's ``Pattern.split`` and its regular expressions.

``toolkit.simulate.jsonpath_parse`` reads a selector with these, ``jsonpath_compare`` compares with them. A Java
exception the port must reproduce is a ``JavaError`` naming it; the caller decides what it means (at compile time,
an invalid selector; while reading, a failed read).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Any, Final

_INT_MIN: Final = -(2**31)
_INT_MAX: Final = 2**31 - 1
_JSON_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_OPERATOR_PAIRS: Final = ("&&", "||")


class JavaError(Exception):
    """What Java would throw here: ``kind`` is the exception's simple name, the message says why."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


# --- strings as Java holds them --------------------------------------------------------------------------------


def units(text: str) -> str:
    """``text`` as Java's UTF-16 string: each character outside the BMP becomes its two surrogates, so indexes,
    lengths and ``charAt`` mean what they mean in Java."""
    if text.isascii() or all(ord(char) <= 0xFFFF for char in text):
        return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(chr(0xD800 + (code >> 10)))
            out.append(chr(0xDC00 + (code & 0x3FF)))
        else:
            out.append(char)
    return "".join(out)


def text(java: str) -> str:
    """A UTF-16 string (``units``) back as Python text: surrogate pairs joined, a lone surrogate kept."""
    if java.isascii() or not any(0xD800 <= ord(char) <= 0xDFFF for char in java):
        return java
    return java.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def char_at(java: str, index: int) -> str:
    """``String.charAt``: StringIndexOutOfBoundsException outside the string (never Python's negative index)."""
    if not 0 <= index < len(java):
        raise JavaError("StringIndexOutOfBoundsException", f"index {index}, length {len(java)}")
    return java[index]


def substring(java: str, begin: int, end: int | None = None) -> str:
    """``String.substring``: StringIndexOutOfBoundsException unless 0 <= begin <= end <= length."""
    stop = len(java) if end is None else end
    if not 0 <= begin <= stop <= len(java):
        raise JavaError("StringIndexOutOfBoundsException", f"begin {begin}, end {stop}, length {len(java)}")
    return java[begin:stop]


def trim(java: str) -> str:
    """``String.trim``: every character up to U+0020 off both ends (control characters too)."""
    start, end = 0, len(java)
    while start < end and java[start] <= " ":
        start += 1
    while end > start and java[end - 1] <= " ":
        end -= 1
    return java[start:end]


def is_digit(char: str) -> bool:
    """``Character.isDigit``: a Unicode decimal digit (category Nd)."""
    return (char.isascii() and char.isdigit()) or (not char.isascii() and unicodedata.category(char) == "Nd")


def parse_int(java: str) -> int:
    """``Integer.parseInt``: an optional sign, then decimal digits (any Unicode Nd), within 32 bits."""
    digits = java[1:] if java[:1] in ("-", "+") else java
    if not digits or not all(is_digit(char) for char in digits):
        raise JavaError("NumberFormatException", f"{text(java)!r} is not a whole number")
    value = int("".join(str(unicodedata.digit(char)) for char in digits))
    value = -value if java[0] == "-" else value
    if not _INT_MIN <= value <= _INT_MAX:
        raise JavaError("NumberFormatException", f"{text(java)} is out of Java's int range")
    return value


def compare_strings(left: str, right: str) -> int:
    """The sign of ``left.compareTo(right)``: Java orders strings by UTF-16 code unit."""
    if left == right:
        return 0
    if left.isascii() and right.isascii():
        return -1 if left < right else 1
    a = left.encode("utf-16-be", "surrogatepass")
    b = right.encode("utf-16-be", "surrogatepass")
    return -1 if a < b else 1


def split_operators(java: str) -> list[str]:
    """Jayway 2.0.0's ``OPERATOR_SPLIT.split(filter)``: cut before and after every ``&&`` and ``||`` (Java's
    ``String.split``: no leading empty piece from a cut at 0, trailing empty pieces dropped)."""
    cuts = [
        position
        for position in range(1, len(java) + 1)
        if java[position - 2 : position] in _OPERATOR_PAIRS or java[position : position + 2] in _OPERATOR_PAIRS
    ]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(java[start:cut])
        start = cut
    pieces.append(java[start:])
    while len(pieces) > 1 and not pieces[-1]:
        pieces.pop()
    return pieces


# --- numbers ---------------------------------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    """A ``java.lang.Number`` as json-smart parses one: Integer, Long, BigInteger or Double (never a boolean)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_decimal(value: int | float) -> Decimal:
    """``new BigDecimal(number.toString())``."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def big_decimal(java: str) -> Decimal:
    """``new BigDecimal(String)``: sign, digits with one optional point (a digit somewhere), optional exponent;
    NumberFormatException for anything else (spaces, "NaN", "0x1", "1_000")."""
    position, end = 0, len(java)
    negative = java[:1] == "-"
    if java[:1] in ("-", "+"):
        position = 1
    digits: list[str] = []
    fraction = 0
    point = False
    while position < end and (is_digit(java[position]) or (java[position] == "." and not point)):
        if java[position] == ".":
            point = True
        else:
            digits.append(str(unicodedata.digit(java[position])))
            fraction += point
        position += 1
    exponent = 0
    if digits and position < end and java[position] in "eE":
        position += 1
        exponent_negative = java[position : position + 1] == "-"
        if java[position : position + 1] in ("-", "+"):
            position += 1
        exponent_digits = java[position:]
        if not exponent_digits or not all(is_digit(char) for char in exponent_digits):
            raise JavaError("NumberFormatException", f"bad exponent in {text(java)!r}")
        exponent = int("".join(str(unicodedata.digit(char)) for char in exponent_digits))
        if exponent > _INT_MAX + 1 or len(str(exponent)) > 10:  # Java: "Too many nonzero exponent digits"
            raise JavaError("NumberFormatException", f"exponent overflow in {text(java)!r}")
        exponent = -exponent if exponent_negative else exponent
        if not _INT_MIN <= exponent <= _INT_MAX:
            raise JavaError("NumberFormatException", f"exponent overflow in {text(java)!r}")
        position = end
    if not digits or position != end or not _INT_MIN <= fraction - exponent <= _INT_MAX:
        raise JavaError("NumberFormatException", f"{text(java)!r} is not a BigDecimal")
    magnitude = Decimal(f"{''.join(digits)}E{exponent - fraction}")
    return -magnitude if negative else magnitude


def double_to_string(value: float) -> str:
    """``Double.toString``: plain between 10^-3 and 10^7, otherwise computerized scientific notation, always a
    digit after the point ("100.0", "1.0E7", "1.5E-5"); the digits are the shortest that round-trip."""
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    sign = "-" if value < 0 else ""
    decimal = Decimal(repr(abs(value))).normalize()
    _, digit_tuple, exponent = decimal.as_tuple()
    digits = "".join(map(str, digit_tuple))
    power = int(exponent) + len(digits) - 1  # value = d.ddd x 10^power
    if -3 <= power < 7:
        if power >= 0:
            whole = digits[: power + 1].ljust(power + 1, "0")
            return f"{sign}{whole}.{digits[power + 1 :] or '0'}"
        return f"{sign}0.{'0' * (-power - 1)}{digits}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{power}"


# --- values as strings -----------------------------------------------------------------------------------------


def to_string(value: Any) -> str:
    """``String.valueOf`` of a value json-smart parsed: a map as ``LinkedHashMap.toString`` ({k=v, ...}), a list as
    ``JSONArray.toString`` (compact JSON, json-smart's escaping), a Double as ``Double.toString``."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return double_to_string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={to_string(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return _json(value)
    pattern = getattr(value, "source", None)  # a filter's /regex/ (jsonpath_parse.JavaPattern)
    return pattern if isinstance(pattern, str) else str(value)


def _json(value: Any) -> str:
    """json-smart's ``JSONValue.toJSONString`` in its default style (NO_COMPRESS, escaping for the web)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return '"' + "".join(_escape(char) for char in value) + '"'
    if isinstance(value, (bool, int, float)):
        return to_string(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_json(str(key))}:{_json(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json(item) for item in value) + "]"
    return _json(to_string(value))


def _escape(char: str) -> str:
    escaped = _JSON_ESCAPES.get(char)
    if escaped is not None:
        return escaped
    if char == "/":
        return "\\/"
    code = ord(char)
    if code <= 0x1F or 0x7F <= code <= 0x9F or 0x2000 <= code <= 0x20FF:
        return f"\\u{code:04X}"
    return char


# --- regular expressions ---------------------------------------------------------------------------------------


def compile_pattern(source: str, ignore_case: bool) -> re.Pattern[str]:
    """``Pattern.compile(source, ignore_case ? CASE_INSENSITIVE : 0)`` for a filter's ``/regex/``: Python's ``re``
    with ASCII classes and ASCII-only case folding, as Java's defaults; PatternSyntaxException when it does not
    compile. (Java-only syntax such as ``\\p{..}`` or ``\\Q..\\E`` is not translated here.)"""
    try:
        return re.compile(source, re.ASCII | (re.IGNORECASE if ignore_case else 0))
    except re.error as err:
        raise JavaError("PatternSyntaxException", f"{err} in /{source}/") from None
