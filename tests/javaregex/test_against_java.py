"""toolkit.javaregex against java.util.regex itself (OpenJDK 17, through tests/oracles/java/RegexOracle.java): every
allowedPattern of the corpus, hand-picked cases where Java and a naive reading part, and patterns and values
hypothesis generates from every construct Java knows. ``matches()`` is what SSM asks (the whole value must match)."""

from __future__ import annotations

import pytest

from tests.conftest import corpus_files
from tests.javaregex.cases import ANSWERS, REFUSED
from tests.oracles.regex_compare import compare, corpus_patterns, corpus_questions, generated_questions
from tests.oracles.regex_oracle import JavaRegexOracle
from toolkit.javaregex import PatternError, compile_java
from toolkit.javaregex.charset import CharSet
from toolkit.javaregex.nodes import Chars
from toolkit.javaregex.parser import Parser

GENERATED_PATTERNS = 1000
"""Enough generated patterns for at least 5,000 pattern and value pairs (asserted)."""


def test_the_recorded_answers_are_javas(java: JavaRegexOracle) -> None:
    """tests/javaregex/cases.py, which the JDK-less tests trust, says what Java says."""
    by_pattern: dict[str, list[tuple[str, bool | None]]] = {}
    for pattern, value, answer in ANSWERS:
        by_pattern.setdefault(pattern, []).append((value, answer))
    questions = [(pattern, [value for value, _ in rows]) for pattern, rows in by_pattern.items()]
    for (pattern, rows), answer in zip(by_pattern.items(), java.ask_many(questions), strict=True):
        assert answer.error is None, pattern
        assert list(answer.matches) == [expected for _, expected in rows], pattern
    for pattern, description in REFUSED:
        assert java.ask(pattern, []).error == description, pattern


def test_hand_picked_cases_agree_with_java(java: JavaRegexOracle) -> None:
    questions: dict[str, list[str]] = {}
    for pattern, value, _ in ANSWERS:
        questions.setdefault(pattern, []).append(value)
    tally = compare(java, list(questions.items()))
    assert tally.differences == []
    assert tally.agree >= 250


def test_patterns_java_refuses_are_refused_with_javas_words() -> None:
    for pattern, description in REFUSED:
        try:
            compiled = compile_java(pattern)
        except PatternError as err:
            assert err.description == description, pattern
            continue
        assert compiled.construct is not None and pattern.startswith("\\N{"), pattern  # W1105, not E1103


def test_every_corpus_pattern_agrees_with_java(java: JavaRegexOracle) -> None:
    questions = corpus_questions(corpus_files())
    assert len(questions) == len(corpus_patterns(corpus_files())) >= 20
    tally = compare(java, questions)
    assert tally.differences == []
    assert tally.java_true > 0 and tally.java_false > 0  # values on both sides of the patterns
    assert tally.pairs >= 20 * len(questions)
    assert tally.wording == 0


def test_generated_patterns_and_values_agree_with_java(java: JavaRegexOracle) -> None:
    """At least 5,000 generated pattern and value pairs (fixed-seed; hypothesis also draws on the constants of the
    modules loaded, so a whole session draws others than this file alone), 0 unexplained differences; undecided
    values are the toolkit's refusals, never guesses, and few."""
    tally = compare(java, generated_questions(GENERATED_PATTERNS))
    assert tally.differences == []
    assert tally.pairs >= 5000
    assert tally.java_true >= 500 and tally.java_false >= 500
    assert tally.refused_by_both > 0 and tally.wording == 0  # Java's errors, with Java's descriptions
    assert sum(tally.undecided.values()) < tally.pairs // 10


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (r"^[\w-]+$", "tr\u00e1il"),  # the finding: Java's \w is ASCII
        (r"^[\w-]+$", "trail"),
        (r"[a-z]*", "ABCDEF"),  # matches(), not find(): the whole value
        (r"^trail$", "trail\n"),
        (r"(?i)^k+$", "\u212a"),  # the Kelvin sign is not k unless (?u)
        (r"(?iu)^k+$", "\u212a"),
    ],
)
def test_the_findings_agree_with_java(java: JavaRegexOracle, pattern: str, value: str) -> None:
    assert java.ask(pattern, [value]).matches == (compile_java(pattern).matches(value),)


