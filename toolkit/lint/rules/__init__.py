"""Every built-in rule, listed explicitly by module (no scanning), plus user rules from configured plugins.

Each module below holds one family of small rule classes and lists them in its ``RULES`` tuple.
"""

from __future__ import annotations

import importlib
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


def all_rules(plugins: tuple[str, ...] = ()) -> list[type[Rule]]:
    """The built-in rules, then each plugin module's ``RULES``; ids are checked to be well-formed and unique."""
    rules = builtin_rules()
    for name in plugins:
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            raise LintError(f"lint plugin {name!r} cannot be imported: {err}") from err
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
