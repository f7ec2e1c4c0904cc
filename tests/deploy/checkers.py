"""The external checkers of the deploy templates, checkov and parliament, as outside oracles.

They live in a virtual environment of their own, ``.venv/checkers`` (their pinned dependencies clash with the
toolkit's: checkov pins boto3 1.35, packaging below 24, networkx below 2.7), which ``make test`` creates from
``checkers-requirements.txt``; they are run as programs, each once over everything it checks, with no network:

- checkov (CloudFormation framework only, ``--skip-download``, no package update check, no API key, no config file
  from the user's home) on the single-account template, the organization template and each StackSet's member
  template (its ``TemplateBody``, written as CloudFormation receives it);
- parliament (with its community auditors) on every IAM policy of those templates: role inline policies, managed
  policies, bucket, key and topic policies, SCPs, any property holding a policy document. Parliament needs plain
  JSON, so each template's intrinsic functions are evaluated first by ``toolkit.deploy.intrinsics.Stack`` with
  sample parameters, account and region, once with the defaults and once with every option on, so both branches of
  each ``Fn::If`` are checked. Trust policies are left out: parliament requires a Resource element in every
  statement and reports a trust policy as malformed (its statement.py says it cannot check them).

A finding is ``(checker, id, where)``: for checkov the template file and logical id (``template:LogBucket``), for
parliament the policy's place and its statement's Sid (``template:TrailKey/KeyPolicy/CloudTrailDescribesKey``).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from toolkit.deploy.intrinsics import Stack, TemplateError
from toolkit.deploy.organization import organization_template, organization_template_yaml
from toolkit.deploy.template import template, template_yaml

CHECKERS_VENV = ROOT / ".venv" / "checkers"
ALLOWLIST = Path(__file__).with_name("checkers-allowlist.yaml")
CHECKERS = ("checkov", "parliament")

ACCOUNT = "111111111111"
"""The account the single-account template and the organization template are deployed in (the management account)."""
MEMBER_ACCOUNT = "222222222222"
"""A member account a StackSet deploys its member template to (unless it names the accounts it deploys to)."""

LOG_ARCHIVE_ACCOUNT = "333333333333"
"""The log-archive account the central variant's bucket and key are in."""
REGION = "us-east-1"

SAMPLE_VALUES: dict[str, Any] = {
    "OrganizationalUnitIds": ["ou-ab12-34cd56ef"],
    "OrganizationId": "o-a1b2c3d4e5",
    "LogArchiveAccountId": LOG_ARCHIVE_ACCOUNT,
    "AdministratorRoleArn": "arn:aws:iam::*:role/CloudTrailAdministrator",
}
"""Values for the templates' parameters that have no default (the organization's administrator role is the role of
that name in each account, as an organization deploys it)."""
OPTIONS_ON: dict[str, Any] = {
    "IsOrganizationTrail": "true",
    "OrganizationId": "o-a1b2c3d4e5",
    "S3KeyPrefix": "trail",
    "SnsTopicName": "trail-deliveries",
    "CloudWatchLogsLogGroupArn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:trail-events:*",
    "CloudWatchLogsRoleArn": f"arn:aws:iam::{ACCOUNT}:role/CloudTrailToCloudWatchLogs",
    "AdministratorRoleArn": f"arn:aws:iam::{ACCOUNT}:role/CloudTrailAdministrator",
    "ObjectLockRetentionDays": 365,
    "CreateConfigRecorder": "true",
    "AlarmEmail": "security@example.com",
}
"""The second parameter set: every option on (where the template declares the parameter), the stack keeping its own
log storage."""
CENTRAL_LOGGING: dict[str, Any] = {"LogArchiveAccountId": LOG_ARCHIVE_ACCOUNT}
"""The third parameter set, where the template declares it with a default: every option on, and the trail's
bucket and key in the log-archive account (the stack creates no log storage of its own then)."""

TRUST_POLICIES = {"AssumeRolePolicyDocument"}
Completed = subprocess.CompletedProcess[str]
SAMPLE_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"

CHECKOV_ENVIRONMENT = {
    "BC_SKIP_MAPPING": "TRUE",  # no download of the platform's check ids and guidelines
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "True",  # no question to PyPI about a newer checkov
    "LOG_LEVEL": "WARNING",
}


@dataclass(frozen=True, order=True)
class Finding:
    checker: str
    id: str
    where: str
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.checker, self.id, self.where)

    def __str__(self) -> str:
        return f"{self.id} at {self.where}: {self.message}" if self.message else f"{self.id} at {self.where}"


