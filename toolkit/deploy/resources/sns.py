"""AWS::SNS::Topic, AWS::SNS::TopicPolicy and AWS::SNS::Subscription, created as CloudFormation creates them through
the fake SNS: CreateTopic (attributes and tags), then Subscribe for each inline subscription; SetTopicAttributes
(Policy) for each topic a policy names; Subscribe with the subscription's attributes.

CreateTopic answers an existing topic of the same name with its ARN; CloudFormation refuses to create a topic that
exists, so a topic of that name already in the region is refused (AlreadyExists). A FIFO topic left unnamed gets a
generated name ending in ``.fifo``.
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Resource
from toolkit.fakes.errors import AwsError

TOPIC_ATTRIBUTES: Final = (
    "DisplayName",
    "KmsMasterKeyId",
    "FifoTopic",
    "ContentBasedDeduplication",
    "SignatureVersion",
    "TracingConfig",
)
"""Topic properties that are CreateTopic attributes of the same name."""
SUBSCRIPTION_ATTRIBUTES: Final = {
    "FilterPolicy": True,
    "FilterPolicyScope": False,
    "RawMessageDelivery": False,
    "RedrivePolicy": True,
    "DeliveryPolicy": True,
    "ReplayPolicy": True,
    "SubscriptionRoleArn": False,
}
"""Subscription properties that are Subscribe attributes of the same name (True: a JSON document)."""


def topic(resource: Resource) -> Physical:
    properties = resource.accept((*TOPIC_ATTRIBUTES, "TopicName", "Subscription", "Tags"))
    fifo = resource.boolean(properties.get("FifoTopic", False), "FifoTopic")
    if "TopicName" in properties:
        name = resource.text(properties["TopicName"], "TopicName")
    elif fifo:
        name = resource.stack.generated_name(resource.logical_id, 251) + ".fifo"
    else:
        name = resource.stack.generated_name(resource.logical_id, 256)
    arn = resource.arn("sns", name)
    try:
        resource.backend.call("sns", "GetTopicAttributes", {"TopicArn": arn})
    except AwsError as err:
        if err.code != "NotFound":
            raise resource.error(f"sns GetTopicAttributes failed: {err.code}: {err.message}") from err
    else:
        raise resource.already_exists(arn)
    attributes = {key: resource.text(properties[key], key) for key in TOPIC_ATTRIBUTES if key in properties}
    create: dict[str, Any] = {"Name": name}
    if attributes:
        create["Attributes"] = attributes
    if "Tags" in properties:
        create["Tags"] = resource.tags()
    arn = str(resource.call("sns", "CreateTopic", create)["TopicArn"])
    for entry in resource.items(properties.get("Subscription", []), "Subscription"):
        given = resource.mapping(entry, "Subscription")
        if set(given) != {"Endpoint", "Protocol"}:
            raise resource.error("property Subscription must be a list of {Endpoint, Protocol}")
        subscribe = {
            "TopicArn": arn,
            "Protocol": resource.text(given["Protocol"], "Subscription.Protocol"),
            "Endpoint": resource.text(given["Endpoint"], "Subscription.Endpoint"),
        }
        resource.call("sns", "Subscribe", subscribe)
    return Physical(arn, {"TopicArn": arn, "TopicName": name})


def topic_policy(resource: Resource) -> Physical:
    properties = resource.accept(("Topics", "PolicyDocument"), required=("Topics", "PolicyDocument"))
    policy = resource.json_text(properties["PolicyDocument"], "PolicyDocument")
    for arn in resource.items(properties["Topics"], "Topics"):
        text = resource.text(arn, "Topics")
        params = {"TopicArn": text, "AttributeName": "Policy", "AttributeValue": policy}
        resource.call("sns", "SetTopicAttributes", params, backend=_backend_of(resource, text))
    return Physical(resource.stack.generated_name(resource.logical_id, 255))


def subscription(resource: Resource) -> Physical:
    properties = resource.accept(
        ("TopicArn", "Protocol", "Endpoint", "Region", *SUBSCRIPTION_ATTRIBUTES), required=("TopicArn", "Protocol")
    )
    arn = resource.text(properties["TopicArn"], "TopicArn")
    subscribe: dict[str, Any] = {
        "TopicArn": arn,
        "Protocol": resource.text(properties["Protocol"], "Protocol"),
        "ReturnSubscriptionArn": True,
    }
    if "Endpoint" in properties:
        subscribe["Endpoint"] = resource.text(properties["Endpoint"], "Endpoint")
    attributes = {}
    for key, document in SUBSCRIPTION_ATTRIBUTES.items():
        if key in properties:
            value = properties[key]
            attributes[key] = resource.json_text(value, key) if document else resource.text(value, key)
    if attributes:
        subscribe["Attributes"] = attributes
    backend = resource.backend
    if "Region" in properties:
        backend = backend.in_region(resource.text(properties["Region"], "Region"))
    made = resource.call("sns", "Subscribe", subscribe, backend=backend)
    return Physical(str(made["SubscriptionArn"]))


def _backend_of(resource: Resource, arn: str) -> Any:
    """The backend of the region a topic's ARN names (a policy may name a topic of another region)."""
    parts = arn.split(":")
    region = parts[3] if len(parts) > 3 and parts[3] else resource.stack.region
    return resource.backend.in_region(region)


HANDLERS: Final[dict[str, Handler]] = {
    "AWS::SNS::Topic": topic,
    "AWS::SNS::TopicPolicy": topic_policy,
    "AWS::SNS::Subscription": subscription,
}
