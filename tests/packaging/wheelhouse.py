"""The wheelhouse the wheel's smoke test installs from with no network: every wheel that building the toolkit's
wheel, installing it, and installing a project of ``runbook init`` (with its dev tools) needs.

``make test`` fills ``.venv/wheelhouse`` once (``python -m tests.packaging.wheelhouse .venv/wheelhouse``, from
PyPI through pip's cache), and again from scratch when pyproject.toml or the project template's changes; the test
then installs with ``--no-index --find-links``, so it neither needs the network nor sees any other package. Every
requirement is read from those two files, never repeated here. ``pip wheel`` (not ``pip download``) so that a
dependency published only as source is built once, here, and the offline installs never build one.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "toolkit" / "scaffold" / "project" / "pyproject.toml.tmpl"
DISTRIBUTION = "ssm-runbook-toolkit"
STAMP = ".complete"
"""The file that says the wheelhouse is whole (written last)."""


def requirements() -> list[str]:
    """Building the toolkit (its build-system), running it (its dependencies), and a new project: its build-system
    and its dev tools (its dependency on the toolkit is the wheel under test)."""
    toolkit = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = tomllib.loads(TEMPLATE.read_text(encoding="utf-8").replace("@PROJECT_NAME@", "project"))
    found = [
        *toolkit["build-system"]["requires"],
        *toolkit["project"]["dependencies"],
        *project["build-system"]["requires"],
        *project["project"]["optional-dependencies"]["dev"],
    ]
    return list(dict.fromkeys(found))


def fill(folder: Path) -> None:
    """Put every wheel ``requirements()`` needs into ``folder`` (from PyPI, through pip's cache), then the stamp."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--wheel-dir"]
    subprocess.run([*command, str(folder), *requirements()], check=True)
    (folder / STAMP).write_text(stamp_text(), encoding="utf-8")


def stamp_text() -> str:
    """What the stamp says: the requirements the wheelhouse was filled for (a test compares it with today's)."""
    return "\n".join(requirements()) + "\n"


if __name__ == "__main__":
    fill(Path(sys.argv[1]))
