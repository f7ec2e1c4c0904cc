"""The fake SNS: topics and their attributes, the topic policy (AddPermission, RemovePermission, explicit denials),
tags, subscriptions, Publish; its error codes as boto3 reports them; the world file's new Topics keys."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.boto import fake_session
from tests.fakes.worlds import ACCOUNT, KEY_ARN, world
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.world import World, WorldError

ARN = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:inbox"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"


def sns(w: World, operation: str, region: str | None = None, **params: Any) -> dict[str, Any]:
    return w.backend(region).call("sns", operation, params)


def refused(w: World, operation: str, **params: Any) -> AwsError:
    before = w.to_dict()
    with pytest.raises(AwsError) as caught:
        sns(w, operation, **params)
    assert w.to_dict() == before, f"a refused {operation} changed the world"
    return caught.value


def with_topic(**fields: Any) -> World:
    return world(Topics=[{"Name": "alerts", **fields}])


def attributes(w: World, arn: str = ARN) -> dict[str, str]:
    return sns(w, "GetTopicAttributes", TopicArn=arn)["Attributes"]


# -- topics -------------------------------------------------------------------------------------------------------


def test_a_new_topic_has_the_attributes_aws_reports() -> None:
    w = World.default()
    assert sns(w, "CreateTopic", Name="alerts") == {"TopicArn": ARN}
    got = attributes(w)
    policy = json.loads(got.pop("Policy"))
    delivery = json.loads(got.pop("EffectiveDeliveryPolicy"))
    assert got == {
        "TopicArn": ARN,
        "Owner": ACCOUNT,
        "DisplayName": "",
        "SubscriptionsConfirmed": "0",
        "SubscriptionsPending": "0",
        "SubscriptionsDeleted": "0",
    }
    assert policy["Id"] == "__default_policy_ID" and policy["Version"] == "2008-10-17"
    assert policy["Statement"][0]["Condition"] == {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
    assert len(policy["Statement"][0]["Action"]) == 8
    assert delivery["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3
    assert sns(w, "ListTopics") == {"Topics": [{"TopicArn": ARN}]}
    assert sns(w, "ListTopics", region="eu-west-1") == {"Topics": []}


def test_create_topic_is_idempotent_with_the_same_attributes_and_tags() -> None:
    w = World.default()
    tags = [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    sns(w, "CreateTopic", Name="alerts", Attributes={"DisplayName": "Value1"}, Tags=tags)
    for again in (
        {},
        {"Attributes": {"DisplayName": "Value1"}},
        {"Attributes": {"FifoTopic": "false"}},  # stored by no one, refused by no one (as observed)
        {"Tags": tags[:1]},
        {"Tags": []},
    ):
        assert sns(w, "CreateTopic", Name="alerts", **again) == {"TopicArn": ARN}
    for different in (
        {"DisplayName": "Value2"},
        {"SignatureVersion": "2"},
        {"SignatureVersion": "2", "DisplayName": "Value1"},
    ):
        caught = refused(w, "CreateTopic", Name="alerts", Attributes=different)
        assert (caught.code, caught.message) == (
            "InvalidParameter",
            "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
        )
    caught = refused(w, "CreateTopic", Name="alerts", Tags=[{"Key": "c", "Value": "3"}])
    assert caught.message == "Invalid parameter: Tags Reason: Topic already exists with different tags"
    assert refused(w, "CreateTopic", Name="alerts", Attributes={"FifoTopic": "true"}).message == (
        "Invalid parameter: Topic Name"
    )


@pytest.mark.parametrize(
    ("name", "attributes"),
    [("", {}), ("a" * 257, {}), ("test.fifo", {}), ("test", {"FifoTopic": "true"}), ("a b", {}), ("a/b", {})],
)
def test_topic_names(name: str, attributes: dict[str, str]) -> None:
    caught = refused(World.default(), "CreateTopic", Name=name, Attributes=attributes)
    assert (caught.code, caught.message, caught.status) == ("InvalidParameter", "Invalid parameter: Topic Name", 400)


def test_a_fifo_topic() -> None:
    w = World.default()
    arn = sns(w, "CreateTopic", Name="orders.fifo", Attributes={"FifoTopic": "true", "DisplayName": "Orders"})[
        "TopicArn"
    ]
    got = attributes(w, arn)
    assert (got["FifoTopic"], got["ContentBasedDeduplication"], got["DisplayName"]) == ("true", "false", "Orders")
    sns(w, "SetTopicAttributes", TopicArn=arn, AttributeName="ContentBasedDeduplication", AttributeValue="true")
    assert attributes(w, arn)["ContentBasedDeduplication"] == "true"
    caught = refused(
        w,
        "SetTopicAttributes",
        TopicArn=ARN.replace("alerts", "orders.fifo"),
        AttributeName="FifoTopic",
        AttributeValue="false",
    )
    assert caught.message == "Invalid parameter: AttributeName"


def test_topic_arns_that_name_no_topic() -> None:
    w = with_topic()
    for arn, code, message in (
        (ARN + "x", "NotFound", "Topic does not exist"),
        (ARN.replace(ACCOUNT, "111122223333"), "NotFound", "Topic does not exist"),
        (
            "alerts",
            "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
        ),
        (
            "arn:aws:sns:us-east-1:x",
            "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5",
        ),
        (ARN.replace("us-east-1", "eu-west-1"), "InvalidParameter", "Invalid parameter: TopicArn"),
    ):
        caught = refused(w, "GetTopicAttributes", TopicArn=arn)
        assert (caught.code, caught.message, caught.status) == (code, message, 404 if code == "NotFound" else 400)


def test_delete_topic_is_idempotent_and_takes_its_subscriptions() -> None:
    w = with_topic()
    sns(w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE)
    assert sns(w, "DeleteTopic", TopicArn=ARN) == {}
    assert sns(w, "DeleteTopic", TopicArn=ARN) == {}
    assert w.topics == {} and sns(w, "ListSubscriptions") == {"Subscriptions": []}
    assert refused(w, "DeleteTopic", TopicArn="alerts").code == "InvalidParameter"


def test_list_topics_pages_by_a_hundred() -> None:
    w = world(Topics=[{"Name": f"t{index:03d}"} for index in range(150)])
    first = sns(w, "ListTopics")
    second = sns(w, "ListTopics", NextToken=first["NextToken"])
    assert (len(first["Topics"]), len(second["Topics"]), "NextToken" in second) == (100, 50, False)
    assert second["Topics"][0]["TopicArn"].endswith(":t100")


# -- attributes ---------------------------------------------------------------------------------------------------


def test_set_topic_attributes() -> None:
    w = with_topic()
    delivery = {"http": {"defaultHealthyRetryPolicy": {"numRetries": 5, "minDelayTarget": 1, "maxDelayTarget": 60}}}
    for name, value in (
        ("DisplayName", "Alerts"),
        ("KmsMasterKeyId", "alias/anything"),
        ("SignatureVersion", "2"),
        ("TracingConfig", "Active"),
        ("DeliveryPolicy", json.dumps(delivery)),
    ):
        sns(w, "SetTopicAttributes", TopicArn=ARN, AttributeName=name, AttributeValue=value)
    got = attributes(w)
    assert (got["DisplayName"], got["KmsMasterKeyId"], got["SignatureVersion"], got["TracingConfig"]) == (
        "Alerts",
        "alias/anything",
        "2",
        "Active",
    )
    effective = json.loads(got["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]
    assert (effective["numRetries"], effective["maxDelayTarget"], effective["backoffFunction"]) == (5, 60, "linear")
    sns(w, "SetTopicAttributes", TopicArn=ARN, AttributeName="KmsMasterKeyId", AttributeValue="")
    assert "KmsMasterKeyId" not in attributes(w)
    assert w.to_dict()["Topics"][0]["Attributes"] == {
        "DeliveryPolicy": json.dumps(delivery),
        "DisplayName": "Alerts",
        "SignatureVersion": "2",
        "TracingConfig": "Active",
    }


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("Owner", "x", "Invalid parameter: AttributeName"),
        ("FifoTopic", "true", "Invalid parameter: AttributeName"),
        ("Policy", "{nope", "Invalid parameter: Policy Error: null"),
        ("Policy", "", "Invalid parameter: Policy Error: null"),
        (
            "Policy",
            json.dumps(
                {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/Ghost"},
                            "Action": "SNS:Publish",
                            "Resource": "*",
                        }
                    ]
                }
            ),
            "Invalid parameter: Policy Error: PrincipalNotFound",
        ),
        (
            "Policy",
            json.dumps({"Statement": [], "Padding": "x" * 31_000}),
            "Invalid parameter: Policy exceeds the maximum size of 30 KB.",
        ),
        ("DisplayName", "x" * 101, "Invalid parameter: DisplayName Reason: must be at most 100 characters long"),
        ("DeliveryPolicy", "{nope", "Invalid parameter: DeliveryPolicy: failed to parse JSON."),
        (
            "DeliveryPolicy",
            json.dumps({"http": {"defaultHealthyRetryPolicy": {"numRetries": 101}}}),
            "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be an "
            "integer from 0 to 100",
        ),
        (
            "DeliveryPolicy",
            json.dumps({"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 30, "maxDelayTarget": 10}}}),
            "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.minDelayTarget must "
            "be less than or equal to maxDelayTarget",
        ),
        (
            "DeliveryPolicy",
            json.dumps({"http": {"defaultHealthyRetryPolicy": {"backoffFunction": "random"}}}),
            "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.backoffFunction must "
            "be one of arithmetic, exponential, geometric, linear",
        ),
        ("SignatureVersion", "3", "Invalid parameter: SignatureVersion: Invalid value [3]. Must be 1 or 2."),
        (
            "ContentBasedDeduplication",
            "true",
            "Invalid parameter: ContentBasedDeduplication Reason: only FIFO topics have this attribute",
        ),
    ],
)
def test_set_topic_attributes_refusals(name: str, value: str, message: str) -> None:
    caught = refused(with_topic(), "SetTopicAttributes", TopicArn=ARN, AttributeName=name, AttributeValue=value)
    assert (caught.code, caught.message) == ("InvalidParameter", message)


def test_create_topic_checks_attributes_with_the_attributes_reason() -> None:
    caught = refused(World.default(), "CreateTopic", Name="alerts", Attributes={"Policy": "{nope"})
    assert caught.message == "Invalid parameter: Attributes Reason: Policy Error: null"
    caught = refused(World.default(), "CreateTopic", Name="alerts", Attributes={"Colour": "blue"})
    assert caught.message == "Invalid parameter: Attributes Reason: Invalid attribute name: Colour"
    with pytest.raises(NotModeled):
        sns(World.default(), "CreateTopic", Name="alerts", DataProtectionPolicy="{}")


# -- the topic policy ---------------------------------------------------------------------------------------------


def test_add_and_remove_permission_edit_the_topic_policy() -> None:
    w = with_topic()
    sns(w, "AddPermission", TopicArn=ARN, Label="test", AWSAccountId=["111122223333"], ActionName=["Publish"])
    sns(
        w,
        "AddPermission",
        TopicArn=ARN,
        Label="two",
        AWSAccountId=["111122223333", "444455556666"],
        ActionName=["Publish", "Subscribe"],
    )
    statements = json.loads(attributes(w)["Policy"])["Statement"]
    assert [statement["Sid"] for statement in statements] == ["__default_statement_ID", "test", "two"]
    assert statements[1] == {
        "Sid": "test",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "SNS:Publish",
        "Resource": ARN,
    }
    assert statements[2]["Principal"] == {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]}
    assert statements[2]["Action"] == ["SNS:Publish", "SNS:Subscribe"]
    sns(w, "RemovePermission", TopicArn=ARN, Label="test")
    sns(w, "RemovePermission", TopicArn=ARN, Label="never-added")
    statements = json.loads(attributes(w)["Policy"])["Statement"]
    assert [statement["Sid"] for statement in statements] == ["__default_statement_ID", "two"]


def test_add_permission_refusals() -> None:
    w = with_topic()
    sns(w, "AddPermission", TopicArn=ARN, Label="test", AWSAccountId=[ACCOUNT], ActionName=["Publish"])
    for params, code, message in (
        (
            {"Label": "test", "ActionName": ["AddPermission"]},
            "InvalidParameter",
            "Invalid parameter: Statement already exists",
        ),
        (
            {"Label": "t2", "ActionName": ["InvalidAction"]},
            "InvalidParameter",
            "Invalid parameter: Policy statement action out of service scope!",
        ),
        ({"Label": "t2", "ActionName": ["Publish"], "TopicArn": ARN + "-absent"}, "NotFound", "Topic does not exist"),
    ):
        caught = refused(w, "AddPermission", **{"TopicArn": ARN, "AWSAccountId": [ACCOUNT], **params})
        assert (caught.code, caught.message) == (code, message)
    assert refused(w, "RemovePermission", TopicArn=ARN + "-absent", Label="test").code == "NotFound"


def test_an_explicit_deny_in_the_topic_policy_is_an_authorization_error() -> None:
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": ARN}
        ],
    }
    w = with_topic(Policy=deny)
    caught = refused(w, "Publish", TopicArn=ARN, Message="hello")
    assert (caught.code, caught.status) == ("AuthorizationError", 403)
    assert (
        caught.message == f"User: {ROOT} is not authorized to perform: SNS:Publish on resource: {ARN} with an explicit "
        "deny in a resource-based policy"
    )
    assert refused(w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE).code == "AuthorizationError"
    assert "Attributes" in sns(w, "GetTopicAttributes", TopicArn=ARN)


def test_cloudtrail_still_reads_the_topic_policy() -> None:
    """A topic created through SNS without a policy has SNS's default one, which CloudTrail may not publish to."""
    w = World.default()
    sns(w, "CreateTopic", Name="alerts")
    with pytest.raises(AwsError) as caught:
        w.backend().call("cloudtrail", "UpdateTrail", {"Name": "main", "SnsTopicName": "alerts"})
    assert caught.value.code == "InsufficientSnsTopicPolicyException"
    allow = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "SNS:Publish",
                "Resource": ARN,
            }
        ]
    }
    sns(w, "SetTopicAttributes", TopicArn=ARN, AttributeName="Policy", AttributeValue=json.dumps(allow))
    assert (
        w.backend().call("cloudtrail", "UpdateTrail", {"Name": "main", "SnsTopicName": "alerts"})["SnsTopicARN"] == ARN
    )


