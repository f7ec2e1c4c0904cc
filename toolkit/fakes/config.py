"""Fake AWS Config, the parts the pattern needs (spec cloudtrail.md §2 and §3): three managed rules evaluated
against a world, the remediation configuration as PutRemediationConfigurations takes it, and the bookkeeping of
automatic remediation (attempts, retries, RemediationException). Running the remediation's runbook is not done
here (fakes never import the simulator): ``toolkit.scenario`` runs it and reports each attempt back.

Rules. Each evaluates the account (``AWS::::Account``, resource id = the account id) in the world's Region, over
the trails visible there (homed there, or multi-region trails homed elsewhere, whose shadows it holds; an
organization trail of the management account counts in a member account like any other). A trail satisfies:

- ``cloudtrail-enabled`` when it is logging and matches the given s3BucketName, snsTopicArn and
  cloudWatchLogsLogGroupArn (exact values; a log group ARN's trailing ``:*`` is ignored);
- ``multi-region-cloudtrail-enabled`` when it is multi-region, logging, matches those three parameters, excludes no
  management event sources, and one of its management selectors records what includeManagementEvents and
  readWriteType ask (ALL: read and write; a selector recording both satisfies ReadOnly or WriteOnly);
- ``cloudtrail-security-trail-enabled`` when it is multi-region, logging, includes global service events, has log
  file validation and a KMS key, excludes no management event sources, and one selector records read and write
  management events.

Decisions where AWS is silent [UNVERIFIED]: the last two rules require the trail to be logging (spec §8 leaves
it open; a stopped trail records nothing); read and write must come from one selector, basic or advanced (a
read-only and a write-only selector do not add up, as one reading of the advanced-selector docs has it); an
advanced management selector with any eventSource condition does not record all sources.

Remediation: ``RemediationConfiguration.read`` checks a configuration as PutRemediationConfigurations would
(limits from the API model), raising ``ConfigError`` with code InvalidParameterValueException and the member at
fault. ``RemediationHistory`` keeps one resource's attempts: automatic attempts are retried every
RetryAttemptSeconds / MaximumAutomaticAttempts seconds, so that all of them fall in the window; when
MaximumAutomaticAttempts failures (since the last success) fall within RetryAttemptSeconds, Config records a
RemediationException and stops remediating the resource automatically until the exception is deleted [doc: §3.2;
the spacing of retries is UNVERIFIED]. An automatic remediation without a value for AutomationAssumeRole fails
without running: Config passes a role to automatic remediation only through that parameter (§3.3), and its own
service-linked role may only start automations [UNVERIFIED: how AWS reports it].
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from toolkit.fakes.errors import AwsError
from toolkit.fakes.worldfile import KeyPath, dotted

if TYPE_CHECKING:
    from toolkit.fakes.cloudtrail.trail import Trail
    from toolkit.fakes.world import World

COMPLIANT: Final = "COMPLIANT"
NON_COMPLIANT: Final = "NON_COMPLIANT"
ACCOUNT: Final = "AWS::::Account"
SUCCEEDED: Final = "SUCCEEDED"
FAILED: Final = "FAILED"
INVALID: Final = "InvalidParameterValueException"
ASSUME_ROLE: Final = "AutomationAssumeRole"

FREQUENCIES: Final = {
    "One_Hour": 3600,
    "Three_Hours": 3 * 3600,
    "Six_Hours": 6 * 3600,
    "Twelve_Hours": 12 * 3600,
    "TwentyFour_Hours": 24 * 3600,
}
DEFAULT_FREQUENCY: Final = "TwentyFour_Hours"
_MATCHED = ("s3BucketName", "snsTopicArn", "cloudWatchLogsLogGroupArn")
RULES: Final = {
    "cloudtrail-enabled": ("CLOUD_TRAIL_ENABLED", _MATCHED),
    "multi-region-cloudtrail-enabled": (
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        (*_MATCHED, "includeManagementEvents", "readWriteType"),
    ),
    "cloudtrail-security-trail-enabled": ("CLOUDTRAIL_SECURITY_TRAIL_ENABLED", ()),
}
"""Managed rule name -> (source identifier, the parameters it takes)."""
READ_WRITE_TYPES: Final = ("ReadOnly", "WriteOnly", "ALL")
RULE_KEYS: Final = ("ConfigRuleName", "InputParameters", "MaximumExecutionFrequency")
REMEDIATION_KEYS: Final = (
    "ConfigRuleName",
    "TargetType",
    "TargetId",
    "TargetVersion",
    "Parameters",
    "ResourceType",
    "Automatic",
    "ExecutionControls",
    "MaximumAutomaticAttempts",
    "RetryAttemptSeconds",
    "Arn",
    "CreatedByService",
)


class ConfigError(AwsError):
    """A request AWS Config refuses: the AWS error code, and the member at fault (``path`` from the request)."""

    def __init__(self, message: str, *, path: KeyPath = (), code: str = INVALID) -> None:
        super().__init__(code, f"{dotted(path)}: {message}" if path else message)
        self.path = path
        self.reason = message


# -- rules ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigRule:
    """A managed rule as PutConfigRule would hold it: name, InputParameters (text values), frequency."""

    name: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    frequency: str = DEFAULT_FREQUENCY

    @property
    def identifier(self) -> str:
        return RULES[self.name][0]

    @property
    def period(self) -> int:
        """Seconds between periodic evaluations."""
        return FREQUENCIES[self.frequency]

    @classmethod
    def read(cls, data: object) -> ConfigRule:
        """A rule from ``{ConfigRuleName, InputParameters, MaximumExecutionFrequency}``; InputParameters is a
        mapping or its JSON text, values text (Booleans may be given as true/false)."""
        request = _mapping(data, (), RULE_KEYS)
        name = request.get("ConfigRuleName")
        if not isinstance(name, str) or name not in RULES:
            raise ConfigError(f"must name one of the managed rules {', '.join(RULES)}", path=("ConfigRuleName",))
        frequency = request.get("MaximumExecutionFrequency", DEFAULT_FREQUENCY)
        if not isinstance(frequency, str) or frequency not in FREQUENCIES:
            raise ConfigError(f"must be one of {', '.join(FREQUENCIES)}", path=("MaximumExecutionFrequency",))
        raw = request.get("InputParameters")
        if isinstance(raw, str):
            try:
                raw = json.loads(raw) if raw.strip() else {}
            except json.JSONDecodeError as err:
                raise ConfigError("must be a JSON object", path=("InputParameters",)) from err
        parameters = _mapping(raw or {}, ("InputParameters",), RULES[name][1])
        values: dict[str, str] = {}
        for key, value in parameters.items():
            path = ("InputParameters", key)
            if isinstance(value, bool):
                value = "true" if value else "false"
            if not isinstance(value, str):
                raise ConfigError("must be text", path=path)
            if key == "readWriteType" and value and value not in READ_WRITE_TYPES:
                raise ConfigError(f"must be one of {', '.join(READ_WRITE_TYPES)}", path=path)
            if key == "includeManagementEvents" and value not in ("", "true", "false"):
                raise ConfigError("must be true or false", path=path)
            if value:
                values[key] = value
        return cls(name, values, frequency)


@dataclass(frozen=True)
class Evaluation:
    """One evaluation result: the rule, the resource, COMPLIANT or NON_COMPLIANT, and why."""

    rule: str
    resource_type: str
    resource_id: str
    compliance: str
    annotation: str

    @property
    def compliant(self) -> bool:
        return self.compliance == COMPLIANT


def evaluate(rule: ConfigRule, world: World) -> Evaluation:
    """Evaluate ``rule`` for the account in the world's Region. Reads the world, never changes it."""
    trails = sorted(
        (trail for trail in world.trails.values() if trail.visible_in(world.region)),
        key=lambda trail: (trail.home_region, trail.name),
    )
    problems: list[str] = []
    for trail in trails:
        wrong = _problems(rule, trail, world)
        label = f"{trail.name} ({trail.home_region})"
        if not wrong:
            return Evaluation(rule.name, ACCOUNT, world.account, COMPLIANT, f"trail {label} meets {rule.name}")
        problems.append(f"{label}: {', '.join(wrong)}")
    reason = "; ".join(problems) if problems else f"there is no trail in {world.region}"
    return Evaluation(rule.name, ACCOUNT, world.account, NON_COMPLIANT, f"no trail meets {rule.name}: {reason}")