@dataclass(frozen=True)
class Allowed:
    checker: str
    id: str
    where: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.checker, self.id, self.where)


def program(name: str) -> Path:
    """A checker's program in the checkers' venv; the test fails with one line when `make test` has not made it."""
    path = CHECKERS_VENV / "bin" / name
    if not (CHECKERS_VENV / ".installed").is_file() or not path.is_file():
        pytest.fail(f"{name} is not installed in {CHECKERS_VENV}: run `make test`, which installs it", pytrace=False)
    return path


def allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    """The accepted findings, each with its reason."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    allowed = []
    for number, entry in enumerate(entries, 1):
        fields = {"checker", "id", "where", "reason"}
        if not isinstance(entry, dict) or set(entry) != fields:
            raise ValueError(f"{path.name}: entry {number} must have exactly the keys {sorted(fields)}")
        if any(not isinstance(entry[field], str) or not entry[field].strip() for field in fields):
            raise ValueError(f"{path.name}: entry {number}: every field must be a non-empty string")
        if entry["checker"] not in CHECKERS:
            raise ValueError(f"{path.name}: entry {number}: checker must be one of {', '.join(CHECKERS)}")
        allowed.append(Allowed(entry["checker"], entry["id"], entry["where"], entry["reason"]))
    return allowed


# --- the templates --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateFile:
    """A template as a checker reads it: ``name`` is the file's stem and the first part of every ``where``."""

    name: str
    text: str
    suffix: str

    @property
    def file_name(self) -> str:
        return f"{self.name}{self.suffix}"

    @property
    def data(self) -> dict[str, Any]:
        return load_template(self.text)


def load_template(text: str) -> dict[str, Any]:
    """A template's text (JSON or YAML, as a StackSet's TemplateBody may be either) as data."""
    loaded: dict[str, Any] = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    return loaded


