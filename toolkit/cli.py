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

from toolkit.commands import (
    build,
    docs,
    graph,
    iam_policy,
    import_,
    init,
    lint,
    publish,
    scenario,
    simulate,
    template,
    world,
)
from toolkit.commands.common import EXIT_UNUSABLE, Parser
from toolkit.errors import ToolkitError
from toolkit.version import VERSION

COMMANDS = (init, build, import_, lint, simulate, scenario, publish, template, world, iam_policy, docs, graph)
"""Every subcommand's module, in the order ``runbook --help`` lists them."""

QUIET_GC_THRESHOLD = (100_000, 50, 100)
"""The cycle collector's thresholds while a command runs (see ``main``)."""


EPILOG = (
    "A document (DOC) is a document file (YAML or JSON), a runbook module (.py, its build() returns the document) or "
    "the name of one of the project's runbooks. Exit codes: 0 done, 1 the command ran and found a failure (lint "
    "errors, a failed execution), 2 it could not run (bad arguments or input: one line names the file, key or "
    "parameter at fault). `runbook COMMAND --help` describes each command."
)
TRACEBACK_HELP = "on an error, print its whole traceback (a runbook module's own frames too), then the one line"


def parser() -> argparse.ArgumentParser:
    root = Parser(
        prog="runbook",
        description="Author, lint, simulate, publish and deploy SSM Automation runbooks.",
        epilog=EPILOG,
    )
    root.add_argument("--version", action="version", version=f"runbook {VERSION}")
    root.add_argument("--traceback", action="store_true", help=TRACEBACK_HELP)
    commands = root.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(commands)
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
        args = parser().parse_args(argv)
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
