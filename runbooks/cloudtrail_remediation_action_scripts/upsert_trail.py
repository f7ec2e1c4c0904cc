"""Create the trail, or bring the trail homed in this region to the requested settings.

aws:executeScript handler ``handler(events, context)``. A trail of that name homed in another region is left
alone: the step fails naming its home region, since every change must be made there. So is an organization
trail another account owns (the management account's, seen from a member account): only its owner can change
it. AWS errors propagate as
botocore ``ClientError`` so the step's failure names the AWS error code; nothing is written before the checks
that can fail without AWS have passed.

The log destination must stay in this account, or in an account ``AllowedLogAccountIds`` names (the central log
archive): a steered remediation (another account's bucket or key in its parameters) fails, naming the bucket or
key, before anything is written. The key: a key or alias ARN naming another account is refused without a call;
then KMS DescribeKey's ``KeyMetadata.AWSAccountId`` must be an allowed account. The bucket: S3's own owner check,
GetBucketLocation with ``ExpectedBucketOwner`` set to each allowed account in turn (this account first); S3
answers 403 AccessDenied unless that account owns the bucket, so a bucket none of them owns is refused (S3 never
tells who does own it). A bucket no account has (NoSuchBucket) is left to CloudTrail, which refuses it by name
(S3BucketDoesNotExistException), as before.
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


def allowed_accounts(events: dict[str, Any]) -> list[str]:
    """The accounts the log destination may belong to: this account, then AllowedLogAccountIds (each once)."""
    accounts = [events.get("Account") or "", *(events.get("AllowedLogAccountIds") or [])]
    return [account for index, account in enumerate(accounts) if account and account not in accounts[:index]]


def _among(allowed: list[str]) -> str:
    """``allowed`` in words: "this account (A)" or "this account (A) or AllowedLogAccountIds (B, C)"."""
    words = f"this account ({allowed[0]})" if allowed else "this account"
    return words + (f" or AllowedLogAccountIds ({', '.join(allowed[1:])})" if len(allowed) > 1 else "")


def key_arn_account(key_id: str) -> str | None:
    """The account a key ARN or alias ARN names; None for a key id or alias name (KMS resolves those in the
    caller's account)."""
    parts = key_id.split(":")
    return parts[4] if key_id.startswith("arn:") and len(parts) > 5 else None


def checked_key_arn(kms: Any, key_id: str, allowed: list[str]) -> str:
    """The key's ARN, once the key is known to belong to an allowed account (else ValueError naming its owner)."""
    named = key_arn_account(key_id)
    if named is not None and named not in allowed:
        raise ValueError(_foreign_key(key_id, named, allowed))
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    owner = str(metadata.get("AWSAccountId") or "")
    if owner not in allowed:
        raise ValueError(_foreign_key(key_id, owner, allowed))
    return str(metadata["Arn"])


def _foreign_key(key_id: str, owner: str, allowed: list[str]) -> str:
    return (
        f"KMS key {key_id} belongs to account {owner}, not to {_among(allowed)}: this runbook encrypts logs only "
        "with a key of those accounts. Nothing was changed."
    )


def check_bucket_owner(s3: Any, bucket: str, allowed: list[str]) -> str | None:
    """The allowed account that owns ``bucket``, as S3 confirms it (GetBucketLocation with ExpectedBucketOwner);
    None when no account has the bucket (CloudTrail names that itself); ValueError when none of them owns it."""
    answers: list[str] = []
    for account in allowed:
        try:
            s3.get_bucket_location(Bucket=bucket, ExpectedBucketOwner=account)
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code == "NoSuchBucket":
                return None
            if code not in ("AccessDenied", "403"):
                raise
            answers.append(str(err.response["Error"].get("Message") or code))
            continue
        return account
    said = "; ".join(dict.fromkeys(answers))
    raise ValueError(
        f"S3 bucket {bucket} is not owned by {_among(allowed)}: GetBucketLocation with ExpectedBucketOwner set to "
        f"each of them was refused ({said}), so another account owns it, or the automation role may not read its "
        "location. This runbook writes logs only to a bucket of those accounts. Nothing was changed."
    )


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
    # The runbook always passes its account; a caller of the handler alone may not (STS says whose it is).
    mine = account or str(boto3.client("sts").get_caller_identity()["Account"])
    allowed = allowed_accounts({**events, "Account": mine})
    kms_key_arn = checked_key_arn(boto3.client("kms"), events["KmsKeyId"], allowed)
    check_bucket_owner(boto3.client("s3"), events["S3BucketName"], allowed)
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