def stack_sets(data: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The template's StackSets: (logical id, resource)."""
    for logical_id, resource in (data.get("Resources") or {}).items():
        if resource.get("Type") == "AWS::CloudFormation::StackSet":
            yield logical_id, resource


def template_files() -> list[TemplateFile]:
    """Both templates as `runbook template [--organization]` writes them, and each StackSet's member template as
    its TemplateBody gives it to CloudFormation."""
    files = [
        TemplateFile("template", template_yaml(), ".yaml"),
        TemplateFile("organization", organization_template_yaml(), ".yaml"),
    ]
    for parent in list(files):
        for logical_id, resource in stack_sets(parent.data):
            body = resource["Properties"]["TemplateBody"]
            suffix = ".json" if body.lstrip().startswith("{") else ".yaml"
            files.append(TemplateFile(f"{parent.name}.{logical_id}", body, suffix))
    return files


# --- the templates' policies, intrinsic functions evaluated -------------------------------------------------------


class SampleStack(Stack):
    """``Stack`` with representative values where it cannot evaluate a resource's Ref or Fn::GetAtt yet (it covers
    IAM roles today): the bucket's name and ARN, the key's id and ARN, a topic's ARN, and a generic name or ARN for
    any other resource."""

    def _resource_ref(self, name: str) -> Any:
        try:
            return super()._resource_ref(name)
        except TemplateError:
            return self._sample(name, "Ref")

    def _attribute(self, name: str, attribute: str) -> Any:
        try:
            return super()._attribute(name, attribute)
        except TemplateError:
            return self._sample(name, attribute)

    def _sample(self, logical_id: str, attribute: str) -> str:
        resource = self.resource(logical_id)
        kind = str(resource.get("Type", ""))
        properties = resource.get("Properties") or {}
        partition, account, region = (self.names[f"AWS::{key}"] for key in ("Partition", "AccountId", "Region"))
        stack_name = str(self.names["AWS::StackName"])
        if kind == "AWS::S3::Bucket":
            bucket = str(self.resolve(properties["BucketName"])) if "BucketName" in properties else None
            bucket = bucket or f"{stack_name}-{logical_id}-sample".lower()
            return f"arn:{partition}:s3:::{bucket}" if attribute == "Arn" else bucket
        if kind == "AWS::KMS::Key":
            key_arn = f"arn:{partition}:kms:{region}:{account}:key/{SAMPLE_KEY_ID}"
            return key_arn if attribute == "Arn" else SAMPLE_KEY_ID
        if kind == "AWS::SNS::Topic":
            topic = str(self.resolve(properties["TopicName"])) if "TopicName" in properties else f"{logical_id}-sample"
            return topic if attribute == "TopicName" else f"arn:{partition}:sns:{region}:{account}:{topic}"
        if attribute == "Arn":
            service = kind.split("::")[1].lower() if kind.count("::") == 2 else "unknown"
            return f"arn:{partition}:{service}:{region}:{account}:{logical_id.lower()}/sample"
        return f"{logical_id}-{attribute}-sample" if attribute != "Ref" else f"{logical_id}-sample"


@dataclass(frozen=True)
class PolicyDocument:
    where: str
    document: Mapping[str, Any]


def parameter_sets(data: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    """The defaults (with sample values where a parameter has none), every option on, and every option on with
    central logging (where the template can log centrally or not)."""
    declared = data.get("Parameters") or {}
    needed = {}
    for parameter, spec in declared.items():
        if "Default" not in spec:
            if parameter not in SAMPLE_VALUES:
                raise TemplateError(f"{name}: no sample value for parameter {parameter}; add one to SAMPLE_VALUES")
            needed[parameter] = SAMPLE_VALUES[parameter]
    options = {parameter: value for parameter, value in OPTIONS_ON.items() if parameter in declared}
    sets = [needed, {**needed, **options}]
    central = {
        parameter: value for parameter, value in CENTRAL_LOGGING.items() if "Default" in declared.get(parameter, {})
    }
    if central:
        sets.append({**needed, **options, **central})
    return sets


def _documents(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Mapping[str, Any]]]:
    """Every policy document in a resolved property value (a mapping with a Statement, or JSON text of one)."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return
        if isinstance(value, dict) and "Statement" in value:
            yield path, value
        return
    if isinstance(value, dict):
        if "Statement" in value:
            yield path, value
            return
        for key, item in value.items():
            if key not in TRUST_POLICIES:
                yield from _documents(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = item.get("PolicyName") if isinstance(item, dict) else None
            yield from _documents(item, (*path, str(label) if isinstance(label, str) else str(index)))


def stack_policies(stack: Stack, name: str) -> Iterator[PolicyDocument]:
    """The policies of every resource the stack creates (a resource whose Condition is false is not created)."""
    for logical_id, resource in (stack.template.get("Resources") or {}).items():
        if "Condition" in resource and not stack.condition(resource["Condition"]):
            continue
        if resource.get("Type") == "AWS::CloudFormation::StackSet":
            continue  # its TemplateBody is a template of its own, checked as the member stacks create it
        properties = stack.resolve(resource.get("Properties") or {})
        for path, document in _documents(properties, (logical_id,)):
            yield PolicyDocument(f"{name}:{'/'.join(path)}", document)


def target_account(properties: Mapping[str, Any]) -> str:
    """The account a StackSet's member stack is created in: the first account its instances name (the log-archive
    account, say), else a member account of its organizational units."""
    for group in properties.get("StackInstancesGroup", []):
        accounts = group.get("DeploymentTargets", {}).get("Accounts", [])
        if accounts:
            return str(accounts[0])
    return MEMBER_ACCOUNT


def member_policies(organization: Stack, name: str) -> Iterator[PolicyDocument]:
    """The policies of each StackSet's member stack, created in a member account with the StackSet's parameters."""
    for logical_id, resource in stack_sets(organization.template):
        properties = organization.resolve(resource["Properties"])
        member = load_template(properties["TemplateBody"])
        given = {item["ParameterKey"]: item["ParameterValue"] for item in properties.get("Parameters", [])}
        stack_name = f"StackSet-{properties.get('StackSetName', logical_id)}-00000000-0000-0000-0000-000000000000"
        stack = SampleStack(member, given, account=target_account(properties), region=REGION, stack_name=stack_name)
        yield from stack_policies(stack, f"{name}.{logical_id}")


def template_policies() -> list[PolicyDocument]:
    """Every policy of both templates and of each StackSet's member template, under each parameter set, intrinsic
    functions evaluated (the same policy under several sets is kept once)."""
    found: dict[str, list[Mapping[str, Any]]] = {}
    for name, data in (("template", template()), ("organization", organization_template())):
        for parameters in parameter_sets(data, name):
            stack = SampleStack(data, parameters, account=ACCOUNT, region=REGION)
            for policy in [*stack_policies(stack, name), *member_policies(stack, name)]:
                kept = found.setdefault(policy.where, [])
                if policy.document not in kept:
                    kept.append(policy.document)
    return [PolicyDocument(where, document) for where, documents in found.items() for document in documents]


# --- running the checkers -------------------------------------------------------------------------------------


def _run(command: list[str | Path], directory: Path, environment: Mapping[str, str]) -> Completed:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(directory), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(part) for part in command],
        cwd=directory,
        env={**base, **environment},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def checkov(files: list[TemplateFile], directory: Path) -> list[Finding]:
    """checkov's failed checks on the files, in one run."""
    executable = program("checkov")
    for file in files:
        (directory / file.file_name).write_text(file.text, encoding="utf-8")
    command: list[str | Path] = [executable, "--framework", "cloudformation", "--skip-download", "--output", "json"]
    result = _run([*command, "--file", *(file.file_name for file in files)], directory, CHECKOV_ENVIRONMENT)
    if result.returncode not in (0, 1):
        pytest.fail(f"checkov exited with {result.returncode}: {result.stderr.strip()[-2000:]}")
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    summary = {"parsing_errors": 0, "resource_count": 0}
    findings = []
    for report in reports:
        for key in summary:
            summary[key] += int(report.get("summary", {}).get(key, 0))
        for check in report.get("results", {}).get("failed_checks", []):
            template_name = Path(check["file_path"]).name.rsplit(".", 1)[0]
            logical_id = str(check["resource"]).split(".", 1)[-1]
            findings.append(Finding("checkov", check["check_id"], f"{template_name}:{logical_id}", check["check_name"]))
    resources = sum(len(file.data.get("Resources") or {}) for file in files)
    if summary != {"parsing_errors": 0, "resource_count": resources}:
        pytest.fail(f"checkov did not read every resource of {len(files)} templates ({resources}): {summary}")
    return findings


