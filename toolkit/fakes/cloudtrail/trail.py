"""A CloudTrail trail: its settings, logging state, selectors and tags; the world file's form of it; and the
shapes the API returns it in.

Identity is (home region, name) within the account. ``kms_key_id`` is always the full key ARN. ``sns_topic_name``
keeps the name or ARN as it was given; responses carry both SnsTopicName (the name) and SnsTopicARN. Selectors are
kept in the API's full form (every member present), so GetEventSelectors returns what it always returns.
``delivery`` is what CloudTrail has recorded of its deliveries (``DeliveryRecord``, kept up to date by
``toolkit.fakes.cloudtrail.health``), None until a delivery was recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, Self

from toolkit.fakes.organizations import Organization
from toolkit.fakes.record import Record
from toolkit.fakes.requests import copy_json
from toolkit.fakes.worldfile import Fields, timestamp_text
from toolkit.records import MutableRecord
from toolkit.records import Record as FrozenRecord


class _HoldsOrganization(Protocol):
    @property
    def organization(self) -> Organization | None: ...


class Viewpoint(Protocol):
    """Where a trail is seen from (a ``FakeBackend``): its account and partition, and the world's organization.

    A protocol rather than the backend itself, since trails are state, below the backend that acts on them."""

    @property
    def account(self) -> str: ...

    @property
    def partition(self) -> str: ...

    @property
    def world(self) -> _HoldsOrganization: ...


DELIVERY_KEYS = (
    "LatestDeliveryAttemptTime",
    "LatestDeliveryTime",
    "LatestDeliveryError",
    "LatestDigestDeliveryTime",
    "LatestDigestDeliveryError",
    "LatestNotificationAttemptTime",
    "LatestNotificationTime",
    "LatestNotificationError",
    "LatestCloudWatchLogsDeliveryTime",
    "LatestCloudWatchLogsDeliveryError",
)
"""A trail's delivery record in the world file, by GetTrailStatus's names; written only once a delivery is recorded
(so a trail that never delivered is written as before)."""

TRAIL_KEYS = (
    "Name",
    "HomeRegion",
    "S3BucketName",
    "S3KeyPrefix",
    "SnsTopicName",
    "IncludeGlobalServiceEvents",
    "IsMultiRegionTrail",
    "LogFileValidationEnabled",
    "CloudWatchLogsLogGroupArn",
    "CloudWatchLogsRoleArn",
    "KmsKeyId",
    "IsOrganizationTrail",
    "RecursiveLogging",
    "IsLogging",
    "StartLoggingTime",
    "StopLoggingTime",
    "EventSelectors",
    "AdvancedEventSelectors",
    "HasCustomEventSelectors",
    "InsightSelectors",
    "Tags",
    *DELIVERY_KEYS,
)


def default_event_selectors() -> list[dict[str, Any]]:
    """What a trail created without selectors records: all read and write management events, no data events.

    AWS documents this default but not its form; the fake reports it as one basic selector (older CLI output
    shows this form; the 2023 guide shows an advanced "Management events selector" instead) [UNVERIFIED].
    """
    return [
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [],
            "ExcludeManagementEventSources": [],
        }
    ]


class DeliveryRecord(FrozenRecord):
    """What CloudTrail has recorded of a trail's deliveries, up to and including the attempt at ``attempt``
    (LatestDeliveryAttemptTime); what happens after it follows from the world (``toolkit.fakes.cloudtrail.health``).

    Each channel keeps the time of its latest success and the error of its latest attempt when that failed (None
    when it succeeded): log files to S3 (``delivered``, ``error``), digest files (``digest``, ``digest_error``),
    SNS notifications (``notified``, ``notification_error``, and the latest attempt ``notification_attempt``) and
    CloudWatch Logs (``cloudwatch``, ``cloudwatch_error``).

    A frozen record (``toolkit.records``; once a frozen dataclass): ``replace`` makes a changed copy."""

    __slots__ = (
        "attempt",
        "cloudwatch",
        "cloudwatch_error",
        "delivered",
        "digest",
        "digest_error",
        "error",
        "notification_attempt",
        "notification_error",
        "notified",
    )
    _FIELDS = (
        "attempt",
        "delivered",
        "error",
        "digest",
        "digest_error",
        "notification_attempt",
        "notified",
        "notification_error",
        "cloudwatch",
        "cloudwatch_error",
    )
    attempt: datetime
    delivered: datetime | None
    error: str | None
    digest: datetime | None
    digest_error: str | None
    notification_attempt: datetime | None
    notified: datetime | None
    notification_error: str | None
    cloudwatch: datetime | None
    cloudwatch_error: str | None

    def __init__(
        self,
        attempt: datetime,
        delivered: datetime | None = None,
        error: str | None = None,
        digest: datetime | None = None,
        digest_error: str | None = None,
        notification_attempt: datetime | None = None,
        notified: datetime | None = None,
        notification_error: str | None = None,
        cloudwatch: datetime | None = None,
        cloudwatch_error: str | None = None,
    ) -> None:
        object.__setattr__(self, "attempt", attempt)
        object.__setattr__(self, "delivered", delivered)
        object.__setattr__(self, "error", error)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "digest_error", digest_error)
        object.__setattr__(self, "notification_attempt", notification_attempt)
        object.__setattr__(self, "notified", notified)
        object.__setattr__(self, "notification_error", notification_error)
        object.__setattr__(self, "cloudwatch", cloudwatch)
        object.__setattr__(self, "cloudwatch_error", cloudwatch_error)

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (field names and new values), as ``dataclasses.replace`` made it."""
        values: dict[str, Any] = {name: getattr(self, name) for name in self._FIELDS}
        values.update(changes)
        return type(self)(**values)

    @classmethod
    def read(cls, fields: Fields) -> DeliveryRecord | None:
        """The record from a trail of the world file (None when it gives none of ``DELIVERY_KEYS``)."""
        data = fields.data
        if data.keys().isdisjoint(DELIVERY_KEYS) or all(data.get(key) is None for key in DELIVERY_KEYS):
            return None  # (the first test, in C, answers for the common trail that gives none of them)
        attempt = fields.timestamp("LatestDeliveryAttemptTime")
        if attempt is None:
            raise fields.fail(
                "LatestDeliveryAttemptTime", "is required with the other delivery keys (they are recorded up to it)"
            )
        record = cls(
            attempt=attempt,
            delivered=fields.timestamp("LatestDeliveryTime"),
            error=fields.optional_text("LatestDeliveryError") or None,
            digest=fields.timestamp("LatestDigestDeliveryTime"),
            digest_error=fields.optional_text("LatestDigestDeliveryError") or None,
            notification_attempt=fields.timestamp("LatestNotificationAttemptTime"),
            notified=fields.timestamp("LatestNotificationTime"),
            notification_error=fields.optional_text("LatestNotificationError") or None,
            cloudwatch=fields.timestamp("LatestCloudWatchLogsDeliveryTime"),
            cloudwatch_error=fields.optional_text("LatestCloudWatchLogsDeliveryError") or None,
        )
        for key, value in zip(DELIVERY_KEYS, record.values(), strict=True):
            if isinstance(value, datetime) and value > attempt:
                raise fields.fail(key, "cannot be later than LatestDeliveryAttemptTime")
        return record

    def values(self) -> tuple[datetime | str | None, ...]:
        """The record's values in the order of ``DELIVERY_KEYS``."""
        return (
            self.attempt,
            self.delivered,
            self.error,
            self.digest,
            self.digest_error,
            self.notification_attempt,
            self.notified,
            self.notification_error,
            self.cloudwatch,
            self.cloudwatch_error,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            key: timestamp_text(value) if isinstance(value, datetime) else value
            for key, value in zip(DELIVERY_KEYS, self.values(), strict=True)
        }


