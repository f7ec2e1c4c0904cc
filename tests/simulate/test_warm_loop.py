"""What the warm simulation loop keeps from one simulation to the next (issue 19) answers exactly as computing it
anew: a Need's and a Caller's hash, kept once, is the hash of their fields (as the frozen dataclasses had it); the
parameters' stand-in that keys the authorization requests is the same with or without the shortcut for booleans;
the execution's starter kept with the world's decisions is the Caller ``parse_caller`` makes; the clock's kept
instant follows every change of ``now``; a trail name of letters and digits is judged as CloudTrail's name rules
judge it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from toolkit.aws.authorization import Need, _frozen
from toolkit.errors import SimulationError
from toolkit.fakes.caller import Caller, parse_caller
from toolkit.fakes.cloudtrail.lookup import _NAME, _valid
from toolkit.fakes.protocol import Call
from toolkit.fakes.world import World
from toolkit.simulate.clock import Clock
from toolkit.simulate.identity import starter
from toolkit.simulate.jsonpath import compile_selector
from toolkit.simulate.recorder import Recorder

ROLE = "arn:aws:iam::123456789012:role/Admin"


def test_a_need_hashes_as_its_fields_and_equal_needs_find_each_other() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/k"
    need = Need("kms:Decrypt", key, (("kms:viaservice", "s3"),), frozenset({"x"}))
    fields = (need.action, need.resource, need.context, need.unknown, need.unresolved)
    assert hash(need) == hash(fields)
    twin = Need("kms:Decrypt", need.resource, (("kms:viaservice", "s3"),), frozenset({"x"}))
    assert twin == need and {need: 1}[twin] == 1
    assert Need("kms:Decrypt", need.resource, need.context, need.unknown, unresolved=True) != need
    assert "_hash" not in repr(need)


def test_a_caller_hashes_as_its_fields_and_equal_callers_find_each_other() -> None:
    caller = parse_caller(ROLE, "session")
    assert caller is not None
    fields = (caller.arn, caller.account, caller.principal_arn, caller.kind, caller.name, caller.session_name)
    assert hash(caller) == hash((*fields, caller.session_policies))
    twin = parse_caller(ROLE, "session")
    assert twin == caller and {caller: 1}[twin] == 1
    assert parse_caller(ROLE, "other") != caller
    assert "_hash" not in repr(caller)


def _frozen_by_the_rule(value: object) -> object:
    """The stand-in as the rule says it, one call per value (what _frozen did before its shortcut)."""
    kind = type(value)
    if kind is str:
        return value
    if kind is dict:
        items: list[object] = [dict]
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                return None
            found = _frozen_by_the_rule(item)
            if found is None:
                return None
            items.append((key, found))
        return tuple(items)
    if kind is list or kind is tuple:
        members: list[object] = [kind]
        for item in value:  # type: ignore[attr-defined]
            found = _frozen_by_the_rule(item)
            if found is None:
                return None
            members.append(found)
        return tuple(members)
    if kind is bool or kind is int or value is None:
        return (kind, value)
    return None


@pytest.mark.parametrize(
    "params",
    [
        {"Name": "main", "IsMultiRegionTrail": True, "EnableLogFileValidation": False},
        {"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True}]},
        {"trailNameList": ["main"], "includeShadowTrails": False},
        {"Count": 1, "Flag": True, "Nothing": None, "List": [1, True, False, None, "x", (1,)]},
        {"Float": 1.5},
        {1: "not a str key"},
        [True, 1, False, 0],
    ],
)
def test_the_parameters_stand_in_is_the_rule_s(params: object) -> None:
    assert _frozen(params) == _frozen_by_the_rule(params)


def test_true_and_one_stand_in_differently() -> None:
    assert _frozen({"a": True}) != _frozen({"a": 1})
    assert _frozen([False]) != _frozen([0])


def test_the_starter_kept_with_the_world_is_the_caller_the_arn_names() -> None:
    world = World.default()
    kept = starter(ROLE, world)
    assert kept == starter(ROLE) == parse_caller(ROLE)
    assert starter(ROLE, world.copy()) is kept  # copies share the world's decisions
    assert isinstance(kept, Caller)
    with pytest.raises(SimulationError):
        starter("arn:aws:s3:::not-a-principal", world)


def test_the_clock_s_instant_follows_now_however_it_changes() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = Clock(start)
    assert clock.instant() == start
    clock.advance(5)
    assert clock.instant() == start + timedelta(seconds=5)
    assert clock.instant() is clock.instant()
    clock.now = 2.5  # a timeout sets it directly
    assert clock.instant() == start + timedelta(seconds=2.5)
    later = datetime(2027, 1, 1, tzinfo=UTC)
    clock.start = later
    assert clock.instant() == later + timedelta(seconds=2.5)


def test_a_trail_name_is_judged_as_the_name_rules_judge_it() -> None:
    names = ["ab", "abc", "a" * 128, "a" * 129, "main", "Trail1", "1.2.3.4", "a..b", "-ab", "ab-", "a_b.c-d", "ab1é"]
    names += ["١٢٣", "abc\n", "ABC", "x" * 3]
    chars = "ab1Z9._-é "
    rng = random.Random(19)
    names += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 8))) for _ in range(2000)]
    for name in names:
        assert _valid(name) == (_NAME.fullmatch(name) is not None), name


def _random_json(rng: random.Random, depth: int) -> object:
    roll = rng.random()
    if depth <= 0 or roll < 0.3:
        return rng.choice([None, True, 0, 1.5, "x", "Name", [], {}])
    if roll < 0.6:
        return [_random_json(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["a", "b", "Name", "trailList"]): _random_json(rng, depth - 1) for _ in range(rng.randint(0, 4))}


@pytest.mark.parametrize("text", ["$.trailList[*].Name", "$.a.b[*].Name", "$[*].Name", "a[*]['b']", "$.a.*.b"])
def test_a_spread_selector_reads_as_the_general_reading(text: str) -> None:
    selector = compile_selector(text)
    assert selector._spread is not None
    rng = random.Random(text)
    documents: list[object] = [
        {"trailList": [{"Name": "main"}, {"Name": "other"}, {"x": 1}, None, "s", [1]]},
        {"trailList": {"k": {"Name": 1}}},
        {"trailList": {"k": 1}},
        {"trailList": None},
        {"trailList": "text"},
        {},
        [],
        "text",
    ]
    documents += [_random_json(rng, 4) for _ in range(3000)]
    for document in documents:
        if document is None:
            continue  # refused before either reading (the document is null)
        assert selector.select(document) == selector._general(document), document


def test_a_recorded_call_is_the_call_record_made_the_usual_way() -> None:
    world = World.default()
    recorder = Recorder(world.backend("us-east-1"))
    recorder.call("cloudtrail", "DescribeTrails", {"trailNameList": ["main"]})
    elsewhere = recorder.at(world.backend("eu-west-1"))
    elsewhere.call("cloudtrail", "DescribeTrails", {})
    first, second = recorder.calls
    assert type(first) is Call and first == Call("cloudtrail", "DescribeTrails", {"trailNameList": ["main"]}, None)
    assert first.account is None and first.region is None
    assert second == Call("cloudtrail", "DescribeTrails", {}, None, world.account, "eu-west-1")
    assert second.to_json()["region"] == "eu-west-1"


def test_the_clock_formats_as_strftime_at_every_instant() -> None:
    """``Clock.strftime`` keeps the texts of the last instant: they follow ``now`` and ``start`` as they change."""
    from datetime import timedelta

    from toolkit.simulate.clock import EPOCH, Clock
    from toolkit.ssm.references import TIME_VARIABLES

    clock = Clock()
    for step in (0, 0, 1.5, 86399.25, 0, 3600):
        clock.advance(step)
        if step == 3600:
            clock.start = EPOCH - timedelta(days=400)
        for time_format in (*TIME_VARIABLES.values(), "%H:%M:%S.%f"):
            assert clock.strftime(time_format) == clock.instant().strftime(time_format)
