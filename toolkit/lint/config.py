"""Lint configuration: ``[tool.runbook.lint]`` in the project's pyproject.toml (``toolkit.project`` finds it: the
nearest at or above the working folder), then the command line on top.

```toml
[tool.runbook.lint]
select = ["E", "W"]            # rule id prefixes to run (default: every rule)
ignore = ["W5010"]             # rule id prefixes to skip
exclude = ["build/**"]         # glob patterns of files a folder search skips
plugins = ["mypackage.rules"]  # modules with a RULES list of user rules (ids E9xxx, W9xxx, I9xxx)

[tool.runbook.lint.per-file-ignores]
"legacy/*.yaml" = ["W2003"]
```
The file is the project's (``toolkit.project.project_root``: the nearest pyproject.toml at or above the working
folder) unless ``--config`` names one; plugins are imported from that file's folder first
(``toolkit.lint.rules.import_plugin``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import LintError
from toolkit.files import read_text
from toolkit.project import project_root, settings_file
from toolkit.records import Record

KNOWN_KEYS = ("select", "ignore", "exclude", "plugins", "per-file-ignores")


class LintConfig(Record):
    """The lint settings. A ``Record`` (``toolkit.records``) standing for the ``@dataclass(frozen=True)`` it was:
    equal and hashed by its first five fields (``source`` was ``field(compare=False)``), shown with all six."""

    __slots__ = ("exclude", "ignore", "per_file_ignores", "plugins", "select", "source")
    _FIELDS = ("select", "ignore", "exclude", "plugins", "per_file_ignores")

    select: tuple[str, ...]
    ignore: tuple[str, ...]
    exclude: tuple[str, ...]
    plugins: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    source: str | None
    """The file the configuration came from, if any."""

    def __init__(
        self,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        plugins: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        source: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "select", select)
        setattr_(self, "ignore", ignore)
        setattr_(self, "exclude", exclude)
        setattr_(self, "plugins", plugins)
        setattr_(self, "per_file_ignores", per_file_ignores)
        setattr_(self, "source", source)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in (*self._FIELDS, "source"))
        return f"{type(self).__qualname__}({fields})"

    def enabled(self, rule_id: str) -> bool:
        if self.select and not rule_id.startswith(self.select):
            return False
        return not (self.ignore and rule_id.startswith(self.ignore))

    def ignored_in(self, file: str) -> tuple[str, ...]:
        """Rule id prefixes ignored in one file by ``per-file-ignores``."""
        out: list[str] = []
        for pattern, prefixes in self.per_file_ignores:
            if fnmatch.fnmatch(file, pattern) or fnmatch.fnmatch(Path(file).name, pattern):
                out.extend(prefixes)
        return tuple(out)

    def root(self) -> Path | None:
        """Where plugins are imported from first: the folder of the configuration file, else the project root
        (``toolkit.project.project_root``), else none."""
        return Path(self.source).resolve().parent if self.source is not None else project_root()

    def excluded(self, file: str) -> bool:
        return any(fnmatch.fnmatch(file, pattern) for pattern in self.exclude)

    def with_options(self, *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> LintConfig:
        """The command line's --select replaces the file's; its --ignore adds to the file's."""
        return LintConfig(
            select=tuple(select) or self.select,
            ignore=(*self.ignore, *ignore),
            exclude=self.exclude,
            plugins=self.plugins,
            per_file_ignores=self.per_file_ignores,
            source=self.source,
        )


def find_config(start: Path) -> Path | None:
    """The project's pyproject.toml (``toolkit.project``, the one finder): the nearest at or above ``start``."""
    return settings_file(start)


def load_config(path: Path | None) -> LintConfig:
    """Read ``[tool.runbook.lint]`` from a pyproject.toml; no file or no table gives the defaults."""
    if path is None:
        return LintConfig()
    import tomllib  # lazy: tomllib (~3 ms) only when a pyproject.toml is found; lint without one never loads it

    text = read_text(path)  # LoadError naming the file: missing, unreadable, not UTF-8 text
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LintError(f"{path}: invalid TOML: {err}") from err
    where = f"{path}: [tool.runbook.lint]"
    table: object = data
    for key in ("tool", "runbook", "lint"):
        table = table.get(key, {}) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise LintError(f"{where} must be a table")
    for key in table:
        if key not in KNOWN_KEYS:
            raise LintError(f"{where}: unknown key {key!r} (known: {', '.join(KNOWN_KEYS)})")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise LintError(f"{where}: per-file-ignores must be a table of glob = [rule ids]")
    return LintConfig(
        select=_strings(table, "select", where),
        ignore=_strings(table, "ignore", where),
        exclude=_strings(table, "exclude", where),
        plugins=_strings(table, "plugins", where),
        per_file_ignores=tuple(
            (pattern, _strings(per_file, pattern, f"{where} per-file-ignores")) for pattern in per_file
        ),
        source=str(path),
    )


def _strings(table: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LintError(f"{where}: {key} must be a list of strings")
    return tuple(value)
