"""Character classes as Pattern reads them: ``[...]`` with ranges, nested classes (union) and ``&&``
(intersection), ``\\p{...}``, and what one literal character matches under CASE_INSENSITIVE (ASCII only, or
Unicode with UNICODE_CASE).

A class is built the way Pattern builds its predicates, including their quirk: the characters of a class below 256
go into one BitClass per ``[``, which later characters keep filling even after it has been combined with ``&&``.
So a class is first a tree over those (mutable) bit sets, and is evaluated once the outermost ``]`` is read.
"""

from __future__ import annotations

from functools import cache

from toolkit.javaregex import unicode as uc
from toolkit.javaregex.charset import CharSet
from toolkit.javaregex.reader import CASE_INSENSITIVE, UNICODE_CASE, UNICODE_CHARACTER_CLASS, Reader
from toolkit.records import MutableRecord

# Latin-1 characters whose Unicode case partner lies outside Latin-1 (Pattern.bitsOrSingle)
CASE_ESCAPES_LATIN1 = frozenset((0xFF, 0xB5, 0x49, 0x69, 0x53, 0x73, 0x4B, 0x6B, 0xC5, 0xE5))


class Bits(MutableRecord):
    """Pattern.BitClass: the class's characters below 256, filled as the class is read (a ``MutableRecord``: a
    dataclass's cost at import spared, issue 19)."""

    __slots__ = _FIELDS = ("points",)
    points: set[int]

    def __init__(self, points: set[int] | None = None) -> None:
        self.points = set() if points is None else points

    def add(self, ch: int, flags: int) -> None:
        if flags & CASE_INSENSITIVE:
            if ch < 0x80:
                self.points.update((_ascii_upper(ch), _ascii_lower(ch)))
            elif flags & UNICODE_CASE:
                self.points.update(p for p in (uc.java_lower(ch), uc.java_upper(ch)) if p < 256)
        self.points.add(ch)


Pred = tuple[object, ...]
"""A class as Pattern's predicate tree: ("set", CharSet), ("bits", Bits), ("or", a, b), ("and", a, b), ("not", a),
and ("null",): the null predicate Pattern intersects with after ``&&`` when the class's last item was a character."""


class JavaThrows(Exception):
    """The class is one Pattern compiles but cannot match with: ``[\\pLa&&]`` intersects with a null predicate,
    and matching a character that reaches it throws NullPointerException."""


def evaluate(pred: Pred) -> CharSet:
    kind = pred[0]
    if kind == "null":
        raise JavaThrows
    if kind == "set":
        chars = pred[1]
        assert isinstance(chars, CharSet)
        return chars
    if kind == "bits":
        bits = pred[1]
        assert isinstance(bits, Bits)
        return CharSet.of(*bits.points)
    if kind == "not":
        return ~evaluate(pred[1])  # type: ignore[arg-type]
    left, right = evaluate(pred[1]), evaluate(pred[2])  # type: ignore[arg-type]
    return left | right if kind == "or" else left & right


def _ascii_lower(ch: int) -> int:
    return ch + 0x20 if 0x41 <= ch <= 0x5A else ch


def _ascii_upper(ch: int) -> int:
    return ch - 0x20 if 0x61 <= ch <= 0x7A else ch


@cache
def case_folds() -> dict[int, frozenset[int]]:
    """key -> the other code points c with toLowerCase(toUpperCase(c)) == key (Pattern's SingleU and SliceU)."""
    upper, lower = uc.case_maps()
    out: dict[int, set[int]] = {}
    for point in set(upper) | set(lower):
        key = uc.java_lower(uc.java_upper(point))
        if key != point:
            out.setdefault(key, set()).add(point)
    return {key: frozenset(points) for key, points in out.items()}


def unicode_case_single(key: int) -> CharSet:
    """SingleU(key): c == key, or toLowerCase(toUpperCase(c)) == key."""
    return CharSet.of(key, *case_folds().get(key, ()))


