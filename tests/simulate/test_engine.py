"""The simulator's semantics: flow, retries, statuses, typing, timeouts, every action, and the behaviours an
existing simulator gets wrong (the SSM Automation semantics spec, "Behaviours a simulator must get right")."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from toolkit.errors import SimulationError
from toolkit.fakes.backend import SERVICES
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.source import read_data


def doc(text: str) -> dict[str, Any]:
    data, _ = read_data(textwrap.dedent(text), file="test.yaml")
    return data


def statuses(result: Any) -> list[tuple[str, str]]:
    return [(step.name, step.status) for step in result.steps]


class Ec2:
    """A tiny EC2 registered on a world: instances with states, and a record of the calls' parameters."""

    def __init__(self, world: World, instances: dict[str, str] | None = None) -> None:
        self.instances = dict(instances or {"i-1": "running", "i-2": "stopped"})
        self.seen: list[dict[str, Any]] = []
        world.register("ec2", "DescribeInstances", self.describe)
        world.register("ec2", "StopInstances", self.stop)
        world.register("ec2", "CreateTags", self.tag)

    def describe(self, params: dict[str, Any]) -> dict[str, Any]:
        self.seen.append(params)
        ids = params.get("InstanceIds") or list(self.instances)
        for instance in ids:
            if instance not in self.instances:
                raise AwsError("InvalidInstanceID.NotFound", f"The instance ID '{instance}' does not exist")
        return {"Reservations": [{"Instances": [{"InstanceId": i, "State": {"Name": self.instances[i]}} for i in ids]}]}

    def stop(self, params: dict[str, Any]) -> dict[str, Any]:
        self.seen.append(params)
        for instance in params["InstanceIds"]:
            self.instances[instance] = "stopped"
        return {"StoppingInstances": [{"InstanceId": i} for i in params["InstanceIds"]]}

    def tag(self, params: dict[str, Any]) -> dict[str, Any]:
        self.seen.append(params)
        return {}


RUNBOOK_PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}


@pytest.fixture
def world() -> World:
    return World.default()


# -- flow ------------------------------------------------------------------------------------------------------

LOOP_BY_NEXT_STEP = """\
schemaVersion: "0.3"
variables:
  Count: {type: Integer, default: 0}
mainSteps:
  - name: Check
    action: aws:branch
    inputs:
      Choices:
        - {NextStep: Done, Variable: "{{ variable:Count }}", NumericGreaterOrEquals: 2}
      Default: Bump
  - name: Done
    action: aws:sleep
    isEnd: true
    inputs: {Duration: PT1S}
  - name: Bump
    action: aws:updateVariable
    nextStep: Check
    inputs: {Name: "variable:Count", Value: 2}
"""


def test_next_step_on_the_last_step_is_honoured(world: World) -> None:
    result = simulate(doc(LOOP_BY_NEXT_STEP), world=world)
    assert result.status == "Success"
    assert statuses(result) == [
        ("Check", "Success"),
        ("Bump", "Success"),
        ("Check", "Success"),
        ("Done", "Success"),
    ]


