"""The step graph of a document: Mermaid and DOT text, SVG and PNG through Graphviz, a trace overlay.

```python
from toolkit.diagram import to_mermaid, to_dot, render, Trace
text = to_mermaid(document)                          # "flowchart TD ..."
svg = render(to_dot(document, Trace.from_json(simulate_json)), "svg")
```
``graph`` builds the format-neutral graph (``graph_of``), ``trace`` lays an execution over it, ``mermaid`` and
``dot`` write it, ``graphviz`` runs Graphviz (``render``). Names are imported on first use, so that importing the
package costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.diagram.dot import to_dot
    from toolkit.diagram.graph import Graph, graph_of
    from toolkit.diagram.graphviz import render
    from toolkit.diagram.mermaid import to_mermaid
    from toolkit.diagram.trace import Trace

_WHERE = {
    "Graph": "toolkit.diagram.graph",
    "Trace": "toolkit.diagram.trace",
    "graph_of": "toolkit.diagram.graph",
    "render": "toolkit.diagram.graphviz",
    "to_dot": "toolkit.diagram.dot",
    "to_mermaid": "toolkit.diagram.mermaid",
}

__all__ = ["Graph", "Trace", "graph_of", "render", "to_dot", "to_mermaid"]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.diagram' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
