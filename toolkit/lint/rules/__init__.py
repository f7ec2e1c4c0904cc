"""Every built-in rule, listed explicitly by module (no scanning), plus user rules from configured plugins.

Each module below holds one family of small rule classes and lists them in its ``RULES`` tuple. A plugin is a module
named in ``[tool.runbook.lint] plugins`` whose ``RULES`` lists more rule classes (ids E9xxx, W9xxx, I9xxx); it is
imported from the project root (the folder of the pyproject.toml that names it) without PYTHONPATH:
``import_plugin``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Final

from toolkit.errors import LintError
from toolkit.lint.rule import RULE_ID, Rule

MODULES: Final = (
    "toolkit.lint.rules.document",
    "toolkit.lint.rules.schema",
    "toolkit.lint.rules.parameters",
    "toolkit.lint.rules.references",
    "toolkit.lint.rules.flow",
    "toolkit.lint.rules.inputs",
    "toolkit.lint.rules.api",
    "toolkit.lint.rules.scripts",
    "toolkit.lint.rules.outputs",
    "toolkit.lint.rules.security",
    "toolkit.lint.rules.cloudtrail",
)
USER_FAMILY: Final = "9"


def builtin_rules() -> list[type[Rule]]:
    rules: list[type[Rule]] = []
    for name in MODULES:
        rules.extend(importlib.import_module(name).RULES)
    return rules


def all_rules(plugins: tuple[str, ...] = (), root: Path | None = None) -> list[type[Rule]]:
    """The built-in rules, then each plugin module's ``RULES`` (plugins imported from ``root`` first, then
    ``sys.path``: ``import_plugin``); ids are checked to be well-formed and unique."""
    rules = builtin_rules()
    for name in plugins:
        module = import_plugin(name, root)
        extra = getattr(module, "RULES", None)
        if not isinstance(extra, (list, tuple)) or not all(isinstance(r, type) and issubclass(r, Rule) for r in extra):
            raise LintError(f"lint plugin {name!r} must define RULES, a list of Rule classes")
        for rule in extra:
            if not RULE_ID.match(rule.id) or rule.id[1] != USER_FAMILY:
                raise LintError(f"lint plugin {name!r}: rule id {rule.id!r} must be E9xxx, W9xxx or I9xxx")
        rules.extend(extra)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise LintError(f"two lint rules share the id {rule.id}")
        seen.add(rule.id)
    return rules


def import_plugin(name: str, root: Path | None) -> ModuleType:
    """The plugin module ``name`` (``my_rules``, ``my_package.rules``), imported as ``python -c "import NAME"`` run in
    ``root`` would import it: ``root`` stands first on ``sys.path`` while the module is imported, and is taken off
    again afterwards, so nothing else of the process changes (a plugin imports its own modules when it is imported,
    or from its own package). A module already imported under that name is used as it is, as Python's import does.

    Raises ``LintError`` naming the plugin when it cannot be found or fails while it is imported."""
    entry = str(root) if root is not None else None
    added = entry is not None and entry not in sys.path
    if entry is not None and added:
        sys.path.insert(0, entry)
        importlib.invalidate_caches()  # the folder may have been written a moment ago
    try:
        return importlib.import_module(name)
    except ImportError as err:
        where = f"the project root {root} or sys.path" if root is not None else "sys.path"
        raise LintError(f"lint plugin {name!r} cannot be imported from {where}: {err}") from err
    except (Exception, SystemExit) as err:  # the plugin's own code failed: its fault, named in one line
        raise LintError(f"lint plugin {name!r} failed while being imported: {type(err).__name__}: {err}") from err
    finally:
        if entry is not None and added:
            sys.path.remove(entry)
