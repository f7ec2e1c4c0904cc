"""hypothesis strategies for the regular-expression comparison: Java patterns built from every construct
java.util.regex knows (and some it refuses), and values aimed at both sides of them (strings the translation
generates, near misses: Unicode letters, case partners, marks, line terminators at the end, characters outside
the BMP)."""

from __future__ import annotations

import re
from typing import Final

from hypothesis import strategies as st

from toolkit.javaregex import JavaPattern

LETTERS: Final = "abcxyzABCXYZ019_-. \u00e9\u00c9\u00df\u1e9e\u0130\u0131\u212ak\u017fs\u03a3\u03c3\u03c2\u01c5\u0661"
"""Characters values and literals are drawn from: ASCII, and Unicode letters, digits and case partners where Java's
ASCII-only and Unicode rules part (é/É, the Kelvin sign, long s, dotless i, final sigma, titlecase DŽ, Arabic three)."""
SPECIALS: Final = "\n\r\t\u0085\u2028\u2029\u00a0\u3000\u000b\u000c\u0301\u0300\U0001f600\U0001d518\u200d~"
VALUE_CHARS: Final = LETTERS + SPECIALS

PROPERTIES: Final = (
    *("L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "N", "Nd", "Nl", "P", "Pc", "Pd", "Ps", "Po", "S", "Sc", "Sm"),
    *("Z", "Zs", "C", "Cc", "Cf", "Cn", "LC", "LD", "L1", "all", "ASCII", "Alnum", "Alpha", "Blank", "Cntrl"),
    *("Digit", "Graph", "Lower", "Print", "Punct", "Space", "Upper", "XDigit", "javaLowerCase", "javaUpperCase"),
    *("javaLetter", "javaDigit", "javaLetterOrDigit", "javaWhitespace", "javaSpaceChar", "javaAlphabetic"),
    *("javaMirrored", "javaJavaIdentifierStart", "javaJavaIdentifierPart", "javaUnicodeIdentifierStart"),
    *("javaIdentifierIgnorable", "javaISOControl", "javaTitleCase", "javaDefined", "javaIdeographic"),
    *("IsAlphabetic", "IsLetter", "IsLowercase", "IsUppercase", "IsTitlecase", "IsPunctuation", "IsDigit"),
    *("IsWhite_Space", "IsWhiteSpace", "IsHex_Digit", "IsControl", "IsAssigned", "IsIdeographic", "IsJoin_Control"),
    *("IsNoncharacterCodePoint", "IsWord", "IsAlpha", "IsPunct", "IsSpace", "IsBlank", "IsGraph", "IsPrint"),
    *("IsCntrl", "IsXDigit", "IsAlnum", "IsLatin", "IsGreek", "IsCommon", "IsArabic", "IsHan", "Islatn", "IsL"),
    *("IsLu", "InBasicLatin", "InGreek", "InLatin-1Supplement", "InGREEK_AND_COPTIC", "InLatin_Extended-A"),
    *("sc=Latin", "script=Greek", "blk=BasicLatin", "block=Arabic", "gc=Lu", "general_category=Nd", "gc=L"),
    *("IsEmoji", "Foo", "Isfoo", "Infoo"),
)
ESCAPES: Final = (
    *(r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", r"\h", r"\H", r"\v", r"\V", r"\t", r"\n", r"\r", r"\f", r"\a"),
    *(r"\e", r"\x41", r"\xe9", r"\x{1F600}", r"\u00e9", r"\u0041", r"\uD83D\uDE00", r"\0101", r"\07", r"\cA"),
    *(r"\cj", r"\.", r"\-", r"\$", r"\^", r"\\", r"\/", r"\#", "\\\u00e9", r"\R", r"\b", r"\B", r"\A", r"\z"),
    *(r"\Z", r"\G", r"\X", r"\b{g}", r"\y", r"\k<g>", r"\Q.+\E", r"\Q\E", r"\E", "\\ "),
    *(r"\N{LATIN SMALL LETTER A}", r"\N{LATIN CAPITAL LETTER E WITH ACUTE}", r"\N{latin small letter sharp s}"),
)
ANCHORS: Final = ("^", "$", ".")
FLAGS: Final = ("i", "i", "m", "s", "d", "u", "U", "iu", "iu", "-i", "i-u", "", "x", "c")


def _literal(ch: str) -> str:
    return "\\" + ch if ch in r"\^$.|?*+()[]{}" else ch


literals = st.sampled_from(LETTERS + "\n\u0301\U0001f600&-]}").map(_literal)
escapes = st.sampled_from(ESCAPES)
properties = st.builds(
    lambda upper, name, braces: ("\\P" if upper else "\\p") + ("{" + name + "}" if braces or len(name) > 1 else name),
    st.booleans(),
    st.sampled_from(PROPERTIES),
    st.booleans(),
)


def _class(items: list[str], negated: bool) -> str:
    return "[" + ("^" if negated else "") + "".join(items) + "]"


def _classes(depth: int) -> st.SearchStrategy[str]:
    """``[...]``: characters, ranges, escapes, properties, nested classes, ``&&``."""
    item = st.one_of(
        st.sampled_from(LETTERS + "&^-[]").map(lambda c: "\\" + c if c in "[]\\" else c),
        st.tuples(st.sampled_from("aA\u00e90_ -"), st.sampled_from("zZ\u00e99_-~")).map(lambda pair: "-".join(pair)),
        st.sampled_from([r"\d", r"\w", r"\s", r"\W", r"\h", r"\v", r"\x41", r"\u00e9", r"\-", r"\[", r"\]", r"\&"]),
        properties,
        *([_classes(depth + 1)] if depth < 2 else []),
        st.just("&&"),
    )
    return st.builds(_class, st.lists(item, min_size=1, max_size=4), st.booleans())


classes: Final = _classes(0)


def quantified(atom: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    quantifier = st.sampled_from(["", "", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "{1,3}", "{0}"])
    mode = st.sampled_from(["", "", "?", "+"])
    return st.builds(lambda a, q, m: a + q + (m if q else ""), atom, quantifier, mode)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    sequence = st.lists(quantified(inner), min_size=1, max_size=3).map("".join)
    alternation = st.lists(sequence, min_size=2, max_size=3).map("|".join)
    opener = st.sampled_from(["(", "(?:", "(?<g>", "(?=", "(?!", "(?<=", "(?<!", "(?>"])
    flagged = st.sampled_from(FLAGS).map(lambda f: f"(?{f}:")
    group = st.builds(lambda o, body: o + body + ")", st.one_of(opener, flagged), st.one_of(sequence, alternation))
    flag_only = st.sampled_from(FLAGS).map(lambda f: f"(?{f})")
    backref = st.sampled_from([r"\1", r"\2", r"\k<g>", r"\11"])
    return st.one_of(sequence, alternation, group, flag_only, backref)


LEAF: Final = st.one_of(literals, literals, escapes, properties, classes, st.sampled_from(ANCHORS))
BODY: Final = st.recursive(LEAF, _extend, max_leaves=8)
BROKEN: Final = ("(", ")", "[", "{", "\\", "*", "[a-", "(?<=a+)", "(?<=\\1)", "{,2}", "a{3,1}", "#")
"""What Java refuses (or Python cannot follow), added now and then at a pattern's end."""


def _pattern(pieces: list[str], tail: int) -> str:
    return "".join(pieces) + (BROKEN[tail // 20] if tail % 20 == 7 else "")


java_patterns: Final = st.builds(
    _pattern,
    st.lists(quantified(BODY) | LEAF, min_size=1, max_size=3),
    st.integers(0, len(BROKEN) * 20 - 1),
)
"""A Java pattern of every construct (one in about twenty ends with something Java refuses)."""


@st.composite
def values_for(draw: st.DrawFn, pattern: JavaPattern | None) -> list[str]:
    """Values aimed at both sides of a pattern: generated from its translation (each class narrowed to the
    characters values are drawn from), then altered (near misses)."""
    out: list[str] = []
    sample = None if pattern is None else pattern.sample_pattern(VALUE_CHARS)
    if sample is not None:
        try:
            generated = draw(st.lists(st.from_regex(re.compile(sample), fullmatch=True), min_size=2, max_size=4))
        except Exception:  # hypothesis cannot generate from every construct (possessive, atomic, huge classes)
            generated = []
        out.extend(generated)
    for base in list(out[:3]) or [""]:
        out.extend(draw(st.lists(near_miss(base), min_size=1, max_size=2)))
    out.extend(draw(st.lists(st.text(alphabet=VALUE_CHARS, max_size=6), min_size=4, max_size=6)))
    return [value for value in dict.fromkeys(out) if len(value) <= 200]


def near_miss(value: str) -> st.SearchStrategy[str]:
    """The value changed a little where Java and Python part: a character swapped for a Unicode one or its case
    partner, a line terminator added at the end, one character dropped or doubled."""
    swaps = "\u00e9\u00c9\u212a\u017f\u0131\u0130\u00df\u1e9e\u03c3\u03c2\u01c5\u0661\u0301\U0001f600"
    ends = ["\n", "\r\n", "\r", "\u0085", "\u2028", " "]

    def change(choice: int, where: int, swap: str, end: str) -> str:
        i = where % (len(value) + 1)
        if choice == 0:
            return value + end
        if choice == 1:
            return value[:i] + swap + value[i + 1 :]
        if choice == 2:
            return value[:i] + value[i + 1 :]
        if choice == 3:
            return value[:i] + value[i : i + 1] * 2 + value[i + 1 :]
        return value.swapcase()

    return st.builds(change, st.integers(0, 4), st.integers(0, 50), st.sampled_from(swaps), st.sampled_from(ends))
