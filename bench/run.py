"""Side-by-side benchmarks: the toolkit against its peers, measured in one run on one machine, reported as ratios.

Every row runs our side and the peer's side as fresh processes taking turns (ABBA; with ``--baseline`` the three
sides rotated every round), so both share the machine's noise, and reports each side's median and spread (min-max)
and the ratio of the medians (ours / peer) against the issue's goal. "Cold" rows give every timed process a fresh,
empty XDG_CACHE_HOME and have no warm-up round; "warm" rows reuse one cache folder per side after an untimed
warm-up round. bench/README.md says exactly what each side of each row does. Run on demand: ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procs import BenchError, PeerError, Sample, Stats, environment, fresh_cache, install_peer, machine, run

REPO = Path(__file__).resolve().parent.parent
PEERS_SOURCE = REPO.parent / "shared" / "peers"
PEERS_CACHE = Path(tempfile.gettempdir()) / "runbook-bench-peers"
CORPUS = REPO.parent / "shared" / "corpus"
ONE_DOCUMENT = REPO / "tests" / "golden" / "cloudtrail-remediation-action.yaml"
OUT = "{out}"  # in our arguments: a fresh, absent output folder for every run
CORPUS_FILES = "{corpus-files}"  # in a peer's arguments: every corpus document, as separate arguments
RUNBOOK = "{runbook}"  # first of our arguments: the ``runbook`` command (the console script, else python -m toolkit)
PYTHON = "{python}"  # in our arguments: this interpreter
SCRIPT = "{script}"  # prefix in our arguments: a file of bench/ (the checkout's own when it has it, else ours)
PER_SIM = re.compile(r"per_sim=([0-9.]+)ms")
IAM_RATIO = re.compile(r"iam_on=([0-9.]+)ms iam_off=([0-9.]+)ms ratio=([0-9.]+)")
LOOP_RUNS = 2000  # simulations per process in the per-simulation rows (the peer runs the same number)
RSS_LOOP_RUNS = 10_000  # simulations of the memory row
PROPERTY_FILES = ("tests/property/test_runbook_properties.py", "tests/property/test_config_compliance.py")
IAM_CASES = (
    # (label, simulate_loop.py arguments after N, N, goal): the peer's reference runbook and the project's own
    # runbook (cloudtrail-remediation-action: "pattern"), each as the default Admin caller and as the deploy
    # template's least-privilege role; issue 15's goal (IAM adds at most 30%) is the pattern's runbook's
    ("iam-reference-admin", (), LOOP_RUNS, None),
    ("iam-reference-role", ("--role",), LOOP_RUNS, None),
    ("iam-pattern-admin", ("--runbook",), 200, 1.3),
    ("iam-pattern-role", ("--runbook", "--role"), 200, 1.3),
)


@dataclass(frozen=True)
class Goal:
    limit: float
    strict: bool  # "under" (<) rather than "at most" (<=)
    of: str = "ratio"  # "ratio": ours / peer; "ours": our own median, in the row's unit

    def met(self, value: float) -> bool:
        return value < self.limit if self.strict else value <= self.limit

    def __str__(self) -> str:
        what = "x" if self.of == "ratio" else ""
        return f"{'<' if self.strict else '<='} {self.limit:g}{what}"


@dataclass(frozen=True)
class Row:
    """One row: our command against a peer's (or none), how its caches are set, and the issue's goal."""

    id: str
    title: str
    ours: tuple[str, ...]
    peer: tuple[str, ...] = ()
    peer_dir: str | None = None  # the peer's folder under the peers source (npm-installed)
    caches: str = "cold"  # "cold": a fresh empty XDG_CACHE_HOME per run, no warm-up; "warm": one per side, reused
    drop: tuple[str, ...] = ()  # files of a warm cache folder removed before each run (relative to the folder)
    goal: Goal | None = None
    ok_exit: frozenset[int] = frozenset({0})
    unit: str = "ms"
    kind: str = "process"  # process (wall time), loop (per_sim), properties (s), rss (MB of ours), iam (ratios)


SIM_PARAMS = ("--param", "CloudTrailName=main", "--param", "CloudTrailS3BucketName=trail-logs-123456789012")
ROWS: tuple[Row, ...] = (
    Row(
        "corpus-warm",
        "lint the corpus, every rule, one process (warm caches)",
        (RUNBOOK, "lint", str(CORPUS), "--format", "json"),
        ("node", "validate.js", "--json", CORPUS_FILES),
        "ssm-language-service",
        caches="warm",
        goal=Goal(0.5, strict=False),
        ok_exit=frozenset({0, 1}),
    ),
    Row(
        "corpus-relint",
        "lint the corpus, every rule, one process (warm caches but the kept findings: every document linted)",
        (RUNBOOK, "lint", str(CORPUS), "--format", "json"),
        ("node", "validate.js", "--json", CORPUS_FILES),
        "ssm-language-service",
        caches="warm",
        drop=("ssm-runbook-toolkit/lint/findings.marshal",),
        goal=Goal(0.5, strict=False),
        ok_exit=frozenset({0, 1}),
    ),
    Row(
        "corpus-cold",
        "lint the corpus, every rule, one process (empty caches)",
        (RUNBOOK, "lint", str(CORPUS), "--format", "json"),
        ("node", "validate.js", "--json", CORPUS_FILES),
        "ssm-language-service",
        goal=Goal(1.0, strict=True),
        ok_exit=frozenset({0, 1}),
    ),
    Row(
        "one-doc",
        "cold lint of one document",
        (RUNBOOK, "lint", str(ONE_DOCUMENT)),
        ("node", "validate.js", str(ONE_DOCUMENT)),
        "ssm-language-service",
        goal=Goal(0.4, strict=False),
        ok_exit=frozenset({0, 1}),
    ),
    Row(
        "simulate-cold",
        "cold simulate of the reference runbook, both branches",
        (PYTHON, SCRIPT + "simulate_both.py"),
        ("node", "cloudtrail.js", "sim"),
        "cdk-ssm-documents",
        goal=Goal(0.4, strict=False),
    ),
    Row(
        "build",
        "cold build of the reference runbook from code",
        (RUNBOOK, "build", SCRIPT + "data/reference_runbook.py", "--out", OUT),
        ("node", "cloudtrail.js", "print"),
        "cdk-ssm-documents",
        goal=Goal(1.0, strict=True),
    ),
    Row(
        "loop",
        f"warm simulation, faithful world, IAM on (per simulation, n={LOOP_RUNS})",
        (PYTHON, SCRIPT + "simulate_loop.py", str(LOOP_RUNS)),
        ("node", "cloudtrail.js", "bench", str(LOOP_RUNS), "quiet"),
        "cdk-ssm-documents",
        caches="warm",
        goal=Goal(0.2, strict=False),
        unit="ms/sim",
        kind="loop",
    ),
    Row(
        "loop-mock",
        f"warm simulation, canned answers like the peer's mock (per simulation, n={LOOP_RUNS})",
        (PYTHON, SCRIPT + "simulate_loop.py", str(LOOP_RUNS), "--mock"),
        ("node", "cloudtrail.js", "bench", str(LOOP_RUNS), "quiet"),
        "cdk-ssm-documents",
        caches="warm",
        goal=Goal(1.0, strict=True),
        unit="ms/sim",
        kind="loop",
    ),
    Row(
        "properties",
        "the property proofs (5 properties x 1,000 examples), one pytest process",
        (PYTHON, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q", *PROPERTY_FILES),
        goal=Goal(20.0, strict=True, of="ours"),
        unit="s",
        kind="properties",
    ),
    Row(
        "rss-corpus",
        "peak RSS of the corpus lint (empty caches)",
        (RUNBOOK, "lint", str(CORPUS), "--format", "json"),
        ("node", "validate.js", "--json", CORPUS_FILES),
        "ssm-language-service",
        goal=Goal(150.0, strict=True, of="ours"),
        ok_exit=frozenset({0, 1}),
        unit="MB",
        kind="rss",
    ),
    Row(
        "rss-loop",
        f"peak RSS of {RSS_LOOP_RUNS:,} simulations in one process (faithful world, IAM on)",
        (PYTHON, SCRIPT + "simulate_loop.py", str(RSS_LOOP_RUNS)),
        goal=Goal(150.0, strict=True, of="ours"),
        unit="MB",
        kind="rss",
    ),
    Row("iam", "what IAM adds per simulation: on / off in one process", (), kind="iam"),
)
ROW_IDS = tuple(row.id for row in ROWS)


@dataclass
class Outcome:
    """One row's figures: each side's stats in the row's unit, and CPU time of process rows."""

    row: Row
    commands: dict[str, str] = field(default_factory=dict)
    sides: dict[str, Stats] = field(default_factory=dict)
    cpu: dict[str, Stats] = field(default_factory=dict)
    rss: dict[str, Stats] = field(default_factory=dict)
    skipped: str | None = None
    cases: list[dict[str, Any]] = field(default_factory=list)  # the iam row's

    def ratio(self, other: str = "peer") -> float | None:
        if "ours" not in self.sides or other not in self.sides or not self.sides[other].median:
            return None
        return self.sides["ours"].median / self.sides[other].median

    def goal_value(self) -> float | None:
        goal = self.row.goal
        if goal is None:
            return None
        return self.ratio() if goal.of == "ratio" else self.sides["ours"].median if "ours" in self.sides else None

    def met(self) -> bool | None:
        value = self.goal_value()
        return None if value is None or self.row.goal is None else self.row.goal.met(value)

    def as_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": self.row.id, "title": self.row.title, "unit": self.row.unit}
        entry["caches"] = None if self.row.kind == "iam" else self.row.caches
        entry["commands"] = self.commands
        if self.skipped is not None:
            entry["skipped"] = self.skipped
        for name, found in (("", self.sides), ("cpu_ms_", self.cpu), ("rss_mb_", self.rss)):
            for side, stats in found.items():
                entry[name + side] = {
                    "median": round(stats.median, 4),
                    "min": round(stats.low, 4),
                    "max": round(stats.high, 4),
                    "n": stats.n,
                }
        ratio, before = self.ratio(), self.ratio("before")
        entry["ratio"] = None if ratio is None else round(ratio, 3)
        if "cpu_ms_ours" in entry and "peer" in self.cpu:
            entry["cpu_ratio"] = round(self.cpu["ours"].median / self.cpu["peer"].median, 3)
        if before is not None:
            entry["ratio_to_before"] = round(before, 3)
        if self.row.goal is not None:
            entry["goal"] = {"limit": self.row.goal.limit, "strict": self.row.goal.strict, "of": self.row.goal.of}
            entry["met"] = self.met()
        if self.cases:
            entry["cases"] = self.cases
        return entry


