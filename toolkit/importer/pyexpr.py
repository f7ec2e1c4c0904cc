"""Python expressions as a small tree, printed the way ``ruff format`` would leave them.

The importer writes modules people will read and keep, in projects that run ruff: so the printer's output must be
a fixed point of ``ruff format`` and free of ``ruff check`` findings (a test formats every imported corpus module).
The rules that give this, in the style black and ruff share:
- an expression that fits on its line is written flat, with no trailing comma;
- one that does not is exploded one element per line, each followed by a comma. The trailing comma is "magic": it
  keeps the explosion stable under the formatter, so we never need to reproduce its choice of hugging or joining;
- a string too long for its line becomes an implicit concatenation of pieces inside parentheses, cut after
  newlines, then at spaces, each piece filling its line;
- string literals prefer double quotes unless the text has more of them than single quotes, are raw when that
  spares escaping backslashes, and write every character outside printable ASCII as an escape (the text stays
  exact and ruff's ambiguous-character rule stays quiet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

LINE_LENGTH = 120
INDENT = "    "


@dataclass(frozen=True, slots=True)
class Code:
    """Code written as is: a name, a number, an attribute (never split)."""

    text: str


@dataclass(frozen=True, slots=True)
class Text:
    """A string value; ``hint`` names where it stands (for naming a constant it may become)."""

    value: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: Sequence[Expr] = ()
    kwargs: Sequence[tuple[str, Expr]] = ()


@dataclass(frozen=True, slots=True)
class ListOf:
    items: Sequence[Expr] = ()


@dataclass(frozen=True, slots=True)
class TupleOf:
    items: Sequence[Expr] = ()


@dataclass(frozen=True, slots=True)
class DictOf:
    items: Sequence[tuple[Expr, Expr]] = field(default_factory=tuple)


Expr: TypeAlias = Code | Text | Call | ListOf | TupleOf | DictOf


# -- string literals ------------------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def string_literal(value: str) -> str:
    """A Python literal for ``value``: double quotes unless single quotes need fewer escapes.

    Text with backslashes (patterns, mostly) is written raw when it can be: ``r"\\d{12}"`` reads as the pattern.
    """
    if "\\" in value and '"' not in value and not value.endswith("\\") and all(" " <= c <= "~" for c in value):
        return f'r"{value}"'
    quote = "'" if value.count('"') > value.count("'") else '"'
    out = [quote]
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char == quote:
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    out.append(quote)
    return "".join(out)


def split_text(value: str, width: int) -> list[str]:
    """Cut ``value`` into pieces whose literals fit ``width``: after newlines first, then after spaces."""
    if len(string_literal(value)) <= width:
        return [value]  # ruff joins an implicit concatenation that fits on one line
    pieces: list[str] = []
    for line in _keep_ends(value, "\n"):
        pieces.extend(_fill(line, width))
    return pieces


def _keep_ends(value: str, separator: str) -> list[str]:
    parts = value.split(separator)
    out = [part + separator for part in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _fill(line: str, width: int) -> list[str]:
    """Greedy: as many words as fit per piece; a word longer than a line is cut by characters."""
    pieces: list[str] = []
    current = ""
    for word in _keep_ends(line, " "):
        if len(string_literal(current + word)) <= width:
            current += word
            continue
        if current:
            pieces.append(current)
            current = ""
        while len(string_literal(word)) > width:
            cut = _longest_prefix(word, width)
            pieces.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        pieces.append(current)
    return pieces


def _longest_prefix(word: str, width: int) -> int:
    cut = 1
    while cut < len(word) and len(string_literal(word[: cut + 1])) <= width:
        cut += 1
    return cut


# -- printing -------------------------------------------------------------------------------------------------


def flat(expr: Expr) -> str:
    """The expression on one line."""
    if isinstance(expr, Code):
        return expr.text
    if isinstance(expr, Text):
        return string_literal(expr.value)
    if isinstance(expr, Call):
        parts = [flat(arg) for arg in expr.args] + [f"{key}={flat(value)}" for key, value in expr.kwargs]
        return f"{expr.function}({', '.join(parts)})"
    if isinstance(expr, ListOf):
        return "[" + ", ".join(flat(item) for item in expr.items) + "]"
    if isinstance(expr, TupleOf):
        inner = ", ".join(flat(item) for item in expr.items)
        return f"({inner},)" if len(expr.items) == 1 else f"({inner})"
    return "{" + ", ".join(f"{flat(key)}: {flat(value)}" for key, value in expr.items) + "}"


def lines(expr: Expr, depth: int, prefix: str = "", suffix: str = "") -> list[str]:
    """``prefix + expr + suffix`` at indentation ``depth``, flat when it fits, else exploded."""
    indent = INDENT * depth
    one = f"{indent}{prefix}{flat(expr)}{suffix}"
    if len(one) <= LINE_LENGTH:
        return [one]
    if isinstance(expr, Code):
        return [one]
    if isinstance(expr, Text):
        inner = INDENT * (depth + 1)
        pieces = split_text(expr.value, LINE_LENGTH - len(inner))
        return [f"{indent}{prefix}(", *(inner + string_literal(piece) for piece in pieces), f"{indent}){suffix}"]
    if isinstance(expr, Call):
        items: list[tuple[str, Expr]] = [("", arg) for arg in expr.args] + [(f"{k}=", v) for k, v in expr.kwargs]
        opener, closer = f"{expr.function}(", ")"
    elif isinstance(expr, ListOf):
        items = [("", item) for item in expr.items]
        opener, closer = "[", "]"
    elif isinstance(expr, TupleOf):
        items = [("", item) for item in expr.items]
        opener, closer = "(", ")"
    else:
        items = []
        opener, closer = "{", "}"
        out = [f"{indent}{prefix}{opener}"]
        for key, value in expr.items:
            out.extend(lines(value, depth + 1, f"{flat(key)}: ", ","))
        return [*out, f"{indent}{closer}{suffix}"]
    out = [f"{indent}{prefix}{opener}"]
    for item_prefix, item in items:
        out.extend(lines(item, depth + 1, item_prefix, ","))
    return [*out, f"{indent}{closer}{suffix}"]


def statement(target: str, expr: Expr, depth: int = 0) -> list[str]:
    """``target = expr`` (or ``return expr`` with target ``return``)."""
    prefix = "return " if target == "return" else f"{target} = "
    return lines(expr, depth, prefix)
