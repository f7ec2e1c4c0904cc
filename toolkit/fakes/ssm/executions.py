"""Automation executions' state: what StartAutomationExecution records (the document, version and parameters, a
status, times and outputs), with deterministic ids, and the world file's form.

The fake SSM does not run documents (fakes never import the simulator): an execution started through the API is
recorded as Pending. The simulator, which does run them, records and finishes executions through
``record_execution`` and ``finish_execution``, so GetAutomationExecution answers for runs it made.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

from toolkit.fakes.record import CREATED
from toolkit.fakes.worldfile import Fields, timestamp_text

EXECUTION_KEYS: Final = (
    "AutomationExecutionId",
    "Region",
    "DocumentName",
    "DocumentVersion",
    "AutomationExecutionStatus",
    "ExecutionStartTime",
    "ExecutionEndTime",
    "Parameters",
    "Outputs",
    "Mode",
    "ParentAutomationExecutionId",
    "ExecutedBy",
    "FailureMessage",
    "ClientToken",
)
STATUSES: Final = (
    "Pending",
    "InProgress",
    "Waiting",
    "Success",
    "TimedOut",
    "Cancelling",
    "Cancelled",
    "Failed",
    "PendingApproval",
    "Approved",
    "Rejected",
)
"""The AutomationExecutionStatus values an execution of the fake world may have (botocore's ssm model)."""
ENDED: Final = frozenset({"Success", "TimedOut", "Cancelled", "Failed", "Rejected"})

Values = Mapping[str, tuple[str, ...]]
"""Execution parameters and outputs: each name to its list of text values, as the API gives them."""


@dataclass(frozen=True)
class AutomationExecution:
    """One automation execution (never changed in place: ``finish_execution`` replaces it)."""

    execution_id: str
    region: str
    document_name: str
    document_version: str
    started: datetime
    executed_by: str
    status: str = "Pending"
    parameters: Values = field(default_factory=dict)
    outputs: Values = field(default_factory=dict)
    mode: str = "Auto"
    ended: datetime | None = None
    parent_id: str | None = None
    failure_message: str | None = None
    client_token: str | None = None

    @classmethod
    def read(cls, fields: Fields, region: str, user: str) -> AutomationExecution:
        status = fields.text("AutomationExecutionStatus", "Pending")
        if status not in STATUSES:
            raise fields.fail("AutomationExecutionStatus", f"must be one of {', '.join(STATUSES)}")
        mode = fields.text("Mode", "Auto")
        if mode not in ("Auto", "Interactive"):
            raise fields.fail("Mode", "must be Auto or Interactive")
        return cls(
            execution_id=fields.required_text("AutomationExecutionId"),
            region=fields.text("Region", region),
            document_name=fields.required_text("DocumentName"),
            document_version=fields.text("DocumentVersion", "1"),
            started=fields.timestamp("ExecutionStartTime") or CREATED,
            executed_by=fields.text("ExecutedBy", user),
            status=status,
            parameters=_values(fields, "Parameters"),
            outputs=_values(fields, "Outputs"),
            mode=mode,
            ended=fields.timestamp("ExecutionEndTime"),
            parent_id=fields.optional_text("ParentAutomationExecutionId"),
            failure_message=fields.optional_text("FailureMessage"),
            client_token=fields.optional_text("ClientToken"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "AutomationExecutionId": self.execution_id,
            "Region": self.region,
            "DocumentName": self.document_name,
            "DocumentVersion": self.document_version,
            "AutomationExecutionStatus": self.status,
            "ExecutionStartTime": timestamp_text(self.started),
            "ExecutionEndTime": timestamp_text(self.ended),
            "Parameters": {name: list(values) for name, values in self.parameters.items()},
            "Outputs": {name: list(values) for name, values in self.outputs.items()},
            "Mode": self.mode,
            "ParentAutomationExecutionId": self.parent_id,
            "ExecutedBy": self.executed_by,
            "FailureMessage": self.failure_message,
            "ClientToken": self.client_token,
        }


def _values(fields: Fields, key: str) -> dict[str, tuple[str, ...]]:
    data = fields.data.get(key)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
        isinstance(values, list) and all(isinstance(value, str) for value in values) for values in data.values()
    ):
        raise fields.fail(key, "must map each name to a list of text values")
    return {str(name): tuple(values) for name, values in data.items()}


def next_execution_id(executions: Mapping[str, AutomationExecution], account: str, region: str) -> str:
    """A fresh execution id, the same in every run of the same world: a UUID made from the account, the region
    and how many executions the world holds (executions are never removed, so it is never reused)."""
    number = len(executions) + 1
    while True:
        digest = hashlib.sha256(f"{account}/{region}/automation-execution/{number}".encode()).digest()
        candidate = str(uuid.UUID(bytes=digest[:16], version=4))
        if candidate not in executions:
            return candidate
        number += 1


def record_execution(executions: dict[str, AutomationExecution], execution: AutomationExecution) -> None:
    """Add (or replace) an execution in the world's table."""
    executions[execution.execution_id] = execution


def finish_execution(
    executions: dict[str, AutomationExecution],
    execution_id: str,
    status: str,
    ended: datetime,
    *,
    outputs: Values | None = None,
    failure_message: str | None = None,
) -> AutomationExecution:
    """Record how an execution ended (for the simulator): its status, end time, outputs and failure message."""
    finished = replace(
        executions[execution_id],
        status=status,
        ended=ended,
        outputs=dict(outputs or {}),
        failure_message=failure_message,
    )
    executions[execution_id] = finished
    return finished
