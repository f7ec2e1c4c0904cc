"""Create the trail, or bring the trail homed in this region to the requested settings.

aws:executeScript handler ``handler(events, context)``. A trail of that name homed in another region is left
alone: the step fails naming its home region, since every change must be made there. So is an organization
trail another account owns (the management account's, seen from a member account): only its owner can change
it. AWS errors propagate as
botocore ``ClientError`` so the step's failure names the AWS error code; nothing is written before the checks
that can fail without AWS have passed.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

OPTIONAL_SETTINGS = (
    ("S3KeyPrefix", "S3KeyPrefix"),
    ("SnsTopicName", "SnsTopicName"),
    ("CloudWatchLogsLogGroupArn", "CloudWatchLogsLogGroupArn"),
    ("CloudWatchLogsRoleArn", "CloudWatchLogsRoleArn"),
)


def as_bool(value: Any) -> bool:
    """A Boolean runbook parameter, whether SSM passed it typed or as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"expected true or false, got {value!r}")


def desired_settings(events: dict[str, Any], kms_key_arn: str) -> dict[str, Any]:
    """The CreateTrail/UpdateTrail arguments the runbook's parameters ask for (empty optional ones left out)."""
    settings: dict[str, Any] = {
        "Name": events["TrailName"],
        "S3BucketName": events["S3BucketName"],
        "IsMultiRegionTrail": as_bool(events["IsMultiRegionTrail"]),
        "IncludeGlobalServiceEvents": as_bool(events["IncludeGlobalServiceEvents"]),
        "EnableLogFileValidation": as_bool(events["EnableLogFileValidation"]),
        "IsOrganizationTrail": as_bool(events["IsOrganizationTrail"]),
        "KmsKeyId": kms_key_arn,
    }
    for key, setting in OPTIONAL_SETTINGS:
        value = events.get(key) or ""
        if value:
            settings[setting] = value
    if ("CloudWatchLogsLogGroupArn" in settings) != ("CloudWatchLogsRoleArn" in settings):
        raise ValueError("CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn must be given together")
    return settings


def differences(trail: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    """The settings on which an existing trail (DescribeTrails shape) differs from the desired ones."""
    current = {
        "S3BucketName": trail.get("S3BucketName"),
        "IsMultiRegionTrail": bool(trail.get("IsMultiRegionTrail")),
        "IncludeGlobalServiceEvents": bool(trail.get("IncludeGlobalServiceEvents")),
        "EnableLogFileValidation": bool(trail.get("LogFileValidationEnabled")),
        "IsOrganizationTrail": bool(trail.get("IsOrganizationTrail")),
        "KmsKeyId": trail.get("KmsKeyId"),
        "S3KeyPrefix": trail.get("S3KeyPrefix"),
        "SnsTopicName": _topic_name(trail),
        "CloudWatchLogsLogGroupArn": trail.get("CloudWatchLogsLogGroupArn"),
        "CloudWatchLogsRoleArn": trail.get("CloudWatchLogsRoleArn"),
    }
    wanted = dict(settings)
    if "SnsTopicName" in wanted:
        wanted["SnsTopicName"] = wanted["SnsTopicName"].rsplit(":", 1)[-1]
    return [key for key, value in wanted.items() if key != "Name" and current.get(key) != value]


def _topic_name(trail: dict[str, Any]) -> str | None:
    arn = trail.get("SnsTopicARN")
    if arn:
        return str(arn).rsplit(":", 1)[-1]
    name = trail.get("SnsTopicName")
    return str(name) if name else None


def find_trail(trails: list[dict[str, Any]], name: str, region: str) -> tuple[dict[str, Any] | None, str | None]:
    """The trail homed here with this name, or (None, home region of the same-named trail homed elsewhere)."""
    same_name = [trail for trail in trails if trail.get("Name") == name]
    for trail in same_name:
        if trail.get("HomeRegion") == region:
            return trail, None
    if same_name:
        return None, str(same_name[0].get("HomeRegion"))
    return None, None


def owner(trail: dict[str, Any]) -> str:
    """The account in a trail's ARN: the management account for an organization trail."""
    parts = str(trail.get("TrailARN", "")).split(":")
    return parts[4] if len(parts) > 5 else ""


def handler(events: dict[str, Any], context: Any) -> dict[str, Any]:
    name = events["TrailName"]
    region = events["Region"]
    cloudtrail = boto3.client("cloudtrail")
    trails = cloudtrail.describe_trails(includeShadowTrails=True)["trailList"]
    account = events.get("Account") or ""
    others = [trail for trail in trails if trail.get("Name") == name and owner(trail) not in ("", account)]
    if account and others:
        raise ValueError(
            f"Trail {name} belongs to account {owner(others[0])} (an organization trail), not {account}: "
            "only that account can change it. Nothing was changed."
        )
    trail, elsewhere = find_trail(trails, name, region)
    if elsewhere is not None:
        raise ValueError(
            f"Trail {name} is homed in {elsewhere}, not {region}: run this remediation in {elsewhere}. "
            "Nothing was changed."
        )
    kms_key_arn = boto3.client("kms").describe_key(KeyId=events["KmsKeyId"])["KeyMetadata"]["Arn"]
    settings = desired_settings(events, kms_key_arn)
    if trail is None:
        try:
            created = cloudtrail.create_trail(**settings)
        except ClientError as err:
            if err.response["Error"]["Code"] != "TrailAlreadyExistsException":
                raise
            # Created by someone else since we looked: update it instead. Still no trail of that name here:
            # the name is taken by a trail homed in another region, which is what to report.
            try:
                updated = cloudtrail.update_trail(**settings)
            except ClientError as retry:
                if retry.response["Error"]["Code"] == "TrailNotFoundException":
                    raise err from None
                raise
            return _result(updated["TrailARN"], "updated", sorted(settings), kms_key_arn)
        return _result(created["TrailARN"], "created", sorted(key for key in settings if key != "Name"), kms_key_arn)
    changes = differences(trail, settings)
    if changes:
        cloudtrail.update_trail(**settings)
    return _result(trail["TrailARN"], "updated", changes, kms_key_arn)


def _result(arn: str, action: str, changes: list[str], kms_key_arn: str) -> dict[str, Any]:
    return {"TrailArn": arn, "Action": action, "Changes": changes, "KmsKeyArn": kms_key_arn}