def _problems(rule: ConfigRule, trail: Trail, world: World) -> list[str]:
    """What keeps ``trail`` from satisfying ``rule`` (empty: it does)."""
    wanted = rule.parameters
    wrong: list[str] = []
    if rule.name != "cloudtrail-enabled" and not trail.is_multi_region_trail:
        wrong.append("not multi-region")
    if not trail.is_logging:
        wrong.append("not logging")
    actual = {
        "s3BucketName": trail.s3_bucket_name,
        "snsTopicArn": _topic_arn(trail, world),
        "cloudWatchLogsLogGroupArn": (trail.cloud_watch_logs_log_group_arn or "").removesuffix(":*") or None,
    }
    for key in _MATCHED:
        if key in wanted and wanted[key].removesuffix(":*") != actual[key]:
            wrong.append(f"{key} is {actual[key]}, not {wanted[key]}")
    if rule.name == "cloudtrail-enabled":
        return wrong
    selectors = management_selectors(trail)
    if any(not all_sources for _, _, all_sources in selectors):
        wrong.append("excludes management event sources")
    if rule.name == "multi-region-cloudtrail-enabled":
        read = wanted.get("readWriteType") in ("ReadOnly", "ALL")
        write = wanted.get("readWriteType") in ("WriteOnly", "ALL")
        needed = read or write or wanted.get("includeManagementEvents") == "true"
        if needed and not any((r or not read) and (w or not write) and every for r, w, every in selectors):
            kind = {(True, True): "read and write ", (True, False): "read ", (False, True): "write "}.get((read, write))
            wrong.append(f"records no {kind or ''}management events")
        return wrong
    if not trail.include_global_service_events:
        wrong.append("no global service events")
    if not trail.log_file_validation_enabled:
        wrong.append("no log file validation")
    if not trail.kms_key_id:
        wrong.append("not encrypted with KMS")
    if not any(read and write and every for read, write, every in selectors):
        wrong.append("records no read and write management events")
    return wrong


