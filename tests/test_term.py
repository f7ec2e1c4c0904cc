"""toolkit.term: the colour decision (no-color.org), the ANSI palette and the self-rewriting progress line."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit import cli
from toolkit.commands.publish import outcome_line
from toolkit.publish import LocalDocument, Outcome, describe
from toolkit.term import CLEAR_LINE, Palette, Progress, can_redraw, use_color


class Terminal(io.StringIO):
    """A text stream that says it is a terminal (no file descriptor: 80 columns are assumed)."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("mode", "tty", "env", "expected"),
    [
        ("auto", True, {"TERM": "xterm"}, True),
        ("auto", False, {"TERM": "xterm"}, False),
        ("auto", True, {"TERM": "xterm", "NO_COLOR": "1"}, False),
        ("auto", True, {"TERM": "xterm", "NO_COLOR": ""}, True),  # no-color.org: an empty NO_COLOR is unset
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": ""}, False),
        ("auto", False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins, as in CPython
        ("auto", True, {"TERM": "dumb"}, False),
        ("auto", False, {"TERM": "dumb", "FORCE_COLOR": "1"}, True),
        ("always", False, {"NO_COLOR": "1", "TERM": "dumb"}, True),  # a command-line option beats NO_COLOR
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_use_color(mode: str, tty: bool, env: dict[str, str], expected: bool) -> None:
    stream = Terminal() if tty else io.StringIO()
    assert use_color(mode, stream, env) is expected


def test_use_color_reads_the_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "yes")
    assert not use_color("auto", Terminal())
    monkeypatch.delenv("NO_COLOR")
    assert use_color("auto", Terminal())


def test_a_closed_or_odd_stream_is_not_a_terminal() -> None:
    closed = io.StringIO()
    closed.close()
    assert not use_color("auto", closed, {})
    assert not can_redraw(object(), {})  # type: ignore[arg-type]


def test_can_redraw_needs_a_terminal_that_is_not_dumb() -> None:
    assert can_redraw(Terminal(), {"TERM": "xterm"})
    assert not can_redraw(Terminal(), {"TERM": "dumb"})
    assert not can_redraw(io.StringIO(), {"TERM": "xterm"})


def test_palette_styles_when_on_and_is_the_identity_when_off() -> None:
    on, off = Palette(True), Palette(False)
    assert on.red("error") == "\x1b[31merror\x1b[0m"
    assert on.style("3 errors", "bold", "red") == "\x1b[1;31m3 errors\x1b[0m"
    assert [on.bold("x"), on.dim("x"), on.green("x"), on.yellow("x"), on.cyan("x")] == [
        "\x1b[1mx\x1b[0m",
        "\x1b[2mx\x1b[0m",
        "\x1b[32mx\x1b[0m",
        "\x1b[33mx\x1b[0m",
        "\x1b[36mx\x1b[0m",
    ]
    assert on.bold("") == ""
    for method in (off.bold, off.dim, off.red, off.green, off.yellow, off.cyan):
        assert method("text") == "text"


def test_progress_draws_at_once_then_at_most_every_interval_and_is_erased() -> None:
    stream, clock = Terminal(), Clock()
    with Progress("linting", stream, enabled=True, clock=clock) as progress:
        progress.update(1, 3, "a.yaml")
        clock.now += Progress.INTERVAL / 2
        progress.update(2, 3, "b.yaml")  # too soon: not drawn
        clock.now += 1
        progress.update(3, 3, "c.yaml")
        assert stream.getvalue() == f"{CLEAR_LINE}linting 1/3 a.yaml{CLEAR_LINE}linting 3/3 c.yaml"
    assert stream.getvalue().endswith("c.yaml" + CLEAR_LINE)  # erased when done: nothing is left on screen
    progress.close()
    assert stream.getvalue().count(CLEAR_LINE) == 3  # closing twice erases once


def test_progress_is_erased_when_the_work_fails() -> None:
    stream = Terminal()
    with pytest.raises(KeyboardInterrupt), Progress("linting", stream, enabled=True) as progress:
        progress.update(1, 2, "a.yaml")
        raise KeyboardInterrupt
    assert stream.getvalue() == f"{CLEAR_LINE}linting 1/2 a.yaml{CLEAR_LINE}"


def test_disabled_progress_writes_nothing() -> None:
    stream = Terminal()
    with Progress("linting", stream, enabled=False, total=2) as progress:
        progress.update(1, 2, "a.yaml")
        progress.advance("b.yaml")
    assert stream.getvalue() == ""


def test_nothing_drawn_means_nothing_erased() -> None:
    stream = Terminal()
    with Progress("linting", stream, enabled=True):
        pass
    assert stream.getvalue() == ""


def test_progress_line_is_cut_to_the_terminal_width() -> None:
    stream = Terminal()
    with Progress("linting", stream, enabled=True) as progress:
        progress.update(1, 1, "x" * 200)
    drawn = stream.getvalue().split(CLEAR_LINE)[1]
    assert len(drawn) == 79 and drawn.startswith("linting 1/1 xxx")


def test_advance_counts_completions_from_many_threads() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress("publishing", stream, enabled=True, total=41, clock=clock)
    workers = [threading.Thread(target=lambda: [progress.advance("r") for _ in range(10)]) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    clock.now += 1
    progress.advance("us-east-1: Doc: created")
    assert progress.done == 41
    assert stream.getvalue().endswith(f"{CLEAR_LINE}publishing 41/41 us-east-1: Doc: created")


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, int]]:
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    yield master, slave
    for fd in (master, slave):
        with contextlib.suppress(OSError):  # the test may have closed it
            os.close(fd)


