"""The organization variant: a template for the management account that
- deploys the log-archive template (``log_archive_template``: the central log bucket, its access-log bucket and
  the trail key) to the log-archive account ``LogArchiveAccountId`` with its own service-managed StackSet (the
  account among the given organizational units: ``AccountFilterType`` INTERSECTION);
- rolls the pattern out to the organizational units with two service-managed StackSets (auto-deployment on)
  whose templates are the single-account one with its roles' names fixed, split in two (``member_templates``: the
  remediation and the alarms; a StackSet's template holds at most 51,200 bytes), each member's own
  (non-organization) trail delivering to the central bucket and key;
- attaches to the same units the service control policies of ``toolkit.deploy.scp``.

The log-archive account must be in one of ``OrganizationalUnitIds``: the SCPs protect its bucket and key there,
and it keeps its own trail like every member. SCPs do not restrict the management account: deploy the
single-account template there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from toolkit.deploy.alarm import alarm_resources
from toolkit.deploy.names import (
    ALARM_STACK_SET_NAME,
    LOG_ARCHIVE_STACK_SET_NAME,
    STACK_SET_NAME,
)
from toolkit.deploy.names import REMEDIATION_ROLE_NAME as REMEDIATION_ROLE_NAME
from toolkit.deploy.scp import PROTECTED_ROLE_ACTIONS as PROTECTED_ROLE_ACTIONS  # re-exported, as before
from toolkit.deploy.scp import PROTECTED_TRAIL_ACTIONS as PROTECTED_TRAIL_ACTIONS
from toolkit.deploy.scp import SCP_DESCRIPTIONS, SCP_NAMES, scp_documents
from toolkit.deploy.scp import scp_document as scp_document
from toolkit.deploy.storage import (
    BUCKET,
    HAS_ADMINISTRATOR,
    KEY,
    USE_OBJECT_LOCK,
    bucket_resources,
    key_resources,
)
from toolkit.deploy.template import ADMINISTRATOR_MAX_LENGTH, ADMINISTRATOR_PATTERN, CENTRAL, OWN_STORAGE, template
from toolkit.deploy.template import conditions as single_conditions
from toolkit.deploy.template import parameters as single_parameters
from toolkit.render import to_yaml_text

Data = dict[str, Any]

STACK_SET = "RemediationStackSet"
ALARM_STACK_SET = "AlarmStackSet"
LOG_ARCHIVE_STACK_SET = "LogArchiveStackSet"
SCP = "CloudTrailProtection"
SCPS = (SCP, "CloudTrailDeliveryProtection")

PASSED_THROUGH = [
    "TrailName",
    "S3KeyPrefix",
    "CreateConfigRecorder",
    "AlarmEmail",
    "DeliveryCheckSchedule",
    "MaximumExecutionFrequency",
    "MaximumAutomaticAttempts",
    "RetryAttemptSeconds",
]
"""Member template parameters the management template passes on (the others keep their defaults)."""
LOG_ARCHIVE_PARAMETERS = ["AdministratorRoleArn", "OrganizationId", "S3KeyPrefix", "ObjectLockRetentionDays"]


def member_templates(documents: Mapping[str, Data | None] | None = None) -> tuple[Data, Data]:
    """The member accounts' two templates, split from the single-account template with the roles' names fixed,
    always delivering to the log-archive account (``LogArchiveAccountId`` required, no storage of their own): the
    remediation (rules, remediations, runbook, role, recorder) and the alarm (``toolkit.deploy.alarm``). Two, since
    a StackSet's template holds at most 51,200 bytes and the runbook alone is half of that."""
    full = template(role_name=REMEDIATION_ROLE_NAME, documents=documents)
    alarm = set(alarm_resources(["x"], {}, True))
    remediation = _part(full, [name for name in full["Resources"] if name not in alarm])
    remediation["Description"] = (
        "Keep AWS CloudTrail enabled and delivering to the log archive: Config rules with automatic remediation."
    )
    alarms = _part(full, [name for name in full["Resources"] if name in alarm])
    alarms["Description"] = "Alarms of the CloudTrail remediation pattern: failures, non-compliance, delivery check."
    return remediation, alarms


