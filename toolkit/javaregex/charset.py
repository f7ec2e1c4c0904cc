"""Sets of code points as sorted, disjoint, non-adjacent ranges: what a Java character class matches, computed
exactly (union, intersection, complement) and written back as a Python character class."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

MAX_CODE_POINT: Final = 0x10FFFF


class CharSet:
    """An immutable set of code points."""

    __slots__ = ("ranges",)

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        self.ranges: tuple[tuple[int, int], ...] = _normal(ranges)

    @classmethod
    def _normalized(cls, ranges: list[tuple[int, int]]) -> CharSet:
        """From ranges already sorted, disjoint and not adjacent (what intersection and complement make)."""
        out = cls.__new__(cls)
        out.ranges = tuple(ranges)
        return out

    @classmethod
    def of(cls, *points: int) -> CharSet:
        return cls((point, point) for point in points)

    @classmethod
    def span(cls, low: int, high: int) -> CharSet:
        return cls(((low, high),))

    @classmethod
    def parse(cls, text: str) -> CharSet:
        """From the tables' notation: space-separated hex ``start-end`` or ``cp``."""
        out = []
        for item in text.split():
            low, _, high = item.partition("-")
            out.append((int(low, 16), int(high or low, 16)))
        return cls(out)

    def __or__(self, other: CharSet) -> CharSet:
        if not other.ranges:
            return self
        if not self.ranges:
            return other
        return CharSet(self.ranges + other.ranges)

    def __and__(self, other: CharSet) -> CharSet:
        out = []
        mine, theirs = self.ranges, other.ranges
        i = j = 0
        while i < len(mine) and j < len(theirs):
            low = max(mine[i][0], theirs[j][0])
            high = min(mine[i][1], theirs[j][1])
            if low <= high:
                out.append((low, high))
            if mine[i][1] < theirs[j][1]:
                i += 1
            else:
                j += 1
        return CharSet._normalized(out)

    def __invert__(self) -> CharSet:
        out = []
        start = 0
        for low, high in self.ranges:
            if low > start:
                out.append((start, low - 1))
            start = high + 1
        if start <= MAX_CODE_POINT:
            out.append((start, MAX_CODE_POINT))
        return CharSet._normalized(out)

    def __sub__(self, other: CharSet) -> CharSet:
        return self & ~other

    def __contains__(self, point: object) -> bool:
        if not isinstance(point, int):
            return False
        low, high = 0, len(self.ranges)
        while low < high:
            middle = (low + high) // 2
            start, end = self.ranges[middle]
            if point < start:
                high = middle
            elif point > end:
                low = middle + 1
            else:
                return True
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CharSet) and self.ranges == other.ranges

    def __hash__(self) -> int:
        return hash(self.ranges)

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __len__(self) -> int:
        return sum(high - low + 1 for low, high in self.ranges)

    def __iter__(self) -> Iterator[int]:
        for low, high in self.ranges:
            yield from range(low, high + 1)

    def __repr__(self) -> str:
        return f"CharSet({self.notation()!r})"

    def notation(self) -> str:
        return " ".join(f"{low:x}" if low == high else f"{low:x}-{high:x}" for low, high in self.ranges)

    def single(self) -> int | None:
        """The one code point of a one-point set."""
        if len(self.ranges) == 1 and self.ranges[0][0] == self.ranges[0][1]:
            return self.ranges[0][0]
        return None

    def python(self) -> str:
        """The set as a Python regular expression matching one code point of it."""
        if not self.ranges:
            return "(?!)"
        point = self.single()
        if point is not None:
            return _char(point)
        if self.ranges == ((0, MAX_CODE_POINT),):
            return r"[\x00-\U0010ffff]"
        inverse = ~self
        if len(inverse.ranges) < len(self.ranges):
            return "[^" + _class_body(inverse.ranges) + "]"
        return "[" + _class_body(self.ranges) + "]"


def _normal(ranges: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if low > high:
            continue
        if out and low <= out[-1][1] + 1:
            if high > out[-1][1]:
                out[-1] = (out[-1][0], high)
        else:
            out.append((low, high))
    return tuple(out)


def _class_body(ranges: tuple[tuple[int, int], ...]) -> str:
    parts = []
    for low, high in ranges:
        if low == high:
            parts.append(_char(low))
        elif high == low + 1:
            parts.append(_char(low) + _char(high))
        else:
            parts.append(f"{_char(low)}-{_char(high)}")
    return "".join(parts)


def _char(point: int) -> str:
    """One code point as Python pattern text that means that code point alone, in or out of a class.

    A letter or digit stands as itself, whatever its script: no letter or digit is special to Python's ``re``
    (back-references and counts read ASCII digits only, and those were always written as themselves), and a class
    of Unicode's letters written so is a fifth of the text to parse (Java's ``\\b`` holds four of them)."""
    if chr(point).isalnum():
        return chr(point)
    if point <= 0xFF:
        return f"\\x{point:02x}"
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


EMPTY: Final = CharSet()
ALL: Final = CharSet.span(0, MAX_CODE_POINT)
