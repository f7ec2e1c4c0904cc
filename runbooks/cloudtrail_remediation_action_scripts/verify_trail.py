"""Verify the trail's end state against the runbook's parameters; fail naming every setting that differs.

aws:executeScript handler ``handler(events, context)``. Reads only.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"expected true or false, got {value!r}")


def problems(
    events: dict[str, Any], trail: dict[str, Any], selectors: dict[str, Any], insights: list[str]
) -> list[str]:
    """What differs from the requested end state (empty when the trail meets it)."""
    found = []
    expected = {
        "IsMultiRegionTrail": as_bool(events["IsMultiRegionTrail"]),
        "IncludeGlobalServiceEvents": as_bool(events["IncludeGlobalServiceEvents"]),
        "LogFileValidationEnabled": as_bool(events["EnableLogFileValidation"]),
        "IsOrganizationTrail": as_bool(events["IsOrganizationTrail"]),
    }
    for key, value in expected.items():
        if bool(trail.get(key)) != value:
            found.append(f"{key} is {bool(trail.get(key))}, expected {value}")
    if trail.get("S3BucketName") != events["S3BucketName"]:
        found.append(f"S3BucketName is {trail.get('S3BucketName')}, expected {events['S3BucketName']}")
    if trail.get("KmsKeyId") != events["KmsKeyArn"]:
        found.append(f"KmsKeyId is {trail.get('KmsKeyId')}, expected {events['KmsKeyArn']}")
    for key in ("S3KeyPrefix", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn"):
        wanted = events.get(key) or ""
        if wanted and trail.get(key) != wanted:
            found.append(f"{key} is {trail.get(key)}, expected {wanted}")
    topic = events.get("SnsTopicName") or ""
    if topic:
        actual = str(trail.get("SnsTopicARN") or trail.get("SnsTopicName") or "").rsplit(":", 1)[-1]
        if actual != topic.rsplit(":", 1)[-1]:
            found.append(f"SnsTopicName is {actual or None}, expected {topic}")
    if not _all_management(selectors):
        found.append("event selectors do not record all read and write management events")
    missing = [kind for kind in INSIGHT_TYPES if kind not in insights]
    if missing:
        found.append(f"Insights missing: {', '.join(missing)}")
    return found


def _all_management(response: dict[str, Any]) -> bool:
    advanced = response.get("AdvancedEventSelectors") or []
    if advanced:
        plain = [{"Field": "eventCategory", "Equals": ["Management"]}]
        management = [
            selector
            for selector in advanced
            if any(
                field.get("Field") == "eventCategory" and field.get("Equals") == ["Management"]
                for field in selector.get("FieldSelectors") or []
            )
        ]
        return bool(management) and all((selector.get("FieldSelectors") or []) == plain for selector in management)
    basic = response.get("EventSelectors") or []
    records_all = any(
        selector.get("IncludeManagementEvents", True)
        and selector.get("ReadWriteType", "All") == "All"
        and not selector.get("ExcludeManagementEventSources")
        for selector in basic
    )
    return records_all and not any(selector.get("ExcludeManagementEventSources") for selector in basic)


def handler(events: dict[str, Any], context: Any) -> dict[str, Any]:
    cloudtrail = boto3.client("cloudtrail")
    name = events["TrailName"]
    trail = cloudtrail.get_trail(Name=name)["Trail"]
    selectors = cloudtrail.get_event_selectors(TrailName=name)
    try:
        insight_selectors = cloudtrail.get_insight_selectors(TrailName=name).get("InsightSelectors") or []
    except ClientError as err:
        if err.response["Error"]["Code"] != "InsightNotEnabledException":
            raise
        insight_selectors = []
    found = problems(events, trail, selectors, [item.get("InsightType") for item in insight_selectors])
    if found:
        raise ValueError("Trail does not meet the requested settings: " + "; ".join(found))
    return {"Verified": True}
