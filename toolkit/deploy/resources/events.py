"""AWS::Events::Rule, created as CloudFormation creates it: PutRule, then PutTargets. EventBridge is answered by
moto through the world's backend (the fakes do not own it), so the rule and its targets are in the world's moto
log and ``--world-out`` writes them as ``Calls``. PutRule creates or updates; CloudFormation refuses to create a
rule that exists, so a rule of that name already on the bus is refused (AlreadyExists). Targets are passed as they
are given (their keys are EventBridge's own); a failed entry of PutTargets is an error naming it.
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-rule.html
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Resource
from toolkit.fakes.errors import AwsError

RULE_PROPERTIES: Final = (
    "Name",
    "Description",
    "EventPattern",
    "ScheduleExpression",
    "State",
    "EventBusName",
    "RoleArn",
    "Targets",
)
TARGET_KEYS: Final = (
    "Id",
    "Arn",
    "RoleArn",
    "Input",
    "InputPath",
    "InputTransformer",
    "DeadLetterConfig",
    "RetryPolicy",
)


def rule(resource: Resource) -> Physical:
    properties = resource.accept(RULE_PROPERTIES)
    if "EventPattern" not in properties and "ScheduleExpression" not in properties:
        raise resource.error("property EventPattern or ScheduleExpression is required")
    name = resource.name("Name", 64)
    bus = resource.text(properties.get("EventBusName", "default"), "EventBusName")
    located: dict[str, Any] = {"Name": name} if bus == "default" else {"Name": name, "EventBusName": bus}
    try:
        resource.backend.call("events", "DescribeRule", dict(located))
    except AwsError as err:
        if err.code != "ResourceNotFoundException":
            raise resource.error(f"events DescribeRule failed: {err.code}: {err.message}") from err
    else:
        raise resource.already_exists(name)
    put: dict[str, Any] = dict(located)
    if "EventPattern" in properties:
        put["EventPattern"] = resource.json_text(properties["EventPattern"], "EventPattern")
    for key in ("Description", "ScheduleExpression", "State", "RoleArn"):
        if key in properties:
            put[key] = resource.text(properties[key], key)
    arn = str(resource.call("events", "PutRule", put)["RuleArn"])
    targets = [_target(resource, item) for item in resource.items(properties.get("Targets", []), "Targets")]
    if targets:
        answer = resource.call("events", "PutTargets", {"Rule": name, **_bus(bus), "Targets": targets})
        for failed in answer.get("FailedEntries", []):
            raise resource.error(
                f"events PutTargets failed for target {failed.get('TargetId')}: "
                f"{failed.get('ErrorCode')}: {failed.get('ErrorMessage')}"
            )
    physical = name if bus == "default" else f"{bus}|{name}"
    return Physical(physical, {"Arn": arn})


def _bus(bus: str) -> dict[str, str]:
    return {} if bus == "default" else {"EventBusName": bus}


def _target(resource: Resource, item: Any) -> dict[str, Any]:
    target = dict(resource.mapping(item, "Targets"))
    for key in target:
        if key not in TARGET_KEYS:
            raise resource.error(f"property Targets.{key} is not instantiated (supported: {', '.join(TARGET_KEYS)})")
    if "Id" not in target or "Arn" not in target:
        raise resource.error("property Targets: each target needs an Id and an Arn")
    if "RetryPolicy" in target:
        policy = resource.mapping(target["RetryPolicy"], "Targets.RetryPolicy")
        target["RetryPolicy"] = {
            key: resource.integer(value, f"Targets.RetryPolicy.{key}") for key, value in policy.items()
        }
    return target


HANDLERS: Final[dict[str, Handler]] = {"AWS::Events::Rule": rule}
