"""JSON data as Python holds it: the one type every reader, the model and the linter share.

At the bottom of the toolkit (no imports of its own), so that readers such as ``toolkit.source`` need not import the
model to name the data they return.
"""

from __future__ import annotations

from typing import TypeAlias

JSON: TypeAlias = bool | int | float | str | list["JSON"] | dict[str, "JSON"] | None
"""A JSON value as ``json.loads`` returns it."""

Path: TypeAlias = tuple[str | int, ...]
"""Where a value stands in a document's data: the keys and list indexes from its root,
``("mainSteps", 2, "inputs", "Api")``."""

Position: TypeAlias = tuple[int, int]
"""A line and column in a document's text, both 1-based."""
