"""The organization variant's service control policies: nobody in a member account but the exempt principals may
stop or weaken CloudTrail, cut its delivery, or disarm the pattern that keeps it on.

Exempt principals and who may act as them (decisions; shared/spec/iam.md §7):
- ``CloudTrailRemediationAutomation``, the remediation role, may change trails (and nothing else here);
- ``AdministratorRoleArn`` may do everything protected here (it administers the pattern);
- ``stacksets-exec-*``, the role service-managed StackSets create in every account (through a service-linked role,
  which SCPs do not bind), may create and update the pattern's resources.
Every exempt name is protected in turn: creating a role of such a name, changing its trust, policies, boundary,
description or tags, deleting it, passing it to a service or assuming it is denied to everyone outside the exempt
set, so no one can become exempt by making or taking over a role of that name. The pattern's other roles
(the delivery check's two) are protected the same way, though they exempt nothing, with one exception: the
delivery check's scheduler role (which EventBridge assumes) may pass the delivery check's role to Automation, and
no other protected role (its own policy, which nobody else may change, allows no more).

What is protected, each by a name the templates fix (never a tag):
- trails: StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors, PutInsightSelectors;
- the trail key and the alarm key, by their aliases (``kms:ResourceAliases``): disabling, scheduling deletion,
  rewriting the policy, grants, imported material, rotation off; and the aliases themselves (create, move, delete);
- the buckets ``cloudtrail-logs-*`` (log and access-log buckets): policy, lifecycle, versioning, object lock,
  encryption, public access block, ownership, replication, logging, ACL, deletion of the bucket and of objects and
  object versions;
- AWS Config on ``*`` (as Control Tower's guardrail against configuration changes to AWS Config does, since rule
  and recorder ARNs hold ids AWS generates): rules, remediation configurations, remediation exceptions, evaluation
  results, the recorder (its types included) and the delivery channel. Decision: config:DeleteRemediationExceptions
  stays allowed: removing an exception can only make Config remediate again;
- the SSM documents (the remediation runbook and ``cloudtrail-delivery-check``): new versions, the default
  version, deletion, sharing, metadata (and creation, should one be missing);
- the StackSets' stack instances ``StackSet-cloudtrail-remediation-*``: deletion, updates, change sets, stack
  policy, termination protection;
- the account's membership: leaving the organization (which would take the account out of every SCP);
- the alarm: the EventBridge rules ``cloudtrail-remediation-*`` (delete, disable, rewrite, retarget) and the topic
  ``cloudtrail-remediation-alarm`` (delete, attributes, permissions, subscriptions).

An SCP holds at most 5,120 characters (AWS Organizations quotas; through the API and CloudFormation the document
is stored as sent, whitespace included), so the statements are spread over ``SCP_COUNT`` policies and
``check_sizes`` proves each fits with the longest administrators' ARN the template accepts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from toolkit.deploy.names import (
    ALARM_TOPIC_NAME,
    DELIVERY_CHECK_ROLE_NAME,
    DOCUMENT_NAMES,
    LOG_BUCKET_PREFIX,
    PATTERN_ROLE_NAMES,
    PROTECTED_ALIASES,
    REMEDIATION_ROLE_NAME,
    RULE_PREFIX,
    SCHEDULER_ROLE_NAME,
    STACK_INSTANCE_PREFIX,
    STACKSETS_EXECUTION_ROLE,
)
from toolkit.deploy.storage import BUCKET_PROTECTED_ACTIONS, OBJECT_PROTECTED_ACTIONS

Data = dict[str, Any]

SCP_SIZE_LIMIT: Final = 5120
"""Characters of one service control policy document (AWS Organizations quotas, "Maximum size of a policy
document")."""

PROTECTED_TRAIL_ACTIONS = [
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
]
"""What stops, deletes or weakens a trail. (RemoveTags and AddTags do not change what is logged: left allowed.)"""

PROTECTED_ROLE_ACTIONS = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PassRole",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "sts:AssumeRole",
]
"""What would let someone make, reshape, hand out or become a protected role."""

PROTECTED_KEY_ACTIONS = [
    "kms:CreateGrant",
    "kms:DeleteImportedKeyMaterial",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
]
"""What would cut delivery through the key (or hand its use to someone). Restoring actions (EnableKey,
CancelKeyDeletion) stay allowed."""
PROTECTED_ALIAS_ACTIONS = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]

