"""The flow graph of a step list: which step may run after which, as SSM moves through a document.

After a step succeeds SSM runs its ``nextStep``, else stops if ``isEnd``, else runs the next step in the list.
aws:branch runs a matching choice's ``NextStep``, else ``Default``; when no choice matches and there is no
Default it goes on like any other step (decision: AWS's docs are silent, and this is the generous reading).
After a step fails, ``onFailure`` decides: ``Abort`` ends the execution, ``Continue`` runs the next step,
``step:X`` runs X. ``onCancel: step:X`` runs X on cancel.
Nodes are indexes into one step list (``scope``); a loop's body is its own list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from toolkit.lint.context import StepSite

END: Final = -1  # the execution ends (with success, or as the failure's outcome)


@dataclass
class FlowGraph:
    sites: Sequence[StepSite]
    names: dict[str, int] = field(default_factory=dict)
    normal: dict[int, set[int]] = field(default_factory=dict)
    """Edges SSM follows without failing: success, and failure handled by ``Continue`` or ``step:X``."""
    abnormal: dict[int, set[int]] = field(default_factory=dict)
    """Edges of failure that ends the execution, and ``onCancel`` jumps."""
    _reachable: dict[int, frozenset[int]] = field(default_factory=dict)

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
        groups = _strongly_connected(len(self.sites), self.normal)
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


def build(sites: Sequence[StepSite]) -> FlowGraph:
    graph = FlowGraph(sites, {site.name: i for i, site in reversed(list(enumerate(sites))) if site.name})
    count = len(sites)
    for index, site in enumerate(sites):
        following = index + 1 if index + 1 < count else END
        normal: set[int] = set()
        abnormal: set[int] = set()
        data = site.data
        next_step = data.get("nextStep")
        if site.action == "aws:branch":
            # A matching choice or Default wins over nextStep and isEnd, which apply only when neither does.
            for target in branch_targets(site):
                _add(normal, graph.names.get(target))
        if site.action == "aws:branch" and isinstance(site.inputs.get("Default"), str):
            pass
        elif isinstance(next_step, str):
            _add(normal, graph.names.get(next_step))
        elif data.get("isEnd") is True:
            normal.add(END)
        else:
            normal.add(following)
        on_failure = data.get("onFailure")
        if on_failure == "Continue":
            normal.add(following)
        elif isinstance(on_failure, str) and on_failure.startswith("step:"):
            _add(normal, graph.names.get(on_failure[5:].strip()))
        else:
            abnormal.add(END)
        on_cancel = data.get("onCancel")
        if isinstance(on_cancel, str) and on_cancel.startswith("step:"):
            _add(abnormal, graph.names.get(on_cancel[5:].strip()))
        graph.normal[index] = normal
        graph.abnormal[index] = abnormal
    return graph


def branch_targets(site: StepSite) -> list[str]:
    """The step names an aws:branch step may go to: each choice's NextStep, then Default."""
    targets = []
    choices = site.inputs.get("Choices")
    if isinstance(choices, list):
        for choice in choices:
            if isinstance(choice, dict) and isinstance(choice.get("NextStep"), str):
                targets.append(str(choice["NextStep"]))
    default = site.inputs.get("Default")
    if isinstance(default, str):
        targets.append(default)
    return targets


def _add(edges: set[int], target: int | None) -> None:
    if target is not None:
        edges.add(target)


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