def member_template() -> Data:
    """The member accounts' remediation template (``member_templates``)."""
    return member_templates()[0]


def alarm_template() -> Data:
    """The member accounts' alarm template (``member_templates``)."""
    return member_templates()[1]


def _part(full: Data, resources: list[str]) -> Data:
    """``full`` with central logging chosen (no storage of its own) and only ``resources``, and only the parameters,
    conditions, rules and outputs they use."""
    central = _choose(full, CENTRAL, True)
    kept = {name: central["Resources"][name] for name in resources if name in central["Resources"]}
    kept = {name: item for name, item in kept.items() if item.get("Condition") != OWN_STORAGE}
    outputs = {name: item for name, item in central.get("Outputs", {}).items() if _references(item)[1] <= set(kept)}
    params, conditions = _used(central, [kept, outputs])
    data: Data = {
        "AWSTemplateFormatVersion": central["AWSTemplateFormatVersion"],
        "Description": central["Description"],
    }
    data["Parameters"] = {name: item for name, item in central["Parameters"].items() if name in params}
    if "LogArchiveAccountId" in data["Parameters"]:
        archive = data["Parameters"]["LogArchiveAccountId"]
        archive["AllowedPattern"] = r"^\d{12}$"
        archive["Description"] = "The log-archive account (its bucket and key receive this account's trail)."
        del archive["Default"]
    rules = {
        name: rule for name, rule in central.get("Rules", {}).items() if _references(rule)[0] <= set(data["Parameters"])
    }
    rules.pop("CentralLoggingNeedsOrganizationId", None)
    if rules:
        data["Rules"] = rules
    if conditions:
        data["Conditions"] = {name: item for name, item in central["Conditions"].items() if name in conditions}
    data["Resources"] = kept
    if outputs:
        data["Outputs"] = outputs
    copied: Data = _copy(data)
    return copied


def _choose(data: Any, condition: str, truth: bool) -> Any:
    """``data`` with every ``Fn::If`` on ``condition`` replaced by its branch for ``truth``."""
    if isinstance(data, dict):
        branches = data.get("Fn::If")
        if len(data) == 1 and isinstance(branches, list) and branches[0] == condition:
            return _choose(branches[1] if truth else branches[2], condition, truth)
        return {key: _choose(item, condition, truth) for key, item in data.items()}
    if isinstance(data, list):
        return [_choose(item, condition, truth) for item in data]
    return data


_SUB_NAME = re.compile(r"\$\{([^}!][^}]*)\}")


def _references(value: Any) -> tuple[set[str], set[str], set[str]]:
    """(names a value refers to with Ref or Fn::Sub, resources it names with Fn::GetAtt/Ref/Fn::Sub attributes,
    conditions it names)."""
    names: set[str] = set()
    resources: set[str] = set()
    conditions: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for key, argument in item.items():
                if key == "Ref" and isinstance(argument, str):
                    names.add(argument)
                    resources.add(argument)
                elif key == "Fn::GetAtt":
                    resources.add(argument[0] if isinstance(argument, list) else str(argument).split(".")[0])
                elif key == "Fn::Sub":
                    text = argument if isinstance(argument, str) else argument[0]
                    for found in _SUB_NAME.findall(text):
                        names.add(found.split(".")[0])
                        resources.add(found.split(".")[0])
                    if not isinstance(argument, str):
                        walk(argument[1])
                elif key == "Fn::If":
                    conditions.add(argument[0])
                    walk(argument[1:])
                elif key == "Condition" and isinstance(argument, str):
                    conditions.add(argument)
                else:
                    walk(argument)
        elif isinstance(item, list):
            for element in item:
                walk(element)

    walk(value)
    return names, resources, conditions


