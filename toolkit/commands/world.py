"""``runbook world --from-template TEMPLATE [--param NAME=VALUE ...] [--world BASE] [--account ID] [--region R]
--out WORLD``: the world a CloudFormation template deploys (``toolkit.deploy.instantiate``), written atomically.

Prints what each stack created (text, or ``--format json``); exit 0 when the world is written, 2 when the template
cannot be instantiated (an unknown resource type, a bad parameter, an AWS error while creating a resource), with one
line naming the template, the stack, the resource or the parameter at fault.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.commands.common import EXIT_OK
from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.commands.common import Commands
    from toolkit.deploy.instantiate import Deployment


def add_parser(commands: Commands) -> None:
    command = commands.add_parser(
        "world", help="write the fake world a CloudFormation template deploys (its resources created in a base world)"
    )
    command.add_argument(
        "--from-template",
        dest="template",
        type=Path,
        required=True,
        metavar="TEMPLATE",
        help="a CloudFormation template (YAML or JSON), e.g. what `runbook template` writes",
    )
    command.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a stack parameter (lists comma-separated)"
    )
    command.add_argument(
        "--world", type=Path, metavar="BASE", help="the world to deploy into (default: the default world)"
    )
    command.add_argument("--account", metavar="ID", help="the stack's account (default: the base world's Account)")
    command.add_argument("--region", metavar="R", help="the stack's region (default: the base world's Region)")
    command.add_argument(
        "--stack-name", default=None, metavar="NAME", help="the stack's name (default: cloudtrail-remediation)"
    )
    command.add_argument(
        "--as",
        dest="caller",
        metavar="ARN",
        help="who creates the stack (default: the world's Caller, else the account's Admin role)",
    )
    command.add_argument(
        "--out", type=Path, required=True, metavar="WORLD", help="the world file to write (.yaml or .json)"
    )
    command.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # lazy: the templates, the fakes and the deploy wing are paid only by this command
    from toolkit.deploy.instantiate import DEFAULT_STACK_NAME, deploy
    from toolkit.deploy.intrinsics import TemplateError
    from toolkit.deploy.template_file import read_template
    from toolkit.fakes.world import World, WorldError

    if args.out.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise WorldError("the world file's name must end in .json, .yaml or .yml", file=str(args.out))
    template = read_template(args.template)
    parameters = _parameters(args.param)
    base = World.load(args.world) if args.world is not None else World.default()
    try:
        deployment = deploy(
            template,
            parameters,
            base,
            account=args.account,
            region=args.region,
            stack_name=args.stack_name or DEFAULT_STACK_NAME,
            caller=args.caller,
        )
    except TemplateError as err:
        raise ToolkitError(f"{args.template}: {err}") from err
    deployment.world.dump(args.out)
    sys.stdout.write(_json(deployment, args.out) if args.format == "json" else _text(deployment, args.out))
    return EXIT_OK


def _parameters(pairs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ToolkitError(f"--param {pair!r} must be NAME=VALUE")
        if name in found:
            raise ToolkitError(f"--param {name} is given twice")
        found[name] = value
    return found


def _text(deployment: Deployment, out: Path) -> str:
    import json  # lazy: json costs milliseconds at every command's start

    lines = []
    for stack in deployment.stacks:
        line = f"stack {stack.name} in {stack.account} {stack.region} as {stack.principal}"
        lines.append(line + (f" (instance of {stack.parent})" if stack.parent else ""))
        for created in stack.resources:
            lines.append(f"  created {created.logical_id} {created.type} {created.physical_id}")
        for logical_id in stack.skipped:
            lines.append(f"  skipped {logical_id} (condition false)")
        for name, value in stack.outputs.items():
            lines.append(f"  output {name} = {value if isinstance(value, str) else json.dumps(value)}")
    lines.append(f"wrote {out}")
    return "\n".join(lines) + "\n"


def _json(deployment: Deployment, out: Path) -> str:
    import json  # lazy: as in _text

    stacks: list[dict[str, Any]] = [
        {
            "name": stack.name,
            "account": stack.account,
            "region": stack.region,
            "principal": stack.principal,
            "parent": stack.parent,
            "resources": [
                {"logical_id": item.logical_id, "type": item.type, "physical_id": item.physical_id}
                for item in stack.resources
            ],
            "skipped": list(stack.skipped),
            "outputs": stack.outputs,
        }
        for stack in deployment.stacks
    ]
    return json.dumps({"stacks": stacks, "world": str(out)}, indent=2) + "\n"
