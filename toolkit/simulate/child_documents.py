"""Finding the document an aws:executeAutomation step names: the world's Systems Manager documents first, as SSM
finds them, then the project's runbooks, then a search path.

The world's documents are those of the account and region the step runs in (``world.ssm.documents``, made by a
world file's ``Documents`` or by an earlier CreateDocument); DocumentVersion (a number, ``$DEFAULT`` or
``$LATEST``; none: the default version) picks the version, and a document given by its ARN is looked up in the
account and region the ARN names (sharing is not modelled: any account of the world may run it). A document of the
world that is not an Automation document, or lacks the version asked for, fails the step as StartAutomationExecution
refuses it. A name the world does not hold is looked up as before: the project's runbooks (or ``Options.documents``),
then the search path, ``RUNBOOK_DOCUMENTS`` (folders separated by ``os.pathsep``), then the working folder; a
document named N is the file N.yaml, N.yml or N.json in one of them. Both are read by ``toolkit.documents``, so a
runbook or file that cannot be read fails as it would on the command line, naming it. Those have no versions: the
step's DocumentVersion is only recorded (a number as given, else 1).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.documents import read_document_file, read_runbook
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.protocol import Backend
from toolkit.fakes.ssm.documents import ContentError, parse_content
from toolkit.files import DOCUMENT_SUFFIXES
from toolkit.project import find_runbook
from toolkit.simulate.execution import StepFailed


@dataclass(frozen=True, slots=True)
class ChildDocument:
    """The document a child automation runs: its name (never an ARN), the version recorded, its data, and its
    target type (``/AWS::EC2::Instance``...; None when the document has none or is not the world's)."""

    name: str
    version: str
    data: Mapping[str, Any]
    target_type: str | None = None


def child_document(
    backend: Backend, name: str, version: str | None, finder: Callable[[str], Any] | None = None
) -> ChildDocument:
    """The document ``name`` (and ``version``) as the step running through ``backend`` finds it; ``finder`` stands
    for the project's runbooks and the search path (``Options.documents``; None: ``find_document``). Raises
    StepFailed when it is found nowhere, or is the world's but cannot run."""
    plain, holder = _named(backend, name)
    found = _in_world(holder, plain, name, version)
    if found is not None:
        return found
    data = (finder or find_document)(plain)
    if data is None:
        raise StepFailed(
            f"document {name} was found neither in the world's Systems Manager documents of {backend.account} in "
            f"{backend.region}, nor among the project's runbooks, nor on the search path"
        )
    recorded = version if version is not None and version.isdigit() else "1"
    return ChildDocument(plain, recorded, data)


def _in_world(backend: Backend | None, plain: str, name: str, version: str | None) -> ChildDocument | None:
    if not isinstance(backend, FakeBackend):
        return None
    document = backend.world.ssm.documents.get((backend.region, plain))
    if document is None:
        return None
    if document.document_type != "Automation":
        raise StepFailed(
            f"AutomationDefinitionNotFoundException: An Automation runbook with the name {name} couldn't be found."
        )
    chosen = document.find(version, None)
    if chosen is None:
        raise StepFailed(
            "AutomationDefinitionVersionNotFoundException: An Automation runbook with the name "
            f"{name} and version {version} couldn't be found."
        )
    try:
        data = parse_content(chosen.content, chosen.format, document.document_type) or {}
    except ContentError as err:  # a world file's document is checked when read: this is a guard
        raise StepFailed(f"{err.code}: {err.reason}") from err
    return ChildDocument(document.name, str(chosen.version), data, document.target_type)


def _named(backend: Backend, name: str) -> tuple[str, Backend | None]:
    """A document's plain name and the backend of the account and region holding it: those of its ARN
    (``arn:aws:ssm:REGION:ACCOUNT:document/NAME``), else the step's own."""
    if not name.startswith("arn:"):
        return name, backend
    parts = name.split(":", 5)
    if len(parts) != 6 or parts[2] != "ssm" or not parts[5].startswith("document/"):
        return name, None
    region, account, resource = parts[3], parts[4], parts[5]
    return resource[len("document/") :], backend.elsewhere(account, region)


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
