"""docs/conformance.md's section on regular expressions: ``section()`` runs the comparison of toolkit.javaregex
with java.util.regex (tests/oracles/regex_compare.py, the comparison the tests assert) and writes what it found.

The comparison is the tests' fixed-seed one; it runs in a process of its own (``python -m
tests.oracles.regex_section``), because hypothesis also draws on the constants of the modules a process has loaded:
a page written from inside another program would count other pairs. It takes about fifteen seconds with OpenJDK 17
at hand, and says that it could not run without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Final

from tests.conftest import ROOT, corpus_files
from tests.oracles.regex_compare import (
    EXPLAINED,
    Tally,
    compare,
    corpus_patterns,
    corpus_questions,
    generated_questions,
)
from tests.oracles.regex_oracle import NO_JDK, JavaRegexOracle

TITLE: Final = "## Regular expressions (java.util.regex, OpenJDK 17)"
GENERATED_PATTERNS: Final = 1000
"""As tests/javaregex/test_against_java.py: the same fixed-seed patterns and values."""

ABOUT: Final = """\
SSM checks every value given to a parameter with an `allowedPattern` (defaults included) before the first step:
the pattern is a java.util.regex pattern and the whole value must match it (`Matcher.matches()`, not `find()`).
AWS's Automation pages do not say so; Parameter Store's `AllowedPattern`, the same service's, is observed to: `[a-z]*`
refuses `ABCDEF` (which a search accepts through the empty match) and `[a-z]{1}` refuses the StringList `aaa,b`
(skyarch.net, "パラメータストアの StringList に文字列チェック機能を設定する"), as CloudFormation's and Service Catalog's
`AllowedPattern` must match "the entire parameter value" by their documentation. The toolkit reads every Java pattern
through one translation, `toolkit.javaregex` (the model, lint rules E1102, E1103 and W1105, the simulator's parameter
checks, the fake Parameter Store, the CloudFormation parameter checks), and this section compares it with Java's own
answers: `tests/oracles/java/RegexOracle.java` in one JVM, `matches()` on each pair."""


def section() -> str:
    """The section, computed by running the comparison in a process of its own (about fifteen seconds)."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    written = subprocess.run(
        [sys.executable, "-m", "tests.oracles.regex_section"],
        cwd=ROOT,
        env={**environment, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=600,
    )
    return written.stdout


def _compute() -> str:
    oracle = JavaRegexOracle.start()
    if oracle is None:
        return f"{TITLE}\n\nNot computed: this run had no {NO_JDK}.\n"
    with oracle:
        files = corpus_files()
        corpus = compare(oracle, corpus_questions(files, derandomize=True))
        generated = compare(oracle, generated_questions(GENERATED_PATTERNS, derandomize=True))
        version = oracle.version
    documents = len(files)
    held = "the corpus vendored in tests/data/corpus"
    return "\n".join(
        _wrapped(
            TITLE,
            "",
            ABOUT,
            "",
            f"Compared with OpenJDK {version}: every allowedPattern of {held} ({len(corpus_patterns(files))} "
            f"patterns in {documents} documents), with values drawn to hit both sides of each (strings hypothesis "
            "generates from the translation, near misses: Unicode letters and case partners, line terminators at the "
            "end, a character dropped or doubled; the parameter's own default and allowedValues; boundary values), "
            f"and {GENERATED_PATTERNS:,} patterns hypothesis generates from every construct Java knows (now and then "
            "one Java refuses), each with its own values.",
            "",
            "| source | patterns | pairs | Java: matches / not | agree | not decided | differences |",
            "|---|---|---|---|---|---|---|",
            _row("corpus allowedPatterns", corpus),
            _row("generated (fixed seed)", generated),
            "",
            f"Patterns Java refuses: {corpus.refused_by_both + generated.refused_by_both} of those compared, every "
            "one refused by the toolkit too, with Java's own description "
            f"({corpus.wording + generated.wording} worded otherwise).",
            "",
            "### Differences left",
            "",
            *_differences(corpus, generated),
            "",
            "### Values the toolkit does not decide",
            "",
            "Where Python's `re` cannot express what Java does, the toolkit says so instead of guessing: lint rule "
            "W1105 names the pattern, and the simulator refuses the value (NotModeledBySimulator) with the reason.",
            "",
            *_undecided(corpus, generated),
            "",
            "### Decisions",
            "",
            "- The oracle is OpenJDK 17, the JDK Debian packages here. Its `\\b` counts every Unicode letter and digit "
            "(and a combining mark after one) as a word character; from Java 19 `\\b` follows `\\w`, ASCII unless "
            "`(?U)`. Which Java SSM runs is not published.",
            "- The Unicode facts `\\p{...}`, `\\b` and `(?iu)` read are the JDK's own "
            "(`toolkit/javaregex/java_unicode.json`, written by `tests/oracles/java/UnicodeTables.java`; a test "
            "compares), not Python's `unicodedata` (Unicode 14 where OpenJDK 17 has 13).",
            "- A value the translation cannot decide is refused, never guessed; the simulator does not start a JVM to "
            "ask Java (an undeclared runtime dependency, seconds of start-up, answers that change with the JDK).",
            "",
        )
    )


def _wrapped(*lines: str) -> list[str]:
    """Prose wrapped at 120 columns as the repository's Markdown is (table rows and headings kept whole)."""
    out: list[str] = []
    for line in lines:
        if line.startswith(("|", "#")) or len(line) <= 120:
            out.append(line)
            continue
        indent = "  " if line.startswith("- ") else ""
        out.extend(textwrap.wrap(line, width=120, subsequent_indent=indent, break_on_hyphens=False))
    return out


def _row(source: str, tally: Tally) -> str:
    undecided = sum(tally.undecided.values()) + sum(tally.explained.values())
    return (
        f"| {source} | {tally.patterns:,} | {tally.pairs:,} | {tally.java_true:,} / {tally.java_false:,} | "
        f"{tally.agree:,} | {undecided:,} | {len(tally.differences)} |"
    )


def _differences(*tallies: Tally) -> list[str]:
    lines = ["| difference | count | why |", "|---|---|---|"]
    unexplained = [difference for tally in tallies for difference in tally.differences]
    for difference in unexplained:
        lines.append(f"| `{difference}` | 1 | unexplained: a defect of the translation |")
    explained: dict[str, int] = {}
    for tally in tallies:
        for name, count in tally.explained.items():
            explained[name] = explained.get(name, 0) + count
    for name, count in sorted(explained.items()):
        lines.append(f"| {name} | {count} | {EXPLAINED[name]} |")
    if len(lines) == 2:
        lines.append("| none | 0 | every pair Java and the toolkit both decide gets the same answer |")
    return lines


def _undecided(*tallies: Tally) -> list[str]:
    counts: dict[str, int] = {}
    for tally in tallies:
        for reason, count in tally.undecided.items():
            counts[reason] = counts.get(reason, 0) + count
    lines = ["| why | pairs |", "|---|---|"]
    lines.extend(f"| {reason} | {count} |" for reason, count in sorted(counts.items(), key=lambda item: -item[1]))
    if len(lines) == 2:
        lines.append("| (none in this run) | 0 |")
    return lines


if __name__ == "__main__":
    sys.stdout.write(_compute())
