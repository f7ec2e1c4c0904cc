"""EventBridge for the scenario loop: the world's rules, read through its backend (moto answers EventBridge); the
event an automation execution's status change sends; which rules it matches (EventBridge's TestEventPattern) and
the SNS topics their targets publish it to; the schedules of scheduled rules and the roles their targets name.

Decisions where AWS is silent or the loop simplifies (the loop's docstring, ``toolkit.scenario``, lists them all):
the rules are those of the loop's account and Region on the default event bus (AWS services send their events
there); a topic target publishes as EventBridge does, as ``events.amazonaws.com``, so the topic's policy must allow
that service SNS:Publish (with aws:SourceArn the rule's ARN and aws:SourceAccount its account), else the invocation
fails and nothing is published; an encrypted topic's key is checked by Publish as SNS checks it for anyone.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from toolkit.fakes.backend import EPOCH, FakeBackend
from toolkit.fakes.caller import ROLE_ARN
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.iam.policy import CannotEvaluate, Principal, request_context

if TYPE_CHECKING:
    from toolkit.fakes.moto import MotoLog

EVENTS: Final = "events"
EVENTBRIDGE: Final[Principal] = ("Service", "events.amazonaws.com")
DETAIL_TYPE: Final = "EC2 Automation Execution Status-change Notification"
COMPLIANCE_DETAIL_TYPE: Final = "Config Rules Compliance Change"
RATE = re.compile(r"rate\(\s*([1-9]\d*)\s+(minutes?|hours?|days?)\s*\)")
UNIT_SECONDS: Final = {"minute": 60, "hour": 3600, "day": 86400}
AUTOMATION = re.compile(r"arn:(aws[a-z-]*):ssm:([a-z0-9-]+):(\d{12}):automation-definition/([^:]+)(?::(.+))?")
TOPIC = re.compile(r"arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):([\w-]+(?:\.fifo)?)")
PATH = re.compile(r"\$((?:\.[\w-]+)*)")


@dataclass(frozen=True)
class BusRule:
    """An EventBridge rule as ListRules and ListTargetsByRule give it."""

    name: str
    arn: str
    enabled: bool
    pattern: str | None
    schedule: str | None
    targets: tuple[Mapping[str, Any], ...]


class EventBridge:
    """The EventBridge rules of one account and Region. They are read again only when the world's moto log holds
    EventBridge calls of that account and Region it has not seen; a world without any is never asked."""

    def __init__(self, account: str, region: str) -> None:
        self.account, self.region = account, region
        self._log: MotoLog = ()
        self._calls = 0
        self._rules: tuple[BusRule, ...] = ()

    def rules(self, world: World, now: datetime) -> tuple[BusRule, ...]:
        """The rules now, by name (read through the backend when EventBridge calls were made since last read)."""
        log = (world.root or world).moto_calls
        if log is self._log:
            return self._rules
        self._log = log
        calls = sum(1 for call in log if call.service == EVENTS and (call.account, call.region) == self.where)
        if calls != self._calls:
            self._calls = calls
            self._rules = _read_rules(world.backend(self.region, lambda: now)) if calls else ()
        return self._rules

    @property
    def where(self) -> tuple[str, str]:
        return (self.account, self.region)


def _read_rules(backend: FakeBackend) -> tuple[BusRule, ...]:
    found: list[BusRule] = []
    token: str | None = None
    while True:
        page = backend.call(EVENTS, "ListRules", {"NextToken": token} if token else {})
        for rule in page.get("Rules", []):
            if rule.get("EventBusName", "default") != "default":
                continue
            found.append(
                BusRule(
                    name=rule["Name"],
                    arn=rule["Arn"],
                    enabled=rule.get("State") == "ENABLED",
                    pattern=rule.get("EventPattern"),
                    schedule=rule.get("ScheduleExpression"),
                    targets=tuple(_targets(backend, rule["Name"])),
                )
            )
        token = page.get("NextToken")
        if not token:
            return tuple(sorted(found, key=lambda rule: rule.name))


def _targets(backend: FakeBackend, rule: str) -> list[Mapping[str, Any]]:
    targets: list[Mapping[str, Any]] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"Rule": rule, **({"NextToken": token} if token else {})}
        page = backend.call(EVENTS, "ListTargetsByRule", params)
        targets.extend(page.get("Targets", []))
        token = page.get("NextToken")
        if not token:
            return sorted(targets, key=lambda target: str(target.get("Id")))


def period(expression: str) -> float | None:
    """Seconds between a rate() schedule's runs; None for an expression the loop cannot run (cron())."""
    found = RATE.fullmatch(expression.strip())
    if found is None:
        return None
    return float(int(found.group(1)) * UNIT_SECONDS[found.group(2).removesuffix("s")])


