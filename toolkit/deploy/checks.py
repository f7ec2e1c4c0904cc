"""The toolkit's own cross-checks of the template, beyond what cfn-lint knows: the remediation configuration
against the runbook it runs, and against AWS Config's ranges. Each check gives problems as sentences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.deploy.template import MAX_ATTEMPTS, REMEDIATION, RETRY_SECONDS

Data = dict[str, Any]


def _remediation(template: Mapping[str, Any]) -> Data:
    resource = template.get("Resources", {}).get(REMEDIATION, {})
    properties: Data = resource.get("Properties", {})
    return properties


def _document_ids(template: Mapping[str, Any]) -> set[str]:
    resources = template.get("Resources", {})
    return {name for name, resource in resources.items() if resource.get("Type") == "AWS::SSM::Document"}


def _static_values(value: object) -> list[object] | None:
    """The values of a parameter entry: a StaticValue, or ``Fn::If`` between one and ``AWS::NoValue``."""
    if not isinstance(value, dict):
        return None
    if set(value) == {"StaticValue"} and isinstance(value["StaticValue"], dict):
        values = value["StaticValue"].get("Values")
        return values if isinstance(values, list) and set(value["StaticValue"]) == {"Values"} else None
    branches = value.get("Fn::If")
    if set(value) == {"Fn::If"} and isinstance(branches, list) and len(branches) == 3:
        found: list[object] = []
        for branch in branches[1:]:
            if branch == {"Ref": "AWS::NoValue"}:
                continue
            values = _static_values(branch)
            if values is None:
                return None
            found += values
        return found
    return None


def check_parameters(template: Mapping[str, Any], document: Mapping[str, Any]) -> list[str]:
    """Remediation parameters are exactly the runbook's: every required one present (not conditional), no
    unknown one, each a static value."""
    problems = []
    declared = document.get("parameters", {})
    given = _remediation(template).get("Parameters", {})
    for name in sorted(set(given) - set(declared)):
        problems.append(f"remediation parameter {name} is not a parameter of the runbook")
    for name in sorted(declared):
        if "default" in declared[name]:
            continue
        entry = given.get(name)
        if entry is None:
            problems.append(f"required runbook parameter {name} is not passed")
        elif not (isinstance(entry, dict) and "StaticValue" in entry):
            problems.append(f"required runbook parameter {name} is passed conditionally or not as a static value")
    for name, entry in sorted(given.items()):
        values = _static_values(entry)
        if values is None:
            problems.append(f"remediation parameter {name} is not a static value")
        elif len(values) > 25 or not values:
            problems.append(f"remediation parameter {name} has {len(values)} values (1-25)")
    return problems


def check_target(template: Mapping[str, Any]) -> list[str]:
    """TargetType SSM_DOCUMENT and TargetId a Ref to the template's document."""
    remediation = _remediation(template)
    problems = []
    if remediation.get("TargetType") != "SSM_DOCUMENT":
        problems.append("TargetType is not SSM_DOCUMENT")
    target = remediation.get("TargetId")
    if not (isinstance(target, dict) and target.get("Ref") in _document_ids(template)):
        problems.append(f"TargetId {target!r} is not a Ref to the template's SSM document")
    return problems


def _in_range(template: Mapping[str, Any], field: str, bounds: tuple[int, int]) -> list[str]:
    value = _remediation(template).get(field)
    low, high = bounds
    if isinstance(value, dict) and set(value) == {"Ref"}:
        parameter = template.get("Parameters", {}).get(value["Ref"])
        if not isinstance(parameter, dict):
            return [f"{field} refers to {value['Ref']}, which is not a template parameter"]
        least, most, default = (parameter.get("MinValue"), parameter.get("MaxValue"), parameter.get("Default"))
        if not (isinstance(least, int) and isinstance(most, int) and isinstance(default, int)):
            return [f"{field}: parameter {value['Ref']} needs integer MinValue, MaxValue and Default"]
        if not low <= least <= default <= most <= high:
            return [f"{field}: parameter {value['Ref']} allows {least}-{most} (default {default}); AWS: {low}-{high}"]
        return []
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return [f"{field} is {value!r}; AWS allows {low}-{high}"]
    return []


def check_ranges(template: Mapping[str, Any]) -> list[str]:
    """MaximumAutomaticAttempts and RetryAttemptSeconds within Config's ranges (literal or parameter bounds)."""
    return [
        *_in_range(template, "MaximumAutomaticAttempts", MAX_ATTEMPTS),
        *_in_range(template, "RetryAttemptSeconds", RETRY_SECONDS),
    ]


def check_all(template: Mapping[str, Any], document: Mapping[str, Any]) -> list[str]:
    return [*check_parameters(template, document), *check_target(template), *check_ranges(template)]
