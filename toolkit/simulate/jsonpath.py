"""Selectors: the JSONPath of step output ``Selector``s and assert/waitFor ``PropertySelector``s.

SSM Automation is a Java service and reads selectors with Jayway JsonPath (``com.jayway.jsonpath``); which version
AWS does not say. Decision: the simulator reads them exactly as the Jayway JsonPath this repository can run does,
Debian's ``libjsonpath-java`` (Jayway 2.0.0), in its default configuration (``JsonPath.read(json, selector)``: no
``Option``, json-smart's provider). ``jsonpath_parse`` ports its compiler, ``jsonpath_compare`` its comparisons,
this module its evaluation; ``tests/simulate/test_jsonpath_jayway.py`` runs the simulator and that Jayway side by
side on every corpus selector and thousands of generated ones (docs/conformance.md). What a read gives:

- ``(True, value)``: a definite path (names and single indexes only) gives its one value (a JSON null is found);
  an indefinite one (wildcard, deep scan, filter, slice, index union) the list of its matches, ``[]`` included.
- ``(False, None)``: Jayway's PathNotFoundException. The output is not set (a later reference to it fails) and a
  PropertySelector's value is absent.
- ``SelectorError`` from ``compile_selector``: Jayway refuses the selector (InvalidPathException at compile time).
- ``SelectorError`` from ``select``: any other exception while reading (``[0]`` on a map, a filter on a string,
  ``@.n == 'abc'`` against a number): the step fails, naming the selector.

Jayway 2.0.0 knows fewer forms than later versions, and the simulator keeps to it:

- No functions: ``$.list.length()`` looks for a member named "length()" (not found); ``[(@.length-1)]`` is the
  last element. No negative index: ``[-1]`` is not found. Names in brackets take single quotes only (``["a"]`` is
  invalid) and no escapes (``['it\\'s']`` names ``it\\``); a name after a dot ends at ``.``, ``[`` or a space, and
  a ``'`` or ``]`` in it cuts it short.
- Slices: ``[a:]`` and ``[:b]`` count negative bounds from the end; ``[a:b]`` does not, and a negative ``a`` is
  not found. A missing member or index fails the whole read unless a wildcard over a list is above it.
- A deep scan ``..x`` applies what follows ``x`` to each element when it meets a list (``$..[0].a`` reads every
  element's ``a``); a ``..`` filter tests each map and list itself.
- Filters ``[?(...)]``: criteria joined by ``&&`` and ``||``, read by a stack from the right (``a && b || c`` is
  ``c || (b && a)``); no parentheses or ``!`` around criteria (``!@.x`` alone tests that x is absent or null).
  An operand is a definite ``@``/``$`` path, a 'quoted string', a /regex/ or /regex/i, or else its raw text:
  ``@.n == 5`` compares with the text "5", which equals the number 5 and the string "5"; ``true`` and ``null``
  likewise. ``@.x`` alone is true when x exists and is not null. Comparisons follow ``Criteria.safeCompare``: null
  and the string "null" equal each other; a string against a number compares decimals (and fails the read when the
  string is no number); booleans against "true"/"false"; anything else is false, ``!=`` included.
- A filter's /regex/ runs with Python's ``re`` (ASCII classes, as Java's defaults); only syntax both read alike is
  faithful (``\\p{..}``, ``\\Q..\\E`` are Java's alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from toolkit.simulate.jsonpath_compare import Incomparable, compare
from toolkit.simulate.jsonpath_java import JavaError
from toolkit.simulate.jsonpath_parse import (
    AllOf,
    AnyOf,
    CompiledPath,
    Criterion,
    Filter,
    Filtered,
    Index,
    Property,
    Root,
    Scan,
    SelectorError,
    Token,
    Wildcard,
    compile_path,
    definite,
)

__all__ = ["Selector", "SelectorError", "compile_selector"]

_NOT_FOUND: Final = (False, None)
_ARRAY: Final = (list, tuple)


class _NotFound(Exception):
    """Jayway's PathNotFoundException."""


