"""The whole Automation document, and where a loaded one came from."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final

from toolkit.model.parameter import Parameter, Variable
from toolkit.model.step import Step
from toolkit.model.values import JSON, Ref, to_json

# Top-level keys in the order AWS's own runbooks write them.
DOCUMENT_KEYS: Final = (
    "schemaVersion",
    "description",
    "assumeRole",
    "parameters",
    "variables",
    "mainSteps",
    "outputs",
    "files",
)

Path = tuple[str | int, ...]
Position = tuple[int, int]


class SourceMap:
    """Where each node of a loaded document stands: path -> (line, column), both 1-based.

    A path is the keys and list indexes from the document's root, e.g. ``("mainSteps", 2, "inputs", "Api")``.
    ``key`` gives the position of a mapping key, ``value`` the position of the value; a path that is not in
    the map falls back to its nearest ancestor, so a finding always has a location.
    """

    def __init__(
        self,
        values: Mapping[Path, Position] | None = None,
        keys: Mapping[Path, Position] | None = None,
        compute: Callable[[], tuple[dict[Path, Position], dict[Path, Position]]] | None = None,
    ) -> None:
        self._values = dict(values or {})
        self._keys = dict(keys or {})
        self._compute = compute

    def _ready(self) -> None:
        if self._compute is not None:
            compute, self._compute = self._compute, None
            self._values, self._keys = compute()

    def value(self, path: Path) -> Position:
        self._ready()
        return _nearest(self._values, path)

    def key(self, path: Path) -> Position:
        self._ready()
        if path in self._keys:
            return self._keys[path]
        return _nearest(self._values, path)

    def __len__(self) -> int:
        self._ready()
        return len(self._values)


def _nearest(table: Mapping[Path, Position], path: Path) -> Position:
    while path:
        if path in table:
            return table[path]
        path = path[:-1]
    return table.get((), (1, 1))


@dataclass(frozen=True, slots=True)
class Source:
    """The file a document was loaded from, its data as loaded, and its source map."""

    file: str
    format: str
    data: dict[str, JSON]
    positions: SourceMap
    duplicate_keys: tuple[Path, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Document:
    """An Automation document (schemaVersion 0.3).

    ``None`` means a key is absent; an empty tuple means it is present and empty. ``extra`` keeps top-level keys
    the model does not know, or whose values do not fit their type, exactly as loaded.
    """

    name: str | None = None
    schema_version: str | None = "0.3"
    description: str | None = None
    assume_role: str | Ref | None = None
    parameters: tuple[Parameter, ...] | None = None
    variables: tuple[Variable, ...] | None = None
    main_steps: tuple[Step, ...] | None = ()
    outputs: tuple[str, ...] | None = None
    files: Mapping[str, JSON] | None = None
    extra: Mapping[str, JSON] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("parameters", "variables", "main_steps", "outputs"):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters or () if p.name == name), None)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.all_steps() if s.name == name), None)

    def all_steps(self) -> Iterator[Step]:
        """Every step, nested loop steps included, in document order."""

        def walk(steps: tuple[Step, ...]) -> Iterator[Step]:
            for step in steps:
                yield step
                yield from walk(step.nested_steps())

        return walk(self.main_steps or ())

    def to_dict(self) -> dict[str, JSON]:
        """The canonical document data: keys in AWS's customary order, then kept extra keys."""
        values: dict[str, JSON] = {
            "schemaVersion": self.schema_version,
            "description": self.description,
            "assumeRole": to_json(self.assume_role),
            "parameters": None if self.parameters is None else {p.name: p.to_dict() for p in self.parameters},
            "variables": None if self.variables is None else {v.name: v.to_dict() for v in self.variables},
            "mainSteps": None if self.main_steps is None else [step.to_dict() for step in self.main_steps],
            "outputs": None if self.outputs is None else list(self.outputs),
            "files": None if self.files is None else dict(self.files),
        }
        out = {key: values[key] for key in DOCUMENT_KEYS if values[key] is not None}
        out.update(self.extra)
        return out
