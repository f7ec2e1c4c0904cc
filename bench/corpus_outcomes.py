"""How the public corpus ends when simulated with sample parameters in the default world: statuses, and the
operations that stopped a run as not modelled (fakes) or not implemented (moto), counted per operation.

Usage: ``python bench/corpus_outcomes.py [CORPUS_DIR] [--format json]`` (default ``../shared/corpus``). Run from a
checkout; it prints the counts the issue "The open world" asks for before and after.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from tests.simulate.sample import sample_run
from toolkit.simulate import Options, simulate
from toolkit.source import read_data

NOT_MODELED = re.compile(r"does not model (\S+) (\w+)|(\S+) (\w+) is not (?:modell?ed|implemented)")
PLACEHOLDER = "build-time placeholder"


def main() -> int:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    corpus = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    statuses: Counter[str] = Counter()
    stopped: Counter[str] = Counter()
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()):
        data, _ = read_data(path.read_text(encoding="utf-8-sig"), file=str(path))
        params, world = sample_run(data)
        result = simulate(data, params, world, options=Options(cpu_seconds=1.0))
        statuses[result.status or "(did not start)"] += 1
        messages = [step.failure_message or "" for step in result.steps if step.status != "Success"]
        last = messages[-1] if messages else ""
        found = NOT_MODELED.search(last)
        if found is not None:
            stopped[" ".join(part for part in found.groups() if part)] += 1
        elif PLACEHOLDER in last:
            statuses["(stopped at a build-time script placeholder)"] += 1
    report = {"statuses": dict(statuses.most_common()), "stopped_not_modeled": dict(stopped.most_common())}
    if "--format" in sys.argv and "json" in sys.argv:
        print(json.dumps(report, indent=1))
    else:
        print("statuses:", ", ".join(f"{name} {count}" for name, count in statuses.most_common()))
        print(f"stopped as not modelled: {sum(stopped.values())} runs, {len(stopped)} operations")
        for what, count in stopped.most_common():
            print(f"  {count:4d}  {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
