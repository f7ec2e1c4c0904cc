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
- setting or deleting an attribute raises ``dataclasses.FrozenInstanceError``;
- pickling and ``copy``/``deepcopy`` keep the fields (``__getstate__``/``__setstate__``, as a slots dataclass).

``dataclasses.replace``, ``fields`` and ``asdict`` do not apply to them (no record here is used so). This module
imports no ``dataclasses`` (which loads ``inspect``, some 6 ms of a cold start): ``FrozenInstanceError`` is imported
when it is raised. ``toolkit.lazy_dataclass`` holds the step classes' decorator.

``KeyedRecord`` is a ``Record`` that keeps the tuple of its fields and its hash from construction (an IAM request,
a caller: they key the world's kept decisions on every call), so hashing one reads a slot and comparing two is one
tuple comparison.

``MutableRecord`` stands for a plain ``@dataclass`` (``eq=True``, not frozen) in the same way: a subclass names its
fields in ``_FIELDS`` and writes its ``__init__`` (a ``default_factory`` field's default is None, standing for a fresh
value); equality as above, unhashable (``__hash__`` None, as such a dataclass), fields may be set, and the repr leaves
out the fields ``_NO_REPR`` names (a dataclass's ``field(repr=False)``). ``IdentityRecord`` compares by identity
and hashes by id, as ``@dataclass(eq=False)``.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["Frozen", "IdentityRecord", "KeyedRecord", "MutableRecord", "Record"]


class Frozen:
    """An object whose attributes cannot be set or deleted, as a ``@dataclass(frozen=True)``'s: both raise
    ``dataclasses.FrozenInstanceError``. Its own ``__init__`` sets them with ``object.__setattr__``. The base of
    ``Record``, and of a frozen class compared by identity (``toolkit.documents.ReadDocument``)."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError  # lazy: dataclasses loads inspect (~6 ms); only a mistake needs it

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError  # lazy: as in __setattr__

        raise FrozenInstanceError(f"cannot delete field {name!r}")


class Record(Frozen):
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

    def __getstate__(self) -> tuple[object, ...]:
        return self._values()

    def __setstate__(self, state: tuple[object, ...]) -> None:
        """Pickle and ``copy`` restore a record field by field, as a frozen dataclass's own ``__setstate__``."""
        for name, value in zip(self._FIELDS, state, strict=True):
            object.__setattr__(self, name, value)


class KeyedRecord(Record):
    """A record that keys dicts on every call (an IAM request, a caller): the tuple of its fields and its hash are
    kept from construction, so hashing it reads one slot and comparing two equal ones is a tuple comparison, not a
    walk of their fields. Its ``__init__`` sets the fields, then calls ``_keep`` with them in ``_FIELDS`` order."""

    __slots__ = ("_hash", "_key")
    _key: tuple[object, ...]
    _hash: int

    def _keep(self, key: tuple[object, ...]) -> None:
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_hash", hash(key))

    def _values(self) -> tuple[object, ...]:
        return self._key

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, KeyedRecord)
        return self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    def __setstate__(self, state: tuple[object, ...]) -> None:
        """Unpickled or copied: the fields, then their key and hash anew (a str's hash differs between processes)."""
        super().__setstate__(state)
        self._keep(tuple(state))


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
