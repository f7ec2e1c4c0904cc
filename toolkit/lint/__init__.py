"""The linter: rules over any Automation document, findings located at line:column, text/JSON/SARIF output."""

from __future__ import annotations

from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter, LintReport
from toolkit.lint.finding import Finding, Severity
from toolkit.lint.rule import Problem, Rule

__all__ = ["Finding", "LintConfig", "LintReport", "Linter", "Problem", "Rule", "Severity"]
