"""A service of the fake world for tests: calls that check every response against botocore's output shape, and
that check a refused call changed nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.fakes.shapes import check_shape
from toolkit.fakes.backend import EPOCH
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World


class Service:
    """``service.call("Op", Member=...)`` calls Op on ``world`` from ``region``; ``service.error("Op", ...)``
    expects a refusal and returns the AwsError. The clock reads ``now`` (seconds after 2026-01-01), which tests move."""

    def __init__(self, name: str, world: World | None = None, region: str | None = None) -> None:
        self.name = name
        self.world = world if world is not None else World.default()
        self.region = region
        self.now = 0.0

    def clock(self) -> datetime:
        return EPOCH + timedelta(seconds=self.now)

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        response = self.world.backend(self.region, self.clock).call(self.name, operation, params)
        check_shape(self.name, operation, response)
        return response

    def error(self, operation: str, **params: Any) -> AwsError:
        before = self.world.to_dict()
        with pytest.raises(AwsError) as caught:
            self.world.backend(self.region, self.clock).call(self.name, operation, params)
        assert self.world.to_dict() == before, f"a refused {operation} changed the world"
        assert caught.value.message
        return caught.value
