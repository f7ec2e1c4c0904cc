"""The user's runbook project: where its runbooks, scenarios, build output and pages are, and its runbook modules,
imported from their files. Every command finds the project this one way.

The project is the folder of the nearest ``pyproject.toml`` at or above the working folder (its root); with no
pyproject.toml anywhere above, the working folder. Its settings are the ``[tool.runbook]`` table of that file,
each folder relative to the file's folder:

```toml
[tool.runbook]
runbooks = "runbooks"         # the runbook modules (default: runbooks)
scenarios = "scenarios"       # what `runbook scenario` runs when given no file (default: scenarios)
build = "build"               # where `runbook build` writes when given no --out (default: build)
docs = "docs/runbooks"        # where `runbook docs --all` writes when given no --out (default: docs/runbooks)

[tool.runbook.lint]           # the linter's settings (toolkit.lint.config)
```

An unknown key, or a folder that is not a string, stops the command naming the file and the key.

A runbook module is a ``*.py`` file directly in the runbooks folder whose name does not start with ``_``; its
document name is its file name without ``.py``, ``_`` read as ``-`` (a module whose ``NAME`` differs, as
``runbook import`` writes for AWS's own names, is found by that ``NAME`` too).

Modules are imported from their files, never through an installed top-level package, so the runbooks of the
project at hand are the ones found, whatever else is on ``sys.path``. A module that cannot be imported raises
``LoadError`` naming its file.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Final

from toolkit.errors import LoadError, user_code_error
from toolkit.records import Record

PYPROJECT: Final = "pyproject.toml"
DEFAULT_RUNBOOKS_FOLDER: Final = "runbooks"
FOLDERS: Final = {
    "runbooks": DEFAULT_RUNBOOKS_FOLDER,
    "scenarios": "scenarios",
    "build": "build",
    "docs": "docs/runbooks",
}
"""Each folder setting of ``[tool.runbook]`` and its default, relative to the project's root."""
TABLES: Final = ("lint",)
"""The sub-tables of ``[tool.runbook]``, each read by its own wing (``lint``: ``toolkit.lint.config``)."""


class Project(Record):
    """A runbook project: its root, its settings file, and its folders (absolute paths). A ``Record`` (as the
    frozen slotted dataclass it was, without its cost at import: issue 19)."""

    __slots__ = _FIELDS = ("root", "settings_file", "runbooks", "scenarios", "build", "docs")
    root: Path
    """The folder of the project's pyproject.toml, or the working folder when there is none."""
    settings_file: Path | None
    """The project's pyproject.toml, if it has one."""
    runbooks: Path
    scenarios: Path
    build: Path
    docs: Path

    def __init__(
        self, root: Path, settings_file: Path | None, runbooks: Path, scenarios: Path, build: Path, docs: Path
    ) -> None:
        for name, value in zip(self._FIELDS, (root, settings_file, runbooks, scenarios, build, docs), strict=True):
            object.__setattr__(self, name, value)


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working folder) holding a pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PYPROJECT).is_file():
            return folder
    return None


def settings_file(start: Path | None = None) -> Path | None:
    """The project's pyproject.toml: the nearest at or above ``start`` (default: the working folder)."""
    root = project_root(start)
    return root / PYPROJECT if root is not None else None


def find_project(start: Path | None = None) -> Project:
    """The project at or above ``start`` (default: the working folder), with its settings read."""
    root = project_root(start)
    pyproject = root / PYPROJECT if root is not None else None
    settings = project_settings(pyproject) if pyproject is not None else {}
    base = root if root is not None else (start or Path.cwd()).resolve()

    def folder(key: str) -> Path:
        return base / str(settings.get(key, FOLDERS[key]))

    return Project(
        root=base,
        settings_file=pyproject,
        runbooks=folder("runbooks"),
        scenarios=folder("scenarios"),
        build=folder("build"),
        docs=folder("docs"),
    )


