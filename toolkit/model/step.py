"""The step: fields every action shares, typed inputs declared per action, and declared outputs.

A step class per action lives in ``toolkit.steps``. Each input is a dataclass field declared with ``action_input``,
which names its document key and SSM kind next to it; nothing is derived by case conversion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Final

from toolkit.errors import DefinitionError
from toolkit.lazy_dataclass import lazy_dataclass
from toolkit.model.flow import Handling, field_text, read_handler, read_steps
from toolkit.model.values import JSON, Kind, Ref, as_tuple, to_json
from toolkit.ssm.names import STEP_NAME
from toolkit.ssm.types import OUTPUT_KINDS as OUTPUT_TYPES

# The document keys of a step, in the order AWS's own runbooks write them.
STEP_KEYS: Final = (
    "name",
    "action",
    "description",
    "maxAttempts",
    "timeoutSeconds",
    "onFailure",
    "onCancel",
    "isCritical",
    "inputs",
    "outputs",
    "nextStep",
    "isEnd",
)


@dataclass(frozen=True, slots=True)
class InputSpec:
    """How one input of an action appears in the document."""

    key: str
    kind: Kind
    required: bool


def action_input(key: str, kind: Kind, *, required: bool = False) -> Any:
    """Declare an action input: its document key and kind. A required input has no default."""
    spec = InputSpec(key, kind, required)
    if required:
        return field(metadata={"input": spec})
    return field(default=None, metadata={"input": spec})


@lazy_dataclass
class Output:
    """A declared step output: ``Name``, a JSONPath ``Selector`` into the response, and its ``Type``."""

    name: str
    selector: str
    type: Kind = Kind.STRING
    extra: Mapping[str, JSON] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not isinstance(self.selector, str):
            raise DefinitionError(f"output name and selector must be strings: {self.name!r}", field="outputs")
        if self.type not in OUTPUT_TYPES:
            allowed = ", ".join(sorted(kind.value for kind in OUTPUT_TYPES))
            raise DefinitionError(f"output {self.name} type must be one of {allowed}", field="outputs")

    def to_dict(self) -> dict[str, JSON]:
        return {"Name": self.name, "Selector": self.selector, "Type": self.type.value, **self.extra}


@lazy_dataclass
class Step:
    """Fields every step has. Subclasses add their action's inputs."""

    ACTION: ClassVar[str] = ""
    BUILTIN_OUTPUTS: ClassVar[Mapping[str, Kind]] = {}

    name: str
    description: str | None = None
    max_attempts: int | None = None
    timeout_seconds: int | None = None
    on_failure: str | None = None
    on_cancel: str | None = None
    is_critical: bool | None = None
    is_end: bool | None = None
    next_step: str | None = None
    outputs: Sequence[Output] | None = None
    """Any sequence of outputs; kept as a tuple."""
    extra: Mapping[str, JSON] = field(default_factory=dict)
    """Step keys the model does not know, or values of the wrong type, kept as loaded for the linter."""
    extra_inputs: Mapping[str, JSON] = field(default_factory=dict)
    """Inputs the action does not declare, or of the wrong kind, kept as loaded for the linter."""

    @property
    def action(self) -> str:
        return self.ACTION

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise DefinitionError(f"step name must be a string, not {self.name!r}", field="name")
        for key, (attr, kind) in COMMON_FIELDS.items():
            value = getattr(self, attr)
            if value is not None and not has_type(value, kind):
                raise DefinitionError(
                    f"{key} must be {kind.__name__}, not {type(value).__name__} {value!r}",
                    step=self.name,
                    field=key,
                )
        if self.outputs is not None:
            object.__setattr__(self, "outputs", as_tuple(self.outputs, step=self.name, field="outputs"))
            for output in self.outputs or ():
                if not isinstance(output, Output):
                    raise DefinitionError(
                        f"outputs must be Output objects, not {output!r}", step=self.name, field="outputs"
                    )
        for name, spec in input_fields(type(self)):
            value = getattr(self, name)
            if value is None:
                if spec.required:
                    raise DefinitionError(
                        f"required input {spec.key} is missing", step=self.name, field=f"inputs.{spec.key}"
                    )
                continue
            if not spec.kind.fits(value):
                raise DefinitionError(
                    f"input {spec.key} must be a {spec.kind.value}, not {type(value).__name__} {value!r}",
                    step=self.name,
                    field=f"inputs.{spec.key}",
                )
        self._check_inputs()

    def _check_inputs(self) -> None:
        """Hook for actions whose inputs need more than a kind check."""

    # -- references -----------------------------------------------------------------------------------------

    def output_names(self) -> dict[str, Kind]:
        """Every output a later step may refer to: the declared ones and the action's built-in ones."""
        names = dict(self.BUILTIN_OUTPUTS)
        for output in self.outputs or ():
            names[output.name] = output.type
        return names

    def output(self, name: str) -> Ref:
        """A typed reference ``{{ Step.Name }}`` to an output this step declares or has built in."""
        if name not in self.output_names():
            known = ", ".join(sorted(self.output_names())) or "none"
            raise DefinitionError(f"step has no output {name!r} (it has: {known})", step=self.name, field="outputs")
        return Ref(f"{self.name}.{name}")

    # -- rendering ------------------------------------------------------------------------------------------

    def inputs_dict(self) -> dict[str, JSON]:
        """The ``inputs`` mapping: declared inputs in declaration order, then the ones kept from loading."""
        out: dict[str, JSON] = {}
        for name, spec in input_fields(type(self)):
            value = getattr(self, name)
            if value is not None:
                out[spec.key] = to_json(value)
        out.update(self.operation_inputs())
        out.update(self.extra_inputs)
        return out

    def operation_inputs(self) -> dict[str, JSON]:
        """Inputs that are an AWS operation's own parameters (actions that call a named API)."""
        return {}

    def to_dict(self) -> dict[str, JSON]:
        values: dict[str, JSON] = {
            "name": self.name,
            "action": self.action,
            "description": self.description,
            "maxAttempts": self.max_attempts,
            "timeoutSeconds": self.timeout_seconds,
            "onFailure": self.on_failure,
            "onCancel": self.on_cancel,
            "isCritical": self.is_critical,
            "inputs": self.inputs_dict(),
            "outputs": None if self.outputs is None else [output.to_dict() for output in self.outputs],
            "nextStep": self.next_step,
            "isEnd": self.is_end,
        }
        out = {key: values[key] for key in STEP_KEYS if values[key] is not None}
        out.update(self.extra)
        return out

    # -- definition checks ----------------------------------------------------------------------------------

    def jump_targets(self) -> list[tuple[str, str]]:
        """(field, step name) for every step this one may jump to by name, as ``toolkit.model.flow`` reads them
        (nextStep, onFailure/onCancel ``step:X``, a branch's choices and Default)."""
        reading = read_steps([self.to_dict()])
        return [(field_text(jump.field), jump.name) for jump in reading.jumps[0] if jump.name is not None]

    def check_definition(self) -> None:
        """Checks an author gets at definition time; a loaded document is left to the linter."""
        if not STEP_NAME.match(self.name):
            raise DefinitionError(f"step name must match {STEP_NAME.pattern}", step=self.name, field="name")
        if read_handler(self.on_failure).handling is Handling.MALFORMED:
            raise DefinitionError("onFailure must be Abort, Continue or step:<name>", step=self.name, field="onFailure")
        if read_handler(self.on_cancel, cancel=True).handling is Handling.MALFORMED:
            raise DefinitionError("onCancel must be Abort or step:<name>", step=self.name, field="onCancel")
        if self.is_end and self.next_step is not None:
            raise DefinitionError("isEnd together with nextStep", step=self.name, field="nextStep")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise DefinitionError("maxAttempts must be at least 1", step=self.name, field="maxAttempts")
        if self.timeout_seconds is not None and self.timeout_seconds < 1:
            raise DefinitionError("timeoutSeconds must be at least 1", step=self.name, field="timeoutSeconds")
        names = set()
        for output in self.outputs or ():
            if output.name in names:
                raise DefinitionError(f"output {output.name} declared twice", step=self.name, field="outputs")
            names.add(output.name)
        if self.extra or self.extra_inputs:
            unknown = ", ".join([*self.extra, *(f"inputs.{key}" for key in self.extra_inputs)])
            raise DefinitionError(f"unknown or ill-typed keys: {unknown}", step=self.name, field=unknown.split(", ")[0])

    def nested_steps(self) -> Sequence[Step]:
        """Steps inside this one (aws:loop)."""
        return ()


@lazy_dataclass
class GenericStep(Step):
    """A step kept exactly as loaded: an unknown action, or inputs that do not fit the action's class.

    ``raw`` is the step's mapping as loaded and renders back verbatim; ``problem`` says why it is generic,
    for the linter.
    """

    raw: Mapping[str, JSON] = field(default_factory=dict)
    problem: str = ""

    @property
    def action(self) -> str:
        action = self.raw.get("action")
        return action if isinstance(action, str) else ""

    def inputs_dict(self) -> dict[str, JSON]:
        inputs = self.raw.get("inputs")
        return dict(inputs) if isinstance(inputs, dict) else {}

    def to_dict(self) -> dict[str, JSON]:
        return dict(self.raw)

    def check_definition(self) -> None:
        raise DefinitionError(self.problem or f"unknown action {self.action!r}", step=self.name, field="action")


# The keys of a step that are not inputs: document key -> (attribute, Python type of its value).
COMMON_FIELDS: Final[dict[str, tuple[str, type]]] = {
    "name": ("name", str),
    "description": ("description", str),
    "maxAttempts": ("max_attempts", int),
    "timeoutSeconds": ("timeout_seconds", int),
    "onFailure": ("on_failure", str),
    "onCancel": ("on_cancel", str),
    "isCritical": ("is_critical", bool),
    "isEnd": ("is_end", bool),
    "nextStep": ("next_step", str),
}


def has_type(value: object, kind: type) -> bool:
    """isinstance, except that a bool is not an int (YAML's true is not a count)."""
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def input_fields(cls: type[Step]) -> tuple[tuple[str, InputSpec], ...]:
    """The (attribute, spec) of each declared input of a step class, in declaration order."""
    return tuple((f.name, f.metadata["input"]) for f in fields(cls) if "input" in f.metadata)
