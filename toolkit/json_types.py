"""JSON data as Python holds it: the one type every reader, the model and the linter share.

At the bottom of the toolkit (no imports of its own), so that readers such as ``toolkit.source`` need not import the
model to name the data they return.
"""

from __future__ import annotations

from typing import TypeAlias

JSON: TypeAlias = bool | int | float | str | list["JSON"] | dict[str, "JSON"] | None
"""A JSON value as ``json.loads`` returns it."""
