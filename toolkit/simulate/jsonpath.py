"""Selectors: the JSONPath of step output ``Selector``s and assert/waitFor ``PropertySelector``s.

SSM Automation is a Java service and, as far as we know, reads selectors with Jayway JsonPath
(``com.jayway.jsonpath``) in its default configuration. Decision: follow Jayway, quirks included, so a selector
finds in the simulator what it would find on AWS. What that means:

- Without a leading ``$`` (or ``@``) a selector is read from the root: Jayway prepends ``$.``, so ``Trail.Name`` is
  ``$.Trail.Name`` and ``.Name`` is ``$..Name`` (a deep scan).
- A *definite* path (``.name``, ``['name']``, ``[n]``, and last a ``['a','b']`` or a function) has one value. When
  a step misses (absent member, index out of range, a member of a non-map, an index of a non-list) nothing is
  found, as Jayway's PathNotFoundException. A JSON null is found (value None).
- An *indefinite* path (wildcard, deep scan, filter, slice, index union ``[0,2]``) gives the list of matches in
  document order, ``[]`` when none match; a miss in the definite part before the first indefinite step is still
  "not found" (Jayway throws for ``$.Missing[*]`` but returns ``[]`` for ``$.List[9][*]``). A wildcard on a scalar
  with more path after it is "not found" too, unless an enclosing wildcard runs over a list (which skips it).
- ``.length()`` and ``.size()``: the number of elements of a list or members of a map, None for anything else.
  ``.length`` without parentheses is a member lookup like any other: on a list it finds nothing. ``$..x.length()``
  counts the children of every ``..x`` match (Jayway rewrites it to ``length($..x[*])``).
- ``['a','b']`` last in a path gives one map of the members present (a definite path); elsewhere it visits each.
- ``[-1]`` counts from the end. Slices are Jayway's, not Python's: ``[a:b]`` visits ``i`` in ``range(a, min(b,
  len))``, a negative ``i`` counted from the end, so ``[1:-1]`` is empty and ``[-1:2]`` wraps round; ``[a:]`` and
  ``[:b]`` clamp like Python.
- A deep scan ``..x`` visits a node before its children, map members in order. On a list it applies what follows
  ``x`` to every element when ``x`` is ``[n]`` (Jayway's walk does that: ``$..[0].a`` finds every element's ``a``).
- A filter ``[?(...)]`` on a list keeps the elements that pass; on a map it tests the map itself. ``&&`` binds
  tighter than ``||``; ``!`` negates a parenthesised group or, before a path, an existence test. Comparisons follow
  Jayway's value nodes: a missing member equals nothing (so ``@.Missing != 'x'`` is true); a number equals a
  string when the string parses to the same decimal (number on the left) or the number's text is the string
  (string on the left); ``<`` between a number and a string compares texts; booleans and null equal only their
  own kind; ``=~ /re/i`` matches the whole text.

Not supported, a ``SelectorError`` at compile time: functions other than length()/size(), function arguments,
a function anywhere but last, ``$`` inside a filter, JSON literals and the word operators (in, nin, contains, ...)
in filters. Strings compare by code point (Java by UTF-16 unit) and a float's text is Python's shortest repr;
the two differ only for characters outside the BMP and floats such as 1e+20.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from toolkit.simulate.jsonpath_compare import ARRAY
from toolkit.simulate.jsonpath_parse import PathParser, Predicate, Select, SelectorError, Token

Step = Callable[[Any, list[Any]], None]
"""One compiled step: apply it to a node, appending matches to the list (or raising _Missing)."""

_CONTAINER: Final = (dict, list, tuple)
_NOT_FOUND: Final = (False, None)


class _Missing(Exception):
    """Jayway's PathNotFoundException: the whole selector finds nothing."""


class Selector:
    """A compiled selector. ``select(data)`` gives (found, value): the value of a definite path, or the list of
    matches of an indefinite one (found even when empty); ``find(data)`` gives all matches."""

    __slots__ = ("definite", "select", "text")

    def __init__(self, text: str, definite: bool, select: Select) -> None:
        self.text = text
        self.definite = definite
        self.select = select

    def find(self, data: Any) -> list[Any]:
        found, value = self.select(data)
        if not found:
            return []
        return [value] if self.definite else list(value)

    def __repr__(self) -> str:
        return f"Selector({self.text!r})"


__all__ = ["Selector", "SelectorError", "compile_selector"]


