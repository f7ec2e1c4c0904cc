"""A lint rule: metadata (id, summary, docs) and a generator of problems found in one document.

A rule reports a *path* into the document's data, never a line; the engine turns paths into line:column
through the document's source map. The severity is the id's letter (E, W, I); the first digit is the family:
0 document, 1 parameters and references, 2 control flow, 3 action inputs, 4 outputs, 5 security,
6 CloudTrail practice, 9 user-defined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Final

from toolkit.lint.finding import Severity
from toolkit.records import Record

if TYPE_CHECKING:
    from toolkit.lint.context import LintDocument

RULE_ID: Final = re.compile(r"\A[EWI][0-9]{4}\Z")

Path = tuple[str | int, ...]


class Problem(Record):
    """What a rule found: where (a path into the data, at the key or at the value) and what. A ``Record``
    (``toolkit.records``), as the frozen slotted dataclass it was."""

    __slots__ = ("at_key", "column", "line_offset", "message", "needle", "path")
    _FIELDS = ("path", "message", "at_key", "line_offset", "column", "needle")

    path: Path
    message: str
    at_key: bool
    line_offset: int | None
    """For a problem inside a multi-line string (a script): the line within the string, 1-based."""
    column: int | None
    """With ``line_offset``: the column within that line, 1-based."""
    needle: str | None
    """Text inside the value at fault (a reference in a longer string): the finding points at it when it stands
    on the value's first line."""

    def __init__(
        self,
        path: Path,
        message: str,
        at_key: bool = False,
        line_offset: int | None = None,
        column: int | None = None,
        needle: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "path", path)
        setattr_(self, "message", message)
        setattr_(self, "at_key", at_key)
        setattr_(self, "line_offset", line_offset)
        setattr_(self, "column", column)
        setattr_(self, "needle", needle)


class Rule:
    """Subclasses set ``id`` and ``summary``, document themselves in their docstring and implement ``check``."""

    id: ClassVar[str] = ""
    summary: ClassVar[str] = ""

    @classmethod
    def severity(cls) -> Severity:
        return Severity.of(cls.id)

    @classmethod
    def docs(cls) -> str:
        import inspect  # lazy: inspect (~5 ms) only for the rules' documentation, which a lint does not print

        return inspect.cleandoc(cls.__doc__ or "")

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        raise NotImplementedError
