"""World data for the fake-service tests: the default world with one thing changed."""

from __future__ import annotations

from typing import Any

from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ID, default_data
from toolkit.fakes.world import World

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{DEFAULT_KEY_ID}"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main"
CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}


def world(add: dict[str, list[Any]] | None = None, **replace: Any) -> World:
    """The default world with top-level keys replaced (``Keys=[...]``) and entries added to sections (``add``)."""
    data = {**default_data(), **replace}
    for section, entries in (add or {}).items():
        data[section] = [*data[section], *entries]
    return World.from_dict(data)


def trail(name: str, **fields: Any) -> dict[str, Any]:
    return {"Name": name, "S3BucketName": DEFAULT_BUCKET, **fields}


def bucket_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow_cloudtrail(action: str, resource: str, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": action, "Resource": resource}
    if condition is not None:
        statement["Condition"] = condition
    return statement


def with_bucket_policy(policy: dict[str, Any] | None, name: str = DEFAULT_BUCKET, region: str = "us-east-1") -> World:
    return world(Buckets=[{"Name": name, "Region": region, "Policy": policy}])


def with_key(**fields: Any) -> World:
    key = {**default_data()["Keys"][0], **fields}
    return world(Keys=[key])
