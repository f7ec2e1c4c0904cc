"""docs/rules.md is generated from the rules' metadata; it must be current, and every rule must be documented."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from toolkit.lint.rule import RULE_ID
from toolkit.lint.rules import builtin_rules
from toolkit.lint.rules_page import render


def test_rules_doc_is_up_to_date() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render(builtin_rules()), "docs/rules.md is out of date: run `make docs`"


def test_every_rule_has_a_well_formed_id_a_summary_and_docs() -> None:
    seen = set()
    for rule in builtin_rules():
        assert RULE_ID.match(rule.id), rule
        assert rule.id[1] != "9", f"{rule.id}: family 9 is for user rules"
        assert rule.id not in seen
        seen.add(rule.id)
        assert rule.summary and len(rule.docs()) > 40, rule.id
        assert not re.search(r"\bTODO\b", rule.docs()), rule.id
