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

import re
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
# Linear in the string's length: a literal is made by C-level replacements, and the cuts of a long string are found
# from running counts of what a literal's length depends on, never by writing the literal of every prefix.

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNPRINTABLE = re.compile(r"[^ -~]")
"""A character outside printable ASCII: escaped in every literal."""
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""What is left to escape after the named escapes and ``backslashreplace``."""


def string_literal(value: str) -> str:
    """A Python literal for ``value``: double quotes unless single quotes need fewer escapes.

    Text with backslashes (patterns, mostly) is written raw when it can be: ``r"\\d{12}"`` reads as the pattern.
    Characters outside printable ASCII are written as escapes: ``\\n``, ``\\r``, ``\\t``, else ``\\xNN``,
    ``\\uNNNN`` or ``\\UNNNNNNNN``.
    """
    printable = value.isascii() and value.isprintable()
    if printable and "\\" in value and '"' not in value and not value.endswith("\\"):
        return f'r"{value}"'
    quote = "'" if value.count('"') > value.count("'") else '"'
    body = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    if not printable:
        body = body.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        body = body.encode("ascii", "backslashreplace").decode("ascii")  # \\xNN, \\uNNNN, \\UNNNNNNNN
        body = _ASCII_CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", body)
    return quote + body + quote


def _literal_length(
    length: int, double: int, single: int, backslash: int, unprintable: int, body: int, last: str
) -> int:
    """``len(string_literal(text))`` from counts of ``text``: its length, double and single quotes, backslashes,
    characters outside printable ASCII, the literal's length between its quotes with a quote counted as one
    character (``body``), and its last character."""
    if backslash and not double and not unprintable and last != "\\":
        return length + 3  # raw
    return body + (single if double > single else double) + 2


def _escape_width(char: str) -> int:
    """The length of the escape of ``char``, a character outside printable ASCII."""
    if char in _ESCAPES:
        return 2
    code = ord(char)
    return 4 if code < 0x100 else 6 if code < 0x10000 else 10


def _counts(text: str) -> tuple[int, int, int, int, int]:
    """Double quotes, single quotes, backslashes, characters outside printable ASCII, and the literal's body length
    (see ``_literal_length``) of ``text``: what concatenation adds up."""
    backslash = text.count("\\")
    body, unprintable = len(text) + backslash, 0
    if not (text.isascii() and text.isprintable()):
        for char in _UNPRINTABLE.findall(text):
            unprintable += 1
            body += _escape_width(char) - 1
    return text.count('"'), text.count("'"), backslash, unprintable, body


def _fits(text: str, width: int) -> bool:
    """``len(string_literal(text)) <= width``, without writing the literal of a text too long to fit anyway."""
    return len(text) + 2 <= width and _literal_length(len(text), *_counts(text), text[-1:]) <= width


def split_text(value: str, width: int) -> list[str]:
    """Cut ``value`` into pieces whose literals fit ``width``: after newlines first, then after spaces."""
    if _fits(value, width):
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
    if _fits(line, width):
        return [line]  # every word-boundary prefix of a fitting line fits too: greedy would keep it whole
    pieces: list[str] = []
    current: list[str] = []
    length = double = single = backslash = unprintable = body = 0  # the counts of "".join(current)
    for word in _keep_ends(line, " "):
        if length + len(word) + 2 <= width:  # a literal is at least its text and two quotes
            more = _counts(word)
            joined = (
                length + len(word),
                double + more[0],
                single + more[1],
                backslash + more[2],
                unprintable + more[3],
                body + more[4],
            )
            if _literal_length(*joined, word[-1:]) <= width:
                current.append(word)
                length, double, single, backslash, unprintable, body = joined
                continue
        if current:
            pieces.append("".join(current))
        start = 0
        while len(word) - start > width or not _fits(word[start:], width):
            cut = _longest_prefix(word, start, width)
            pieces.append(word[start : start + cut])
            start += cut
        rest = word[start:]
        current = [rest] if rest else []
        length = len(rest)
        double, single, backslash, unprintable, body = _counts(rest)
    if current:
        pieces.append("".join(current))
    return pieces


def _longest_prefix(word: str, start: int, width: int) -> int:
    """How many characters of ``word`` from ``start`` to cut off: at least one, then as long as the literal of one
    more still fits ``width``. Only ``width`` characters are looked at (a literal is longer than its text)."""
    chunk = word[start : start + width]
    if chunk.isascii() and chunk.isprintable() and "\\" not in chunk and not ('"' in chunk and "'" in chunk):
        return max(1, min(len(chunk), width - 2))  # no escapes: every prefix's literal is its text and two quotes
    double = single = backslash = unprintable = body = 0
    for cut, char in enumerate(chunk, start=1):
        if " " <= char <= "~":
            body += 2 if char == "\\" else 1
            double += char == '"'
            single += char == "'"
            backslash += char == "\\"
        else:
            unprintable += 1
            body += _escape_width(char)
        if cut > 1 and _literal_length(cut, double, single, backslash, unprintable, body, char) > width:
            return cut - 1
    return len(chunk)


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
