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

import functools
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, NoReturn

Step = Callable[[Any, list[Any]], None]
"""One compiled step: apply it to a node, appending matches to the list (or raising _Missing)."""
Select = Callable[[Any], tuple[bool, Any]]
Predicate = Callable[[Any], bool]
Token = tuple[str, Any]

_ARRAY: Final = (list, tuple)
_CONTAINER: Final = (dict, list, tuple)
_NOT_FOUND: Final = (False, None)
_FUNCTIONS: Final = frozenset({"length", "size"})
_OTHER_FUNCTIONS: Final = frozenset({"min", "max", "avg", "stddev", "sum", "concat", "append", "keys", "first", "last"})
_INT_MAX: Final = 2**31 - 1
_INDEX: Final = re.compile(r"-?[0-9]+")
_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ESCAPE: Final = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_ESCAPES: Final = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class SelectorError(ValueError):
    """A selector is not valid JSONPath (or uses a form the simulator does not support)."""


class _Missing(Exception):
    """Jayway's PathNotFoundException: the whole selector finds nothing."""


class _Undefined:
    """A filter operand whose path finds nothing: it equals nothing, itself included."""


_UNDEFINED: Final = _Undefined()


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


@functools.lru_cache(maxsize=4096)
def compile_selector(selector: str) -> Selector:
    """Compile a selector once; raise SelectorError, saying what is wrong and where, when it is not valid."""
    return _build(selector, _PathParser(selector).parse(), strict=False)


# --- evaluation -----------------------------------------------------------------------------------------------


def _build(text: str, tokens: list[Token], *, strict: bool) -> Selector:
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
                if not isinstance(node, _ARRAY):
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
        if not isinstance(node, _ARRAY):
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
        elif isinstance(node, _ARRAY):
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
        elif isinstance(node, _ARRAY):
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
        return lambda node: isinstance(node, _ARRAY)
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
        elif isinstance(node, _ARRAY):
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


# --- filter values ---------------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, re.Pattern):
        return "pattern"
    if value is _UNDEFINED:
        return "undefined"
    return "json"


def _decimal(number: Any) -> Decimal | None:
    if isinstance(number, float):
        return Decimal(repr(number)) if math.isfinite(number) else None
    return Decimal(number)


def _number_text(number: Any) -> str:
    value = _decimal(number)
    return "NaN" if value is None else str(value)


def _same_json(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, _ARRAY):
        return isinstance(b, _ARRAY) and len(a) == len(b) and all(map(_same_json, a, b))
    return type(a) is type(b) and bool(a == b)


def _equal(left: Any, right: Any) -> bool:
    lk, rk = _kind(left), _kind(right)
    if lk == "number" and rk in ("number", "string"):
        number = _decimal(left)
        other = _decimal(right) if rk == "number" else _parse_decimal(right)
        return number is not None and other is not None and number == other
    if lk == "string" and rk in ("number", "string"):
        return bool(left == (_number_text(right) if rk == "number" else right))
    if lk == rk == "json":
        return _same_json(left, right)
    if lk == rk == "pattern":
        return bool(left.pattern == right.pattern and left.flags == right.flags)
    return lk == rk and lk in ("bool", "null") and left == right


def _parse_decimal(text: str) -> Decimal | None:
    return Decimal(text) if _DECIMAL_TEXT.fullmatch(text) else None


