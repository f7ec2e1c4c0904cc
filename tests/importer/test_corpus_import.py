"""Every corpus document imports into a module that builds back to the same data, passes ruff, mypy and the linter.

This is the issue's bar for `runbook import`: the test walks the corpus (tests/data/corpus), so a document the
generator cannot reproduce exactly, or a module a ruff-formatted project would reject, fails here by name.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus_files
from toolkit.documents import read_runbook
from toolkit.importer.files import import_document
from toolkit.lint.config import load_config
from toolkit.lint.engine import Linter
from toolkit.render import to_data
from toolkit.source import read_data

CORPUS = corpus_files()
BIN = Path(sys.executable).parent
# W0021 judges the document's name, which is not in its data: the import takes it from the file name and makes a
# stem SSM would refuse valid, so that finding may come or go.
RENAMED = "W0021"


def _id(path: Path) -> str:
    return path.name[-60:]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Every corpus document imported once into one folder: document -> module."""
    folder = tmp_path_factory.mktemp("imported")
    return {doc: import_document(doc, folder / f"m{index:03d}.py").module for index, doc in enumerate(CORPUS)}


@pytest.mark.parametrize("doc", CORPUS, ids=_id)
def test_import_builds_back_the_same_data(doc: Path, tmp_path: Path) -> None:
    module = import_document(doc, tmp_path / "imported.py").module
    original, _ = read_data(doc.read_text(encoding="utf-8-sig"), file=str(doc))
    assert to_data(read_runbook(str(module)).model()) == original


def test_corpus_is_walked() -> None:
    assert len(CORPUS) == 237


def test_imported_modules_pass_ruff_check_and_format(imported: dict[Path, Path]) -> None:
    folder = next(iter(imported.values())).parent
    config = ["--config", str(ROOT / "pyproject.toml"), "--no-cache"]
    scripts = ["--exclude", "*_scripts"]  # extracted scripts are the document's own code, kept byte for byte
    check = subprocess.run(
        [BIN / "ruff", "check", *config, *scripts, "--output-format", "concise", str(folder)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run(
        [BIN / "ruff", "format", "--check", *config, *scripts, str(folder)], capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:] + fmt.stderr[-3000:]


def test_imported_modules_pass_mypy_strict(imported: dict[Path, Path], tmp_path: Path) -> None:
    folder = next(iter(imported.values())).parent
    modules = sorted(str(path) for path in folder.glob("*.py"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.11",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy"),
            *modules,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_imported_modules_lint_as_their_documents(imported: dict[Path, Path]) -> None:
    """The linter finds in the module exactly what it finds in the document (rule and message)."""
    linter = Linter(load_config(None))
    differ = []
    for doc, module in imported.items():
        before = Counter((f.rule, f.message) for f in linter.lint([str(doc)]).findings if f.rule != RENAMED)
        after = Counter((f.rule, f.message) for f in linter.lint([str(module)]).findings if f.rule != RENAMED)
        if before != after:
            differ.append(f"{doc.name}: only in the document {before - after}, only in the module {after - before}")
    assert not differ, "\n".join(differ[:5])


def test_most_imports_are_checked_runbooks(imported: dict[Path, Path]) -> None:
    """Documents that pass the definition checks come out as runbook(...), the rest as Document(...) with why."""
    typed = plain = 0
    for module in imported.values():
        source = module.read_text(encoding="utf-8")
        if re.search(r"^    return runbook\(", source, re.M):
            typed += 1
        else:
            assert "does not pass the toolkit's definition checks" in source
            plain += 1
    assert typed > plain
