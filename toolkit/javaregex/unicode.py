"""The Unicode facts java.util.regex reads from java.lang.Character, as OpenJDK 17 has them (Unicode 13), and the
properties ``\\p{...}`` names built from them exactly as ``java.util.regex.CharPredicates`` builds them.

The facts are ``java_unicode.json``, written by ``tests/oracles/java/UnicodeTables.java`` on OpenJDK 17 (a test
runs it again and compares): Python's own ``unicodedata`` is Unicode 14 and knows no scripts or blocks, so reading
it would answer differently from Java for the characters Unicode 14 added.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Final

from toolkit.javaregex.charset import ALL, EMPTY, CharSet
from toolkit.records import Record

TABLES: Final = "java_unicode.json"

# java.util.regex.ASCII's character types
ASCII_UPPER: Final = CharSet.span(0x41, 0x5A)
ASCII_LOWER: Final = CharSet.span(0x61, 0x7A)
ASCII_ALPHA: Final = ASCII_UPPER | ASCII_LOWER
ASCII_DIGIT: Final = CharSet.span(0x30, 0x39)
ASCII_ALNUM: Final = ASCII_ALPHA | ASCII_DIGIT
ASCII_SPACE: Final = CharSet.of(0x20) | CharSet.span(0x09, 0x0D)
ASCII_BLANK: Final = CharSet.of(0x20, 0x09)
ASCII_CNTRL: Final = CharSet.span(0, 0x1F) | CharSet.of(0x7F)
ASCII_PUNCT: Final = CharSet(((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)))
ASCII_GRAPH: Final = ASCII_PUNCT | ASCII_ALNUM
ASCII_XDIGIT: Final = ASCII_DIGIT | CharSet.span(0x41, 0x46) | CharSet.span(0x61, 0x66)
ASCII_WORD: Final = ASCII_ALNUM | CharSet.of(0x5F)

# Pattern.HorizWS(), Pattern.VertWS(), Pattern.DOT(), Pattern.UNIXDOT()
HORIZONTAL_SPACE: Final = CharSet.of(0x09, 0x20, 0xA0, 0x1680, 0x180E, 0x202F, 0x205F, 0x3000) | CharSet.span(
    0x2000, 0x200A
)
VERTICAL_SPACE: Final = CharSet.span(0x0A, 0x0D) | CharSet.of(0x85, 0x2028, 0x2029)
LINE_TERMINATORS: Final = CharSet.of(0x0A, 0x0D, 0x85, 0x2028, 0x2029)
DOT: Final = ~LINE_TERMINATORS
UNIX_DOT: Final = ~CharSet.of(0x0A)

CATEGORY_GROUPS: Final = {
    "L": ("Lu", "Ll", "Lt", "Lm", "Lo"),
    "M": ("Mn", "Me", "Mc"),
    "N": ("Nd", "Nl", "No"),
    "Z": ("Zs", "Zl", "Zp"),
    "C": ("Cc", "Cf", "Co", "Cs", "Cn"),
    "P": ("Pd", "Ps", "Pe", "Pc", "Po", "Pi", "Pf"),
    "S": ("Sm", "Sc", "Sk", "So"),
    "LC": ("Lu", "Ll", "Lt"),
    "LD": ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd"),
}
CASED: Final = ("Lu", "Ll", "Lt")


class Tables(Record):
    """The JDK's tables, each set parsed when first asked for (a ``Record``: a dataclass's cost at import spared,
    issue 19)."""

    __slots__ = _FIELDS = ("data",)
    data: dict[str, object]

    def __init__(self, data: dict[str, object]) -> None:
        object.__setattr__(self, "data", data)

    def _section(self, name: str) -> dict[str, str]:
        section = self.data[name]
        assert isinstance(section, dict)
        return section

    def category(self, name: str) -> CharSet:
        return CharSet.parse(self._section("categories").get(name, ""))

    def categories(self, *names: str) -> CharSet:
        out = EMPTY
        for name in names:
            out = out | self.category(name)
        return out

    def property(self, name: str) -> CharSet:
        return CharSet.parse(self._section("properties")[name])

    def script(self, name: str) -> CharSet | None:
        """``Character.UnicodeScript.forName(name)``'s characters, or None when it names no script."""
        canonical = self._section("script_names").get(name.upper())
        return None if canonical is None else CharSet.parse(self._section("scripts").get(canonical, ""))

    def block(self, name: str) -> CharSet | None:
        """``Character.UnicodeBlock.forName(name)``'s characters, or None when it names no block."""
        canonical = self._section("block_names").get(name.upper())
        return None if canonical is None else CharSet.parse(self._section("blocks").get(canonical, ""))

    def canonical_blocks(self) -> frozenset[str]:
        """The blocks' own names (``UnicodeBlock.toString()``: BASIC_LATIN, CJK_UNIFIED_IDEOGRAPHS...)."""
        return frozenset(self._section("blocks"))

    def mapping(self, name: str) -> dict[int, int]:
        text = self.data[name]
        assert isinstance(text, str)
        return {int(key, 16): int(value, 16) for key, _, value in (pair.partition(":") for pair in text.split())}


