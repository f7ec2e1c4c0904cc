"""Acceptance of issue 14 ("The open world"): AWS Automated Security Response's remediation runbooks, filled in as
its build fills them, run to Success in a fresh account where ASR's member stacks are deployed, and leave the
resources they promise (tests/data/asr/README.md says where the runbooks come from and why they are not copied
here).

- ASR-CreateCloudTrailMultiRegionTrail: two buckets (access logs; CloudTrail's, with ASR's policy), a multi-region
  trail encrypted with ASR's key, logging.
- ASR-EnableCloudTrailToCloudWatchLogging: creates its log group, rewrites the bucket policy with aws:SourceArn,
  points the trail at the group.
- ASR-EnableAWSConfig: an encrypted topic, the access-log bucket (a child automation, ASR-CreateAccessLoggingBucket),
  the Config bucket, the recorder (recording) and the delivery channel.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ASR_SOURCES, CORPUS, outside
from tests.simulate.asr import (
    ACCOUNT,
    CLOUDWATCH_ROLE,
    NAMESPACE,
    ORCHESTRATOR_ROLE,
    RUNBOOKS,
    SCRIPT,
    Runbook,
    fill_runbooks,
    find_source,
    member_world,
    remediation_key,
    remediation_role,
    role_arn,
)
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.lint import Linter
from toolkit.simulate import Options, SimulationResult, simulate
from toolkit.source import read_data

SOURCE = find_source()
pytestmark = pytest.mark.skipif(SOURCE is None, reason=outside(ASR_SOURCES))

REGIONS = ("us-east-1", "eu-west-1")
TRAIL = "multi-region-cloud-trail"
TRAIL_BUCKET = f"so0111-aws-cloudtrail-{ACCOUNT}"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
LOG_GROUP = "CloudTrail/CloudWatchLogs"
TOPIC = "SO0111-ASR-AWSConfigNotification"
CONFIG_ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


@pytest.fixture(scope="module")
def runbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Runbook]:
    assert SOURCE is not None
    return fill_runbooks(SOURCE, tmp_path_factory.mktemp("asr"))


@pytest.fixture(scope="module", params=REGIONS)
def fresh(request: pytest.FixtureRequest, runbooks: dict[str, Runbook]) -> World:
    """A fresh account in the region with ASR's member stacks deployed, shared by the module's tests (a simulation
    never changes the world it is given)."""
    return member_world(request.param, runbooks)


def run(
    runbooks: dict[str, Runbook], name: str, params: dict[str, Any], world: World, *, iam: bool = True
) -> SimulationResult:
    """Start ``ASR-<name>`` as ASR's orchestrator does: as its remediation role; child automations are the
    account's own documents (SSM's GetDocument on the world)."""

    def documents(document: str) -> dict[str, Any] | None:
        try:
            content = world.call("ssm", "GetDocument", {"Name": document})["Content"]
        except AwsError:
            return None
        return dict(json.loads(content))

    role = {"AutomationAssumeRole": role_arn(remediation_role(name))}
    return simulate(runbooks[name].data(), {**role, **params}, world, options=Options(documents=documents, iam=iam))


def succeeded(result: SimulationResult) -> World:
    failures = [(step.name, step.failure_message) for step in result.steps if step.status != "Success"]
    assert result.status == "Success", (result.error, failures)
    assert not failures
    assert result.world is not None
    return result.world


def policy(world: World, bucket: str) -> dict[str, Any]:
    return dict(json.loads(world.call("s3", "GetBucketPolicy", {"Bucket": bucket})["Policy"]))


def s3(world: World, operation: str, bucket: str) -> dict[str, Any]:
    return world.call("s3", operation, {"Bucket": bucket})


def grants(world: World, bucket: str) -> list[tuple[str, str]]:
    """The bucket's ACL as (grantee, permission) pairs, in a fixed order (S3 documents none)."""
    acl = s3(world, "GetBucketAcl", bucket)["Grants"]
    return sorted((grant["Grantee"].get("URI") or grant["Grantee"]["ID"], grant["Permission"]) for grant in acl)


LOG_DELIVERY_GRANTS = [(LOG_DELIVERY, "READ_ACP"), (LOG_DELIVERY, "WRITE")]
"""The ACL ASR gives an access-log bucket: the log delivery group may write and read the ACL, and nobody else is
named (the grant headers replace the whole ACL, the owner's own grant included)."""


