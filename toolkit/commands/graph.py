"""``runbook graph``: reads the document (and trace), writes Mermaid, DOT, SVG or PNG to stdout or ``--out``.

DOC is a document file (YAML or JSON) or a runbook name or module (``*.py``). ``--trace`` reads the JSON of
``runbook simulate --format json`` from a file, or from stdin as ``-``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

from toolkit.commands.common import print_or_write
from toolkit.errors import GraphError

if TYPE_CHECKING:
    from toolkit.commands.common import Commands

FORMATS: Final = ("mermaid", "dot", "svg", "png")


def add_parser(commands: Commands) -> None:
    command = commands.add_parser("graph", help="draw a document's step graph: Mermaid, DOT, SVG or PNG")
    command.add_argument(
        "document",
        metavar="DOC_OR_RUNBOOK",
        help="a document file (YAML or JSON), a runbook module (.py) or a runbook name",
    )
    command.add_argument("--format", choices=FORMATS, default="mermaid", help="output format")
    command.add_argument("--out", type=Path, metavar="FILE", help="write it here (default: print it)")
    command.add_argument("--trace", metavar="SIMULATE_JSON", help="overlay a run: simulate's JSON (- for stdin)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # lazy: the drawer and its writers are paid only by this command
    from toolkit.diagram.trace import Trace
    from toolkit.documents import read_document

    document = read_document(args.document).model()
    trace = None
    if args.trace is not None:
        trace = Trace.from_json(_read_text(args.trace), source=args.trace)
    if args.format == "mermaid":
        from toolkit.diagram.mermaid import to_mermaid  # lazy: each format's writer loads only for that format

        return print_or_write(to_mermaid(document, trace), args.out)
    from toolkit.diagram.dot import to_dot  # lazy: as above, Mermaid output never loads the DOT writer

    dot_text = to_dot(document, trace)
    if args.format == "dot":
        return print_or_write(dot_text, args.out)
    from toolkit.diagram.graphviz import render  # lazy: only SVG and PNG run Graphviz (subprocess)

    return print_or_write(render(dot_text, args.format), args.out)


def _read_text(spec: str) -> str:
    if spec == "-":
        return sys.stdin.read()
    try:
        return Path(spec).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise GraphError(f"{spec}: cannot read the trace: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise GraphError(f"{spec}: the trace is not UTF-8 text") from err
