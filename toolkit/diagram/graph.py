"""A format-neutral step graph of a document: nodes, edges and loop clusters, ready for Mermaid or DOT.

Built from the document's data (``Document.to_dict()``), as the linter's flow graph is, so that any document
draws, broken ones included: a step that is not a mapping is skipped with a note, a step without a name is
shown as ``(step N)``, an unknown action is shown as written, and a jump to a name that is not a step of its
list goes to a "missing" node named after it.

Edges are those of ``toolkit.model.flow``'s reading, the one the linter, simulator and model use:
- normal flow: ``nextStep``, else ``isEnd`` (to End), else the next step of the list (the last step to End);
- aws:branch: one edge per choice, labelled with its condition (And/Or/Not written out), and ``Default``
  labelled "default"; with no Default, the step's own flow is labelled "no match";
- ``onFailure: Continue`` / ``step:X`` (failure edges) and ``onCancel: step:X`` (cancel edges), each its own kind.
  Decision: a failure or cancel that aborts (``Abort``, explicit or by default) is left implicit: every step has
  one, and drawing them all to End would bury the flow;
- aws:loop: its nested steps form a cluster; the loop step enters the body ("iterate"), and the end of the
  body (falling off its last step, or ``isEnd``) goes back to the loop step ("next iteration"); the loop step's
  own flow leaves the loop. Jumps inside a body resolve within that body, as the simulator resolves them.
Node ids are ``s_<index>`` (nested: ``s_<index>_<index>``), ``n_start``, ``n_end`` and ``m_<k>`` for missing
targets: safe in Mermaid (no keyword such as ``end``) and in DOT.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from toolkit.model import flow
from toolkit.model.document import Document
from toolkit.model.flow import StepFlow, StepList, read_flow
from toolkit.model.values import JSON
from toolkit.ssm.actions import BOOLEAN_OPERATORS, NUMERIC_OPERATORS, OPERATORS

START: Final = "n_start"
END: Final = "n_end"
NO_CONDITION: Final = "(no condition)"
WRAP: Final = 48
"""And/Or conditions longer than this are written one part a line."""

SYMBOLS: Final[dict[str, str]] = {
    "StringEquals": "==",
    "EqualsIgnoreCase": "equals (ignore case)",
    "StartsWith": "starts with",
    "EndsWith": "ends with",
    "Contains": "contains",
    "NumericEquals": "==",
    "NumericGreater": ">",
    "NumericLesser": "<",
    "NumericGreaterOrEquals": ">=",
    "NumericLesserOrEquals": "<=",
    "BooleanEquals": "==",
}


class NodeKind(enum.Enum):
    START = "start"
    END = "end"
    STEP = "step"
    BRANCH = "branch"
    LOOP = "loop"
    MISSING = "missing"


class EdgeKind(enum.Enum):
    FLOW = "flow"
    """Normal flow: the next step of the list, nextStep, isEnd, the start, a branch without a match."""
    CHOICE = "choice"
    DEFAULT = "default"
    FAILURE = "failure"
    CANCEL = "cancel"
    LOOP = "loop"
    """A loop step entering its body."""
    LOOP_BACK = "loop-back"
    """The end of a loop body, back to its loop step."""
    TRACE = "trace"
    """Only in a trace overlay: a transition of the execution that no edge of the document explains."""


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: NodeKind
    name: str
    action: str = ""
    cluster: str | None = None
    """The id of the loop cluster holding this node, if any."""


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    label: str = ""
    back: bool = False
    """The edge ends an iteration, back to its loop step (drawn without pulling the loop step down)."""


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    label: str
    parent: str | None = None


@dataclass
class Graph:
    """Nodes in document order, edges in the order of their source steps, loop clusters, and notes on what was
    skipped or could not be resolved."""

    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _missing: dict[str, str] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        return next(node for node in self.nodes if node.id == node_id)

    def nesting(self) -> tuple[dict[str | None, list[Cluster]], dict[str | None, list[Node]]]:
        """(clusters by parent cluster id, nodes by cluster id); None is the top level. Writers walk it."""
        children: dict[str | None, list[Cluster]] = {}
        for cluster in self.clusters:
            children.setdefault(cluster.parent, []).append(cluster)
        members: dict[str | None, list[Node]] = {}
        for node in self.nodes:
            members.setdefault(node.cluster, []).append(node)
        return children, members

    def missing(self, name: str) -> str:
        """The id of the node standing for a jump target that is not a step."""
        node_id = self._missing.get(name)
        if node_id is None:
            node_id = self._missing[name] = f"m_{len(self._missing)}"
            self.nodes.append(Node(node_id, NodeKind.MISSING, name))
        return node_id


def graph_of(document: Document) -> Graph:
    """The step graph of a document."""
    data = document.to_dict()
    graph = Graph(title=document.name or "document")
    graph.nodes.append(Node(START, NodeKind.START, "Start"))
    steps = data.get("mainSteps")
    if not isinstance(steps, list) and steps is not None:
        graph.notes.append("mainSteps is not a list; no step drawn")
    first = _scope(graph, read_flow(data), prefix="s", exit_to=END, cluster=None, where="mainSteps")
    graph.edges.insert(0, Edge(START, first or END, EdgeKind.FLOW))
    graph.nodes.append(Node(END, NodeKind.END, "End"))
    return graph


def _scope(graph: Graph, steps: StepList, *, prefix: str, exit_to: str, cluster: str | None, where: str) -> str | None:
    """Add one step list (main or a loop body); return the id of its first step. ``exit_to`` is where the list
    ends: End for the main list, the loop step for a body."""
    for position in steps.skipped:
        graph.notes.append(f"step {position + 1} of {where} is not a mapping; skipped")
    ids = [f"{prefix}_{step.position}" for step in steps.steps]
    for node_id, step, edges in zip(ids, steps.steps, steps.edges, strict=True):
        label = step.name if step.name is not None else f"(step {step.position + 1})"
        action = step.action or ""
        kind = {"aws:branch": NodeKind.BRANCH, "aws:loop": NodeKind.LOOP}.get(action, NodeKind.STEP)
        graph.nodes.append(Node(node_id, kind, label, action, cluster))
        _step_edges(graph, node_id, label, step, edges, ids, exit_to)
        if kind is NodeKind.LOOP:
            _loop(graph, node_id, label, step)
    return ids[0] if ids else None


def _step_edges(
    graph: Graph, node_id: str, name: str, step: StepFlow, edges: Sequence[flow.Edge], ids: Sequence[str], exit_to: str
) -> None:
    """The drawn edges of one step: the flow reading's, labelled; a failure that aborts is left implicit."""
    inputs = step.data.get("inputs")
    choices = inputs.get("Choices") if isinstance(inputs, dict) else None
    choices = choices if isinstance(choices, list) else []
    pending = iter(edges)
    for number, target in enumerate(step.choices, start=1):
        if target is None:
            graph.notes.append(f"step {name}: choice {number} names no NextStep; not drawn")
            continue
        _draw(graph, node_id, name, next(pending), ids, exit_to, condition_text(choices[number - 1]))
    for edge in pending:
        if edge.kind is flow.EdgeKind.FLOW or edge.kind is flow.EdgeKind.LOOP_BACK:
            label = "no match" if step.action == "aws:branch" else ""
        elif edge.kind is flow.EdgeKind.FAILURE:
            label = "onFailure" if edge.name is not None else "onFailure: Continue"
        else:
            label = {flow.EdgeKind.DEFAULT: "default", flow.EdgeKind.CANCEL: "onCancel"}.get(edge.kind, "")
        if edge.kind in (flow.EdgeKind.ABORT_END, flow.EdgeKind.LOOP):
            continue  # aborts are implicit (every step has one); the loop's entry is drawn with its body
        if edge.target == flow.MISSING and edge.name is None:
            key = "onFailure" if edge.kind is flow.EdgeKind.FAILURE else "onCancel"
            graph.notes.append(
                f"step {name}: {key} {step.data.get(key)!r} is not Abort, Continue or step:NAME; not drawn"
            )
            continue
        _draw(graph, node_id, name, edge, ids, exit_to, label)


