"""Helpers for rule tests: lint a snippet with some rules and get (rule, line, column) back."""

from __future__ import annotations

import textwrap

from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter
from toolkit.lint.finding import Finding

HEADER = """\
schemaVersion: "0.3"
description: A test document.
assumeRole: "{{ AutomationAssumeRole }}"
parameters:
  AutomationAssumeRole:
    type: String
    description: The role the execution assumes.
"""


def lint_snippet(text: str, select: str, *, file: str = "snippet.yaml") -> list[Finding]:
    """Lint a document (dedented) with only the rules whose id starts with ``select``."""
    linter = Linter(LintConfig(select=(select,)))
    return linter.lint_text(textwrap.dedent(text), file=file)


def where(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(finding.rule, finding.line, finding.column) for finding in findings]
