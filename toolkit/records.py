"""``Record``: what ``@dataclass(frozen=True, slots=True)`` gives a small immutable record, without its cost at import.

A dataclass compiles its methods from generated source when its class is created: about 0.9 ms of CPU each on this
project's machine, and a cold ``runbook simulate`` created some 85 of them, a third of its start (issue 19). The
records a cold simulation loads for nothing but their type (a selector's parts, IAM's requests, policies' compiled
statements and conditions, the fakes' authorization records) are ``Record`` subclasses instead, which behave as the
frozen dataclasses did:

- a subclass names its fields in ``_FIELDS`` (declaration order: equality, hash and repr follow it) and lists them
  in ``__slots__``, and writes its ``__init__`` with the dataclass's parameters (order, defaults), setting each
  field with ``object.__setattr__``;
- two records are equal when they are of the very same class and their fields are equal in order (else
  ``NotImplemented``), and hash as the tuple of their fields;
- the repr is ``Name(field=value, ...)``;
- setting or deleting an attribute raises ``dataclasses.FrozenInstanceError``.

``dataclasses.replace``, ``fields`` and ``asdict`` do not apply to them (no record here is used so).

``MutableRecord`` stands for a plain ``@dataclass`` (``eq=True``, not frozen) in the same way: a subclass names its
fields in ``_FIELDS`` and writes its ``__init__`` (a ``default_factory`` field's default is None, standing for a fresh
value); equality as above, unhashable (``__hash__`` None, as such a dataclass), fields may be set, and the repr leaves
out the fields ``_NO_REPR`` names (a dataclass's ``field(repr=False)``). ``IdentityRecord`` compares by identity
and hashes by id, as ``@dataclass(eq=False)``.
"""

from __future__ import annotations

import threading
from dataclasses import FrozenInstanceError, dataclass, field
from typing import Any, ClassVar, TypeVar, dataclass_transform

__all__ = ["IdentityRecord", "MutableRecord", "Record", "lazy_dataclass"]


class Record:
    """The base of a frozen record (the module's doc)."""

    __slots__ = ()
    _FIELDS: ClassVar[tuple[str, ...]] = ()
    """The fields in declaration order (``__slots__`` may list them in another)."""

    def _values(self) -> tuple[object, ...]:
        return tuple([getattr(self, name) for name in self._FIELDS])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


class MutableRecord:
    """The base of a mutable record (the module's doc)."""

    __slots__ = ()
    _FIELDS: ClassVar[tuple[str, ...]] = ()
    _NO_REPR: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple([getattr(self, name) for name in self._FIELDS])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, MutableRecord)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # compared by value and mutable: as @dataclass(eq=True)

    def __repr__(self) -> str:
        shown = [name for name in self._FIELDS if name not in self._NO_REPR]
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({fields})"


class IdentityRecord(MutableRecord):
    """A mutable record equal only to itself and hashed by identity, as ``@dataclass(eq=False)``."""

    __slots__ = ()

    __eq__ = object.__eq__
    __hash__ = object.__hash__  # type: ignore[assignment]


_T = TypeVar("_T")


_STAND_INS = ("__init__", "__dataclass_fields__", "__setstate__")
"""What a ``lazy_dataclass`` class holds until its first use: ``__init__``, the dataclass's fields, and
``__setstate__`` for an instance made without ``__init__`` (unpickled in a process that has not used the class)."""


class _LazyMethod:
    """One of a class's ``_STAND_INS`` until the class is made a dataclass: looking it up makes it one
    (``lazy_dataclass``)."""

    __slots__ = ("cls", "name")

    def __init__(self, cls: type, name: str) -> None:
        self.cls = cls
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        _make_dataclass(self.cls)
        if self.name == "__setstate__" and instance is not None:
            return lambda state: _set_state(instance, state)  # what pickle does for a class with no __setstate__
        return getattr(self.cls if instance is None else instance, self.name)


def _set_state(instance: object, state: object) -> None:
    """Pickle's own way with an object's state when its class has no ``__setstate__``: a dict of attributes, or
    (that dict, a dict of slots)."""
    attributes, slots = state if isinstance(state, tuple) else (state, None)
    for values in (attributes, slots):
        for name, value in (values or {}).items():
            object.__setattr__(instance, name, value)


_MAKING = threading.RLock()
"""Held while a ``lazy_dataclass`` class is made its dataclass, so two threads that both met its stand-ins make it
once (the second waits, then finds it made). Reentrant: making a subclass makes its base on the same thread."""


def _make_dataclass(cls: type) -> None:
    """Turn a ``lazy_dataclass`` class into the frozen keyword-only dataclass it stands for, once."""
    with _MAKING:
        if not isinstance(cls.__dict__.get("__dataclass_fields__"), _LazyMethod):
            return
        for name in _STAND_INS:  # dataclass() writes no method a class already has
            delattr(cls, name)
        dataclass(frozen=True, kw_only=True)(cls)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def lazy_dataclass(cls: type[_T]) -> type[_T]:
    """``@dataclass(frozen=True, kw_only=True)``, made when the class is first used rather than when it is defined.

    A dataclass compiles its methods from generated source as its class is created (about 0.9 ms each); a module
    of step classes (``toolkit.steps``) defines some 30 of them, of which a build uses a few. The decorated class
    carries stand-ins (``_STAND_INS``): the first lookup of one (creating an instance, unpickling one,
    ``dataclasses.fields``/``replace``/``is_dataclass``, ``inspect.signature``, a subclass made a dataclass) applies
    ``dataclass(frozen=True, kw_only=True)`` to the class in place and removes them: from then on the class is that
    dataclass in every respect, and before it only ``vars(cls)`` could tell. (No class here needs other parameters
    of ``dataclass``: none is offered.)
    """
    for name in _STAND_INS:
        setattr(cls, name, _LazyMethod(cls, name))
    return cls
