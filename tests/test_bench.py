"""The benchmark's instrument, not its figures (nothing here times anything): bench/run.py's arguments and rows,
cold rows that really start cold, the baseline run through this interpreter, and the bench data doing the peer's
work (the reference runbook built from Python is the YAML one; both branches simulated make the peer's calls)."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from collections.abc import Mapping, Sequence
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from toolkit.documents import read_runbook_module

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A script of bench/ as a module (bench/ is not a package: its scripts import each other as top-level)."""
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_reference_runbook_built_from_python_is_the_yaml_one() -> None:
    built = read_runbook_module(BENCH / "data" / "reference_runbook.py").data
    assert built == yaml.safe_load((BENCH / "data" / "reference-runbook.yaml").read_text())


# What ``node cloudtrail.js sim`` prints as its calls (its trail is MyTrail, its bucket my-trail-bucket and its key
# a key ARN; ours are the default world's main, trail-logs-123456789012 and alias/cloudtrail).
PEER_CALLS = {
    True: ["DescribeTrails", "UpdateTrail", "StartLogging", "PutEventSelectors", "PutInsightSelectors"],
    False: ["DescribeTrails", "CreateTrail", "StartLogging", "PutEventSelectors", "PutInsightSelectors"],
}
SETTINGS = {
    "Name": "main",
    "S3BucketName": "trail-logs-123456789012",
    "IsMultiRegionTrail": True,
    "EnableLogFileValidation": True,
    "KmsKeyId": "alias/cloudtrail",
}


def test_the_cold_simulation_runs_both_branches_making_the_peers_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    both = bench_module("simulate_both", monkeypatch)
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert both.main([]) == 0
    results = json.loads(printed.getvalue())
    assert [entry["exists"] for entry in results] == [True, False]
    for entry in results:
        result = entry["result"]
        assert result["status"] == "Success"
        calls = result["calls"]
        assert [call["operation"] for call in calls] == PEER_CALLS[entry["exists"]]
        assert all(call["error"] is None for call in calls)
        assert calls[0]["params"] == {"trailNameList": ["main"], "includeShadowTrails": False}
        assert calls[1]["params"] == SETTINGS
        assert calls[2]["params"] == {"Name": "main"}
        assert calls[3]["params"]["EventSelectors"] == [{"ReadWriteType": "All", "IncludeManagementEvents": True}]
        assert calls[4]["params"]["InsightSelectors"] == [{"InsightType": "ApiCallRateInsight"}]


def test_only_selects_rows_and_an_unknown_row_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run = bench_module("run", monkeypatch)
    args = run.parse_args(["--only", "loop,one-doc", "--only", "properties"])
    assert [row.id for row in run.selected(args)] == ["one-doc", "loop", "properties"]
    assert [row.id for row in run.selected(run.parse_args([]))] == list(run.ROW_IDS)
    assert [row.id for row in run.selected(run.parse_args(["--iam-only"]))] == ["iam"]
    with pytest.raises(SystemExit) as exit_:
        run.parse_args(["--only", "loop,nope"])
    assert exit_.value.code == 2
    assert "unknown row nope" in capsys.readouterr().err


def test_every_row_names_existing_files_and_a_goal_from_the_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    run = bench_module("run", monkeypatch)
    for row in run.ROWS:
        for arg in row.ours:
            if arg.startswith(run.SCRIPT):
                assert (BENCH / arg.removeprefix(run.SCRIPT)).is_file(), (row.id, arg)
        assert row.kind == "iam" or row.goal is not None, row.id
        assert row.caches in ("cold", "warm")
    goals = {row.id: str(row.goal) for row in run.ROWS if row.goal is not None}
    assert goals["corpus-warm"] == "<= 0.5x" and goals["corpus-cold"] == "< 1x" and goals["one-doc"] == "<= 0.4x"
    assert goals["loop"] == "<= 0.2x" and goals["simulate-cold"] == "<= 0.4x"
    assert goals["properties"] == "< 20" and goals["rss-corpus"] == goals["rss-loop"] == "< 150"


