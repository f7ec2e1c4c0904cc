"""``runbook build [RUNBOOK ...] [--out DIR]``: build runbooks into YAML and JSON documents (by default every runbook
of the project into its build folder, ``toolkit.project``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.commands.common import EXIT_OK

if TYPE_CHECKING:
    from toolkit.commands.common import Commands


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("build", help="build runbooks into YAML and JSON documents")
    command.add_argument(
        "runbooks",
        nargs="*",
        metavar="RUNBOOK",
        help="a runbook name, a runbook module (.py) or a document file (default: every runbook of the project)",
    )
    command.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: the project's build folder: [tool.runbook] build in pyproject.toml, else build)",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.build import build_all  # lazy: the renderer is paid only by the commands that render
    from toolkit.project import find_project, nearby  # lazy: as above, only when the command runs

    out = args.out if args.out is not None else nearby(find_project().build)
    for built in build_all(list(args.runbooks), out):
        print(f"built {built.name}: {built.yaml} {built.json}")
    return EXIT_OK
