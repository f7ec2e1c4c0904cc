"""The four consumers of a document's flow (linter, drawer, simulator, model) read it the same way.

Each consumer's edges are mapped to one common form, ``(list path, source step, target step or END, class)``,
and compared with ``toolkit.model.flow``'s reading and so with each other, on every corpus document and on
generated ones. A consumer that stops using the shared reading (or reads a spelling its own way) fails here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import corpus_files
from toolkit.diagram import graph as drawing
from toolkit.errors import DefinitionError, LoadError, SimulationError
from toolkit.lint.context import LintDocument
from toolkit.lint.rules.flow import MissingJumpTarget
from toolkit.load import document_from_data
from toolkit.model.definition import check_definition
from toolkit.model.flow import END, MISSING, EdgeKind, Path, StepList, field_text, read_flow
from toolkit.simulate.execution import ABORT, StepPlan
from toolkit.simulate.simulator import plan_of as compile_document
from toolkit.source import read_data

Key = tuple[Path, str, str, str]

CLASSES = {
    EdgeKind.FLOW: "success",
    EdgeKind.CHOICE: "success",
    EdgeKind.DEFAULT: "success",
    EdgeKind.LOOP_BACK: "success",
    EdgeKind.FAILURE: "failure",
    EdgeKind.ABORT_END: "abort",
    EdgeKind.CANCEL: "cancel",
    EdgeKind.LOOP: "loop",
}


def _label(steps: StepList, index: int) -> str:
    step = steps.steps[index]
    return step.name if step.name is not None else f"#{step.position}"


def reference(reading: StepList) -> set[Key]:
    """The flow module's edges in the common form; a missing target is ``?name`` (``?`` when malformed)."""
    lists = {steps.path: steps for steps in reading.lists()}
    found: set[Key] = set()
    for steps in reading.lists():
        for edges in steps.edges:
            for edge in edges:
                source = _label(steps, edge.source)
                if edge.kind is EdgeKind.LOOP:
                    assert edge.target_list is not None
                    target = _label(lists[edge.target_list], edge.target)
                elif edge.target == END:
                    target = "END"
                elif edge.target == MISSING:
                    target = f"?{edge.name or ''}"
                else:
                    target = _label(steps, edge.target)
                found.add((steps.path, source, target, CLASSES[edge.kind]))
    return found


def flow_broken(reading: StepList) -> bool:
    """What makes a document unusable to SSM in its flow: an item that is not a step, a step without a name, a
    jump that names no step of its list or is misspelt."""
    return any(
        steps.skipped or steps.problems() or any(step.name is None for step in steps.steps) for steps in reading.lists()
    )


# -- each consumer, in the common form -----------------------------------------------------------------------


def linter_edges(doc: LintDocument) -> set[Key]:
    """The linter's graphs: normal edges (success and handled failure) and abnormal ones (abort, cancel)."""
    found: set[Key] = set()
    for scope, steps in doc.step_lists.items():
        sites = doc.scope_steps(scope)
        assert [site.path for site in sites] == [step.path for step in steps.steps]
        graph = doc.flow(scope)
        for kind, table in (("normal", graph.normal), ("abnormal", graph.abnormal)):
            for source, targets in table.items():
                for target in targets:
                    name = "END" if target == END else _label(steps, target)
                    found.add((scope, _label(steps, source), name, kind))
    return found


def linter_missing(doc: LintDocument) -> set[tuple[Path, ...]]:
    return {problem.path for problem in MissingJumpTarget().check(doc)}


def as_linter(keys: set[Key]) -> set[Key]:
    normal = {"success", "failure"}
    return {
        (path, source, target, "normal" if kind in normal else "abnormal")
        for path, source, target, kind in keys
        if kind != "loop" and not target.startswith("?")
    }


def reference_missing(reading: StepList) -> set[tuple[Path, ...]]:
    return {
        (*step.path, *jump.field)
        for steps in reading.lists()
        for step, jump in steps.problems()
        if jump.name is not None
    }


