"""AWS Automated Security Response on AWS (ASR): its remediation runbooks as its build fills them in, and the member
account its deployment leaves behind, for the acceptance tests of issue 14 (tests/data/asr/README.md).

ASR's sources are not in this repository (public code stays out of its commits): the tests read them from an ASR
checkout, or a git directory holding commit ``ASR_COMMIT``, named by the environment variable ``ASR_SOURCE``, else
from the fetch tool's mirror beside ``shared/`` (``../.mirror/aws-solutions+automated-security-response-on-aws/repo``),
and are skipped when neither is there. ``fill_runbooks`` copies each template and the scripts it names into a
folder and fills them in with ``toolkit.placeholders``, as ASR's RunbookFactory does at build time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from tests.conftest import ROOT
from toolkit.fakes.world import World
from toolkit.placeholders import fill_template
from toolkit.source import read_data

ASR_REPOSITORY: Final = "aws-solutions/automated-security-response-on-aws"
ASR_COMMIT: Final = "379596298f7e82d0af5b8f23dcb72046a135d24a"
"""v3.1.5 (2026-04-21), the commit the shared corpus's ASR documents come from."""
RUNBOOKS_PATH: Final = "source/remediation_runbooks"
MIRROR: Final = ROOT.parent / ".mirror" / "aws-solutions+automated-security-response-on-aws" / "repo"
RUNBOOKS: Final = (
    "CreateCloudTrailMultiRegionTrail",
    "EnableCloudTrailToCloudWatchLogging",
    "EnableAWSConfig",
    "CreateAccessLoggingBucket",
)
"""The runbooks the tests run (CreateAccessLoggingBucket is EnableAWSConfig's child); ASR publishes each as the
document ``ASR-<name>``."""
SCRIPT: Final = re.compile(r"%%SCRIPT=([^%\n]+)%%")

SOLUTION: Final = "SO0111"
NAMESPACE: Final = "myasr"
"""The deployment's Namespace parameter (3 to 9 characters, ASR's NamespaceParam): the suffix of its role names."""
ACCOUNT: Final = "111122223333"
KEY_PARAMETER: Final = f"/Solutions/{SOLUTION}/CMK_REMEDIATION_ARN"


# -- ASR's sources -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AsrSource:
    """An ASR checkout (a folder holding ``source/``) or a git directory holding ``ASR_COMMIT``."""

    where: Path
    git: bool

    def read(self, path: str) -> str:
        if not self.git:
            return (self.where / path).read_text(encoding="utf-8")
        shown = subprocess.run(
            ["git", f"--git-dir={self.where}", "show", f"{ASR_COMMIT}:{path}"],
            capture_output=True,
            check=True,
        )
        return shown.stdout.decode("utf-8")


def find_source() -> AsrSource | None:
    """ASR's sources as ``ASR_SOURCE`` names them, else the fetch tool's mirror; None when neither is there."""
    named = os.environ.get("ASR_SOURCE")
    for candidate in [Path(named)] if named else [MIRROR]:
        if (candidate / RUNBOOKS_PATH).is_dir():
            return AsrSource(candidate, git=False)
        if (candidate / "HEAD").is_file() and _has_commit(candidate):
            return AsrSource(candidate, git=True)
    return None


