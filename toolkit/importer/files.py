"""``runbook import``: write a document's module and scripts, proven to build back to the same data first.

The module is written into a temporary folder beside its destination, imported and built there, and its data
compared with the document's; only then are the files moved into place (each by a rename). A module that would
not reproduce the document is never written: when the typed ``runbook(...)`` form differs (which would be a bug),
the plain ``Document(...)`` form is tried, and if that differs too the import fails naming the first difference.
Existing files are never overwritten without ``force``.

A folder is searched for YAML and JSON files that are Automation documents (hidden files and folders skipped). A
file there that cannot be read (no permission, a dangling link, not UTF-8 text, invalid YAML or JSON) is skipped and
listed in ``Imports.skipped`` with the reason, and ``runbook import`` exits 1; valid YAML or JSON that is not an
Automation document (a template, a configuration) is not an import's business and is passed over quietly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from toolkit.documents import read_runbook_module
from toolkit.errors import ImportDocumentError, LoadError, NotADocumentError, ToolkitError, WriteError
from toolkit.files import DOCUMENT_SUFFIXES, make_folder
from toolkit.importer.generate import Module, generate
from toolkit.importer.naming import document_name, module_name
from toolkit.load import load_data, read_data, read_text
from toolkit.model.values import JSON
from toolkit.project import nearby, runbooks_folder
from toolkit.render import to_data

if TYPE_CHECKING:
    from toolkit.model.document import Document
    from toolkit.source import Source


@dataclass(frozen=True, slots=True)
class Imported:
    source: Path
    module: Path
    scripts: tuple[Path, ...]
    checked: bool
    problem: str | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file of a folder that might have been a document but could not be read."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class Imports:
    """What ``import_documents`` did: the modules written, and the folders' files it skipped."""

    imported: list[Imported]
    skipped: list[Skipped]


def default_out(document_name: str, root: Path | None = None) -> Path:
    """The module a document is imported into: ``<name_in_snake_case>.py`` in ``root`` (default: the project's
    runbooks folder, where ``runbook build NAME`` finds it)."""
    return (root if root is not None else default_folder()) / f"{module_name(document_name)}.py"


def default_folder() -> Path:
    """The project's runbooks folder (``toolkit.project``), as a user would type it."""
    return nearby(runbooks_folder())


def import_document(path: Path, out: Path | None = None, *, force: bool = False) -> Imported:
    """Import the document at ``path`` into the module ``out`` (default: ``<name>.py`` in the project's runbooks
    folder)."""
    return import_documents([path], out, force=force).imported[0]


def import_documents(paths: Sequence[Path], out: Path | None = None, *, force: bool = False) -> Imports:
    """Import documents (files, or folders searched for them) into modules. ``out`` is a module file (``x.py``,
    for one document) or a folder (default: the project's runbooks folder). Every module is proven before any is
    written. A folder's file that cannot be read is skipped and listed (``Imports.skipped``)."""
    documents, skipped = _expand(paths)
    if not documents:
        unread = f"; {_count(len(skipped))} could not be read: {_listed(skipped)}" if skipped else ""
        raise ImportDocumentError(f"{', '.join(map(str, paths))}: no Automation documents found{unread}")
    one_module = out is not None and out.suffix != "" and not out.is_dir()
    if one_module and len(documents) > 1:
        raise ImportDocumentError(f"{out}: names one module, but {len(documents)} documents were given (pass a folder)")
    folder = out if out is not None else default_folder()
    plans = [_plan(doc, read, out if one_module else None, folder) for doc, read in documents]
    seen: dict[Path, Path] = {}
    for plan in plans:
        if plan.out in seen:
            raise ImportDocumentError(f"{plan.source} and {seen[plan.out]} would both be imported as {plan.out}")
        seen[plan.out] = plan.source
        for target in plan.targets() if not force else ():
            if target.exists():
                raise ImportDocumentError(f"{target}: already exists (pass --force to replace it)")
    staged: list[tuple[_Plan, Path]] = []
    try:
        for index, plan in enumerate(plans):
            make_folder(plan.out.parent, for_file=plan.out)
            staging = Path(tempfile.mkdtemp(prefix=f".{plan.out.stem}.{index}.", dir=plan.out.parent))
            staged.append((plan, staging))
            plan.prove(staging)
        for plan, staging in staged:
            plan.move_from(staging)
    except OSError as err:  # a folder without permission, a full disk, a module's name taken by a folder
        raise WriteError(f"cannot write: {err.strerror or err}", file=str(err.filename or plan.out)) from err
    finally:
        for _, staging in staged:
            shutil.rmtree(staging, ignore_errors=True)
    return Imports([plan.imported() for plan in plans], skipped)


def _count(number: int) -> str:
    return f"{number} file{'' if number == 1 else 's'}"


def _listed(skipped: Sequence[Skipped]) -> str:
    return ", ".join(f"{item.path} ({item.reason})" for item in skipped)


