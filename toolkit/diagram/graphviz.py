"""SVG and PNG through Graphviz's ``dot`` program (a subprocess), and writing bytes atomically.

Named graphviz, not render: a submodule named like the package's ``render`` function would shadow it.

Graphviz is a system package (``apt-get install graphviz``; ``make build`` installs it where it can); when
``dot`` is not on PATH, rendering raises GraphError saying so, and Mermaid and DOT text still work.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Final

from toolkit.errors import GraphError

FORMATS: Final = ("svg", "png")
TIMEOUT: Final = 120.0
MISSING: Final = "graph --format svg/png needs Graphviz's dot program, which is not on PATH: install graphviz"


def render(dot_text: str, fmt: str) -> bytes:
    """The drawing of DOT text as ``svg`` or ``png`` bytes."""
    if fmt not in FORMATS:
        raise GraphError(f"cannot render {fmt!r}: Graphviz formats are {', '.join(FORMATS)}")
    program = shutil.which("dot")
    if program is None:
        raise GraphError(MISSING)
    try:
        done = subprocess.run(
            [program, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GraphError(f"dot -T{fmt} could not run: {err}") from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GraphError(f"dot -T{fmt} failed: {message[0] if message else f'exit {done.returncode}'}")
    return done.stdout
