"""toolkit/javaregex/java_unicode.json is the JDK's: tests/oracles/java/UnicodeTables.java, run on this JDK, writes
it again byte for byte (``--update-golden`` rewrites it, after a JDK update, for the diff to be read)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, outside
from tests.oracles.regex_oracle import JAVA_SOURCES, NO_JDK, jdk17

TABLES = ROOT / "toolkit" / "javaregex" / "java_unicode.json"


def test_the_tables_are_the_jdks(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    tools = jdk17()
    if tools is None:
        pytest.skip(outside(NO_JDK))
    javac, java = tools
    subprocess.run([javac, "-d", str(tmp_path), str(JAVA_SOURCES / "UnicodeTables.java")], check=True, timeout=300)
    command = [java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", str(tmp_path), "UnicodeTables"]
    written = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300).stdout
    if request.config.getoption("--update-golden"):
        TABLES.write_text(written, encoding="utf-8")
    assert written == TABLES.read_text(encoding="utf-8"), "the JDK's tables changed: run with --update-golden"
