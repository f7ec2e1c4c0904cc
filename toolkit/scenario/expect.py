"""A scenario's ``expect`` (the format is described in ``toolkit.scenario``): reading it, and checking a run's
report against it. Errors name the key at fault; what differs is one line each in the report's ``unmet``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from toolkit.fakes.cloudtrail.trail import TRAIL_KEYS
from toolkit.fakes.config import COMPLIANT, FAILED, NON_COMPLIANT, SUCCEEDED
from toolkit.fakes.world import World
from toolkit.fakes.worldfile import KeyPath

NOT_APPLICABLE: Final = "NOT_APPLICABLE"
COMPLIANCES: Final = (COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE)
EXPECT_KEYS: Final = (
    "final_compliance",
    "remediation_exception",
    "remediations",
    "trails",
    "rules",
    "delivery_off_at_most",
    "notified",
    "notifications",
    "scheduled",
)
RULE_EXPECT_KEYS: Final = ("final_compliance", "remediation_exception", "remediations")

Fail = Callable[[KeyPath, str], Exception]


@dataclass(frozen=True)
class RuleExpect:
    """What one rule should end with (each None: not checked)."""

    final_compliance: str | None = None
    remediation_exception: bool | None = None
    remediations: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Expect:
    """What the scenario should end with. ``final_compliance``, ``remediation_exception`` and ``remediations`` speak of
    every rule the loop runs together (with one rule, of that rule); ``rules`` of each rule by name. None: not
    checked."""

    final_compliance: str | None
    remediation_exception: bool | None
    remediations: tuple[str, ...] | None = None
    trails: Mapping[str, Mapping[str, Any] | None] | None = None
    rules: Mapping[str, RuleExpect] | None = None
    delivery_off_at_most: float | Mapping[str, float] | None = None
    """Seconds each followed trail (a number), or each named trail (a mapping), may be off at most."""
    notified: bool | None = None
    """True: at least one notification was published; False: none was."""
    notifications: int | None = None
    """How many notifications were published, exactly."""
    scheduled: tuple[str, ...] | None = None
    """The statuses of the scheduled automations, in order."""

    def trail_names(self) -> list[str]:
        """The trails the expectations name (their delivery is followed too)."""
        named = list(self.trails or {})
        if isinstance(self.delivery_off_at_most, Mapping):
            named += list(self.delivery_off_at_most)
        return named


def read_expect(value: object, fail: Fail, keys: Callable[..., dict[str, Any]]) -> Expect:
    """``expect`` checked key by key (``keys`` checks a mapping's keys, as the scenario reader does)."""
    given = value if isinstance(value, dict) else {}
    required = () if "rules" in given else ("final_compliance", "remediation_exception")
    expect = keys(value, ("expect",), EXPECT_KEYS, required, fail)
    top = _rule_expect(expect, ("expect",), fail)
    trails = expect.get("trails")
    if trails is not None:
        if not isinstance(trails, dict):
            raise fail(("expect", "trails"), "must map trail names to their expected fields (or null: no trail)")
        for name, fields in trails.items():
            if not isinstance(name, str):
                raise fail(("expect", "trails", name), "a trail name must be text (quote it in YAML)")
            if fields is not None:
                keys(fields, ("expect", "trails", name), TRAIL_KEYS, (), fail)
    rules = expect.get("rules")
    per_rule: dict[str, RuleExpect] | None = None
    if rules is not None:
        if not isinstance(rules, dict):
            raise fail(("expect", "rules"), "must map Config rule names to what each should end with")
        per_rule = {}
        for name, fields in rules.items():
            where: KeyPath = ("expect", "rules", name)
            per_rule[str(name)] = _rule_expect(keys(fields, where, RULE_EXPECT_KEYS, (), fail), where, fail)
    notified = expect.get("notified")
    if notified is not None and not isinstance(notified, bool):
        raise fail(("expect", "notified"), "must be true or false")
    count = expect.get("notifications")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise fail(("expect", "notifications"), "must be a whole number of notifications")
    return Expect(
        final_compliance=top.final_compliance,
        remediation_exception=top.remediation_exception,
        remediations=top.remediations,
        trails=trails,
        rules=per_rule,
        delivery_off_at_most=_off_limit(expect.get("delivery_off_at_most"), fail),
        notified=notified,
        notifications=count,
        scheduled=_statuses(expect, ("expect",), "scheduled", fail),
    )


def _rule_expect(data: dict[str, Any], where: KeyPath, fail: Fail) -> RuleExpect:
    final = data.get("final_compliance")
    if final is not None and final not in COMPLIANCES:
        raise fail((*where, "final_compliance"), f"must be {COMPLIANT}, {NON_COMPLIANT} or {NOT_APPLICABLE}")
    exception = data.get("remediation_exception")
    if exception is not None and not isinstance(exception, bool):
        raise fail((*where, "remediation_exception"), "must be true or false")
    return RuleExpect(final, exception, _statuses(data, where, "remediations", fail))


def _statuses(data: dict[str, Any], where: KeyPath, key: str, fail: Fail) -> tuple[str, ...] | None:
    statuses = data.get(key)
    if statuses is None:
        return None
    if not isinstance(statuses, list) or any(status not in (SUCCEEDED, FAILED) for status in statuses):
        raise fail((*where, key), f"must be a list of {SUCCEEDED} and {FAILED}")
    return tuple(statuses)


def _off_limit(value: object, fail: Fail) -> float | dict[str, float] | None:
    where: KeyPath = ("expect", "delivery_off_at_most")
    if value is None:
        return None
    if isinstance(value, dict):
        limits: dict[str, float] = {}
        for name, seconds in value.items():
            if not isinstance(name, str):
                raise fail((*where, name), "a trail name must be text (quote it in YAML)")
            limits[name] = _seconds(seconds, (*where, name), fail)
        return limits
    return _seconds(value, where, fail)


def _seconds(value: object, where: KeyPath, fail: Fail) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise fail(where, "must be a number of seconds (0 or more), or a mapping of trail names to one")
    return float(value)


# -- checking a run ------------------------------------------------------------------------------------------------


def unmet(expect: Expect, data: Mapping[str, Any], world: World) -> list[str]:
    """What differs between ``expect`` and a report's ``data`` (the final world: ``world``), one line each."""
    found: list[str] = []
    statuses = [entry["status"] for entry in data["remediations"]]
    _rule_unmet(found, "", expect, data["final_compliance"], data["remediation_exception"], statuses)
    for name, wanted in (expect.rules or {}).items():
        got = data["rules"][name]
        _rule_unmet(
            found, f"rules.{name}.", wanted, got["final_compliance"], got["remediation_exception"], got["remediations"]
        )
    found += _trails_unmet(expect, world)
    found += _delivery_unmet(expect, data["delivery"])
    published = sum(1 for item in data["notifications"] if item["error"] is None)
    if expect.notified is not None and expect.notified != (published > 0):
        found.append(f"notified: expected {compact(expect.notified)}, got {published} notifications")
    if expect.notifications is not None and expect.notifications != published:
        found.append(f"notifications: expected {expect.notifications}, got {published}")
    statuses = [entry["status"] for entry in data["scheduled"]]
    if expect.scheduled is not None and list(expect.scheduled) != statuses:
        found.append(f"scheduled: expected {compact(list(expect.scheduled))}, got {compact(statuses)}")
    return found


def _rule_unmet(
    found: list[str],
    prefix: str,
    wanted: Expect | RuleExpect,
    final: str | None,
    exception: bool,
    statuses: list[str],
) -> None:
    if wanted.final_compliance is not None and wanted.final_compliance != final:
        found.append(f"{prefix}final_compliance: expected {wanted.final_compliance}, got {final}")
    if wanted.remediation_exception is not None and wanted.remediation_exception != exception:
        found.append(
            f"{prefix}remediation_exception: expected {compact(wanted.remediation_exception)}, got {compact(exception)}"
        )
    if wanted.remediations is not None and list(wanted.remediations) != statuses:
        found.append(f"{prefix}remediations: expected {compact(list(wanted.remediations))}, got {compact(statuses)}")


def _trails_unmet(expect: Expect, world: World) -> list[str]:
    found = []
    for name, fields in (expect.trails or {}).items():
        home = find_trail(world, name)
        trail = None if home is None else world.trails[home].to_dict()
        if fields is None or trail is None:
            if fields is not None:
                found.append(f"trails.{name}: expected a trail, got none")
            elif trail is not None:
                found.append(f"trails.{name}: expected no trail, got one homed in {trail['HomeRegion']}")
            continue
        for key, value in fields.items():
            if trail.get(key) != value:  # a key the trail does not hold yet (a delivery record) is null
                found.append(f"trails.{name}.{key}: expected {compact(value)}, got {compact(trail.get(key))}")
    return found


def _delivery_unmet(expect: Expect, delivery: Mapping[str, Any]) -> list[str]:
    limit = expect.delivery_off_at_most
    if limit is None:
        return []
    limits = dict(limit) if isinstance(limit, Mapping) else dict.fromkeys(delivery, limit)
    found = []
    for name, seconds in limits.items():
        off = delivery[name]["off_seconds"]
        if off > seconds:
            found.append(f"delivery_off_at_most.{name}: expected at most {number(seconds)} s, got {number(off)} s")
    return found


def find_trail(world: World, name: str) -> tuple[str, str] | None:
    """The key of the trail ``name`` in ``world``: the one homed in the world's Region, else the first by Region."""
    homes = sorted(
        (trail.home_region != world.region, trail.home_region) for trail in world.trails.values() if trail.name == name
    )
    return (homes[0][1], name) if homes else None


def number(seconds: float) -> int | float:
    return int(seconds) if float(seconds).is_integer() else round(seconds, 3)


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=False, default=str)
