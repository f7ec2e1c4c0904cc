"""Side-by-side benchmarks: the toolkit against a peer, measured in one run on one machine, reported as a ratio.

Each benchmark runs our command and the peer's command as fresh processes, alternating them so that both share the
machine's noise, and reports the median and minimum wall time of each and the ratio of the medians (ours / peer).
The peers are installed with ``npm install`` into a scratch copy under ``$TMPDIR/runbook-bench-peers/`` (cached
between runs), never into the project. Run on demand: ``make bench`` or ``.venv/bin/python bench/run.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PEERS_SOURCE = REPO.parent / "shared" / "peers"
PEERS_CACHE = Path(tempfile.gettempdir()) / "runbook-bench-peers"
OUT = "{out}"  # placeholder in our arguments: replaced by a fresh empty folder for every run
CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_FILES = "{corpus-files}"  # placeholder in a peer's arguments: every corpus document, as separate arguments
ONE_DOCUMENT = REPO / "tests" / "golden" / "cloudtrail-remediation-action.yaml"
SMALL_TEMPLATE = REPO / "bench" / "data" / "small-template.yaml"
REFERENCE_RUNBOOK = REPO / "bench" / "data" / "reference-runbook.yaml"
PER_SIM = re.compile(r"per_sim=([0-9.]+)ms")
LOOP_RUNS = 2000  # simulations per process in the in-process comparison
IAM_RATIO = re.compile(r"iam_on=([0-9.]+)ms iam_off=([0-9.]+)ms ratio=([0-9.]+)")
IAM_CASES = (
    # (label, simulate_loop.py arguments after N, N): the peer's reference runbook and the project's own runbook,
    # each as the default Admin caller and as the deploy template's least-privilege role
    ("reference runbook, Admin", (), LOOP_RUNS),
    ("reference runbook, least-privilege role", ("--role",), LOOP_RUNS),
    ("cloudtrail-remediation-action, Admin", ("--runbook",), 200),
    ("cloudtrail-remediation-action, least-privilege role", ("--runbook", "--role"), 200),
)
STAMP = ".runbook-bench-installed"
DEPENDENCY_FILES = ("package.json", "package-lock.json", "npm-shrinkwrap.json")
INSTALL_TIMEOUT_S = 900.0
RUN_TIMEOUT_S = 120.0
# Commands run as users run them: with Python's byte-code cache (some sandboxes set PYTHONDONTWRITEBYTECODE,
# which makes every Python process, ours and cfn-lint alike, compile its modules from source each time).
BENCH_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Benchmark:
    """One comparison: our ``runbook`` arguments against a peer command run in the peer's installed folder."""

    name: str
    ours: tuple[str, ...]  # arguments after the ``runbook`` launcher; OUT is replaced by a fresh output folder
    peer: tuple[str, ...]  # the peer's full command line; CORPUS_FILES expands to every corpus document
    peer_dir: str | None  # the peer's folder under the peers source (npm-installed), or None: a command on PATH
    ok_exit: frozenset[int] = frozenset({0})  # exit codes that mean the command did its work (linters exit 1)


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        name="cold build",
        ours=("build", "--out", OUT),
        peer=("node", "cloudtrail.js", "print"),
        peer_dir="cdk-ssm-documents",
    ),
    Benchmark(
        name="lint the whole corpus in one process (every rule on)",
        ours=("lint", str(CORPUS), "--format", "json"),
        peer=("node", "validate.js", "--json", CORPUS_FILES),
        peer_dir="ssm-language-service",
        ok_exit=frozenset({0, 1}),
    ),
    Benchmark(
        name="cold lint of one document",
        ours=("lint", str(ONE_DOCUMENT)),
        peer=("node", "validate.js", str(ONE_DOCUMENT)),
        peer_dir="ssm-language-service",
        ok_exit=frozenset({0, 1}),
    ),
    Benchmark(
        name="cold simulate of the reference runbook",
        ours=(
            "simulate",
            str(REFERENCE_RUNBOOK),
            "--param",
            "CloudTrailName=main",
            "--param",
            "CloudTrailS3BucketName=trail-logs-123456789012",
            "--param",
            "CloudTrailKmsKeyId=alias/cloudtrail",
        ),
        peer=("node", "cloudtrail.js", "sim"),
        peer_dir="cdk-ssm-documents",
    ),
    Benchmark(
        name="cold lint: one document against cfn-lint on a small template",
        ours=("lint", str(ONE_DOCUMENT)),
        peer=("cfn-lint", str(SMALL_TEMPLATE)),
        peer_dir=None,
        ok_exit=frozenset({0, 1}),
    ),
)


