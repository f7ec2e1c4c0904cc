"""The fake CloudWatch Logs: log groups, tags, retention, KMS keys, streams and events, resource policies and metric
filters; their errors as Logs gives them; and the world file's new LogGroups keys and LogResourcePolicies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, KEY_ARN, world
from toolkit.fakes.backend import EPOCH
from toolkit.fakes.default import DEFAULT_KEY_ID, default_data
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.logs import CREATED_MILLIS
from toolkit.fakes.world import World, WorldError

NOW = int(EPOCH.timestamp() * 1000)
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/main"
LOGS = {"Service": "logs.us-east-1.amazonaws.com"}
RESOURCE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Route53LogsToCloudWatchLogs",
                "Effect": "Allow",
                "Principal": {"Service": ["route53.amazonaws.com"]},
                "Action": "logs:PutLogEvents",
                "Resource": "*",
            }
        ],
    }
)


def logs(w: World, operation: str, region: str | None = None, **params: Any) -> dict[str, Any]:
    return w.backend(region).call("logs", operation, params)


def refused(w: World, operation: str, **params: Any) -> AwsError:
    before = w.to_dict()
    with pytest.raises(AwsError) as caught:
        logs(w, operation, **params)
    assert w.to_dict() == before, f"a refused {operation} changed the world"
    return caught.value


def with_group(**fields: Any) -> World:
    return world(LogGroups=[{"Name": "/app/main", **fields}])


TOO_LONG = "Invalid LogGroup or LogStream, both must have length less than or equal to 512."
BAD_NAME = (
    "1 validation error detected: Value 'a b' at 'logGroupName' failed to satisfy constraint: "
    "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"
)


def metric(name: str = "errors") -> list[dict[str, Any]]:
    return [{"metricName": name, "metricNamespace": "App", "metricValue": "1"}]


# -- log groups -------------------------------------------------------------------------------------------------


def test_a_created_group_is_described_with_the_simulated_clock() -> None:
    w = World.default()
    assert logs(w, "CreateLogGroup", logGroupName="/app/main", tags={"team": "ops"}) == {}
    assert logs(w, "DescribeLogGroups", logGroupNamePrefix="/app/") == {
        "logGroups": [
            {
                "logGroupName": "/app/main",
                "creationTime": NOW,
                "metricFilterCount": 0,
                "arn": f"{GROUP_ARN}:*",
                "logGroupClass": "STANDARD",
                "logGroupArn": GROUP_ARN,
                "storedBytes": 0,
                "deletionProtectionEnabled": False,
            }
        ]
    }
    assert logs(w, "ListTagsLogGroup", logGroupName="/app/main") == {"tags": {"team": "ops"}}
    assert logs(w, "DescribeLogGroups", region="eu-west-1") == {"logGroups": []}


def test_a_group_from_the_world_file_was_created_before_any_execution() -> None:
    group = logs(with_group(), "DescribeLogGroups")["logGroups"][0]
    assert group["creationTime"] == CREATED_MILLIS


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("/app/main", "ResourceAlreadyExistsException", "The specified log group already exists"),
        ("a" * 513, "InvalidParameterException", TOO_LONG),
        ("a b", "InvalidParameterException", BAD_NAME),
        ("aws/mine", "InvalidParameterException", "Log groups starting with AWS/ are reserved for AWS."),
    ],
)
def test_create_log_group_refusals(name: str, code: str, message: str) -> None:
    caught = refused(with_group(), "CreateLogGroup", logGroupName=name)
    assert (caught.code, caught.message, caught.status) == (code, message, 400)


def test_delete_log_group() -> None:
    w = with_group()
    assert logs(w, "DeleteLogGroup", logGroupName="/app/main") == {}
    assert w.log_groups == {}
    caught = refused(w, "DeleteLogGroup", logGroupName="/app/main")
    assert (caught.code, caught.message) == ("ResourceNotFoundException", "The specified log group does not exist.")


def test_describe_log_groups_by_pattern_is_case_blind_and_leaves_out_stored_bytes() -> None:
    w = world(LogGroups=[{"Name": name} for name in ("/App/Main", "/app/other", "unrelated")])
    groups = logs(w, "DescribeLogGroups", logGroupNamePattern="app")["logGroups"]
    assert [group["logGroupName"] for group in groups] == ["/App/Main", "/app/other"]
    assert all("storedBytes" not in group and "deletionProtectionEnabled" not in group for group in groups)
    caught = refused(w, "DescribeLogGroups", logGroupNamePattern="app", logGroupNamePrefix="/")
    assert caught.message == "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."


def test_describe_log_groups_pages_by_limit_and_token() -> None:
    w = world(LogGroups=[{"Name": f"g{index}"} for index in range(5)])
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} if token is None else {"limit": 2, "nextToken": token}
        answer = logs(w, "DescribeLogGroups", **params)
        seen += [group["logGroupName"] for group in answer["logGroups"]]
        pages += 1
        token = answer.get("nextToken")
        if token is None:
            break
    assert (seen, pages) == (["g0", "g1", "g2", "g3", "g4"], 3)
    assert refused(w, "DescribeLogGroups", nextToken="garbage!").message == "The specified nextToken is invalid."
    assert refused(w, "DescribeLogGroups", limit=51).code == "InvalidParameterException"


def test_describe_log_groups_by_identifiers_and_class() -> None:
    w = world(LogGroups=[{"Name": "a"}, {"Name": "b", "LogGroupClass": "INFREQUENT_ACCESS"}, {"Name": "c"}])
    arn_of_c = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:c"
    named = logs(w, "DescribeLogGroups", logGroupIdentifiers=["a", arn_of_c])["logGroups"]
    assert [group["logGroupName"] for group in named] == ["a", "c"]
    infrequent = logs(w, "DescribeLogGroups", logGroupClass="INFREQUENT_ACCESS")["logGroups"]
    assert [(group["logGroupName"], group["logGroupClass"]) for group in infrequent] == [("b", "INFREQUENT_ACCESS")]


def test_deletion_protection_is_not_modelled() -> None:
    with pytest.raises(NotModeled):
        logs(World.default(), "CreateLogGroup", logGroupName="g", deletionProtectionEnabled=True)


# -- tags -------------------------------------------------------------------------------------------------------


def test_tags_by_arn_and_by_name_are_the_same_tags() -> None:
    w = with_group(Tags={"env": "test"})
    logs(w, "TagResource", resourceArn=GROUP_ARN, tags={"a": "1", "b": "2"})
    logs(w, "TagLogGroup", logGroupName="/app/main", tags={"c": "3"})
    both = {"env": "test", "a": "1", "b": "2", "c": "3"}
    assert logs(w, "ListTagsForResource", resourceArn=GROUP_ARN) == {"tags": both}
    assert logs(w, "ListTagsLogGroup", logGroupName="/app/main") == {"tags": both}
    logs(w, "UntagResource", resourceArn=GROUP_ARN, tagKeys=["env", "a"])
    logs(w, "UntagLogGroup", logGroupName="/app/main", tags=["c"])
    assert logs(w, "ListTagsForResource", resourceArn=f"{GROUP_ARN}:*") == {"tags": {"b": "2"}}


def test_tag_refusals() -> None:
    w = with_group()
    missing = GROUP_ARN.replace("main", "absent")
    assert refused(w, "TagResource", resourceArn=missing, tags={"a": "1"}).code == "ResourceNotFoundException"
    assert refused(w, "ListTagsLogGroup", logGroupName="/absent").code == "ResourceNotFoundException"
    too_many = {f"k{index}": "v" for index in range(51)}
    assert refused(w, "TagResource", resourceArn=GROUP_ARN, tags=too_many).code == "InvalidParameterException"
    logs(w, "TagResource", resourceArn=GROUP_ARN, tags={f"k{index}": "v" for index in range(50)})
    assert refused(w, "TagResource", resourceArn=GROUP_ARN, tags={"one-more": "v"}).code == "TooManyTagsException"
    assert refused(w, "TagResource", resourceArn=GROUP_ARN, tags={"bad!": "v"}).code == "InvalidParameterException"


# -- retention --------------------------------------------------------------------------------------------------


def test_retention_is_set_and_removed() -> None:
    w = with_group()
    logs(w, "PutRetentionPolicy", logGroupName="/app/main", retentionInDays=30)
    assert logs(w, "DescribeLogGroups")["logGroups"][0]["retentionInDays"] == 30
    assert w.to_dict()["LogGroups"][0]["RetentionInDays"] == 30
    logs(w, "DeleteRetentionPolicy", logGroupName="/app/main")
    assert "retentionInDays" not in logs(w, "DescribeLogGroups")["logGroups"][0]


@pytest.mark.parametrize("days", [0, 2, 4, 366, 3654])
def test_retention_takes_only_the_allowed_values(days: int) -> None:
    caught = refused(with_group(), "PutRetentionPolicy", logGroupName="/app/main", retentionInDays=days)
    assert caught.code == "InvalidParameterException"
    assert caught.message.startswith(
        f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: "
        "Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,"
    )


def test_retention_of_a_missing_group() -> None:
    caught = refused(World.default(), "PutRetentionPolicy", logGroupName="/absent", retentionInDays=7)
    assert caught.code == "ResourceNotFoundException"
    assert refused(World.default(), "DeleteRetentionPolicy", logGroupName="/absent").code == "ResourceNotFoundException"


# -- KMS keys ---------------------------------------------------------------------------------------------------


def logs_may_use(*, condition: bool = True) -> World:
    """The default world with a group, and its key's policy letting CloudWatch Logs use it for that group."""
    key = default_data()["Keys"][0]
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": LOGS,
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
    }
    if condition:
        statement["Condition"] = {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": GROUP_ARN}}
    key["Policy"]["Statement"].append(statement)
    return world(Keys=[key], LogGroups=[{"Name": "/app/main"}])


def test_a_key_whose_policy_lets_logs_use_it_is_associated_and_disassociated() -> None:
    w = logs_may_use()
    logs(w, "AssociateKmsKey", logGroupName="/app/main", kmsKeyId=KEY_ARN)
    assert logs(w, "DescribeLogGroups")["logGroups"][0]["kmsKeyId"] == KEY_ARN
    assert w.to_dict()["LogGroups"][0]["KmsKeyId"] == KEY_ARN
    logs(w, "DisassociateKmsKey", resourceIdentifier=GROUP_ARN)
    assert "kmsKeyId" not in logs(w, "DescribeLogGroups")["logGroups"][0]


def test_create_log_group_with_a_key() -> None:
    w = logs_may_use()
    logs(w, "DeleteLogGroup", logGroupName="/app/main")
    logs(w, "CreateLogGroup", logGroupName="/app/main", kmsKeyId=KEY_ARN)
    assert w.log_groups[("us-east-1", "/app/main")].kms_key_id == KEY_ARN


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (with_group, KEY_ARN),  # the default key's policy says nothing of CloudWatch Logs
        (logs_may_use, "alias/cloudtrail"),  # an alias, not a key ARN
        (logs_may_use, DEFAULT_KEY_ID),  # a bare key id
        (logs_may_use, KEY_ARN.replace(DEFAULT_KEY_ID[:8], "00000000")),  # no such key
        (logs_may_use, KEY_ARN.replace("us-east-1", "eu-west-1")),  # a key of another region
    ],
    ids=["policy-silent", "alias", "key-id", "missing", "other-region"],
)
def test_a_key_logs_may_not_use_is_refused(make: Any, key: str) -> None:
    caught = refused(make(), "AssociateKmsKey", logGroupName="/app/main", kmsKeyId=key)
    assert (caught.code, caught.message) == (
        "AccessDeniedException",
        f"The specified KMS key does not exist or is not allowed to be used with Arn '{GROUP_ARN}'",
    )


