"""What a cold ``runbook simulate`` loads (issue 19): the modules the run needs, not those of services and features
it does not touch. Each module named here once loaded on this path for nothing (measured with ``python -X
importtime``); the results are the same either way (tests/simulate, the corpus simulations)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT
from toolkit.fakes.world import World, WorldError

REFERENCE = ROOT / "tests" / "data" / "simulate" / "reference-runbook.yaml"
"""The peer's reference runbook, as bench/data holds it (a copy: the tests read nothing outside tests/)."""
PARAMS = (
    "CloudTrailName=main",
    "CloudTrailS3BucketName=trail-logs-123456789012",
    "CloudTrailKmsKeyId=alias/cloudtrail",
)

NOT_LOADED = (
    "toolkit.fakes.services.kms",  # the KMS service's operations: CloudTrail's key check needs its key lookup alone
    "toolkit.fakes.services.kms_grants",
    "toolkit.fakes.services.kms_crypto",
    "toolkit.fakes.seeding",  # a world file's Calls: the default world has none
    "toolkit.fakes.logs",  # no log group or Logs resource policy in the default world
    "toolkit.fakes.sns",  # no topic in it
    "toolkit.fakes.ssm",  # no Systems Manager state
    "toolkit.fakes.config",  # no Config state
    "uuid",  # child executions' ids: the reference runbook starts none
    "importlib.resources",  # the AWS managed policies are files of the package
    "moto",
    "boto3",
    "botocore",
)


def _loaded(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_a_cold_simulate_of_the_reference_runbook_loads_only_what_it_uses() -> None:
    code = textwrap.dedent(
        f"""
        import json, sys
        from toolkit.cli import main
        argv = ["simulate", {str(REFERENCE)!r}, *[arg for param in {PARAMS!r} for arg in ("--param", param)]]
        assert main(argv) == 0
        print()
        print(json.dumps(sorted(sys.modules)))
        """
    )
    loaded = _loaded(code)
    assert "toolkit.simulate.engine" in loaded and "toolkit.fakes.cloudtrail.operations" in loaded  # it did run
    unwanted = [name for name in loaded if any(name == bad or name.startswith(f"{bad}.") for bad in NOT_LOADED)]
    assert unwanted == []


def test_a_world_read_back_from_its_own_data_loads_no_module_for_its_empty_sections() -> None:
    code = textwrap.dedent(
        """
        import json, sys
        from toolkit.fakes.world import World, WorldError
        world = World.default()
        data = world.to_dict()
        data["Trails"] = []
        World.from_dict(data)
        print(json.dumps(sorted(sys.modules)))
        """
    )
    loaded = _loaded(code)
    for name in ("toolkit.fakes.ssm", "toolkit.fakes.config", "toolkit.fakes.logs", "toolkit.fakes.sns"):
        assert name not in loaded


def test_empty_sections_read_as_absent_ones_and_the_world_writes_the_same_data() -> None:
    data = World.default().to_dict()
    assert all(data[key] == [] for key in ("Topics", "LogGroups", "LogResourcePolicies", "Parameters", "ConfigRules"))
    again = World.from_dict(data)
    assert again.rare.ssm is None and again.rare.config is None  # as for a world file without those keys
    assert again.to_dict() == data
    nulls = {**data, "Topics": None, "LogGroups": None, "Parameters": None, "ConfigRules": None}
    assert World.from_dict(nulls).to_dict() == data


@pytest.mark.parametrize("key", ["Topics", "LogGroups", "LogResourcePolicies", "Parameters", "ConfigRules"])
def test_a_section_that_is_not_a_list_is_still_refused_when_it_is_empty(key: str) -> None:
    with pytest.raises(WorldError, match=f"{key} must be a list"):
        World.from_dict({**World.default().to_dict(), key: {}})


def test_a_compiled_selector_is_a_frozen_record_as_the_dataclasses_were() -> None:
    from dataclasses import FrozenInstanceError

    from toolkit.simulate.jsonpath_parse import AnyOf, Criterion, Index, Property, compile_path

    path = compile_path("$.trailList[*].Name")
    assert path == compile_path("$.trailList[*].Name") and hash(path) == hash(compile_path("$.trailList[*].Name"))
    assert path != compile_path("$.trailList[*].name")
    assert repr(path.tokens[1]) == "Property(names=('trailList',))"
    assert repr(Index("single", (0,))) == "Index(operation='single', numbers=(0,))"
    assert Index("single", (0,)) == Index(operation="single", numbers=(0,)) != Index("single", (1,))
    assert Property(("a",)) != ("a",) and Property(("a",)).__eq__(("a",)) is NotImplemented
    either = AnyOf(Criterion("@.a", "==", "1"), Criterion("@.b", "exists", True))
    assert repr(either) == (
        "AnyOf(left=Criterion(left='@.a', operator='==', right='1'), "
        "right=Criterion(left='@.b', operator='exists', right=True))"
    )
    with pytest.raises(FrozenInstanceError):
        path.source = "$.x"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del path.tokens  # type: ignore[misc]