class Recorder:
    """Stands in for ``procs.run``: records each process's command, folder and cache folder (empty or not)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Path, str, bool]] = []

    def __call__(self, command: Sequence[str], cwd: Path, env: Mapping[str, str], ok_exit: Any = None) -> Any:
        cache = Path(env["XDG_CACHE_HOME"])
        self.calls.append((" ".join(command), cwd, str(cache), not any(cache.iterdir())))
        (cache / "ssm-runbook-toolkit").mkdir(exist_ok=True)  # what a run leaves behind
        from procs import Sample  # lazy: bench/ is on sys.path only once bench_module put it there

        return Sample(100.0, 90.0, 30.0, "", "bench n=1 ok=1 total=1.0ms per_sim=0.1000ms\n")


def bench_of(run: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[Any, Recorder]:
    recorder = Recorder()
    monkeypatch.setattr(run, "run", recorder)
    monkeypatch.setattr(run, "install_peer", lambda name, source, cache: tmp_path / name)
    return run.Bench(run.parse_args(list(argv)), tmp_path), recorder


def test_a_cold_row_gives_every_run_a_fresh_empty_cache_and_has_no_warm_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = bench_module("run", monkeypatch)
    bench, recorder = bench_of(run, tmp_path, monkeypatch, "--runs", "3")
    row = next(row for row in run.ROWS if row.id == "corpus-cold")
    outcome = bench.row(row)
    assert len(recorder.calls) == 6  # 3 runs per side, nothing untimed
    caches = [cache for _, _, cache, _ in recorder.calls]
    assert len(set(caches)) == 6 and all(empty for _, _, _, empty in recorder.calls)
    peer_first = [command.startswith("node ") for command, _, _, _ in recorder.calls]
    assert peer_first == [False, True, True, False, False, True]  # ABBA
    assert outcome.sides["ours"].n == outcome.sides["peer"].n == 3
    assert outcome.ratio() == 1.0 and outcome.met() is False  # 1.0 is not under 1x


def test_a_warm_row_reuses_one_cache_per_side_after_an_untimed_warm_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = bench_module("run", monkeypatch)
    bench, recorder = bench_of(run, tmp_path, monkeypatch, "--runs", "3")
    row = next(row for row in run.ROWS if row.id == "corpus-warm")
    outcome = bench.row(row)
    assert len(recorder.calls) == 8  # one warm-up round, then 3 runs per side
    ours = [(cache, empty) for command, _, cache, empty in recorder.calls if not command.startswith("node ")]
    assert len({cache for cache, _ in ours}) == 1 and [empty for _, empty in ours] == [True, False, False, False]
    assert outcome.sides["ours"].n == 3


def test_the_relint_row_drops_the_kept_findings_before_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """corpus-relint is corpus-warm without the kept findings: every document is linted again each run."""
    run = bench_module("run", monkeypatch)
    seen: list[bool] = []
    bench, recorder = bench_of(run, tmp_path, monkeypatch, "--runs", "3")

    def lints(command: Sequence[str], cwd: Path, env: Mapping[str, str], ok_exit: Any = None) -> Any:
        findings = Path(env["XDG_CACHE_HOME"], "ssm-runbook-toolkit", "lint", "findings.marshal")
        ours = command[0] != "node"
        if ours:
            seen.append(findings.exists())
        sample = recorder(command, cwd, env, ok_exit)
        if ours:
            findings.parent.mkdir(parents=True, exist_ok=True)
            findings.write_bytes(b"kept")  # what our lint leaves behind
        return sample

    monkeypatch.setattr(run, "run", lints)
    row = next(row for row in run.ROWS if row.id == "corpus-relint")
    assert row.ours == next(row for row in run.ROWS if row.id == "corpus-warm").ours and row.caches == "warm"
    bench.row(row)
    assert seen == [False, False, False, False]  # the warm-up's and each timed run's: never there when it starts
    ours = [(cache, empty) for command, _, cache, empty in recorder.calls if not command.startswith("node ")]
    assert len({cache for cache, _ in ours}) == 1 and [empty for _, empty in ours] == [True, False, False, False]


def test_the_baseline_runs_through_this_interpreter_with_its_own_pythonpath(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = bench_module("run", monkeypatch)
    checkout = tmp_path / "before"
    (checkout / "toolkit").mkdir(parents=True)
    (checkout / "toolkit" / "__init__.py").write_text("")
    (checkout / "bench").mkdir()
    (checkout / "bench" / "simulate_loop.py").write_text("")  # its own loop script; it has no simulate_both.py
    bench, _ = bench_of(run, tmp_path, monkeypatch, "--baseline", str(checkout))
    rows = {row.id: row for row in run.ROWS}
    sides = {side: (command, cwd, env) for side, command, cwd, env in bench.sides(rows["one-doc"])}
    assert list(sides) == ["ours", "peer", "before"]
    command, cwd, env = sides["before"]
    assert command[: len(bench.launcher)] == bench.launcher == sides["ours"][0][: len(bench.launcher)]
    assert cwd == checkout and env == {"PYTHONPATH": str(checkout)}
    loop = {side: command for side, command, _, _ in bench.sides(rows["loop"])}
    assert loop["before"][1] == str(checkout / "bench" / "simulate_loop.py")
    both = {side: command for side, command, _, _ in bench.sides(rows["simulate-cold"])}
    assert both["before"][1] == both["ours"][1] == str(BENCH / "simulate_both.py")
    with pytest.raises(SystemExit):
        run.parse_args(["--baseline", str(tmp_path / "nowhere")])


def test_the_report_gives_each_side_its_median_and_spread_the_ratio_the_goal_and_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = bench_module("run", monkeypatch)
    checkout = tmp_path / "before"
    (checkout / "toolkit").mkdir(parents=True)
    (checkout / "toolkit" / "__init__.py").write_text("")
    args = ["--runs", "2", "--baseline", str(checkout)]
    bench, _ = bench_of(run, tmp_path, monkeypatch, *args)
    rows = {row.id: row for row in run.ROWS}
    outcomes = [bench.row(rows[name]) for name in ("one-doc", "loop", "properties")]
    info = {"cpu": "Test CPU", "cores": 2, "load_average_at_start": [1.5, 1.0, 0.5], "python": "3.11", "node": "v20"}
    text = run.report_text(outcomes, info, run.parse_args(args))
    assert text.startswith("machine: Test CPU, 2 cores, load average at start 1.5 1 0.5; Python 3.11; node v20")
    wanted = ("row ", "one-doc ", "loop ", "properties ")
    table = [" ".join(line.split()) for line in text.splitlines() if line.startswith(wanted)]
    assert table == [
        "row unit ours spread peer spread ratio cpu goal met before spread ours/before",
        "one-doc ms 100.0 100.0-100.0 100.0 100.0-100.0 1.00 1.00 <= 0.4x NO 100.0 100.0-100.0 1.00",
        "loop ms/sim 0.1000 0.1000-0.1000 0.1000 0.1000-0.1000 1.00 <= 0.2x NO 0.1000 0.1000-0.1000 1.00",
        "properties s 0.1 0.1-0.1 < 20 yes 0.1 0.1-0.1 1.00",
    ]
    entry = outcomes[0].as_json()
    assert entry["ours"] == entry["peer"] == entry["before"] == {"median": 100.0, "min": 100.0, "max": 100.0, "n": 2}
    assert entry["cpu_ms_ours"]["median"] == 90.0 and entry["rss_mb_peer"]["median"] == 30.0
    assert entry["ratio"] == entry["ratio_to_before"] == 1.0 and entry["met"] is False
    assert entry["goal"] == {"limit": 0.4, "strict": False, "of": "ratio"} and entry["caches"] == "cold"
    assert json.loads(json.dumps([outcome.as_json() for outcome in outcomes]))[2]["met"] is True