def test_a_disabled_key_or_a_policy_for_another_group_is_refused() -> None:
    w = logs_may_use()
    w.backend().call("kms", "DisableKey", {"KeyId": DEFAULT_KEY_ID})
    assert refused(w, "AssociateKmsKey", logGroupName="/app/main", kmsKeyId=KEY_ARN).code == "AccessDeniedException"
    other = logs_may_use()
    logs(other, "CreateLogGroup", logGroupName="/app/other")
    caught = refused(other, "AssociateKmsKey", logGroupName="/app/other", kmsKeyId=KEY_ARN)
    assert caught.code == "AccessDeniedException"
    logs(logs_may_use(condition=False), "AssociateKmsKey", logGroupName="/app/main", kmsKeyId=KEY_ARN)


def test_key_association_refusals() -> None:
    w = logs_may_use()
    assert refused(w, "AssociateKmsKey", logGroupName="/absent", kmsKeyId=KEY_ARN).code == "ResourceNotFoundException"
    assert refused(w, "AssociateKmsKey", kmsKeyId=KEY_ARN).code == "InvalidParameterException"
    with pytest.raises(NotModeled):
        logs(
            w,
            "AssociateKmsKey",
            resourceIdentifier=f"arn:aws:logs:us-east-1:{ACCOUNT}:query-result:*",
            kmsKeyId=KEY_ARN,
        )


