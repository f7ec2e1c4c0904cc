"""The simulator's executions in the world's Systems Manager: each child automation, each execution that runs
children over targets or target locations, and the top-level execution once it starts a child, recorded in the
automation executions of the account and region they run in (``toolkit.fakes.ssm.executions``), so a later step's
GetAutomationExecution or DescribeAutomationExecutions, or a script's, sees them: their status, parent, parameters
and outputs.

A record is made when the execution starts (InProgress) and finished when it ends. Ids are the simulator's own
(``run.child_execution_id``), the same in every run: a world that already holds an execution of that id (one written
by ``--world-out`` after an earlier simulation) has it replaced. Worlds answered by anything but the fakes' backend
are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.protocol import Backend
from toolkit.fakes.ssm.executions import AutomationExecution, finish_execution, record_execution
from toolkit.simulate.template import as_text

if TYPE_CHECKING:
    from toolkit.simulate.execution import Execution

IN_PROGRESS = "InProgress"


def start_record(
    backend: Backend,
    *,
    execution_id: str,
    document: str,
    version: str,
    parameters: Mapping[str, Any],
    parent_id: str | None,
    started: datetime,
    executed_by: str | None = None,
) -> None:
    """Record an execution that starts now in ``backend``'s account and region, InProgress."""
    if not isinstance(backend, FakeBackend):
        return
    record_execution(
        backend.world.ssm.executions,
        AutomationExecution(
            execution_id=execution_id,
            region=backend.region,
            document_name=document,
            document_version=version,
            started=started,
            executed_by=executed_by or f"arn:{backend.partition}:iam::{backend.account}:root",
            status=IN_PROGRESS,
            parameters=as_values(parameters),
            parent_id=parent_id,
        ),
    )


def finish_record(
    backend: Backend,
    execution_id: str,
    status: str,
    ended: datetime,
    outputs: Mapping[str, Any],
    failure_message: str | None = None,
) -> None:
    """Record how an execution recorded by ``start_record`` ended."""
    if not isinstance(backend, FakeBackend) or execution_id not in backend.world.ssm.executions:
        return
    finish_execution(
        backend.world.ssm.executions,
        execution_id,
        status,
        ended,
        outputs=as_values(outputs),
        failure_message=failure_message or None,
    )


def as_values(values: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Parameters or outputs as the API gives them: each name to its list of text values (a list's items each as
    text, any other value as one text)."""
    return {str(name): _texts(value) for name, value in values.items()}


def _texts(value: Any) -> tuple[str, ...]:
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else (value,)
    return tuple(as_text(item) for item in items)


def record_top_level(run: Execution) -> None:
    """Record the top-level execution, InProgress, when it starts its first child, so that the children's parent
    is in the world's SSM too (``run.execute`` finishes the record). A document given as data without a name is
    not recorded: its execution would have no document name."""
    if run.recorded or run.depth or run.document is None:
        return
    start_record(
        run.recorder.backend,
        execution_id=run.execution_id,
        document=run.document,
        version="1",
        parameters=run.scope.parameters,
        parent_id=None,
        started=run.clock.start,
    )
    run.recorded = True
