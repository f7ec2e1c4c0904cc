"""The one reader of documents: a document file (YAML or JSON), a runbook module (``.py``) or a runbook name.

``read_document(spec)`` is what every command and the Python API take as a document. It gives a ``ReadDocument``:
the document's plain data (and, for a file, its source map and text) without building the typed model, which
costs time and which the simulator and the linter do not need; ``.model()`` builds it when a caller asks.

One error behaviour: whatever cannot be read raises ``LoadError`` naming the file (or the runbook name), so the
command line prints one line and exits 2: a missing file, a folder, a dangling link, bytes that are not UTF-8
text, text that is not a document, a module that cannot be imported, has no ``build()``, or whose ``build()``
raises anything (named with the line of the module it came through last; ``runbook --traceback`` shows all of it)
or returns something else than a ``Document``, and an unknown runbook name.

A spec is read as a runbook module when it ends in ``.py``; as a document file when it has a document suffix,
holds a path separator or names anything on disk; otherwise as the name of one of the project's runbooks
(``toolkit.project``).

A runbook module may define hooks, found by name on the module (see the README's "Writing a runbook"):

- ``representative_runs() -> list[tuple[World, dict[str, Any]]]``: fixed (world, parameters) pairs in which
  simulating the runbook reaches every AWS call it makes, its scripts' calls included. ``runbook docs`` and
  ``runbook iam-policy`` simulate it in them to list the IAM actions it needs; the deploy template grants them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from toolkit.errors import DefinitionError, LoadError, user_code_error
from toolkit.files import DOCUMENT_SUFFIXES, document_stem, read_text
from toolkit.project import find_runbook, import_module_file, runbook_files, runbook_module, runbooks_folder
from toolkit.records import Frozen
from toolkit.source import Source, read_data

if TYPE_CHECKING:
    from toolkit.fakes.world import World
    from toolkit.model.document import Document
    from toolkit.model.values import JSON

    Run: TypeAlias = tuple[World, Mapping[str, Any]]
    """One representative run: a world and the parameters to simulate the runbook with in it."""

REPRESENTATIVE_RUNS_HOOK: Final = "representative_runs"
"""The name of the runbook module's hook that gives its representative runs."""


class ReadDocument(Frozen):
    """A document as read: its data (parsed on first use), name and label, and for a runbook its module.

    ``label`` names the document in messages: the file as given, or the runbook module's file. ``name`` is the
    document's name: the runbook's, or the file's name without its suffix. Make one with ``read_document``.

    Immutable (``toolkit.records.Frozen``) and compared by identity, as the ``@dataclass(frozen=True, eq=False)``
    it was (issue 19: a cold simulation creates no dataclass): setting or deleting an attribute raises
    ``dataclasses.FrozenInstanceError``; the parsed data and the model are kept in the instance's ``__dict__``
    (``cached_property``)."""

    label: str
    name: str | None
    text_of_file: str | None
    """A document file's text; None for a runbook."""
    built: Document | None
    """A runbook's model, as its ``build()`` returned it; None for a document file."""
    module: ModuleType | None
    """A runbook's module, where its hooks are; None for a document file."""

    def __init__(
        self,
        label: str,
        name: str | None,
        text_of_file: str | None = None,
        built: Document | None = None,
        module: ModuleType | None = None,
    ) -> None:
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "text_of_file", text_of_file)
        object.__setattr__(self, "built", built)
        object.__setattr__(self, "module", module)

    def __repr__(self) -> str:
        # the module is left out, as its field(repr=False) was
        return (
            f"{type(self).__qualname__}(label={self.label!r}, name={self.name!r}, "
            f"text_of_file={self.text_of_file!r}, built={self.built!r})"
        )

    @property
    def is_runbook(self) -> bool:
        """Built from a runbook module (by name or path), not read from a document file."""
        return self.module is not None

    @cached_property
    def _parsed(self) -> tuple[dict[str, JSON], Source | None]:
        if self.built is not None:
            return self.built.to_dict(), None
        assert self.text_of_file is not None
        return read_data(self.text_of_file, file=self.label)

    @property
    def data(self) -> dict[str, JSON]:
        """The document's plain data (as read from YAML or JSON, or as the runbook renders). Do not change it."""
        return self._parsed[0]

    @property
    def source(self) -> Source | None:
        """The file's source map (line:column of every key and value); None for a runbook, which has no text."""
        return self._parsed[1]

    @cached_property
    def text(self) -> str:
        """The document's text: the file's own, or the runbook rendered as YAML (as ``runbook build`` writes it)."""
        if self.text_of_file is not None:
            return self.text_of_file
        from toolkit.render import to_yaml_text  # lazy: only the linter and publishing need a runbook's text

        return to_yaml_text(self.model())

    def model(self) -> Document:
        """The typed model: the runbook's own, or built from the file's data (once, on first call)."""
        return self.built if self.built is not None else self._loaded

    @cached_property
    def _loaded(self) -> Document:
        from toolkit.load import load_data  # lazy: the model costs start-up time the simulator does not need

        return load_data(self.data, self.source, file=self.label)

    def representative_runs(self) -> list[Run]:
        """The runbook module's ``representative_runs()`` (none for a document file or a module without it)."""
        hook = getattr(self.module, REPRESENTATIVE_RUNS_HOOK, None)
        if hook is None:
            return []
        try:
            runs = hook()
        except Exception as err:  # the runbook's code: its fault, named with the line it came through
            raise user_code_error(err, file=self.label, what=f"{REPRESENTATIVE_RUNS_HOOK}() failed") from err
        if not isinstance(runs, Sequence) or not all(isinstance(run, tuple) and len(run) == 2 for run in runs):
            raise LoadError(f"{REPRESENTATIVE_RUNS_HOOK}() must return a list of (world, parameters)", file=self.label)
        return list(runs)


