"""The simulator's selectors read as Jayway JsonPath reads them: Debian's libjsonpath-java (Jayway 2.0.0), run by one
JVM for the session (tests/oracles/JsonPathOracle.java, compiled here into a temporary folder), side by side with
``toolkit.simulate.jsonpath`` on every corpus selector, on every comparison a filter can make, and on thousands of
generated documents and selectors. Without the package or a JDK these tests are skipped, in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given

from tests.conftest import outside
from tests.oracles import jayway
from tests.oracles import jsonpath_cases as cases
from toolkit.aws.models import ModelStore
from toolkit.simulate.jsonpath_java import to_string

MINIMUM_GENERATED = 5000


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[jayway.Jayway]:
    if jayway.missing() is not None:
        pytest.skip(outside(jayway.NEEDS))
    yield from jayway.started(tmp_path_factory.mktemp("jayway"))


def unexplained(outcomes: list[cases.Outcome]) -> list[str]:
    return [
        f"{each.case.path!r} on {each.case.doc[:160]} ({each.case.origin}): {each.differs}"
        for each in outcomes
        if each.differs is not None and each.kept is None
    ]


def test_every_corpus_selector_reads_as_jayway_does(oracle: jayway.Jayway) -> None:
    selectors = cases.corpus_selectors()
    corpus = cases.corpus_cases(ModelStore())
    outcomes = cases.compare(oracle, corpus)
    assert len(selectors) >= 890 and len(corpus) >= 5 * len(selectors)  # the vendored corpus alone has 892
    assert unexplained(outcomes) == []
    found = {each.case.origin for each in outcomes if each.ours["outcome"] == "value"}
    silent = {each.case.path for each in outcomes if each.case.origin not in found}
    # Each finds something in some response of its step, but for the documents that read a Payload from an
    # aws:executeAwsApi response, which has none (their own defect: it is not found on AWS either).
    assert {path.split(".")[1] for path in silent} == {"Payload"}


def test_generated_selectors_read_as_jayway_does(oracle: jayway.Jayway) -> None:
    differences: list[str] = []
    counted: list[int] = []

    @given(cases.batches)
    def compare(batch: list[cases.Case]) -> None:
        found = unexplained(cases.compare(oracle, batch))
        counted.append(len(batch))
        differences.extend(found)
        assert found == []

    compare()
    assert differences == []
    assert sum(counted) >= MINIMUM_GENERATED


def test_every_comparison_reads_as_jayway_does(oracle: jayway.Jayway) -> None:
    outcomes = cases.compare(oracle, cases.table_cases())
    assert len(outcomes) > 20000
    assert unexplained(outcomes) == []
    kinds = {each.ours["outcome"] for each in outcomes}
    assert kinds == {"value", "failed", "invalid"}  # a number against 'abc' fails the read; '' quotes nothing


@given(cases.documents)
def test_values_print_as_java_prints_them(oracle: jayway.Jayway, document: Any) -> None:
    """What a filter's /regex/ matches a map, a list or a number against: String.valueOf in json-smart's types."""
    text = json.dumps(document)
    assert to_string(json.loads(text)) == oracle.to_string([text])[0]


def test_the_hand_written_expectations_are_jayway_s(oracle: jayway.Jayway) -> None:
    """tests/simulate/test_jsonpath.py's tables (which run without a JVM) say what Jayway says."""
    from tests.simulate import test_jsonpath as hand

    selectors = [
        *(selector for selector, _ in (*hand.DEFINITE, *hand.INDEFINITE, *hand.FAILED, *hand.INVALID)),
        *hand.NOT_FOUND_INDEFINITE,
    ]
    doc = json.dumps(hand.DOC)
    outcomes = cases.compare(oracle, [cases.Case(doc, selector, "test_jsonpath") for selector in selectors])
    assert len(outcomes) > 150
    assert unexplained(outcomes) == []
