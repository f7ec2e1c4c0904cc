"""Rules: api (being written)."""

from __future__ import annotations

from toolkit.lint.rule import Rule

RULES: tuple[type[Rule], ...] = ()