@cache
def tables() -> Tables:
    """The JDK's tables, read once per process (package data: immutable)."""
    from importlib.resources import files  # lazy: importlib.resources, only for a pattern that needs the tables

    return Tables(json.loads((files("toolkit.javaregex") / TABLES).read_text(encoding="utf-8")))


@cache
def case_maps() -> tuple[dict[int, int], dict[int, int]]:
    """``Character.toUpperCase`` and ``Character.toLowerCase`` where they change a code point."""
    return tables().mapping("upper"), tables().mapping("lower")


def java_upper(point: int) -> int:
    return case_maps()[0].get(point, point)


def java_lower(point: int) -> int:
    return case_maps()[1].get(point, point)


# -- java.lang.Character's predicates -------------------------------------------------------------------------------


def _letter(t: Tables) -> CharSet:
    return t.categories(*CATEGORY_GROUPS["L"])


def _digit(t: Tables) -> CharSet:
    return t.category("Nd")


def _lowercase(t: Tables) -> CharSet:
    return t.property("lowercase")


def _uppercase(t: Tables) -> CharSet:
    return t.property("uppercase")


def _titlecase(t: Tables) -> CharSet:
    return t.category("Lt")


def _any_case(t: Tables) -> CharSet:
    return _lowercase(t) | _uppercase(t) | _titlecase(t)


def white_space(t: Tables) -> CharSet:
    """CharPredicates.WHITE_SPACE(): Zs, Zl, Zp, \\t-\\r and U+0085."""
    return t.categories("Zs", "Zl", "Zp") | CharSet.span(0x09, 0x0D) | CharSet.of(0x85)


def _punctuation(t: Tables) -> CharSet:
    return t.categories(*CATEGORY_GROUPS["P"])


def _hex_digit(t: Tables) -> CharSet:
    extra = ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66), (0xFF10, 0xFF19), (0xFF21, 0xFF26), (0xFF41, 0xFF46))
    return _digit(t) | CharSet(extra)


def _alnum(t: Tables) -> CharSet:
    return t.property("alphabetic") | _digit(t)


def _blank(t: Tables) -> CharSet:
    return t.category("Zs") | CharSet.of(0x09)


def _graph(t: Tables) -> CharSet:
    return ~t.categories("Zs", "Zl", "Zp", "Cc", "Cs", "Cn")


def _print(t: Tables) -> CharSet:
    return (_graph(t) | _blank(t)) - t.category("Cc")


def join_control() -> CharSet:
    return CharSet.span(0x200C, 0x200D)


def word(t: Tables) -> CharSet:
    """CharPredicates.WORD(), ``\\w`` under UNICODE_CHARACTER_CLASS."""
    return t.property("alphabetic") | t.categories("Mn", "Me", "Mc", "Nd", "Pc") | join_control()


