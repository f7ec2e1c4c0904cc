"""Fake Amazon CloudWatch Logs: log groups per region (with their streams and events, retention, KMS key, tags and
metric filters) and the account's resource policies per region.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.logs`` (groups,
tags, retention, keys, resource policies, metric filters) and ``toolkit.fakes.services.log_events`` (streams and
events). Every record is replaced, never changed in place (``toolkit.fakes.record``): a group's streams and metric
filters are mappings that an operation copies before changing, and a stream's events are a tuple.

World-file keys are the API's member names in the world file's PascalCase (``retentionInDays`` is
``RetentionInDays``), each declared next to its field. Event times are epoch milliseconds, as the API gives them;
creation and update times are ISO 8601 timestamps, as elsewhere in the world file.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields, timestamp_text

LOG_GROUP_KEYS = (
    "Name",
    "Region",
    "CreationTime",
    "RetentionInDays",
    "KmsKeyId",
    "LogGroupClass",
    "Tags",
    "Streams",
    "MetricFilters",
)
LOG_STREAM_KEYS = ("Name", "CreationTime", "Events")
LOG_EVENT_KEYS = ("Timestamp", "Message", "IngestionTime")
METRIC_FILTER_KEYS = ("FilterName", "FilterPattern", "MetricTransformations", "CreationTime")
METRIC_TRANSFORMATION_KEYS = ("MetricName", "MetricNamespace", "MetricValue", "DefaultValue", "Unit", "Dimensions")
LOG_RESOURCE_POLICY_KEYS = ("PolicyName", "Region", "PolicyDocument", "LastUpdatedTime")

LOG_GROUP_NAME = re.compile(r"[\w./#-]{1,512}")
LOG_STREAM_NAME = re.compile(r"[^:*]{1,512}")
CREATED_MILLIS = int(CREATED.timestamp() * 1000)
RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
"""PutRetentionPolicy's allowed values (API reference, PutRetentionPolicy, retentionInDays)."""
LOG_GROUP_CLASSES = ("STANDARD", "INFREQUENT_ACCESS", "DELIVERY", "ESSENTIALS")
MAX_TAGS = 50
MAX_RESOURCE_POLICIES = 10
"""Resource policies per account and region (CloudWatch Logs quotas: "This quota can't be changed")."""

LogEvent = tuple[int, str, int]
"""One stored event: (timestamp, message, ingestion time), times in epoch milliseconds."""

# The API's metric transformation members and their world-file keys, declared pair by pair.
_TRANSFORMATION_MEMBERS = (
    ("metricName", "MetricName"),
    ("metricNamespace", "MetricNamespace"),
    ("metricValue", "MetricValue"),
    ("defaultValue", "DefaultValue"),
    ("unit", "Unit"),
    ("dimensions", "Dimensions"),
)


def millis(moment: datetime | None) -> int:
    """A time as the Logs API gives it: epoch milliseconds (CREATED when unknown)."""
    return CREATED_MILLIS if moment is None else int(moment.timestamp() * 1000)


@dataclass(eq=True)
class LogStream(Record):
    name: str
    creation_time: datetime | None = None
    events: tuple[LogEvent, ...] = ()

    @classmethod
    def read(cls, fields: Fields) -> LogStream:
        name = fields.required_text("Name")
        if not LOG_STREAM_NAME.fullmatch(name):
            raise fields.fail("Name", "must be 1-512 characters other than : and *")
        events = []
        for item in fields.items("Events", LOG_EVENT_KEYS):
            message = item.required_text("Message")
            events.append((_millis(item, "Timestamp"), message, _millis(item, "IngestionTime")))
        if any(later[0] < earlier[0] for earlier, later in itertools.pairwise(events)):
            raise fields.fail("Events", "must be in chronological order")
        return cls(name=name, creation_time=fields.timestamp("CreationTime"), events=tuple(events))

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "CreationTime": timestamp_text(self.creation_time),
            "Events": [
                {"Timestamp": timestamp, "Message": message, "IngestionTime": ingested}
                for timestamp, message, ingested in self.events
            ],
        }


