"""A simulated execution laid over the step graph: which steps ran, how they ended, and the path taken.

The trace is the JSON ``runbook simulate --format json`` prints (``steps`` in the order they ran, each with
``name`` and ``status``). Each step node takes the status of its last run. Each transition between two runs
(and from Start to the first run, and from the last run to End when an edge fitting how it ended goes there) is
numbered in order and laid on the edge that explains it:
- the edge kind must fit how the earlier run ended: Success follows the flow, branch and loop edges; Failed or
  TimedOut an ``onFailure`` edge; Cancelled an ``onCancel`` edge;
- a loop step's run is recorded after its body's runs (the loop ends when its body has), so a transition may
  pass through loop steps entering their bodies: ``Before -> Loop -> First`` and, for the next iteration,
  ``Last -> Loop -> First``; every edge passed carries the number;
- a transition that no edge explains (a retry of the same step, a failure that aborts a loop body) becomes a
  trace-only edge, so the path is never lost.
When several edges explain a transition (two choices of a branch going to the same step), the first in document
order carries the number: the simulator's JSON does not say which choice matched.
Decision: a step name that is in several step lists (a loop body may reuse a name) resolves to the one reachable
from the previous run, else the first in document order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from toolkit.diagram.graph import END, START, Edge, EdgeKind, Graph, NodeKind
from toolkit.errors import GraphError

SUCCESS: Final = "Success"
FAILURE_STATUSES: Final = ("Failed", "TimedOut")
CANCELLED: Final = "Cancelled"
NORMAL_KINDS: Final = frozenset({EdgeKind.FLOW, EdgeKind.CHOICE, EdgeKind.DEFAULT, EdgeKind.LOOP, EdgeKind.LOOP_BACK})
LOOP_ONLY: Final = frozenset({EdgeKind.LOOP})
STEP_KINDS: Final = frozenset({NodeKind.STEP, NodeKind.BRANCH, NodeKind.LOOP})
SHOWN_NUMBERS: Final = 4


@dataclass(frozen=True, slots=True)
class TraceStep:
    name: str
    status: str


@dataclass(frozen=True, slots=True)
class Trace:
    """The runs of one simulated execution, in order, and how the execution ended (None: it never started)."""

    steps: tuple[TraceStep, ...]
    status: str | None = None
    source: str = field(default="trace", compare=False)
    """Where the trace was read from, for messages."""

    @classmethod
    def from_json(cls, text: str, *, source: str = "trace") -> Trace:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise GraphError(f"{source}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from err
        return cls.from_data(data, source=source)

    @classmethod
    def from_data(cls, data: object, *, source: str = "trace") -> Trace:
        """Read the simulate JSON (already parsed); raises GraphError naming what does not fit."""
        if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
            raise GraphError(f"{source}: not a simulation result (runbook simulate --format json): no steps list")
        steps = []
        for index, step in enumerate(data["steps"]):
            if not (isinstance(step, dict) and isinstance(step.get("name"), str)):
                raise GraphError(f"{source}: steps[{index}] has no name")
            status = step.get("status")
            steps.append(TraceStep(step["name"], status if isinstance(status, str) else "Unknown"))
        status = data.get("status")
        return cls(tuple(steps), status if isinstance(status, str) else None, source)


@dataclass
class Overlay:
    """The graph's edges plus trace-only edges, the transition numbers on each edge (by index) and each step
    node's status."""

    edges: list[Edge]
    numbers: dict[int, list[int]] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)

    def label(self, index: int) -> str:
        """The edge's label with its transition numbers in front (``#2, #5``)."""
        edge = self.edges[index]
        numbers = self.numbers.get(index)
        if not numbers:
            return edge.label
        prefix = number_text(numbers)
        return f"{prefix} {edge.label}" if edge.label else prefix


def number_text(numbers: list[int]) -> str:
    if len(numbers) <= SHOWN_NUMBERS:
        return ", ".join(f"#{n}" for n in numbers)
    shown = ", ".join(f"#{n}" for n in numbers[: SHOWN_NUMBERS - 1])
    return f"{shown} … #{numbers[-1]} ({len(numbers)} times)"


def overlay(graph: Graph, trace: Trace | None) -> Overlay:
    """Lay a trace over the graph. Raises GraphError naming a step of the trace that the document lacks."""
    result = Overlay(list(graph.edges))
    if trace is None:
        return result
    outgoing: dict[str, list[int]] = {}
    for index, edge in enumerate(graph.edges):
        outgoing.setdefault(edge.source, []).append(index)
    kinds = {node.id: node.kind for node in graph.nodes}
    by_name: dict[str, list[str]] = {}
    for each in graph.nodes:
        if each.kind in STEP_KINDS:
            by_name.setdefault(each.name, []).append(each.id)
    trace_edges: dict[tuple[str, str], int] = {}

    def path(source: str, target: str, status: str) -> list[int] | None:
        """Edge indexes from source to target: a first edge that fits the status, then loop entries."""
        allowed = _allowed(status)
        stack: list[tuple[str, list[int]]] = [(source, [])]
        while stack:
            node, taken = stack.pop(0)
            for index in outgoing.get(node, []):
                edge = graph.edges[index]
                if edge.kind not in (LOOP_ONLY if taken else allowed) or index in taken:
                    continue
                if edge.target == target:
                    return [*taken, index]
                if kinds.get(edge.target) is NodeKind.LOOP:
                    stack.append((edge.target, [*taken, index]))
        return None

    def step(source: str, target: str, status: str, number: int) -> None:
        found = path(source, target, status)
        if found is None:
            key = (source, target)
            if key not in trace_edges:
                trace_edges[key] = len(result.edges)
                label = "retry" if source == target else ""
                result.edges.append(Edge(source, target, EdgeKind.TRACE, label))
            found = [trace_edges[key]]
        for index in found:
            result.numbers.setdefault(index, []).append(number)

    previous, previous_status = START, SUCCESS
    for number, run in enumerate(trace.steps, start=1):
        candidates = by_name.get(run.name)
        if not candidates:
            raise GraphError(f"{trace.source}: the trace names step {run.name}, which is not in the document")
        node = next((c for c in candidates if path(previous, c, previous_status) is not None), candidates[0])
        step(previous, node, previous_status, number)
        result.statuses[node] = run.status
        previous, previous_status = node, run.status
    if trace.steps:
        found = path(previous, END, previous_status)
        if found is not None:
            for index in found:
                result.numbers.setdefault(index, []).append(len(trace.steps) + 1)
    return result


def _allowed(status: str) -> frozenset[EdgeKind]:
    if status == SUCCESS:
        return NORMAL_KINDS
    if status in FAILURE_STATUSES:
        return frozenset({EdgeKind.FAILURE})
    if status == CANCELLED:
        return frozenset({EdgeKind.CANCEL})
    return frozenset(EdgeKind)


STATUS_COLORS: Final[Mapping[str, tuple[str, str]]] = {
    "Success": ("#d3f2da", "#1e7b34"),
    "Failed": ("#fbd5d5", "#b42318"),
    "TimedOut": ("#fff1c2", "#a15c07"),
    "Cancelled": ("#e4e4e7", "#52525b"),
}
"""Fill and border of a step node by the status of its last run; any other status is drawn as Cancelled."""
OTHER_COLORS: Final = ("#e4e4e7", "#52525b")
