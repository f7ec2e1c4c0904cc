"""Properties of world copies over random operation sequences: a copy and its original never affect each other,
responses are never aliases of the world's state, and the world file round-trips whatever state results."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.worlds import ACCOUNT
from toolkit.fakes.default import DEFAULT_BUCKET
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

Call = tuple[str, str, str, dict[str, Any]]  # region, service, operation, params

names = st.sampled_from(["main", "alpha", "beta"])
regions = st.sampled_from(["us-east-1", "us-east-1", "eu-west-1"])
flags = st.none() | st.booleans()
keys = st.sampled_from([None, "", "alias/cloudtrail", "alias/missing"])
basic = st.lists(
    st.fixed_dictionaries(
        {"ReadWriteType": st.sampled_from(["All", "ReadOnly", "WriteOnly"]), "IncludeManagementEvents": st.booleans()}
    ),
    min_size=1,
    max_size=2,
)
advanced = st.just([{"Name": "m", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}])
insights = st.lists(
    st.sampled_from([{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]),
    max_size=2,
    unique_by=lambda selector: selector["InsightType"],
)
tags = st.lists(
    st.fixed_dictionaries({"Key": st.sampled_from(["a", "b", "c"]), "Value": st.sampled_from(["1", "2"])}),
    max_size=2,
    unique_by=lambda tag: tag["Key"],
)


def settings(
    name: str, multi: bool | None, validation: bool | None, organization: bool | None, key: str | None
) -> dict[str, Any]:
    params: dict[str, Any] = {"Name": name}
    for member, value in (
        ("IsMultiRegionTrail", multi),
        ("EnableLogFileValidation", validation),
        ("IsOrganizationTrail", organization),
        ("KmsKeyId", key),
    ):
        if value is not None:
            params[member] = value
    return params


@st.composite
def calls(draw: st.DrawFn) -> Call:
    region = draw(regions)
    name = draw(names)
    arn = f"arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/{name}"
    kind = draw(st.integers(0, 12))
    if kind == 0:
        params = settings(name, draw(flags), draw(flags), draw(flags), draw(keys))
        return region, "cloudtrail", "CreateTrail", {**params, "S3BucketName": DEFAULT_BUCKET, "TagsList": draw(tags)}
    if kind == 1:
        return region, "cloudtrail", "UpdateTrail", settings(name, draw(flags), draw(flags), draw(flags), draw(keys))
    if kind == 2:
        return region, "cloudtrail", "DeleteTrail", {"Name": name}
    if kind == 3:
        return region, "cloudtrail", draw(st.sampled_from(["StartLogging", "StopLogging"])), {"Name": name}
    if kind == 4:
        if draw(st.booleans()):
            return region, "cloudtrail", "PutEventSelectors", {"TrailName": name, "EventSelectors": draw(basic)}
        return region, "cloudtrail", "PutEventSelectors", {"TrailName": name, "AdvancedEventSelectors": draw(advanced)}
    if kind == 5:
        return region, "cloudtrail", "PutInsightSelectors", {"TrailName": name, "InsightSelectors": draw(insights)}
    if kind == 6:
        return (
            region,
            "cloudtrail",
            draw(st.sampled_from(["AddTags", "RemoveTags"])),
            {"ResourceId": arn, "TagsList": draw(tags)},
        )
    if kind == 7:
        policy = '{"Version": "2012-10-17", "Statement": []}'
        if draw(st.booleans()):
            return region, "s3", "PutBucketPolicy", {"Bucket": DEFAULT_BUCKET, "Policy": policy}
        return region, "s3", "DeleteBucketPolicy", {"Bucket": DEFAULT_BUCKET}
    if kind == 8:
        return region, "cloudtrail", "GetTrail", {"Name": name}
    if kind == 9:
        return region, "cloudtrail", "DescribeTrails", {"includeShadowTrails": draw(st.booleans())}
    if kind == 10:
        return region, "cloudtrail", "GetEventSelectors", {"TrailName": draw(st.sampled_from([name, arn]))}
    if kind == 11:
        return region, "cloudtrail", "GetInsightSelectors", {"TrailName": name}
    return region, "cloudtrail", "ListTags", {"ResourceIdList": [arn]}


sequences = st.lists(calls(), max_size=12)


def run(world: World, sequence: list[Call], *, vandalise: bool = False) -> list[str | None]:
    """Make the calls; return each one's error code (None for success). No call may change its request. With
    ``vandalise``, wreck every response (and request) after the call, checking that this changes nothing."""
    outcomes: list[str | None] = []
    for region, service, operation, params in sequence:
        request = copy.deepcopy(params)
        try:
            response = world.backend(region).call(service, operation, request)
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


def wreck(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            wreck(item)
        value.clear()
    elif isinstance(value, list):
        for item in value:
            wreck(item)
        value.clear()


@given(sequences)
def test_changing_a_copy_never_changes_the_original(sequence: list[Call]) -> None:
    original = World.default()
    snapshot = original.to_dict()
    run(original.copy(), sequence)
    assert original.to_dict() == snapshot


@given(sequences, sequences)
def test_changing_the_original_never_changes_a_copy(before: list[Call], after: list[Call]) -> None:
    original = World.default()
    run(original, before)
    copy = original.copy()
    snapshot = copy.to_dict()
    run(original, after)
    assert copy.to_dict() == snapshot


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
    """The strategy is not vacuous: a fixed sequence of its kinds of calls succeeds and changes the world."""
    world = World.default()
    sequence: list[Call] = [
        (
            "us-east-1",
            "cloudtrail",
            "CreateTrail",
            {
                "Name": "alpha",
                "S3BucketName": DEFAULT_BUCKET,
                "IsMultiRegionTrail": True,
                "KmsKeyId": "alias/cloudtrail",
            },
        ),
        ("us-east-1", "cloudtrail", "StartLogging", {"Name": "alpha"}),
        (
            "us-east-1",
            "cloudtrail",
            "PutInsightSelectors",
            {"TrailName": "alpha", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]},
        ),
        ("eu-west-1", "cloudtrail", "GetTrail", {"Name": "alpha"}),
        ("eu-west-1", "cloudtrail", "StartLogging", {"Name": "alpha"}),
    ]
    assert run(world, sequence, vandalise=True) == [None, None, None, None, "InvalidHomeRegionException"]
    assert world != World.default()


def test_rarely_used_tables_are_copied_on_first_use_and_never_shared_after() -> None:
    """IAM users, SSM, Config...: a copy shares them until either world uses one; a change on either side after the
    copy never reaches the other, whichever side changes first."""
    from toolkit.fakes.world import World

    base = World.default()
    base.call("ssm", "PutParameter", {"Name": "/before", "Value": "b", "Type": "String"})
    twin = base.copy()
    assert twin.rare is base.rare  # nothing copied yet
    twin.call("ssm", "PutParameter", {"Name": "/twin", "Value": "t", "Type": "String"})
    base.call("iam", "CreateUser", {"UserName": "base-only"})
    base.call("ssm", "PutParameter", {"Name": "/base", "Value": "x", "Type": "String"})

    def names(world: World) -> list[str]:
        found = world.call("ssm", "DescribeParameters", {})["Parameters"]
        return sorted(parameter["Name"] for parameter in found)

    assert names(base) == ["/base", "/before"]
    assert names(twin) == ["/before", "/twin"]
    assert [user["UserName"] for user in base.call("iam", "ListUsers", {})["Users"]] == ["base-only"]
    assert twin.call("iam", "ListUsers", {})["Users"] == []
    third = twin.copy()
    third.call("iam", "CreateUser", {"UserName": "third-only"})
    assert twin.call("iam", "ListUsers", {})["Users"] == []
