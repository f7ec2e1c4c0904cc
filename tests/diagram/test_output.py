"""Mermaid and DOT text: golden files for the runbook, corpus documents and traces; escaping and ids."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.diagram.helpers import CORPUS_CASES, corpus, data, runbook, runbook_trace, simulated
from toolkit.diagram import to_dot, to_mermaid
from toolkit.diagram.dot import quote
from toolkit.diagram.graph import Graph, graph_of
from toolkit.diagram.mermaid import escape
from toolkit.diagram.trace import Trace, number_text, overlay
from toolkit.errors import GraphError

Golden = Callable[[str, str], None]


def test_runbook(golden: Golden) -> None:
    text = to_mermaid(runbook())
    assert text.startswith("flowchart TD\n") and "```" not in text
    golden("graph/cloudtrail-remediation-action.mmd", text)
    golden("graph/cloudtrail-remediation-action.dot", to_dot(runbook()))


@pytest.mark.parametrize("case", sorted(CORPUS_CASES))
def test_corpus_documents(case: str, golden: Golden) -> None:
    document = corpus(case)
    golden(f"graph/{case}.mmd", to_mermaid(document))
    golden(f"graph/{case}.dot", to_dot(document))


@pytest.mark.parametrize("name", ["flow", "broken"])
def test_test_documents(name: str, golden: Golden) -> None:
    document = data(f"{name}.yaml")
    golden(f"graph/{name}.mmd", to_mermaid(document))
    golden(f"graph/{name}.dot", to_dot(document))


def test_runbook_trace(golden: Golden) -> None:
    trace = runbook_trace()
    mermaid = to_mermaid(runbook(), trace)
    dot = to_dot(runbook(), trace)
    golden("graph/cloudtrail-remediation-action.trace.mmd", mermaid)
    golden("graph/cloudtrail-remediation-action.trace.dot", dot)
    # Every step ran and succeeded: all green, and the 8 transitions (Start ... End) numbered in order.
    assert "class s_0,s_1,s_2,s_3,s_4,s_5,s_6 st_success" in mermaid
    assert [int(n) for n in re.findall(r'\|"#35;(\d+)"\|', mermaid)] == list(range(1, 9))
    assert dot.count('fillcolor="#d3f2da"') == 7 and dot.count("penwidth=3") == 8


def test_trace_through_a_loop_to_a_failure(golden: Golden) -> None:
    document = data("flow.yaml")
    trace = Trace.from_json(simulated(document))
    assert trace.status == "Failed"
    golden("graph/flow.trace.mmd", to_mermaid(document, trace))
    golden("graph/flow.trace.dot", to_dot(document, trace))
    graph = graph_of(document)
    laid = overlay(graph, trace)
    names = {node.id: node.name for node in graph.nodes}
    numbered = {(names[e.source], names[e.target], e.label): laid.numbers.get(i) for i, e in enumerate(laid.edges)}
    # Choose -> Repeat -> Wait is one transition (the loop's own run is recorded after its body's).
    assert numbered["Choose", "Repeat", '{{ Mode }} == "fast" and not ({{ Count }} > 10)'] == [2]
    assert numbered["Repeat", "Wait", "iterate"] == [2, 5]
    assert numbered["WaitMore", "Repeat", "next iteration"] == [5]
    assert numbered["Check", "Repeat", "no match"] == [7]
    assert numbered["Repeat", "Done", ""] == [8]
    assert numbered["Done", "End", ""] is None  # Done failed, and its failure aborts
    assert laid.statuses[graph_id(graph, "Done")] == "Failed"
    assert laid.statuses[graph_id(graph, "Repeat")] == "Success"


def test_trace_of_a_cancel(golden: Golden) -> None:
    from toolkit.simulate import Options, World, simulate

    document = data("flow.yaml")
    result = simulate(document, params={"Mode": "slow"}, world=World.default(), options=Options(cancel_at="Careful"))
    trace = Trace.from_json(result.to_json())
    text = to_mermaid(document, trace)
    golden("graph/flow.cancel.mmd", text)
    assert '-.->|"#35;3 onCancel"|' in text and "class s_2 st_cancelled" in text
    assert "linkStyle 13 stroke:#c2410c,stroke-width:3.5px" in text


def test_a_retry_is_a_trace_only_edge() -> None:
    document = data("flow.yaml")
    trace = Trace.from_data(
        {"steps": [{"name": "Choose", "status": "Failed"}, {"name": "Choose", "status": "Success"}]}
    )
    text = to_mermaid(document, trace)
    assert 's_0 ==>|"#35;2 retry"| s_0' in text
    assert 'digraph "flow"' in to_dot(document, trace)


def test_a_trace_naming_an_unknown_step_is_refused() -> None:
    trace = Trace.from_data({"steps": [{"name": "UpsertTrail", "status": "Success"}, {"name": "Nope", "status": "x"}]})
    with pytest.raises(GraphError, match="Nope"):
        to_mermaid(runbook(), trace)


@pytest.mark.parametrize("bad", ["[]", '{"steps": 3}', '{"steps": [{"status": "Success"}]}', "{"])
def test_a_trace_that_is_not_simulate_json_is_refused(bad: str) -> None:
    with pytest.raises(GraphError):
        Trace.from_json(bad)


def test_many_runs_of_one_edge_are_shortened() -> None:
    assert number_text([1, 2]) == "#1, #2"
    assert number_text(list(range(1, 31))) == "#1, #2, #3 … #30 (30 times)"


def test_mermaid_escapes_what_it_would_read() -> None:
    assert escape('say "hi" <#1> | {x} \\n `a` & b') == (
        "say #34;hi#34; #60;#35;1#62; #124; {x} #92;n #96;a#96; #38; b"
    )
    assert escape("one\ntwo") == "one<br/>two"
    text = to_mermaid(data("flow.yaml"))
    for line in text.splitlines()[1:]:
        for quoted in re.findall(r'"([^"]*)"', line):
            assert not set(quoted.replace("<br/>", "")) & set("<>|`\\"), line


def test_dot_quotes_every_string() -> None:
    assert quote('a "b" \\l\nc') == '"a \\"b\\" \\\\l\\nc"'
    text = to_dot(data("flow.yaml"))
    assert 'subgraph "cluster_c_s_1" {' in text
    assert re.search(r'"s_0" -> "s_1" \[label="\{\{ Mode \}\} == \\"fast\\"', text)


def test_no_mermaid_keyword_is_an_id() -> None:
    text = to_mermaid(data("broken.yaml"))
    defined = re.findall(r"^\s+([A-Za-z0-9_]+)[\[({]", text, flags=re.MULTILINE)
    assert defined and all(re.fullmatch(r"(s|m|n)_[a-z0-9_]+", node_id) for node_id in defined)
    assert not re.search(r"^\s+end\b[^\n]*-->", text, flags=re.MULTILINE)


def graph_id(graph: Graph, name: str) -> str:
    return next(node.id for node in graph.nodes if node.name == name)
