"""E0010 and schemas/automation-0.3.schema.json: the schema is valid, fits real documents, and its findings are
precise (rule, line, column) and readable; the compiled pre-check always agrees with jsonschema."""

from __future__ import annotations

import copy
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from tests.conftest import CORPUS, corpus_files
from tests.lint.helpers import HEADER, where
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter
from toolkit.lint.finding import Finding
from toolkit.lint.rules.schema import Schema, fast_check, load_schema, schema_file, validator
from toolkit.load import read_data
from toolkit.model.step import input_fields
from toolkit.steps import ACTIONS, STEP_CLASSES
from toolkit.steps.api import _ApiStep


@cache
def linter() -> Linter:
    return Linter(LintConfig(), rules=[Schema()])


def lint(text: str, *, file: str = "snippet.yaml") -> list[Finding]:
    return linter().lint_text(textwrap.dedent(text), file=file)


def doc(body: str) -> str:
    """HEADER (7 lines: schemaVersion, description, assumeRole, one parameter) and then ``body``."""
    return HEADER + textwrap.dedent(body)


def test_the_schema_is_a_valid_draft_07_schema() -> None:
    schema = load_schema()
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] and schema["title"]
    assert schema_file().name == "automation-0.3.schema.json"


def test_every_definition_is_described() -> None:
    for name, definition in load_schema()["definitions"].items():
        assert definition.get("description"), name


def test_the_schema_knows_every_action_and_input_of_the_model() -> None:
    definitions = load_schema()["definitions"]
    assert set(definitions["step"]["properties"]["action"]["enum"]) == set(ACTIONS)
    for cls in STEP_CLASSES:
        inputs = definitions[cls.ACTION.removeprefix("aws:") + "Inputs"]
        keys = {spec.key for _, spec in input_fields(cls)}
        assert keys == set(inputs["properties"]), cls.ACTION
        assert {spec.key for _, spec in input_fields(cls) if spec.required} <= set(inputs.get("required", ()))
        assert inputs["additionalProperties"] is issubclass(cls, _ApiStep), cls.ACTION


# -- findings: (rule, line, column) and message ---------------------------------------------------------------

PAUSE = """\
mainSteps:
  - name: Wait
    action: aws:pause
    inputs: {}
"""