Read: TypeAlias = "tuple[dict[str, JSON], Source]"
"""A document file's data and source map, read once."""


def _expand(paths: Sequence[Path]) -> tuple[list[tuple[Path, Read | None]], list[Skipped]]:
    """Files as given (read later); folders searched for YAML and JSON files that are Automation documents (other
    YAML, such as templates, is passed over), with what the search read of them; and the folders' files that could
    not be read."""
    found: list[tuple[Path, Read | None]] = []
    skipped: list[Skipped] = []
    for path in paths:
        if not path.is_dir():
            found.append((path, None))
            continue
        candidates = sorted(p for p in path.rglob("*") if p.suffix in DOCUMENT_SUFFIXES and not p.is_dir())
        for file in candidates:
            if any(part.startswith(".") for part in file.relative_to(path).parts):
                continue
            try:
                read = _read_if_document(file)
            except LoadError as err:
                skipped.append(Skipped(file, str(err.args[0])))
                continue
            if read is not None:
                found.append((file, read))
    return found, skipped


def _read(file: Path) -> Read:
    return read_data(read_text(file), file=str(file))


def _read_if_document(file: Path) -> Read | None:
    """The file's data when it is an Automation document; None when it is YAML or JSON of something else. Raises
    LoadError when it cannot be read as YAML or JSON at all."""
    try:
        data, source = _read(file)
    except NotADocumentError:
        return None  # valid YAML or JSON, but not a mapping: not a document
    if "mainSteps" in data and str(data.get("schemaVersion", "")).startswith("0.3"):
        return data, source
    return None


class _Plan:
    """One document's import: its module, where it goes, and the data it must build back to."""

    def __init__(self, source: Path, out: Path, document: Document, expected: dict[str, JSON]) -> None:
        self.source, self.out, self.document, self.expected = source, out, document, expected
        self.module = generate(document, origin=source.name, module=out.stem)

    @property
    def scripts_dir(self) -> Path:
        return self.out.with_name(f"{self.out.stem}_scripts")

    def targets(self) -> list[Path]:
        return [self.out, *(self.scripts_dir / file for file in self.module.scripts)]

    def prove(self, staging: Path) -> None:
        """Build the module in ``staging``; fall back to the plain form, or fail naming the difference."""
        difference = _try(self.module, staging, self.expected)
        if difference is not None and self.module.checked:
            plain = f"runbook(...) differs: {difference}"
            self.module = generate(self.document, origin=self.source.name, module=self.out.stem, plain=plain)
            difference = _try(self.module, staging, self.expected)
        if difference is not None:
            raise ImportDocumentError(
                f"{self.source}: the generated module does not build back the same data: {difference}"
            )

    def move_from(self, staging: Path) -> None:
        if self.module.scripts:
            self.scripts_dir.mkdir(exist_ok=True)
        for file in self.module.scripts:
            os.replace(staging / self.scripts_dir.name / file, self.scripts_dir / file)
        os.replace(staging / self.out.name, self.out)

    def imported(self) -> Imported:
        scripts = tuple(self.scripts_dir / file for file in self.module.scripts)
        return Imported(self.source, self.out, scripts, self.module.checked, self.module.problem)


def _plan(path: Path, read: Read | None, out: Path | None, folder: Path) -> _Plan:
    original, source = read if read is not None else _read(path)
    document = load_data(original, source, file=str(path))
    expected = to_data(document)
    if expected != original:
        difference = _diff(original, expected)
        raise ImportDocumentError(f"{path}: the model does not hold this document exactly (a bug): {difference}")
    out = out if out is not None else default_out(document_name(document.name), folder)
    if out.suffix != ".py" or not out.stem.isidentifier():
        raise ImportDocumentError(f"{out}: the module must be a .py file whose name is a Python identifier")
    return _Plan(path, out, document, expected)


def _try(module: Module, folder: Path, expected: dict[str, JSON]) -> str | None:
    """Write the module into ``folder``, build it, and say how its data differs from ``expected`` (or None)."""
    shutil.rmtree(folder / f"{module.name}_scripts", ignore_errors=True)
    (folder / f"{module.name}.py").write_text(module.source, encoding="utf-8")
    for file, text in module.scripts.items():
        target = folder / f"{module.name}_scripts" / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    try:
        built = read_runbook_module(folder / f"{module.name}.py").data
    except ToolkitError as err:
        return str(err)
    return None if built == expected else _diff(expected, built)


def _diff(expected: JSON, actual: JSON, where: str = "") -> str:
    """The first path at which two values differ."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in [*expected, *(k for k in actual if k not in expected)]:
            if key not in expected or key not in actual:
                return f"{where}.{key} is missing on one side"
            if expected[key] != actual[key]:
                return _diff(expected[key], actual[key], f"{where}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            if left != right:
                return _diff(left, right, f"{where}[{index}]")
    return f"{where or 'the document'}: {expected!r:.80} != {actual!r:.80}"
