"""Simulations of a CloudTrail runbook in one process, timed like the peer's ``bench N quiet``.

The document is compiled once, one simulation warms up, then N simulations alternate a world where the trail
exists and one where it does not; ``per_sim`` is the total time over N.

Usage: ``python bench/simulate_loop.py N [--mock] [--no-iam]``. By default the calls go to the faithful fake world
(bucket and key policies evaluated, trails stored and checked). With ``--mock`` they are answered from canned
responses, as the peer's ``MockAwsInvoker`` answers them: the like-for-like comparison of the two interpreters.
With ``--no-iam`` every call is allowed, as before IAM (issue 15).

``python bench/simulate_loop.py N --iam [--role] [--runbook]`` times what IAM's authorization of every call costs:
the same N simulations with IAM on (``Options(iam=True)``, the default) and with IAM off (``Options(iam=False)``,
``runbook simulate --no-iam``), in one process, in alternating blocks (on, off, off, on, ...: ABBA, so both sides
share the process's and the machine's drift), after one warm-up simulation of each; it reports ``iam_on``,
``iam_off`` (per simulation) and ``ratio``: the median over the quartets (on, off, off, on) of on / off. The calls
are made as the world's default caller (the
``Admin`` role with AdministratorAccess), or with ``--role`` as the deploy template's least-privilege remediation
role (``toolkit.deploy.template.deployed_role``, added to both worlds and passed as ``AutomationAssumeRole``).
``--runbook`` runs the project's own runbook (cloudtrail-remediation-action, its aws:executeScript steps
included) instead of the peer's reference runbook.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from toolkit.deploy.template import deployed_role
from toolkit.documents import read_document
from toolkit.fakes.world import World
from toolkit.load import load
from toolkit.simulate import simulate
from toolkit.simulate.execution import Options

DOCUMENT = Path(__file__).resolve().parent / "data" / "reference-runbook.yaml"
RUNBOOK = "cloudtrail-remediation-action"
PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}
ROLE_NAME = "CloudTrailRemediation"
BLOCKS = 20  # blocks per side in --iam mode (alternating on and off, ABBA)


TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"


def mock(world: World, exists: bool) -> None:
    """Canned answers, like the peer's mock: DescribeTrails per the world, every other call the trail's ARN."""
    trails = [{"Name": "main", "TrailARN": TRAIL_ARN, "IsMultiRegionTrail": False}] if exists else []
    world.register("cloudtrail", "DescribeTrails", lambda params: {"trailList": trails})
    for operation in ("CreateTrail", "UpdateTrail", "StartLogging", "PutEventSelectors", "PutInsightSelectors"):
        world.register("cloudtrail", operation, lambda params: {"TrailARN": TRAIL_ARN})


def worlds(role: bool) -> tuple[World, World, dict[str, str]]:
    """The world where the trail exists, the one where it does not, and the runbook's parameters; with ``role``,
    both worlds hold the deploy template's remediation role and the parameters name it as the assume role."""
    data = World.default().to_dict()
    params = dict(PARAMS)
    if role:
        account, region = data["Account"], data["Region"]
        entry = deployed_role(
            account=account,
            region=region,
            trail_name=PARAMS["CloudTrailName"],
            role_name=ROLE_NAME,
            parameters={"IsOrganizationTrail": "true"},  # the runbook's default, which PARAMS leave as it is
        )
        data["Roles"] = [*data.get("Roles", []), entry]
        params["AutomationAssumeRole"] = f"arn:{data['Partition']}:iam::{account}:role{entry['Path']}{entry['Name']}"
    exists = World.from_dict(data)
    data["Trails"] = []
    return exists, World.from_dict(data), params


def iam_ratio(n: int, role: bool, runbook: bool) -> int:
    """The --iam mode: IAM on against IAM off, alternating blocks in one process."""
    doc: Any = read_document(RUNBOOK) if runbook else load(DOCUMENT)
    exists, absent, params = worlds(role)
    sides = {"on": Options(iam=True), "off": Options(iam=False)}
    for options in sides.values():  # warm-up: plans, the SAR's files, compiled policies
        for world in (exists, absent):
            if simulate(doc, params, world, options=options).status != "Success":
                sys.stderr.write(f"bench: the warm-up simulation did not succeed ({options})\n")
                return 1
    block = max(n // BLOCKS, 2)
    totals = {"on": 0.0, "off": 0.0}
    quartet = {"on": 0.0, "off": 0.0}
    ratios: list[float] = []
    ok = 0
    for index in range(BLOCKS * 2):
        side = ("on", "off", "off", "on")[index % 4]
        options = sides[side]
        start = time.perf_counter()
        for sim in range(block):
            ok += simulate(doc, params, exists if sim % 2 == 0 else absent, options=options).status == "Success"
        spent = time.perf_counter() - start
        totals[side] += spent
        quartet[side] += spent
        if index % 4 == 3:  # on, off, off, on: one ratio per quartet, so slow drift of the machine cancels out
            ratios.append(quartet["on"] / quartet["off"])
            quartet = {"on": 0.0, "off": 0.0}
    runs = block * BLOCKS
    on, off = totals["on"] * 1000 / runs, totals["off"] * 1000 / runs
    sys.stderr.write(
        f"bench n={runs} per side ok={ok} iam_on={on:.4f}ms iam_off={off:.4f}ms ratio={statistics.median(ratios):.3f}"
        f" caller={'least-privilege role' if role else 'Admin'} document={RUNBOOK if runbook else DOCUMENT.name}\n"
    )
    return 0 if ok == 2 * runs else 1


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if "--iam" in sys.argv:
        return iam_ratio(n, "--role" in sys.argv, "--runbook" in sys.argv)
    doc = load(DOCUMENT)
    exists = World.default()
    data = exists.to_dict()
    data["Trails"] = []
    absent = World.from_dict(data)
    if "--mock" in sys.argv:
        mock(exists, True)
        mock(absent, False)
    # --no-iam: every call allowed (``runbook simulate --no-iam``), to compare with a toolkit from before IAM
    options = Options(iam="--no-iam" not in sys.argv)
    simulate(doc, PARAMS, exists, options=options)
    start = time.perf_counter()
    ok = 0
    for index in range(n):
        result = simulate(doc, PARAMS, exists if index % 2 == 0 else absent, options=options)
        ok += result.status == "Success"
    total = (time.perf_counter() - start) * 1000
    sys.stderr.write(f"bench n={n} ok={ok} total={total:.1f}ms per_sim={total / n:.4f}ms\n")
    return 0 if ok == n else 1


if __name__ == "__main__":
    raise SystemExit(main())
