"""The toolkit's own cross-checks of the template, beyond what cfn-lint knows: every remediation configuration
against the runbook it runs and against AWS Config's ranges, every Config rule wired to a remediation, all of them
passing the same parameters. Each check gives problems as sentences, each naming the remediation at fault."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from toolkit.deploy.template import MAX_ATTEMPTS, RETRY_SECONDS

Data = dict[str, Any]

REMEDIATION_TYPE = "AWS::Config::RemediationConfiguration"
RULE_TYPE = "AWS::Config::ConfigRule"


def _of_type(template: Mapping[str, Any], kind: str) -> dict[str, Data]:
    """Logical id -> properties of every resource of ``kind``."""
    resources = template.get("Resources", {})
    return {name: item.get("Properties", {}) for name, item in resources.items() if item.get("Type") == kind}


def remediations(template: Mapping[str, Any]) -> dict[str, Data]:
    """Logical id -> properties of every remediation configuration of the template."""
    return _of_type(template, REMEDIATION_TYPE)


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
    """Every remediation's parameters are exactly the runbook's: every required one present (not conditional), no
    unknown one, each a static value."""
    return [
        f"{name}: {problem}"
        for name, remediation in remediations(template).items()
        for problem in _check_parameters(remediation, document)
    ]


def _check_parameters(remediation: Mapping[str, Any], document: Mapping[str, Any]) -> list[str]:
    problems = []
    declared = document.get("parameters", {})
    given = remediation.get("Parameters", {})
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
    """Each remediation: TargetType SSM_DOCUMENT and TargetId a Ref to the template's document."""
    problems = []
    for name, remediation in remediations(template).items():
        if remediation.get("TargetType") != "SSM_DOCUMENT":
            problems.append(f"{name}: TargetType is not SSM_DOCUMENT")
        target = remediation.get("TargetId")
        if not (isinstance(target, dict) and target.get("Ref") in _document_ids(template)):
            problems.append(f"{name}: TargetId {target!r} is not a Ref to the template's SSM document")
    return problems


def check_wiring(template: Mapping[str, Any]) -> list[str]:
    """Every Config rule of the template has exactly one remediation (its ConfigRuleName a Ref to the rule), and
    every remediation passes the same parameters (the runbook keeps one trail, whichever rule found it wanting)."""
    rules = _of_type(template, RULE_TYPE)
    found = remediations(template)
    problems = []
    wired: dict[str, list[str]] = {rule: [] for rule in rules}
    for name, remediation in found.items():
        target = remediation.get("ConfigRuleName")
        rule = target.get("Ref") if isinstance(target, dict) else None
        if rule not in rules:
            problems.append(f"{name}: ConfigRuleName {target!r} is not a Ref to one of the template's Config rules")
        else:
            wired[rule].append(name)
    for rule, names in wired.items():
        if len(names) != 1:
            problems.append(f"Config rule {rule} has {len(names)} remediations (1 expected)")
    parameters = {json.dumps(item.get("Parameters"), sort_keys=True) for item in found.values()}
    if len(parameters) > 1:
        problems.append("the remediations do not all pass the same parameters")
    return problems


def _in_range(
    remediation: Mapping[str, Any], template: Mapping[str, Any], field: str, bounds: tuple[int, int]
) -> list[str]:
    value = remediation.get(field)
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
        f"{name}: {problem}"
        for name, remediation in remediations(template).items()
        for problem in [
            *_in_range(remediation, template, "MaximumAutomaticAttempts", MAX_ATTEMPTS),
            *_in_range(remediation, template, "RetryAttemptSeconds", RETRY_SECONDS),
        ]
    ]


def check_all(template: Mapping[str, Any], document: Mapping[str, Any]) -> list[str]:
    if not remediations(template):
        return ["the template has no remediation configuration"]
    return [
        *check_parameters(template, document),
        *check_target(template),
        *check_ranges(template),
        *check_wiring(template),
    ]
