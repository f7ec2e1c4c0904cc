"""Differential tests of the fake Systems Manager and AWS Config against moto's server: the same call sequence, made
through the same botocore clients, gives the same error codes (and messages, where moto words them as AWS does) and
the same response members that matter.

Left out where moto is not faithful (each compared only where it is):
- Parameter Store: moto takes names AWS refuses (``a/b`` is not fully qualified, spaces; see "Requirements and
  constraints for parameter names", https://docs.aws.amazon.com/systems-manager/latest/userguide/
  sysman-paramstore-su-create.html), values over 4 KB on the standard tier (parameter-store-advanced-parameters.html)
  and values that fail AllowedPattern (API_PutParameter.html, ParameterPatternMismatchException); it leaves out
  Parameter.Selector and ParameterMetadata.ARN (API_Parameter.html, API_ParameterMetadata.html) and reports
  LastModifiedUser "N/A" (AWS: the caller's ARN). Timestamps differ by clock.
- Documents: moto takes reserved names such as ``AWS-mine`` (API_CreateDocument.html, Name), answers InvalidDocument
  for a version that does not exist (AWS: InvalidDocumentVersion, API_DescribeDocument.html), leaves out
  GetDocument's CreatedDate and reports PlatformTypes "Not Implemented (moto)".
- Config: moto leaves out the recorder's arn, recordingMode and recordingScope (API_ConfigurationRecorder.html),
  reports lastStatus "PENDING" where the enum is Pending (API_ConfigurationRecorderStatus.html), and leaves out
  ConfigRule.EvaluationModes; rule ids are random in moto.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.boto import fake_session
from toolkit.fakes.default import DEFAULT_BUCKET, default_data
from toolkit.fakes.world import World

CONFIG_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
ROLE = "arn:aws:iam::123456789012:role/ConfigRole"


class Seen:
    """Makes calls and records what was seen: chosen members of a response, or the error code (and message)."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def __call__(
        self,
        label: str,
        call: Callable[[], dict[str, Any]],
        pick: Callable[[dict[str, Any]], Any] = lambda response: response,
        *,
        message: bool = True,
    ) -> None:
        try:
            response = call()
        except ClientError as err:
            error = err.response["Error"]
            self.seen.append((label, error["Code"], error["Message"] if message else None))
            return
        response.pop("ResponseMetadata", None)
        self.seen.append((label, pick(response)))


def _parameter(response: dict[str, Any]) -> dict[str, Any]:
    parameter = response["Parameter"]
    return {key: parameter.get(key) for key in ("Name", "Type", "Value", "Version", "DataType", "ARN")}


def _parameters(response: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(p["Name"], p["Type"], p.get("Value"), p["Version"]) for p in response["Parameters"]]


def metadata(response: dict[str, Any]) -> list[Any]:
    """The parameters described, in name order (DescribeParameters promises no order)."""
    keys = ("Name", "Type", "Version", "Description", "DataType", "Tier")
    return sorted(tuple(p.get(key) for key in keys) for p in response["Parameters"])


