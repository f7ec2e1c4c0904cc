"""The simulator: run any Automation document locally with SSM's semantics, in a fake AWS world.

```python
from toolkit.simulate import simulate, World
result = simulate(doc, params={"CloudTrailName": "main"}, world=World.default())
```
Names are imported on first use, so that importing the package costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.fakes.world import World
    from toolkit.simulate.execution import Options
    from toolkit.simulate.result import SimulationResult, StepRun
    from toolkit.simulate.simulator import simulate

_WHERE = {
    "World": "toolkit.fakes.world",
    "Options": "toolkit.simulate.execution",
    "SimulationResult": "toolkit.simulate.result",
    "StepRun": "toolkit.simulate.result",
    "simulate": "toolkit.simulate.simulator",
}

__all__ = ["Options", "SimulationResult", "StepRun", "World", "simulate"]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.simulate' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
