"""The fakes in layers, without an import circle: state below the backend, operations above it, the world on top.
And the reader of YAML and JSON (toolkit.source) below the model, never importing it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TOOLKIT = Path(__file__).resolve().parents[2] / "toolkit"
STATE_MODULES = ["iam", "iam_policies", "kms", "logs", "organizations", "s3", "sns", "cloudtrail/trail", "state"]
STATE_MODULES += ["s3_rules", "s3_access"]


def _imports(relative: str) -> set[str]:
    """Every toolkit module a file imports, at any level (functions and TYPE_CHECKING blocks included)."""
    found = set()
    for node in ast.walk(ast.parse((TOOLKIT / f"{relative}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("toolkit")}


def _within(name: str, *modules: str) -> bool:
    """Whether ``name`` is one of the fakes' ``modules`` or inside one."""
    return any(name == f"toolkit.fakes.{module}" or name.startswith(f"toolkit.fakes.{module}.") for module in modules)


def _within(name: str, *modules: str) -> bool:
    """Whether ``name`` is one of the fakes' ``modules`` or inside one."""
    return any(name == f"toolkit.fakes.{module}" or name.startswith(f"toolkit.fakes.{module}.") for module in modules)


@pytest.mark.parametrize("module", STATE_MODULES)
def test_state_sits_below_the_backend(module: str) -> None:
    above = ("backend", "world", "services", "cloudtrail.lookup", "cloudtrail.operations")
    assert not [name for name in _imports(f"fakes/{module}") if _within(name, *above)]


def test_the_backend_does_not_import_the_world() -> None:
    assert not [name for name in _imports("fakes/backend") if _within(name, "world", "services")]


def test_source_does_not_import_the_model() -> None:
    assert not [name for name in _imports("source") if name.startswith("toolkit.model")]
