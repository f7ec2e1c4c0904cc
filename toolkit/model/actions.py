"""The catalogue of Automation actions: their names, built-in outputs and branch operators.

Plain tables, cheap to import: the linter reads them without building step classes, and each step class in
``toolkit.steps`` takes its built-in outputs from here, so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from toolkit.model.values import Kind

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

# Outputs an action has without declaring them, usable as {{ Step.Name }}.
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

# aws:executeScript runtimes. Python 3.6 to 3.9 reached end of support in Automation on 2025-09-10 (AWS Health
# notice): documents using them can no longer be created, updated or run; PowerShell Core 6.0 (once spelled
# dotnetcore2.1) went before them.
SCRIPT_RUNTIMES: Final = (
    "python3.12",
    "python3.11",
    "python3.10",
    "PowerShell 7.4",
    "PowerShell 7.2",
    "PowerShell 7.0",
)
RETIRED_SCRIPT_RUNTIMES: Final = (
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "PowerShell Core 6.0",
    "dotnetcore2.1",
)

# aws:sleep's Duration: ISO 8601 (PT5M, P1DT2H, PT0.5S), and the longest sleep AWS allows.
DURATION: Final = re.compile(
    r"\AP(?!\Z)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?\Z"
)
MAX_SLEEP_SECONDS: Final = 7 * 24 * 3600


def duration_seconds(text: object) -> float | None:
    """The seconds an ISO 8601 duration stands for, or None when ``text`` is not one."""
    match = DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    weeks, days, hours, minutes, seconds = (float(group) if group else 0.0 for group in match.groups())
    return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds
