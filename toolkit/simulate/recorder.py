"""Every AWS call of an execution, from an API step or from a boto3 client inside a script, goes through one
``Recorder``, so the result lists them all in order."""

from __future__ import annotations

from typing import Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.protocol import Backend, Call


class Recorder:
    """Forwards calls to a backend and records each one, with its error code if it failed."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.calls: list[Call] = []

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.backend.call(service, operation, params)
        except AwsError as err:
            self.calls.append(Call(service, operation, params, err.code))
            raise
        self.calls.append(Call(service, operation, params, None))
        return response

    __slots__ = ("backend", "calls")
