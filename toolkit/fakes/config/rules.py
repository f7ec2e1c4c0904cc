"""The managed CloudTrail rules, evaluated against a world (see the package's docstring)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from toolkit.fakes.config.common import (
    ACCOUNT,
    COMPLIANT,
    DEFAULT_FREQUENCY,
    FREQUENCIES,
    MANAGED_RULES,
    MATCHED_PARAMETERS,
    NON_COMPLIANT,
    NOT_APPLICABLE,
    READ_WRITE_TYPES,
    RULE_KEYS,
    TRAIL,
    TRAIL_RULES,
    ConfigError,
    request_mapping,
)

if TYPE_CHECKING:
    from toolkit.fakes.cloudtrail.trail import Trail


class Account(Protocol):
    """What a rule evaluates: one account of the world (a ``World``), its trails and where executions run.

    A protocol rather than the world itself, since the world holds rules (``toolkit.fakes.config.state``)."""

    @property
    def account(self) -> str: ...

    @property
    def region(self) -> str: ...

    @property
    def partition(self) -> str: ...

    @property
    def trails(self) -> Mapping[tuple[str, str], Trail]: ...


IDENTIFIERS = {identifier: name for name, (identifier, _) in MANAGED_RULES.items()}
"""Source identifier -> the managed rule's own name (CLOUD_TRAIL_ENABLED -> cloudtrail-enabled)."""


@dataclass(frozen=True)
class ConfigRule:
    """A managed rule as PutConfigRule would hold it: name, InputParameters (text values), frequency; ``managed``
    names the managed rule it runs when its own name is another (PutConfigRule's Source.SourceIdentifier)."""

    name: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    frequency: str = DEFAULT_FREQUENCY
    managed: str = ""

    @property
    def kind(self) -> str:
        """The managed rule it runs (cloudtrail-enabled, multi-region-cloudtrail-enabled, ...)."""
        return self.managed or self.name

    @property
    def identifier(self) -> str:
        return MANAGED_RULES[self.kind][0]

    @property
    def per_trail(self) -> bool:
        """Whether the rule evaluates each trail (``AWS::CloudTrail::Trail``) rather than the account."""
        return self.kind in TRAIL_RULES

    @property
    def period(self) -> int:
        """Seconds between periodic evaluations."""
        return FREQUENCIES[self.frequency]

    @classmethod
    def read(cls, data: object) -> ConfigRule:
        """A rule from ``{ConfigRuleName, InputParameters, MaximumExecutionFrequency}``; InputParameters is a
        mapping or its JSON text, values text (Booleans may be given as true/false)."""
        request = request_mapping(data, (), RULE_KEYS)
        name = request.get("ConfigRuleName")
        if not isinstance(name, str) or name not in MANAGED_RULES:
            raise ConfigError(
                f"must name one of the managed rules {', '.join(MANAGED_RULES)}", path=("ConfigRuleName",)
            )
        frequency = request.get("MaximumExecutionFrequency", DEFAULT_FREQUENCY)
        if not isinstance(frequency, str) or frequency not in FREQUENCIES:
            raise ConfigError(f"must be one of {', '.join(FREQUENCIES)}", path=("MaximumExecutionFrequency",))
        return cls(name, input_parameters(name, request.get("InputParameters")), frequency)

    @classmethod
    def of_source(cls, name: str, identifier: str, raw: object, frequency: str = DEFAULT_FREQUENCY) -> ConfigRule:
        """A rule named ``name`` running the managed rule ``identifier`` (KeyError if the fake does not run it),
        with InputParameters ``raw`` (JSON text or a mapping) checked as ``read`` checks them."""
        managed = IDENTIFIERS[identifier]
        return cls(name, input_parameters(managed, raw), frequency, "" if managed == name else managed)


