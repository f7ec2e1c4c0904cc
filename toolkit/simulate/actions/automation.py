"""aws:executeAutomation: a child automation, as StartAutomationExecution starts one.

The document is the world's first (``child_documents``). Without targets the child runs in the step's account and
Region, and the step's ExecutionId, Status and Output are the child's. With ``Targets`` (and
``TargetParameterName``), ``TargetMaps`` or ``TargetLocations``, StartAutomationExecution starts one execution that
runs no steps of its own but starts children, and the step's outputs are that execution's: its id, its status, and
its Outputs, which are empty (AWS: "Run automations at scale", where GetAutomationExecution of such an execution
shows ``"Outputs": {}``). Its children are one per target value or map, under MaxConcurrency and MaxErrors; with
target locations one per account and Region pair (``targets.read_locations``), under each location's
TargetLocationMaxConcurrency and TargetLocationMaxErrors, and a pair with Targets runs, in its account and Region,
an execution of the same kind over the targets resolved there. Rate control: ``rate_control``.

Statuses (AWS: "the parent automation is complete when all child automations reach a final state"; the rest is
inferred): such an execution ends Success when every child it started succeeded and none was held back by the error
threshold, else Failed; the step fails when it does not end Success, as with a single child. Locations are run one
after the other, in order; once a location's errors exceed its TargetLocationMaxErrors no new child starts in it or
in any later location ("stops queueing additional Automation executions for the currently running Automation").

What StartAutomationExecution refuses (Targets without TargetParameterName, both Targets and TargetMaps, a target
parameter the document does not declare, ill-formed rate controls or locations, OUs the caller cannot list) fails the
step before any execution starts. Not simulated, and refused naming the input: TargetLocationsURL,
AlarmConfiguration, TargetLocationAlarmConfiguration, targets other than ParameterValues and tags (``targets``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from toolkit.simulate.child_documents import ChildDocument, child_document
from toolkit.simulate.execution import (
    ChildStart,
    Execution,
    Outcome,
    StepFailed,
    StepPlan,
    child_execution_id,
)
from toolkit.simulate.parameters import declarations
from toolkit.simulate.rate_control import Rollout, concurrency, error_threshold, roll_out
from toolkit.simulate.recorder import Recorder
from toolkit.simulate.records import finish_record, record_top_level, start_record
from toolkit.simulate.result import FAILED, SUCCESS, ChildRun
from toolkit.simulate.targets import Location, Place, read_locations, target_maps, target_values, typed

MAX_DEPTH: Final = 10
UNSIMULATED: Final = ("TargetLocationsURL", "AlarmConfiguration")
IN_PROGRESS: Final = "InProgress"
DEFAULT_MAX_CONCURRENCY: Final = "10"
DEFAULT_MAX_ERRORS: Final = "0"
NO_TARGETS: Final = "the targets resolved to no resource"


@dataclass(slots=True)
class Request:
    """An aws:executeAutomation step's inputs, rendered and checked as StartAutomationExecution checks them."""

    document: ChildDocument
    params: dict[str, Any]
    target_parameter: str | None
    targets: Any
    maps: list[dict[str, list[str]]] | None
    max_concurrency: object
    max_errors: object
    locations: list[Location] | None

    @property
    def fanned(self) -> bool:
        return self.targets is not None or self.maps is not None or self.locations is not None


class Parent:
    """An execution that starts children (one over targets or locations): its id, and how many it has started."""

    __slots__ = ("count", "execution_id")

    def __init__(self, execution_id: str) -> None:
        self.execution_id = execution_id
        self.count = 0

    def next_id(self) -> str:
        self.count += 1
        return child_execution_id(self.execution_id, self.count)