def _order(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 as Jayway's <, <=, >, >= see the operands; None when they do not compare."""
    lk, rk = _kind(left), _kind(right)
    a: Any
    b: Any
    if lk == rk == "number":
        a, b = _decimal(left), _decimal(right)
        if a is None or b is None:
            return None
    elif lk in ("number", "string") and rk in ("number", "string"):
        a = _number_text(left) if lk == "number" else left
        b = _number_text(right) if rk == "number" else right
    else:
        return None
    return int(a > b) - int(a < b)


def _regex_text(value: Any) -> str:
    kind = _kind(value)
    if kind == "string":
        text: str = value
        return text
    if kind == "number":
        return _number_text(value)
    return ("true" if value else "false") if kind == "bool" else ""


def _matches(left: Any, right: Any) -> bool:
    if isinstance(left, re.Pattern) == isinstance(right, re.Pattern):
        return False
    pattern, value = (left, right) if isinstance(left, re.Pattern) else (right, left)
    values = value if isinstance(value, _ARRAY) else [value]
    return any(pattern.fullmatch(_regex_text(item)) is not None for item in values)


def _lt(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order < 0


def _le(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order <= 0


def _gt(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order > 0


def _ge(a: Any, b: Any) -> bool:
    order = _order(a, b)
    return order is not None and order >= 0


def _same_kind_equal(a: Any, b: Any) -> bool:
    return _kind(a) == _kind(b) and _equal(a, b)


_OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "===": _same_kind_equal,
    "!==": lambda a, b: not _same_kind_equal(a, b),
    "<": _lt,
    "<=": _le,
    ">": _gt,
    ">=": _ge,
    "=~": _matches,
}
_WORD_OPERATORS: Final = frozenset(
    {"in", "nin", "subsetof", "anyof", "noneof", "size", "empty", "contains", "all", "matches", "type"}
)


# --- parsing ---------------------------------------------------------------------------------------------------


def _unescape(text: str, fail: Callable[[str], NoReturn]) -> str:
    """Jayway's Utils.unescape: Java's backslash escapes and \\uXXXX; any other escaped character is itself."""
    if "\\" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        if code == "u":
            fail("a \\u escape needs four hex digits")
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(replace, text)


def _closing(text: str, start: int, close: str) -> int:
    """The index of the bracket closing the one at ``start``, skipping quoted strings and /regexes/; -1 if none."""
    opening, depth, i = text[start], 0, start
    while i < len(text):
        char = text[i]
        if char in "'\"/":
            i += 1
            while i < len(text) and text[i] != char:
                i += 2 if text[i] == "\\" else 1
            if i >= len(text):
                return -1
        elif char == opening:
            depth += 1
        elif char == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


class _PathParser:
    """Jayway's PathCompiler, for the forms the simulator supports."""

    def __init__(self, selector: str, report: Callable[[str], NoReturn] | None = None) -> None:
        self.selector = selector
        text = selector.strip()
        self.text = text if not text or text[0] in "$@" else f"$.{text}"
        self.report = report
        self.pos = 0

    def fail(self, reason: str, position: int | None = None) -> NoReturn:
        if self.report is not None:
            self.report(f"path {self.text!r}: {reason}")
        read = "" if self.text == self.selector.strip() else f" (read as {self.text!r})"
        where = (self.pos if position is None else position) + 1
        raise SelectorError(f"invalid selector {self.selector!r}{read}: {reason} (at character {where})")

    def skip(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in " \t\r\n":
            i += 1
        return i

    def parse(self) -> list[Token]:
        text = self.text
        if not text:
            self.fail("it is empty", 0)
        if text.endswith("."):
            self.fail("it must not end with '.'", len(text) - 1)
        if len(text) > 1 and text[1] not in ".[":
            self.fail(f"expected '.' or '[' after {text[0]!r}", 1)
        tokens: list[Token] = []
        self.pos = 1
        while self.pos < len(text):
            char = text[self.pos]
            if char == "[":
                tokens.append(self.bracket())
            elif char == "*":
                tokens.append(("wild", None))
                self.pos += 1
            elif char != ".":
                tokens.append(self.name())
            else:
                if text.startswith("..", self.pos):
                    tokens.append(("scan", None))
                self.pos += 2 if text.startswith("..", self.pos) else 1
                if text[self.pos] == ".":
                    self.fail("'...' is not valid")
        return tokens

    def name(self) -> Token:
        text, start = self.text, self.pos
        end = start
        while end < len(text) and text[end] not in ".[(":
            if text[end] == " ":
                self.fail("a name with a space needs brackets, as ['my name']", end)
            end += 1
        name = text[start:end]
        self.pos = end
        if end == len(text) or text[end] != "(":
            return ("key", name)
        close = text.find(")", end)
        if close < 0:
            self.fail(f"the parentheses of {name}() are not closed", end)
        if text[end + 1 : close].strip():
            self.fail(f"function arguments are not supported by the simulator: {name}(...)", end)
        if name not in _FUNCTIONS:
            supported = "length() and size()"
            if name in _OTHER_FUNCTIONS:
                self.fail(f"function {name}() is not supported by the simulator (only {supported})", start)
            self.fail(f"unknown function {name}() (the simulator supports {supported})", start)
        if close != len(text) - 1:
            self.fail(f"{name}() must end the selector", close + 1)
        self.pos = close + 1
        return ("func", name)

    def bracket(self) -> Token:
        text = self.text
        i = self.skip(self.pos + 1)
        char = text[i] if i < len(text) else ""
        if char in ("'", '"'):
            return self.names(i)
        if char and char in "0123456789-:":
            return self.indexes()
        if char == "*":
            close = self.skip(i + 1)
            if close >= len(text) or text[close] != "]":
                self.fail("expected ']' after '[*'", close)
            self.pos = close + 1
            return ("wild", None)
        if char == "?":
            return self.filter(i)
        self.fail("expected a quoted name, an index, '*' or '?(...)' after '['", i)

    def names(self, i: int) -> Token:
        text, quote = self.text, self.text[i]
        names: list[str] = []
        while True:
            j = i + 1
            while j < len(text) and text[j] != quote:
                j += 2 if text[j] == "\\" else 1
            if j >= len(text):
                self.fail(f"a name is not closed with {quote}", i)
            names.append(_unescape(text[i + 1 : j], self.fail))
            k = self.skip(j + 1)
            if k < len(text) and text[k] == "]":
                break
            if k >= len(text) or text[k] != ",":
                self.fail("expected ',' or ']' after a quoted name", k)
            i = self.skip(k + 1)
            if i >= len(text) or text[i] != quote:
                self.fail(f"expected a name in {quote} after ','", i)
        self.pos = k + 1
        return ("key", names[0]) if len(names) == 1 else ("keys", tuple(names))

    def indexes(self) -> Token:
        close = self.text.find("]", self.pos)
        if close < 0:
            self.fail("missing ']'")
        expression = self.text[self.pos + 1 : close].strip()
        if expression.strip("0123456789,-: "):
            self.fail(f"invalid index [{expression}]")
        token: Token
        if ":" in expression:
            parts = expression.split(":")
            while parts and not parts[-1]:
                parts.pop()  # as Java's String.split
            start, stop = [self.integer(part) if part else None for part in parts[:2]] + [None] * (2 - len(parts[:2]))
            if start is None and stop is None:
                self.fail(f"invalid slice [{expression}]")
            token = ("slice", (start, stop))
        else:
            values = tuple(self.integer(part) for part in re.split(r"\s*,\s*", expression))
            token = ("index", values[0]) if len(values) == 1 else ("indexes", values)
        self.pos = close + 1
        return token

    def integer(self, text: str) -> int:
        if not _INDEX.fullmatch(text) or not -_INT_MAX - 1 <= int(text) <= _INT_MAX:
            self.fail(f"invalid index {text!r}")
        return int(text)

    def filter(self, question: int) -> Token:
        text = self.text
        opening = self.skip(question + 1)
        if opening >= len(text) or text[opening] != "(":
            self.fail("expected '(' after '[?': a filter is written [?(...)]", opening)
        close = _closing(text, opening, ")")
        if close < 0:
            self.fail("the filter's parentheses, quotes or /regex/ are not closed", opening)
        end = self.skip(close + 1)
        if end >= len(text) or text[end] != "]":
            self.fail("expected ']' after the filter", end)
        predicate = _FilterParser(self, text[opening : close + 1], opening).parse()
        self.pos = end + 1
        return ("filter", predicate)


Getter = Callable[[Any], Any]


class _FilterParser:
    """Jayway's FilterCompiler: ``||`` of ``&&`` of operands; an operand is ``!`` operand, ``(...)``, or a relation
    ``value [operator value]`` whose lone value must be a path (an existence test, negated by a ``!`` before it)."""

    def __init__(self, owner: _PathParser, text: str, offset: int) -> None:
        self.owner, self.text, self.offset, self.pos = owner, text, offset, 0

    def fail(self, reason: str) -> NoReturn:
        self.owner.fail(f"in the filter, {reason}", self.offset + self.pos)

    def skip(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def parse(self) -> Predicate:
        predicate = self.any_of()
        if self.skip():
            self.fail(f"unexpected {self.text[self.pos :]!r}")
        return predicate

    def any_of(self) -> Predicate:
        parts = [self.all_of()]
        while self.skip() == "|":
            if not self.text.startswith("||", self.pos):
                self.fail("expected '||'")
            self.pos += 2
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else lambda item: any(part(item) for part in parts)

    def all_of(self) -> Predicate:
        parts = [self.operand()]
        while self.skip() == "&":
            if not self.text.startswith("&&", self.pos):
                self.fail("expected '&&'")
            self.pos += 2
            parts.append(self.operand())
        return parts[0] if len(parts) == 1 else lambda item: all(part(item) for part in parts)

    def operand(self) -> Predicate:
        char = self.skip()
        if char == "!":
            self.pos += 1
            if self.skip() in ("@", "$"):
                return self.relation(should_exist=False)
            inner = self.operand()
            return lambda item: not inner(item)
        if char == "(":
            self.pos += 1
            inner = self.any_of()
            if self.skip() != ")":
                self.fail("expected ')'")
            self.pos += 1
            return inner
        return self.relation(should_exist=True)

    def relation(self, should_exist: bool) -> Predicate:
        left, path = self.value()
        if self.skip() in ("", ")", "&", "|"):
            if path is None:
                self.fail("expected an operator after a value")
            exists = _build(path, self.path_tokens(path), strict=True).select
            return lambda item: exists(item)[0] == should_exist
        compare = self.operator()
        right, _ = self.value()
        return lambda item: compare(left(item), right(item))

    def operator(self) -> Callable[[Any, Any], bool]:
        text, start = self.text, self.pos
        symbols = text[start] in "<>=~!"
        while self.pos < len(text) and (text[self.pos] in "<>=~!" if symbols else text[self.pos] not in " \t\r\n"):
            self.pos += 1
        word = text[start : self.pos]
        compare = _OPERATORS.get(word)
        if compare is None:
            if word.lower() in _WORD_OPERATORS:
                self.fail(f"the operator {word!r} is not supported by the simulator")
            self.fail(f"unknown operator {word!r}")
        return compare

    def value(self) -> tuple[Getter, str | None]:
        """A getter of the operand's value for an item, and the operand's path text when it is a path."""
        char, text = self.skip(), self.text
        if char == "@":
            return self.path()
        if char == "$":
            self.fail("the simulator does not support $ (the document root) inside a filter; use @")
        constant: Any
        if char in ("'", '"'):
            constant = self.quoted(char)
        elif char == "/":
            constant = self.pattern()
        elif char in ("[", "{"):
            self.fail("JSON literals are not supported by the simulator")
        elif text.startswith(("true", "false", "null"), self.pos):
            word = next(w for w in ("true", "false", "null") if text.startswith(w, self.pos))
            constant = {"true": True, "false": False, "null": None}[word]
            self.pos += len(word)
        else:
            start = self.pos
            while self.pos < len(text) and text[self.pos] in "0123456789-.eE":
                self.pos += 1
            literal = text[start : self.pos]
            if not _DECIMAL_TEXT.fullmatch(literal):
                self.fail(f"expected a value at {text[start:]!r}")
            constant = Decimal(literal)
        return (lambda item: constant), None

    def quoted(self, quote: str) -> str:
        text, start = self.text, self.pos + 1
        end = start
        while end < len(text) and text[end] != quote:
            end += 2 if text[end] == "\\" else 1
        if end >= len(text):
            self.fail(f"a string is not closed with {quote}")
        self.pos = end + 1
        return _unescape(text[start:end], self.fail)

    def pattern(self) -> re.Pattern[str]:
        text, start = self.text, self.pos + 1
        end = start
        while end < len(text) and text[end] != "/":
            end += 2 if text[end] == "\\" else 1
        if end >= len(text):
            self.fail("a /regex/ is not closed")
        self.pos = end + 1
        flags = 0
        if self.pos < len(text) and text[self.pos] == "i":
            flags, self.pos = re.IGNORECASE, self.pos + 1
        try:
            return re.compile(text[start:end], flags)
        except re.error as err:
            self.fail(f"invalid regular expression /{text[start:end]}/: {err}")

    def path(self) -> tuple[Getter, str]:
        text, start = self.text, self.pos
        self.pos += 1
        while self.pos < len(text):
            char = text[self.pos]
            if char == "[":
                close = _closing(text, self.pos, "]")
                if close < 0:
                    self.fail("square brackets do not match")
                self.pos = close + 1
            elif char == ")" and text[self.pos - 1] == "(":
                self.pos += 1  # the () of a function
            elif char in "<>=~! \t\r\n)&|":
                break
            else:
                self.pos += 1
        path = text[start : self.pos]
        select = _build(path, self.path_tokens(path), strict=False).select

        def get(item: Any) -> Any:
            found, value = select(item)
            return value if found else _UNDEFINED

        return get, path

    def path_tokens(self, path: str) -> list[Token]:
        return _PathParser(path, self.fail).parse()
