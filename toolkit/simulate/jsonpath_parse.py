"""Parsing JSONPath selectors (Jayway's grammar) into tokens, and filters into predicates.

``toolkit.simulate.jsonpath`` holds the API and the evaluation; this module holds what reads a selector's text:
the path and filter parsers and string escapes. ``jsonpath_compare`` holds the comparisons filters make. The
parser never imports the evaluator: a filter's operand paths are compiled by the ``PathCompiler`` it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, NoReturn

from toolkit.simulate.jsonpath_compare import DECIMAL_TEXT, OPERATORS, UNDEFINED, WORD_OPERATORS

Predicate = Callable[[Any], bool]
Token = tuple[str, Any]
Select = Callable[[Any], tuple[bool, Any]]
"""A compiled path: (found, value) for a node."""
PathCompiler = Callable[[str, list[Token], bool], Select]
"""Compiles a filter's operand path (text, tokens, strict: Jayway's REQUIRE_PROPERTIES) to its ``Select``."""

_FUNCTIONS: Final = frozenset({"length", "size"})
_OTHER_FUNCTIONS: Final = frozenset({"min", "max", "avg", "stddev", "sum", "concat", "append", "keys", "first", "last"})
_INT_MAX: Final = 2**31 - 1
_INDEX: Final = re.compile(r"-?[0-9]+")
_ESCAPE: Final = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_ESCAPES: Final = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class SelectorError(ValueError):
    """The selector is not valid JSONPath (as Jayway reads it)."""


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


class PathParser:
    """Jayway's PathCompiler, for the forms the simulator supports."""

    def __init__(
        self, selector: str, compile_path: PathCompiler, report: Callable[[str], NoReturn] | None = None
    ) -> None:
        self.selector = selector
        self.compile_path = compile_path
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

    def __init__(self, owner: PathParser, text: str, offset: int) -> None:
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
            exists = self.owner.compile_path(path, self.path_tokens(path), True)
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
        compare = OPERATORS.get(word)
        if compare is None:
            if word.lower() in WORD_OPERATORS:
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
            if not DECIMAL_TEXT.fullmatch(literal):
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
        select = self.owner.compile_path(path, self.path_tokens(path), False)

        def get(item: Any) -> Any:
            found, value = select(item)
            return value if found else UNDEFINED

        return get, path

    def path_tokens(self, path: str) -> list[Token]:
        return PathParser(path, self.owner.compile_path, self.fail).parse()
