"""The runbook's aws:executeScript handlers, unit-tested directly as functions."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from runbooks.cloudtrail_remediation_action_scripts import event_selectors, upsert_trail, verify_trail

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def events(**overrides: Any) -> dict[str, Any]:
    base = {
        "TrailName": "main",
        "Region": "us-east-1",
        "Account": "123456789012",
        "S3BucketName": "trail-logs",
        "KmsKeyId": "alias/cloudtrail",
        "IsMultiRegionTrail": True,
        "IsOrganizationTrail": False,
        "IncludeGlobalServiceEvents": True,
        "EnableLogFileValidation": "true",
        "S3KeyPrefix": "",
        "SnsTopicName": "",
        "CloudWatchLogsLogGroupArn": "",
        "CloudWatchLogsRoleArn": "",
    }
    return {**base, **overrides}


# -- upsert_trail -------------------------------------------------------------------------------------------


def test_find_trail_prefers_the_one_homed_here() -> None:
    here = {"Name": "main", "HomeRegion": "us-east-1"}
    shadow = {"Name": "main", "HomeRegion": "eu-west-1"}
    assert upsert_trail.find_trail([shadow, here], "main", "us-east-1") == (here, None)
    assert upsert_trail.find_trail([shadow], "main", "us-east-1") == (None, "eu-west-1")
    assert upsert_trail.find_trail([{"Name": "other", "HomeRegion": "us-east-1"}], "main", "us-east-1") == (None, None)


def test_desired_settings_leave_out_empty_optional_ones_and_read_text_booleans() -> None:
    settings = upsert_trail.desired_settings(events(S3KeyPrefix="logs"), KEY_ARN)
    assert settings == {
        "Name": "main",
        "S3BucketName": "trail-logs",
        "IsMultiRegionTrail": True,
        "IncludeGlobalServiceEvents": True,
        "EnableLogFileValidation": True,
        "IsOrganizationTrail": False,
        "KmsKeyId": KEY_ARN,
        "S3KeyPrefix": "logs",
    }


def test_cloudwatch_settings_must_come_together() -> None:
    with pytest.raises(ValueError, match="must be given together"):
        upsert_trail.desired_settings(events(CloudWatchLogsLogGroupArn="arn:aws:logs:x"), KEY_ARN)


def test_bad_boolean_is_refused() -> None:
    with pytest.raises(ValueError, match="expected true or false"):
        upsert_trail.as_bool("yes")


def test_differences_lists_only_what_differs() -> None:
    settings = upsert_trail.desired_settings(events(SnsTopicName="arn:aws:sns:us-east-1:1:notices"), KEY_ARN)
    trail = {
        "Name": "main",
        "S3BucketName": "trail-logs",
        "IsMultiRegionTrail": False,
        "IncludeGlobalServiceEvents": True,
        "LogFileValidationEnabled": True,
        "KmsKeyId": KEY_ARN,
        "SnsTopicARN": "arn:aws:sns:us-east-1:1:notices",
    }
    assert upsert_trail.differences(trail, settings) == ["IsMultiRegionTrail"]


# -- upsert_trail: the log destination stays in this account or AllowedLogAccountIds ----------------------------

ARCHIVE = "222233334444"


class Answers:
    """A client standing in for boto3's: each method answers from a table (a ClientError code raises it)."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        def call(**params: Any) -> Any:
            self.calls.append((method, params))
            answer = self.answers[method](params) if callable(self.answers[method]) else self.answers[method]
            if isinstance(answer, str):
                raise ClientError({"Error": {"Code": answer, "Message": answer}}, method)
            return answer

        return call


def test_allowed_accounts_are_this_account_then_the_parameter_each_once() -> None:
    assert upsert_trail.allowed_accounts(events()) == ["123456789012"]
    assert upsert_trail.allowed_accounts(events(AllowedLogAccountIds=[])) == ["123456789012"]
    both = events(AllowedLogAccountIds=[ARCHIVE, "123456789012", ARCHIVE])
    assert upsert_trail.allowed_accounts(both) == ["123456789012", ARCHIVE]


@pytest.mark.parametrize(
    ("key_id", "account"),
    [
        ("alias/cloudtrail", None),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", None),
        (f"arn:aws:kms:us-east-1:{ARCHIVE}:alias/cloudtrail-logs", ARCHIVE),
        (f"arn:aws:kms:us-east-1:{ARCHIVE}:key/mrk-1234abcd12ab34cd56ef1234567890ab", ARCHIVE),
    ],
)
def test_a_key_arn_names_its_account(key_id: str, account: str | None) -> None:
    assert upsert_trail.key_arn_account(key_id) == account