def test_on_failure_jumps_to_any_step_even_the_last_and_the_failed_step_is_reported(world: World) -> None:
    Ec2(world)
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Describe
                action: aws:executeAwsApi
                onFailure: step:Cleanup
                inputs: {Service: ec2, Api: DescribeInstances, InstanceIds: [i-404]}
              - name: Skipped
                action: aws:sleep
                inputs: {Duration: PT1S}
              - name: Cleanup
                action: aws:sleep
                inputs: {Duration: PT1S}
            """
        ),
        world=world,
    )
    assert statuses(result) == [("Describe", "Failed"), ("Cleanup", "Success")]
    assert "InvalidInstanceID.NotFound" in (result.steps[0].failure_message or "")
    assert result.status == "Failed"  # the failed step was critical
    assert result.calls[0].error == "InvalidInstanceID.NotFound"


@pytest.mark.parametrize(
    ("on_failure", "critical", "expected"),
    [
        ("Abort", None, ("Failed", ["Describe"])),
        ("Continue", None, ("Success", ["Describe", "After"])),  # Continue makes the step non-critical
        ("Continue", True, ("Failed", ["Describe", "After"])),
        ("step:After", False, ("Success", ["Describe", "After"])),
    ],
)
def test_final_status_follows_is_critical(
    world: World, on_failure: str, critical: bool | None, expected: tuple[str, list[str]]
) -> None:
    Ec2(world)
    flag = "" if critical is None else f"\n                isCritical: {str(critical).lower()}"
    result = simulate(
        doc(
            f"""\
            schemaVersion: "0.3"
            mainSteps:
              - name: Describe
                action: aws:executeAwsApi
                onFailure: {on_failure}{flag}
                inputs: {{Service: ec2, Api: DescribeInstances, InstanceIds: [i-404]}}
              - name: After
                action: aws:sleep
                inputs: {{Duration: PT1S}}
            """
        ),
        world=world,
    )
    assert (result.status, [step.name for step in result.steps]) == expected


def test_max_attempts_retries_a_failing_step(world: World) -> None:
    Ec2(world)
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Describe
                action: aws:executeAwsApi
                maxAttempts: 3
                inputs: {Service: ec2, Api: DescribeInstances, InstanceIds: [i-404]}
            """
        ),
        world=world,
    )
    assert statuses(result) == [("Describe", "Failed")] * 3
    assert len(result.calls) == 3 and result.status == "Failed"


def test_on_cancel_runs_its_step(world: World) -> None:
    text = """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Work
            action: aws:sleep
            onCancel: step:Rollback
            inputs: {Duration: PT1S}
          - name: Rollback
            action: aws:sleep
            inputs: {Duration: PT1S}
        """
    result = simulate(doc(text), world=world, options=Options(cancel_at="Work"))
    assert statuses(result) == [("Work", "Cancelled"), ("Rollback", "Success")]
    plain = simulate(doc(text.replace("            onCancel: step:Rollback\n", "")), options=Options(cancel_at="Work"))
    assert (plain.status, statuses(plain)) == ("Cancelled", [("Work", "Cancelled")])


def test_a_loop_with_no_way_out_halts(world: World) -> None:
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Again
                action: aws:sleep
                nextStep: Again
                inputs: {Duration: PT0S}
            """
        ),
        world=world,
    )
    assert result.status == "Failed"
    assert "without ending" in (result.steps[-1].failure_message or "")


# -- values ----------------------------------------------------------------------------------------------------


def test_typed_interpolation_keeps_lists_booleans_maps_and_quotes(world: World) -> None:
    ec2 = Ec2(world, {"i-1": "running", "i-2": "running"})
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            parameters:
              Ids: {type: StringList}
              Force: {type: Boolean}
              Tags: {type: MapList}
              Note: {type: String}
            mainSteps:
              - name: Stop
                action: aws:executeAwsApi
                inputs: {Service: ec2, Api: StopInstances, InstanceIds: "{{ Ids }}", Force: "{{ Force }}"}
              - name: Tag
                action: aws:executeAwsApi
                inputs:
                  Service: ec2
                  Api: CreateTags
                  Resources: "{{ Ids }}"
                  Tags: "{{ Tags }}"
                  DryRun: false
            outputs: [Stop.Nothing]
            """
        ),
        {"Ids": ["i-1", "i-2"], "Force": True, "Tags": [{"Key": "note", "Value": 'say "hi"\\\n'}], "Note": "x"},
        world,
    )
    assert result.status == "Success", result.steps
    assert ec2.seen[0] == {"InstanceIds": ["i-1", "i-2"], "Force": True}
    assert ec2.seen[1]["Tags"] == [{"Key": "note", "Value": 'say "hi"\\\n'}]
    assert result.calls[1].params["Resources"] == ["i-1", "i-2"]