def code_of(call: Callable[[], object]) -> str:
    with pytest.raises(AwsError) as caught:
        call()
    return caught.value.code


# -- the runbooks, as ASR's build fills them in ------------------------------------------------------------------


def test_the_templates_are_the_shared_corpus_documents(runbooks: dict[str, Runbook]) -> None:
    folder = CORPUS / "aws-solutions__automated-security-response-on-aws"
    for name in RUNBOOKS:
        corpus_copy = folder / f"source__remediation_runbooks__{name}.yaml"
        assert runbooks[name].template == corpus_copy.read_text(encoding="utf-8"), name


def test_each_script_is_its_file_and_each_role_has_the_namespace(runbooks: dict[str, Runbook]) -> None:
    for runbook in runbooks.values():
        assert "%%" not in runbook.text
        steps = runbook.data()["mainSteps"]
        placeholders = [SCRIPT.fullmatch(step["inputs"].get("Script", "x")) for step in _template_steps(runbook)]
        scripts = [step["inputs"]["Script"] for step in steps if step["action"] == "aws:executeScript"]
        named = [match.group(1) for match in placeholders if match is not None]
        assert len(scripts) == len(named) > 0
        for script, name in zip(scripts, named, strict=True):
            assert script == runbook.scripts[name].rstrip("\n"), (runbook.name, name)
    child = next(
        step for step in runbooks["EnableAWSConfig"].data()["mainSteps"] if step["name"] == "CreateAccessLoggingBucket"
    )
    assert child["inputs"]["RuntimeParameters"]["AutomationAssumeRole"] == (
        f"arn:{{{{global:AWS_PARTITION}}}}:iam::{{{{global:ACCOUNT_ID}}}}:role/SO0111-CreateAccessLoggingBucket-{NAMESPACE}"
    )


def _template_steps(runbook: Runbook) -> list[dict[str, Any]]:
    data, _ = read_data(runbook.template, file=f"{runbook.name}.yaml")
    return list(data["mainSteps"])


def test_the_filled_runbooks_lint_clean(runbooks: dict[str, Runbook]) -> None:
    linter = Linter()
    for runbook in runbooks.values():
        assert linter.lint_text(runbook.text, file=f"{runbook.document_name}.yaml") == [], runbook.name


# -- ASR-CreateCloudTrailMultiRegionTrail ------------------------------------------------------------------------


def create_trail(runbooks: dict[str, Runbook], world: World) -> SimulationResult:
    return run(runbooks, "CreateCloudTrailMultiRegionTrail", {"KMSKeyArn": remediation_key(world)}, world)


def test_the_account_starts_fresh(fresh: World) -> None:
    assert fresh.call("cloudtrail", "DescribeTrails", {})["trailList"] == []
    assert fresh.call("s3", "ListBuckets", {})["Buckets"] == []
    assert fresh.call("logs", "DescribeLogGroups", {})["logGroups"] == []
    assert fresh.call("config", "DescribeConfigurationRecorders", {})["ConfigurationRecorders"] == []
    assert fresh.call("sns", "ListTopics", {})["Topics"] == []


