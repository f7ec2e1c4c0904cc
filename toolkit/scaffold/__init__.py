"""``runbook init``: a new runbook project, written from the templates in ``project/`` (package data, read with
importlib.resources, so an installed toolkit has them).

The project: ``pyproject.toml`` (depending on the toolkit, with ``[tool.runbook]``), ``runbooks/`` with one
example runbook (an API call, a branch, an assertion), ``tests/`` with its tests through the toolkit's pytest
plugin, a ``Makefile`` (build, test, lint, publish), a pre-commit configuration, a GitHub Actions workflow, a
``.gitignore`` and a README. ``make test`` passes in it at once.

A template's path is its file's, less the ``.tmpl`` every template ends with (so that no tool takes
``x.py.tmpl`` for the toolkit's own module, nor ``pyproject.toml.tmpl`` for its settings), and with ``.`` for a
leading ``dot-`` of a name (``dot-gitignore.tmpl`` is ``.gitignore``: package data with dot names is easily
lost). Other files there (a tool's cache) are no templates. ``@PROJECT_NAME@`` and ``@TOOLKIT_REQUIREMENT@`` in a
template's text are replaced by the project's name and the toolkit's requirement.

Decisions: the project's name is its folder's, lowercased, runs of other characters than letters and digits made
``-`` (a valid distribution name); the toolkit's requirement is this version or newer. Every file is rendered
before any is written, each written whole (``toolkit.files.write_atomic``) with the modes the umask gives. A
folder that exists and is not empty is refused, unless ``force``: then the project's files are written into it,
replacing files of the same names, and every other file is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final

from toolkit.errors import InitError
from toolkit.files import write_atomic
from toolkit.version import VERSION

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

TOOLKIT_DISTRIBUTION: Final = "ssm-runbook-toolkit"
"""The toolkit's distribution name on a package index (pyproject.toml's ``[project] name``)."""
TEMPLATES: Final = "project"
"""The folder of this package holding the project's templates."""
DOT_PREFIX: Final = "dot-"
TEMPLATE_SUFFIX: Final = ".tmpl"
DEFAULT_NAME: Final = "runbooks"
"""The project's name when its folder's gives none (a folder named only of punctuation)."""


@dataclass(frozen=True, slots=True)
class Written:
    """A file ``runbook init`` wrote, and whether it replaced one (with ``force``)."""

    path: Path
    replaced: bool


def project_name(folder: Path) -> str:
    """The project's distribution name, from its folder's name (see the module's docstring)."""
    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return name or DEFAULT_NAME


def project_files(name: str) -> dict[PurePosixPath, str]:
    """Each file of a new project named ``name``: its path in the project -> its text."""
    replacements = {
        "@PROJECT_NAME@": name,
        "@TOOLKIT_REQUIREMENT@": f"{TOOLKIT_DISTRIBUTION}>={VERSION}",
    }
    files: dict[PurePosixPath, str] = {}
    for path, resource in _templates(_template_root(), PurePosixPath()):
        text = resource.read_text(encoding="utf-8")
        for placeholder, value in replacements.items():
            text = text.replace(placeholder, value)
        files[path] = text
    return dict(sorted(files.items()))


def init_project(folder: Path, *, force: bool = False) -> list[Written]:
    """Write a new project into ``folder`` (created if absent). Raises ``InitError`` for a file, for a folder that
    is not empty unless ``force``, and for a folder or file that cannot be read or written, naming it."""
    files = project_files(project_name(folder))
    try:
        if folder.exists() and not folder.is_dir():
            raise InitError(f"{folder}: is a file, not a folder")
        if not force and folder.is_dir() and any(folder.iterdir()):
            raise InitError(f"{folder}: the folder is not empty (pass --force to write the project's files into it)")
        written = []
        for relative in files:
            path = folder.joinpath(*relative.parts)
            if path.is_dir():
                raise InitError(f"{path}: is a folder, where the project has a file")
            written.append(Written(path, path.exists()))
        for item, text in zip(written, files.values(), strict=True):
            write_atomic(item.path, text)
    except OSError as err:  # reading the folder; writing raises WriteError, naming the file and why
        raise InitError(f"{err.filename or folder}: cannot write the project there: {err.strerror or err}") from err
    return written


def _template_root() -> Traversable:
    from importlib.resources import files  # lazy: importlib.resources costs ~30 ms; only runbook init reads these

    return files(__name__) / TEMPLATES


def _templates(folder: Traversable, at: PurePosixPath) -> list[tuple[PurePosixPath, Traversable]]:
    """Every template under ``folder`` with its path in the project (``at``: the folder's own)."""
    found = []
    for entry in folder.iterdir():
        if entry.name.startswith((".", "__")):  # a tool's cache or __pycache__, never a template
            continue
        name = "." + entry.name.removeprefix(DOT_PREFIX) if entry.name.startswith(DOT_PREFIX) else entry.name
        if entry.is_dir():
            found.extend(_templates(entry, at / name))
        elif name.endswith(TEMPLATE_SUFFIX):
            found.append((at / name.removesuffix(TEMPLATE_SUFFIX), entry))
    return found
