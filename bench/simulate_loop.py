"""Simulations of the peer's reference runbook in one process, timed like the peer's ``bench N quiet``.

The document is compiled once, one simulation warms up, then N simulations alternate a world where the trail
exists and one where it does not; ``per_sim`` is the total time over N.

Usage: ``python bench/simulate_loop.py N [--mock]``. By default the calls go to the faithful fake world (bucket
and key policies evaluated, trails stored and checked). With ``--mock`` they are answered from canned responses,
as the peer's ``MockAwsInvoker`` answers them: the like-for-like comparison of the two interpreters.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from toolkit.fakes.world import World
from toolkit.load import load
from toolkit.simulate import simulate

DOCUMENT = Path(__file__).resolve().parent / "data" / "reference-runbook.yaml"
PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}


TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"


def mock(world: World, exists: bool) -> None:
    """Canned answers, like the peer's mock: DescribeTrails per the world, every other call the trail's ARN."""
    trails = [{"Name": "main", "TrailARN": TRAIL_ARN, "IsMultiRegionTrail": False}] if exists else []
    world.register("cloudtrail", "DescribeTrails", lambda params: {"trailList": trails})
    for operation in ("CreateTrail", "UpdateTrail", "StartLogging", "PutEventSelectors", "PutInsightSelectors"):
        world.register("cloudtrail", operation, lambda params: {"TrailARN": TRAIL_ARN})


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    doc = load(DOCUMENT)
    exists = World.default()
    data = exists.to_dict()
    data["Trails"] = []
    absent = World.from_dict(data)
    if "--mock" in sys.argv:
        mock(exists, True)
        mock(absent, False)
    simulate(doc, PARAMS, exists)
    start = time.perf_counter()
    ok = 0
    for index in range(n):
        result = simulate(doc, PARAMS, exists if index % 2 == 0 else absent)
        ok += result.status == "Success"
    total = (time.perf_counter() - start) * 1000
    sys.stderr.write(f"bench n={n} ok={ok} total={total:.1f}ms per_sim={total / n:.4f}ms\n")
    return 0 if ok == n else 1


if __name__ == "__main__":
    raise SystemExit(main())
