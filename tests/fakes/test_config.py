"""Fake AWS Config: the three managed rules evaluated against worlds (spec §2), remediation configurations checked
as PutRemediationConfigurations checks them, and the retry / RemediationException bookkeeping (spec §3.2)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.worlds import KEY_ARN, trail, world
from toolkit.fakes.config import (
    COMPLIANT,
    FAILED,
    NON_COMPLIANT,
    SUCCEEDED,
    Attempt,
    ConfigError,
    ConfigRule,
    RemediationConfiguration,
    RemediationHistory,
    evaluate,
)
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

ENABLED = "cloudtrail-enabled"
MULTI = "multi-region-cloudtrail-enabled"
SECURITY = "cloudtrail-security-trail-enabled"
BEST = {
    "IsLogging": True,
    "IsMultiRegionTrail": True,
    "IncludeGlobalServiceEvents": True,
    "LogFileValidationEnabled": True,
    "KmsKeyId": KEY_ARN,
}
MANAGEMENT = {"Field": "eventCategory", "Equals": ["Management"]}


def trails(*entries: dict[str, Any]) -> World:
    return world(Trails=list(entries))


def basic(read_write: str = "All", management: bool = True, excluded: list[str] | None = None) -> dict[str, Any]:
    return {
        "ReadWriteType": read_write,
        "IncludeManagementEvents": management,
        "ExcludeManagementEventSources": excluded or [],
    }


def advanced(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"Name": "management", "FieldSelectors": [MANAGEMENT, *fields]}


# -- rules -----------------------------------------------------------------------------------------------------

CASES: list[tuple[str, str, dict[str, Any], World, str, str]] = [
    # (case, rule, InputParameters, world, compliance, words in the annotation)
    ("stopped trail", ENABLED, {}, world(), NON_COMPLIANT, "main (us-east-1): not logging"),
    ("logging trail", ENABLED, {}, trails(trail("main", IsLogging=True)), COMPLIANT, "trail main (us-east-1) meets"),
    ("no trail", ENABLED, {}, trails(), NON_COMPLIANT, "there is no trail in us-east-1"),
    (
        "single-region trail of another region is not seen here",
        ENABLED,
        {},
        trails(trail("west", HomeRegion="us-west-2", IsLogging=True)),
        NON_COMPLIANT,
        "there is no trail in us-east-1",
    ),
    (
        "a multi-region trail's shadow counts",
        ENABLED,
        {},
        trails(trail("west", HomeRegion="us-west-2", IsMultiRegionTrail=True, IsLogging=True)),
        COMPLIANT,
        "west (us-west-2)",
    ),
    (
        "one logging trail among stopped ones",
        ENABLED,
        {},
        trails(trail("a-stopped"), trail("b-logging", IsLogging=True)),
        COMPLIANT,
        "b-logging",
    ),
    (
        "s3BucketName matches",
        ENABLED,
        {"s3BucketName": "trail-logs-123456789012"},
        trails(trail("main", IsLogging=True)),
        COMPLIANT,
        "meets",
    ),
    (
        "s3BucketName differs",
        ENABLED,
        {"s3BucketName": "other-bucket"},
        trails(trail("main", IsLogging=True)),
        NON_COMPLIANT,
        "s3BucketName is trail-logs-123456789012, not other-bucket",
    ),
    (
        "snsTopicArn from the topic name",
        ENABLED,
        {"snsTopicArn": "arn:aws:sns:us-east-1:123456789012:notices"},
        trails(trail("main", IsLogging=True, SnsTopicName="notices")),
        COMPLIANT,
        "meets",
    ),
    (
        "snsTopicArn without a topic",
        ENABLED,
        {"snsTopicArn": "arn:aws:sns:us-east-1:123456789012:notices"},
        trails(trail("main", IsLogging=True)),
        NON_COMPLIANT,
        "snsTopicArn is None",
    ),
    (
        "a log group ARN's :* is ignored",
        ENABLED,
        {"cloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:trail"},
        trails(
            trail(
                "main",
                IsLogging=True,
                CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:123456789012:log-group:trail:*",
                CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/ToLogs",
            )
        ),
        COMPLIANT,
        "meets",
    ),
    ("single-region trail", MULTI, {}, trails(trail("main", IsLogging=True)), NON_COMPLIANT, "not multi-region"),
    (
        "multi-region, logging",
        MULTI,
        {"readWriteType": "ALL", "includeManagementEvents": "true"},
        trails(trail("main", IsLogging=True, IsMultiRegionTrail=True)),
        COMPLIANT,
        "meets",
    ),
    (
        "multi-region, stopped",
        MULTI,
        {},
        trails(trail("main", IsMultiRegionTrail=True)),
        NON_COMPLIANT,
        "not logging",
    ),
    (
        "excluded sources fail even without parameters",
        MULTI,
        {},
        trails(
            trail(
                "main", IsLogging=True, IsMultiRegionTrail=True, EventSelectors=[basic(excluded=["kms.amazonaws.com"])]
            )
        ),
        NON_COMPLIANT,
        "excludes management event sources",
    ),
    (
        "ALL asks for read and write",
        MULTI,
        {"readWriteType": "ALL"},
        trails(trail("main", IsLogging=True, IsMultiRegionTrail=True, EventSelectors=[basic("ReadOnly")])),
        NON_COMPLIANT,
        "records no read and write management events",
    ),
    (
        "a read-only and a write-only selector do not add up",
        MULTI,
        {"readWriteType": "ALL"},
        trails(
            trail(
                "main", IsLogging=True, IsMultiRegionTrail=True, EventSelectors=[basic("ReadOnly"), basic("WriteOnly")]
            )
        ),
        NON_COMPLIANT,
        "records no read and write",
    ),
    (
        "All satisfies ReadOnly",
        MULTI,
        {"readWriteType": "ReadOnly"},
        trails(trail("main", IsLogging=True, IsMultiRegionTrail=True)),
        COMPLIANT,
        "meets",
    ),
    (
        "ReadOnly does not satisfy WriteOnly",
        MULTI,
        {"readWriteType": "WriteOnly"},
        trails(trail("main", IsLogging=True, IsMultiRegionTrail=True, EventSelectors=[basic("ReadOnly")])),
        NON_COMPLIANT,
        "records no write management events",
    ),
    (
        "includeManagementEvents with data events only",
        MULTI,
        {"includeManagementEvents": "true"},
        trails(trail("main", IsLogging=True, IsMultiRegionTrail=True, EventSelectors=[basic(management=False)])),
        NON_COMPLIANT,
        "records no management events",
    ),
    (
        "advanced: all management events",
        MULTI,
        {"readWriteType": "ALL"},
        trails(trail("main", IsLogging=True, IsMultiRegionTrail=True, AdvancedEventSelectors=[advanced()])),
        COMPLIANT,
        "meets",
    ),
    (
        "advanced: read-only management events",
        MULTI,
        {"readWriteType": "ALL"},
        trails(
            trail(
                "main",
                IsLogging=True,
                IsMultiRegionTrail=True,
                AdvancedEventSelectors=[advanced({"Field": "readOnly", "Equals": ["true"]})],
            )
        ),
        NON_COMPLIANT,
        "records no read and write",
    ),
    (
        "advanced: write-only satisfies WriteOnly",
        MULTI,
        {"readWriteType": "WriteOnly"},
        trails(
            trail(
                "main",
                IsLogging=True,
                IsMultiRegionTrail=True,
                AdvancedEventSelectors=[advanced({"Field": "readOnly", "Equals": ["false"]})],
            )
        ),
        COMPLIANT,
        "meets",
    ),
    (
        "advanced: an excluded event source",
        MULTI,
        {},
        trails(
            trail(
                "main",
                IsLogging=True,
                IsMultiRegionTrail=True,
                AdvancedEventSelectors=[advanced({"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]})],
            )
        ),
        NON_COMPLIANT,
        "excludes management event sources",
    ),
    ("best practice", SECURITY, {}, trails(trail("main", **BEST)), COMPLIANT, "meets"),
    (
        "stopped best-practice trail",
        SECURITY,
        {},
        trails(trail("main", **{**BEST, "IsLogging": False})),
        NON_COMPLIANT,
        "not logging",
    ),
    (
        "no log file validation",
        SECURITY,
        {},
        trails(trail("main", **{**BEST, "LogFileValidationEnabled": False})),
        NON_COMPLIANT,
        "no log file validation",
    ),
    (
        "no KMS key",
        SECURITY,
        {},
        trails(trail("main", **{**BEST, "KmsKeyId": None})),
        NON_COMPLIANT,
        "not encrypted with KMS",
    ),
    (
        "single-region without global events",
        SECURITY,
        {},
        trails(trail("main", **{**BEST, "IsMultiRegionTrail": False, "IncludeGlobalServiceEvents": False})),
        NON_COMPLIANT,
        "not multi-region, no global service events",
    ),
    (
        "write-only management events",
        SECURITY,
        {},
        trails(trail("main", **BEST, EventSelectors=[basic("WriteOnly")])),
        NON_COMPLIANT,
        "records no read and write management events",
    ),
    (
        "excluded sources",
        SECURITY,
        {},
        trails(trail("main", **BEST, EventSelectors=[basic(excluded=["rdsdata.amazonaws.com"])])),
        NON_COMPLIANT,
        "excludes management event sources",
    ),
]


@pytest.mark.parametrize(
    ("rule", "parameters", "state", "compliance", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule_evaluation(rule: str, parameters: dict[str, str], state: World, compliance: str, words: str) -> None:
    before = state.to_dict()
    result = evaluate(ConfigRule.read({"ConfigRuleName": rule, "InputParameters": parameters}), state)
    assert (result.compliance, result.resource_type, result.resource_id) == (
        compliance,
        "AWS::::Account",
        "123456789012",
    )
    assert words in result.annotation
    assert result.compliant is (compliance == COMPLIANT)
    assert state.to_dict() == before  # evaluation reads the world, never changes it


def test_an_organization_trail_counts_in_a_member_account() -> None:
    member = world(
        Account="111122223333",
        Organization={"Id": "o-a1b2c3d4e5", "ManagementAccount": "123456789012"},
        Trails=[trail("org-trail", IsOrganizationTrail=True, IsMultiRegionTrail=True, IsLogging=True)],
    )
    result = evaluate(ConfigRule(ENABLED), member)
    assert result.compliance == COMPLIANT and result.resource_id == "111122223333"


def test_rules_read_as_put_config_rule_takes_them() -> None:
    rule = ConfigRule.read(
        {"ConfigRuleName": MULTI, "InputParameters": '{"readWriteType": "ALL", "includeManagementEvents": true}'}
    )
    assert rule.parameters == {"readWriteType": "ALL", "includeManagementEvents": "true"}
    assert (rule.identifier, rule.frequency, rule.period) == (
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        "TwentyFour_Hours",
        86400,
    )
    assert ConfigRule.read({"ConfigRuleName": ENABLED, "MaximumExecutionFrequency": "Three_Hours"}).period == 10800
    assert ConfigRule.read({"ConfigRuleName": ENABLED, "InputParameters": {"s3BucketName": ""}}).parameters == {}


@pytest.mark.parametrize(
    ("request_", "path"),
    [
        ({"ConfigRuleName": "s3-bucket-logging-enabled"}, ("ConfigRuleName",)),
        ({"ConfigRuleName": ["cloudtrail-enabled"]}, ("ConfigRuleName",)),
        ({"ConfigRuleName": ENABLED, "MaximumExecutionFrequency": "Two_Hours"}, ("MaximumExecutionFrequency",)),
        (
            {"ConfigRuleName": ENABLED, "InputParameters": {"readWriteType": "ALL"}},
            ("InputParameters", "readWriteType"),
        ),
        ({"ConfigRuleName": SECURITY, "InputParameters": {"s3BucketName": "b"}}, ("InputParameters", "s3BucketName")),
        ({"ConfigRuleName": MULTI, "InputParameters": {"readWriteType": "All"}}, ("InputParameters", "readWriteType")),
        (
            {"ConfigRuleName": MULTI, "InputParameters": {"includeManagementEvents": "yes"}},
            ("InputParameters", "includeManagementEvents"),
        ),
        ({"ConfigRuleName": ENABLED, "InputParameters": {"s3BucketName": 3}}, ("InputParameters", "s3BucketName")),
        ({"ConfigRuleName": ENABLED, "InputParameters": "{not json"}, ("InputParameters",)),
        ({"ConfigRuleName": ENABLED, "Scope": {}}, ("Scope",)),
    ],
)
def test_invalid_rules_name_the_member(request_: dict[str, Any], path: tuple[str, ...]) -> None:
    with pytest.raises(ConfigError) as caught:
        ConfigRule.read(request_)
    assert caught.value.path == path and caught.value.code == "InvalidParameterValueException"


# -- remediation configurations --------------------------------------------------------------------------------

MINIMAL = {"ConfigRuleName": ENABLED, "TargetType": "SSM_DOCUMENT", "TargetId": "cloudtrail-remediation-action"}
ROLE = "arn:aws:iam::123456789012:role/Remediation"


def config(**changes: Any) -> RemediationConfiguration:
    return RemediationConfiguration.read({**MINIMAL, **changes})


def test_defaults_and_the_described_form() -> None:
    minimal = config()
    assert (minimal.automatic, minimal.maximum_automatic_attempts, minimal.retry_attempt_seconds) == (False, 5, 60)
    assert (minimal.concurrent_execution_rate_percentage, minimal.error_percentage) == (10, 50)
    full = config(
        TargetVersion="$DEFAULT",
        ResourceType="AWS::::Account",
        Automatic=True,
        MaximumAutomaticAttempts=3,
        RetryAttemptSeconds=300,
        ExecutionControls={"SsmControls": {"ConcurrentExecutionRatePercentage": 20, "ErrorPercentage": 40}},
        Parameters={
            "AutomationAssumeRole": {"StaticValue": {"Values": [ROLE]}},
            "CloudTrailName": {"StaticValue": {"Values": ["main"]}},
            "Account": {"ResourceValue": {"Value": "RESOURCE_ID"}},
        },
    )
    assert RemediationConfiguration.read(full.to_dict()) == full  # Describe's form reads back the same
    assert full.to_dict()["Parameters"]["Account"] == {"ResourceValue": {"Value": "RESOURCE_ID"}}
    assert full.execution_parameters("123456789012") == {
        "AutomationAssumeRole": [ROLE],
        "CloudTrailName": ["main"],
        "Account": ["123456789012"],
    }


INVALID: list[tuple[dict[str, Any], tuple[str | int, ...], str]] = [
    ({"ConfigRuleName": None}, ("ConfigRuleName",), "1 to 128"),
    ({"ConfigRuleName": "   "}, ("ConfigRuleName",), "blank"),
    ({"ConfigRuleName": "x" * 129}, ("ConfigRuleName",), "1 to 128"),
    ({"TargetType": "LAMBDA"}, ("TargetType",), "SSM_DOCUMENT"),
    ({"TargetId": ""}, ("TargetId",), "1 to 256"),
    ({"TargetId": "d" * 257}, ("TargetId",), "1 to 256"),
    ({"TargetVersion": 1}, ("TargetVersion",), "text"),
    ({"Automatic": "true"}, ("Automatic",), "true or false"),
    ({"MaximumAutomaticAttempts": 0}, ("MaximumAutomaticAttempts",), "1 to 25"),
    ({"MaximumAutomaticAttempts": 26}, ("MaximumAutomaticAttempts",), "1 to 25"),
    ({"MaximumAutomaticAttempts": True}, ("MaximumAutomaticAttempts",), "1 to 25"),
    ({"MaximumAutomaticAttempts": "5"}, ("MaximumAutomaticAttempts",), "1 to 25"),
    ({"RetryAttemptSeconds": 0}, ("RetryAttemptSeconds",), "1 to 2678000"),
    ({"RetryAttemptSeconds": 2_678_001}, ("RetryAttemptSeconds",), "1 to 2678000"),
    (
        {"ExecutionControls": {"SsmControls": {"ConcurrentExecutionRatePercentage": 0}}},
        ("ExecutionControls", "SsmControls", "ConcurrentExecutionRatePercentage"),
        "1 to 100",
    ),
    (
        {"ExecutionControls": {"SsmControls": {"ErrorPercentage": 101}}},
        ("ExecutionControls", "SsmControls", "ErrorPercentage"),
        "1 to 100",
    ),
    ({"ExecutionControls": {"Ssm": {}}}, ("ExecutionControls", "Ssm"), "unknown member"),
    ({"Parameters": []}, ("Parameters",), "mapping"),
    ({"Parameters": {f"P{n}": {"StaticValue": {"Values": ["v"]}} for n in range(26)}}, ("Parameters",), "at most 25"),
    ({"Parameters": {"P": {}}}, ("Parameters", "P"), "exactly one"),
    (
        {"Parameters": {"P": {"StaticValue": {"Values": ["v"]}, "ResourceValue": {"Value": "RESOURCE_ID"}}}},
        ("Parameters", "P"),
        "exactly one",
    ),
    (
        {"Parameters": {"P": {"ResourceValue": {"Value": "RESOURCE_ARN"}}}},
        ("Parameters", "P", "ResourceValue", "Value"),
        "RESOURCE_ID",
    ),
    ({"Parameters": {"P": {"StaticValue": {"Values": "v"}}}}, ("Parameters", "P", "StaticValue", "Values"), "list"),
    (
        {"Parameters": {"P": {"StaticValue": {"Values": ["v"] * 26}}}},
        ("Parameters", "P", "StaticValue", "Values"),
        "25",
    ),
    (
        {"Parameters": {"P": {"StaticValue": {"Values": [""]}}}},
        ("Parameters", "P", "StaticValue", "Values", 0),
        "1 to 256",
    ),
    (
        {"Parameters": {"P": {"StaticValue": {"Values": ["v" * 257]}}}},
        ("Parameters", "P", "StaticValue", "Values", 0),
        "1 to 256",
    ),
    (
        {"Parameters": {"P": {"StaticValue": {"Values": [False]}}}},
        ("Parameters", "P", "StaticValue", "Values", 0),
        "quote it",
    ),
    (
        {"Parameters": {"P": {"StaticValue": {"Value": ["v"]}}}},
        ("Parameters", "P", "StaticValue", "Value"),
        "unknown member",
    ),
    ({"Parameters": {"": {"StaticValue": {"Values": ["v"]}}}}, ("Parameters", ""), "1 to 256"),
    ({"Targets": []}, ("Targets",), "unknown member"),
]


@pytest.mark.parametrize(
    ("changes", "path", "words"), INVALID, ids=[".".join(map(str, case[1])) + f"-{i}" for i, case in enumerate(INVALID)]
)
def test_invalid_configurations_name_the_member(
    changes: dict[str, Any], path: tuple[str | int, ...], words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        config(**changes)
    assert caught.value.code == "InvalidParameterValueException"
    assert caught.value.path == path
    assert words in caught.value.reason


@pytest.mark.parametrize("required", ["ConfigRuleName", "TargetType", "TargetId"])
def test_required_members(required: str) -> None:
    request = {key: value for key, value in MINIMAL.items() if key != required}
    with pytest.raises(ConfigError) as caught:
        RemediationConfiguration.read(request)
    assert caught.value.path == (required,) and "required" in caught.value.message


def test_automatic_remediation_needs_a_role_through_automation_assume_role() -> None:
    assert config().start_problem() is None  # manual: the document's assumeRole or the caller's rights
    assert (
        config(Automatic=True, Parameters={"AutomationAssumeRole": {"StaticValue": {"Values": [ROLE]}}}).start_problem()
        is None
    )
    without: list[dict[str, Any]] = [
        {},
        {"AssumeRole": {"StaticValue": {"Values": [ROLE]}}},
        {"AutomationAssumeRole": {"StaticValue": {"Values": []}}},
        {"AutomationAssumeRole": {"ResourceValue": {"Value": "RESOURCE_ID"}}},
    ]
    for parameters in without:
        problem = config(Automatic=True, Parameters=parameters).start_problem()
        assert problem is not None and "AutomationAssumeRole" in problem


# -- retries and RemediationException --------------------------------------------------------------------------


def history(attempts: int = 5, seconds: int = 60, automatic: bool = True) -> RemediationHistory:
    settings = config(Automatic=automatic, MaximumAutomaticAttempts=attempts, RetryAttemptSeconds=seconds)
    return RemediationHistory(settings, "AWS::::Account", "123456789012")


def test_retries_within_the_window_then_a_remediation_exception() -> None:
    record = history()
    assert record.retry_interval == 12 and record.may_start_automatically()
    times = []
    now = 0.0
    for _ in range(4):
        assert record.record(Attempt(now, FAILED, message="bucket policy")) is None
        times.append(now)
        retry = record.retry_at()
        assert retry is not None
        now = retry
    exception = record.record(Attempt(now, FAILED, message="bucket policy"))
    assert times == [0, 12, 24, 36] and now == 48
    assert exception is not None and record.exception is exception
    assert (exception.config_rule_name, exception.resource_type, exception.resource_id) == (
        ENABLED,
        "AWS::::Account",
        "123456789012",
    )
    assert (
        "5 automatic remediation attempts failed within 60 seconds" in exception.message
        and "bucket policy" in exception.message
    )
    assert exception.to_dict()["ExpirationTime"] is None
    assert not record.may_start_automatically() and record.retry_at() is None
    assert record.record(Attempt(60, FAILED)) is None  # no second exception while one stands


def test_a_success_resets_the_count() -> None:
    record = history()
    for now in (0, 12, 24, 36):
        record.record(Attempt(now, FAILED))
    assert record.failures(36) == 4
    assert record.record(Attempt(48, SUCCEEDED)) is None and record.retry_at() is None
    assert record.failures(48) == 0
    for now in (100, 112, 124, 136):
        assert record.record(Attempt(now, FAILED)) is None
    assert record.record(Attempt(148, FAILED)) is not None


def test_failures_outside_the_window_do_not_count() -> None:
    record = history(attempts=3, seconds=60)
    for now in (0, 100, 200, 300, 400):
        assert record.record(Attempt(now, FAILED)) is None  # never 3 within 60 s
    assert record.failures(400) == 1
    assert record.record(Attempt(420, FAILED)) is None
    assert record.record(Attempt(440, FAILED)) is not None  # 400, 420, 440: three within 60 s


def test_manual_attempts_neither_count_nor_retry() -> None:
    record = history(attempts=1)
    assert record.record(Attempt(0, FAILED, automatic=False)) is None
    assert record.retry_at() is None and record.failures(0) == 0
    assert record.record(Attempt(1, FAILED)) is not None  # one automatic failure is the maximum here


def test_deleting_the_exception_resumes_automatic_remediation() -> None:
    record = history(attempts=2, seconds=10)
    record.record(Attempt(0, FAILED))
    assert record.record(Attempt(5, FAILED)) is not None
    deleted = record.delete_exception()
    assert deleted.time == 5 and record.exception is None and record.may_start_automatically()
    assert record.failures(6) == 0  # the failures before the deletion no longer count
    assert record.record(Attempt(6, FAILED)) is None
    with pytest.raises(AwsError) as caught:
        history().delete_exception()
    assert caught.value.code == "NoSuchRemediationExceptionException"


def test_manual_configurations_never_start_automatically() -> None:
    record = history(automatic=False)
    assert not record.may_start_automatically()
    record.record(Attempt(0, FAILED, automatic=False))
    assert record.retry_at() is None


@given(attempts=st.integers(1, 25), seconds=st.integers(1, 2_678_000))
def test_retries_at_the_interval_end_in_an_exception_at_the_last_attempt(attempts: int, seconds: int) -> None:
    record = history(attempts=attempts, seconds=seconds)
    now: float | None = 0.0
    for number in range(1, attempts + 1):
        assert now is not None and now < seconds  # every attempt falls within the window
        exception = record.record(Attempt(now, FAILED))
        assert (exception is not None) is (number == attempts)
        now = record.retry_at()
    assert now is None and len(record.attempts) == attempts