def _topic_arn(trail: Trail, world: World) -> str | None:
    topic = trail.sns_topic_name
    if not topic or topic.startswith("arn:"):
        return topic
    return f"arn:{world.partition}:sns:{trail.home_region}:{world.account}:{topic}"


def management_selectors(trail: Trail) -> list[tuple[bool, bool, bool]]:
    """(records read, records write, from every source) for each selector of ``trail`` recording management
    events, basic or advanced."""
    found: list[tuple[bool, bool, bool]] = []
    for basic in trail.event_selectors if not trail.advanced_event_selectors else []:
        if basic.get("IncludeManagementEvents", True):
            kind = basic.get("ReadWriteType", "All")
            every = not basic.get("ExcludeManagementEventSources")
            found.append((kind in ("All", "ReadOnly"), kind in ("All", "WriteOnly"), every))
    for advanced in trail.advanced_event_selectors:
        fields = advanced.get("FieldSelectors") or []
        if not any(f.get("Field") == "eventCategory" and "Management" in (f.get("Equals") or []) for f in fields):
            continue
        read = write = True
        for selector in fields:
            if selector.get("Field") == "readOnly":
                only_read = selector.get("Equals") == ["true"] or selector.get("NotEquals") == ["false"]
                only_write = selector.get("Equals") == ["false"] or selector.get("NotEquals") == ["true"]
                read, write = read and not only_write, write and not only_read
        found.append((read, write, not any(f.get("Field") == "eventSource" for f in fields)))
    return found


# -- remediation configuration -------------------------------------------------------------------------------------


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
        request = _mapping(data, (), REMEDIATION_KEYS)
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
        controls = _mapping(request.get("ExecutionControls", {}), ("ExecutionControls",), ("SsmControls",))
        ssm_path = ("ExecutionControls", "SsmControls")
        ssm = _mapping(
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
        entry = _mapping(value, path, ("StaticValue", "ResourceValue"))
        if len(entry) != 1:
            raise ConfigError("must hold exactly one of StaticValue and ResourceValue", path=path)
        if "ResourceValue" in entry:
            resource = _mapping(entry["ResourceValue"], (*path, "ResourceValue"), ("Value",))
            if resource.get("Value") != "RESOURCE_ID":
                raise ConfigError("must be RESOURCE_ID", path=(*path, "ResourceValue", "Value"))
            result[key] = ("ResourceValue", ("RESOURCE_ID",))
            continue
        static = _mapping(entry["StaticValue"], (*path, "StaticValue"), ("Values",))
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


def _mapping(data: object, path: KeyPath, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ConfigError("must be a mapping", path=path)
    for key in data:
        if key not in allowed:
            raise ConfigError(f"unknown member (known: {', '.join(allowed)})", path=(*path, str(key)))
    return dict(data)


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
    """What Config records when automatic remediation of a resource keeps failing (DescribeRemediationExceptions)."""

    config_rule_name: str
    resource_type: str
    resource_id: str
    message: str
    time: float
    expiration_time: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ConfigRuleName": self.config_rule_name,
            "ResourceType": self.resource_type,
            "ResourceId": self.resource_id,
            "Message": self.message,
            "ExpirationTime": self.expiration_time,
        }


class RemediationHistory:
    """The remediation attempts of one resource under one configuration, and its RemediationException."""

    def __init__(self, config: RemediationConfiguration, resource_type: str, resource_id: str) -> None:
        self.config = config
        self.resource_type = resource_type
        self.resource_id = resource_id
        self.attempts: list[Attempt] = []
        self.exception: RemediationException | None = None
        self._counted_from = 0  # attempts before this index no longer count (an exception was deleted)

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
        self.exception = RemediationException(
            self.config.config_rule_name,
            self.resource_type,
            self.resource_id,
            f"{self.config.maximum_automatic_attempts} automatic remediation attempts failed within "
            f"{self.config.retry_attempt_seconds} seconds; the last: {attempt.message or 'no message'}"[:1024],
            attempt.time,
        )
        return self.exception

    def retry_at(self) -> float | None:
        """When the next automatic attempt runs after the last one, or None (it succeeded, or no more)."""
        last = self.attempts[-1] if self.attempts else None
        if last is None or last.state != FAILED or not last.automatic or not self.may_start_automatically():
            return None
        return last.time + self.retry_interval

    def delete_exception(self) -> RemediationException:
        """DeleteRemediationExceptions: automatic remediation resumes, earlier failures no longer count."""
        if self.exception is None:
            raise AwsError(
                "NoSuchRemediationExceptionException",
                f"No remediation exception for {self.resource_type} {self.resource_id} "
                f"of {self.config.config_rule_name}.",
            )
        deleted, self.exception = self.exception, None
        self._counted_from = len(self.attempts)
        return deleted