def _draw(graph: Graph, node_id: str, name: str, edge: flow.Edge, ids: Sequence[str], exit_to: str, label: str) -> None:
    if edge.target == flow.MISSING:
        graph.notes.append(f"step {name} jumps to {edge.name}, which is not a step of its list")
        target = graph.missing(str(edge.name))
    else:
        target = exit_to if edge.target == flow.END else ids[edge.target]
    kind = EDGE_KINDS[edge.kind]
    if kind is EdgeKind.LOOP_BACK:
        label = label or "next iteration"
    graph.edges.append(Edge(node_id, target, kind, label, back=target == exit_to != END))


EDGE_KINDS: Final[dict[flow.EdgeKind, EdgeKind]] = {
    flow.EdgeKind.FLOW: EdgeKind.FLOW,
    flow.EdgeKind.CHOICE: EdgeKind.CHOICE,
    flow.EdgeKind.DEFAULT: EdgeKind.DEFAULT,
    flow.EdgeKind.FAILURE: EdgeKind.FAILURE,
    flow.EdgeKind.CANCEL: EdgeKind.CANCEL,
    flow.EdgeKind.LOOP: EdgeKind.LOOP,
    flow.EdgeKind.LOOP_BACK: EdgeKind.LOOP_BACK,
}
"""The drawn kind of each flow edge (aborts are not drawn)."""