def test_wildcard_selectors_keep_every_match_and_earlier_outputs_survive_a_failure(world: World) -> None:
    Ec2(world, {"i-1": "running", "i-2": "stopped", "i-3": "running"})
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Describe
                action: aws:executeAwsApi
                inputs: {Service: ec2, Api: DescribeInstances}
                outputs:
                  - {Name: Ids, Selector: "$.Reservations[*].Instances[*].InstanceId", Type: StringList}
                  - {Name: First, Selector: "$.Reservations[0].Instances[0].State.Name", Type: String}
              - name: Broken
                action: aws:executeAwsApi
                inputs: {Service: ec2, Api: DescribeInstances, InstanceIds: [i-404]}
            """
        ),
        world=world,
    )
    assert result.status == "Failed"
    assert result.step_outputs == {"Describe.Ids": ["i-1", "i-2", "i-3"], "Describe.First": "running"}


def test_system_variables_come_from_the_world(world: World) -> None:
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Say
                action: aws:executeScript
                inputs:
                  Runtime: python3.11
                  Handler: handler
                  InputPayload: {where: "{{ global:ACCOUNT_ID }}/{{ global:REGION }}/{{ global:AWS_PARTITION }}"}
                  Script: |-
                    def handler(events, context):
                        return {"where": events["where"]}
                outputs: [{Name: Where, Selector: $.Payload.where, Type: String}]
            """
        ),
        world=world,
    )
    assert result.step_outputs["Say.Where"] == "123456789012/us-east-1/aws"


# -- parameters ------------------------------------------------------------------------------------------------

CONSTRAINED = """\
schemaVersion: "0.3"
parameters:
  Name: {type: String, minChars: 3, maxChars: 8, allowedPattern: "^[a-z]+$"}
  Mode: {type: String, allowedValues: [fast, slow], default: fast}
  Count: {type: Integer, default: 1}
  Ids: {type: StringList, maxItems: 2, default: []}
  On: {type: Boolean, default: false}
mainSteps:
  - name: Only
    action: aws:sleep
    inputs: {Duration: PT1S}
"""


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "Name"),
        ({"Name": "ab"}, "minChars"),
        ({"Name": "abcdefghi"}, "maxChars"),
        ({"Name": "ABC"}, "allowedPattern"),
        ({"Name": "abc", "Mode": "medium"}, "allowedValues"),
        ({"Name": "abc", "Count": "1"}, "Integer"),
        ({"Name": "abc", "Count": 1.5}, "Integer"),
        ({"Name": "abc", "On": "true"}, "Boolean"),
        ({"Name": "abc", "Ids": ["a", "b", "c"]}, "maxItems"),
        ({"Name": "abc", "Extra": "x"}, "not declared"),
    ],
)
def test_parameters_are_checked_before_the_first_step(world: World, params: dict[str, Any], words: str) -> None:
    with pytest.raises(SimulationError) as caught:
        simulate(doc(CONSTRAINED), params, world)
    assert caught.value.code == "InvalidAutomationExecutionParametersException"
    assert words in str(caught.value)


def test_defaults_fill_the_rest(world: World) -> None:
    assert simulate(doc(CONSTRAINED), {"Name": "abc"}, world).status == "Success"


# -- time ------------------------------------------------------------------------------------------------------


def test_wait_for_runs_on_the_simulated_clock_with_bounded_polls(world: World) -> None:
    Ec2(world, {"i-1": "stopped"})
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Wait
                action: aws:waitForAwsResourceProperty
                timeoutSeconds: 3600
                inputs:
                  Service: ec2
                  Api: DescribeInstances
                  InstanceIds: [i-1]
                  PropertySelector: "$.Reservations[0].Instances[0].State.Name"
                  DesiredValues: [running]
            """
        ),
        world=world,
    )
    assert statuses(result) == [("Wait", "TimedOut")]
    assert result.status == "TimedOut"
    assert 10 < len(result.calls) < 200


def test_a_step_longer_than_its_timeout_times_out(world: World) -> None:
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Nap
                action: aws:sleep
                timeoutSeconds: 60
                inputs: {Duration: PT2H}
            """
        ),
        world=world,
    )
    assert (result.status, statuses(result)) == ("TimedOut", [("Nap", "TimedOut")])


# -- actions ---------------------------------------------------------------------------------------------------


