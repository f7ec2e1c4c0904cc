"""The base of every piece of fake state, and the rule that makes copying a world cheap.

Records are never changed in place once a world holds them: an operation clones the record, changes the clone and
stores it in its world's table. Nested JSON values (policies, selectors, tags) are likewise replaced, never edited.
So a world copy only copies its tables, and two copies share every record until one of them changes it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Self

CREATED = datetime(2025, 1, 1, tzinfo=UTC)
"""When the fake account's resources were created (before any simulated execution starts)."""


class Record:
    """A piece of fake state; ``clone()`` is a shallow copy (about 0.3 µs) to change before storing it back."""

    def clone(self) -> Self:
        twin = object.__new__(type(self))
        twin.__dict__ = self.__dict__.copy()  # a dict's copy is one block copy: half the time of update's inserts
        return twin