def policy_lines(document: Mapping[str, Any]) -> str:
    """The policy as JSON with each statement on a line of its own, statement i on line i + 2."""
    statements = document["Statement"]
    statements = statements if isinstance(statements, list) else [statements]
    head = json.dumps({key: value for key, value in document.items() if key != "Statement"})[:-1]
    head = f"{head}, " if head != "{" else head
    body = ",\n".join(json.dumps(statement) for statement in statements)
    return f'{head}"Statement": [\n{body}\n]}}\n'


def statement_label(document: Mapping[str, Any], line: int | None) -> str | None:
    statements = document["Statement"]
    statements = statements if isinstance(statements, list) else [statements]
    if line is None or not 2 <= line < len(statements) + 2:
        return None
    statement = statements[line - 2]
    return str(statement["Sid"]) if isinstance(statement, dict) and "Sid" in statement else f"Statement[{line - 2}]"


def parliament(policies: list[PolicyDocument], directory: Path) -> list[Finding]:
    """parliament's findings on the policies (community auditors included), in one run."""
    executable = program("parliament")
    for number, policy in enumerate(policies):
        (directory / f"{number:04d}.json").write_text(policy_lines(policy.document), encoding="utf-8")
    command: list[str | Path] = [executable, "--directory", directory, "--include_policy_extension", "json"]
    result = _run([*command, "--json", "--include-community-auditors"], directory, {})
    if result.returncode not in (0, 1) or (result.returncode == 1) != bool(result.stdout.strip()):
        pytest.fail(f"parliament exited with {result.returncode}: {result.stderr.strip()[-2000:]}")
    findings = []
    for line in result.stdout.splitlines():
        reported = json.loads(line)
        location = reported.get("location") or {}
        policy = policies[int(Path(location["filepath"]).stem)]
        label = statement_label(policy.document, location.get("line", location.get("lineno")))
        where = f"{policy.where}/{label}" if label else policy.where
        said = [*_words(reported.get("detail")), *_words(_extras(location))]
        message = f"{reported.get('title', '')}: {'; '.join(said)}" if said else str(reported.get("title", ""))
        findings.append(Finding("parliament", reported["issue"], where, message))
    return findings


LOCATION_KEYS = {"filepath", "line", "lineno", "column", "string"}


def _extras(location: Mapping[str, Any]) -> dict[str, Any]:
    """What a parliament location says beyond the place (the actions a policy-wide finding is about)."""
    return {key: value for key, value in location.items() if key not in LOCATION_KEYS}


def _words(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [", ".join(sorted(value))]
    if isinstance(value, dict):
        return [f"{key}: {', '.join(_words(item))}" for key, item in sorted(value.items())]
    return [str(value)]
