"""Build runbooks (or documents) into canonical YAML and JSON, written atomically."""

from __future__ import annotations

from pathlib import Path

from toolkit.documents import read_document, read_runbook
from toolkit.files import write_atomic
from toolkit.project import runbook_files
from toolkit.records import Record
from toolkit.render import to_data, to_json_text, to_yaml_text


class Built(Record):
    """One runbook built: its document name and the two files written (a ``Record``: the frozen slotted dataclass it
    was, without its cost at import, issue 19)."""

    __slots__ = _FIELDS = ("name", "yaml", "json")
    name: str
    yaml: Path
    json: Path

    def __init__(self, name: str, yaml: Path, json: Path) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "yaml", yaml)
        object.__setattr__(self, "json", json)


def runbook_modules() -> dict[str, str]:
    """Document name -> module file, for every runbook of the project (``toolkit.project``); the Makefile's
    ``RUNBOOK_NAMES`` lists its keys."""
    return {name: str(path) for name, path in runbook_files().items()}


def build_all(specs: list[str], out: Path) -> list[Built]:
    """Build each runbook (name or module path) or document file, all the project's runbooks when none is named,
    into ``out``. Nothing is written unless all build."""
    read = [read_document(spec) for spec in specs] if specs else [read_runbook(name) for name in runbook_files()]
    built = []
    for document in read:
        assert document.name is not None
        data = to_data(document.model())
        yaml_path = out / f"{document.name}.yaml"
        json_path = out / f"{document.name}.json"
        write_atomic(yaml_path, to_yaml_text(data))
        write_atomic(json_path, to_json_text(data))
        built.append(Built(document.name, yaml_path, json_path))
    return built
