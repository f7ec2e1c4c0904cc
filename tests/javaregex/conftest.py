"""The Java oracle for the regular-expression tests: one JVM for the whole session (per test worker)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import outside
from tests.oracles.regex_oracle import NO_JDK, JavaRegexOracle


@pytest.fixture(scope="session")
def java() -> Iterator[JavaRegexOracle]:
    """java.util.regex itself (RegexOracle.java compiled into a temporary folder); skipped without a JDK, the
    skips summed up in one line at the end of the session."""
    oracle = JavaRegexOracle.start()
    if oracle is None:
        pytest.skip(outside(NO_JDK))
    with oracle:
        yield oracle
