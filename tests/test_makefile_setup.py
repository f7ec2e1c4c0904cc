"""The Makefile's set-up installs Graphviz where `dot` is missing (for `runbook graph --format svg|png`), and
goes on with one line saying so where it cannot. The recipe is run from the Makefile itself, against fake
apt-get commands on a PATH without `dot`, so nothing is installed for real."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT


def graphviz_recipe() -> str:
    """The set-up's Graphviz command as the shell receives it (make's `@` dropped, `$$` -> `$`)."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip("\t@").startswith("command -v dot"))
    command = []
    for line in lines[start:]:
        command.append(line.strip().lstrip("@").removesuffix("\\"))
        if not line.endswith("\\"):
            break
    return " ".join(command).replace("$$", "$")


def fake_path(tmp_path: Path, apt_get: str | None) -> dict[str, str]:
    """A PATH with the basics, no `dot`, and an `apt-get` script (or none)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("env", "id", "sh", "bash", "chmod", "touch"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    if apt_get is not None:
        script = bin_dir / "apt-get"
        script.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/apt.log\n{apt_get}\n', encoding="utf-8")
        script.chmod(0o755)
    return {"PATH": str(bin_dir), "HOME": str(tmp_path)}


def run(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash") or "/bin/bash"
    return subprocess.run([bash, "-c", graphviz_recipe()], env=env, capture_output=True, text=True, cwd=tmp_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="the recipe uses sudo -n when not root; this test fakes only apt-get")
def test_setup_installs_graphviz_when_dot_is_missing(tmp_path: Path) -> None:
    installs_dot = (
        f'case "$1" in install) printf "#!/bin/sh\\n" > {tmp_path}/bin/dot; chmod +x {tmp_path}/bin/dot;; esac'
    )
    result = run(tmp_path, fake_path(tmp_path, installs_dot))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "apt.log").read_text(encoding="utf-8").splitlines() == ["install -y -q graphviz"]
    assert (tmp_path / "bin" / "dot").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="the recipe uses sudo -n when not root; this test fakes only apt-get")
def test_setup_updates_the_package_index_only_when_the_install_fails(tmp_path: Path) -> None:
    updated = tmp_path / "updated"
    fails_once = f'[ "$1" = install ] && [ ! -e {updated} ] && exit 100; [ "$1" = update ] && touch {updated}; exit 0'
    result = run(tmp_path, fake_path(tmp_path, fails_once))
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt.log").read_text(encoding="utf-8").splitlines()
    assert calls == ["install -y -q graphviz", "update -q", "install -y -q graphviz"]


def test_setup_goes_on_with_one_line_where_graphviz_cannot_be_installed(tmp_path: Path) -> None:
    result = run(tmp_path, fake_path(tmp_path, apt_get=None))
    assert result.returncode == 0
    assert result.stdout.count("\n") == 1 and "needs Graphviz" in result.stdout


def test_setup_does_nothing_when_dot_is_there(tmp_path: Path) -> None:
    env = fake_path(tmp_path, apt_get="exit 1")
    (tmp_path / "bin" / "dot").write_text("#!/bin/sh\n", encoding="utf-8")
    (tmp_path / "bin" / "dot").chmod(0o755)
    result = run(tmp_path, env)
    assert result.returncode == 0 and result.stdout == ""
    assert not (tmp_path / "apt.log").exists()
