"""AWS::IAM::Role and AWS::IAM::ManagedPolicy, created as CloudFormation creates them: CreateRole (trust policy,
path, description, session duration, boundary, tags), PutRolePolicy for each inline policy and AttachRolePolicy for
each managed one; CreatePolicy, then attaching it to the roles, users and groups it names. The fake IAM checks
names, documents, quotas and that attached policies exist.
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Resource

ROLE_PROPERTIES: Final = (
    "RoleName",
    "Path",
    "AssumeRolePolicyDocument",
    "Description",
    "MaxSessionDuration",
    "Policies",
    "ManagedPolicyArns",
    "PermissionsBoundary",
    "Tags",
)
POLICY_PROPERTIES: Final = ("ManagedPolicyName", "Path", "Description", "PolicyDocument", "Roles", "Users", "Groups")


def role(resource: Resource) -> Physical:
    properties = resource.accept(ROLE_PROPERTIES, required=("AssumeRolePolicyDocument",))
    name = resource.name("RoleName", 64)
    create: dict[str, Any] = {
        "RoleName": name,
        "AssumeRolePolicyDocument": resource.json_text(
            properties["AssumeRolePolicyDocument"], "AssumeRolePolicyDocument"
        ),
    }
    for key in ("Path", "Description", "PermissionsBoundary"):
        if key in properties:
            create[key] = resource.text(properties[key], key)
    if "MaxSessionDuration" in properties:
        create["MaxSessionDuration"] = resource.integer(properties["MaxSessionDuration"], "MaxSessionDuration")
    if "Tags" in properties:
        create["Tags"] = resource.tags()
    created = resource.call("iam", "CreateRole", create)["Role"]
    for policy in resource.items(properties.get("Policies", []), "Policies"):
        entry = resource.mapping(policy, "Policies")
        if set(entry) != {"PolicyName", "PolicyDocument"}:
            raise resource.error("property Policies must be a list of {PolicyName, PolicyDocument}")
        document = resource.json_text(entry["PolicyDocument"], "Policies.PolicyDocument")
        put = {
            "RoleName": name,
            "PolicyName": resource.text(entry["PolicyName"], "Policies"),
            "PolicyDocument": document,
        }
        resource.call("iam", "PutRolePolicy", put)
    for arn in resource.items(properties.get("ManagedPolicyArns", []), "ManagedPolicyArns"):
        attach = {"RoleName": name, "PolicyArn": resource.text(arn, "ManagedPolicyArns")}
        resource.call("iam", "AttachRolePolicy", attach)
    return Physical(name, {"Arn": str(created["Arn"]), "RoleId": str(created["RoleId"])})


def managed_policy(resource: Resource) -> Physical:
    properties = resource.accept(POLICY_PROPERTIES, required=("PolicyDocument",))
    name = resource.name("ManagedPolicyName", 128)
    create: dict[str, Any] = {
        "PolicyName": name,
        "PolicyDocument": resource.json_text(properties["PolicyDocument"], "PolicyDocument"),
    }
    for key in ("Path", "Description"):
        if key in properties:
            create[key] = resource.text(properties[key], key)
    policy = resource.call("iam", "CreatePolicy", create)["Policy"]
    arn = str(policy["Arn"])
    for key, operation, member in (
        ("Roles", "AttachRolePolicy", "RoleName"),
        ("Users", "AttachUserPolicy", "UserName"),
        ("Groups", "AttachGroupPolicy", "GroupName"),
    ):
        for entity in resource.items(properties.get(key, []), key):
            resource.call("iam", operation, {member: resource.text(entity, key), "PolicyArn": arn})
    attributes = {
        "PolicyArn": arn,
        "PolicyId": str(policy["PolicyId"]),
        "DefaultVersionId": str(policy["DefaultVersionId"]),
    }
    return Physical(arn, attributes)


HANDLERS: Final[dict[str, Handler]] = {"AWS::IAM::Role": role, "AWS::IAM::ManagedPolicy": managed_policy}
