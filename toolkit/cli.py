"""The ``runbook`` command: assembles the subcommands of ``toolkit.commands`` and maps errors to exit codes.

Exit codes: 0 success, 1 the command ran and found a failure, 2 it could not run (bad arguments or input),
with one line on stderr naming the file, key or parameter at fault.
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

COMMANDS = (init, build, import_, lint, simulate, scenario, publish, template, world, iam_policy, docs, graph)
"""Every subcommand's module, in the order ``runbook --help`` lists them."""

QUIET_GC_THRESHOLD = (100_000, 50, 100)
"""The cycle collector's thresholds while a command runs (see ``main``)."""


def parser() -> argparse.ArgumentParser:
    root = Parser(prog="runbook", description="Author, lint, simulate, publish and deploy SSM Automation runbooks.")
    commands = root.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(commands)
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
            print(f"runbook: {err}", file=sys.stderr)
            return EXIT_UNUSABLE
        except KeyboardInterrupt:
            return 130
        return code
    finally:
        gc.set_threshold(*thresholds)
