"""How long each trail was not delivering its logs during a scenario.

A trail is off when the world has no trail of that name (``absent``), when it is not logging (``not logging``),
or when GetTrailStatus, asked through the world's backend, reports a LatestDeliveryError (``delivery error:
CODE``): the bucket or key stopped accepting its log files while it still reports IsLogging true. Digest and
notification errors do not count: the log files still arrive. The loop looks after every thing it does (an event,
an evaluation, a remediation, a scheduled automation), every ``LOOK_EVERY`` seconds in between (CloudTrail delivers
every five minutes, so a delivery error shows at the attempt that meets it, which may fall between two things the
loop does), and at the end; what it sees at one look holds until the next, so a trail stopped and remediated at
one instant is off for 0 seconds, in an interval from that instant to itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.scenario.expect import find_trail, number

LOOK_EVERY = 300.0
"""Seconds between two looks when nothing else happens: CloudTrail's delivery period ("log files are generally
published every 5 minutes")."""


class DeliveryWatch:
    """Follows the delivery of the named trails; ``report()`` gives each one's seconds off and intervals."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self.state: dict[str, str | None] = dict.fromkeys(self.names)
        """Each trail's reason to be off (None: delivering), as last seen."""
        self.intervals: dict[str, list[dict[str, Any]]] = {name: [] for name in self.names}
        self.seen = False

    def observe(self, time: float, world: World, now: Callable[[], datetime]) -> list[str]:
        """Look at every trail at ``time``; the changes, as log lines."""
        changes = []
        for name in self.names:
            reason = off_reason(world, name, now)
            before = self.state[name] if self.seen else None
            if reason == before:
                continue
            self.state[name] = reason
            intervals = self.intervals[name]
            if before is not None:
                intervals[-1]["to"] = time
            if reason is not None:
                intervals.append({"from": time, "to": None, "reason": reason})
                changes.append(f"{name} off: {reason}")
            else:
                changes.append(f"{name} delivering")
        self.seen = True
        return changes

    def report(self, end: float) -> dict[str, dict[str, Any]]:
        """Each trail's ``off_seconds`` and ``intervals`` (``from``, ``to``, ``reason``), an open interval closed at
        ``end``."""
        shown = {}
        for name in self.names:
            intervals = [
                {
                    "from": number(item["from"]),
                    "to": number(end if item["to"] is None else item["to"]),
                    "reason": item["reason"],
                }
                for item in self.intervals[name]
            ]
            total = sum(item["to"] - item["from"] for item in intervals)
            shown[name] = {"off_seconds": number(total), "intervals": intervals}
        return shown


def off_reason(world: World, name: str, now: Callable[[], datetime]) -> str | None:
    """Why trail ``name`` is not delivering now (None: it is)."""
    key = find_trail(world, name)
    if key is None:
        return "absent"
    try:
        status = world.backend(key[0], now).call("cloudtrail", "GetTrailStatus", {"Name": name})
    except AwsError as err:
        return "absent" if err.code == "TrailNotFoundException" else f"GetTrailStatus: {err.code}"
    if not status.get("IsLogging"):
        return "not logging"
    error = status.get("LatestDeliveryError")
    return f"delivery error: {error}" if error else None
