"""Properties of the linter on arbitrary input: it never raises, no rule ever crashes, every finding is located.

Random bytes and YAML-like text exercise the reader; random document-shaped data (the right keys with values of
any type, nested anywhere) exercises every rule on shapes no real document has.
"""

from __future__ import annotations

import json
from functools import cache

import yaml
from hypothesis import given
from hypothesis import strategies as st

from toolkit.lint.engine import RULE_CRASHED, Linter
from toolkit.lint.finding import Finding

KEYS = [
    "schemaVersion", "description", "assumeRole", "parameters", "variables", "mainSteps", "outputs", "files",
    "name", "action", "inputs", "nextStep", "isEnd", "onFailure", "onCancel", "maxAttempts", "timeoutSeconds",
    "isCritical", "type", "default", "allowedValues", "allowedPattern", "minItems", "maxChars", "Name", "Selector",
    "Type", "Service", "Api", "Runtime", "Handler", "Script", "InputPayload", "Choices", "Default", "NextStep",
    "Variable", "StringEquals", "NumericGreater", "BooleanEquals", "And", "Or", "Not", "Steps", "Iterators",
    "LoopCondition", "MaxIterations", "Duration", "Timestamp", "Approvers", "PropertySelector", "DesiredValues",
    "DocumentName", "RuntimeParameters", "TrailName", "KmsKeyId", "IsMultiRegionTrail", "EventSelectors",
    "InstanceIds", "Filters", "DBClusterSnapshotIdentifier",
]  # fmt: skip
WORDS = [
    "0.3", "aws:executeAwsApi", "aws:executeScript", "aws:branch", "aws:loop", "aws:sleep", "aws:approve",
    "aws:updateVariable", "aws:assertAwsResourceProperty", "aws:waitForAwsResourceProperty", "aws:unknown",
    "cloudtrail", "ec2", "rds", "CreateTrail", "describe_instances", "DeleteDBClusterSnapshot", "python3.11",
    "python3.7", "handler", "def handler(events, context):\n    return 1\n", "def broken(:\n", "step:A", "Abort",
    "Continue", "A", "B", "{{ A.Out }}", "{{ P }}", "{{ variable:V }}", "{{ global:REGION }}", "$.Payload", "$.X[",
    "String", "StringList", "Integer", "Boolean", "MapList", "StringMap", "PT1S", "AKIAABCDEFGHIJKLMNOP", "",
    "arn:aws:kms:us-east-1:123456789012:key/x", "alias/x", "%%SCRIPT=x.py%%",
]  # fmt: skip

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(WORDS), st.text(max_size=8),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)),
    max_leaves=40,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


@cache
def linter() -> Linter:
    return Linter()


def check(findings: list[Finding]) -> None:
    for finding in findings:
        assert finding.rule != RULE_CRASHED, finding.message
        assert finding.line >= 1 and finding.column >= 1


@given(st.binary(max_size=200))
def test_random_bytes(content: bytes) -> None:
    check(linter().lint_text(content, file="random.yaml"))


@given(st.text(alphabet=st.sampled_from(list("ab:- \n\t{}[]'\"#&*!|>%@,?0123456789")), max_size=120))
def test_yaml_like_text(text: str) -> None:
    check(linter().lint_text(text, file="random.yaml"))


@given(documents)
def test_document_shaped_data_as_yaml(data: dict[str, object]) -> None:
    check(linter().lint_text(yaml.safe_dump(data, sort_keys=False), file="random.yaml"))


@given(documents)
def test_document_shaped_data_as_json(data: dict[str, object]) -> None:
    check(linter().lint_text(json.dumps(data), file="random.json"))


@given(st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=8), max_size=5))
def test_steps_of_any_shape(steps: list[dict[str, object]]) -> None:
    document = {"schemaVersion": "0.3", "mainSteps": steps}
    check(linter().lint_text(yaml.safe_dump(document, sort_keys=False), file="random.yaml"))
