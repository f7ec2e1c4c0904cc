"""Lint plugins (issue 17): the README's Rule API example, as written, is a plugin that a project's pyproject.toml
names and `runbook lint` imports from the project root, without PYTHONPATH, from any folder of the project; its ids
are selected like the built-ins; a broken plugin stops the command with one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_readme_guide import guide_files
from toolkit.errors import LintError
from toolkit.lint.config import LintConfig, find_config, load_config
from toolkit.lint.engine import Linter
from toolkit.project import project_root


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def plugin_section() -> str:
    return readme().split("\n#### Rules of your own: plugins\n", 1)[1].split("\n### ", 1)[0]


def plugin_example() -> str:
    found = re.search(r"```python\n(# team_rules\.py.*?)```", plugin_section(), flags=re.DOTALL)
    assert found, "the README's plugin example (a block starting `# team_rules.py`) is missing"
    return found.group(1)


def make_project(root: Path, plugins: str = '["team_rules"]') -> Path:
    """A project as a user has it: pyproject.toml naming the plugin, the README's plugin beside it, the guide's first
    runbook, and a subfolder to work in. Nothing of it is on sys.path or PYTHONPATH."""
    (root / "pyproject.toml").write_text(f"[tool.runbook.lint]\nplugins = {plugins}\n")
    (root / "team_rules.py").write_text(plugin_example())
    (root / "runbooks").mkdir()
    (root / "runbooks" / "start_trail.py").write_text(guide_files()["runbooks/start_trail.py"])
    (root / "deep" / "inside").mkdir(parents=True)
    return root


def lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "NO_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**environment, "PYTHONPATH": str(ROOT)},  # the toolkit only: never the project
        timeout=300,
    )


def test_the_readme_plugin_runs_from_any_folder_of_the_project_without_pythonpath(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = lint(project / "deep" / "inside", "start-trail", "--select", "W9")
    assert result.returncode == 0, result.stderr
    shown = plugin_section().split("```\n$ runbook lint start-trail --select W9\n", 1)[1].split("```", 1)[0]
    assert result.stdout == shown


def test_plugin_ids_are_selected_and_ignored_like_the_built_ins(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    every = json.loads(lint(project, "start-trail", "--format", "json").stdout)
    assert {item["rule"] for item in every} == {"W5020", "W9001"}
    ignored = json.loads(lint(project, "start-trail", "--format", "json", "--ignore", "W9001").stdout)
    assert {item["rule"] for item in ignored} == {"W5020"}


def test_a_package_plugin_of_the_project_is_imported_by_its_dotted_name(tmp_path: Path) -> None:
    project = make_project(tmp_path, plugins='["team.rules"]')
    (project / "team").mkdir()
    (project / "team" / "__init__.py").write_text("")
    (project / "team" / "rules.py").write_text((project / "team_rules.py").read_text())
    (project / "team_rules.py").unlink()
    result = lint(project / "deep", "start-trail", "--select", "W9", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [item["rule"] for item in json.loads(result.stdout)] == ["W9001", "W9001"]


@pytest.mark.parametrize(
    ("plugin", "source", "words"),
    [
        ("missing_rules", None, "lint plugin 'missing_rules' cannot be imported from the project root"),
        ("raising_rules", "raise RuntimeError('no config here')\n", "RuntimeError: no config here"),
        ("syntax_rules", "def broken(:\n", "failed while being imported: SyntaxError"),
        ("empty_rules", "X = 1\n", "must define RULES, a list of Rule classes"),
        ("twin_rules", "from team_rules import StepHasDescription as A\nRULES = [A, A]\n", "share the id W9001"),
        ("wrong_rules", "from team_rules import StepHasDescription as A\nA.id = 'W5001'\nRULES = [A]\n", "E9xxx"),
    ],
)
def test_a_broken_plugin_stops_lint_with_one_line(tmp_path: Path, plugin: str, source: str | None, words: str) -> None:
    project = make_project(tmp_path, plugins=f'["{plugin}"]')
    if source is not None:
        (project / f"{plugin}.py").write_text(source)
    result = lint(project, "start-trail")
    assert result.returncode == 2
    assert words in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_plugins_come_from_the_configuration_files_folder_and_sys_path_is_left_as_it_was(tmp_path: Path) -> None:
    """In-process: `--config` elsewhere imports its plugins from that file's folder, and sys.path is unchanged."""
    project = tmp_path / "elsewhere"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.runbook.lint]\nplugins = ["elsewhere_rules_17"]\n')
    (project / "elsewhere_rules_17.py").write_text(plugin_example())
    before = list(sys.path)
    config = load_config(project / "pyproject.toml")
    assert config.root() == project.resolve()
    linter = Linter(config)
    assert sys.path == before
    assert "W9001" in {rule.id for rule in linter.rules}
    sys.modules.pop("elsewhere_rules_17", None)


def test_the_configuration_file_is_the_project_roots() -> None:
    """One finder: lint's configuration file is the pyproject.toml of the project root toolkit.project finds."""
    inside = ROOT / "toolkit" / "lint"
    assert find_config(inside) == ROOT / "pyproject.toml"
    assert project_root(inside) == ROOT
    assert LintConfig().root() == project_root()


def test_the_readme_plugin_type_checks_with_mypy_strict(tmp_path: Path) -> None:
    (tmp_path / "team_rules.py").write_text(plugin_example())
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "c"), "team_rules.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_in_process_plugin_error_is_a_lint_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.runbook.lint]\nplugins = ["raising_rules_17"]\n')
    (tmp_path / "raising_rules_17.py").write_text(textwrap.dedent("import sys\nsys.exit(3)\n"))
    with pytest.raises(LintError, match="'raising_rules_17' failed while being imported: SystemExit: 3"):
        Linter(load_config(tmp_path / "pyproject.toml"))
