"""What answers a simulated execution's AWS calls: a backend answers ``call(service, operation, params)``.

``service`` is the boto3 client name (``cloudtrail``), ``operation`` the PascalCase operation name
(``CreateTrail``), ``params`` the request as JSON-like data. The answer is the response as botocore would parse
it into Python data (without ResponseMetadata), or an ``AwsError`` carrying the AWS error code. The fake world
(``toolkit.fakes.backend.FakeBackend``) and moto (``toolkit.fakes.moto.MotoFallback``) implement it; the
simulator only calls it.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol


class Backend(Protocol):
    account: str
    region: str
    partition: str

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]: ...

    def elsewhere(self, account: str, region: str) -> Backend | None:
        """The same world seen from another of its accounts and regions (None: no such account in the world)."""
        ...


class Call(NamedTuple):
    """One AWS call an execution made, with the error code it failed with (None: it succeeded)."""

    service: str
    operation: str
    params: dict[str, Any]
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {"service": self.service, "operation": self.operation, "params": self.params, "error": self.error}