PROPERTY_NAMES = (
    *("L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe"),
    *("Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cs", "Cn"),
    *("LC", "LD", "L1", "all", "ASCII", "Alnum", "Alpha", "Blank", "Cntrl", "Digit", "Graph", "Lower", "Print"),
    *("Punct", "Space", "Upper", "XDigit", "javaLowerCase", "javaUpperCase", "javaAlphabetic", "javaIdeographic"),
    *("javaTitleCase", "javaDigit", "javaDefined", "javaLetter", "javaLetterOrDigit", "javaJavaIdentifierStart"),
    *("javaJavaIdentifierPart", "javaUnicodeIdentifierStart", "javaUnicodeIdentifierPart", "javaIdentifierIgnorable"),
    *("javaSpaceChar", "javaWhitespace", "javaISOControl", "javaMirrored", "IsAlphabetic", "IsAssigned", "IsControl"),
    *("IsHexDigit", "IsHex_Digit", "IsIdeographic", "IsJoinControl", "IsLetter", "IsLowercase", "IsUppercase"),
    *("IsTitlecase", "IsNoncharacterCodePoint", "IsPunctuation", "IsWhite_Space", "IsWord", "IsAlpha", "IsDigit"),
    *("IsPunct", "IsGraph", "IsPrint", "IsBlank", "IsCntrl", "IsXDigit", "IsSpace", "IsAlnum", "IsLower", "IsUpper"),
    *("IsLatin", "IsGreek", "IsHan", "IsCommon", "IsInherited", "IsUnknown", "Isarab", "sc=Cyrillic", "script=Zyyy"),
    *(
        "InBasicLatin",
        "InGreek",
        "InCJK_Unified_Ideographs",
        "InPrivate Use Area",
        "blk=Arabic",
        "block=Latin-1 Supplement",
    ),
    *("gc=Lu", "general_category=Nd", "IsLu", "IsL", "IsN"),
)


def _edges(pattern: str, count: int = 48) -> list[str]:
    """Code points at the edges of what the toolkit says ``pattern`` matches: where a wrong table would show."""
    tree = Parser(pattern).parse()
    chars = tree.chars if isinstance(tree, Chars) else CharSet()
    points = sorted(
        {p for low, high in chars.ranges for p in (low - 1, low, high, high + 1) if 0 <= p <= 0x10FFFF}
        | {0x41, 0x61, 0xE9, 0x130, 0x131, 0x17F, 0x212A, 0x1C5, 0x2028, 0x0301, 0x1F600}
    )
    step = max(1, len(points) // count)
    return [chr(point) for point in points[::step]]


@pytest.mark.parametrize("flags", ["", "(?i)", "(?U)", "(?iu)"])
def test_every_property_agrees_with_java_at_its_edges(java: JavaRegexOracle, flags: str) -> None:
    """Each \\p{...} name Java knows, under each flag that changes it: the JDK's tables, and CharPredicates' rules
    (POSIX classes ASCII unless (?U), Lu/Ll/Lt and Lower/Upper widened by case-insensitivity)."""
    questions = [(f"{flags}\\p{{{name}}}", _edges(f"{flags}\\p{{{name}}}")) for name in PROPERTY_NAMES]
    questions += [(f"{flags}[\\w\\d\\s\\h\\v]", _edges(f"{flags}[\\w\\d\\s\\h\\v]"))]
    tally = compare(java, questions)
    assert tally.differences == [] and tally.refused_by_both == 0
    assert tally.pairs >= 40 * len(questions)


def test_the_conformance_section_is_written_from_the_comparison(java: JavaRegexOracle) -> None:
    """docs/conformance.md's section: the same comparison, in a process of its own, its figures in a table."""
    from tests.oracles.regex_section import TITLE, section  # lazy: the section runs its comparison (seconds)

    text = section()
    assert text.startswith(TITLE + "\n") and TITLE == "## Regular expressions (java.util.regex, OpenJDK 17)"
    rows = [line for line in text.splitlines() if line.startswith(("| corpus", "| generated"))]
    assert len(rows) == 2 and all(row.endswith("| 0 |") for row in rows)  # no unexplained difference
    generated_pairs = int(rows[1].split("|")[3].replace(",", ""))
    assert generated_pairs >= 5000
    assert "### Differences left" in text and "### Values the toolkit does not decide" in text
