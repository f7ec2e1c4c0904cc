"""Where moto 5.2.x is not a faithful CloudTrail (spec cloudtrail.md §4.5), side by side with the fake.

Each difference runs the same calls against moto (in-process, ``mock_aws``) and against the fake (through the
same botocore clients) and asserts both outcomes: moto's, which the spec says is wrong, and the fake's, which is
the spec's. A moto release that fixes one fails its test here; the sequence then belongs with the sequences both
answer alike (below, and in test_moto_differential.py). Where moto is right, the outcomes must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes import test_moto_differential as differential
from tests.fakes.boto import fake_session
from tests.fakes.test_moto_differential import PLAIN_BUCKET, Observer
from tests.fakes.worlds import KEY_ARN, world
from toolkit.fakes.default import DEFAULT_BUCKET

Sessions = Callable[[str], Any]
"""A boto3 session for a region (one per region), all of one account's world: moto's or the fake's."""

moto_session = differential.moto_session  # moto in-process with the log bucket (policy as the fake's) and a plain one

MANAGEMENT_SELECTOR = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}


@pytest.fixture
def moto_sessions(moto_session: Any) -> Sessions:
    import boto3

    def session(region: str) -> Any:
        return moto_session if region == "us-east-1" else boto3.session.Session(region_name=region)

    return cache(session)


def fake_sessions() -> Sessions:
    """The default world without trails, plus a bucket without a policy: what the moto fixture holds."""
    subject = world(Trails=[], add={"Buckets": [{"Name": PLAIN_BUCKET}]})

    def session(region: str) -> Any:
        return fake_session(subject.backend(region))

    return cache(session)


def outcome(call: Callable[[], object]) -> str:
    """The error code the call raised, or "ok"."""
    try:
        call()
    except ClientError as err:
        return str(err.response["Error"]["Code"])
    return "ok"


def cloudtrail(sessions: Sessions, region: str = "us-east-1") -> Any:
    return sessions(region).client("cloudtrail")


def create(sessions: Sessions, name: str, **params: Any) -> Callable[[], object]:
    """CreateTrail of ``name`` (in the log bucket unless S3BucketName says otherwise), to call later."""
    client = cloudtrail(sessions)
    arguments = {"Name": name, "S3BucketName": DEFAULT_BUCKET, **params}
    return lambda: client.create_trail(**arguments)


# -- §4.5, one sequence per bullet ------------------------------------------------------------------------------


def duplicate_create(sessions: Sessions) -> object:
    """Duplicate CreateTrail silently overwrites; there is no TrailAlreadyExistsException."""
    create(sessions, "twice")()
    second = outcome(create(sessions, "twice", EnableLogFileValidation=True))
    return second, cloudtrail(sessions).get_trail(Name="twice")["Trail"]["LogFileValidationEnabled"]


def sixth_trail(sessions: Sessions) -> object:
    """No quota check (5 trails per region)."""
    return [outcome(create(sessions, f"trail-{n}")) for n in range(1, 7)]


def unchecked_delivery(sessions: Sessions) -> object:
    """No KMS or bucket-policy checks; only the bucket's existence is checked."""
    return [
        outcome(create(sessions, "no-policy", S3BucketName=PLAIN_BUCKET)),
        outcome(create(sessions, "no-key", KmsKeyId="alias/absent")),
        outcome(create(sessions, "no-bucket", S3BucketName="no-such-bucket")),
    ]


def name_rules(sessions: Sessions) -> object:
    """No adjacency or IP-address name rules."""
    return [outcome(create(sessions, name)) for name in ("my--trail", "my-_trail", "192.168.5.4")]


def key_as_given(sessions: Sessions) -> object:
    """KmsKeyId is stored exactly as given (CloudTrail stores the key's full ARN)."""
    created = create(sessions, "encrypted", KmsKeyId="alias/cloudtrail")()
    assert isinstance(created, dict)
    return created["KmsKeyId"], cloudtrail(sessions).get_trail(Name="encrypted")["Trail"]["KmsKeyId"]