def corpus_files() -> list[str]:
    return sorted(str(p) for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


def peer_command(bench: Benchmark) -> list[str]:
    """The peer's command line: CORPUS_FILES expanded, and a Python tool taken from our venv when it is there."""
    command: list[str] = []
    for arg in bench.peer:
        command.extend(corpus_files() if arg == CORPUS_FILES else [arg])
    if bench.peer_dir is None:
        local = Path(sys.executable).with_name(command[0])
        if local.is_file():
            command[0] = str(local)
    return command


@dataclass(frozen=True)
class Timing:
    median_ms: float
    min_ms: float

    @staticmethod
    def of(samples: Sequence[float]) -> Timing:
        return Timing(statistics.median(samples), min(samples))


@dataclass(frozen=True)
class Result:
    benchmark: Benchmark
    ours_cmd: str
    ours: Timing | None = None
    peer: Timing | None = None
    skipped: str | None = None
    before: Timing | None = None
    """The same command of another checkout (``--baseline``): the toolkit before a change, in the same run."""

    def as_json(self, runs: int) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.benchmark.name, "ours": self.ours_cmd}
        entry["peer"] = " ".join(self.benchmark.peer).replace(CORPUS_FILES, "<corpus files>")
        if self.skipped is not None or self.ours is None or self.peer is None:
            entry["skipped"] = self.skipped
            return entry
        entry.update(
            runs=runs,
            ours_ms=round(self.ours.median_ms, 2),
            ours_min_ms=round(self.ours.min_ms, 2),
            peer_ms=round(self.peer.median_ms, 2),
            peer_min_ms=round(self.peer.min_ms, 2),
            ratio=round(self.ours.median_ms / self.peer.median_ms, 3),
        )
        if self.before is not None:
            entry.update(
                before_ms=round(self.before.median_ms, 2),
                before_min_ms=round(self.before.min_ms, 2),
                ratio_to_before=round(self.ours.median_ms / self.before.median_ms, 3),
            )
        return entry


class BenchError(Exception):
    """A problem reported in one line, never as a traceback."""


class PeerError(BenchError):
    """The peer cannot be installed or run: its comparison is skipped, the others still run."""


def our_launcher() -> list[str]:
    """The ``runbook`` console script next to this interpreter or in the project's venv, else ``python -m toolkit``."""
    for script in (Path(sys.executable).with_name("runbook"), REPO / ".venv" / "bin" / "runbook"):
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script)]
    return [sys.executable, "-m", "toolkit"]


def node_version() -> str | None:
    node = shutil.which("node")
    if node is None:
        return None
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


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


def run_once(command: Sequence[str], cwd: Path, ok_exit: frozenset[int] = frozenset({0})) -> float:
    """Wall time in ms of one fresh process; a failing command is a BenchError."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=BENCH_ENV,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=RUN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise BenchError(f"{' '.join(command)}: {err}") from err
    elapsed = (time.perf_counter() - start) * 1000.0
    if done.returncode not in ok_exit:
        # The message, not a stack frame or node's closing version banner.
        lines = [
            line.strip()
            for line in done.stderr.decode(errors="replace").splitlines()
            if line.strip() and not line[0].isspace() and not line.startswith("Node.js v")
        ]
        raise BenchError(f"{' '.join(command)}: exit {done.returncode}: {lines[-1] if lines else 'no message'}")
    return elapsed


def measure(
    bench: Benchmark,
    launcher: Sequence[str],
    peer_cwd: Path,
    runs: int,
    warmup: int,
    baseline: Path | None = None,
) -> tuple[Timing, Timing, Timing | None]:
    """Alternate ours and the peer (ABBA order; with a baseline checkout, the three in turn, rotated every round)
    ``runs`` times each after ``warmup`` untimed rounds."""
    samples: dict[str, list[float]] = {"ours": [], "peer": [], "before": []}
    with tempfile.TemporaryDirectory(prefix="runbook-bench-out.") as tmp:

        def toolkit_command(side: str, index: int, runner: Sequence[str]) -> list[str]:
            out = Path(tmp) / f"{side}-{index}"  # fresh, absent folder: a build from nothing, every time
            return [*runner, *(str(out) if arg == OUT else arg for arg in bench.ours)]

        for index in range(-warmup, runs):
            steps = [("ours", toolkit_command("ours", index + warmup, launcher), REPO)]
            steps.append(("peer", peer_command(bench), peer_cwd))
            if baseline is not None:
                steps.append(
                    ("before", toolkit_command("before", index + warmup, baseline_launcher(baseline)), baseline)
                )
                shift = index % len(steps)
                steps = steps[shift:] + steps[:shift]
            elif index % 2:
                steps.reverse()
            for side, command, cwd in steps:
                try:
                    elapsed = run_once(command, cwd, bench.ok_exit)
                except BenchError as err:
                    if side == "peer":
                        raise PeerError(f"peer {bench.peer_dir or bench.peer[0]}: {err}") from err
                    raise
                if index >= 0:
                    samples[side].append(elapsed)
    before = Timing.of(samples["before"]) if samples["before"] else None
    return Timing.of(samples["ours"]), Timing.of(samples["peer"]), before


def baseline_launcher(checkout: Path) -> list[str]:
    """The ``runbook`` console script of another checkout's own virtual environment (``make`` creates it)."""
    script = checkout / ".venv" / "bin" / "runbook"
    if not (script.is_file() and os.access(script, os.X_OK)):
        raise BenchError(f"--baseline {checkout}: no .venv/bin/runbook there (run make in that checkout first)")
    return [str(script)]


