"""checkov and parliament, outside oracles, on the deploy templates: no finding outside the allow-list
(tests/deploy/checkers-allowlist.yaml), and no allow-list entry that matches no finding any more. How they are
installed and run, and what ``where`` means: tests/deploy/checkers.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.deploy import checkers
from tests.deploy.checkers import (
    ALLOWLIST,
    Allowed,
    Finding,
    allowlist,
    checkov,
    load_template,
    parliament,
    policy_lines,
    stack_sets,
    statement_label,
    template_files,
    template_policies,
)
from toolkit.deploy.organization import organization_template
from toolkit.deploy.template import template

POLICY_TYPES = {
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Policy",
    "AWS::S3::BucketPolicy",
    "AWS::KMS::Key",
    "AWS::SNS::TopicPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::Organizations::Policy",
}
"""Resource types whose every resource holds a policy document (and roles, users and groups with Policies)."""


def verdict(checker: str, findings: list[Finding], allowed: list[Allowed]) -> str:
    """What is wrong: findings the allow-list does not accept (by template), entries that match no finding."""
    accepted = {entry.key for entry in allowed if entry.checker == checker}
    found = {finding.key: finding for finding in findings}
    unexpected: dict[str, list[Finding]] = defaultdict(list)
    for key, finding in sorted(found.items()):
        if key not in accepted:
            unexpected[finding.where.split(":", 1)[0]].append(finding)
    stale = sorted(key for key in accepted if key not in found)
    lines = []
    if unexpected:
        count = sum(len(group) for group in unexpected.values())
        lines.append(f"{checker}: {count} finding(s) not in {ALLOWLIST.name} (fix them, or list each with its reason):")
        for name, group in sorted(unexpected.items()):
            lines += [f"  {name}:", *(f"    {finding}" for finding in group)]
    if stale:
        lines.append(f"{checker}: {len(stale)} {ALLOWLIST.name} entr(y/ies) match no finding any more (remove them):")
        lines += [f"    {identifier} at {where}" for _, identifier, where in stale]
    return "\n".join(lines)


def test_checkov_finds_nothing_outside_the_allow_list(tmp_path: Path) -> None:
    problems = verdict("checkov", checkov(template_files(), tmp_path), allowlist())
    assert not problems, problems


def test_parliament_finds_nothing_outside_the_allow_list(tmp_path: Path) -> None:
    problems = verdict("parliament", parliament(template_policies(), tmp_path), allowlist())
    assert not problems, problems


def test_checkov_reads_both_templates_and_every_stack_sets_member_template() -> None:
    files = {file.name: file for file in template_files()}
    members = [f"organization.{logical_id}" for logical_id, _ in stack_sets(organization_template())]
    members += [f"template.{logical_id}" for logical_id, _ in stack_sets(template())]
    assert members and set(files) == {"template", "organization", *members}
    for name in members:
        assert files[name].data["Resources"], name


def test_every_policy_of_the_templates_goes_to_parliament() -> None:
    """Each resource holding a policy, in both templates and in each member template, has its policies checked."""
    holders = set()
    for name, data in (("template", template()), ("organization", organization_template())):
        documents = [(name, data)]
        for logical_id, resource in stack_sets(data):
            documents.append((f"{name}.{logical_id}", load_template(resource["Properties"]["TemplateBody"])))
        for document_name, document in documents:
            for logical_id, resource in document["Resources"].items():
                properties = resource.get("Properties", {})
                if resource["Type"] in POLICY_TYPES or "Policies" in properties:
                    holders.add(f"{document_name}:{logical_id}")
    checked = {policy.where.split("/", 1)[0] for policy in template_policies()}
    assert {"template:TrailKey", "organization:CloudTrailProtection"} <= holders
    assert any(holder.startswith("organization.") for holder in holders)
    assert holders <= checked, holders - checked


IAM_POLICY_VARIABLE = re.compile(r"\$\{(aws|s3|sts|ec2|iam|kms|saml|cognito-identity\.amazonaws\.com):[\w:/.-]+\}")
"""An IAM policy variable (``${aws:SourceAccount}``), IAM's own (``Fn::Sub`` writes it ``${!aws:SourceAccount}``)."""


def test_policies_are_plain_json_with_every_function_evaluated() -> None:
    for policy in template_policies():
        text = IAM_POLICY_VARIABLE.sub("", json.dumps(policy.document))
        assert "Fn::" not in text and '"Ref"' not in text and "${" not in text, policy.where


def test_each_statement_of_a_policy_is_on_its_own_line_so_findings_name_it() -> None:
    document = {
        "Version": "2012-10-17",
        "Id": "example",
        "Statement": [
            {"Sid": "First", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
        ],
    }
    text = policy_lines(document)
    assert json.loads(text) == document
    assert '"First"' in text.splitlines()[1] and '"Deny"' in text.splitlines()[2]
    labels = [statement_label(document, line) for line in (None, 1, 2, 3, 4)]
    assert labels == [None, None, "First", "Statement[1]", None]
    single = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}}
    assert json.loads(policy_lines(single))["Statement"] == [single["Statement"]]


def test_the_allow_list_gives_each_accepted_finding_once_with_its_reason() -> None:
    entries = allowlist()
    keys = [entry.key for entry in entries]
    assert len(keys) == len(set(keys)), [key for key in keys if keys.count(key) > 1]
    assert all(len(entry.reason) > 20 for entry in entries)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- checker: checkov\n  id: CKV_AWS_18\n  where: template:LogBucket\n", "exactly the keys"),
        ("- {checker: checkov, id: CKV_AWS_18, where: template:LogBucket, reason: ''}\n", "non-empty string"),
        ("- {checker: tfsec, id: X, where: template:LogBucket, reason: because}\n", "checker must be one of"),
    ],
)
def test_an_allow_list_entry_without_its_parts_is_refused(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "allowlist.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        allowlist(path)


def test_without_the_checkers_the_test_fails_in_one_line_saying_to_run_make_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkers, "CHECKERS_VENV", tmp_path / "checkers")
    with pytest.raises(pytest.fail.Exception) as failure:
        checkers.program("checkov")
    message = str(failure.value)
    assert "run `make test`" in message and str(tmp_path / "checkers") in message and "\n" not in message


def make_dry_run(folder: Path) -> list[str]:
    """The commands `make test` would run in ``folder`` (not those of the `make test` running this test)."""
    environment = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(
        ["make", "-n", "test"], cwd=folder, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_make_test_installs_the_checkers_once_before_it_runs_the_tests(tmp_path: Path) -> None:
    for name in (
        "Makefile",
        "pyproject.toml",
        "tests/deploy/checkers-requirements.txt",
        "toolkit/scaffold/project/pyproject.toml.tmpl",  # what the wheelhouse depends on too
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    commands = make_dry_run(tmp_path)

    def first(text: str) -> int:
        return next(number for number, command in enumerate(commands) if text in command)

    assert first("-m venv .venv/checkers") < first("-r tests/deploy/checkers-requirements.txt") < first("-m pytest")
    (tmp_path / ".venv" / "checkers").mkdir(parents=True)
    for stamp in (".venv/.installed", ".venv/checkers/.installed"):
        (tmp_path / stamp).touch()
    assert not [command for command in make_dry_run(tmp_path) if "venv" in command and "pip" in command]