# -- resource policies ------------------------------------------------------------------------------------------


def test_resource_policies_are_put_described_replaced_and_deleted() -> None:
    w = World.default()
    put = logs(w, "PutResourcePolicy", policyName="route53", policyDocument=RESOURCE_POLICY)
    assert put == {
        "resourcePolicy": {
            "policyName": "route53",
            "policyDocument": RESOURCE_POLICY,
            "lastUpdatedTime": NOW,
            "policyScope": "ACCOUNT",
        }
    }
    assert logs(w, "DescribeResourcePolicies") == {"resourcePolicies": [put["resourcePolicy"]]}
    assert logs(w, "DescribeResourcePolicies", region="eu-west-1") == {"resourcePolicies": []}
    replaced = RESOURCE_POLICY.replace("PutLogEvents", "*")
    logs(w, "PutResourcePolicy", policyName="route53", policyDocument=replaced)
    assert logs(w, "DescribeResourcePolicies")["resourcePolicies"][0]["policyDocument"] == replaced
    assert logs(w, "DeleteResourcePolicy", policyName="route53") == {}
    caught = refused(w, "DeleteResourcePolicy", policyName="route53")
    assert (caught.code, caught.message) == ("ResourceNotFoundException", "Policy with name [route53] does not exist.")


def test_ten_resource_policies_a_region_and_no_more() -> None:
    w = World.default()
    for index in range(10):
        logs(w, "PutResourcePolicy", policyName=f"p{index}", policyDocument=RESOURCE_POLICY)
    caught = refused(w, "PutResourcePolicy", policyName="p10", policyDocument=RESOURCE_POLICY)
    assert (caught.code, caught.message) == ("LimitExceededException", "Resource limit exceeded.")
    logs(w, "PutResourcePolicy", policyName="p3", policyDocument=RESOURCE_POLICY)  # replacing one is not a new one
    logs(w, "PutResourcePolicy", region="eu-west-1", policyName="p10", policyDocument=RESOURCE_POLICY)


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        "[]",
        json.dumps({"Version": "2012-10-17"}),
        json.dumps({"Statement": [{"Effect": "Maybe", "Action": "logs:*", "Principal": "*"}]}),
        json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*"}]}),
        json.dumps(
            {"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"AWS": "delivery.logs.amazonaws.com"}}]}
        ),
        json.dumps({"Statement": [{"Effect": "Allow", "Action": "logs:*", "Principal": {"Robot": "x"}}]}),
    ],
)
def test_a_resource_policy_must_be_a_policy(document: str) -> None:
    caught = refused(World.default(), "PutResourcePolicy", policyName="p", policyDocument=document)
    assert (caught.code, caught.message) == ("InvalidParameterException", "Could not convert to persistable policy.")