def test_a_key_arn_of_another_account_is_refused_without_asking_kms() -> None:
    kms = Answers()
    key = f"arn:aws:kms:us-east-1:{ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    with pytest.raises(ValueError, match=f"KMS key {key} belongs to account {ARCHIVE}, not to this account"):
        upsert_trail.checked_key_arn(kms, key, ["123456789012"])
    assert kms.calls == []


def test_the_owner_kms_reports_decides_whatever_the_form() -> None:
    """An alias name resolves in the caller's account on AWS; if KMS ever answers another owner, the key is refused
    all the same: KeyMetadata.AWSAccountId is the word that counts."""
    foreign = Answers(describe_key={"KeyMetadata": {"AWSAccountId": ARCHIVE, "Arn": KEY_ARN}})
    with pytest.raises(ValueError, match=f"belongs to account {ARCHIVE}, not to this account .123456789012.:"):
        upsert_trail.checked_key_arn(foreign, "alias/cloudtrail", ["123456789012"])
    assert upsert_trail.checked_key_arn(foreign, "alias/cloudtrail", ["123456789012", ARCHIVE]) == KEY_ARN
    own = Answers(describe_key={"KeyMetadata": {"AWSAccountId": "123456789012", "Arn": KEY_ARN}})
    assert upsert_trail.checked_key_arn(own, KEY_ARN, ["123456789012"]) == KEY_ARN


def owned_by(owner: str) -> Answers:
    """S3 with one bucket owned by ``owner``: ExpectedBucketOwner of another account is 403 AccessDenied."""
    return Answers(get_bucket_location=lambda params: {} if params["ExpectedBucketOwner"] == owner else "AccessDenied")


def test_the_bucket_owner_is_asked_of_s3_one_allowed_account_after_the_other() -> None:
    s3 = owned_by(ARCHIVE)
    assert upsert_trail.check_bucket_owner(s3, "central-logs", ["123456789012", ARCHIVE]) == ARCHIVE
    assert [params["ExpectedBucketOwner"] for _, params in s3.calls] == ["123456789012", ARCHIVE]
    assert upsert_trail.check_bucket_owner(owned_by("123456789012"), "logs", ["123456789012", ARCHIVE]) == (
        "123456789012"
    )


def test_a_bucket_no_allowed_account_owns_is_refused_naming_it() -> None:
    with pytest.raises(ValueError) as refused:
        upsert_trail.check_bucket_owner(owned_by("999988887777"), "their-logs", ["123456789012", ARCHIVE])
    message = str(refused.value)
    assert message.startswith(
        f"S3 bucket their-logs is not owned by this account (123456789012) or AllowedLogAccountIds ({ARCHIVE}):"
    )
    assert message.endswith("Nothing was changed.")


def test_a_missing_bucket_is_left_to_cloudtrail_and_other_errors_propagate() -> None:
    assert upsert_trail.check_bucket_owner(Answers(get_bucket_location="NoSuchBucket"), "gone", ["1"]) is None
    with pytest.raises(ClientError, match="SlowDown"):
        upsert_trail.check_bucket_owner(Answers(get_bucket_location="SlowDown"), "busy", ["1"])


# -- event_selectors ----------------------------------------------------------------------------------------

ALL = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}
S3_DATA = {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket/"]}


@pytest.mark.parametrize(
    "response",
    [
        {"EventSelectors": [ALL]},
        {
            "EventSelectors": [
                ALL,
                {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False, "DataResources": [S3_DATA]},
            ]
        },
        {"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]},
    ],
)
def test_compliant_selectors_need_no_write(response: dict[str, Any]) -> None:
    assert event_selectors.plan(response) is None


def test_basic_selectors_keep_data_resources() -> None:
    response = {
        "EventSelectors": [
            {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True, "DataResources": [S3_DATA],
             "ExcludeManagementEventSources": ["kms.amazonaws.com"]},
        ]
    }  # fmt: skip
    assert event_selectors.plan(response) == {
        "EventSelectors": [
            ALL,
            {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False, "DataResources": [S3_DATA]},
        ]
    }


def test_advanced_selectors_keep_data_selectors() -> None:
    data = {"Name": "S3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}
    read_only = {
        "FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Management"]},
            {"Field": "readOnly", "Equals": ["true"]},
        ]
    }
    planned = event_selectors.plan({"AdvancedEventSelectors": [read_only, data]})
    assert planned == {"AdvancedEventSelectors": [event_selectors.ADVANCED_MANAGEMENT_SELECTOR, data]}


def test_too_many_data_selectors_fail_without_writing() -> None:
    five = [{"ReadWriteType": "All", "IncludeManagementEvents": False, "DataResources": [S3_DATA]}] * 5
    with pytest.raises(ValueError, match="Nothing was changed"):
        event_selectors.plan({"EventSelectors": five})


