"""Fake Amazon S3: buckets (one global namespace, each in a region) and their bucket policies.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.s3``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.fakes.policy import Policy
from toolkit.fakes.record import Record
from toolkit.fakes.worldfile import Fields, policy_json

BUCKET_KEYS = ("Name", "Region", "Policy")
BUCKET_NAME = re.compile(r"(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
"""The canonical user id ListBuckets reports as the owner (AWS's documentation example)."""


@dataclass(eq=True)
class Bucket(Record):
    name: str
    region: str
    policy: Policy | None = None

    @classmethod
    def read(cls, fields: Fields, region: str) -> Bucket:
        name = fields.required_text("Name")
        if not BUCKET_NAME.fullmatch(name):
            raise fields.fail("Name", "must be a bucket name: 3-63 lower-case letters, digits, dots and hyphens")
        return cls(
            name=name,
            region=fields.text("Region", region),
            policy=fields.policy("Policy"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"Name": self.name, "Region": self.region, "Policy": policy_json(self.policy)}

    def arn(self, partition: str) -> str:
        return f"arn:{partition}:s3:::{self.name}"
