"""Running a scenario: AWS Config's loop (periodic and event evaluations of every rule, automatic remediation with
its retries and RemediationException) above the fake world, each remediation executed by ``toolkit.simulate``;
EventBridge's scheduled automations and its alarms on automation status changes; and how long each trail was not
delivering (the format and every decision are in ``toolkit.scenario``)."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.fakes.backend import EPOCH, FakeBackend
from toolkit.fakes.caller import config_remediation_arn, default_caller_arn, parse_caller
from toolkit.fakes.config import FAILED, Evaluation
from toolkit.fakes.config.state import rule_id
from toolkit.fakes.errors import AwsError
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import copy_json
from toolkit.scenario import alarms
from toolkit.scenario.delivery import LOOK_EVERY, DeliveryWatch
from toolkit.scenario.expect import compact, number, unmet
from toolkit.scenario.file import Event, Scenario, ScenarioError
from toolkit.scenario.rules import Resource, RuleLoop, summed
from toolkit.scenario.runner import Outcome, Runner

EVENT, SCHEDULED, EVALUATION, REMEDIATION = 0, 1, 2, 3  # the order of things due at the same instant


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
        self.queue: list[tuple[float, int, int, str, Any]] = []
        self.order = 0
        self.due_evaluations: set[tuple[float, int]] = set()
        # The loop keeps Config's state in the world, where the config API reads and writes it too: the rules, the
        # remediation configurations, the latest evaluations, the RemediationExceptions and the execution statuses.
        self.region = self.world.region
        if scenario.rule is not None:
            self.world.config.put_rule(self.region, self.world.account, scenario.rule, EPOCH)
        if scenario.remediation is not None:
            self.world.config.remediations[(self.region, scenario.remediation.config_rule_name)] = scenario.remediation
        self.config_role = config_remediation_arn(self.world.partition, self.world.account)
        """AWS Config's remediation service-linked role, which starts remediations (iam.md §4.3)."""
        self.rules = [RuleLoop(setup, self) for setup in scenario.rules]
        self.several = len(self.rules) > 1
        self.runner = Runner()
        self.eventbridge = alarms.EventBridge(self.world.account, self.region)
        self.schedules: dict[str, tuple[str, float, int]] = {}
        """Scheduled rule -> (its expression, its period, the generation its queued run belongs to)."""
        self.generation = 0
        self.executions = 0
        self.delivery = DeliveryWatch(scenario.trails)
        self.next_look = 0.0
        """When delivery is looked at next if nothing happens before (every ``LOOK_EVERY`` seconds)."""
        self.events: list[dict[str, Any]] = []
        self.unmet_events: list[str] = []
        """Events whose ``expect_error`` did not hold."""
        self.evaluations: list[dict[str, Any]] = []
        self.remediations: list[dict[str, Any]] = []
        self.exceptions: list[dict[str, Any]] = []
        self.scheduled: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.log: list[str] = []

    def schedule(self, time: float, rank: int, kind: str, arg: Any = None) -> None:
        """Do ``kind`` at ``time``; at one instant by ``rank``, then first come first served. One evaluation of a
        rule per instant is enough: the world is the same."""
        if rank == EVALUATION:
            if (time, arg) in self.due_evaluations:
                return
            self.due_evaluations.add((time, arg))
        self.order += 1
        heapq.heappush(self.queue, (time, rank, self.order, kind, arg))

    def play(self) -> dict[str, Any]:
        scenario = self.scenario
        for index, event in enumerate(scenario.events):
            self.schedule(event.at, EVENT, "event", index)
        for index, rule in enumerate(self.rules):
            tick = 0
            while tick * rule.rule.period <= scenario.duration:
                self.schedule(float(tick * rule.rule.period), EVALUATION, "periodic", index)
                tick += 1
        self._eventbridge_changed()
        while self.queue:
            time, _, _, kind, arg = heapq.heappop(self.queue)
            if time > scenario.duration:
                break
            self._look_until(time)
            self.now = time
            if kind == "event":
                self._event(scenario.events[arg])
            elif kind == "remediate":
                index, resource = arg
                self.rules[index].remediate(resource, automatic=True)
            elif kind == "scheduled":
                if not self._scheduled(*arg):
                    continue  # a schedule changed or removed since this run was queued
            else:
                self.due_evaluations.discard((time, arg))
                self.rules[arg].evaluate(kind)
            self._look()
        self._look_until(scenario.duration)
        self.now = scenario.duration
        self._look()
        return self._report()

    # -- what the loop does -------------------------------------------------------------------------------------

    def _event(self, event: Event) -> None:
        error: dict[str, str] | None = None
        if event.call is not None:
            service, operation, params = event.call
            record: dict[str, Any] = {"service": service, "operation": operation, "params": params}
        else:
            shown = {"ConfigRuleName": event.rule} if event.rule is not None else {}
            record = {"service": "config", "operation": event.config, "params": shown}
        rule = self._rule_of(event)
        try:
            if event.call is not None:
                self.backend(event.caller).call(service, operation, copy_json(params))
            elif event.config == "DeleteRemediationExceptions":
                rule.delete_exceptions(self.backend(event.caller))
            else:
                rule.check_manual()
        except AwsError as err:
            error = {"code": err.code, "message": err.message}
        self.events.append({"time": number(self.now), **record, "error": error})
        got = error["code"] if error else None
        if event.expect_error is not None and got != event.expect_error:
            self.unmet_events.append(
                f"event {len(self.events)} ({record['service']} {record['operation']}): expected error "
                f"{event.expect_error}, got {got or 'success'}"
            )
        shown_params = compact(record["params"])
        shown_params = shown_params if len(shown_params) <= 80 else shown_params[:77] + "..."
        failure = f" -> {error['code']}" if error else ""
        self.say(f"call      {record['service']} {record['operation']} {shown_params}{failure}")
        if event.config == "StartRemediationExecution" and error is None:
            for resource in rule.manual_resources():
                rule.remediate(resource, automatic=False)
        if event.call is not None and service == alarms.EVENTS:
            self._eventbridge_changed()
        if self.scenario.evaluate_after_events:
            self._changed()

    def _rule_of(self, event: Event) -> RuleLoop:
        if event.rule is None:
            return self.rules[0]
        return next(rule for rule in self.rules if rule.rule.name == event.rule)

    def _changed(self) -> None:
        """The world changed: every rule is evaluated (``evaluate_after_events``)."""
        for index in range(len(self.rules)):
            self.schedule(self.now, EVALUATION, "change", index)

    def evaluate_later(self, rule: RuleLoop, trigger: str) -> None:
        self.schedule(self.now, EVALUATION, trigger, self.rules.index(rule))

    def remediate_later(self, rule: RuleLoop, resource: Resource, time: float) -> None:
        self.schedule(time, REMEDIATION, "remediate", (self.rules.index(rule), resource))

    def start_remediation(self, rule: RuleLoop, parameters: dict[str, list[str]]) -> Outcome:
        """Config starts ``rule``'s remediation with its service-linked role; the world carries on from it."""
        remediation = rule.remediation
        assert remediation is not None
        target = rule.setup.target if rule.setup.target is not None else remediation.target_id
        outcome = self.runner.start(
            self.world, target, parameters, now=self.now, caller=self.config_role, version=remediation.target_version
        )
        self._adopt(outcome)
        return outcome

    def _adopt(self, outcome: Outcome) -> None:
        """The world after an automation is the loop's from then on."""
        if outcome.world is not None:
            self.world = outcome.world
            self._eventbridge_changed()

    def announce(self, outcome: Outcome, started_by: str) -> None:
        """An automation ended: EventBridge hears of it (an event of its status change, to the default bus)."""
        if not outcome.ran or outcome.execution is None:
            return
        self.executions += 1
        rules = self._bus_rules()
        if not rules:
            return
        backend = self.world.backend(self.region, self.clock())
        session = parse_caller(started_by)
        event = alarms.status_event(
            backend,
            execution=alarms.execution_id(self.executions),
            document=outcome.document or "document",
            version=outcome.version,
            status=str(outcome.execution["status"]),
            executed_by=session.arn if session is not None else started_by,
        )
        for record in alarms.notify(backend, rules, event, number(self.now)):
            self.notifications.append(record)
            what = "published" if record["error"] is None else f"not published: {record['error']['code']}"
            self.say(f"notify    {record['rule']} -> {record['topic']}: {event['detail']['Status']}, {what}")

    def compliance_changed(
        self, rule: RuleLoop, result: Evaluation, before: Evaluation | None, before_time: float | None
    ) -> None:
        """A rule's result for a resource was first recorded or changed: EventBridge hears of it (a Config Rules
        Compliance Change event, to the default bus)."""
        rules = self._bus_rules()
        if not rules:
            return
        backend = self.world.backend(self.region, self.clock())
        record = self.world.config.rules.get((self.region, rule.rule.name))
        identifier = record.rule_id if record else rule_id(backend.account, self.region, rule.rule.name, CREATED)
        old = None
        if before is not None and before_time is not None:
            old = (before.compliance, before.annotation, alarms.instant(before_time))
        event = alarms.compliance_event(
            backend,
            rule=rule.rule.name,
            rule_arn=backend.arn("config", f"config-rule/{identifier}"),
            resource_type=result.resource_type,
            resource_id=result.resource_id,
            new=(result.compliance, result.annotation),
            old=old,
        )
        for item in alarms.notify(backend, rules, event, number(self.now)):
            self.notifications.append(item)
            what = "published" if item["error"] is None else f"not published: {item['error']['code']}"
            self.say(f"notify    {item['rule']} -> {item['topic']}: {rule.rule.name} {result.compliance}, {what}")

    # -- EventBridge's schedules ----------------------------------------------------------------------------------

    def _bus_rules(self) -> tuple[alarms.BusRule, ...]:
        return self.eventbridge.rules(self.world, alarms.instant(self.now))

    def _eventbridge_changed(self) -> None:
        """Schedules follow the rules as they are now: a new or changed schedule runs one period from now, a rule
        disabled or deleted no longer runs."""
        rules = {rule.name: rule for rule in self._bus_rules() if rule.enabled and rule.schedule}
        for name in list(self.schedules):
            if name not in rules or rules[name].schedule != self.schedules[name][0]:
                del self.schedules[name]
        for name, rule in rules.items():
            if name in self.schedules or not any(alarms.AUTOMATION.fullmatch(str(t.get("Arn"))) for t in rule.targets):
                continue
            assert rule.schedule is not None
            period = alarms.period(rule.schedule)
            if period is None:
                raise ScenarioError(
                    f"the world's EventBridge rule {name} runs on {rule.schedule}: the scenario loop runs rate() "
                    "schedules only",
                    file=self.scenario.file,
                )
            self.generation += 1
            self.schedules[name] = (rule.schedule, period, self.generation)
            self.schedule(self.now + period, SCHEDULED, "scheduled", (name, self.generation))

    def _scheduled(self, name: str, generation: int) -> bool:
        """The scheduled rule ``name`` runs its automation targets (False: that schedule is gone)."""
        current = self.schedules.get(name)
        if current is None or current[2] != generation:
            return False
        rule = next((rule for rule in self._bus_rules() if rule.name == name), None)
        if rule is None:
            return False
        for target in rule.targets:
            found = alarms.AUTOMATION.fullmatch(str(target.get("Arn", "")))
            if found is not None:
                self._start_scheduled(rule, target, found)
        self.schedule(self.now + current[1], SCHEDULED, "scheduled", (name, generation))
        if self.scenario.evaluate_after_events:
            self._changed()
        return True

    def _start_scheduled(self, rule: alarms.BusRule, target: Any, found: Any) -> None:
        """EventBridge assumes the target's RoleArn and starts the automation definition with the Input's
        parameters, as that role."""
        _partition, region, account, document, version = found.groups()
        role = target.get("RoleArn")
        parameters = alarms.automation_input(target)
        problem = alarms.assume_problem(self.world, role, rule, self.world.account)
        if isinstance(parameters, str):
            problem = problem or parameters
        if (account, region) != (self.world.account, self.region):
            problem = problem or f"the loop starts automations in {self.world.account} and {self.region} only"
        if problem is not None or isinstance(parameters, str):
            outcome = Outcome(FAILED, problem, None)
        else:
            outcome = self.runner.start(
                self.world, document, parameters, now=self.now, caller=str(role), version=version, giver="the target"
            )
            self._adopt(outcome)
        self.scheduled.append(
            {
                "time": number(self.now),
                "rule": rule.name,
                "target": target.get("Arn"),
                "role": role,
                "status": outcome.status,
                "message": outcome.message,
                "parameters": parameters if isinstance(parameters, dict) else None,
                "execution": outcome.execution,
            }
        )
        self.say(f"scheduled {rule.name} {outcome.status}" + (f": {outcome.message}" if outcome.message else ""))
        self.announce(outcome, str(role))

    # -- helpers ------------------------------------------------------------------------------------------------

    def backend(self, caller: str | None) -> FakeBackend:
        """The world as a scenario event's caller calls it (``as``, else the world's Caller), from the caller's own
        account when the world holds it (a principal of the log-archive account calls its own S3 and KMS), else
        from the loop's account (a principal the world does not hold calls across accounts)."""
        backend = self.world.backend(now=self.clock())
        session = parse_caller(caller or default_caller_arn(self.world))
        if session is not None and session.account != backend.account:
            backend = backend.elsewhere(session.account, self.region) or backend
        return backend.acting_as(session)

    def clock(self) -> Callable[[], datetime]:
        moment = alarms.instant(self.now)

        def now() -> datetime:
            return moment

        return now

    def say(self, line: str) -> None:
        self.log.append(f"{number(self.now):>7} {line}")

    def _look(self) -> None:
        """Delivery, as it is after what the loop just did."""
        for change in self.delivery.observe(self.now, self.world, self.clock()):
            self.say(f"delivery  {change}")

    def _look_until(self, time: float) -> None:
        """Delivery at each delivery period before ``time`` (nothing else happens then)."""
        while self.next_look < time:
            self.now = self.next_look
            self._look()
            self.next_look += LOOK_EVERY
        if self.next_look == time:
            self.next_look += LOOK_EVERY  # the look after what happens at ``time`` is that period's

    def _report(self) -> dict[str, Any]:
        scenario = self.scenario
        one = self.rules[0] if len(self.rules) == 1 else None
        rules = {rule.rule.name: rule.summary() for rule in self.rules}
        data: dict[str, Any] = {
            "file": scenario.file,
            "description": scenario.description,
            "rule": one.rule_data() if one is not None else None,
            "remediation_configuration": (
                one.remediation.to_dict() if one is not None and one.remediation is not None else None
            ),
            "duration": number(scenario.duration),
            "events": self.events,
            "evaluations": self.evaluations,
            "remediations": self.remediations,
            "remediation_exceptions": self.exceptions,
            "remediation_exception": bool(self.exceptions),
            "final_compliance": summed([rule["final_compliance"] for rule in rules.values()]),
            "rules": rules,
            "scheduled": self.scheduled,
            "notifications": self.notifications,
            "delivery": self.delivery.report(scenario.duration),
        }
        found = unmet(scenario.expect, data, self.world) + self.unmet_events
        data["expectations_met"] = not found
        data["unmet"] = found
        data["world"] = self.world.to_dict()
        return data
