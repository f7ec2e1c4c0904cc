"""``runbook import``: write a document's module and scripts, proven to build back to the same data first.

The module is written into a temporary folder beside its destination, imported and built there, and its data
compared with the document's; only then are the files moved into place (each by a rename). A module that would
not reproduce the document is never written: when the typed ``runbook(...)`` form differs (which would be a bug),
the plain ``Document(...)`` form is tried, and if that differs too the import fails naming the first difference.
Existing files are never overwritten without ``force``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ImportDocumentError, ToolkitError
from toolkit.importer.generate import Module, generate
from toolkit.importer.naming import document_name, module_name
from toolkit.model.values import JSON


@dataclass(frozen=True, slots=True)
class Imported:
    module: Path
    scripts: tuple[Path, ...]
    checked: bool
    problem: str | None


def default_out(document_name: str, root: Path = Path("runbooks")) -> Path:
    return root / f"{module_name(document_name)}.py"


def import_document(path: Path, out: Path | None = None, *, force: bool = False) -> Imported:
    """Import the document at ``path`` into the module ``out`` (default: runbooks/<name>.py)."""
    from toolkit.load import load
    from toolkit.render import to_data
    from toolkit.source import read_data

    document = load(path)
    expected = to_data(document)
    original, _ = read_data(path.read_text(encoding="utf-8-sig"), file=str(path))
    if expected != original:
        raise ImportDocumentError(
            f"{path}: the model does not hold this document exactly (a bug): {_diff(original, expected)}"
        )
    out = out if out is not None else default_out(document_name(document.name))
    if out.suffix != ".py" or not out.stem.isidentifier():
        raise ImportDocumentError(f"{out}: the module must be a .py file whose name is a Python identifier")
    module = generate(document, origin=path.name, module=out.stem)
    scripts_dir = out.with_name(f"{out.stem}_scripts")
    targets = [out, *(scripts_dir / file for file in module.scripts)]
    if not force:
        for target in targets:
            if target.exists():
                raise ImportDocumentError(f"{target}: already exists (pass --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.stem}.", dir=out.parent))
    try:
        difference = _try(module, staging, expected)
        if difference is not None and module.checked:
            module = generate(document, origin=path.name, module=out.stem, plain=f"runbook(...) differs: {difference}")
            difference = _try(module, staging, expected)
        if difference is not None:
            raise ImportDocumentError(f"{path}: the generated module does not build back the same data: {difference}")
        if module.scripts:
            scripts_dir.mkdir(exist_ok=True)
        for file in module.scripts:
            os.replace(staging / scripts_dir.name / file, scripts_dir / file)
        os.replace(staging / out.name, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Imported(out, tuple(scripts_dir / file for file in module.scripts), module.checked, module.problem)


def _try(module: Module, folder: Path, expected: dict[str, JSON]) -> str | None:
    """Write the module into ``folder``, build it, and say how its data differs from ``expected`` (or None)."""
    from toolkit.build import load_runbook
    from toolkit.render import to_data

    shutil.rmtree(folder / f"{module.name}_scripts", ignore_errors=True)
    (folder / f"{module.name}.py").write_text(module.source, encoding="utf-8")
    for file, text in module.scripts.items():
        target = folder / f"{module.name}_scripts" / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    try:
        built = to_data(load_runbook(str(folder / f"{module.name}.py")))
    except ToolkitError as err:
        return str(err)
    return None if built == expected else _diff(expected, built)


def _diff(expected: JSON, actual: JSON, where: str = "") -> str:
    """The first path at which two values differ."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in [*expected, *(k for k in actual if k not in expected)]:
            if key not in expected or key not in actual:
                return f"{where}.{key} is missing on one side"
            if expected[key] != actual[key]:
                return _diff(expected[key], actual[key], f"{where}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            if left != right:
                return _diff(left, right, f"{where}[{index}]")
    return f"{where or 'the document'}: {expected!r:.80} != {actual!r:.80}"
