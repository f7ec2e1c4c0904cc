"""The request context a policy is evaluated against: condition keys (names lower case) and their values.

A value is a ``str`` (a single-valued key), a ``tuple[str, ...]`` (a multivalued key such as ``aws:TagKeys`` or
``aws:CalledVia``; the empty tuple is an empty set), ``bytes`` (a binary key, for ``BinaryEquals``) or ``UNKNOWN``:
AWS would set the key on this request but the simulator does not know its value (``aws:SourceIp``, say). A
condition whose answer needs an ``UNKNOWN`` value cannot be decided (``CannotEvaluate``); one that only asks
whether the key is present (``Null``) can: it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, TypeAlias, final


@final
class Unknown:
    """The type of ``UNKNOWN``: one instance, compared by identity."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()
"""A request key AWS would set whose value the simulator does not know."""

Value: TypeAlias = str | bytes | tuple[str, ...] | Unknown
"""One condition key's value in a request."""

Context: TypeAlias = tuple[tuple[str, Value], ...]
"""The request's condition keys (lower case) and their values, e.g. (("aws:sourceaccount", "123456789012"),)."""

Keys: TypeAlias = Mapping[str, Value]
"""A request context as a mapping, as the compiled matchers read it."""


def request_context(keys: Mapping[str, Value | Iterable[str]]) -> Context:
    """A request context from condition keys as AWS spells them (``aws:SourceArn``); names compare case-blind.

    A list of strings is a multivalued key's set (kept as a tuple, so the context stays hashable)."""
    found: list[tuple[str, Value]] = []
    for name, value in keys.items():
        if isinstance(value, str | bytes | tuple | Unknown):
            found.append((name.lower(), value))
        else:
            found.append((name.lower(), tuple(value)))
    return tuple(found)


class _Unknowns(dict[str, Value]):
    """A request's keys where some whole families are ``UNKNOWN`` (``aws:resourcetag/*``: every tag key of the
    resource): a key not given is UNKNOWN when its family is, instead of absent."""

    __slots__ = ("families",)

    def __init__(self, pairs: Context, families: tuple[str, ...]) -> None:
        super().__init__(pairs)
        self.families = families

    def get(self, key: str, default: Value | None = None) -> Value | None:  # type: ignore[override]
        found = super().get(key)
        if found is not None:
            return found
        return UNKNOWN if key.startswith(self.families) else default


def keys_of(request: Context) -> Keys:
    """The request's keys as a mapping. An entry ``("family/*", UNKNOWN)`` makes every key of that family that the
    request does not give UNKNOWN (a condition on any of them cannot be decided), rather than absent."""
    families = tuple(name[:-1] for name, value in request if value is UNKNOWN and name.endswith("/*"))
    if not families:
        return dict(request)
    return _Unknowns(request, families)


class Undecided(Exception):
    """Internal: a condition or element whose answer cannot be decided; ``policy.py`` turns it into
    ``CannotEvaluate`` only when the policy's answer depends on it."""
