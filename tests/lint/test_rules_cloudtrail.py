"""CloudTrail practice rules (E6xxx, W6xxx): each fires at an exact line:column and stays silent on a right
snippet; the toolkit's own runbook gives no finding of any severity from the families 32, 5 and 6; the corpus
gives no CloudTrail error."""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import corpus_files
from tests.lint.helpers import lint_snippet, where
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter


def calls(*steps: str) -> str:
    """A document of aws:executeAwsApi steps on cloudtrail; each step is (api, extra input lines)."""
    out = 'schemaVersion: "0.3"\nmainSteps:\n'
    for number, text in enumerate(steps):
        api, _, rest = textwrap.dedent(text).partition("\n")
        inputs = "".join(f"      {line}\n" for line in rest.splitlines())
        out += (
            f"  - name: S{number + 1}\n    action: aws:executeAwsApi\n    inputs:\n"
            f"      Service: cloudtrail\n      Api: {api}\n{inputs}"
        )
    return out


# A CreateTrail with every best-practice setting. In calls(), a step's Api is on line 7 and its extra inputs
# start on line 8.
GOOD_CREATE = """\
CreateTrail
Name: main
S3BucketName: logs
IsMultiRegionTrail: true
EnableLogFileValidation: true
KmsKeyId: alias/cloudtrail"""

SELECTORS_READ_ONLY = """\
PutEventSelectors
TrailName: main
EventSelectors:
  - {ReadWriteType: ReadOnly, IncludeManagementEvents: true}"""

INSIGHTS = """\
PutInsightSelectors
TrailName: main
InsightSelectors:
  - InsightType: ApiCallRateInsight
  - InsightType: ApiErrorRateInsight"""

TRIGGERS = [
    ("E6001", calls(GOOD_CREATE + "\nIncludeGlobalServiceEvents: false"), [("E6001", 13, 35)]),
    (
        "E6001",
        calls("update_trail\nName: main\nIsMultiRegionTrail: 'True'\nIncludeGlobalServiceEvents: 'false'"),
        [("E6001", 10, 35)],
    ),
    ("E6002", calls(GOOD_CREATE.replace("alias/cloudtrail", "my-key")), [("E6002", 12, 17)]),
    (
        "E6002",
        calls("UpdateTrail\nName: main\nKmsKeyId: arn:aws:kms:us-east-1:123456789012:key/nope"),
        [("E6002", 9, 17)],
    ),
    ("E6003", calls(SELECTORS_READ_ONLY, INSIGHTS), [("E6003", 18, 24)]),
    (
        "E6003",
        calls(
            SELECTORS_READ_ONLY.replace(
                "ReadOnly, IncludeManagementEvents: true", "All, IncludeManagementEvents: false"
            ),
            INSIGHTS,
        ),
        [("E6003", 18, 24), ("E6003", 19, 24)],
    ),
    (
        "E6003",  # advanced selectors recording read-only management events
        calls(
            "PutEventSelectors\nTrailName: main\nAdvancedEventSelectors:\n"
            "  - FieldSelectors:\n"
            "      - {Field: eventCategory, Equals: [Management]}\n"
            "      - {Field: readOnly, Equals: ['true']}",
            INSIGHTS,
        ),
        [("E6003", 20, 24)],
    ),
    ("E6004", calls("CreateTrail\nName: my--trail\nS3BucketName: logs"), [("E6004", 8, 13)]),
    (
        "E6004",
        calls("CreateTrail\nName: arn:aws:cloudtrail:us-east-1:123456789012:trail/main\nS3BucketName: b"),
        [("E6004", 8, 13)],
    ),
    (
        "E6004",
        'schemaVersion: "0.3"\nmainSteps:\n  - name: Check\n    action: aws:assertAwsResourceProperty\n    inputs:\n'
        "      Service: cloudtrail\n      Api: GetTrail\n      Name: 192.168.5.4\n"
        "      PropertySelector: $.Trail.Name\n      DesiredValues: [x]\n",
        [("E6004", 8, 13)],
    ),
    ("W6010", calls("CreateTrail\nName: main\nS3BucketName: logs"), [("W6010", 7, 12)]),
    ("W6010", calls("UpdateTrail\nName: main\nEnableLogFileValidation: false"), [("W6010", 9, 32)]),
    ("W6011", calls("CreateTrail\nName: main\nS3BucketName: logs"), [("W6011", 7, 12)]),
    ("W6011", calls("CreateTrail\nName: main\nS3BucketName: logs\nKmsKeyId: ''"), [("W6011", 10, 17)]),
    ("W6011", calls("UpdateTrail\nName: main\nKmsKeyId: ''"), [("W6011", 9, 17)]),
    ("W6012", calls("create_trail\nName: main\nS3BucketName: logs"), [("W6012", 7, 12)]),
    ("W6012", calls("UpdateTrail\nName: main\nIsMultiRegionTrail: false"), [("W6012", 9, 27)]),
]