data_resources = st.lists(
    st.fixed_dictionaries({"Type": st.sampled_from(["AWS::S3::Object", "AWS::Lambda::Function"]),
                           "Values": st.lists(st.text("abc/", min_size=1, max_size=5), min_size=1, max_size=2)}),
    max_size=2,
)  # fmt: skip
basic_selector = st.fixed_dictionaries(
    {
        "ReadWriteType": st.sampled_from(["All", "ReadOnly", "WriteOnly"]),
        "IncludeManagementEvents": st.booleans(),
        "DataResources": data_resources,
        "ExcludeManagementEventSources": st.sampled_from([[], ["kms.amazonaws.com"]]),
    }
)


def _data_events(selectors: list[dict[str, Any]]) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted(
        (s["ReadWriteType"], d["Type"], tuple(d["Values"])) for s in selectors for d in s.get("DataResources") or []
    )


@given(st.lists(basic_selector, min_size=0, max_size=4))
def test_plan_keeps_every_data_event_and_reaches_best_practice(selectors: list[dict[str, Any]]) -> None:
    response = {"EventSelectors": selectors}
    planned = event_selectors.plan(response)
    after = response if planned is None else planned
    assert _data_events(after["EventSelectors"]) == _data_events(selectors)
    assert event_selectors.records_all_management_events(after)
    assert event_selectors.plan(after) is None  # a second run writes nothing
    assert len(after["EventSelectors"]) <= 5


# -- verify_trail -------------------------------------------------------------------------------------------


def test_verify_names_every_difference() -> None:
    trail = {
        "S3BucketName": "other",
        "IsMultiRegionTrail": True,
        "IncludeGlobalServiceEvents": True,
        "KmsKeyId": KEY_ARN,
    }
    found = verify_trail.problems(events(KmsKeyArn=KEY_ARN), trail, {"EventSelectors": [ALL]}, ["ApiCallRateInsight"])
    assert found == [
        "LogFileValidationEnabled is False, expected True",
        "S3BucketName is other, expected trail-logs",
        "Insights missing: ApiErrorRateInsight",
    ]


# -- handlers over real HTTP (moto's server on 127.0.0.1) -----------------------------------------------------


@pytest.fixture
def account(aws: str) -> dict[str, str]:
    """A bucket and a KMS key in moto, for the handlers to use."""
    boto3.client("s3").create_bucket(Bucket="trail-logs")
    key = boto3.client("kms").create_key()["KeyMetadata"]
    boto3.client("kms").create_alias(AliasName="alias/cloudtrail", TargetKeyId=key["KeyId"])
    return {"KeyArn": key["Arn"]}


def test_handlers_create_then_leave_an_already_correct_trail_alone(account: dict[str, str]) -> None:
    first = upsert_trail.handler(events(), None)
    assert first["Action"] == "created" and first["KmsKeyArn"] == account["KeyArn"]
    assert first["TrailArn"].endswith(":trail/main")
    second = upsert_trail.handler(events(), None)
    assert (second["Action"], second["Changes"]) == ("updated", [])
    trail = boto3.client("cloudtrail").get_trail(Name="main")["Trail"]
    assert trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"]


def test_handler_updates_a_drifted_trail(account: dict[str, str]) -> None:
    boto3.client("cloudtrail").create_trail(Name="main", S3BucketName="trail-logs")
    result = upsert_trail.handler(events(), None)
    assert result["Action"] == "updated"
    assert set(result["Changes"]) >= {"IsMultiRegionTrail", "EnableLogFileValidation", "KmsKeyId"}


def test_handler_refuses_a_trail_homed_elsewhere(account: dict[str, str]) -> None:
    boto3.client("cloudtrail", region_name="eu-west-1").create_trail(
        Name="main", S3BucketName="trail-logs", IsMultiRegionTrail=True
    )
    with pytest.raises(ValueError, match="homed in eu-west-1"):
        upsert_trail.handler(events(), None)
    # Nothing was changed: no trail homed here, and the eu-west-1 trail is as it was.
    assert boto3.client("cloudtrail").describe_trails(includeShadowTrails=False)["trailList"] == []
    home = boto3.client("cloudtrail", region_name="eu-west-1").get_trail(Name="main")["Trail"]
    assert not home["LogFileValidationEnabled"] and "KmsKeyId" not in home


def test_aws_errors_propagate_with_their_code(aws: str) -> None:
    with pytest.raises(ClientError) as caught:
        upsert_trail.handler(events(KmsKeyId="alias/missing"), None)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_event_selector_handler_writes_only_when_needed(account: dict[str, str]) -> None:
    client = boto3.client("cloudtrail")
    client.create_trail(Name="main", S3BucketName="trail-logs")
    client.put_event_selectors(
        TrailName="main", EventSelectors=[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}]
    )
    assert event_selectors.handler({"TrailName": "main"}, None) == {"Changed": True}
    assert event_selectors.handler({"TrailName": "main"}, None) == {"Changed": False}
