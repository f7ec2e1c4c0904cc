"""The README's "Against a local endpoint" transcript, run as written: `runbook publish` of a project's runbook against
two moto servers (free ports of 127.0.0.1 standing for its ports 5000 and 5001), every line of output as shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, moto_server
from tests.test_readme_guide import guide_files

DOCUMENTED_PORTS = ("http://127.0.0.1:5000", "http://127.0.0.1:5001")


def transcript() -> list[tuple[str, list[str]]]:
    """(command, its output lines) for each `$ ` line of the README's block, continuation lines joined."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n**Against a local endpoint.**", 1)[1]
    block = section.split("```\n", 2)[1]
    steps: list[tuple[str, list[str]]] = []
    pending = ""
    for line in block.splitlines():
        if pending or line.startswith("$ "):
            pending += line.removeprefix("$ ").strip()
            if pending.endswith("\\"):
                pending = pending[:-1] + " "
                continue
            steps.append((pending, []))
            pending = ""
        else:
            steps[-1][1].append(line)
    return steps


def test_the_readme_transcript_publishes_as_shown(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mine"\nversion = "0"\n')
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "start_trail.py").write_text(guide_files()["runbooks/start_trail.py"])
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    environment.update(
        AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null", PYTHONPATH=str(ROOT), NO_COLOR="1"
    )
    steps = transcript()
    assert [command.split()[:2] for command, _ in steps].count(["runbook", "publish"]) == 3
    with moto_server() as first, moto_server() as second:
        for command, shown in steps:
            if command.startswith("export "):
                environment.update(pair.split("=", 1) for pair in command.removeprefix("export ").split())
                continue
            if not command.startswith("runbook "):
                assert "moto.server" in command  # the servers this test started instead
                continue
            for documented, real in zip(DOCUMENTED_PORTS, (first, second), strict=True):
                command = command.replace(documented, real)
            result = subprocess.run(
                [sys.executable, "-m", "toolkit", *command.split()[1:]],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                env=environment,
                timeout=300,
            )
            assert result.returncode == 0, result.stderr
            assert result.stdout.splitlines() == shown, command