def _loop(graph: Graph, node_id: str, name: str, step: StepFlow) -> None:
    body = step.body
    if body is None or not (body.steps or body.skipped):
        graph.notes.append(f"loop {name} has no Steps list; body not drawn")
        return
    inputs = step.data.get("inputs")
    inputs = inputs if isinstance(inputs, dict) else {}
    parent = next((node.cluster for node in graph.nodes if node.id == node_id), None)
    cluster = f"c_{node_id}"
    graph.clusters.append(Cluster(cluster, loop_text(name, inputs), parent))
    position = len(graph.edges)
    first = _scope(graph, body, prefix=node_id, exit_to=node_id, cluster=cluster, where=f"loop {name}")
    if first is not None:
        graph.edges.insert(position, Edge(node_id, first, EdgeKind.LOOP, "iterate"))


def loop_text(name: str, inputs: Mapping[str, JSON]) -> str:
    """A loop cluster's title: what it iterates over, or its condition, and its limit."""
    text = f"loop {name}"
    iterators = inputs.get("Iterators")
    condition = inputs.get("LoopCondition")
    if isinstance(iterators, str):
        text += f": for each of {iterators}"
    elif isinstance(iterators, list):
        text += f": for each of {len(iterators)} values"
    elif isinstance(condition, dict):
        text += f": while {condition_text(condition)}"
    maximum = inputs.get("MaxIterations")
    if maximum is not None:
        text += f" (at most {_scalar(maximum)})"
    return text


def condition_text(choice: JSON) -> str:
    """A branch condition as a reader writes it: ``{{ Check.Status }} == "Running"``, with and / or / not."""
    if not isinstance(choice, dict):
        return NO_CONDITION
    for key, word in (("And", "and"), ("Or", "or")):
        parts = choice.get(key)
        if isinstance(parts, list):
            texts = [_grouped(part) for part in parts]
            joined = f" {word} ".join(texts)
            return joined if len(joined) <= WRAP else f"\n{word} ".join(texts)
    if "Not" in choice:
        inner = choice["Not"]
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return f"not ({condition_text(inner)})"
    for operator in OPERATORS:
        if operator in choice:
            value = choice[operator]
            shown = _scalar(value) if operator in NUMERIC_OPERATORS + BOOLEAN_OPERATORS else _quoted(value)
            return f"{_scalar(choice.get('Variable'))} {SYMBOLS[operator]} {shown}"
    return NO_CONDITION


def _grouped(part: JSON) -> str:
    text = condition_text(part)
    compound = isinstance(part, dict) and ("And" in part or "Or" in part)
    return f"({text})" if compound else text


def _scalar(value: JSON) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _quoted(value: JSON) -> str:
    """A text operand in double quotes as written (not JSON-escaped: a label is read, not parsed)."""
    return f'"{value}"' if isinstance(value, str) else _scalar(value)
