"""Inline suppression: a YAML comment ``# runbook-lint: ignore E3012 W5010`` (ids or id prefixes).

Inside a step (anywhere between its first line and the next step) the comment silences findings located in that
step; anywhere else it silences them in the whole file. JSON has no comments: use ``per-file-ignores``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from toolkit.lint.context import LintDocument
from toolkit.lint.finding import Finding
from toolkit.records import Record

DIRECTIVE: Final = re.compile(r"#\s*runbook-lint:\s*ignore\b[=:\s]*([A-Z0-9,\s]+)")
WORD: Final = re.compile(r"[EWI][0-9]{0,4}")


class Suppression(Record):
    """One suppression comment: the lines it covers and the rule id prefixes it silences (a ``Record``)."""

    __slots__ = ("first_line", "last_line", "prefixes")
    _FIELDS = ("first_line", "last_line", "prefixes")

    first_line: int
    last_line: int
    prefixes: tuple[str, ...]

    def __init__(self, first_line: int, last_line: int, prefixes: tuple[str, ...]) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "first_line", first_line)
        setattr_(self, "last_line", last_line)
        setattr_(self, "prefixes", prefixes)

    def covers(self, finding: Finding) -> bool:
        return self.first_line <= finding.line <= self.last_line and finding.rule.startswith(self.prefixes)


def suppressions(doc: LintDocument) -> list[Suppression]:
    """The suppression comments of a document, each with the lines it covers."""
    if "runbook-lint:" not in doc.text:
        return []
    spans = _step_spans(doc)
    found = []
    lines = doc.text.splitlines()
    last = len(lines) + 1
    for number, line in enumerate(lines, start=1):
        match = DIRECTIVE.search(line)
        if match is None:
            continue
        prefixes = tuple(WORD.findall(match.group(1)))
        if not prefixes:
            continue
        anchor = _next_content_line(lines, number) if line.lstrip().startswith("#") else number
        starting = [span for span in spans if span[0] == anchor]
        inner = starting or [span for span in spans if span[0] <= number <= span[1]]
        first, end = min(inner, key=lambda span: span[1] - span[0]) if inner else (1, last)
        found.append(Suppression(first, end, prefixes))
    return found


def _step_spans(doc: LintDocument) -> list[tuple[int, int]]:
    """(first line, last line) of each step: from its first node to the line before the next node outside it."""
    positions = doc.source.positions
    nodes = [(path, positions.value(path)[0]) for path in _all_paths(doc.data, ())]
    total = doc.text.count("\n") + 1
    spans = []
    for site in doc.steps:
        first = positions.value(site.path)[0]  # a block list item's "- " stands on its first key's line
        size = len(site.path)
        later = [line for path, line in nodes if line > first and path[:size] != site.path]
        spans.append((first, min(later) - 1 if later else total))
    return spans


def _next_content_line(lines: Sequence[str], number: int) -> int:
    """The first line after ``number`` that is neither blank nor only a comment."""
    for index in range(number, len(lines)):
        text = lines[index].strip()
        if text and not text.startswith("#"):
            return index + 1
    return number


def _all_paths(value: object, path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_all_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_all_paths(item, (*path, index)))
    return out


def apply(findings: Sequence[Finding], rules: Sequence[Suppression]) -> list[Finding]:
    return [finding for finding in findings if not any(rule.covers(finding) for rule in rules)]