class Trail(Record, MutableRecord):
    _FIELDS = (
        "name",
        "home_region",
        "s3_bucket_name",
        "s3_key_prefix",
        "sns_topic_name",
        "include_global_service_events",
        "is_multi_region_trail",
        "log_file_validation_enabled",
        "cloud_watch_logs_log_group_arn",
        "cloud_watch_logs_role_arn",
        "kms_key_id",
        "is_organization_trail",
        "recursive_logging",
        "is_logging",
        "start_logging_time",
        "stop_logging_time",
        "event_selectors",
        "advanced_event_selectors",
        "has_custom_event_selectors",
        "insight_selectors",
        "tags",
        "delivery",
    )
    name: str
    home_region: str
    s3_bucket_name: str
    s3_key_prefix: str | None
    sns_topic_name: str | None
    include_global_service_events: bool
    is_multi_region_trail: bool
    log_file_validation_enabled: bool
    cloud_watch_logs_log_group_arn: str | None
    cloud_watch_logs_role_arn: str | None
    kms_key_id: str | None
    is_organization_trail: bool
    recursive_logging: bool | None
    is_logging: bool
    start_logging_time: datetime | None
    stop_logging_time: datetime | None
    event_selectors: list[dict[str, Any]]
    advanced_event_selectors: list[dict[str, Any]]
    has_custom_event_selectors: bool
    insight_selectors: list[dict[str, Any]]
    tags: dict[str, str | None]
    delivery: DeliveryRecord | None

    def __init__(
        self,
        name: str,
        home_region: str,
        s3_bucket_name: str,
        s3_key_prefix: str | None = None,
        sns_topic_name: str | None = None,
        include_global_service_events: bool = True,
        is_multi_region_trail: bool = False,
        log_file_validation_enabled: bool = False,
        cloud_watch_logs_log_group_arn: str | None = None,
        cloud_watch_logs_role_arn: str | None = None,
        kms_key_id: str | None = None,
        is_organization_trail: bool = False,
        recursive_logging: bool | None = None,
        is_logging: bool = False,
        start_logging_time: datetime | None = None,
        stop_logging_time: datetime | None = None,
        event_selectors: list[dict[str, Any]] | None = None,
        advanced_event_selectors: list[dict[str, Any]] | None = None,
        has_custom_event_selectors: bool = False,
        insight_selectors: list[dict[str, Any]] | None = None,
        tags: dict[str, str | None] | None = None,
        delivery: DeliveryRecord | None = None,
    ) -> None:
        self.name = name
        self.home_region = home_region
        self.s3_bucket_name = s3_bucket_name
        self.s3_key_prefix = s3_key_prefix
        self.sns_topic_name = sns_topic_name
        self.include_global_service_events = include_global_service_events
        self.is_multi_region_trail = is_multi_region_trail
        self.log_file_validation_enabled = log_file_validation_enabled
        self.cloud_watch_logs_log_group_arn = cloud_watch_logs_log_group_arn
        self.cloud_watch_logs_role_arn = cloud_watch_logs_role_arn
        self.kms_key_id = kms_key_id
        self.is_organization_trail = is_organization_trail
        self.recursive_logging = recursive_logging
        self.is_logging = is_logging
        self.start_logging_time = start_logging_time
        self.stop_logging_time = stop_logging_time
        self.event_selectors = default_event_selectors() if event_selectors is None else event_selectors
        self.advanced_event_selectors = [] if advanced_event_selectors is None else advanced_event_selectors
        self.has_custom_event_selectors = has_custom_event_selectors
        self.insight_selectors = [] if insight_selectors is None else insight_selectors
        self.tags = {} if tags is None else tags
        self.delivery = delivery

    @classmethod
    def read(cls, fields: Fields, region: str) -> Trail:
        """A trail from the world file; keys left out take CreateTrail's defaults.

        The world then checks it, completes its selectors, resolves KmsKeyId and works out HasCustomEventSelectors
        when the file leaves it out (``toolkit.fakes.world``).
        """
        basic = fields.structures("EventSelectors")
        advanced = fields.structures("AdvancedEventSelectors")
        recursive = None if fields.data.get("RecursiveLogging") is None else fields.flag("RecursiveLogging", True)
        return cls(
            name=fields.required_text("Name"),
            home_region=fields.text("HomeRegion", region),
            s3_bucket_name=fields.required_text("S3BucketName"),
            s3_key_prefix=fields.optional_text("S3KeyPrefix") or None,
            sns_topic_name=fields.optional_text("SnsTopicName") or None,
            include_global_service_events=fields.flag("IncludeGlobalServiceEvents", True),
            is_multi_region_trail=fields.flag("IsMultiRegionTrail", False),
            log_file_validation_enabled=fields.flag("LogFileValidationEnabled", False),
            cloud_watch_logs_log_group_arn=fields.optional_text("CloudWatchLogsLogGroupArn") or None,
            cloud_watch_logs_role_arn=fields.optional_text("CloudWatchLogsRoleArn") or None,
            kms_key_id=fields.optional_text("KmsKeyId") or None,
            is_organization_trail=fields.flag("IsOrganizationTrail", False),
            recursive_logging=recursive,
            is_logging=fields.flag("IsLogging", False),
            start_logging_time=fields.timestamp("StartLoggingTime"),
            stop_logging_time=fields.timestamp("StopLoggingTime"),
            event_selectors=basic if basic or advanced else default_event_selectors(),
            advanced_event_selectors=advanced,
            has_custom_event_selectors=fields.flag("HasCustomEventSelectors", False),
            insight_selectors=fields.structures("InsightSelectors"),
            tags=fields.string_map("Tags"),
            delivery=DeliveryRecord.read(fields),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "HomeRegion": self.home_region,
            "S3BucketName": self.s3_bucket_name,
            "S3KeyPrefix": self.s3_key_prefix,
            "SnsTopicName": self.sns_topic_name,
            "IncludeGlobalServiceEvents": self.include_global_service_events,
            "IsMultiRegionTrail": self.is_multi_region_trail,
            "LogFileValidationEnabled": self.log_file_validation_enabled,
            "CloudWatchLogsLogGroupArn": self.cloud_watch_logs_log_group_arn,
            "CloudWatchLogsRoleArn": self.cloud_watch_logs_role_arn,
            "KmsKeyId": self.kms_key_id,
            "IsOrganizationTrail": self.is_organization_trail,
            "RecursiveLogging": self.recursive_logging,
            "IsLogging": self.is_logging,
            "StartLoggingTime": timestamp_text(self.start_logging_time),
            "StopLoggingTime": timestamp_text(self.stop_logging_time),
            "EventSelectors": copy_json(self.event_selectors),
            "AdvancedEventSelectors": copy_json(self.advanced_event_selectors),
            "HasCustomEventSelectors": self.has_custom_event_selectors,
            "InsightSelectors": copy_json(self.insight_selectors),
            "Tags": dict(self.tags),
            **(self.delivery.to_dict() if self.delivery is not None else {}),
        }

    # -- identity ------------------------------------------------------------------------------------------

    def owner(self, backend: Viewpoint) -> str:
        """The account whose id the trail's ARN carries: an organization trail's is the management account."""
        organization = backend.world.organization
        if self.is_organization_trail and organization is not None:
            return organization.management_account
        return backend.account

    def arn(self, backend: Viewpoint) -> str:
        owner = self.owner(backend)
        cached = self.__dict__.get("_arn")
        if cached is not None and cached[0] == backend.partition and cached[1] == owner:
            return str(cached[2])
        arn = f"arn:{backend.partition}:cloudtrail:{self.home_region}:{owner}:trail/{self.name}"
        # Name and home region never change, so the ARN is kept (clones share it) per partition and owner.
        self.__dict__["_arn"] = (backend.partition, owner, arn)
        return arn

    def visible_in(self, region: str) -> bool:
        """Homed in ``region``, or a multi-region trail whose shadow ``region`` holds."""
        return self.home_region == region or self.is_multi_region_trail

    def topic_arn(self, backend: Viewpoint) -> str | None:
        topic = self.sns_topic_name
        if not topic:
            return None
        if topic.startswith("arn:"):
            return topic
        return f"arn:{backend.partition}:sns:{self.home_region}:{backend.account}:{topic}"

    # -- response shapes -----------------------------------------------------------------------------------

    def summary(self, backend: Viewpoint) -> dict[str, Any]:
        """The CreateTrail/UpdateTrail response (no HomeRegion, no Has* flags); absent settings left out."""
        topic_arn = self.topic_arn(backend)
        response: dict[str, Any] = {"Name": self.name, "S3BucketName": self.s3_bucket_name}
        if self.s3_key_prefix:
            response["S3KeyPrefix"] = self.s3_key_prefix
        if topic_arn:
            response["SnsTopicName"] = topic_arn.rsplit(":", 1)[-1]
            response["SnsTopicARN"] = topic_arn
        response["IncludeGlobalServiceEvents"] = self.include_global_service_events
        response["IsMultiRegionTrail"] = self.is_multi_region_trail
        response["TrailARN"] = self.arn(backend)
        response["LogFileValidationEnabled"] = self.log_file_validation_enabled
        if self.cloud_watch_logs_log_group_arn:
            response["CloudWatchLogsLogGroupArn"] = self.cloud_watch_logs_log_group_arn
        if self.cloud_watch_logs_role_arn:
            response["CloudWatchLogsRoleArn"] = self.cloud_watch_logs_role_arn
        if self.kms_key_id:
            response["KmsKeyId"] = self.kms_key_id
        response["IsOrganizationTrail"] = self.is_organization_trail
        if self.recursive_logging is not None:
            response["RecursiveLogging"] = self.recursive_logging
        return response

    def describe(self, backend: Viewpoint) -> dict[str, Any]:
        """The ``Trail`` shape of DescribeTrails and GetTrail."""
        response = self.summary(backend)
        response["HomeRegion"] = self.home_region
        response["HasCustomEventSelectors"] = self.has_custom_event_selectors
        response["HasInsightSelectors"] = bool(self.insight_selectors)
        return response

    def info(self, backend: Viewpoint) -> dict[str, Any]:
        """The ``TrailInfo`` shape of ListTrails."""
        return {"TrailARN": self.arn(backend), "Name": self.name, "HomeRegion": self.home_region}
