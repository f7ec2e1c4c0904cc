"""The toolkit's version, in a module of its own so that any wing can name it without importing the package."""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.1.0"