class Selector:
    """A compiled selector. ``select(data)`` gives (found, value): the value of a definite path, or the list of
    matches of an indefinite one (found even when empty); SelectorError when reading fails as Jayway's would."""

    __slots__ = ("_path", "_spread", "_steps", "definite", "text")

    def __init__(self, text: str, path: CompiledPath) -> None:
        self.text = text
        self._path = path
        self.definite = path.definite
        self._steps = _plain_steps(path.tokens)
        self._spread = _spread_steps(path.tokens)

    def select(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            raise SelectorError(f"reading {self.text!r} failed as Jayway's would: the document is null")
        if self._steps is not None:
            return self._plain(data, self._steps)
        if self._spread is not None:
            found = self._spread_read(data, *self._spread)
            if found is not None:
                return found
        return self._general(data)

    def _spread_read(self, node: Any, names: tuple[str, ...], last: str) -> tuple[bool, Any] | None:
        """``$.a.b[*].c``, read as the general reading would (None: a case it leaves to the general reading)."""
        for name in names:
            if not isinstance(node, dict):
                return _NOT_FOUND
            if name not in node:
                return True, []  # a Wildcard follows: not upstream definite, so a missing name finds nothing
            node = node[name]
        if isinstance(node, _ARRAY):
            # an item that is not an object, or lacks the name, is skipped (its PathNotFound caught by the Wildcard)
            return True, [item[last] for item in node if isinstance(item, dict) and last in item]
        if isinstance(node, dict):
            return None  # the Wildcard over an object's values: rare, the general reading
        return True, []

    def _general(self, data: Any) -> tuple[bool, Any]:
        try:
            found = _Reading(data, require=False).read(self._path, data)
        except _NotFound:
            return _NOT_FOUND
        except JavaError as err:
            raise SelectorError(f"reading {self.text!r} failed as Jayway's would: {err}") from None
        if self.definite:
            return (True, found[0]) if found else _NOT_FOUND
        return True, found

    def _plain(self, node: Any, steps: tuple[str | int, ...]) -> tuple[bool, Any]:
        """The common case, a path of single names and indexes, read as the general reading would."""
        for step in steps:
            if isinstance(step, str):
                if not isinstance(node, dict) or step not in node:
                    return _NOT_FOUND
                node = node[step]
            elif node is None:
                return _NOT_FOUND
            elif not isinstance(node, _ARRAY):
                raise SelectorError(
                    f"reading {self.text!r} failed as Jayway's would: an index can only be applied to arrays"
                )
            elif 0 <= step < len(node):
                node = node[step]
            else:
                return _NOT_FOUND
        return True, node

    def find(self, data: Any) -> list[Any]:
        found, value = self.select(data)
        if not found:
            return []
        return [value] if self.definite else list(value)

    def __repr__(self) -> str:
        return f"Selector({self.text!r})"


def compile_selector(selector: str) -> Selector:
    """Compile a selector once; SelectorError, saying why, when Jayway would not compile it."""
    return Selector(selector, compile_path(selector))


class _Reading:
    """One evaluation (Jayway's EvaluationContextImpl): the document's root, and REQUIRE_PROPERTIES (``require``),
    which Jayway sets for a filter's existence tests."""

    __slots__ = ("require", "root")

    def __init__(self, root: Any, *, require: bool) -> None:
        self.root = root
        self.require = require

    def read(self, path: CompiledPath, node: Any) -> list[Any]:
        out: list[Any] = []
        self.step(path.tokens, 0, node, out)
        return out

    def step(self, tokens: Sequence[Token], i: int, node: Any, out: list[Any]) -> None:
        token = tokens[i]
        leaf = i == len(tokens) - 1
        if isinstance(token, Property):
            if not isinstance(node, dict):
                raise _NotFound
            self.properties(tokens, i, node, token.names, out)
        elif isinstance(token, Index):
            self.index(tokens, i, token, node, out)
        elif isinstance(token, Wildcard):
            if isinstance(node, dict):
                for name in node:
                    self.properties(tokens, i, node, (name,), out)
            elif isinstance(node, _ARRAY):
                for position in range(len(node)):
                    try:
                        self.element(tokens, i, node, position, out)
                    except _NotFound:
                        if self.require:
                            raise
        elif isinstance(token, Filtered):
            if isinstance(node, dict):
                if self.accept(token, node):
                    self.then(tokens, i, node, out)
            elif isinstance(node, _ARRAY):
                for position, item in enumerate(node):
                    if self.accept(token, item):
                        self.element(tokens, i, node, position, out)
            else:
                raise JavaError("InvalidPathException", "a filter can not be applied to primitives")
        elif isinstance(token, Scan):
            if leaf:
                raise JavaError("IllegalStateException", "a scan is a leaf")
            self.walk(tokens, i + 1, node, out)
        elif leaf:  # Root
            out.append(node)
        else:
            self.step(tokens, i + 1, node, out)

    def then(self, tokens: Sequence[Token], i: int, node: Any, out: list[Any]) -> None:
        if i == len(tokens) - 1:
            out.append(node)
        else:
            self.step(tokens, i + 1, node, out)

    def properties(
        self, tokens: Sequence[Token], i: int, node: dict[str, Any], names: tuple[str, ...], out: list[Any]
    ) -> None:
        """PathToken.handleObjectProperty."""
        leaf = i == len(tokens) - 1
        if len(names) == 1:
            name = names[0]
            if name not in node:
                if leaf or self.require or _upstream_definite(tokens, i):
                    raise _NotFound
                return
            self.then(tokens, i, node[name], out)
            return
        if not leaf:
            raise JavaError("InvalidPathException", "multi properties can only be used as path leafs")
        merged: dict[str, Any] = {}
        for name in names:
            if name in node:
                merged[name] = node[name]
            elif self.require:
                raise _NotFound
        out.append(merged)

    def element(self, tokens: Sequence[Token], i: int, node: Sequence[Any], position: int, out: list[Any]) -> None:
        """PathToken.handleArrayIndex: an index outside the list (a negative one too) is not found."""
        if not 0 <= position < len(node):
            raise _NotFound
        self.then(tokens, i, node[position], out)

    def index(self, tokens: Sequence[Token], i: int, token: Index, node: Any, out: list[Any]) -> None:
        """ArrayPathToken.evaluate."""
        if node is None:
            raise _NotFound
        if not isinstance(node, _ARRAY):
            raise JavaError("InvalidPathException", "an index can only be applied to arrays")
        numbers, length, operation = token.numbers, len(node), token.operation
        if operation == "single":
            positions: Sequence[int] = numbers[:1]
        elif operation == "sequence":
            positions = numbers
        elif operation == "context":
            positions = (length + numbers[0],)
        elif operation == "start":
            start = numbers[0] + length if numbers[0] < 0 else numbers[0]
            positions = range(max(0, start), length)
        elif operation == "end":
            end = numbers[0] + length if numbers[0] < 0 else numbers[0]
            positions = range(min(length, end))
        elif operation == "between":
            positions = range(numbers[0], min(length, numbers[1])) if length else ()
        else:
            raise JavaError("NullPointerException", "an array token without an operation")
        for position in positions:
            self.element(tokens, i, node, position, out)

    def walk(self, tokens: Sequence[Token], target: int, node: Any, out: list[Any]) -> None:
        """ScanPathToken.walk: ``target`` is the token after the ``..``."""
        if isinstance(node, dict):
            if self.scan_matches(tokens[target], node):
                self.step(tokens, target, node, out)
            children: Any = node.values()
        elif isinstance(node, _ARRAY):
            if self.scan_matches(tokens[target], node):
                if target == len(tokens) - 1:
                    self.step(tokens, target, node, out)
                else:
                    for item in node:
                        self.step(tokens, target + 1, item, out)
            children = node
        else:
            return
        for child in children:
            self.walk(tokens, target, child, out)

    def scan_matches(self, token: Token, node: Any) -> bool:
        if isinstance(token, Property):
            return isinstance(node, dict) and all(name in node for name in token.names)
        if isinstance(token, Index):
            return isinstance(node, _ARRAY)
        if isinstance(token, Wildcard):
            return True
        if isinstance(token, Filtered):
            return self.accept(token, node)
        return False

    # -- filters ------------------------------------------------------------------------------------------------

    def accept(self, token: Filtered, item: Any) -> bool:
        for each in token.filters:
            if each is None:
                raise JavaError("NullPointerException", "[?] has no filter")
            if not self.apply(each, item):
                return False
        return True

    def apply(self, each: Filter, item: Any) -> bool:
        if isinstance(each, AllOf):
            return all(self.apply(part, item) for part in each.parts)
        if isinstance(each, AnyOf):
            return self.apply(each.left, item) or self.apply(each.right, item)
        return self.criterion(each, item)

    def criterion(self, each: Criterion, item: Any) -> bool:
        if each.operator == "exists":
            assert isinstance(each.left, CompiledPath)
            try:
                found = _Reading(self.root, require=True).read(each.left, item)
            except _NotFound:
                return not each.right
            if not found:
                return not each.right
            return (found[0] is not None) == each.right
        try:
            model = self.operand(each.left, item)
            expected = self.operand(each.right, item)
            return compare(each.operator, expected, model)
        except (_NotFound, Incomparable):
            return False

    def operand(self, operand: Any, item: Any) -> Any:
        """Criteria.evaluateIfPath: a path's one value (read from the document when it starts with $)."""
        if not isinstance(operand, CompiledPath):
            return operand
        found = _Reading(self.root, require=self.require).read(operand, self.root if operand.root_path else item)
        if not found:
            raise _NotFound
        return found[0]


def _plain_steps(tokens: Sequence[Token]) -> tuple[str | int, ...] | None:
    """The names and indexes of a path made only of ``$``, single names and single indexes; None for any other."""
    steps: list[str | int] = []
    for token in tokens:
        if isinstance(token, Property) and len(token.names) == 1:
            steps.append(token.names[0])
        elif isinstance(token, Index) and token.operation == "single":
            steps.append(token.numbers[0])
        elif not isinstance(token, Root):
            return None
    return tuple(steps)


def _spread_steps(tokens: Sequence[Token]) -> tuple[tuple[str, ...], str] | None:
    """The names before and the name after the Wildcard of a path ``$``, single names, ``[*]``, one single name
    (``$.trailList[*].Name``); None for any other."""
    if len(tokens) < 3 or not isinstance(tokens[0], Root) or not isinstance(tokens[-2], Wildcard):
        return None
    names: list[str] = []
    for token in (*tokens[1:-2], tokens[-1]):
        if not isinstance(token, Property) or len(token.names) != 1:
            return None
        names.append(token.names[0])
    return tuple(names[:-1]), names[-1]


def _upstream_definite(tokens: Sequence[Token], i: int) -> bool:
    """PathToken.isUpstreamDefinite, as Jayway 2.0.0 computes it: this token definite, and every token from the
    previous one to the end of the path (it looks forward, not back)."""
    if not definite(tokens[i]):
        return False
    return i == 0 or all(definite(token) for token in tokens[i - 1 :])
