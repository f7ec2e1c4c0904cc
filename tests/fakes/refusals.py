"""Shared worlds and requests for the CloudTrail refusal tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, allow_cloudtrail, trail, world
from toolkit.fakes.default import DEFAULT_BUCKET, default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

BUCKET = f"arn:aws:s3:::{DEFAULT_BUCKET}"
SHADOW_ARN = f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/global"
SOLO_ARN = f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/solo"
NEW_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/new-trail"
GOOD_ACL = allow_cloudtrail("s3:GetBucketAcl", BUCKET)
GOOD_WRITE = allow_cloudtrail("s3:PutObject", f"{BUCKET}/AWSLogs/{ACCOUNT}/*")


def elsewhere() -> World:
    """The default world plus a multi-region trail homed in eu-west-1 and a single-region one there."""
    return world(
        add={
            "Trails": [
                trail("global", HomeRegion="eu-west-1", IsMultiRegionTrail=True),
                trail("solo", HomeRegion="eu-west-1"),
            ]
        }
    )


def organization(**fields: Any) -> World:
    return world(Organization={**default_data()["Organization"], **fields})


def full(**params: Any) -> dict[str, Any]:
    return {"Name": "new-trail", "S3BucketName": DEFAULT_BUCKET, **params}


def five_trails() -> World:
    return world(add={"Trails": [trail(f"trail-{n}") for n in range(4)]})


def read_only_selectors() -> World:
    return world(Trails=[trail("main", EventSelectors=[{"ReadWriteType": "ReadOnly"}])])


Case = tuple[str, Any, str, dict[str, Any], str | None]
"""(id, world factory, operation, params, the error code expected or None for success)"""


def check_refusal(make: Any, operation: str, params: dict[str, Any], code: str | None) -> None:
    """The call fails with ``code`` and changes nothing (or, with None, succeeds)."""
    subject = make()
    before = subject.to_dict()
    backend = subject.backend()
    if code is None:
        backend.call("cloudtrail", operation, params)
        return
    with pytest.raises(AwsError) as caught:
        backend.call("cloudtrail", operation, params)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    assert subject.to_dict() == before