PROTECTED_CONFIG_ACTIONS = [
    "config:AssociateResourceTypes",
    "config:DeleteConfigRule",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:DeleteEvaluationResults",
    "config:DeleteRemediationConfiguration",
    "config:DisassociateResourceTypes",
    "config:PutConfigRule",
    "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel",
    "config:PutRemediationConfigurations",
    "config:PutRemediationExceptions",
    "config:StopConfigurationRecorder",
]
PROTECTED_DOCUMENT_ACTIONS = [
    "ssm:CreateDocument",
    "ssm:DeleteDocument",
    "ssm:ModifyDocumentPermission",
    "ssm:UpdateDocument",
    "ssm:UpdateDocumentDefaultVersion",
    "ssm:UpdateDocumentMetadata",
]
PROTECTED_STACK_ACTIONS = [
    "cloudformation:CancelUpdateStack",
    "cloudformation:ContinueUpdateRollback",
    "cloudformation:CreateChangeSet",
    "cloudformation:DeleteStack",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:RollbackStack",
    "cloudformation:SetStackPolicy",
    "cloudformation:UpdateStack",
    "cloudformation:UpdateTerminationProtection",
]
PROTECTED_RULE_ACTIONS = [
    "events:DeleteRule",
    "events:DisableRule",
    "events:PutRule",
    "events:PutTargets",
    "events:RemoveTargets",
]
PROTECTED_TOPIC_ACTIONS = [
    "sns:AddPermission",
    "sns:DeleteTopic",
    "sns:PutDataProtectionPolicy",
    "sns:RemovePermission",
    "sns:SetTopicAttributes",
    "sns:Unsubscribe",
]

PARTITION = "${AWS::Partition}"
REMEDIATION_ROLE_ARN = f"arn:{PARTITION}:iam::*:role/{REMEDIATION_ROLE_NAME}"
STACKSETS_EXECUTION_ROLE_ARN = f"arn:{PARTITION}:iam::*:role/{STACKSETS_EXECUTION_ROLE}"


def _sub(text: str) -> Data:
    return {"Fn::Sub": text}


def administrators() -> list[Any]:
    """Who administers the pattern: the administrators' role and the StackSets execution role."""
    return [{"Ref": "AdministratorRoleArn"}, _sub(STACKSETS_EXECUTION_ROLE_ARN)]


def exempt_roles() -> list[Any]:
    """Every role ARN pattern an SCP statement exempts, each protected in turn."""
    return [_sub(REMEDIATION_ROLE_ARN), *administrators()]


DELIVERY_CHECK_ROLES: Final = (DELIVERY_CHECK_ROLE_NAME, SCHEDULER_ROLE_NAME)
"""The delivery check's role, and its scheduler's, which alone (with the administrators) may pass it."""


def protected_roles() -> list[Any]:
    """The roles nobody outside the exempt set may create, change, pass, tag or assume: every exempt pattern and
    the pattern's other roles."""
    others = [_sub(f"arn:{PARTITION}:iam::*:role/{name}") for name in PATTERN_ROLE_NAMES[1:]]
    return [*exempt_roles(), *others]


def _deny(sid: str, actions: list[str], resource: Any, exempt: list[Any], extra: Data | None = None) -> Data:
    condition: Data = {"ArnNotLike": {"aws:PrincipalArn": exempt}}
    if extra:
        condition.update(extra)
    return {"Sid": sid, "Effect": "Deny", "Action": actions, "Resource": resource, "Condition": condition}


