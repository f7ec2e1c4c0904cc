"""`runbook import`: golden modules, scripts beside them, no overwrite, nothing written unless it builds back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from toolkit.cli import main
from toolkit.documents import read_runbook
from toolkit.errors import ImportDocumentError
from toolkit.importer import files
from toolkit.importer.files import import_document
from toolkit.importer.generate import Module
from toolkit.load import load
from toolkit.render import to_data

REDSHIFT = (
    "aws-solutions__automated-security-response-on-aws/"
    "source__remediation_runbooks__EnableRedshiftClusterAuditLogging.yaml"
)
HYBRID = (
    "aws-samples__aws-fault-injection-simulator-workshop/"
    "workshop__content__030_basic_content__090_scenarios__020_targeting_hybrid_instances__hybrid-target.yaml"
)

DOCUMENT = """\
description: Restart an instance.
schemaVersion: '0.3'
assumeRole: '{{ AutomationAssumeRole }}'
parameters:
  AutomationAssumeRole:
    type: String
    default: ''
  InstanceId:
    type: String
    description: The instance to restart, then to check on; the instance must be managed by Systems Manager.
    allowedPattern: ^i-[a-z0-9]{8,17}$
mainSteps:
  - name: Describe
    action: aws:executeAwsApi
    inputs:
      Service: ec2
      Api: DescribeInstances
      InstanceIds: ['{{ InstanceId }}']
    outputs:
      - {Name: State, Selector: '$.Reservations[0].Instances[0].State.Name', Type: String}
  - name: Choose
    action: aws:branch
    inputs:
      Choices:
        - {NextStep: Report, Variable: '{{ Describe.State }}', StringEquals: running}
      Default: Report
  - name: Report
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      InputPayload: {State: '{{ Describe.State }}', Region: '{{ global:REGION }}'}
      Script: |-
        def handler(events, context):
            return {"State": events["State"]}
    outputs:
      - {Name: State, Selector: $.Payload.State, Type: String}
