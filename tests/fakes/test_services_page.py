"""docs/services.md says which backend owns each service and which operations the fakes model; it must be current,
and every operation the fakes model must be one botocore's model has."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.aws.models import ModelStore
from toolkit.fakes.backend import SERVICES, operations
from toolkit.fakes.services_page import render

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_is_current() -> None:
    current = (ROOT / "docs" / "services.md").read_text(encoding="utf-8")
    assert current == render(), "docs/services.md is out of date: run `make docs`"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_modelled_operation_is_one_of_the_service_s_real_operations(service: str) -> None:
    model = ModelStore().model(service)
    assert model is not None
    assert sorted(set(operations(service)) - set(model.operations)) == []
