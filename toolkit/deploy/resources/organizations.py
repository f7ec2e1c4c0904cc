"""AWS::Organizations::Policy, created as CloudFormation creates it: CreatePolicy in the world's Organization (from
its management account; the fake Organizations refuses anyone else), then AttachPolicy for each of its TargetIds
(the root, OUs or accounts). ``Content`` given as a mapping is sent as compact JSON (an SCP's 5,120-character
quota counts every character). The policy then applies to every account below its targets, as the simulator's IAM
evaluates it.
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html
"""

from __future__ import annotations

import json
from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Resource

POLICY_PROPERTIES: Final = ("Name", "Description", "Type", "Content", "TargetIds", "Tags")


def policy(resource: Resource) -> Physical:
    properties = resource.accept(POLICY_PROPERTIES, required=("Name", "Type", "Content"))
    content = properties["Content"]
    text = content if isinstance(content, str) else json.dumps(content, separators=(",", ":"))
    create: dict[str, Any] = {
        "Name": resource.text(properties["Name"], "Name"),
        "Description": resource.text(properties.get("Description", ""), "Description"),
        "Type": resource.text(properties["Type"], "Type"),
        "Content": text,
    }
    if "Tags" in properties:
        create["Tags"] = resource.tags()
    summary = resource.call("organizations", "CreatePolicy", create)["Policy"]["PolicySummary"]
    policy_id = str(summary["Id"])
    for target in resource.items(properties.get("TargetIds", []), "TargetIds"):
        attach = {"PolicyId": policy_id, "TargetId": resource.text(target, "TargetIds")}
        resource.call("organizations", "AttachPolicy", attach)
    return Physical(policy_id, {"Id": policy_id, "Arn": str(summary["Arn"]), "AwsManaged": False})


HANDLERS: Final[dict[str, Handler]] = {"AWS::Organizations::Policy": policy}
