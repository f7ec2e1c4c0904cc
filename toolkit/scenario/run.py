"""Running a scenario: AWS Config's loop (periodic and event evaluations, automatic remediation with its retries
and RemediationException) above the fake world, each remediation executed by ``toolkit.simulate``."""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from toolkit.errors import SimulationError
from toolkit.fakes.backend import EPOCH, FakeBackend
from toolkit.fakes.caller import config_remediation_arn, default_caller_arn, parse_caller
from toolkit.fakes.config import (
    ACCOUNT,
    FAILED,
    SUCCEEDED,
    Attempt,
    Evaluation,
    RemediationException,
    RemediationHistory,
    evaluate,
)
from toolkit.fakes.config.state import EvaluationRecord, RemediationExecution
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json
from toolkit.fakes.world import World
from toolkit.scenario.file import Event, Expect, Scenario
from toolkit.simulate.execution import Options
from toolkit.simulate.parameters import INVALID, Declared, from_text
from toolkit.simulate.simulator import plan_of, simulate

EVENT, EVALUATION, REMEDIATION = 0, 1, 2  # the order of things due at the same instant


@dataclass(frozen=True)
class Report:
    """What a scenario did: ``data`` is what ``--format json`` prints for it, ``log`` the text timeline."""

    data: dict[str, Any]
    log: list[str]

    @property
    def expectations_met(self) -> bool:
        return bool(self.data["expectations_met"])


def play(scenario: Scenario) -> Report:
    """Run a scenario. The same scenario gives the same report, byte for byte."""
    run = _Run(scenario)
    return Report(run.play(), run.log)