class ClassReader(Reader):
    """Reading classes and single characters, with the flags in force."""

    def single(self, ch: int) -> CharSet:
        """Pattern.single: one literal character (alone, or in a class outside the Latin-1 bits)."""
        if self.has(CASE_INSENSITIVE):
            if self.has(UNICODE_CASE):
                upper = uc.java_upper(ch)
                lower = uc.java_lower(upper)
                if upper != lower:
                    return unicode_case_single(lower)
            elif ch < 0x80:
                lower, upper = _ascii_lower(ch), _ascii_upper(ch)
                if lower != upper:
                    return CharSet.of(lower, upper)
        return CharSet.of(ch)

    def slice_chars(self, chars: list[int]) -> list[CharSet]:
        """Pattern.newSlice: two or more literal characters in a row."""
        if not self.has(CASE_INSENSITIVE):
            return [CharSet.of(ch) for ch in chars]
        if self.has(UNICODE_CASE):
            return [unicode_case_single(uc.java_lower(uc.java_upper(ch))) for ch in chars]
        out = []
        for ch in chars:
            key = _ascii_lower(ch)
            out.append(CharSet.of(key, key - 0x20) if 0x61 <= key <= 0x7A else CharSet.of(key))
        return out

    def ci_range(self, low: int, high: int) -> CharSet:
        if self.has(UNICODE_CASE):  # CIRangeU
            extra = [
                point
                for point in set(uc.case_maps()[0]) | set(uc.case_maps()[1])
                if low <= uc.java_upper(point) <= high or low <= uc.java_lower(uc.java_upper(point)) <= high
            ]
            return CharSet.span(low, high) | CharSet.of(*extra)
        extra = [  # CIRange
            point for point in range(0x80) if low <= _ascii_upper(point) <= high or low <= _ascii_lower(point) <= high
        ]
        return CharSet.span(low, high) | CharSet.of(*extra)

    # -- [...] ------------------------------------------------------------------------------------------------

    def clazz(self, consume: bool) -> Pred:
        """Pattern.clazz: the class from ``[`` to its ``]`` (consumed when ``consume``)."""
        prev: Pred | None = None
        curr: Pred | None = None
        bits = Bits()
        bits_pred: Pred = ("bits", bits)
        negated = False
        has_bits = False
        ch = self.next()
        if ch == 0x5E and self.temp[self.cursor - 1] == 0x5B:  # [^
            ch = self.next()
            negated = True
        while True:
            if ch == 0x5B:  # [
                curr = self.clazz(True)
                prev = curr if prev is None else ("or", prev, curr)
                ch = self.peek()
                continue
            if ch == 0x26:  # &
                ch = self.next()
                if ch == 0x26:
                    ch = self.next()
                    right: Pred | None = None
                    while ch not in (0x5D, 0x26):
                        if ch == 0x5B:
                            nested = self.clazz(True)
                        else:
                            self.unread()
                            nested = self.clazz(False)
                        right = nested if right is None else ("or", right, nested)
                        ch = self.peek()
                    if has_bits:
                        if prev is None:
                            prev = curr = bits_pred
                        else:
                            prev = ("or", prev, bits_pred)
                        has_bits = False
                    if right is not None:
                        curr = right
                    if prev is None:
                        if right is None:
                            raise self.error("Bad class syntax")
                        prev = right
                    else:
                        prev = ("and", prev, curr if curr is not None else ("null",))
                    continue
                self.unread()  # a literal &
            elif ch == 0 and self.cursor >= self.length:
                raise self.error("Unclosed character class")
            elif ch == 0x5D and (prev is not None or has_bits):  # ]
                if consume:
                    self.next()
                if prev is None:
                    prev = bits_pred
                elif has_bits:
                    prev = ("or", prev, bits_pred)
                return ("not", prev) if negated else prev
            curr = self.range(bits)
            if curr is None:
                has_bits = True
            elif prev is None:
                prev = curr
            elif prev is not curr:
                prev = ("or", prev, curr)
            ch = self.peek()

    def bits_or_single(self, bits: Bits, ch: int) -> Pred | None:
        unicode_case = self.has(CASE_INSENSITIVE) and self.has(UNICODE_CASE)
        if ch < 256 and not (unicode_case and ch in CASE_ESCAPES_LATIN1):
            bits.add(ch, self.flags)
            return None
        return ("set", self.single(ch))

    def range(self, bits: Bits) -> Pred | None:
        """Pattern.range: one character, a range, an escape or a property, inside a class."""
        ch = self.peek()
        if ch == 0x5C:
            ch = self.next_escaped()
            if ch in (0x70, 0x50):  # p, P
                complement = ch == 0x50
                one_letter = True
                ch = self.next()
                if ch != 0x7B:
                    self.unread()
                else:
                    one_letter = False
                return ("set", self.family(one_letter, complement))
            is_range = self.temp[self.cursor + 1] == 0x2D
            self.unread()
            ch, chars = self.class_escape(is_range)
            if ch == -1:
                assert chars is not None
                return ("set", chars)
        else:
            self.next()
        if ch >= 0:
            if self.peek() == 0x2D:  # -
                end_range = self.temp[self.cursor + 1]
                if end_range == 0x5B:
                    return self.bits_or_single(bits, ch)
                if end_range != 0x5D:
                    self.next()
                    m = self.peek()
                    if m == 0x5C:
                        m = self.range_end_escape()
                    else:
                        self.next()
                    if m < ch:
                        raise self.error("Illegal character range")
                    if self.has(CASE_INSENSITIVE):
                        return ("set", self.ci_range(ch, m))
                    return ("set", CharSet.span(ch, m))
            return self.bits_or_single(bits, ch)
        raise self.error(f"Unexpected character '{chr(ch)}'")

    def class_escape(self, is_range: bool) -> tuple[int, CharSet | None]:
        raise NotImplementedError  # the parser's escape(), in a class

    def range_end_escape(self) -> int:
        raise NotImplementedError  # the parser's escape(), as a range's end

    def family(self, one_letter: bool, complement: bool) -> CharSet:
        """Pattern.family: ``\\p{name}``, ``\\pL``, ``\\P{...}``."""
        self.next()
        if one_letter:
            name = chr(self.temp[self.cursor])
            self.read()
        else:
            start = self.cursor
            self.mark(0x7D)
            while self.read() != 0x7D:
                pass
            self.mark(0)
            end = self.cursor
            if end > self.length:
                raise self.error("Unclosed character family")
            if start + 1 >= end:
                raise self.error("Empty character family")
            name = "".join(chr(c) for c in self.temp[start : end - 1])
        try:
            found = uc.family(name, self.has(CASE_INSENSITIVE), self.has(UNICODE_CHARACTER_CLASS))
        except ValueError as err:
            raise self.error(str(err)) from None
        if found is None:
            raise self.error(f"Unknown character property name {{{name}}}")
        return ~found if complement else found
