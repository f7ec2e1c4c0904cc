"""The world file: defaults, round trips through YAML and JSON, unknown keys and bad values refused by name."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.errors import ToolkitError
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ID, default_data
from toolkit.fakes.world import World, WorldError

KEY_ARN = f"arn:aws:kms:us-east-1:123456789012:key/{DEFAULT_KEY_ID}"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


def rich_data() -> dict[str, Any]:
    """A world with something in every section and every trail field set."""
    data = default_data()
    data["Region"] = "eu-west-1"
    data["Topics"] = [{"Name": "trail-notices", "Region": "eu-west-1", "Policy": POLICY}]
    data["LogGroups"] = [{"Name": "/aws/cloudtrail/main", "Region": "eu-west-1"}]
    data["Roles"] = [{"Name": "CloudTrailToLogs", "AssumeRolePolicyDocument": POLICY, "Policies": [POLICY]}]
    data["Trails"].append(
        {
            "Name": "full",
            "HomeRegion": "us-east-1",
            "S3BucketName": DEFAULT_BUCKET,
            "S3KeyPrefix": "logs",
            "SnsTopicName": "trail-notices",
            "IncludeGlobalServiceEvents": True,
            "IsMultiRegionTrail": True,
            "LogFileValidationEnabled": True,
            "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/main:*",
            "CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/CloudTrailToLogs",
            "KmsKeyId": KEY_ARN,
            "IsOrganizationTrail": True,
            "RecursiveLogging": False,
            "IsLogging": True,
            "StartLoggingTime": "2025-06-01T12:30:00Z",
            "StopLoggingTime": None,
            "EventSelectors": [],
            "AdvancedEventSelectors": [
                {"Name": "mgmt", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}
            ],
            "HasCustomEventSelectors": True,
            "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}],
            "Tags": {"team": "security", "empty": None},
        }
    )
    return data


WORLDS = {"default": default_data, "empty": dict, "rich": rich_data}


@pytest.mark.parametrize("make", WORLDS.values(), ids=list(WORLDS))
def test_to_dict_from_dict_round_trip(make: Any) -> None:
    world = World.from_dict(make())
    data = world.to_dict()
    assert World.from_dict(data).to_dict() == data
    assert World.from_dict(data) == world


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
@pytest.mark.parametrize("make", WORLDS.values(), ids=list(WORLDS))
def test_dump_then_load_gives_the_same_world(tmp_path: Path, make: Any, suffix: str) -> None:
    world = World.from_dict(make())
    path = tmp_path / f"world{suffix}"
    world.dump(path)
    assert World.load(path) == world
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # the temporary file was renamed


def test_yaml_and_json_files_hold_the_same_data(tmp_path: Path) -> None:
    world = World.from_dict(rich_data())
    world.dump(tmp_path / "w.json")
    world.dump(tmp_path / "w.yaml")
    assert json.loads((tmp_path / "w.json").read_text()) == yaml.safe_load((tmp_path / "w.yaml").read_text())
    assert json.loads((tmp_path / "w.json").read_text()) == world.to_dict()


def test_every_field_is_written_in_a_fixed_order() -> None:
    data = World.from_dict({"Trails": [{"Name": "trail-1", "S3BucketName": "b-1"}]}).to_dict()
    assert list(data) == [
        "Account", "Region", "Partition", "Organization", "Buckets", "Keys", "Topics", "LogGroups",
        "LogResourcePolicies", "Roles", "Users", "Groups", "Policies", "InstanceProfiles", "Trails",
        "Parameters", "Documents", "AutomationExecutions", "ManagedInstances", "Commands",  # Systems Manager
        "ConfigurationRecorders", "DeliveryChannels", "ConfigRules", "EvaluationResults",  # AWS Config
        "RemediationConfigurations", "RemediationExceptions", "RemediationExecutionStatuses",
        "Accounts", "Calls",
    ]  # fmt: skip
    assert list(data["Trails"][0]) == [
        "Name", "HomeRegion", "S3BucketName", "S3KeyPrefix", "SnsTopicName", "IncludeGlobalServiceEvents",
        "IsMultiRegionTrail", "LogFileValidationEnabled", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn",
        "KmsKeyId", "IsOrganizationTrail", "RecursiveLogging", "IsLogging", "StartLoggingTime", "StopLoggingTime",
        "EventSelectors", "AdvancedEventSelectors", "HasCustomEventSelectors", "InsightSelectors", "Tags",
    ]  # fmt: skip


def test_an_empty_world_takes_the_defaults() -> None:
    data = World.from_dict({}).to_dict()
    assert data == {
        "Account": "123456789012",
        "Region": "us-east-1",
        "Partition": "aws",
        "Organization": None,
        "Buckets": [],
        "Keys": [],
        "Topics": [],
        "LogGroups": [],
        "LogResourcePolicies": [],
        "Roles": [],
        "Users": [],
        "Groups": [],
        "Policies": [],
        "InstanceProfiles": [],
        "Trails": [],
        "Parameters": [],
        "Documents": [],
        "AutomationExecutions": [],
        "ManagedInstances": [],
        "Commands": [],
        "ConfigurationRecorders": [],
        "DeliveryChannels": [],
        "ConfigRules": [],
        "EvaluationResults": [],
        "RemediationConfigurations": [],
        "RemediationExceptions": [],
        "RemediationExecutionStatuses": [],
        "Accounts": {},
        "Calls": [],
    }


def test_trail_fields_left_out_take_create_trails_defaults() -> None:
    world = World.from_dict({"Region": "eu-west-1", "Trails": [{"Name": "main", "S3BucketName": "bucket-1"}]})
    assert world.to_dict()["Trails"] == [
        {
            "Name": "main",
            "HomeRegion": "eu-west-1",
            "S3BucketName": "bucket-1",
            "S3KeyPrefix": None,
            "SnsTopicName": None,
            "IncludeGlobalServiceEvents": True,
            "IsMultiRegionTrail": False,
            "LogFileValidationEnabled": False,
            "CloudWatchLogsLogGroupArn": None,
            "CloudWatchLogsRoleArn": None,
            "KmsKeyId": None,
            "IsOrganizationTrail": False,
            "RecursiveLogging": None,
            "IsLogging": False,
            "StartLoggingTime": None,
            "StopLoggingTime": None,
            "EventSelectors": [
                {
                    "ReadWriteType": "All",
                    "IncludeManagementEvents": True,
                    "DataResources": [],
                    "ExcludeManagementEventSources": [],
                }
            ],
            "AdvancedEventSelectors": [],
            "HasCustomEventSelectors": False,
            "InsightSelectors": [],
            "Tags": {},
        }
    ]


def test_partial_selectors_are_completed_and_count_as_custom() -> None:
    trail = {"Name": "main", "S3BucketName": "bucket-1", "EventSelectors": [{"ReadWriteType": "WriteOnly"}]}
    written = World.from_dict({"Trails": [trail]}).to_dict()["Trails"][0]
    assert written["EventSelectors"] == [
        {
            "ReadWriteType": "WriteOnly",
            "IncludeManagementEvents": True,
            "DataResources": [],
            "ExcludeManagementEventSources": [],
        }
    ]
    assert written["HasCustomEventSelectors"] is True


@pytest.mark.parametrize(
    ("selectors", "given", "custom"),
    [
        ([{"ReadWriteType": "All"}], None, False),
        ([{"ReadWriteType": "All"}], True, True),
        ([{"ReadWriteType": "ReadOnly"}], False, False),
        ([{"ReadWriteType": "ReadOnly"}], None, True),
    ],
)
def test_has_custom_event_selectors_is_kept_or_worked_out(
    selectors: list[dict[str, Any]], given: bool | None, custom: bool
) -> None:
    fields: dict[str, Any] = {"EventSelectors": selectors, "HasCustomEventSelectors": given}
    written = World.from_dict(with_trail(**fields)).to_dict()["Trails"][0]
    assert written["HasCustomEventSelectors"] is custom


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("alias/cloudtrail", KEY_ARN),
        ("arn:aws:kms:us-east-1:123456789012:alias/cloudtrail", KEY_ARN),
        (DEFAULT_KEY_ID, KEY_ARN),
        (KEY_ARN, KEY_ARN),
        (
            "0000abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:123456789012:key/0000abcd-12ab-34cd-56ef-1234567890ab",
        ),
        ("", None),
    ],
)
def test_a_trails_key_is_stored_as_the_full_key_arn(given: str, stored: str | None) -> None:
    data = default_data()
    data["Trails"][0]["KmsKeyId"] = given
    assert World.from_dict(data).to_dict()["Trails"][0]["KmsKeyId"] == stored


def test_the_default_world() -> None:
    data = World.default().to_dict()
    assert data["Account"] == "123456789012" and data["Region"] == "us-east-1" and data["Partition"] == "aws"
    assert data["Organization"] == {
        "Id": "o-a1b2c3d4e5",
        "ManagementAccount": "123456789012",
        "FeatureSet": "ALL",
        "TrustedServices": ["cloudtrail.amazonaws.com"],
    }
    assert [bucket["Name"] for bucket in data["Buckets"]] == ["trail-logs-123456789012"]
    assert [(key["KeyId"], key["Aliases"], key["Enabled"]) for key in data["Keys"]] == [
        (DEFAULT_KEY_ID, ["alias/cloudtrail"], True)
    ]
    (trail,) = data["Trails"]
    assert (trail["Name"], trail["HomeRegion"], trail["S3BucketName"], trail["IsLogging"]) == (
        "main", "us-east-1", "trail-logs-123456789012", False,
    )  # fmt: skip
    assert World.default() == World.from_dict(default_data())
    assert World.default() is not World.default()


# -- refusals -----------------------------------------------------------------------------------------------


def with_trail(**fields: Any) -> dict[str, Any]:
    return {"Trails": [{"Name": "main", "S3BucketName": "bucket-1", **fields}]}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"Acount": "123456789012"}, "Acount"),
        ({"Organization": {"Id": "o-a1b2c3d4e5", "Trusted": []}}, "Organization.Trusted"),
        ({"Buckets": [{"Name": "bucket-1", "Polcy": {}}]}, "Buckets[0].Polcy"),
        ({"Keys": [{"KeyId": DEFAULT_KEY_ID, "Alias": []}]}, "Keys[0].Alias"),
        ({"Topics": [{"Name": "t", "Arn": "x"}]}, "Topics[0].Arn"),
        ({"LogGroups": [{"Name": "g", "Retention": 1}]}, "LogGroups[0].Retention"),
        ({"Roles": [{"Name": "r", "Paht": "/"}]}, "Roles[0].Paht"),  # Path is a key since 0.2
        (with_trail(Nmae="x"), "Trails[0].Nmae"),
        (with_trail(TrailARN="x"), "Trails[0].TrailARN"),
    ],
)
def test_an_unknown_key_is_refused_naming_it(data: dict[str, Any], key: str) -> None:
    with pytest.raises(WorldError, match=f"unknown key {re.escape(key)} ") as caught:
        World.from_dict(data)
    assert caught.value.key == key
    assert isinstance(caught.value, ToolkitError)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"Account": "12345"}, "Account"),
        ({"Account": 123456789012}, "Account"),
        ({"Region": "mars-1"}, "Region"),
        ({"Partition": "azure"}, "Partition"),
        ({"Organization": {"Id": "org-1"}}, "Organization.Id"),
        ({"Organization": {"FeatureSet": "SOME"}}, "Organization.FeatureSet"),
        ({"Buckets": [{"Name": "Bad_Bucket"}]}, "Buckets[0].Name"),
        ({"Buckets": [{"Name": "bucket-1"}, {"Name": "bucket-1"}]}, "Buckets[1].Name"),
        ({"Buckets": [{"Name": "bucket-1", "Policy": "not json"}]}, "Buckets[0].Policy"),
        ({"Buckets": {"Name": "bucket-1"}}, "Buckets"),
        ({"Keys": [{"KeyId": "not-a-key"}]}, "Keys[0].KeyId"),
        ({"Keys": [{"KeyId": DEFAULT_KEY_ID, "Aliases": ["cloudtrail"]}]}, "Keys[0].Aliases"),
        ({"Keys": [{"KeyId": DEFAULT_KEY_ID, "Enabled": "yes"}]}, "Keys[0].Enabled"),
        ({"Trails": [{"Name": "main"}]}, "Trails[0].S3BucketName"),
        (with_trail(Name="a"), "Trails[0].Name"),
        (with_trail(Name="my--trail"), "Trails[0].Name"),
        (with_trail(IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False), "Trails[0].IncludeGlobalServiceEvents"),
        (with_trail(IsOrganizationTrail=True), "Trails[0].IsOrganizationTrail"),
        (with_trail(IsLogging="true"), "Trails[0].IsLogging"),
        (with_trail(StartLoggingTime="yesterday"), "Trails[0].StartLoggingTime"),
        (with_trail(KmsKeyId="alias/nowhere"), "Trails[0].KmsKeyId"),
        (with_trail(EventSelectors=[{"ReadWriteType": "Some"}]), "Trails[0].EventSelectors"),
        (
            with_trail(
                EventSelectors=[{"ReadWriteType": "All"}],
                AdvancedEventSelectors=[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}],
            ),
            "Trails[0].AdvancedEventSelectors",
        ),
        (with_trail(InsightSelectors=[{"InsightType": "Other"}]), "Trails[0].InsightSelectors"),
        (with_trail(Tags={"a": 1}), "Trails[0].Tags"),
        (
            {"Trails": [{"Name": "main", "S3BucketName": "b-1"}, {"Name": "main", "S3BucketName": "b-2"}]},
            "Trails[1].Name",
        ),
        (
            {
                "Trails": [
                    {"Name": "main", "S3BucketName": "b-1", "HomeRegion": "eu-west-1", "IsMultiRegionTrail": True},
                    {"Name": "main", "S3BucketName": "b-2"},
                ]
            },
            "Trails[1].Name",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_its_key(data: dict[str, Any], key: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict(data)
    assert caught.value.key == key
    assert key in str(caught.value)


def test_the_top_level_must_be_a_mapping() -> None:
    with pytest.raises(WorldError, match="must be a mapping"):
        World.from_dict([])  # type: ignore[arg-type]


def test_a_file_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text('Account: "123456789012"\nTrails:\n  - Name: main\n    S3BucketName: b-1\n    Nmae: x\n')
    with pytest.raises(WorldError) as caught:
        World.load(path)
    assert caught.value.key == "Trails[0].Nmae"
    assert str(caught.value).startswith(f"{path}:5:5: unknown key Trails[0].Nmae")


@pytest.mark.parametrize(
    ("text", "message"),
    [("Account: [\n", "invalid YAML"), ('{"Account": }', "invalid JSON"), ("- 1\n", "a world file must be a mapping")],
)
def test_an_unreadable_file_is_refused_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(text)
    with pytest.raises(WorldError, match=message) as caught:
        World.load(path)
    assert caught.value.file == str(path)


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(WorldError, match="cannot read the world file") as caught:
        World.load(tmp_path / "absent.yaml")
    assert caught.value.file == str(tmp_path / "absent.yaml")


def test_dump_needs_a_known_suffix_or_format(tmp_path: Path) -> None:
    with pytest.raises(WorldError, match=r"\.json, \.yaml or \.yml"):
        World.default().dump(tmp_path / "world.txt")
    World.default().dump(tmp_path / "world.txt", format="json")
    assert World.load(tmp_path / "world.txt") == World.default()


def test_from_dict_keeps_nothing_of_its_input() -> None:
    data = rich_data()
    world = World.from_dict(data)
    before = world.to_dict()
    data["Buckets"][0]["Policy"]["Statement"].clear()
    data["Trails"][1]["AdvancedEventSelectors"][0]["FieldSelectors"].clear()
    data["Trails"][1]["Tags"]["team"] = "other"
    assert world.to_dict() == before
    written = world.to_dict()
    written["Buckets"][0]["Policy"]["Statement"].clear()
    assert world.to_dict() == before
