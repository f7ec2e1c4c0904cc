"""The fake SNS's subscriptions and Publish: Subscribe, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
GetSubscriptionAttributes, SetSubscriptionAttributes, Publish.

Subscribe confirms at once, except where the SNS API reference says the endpoint's owner must confirm: an http,
https, email or email-json endpoint, or an endpoint (an ARN) of another account. A pending subscription answers
"pending confirmation" unless ReturnSubscriptionArn, and lists as "PendingConfirmation"; ConfirmSubscription is not
modelled (its token goes to the endpoint), so a world file confirms one (``PendingConfirmation: false``).
Subscribing an endpoint again returns its subscription, unless an attribute given differs from the one it has
(InvalidParameter, as observed). Subscription ARNs are the topic's ARN and a UUID derived from the topic, protocol
and endpoint: deterministic, never random.

Publish checks the message as SNS does (empty, too long, Subject, MessageStructure json, message attributes,
FIFO's MessageGroupId and deduplication, a KMS key that exists and is enabled when the topic is encrypted) and
records it on the topic (its ``Messages`` in the world file) with a MessageId derived from the topic and the count
of its messages. It delivers nothing: the world has no queues, functions or inboxes. Publishing to a phone number
(PhoneNumber) is not modelled (NotModeledByFakeWorld); no platform endpoint exists, so a TargetArn naming one is
InvalidParameter as AWS words it for a missing endpoint.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.requests import opt_bool, opt_str, req_str
from toolkit.fakes.services import kms as kms_operations
from toolkit.fakes.services.sns_lookup import (
    arn_parts,
    authorize,
    check_delivery_policy,
    effective_delivery_policy,
    find_subscription,
    find_topic,
    invalid,
    not_found,
    page,
    store,
    topic_arn,
)
from toolkit.fakes.services.sts import caller_arn
from toolkit.fakes.sns import PROTOCOLS, Message, Subscription, Topic

SUBSCRIPTION_ATTRIBUTES = (
    "DeliveryPolicy",
    "FilterPolicy",
    "FilterPolicyScope",
    "RawMessageDelivery",
    "RedrivePolicy",
    "SubscriptionRoleArn",
    "ReplayPolicy",
)
CONFIRMED_BY_OWNER = ("http", "https", "email", "email-json")
SMS_NUMBER = re.compile(r"\+?[0-9](?:[0-9]|[./-](?=[0-9]))*")
MAX_MESSAGE_BYTES = 262_144
ATTRIBUTE_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9_.-]")


# -- subscriptions ----------------------------------------------------------------------------------------------


def subscribe(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = find_topic(backend, req_str(params, "TopicArn"))
    protocol = req_str(params, "Protocol")
    endpoint = opt_str(params, "Endpoint")
    attributes = _attribute_map(params)
    show_arn = bool(opt_bool(params, "ReturnSubscriptionArn"))
    if protocol not in PROTOCOLS:
        raise invalid(f"Invalid parameter: Amazon SNS does not support this protocol string: {protocol}")
    if not endpoint:
        raise invalid("Invalid parameter: Endpoint")  # [UNVERIFIED] the wording
    endpoint = _check_endpoint(topic, protocol, endpoint)
    for name, value in attributes.items():
        attributes[name] = _check_subscription_attribute(name, value, "Invalid parameter: Attributes Reason: ")
    authorize(backend, topic, "Subscribe")
    arn = topic_arn(backend, topic)
    for existing in topic.subscriptions:
        if (existing.protocol, existing.endpoint) == (protocol, endpoint):
            current = {"RawMessageDelivery": "false", **existing.attributes}
            if any(current.get(name) != value for name, value in attributes.items()):
                raise invalid(
                    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
                )
            return {"SubscriptionArn": existing.arn if show_arn or not existing.pending else "pending confirmation"}
    owner = arn_account(endpoint) if protocol not in CONFIRMED_BY_OWNER else None
    pending = protocol in CONFIRMED_BY_OWNER or (owner is not None and owner != backend.account)
    subscription = Subscription(
        arn=_new_arn(arn, protocol, endpoint, {item.arn for item in topic.subscriptions}),
        protocol=protocol,
        endpoint=endpoint,
        owner=backend.account,
        principal=caller_arn(backend),
        pending=pending,
        attributes=attributes,
    )
    changed = topic.clone()
    changed.subscriptions = (*topic.subscriptions, subscription)
    store(backend, changed)
    return {"SubscriptionArn": subscription.arn if show_arn or not pending else "pending confirmation"}


def arn_account(endpoint: str) -> str | None:
    """The account of an endpoint that is an ARN (a queue, a function, a stream, a platform endpoint)."""
    parts = endpoint.split(":")
    return parts[4] if len(parts) >= 6 and parts[0] == "arn" else None


def _check_endpoint(topic: Topic, protocol: str, endpoint: str) -> str:
    """The endpoint as SNS keeps it (a phone number without its separators), or SNS's refusal."""
    if protocol in ("http", "https") and not endpoint.startswith(f"{protocol}://"):
        raise invalid("Invalid parameter: Endpoint must match the specified protocol")  # [UNVERIFIED] the wording
    if protocol in ("email", "email-json") and not re.fullmatch(r"[^@\s]+@[^@\s]+", endpoint):
        raise invalid("Invalid parameter: Email address")  # [UNVERIFIED] the wording
    if protocol == "sms":
        if not SMS_NUMBER.fullmatch(endpoint):
            raise invalid(f"Invalid SMS endpoint: {endpoint}")
        return re.sub(r"[./-]", "", endpoint)
    if protocol in ("sqs", "lambda", "firehose", "application") and arn_account(endpoint) is None:
        kind = {"sqs": "SQS", "lambda": "Lambda", "firehose": "Firehose", "application": "Application"}[protocol]
        raise invalid(f"Invalid parameter: {kind} endpoint ARN")  # observed for SQS; [UNVERIFIED] for the others
    if protocol == "sqs" and endpoint.endswith(".fifo") and not topic.fifo:
        raise invalid(
            "Invalid parameter: Invalid parameter: Endpoint Reason: "
            "FIFO SQS Queues can not be subscribed to standard SNS topics"
        )
    if protocol == "application":
        # The fake world has no platform applications, so no platform endpoint exists.
        raise invalid(f"Invalid parameter: Endpoint Reason: Endpoint does not exist for endpoint arn{endpoint}")
    return endpoint


