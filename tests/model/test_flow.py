"""toolkit.model.flow: the reading of onFailure/onCancel/isEnd spellings, and every kind of edge, as tables;
and ``step: B`` refused the same way by the linter, simulator and model."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from tests.lint.helpers import HEADER, lint_snippet, where
from tests.model.test_flow_agreement import assert_agree, reference
from toolkit.errors import DefinitionError, SimulationError
from toolkit.load import document_from_data
from toolkit.model.definition import check_definition
from toolkit.model.flow import Handler, Handling, read_flow, read_handler, read_is_end, read_steps
from toolkit.simulate.simulator import plan_of as compile_document
from toolkit.source import read_data


@pytest.mark.parametrize(
    ("value", "cancel", "expected"),
    [
        (None, False, Handler(Handling.ABORT)),
        ("Abort", False, Handler(Handling.ABORT)),
        ("Continue", False, Handler(Handling.CONTINUE)),
        ("step:B", False, Handler(Handling.JUMP, "B")),
        ("step:Clean_up2", True, Handler(Handling.JUMP, "Clean_up2")),
        ("step: B", False, Handler(Handling.MALFORMED)),
        ("step:B ", False, Handler(Handling.MALFORMED)),
        (" step:B", False, Handler(Handling.MALFORMED)),
        ("step:", False, Handler(Handling.MALFORMED)),
        ("step:Bad-Name", False, Handler(Handling.MALFORMED)),
        ("Step:B", False, Handler(Handling.MALFORMED)),
        ("abort", False, Handler(Handling.MALFORMED)),
        ("continue", False, Handler(Handling.MALFORMED)),
        ("Abort ", False, Handler(Handling.MALFORMED)),
        ("Continue", True, Handler(Handling.MALFORMED)),
        (3, False, Handler(Handling.MALFORMED)),
    ],
)
def test_on_failure_and_on_cancel_spellings(value: Any, cancel: bool, expected: Handler) -> None:
    assert read_handler(value, cancel=cancel) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), (" True ", True), ("TRUE", True), (False, False), ("false", False), (None, False),
     ("{{ End }}", False), ("yes", False), (1, False)],
)  # fmt: skip
def test_is_end_spellings(value: Any, expected: bool) -> None:
    assert read_is_end(value) is expected


def sleep(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "action": "aws:sleep", "inputs": {"Duration": "PT1S"}, **fields}


def branch(name: str, *targets: str, default: str | None = None, **fields: Any) -> dict[str, Any]:
    choices = [{"NextStep": target, "Variable": "{{ Mode }}", "StringEquals": target} for target in targets]
    inputs: dict[str, Any] = {"Choices": choices, **({"Default": default} if default else {})}
    return {"name": name, "action": "aws:branch", "inputs": inputs, **fields}


def loop(name: str, *body: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": name, "action": "aws:loop", "inputs": {"MaxIterations": 2, "Steps": list(body)}, **fields}


M = ("mainSteps",)
BODY = ("mainSteps", 0, "inputs", "Steps")

CASES: dict[str, tuple[list[Any], set[tuple[Any, ...]]]] = {
    "fall-through and last step to end": (
        [sleep("A"), sleep("B")],
        {(M, "A", "B", "success"), (M, "B", "END", "success"), (M, "A", "END", "abort"), (M, "B", "END", "abort")},
    ),
    "nextStep backwards, isEnd": (
        [sleep("A", isEnd=True), sleep("B", nextStep="A")],
        {(M, "A", "END", "success"), (M, "B", "A", "success"), (M, "A", "END", "abort"), (M, "B", "END", "abort")},
    ),
    "isEnd as text": (
        [sleep("A", isEnd="true"), sleep("B")],
        {(M, "A", "END", "success"), (M, "B", "END", "success"), (M, "A", "END", "abort"), (M, "B", "END", "abort")},
    ),
    "nextStep wins over isEnd": (
        [sleep("A", isEnd=True, nextStep="B"), sleep("B")],
        {(M, "A", "B", "success"), (M, "B", "END", "success"), (M, "A", "END", "abort"), (M, "B", "END", "abort")},
    ),
    "onFailure Continue, step:X, onCancel": (
        [sleep("A", onFailure="Continue"), sleep("B", onFailure="step:A", onCancel="step:A")],
        {(M, "A", "B", "success"), (M, "A", "B", "failure"), (M, "B", "END", "success"), (M, "B", "A", "failure"),
         (M, "B", "A", "cancel")},
    ),
    "onFailure Continue on the last step ends the list": (
        [sleep("A", onFailure="Continue")],
        {(M, "A", "END", "success"), (M, "A", "END", "failure")},
    ),
    "branch choices and Default (own flow ignored)": (
        [branch("A", "B", "C", default="C", nextStep="B"), sleep("B"), sleep("C")],
        {(M, "A", "B", "success"), (M, "A", "C", "success"), (M, "B", "C", "success"), (M, "C", "END", "success"),
         (M, "A", "END", "abort"), (M, "B", "END", "abort"), (M, "C", "END", "abort")},
    ),
    "branch without Default goes on by its own flow": (
        [branch("A", "C", isEnd=True), sleep("B"), sleep("C")],
        {(M, "A", "C", "success"), (M, "A", "END", "success"), (M, "B", "C", "success"), (M, "C", "END", "success"),
         (M, "A", "END", "abort"), (M, "B", "END", "abort"), (M, "C", "END", "abort")},
    ),
    "loop: iterate, body flow, back to the loop step, the loop's own flow leaves": (
        [loop("L", sleep("X"), sleep("Y", onFailure="step:X")), sleep("Z")],
        {(M, "L", "X", "loop"), (BODY, "X", "Y", "success"), (BODY, "Y", "END", "success"),
         (BODY, "Y", "X", "failure"), (BODY, "X", "END", "abort"), (M, "L", "Z", "success"),
         (M, "L", "END", "abort"), (M, "Z", "END", "success"), (M, "Z", "END", "abort")},
    ),
    "a jump out of a loop body is missing (jumps stay in their list)": (
        [loop("L", sleep("X", nextStep="Z")), sleep("Z")],
        {(M, "L", "X", "loop"), (BODY, "X", "?Z", "success"), (BODY, "X", "END", "abort"), (M, "L", "Z", "success"),
         (M, "L", "END", "abort"), (M, "Z", "END", "success"), (M, "Z", "END", "abort")},
    ),
    "step: B is misspelt, not a jump to B": (
        [sleep("A", onFailure="step: B"), sleep("B")],
        {(M, "A", "B", "success"), (M, "A", "?", "failure"), (M, "B", "END", "success"), (M, "B", "END", "abort")},
    ),
    "a duplicated name resolves to its first step": (
        [sleep("A", nextStep="B"), sleep("B", isEnd=True), sleep("B")],
        {(M, "A", "B", "success"), (M, "B", "END", "success"), (M, "A", "END", "abort"), (M, "B", "END", "abort")},
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_edges_of_each_kind(case: str) -> None:
    steps, expected = CASES[case]
    data = {"schemaVersion": "0.3", "parameters": {"Mode": {"type": "String"}}, "mainSteps": steps}
    assert reference(read_flow(data)) == expected
    assert_agree(data, json.dumps(data))


def test_broken_steps_read_without_crashing() -> None:
    steps = read_steps(["text", {"name": 3, "nextStep": ["x"], "onFailure": {}, "isEnd": "maybe"}, {"action": 5}])
    assert steps.skipped == (0,)
    assert [step.name for step in steps.steps] == [None, None]
    assert steps.steps[0].on_failure == Handler(Handling.MALFORMED)
    assert [step for step, _ in steps.problems()] == [steps.steps[0]]
    assert read_steps({"not": "a list"}).steps == ()


STEP_SPACE_B = """\
mainSteps:
  - name: A
    action: aws:sleep
    inputs:
      Duration: PT1S
    onFailure: 'step: B'
  - name: B
    action: aws:sleep
    inputs:
      Duration: PT1S
"""


def test_step_space_b_is_refused_by_every_consumer() -> None:
    """AWS's schema (``step:\\w+``) refuses ``step: B``: the linter reports it where it is written, the simulator
    refuses the document, the model raises, and the drawer draws no failure edge for it."""
    text = HEADER + STEP_SPACE_B
    findings = lint_snippet(text, "E")
    assert where(findings) == [("E0010", 13, 16)]
    assert "onFailure of step A must be Abort, Continue or step:NAME, not the string 'step: B'" in findings[0].message
    data, _ = read_data(text, file="doc.yaml")
    with pytest.raises(SimulationError, match="onFailure 'step: B' is not Abort, Continue or step:NAME") as err:
        compile_document(data)
    assert err.value.code == "InvalidDocument"
    with pytest.raises(DefinitionError, match="onFailure must be Abort, Continue or step:<name>"):
        check_definition(document_from_data(data, name="SpaceB"))


@pytest.mark.parametrize("spelling", ["step:B", "step: B", "step:B ", "abort", "Continue", "step:Bad-Name"])
def test_the_schema_accepts_exactly_the_spellings_the_flow_reading_accepts(spelling: str) -> None:
    text = HEADER + textwrap.dedent(STEP_SPACE_B).replace("'step: B'", repr(spelling)).replace("onFailure", "onCancel")
    schema_errors = [finding for finding in lint_snippet(text, "E0") if "onCancel" in finding.message]
    accepted = read_handler(spelling, cancel=True).handling is not Handling.MALFORMED
    assert bool(schema_errors) is not accepted
