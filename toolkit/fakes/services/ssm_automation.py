"""The fake Systems Manager's automation operations, on the executions in ``toolkit.fakes.ssm.executions``
(``toolkit.fakes.services.ssm`` puts them in the service's ``OPERATIONS``).

StartAutomationExecution records a Pending execution with a deterministic id (the document and version must exist,
be an Automation document, and the parameters must be declared and the required ones given; a ClientToken makes it
idempotent); GetAutomationExecution and DescribeAutomationExecutions read what is recorded. Running an execution is
the simulator's (``record_execution``, ``finish_execution``). Rate control and multi-account or multi-Region targets
fail loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, opt_str, req_str, struct_list
from toolkit.fakes.services.ssm_documents import document_named, listing_page, not_modeled, page_size
from toolkit.fakes.ssm import AutomationExecution, Document, DocumentVersion
from toolkit.fakes.ssm.documents import parse_content
from toolkit.fakes.ssm.executions import next_execution_id, record_execution


def start_automation_execution(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "DocumentName")
    for member in ("Targets", "TargetMaps", "TargetLocations", "TargetLocationsURL", "TargetParameterName"):
        if params.get(member):
            raise not_modeled(f"automation executions with {member} (rate control, other accounts or Regions)")
    if params.get("AlarmConfiguration"):
        raise not_modeled("automation executions with AlarmConfiguration")
    given = _execution_parameters(params)
    mode = opt_str(params, "Mode") or "Auto"
    if mode not in ("Auto", "Interactive"):
        raise invalid("mode", "Member must satisfy enum value set: [Auto, Interactive]")
    document = document_named(backend, name)
    if document is None or document.document_type != "Automation":
        raise AwsError(
            "AutomationDefinitionNotFoundException", f"An Automation runbook with the name {name} couldn't be found."
        )
    requested = opt_str(params, "DocumentVersion")
    version = document.find(requested, None)
    if version is None:
        raise AwsError(
            "AutomationDefinitionVersionNotFoundException",
            f"An Automation runbook with the name {name} and version {requested} couldn't be found.",
        )
    _check_parameters(document, version, given)
    executions = backend.world.ssm.executions
    token = opt_str(params, "ClientToken")
    if token is not None:
        for earlier in executions.values():
            if earlier.client_token == token and earlier.region == backend.region:
                same = (earlier.document_name, dict(earlier.parameters)) == (document.name, given)
                if not same:
                    raise AwsError(
                        "IdempotentParameterMismatch",
                        "Error when an idempotent request used the same client token with different parameters.",
                    )
                return {"AutomationExecutionId": earlier.execution_id}
    execution = AutomationExecution(
        execution_id=next_execution_id(executions, backend.account, backend.region),
        region=backend.region,
        document_name=document.name,
        document_version=str(version.version),
        started=backend.now(),
        executed_by=f"arn:{backend.partition}:iam::{backend.account}:root",
        parameters=given,
        mode=mode,
        client_token=token,
    )
    record_execution(executions, execution)
    return {"AutomationExecutionId": execution.execution_id}


def _execution_parameters(params: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    given = params.get("Parameters") or {}
    if not isinstance(given, dict) or not all(
        isinstance(values, list | tuple) and all(isinstance(value, str) for value in values)
        for values in given.values()
    ):
        raise invalid("parameters", "Member must map each name to a list of strings")
    return {str(name): tuple(values) for name, values in given.items()}


def _check_parameters(document: Document, version: DocumentVersion, given: dict[str, tuple[str, ...]]) -> None:
    data = parse_content(version.content, version.format, document.document_type) or {}
    declared = data.get("parameters")
    if not isinstance(declared, dict):
        declared = {}
    for name in given:
        if name not in declared:
            raise AwsError(
                "InvalidAutomationExecutionParametersException",
                f"Parameter {name} is not defined in the document {document.name}.",
            )
    for name, spec in declared.items():
        if name not in given and not (isinstance(spec, dict) and "default" in spec):
            raise AwsError(
                "InvalidAutomationExecutionParametersException", f"Missing required parameter: {name} in user inputs."
            )


def _execution_shape(execution: AutomationExecution, *, full: bool) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "AutomationExecutionId": execution.execution_id,
        "DocumentName": execution.document_name,
        "DocumentVersion": execution.document_version,
        "ExecutionStartTime": execution.started,
    }
    if execution.ended is not None:
        shape["ExecutionEndTime"] = execution.ended
    shape["AutomationExecutionStatus"] = execution.status
    if full:
        shape["StepExecutions"] = []
        shape["StepExecutionsTruncated"] = False
        shape["Parameters"] = {name: list(values) for name, values in execution.parameters.items()}
    shape["Outputs"] = {name: list(values) for name, values in execution.outputs.items()}
    if execution.failure_message is not None:
        shape["FailureMessage"] = execution.failure_message
    shape["Mode"] = execution.mode
    if execution.parent_id is not None:
        shape["ParentAutomationExecutionId"] = execution.parent_id
    shape["ExecutedBy"] = execution.executed_by
    if not full:
        shape["AutomationType"] = "Local"
    shape["ResolvedTargets"] = {"ParameterValues": [], "Truncated": False}
    return shape


def get_automation_execution(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    execution_id = req_str(params, "AutomationExecutionId")
    execution = backend.world.ssm.executions.get(execution_id)
    if execution is None or execution.region != backend.region:
        raise AwsError(
            "AutomationExecutionNotFoundException", f"Automation execution {execution_id} could not be found."
        )
    return {"AutomationExecution": _execution_shape(execution, full=True)}


ExecutionTest = Callable[[AutomationExecution, list[str]], bool]


def _starts_with(execution: AutomationExecution, values: list[str]) -> bool:
    return any(execution.document_name.startswith(value) for value in values)


def _status(execution: AutomationExecution, values: list[str]) -> bool:
    return execution.status in values


def _execution_id(execution: AutomationExecution, values: list[str]) -> bool:
    return execution.execution_id in values


def _parent(execution: AutomationExecution, values: list[str]) -> bool:
    return execution.parent_id in values


def _local(execution: AutomationExecution, values: list[str]) -> bool:
    return "Local" in values


def _before(execution: AutomationExecution, values: list[str]) -> bool:
    return all(execution.started < _time(value) for value in values)


def _after(execution: AutomationExecution, values: list[str]) -> bool:
    return all(execution.started > _time(value) for value in values)


def _never(execution: AutomationExecution, values: list[str]) -> bool:
    return False  # no execution of the fake world is a change request or has a current action


EXECUTION_FILTERS: dict[str, ExecutionTest] = {
    "DocumentNamePrefix": _starts_with,
    "ExecutionStatus": _status,
    "ExecutionId": _execution_id,
    "ParentExecutionId": _parent,
    "AutomationType": _local,
    "StartTimeBefore": _before,
    "StartTimeAfter": _after,
    "AutomationSubtype": _never,
    "CurrentAction": _never,
}


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise AwsError("InvalidFilterValue", f"The filter value {text} is not a valid time.") from err
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def describe_automation_executions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    size = page_size(params)
    tests = []
    for item in struct_list(params, "Filters") or []:
        key, values = item.get("Key"), item.get("Values")
        if key not in EXECUTION_FILTERS:
            if key in ("TagKey", "TargetResourceGroup", "OpsItemId"):
                raise not_modeled(f"DescribeAutomationExecutions filters on {key}")
            raise AwsError("InvalidFilterKey", f"The specified filter key {key} is not valid.")
        if not values or not isinstance(values, list):
            raise AwsError("InvalidFilterValue", f"The filter {key} needs values.")
        tests.append((EXECUTION_FILTERS[str(key)], [str(value) for value in values]))
    executions = sorted(
        (e for e in backend.world.ssm.executions.values() if e.region == backend.region),
        key=lambda e: (-e.started.timestamp(), e.execution_id),
    )
    chosen = [e for e in executions if all(test(e, values) for test, values in tests)]
    shown, token = listing_page(chosen, size, params)
    response: dict[str, Any] = {
        "AutomationExecutionMetadataList": [_execution_shape(execution, full=False) for execution in shown]
    }
    if token is not None:
        response["NextToken"] = token
    return response


OPERATIONS: dict[str, Operation] = {
    "StartAutomationExecution": start_automation_execution,
    "GetAutomationExecution": get_automation_execution,
    "DescribeAutomationExecutions": describe_automation_executions,
}
