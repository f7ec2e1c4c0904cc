"""`runbook init [DIR] [--force]`: a new runbook project from the package's templates, whose own `make lint test`
passes at once; a folder that is not empty is refused unless --force. (The same project made by the installed
wheel, outside the checkout: tests/packaging/test_wheel.py.)"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest

from tests.conftest import ROOT
from toolkit.cli import main
from toolkit.project import project_settings
from toolkit.scaffold import TOOLKIT_DISTRIBUTION, project_files, project_name
from toolkit.version import VERSION

FILES = [
    ".github/workflows/ci.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "Makefile",
    "README.md",
    "pyproject.toml",
    "runbooks/enable_trail_logging.py",
    "tests/test_enable_trail_logging.py",
]


def files_in(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for a test; the old one comes back after it."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def test_init_writes_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Callable[..., None]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "my-runbooks"]) == 0
    golden("cli/init.txt", capsys.readouterr().out)
    project = tmp_path / "my-runbooks"
    assert files_in(project) == FILES
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "my-runbooks"
    assert pyproject["project"]["dependencies"] == [f"ssm-runbook-toolkit>={VERSION}"]
    assert set(project_settings(project / "pyproject.toml")) == {"runbooks", "scenarios", "build", "docs", "lint"}
    makefile = (project / "Makefile").read_text(encoding="utf-8")
    for target in ("build", "test", "lint", "publish"):
        assert f"\n{target}:" in makefile
    assert "\n\t$(RUNBOOK) build --out $(BUILD)\n" in makefile  # recipes start with a tab
    workflow = (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "pip install -e '.[dev]'" in workflow and "make lint test" in workflow
    assert "entry: runbook lint" in (project / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for text in ((project / name).read_text(encoding="utf-8") for name in FILES):
        assert "@PROJECT_NAME@" not in text and "@TOOLKIT_REQUIREMENT@" not in text


def test_the_toolkits_name_is_the_distributions() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == TOOLKIT_DISTRIBUTION


def test_the_example_runbook_has_an_api_call_a_branch_and_an_assertion(tmp_path: Path) -> None:
    files = project_files("x")
    assert sorted(map(str, files)) == FILES
    module = files[PurePosixPath("runbooks/enable_trail_logging.py")]
    for step in ("ExecuteAwsApi(", "Branch(", "AssertAwsResourceProperty("):
        assert step in module


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_the_files_get_the_modes_the_umask_gives(mask: int, tmp_path: Path, umask: Callable[[int], None]) -> None:
    umask(mask)
    assert main(["init", str(tmp_path / "p")]) == 0
    for name in FILES:
        assert (tmp_path / "p" / name).stat().st_mode & 0o777 == 0o666 & ~mask, name
    assert (tmp_path / "p" / "runbooks").stat().st_mode & 0o777 == 0o777 & ~mask


def test_the_default_folder_is_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Team Runbooks!").mkdir()
    monkeypatch.chdir(tmp_path / "Team Runbooks!")
    assert main(["init"]) == 0
    assert files_in(Path.cwd()) == FILES
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "wrote .github/workflows/ci.yml"
    assert out.splitlines()[-1].startswith("next: python -m venv .venv")
    assert 'name = "team-runbooks"' in Path("pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("folder", "name"), [("My Runbooks", "my-runbooks"), ("ops_automation.v2", "ops-automation-v2"), ("__", "runbooks")]
)
def test_the_projects_name_is_its_folders(folder: str, name: str, tmp_path: Path) -> None:
    assert project_name(tmp_path / folder) == name


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "p")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"runbook: {tmp_path / 'p'}: the folder is not empty (pass --force to write the project's files into it)\n"
    )
    assert files_in(tmp_path / "p") == ["notes.txt"]


def test_force_replaces_the_projects_files_and_leaves_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    (project / "Makefile").write_text("old:\n", encoding="utf-8")
    assert main(["init", str(project), "--force"]) == 0
    assert f"replaced {project / 'Makefile'}\n" in capsys.readouterr().out
    assert files_in(project) == sorted([*FILES, "notes.txt"])
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert "\ntest: build\n" in (project / "Makefile").read_text(encoding="utf-8")


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_file_is_refused(force: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p").write_text("", encoding="utf-8")
    assert main(["init", str(tmp_path / "p"), *force]) == 2
    assert capsys.readouterr().err == f"runbook: {tmp_path / 'p'}: is a file, not a folder\n"


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert main(["init", str(tmp_path / "file" / "p")]) == 2
    err = capsys.readouterr().err
    first = tmp_path / "file" / "p" / ".github" / "workflows" / "ci.yml"  # the first file the project writes
    assert err == f"runbook: {first}: cannot write: {tmp_path / 'file'} is a file, not a folder\n"


def test_a_folder_where_the_project_has_a_file_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p" / "Makefile").mkdir(parents=True)
    assert main(["init", str(tmp_path / "p"), "--force"]) == 2
    assert (
        capsys.readouterr().err
        == f"runbook: {tmp_path / 'p' / 'Makefile'}: is a folder, where the project has a file\n"
    )
    assert files_in(tmp_path / "p") == []


def test_the_new_project_passes_its_own_make_lint_and_make_test(tmp_path: Path) -> None:
    """Its runbook builds and lints clean, its tests pass through the plugin, and it is ruff- and mypy-strict-clean.
    The checkout's toolkit, through this interpreter (the installed wheel's run: tests/packaging/test_wheel.py)."""
    assert main(["init", str(tmp_path / "p")]) == 0
    python = shlex.quote(sys.executable)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MYPYPATH": str(ROOT)}
    result = subprocess.run(
        ["make", "lint", "test", f"PYTHON={python}", f"RUNBOOK={python} -m toolkit"],
        cwd=tmp_path / "p",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings in 2 files" in result.stdout
    assert "Success: no issues found in 2 source files" in result.stdout
    assert "3 passed" in result.stdout