def home_region(sessions: Sessions) -> object:
    """Home-region rules are not enforced: a multi-region trail homed in eu-west-1, changed from us-east-1 by name
    and by ARN, and read by name there (only the ARN reaches a shadow)."""
    here, there = cloudtrail(sessions), cloudtrail(sessions, "eu-west-1")
    arn = there.create_trail(Name="global-trail", S3BucketName=DEFAULT_BUCKET, IsMultiRegionTrail=True)["TrailARN"]
    refused = [
        outcome(lambda: here.update_trail(Name="global-trail", EnableLogFileValidation=True)),
        outcome(lambda: here.update_trail(Name=arn, EnableLogFileValidation=True)),
        outcome(lambda: here.stop_logging(Name=arn)),
        outcome(lambda: here.put_event_selectors(TrailName=arn, EventSelectors=[MANAGEMENT_SELECTOR])),
        outcome(lambda: here.delete_trail(Name=arn)),
        outcome(lambda: here.delete_trail(Name="global-trail")),
        outcome(lambda: here.get_trail_status(Name="global-trail")),
    ]
    kept = [trail["Name"] for trail in there.describe_trails(includeShadowTrails=False)["trailList"]]
    return refused, kept


def has_flags(sessions: Sessions) -> object:
    """HasCustomEventSelectors and HasInsightSelectors are always false."""
    client = cloudtrail(sessions)
    create(sessions, "flagged")()
    client.put_event_selectors(TrailName="flagged", EventSelectors=[MANAGEMENT_SELECTOR])
    client.put_insight_selectors(TrailName="flagged", InsightSelectors=[{"InsightType": "ApiCallRateInsight"}])
    trail = client.get_trail(Name="flagged")["Trail"]
    return trail["HasCustomEventSelectors"], trail["HasInsightSelectors"]


def insights_replace(sessions: Sessions) -> object:
    """PutInsightSelectors appends instead of replacing (and ``[]`` does not turn Insights off)."""
    client = cloudtrail(sessions)
    create(sessions, "insightful")()

    def current() -> object:
        try:
            selectors = client.get_insight_selectors(TrailName="insightful").get("InsightSelectors", [])
        except ClientError as err:
            return err.response["Error"]["Code"]
        return [selector["InsightType"] for selector in selectors]

    client.put_insight_selectors(TrailName="insightful", InsightSelectors=[{"InsightType": "ApiCallRateInsight"}])
    client.put_insight_selectors(TrailName="insightful", InsightSelectors=[{"InsightType": "ApiErrorRateInsight"}])
    replaced = current()
    client.put_insight_selectors(TrailName="insightful", InsightSelectors=[])
    return replaced, current()


def insights_not_enabled(sessions: Sessions) -> object:
    """GetInsightSelectors never raises InsightNotEnabledException."""
    create(sessions, "plain")()
    return outcome(lambda: cloudtrail(sessions).get_insight_selectors(TrailName="plain"))


def default_selectors(sessions: Sessions) -> object:
    """A default trail returns no event selectors (CloudTrail: all read and write management events)."""
    create(sessions, "plain")()
    return cloudtrail(sessions).get_event_selectors(TrailName="plain").get("EventSelectors")


# -- differences §4.5 does not list, found writing these tests -------------------------------------------------


def update_to_multi_region_without_global_events(sessions: Sessions) -> object:
    """moto enforces "Multi-Region trail must include global service events." on CreateTrail only (the
    differential test compares that); UpdateTrail must refuse it too (§4.3)."""
    create(sessions, "single")()
    return outcome(
        lambda: cloudtrail(sessions).update_trail(
            Name="single", IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False
        )
    )


def delete_unknown(sessions: Sessions) -> object:
    """DeleteTrail of a trail that does not exist: TrailNotFoundException (§4.4); moto answers success."""
    return outcome(lambda: cloudtrail(sessions).delete_trail(Name="absent"))


def delete_by_arn(sessions: Sessions) -> object:
    """DeleteTrail by ARN: moto answers success and keeps the trail."""
    client = cloudtrail(sessions)
    created = create(sessions, "by-arn")()
    assert isinstance(created, dict)
    deleted = outcome(lambda: client.delete_trail(Name=created["TrailARN"]))
    return deleted, [trail["Name"] for trail in client.describe_trails()["trailList"]]


