"""Finding the document an aws:executeAutomation step names: the project's runbooks, then a search path.

The search path is ``RUNBOOK_DOCUMENTS`` (folders separated by ``os.pathsep``), then the working folder; a document
named N is the file N.yaml, N.yml or N.json in one of them. Both are read by ``toolkit.documents``, so a runbook or
file that cannot be read fails as it would on the command line, naming it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from toolkit.documents import read_document_file, read_runbook
from toolkit.files import DOCUMENT_SUFFIXES
from toolkit.project import find_runbook


def find_document(name: str) -> dict[str, Any] | None:
    if find_runbook(name) is not None:
        return read_runbook(name).data
    for folder in search_path():
        for suffix in DOCUMENT_SUFFIXES:
            path = folder / f"{name}{suffix}"
            if path.is_file():
                return read_document_file(path).data
    return None


def search_path() -> list[Path]:
    folders = [Path(part) for part in os.environ.get("RUNBOOK_DOCUMENTS", "").split(os.pathsep) if part]
    return [*folders, Path.cwd()]
