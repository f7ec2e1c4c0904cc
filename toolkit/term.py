"""Terminal output: whether to use colour, a few ANSI styles, and a self-rewriting progress line.

Colour follows https://no-color.org: ``--color always`` and ``--color never`` win; in ``auto`` a non-empty
``NO_COLOR`` turns colour off, then a non-empty ``FORCE_COLOR`` turns it on, then ``TERM=dumb`` turns it off, and
otherwise colour is on only when the stream is a terminal (the order CPython's own ``_colorize`` uses). So pipes,
files and CI logs get exactly the plain text.

The progress line is one status line on stderr (``linting 120/247 ssm/foo.yaml``), rewritten in place with ``\\r``
and clear-line, redrawn at most every ``Progress.INTERVAL`` seconds and erased when done, so nothing is left on
screen and stdout is never touched. It is drawn only when the stream is a terminal that understands those codes.

No dependency on purpose: rich (or similar) costs 50-100 ms of import time on every cold ``runbook lint``, and cold
starts are benchmarked against the peers. This module imports only the standard library and does no work at import.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Final, TextIO

if TYPE_CHECKING:
    import threading

CLEAR_LINE: Final = "\r\x1b[2K"
_CODES: Final = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is an interactive terminal (False for pipes, files, closed or fake streams)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def use_color(mode: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what is written to ``stream`` under ``--color MODE`` (auto, always or never)."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def can_redraw(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a progress line may be drawn on ``stream``: a terminal that understands ``\\r`` and clear-line."""
    env = os.environ if environ is None else environ
    return env.get("TERM") != "dumb" and is_terminal(stream)


class Palette:
    """ANSI styles that are the identity when colour is off, so plain output is byte for byte unchanged."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def style(self, text: str, *styles: str) -> str:
        """``text`` in the given styles (names from bold, dim, red, green, yellow, cyan), then reset."""
        if not self.enabled or not text or not styles:
            return text
        return f"\x1b[{';'.join(_CODES[name] for name in styles)}m{text}\x1b[0m"

    def bold(self, text: str) -> str:
        return self.style(text, "bold")

    def dim(self, text: str) -> str:
        return self.style(text, "dim")

    def red(self, text: str) -> str:
        return self.style(text, "red")

    def green(self, text: str) -> str:
        return self.style(text, "green")

    def yellow(self, text: str) -> str:
        return self.style(text, "yellow")

    def cyan(self, text: str) -> str:
        return self.style(text, "cyan")


class Progress:
    """One status line, ``VERB DONE/TOTAL ITEM``, rewritten in place on ``stream`` and erased by :meth:`close`.

    Disabled (every call does nothing) unless ``enabled`` is true; the caller decides, usually with
    :func:`can_redraw`. The first update draws at once, later ones at most every ``INTERVAL`` seconds; updates come
    from any thread. Use it as a context manager so the line is erased even when the command fails.
    """

    INTERVAL: float = 0.1

    def __init__(
        self,
        verb: str,
        stream: TextIO,
        *,
        enabled: bool,
        total: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.verb = verb
        self.stream = stream
        self.enabled = enabled
        self.total = total
        self.done = 0
        self._clock = clock
        self._drawn_at: float | None = None
        self._visible = False
        self._lock: threading.Lock | None = None
        if enabled:
            import threading  # lazy: only a drawn line needs it; a plain run does not pay for the import

            self._lock = threading.Lock()

    def update(self, done: int, total: int, item: str) -> None:
        """Item ``done`` of ``total`` is under way (or finished): redraw, unless drawn less than INTERVAL ago."""
        if self._lock is None:
            return
        with self._lock:
            self.done, self.total = done, total
            self._draw(item)

    def advance(self, item: str) -> None:
        """One more of ``total`` finished: for work that reports completions, possibly from several threads."""
        if self._lock is None:
            return
        with self._lock:
            self.done += 1
            self._draw(item)

    def close(self) -> None:
        """Erase the line, leaving the cursor at the start of an empty line."""
        if self._lock is None:
            return
        with self._lock:
            if self._visible:
                self.stream.write(CLEAR_LINE)
                self.stream.flush()
                self._visible = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _draw(self, item: str) -> None:
        now = self._clock()
        if self._drawn_at is not None and now - self._drawn_at < self.INTERVAL:
            return
        self._drawn_at = now
        line = f"{self.verb} {self.done}/{self.total} {item}".rstrip()
        width = self._width()
        line = line[:width]  # a wrapped line cannot be rewritten by \r: cut it to the terminal's width
        self.stream.write(CLEAR_LINE + line)
        self.stream.flush()
        self._visible = True

    def _width(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
        return (columns or 80) - 1
