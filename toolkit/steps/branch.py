"""aws:branch and its choices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field

from toolkit.errors import DefinitionError
from toolkit.lazy_dataclass import lazy_dataclass
from toolkit.model.step import Step, action_input
from toolkit.model.values import JSON, Kind, Value, as_tuple, to_json
from toolkit.ssm.actions import OPERATORS


@lazy_dataclass
class Choice:
    """One condition of a branch: ``Variable`` compared by one operator, or And/Or/Not of conditions.

    A top-level choice names its ``NextStep``; conditions nested in And/Or/Not do not.
    """

    next_step: str | None = None
    variable: Value = None
    operator: str | None = None
    value: Value = None
    all_of: Sequence[Choice] | None = None
    any_of: Sequence[Choice] | None = None
    not_: Choice | None = None
    extra: Mapping[str, JSON] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.operator is not None and self.operator not in OPERATORS:
            raise DefinitionError(f"unknown branch operator {self.operator!r}", field="Choices")
        for name, key in (("all_of", "And"), ("any_of", "Or")):
            object.__setattr__(self, name, as_tuple(getattr(self, name), field=key))

    @classmethod
    def when(cls, variable: Value, operator: str, value: Value, next_step: str | None = None) -> Choice:
        return cls(next_step=next_step, variable=variable, operator=operator, value=value)

    def conditions(self) -> int:
        """How many ways of testing this choice states (exactly one is valid)."""
        return sum(x is not None for x in (self.operator, self.all_of, self.any_of, self.not_))

    def references(self) -> list[Value]:
        found: list[Value] = [self.variable, self.value]
        for sub in (*(self.all_of or ()), *(self.any_of or ()), *((self.not_,) if self.not_ else ())):
            found.extend(sub.references())
        return found

    def to_dict(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        if self.next_step is not None:
            out["NextStep"] = self.next_step
        if self.variable is not None:
            out["Variable"] = to_json(self.variable)
        if self.operator is not None:
            out[self.operator] = to_json(self.value)
        if self.all_of is not None:
            out["And"] = [choice.to_dict() for choice in self.all_of]
        if self.any_of is not None:
            out["Or"] = [choice.to_dict() for choice in self.any_of]
        if self.not_ is not None:
            out["Not"] = self.not_.to_dict()
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, JSON]) -> Choice:
        """Read a choice as loaded; raises ValueError when it cannot be held faithfully."""
        kwargs: dict[str, object] = {}
        extra: dict[str, JSON] = {}
        for key, value in data.items():
            if key == "NextStep" and isinstance(value, str):
                kwargs["next_step"] = value
            elif key == "Variable":
                kwargs["variable"] = value
            elif key in OPERATORS and "operator" not in kwargs:
                kwargs["operator"] = key
                kwargs["value"] = value
            elif key in ("And", "Or") and isinstance(value, list) and all(isinstance(v, dict) for v in value):
                kwargs["all_of" if key == "And" else "any_of"] = tuple(cls.from_dict(v) for v in value)  # type: ignore[arg-type]
            elif key == "Not" and isinstance(value, dict):
                kwargs["not_"] = cls.from_dict(value)
            else:
                extra[key] = value
        return cls(extra=extra, **kwargs)  # type: ignore[arg-type]


@lazy_dataclass
class Branch(Step):
    """aws:branch: go to the NextStep of the first matching choice, else Default."""

    ACTION = "aws:branch"

    choices: Sequence[Choice] = action_input("Choices", Kind.LIST, required=True)
    default: str | None = action_input("Default", Kind.STRING)

    def _check_inputs(self) -> None:
        object.__setattr__(self, "choices", as_tuple(self.choices, step=self.name, field="inputs.Choices"))
        for choice in self.choices:
            if not isinstance(choice, Choice):
                raise DefinitionError(
                    f"choices must be Choice objects, not {choice!r}", step=self.name, field="inputs.Choices"
                )

    def check_definition(self) -> None:
        super().check_definition()
        if not self.choices:
            raise DefinitionError("a branch needs at least one choice", step=self.name, field="inputs.Choices")
        for index, choice in enumerate(self.choices):
            where = f"inputs.Choices[{index}]"
            if choice.next_step is None:
                raise DefinitionError("a choice needs NextStep", step=self.name, field=where)
            _check_condition(choice, self.name, where)


def _check_condition(choice: Choice, step: str, where: str) -> None:
    if choice.conditions() != 1:
        raise DefinitionError("a choice needs exactly one operator, And, Or or Not", step=step, field=where)
    if choice.operator is not None and choice.variable is None:
        raise DefinitionError(f"{choice.operator} needs a Variable", step=step, field=where)
    if choice.extra:
        raise DefinitionError(f"unknown keys in a choice: {', '.join(choice.extra)}", step=step, field=where)
    for sub in (*(choice.all_of or ()), *(choice.any_of or ())):
        _check_condition(sub, step, where)
    if choice.not_ is not None:
        _check_condition(choice.not_, step, where)
