"""aws:executeAwsApi, aws:assertAwsResourceProperty and aws:waitForAwsResourceProperty.

Service is the boto3 client name; Api the PascalCase operation or boto3's snake_case method name. The other
inputs are the operation's parameters, checked against botocore's model (unknown or missing parameters fail the
step with ValidationException, as SSM's call would). The response the selectors read is the operation's output
with ``ResponseMetadata``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from toolkit.fakes.errors import AwsError
from toolkit.simulate.execution import Execution, Outcome, StepCompiler, StepFailed, StepPlan
from toolkit.simulate.template import Unresolved, as_text

if TYPE_CHECKING:
    from toolkit.aws.models import ModelStore
    from toolkit.simulate.jsonpath import Selector

CONTROL: Final = frozenset({"Service", "Api", "PropertySelector", "DesiredValues"})
# waitFor polls with a backoff on the simulated clock: 1, 2, 4 ... seconds, then every 30 s (decision: AWS does
# not document its interval). A 3600 s timeout is about 125 polls, not hundreds of thousands.
FIRST_POLL: Final = 1.0
MAX_POLL: Final = 30.0


NOTHING: Final = Outcome()  # shared by the steps whose response nobody reads (never changed)


def execute_aws_api(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    response = _call(step, run)
    return Outcome(response=response) if step.extra["selects"] else NOTHING


def assert_property(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    response = _call(step, run)
    matched, actual = _matches(step, run, response)
    if not matched:
        raise StepFailed(
            f"the property {run.render(step, 'PropertySelector')} is {actual}, not one of {_desired(step, run)}"
        )
    return Outcome(response=response)


def wait_for_property(step: StepPlan, run: Execution, deadline: float | None) -> Outcome:
    interval = FIRST_POLL
    while True:
        response = _call(step, run)
        matched, actual = _matches(step, run, response)
        if matched:
            return Outcome(response=response)
        if deadline is not None and run.clock.now + interval > deadline:
            run.clock.now = deadline
            raise StepFailed(
                f"the property {run.render(step, 'PropertySelector')} was still {actual}, not one of "
                f"{_desired(step, run)}, when the step timed out",
                "TimedOut",
            )
        run.clock.advance(interval)
        interval = min(interval * 2, MAX_POLL)


def prepare(step: StepPlan, names: Mapping[str, int], compiler: StepCompiler) -> None:
    """With a literal Service and Api, find the operation and check the parameter names once, not per run."""
    step.extra["params"] = [(key, template) for key, template in step.inputs.items() if key not in CONTROL]
    step.extra["selects"] = bool(step.outputs) or step.action != "aws:executeAwsApi"
    service, api = step.data["inputs"].get("Service"), step.data["inputs"].get("Api")
    if isinstance(service, str) and isinstance(api, str) and "{{" not in service + api:
        keys = [key for key in step.data["inputs"] if key not in CONTROL]
        try:
            step.extra["call"] = (service.strip().lower(), _operation(service, api, keys, compiler.models))
            step.extra["blobs"] = _takes_blobs(service.strip().lower(), step.extra["call"][1], compiler.models)
        except StepFailed as err:
            step.extra["problem"] = err.message
    selector = step.data["inputs"].get("PropertySelector")
    if isinstance(selector, str) and "{{" not in selector:
        step.extra["selector"] = _compile_selector(selector)


def _call(step: StepPlan, run: Execution) -> dict[str, Any]:
    problem = step.extra.get("problem")
    if problem is not None:
        raise StepFailed(problem)
    try:
        params = {key: template(run.scope) for key, template in step.extra["params"]}
    except Unresolved as err:
        raise StepFailed(str(err)) from err
    known = step.extra.get("call")
    if known is not None:
        service, operation = known
    else:
        service, api = run.render(step, "Service"), run.render(step, "Api")
        if not isinstance(service, str) or not isinstance(api, str):
            raise StepFailed("Service and Api must be strings")
        service, operation = service.strip().lower(), _operation(service, api, list(params), run.models)
    if step.extra.get("blobs", True):
        params = _blobs_as_base64(params, service, operation, run.models)
    try:
        response = run.recorder.call(service, operation, params)
    except AwsError as err:
        raise StepFailed(f"{err.code}: {err.message}") from err
    if not step.extra["selects"]:
        return response  # nothing reads it: no need for a copy with ResponseMetadata
    out = {key: value if type(value) in _LEAVES else _as_json(value) for key, value in response.items()}
    out["ResponseMetadata"] = {"RequestId": _request_id(run), "HTTPStatusCode": 200}
    return out


def _takes_blobs(service: str, operation: str, models: ModelStore) -> bool:
    """Whether some member of the operation's input, at any depth, is a blob (most take none: no walk per call)."""
    model = models.model(service)
    found = model.operation(operation) if model is not None else None
    if model is None or found is None or not found.input:
        return False
    seen: set[str] = set()
    waiting = [found.input]
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = model.shape(name)
        if shape.kind == "blob":
            return True
        waiting.extend(shape.members.values())
        if shape.target:
            waiting.append(shape.target)
    return False