def statements() -> list[list[Data]]:
    """The SCPs' statements, one list per policy."""
    admins = administrators()
    buckets = [_sub(f"arn:{PARTITION}:s3:::{LOG_BUCKET_PREFIX}*")]
    objects = [_sub(f"arn:{PARTITION}:s3:::{LOG_BUCKET_PREFIX}*/*")]
    aliases = [_sub(f"arn:{PARTITION}:kms:*:*:{alias}") for alias in PROTECTED_ALIASES]
    documents = [_sub(f"arn:{PARTITION}:ssm:*:*:document/{name}") for name in DOCUMENT_NAMES]
    aliased = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": list(PROTECTED_ALIASES)}}
    reshaping = [action for action in PROTECTED_ROLE_ACTIONS if action != "iam:PassRole"]
    check, scheduler = (_sub(f"arn:{PARTITION}:iam::*:role/{name}") for name in DELIVERY_CHECK_ROLES)
    trail_and_roles = [
        _deny("ProtectCloudTrail", PROTECTED_TRAIL_ACTIONS, "*", [_sub(REMEDIATION_ROLE_ARN), admins[0]]),
        _deny("ProtectPatternRoles", reshaping, protected_roles(), exempt_roles()[1:]),
        _deny("ProtectRolePassing", ["iam:PassRole"], [role for role in protected_roles() if role != check], admins),
        _deny("ProtectDeliveryCheckPassing", ["iam:PassRole"], check, [*admins, scheduler]),
        _deny("ProtectTrailKey", PROTECTED_KEY_ACTIONS, "*", admins, aliased),
        _deny("ProtectKeyAliases", PROTECTED_ALIAS_ACTIONS, aliases, admins),
        _deny("ProtectMembership", ["organizations:LeaveOrganization"], "*", admins[:1]),
    ]
    storage_and_machinery = [
        _deny("ProtectLogBuckets", BUCKET_PROTECTED_ACTIONS, buckets, admins),
        _deny("ProtectLogObjects", OBJECT_PROTECTED_ACTIONS, objects, admins),
        _deny("ProtectConfig", PROTECTED_CONFIG_ACTIONS, "*", admins),
        _deny("ProtectDocuments", PROTECTED_DOCUMENT_ACTIONS, documents, admins),
        _deny(
            "ProtectStackInstances",
            PROTECTED_STACK_ACTIONS,
            _sub(f"arn:{PARTITION}:cloudformation:*:*:stack/{STACK_INSTANCE_PREFIX}*"),
            admins,
        ),
        _deny(
            "ProtectAlarmRules", PROTECTED_RULE_ACTIONS, _sub(f"arn:{PARTITION}:events:*:*:rule/{RULE_PREFIX}*"), admins
        ),
        _deny(
            "ProtectAlarmTopic", PROTECTED_TOPIC_ACTIONS, _sub(f"arn:{PARTITION}:sns:*:*:{ALARM_TOPIC_NAME}"), admins
        ),
    ]
    return [trail_and_roles, storage_and_machinery]


SCP_NAMES = ("protect-cloudtrail", "protect-cloudtrail-delivery")
SCP_DESCRIPTIONS = (
    "Only the remediation role and the administrators may weaken CloudTrail; the pattern's roles and keys are theirs.",
    "Only the administrators may weaken CloudTrail's log buckets, AWS Config, the pattern's documents, stacks, alarm.",
)
SCP_COUNT = len(SCP_NAMES)


def scp_documents() -> list[Data]:
    return [{"Version": "2012-10-17", "Statement": group} for group in statements()]


def scp_document() -> Data:
    """Every statement in one document (for evaluating them together; deployed split, ``scp_documents``)."""
    return {"Version": "2012-10-17", "Statement": [item for group in statements() for item in group]}


# -- the size limit ----------------------------------------------------------------------------------------------

WORST_CASE: Final = {"AWS::Partition": "aws-iso-b"}
"""The longest partition name (with the longest administrators' ARN the template's MaxLength allows)."""


def _substituted(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"Fn::Sub"}:
            text = str(value["Fn::Sub"])
            for name, replacement in names.items():
                text = text.replace(f"${{{name}}}", replacement)
            return text
        if set(value) == {"Ref"}:
            return names[value["Ref"]]
        return {key: _substituted(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_substituted(item, names) for item in value]
    return value


def check_sizes(documents: list[Data], administrator_max_length: int) -> list[str]:
    """Each SCP at most ``SCP_SIZE_LIMIT`` characters, with the longest values the parameters allow. Decision:
    CloudFormation sends a Json property serialized without indentation (its handlers' JSON writers are compact);
    the check counts a space after every ``,`` and ``:`` as margin (Python's default separators). An indented
    rendering would not fit: were CloudFormation to send one, the statements would need a third policy."""
    names = {**WORST_CASE, "AdministratorRoleArn": "x" * administrator_max_length}
    problems = []
    for index, document in enumerate(documents):
        size = len(json.dumps(_substituted(document, names)))
        if size > SCP_SIZE_LIMIT:
            problems.append(f"SCP {index + 1} has {size} characters; AWS allows {SCP_SIZE_LIMIT}")
    return problems
