"""docs/world-file.md, the world file's reference in the repository (issue 17): every YAML example in it loads as a
world file and reads back from what `--world-out` writes; every key the loader accepts is on the page; the README
links it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from toolkit.fakes import iam, iam_policies, kms, logs, organizations, s3, seeding, sns, world
from toolkit.fakes.cloudtrail import trail
from toolkit.fakes.config import common as config_common
from toolkit.fakes.config import state as config_state
from toolkit.fakes.ssm import documents, executions, instances, parameters
from toolkit.fakes.world import World

PAGE = ROOT / "docs" / "world-file.md"


def examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_page_has_examples_of_every_part() -> None:
    assert len(examples()) >= 12


@pytest.mark.parametrize("index", range(len(examples())))
def test_every_example_loads_and_reads_back_from_world_out(index: int, tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(examples()[index], encoding="utf-8")
    loaded = World.load(path)  # as `--world` reads it: errors name the file, key and line
    written = loaded.to_dict()  # what `--world-out` writes
    assert World.from_dict(yaml.safe_load(yaml.safe_dump(written))).to_dict() == written


KEY_TABLES: dict[str, tuple[str, ...]] = {
    "the top level": world.WORLD_KEYS,
    "an entry of Accounts": world.ACCOUNT_KEYS,
    "Trails": trail.TRAIL_KEYS,
    "Buckets": s3.BUCKET_KEYS,
    "Buckets[].Objects": s3.OBJECT_KEYS,
    "Keys": kms.KEY_KEYS,
    "Keys[].Grants": kms.GRANT_KEYS,
    "Topics": sns.TOPIC_KEYS,
    "Topics[].Subscriptions": sns.SUBSCRIPTION_KEYS,
    "Topics[].Messages": sns.MESSAGE_KEYS,
    "LogGroups": logs.LOG_GROUP_KEYS,
    "LogGroups[].Streams": logs.LOG_STREAM_KEYS,
    "LogGroups[].Streams[].Events": logs.LOG_EVENT_KEYS,
    "LogGroups[].MetricFilters": logs.METRIC_FILTER_KEYS,
    "LogGroups[].MetricFilters[].MetricTransformations": logs.METRIC_TRANSFORMATION_KEYS,
    "LogResourcePolicies": logs.LOG_RESOURCE_POLICY_KEYS,
    "Roles": iam.ROLE_KEYS,
    "Users": iam.USER_KEYS,
    "Groups": iam.GROUP_KEYS,
    "InstanceProfiles": iam.INSTANCE_PROFILE_KEYS,
    "named inline policies": iam.INLINE_KEYS,
    "Policies": iam_policies.POLICY_KEYS,
    "Policies[].Versions": iam_policies.VERSION_KEYS,
    "Organization": organizations.ORGANIZATION_KEYS,
    "Organization.OrganizationalUnits": organizations.UNIT_KEYS,
    "Organization.Accounts": organizations.MEMBER_KEYS,
    "Organization.Policies": organizations.POLICY_KEYS,
    "Organization.DelegatedAdministrators": organizations.DELEGATE_KEYS,
    "Parameters": parameters.PARAMETER_KEYS,
    "Documents": documents.DOCUMENT_KEYS,
    "AutomationExecutions": executions.EXECUTION_KEYS,
    "ManagedInstances": instances.INSTANCE_KEYS,
    "Commands": instances.COMMAND_KEYS,
    "ConfigurationRecorders": config_state.RECORDER_KEYS,
    "DeliveryChannels": config_state.CHANNEL_KEYS,
    "ConfigRules": config_state.RULE_KEYS,
    "EvaluationResults": config_state.EVALUATION_KEYS,
    "RemediationConfigurations": config_common.REMEDIATION_KEYS,
    "RemediationExceptions": config_state.EXCEPTION_KEYS,
    "RemediationExecutionStatuses": config_state.EXECUTION_STATUS_KEYS,
    "Calls": seeding.CALL_KEYS,
}


@pytest.mark.parametrize("table", sorted(KEY_TABLES))
def test_every_key_the_loader_accepts_is_documented(table: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    missing = [key for key in KEY_TABLES[table] if not re.search(rf"\b{key}\b", text)]
    assert missing == [], f"keys of {table} the world file accepts but docs/world-file.md does not show: {missing}"


def test_the_readme_links_the_page() -> None:
    assert "](docs/world-file.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