def parameter_store(session: Any) -> list[Any]:
    ssm = session.client("ssm")
    see = Seen()
    see("put", lambda: ssm.put_parameter(Name="/app/a", Value="1", Type="String"))
    see("put again", lambda: ssm.put_parameter(Name="/app/a", Value="1", Type="String"))
    see("overwrite", lambda: ssm.put_parameter(Name="/app/a", Value="2", Overwrite=True))
    see("list", lambda: ssm.put_parameter(Name="/app/sub/b", Value="x,y", Type="StringList"))
    see("top", lambda: ssm.put_parameter(Name="top", Value="t", Type="String", Description="d"))
    see("top again", lambda: ssm.put_parameter(Name="/top", Value="t", Type="String"))
    see("secure", lambda: ssm.put_parameter(Name="/s", Value="pw", Type="SecureString"))
    see("reserved", lambda: ssm.put_parameter(Name="aws-x", Value="t", Type="String"))
    see("reserved path", lambda: ssm.put_parameter(Name="/aws/x/y", Value="t", Type="String"))
    see("no type", lambda: ssm.put_parameter(Name="/new", Value="t"))
    see("empty", lambda: ssm.put_parameter(Name="/empty", Value="", Type="String"))
    see("get", lambda: ssm.get_parameter(Name="/app/a"), _parameter)
    see("get top", lambda: ssm.get_parameter(Name="/top"), _parameter)
    see("get version", lambda: ssm.get_parameter(Name="/app/a:1"), _parameter)
    see("get no version", lambda: ssm.get_parameter(Name="/app/a:9"))
    see("get no label", lambda: ssm.get_parameter(Name="/app/a:nolabel"))
    see("get missing", lambda: ssm.get_parameter(Name="/missing"))
    see("decrypted", lambda: ssm.get_parameter(Name="/s", WithDecryption=True), _parameter)
    see("label", lambda: ssm.label_parameter_version(Name="/app/a", ParameterVersion=1, Labels=["prod", "1x", "awsy"]))
    see("by label", lambda: ssm.get_parameter(Name="/app/a:prod"), _parameter)
    see("move label", lambda: ssm.label_parameter_version(Name="/app/a", Labels=["prod"]))
    see(
        "history",
        lambda: ssm.get_parameter_history(Name="/app/a"),
        lambda r: [(h["Version"], h["Value"], h["Labels"]) for h in r["Parameters"]],
    )
    see(
        "parameters",
        lambda: ssm.get_parameters(Names=["/app/a", "/missing", "/app/a:9", "/app/a:prod"]),
        lambda r: (_parameters(r), r["InvalidParameters"]),
    )
    see("by path", lambda: ssm.get_parameters_by_path(Path="/app"), _parameters)
    see("by path recursive", lambda: ssm.get_parameters_by_path(Path="/app", Recursive=True), _parameters)
    see(
        "by path label",
        lambda: ssm.get_parameters_by_path(Path="/app", ParameterFilters=[{"Key": "Label", "Values": ["prod"]}]),
        _parameters,
    )
    see(
        "by path name filter",
        lambda: ssm.get_parameters_by_path(Path="/app", ParameterFilters=[{"Key": "Name", "Values": ["x"]}]),
        message=False,
    )
    see("describe", lambda: ssm.describe_parameters(), metadata)
    see(
        "describe path",
        lambda: ssm.describe_parameters(ParameterFilters=[{"Key": "Path", "Values": ["/app"], "Option": "Recursive"}]),
        metadata,
    )
    see(
        "describe name",
        lambda: ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": ["/app"]}]),
        metadata,
    )
    see("describe type", lambda: ssm.describe_parameters(Filters=[{"Key": "Type", "Values": ["StringList"]}]), metadata)
    see(
        "describe label",
        lambda: ssm.describe_parameters(ParameterFilters=[{"Key": "Label", "Values": ["prod"]}]),
        message=False,
    )
    see("delete", lambda: ssm.delete_parameter(Name="/app/sub/b"))
    see("delete again", lambda: ssm.delete_parameter(Name="/app/sub/b"))
    see("delete some", lambda: ssm.delete_parameters(Names=["/app/a", "/nope"]))
    see("advanced", lambda: ssm.put_parameter(Name="/big", Value="x" * 4097, Type="String", Tier="Advanced"))
    return see.seen


