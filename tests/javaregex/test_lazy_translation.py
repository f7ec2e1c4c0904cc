"""What building a JavaPattern compiles, and that compiling less answers the same (toolkit/javaregex/pattern.py's doc):
the skeleton settles ``construct`` as the whole translation would, and the first value, matched with each class
narrowed to its characters, gets the whole translation's answer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import corpus_files
from tests.javaregex.cases import ANSWERS
from tests.oracles.regex_compare import corpus_patterns
from toolkit.javaregex import CannotDecide, PatternError, compile_java
from toolkit.javaregex import unicode as uc
from toolkit.javaregex.charset import CharSet
from toolkit.javaregex.emit import Emitter
from toolkit.javaregex.errors import Untranslatable
from toolkit.javaregex.parser import Parser

BOUND = r"^(\b([0-9]|[1-8][0-9]|9[0-9]|[1-8][0-9]{2}|9[0-8][0-9]|99[0-9]|[1-8][0-9]{3}|10000)\b)$"


def patterns() -> list[str]:
    return sorted({pattern for pattern, _, _ in ANSWERS} | set(corpus_patterns(corpus_files())) | {BOUND})


def eager_construct(pattern: str) -> str | None:
    """``construct`` as the translation decided it before the skeleton: by compiling the whole translation."""
    parser = Parser(pattern)
    try:
        tree = parser.parse()
    except (PatternError, RecursionError):
        return compile_java(pattern).construct
    if parser.problems:
        return parser.problems[0]
    try:
        re.compile(Emitter(parser.group_count).emit(tree))
    except Untranslatable as err:
        return err.construct
    except (re.error, OverflowError) as err:
        return f"a construct Python's re refuses once translated ({err})"
    return None


@pytest.mark.parametrize("pattern", patterns())
def test_the_skeleton_settles_the_construct_as_the_whole_translation(pattern: str) -> None:
    try:
        compiled = compile_java(pattern)
    except PatternError:
        return
    assert compiled.construct == eager_construct(pattern)


def answer(pattern: str, value: str, whole: bool) -> bool | str | None:
    try:
        compiled = compile_java(pattern)
    except PatternError:
        return "refused"
    if whole:
        compiled.python  # noqa: B018 - compiles the whole translation first: the value is not the first
    try:
        return compiled.matches(value)
    except CannotDecide:
        return None


@pytest.mark.parametrize(("pattern", "value", "java"), ANSWERS)
def test_the_first_value_is_answered_as_the_whole_translation_answers(pattern: str, value: str, java: bool) -> None:
    assert answer(pattern, value, whole=False) == answer(pattern, value, whole=True)


def test_every_corpus_default_first_or_not_gets_one_answer() -> None:
    for pattern, values in corpus_patterns(corpus_files()).items():
        for value in values:
            assert answer(pattern, value, whole=False) == answer(pattern, value, whole=True), (pattern, value)


@pytest.fixture
def compiled_patterns(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    seen: list[str] = []
    original = re.compile

    def recording(pattern: str, flags: int = 0) -> re.Pattern[str]:
        seen.append(pattern)
        return original(pattern, flags)

    monkeypatch.setattr(re, "compile", recording)
    yield seen


def test_building_a_pattern_compiles_no_unicode_class(compiled_patterns: list[str]) -> None:
    """A ``\\b`` holds four classes of Unicode's letters and digits (thousands of characters of pattern text): the
    skeleton writes each as ``[a]``, and the first value's translation keeps only its own characters."""
    uc.tables.cache_clear()
    pattern = compile_java(BOUND)
    assert pattern.construct is None and pattern.bound
    assert compiled_patterns and max(len(text) for text in compiled_patterns) < 400
    assert pattern.matches("90") is True  # ASCII: Java's letters and digits there are ASCII's, no tables read
    assert max(len(text) for text in compiled_patterns) < 400
    assert uc.tables.cache_info().currsize == 0
    assert pattern.matches("100000") is False  # the second value: the whole translation
    assert max(len(text) for text in compiled_patterns) > 5000
    assert pattern.matches("a9") is False and pattern.matches("1234") is True


def test_a_value_beyond_ascii_narrows_unicode_classes_to_its_characters(compiled_patterns: list[str]) -> None:
    pattern = compile_java(r"\b\p{L}+\b")
    assert pattern.matches("\u00e9t\u00e9") is True
    assert len(compiled_patterns[-1]) < 400
    assert compile_java(r"\b\p{L}+\b").matches("\u00e9t\u00e9 ") is False
    assert compile_java(r"[\p{L}&&[^a]]x").matches("bx") is True
    assert compile_java(r"(?<=[\p{L}])x|.x").matches("1x") is True  # a class left empty is still one wide


def test_ascii_letters_and_digits_are_javas_and_no_mark_is_below_u0300() -> None:
    """The two facts the narrowed translation and the mark checks lean on, from the JDK's tables."""
    tables = uc.tables()
    assert uc.letter_or_digit(tables) & CharSet.span(0, 0x7F) == uc.ASCII_ALNUM
    assert tables.category("Mn").ranges[0][0] >= 0x300
