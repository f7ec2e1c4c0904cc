"""The fake AWS Config's BatchGetResourceConfig: the world's resources as configuration items, as the recorder
records them; AWS's validation of the keys; no recorder, no items."""

from __future__ import annotations

import json

from tests.fakes.services import Service
from tests.fakes.test_config_service import ROLE, config, recording
from tests.fakes.worlds import ACCOUNT, KEY_ARN, TRAIL_ARN
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ID

ROLE_KEY = {"resourceType": "AWS::IAM::Role", "resourceId": ""}


def started(service: Service, **group: object) -> Service:
    recorder = {"name": "default", "roleARN": ROLE}
    if group:
        recorder["recordingGroup"] = group
    service.call("PutConfigurationRecorder", ConfigurationRecorder=recorder)
    service.call("PutDeliveryChannel", DeliveryChannel={"s3BucketName": DEFAULT_BUCKET})
    service.call("StartConfigurationRecorder", ConfigurationRecorderName="default")
    return service


def keys(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"resourceType": kind, "resourceId": ident} for kind, ident in pairs]


def test_the_world_s_resources_come_back_as_configuration_items() -> None:
    service = started(config())
    service.now = 90
    response = service.call(
        "BatchGetResourceConfig",
        resourceKeys=keys(
            ("AWS::S3::Bucket", DEFAULT_BUCKET),
            ("AWS::CloudTrail::Trail", "main"),
            ("AWS::KMS::Key", DEFAULT_KEY_ID),
            ("AWS::S3::Bucket", "absent-bucket"),
        ),
    )
    assert response["unprocessedResourceKeys"] == []
    bucket, trail, key = response["baseConfigurationItems"]
    assert (bucket["resourceType"], bucket["resourceId"], bucket["arn"]) == (
        "AWS::S3::Bucket",
        DEFAULT_BUCKET,
        f"arn:aws:s3:::{DEFAULT_BUCKET}",
    )
    assert (bucket["accountId"], bucket["awsRegion"], bucket["configurationItemStatus"]) == (ACCOUNT, "us-east-1", "OK")
    assert bucket["configurationItemCaptureTime"].second == 30 and bucket["configurationStateId"].isdigit()
    assert json.loads(bucket["configuration"])["name"] == DEFAULT_BUCKET
    assert "policyText" in json.loads(bucket["supplementaryConfiguration"]["BucketPolicy"])
    assert (trail["arn"], json.loads(trail["configuration"])["s3BucketName"]) == (TRAIL_ARN, DEFAULT_BUCKET)
    assert (key["arn"], json.loads(key["configuration"])["keyState"]) == (KEY_ARN, "Enabled")


def test_global_types_are_recorded_only_when_the_group_includes_them() -> None:
    service = config()
    role_id = service.world.roles["ConfigRole"].role_id()
    started(service)
    request = keys(("AWS::IAM::Role", role_id))
    assert service.call("BatchGetResourceConfig", resourceKeys=request)["baseConfigurationItems"] == []
    service.call(
        "PutConfigurationRecorder",
        ConfigurationRecorder={
            "name": "default",
            "roleARN": ROLE,
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        },
    )
    (item,) = service.call("BatchGetResourceConfig", resourceKeys=request)["baseConfigurationItems"]
    assert (item["resourceName"], item["awsRegion"]) == ("ConfigRole", "global")
    assert json.loads(item["configuration"])["roleId"] == role_id


def test_a_group_of_listed_types_records_only_those() -> None:
    service = started(config(), allSupported=False, resourceTypes=["AWS::KMS::Key"])
    request = keys(("AWS::S3::Bucket", DEFAULT_BUCKET), ("AWS::KMS::Key", DEFAULT_KEY_ID))
    (item,) = service.call("BatchGetResourceConfig", resourceKeys=request)["baseConfigurationItems"]
    assert item["resourceType"] == "AWS::KMS::Key"


def test_without_a_recorder_or_before_it_starts_nothing_is_recorded() -> None:
    service = config()
    request = keys(("AWS::S3::Bucket", DEFAULT_BUCKET))
    assert service.error("BatchGetResourceConfig", resourceKeys=request).code == (
        "NoAvailableConfigurationRecorderException"
    )
    recording(service)
    assert service.call("BatchGetResourceConfig", resourceKeys=request) == {
        "baseConfigurationItems": [],
        "unprocessedResourceKeys": [],
    }


def test_one_to_a_hundred_keys() -> None:
    service = started(config())
    too_many = keys(*[("AWS::S3::Bucket", f"b-{n}") for n in range(101)])
    assert service.error("BatchGetResourceConfig", resourceKeys=too_many).code == "ValidationException"
    assert service.error("BatchGetResourceConfig", resourceKeys=[]).code == "ValidationException"
    hundred = keys(*[("AWS::S3::Bucket", f"b-{n}") for n in range(100)])
    assert service.call("BatchGetResourceConfig", resourceKeys=hundred)["baseConfigurationItems"] == []