def test_resource_scoped_policies_are_not_modelled() -> None:
    w = with_group()
    with pytest.raises(NotModeled):
        logs(w, "PutResourcePolicy", resourceArn=GROUP_ARN, policyDocument=RESOURCE_POLICY)
    assert logs(w, "DescribeResourcePolicies", resourceArn=GROUP_ARN) == {"resourcePolicies": []}


# -- metric filters ---------------------------------------------------------------------------------------------


def test_metric_filters_are_put_described_replaced_and_deleted() -> None:
    w = with_group()
    transformation = {**metric()[0], "defaultValue": 0, "dimensions": {"Env": "$.env"}, "unit": "Count"}
    logs(
        w,
        "PutMetricFilter",
        logGroupName="/app/main",
        filterName="errors",
        filterPattern="ERROR",
        metricTransformations=[transformation],
    )
    described = logs(w, "DescribeMetricFilters", logGroupName="/app/main")
    assert described == {
        "metricFilters": [
            {
                "filterName": "errors",
                "filterPattern": "ERROR",
                "metricTransformations": [{**transformation, "defaultValue": 0.0}],
                "creationTime": NOW,
                "logGroupName": "/app/main",
                "applyOnTransformedLogs": False,
            }
        ]
    }
    assert logs(w, "DescribeLogGroups")["logGroups"][0]["metricFilterCount"] == 1
    logs(
        w,
        "PutMetricFilter",
        logGroupName="/app/main",
        filterName="errors",
        filterPattern="FATAL",
        metricTransformations=metric(),
    )
    assert logs(w, "DescribeMetricFilters", logGroupName="/app/main")["metricFilters"][0]["filterPattern"] == "FATAL"
    logs(w, "DeleteMetricFilter", logGroupName="/app/main", filterName="errors")
    assert logs(w, "DescribeMetricFilters") == {"metricFilters": []}
    caught = refused(w, "DeleteMetricFilter", logGroupName="/app/main", filterName="errors")
    assert (caught.code, caught.message) == ("ResourceNotFoundException", "The specified metric filter does not exist.")


