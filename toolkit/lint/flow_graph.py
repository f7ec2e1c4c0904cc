"""The linter's flow graph of a step list: the edges of ``toolkit.model.flow``'s reading, with the analyses rules
need (reachability, loops that nothing but failure leaves).

Nodes are indexes into one step list's steps (``StepList.steps``, in the order of ``LintDocument.scope_steps``);
a loop's body is its own list. ``normal`` edges are those SSM follows without failing for good (success, and
failure handled by ``Continue`` or ``step:X``); ``abnormal`` ones are a failure that aborts and ``onCancel``
jumps. Edges to a name that is not a step of the list (or a malformed jump) are left out: E2002 reports them.
"""

from __future__ import annotations

from toolkit.model.flow import END, MISSING, EdgeKind, StepList
from toolkit.records import MutableRecord


class FlowGraph(MutableRecord):
    """The flow graph of one step list. A ``MutableRecord`` (``toolkit.records``), as the dataclass it was."""

    __slots__ = ("_reachable", "abnormal", "normal", "steps")
    _FIELDS = ("steps", "normal", "abnormal", "_reachable")

    steps: StepList
    normal: dict[int, set[int]]
    """Edges SSM follows without failing: success, and failure handled by ``Continue`` or ``step:X``."""
    abnormal: dict[int, set[int]]
    """Edges of failure that ends the execution, and ``onCancel`` jumps."""
    _reachable: dict[int, frozenset[int]]

    def __init__(
        self,
        steps: StepList,
        normal: dict[int, set[int]] | None = None,
        abnormal: dict[int, set[int]] | None = None,
        _reachable: dict[int, frozenset[int]] | None = None,
    ) -> None:
        self.steps = steps
        self.normal = {} if normal is None else normal
        self.abnormal = {} if abnormal is None else abnormal
        self._reachable = {} if _reachable is None else _reachable

    def successors(self, node: int) -> set[int]:
        return self.normal.get(node, set()) | self.abnormal.get(node, set())

    def reachable_from(self, start: int) -> frozenset[int]:
        """Nodes reachable from ``start`` by at least one edge (``start`` itself only through a cycle)."""
        found = self._reachable.get(start)
        if found is None:
            found = self._reachable[start] = frozenset(self._search(start))
        return found

    def _search(self, start: int) -> set[int]:
        seen: set[int] = set()
        stack = [n for n in self.successors(start) if n != END]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(n for n in self.successors(node) if n != END and n not in seen)
        return seen

    def cycles_without_exit(self) -> list[list[int]]:
        """Strongly connected groups of steps with a cycle that no normal edge leaves."""
        groups = _strongly_connected(len(self.steps.steps), self.normal)
        stuck = []
        for group in groups:
            members = set(group)
            looping = len(group) > 1 or group[0] in self.normal.get(group[0], set())
            if not looping:
                continue
            leaves = any(target not in members for node in group for target in self.normal.get(node, set()))
            if not leaves:
                stuck.append(sorted(group))
        return stuck


def flow_graph(steps: StepList) -> FlowGraph:
    """The graph of one step list, from its flow reading. Loop entries (edges into a body) stay out."""
    graph = FlowGraph(steps)
    for index, edges in enumerate(steps.edges):
        normal = graph.normal.setdefault(index, set())
        abnormal = graph.abnormal.setdefault(index, set())
        for edge in edges:
            if edge.target == MISSING or edge.kind is EdgeKind.LOOP:
                continue
            (normal if edge.kind.normal else abnormal).add(edge.target)
    return graph


def _strongly_connected(count: int, edges: dict[int, set[int]]) -> list[list[int]]:
    """Tarjan's algorithm, iterative (documents may be long)."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    groups: list[list[int]] = []
    counter = 0
    for root in range(count):
        if root in index_of:
            continue
        work = [(root, iter(sorted(n for n in edges.get(root, set()) if n != END)))]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(n for n in edges.get(child, set()) if n != END))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index_of[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
    return groups
