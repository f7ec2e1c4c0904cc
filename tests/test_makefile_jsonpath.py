"""The Makefile installs Debian's libjsonpath-java (the Jayway JsonPath oracle of
tests/simulate/test_jsonpath_jayway.py) where its jar is missing, as it installs Graphviz: apt-get as root or with
sudo -n, the package index updated only when the install fails, one line where it cannot. Make runs the rule
itself, with the jar's path pointed into a temporary folder and fake apt-get commands on the PATH, so nothing is
installed for real."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_makefile_setup import fake_path

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="the rule uses sudo -n when not root; this fakes only apt-get")


def make_jar(tmp_path: Path, apt_get: str | None) -> subprocess.CompletedProcess[str]:
    """``make <jar>`` with JSONPATH_JAR in ``tmp_path`` and only the fake tools (and make) on the PATH."""
    env = fake_path(tmp_path, apt_get)
    make = shutil.which("make")
    assert make is not None
    (tmp_path / "bin" / "make").symlink_to(make)
    jar = tmp_path / "json-path.jar"
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), f"JSONPATH_JAR={jar}", str(jar)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


@ROOT_ONLY
def test_the_set_up_installs_libjsonpath_java_when_its_jar_is_missing(tmp_path: Path) -> None:
    installs = f'case "$1" in install) : > {tmp_path}/json-path.jar;; esac'
    result = make_jar(tmp_path, installs)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "apt.log").read_text(encoding="utf-8").splitlines() == ["install -y -q libjsonpath-java"]
    assert (tmp_path / "json-path.jar").exists() and result.stdout == ""


@ROOT_ONLY
def test_the_package_index_is_updated_only_when_the_install_fails(tmp_path: Path) -> None:
    updated = tmp_path / "updated"
    fails_once = f'[ "$1" = install ] && [ ! -e {updated} ] && exit 100; [ "$1" = update ] && touch {updated}; exit 0'
    result = make_jar(tmp_path, fails_once)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt.log").read_text(encoding="utf-8").splitlines()
    assert calls == ["install -y -q libjsonpath-java", "update -q", "install -y -q libjsonpath-java"]


def test_without_apt_get_the_set_up_goes_on_with_one_line(tmp_path: Path) -> None:
    result = make_jar(tmp_path, apt_get=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "needs libjsonpath-java" in result.stdout


def test_nothing_is_installed_when_the_jar_is_there(tmp_path: Path) -> None:
    (tmp_path / "json-path.jar").write_bytes(b"")
    result = make_jar(tmp_path, apt_get="exit 1")
    assert result.returncode == 0 and "up to date" in result.stdout
    assert not (tmp_path / "apt.log").exists()


def test_make_test_sets_the_oracle_up() -> None:
    rule = next(
        line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines() if line.startswith("test:")
    )
    assert "$(JSONPATH_JAR)" in rule.split()
