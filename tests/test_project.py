"""The user's project (toolkit.project), found from the working folder: its root is the nearest pyproject.toml's
folder, its runbooks, scenarios, build folder, pages and lint settings come from its ``[tool.runbook]`` (else the
defaults), and every command uses them, in a project that is not the toolkit's checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toolkit.cli import main
from toolkit.lint.config import find_config
from toolkit.project import find_project, nearby

MY_RUNBOOK = '''"""my-runbook: sleeps a second."""

from toolkit.model import Document, runbook
from toolkit.steps import Sleep

NAME = "my-runbook"


def build() -> Document:
    return runbook(NAME, description="Sleeps.", steps=[Sleep(name="Nap", duration="PT1S")])
'''
DOCUMENT = """schemaVersion: "0.3"
description: Sleeps.
mainSteps:
  - name: Nap
    action: aws:sleep
    inputs:
      Duration: PT1S
"""


def make_project(folder: Path, settings: str = "") -> Path:
    """A project of its own: a pyproject.toml (with ``settings`` after its [project] table) and runbooks/."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(f"[project]\nname = 'mine'\n\n{settings}", encoding="utf-8")
    (folder / "runbooks").mkdir()
    (folder / "runbooks" / "my_runbook.py").write_text(MY_RUNBOOK, encoding="utf-8")
    return folder


def runbook(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it there: a process of its own, the checkout's toolkit on its path only."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_runbook_build_in_a_project_of_its_own_builds_its_runbooks_and_never_the_toolkits(tmp_path: Path) -> None:
    project = make_project(tmp_path / "mine")
    result = runbook("build", "my-runbook", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "built my-runbook: build/my-runbook.yaml build/my-runbook.json\n"
    assert "name: Nap" in (project / "build" / "my-runbook.yaml").read_text(encoding="utf-8")

    result = runbook("build", cwd=project / "runbooks")  # every runbook of the project, from a folder inside it
    assert result.returncode == 0, result.stderr
    out = project.resolve() / "build"  # outside the working folder: shown whole
    assert result.stdout == f"built my-runbook: {out / 'my-runbook.yaml'} {out / 'my-runbook.json'}\n"
    assert sorted(path.name for path in (project / "build").iterdir()) == ["my-runbook.json", "my-runbook.yaml"]

    result = runbook("build", "cloudtrail-remediation-action", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        f"runbook: cloudtrail-remediation-action: no such file, and no runbook of that name in "
        f"{project / 'runbooks'} (runbooks: my-runbook)\n"
    )


def test_the_settings_name_every_folder_relative_to_the_pyproject(tmp_path: Path) -> None:
    settings = '[tool.runbook]\nrunbooks = "src/automation"\nscenarios = "checks"\nbuild = "out"\ndocs = "pages"\n'
    project = make_project(tmp_path / "mine", settings)
    (project / "deep" / "er").mkdir(parents=True)
    found = find_project(project / "deep" / "er")
    assert found.root == project.resolve() and found.settings_file == project.resolve() / "pyproject.toml"
    assert (found.runbooks, found.scenarios, found.build, found.docs) == tuple(
        project.resolve() / name for name in ("src/automation", "checks", "out", "pages")
    )
    assert find_config(project / "deep" / "er") == found.settings_file  # the linter's settings: the same file


def test_the_defaults_beside_the_pyproject_or_in_the_working_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path / "mine").resolve()
    found = find_project(project / "runbooks")
    assert (found.root, found.runbooks, found.build) == (project, project / "runbooks", project / "build")
    assert (found.scenarios, found.docs) == (project / "scenarios", project / "docs" / "runbooks")
    alone = (tmp_path / "alone").resolve()  # no pyproject.toml at or above it
    alone.mkdir()
    assert (find_project(alone).settings_file, find_project(alone).runbooks) == (None, alone / "runbooks")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('[tool.runbook]\nbuidl = "out"\n', "[tool.runbook] has an unknown key 'buidl' (known: runbooks, scenarios,"),
        ("[tool.runbook]\nbuild = 3\n", "[tool.runbook] build must be a folder's path (a string)"),
        ('[tool.runbook]\nrunbooks = ""\n', "[tool.runbook] runbooks must be a folder's path (a string)"),
        ("[tool]\nrunbook = 3\n", "[tool.runbook] must be a table"),
        ("[tool.runbook]\nlint = 3\n", "[tool.runbook] lint must be a table ([tool.runbook.lint])"),
        ("[tool.runbook\n", "cannot read the project's settings: not valid TOML"),
    ],
)
def test_a_bad_setting_stops_the_command_with_one_line_naming_the_file_and_key(
    settings: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "mine", settings)
    monkeypatch.chdir(project)
    assert main(["build", "my-runbook"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"runbook: {project.resolve() / 'pyproject.toml'}: {message}"), err
    assert err.count("\n") == 1
    assert not (project / "build").exists()


def test_build_and_docs_write_into_the_projects_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "mine", '[tool.runbook]\nbuild = "out/documents"\ndocs = "pages"\n')
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    assert capsys.readouterr().out == "built my-runbook: out/documents/my-runbook.yaml out/documents/my-runbook.json\n"
    monkeypatch.chdir(project / "runbooks")  # from a folder inside the project: the same folders, shown whole
    assert main(["docs", "--all"]) == 0
    assert capsys.readouterr().out == f"wrote {project.resolve() / 'pages' / 'my-runbook.md'}\n"
    assert (project / "pages" / "my-runbook.md").read_text(encoding="utf-8").startswith("# my-runbook\n")
    assert main(["build", "--out", "elsewhere"]) == 0  # --out wins
    assert (project / "runbooks" / "elsewhere" / "my-runbook.yaml").is_file()


def test_scenario_with_no_file_runs_the_projects_scenarios_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "mine", '[tool.runbook]\nscenarios = "checks"\n')
    monkeypatch.chdir(project)
    assert main(["scenario"]) == 2
    assert capsys.readouterr().err == "runbook: checks: no such scenario file\n"
    (project / "checks").mkdir()
    (project / "checks" / "broken.yaml").write_text("description: no rule\n", encoding="utf-8")
    assert main(["scenario"]) == 2
    assert capsys.readouterr().err.startswith("runbook: checks/broken.yaml")


def test_a_module_runbook_import_writes_is_found_by_name_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "mine", '[tool.runbook]\nrunbooks = "automation"\n')
    (project / "runbooks").rename(project / "automation")
    (tmp_path / "Napper.yaml").write_text(DOCUMENT, encoding="utf-8")
    (project / "docs").mkdir()
    monkeypatch.chdir(project / "docs")  # anywhere in the project
    assert main(["import", str(tmp_path / "Napper.yaml")]) == 0
    module = project.resolve() / "automation" / "napper.py"
    assert capsys.readouterr().out == f"imported {tmp_path / 'Napper.yaml'} -> {module}\n"
    assert main(["build", "Napper", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "Napper.yaml").is_file()


def test_nearby_is_relative_inside_the_working_folder_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a")
    assert nearby(tmp_path / "a" / "b" / "x.yaml") == Path("b/x.yaml")
    assert nearby(tmp_path / "c") == tmp_path / "c"
