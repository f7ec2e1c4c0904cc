"""The loader: every real document round-trips, positions are exact, bad input is one clear LoadError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CORPUS, corpus_files
from toolkit.errors import LoadError
from toolkit.load import load, load_text
from toolkit.model import GenericStep
from toolkit.render import to_json_text, to_yaml_text
from toolkit.steps import Branch, ExecuteAwsApi, ExecuteScript

CORPUS_FILES = corpus_files()


def test_the_corpus_is_there() -> None:
    """Every document its manifest lists: 247 in the shared corpus, 237 in the vendored part of it."""
    listed = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(CORPUS_FILES) == len([line for line in listed if line.strip()]) >= 237, (
        f"expected the corpus at {CORPUS}"
    )


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_document_round_trips(path: Path) -> None:
    document = load(path)
    assert document.source is not None
    data = document.source.data
    assert document.to_dict() == data
    assert yaml.safe_load(to_yaml_text(document)) == data
    assert json.loads(to_json_text(document)) == data


def test_corpus_documents_load_typed_except_the_known_defect() -> None:
    generic = {
        (path.name, step.name)
        for path in CORPUS_FILES
        for step in load(path).all_steps()
        if isinstance(step, GenericStep)
    }
    # EXPECTED.tsv: the one genuine defect is a misspelt action, aws:executeAPI.
    assert generic == {("source__test__test_data__tstest-runbook.yaml", "UpdateTrailToCWLogs")}


DOC = """\
schemaVersion: '0.3'
description: demo
parameters:
  Name:
    type: String
  Flag:
    type: Boolean
    default: true
mainSteps:
  - name: Call
    action: aws:executeAwsApi
    inputs:
      Service: cloudtrail
      Api: GetTrail
      Name: '{{ Name }}'
    outputs:
      - Name: Arn
        Selector: $.Trail.TrailARN
        Type: String
  - name: Choose
    action: aws:branch
    inputs:
      Choices:
        - NextStep: Call
          Variable: '{{ Flag }}'
          BooleanEquals: true
      Default: Script
  - name: Script
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      Script: |
        def handler(events, context):
            return {}
"""


def test_yaml_loads_into_typed_steps() -> None:
    document = load_text(DOC, file="demo.yaml")
    call, choose, script = document.main_steps or ()
    assert isinstance(call, ExecuteAwsApi) and call.api == "GetTrail" and call.params == {"Name": "{{ Name }}"}
    assert isinstance(choose, Branch) and choose.default == "Script"
    assert choose.choices[0].operator == "BooleanEquals" and choose.choices[0].value is True
    assert isinstance(script, ExecuteScript) and script.runtime == "python3.11"


def test_yaml_source_map_gives_exact_line_and_column() -> None:
    document = load_text(DOC, file="demo.yaml")
    assert document.source is not None
    positions = document.source.positions
    assert positions.value(("mainSteps", 0, "inputs", "Api")) == (14, 12)
    assert positions.key(("mainSteps", 0, "inputs", "Api")) == (14, 7)
    assert positions.value(("mainSteps", 1)) == (20, 5)
    assert positions.key(("parameters", "Flag", "default")) == (8, 5)
    # A path below a scalar falls back to the nearest node that exists.
    assert positions.value(("mainSteps", 0, "inputs", "Api", 3)) == (14, 12)


def test_json_loads_the_same_data_with_positions() -> None:
    data = yaml.safe_load(DOC)
    text = json.dumps(data, indent=2)
    from_json = load_text(text, file="demo.json")
    from_yaml = load_text(DOC, file="demo.yaml")
    assert from_json == from_yaml
    assert from_json.source is not None and from_json.source.format == "json"
    line, column = from_json.source.positions.value(("mainSteps", 0, "inputs", "Api"))
    assert text.splitlines()[line - 1][column - 1 :].startswith('"GetTrail"')


def test_unknown_keys_and_ill_typed_values_are_kept() -> None:
    text = DOC.replace("  - name: Call\n", "  - name: Call\n    maxAttempts: '3'\n    colour: blue\n")
    text = text.replace("      Runtime: python3.11\n", "      Runtime: python3.11\n      Timeout: 5\n")
    text += "extraTopLevel: [1, 2]\n"
    document = load_text(text, file="x.yaml")
    call = (document.main_steps or ())[0]
    assert call.extra == {"maxAttempts": "3", "colour": "blue"}
    assert (document.main_steps or ())[2].extra_inputs == {"Timeout": 5}
    assert document.extra == {"extraTopLevel": [1, 2]}
    assert document.to_dict() == yaml.safe_load(text)


def test_duplicate_keys_are_recorded() -> None:
    document = load_text("schemaVersion: '0.3'\nmainSteps: []\nschemaVersion: '0.3'\n", file="d.yaml")
    assert document.source is not None and document.source.duplicate_keys == (("schemaVersion",),)


def test_timestamps_stay_text_and_merge_keys_apply() -> None:
    text = """\
schemaVersion: '0.3'
description: 2024-01-01
base: &base {Service: ec2, Api: DescribeInstances}
mainSteps:
  - name: A
    action: aws:executeAwsApi
    inputs:
      <<: *base
      Api: DescribeImages
"""
    document = load_text(text, file="m.yaml")
    assert document.description == "2024-01-01"
    step = (document.main_steps or ())[0]
    assert isinstance(step, ExecuteAwsApi) and (step.service, step.api) == ("ec2", "DescribeImages")


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("mainSteps: [\n  - a\n", "invalid YAML", 2),
        ('{"mainSteps": [}', "invalid JSON", 1),
        ("just a string\n", "top level is a single value", 1),
        ("- a\n- b\n", "top level is a list", 1),
        ("", "empty file", None),
        ("a: !Ref Thing\n", "unsupported YAML tag", 1),
        ("a: &x [*x]\n", "alias refers to the node that contains it", 1),
        ("? [a, b]\n: c\n", "mapping key must be a plain value", 1),
    ],
)
def test_bad_input_is_a_load_error_naming_file_and_line(text: str, message: str, line: int | None) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text, file="bad.yaml")
    assert message in str(caught.value)
    assert caught.value.file == "bad.yaml"
    assert caught.value.line == line
    assert "\n" not in str(caught.value)


def test_unreadable_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read"):
        load(tmp_path / "missing.yaml")
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(LoadError, match=r"not UTF-8|binary"):
        load(junk)


@given(st.binary(max_size=300))
def test_random_bytes_load_or_fail_cleanly(raw: bytes) -> None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    _loads_or_fails_cleanly(text)


def _loads_or_fails_cleanly(text: str) -> None:
    try:
        document = load_text(text, file="fuzz.yaml")
    except LoadError:
        return
    assert document.source is not None
    assert document.to_dict() == document.source.data


@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}'\"\n #&*!|>0.,")), max_size=80))
def test_yaml_like_text_loads_or_fails_cleanly(text: str) -> None:
    _loads_or_fails_cleanly(text)