# -- the automation status-change event ---------------------------------------------------------------------------


def execution_id(ordinal: int) -> str:
    """The id of the loop's ``ordinal``-th automation execution: a UUID, the same from run to run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"runbook-scenario:automation-execution:{ordinal}"))


def status_event(
    backend: FakeBackend, *, execution: str, document: str, version: str, status: str, executed_by: str
) -> dict[str, Any]:
    """The event EventBridge receives when an automation execution ends (Systems Manager user guide, "Amazon
    EventBridge event examples for Systems Manager": Automation Execution Status-change Notification). Executions
    take no scenario time: it starts and ends at the backend's now."""
    now = backend.now()
    execution_arn = backend.arn("ssm", f"automation-execution/{execution}")
    resources = [execution_arn, backend.arn("ssm", f"automation-definition/{document}:{version}")]
    return _event(
        backend,
        f"{execution_arn}#{status}",
        DETAIL_TYPE,
        "aws.ssm",
        resources,
        {
            "ExecutionId": execution,
            "Definition": document,
            "DefinitionVersion": float(version) if version.isdigit() else 1.0,
            "Status": status,
            "StartTime": _console_time(now),
            "EndTime": _console_time(now),
            "Time": 0.0,
            "ExecutedBy": executed_by,
        },
    )


def compliance_event(
    backend: FakeBackend,
    *,
    rule: str,
    rule_arn: str,
    resource_type: str,
    resource_id: str,
    new: tuple[str, str],
    old: tuple[str, str, datetime] | None,
) -> dict[str, Any]:
    """The event EventBridge receives when a rule's result for a resource changes, or is first recorded (AWS Config
    developer guide, "Monitoring AWS Config with Amazon EventBridge": Config Rules Compliance Change, message type
    ComplianceChangeNotification). ``new`` is (compliance, annotation) now; ``old`` the previous result and when it
    was recorded (None: the first, and the event has no oldEvaluationResult)."""
    now = backend.now()
    stamp = _iso(now)

    def result(compliance: str, annotation: str, when: str) -> dict[str, Any]:
        return {
            "evaluationResultIdentifier": {
                "evaluationResultQualifier": {
                    "configRuleName": rule,
                    "resourceType": resource_type,
                    "resourceId": resource_id,
                },
                "orderingTimestamp": when,
            },
            "complianceType": compliance,
            "resultRecordedTime": when,
            "configRuleInvokedTime": when,
            "annotation": annotation,
        }

    detail: dict[str, Any] = {
        "resourceId": resource_id,
        "awsRegion": backend.region,
        "awsAccountId": backend.account,
        "configRuleName": rule,
        "recordVersion": "1.0",
        "configRuleARN": rule_arn,
        "messageType": "ComplianceChangeNotification",
        "newEvaluationResult": result(*new, stamp),
        "notificationCreationTime": stamp,
        "resourceType": resource_type,
    }
    if old is not None:
        detail["oldEvaluationResult"] = result(old[0], old[1], _iso(old[2]))
    key = f"{rule_arn}#{resource_type}#{resource_id}#{stamp}"
    return _event(backend, key, COMPLIANCE_DETAIL_TYPE, "aws.config", [], detail)


def _event(
    backend: FakeBackend, key: str, detail_type: str, source: str, resources: list[str], detail: dict[str, Any]
) -> dict[str, Any]:
    """An event to the default bus, of the backend's account and Region at its now; its id derived from ``key``
    (the same from run to run)."""
    return {
        "version": "0",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
        "detail-type": detail_type,
        "source": source,
        "account": backend.account,
        "time": backend.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": backend.region,
        "resources": resources,
        "detail": detail,
    }


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _console_time(moment: datetime) -> str:
    """As the event example writes times: ``Nov 29, 2024 7:43:20 PM``."""
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment.year} {hour}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


