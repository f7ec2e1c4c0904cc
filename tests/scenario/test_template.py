"""``template``: a scenario's world made from a CloudFormation template by the world maker its reader is given
(``toolkit.deploy.instantiate`` through the command layer, since the scenario room may not import deploy). Tested
with a small maker of its own: what it is asked, what its world becomes, and each mistake named."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.scenario.worlds import remediation, world
from tests.test_scenario import write
from toolkit.errors import ToolkitError
from toolkit.fakes.world import World
from toolkit.scenario import ScenarioError, load_scenario, play

EXPECT = {"final_compliance": "COMPLIANT", "remediation_exception": False, "remediations": ["SUCCEEDED"]}


class Maker:
    """Stands for toolkit.deploy.instantiate: records what it is asked and adds the pattern's rule and remediation
    configuration (as the template's AWS::Config::ConfigRule and RemediationConfiguration would) to the base."""

    def __init__(self) -> None:
        self.asked: list[dict[str, Any]] = []

    def __call__(
        self, template: Path, *, params: Mapping[str, str], base: World, account: str | None, region: str | None
    ) -> World:
        self.asked.append(
            {"template": template, "params": dict(params), "base": base, "account": account, "region": region}
        )
        if params.get("Fail"):
            raise ToolkitError(f"{template.name}: AWS::Lambda::Function cannot be instantiated")
        data = base.to_dict()
        rule = "multi-region-cloudtrail-enabled"
        data["ConfigRules"] = [
            {"ConfigRuleName": rule, "MaximumExecutionFrequency": params.get("Frequency", "One_Hour")}
        ]
        data["RemediationConfigurations"] = [remediation(rule)]
        return World.from_dict(data)


def template_scenario(tmp_path: Path, template: Any, **changes: Any) -> Path:
    (tmp_path / "pattern.yaml").write_text("Resources: {}\n", encoding="utf-8")
    data = {"world": world(), "template": template, "duration": 0, "expect": EXPECT, **changes}
    return write(tmp_path, {key: value for key, value in data.items() if value is not None})


def test_the_world_is_made_from_the_template_on_top_of_the_scenarios_world(tmp_path: Path) -> None:
    maker = Maker()
    template = {"file": "pattern.yaml", "params": {"Frequency": "Six_Hours"}, "account": "123456789012"}
    loaded = load_scenario(template_scenario(tmp_path, template), world_maker=maker)
    (asked,) = maker.asked
    assert asked["template"] == tmp_path / "pattern.yaml"
    assert (asked["params"], asked["account"], asked["region"]) == ({"Frequency": "Six_Hours"}, "123456789012", None)
    assert [trail.name for trail in asked["base"].trails.values()] == ["main"]  # the scenario's world is the base
    data = play(loaded).data
    assert data["expectations_met"], data["unmet"]  # the loop runs the rule the template put in the world
    assert data["rule"] == {
        "ConfigRuleName": "multi-region-cloudtrail-enabled",
        "SourceIdentifier": "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        "InputParameters": {},
        "MaximumExecutionFrequency": "Six_Hours",
    }


def test_a_template_given_as_a_path_and_without_a_world_uses_the_default_world(tmp_path: Path) -> None:
    maker = Maker()
    loaded = load_scenario(template_scenario(tmp_path, "pattern.yaml", world=None), world_maker=maker)
    assert [setup.rule.frequency for setup in loaded.rules] == ["One_Hour"]
    assert maker.asked[0]["base"] == World.default() and maker.asked[0]["params"] == {}
    assert maker.asked[0]["template"] == tmp_path / "pattern.yaml"


@pytest.mark.parametrize(
    ("template", "words"),
    [
        (
            {"file": "pattern.yaml", "params": {"Frequency": "One_Hour"}},
            "template: cannot be instantiated: no world maker",
        ),
        ({"file": "missing.yaml"}, "template.file: no such template file"),
        ({"params": {}}, "template: needs either file (a template file) or pattern"),
        ({"file": "pattern.yaml", "pattern": "account"}, "template: needs either file (a template file) or pattern"),
        ({"pattern": "mine"}, "template.pattern: must be one of the toolkit's templates: account, organization"),
        ({"file": "pattern.yaml", "Params": {}}, "template.Params: unknown key"),
        ({"file": "pattern.yaml", "params": {"Frequency": 1}}, "template.params.Frequency: must be text"),
        ({"file": "pattern.yaml", "account": 123456789012}, "template.account: must be a 12-digit account id"),
        ({"file": "pattern.yaml", "region": "mars"}, "template.region: must be a region name"),
    ],
)
def test_template_mistakes_name_the_key(tmp_path: Path, template: Any, words: str) -> None:
    maker = None if "no world maker" in words else Maker()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(template_scenario(tmp_path, template), world_maker=maker)
    assert words in str(caught.value)


def test_what_the_maker_cannot_instantiate_is_an_error_of_the_scenario(tmp_path: Path) -> None:
    template = {"file": "pattern.yaml", "params": {"Fail": "yes"}}
    path = template_scenario(tmp_path, template)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, world_maker=Maker())
    assert str(caught.value).startswith(f"{path}:")
    assert "template: pattern.yaml: AWS::Lambda::Function cannot be instantiated" in str(caught.value)
