"""Actions that drive other services: EC2 instances and images, CloudFormation stacks, Lambda, Step Functions,
Run Command and webhooks. Each is the AWS calls the action makes, sent to the backend: the fake world answers
what it models, and a user can register a handler for the rest (``backend.register``); otherwise the step fails
naming the operation it could not simulate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from toolkit.fakes.errors import AwsError
from toolkit.simulate.execution import Execution, Outcome, StepFailed, StepPlan


def _call(run: Execution, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        return run.call(service, operation, params)
    except AwsError as err:
        raise StepFailed(f"{err.code}: {err.message}") from err


def _drop_none(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


def change_instance_state(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    ids = run.render(step, "InstanceIds", [])
    state = run.render(step, "DesiredState")
    operations = {"running": "StartInstances", "stopped": "StopInstances", "terminated": "TerminateInstances"}
    if run.render(step, "CheckStateOnly") in (True, "true"):
        response = _call(run, "ec2", "DescribeInstances", {"InstanceIds": ids})
        return Outcome(response=response)
    operation = operations.get(str(state))
    if operation is None:
        raise StepFailed(f"DesiredState {state!r} is not running, stopped or terminated")
    params: dict[str, Any] = {"InstanceIds": ids}
    if operation == "StopInstances" and run.render(step, "Force") in (True, "true"):
        params["Force"] = True
    return Outcome(response=_call(run, "ec2", operation, params))


def _simple(service: str, operation: str, mapping: dict[str, str], builtin: Callable[[dict[str, Any]], dict[str, Any]]):  # type: ignore[no-untyped-def]
    """A handler sending the step's inputs (renamed per ``mapping``) to one operation."""

    def handler(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
        inputs = run.inputs(step)
        params = _drop_none({mapping.get(key, key): value for key, value in inputs.items()})
        response = _call(run, service, operation, params)
        return Outcome(response=response, builtin=builtin(response))

    return handler


def _image(response: dict[str, Any]) -> dict[str, Any]:
    return {"ImageId": response.get("ImageId"), "ImageState": "available"}


def _stack(response: dict[str, Any]) -> dict[str, Any]:
    return {"StackId": response.get("StackId"), "StackStatus": "CREATE_COMPLETE", "StackStatusReason": ""}


def _lambda(response: dict[str, Any]) -> dict[str, Any]:
    return {
        "StatusCode": response.get("StatusCode"),
        "FunctionError": response.get("FunctionError", ""),
        "LogResult": response.get("LogResult", ""),
        "Payload": response.get("Payload", ""),
    }


def _nothing(response: dict[str, Any]) -> dict[str, Any]:
    return {}


def run_instances(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    inputs = run.inputs(step)
    params = _drop_none(
        {
            **{key: value for key, value in inputs.items() if key not in ("MinInstanceCount", "MaxInstanceCount")},
            "MinCount": inputs.get("MinInstanceCount", 1),
            "MaxCount": inputs.get("MaxInstanceCount", 1),
        }
    )
    response = _call(run, "ec2", "RunInstances", params)
    instances = response.get("Instances", [])
    ids = [item.get("InstanceId") for item in instances if isinstance(item, dict)]
    states = [item.get("State", {}).get("Name", "running") for item in instances if isinstance(item, dict)]
    return Outcome(response=response, builtin={"InstanceIds": ids, "InstanceStates": states})


def run_command(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    params = run.inputs(step)
    response = _call(run, "ssm", "SendCommand", params)
    command = response.get("Command", {})
    return Outcome(
        response=response,
        builtin={
            "CommandId": command.get("CommandId"),
            "Status": command.get("Status", "Success"),
            "ResponseCode": 0,
            "Output": "",
        },
    )


def invoke_webhook(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    raise StepFailed("aws:invokeWebhook calls an external endpoint, which the simulator never does")


HANDLERS = {
    "aws:changeInstanceState": change_instance_state,
    "aws:createImage": _simple(
        "ec2",
        "CreateImage",
        {"InstanceId": "InstanceId", "ImageName": "Name", "ImageDescription": "Description"},
        _image,
    ),
    "aws:copyImage": _simple("ec2", "CopyImage", {"ImageName": "Name", "ImageDescription": "Description"}, _image),
    "aws:deleteImage": _simple("ec2", "DeregisterImage", {}, _nothing),
    "aws:createTags": _simple("ec2", "CreateTags", {"ResourceIds": "Resources"}, _nothing),
    "aws:runInstances": run_instances,
    "aws:createStack": _simple("cloudformation", "CreateStack", {}, _stack),
    "aws:deleteStack": _simple("cloudformation", "DeleteStack", {}, _nothing),
    "aws:invokeLambdaFunction": _simple("lambda", "Invoke", {}, _lambda),
    "aws:executeStateMachine": _simple(
        "stepfunctions", "StartExecution", {"stateMachineArn": "stateMachineArn"}, _nothing
    ),
    "aws:runCommand": run_command,
    "aws:invokeWebhook": invoke_webhook,
}
