"""The format-neutral graph: which edges a document has, how conditions read, and broken documents drawn."""

from __future__ import annotations

import itertools

import pytest

from tests.diagram.helpers import corpus, data, runbook
from toolkit.diagram.graph import END, START, EdgeKind, Graph, NodeKind, condition_text, graph_of
from toolkit.model.values import JSON


def edges(graph: Graph) -> set[tuple[str, str, EdgeKind, str]]:
    names = {node.id: node.name for node in graph.nodes}
    return {(names[e.source], names[e.target], e.kind, e.label) for e in graph.edges}


def test_the_runbook_is_a_straight_line_from_start_to_end() -> None:
    graph = graph_of(runbook())
    steps = [node.name for node in graph.nodes if node.kind is NodeKind.STEP]
    assert steps[0] == "UpsertTrail" and steps[-1] == "VerifyTrailSettings"
    chain = ["Start", *steps, "End"]
    assert edges(graph) == {(a, b, EdgeKind.FLOW, "") for a, b in itertools.pairwise(chain)}


def test_every_kind_of_edge() -> None:
    graph = graph_of(data("flow.yaml"))
    found = edges(graph)
    assert ("Choose", "Repeat", EdgeKind.CHOICE, '{{ Mode }} == "fast" and not ({{ Count }} > 10)') in found
    assert ("Choose", "Careful", EdgeKind.DEFAULT, "default") in found
    assert ("Repeat", "Done", EdgeKind.FLOW, "") in found  # nextStep leaves the loop
    assert ("Repeat", "Wait", EdgeKind.LOOP, "iterate") in found
    assert ("Check", "Repeat", EdgeKind.LOOP_BACK, "no match") in found  # no Default: isEnd ends the iteration
    assert ("WaitMore", "Repeat", EdgeKind.LOOP_BACK, "next iteration") in found
    assert ("WaitMore", "Repeat", EdgeKind.FAILURE, "onFailure: Continue") in found
    assert ("Careful", "Cleanup", EdgeKind.FAILURE, "onFailure") in found
    assert ("Careful", "Cleanup", EdgeKind.CANCEL, "onCancel") in found
    assert ("Cleanup", "End", EdgeKind.FLOW, "") in found  # isEnd
    # A branch with a Default never follows its own flow; aborting failures are left implicit.
    assert not any(a == "Choose" and k is EdgeKind.FLOW for a, _, k, _ in found)
    assert not any(b == "End" and k is EdgeKind.FAILURE for _, b, k, _ in found)


def test_a_loop_is_a_cluster_holding_its_nested_steps() -> None:
    graph = graph_of(data("flow.yaml"))
    (cluster,) = graph.clusters
    assert cluster.label == "loop Repeat: for each of {{ Items }} (at most 5)"
    inside = [node.name for node in graph.nodes if node.cluster == cluster.id]
    assert inside == ["Wait", "Check", "WaitMore"]
    assert graph.node(cluster.id.removeprefix("c_")).name == "Repeat"


CORPUS_EDGES = {
    "redshift-audit-logging": [
        ("CheckS3KeyPrefix", "EnableLoggingWithPrefix", EdgeKind.DEFAULT, "default"),
        ("CheckS3KeyPrefix", "EnableLoggingWithoutPrefix", EdgeKind.CHOICE, '{{S3KeyPrefix}} == ""'),
        ("EnableLoggingWithoutPrefix", "AssertClusterLoggingEnabled", EdgeKind.FLOW, ""),
        ("EnableLoggingWithPrefix", "AssertClusterBucketPrefix", EdgeKind.FLOW, ""),
    ],
    "reboot-rds": [
        ("continueIfTags", "End", EdgeKind.FLOW, "no match"),
        ("AssertNotRebooting", "RebootInstance", EdgeKind.FLOW, ""),
    ],
    "asg-remove-az": [
        ("RemoveSubnets", "Rollback", EdgeKind.FAILURE, "onFailure"),
        ("RemoveSubnets", "Rollback", EdgeKind.CANCEL, "onCancel"),
    ],
}


@pytest.mark.parametrize("case", sorted(CORPUS_EDGES))
def test_corpus_branches_failures_and_cancels(case: str) -> None:
    found = edges(graph_of(corpus(case)))
    for edge in CORPUS_EDGES[case]:
        assert edge in found


@pytest.mark.parametrize(
    ("choice", "text"),
    [
        ({"Variable": "{{ Check.Status }}", "StringEquals": "Running"}, '{{ Check.Status }} == "Running"'),
        ({"Variable": "{{ N }}", "NumericGreaterOrEquals": 3}, "{{ N }} >= 3"),
        ({"Variable": "{{ B }}", "BooleanEquals": True}, "{{ B }} == true"),
        ({"Variable": "{{ S }}", "StartsWith": "i-"}, '{{ S }} starts with "i-"'),
        ({"Not": {"Variable": "{{ S }}", "Contains": "x"}}, 'not ({{ S }} contains "x")'),
        ({"Not": [{"Variable": "{{ S }}", "EndsWith": "x"}]}, 'not ({{ S }} ends with "x")'),
        (
            {"Or": [{"And": [{"Variable": "a", "StringEquals": "1"}, {"Variable": "b", "StringEquals": "2"}]}]},
            '(a == "1" and b == "2")',
        ),
        (
            {"Or": [{"Variable": "{{ ResourceType }}", "StringEquals": name} for name in ("ec2", "ebs", "vpc")]},
            '{{ ResourceType }} == "ec2"\nor {{ ResourceType }} == "ebs"\nor {{ ResourceType }} == "vpc"',
        ),
        ({"NextStep": "X", "Unknown": 1}, "(no condition)"),
        ("not a mapping", "(no condition)"),
    ],
)
def test_conditions_read_as_written(choice: JSON, text: str) -> None:
    assert condition_text(choice) == text


def test_a_broken_document_still_draws_with_notes() -> None:
    graph = graph_of(data("broken.yaml"))
    found = edges(graph)
    missing = {node.name for node in graph.nodes if node.kind is NodeKind.MISSING}
    assert missing == {"Nowhere", "AlsoNowhere", "Outside"}
    assert ("Odd", "Nowhere", EdgeKind.FLOW, "") in found
    assert ("Odd", "AlsoNowhere", EdgeKind.FAILURE, "onFailure") in found
    assert ("(step 2)", "Odd", EdgeKind.FLOW, "") in found  # a step without a name
    assert ("Deep", "Odd", EdgeKind.FLOW, "") in found  # nextStep wins over isEnd
    assert [c.label for c in graph.clusters] == [
        "loop Deep: while {{ Deep.CurrentIteration }} < 3",
        "loop Inner: for each of 2 values",
    ]
    assert graph.clusters[1].parent == graph.clusters[0].id
    assert any("step 1 of mainSteps is not a mapping" in note for note in graph.notes)
    assert any("loop Hollow has no Steps list" in note for note in graph.notes)
    assert any("choice 2 names no NextStep" in note for note in graph.notes)


def test_ids_are_prefixed_and_unique() -> None:
    graph = graph_of(data("broken.yaml"))
    ids = [node.id for node in graph.nodes]
    assert len(ids) == len(set(ids))
    assert START in ids and END in ids
    assert all(node_id.startswith(("s_", "m_", "n_")) for node_id in ids)
