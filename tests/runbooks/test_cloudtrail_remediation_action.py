"""The cloudtrail-remediation-action document: parameters, patterns, structure, embedded scripts."""

from __future__ import annotations

import ast

import pytest

from runbooks import cloudtrail_remediation_action as module
from runbooks.cloudtrail_remediation_action import SCRIPTS, build
from toolkit.javaregex import JavaPattern, compile_java
from toolkit.model import Document
from toolkit.render import to_data
from toolkit.steps import AssertAwsResourceProperty, ExecuteScript


@pytest.fixture(scope="module")
def document() -> Document:
    return build()


def pattern(document: Document, name: str) -> JavaPattern:
    """The parameter's allowedPattern as SSM reads it (java.util.regex; ``matches``: the whole value)."""
    parameter = document.parameter(name)
    assert parameter is not None and parameter.allowed_pattern is not None
    return compile_java(parameter.allowed_pattern)


def test_parameters_as_the_pattern_and_issue_ask(document: Document) -> None:
    data = to_data(document)
    parameters = data["parameters"]
    required = sorted(name for name, spec in parameters.items() if "default" not in spec)
    assert required == ["CloudTrailKmsKeyId", "CloudTrailName", "CloudTrailS3BucketName"]
    for flag in ("IsMultiRegionTrail", "IsOrganizationTrail", "IncludeGlobalServiceEvents", "EnableLogFileValidation"):
        assert parameters[flag] == {**parameters[flag], "type": "Boolean", "default": True}
    for optional in (
        "AutomationAssumeRole",
        "CloudTrailS3KeyPrefix",
        "CloudTrailSnsTopicName",
        "CloudWatchLogsLogGroupArn",
        "CloudWatchLogsRoleArn",
    ):
        assert parameters[optional]["type"] == "String" and parameters[optional]["default"] == ""
    assert data["assumeRole"] == "{{ AutomationAssumeRole }}"
    assert data["outputs"] == ["UpsertTrail.TrailArn", "UpsertTrail.Action"]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("main", True),
        ("my-trail.2024_x", True),
        ("a" * 128, True),
        ("ab", False),
        ("a" * 129, False),
        ("-trail", False),
        ("trail-", False),
        ("my--trail", False),
        ("my-_trail", False),
        ("my trail", False),
        ("trail$", False),
        ("192.168.5.4", False),
        ("tráil", False),
    ],
)
def test_trail_name_pattern_follows_cloudtrail_rules(document: Document, name: str, ok: bool) -> None:
    assert bool(pattern(document, "CloudTrailName").matches(name)) is ok


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("alias/cloudtrail", True),
        ("arn:aws:kms:us-east-1:123456789012:alias/cloudtrail", True),
        ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", True),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", True),
        ("mrk-1234abcd12ab34cd56ef1234567890ab", True),
        ("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab", True),
        ("cloudtrail", False),
        ("arn:aws:kms:us-east-1:123456789012:key/not-a-key", False),
        ("arn:aws:s3:::bucket", False),
        ("1234abcd-12ab-34cd-56ef-1234567890a", False),
        ("", False),
    ],
)
def test_kms_key_pattern_accepts_the_four_forms(document: Document, key: str, ok: bool) -> None:
    assert bool(pattern(document, "CloudTrailKmsKeyId").matches(key)) is ok


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("CloudTrailS3BucketName", "trail-logs-123456789012", True),
        ("CloudTrailS3BucketName", "Trail_Logs", False),
        ("CloudTrailS3BucketName", "10.0.0.1", False),
        ("AutomationAssumeRole", "", True),
        ("AutomationAssumeRole", "arn:aws:iam::123456789012:role/Remediation", True),
        ("AutomationAssumeRole", "Remediation", False),
        ("CloudWatchLogsLogGroupArn", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/main:*", True),
        ("CloudWatchLogsLogGroupArn", "/aws/cloudtrail/main", False),
        ("CloudTrailSnsTopicName", "trail-notices", True),
        ("CloudTrailSnsTopicName", "arn:aws:sns:us-east-1:123456789012:trail-notices", True),
        ("CloudTrailS3KeyPrefix", "", True),
        ("CloudTrailS3KeyPrefix", "logs/prod", True),
        ("CloudTrailS3KeyPrefix", "has space", False),
    ],
)
def test_other_parameter_patterns(document: Document, name: str, value: str, ok: bool) -> None:
    assert bool(pattern(document, name).matches(value)) is ok


def test_steps_in_order_with_verification_last(document: Document) -> None:
    names = [step.name for step in document.main_steps or ()]
    assert names == [
        "UpsertTrail",
        "ApplyEventSelectors",
        "EnableInsights",
        "StartLogging",
        "VerifyLogging",
        "VerifyEncryption",
        "VerifyTrailSettings",
    ]
    verify = document.step("VerifyLogging")
    assert isinstance(verify, AssertAwsResourceProperty)
    assert (verify.api, verify.property_selector, list(verify.desired_values)) == (
        "GetTrailStatus",
        "$.IsLogging",
        ["True"],
    )  # type: ignore[arg-type]
    insights = to_data(document)["mainSteps"][2]["inputs"]["InsightSelectors"]
    assert insights == [{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]


@pytest.mark.parametrize(
    ("step", "file"),
    [
        ("UpsertTrail", "upsert_trail.py"),
        ("ApplyEventSelectors", "event_selectors.py"),
        ("VerifyTrailSettings", "verify_trail.py"),
    ],
)
def test_scripts_are_the_real_files_embedded(document: Document, step: str, file: str) -> None:
    script = document.step(step)
    assert isinstance(script, ExecuteScript)
    source = (SCRIPTS / file).read_text()
    assert script.script == source
    assert script.runtime == "python3.11"
    tree = ast.parse(source)
    handlers = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == script.handler]
    assert handlers and [arg.arg for arg in handlers[0].args.args] == ["events", "context"]
    # Scripts are embedded alone: they may import only the standard library, boto3 and botocore.
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] in {"__future__", "typing", "boto3", "botocore"}


def test_module_exposes_name_and_build() -> None:
    assert module.NAME == "cloudtrail-remediation-action"
    assert build() == build()
