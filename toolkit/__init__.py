"""SSM Automation runbook toolkit: author, lint, simulate, publish and deploy runbooks.

Importing the package does no work: each stage is imported when it is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.version import VERSION as __version__  # noqa: F401  (the package's version, as tools read it)

if TYPE_CHECKING:
    from toolkit.model.document import Document


def load(path: str | Path) -> Document:
    """Load an Automation document (YAML or JSON) into the typed model, with its source map."""
    from toolkit.load import load as _load  # lazy: importing the package stays free of the model and PyYAML

    return _load(path)
