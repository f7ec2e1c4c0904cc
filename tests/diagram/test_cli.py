"""`runbook graph`: formats, --out, --trace (file or stdin), and exit 2 with one line for bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.diagram.helpers import DATA, RUNBOOK, RUNBOOK_PARAMS, runbook, simulated
from toolkit.diagram import to_dot, to_mermaid

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "graph", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error", **(env or {})},
    )


def trace_file(tmp_path: Path, steps: list[dict[str, object]] | None = None) -> Path:
    path = tmp_path / "run.json"
    if steps is None:
        path.write_text(simulated(runbook(), RUNBOOK_PARAMS))
    else:
        path.write_text(json.dumps({"status": "Success", "steps": steps}))
    return path


def test_mermaid_by_default_for_a_runbook_name_or_module() -> None:
    result = run(RUNBOOK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == to_mermaid(runbook())
    module = run("runbooks/cloudtrail_remediation_action.py")
    assert module.returncode == 0 and module.stdout == result.stdout


def test_dot_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "graph.dot"
    result = run(str(DATA / "flow.yaml"), "--format", "dot", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == f"wrote {out}\n"
    from toolkit.load import load

    assert out.read_text() == to_dot(load(DATA / "flow.yaml"))


def test_trace_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    path = trace_file(tmp_path)
    from_file = run(RUNBOOK, "--trace", str(path))
    assert from_file.returncode == 0, from_file.stderr
    assert b"class s_0,s_1,s_2,s_3,s_4,s_5,s_6 st_success" in from_file.stdout
    from_stdin = run(RUNBOOK, "--trace", "-", stdin=path.read_bytes())
    assert from_stdin.returncode == 0 and from_stdin.stdout == from_file.stdout


@needs_dot
def test_svg_to_a_file_and_png_to_stdout(tmp_path: Path) -> None:
    out = tmp_path / "graph.svg"
    svg = run(RUNBOOK, "--format", "svg", "--out", str(out), "--trace", str(trace_file(tmp_path)))
    assert svg.returncode == 0, svg.stderr
    assert "<svg" in out.read_text() and "UpsertTrail" in out.read_text()
    png = run(RUNBOOK, "--format", "png")
    assert png.returncode == 0, png.stderr
    assert png.stdout.startswith(b"\x89PNG\r\n\x1a\n")


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 2
    assert result.stdout == b""
    text = result.stderr.decode()
    assert text.count("\n") == 1 and "Traceback" not in text, text
    return text


def test_a_missing_file_exits_two() -> None:
    assert "nope.yaml: no such file" in one_line(run("nope.yaml"))
    assert "no runbook of that name" in one_line(run("no-such-runbook"))


def test_an_unknown_trace_step_exits_two_naming_it(tmp_path: Path) -> None:
    path = trace_file(tmp_path, [{"name": "UpsertTrail", "status": "Success"}, {"name": "Ghost", "status": "Failed"}])
    assert "Ghost" in one_line(run(RUNBOOK, "--trace", str(path)))


def test_a_bad_trace_file_exits_two(tmp_path: Path) -> None:
    assert "cannot read the trace" in one_line(run(RUNBOOK, "--trace", str(tmp_path / "none.json")))
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert "not a simulation result" in one_line(run(RUNBOOK, "--trace", str(bad)))


def test_a_bad_format_exits_two() -> None:
    assert "--format" in one_line(run(RUNBOOK, "--format", "pdf"))


def test_svg_without_graphviz_exits_two_saying_to_install_it(tmp_path: Path) -> None:
    text = one_line(run(RUNBOOK, "--format", "svg", env={"PATH": str(tmp_path)}))
    assert "install graphviz" in text
