"""toolkit.javaregex without a JDK: the translation answers as Java's recorded answers say (tests/javaregex/cases.py,
checked against Java itself by test_against_java.py), refuses what Java refuses with Java's words, and names what
Python cannot express instead of guessing."""

from __future__ import annotations

import re
import warnings

import pytest

from tests.javaregex.cases import ANSWERS, REFUSED
from toolkit.javaregex import CannotDecide, PatternError, compile_java
from toolkit.javaregex.charset import CharSet


def _decided(pattern: str, value: str) -> bool | None:
    try:
        return compile_java(pattern).matches(value)
    except CannotDecide:
        return None


def test_every_recorded_answer_is_given_or_refused() -> None:
    """Each of Java's recorded answers is the translation's, or a value the translation refuses to decide; the
    refusals are exactly the constructs and limits the module names."""
    refused = []
    for pattern, value, java in ANSWERS:
        ours = _decided(pattern, value)
        if ours is None:
            refused.append((pattern, value))
        else:
            assert ours == java, (pattern, value)
    assert refused == [
        (r"(?iu)(a)\1", "aA"),  # a case-insensitive back-reference under UNICODE_CASE
        (r"(?<=a.)b", "a\U0001f600b"),  # a look-behind Java measures in UTF-16 units
        (r"(?<=a\x{1F600})b", "a\U0001f600b"),
        (r".(?<=\x{1F600})", "\U0001f600"),
        (r"(?<=a+)b", "ab"),  # an unbounded look-behind
        (r"a(?<=xa+)b", "xab"),
        (r"(?<=a{1,2}+)b", "aab"),  # possessive inside a look-behind of several widths
        (r"a(?<=(?>ab|a))", "a"),
        (r"\b{g}", ""),  # a grapheme cluster boundary
        (r"(?<=a*)b", "a"),
    ]


@pytest.mark.parametrize(("pattern", "description"), REFUSED)
def test_what_java_refuses_is_refused(pattern: str, description: str) -> None:
    try:
        compiled = compile_java(pattern)
    except PatternError as err:
        assert err.description == description
        assert str(err).startswith(description + " near index ")
        return
    assert compiled.construct is not None  # a \N{...} name read otherwise: W1105 rather than E1103
    assert pattern.startswith("\\N{")


@pytest.mark.parametrize(
    ("pattern", "value", "java"),
    [
        (r"^[\w-]+$", "tr\u00e1il", False),  # the finding: Java's \w is ASCII (Python's is Unicode)
        (r"^[\w-]+$", "trail", True),
        (r"\d", "\u0661", False),  # ASCII digits only
        (r"\s", "\u00a0", False),
        (r"(?U)\w+", "tr\u00e1il", True),  # UNICODE_CHARACTER_CLASS
        (r"\bx", "\u00e9x", False),  # but \b knows Unicode letters (OpenJDK 17)
        (r"[a-z]*", "ABCDEF", False),  # the whole value must match: matches(), not find()
        (r"^trail$", "trail\n", False),  # $ matches before a final line terminator, which is still unmatched
        (r"^trail$\r\n", "trail\r\n", True),
        (r"^trail\Z\u2028", "trail\u2028", True),
        (r".", "\u0085", False),  # . stops at every line terminator Java knows
        (r"\p{Punct}", "\u00ab", False),  # POSIX classes are ASCII
        (r"\p{IsPunctuation}", "\u00ab", True),
        (r"\p{L}\p{InGreek}\p{IsLatin}", "\u00e9\u03a3a", True),
        (r"\Qa.b\E", "a.b", True),
        (r"\Qa.b\E", "axb", False),
        (r"[a-z&&[^aeiou]]+", "xyz", True),
        (r"[a-z&&[^aeiou]]+", "xaz", False),
        (r"(?i)k", "\u212a", False),  # case-insensitive is ASCII only...
        (r"(?iu)k", "\u212a", True),  # ... unless UNICODE_CASE
        (r"a++a", "aa", False),  # possessive
        (r"(?>a|ab)c", "abc", False),  # atomic
        (r"\h+\v", "\u00a0\t\u2028", True),
        (r"x\R", "x\r\n", True),
    ],
)
def test_java_semantics(pattern: str, value: str, java: bool) -> None:
    assert compile_java(pattern).matches(value) is java


