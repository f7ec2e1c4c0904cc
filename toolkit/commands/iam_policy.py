"""``runbook iam-policy DOC [--param NAME=VALUE] [--world FILE]``: a least-privilege IAM policy for a runbook.

DOC is a document file (YAML or JSON), a runbook module (``*.py``) or a runbook name."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.commands.common import EXIT_OK

if TYPE_CHECKING:
    from toolkit.commands.common import Commands
    from toolkit.documents import Run


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("iam-policy", help="print a least-privilege IAM policy for a runbook")
    command.add_argument("document", metavar="DOC", help="a document file, a runbook module or a runbook name")
    command.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="simulate with this parameter"
    )
    command.add_argument(
        "--world", type=Path, metavar="FILE", help="simulate in this world (default: the default world)"
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """The policy of DOC's API steps, plus the calls of one simulated run when --param or --world is given, else of
    the runbook's representative runs (its module's ``representative_runs()`` hook), if it has them."""
    import json  # lazy: json costs milliseconds at every command's start; only this command's output needs it

    # lazy: the policy generator, the fakes and the simulator are paid only by this command
    from toolkit.deploy.iam import runbook_policy
    from toolkit.documents import read_document
    from toolkit.fakes.world import World
    from toolkit.simulate.parameters import from_text
    from toolkit.simulate.simulator import plan_of

    document = read_document(args.document)
    if args.param or args.world is not None:
        world = World.load(args.world) if args.world is not None else World.default()
        runs: list[Run] = [(world, from_text(plan_of(document).parameters, args.param))]
    else:
        runs = document.representative_runs()
    print(json.dumps(runbook_policy(document.data, runs), indent=2))
    return EXIT_OK