class _Run:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.world = scenario.world.copy()
        self.now = 0.0
        self.queue: list[tuple[float, int, int, str]] = []
        self.order = 0
        self.due_evaluations: set[float] = set()
        self.remediation_due = False
        self.latest: Evaluation | None = None
        # The loop keeps Config's state in the world, where the config API reads and writes it too: the rule, the
        # remediation configuration, the latest evaluation, the RemediationException and the execution status.
        self.region = self.world.region
        self.resource = (self.region, scenario.rule.name, ACCOUNT, self.world.account)
        self.world.config.put_rule(self.region, self.world.account, scenario.rule, EPOCH)
        self.world.config.remediations[(self.region, scenario.rule.name)] = scenario.remediation
        self.history = RemediationHistory(
            scenario.remediation, ACCOUNT, self.world.account, (self._exception, self._set_exception)
        )
        self.events: list[dict[str, Any]] = []
        self.unmet_events: list[str] = []
        """Events whose ``expect_error`` did not hold."""
        self.evaluations: list[dict[str, Any]] = []
        self.remediations: list[dict[str, Any]] = []
        self.exceptions: list[dict[str, Any]] = []
        self.log: list[str] = []

    def _exception(self) -> RemediationException | None:
        """The resource's RemediationException in the current world (None: none, or it has expired)."""
        exception = self.world.config.exceptions.get(self.resource)
        return None if exception is None or exception.expired(_instant(self.now)()) else exception

    def _set_exception(self, exception: RemediationException | None) -> None:
        if exception is None:
            self.world.config.exceptions.pop(self.resource, None)
        else:
            self.world.config.exceptions[self.resource] = exception

    def _schedule(self, time: float, rank: int, kind: str) -> None:
        """Do ``kind`` at ``time``; at one instant by ``rank``, then first come first served. One evaluation
        per instant is enough: the world is the same."""
        if rank == EVALUATION:
            if time in self.due_evaluations:
                return
            self.due_evaluations.add(time)
        self.order += 1
        heapq.heappush(self.queue, (time, rank, self.order, kind))

    def play(self) -> dict[str, Any]:
        scenario = self.scenario
        for index, event in enumerate(scenario.events):
            self._schedule(event.at, EVENT, f"event:{index}")
        tick = 0
        while tick * scenario.rule.period <= scenario.duration:
            self._schedule(float(tick * scenario.rule.period), EVALUATION, "periodic")
            tick += 1
        while self.queue:
            time, _, _, kind = heapq.heappop(self.queue)
            if time > scenario.duration:
                break
            self.now = time
            if kind.startswith("event:"):
                self._event(scenario.events[int(kind[6:])])
            elif kind == "remediate":
                self._remediation(automatic=True)
            else:
                self.due_evaluations.discard(time)
                self._evaluate(kind)
        return self._report()

    def _event(self, event: Event) -> None:
        error: dict[str, str] | None = None
        if event.call is not None:
            service, operation, params = event.call
            record: dict[str, Any] = {"service": service, "operation": operation, "params": params}
        else:
            record = {"service": "config", "operation": event.config, "params": {}}
        try:
            if event.call is not None:
                backend = self._backend(event.caller)
                backend.call(service, operation, copy_json(params))
            elif event.config == "DeleteRemediationExceptions":
                _, rule, kind, resource = self.resource
                keys = [{"ResourceType": kind, "ResourceId": resource}]
                backend = self._backend(event.caller)
                backend.call("config", "DeleteRemediationExceptions", {"ConfigRuleName": rule, "ResourceKeys": keys})
                self.exceptions[-1]["deleted"] = _number(self.now)
        except AwsError as err:
            error = {"code": err.code, "message": err.message}
        self.events.append({"time": _number(self.now), **record, "error": error})
        got = error["code"] if error else None
        if event.expect_error is not None and got != event.expect_error:
            self.unmet_events.append(
                f"event {len(self.events)} ({record['service']} {record['operation']}): expected error "
                f"{event.expect_error}, got {got or 'success'}"
            )
        shown = _compact(record["params"])
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        failure = f" -> {error['code']}" if error else ""
        self._say(f"call      {record['service']} {record['operation']} {shown}{failure}")
        if event.config == "StartRemediationExecution":
            self._remediation(automatic=False)
        if self.scenario.evaluate_after_events:
            self._schedule(self.now, EVALUATION, "change")

    def _evaluate(self, trigger: str) -> None:
        result = evaluate(self.scenario.rule, self.world)
        moment = _instant(self.now)()
        record = EvaluationRecord(
            result.rule,
            self.region,
            result.resource_type,
            result.resource_id,
            result.compliance,
            result.annotation,
            moment,
            moment,
        )
        self.world.config.evaluations[record.key] = record
        changed = self.latest is None or self.latest.compliance != result.compliance
        self.latest = result
        self.evaluations.append(
            {
                "time": _number(self.now),
                "trigger": trigger,
                "rule": result.rule,
                "resource_type": result.resource_type,
                "resource_id": result.resource_id,
                "compliance": result.compliance,
                "annotation": result.annotation,
            }
        )
        if changed:
            self._say(f"evaluate  {result.compliance} ({trigger}): {result.annotation}")
        if (
            not result.compliant
            and trigger != "remediation"
            and not self.remediation_due
            and self.history.may_start_automatically()
        ):
            self.remediation_due = True
            self._schedule(self.now, REMEDIATION, "remediate")

    def _remediation(self, *, automatic: bool) -> None:
        if automatic:
            self.remediation_due = False
            if (self.latest is not None and self.latest.compliant) or not self.history.may_start_automatically():
                return  # fixed meanwhile (a retry is not needed), or stopped by an exception
        attempt = self.history.failures(self.now) + 1 if automatic else None
        parameters = self.scenario.remediation.execution_parameters(self.world.account)
        status, message, execution = self._execute(parameters, automatic)
        moment = _instant(self.now)()
        _, rule, kind, resource = self.resource
        self.world.config.executions[self.resource] = RemediationExecution(
            rule, self.region, kind, resource, status, moment, moment
        )
        exception = self.history.record(Attempt(self.now, status, automatic, message))
        self.remediations.append(
            {
                "time": _number(self.now),
                "automatic": automatic,
                "attempt": attempt,
                "status": status,
                "message": message,
                "parameters": parameters,
                "execution": execution,
            }
        )
        how = f"automatic, attempt {attempt}" if automatic else "manual"
        repeated = message is not None and len(self.remediations) > 1 and self.remediations[-2]["message"] == message
        self._say(
            f"remediate {status} ({how})" + (": the same failure" if repeated else f": {message}" if message else "")
        )
        if exception is not None:
            self.exceptions.append({"time": _number(self.now), **exception.to_dict(), "deleted": None})
            self._say("exception RemediationException recorded: automatic remediation stops")
        self._schedule(self.now, EVALUATION, "remediation")
        retry = self.history.retry_at()
        if retry is not None and not self.remediation_due:
            self.remediation_due = True
            self._schedule(retry, REMEDIATION, "remediate")

    def _backend(self, caller: str | None) -> FakeBackend:
        """The world as a scenario event's caller calls it (``as``, else the world's Caller)."""
        backend = self.world.backend(now=_instant(self.now))
        return backend.acting_as(parse_caller(caller or default_caller_arn(self.world)))

    def _execute(
        self, parameters: dict[str, list[str]], automatic: bool
    ) -> tuple[str, str | None, dict[str, Any] | None]:
        problem = self.scenario.remediation.start_problem() if automatic else None
        if problem is not None:
            return FAILED, problem, None
        try:
            values = _typed(plan_of(self.scenario.target).parameters, parameters)
            # AWS Config starts the remediation with its service-linked role (iam.md §4.3)
            config_role = config_remediation_arn(self.world.partition, self.world.account)
            options = Options(start=EPOCH + timedelta(seconds=self.now), caller=config_role)
            result = simulate(self.scenario.target, values, self.world, options=options)
        except SimulationError as err:
            error = {"code": err.code, "message": str(err)}
            execution: dict[str, Any] = {"status": None, "steps": [], "outputs": {}, "calls": [], "error": error}
            return FAILED, f"{err.code}: {err}", execution
        if result.world is not None:
            self.world = result.world
        execution = json.loads(result.to_json())
        if result.status == "Success":
            return SUCCEEDED, None, execution
        failed = [step for step in result.steps if step.status != "Success" and step.failure_message]
        detail = f"step {failed[-1].name}: {failed[-1].failure_message}" if failed else "no step failure message"
        return FAILED, f"execution {result.status}: {detail}", execution

    def _say(self, line: str) -> None:
        self.log.append(f"{_number(self.now):>7} {line}")

    def _report(self) -> dict[str, Any]:
        scenario = self.scenario
        final = self.latest.compliance if self.latest is not None else None
        unmet = _unmet(scenario.expect, final, bool(self.exceptions), self.remediations, self.world)
        unmet += self.unmet_events
        rule = scenario.rule
        return {
            "file": scenario.file,
            "description": scenario.description,
            "rule": {
                "ConfigRuleName": rule.name,
                "SourceIdentifier": rule.identifier,
                "InputParameters": dict(rule.parameters),
                "MaximumExecutionFrequency": rule.frequency,
            },
            "remediation_configuration": scenario.remediation.to_dict(),
            "duration": _number(scenario.duration),
            "events": self.events,
            "evaluations": self.evaluations,
            "remediations": self.remediations,
            "remediation_exceptions": self.exceptions,
            "remediation_exception": bool(self.exceptions),
            "final_compliance": final,
            "expectations_met": not unmet,
            "unmet": unmet,
            "world": self.world.to_dict(),
        }


