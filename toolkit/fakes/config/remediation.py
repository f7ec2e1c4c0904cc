"""Remediation configurations as PutRemediationConfigurations takes them, and the bookkeeping of
automatic remediation: attempts, retries, RemediationException (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.fakes.config.common import ASSUME_ROLE, FAILED, REMEDIATION_KEYS, SUCCEEDED, ConfigError, request_mapping
from toolkit.fakes.errors import AwsError
from toolkit.fakes.worldfile import KeyPath, timestamp_text

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class RemediationConfiguration:
    """One configuration of PutRemediationConfigurations. ``parameters`` maps a runbook parameter to
    ``("StaticValue", values)`` or ``("ResourceValue", ("RESOURCE_ID",))``."""

    config_rule_name: str
    target_id: str
    target_type: str = "SSM_DOCUMENT"
    target_version: str | None = None
    parameters: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    resource_type: str | None = None
    automatic: bool = False
    maximum_automatic_attempts: int = 5
    retry_attempt_seconds: int = 60
    concurrent_execution_rate_percentage: int = 10
    error_percentage: int = 50

    @classmethod
    def read(cls, data: object) -> RemediationConfiguration:
        """Check one configuration as PutRemediationConfigurations does; ConfigError names the member at fault."""
        request = request_mapping(data, (), REMEDIATION_KEYS)
        for required in ("ConfigRuleName", "TargetType", "TargetId"):
            if required not in request:
                raise ConfigError("is required", path=(required,))
        name = _text(request, "ConfigRuleName", 128)
        if not name.strip():
            raise ConfigError("must not be blank", path=("ConfigRuleName",))
        if request["TargetType"] != "SSM_DOCUMENT":
            raise ConfigError("must be SSM_DOCUMENT", path=("TargetType",))
        for key in ("TargetVersion", "ResourceType", "Arn", "CreatedByService"):
            if key in request and not isinstance(request[key], str):
                raise ConfigError("must be text", path=(key,))
        automatic = request.get("Automatic", False)
        if not isinstance(automatic, bool):
            raise ConfigError("must be true or false", path=("Automatic",))
        controls = request_mapping(request.get("ExecutionControls", {}), ("ExecutionControls",), ("SsmControls",))
        ssm_path = ("ExecutionControls", "SsmControls")
        ssm = request_mapping(
            controls.get("SsmControls", {}), ssm_path, ("ConcurrentExecutionRatePercentage", "ErrorPercentage")
        )
        return cls(
            config_rule_name=name,
            target_id=_text(request, "TargetId", 256),
            target_version=request.get("TargetVersion"),
            parameters=_parameters(request.get("Parameters", {})),
            resource_type=request.get("ResourceType"),
            automatic=automatic,
            maximum_automatic_attempts=_number(request, (), "MaximumAutomaticAttempts", 5, 1, 25),
            retry_attempt_seconds=_number(request, (), "RetryAttemptSeconds", 60, 1, 2_678_000),
            concurrent_execution_rate_percentage=_number(
                ssm, ssm_path, "ConcurrentExecutionRatePercentage", 10, 1, 100
            ),
            error_percentage=_number(ssm, ssm_path, "ErrorPercentage", 50, 1, 100),
        )

    def to_dict(self) -> dict[str, Any]:
        """The configuration as DescribeRemediationConfigurations gives it (defaults filled in)."""
        data: dict[str, Any] = {"ConfigRuleName": self.config_rule_name, "TargetType": self.target_type}
        data["TargetId"] = self.target_id
        if self.target_version is not None:
            data["TargetVersion"] = self.target_version
        data["Parameters"] = {
            key: {"StaticValue": {"Values": list(values)}}
            if kind == "StaticValue"
            else {"ResourceValue": {"Value": values[0]}}
            for key, (kind, values) in self.parameters.items()
        }
        if self.resource_type is not None:
            data["ResourceType"] = self.resource_type
        data["Automatic"] = self.automatic
        controls = {
            "ConcurrentExecutionRatePercentage": self.concurrent_execution_rate_percentage,
            "ErrorPercentage": self.error_percentage,
        }
        data["ExecutionControls"] = {"SsmControls": controls}
        data["MaximumAutomaticAttempts"] = self.maximum_automatic_attempts
        data["RetryAttemptSeconds"] = self.retry_attempt_seconds
        return data

    def execution_parameters(self, resource_id: str) -> dict[str, list[str]]:
        """What Config passes to StartAutomationExecution: each parameter as a list of text values, RESOURCE_ID
        replaced by the non-compliant resource's id."""
        return {
            key: [resource_id] if kind == "ResourceValue" else list(values)
            for key, (kind, values) in self.parameters.items()
        }

    def start_problem(self) -> str | None:
        """Why Config cannot run this automatic remediation with a role (None: it can)."""
        if not self.automatic:
            return None
        kind, values = self.parameters.get(ASSUME_ROLE, ("", ()))
        if kind == "StaticValue" and any(values):
            return None
        return (
            f"automatic remediation passes a role only through the parameter {ASSUME_ROLE}, which has no value: "
            "the automation would run as AWS Config's service-linked role, which may only start automations"
        )


