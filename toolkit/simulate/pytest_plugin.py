"""pytest fixtures for testing runbooks with the simulator (registered through the ``pytest11`` entry point).

```python
def test_restarts_logging(fake_world, simulate_runbook):
    result = simulate_runbook("my-runbook", {"CloudTrailName": "main"}, world=fake_world)
    assert result.status == "Success"

def test_turns_on_versioning(seeded_world, simulate_runbook):
    world = seeded_world([{"Service": "s3", "Api": "CreateBucket", "Params": {"Bucket": "my-data"}}])
    result = simulate_runbook("enable-s3-versioning.yaml", {"BucketName": "my-data"}, world=world)
    assert result.world.call("s3", "GetBucketVersioning", {"Bucket": "my-data"})["Status"] == "Enabled"
```

``result.outputs`` are the outputs the document declares (as GetAutomationExecution gives them); an intermediate
step's output is in ``result.step_outputs["Step.Output"]`` (or that step's ``result.steps[i].outputs``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from toolkit.fakes.world import World
    from toolkit.model.document import Document
    from toolkit.simulate.result import SimulationResult


@pytest.fixture
def fake_world() -> World:
    """A fresh default world (account 123456789012, us-east-1, a log bucket, a key, a stopped trail)."""
    # lazy: pytest loads this plugin in every session; the fakes load only when a test asks for the fixture
    from toolkit.fakes.world import World

    return World.default()


@pytest.fixture
def seeded_world() -> Callable[..., World]:
    """``seeded_world(calls, base=None)``: a world whose starting state is ``base`` (world-file data; default: the
    default world's) with ``calls`` (world-file ``Calls`` entries: Service, Api, Params, Region, Account) replayed
    through the same owners a simulation uses. A call that fails raises ``WorldError`` naming it."""
    # lazy: as in fake_world, the fakes only when a test asks for the fixture
    from toolkit.fakes.world import World

    def make(calls: list[Mapping[str, Any]], base: Mapping[str, Any] | None = None) -> World:
        data = dict(base) if base is not None else World.default().to_dict()
        data["Calls"] = [*data.get("Calls", []), *calls]
        return World.from_dict(data)

    return make


@pytest.fixture
def simulate_runbook() -> Callable[..., SimulationResult]:
    """``simulate_runbook(doc, params=None, world=None, **options)``: the simulator, as ``toolkit.simulate``."""
    from toolkit.simulate.simulator import simulate  # lazy: as in fake_world, the simulator only when asked for

    def run(
        doc: Document | str | Path | Mapping[str, Any],
        params: Mapping[str, Any] | None = None,
        world: World | None = None,
        **options: Any,
    ) -> SimulationResult:
        return simulate(doc, params, world, **options)

    return run
