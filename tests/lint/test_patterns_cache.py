"""The allowedPattern verdicts kept on disk between lint runs (``toolkit.lint.patterns``, issue 19): a warm run
compiles no pattern it has seen, answers exactly as a compiled pattern does, and a changed key refreshes the file."""

from __future__ import annotations

import marshal
import textwrap
from pathlib import Path

import pytest

from toolkit import javaregex
from toolkit.javaregex import JavaPattern
from toolkit.lint import patterns
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter
from toolkit.lint.patterns import PatternVerdicts

DOCUMENT = """\
schemaVersion: "0.3"
parameters:
  Name:
    type: String
    default: abc
    allowedPattern: ^[a-z]+$
  Other:
    type: String
    default: x y
    allowedPattern: ^[a-z]+$
  Broken:
    type: String
    default: a
    allowedPattern: "[z-a]"
  Grapheme:
    type: String
    default: a
    allowedPattern: ^\\X$
mainSteps:
  - name: Wait
    action: aws:sleep
    inputs: {Duration: "{{ Name }}{{ Other }}{{ Broken }}{{ Grapheme }}"}
"""
RULES = ("E1102", "E1103", "W1105")


def _lint(folder: Path, cache: Path | None) -> list[tuple[str, int, int, str]]:
    linter = Linter(LintConfig(select=RULES), patterns=PatternVerdicts(cache))
    return [(f.rule, f.line, f.column, f.message) for f in linter.lint([str(folder)]).findings]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.yaml").write_text(textwrap.dedent(DOCUMENT))
    return tmp_path / "docs"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []

    def counting(source: str) -> JavaPattern:
        compiled.append(source)
        return JavaPattern(source)

    monkeypatch.setattr(javaregex, "compile_java", counting)
    return compiled


def test_a_warm_run_compiles_nothing_and_finds_the_same(folder: Path, tmp_path: Path, counted: list[str]) -> None:
    cache = tmp_path / "cache" / "patterns.marshal"
    uncached = _lint(folder, None)
    assert sorted(counted) == sorted(["[z-a]", "^\\X$", "^[a-z]+$"])
    assert {finding[0] for finding in uncached} == set(RULES)
    counted.clear()
    assert _lint(folder, cache) == uncached  # a first run fills the file
    assert len(counted) == 3 and cache.is_file()
    counted.clear()
    assert _lint(folder, cache) == uncached  # a warm run reads it
    assert counted == []


def test_a_new_value_of_a_known_pattern_is_decided_by_compiling_it(
    folder: Path, tmp_path: Path, counted: list[str]
) -> None:
    cache = tmp_path / "patterns.marshal"
    _lint(folder, cache)
    (folder / "a.yaml").write_text(textwrap.dedent(DOCUMENT).replace("default: abc", "default: ABC"))
    counted.clear()
    found = _lint(folder, cache)
    assert counted == ["^[a-z]+$"]
    assert ("E1102", 5, 14, "parameter Name: default 'ABC' does not match allowedPattern") in found


def test_a_file_written_under_another_key_is_ignored_and_replaced(
    folder: Path, tmp_path: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "patterns.marshal"
    expected = _lint(folder, None)
    # a lie under another key (an older toolkit): never read
    cache.write_bytes(marshal.dumps((patterns.FORMAT, "another key", {"^[a-z]+$": ("refused", None, {})})))
    counted.clear()
    assert _lint(folder, cache) == expected
    assert len(counted) == 3
    assert marshal.loads(cache.read_bytes())[1] == patterns._key()
    monkeypatch.setattr(patterns, "VERSION", "99.0")  # an upgrade
    counted.clear()
    assert _lint(folder, cache) == expected
    assert len(counted) == 3


@pytest.mark.parametrize("content", [b"", b"not marshal", marshal.dumps((patterns.FORMAT + 1, "k", {}))])
def test_an_unreadable_file_is_not_used(folder: Path, tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "patterns.marshal"
    cache.write_bytes(content)
    assert _lint(folder, cache) == _lint(folder, None)


def test_a_file_that_cannot_be_written_is_not_used(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    assert _lint(folder, blocker / "patterns.marshal") == _lint(folder, None)


def test_the_default_file_is_under_the_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert patterns.default_file() == tmp_path / "ssm-runbook-toolkit" / "lint" / "patterns.marshal"
    assert Linter().patterns.file == patterns.default_file()
