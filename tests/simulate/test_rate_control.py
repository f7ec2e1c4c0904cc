"""SSM's rate control on the simulated clock (toolkit.simulate.rate_control).

Sources: https://docs.aws.amazon.com/systems-manager/latest/userguide/running-automations-scale-controls.html
("If you specify an absolute number of 3 errors, for example, the system stops running the automation when the
fourth error is received. If you specify 0, then the system stops running the automation on additional targets
after the first error result is returned"; "The queueing system delivers the automation to a single resource and
waits until the initial invocation is complete before sending the automation to two more resources. The system
exponentially sends the automation to more resources until the concurrency value is met") and the
StartAutomationExecution API reference (MaxConcurrency and MaxErrors: "a number, such as 10, or a percentage, such as
10%"; with 50 targets and MaxErrors 10% "the system stops running the automation on additional targets when the
sixth error is received"); botocore's patterns for MaxConcurrency and MaxErrors.
"""

from __future__ import annotations

import pytest

from toolkit.simulate.clock import Clock
from toolkit.simulate.execution import StepFailed
from toolkit.simulate.rate_control import concurrency, error_threshold, roll_out


@pytest.mark.parametrize(
    ("value", "total", "expected"),
    [("10", 3, 10), ("10%", 50, 5), ("10%", 4, 1), ("50%", 3, 2), ("100%", 7, 7), ("1%", 1, 1)],
)
def test_concurrency(value: str, total: int, expected: int) -> None:
    assert concurrency(value, total, "MaxConcurrency") == expected


@pytest.mark.parametrize(
    ("value", "total", "expected"),
    [("0", 9, 0), ("3", 9, 3), ("10%", 50, 5), ("25%", 4, 1), ("10%", 4, 0), ("0%", 4, 0), ("100%", 4, 4)],
)
def test_error_threshold(value: str, total: int, expected: int) -> None:
    assert error_threshold(value, total, "MaxErrors") == expected


@pytest.mark.parametrize("value", ["0", "01", "101%", "-1", "x", "", "1.5", True])
def test_a_concurrency_the_api_refuses(value: object) -> None:
    with pytest.raises(StepFailed, match="ValidationException: MaxConcurrency"):
        concurrency(value, 4, "MaxConcurrency")


Starts = list[tuple[int, float]]


def _run(durations: list[float], failing: set[int], limit: int, max_errors: int) -> tuple[Starts, float]:
    clock = Clock()
    starts: Starts = []

    def start(index: int) -> bool:
        starts.append((index, clock.now))
        clock.advance(durations[index])
        return index in failing

    roll_out(len(durations), limit, max_errors, start, clock)
    return starts, clock.now


def test_the_queue_ramps_up_then_starts_a_child_as_soon_as_one_ends() -> None:
    starts, end = _run([10, 10, 20, 10, 10, 10, 10, 10], set(), 4, 0)
    # one alone; two when it ends (10); four, the concurrency, when both have ended (30); from then on a child starts
    # as soon as another ends
    assert starts == [(0, 0), (1, 10), (2, 10), (3, 30), (4, 30), (5, 30), (6, 30), (7, 40)]
    assert end == 50


def test_the_error_threshold_stops_new_children_and_running_ones_finish() -> None:
    starts, _ = _run([5] * 6, {1}, 2, 0)
    assert [index for index, _ in starts] == [0, 1, 2]
    starts, _ = _run([5] * 6, {1}, 1, 0)
    assert [index for index, _ in starts] == [0, 1]
    starts, _ = _run([5] * 6, {1, 2, 3}, 1, 2)
    assert [index for index, _ in starts] == [0, 1, 2, 3]  # the third error is one more than 2


def test_a_failure_is_seen_when_the_child_ends() -> None:
    # after ramping up to 2, the long child 1 runs from 1 to 30 beside children 2 to 7, one after the other; it
    # fails at 30, while child 7 (26 to 31) runs: child 8 never starts
    starts, end = _run([1, 29, 5, 5, 5, 5, 5, 5, 5], {1}, 2, 0)
    assert starts == [(0, 0), (1, 1), (2, 1), (3, 6), (4, 11), (5, 16), (6, 21), (7, 26)]
    assert end == 31
