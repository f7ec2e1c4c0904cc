"""Reading a selector as Jayway JsonPath 2.0.0 does: ``PathCompiler``, its ``PathComponentAnalyzer``,
``Filter.parse`` and ``Criteria.parse``, ported line by line, quirks included.

The result is data: a ``CompiledPath`` of tokens, filters made of ``Criterion``, ``AllOf`` and ``AnyOf``.
``toolkit.simulate.jsonpath`` evaluates it. Every Java exception the compiler would meet (Jayway wraps each one into
an InvalidPathException) is a ``JavaError`` here; ``compile_path`` turns it into ``SelectorError``.
"""

from __future__ import annotations

import re
from typing import Final, TypeAlias

from toolkit.records import Record
from toolkit.simulate.jsonpath_java import (
    JavaError,
    char_at,
    compile_pattern,
    is_digit,
    parse_int,
    split_operators,
    substring,
    text,
    trim,
    units,
)


class SelectorError(ValueError):
    """The selector is not valid JSONPath as Jayway reads it, or reading it failed as Jayway's read would."""


# --- what a selector compiles to -------------------------------------------------------------------------------
# Frozen records (``toolkit.records``: as the dataclasses they were, without their cost when this module loads).


class Root(Record):
    """``$`` (also a ``$`` later in the path, which passes its node on)."""

    __slots__ = ()


class Property(Record):
    """``['a']``, ``.a`` or ``['a','b']`` (several names: one merged map, allowed only last)."""

    __slots__ = ("names",)
    _FIELDS = ("names",)
    names: tuple[str, ...]

    def __init__(self, names: tuple[str, ...]) -> None:
        object.__setattr__(self, "names", names)


class Index(Record):
    """An array operation: ``single`` [n], ``sequence`` [n,m], ``context`` [(@.length-n)], ``start`` [n:],
    ``end`` [:n], ``between`` [n:m]."""

    __slots__ = ("numbers", "operation")
    _FIELDS = ("operation", "numbers")
    operation: str
    numbers: tuple[int, ...]

    def __init__(self, operation: str, numbers: tuple[int, ...]) -> None:
        object.__setattr__(self, "operation", operation)
        object.__setattr__(self, "numbers", numbers)


class Wildcard(Record):
    """``*``, ``[*]``, ``.*``."""

    __slots__ = ()


class Scan(Record):
    """``..``: applies the next token to every node below."""

    __slots__ = ()


class Filtered(Record):
    """``[?(...)]``; a ``None`` filter is one of ``[?]``'s placeholders, which a selector text never fills."""

    __slots__ = ("filters",)
    _FIELDS = ("filters",)
    filters: tuple[Filter | None, ...]

    def __init__(self, filters: tuple[Filter | None, ...]) -> None:
        object.__setattr__(self, "filters", filters)


Token: TypeAlias = "Root | Property | Index | Wildcard | Scan | Filtered"


class CompiledPath(Record):
    """Tokens (the first is ``Root``); ``root_path``: the text began with ``$`` (in a filter: the document)."""

    __slots__ = ("root_path", "source", "tokens")
    _FIELDS = ("source", "tokens", "root_path")
    source: str
    tokens: tuple[Token, ...]
    root_path: bool

    def __init__(self, source: str, tokens: tuple[Token, ...], root_path: bool) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "root_path", root_path)

    @property
    def definite(self) -> bool:
        return all(definite(token) for token in self.tokens)


class JavaPattern(Record):
    """A filter's ``/regex/`` or ``/regex/i``: ``source`` is its text (``Pattern.toString``)."""

    __slots__ = ("pattern", "source")
    _FIELDS = ("source", "pattern")
    source: str
    pattern: re.Pattern[str]

    def __init__(self, source: str, pattern: re.Pattern[str]) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "pattern", pattern)


Operand: TypeAlias = "CompiledPath | JavaPattern | str"


class Criterion(Record):
    """``left operator right``; an existence test (``@.a``, ``!@.a``) has operator ``exists`` and ``right`` says
    whether the path should exist."""

    __slots__ = ("left", "operator", "right")
    _FIELDS = ("left", "operator", "right")
    left: Operand
    operator: str
    right: Operand | bool

    def __init__(self, left: Operand, operator: str, right: Operand | bool) -> None:
        object.__setattr__(self, "left", left)
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "right", right)