def _parameters(data: object) -> dict[str, tuple[str, tuple[str, ...]]]:
    if not isinstance(data, Mapping):
        raise ConfigError("must be a mapping of parameter names to values", path=("Parameters",))
    if len(data) > 25:
        raise ConfigError(f"has {len(data)} entries; at most 25 are allowed", path=("Parameters",))
    result: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, value in data.items():
        path: KeyPath = ("Parameters", str(key))
        if not isinstance(key, str) or not 1 <= len(key) <= 256:
            raise ConfigError("a parameter name must be 1 to 256 characters", path=path)
        entry = request_mapping(value, path, ("StaticValue", "ResourceValue"))
        if len(entry) != 1:
            raise ConfigError("must hold exactly one of StaticValue and ResourceValue", path=path)
        if "ResourceValue" in entry:
            resource = request_mapping(entry["ResourceValue"], (*path, "ResourceValue"), ("Value",))
            if resource.get("Value") != "RESOURCE_ID":
                raise ConfigError("must be RESOURCE_ID", path=(*path, "ResourceValue", "Value"))
            result[key] = ("ResourceValue", ("RESOURCE_ID",))
            continue
        static = request_mapping(entry["StaticValue"], (*path, "StaticValue"), ("Values",))
        values = static.get("Values")
        values_path = (*path, "StaticValue", "Values")
        if not isinstance(values, list) or len(values) > 25:
            raise ConfigError("must be a list of at most 25 values", path=values_path)
        for index, item in enumerate(values):
            if not isinstance(item, str) or not 1 <= len(item) <= 256:
                hint = " (quote it in YAML)" if isinstance(item, (bool, int, float)) else ""
                raise ConfigError(f"must be text of 1 to 256 characters{hint}", path=(*values_path, index))
        result[key] = ("StaticValue", tuple(values))
    return result