def _used(data: Data, parts: list[Any]) -> tuple[set[str], set[str]]:
    """The parameters and conditions ``parts`` use, the conditions' own included (transitively)."""
    names, _, conditions = _references(parts)
    pending = list(conditions)
    while pending:
        more_names, _, more = _references(data["Conditions"][pending.pop()])
        names |= more_names
        pending += [name for name in more if name not in conditions]
        conditions |= more
    return names & set(data["Parameters"]), conditions


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def log_archive_template() -> Data:
    """The log-archive account's stack: the central bucket (access logging, optional Object Lock), its access-log
    bucket and the trail key, writable by every member account's trails (``toolkit.deploy.storage``)."""
    declared = single_parameters()
    parameters = {name: _copy(declared[name]) for name in LOG_ARCHIVE_PARAMETERS}
    parameters["OrganizationId"]["AllowedPattern"] = r"^o-[a-z0-9]{10,32}$"
    parameters["OrganizationId"]["Description"] = "The organization whose member accounts' trails deliver here."
    del parameters["OrganizationId"]["Default"]
    every = single_conditions()
    conditions = {name: every[name] for name in (HAS_ADMINISTRATOR, USE_OBJECT_LOCK, "HasS3KeyPrefix")}
    data = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "The organization's CloudTrail log archive: central bucket, access logs and trail key.",
        "Parameters": parameters,
        "Conditions": conditions,
        "Resources": {
            **bucket_resources(central=True, stack_set=True),
            **key_resources(central=True, stack_set=True),
        },
        "Outputs": {
            "LogBucketName": {"Value": {"Ref": BUCKET}},
            "KmsKeyArn": {"Value": {"Fn::GetAtt": [KEY, "Arn"]}},
        },
    }
    copied: Data = _copy(data)
    return copied


def parameters(member: Data, alarm: Data) -> Data:
    result: Data = {
        "OrganizationalUnitIds": {
            "Type": "CommaDelimitedList",
            "Description": "The organizational units (ou-... or the root r-...) to deploy to and protect; they must "
            "hold the log-archive account.",
        },
        "AdministratorRoleArn": {
            "Type": "String",
            "Description": "The role (ARN; account may be *) that alone may change what the SCPs protect.",
            "AllowedPattern": ADMINISTRATOR_PATTERN.removeprefix("^$|"),
            "MaxLength": ADMINISTRATOR_MAX_LENGTH,
        },
        "OrganizationId": {
            "Type": "String",
            "Description": "The organization's id (o-...): the central bucket and key accept its trails.",
            "AllowedPattern": r"^o-[a-z0-9]{10,32}$",
        },
        "LogArchiveAccountId": {
            "Type": "String",
            "Description": "The account that holds the central log bucket and trail key.",
            "AllowedPattern": r"^\d{12}$",
        },
        "ObjectLockRetentionDays": _copy(single_parameters()["ObjectLockRetentionDays"]),
    }
    for name in PASSED_THROUGH:
        result[name] = _copy(member["Parameters"].get(name) or alarm["Parameters"][name])
    return result


def _stack_set(name: str, description: str, body: Data, given: list[str], fixed: dict[str, str]) -> Data:
    values = [{"ParameterKey": key, "ParameterValue": {"Ref": key}} for key in given]
    values += [{"ParameterKey": key, "ParameterValue": value} for key, value in fixed.items()]
    return {
        "Type": "AWS::CloudFormation::StackSet",
        "Properties": {
            "StackSetName": name,
            "Description": description,
            "PermissionModel": "SERVICE_MANAGED",
            "CallAs": "SELF",
            "Capabilities": ["CAPABILITY_NAMED_IAM"],
            "ManagedExecution": {"Active": True},
            "OperationPreferences": {"FailureTolerancePercentage": 0, "MaxConcurrentPercentage": 25},
            "Parameters": values,
            "TemplateBody": json.dumps(body, separators=(",", ":"), sort_keys=True),
        },
    }