def execute_automation(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    for key in UNSIMULATED:
        if key in step.inputs:
            raise StepFailed(f"aws:executeAutomation with {key} is not simulated")
    if run.depth >= MAX_DEPTH:
        raise StepFailed(f"child automations nest deeper than {MAX_DEPTH}")
    request = _request(step, run)
    document = request.document
    record_top_level(run)
    if not request.fanned:
        start = ChildStart(document.name, run.next_child_id(), run.execution_id, run.depth + 1, document.version)
        child = run.run_child(document.data, request.params, run, start)
        if child.status != SUCCESS:
            raise StepFailed(f"the child automation {document.name} ended {child.status}: {child.message}")
        return Outcome(builtin={"ExecutionId": child.execution_id, "Status": child.status, "Output": child.output})
    execution_id, status, message = _fan_out(request, run)
    if status != SUCCESS:
        raise StepFailed(f"the child automation {document.name} ended {status}: {message}")
    return Outcome(builtin={"ExecutionId": execution_id, "Status": status, "Output": []})


def _request(step: StepPlan, run: Execution) -> Request:
    name = run.render(step, "DocumentName")
    if not isinstance(name, str) or not name:
        raise StepFailed("DocumentName must be a document's name or ARN")
    version = run.render(step, "DocumentVersion")
    params = run.render(step, "RuntimeParameters", {}) or {}
    if not isinstance(params, dict):
        raise StepFailed("RuntimeParameters must be a mapping")
    backend = run.recorder.backend
    document = child_document(backend, name, None if version is None else str(version), run.options.documents)
    target_parameter = run.render(step, "TargetParameterName")
    targets = run.render(step, "Targets")
    maps_given = run.render(step, "TargetMaps")
    maps = None if maps_given is None else target_maps(maps_given)
    locations_given = run.render(step, "TargetLocations")
    locations = None if locations_given is None else read_locations(locations_given, backend)
    request = Request(
        document,
        params,
        None if target_parameter is None else str(target_parameter),
        targets,
        maps,
        run.render(step, "MaxConcurrency", DEFAULT_MAX_CONCURRENCY),
        run.render(step, "MaxErrors", DEFAULT_MAX_ERRORS),
        locations,
    )
    _check(request)
    return request


def _check(request: Request) -> None:
    """What StartAutomationExecution refuses before any execution starts."""
    located = any(location.targets is not None for location in request.locations or [])
    if request.targets is not None and request.maps is not None:
        raise StepFailed("ValidationException: Targets and TargetMaps can't be specified together")
    if (request.targets is not None or located) and request.target_parameter is None:
        raise StepFailed("ValidationException: TargetParameterName is required when Targets are given")
    if request.target_parameter is not None and request.targets is None and not located:
        raise StepFailed("ValidationException: Targets are required when TargetParameterName is given")
    declared = declarations(request.document.data)
    if request.target_parameter is not None and request.target_parameter not in declared:
        raise StepFailed(
            f"InvalidAutomationExecutionParametersException: the target parameter {request.target_parameter} is not "
            f"a parameter of the document {request.document.name}"
        )
    for item in request.maps or []:
        for name in item:
            if name not in declared:
                raise StepFailed(
                    f"InvalidAutomationExecutionParametersException: TargetMaps: {name} is not a parameter of the "
                    f"document {request.document.name}"
                )
    concurrency(request.max_concurrency, 1, "MaxConcurrency")
    error_threshold(request.max_errors, 1, "MaxErrors")
    for index, location in enumerate(request.locations or []):
        where = f"TargetLocations[{index}]"
        concurrency(location.max_concurrency, 1, f"{where}.TargetLocationMaxConcurrency")
        error_threshold(location.max_errors, 1, f"{where}.TargetLocationMaxErrors")
        if location.targets_max_concurrency is not None:
            concurrency(location.targets_max_concurrency, 1, f"{where}.TargetsMaxConcurrency")
        if location.targets_max_errors is not None:
            error_threshold(location.targets_max_errors, 1, f"{where}.TargetsMaxErrors")


# -- executions over targets and locations ------------------------------------------------------------------------

Job = tuple[dict[str, Any], str]
"""One child over targets: its parameters, and the target it stands for (the value, or the map as JSON)."""


def _fan_out(request: Request, run: Execution) -> tuple[str, str, str]:
    """Start the execution over targets or locations in the step's account and Region and run its children: its id,
    its status and, unless it succeeded, why not."""
    jobs = None if request.locations is not None else _jobs(request, request.targets, run.recorder.backend)
    parent = Parent(run.next_child_id())
    entry = _begin(run, request, parent, run.recorder, run.execution_id, None)
    if jobs is not None:
        if not jobs:
            return parent.execution_id, _end(run, entry, run.recorder, NO_TARGETS), NO_TARGETS
        limits = (request.max_concurrency, request.max_errors)
        message = _summary(_over_targets(run, request, parent, run.recorder, jobs, limits, None), "MaxErrors")
    else:
        message = _over_locations(run, request, parent)
    return parent.execution_id, _end(run, entry, run.recorder, message), message


def _jobs(request: Request, targets: Any, backend: Any) -> list[Job]:
    """One job per target value (resolved through ``backend``) or per target map."""
    declared = declarations(request.document.data)
    if request.maps is not None:
        return [
            (
                {**request.params, **{name: typed(declared.get(name), values) for name, values in item.items()}},
                json.dumps(item, sort_keys=True),
            )
            for item in request.maps
        ]
    name = str(request.target_parameter)
    values = target_values(targets, backend, request.document.target_type)
    return [({**request.params, name: typed(declared.get(name), [value])}, value) for value in values]


def _begin(
    run: Execution, request: Request, parent: Parent, recorder: Recorder, parent_id: str, role_arn: str | None
) -> ChildRun:
    """List and record an execution over targets or locations that starts now where ``recorder`` calls."""
    backend = recorder.backend
    name = request.document.name
    entry = ChildRun(parent.execution_id, name, parent_id, backend.account, backend.region, IN_PROGRESS)
    run.family.append(entry)
    start_record(
        backend,
        execution_id=parent.execution_id,
        document=request.document.name,
        version=request.document.version,
        parameters=request.params,
        parent_id=parent_id,
        started=run.clock.instant(),
        executed_by=role_arn,
    )
    return entry


def _end(run: Execution, entry: ChildRun, recorder: Recorder, message: str) -> str:
    """Record how an execution over targets or locations ended (``message``: why it failed; empty: it did not);
    its status."""
    status = FAILED if message else SUCCESS
    entry.status, entry.failure_message = status, message or None
    assert entry.execution_id is not None  # such an execution always starts
    finish_record(recorder.backend, entry.execution_id, status, run.clock.instant(), {}, message or None)
    return status


def _over_targets(
    run: Execution,
    request: Request,
    parent: Parent,
    recorder: Recorder,
    jobs: list[Job],
    limits: tuple[object, object],
    role_arn: str | None,
) -> Rollout:
    """Run one child per job under the rate control ``limits`` (MaxConcurrency, MaxErrors)."""
    document = request.document

    def start(index: int) -> bool:
        params, target = jobs[index]
        begin = ChildStart(
            document.name,
            parent.next_id(),
            parent.execution_id,
            run.depth + 1,
            document.version,
            recorder,
            role_arn,
            target,
        )
        return run.run_child(document.data, params, run, begin).status != SUCCESS

    total = len(jobs)
    limit = concurrency(limits[0], total, "MaxConcurrency")
    return roll_out(total, limit, error_threshold(limits[1], total, "MaxErrors"), start, run.clock)


def _over_locations(run: Execution, request: Request, parent: Parent) -> str:
    """Run the children of each location in turn; why the execution failed (empty: it did not)."""
    problems = []
    for index, location in enumerate(request.locations or []):
        where = f"TargetLocations[{index}]"
        total = len(location.places)

        def start(at: int, location: Location = location) -> bool:
            return _in_place(run, request, parent, location, location.places[at]) != SUCCESS

        limit = concurrency(location.max_concurrency, total, f"{where}.TargetLocationMaxConcurrency")
        threshold = error_threshold(location.max_errors, total, f"{where}.TargetLocationMaxErrors")
        rollout = roll_out(total, limit, threshold, start, run.clock)
        summary = _summary(rollout, f"{where}.TargetLocationMaxErrors")
        if summary:
            problems.append(f"{where}: {summary}")
        if rollout.exceeded:
            later = sum(len(rest.places) for rest in (request.locations or [])[index + 1 :])
            if later:
                problems.append(f"the {later} account and Region pairs of later target locations never started")
            break
    return "; ".join(problems)


def _in_place(run: Execution, request: Request, parent: Parent, location: Location, place: Place) -> str:
    """The child of one account and Region pair: the document itself, or an execution over the targets resolved
    there; its status."""
    document = request.document
    if place.backend is None:
        problem = place.problem or "cannot run there"
        run.family.append(ChildRun(None, document.name, parent.execution_id, place.account, place.region, FAILED))
        run.family[-1].failure_message = problem
        return FAILED
    recorder = run.recorder.at(place.backend)
    targets = location.targets if location.targets is not None else request.targets
    if targets is None and request.maps is None:
        begin = ChildStart(
            document.name,
            parent.next_id(),
            parent.execution_id,
            run.depth + 1,
            document.version,
            recorder,
            place.role_arn,
        )
        return run.run_child(document.data, request.params, run, begin).status
    nested = Parent(parent.next_id())
    entry = _begin(run, request, nested, recorder, parent.execution_id, place.role_arn)
    try:
        jobs = _jobs(request, targets, place.backend)
    except StepFailed as err:
        return _end(run, entry, recorder, err.message)
    if not jobs:
        return _end(run, entry, recorder, NO_TARGETS)
    limits = (
        location.targets_max_concurrency if location.targets_max_concurrency is not None else request.max_concurrency,
        location.targets_max_errors if location.targets_max_errors is not None else request.max_errors,
    )
    rollout = _over_targets(run, request, nested, recorder, jobs, limits, place.role_arn)
    return _end(run, entry, recorder, _summary(rollout, "MaxErrors"))


def _summary(rollout: Rollout, threshold: str) -> str:
    """Why a rate-controlled set of children failed (empty: none failed and all started)."""
    if not rollout.errors and not rollout.stopped:
        return ""
    summary = f"{rollout.errors} of {rollout.started} child automations did not succeed"
    if rollout.stopped:
        summary += f"; {threshold} was exceeded, so {rollout.total - rollout.started} never started"
    return summary
