"""The fake AWS Config's rule and remediation operations, on the state in ``toolkit.fakes.config.state``
(``toolkit.fakes.services.config`` puts them in the service's ``OPERATIONS``).

Rules: PutConfigRule (a configuration recorder must exist: NoAvailableConfigurationRecorderException; the three
managed CloudTrail rules only, any other source fails loudly), DescribeConfigRules, DeleteConfigRule
(ResourceInUseException while a remediation configuration is attached), StartConfigRulesEvaluation (evaluates at
once with ``toolkit.fakes.config.evaluate``, the scenarios' evaluation, and records the result),
GetComplianceDetailsByConfigRule, DescribeComplianceByConfigRule; NoSuchConfigRuleException.

Remediation: Put/Describe/DeleteRemediationConfiguration(s) (checked by ``RemediationConfiguration.read``, the
scenarios' reader), StartRemediationExecution (records each resource's execution as QUEUED and a Pending automation
execution of the target document in the fake SSM: running it is the simulator's), DescribeRemediationExecutionStatus,
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
from toolkit.fakes.config.common import COMPLIANT, FREQUENCIES, NON_COMPLIANT, ConfigError
from toolkit.fakes.config.remediation import RemediationConfiguration, RemediationException
from toolkit.fakes.config.rules import IDENTIFIERS, ConfigRule, evaluate
from toolkit.fakes.config.state import (
    COMPLIANCE_TYPES,
    EvaluationRecord,
    RemediationExecution,
    RuleRecord,
    rule_id,
    short_id,
)
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json, invalid, opt_int, opt_str, req_str, str_list, struct_list
from toolkit.fakes.services.paging import page
from toolkit.fakes.ssm import AutomationExecution
from toolkit.fakes.ssm.executions import next_execution_id, record_execution

RUNNING: Final = ("QUEUED", "IN_PROGRESS")
LARGEST_PAGE: Final = 100
"""The most results a Config listing gives per page (botocore's config model: Limit 0-100; 0 is the default)."""
REMEDIATION_ROLE: Final = "role/aws-service-role/remediation.config.amazonaws.com/AWSServiceRoleForConfigRemediation"


def structure(params: dict[str, Any], member: str) -> dict[str, Any]:
    value = params.get(member)
    if value is None:
        raise AwsError(
            "ValidationException",
            f"1 validation error detected: Value null at '{member[0].lower() + member[1:]}' failed to satisfy "
            "constraint: Member must not be null",
        )
    if not isinstance(value, dict):
        raise invalid(member, "Member must be a structure")
    return value


def not_modeled(what: str) -> AwsError:
    return AwsError("NotModeledByFakeWorld", f"the fake AWS world does not model {what}", status=501)


def bad_value(message: str) -> AwsError:
    return AwsError("InvalidParameterValueException", message)


def no_rule(name: str) -> AwsError:
    return AwsError(
        "NoSuchConfigRuleException",
        f"The ConfigRule '{name}' provided in the request is invalid. Please check the configRule name",
    )


def no_remediation(name: str) -> AwsError:
    return AwsError("NoSuchRemediationConfigurationException", f"No RemediationConfiguration for rule {name} exists.")


def _rule(backend: FakeBackend, name: str) -> RuleRecord:
    found = backend.world.config.rules.get((backend.region, name))
    if found is None:
        raise no_rule(name)
    return found


def _page(items: list[Any], size: int, params: dict[str, Any]) -> tuple[list[Any], str | None]:
    return page(
        items,
        size,
        opt_str(params, "NextToken"),
        invalid="InvalidNextTokenException",
        message="The nextToken provided is invalid",
    )


def _limit(params: dict[str, Any], default: int) -> int:
    count = opt_int(params, "Limit")
    if count is not None and not 0 <= count <= LARGEST_PAGE:
        raise invalid("limit", f"Member must have value less than or equal to {LARGEST_PAGE}")
    return count or default


def _with_token(response: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token is not None:
        response["NextToken"] = token
    return response


# -- rules -------------------------------------------------------------------------------------------------------


def put_config_rule(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    request = structure(params, "ConfigRule")
    if backend.region not in backend.world.config.recorders:
        raise AwsError(
            "NoAvailableConfigurationRecorderException",
            "Configuration recorder is not available to put config rule.",
        )
    source = request.get("Source")
    if not isinstance(source, dict) or not isinstance(source.get("Owner"), str):
        raise invalid("configRule.source.owner", "Member must not be null")
    owner, identifier = source["Owner"], source.get("SourceIdentifier")
    if owner != "AWS":
        raise not_modeled(f"custom Config rules (Source.Owner {owner})")
    if identifier not in IDENTIFIERS:
        raise not_modeled(f"the managed rule {identifier}: the fake world evaluates {', '.join(IDENTIFIERS)} only")
    existing = _existing(backend, request)
    name = existing.name if existing is not None else request.get("ConfigRuleName")
    if not isinstance(name, str) or not name.strip() or len(name) > 128:
        raise bad_value("One or more identifiers needs to be provided. Provide Name or Id or Arn")
    if request.get("ConfigRuleState", "ACTIVE") != "ACTIVE":
        raise bad_value(
            f"The ConfigRuleState {request['ConfigRuleState']} is invalid.  Only the following values are permitted: "
            "ACTIVE"
        )
    if request.get("CreatedBy"):
        raise bad_value(
            "AWS Config populates the CreatedBy field for ServiceLinkedConfigRule. Try again without populating the "
            "CreatedBy field"
        )
    frequency = request.get("MaximumExecutionFrequency", "TwentyFour_Hours")
    if frequency not in FREQUENCIES:
        raise invalid(
            "configRule.maximumExecutionFrequency", f"Member must satisfy enum value set: {list(FREQUENCIES)}"
        )
    raw = request.get("InputParameters")
    if raw is not None and not isinstance(raw, str):
        raise invalid("configRule.inputParameters", "Member must be a string")
    try:
        rule = ConfigRule.of_source(name, str(identifier), raw, frequency)
    except ConfigError as err:
        if err.reason == "must be a JSON object":
            raise bad_value(f"Invalid json {raw} passed in the InputParameters field") from err
        if err.reason.startswith("unknown member"):
            raise bad_value(f"Unknown parameters provided in the inputParameters: {raw}") from err
        raise bad_value(f"{err.message} in the inputParameters: {raw}") from err
    scope = request.get("Scope")
    tags = {str(tag.get("Key")): str(tag.get("Value")) for tag in struct_list(params, "Tags") or []}
    backend.world.config.rules[(backend.region, name)] = RuleRecord(
        rule=rule,
        region=backend.region,
        rule_id=existing.rule_id if existing else rule_id(backend.account, backend.region, name, backend.now()),
        input_parameters=raw,
        description=opt_str(request, "Description"),
        scope=copy_json(scope) if isinstance(scope, dict) else None,
        tags={**(existing.tags if existing else {}), **tags},
    )
    return {}


def _existing(backend: FakeBackend, request: dict[str, Any]) -> RuleRecord | None:
    name, arn, given_id = request.get("ConfigRuleName"), request.get("ConfigRuleArn"), request.get("ConfigRuleId")
    rules = [rule for (region, _), rule in backend.world.config.rules.items() if region == backend.region]
    for rule in rules:
        if rule.name == name or (
            name is None and (rule.rule_id == given_id or rule.arn(backend.partition, backend.account) == arn)
        ):
            return rule
    if arn or given_id:
        raise bad_value(
            "ConfigRule Arn and Id can not be specified when creating a new ConfigRule. ConfigRule Arn and Id are "
            "generated by the service. Please try the request again without specifying ConfigRule Arn or Id"
        )
    return None


def _rule_shape(backend: FakeBackend, record: RuleRecord) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "ConfigRuleName": record.name,
        "ConfigRuleArn": record.arn(backend.partition, backend.account),
        "ConfigRuleId": record.rule_id,
    }
    if record.description is not None:
        shape["Description"] = record.description
    if record.scope is not None:
        shape["Scope"] = copy_json(record.scope)
    shape["Source"] = {"Owner": "AWS", "SourceIdentifier": record.rule.identifier}
    if record.input_parameters is not None:
        shape["InputParameters"] = record.input_parameters
    shape["MaximumExecutionFrequency"] = record.rule.frequency
    shape["ConfigRuleState"] = "ACTIVE"
    shape["EvaluationModes"] = [{"Mode": "DETECTIVE"}]
    return shape


def _named_rules(backend: FakeBackend, params: dict[str, Any]) -> list[RuleRecord]:
    names = str_list(params, "ConfigRuleNames")
    if names:
        return [_rule(backend, name) for name in dict.fromkeys(names)]
    table = backend.world.config.rules
    return [table[key] for key in sorted(table) if key[0] == backend.region]


def describe_config_rules(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    rules = _named_rules(backend, params)
    filters = params.get("Filters") or {}
    if isinstance(filters, dict) and filters.get("EvaluationMode") == "PROACTIVE":
        rules = []
    shown, token = _page(rules, 25, params)
    return _with_token({"ConfigRules": [_rule_shape(backend, record) for record in shown]}, token)


def delete_config_rule(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    _rule(backend, name)
    state = backend.world.config
    if (backend.region, name) in state.remediations:
        raise AwsError(
            "ResourceInUseException",
            f"A remediation action is associated with the rule {name}; delete the remediation configuration before "
            "deleting the rule.",
        )
    del state.rules[(backend.region, name)]
    for key in [key for key in state.evaluations if key[:2] == (backend.region, name)]:
        del state.evaluations[key]
    return {}


def start_config_rules_evaluation(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    rules = _named_rules(backend, params)
    now = backend.now()
    for record in rules:
        record_evaluation(backend, record.rule, now)
    return {}


def record_evaluation(backend: FakeBackend, rule: ConfigRule, now: datetime) -> EvaluationRecord:
    """Evaluate ``rule`` in the backend's region now and keep the result as the rule's latest."""
    result = evaluate(rule, backend.world, backend.region)
    record = EvaluationRecord(
        rule.name,
        backend.region,
        result.resource_type,
        result.resource_id,
        result.compliance,
        result.annotation,
        now,
        now,
    )
    backend.world.config.evaluations[record.key] = record
    return record


def _compliance_types(params: dict[str, Any]) -> list[str]:
    types = str_list(params, "ComplianceTypes") or []
    for kind in types:
        if kind not in COMPLIANCE_TYPES:
            raise invalid("complianceTypes", f"Member must satisfy enum value set: [{', '.join(COMPLIANCE_TYPES)}]")
    return types


def get_compliance_details_by_config_rule(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "ConfigRuleName")
    _rule(backend, name)
    wanted = _compliance_types(params)
    results = [
        record
        for key, record in sorted(backend.world.config.evaluations.items())
        if key[:2] == (backend.region, name) and (not wanted or record.compliance in wanted)
    ]
    shown, token = _page(results, _limit(params, 10), params)
    return _with_token({"EvaluationResults": [_result(record) for record in shown]}, token)


def _result(record: EvaluationRecord) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "EvaluationResultIdentifier": {
            "EvaluationResultQualifier": {
                "ConfigRuleName": record.rule_name,
                "ResourceType": record.resource_type,
                "ResourceId": record.resource_id,
                "EvaluationMode": "DETECTIVE",
            },
            "OrderingTimestamp": record.invoked,
        },
        "ComplianceType": record.compliance,
        "ResultRecordedTime": record.recorded,
        "ConfigRuleInvokedTime": record.invoked,
    }
    if record.annotation is not None:
        shape["Annotation"] = record.annotation
    return shape


def describe_compliance_by_config_rule(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    rules = _named_rules(backend, params)
    wanted = _compliance_types(params)
    listed = []
    for record in rules:
        results = [
            evaluation
            for key, evaluation in backend.world.config.evaluations.items()
            if key[:2] == (backend.region, record.name)
        ]
        failing = sum(1 for evaluation in results if evaluation.compliance == NON_COMPLIANT)
        compliance: dict[str, Any]
        if failing:
            compliance = {
                "ComplianceType": NON_COMPLIANT,
                "ComplianceContributorCount": {"CappedCount": failing, "CapExceeded": False},
            }
        elif any(evaluation.compliance == COMPLIANT for evaluation in results):
            compliance = {"ComplianceType": COMPLIANT}
        else:
            compliance = {"ComplianceType": "INSUFFICIENT_DATA"}
        if not wanted or compliance["ComplianceType"] in wanted:
            listed.append({"ConfigRuleName": record.name, "Compliance": compliance})
    shown, token = _page(listed, 25, params)
    return _with_token({"ComplianceByConfigRules": shown}, token)


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
    shown, token = _page(statuses, _limit(params, 25), params)
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
    return _with_token({"RemediationExecutionStatuses": shapes}, token)


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
    shown, token = _page(found, _limit(params, 25), params)
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
    return _with_token({"RemediationExceptions": shapes}, token)


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
    "PutConfigRule": put_config_rule,
    "DescribeConfigRules": describe_config_rules,
    "DeleteConfigRule": delete_config_rule,
    "StartConfigRulesEvaluation": start_config_rules_evaluation,
    "GetComplianceDetailsByConfigRule": get_compliance_details_by_config_rule,
    "DescribeComplianceByConfigRule": describe_compliance_by_config_rule,
    "PutRemediationConfigurations": put_remediation_configurations,
    "DescribeRemediationConfigurations": describe_remediation_configurations,
    "DeleteRemediationConfiguration": delete_remediation_configuration,
    "StartRemediationExecution": start_remediation_execution,
    "DescribeRemediationExecutionStatus": describe_remediation_execution_status,
    "PutRemediationExceptions": put_remediation_exceptions,
    "DescribeRemediationExceptions": describe_remediation_exceptions,
    "DeleteRemediationExceptions": delete_remediation_exceptions,
}
