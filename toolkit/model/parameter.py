"""Document parameters and runtime variables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.errors import DefinitionError
from toolkit.model.values import BUILD_PLACEHOLDER, JSON, Ref, as_tuple, to_json
from toolkit.ssm.names import PARAMETER_NAME
from toolkit.ssm.references import PARAMETER_STORE_REFERENCE
from toolkit.ssm.types import DISPLAY_TYPES, ParameterType, value_fits

# Re-exported: SSM's parameter types live in the catalogue (toolkit.ssm.types), read through here too.
__all__ = ["DISPLAY_TYPES", "Parameter", "ParameterType", "Variable", "value_fits"]

if TYPE_CHECKING:
    from toolkit.javaregex import JavaPattern


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A document parameter. Without a default it is required."""

    name: str
    type: ParameterType
    description: str | None = None
    default: JSON = None
    has_default: bool = False
    allowed_values: Sequence[JSON] | None = None
    allowed_pattern: str | None = None
    display_type: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_chars: int | None = None
    max_chars: int | None = None
    extra: Mapping[str, JSON] = field(default_factory=dict)
    """Keys the model does not know, or values of the wrong type, kept as loaded for the linter."""

    def __post_init__(self) -> None:
        where = f"parameters.{self.name}"
        if not isinstance(self.name, str) or not PARAMETER_NAME.match(self.name):
            raise DefinitionError(f"parameter name {self.name!r} must match {PARAMETER_NAME.pattern}", field=where)
        if not isinstance(self.type, ParameterType):
            raise DefinitionError(f"type must be a ParameterType, not {self.type!r}", field=f"{where}.type")
        for name, kind in (("description", str), ("allowed_pattern", str), ("display_type", str)):
            _check_optional(where, name, getattr(self, name), kind)
        for name in ("min_items", "max_items", "min_chars", "max_chars"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise DefinitionError(f"{name} must be a whole number >= 0, not {value!r}", field=where)
        object.__setattr__(self, "allowed_values", as_tuple(self.allowed_values, field=f"{where}.allowedValues"))
        if self.default is not None and not self.has_default:
            object.__setattr__(self, "has_default", True)

    @property
    def required(self) -> bool:
        return not self.has_default

    @property
    def ref(self) -> Ref:
        """A typed reference to this parameter: ``{{ Name }}``."""
        return Ref(self.name)

    def _check_default_pattern(self, pattern: JavaPattern, where: str) -> None:
        """A default SSM would refuse: the whole of it (each item of a list) must match allowedPattern, as
        java.util.regex's ``matches()`` decides (one the toolkit cannot decide is left to lint rule W1105)."""
        # lazy: the Java pattern translation is loaded only by a definition that has an allowedPattern
        from toolkit.javaregex import CannotDecide

        default = self.default
        if not self.has_default or (isinstance(default, str) and PARAMETER_STORE_REFERENCE.match(default)):
            return
        for item in default if isinstance(default, (list, tuple)) else (default,):
            if not isinstance(item, str) or BUILD_PLACEHOLDER.search(item):
                continue  # a placeholder the project's build fills in: checked once it is filled
            try:
                matched = pattern.matches(item)
            except CannotDecide:
                continue
            if not matched:
                raise DefinitionError(
                    f"default {item!r} does not match allowedPattern {self.allowed_pattern} (as SSM reads it, "
                    "java.util.regex: the whole value must match)",
                    field=f"{where}.default",
                )

    def check_definition(self) -> None:
        """The checks an author gets (a loaded document keeps whatever it says, for the linter)."""
        where = f"parameters.{self.name}"
        if self.has_default and not (
            value_fits(self.type, self.default)
            or (isinstance(self.default, str) and PARAMETER_STORE_REFERENCE.match(self.default))
        ):
            raise DefinitionError(f"default {self.default!r} is not a {self.type.value}", field=f"{where}.default")
        if self.allowed_pattern is not None:
            # lazy: the Java pattern translation is loaded only by a definition that has an allowedPattern
            from toolkit.javaregex import PatternError, compile_java

            try:
                pattern = compile_java(self.allowed_pattern)
            except PatternError as err:
                raise DefinitionError(
                    f"allowedPattern does not compile (java.util.regex): {err}", field=f"{where}.allowedPattern"
                ) from err
            self._check_default_pattern(pattern, where)
        if self.display_type is not None and self.display_type not in DISPLAY_TYPES:
            raise DefinitionError(
                f"displayType must be one of {', '.join(DISPLAY_TYPES)}", field=f"{where}.displayType"
            )
        if self.allowed_values is not None:
            for value in self.allowed_values:
                if not value_fits(self.type, value) and not (self.type.is_list and isinstance(value, str)):
                    raise DefinitionError(
                        f"allowed value {value!r} is not a {self.type.value}", field=f"{where}.allowedValues"
                    )

    def to_dict(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"type": self.type.value}
        if self.description is not None:
            out["description"] = self.description
        if self.has_default:
            out["default"] = to_json(self.default)
        if self.allowed_values is not None:
            out["allowedValues"] = to_json(list(self.allowed_values))
        if self.allowed_pattern is not None:
            out["allowedPattern"] = self.allowed_pattern
        if self.display_type is not None:
            out["displayType"] = self.display_type
        for key, value in (
            ("minItems", self.min_items),
            ("maxItems", self.max_items),
            ("minChars", self.min_chars),
            ("maxChars", self.max_chars),
        ):
            if value is not None:
                out[key] = value
        out.update(self.extra)
        return out


@dataclass(frozen=True, kw_only=True)
class Variable:
    """A runtime variable declared under ``variables`` and changed by aws:updateVariable."""

    name: str
    type: ParameterType
    default: JSON = None
    has_default: bool = False
    description: str | None = None
    extra: Mapping[str, JSON] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not PARAMETER_NAME.match(self.name):
            raise DefinitionError(f"variable name {self.name!r} must match {PARAMETER_NAME.pattern}")
        if not isinstance(self.type, ParameterType):
            raise DefinitionError(f"type must be a ParameterType, not {self.type!r}", field=f"variables.{self.name}")
        _check_optional(f"variables.{self.name}", "description", self.description, str)
        if self.default is not None and not self.has_default:
            object.__setattr__(self, "has_default", True)

    @property
    def ref(self) -> Ref:
        return Ref(f"variable:{self.name}")

    def to_dict(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"type": self.type.value}
        if self.description is not None:
            out["description"] = self.description
        if self.has_default:
            out["default"] = to_json(self.default)
        out.update(self.extra)
        return out


def _check_optional(where: str, name: str, value: object, kind: type) -> None:
    if value is not None and not isinstance(value, kind):
        raise DefinitionError(f"{name} must be a {kind.__name__}, not {value!r}", field=f"{where}.{name}")
