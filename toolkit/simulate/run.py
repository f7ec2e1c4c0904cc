"""One execution of a compiled plan in a world, from parameter values to the contract's result; a child
automation's execution inside its parent's; and reading a document given by path or runbook name.

Nothing here is remembered from one execution to the next: the caches live in ``toolkit.simulate.simulator``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from toolkit.errors import SimulationError
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.requests import copy_json
from toolkit.simulate.clock import Clock
from toolkit.simulate.engine import run_steps
from toolkit.simulate.execution import (
    ChildExecution,
    ChildRunner,
    ChildStart,
    Execution,
    Options,
    Plan,
    child_execution_id,
)
from toolkit.simulate.parameters import INVALID, check_value, resolve
from toolkit.simulate.recorder import Recorder
from toolkit.simulate.result import FAILED, SUCCESS, ChildRun, SimulationResult
from toolkit.simulate.template import Scope, Unresolved, as_text
from toolkit.ssm.references import PARAMETER_STORE_REFERENCE
from toolkit.ssm.types import ParameterType

if TYPE_CHECKING:
    from toolkit.fakes.caller import Caller
    from toolkit.fakes.state import WorldState
    from toolkit.fakes.world import World
    from toolkit.simulate.boto_models import ServiceModels
    from toolkit.simulate.compiler import Compiler

__all__ = ["EXECUTION_ID", "child_execution_id", "execute", "execute_child", "system_values"]

# A top-level execution has a fixed id, so the same inputs give the same result, byte for byte; a child's id is
# derived from its parent's (``child_execution_id``).
EXECUTION_ID: Final = "00000000-0000-4000-8000-000000000001"


def execute(
    plan: Plan,
    values: dict[str, Any],
    world: World,
    options: Options,
    *,
    compiler: Compiler,
    run_child: ChildRunner,
    script_models: ServiceModels,
    reads_parameter_store: bool | None = None,
) -> SimulationResult:
    """Run ``plan`` with its parameters' ``values`` in ``world``, which the run changes and the result holds (give a
    copy). ``run_child`` runs the children of aws:executeAutomation steps. ``reads_parameter_store``: whether some
    value is a ``{{ssm:NAME}}`` reference (None: find out; a caller that resolved the values once knows). The result
    shares no list or map with
    the plan or the caller: parameter values and variables are copied here, and constant lists and maps each time
    a template renders them."""
    if options.cancel_at is not None and options.cancel_at not in plan.step_names():
        steps = ", ".join(sorted(plan.step_names()))
        raise SimulationError(
            f"cancel at {options.cancel_at}: the document has no such step (its steps: {steps})", code=INVALID
        )
    clock = Clock(options.start) if options.start is not None else Clock()
    home = _home(world, options.account)
    backend = home.backend(options.region, now=clock.instant)
    if reads_parameter_store is None:
        reads_parameter_store = refers_to_parameter_store(values)
    if reads_parameter_store:
        values = _from_parameter_store(plan, values, home, backend.region)
    scope = Scope(
        values,
        system_values(backend.account, backend.region, backend.partition),
        copy_json(plan.variables) if plan.variables else {},
        clock=clock,
        parameter_store=lambda reference: _parameter(home, backend.region, reference),
    )
    started_by = None
    if options.iam:
        # lazy: IAM's evaluation loads only for an execution whose calls are authorized (``import a.b as c``: a
        # third of the cost of ``from a.b import c`` for a module already loaded, paid on every execution)
        import toolkit.fakes.caller as callers
        import toolkit.simulate.identity as identities

        started_by = identities.starter(options.caller or callers.account_caller_arn(home), home)
        role = _assume_role(plan, scope)
        backend = backend.acting_as(identities.execution_identity(backend, started_by, role, EXECUTION_ID, plan.name))
    run = Execution(
        scope=scope,
        clock=clock,
        recorder=Recorder(backend),
        options=options,
        execution_id=EXECUTION_ID,
        variable_types=plan.variable_types,
        run_steps=run_steps,
        run_child=run_child,
        models=compiler.models,
        script_models=script_models,
        document=plan.name,
    )
    run.started_by = started_by
    status = run_steps(plan.steps, run)
    if run.recorded:
        _finish(run, plan, status)
    return SimulationResult(
        status,
        run.runs,
        declared_outputs(plan, run.outputs),
        run.recorder.calls,
        world,
        children=run.family,
        step_outputs=run.outputs,
    )


def declared_outputs(plan: Plan, produced: dict[str, Any]) -> dict[str, Any]:
    """The execution's outputs as GetAutomationExecution gives them: the document's declared ``outputs`` (in its
    order) that the execution produced (``SimulationResult``'s docstring)."""
    return {key: produced[key] for key in plan.outputs if key in produced}


def _home(world: World, account: str | None) -> World:
    """The account of ``world`` an execution runs in: its own, or one of its ``Accounts`` (SimulationError for
    an account the world does not hold)."""
    if account is None or account == world.account:
        return world
    found = world.accounts.get(account)
    if found is None:
        held = ", ".join([world.account, *sorted(world.accounts)])
        raise SimulationError(
            f"account {account} is not an account of the world (it holds {held})",
            code="InvalidAutomationExecutionParametersException",
        )
    return found


def _assume_role(plan: Plan, scope: Scope) -> str | None:
    """The document's assumeRole rendered with the execution's values (None or "": there is none)."""
    if plan.assume_role is None:
        return None
    try:
        return as_text(plan.assume_role(scope)).strip()
    except Unresolved as err:
        raise SimulationError(f"assumeRole: {err}", code="InvalidAutomationExecutionParametersException") from err


def refers_to_parameter_store(values: Mapping[str, Any]) -> bool:
    """Whether some parameter value is a ``{{ssm:NAME}}`` reference, to be resolved when the execution starts."""
    return any(isinstance(value, str) and PARAMETER_STORE_REFERENCE.match(value) for value in values.values())


def _from_parameter_store(plan: Plan, values: dict[str, Any], world: World, region: str) -> dict[str, Any]:
    """Parameter values that are a ``{{ssm:NAME}}`` reference (a default or a value given), resolved as
    StartAutomationExecution resolves them, from the world's Parameter Store in the execution's region; one that
    cannot be resolved refuses the execution (SimulationError, as the API refuses it)."""
    # lazy: only an execution with a {{ssm:...}} parameter value reads the fake Parameter Store
    from toolkit.fakes.errors import AwsError
    from toolkit.fakes.ssm import resolve_default

    resolved = dict(values)
    for name, value in values.items():
        if not isinstance(value, str) or not PARAMETER_STORE_REFERENCE.match(value):
            continue
        try:
            text = resolve_default(world.ssm, region, value)
        except AwsError as err:
            raise SimulationError(err.message, code=err.code, parameter=name) from err
        declared = plan.parameters.get(name)
        if declared is not None:
            resolved[name] = text.split(",") if declared.type.is_list else text
            check_value(declared, resolved[name])
    return resolved


def _parameter(world: WorldState, region: str, reference: str) -> str:
    """A ``{{ssm:NAME}}`` reference in a step's input, read from the world's Parameter Store when the step runs."""
    # lazy: only a step referring to Parameter Store reads the fake Parameter Store
    from toolkit.fakes.errors import AwsError
    from toolkit.fakes.ssm import resolve_default

    try:
        return resolve_default(world.ssm, region, reference.strip())
    except AwsError as err:
        raise ValueError(err.message) from err


def system_values(account: str, region: str, partition: str) -> dict[str, Any]:
    """The system variables fixed for a top-level execution; the time-valued ones (``global:DATE``,
    ``global:DATE_TIME``) are read from the clock when a step uses them (``template.Scope``)."""
    return {
        "global:ACCOUNT_ID": account,
        "global:REGION": region,
        "global:AWS_PARTITION": partition,
        "automation:EXECUTION_ID": EXECUTION_ID,
    }


def execute_child(
    data: Mapping[str, Any], params: Mapping[str, Any], parent: Execution, start: ChildStart, *, compiler: Compiler
) -> ChildExecution:
    """Run a child automation inside the parent's world, clock and call record, in the parent's account and region
    or where ``start.recorder`` calls (compiled anew: a child's document may change between runs). The child is
    listed in the tree's ``family`` and recorded in the world's automation executions of its account and region
    (``records``), unless its parameters are refused: then, as StartAutomationExecution refusing them, no execution
    exists."""
    # lazy: only a child automation records executions in the world's SSM (~5 ms of the fakes' state modules)
    from toolkit.simulate.records import finish_record, start_record

    recorder = start.recorder or parent.recorder
    backend = recorder.backend
    entry = ChildRun(start.execution_id, start.name, start.parent_id, backend.account, backend.region, FAILED)
    entry.target = start.target
    parent.family.append(entry)
    try:
        plan = compiler.compile_document(data, start.name)
        values = resolve(plan.parameters, {key: _runtime_value(plan, key, value) for key, value in params.items()})
    except SimulationError as err:
        entry.execution_id = None
        entry.failure_message = f"{err.code}: {err}"
        return ChildExecution(start.execution_id, FAILED, [], entry.failure_message)
    system = dict(
        parent.scope.system,
        **{
            "automation:EXECUTION_ID": start.execution_id,
            "global:ACCOUNT_ID": backend.account,
            "global:REGION": backend.region,
        },
    )
    state = backend.world if isinstance(backend, FakeBackend) else None
    scope = Scope(
        values,
        system,
        dict(plan.variables),
        clock=parent.clock,
        parameter_store=parent.scope.parameter_store
        if state is None
        else lambda reference: _parameter(state, backend.region, reference),
    )
    if parent.started_by is not None and isinstance(backend, FakeBackend):
        try:
            recorder = recorder.at(backend.acting_as(_child_identity(backend, plan, scope, parent, start)))
        except SimulationError as err:
            entry.execution_id = None
            entry.failure_message = f"{err.code}: {err}"
            return ChildExecution(start.execution_id, FAILED, [], entry.failure_message)
        backend = recorder.backend
    start_record(
        backend,
        execution_id=start.execution_id,
        document=start.name,
        version=start.version,
        parameters=params,
        parent_id=start.parent_id,
        started=parent.clock.instant(),
        executed_by=start.executed_by,
    )
    child = Execution(
        scope=scope,
        clock=parent.clock,
        recorder=recorder,
        options=parent.options,
        execution_id=start.execution_id,
        depth=start.depth,
        variable_types=plan.variable_types,
        run_steps=parent.run_steps,
        run_child=parent.run_child,
        models=parent.models,
        script_models=parent.script_models,
        document=start.name,
        family=parent.family,
    )
    child.recorded = True
    child.started_by = parent.started_by
    status = child.run_steps(plan.steps, child)
    output = [f"{key}={as_text(child.outputs[key])}" for key in plan.outputs if key in child.outputs]
    last = child.runs[-1] if child.runs else None
    message = (last.failure_message or "") if last is not None else ""
    outputs = declared_outputs(plan, child.outputs)
    failure = message if status != SUCCESS and message else None
    finish_record(backend, start.execution_id, status, parent.clock.instant(), outputs, failure)
    entry.status = status
    entry.failure_message = failure
    return ChildExecution(start.execution_id, status, output, message)


def _child_identity(backend: FakeBackend, plan: Plan, scope: Scope, parent: Execution, start: ChildStart) -> Caller:
    """Who a child automation runs as: its own assumeRole (passed by the parent's identity), else the role its
    target account runs it with (TargetLocations' ExecutionRoleName), else whoever started the top-level execution
    (iam.md §4.1)."""
    # lazy: as in execute
    from toolkit.fakes.caller import parse_caller
    from toolkit.simulate.identity import execution_identity

    assert parent.started_by is not None
    role = _assume_role(plan, scope)
    parent_caller = backend.caller or parent.started_by
    if role:
        return execution_identity(backend, parent_caller, role, start.execution_id, start.name)
    if start.executed_by:
        found = parse_caller(start.executed_by, start.execution_id)
        if found is not None:
            return found
    return parent.started_by


def _finish(run: Execution, plan: Plan, status: str) -> None:
    """Record how the top-level execution ended, when it is in the world's SSM (it started a child)."""
    # lazy: as in execute_child
    from toolkit.simulate.records import finish_record

    outputs = declared_outputs(plan, run.outputs)
    last = run.runs[-1] if run.runs else None
    message = (last.failure_message or "") if last is not None and status != SUCCESS else ""
    finish_record(run.recorder.backend, run.execution_id, status, run.clock.instant(), outputs, message)


def _runtime_value(plan: Plan, key: str, value: Any) -> Any:
    """RuntimeParameters arrive as SSM passes them; a text value is read per the child's declared type."""
    declared = plan.parameters.get(key)
    if declared is None or not isinstance(value, str):
        return value
    if declared.type is ParameterType.INTEGER and value.strip().lstrip("-").isdigit():
        return int(value)
    if declared.type is ParameterType.BOOLEAN and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if declared.type.is_list and value.startswith("["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value