def unknown_by_name(sessions: Sessions) -> object:
    """An unknown trail given by name to the operations moto reads with its GetTrail: moto quotes the name as given;
    CloudTrail names the ARN the name would have here (``toolkit.fakes.cloudtrail.lookup``'s docstring: observed for
    UpdateTrail, DeleteTrail and GetEventSelectors)."""
    client = cloudtrail(sessions)

    def message(call: Callable[[], object]) -> str:
        try:
            call()
        except ClientError as err:
            return str(err.response["Error"]["Message"])
        return "ok"

    return [
        message(lambda: client.get_event_selectors(TrailName="absent")),
        message(lambda: client.update_trail(Name="absent", EnableLogFileValidation=True)),
        message(lambda: client.start_logging(Name="absent")),
    ]


Difference = tuple[str, Callable[[Sessions], object], object, object]
"""(id, sequence, moto's outcome, the fake's outcome as the spec says)"""

DIFFERENCES: list[Difference] = [
    ("duplicate create overwrites", duplicate_create, ("ok", True), ("TrailAlreadyExistsException", False)),
    ("no quota", sixth_trail, ["ok"] * 6, ["ok"] * 5 + ["MaximumNumberOfTrailsExceededException"]),
    (
        "no bucket-policy or KMS checks",
        unchecked_delivery,
        ["ok", "ok", "S3BucketDoesNotExistException"],
        ["InsufficientS3BucketPolicyException", "KmsKeyNotFoundException", "S3BucketDoesNotExistException"],
    ),
    ("no adjacency or IP name rules", name_rules, ["ok"] * 3, ["InvalidTrailNameException"] * 3),
    ("key stored as given", key_as_given, ("alias/cloudtrail", "alias/cloudtrail"), (KEY_ARN, KEY_ARN)),
    (
        "home region not enforced",
        home_region,
        (["TrailNotFoundException"] * 4 + ["ok", "ok", "ok"], ["global-trail"]),
        (["InvalidHomeRegionException"] * 6 + ["TrailNotFoundException"], ["global-trail"]),
    ),
    ("Has* flags always false", has_flags, (False, False), (True, True)),
    (
        "insights appended",
        insights_replace,
        (["ApiCallRateInsight", "ApiErrorRateInsight"], ["ApiCallRateInsight", "ApiErrorRateInsight"]),
        (["ApiErrorRateInsight"], "InsightNotEnabledException"),
    ),
    ("insights never not enabled", insights_not_enabled, "ok", "InsightNotEnabledException"),
    ("default trail without selectors", default_selectors, [], [MANAGEMENT_SELECTOR]),
    # The bullet "It does enforce 'Multi-Region trail must include global service events.'" is moto being right on
    # CreateTrail: test_moto_differential.py's cloudtrail_errors compares it. These are not in §4.5:
    (
        "update to multi-region without global events",
        update_to_multi_region_without_global_events,
        "ok",
        "InvalidParameterCombinationException",
    ),
    ("delete an unknown trail", delete_unknown, "ok", "TrailNotFoundException"),
    ("delete by ARN", delete_by_arn, ("ok", ["by-arn"]), ("ok", [])),
    (
        "an unknown trail named by its name",
        unknown_by_name,
        ["Unknown trail: absent for the user: 123456789012"] * 3,
        ["Unknown trail: arn:aws:cloudtrail:us-east-1:123456789012:trail/absent for the user: 123456789012"] * 3,
    ),
]


@pytest.mark.parametrize(
    ("sequence", "moto_outcome", "spec_outcome"),
    [case[1:] for case in DIFFERENCES],
    ids=[case[0] for case in DIFFERENCES],
)
def test_moto_is_not_faithful_where_the_spec_says(
    moto_sessions: Sessions, sequence: Callable[[Sessions], object], moto_outcome: object, spec_outcome: object
) -> None:
    assert moto_outcome != spec_outcome
    assert sequence(fake_sessions()) == spec_outcome
    assert sequence(moto_sessions) == moto_outcome, (
        "moto answers differently now; if it answers as the spec says, move this sequence to the alike ones"
    )


# -- sequences moto answers as CloudTrail does ------------------------------------------------------------------


