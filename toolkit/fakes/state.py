"""The fake world's state: one account's resources in every region, and the handlers registered on it.

Below the backend and the services' operations, which act on it; ``toolkit.fakes.world.World`` (at the top) adds
reading, writing and copying worlds, and hands out backends.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar, overload

from toolkit.iam.policy import StatementTable

if TYPE_CHECKING:
    from toolkit.fakes.cloudtrail.trail import Trail
    from toolkit.fakes.config.state import ConfigState
    from toolkit.fakes.iam import Group, InstanceProfile, Role, User
    from toolkit.fakes.iam_policies import ManagedPolicy
    from toolkit.fakes.kms import Key
    from toolkit.fakes.logs import LogGroup, LogResourcePolicy
    from toolkit.fakes.moto import MotoLog
    from toolkit.fakes.organizations import Organization
    from toolkit.fakes.s3 import Bucket
    from toolkit.fakes.sns import Topic
    from toolkit.fakes.ssm import SsmState
    from toolkit.iam.policy import Policy

Handler = Callable[[dict[str, Any]], dict[str, Any]]
"""A registered stand-in for one operation: the request's parameters in, the response out."""


class _Copyable(Protocol):
    def copy(self) -> Self: ...


T = TypeVar("T", bound=_Copyable)


class RareTables:
    """The tables most simulations never touch (IAM users and groups, SSM, Config...), held together so that a
    world's copy takes them with one reference."""

    __slots__ = (
        "config",
        "groups",
        "instance_profiles",
        "log_resource_policies",
        "managed_policies",
        "ssm",
        "users",
    )

    def __init__(self) -> None:
        self.config: ConfigState | None = None  # made on first use (its modules load only then)
        self.groups: dict[str, Group] = {}
        self.instance_profiles: dict[str, InstanceProfile] = {}
        self.log_resource_policies: dict[tuple[str, str], LogResourcePolicy] = {}
        self.managed_policies: dict[str, ManagedPolicy] = {}
        self.ssm: SsmState | None = None  # made on first use (its modules load only then)
        self.users: dict[str, User] = {}

    def holder_copy(self) -> RareTables:
        """A new holder of the same tables (each still to be copied before it is changed)."""
        twin = object.__new__(RareTables)
        for name in RareTables.__slots__:
            setattr(twin, name, getattr(self, name))
        return twin


ALL_SHARED: frozenset[str] = frozenset(RareTables.__slots__)


class CopiedOnUse(Generic[T]):
    """One of a world's ``RareTables``: a world's copy shares them with the world it was copied from until either
    uses one, and the first use copies it (and the holder, on the first use of any). So copying a world costs only
    the tables a simulation of the CloudTrail runbook uses, however many services the fakes model."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, world: None, owner: type) -> CopiedOnUse[T]: ...

    @overload
    def __get__(self, world: WorldState, owner: type) -> T: ...

    def __get__(self, world: WorldState | None, owner: type) -> CopiedOnUse[T] | T:
        if world is None:
            return self
        if world.shared and self.name in world.shared:
            self._own(world)
        value: T | None = getattr(world.rare, self.name)
        if value is None:
            value = self._new()
            setattr(world.rare, self.name, value)
        return value

    def _new(self) -> T:
        """A new, empty Config or SSM state (the only tables made on first use)."""
        made: Any
        if self.name == "config":
            # lazy: the fake Config's modules (~13 ms) load only when a world uses Config
            from toolkit.fakes.config.state import ConfigState

            made = ConfigState()
        else:
            # lazy: the fake SSM's modules (~13 ms) load only when a world uses Systems Manager
            from toolkit.fakes.ssm import SsmState

            made = SsmState()
        result: T = made
        return result

    def __set__(self, world: WorldState, value: T) -> None:
        if world.shared and self.name in world.shared:
            self._own(world)
        setattr(world.rare, self.name, value)

    def _own(self, world: WorldState) -> None:
        """Give ``world`` its own copy of this table (and its own holder, if it still shares the holder)."""
        if world.shared is ALL_SHARED:
            world.rare = world.rare.holder_copy()
        table = getattr(world.rare, self.name)
        if table is not None:
            setattr(world.rare, self.name, table.copy())
        world.shared = world.shared - {self.name}


class WorldState:
    """One fake AWS account: where executions run (``region``), and its resources in every region."""

    __slots__ = (
        "account",
        "accounts",
        "buckets",
        "caller",
        "compiled",
        "decisions",
        "handlers",
        "keys",
        "log_groups",
        "moto_calls",
        "organization",
        "partition",
        "rare",
        "region",
        "roles",
        "root",
        "shared",
        "statements",
        "topics",
        "trails",
    )

    config: CopiedOnUse[ConfigState] = CopiedOnUse()
    groups: CopiedOnUse[dict[str, Group]] = CopiedOnUse()
    instance_profiles: CopiedOnUse[dict[str, InstanceProfile]] = CopiedOnUse()
    log_resource_policies: CopiedOnUse[dict[tuple[str, str], LogResourcePolicy]] = CopiedOnUse()
    managed_policies: CopiedOnUse[dict[str, ManagedPolicy]] = CopiedOnUse()
    ssm: CopiedOnUse[SsmState] = CopiedOnUse()
    users: CopiedOnUse[dict[str, User]] = CopiedOnUse()

    def __init__(
        self,
        *,
        account: str = "123456789012",
        region: str = "us-east-1",
        partition: str = "aws",
        organization: Organization | None = None,
    ) -> None:
        self.account = account
        self.region = region
        self.partition = partition
        self.organization = organization
        self.rare = RareTables()
        self.shared: frozenset[str] = frozenset()
        """The rare tables this world still shares with a world it was copied from, or that was copied from it
        (``ALL_SHARED``, that very object: it shares their holder too)."""
        self.buckets: dict[str, Bucket] = {}
        self.keys: dict[str, Key] = {}
        self.topics: dict[tuple[str, str], Topic] = {}
        self.log_groups: dict[tuple[str, str], LogGroup] = {}
        self.roles: dict[str, Role] = {}
        self.trails: dict[tuple[str, str], Trail] = {}
        self.handlers: dict[tuple[str, str], Handler] = {}
        self.accounts: dict[str, Self] = {}
        """The world's other accounts (each a world of its own account, whose ``root`` is this one)."""
        self.root: Self | None = None
        """The world this account belongs to (None: this is the world's own account)."""
        self.caller: str | None = None
        """The world file's ``Caller``: who starts executions (None: the account's ``Admin`` role,
        ``toolkit.fakes.access``)."""
        self.compiled: dict[str, Policy] = {}
        """Policies the world's IAM evaluates but does not hold (AWS managed policies' documents, parsed SCPs...),
        compiled once and shared by the world's copies (a policy never changes)."""
        self.statements = StatementTable()
        """Compiled policy statements shared by policies of the same document (``toolkit.iam.policy``); shared by the
        world's copies, and replaced by its Simulator's own for a run (one table for every world it runs in)."""
        self.decisions: dict[Hashable, Any] = {}
        """IAM's decisions ``toolkit.fakes.access`` made in this world, each kept with the records it was made from
        and found again only while the world still holds those very records; shared by the world's copies."""
        self.moto_calls: MotoLog = ()
        """The calls that changed the state of the services moto owns (``toolkit.fakes.moto``), in order."""

    def register(self, service: str, operation: str, fn: Handler) -> None:
        """Answer ``service``/``operation`` with ``fn(params) -> dict`` (before any fake that models it)."""
        self.handlers[(service, operation)] = fn
