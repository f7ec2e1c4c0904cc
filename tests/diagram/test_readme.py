"""The README's Mermaid graph of the runbook is exactly what to_mermaid draws, so it cannot go stale."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tests.diagram.helpers import runbook
from toolkit.diagram import to_mermaid


def test_the_readme_graph_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### runbook graph\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```mermaid\n(.*?)```", section, flags=re.DOTALL)
    assert blocks == [to_mermaid(runbook())], (
        "README's graph is stale: paste `runbook graph cloudtrail-remediation-action`"
    )