def unknown_trail_logging(sessions: Sessions) -> list[Any]:
    """§4.5 says moto raises KeyError for StartLogging/StopLogging of an unknown name: moto 5.2.5 no longer does,
    it answers TrailNotFoundException as CloudTrail does (by name, the message differs: ``unknown_by_name``).
    GetTrail quotes an unknown name as given, GetTrailStatus names the ARN it would have: both as CloudTrail does."""
    client = cloudtrail(sessions)
    see = Observer()
    see.seen.append(("start unknown", outcome(lambda: client.start_logging(Name="absent"))))
    see.seen.append(("stop unknown", outcome(lambda: client.stop_logging(Name="absent"))))
    see("stop unknown ARN", lambda: client.stop_logging(Name="arn:aws:cloudtrail:us-east-1:123456789012:trail/absent"))
    see("get unknown", lambda: client.get_trail(Name="unknowntrail"))
    see("status of unknown", lambda: client.get_trail_status(Name="unknowntrail"))
    return see.seen


def plain_lifecycle(sessions: Sessions) -> list[Any]:
    """What test_moto_differential.py's lifecycle leaves out: reads by ARN, repeated start and stop, selectors
    read back (both kinds), delete by name and reads after it."""
    client = cloudtrail(sessions)
    see = Observer()
    arn = see("create", lambda: client.create_trail(Name="plain-trail", S3BucketName=DEFAULT_BUCKET))["TrailARN"]
    # moto's GetTrail leaves out HomeRegion (as test_moto_differential.py notes).
    see("get by ARN", lambda: client.get_trail(Name=arn)["Trail"], drop=("HomeRegion",))
    see("describe homed here", lambda: client.describe_trails(includeShadowTrails=False))
    see("describe by ARN", lambda: client.describe_trails(trailNameList=[arn]))
    see("start", lambda: client.start_logging(Name="plain-trail"))
    see("start again by ARN", lambda: client.start_logging(Name=arn))
    see("status", lambda: client.get_trail_status(Name="plain-trail"), ("IsLogging",))
    see("stop by ARN", lambda: client.stop_logging(Name=arn))
    see("stop again", lambda: client.stop_logging(Name="plain-trail"))
    see("status by ARN", lambda: client.get_trail_status(Name=arn), ("IsLogging",))
    data = {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::some-bucket/"]}
    basic = [{**MANAGEMENT_SELECTOR, "ReadWriteType": "ReadOnly", "DataResources": [data]}]
    see("put basic", lambda: client.put_event_selectors(TrailName="plain-trail", EventSelectors=basic))
    see("get basic", lambda: client.get_event_selectors(TrailName=arn), ("TrailARN", "EventSelectors"))
    advanced = [
        {"Name": "Management events selector", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}
    ]
    see("put advanced", lambda: client.put_event_selectors(TrailName=arn, AdvancedEventSelectors=advanced))
    # moto also returns an empty EventSelectors list beside advanced selectors; both are optional members.
    see("get advanced", lambda: client.get_event_selectors(TrailName="plain-trail"), ("AdvancedEventSelectors",))
    see("delete", lambda: client.delete_trail(Name="plain-trail"))
    see("get deleted", lambda: client.get_trail(Name="plain-trail"))
    see("list", lambda: client.list_trails())
    return see.seen


def shadow_reads(sessions: Sessions) -> list[Any]:
    """A multi-region trail homed in us-east-1, read from eu-west-1: its shadow is listed and read by ARN."""
    here, there = cloudtrail(sessions), cloudtrail(sessions, "eu-west-1")
    see = Observer()
    arn = see(
        "create",
        lambda: here.create_trail(Name="global-trail", S3BucketName=DEFAULT_BUCKET, IsMultiRegionTrail=True),
    )["TrailARN"]
    see("start", lambda: here.start_logging(Name="global-trail"))
    see("describe there", lambda: there.describe_trails())
    see("describe homed there", lambda: there.describe_trails(includeShadowTrails=False))
    see("describe there by ARN", lambda: there.describe_trails(trailNameList=[arn]))
    see("status there by ARN", lambda: there.get_trail_status(Name=arn), ("IsLogging",))
    see("list there", lambda: there.list_trails())
    return see.seen


@pytest.mark.parametrize("sequence", [unknown_trail_logging, plain_lifecycle, shadow_reads])
def test_the_fake_answers_as_moto_does_where_moto_is_right(
    moto_sessions: Sessions, sequence: Callable[[Sessions], list[Any]]
) -> None:
    assert sequence(fake_sessions()) == sequence(moto_sessions)
