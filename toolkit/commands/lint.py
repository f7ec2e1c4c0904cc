"""``runbook lint PATH... [--format text|json|sarif]``: exit 1 when any finding is an error."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from toolkit.commands.common import COLOR_MODES, EXIT_FAILED, EXIT_OK
from toolkit.errors import LintError

if TYPE_CHECKING:
    from toolkit.commands.common import Commands

RULE_PREFIX: Final = re.compile(r"\A[EWI][0-9]{0,4}\Z")


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("lint", help="lint Automation documents (files, folders, runbook modules or names)")
    command.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a document file (YAML or JSON), a folder (searched for documents), a runbook module (.py) or a "
        "runbook name",
    )
    command.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format")
    command.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="IDS",
        help="only rules whose ids start with these, comma-separated (e.g. E,W5 or E2001,E3105); repeatable",
    )
    command.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="IDS",
        help="skip rules whose ids start with these, comma-separated (e.g. W5010,I); repeatable",
    )
    command.add_argument("--config", type=Path, metavar="FILE", help="pyproject.toml to read (default: nearest)")
    command.add_argument("--color", choices=COLOR_MODES, default="auto", help="colour and progress (default: auto)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # lazy: the linter is paid only by this command
    from toolkit.lint.config import find_config, load_config
    from toolkit.lint.engine import Linter
    from toolkit.lint.formatters import json_text, sarif, text
    from toolkit.term import Progress, can_redraw, use_color

    config_file = args.config if args.config is not None else find_config(Path.cwd())
    if args.config is not None and not args.config.is_file():
        raise LintError(f"{args.config}: no such configuration file")
    config = load_config(config_file).with_options(select=rule_ids(args.select), ignore=rule_ids(args.ignore))
    linter = Linter(config)
    shown = args.format == "text" and args.color != "never" and can_redraw(sys.stderr)
    with Progress("linting", sys.stderr, enabled=shown) as progress:
        report = linter.lint(args.paths, progress=progress.update if shown else None)
    if args.format == "text":
        sys.stdout.write(text(report, color=use_color(args.color, sys.stdout)))
    elif args.format == "json":
        sys.stdout.write(json_text(report))
    else:
        sys.stdout.write(sarif(report, linter.rules))
    return EXIT_FAILED if report.errors() else EXIT_OK


def rule_ids(values: Sequence[str]) -> list[str]:
    """Rule id prefixes from repeated or comma-separated options; each must look like a rule id's start."""
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    for rule_id in ids:
        if not RULE_PREFIX.match(rule_id):
            raise LintError(f"{rule_id!r} is not a rule id or prefix (such as E, W5, E2001)")
    return ids
