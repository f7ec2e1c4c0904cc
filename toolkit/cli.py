"""The ``runbook`` command: assembles the subcommands of ``toolkit.commands`` and maps errors to exit codes.

Exit codes: 0 success, 1 the command ran and found a failure, 2 it could not run (bad arguments or input),
with one line on stderr naming the file, key or parameter at fault. ``--traceback`` (before or after the command's
name) prints the whole traceback of that error first, its causes included: for a runbook module that raises, the
module's own frames. ``--version`` prints the toolkit's version.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

from toolkit.commands.common import EXIT_UNUSABLE, Parser
from toolkit.errors import ToolkitError
from toolkit.version import VERSION

COMMANDS = {
    "init": "init",
    "build": "build",
    "import": "import_",
    "lint": "lint",
    "simulate": "simulate",
    "scenario": "scenario",
    "publish": "publish",
    "template": "template",
    "world": "world",
    "iam-policy": "iam_policy",
    "docs": "docs",
    "graph": "graph",
}
"""Every subcommand's name and its module in ``toolkit.commands``, in the order ``runbook --help`` lists them.

A command line that names its command loads that command's module alone (issue 19: each module's imports and
parser cost every command's start-up); ``runbook --help``, a missing or unknown command load them all."""
ROOT_FLAGS = ("--traceback",)
"""The root's options that may come before the command's name and leave the command to choose its module."""

QUIET_GC_THRESHOLD = (100_000, 50, 100)
"""The cycle collector's thresholds while a command runs (see ``main``)."""


EPILOG = (
    "A document (DOC) is a document file (YAML or JSON), a runbook module (.py, its build() returns the document) or "
    "the name of one of the project's runbooks. Exit codes: 0 done, 1 the command ran and found a failure (lint "
    "errors, a failed execution), 2 it could not run (bad arguments or input: one line names the file, key or "
    "parameter at fault). `runbook COMMAND --help` describes each command."
)
TRACEBACK_HELP = "on an error, print its whole traceback (a runbook module's own frames too), then the one line"


def command_module(name: str) -> ModuleType:
    """The module of the subcommand ``name`` (a key of ``COMMANDS``)."""
    return import_module(f"toolkit.commands.{COMMANDS[name]}")


def chosen(argv: Sequence[str]) -> str | None:
    """The command a command line names, when its parser alone can parse the line the same as the whole one.

    That is the first argument, after the root's ``--traceback`` only, when it is a command's name. Anything else
    before it (``--help``, ``--version``, an abbreviation, an unknown option) or no command, an unknown one: None,
    and the whole parser answers (its help lists every command, its errors name every choice).
    """
    for arg in argv:
        if arg not in ROOT_FLAGS:
            return arg if arg in COMMANDS else None
    return None


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``runbook`` parser: with ``only``, that command's parser alone under the root (see ``chosen``)."""
    root = Parser(
        prog="runbook",
        description="Author, lint, simulate, publish and deploy SSM Automation runbooks.",
        epilog=EPILOG,
    )
    root.add_argument("--version", action="version", version=f"runbook {VERSION}")
    root.add_argument("--traceback", action="store_true", help=TRACEBACK_HELP)
    commands = root.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in COMMANDS if only is None else (only,):
        command_module(name).add_parser(commands)
    for subcommand in commands.choices.values():
        # after the command's name too; SUPPRESS keeps the root's value when it is not repeated there
        subcommand.add_argument("--traceback", action="store_true", default=argparse.SUPPRESS, help=TRACEBACK_HELP)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    # A command runs for a fraction of a second and allocates many small objects with no reference cycles: at
    # the default threshold (700 allocations) the cycle collector runs thousands of times for nothing, a tenth
    # of a whole-corpus lint. Collections still happen, just less often; the caller's thresholds come back
    # when the command returns.
    thresholds = gc.get_threshold()
    gc.set_threshold(*QUIET_GC_THRESHOLD)
    try:
        line = sys.argv[1:] if argv is None else argv
        args = parser(chosen(line)).parse_args(line)
        try:
            code: int = args.run(args)
        except ToolkitError as err:
            if args.traceback:
                import traceback  # lazy: only --traceback prints one

                traceback.print_exception(err, file=sys.stderr)
            print(f"runbook: {err}", file=sys.stderr)
            return EXIT_UNUSABLE
        except KeyboardInterrupt:
            return 130
        return code
    finally:
        gc.set_threshold(*thresholds)