@pytest.mark.parametrize(("rule", "text", "expected"), TRIGGERS, ids=[t[0] for t in TRIGGERS])
def test_rule_fires_at_the_node_at_fault(rule: str, text: str, expected: list[tuple[str, int, int]]) -> None:
    assert where(lint_snippet(text, rule)) == expected


SILENT = [
    ("E6001", calls(GOOD_CREATE)),
    ("E6001", calls("UpdateTrail\nName: main\nIsMultiRegionTrail: true")),  # AWS turns global events on
    ("E6001", calls(GOOD_CREATE + "\nIncludeGlobalServiceEvents: '{{ GlobalEvents }}'")),
    ("E6002", calls(GOOD_CREATE)),
    ("E6002", calls("UpdateTrail\nName: main\nKmsKeyId: '{{ KmsKeyId }}'")),
    ("E6002", calls("UpdateTrail\nName: main\nKmsKeyId: ''")),
    ("E6002", calls("UpdateTrail\nName: main\nKmsKeyId: mrk-1234abcd12ab34cd56ef1234567890ab")),
    ("E6002", calls("UpdateTrail\nName: main\nKmsKeyId: arn:aws:kms:us-east-1:123456789012:alias/trail")),
    ("E6002", calls("UpdateTrail\nName: main\nKmsKeyId: 1234abcd-12ab-34cd-56ef-1234567890ab")),
    ("E6003", calls(INSIGHTS)),  # the default selectors record every management event
    ("E6003", calls(SELECTORS_READ_ONLY.replace("ReadOnly", "All"), INSIGHTS)),
    ("E6003", calls(SELECTORS_READ_ONLY.replace("ReadOnly", "WriteOnly"), INSIGHTS)),
    ("E6003", calls(SELECTORS_READ_ONLY.replace("main", "other"), INSIGHTS)),
    ("E6003", calls(SELECTORS_READ_ONLY.replace("ReadOnly", "'{{ Kind }}'"), INSIGHTS)),
    ("E6003", calls(SELECTORS_READ_ONLY, INSIGHTS.replace("  - InsightType: ApiCallRateInsight\n", ""))),
    (
        "E6003",  # advanced selectors with no readOnly field record reads and writes
        calls(
            "PutEventSelectors\nTrailName: main\nAdvancedEventSelectors:\n"
            "  - FieldSelectors: [{Field: eventCategory, Equals: [Management]}]",
            INSIGHTS,
        ),
    ),
    ("E6004", calls(GOOD_CREATE)),
    ("E6004", calls("UpdateTrail\nName: arn:aws:cloudtrail:us-east-1:123456789012:trail/main")),
    ("E6004", calls("StartLogging\nName: '{{ TrailName }}'")),
    ("W6010", calls(GOOD_CREATE)),
    ("W6010", calls("UpdateTrail\nName: main")),  # UpdateTrail leaves what it is not given
    ("W6010", calls("CreateTrail\nName: main\nS3BucketName: b\nEnableLogFileValidation: '{{ Validate }}'")),
    ("W6011", calls(GOOD_CREATE)),
    ("W6011", calls("UpdateTrail\nName: main")),
    ("W6012", calls(GOOD_CREATE.replace("CreateTrail", "create_trail"))),
    ("W6012", calls("UpdateTrail\nName: main\nIsMultiRegionTrail: true")),
    ("W6012", calls("StartLogging\nName: main")),
]


@pytest.mark.parametrize(("rule", "text"), SILENT, ids=[s[0] for s in SILENT])
def test_rule_is_silent_on_a_right_snippet(rule: str, text: str) -> None:
    assert where(lint_snippet(text, rule)) == []


MINE = ("E32", "W32", "I32", "E5", "W5", "I5", "E6", "W6", "I6")


def test_the_toolkit_runbook_gives_no_finding_from_these_families() -> None:
    from toolkit.documents import read_runbook
    from toolkit.render import to_yaml_text

    text = to_yaml_text(read_runbook("cloudtrail-remediation-action").model())
    findings = Linter(LintConfig(select=MINE)).lint_text(text, file="cloudtrail-remediation-action.yaml")
    assert [str(finding) for finding in findings] == []


def test_corpus_gives_no_cloudtrail_findings() -> None:
    linter = Linter(LintConfig(select=("E6", "W6", "I6")))
    found = [
        f"{path.name}:{finding.line} {finding.rule} {finding.message}"
        for path in corpus_files()
        for finding in linter.lint_text(path.read_bytes(), file=str(path))
    ]
    assert found == []