def stack_set(member: Data, name: str = STACK_SET_NAME, description: str | None = None) -> Data:
    """A member StackSet of ``member`` (the remediation or the alarm template), auto-deploying to the units."""
    given = [
        key for key in [*PASSED_THROUGH, "AdministratorRoleArn", "LogArchiveAccountId"] if key in member["Parameters"]
    ]
    fixed = {"IsOrganizationTrail": "false"} if "IsOrganizationTrail" in member["Parameters"] else {}
    resource = _stack_set(
        name,
        description
        or "Keep AWS CloudTrail enabled and delivering in every member account (Config rules, remediation).",
        member,
        given,
        fixed,
    )
    resource["DependsOn"] = [LOG_ARCHIVE_STACK_SET]
    properties = resource["Properties"]
    properties["AutoDeployment"] = {"Enabled": True, "RetainStacksOnAccountRemoval": False}
    properties["StackInstancesGroup"] = [
        {
            "DeploymentTargets": {"OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}},
            "Regions": [{"Ref": "AWS::Region"}],
        }
    ]
    return resource


def log_archive_stack_set(archive: Data) -> Data:
    resource = _stack_set(
        LOG_ARCHIVE_STACK_SET_NAME,
        "The organization's CloudTrail log archive (central bucket and trail key).",
        archive,
        LOG_ARCHIVE_PARAMETERS,
        {},
    )
    resource["Properties"]["StackInstancesGroup"] = [
        {
            "DeploymentTargets": {
                "OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"},
                "Accounts": [{"Ref": "LogArchiveAccountId"}],
                "AccountFilterType": "INTERSECTION",
            },
            "Regions": [{"Ref": "AWS::Region"}],
        }
    ]
    return resource


def scp_resources() -> Data:
    return {
        logical: {
            "Type": "AWS::Organizations::Policy",
            "Properties": {
                "Name": name,
                "Description": description,
                "Type": "SERVICE_CONTROL_POLICY",
                "Content": document,
                "TargetIds": {"Ref": "OrganizationalUnitIds"},
            },
        }
        for logical, name, description, document in zip(SCPS, SCP_NAMES, SCP_DESCRIPTIONS, scp_documents(), strict=True)
    }


def organization_template(documents: Mapping[str, Data | None] | None = None) -> Data:
    """The management account's template (deterministic); ``documents`` as for ``template``."""
    member, alarm = member_templates(documents)
    data = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Keep AWS CloudTrail enabled and delivering across an organization: central log archive, "
        "member StackSet, protecting SCPs.",
        "Parameters": parameters(member, alarm),
        "Resources": {
            LOG_ARCHIVE_STACK_SET: log_archive_stack_set(log_archive_template()),
            STACK_SET: stack_set(member),
            ALARM_STACK_SET: stack_set(
                alarm,
                ALARM_STACK_SET_NAME,
                "The CloudTrail pattern's alarms in "
                "every member account: failed remediations, non-compliance, delivery.",
            ),
            **scp_resources(),
        },
        "Outputs": {
            "StackSetId": {"Value": {"Ref": STACK_SET}},
            "AlarmStackSetId": {"Value": {"Ref": ALARM_STACK_SET}},
            "LogArchiveStackSetId": {"Value": {"Ref": LOG_ARCHIVE_STACK_SET}},
            "LogBucketName": {"Value": {"Fn::Sub": "cloudtrail-logs-${LogArchiveAccountId}-${AWS::Region}"}},
            "ServiceControlPolicyIds": {"Value": {"Fn::Join": [",", [{"Ref": name} for name in SCPS]]}},
        },
    }
    copied: Data = _copy(data)
    return copied


def organization_template_yaml() -> str:
    return to_yaml_text(organization_template())