# -- rules matching an event, and their topics ------------------------------------------------------------------


def notify(
    backend: FakeBackend, rules: tuple[BusRule, ...], event: Mapping[str, Any], time: float
) -> list[dict[str, Any]]:
    """Send ``event`` to the default bus: every enabled rule whose pattern matches it (TestEventPattern through
    the backend) publishes it to each of its SNS topic targets. One record per topic target of a matching rule (its
    ``event`` the event's detail-type), its
    ``error`` None when SNS accepted the message (a rule whose pattern cannot be matched gets one record, its
    ``topic`` None, with TestEventPattern's error). Other targets of such rules are not invoked."""
    sent: list[dict[str, Any]] = []
    text = json.dumps(event, separators=(",", ":"))
    for rule in rules:
        if not rule.enabled or not rule.pattern:
            continue
        try:
            matched = backend.call(EVENTS, "TestEventPattern", {"EventPattern": rule.pattern, "Event": text})
        except AwsError as err:  # a pattern EventBridge took that cannot be matched here: said, not skipped
            error = {"code": err.code, "message": err.message}
            sent.append(
                {
                    "time": time,
                    "event": event["detail-type"],
                    "rule": rule.name,
                    "topic": None,
                    "subject": None,
                    "message": None,
                    "error": error,
                }
            )
            continue
        if not matched.get("Result"):
            continue
        for target in rule.targets:
            arn = str(target.get("Arn", ""))
            if TOPIC.fullmatch(arn):
                sent.append(_publish(backend, rule, arn, target, event, time))
    return sent


def _publish(
    backend: FakeBackend, rule: BusRule, arn: str, target: Mapping[str, Any], event: Mapping[str, Any], time: float
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "time": time,
        "event": event["detail-type"],
        "rule": rule.name,
        "topic": arn,
        "subject": None,
        "message": None,
    }
    try:
        record["message"] = message_of(target, event, rule)
        _may_publish(backend, rule, arn)
        found = TOPIC.fullmatch(arn)
        assert found is not None
        there = backend.elsewhere(found.group(3), found.group(2))
        if there is None:
            raise AwsError("NotFound", f"Topic does not exist: {arn} is in no account of the world")
        there.call("sns", "Publish", {"TopicArn": arn, "Message": record["message"]})
    except AwsError as err:
        record["error"] = {"code": err.code, "message": err.message}
    else:
        record["error"] = None
    return record


def _may_publish(backend: FakeBackend, rule: BusRule, arn: str) -> None:
    """The topic's policy must let EventBridge publish for this rule (AWS: the invocation fails otherwise)."""
    found = TOPIC.fullmatch(arn)
    assert found is not None
    partition, region, account, name = found.groups()
    root = backend.world.root or backend.world
    home = root if account == root.account else root.accounts.get(account)
    topic = None if home is None else home.topics.get((region, name))
    if topic is None:
        raise AwsError("NotFound", "Topic does not exist")
    request = request_context(
        {
            "aws:SourceArn": rule.arn,
            "aws:SourceAccount": backend.account,
            "aws:PrincipalIsAWSService": "true",
            "aws:PrincipalServiceName": EVENTBRIDGE[1],
        }
    )
    try:
        allowed = topic.effective_policy(partition, account).allows(EVENTBRIDGE, "SNS:Publish", arn, request)
    except CannotEvaluate as err:
        raise AwsError("CannotEvaluatePolicy", f"the topic policy of {arn}: {err}") from err
    if not allowed:
        raise AwsError(
            "AuthorizationError",
            f"EventBridge ({EVENTBRIDGE[1]}) is not authorized to perform: SNS:Publish on resource: {arn}: "
            f"the topic's policy does not allow it for rule {rule.arn}",
        )