def input_parameters(managed: str, raw: object) -> dict[str, str]:
    """A managed rule's InputParameters (a mapping or its JSON text) as text values; empty values are left out.
    Raises ConfigError naming the member at fault."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError as err:
            raise ConfigError("must be a JSON object", path=("InputParameters",)) from err
    parameters = request_mapping(raw or {}, ("InputParameters",), MANAGED_RULES[managed][1])
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
    return values


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
        """Nothing for remediation to do: COMPLIANT, or NOT_APPLICABLE (no resource in the rule's scope)."""
        return self.compliance != NON_COMPLIANT


def evaluate(rule: ConfigRule, world: Account, region: str | None = None) -> Evaluation:
    """Evaluate ``rule`` in ``region`` (default: the world's Region) as one result. An account rule's is its
    evaluation of the account; a per-trail rule's is the rule's compliance summed up as one of its trails' results
    (the first NON_COMPLIANT trail's, else the first COMPLIANT one's, by name), or NOT_APPLICABLE for the account
    when no trail is in scope. Reads the world, never changes it."""
    if rule.per_trail:
        results = evaluate_resources(rule, world, region)
        for result in results:
            if not result.compliant:
                return result
        if results:
            return results[0]
        where = region or world.region
        return Evaluation(rule.name, ACCOUNT, world.account, NOT_APPLICABLE, f"no trail is homed in {where}")
    return _evaluate_account(rule, world, region or world.region)


def evaluate_resources(rule: ConfigRule, world: Account, region: str | None = None) -> list[Evaluation]:
    """Every result of ``rule`` in ``region`` (default: the world's Region), one per resource it evaluates: the
    account for an account rule; each trail homed in the region, by name, for a per-trail rule (none: no result,
    as AWS Config reports no resource in scope). Reads the world, never changes it."""
    where = region or world.region
    if not rule.per_trail:
        return [_evaluate_account(rule, world, where)]
    trails = sorted((trail for trail in world.trails.values() if trail.home_region == where), key=_by_name)
    return [_evaluate_trail(rule, trail) for trail in trails]


def _by_name(trail: Trail) -> str:
    return trail.name


def _evaluate_trail(rule: ConfigRule, trail: Trail) -> Evaluation:
    """cloud-trail-encryption-enabled: COMPLIANT iff the trail's KmsKeyId is set; cloud-trail-log-file-validation-
    enabled: NON_COMPLIANT iff its log file validation is off. Whether it is logging does not count."""
    if rule.kind == "cloud-trail-encryption-enabled":
        if trail.kms_key_id:
            compliance, annotation = COMPLIANT, f"trail {trail.name} is encrypted with KMS key {trail.kms_key_id}"
        else:
            compliance, annotation = NON_COMPLIANT, f"trail {trail.name} is not encrypted with KMS (no KmsKeyId)"
    elif trail.log_file_validation_enabled:
        compliance, annotation = COMPLIANT, f"trail {trail.name} has log file validation enabled"
    else:
        compliance, annotation = NON_COMPLIANT, f"trail {trail.name} does not have log file validation enabled"
    return Evaluation(rule.name, TRAIL, trail.name, compliance, annotation)


def _evaluate_account(rule: ConfigRule, world: Account, where: str) -> Evaluation:
    """One of ``RULES``: the account in ``where``, over the trails visible there."""
    trails = sorted(
        (trail for trail in world.trails.values() if trail.visible_in(where)),
        key=lambda trail: (trail.home_region, trail.name),
    )
    problems: list[str] = []
    for trail in trails:
        wrong = _problems(rule, trail, world)
        label = f"{trail.name} ({trail.home_region})"
        if not wrong:
            return Evaluation(rule.name, ACCOUNT, world.account, COMPLIANT, f"trail {label} meets {rule.name}")
        problems.append(f"{label}: {', '.join(wrong)}")
    reason = "; ".join(problems) if problems else f"there is no trail in {where}"
    return Evaluation(rule.name, ACCOUNT, world.account, NON_COMPLIANT, f"no trail meets {rule.name}: {reason}")


def _problems(rule: ConfigRule, trail: Trail, world: Account) -> list[str]:
    """What keeps ``trail`` from satisfying ``rule`` (empty: it does)."""
    wanted = rule.parameters
    wrong: list[str] = []
    if rule.kind != "cloudtrail-enabled" and not trail.is_multi_region_trail:
        wrong.append("not multi-region")
    if not trail.is_logging:
        wrong.append("not logging")
    actual = {
        "s3BucketName": trail.s3_bucket_name,
        "snsTopicArn": _topic_arn(trail, world),
        "cloudWatchLogsLogGroupArn": (trail.cloud_watch_logs_log_group_arn or "").removesuffix(":*") or None,
    }
    for key in MATCHED_PARAMETERS:
        if key in wanted and wanted[key].removesuffix(":*") != actual[key]:
            wrong.append(f"{key} is {actual[key]}, not {wanted[key]}")
    if rule.kind == "cloudtrail-enabled":
        return wrong
    selectors = management_selectors(trail)
    if any(not all_sources for _, _, all_sources in selectors):
        wrong.append("excludes management event sources")
    if rule.kind == "multi-region-cloudtrail-enabled":
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


def _topic_arn(trail: Trail, world: Account) -> str | None:
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
