"""A Simulator carries nothing from one simulation into another: interleaved documents and worlds give the results
fresh Simulators give, worlds are never changed, results share nothing with the caches, caches stay bounded, and
two Simulators share nothing."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from toolkit.fakes.world import World
from toolkit.load import load, load_text
from toolkit.model.document import Document
from toolkit.simulate import Options, simulate
from toolkit.simulate.simulator import PLAN_CACHE_SIZE, Simulator, default_simulator

REFERENCE = Path(__file__).resolve().parents[2] / "bench" / "data" / "reference-runbook.yaml"
PARAMS_A = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}
# A loop over map iterators (its CurrentIteratorValue output is the document's own map), a list variable, and an
# API call with a literal list parameter: every place a result could share a list or map with the plan.
TEXT_B = textwrap.dedent(
    """
    schemaVersion: '0.3'
    parameters:
      Tags:
        type: StringList
        default: [a, b]
    variables:
      Seen:
        type: StringList
        default: [x]
    mainSteps:
      - name: Walk
        action: aws:loop
        inputs:
          Iterators: [{"k": "one"}, {"k": "two"}]
          IteratorDataType: StringMap
          Steps:
            - name: Nap
              action: aws:sleep
              inputs:
                Duration: PT1S
      - name: Remember
        action: aws:updateVariable
        inputs:
          Name: variable:Seen
          Value: '{{ Tags }}'
      - name: Describe
        action: aws:executeAwsApi
        onFailure: Continue
        inputs:
          Service: cloudtrail
          Api: DescribeTrails
          trailNameList: [main, other]
        outputs:
          - Name: Count
            Selector: $.trailList.length()
            Type: Integer
    """
)


def worlds() -> tuple[World, World]:
    """w1: the default world (the trail exists); w2: the same without trails."""
    first = World.default()
    data = first.to_dict()
    data["Trails"] = []
    return first, World.from_dict(data)


def documents() -> tuple[Document, Document]:
    return load(REFERENCE), load_text(TEXT_B, file="b.yaml")


def params_of(doc: Document, a: Document) -> dict[str, Any]:
    return dict(PARAMS_A) if doc is a else {}


def fingerprint(result: Any) -> tuple[str, Any]:
    return result.to_json(), result.world.to_dict()


ORDER = ("A1", "B2", "A2", "B1", "A1", "A1", "B2", "B1", "A2")


def test_interleaved_runs_through_one_simulator_match_fresh_simulators_and_leave_worlds_untouched() -> None:
    a, b = documents()
    w1, w2 = worlds()
    before = {"1": w1.to_dict(), "2": w2.to_dict()}
    shared = Simulator()
    docs = {"A": a, "B": b}
    world_of = {"1": w1, "2": w2}
    seen: dict[str, tuple[str, Any]] = {}
    for key in ORDER:
        doc, world = docs[key[0]], world_of[key[1]]
        got = fingerprint(shared.simulate(doc, params_of(doc, a), world))
        fresh = fingerprint(Simulator().simulate(doc, params_of(doc, a), world))
        module = fingerprint(simulate(doc, params_of(doc, a), world))
        assert got == fresh == module, key
        assert seen.setdefault(key, got) == got, key
        assert {"1": w1.to_dict(), "2": w2.to_dict()} == before
    assert seen["A1"] != seen["A2"]  # the worlds do differ: the trail is updated in one, created in the other


def test_changing_a_result_changes_no_later_run() -> None:
    a, b = documents()
    w1, _ = worlds()
    simulator = Simulator()
    for doc in (a, b):
        first = simulator.simulate(doc, params_of(doc, a), w1)
        expected = fingerprint(first)
        for value in first.step_outputs.values():
            if isinstance(value, dict):
                value["changed"] = True
            elif isinstance(value, list):
                value.append("changed")
        for step in first.steps:
            step.outputs["Extra"] = 1
            for value in step.outputs.values():
                if isinstance(value, dict):
                    value.clear()
        for call in first.calls:
            for value in call.params.values():
                if isinstance(value, list):
                    value.append({"changed": True})
            call.params["Extra"] = 1
        assert first.world is not None
        first.world.trails.clear()
        first.world.buckets.clear()
        again = simulator.simulate(doc, params_of(doc, a), w1)
        assert fingerprint(again) == expected


def test_the_loop_output_and_call_parameters_are_copies_of_the_documents_values() -> None:
    _, b = documents()
    simulator = Simulator()
    result = simulator.simulate(b, {}, World.default())
    assert result.step_outputs["Walk.CurrentIteratorValue"] == {"k": "two"}
    result.step_outputs["Walk.CurrentIteratorValue"]["k"] = "mutated"
    [call] = result.calls
    call.params["trailNameList"].append("mutated")
    again = simulator.simulate(b, {}, World.default())
    assert again.step_outputs["Walk.CurrentIteratorValue"] == {"k": "two"}
    assert again.calls[0].params["trailNameList"] == ["main", "other"]


def test_parameters_given_are_never_kept_or_shared() -> None:
    a, _ = documents()
    simulator = Simulator()
    params: dict[str, Any] = dict(PARAMS_A)
    first = simulator.simulate(a, params, World.default())
    params["CloudTrailName"] = "other"
    second = simulator.simulate(a, params, World.default())
    assert first.to_json() != second.to_json()
    assert fingerprint(simulator.simulate(a, PARAMS_A, World.default())) == fingerprint(first)


def test_caches_never_exceed_their_bounds() -> None:
    assert PLAN_CACHE_SIZE == 64
    simulator = Simulator(plan_cache_size=3)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    kept = [load_text(TEXT_B, file="b.yaml") for _ in range(6)]
    for index, doc in enumerate(kept):
        simulator.simulate(doc, {}, World.default(), options=Options(start=start + timedelta(days=index)))
        assert simulator.cache_sizes()["plans"] <= 3
    # Nothing is kept per start instant: the time-valued system variables are read from each execution's clock.
    assert simulator.cache_sizes() == {"plans": 3}
    # The least recently used plan went first: the last three are still compiled once.
    assert simulator.plan_of(kept[-1]) is simulator.plan_of(kept[-1])
    assert simulator.cache_sizes()["plans"] == 3


def test_documents_given_as_data_are_compiled_on_every_call() -> None:
    simulator = Simulator()
    data: dict[str, Any] = load_text(TEXT_B, file="b.yaml").to_dict()
    assert simulator.simulate(data, {}, World.default()).status == "Success"
    data["mainSteps"][0]["inputs"]["Iterators"] = [{"k": "three"}]
    changed = simulator.simulate(data, {}, World.default())
    assert changed.step_outputs["Walk.CurrentIteratorValue"] == {"k": "three"}
    assert simulator.cache_sizes()["plans"] == 0


def test_two_simulators_share_nothing() -> None:
    a, _ = documents()
    first, second = Simulator(), Simulator()
    assert first.models is not second.models
    assert first.plan_of(a) is first.plan_of(a)
    assert first.plan_of(a) is not second.plan_of(a)
    assert second.cache_sizes() == {"plans": 1}
    first.simulate(a, PARAMS_A, World.default())
    assert second.cache_sizes() == {"plans": 1}
    assert default_simulator() is default_simulator()
    assert default_simulator() not in (first, second)


@pytest.mark.parametrize("order", [("A", "B"), ("B", "A")])
def test_the_order_of_documents_does_not_matter(order: tuple[str, str]) -> None:
    a, b = documents()
    docs = {"A": a, "B": b}
    simulator = Simulator()
    results = {}
    for key in order:
        results[key] = fingerprint(simulator.simulate(docs[key], params_of(docs[key], a), World.default()))
    for key in order:
        assert results[key] == fingerprint(Simulator().simulate(docs[key], params_of(docs[key], a), World.default()))


def test_worlds_read_anew_share_their_policies_compiled_statements_through_the_simulator() -> None:
    """Each fresh world reads its bucket and key policies (and AdministratorAccess) anew; the Simulator compiles
    each document once for all of them, and the results are those of a world compiling its own."""
    data = World.default().to_dict()
    simulator = Simulator()
    first, second = World.from_dict(data), World.from_dict(data)
    results = [simulator.simulate(REFERENCE, PARAMS_A, world) for world in (first, second)]
    assert simulator.statements is not None
    compiled = len(simulator.statements)
    assert compiled >= 2  # the default caller's AdministratorAccess, the trail's bucket policy...
    assert results[1].world.statements is simulator.statements
    prepared = [result.world.buckets["trail-logs-123456789012"].policy for result in results]
    assert prepared[0] is not prepared[1]  # two worlds' own policies ...
    assert prepared[0]._statements is prepared[1]._statements is not None  # ... one compiled form
    simulator.simulate(REFERENCE, PARAMS_A, World.from_dict(data))
    assert len(simulator.statements) == compiled  # a third world compiles nothing new
    alone = Simulator()
    assert [r.to_dict() for r in results] == [alone.simulate(REFERENCE, PARAMS_A, World.from_dict(data)).to_dict()] * 2


def test_an_aws_managed_policy_is_read_once_per_simulator_and_each_world_gets_its_own_policy() -> None:
    data = World.default().to_dict()
    simulator = Simulator()
    results = [simulator.simulate(REFERENCE, PARAMS_A, World.from_dict(data)) for _ in range(2)]
    first, second = (result.world.compiled["aws-managed:AdministratorAccess"] for result in results)
    assert first is not second  # each world its own Policy (its own memo) ...
    assert first.document is second.document  # ... of the one document read
    assert first._statements is second._statements is not None  # ... compiled once
