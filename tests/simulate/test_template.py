"""Input templates (toolkit.simulate.template): a list item that is a whole reference to a list is spliced into its
list, as SSM does, in every action's inputs; the time-valued system variables are read from the clock.

AWS documents the splice on https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html
("Refer to output from previous step": ``"InstanceIds": ["{{LaunchInstance.InstanceIds}}"]``, a StringList
output) and on https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAutomation.html
(``Values: ['{{launchNewWindowsInstance.Output}}']``, a StringList output); AWS-UpdateWindowsAmi writes
``InstanceIds: ["{{ LaunchInstance.InstanceIds }}"]`` in every step after LaunchInstance.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from typing import Any

import pytest

from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.simulate.clock import Clock
from toolkit.simulate.template import Scope, compile_value
from toolkit.source import read_data


def scope(clock: Clock | None = None) -> Scope:
    parameters: dict[str, Any] = {
        "Names": ["main", "audit"],
        "Empty": [],
        "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
        "One": "solo",
        "Map": {"k": "v"},
    }
    return Scope(parameters, {}, {"Seen": ["x", "y"]}, clock=clock or Clock())


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        (["{{ Names }}"], ["main", "audit"]),
        (["{{Names}}"], ["main", "audit"]),
        (["first", "{{ Names }}", "{{ One }}", "last"], ["first", "main", "audit", "solo", "last"]),
        (["{{ Names }}", "{{ variable:Seen }}"], ["main", "audit", "x", "y"]),
        (["{{ Empty }}", "only"], ["only"]),
        (
            ["{{ Tags }}", {"Key": "c", "Value": "3"}],
            [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}, {"Key": "c", "Value": "3"}],
        ),
        (
            {"Filters": [{"Name": "tag:x", "Values": ["{{ Names }}"]}]},
            {"Filters": [{"Name": "tag:x", "Values": ["main", "audit"]}]},
        ),
        ([["{{ Names }}"]], [["main", "audit"]]),
        # Not spliced: a whole reference to something that is not a list, a reference inside a longer string, and
        # a whole reference that is not a list item.
        (["{{ One }}"], ["solo"]),
        (["{{ Map }}"], [{"k": "v"}]),
        (["names: {{ Names }}"], ['names: ["main","audit"]']),
        ("{{ Names }}", ["main", "audit"]),
    ],
)
def test_a_whole_reference_to_a_list_is_spliced_into_its_list(value: Any, rendered: Any) -> None:
    assert compile_value(value)(scope()) == rendered


def test_a_splice_copies_nothing_into_the_plan() -> None:
    template = compile_value(["{{ Names }}", "tail"])
    first = template(scope())
    first.append("changed")
    assert template(scope()) == ["main", "audit", "tail"]


def test_time_variables_are_read_from_the_clock_at_each_lookup() -> None:
    clock = Clock(datetime(2026, 3, 4, 23, 59, 58, tzinfo=UTC))
    template = compile_value("snapshot-{{ global:DATE_TIME }}")
    day = compile_value("{{ global:DATE }}")
    here = scope(clock)
    assert (template(here), day(here)) == ("snapshot-2026-03-04_23.59.58", "2026-03-04")
    clock.advance(3)
    assert (template(here), day(here)) == ("snapshot-2026-03-05_00.00.01", "2026-03-05")


def doc(text: str) -> dict[str, Any]:
    data, _ = read_data(textwrap.dedent(text), file="test.yaml")
    return data


def test_a_string_list_parameter_and_output_fill_an_api_list_as_ssm_passes_them() -> None:
    """The issue's case: ``trailNameList: ["{{ Names }}"]`` reaches CloudTrail as a list of names, from a
    parameter and from a step output (a nested list would be refused by botocore's validation)."""
    world = World.default()
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            parameters:
              Names: {type: StringList, default: [main, audit]}
            mainSteps:
              - name: FromParameter
                action: aws:executeAwsApi
                inputs: {Service: cloudtrail, Api: DescribeTrails, trailNameList: ["{{ Names }}"]}
                outputs:
                  - {Name: Found, Selector: "$.trailList[*].Name", Type: StringList}
              - name: FromOutput
                action: aws:executeAwsApi
                inputs: {Service: cloudtrail, Api: DescribeTrails, trailNameList: ["{{ FromParameter.Found }}"]}
            """
        ),
        world=world,
    )
    assert result.status == "Success", result.steps
    assert result.calls[0].params == {"trailNameList": ["main", "audit"]}
    assert result.calls[1].params == {"trailNameList": result.step_outputs["FromParameter.Found"]}
    assert result.step_outputs["FromParameter.Found"] == ["main"]


def test_every_action_splices_its_list_inputs() -> None:
    """aws:loop iterates over the spliced entries, aws:approve asks every approver of the list, and a child
    automation receives a flat list in its RuntimeParameters."""
    child = doc(
        """\
        schemaVersion: "0.3"
        parameters:
          Ids: {type: StringList}
        mainSteps:
          - name: Count
            action: aws:executeScript
            inputs:
              Runtime: python3.11
              Handler: handler
              InputPayload: {ids: "{{ Ids }}"}
              Script: "def handler(events, context):\\n    return {'ids': events['ids']}\\n"
            outputs: [{Name: Ids, Selector: $.Payload.ids, Type: StringList}]
        outputs: [Count.Ids]
        """
    )
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            parameters:
              Names: {type: StringList, default: [main, audit]}
              Approvers: {type: StringList, default: [alice, bob, carol]}
            mainSteps:
              - name: Walk
                action: aws:loop
                inputs:
                  Iterators: ["{{ Names }}", extra]
                  Steps:
                    - name: Nap
                      action: aws:sleep
                      inputs: {Duration: PT1S}
              - name: Ask
                action: aws:approve
                inputs: {Approvers: ["{{ Approvers }}"], MinRequiredApprovals: 3}
              - name: Child
                action: aws:executeAutomation
                inputs: {DocumentName: Counter, RuntimeParameters: {Ids: ["{{ Names }}"]}}
            """
        ),
        world=World.default(),
        options=Options(documents={"Counter": child}.get),
    )
    assert result.status == "Success", result.steps
    assert [step.name for step in result.steps].count("Nap") == 3
    assert result.step_outputs["Walk.CurrentIteratorValue"] == "extra"
    assert [decision["Approver"] for decision in result.step_outputs["Ask.ApproverDecisions"]] == [
        "alice",
        "bob",
        "carol",
    ]
    assert result.step_outputs["Child.Output"] == ['Count.Ids=["main","audit"]']
