"""Differential tests of the fake CloudWatch Logs, SNS and STS against moto's server (real HTTP on 127.0.0.1): the
same call sequence through the same botocore clients, comparing error codes and the response fields that matter.

Only what moto models faithfully is compared. Where moto is wrong, the sequence leaves the call out or compares
less, and says so, citing AWS's own page:
- Logs: moto accepts any retentionInDays (PutRetentionPolicy lists the allowed values); answers a duplicate
  CreateLogStream with "The specified log group already exists" and DeleteLogStream on a missing stream with the
  log group's message (recorded AWS answers: "The specified log stream already exists" / "... does not exist.");
  drops the final period of DeleteResourcePolicy's "Policy with name [x] does not exist."; succeeds at
  DeleteMetricFilter on a missing filter and PutMetricFilter on a missing group (the API reference lists
  ResourceNotFoundException for both); names the log group when GetLogEvents reads a missing stream; reports
  metricFilterCount 0 whatever the filters; leaves out logGroupClass and policyScope; does not model
  AssociateKmsKey.
- SNS: moto confirms email subscriptions at once (Subscribe's API reference: http/s and email endpoints must
  confirm); returns the existing topic when CreateTopic gives different attributes (recorded AWS answer:
  InvalidParameter "... Topic already exists with different attributes"); words InvalidParameter messages without
  their "Invalid parameter: " prefix; answers Publish to a missing topic with "Endpoint does not exist" (recorded
  AWS answer: "Topic does not exist"); its EffectiveDeliveryPolicy lacks the "http" wrapper AWS returns.
- STS: moto lets anyone assume any role, even one that does not exist (AssumeRole's API reference: the trust
  policy must allow the caller); its caller is a user named moto.
Event timestamps come from each side's own clock (the fake's is simulated), so events are compared by message.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from tests.fakes.boto import fake_session
from tests.fakes.test_moto_differential import Observer
from toolkit.fakes.backend import EPOCH
from toolkit.fakes.world import World

ACCOUNT = "123456789012"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:app"
TOPIC_ARN = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:inbox"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}],
}
RESOURCE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "route53.amazonaws.com"},
                "Action": "logs:PutLogEvents",
                "Resource": "*",
            }
        ],
    }
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def moto(aws: str) -> Any:
    """A boto3 session whose clients talk to moto's server (reset after the test)."""
    import boto3

    return boto3.session.Session(region_name="us-east-1")


def fake(**data: Any) -> Any:
    return fake_session(World.from_dict(data).backend())


# -- CloudWatch Logs ----------------------------------------------------------------------------------------------


def log_groups(session: Any) -> list[Any]:
    logs = session.client("logs")
    see = Observer()
    group_fields = ("logGroupName", "arn", "logGroupArn", "storedBytes", "retentionInDays")
    see("create", lambda: logs.create_log_group(logGroupName="app", tags={"team": "ops"}))
    see("create again", lambda: logs.create_log_group(logGroupName="app"))
    see("create too long", lambda: logs.create_log_group(logGroupName="a" * 513), ())
    see.seen[-1] = see.seen[-1][:2]  # moto words it as any validation error; AWS: "Invalid LogGroup or LogStream..."
    see("describe", lambda: logs.describe_log_groups(logGroupNamePrefix="ap")["logGroups"][0], group_fields)
    see("retention", lambda: logs.put_retention_policy(logGroupName="app", retentionInDays=30))
    see("described", lambda: logs.describe_log_groups()["logGroups"][0], group_fields)
    see("no retention", lambda: logs.delete_retention_policy(logGroupName="app"))
    see("described", lambda: logs.describe_log_groups()["logGroups"][0], group_fields)
    see("retention missing", lambda: logs.put_retention_policy(logGroupName="absent", retentionInDays=7))
    see("delete missing", lambda: logs.delete_log_group(logGroupName="absent"))
    see("tag", lambda: logs.tag_resource(resourceArn=GROUP_ARN, tags={"env": "test"}))
    see("tags", lambda: logs.list_tags_for_resource(resourceArn=GROUP_ARN))
    see("untag", lambda: logs.untag_resource(resourceArn=GROUP_ARN, tagKeys=["team"]))
    see("tags by name", lambda: logs.list_tags_log_group(logGroupName="app"))
    see("delete", lambda: logs.delete_log_group(logGroupName="app"))
    see("none left", lambda: logs.describe_log_groups())
    return see.seen


def log_events(session: Any, now: int) -> list[Any]:
    logs = session.client("logs")
    see = Observer()
    logs.create_log_group(logGroupName="app")
    see("stream", lambda: logs.create_log_stream(logGroupName="app", logStreamName="web"))
    see("stream of a missing group", lambda: logs.create_log_stream(logGroupName="absent", logStreamName="web"))
    streams = logs.describe_log_streams(logGroupName="app")["logStreams"]
    see.seen.append([(stream["logStreamName"], stream["arn"], stream["storedBytes"]) for stream in streams])
    batch = [{"timestamp": now - 20, "message": "ERROR disk"}, {"timestamp": now - 10, "message": "INFO fine"}]
    see("put", lambda: logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=batch), ("x",))
    see(
        "out of order",
        lambda: logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=batch[::-1]),
    )
    see("missing stream", lambda: logs.put_log_events(logGroupName="app", logStreamName="absent", logEvents=batch))
    got = see("get", lambda: logs.get_log_events(logGroupName="app", logStreamName="web"), ("nextForwardToken",))
    see.seen.append([event["message"] for event in got.get("events", [])])
    head = see(
        "head",
        lambda: logs.get_log_events(logGroupName="app", logStreamName="web", startFromHead=True, limit=1),
        ("nextForwardToken", "nextBackwardToken"),
    )
    see.seen.append([event["message"] for event in head.get("events", [])])
    found = logs.filter_log_events(logGroupName="app", filterPattern="ERROR")["events"]
    see.seen.append([(event["logStreamName"], event["message"]) for event in found])
    see("get from a missing stream", lambda: logs.get_log_events(logGroupName="app", logStreamName="absent"))
    see.seen[-1] = see.seen[-1][:2]  # moto names the log group; AWS: "The specified log stream does not exist."
    see("delete stream", lambda: logs.delete_log_stream(logGroupName="app", logStreamName="web"))
    return see.seen


def log_policies(session: Any) -> list[Any]:
    logs = session.client("logs")
    see = Observer()
    logs.create_log_group(logGroupName="app")
    see(
        "put policy",
        lambda: logs.put_resource_policy(policyName="route53", policyDocument=RESOURCE_POLICY)["resourcePolicy"],
        ("policyName", "policyDocument"),
    )
    listed = logs.describe_resource_policies()["resourcePolicies"]
    see.seen.append([(policy["policyName"], policy["policyDocument"]) for policy in listed])
    see("delete policy", lambda: logs.delete_resource_policy(policyName="route53"))
    see("delete it again", lambda: logs.delete_resource_policy(policyName="route53"))
    see.seen[-1] = see.seen[-1][:2]  # moto's message drops AWS's final period
    transformations = [{"metricName": "errors", "metricNamespace": "App", "metricValue": "1", "defaultValue": 0}]
    see(
        "filter",
        lambda: logs.put_metric_filter(
            logGroupName="app", filterName="errors", filterPattern="ERROR", metricTransformations=transformations
        ),
    )
    filters = logs.describe_metric_filters(logGroupName="app")["metricFilters"]
    fields = ("filterName", "filterPattern", "metricTransformations", "logGroupName")
    see.seen.append([{key: item[key] for key in fields} for item in filters])
    see("delete filter", lambda: logs.delete_metric_filter(logGroupName="app", filterName="errors"))
    see("no filters", lambda: logs.describe_metric_filters(logGroupName="app"))
    return see.seen


def test_log_groups_answer_as_moto_does(moto: Any) -> None:
    assert log_groups(fake()) == log_groups(moto)


def test_log_events_answer_as_moto_does(moto: Any) -> None:
    fake_now = int(EPOCH.timestamp() * 1000)
    assert log_events(fake(), fake_now) == log_events(moto, int(time.time() * 1000))


def test_log_policies_and_metric_filters_answer_as_moto_does(moto: Any) -> None:
    assert log_policies(fake()) == log_policies(moto)


# -- SNS ----------------------------------------------------------------------------------------------------------


def topics(session: Any) -> list[Any]:
    sns = session.client("sns")
    see = Observer()
    attribute_fields = ("TopicArn", "Owner", "DisplayName", "SubscriptionsConfirmed", "SubscriptionsPending")
    see("create", lambda: sns.create_topic(Name="alerts", Attributes={"DisplayName": "Alerts"}))
    see("create again", lambda: sns.create_topic(Name="alerts"))
    see("bad name", lambda: sns.create_topic(Name="a b"))
    see.seen[-1] = see.seen[-1][:2]  # moto words the message its own way; AWS says "Invalid parameter: Topic Name"
    see("attributes", lambda: sns.get_topic_attributes(TopicArn=TOPIC_ARN)["Attributes"], attribute_fields)
    policy = json.loads(sns.get_topic_attributes(TopicArn=TOPIC_ARN)["Attributes"]["Policy"])
    see.seen.append(policy)
    see("missing", lambda: sns.get_topic_attributes(TopicArn=TOPIC_ARN + "x"))
    published = see("publish", lambda: sns.publish(TopicArn=TOPIC_ARN, Message="hello"), ("x",))
    see.seen.append(bool(UUID.fullmatch(published.get("MessageId", ""))))
    see("publish to a missing topic", lambda: sns.publish(TopicArn=TOPIC_ARN + "x", Message="hello"))
    see.seen[-1] = see.seen[-1][:2]  # moto says "Endpoint does not exist"; AWS: "Topic does not exist"
    grant = {"Label": "partner", "AWSAccountId": ["111122223333"], "ActionName": ["Publish"]}
    see("grant", lambda: sns.add_permission(TopicArn=TOPIC_ARN, **grant))
    see("grant again", lambda: sns.add_permission(TopicArn=TOPIC_ARN, **grant))
    see.seen[-1] = see.seen[-1][:2]  # moto drops AWS's "Invalid parameter: " prefix
    see.seen.append(json.loads(sns.get_topic_attributes(TopicArn=TOPIC_ARN)["Attributes"]["Policy"])["Statement"])
    see("revoke", lambda: sns.remove_permission(TopicArn=TOPIC_ARN, Label="partner"))
    see.seen.append(json.loads(sns.get_topic_attributes(TopicArn=TOPIC_ARN)["Attributes"]["Policy"]))
    see("tag", lambda: sns.tag_resource(ResourceArn=TOPIC_ARN, Tags=[{"Key": "team", "Value": "ops"}]))
    see("tags", lambda: sns.list_tags_for_resource(ResourceArn=TOPIC_ARN))
    see("untag", lambda: sns.untag_resource(ResourceArn=TOPIC_ARN, TagKeys=["team"]))
    see("tags", lambda: sns.list_tags_for_resource(ResourceArn=TOPIC_ARN))
    see("tags of a missing topic", lambda: sns.list_tags_for_resource(ResourceArn=TOPIC_ARN + "x"))
    see("list", lambda: sns.list_topics())
    see("delete", lambda: sns.delete_topic(TopicArn=TOPIC_ARN))
    see("delete again", lambda: sns.delete_topic(TopicArn=TOPIC_ARN))
    see("none left", lambda: sns.list_topics())
    return see.seen


def subscriptions(session: Any) -> list[Any]:
    sns = session.client("sns")
    see = Observer()
    sns.create_topic(Name="alerts")
    arn = see("subscribe", lambda: sns.subscribe(TopicArn=TOPIC_ARN, Protocol="sqs", Endpoint=QUEUE), ("x",))
    subscription = arn.get("SubscriptionArn", "")
    see.seen.append(subscription.startswith(f"{TOPIC_ARN}:") and bool(UUID.fullmatch(subscription.split(":")[-1])))
    see("again", lambda: sns.subscribe(TopicArn=TOPIC_ARN, Protocol="sqs", Endpoint=QUEUE), ("x",))
    see.seen.append(sns.subscribe(TopicArn=TOPIC_ARN, Protocol="sqs", Endpoint=QUEUE) == arn)
    fields = ("Owner", "Protocol", "Endpoint", "TopicArn")
    see.seen.append([{key: entry[key] for key in fields} for entry in sns.list_subscriptions()["Subscriptions"]])
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]
    shared = ("ConfirmationWasAuthenticated", "Endpoint", "Owner", "PendingConfirmation", "Protocol")
    see.seen.append({key: attributes[key] for key in (*shared, "RawMessageDelivery", "TopicArn")})
    see(
        "raw delivery",
        lambda: sns.set_subscription_attributes(
            SubscriptionArn=subscription, AttributeName="RawMessageDelivery", AttributeValue="true"
        ),
    )
    see.seen.append(sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]["RawMessageDelivery"])
    see("unsubscribe", lambda: sns.unsubscribe(SubscriptionArn=subscription))
    see("unsubscribe again", lambda: sns.unsubscribe(SubscriptionArn=subscription))
    see("attributes of a gone one", lambda: sns.get_subscription_attributes(SubscriptionArn=subscription))
    see("by topic", lambda: sns.list_subscriptions_by_topic(TopicArn=TOPIC_ARN))
    see("by a missing topic", lambda: sns.list_subscriptions_by_topic(TopicArn=TOPIC_ARN + "x"))
    return see.seen


def test_topics_answer_as_moto_does(moto: Any) -> None:
    assert topics(fake()) == topics(moto)


def test_subscriptions_answer_as_moto_does(moto: Any) -> None:
    assert subscriptions(fake()) == subscriptions(moto)


# -- STS ----------------------------------------------------------------------------------------------------------


def assume(session: Any) -> list[Any]:
    sts = session.client("sts")
    see = Observer()
    answer = see(
        "assume",
        lambda: sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Deployer", RoleSessionName="deploy"),
        ("x",),
    )
    user = answer.get("AssumedRoleUser", {})
    credentials = answer.get("Credentials", {})
    see.seen.append((user.get("Arn"), user.get("AssumedRoleId", "").partition(":")[2]))
    see.seen.append((credentials.get("AccessKeyId", "")[:4], len(credentials.get("AccessKeyId", ""))))
    see("caller", lambda: sts.get_caller_identity(), ("Account",))
    return see.seen


def test_assume_role_answers_as_moto_does(moto: Any) -> None:
    moto.client("iam").create_role(RoleName="Deployer", AssumeRolePolicyDocument=json.dumps(TRUST))
    assert assume(fake(Roles=[{"Name": "Deployer", "AssumeRolePolicyDocument": TRUST}])) == assume(moto)
