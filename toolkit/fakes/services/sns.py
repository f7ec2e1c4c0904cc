"""The fake SNS's operations (``OPERATIONS``) on the state in ``toolkit.fakes.sns``.

Operations: GetTopicAttributes, ListTopics. A topic without a policy in the world file has SNS's default policy
(only the owning account may use it). Errors: ``NotFoundException`` "Topic does not exist" (status 404),
``InvalidParameterException`` for a malformed topic ARN.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import req_str
from toolkit.fakes.sns import Topic


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
