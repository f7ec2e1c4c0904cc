"""Every corpus document graphs to Mermaid and DOT without error; a sample of the DOT parses in Graphviz."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import corpus_files
from toolkit.diagram import to_dot, to_mermaid
from toolkit.load import load

ID = r"[a-z]_[a-z0-9_]+"
LABEL = r'"[^"]*"'
MERMAID_LINE = re.compile(
    "|".join(
        [
            r"flowchart TD",
            r"\s+%% note: [^\n]*",
            rf"\s+{ID}(\(\[{LABEL}\]\)|\[{LABEL}\]|\{{{LABEL}\}}|\{{\{{{LABEL}\}}\}})",
            rf"\s+subgraph {ID} \[{LABEL}\]",
            r"\s+end",
            rf"\s+{ID} (-->|-\.->|==>)(\|{LABEL}\|)? {ID}",
            r"    linkStyle [0-9,]+ [a-z0-9:#.,\- ]+",
            r"    classDef [a-z_]+ [a-z0-9:#.,\- ]+",
            r"    class [a-z0-9_,]+ [a-z_]+",
        ]
    )
)


def mermaid_problems(text: str) -> list[str]:
    """Lines that are none of the statements the writer emits (a cheap stand-in for Mermaid's parser)."""
    return [line for line in text.splitlines() if not MERMAID_LINE.fullmatch(line)]


def test_the_line_check_catches_what_mermaid_refuses() -> None:
    assert mermaid_problems('flowchart TD\n    s_0["ok"]\n    s_0 -->|"x"| n_end\n') == []
    assert mermaid_problems('flowchart TD\n    end --> x\n    s_0["a "quote""]\n') == [
        "    end --> x",
        '    s_0["a "quote""]',
    ]


def test_every_corpus_document_graphs() -> None:
    files = corpus_files()
    assert len(files) > 200
    for path in files:
        document = load(path)
        mermaid = to_mermaid(document)
        assert mermaid.startswith("flowchart TD\n"), path
        assert mermaid_problems(mermaid) == [], path
        assert to_dot(document).startswith("digraph "), path


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_a_sample_of_dot_parses_in_graphviz() -> None:
    files = corpus_files()
    sample = files[:: max(1, len(files) // 10)][:10]
    for path in sample:
        done = subprocess.run(
            ["dot", "-Tsvg"], input=to_dot(load(path)).encode(), capture_output=True, timeout=60, check=False
        )
        assert done.returncode == 0 and done.stdout.lstrip().startswith(b"<?xml"), (path, done.stderr)