AUTOMATION = json.dumps(
    {
        "schemaVersion": "0.3",
        "description": "A doc",
        "parameters": {"A": {"type": "String", "description": "a"}, "B": {"type": "String", "default": "x"}},
        "mainSteps": [{"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}],
    }
)
YAML = (
    "schemaVersion: '0.3'\ndescription: Third\n"
    "mainSteps:\n  - name: s\n    action: aws:sleep\n    inputs: {Duration: PT1S}\n"
)


def _description(response: dict[str, Any]) -> dict[str, Any]:
    document = response.get("DocumentDescription") or response["Document"]
    keys = ("Name", "Hash", "HashType", "DocumentVersion", "LatestVersion", "DefaultVersion", "VersionName", "Owner")
    more = ("Description", "Parameters", "DocumentType", "SchemaVersion", "DocumentFormat", "Status")
    return {key: document.get(key) for key in (*keys, *more)}


def _content(response: dict[str, Any]) -> dict[str, Any]:
    keys = ("Name", "Content", "DocumentVersion", "VersionName", "DocumentType", "DocumentFormat", "Status")
    return {key: response.get(key) for key in keys}


def documents(session: Any) -> list[Any]:
    ssm = session.client("ssm")
    see = Seen()
    second = AUTOMATION.replace("A doc", "Second")

    def create(name: str, content: str, **more: Any) -> dict[str, Any]:
        result: dict[str, Any] = ssm.create_document(Name=name, Content=content, DocumentType="Automation", **more)
        return result

    see("create", lambda: create("my-doc", AUTOMATION, VersionName="one"), _description)
    see("create again", lambda: create("my-doc", AUTOMATION))
    see("create short name", lambda: create("ab", AUTOMATION), message=False)
    see("create bad json", lambda: create("bad-doc", "{nope"), message=False)
    see("create yaml", lambda: create("yaml-doc", YAML, DocumentFormat="YAML"), _description)
    see("update same", lambda: ssm.update_document(Name="my-doc", Content=AUTOMATION, DocumentVersion="$LATEST"))
    see(
        "update",
        lambda: ssm.update_document(Name="my-doc", Content=second, DocumentVersion="$LATEST", VersionName="two"),
        _description,
    )
    see(
        "update name again",
        lambda: ssm.update_document(
            Name="my-doc", Content=second.replace("Second", "3"), DocumentVersion="$LATEST", VersionName="two"
        ),
    )
    see(
        "update old version",
        lambda: ssm.update_document(Name="my-doc", Content=second.replace("Second", "4"), DocumentVersion="1"),
    )
    see("update missing", lambda: ssm.update_document(Name="nope-doc", Content=second, DocumentVersion="$LATEST"))
    see("describe", lambda: ssm.describe_document(Name="my-doc"), _description)
    see("describe 2", lambda: ssm.describe_document(Name="my-doc", DocumentVersion="2"), _description)
    see("describe by name", lambda: ssm.describe_document(Name="my-doc", VersionName="two"), _description)
    see("describe missing", lambda: ssm.describe_document(Name="nope-doc"))
    see("get", lambda: ssm.get_document(Name="my-doc"), _content)
    see("get latest", lambda: ssm.get_document(Name="my-doc", DocumentVersion="$LATEST"), _content)
    see("get by name", lambda: ssm.get_document(Name="my-doc", VersionName="one"), _content)
    see("get yaml as json", lambda: ssm.get_document(Name="yaml-doc"), _content)
    see("default", lambda: ssm.update_document_default_version(Name="my-doc", DocumentVersion="2"))
    see(
        "list",
        lambda: ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}]),
        lambda r: [(d["Name"], d["DocumentVersion"], d.get("VersionName")) for d in r["DocumentIdentifiers"]],
    )
    see("delete default", lambda: ssm.delete_document(Name="my-doc", DocumentVersion="2"))
    see("delete 1", lambda: ssm.delete_document(Name="my-doc", DocumentVersion="1"))
    see("describe after", lambda: ssm.describe_document(Name="my-doc"), _description)
    see("delete all", lambda: ssm.delete_document(Name="my-doc"))
    see("delete gone", lambda: ssm.delete_document(Name="my-doc"))
    return see.seen


def _recorders(response: dict[str, Any]) -> list[Any]:
    return [(r["name"], r["roleARN"], r["recordingGroup"]) for r in response["ConfigurationRecorders"]]


def _rules(response: dict[str, Any]) -> list[Any]:
    keys = ("ConfigRuleName", "Source", "InputParameters", "MaximumExecutionFrequency", "ConfigRuleState")
    return [{key: rule.get(key) for key in keys} for rule in response["ConfigRules"]]


