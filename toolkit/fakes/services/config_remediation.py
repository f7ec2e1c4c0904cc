"""The fake AWS Config's remediation operations, on the state in ``toolkit.fakes.config.state``
(``toolkit.fakes.services.config`` puts them in the service's ``OPERATIONS``).

Put/Describe/DeleteRemediationConfiguration(s) (checked by ``RemediationConfiguration.read``, the scenarios' reader),
StartRemediationExecution (records each resource's execution as QUEUED and a Pending automation execution of the
target document in the fake SSM: running it is the simulator's), DescribeRemediationExecutionStatus, and
Put/Describe/DeleteRemediationExceptions (an expired exception no longer applies).

Decisions where AWS is silent [UNVERIFIED]: PutRemediationConfigurations for a rule that does not exist is refused
with InvalidParameterValueException; DeleteRemediationExceptions fails with NoSuchRemediationExceptionException when
none of the keys has an exception, and lists the missing ones in FailedBatches otherwise; StartRemediationExecution
lists a resource whose execution is still QUEUED or IN_PROGRESS in FailedItems.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.config.common import ConfigError
from toolkit.fakes.config.remediation import RemediationConfiguration, RemediationException
from toolkit.fakes.config.state import RemediationExecution, short_id
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, opt_str, req_str, str_list, struct_list
from toolkit.fakes.services.config_rules import bad_value, listing_page, page_limit, with_token
from toolkit.fakes.ssm import AutomationExecution
from toolkit.fakes.ssm.executions import next_execution_id, record_execution

RUNNING: Final = ("QUEUED", "IN_PROGRESS")
REMEDIATION_ROLE: Final = "role/aws-service-role/remediation.config.amazonaws.com/AWSServiceRoleForConfigRemediation"


def no_remediation(name: str) -> AwsError:
    return AwsError("NoSuchRemediationConfigurationException", f"No RemediationConfiguration for rule {name} exists.")


# -- remediation configurations ----------------------------------------------------------------------------------


def remediation_arn(backend: FakeBackend, region: str, rule: str) -> str:
    tail = short_id(backend.account, region, rule, "remediation")
    uuid = f"{tail[:8]}-{tail[8:12]}-4{tail[13:16]}-a{tail[17:20]}-{tail[20:32]}"
    return f"arn:{backend.partition}:config:{region}:{backend.account}:remediation-configuration/{rule}/{uuid}"


def put_remediation_configurations(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    items = struct_list(params, "RemediationConfigurations")
    if items is None:
        raise invalid("remediationConfigurations", "Member must not be null")
    if len(items) > 25:
        raise invalid("remediationConfigurations", "Member must have length less than or equal to 25")
    read = []
    for item in items:
        try:
            configuration = RemediationConfiguration.read(item)
        except ConfigError as err:
            raise bad_value(err.message) from err
        if (backend.region, configuration.config_rule_name) not in backend.world.config.rules:
            raise bad_value(
                f"The ConfigRule '{configuration.config_rule_name}' provided in the request is invalid. Please check "
                "the configRule name"
            )
        read.append(configuration)
    for configuration in read:
        backend.world.config.remediations[(backend.region, configuration.config_rule_name)] = configuration
    return {"FailedBatches": []}


def describe_remediation_configurations(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    names = str_list(params, "ConfigRuleNames")
    if names is None:
        raise invalid("configRuleNames", "Member must not be null")
    shapes = []
    for name in dict.fromkeys(names):
        configuration = backend.world.config.remediations.get((backend.region, name))
        if configuration is not None:
            shapes.append({**configuration.to_dict(), "Arn": remediation_arn(backend, backend.region, name)})
    return {"RemediationConfigurations": shapes}


def delete_remediation_configuration(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    state = backend.world.config
    if (backend.region, name) not in state.remediations:
        raise no_remediation(name)
    statuses = [key for key in state.executions if key[:2] == (backend.region, name)]
    if any(state.executions[key].state in RUNNING for key in statuses):
        raise AwsError(
            "RemediationInProgressException",
            "Remediation action is in progress. You can either cancel execution in AWS Systems Manager or wait and "
            "try again later.",
        )
    del state.remediations[(backend.region, name)]
    for key in statuses:
        del state.executions[key]
    return {}


# -- remediation executions --------------------------------------------------------------------------------------


def _resource_keys(params: dict[str, Any], member: str, type_key: str, id_key: str) -> list[tuple[str, str]]:
    keys = struct_list(params, member)
    if not keys:
        raise invalid(member[0].lower() + member[1:], "Member must have length greater than or equal to 1")
    if len(keys) > 100:
        raise invalid(member[0].lower() + member[1:], "Member must have length less than or equal to 100")
    pairs = []
    for key in keys:
        kind, identifier = key.get(type_key), key.get(id_key)
        if not isinstance(kind, str) or not isinstance(identifier, str) or not kind or not identifier:
            raise bad_value(f"Each resource key needs a {type_key} and a {id_key}.")
        pairs.append((kind, identifier))
    return list(dict.fromkeys(pairs))


def start_remediation_execution(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    keys = _resource_keys(params, "ResourceKeys", "resourceType", "resourceId")
    state = backend.world.config
    configuration = state.remediations.get((backend.region, name))
    if configuration is None:
        raise no_remediation(name)
    failed = []
    now = backend.now()
    for kind, identifier in keys:
        where = (backend.region, name, kind, identifier)
        current = state.executions.get(where)
        if current is not None and current.state in RUNNING:
            failed.append({"resourceType": kind, "resourceId": identifier})
            continue
        execution_id = start_automation(backend, configuration, identifier, now)
        state.executions[where] = RemediationExecution(
            name, backend.region, kind, identifier, "QUEUED", now, now, execution_id
        )
    response: dict[str, Any] = {"FailedItems": failed}
    if failed:
        response["FailureMessage"] = "A remediation execution is already queued or in progress for these resources."
    return response


def start_automation(
    backend: FakeBackend, configuration: RemediationConfiguration, resource_id: str, now: datetime
) -> str:
    """Record the automation execution Config starts for one resource (Pending, as the fake SSM records every
    execution it does not run) and return its id."""
    executions = backend.world.ssm.executions
    document = backend.world.ssm.documents.get((backend.region, configuration.target_id))
    version = configuration.target_version or "$DEFAULT"
    found = document.find(version, None) if document is not None else None
    execution = AutomationExecution(
        execution_id=next_execution_id(executions, backend.account, backend.region),
        region=backend.region,
        document_name=configuration.target_id,
        document_version=str(found.version) if found is not None else version,
        started=now,
        executed_by=f"arn:{backend.partition}:iam::{backend.account}:{REMEDIATION_ROLE}",
        parameters={key: tuple(values) for key, values in configuration.execution_parameters(resource_id).items()},
    )
    record_execution(executions, execution)
    return execution.execution_id


def describe_remediation_execution_status(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    state = backend.world.config
    if (backend.region, name) not in state.remediations:
        raise no_remediation(name)
    wanted = None
    if params.get("ResourceKeys"):
        wanted = set(_resource_keys(params, "ResourceKeys", "resourceType", "resourceId"))
    statuses = [
        execution
        for key, execution in sorted(state.executions.items())
        if key[:2] == (backend.region, name) and (wanted is None or key[2:] in wanted)
    ]
    shown, token = listing_page(statuses, page_limit(params, 25), params)
    shapes = [
        {
            "ResourceKey": {"resourceType": execution.resource_type, "resourceId": execution.resource_id},
            "State": execution.state,
            "StepDetails": [],
            "InvocationTime": execution.invoked,
            "LastUpdatedTime": execution.updated,
        }
        for execution in shown
    ]
    return with_token({"RemediationExecutionStatuses": shapes}, token)


# -- remediation exceptions --------------------------------------------------------------------------------------


def _expiration(params: dict[str, Any]) -> datetime | None:
    value = params.get("ExpirationTime")
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as err:
            raise invalid("expirationTime", "Member must be a timestamp") from err
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise invalid("expirationTime", "Member must be a timestamp")


def put_remediation_exceptions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    keys = _resource_keys(params, "ResourceKeys", "ResourceType", "ResourceId")
    message = opt_str(params, "Message")
    if message is not None and len(message) > 1024:
        raise invalid("message", "Member must have length less than or equal to 1024")
    expiration = _expiration(params)
    for kind, identifier in keys:
        backend.world.config.exceptions[(backend.region, name, kind, identifier)] = RemediationException(
            name, kind, identifier, message, expiration_time=expiration
        )
    return {"FailedBatches": []}


def live_exceptions(backend: FakeBackend, name: str) -> list[tuple[tuple[str, str], RemediationException]]:
    """The rule's exceptions in this region that have not expired, by (resource type, resource id)."""
    now = backend.now()
    return [
        (key[2:], exception)
        for key, exception in sorted(backend.world.config.exceptions.items())
        if key[:2] == (backend.region, name) and not exception.expired(now)
    ]