def test_describe_metric_filters_by_prefix_and_by_metric() -> None:
    w = world(LogGroups=[{"Name": "a"}, {"Name": "b"}])
    for group, name, metric_name in (("a", "x-1", "m1"), ("a", "y-1", "m2"), ("b", "x-2", "m1")):
        logs(
            w,
            "PutMetricFilter",
            logGroupName=group,
            filterName=name,
            filterPattern="",
            metricTransformations=metric(metric_name),
        )
    by_prefix = logs(w, "DescribeMetricFilters", logGroupName="a", filterNamePrefix="x")["metricFilters"]
    assert [item["filterName"] for item in by_prefix] == ["x-1"]
    by_metric = logs(w, "DescribeMetricFilters", metricName="m1", metricNamespace="App")["metricFilters"]
    assert [(item["logGroupName"], item["filterName"]) for item in by_metric] == [("a", "x-1"), ("b", "x-2")]
    assert refused(w, "DescribeMetricFilters", metricName="m1").code == "InvalidParameterException"
    assert refused(w, "DescribeMetricFilters", logGroupName="absent").code == "ResourceNotFoundException"


def test_metric_filter_refusals() -> None:
    w = with_group()
    two = [*metric("one"), *metric("two")]
    caught = refused(
        w, "PutMetricFilter", logGroupName="/app/main", filterName="f", filterPattern="", metricTransformations=two
    )
    assert caught.message.endswith(
        "at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1"
    )
    assert caught.message.startswith(
        "1 validation error detected: Value '[MetricTransformation(metricName=one, metricNamespace=App, "
        "metricValue=1, defaultValue=null"
    )
    caught = refused(
        w, "PutMetricFilter", logGroupName="/absent", filterName="f", filterPattern="", metricTransformations=metric()
    )
    assert (caught.code, caught.message) == ("ResourceNotFoundException", "The specified log group does not exist.")
    caught = refused(
        w,
        "PutMetricFilter",
        logGroupName="/app/main",
        filterName="f" * 513,
        filterPattern="",
        metricTransformations=metric(),
    )
    assert caught.message.endswith(
        "at 'filterName' failed to satisfy constraint: Member must have length less than or equal to 512"
    )
    for index in range(100):
        logs(
            w,
            "PutMetricFilter",
            logGroupName="/app/main",
            filterName=f"f{index}",
            filterPattern="",
            metricTransformations=metric(),
        )
    caught = refused(
        w,
        "PutMetricFilter",
        logGroupName="/app/main",
        filterName="f100",
        filterPattern="",
        metricTransformations=metric(),
    )
    assert caught.code == "LimitExceededException"


