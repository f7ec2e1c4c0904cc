"""allowedPattern: SSM's regular expressions (Java syntax) read with Python's ``re``.

The two dialects share nearly everything. Where they differ in ways real documents use, the pattern is rewritten
before compiling: in a character class, a ``-`` next to a class escape (``[\\w-\\/]``) is a literal hyphen in Java,
and a range in Python, which refuses it. Constructs only Java knows (``\\p{..}``, ``\\Q..\\E``, ``\\z``,
``\\h``, possessive classes) make the pattern uncheckable here: ``compile_pattern`` then returns None, and
callers accept any value rather than reject a good one.
"""

from __future__ import annotations

import re
from typing import Final

JAVA_ONLY: Final = re.compile(r"\\[pPQEzhHRXGK]")
_CLASS_ESCAPES: Final = frozenset("wWdDsS")


class PatternError(ValueError):
    """The pattern is not a valid regular expression in Java either."""


def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The pattern compiled as SSM reads it; None when it uses what only Java knows. Raises ``PatternError``."""
    if JAVA_ONLY.search(pattern):
        return None
    try:
        return re.compile(_literal_hyphens(pattern))
    except re.error as err:
        raise PatternError(str(err)) from err
    except RecursionError as err:
        raise PatternError("nested too deeply") from err


def _literal_hyphens(pattern: str) -> str:
    """Escape a ``-`` inside a character class that follows or precedes a class escape (\\w, \\d, \\s...)."""
    if "-" not in pattern or "[" not in pattern:
        return pattern
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if not in_class and char == "[":
            in_class = True
            out.append(char)
            if pattern[index + 1 : index + 2] == "^":
                out.append("^")
                index += 1
            if pattern[index + 1 : index + 2] == "]":  # a leading ] is a literal
                out.append("]")
                index += 1
        elif in_class and char == "]":
            in_class = False
            out.append(char)
        elif in_class and char == "-" and (_after_class_escape(out) or _before_class_escape(pattern, index)):
            out.append("\\-")
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _after_class_escape(out: list[str]) -> bool:
    return bool(out) and len(out[-1]) == 2 and out[-1][0] == "\\" and out[-1][1] in _CLASS_ESCAPES


def _before_class_escape(pattern: str, index: int) -> bool:
    return pattern[index + 1 : index + 2] == "\\" and pattern[index + 2 : index + 3] in _CLASS_ESCAPES
