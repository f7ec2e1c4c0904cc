"""The whole Automation document, and where a loaded one came from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from toolkit.model.parameter import Parameter, Variable
from toolkit.model.step import Step
from toolkit.model.values import JSON, Ref, as_tuple, to_json

if TYPE_CHECKING:
    from toolkit.source import Source

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


@dataclass(frozen=True, kw_only=True)
class Document:
    """An Automation document (schemaVersion 0.3).

    ``None`` means a key is absent; an empty sequence means it is present and empty. The sequences may be given
    as any sequence (a list, a tuple...) and are kept as tuples. ``extra`` keeps top-level keys
    the model does not know, or whose values do not fit their type, exactly as loaded.
    """

    name: str | None = None
    schema_version: str | None = "0.3"
    description: str | None = None
    assume_role: str | Ref | None = None
    parameters: Sequence[Parameter] | None = None
    variables: Sequence[Variable] | None = None
    main_steps: Sequence[Step] | None = ()
    outputs: Sequence[str] | None = None
    files: Mapping[str, JSON] | None = None
    extra: Mapping[str, JSON] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("parameters", "variables", "main_steps", "outputs"):
            object.__setattr__(self, name, as_tuple(getattr(self, name), field=name))

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters or () if p.name == name), None)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.all_steps() if s.name == name), None)

    def all_steps(self) -> Iterator[Step]:
        """Every step, nested loop steps included, in document order."""

        def walk(steps: Sequence[Step]) -> Iterator[Step]:
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