outputs: [Report.State]
"""


@pytest.mark.parametrize(("doc", "module"), [(REDSHIFT, "redshift_audit_logging"), (HYBRID, "hybrid_target")])
def test_imported_modules_match_golden(doc: str, module: str, tmp_path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    imported = import_document(CORPUS / doc, tmp_path / f"{module}.py")
    golden(f"import/{module}.py", imported.module.read_text(encoding="utf-8"))
    for script in imported.scripts:
        golden(f"import/{module}_scripts/{script.name}", script.read_text(encoding="utf-8"))


def test_references_become_typed_code_and_scripts_real_files(tmp_path: Path) -> None:
    doc = tmp_path / "Restart-Instance.yaml"
    doc.write_text(DOCUMENT, encoding="utf-8")
    assert main(["import", str(doc), "--out", str(tmp_path / "restart.py")]) == 0
    source = (tmp_path / "restart.py").read_text(encoding="utf-8")
    assert 'NAME = "Restart-Instance"' in source
    assert 'params={"InstanceIds": [instance_id.ref]}' in source
    assert 'Choice.when(describe.output("State"), "StringEquals", "running", next_step="Report")' in source
    assert 'input_payload={"State": describe.output("State"), "Region": Global.REGION}' in source
    assert 'ExecuteScript.from_file(\n        SCRIPTS / "report.py",' in source
    assert "    return runbook(\n" in source
    script = tmp_path / "restart_scripts" / "report.py"
    assert script.read_text(encoding="utf-8") == 'def handler(events, context):\n    return {"State": events["State"]}'
    assert to_data(read_runbook(str(tmp_path / "restart.py")).model()) == to_data(load(doc))


def test_repeated_long_strings_become_named_constants(tmp_path: Path) -> None:
    text = "The instance to restart, then to check on; the instance must be managed by Systems Manager."
    doc = tmp_path / "doc.yaml"
    doc.write_text(DOCUMENT.replace("default: ''", f"default: ''\n    description: {text}"), encoding="utf-8")
    source = import_document(doc, tmp_path / "doc.py").module.read_text(encoding="utf-8")
    assert source.count(text) == 1
    assert "DESCRIPTION_2 = " in source and source.count("description=DESCRIPTION_2") == 2


def test_build_finds_an_imported_runbook_by_its_document_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "AWS-RestartInstance.yaml"
    doc.write_text(DOCUMENT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mine'\n", encoding="utf-8")
    import_document(doc, tmp_path / "runbooks" / "aws_restart_instance.py")
    monkeypatch.chdir(tmp_path)
    assert read_runbook("AWS-RestartInstance").model().name == "AWS-RestartInstance"


def test_existing_files_are_not_overwritten_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / "doc.py"
    out.write_text("# mine\n", encoding="utf-8")
    assert main(["import", str(doc), "--out", str(out)]) == 2
    assert "already exists (pass --force to replace it)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# mine\n"
    assert main(["import", str(doc), "--out", str(out), "--force"]) == 0
    assert "def build() -> Document:" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "missing.yaml: cannot read"),
        (["doc.yaml", "--out", "doc.txt"], "doc.txt: the module must be a .py file"),
        (
            ["doc.yaml", "--out", "my-doc.py"],
            "my-doc.py: the module must be a .py file whose name is a Python identifier",
        ),
        (["bad.yaml"], "bad.yaml"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.yaml").write_text(DOCUMENT, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("mainSteps: [\n", encoding="utf-8")
    assert main(["import", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.glob("*.py"))


def test_a_module_that_would_not_build_back_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text(DOCUMENT, encoding="utf-8")

    def wrong(document: object, **kwargs: object) -> Module:
        source = (
            'from toolkit.model import Document\n\nNAME = "doc"\n\n\ndef build() -> Document:\n    return Document()\n'
        )
        return Module(name=str(kwargs["module"]), source=source, scripts={"x.py": "x = 1\n"})

    monkeypatch.setattr(files, "generate", wrong)
    with pytest.raises(ImportDocumentError, match=r"does not build back the same data: \.description is missing"):
        import_document(doc, tmp_path / "doc.py")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.yaml"]


def test_the_default_module_is_runbooks_snake_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "AWS-RestartEC2Instance.yaml"
    doc.write_text(DOCUMENT, encoding="utf-8")
    imported = import_document(doc)
    assert imported.module == Path("runbooks/aws_restart_ec2_instance.py")
    assert imported.scripts == (Path("runbooks/aws_restart_ec2_instance_scripts/report.py"),)


def test_lint_takes_a_runbook_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text(DOCUMENT.replace("python3.11", "python3.7"), encoding="utf-8")
    import_document(doc, tmp_path / "doc.py")
    assert main(["lint", str(tmp_path / "doc.py"), "--select", "E3201"]) == 1
    assert "E3201" in capsys.readouterr().out


def test_constants_hold_structured_strings_and_are_named_after_their_reference(tmp_path: Path) -> None:
    doc = tmp_path / "doc.yaml"
    extra = """
  - name: Again
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: DescribeInstances, Filters: [{Name: x, Values: ['{{Describe.State}}']}]}
  - name: Third
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: DescribeInstances, Filters: [{Name: x, Values: ['{{Describe.State}}']}]}
"""
    doc.write_text(DOCUMENT.replace("outputs: [Report.State]", extra.strip("\n") + "\noutputs: [Report.State]"))
    source = import_document(doc, tmp_path / "doc.py").module.read_text(encoding="utf-8")
    assert 'DESCRIBE_STATE = "{{Describe.State}}"' in source
    assert "API = " not in source and source.count('api="DescribeInstances"') == 3


def test_a_folder_imports_every_document_in_it_and_skips_other_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "ssm"
    (docs / "nested").mkdir(parents=True)
    (docs / "Restart-Instance.yaml").write_text(DOCUMENT, encoding="utf-8")
    (docs / "nested" / "Other.json").write_text(json.dumps(load(docs / "Restart-Instance.yaml").to_dict()))
    (docs / "template.yaml").write_text("Resources:\n  Bucket: {Type: 'AWS::S3::Bucket'}\n", encoding="utf-8")
    assert main(["import", str(docs), "--out", str(tmp_path / "runbooks")]) == 0
    assert sorted(p.name for p in (tmp_path / "runbooks").iterdir()) == [
        "other.py",
        "other_scripts",
        "restart_instance.py",
        "restart_instance_scripts",
    ]
    assert capsys.readouterr().out.count("imported ") == 2


def test_several_documents_are_written_all_or_not_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(DOCUMENT, encoding="utf-8")
    bad.write_text("mainSteps: [\n", encoding="utf-8")
    out = tmp_path / "runbooks"
    assert main(["import", str(good), str(bad), "--out", str(out)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize(
    ("names", "out", "message"),
    [
        (["a.yaml", "b.yaml"], "one.py", "one.py: names one module, but 2 documents were given (pass a folder)"),
        (["x/Same.yaml", "y/Same.yaml"], "runbooks", "would both be imported as runbooks/same.py"),
    ],
)
def test_several_documents_need_a_folder_and_distinct_module_names(
    names: list[str],
    out: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(DOCUMENT, encoding="utf-8")
    assert main(["import", *names, "--out", out]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("**/*.py"))
