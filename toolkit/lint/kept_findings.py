"""The findings of documents linted before, kept between runs, so that a second lint of an unchanged folder reads
each document's findings instead of linting it again (as ruff and ESLint's ``--cache`` do).

A document's findings depend on its bytes, its label (the file's name as the run names it: findings carry it, and
rules read the document's name from it), whether it was named on the command line (a folder's entry that is not an
Automation document is skipped quietly), and on what the run's key holds: the toolkit's version and the Python
that ran, the name, size and modification time of every file of the installed toolkit package (its rules, the
readers they use, the botocore index, the SSM facts) and of the Automation schema, where botocore is installed and
its ``__init__.py``'s size and modification time (an upgrade rewrites it, and its service models with it), and the
lint configuration (select, ignore, exclude, per-file-ignores). A run with plugin rules (user code this key cannot
see) or with rules or models of the caller's own keeps nothing (``Linter`` passes no ``KeptFindings`` then).

The file (``$XDG_CACHE_HOME/ssm-runbook-toolkit/lint/findings.marshal``, else under ``~/.cache``) holds the findings
and the key they were found under (``toolkit.files.KeptFile``): a file with another key is ignored and replaced, so
an upgrade, an edit of the toolkit or another configuration refreshes it, and a file that cannot be read or written
is not used: the documents are then linted, never guessed. A ``Linter`` uses it for runs of ``PARSED_FROM``
documents or more, as it does ``ParsedYaml``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final

from toolkit.files import KeptFile
from toolkit.lint.finding import Finding
from toolkit.version import VERSION

FORMAT: Final = 1
LIMIT: Final = 2000
"""Documents kept on disk at most; past that the file keeps only what the last run read."""

Key = tuple[str, bool, bytes]
"""(label, named on the command line, the document's bytes)."""
Kept = list[tuple[int, int, str, str]]
"""A document's findings without its label: (line, column, rule, message), in the order the run gave them."""


def default_file() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root, "ssm-runbook-toolkit", "lint", "findings.marshal")


class KeptFindings:
    """Findings of documents linted before under one run key (the module's doc); ``file=None`` keeps them for this
    run only."""

    def __init__(self, file: Path | None, key: str | Callable[[], str]) -> None:
        """``key``: the run key (``run_key``), or what computes it when the file is first read or written (a lint of
        a few documents, which keeps nothing, never walks the package to compute it)."""
        self._kept: KeptFile[Key, Kept] = KeptFile(file, FORMAT, key if callable(key) else lambda: key, LIMIT)

    def get(self, label: str, explicit: bool, content: bytes) -> list[Finding] | None:
        """The findings of this very document linted before under this key, else None."""
        kept = self._kept.get((label, explicit, content))
        if kept is None:
            return None
        return [Finding(label, line, column, rule, message) for line, column, rule, message in kept]

    def add(self, label: str, explicit: bool, content: bytes, findings: list[Finding]) -> None:
        self._kept.put((label, explicit, content), [(f.line, f.column, f.rule, f.message) for f in findings])

    def save(self) -> None:
        """Write what this run learnt, with what the file held (``toolkit.files.KeptFile``: never fails)."""
        self._kept.save()


def run_key(configuration: str, botocore_data: Path | None) -> str:
    """What a document's findings depend on besides the document (the module's doc). ``configuration`` is the lint
    configuration's ``repr``; ``botocore_data`` botocore's ``data`` folder (``ModelStore.data``), or None. The
    Automation schema is a file of the package (``toolkit/schemas``), stamped with the rest."""
    parts = [VERSION, sys.version, configuration]
    parts.extend(_stamps(Path(__file__).resolve().parents[1]))
    parts.append("no botocore" if botocore_data is None else _stamp(botocore_data.parent / "__init__.py"))
    return "|".join(parts)


def _stamps(folder: Path) -> list[str]:
    """Each file of the package under ``folder`` (not its byte code): its path, size and modification time."""
    stamps: list[str] = []
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            stamps.append(f"{current}:unreadable")
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(entry.path)
            elif not entry.name.endswith((".pyc", ".tmp")):
                stamps.append(_stamp(Path(entry.path)))
    return stamps


def _stamp(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{stat.st_size:x}:{stat.st_mtime_ns:x}"
