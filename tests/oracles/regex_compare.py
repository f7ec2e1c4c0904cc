"""toolkit.javaregex against java.util.regex: the comparison tests/javaregex/test_against_java.py asserts and the
conformance page's section (tests/oracles/regex_section.py) reports.

Two sources of questions, each a pattern and values to match it against (``matches()``, as SSM checks
allowedPattern): every allowedPattern of the corpus (with values drawn to hit both sides: strings hypothesis
generates from the translation, near misses, the parameter's own default and allowedValues, and fixed boundary
values), and patterns hypothesis generates from every construct Java knows (``regex_strategies``). Each outcome is
an agreement, a value the toolkit refuses to decide (it names why, the simulator refuses it), an explained
difference (a reason written below), or an unexplained difference: the tests require none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.oracles.regex_oracle import Answer, JavaRegexOracle
from tests.oracles.regex_strategies import java_patterns, values_for
from toolkit.javaregex import CannotDecide, JavaPattern, PatternError, compile_java

T = TypeVar("T")

BOUNDARY_VALUES: Final = ("", " ", "a", "trail", "tr\u00e1il", "x\n", "x\r\n", "x\u2028", "\u00e9", "_-.", "A1")
"""Values every corpus pattern is also asked about: empty, ASCII, a Unicode letter, line terminators at the end."""

EXPLAINED: Final = {
    "refused by Java, untranslatable here": (
        "Java refuses the pattern; the toolkit cannot read the construct Java stops at (a \\N{...} name Python's "
        "unicodedata reads otherwise), so the linter warns (W1105) where E1103 would say it does not compile"
    ),
    "Java throws": (
        "Java compiles the class but throws NullPointerException matching it ([\\pLa&&]: Pattern intersects with a "
        "null predicate); the toolkit names the class untranslatable and decides no value"
    ),
}


@dataclass
class Tally:
    """What one comparison found."""

    patterns: int = 0
    refused_by_both: int = 0
    pairs: int = 0
    agree: int = 0
    java_true: int = 0
    java_false: int = 0
    undecided: Counter[str] = field(default_factory=Counter)
    explained: Counter[str] = field(default_factory=Counter)
    wording: int = 0
    """Patterns both refuse where Java's description differs from the toolkit's (E1103's message)."""
    differences: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("patterns", "refused_by_both", "pairs", "agree", "java_true", "java_false", "wording"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.undecided.update(other.undecided)
        self.explained.update(other.explained)
        self.differences.extend(other.differences)


def compare(oracle: JavaRegexOracle, questions: list[tuple[str, list[str]]]) -> Tally:
    """Ask Java and the toolkit the same questions."""
    tally = Tally()
    for (pattern, values), answer in zip(questions, oracle.ask_many(questions), strict=True):
        _one(tally, pattern, values, answer)
    return tally


def _one(tally: Tally, pattern: str, values: list[str], answer: Answer) -> None:
    tally.patterns += 1
    try:
        ours: JavaPattern | None = compile_java(pattern)
        refused: PatternError | None = None
    except PatternError as err:
        ours, refused = None, err
    if answer.error is not None:
        if refused is not None:
            tally.refused_by_both += 1
            tally.wording += refused.description != answer.error
        elif ours is not None and ours.construct is not None:
            tally.explained["refused by Java, untranslatable here"] += 1
        else:
            tally.differences.append(f"{pattern!r}: Java refuses it ({answer.error}), the toolkit compiles it")
        return
    if ours is None:
        tally.differences.append(f"{pattern!r}: Java compiles it, the toolkit refuses it ({refused})")
        return
    for value, java in zip(values, answer.matches, strict=True):
        tally.pairs += 1
        try:
            python: bool | None = ours.matches(value)
        except CannotDecide as err:
            python = None
            if java is None:
                tally.explained["Java throws"] += 1
            else:
                tally.undecided[_reason(err.reason)] += 1
            continue
        if java is None:
            tally.differences.append(f"{pattern!r} on {value!r}: Java throws, the toolkit answers {python}")
        elif java == python:
            tally.agree += 1
            tally.java_true += java
            tally.java_false += not java
        else:
            tally.differences.append(f"{pattern!r} on {value!r}: Java {java}, the toolkit {python} ({ours.python!r})")


def _reason(reason: str) -> str:
    """A reason for refusing a value, without the pattern's or the value's particulars: the construct, or the limit."""
    if reason.startswith("it uses "):
        return "the pattern uses " + reason.removeprefix("it uses ").split(", which Python's re")[0]
    return reason


# -- the questions ------------------------------------------------------------------------------------------------


def collect(strategy: st.SearchStrategy[T], count: int, derandomize: bool | None = None) -> list[T]:
    """``count`` examples of ``strategy``: the same on every run under the tests' fixed-seed profile (ci), or with
    ``derandomize``; new ones under the dev profile (HYPOTHESIS_PROFILE=dev)."""
    found: list[T] = []

    @settings(
        max_examples=count,
        derandomize=settings.default.derandomize if derandomize is None else derandomize,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def keep(example: T) -> None:
        found.append(example)

    keep()
    return found


def corpus_patterns(files: list[Path]) -> dict[str, list[str]]:
    """Every allowedPattern of the corpus, with the values its documents give it (defaults, allowedValues)."""
    from toolkit.source import read_data  # lazy: only the corpus comparison reads documents

    found: dict[str, list[str]] = {}
    for path in files:
        try:
            data, _ = read_data(path.read_text(encoding="utf-8"), file=str(path))
        except Exception:  # a corpus file that is not a document (the corpus's own lists)
            continue
        parameters = data.get("parameters")
        if not isinstance(parameters, dict):
            continue
        for spec in parameters.values():
            if not isinstance(spec, dict) or not isinstance(spec.get("allowedPattern"), str):
                continue
            known = found.setdefault(str(spec["allowedPattern"]), [])
            for value in _strings(spec.get("default")) + _strings(spec.get("allowedValues")):
                if value not in known:
                    known.append(value)
    return found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def corpus_questions(files: list[Path], draws: int = 4, derandomize: bool | None = None) -> list[tuple[str, list[str]]]:
    """Each corpus pattern with its own values, the boundary values and values drawn to hit both sides of it."""
    questions = []
    for pattern, known in sorted(corpus_patterns(files).items()):
        try:
            compiled: JavaPattern | None = compile_java(pattern)
        except PatternError:
            compiled = None
        drawn = collect(values_for(compiled), draws, derandomize)
        values = [*known, *BOUNDARY_VALUES, *(value for values in drawn for value in values)]
        questions.append((pattern, list(dict.fromkeys(values))))
    return questions


@st.composite
def _generated(draw: st.DrawFn) -> tuple[str, list[str]]:
    pattern = draw(java_patterns)
    try:
        compiled: JavaPattern | None = compile_java(pattern)
    except PatternError:
        compiled = None
    return pattern, draw(values_for(compiled))


def generated_questions(count: int, derandomize: bool | None = None) -> list[tuple[str, list[str]]]:
    """``count`` generated patterns, each with values drawn for it."""
    return collect(_generated(), count, derandomize)


def pairs(questions: list[tuple[str, list[str]]]) -> Iterator[tuple[str, str]]:
    for pattern, values in questions:
        for value in values:
            yield pattern, value
