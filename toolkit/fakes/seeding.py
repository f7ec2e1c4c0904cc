"""A world file's ``Calls``: API calls replayed in order at load, through the same owners a simulation uses.

Each entry is ``Service`` (boto3's client name), ``Api`` (the operation, as AWS names it), ``Params`` (its request,
default none), and optionally ``Region`` (default: the world's) and ``Account`` (default: the world's). Anything
the fakes or moto can create can so be in a world's starting state. An entry that cannot run (an unknown service
or operation, parameters botocore's model rejects, an AWS error) is an error of the world file naming the entry's
index, service, operation and error; the world is then never returned, so no half-seeded world is used.

Calls to services the fakes own become the fakes' state (written back as their sections); calls moto answered stay
in the world's moto log, which ``World.to_dict`` writes back as ``Calls``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.errors import AwsError
from toolkit.fakes.worldfile import Fields, KeyPath, WorldError, dotted

if TYPE_CHECKING:
    from toolkit.aws.models import ModelStore
    from toolkit.fakes.state import WorldState

CALL_KEYS = ("Service", "Api", "Params", "Region", "Account", "As")


@dataclass(frozen=True, slots=True)
class SeedCall:
    where: KeyPath
    """Where the entry is in the world file: ``("Calls", 2)`` or ``("Accounts", "444455556666", "Calls", 0)``."""
    service: str
    api: str
    params: dict[str, Any]
    region: str | None
    account: str | None
    caller: str | None = None
    """``As``: who makes the call, authorized as IAM would (None: the world is being set up; nothing is checked)."""

    def in_account(self, account: str) -> SeedCall:
        """The call, made in ``account`` unless it names its own (the ``Calls`` of an entry of ``Accounts``)."""
        if self.account is not None:
            return self
        return SeedCall(self.where, self.service, self.api, self.params, self.region, account, self.caller)


def read_calls(root: Fields) -> Iterator[SeedCall]:
    """The ``Calls`` entries of a world-file mapping, checked for shape (not yet run)."""
    for fields in root.items("Calls", CALL_KEYS):
        params = fields.data.get("Params")
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise fields.fail("Params", "must be a mapping of the operation's parameters")
        caller = fields.optional_text("As")
        if caller is not None and parse_caller(caller) is None:
            raise fields.fail("As", "must be the ARN of an IAM role, an IAM user or an account's root user")
        yield SeedCall(
            where=fields.path,
            service=fields.required_text("Service").strip().lower(),
            api=fields.required_text("Api").strip(),
            params=params,
            region=fields.optional_text("Region"),
            account=fields.optional_text("Account"),
            caller=caller,
        )


def replay(world: WorldState, calls: Iterator[SeedCall], models: ModelStore) -> None:
    """Run each call against ``world`` (or the account of it the call names) in order; WorldError (naming
    ``Calls[i]``) on the first that fails."""
    for call in calls:
        where, entry = call.where, dotted(call.where)
        state = world
        if call.account is not None and call.account != world.account:
            member = world.accounts.get(call.account)
            if member is None:
                known = ", ".join([world.account, *sorted(world.accounts)])
                raise WorldError(
                    f"{entry}: {call.service} {call.api}: Account {call.account} is not an account of "
                    f"this world ({known})",
                    path=where,
                )
            state = member
        operation = _checked_operation(call, models)
        try:
            caller = parse_caller(call.caller) if call.caller is not None else None
            FakeBackend(state, call.region, caller=caller).call(call.service, operation, call.params)
        except AwsError as err:
            raise WorldError(
                f"{entry}: {call.service} {operation} failed: {err.code}: {err.message}", path=where
            ) from err


def _checked_operation(call: SeedCall, models: ModelStore) -> str:
    """The operation's name as botocore's model spells it, its parameters checked against the model."""
    where, entry = call.where, dotted(call.where)
    model = models.model(call.service)
    if model is None:
        if not models.available:
            return call.api  # no botocore models to check against: the owner will say
        raise WorldError(f"{entry}: unknown service {call.service!r}", path=where)
    operation = model.operation(call.api)
    if operation is None:
        raise WorldError(f"{entry}: {call.service} has no operation {call.api!r}", path=where)
    shape = model.shape(operation.input) if operation.input else None
    members = dict(shape.members) if shape is not None else {}
    for key in call.params:
        if key not in members:
            raise WorldError(
                f"{entry}: {call.service} {operation.name}: {key} is not a parameter of {operation.name}",
                path=(*where, "Params", key),
            )
    for key in shape.required if shape is not None else ():
        if key not in call.params:
            raise WorldError(
                f"{entry}: {call.service} {operation.name}: missing required parameter {key}",
                path=(*where, "Params"),
            )
    return str(operation.name)
