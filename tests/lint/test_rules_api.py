"""The AWS API rules (E31xx/W31xx, E41xx/W41xx): each fires on a snippet at an exact line:column and stays silent
on a right one; the real defect of the corpus is found at its line; the models load lazily and are cached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_files
from tests.lint.helpers import lint_snippet, where
from toolkit.aws import models as aws_models
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter
from toolkit.lint.finding import Severity
from toolkit.lint.rules import api

PREFIXES = ("E31", "W31", "E41", "W41")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("aws-models")


@pytest.fixture(autouse=True, scope="module")
def store(cache_dir: Path) -> Iterator[aws_models.ModelStore]:
    """Linters made here cache the models under a temporary folder (XDG_CACHE_HOME), not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache_dir))
        yield aws_models.ModelStore(aws_models.default_cache_dir())


def findings(text: str, rule: str) -> list[tuple[str, int, int]]:
    return where(lint_snippet(text, rule))


TRIGGERS = [
    (
        "E3101",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: ec3
              Api: DescribeInstances
        """,
        [("E3101", 6, 16)],
    ),
    (
        "W3102",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: EC2
              Api: DescribeInstances
        """,
        [("W3102", 6, 16)],
    ),
    (
        "E3103",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstance
        """,
        [("E3103", 7, 12)],
    ),
    (
        "W3104",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: describeDBInstances
        """,
        [("W3104", 7, 12)],
    ),
    (
        "E3105",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
              InstanceId: i-0123456789abcdef0
              Filters:
                - Name: instance-state-name
                  Value: [running]
        """,
        [("E3105", 8, 7), ("E3105", 11, 11)],
    ),
    (
        "E3106",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: cloudtrail
              Api: UpdateTrail
              S3BucketName: logs
          - name: Filtered
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: DescribeDBInstances
              Filters:
                - {Name: engine}
          - name: Misspelt
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: DeleteDBClusterSnapshot
              DBSnapshotIdentifier: old
        """,
        [("E3106", 7, 12), ("E3106", 15, 11), ("E3106", 21, 7)],
    ),
    (
        "E3107",
        """\
        schemaVersion: "0.3"
        parameters:
          Names:
            type: StringList
          Filter:
            type: StringMap
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
              InstanceIds: i-0123456789abcdef0
              Filters: {Name: instance-state-name, Values: [running]}
          - name: Typed
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: DescribeDBInstances
              DBInstanceIdentifier: "{{ Names }}"
              Filters: "{{ Filter }}"
        """,
        [("E3107", 13, 20), ("E3107", 14, 16), ("E3107", 20, 29), ("E3107", 21, 16)],
    ),
    # A list item that is a whole reference to a StringList or MapList is spliced into the list, as SSM does
    # (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html), so its entries are
    # checked as the list's elements.
    (
        "E3107",
        """\
        schemaVersion: "0.3"
        parameters:
          Names: {type: StringList}
          Tags: {type: MapList}
        mainSteps:
          - name: Names
            action: aws:executeAwsApi
            inputs:
              Service: cloudtrail
              Api: DescribeTrails
              trailNameList: ["{{ Tags }}"]
          - name: Filters
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
              Filters: [{Name: a, Values: [b]}, "{{ Names }}"]
        """,
        [("E3107", 11, 23), ("E3107", 17, 41)],
    ),
    (
        "W3108",
        """\
        schemaVersion: "0.3"
        parameters:
          Limit:
            type: String
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
              MaxResults: "10"
              DryRun: "false"
          - name: Typed
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: DescribeDBInstances
              MaxRecords: "{{ Limit }}"
        """,
        [("W3108", 11, 19), ("W3108", 12, 15), ("W3108", 18, 19)],
    ),
    (
        "W3109",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Read
            action: aws:executeAwsApi
            inputs:
              Service: s3
              Api: GetObject
              Bucket: my-bucket
              Key: report.json
        """,
        [("W3109", 7, 12)],
    ),
    (
        "W4101",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Describe
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
            outputs:
              - Name: Result
                Selector: $.Payload
                Type: StringMap
              - Name: State
                Selector: $.Reservations[0].Instances[0].Status.Name
                Type: String
              - Name: Ids
                Selector: $..InstanceIdentifier
                Type: StringList
        """,
        [("W4101", 10, 19), ("W4101", 13, 19), ("W4101", 16, 19)],
    ),
    (
        "E4102",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Check
            action: aws:assertAwsResourceProperty
            inputs:
              Service: cloudtrail
              Api: GetTrail
              Name: main
              PropertySelector: $.Trail.LogFileValidation
              DesiredValues: ["True"]
        """,
        [("E4102", 9, 25)],
    ),
    (
        "W4103",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Describe
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
            outputs:
              - Name: Reservations
                Selector: $.Reservations
                Type: StringList
              - Name: Id
                Selector: $.Reservations[0].Instances[0].InstanceId
                Type: StringMap
              - Name: First
                Selector: $.Reservations[0]
                Type: String
        """,
        [("W4103", 11, 15), ("W4103", 14, 15), ("W4103", 17, 15)],
    ),
]

