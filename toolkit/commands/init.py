"""``runbook init [DIR] [--force]``: a new runbook project (``toolkit.scaffold``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.commands.common import EXIT_OK

if TYPE_CHECKING:
    from toolkit.commands.common import Commands


DESCRIPTION = """\
Write a new runbook project into DIR: pyproject.toml (depending on the toolkit, with [tool.runbook]),
runbooks/ with an example runbook (an API call, a branch, an assertion), tests/ with its tests through
the toolkit's pytest plugin, a Makefile (build, test, lint, publish), a pre-commit configuration, a
GitHub Actions workflow, .gitignore and a README. `make test` passes in it at once. DIR is created if
absent; a folder that is not empty is refused (exit 2) unless --force.
"""
PROJECT_SETTINGS = """\
every command finds the project from the working folder: its root is the folder of the nearest
pyproject.toml at or above it (else the working folder itself), and its settings are that file's
[tool.runbook] table, each folder relative to the file (the defaults shown):

  [tool.runbook]
  runbooks = "runbooks"      # the runbook modules: what a runbook NAME names, what `build` builds
  scenarios = "scenarios"    # what `scenario` runs when given no FILE
  build = "build"            # where `build` writes when given no --out
  docs = "docs/runbooks"     # where `docs --all` writes when given no --out

  [tool.runbook.lint]        # select, ignore, exclude, plugins, per-file-ignores (see the README)
"""


def add_parser(commands: Commands) -> None:
    command = commands.add_parser(
        "init",
        help="start a runbook project: pyproject.toml, runbooks/ with an example, its tests, Makefile, CI",
        description=DESCRIPTION,
        epilog=PROJECT_SETTINGS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("dir", nargs="?", default=".", type=Path, metavar="DIR", help="the folder (default: .)")
    command.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty, replacing files of the same names (others are left alone)",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import shlex  # lazy: as below, only this command quotes a path

    from toolkit.scaffold import init_project  # lazy: the templates are paid only by this command

    for written in init_project(args.dir, force=args.force):
        print(f"{'replaced' if written.replaced else 'wrote'} {written.path}")
    where = "" if args.dir == Path() else f"cd {shlex.quote(str(args.dir))} && "
    print(f"next: {where}python -m venv .venv && . .venv/bin/activate && pip install -e '.[dev]' && make test")
    return EXIT_OK
