"""What the fake SNS's operations share: its errors as boto3 reports them, finding topics and subscriptions by ARN,
the topic policy's explicit denials, attribute checks and paging.

SNS speaks the query protocol, whose error codes are the shapes' codes, not their names: ``NotFound`` (404),
``InvalidParameter`` (400), ``AuthorizationError`` (403), ``ParameterValueInvalid`` (400)...; botocore maps them
back to ``client.exceptions.NotFoundException`` and the like. Messages as observed ("Invalid parameter: TopicArn
Reason: An ARN must have at least 6 elements, not 1", "Topic does not exist"); those marked [UNVERIFIED] follow the
observed pattern for a case no recorded answer shows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.cloudtrail import health
from toolkit.fakes.errors import AwsError
from toolkit.fakes.services.sts import caller_arn
from toolkit.fakes.sns import Subscription, Topic
from toolkit.iam.policy import Policy, request_context

T = TypeVar("T")

PER_PAGE = 100
"""How many topics or subscriptions one List call returns (API reference, ListTopics and ListSubscriptions)."""
DEFAULT_DELIVERY_POLICY: dict[str, Any] = {
    "http": {
        "defaultHealthyRetryPolicy": {
            "minDelayTarget": 20,
            "maxDelayTarget": 20,
            "numRetries": 3,
            "numMaxDelayRetries": 0,
            "numNoDelayRetries": 0,
            "numMinDelayRetries": 0,
            "backoffFunction": "linear",
        },
        "disableSubscriptionOverrides": False,
        "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
    }
}
"""A topic's EffectiveDeliveryPolicy when no DeliveryPolicy is set (as GetTopicAttributes returns it)."""
BACKOFF_FUNCTIONS = ("arithmetic", "exponential", "geometric", "linear")


def invalid(message: str) -> AwsError:
    return AwsError("InvalidParameter", message)


def not_found(message: str = "Topic does not exist") -> AwsError:
    return AwsError("NotFound", message, status=404)


def arn_parts(arn: str | None, member: str) -> list[str]:
    """The six or more colon-separated parts of an ARN, or SNS's refusal naming ``member``."""
    parts = (arn or "").split(":")
    if len(parts) < 6:
        raise invalid(f"Invalid parameter: {member} Reason: An ARN must have at least 6 elements, not {len(parts)}")
    return parts


def find_topic(backend: FakeBackend, arn: str | None, member: str = "TopicArn") -> Topic:
    parts = arn_parts(arn, member)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sns" or parts[3] != backend.region:
        raise invalid(f"Invalid parameter: {member}")
    topic = backend.world.topics.get((parts[3], parts[5]))
    if topic is None or parts[4] != backend.account or parts[1] != backend.partition:
        raise not_found()
    return topic


def topic_arn(backend: FakeBackend, topic: Topic) -> str:
    return topic.arn(backend.partition, backend.account)


def store(backend: FakeBackend, topic: Topic) -> None:
    health.before_change(backend, topic=(topic.region, topic.name))
    backend.world.topics[(topic.region, topic.name)] = topic


def authorize(backend: FakeBackend, topic: Topic, action: str) -> None:
    """The topic policy must not deny the caller ``SNS:<action>`` explicitly (its own account's IAM allows it)."""
    caller = caller_arn(backend)
    arn = topic_arn(backend, topic)
    request = request_context({"aws:PrincipalArn": caller, "aws:PrincipalAccount": backend.account})
    policy = topic.effective_policy(backend.partition, backend.account)
    if policy.decide(("AWS", caller), f"SNS:{action}", arn, request) == "Deny":
        raise AwsError(
            "AuthorizationError",
            f"User: {caller} is not authorized to perform: SNS:{action} on resource: {arn} "
            "with an explicit deny in a resource-based policy",
            status=403,
        )


def find_subscription(backend: FakeBackend, arn: str | None) -> tuple[Topic, Subscription] | None:
    """The subscription of this region with ARN ``arn`` and its topic, or None."""
    for (region, _), topic in backend.world.topics.items():
        if region != backend.region:
            continue
        for subscription in topic.subscriptions:
            if subscription.arn == arn:
                return topic, subscription
    return None


