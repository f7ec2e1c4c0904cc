"""The step graph as a Mermaid flowchart (GitHub renders it in a ```mermaid block).

Every label is quoted, and the characters Mermaid would read (``"``, ``#``, ``<``, ``>``, ``&``, ``|``, a
backtick, and a backslash, which would turn a written ``\\n`` into a line break) are written as entity codes
(``#34;``), so ``{{ references }}`` and conditions show as written; a line break is ``<br/>``. Ids are the
model's (``s_0``, ``n_end``...), never a Mermaid keyword such as ``end``. Edge styles: normal flow solid,
loop-back solid, onFailure dotted red, onCancel dotted orange and thicker, trace-only edges thick purple; a
traced edge is thicker and darker, with its transition numbers in front of its label.
"""

from __future__ import annotations

from typing import Final

from toolkit.diagram.graph import Edge, EdgeKind, Graph, Node, NodeKind, graph_of
from toolkit.diagram.trace import OTHER_COLORS, STATUS_COLORS, Overlay, Trace, overlay
from toolkit.model.document import Document

INDENT: Final = "    "
ENTITIES: Final = {
    '"': "#34;",
    "#": "#35;",
    "&": "#38;",
    "<": "#60;",
    ">": "#62;",
    "\\": "#92;",
    "`": "#96;",
    "|": "#124;",
}
SHAPES: Final = {
    NodeKind.START: ('(["', '"])'),
    NodeKind.END: ('(["', '"])'),
    NodeKind.STEP: ('["', '"]'),
    NodeKind.BRANCH: ('{"', '"}'),
    NodeKind.LOOP: ('{{"', '"}}'),
    NodeKind.MISSING: ('["', '"]'),
}
ARROWS: Final = {
    EdgeKind.FAILURE: "-.->",
    EdgeKind.CANCEL: "-.->",
    EdgeKind.TRACE: "==>",
}
EDGE_STYLES: Final = {
    EdgeKind.FAILURE: "stroke:#d62728,color:#d62728",
    EdgeKind.CANCEL: "stroke:#ff7f0e,stroke-width:2px,color:#c2410c",
    EdgeKind.TRACE: "stroke:#7c3aed,stroke-width:3px,color:#7c3aed",
}
TRACED_STYLES: Final = {
    EdgeKind.FAILURE: "stroke:#b42318,stroke-width:3.5px,color:#b42318",
    EdgeKind.CANCEL: "stroke:#c2410c,stroke-width:3.5px,color:#c2410c",
    EdgeKind.TRACE: "stroke:#7c3aed,stroke-width:3.5px,color:#7c3aed",
}
TRACED_DEFAULT: Final = "stroke:#1d4ed8,stroke-width:3.5px,color:#1d4ed8"
CLASSES: Final = {
    "terminal": "fill:#f4f4f5,stroke:#3f3f46",
    "missing": "fill:#fff,stroke:#b42318,stroke-dasharray:4 3,color:#b42318",
}


def to_mermaid(document: Document, trace: Trace | None = None) -> str:
    """Mermaid text starting ``flowchart TD`` (no fences). Raises GraphError when the trace does not fit."""
    graph = graph_of(document)
    return write(graph, overlay(graph, trace))


def write(graph: Graph, laid: Overlay) -> str:
    lines = ["flowchart TD"]
    lines += [f"{INDENT}%% note: {_comment(note)}" for note in graph.notes]
    children, members = graph.nesting()

    def emit(cluster: str | None, depth: int) -> None:
        pad = INDENT * depth
        for node in members.get(cluster, []):
            lines.append(pad + _node(node))
        for child in children.get(cluster, []):
            lines.append(f'{pad}subgraph {child.id} ["{escape(child.label)}"]')
            emit(child.id, depth + 1)
            lines.append(f"{pad}end")

    emit(None, 1)
    styles: dict[str, list[int]] = {}
    for index, edge in enumerate(laid.edges):
        lines.append(INDENT + _edge(edge, laid.label(index)))
        traced = index in laid.numbers
        style = TRACED_STYLES.get(edge.kind, TRACED_DEFAULT) if traced else EDGE_STYLES.get(edge.kind)
        if style is not None:
            styles.setdefault(style, []).append(index)
    for style, indexes in styles.items():
        lines.append(f"{INDENT}linkStyle {','.join(map(str, indexes))} {style}")
    classes = dict(CLASSES)
    assigned: dict[str, list[str]] = {
        "terminal": [n.id for n in graph.nodes if n.kind in (NodeKind.START, NodeKind.END)],
        "missing": [n.id for n in graph.nodes if n.kind is NodeKind.MISSING],
    }
    for node_id, status in laid.statuses.items():
        name = f"st_{''.join(c for c in status.lower() if c.isalnum()) or 'other'}"
        fill, stroke = STATUS_COLORS.get(status, OTHER_COLORS)
        classes[name] = f"fill:{fill},stroke:{stroke},stroke-width:2px"
        assigned.setdefault(name, []).append(node_id)
    for name, style in classes.items():
        if assigned.get(name):
            lines.append(f"{INDENT}classDef {name} {style}")
    for name, ids in assigned.items():
        if ids:
            lines.append(f"{INDENT}class {','.join(ids)} {name}")
    return "\n".join(lines) + "\n"


def _node(node: Node) -> str:
    opening, closing = SHAPES[node.kind]
    if node.kind is NodeKind.MISSING:
        text = [node.name, "(not a step)"]
    elif node.kind in (NodeKind.START, NodeKind.END):
        text = [node.name]
    else:
        text = [node.name, node.action or "(no action)"]
    return f"{node.id}{opening}{'<br/>'.join(escape(part) for part in text)}{closing}"


def _edge(edge: Edge, label: str) -> str:
    arrow = ARROWS.get(edge.kind, "-->")
    if not label:
        return f"{edge.source} {arrow} {edge.target}"
    return f'{edge.source} {arrow}|"{escape(label)}"| {edge.target}'


def escape(text: str) -> str:
    """Text for inside a quoted Mermaid label: entity codes for what Mermaid reads, ``<br/>`` for a line break."""
    out = "".join(ENTITIES.get(char, char) for char in text)
    return "<br/>".join(line.strip() for line in out.replace("\r\n", "\n").split("\n"))


def _comment(text: str) -> str:
    return " ".join(text.split())
