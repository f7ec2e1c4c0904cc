"""``runbook iam-policy DOC [--param NAME=VALUE] [--world FILE]``: a least-privilege IAM policy for a runbook.

DOC is a document file (YAML or JSON), a runbook module (``*.py``) or a runbook name. The policy is made from
simulated runs, so its resources are those the calls were authorized on; a run needs every required parameter:
without them (and without the module's representative runs) the command refuses, exit 2, naming them, rather than
print a partial policy."""

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
    command.add_argument(
        "document", metavar="DOC", help="a document file (YAML or JSON), a runbook module (.py) or a runbook name"
    )
    command.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="simulate with this parameter"
    )
    command.add_argument(
        "--world", type=Path, metavar="FILE", help="simulate in this world (default: the default world)"
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """The policy of DOC's API steps, plus the calls of one simulated run when --param or --world is given, else of
    the runbook's representative runs (its module's ``representative_runs()`` hook), else of one run in the default
    world when the document needs no parameter. Each action's resources are the ones its calls were authorized on
    (``toolkit.deploy.iam.runbook_policy``); ``*`` only for actions without a resource type."""
    import json  # lazy: json costs milliseconds at every command's start; only this command's output needs it

    # lazy: the policy generator, the fakes and the simulator are paid only by this command
    from toolkit.deploy.iam import runbook_policy
    from toolkit.documents import read_document
    from toolkit.errors import SimulationError
    from toolkit.fakes.world import World
    from toolkit.simulate.parameters import INVALID as INVALID_PARAMETERS
    from toolkit.simulate.parameters import from_text
    from toolkit.simulate.simulator import plan_of

    document = read_document(args.document)
    runs: list[Run] = [] if args.param or args.world is not None else document.representative_runs()
    if not runs:
        declared = plan_of(document).parameters
        params = from_text(declared, args.param)
        missing = [name for name, spec in declared.items() if "default" not in spec.spec and name not in params]
        if missing:
            raise SimulationError(
                f"the runbook's required parameter(s) {', '.join(missing)} need values (--param NAME=VALUE): the "
                "policy is made from a simulated run",
                code=INVALID_PARAMETERS,
            )
        world = World.load(args.world) if args.world is not None else World.default()
        runs = [(world, params)]
    print(json.dumps(runbook_policy(document.data, runs), indent=2))
    return EXIT_OK