@dataclass(eq=True)
class MetricFilter(Record):
    name: str
    pattern: str
    transformations: tuple[dict[str, Any], ...]
    """In the API's form (``metricName``...), as DescribeMetricFilters returns them; never changed in place."""
    creation_time: datetime | None = None

    @classmethod
    def read(cls, fields: Fields) -> MetricFilter:
        name = fields.required_text("FilterName")
        if not LOG_STREAM_NAME.fullmatch(name):
            raise fields.fail("FilterName", "must be 1-512 characters other than : and *")
        pattern = fields.optional_text("FilterPattern") or ""
        transformations = []
        for item in fields.items("MetricTransformations", METRIC_TRANSFORMATION_KEYS):
            transformation: dict[str, Any] = {}
            for member, key in _TRANSFORMATION_MEMBERS:
                value = item.data.get(key)
                if value is None:
                    if key in ("MetricName", "MetricNamespace", "MetricValue"):
                        raise item.fail(key, "is required")
                    continue
                if key == "DefaultValue":
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        raise item.fail(key, "must be a number")
                    value = float(value)
                elif key == "Dimensions":
                    value = {name: text for name, text in item.string_map(key).items() if text is not None}
                elif not isinstance(value, str):
                    raise item.fail(key, "must be a string")
                transformation[member] = value
            transformations.append(transformation)
        if len(transformations) != 1:
            raise fields.fail("MetricTransformations", "must hold exactly one transformation")
        return cls(
            name=name,
            pattern=pattern,
            transformations=tuple(transformations),
            creation_time=fields.timestamp("CreationTime"),
        )

    def to_dict(self) -> dict[str, Any]:
        transformations = []
        for transformation in self.transformations:
            entry: dict[str, Any] = {}
            for member, key in _TRANSFORMATION_MEMBERS:
                value = transformation.get(member)
                entry[key] = dict(value) if isinstance(value, dict) else value
            transformations.append(entry)
        return {
            "FilterName": self.name,
            "FilterPattern": self.pattern,
            "MetricTransformations": transformations,
            "CreationTime": timestamp_text(self.creation_time),
        }


@dataclass(eq=True)
class LogGroup(Record):
    name: str
    region: str
    creation_time: datetime | None = None
    retention_in_days: int | None = None
    kms_key_id: str | None = None
    log_group_class: str = "STANDARD"
    tags: dict[str, str] = field(default_factory=dict)
    streams: dict[str, LogStream] = field(default_factory=dict)
    metric_filters: dict[str, MetricFilter] = field(default_factory=dict)

    @classmethod
    def read(cls, fields: Fields, region: str) -> LogGroup:
        name = fields.required_text("Name")
        if not LOG_GROUP_NAME.fullmatch(name):
            raise fields.fail("Name", "must be 1-512 letters, digits or the characters _ - . / #")
        retention = fields.data.get("RetentionInDays")
        if retention is not None and (isinstance(retention, bool) or retention not in RETENTION_DAYS):
            raise fields.fail("RetentionInDays", f"must be one of {', '.join(map(str, RETENTION_DAYS))}")
        group_class = fields.text("LogGroupClass", "STANDARD")
        if group_class not in LOG_GROUP_CLASSES:
            raise fields.fail("LogGroupClass", f"must be one of {', '.join(LOG_GROUP_CLASSES)}")
        tags = fields.string_map("Tags")
        if any(value is None for value in tags.values()) or len(tags) > MAX_TAGS:
            raise fields.fail("Tags", f"must map at most {MAX_TAGS} keys to strings")
        streams: dict[str, LogStream] = {}
        for item in fields.items("Streams", LOG_STREAM_KEYS):
            stream = LogStream.read(item)
            if stream.name in streams:
                raise item.fail("Name", "repeats an earlier stream")
            streams[stream.name] = stream
        filters: dict[str, MetricFilter] = {}
        for item in fields.items("MetricFilters", METRIC_FILTER_KEYS):
            metric_filter = MetricFilter.read(item)
            if metric_filter.name in filters:
                raise item.fail("FilterName", "repeats an earlier metric filter")
            filters[metric_filter.name] = metric_filter
        return cls(
            name=name,
            region=fields.text("Region", region),
            creation_time=fields.timestamp("CreationTime"),
            retention_in_days=retention,
            kms_key_id=fields.optional_text("KmsKeyId") or None,
            log_group_class=group_class,
            tags={key: value for key, value in tags.items() if value is not None},
            streams=streams,
            metric_filters=filters,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Region": self.region,
            "CreationTime": timestamp_text(self.creation_time),
            "RetentionInDays": self.retention_in_days,
            "KmsKeyId": self.kms_key_id,
            "LogGroupClass": self.log_group_class,
            "Tags": dict(sorted(self.tags.items())),
            "Streams": [self.streams[name].to_dict() for name in sorted(self.streams)],
            "MetricFilters": [self.metric_filters[name].to_dict() for name in sorted(self.metric_filters)],
        }

    def arn(self, partition: str, account: str) -> str:
        """The log group's ARN without the ``:*`` suffix (``logGroupArn``)."""
        return f"arn:{partition}:logs:{self.region}:{account}:log-group:{self.name}"


