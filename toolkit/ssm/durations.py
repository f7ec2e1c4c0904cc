"""ISO 8601 durations, as aws:sleep's ``Duration`` takes them (PT5M, P1DT2H, PT0.5S).

Source: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-sleep.html
"""

from __future__ import annotations

import re
from typing import Final

MINUTE: Final = 60
HOUR: Final = 60 * MINUTE
DAY: Final = 24 * HOUR

DURATION: Final = re.compile(
    r"\AP(?!\Z)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?\Z"
)


def duration_seconds(text: object) -> float | None:
    """The seconds an ISO 8601 duration stands for, or None when ``text`` is not one."""
    match = DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    weeks, days, hours, minutes, seconds = (float(group) if group else 0.0 for group in match.groups())
    return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds
