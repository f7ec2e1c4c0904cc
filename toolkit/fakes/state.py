"""The fake world's state: one account's resources in every region, and the handlers registered on it.

Below the backend and the services' operations, which act on it; ``toolkit.fakes.world.World`` (at the top) adds
reading, writing and copying worlds, and hands out backends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from toolkit.fakes.cloudtrail.trail import Trail
from toolkit.fakes.config.state import ConfigState
from toolkit.fakes.iam import Group, InstanceProfile, Role, User
from toolkit.fakes.iam_policies import ManagedPolicy
from toolkit.fakes.kms import Key
from toolkit.fakes.logs import LogGroup, LogResourcePolicy
from toolkit.fakes.organizations import Organization
from toolkit.fakes.s3 import Bucket
from toolkit.fakes.sns import Topic
from toolkit.fakes.ssm import SsmState

if TYPE_CHECKING:
    from toolkit.fakes.moto import MotoLog

Handler = Callable[[dict[str, Any]], dict[str, Any]]
"""A registered stand-in for one operation: the request's parameters in, the response out."""


class WorldState:
    """One fake AWS account: where executions run (``region``), and its resources in every region."""

    __slots__ = (
        "account",
        "accounts",
        "buckets",
        "config",
        "groups",
        "handlers",
        "instance_profiles",
        "keys",
        "log_groups",
        "log_resource_policies",
        "managed_policies",
        "moto_calls",
        "organization",
        "partition",
        "region",
        "roles",
        "root",
        "ssm",
        "topics",
        "trails",
        "users",
    )

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
        self.buckets: dict[str, Bucket] = {}
        self.keys: dict[str, Key] = {}
        self.topics: dict[tuple[str, str], Topic] = {}
        self.log_groups: dict[tuple[str, str], LogGroup] = {}
        self.log_resource_policies: dict[tuple[str, str], LogResourcePolicy] = {}
        self.roles: dict[str, Role] = {}
        self.users: dict[str, User] = {}
        self.groups: dict[str, Group] = {}
        self.managed_policies: dict[str, ManagedPolicy] = {}
        self.instance_profiles: dict[str, InstanceProfile] = {}
        self.trails: dict[tuple[str, str], Trail] = {}
        self.config = ConfigState()
        self.ssm = SsmState()
        self.handlers: dict[tuple[str, str], Handler] = {}
        self.accounts: dict[str, Self] = {}
        """The world's other accounts (each a world of its own account, whose ``root`` is this one)."""
        self.root: Self | None = None
        """The world this account belongs to (None: this is the world's own account)."""
        self.moto_calls: MotoLog = ()
        """The calls that changed the state of the services moto owns (``toolkit.fakes.moto``), in order."""

    def register(self, service: str, operation: str, fn: Handler) -> None:
        """Answer ``service``/``operation`` with ``fn(params) -> dict`` (before any fake that models it)."""
        self.handlers[(service, operation)] = fn