def drawer_edges(graph: drawing.Graph, reading: StepList) -> set[Key]:
    """The diagram's edges, node ids mapped back to (list, step)."""
    where: dict[str, tuple[Path, str]] = {}

    def index(steps: StepList, prefix: str) -> None:
        for position, step in enumerate(steps.steps):
            node_id = f"{prefix}_{step.position}"
            where[node_id] = (steps.path, _label(steps, position))
            if step.body is not None:
                index(step.body, node_id)

    index(reading, "s")
    found: set[Key] = set()
    for edge in graph.edges:
        if edge.source == drawing.START:
            continue
        path, source = where[edge.source]
        if edge.back or edge.target == drawing.END:
            target = "END"
        elif edge.target.startswith("m_"):
            target = f"?{graph.node(edge.target).name}"
        else:
            target = where[edge.target][1]
        kind = {
            drawing.EdgeKind.FAILURE: "failure",
            drawing.EdgeKind.CANCEL: "cancel",
            drawing.EdgeKind.LOOP: "loop",
        }.get(edge.kind, "success")
        found.add((path, source, target, kind))
    return found


def as_drawer(keys: set[Key]) -> set[Key]:
    """The drawer leaves aborts implicit and draws no edge for a misspelt onFailure/onCancel."""
    return {key for key in keys if key[3] != "abort" and key[2] != "?"}


def simulator_edges(plans: list[StepPlan], path: Path) -> set[Key]:
    found: set[Key] = set()

    def name(target: int) -> str:
        return "END" if target == END else plans[target].name

    for plan in plans:
        source = plan.name
        if plan.action == "aws:branch" and "problem" not in plan.extra:
            found.update((path, source, name(target), "success") for _, target in plan.extra["choices"])
        elif plan.action == "aws:branch":
            choices = [target for field, target in plan.jumps.items() if "Choices" in field]
            found.update((path, source, name(target), "success") for target in choices)
        default = plan.jumps.get(("inputs", "Default")) if plan.action == "aws:branch" else None
        if default is not None:
            found.add((path, source, name(default), "success"))
        else:
            found.add((path, source, name(plan.next_step), "success"))
        if plan.on_failure == ABORT:
            found.add((path, source, "END", "abort"))
        else:
            found.add((path, source, name(plan.on_failure), "failure"))
        if plan.on_cancel != ABORT:
            found.add((path, source, name(plan.on_cancel), "cancel"))
        body = plan.extra.get("body")
        if body:
            body_path = (*path, plan.index, "inputs", "Steps")
            found.add((path, source, body[0].name, "loop"))
            found |= simulator_edges(body, body_path)
    return found


def model_jumps(data: Mapping[str, Any]) -> Counter[tuple[str, str, str]] | None:
    """(step, field, target) of every ``Step.jump_targets()``; None when the model cannot hold the document."""
    try:
        document = document_from_data(data)
    except (DefinitionError, LoadError):
        return None
    return Counter((step.name, field, target) for step in document.all_steps() for field, target in step.jump_targets())


def reference_jumps(reading: StepList) -> Counter[tuple[str, str, str]]:
    return Counter(
        (str(step.name), field_text(jump.field), jump.name)
        for steps in reading.lists()
        for step, jumps in zip(steps.steps, steps.jumps, strict=True)
        for jump in jumps
        if jump.name is not None
    )


# -- the agreement ------------------------------------------------------------------------------------------


