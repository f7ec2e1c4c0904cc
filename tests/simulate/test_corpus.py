"""Every real document in the corpus simulates with sample parameters, ending in a status with a clear message:
no internal exception of the simulator, whatever the document does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_files
from tests.simulate.sample import sample_run
from toolkit.simulate import Options, simulate
from toolkit.source import read_data


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.relative_to(CORPUS).as_posix())
def test_corpus_document_simulates(path: Path) -> None:
    data, _ = read_data(path.read_text(encoding="utf-8-sig"), file=str(path))
    params, world = sample_run(data)
    result = simulate(data, params, world, options=Options(cpu_seconds=1.0))
    assert result.status in ("Success", "Failed", "TimedOut", "Cancelled")
    for step in result.steps:
        if step.status != "Success":
            assert step.failure_message, step
            assert "Traceback" not in step.failure_message
