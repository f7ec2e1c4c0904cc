"""Property 5 of the runbook: after every successful remediation, the Config rules evaluate COMPLIANT.

The runbook is simulated in generated worlds with its best-practice defaults (multi-region, global events, log
file validation, SSE-KMS, Insights); whenever it ends Success, each of the three managed CloudTrail rules the
pattern may use evaluates COMPLIANT in the world it leaves.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import event, given, settings

from toolkit.documents import read_runbook
from toolkit.fakes.config import RULES, ConfigRule, evaluate
from toolkit.fakes.world import World
from toolkit.model.document import Document
from toolkit.simulate import simulate
from toolkit.testing import worlds_and_params


@cache
def runbook() -> Document:
    return read_runbook("cloudtrail-remediation-action").model()


@settings(max_examples=1000)
@given(worlds_and_params())
def test_after_every_successful_remediation_the_rules_evaluate_compliant(case: tuple[World, dict[str, Any]]) -> None:
    world, params = case
    result = simulate(runbook(), params, world)
    event(f"status {result.status}")
    if result.status != "Success":
        return
    assert result.world is not None
    for name in RULES:
        evaluation = evaluate(ConfigRule(name), result.world)
        assert evaluation.compliant, evaluation.annotation
