"""The toolkit's errors: one root, a subclass per stage, each carrying what is at fault.

Library code raises these; only ``toolkit.cli`` turns them into one-line messages and exit codes.
"""

from __future__ import annotations

import os
from types import TracebackType


class ToolkitError(Exception):
    """Root of every error the toolkit raises on purpose."""

    def where(self) -> str:
        """A short prefix naming the place at fault (file, line, step, field), or ''."""
        return ""

    def __str__(self) -> str:
        message = super().__str__()
        prefix = self.where()
        return f"{prefix}: {message}" if prefix else message


class DefinitionError(ToolkitError):
    """A runbook defined in Python is not a valid document: names the step and field at fault."""

    def __init__(self, message: str, *, step: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.step = step
        self.field = field

    def where(self) -> str:
        parts = []
        if self.step is not None:
            parts.append(f"step {self.step}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


class LoadError(ToolkitError):
    """A file could not be read as an Automation document."""

    def __init__(self, message: str, *, file: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column

    def where(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class BuildError(ToolkitError):
    """A runbook could not be found, imported or written."""


class WriteError(ToolkitError):
    """A file the toolkit writes could not be written (its folder is a file, no permission, no space)."""

    def __init__(self, message: str, *, file: str) -> None:
        super().__init__(message)
        self.file = file

    def where(self) -> str:
        return self.file


def user_code_error(err: BaseException, *, file: str, what: str) -> LoadError:
    """A ``LoadError`` for an exception raised by a user's Python file (a runbook module's ``build()`` or hook): it
    names the file and the line of that file the exception came through last (the innermost frame in it), and the
    exception. ``what`` says what failed (``build() failed``)."""
    return LoadError(f"{what}: {type(err).__name__}: {err}", file=file, line=_line_in(err.__traceback__, file))


def _line_in(trace: TracebackType | None, file: str) -> int | None:
    """The line of the innermost frame of ``trace`` that runs ``file``, or None when none does."""
    wanted = os.path.realpath(file)
    line = None
    while trace is not None:
        if os.path.realpath(trace.tb_frame.f_code.co_filename) == wanted:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


class LintError(ToolkitError):
    """The linter could not run: a path that does not exist, or an invalid configuration."""


class NotADocumentError(LoadError):
    """The file is valid YAML or JSON, but its top level is not a mapping (empty, a list or a single value)."""


class SimulationError(ToolkitError):
    """An execution cannot start (as StartAutomationExecution would refuse it), or a document cannot be simulated.

    ``code`` is the AWS error code StartAutomationExecution would return, e.g.
    InvalidAutomationExecutionParametersException.
    """

    def __init__(self, message: str, *, code: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.parameter = parameter

    def where(self) -> str:
        return f"parameter {self.parameter}" if self.parameter else ""


class PublishError(ToolkitError):
    """Publishing cannot start: a document, name, version name, tag, account or region AWS would refuse."""


class ImportDocumentError(ToolkitError):
    """``runbook import`` could not write a module that builds back to the document."""


class InitError(ToolkitError):
    """``runbook init`` cannot write a project there: a file, or a folder that is not empty (without ``--force``)."""


class GraphError(ToolkitError):
    """A graph cannot be drawn: a trace that does not fit the document, or Graphviz missing or failing."""
