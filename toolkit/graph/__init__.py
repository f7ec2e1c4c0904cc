"""The step graph of a document: Mermaid and DOT text, SVG and PNG through Graphviz, a trace overlay.

```python
from toolkit.graph import to_mermaid, to_dot, render, Trace
text = to_mermaid(document)                          # "flowchart TD ..."
svg = render(to_dot(document, Trace.from_json(simulate_json)), "svg")
```
``model`` builds the format-neutral graph, ``trace`` lays an execution over it, ``mermaid`` and ``dot`` write it,
``graphviz`` runs Graphviz (``render``). Names are imported on first use, so that importing the package costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.graph.dot import to_dot
    from toolkit.graph.graphviz import render
    from toolkit.graph.mermaid import to_mermaid
    from toolkit.graph.model import Graph, build
    from toolkit.graph.trace import Trace

_WHERE = {
    "Graph": "toolkit.graph.model",
    "Trace": "toolkit.graph.trace",
    "build": "toolkit.graph.model",
    "render": "toolkit.graph.graphviz",
    "to_dot": "toolkit.graph.dot",
    "to_mermaid": "toolkit.graph.mermaid",
}

__all__ = ["Graph", "Trace", "build", "render", "to_dot", "to_mermaid"]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.graph' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
