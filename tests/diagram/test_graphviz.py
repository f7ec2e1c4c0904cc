"""SVG and PNG through Graphviz's dot; a clear error when dot is missing or refuses the input."""

from __future__ import annotations

import shutil

import pytest

from tests.diagram.helpers import data, runbook, runbook_trace
from toolkit.diagram import render, to_dot
from toolkit.errors import GraphError

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@needs_dot
def test_svg_of_the_runbook_with_its_trace() -> None:
    svg = render(to_dot(runbook(), runbook_trace()), "svg").decode("utf-8")
    assert "<svg" in svg and "</svg>" in svg
    assert "UpsertTrail" in svg and "VerifyTrailSettings" in svg and "#1" in svg


@needs_dot
def test_png_starts_with_the_png_magic() -> None:
    assert render(to_dot(data("flow.yaml")), "png").startswith(PNG_MAGIC)


@needs_dot
def test_labels_with_quotes_and_braces_survive_graphviz() -> None:
    svg = render(to_dot(data("flow.yaml")), "svg").decode("utf-8")
    assert "{{ Mode }} starts with &quot;say &quot;hi&quot; &lt;#1&gt; | {x} \\n&quot;" in svg


@needs_dot
def test_dot_refusing_the_input_is_a_graph_error() -> None:
    with pytest.raises(GraphError, match="dot -Tsvg failed"):
        render("digraph {", "svg")


def test_missing_graphviz_says_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(GraphError, match="install graphviz"):
        render(to_dot(runbook()), "svg")


def test_only_svg_and_png() -> None:
    with pytest.raises(GraphError, match="svg, png"):
        render("digraph {}", "pdf")