def compile_selector(selector: str) -> Selector:
    """Compile a selector once; raise SelectorError, saying what is wrong and where, when it is not valid."""
    return assemble(selector, PathParser(selector, _compile_path).parse(), strict=False)


def _compile_path(text: str, tokens: list[Token], strict: bool) -> Select:
    """A filter's operand path, compiled for the parser (which never imports this module)."""
    return assemble(text, tokens, strict=strict).select


# --- evaluation -----------------------------------------------------------------------------------------------


def assemble(text: str, tokens: list[Token], *, strict: bool) -> Selector:
    """``strict`` is Jayway's REQUIRE_PROPERTIES, which its filters use for existence tests."""
    if tokens and tokens[0][0] == "scan" and tokens[-1][0] == "func":
        return Selector(text, True, _count_children(_chain([*tokens[:-1], ("wild", None)], strict)))
    definite = all(_token_definite(tokens, i) for i in range(len(tokens)))
    if definite and not strict:
        return Selector(text, True, _definite(tokens))
    chain = _chain(tokens, strict)

    def select(data: Any) -> tuple[bool, Any]:
        out: list[Any] = []
        try:
            chain(data, out)
        except _Missing:
            return _NOT_FOUND
        if definite:
            return (True, out[0]) if out else _NOT_FOUND
        return True, out

    return Selector(text, definite, select)


def _token_definite(tokens: list[Token], index: int) -> bool:
    kind = tokens[index][0]
    return kind in ("key", "index", "func") or (kind == "keys" and index == len(tokens) - 1)


def _definite(tokens: list[Token]) -> Select:
    """The fast path: a loop over member names and indexes, with an optional merge or function last."""
    last = tokens[-1] if tokens and tokens[-1][0] in ("keys", "func") else None
    ops = tuple((kind == "index", arg) for kind, arg in (tokens[:-1] if last else tokens))
    if last is None and not any(is_index for is_index, _ in ops):
        keys = tuple(arg for _, arg in ops)

        def select_keys(data: Any) -> tuple[bool, Any]:
            node = data
            for key in keys:
                if not isinstance(node, dict):
                    return _NOT_FOUND
                try:
                    node = node[key]
                except KeyError:
                    return _NOT_FOUND
            return True, node

        return select_keys

    def select(data: Any) -> tuple[bool, Any]:
        node = data
        for is_index, arg in ops:
            if is_index:
                if not isinstance(node, ARRAY):
                    return _NOT_FOUND
                position = arg + len(node) if arg < 0 else arg
                if not 0 <= position < len(node):
                    return _NOT_FOUND
                node = node[position]
            else:
                if not isinstance(node, dict):
                    return _NOT_FOUND
                try:
                    node = node[arg]
                except KeyError:
                    return _NOT_FOUND
        if last is None:
            return True, node
        if last[0] == "func":
            return True, len(node) if isinstance(node, _CONTAINER) else None
        if not isinstance(node, dict):
            return _NOT_FOUND
        return True, {name: node[name] for name in last[1] if name in node}

    return select


def _count_children(chain: Step) -> Select:
    def select(data: Any) -> tuple[bool, Any]:
        out: list[Any] = []
        try:
            chain(data, out)
        except _Missing:
            return _NOT_FOUND
        return True, len(out)

    return select


def _append(node: Any, out: list[Any]) -> None:
    out.append(node)


def _chain(tokens: list[Token], strict: bool) -> Step:
    """Compile tokens, last first, into one step function calling the next."""
    count = len(tokens)
    upstream = [all(_token_definite(tokens, j) for j in range(i)) for i in range(count)]
    steps: list[Step] = [_append] * (count + 1)
    for i in reversed(range(count)):
        kind, arg = tokens[i]
        nxt, leaf, up = steps[i + 1], i == count - 1, upstream[i]
        if kind == "key":
            steps[i] = _key_step(arg, nxt, up, strict or (up and not leaf))
        elif kind == "keys":
            steps[i] = _keys_step(arg, nxt, up, leaf, strict)
        elif kind == "index":
            steps[i] = _index_step((arg,), False, nxt, up)
        elif kind in ("indexes", "slice"):
            steps[i] = _index_step(arg, kind == "slice", nxt, up)
        elif kind == "wild":
            steps[i] = _wild_step(nxt, leaf, strict)
        elif kind == "filter":
            steps[i] = _filter_step(arg, nxt, up)
        elif kind == "func":
            steps[i] = _func_step
        else:  # scan: what the next token applies to, and what follows it
            target_leaf = i + 1 == count - 1
            matches = _scan_match(tokens[i + 1], target_leaf, strict)
            steps[i] = _scan_step(matches, steps[i + 1], steps[i + 2], target_leaf)
    return steps[0]


