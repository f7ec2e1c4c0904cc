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
    """One AWS call an execution made, with the error code it failed with (None: it succeeded), and where it was
    made when that is not the execution's own account and region (a child automation's in another account or
    region; None otherwise, and then the JSON has no such keys)."""

    service: str
    operation: str
    params: dict[str, Any]
    error: str | None
    account: str | None = None
    region: str | None = None

    def to_json(self) -> dict[str, Any]:
        shown = {"service": self.service, "operation": self.operation, "params": self.params, "error": self.error}
        if self.account is not None:
            shown["account"] = self.account
        if self.region is not None:
            shown["region"] = self.region
        return shown