def _blobs_as_base64(params: dict[str, Any], service: str, operation: str, models: ModelStore) -> dict[str, Any]:
    """Text given for a blob member, as the base64 of its UTF-8 (boto3 sends text as its UTF-8; a backend takes
    blobs as base64 text, as every caller gives them)."""
    model = models.model(service)
    found = model.operation(operation) if model is not None else None
    if model is None or found is None or not found.input:
        return params
    converted: dict[str, Any] = _encode_blobs(params, model, found.input)
    return converted


def _encode_blobs(value: Any, model: Any, shape_name: str) -> Any:
    shape = model.shape(shape_name)
    if shape.kind == "blob" and isinstance(value, str):
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    if shape.kind == "structure" and isinstance(value, dict):
        return {key: _encode_blobs(item, model, shape.members[key]) if key in shape.members else item
                for key, item in value.items()}  # fmt: skip
    if shape.kind == "list" and isinstance(value, list):
        return [_encode_blobs(item, model, shape.target) for item in value]
    if shape.kind == "map" and isinstance(value, dict):
        return {key: _encode_blobs(item, model, shape.target) for key, item in value.items()}
    return value


def _as_json(value: Any) -> Any:
    """The response as SSM's JSON shows it to selectors: timestamps as ISO 8601 text, blobs as base64
    (decision: AWS does not document the timestamp format of aws:executeAwsApi responses)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value  # the usual leaves, answered before the isinstance checks below
    if isinstance(value, dict):
        return {key: item if type(item) in _LEAVES else _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [item if type(item) in _LEAVES else _as_json(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    return value


_LEAVES: Final = frozenset({str, bool, int, type(None)})
"""The values ``_as_json`` gives back as they are, found without a call."""


def _request_id(run: Execution) -> str:
    return f"{run.execution_id}-{len(run.recorder.calls):04d}"


def _operation(service: str, api: str, params: list[str], models: ModelStore) -> str:
    """The PascalCase operation, with the parameters checked against botocore's model when it is known."""
    model = models.model(service.strip().lower())
    if model is None:
        return _pascal(api)
    operation = model.operation(api) or model.operation(_pascal(api))
    if operation is None:
        raise StepFailed(f"{service} has no operation {api}")
    problem = _check_params(model, operation, params)
    if problem is not None:
        raise StepFailed(f"ValidationException: {problem}")
    return str(operation.name)


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_")) if "_" in name else name


def _check_params(model: Any, operation: Any, params: list[str]) -> str | None:
    shape = model.shape(operation.input) if operation.input else None
    members = dict(shape.members) if shape is not None else {}
    for key in params:
        if key not in members:
            return f"{key} is not a parameter of {operation.name}"
    for key in shape.required if shape is not None else ():
        if key not in params:
            return f"{operation.name} requires {key}"
    return None


def _compile_selector(selector: str) -> Selector | str:
    """The PropertySelector compiled, or the step's failure message when it is not valid."""
    # lazy: only assert and waitFor steps read a PropertySelector; the selector compiler costs ~20 ms
    from toolkit.simulate.jsonpath import SelectorError, compile_selector

    try:
        return compile_selector(selector)
    except SelectorError as err:
        return f"PropertySelector {selector!r}: {err}"


def _matches(step: StepPlan, run: Execution, response: dict[str, Any]) -> tuple[bool, str]:
    # lazy: only assert and waitFor steps read a PropertySelector; the selector compiler costs ~20 ms
    from toolkit.simulate.jsonpath import SelectorError

    compiled = step.extra.get("selector")
    if compiled is None:
        compiled = _compile_selector(str(run.render(step, "PropertySelector")))
    if isinstance(compiled, str):
        raise StepFailed(compiled)
    try:
        found, value = compiled.select(response)
    except SelectorError as err:
        raise StepFailed(f"PropertySelector {compiled.text!r}: {err}") from err
    if not found:
        return False, "absent"
    actual = _as_desired(value)
    return actual in _desired(step, run), repr(actual)


def _desired(step: StepPlan, run: Execution) -> list[str]:
    desired = run.render(step, "DesiredValues", [])
    values = desired if isinstance(desired, list) else [desired]
    return [_as_desired(value) for value in values]


def _as_desired(value: Any) -> str:
    """Values compare as text; booleans as True/False (the decision the runbook relies on: SSM's own examples
    write DesiredValues ["True"] for a boolean property)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    return as_text(value)