class AllOf(Record):
    """Every one of ``parts`` (``&&``)."""

    __slots__ = ("parts",)
    _FIELDS = ("parts",)
    parts: tuple[Filter, ...]

    def __init__(self, parts: tuple[Filter, ...]) -> None:
        object.__setattr__(self, "parts", parts)


class AnyOf(Record):
    """``left`` or ``right`` (``||``)."""

    __slots__ = ("left", "right")
    _FIELDS = ("left", "right")
    left: Filter
    right: Filter

    def __init__(self, left: Filter, right: Filter) -> None:
        object.__setattr__(self, "left", left)
        object.__setattr__(self, "right", right)


Filter: TypeAlias = "Criterion | AllOf | AnyOf"

_OPERATORS: Final = ("==", ">=", "<=", "!=", "<", ">", "=~")  # Criteria.OPERATORS, searched in this order
_WHITE: Final = " \t\n\x0b\f\r"
_FILTER_PLACEHOLDERS: Final = re.compile(rf"\[[{_WHITE}]*\?[{_WHITE}]*[,{_WHITE}*?]*?[{_WHITE}]*\]")


def definite(token: Token) -> bool:
    if isinstance(token, Index):
        return token.operation in ("single", "context")
    return isinstance(token, (Root, Property))


_EARLY_END: Final = "it ends before a bracket, quote or parenthesis closes"


def compile_path(selector: str) -> CompiledPath:
    """Compile a selector as ``JsonPath.compile`` does; SelectorError, saying why, when Jayway would refuse it."""
    try:
        return _compile(units(selector))
    except JavaError as err:
        stripped = selector.strip()
        read = f" (read as '$.{stripped}')" if stripped and stripped[0] not in "$@" else ""
        if not trim(units(selector)):
            reason = "it is empty"
        else:
            reason = _EARLY_END if err.kind == "StringIndexOutOfBoundsException" else str(err)
        raise SelectorError(f"invalid selector {selector!r}{read}: {reason}") from None


# --- PathCompiler ----------------------------------------------------------------------------------------------


def _compile(path: str) -> CompiledPath:
    if not path:
        raise JavaError("IllegalArgumentException", "it is empty")
    path = trim(path)
    if path.endswith(".."):
        raise JavaError("InvalidPathException", "A path can not end with a scan.")
    if char_at(path, 0) not in "$@":
        path = "$." + path
    root_path = path[0] == "$"
    if path[0] == "@":
        path = "$" + path[1:]
    if len(path) > 1 and path[1] not in ".[":
        raise JavaError("InvalidPathException", f"{text(path)}: '$' must be followed by '.' or '['")
    tokens: list[Token] = []
    i = 0
    while True:
        current = path[i]
        if current == " ":
            raise JavaError("InvalidPathException", "a space outside brackets (a name with one is written ['my name'])")
        if current == "$":
            fragment, i = "$", i + 1
        elif current == "[":
            positions = _until_closed(path, i)
            fragment, i = path[i : i + positions], i + positions
        elif current == ".":
            i += 1
            if char_at(path, i) == ".":
                fragment, i = "..", i + 1
            else:
                positions = _fast_forward(path, i)
                if positions == 0:
                    if i < len(path):
                        continue
                    break
                fragment = "[*]" if positions == 1 and path[i] == "*" else f"['{path[i : i + positions]}']"
                i += positions
        elif current == "*":
            fragment, i = "[*]", i + 1
        else:
            positions = _fast_forward(path, i)
            fragment, i = f"['{path[i : i + positions]}']", i + positions
        tokens.append(_Analyzer(fragment).analyze())
        if i >= len(path):
            break
    return CompiledPath(text(path), tuple(tokens), root_path)


def _fast_forward(path: str, index: int) -> int:
    end = index
    while end < len(path) and path[end] not in ".[ ":
        end += 1
    return end - index


def _until_closed(path: str, index: int) -> int:
    """How many characters from the ``[`` at ``index`` to its ``]`` (nested brackets counted, quotes not)."""
    skip, nested, index = 1, 0, index + 1
    while index < len(path):
        current = path[index]
        index += 1
        skip += 1
        if current == "]" and nested == 0:
            break
        if current == "[":
            nested += 1
        if current == "]":
            nested -= 1
    return skip


