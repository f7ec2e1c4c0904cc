"""The linter's shared analyses made cheaper (issue 19) give what they gave: a step's name, action and inputs read
once, references found by a recursive walk (an explicit stack past the recursion limit, in the same order), a
step's output names and a reference's declared type found once per document."""

from __future__ import annotations

import sys

import pytest

from toolkit.json_types import JSON
from toolkit.lint.context import LintDocument, RefSite, StepSite, _walk_references_deep
from toolkit.lint.rules.references import _outputs, output_names
from toolkit.model.values import Ref
from toolkit.source import read_data

DOCUMENT = """\
schemaVersion: '0.3'
parameters:
  Name: {type: String}
  Names: {type: StringList}
variables:
  Count: {type: Integer}
mainSteps:
  - name: first
    action: aws:executeAwsApi
    inputs:
      Service: ec2
      Api: DescribeInstances
      Filters: [{Name: tag:x, Values: ['{{ Name }}', '{{ Names }}']}, {deep: {er: ['{{ variable:Count }}']}}]
    outputs: [{Name: Ids, Selector: $.x, Type: StringList}]
  - name: 7
    action: [aws:sleep]
    inputs: [Duration]
  - action: aws:loop
    name: loop
    inputs:
      Iterators: '{{ first.Ids }}'
      Steps:
        - {name: inner, action: aws:sleep, inputs: {Duration: '{{ loop.CurrentIteratorValue }} {{ global:REGION }}'}}
outputs: [first.Ids, '{{ loop.CurrentIteration }}']
"""


def _doc(text: str = DOCUMENT) -> LintDocument:
    _, source = read_data(text, file="doc.yaml")
    return LintDocument(source, text, name="doc")


def test_a_step_site_reads_its_name_action_and_inputs_as_the_properties_did() -> None:
    steps = _doc().steps
    assert [(site.name, site.action, site.inputs) for site in steps][1] == (None, None, {})
    for site in steps:
        name, action, inputs = site.data.get("name"), site.data.get("action"), site.data.get("inputs")
        assert site.name == (name if isinstance(name, str) else None)
        assert site.action == (action if isinstance(action, str) else None)
        assert site.inputs == (inputs if isinstance(inputs, dict) else {})
        assert site.label == (f"step {site.name}" if site.name else f"step {site.index + 1}")
    with pytest.raises(AttributeError):
        steps[0].name = "changed"  # type: ignore[misc]
    assert steps[0] == StepSite(steps[0].path, steps[0].data, steps[0].scope, steps[0].index)
    assert steps[0] != steps[2]


def _references_the_old_way(doc: LintDocument) -> list[tuple[object, ...]]:
    """``LintDocument.references`` with the explicit stack only (the walk it had before)."""
    found: list[RefSite] = []
    assume_role = doc.data.get("assumeRole")
    if isinstance(assume_role, str):
        _walk_references_deep(assume_role, ("assumeRole",), None, found)
    for site in doc.steps:
        for key, value in site.inputs.items():
            if key == "Script" or (key == "Steps" and site.action == "aws:loop"):
                continue
            _walk_references_deep(value, (*site.path, "inputs", key), site, found)
    return [(ref.path, ref.ref, ref.step, ref.kind) for ref in found]


def test_references_are_found_in_the_same_order_as_by_the_explicit_stack() -> None:
    doc = _doc()
    found = [(ref.path, ref.ref, ref.step, ref.kind) for ref in doc.references if ref.path[0] != "outputs"]
    assert found == _references_the_old_way(doc)
    assert [ref.ref.target for ref in doc.references] == [
        "Name",
        "Names",
        "variable:Count",
        "first.Ids",
        "loop.CurrentIteratorValue",
        "global:REGION",
        "first.Ids",
        "loop.CurrentIteration",
    ]


def test_references_nested_deeper_than_the_recursion_limit_are_all_found() -> None:
    depth = sys.getrecursionlimit() + 100
    value: JSON = "{{ Name }}"
    for level in range(depth):
        value = {"k": value} if level % 2 else [value, 1]
    text = "schemaVersion: '0.3'\nmainSteps: [{name: a, action: aws:sleep, inputs: {Duration: x}}]\n"
    doc = _doc(text)
    doc.steps[0].inputs["Deep"] = value
    (found,) = doc.references
    assert found.ref.target == "Name" and len(found.path) == depth + 4
    assert [(found.path, found.ref, found.step, found.kind)] == _references_the_old_way(doc)


def test_output_names_and_declared_types_are_found_once_and_are_what_they_were() -> None:
    doc = _doc()
    first, odd, loop, _inner = doc.steps
    assert _outputs(doc, first) == frozenset(output_names(first) or ()) and _outputs(doc, first) is _outputs(doc, first)
    assert _outputs(doc, odd) is None and output_names(odd) is None
    assert _outputs(doc, loop) == frozenset(output_names(loop) or ())
    assert doc.declared_type(Ref("first.Ids")) == "StringList"
    assert doc.declared_type(Ref("Names")) == "StringList"
    assert doc.declared_type(Ref("variable:Count")) == "Integer"
    assert doc.declared_type(Ref("global:REGION")) == "String"
    assert doc.declared_type(Ref("nothing.Here")) is None
    assert doc.declared_type(Ref("first.Ids")) == doc._declared_type(Ref("first.Ids"))
    assert set(doc._declared) == {"first.Ids", "Names", "variable:Count", "global:REGION", "nothing.Here"}
