"""How ``bench/run.py`` runs a side of a row: fresh processes with the caches a row asks for, each timed (wall and
CPU) and its peak resident set measured (``os.wait4``: that child's own rusage), and the peers installed into a
scratch copy. Statistics are medians and spreads (min-max) of the samples; ratios are taken of medians."""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

STAMP = ".runbook-bench-installed"
DEPENDENCY_FILES = ("package.json", "package-lock.json", "npm-shrinkwrap.json")
INSTALL_TIMEOUT_S = 900.0
RUN_TIMEOUT_S = 300.0
# Commands run as users run them: with Python's byte-code cache (some sandboxes set PYTHONDONTWRITEBYTECODE,
# which makes every Python process compile its modules from source each time). The toolkit's own on-disk cache
# (XDG_CACHE_HOME) is set per run by the row, never inherited.
DROPPED = ("PYTHONDONTWRITEBYTECODE", "XDG_CACHE_HOME", "PYTHONPATH", "NODE_COMPILE_CACHE")


class BenchError(Exception):
    """A problem reported in one line, never as a traceback."""


class PeerError(BenchError):
    """The peer cannot be installed or run: its comparison is skipped, the others still run."""


@dataclass(frozen=True)
class Sample:
    """One fresh process: wall time, CPU time (user + system, its own and its waited children's) and peak RSS."""

    wall_ms: float
    cpu_ms: float
    maxrss_mb: float
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Stats:
    """Median and spread (min-max) of one side's samples, in the row's unit."""

    median: float
    low: float
    high: float
    n: int

    @staticmethod
    def of(values: Sequence[float]) -> Stats:
        return Stats(statistics.median(values), min(values), max(values), len(values))


def environment(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without the variables a row sets itself, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(extra)
    return env


def run(command: Sequence[str], cwd: Path, env: Mapping[str, str], ok_exit: frozenset[int] = frozenset({0})) -> Sample:
    """One fresh process, timed; a failing command (an exit code not in ``ok_exit``) is a BenchError."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                command, cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as error:
            raise BenchError(f"{' '.join(command)}: {error}") from error
        timer = threading.Timer(RUN_TIMEOUT_S, process.kill)  # a hung command is killed, then reported
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage: its CPU time and peak RSS
        finally:
            timer.cancel()
        wall = (time.perf_counter() - start) * 1000.0
        process.returncode = os.waitstatus_to_exitcode(status)
        if wall >= RUN_TIMEOUT_S * 1000.0:
            raise BenchError(f"{' '.join(command)}: timed out after {RUN_TIMEOUT_S:.0f} s")
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode not in ok_exit:
        # The message, not a stack frame or node's closing version banner.
        lines = [
            line.strip()
            for line in stderr.splitlines()
            if line.strip() and not line[0].isspace() and not line.startswith("Node.js v")
        ]
        raise BenchError(f"{' '.join(command)}: exit {process.returncode}: {lines[-1] if lines else 'no message'}")
    cpu = (usage.ru_utime + usage.ru_stime) * 1000.0
    return Sample(wall, cpu, usage.ru_maxrss / 1024.0, stdout, stderr)


def fresh_cache(root: Path, label: str) -> Path:
    """A new, empty folder to serve as one run's XDG_CACHE_HOME."""
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{label}.", dir=root))


def node_version() -> str | None:
    node = shutil.which("node")
    if node is None:
        return None
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def machine() -> dict[str, object]:
    """The machine the figures come from: CPU model, cores, load average at start, Python and node versions."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average_at_start": load,
        "python": sys.version.split()[0],
        "node": node_version(),
    }


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in DEPENDENCY_FILES:
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _npm_install(name: str, folder: Path) -> None:
    try:
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise PeerError(f"peer {name}: npm install timed out after {INSTALL_TIMEOUT_S:.0f} s") from err
    if done.returncode == 0:
        return
    # npm's error lines: "npm error code E404", "npm error 404 Not Found - GET ...", "npm error A complete log ...".
    lines = [line.removeprefix("npm error").strip() for line in (done.stderr + done.stdout).splitlines()]
    code = next((line.split()[1] for line in lines if line.startswith("code ") and len(line.split()) > 1), None)
    noise = ("code ", "errno ", "syscall ", "A complete log", "Log files were not written")
    details = [line for line in lines if len(line) > 4 and not line.startswith(noise)]
    detail = details[0] if details else f"exit {done.returncode}"
    raise PeerError(f"peer {name}: npm install failed: {detail}" + (f" ({code})" if code else ""))


def install_peer(name: str, source_root: Path, cache_root: Path) -> Path:
    """A scratch copy of the peer ``name`` with its npm dependencies installed, reused while its package files match."""
    source = source_root / name
    if not (source / "package.json").is_file():
        raise PeerError(f"peer {name}: no package.json in {source}")
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise PeerError(f"peer {name}: node or npm is not on PATH")
    target = cache_root / name
    wanted = _fingerprint(source)
    stamp = target / STAMP
    try:
        if stamp.is_file() and stamp.read_text().strip() == wanted:
            # Dependencies unchanged: refresh the peer's own scripts, keep node_modules.
            shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("node_modules"))
            return target
        cache_root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f"{name}.", dir=cache_root))
        try:
            copy = scratch / name
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("node_modules"))
            print(f"bench: installing peer {name} into {target} (npm install, once)", file=sys.stderr, flush=True)
            _npm_install(name, copy)
            (copy / STAMP).write_text(wanted + "\n")
            if target.exists():
                shutil.rmtree(target)
            copy.rename(target)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    except OSError as err:
        raise PeerError(f"peer {name}: cannot install into {cache_root}: {err}") from err
    return target
