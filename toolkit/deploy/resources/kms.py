"""AWS::KMS::Key and AWS::KMS::Alias, created as CloudFormation creates them: CreateKey (the key policy, with KMS's
lockout safety check unless BypassPolicyLockoutSafetyCheck, description, spec, usage, tags), then EnableKeyRotation
and DisableKey as the template asks; CreateAlias.

``PendingWindowInDays`` only matters when the stack deletes the key, so creating it applies nothing of it (accepted,
not dropped). Without ``KeyPolicy`` the key has KMS's default key policy, as CloudFormation leaves it.
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Resource

KEY_PROPERTIES: Final = (
    "Description",
    "KeyPolicy",
    "EnableKeyRotation",
    "RotationPeriodInDays",
    "Enabled",
    "KeySpec",
    "KeyUsage",
    "MultiRegion",
    "Tags",
    "BypassPolicyLockoutSafetyCheck",
    "PendingWindowInDays",
)


def key(resource: Resource) -> Physical:
    properties = resource.accept(KEY_PROPERTIES)
    create: dict[str, Any] = {}
    if "KeyPolicy" in properties:
        create["Policy"] = resource.json_text(properties["KeyPolicy"], "KeyPolicy")
    if "Description" in properties:
        create["Description"] = resource.text(properties["Description"], "Description")
    for name in ("KeySpec", "KeyUsage"):
        if name in properties:
            create[name] = resource.text(properties[name], name)
    for name in ("MultiRegion", "BypassPolicyLockoutSafetyCheck"):
        if name in properties:
            create[name] = resource.boolean(properties[name], name)
    if "Tags" in properties:
        create["Tags"] = [{"TagKey": tag["Key"], "TagValue": tag["Value"]} for tag in resource.tags()]
    metadata = resource.call("kms", "CreateKey", create)["KeyMetadata"]
    key_id = str(metadata["KeyId"])
    rotation = resource.boolean(properties.get("EnableKeyRotation", False), "EnableKeyRotation")
    if "RotationPeriodInDays" in properties and not rotation:
        raise resource.error("property RotationPeriodInDays needs EnableKeyRotation true")
    if rotation:
        enable: dict[str, Any] = {"KeyId": key_id}
        if "RotationPeriodInDays" in properties:
            enable["RotationPeriodInDays"] = resource.integer(
                properties["RotationPeriodInDays"], "RotationPeriodInDays"
            )
        resource.call("kms", "EnableKeyRotation", enable)
    if not resource.boolean(properties.get("Enabled", True), "Enabled"):
        resource.call("kms", "DisableKey", {"KeyId": key_id})
    if "PendingWindowInDays" in properties:
        days = resource.integer(properties["PendingWindowInDays"], "PendingWindowInDays")
        if not 7 <= days <= 30:
            raise resource.error("property PendingWindowInDays must be 7 to 30")
    return Physical(key_id, {"Arn": str(metadata["Arn"]), "KeyId": key_id})


def alias(resource: Resource) -> Physical:
    properties = resource.accept(("AliasName", "TargetKeyId"), required=("AliasName", "TargetKeyId"))
    name = resource.text(properties["AliasName"], "AliasName")
    target = resource.text(properties["TargetKeyId"], "TargetKeyId")
    resource.call("kms", "CreateAlias", {"AliasName": name, "TargetKeyId": target})
    return Physical(name)


HANDLERS: Final[dict[str, Handler]] = {"AWS::KMS::Key": key, "AWS::KMS::Alias": alias}