TRIGGERS = [
    pytest.param(
        doc("foo: 1\n" + PAUSE),
        [("E0010", 8, 1)],
        "unknown top-level key 'foo' (known: schemaVersion, description",
        id="unknown-top-level-key",
    ),
    pytest.param(
        doc(PAUSE + "    timeoutSecond: 60\n"),
        [("E0010", 12, 5)],
        "unknown key 'timeoutSecond' in step Wait (did you mean timeoutSeconds? known: name, action,",
        id="unknown-step-key",
    ),
    pytest.param(
        doc(PAUSE.replace("inputs: {}", "inputs:\n      Seconds: 5")),
        [("E0010", 12, 7)],
        "unknown input 'Seconds' for aws:pause in step Wait (it takes none)",
        id="unknown-input",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Approve
                action: aws:approve
                inputs:
                  Message: Please approve.
            """
        ),
        [("E0010", 12, 7)],
        "step Approve (aws:approve) is missing the required input 'Approvers'",
        id="missing-action-input",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Stack
                action: aws:createStack
                inputs:
                  StackName: demo
            """
        ),
        [("E0010", 12, 7)],
        "step Stack (aws:createStack) needs one of the inputs TemplateBody, TemplateURL",
        id="missing-one-of-two-inputs",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Run
                action: aws:executeScript
                inputs:
                  Runtime: python3.11
                  Handler: handler
                  script: "def handler(events, context): pass"
            """
        ),
        [("E0010", 14, 7)],
        "unknown input 'script' for aws:executeScript in step Run (did you mean Script?",
        id="misspelt-input-reported-once",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Approve
                action: aws:approve
                inputs:
                  Approvers: 5
            """
        ),
        [("E0010", 12, 18)],
        "input Approvers of step Approve must be a StringList (a list of strings) or a {{ reference }}, "
        "not the number 5",
        id="wrong-input-type",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Approve
                action: aws:approve
                inputs:
                  Approvers: [alice, 7]
            """
        ),
        [("E0010", 12, 26)],
        "input Approvers[1] of step Approve must be a string, not the number 7",
        id="wrong-list-item-type",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Approve
                action: aws:approve
                inputs:
                  Approvers: "alice {{ AutomationAssumeRole }}"
            """
        ),
        [("E0010", 12, 18)],
        "must be a StringList (a list of strings) or a {{ reference }}, not the string 'alice {{",
        id="reference-inside-text-is-not-a-list",
    ),
    pytest.param(
        doc(PAUSE + "    timeoutSeconds: soon\n"),
        [("E0010", 12, 21)],
        "timeoutSeconds of step Wait must be an Integer or a {{ reference }}, not the string 'soon'",
        id="wrong-common-field-type",
    ),
    pytest.param(
        doc(PAUSE + "    maxAttempts: 0\n"),
        [("E0010", 12, 18)],
        "maxAttempts of step Wait must be at least 1, not the number 0",
        id="bound-of-common-field",
    ),
    pytest.param(
        doc("  Name:\n    type: Str\n" + PAUSE),
        [("E0010", 9, 11)],
        "type of parameter Name must be one of String, StringList,",
        id="unknown-parameter-type",
    ),
    pytest.param(
        doc("  Name:\n    type: String\n    hint: x\n" + PAUSE),
        [("E0010", 10, 5)],
        "unknown key 'hint' in parameter Name (known: type, description, default, allowedValues",
        id="unknown-parameter-key",
    ),
    pytest.param(
        doc("  Bad-Name:\n    type: String\n" + PAUSE),
        [("E0010", 8, 3)],
        "'Bad-Name' is not a parameter name (letters, digits and underscores)",
        id="bad-parameter-name",
    ),
    pytest.param(
        doc(PAUSE + "    onFailure: Retry\n"),
        [("E0010", 12, 16)],
        "onFailure of step Wait must be Abort, Continue or step:NAME, not the string 'Retry'",
        id="invalid-onFailure",
    ),
    pytest.param(
        doc(PAUSE.replace("  - name: Wait\n", "  - name: Wait-1\n")),
        [("E0010", 9, 11)],
        "name of step Wait-1 must be a step name (letters, digits and underscores)",
        id="bad-step-name",
    ),
    pytest.param(
        doc(PAUSE.replace("    inputs: {}\n", "")),
        [("E0010", 9, 5)],
        "step Wait is missing the required key 'inputs'",
        id="missing-step-key",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Call
                action: aws:executeAwsApi
                inputs:
                  Service: s3
                  Api: ListBuckets
                outputs:
                  - Name: Buckets
                    Selector: $.Buckets
                    Typ: MapList
            """
        ),
        [("E0010", 17, 9)],
        "unknown key 'Typ' in outputs[0] of step Call (did you mean Type?",
        id="misspelt-output-key-reported-once",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Call
                action: aws:executeAwsApi
                inputs:
                  Service: s3
                  Api: ListBuckets
                outputs:
                  - Name: Buckets
                    Selector: $.Buckets
                    Type: List
            """
        ),
        [("E0010", 17, 15)],
        "outputs[0].Type of step Call must be one of String, Integer, Boolean, StringList, StringMap, MapList",
        id="bad-output-type",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Decide
                action: aws:branch
                inputs:
                  Choices:
                    - NextStep: Decide
                      Or:
                        - Variable: "{{ AutomationAssumeRole }}"
                          StringEquals: a
            """
        ),
        [("E0010", 15, 13)],
        "input Choices[0].Or of step Decide must have at least 2 items, not 1",
        id="or-with-one-condition",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Stop
                action: aws:changeInstanceState
                inputs:
                  InstanceIds: [i-0123456789abcdef0]
                  DesiredState: Stopped
            """
        ),
        [("E0010", 13, 21)],
        "must be one of running, stopped, terminated or a {{ reference }}, not the string 'Stopped' "
        "(did you mean stopped?)",
        id="closed-set-input",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Repeat
                action: aws:loop
                onCancel: Abort
                inputs:
                  Iterators: [a, b]
                  Steps:
                    - name: Inner
                      action: aws:pause
                      isEnd: maybe
                      inputs: {}
            """
        ),
        [("E0010", 11, 5), ("E0010", 17, 18)],
        "onCancel is not supported on aws:loop (step Repeat)",
        id="loop-oncancel-and-nested-step",
    ),
    pytest.param(
        "mainSteps:\n  - name: Wait\n    action: aws:pause\n    inputs: {}\n",
        [("E0010", 1, 1)],
        "the document is missing the required top-level key 'schemaVersion'",
        id="missing-schemaVersion",
    ),
    pytest.param(
        doc("files:\n  run.py:\n    checksums:\n      md5: abc\n" + PAUSE),
        [("E0010", 11, 7)],
        "unknown key 'md5' in checksums of file run.py (known: sha256, SHA256, sha-256, SHA-256)",
        id="attachment-checksum",
    ),
]


@pytest.mark.parametrize(("text", "expected", "message"), TRIGGERS)
def test_triggers(text: str, expected: list[tuple[str, int, int]], message: str) -> None:
    findings = lint(text)
    assert where(findings) == expected, [f"{f.line}:{f.column} {f.message}" for f in findings]
    assert message in findings[0].message or any(message in finding.message for finding in findings)
    assert all(len(finding.message) < 400 and "\n" not in finding.message for finding in findings)


VALID = [
    pytest.param(doc(PAUSE), id="pause"),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Approve
                action: aws:approve
                timeoutSeconds: "{{ AutomationAssumeRole }}"
                maxAttempts: "2"
                isEnd: "{{ AutomationAssumeRole }}"
                isCritical: "false"
                inputs:
                  Approvers: "{{ AutomationAssumeRole }}"
                  MinRequiredApprovals: "{{ AutomationAssumeRole }}"
            """
        ),
        id="references-and-quoted-numbers-where-typed-values-go",
    ),
    pytest.param(
        doc(
            """\
              Ids:
                type: List<AWS::EC2::Instance::Id>
                default: [i-0123456789abcdef0]
              Tags:
                type: MapList
                default: [{Key: a, Value: b}]
              Options:
                type: StringMap
                default: {commands: [date]}
              Count:
                type: Integer
                default: 3
                allowedValues: [1, 2, 3]
              Store:
                type: StringList
                default: "{{ ssm:/my/list }}"
              Text:
                type: String
                description:
                displayType: textarea
                allowedPattern: ^[a-z]*$
                minChars: 1
                maxChars: 20
            variables:
              Counter:
                type: Integer
                default: 0
            mainSteps:
              - name: Loop
                action: aws:loop
                inputs:
                  Iterators: "{{ Ids }}"
                  MaxIterations: 10
                  Steps:
                    - name: Bump
                      action: aws:updateVariable
                      inputs:
                        Name: variable:Counter
                        Value: 1
              - name: Decide
                action: aws:branch
                inputs:
                  Choices:
                    - NextStep: Loop
                      And:
                        - Variable: "{{ Count }}"
                          NumericGreater: 1
                        - Not:
                            Variable: "{{ Text }}"
                            StringEquals: x
                  Default: End
              - name: End
                action: aws:sleep
                onFailure: step:Loop
                onCancel: step:Loop
                inputs:
                  Duration: PT1M
            outputs:
              - Loop.CurrentIteration
            """
        ),
        id="every-parameter-kind-variables-loop-branch",
    ),
    pytest.param(
        doc(
            """\
            mainSteps:
              - name: Check
                action: aws:waitForAwsResourceProperty
                inputs:
                  Service: ec2
                  Api: DescribeInstances
                  InstanceIds: ["{{ AutomationAssumeRole }}"]
                  AnyApiParameter: {nested: [1, 2]}
                  PropertySelector: $.Reservations[0].Instances[0].State.Name
                  DesiredValues: [running]
              - name: Script
                action: aws:executeScript
                inputs:
                  Runtime: python3.11
                  Handler: handler
                  Script: "def handler(events, context):\\n    return {}"
                  InputPayload: {a: 1}
                outputs:
                  - {Name: Result, Selector: $.Payload, Type: StringMap}
            files:
              run.py:
                checksums:
                  sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            """
        ),
        id="api-parameters-pass-through-and-script",
    ),
    pytest.param(doc("outputs:\n" + PAUSE).replace("description: A test document.", "description:"), id="nulls"),
]


