"""Fake AWS Config's state, per region: the configuration recorder and its status, the delivery channel, the rules
(the same ``ConfigRule`` the scenarios evaluate), their latest evaluation results, the remediation configurations
(the same ``RemediationConfiguration``), remediation exceptions and remediation execution statuses; and the world
file's form of each.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.config``, and
``toolkit.scenario`` records its Config loop here too, so the API and the loop read and write one state. A world
holds one ``ConfigState`` (``world.config``); entries are never changed in place, so ``copy`` only copies tables.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from toolkit.fakes.config.common import ACCOUNT, FREQUENCIES, MANAGED_RULES, REMEDIATION_KEYS, ConfigError
from toolkit.fakes.config.remediation import RemediationConfiguration, RemediationException
from toolkit.fakes.config.rules import IDENTIFIERS, ConfigRule
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import copy_json
from toolkit.fakes.worldfile import Fields, timestamp_text

RECORDER_KEYS: Final = (
    "Name",
    "Region",
    "RoleARN",
    "RecordingGroup",
    "RecordingMode",
    "Recording",
    "LastStartTime",
    "LastStopTime",
    "LastStatus",
    "LastStatusChangeTime",
)
CHANNEL_KEYS: Final = (
    "Name",
    "Region",
    "S3BucketName",
    "S3KeyPrefix",
    "S3KmsKeyArn",
    "SnsTopicARN",
    "ConfigSnapshotDeliveryProperties",
)
RULE_KEYS: Final = (
    "ConfigRuleName",
    "Region",
    "ConfigRuleId",
    "Description",
    "Source",
    "InputParameters",
    "MaximumExecutionFrequency",
    "Scope",
    "Tags",
)
EVALUATION_KEYS: Final = (
    "ConfigRuleName",
    "Region",
    "ResourceType",
    "ResourceId",
    "ComplianceType",
    "Annotation",
    "ResultRecordedTime",
    "ConfigRuleInvokedTime",
)
EXCEPTION_KEYS: Final = ("ConfigRuleName", "Region", "ResourceType", "ResourceId", "Message", "ExpirationTime")
EXECUTION_STATUS_KEYS: Final = (
    "ConfigRuleName",
    "Region",
    "ResourceType",
    "ResourceId",
    "State",
    "InvocationTime",
    "LastUpdatedTime",
    "AutomationExecutionId",
)
COMPLIANCE_TYPES: Final = ("COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA")
EXECUTION_STATES: Final = ("QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "UNKNOWN")
RECORDER_STATUSES: Final = ("Pending", "Success", "Failure", "NotApplicable")
DEFAULT_RECORDING_GROUP: Final = {
    "allSupported": True,
    "includeGlobalResourceTypes": False,
    "resourceTypes": [],
    "exclusionByResourceTypes": {"resourceTypes": []},
    "recordingStrategy": {"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"},
}
DEFAULT_RECORDING_MODE: Final = {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []}

_FREQ: Final = ", ".join(FREQUENCIES)

ResourceKey = tuple[str, str, str, str]
"""(region, rule name, resource type, resource id): where an evaluation, exception or execution status belongs."""


def short_id(*parts: str) -> str:
    """A deterministic lower-case id of ``parts`` (hex), for ids AWS makes random."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class ConfigurationRecorder:
    """A region's configuration recorder (at most one) and its status."""

    name: str
    region: str
    role_arn: str
    recording_group: dict[str, Any] = field(default_factory=lambda: copy_json(DEFAULT_RECORDING_GROUP))
    recording_mode: dict[str, Any] = field(default_factory=lambda: copy_json(DEFAULT_RECORDING_MODE))
    recording: bool = False
    last_start: datetime | None = None
    last_stop: datetime | None = None
    last_status: str | None = None
    last_status_change: datetime | None = None

    def arn(self, partition: str, account: str) -> str:
        tail = short_id(account, self.region, self.name)[:6]
        return f"arn:{partition}:config:{self.region}:{account}:configuration-recorder/{self.name}/{tail}"

    @classmethod
    def read(cls, fields: Fields, region: str) -> ConfigurationRecorder:
        status = fields.optional_text("LastStatus")
        if status is not None and status not in RECORDER_STATUSES:
            raise fields.fail("LastStatus", f"must be one of {', '.join(RECORDER_STATUSES)}")
        return cls(
            name=fields.text("Name", "default"),
            region=fields.text("Region", region),
            role_arn=fields.required_text("RoleARN"),
            recording_group=_mapping(fields, "RecordingGroup", DEFAULT_RECORDING_GROUP),
            recording_mode=_mapping(fields, "RecordingMode", DEFAULT_RECORDING_MODE),
            recording=fields.flag("Recording", False),
            last_start=fields.timestamp("LastStartTime"),
            last_stop=fields.timestamp("LastStopTime"),
            last_status=status,
            last_status_change=fields.timestamp("LastStatusChangeTime"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Region": self.region,
            "RoleARN": self.role_arn,
            "RecordingGroup": copy_json(self.recording_group),
            "RecordingMode": copy_json(self.recording_mode),
            "Recording": self.recording,
            "LastStartTime": timestamp_text(self.last_start),
            "LastStopTime": timestamp_text(self.last_stop),
            "LastStatus": self.last_status,
            "LastStatusChangeTime": timestamp_text(self.last_status_change),
        }


@dataclass(frozen=True)
class DeliveryChannel:
    """A region's delivery channel (at most one)."""

    name: str
    region: str
    bucket: str
    prefix: str | None = None
    kms_key_arn: str | None = None
    topic_arn: str | None = None
    frequency: str | None = None

    @classmethod
    def read(cls, fields: Fields, region: str) -> DeliveryChannel:
        properties = fields.section("ConfigSnapshotDeliveryProperties", ("DeliveryFrequency",))
        frequency = None if properties is None else properties.optional_text("DeliveryFrequency")
        if frequency is not None and frequency not in FREQUENCIES:
            raise fields.fail("ConfigSnapshotDeliveryProperties", f"DeliveryFrequency must be one of {_FREQ}")
        return cls(
            name=fields.text("Name", "default"),
            region=fields.text("Region", region),
            bucket=fields.required_text("S3BucketName"),
            prefix=fields.optional_text("S3KeyPrefix"),
            kms_key_arn=fields.optional_text("S3KmsKeyArn"),
            topic_arn=fields.optional_text("SnsTopicARN"),
            frequency=frequency,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Region": self.region,
            "S3BucketName": self.bucket,
            "S3KeyPrefix": self.prefix,
            "S3KmsKeyArn": self.kms_key_arn,
            "SnsTopicARN": self.topic_arn,
            "ConfigSnapshotDeliveryProperties": None
            if self.frequency is None
            else {"DeliveryFrequency": self.frequency},
        }


@dataclass(frozen=True)
class RuleRecord:
    """A Config rule of a region: the evaluated ``ConfigRule`` and what PutConfigRule keeps beside it."""

    rule: ConfigRule
    region: str
    rule_id: str
    input_parameters: str | None = None
    description: str | None = None
    scope: dict[str, Any] | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.rule.name

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:config:{self.region}:{account}:config-rule/{self.rule_id}"

    @classmethod
    def read(cls, fields: Fields, region: str, account: str) -> RuleRecord:
        name = fields.required_text("ConfigRuleName")
        source = fields.section("Source", ("Owner", "SourceIdentifier"))
        identifier = MANAGED_RULES[name][0] if source is None and name in MANAGED_RULES else None
        if source is not None:
            if source.text("Owner", "AWS") != "AWS":
                raise fields.fail("Source", "must be a managed rule (Owner AWS): the fake world runs no custom rules")
            identifier = source.required_text("SourceIdentifier")
        if identifier not in IDENTIFIERS:
            raise fields.fail("Source", f"must name a managed rule the fake world runs: {', '.join(IDENTIFIERS)}")
        raw = fields.data.get("InputParameters")
        text = raw if isinstance(raw, str) or raw is None else json.dumps(raw, separators=(",", ":"))
        frequency = fields.text("MaximumExecutionFrequency", "TwentyFour_Hours")
        try:
            rule = ConfigRule.of_source(name, identifier, raw, frequency)
        except ConfigError as err:
            raise fields.fail("InputParameters", f"are not valid: {err.message}") from err
        if frequency not in FREQUENCIES:
            raise fields.fail("MaximumExecutionFrequency", f"must be one of {_FREQ}")
        scope = fields.data.get("Scope")
        if scope is not None and not isinstance(scope, dict):
            raise fields.fail("Scope", "must be a mapping")
        where = fields.text("Region", region)
        tags = fields.string_map("Tags")
        return cls(
            rule=rule,
            region=where,
            rule_id=fields.text("ConfigRuleId", rule_id(account, where, name, CREATED)),
            input_parameters=text,
            description=fields.optional_text("Description"),
            scope=None if scope is None else copy_json(scope),
            tags={key: str(value) for key, value in tags.items() if value is not None},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ConfigRuleName": self.name,
            "Region": self.region,
            "ConfigRuleId": self.rule_id,
            "Description": self.description,
            "Source": {"Owner": "AWS", "SourceIdentifier": self.rule.identifier},
            "InputParameters": self.input_parameters,
            "MaximumExecutionFrequency": self.rule.frequency,
            "Scope": None if self.scope is None else copy_json(self.scope),
            "Tags": dict(self.tags),
        }


def rule_id(account: str, region: str, name: str, created: datetime) -> str:
    """A rule's ConfigRuleId (``config-rule-`` and six characters), from where and when it was created."""
    return "config-rule-" + short_id(account, region, name, created.isoformat())[:6]


@dataclass(frozen=True)
class EvaluationRecord:
    """A rule's latest evaluation of one resource (GetComplianceDetailsByConfigRule)."""

    rule_name: str
    region: str
    resource_type: str
    resource_id: str
    compliance: str
    annotation: str | None
    recorded: datetime
    invoked: datetime

    @property
    def key(self) -> ResourceKey:
        return (self.region, self.rule_name, self.resource_type, self.resource_id)

    @classmethod
    def read(cls, fields: Fields, region: str, account: str) -> EvaluationRecord:
        compliance = fields.required_text("ComplianceType")
        if compliance not in COMPLIANCE_TYPES:
            raise fields.fail("ComplianceType", f"must be one of {', '.join(COMPLIANCE_TYPES)}")
        recorded = fields.timestamp("ResultRecordedTime") or CREATED
        return cls(
            rule_name=fields.required_text("ConfigRuleName"),
            region=fields.text("Region", region),
            resource_type=fields.text("ResourceType", ACCOUNT),
            resource_id=fields.text("ResourceId", account),
            compliance=compliance,
            annotation=fields.optional_text("Annotation"),
            recorded=recorded,
            invoked=fields.timestamp("ConfigRuleInvokedTime") or recorded,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ConfigRuleName": self.rule_name,
            "Region": self.region,
            "ResourceType": self.resource_type,
            "ResourceId": self.resource_id,
            "ComplianceType": self.compliance,
            "Annotation": self.annotation,
            "ResultRecordedTime": timestamp_text(self.recorded),
            "ConfigRuleInvokedTime": timestamp_text(self.invoked),
        }


@dataclass(frozen=True)
class RemediationExecution:
    """The latest remediation execution of one resource (DescribeRemediationExecutionStatus)."""

    rule_name: str
    region: str
    resource_type: str
    resource_id: str
    state: str
    invoked: datetime
    updated: datetime
    automation_execution_id: str | None = None

    @property
    def key(self) -> ResourceKey:
        return (self.region, self.rule_name, self.resource_type, self.resource_id)

    @classmethod
    def read(cls, fields: Fields, region: str) -> RemediationExecution:
        state = fields.required_text("State")
        if state not in EXECUTION_STATES:
            raise fields.fail("State", f"must be one of {', '.join(EXECUTION_STATES)}")
        invoked = fields.timestamp("InvocationTime") or CREATED
        return cls(
            rule_name=fields.required_text("ConfigRuleName"),
            region=fields.text("Region", region),
            resource_type=fields.required_text("ResourceType"),
            resource_id=fields.required_text("ResourceId"),
            state=state,
            invoked=invoked,
            updated=fields.timestamp("LastUpdatedTime") or invoked,
            automation_execution_id=fields.optional_text("AutomationExecutionId"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ConfigRuleName": self.rule_name,
            "Region": self.region,
            "ResourceType": self.resource_type,
            "ResourceId": self.resource_id,
            "State": self.state,
            "InvocationTime": timestamp_text(self.invoked),
            "LastUpdatedTime": timestamp_text(self.updated),
            "AutomationExecutionId": self.automation_execution_id,
        }


class ConfigState:
    """One account's AWS Config state in every region."""

    __slots__ = ("channels", "evaluations", "exceptions", "executions", "recorders", "remediations", "rules")

    def __init__(self) -> None:
        self.recorders: dict[str, ConfigurationRecorder] = {}
        """Region -> its configuration recorder."""
        self.channels: dict[str, DeliveryChannel] = {}
        """Region -> its delivery channel."""
        self.rules: dict[tuple[str, str], RuleRecord] = {}
        """(region, rule name) -> the rule."""
        self.evaluations: dict[ResourceKey, EvaluationRecord] = {}
        self.remediations: dict[tuple[str, str], RemediationConfiguration] = {}
        """(region, rule name) -> the rule's remediation configuration."""
        self.exceptions: dict[ResourceKey, RemediationException] = {}
        self.executions: dict[ResourceKey, RemediationExecution] = {}

    def copy(self) -> ConfigState:
        twin = ConfigState()
        for name in self.__slots__:
            setattr(twin, name, getattr(self, name).copy())
        return twin

    def put_rule(self, region: str, account: str, rule: ConfigRule, now: datetime) -> RuleRecord:
        """Hold ``rule`` in ``region`` (a rule of the same name keeps its id; a new one gets one from ``now``)."""
        existing = self.rules.get((region, rule.name))
        record = RuleRecord(
            rule=rule,
            region=region,
            rule_id=existing.rule_id if existing is not None else rule_id(account, region, rule.name, now),
            input_parameters=json.dumps(dict(rule.parameters)) if rule.parameters else None,
        )
        self.rules[(region, rule.name)] = record
        return record

    def read(self, root: Fields, region: str, account: str) -> None:
        """Read the world file's AWS Config sections into this (empty) state."""
        for fields in root.items("ConfigurationRecorders", RECORDER_KEYS):
            recorder = ConfigurationRecorder.read(fields, region)
            if recorder.region in self.recorders:
                raise fields.fail("Region", f"has a second configuration recorder ({recorder.region} has one)")
            self.recorders[recorder.region] = recorder
        for fields in root.items("DeliveryChannels", CHANNEL_KEYS):
            channel = DeliveryChannel.read(fields, region)
            if channel.region in self.channels:
                raise fields.fail("Region", f"has a second delivery channel ({channel.region} has one)")
            self.channels[channel.region] = channel
        for fields in root.items("ConfigRules", RULE_KEYS):
            rule = RuleRecord.read(fields, region, account)
            _unique(fields, "ConfigRuleName", (rule.region, rule.name), self.rules)
            self.rules[(rule.region, rule.name)] = rule
        for fields in root.items("EvaluationResults", EVALUATION_KEYS):
            evaluation = EvaluationRecord.read(fields, region, account)
            _unique(fields, "ResourceId", evaluation.key, self.evaluations)
            self.evaluations[evaluation.key] = evaluation
        for fields in root.items("RemediationConfigurations", (*REMEDIATION_KEYS, "Region")):
            where = fields.text("Region", region)
            try:
                remediation = RemediationConfiguration.read({k: v for k, v in fields.data.items() if k != "Region"})
            except ConfigError as err:
                key = str(err.path[0]) if err.path else "ConfigRuleName"
                raise fields.fail(key, f"is not valid: {err.message}") from err
            _unique(fields, "ConfigRuleName", (where, remediation.config_rule_name), self.remediations)
            self.remediations[(where, remediation.config_rule_name)] = remediation
        for fields in root.items("RemediationExceptions", EXCEPTION_KEYS):
            exception = RemediationException(
                config_rule_name=fields.required_text("ConfigRuleName"),
                resource_type=fields.required_text("ResourceType"),
                resource_id=fields.required_text("ResourceId"),
                message=fields.optional_text("Message"),
                expiration_time=fields.timestamp("ExpirationTime"),
            )
            where = fields.text("Region", region)
            place = (where, exception.config_rule_name, exception.resource_type, exception.resource_id)
            _unique(fields, "ResourceId", place, self.exceptions)
            self.exceptions[place] = exception
        for fields in root.items("RemediationExecutionStatuses", EXECUTION_STATUS_KEYS):
            execution = RemediationExecution.read(fields, region)
            _unique(fields, "ResourceId", execution.key, self.executions)
            self.executions[execution.key] = execution

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "ConfigurationRecorders": [self.recorders[where].to_dict() for where in sorted(self.recorders)],
            "DeliveryChannels": [self.channels[where].to_dict() for where in sorted(self.channels)],
            "ConfigRules": [self.rules[key].to_dict() for key in sorted(self.rules)],
            "EvaluationResults": [self.evaluations[key].to_dict() for key in sorted(self.evaluations)],
            "RemediationConfigurations": [
                {**self.remediations[key].to_dict(), "Region": key[0]} for key in sorted(self.remediations)
            ],
            "RemediationExceptions": [
                {**self.exceptions[key].to_dict(), "Region": key[0]} for key in sorted(self.exceptions)
            ],
            "RemediationExecutionStatuses": [self.executions[key].to_dict() for key in sorted(self.executions)],
        }


def _unique(fields: Fields, key: str, identity: object, table: dict[Any, Any]) -> None:
    if identity in table:
        raise fields.fail(key, "repeats an earlier entry")


def _mapping(fields: Fields, key: str, default: dict[str, Any]) -> dict[str, Any]:
    value = fields.data.get(key, default)
    if not isinstance(value, dict):
        raise fields.fail(key, "must be a mapping")
    copied: dict[str, Any] = copy_json(value)
    return copied