# -- the world file ---------------------------------------------------------------------------------------------


def test_every_new_key_round_trips_through_the_world_file(tmp_path: Any) -> None:
    w = logs_may_use()
    logs(w, "AssociateKmsKey", logGroupName="/app/main", kmsKeyId=KEY_ARN)
    logs(w, "PutRetentionPolicy", logGroupName="/app/main", retentionInDays=90)
    logs(w, "TagResource", resourceArn=GROUP_ARN, tags={"team": "ops"})
    logs(w, "CreateLogStream", logGroupName="/app/main", logStreamName="web/1")
    logs(
        w,
        "PutLogEvents",
        logGroupName="/app/main",
        logStreamName="web/1",
        logEvents=[{"timestamp": NOW - 5, "message": "hello"}],
    )
    logs(
        w,
        "PutMetricFilter",
        logGroupName="/app/main",
        filterName="f",
        filterPattern="ERROR",
        metricTransformations=[{**metric()[0], "defaultValue": 1.5, "dimensions": {"a": "$.a"}}],
    )
    logs(w, "PutResourcePolicy", policyName="route53", policyDocument=RESOURCE_POLICY)
    data = w.to_dict()
    assert data["LogGroups"][0] == {
        "Name": "/app/main",
        "Region": "us-east-1",
        "CreationTime": None,
        "RetentionInDays": 90,
        "KmsKeyId": KEY_ARN,
        "LogGroupClass": "STANDARD",
        "Tags": {"team": "ops"},
        "Streams": [
            {
                "Name": "web/1",
                "CreationTime": "2026-01-01T00:00:00Z",
                "Events": [{"Timestamp": NOW - 5, "Message": "hello", "IngestionTime": NOW}],
            }
        ],
        "MetricFilters": [
            {
                "FilterName": "f",
                "FilterPattern": "ERROR",
                "MetricTransformations": [
                    {
                        "MetricName": "errors",
                        "MetricNamespace": "App",
                        "MetricValue": "1",
                        "DefaultValue": 1.5,
                        "Unit": None,
                        "Dimensions": {"a": "$.a"},
                    }
                ],
                "CreationTime": "2026-01-01T00:00:00Z",
            }
        ],
    }
    assert data["LogResourcePolicies"] == [
        {
            "PolicyName": "route53",
            "Region": "us-east-1",
            "PolicyDocument": RESOURCE_POLICY,
            "LastUpdatedTime": "2026-01-01T00:00:00Z",
        }
    ]
    assert World.from_dict(data) == w
    for suffix in (".json", ".yaml"):
        w.dump(tmp_path / f"w{suffix}")
        reloaded = World.load(tmp_path / f"w{suffix}")
        assert reloaded == w
        assert logs(reloaded, "DescribeResourcePolicies")["resourcePolicies"][0]["policyDocument"] == RESOURCE_POLICY