class Bench:
    """The sides of one run: our checkout, the peers, and an optional baseline checkout."""

    def __init__(self, args: argparse.Namespace, scratch: Path) -> None:
        self.args = args
        self.scratch = scratch
        self.checkouts: dict[str, Path] = {"ours": REPO}
        if args.baseline is not None:
            self.checkouts["before"] = args.baseline.resolve()
        self.launcher = our_launcher()
        self.corpus = sorted(
            str(p) for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
        )

    def toolkit_command(self, row: Row, side: str, out: Path) -> list[str]:
        checkout = self.checkouts[side]
        command: list[str] = []
        for arg in row.ours:
            if arg == RUNBOOK:
                command += self.launcher
            elif arg == PYTHON:
                command.append(sys.executable)
            elif arg == OUT:
                command.append(str(out))
            elif arg.startswith(SCRIPT):
                command.append(str(script(checkout, arg.removeprefix(SCRIPT))))
            else:
                command.append(arg)
        return command

    def peer_command(self, row: Row) -> list[str]:
        command: list[str] = []
        for arg in row.peer:
            command.extend(self.corpus if arg == CORPUS_FILES else [arg])
        return command

    def sides(self, row: Row) -> list[tuple[str, list[str], Path, dict[str, str]]]:
        """(side, command, folder, environment) of each side of ``row``; the caches are set per run by the caller."""
        found = []
        for side, checkout in self.checkouts.items():
            out = self.scratch / f"out-{side}"
            env = {"PYTHONPATH": str(checkout)}
            if row.kind == "properties":
                env["HYPOTHESIS_PROFILE"] = "ci"
            found.append((side, self.toolkit_command(row, side, out), checkout, env))
        if row.peer:
            assert row.peer_dir is not None
            peer_cwd = install_peer(row.peer_dir, self.args.peers_source, self.args.peers_dir)
            found.insert(1, ("peer", self.peer_command(row), peer_cwd, {}))
        return found

    def measure(self, row: Row, runs: int, parse: Callable[[Sample], float]) -> Outcome:
        """``runs`` rounds of every side taking turns (ABBA for two sides, rotated for three); cold rows get a fresh
        empty cache folder per run and no warm-up, warm rows one folder per side and an untimed warm-up round."""
        sides = self.sides(row)
        outcome = Outcome(
            row, commands={side: shown(command, self.scratch / f"out-{side}") for side, command, _, _ in sides}
        )
        samples: dict[str, list[Sample]] = {side: [] for side, _, _, _ in sides}
        values: dict[str, list[float]] = {side: [] for side, _, _, _ in sides}
        warm = {side: fresh_cache(self.scratch, f"warm-{row.id}-{side}") for side, _, _, _ in sides}
        rounds = range(-1 if row.caches == "warm" else 0, runs)
        for index in rounds:
            order = list(sides)
            if len(order) == 2 and index % 2:
                order.reverse()
            elif len(order) > 2:
                shift = index % len(order)
                order = order[shift:] + order[:shift]
            for side, command, cwd, extra in order:
                cache = warm[side] if row.caches == "warm" else fresh_cache(self.scratch, f"cold-{row.id}-{side}")
                for name in row.drop:
                    (cache / name).unlink(missing_ok=True)
                out = self.scratch / f"out-{side}"
                shutil.rmtree(out, ignore_errors=True)  # a build into an absent folder, every time
                try:
                    sample = run(command, cwd, environment({**extra, "XDG_CACHE_HOME": str(cache)}), row.ok_exit)
                except BenchError as err:
                    if side == "peer":
                        raise PeerError(f"peer {row.peer_dir}: {err}") from err
                    raise
                if row.caches == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                if index >= 0:
                    samples[side].append(sample)
                    values[side].append(parse(sample))
        for side in samples:
            outcome.sides[side] = Stats.of(values[side])
            outcome.cpu[side] = Stats.of([sample.cpu_ms for sample in samples[side]])
            outcome.rss[side] = Stats.of([sample.maxrss_mb for sample in samples[side]])
        return outcome

    def row(self, row: Row) -> Outcome:
        runs = self.args.runs
        try:
            if row.kind == "process":
                return self.measure(row, runs, lambda sample: sample.wall_ms)
            if row.kind == "loop":
                return self.measure(row, runs, per_sim)
            if row.kind == "properties":
                return self.measure(row, self.args.property_runs, lambda sample: sample.wall_ms / 1000.0)
            if row.kind == "rss":
                return self.measure(row, min(runs, 3), lambda sample: sample.maxrss_mb)
            return self.iam(row)
        except PeerError as err:
            print(f"bench: skipping {row.id}: {err}", file=sys.stderr)
            return Outcome(row, skipped=str(err))

    def iam(self, row: Row) -> Outcome:
        """What IAM's authorization adds per simulation in one warm process (bench/simulate_loop.py --iam): each
        case's median ratio IAM on / IAM off over a few processes, the cases taking turns (rotated every round)."""
        found: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _, _, _ in IAM_CASES}
        cache = fresh_cache(self.scratch, "warm-iam")
        for index in range(max(self.args.runs // 2, 3)):
            shift = index % len(IAM_CASES)
            for label, extra, n, _ in IAM_CASES[shift:] + IAM_CASES[:shift]:
                command = [sys.executable, str(script(REPO, "simulate_loop.py")), str(n), "--iam", *extra]
                env = environment({"PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(cache)})
                match = IAM_RATIO.search(run(command, REPO, env).stderr)
                if match is None:
                    raise BenchError(f"{shown(command)}: no iam_on/iam_off/ratio in its output")
                on, off, ratio = (float(group) for group in match.groups())
                found[label].append((on, off, ratio))
        outcome = Outcome(row, commands={"ours": "python bench/simulate_loop.py N --iam [--role] [--runbook]"})
        for label, _, n, goal in IAM_CASES:
            ratios = [ratio for _, _, ratio in found[label]]
            median = statistics.median(ratios)
            outcome.cases.append(
                {
                    "case": label,
                    "n": n,
                    "on_ms": round(statistics.median(on for on, _, _ in found[label]), 4),
                    "off_ms": round(statistics.median(off for _, off, _ in found[label]), 4),
                    "ratio": round(median, 3),
                    "ratios": [round(ratio, 3) for ratio in ratios],
                    "goal": goal,
                    "met": None if goal is None else median <= goal,
                }
            )
        return outcome


def script(checkout: Path, name: str) -> Path:
    """A script of bench/: the checkout's own when it has it (an older checkout may lack a newer script: ours)."""
    own = checkout / "bench" / name
    return own if own.is_file() else REPO / "bench" / name


def per_sim(sample: Sample) -> float:
    match = PER_SIM.search(sample.stderr)
    if match is None:
        raise BenchError(f"no per_sim in the output: {sample.stderr.strip()[-200:]}")
    return float(match.group(1))


def our_launcher() -> list[str]:
    """The ``runbook`` console script beside this interpreter, else ``python -m toolkit``: either imports the
    toolkit of the checkout PYTHONPATH names (ours and a baseline's alike), so a checkout needs no venv of its own."""
    console = Path(sys.executable).with_name("runbook")
    return [str(console)] if console.is_file() else [sys.executable, "-m", "toolkit"]


def shown(command: Sequence[str], out: Path | None = None) -> str:
    """A command as the report shows it: the interpreter as python, folders named rather than spelled out."""
    if len(command) > 40:
        command = [*command[:3], "<corpus files>"]
    text = " ".join(command)
    names = [(sys.executable, "python"), (str(CORPUS), "<corpus>"), (str(REPO) + "/", "")]
    for long, short in [*([(str(out), "<new folder>")] if out is not None else []), *names]:
        text = text.replace(long, short)
    return text


def compile_checkouts(checkouts: Sequence[Path]) -> None:
    """Byte-compile each checkout's toolkit first, as ``pip install`` does, so no side's first run pays for it."""
    for checkout in checkouts:
        folders = [str(checkout / name) for name in ("toolkit", "runbooks", "bench") if (checkout / name).is_dir()]
        subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=False, capture_output=True)


def number(value: float, unit: str) -> str:
    return f"{value:.4f}" if unit == "ms/sim" else f"{value:.1f}"


def spread(stats: Stats, unit: str) -> str:
    return f"{number(stats.low, unit)}-{number(stats.high, unit)}"


def report_text(outcomes: Sequence[Outcome], info: dict[str, Any], args: argparse.Namespace) -> str:
    load = " ".join(f"{value:g}" for value in info["load_average_at_start"])
    lines = [
        f"machine: {info['cpu']}, {info['cores']} cores, load average at start {load}; Python {info['python']};"
        f" node {info['node'] or 'absent'}",
        f"{args.runs} runs per side of each row ({args.property_runs} for the properties, up to 3 for memory), sides"
        " taking turns; medians, spread min-max; ratio = ours / peer of the medians",
    ]
    before = "before" in {side for outcome in outcomes for side in outcome.sides}
    header = ["row", "unit", "ours", "spread", "peer", "spread", "ratio", "cpu", "goal", "met"]
    if before:
        header += ["before", "spread", "ours/before"]
    table = [header]
    notes = []
    for outcome in outcomes:
        row = outcome.row
        if outcome.skipped is not None:
            notes.append(f"{row.id}: skipped ({outcome.skipped})")
            continue
        if row.kind == "iam":
            for case in outcome.cases:
                case_met = "" if case["met"] is None else ("yes" if case["met"] else "NO")
                goal = "" if case["goal"] is None else f"<= {case['goal']:g}x"
                cells = [case["case"], "on/off", f"{case['ratio']:.2f}"]
                cells += [f"{min(case['ratios']):.2f}-{max(case['ratios']):.2f}", "", "", "", "", goal, case_met]
                table.append(cells + ([""] * 3 if before else []))
            continue
        ours, peer = outcome.sides["ours"], outcome.sides.get("peer")
        ratio = outcome.ratio()
        cpu = None
        if row.kind == "process" and peer is not None:
            cpu = outcome.cpu["ours"].median / outcome.cpu["peer"].median
        met = outcome.met()
        cells = [
            row.id,
            row.unit,
            number(ours.median, row.unit),
            spread(ours, row.unit),
            "" if peer is None else number(peer.median, row.unit),
            "" if peer is None else spread(peer, row.unit),
            "" if ratio is None else f"{ratio:.2f}",
            "" if cpu is None else f"{cpu:.2f}",
            "" if row.goal is None else str(row.goal),
            "" if met is None else ("yes" if met else "NO"),
        ]
        if before:
            found = outcome.sides.get("before")
            to_before = outcome.ratio("before")
            cells += [
                "" if found is None else number(found.median, row.unit),
                "" if found is None else spread(found, row.unit),
                "" if to_before is None else f"{to_before:.2f}",
            ]
        table.append(cells)
        notes.append(f"{row.id}: {row.title}. ours: {outcome.commands.get('ours', '')}")
        if "peer" in outcome.commands:
            notes.append(f"{' ' * len(row.id)}  peer: {outcome.commands['peer']}")
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    for line in table:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    rss = [outcome for outcome in outcomes if outcome.row.kind == "process" and "ours" in outcome.rss]
    if rss:
        lines.append(
            "peak RSS (MB, median) of the timed processes: "
            + "; ".join(
                f"{outcome.row.id} ours {outcome.rss['ours'].median:.0f}"
                + (f", peer {outcome.rss['peer'].median:.0f}" if "peer" in outcome.rss else "")
                for outcome in rss
            )
        )
    return "\n".join([*lines, "cpu: ratio of the medians of CPU time (user + system), ours / peer", *notes])


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _rows(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ROW_IDS]
    if unknown or not names:
        what = f"unknown row {', '.join(unknown)}" if unknown else "no row named"
        raise argparse.ArgumentTypeError(f"{what}: choose from {', '.join(ROW_IDS)}")
    return names


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=_positive, default=10, metavar="N", help="timed runs per side of a row (10)")
    parser.add_argument(
        "--property-runs", type=_positive, default=1, metavar="N", help="pytest processes per side, properties row (1)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (text)")
    parser.add_argument(
        "--only",
        type=_rows,
        action="append",
        metavar="ROW[,ROW]",
        help=f"run only these rows (repeatable): {', '.join(ROW_IDS)}",
    )
    parser.add_argument("--iam-only", action="store_true", help="only the IAM on/off row (the same as --only iam)")
    parser.add_argument(
        "--peers-dir", type=Path, default=PEERS_CACHE, metavar="DIR", help=f"scratch install of peers ({PEERS_CACHE})"
    )
    parser.add_argument(
        "--peers-source", type=Path, default=PEERS_SOURCE, metavar="DIR", help=f"peers to copy ({PEERS_SOURCE})"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="CHECKOUT",
        help="also time another checkout of the toolkit (run with PYTHONPATH=CHECKOUT) in the same run",
    )
    args = parser.parse_args(argv)
    if args.baseline is not None and not (args.baseline / "toolkit" / "__init__.py").is_file():
        parser.error(f"--baseline {args.baseline}: not a checkout of the toolkit (no toolkit/__init__.py)")
    return args


def selected(args: argparse.Namespace) -> list[Row]:
    wanted = {name for names in args.only or [] for name in names} | ({"iam"} if args.iam_only else set())
    return [row for row in ROWS if not wanted or row.id in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    with tempfile.TemporaryDirectory(prefix="runbook-bench.") as scratch:
        bench = Bench(args, Path(scratch))
        compile_checkouts(list(bench.checkouts.values()))
        try:
            outcomes = [bench.row(row) for row in selected(args)]
        except BenchError as err:
            print(f"bench: {err}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 130
    if args.format == "json":
        report = {"machine": info, "runs": args.runs, "property_runs": args.property_runs}
        report["rows"] = [outcome.as_json() for outcome in outcomes]
        print(json.dumps(report, indent=1))
    else:
        print(report_text(outcomes, info, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
