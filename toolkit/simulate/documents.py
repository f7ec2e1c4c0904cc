"""Finding the document an aws:executeAutomation step names: the project's runbooks, then a search path.

The search path is ``RUNBOOK_DOCUMENTS`` (folders separated by ``os.pathsep``), then the working folder; a document
named N is the file N.yaml, N.yml or N.json in one of them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SUFFIXES = (".yaml", ".yml", ".json")


def find_document(name: str) -> dict[str, Any] | None:
    from toolkit.build import load_runbook, runbook_modules

    if name in runbook_modules():
        return load_runbook(name).to_dict()
    for folder in search_path():
        for suffix in SUFFIXES:
            path = folder / f"{name}{suffix}"
            if path.is_file():
                from toolkit.source import read_data

                data, _ = read_data(path.read_text(encoding="utf-8-sig"), file=str(path))
                return data
    return None


def search_path() -> list[Path]:
    folders = [Path(part) for part in os.environ.get("RUNBOOK_DOCUMENTS", "").split(os.pathsep) if part]
    return [*folders, Path.cwd()]