def test_the_default_world_only_gains_an_empty_section() -> None:
    data = World.default().to_dict()
    assert data["LogResourcePolicies"] == []
    assert (data["Topics"], data["LogGroups"]) == ([], [])


def event(timestamp: object) -> dict[str, Any]:
    return {"Timestamp": timestamp, "Message": "m", "IngestionTime": 2}


def in_stream(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"LogGroups": [{"Name": "g", "Streams": [{"Name": "s", "Events": events}]}]}


def with_filter(transformations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "LogGroups": [{"Name": "g", "MetricFilters": [{"FilterName": "f", "MetricTransformations": transformations}]}]
    }


ALLOW_DELIVERY = '{"Statement":[{"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"*"}]}'


def policy(name: str) -> dict[str, Any]:
    return {"PolicyName": name, "PolicyDocument": ALLOW_DELIVERY}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"LogGroups": [{"Name": "g", "RetentionInDays": 4}]}, "LogGroups[0].RetentionInDays"),
        ({"LogGroups": [{"Name": "g", "LogGroupClass": "CHEAP"}]}, "LogGroups[0].LogGroupClass"),
        ({"LogGroups": [{"Name": "g", "Streams": [{"Name": "a:b"}]}]}, "LogGroups[0].Streams[0].Name"),
        ({"LogGroups": [{"Name": "g", "Streams": [{"Name": "s"}, {"Name": "s"}]}]}, "LogGroups[0].Streams[1].Name"),
        (in_stream([event(2), event(1)]), "LogGroups[0].Streams[0].Events"),
        (in_stream([event("now")]), "LogGroups[0].Streams[0].Events[0].Timestamp"),
        (with_filter([]), "LogGroups[0].MetricFilters[0].MetricTransformations"),
        (
            with_filter([{"MetricName": "m", "MetricValue": "1"}]),
            "LogGroups[0].MetricFilters[0].MetricTransformations[0].MetricNamespace",
        ),
        ({"LogResourcePolicies": [{"PolicyName": "p"}]}, "LogResourcePolicies[0].PolicyDocument"),
        (  # what PutResourcePolicy would refuse ("Could not convert to persistable policy.")
            {"LogResourcePolicies": [{"PolicyName": "p", "PolicyDocument": '{"Statement":[{"Effect":"Allow"}]}'}]},
            "LogResourcePolicies[0].PolicyDocument",
        ),
        ({"LogResourcePolicies": [policy("p"), policy("p")]}, "LogResourcePolicies[1].PolicyName"),
        ({"LogResourcePolicies": [policy(f"p{n}") for n in range(11)]}, "LogResourcePolicies[10].PolicyName"),
        ({"LogResourcePolicies": [{**policy("p"), "Scope": "ACCOUNT"}]}, "LogResourcePolicies[0].Scope"),
    ],
)
def test_bad_log_values_in_the_world_file_are_refused_by_key(data: dict[str, Any], key: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict(data)
    assert caught.value.key == key


def test_cloudtrail_still_delivers_to_a_group_with_the_new_keys() -> None:
    """CloudTrail's check of a log group (spec cloudtrail.md §4.6) reads the same table: the new keys change
    nothing for it."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    access = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": f"{GROUP_ARN}:*"}
        ],
    }
    w = world(
        LogGroups=[{"Name": "/app/main", "RetentionInDays": 7, "Tags": {"a": "b"}, "Streams": [{"Name": "s"}]}],
        Roles=[{"Name": "ToLogs", "AssumeRolePolicyDocument": trust, "Policies": [access]}],
    )
    params = {
        "Name": "main",
        "CloudWatchLogsLogGroupArn": f"{GROUP_ARN}:*",
        "CloudWatchLogsRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ToLogs",
    }
    trail = w.backend().call("cloudtrail", "UpdateTrail", params)
    assert trail["CloudWatchLogsLogGroupArn"] == f"{GROUP_ARN}:*"