def message_of(target: Mapping[str, Any], event: Mapping[str, Any], rule: BusRule) -> str:
    """What a target passes on (EventBridge user guide, "Transforming target input"): its Input as given; the part
    of the event its InputPath selects; its InputTransformer's template with each ``<name>`` replaced by the value
    its path selects (text as it is, anything else as JSON); else the whole event as JSON. Paths are ``$`` and
    ``$.a.b`` (other JSONPath is not modelled)."""
    if isinstance(target.get("Input"), str):
        return str(target["Input"])
    if isinstance(target.get("InputPath"), str):
        return json.dumps(_select(event, str(target["InputPath"])), separators=(",", ":"))
    transformer = target.get("InputTransformer")
    if isinstance(transformer, Mapping):
        text = str(transformer.get("InputTemplate", ""))
        values: dict[str, Any] = {
            "aws.events.rule-arn": rule.arn,
            "aws.events.rule-name": rule.name,
            "aws.events.event": event,
            "aws.events.event.json": event,
        }
        for name, path in (transformer.get("InputPathsMap") or {}).items():
            values[str(name)] = _select(event, str(path))
        for name, value in values.items():
            shown = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
            text = text.replace(f"<{name}>", shown)
        return text
    return json.dumps(event, separators=(",", ":"))


def _select(event: Mapping[str, Any], path: str) -> Any:
    found = PATH.fullmatch(path.strip())
    if found is None:
        raise AwsError("NotModeledByFakeWorld", f"the JSONPath {path} (only $ and $.a.b paths are modelled)")
    value: Any = event
    for key in found.group(1).split(".")[1:]:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


# -- scheduled rules' automation targets -------------------------------------------------------------------------


def assume_problem(world: World, role_arn: object, rule: BusRule, account: str) -> str | None:
    """Why EventBridge cannot assume a target's RoleArn for ``rule`` (None: it can): the role must exist and trust
    events.amazonaws.com for sts:AssumeRole, with aws:SourceArn the rule's ARN and aws:SourceAccount its account."""
    if not isinstance(role_arn, str) or not role_arn:
        return "the target has no RoleArn: EventBridge needs a role to start an automation"
    found = ROLE_ARN.fullmatch(role_arn)
    if found is None:
        return f"the target's RoleArn {role_arn} is not a role's ARN"
    _partition, owner, path, name = found.groups()
    root = world.root or world
    home = root if owner == root.account else root.accounts.get(owner)
    role = None if home is None else home.roles.get(name)
    if role is None or role.path != path or role.trust_policy is None:
        return f"EventBridge cannot assume {role_arn}: no such role"
    request = request_context(
        {
            "aws:SourceArn": rule.arn,
            "aws:SourceAccount": account,
            "aws:PrincipalIsAWSService": "true",
            "aws:PrincipalServiceName": EVENTBRIDGE[1],
        }
    )
    try:
        trusted = role.trust_policy.allows(EVENTBRIDGE, "sts:AssumeRole", role_arn, request)
    except CannotEvaluate as err:
        return f"CannotEvaluatePolicy: EventBridge cannot assume {role_arn}: {err}"
    return (
        None if trusted else f"EventBridge cannot assume {role_arn}: its trust policy does not allow {EVENTBRIDGE[1]}"
    )


def automation_input(target: Mapping[str, Any]) -> dict[str, list[str]] | str:
    """The parameters a target's Input gives the automation (a JSON object of lists of text), or why it cannot."""
    text = target.get("Input")
    if text is None:
        return {}
    try:
        data = json.loads(str(text))
    except ValueError:
        return "the target's Input is not JSON"
    if not isinstance(data, dict) or not all(
        isinstance(values, list) and all(isinstance(value, str) for value in values) for values in data.values()
    ):
        return "the target's Input must map the automation's parameters to lists of text"
    return {str(key): list(values) for key, values in data.items()}


def instant(seconds: float) -> datetime:
    return EPOCH + timedelta(seconds=seconds)