def test_assert_property_passes_and_fails(world: World) -> None:
    Ec2(world)
    text = """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Check
            action: aws:assertAwsResourceProperty
            inputs:
              Service: ec2
              Api: DescribeInstances
              InstanceIds: [i-1]
              PropertySelector: "$.Reservations[0].Instances[0].State.Name"
              DesiredValues: [WANT]
        """
    assert simulate(doc(text.replace("WANT", "running")), world=world).status == "Success"
    failed = simulate(doc(text.replace("WANT", "stopped")), world=world)
    assert failed.status == "Failed" and "running" in (failed.steps[0].failure_message or "")


@pytest.mark.parametrize(
    ("condition", "goes_to"),
    [
        ('{Variable: "{{ Name }}", StringEquals: main}', "Yes"),
        ('{Variable: "{{ Name }}", EqualsIgnoreCase: MAIN}', "Yes"),
        ('{Variable: "{{ Name }}", StartsWith: ma}', "Yes"),
        ('{Variable: "{{ Name }}", EndsWith: in}', "Yes"),
        ('{Variable: "{{ Name }}", Contains: ai}', "Yes"),
        ('{Variable: "{{ Count }}", NumericEquals: 3}', "Yes"),
        ('{Variable: "{{ Count }}", NumericGreater: 3}', "No"),
        ('{Variable: "{{ Count }}", NumericLesser: 4}', "Yes"),
        ('{Variable: "{{ Count }}", NumericGreaterOrEquals: 3}', "Yes"),
        ('{Variable: "{{ Count }}", NumericLesserOrEquals: 2}', "No"),
        ('{Variable: "{{ On }}", BooleanEquals: true}', "Yes"),
        ('{And: [{Variable: "{{ On }}", BooleanEquals: true}, {Variable: "{{ Count }}", NumericEquals: 4}]}', "No"),
        ('{Or: [{Variable: "{{ On }}", BooleanEquals: false}, {Variable: "{{ Count }}", NumericEquals: 3}]}', "Yes"),
        ('{Not: {Variable: "{{ Name }}", StringEquals: main}}', "No"),
    ],
)
def test_branch_operators(world: World, condition: str, goes_to: str) -> None:
    text = f"""\
        schemaVersion: "0.3"
        parameters:
          Name: {{type: String, default: main}}
          Count: {{type: Integer, default: 3}}
          On: {{type: Boolean, default: true}}
        mainSteps:
          - name: Decide
            action: aws:branch
            inputs:
              Choices:
                - {{NextStep: "Yes", {condition[1:-1]}}}
              Default: "No"
          - name: "Yes"
            action: aws:sleep
            isEnd: true
            inputs: {{Duration: PT1S}}
          - name: "No"
            action: aws:sleep
            inputs: {{Duration: PT1S}}
        """
    result = simulate(doc(text), world=world)
    assert [step.name for step in result.steps] == ["Decide", goes_to]


def test_approve_and_reject(world: World) -> None:
    text = """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Ask
            action: aws:approve
            inputs: {Approvers: ["arn:aws:iam::123456789012:role/Boss"]}
          - name: Act
            action: aws:sleep
            inputs: {Duration: PT1S}
        """
    approved = simulate(doc(text), world=world)
    assert approved.status == "Success" and approved.step_outputs["Ask.ApprovalStatus"] == "Approved"
    rejected = simulate(doc(text), world=world, approve=False)
    assert (rejected.status, statuses(rejected)) == ("Failed", [("Ask", "Failed")])


def test_pause_resumes_or_times_out(world: World) -> None:
    text = """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Hold
            action: aws:pause
            timeoutSeconds: 600
            inputs: {}
        """
    assert simulate(doc(text), world=world).status == "Success"
    assert simulate(doc(text), world=world, options=Options(resume=False)).status == "TimedOut"


