"""Reading scenario files (the format is described in ``toolkit.scenario``): every key checked, an unknown key an
error naming it, the AWS shapes checked as AWS Config checks them (``toolkit.fakes.config``), the world read as the
world file is (or made from a template by the ``WorldMaker`` the caller gives), the rules the loop runs found (the
scenario's own, or the world's), the runbooks a scenario file names found and compiled once. Errors name the file,
line and key at fault."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from toolkit.documents import read_document_file, read_runbook
from toolkit.errors import LoadError, ToolkitError
from toolkit.fakes.backend import SERVICES, operations
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.config import ConfigError, ConfigRule, RemediationConfiguration
from toolkit.fakes.world import REGION, World, WorldError
from toolkit.fakes.worldfile import KeyPath, dotted
from toolkit.files import read_text
from toolkit.scenario.expect import Expect, read_expect
from toolkit.simulate.simulator import plan_of
from toolkit.source import read_data

SCENARIO_KEYS: Final = (
    "description",
    "world",
    "template",
    "rule",
    "remediation",
    "events",
    "duration",
    "evaluate_after_events",
    "expect",
)
TEMPLATE_KEYS: Final = ("file", "pattern", "params", "account", "region")
PATTERNS: Final = ("account", "organization")
"""``template: {pattern: NAME}``: the toolkit's own template, as ``runbook template`` (account) or ``runbook template
--organization`` (organization) writes it now, so a scenario tests exactly what is deployed."""
CONFIG_CALLS: Final = ("StartRemediationExecution", "DeleteRemediationExceptions")
EVENTS: Final = "events"
"""EventBridge: the one service besides the fakes' that scenario events may call (moto owns it), since the loop
honours its rules."""
MAX_DURATION: Final = 31 * 24 * 3600
SUFFIXES: Final = (".yaml", ".yml", ".json")


class ScenarioError(ToolkitError):
    """A scenario file that cannot be run: names the file, the line when known, and the key at fault."""

    def __init__(self, message: str, *, file: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.file, self.line, self.column = file, line, column

    def where(self) -> str:
        return ":".join(str(part) for part in (self.file, self.line, self.column) if part is not None)


class WorldMaker(Protocol):
    """Makes the world a CloudFormation template deploys (a scenario's ``template``): the template's resources
    instantiated in ``base`` (the scenario's ``world``, or the default world), in ``account`` and ``region`` (None:
    ``base``'s). ``toolkit.deploy.instantiate`` does it; the scenario room may not import it (both rooms are on floor
    9), so the command layer hands it in. Raises a ToolkitError naming what it cannot instantiate."""

    def __call__(
        self, template: Path | str, *, params: Mapping[str, str], base: World, account: str | None, region: str | None
    ) -> World: ...

    """``template``: a template file, or the name of one of the toolkit's own templates (``PATTERNS``)."""


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
    rule: str | None = None
    """The Config rule a ``config`` call is about (None: the loop's only rule)."""


@dataclass(frozen=True)
class RuleSetup:
    """A Config rule the loop runs: the rule, its remediation configuration (None: none), and the remediation's
    document when the scenario file names one beside it or a project runbook the world does not hold (None: the
    document is found at each execution, in the world's Systems Manager documents, else among the project's
    runbooks)."""

    rule: ConfigRule
    remediation: RemediationConfiguration | None = None
    target: Any = None


@dataclass(frozen=True)
class Scenario:
    file: str
    description: str
    world: World
    rule: ConfigRule | None
    """The scenario's own rule (None: the loop runs the world's rules)."""
    remediation: RemediationConfiguration | None
    """The scenario's own remediation configuration (None: the world's, if any)."""
    target: Any  # the scenario's remediation's document (a ReadDocument, or a document file's data), or None
    events: tuple[Event, ...]
    duration: float
    evaluate_after_events: bool
    expect: Expect
    rules: tuple[RuleSetup, ...] = ()
    """Every rule the loop runs, in the order it runs them at one instant (by name)."""
    trails: tuple[str, ...] = ()
    """The trails whose delivery the report follows: those of the world at the start and those ``expect`` names."""


def load_scenario(path: str | Path, *, world_maker: WorldMaker | None = None) -> Scenario:
    """Read and check a scenario file; ScenarioError names the file, line and key at fault. ``world_maker`` makes
    the world of a scenario with ``template`` (None: such a scenario is refused)."""
    file = str(path)
    try:
        text = read_text(path)
    except LoadError as err:
        raise ScenarioError(f"cannot read the scenario: {err.args[0]}", file=file) from err
    try:
        data, source = read_data(text, file=file, what="a scenario file")
    except LoadError as err:
        raise ScenarioError(str(err.args[0]), file=file, line=err.line, column=err.column) from err

    def fail(where: KeyPath, message: str) -> ScenarioError:
        line, column = source.positions.key(where) if where else (None, None)
        return ScenarioError(f"{dotted(where)}: {message}" if where else message, file=file, line=line, column=column)

    top = _keys(data, (), SCENARIO_KEYS, ("duration", "expect"), fail)
    folder = Path(path).parent
    rule: ConfigRule | None = None
    if "rule" in top:
        try:
            rule = ConfigRule.read(top["rule"])
        except ConfigError as err:
            raise fail(("rule", *err.path), f"{err.reason} ({err.code})") from err
    remediation: RemediationConfiguration | None = None
    if "remediation" in top:
        try:
            remediation = RemediationConfiguration.read(top["remediation"])
        except ConfigError as err:
            raise fail(("remediation", *err.path), f"{err.reason} ({err.code})") from err
    if rule is not None and remediation is not None and remediation.config_rule_name != rule.name:
        raise fail(("remediation", "ConfigRuleName"), f"names no rule of the scenario (its rule is {rule.name})")
    duration = _seconds(top["duration"], ("duration",), fail, MAX_DURATION)
    after_events = top.get("evaluate_after_events", True)
    if not isinstance(after_events, bool):
        raise fail(("evaluate_after_events",), "must be true or false")
    description = top.get("description", "")
    if not isinstance(description, str):
        raise fail(("description",), "must be text")
    world = _world(top.get("world"), folder, fail)
    if "template" in top:
        world = _template_world(top["template"], world, folder, world_maker, fail)
    target = None if remediation is None else _target(remediation, world, folder, fail)
    rules = _rules(world, rule, remediation, target, fail)
    events = _events(top.get("events", []), duration, [setup.rule.name for setup in rules], fail)
    expect = read_expect(top["expect"], fail, _keys)
    for name in expect.rules or {}:
        if name not in {setup.rule.name for setup in rules}:
            known = ", ".join(setup.rule.name for setup in rules)
            raise fail(("expect", "rules", name), f"names no rule the scenario runs (it runs {known})")
    trails = {trail.name for trail in world.trails.values()} | set(expect.trail_names())
    return Scenario(
        file=file,
        description=description,
        world=world,
        rule=rule,
        remediation=remediation,
        target=target,
        events=tuple(events),
        duration=duration,
        evaluate_after_events=after_events,
        expect=expect,
        rules=rules,
        trails=tuple(sorted(trails)),
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


def _template_world(value: object, base: World, folder: Path, maker: WorldMaker | None, fail: Fail) -> World:
    """``template``: the world ``maker`` makes from a CloudFormation template (the file, relative to the scenario),
    its parameters, and the account and Region to deploy it in, on top of ``base``."""
    where: KeyPath = ("template",)
    entry = _keys({"file": value} if isinstance(value, str) else value, where, TEMPLATE_KEYS, (), fail)
    if ("file" in entry) == ("pattern" in entry):
        raise fail(where, f"needs either file (a template file) or pattern ({' or '.join(PATTERNS)}), not both")
    source: Path | str
    if "pattern" in entry:
        source = entry["pattern"]
        if source not in PATTERNS:
            raise fail((*where, "pattern"), f"must be one of the toolkit's templates: {', '.join(PATTERNS)}")
    else:
        name = entry["file"]
        if not isinstance(name, str) or not name:
            raise fail((*where, "file"), "must be the template file's path (relative to the scenario)")
        source = folder / name
        if not source.is_file():
            raise fail((*where, "file"), f"no such template file: {source}")
    params = entry.get("params", {})
    if not isinstance(params, dict):
        raise fail((*where, "params"), "must map the template's parameter names to their values")
    for key, item in params.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise fail((*where, "params", key), "must be text, as CloudFormation takes parameters (quote it in YAML)")
    account = entry.get("account")
    if account is not None and not (isinstance(account, str) and account.isdigit() and len(account) == 12):
        raise fail((*where, "account"), "must be a 12-digit account id (quote it in YAML)")
    region = entry.get("region")
    if region is not None and not (isinstance(region, str) and REGION.fullmatch(region)):
        raise fail((*where, "region"), "must be a region name such as us-east-1")
    if maker is None:
        raise fail(where, "cannot be instantiated: no world maker was given (load_scenario(..., world_maker=...))")
    try:
        return maker(source, params=dict(params), base=base, account=account, region=region)
    except ToolkitError as err:
        raise fail(where, str(err)) from err


def _target(remediation: RemediationConfiguration, world: World, folder: Path, fail: Fail) -> Any:
    """The document of the scenario's remediation, when it is fixed as the file is read: a document file beside the
    scenario, else a project runbook, unless the world holds a document of that name (None: found at each execution,
    as Config finds it, in the world's documents, else among the project's runbooks)."""
    target_id = remediation.target_id
    file = folder / target_id
    try:
        if file.suffix in SUFFIXES and file.is_file():
            target: Any = read_document_file(file).data
        elif target_id.startswith("arn:") or _world_holds(world, target_id):
            return None
        else:
            target = read_runbook(target_id)
        plan_of(target)
    except ToolkitError as err:
        raise fail(("remediation", "TargetId"), f"names no runbook or document that can run: {err}") from err
    return target


def _world_holds(world: World, name: str) -> bool:
    """Whether the world's Systems Manager holds a document ``name`` in its own account and Region (a world without
    Systems Manager state is not given one)."""
    return world.rare.ssm is not None and (world.region, name) in world.ssm.documents


def _rules(
    world: World,
    rule: ConfigRule | None,
    remediation: RemediationConfiguration | None,
    target: Any,
    fail: Fail,
) -> tuple[RuleSetup, ...]:
    """The rules the loop runs: the scenario's own rule, or every rule of the world's account in its Region; each
    with the scenario's remediation configuration if it names the rule, else the world's for it, if any."""
    region = world.region
    config = world.rare.config  # read without giving a world that has none a Config state
    held = (
        {}
        if config is None
        else {name: record.rule for (where, name), record in config.rules.items() if where == region}
    )
    if rule is not None:
        held = {rule.name: rule}
    elif not held:
        raise fail(("rule",), f"is required: the world holds no Config rule in {region} for the loop to run")
    if remediation is not None and remediation.config_rule_name not in held:
        known = ", ".join(sorted(held))
        raise fail(
            ("remediation", "ConfigRuleName"), f"names no Config rule of the world in {region} (its rules: {known})"
        )
    setups = []
    for name in sorted(held):
        if remediation is not None and remediation.config_rule_name == name:
            setups.append(RuleSetup(held[name], remediation, target))
        else:
            own = None if config is None else config.remediations.get((region, name))
            setups.append(RuleSetup(held[name], own))
    return tuple(setups)


def _events(value: object, duration: float, rules: list[str], fail: Fail) -> list[Event]:
    if not isinstance(value, list):
        raise fail(("events",), "must be a list")
    events = []
    for index, item in enumerate(value):
        where: KeyPath = ("events", index)
        entry = _keys(item, where, ("at", "call", "config", "rule", "as", "expect_error"), ("at",), fail)
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
            rule = entry.get("rule")
            if rule is None and len(rules) > 1:
                raise fail((*where, "rule"), f"is required: the scenario runs several rules ({', '.join(rules)})")
            if rule is not None and rule not in rules:
                raise fail((*where, "rule"), f"names no rule the scenario runs ({', '.join(rules)})")
            events.append(Event(at, config=entry["config"], caller=caller, expect_error=expect_error, rule=rule))
            continue
        if "rule" in entry:
            raise fail((*where, "rule"), "is for config calls only (an API call names its rule in its params)")
        call = _keys(
            entry["call"], (*where, "call"), ("service", "operation", "params"), ("service", "operation"), fail
        )
        service, operation, params = call["service"], call["operation"], call.get("params", {})
        if not isinstance(service, str) or not (operations(service) or service == EVENTS):
            raise fail((*where, "call", "service"), f"names no service the fake world models (nor {EVENTS})")
        if not isinstance(operation, str) or not _operation_exists(service, operation):
            raise fail((*where, "call", "operation"), f"names no {service} operation the fake world models")
        if not isinstance(params, dict):
            raise fail((*where, "call", "params"), "must be a mapping")
        events.append(Event(at, call=(service, operation, params), caller=caller, expect_error=expect_error))
    return events


def _operation_exists(service: str, operation: str) -> bool:
    """A fake's modelled operation, or (EventBridge, owned by moto) an operation of botocore's model."""
    if service in SERVICES:
        return operation in operations(service)
    # lazy: botocore's models are read only for a scenario calling EventBridge
    from toolkit.aws.models import ModelStore, default_cache_dir

    model = ModelStore(default_cache_dir()).model(service)
    return model is None or model.operation(operation) is not None
