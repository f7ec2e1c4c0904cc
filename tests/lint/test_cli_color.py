"""`runbook lint` on a terminal: colour (--color, NO_COLOR, FORCE_COLOR) and the progress line on stderr."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.conftest import GOLDEN, ROOT
from toolkit import cli
from toolkit.errors import LoadError
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter
from toolkit.term import CLEAR_LINE

DEFECTS = "tests/lint/data/defects.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*[mK]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def term(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Run in the repository, on an xterm, with neither NO_COLOR nor FORCE_COLOR set."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return monkeypatch


def lint(
    monkeypatch: pytest.MonkeyPatch, *args: str, stdout_tty: bool = False, stderr_tty: bool = False
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``runbook lint ARGS`` run in this process on fake streams."""
    out = Terminal() if stdout_tty else io.StringIO()
    err = Terminal() if stderr_tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(["lint", *args])
    return code, out.getvalue(), err.getvalue()


def plain() -> str:
    return (GOLDEN / "cli" / "lint.txt").read_text(encoding="utf-8")


def twice() -> str:
    """The plain output of linting DEFECTS twice over."""
    findings = plain().splitlines(keepends=True)[:-1]
    return "".join(findings * 2) + "12 errors, 2 warnings in 2 files\n"


# -- colour ---------------------------------------------------------------------------------------------------


def test_color_always_styles_severity_rule_location_and_summary(
    term: pytest.MonkeyPatch, golden: Callable[[str, str], None]
) -> None:
    code, out, _ = lint(term, DEFECTS, "--color", "always")
    assert code == 1
    assert "\x1b[2mtests/lint/data/defects.yaml:15:16:\x1b[0m \x1b[1mE2002\x1b[0m \x1b[31merror\x1b[0m: step" in out
    assert "\x1b[1mW2003\x1b[0m \x1b[33mwarning\x1b[0m: step Report can never run" in out
    assert out.endswith("\x1b[1;31m6 errors\x1b[0m, \x1b[1;33m1 warning\x1b[0m in 1 file\n")
    assert ANSI.sub("", out) == plain()  # colour adds styles and changes no text
    golden("cli/lint-color.txt", out)


def test_no_findings_summary_is_green(term: pytest.MonkeyPatch) -> None:
    code, out, _ = lint(term, "cloudtrail-remediation-action", "--color", "always")
    assert (code, out) == (0, "\x1b[1;32mno findings in 1 file\x1b[0m\n")


def test_color_never_is_plain_even_on_a_terminal_with_force_color(term: pytest.MonkeyPatch) -> None:
    term.setenv("FORCE_COLOR", "1")
    assert lint(term, DEFECTS, "--color", "never", stdout_tty=True)[1] == plain()


def test_auto_colours_a_terminal_and_not_a_pipe(term: pytest.MonkeyPatch) -> None:
    coloured = lint(term, DEFECTS, stdout_tty=True)[1]
    assert "\x1b[31merror\x1b[0m" in coloured and ANSI.sub("", coloured) == plain()
    assert lint(term, DEFECTS, stdout_tty=False)[1] == plain()


def test_no_color_is_honoured(term: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in lint(term, DEFECTS, stdout_tty=True)[1]
    term.setenv("NO_COLOR", "1")
    assert lint(term, DEFECTS, stdout_tty=True)[1] == plain()
    assert "\x1b[" in lint(term, DEFECTS, "--color", "always", stdout_tty=True)[1]  # the option beats NO_COLOR


def test_force_color_is_honoured(term: pytest.MonkeyPatch) -> None:
    term.setenv("FORCE_COLOR", "1")
    out = lint(term, DEFECTS, stdout_tty=False)[1]
    assert "\x1b[31merror\x1b[0m" in out and ANSI.sub("", out) == plain()


def test_dumb_terminal_gets_no_colour(term: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in lint(term, DEFECTS, stdout_tty=True)[1]
    term.setenv("TERM", "dumb")
    assert lint(term, DEFECTS, stdout_tty=True)[1] == plain()


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_are_never_coloured_and_show_no_progress(term: pytest.MonkeyPatch, fmt: str) -> None:
    term.setenv("FORCE_COLOR", "1")
    code, out, err = lint(
        term, DEFECTS, DEFECTS, "--format", fmt, "--color", "always", stdout_tty=True, stderr_tty=True
    )
    assert code == 1 and "\x1b" not in out and out.lstrip().startswith(("[", "{"))
    assert err == ""


# -- progress -------------------------------------------------------------------------------------------------


def test_progress_is_drawn_on_a_terminal_and_erased_at_the_end(term: pytest.MonkeyPatch) -> None:
    code, out, err = lint(term, DEFECTS, DEFECTS, stderr_tty=True)
    assert code == 1
    assert err.startswith(f"{CLEAR_LINE}linting 1/2 {DEFECTS}")
    assert err.endswith(CLEAR_LINE) and "\n" not in err  # nothing is left on screen
    assert out == twice()  # stdout is untouched (and plain: not a terminal)


@pytest.mark.parametrize(
    ("args", "stderr_tty", "env"),
    [
        ((), False, {}),  # stderr is not a terminal
        (("--color", "never"), True, {}),
        ((), True, {"TERM": "dumb"}),  # cannot rewrite a line
    ],
    ids=["not-a-terminal", "color-never", "dumb-terminal"],
)
def test_progress_is_absent(
    term: pytest.MonkeyPatch, args: tuple[str, ...], stderr_tty: bool, env: dict[str, str]
) -> None:
    assert lint(term, DEFECTS, DEFECTS, stderr_tty=True)[2].startswith(CLEAR_LINE)  # drawn otherwise
    for key, value in env.items():
        term.setenv(key, value)
    assert lint(term, DEFECTS, DEFECTS, *args, stderr_tty=stderr_tty)[2] == ""


def test_the_engine_reports_each_file_as_it_starts() -> None:
    calls: list[tuple[int, int, str]] = []
    linter = Linter(LintConfig(select=("E2",)))
    linter.lint([str(ROOT / DEFECTS), "cloudtrail-remediation-action"], progress=lambda *call: calls.append(call))
    assert calls == [(1, 2, str(ROOT / DEFECTS)), (2, 2, "build/cloudtrail-remediation-action.yaml")]
    with pytest.raises(LoadError, match="no such file"):  # every target is resolved before the first file is linted
        linter.lint([str(ROOT / DEFECTS), "missing/doc.yaml"], progress=lambda *call: calls.append(call))
    assert len(calls) == 2


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_on_a_real_pseudo_terminal() -> None:
    """The whole command with stderr on a pty: the line is drawn and erased there; stdout (a pipe) stays plain."""
    master, slave = os.openpty()
    try:
        env = {**os.environ, "TERM": "xterm", "PYTHONWARNINGS": "error"}
        env.pop("NO_COLOR", None)
        env.pop("FORCE_COLOR", None)
        child = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "lint", DEFECTS, DEFECTS],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        out, _ = child.communicate(timeout=120)
        err = _read_all(master)
    finally:
        os.close(master)
    assert child.returncode == 1
    assert out.decode() == twice()
    assert err.startswith(f"{CLEAR_LINE}linting 1/2 {DEFECTS}") and err.endswith(CLEAR_LINE)


def _read_all(master: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child's side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()
