"""What the linter learns about each allowedPattern, kept for the lint run and, between runs, on disk.

E1102, E1103 and W1105 ask four questions of a parameter's allowedPattern: does Java refuse it (and with what
message), does it use a construct Python cannot express, does a default match it (True, False, or None: cannot be
decided here), and why a default cannot be decided. The answers depend on the pattern and the value alone, and
compiling a pattern is the costly part (``toolkit.javaregex``: the corpus's 69 patterns take ~100 ms of CPU, a
sixth of a warm lint of it). A ``PatternVerdicts`` (one per ``Linter``, its visible owner) compiles each pattern at
most once per run and answers from what it compiled; with a file it also answers from what earlier runs learnt,
so a warm run compiles nothing it has seen before.

The file (``$XDG_CACHE_HOME/ssm-runbook-toolkit/lint/patterns.marshal``, else under ``~/.cache``) holds the answers
and the key they were computed under: the toolkit's version, the Python that ran (``sys.version``: ``re`` and its
Unicode tables) and the name, size and modification time of every file of ``toolkit.javaregex``
(``toolkit.files.KeptFile``): a file with another key is ignored and replaced, so an upgrade or an edit of the
translation refreshes it, and a file that cannot be read or written is simply not used: the answers are then
computed, never guessed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

from toolkit.files import KeptFile
from toolkit.version import VERSION

if TYPE_CHECKING:
    from toolkit.javaregex import JavaPattern

FORMAT: Final = 1
LIMIT: Final = 5000
"""Patterns kept on disk at most; past that the file keeps only what the last run asked."""

ValueVerdict = tuple[bool | None, str | None]
"""(``matches``: True, False or None when it cannot be decided; the reason it cannot be decided, or None)."""
Entry = tuple[str | None, str | None, dict[str, ValueVerdict]]
"""(Java's error message or None; the construct Python cannot express or None; the verdicts on values asked)."""


def default_file() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root, "ssm-runbook-toolkit", "lint", "patterns.marshal")


class PatternVerdicts:
    """The answers about allowedPatterns for one lint run (the module's doc); ``file=None`` keeps nothing on disk."""

    def __init__(self, file: Path | None = None) -> None:
        self._kept: KeptFile[str, Entry] = KeptFile(file, FORMAT, _key, LIMIT)
        self._compiled: dict[str, tuple[JavaPattern | None, str | None]] = {}
        """Each pattern compiled in this run: (the JavaPattern, or None with Java's message)."""

    @property
    def file(self) -> Path | None:
        return self._kept.file

    # -- the questions --------------------------------------------------------------------------------------

    def error(self, pattern: str) -> str | None:
        """Java's message when it refuses the pattern, else None."""
        return self._entry(pattern)[0]

    def construct(self, pattern: str) -> str | None:
        """What the pattern uses that Python cannot express (``JavaPattern.construct``); None when Java refuses it.
        A pattern compiled in this run answers itself: matching a value may find a construct its first
        translation did not need (``JavaPattern.matches``)."""
        entry = self._entry(pattern)
        compiled = self._compiled.get(pattern, (None, None))[0]
        return compiled.construct if compiled is not None else entry[1]

    def matches(self, pattern: str, value: str) -> bool | None:
        """Whether the whole value matches as SSM decides it; None when that cannot be decided here (or when Java
        refuses the pattern)."""
        return self._value(pattern, value)[0]

    def undecided(self, pattern: str, value: str) -> str | None:
        """Why ``matches`` cannot decide the value (``JavaPattern.undecided``), or None."""
        return self._value(pattern, value)[1]

    # -- answers ----------------------------------------------------------------------------------------------

    def _entry(self, pattern: str) -> Entry:
        entry = self._kept.get(pattern)
        if entry is None:
            compiled, error = self._compile(pattern)
            entry = (error, None if compiled is None else compiled.construct, {})
            self._kept.put(pattern, entry)
        return entry

    def _value(self, pattern: str, value: str) -> ValueVerdict:
        entry = self._entry(pattern)
        verdict = entry[2].get(value)
        if verdict is None:
            compiled = self._compile(pattern)[0]
            verdict = (None, None) if compiled is None else _verdict(compiled, value)
            entry[2][value] = verdict
            self._kept.changed()
        return verdict

    def _compile(self, pattern: str) -> tuple[JavaPattern | None, str | None]:
        compiled = self._compiled.get(pattern)
        if compiled is None:
            # lazy: a warm run answers from the file and never loads the translation (~10 ms of imports)
            from toolkit.javaregex import PatternError, compile_java

            try:
                compiled = (compile_java(pattern), None)
            except PatternError as err:
                compiled = (None, str(err))
            self._compiled[pattern] = compiled
        return compiled

    # -- the file -----------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Write what this run learnt, with what the file held (``toolkit.files.KeptFile``: never fails)."""
        self._kept.save()


def _verdict(compiled: JavaPattern, value: str) -> ValueVerdict:
    # lazy: loaded with the pattern it comes from (``_compile``)
    from toolkit.javaregex import CannotDecide

    try:
        decided: bool | None = compiled.matches(value)
    except CannotDecide:
        decided = None
    return decided, compiled.undecided(value)


def _key() -> str:
    """What the answers depend on besides the pattern and the value (the module's doc)."""
    folder = Path(__file__).parent.parent / "javaregex"
    parts = [VERSION, sys.version]
    try:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda item: item.name):
                if entry.name.endswith((".py", ".json")):
                    stat = entry.stat()
                    parts.append(f"{entry.name}:{stat.st_size:x}:{stat.st_mtime_ns:x}")
    except OSError:
        parts.append("unreadable")
    return "|".join(parts)
