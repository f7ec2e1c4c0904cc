"""The simulated clock: sleeps, waits, polls and timeouts advance it; nothing really sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Executions start at a fixed instant, so the same inputs give the same output, byte for byte.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class Clock:
    """Seconds since the execution started (``now``), and the wall-clock instant they stand for."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self.start = start
        self.now = 0.0
        self._instant = (start, 0.0, start)
        """The last instant answered, with the ``start`` and ``now`` it stands for (the fakes ask several times a
        step)."""
        self._formatted: tuple[datetime, dict[str, str]] = (start, {})
        """The last instant's texts by ``strftime`` format (every script step's context formats the same two)."""

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            self.now += seconds

    def instant(self) -> datetime:
        start, now, instant = self._instant
        if now != self.now or start is not self.start:
            instant = self.start + timedelta(seconds=self.now)
            self._instant = (self.start, self.now, instant)
        return instant

    def strftime(self, time_format: str) -> str:
        """``instant().strftime(time_format)``, formatted once per instant and format."""
        instant = self.instant()
        kept_instant, texts = self._formatted
        if kept_instant is not instant:
            texts = {}
            self._formatted = (instant, texts)
        text = texts.get(time_format)
        if text is None:
            text = texts[time_format] = instant.strftime(time_format)
        return text
