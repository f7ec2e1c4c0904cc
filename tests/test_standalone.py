"""A clone on its own passes (issue 17): nothing outside the repository is read. The documents the tests use are
vendored with their licences (tests/data/corpus); the tests that need ASR's code, which may not be committed, skip,
summed up in one line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS, ROOT

LICENCE_TEXTS = {
    "Apache-2.0": "Apache-2.0.txt",
    "MIT": "MIT.adhorn__chaos-ssm-documents.txt",
    "MIT-0": "MIT-0.aws-samples__aws-fault-injection-simulator-workshop.txt",
}
# The tests that read corpus documents by name, or need ASR's sources.
CORPUS_TESTS = (
    "tests/diagram/test_model.py",
    "tests/diagram/test_output.py",
    "tests/importer/test_import_cli.py",
    "tests/simulate/test_asr_runbooks.py",
    "tests/test_load.py",
)


def manifest() -> list[dict[str, str]]:
    lines = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def test_every_vendored_document_is_in_the_manifest_with_repository_path_commit_and_licence() -> None:
    rows = manifest()
    files = sorted(
        path.relative_to(CORPUS).as_posix()
        for path in CORPUS.rglob("*")
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json")
    )
    assert sorted(row["file"] for row in rows) == files
    for row in rows:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", row["repo"]) and row["path"], row
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row
        assert row["licence"] in LICENCE_TEXTS, row
        assert row["file"].startswith(row["repo"].replace("/", "__") + "/"), row
    for licence, text in LICENCE_TEXTS.items():
        assert (CORPUS / "LICENSES" / text).is_file(), licence
    notice = (CORPUS / "README.md").read_text(encoding="utf-8")
    for repo in {row["repo"] for row in rows}:
        assert repo in notice


def test_a_clone_alone_passes_and_says_in_one_line_what_it_skipped(tmp_path: Path) -> None:
    """The repository copied into a folder of its own, nothing beside it; the tests that read the corpus run there:
    none fails, and the skipped ones are summed up in one line naming what they need."""
    alone = tmp_path / "alone" / "repo"
    shutil.copytree(
        ROOT,
        alone,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis"
        ),
    )
    assert [path.name for path in alone.parent.iterdir()] == ["repo"]
    environment = {key: value for key, value in os.environ.items() if key not in ("ASR_SOURCE", "PYTHONPATH")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", *CORPUS_TESTS],
        cwd=alone,
        capture_output=True,
        text=True,
        env={**environment, "PYTHONPATH": str(alone)},
        timeout=1800,
    )
    output = result.stdout
    assert result.returncode == 0, output[-4000:]
    lines = [line for line in output.splitlines() if "that need what this repository does not hold" in line]
    assert len(lines) == 1, output[-2000:]
    assert re.search(r"\d+ need ASR's sources \(set ASR_SOURCE", lines[0])
    skipped = int(re.search(r"(\d+) skipped", output).group(1))  # type: ignore[union-attr]
    assert lines[0].startswith(f"skipped {skipped} tests")
