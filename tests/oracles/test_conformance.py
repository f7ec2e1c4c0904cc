"""The conformance page's assembler (``tests.oracles.conformance``): the header, the two oracles' sections from
their modules (here stand-ins put in ``sys.modules``), a line for a section whose module is absent, written whole."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from tests.oracles import conformance

JSONPATH = "tests.oracles.jsonpath_section"
REGEX = "tests.oracles.regex_section"


def stand_in(monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> None:
    module = types.ModuleType(name)
    module.section = lambda: text  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, name, module)


def absent(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setitem(sys.modules, name, None)  # import raises ModuleNotFoundError naming it


@pytest.fixture(autouse=True)
def java(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conformance, "java_version", lambda: 'openjdk version "17.0.15" 2025-04-15')


def test_the_page_has_the_header_and_both_sections_in_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stand_in(monkeypatch, JSONPATH, "## Jayway JsonPath\n\n5,123 cases compared; 0 differences.\n")
    stand_in(monkeypatch, REGEX, "\n## java.util.regex\n\n6,000 pairs compared; 1 difference kept: ...")
    out = tmp_path / "docs" / "conformance.md"
    assert conformance.main(["--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Conformance with the real oracles\n")
    assert "`make conformance`" in text and "python -m tests.oracles.conformance" in text
    assert 'Java on the machine that generated it: `openjdk version "17.0.15" 2025-04-15`.' in text
    jsonpath, regex = text.index("## Jayway JsonPath\n\n5,123 cases"), text.index("## java.util.regex\n\n6,000")
    assert jsonpath < regex
    assert text.endswith("1 difference kept: ...\n") and "\n\n\n" not in text
    assert "missing" not in text
    assert [path.name for path in out.parent.iterdir()] == ["conformance.md"]  # no temporary file left beside it


def test_a_section_whose_module_is_absent_is_one_line_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    absent(monkeypatch, JSONPATH)
    stand_in(monkeypatch, REGEX, "## java.util.regex\n\nfine\n")
    text = conformance.page()
    assert f"*This section is missing: `{JSONPATH}` is not there yet.*" in text
    assert "## Jayway JsonPath (output selectors)" in text and "## java.util.regex\n\nfine\n" in text
    absent(monkeypatch, REGEX)
    assert conformance.page().count("This section is missing") == 2


def test_a_section_that_fails_fails_the_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only an absent section module is a gap; a section that raises, or a module whose own import fails, is not
    hidden behind the placeholder, and the page already there is left as it was."""
    out = tmp_path / "conformance.md"
    out.write_text("before\n", encoding="utf-8")
    broken = types.ModuleType(JSONPATH)

    def section() -> str:
        raise RuntimeError("the oracle could not run")

    broken.section = section  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, JSONPATH, broken)
    stand_in(monkeypatch, REGEX, "## java.util.regex\n")
    with pytest.raises(RuntimeError, match="the oracle could not run"):
        conformance.main(["--out", str(out)])
    assert out.read_text(encoding="utf-8") == "before\n"
    monkeypatch.delitem(sys.modules, JSONPATH)
    monkeypatch.setattr(
        conformance.importlib,
        "import_module",
        lambda name: (_ for _ in ()).throw(ModuleNotFoundError("No module named 'jpype'", name="jpype")),
    )
    with pytest.raises(ModuleNotFoundError, match="jpype"):
        conformance.page()


def test_a_page_that_cannot_be_written_is_one_line_and_exit_two(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent(monkeypatch, JSONPATH)
    absent(monkeypatch, REGEX)
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert conformance.main(["--out", str(blocker / "conformance.md")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("conformance: ") and len(err.strip().splitlines()) == 1


def test_the_java_version_is_the_first_line_java_prints_or_says_why_there_is_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()  # the real java_version
    monkeypatch.setattr(conformance.shutil, "which", lambda name: None)
    assert conformance.java_version() == "no `java` on PATH"
