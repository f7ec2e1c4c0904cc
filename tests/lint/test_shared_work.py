"""Work the linter does once, not once per document or per step (issue 19): each test fails if the work is repeated,
and none measures time. The findings themselves are proven unchanged by the corpus and golden tests."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from toolkit import javaregex
from toolkit.aws import models as aws_models
from toolkit.javaregex.pattern import JavaPattern
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter
from toolkit.lint.patterns import PatternVerdicts
from toolkit.lint.rules import scripts
from toolkit.lint.rules.schema import load_schema
from toolkit.lint.schema_check import Compiler

PATTERN_DOCUMENT = """\
schemaVersion: "0.3"
parameters:
  Name:
    type: String
    default: abc
    allowedPattern: ^[a-z]+$
  Other:
    type: String
    default: x y
    allowedPattern: ^[a-z]+$
mainSteps:
  - name: Wait
    action: aws:sleep
    inputs: {Duration: "{{ Name }}{{ Other }}"}
"""


def test_an_allowed_pattern_is_compiled_once_per_lint_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """E1102, E1103 and W1105 of every document share one compiled pattern: the Linter owns the table."""
    compiled: list[str] = []

    def counting(source: str) -> JavaPattern:
        compiled.append(source)
        return JavaPattern(source)

    monkeypatch.setattr(javaregex, "compile_java", counting)
    linter = Linter(LintConfig(select=("E1102", "E1103", "W1105")), patterns=PatternVerdicts())
    first = linter.lint_text(textwrap.dedent(PATTERN_DOCUMENT), file="a.yaml")
    second = linter.lint_text(textwrap.dedent(PATTERN_DOCUMENT), file="b.yaml")
    assert compiled == ["^[a-z]+$"]
    assert [(f.rule, f.line) for f in first] == [(f.rule, f.line) for f in second] == [("E1102", 9)]


def test_separate_linters_do_not_share_their_tables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    one, two = Linter(LintConfig(select=("E1103",))), Linter(LintConfig(select=("E1103",)))
    one.lint_text(textwrap.dedent(PATTERN_DOCUMENT), file="a.yaml")
    assert one.patterns is not two.patterns and one.patterns.file == two.patterns.file
    assert one.patterns._kept._table and two.patterns._kept._table is None


@pytest.mark.parametrize(("definition", "key"), [("step", "action"), ("parameter", "type"), ("variable", "type")])
def test_the_schema_checks_a_step_by_its_action_alone(definition: str, key: str) -> None:
    """The schema's ``allOf`` of ``if: {type: object, properties: {action: {const: ...}}}`` branches is one table
    lookup, not 23 tests per step."""
    branches: list[Any] = load_schema()["definitions"][definition]["allOf"]
    assert Compiler._discriminator(branches) == key


def test_a_discriminator_needs_every_branch_alike() -> None:
    plain = {"if": {"required": ["k"], "properties": {"k": {"const": "a"}}}, "then": {}}
    typed = {"if": {"type": "object", "required": ["k"], "properties": {"k": {"const": "b"}}}, "then": {}}
    other = {"if": {"type": "string", "required": ["k"], "properties": {"k": {"const": "c"}}}, "then": {}}
    assert Compiler._discriminator([plain, typed]) == "k"
    assert Compiler._discriminator([plain, other]) is None
    assert Compiler._discriminator([plain, {**typed, "else": {}}]) is None


def test_a_first_run_reduces_only_the_shapes_a_document_reaches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an empty cache, ec2's 4,000 shapes are kept as botocore wrote them; the few an Api reaches are reduced."""
    reduced: list[str] = []
    original = aws_models._reduce_shape

    def counting(spec: dict[str, Any], injected: frozenset[str]) -> aws_models.ShapeRow:
        reduced.append(str(spec.get("type")))
        return original(spec, injected)

    monkeypatch.setattr(aws_models, "_reduce_shape", counting)
    model = aws_models.ModelStore(tmp_path).model("ec2")
    assert model is not None and len(model.packed) > 1000
    assert reduced == []
    operation = model.operation("DescribeInstances")
    assert operation is not None
    assert "InstanceIds" in model.shape(operation.input).members
    assert 0 < len(reduced) < 5


def test_snake_case_names_are_worked_out_only_when_an_api_needs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    converted: list[str] = []
    original = aws_models.xform_name

    def counting(name: str) -> str:
        converted.append(name)
        return original(name)

    monkeypatch.setattr(aws_models, "xform_name", counting)
    model = aws_models.ModelStore(tmp_path).model("sts")
    assert model is not None
    assert model.operation("GetCallerIdentity") is not None and converted == []
    operation = model.operation("get_caller_identity")
    assert operation is not None and operation.name == "GetCallerIdentity"
    assert len(converted) == len(model.operations)
    model.operation("assume_role")
    assert len(converted) == len(model.operations)  # worked out once


def test_a_step_branch_of_the_schema_is_compiled_when_an_action_first_needs_it() -> None:
    schema = load_schema()
    compiler = Compiler(schema)
    check = compiler.compile(schema)
    step = {"name": "A", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}
    sleep = {"schemaVersion": "0.3", "mainSteps": [step]}
    assert check(sleep)
    assert "#/definitions/sleepInputs" in compiler.refs
    assert "#/definitions/approveInputs" not in compiler.refs
    approve = {"schemaVersion": "0.3", "mainSteps": [{"name": "A", "action": "aws:approve", "inputs": {}}]}
    assert not check(approve)  # Approvers is required
    assert "#/definitions/approveInputs" in compiler.refs


def test_reading_the_schema_needs_no_importlib_resources() -> None:
    code = (
        "import sys\n"
        "from toolkit.lint.rules.schema import load_schema\n"
        "assert 'importlib.resources' not in sys.modules\n"
        "assert load_schema()['definitions']\n"
        "print('importlib.resources' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_cached_shapes_leave_the_documentation_out(tmp_path: Path) -> None:
    """Documentation is most of a model's text and nothing here reads it: the cache is a quarter of the size."""
    model = aws_models.ModelStore(tmp_path).model("sts")
    assert model is not None and model.packed
    assert not any(b"documentation" in packed for packed in model.packed.values())
    again = aws_models.ModelStore(tmp_path).model("sts")
    assert again is not None and again.packed == model.packed
    operation = again.operation("AssumeRole")
    assert operation is not None and "RoleArn" in again.shape(operation.input).required


SCRIPT_DOCUMENT = """\
schemaVersion: "0.3"
mainSteps:
  - name: Run
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      Script: |
        def handler(events, context):
            return {"ok": True}
"""


def test_a_script_is_parsed_once_per_lint_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every script rule of every document reads one tree per script text and grammar: the Linter owns the table."""
    parsed: list[str] = []
    real = scripts._parse

    def counting(script: str, minor: int | None) -> Any:
        parsed.append(script)
        return real(script, minor)

    monkeypatch.setattr(scripts, "_parse", counting)
    linter = Linter(LintConfig(select=("E32", "W32", "I32")))
    first = linter.lint_text(SCRIPT_DOCUMENT, file="a.yaml")
    second = linter.lint_text(SCRIPT_DOCUMENT, file="b.yaml")
    assert len(parsed) == 1
    assert [(f.rule, f.line, f.message) for f in first] == [(f.rule, f.line, f.message) for f in second]
    other = Linter(LintConfig(select=("E32", "W32", "I32")))
    other.lint_text(SCRIPT_DOCUMENT, file="c.yaml")
    assert len(parsed) == 2  # another Linter parses it again
