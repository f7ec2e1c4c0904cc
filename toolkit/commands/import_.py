"""``runbook import DOC ... [--out PATH] [--force]``: Automation documents into typed runbook modules.

Exit 0 when every document was imported; 1 when a folder's file that might have been a document could not be read
(each listed on stderr, the others imported); 2 when nothing could be imported."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.commands.common import EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:
    from toolkit.commands.common import Commands


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("import", help="turn an Automation document into a runbook module of typed Python")
    command.add_argument("documents", nargs="+", type=Path, metavar="DOC", help="a document (YAML or JSON) or a folder")
    command.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="the module (one DOC) or folder (default: the project's runbooks folder)",
    )
    command.add_argument("--force", action="store_true", help="replace the module and its scripts if they exist")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.importer.files import import_documents  # lazy: the importer is paid only by this command

    result = import_documents(args.documents, args.out, force=args.force)
    for imported in result.imported:
        scripts = f" and {len(imported.scripts)} script(s) in {imported.scripts[0].parent}" if imported.scripts else ""
        print(f"imported {imported.source} -> {imported.module}{scripts}")
        if not imported.checked:
            print(f"  note: a plain Document, as it does not pass the definition checks: {imported.problem}")
    for skipped in result.skipped:
        print(f"runbook: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    return EXIT_FAILED if result.skipped else EXIT_OK