def _has_commit(git_dir: Path) -> bool:
    probe = ["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{ASR_COMMIT}^{{commit}}"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@dataclass(frozen=True)
class Runbook:
    name: str
    template: str
    """The template as ASR keeps it (``%%SCRIPT=...%%`` placeholders)."""
    scripts: dict[str, str]
    """Each script the template names: file name -> text."""
    text: str
    """The filled-in document, as ASR's build makes it."""

    @property
    def document_name(self) -> str:
        return f"ASR-{self.name}"

    def data(self) -> dict[str, Any]:
        data, _ = read_data(self.text, file=f"{self.document_name}.yaml")
        assert isinstance(data, dict)
        return data


def fill_runbooks(source: AsrSource, folder: Path) -> dict[str, Runbook]:
    """Each of ``RUNBOOKS`` copied from ``source`` into ``folder`` (template and scripts, laid out as in ASR) and
    filled in there."""
    scripts_folder = folder / "scripts"
    scripts_folder.mkdir(parents=True, exist_ok=True)
    runbooks = {}
    for name in RUNBOOKS:
        template = source.read(f"{RUNBOOKS_PATH}/{name}.yaml")
        scripts = {script: source.read(f"{RUNBOOKS_PATH}/scripts/{script}") for script in SCRIPT.findall(template)}
        (folder / f"{name}.yaml").write_text(template, encoding="utf-8")
        for script, text in scripts.items():
            (scripts_folder / script).write_text(text, encoding="utf-8")
        text = fill_template(folder / f"{name}.yaml", scripts_folder, namespace=NAMESPACE)
        runbooks[name] = Runbook(name, template, scripts, text)
    return runbooks


# -- the member account ASR's deployment leaves ------------------------------------------------------------------


def role_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def remediation_role(runbook: str) -> str:
    """The role ASR's member-roles stack makes for a remediation (SsmRole): ``SO0111-<runbook>-<namespace>``."""
    return f"{SOLUTION}-{runbook}-{NAMESPACE}"


ORCHESTRATOR_ROLE: Final = f"{SOLUTION}-ASR-Orchestrator-Member"
CLOUDWATCH_ROLE: Final = f"{SOLUTION}-CloudTrailToCloudWatchLogs-{NAMESPACE}"


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _allow(actions: list[str], resources: str | list[str]) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def remediation_policies(region: str) -> dict[str, str]:
    """Each remediation role's inline policy, from ASR's remediation-runbook-stack.ts (the statements the three
    runbooks and the child use; the common deny of privilege escalation is left out)."""
    account, logs = ACCOUNT, "arn:aws:logs"
    trails = f"arn:aws:cloudtrail:*:{account}:trail/*"
    asr_buckets = "arn:aws:s3:::so0111-*"
    return {
        "CreateCloudTrailMultiRegionTrail": _policy(
            _allow(["cloudtrail:CreateTrail", "cloudtrail:UpdateTrail", "cloudtrail:StartLogging",
                    "cloudtrail:AddTags"], trails),
            _allow(["cloudtrail:DescribeTrails"], "*"),
            _allow(["iam:GetRole"], f"arn:aws:iam::{account}:role/*"),
            _allow(["s3:CreateBucket", "s3:PutEncryptionConfiguration", "s3:PutBucketPublicAccessBlock",
                    "s3:PutBucketLogging", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutBucketOwnershipControls"],
                   asr_buckets),
            _allow(["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"],
                   f"arn:aws:kms:*:{account}:key/*"),
        ),
        "EnableCloudTrailToCloudWatchLogging": _policy(
            _allow(["cloudtrail:UpdateTrail", "cloudtrail:GetTrail"], trails),
            _allow(["s3:GetBucketPolicy", "s3:PutBucketPolicy"], "arn:aws:s3:::*"),
            _allow(["iam:PassRole"], role_arn(CLOUDWATCH_ROLE)),
            _allow(["logs:CreateLogGroup"], f"{logs}:*:{account}:log-group:*"),
            _allow(["logs:DescribeLogGroups"], "*"),
        ),
        "EnableAWSConfig": _policy(
            _allow(["iam:GetRole", "iam:PassRole"],
                   [role_arn("aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
                    role_arn(remediation_role("CreateAccessLoggingBucket"))]),
            _allow(["sns:CreateTopic", "sns:SetTopicAttributes"],
                   f"arn:aws:sns:*:{account}:SO0111-ASR-AWSConfigNotification"),
            _allow(["ssm:StartAutomationExecution"],
                   f"arn:aws:ssm:*:{account}:automation-definition/ASR-CreateAccessLoggingBucket:*"),
            _allow(["ssm:GetAutomationExecution", "config:PutConfigurationRecorder", "config:PutDeliveryChannel",
                    "config:DescribeConfigurationRecorders", "config:StartConfigurationRecorder",
                    "config:DescribeDeliveryChannels", "config:DescribeConfigurationRecorderStatus"], "*"),
            _allow(["s3:CreateBucket", "s3:PutEncryptionConfiguration", "s3:PutBucketPublicAccessBlock",
                    "s3:PutBucketLogging", "s3:PutBucketAcl", "s3:PutBucketPolicy"], asr_buckets),
        ),
        "CreateAccessLoggingBucket": _policy(
            _allow(["s3:CreateBucket", "s3:PutEncryptionConfiguration", "s3:PutBucketAcl",
                    "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy"], asr_buckets),
        ),
    }  # fmt: skip


def base_policy(runbook: str) -> str:
    """SsmRole's ASR-Member-Base-Policy: Parameter Store under /Solutions/SO0111/, passing and assuming itself,
    starting automations."""
    account, own = ACCOUNT, role_arn(remediation_role(runbook))
    return _policy(
        _allow(["ssm:GetParameters", "ssm:GetParameter", "ssm:PutParameter"],
               f"arn:aws:ssm:*:{account}:parameter/Solutions/{SOLUTION}/*"),
        _allow(["iam:PassRole"], own),
        _allow(["ssm:StartAutomationExecution", "ssm:GetAutomationExecution", "ssm:DescribeAutomationStepExecutions"],
               [f"arn:aws:ssm:*:{account}:document/ASR-{runbook}", f"arn:aws:ssm:*:{account}:automation-definition/*",
                "arn:aws:ssm:*::automation-definition/*", f"arn:aws:ssm:*:{account}:automation-execution/*"]),
        _allow(["sts:AssumeRole"], own),
    )  # fmt: skip


def remediation_key_policy(region: str) -> str:
    """The key policy of ASR's remediation key (source/lib/member/remediation-key.ts)."""
    services = ["sns.amazonaws.com", "s3.amazonaws.com", "logs.amazonaws.com", f"logs.{region}.amazonaws.com",
                "cloudtrail.amazonaws.com", "cloudwatch.amazonaws.com"]  # fmt: skip
    actions = ["kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
               "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom",
               "kms:ReEncryptTo", "kms:DescribeKey", "kms:DescribeCustomKeyStores"]  # fmt: skip
    return _policy(
        {"Effect": "Allow", "Principal": {"Service": services}, "Action": actions, "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
    )


def member_calls(region: str) -> list[dict[str, Any]]:
    """The API calls that make what ASR's member stacks leave in an account before any remediation: the roles and
    the remediation key (its alias and Parameter Store entry come after, once the key's id is known)."""
    ssm_and_account = {
        "Service": "ssm.amazonaws.com",
        "AWS": [role_arn(ORCHESTRATOR_ROLE), f"arn:aws:iam::{ACCOUNT}:root"],
    }
    calls: list[dict[str, Any]] = [
        _call("iam", "CreateRole", RoleName=ORCHESTRATOR_ROLE,
              AssumeRolePolicyDocument=_policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                "Action": "sts:AssumeRole"})),
        _call("iam", "CreateRole", RoleName=CLOUDWATCH_ROLE,
              AssumeRolePolicyDocument=_policy({"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                                "Action": "sts:AssumeRole"})),
        _call("iam", "PutRolePolicy", RoleName=CLOUDWATCH_ROLE, PolicyName="default_lambdaPolicy",
              PolicyDocument=_policy(_allow(["logs:CreateLogStream"], "arn:aws:logs:*:*:log-group:*"),
                                     _allow(["logs:PutLogEvents"], "arn:aws:logs:*:*:log-group:*:log-stream:*"))),
    ]  # fmt: skip
    for runbook, policy in remediation_policies(region).items():
        name = remediation_role(runbook)
        trust = {"Effect": "Allow", "Principal": ssm_and_account, "Action": "sts:AssumeRole"}
        calls += [
            _call("iam", "CreateRole", RoleName=name, AssumeRolePolicyDocument=_policy(trust)),
            _call("iam", "PutRolePolicy", RoleName=name, PolicyName=f"ASR-Remediation-Policy-{runbook}",
                  PolicyDocument=policy),
            _call("iam", "PutRolePolicy", RoleName=name, PolicyName="ASR-Member-Base-Policy",
                  PolicyDocument=base_policy(runbook)),
        ]  # fmt: skip
    calls.append(_call("kms", "CreateKey", Policy=remediation_key_policy(region), Description="SHARR Remediation Key"))
    return calls


def _call(service: str, api: str, **params: Any) -> dict[str, Any]:
    return {"Service": service, "Api": api, "Params": params}


def member_world(region: str, runbooks: dict[str, Runbook]) -> World:
    """A fresh account (no trail, bucket, log group, topic or Config recorder anywhere) in ``region`` with ASR's
    member stacks deployed: the roles, the remediation key with its alias, rotation and Parameter Store entry, and
    the child document ASR-CreateAccessLoggingBucket; every piece made by world-file ``Calls``."""
    first = World.from_dict({"Account": ACCOUNT, "Region": region, "Calls": member_calls(region)})
    (key,) = first.call("kms", "ListKeys")["Keys"]
    child = runbooks["CreateAccessLoggingBucket"]
    after_key = [
        _call("kms", "CreateAlias", AliasName=f"alias/{SOLUTION}-SHARR-Remediation-Key", TargetKeyId=key["KeyId"]),
        _call("kms", "EnableKeyRotation", KeyId=key["KeyId"]),
        _call("ssm", "PutParameter", Name=KEY_PARAMETER, Type="String", Value=key["KeyArn"],
              Description="KMS Customer Managed Key that will encrypt data for remediations"),
        _call("ssm", "CreateDocument", Name=child.document_name, Content=json.dumps(child.data()),
              DocumentType="Automation", DocumentFormat="JSON"),
    ]  # fmt: skip
    data = first.to_dict()
    data["Calls"] = [*data["Calls"], *after_key]
    return World.from_dict(data)


def remediation_key(world: World) -> str:
    """The remediation key's ARN, as ASR's Parameter Store entry holds it."""
    return str(world.call("ssm", "GetParameter", {"Name": KEY_PARAMETER})["Parameter"]["Value"])