def page(items: Sequence[T], key: Callable[[T], str], token: str | None) -> tuple[list[T], str | None]:
    """A page of at most 100 items after ``token`` (which names the last item of the page before)."""
    start = 0
    if token is not None:
        try:
            after = base64.urlsafe_b64decode(token.encode()).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError) as err:
            raise invalid("Invalid parameter: NextToken") from err  # [UNVERIFIED] the wording
        keys = [key(item) for item in items]
        start = keys.index(after) + 1 if after in keys else sum(1 for name in keys if name <= after)
    chunk = list(items[start : start + PER_PAGE])
    if start + PER_PAGE >= len(items) or not chunk:
        return chunk, None
    return chunk, base64.urlsafe_b64encode(key(chunk[-1]).encode()).decode()


# -- attribute checks (the messages of SetTopicAttributes; CreateTopic puts "Attributes Reason: " before them) ---


def check_topic_policy(backend: FakeBackend, value: str) -> Policy:
    """A topic policy as SNS accepts it: a JSON object of statements (else "Policy Error: null"), naming no role
    of this account that does not exist (else "Policy Error: PrincipalNotFound"), at most 30 KB."""
    if len(value.encode()) > 30 * 1024:
        raise invalid("Invalid parameter: Policy exceeds the maximum size of 30 KB.")
    try:
        policy = Policy.parse(value)
    except ValueError as err:
        raise invalid("Invalid parameter: Policy Error: null") from err
    statements = policy.document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not all(isinstance(item, dict) for item in statements):
        raise invalid("Invalid parameter: Policy Error: null")
    own_roles = f"arn:{backend.partition}:iam::{backend.account}:role/"
    roles = backend.world.roles
    for statement in statements:
        principal = statement.get("Principal")
        names = principal.get("AWS") if isinstance(principal, dict) else None
        for name in [names] if isinstance(names, str) else names if isinstance(names, list) else []:
            missing = isinstance(name, str) and name.startswith(own_roles) and name.rpartition("/")[2] not in roles
            if missing:
                raise invalid("Invalid parameter: Policy Error: PrincipalNotFound")
    return policy


def check_delivery_policy(value: str, prefix: str) -> dict[str, Any]:
    """A DeliveryPolicy's JSON, its retry policy within the ranges of the SNS guide ("Amazon SNS message delivery
    retries": 0-100 retries, delays of 1-3600 seconds, minDelayTarget at most maxDelayTarget, a known backoff
    function). [UNVERIFIED] the messages' wording past "DeliveryPolicy: "."""
    try:
        policy = json.loads(value)
    except ValueError as err:
        raise invalid(f"{prefix}DeliveryPolicy: failed to parse JSON.") from err
    if not isinstance(policy, dict):
        raise invalid(f"{prefix}DeliveryPolicy: must be a JSON object")
    for section, content in policy.items():
        retry = content.get("defaultHealthyRetryPolicy") if isinstance(content, dict) else None
        if not isinstance(retry, dict):
            continue
        path = f"{section}.defaultHealthyRetryPolicy"
        bounds = {
            "minDelayTarget": (1, 3600),
            "maxDelayTarget": (1, 3600),
            "numRetries": (0, 100),
            "numNoDelayRetries": (0, 100),
            "numMinDelayRetries": (0, 100),
            "numMaxDelayRetries": (0, 100),
        }
        for name, (least, most) in bounds.items():
            number = retry.get(name)
            if number is None:
                continue
            if isinstance(number, bool) or not isinstance(number, int) or not least <= number <= most:
                raise invalid(f"{prefix}DeliveryPolicy: {path}.{name} must be an integer from {least} to {most}")
        if retry.get("minDelayTarget", 20) > retry.get("maxDelayTarget", 20):
            raise invalid(f"{prefix}DeliveryPolicy: {path}.minDelayTarget must be less than or equal to maxDelayTarget")
        backoff = retry.get("backoffFunction")
        if backoff is not None and backoff not in BACKOFF_FUNCTIONS:
            raise invalid(
                f"{prefix}DeliveryPolicy: {path}.backoffFunction must be one of {', '.join(BACKOFF_FUNCTIONS)}"
            )
    return policy


def effective_delivery_policy(topic: Topic) -> str:
    """SNS's default delivery policy with the topic's DeliveryPolicy laid over it, as JSON text."""
    effective = json.loads(json.dumps(DEFAULT_DELIVERY_POLICY))
    try:
        given = json.loads(topic.attributes.get("DeliveryPolicy") or "{}")
    except ValueError:  # a world file may hold any text; SetTopicAttributes accepts only JSON
        given = {}
    if isinstance(given, dict):
        _overlay(effective, given)
    return json.dumps(effective, separators=(",", ":"))


def _overlay(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _overlay(base[key], value)
        else:
            base[key] = value