def letter_or_digit(t: Tables) -> CharSet:
    """Character.isLetterOrDigit: what ``\\b`` counts as a word character by default (OpenJDK 17)."""
    return _letter(t) | _digit(t)


def _noncharacter() -> CharSet:
    out = CharSet.span(0xFDD0, 0xFDEF)
    for plane in range(17):
        out = out | CharSet.span(plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF)
    return out


Property = Callable[[Tables, bool], CharSet]
"""A property's characters, given the tables and whether CASE_INSENSITIVE is on."""


def _fixed(build: Callable[[Tables], CharSet]) -> Property:
    return lambda t, _ci: build(t)


def _cased(plain: Callable[[Tables], CharSet]) -> Property:
    return lambda t, ci: _any_case(t) if ci else plain(t)


# CharPredicates.getPosixPredicate: \p{Alpha}... under UNICODE_CHARACTER_CLASS, and \p{IsAlpha}...
POSIX: Final[dict[str, Property]] = {
    "ALPHA": _fixed(lambda t: t.property("alphabetic")),
    "LOWER": _cased(_lowercase),
    "UPPER": _cased(_uppercase),
    "SPACE": _fixed(white_space),
    "PUNCT": _fixed(_punctuation),
    "XDIGIT": _fixed(_hex_digit),
    "ALNUM": _fixed(_alnum),
    "CNTRL": _fixed(lambda t: t.category("Cc")),
    "DIGIT": _fixed(_digit),
    "BLANK": _fixed(_blank),
    "GRAPH": _fixed(_graph),
    "PRINT": _fixed(_print),
}

# CharPredicates.getUnicodePredicate: \p{IsAlphabetic}... (OpenJDK 17 has no Emoji properties)
UNICODE: Final[dict[str, Property]] = {
    "ALPHABETIC": _fixed(lambda t: t.property("alphabetic")),
    "ASSIGNED": _fixed(lambda t: ~t.category("Cn")),
    "CONTROL": _fixed(lambda t: t.category("Cc")),
    "HEXDIGIT": _fixed(_hex_digit),
    "HEX_DIGIT": _fixed(_hex_digit),
    "IDEOGRAPHIC": _fixed(lambda t: t.property("ideographic")),
    "JOINCONTROL": _fixed(lambda _t: join_control()),
    "JOIN_CONTROL": _fixed(lambda _t: join_control()),
    "LETTER": _fixed(_letter),
    "LOWERCASE": _cased(_lowercase),
    "NONCHARACTERCODEPOINT": _fixed(lambda _t: _noncharacter()),
    "NONCHARACTER_CODE_POINT": _fixed(lambda _t: _noncharacter()),
    "TITLECASE": _cased(_titlecase),
    "PUNCTUATION": _fixed(_punctuation),
    "UPPERCASE": _cased(_uppercase),
    "WHITESPACE": _fixed(white_space),
    "WHITE_SPACE": _fixed(white_space),
    "WORD": _fixed(word),
}


def _category(name: str) -> Property:
    if name in CASED:
        return lambda t, ci: t.categories(*CASED) if ci else t.category(name)
    return _fixed(lambda t: t.category(name))


def _group(names: tuple[str, ...]) -> Property:
    return _fixed(lambda t: t.categories(*names))


def _ascii(chars: CharSet) -> Property:
    return lambda _t, _ci: chars


