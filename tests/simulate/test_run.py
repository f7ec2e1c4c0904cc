"""One execution (toolkit.simulate.run): its system variables. Time-valued ones are taken when the step runs, from
the simulated clock; every execution, each child automation included, has its own id, the same in every run.

Sources: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html ("System variable
referenced within step definition": "The value of a time variable injected at step 1 will be different to the value
injected at step 3"; ``automation:EXECUTION_ID`` is "the unique identifier assigned to the current automation
execution") and https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAutomation.html
(the ``ExecutionId`` output: "The execution ID of the secondary execution").
"""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime
from typing import Any

from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.simulate.run import EXECUTION_ID, child_execution_id
from toolkit.source import read_data

UUID = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def doc(text: str) -> dict[str, Any]:
    data, _ = read_data(textwrap.dedent(text), file="test.yaml")
    return data


CLOCKED = doc(
    """\
    schemaVersion: "0.3"
    mainSteps:
      - name: Before
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: handler
          InputPayload: {at: "{{ global:DATE_TIME }}", day: "{{ global:DATE }}", name: "x-{{ global:DATE }}"}
          Script: "def handler(events, context):\\n    return events\\n"
        outputs:
          - {Name: At, Selector: $.Payload.at, Type: String}
          - {Name: Day, Selector: $.Payload.day, Type: String}
      - name: Nap
        action: aws:sleep
        inputs: {Duration: PT26H}
      - name: After
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: handler
          InputPayload: {at: "{{ global:DATE_TIME }}", day: "{{ global:DATE }}", name: "x-{{ global:DATE }}"}
          Script: "def handler(events, context):\\n    return events\\n"
        outputs:
          - {Name: At, Selector: $.Payload.at, Type: String}
          - {Name: Day, Selector: $.Payload.day, Type: String}
          - {Name: Name, Selector: $.Payload.name, Type: String}
    """
)


def test_time_variables_are_taken_when_the_step_runs() -> None:
    result = simulate(CLOCKED, world=World.default())
    assert result.status == "Success", result.steps
    assert (result.step_outputs["Before.At"], result.step_outputs["Before.Day"]) == (
        "2026-01-01_00.00.00",
        "2026-01-01",
    )
    assert (result.step_outputs["After.At"], result.step_outputs["After.Day"]) == ("2026-01-02_02.00.00", "2026-01-02")
    assert result.step_outputs["After.Name"] == "x-2026-01-02"


def test_time_variables_move_from_the_given_start() -> None:
    start = datetime(2027, 6, 30, 23, 0, 0, tzinfo=UTC)
    result = simulate(CLOCKED, world=World.default(), options=Options(start=start))
    assert result.step_outputs["Before.At"] == "2027-06-30_23.00.00"
    assert result.step_outputs["After.At"] == "2027-07-02_01.00.00"


def test_a_time_variable_in_a_loop_reads_each_iterations_time() -> None:
    result = simulate(
        doc(
            """\
            schemaVersion: "0.3"
            mainSteps:
              - name: Walk
                action: aws:loop
                inputs:
                  Iterators: [a, b]
                  Steps:
                    - name: Wait
                      action: aws:sleep
                      inputs: {Duration: PT1H}
                    - name: Stamp
                      action: aws:executeScript
                      inputs:
                        Runtime: python3.11
                        Handler: handler
                        InputPayload: {at: "{{ global:DATE_TIME }}"}
                        Script: "def handler(events, context):\\n    return events['at']\\n"
                      outputs: [{Name: At, Selector: $.Payload, Type: String}]
            """
        ),
        world=World.default(),
    )
    stamps = [step.outputs["At"] for step in result.steps if step.name == "Stamp"]
    assert stamps == ["2026-01-01_01.00.00", "2026-01-01_02.00.00"]


# -- execution ids ---------------------------------------------------------------------------------------------

GRANDCHILD = doc(
    """\
    schemaVersion: "0.3"
    mainSteps:
      - name: Echo
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: handler
          InputPayload: {id: "{{ automation:EXECUTION_ID }}"}
          Script: "def handler(events, context):\\n    return events\\n"
        outputs: [{Name: Id, Selector: $.Payload.id, Type: String}]
    outputs: [Echo.Id]
    """
)
CHILD = doc(
    """\
    schemaVersion: "0.3"
    mainSteps:
      - name: Echo
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: handler
          InputPayload: {id: "{{ automation:EXECUTION_ID }}"}
          Script: "def handler(events, context):\\n    return events\\n"
        outputs: [{Name: Id, Selector: $.Payload.id, Type: String}]
      - name: Grandchild
        action: aws:executeAutomation
        inputs: {DocumentName: Grandchild}
    outputs: [Echo.Id, Grandchild.ExecutionId]
    """
)
PARENT = doc(
    """\
    schemaVersion: "0.3"
    mainSteps:
      - name: First
        action: aws:executeAutomation
        inputs: {DocumentName: Child}
      - name: Second
        action: aws:executeAutomation
        inputs: {DocumentName: Child}
      - name: Echo
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: handler
          InputPayload: {id: "{{ automation:EXECUTION_ID }}"}
          Script: "def handler(events, context):\\n    return events\\n"
        outputs: [{Name: Id, Selector: $.Payload.id, Type: String}]
    """
)
FAMILY = Options(documents={"Child": CHILD, "Grandchild": GRANDCHILD}.get)


def _reported(output: list[str]) -> dict[str, str]:
    return dict(line.split("=", 1) for line in output)


def test_every_execution_has_its_own_id_and_sees_it() -> None:
    result = simulate(PARENT, world=World.default(), options=FAMILY)
    assert result.status == "Success", result.steps
    assert result.step_outputs["Echo.Id"] == EXECUTION_ID  # the top-level id is as before
    first, second = result.step_outputs["First.ExecutionId"], result.step_outputs["Second.ExecutionId"]
    inside_first, inside_second = (
        _reported(result.step_outputs["First.Output"]),
        _reported(result.step_outputs["Second.Output"]),
    )
    assert inside_first["Echo.Id"] == first  # {{ automation:EXECUTION_ID }} inside the child is the child's own
    assert inside_second["Echo.Id"] == second
    grandchildren = [inside_first["Grandchild.ExecutionId"], inside_second["Grandchild.ExecutionId"]]
    ids = [EXECUTION_ID, first, second, *grandchildren]
    assert len(set(ids)) == len(ids)
    assert all(UUID.match(execution_id) for execution_id in ids)


def test_execution_ids_are_the_same_in_every_run() -> None:
    first = simulate(PARENT, world=World.default(), options=FAMILY)
    again = simulate(PARENT, world=World.default(), options=FAMILY)
    assert first.to_json() == again.to_json()
    assert first.step_outputs["First.ExecutionId"] == child_execution_id(EXECUTION_ID, 1)
    assert first.step_outputs["Second.ExecutionId"] == child_execution_id(EXECUTION_ID, 2)


def test_child_ids_are_uuids_derived_from_the_parent_and_the_ordinal() -> None:
    ids = {
        child_execution_id(parent, ordinal)
        for parent in (EXECUTION_ID, child_execution_id(EXECUTION_ID, 1))
        for ordinal in range(1, 201)
    }
    assert len(ids) == 400
    assert EXECUTION_ID not in ids
    assert all(UUID.match(execution_id) for execution_id in ids)