QUIET = [
    (
        "E3101",
        """\
        schemaVersion: "0.3"
        parameters:
          Service:
            type: String
        mainSteps:
          - name: Aliased
            action: aws:executeAwsApi
            inputs:
              Service: runtime.sagemaker
              Api: InvokeEndpoint
              EndpointName: e
              Body: "{}"
          - name: Referenced
            action: aws:executeAwsApi
            inputs:
              Service: "{{ Service }}"
              Api: AnythingAtAll
              Whatever: 1
          - name: Hyphenated
            action: aws:executeAwsApi
            inputs:
              Service: application-autoscaling
              Api: DescribeScalableTargets
              ServiceNamespace: dynamodb
        """,
    ),
    (
        "W3102",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: elbv2
              Api: DescribeLoadBalancers
        """,
    ),
    (
        "E3103",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Pascal
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: DescribeDBInstances
          - name: Snake
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: describe_db_instances
          - name: Acronym
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: list_tags_for_resource
              ResourceName: arn
        """,
    ),
    (
        "W3104",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Snake
            action: aws:executeAwsApi
            inputs:
              Service: sts
              Api: get_caller_identity
        """,
    ),
    (
        "E3105",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Logs
            action: aws:executeAwsApi
            inputs:
              Service: logs
              Api: PutRetentionPolicy
              logGroupName: group
              retentionInDays: 30
          - name: Wait
            action: aws:waitForAwsResourceProperty
            inputs:
              Service: ec2
              Api: DescribeInstanceStatus
              InstanceIds: [i-0123456789abcdef0]
              PropertySelector: $.InstanceStatuses[0].InstanceState.Name
              DesiredValues: [running]
        """,
    ),
    (
        "E3106",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Token
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: CreateLaunchTemplate
              LaunchTemplateName: t
              LaunchTemplateData: {}
          - name: Glacier
            action: aws:executeAwsApi
            inputs:
              Service: glacier
              Api: ListVaults
        """,
    ),
    (
        "E3107",
        """\
        schemaVersion: "0.3"
        parameters:
          InstanceIds:
            type: StringList
          Tags:
            type: MapList
          Id:
            type: String
        mainSteps:
          - name: Flattened
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
              InstanceIds: ["{{ InstanceIds }}"]
          - name: Whole
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: CreateTags
              Resources: "{{ InstanceIds }}"
              Tags: "{{ Tags }}"
          - name: Partial
            action: aws:executeAwsApi
            inputs:
              Service: ssm
              Api: DescribeInstanceInformation
              Filters:
                - Key: InstanceIds
                  Values: ["{{ Id }}", "prefix-{{ Id }}", "{{ Gone.Output }}"]
          - name: Document
            action: aws:executeAwsApi
            inputs:
              Service: securityhub
              Api: BatchUpdateFindings
              FindingIdentifiers: [{Id: f, ProductArn: p}]
              Note: {Text: fixed, UpdatedBy: me}
              Workflow: {Status: RESOLVED}
        """,
    ),
    (
        "E3107",
        """\
        schemaVersion: "0.3"
        parameters:
          Tags: {type: MapList}
        variables:
          Names: {type: StringList, default: [main]}
        mainSteps:
          - name: Describe
            action: aws:executeAwsApi
            inputs: {Service: cloudtrail, Api: DescribeTrails}
            outputs:
              - {Name: Names, Selector: "$.trailList[*].Name", Type: StringList}
          - name: FromOutput
            action: aws:executeAwsApi
            inputs: {Service: cloudtrail, Api: DescribeTrails, trailNameList: ["{{ Describe.Names }}", extra]}
          - name: FromVariable
            action: aws:executeAwsApi
            inputs: {Service: cloudtrail, Api: DescribeTrails, trailNameList: ["{{ variable:Names }}"]}
          - name: Tag
            action: aws:executeAwsApi
            inputs: {Service: cloudtrail, Api: AddTags, ResourceId: x, TagsList: ["{{ Tags }}", {Key: k, Value: v}]}
        """,
    ),
    (
        "W3108",
        """\
        schemaVersion: "0.3"
        parameters:
          Limit:
            type: Integer
          Region:
            type: String
        mainSteps:
          - name: Call
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: DescribeDBInstances
              MaxRecords: "{{ Limit }}"
          - name: Retention
            action: aws:executeAwsApi
            inputs:
              Service: logs
              Api: PutRetentionPolicy
              logGroupName: "{{ global:REGION }}-{{ Region }}"
              retentionInDays: 30
          - name: Timed
            action: aws:executeAwsApi
            inputs:
              Service: cloudtrail
              Api: LookupEvents
              StartTime: "2024-01-01T00:00:00Z"
              EndTime: 1704067200
        """,
    ),
    (
        "W3109",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Head
            action: aws:executeAwsApi
            inputs:
              Service: s3
              Api: HeadObject
              Bucket: my-bucket
              Key: report.json
        """,
    ),
    (
        "W4101",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Describe
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
            outputs:
              - Name: All
                Selector: $
                Type: StringMap
              - Name: Ids
                Selector: $.Reservations[*].Instances[*].InstanceId
                Type: StringList
              - Name: Deep
                Selector: $..InstanceId
                Type: StringList
              - Name: Code
                Selector: $.ResponseMetadata.HTTPStatusCode
                Type: Integer
              - Name: Header
                Selector: $.ResponseMetadata.HTTPHeaders.date
                Type: String
              - Name: Filtered
                Selector: $.Reservations[0].Instances[?(@.State.Name == 'running')].InstanceId
                Type: StringList
              - Name: Quoted
                Selector: $['Reservations'][0]['OwnerId']
                Type: String
          - name: Queue
            action: aws:executeAwsApi
            inputs:
              Service: sqs
              Api: GetQueueAttributes
              QueueUrl: https://sqs.example/q
            outputs:
              - Name: Key
                Selector: Attributes.KmsMasterKeyId
                Type: String
              - Name: Policy
                Selector: $.Attributes.Policy.Statement[0].Effect
                Type: String
          - name: Trails
            action: aws:executeAwsApi
            inputs:
              Service: cloudtrail
              Api: describe_trails
            outputs:
              - Name: Name
                Selector: $.trailList[0].Name
                Type: String
              - Name: Count
                Selector: $.trailList.length()
                Type: Integer
        """,
    ),
    (
        "E4102",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Wait
            action: aws:waitForAwsResourceProperty
            inputs:
              Service: ec2
              Api: DescribeInstanceStatus
              InstanceIds: [i-0123456789abcdef0]
              PropertySelector: $..InstanceState.Name
              DesiredValues: [running]
          - name: Check
            action: aws:assertAwsResourceProperty
            inputs:
              Service: sns
              Api: GetTopicAttributes
              TopicArn: arn
              PropertySelector: Attributes.KmsMasterKeyId
              DesiredValues: [alias/aws/sns]
        """,
    ),
    (
        "W4103",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Describe
            action: aws:executeAwsApi
            inputs:
              Service: rds
              Api: DescribeDBInstances
            outputs:
              - Name: MultiAZ
                Selector: $.DBInstances[0].MultiAZ
                Type: Boolean
              - Name: Port
                Selector: $.DBInstances[0].Endpoint.Port
                Type: String
              - Name: Instance
                Selector: $.DBInstances[0]
                Type: StringMap
              - Name: Instances
                Selector: $.DBInstances
                Type: MapList
              - Name: Zones
                Selector: $.DBInstances[0].AvailabilityZone
                Type: StringList
        """,
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), TRIGGERS, ids=[row[0] for row in TRIGGERS])
def test_rule_fires_where_expected(rule: str, text: str, expected: list[tuple[str, int, int]]) -> None:
    assert findings(text, rule) == expected


@pytest.mark.parametrize(("rule", "text"), QUIET, ids=[row[0] for row in QUIET])
def test_rule_stays_quiet(rule: str, text: str) -> None:
    assert findings(text, rule) == []


def test_every_rule_is_tested() -> None:
    ids = {cls.id for cls in api.RULES}
    assert ids == {row[0] for row in TRIGGERS} == {row[0] for row in QUIET}
    assert all(cls.__doc__ and cls.summary for cls in api.RULES)


def test_messages_name_the_step_and_suggest_the_fix() -> None:
    text = """\
    schemaVersion: "0.3"
    mainSteps:
      - name: Delete
        action: aws:executeAwsApi
        inputs:
          Service: rds
          Api: DeleteDBClusterSnapshot
          DBSnapshotIdentifier: old
    """
    messages = [finding.message for finding in lint_snippet(text, "E31")]
    assert messages == [
        "step Delete: DBSnapshotIdentifier is not a parameter of rds DeleteDBClusterSnapshot; "
        "did you mean DBClusterSnapshotIdentifier?",
        "step Delete: rds DeleteDBClusterSnapshot requires DBClusterSnapshotIdentifier "
        "(DBSnapshotIdentifier is given instead)",
    ]


# -- the corpus -------------------------------------------------------------------------------------------

ENCRYPT_RDS_SNAPSHOT = (
    "aws-solutions__automated-security-response-on-aws/source__remediation_runbooks__EncryptRDSSnapshot.yaml"
)


def api_linter(models: aws_models.ModelStore | None = None) -> Linter:
    return Linter(LintConfig(), rules=[cls() for cls in api.RULES], models=models)


def expected_status() -> dict[str, str]:
    lines = (CORPUS / "EXPECTED.tsv").read_text().splitlines()[1:]
    return {line.split("\t")[0]: line.split("\t")[1] for line in lines if line.strip()}


def test_encrypt_rds_snapshot_defect_is_found_at_line_142() -> None:
    path = CORPUS / ENCRYPT_RDS_SNAPSHOT
    found = api_linter().lint_text(path.read_bytes(), file=str(path))
    assert [(f.rule, f.line, f.column) for f in found if f.severity is Severity.ERROR] == [
        ("E3105", 142, 5),
        ("E3106", 142, 5),
    ]


def test_no_errors_on_the_rest_of_the_corpus() -> None:
    status = expected_status()
    linter = api_linter()
    wrong = []
    for path in corpus_files():
        key = path.relative_to(CORPUS).as_posix()
        if status.get(key, "clean") != "clean":
            continue
        for finding in linter.lint_text(path.read_bytes(), file=key):
            if finding.severity is Severity.ERROR:
                wrong.append(f"{key}:{finding.line}:{finding.column} {finding.rule} {finding.message}")
    assert wrong == []


# -- the models -------------------------------------------------------------------------------------------

CLOUDTRAIL_ONLY = """\
schemaVersion: "0.3"
mainSteps:
  - name: Get
    action: aws:executeAwsApi
    inputs:
      Service: cloudtrail
      Api: GetTrail
      Name: main
    outputs:
      - Name: Arn
        Selector: $.Trail.TrailARN
        Type: String
"""


def test_a_document_loads_only_the_models_it_uses(cache_dir: Path) -> None:
    fresh = aws_models.ModelStore(cache_dir)
    assert api_linter(fresh).lint_text(CLOUDTRAIL_ONLY) == []
    assert list(fresh.loaded) == ["cloudtrail"]


def test_two_linters_share_no_models(cache_dir: Path) -> None:
    """The models a Linter loads are its own: nothing process-wide carries them to another Linter."""
    first, second = aws_models.ModelStore(cache_dir), aws_models.ModelStore(cache_dir)
    assert api_linter(first).lint_text(CLOUDTRAIL_ONLY) == []
    assert list(first.loaded) == ["cloudtrail"]
    assert second.loaded == {}


@pytest.mark.parametrize(
    "name",
    [
        "DescribeDBInstances",
        "ListTagsForResource",
        "GetBucketACL",
        "ListWebACLs",
        "DescribeCachediSCSIVolumes",
        "ExecutePartiQLStatement",
        "CreateOAuth2TokenWithIAM",
        "AssociateIamInstanceProfile",
        "GetEbsEncryptionByDefault",
        "DescribeVpcEndpointServiceConfigurations",
        "ModifyDBClusterSnapshotAttribute",
        "CreateDBClusterParameterGroup",
        "PutS3AccessPointPolicy",
        "ListHITsForQualificationType",
        "GetSMSAttributes",
        "already_snake",
    ],
)
def test_xform_name_matches_botocore(name: str) -> None:
    import botocore

    assert aws_models.xform_name(name) == botocore.xform_name(name)


def test_snake_names_of_the_corpus_services_match_botocore(store: aws_models.ModelStore) -> None:
    import botocore

    for service in ("ec2", "rds", "s3", "iam", "elbv2", "securityhub", "ssm", "application-autoscaling"):
        model = store.model(service)
        assert model is not None
        for snake, name in model.snake_names.items():
            assert botocore.xform_name(name) == snake


def test_the_reduced_model_is_cached_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = aws_models.ModelStore(tmp_path, index=None)  # not the install-time index (tests/aws/test_models_index.py)
    model = first.model("sts")
    assert model is not None and model.operation("get_caller_identity") is not None
    files = list(tmp_path.glob("sts@*.marshal"))
    assert len(files) == 1 and not list(tmp_path.glob(".*"))  # no temporary file left behind

    def no_json(path: Path) -> None:
        raise AssertionError(f"read {path} although the cache holds it")

    monkeypatch.setattr(aws_models, "_read_json", no_json)
    again = aws_models.ModelStore(tmp_path, index=None).model("sts")
    assert again is not None and again.operations == model.operations


def test_a_damaged_or_stale_cache_is_rebuilt(tmp_path: Path) -> None:
    aws_models.ModelStore(tmp_path, index=None).model("sts")
    (current,) = tmp_path.glob("sts@*.marshal")
    current.write_bytes(b"not marshal data")
    stale = tmp_path / "sts@2011-06-15@cpython-00@v0@0.0.marshal"
    stale.write_bytes(b"old")
    model = aws_models.ModelStore(tmp_path, index=None).model("sts")
    assert model is not None and model.operation("GetCallerIdentity") is not None
    assert list(tmp_path.glob("sts@*.marshal")) == [current]


def test_a_cache_folder_that_is_a_file_falls_back_to_botocore(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file, not a folder")
    model = aws_models.ModelStore(blocker).model("sts")
    assert model is not None and model.operation("GetCallerIdentity") is not None


def test_no_cache_and_no_botocore() -> None:
    assert aws_models.ModelStore(None).model("sts") is not None
    missing = aws_models.ModelStore(None, data=Path("/nonexistent/botocore/data"))
    assert missing.model("sts") is None and missing.service_names() == frozenset()
    assert aws_models.ModelStore(None).model("../ec2") is None
