"""The project's runbooks: where they are, what they are named, and their modules, imported from their files.

The project is the folder of the nearest ``pyproject.toml`` at or above the working folder. Its runbooks folder is
``runbooks/`` in it, or the folder ``[tool.runbook] runbooks = "path"`` names (relative to that pyproject.toml);
with no pyproject.toml anywhere above, ``runbooks/`` in the working folder. A runbook module is a ``*.py`` file
directly in that folder whose name does not start with ``_``; its document name is its file name without
``.py``, ``_`` read as ``-`` (a module whose ``NAME`` differs, as ``runbook import`` writes for AWS's own names,
is found by that ``NAME`` too).

Modules are imported from their files, never through an installed top-level package, so the runbooks of the
project at hand are the ones found, whatever else is on ``sys.path``. A module that cannot be imported raises
``LoadError`` naming its file.
"""

from __future__ import annotations

import importlib.util
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Final

from toolkit.errors import LoadError

PYPROJECT: Final = "pyproject.toml"
DEFAULT_RUNBOOKS_FOLDER: Final = "runbooks"


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working folder) holding a pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PYPROJECT).is_file():
            return folder
    return None


def runbooks_folder(start: Path | None = None) -> Path:
    """The project's runbooks folder (see the module's docstring for the rule)."""
    root = project_root(start)
    if root is None:
        return (start or Path.cwd()) / DEFAULT_RUNBOOKS_FOLDER
    configured = _configured_folder(root / PYPROJECT)
    return root / (configured if configured is not None else DEFAULT_RUNBOOKS_FOLDER)


def _configured_folder(pyproject: Path) -> str | None:
    import tomllib  # lazy: only looking a runbook up by name reads the project's settings

    try:
        with pyproject.open("rb") as handle:
            settings = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise LoadError(f"cannot read the project's settings: {err}", file=str(pyproject)) from err
    tool = settings.get("tool", {})
    table = tool.get("runbook", {}) if isinstance(tool, dict) else {}
    value = table.get("runbooks") if isinstance(table, dict) else None
    if value is not None and not isinstance(value, str):
        raise LoadError("[tool.runbook] runbooks must be a folder's path (a string)", file=str(pyproject))
    return value


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
        raise LoadError(f"cannot import: {type(err).__name__}: {err}", file=str(path)) from err
    return module
