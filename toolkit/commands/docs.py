"""``runbook docs DOC_OR_RUNBOOK | --all [--out PATH]``: a runbook's Markdown page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.commands.common import EXIT_OK, print_or_write

if TYPE_CHECKING:
    from toolkit.commands.common import Commands


def add_parser(commands: Commands) -> None:
    command = commands.add_parser(
        "docs", help="write a runbook's Markdown page: parameters, outputs, steps, IAM, graph"
    )
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "document",
        nargs="?",
        metavar="DOC_OR_RUNBOOK",
        help="a document file (YAML or JSON), a runbook module (.py) or a runbook name",
    )
    which.add_argument("--all", action="store_true", help="a page for every runbook of the project")
    command.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="the file (default: print); --all: the folder (default: [tool.runbook] docs, else docs/runbooks)",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """One page, printed or written to --out; or with --all, every runbook's page into --out (default: the
    project's docs folder)."""
    from toolkit import docs  # lazy: the page writer is paid only by this command

    if args.all:
        from toolkit.project import find_project, nearby  # lazy: only --all needs the project's folders

        for path in docs.write_all(args.out if args.out is not None else nearby(find_project().docs)):
            print(f"wrote {path}")
        return EXIT_OK
    from toolkit.documents import read_document  # lazy: as above

    return print_or_write(docs.page_of(read_document(args.document)), args.out)
