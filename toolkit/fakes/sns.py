"""Fake Amazon SNS: topics per region with their access policy.

Operations: GetTopicAttributes, ListTopics. A topic without a policy in the world file has SNS's default policy
(only the owning account may use it). Errors: ``NotFoundException`` "Topic does not exist" (status 404),
``InvalidParameterException`` for a malformed topic ARN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.params import req_str
from toolkit.fakes.policy import Policy
from toolkit.fakes.record import Record
from toolkit.fakes.worldfile import Fields, policy_json

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend, Operation

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


def find_topic(backend: FakeBackend, arn: str) -> Topic:
    parts = arn.split(":")
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sns":
        raise AwsError("InvalidParameterException", "Invalid parameter: TopicArn")
    topic = backend.world.topics.get((parts[3], parts[5]))
    if topic is None or parts[4] != backend.account or parts[3] != backend.region:
        raise AwsError("NotFoundException", "Topic does not exist", status=404)
    return topic


def get_topic_attributes(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = find_topic(backend, req_str(params, "TopicArn"))
    arn = topic.arn(backend.partition, backend.account)
    attributes = {
        "TopicArn": arn,
        "Owner": backend.account,
        "Policy": topic.effective_policy(backend.partition, backend.account).text(),
        "DisplayName": "",
        "SubscriptionsConfirmed": "0",
        "SubscriptionsPending": "0",
        "SubscriptionsDeleted": "0",
    }
    return {"Attributes": attributes}


def list_topics(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topics = sorted(topic.name for topic in backend.world.topics.values() if topic.region == backend.region)
    return {"Topics": [{"TopicArn": backend.arn("sns", name)} for name in topics]}


OPERATIONS: dict[str, Operation] = {
    "GetTopicAttributes": get_topic_attributes,
    "ListTopics": list_topics,
}
