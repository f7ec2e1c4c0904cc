"""SSM's rate control, on the simulated clock: how many child automations run at once (a concurrency) and how many
may fail before no new one starts (an error threshold), for targets (MaxConcurrency, MaxErrors) and for target
locations (TargetLocationMaxConcurrency, TargetLocationMaxErrors).

What AWS documents ("Control automations at scale", the StartAutomationExecution and TargetLocation API reference):
a value is a number or a percentage of the target set (the patterns below are botocore's); MaxConcurrency defaults
to 10, TargetLocationMaxConcurrency to 1, TargetLocationMaxErrors to 0; with an error threshold of N the system
stops starting children when error N + 1 is received (0: after the first error); children already running when it
is reached finish; the queue starts one child, waits for it, then starts two more, and grows exponentially until the
concurrency is met.

What is inferred (AWS is silent): MaxErrors defaults to 0 (as Run Command's max-errors and TargetLocationMaxErrors
do); a percentage of concurrency rounds up and is at least 1, one of errors rounds down; each ramp-up stage (1, 2,
4... children) starts when the one before has ended, and once a stage is as large as the concurrency a child starts
as soon as another ends; children are started in the order of the target set; a child that ends at the instant
another ends is seen first if it started first.

Children run one after the other in Python: the clock is set back to each child's start before it runs, and ends at
the last child's end, so each child sees the simulated time it would start at, and the step the time it ends.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from toolkit.simulate.clock import Clock
from toolkit.simulate.execution import StepFailed

CONCURRENCY: Final = re.compile(r"[1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%")
ERRORS: Final = re.compile(r"[1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%")


def concurrency(value: object, total: int, member: str) -> int:
    """How many children may run at once: a number, or a percentage of the ``total`` targets (rounded up, at least
    1). Raises StepFailed naming ``member`` for a value the API refuses."""
    text = _text(value, member, CONCURRENCY)
    if text.endswith("%"):
        return max(1, math.ceil(total * int(text[:-1]) / 100))
    return int(text)


def error_threshold(value: object, total: int, member: str) -> int:
    """How many children may fail before no new one starts: a number, or a percentage of the ``total`` targets
    (rounded down). Raises StepFailed naming ``member`` for a value the API refuses."""
    text = _text(value, member, ERRORS)
    if text.endswith("%"):
        return math.floor(total * int(text[:-1]) / 100)
    return int(text)


def _text(value: object, member: str, pattern: re.Pattern[str]) -> str:
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None or not pattern.fullmatch(text):
        raise StepFailed(
            f"ValidationException: {member} {value!r} must be a number or a percentage (such as 10 or 10%); "
            f"it must match {pattern.pattern}"
        )
    return text


@dataclass(slots=True)
class Rollout:
    """How a rate-controlled set of children went: how many started and how many of those failed."""

    total: int
    threshold: int
    started: int = 0
    errors: int = 0

    @property
    def exceeded(self) -> bool:
        """More children failed than the error threshold allows: no new child may start."""
        return self.errors > self.threshold

    @property
    def stopped(self) -> bool:
        """The error threshold was exceeded before every child started."""
        return self.started < self.total


def roll_out(total: int, limit: int, max_errors: int, start: Callable[[int], bool], clock: Clock) -> Rollout:
    """Start children ``0 .. total - 1`` in order under a concurrency ``limit`` and an error threshold
    ``max_errors``: ``start(i)`` runs child ``i`` from ``clock.now`` (the instant it starts), moving the clock to its
    end, and says whether it failed. The clock ends at the last child's end."""
    rollout = Rollout(total, max_errors)
    running: list[tuple[float, int, bool]] = []  # (end, start order, failed), the earliest end first
    now = clock.now
    stage = 1  # children the next ramp-up stage starts
    holding = False  # a ramp-up stage is running: nothing starts until all of it has ended
    while True:
        if not running:
            holding = False
        if rollout.started < total and rollout.errors <= max_errors and not holding:
            if stage < limit:
                batch = min(stage, total - rollout.started)
                stage, holding = min(stage * 2, limit), True
            else:
                batch = min(limit - len(running), total - rollout.started)
            for _ in range(batch):
                clock.now = now
                failed = start(rollout.started)
                heapq.heappush(running, (clock.now, rollout.started, failed))
                rollout.started += 1
        if not running:
            break
        end, _, failed = heapq.heappop(running)
        now = max(now, end)
        rollout.errors += failed
    clock.now = now
    return rollout