@pytest.mark.parametrize(
    ("pattern", "construct"),
    [
        (r"\X", r"\X (an extended grapheme cluster)"),
        (r"a\b{g}b", r"\b{g} (a grapheme cluster boundary)"),
        (r"(?<=a+)b", "a look-behind of unbounded length"),
        (r"\1(a)", r"a back-reference to a group not closed where it stands (\1)"),
        (r"(a\1)", r"a back-reference to a group not closed where it stands (\1)"),
        (r"(?iu)(a)\1", "a case-insensitive back-reference under UNICODE_CASE"),
        (r"(?c)[a]", "a class under CANON_EQ ((?c): canonical equivalence)"),
        (r"[\pLa&&]", "a class Java fails on when matching ('&&' after a character: NullPointerException)"),
        (r"\N{LINE FEED (LF)}", r"\N{LINE FEED (LF)} (a character name Python's unicodedata reads otherwise)"),
    ],
)
def test_what_python_cannot_express_is_named_not_guessed(pattern: str, construct: str) -> None:
    compiled = compile_java(pattern)
    assert compiled.construct == construct and compiled.python is None
    with pytest.raises(CannotDecide, match="Python's re cannot express"):
        compiled.matches("a")


def test_values_beyond_the_translations_limits_are_not_decided() -> None:
    bound = compile_java(r"^a.*\b$")
    assert bound.matches("a\u0301\u0301\u0301\u0301") is True  # four marks in a row: decided (their base is a)
    assert compile_java(r"^.\u0301\b$").matches(" \u0301") is False  # a mark whose base is no letter
    with pytest.raises(CannotDecide, match="non-spacing marks"):
        bound.matches("a\u0301\u0301\u0301\u0301\u0301")
    behind = compile_java(r"(?<=a.)b")
    assert behind.matches("axb") is False and behind.undecided("axb") is None
    assert behind.undecided("a\U0001f600b") is not None


def test_a_bound_beside_marks_counts_them_as_java_17_does() -> None:
    bound = compile_java(r"\w\u0301\b")  # the mark continues the word: no boundary inside it
    assert bound.matches("a\u0301") is True  # a boundary at the end, after a mark whose base is a letter
    assert compile_java(r"\u0301\b").matches("\u0301") is False  # a mark without a base is no word character


def test_the_translation_is_plain_python_without_warnings() -> None:
    """Nothing the re module warns about (a nested set "[[" or "&&" in a class is a FutureWarning in Python)."""
    for pattern, _, _ in ANSWERS:
        compiled = compile_java(pattern)
        if compiled.python is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                re.compile(compiled.python + "x")


def test_sample_patterns_generate_from_narrowed_classes() -> None:
    compiled = compile_java(r"^arn:aws:iam::\d{12}:role/[\w+=,.@-]+$")
    sample = compiled.sample_pattern("abc019:/-")
    assert sample is not None and "\\A" not in sample and "(?=" not in sample
    assert re.fullmatch(sample, "arn:aws:iam::000000000000:role/a-b")
    assert compile_java(r"\X").sample_pattern("abc") is None


def test_charset_algebra() -> None:
    letters = CharSet.span(0x61, 0x7A)
    vowels = CharSet.of(*map(ord, "aeiou"))
    consonants = letters - vowels
    assert ord("b") in consonants and ord("a") not in consonants
    assert len(consonants) == 21
    assert ~~consonants == consonants
    assert (letters | vowels) == letters and (letters & vowels) == vowels
    assert CharSet().python() == "(?!)" and CharSet.of(0x41).python() == "A"
    assert CharSet.parse("41-5a 61") == CharSet.span(0x41, 0x5A) | CharSet.of(0x61)
    assert (~CharSet.of(0x0A)).python() == "[^\\x0a]"


def test_letters_and_digits_of_every_script_are_written_as_themselves() -> None:
    """A class of Unicode's letters is a fifth of the text with them written as themselves, and Python's re reads
    it faster (Java's \\b holds four such classes); marks, spaces and punctuation stay escaped."""
    assert CharSet.of(0x3B1).python() == "\u03b1"  # Greek alpha
    assert CharSet.of(0x0662).python() == "\u0662"  # Arabic-Indic two: not a count or back-reference digit to re
    assert CharSet.span(0x4E00, 0x4E05).python() == "[\u4e00-\u4e05]"
    assert CharSet.of(0x301).python() == "\\u0301" and CharSet.of(0xA0).python() == "\\xa0"
    assert CharSet.of(0x2D).python() == "\\x2d"
    bound = compile_java(r"^\b[0-9]+\b$")
    assert bound.python is not None and len(bound.python) < 20_000
    assert bound.matches("90") and not bound.matches("9a")
    backref = compile_java("(a)\\1\u0662")
    assert backref.matches("aa\u0662") and not backref.matches("aa")
