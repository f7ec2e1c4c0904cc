"""A fake world seen from one region: the Backend the simulator sends every AWS call to.

``call(service, operation, params)`` goes to the one owner of that service for the whole world: a service of
``SERVICES`` is owned by the faithful fakes (the operation is found in that service's module, imported on first
use, and run against the world, which it changes in place); every other service is owned by moto, in-process
(``toolkit.fakes.moto``; the world keeps the log of the calls that changed moto's state). The answer is the
response as botocore parses it (timestamps as ``datetime``, no ResponseMetadata), or an ``AwsError`` with AWS's
error code. An operation its owner does not implement raises ``NotModeled``, never an empty success, unless a
handler was registered for it: a registered handler (``fn(params) -> dict``) answers before any owner, so tests
can also stand in for a modelled operation (to inject a fault, say). Registered handlers belong to the world, so
its copies keep them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.fakes.errors import NotModeled
from toolkit.fakes.state import Handler, WorldState

if TYPE_CHECKING:
    from toolkit.fakes.caller import Caller
    from toolkit.fakes.protocol import Backend

__all__ = ["EPOCH", "SERVICES", "FakeBackend", "Handler", "Operation", "operations"]

Operation = Callable[["FakeBackend", dict[str, Any]], dict[str, Any]]
"""A modelled operation: the backend (world, region, clock) and the request's parameters in, the response out."""

EPOCH = datetime.fromisoformat("2026-01-01T00:00:00+00:00")
"""The instant a backend without a clock reports (the simulator's executions start there too)."""

SERVICES: dict[str, str] = {
    "cloudtrail": "toolkit.fakes.cloudtrail.operations",
    "config": "toolkit.fakes.services.config",
    "iam": "toolkit.fakes.services.iam",
    "kms": "toolkit.fakes.services.kms",
    "logs": "toolkit.fakes.services.logs",
    "organizations": "toolkit.fakes.services.organizations",
    "s3": "toolkit.fakes.services.s3",
    "sns": "toolkit.fakes.services.sns",
    "ssm": "toolkit.fakes.services.ssm",
    "sts": "toolkit.fakes.services.sts",
}
"""The services the faithful fakes own (boto3's client names), each with the module whose ``OPERATIONS`` table
models it; moto owns every other service.

Imported by name on first use: those modules sit above this one (they take a ``FakeBackend``), and a cold
``runbook lint`` never loads them."""

_TABLES: dict[str, dict[str, Operation]] = {}


def operations(service: str) -> dict[str, Operation]:
    """The operations modelled for a service (empty for a service no fake models)."""
    table = _TABLES.get(service)
    if table is None:
        module = SERVICES.get(service)
        table = importlib.import_module(module).OPERATIONS if module else {}
        _TABLES[service] = table
    return table


def _fixed_now() -> datetime:
    return EPOCH


class FakeBackend:
    """The world as one region of its account sees it (``toolkit.fakes.protocol.Backend``)."""

    __slots__ = ("_authorize", "account", "caller", "now", "partition", "region", "world")

    def __init__(
        self,
        world: WorldState,
        region: str | None = None,
        now: Callable[[], datetime] | None = None,
        caller: Caller | None = None,
    ) -> None:
        self.world = world
        self.account = world.account
        self.partition = world.partition
        self.region = region or world.region
        self.now = now or _fixed_now
        self.caller = caller
        """Who makes the calls, each authorized as IAM would before its owner answers (None: every call allowed)."""
        self._authorize: Callable[[str, str, dict[str, Any]], None] | None = None
        if caller is not None:
            # lazy: IAM's evaluation (~10 ms of modules) loads only for a backend whose calls are authorized
            # (``import a.b as c``: cheaper than ``from a.b import c`` for a module already loaded)
            import toolkit.fakes.access as access

            self._authorize = access.authorizer(access.Where(world, self.region, self.now), caller)

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._authorize is not None:
            self._authorize(service, operation, params)
        handler = self.world.handlers.get((service, operation)) if self.world.handlers else None
        if handler is not None:
            return handler(params)
        if service not in SERVICES:
            return self._moto(service, operation, params)
        modelled = operations(service).get(operation)
        if modelled is None:
            raise NotModeled(service, operation)
        return modelled(self, params)

    def _moto(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        # lazy: the door to moto (and moto, ~0.5 s) loads only when a service the fakes do not own is called
        from toolkit.fakes.moto import call_moto

        world = self.world.root or self.world  # moto's log is the whole world's, every account's calls in it
        response, world.moto_calls = call_moto(
            world.moto_calls, service, operation, params, region=self.region, account=self.account
        )
        return response

    def elsewhere(self, account: str, region: str) -> FakeBackend | None:
        """The same world seen from another of its accounts and another region (same clock); None when the world
        has no such account."""
        world = self.world.root or self.world
        state = world if account == world.account else world.accounts.get(account)
        return None if state is None else FakeBackend(state, region, self.now, self.caller)

    def register(self, service: str, operation: str, fn: Handler) -> None:
        """Answer ``service``/``operation`` with ``fn`` from now on (in this world and its later copies)."""
        self.world.register(service, operation, fn)

    def in_region(self, region: str) -> FakeBackend:
        """The same world seen from another region (same clock)."""
        return FakeBackend(self.world, region, self.now, self.caller)

    def acting_as(self, caller: Caller | None) -> FakeBackend:
        """The same view of the world, its calls made (and authorized) as ``caller`` (None: every call allowed)."""
        return FakeBackend(self.world, self.region, self.now, caller)

    def arn(self, service: str, resource: str, *, region: str | None = None, account: str | None = None) -> str:
        """``arn:<partition>:<service>:<region>:<account>:<resource>``; region "" for global services."""
        where = self.region if region is None else region
        return f"arn:{self.partition}:{service}:{where}:{account or self.account}:{resource}"


if TYPE_CHECKING:

    def _is_a_backend(backend: FakeBackend) -> Backend:
        """Type-checked only: a FakeBackend is the simulator's Backend."""
        return backend
