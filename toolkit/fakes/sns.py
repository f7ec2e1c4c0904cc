"""Fake Amazon SNS: topics per region with their access policy.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.sns``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.fakes.policy import Policy
from toolkit.fakes.record import Record
from toolkit.fakes.worldfile import Fields, policy_json

TOPIC_KEYS = ("Name", "Region", "Policy")
TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(eq=True)
class Topic(Record):
    name: str
    region: str
    policy: Policy | None = None

    @classmethod
    def read(cls, fields: Fields, region: str) -> Topic:
        name = fields.required_text("Name")
        if not TOPIC_NAME.fullmatch(name):
            raise fields.fail("Name", "must be 1-256 letters, digits, hyphens or underscores")
        return cls(name=name, region=fields.text("Region", region), policy=fields.policy("Policy"))

    def to_dict(self) -> dict[str, Any]:
        return {"Name": self.name, "Region": self.region, "Policy": policy_json(self.policy)}

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:sns:{self.region}:{account}:{self.name}"

    def effective_policy(self, partition: str, account: str) -> Policy:
        """The topic policy, or SNS's default one (the owning account only) when none is set."""
        if self.policy is not None:
            return self.policy
        arn = self.arn(partition, account)
        return Policy(
            {
                "Version": "2008-10-17",
                "Id": "__default_policy_ID",
                "Statement": [
                    {
                        "Sid": "__default_statement_ID",
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": ["SNS:GetTopicAttributes", "SNS:Publish", "SNS:Subscribe"],
                        "Resource": arn,
                        "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
                    }
                ],
            }
        )