def test_create_cloudtrail_multi_region_trail_in_a_fresh_account(runbooks: dict[str, Runbook], fresh: World) -> None:
    result = create_trail(runbooks, fresh)
    world = succeeded(result)
    region, key = fresh.region, remediation_key(fresh)
    logging_bucket = f"so0111-access-logs-{region}-{ACCOUNT}"
    assert result.step_outputs["CreateLoggingBucket.LoggingBucketName"] == logging_bucket
    assert result.step_outputs["CreateCloudTrailBucket.CloudTrailBucketName"] == TRAIL_BUCKET
    assert result.step_outputs["Remediation.Output"] == {
        "Payload": {"response": {"message": "AWS CloudTrail successfully enabled", "status": "Success"}}
    }

    (trail,) = world.call("cloudtrail", "DescribeTrails", {})["trailList"]
    assert {key: trail.get(key) for key in ("Name", "S3BucketName", "IsMultiRegionTrail", "HomeRegion")} == {
        "Name": TRAIL,
        "S3BucketName": TRAIL_BUCKET,
        "IsMultiRegionTrail": True,
        "HomeRegion": region,
    }
    assert trail["IncludeGlobalServiceEvents"] and trail["LogFileValidationEnabled"]
    assert trail["KmsKeyId"] == key and not trail["IsOrganizationTrail"]
    assert world.call("cloudtrail", "GetTrailStatus", {"Name": TRAIL})["IsLogging"] is True
    elsewhere = "us-west-2"  # a multi-region trail is seen, and logs, in every region
    assert world.call("cloudtrail", "GetTrailStatus", {"Name": trail["TrailARN"]}, region=elsewhere)["IsLogging"]

    arn = f"arn:aws:s3:::{TRAIL_BUCKET}"
    cloudtrail = {"Service": ["cloudtrail.amazonaws.com"]}
    assert policy(world, TRAIL_BUCKET) == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AWSCloudTrailAclCheck20150319", "Effect": "Allow", "Principal": cloudtrail,
             "Action": "s3:GetBucketAcl", "Resource": arn},
            {"Sid": "AWSCloudTrailWrite20150319", "Effect": "Allow", "Principal": cloudtrail, "Action": "s3:PutObject",
             "Resource": f"{arn}/AWSLogs/{ACCOUNT}/*",
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
            {"Sid": "AllowSSLRequestsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        ],
    }  # fmt: skip
    key_id = key.split("key/")[1]
    for bucket in (TRAIL_BUCKET, logging_bucket):
        assert s3(world, "GetBucketLocation", bucket)["LocationConstraint"] == (
            None if region == "us-east-1" else region
        )
        (rule,) = s3(world, "GetBucketEncryption", bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}
        assert set(s3(world, "GetPublicAccessBlock", bucket)["PublicAccessBlockConfiguration"].values()) == {True}
    assert s3(world, "GetBucketLogging", TRAIL_BUCKET)["LoggingEnabled"] == {
        "TargetBucket": logging_bucket,
        "TargetPrefix": "cloudtrail-access-logs",
    }
    assert s3(world, "GetBucketOwnershipControls", logging_bucket)["OwnershipControls"] == {
        "Rules": [{"ObjectOwnership": "ObjectWriter"}]
    }
    assert grants(world, logging_bucket) == LOG_DELIVERY_GRANTS
    assert [call.error for call in result.calls] == [None] * len(result.calls)
    assert fresh.call("cloudtrail", "DescribeTrails", {})["trailList"] == []  # the world given is never changed


def test_running_it_again_updates_the_trail(runbooks: dict[str, Runbook], fresh: World) -> None:
    again = create_trail(runbooks, succeeded(create_trail(runbooks, fresh)))
    world = succeeded(again)
    assert again.step_outputs["EnableCloudTrail.Payload"] == {
        "output": {"Message": f"CloudTrail Trail {TRAIL} updated"}
    }
    assert [trail["Name"] for trail in world.call("cloudtrail", "DescribeTrails", {})["trailList"]] == [TRAIL]
    operations = [(call.operation, call.error) for call in again.calls if call.operation == "CreateBucket"]
    # us-east-1 answers CreateBucket of a bucket its caller owns with 200 (S3's legacy behaviour); other regions
    # with BucketAlreadyOwnedByYou, which ASR's scripts take as "already made"
    expected = None if fresh.region == "us-east-1" else "BucketAlreadyOwnedByYou"
    assert operations == [("CreateBucket", expected)] * 2


# -- ASR-EnableCloudTrailToCloudWatchLogging ---------------------------------------------------------------------


def cloudwatch_params(role: str = CLOUDWATCH_ROLE) -> dict[str, str]:
    return {"TrailName": TRAIL, "CloudWatchLogsRole": role_arn(role), "LogGroupName": LOG_GROUP}


def test_enable_cloudtrail_to_cloudwatch_logging_creates_its_log_group(
    runbooks: dict[str, Runbook], fresh: World
) -> None:
    with_trail = succeeded(create_trail(runbooks, fresh))
    result = run(runbooks, "EnableCloudTrailToCloudWatchLogging", cloudwatch_params(), with_trail)
    world = succeeded(result)
    region = fresh.region
    group_arn = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{LOG_GROUP}:*"
    (group,) = world.call("logs", "DescribeLogGroups", {})["logGroups"]
    assert (group["logGroupName"], group["arn"]) == (LOG_GROUP, group_arn)
    assert result.step_outputs["CreateOrGetLogGroup.CloudWatchLogsGroupArn"] == group_arn

    trail = world.call("cloudtrail", "GetTrail", {"Name": TRAIL})["Trail"]
    assert trail["CloudWatchLogsLogGroupArn"] == group_arn
    assert trail["CloudWatchLogsRoleArn"] == role_arn(CLOUDWATCH_ROLE)
    assert world.call("cloudtrail", "GetTrailStatus", {"Name": TRAIL})["IsLogging"] is True

    output = result.step_outputs["UpdateTrailToCWLogs.Output"]
    assert output["Success"] is True and output["ValidationWarning"] is False
    assert output["TrailArn"] == trail["TrailARN"]
    assert result.step_outputs["FixCloudTrailBucketPolicy.BucketPolicyResult"]["PolicyMerged"] is True
    assert result.step_outputs["ValidateBucketPolicy.ValidationResult"]["Valid"] is True
    statements = {statement["Sid"]: statement for statement in policy(world, TRAIL_BUCKET)["Statement"]}
    assert list(statements) == ["AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319", "AllowSSLRequestsOnly"]
    for sid in ("AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319"):
        assert statements[sid]["Condition"]["StringEquals"]["AWS:SourceArn"] == trail["TrailARN"]
        assert statements[sid]["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    # the policy now lets this trail deliver (condition keys match in any case: AWS:SourceArn) and no other
    world.call("cloudtrail", "UpdateTrail", {"Name": TRAIL, "S3BucketName": TRAIL_BUCKET})
    another = {"Name": "another-trail", "S3BucketName": TRAIL_BUCKET}
    assert code_of(lambda: world.call("cloudtrail", "CreateTrail", another)) == "InsufficientS3BucketPolicyException"


def test_an_existing_log_group_is_reused(runbooks: dict[str, Runbook], fresh: World) -> None:
    with_trail = succeeded(create_trail(runbooks, fresh))
    data = with_trail.to_dict()
    data["Calls"] = [
        *data["Calls"],
        {"Service": "logs", "Api": "CreateLogGroup", "Params": {"logGroupName": LOG_GROUP}},
    ]
    result = run(runbooks, "EnableCloudTrailToCloudWatchLogging", cloudwatch_params(), World.from_dict(data))
    world = succeeded(result)
    assert "CreateLogGroup" not in [call.operation for call in result.calls]
    assert len(world.call("logs", "DescribeLogGroups", {})["logGroups"]) == 1
    assert world.call("cloudtrail", "GetTrail", {"Name": TRAIL})["Trail"]["CloudWatchLogsLogGroupArn"].endswith(":*")


def test_a_role_cloudtrail_cannot_assume_fails_only_in_the_output(runbooks: dict[str, Runbook], fresh: World) -> None:
    """ASR's UpdateTrailToCWLogs catches CloudTrail's refusal and returns it: the execution still ends Success, as it
    would on AWS, with ``Success: false`` in its output and the trail unchanged. ASR's remediation role may pass only
    its CloudWatch Logs role, so handing CloudTrail the orchestrator's role is refused by IAM first (iam:PassRole);
    with permissions not checked, CloudTrail itself refuses a role it cannot assume."""
    with_trail = succeeded(create_trail(runbooks, fresh))
    result = run(runbooks, "EnableCloudTrailToCloudWatchLogging", cloudwatch_params(ORCHESTRATOR_ROLE), with_trail)
    world = succeeded(result)
    output = result.step_outputs["UpdateTrailToCWLogs.Output"]
    assert output["Success"] is False
    assert f"iam:PassRole on resource: {role_arn(ORCHESTRATOR_ROLE)}" in output["LastError"]
    assert [call.error for call in result.calls if call.operation == "UpdateTrail"] == ["AccessDeniedException"]
    assert "CloudWatchLogsLogGroupArn" not in world.call("cloudtrail", "GetTrail", {"Name": TRAIL})["Trail"]

    unchecked = run(runbooks, "EnableCloudTrailToCloudWatchLogging", cloudwatch_params(ORCHESTRATOR_ROLE), with_trail,
                    iam=False)  # fmt: skip
    succeeded(unchecked)
    output = unchecked.step_outputs["UpdateTrailToCWLogs.Output"]
    assert output["Success"] is False and "InvalidCloudWatchLogsRoleArnException" in output["LastError"]


# -- ASR-EnableAWSConfig -----------------------------------------------------------------------------------------


def test_enable_aws_config_in_a_fresh_account(runbooks: dict[str, Runbook], fresh: World) -> None:
    key = remediation_key(fresh)
    result = run(runbooks, "EnableAWSConfig", {"KMSKeyArn": key, "SNSTopicName": TOPIC}, fresh)
    world = succeeded(result)
    region = fresh.region
    topic_arn = f"arn:aws:sns:{region}:{ACCOUNT}:{TOPIC}"
    config_bucket = f"so0111-aws-config-{region}-{ACCOUNT}"
    access_logs = f"so0111-accesslogs-{ACCOUNT}-{region}"
    assert result.step_outputs["Remediation.Output"] == {
        "Payload": {"Message": "Successfully completed setting up recorder default", "Status": "Success"}
    }

    (recorder,) = world.call("config", "DescribeConfigurationRecorders", {})["ConfigurationRecorders"]
    assert (recorder["name"], recorder["roleARN"]) == ("default", CONFIG_ROLE)
    assert recorder["recordingGroup"]["allSupported"] and recorder["recordingGroup"]["includeGlobalResourceTypes"]
    (status,) = world.call("config", "DescribeConfigurationRecorderStatus", {})["ConfigurationRecordersStatus"]
    assert status["recording"] is True
    (channel,) = world.call("config", "DescribeDeliveryChannels", {})["DeliveryChannels"]
    assert channel == {
        "name": "default",
        "s3BucketName": config_bucket,
        "s3KeyPrefix": ACCOUNT,
        "snsTopicARN": topic_arn,
        "configSnapshotDeliveryProperties": {"deliveryFrequency": "Twelve_Hours"},
    }

    attributes = world.call("sns", "GetTopicAttributes", {"TopicArn": topic_arn})["Attributes"]
    assert attributes["KmsMasterKeyId"] == key.split("key/")[1]
    (statement,) = json.loads(attributes["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "config.amazonaws.com"} and statement["Action"] == "SNS:Publish"
    parameter = world.call("ssm", "GetParameter", {"Name": "/Solutions/SO0111/SNS_Topic_Config.1"})["Parameter"]
    assert parameter["Value"] == topic_arn

    child = next(step for step in result.steps if step.name == "CreateAccessLoggingBucket")
    assert child.outputs["Status"] == "Success"
    assert grants(world, access_logs) == LOG_DELIVERY_GRANTS
    (rule,) = s3(world, "GetBucketEncryption", access_logs)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert [statement["Sid"] for statement in policy(world, access_logs)["Statement"]] == ["AllowSSLRequestsOnly"]

    (rule,) = s3(world, "GetBucketEncryption", config_bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key.split("key/")[1]
    assert s3(world, "GetBucketLogging", config_bucket)["LoggingEnabled"] == {
        "TargetBucket": access_logs,
        "TargetPrefix": f"access-logs/{config_bucket}",
    }
    assert [statement["Sid"] for statement in policy(world, config_bucket)["Statement"]] == [
        "AWSConfigBucketPermissionsCheck",
        "AWSConfigBucketExistenceCheck",
        "AWSConfigBucketDelivery",
        "AllowSSLRequestsOnly",
    ]
    assert code_of(lambda: fresh.call("config", "DescribeDeliveryChannels", {"DeliveryChannelNames": ["default"]})) == (
        "NoSuchDeliveryChannelException"
    )


# -- what the simulator once did not do as SSM does (reported by these tests, now done) ---------------------------


def test_the_key_parameter_default_is_read_from_parameter_store(runbooks: dict[str, Runbook], fresh: World) -> None:
    role = {"AutomationAssumeRole": role_arn(remediation_role("CreateCloudTrailMultiRegionTrail"))}
    result = simulate(runbooks["CreateCloudTrailMultiRegionTrail"].data(), role, fresh)
    assert succeeded(result).call("cloudtrail", "GetTrail", {"Name": TRAIL})["Trail"]["KmsKeyId"] == (
        remediation_key(fresh)
    )


def test_the_child_document_is_the_accounts_own(runbooks: dict[str, Runbook], fresh: World) -> None:
    params = {
        "AutomationAssumeRole": role_arn(remediation_role("EnableAWSConfig")),
        "KMSKeyArn": remediation_key(fresh),
        "SNSTopicName": TOPIC,
    }
    succeeded(simulate(runbooks["EnableAWSConfig"].data(), params, fresh))
