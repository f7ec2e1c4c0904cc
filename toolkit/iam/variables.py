"""Policy variables: ``${aws:username}`` in a Resource or a String/Arn condition value, replaced by the request's
value of that key.

[IAMUG/reference_policies_variables.html] A variable is ``${key}``; ``${key, 'default'}`` gives a value for a key
the request lacks; ``${*}``, ``${?}`` and ``${$}`` are a literal ``*``, ``?`` and ``$``. A variable whose key the
request lacks (and that has no default) cannot be resolved, and the element holding it matches nothing. Variables
work only in policies whose Version is ``2012-10-17``; in older ones ``${...}`` is literal text (same page,
"Policy variables ... are supported only in policies that include the Version element ... 2012-10-17").

Decisions where AWS is silent, here: a resolved value is literal text (a ``*`` in a tag value is not a wildcard,
which is why AWS offers ``${*}`` only for the policy's own text); a multivalued key cannot be a variable
([IAMUG/reference_policies_condition-single-vs-multi-valued-context-keys.html]) so it resolves like an absent key;
an ``UNKNOWN`` key cannot be resolved either way, so the element cannot be decided; ``${`` without its ``}`` is
literal text.
"""

from __future__ import annotations

import re

from toolkit.iam.context import UNKNOWN, Keys, Undecided
from toolkit.records import Record

VERSION = "2012-10-17"
"""The policy language version that has policy variables."""

Piece = tuple[str, bool]
"""A run of text and whether IAM's wildcards (``*`` and ``?``) in it are active (policy text) or not (a resolved
variable or an escape)."""

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_BODY = re.compile(r"\s*([^\s,'${}]+)\s*(?:,\s*'([^']*)'\s*)?")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


class Variable(Record):
    __slots__ = ("default", "key", "text")
    _FIELDS = ("text", "key", "default")
    text: str
    """As written, e.g. ``${aws:PrincipalTag/team, 'none'}``."""
    key: str
    """The condition key, lower case."""
    default: str | None

    def __init__(self, text: str, key: str, default: str | None) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "default", default)


class Template(Record):
    """Text with policy variables, resolved against each request."""

    __slots__ = ("parts", "text")
    _FIELDS = ("text", "parts")
    text: str
    parts: tuple[Piece | Variable, ...]

    def __init__(self, text: str, parts: tuple[Piece | Variable, ...]) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "parts", parts)

    def resolve(self, keys: Keys) -> tuple[Piece, ...] | None:
        """The pieces with every variable replaced; None when one cannot be resolved (the element matches
        nothing). Raises ``Undecided`` when a variable's key is ``UNKNOWN``."""
        pieces: list[Piece] = []
        for part in self.parts:
            if not isinstance(part, Variable):
                pieces.append(part)
                continue
            value = keys.get(part.key)
            if value is UNKNOWN:
                raise Undecided(f"policy variable {part.text} needs the request's {part.key}, which is UNKNOWN")
            if isinstance(value, str):
                pieces.append((value, False))
            elif part.default is not None:
                pieces.append((part.default, False))
            else:
                return None
        return tuple(pieces)


def template(text: str) -> Template | None:
    """``text`` as a template, or None when it holds no variable (nor escape): then it is plain policy text."""
    if "${" not in text:
        return None
    parts: list[Piece | Variable] = []
    position = 0
    for match in _VARIABLE.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], True))
        body = match.group(1)
        if body in _ESCAPES:
            parts.append((_ESCAPES[body], False))
        else:
            parsed = _BODY.fullmatch(body)
            if parsed is None:
                parts.append((match.group(0), True))
            else:
                parts.append(Variable(match.group(0), parsed.group(1).lower(), parsed.group(2)))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], True))
    if all(not isinstance(part, Variable) and part[1] for part in parts):
        return None
    return Template(text, tuple(parts))


def literal(pieces: tuple[Piece, ...]) -> str:
    """The resolved text, wildcards as plain characters (for the Equals operators)."""
    return "".join(text for text, _ in pieces)


def wildcard_regex(pieces: tuple[Piece, ...], star: str = ".*", one: str = ".") -> str:
    """A regular expression for resolved pieces: ``*`` and ``?`` in policy text are wildcards, the rest literal."""
    out: list[str] = []
    for text, active in pieces:
        if not active:
            out.append(re.escape(text))
            continue
        out.append(glob_regex(text, star, one))
    return "".join(out)


_WILDCARDS = re.compile(r"([*?])")


def glob_regex(text: str, star: str = ".*", one: str = ".") -> str:
    """``text`` as a regular expression, ``*`` and ``?`` wildcards and the rest literal: the runs between wildcards
    escaped whole (``re.escape`` maps each character alone, so the text is the same as escaping one by one)."""
    parts = _WILDCARDS.split(text)
    for index in range(1, len(parts), 2):
        parts[index] = star if parts[index] == "*" else one
    for index in range(0, len(parts), 2):
        parts[index] = re.escape(parts[index])
    return "".join(parts)


def arn_regex(pieces: tuple[Piece, ...]) -> str | None:
    """ArnLike's regular expression: six colon-separated segments, wildcards never crossing a colon in the first
    five (the sixth, the resource, may hold colons, as ``log-group:name:*``); None when there are fewer than six."""
    segments: list[list[Piece]] = [[]]
    for text, active in pieces:
        for index, chunk in enumerate(text.split(":")):
            if index:
                segments.append([])
            if chunk:
                segments[-1].append((chunk, active))
    if len(segments) < 6:
        return None
    head = [wildcard_regex(tuple(segment), "[^:]*", "[^:]") for segment in segments[:5]]
    tail = ":".join(wildcard_regex(tuple(segment)) for segment in segments[5:])
    return ":".join([*head, tail])
