"""The toolkit as a user gets it: its wheel, built from the sources and installed into a fresh virtual environment
outside the checkout, works on its own: `runbook init` makes a project there, whose runbook builds, lints and
simulates, and whose own `make test` passes through the installed pytest plugin.

Nothing of the checkout or of this environment is seen: the sources are copied out before the build (a build in
place would write into the checkout), the virtual environment has no system packages, PYTHONPATH is dropped, every
command runs outside the checkout, and pip installs only from the wheel and ``.venv/wheelhouse`` (no index, no
configuration of this machine), which ``make test`` fills (``tests/packaging/wheelhouse.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.packaging.wheelhouse import STAMP, stamp_text

WHEELHOUSE = ROOT / ".venv" / "wheelhouse"
SOURCES = ("pyproject.toml", "README.md", "toolkit")
"""What building the wheel reads."""
EXAMPLE = "enable-trail-logging"
"""The runbook of `runbook init`'s project."""


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment with the wheel installed, and the environment its commands run in."""

    venv: Path
    env: dict[str, str]

    def run(self, *command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=600)

    def pip(self, *arguments: str, cwd: Path) -> None:
        """pip (this interpreter's, with ``--python``: the fresh environment needs none of its own) into it."""
        command = (sys.executable, "-m", "pip", "--python", str(self.venv / "bin" / "python"), *arguments)
        result = self.run(*command, "--quiet", "--no-compile", cwd=cwd)
        assert result.returncode == 0, result.stderr


def wheelhouse() -> Path:
    """``.venv/wheelhouse``, filled for today's requirements; the test fails with one line when it is not."""
    stamp = WHEELHOUSE / STAMP
    if not stamp.is_file():
        pytest.fail(f"no wheelhouse in {WHEELHOUSE}: run `make test`, which fills it", pytrace=False)
    if stamp.read_text(encoding="utf-8") != stamp_text():
        pytest.fail(f"{WHEELHOUSE} was filled for other requirements: run `make test`, which fills it", pytrace=False)
    return WHEELHOUSE


def offline_env(*links: Path) -> dict[str, str]:
    """This process's environment less anything that would let the checkout or other packages in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "PYTHON")) and key not in ("VIRTUAL_ENV", "CONDA_PREFIX")
    }
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=" ".join(str(link) for link in links),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONNOUSERSITE="1",
    )
    return env


def build_wheel(tmp: Path) -> Path:
    """The toolkit's wheel, built from a copy of its sources (with build isolation, from the wheelhouse)."""
    source = tmp / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp / "dist"
    command = (sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(source))
    result = subprocess.run(command, cwd=tmp, env=offline_env(wheelhouse()), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (wheel,) = dist.glob("*.whl")
    return wheel


def test_the_wheel_holds_the_toolkit_and_its_data_and_nothing_else(tmp_path: Path) -> None:
    names = zipfile.ZipFile(build_wheel(tmp_path)).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"toolkit", "ssm_runbook_toolkit-0.1.0.dist-info"}  # no runbooks, tests, schemas or bench
    assert "toolkit/schemas/automation-0.3.schema.json" in names
    assert "toolkit/py.typed" in names
    assert "toolkit/fakes/aws_managed_policies/AdministratorAccess.json" in names
    assert "toolkit/javaregex/java_unicode.json" in names  # the JDK's tables the Java pattern translation reads
    templates = [name for name in names if name.startswith("toolkit/scaffold/project/")]
    in_package = sorted(
        path.relative_to(ROOT).as_posix() for path in (ROOT / "toolkit" / "scaffold" / "project").rglob("*.tmpl")
    )
    assert sorted(templates) == in_package
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_an_installed_wheel_makes_a_project_whose_make_test_passes(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    installed = Installed(tmp_path / "venv", offline_env(wheelhouse(), wheel.parent))
    installed.env["PATH"] = f"{installed.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
    installed.env["VIRTUAL_ENV"] = str(installed.venv)  # as `. .venv/bin/activate` sets it
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(installed.venv)
    work = tmp_path / "work"
    work.mkdir()
    installed.pip("install", str(wheel), cwd=work)

    result = installed.run("python", "-c", "import toolkit, runbooks", cwd=work)
    assert "No module named 'runbooks'" in result.stderr  # the toolkit alone: no runbooks package of ours
    result = installed.run("python", "-c", "import toolkit; print(toolkit.__file__)", cwd=work)
    assert Path(result.stdout.strip()).is_relative_to(installed.venv), result.stdout

    result = installed.run("runbook", "init", "my-runbooks", cwd=work)
    assert result.returncode == 0, result.stderr
    project = work / "my-runbooks"
    installed.pip("install", "--editable", ".[dev]", cwd=project)  # the README's step: the toolkit is the wheel

    result = installed.run("runbook", "build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"built {EXAMPLE}: build/{EXAMPLE}.yaml build/{EXAMPLE}.json\n"  # nothing of ours
    assert sorted(path.name for path in (project / "build").iterdir()) == [f"{EXAMPLE}.json", f"{EXAMPLE}.yaml"]
    result = installed.run("runbook", "build", "cloudtrail-remediation-action", cwd=project)
    assert result.returncode == 2 and "no runbook of that name" in result.stderr

    result = installed.run("runbook", "lint", "build", cwd=project)
    assert (result.returncode, result.stdout) == (0, "no findings in 2 files\n"), result.stderr
    (work / "bad.yaml").write_text('schemaVersion: "0.3"\nmainStep: []\n', encoding="utf-8")
    result = installed.run("runbook", "lint", "bad.yaml", "--format", "json", cwd=work)
    rules = {finding["rule"] for finding in json.loads(result.stdout)}
    assert "E0010" in rules and "E0002" not in rules  # the schema is read from the installed package, no crash

    simulate = ("runbook", "simulate", EXAMPLE, "--param", "TrailName=main", "--format", "json")
    result = installed.run(*simulate, cwd=project / "runbooks")  # a runbook name, from a folder of the project
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "Success"

    result = installed.run("make", "test", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
    assert "plugins: ssm-runbook-toolkit-0.1.0" in result.stdout  # the installed pytest plugin, by its entry point

    shutil.copy(ROOT / "docs" / "examples" / "enable-s3-versioning.yaml", work)
    result = installed.run("runbook", "import", str(work / "enable-s3-versioning.yaml"), cwd=project / "tests")
    assert result.returncode == 0, result.stderr
    assert (project / "runbooks" / "enable_s3_versioning.py").is_file()  # the project's runbooks folder
    result = installed.run("runbook", "build", "enable-s3-versioning", "--out", str(work / "out"), cwd=project)
    assert result.returncode == 0, result.stderr  # found by name afterwards