def project_settings(pyproject: Path) -> Mapping[str, object]:
    """The ``[tool.runbook]`` table of ``pyproject`` (empty without one), its keys checked: folders are strings,
    sub-tables are tables, nothing else. Raises ``LoadError`` naming the file and key."""
    import tomllib  # lazy: only a command that needs the project's settings reads them

    try:
        with pyproject.open("rb") as handle:
            settings = tomllib.load(handle)
    except OSError as err:
        raise LoadError(f"cannot read the project's settings: {err.strerror or err}", file=str(pyproject)) from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise LoadError(f"cannot read the project's settings: not valid TOML: {err}", file=str(pyproject)) from err
    tool = settings.get("tool", {})
    table = tool.get("runbook", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise LoadError("[tool.runbook] must be a table", file=str(pyproject))
    for key, value in table.items():
        if key in FOLDERS:
            if not isinstance(value, str) or not value:
                raise LoadError(f"[tool.runbook] {key} must be a folder's path (a string)", file=str(pyproject))
        elif key in TABLES:
            if not isinstance(value, dict):
                raise LoadError(f"[tool.runbook] {key} must be a table ([tool.runbook.{key}])", file=str(pyproject))
        else:
            known = ", ".join((*FOLDERS, *TABLES))
            raise LoadError(f"[tool.runbook] has an unknown key {key!r} (known: {known})", file=str(pyproject))
    return table


def runbooks_folder(start: Path | None = None) -> Path:
    """The project's runbooks folder (see the module's docstring for the rule)."""
    return find_project(start).runbooks


def nearby(path: Path) -> Path:
    """``path`` as a user would type it: relative to the working folder when inside it, else as it is. Commands
    write to and print a project's folders this way (``build/x.yaml``, not ``/home/me/project/build/x.yaml``)."""
    try:
        return Path(os.path.relpath(path)) if path.resolve().is_relative_to(Path.cwd().resolve()) else path
    except (OSError, ValueError):  # no working folder any more, or another drive (Windows)
        return path


def runbook_files(start: Path | None = None) -> dict[str, Path]:
    """Document name -> module file, for every runbook module of the project, sorted by file name."""
    folder = runbooks_folder(start)
    if not folder.is_dir():
        return {}
    return {
        path.stem.replace("_", "-"): path
        for path in sorted(folder.glob("*.py"))
        if not path.name.startswith("_") and path.is_file()
    }


def find_runbook(name: str, start: Path | None = None) -> Path | None:
    """The module file of the project's runbook named ``name``: by file name, else by the modules' ``NAME``."""
    files = runbook_files(start)
    if name in files:
        return files[name]
    for path in files.values():
        try:
            module = runbook_module(path)
        except LoadError:  # a broken module is reported when it is asked for by its own name
            continue
        if getattr(module, "NAME", None) == name:
            return path
    return None


def runbook_module(path: Path) -> ModuleType:
    """The project's runbook module at ``path``, imported from its file once per process, as Python imports any
    module: it is kept in ``sys.modules`` under its own name (``module_name``)."""
    return sys.modules.get(module_name(path)) or import_module_file(path)


def module_name(path: Path) -> str:
    """The module name a runbook file is imported under: its stem and a hash of its resolved path, so two
    projects' files of the same name never share one."""
    return f"_runbook_{path.stem}_{zlib.crc32(str(path.resolve()).encode()):08x}"


def import_module_file(path: Path) -> ModuleType:
    """Execute the Python file at ``path`` as a fresh module (under a name of its own, so two projects' files of
    the same name never share one). Raises ``LoadError`` naming the file when it cannot be imported."""
    if path.is_dir():
        raise LoadError("is a folder, not a runbook module", file=str(path))
    if not path.is_file():
        raise LoadError("no such runbook module", file=str(path))
    name = module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise LoadError("not a Python module", file=str(path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look a module up by its name while it runs
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as err:  # any failure of someone else's code is that file's fault
        sys.modules.pop(name, None)
        if isinstance(err, SyntaxError) and err.lineno is not None:  # raised by the compiler: no frame of the file
            raise LoadError(f"cannot import: SyntaxError: {err.msg}", file=str(path), line=err.lineno) from err
        raise user_code_error(err, file=str(path), what="cannot import") from err
    return module