# -- tags -----------------------------------------------------------------------------------------------------------


def test_topic_tags() -> None:
    w = with_topic()
    duplicate = [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}, {"Key": "k2", "Value": "v2"}]
    caught = refused(w, "TagResource", ResourceArn=ARN, Tags=duplicate)
    assert (caught.code, caught.message) == ("InvalidParameter", "Invalid parameter: Duplicated keys are not allowed.")
    sns(w, "TagResource", ResourceArn=ARN, Tags=duplicate[:2])
    assert sns(w, "ListTagsForResource", ResourceArn=ARN) == {"Tags": duplicate[:2]}
    sns(w, "UntagResource", ResourceArn=ARN, TagKeys=["k1"])
    sns(w, "TagResource", ResourceArn=ARN, Tags=[{"Key": "k2", "Value": "v2b"}])
    assert sns(w, "ListTagsForResource", ResourceArn=ARN) == {"Tags": [{"Key": "k2", "Value": "v2b"}]}
    assert w.to_dict()["Topics"][0]["Tags"] == {"k2": "v2b"}
    caught = refused(w, "ListTagsForResource", ResourceArn=ARN + "x")
    assert (caught.code, caught.status) == ("ResourceNotFound", 404)
    many = [{"Key": f"x{index}", "Value": "v"} for index in range(50)]
    assert refused(w, "TagResource", ResourceArn=ARN, Tags=many).code == "TagLimitExceeded"


# -- subscriptions --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("protocol", "endpoint", "pending"),
    [
        ("email", "ops@example.com", True),
        ("email-json", "ops@example.com", True),
        ("http", "http://example.com/hook", True),
        ("https", "https://example.com/hook", True),
        ("sqs", QUEUE, False),
        ("lambda", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f", False),
        ("sqs", "arn:aws:sqs:us-east-1:111122223333:theirs", True),
        ("sms", "+15555550100", False),
    ],
)
def test_subscriptions_confirm_as_the_api_reference_says(protocol: str, endpoint: str, pending: bool) -> None:
    w = with_topic()
    answer = sns(w, "Subscribe", TopicArn=ARN, Protocol=protocol, Endpoint=endpoint)
    listed = sns(w, "ListSubscriptionsByTopic", TopicArn=ARN)["Subscriptions"]
    arn = w.topics[("us-east-1", "alerts")].subscriptions[0].arn
    assert arn.startswith(f"{ARN}:")
    assert answer == {"SubscriptionArn": "pending confirmation" if pending else arn}
    assert listed == [
        {
            "SubscriptionArn": "PendingConfirmation" if pending else arn,
            "Owner": ACCOUNT,
            "Protocol": protocol,
            "Endpoint": endpoint,
            "TopicArn": ARN,
        }
    ]
    assert sns(w, "Subscribe", TopicArn=ARN, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=True) == {
        "SubscriptionArn": arn
    }
    got = sns(w, "GetSubscriptionAttributes", SubscriptionArn=arn)["Attributes"]
    assert (got["PendingConfirmation"], got["ConfirmationWasAuthenticated"]) == (
        ("true", "false") if pending else ("false", "true")
    )
    counts = attributes(w)
    assert (counts["SubscriptionsPending"], counts["SubscriptionsConfirmed"]) == (("1", "0") if pending else ("0", "1"))


def test_subscription_attributes() -> None:
    w = with_topic()
    arn = sns(w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE, Attributes={"RawMessageDelivery": "True"})[
        "SubscriptionArn"
    ]
    assert sns(w, "GetSubscriptionAttributes", SubscriptionArn=arn) == {
        "Attributes": {
            "ConfirmationWasAuthenticated": "true",
            "Endpoint": QUEUE,
            "Owner": ACCOUNT,
            "PendingConfirmation": "false",
            "Protocol": "sqs",
            "RawMessageDelivery": "true",
            "SubscriptionArn": arn,
            "SubscriptionPrincipal": ROOT,
            "TopicArn": ARN,
        }
    }
    policy = json.dumps({"attr1": [{"numeric": [">", 0, "<=", 100]}]})
    sns(w, "SetSubscriptionAttributes", SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=policy)
    got = sns(w, "GetSubscriptionAttributes", SubscriptionArn=arn)["Attributes"]
    assert (got["FilterPolicy"], got["FilterPolicyScope"]) == (policy, "MessageAttributes")
    sns(w, "SetSubscriptionAttributes", SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue="")
    assert "FilterPolicy" not in sns(w, "GetSubscriptionAttributes", SubscriptionArn=arn)["Attributes"]
    web = sns(w, "Subscribe", TopicArn=ARN, Protocol="https", Endpoint="https://x.test", ReturnSubscriptionArn=True)
    assert (
        "EffectiveDeliveryPolicy"
        in sns(w, "GetSubscriptionAttributes", SubscriptionArn=web["SubscriptionArn"])["Attributes"]
    )


def test_subscribe_is_idempotent_unless_the_attributes_differ() -> None:
    w = with_topic()
    first = sns(w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE, Attributes={"RawMessageDelivery": "true"})
    for attributes_given in ({"RawMessageDelivery": "true"}, {}, None):
        params: dict[str, Any] = {"TopicArn": ARN, "Protocol": "sqs", "Endpoint": QUEUE}
        if attributes_given is not None:
            params["Attributes"] = attributes_given
        assert sns(w, "Subscribe", **params) == first
    caught = refused(
        w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE, Attributes={"RawMessageDelivery": "false"}
    )
    assert (
        caught.message == "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
    )
    assert len(w.topics[("us-east-1", "alerts")].subscriptions) == 1


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"Protocol": "test-protocol", "Endpoint": "x"},
            "InvalidParameter",
            "Invalid parameter: Amazon SNS does not support this protocol string: test-protocol",
        ),
        (
            {"Protocol": "sqs", "Endpoint": "https://sqs.us-east-1.amazonaws.com/123456789012/inbox"},
            "InvalidParameter",
            "Invalid parameter: SQS endpoint ARN",
        ),
        (
            {"Protocol": "sqs", "Endpoint": QUEUE + ".fifo"},
            "InvalidParameter",
            "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
            "subscribed to standard SNS topics",
        ),
        ({"Protocol": "sms", "Endpoint": "+15--551234567"}, "InvalidParameter", "Invalid SMS endpoint: +15--551234567"),
        (
            {"Protocol": "sqs", "Endpoint": QUEUE, "Attributes": {"RawMessageDelivery": "wrongvalue"}},
            "InvalidParameter",
            "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. "
            "Must be true or false.",
        ),
        (
            {"Protocol": "sqs", "Endpoint": QUEUE, "Attributes": {"FilterPolicy": "{invalid"}},
            "InvalidParameter",
            "Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON.",
        ),
        (
            {
                "Protocol": "sqs",
                "Endpoint": QUEUE,
                "Attributes": {"RedrivePolicy": json.dumps({"deadLetterTargetArn": "x"})},
            },
            "InvalidParameter",
            "Invalid parameter: Attributes Reason: RedrivePolicy: deadLetterTargetArn is an invalid arn",
        ),
        ({"Protocol": "sqs", "Endpoint": QUEUE, "TopicArn": ARN + "x"}, "NotFound", "Topic does not exist"),
        (
            {"Protocol": "sqs", "Endpoint": QUEUE, "TopicArn": "alerts"},
            "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
        ),
    ],
)
def test_subscribe_refusals(params: dict[str, Any], code: str, message: str) -> None:
    caught = refused(with_topic(), "Subscribe", **{"TopicArn": ARN, **params})
    assert (caught.code, caught.message) == (code, message)


def test_unsubscribe_and_its_refusals() -> None:
    w = with_topic()
    arn = sns(w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE)["SubscriptionArn"]
    assert sns(w, "Unsubscribe", SubscriptionArn=arn) == {}
    assert sns(w, "Unsubscribe", SubscriptionArn=arn) == {}  # idempotent, as observed
    assert sns(w, "ListSubscriptions") == {"Subscriptions": []}
    for value, message in (
        (
            "pending confirmation",
            "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
        ),
        (
            "arn:aws:sns:us-east-1:123456789012",
            "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5",
        ),
        (ARN, "Invalid parameter: SubscriptionId"),
        ("", "Invalid parameter: SubscriptionArn Reason: no value for required parameter"),
    ):
        assert refused(w, "Unsubscribe", SubscriptionArn=value).message == message
    caught = refused(w, "GetSubscriptionAttributes", SubscriptionArn=arn)
    assert (caught.code, caught.message, caught.status) == ("NotFound", "Subscription does not exist", 404)
    caught = refused(
        w, "SetSubscriptionAttributes", SubscriptionArn=arn, AttributeName="RawMessageDelivery", AttributeValue="true"
    )
    assert caught.code == "NotFound"


def test_set_subscription_attributes_refusals() -> None:
    w = with_topic()
    arn = sns(w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE)["SubscriptionArn"]
    caught = refused(w, "SetSubscriptionAttributes", SubscriptionArn=arn, AttributeName="Colour", AttributeValue="x")
    assert caught.message == "Invalid parameter: AttributeName"
    caught = refused(
        w, "SetSubscriptionAttributes", SubscriptionArn=arn, AttributeName="RawMessageDelivery", AttributeValue=""
    )
    assert caught.message == "Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false."


def test_list_subscriptions_spans_the_regions_topics() -> None:
    w = world(Topics=[{"Name": "b"}, {"Name": "a"}, {"Name": "c", "Region": "eu-west-1"}])
    for name in ("a", "b"):
        sns(w, "Subscribe", TopicArn=ARN.replace("alerts", name), Protocol="sqs", Endpoint=QUEUE)
    listed = sns(w, "ListSubscriptions")["Subscriptions"]
    assert [entry["TopicArn"].rpartition(":")[2] for entry in listed] == ["a", "b"]


def test_application_endpoints_do_not_exist_and_phone_numbers_are_not_modelled() -> None:
    endpoint = f"arn:aws:sns:us-east-1:{ACCOUNT}:endpoint/GCM/app/1"
    assert (
        refused(with_topic(), "Subscribe", TopicArn=ARN, Protocol="application", Endpoint=endpoint).code
        == "InvalidParameter"
    )
    with pytest.raises(NotModeled):
        sns(with_topic(), "Publish", PhoneNumber="+15555550100", Message="hi")
    caught = refused(with_topic(), "Publish", TargetArn=endpoint, Message="hi")
    assert caught.message == "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified"


# -- Publish --------------------------------------------------------------------------------------------------------


def test_publish_records_the_message_with_a_deterministic_id() -> None:
    w, twin = with_topic(), with_topic()
    params = {
        "TopicArn": ARN,
        "Message": "disk full",
        "Subject": "Alarm",
        "MessageAttributes": {
            "level": {"DataType": "String", "StringValue": "ERROR"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    }
    first = sns(w, "Publish", **params)
    assert first == sns(twin, "Publish", **params)
    second = sns(w, "Publish", TopicArn=ARN, Message="again")
    assert first["MessageId"] != second["MessageId"]
    assert w.to_dict()["Topics"][0]["Messages"][0] == {
        "MessageId": first["MessageId"],
        "Message": "disk full",
        "Subject": "Alarm",
        "MessageStructure": None,
        "MessageAttributes": {
            "level": {"DataType": "String", "StringValue": "ERROR"},
            "blob": {"DataType": "Binary", "BinaryValue": "AAE="},
        },
        "MessageGroupId": None,
        "MessageDeduplicationId": None,
        "SequenceNumber": None,
        "Timestamp": "2026-01-01T00:00:00Z",
    }
    assert sns(w, "Publish", TargetArn=ARN, Message="by target")["MessageId"]


def test_publish_to_a_fifo_topic() -> None:
    w = world(Topics=[{"Name": "orders.fifo", "Attributes": {"FifoTopic": "true"}}])
    arn = ARN.replace("alerts", "orders.fifo")
    caught = refused(w, "Publish", TopicArn=arn, Message="m")
    assert caught.message == "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
    caught = refused(w, "Publish", TopicArn=arn, Message="m", MessageGroupId="g")
    assert caught.message == (
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled "
        "or MessageDeduplicationId provided explicitly"
    )
    answer = sns(w, "Publish", TopicArn=arn, Message="m", MessageGroupId="g", MessageDeduplicationId="d")
    assert answer["SequenceNumber"] == f"{1:020d}"


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"Message": ""}, "InvalidParameter", "Invalid parameter: Empty message"),
        ({"Message": "x" * 262_145}, "InvalidParameter", "Invalid parameter: Message too long"),
        ({"Message": "m", "Subject": "line\nbreak"}, "InvalidParameter", "Invalid parameter: Subject"),
        ({"Message": "m", "Subject": "x" * 100}, "InvalidParameter", "Invalid parameter: Subject"),
        (
            {"Message": "{nope", "MessageStructure": "json"},
            "InvalidParameter",
            "Invalid parameter: Message Structure - JSON message body failed to parse",
        ),
        (
            {"Message": json.dumps({"sqs": "x"}), "MessageStructure": "json"},
            "InvalidParameter",
            "Invalid parameter: Message Structure - No default entry in JSON message body",
        ),
        (
            {"Message": "m", "MessageDeduplicationId": "d"},
            "InvalidParameter",
            "Invalid parameter: MessageDeduplicationId Reason: The request includes "
            "MessageDeduplicationId parameter that is not valid for this topic type",
        ),
        ({"Message": "m", "TopicArn": ARN + "x"}, "NotFound", "Topic does not exist"),
        (
            {"Message": "m", "MessageAttributes": {"attr1": {"DataType": "Text", "StringValue": "v"}}},
            "ParameterValueInvalid",
            "The message attribute 'attr1' has an invalid message attribute type, the set of "
            "supported type prefixes is Binary, Number, and String.",
        ),
        (
            {"Message": "m", "MessageAttributes": {"attr1": {"DataType": "String", "StringValue": ""}}},
            "ParameterValueInvalid",
            "The message attribute 'attr1' must contain non-empty message attribute value for "
            "message attribute type 'String'.",
        ),
        (
            {"Message": "m", "MessageAttributes": {"attr1": {"DataType": "Number", "BinaryValue": b"1"}}},
            "ParameterValueInvalid",
            "The message attribute 'attr1' with type 'Number' must use field 'String'.",
        ),
        (
            {"Message": "m", "MessageAttributes": {"attr1": {"DataType": "Binary", "StringValue": "1"}}},
            "ParameterValueInvalid",
            "The message attribute 'attr1' with type 'Binary' must use field 'Binary'.",
        ),
        (
            {"Message": "m", "MessageAttributes": {".attr": {"DataType": "String", "StringValue": "v"}}},
            "ParameterValueInvalid",
            "Invalid message attribute name starting with character '.' was found.",
        ),
        (
            {"Message": "m", "MessageAttributes": {"a..b": {"DataType": "String", "StringValue": "v"}}},
            "ParameterValueInvalid",
            "Message attribute name can not have successive '.' character.",
        ),
        (
            {"Message": "m", "MessageAttributes": {"a^b": {"DataType": "String", "StringValue": "v"}}},
            "ParameterValueInvalid",
            "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can "
            "only include alphanumeric characters, hyphens, underscores, or dots.",
        ),
        (
            {"Message": "m", "MessageAttributes": {"attr1": {"StringValue": "v"}}},
            "ValidationError",
            "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' "
            "failed to satisfy constraint: Member must not be null",
        ),
    ],
)
def test_publish_refusals(params: dict[str, Any], code: str, message: str) -> None:
    caught = refused(with_topic(), "Publish", **{"TopicArn": ARN, **params})
    assert (caught.code, caught.message) == (code, message)


def test_publishing_to_an_encrypted_topic_needs_its_key() -> None:
    w = with_topic(Attributes={"KmsMasterKeyId": "alias/cloudtrail"})
    assert sns(w, "Publish", TopicArn=ARN, Message="m")["MessageId"]
    assert sns(with_topic(Attributes={"KmsMasterKeyId": "alias/aws/sns"}), "Publish", TopicArn=ARN, Message="m")
    assert (
        refused(with_topic(Attributes={"KmsMasterKeyId": "alias/absent"}), "Publish", TopicArn=ARN, Message="m").code
        == "KMSNotFound"
    )
    disabled = with_topic(Attributes={"KmsMasterKeyId": KEY_ARN})
    disabled.backend().call("kms", "DisableKey", {"KeyId": next(iter(disabled.keys))})
    assert refused(disabled, "Publish", TopicArn=ARN, Message="m").code == "KMSDisabled"


def test_boto3_sees_sns_errors_as_its_own_exception_classes() -> None:
    client = fake_session(with_topic().backend()).client("sns")
    with pytest.raises(client.exceptions.NotFoundException):
        client.publish(TopicArn=ARN + "x", Message="m")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.get_topic_attributes(TopicArn="alerts")
    assert client.publish(TopicArn=ARN, Message="m")["MessageId"]


# -- the world file -------------------------------------------------------------------------------------------------


def test_every_new_topic_key_round_trips(tmp_path: Any) -> None:
    w = World.default()
    sns(w, "CreateTopic", Name="alerts", Attributes={"DisplayName": "Alerts"}, Tags=[{"Key": "team", "Value": "ops"}])
    sns(w, "Subscribe", TopicArn=ARN, Protocol="email", Endpoint="ops@example.com")
    sns(w, "Subscribe", TopicArn=ARN, Protocol="sqs", Endpoint=QUEUE, Attributes={"RawMessageDelivery": "true"})
    sns(w, "AddPermission", TopicArn=ARN, Label="l", AWSAccountId=["111122223333"], ActionName=["Publish"])
    sns(
        w, "Publish", TopicArn=ARN, Message="hello", MessageAttributes={"n": {"DataType": "Number", "StringValue": "1"}}
    )
    data = w.to_dict()
    topic = data["Topics"][0]
    assert list(topic) == ["Name", "Region", "Policy", "Attributes", "Tags", "Subscriptions", "Messages"]
    assert [s["Protocol"] for s in topic["Subscriptions"]] == ["email", "sqs"]
    assert World.from_dict(data) == w
    w.dump(tmp_path / "w.yaml")
    reloaded = World.load(tmp_path / "w.yaml")
    assert reloaded == w
    assert sns(reloaded, "ListSubscriptionsByTopic", TopicArn=ARN) == sns(w, "ListSubscriptionsByTopic", TopicArn=ARN)
    assert sns(reloaded, "Publish", TopicArn=ARN, Message="m") == sns(w, "Publish", TopicArn=ARN, Message="m")


@pytest.mark.parametrize(
    ("topic", "key"),
    [
        ({"Name": "t.fifo"}, "Topics[0].Name"),
        ({"Name": "t", "Attributes": {"Policy": "{}"}}, "Topics[0].Attributes"),
        ({"Name": "t", "Tags": {"a": None}}, "Topics[0].Tags"),
        (
            {"Name": "t", "Subscriptions": [{"SubscriptionArn": "x", "Protocol": "sqs", "Endpoint": QUEUE}]},
            "Topics[0].Subscriptions[0].SubscriptionArn",
        ),
        (
            {"Name": "t", "Subscriptions": [{"SubscriptionArn": f"{ARN}:1", "Protocol": "sqs", "Endpoint": QUEUE}]},
            "Topics[0].Subscriptions[0].SubscriptionArn",
        ),
        (
            {
                "Name": "t",
                "Subscriptions": [
                    {"SubscriptionArn": f"{ARN.replace('alerts', 't')}:1", "Protocol": "pigeon", "Endpoint": "x"}
                ],
            },
            "Topics[0].Subscriptions[0].Protocol",
        ),
        ({"Name": "t", "Messages": [{"Message": "m"}]}, "Topics[0].Messages[0].MessageId"),
        (
            {"Name": "t", "Messages": [{"MessageId": "1", "Message": "m", "Sender": "me"}]},
            "Topics[0].Messages[0].Sender",
        ),
    ],
)
def test_bad_topic_values_in_the_world_file_are_refused_by_key(topic: dict[str, Any], key: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict({"Topics": [topic]})
    assert caught.value.key == key


def test_a_delivery_policy_from_the_world_file_that_is_not_json_is_reported_but_not_applied() -> None:
    got = attributes(with_topic(Attributes={"DeliveryPolicy": "not json"}))
    assert got["DeliveryPolicy"] == "not json"
    assert json.loads(got["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3
