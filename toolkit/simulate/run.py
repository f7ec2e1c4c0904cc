"""``simulate``: one execution of a document in a fake world, from parameters to the contract's result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from toolkit.documents import ReadDocument, read_document
from toolkit.errors import SimulationError
from toolkit.model.parameter import ParameterType
from toolkit.simulate.clock import Clock
from toolkit.simulate.engine import Execution, Options, run_steps
from toolkit.simulate.params import INVALID, resolve
from toolkit.simulate.plan import Plan, compile_document
from toolkit.simulate.recorder import Recorder
from toolkit.simulate.result import SimulationResult
from toolkit.simulate.template import Scope, as_text

if TYPE_CHECKING:
    from toolkit.fakes.world import World
    from toolkit.model.document import Document

DEFAULT_OPTIONS: Final = Options()

# Executions are numbered from a fixed id, so the same inputs give the same result, byte for byte.
EXECUTION_ID: Final = "00000000-0000-4000-8000-000000000001"
_PLANS: dict[int, tuple[object, Plan]] = {}
_PLAN_CACHE_SIZE: Final = 64


def simulate(
    doc: Document | ReadDocument | str | Path | Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    world: World | None = None,
    *,
    options: Options | None = None,
    approve: bool = True,
) -> SimulationResult:
    """Run ``doc`` (a model, a document file's path, a runbook module's path, a runbook name, a document read by
    ``toolkit.documents.read_document``, or document data) in ``world`` (default: the default
    world), which is never changed: ``result.world`` is the world after the run. Raises SimulationError
    (code InvalidAutomationExecutionParametersException) when the execution cannot start."""
    from toolkit.fakes.world import World

    plan = plan_of(doc)
    values = plan.resolve(params or {})
    after = (world if world is not None else World.default()).copy()
    if options is None:
        options = DEFAULT_OPTIONS if approve else Options(approve=False)
    clock = Clock(options.start) if options.start is not None else Clock()
    backend: Any = after.backend(now=clock.instant)
    if options.moto:
        from toolkit.fakes.moto import MotoFallback

        backend = MotoFallback(backend)
    run = Execution(
        scope=Scope(
            values, system_values(backend.account, backend.region, backend.partition, clock), dict(plan.variables)
        ),
        clock=clock,
        recorder=Recorder(backend),
        options=options,
        execution_id=EXECUTION_ID,
        variable_types=plan.variable_types,
    )
    try:
        status = run_steps(plan.steps, run)
    finally:
        if options.moto:
            backend.close()
    return SimulationResult(status, run.runs, run.outputs, run.recorder.calls, after)


_SYSTEM: dict[tuple[str, str, str, float], dict[str, Any]] = {}


def system_values(account: str, region: str, partition: str, clock: Clock) -> dict[str, Any]:
    """The system variables of an execution starting now on ``clock`` (remembered: they repeat run after run)."""
    key = (account, region, partition, clock.start.timestamp() + clock.now)
    found = _SYSTEM.get(key)
    if found is None:
        if len(_SYSTEM) > 256:
            _SYSTEM.clear()
        found = _SYSTEM[key] = _system_values(account, region, partition, clock)
    return found


def _system_values(account: str, region: str, partition: str, clock: Clock) -> dict[str, Any]:
    instant = clock.instant()
    return {
        "global:ACCOUNT_ID": account,
        "global:REGION": region,
        "global:AWS_PARTITION": partition,
        "global:DATE": instant.strftime("%Y-%m-%d"),
        "global:DATE_TIME": instant.strftime("%Y-%m-%d_%H.%M.%S"),
        "automation:EXECUTION_ID": EXECUTION_ID,
    }


def plan_of(doc: Document | ReadDocument | str | Path | Mapping[str, Any]) -> Plan:
    """The compiled plan of a document given in any of the accepted forms (a path or a runbook name is read by
    ``toolkit.documents``); models and read documents are compiled once."""
    if isinstance(doc, Mapping):
        return compile_document(doc)
    if isinstance(doc, (str, Path)):
        read = read_document(doc)
        return compile_document(read.data, read.name)
    cached = _PLANS.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    data = doc.data if isinstance(doc, ReadDocument) else doc.to_dict()
    plan = compile_document(data, doc.name)
    if len(_PLANS) >= _PLAN_CACHE_SIZE:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(doc)] = (doc, plan)
    return plan


@dataclass(slots=True)
class ChildExecution:
    execution_id: str
    status: str
    output: list[str]
    message: str


def execute_child(
    data: Mapping[str, Any], params: Mapping[str, Any], parent: Execution, *, name: str
) -> ChildExecution:
    """Run a child automation inside the parent's world, clock and call record."""
    parent.children += 1
    execution_id = f"{parent.execution_id[:-4]}{parent.children + parent.depth * 100:04d}"
    try:
        plan = compile_document(data, name)
        values = resolve(plan.parameters, {key: _runtime_value(plan, key, value) for key, value in params.items()})
    except SimulationError as err:
        return ChildExecution(execution_id, "Failed", [], f"{err.code}: {err}")
    scope = Scope(values, dict(parent.scope.system, **{"automation:EXECUTION_ID": execution_id}), dict(plan.variables))
    child = Execution(
        scope=scope,
        clock=parent.clock,
        recorder=parent.recorder,
        options=parent.options,
        execution_id=execution_id,
        depth=parent.depth + 1,
        variable_types=plan.variable_types,
    )
    status = run_steps(plan.steps, child)
    output = [f"{key}={as_text(child.outputs[key])}" for key in plan.outputs if key in child.outputs]
    last = child.runs[-1] if child.runs else None
    message = (last.failure_message or "") if last is not None else ""
    return ChildExecution(execution_id, status, output, message)


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
        import json

        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


__all__ = ["INVALID", "SimulationResult", "simulate"]