class _Analyzer:
    """PathComponentAnalyzer: one fragment (``$``, ``..``, ``[...]``) into its token."""

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment
        self.i = 0
        self.current = ""

    def analyze(self) -> Token:
        fragment = self.fragment
        if fragment == "$":
            return Root()
        if fragment == "..":
            return Scan()
        if fragment in ("[*]", ".*"):
            return Wildcard()
        if fragment == "[?]":
            return Filtered((None,))
        if _FILTER_PLACEHOLDERS.fullmatch(fragment):
            return Filtered((None,) * fragment.count("?"))
        while True:
            self.current = char_at(fragment, self.i)
            if self.current == "?":
                return self._criteria()
            if self.current == "'":
                return self._property()
            if is_digit(self.current) or self.current in ":-@":
                return self._array()
            self.i += 1
            if self.i >= len(fragment):
                raise JavaError(
                    "InvalidPathException",
                    f"{text(fragment)} is neither a quoted name, an index, a slice nor a filter "
                    "(names take single quotes)",
                )

    def _next(self) -> str:
        self.i += 1
        self.current = char_at(self.fragment, self.i)
        return self.current

    def _criteria(self) -> Token:
        fragment, start = self.fragment, self.i
        while char_at(fragment, start) != "[":
            start -= 1
        end, current, in_property, square, round_ = 0, start, False, 0, 0
        previous = " "
        while end == 0:
            char = char_at(fragment, current)
            if char == "(" and not in_property:
                round_ += 1
            elif char == ")" and not in_property:
                round_ -= 1
            elif char == "[" and not in_property:
                square += 1
            elif char == "]" and not in_property:
                square -= 1
                if round_ == 0:
                    end = current + 1
            elif char == "'" and previous != "\\":
                in_property = not in_property
            previous = char
            current += 1
        if round_ != 0 or square != 0:
            raise JavaError("InvalidPathException", "Filter brackets are not balanced")
        self.i = end
        return Filtered((_parse_filter(fragment[start:end]),))

    def _property(self) -> Token:
        names: list[str] = []
        buffer: list[str] = []
        open_ = False
        while self.current != "]":
            if self.current == "'":
                if open_:
                    names.append(text("".join(buffer)))
                    buffer.clear()
                open_ = not open_
            elif open_:
                buffer.append(self.current)
            self._next()
        return Property(tuple(names))

    def _array(self) -> Token:
        buffer: list[str] = []
        numbers: list[int] = []
        context = self.current == "@"
        slice_to = slice_from = slice_between = sequence = False
        if context:
            self._next()
            self._next()
            while self.current != "-":
                if self.current not in " ()":
                    buffer.append(self.current)
                self._next()
            function = "".join(buffer)
            buffer.clear()
            if function not in ("size", "length"):
                raise JavaError("InvalidPathException", f"Invalid function: @.{text(function)}")
            while self.current != ")":
                if self.current != " ":
                    buffer.append(self.current)
                self._next()
        else:
            while is_digit(self.current) or self.current in ", :-":
                if self.current == ":":
                    if not buffer:
                        slice_to = True
                        self._next()
                        while is_digit(self.current) or self.current in " -":
                            if self.current != " ":
                                buffer.append(self.current)
                            self._next()
                        numbers.append(parse_int("".join(buffer)))
                        buffer.clear()
                    else:
                        numbers.append(parse_int("".join(buffer)))
                        buffer.clear()
                        self._next()
                        while is_digit(self.current) or self.current in " -":
                            if self.current != " ":
                                buffer.append(self.current)
                            self._next()
                        if not buffer:
                            slice_from = True
                        else:
                            slice_between = True
                            numbers.append(parse_int("".join(buffer)))
                            buffer.clear()
                elif self.current == ",":
                    numbers.append(parse_int("".join(buffer)))
                    buffer.clear()
                    sequence = True
                elif self.current != " ":
                    buffer.append(self.current)
                if self.current == "]":
                    break
                self._next()
        if buffer:
            numbers.append(parse_int("".join(buffer)))
        if len(numbers) == 1 and not slice_to and not slice_from and not context:
            operation = "single"
        elif sequence:
            operation = "sequence"
        elif slice_from:
            operation = "start"
        elif slice_to:
            operation = "end"
        elif slice_between:
            operation = "between"
        elif context:
            operation = "context"
        else:  # Java's `assert operation != null` is off at run time: the token fails when it is read
            operation = "none"
        return Index(operation, tuple(numbers))


# --- Filter.parse and Criteria ---------------------------------------------------------------------------------


def _parse_filter(source: str) -> Filter:
    fragment = trim(source)
    if not (fragment.startswith("[") and fragment.endswith("]")):
        raise JavaError("InvalidPathException", "Filter must start with '[' and end with ']'")
    fragment = trim(substring(fragment, 1, len(fragment) - 1))
    if not fragment.startswith("?"):
        raise JavaError("InvalidPathException", "Filter must start with '[?' and end with ']'")
    fragment = trim(fragment[1:])
    if not (fragment.startswith("(") and fragment.endswith(")")):
        raise JavaError("InvalidPathException", "Filter must start with '[?(' and end with ')]'")
    fragment = trim(substring(fragment, 1, len(fragment) - 1))
    operators: list[str] = []
    criteria: list[Filter] = []
    for piece in split_operators(fragment):
        piece = trim(piece)
        if piece in ("&&", "||"):
            operators.append(piece)
        else:
            criteria.append(_parse_criterion(_clean(piece)))
    if not criteria:
        raise JavaError("EmptyStackException", f"no criterion in {text(fragment)}")
    root = criteria.pop()
    while operators:
        operator = operators.pop()
        if not criteria:
            kind = "EmptyStackException" if operator == "&&" else "InvalidPathException"
            raise JavaError(kind, f"{operator} needs a criterion on each side in {text(fragment)}")
        other = criteria.pop()
        if operator == "||":
            root = AnyOf(root, other)
        elif isinstance(root, AllOf):
            root = AllOf((*root.parts, other))
        elif isinstance(root, AnyOf):  # OrFilter.and: the new part joins the right side
            root = AnyOf(root.left, AllOf((root.right, other)))
        else:
            root = AllOf((root, other))
    if criteria:
        raise JavaError("InvalidPathException", f"criteria without && or || between them in {text(fragment)}")
    return root


def _clean(criterion: str) -> str:
    begin, end = 0, len(criterion) - 1
    char = char_at(criterion, begin)
    while char in "[?( ":
        begin += 1
        char = char_at(criterion, begin)
    char = char_at(criterion, end)
    while char in ") ":
        end -= 1
        char = char_at(criterion, end)
    return substring(criterion, begin, end + 1)


def _parse_criterion(criterion: str) -> Criterion:
    for operator in _OPERATORS:
        index = criterion.find(operator)
        if index >= 0:
            left, right = trim(criterion[:index]), trim(criterion[index + len(operator) :])
            break
    else:
        operator, left, right = "", trim(criterion), ""
    exists = True
    prepared_left: Operand = left
    left_path: CompiledPath | None = None
    if left.startswith(("$", "@", "!@")):
        if left[0] == "!":
            exists, left = False, left[1:]
        left_path = _compile(left)
        if not left_path.definite:
            raise JavaError("InvalidPathException", f"the predicate path: {text(left)} is not definite")
        prepared_left = left_path
    else:
        prepared_left = _literal(left)
    prepared_right: Operand
    if right.startswith(("$", "@", "!@")):
        if right[0] == "!":
            raise JavaError("InvalidPathException", "Invalid negation! Can only be used for existence check")
        prepared_right = _compile(right)
        if not prepared_right.definite:
            raise JavaError("InvalidPathException", f"the predicate path: {text(right)} is not definite")
    else:
        prepared_right = _literal(right)
    if left_path is not None and not operator:
        return Criterion(left_path, "exists", exists)
    if not operator:
        raise JavaError("UnsupportedOperationException", "CriteriaType  can not be parsed")
    return Criterion(prepared_left, operator, prepared_right)


def _literal(java: str) -> JavaPattern | str:
    """A filter operand that is not a path: a 'string', a /regex/ (or /regex/i), or else its raw text."""
    if java and java[0] == "'" and java[-1] == "'":
        return text(substring(java, 1, len(java) - 1))
    if java and java[0] == "/" and (java[-1] == "/" or (char_at(java, len(java) - 2) == "/" and java[-1] == "i")):
        last = java.rfind("/")
        source = text(substring(java, 1, last))
        return JavaPattern(source, compile_pattern(source, java.endswith("i")))
    return text(java)
