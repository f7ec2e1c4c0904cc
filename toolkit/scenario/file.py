"""Reading scenario files (the format is described in ``toolkit.scenario``): every key checked, an unknown key an
error naming it, the AWS shapes checked as AWS Config checks them (``toolkit.fakes.config``), the world read as the
world file is, the runbook found and compiled once. Errors name the file, line and key at fault."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from toolkit.documents import read_document_file, read_runbook
from toolkit.errors import LoadError, ToolkitError
from toolkit.fakes.backend import operations
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.cloudtrail.trail import TRAIL_KEYS
from toolkit.fakes.config import (
    COMPLIANT,
    FAILED,
    NON_COMPLIANT,
    SUCCEEDED,
    ConfigError,
    ConfigRule,
    RemediationConfiguration,
)
from toolkit.fakes.world import World, WorldError
from toolkit.fakes.worldfile import KeyPath, dotted
from toolkit.simulate.simulator import plan_of
from toolkit.source import read_data

SCENARIO_KEYS: Final = (
    "description",
    "world",
    "rule",
    "remediation",
    "events",
    "duration",
    "evaluate_after_events",
    "expect",
)
EXPECT_KEYS: Final = ("final_compliance", "remediation_exception", "remediations", "trails")
CONFIG_CALLS: Final = ("StartRemediationExecution", "DeleteRemediationExceptions")
MAX_DURATION: Final = 31 * 24 * 3600
SUFFIXES: Final = (".yaml", ".yml", ".json")


class ScenarioError(ToolkitError):
    """A scenario file that cannot be run: names the file, the line when known, and the key at fault."""

    def __init__(self, message: str, *, file: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.file, self.line, self.column = file, line, column

    def where(self) -> str:
        return ":".join(str(part) for part in (self.file, self.line, self.column) if part is not None)


@dataclass(frozen=True)
class Event:
    """At ``at`` seconds: an AWS API call against the world (``call``: service, operation, params), or a call
    to AWS Config itself (``config``: StartRemediationExecution or DeleteRemediationExceptions)."""

    at: float
    call: tuple[str, str, dict[str, Any]] | None = None
    config: str | None = None
    caller: str | None = None
    """``as``: who makes the call (an IAM role's, user's or root's ARN; None: the world's Caller)."""
    expect_error: str | None = None
    """The AWS error code the call must fail with (None: no expectation)."""


@dataclass(frozen=True)
class Expect:
    final_compliance: str
    remediation_exception: bool
    remediations: tuple[str, ...] | None = None
    trails: Mapping[str, Mapping[str, Any] | None] | None = None


@dataclass(frozen=True)
class Scenario:
    file: str
    description: str
    world: World
    rule: ConfigRule
    remediation: RemediationConfiguration
    target: Any  # the runbook (a ReadDocument), or a document file's data
    events: tuple[Event, ...]
    duration: float
    evaluate_after_events: bool
    expect: Expect


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file; ScenarioError names the file, line and key at fault."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise ScenarioError(f"cannot read the scenario: {reason}", file=file) from err
    try:
        data, source = read_data(text, file=file)
    except LoadError as err:
        raise ScenarioError(str(err.args[0]), file=file, line=err.line, column=err.column) from err

    def fail(where: KeyPath, message: str) -> ScenarioError:
        line, column = source.positions.key(where) if where else (None, None)
        return ScenarioError(f"{dotted(where)}: {message}" if where else message, file=file, line=line, column=column)

    top = _keys(data, (), SCENARIO_KEYS, ("rule", "remediation", "duration", "expect"), fail)
    folder = Path(path).parent
    try:
        rule = ConfigRule.read(top["rule"])
    except ConfigError as err:
        raise fail(("rule", *err.path), f"{err.reason} ({err.code})") from err
    try:
        remediation = RemediationConfiguration.read(top["remediation"])
    except ConfigError as err:
        raise fail(("remediation", *err.path), f"{err.reason} ({err.code})") from err
    if remediation.config_rule_name != rule.name:
        raise fail(("remediation", "ConfigRuleName"), f"names no rule of the scenario (its rule is {rule.name})")
    duration = _seconds(top["duration"], ("duration",), fail, MAX_DURATION)
    after_events = top.get("evaluate_after_events", True)
    if not isinstance(after_events, bool):
        raise fail(("evaluate_after_events",), "must be true or false")
    description = top.get("description", "")
    if not isinstance(description, str):
        raise fail(("description",), "must be text")
    return Scenario(
        file=file,
        description=description,
        world=_world(top.get("world"), folder, fail),
        rule=rule,
        remediation=remediation,
        target=_target(remediation.target_id, folder, fail),
        events=tuple(_events(top.get("events", []), duration, fail)),
        duration=duration,
        evaluate_after_events=after_events,
        expect=_expect(top["expect"], fail),
    )


Fail = Callable[[KeyPath, str], ScenarioError]


def _keys(
    data: object, where: KeyPath, allowed: tuple[str, ...], required: tuple[str, ...], fail: Fail
) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise fail(where, "must be a mapping")
    for key in data:
        if key not in allowed:
            raise fail((*where, key), f"unknown key (known keys: {', '.join(allowed)})")
    for key in required:
        if key not in data:
            raise fail((*where, key), "is required")
    return data


def _seconds(value: object, where: KeyPath, fail: Fail, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= limit:
        raise fail(where, f"must be a number of seconds from 0 to {limit:g}")
    return float(value)


def _world(value: object, folder: Path, fail: Fail) -> World:
    if value is None:
        return World.default()
    if isinstance(value, str):
        try:
            return World.load(folder / value)
        except WorldError as err:
            raise fail(("world",), str(err)) from err
    if not isinstance(value, dict):
        raise fail(("world",), "must be a world file's path or a world (a mapping)")
    try:
        return World.from_dict(value)
    except WorldError as err:
        message, own = str(err.args[0]), dotted(err.path)
        raise fail(("world", *err.path), message.removeprefix(f"{own} ") if own else message) from err


def _target(target_id: str, folder: Path, fail: Fail) -> Any:
    """The runbook TargetId names: a document file beside the scenario, else a project runbook."""
    file = folder / target_id
    try:
        target: Any = (
            read_document_file(file).data if file.suffix in SUFFIXES and file.is_file() else read_runbook(target_id)
        )
        plan_of(target)
    except ToolkitError as err:
        raise fail(("remediation", "TargetId"), f"names no runbook or document that can run: {err}") from err
    return target


def _events(value: object, duration: float, fail: Fail) -> list[Event]:
    if not isinstance(value, list):
        raise fail(("events",), "must be a list")
    events = []
    for index, item in enumerate(value):
        where: KeyPath = ("events", index)
        entry = _keys(item, where, ("at", "call", "config", "as", "expect_error"), ("at",), fail)
        caller = entry.get("as")
        if caller is not None and (not isinstance(caller, str) or parse_caller(caller) is None):
            raise fail((*where, "as"), "must be the ARN of an IAM role, an IAM user or an account's root user")
        expect_error = entry.get("expect_error")
        if expect_error is not None and not isinstance(expect_error, str):
            raise fail((*where, "expect_error"), "must be an AWS error code")
        at = _seconds(entry["at"], (*where, "at"), fail, duration)
        if ("call" in entry) == ("config" in entry):
            raise fail(where, "must hold exactly one of call and config")
        if "config" in entry:
            if entry["config"] not in CONFIG_CALLS:
                raise fail((*where, "config"), f"must be one of {', '.join(CONFIG_CALLS)}")
            events.append(Event(at, config=entry["config"], caller=caller, expect_error=expect_error))
            continue
        call = _keys(
            entry["call"], (*where, "call"), ("service", "operation", "params"), ("service", "operation"), fail
        )
        service, operation, params = call["service"], call["operation"], call.get("params", {})
        if not isinstance(service, str) or not operations(service):
            raise fail((*where, "call", "service"), "names no service the fake world models")
        if not isinstance(operation, str) or operation not in operations(service):
            raise fail((*where, "call", "operation"), f"names no {service} operation the fake world models")
        if not isinstance(params, dict):
            raise fail((*where, "call", "params"), "must be a mapping")
        events.append(Event(at, call=(service, operation, params), caller=caller, expect_error=expect_error))
    return events


def _expect(value: object, fail: Fail) -> Expect:
    expect = _keys(value, ("expect",), EXPECT_KEYS, ("final_compliance", "remediation_exception"), fail)
    if expect["final_compliance"] not in (COMPLIANT, NON_COMPLIANT):
        raise fail(("expect", "final_compliance"), f"must be {COMPLIANT} or {NON_COMPLIANT}")
    if not isinstance(expect["remediation_exception"], bool):
        raise fail(("expect", "remediation_exception"), "must be true or false")
    statuses = expect.get("remediations")
    if statuses is not None and (not isinstance(statuses, list) or any(s not in (SUCCEEDED, FAILED) for s in statuses)):
        raise fail(("expect", "remediations"), f"must be a list of {SUCCEEDED} and {FAILED}")
    trails = expect.get("trails")
    if trails is not None:
        if not isinstance(trails, dict):
            raise fail(("expect", "trails"), "must map trail names to their expected fields (or null: no trail)")
        for name, fields in trails.items():
            if not isinstance(name, str):
                raise fail(("expect", "trails", name), "a trail name must be text (quote it in YAML)")
            if fields is not None:
                _keys(fields, ("expect", "trails", name), TRAIL_KEYS, (), fail)
    return Expect(expect["final_compliance"], expect["remediation_exception"], _tuple(statuses), trails)


def _tuple(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)
