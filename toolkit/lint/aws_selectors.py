"""Selectors (JSONPath) into an AWS operation's response, resolved against the reduced botocore models.

An output's ``Selector`` and an assert/waitFor ``PropertySelector`` walk the response of the step's operation;
``select`` follows them through the response shape and says what they reach, or None when a member is missing.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from toolkit.aws.models import Operation, ServiceModel, Shape

_SELECTOR_TOKEN: Final = re.compile(
    r"""\.\.(?P<deep>[^.\[\]\s()]+)?"""
    r"""|\.(?P<name>[^.\[\]\s()]+)(?P<call>\(\))?"""
    r"""|\[\s*(?:'(?P<single>[^']*)'|"(?P<double>[^"]*)")\s*\]"""
    r"""|\[\s*(?P<index>-?\d+)\s*\]"""
    r"""|\[(?P<every>\s*\*\s*|[-\d\s]*[:,][-\d\s:,]*|\?\(.*?\))\]"""
)
# Kinds a selector cannot see into: any JSON (document, map values) and strings, which may hold JSON text.
_OPAQUE: Final = frozenset({"document", "string", "timestamp", "blob"})


def selector_steps(selector: str) -> list[tuple[str, str]] | None:
    """A JSONPath selector as steps: (member, name), (deep, name), (index, ""), (every, ""), (opaque, "").

    Like SSM's JSONPath library, a selector without the leading ``$`` is read from the root. None: a syntax
    this reading does not follow (another rule reports malformed selectors).
    """
    text = selector.strip()
    if not text:
        return None
    if text.startswith("$"):
        text = text[1:]
    elif text and not text.startswith((".", "[")):
        text = "." + text
    steps: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _SELECTOR_TOKEN.match(text, position)
        if match is None:
            return None
        position = match.end()
        groups = match.groupdict()
        if match.group(0).startswith(".."):
            deep = groups["deep"]
            steps.append(("deep", deep) if deep and deep != "*" else ("opaque", ""))
        elif groups["name"] is not None:
            name = groups["name"]
            if groups["call"]:
                steps.append(("opaque", ""))
            else:
                steps.append(("every", "") if name == "*" else ("member", name))
        elif groups["single"] is not None or groups["double"] is not None:
            steps.append(("member", groups["single"] if groups["single"] is not None else groups["double"]))
        elif groups["index"] is not None:
            steps.append(("index", ""))
        else:
            steps.append(("every", ""))
    return steps


class Selection(NamedTuple):
    """What a selector reaches: shape names (``multi``: a list of matches), or a member it misses."""

    shapes: tuple[str, ...]
    multi: bool
    missing: str = ""
    """The member not found, when the selector misses."""
    where: str = ""
    """The selector up to the miss."""
    members: tuple[str, ...] = ()
    """The members that exist where the selector misses."""


def select(model: ServiceModel, operation: Operation, selector: str) -> Selection | None:
    """Walk a selector through an operation's response. None: it goes where the model cannot follow (accept)."""
    steps = selector_steps(selector)
    if steps is None:
        return None
    names: tuple[str, ...] = (model.response(operation),)
    current = [model.shape(names[0])]
    multi = False
    walked = "$"
    for kind, name in steps:
        if any(shape.kind in _OPAQUE for shape in current) or kind == "opaque":
            return None
        found: list[str] = []
        if kind == "member":
            for shape in current:
                while shape.kind == "list":  # a name applied to a list: read as applied to its elements
                    shape = model.shape(shape.target)
                if shape.kind == "map":
                    found.append(shape.target)
                elif shape.kind == "structure" and name in shape.members:
                    found.append(shape.members[name])
                elif shape.kind in _OPAQUE:
                    return None
            if not found:
                structures = [shape for shape in current if shape.kind == "structure"]
                members = tuple(structures[0].members) if structures else ()
                return Selection(names, multi, name, walked, members)
            walked += f".{name}"
        elif kind == "deep":
            if (names, name) not in model.reach:
                model.reach[names, name] = _deep(model, current, name)
            reach = model.reach[names, name]
            if reach is None:
                return None
            if not reach:
                return Selection(names, True, name, walked, ())
            found, multi = reach, True
            walked += f"..{name}"
        else:
            for shape in current:
                if shape.kind in ("list", "map"):
                    found.append(shape.target)
                elif shape.kind == "structure" and kind == "every":
                    found.extend(shape.members.values())
                else:
                    return None
            multi = multi or kind == "every"
            walked += "[*]" if kind == "every" else "[0]"
        names = tuple(found)
        current = [model.shape(name) for name in names]
    return Selection(names, multi)


def _deep(model: ServiceModel, start: list[Shape], name: str) -> list[str] | None:
    """Every shape a ``..name`` reaches below ``start``; None when a map or document could hold it anyway."""
    found: list[str] = []
    seen: set[str] = set()
    pending = list(start)
    while pending:
        shape = pending.pop()
        if shape.kind == "document" or (shape.kind == "map" and shape.target != "#string"):
            return None  # a key of a map, or anything in a document, may have that name
        targets = list(shape.members.values()) if shape.kind == "structure" else [shape.target] * bool(shape.target)
        if shape.kind == "structure" and name in shape.members:
            found.append(shape.members[name])
        for target in targets:
            if target not in seen:
                seen.add(target)
                pending.append(model.shape(target))
    return found
