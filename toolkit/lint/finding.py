"""What the linter reports: one finding type, shared by every rule and every formatter."""

from __future__ import annotations

import enum

from toolkit.model.values import JSON
from toolkit.records import Record


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @staticmethod
    def of(rule_id: str) -> Severity:
        """A rule's severity is the letter its id starts with: E, W or I."""
        return _LETTERS[rule_id[:1]]


_LETTERS = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}


class Finding(Record):
    """One problem at one place: ``line`` and ``column`` are 1-based and point at the node at fault.

    A ``Record`` (``toolkit.records``: what ``@dataclass(frozen=True, slots=True, order=True)`` gave, without its
    cost at import), ordered as that dataclass was: by its fields in order, only against another Finding."""

    __slots__ = ("column", "file", "line", "message", "rule")
    _FIELDS = ("file", "line", "column", "rule", "message")

    file: str
    line: int
    column: int
    rule: str
    message: str

    def __init__(self, file: str, line: int, column: int, rule: str, message: str) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "file", file)
        setattr_(self, "line", line)
        setattr_(self, "column", column)
        setattr_(self, "rule", rule)
        setattr_(self, "message", message)

    def _values(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def __lt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Finding)
        return self._values() < other._values()

    def __le__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Finding)
        return self._values() <= other._values()

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Finding)
        return self._values() > other._values()

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Finding)
        return self._values() >= other._values()

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