def test_loop_over_iterators_and_with_a_condition(world: World) -> None:
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            parameters:
              Names: {type: StringList, default: [a, b, c]}
            variables:
              Seen: {type: String, default: ""}
              Count: {type: Integer, default: 0}
            mainSteps:
              - name: Each
                action: aws:loop
                inputs:
                  Iterators: "{{ Names }}"
                  Steps:
                    - name: Add
                      action: aws:updateVariable
                      inputs: {Name: "variable:Seen", Value: "{{ variable:Seen }}{{ Each.CurrentIteratorValue }}"}
              - name: Until
                action: aws:loop
                inputs:
                  MaxIterations: 10
                  LoopCondition: {Variable: "{{ Until.CurrentIteration }}", NumericLesser: 4}
                  Steps:
                    - name: Tick
                      action: aws:sleep
                      inputs: {Duration: PT1S}
              - name: Report
                action: aws:executeScript
                inputs:
                  Runtime: python3.11
                  Handler: handler
                  InputPayload: {seen: "{{ variable:Seen }}", ticks: "{{ Until.CurrentIteration }}"}
                  Script: "def handler(events, context):\\n    return events\\n"
                outputs: [{Name: All, Selector: $.Payload, Type: StringMap}]
            """
        ),
        world=world,
    )
    assert result.status == "Success", result.steps
    assert result.step_outputs["Report.All"] == {"seen": "abc", "ticks": 4}
    assert [step.name for step in result.steps].count("Tick") == 4


def test_execute_automation_runs_a_child_document(world: World) -> None:
    child = doc(
        """\
        schemaVersion: "0.3"
        parameters:
          Greeting: {type: String}
        mainSteps:
          - name: Echo
            action: aws:executeScript
            inputs:
              Runtime: python3.11
              Handler: handler
              InputPayload: {g: "{{ Greeting }}"}
              Script: "def handler(events, context):\\n    return events['g']\\n"
            outputs: [{Name: Said, Selector: $.Payload, Type: String}]
        outputs: [Echo.Said]
        """
    )
    parent = doc(
        """\
        schemaVersion: "0.3"
        mainSteps:
          - name: Child
            action: aws:executeAutomation
            inputs: {DocumentName: Greeter, RuntimeParameters: {Greeting: hello}}
        """
    )
    result = simulate(parent, world=world, options=Options(documents={"Greeter": child}.get))
    assert result.status == "Success"
    assert result.step_outputs["Child.Status"] == "Success"
    assert result.step_outputs["Child.Output"] == ["Echo.Said=hello"]
    missing = simulate(parent, world=world, options=Options(documents={}.get))
    assert missing.status == "Failed" and "neither" in (missing.steps[0].failure_message or "")


def test_an_operation_no_owner_implements_fails_naming_the_operation(world: World) -> None:
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Read
                action: aws:executeAwsApi
                inputs: {Service: waf, Api: GetWebACL, WebACLId: acl-1}
            """
        ),
        world=world,
    )
    assert result.status == "Failed"
    message = result.steps[0].failure_message or ""
    assert "NotModeledByFakeWorld" in message and "neither the fakes nor moto implement waf GetWebACL" in message


def test_the_same_inputs_give_the_same_json(world: World) -> None:
    first = simulate(doc(LOOP_BY_NEXT_STEP), world=world).to_json()
    assert first == simulate(doc(LOOP_BY_NEXT_STEP), world=World.default()).to_json()


def test_the_world_passed_in_is_never_changed(world: World) -> None:
    before = world.to_dict()
    result = simulate("cloudtrail-remediation-action", RUNBOOK_PARAMS, world)
    assert world.to_dict() == before
    assert result.world is not None and result.world.to_dict() != before