@pytest.mark.parametrize("text", VALID)
def test_does_not_trigger(text: str) -> None:
    findings = lint(text)
    assert findings == [], [f"{f.line}:{f.column} {f.message}" for f in findings]


# -- real documents -------------------------------------------------------------------------------------------


def corpus_key(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_key)
def test_corpus_document(path: Path) -> None:
    """Every corpus document matches the schema; the `any` ones (null description or outputs, retired runtimes)
    are accepted too, as AWS reads a null as absent and the runtime is not shape. The one misspelt action
    (tstest-runbook.yaml line 59) is left to E3001, which tests/lint/test_corpus.py checks."""
    findings = lint(path.read_text(encoding="utf-8-sig"), file=str(path))
    assert findings == [], [f"{f.line}:{f.column} {f.message}" for f in findings]


def test_the_built_runbooks_match_the_schema() -> None:
    from toolkit.build import runbook_modules
    from toolkit.documents import read_runbook
    from toolkit.render import to_json_text, to_yaml_text

    assert runbook_modules()
    for name in runbook_modules():
        document = read_runbook(name).model()
        for text, suffix in ((to_yaml_text(document), "yaml"), (to_json_text(document), "json")):
            findings = lint(text, file=f"build/{name}.{suffix}")
            assert findings == [], [f"{f.line}:{f.column} {f.message}" for f in findings]


