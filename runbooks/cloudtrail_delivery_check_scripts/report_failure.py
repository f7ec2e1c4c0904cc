"""End the execution Failed with the alarm's text, so the automation-failure alarm fires as well.

aws:executeScript handler ``handler(events, context)``: Automation has no action that fails on purpose, and a script
that raises fails its step (and, with the default onFailure Abort, the execution) with the exception's message.
"""

from __future__ import annotations

from typing import Any


class DeliveryFailing(Exception):
    """The trail has a current delivery error (the message says which, and since when)."""


def handler(events: dict[str, Any], context: Any) -> dict[str, Any]:
    raise DeliveryFailing(str(events["Message"]))
