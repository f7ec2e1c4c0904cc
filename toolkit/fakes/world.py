"""The world: the state of one fake AWS account, read from and written to the world file (docs/world-file.md).

``World.default()``, ``World.load(path)`` and ``World.from_dict(data)`` make one; ``to_dict()`` gives every field
(in a fixed order) so that reading it back gives the same state; ``dump(path)`` writes it atomically as YAML or
JSON by the path's suffix; ``copy()`` is a cheap independent copy (the tables are copied, the records shared: no
record is ever changed in place, see ``toolkit.fakes.record``); ``backend()`` is the Backend the simulator calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.errors import LoadError
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.cloudtrail import selectors
from toolkit.fakes.cloudtrail.lookup import check_name
from toolkit.fakes.cloudtrail.trail import TRAIL_KEYS, Trail, default_event_selectors
from toolkit.fakes.errors import AwsError
from toolkit.fakes.iam import IAM_SECTIONS, read_iam, write_iam
from toolkit.fakes.kms import KEY_KEYS, Key
from toolkit.fakes.organizations import ORGANIZATION_KEYS, Organization
from toolkit.fakes.s3 import BUCKET_KEYS, Bucket
from toolkit.fakes.state import ALL_SHARED, WorldState
from toolkit.fakes.worldfile import CONFIG_KEYS, SSM_KEYS, WORLD_FILE, Fields, WorldError
from toolkit.files import read_text

__all__ = ["World", "WorldError"]

ACCOUNT_SECTIONS = (
    "Buckets",
    "Keys",
    "Topics",
    "LogGroups",
    "LogResourcePolicies",
    *IAM_SECTIONS,  # Roles, Users, Groups, Policies, InstanceProfiles
    "Trails",
    *SSM_KEYS,
    *CONFIG_KEYS,
)
"""The sections of one account's resources: the world's own at the top level, each other account's under
``Accounts``."""
ACCOUNT_KEYS = (*ACCOUNT_SECTIONS, "Calls")
WORLD_KEYS = ("Account", "Region", "Partition", "Caller", "Organization", *ACCOUNT_SECTIONS, "Accounts", "Calls")
# The keys each mapping may hold, as the sets ``Fields`` checks against (made once here, not at every read).
_WORLD_KEY_SET = frozenset(WORLD_KEYS)
_ACCOUNT_KEY_SET = frozenset(ACCOUNT_KEYS)
_BUCKET_KEY_SET = frozenset(BUCKET_KEYS)
_KEY_KEY_SET = frozenset(KEY_KEYS)
_TRAIL_KEY_SET = frozenset(TRAIL_KEYS)
REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}")
PARTITION = re.compile(r"aws(?:-[a-z]+)*")


class World(WorldState):
    """One fake AWS account: where executions run (``region``), and its resources in every region."""

    __slots__ = ()

    # -- making worlds -----------------------------------------------------------------------------------------

    @classmethod
    def default(cls) -> World:
        """The default world (``toolkit.fakes.default``), built anew by each call (a ``Simulator`` keeps one and
        copies it, which is cheaper)."""
        from toolkit.fakes.default import default_data  # lazy: world files and scenarios never load the default

        return cls.from_dict(default_data())

    @classmethod
    def load(cls, path: str | Path) -> World:
        """Read a world file (YAML or JSON). Errors name the file, the key at fault and, when known, its line."""
        from toolkit.source import read_data  # lazy: only a world file needs PyYAML; the default world does not

        file = str(path)
        try:
            text = read_text(path)
        except LoadError as err:
            raise WorldError(f"cannot read the world file: {err.args[0]}", file=file) from err
        try:
            data, source = read_data(text, file=file, what=WORLD_FILE)
        except LoadError as err:
            raise WorldError(str(err.args[0]), file=file, line=err.line, column=err.column) from err
        try:
            return cls.from_dict(data)
        except WorldError as err:
            line, column = source.positions.key(err.path) if err.path else (None, None)
            raise WorldError(str(err.args[0]), path=err.path, file=file, line=line, column=column) from err

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> World:
        """A world from world-file data (not kept: every value is copied in)."""
        root = Fields(dict(data) if isinstance(data, Mapping) else data, (), _WORLD_KEY_SET)
        account = root.text("Account", "123456789012")
        if not (account.isdigit() and len(account) == 12):
            raise root.fail("Account", "must be a 12-digit account id (quote it in YAML)")
        region = root.text("Region", "us-east-1")
        if not REGION.fullmatch(region):
            raise root.fail("Region", "must be a region name such as us-east-1")
        partition = root.text("Partition", "aws")
        if not PARTITION.fullmatch(partition):
            raise root.fail("Partition", "must be a partition such as aws, aws-cn or aws-us-gov")
        section = root.section("Organization", ORGANIZATION_KEYS)
        world = cls(
            account=account,
            region=region,
            partition=partition,
            organization=None if section is None else Organization.read(section, account),
        )
        _read_sections(root, world)
        world.caller = _read_caller(root)
        members = root.data.get("Accounts")
        if members is not None and not isinstance(members, dict):
            raise root.fail("Accounts", "must be a mapping of account ids to their sections")
        for member_id, sections in (members or {}).items():
            member_fields = Fields(sections, ("Accounts", member_id), _ACCOUNT_KEY_SET)
            member_id = str(member_id)
            if not (member_id.isdigit() and len(member_id) == 12) or member_id == account:
                raise member_fields.fail("", f"{member_id} must be a 12-digit account id other than the world's own")
            member = cls(account=member_id, region=region, partition=partition, organization=world.organization)
            member.root = world
            _read_sections(member_fields, member)
            world.accounts[member_id] = member
        listed = members or {}
        seeded = [member_id for member_id in world.accounts if listed[member_id].get("Calls") is not None]
        if _empty(root.data.get("Calls")) and all(_empty(listed[member_id].get("Calls")) for member_id in seeded):
            return world  # no Calls anywhere, or only empty lists of them (read_calls would find nothing)
        # lazy: only a world that seeds calls reads them (the seeding module) and botocore's models to check them
        from toolkit.aws.models import ModelStore, default_cache_dir
        from toolkit.fakes.seeding import read_calls, replay

        calls = list(read_calls(root))
        for member_id in seeded:
            member_fields = Fields((members or {})[member_id], ("Accounts", member_id), _ACCOUNT_KEY_SET)
            calls += [call.in_account(member_id) for call in read_calls(member_fields)]
        if calls:
            replay(world, iter(calls), ModelStore(default_cache_dir()))
        return world

    # -- writing worlds ----------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Every field of the world file, in a fixed order (lists sorted), as fresh JSON data."""
        organization = self.organization
        return {
            "Account": self.account,
            "Region": self.region,
            "Partition": self.partition,
            **({"Caller": self.caller} if self.caller is not None else {}),
            "Organization": None if organization is None else organization.to_dict(),
            **self._sections(),
            "Accounts": {member: self.accounts[member]._sections() for member in sorted(self.accounts)},
            "Calls": [call.to_json() for call in self.moto_calls],
        }

    def _sections(self) -> dict[str, Any]:
        """The sections each account of the world has (the world's own, and each of ``Accounts``)."""
        policies = self.log_resource_policies
        return {
            "Buckets": [self.buckets[name].to_dict() for name in sorted(self.buckets)],
            "Keys": [key.to_dict() for key in sorted(self.keys.values(), key=lambda key: (key.region, key.key_id))],
            "Topics": [self.topics[where].to_dict() for where in sorted(self.topics)],
            "LogGroups": [self.log_groups[where].to_dict() for where in sorted(self.log_groups)],
            "LogResourcePolicies": [policies[where].to_dict() for where in sorted(policies)],
            **write_iam(self),
            "Trails": [self.trails[where].to_dict() for where in sorted(self.trails)],
            **(self.ssm.to_dict() if self.rare.ssm is not None else {key: [] for key in SSM_KEYS}),
            **(self.config.to_dict() if self.rare.config is not None else {key: [] for key in CONFIG_KEYS}),
        }

    def dump(self, path: str | Path, format: str | None = None) -> None:
        """Write the world file atomically: JSON for ``.json``, YAML for ``.yaml``/``.yml`` (or as ``format`` says)."""
        # lazy: writing a world file loads the model and PyYAML (through toolkit.render); only dump needs them
        from toolkit.files import write_atomic
        from toolkit.render import to_json_text, to_yaml_text

        target = Path(path)
        kind = format or {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(target.suffix.lower())
        if kind not in ("json", "yaml"):
            raise WorldError("the world file's name must end in .json, .yaml or .yml", file=str(target))
        data = self.to_dict()
        try:
            write_atomic(target, to_json_text(data) if kind == "json" else to_yaml_text(data))
        except OSError as err:
            raise WorldError(f"cannot write the world file: {err.strerror or err}", file=str(target)) from err

    # -- using worlds ------------------------------------------------------------------------------------------

    def copy(self) -> World:
        """An independent copy: changing either world (through a backend) never changes the other."""
        twin = object.__new__(World)
        twin.root = None
        twin.accounts = self._copy_accounts(twin) if self.accounts else {}
        twin.account = self.account
        twin.region = self.region
        twin.partition = self.partition
        twin.organization = self.organization
        twin.buckets = self.buckets.copy()
        twin.keys = self.keys.copy()
        twin.topics = self.topics.copy()
        twin.log_groups = self.log_groups.copy()
        twin.roles = self.roles.copy()
        twin.trails = self.trails.copy()
        twin.handlers = self.handlers.copy()
        twin.caller = self.caller
        twin.compiled = self.compiled
        twin.decisions = self.decisions
        twin.statements = self.statements
        twin.rare = self.rare  # shared by both worlds until either uses one of them (state.CopiedOnUse)
        twin.shared = self.shared = ALL_SHARED
        twin.moto_calls = self.moto_calls
        return twin

    def _copy_accounts(self, twin: World) -> dict[str, World]:
        copies = {}
        for member, state in self.accounts.items():
            copied = state.copy()
            copied.root = twin
            copies[member] = copied
        return copies

    def call(
        self, service: str, operation: str, params: Mapping[str, Any] | None = None, *, region: str | None = None
    ) -> dict[str, Any]:
        """Answer one API call against this world through its owner (the fakes or moto), changing the world as the
        call would: ``world.call("s3", "GetBucketVersioning", {"Bucket": "my-data"})`` reads any service's state
        after a run (``result.world``). Raises ``AwsError`` with AWS's error code."""
        return self.backend(region).call(service, operation, dict(params or {}))

    def backend(self, region: str | None = None, now: Callable[[], datetime] | None = None) -> FakeBackend:
        """The Backend that answers AWS calls against this world (changing it), from ``region`` (default: the
        world's Region), with ``now`` as the clock (default: a fixed instant, 2026-01-01T00:00:00Z)."""
        return FakeBackend(self, region, now)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, World) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"World(account={self.account!r}, region={self.region!r}, trails={sorted(self.trails)!r})"


def _read_sections(fields: Fields, world: World) -> None:
    """The sections every account of a world file has (the world's own, and each of ``Accounts``) into ``world``."""
    region = world.region
    for item in fields.items("Buckets", _BUCKET_KEY_SET):
        bucket = Bucket.read(item, region)
        _unique(item, "Name", bucket.name, world.buckets)
        world.buckets[bucket.name] = bucket
    for item in fields.items("Keys", _KEY_KEY_SET):
        key = Key.read(item, region, world.account, world.partition)
        _unique(item, "KeyId", key.key_id, world.keys)
        for alias in key.aliases:
            if any(other.region == key.region and alias in other.aliases for other in world.keys.values()):
                raise item.fail("Aliases", f"names {alias}, which another key in {key.region} has")
        world.keys[key.key_id] = key
    if not _empty(fields.data.get("Topics")):
        # lazy: SNS's records load only for a world that holds topics (the default world holds none)
        from toolkit.fakes.sns import TOPIC_KEYS, Topic

        for item in fields.items("Topics", TOPIC_KEYS):
            topic = Topic.read(item, region)
            _unique(item, "Name", (topic.region, topic.name), world.topics)
            world.topics[(topic.region, topic.name)] = topic
    if not (_empty(fields.data.get("LogGroups")) and _empty(fields.data.get("LogResourcePolicies"))):
        # lazy: CloudWatch Logs' records load only for a world that holds log groups or resource policies
        from toolkit.fakes.logs import LOG_GROUP_KEYS, LogGroup, read_resource_policies

        for item in fields.items("LogGroups", LOG_GROUP_KEYS):
            group = LogGroup.read(item, region)
            _unique(item, "Name", (group.region, group.name), world.log_groups)
            world.log_groups[(group.region, group.name)] = group
        world.log_resource_policies = read_resource_policies(fields, region)
    read_iam(fields, world)
    for item in fields.items("Trails", _TRAIL_KEY_SET):
        trail = _read_trail(item, world)
        world.trails[(trail.home_region, trail.name)] = trail
    # Empty sections (as ``to_dict`` writes them) hold nothing to read: a world without SSM or Config state is not
    # given one, so reading it back loads no SSM or Config module.
    if not _all_empty(fields.data, SSM_KEYS):
        world.ssm.read(fields, region, world.account, world.partition)
    if not _all_empty(fields.data, CONFIG_KEYS):
        world.config.read(fields, region, world.account)


def _empty(section: object) -> bool:
    """Whether a world-file section holds no entry (absent, null or an empty list: ``Fields.items`` yields none)."""
    return section is None or (type(section) is list and not section)


def _all_empty(data: Mapping[str, Any], keys: tuple[str, ...]) -> bool:
    """Whether every one of ``keys`` is an empty section of ``data`` (see ``_empty``)."""
    for key in keys:
        section = data.get(key)
        if not (section is None or (type(section) is list and not section)):
            return False
    return True


def _unique(fields: Fields, key: str, identity: object, table: Mapping[Any, object]) -> None:
    if identity in table:
        raise fields.fail(key, "repeats an earlier entry")


def _read_trail(fields: Fields, world: World) -> Trail:
    trail = Trail.read(fields, world.region)
    try:
        check_name(trail.name)
    except AwsError as err:
        raise fields.fail("Name", f"is not a valid trail name: {err.message}") from err
    if (trail.home_region, trail.name) in world.trails:
        raise fields.fail("Name", f"repeats trail {trail.name} of {trail.home_region}")
    for other in world.trails.values():
        if other.name == trail.name and (other.is_multi_region_trail or trail.is_multi_region_trail):
            raise fields.fail("Name", f"clashes with the multi-region trail {other.name} homed in {other.home_region}")
    if not REGION.fullmatch(trail.home_region):
        raise fields.fail("HomeRegion", "must be a region name such as us-east-1")
    if trail.is_multi_region_trail and not trail.include_global_service_events:
        raise fields.fail("IncludeGlobalServiceEvents", "must be true for a multi-region trail")
    if trail.is_organization_trail and world.organization is None:
        raise fields.fail("IsOrganizationTrail", "needs an Organization")
    if fields.data.get("EventSelectors") and trail.advanced_event_selectors:
        raise fields.fail("AdvancedEventSelectors", "cannot be set with EventSelectors: a trail has one kind")
    # Trail.read copied the selectors (Fields.structures, or default_event_selectors' fresh list), so checking them
    # need not copy them again.
    try:
        if trail.advanced_event_selectors:
            trail.advanced_event_selectors = selectors.advanced_selectors(trail.advanced_event_selectors, fresh=True)
        else:
            trail.event_selectors = selectors.basic_selectors(trail.event_selectors, fresh=True)
    except AwsError as err:
        raise fields.fail("EventSelectors", f"are not valid: {err.message}") from err
    if fields.data.get("HasCustomEventSelectors") is None:
        trail.has_custom_event_selectors = bool(trail.advanced_event_selectors) or (
            trail.event_selectors != default_event_selectors()
        )
    try:
        trail.insight_selectors = selectors.insight_selectors(trail.insight_selectors, fresh=True)
    except AwsError as err:
        raise fields.fail("InsightSelectors", f"are not valid: {err.message}") from err
    if len(trail.tags) > 50:
        raise fields.fail("Tags", "has more than 50 tags")
    trail.kms_key_id = _key_arn(fields, world, trail)
    return trail


def _key_arn(fields: Fields, world: World, trail: Trail) -> str | None:
    """The trail's key as a full key ARN: an alias is resolved through Keys, a bare id placed in the home region."""
    value = trail.kms_key_id
    if value is None:
        return None
    if re.fullmatch(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/.+", value):
        return value
    if value.startswith("arn:") or value.startswith("alias/"):
        region, alias = trail.home_region, value
        if value.startswith("arn:"):
            parts = value.split(":", 5)
            region, alias = (parts[3], parts[5]) if len(parts) == 6 else (region, value)
        for key in world.keys.values():
            if key.region == region and alias in key.aliases:
                return key.arn(world.partition, world.account)
        raise fields.fail("KmsKeyId", f"names {value}, which no key in Keys has; give the key's ARN")
    return f"arn:{world.partition}:kms:{trail.home_region}:{world.account}:key/{value}"


def _read_caller(root: Fields) -> str | None:
    caller = root.optional_text("Caller")
    if caller is not None and parse_caller(caller) is None:
        raise root.fail("Caller", "must be the ARN of an IAM role, an IAM user or an account's root user")
    return caller