def run_benchmark(bench: Benchmark, args: argparse.Namespace, launcher: Sequence[str]) -> Result:
    shown = " ".join([Path(launcher[0]).name if len(launcher) == 1 else "python -m toolkit", *bench.ours])
    shown = shown.replace(OUT, "<tmpdir>").replace(str(REPO) + "/", "").replace(str(CORPUS), "<corpus>")
    try:
        if bench.peer_dir is None:
            peer_cwd = REPO
            if shutil.which(bench.peer[0]) is None and not Path(sys.executable).with_name(bench.peer[0]).is_file():
                raise PeerError(f"peer {bench.peer[0]}: not installed")
        else:
            peer_cwd = install_peer(bench.peer_dir, args.peers_source, args.peers_dir)
        ours, peer, before = measure(bench, launcher, peer_cwd, args.runs, args.warmup, args.baseline)
    except PeerError as err:
        print(f"bench: skipping {bench.name!r}: {err}", file=sys.stderr)
        return Result(bench, shown, skipped=str(err))
    return Result(bench, shown, ours, peer, before=before)


def report_text(results: Sequence[Result], runs: int) -> str:
    lines = [f"{runs} cold processes each, alternating ours/peer; times in ms (median / min)"]
    for result in results:
        if result.skipped is not None or result.ours is None or result.peer is None:
            lines.append(f"{result.benchmark.name}: skipped ({result.skipped})")
            continue
        peer_cmd = " ".join(result.benchmark.peer).replace(CORPUS_FILES, "<corpus files>")
        width = max(len(result.ours_cmd), len(peer_cmd))
        lines += [
            f"{result.benchmark.name}:",
            f"  ours  {result.ours_cmd:<{width}}  {result.ours.median_ms:8.1f} / {result.ours.min_ms:8.1f}",
            f"  peer  {peer_cmd:<{width}}  {result.peer.median_ms:8.1f} / {result.peer.min_ms:8.1f}",
            f"  ratio ours/peer (medians): {result.ours.median_ms / result.peer.median_ms:.2f}",
        ]
        if result.before is not None:
            lines += [
                f"  before (--baseline)  {result.before.median_ms:8.1f} / {result.before.min_ms:8.1f}",
                f"  ratio ours/before (medians): {result.ours.median_ms / result.before.median_ms:.2f}",
            ]
    return "\n".join(lines)