def describe_remediation_exceptions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    wanted = None
    if params.get("ResourceKeys"):
        wanted = set(_resource_keys(params, "ResourceKeys", "ResourceType", "ResourceId"))
    found = [exception for key, exception in live_exceptions(backend, name) if wanted is None or key in wanted]
    shown, token = listing_page(found, page_limit(params, 25), params)
    shapes = []
    for exception in shown:
        shape: dict[str, Any] = {
            "ConfigRuleName": exception.config_rule_name,
            "ResourceType": exception.resource_type,
            "ResourceId": exception.resource_id,
        }
        if exception.message is not None:
            shape["Message"] = exception.message
        if exception.expiration_time is not None:
            shape["ExpirationTime"] = exception.expiration_time
        shapes.append(shape)
    return with_token({"RemediationExceptions": shapes}, token)


def delete_remediation_exceptions(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    keys = _resource_keys(params, "ResourceKeys", "ResourceType", "ResourceId")
    live = dict(live_exceptions(backend, name))
    missing = [key for key in keys if key not in live]
    if len(missing) == len(keys):
        kind, identifier = keys[0]
        raise AwsError(
            "NoSuchRemediationExceptionException", f"No remediation exception for {kind} {identifier} of {name}."
        )
    for key in keys:
        if key in live:
            del backend.world.config.exceptions[(backend.region, name, *key)]
    batches = []
    if missing:
        items = [{"ResourceType": kind, "ResourceId": identifier} for kind, identifier in missing]
        batches.append({"FailureMessage": "No remediation exception exists for these resources.", "FailedItems": items})
    return {"FailedBatches": batches}


OPERATIONS: dict[str, Operation] = {
    "PutRemediationConfigurations": put_remediation_configurations,
    "DescribeRemediationConfigurations": describe_remediation_configurations,
    "DeleteRemediationConfiguration": delete_remediation_configuration,
    "StartRemediationExecution": start_remediation_execution,
    "DescribeRemediationExecutionStatus": describe_remediation_execution_status,
    "PutRemediationExceptions": put_remediation_exceptions,
    "DescribeRemediationExceptions": describe_remediation_exceptions,
    "DeleteRemediationExceptions": delete_remediation_exceptions,
}
