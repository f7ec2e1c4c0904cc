"""Find runbook modules, build them, and write their YAML and JSON atomically."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from toolkit.errors import BuildError, DefinitionError, LoadError
from toolkit.files import DOCUMENT_SUFFIXES, write_atomic
from toolkit.model.document import Document
from toolkit.render import to_data, to_json_text, to_yaml_text

RUNBOOKS_PACKAGE = "runbooks"


@dataclass(frozen=True, slots=True)
class Built:
    name: str
    yaml: Path
    json: Path


def runbooks_dir() -> Path:
    spec = importlib.util.find_spec(RUNBOOKS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("the runbooks package is not importable")
    return Path(next(iter(spec.submodule_search_locations)))


def runbook_modules() -> dict[str, str]:
    """Document name -> module name, for every runbook module in runbooks/ (module names use '_' for '-')."""
    found = {}
    for path in sorted(runbooks_dir().glob("*.py")):
        if path.name.startswith("_"):
            continue
        found[path.stem.replace("_", "-")] = f"{RUNBOOKS_PACKAGE}.{path.stem}"
    return found


def load_runbook(spec: str) -> Document:
    """A runbook by document name, or by the path of a module defining ``build()``."""
    if spec.endswith(".py") or os.sep in spec or "/" in spec:
        module = _import_path(Path(spec))
    else:
        modules = runbook_modules()
        module_name = modules.get(spec) or _module_named(spec, modules.values())
        if module_name is None:
            known = ", ".join(sorted(modules)) or "none"
            raise BuildError(f"unknown runbook {spec!r} (runbooks: {known})")
        module = importlib.import_module(module_name)
    return _build(module, spec)


def load_document_or_runbook(spec: str) -> Document:
    """A document file (YAML or JSON, by its suffix, or any existing file but a ``.py``), else a runbook by
    document name or module path: what ``runbook graph`` and ``runbook docs`` take."""
    path = Path(spec)
    if path.suffix.lower() in DOCUMENT_SUFFIXES or (path.is_file() and path.suffix != ".py"):
        if not path.is_file():
            raise LoadError("no such file", file=spec)
        from toolkit.load import load

        return load(path)
    return load_runbook(spec)


def _module_named(name: str, module_names: Iterable[str]) -> str | None:
    """The module whose ``NAME`` is ``name``: an imported document keeps its name (``AWS-RestartEC2Instance``)
    while its module is named in snake case, so a name is looked up by the modules' NAME when not by file."""
    for module_name in module_names:
        try:
            module = importlib.import_module(module_name)
        except Exception:  # a broken module is reported when it is asked for by its own name
            continue
        if getattr(module, "NAME", None) == name:
            return module_name
    return None


def _import_path(path: Path) -> ModuleType:
    if not path.is_file():
        raise BuildError(f"{path}: no such runbook module")
    name = f"_runbook_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise BuildError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as err:
        raise BuildError(f"{path}: cannot import: {type(err).__name__}: {err}") from err
    return module


def _build(module: ModuleType, spec: str) -> Document:
    build = getattr(module, "build", None)
    if not callable(build):
        raise BuildError(f"{spec}: the module defines no build() function")
    try:
        document = build()
    except DefinitionError as err:
        raise DefinitionError(f"{spec}: {err.args[0]}", step=err.step, field=err.field) from err
    if not isinstance(document, Document):
        raise BuildError(f"{spec}: build() returned {type(document).__name__}, not a Document")
    name = document.name or getattr(module, "NAME", None)
    if not name:
        raise BuildError(f"{spec}: the runbook has no name")
    return document


def build_all(specs: list[str], out: Path) -> list[Built]:
    """Build each runbook (all of them when none is named) into ``out``. Nothing is written unless all build."""
    names = specs or list(runbook_modules())
    documents = [load_runbook(spec) for spec in names]
    built = []
    for document in documents:
        assert document.name is not None
        data = to_data(document)
        yaml_path = out / f"{document.name}.yaml"
        json_path = out / f"{document.name}.json"
        write_atomic(yaml_path, to_yaml_text(data))
        write_atomic(json_path, to_json_text(data))
        built.append(Built(document.name, yaml_path, json_path))
    return built