def loop_benchmark(args: argparse.Namespace, *, mock: bool) -> dict[str, Any]:
    """Per-simulation time in one warm process: ours (bench/simulate_loop.py) against ``cloudtrail.js bench``."""
    world = "canned responses, like the peer's mock" if mock else "our faithful fake world"
    name = f"simulate in one process, per simulation (n={LOOP_RUNS}, trail exists / absent, {world})"
    try:
        peer_cwd = install_peer("cdk-ssm-documents", args.peers_source, args.peers_dir)
    except PeerError as err:
        print(f"bench: skipping {name!r}: {err}", file=sys.stderr)
        return {"name": name, "skipped": str(err)}
    ours_cmd = [sys.executable, str(REPO / "bench" / "simulate_loop.py"), str(LOOP_RUNS), *(["--mock"] if mock else [])]
    peer_cmd = ["node", "cloudtrail.js", "bench", str(LOOP_RUNS), "quiet"]
    samples: dict[str, list[float]] = {"ours": [], "peer": [], "before": []}
    for index in range(max(args.runs // 2, 3)):
        order = [("ours", ours_cmd, REPO), ("peer", peer_cmd, peer_cwd)]
        if args.baseline is not None:
            before_python = str(args.baseline / ".venv" / "bin" / "python")
            before_cmd = [before_python, str(args.baseline / "bench" / "simulate_loop.py"), *ours_cmd[2:]]
            order.append(("before", before_cmd, args.baseline))
            shift = index % len(order)
            order = order[shift:] + order[:shift]
        elif index % 2:
            order.reverse()
        for side, command, cwd in order:
            done = subprocess.run(
                command, cwd=cwd, env=BENCH_ENV, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
            )
            match = PER_SIM.search(done.stderr)
            if match is None:
                raise BenchError(f"{' '.join(command)}: no per_sim in its output: {done.stderr.strip()[-200:]}")
            samples[side].append(float(match.group(1)))
    o, p = statistics.median(samples["ours"]), statistics.median(samples["peer"])
    found = {"name": name, "ours_ms": round(o, 4), "peer_ms": round(p, 4), "ratio": round(o / p, 3)}
    if samples["before"]:
        b = statistics.median(samples["before"])
        found.update(before_ms=round(b, 4), ratio_to_before=round(o / b, 3))
    return found


def iam_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """What IAM's authorization adds per simulation in one warm process (bench/simulate_loop.py --iam): each case's
    median ratio IAM on / IAM off over a few processes, the cases taking turns (rotated every round)."""
    name = "simulate in one process with IAM on / off (same process, alternating blocks; faithful world)"
    samples: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _, _ in IAM_CASES}
    for index in range(max(args.runs // 2, 3)):
        shift = index % len(IAM_CASES)
        for label, extra, n in IAM_CASES[shift:] + IAM_CASES[:shift]:
            command = [sys.executable, str(REPO / "bench" / "simulate_loop.py"), str(n), "--iam", *extra]
            done = subprocess.run(
                command, cwd=REPO, env=BENCH_ENV, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
            )
            match = IAM_RATIO.search(done.stderr)
            if done.returncode != 0 or match is None:
                raise BenchError(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.strip()[-200:]}")
            on, off, ratio = (float(group) for group in match.groups())
            samples[label].append((on, off, ratio))
    cases = []
    for label, _, n in IAM_CASES:
        found = samples[label]
        cases.append(
            {
                "case": label,
                "n": n,
                "on_ms": round(statistics.median(on for on, _, _ in found), 4),
                "off_ms": round(statistics.median(off for _, off, _ in found), 4),
                "ratio": round(statistics.median(ratio for _, _, ratio in found), 3),
                "ratios": [round(ratio, 3) for _, _, ratio in found],
            }
        )
    return {"name": name, "cases": cases}


def report_iam(found: dict[str, Any]) -> str:
    lines = [f"{found['name']}: ratio on/off (median of per-process ratios; per simulation on / off in ms)"]
    for case in found["cases"]:
        lines.append(
            f"  {case['case']:<52} {case['ratio']:.2f}  ({case['on_ms']:.4f} / {case['off_ms']:.4f};"
            f" each process: {', '.join(f'{r:.2f}' for r in case['ratios'])})"
        )
    return "\n".join(lines)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=_positive, default=10, metavar="N", help="timed runs of each command (10)")
    parser.add_argument("--warmup", type=_count, default=1, metavar="N", help="untimed rounds first (1)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (text)")
    parser.add_argument(
        "--peers-dir", type=Path, default=PEERS_CACHE, metavar="DIR", help=f"scratch install of peers ({PEERS_CACHE})"
    )
    parser.add_argument(
        "--peers-source", type=Path, default=PEERS_SOURCE, metavar="DIR", help=f"peers to copy ({PEERS_SOURCE})"
    )
    parser.add_argument("--iam-only", action="store_true", help="only the IAM on/off row (no peers, no cold processes)")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="CHECKOUT",
        help="also time another checkout of the toolkit (its .venv) in the same run: before and after a change",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    launcher = our_launcher()
    try:
        results = [] if args.iam_only else [run_benchmark(bench, args, launcher) for bench in BENCHMARKS]
        loops = [] if args.iam_only else [loop_benchmark(args, mock=True), loop_benchmark(args, mock=False)]
        iam = iam_benchmark(args)
    except BenchError as err:
        print(f"bench: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if args.format == "json":
        report: dict[str, Any] = {
            "runs": args.runs,
            "python": sys.version.split()[0],
            "node": node_version(),
            "benchmarks": [result.as_json(args.runs) for result in results],
            "in_process": loops,
            "iam": iam,
        }
        print(json.dumps(report))
    else:
        if results:
            print(report_text(results, args.runs))
        for loop in loops:
            if "skipped" in loop:
                print(f"{loop['name']}: skipped ({loop['skipped']})")
                continue
            print(
                f"{loop['name']}:\n  ours {loop['ours_ms']:.4f} ms, peer {loop['peer_ms']:.4f} ms per simulation"
                f" (medians)\n  ratio ours/peer: {loop['ratio']:.2f}"
            )
            if "before_ms" in loop:
                print(
                    f"  before (--baseline) {loop['before_ms']:.4f} ms;"
                    f" ratio ours/before: {loop['ratio_to_before']:.2f}"
                )
        print(report_iam(iam))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