def read_document(spec: str | Path) -> ReadDocument:
    """A document file, a runbook module or a runbook name (see the module's docstring for how each is told)."""
    text = str(spec)
    path = Path(spec)
    if path.suffix == ".py":
        return read_runbook_module(path)
    if path.suffix.lower() in DOCUMENT_SUFFIXES or os.sep in text or "/" in text or os.path.lexists(path):
        return read_document_file(path)
    return read_runbook(text)


def read_document_file(path: str | Path) -> ReadDocument:
    """A document file (YAML or JSON): its text now, its data when first used."""
    label = str(path)
    if not os.path.lexists(path):
        raise LoadError("no such file", file=label)
    return ReadDocument(label=label, name=document_stem(label) or Path(label).name, text_of_file=read_text(path))


def read_runbook(spec: str | Path) -> ReadDocument:
    """A runbook of the project by document name, or a runbook module by its path (``*.py``)."""
    text = str(spec)
    if text.endswith(".py") or os.sep in text or "/" in text:
        return read_runbook_module(Path(spec))
    path = find_runbook(text)
    if path is None:
        known = ", ".join(runbook_files()) or "none"
        raise LoadError(
            f"no such file, and no runbook of that name in {runbooks_folder()} (runbooks: {known})", file=text
        )
    return _built(runbook_module(path), str(path))


def read_runbook_module(path: Path) -> ReadDocument:
    """The runbook a module file defines (its ``build()``), the module imported afresh."""
    return _built(import_module_file(path), str(path))


def _built(module: ModuleType, label: str) -> ReadDocument:
    from toolkit.model.document import Document  # lazy: runbook modules import the model anyway; files need not

    build = getattr(module, "build", None)
    if not callable(build):
        raise LoadError("the module defines no build() function", file=label)
    try:
        document = build()
    except DefinitionError as err:
        raise LoadError(str(err), file=label) from err
    except Exception as err:  # the runbook's code: whatever it raises is that file's fault, named with its line
        raise user_code_error(err, file=label, what="build() failed") from err
    if not isinstance(document, Document):
        raise LoadError(f"build() returned {type(document).__name__}, not a Document", file=label)
    name = document.name or getattr(module, "NAME", None)
    if not name:
        raise LoadError("the runbook has no name", file=label)
    return ReadDocument(label=label, name=name, built=document, module=module)
