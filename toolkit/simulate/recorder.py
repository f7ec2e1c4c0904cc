"""Every AWS call of an execution, from an API step or from a boto3 client inside a script, goes through one
``Recorder``, so the result lists them all in order. A child automation in another account or region calls through
a recorder of its own (``Recorder.at``) that shares the list: its calls carry the account and region they were made
in, so the result shows where each call landed."""

from __future__ import annotations

from typing import Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.protocol import Backend, Call

_new_call = tuple.__new__


class Recorder:
    """Forwards calls to a backend and records each one, with its error code if it failed (and, when the backend is
    not the top-level execution's account and region, ``home``, with where it was made)."""

    def __init__(self, backend: Backend, calls: list[Call] | None = None, home: tuple[str, str] | None = None) -> None:
        self.backend = backend
        self.calls: list[Call] = [] if calls is None else calls
        self.home = home if home is not None else (backend.account, backend.region)
        place = (backend.account, backend.region)
        self.where: tuple[str, str] | tuple[None, None] = (None, None) if place == self.home else place

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.backend.call(service, operation, params)
        except AwsError as err:
            self.calls.append(Call(service, operation, params, err.code, *self.where))
            raise
        # Call(...) without its generated __new__ (a Python function): the same tuple of the same class
        self.calls.append(_new_call(Call, (service, operation, params, None, *self.where)))
        return response

    def at(self, backend: Backend) -> Recorder:
        """A recorder for the calls made through ``backend`` (another account or region of the same world) that
        records them in this recorder's list."""
        return Recorder(backend, self.calls, self.home)

    __slots__ = ("backend", "calls", "home", "where")
