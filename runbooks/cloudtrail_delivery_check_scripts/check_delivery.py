"""Is the trail delivering? Read GetTrailStatus and judge each delivery error by the times it reports.

aws:executeScript handler ``handler(events, context)``. Reads only. Returns ``Delivering`` (false when some delivery
error is current), ``Errors`` (each current error, ``Field: code``), ``Subject`` and ``Message`` (for the alarm,
or saying that the trail delivers).

A delivery error stays in GetTrailStatus after delivery has recovered (LatestDeliveryError is the latest error, not
a current one), so each error present is compared with the times of its kind of delivery:

- log files (LatestDeliveryError) and notifications (LatestNotificationError) have a latest attempt of their own
  (LatestDeliveryAttemptTime, LatestNotificationAttemptTime, ISO 8601 text): the error is current unless the latest
  successful delivery (LatestDeliveryTime, LatestNotificationTime) is at or after that attempt;
- digest files (LatestDigestDeliveryError) and CloudWatch Logs (LatestCloudWatchLogsDeliveryError) have no attempt
  time: the latest log-file attempt stands for it, and their latest success may trail it by up to ``SLACK`` (two
  hours: digest files are delivered once an hour, CloudWatch Logs within minutes) before the error counts;
- where GetTrailStatus gives no attempt time at all (the deprecated text fields can be empty), the check's own time
  stands for it, with the same ``SLACK``;
- an error with no successful delivery of its kind recorded is current.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

SLACK = timedelta(hours=2)
"""How much older than the reference attempt a success may be when the reference is not the error's own attempt."""
CHANNELS = (
    # (error field, what is delivered, latest success field, latest attempt field of its own or None)
    ("LatestDeliveryError", "log files", "LatestDeliveryTime", "LatestDeliveryAttemptTime"),
    ("LatestDigestDeliveryError", "digest files", "LatestDigestDeliveryTime", None),
    ("LatestNotificationError", "SNS notifications", "LatestNotificationTime", "LatestNotificationAttemptTime"),
    ("LatestCloudWatchLogsDeliveryError", "CloudWatch Logs events", "LatestCloudWatchLogsDeliveryTime", None),
)
SUBJECT_LIMIT = 100
"""SNS Publish: a subject is at most 100 characters."""


def instant(value: Any) -> datetime | None:
    """A GetTrailStatus time (a timestamp, or the deprecated ISO 8601 text, which may be empty) in UTC, or None."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return None


def text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_errors(status: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """The delivery errors of ``status`` (a GetTrailStatus answer) that no later success has overtaken, each
    ``{"Field", "Error", "What", "Since", "Attempt"}`` (Since: the latest success, None when there was none)."""
    log_attempt = instant(status.get("LatestDeliveryAttemptTime"))
    found = []
    for field, what, success_field, attempt_field in CHANNELS:
        error = status.get(field)
        if not error:
            continue
        success = instant(status.get(success_field))
        own = instant(status.get(attempt_field)) if attempt_field else None
        if own is not None:
            reference, slack = own, timedelta(0)
        else:
            reference, slack = (log_attempt or now), SLACK
        if success is None or success + slack < reference:
            found.append({"Field": field, "Error": str(error), "What": what, "Since": success, "Attempt": own})
    return found


def describe(trail: str, errors: list[dict[str, Any]], status: dict[str, Any]) -> str:
    """The alarm's text: the trail, each current error and since when delivery has failed."""
    lines = [f"CloudTrail trail {trail} is not delivering (GetTrailStatus):"]
    started = instant(status.get("StartLoggingTime"))
    for error in errors:
        line = f"- {error['What']}: {error['Field']} {error['Error']}; "
        if error["Since"] is not None:
            line += f"failing since the last successful delivery at {text(error['Since'])}"
        elif started is not None:
            line += f"no successful delivery since logging started at {text(started)}"
        else:
            line += "no successful delivery recorded"
        if error["Attempt"] is not None:
            line += f" (latest attempt {text(error['Attempt'])})"
        lines.append(line + ".")
    lines.append(f"Logging is {'on' if status.get('IsLogging') else 'off'}.")
    return "\n".join(lines)


def subject(trail: str) -> str:
    name = trail.rsplit("/", 1)[-1] if trail.startswith("arn:") else trail
    words = f"CloudTrail {name}: log delivery failing"
    return words if len(words) <= SUBJECT_LIMIT else words[: SUBJECT_LIMIT - 3] + "..."


def verdict(trail: str, status: dict[str, Any], now: datetime) -> dict[str, Any]:
    errors = current_errors(status, now)
    if not errors:
        return {
            "Delivering": True,
            "Errors": [],
            "Subject": "",
            "Message": f"CloudTrail trail {trail} delivers: no delivery error newer than its last successful delivery.",
        }
    return {
        "Delivering": False,
        "Errors": [f"{error['Field']}: {error['Error']}" for error in errors],
        "Subject": subject(trail),
        "Message": describe(trail, errors, status),
    }


def handler(events: dict[str, Any], context: Any) -> dict[str, Any]:
    trail = events["TrailName"]
    status = boto3.client("cloudtrail").get_trail_status(Name=trail)
    return verdict(trail, status, datetime.fromtimestamp(time.time(), UTC))
