"""The ``runbook`` command: argument parsing and exit codes only.

Exit codes: 0 success, 1 the command ran and found a failure, 2 it could not run (bad arguments or input),
with one line on stderr naming the file, key or parameter at fault.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import ToolkitError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNUSABLE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_UNUSABLE, f"runbook: {message}\n")


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="runbook", description="Author, lint, simulate, publish and deploy SSM Automation runbooks.")
    commands = root.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="build runbooks into YAML and JSON documents")
    build.add_argument("runbooks", nargs="*", metavar="RUNBOOK", help="document name or module path (default: all)")
    build.add_argument("--out", default="build", type=Path, metavar="DIR", help="output folder (default: build)")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
    except ToolkitError as err:
        print(f"runbook: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")


def _build(args: argparse.Namespace) -> int:
    from toolkit.build import build_all

    for built in build_all(list(args.runbooks), args.out):
        print(f"built {built.name}: {built.yaml} {built.json}")
    return EXIT_OK
