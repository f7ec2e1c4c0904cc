"""The cold-simulate row's work, as the peer's ``node cloudtrail.js sim`` does it, in one fresh process: read the
reference runbook once (as ``runbook simulate`` reads a document: its data, compiled into a plan, without building
the typed model), simulate it in a world where the trail exists and in one where it does not, and print both
results with the AWS calls each made (the peer prints its executed steps, outputs and calls as JSON on stderr).

Ours runs in the faithful fake world with IAM on (the defaults of ``runbook simulate``): the default world (its
trail ``main`` exists, stopped) and a copy of it without trails; every call is authorized as IAM would and answered
by the fakes (bucket and key policies evaluated on CreateTrail and UpdateTrail). The peer answers from canned
responses (``MockAwsInvoker``): ours does strictly more work. Both make the same five calls on each branch
(DescribeTrails, then UpdateTrail or CreateTrail, StartLogging, PutEventSelectors, PutInsightSelectors).

Usage: ``python bench/simulate_both.py [DOCUMENT]`` (default: bench/data/reference-runbook.yaml). Prints one JSON
list, ``[{"exists": true, "result": ...}, {"exists": false, "result": ...}]``, each result as ``runbook simulate
--format json`` prints it; exit 0 when both succeed, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from toolkit.documents import read_document
from toolkit.fakes.world import World
from toolkit.simulate.simulator import simulate

DOCUMENT = Path(__file__).resolve().parent / "data" / "reference-runbook.yaml"
PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}


def main(argv: list[str]) -> int:
    doc = read_document(Path(argv[0]) if argv else DOCUMENT)
    exists = World.default()
    data = exists.to_dict()
    data["Trails"] = []
    absent = World.from_dict(data)
    results = [(True, simulate(doc, PARAMS, exists)), (False, simulate(doc, PARAMS, absent))]
    entries = [f'{{"exists": {json.dumps(flag)}, "result": {result.to_json()}}}' for flag, result in results]
    sys.stdout.write("[\n" + ",\n".join(entries) + "\n]\n")
    return 0 if all(result.status == "Success" for _, result in results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