def _new_arn(topic: str, protocol: str, endpoint: str, taken: set[str]) -> str:
    count = 0
    while True:
        arn = f"{topic}:{uuid.uuid5(uuid.NAMESPACE_URL, f'{topic}|{protocol}|{endpoint}|{count}')}"
        if arn not in taken:
            return arn
        count += 1


def _check_subscription_attribute(name: str, value: str, prefix: str) -> str:
    """A subscription attribute's value as SNS keeps it, or its refusal (messages as observed)."""
    if name not in SUBSCRIPTION_ATTRIBUTES:
        raise invalid(f"{prefix}AttributeName")
    if name == "RawMessageDelivery":
        if value.lower() not in ("true", "false"):
            raise invalid(f"{prefix}RawMessageDelivery: Invalid value [{value}]. Must be true or false.")
        return value.lower()
    if name == "FilterPolicyScope" and value not in ("MessageAttributes", "MessageBody"):
        raise invalid(
            f"{prefix}FilterPolicyScope: Invalid value [{value}]. Please use either MessageBody or MessageAttributes"
        )
    if name in ("FilterPolicy", "RedrivePolicy", "ReplayPolicy") and value:
        try:
            document = json.loads(value)
        except ValueError as err:
            raise invalid(f"{prefix}{name}: failed to parse JSON.") from err
        if name == "RedrivePolicy":
            target = document.get("deadLetterTargetArn") if isinstance(document, dict) else None
            if not isinstance(target, str) or arn_account(target) is None:
                raise invalid(f"{prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn")
    if name == "DeliveryPolicy" and value:
        check_delivery_policy(value, prefix)
    return value


def unsubscribe(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """Idempotent: an ARN of a subscription that does not exist removes nothing (as observed)."""
    arn = opt_str(params, "SubscriptionArn")
    if not arn:
        raise invalid("Invalid parameter: SubscriptionArn Reason: no value for required parameter")
    if len(arn_parts(arn, "SubscriptionArn")) == 6:
        raise invalid("Invalid parameter: SubscriptionId")
    found = find_subscription(backend, arn)
    if found is not None:
        topic, subscription = found
        changed = topic.clone()
        changed.subscriptions = tuple(item for item in topic.subscriptions if item is not subscription)
        store(backend, changed)
    return {}


def list_subscriptions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topics = sorted(
        (topic for (region, _), topic in backend.world.topics.items() if region == backend.region),
        key=lambda topic: topic.name,
    )
    return _listing(backend, topics, opt_str(params, "NextToken"))


def list_subscriptions_by_topic(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = find_topic(backend, req_str(params, "TopicArn"))
    authorize(backend, topic, "ListSubscriptionsByTopic")
    return _listing(backend, [topic], opt_str(params, "NextToken"))


def _listing(backend: FakeBackend, topics: list[Topic], token: str | None) -> dict[str, Any]:
    entries = [
        {
            "SubscriptionArn": "PendingConfirmation" if subscription.pending else subscription.arn,
            "Owner": subscription.owner or backend.account,
            "Protocol": subscription.protocol,
            "Endpoint": subscription.endpoint,
            "TopicArn": topic_arn(backend, topic),
        }
        for topic in topics
        for subscription in topic.subscriptions
    ]
    keys = {id(entry): f"{index:08d}" for index, entry in enumerate(entries)}
    chunk, next_token = page(entries, lambda entry: keys[id(entry)], token)
    return {"Subscriptions": chunk} if next_token is None else {"Subscriptions": chunk, "NextToken": next_token}


def get_subscription_attributes(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic, subscription = _subscription(backend, params)
    attributes = {
        "ConfirmationWasAuthenticated": "false" if subscription.pending else "true",
        "Endpoint": subscription.endpoint,
        "Owner": subscription.owner or backend.account,
        "PendingConfirmation": "true" if subscription.pending else "false",
        "Protocol": subscription.protocol,
        "RawMessageDelivery": "false",
        "SubscriptionArn": subscription.arn,
        "SubscriptionPrincipal": subscription.principal or caller_arn(backend),
        "TopicArn": topic_arn(backend, topic),
    }
    if subscription.protocol in ("http", "https"):
        attributes["EffectiveDeliveryPolicy"] = effective_delivery_policy(topic)
    attributes.update(subscription.attributes)
    if attributes.get("FilterPolicy"):
        attributes.setdefault("FilterPolicyScope", "MessageAttributes")
    else:
        attributes.pop("FilterPolicy", None)
        attributes.pop("FilterPolicyScope", None)
    return {"Attributes": attributes}


def set_subscription_attributes(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "AttributeName")
    value = opt_str(params, "AttributeValue") or ""
    topic, subscription = _subscription(backend, params)
    value = _check_subscription_attribute(name, value, "Invalid parameter: ")
    changed_subscription = subscription.clone()
    changed_subscription.attributes = {**subscription.attributes, name: value}
    changed = topic.clone()
    changed.subscriptions = tuple(
        changed_subscription if item is subscription else item for item in topic.subscriptions
    )
    store(backend, changed)
    return {}


def _subscription(backend: FakeBackend, params: dict[str, Any]) -> tuple[Topic, Subscription]:
    arn = req_str(params, "SubscriptionArn")
    arn_parts(arn, "SubscriptionArn")
    found = find_subscription(backend, arn)
    if found is None:
        raise not_found("Subscription does not exist")
    return found


def _attribute_map(params: dict[str, Any]) -> dict[str, str]:
    value = params.get("Attributes")
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise invalid("Invalid parameter: Attributes")
    return {str(key): item for key, item in value.items()}


# -- Publish ----------------------------------------------------------------------------------------------------


def publish(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    if opt_str(params, "PhoneNumber") is not None:
        raise NotModeled("sns", "Publish to a phone number")
    target = opt_str(params, "TopicArn") or opt_str(params, "TargetArn")
    if target is not None and ":endpoint/" in target:
        # The fake world has no platform applications, so no platform endpoint exists (message as observed).
        raise invalid("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified")
    if target is None:
        raise invalid(
            "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"
        )  # [UNVERIFIED]
    topic = find_topic(backend, target, "TopicArn" if params.get("TopicArn") is not None else "TargetArn")
    text = req_str(params, "Message")
    subject = opt_str(params, "Subject")
    structure = opt_str(params, "MessageStructure")
    group = opt_str(params, "MessageGroupId")
    deduplication = opt_str(params, "MessageDeduplicationId")
    attributes = _message_attributes(params)
    if not text:
        raise invalid("Invalid parameter: Empty message")
    if len(text.encode()) + _attributes_size(attributes) > MAX_MESSAGE_BYTES:
        raise invalid("Invalid parameter: Message too long")
    if subject is not None and not re.fullmatch(r"[!-~][ -~]{0,98}", subject):
        raise invalid("Invalid parameter: Subject")
    if structure is not None:
        _check_structure(structure, text)
    if topic.fifo:
        if group is None:
            raise invalid("Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
        if deduplication is None and topic.attributes.get("ContentBasedDeduplication") != "true":
            raise invalid(
                "Invalid parameter: The topic should either have ContentBasedDeduplication enabled "
                "or MessageDeduplicationId provided explicitly"
            )
    elif deduplication is not None:
        raise invalid(
            "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
            "parameter that is not valid for this topic type"
        )
    authorize(backend, topic, "Publish")
    _check_key(backend, topic)
    arn = topic_arn(backend, topic)
    count = len(topic.messages)
    message = Message(
        message_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{arn}#{count}")),
        message=text,
        subject=subject,
        structure=structure,
        attributes=attributes,
        group_id=group,
        deduplication_id=deduplication,
        sequence_number=f"{count + 1:020d}" if topic.fifo else None,
        timestamp=backend.now(),
    )
    changed = topic.clone()
    changed.messages = (*topic.messages, message)
    store(backend, changed)
    response = {"MessageId": message.message_id}
    if message.sequence_number is not None:
        response["SequenceNumber"] = message.sequence_number
    return response


def _check_structure(structure: str, text: str) -> None:
    if structure != "json":
        raise invalid("Invalid parameter: MessageStructure")  # [UNVERIFIED] the wording
    try:
        body = json.loads(text)
    except ValueError as err:
        raise invalid("Invalid parameter: Message Structure - JSON message body failed to parse") from err
    if not isinstance(body, dict) or "default" not in body:
        raise invalid("Invalid parameter: Message Structure - No default entry in JSON message body")


def _message_attributes(params: dict[str, Any]) -> dict[str, Any]:
    """The message attributes checked as SNS checks them (messages as observed), kept as JSON data (a
    BinaryValue as base64 text)."""
    given = params.get("MessageAttributes")
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise invalid("Invalid parameter: MessageAttributes")
    kept: dict[str, Any] = {}
    for name, attribute in given.items():
        _check_attribute_name(str(name))
        if not isinstance(attribute, dict) or not isinstance(attribute.get("DataType"), str):
            raise AwsError(
                "ValidationError",
                f"1 validation error detected: Value null at 'messageAttributes.{name}.member.dataType' "
                "failed to satisfy constraint: Member must not be null",
            )
        kind = attribute["DataType"].split(".", 1)[0]
        string, binary = attribute.get("StringValue"), attribute.get("BinaryValue")
        if kind not in ("String", "Number", "Binary"):
            raise _bad_value(
                f"The message attribute '{name}' has an invalid message attribute type, the set of supported type "
                "prefixes is Binary, Number, and String."
            )
        field, value = ("Binary", binary) if kind == "Binary" else ("String", string)
        other = string if kind == "Binary" else binary
        if value is None and other is not None:
            raise _bad_value(f"The message attribute '{name}' with type '{kind}' must use field '{field}'.")
        if not value:
            raise _bad_value(
                f"The message attribute '{name}' must contain non-empty message attribute value for message "
                f"attribute type '{kind}'."
            )
        entry: dict[str, Any] = {"DataType": attribute["DataType"]}
        if kind == "Binary":
            raw = value if isinstance(value, bytes | bytearray) else str(value).encode()
            entry["BinaryValue"] = base64.b64encode(bytes(raw)).decode()
        else:
            entry["StringValue"] = str(value)
        kept[str(name)] = entry
    return kept


def _check_attribute_name(name: str) -> None:
    if len(name.encode()) >= 256:
        raise _bad_value("Length of message attribute name must be less than 256 bytes.")
    for char in name:
        if not ATTRIBUTE_NAME_CHARACTERS.fullmatch(char):
            raise _bad_value(
                f"Invalid non-alphanumeric character '#x{ord(char):X}' was found in the message attribute name. "
                "Can only include alphanumeric characters, hyphens, underscores, or dots."
            )
    if name.startswith("."):
        raise _bad_value("Invalid message attribute name starting with character '.' was found.")
    if name.endswith("."):
        raise _bad_value("Invalid message attribute name ending with character '.' was found.")
    if ".." in name:
        raise _bad_value("Message attribute name can not have successive '.' character.")


def _bad_value(message: str) -> AwsError:
    return AwsError("ParameterValueInvalid", message)


def _attributes_size(attributes: dict[str, Any]) -> int:
    size = 0
    for name, entry in attributes.items():
        value = entry.get("StringValue")
        size += len(name.encode()) + len(entry["DataType"].encode())
        size += len(value.encode()) if value is not None else len(base64.b64decode(entry["BinaryValue"]))
    return size


def _check_key(backend: FakeBackend, topic: Topic) -> None:
    """An encrypted topic's key must exist and be enabled when a message is published (SNS checks it then, not
    when KmsMasterKeyId is set). AWS-managed keys (``alias/aws/sns``) always exist. [UNVERIFIED] the messages."""
    key_id = topic.attributes.get("KmsMasterKeyId")
    if not key_id or key_id.startswith("alias/aws/") or ":alias/aws/" in key_id:
        return
    try:
        key = kms_operations.resolve(backend, key_id)
    except AwsError as err:
        raise AwsError("KMSNotFound", f"Invalid keyId {key_id}") from err
    if not key.enabled:
        raise AwsError("KMSDisabled", f"{key.arn(backend.partition, backend.account)} is disabled.")


OPERATIONS: dict[str, Operation] = {
    "Subscribe": subscribe,
    "Unsubscribe": unsubscribe,
    "ListSubscriptions": list_subscriptions,
    "ListSubscriptionsByTopic": list_subscriptions_by_topic,
    "GetSubscriptionAttributes": get_subscription_attributes,
    "SetSubscriptionAttributes": set_subscription_attributes,
    "Publish": publish,
}