def _text(data: Mapping[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        raise ConfigError(f"must be text of 1 to {limit} characters", path=(key,))
    return value


def _number(data: Mapping[str, Any], path: KeyPath, key: str, default: int, low: int, high: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"must be a whole number from {low} to {high}", path=(*path, key))
    return value


# -- remediation bookkeeping ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One remediation execution: when it started (seconds), SUCCEEDED or FAILED, automatic or manual, why."""

    time: float
    state: str
    automatic: bool = True
    message: str | None = None


@dataclass(frozen=True)
class RemediationException:
    """A resource excluded from automatic remediation (DescribeRemediationExceptions): recorded by Config when
    automatic remediation of it keeps failing, or put by PutRemediationExceptions. ``time`` is when a scenario
    recorded it (seconds; not part of the world file)."""

    config_rule_name: str
    resource_type: str
    resource_id: str
    message: str | None
    time: float = 0.0
    expiration_time: datetime | None = None

    def expired(self, now: datetime) -> bool:
        """Whether the exception no longer applies at ``now`` (AWS deletes it after its ExpirationTime)."""
        return self.expiration_time is not None and now >= self.expiration_time

    def to_dict(self) -> dict[str, Any]:
        return {
            "ConfigRuleName": self.config_rule_name,
            "ResourceType": self.resource_type,
            "ResourceId": self.resource_id,
            "Message": self.message,
            "ExpirationTime": timestamp_text(self.expiration_time),
        }


ExceptionStore = tuple[Callable[[], RemediationException | None], Callable[[RemediationException | None], None]]
"""Where a RemediationHistory keeps its resource's exception: (read it, write it or None). By default the
history's own attribute; ``toolkit.scenario`` passes the world's table, so the API reads what the loop records."""


class RemediationHistory:
    """The remediation attempts of one resource under one configuration, and its RemediationException."""

    def __init__(
        self,
        config: RemediationConfiguration,
        resource_type: str,
        resource_id: str,
        store: ExceptionStore | None = None,
    ) -> None:
        self.config = config
        self.resource_type = resource_type
        self.resource_id = resource_id
        self.attempts: list[Attempt] = []
        self._own: RemediationException | None = None
        self._store = store
        self._counted_from = 0  # attempts before this index no longer count (they led to an exception)

    @property
    def exception(self) -> RemediationException | None:
        """The resource's RemediationException, wherever it is kept (None: there is none)."""
        return self._own if self._store is None else self._store[0]()

    @exception.setter
    def exception(self, value: RemediationException | None) -> None:
        if self._store is None:
            self._own = value
        else:
            self._store[1](value)

    @property
    def retry_interval(self) -> float:
        """Seconds between automatic attempts, so that all of them fall within RetryAttemptSeconds."""
        return self.config.retry_attempt_seconds / self.config.maximum_automatic_attempts

    def may_start_automatically(self) -> bool:
        return self.config.automatic and self.exception is None

    def failures(self, now: float) -> int:
        """Automatic attempts failed since the last success (or deleted exception) within the retry window."""
        count = 0
        for attempt in reversed(self.attempts[self._counted_from :]):
            if attempt.state == SUCCEEDED:
                break
            if attempt.automatic and attempt.time > now - self.config.retry_attempt_seconds:
                count += 1
        return count

    def record(self, attempt: Attempt) -> RemediationException | None:
        """Add an attempt; returns the RemediationException it causes, if it is the last failure allowed."""
        self.attempts.append(attempt)
        if attempt.state != FAILED or not attempt.automatic or self.exception is not None:
            return None
        if self.failures(attempt.time) < self.config.maximum_automatic_attempts:
            return None
        exception = RemediationException(
            self.config.config_rule_name,
            self.resource_type,
            self.resource_id,
            f"{self.config.maximum_automatic_attempts} automatic remediation attempts failed within "
            f"{self.config.retry_attempt_seconds} seconds; the last: {attempt.message or 'no message'}"[:1024],
            attempt.time,
        )
        self.exception = exception
        # The failures that led to it no longer count once it is gone, however it goes (here, or through the API).
        self._counted_from = len(self.attempts)
        return exception

    def retry_at(self) -> float | None:
        """When the next automatic attempt runs after the last one, or None (it succeeded, or no more)."""
        last = self.attempts[-1] if self.attempts else None
        if last is None or last.state != FAILED or not last.automatic or not self.may_start_automatically():
            return None
        return last.time + self.retry_interval

    def delete_exception(self) -> RemediationException:
        """DeleteRemediationExceptions: automatic remediation resumes, earlier failures no longer count."""
        deleted = self.exception
        if deleted is None:
            raise AwsError(
                "NoSuchRemediationExceptionException",
                f"No remediation exception for {self.resource_type} {self.resource_id} "
                f"of {self.config.config_rule_name}.",
            )
        self.exception = None
        self._counted_from = len(self.attempts)
        return deleted
