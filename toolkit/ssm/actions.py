"""The Automation actions of schemaVersion 0.3: their names, built-in outputs and aws:branch's operators.

Source: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html (the action reference,
one page per action, each listing its outputs) and
https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-branch.html (Choices).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from toolkit.ssm.types import Kind

ACTION_NAMES: Final = (
    "aws:approve",
    "aws:assertAwsResourceProperty",
    "aws:branch",
    "aws:changeInstanceState",
    "aws:copyImage",
    "aws:createImage",
    "aws:createStack",
    "aws:createTags",
    "aws:deleteImage",
    "aws:deleteStack",
    "aws:executeAutomation",
    "aws:executeAwsApi",
    "aws:executeScript",
    "aws:executeStateMachine",
    "aws:invokeLambdaFunction",
    "aws:invokeWebhook",
    "aws:loop",
    "aws:pause",
    "aws:runCommand",
    "aws:runInstances",
    "aws:sleep",
    "aws:updateVariable",
    "aws:waitForAwsResourceProperty",
)

# Outputs an action has without declaring them, usable as {{ Step.Name }} (each action's page, "Output").
BUILTIN_OUTPUTS: Final[Mapping[str, Mapping[str, Kind]]] = {
    "aws:approve": {"ApprovalStatus": Kind.STRING, "ApproverDecisions": Kind.MAP_LIST},
    "aws:copyImage": {"ImageId": Kind.STRING, "ImageState": Kind.STRING},
    "aws:createImage": {"ImageId": Kind.STRING, "ImageState": Kind.STRING},
    "aws:createStack": {"StackId": Kind.STRING, "StackStatus": Kind.STRING, "StackStatusReason": Kind.STRING},
    "aws:executeAutomation": {"ExecutionId": Kind.STRING, "Status": Kind.STRING, "Output": Kind.STRING_LIST},
    "aws:executeScript": {"Payload": Kind.STRING_MAP},
    "aws:invokeLambdaFunction": {
        "StatusCode": Kind.INTEGER,
        "FunctionError": Kind.STRING,
        "LogResult": Kind.STRING,
        "Payload": Kind.STRING,
    },
    "aws:invokeWebhook": {"Response": Kind.STRING, "ResponseCode": Kind.INTEGER},
    "aws:loop": {"CurrentIteration": Kind.INTEGER, "CurrentIteratorValue": Kind.STRING},
    "aws:runCommand": {
        "CommandId": Kind.STRING,
        "Status": Kind.STRING,
        "ResponseCode": Kind.INTEGER,
        "Output": Kind.STRING,
    },
    "aws:runInstances": {"InstanceIds": Kind.STRING_LIST, "InstanceStates": Kind.STRING_LIST},
}

# aws:branch: each condition is Variable plus one operator, or one of the combinators And, Or, Not.
STRING_OPERATORS: Final = ("StringEquals", "EqualsIgnoreCase", "StartsWith", "EndsWith", "Contains")
NUMERIC_OPERATORS: Final = (
    "NumericEquals",
    "NumericGreater",
    "NumericLesser",
    "NumericGreaterOrEquals",
    "NumericLesserOrEquals",
)
BOOLEAN_OPERATORS: Final = ("BooleanEquals",)
OPERATORS: Final = STRING_OPERATORS + NUMERIC_OPERATORS + BOOLEAN_OPERATORS
COMBINATORS: Final = ("And", "Or", "Not")
