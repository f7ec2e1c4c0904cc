"""What the linter reports: one finding type, shared by every rule and every formatter."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from toolkit.model.values import JSON


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @staticmethod
    def of(rule_id: str) -> Severity:
        """A rule's severity is the letter its id starts with: E, W or I."""
        return _LETTERS[rule_id[:1]]


_LETTERS = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem at one place: ``line`` and ``column`` are 1-based and point at the node at fault."""

    file: str
    line: int
    column: int
    rule: str
    message: str

    @property
    def severity(self) -> Severity:
        return Severity.of(self.rule)

    def to_json(self) -> dict[str, JSON]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }
