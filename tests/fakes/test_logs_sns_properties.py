"""Properties of the Logs, SNS and STS fakes over random call sequences: a world copy and its original never affect
each other, responses and requests are never shared with the world, the same calls give the same world, and the
world file round-trips whatever state results. And every operation of these services that no fake models fails
loudly."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.test_copy import wreck
from tests.fakes.worlds import ACCOUNT
from toolkit.fakes.backend import operations
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.world import World

Call = tuple[str, str, dict[str, Any]]  # service, operation, params

NOW = 1_767_225_600_000  # the backend's fixed clock, in epoch milliseconds
groups = st.sampled_from(["/app/a", "/app/b"])
streams = st.sampled_from(["web", "api"])
topics = st.sampled_from(["alerts", "orders"])
small = st.sampled_from(["a", "b"])


def topic_arn(name: str) -> str:
    return f"arn:aws:sns:us-east-1:{ACCOUNT}:{name}"


@st.composite
def calls(draw: st.DrawFn) -> Call:
    group, stream, topic, word = draw(groups), draw(streams), draw(topics), draw(small)
    kind = draw(st.integers(0, 17))
    table: list[Call] = [
        ("logs", "CreateLogGroup", {"logGroupName": group, "tags": {word: word}}),
        ("logs", "DeleteLogGroup", {"logGroupName": group}),
        ("logs", "PutRetentionPolicy", {"logGroupName": group, "retentionInDays": draw(st.sampled_from([1, 7, 4]))}),
        ("logs", "CreateLogStream", {"logGroupName": group, "logStreamName": stream}),
        (
            "logs",
            "PutLogEvents",
            {"logGroupName": group, "logStreamName": stream, "logEvents": [{"timestamp": NOW - 1, "message": word}]},
        ),
        ("logs", "TagLogGroup", {"logGroupName": group, "tags": {word: "x"}}),
        (
            "logs",
            "PutMetricFilter",
            {
                "logGroupName": group,
                "filterName": word,
                "filterPattern": "ERROR",
                "metricTransformations": [{"metricName": word, "metricNamespace": "App", "metricValue": "1"}],
            },
        ),
        ("logs", "PutResourcePolicy", {"policyName": word, "policyDocument": '{"Statement": []}'}),
        ("logs", "DescribeLogGroups", {}),
        ("logs", "GetLogEvents", {"logGroupName": group, "logStreamName": stream}),
        ("sns", "CreateTopic", {"Name": topic, "Tags": [{"Key": word, "Value": word}]}),
        ("sns", "DeleteTopic", {"TopicArn": topic_arn(topic)}),
        (
            "sns",
            "Subscribe",
            {"TopicArn": topic_arn(topic), "Protocol": "sqs", "Endpoint": f"arn:aws:sqs:us-east-1:{ACCOUNT}:{word}"},
        ),
        ("sns", "Publish", {"TopicArn": topic_arn(topic), "Message": word}),
        (
            "sns",
            "SetTopicAttributes",
            {"TopicArn": topic_arn(topic), "AttributeName": "DisplayName", "AttributeValue": word},
        ),
        (
            "sns",
            "AddPermission",
            {"TopicArn": topic_arn(topic), "Label": word, "AWSAccountId": ["111122223333"], "ActionName": ["Publish"]},
        ),
        ("sns", "GetTopicAttributes", {"TopicArn": topic_arn(topic)}),
        ("sns", "ListSubscriptions", {}),
    ]
    return table[kind]


sequences = st.lists(calls(), max_size=12)


def run(world: World, sequence: list[Call], *, vandalise: bool = False) -> list[str | None]:
    outcomes: list[str | None] = []
    for service, operation, params in sequence:
        request = copy.deepcopy(params)
        try:
            response = world.backend().call(service, operation, request)
        except AwsError as err:
            outcomes.append(err.code)
            continue
        outcomes.append(None)
        assert request == params, f"{operation} changed its request"
        if vandalise:
            before = world.to_dict()
            wreck(response)
            wreck(request)
            assert world.to_dict() == before, f"{operation}'s response or request is shared with the world"
    return outcomes


@given(sequences, sequences)
def test_a_copy_and_its_original_never_affect_each_other(before: list[Call], after: list[Call]) -> None:
    original = World.default()
    run(original, before)
    twin = original.copy()
    twin_state = twin.to_dict()
    run(original, after)
    assert twin.to_dict() == twin_state
    original_state = original.to_dict()
    run(twin, before + after)
    assert original.to_dict() == original_state


@given(sequences)
def test_responses_and_requests_are_never_shared_with_the_world(sequence: list[Call]) -> None:
    run(World.default(), sequence, vandalise=True)


@given(sequences)
def test_the_same_calls_give_the_same_world_and_the_world_file_round_trips(sequence: list[Call]) -> None:
    first, second = World.default(), World.default()
    assert run(first, sequence) == run(second, sequence)
    assert first == second
    assert World.from_dict(first.to_dict()) == first


def test_the_sequences_reach_interesting_states() -> None:
    world = World.default()
    sequence = [
        ("logs", "CreateLogGroup", {"logGroupName": "/app/a", "tags": {"a": "a"}}),
        ("logs", "CreateLogStream", {"logGroupName": "/app/a", "logStreamName": "web"}),
        (
            "logs",
            "PutLogEvents",
            {"logGroupName": "/app/a", "logStreamName": "web", "logEvents": [{"timestamp": NOW - 1, "message": "a"}]},
        ),
        ("logs", "PutRetentionPolicy", {"logGroupName": "/app/a", "retentionInDays": 4}),
        ("sns", "CreateTopic", {"Name": "alerts"}),
        ("sns", "Publish", {"TopicArn": topic_arn("alerts"), "Message": "a"}),
    ]
    assert run(world, sequence, vandalise=True) == [None, None, None, "InvalidParameterException", None, None]
    assert world.to_dict()["LogGroups"][0]["Streams"][0]["Events"][0]["Message"] == "a"
    assert world.to_dict()["Topics"][0]["Messages"][0]["Message"] == "a"


@pytest.mark.parametrize("service", ["logs", "sns", "sts"])
def test_every_other_operation_of_these_services_is_not_modelled(service: str) -> None:
    import botocore.session

    names = botocore.session.get_session().get_service_model(service).operation_names
    modelled = operations(service)
    assert set(modelled) <= set(names), "an operation botocore's model does not have"
    backend = World.default().backend()
    for name in sorted(set(names) - set(modelled)):
        with pytest.raises(NotModeled):
            backend.call(service, name, {})