# CharPredicates.forProperty: categories, POSIX classes (ASCII), java.lang.Character's methods; names as written
PROPERTIES: Final[dict[str, Property]] = {
    **{
        name: _category(name)
        for name in (
            *("Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Me", "Mc", "Nd", "Nl", "No", "Zs", "Zl", "Zp"),
            *("Cc", "Cf", "Co", "Cs", "Pd", "Ps", "Pe", "Pc", "Po", "Sm", "Sc", "Sk", "So", "Pi", "Pf"),
        )
    },
    **{name: _group(members) for name, members in CATEGORY_GROUPS.items()},
    "L1": _ascii(CharSet.span(0, 0xFF)),
    "all": _ascii(ALL),
    "ASCII": _ascii(CharSet.span(0, 0x7F)),
    "Alnum": _ascii(ASCII_ALNUM),
    "Alpha": _ascii(ASCII_ALPHA),
    "Blank": _ascii(ASCII_BLANK),
    "Cntrl": _ascii(ASCII_CNTRL),
    "Digit": _ascii(ASCII_DIGIT),
    "Graph": _ascii(ASCII_GRAPH),
    "Lower": lambda _t, ci: ASCII_ALPHA if ci else ASCII_LOWER,
    "Print": _ascii(CharSet.span(0x20, 0x7E)),
    "Punct": _ascii(ASCII_PUNCT),
    "Space": _ascii(ASCII_SPACE),
    "Upper": lambda _t, ci: ASCII_ALPHA if ci else ASCII_UPPER,
    "XDigit": _ascii(ASCII_XDIGIT),
    "javaLowerCase": _cased(_lowercase),
    "javaUpperCase": _cased(_uppercase),
    "javaAlphabetic": _fixed(lambda t: t.property("alphabetic")),
    "javaIdeographic": _fixed(lambda t: t.property("ideographic")),
    "javaTitleCase": _cased(_titlecase),
    "javaDigit": _fixed(_digit),
    "javaDefined": _fixed(lambda t: ~t.category("Cn")),
    "javaLetter": _fixed(_letter),
    "javaLetterOrDigit": _fixed(letter_or_digit),
    "javaJavaIdentifierStart": _fixed(lambda t: t.property("javaIdentifierStart")),
    "javaJavaIdentifierPart": _fixed(lambda t: t.property("javaIdentifierPart")),
    "javaUnicodeIdentifierStart": _fixed(lambda t: t.property("unicodeIdentifierStart")),
    "javaUnicodeIdentifierPart": _fixed(lambda t: t.property("unicodeIdentifierPart")),
    "javaIdentifierIgnorable": _fixed(lambda t: t.property("identifierIgnorable")),
    "javaSpaceChar": _fixed(lambda t: t.categories("Zs", "Zl", "Zp")),
    "javaWhitespace": _fixed(lambda t: t.property("whitespace")),
    "javaISOControl": _ascii(CharSet.span(0, 0x1F) | CharSet.span(0x7F, 0x9F)),
    "javaMirrored": _fixed(lambda t: t.property("mirrored")),
}


def family(name: str, case_insensitive: bool, unicode_classes: bool) -> CharSet | None:
    """What ``\\p{name}`` matches, as Pattern.family() resolves the name; None when Java knows no such property.

    Raises ValueError (its message Java's) for ``\\p{key=value}`` with a key or value Java does not know."""
    t = tables()
    if "=" in name:
        key, _, value = name.partition("=")
        key = _english_lower(key)
        found: CharSet | None = None
        if key in ("sc", "script"):
            found = t.script(value)
        elif key in ("blk", "block"):
            found = t.block(value)
        elif key in ("gc", "general_category"):
            build = PROPERTIES.get(value)
            found = None if build is None else build(t, case_insensitive)
        if found is None:
            raise ValueError(f"Unknown Unicode property {{name=<{key}>, value=<{value}>}}")
        return found
    if name.startswith("In"):
        return t.block(name[2:])
    if name.startswith("Is"):
        short = name[2:]
        build = UNICODE.get(short.upper()) or POSIX.get(short.upper()) or PROPERTIES.get(short)
        if build is not None:
            return build(t, case_insensitive)
        return t.script(short)
    build = (POSIX.get(name.upper()) if unicode_classes else None) or PROPERTIES.get(name)
    return None if build is None else build(t, case_insensitive)


def _english_lower(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c.lower() for c in text)
