"""``lazy_dataclass``: ``@dataclass(frozen=True, kw_only=True)`` applied to a class on its first use rather than when
the class is defined, for the step classes of ``toolkit.steps`` and ``toolkit.model.step``, of which a build uses a
few (issue 19). Apart from ``toolkit.records`` so that a command that uses records but no step class never loads
``dataclasses``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, TypeVar, dataclass_transform

__all__ = ["lazy_dataclass"]


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
