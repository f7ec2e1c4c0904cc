"""The step graph in Graphviz's DOT language (``dot -Tsvg`` draws it; see ``toolkit.diagram.render``).

Every id and label is a quoted string with ``\\`` and ``"`` escaped and line breaks written ``\\n``, so nothing
in a name or condition can end the string or act as a Graphviz escape (``\\l``, ``\\N``). Loops are
``subgraph "cluster_..."`` boxes. Edge styles: normal flow solid black, loop-back solid grey, onFailure dashed
red, onCancel dashed orange and thicker, trace-only edges bold purple; a traced edge is thicker, blue when it is
normal flow, with its transition numbers in front of its label.
"""

from __future__ import annotations

from typing import Final

from toolkit.diagram.graph import Edge, EdgeKind, Graph, Node, NodeKind, graph_of
from toolkit.diagram.trace import OTHER_COLORS, STATUS_COLORS, Overlay, Trace, overlay
from toolkit.model.document import Document

INDENT: Final = "  "
NODE_ATTRS: Final = {
    NodeKind.START: 'shape=oval, fillcolor="#f4f4f5"',
    NodeKind.END: 'shape=oval, peripheries=2, fillcolor="#f4f4f5"',
    NodeKind.STEP: "",
    NodeKind.BRANCH: "shape=diamond",
    NodeKind.LOOP: "shape=hexagon",
    NodeKind.MISSING: 'style="dashed", color="#b42318", fontcolor="#b42318"',
}
EDGE_ATTRS: Final = {
    EdgeKind.LOOP_BACK: 'color="#71717a", fontcolor="#52525b"',
    EdgeKind.FAILURE: 'style=dashed, color="#d62728", fontcolor="#d62728"',
    EdgeKind.CANCEL: 'style=dashed, penwidth=2, color="#ff7f0e", fontcolor="#c2410c"',
    EdgeKind.TRACE: 'style=bold, color="#7c3aed", fontcolor="#7c3aed"',
}
TRACED_COLORS: Final = {EdgeKind.FAILURE: "#b42318", EdgeKind.CANCEL: "#c2410c", EdgeKind.TRACE: "#7c3aed"}
TRACED_DEFAULT: Final = "#1d4ed8"


def to_dot(document: Document, trace: Trace | None = None) -> str:
    """DOT text of a ``digraph``. Raises GraphError when the trace does not fit."""
    graph = graph_of(document)
    return write(graph, overlay(graph, trace))


def write(graph: Graph, laid: Overlay) -> str:
    lines = [f"digraph {quote(graph.title)} {{"]
    lines += [f"{INDENT}// note: {' '.join(note.split())}" for note in graph.notes]
    lines += [
        f'{INDENT}graph [rankdir=TB, fontname="Helvetica", fontsize=11];',
        f'{INDENT}node [shape=box, style="rounded,filled", fillcolor="white", fontname="Helvetica", fontsize=11];',
        f'{INDENT}edge [fontname="Helvetica", fontsize=10];',
    ]
    children, members = graph.nesting()

    def emit(cluster: str | None, depth: int) -> None:
        pad = INDENT * depth
        for node in members.get(cluster, []):
            lines.append(pad + _node(node, laid.statuses.get(node.id)))
        for child in children.get(cluster, []):
            lines.append(f"{pad}subgraph {quote('cluster_' + child.id)} {{")
            lines.append(f'{pad}{INDENT}label={quote(child.label)}; style="rounded,dashed"; color="#71717a";')
            emit(child.id, depth + 1)
            lines.append(f"{pad}}}")

    emit(None, 1)
    for index, edge in enumerate(laid.edges):
        lines.append(INDENT + _edge(edge, laid.label(index), index in laid.numbers))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node(node: Node, status: str | None) -> str:
    if node.kind is NodeKind.MISSING:
        text = f"{node.name}\n(not a step)"
    elif node.kind in (NodeKind.START, NodeKind.END):
        text = node.name
    else:
        text = f"{node.name}\n{node.action or '(no action)'}"
    attrs = [f"label={quote(text)}"]
    if NODE_ATTRS[node.kind]:
        attrs.append(NODE_ATTRS[node.kind])
    if status is not None:
        fill, stroke = STATUS_COLORS.get(status, OTHER_COLORS)
        attrs.append(f'fillcolor="{fill}", color="{stroke}", penwidth=2, tooltip={quote(status)}')
    return f"{quote(node.id)} [{', '.join(attrs)}];"


def _edge(edge: Edge, label: str, traced: bool) -> str:
    attrs = [f"label={quote(label)}"] if label else []
    if traced:
        color = TRACED_COLORS.get(edge.kind, TRACED_DEFAULT)
        style = ", style=dashed" if edge.kind in (EdgeKind.FAILURE, EdgeKind.CANCEL) else ""
        attrs.append(f'penwidth=3, color="{color}", fontcolor="{color}"{style}')
    elif edge.kind in EDGE_ATTRS:
        attrs.append(EDGE_ATTRS[edge.kind])
    if edge.back or edge.kind is EdgeKind.TRACE:
        attrs.append("constraint=false")
    suffix = f" [{', '.join(attrs)}]" if attrs else ""
    return f"{quote(edge.source)} -> {quote(edge.target)}{suffix};"


def quote(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, line breaks as ``\\n`` (centred lines)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "\\n".join(escaped.replace("\r\n", "\n").split("\n")) + '"'