def test_timestamps_reach_selectors_as_text_and_a_bad_selector_fails_the_step(world: World) -> None:
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Status
                action: aws:executeAwsApi
                inputs: {Service: cloudtrail, Api: GetTrailStatus, Name: main}
                outputs:
                  - {Name: Stopped, Selector: $.StopLoggingTime, Type: String}
              - name: Broken
                action: aws:executeAwsApi
                inputs: {Service: cloudtrail, Api: GetTrailStatus, Name: main}
                outputs:
                  - {Name: Nothing, Selector: "$.[", Type: String}
            """
        ),
        world=world,
    )
    assert result.step_outputs["Status.Stopped"].startswith("2025-12-31T00:00:00")
    assert result.steps[1].status == "Failed" and "selector" in (result.steps[1].failure_message or "")


INTEGRATIONS = [
    ("aws:changeInstanceState", {"InstanceIds": ["i-1"], "DesiredState": "stopped"}, ("ec2", "StopInstances")),
    ("aws:createImage", {"InstanceId": "i-1", "ImageName": "img"}, ("ec2", "CreateImage")),
    ("aws:copyImage", {"SourceImageId": "ami-1", "SourceRegion": "us-east-1", "ImageName": "c"}, ("ec2", "CopyImage")),
    ("aws:createTags", {"ResourceIds": ["i-1"], "Tags": [{"Key": "k", "Value": "v"}]}, ("ec2", "CreateTags")),
    ("aws:deleteImage", {"ImageId": "ami-1"}, ("ec2", "DeregisterImage")),
    ("aws:runInstances", {"ImageId": "ami-1"}, ("ec2", "RunInstances")),
    ("aws:createStack", {"StackName": "s", "TemplateBody": "{}"}, ("cloudformation", "CreateStack")),
    ("aws:deleteStack", {"StackName": "s"}, ("cloudformation", "DeleteStack")),
    ("aws:invokeLambdaFunction", {"FunctionName": "fn"}, ("lambda", "Invoke")),
    (
        "aws:executeStateMachine",
        {"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m"},
        ("stepfunctions", "StartExecution"),
    ),
    ("aws:runCommand", {"DocumentName": "AWS-RunShellScript", "InstanceIds": ["i-1"]}, ("ssm", "SendCommand")),
]


@pytest.mark.parametrize(("action", "inputs", "call"), INTEGRATIONS, ids=[case[0] for case in INTEGRATIONS])
def test_integration_actions_call_the_backend_and_a_registered_handler_answers(
    world: World, action: str, inputs: dict[str, Any], call: tuple[str, str]
) -> None:
    seen: list[dict[str, Any]] = []

    def answer(params: dict[str, Any]) -> dict[str, Any]:
        seen.append(params)
        return {"ImageId": "ami-2", "StackId": "stack-1", "StatusCode": 200, "Instances": [{"InstanceId": "i-9"}]}

    world.register(*call, answer)
    data = {"schemaVersion": "0.3", "mainSteps": [{"name": "Act", "action": action, "inputs": inputs}]}
    result = simulate(data, world=world)
    assert result.status == "Success", result.steps
    assert (result.calls[0].service, result.calls[0].operation) == call and seen
    answered = simulate(data, world=World.default())  # by the service's owner: moto, or the fakes (ssm)
    assert (answered.calls[0].service, answered.calls[0].operation) == call
    if call == ("ssm", "SendCommand"):  # modelled by the fakes: the default world has no managed instance
        assert answered.calls[0].error == "InvalidInstanceId"
    elif call[0] in SERVICES:  # an owned service's operation the fakes do not model: refused, naming it
        assert answered.calls[0].error == "NotModeledByFakeWorld"
        assert call[1] in (answered.steps[0].failure_message or "")
    else:
        assert all(made.error != "NotModeledByFakeWorld" for made in answered.calls)


def test_invoke_webhook_never_leaves_the_machine(world: World) -> None:
    data = {
        "schemaVersion": "0.3",
        "mainSteps": [{"name": "Hook", "action": "aws:invokeWebhook", "inputs": {"IntegrationName": "x"}}],
    }
    result = simulate(data, world=world)
    assert result.status == "Failed" and "external" in (result.steps[0].failure_message or "")


def test_moto_answers_what_the_fake_world_does_not_model(world: World) -> None:
    data = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Make",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "sqs", "Api": "CreateQueue", "QueueName": "q"},
            },
            {
                "name": "List",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "sqs", "Api": "ListQueues"},
                "outputs": [{"Name": "Urls", "Selector": "$.QueueUrls", "Type": "StringList"}],
            },
        ],
    }
    result = simulate(data, world=world)
    assert result.status == "Success", result.steps
    assert len(result.step_outputs["List.Urls"]) == 1 and result.step_outputs["List.Urls"][0].endswith("/q")
    again = simulate(data, world=world)  # the world passed in never changes: its moto state is as it was
    assert len(again.step_outputs["List.Urls"]) == 1
    assert result.world is not None
    after = simulate(data, world=result.world)  # the world after the run holds the queue: creating it again is
    assert after.status == "Success"  # idempotent in SQS, and listing finds one queue
    assert after.step_outputs["List.Urls"] == result.step_outputs["List.Urls"]
