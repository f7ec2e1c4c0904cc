"""The linter on 247 real documents: silent where they are right, loud at the right line where they are not.

EXPECTED.tsv (beside the corpus) marks the documents with a genuine defect (`error`, with the line in its reason)
and the questionable ones where either answer is right (`any`). Every other document must give no error.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_files
from toolkit.lint.engine import Linter
from toolkit.lint.finding import Finding, Severity


@cache
def expectations() -> dict[str, tuple[str, str]]:
    path = CORPUS / "EXPECTED.tsv"
    rows = [line.split("\t") for line in path.read_text().splitlines()[1:] if line.strip()]
    return {row[0]: (row[1], row[2]) for row in rows}


@cache
def linter() -> Linter:
    return Linter()


def errors(path: Path) -> list[Finding]:
    findings = linter().lint_text(path.read_bytes(), file=str(path))
    return [finding for finding in findings if finding.severity is Severity.ERROR]


def key(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@pytest.mark.parametrize("path", corpus_files(), ids=key)
def test_corpus_document(path: Path) -> None:
    expect, why = expectations().get(key(path), ("clean", ""))
    found = errors(path)
    if expect == "any":
        return
    if expect == "error":
        lines = [int(number) for number in re.findall(r"line (\d+)", why)]
        assert found, f"expected an error: {why}"
        assert {finding.line for finding in found} >= set(lines), [str(f) for f in found]
        return
    assert found == [], "\n".join(f"{f.line}:{f.column} {f.rule} {f.message}" for f in found)


def test_the_corpus_is_all_there() -> None:
    """The 237 vendored documents (tests/data/corpus/README.md)."""
    assert len(corpus_files()) == 237
