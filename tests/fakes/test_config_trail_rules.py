"""The two managed Config rules that evaluate each trail (AWS Config developer guide, cloud-trail-encryption-enabled
and cloud-trail-log-file-validation-enabled: resource type AWS::CloudTrail::Trail, periodic, no parameters): one
result per trail homed in the Region, through the API (PutConfigRule, StartConfigRulesEvaluation), the world file
and scenario files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.fakes.services import Service
from tests.fakes.worlds import ACCOUNT, KEY_ARN, trail, world
from toolkit.fakes.config import (
    COMPLIANT,
    NON_COMPLIANT,
    NOT_APPLICABLE,
    TRAIL,
    ConfigError,
    ConfigRule,
    evaluate,
    evaluate_resources,
)
from toolkit.fakes.default import default_data
from toolkit.fakes.world import World
from toolkit.scenario import load_scenario, play

ENCRYPTION = "cloud-trail-encryption-enabled"
VALIDATION = "cloud-trail-log-file-validation-enabled"
IDENTIFIERS = {ENCRYPTION: "CLOUD_TRAIL_ENCRYPTION_ENABLED", VALIDATION: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"}


def trails(*entries: dict[str, Any]) -> World:
    return world(Trails=list(entries))


def results(name: str, state: World, region: str | None = None) -> list[tuple[str, str, str]]:
    found = evaluate_resources(ConfigRule.read({"ConfigRuleName": name}), state, region)
    return [(result.resource_type, result.resource_id, result.compliance) for result in found]


CASES: list[tuple[str, str, World, list[tuple[str, str]], str]] = [
    # (case, rule, world, [(trail, compliance)], words in the first annotation)
    ("encrypted", ENCRYPTION, trails(trail("main", KmsKeyId=KEY_ARN)), [("main", COMPLIANT)], f"KMS key {KEY_ARN}"),
    ("not encrypted", ENCRYPTION, trails(trail("main")), [("main", NON_COMPLIANT)], "not encrypted with KMS"),
    (
        "a stopped trail is evaluated all the same",
        ENCRYPTION,
        trails(trail("main", KmsKeyId=KEY_ARN, IsLogging=False)),
        [("main", COMPLIANT)],
        "encrypted",
    ),
    (
        "each trail on its own, by name",
        ENCRYPTION,
        trails(trail("plain"), trail("audit", KmsKeyId=KEY_ARN)),
        [("audit", COMPLIANT), ("plain", NON_COMPLIANT)],
        "audit",
    ),
    ("validation on", VALIDATION, trails(trail("main", LogFileValidationEnabled=True)), [("main", COMPLIANT)], "has"),
    (
        "validation off",
        VALIDATION,
        trails(trail("main", IsLogging=True)),
        [("main", NON_COMPLIANT)],
        "does not have log file validation enabled",
    ),
    (
        "a multi-region trail homed elsewhere is evaluated in its home Region only",
        VALIDATION,
        trails(trail("west", HomeRegion="us-west-2", IsMultiRegionTrail=True)),
        [],
        "",
    ),
]


@pytest.mark.parametrize(
    ("rule", "state", "expected", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_per_trail_evaluation(rule: str, state: World, expected: list[tuple[str, str]], words: str) -> None:
    before = state.to_dict()
    found = evaluate_resources(ConfigRule.read({"ConfigRuleName": rule}), state)
    assert [(result.resource_type, result.resource_id, result.compliance) for result in found] == [
        (TRAIL, name, compliance) for name, compliance in expected
    ]
    if found:
        assert words in found[0].annotation and found[0].rule == rule
    assert state.to_dict() == before  # evaluation reads the world, never changes it


def test_a_shadow_trail_is_evaluated_in_its_home_region() -> None:
    state = trails(trail("west", HomeRegion="us-west-2", IsMultiRegionTrail=True))
    assert results(VALIDATION, state, "us-west-2") == [(TRAIL, "west", NON_COMPLIANT)]


def test_evaluate_sums_a_per_trail_rule_up_for_callers_that_follow_one_resource() -> None:
    rule = ConfigRule.read({"ConfigRuleName": ENCRYPTION})
    mixed = evaluate(rule, trails(trail("audit", KmsKeyId=KEY_ARN), trail("plain")))
    assert (mixed.resource_type, mixed.resource_id, mixed.compliance, mixed.compliant) == (
        TRAIL,
        "plain",
        NON_COMPLIANT,
        False,
    )
    good = evaluate(rule, trails(trail("audit", KmsKeyId=KEY_ARN)))
    assert (good.resource_id, good.compliance, good.compliant) == ("audit", COMPLIANT, True)
    none = evaluate(rule, trails())
    assert (none.resource_type, none.resource_id, none.compliance) == ("AWS::::Account", ACCOUNT, NOT_APPLICABLE)
    assert none.compliant  # nothing for remediation to do


@pytest.mark.parametrize("name", sorted(IDENTIFIERS))
def test_the_rules_take_no_parameters_and_run_periodically(name: str) -> None:
    rule = ConfigRule.read({"ConfigRuleName": name})
    assert (rule.identifier, rule.per_trail, rule.frequency) == (IDENTIFIERS[name], True, "TwentyFour_Hours")
    assert ConfigRule.of_source("mine", IDENTIFIERS[name], None).kind == name
    with pytest.raises(ConfigError) as refused:
        ConfigRule.read({"ConfigRuleName": name, "InputParameters": {"s3BucketName": "b"}})
    assert refused.value.path == ("InputParameters", "s3BucketName")


def test_the_account_rules_are_not_per_trail() -> None:
    assert not ConfigRule.read({"ConfigRuleName": "cloudtrail-enabled"}).per_trail


# -- the API ---------------------------------------------------------------------------------------------------

CONFIG_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def recording_service(*entries: dict[str, Any]) -> Service:
    data = default_data()
    data["Roles"] = [{"Name": "ConfigRole", "AssumeRolePolicyDocument": CONFIG_TRUST}]
    data["Trails"] = list(entries)
    service = Service("config", World.from_dict(data))
    role = f"arn:aws:iam::{ACCOUNT}:role/ConfigRole"
    service.call("PutConfigurationRecorder", ConfigurationRecorder={"name": "default", "roleARN": role})
    return service


def test_put_config_rule_takes_them_and_refuses_parameters() -> None:
    service = recording_service(trail("main"))
    rule = {
        "ConfigRuleName": "trails-encrypted",
        "Source": {"Owner": "AWS", "SourceIdentifier": IDENTIFIERS[ENCRYPTION]},
    }
    assert service.call("PutConfigRule", ConfigRule=rule) == {}
    (described,) = service.call("DescribeConfigRules")["ConfigRules"]
    assert described["Source"] == rule["Source"] and described["MaximumExecutionFrequency"] == "TwentyFour_Hours"
    bad = {**rule, "InputParameters": '{"s3BucketName": "b"}'}
    assert service.error("PutConfigRule", ConfigRule=bad).code == "InvalidParameterValueException"


def test_an_evaluation_records_one_result_per_trail_and_forgets_a_trail_that_is_gone() -> None:
    service = recording_service(trail("audit", LogFileValidationEnabled=True), trail("plain"))
    rule = {"ConfigRuleName": VALIDATION, "Source": {"Owner": "AWS", "SourceIdentifier": IDENTIFIERS[VALIDATION]}}
    service.call("PutConfigRule", ConfigRule=rule)
    service.call("StartConfigRulesEvaluation", ConfigRuleNames=[VALIDATION])
    found = service.call("GetComplianceDetailsByConfigRule", ConfigRuleName=VALIDATION)["EvaluationResults"]
    assert [
        (
            result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceType"],
            result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"],
            result["ComplianceType"],
        )
        for result in found
    ] == [(TRAIL, "audit", COMPLIANT), (TRAIL, "plain", NON_COMPLIANT)]
    (summary,) = service.call("DescribeComplianceByConfigRule")["ComplianceByConfigRules"]
    assert summary["Compliance"] == {
        "ComplianceType": NON_COMPLIANT,
        "ComplianceContributorCount": {"CappedCount": 1, "CapExceeded": False},
    }
    service.world.call("cloudtrail", "DeleteTrail", {"Name": "plain"})
    service.call("StartConfigRulesEvaluation", ConfigRuleNames=[VALIDATION])
    found = service.call("GetComplianceDetailsByConfigRule", ConfigRuleName=VALIDATION)["EvaluationResults"]
    assert [result["ComplianceType"] for result in found] == [COMPLIANT]


# -- the world file and scenario files -----------------------------------------------------------------------------


def test_the_world_file_holds_them_by_name_alone() -> None:
    data = default_data()
    data["ConfigRules"] = [{"ConfigRuleName": ENCRYPTION}, {"ConfigRuleName": VALIDATION, "Region": "eu-west-1"}]
    state = World.from_dict(data)
    written = state.to_dict()["ConfigRules"]
    assert {rule["ConfigRuleName"]: rule["Source"]["SourceIdentifier"] for rule in written} == IDENTIFIERS
    assert World.from_dict(state.to_dict()) == state


def test_a_scenario_remediates_a_trail_without_log_file_validation(tmp_path: Path) -> None:
    scenario = yaml.safe_load((ROOT / "scenarios" / "logging-stopped.yaml").read_text())
    scenario["world"] = str(ROOT / "scenarios" / "worlds" / "logging.yaml")
    scenario["description"] = "The trail has no log file validation; the remediation turns it on."
    scenario["rule"] = {"ConfigRuleName": VALIDATION, "MaximumExecutionFrequency": "One_Hour"}
    scenario["remediation"]["ConfigRuleName"] = VALIDATION
    scenario["events"] = []
    scenario["expect"] = {
        "final_compliance": COMPLIANT,
        "remediation_exception": False,
        "remediations": ["SUCCEEDED"],
        "trails": {"main": {"LogFileValidationEnabled": True}},
    }
    path = tmp_path / "validation.yaml"
    path.write_text(yaml.safe_dump(scenario))
    report = play(load_scenario(path)).data
    assert report["expectations_met"], report
    first = report["evaluations"][0]
    assert (first["resource_type"], first["resource_id"], first["compliance"]) == (TRAIL, "main", NON_COMPLIANT)