def config_recorder_and_rules(session: Any) -> list[Any]:
    client = session.client("config")
    see = Seen()
    bucket = {"name": "default", "s3BucketName": DEFAULT_BUCKET}
    enabled = {
        "ConfigRuleName": "cloudtrail-enabled",
        "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"},
    }
    see("channel first", lambda: client.put_delivery_channel(DeliveryChannel=bucket))
    see(
        "recorder",
        lambda: client.put_configuration_recorder(ConfigurationRecorder={"name": "default", "roleARN": ROLE}),
    )
    see(
        "second recorder",
        lambda: client.put_configuration_recorder(ConfigurationRecorder={"name": "two", "roleARN": ROLE}),
    )
    see("recorders", lambda: client.describe_configuration_recorders(), _recorders)
    see("recorder missing", lambda: client.describe_configuration_recorders(ConfigurationRecorderNames=["nope"]))
    see(
        "status",
        lambda: client.describe_configuration_recorder_status(),
        lambda r: [(s["name"], s["recording"]) for s in r["ConfigurationRecordersStatus"]],
    )
    see("start without channel", lambda: client.start_configuration_recorder(ConfigurationRecorderName="default"))
    see("start missing", lambda: client.start_configuration_recorder(ConfigurationRecorderName="nope"))
    see("empty prefix", lambda: client.put_delivery_channel(DeliveryChannel={**bucket, "s3KeyPrefix": ""}))
    frequency = {"configSnapshotDeliveryProperties": {"deliveryFrequency": "One_Hour"}}
    see("channel", lambda: client.put_delivery_channel(DeliveryChannel={**bucket, **frequency}))
    see("second channel", lambda: client.put_delivery_channel(DeliveryChannel={**bucket, "name": "two"}))
    see("channels", lambda: client.describe_delivery_channels())
    see("channel missing", lambda: client.describe_delivery_channels(DeliveryChannelNames=["nope"]))
    see("start", lambda: client.start_configuration_recorder(ConfigurationRecorderName="default"))
    see(
        "recording",
        lambda: client.describe_configuration_recorder_status(ConfigurationRecorderNames=["default"]),
        lambda r: [(s["name"], s["recording"]) for s in r["ConfigurationRecordersStatus"]],
    )
    see(
        "delete channel while recording",
        lambda: client.delete_delivery_channel(DeliveryChannelName="default"),
        message=False,
    )
    see("stop", lambda: client.stop_configuration_recorder(ConfigurationRecorderName="default"))
    # The refusals first: moto changes a rule it holds before refusing a later, invalid rule.
    other = {**enabled, "ConfigRuleName": "r2"}
    see("rule bad json", lambda: client.put_config_rule(ConfigRule={**other, "InputParameters": "{nope"}))
    see("rule unknown parameter", lambda: client.put_config_rule(ConfigRule={**other, "InputParameters": '{"x": "1"}'}))
    see("rule with id", lambda: client.put_config_rule(ConfigRule={**other, "ConfigRuleId": "config-rule-abcdef"}))
    parameters = json.dumps({"s3BucketName": DEFAULT_BUCKET})
    see(
        "rule",
        lambda: client.put_config_rule(
            ConfigRule={**enabled, "InputParameters": parameters, "MaximumExecutionFrequency": "One_Hour"}
        ),
    )
    see("rules", lambda: client.describe_config_rules(), _rules)
    see("rules missing", lambda: client.describe_config_rules(ConfigRuleNames=["nope"]))
    see("delete rule missing", lambda: client.delete_config_rule(ConfigRuleName="nope"))
    see("delete rule", lambda: client.delete_config_rule(ConfigRuleName="cloudtrail-enabled"))
    see("delete channel", lambda: client.delete_delivery_channel(DeliveryChannelName="default"))
    see("delete channel again", lambda: client.delete_delivery_channel(DeliveryChannelName="default"))
    see("delete recorder", lambda: client.delete_configuration_recorder(ConfigurationRecorderName="default"))
    see("delete recorder again", lambda: client.delete_configuration_recorder(ConfigurationRecorderName="default"))
    return see.seen


def fake_world() -> Any:
    data = default_data()
    data["Roles"] = [{"Name": "ConfigRole", "AssumeRolePolicyDocument": CONFIG_TRUST}]
    return fake_session(World.from_dict(data).backend())


@pytest.fixture
def moto(aws: str) -> Any:
    """A boto3 session whose clients talk to moto's server, holding the default bucket and the Config role."""
    import boto3

    session = boto3.session.Session(region_name="us-east-1")
    session.client("s3").create_bucket(Bucket=DEFAULT_BUCKET)
    session.client("iam").create_role(RoleName="ConfigRole", AssumeRolePolicyDocument=json.dumps(CONFIG_TRUST))
    return session


@pytest.mark.parametrize("sequence", [parameter_store, documents, config_recorder_and_rules])
def test_the_fake_answers_as_moto_does(moto: Any, sequence: Callable[[Any], list[Any]]) -> None:
    assert sequence(fake_world()) == sequence(moto)
