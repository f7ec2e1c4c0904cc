"""What every subcommand shares: exit codes, the parser class, colour modes, and printing or writing a result."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final, NoReturn, TypeAlias

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
"""The command ran and found a failure (lint errors, a failed execution, a scenario not as expected)."""
EXIT_UNUSABLE: Final = 2
"""The command could not run: bad arguments or input, with one line on stderr naming what is at fault."""
COLOR_MODES: Final = ("auto", "always", "never")  # toolkit.term.use_color: auto follows the terminal and NO_COLOR

if TYPE_CHECKING:
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
    """The ``runbook`` parser's subcommands, which each command module adds itself to."""


class Parser(argparse.ArgumentParser):
    """argparse, exiting with EXIT_UNUSABLE (not argparse's 2 by accident) and one line naming the problem."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_UNUSABLE, f"runbook: {message}\n")


def print_or_write(content: str | bytes, out: Path | None) -> int:
    """Print ``content`` (bytes as they are), or write it to ``out`` atomically and say so."""
    if out is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
    else:
        from toolkit.files import write_atomic  # lazy: only commands that write a file pay for it

        write_atomic(out, content)
        print(f"wrote {out}")
    return EXIT_OK
