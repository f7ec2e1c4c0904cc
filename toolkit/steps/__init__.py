"""One class per Automation action; ``ACTIONS`` maps ``aws:x`` to its class."""

from __future__ import annotations

from typing import Final

from toolkit.model.step import GenericStep, Step
from toolkit.steps.api import AssertAwsResourceProperty, ExecuteAwsApi, WaitForAwsResourceProperty
from toolkit.steps.branch import Branch, Choice
from toolkit.steps.flow import Approve, ExecuteAutomation, Loop, Pause, Sleep, UpdateVariable
from toolkit.steps.instances import (
    ChangeInstanceState,
    CopyImage,
    CreateImage,
    CreateTags,
    DeleteImage,
    RunInstances,
)
from toolkit.steps.integrations import (
    CreateStack,
    DeleteStack,
    ExecuteStateMachine,
    InvokeLambdaFunction,
    InvokeWebhook,
    RunCommand,
)
from toolkit.steps.script import ExecuteScript

STEP_CLASSES: Final[tuple[type[Step], ...]] = (
    Approve,
    AssertAwsResourceProperty,
    Branch,
    ChangeInstanceState,
    CopyImage,
    CreateImage,
    CreateStack,
    CreateTags,
    DeleteImage,
    DeleteStack,
    ExecuteAutomation,
    ExecuteAwsApi,
    ExecuteScript,
    ExecuteStateMachine,
    InvokeLambdaFunction,
    InvokeWebhook,
    Loop,
    Pause,
    RunCommand,
    RunInstances,
    Sleep,
    UpdateVariable,
    WaitForAwsResourceProperty,
)
ACTIONS: Final[dict[str, type[Step]]] = {cls.ACTION: cls for cls in STEP_CLASSES}

__all__ = [
    "ACTIONS",
    "STEP_CLASSES",
    "Approve",
    "AssertAwsResourceProperty",
    "Branch",
    "ChangeInstanceState",
    "Choice",
    "CopyImage",
    "CreateImage",
    "CreateStack",
    "CreateTags",
    "DeleteImage",
    "DeleteStack",
    "ExecuteAutomation",
    "ExecuteAwsApi",
    "ExecuteScript",
    "ExecuteStateMachine",
    "GenericStep",
    "InvokeLambdaFunction",
    "InvokeWebhook",
    "Loop",
    "Pause",
    "RunCommand",
    "RunInstances",
    "Sleep",
    "Step",
    "UpdateVariable",
    "WaitForAwsResourceProperty",
]
