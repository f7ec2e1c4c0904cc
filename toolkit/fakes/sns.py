"""Fake Amazon SNS: topics per region with their access policy, attributes, tags, subscriptions and the messages
published to them.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.sns`` (topics,
attributes, permissions, tags) and ``toolkit.fakes.services.sns_subscriptions`` (subscriptions, Publish). Records
are replaced, never changed in place (``toolkit.fakes.record``): a topic's attributes and tags are mappings an
operation copies before changing, its subscriptions and messages are tuples.

World-file keys: ``Policy`` (the topic policy, as a mapping), ``Attributes`` (every other attribute set on the topic,
by its SNS name: DisplayName, DeliveryPolicy, KmsMasterKeyId, FifoTopic...; the values SNS reports, not the ones it
derives such as Owner or SubscriptionsConfirmed), ``Tags`` (a mapping), ``Subscriptions`` and ``Messages`` (what
Publish recorded, so tests can read what a runbook sent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from toolkit.fakes.record import Record
from toolkit.fakes.requests import copy_json
from toolkit.fakes.worldfile import Fields, policy_json, timestamp_text
from toolkit.iam.policy import Policy

TOPIC_KEYS = ("Name", "Region", "Policy", "Attributes", "Tags", "Subscriptions", "Messages")
SUBSCRIPTION_KEYS = (
    "SubscriptionArn",
    "Protocol",
    "Endpoint",
    "Owner",
    "SubscriptionPrincipal",
    "PendingConfirmation",
    "Attributes",
)
MESSAGE_KEYS = (
    "MessageId",
    "Message",
    "Subject",
    "MessageStructure",
    "MessageAttributes",
    "MessageGroupId",
    "MessageDeduplicationId",
    "SequenceNumber",
    "Timestamp",
)
TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")
FIFO_TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,251}\.fifo")
PROTOCOLS = ("http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose")
DEFAULT_ACTIONS = (
    "SNS:GetTopicAttributes",
    "SNS:SetTopicAttributes",
    "SNS:AddPermission",
    "SNS:RemovePermission",
    "SNS:DeleteTopic",
    "SNS:Subscribe",
    "SNS:ListSubscriptionsByTopic",
    "SNS:Publish",
)
"""The actions of SNS's default topic policy, in its order (as GetTopicAttributes returns it)."""


@dataclass(eq=True)
class Subscription(Record):
    arn: str
    protocol: str
    endpoint: str
    owner: str | None = None
    """The subscriber's account (None: the topic's own account)."""
    principal: str | None = None
    """SubscriptionPrincipal, who subscribed (None: the account's root user)."""
    pending: bool = False
    attributes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, fields: Fields, topic: str) -> Subscription:
        arn = fields.required_text("SubscriptionArn")
        parts = arn.split(":")
        if len(parts) != 7 or parts[:3] != ["arn", parts[1], "sns"] or parts[5] != topic or not parts[6]:
            raise fields.fail(
                "SubscriptionArn", f"must be an ARN of topic {topic}: arn:<partition>:sns:...:{topic}:<id>"
            )
        protocol = fields.required_text("Protocol")
        if protocol not in PROTOCOLS:
            raise fields.fail("Protocol", f"must be one of {', '.join(PROTOCOLS)}")
        attributes = fields.string_map("Attributes")
        if any(value is None for value in attributes.values()):
            raise fields.fail("Attributes", "must map attribute names to strings")
        return cls(
            arn=arn,
            protocol=protocol,
            endpoint=fields.required_text("Endpoint"),
            owner=fields.optional_text("Owner") or None,
            principal=fields.optional_text("SubscriptionPrincipal") or None,
            pending=fields.flag("PendingConfirmation", False),
            attributes={key: value for key, value in attributes.items() if value is not None},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "SubscriptionArn": self.arn,
            "Protocol": self.protocol,
            "Endpoint": self.endpoint,
            "Owner": self.owner,
            "SubscriptionPrincipal": self.principal,
            "PendingConfirmation": self.pending,
            "Attributes": dict(sorted(self.attributes.items())),
        }


@dataclass(eq=True)
class Message(Record):
    """One message Publish accepted, as it was sent (MessageAttributes as the request gave them, a BinaryValue as
    base64 text)."""

    message_id: str
    message: str
    subject: str | None = None
    structure: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    group_id: str | None = None
    deduplication_id: str | None = None
    sequence_number: str | None = None
    timestamp: datetime | None = None

    @classmethod
    def read(cls, fields: Fields) -> Message:
        attributes = fields.data.get("MessageAttributes")
        if attributes is not None and not isinstance(attributes, dict):
            raise fields.fail("MessageAttributes", "must be a mapping of message attributes")
        return cls(
            message_id=fields.required_text("MessageId"),
            message=fields.required_text("Message"),
            subject=fields.optional_text("Subject"),
            structure=fields.optional_text("MessageStructure"),
            attributes=copy_json(attributes or {}),
            group_id=fields.optional_text("MessageGroupId"),
            deduplication_id=fields.optional_text("MessageDeduplicationId"),
            sequence_number=fields.optional_text("SequenceNumber"),
            timestamp=fields.timestamp("Timestamp"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "MessageId": self.message_id,
            "Message": self.message,
            "Subject": self.subject,
            "MessageStructure": self.structure,
            "MessageAttributes": copy_json(self.attributes),
            "MessageGroupId": self.group_id,
            "MessageDeduplicationId": self.deduplication_id,
            "SequenceNumber": self.sequence_number,
            "Timestamp": timestamp_text(self.timestamp),
        }


@dataclass(eq=True)
class Topic(Record):
    name: str
    region: str
    policy: Policy | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    """Attributes set on the topic other than Policy, by SNS name (DisplayName, FifoTopic, KmsMasterKeyId...)."""
    tags: dict[str, str] = field(default_factory=dict)
    subscriptions: tuple[Subscription, ...] = ()
    messages: tuple[Message, ...] = ()

    @classmethod
    def read(cls, fields: Fields, region: str) -> Topic:
        name = fields.required_text("Name")
        attributes = fields.string_map("Attributes")
        if any(value is None for value in attributes.values()):
            raise fields.fail("Attributes", "must map attribute names to strings")
        if "Policy" in attributes:
            raise fields.fail("Attributes", "must not hold Policy: give the topic policy as Policy")
        fifo = (attributes.get("FifoTopic") or "false").lower() == "true"
        if not (FIFO_TOPIC_NAME if fifo else TOPIC_NAME).fullmatch(name):
            shape = "end in .fifo (a FIFO topic)" if fifo else "be 1-256 letters, digits, hyphens or underscores"
            raise fields.fail("Name", f"must {shape}")
        tags = fields.string_map("Tags")
        if any(value is None for value in tags.values()) or len(tags) > 50:
            raise fields.fail("Tags", "must map at most 50 keys to strings")
        subscriptions = tuple(
            Subscription.read(item, name) for item in fields.items("Subscriptions", SUBSCRIPTION_KEYS)
        )
        if len({subscription.arn for subscription in subscriptions}) != len(subscriptions):
            raise fields.fail("Subscriptions", "repeats a SubscriptionArn")
        return cls(
            name=name,
            region=fields.text("Region", region),
            policy=fields.policy("Policy"),
            attributes={key: value for key, value in attributes.items() if value is not None},
            tags={key: value for key, value in tags.items() if value is not None},
            subscriptions=subscriptions,
            messages=tuple(Message.read(item) for item in fields.items("Messages", MESSAGE_KEYS)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Region": self.region,
            "Policy": policy_json(self.policy),
            "Attributes": dict(sorted(self.attributes.items())),
            "Tags": dict(sorted(self.tags.items())),
            "Subscriptions": [subscription.to_dict() for subscription in self.subscriptions],
            "Messages": [message.to_dict() for message in self.messages],
        }

    @property
    def fifo(self) -> bool:
        return self.attributes.get("FifoTopic", "false").lower() == "true"

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:sns:{self.region}:{account}:{self.name}"

    def effective_policy(self, partition: str, account: str) -> Policy:
        """The topic policy, or SNS's default one (the owning account only) when none is set."""
        if self.policy is not None:
            return self.policy
        return default_policy(self.arn(partition, account), account)


def default_policy(topic_arn: str, account: str) -> Policy:
    """The policy SNS gives a new topic: its owner's principals may use it (``AWS:SourceOwner``)."""
    return Policy(
        {
            "Version": "2008-10-17",
            "Id": "__default_policy_ID",
            "Statement": [
                {
                    "Sid": "__default_statement_ID",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": list(DEFAULT_ACTIONS),
                    "Resource": topic_arn,
                    "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
                }
            ],
        }
    )
