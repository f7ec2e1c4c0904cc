"""Fixtures for the fake world's tests: boto3 clients that talk to a fake world."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.fakes.boto import fake_session
from toolkit.fakes.backend import FakeBackend


@pytest.fixture
def fake_boto3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[FakeBackend], None]]:
    """``fake_boto3(backend)``: from then on ``boto3.client(...)`` talks to that backend (no network)."""
    import boto3

    def use(backend: FakeBackend) -> None:
        monkeypatch.setattr(boto3, "DEFAULT_SESSION", fake_session(backend))

    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    yield use
