"""Fake Amazon CloudWatch Logs: log groups per region.

Operations: DescribeLogGroups (by ``logGroupNamePrefix`` or ``logGroupNamePattern``). Timestamps are epoch
milliseconds, as the Logs API models them (``long``), not datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.params import opt_int, opt_str
from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend, Operation

LOG_GROUP_KEYS = ("Name", "Region")
LOG_GROUP_NAME = re.compile(r"[\w./#-]{1,512}")
CREATED_MILLIS = int(CREATED.timestamp() * 1000)


@dataclass(eq=True)
class LogGroup(Record):
    name: str
    region: str

    @classmethod
    def read(cls, fields: Fields, region: str) -> LogGroup:
        name = fields.required_text("Name")
        if not LOG_GROUP_NAME.fullmatch(name):
            raise fields.fail("Name", "must be 1-512 letters, digits or the characters _ - . / #")
        return cls(name=name, region=fields.text("Region", region))

    def to_dict(self) -> dict[str, Any]:
        return {"Name": self.name, "Region": self.region}

    def arn(self, partition: str, account: str) -> str:
        """The log group's ARN without the ``:*`` suffix (``logGroupArn``)."""
        return f"arn:{partition}:logs:{self.region}:{account}:log-group:{self.name}"


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
