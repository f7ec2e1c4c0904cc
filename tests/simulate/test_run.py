"""One execution (toolkit.simulate.run): its system variables. Time-valued ones are taken when the step runs, from
the simulated clock.

Source: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html ("System variable
referenced within step definition": "The value of a time variable injected at step 1 will be different to the value
injected at step 3").
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from typing import Any

from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.source import read_data


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
    assert (result.outputs["Before.At"], result.outputs["Before.Day"]) == ("2026-01-01_00.00.00", "2026-01-01")
    assert (result.outputs["After.At"], result.outputs["After.Day"]) == ("2026-01-02_02.00.00", "2026-01-02")
    assert result.outputs["After.Name"] == "x-2026-01-02"


def test_time_variables_move_from_the_given_start() -> None:
    start = datetime(2027, 6, 30, 23, 0, 0, tzinfo=UTC)
    result = simulate(CLOCKED, world=World.default(), options=Options(start=start))
    assert result.outputs["Before.At"] == "2027-06-30_23.00.00"
    assert result.outputs["After.At"] == "2027-07-02_01.00.00"


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
