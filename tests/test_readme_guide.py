"""The README's runbook guide ("## Writing a runbook") is code that works: every Python block in it is a file of a
project (its first line names it), and the test writes them all into a new project, builds every runbook, lints what
it builds (no error), type-checks every file with ``mypy --strict``, and fails when a step class has no example."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toolkit.build import build_all
from toolkit.lint.engine import Linter
from toolkit.steps import STEP_CLASSES

FILE_LINE = re.compile(r"# (runbooks/[\w/]+\.py)\n")


def guide() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Writing a runbook\n", 1)[1].split("\n## ", 1)[0]


def guide_files() -> dict[str, str]:
    """Each Python block of the guide: the file its first line names -> its text (the line included)."""
    files: dict[str, str] = {}
    for block in re.findall(r"```python\n(.*?)```", guide(), flags=re.DOTALL):
        named = FILE_LINE.match(block)
        assert named, f"a Python block of the guide does not name its file on its first line:\n{block[:200]}"
        assert named.group(1) not in files, f"{named.group(1)} is shown twice"
        files[named.group(1)] = block
    return files


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("guide")
    (root / "pyproject.toml").write_text('[project]\nname = "guide"\nversion = "0"\n')
    for name, text in guide_files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def runbook_modules(project: Path) -> list[Path]:
    return sorted((project / "runbooks").glob("*.py"))


def test_every_python_block_of_the_guide_is_a_file_and_there_are_runbooks(project: Path) -> None:
    assert len(runbook_modules(project)) >= 8
    assert (project / "runbooks" / "report_trails_scripts" / "count_trails.py").is_file()


def test_every_example_builds_and_lints_without_error(project: Path, tmp_path: Path) -> None:
    modules = runbook_modules(project)
    built = build_all([str(path) for path in modules], tmp_path)
    assert len(built) == len(modules)
    assert sorted(item.name for item in built) == sorted(path.stem.replace("_", "-") for path in modules)
    report = Linter().lint([str(item.yaml) for item in built])
    errors = [finding for finding in report.findings if finding.severity.value == "error"]
    assert errors == []


def test_every_example_type_checks_with_mypy_strict(project: Path, tmp_path: Path) -> None:
    """As a project of a user would check it: ``strict = true``; boto3 (no stubs) as this project's own config."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\n\n[mypy-boto3.*]\nignore_missing_imports = True\n")
    files = sorted(str(path.relative_to(project)) for path in project.rglob("*.py"))
    mypy = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config), "--cache-dir", str(tmp_path / "c")]
    result = subprocess.run(
        [*mypy, *files],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"no issues found in {len(files)} source files" in result.stdout


def calls(files: dict[str, str]) -> list[ast.Call]:
    return [node for text in files.values() for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)]


def called(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def test_the_guide_shows_every_step_class_branches_loops_and_scripts_from_files() -> None:
    made = calls(guide_files())
    names = {called(call) for call in made}
    missing = sorted(cls.__name__ for cls in STEP_CLASSES if cls.__name__ not in names)
    assert missing == [], f"step classes without an example in the README's guide: {missing}"
    assert {"Choice", "from_file", "Var", "Variable", "Parameter", "Output", "runbook"} <= names

    def keywords(name: str) -> set[str]:
        return {keyword.arg or "" for call in made if called(call) == name for keyword in call.keywords}

    assert {"iterators", "loop_condition", "max_iterations"} <= keywords("Loop")
    assert {"all_of", "any_of", "not_", "next_step"} <= keywords("Choice")
    assert "default" in keywords("Branch")
    assert {"on_failure", "max_attempts", "timeout_seconds", "is_critical", "is_end"} <= {
        keyword.arg for call in made for keyword in call.keywords
    }


def test_the_guide_table_lists_every_action() -> None:
    text = guide()
    for cls in STEP_CLASSES:
        assert f"| {cls.ACTION} | `{cls.__name__}`" in text, cls.ACTION
