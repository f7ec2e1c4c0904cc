"""``runbook simulate DOC``: reads its inputs, runs the simulation, prints text or the contract's JSON.

Exit 0 when the execution ends Success, 1 when it ends otherwise, 2 when it cannot start. With ``--format json``
an execution that cannot start still prints the contract's JSON (status null, the error's code and message).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.commands.common import EXIT_FAILED, EXIT_OK, EXIT_UNUSABLE
from toolkit.errors import SimulationError, ToolkitError

if TYPE_CHECKING:
    from toolkit.commands.common import Commands
    from toolkit.fakes.world import World
    from toolkit.simulate.result import SimulationResult


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("simulate", help="run a document locally in a fake AWS world")
    command.add_argument(
        "document", metavar="DOC", help="a document file (YAML or JSON), a runbook module (.py) or a runbook name"
    )
    command.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter, as text")
    command.add_argument("--params", type=Path, metavar="FILE", help="a JSON object of typed parameter values")
    command.add_argument("--world", type=Path, metavar="FILE", help="the world to run in (default: the default world)")
    command.add_argument("--world-out", type=Path, metavar="FILE", help="write the world after the run here")
    command.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    command.add_argument("--reject", action="store_true", help="reject aws:approve steps (default: approve)")
    command.add_argument("--no-resume", action="store_true", help="never resume aws:pause steps (default: resume)")
    command.add_argument("--cancel-at", metavar="STEP", help="cancel the execution when STEP is about to run")
    command.add_argument(
        "--as",
        dest="caller",
        metavar="ARN",
        help="who starts the execution: an IAM role's, user's or root's ARN (default: the world's Caller)",
    )
    command.add_argument(
        "--account",
        metavar="ID",
        help="the account of the world to run in: its own or one of its Accounts (default: the world's Account)",
    )
    command.add_argument("--region", metavar="R", help="the Region to run in (default: the world's Region)")
    command.add_argument(
        "--no-iam", action="store_true", help="allow every AWS call (default: authorize each as IAM would)"
    )
    command.add_argument(
        "--moto", action="store_true", help="deprecated, no effect (moto answers what the fakes do not)"
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # lazy: the fakes and the simulator's engine are paid only by this command
    from toolkit.documents import read_document
    from toolkit.fakes.world import World
    from toolkit.simulate.execution import Options
    from toolkit.simulate.parameters import from_text
    from toolkit.simulate.result import SUCCESS, SimulationResult
    from toolkit.simulate.simulator import plan_of, simulate

    if args.moto:
        print(
            "runbook: --moto is deprecated and has no effect: moto answers what the fakes do not own",
            file=sys.stderr,
        )
    world = World.load(args.world) if args.world is not None else World.default()
    _check_where(args, world)
    document = read_document(args.document)
    options = Options(
        approve=not args.reject,
        resume=not args.no_resume,
        cancel_at=args.cancel_at,
        caller=args.caller,
        iam=not args.no_iam,
        account=args.account,
        region=args.region,
    )
    try:
        plan = plan_of(document)  # SimulationError for a document SSM would not hold or run
        params = _params_file(args) if args.params is not None else {}
        params.update(from_text(plan.parameters, args.param))
        result = simulate(document, params, world, options=options)
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


def _check_where(args: argparse.Namespace, world: World) -> None:
    """``--account`` must be an account the world holds, ``--region`` a Region's name."""
    # lazy: the world file's Region pattern, from the module this command already loaded
    from toolkit.fakes.world import REGION

    if args.account is not None and args.account != world.account and args.account not in world.accounts:
        held = ", ".join([world.account, *sorted(world.accounts)])
        raise ToolkitError(f"--account {args.account}: not an account of the world (it holds {held})")
    if args.region is not None and not REGION.fullmatch(args.region):
        raise ToolkitError(f"--region {args.region}: not a Region's name (such as us-east-1)")


def _params_file(args: argparse.Namespace) -> dict[str, Any]:
    import json  # lazy: json costs milliseconds at every command's start; only --params needs it here

    from toolkit.files import read_text  # lazy: only --params reads a file here

    text = read_text(args.params)  # LoadError naming the file: missing, unreadable, not UTF-8 text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ToolkitError(f"{args.params}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from err
    if not isinstance(data, dict):
        raise ToolkitError(f"{args.params}: must hold a JSON object of parameter values")
    return data


def text(result: SimulationResult) -> str:
    import json  # lazy: as in _params_file

    lines = []
    for step in result.steps:
        line = f"{step.status:<9} {step.name} ({step.action})"
        if step.failure_message:
            line += f": {step.failure_message}"
        lines.append(line)
    for key, value in result.outputs.items():
        lines.append(f"output {key} = {json.dumps(value, default=str)}")
    for child in result.children:
        line = f"child {child.execution_id or '(never started)'} {child.document} in {child.account} {child.region}"
        line += f" for {child.target}" if child.target is not None else ""
        line += f": {child.status}" + (f": {child.failure_message}" if child.failure_message else "")
        lines.append(line)
    lines.append(f"{len(result.calls)} AWS calls; execution {result.status}")
    return "\n".join(lines) + "\n"