def test_progress_on_a_pseudo_terminal(pty_pair: tuple[int, int]) -> None:
    master, slave = pty_pair
    with open(slave, "w", encoding="utf-8", closefd=False) as stream:
        assert can_redraw(stream, {"TERM": "xterm"})
        with Progress("linting", stream, enabled=True) as progress:
            progress.update(1, 1, "doc.yaml")
    expected = f"{CLEAR_LINE}linting 1/1 doc.yaml{CLEAR_LINE}"
    assert read_until(master, expected.encode()).decode() == expected


READ_DEADLINE = 30.0
"""Seconds a test waits for a terminal's output at most: only a broken program takes this long."""


def read_until(fd: int, expected: bytes, deadline: float = READ_DEADLINE) -> bytes:
    """What a terminal's master side delivers, read until it is as long as ``expected`` or ``deadline`` seconds
    have passed. A pty hands over what was written in pieces, and on a loaded machine the pieces may be far apart:
    one read, or giving up after a quiet second, failed this test under load."""
    import select
    import time

    data = b""
    end = time.monotonic() + deadline
    while len(data) < len(expected):
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, len(expected) - len(data))
        if not chunk:
            break  # the other side is closed
        data += chunk
    return data


def test_a_terminal_is_read_until_the_whole_output_arrived_however_late() -> None:
    """The reader waits for output that arrives in pieces far apart (here more than a second apart, as under load),
    up to its deadline, rather than stopping at the first quiet moment."""
    read_fd, write_fd = os.pipe()

    def write_late() -> None:
        os.write(write_fd, b"linting ")
        threading.Event().wait(1.5)
        os.write(write_fd, b"1/1 doc.yaml")

    writer = threading.Thread(target=write_late)
    writer.start()
    try:
        assert read_until(read_fd, b"linting 1/1 doc.yaml") == b"linting 1/1 doc.yaml"
    finally:
        writer.join()
        os.close(read_fd)
        os.close(write_fd)


# -- runbook publish on a terminal ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (
            Outcome("us-east-1", "Doc", "created", "1", "1"),
            "us-east-1: Doc: \x1b[32mcreated\x1b[0m (version 1, default 1)",
        ),
        (
            Outcome("us-east-1", "Doc", "updated", "2", "2"),
            "us-east-1: Doc: \x1b[32mupdated\x1b[0m (version 2, default 2)",
        ),
        (
            Outcome("eu-west-1", "Doc", "unchanged", "2", "2"),
            "eu-west-1: Doc: \x1b[2munchanged\x1b[0m (version 2, default 2)",
        ),
        (
            Outcome("us-east-1", "Doc", "rolled-back", "1", "1", account="111111111111"),
            "111111111111: us-east-1: Doc: \x1b[33mrolled-back\x1b[0m (version 1, default 1)",
        ),
        (
            Outcome("us-east-1", "Doc", "failed", error="AccessDenied: no"),
            "us-east-1: Doc: \x1b[31mfailed\x1b[0m: AccessDenied: no",
        ),
    ],
)
def test_publish_outcome_words_are_coloured(outcome: Outcome, expected: str) -> None:
    assert outcome_line(outcome, Palette(True)) == expected
    assert outcome_line(outcome, Palette(False)) == describe(outcome)


def test_publish_dry_run_note_follows_the_coloured_line() -> None:
    outcome = Outcome("us-east-1", "Doc", "updated", default_version="1")
    assert outcome_line(outcome, Palette(True), dry_run=True) == (
        "us-east-1: Doc: \x1b[32mupdated\x1b[0m (dry run: nothing written)"
    )


@pytest.fixture
def fake_publish(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``runbook publish`` without AWS: every (document, region) is created, and reported as progress."""
    from toolkit import publish

    def run(documents: list[LocalDocument], clients: dict[str, None], options: object, *, progress=None):  # type: ignore[no-untyped-def]
        outcomes = [Outcome(region, document.name, "created", "1", "1") for document in documents for region in clients]
        for outcome in outcomes:
            if progress is not None:
                progress(describe(outcome))
        return outcomes

    monkeypatch.setattr(publish, "session_clients", lambda regions, **_: dict.fromkeys(regions))
    monkeypatch.setattr(publish, "publish", run)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    file = tmp_path / "Team-Runbook.yaml"
    file.write_text("schemaVersion: '0.3'\nmainSteps: []\n", encoding="utf-8")
    return file


def publish_cli(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(["publish", *args, "--region", "us-east-1", "--region", "eu-west-1"])
    return code, out.getvalue(), err.getvalue()


def test_publish_on_a_terminal_colours_outcomes_and_erases_its_progress(
    fake_publish: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = publish_cli(monkeypatch, str(fake_publish))
    assert code == 0
    assert out == (
        "us-east-1: Team-Runbook: \x1b[32mcreated\x1b[0m (version 1, default 1)\n"
        "eu-west-1: Team-Runbook: \x1b[32mcreated\x1b[0m (version 1, default 1)\n"
    )
    assert err.startswith(f"{CLEAR_LINE}publishing 1/2 us-east-1: Team-Runbook: created (version 1, default 1)")
    assert err.endswith(CLEAR_LINE) and "\n" not in err


def test_publish_plain_with_color_never_or_json(fake_publish: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = publish_cli(monkeypatch, str(fake_publish), "--color", "never")
    assert (code, err) == (0, "")
    assert out.startswith("us-east-1: Team-Runbook: created (version 1, default 1)\n")
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, err = publish_cli(monkeypatch, str(fake_publish), "--format", "json")
    assert (code, err) == (0, "")
    assert "\x1b" not in out and [item["action"] for item in json.loads(out)] == ["created", "created"]