def _typed(declared: Mapping[str, Declared], parameters: dict[str, list[str]]) -> dict[str, Any]:
    """Config's text lists read per the runbook's declared types, as SSM reads StartAutomationExecution's."""
    values: dict[str, Any] = {}
    for name, texts in parameters.items():
        spec = declared.get(name)
        if spec is not None and spec.type.is_list:
            values[name] = (
                list(texts)
                if spec.type.value == "StringList"
                else from_text(declared, [f"{name}={_list(texts)}"])[name]
            )
        elif len(texts) != 1:
            raise SimulationError(f"takes one value; the remediation gives {len(texts)}", code=INVALID, parameter=name)
        else:
            values[name] = from_text(declared, [f"{name}={texts[0]}"])[name]
    return values


def _list(texts: list[str]) -> str:
    return "[" + ",".join(texts) + "]"


def _unmet(
    expect: Expect, final: str | None, exception: bool, remediations: list[dict[str, Any]], world: World
) -> list[str]:
    unmet = []
    if final != expect.final_compliance:
        unmet.append(f"final_compliance: expected {expect.final_compliance}, got {final}")
    if exception != expect.remediation_exception:
        unmet.append(
            f"remediation_exception: expected {_compact(expect.remediation_exception)}, got {_compact(exception)}"
        )
    statuses = [entry["status"] for entry in remediations]
    if expect.remediations is not None and list(expect.remediations) != statuses:
        unmet.append(f"remediations: expected {_compact(list(expect.remediations))}, got {_compact(statuses)}")
    for name, fields in (expect.trails or {}).items():
        homes = sorted(
            (trail.home_region != world.region, trail.home_region)
            for trail in world.trails.values()
            if trail.name == name
        )
        trail = world.trails[(homes[0][1], name)].to_dict() if homes else None
        if fields is None or trail is None:
            if fields is not None:
                unmet.append(f"trails.{name}: expected a trail, got none")
            elif trail is not None:
                unmet.append(f"trails.{name}: expected no trail, got one homed in {trail['HomeRegion']}")
            continue
        for key, value in fields.items():
            if trail[key] != value:
                unmet.append(f"trails.{name}.{key}: expected {_compact(value)}, got {_compact(trail[key])}")
    return unmet


def _instant(seconds: float) -> Callable[[], datetime]:
    moment = EPOCH + timedelta(seconds=seconds)

    def now() -> datetime:
        return moment

    return now


def _number(seconds: float) -> int | float:
    return int(seconds) if float(seconds).is_integer() else round(seconds, 3)


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=False, default=str)
