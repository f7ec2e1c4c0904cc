"""``runbook simulate``: reads its inputs, runs the simulation, prints text or the contract's JSON.

Exit 0 when the execution ends Success, 1 when it ends otherwise, 2 when it cannot start. With ``--format json``
an execution that cannot start still prints the contract's JSON (status null, the error's code and message).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from toolkit.errors import SimulationError, ToolkitError
from toolkit.simulate.result import SUCCESS, SimulationResult

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def run(args: argparse.Namespace) -> int:
    from toolkit.fakes.world import World
    from toolkit.simulate.engine import Options
    from toolkit.simulate.params import from_text
    from toolkit.simulate.run import plan_of, simulate

    world = World.load(args.world) if args.world is not None else World.default()
    plan = plan_of(args.document)
    options = Options(approve=not args.reject, resume=not args.no_resume, cancel_at=args.cancel_at, moto=args.moto)
    try:
        params = _params_file(args) if args.params is not None else {}
        params.update(from_text(plan.parameters, args.param))
        result = simulate(args.document, params, world, options=options)
    except SimulationError as err:
        if args.format == "json":
            failed = SimulationResult(None, [], {}, [], None, {"code": err.code, "message": str(err)})
            sys.stdout.write(failed.to_json())
            print(f"runbook: {err.code}: {err}", file=sys.stderr)
            return EXIT_UNUSABLE
        raise
    if args.world_out is not None and result.world is not None:
        result.world.dump(args.world_out)
    sys.stdout.write(result.to_json() if args.format == "json" else text(result))
    return EXIT_OK if result.status == SUCCESS else EXIT_FAILED


def _params_file(args: argparse.Namespace) -> dict[str, Any]:
    try:
        data = json.loads(args.params.read_text(encoding="utf-8"))
    except OSError as err:
        raise ToolkitError(f"{args.params}: cannot read: {err.strerror}") from err
    except json.JSONDecodeError as err:
        raise ToolkitError(f"{args.params}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from err
    if not isinstance(data, dict):
        raise ToolkitError(f"{args.params}: must hold a JSON object of parameter values")
    return data


def text(result: SimulationResult) -> str:
    lines = []
    for step in result.steps:
        line = f"{step.status:<9} {step.name} ({step.action})"
        if step.failure_message:
            line += f": {step.failure_message}"
        lines.append(line)
    for key, value in result.outputs.items():
        lines.append(f"output {key} = {json.dumps(value, default=str)}")
    lines.append(f"{len(result.calls)} AWS calls; execution {result.status}")
    return "\n".join(lines) + "\n"
