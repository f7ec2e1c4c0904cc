"""Fake Amazon CloudWatch Logs: log groups per region.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.logs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields

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