# -- the compiled pre-check agrees with jsonschema ------------------------------------------------------------


def mutations(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Small damages to a valid document: each should flip, or not, the two validators alike."""
    out = []
    for step_index, step in enumerate(data.get("mainSteps") or []):
        for key, value in list(step.items()):
            for damage in (None, [value], {"x": value}, "text", 7, True):
                changed = copy.deepcopy(data)
                changed["mainSteps"][step_index][key] = damage
                out.append(changed)
        inputs = step.get("inputs")
        if isinstance(inputs, dict):
            for key in list(inputs):
                changed = copy.deepcopy(data)
                del changed["mainSteps"][step_index]["inputs"][key]
                out.append(changed)
                changed = copy.deepcopy(data)
                changed["mainSteps"][step_index]["inputs"][key] = [1]
                out.append(changed)
        if step_index >= 2:
            break
    for name in list(data.get("parameters") or {})[:2]:
        for damage in ("text", 5, False, ["a"], {"a": 1}, None):
            changed = copy.deepcopy(data)
            changed["parameters"][name]["default"] = damage
            out.append(changed)
    return out


def test_the_pre_check_agrees_with_jsonschema() -> None:
    documents = [read_data(path.read_text(encoding="utf-8-sig"), file=str(path))[0] for path in corpus_files()[::6]]
    snippets = [read_data(textwrap.dedent(str(p.values[0])), file="s.yaml")[0] for p in TRIGGERS + VALID]
    samples = snippets + documents + [m for document in documents[:12] for m in mutations(document)]
    assert len(samples) > 300
    check, oracle = fast_check(), validator()
    for sample in samples:
        assert check(sample) == oracle.is_valid(sample), sample.get("mainSteps")


@pytest.mark.parametrize(
    ("text", "rule", "position"),
    [
        pytest.param(doc("  Count:\n    type: Integer\n    default: '5'\n" + PAUSE), "E1101", (10, 14), id="default"),
        pytest.param(
            doc("  Flag:\n    type: Boolean\n    default: yes please\n" + PAUSE), "E1101", (10, 14), id="bool"
        ),
        pytest.param(doc(PAUSE.replace("aws:pause", "aws:executeAPI")), "E3001", (10, 13), id="action"),
    ],
)
def test_defects_another_rule_reports_are_not_reported_twice(text: str, rule: str, position: tuple[int, int]) -> None:
    """The schema keeps these checks for editors; the linter reports them once, under the more specific rule."""
    assert lint(text) == []
    findings = Linter(LintConfig(select=("E0010", rule))).lint_text(textwrap.dedent(text), file="snippet.yaml")
    assert where(findings) == [(rule, *position)]
