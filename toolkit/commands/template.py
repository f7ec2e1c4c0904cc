"""``runbook template [--organization] [--out FILE]``: the CloudFormation template of the whole pattern."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.commands.common import print_or_write

if TYPE_CHECKING:
    from toolkit.commands.common import Commands


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("template", help="write the CloudFormation template of the whole pattern")
    command.add_argument("--out", type=Path, metavar="FILE", help="write it here (default: print it)")
    command.add_argument(
        "--organization", action="store_true", help="the management account's variant (StackSet and SCP)"
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # lazy: the templates are paid only by this command
    from toolkit.deploy.organization import organization_template_yaml
    from toolkit.deploy.template import template_yaml

    return print_or_write(organization_template_yaml() if args.organization else template_yaml(), args.out)
