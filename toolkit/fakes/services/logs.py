"""The fake CloudWatch Logs's operations (``OPERATIONS``) on the state in ``toolkit.fakes.logs``.

Operations: DescribeLogGroups (by ``logGroupNamePrefix`` or ``logGroupNamePattern``). Timestamps are epoch
milliseconds, as the Logs API models them (``long``), not datetimes.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.logs import CREATED_MILLIS
from toolkit.fakes.requests import opt_int, opt_str


def describe_log_groups(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    prefix = opt_str(params, "logGroupNamePrefix")
    pattern = opt_str(params, "logGroupNamePattern")
    if prefix is not None and pattern is not None:
        raise AwsError(
            "InvalidParameterException", "LogGroup name prefix and LogGroup name pattern are mutually exclusive"
        )
    limit = opt_int(params, "limit") or 50
    groups = sorted(
        (
            group
            for group in backend.world.log_groups.values()
            if group.region == backend.region
            and (prefix is None or group.name.startswith(prefix))
            and (pattern is None or pattern.lower() in group.name.lower())
        ),
        key=lambda group: group.name,
    )
    listed = []
    for group in groups[:limit]:
        arn = group.arn(backend.partition, backend.account)
        listed.append(
            {
                "logGroupName": group.name,
                "creationTime": CREATED_MILLIS,
                "metricFilterCount": 0,
                "arn": f"{arn}:*",
                "storedBytes": 0,
                "logGroupClass": "STANDARD",
                "logGroupArn": arn,
            }
        )
    return {"logGroups": listed}


OPERATIONS: dict[str, Operation] = {"DescribeLogGroups": describe_log_groups}
