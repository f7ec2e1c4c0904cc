"""Table-driven tests of the core rule families: each rule fires on a snippet at an exact line:column, and stays
silent on a snippet that is right."""

from __future__ import annotations

import pytest

from tests.lint.helpers import lint_snippet, where

STEP = """\
mainSteps:
  - name: Only
    action: aws:sleep
    inputs:
      Duration: PT1S
"""

TRIGGERS = [
    (
        "E0003",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            inputs: {Duration: PT1S}
            name: B
        """,
        [("E0003", 6, 5)],
    ),
    (
        "E1001",
        """\
        schemaVersion: "0.3"
        assumeRole: "{{ Role }}"
        mainSteps:
          - name: A
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
        [("E1001", 2, 14)],
    ),
    (
        "E1002",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeAwsApi
            inputs:
              Service: ec2
              Api: DescribeInstances
              InstanceIds: ["{{ Gone.Id }}"]
        """,
        [("E1002", 8, 22)],
    ),
    (
        "E1003",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeScript
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
          - name: B
            action: aws:sleep
            inputs:
              Duration: "{{ A.Result }}"
        """,
        [("E1003", 9, 18)],
    ),
    (
        "E1004",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: B
            action: aws:sleep
            inputs:
              Duration: "PT{{ A.Payload }}S"
          - name: A
            action: aws:executeScript
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
        """,
        [("E1004", 6, 20)],
    ),
    (
        "E1005",
        """\
        schemaVersion: "0.3"
        variables:
          Count: {type: Integer, default: 0}
        mainSteps:
          - name: A
            action: aws:sleep
            inputs: {Duration: "{{ variable:Other }}"}
        """,
        [("E1005", 7, 25)],
    ),
    (
        "E1006",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            inputs: {Duration: "x {{ global:ACCOUNT }}"}
        """,
        [("E1006", 5, 27)],
    ),
    (
        "E1007",
        f"""\
        schemaVersion: "0.3"
        {STEP.replace(chr(10), chr(10) + "        ")}outputs:
          - NotAnOutput
        """,
        [("E1007", 8, 5)],
    ),
    (
        "E1101",
        f"""\
        schemaVersion: "0.3"
        parameters:
          Enabled: {{type: Boolean, default: "yes"}}
        {STEP.replace(chr(10), chr(10) + "        ")}""",
        [("E1101", 3, 37)],
    ),
    (
        "E1102",
        f"""\
        schemaVersion: "0.3"
        parameters:
          Name:
            type: String
            allowedPattern: "^[a-z]+$"
            default: Main
        {STEP.replace(chr(10), chr(10) + "        ")}""",
        [("E1102", 6, 14)],
    ),
    (
        "E1103",
        f"""\
        schemaVersion: "0.3"
        parameters:
          Name: {{type: String, allowedPattern: "^[a-z+$"}}
        {STEP.replace(chr(10), chr(10) + "        ")}""",
        [("E1103", 3, 40)],
    ),
    (  # the Unicode \w finding: Java's \w is ASCII, so SSM refuses this default
        "E1102",
        f"""\
        schemaVersion: "0.3"
        parameters:
          Trail: {{type: String, allowedPattern: '^[\\w-]+$', default: tráil}}
        {STEP.replace(chr(10), chr(10) + "        ")}""",
        [("E1102", 3, 62)],
    ),
    (
        "W1105",
        f"""\
        schemaVersion: "0.3"
        parameters:
          Name: {{type: String, allowedPattern: '^\\X+$'}}
        {STEP.replace(chr(10), chr(10) + "        ")}""",
        [("W1105", 3, 40)],
    ),
    (  # a default the translation cannot decide: \b beside five combining marks
        "W1105",
        f"""\
        schemaVersion: "0.3"
        parameters:
          Name: {{type: String, allowedPattern: '^a.*\\b$', default: "a\\u0301\\u0301\\u0301\\u0301\\u0301"}}
        {STEP.replace(chr(10), chr(10) + "        ")}""",
        [("W1105", 3, 60)],
    ),
    (
        "I1104",
        f"""\
        schemaVersion: "0.3"
        parameters:
          Unused: {{type: String}}
        {STEP.replace(chr(10), chr(10) + "        ")}""",
        [("I1104", 3, 3)],
    ),
    (
        "E2001",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            inputs: {Duration: PT1S}
          - name: A
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
        [("E2001", 6, 11)],
    ),
    (
        "E2002",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            onFailure: step:Cleanup
            inputs: {Duration: PT1S}
        """,
        [("E2002", 5, 16)],
    ),
    (
        "W2003",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            isEnd: true
            inputs: {Duration: PT1S}
          - name: Dead
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
        [("W2003", 7, 11)],
    ),
    (
        "E2004",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            inputs: {Duration: PT1S}
          - name: B
            action: aws:sleep
            nextStep: A
            inputs: {Duration: PT1S}
        """,
        [("E2004", 3, 11)],
    ),
    (
        "W2005",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            nextStep: B
            isEnd: true
            inputs: {Duration: PT1S}
          - name: B
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
        [("W2005", 6, 5)],
    ),
    (
        "E3001",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeAPI
            inputs: {Service: ec2, Api: DescribeInstances}
        """,
        [("E3001", 4, 13)],
    ),
    (
        "E3002",
        """\
        schemaVersion: "0.3"
        parameters:
          Mode: {type: String}
        mainSteps:
          - name: A
            action: aws:branch
            inputs:
              Choices:
                - NextStep: B
                  Variable: "{{ Mode }}"
                  StringEqual: fast
              Default: B
          - name: B
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
        [("E3002", 11, 11)],
    ),
    (
        "E3003",
        """\
        schemaVersion: "0.3"
        parameters:
          Count: {type: Integer}
        mainSteps:
          - name: A
            action: aws:branch
            inputs:
              Choices:
                - NextStep: B
                  Variable: "{{ Count }}"
                  NumericGreater: many
              Default: B
          - name: B
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
        [("E3003", 11, 27)],
    ),
    (
        "E3004",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            inputs:
              Duration: P8D
        """,
        [("E3004", 6, 17)],
    ),
    (
        "E3005",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:approve
            inputs:
              Approvers: [arn:aws:iam::123456789012:role/Approver]
              NotificationArn: arn:aws:sns:us-east-1:123456789012:approvals
        """,
        [("E3005", 7, 24)],
    ),
    (
        "E3005",
        """\
        schemaVersion: "0.3"
        parameters:
          Approver: {type: String}
        mainSteps:
          - name: A
            action: aws:approve
            inputs:
              Approvers: ["{{ Approver }}"]
              MinRequiredApprovals: 2
        """,
        [("E3005", 9, 29)],
    ),
    (
        "E3006",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:loop
            inputs:
              MaxIterations: 500
              LoopCondition: {Variable: "{{ A.CurrentIteration }}", NumericLesser: 3}
              Steps:
                - name: Inner
                  action: aws:sleep
                  inputs: {Duration: PT1S}
        """,
        [("E3006", 6, 22)],
    ),
    (
        "E3007",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:updateVariable
            inputs:
              Name: variable:Missing
              Value: 1
        """,
        [("E3007", 6, 13)],
    ),
    (
        "W3008",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeScript
            timeoutSeconds: 3600
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
        """,
        [("W3008", 5, 21)],
    ),
    (
        "E4001",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeScript
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
            outputs:
              - {Name: X, Selector: $.Payload.a, Type: String}
              - {Name: X, Selector: $.Payload.b, Type: String}
        """,
        [("E4001", 8, 16)],
    ),
    (
        "E4002",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeScript
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
            outputs:
              - {Name: X, Selector: "$.Payload[", Type: String}
        """,
        [("E4002", 7, 29)],
    ),
    (
        "E4003",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeScript
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
            outputs:
              - {Name: X, Selector: $.Result, Type: String}
        """,
        [("E4003", 7, 29)],
    ),
]

SILENT = [
    ("E0003", 'schemaVersion: "0.3"\n' + STEP),
    ("E1001", 'schemaVersion: "0.3"\nassumeRole: "{{ Role }}"\nparameters:\n  Role: {type: String}\n' + STEP),
    (
        "E1003",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeScript
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
          - name: B
            action: aws:sleep
            inputs:
              Duration: "PT{{ A.Payload }}S"
        """,
    ),
    (
        "E1004",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:executeScript
            inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return 1"}
          - name: B
            action: aws:sleep
            nextStep: A
            inputs:
              Duration: "PT{{ A.Payload }}S"
        """,
    ),
    ("E1006", 'schemaVersion: "0.3"\n' + STEP.replace("PT1S", '"{{ global:DATE_TIME }}"')),
    ("E1101", 'schemaVersion: "0.3"\nparameters:\n  On: {type: Boolean, default: true}\n' + STEP),
    ("E1101", 'schemaVersion: "0.3"\nparameters:\n  N: {type: String, default: "{{ ssm:/names/main }}"}\n' + STEP),
    (
        "E1102",
        'schemaVersion: "0.3"\nparameters:\n  N: {type: String, allowedPattern: "^[a-z]+$", default: main}\n' + STEP,
    ),
    (
        "E1102",
        'schemaVersion: "0.3"\nparameters:\n  R: {type: String, allowedPattern: "^arn:", default: "%%ROLE=x%%"}\n'
        + STEP,
    ),
    ("E1103", 'schemaVersion: "0.3"\nparameters:\n  N: {type: String, allowedPattern: "\\\\p{L}+"}\n' + STEP),
    (
        "W1105",
        'schemaVersion: "0.3"\nparameters:\n  N: {type: String, allowedPattern: "\\\\bx(?<=a|bc)", default: x}\n'
        + STEP,
    ),
    (
        "E2004",
        """\
        schemaVersion: "0.3"
        parameters:
          Done: {type: Boolean, default: false}
        mainSteps:
          - name: Check
            action: aws:branch
            inputs:
              Choices:
                - {NextStep: Finish, Variable: "{{ Done }}", BooleanEquals: true}
              Default: Wait
          - name: Wait
            action: aws:sleep
            nextStep: Check
            inputs: {Duration: PT1M}
          - name: Finish
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
    ),
    (
        "W2003",
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: A
            action: aws:sleep
            onCancel: step:Cleanup
            isEnd: true
            inputs: {Duration: PT1S}
          - name: Cleanup
            action: aws:sleep
            inputs: {Duration: PT1S}
        """,
    ),
    ("E3004", 'schemaVersion: "0.3"\n' + STEP.replace("PT1S", "P7D")),
    # A whole reference to a StringList in a list stands for all of its entries (SSM splices it, as in AWS's
    # "InstanceIds": ["{{LaunchInstance.InstanceIds}}"] on
    # https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html), and so may one
    # whose type the linter cannot tell (a built-in output): the list is not counted.
    (
        "E3005",
        """\
        schemaVersion: "0.3"
        parameters:
          Approvers: {type: StringList}
        mainSteps:
          - name: Spliced
            action: aws:approve
            inputs:
              Approvers: ["{{ Approvers }}"]
              MinRequiredApprovals: 3
          - name: Again
            action: aws:approve
            inputs:
              Approvers: ["{{ Spliced.ApproverDecisions }}", admin]
              MinRequiredApprovals: 4
        """,
    ),
    (
        "E3006",
        """\
        schemaVersion: "0.3"
        parameters:
          Names: {type: StringList}
        mainSteps:
          - name: A
            action: aws:loop
            inputs:
              Iterators: ["{{ Names }}", last]
              Steps:
                - name: Inner
                  action: aws:sleep
                  inputs: {Duration: PT1S}
        """,
    ),
    ("E4003", 'schemaVersion: "0.3"\n' + STEP + "    outputs: [{Name: All, Selector: $, Type: StringMap}]\n"),
]


@pytest.mark.parametrize(("rule", "snippet", "expected"), TRIGGERS, ids=[case[0] for case in TRIGGERS])
def test_rule_fires_at_the_node_at_fault(rule: str, snippet: str, expected: list[tuple[str, int, int]]) -> None:
    assert where(lint_snippet(snippet, rule)) == expected


@pytest.mark.parametrize(("rule", "snippet"), SILENT, ids=[case[0] for case in SILENT])
def test_rule_is_silent_on_a_right_document(rule: str, snippet: str) -> None:
    assert lint_snippet(snippet, rule) == []


def test_every_core_rule_has_a_triggering_case() -> None:
    from toolkit.lint.rules import document, flow, inputs, outputs, parameters, references

    engine_reported = {"E0001", "E0002"}
    ids = {rule.id for module in (document, flow, inputs, outputs, parameters, references) for rule in module.RULES}
    tested = {case[0] for case in TRIGGERS} | engine_reported | {"E0020", "W0021"}
    assert ids <= tested


def test_a_document_over_64_kb_is_too_large() -> None:
    big = 'schemaVersion: "0.3"\ndescription: "' + "x" * (64 * 1024) + '"\n' + STEP
    assert where(lint_snippet(big, "E0020")) == [("E0020", 1, 1)]
    assert lint_snippet('schemaVersion: "0.3"\n' + STEP, "E0020") == []


@pytest.mark.parametrize(
    ("file", "fires"),
    [("aws-restart.yaml", True), ("Amazon.json", True), ("ab.yaml", True), ("restart-web_tier.v2.yml", False)],
)
def test_the_file_name_must_be_a_valid_document_name(file: str, fires: bool) -> None:
    findings = lint_snippet('schemaVersion: "0.3"\n' + STEP, "W0021", file=file)
    assert where(findings) == ([("W0021", 1, 1)] if fires else [])


def test_outputs_of_steps_inside_a_loop_and_keys_of_an_output_are_not_misreported() -> None:
    text = """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Each
            action: aws:loop
            inputs:
              Iterators: [a, b]
              Steps:
                - name: Inner
                  action: aws:executeScript
                  inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return {}"}
                  outputs: [{Name: Result, Selector: $.Payload, Type: StringMap}]
          - name: After
            action: aws:sleep
            inputs:
              Duration: "PT{{ Each.Inner.Result }}S{{ Each.CurrentIteration }}{{ Each.Missing }}"
        """
    assert where(lint_snippet(text, "E100")) == [("E1003", 15, 71)]


def test_a_loop_body_reads_its_loop_outputs() -> None:
    text = """\
        schemaVersion: "0.3"
        parameters:
          InstanceIds: {type: StringList}
        mainSteps:
          - name: StopAll
            action: aws:loop
            inputs:
              Iterators: "{{ InstanceIds }}"
              Steps:
                - name: StopOne
                  action: aws:changeInstanceState
                  inputs: {InstanceIds: ["{{ StopAll.CurrentIteratorValue }}"], DesiredState: stopped}
        """
    assert lint_snippet(text, "E100") == []


@pytest.mark.parametrize(
    ("pattern", "compiles"),
    [
        (r"^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w-\/.@+=,]{1,1017}$", True),  # Java: '-' after \w is literal
        (r"^[-\w.]+$", True),
        (r"^[a-z\d-]+$", True),
        (r"^[A-Za-z0-9_-\/.]{1,512}$", False),  # a reversed range: an error in Java too
        (r"^[a-z+$", False),
        (r"^\p{L}+$", True),  # Java's syntax, read as Java reads it
        (r"^\Qa.b\E[a-z&&[^e]]++\z", True),
        (r"^\p{Foo}$", False),  # Java knows no such property
        (r"^a{2,1}$", False),
        (r"^[a-\d]$", False),  # a range cannot end with a class escape, in Java either
        (r"^(?<=a+)$", True),  # Java 17 accepts it (W1105: Python cannot express it)
    ],
)
def test_allowed_patterns_are_read_as_java_reads_them(pattern: str, compiles: bool) -> None:
    text = 'schemaVersion: "0.3"\nparameters:\n  P:\n    type: String\n    allowedPattern: \'' + pattern + "'\n" + STEP
    found = where(lint_snippet(text, "E1103"))
    assert found == ([] if compiles else [("E1103", 5, 21)])


def test_an_output_without_type_is_a_string_output() -> None:
    text = """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Find
            action: aws:executeAwsApi
            inputs: {Service: ec2, Api: DescribeInstances}
            outputs:
              - Name: InstanceId
                Selector: $.Reservations[0].Instances[0].InstanceId
          - name: Use
            action: aws:sleep
            inputs: {Duration: "PT{{ Find.InstanceId }}S"}
        """
    assert lint_snippet(text, "E") == []
