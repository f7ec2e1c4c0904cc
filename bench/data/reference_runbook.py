"""The peer's reference runbook authored with the toolkit's typed Python, for the cold build row of ``bench/run.py``:
``runbook build bench/data/reference_runbook.py --out DIR`` against ``node cloudtrail.js print`` (cdk-ssm-documents
building the same seven steps from its constructs). It builds exactly ``reference-runbook.yaml`` beside it (a test
checks it, tests/test_bench.py): the trail's existence read as ``$.trailList[*].Name`` and a ``Contains`` branch,
where the peer counts trails with ``$.trailList.length``, which Jayway JsonPath (SSM's selector library) reads as a
missing property."""

from __future__ import annotations

from toolkit.model import Document, Output, Parameter, ParameterType, runbook
from toolkit.model.values import Kind, Value
from toolkit.steps import Branch, Choice, ExecuteAwsApi

NAME = "reference-runbook"


def build() -> Document:
    name = Parameter(
        name="CloudTrailName",
        type=ParameterType.STRING,
        description="Trail name",
        allowed_pattern="^[A-Za-z0-9._-]{3,128}$",
    )
    bucket = Parameter(name="CloudTrailS3BucketName", type=ParameterType.STRING, description="S3 bucket for logs")
    key = Parameter(
        name="CloudTrailKmsKeyId", type=ParameterType.STRING, description="KMS key id/arn for log encryption"
    )
    role = Parameter(
        name="AutomationAssumeRole", type=ParameterType.STRING, description="Role assumed by Automation", default=""
    )
    settings: dict[str, Value] = {
        "Name": name.ref,
        "S3BucketName": bucket.ref,
        "IsMultiRegionTrail": True,
        "EnableLogFileValidation": True,
        "KmsKeyId": key.ref,
    }
    arn = [Output(name="TrailARN", selector="$.TrailARN", type=Kind.STRING)]
    describe = ExecuteAwsApi(
        name="DescribeTrails",
        service="cloudtrail",
        api="DescribeTrails",
        params={"trailNameList": [name.ref], "includeShadowTrails": False},
        outputs=[Output(name="TrailNames", selector="$.trailList[*].Name", type=Kind.STRING_LIST)],
    )
    branch = Branch(
        name="BranchOnTrailExists",
        choices=[Choice.when(describe.output("TrailNames"), "Contains", name.ref, next_step="UpdateTrail")],
        default="CreateTrail",
    )
    create = ExecuteAwsApi(
        name="CreateTrail",
        service="cloudtrail",
        api="CreateTrail",
        params=settings,
        outputs=arn,
        next_step="StartLogging",
    )
    update = ExecuteAwsApi(name="UpdateTrail", service="cloudtrail", api="UpdateTrail", params=settings, outputs=arn)
    start = ExecuteAwsApi(name="StartLogging", service="cloudtrail", api="StartLogging", params={"Name": name.ref})
    events = ExecuteAwsApi(
        name="PutEventSelectors",
        service="cloudtrail",
        api="PutEventSelectors",
        params={"TrailName": name.ref, "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True}]},
        max_attempts=3,
    )
    insights = ExecuteAwsApi(
        name="PutInsightSelectors",
        service="cloudtrail",
        api="PutInsightSelectors",
        params={"TrailName": name.ref, "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]},
        is_end=True,
    )
    return runbook(
        NAME,
        description="Re-enable (create or update) a CloudTrail trail with logging, event and insight selectors",
        assume_role=role.ref,
        parameters=[name, bucket, key, role],
        steps=[describe, branch, create, update, start, events, insights],
    )
