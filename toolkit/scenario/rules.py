"""One Config rule in the scenario loop: its evaluations, and for each resource it evaluates, the automatic and
manual remediations, their retries and RemediationException, all recorded in the world's Config state."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from toolkit.fakes.config import ACCOUNT, COMPLIANT, FAILED, NON_COMPLIANT, Attempt, RemediationHistory
from toolkit.fakes.config.rules import evaluate_resources
from toolkit.fakes.config.state import EvaluationRecord, RemediationExecution
from toolkit.fakes.errors import AwsError
from toolkit.scenario.alarms import instant
from toolkit.scenario.expect import NOT_APPLICABLE, number
from toolkit.scenario.runner import Outcome

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend
    from toolkit.fakes.config import Evaluation, RemediationException
    from toolkit.fakes.world import World
    from toolkit.scenario.file import RuleSetup

Resource = tuple[str, str]
"""(resource type, resource id): what a rule evaluates (the account, ``AWS::::Account``, for the account rules)."""


class Loop(Protocol):
    """What a rule needs of the loop running it (``toolkit.scenario.run``)."""

    now: float
    world: World
    region: str
    several: bool
    config_role: str
    evaluations: list[dict[str, Any]]
    remediations: list[dict[str, Any]]
    exceptions: list[dict[str, Any]]

    def say(self, line: str) -> None: ...

    def evaluate_later(self, rule: RuleLoop, trigger: str) -> None: ...

    def remediate_later(self, rule: RuleLoop, resource: Resource, time: float) -> None: ...

    def start_remediation(self, rule: RuleLoop, parameters: dict[str, list[str]]) -> Outcome: ...

    def announce(self, outcome: Outcome, started_by: str) -> None: ...

    def compliance_changed(
        self, rule: RuleLoop, result: Evaluation, before: Evaluation | None, before_time: float | None
    ) -> None: ...


class RuleLoop:
    """A rule of the loop: the latest evaluation of each resource, and each resource's remediation history."""

    def __init__(self, setup: RuleSetup, loop: Loop) -> None:
        self.setup = setup
        self.rule = setup.rule
        self.remediation = setup.remediation
        self.loop = loop
        self.latest: dict[Resource, Evaluation] = {}
        self.recorded: dict[Resource, float] = {}
        """When each resource's latest result was recorded (scenario seconds)."""
        self.histories: dict[Resource, RemediationHistory] = {}
        self.due: set[Resource] = set()
        """Resources with an automatic remediation queued."""
        self.statuses: list[str] = []
        self.last_message: str | None = None
        self.exceptions: list[dict[str, Any]] = []

    @property
    def label(self) -> str:
        """How log lines name the rule: not at all when it is the loop's only one."""
        return f"{self.rule.name} " if self.loop.several else ""

    def history(self, resource: Resource) -> RemediationHistory | None:
        """The resource's remediation history (None: the rule has no remediation configuration)."""
        if self.remediation is None:
            return None
        history = self.histories.get(resource)
        if history is None:
            key = (self.loop.region, self.rule.name, *resource)
            history = self.histories[resource] = RemediationHistory(
                self.remediation, resource[0], resource[1], (self._reader(key), self._writer(key))
            )
        return history

    def _reader(self, key: tuple[str, str, str, str]) -> Callable[[], RemediationException | None]:
        def read() -> RemediationException | None:
            """The resource's RemediationException in the current world (None: none, or it has expired)."""
            exception = self.loop.world.config.exceptions.get(key)
            return None if exception is None or exception.expired(instant(self.loop.now)) else exception

        return read

    def _writer(self, key: tuple[str, str, str, str]) -> Callable[[RemediationException | None], None]:
        def write(exception: RemediationException | None) -> None:
            if exception is None:
                self.loop.world.config.exceptions.pop(key, None)
            else:
                self.loop.world.config.exceptions[key] = exception

        return write

    # -- evaluations ----------------------------------------------------------------------------------------------

    def results(self) -> list[Evaluation]:
        """The rule's results now, one per resource it evaluates (the account rules: the account)."""
        return evaluate_resources(self.rule, self.loop.world)

    def evaluate(self, trigger: str) -> None:
        loop = self.loop
        moment = instant(loop.now)
        results = self.results()
        found = {(result.resource_type, result.resource_id) for result in results}
        for gone in [resource for resource in self.latest if resource not in found]:
            del self.latest[gone]  # no longer in the rule's scope: Config drops its result
            self.recorded.pop(gone, None)
            loop.world.config.evaluations.pop((loop.region, self.rule.name, *gone), None)
        for result in results:
            resource = (result.resource_type, result.resource_id)
            record = EvaluationRecord(
                result.rule,
                loop.region,
                result.resource_type,
                result.resource_id,
                result.compliance,
                result.annotation,
                moment,
                moment,
            )
            loop.world.config.evaluations[record.key] = record
            before, before_time = self.latest.get(resource), self.recorded.get(resource)
            self.latest[resource] = result
            self.recorded[resource] = loop.now
            loop.evaluations.append(
                {
                    "time": number(loop.now),
                    "trigger": trigger,
                    "rule": result.rule,
                    "resource_type": result.resource_type,
                    "resource_id": result.resource_id,
                    "compliance": result.compliance,
                    "annotation": result.annotation,
                }
            )
            if before is None or before.compliance != result.compliance:
                loop.say(f"evaluate  {self.label}{result.compliance} ({trigger}): {result.annotation}")
                loop.compliance_changed(self, result, before, before_time)
            history = self.history(resource)
            if (
                not result.compliant
                and trigger != "remediation"
                and resource not in self.due
                and history is not None
                and history.may_start_automatically()
            ):
                self.due.add(resource)
                loop.remediate_later(self, resource, loop.now)

    def final_compliance(self) -> str | None:
        return summed([result.compliance for result in self.latest.values()])

    # -- remediations ---------------------------------------------------------------------------------------------

    def manual_resources(self) -> list[Resource]:
        """What StartRemediationExecution remediates: the resources last found NON_COMPLIANT, else every resource
        evaluated, else the account."""
        wrong = [resource for resource, result in self.latest.items() if not result.compliant]
        return wrong or list(self.latest) or [(ACCOUNT, self.loop.world.account)]

    def check_manual(self) -> None:
        """StartRemediationExecution refuses a rule without a remediation configuration."""
        if self.remediation is None:
            raise AwsError(
                "NoSuchRemediationConfigurationException",
                f"No remediation configuration for rule {self.rule.name} exists.",
            )

    def remediate(self, resource: Resource, *, automatic: bool) -> None:
        loop = self.loop
        history = self.history(resource)
        if history is None or self.remediation is None:
            return
        if automatic:
            self.due.discard(resource)
            latest = self.latest.get(resource)
            if (latest is not None and latest.compliant) or not history.may_start_automatically():
                return  # fixed meanwhile (a retry is not needed), or stopped by an exception
        attempt = history.failures(loop.now) + 1 if automatic else None
        parameters = self.remediation.execution_parameters(resource[1])
        problem = self.remediation.start_problem() if automatic else None
        outcome = Outcome(FAILED, problem, None) if problem is not None else loop.start_remediation(self, parameters)
        status, message = outcome.status, outcome.message
        moment = instant(loop.now)
        execution = RemediationExecution(self.rule.name, loop.region, resource[0], resource[1], status, moment, moment)
        loop.world.config.executions[execution.key] = execution
        exception = history.record(Attempt(loop.now, status, automatic, message))
        loop.remediations.append(
            {
                "time": number(loop.now),
                "rule": self.rule.name,
                "automatic": automatic,
                "attempt": attempt,
                "status": status,
                "message": message,
                "parameters": parameters,
                "execution": outcome.execution,
            }
        )
        how = f"automatic, attempt {attempt}" if automatic else "manual"
        repeated = message is not None and bool(self.statuses) and self.last_message == message
        self.statuses.append(status)
        self.last_message = message
        loop.say(
            f"remediate {self.label}{status} ({how})"
            + (": the same failure" if repeated else f": {message}" if message else "")
        )
        if exception is not None:
            record = {"time": number(loop.now), **exception.to_dict(), "deleted": None}
            loop.exceptions.append(record)
            self.exceptions.append(record)
            loop.say(f"exception {self.label}RemediationException recorded: automatic remediation stops")
        loop.announce(outcome, loop.config_role)
        loop.evaluate_later(self, "remediation")
        retry = history.retry_at()
        if retry is not None and resource not in self.due:
            self.due.add(resource)
            loop.remediate_later(self, resource, retry)

    def delete_exceptions(self, backend: FakeBackend) -> None:
        """DeleteRemediationExceptions of the resources the rule has exceptions for (else of the account), through
        the API: the API's answer, or its error."""
        loop = self.loop
        config = loop.world.config
        held = [
            (kind, resource)
            for (region, name, kind, resource) in sorted(config.exceptions)
            if (region, name) == (loop.region, self.rule.name)
        ]
        resources = held or [(ACCOUNT, loop.world.account)]
        keys = [{"ResourceType": kind, "ResourceId": resource} for kind, resource in resources]
        backend.call("config", "DeleteRemediationExceptions", {"ConfigRuleName": self.rule.name, "ResourceKeys": keys})
        for record in self.exceptions:
            if record["deleted"] is None and (record["ResourceType"], record["ResourceId"]) in resources:
                record["deleted"] = number(loop.now)

    # -- the report -----------------------------------------------------------------------------------------------

    def rule_data(self) -> dict[str, Any]:
        rule = self.rule
        return {
            "ConfigRuleName": rule.name,
            "SourceIdentifier": rule.identifier,
            "InputParameters": dict(rule.parameters),
            "MaximumExecutionFrequency": rule.frequency,
        }

    def summary(self) -> dict[str, Any]:
        """The rule's part of the report (``rules``): its rule, remediation configuration, final compliance,
        whether Config recorded a RemediationException, and its remediations' statuses in order."""
        return {
            "rule": self.rule_data(),
            "remediation_configuration": None if self.remediation is None else self.remediation.to_dict(),
            "final_compliance": self.final_compliance(),
            "remediation_exception": bool(self.exceptions),
            "remediations": list(self.statuses),
        }


def summed(compliances: list[str | None]) -> str | None:
    """Several results as one: NON_COMPLIANT if any is, else COMPLIANT if any is, else NOT_APPLICABLE if any is."""
    for wanted in (NON_COMPLIANT, COMPLIANT, NOT_APPLICABLE):
        if wanted in compliances:
            return wanted
    return None
