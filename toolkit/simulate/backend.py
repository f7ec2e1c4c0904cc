"""Where a simulated execution's AWS calls go: a backend answers ``call(service, operation, params)``.

``service`` is the boto3 client name (``cloudtrail``), ``operation`` the PascalCase operation name
(``CreateTrail``), ``params`` the request as JSON-like data. The answer is the response as botocore would parse
it into Python data (without ResponseMetadata), or an ``AwsError`` carrying the AWS error code. Every call of an
execution, from an API step or from a boto3 client inside a script, goes through one ``Recorder``, so the result
lists them all in order.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from toolkit.fakes.errors import AwsError


class Backend(Protocol):
    account: str
    region: str
    partition: str

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]: ...


class Call(NamedTuple):
    """One AWS call an execution made."""

    service: str
    operation: str
    params: dict[str, Any]
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {"service": self.service, "operation": self.operation, "params": self.params, "error": self.error}


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