def assert_agree(data: dict[str, Any], text: str) -> None:
    reading = read_flow(data)
    expected = reference(reading)
    _, source = read_data(text, file="doc.json" if text.lstrip().startswith("{") else "doc.yaml")
    lint = LintDocument(source, text)
    assert linter_edges(lint) == as_linter(expected), "the linter reads the flow its own way"
    assert linter_missing(lint) == reference_missing(reading), "the linter reports other missing jumps"

    try:
        plan = compile_document(data)
    except SimulationError as err:
        assert err.code == "InvalidDocument"
        usable = (
            isinstance(data.get("mainSteps"), list)
            and data["mainSteps"]
            and isinstance(data.get("variables") or {}, dict)
        )
        assert flow_broken(reading) or not usable, f"the simulator refuses a document whose flow reads: {err}"
    else:
        assert not flow_broken(reading), "the simulator runs a document whose flow is broken"
        assert simulator_edges(plan.steps, ("mainSteps",)) == expected, "the simulator reads the flow its own way"

    try:
        document = document_from_data(data)
    except (DefinitionError, LoadError):
        return
    assert drawer_edges(drawing.graph_of(document), reading) == as_drawer(expected), "the drawer reads its own way"
    jumps = model_jumps(data)
    assert jumps is not None
    if any(steps.skipped for steps in reading.lists()):
        # The model holds no step of a list with an item that is not a mapping (it keeps the list as loaded).
        assert not jumps - reference_jumps(reading), "the model's jump targets differ"
    else:
        assert jumps == reference_jumps(reading), "the model's jump targets differ"
    if flow_broken(reading):
        with pytest.raises(DefinitionError):
            check_definition(document)


CORPUS = corpus_files()


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_every_consumer_reads_a_corpus_document_the_same_way(path: FilePath) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    data, _ = read_data(text, file=str(path))
    assert_agree(data, text)


# -- generated documents -------------------------------------------------------------------------------------

NAMES = ("A", "B", "C", "D", "E", "F", "G", "H")
ON_FAILURE = (None, "Abort", "Continue", "step:{}", "step:{}")
ON_CANCEL = (None, None, "Abort", "step:{}")
MISSPELT = ("step: {}", "step:{} ", "abort", "continue", "step:", "Continue")
"""Spellings AWS refuses (Continue only for onCancel), drawn now and then."""
IS_END = (None, True, False, "true", " True ", "false")


def _rarely(draw: st.DrawFn) -> bool:
    return draw(st.integers(min_value=0, max_value=11)) == 5  # not 0: hypothesis favours the bounds


@st.composite
def step_lists(draw: st.DrawFn, names: list[str], depth: int = 0) -> list[Any]:
    count = draw(st.integers(min_value=1, max_value=4))
    mine = [names.pop(0) if names else f"X{depth}" for _ in range(count)]

    def target() -> str:
        return "Nowhere" if _rarely(draw) else draw(st.sampled_from(mine))

    steps: list[Any] = []
    for name in mine:
        kind = draw(st.sampled_from(["sleep", "branch", "loop", "sleep", "broken"] if depth < 2 else ["sleep"]))
        step: dict[str, Any] = {"name": name, "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}
        if kind == "branch":
            choices = [
                {"NextStep": target(), "Variable": "{{ Mode }}", "StringEquals": value}
                for value in draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
            ]
            step = {"name": name, "action": "aws:branch", "inputs": {"Choices": choices}}
            if draw(st.booleans()):
                step["inputs"]["Default"] = target()
        elif kind == "loop":
            body = draw(step_lists(names, depth + 1))
            step = {"name": name, "action": "aws:loop", "inputs": {"MaxIterations": 2, "Steps": body}}
        elif kind == "broken" and _rarely(draw):
            steps.append(draw(st.sampled_from(["just text", {"action": "aws:sleep"}, {"name": 7}])))
        if draw(st.booleans()):
            step["nextStep"] = target()
        is_end = draw(st.sampled_from(IS_END))
        if is_end is not None:
            step["isEnd"] = is_end
        on_failure = draw(st.sampled_from(MISSPELT[:-1] if _rarely(draw) else ON_FAILURE))
        if on_failure is not None:
            step["onFailure"] = on_failure.format(target())
        on_cancel = draw(st.sampled_from(MISSPELT if _rarely(draw) else ON_CANCEL))
        if on_cancel is not None and kind != "loop":
            step["onCancel"] = on_cancel.format(target())
        steps.append(step)
    return steps


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    steps = draw(step_lists(list(NAMES)))
    return {
        "schemaVersion": "0.3",
        "description": "generated",
        "parameters": {"Mode": {"type": "String", "default": "a"}},
        "mainSteps": steps,
    }


@given(documents())
def test_every_consumer_reads_a_generated_document_the_same_way(data: dict[str, Any]) -> None:
    assert_agree(data, json.dumps(data, indent=2))