@dataclass(eq=True)
class LogResourcePolicy(Record):
    """An account-level resource policy (PutResourcePolicy without resourceArn), in one region."""

    name: str
    region: str
    document: str
    """The policy document exactly as PutResourcePolicy received it: DescribeResourcePolicies returns this text."""
    last_updated_time: datetime | None = None

    @classmethod
    def read(cls, fields: Fields, region: str) -> LogResourcePolicy:
        name = fields.required_text("PolicyName")
        document = fields.data.get("PolicyDocument")
        if isinstance(document, dict):
            document = json.dumps(document, separators=(",", ":"))
        if not isinstance(document, str) or not document:
            raise fields.fail("PolicyDocument", "is required: the policy document (its JSON text, or a mapping)")
        if not persistable_policy(document):
            raise fields.fail("PolicyDocument", "is not a policy CloudWatch Logs would keep")
        return cls(
            name=name,
            region=fields.text("Region", region),
            document=document,
            last_updated_time=fields.timestamp("LastUpdatedTime"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "PolicyName": self.name,
            "Region": self.region,
            "PolicyDocument": self.document,
            "LastUpdatedTime": timestamp_text(self.last_updated_time),
        }


PRINCIPAL_KINDS = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})


def persistable_policy(document: str) -> bool:
    """Whether PutResourcePolicy keeps ``document`` (else "Could not convert to persistable policy."): a JSON object
    whose statements each have an Effect, actions and, if any, a well-formed principal."""
    try:
        data = json.loads(document)
    except ValueError:
        return False
    statements = data.get("Statement") if isinstance(data, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        return False
    return all(_persistable_statement(statement) for statement in statements)


def _persistable_statement(statement: object) -> bool:
    if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
        return False
    if not _strings(statement.get("Action", statement.get("NotAction"))):
        return False
    principal = statement.get("Principal", statement.get("NotPrincipal"))
    if principal is None or principal == "*":
        return True
    if not isinstance(principal, dict) or not principal:
        return False
    for kind, names in principal.items():
        listed = _strings(names)
        if kind not in PRINCIPAL_KINDS or not listed:
            return False
        if kind == "AWS" and not all(
            name == "*" or name.startswith("arn:") or (name.isdigit() and len(name) == 12) for name in listed
        ):
            return False
    return True


def _strings(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return value
    return None


def read_resource_policies(root: Fields, region: str) -> dict[tuple[str, str], LogResourcePolicy]:
    """The world file's ``LogResourcePolicies``: (region, name) -> policy, at most ten per region."""
    found: dict[tuple[str, str], LogResourcePolicy] = {}
    for fields in root.items("LogResourcePolicies", LOG_RESOURCE_POLICY_KEYS):
        policy = LogResourcePolicy.read(fields, region)
        if (policy.region, policy.name) in found:
            raise fields.fail("PolicyName", "repeats an earlier entry")
        if sum(1 for where, _ in found if where == policy.region) >= MAX_RESOURCE_POLICIES:
            raise fields.fail("PolicyName", f"is one policy too many: {policy.region} holds at most ten")
        found[(policy.region, policy.name)] = policy
    return found


def write_resource_policies(policies: dict[tuple[str, str], LogResourcePolicy]) -> list[dict[str, Any]]:
    return [policies[where].to_dict() for where in sorted(policies)]


def _millis(fields: Fields, key: str) -> int:
    value = fields.data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fields.fail(key, "must be epoch milliseconds (a whole number)")
    return value
