"""Shared test set-up: hypothesis profiles, the --update-golden flag, corpus and golden-file helpers."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI runs a fixed-seed, derandomized profile so it never flakes; explore locally with HYPOTHESIS_PROFILE=dev.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CORPUS = ROOT / "tests" / "data" / "corpus"
"""The real Automation documents the tests read: every document of the corpus the project is judged on whose licence
lets the repository hold it, vendored unchanged with its provenance (tests/data/corpus/README.md)."""

OUTSIDE = "needs what this repository does not hold: "
"""How a skip reason starts when a test needs sources that are not in the repository and may not be (documents whose
licence does not allow vendoring them, ASR's code): the session then sums them up in one line (``outside``)."""
ASR_SOURCES = "ASR's sources (set ASR_SOURCE to a checkout of ASR v3.1.5: tests/data/asr/README.md)"


def outside(what: str) -> str:
    """The skip reason of a test that needs ``what``, something this repository does not hold."""
    return OUTSIDE + what


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line for every test skipped because it needs what the repository does not hold, saying what and why."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(OUTSIDE):
            what = reason.removeprefix(OUTSIDE)
            counts[what] = counts.get(what, 0) + 1
    if counts:
        parts = "; ".join(f"{count} need {what}" for what, count in sorted(counts.items()))
        terminalreporter.write_line(
            f"skipped {sum(counts.values())} tests that need what this repository does not hold: {parts}"
        )


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Caches the toolkit writes (the reduced AWS models) go to a temporary folder, never the user's own."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/NAME; with --update-golden, rewrite the file instead."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"missing golden file {path}; run `make golden`"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden file; run `make golden` if the change is intended"

    return check


def data_paths(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every path into JSON-like data (its own first), depth first: what a position lookup is asked."""
    out = [path]
    if isinstance(value, dict):
        for name, child in value.items():
            out.extend(data_paths(child, (*path, name)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out.extend(data_paths(child, (*path, index)))
    return out


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


@contextlib.contextmanager
def moto_server(environment: dict[str, str] | None = None) -> Iterator[str]:
    """moto's server on a free port of 127.0.0.1, in a process of its own, until the block ends: its URL."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(environment or {})},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to a minute on a loaded machine; ready as soon as it answers
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"moto's server exited with {server.returncode}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("moto's server did not start within a minute")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def moto_endpoint():  # type: ignore[no-untyped-def]
    """moto's server on a free port of 127.0.0.1, started for the test session: real HTTP, loopback only.

    In a process of its own: moto keeps its backends in process-wide state, which the simulator's in-process moto
    (``toolkit.fakes.moto``) owns in this process; a server thread here would share, change and reset them."""
    # AWS's managed policies, as in AWS
    with moto_server({"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}) as endpoint:
        yield endpoint


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """boto3 clients created anywhere in the test talk to the moto server, with fake credentials; reset after."""
    import urllib.request

    for key, value in {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    yield moto_endpoint
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    # A reset reloads AWS's managed policies (seconds on a loaded machine): wait for it, however long, so the next
    # test never meets a server still resetting. (A time limit here would only turn load into failures.)
    urllib.request.urlopen(request, timeout=600).close()
