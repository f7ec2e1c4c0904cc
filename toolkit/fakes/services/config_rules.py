"""The fake AWS Config's rule operations, on the state in ``toolkit.fakes.config.state``
(``toolkit.fakes.services.config`` puts them in the service's ``OPERATIONS``), and what the Config operations share:
reading a request's structures, Config's errors and pages.

Rules: PutConfigRule (a configuration recorder must exist: NoAvailableConfigurationRecorderException; the five
managed CloudTrail rules only, any other source fails loudly), DescribeConfigRules, DeleteConfigRule
(ResourceInUseException while a remediation configuration is attached), StartConfigRulesEvaluation (evaluates at
once with ``toolkit.fakes.config.evaluate_resources``, the scenarios' evaluation, and records each result; a
per-trail rule's results replace its earlier ones, so a trail that is gone has none),
GetComplianceDetailsByConfigRule, DescribeComplianceByConfigRule; NoSuchConfigRuleException.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.config.common import COMPLIANT, FREQUENCIES, NON_COMPLIANT, ConfigError
from toolkit.fakes.config.rules import IDENTIFIERS, ConfigRule, evaluate_resources
from toolkit.fakes.config.state import (
    COMPLIANCE_TYPES,
    EvaluationRecord,
    RuleRecord,
    rule_id,
)
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json, invalid, opt_int, opt_str, req_str, str_list, struct_list
from toolkit.fakes.services.paging import page

LARGEST_PAGE: Final = 100
"""The most results a Config listing gives per page (botocore's config model: Limit 0-100; 0 is the default)."""


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


def _rule(backend: FakeBackend, name: str) -> RuleRecord:
    found = backend.world.config.rules.get((backend.region, name))
    if found is None:
        raise no_rule(name)
    return found


def listing_page(items: list[Any], size: int, params: dict[str, Any]) -> tuple[list[Any], str | None]:
    return page(
        items,
        size,
        opt_str(params, "NextToken"),
        invalid="InvalidNextTokenException",
        message="The nextToken provided is invalid",
    )


def page_limit(params: dict[str, Any], default: int) -> int:
    count = opt_int(params, "Limit")
    if count is not None and not 0 <= count <= LARGEST_PAGE:
        raise invalid("limit", f"Member must have value less than or equal to {LARGEST_PAGE}")
    return count or default


def with_token(response: dict[str, Any], token: str | None) -> dict[str, Any]:
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
    shown, token = listing_page(rules, 25, params)
    return with_token({"ConfigRules": [_rule_shape(backend, record) for record in shown]}, token)


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
        record_evaluations(backend, record.rule, now)
    return {}


def record_evaluations(backend: FakeBackend, rule: ConfigRule, now: datetime) -> list[EvaluationRecord]:
    """Evaluate ``rule`` in the backend's region now and keep its results as the rule's latest (a per-trail rule's
    replace all its earlier ones)."""
    evaluations = backend.world.config.evaluations
    if rule.per_trail:
        for key in [key for key in evaluations if key[:2] == (backend.region, rule.name)]:
            del evaluations[key]
    records = []
    for result in evaluate_resources(rule, backend.world, backend.region):
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
        evaluations[record.key] = record
        records.append(record)
    return records


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
    shown, token = listing_page(results, page_limit(params, 10), params)
    return with_token({"EvaluationResults": [_result(record) for record in shown]}, token)


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
    shown, token = listing_page(listed, 25, params)
    return with_token({"ComplianceByConfigRules": shown}, token)


OPERATIONS: dict[str, Operation] = {
    "PutConfigRule": put_config_rule,
    "DescribeConfigRules": describe_config_rules,
    "DeleteConfigRule": delete_config_rule,
    "StartConfigRulesEvaluation": start_config_rules_evaluation,
    "GetComplianceDetailsByConfigRule": get_compliance_details_by_config_rule,
    "DescribeComplianceByConfigRule": describe_compliance_by_config_rule,
}
