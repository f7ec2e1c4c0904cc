"""The fake SNS's operations (``OPERATIONS``) on the state in ``toolkit.fakes.sns``.

Topics: CreateTopic (idempotent: the same name with attributes and tags the topic already has, or none, returns it;
an attribute or tag it does not have is InvalidParameter "Invalid parameter: Attributes Reason: Topic already exists
with different attributes" or "... Tags Reason: Topic already exists with different tags", as observed), DeleteTopic
(idempotent; the topic's subscriptions go with it, where AWS keeps them detached for a while), ListTopics (100 a
page), GetTopicAttributes, SetTopicAttributes, AddPermission and RemovePermission (statements of the topic policy,
labelled by Sid), TagResource, UntagResource, ListTagsForResource. Subscriptions and Publish are in
``toolkit.fakes.services.sns_subscriptions``. A topic without a policy in the world file has SNS's default policy
(its owner's principals); an explicit Deny in the topic policy for the caller is AuthorizationError.

Validated as SNS does: the topic name (FIFO names end in ``.fifo``), attribute names, the Policy (JSON, principals
of this account that exist, 30 KB), DisplayName (at most 100 characters, the console's limit [UNVERIFIED] as an API
refusal), DeliveryPolicy (JSON and the retry ranges), SignatureVersion (1 or 2), TracingConfig (PassThrough or
Active), FIFO-only attributes. KmsMasterKeyId is stored as given: SNS checks the key when it is used, at Publish
(SNS guide, "Encryption at rest"). CreateTopic's DataProtectionPolicy is not modelled (NotModeledByFakeWorld).
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.cloudtrail import health
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.requests import opt_str, req_str, str_list, struct_list
from toolkit.fakes.services import sns_subscriptions
from toolkit.fakes.services.sns_lookup import (
    arn_parts,
    authorize,
    check_delivery_policy,
    check_topic_policy,
    effective_delivery_policy,
    find_topic,
    invalid,
    page,
    store,
    topic_arn,
)
from toolkit.fakes.sns import DEFAULT_ACTIONS, FIFO_TOPIC_NAME, TOPIC_NAME, Topic
from toolkit.iam.policy import Policy

FEEDBACK = tuple(
    f"{protocol}{kind}"
    for protocol in ("Application", "Firehose", "HTTP", "Lambda", "SQS")
    for kind in ("SuccessFeedbackRoleArn", "SuccessFeedbackSampleRate", "FailureFeedbackRoleArn")
)
SETTABLE = (
    "DeliveryPolicy",
    "DisplayName",
    "Policy",
    "KmsMasterKeyId",
    "SignatureVersion",
    "TracingConfig",
    "ContentBasedDeduplication",
    "ArchivePolicy",
    "FifoThroughputScope",
    *FEEDBACK,
)
"""SetTopicAttributes's attribute names (API reference, SetTopicAttributes); CreateTopic also takes FifoTopic."""
FIFO_ONLY = ("ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope")
PERMISSION_ACTIONS = (*(action.removeprefix("SNS:") for action in DEFAULT_ACTIONS), "Receive")
"""The actions AddPermission may grant (the default policy's and Receive)."""
MAX_TAGS = 50


# -- topics -----------------------------------------------------------------------------------------------------


def create_topic(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "Name")
    attributes = _string_map(params, "Attributes")
    tags = _tag_list(params)
    if params.get("DataProtectionPolicy") is not None:
        raise NotModeled("sns", "CreateTopic with a DataProtectionPolicy")
    fifo = attributes.get("FifoTopic", "false").lower() == "true"
    if not (FIFO_TOPIC_NAME if fifo else TOPIC_NAME).fullmatch(name):
        raise invalid("Invalid parameter: Topic Name")
    existing = backend.world.topics.get((backend.region, name))
    if existing is not None:
        current = _attributes(backend, existing)
        for key, value in attributes.items():
            if key == "FifoTopic" and value.lower() == "false" and not existing.fifo:
                continue
            if current.get(key) != value:
                raise invalid("Invalid parameter: Attributes Reason: Topic already exists with different attributes")
        if any(existing.tags.get(key) != value for key, value in tags.items()):
            raise invalid("Invalid parameter: Tags Reason: Topic already exists with different tags")
        return {"TopicArn": topic_arn(backend, existing)}
    topic = Topic(name=name, region=backend.region, attributes={"FifoTopic": "true"} if fifo else {}, tags=tags)
    for key, value in attributes.items():
        if key == "FifoTopic":
            if value.lower() not in ("true", "false"):
                # [UNVERIFIED] the wording, as SNS words RawMessageDelivery's.
                raise invalid(
                    f"Invalid parameter: Attributes Reason: FifoTopic: Invalid value [{value}]. Must be true or false."
                )
            continue
        if key not in SETTABLE:
            # [UNVERIFIED] the wording (as SNS words it for a platform application's attributes).
            raise invalid(f"Invalid parameter: Attributes Reason: Invalid attribute name: {key}")
        _set(backend, topic, key, value, "Invalid parameter: Attributes Reason: ")
    store(backend, topic)
    return {"TopicArn": topic_arn(backend, topic)}


def delete_topic(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arn = req_str(params, "TopicArn")
    try:
        topic = find_topic(backend, arn)
    except AwsError as err:
        if err.code == "NotFound":
            return {}
        raise
    authorize(backend, topic, "DeleteTopic")
    health.before_change(backend, topic=(topic.region, topic.name))
    del backend.world.topics[(topic.region, topic.name)]
    return {}


def list_topics(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    arns = sorted(
        topic_arn(backend, topic) for (region, _), topic in backend.world.topics.items() if region == backend.region
    )
    chunk, token = page(arns, str, opt_str(params, "NextToken"))
    listed = [{"TopicArn": arn} for arn in chunk]
    return {"Topics": listed} if token is None else {"Topics": listed, "NextToken": token}


def get_topic_attributes(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = find_topic(backend, req_str(params, "TopicArn"))
    authorize(backend, topic, "GetTopicAttributes")
    return {"Attributes": _attributes(backend, topic)}


def _attributes(backend: FakeBackend, topic: Topic) -> dict[str, str]:
    """What GetTopicAttributes reports: the derived attributes, then every attribute set on the topic."""
    pending = sum(1 for subscription in topic.subscriptions if subscription.pending)
    attributes = {
        "TopicArn": topic_arn(backend, topic),
        "Owner": backend.account,
        "Policy": topic.effective_policy(backend.partition, backend.account).text(),
        "DisplayName": "",
        "SubscriptionsConfirmed": str(len(topic.subscriptions) - pending),
        "SubscriptionsPending": str(pending),
        "SubscriptionsDeleted": "0",
        "EffectiveDeliveryPolicy": effective_delivery_policy(topic),
    }
    if topic.fifo:
        attributes["ContentBasedDeduplication"] = "false"
    attributes.update(topic.attributes)
    return attributes


def set_topic_attributes(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = find_topic(backend, req_str(params, "TopicArn"))
    name = req_str(params, "AttributeName")
    value = opt_str(params, "AttributeValue") or ""
    if name not in SETTABLE:
        raise invalid("Invalid parameter: AttributeName")
    authorize(backend, topic, "SetTopicAttributes")
    changed = topic.clone()
    changed.attributes = dict(topic.attributes)
    _set(backend, changed, name, value, "Invalid parameter: ")
    store(backend, changed)
    return {}


def _set(backend: FakeBackend, topic: Topic, name: str, value: str, prefix: str) -> None:
    """Check one attribute's value as SNS does and set it on ``topic`` (a fresh clone, its own attributes)."""
    if name == "Policy":
        try:
            topic.policy = check_topic_policy(backend, value)
        except AwsError as err:
            raise invalid(prefix + err.message.removeprefix("Invalid parameter: ")) from err
        return
    if name in FIFO_ONLY and not topic.fifo:
        # [UNVERIFIED] the wording; the API reference says these apply to FIFO topics only.
        raise invalid(f"{prefix}{name} Reason: only FIFO topics have this attribute")
    if name == "DisplayName" and len(value) > 100:
        raise invalid(f"{prefix}DisplayName Reason: must be at most 100 characters long")
    if name == "DeliveryPolicy" and value:
        check_delivery_policy(value, prefix)
    checks = {
        "SignatureVersion": ("1", "2"),
        "TracingConfig": ("PassThrough", "Active"),
        "ContentBasedDeduplication": ("true", "false"),
        "FifoThroughputScope": ("Topic", "MessageGroup"),
    }
    allowed = checks.get(name)
    if allowed is not None and value not in allowed:
        raise invalid(f"{prefix}{name}: Invalid value [{value}]. Must be {' or '.join(allowed)}.")
    if value == "" and name in ("DeliveryPolicy", "KmsMasterKeyId", "ArchivePolicy", *FEEDBACK):
        topic.attributes.pop(name, None)
    else:
        topic.attributes[name] = value


# -- the topic policy ----------------------------------------------------------------------------------------------


def add_permission(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = find_topic(backend, req_str(params, "TopicArn"))
    label = req_str(params, "Label")
    accounts = str_list(params, "AWSAccountId") or []
    actions = str_list(params, "ActionName") or []
    if not accounts or not actions:
        raise invalid(f"Invalid parameter: {'AWSAccountId' if not accounts else 'ActionName'}")
    authorize(backend, topic, "AddPermission")
    document = topic.effective_policy(backend.partition, backend.account).to_json()
    statements = _statements(document)
    if any(statement.get("Sid") == label for statement in statements):
        raise invalid("Invalid parameter: Statement already exists")
    if any(action not in PERMISSION_ACTIONS for action in actions):
        raise invalid("Invalid parameter: Policy statement action out of service scope!")
    principals = [f"arn:{backend.partition}:iam::{account}:root" for account in accounts]
    granted = [f"SNS:{action}" for action in actions]
    statements.append(
        {
            "Sid": label,
            "Effect": "Allow",
            "Principal": {"AWS": principals[0] if len(principals) == 1 else principals},
            "Action": granted[0] if len(granted) == 1 else granted,
            "Resource": topic_arn(backend, topic),
        }
    )
    document["Statement"] = statements
    changed = topic.clone()
    changed.policy = Policy(document)
    store(backend, changed)
    return {}


def remove_permission(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the statements labelled ``Label``; a label the policy does not have removes nothing."""
    topic = find_topic(backend, req_str(params, "TopicArn"))
    label = req_str(params, "Label")
    authorize(backend, topic, "RemovePermission")
    document = topic.effective_policy(backend.partition, backend.account).to_json()
    document["Statement"] = [statement for statement in _statements(document) if statement.get("Sid") != label]
    changed = topic.clone()
    changed.policy = Policy(document)
    store(backend, changed)
    return {}


def _statements(document: dict[str, Any]) -> list[Any]:
    statements = document.get("Statement")
    if isinstance(statements, dict):
        return [statements]
    return list(statements) if isinstance(statements, list) else []


# -- tags -----------------------------------------------------------------------------------------------------------


def tag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = _tagged(backend, params)
    tags = {**topic.tags, **_tag_list(params, required=True)}
    if len(tags) > MAX_TAGS:
        # [UNVERIFIED] the wording; the limit of 50 tags a topic is documented.
        raise AwsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded")
    changed = topic.clone()
    changed.tags = tags
    store(backend, changed)
    return {}


def untag_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = _tagged(backend, params)
    keys = str_list(params, "TagKeys")
    if keys is None:
        raise invalid("Invalid parameter: TagKeys")
    changed = topic.clone()
    changed.tags = {key: value for key, value in topic.tags.items() if key not in keys}
    store(backend, changed)
    return {}


def list_tags_for_resource(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    topic = _tagged(backend, params)
    return {"Tags": [{"Key": key, "Value": value} for key, value in sorted(topic.tags.items())]}


def _tagged(backend: FakeBackend, params: dict[str, Any]) -> Topic:
    """The topic ``ResourceArn`` names; a missing one is ResourceNotFound (404) [UNVERIFIED: the wording]."""
    arn = req_str(params, "ResourceArn")
    arn_parts(arn, "ResourceArn")
    try:
        return find_topic(backend, arn, "ResourceArn")
    except AwsError as err:
        if err.code != "NotFound":
            raise
        raise AwsError("ResourceNotFound", "Resource does not exist", status=404) from err


def _tag_list(params: dict[str, Any], *, required: bool = False) -> dict[str, str]:
    items = struct_list(params, "Tags")
    if items is None:
        if required:
            raise invalid("Invalid parameter: Tags")
        return {}
    tags: dict[str, str] = {}
    for item in items:
        key, value = item.get("Key"), item.get("Value")
        if not isinstance(key, str) or not isinstance(value, str) or not 1 <= len(key) <= 128 or len(value) > 256:
            raise invalid("Invalid parameter: Tags")
        if key in tags:
            raise invalid("Invalid parameter: Duplicated keys are not allowed.")
        tags[key] = value
    return tags


def _string_map(params: dict[str, Any], member: str) -> dict[str, str]:
    value = params.get(member)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise invalid(f"Invalid parameter: {member}")
    return {str(key): item for key, item in value.items()}


OPERATIONS: dict[str, Operation] = {
    "CreateTopic": create_topic,
    "DeleteTopic": delete_topic,
    "ListTopics": list_topics,
    "GetTopicAttributes": get_topic_attributes,
    "SetTopicAttributes": set_topic_attributes,
    "AddPermission": add_permission,
    "RemovePermission": remove_permission,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
    **sns_subscriptions.OPERATIONS,
}