def _key_step(name: str, nxt: Step, up: bool, raise_missing: bool) -> Step:
    def step(node: Any, out: list[Any]) -> None:
        if not isinstance(node, dict):
            if up:
                raise _Missing
            return
        try:
            value = node[name]
        except KeyError:
            if raise_missing:
                raise _Missing from None
            return
        nxt(value, out)

    return step


def _keys_step(names: tuple[str, ...], nxt: Step, up: bool, leaf: bool, strict: bool) -> Step:
    def step(node: Any, out: list[Any]) -> None:
        if not isinstance(node, dict):
            if up:
                raise _Missing
            return
        if strict and any(name not in node for name in names):
            raise _Missing
        if leaf:
            nxt({name: node[name] for name in names if name in node}, out)
            return
        for name in names:
            if name in node:
                nxt(node[name], out)

    return step


def _index_step(arg: Any, is_slice: bool, nxt: Step, up: bool) -> Step:
    def step(node: Any, out: list[Any]) -> None:
        if not isinstance(node, ARRAY):
            if up:
                raise _Missing
            return
        size = len(node)
        for position in _slice_positions(arg, size) if is_slice else arg:
            if position < 0:
                position += size
            if 0 <= position < size:
                nxt(node[position], out)

    return step


def _slice_positions(bounds: tuple[int | None, int | None], size: int) -> range:
    """The positions Jayway's slice visits; a negative position is later counted from the end."""
    start, stop = bounds
    if size == 0:
        return range(0)
    if stop is None:  # [a:]
        first = start or 0
        return range(max(0, first + size if first < 0 else first), size)
    if start is None:  # [:b]
        return range(min(size, stop + size if stop < 0 else stop))
    return range(start, min(size, stop))  # [a:b]: b is not counted from the end, a negative a wraps round


def _wild_step(nxt: Step, leaf: bool, strict: bool) -> Step:
    def step(node: Any, out: list[Any]) -> None:
        if isinstance(node, dict):
            for value in node.values():
                nxt(value, out)
        elif isinstance(node, ARRAY):
            for item in node:
                try:
                    nxt(item, out)
                except _Missing:
                    if strict:
                        raise
        elif not leaf:
            raise _Missing

    return step


def _filter_step(accept: Predicate, nxt: Step, up: bool) -> Step:
    def step(node: Any, out: list[Any]) -> None:
        if isinstance(node, dict):
            if accept(node):
                nxt(node, out)
        elif isinstance(node, ARRAY):
            for item in node:
                if accept(item):
                    nxt(item, out)
        elif up:
            raise _Missing  # Jayway: InvalidPathException, "Filter can not be applied to primitives"

    return step


def _func_step(node: Any, out: list[Any]) -> None:
    out.append(len(node) if isinstance(node, _CONTAINER) else None)


def _scan_match(target: Token, leaf: bool, strict: bool) -> Predicate:
    """Which nodes a deep scan applies its target to (Jayway's scan predicates)."""
    kind, arg = target
    if kind == "key":
        return (
            (lambda node: isinstance(node, dict)) if strict else (lambda node: isinstance(node, dict) and arg in node)
        )
    if kind == "keys":
        if strict or not leaf:
            return lambda node: isinstance(node, dict)
        return lambda node: isinstance(node, dict) and all(name in node for name in arg)
    if kind in ("index", "indexes", "slice"):
        return lambda node: isinstance(node, ARRAY)
    if kind == "wild":
        return lambda node: True
    if kind == "filter":
        accept: Predicate = arg
        return accept
    return lambda node: False


def _scan_step(matches: Predicate, target: Step, after: Step, target_leaf: bool) -> Step:
    def walk(node: Any, out: list[Any]) -> None:
        if isinstance(node, dict):
            if matches(node):
                target(node, out)
            children: Any = node.values()
        elif isinstance(node, ARRAY):
            if matches(node):
                if target_leaf:
                    target(node, out)
                else:
                    for item in node:
                        after(item, out)
            children = node
        else:
            return
        for child in children:
            if isinstance(child, _CONTAINER):
                walk(child, out)

    return walk
