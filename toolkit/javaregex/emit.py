"""The parsed tree written as a Python regular expression that matches exactly what Java's would.

Everything Java decides from its flags is already settled in the tree (case-insensitive characters are sets, ``$``
is Java's ``$``), so the output uses no Python flag but one: ``(?ai:\\N)`` for a case-insensitive back-reference.
Where Python cannot follow, ``Untranslatable`` names the construct:

- a look-behind of unbounded length (Java 17 accepts ``(?<=a+)``; Python's look-behinds are fixed-width). A
  bounded one of several widths is written as one fixed-width look-behind per shape (``(?<=ab|c)`` is
  ``(?:(?<=ab)|(?<=c))``), unless it captures, is possessive or atomic inside, or has more than 64 shapes;
- a back-reference to a group not closed where it stands, one above 99, or one under UNICODE_CASE;
- ``\\X``, ``\\b{g}``, classes under CANON_EQ, and character names Python reads otherwise (``\\N{...}``).

Java's ``\\b`` (OpenJDK 17) counts letters and digits of all of Unicode as word characters, and a non-spacing mark
as one when a letter or digit precedes its run of marks; Python can look back only a fixed distance, so the
translation follows runs of up to ``MARK_RUN`` marks (values with longer runs are not decided here).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from typing import Final

from toolkit.javaregex import unicode as uc
from toolkit.javaregex.charset import MAX_CODE_POINT, CharSet, _char
from toolkit.javaregex.errors import Untranslatable
from toolkit.javaregex.nodes import (
    Alt,
    Anchor,
    Atomic,
    BackRef,
    Bound,
    Chars,
    Group,
    Java,
    LineEnding,
    Look,
    Mode,
    Node,
    Repeat,
    Seq,
    Slice,
    Unsupported,
    children,
)

MARK_RUN: Final = 4
"""The longest run of non-spacing marks next to a ``\\b`` the translation decides as Java does."""
MAX_SHAPES: Final = 64
LINE_ENDING: Final = r"(?:\r\n|[\n\x0b\x0c\r\x85\u2028\u2029])"
LINE_ENDING_SHAPES: Final = ((2, r"\r\n"), (1, r"[\n\x0b\x0c\r\x85\u2028\u2029]"))


STAND_IN: Final = "[a]"
"""What ``Emitter(skeleton=True)`` writes for a class of two characters or more."""


class Emitter:
    """Writes one tree; ``marks``: write ``\\b`` for values holding non-spacing marks (longer, slower); ``narrow``:
    keep only these characters of each class and drop assertions and back-references (a pattern to generate sample
    values from, not to match with); ``skeleton``: the same pattern with each class of two characters or more written
    as ``[a]`` (``STAND_IN``), to learn cheaply whether Python's ``re`` accepts the translation; ``within``: each
    class keeps only these characters (one left with none is written as a character not among them: it stays one
    character wide), so the pattern matches exactly as the whole translation does on any value made of them (the
    engine only ever asks whether one of the value's characters is in a class; ``toolkit.javaregex.pattern``'s
    doc)."""

    def __init__(
        self,
        group_count: int,
        marks: bool = False,
        narrow: CharSet | None = None,
        skeleton: bool = False,
        within: CharSet | None = None,
    ) -> None:
        self.group_count = group_count
        self.marks = marks
        self.narrow = narrow
        self.skeleton = skeleton
        self.within = within

    def chars(self, chars: CharSet) -> str:
        if self.narrow is not None:  # for generating values: the class's characters among a few
            chars = (chars & self.narrow) or CharSet.of(*list(_first(chars, 3)))
        if self.within is not None and chars.ranges:  # for matching one value: the class's characters among its own
            chars = chars & self.within
            if not chars.ranges:  # still one character wide, as the class was: one the value does not hold
                return _char(next(point for point in range(MAX_CODE_POINT + 1) if point not in self.within))
        if self.skeleton and chars.ranges and chars.single() is None:
            return STAND_IN  # a class as Python reads any: one character, whichever it holds
        return chars.python()

    def emit(self, node: Node) -> str:
        if self.narrow is not None and isinstance(node, (Look, Anchor, Bound, BackRef)):
            return ""  # a pattern to generate from: assertions and references would only filter what it makes
        if isinstance(node, Chars):
            return self.chars(node.chars)
        if isinstance(node, Slice):
            return "".join(self.chars(chars) for chars in node.chars) or "(?:)"
        if isinstance(node, Seq):
            return "".join(self.emit(item) for item in node.items) or "(?:)"
        if isinstance(node, Alt):
            return "(?:" + "|".join(self.emit(branch) for branch in node.branches) + ")"
        if isinstance(node, Group):
            body = self.emit(node.body)
            if node.index is None:
                return f"(?:{body})"
            return f"(?P<{node.name}>{body})" if node.name else f"({body})"
        if isinstance(node, Atomic):
            return f"(?>{self.emit(node.body)})"
        if isinstance(node, Look):
            return self.look(node)
        if isinstance(node, Repeat):
            return self.repeat(node)
        if isinstance(node, Anchor):
            return _skeleton(node.python) if self.skeleton else node.python
        if isinstance(node, Bound):
            return self.bound(node)
        if isinstance(node, BackRef):
            return self.backref(node)
        if isinstance(node, LineEnding):
            return _skeleton(LINE_ENDING) if self.skeleton else LINE_ENDING
        if isinstance(node, Unsupported):
            raise Untranslatable(node.construct)
        raise AssertionError(f"no emitter for {node!r}")

    def repeat(self, node: Repeat) -> str:
        body = self.emit(node.body)
        if not _atom_safe(node.body, body):
            body = f"(?:{body})"
        iterations_atomic = node.java in (Java.QUES, Java.CURLY, Java.GROUP_CURLY) and node.mode is not Mode.POSSESSIVE
        if iterations_atomic and _has_line_ending(node.body):
            body = f"(?>{body})"  # Pattern matches one iteration of these once, the first way it can
        low, high = node.low, node.high
        if (low, high) == (0, 1):
            quantifier = "?"
        elif high is None:
            quantifier = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
        elif low == high:
            quantifier = f"{{{low}}}"
        else:
            quantifier = f"{{{low},{high}}}"
        return body + quantifier + node.mode.value

    def backref(self, node: BackRef) -> str:
        if node.group >= self.group_count:
            return "(?!)"  # no such group: Java's reference never matches
        if not node.closed:
            raise Untranslatable(f"a back-reference to a group not closed where it stands (\\{node.group})")
        if node.group > 99:
            raise Untranslatable(f"a back-reference above 99 (\\{node.group})")
        if node.case == "unicode":
            raise Untranslatable("a case-insensitive back-reference under UNICODE_CASE")
        if node.case == "ascii":
            return f"(?ai:\\{node.group})"
        return f"(?:\\{node.group})"

    def bound(self, node: Bound) -> str:
        with_marks = self.marks and not node.unicode
        if self.skeleton:  # classes of thousands of characters: the word characters, letters or digits, marks
            word = base = mark = STAND_IN
        elif self.within is not None and not node.unicode and not with_marks and _ascii(self.within):
            # a value of ASCII characters: Java's letters and digits among them are ASCII's (tests/javaregex checks
            # it against the tables), and the tables need not be read
            word = self.chars(uc.ASCII_WORD)
        else:
            t = uc.tables()
            word = self.chars(uc.word(t) if node.unicode else uc.letter_or_digit(t) | CharSet.of(0x5F))
            if with_marks:
                base, mark = uc.letter_or_digit(t).python(), t.category("Mn").python()
        if not with_marks:
            left, not_left, right, not_right = f"(?<={word})", f"(?<!{word})", f"(?={word})", f"(?!{word})"
        else:
            behind = [f"(?<={base}{mark}{{{count}}})" for count in range(1, MARK_RUN + 1)]
            after_base = [f"(?<={base})", *behind[: MARK_RUN - 1]]
            left_any = "(?:" + "|".join([f"(?<={word})", *behind]) + ")"
            right_any = f"(?:(?={word})|(?={mark})(?:" + "|".join(after_base) + "))"
            left, not_left, right, not_right = left_any, f"(?!{left_any})", right_any, f"(?!{right_any})"
        if node.negate:
            return f"(?:{left}{right}|{not_left}{not_right})"
        return f"(?:{left}{not_right}|{not_left}{right})"

    # -- look-arounds ---------------------------------------------------------------------------------------------

    def look(self, node: Look) -> str:
        body = self.emit(node.body)
        if not node.behind:
            return f"(?!{body})" if node.negative else f"(?={body})"
        least, most = widths(node.body)
        if most is None:
            raise Untranslatable("a look-behind of unbounded length")
        if least == most:
            return f"(?<!{body})" if node.negative else f"(?<={body})"
        by_width: dict[int, list[str]] = {}
        for width, text in self.shapes(node.body):
            by_width.setdefault(width, []).append(text)
        parts = [
            ("(?<!" if node.negative else "(?<=") + "|".join(dict.fromkeys(texts)) + ")"
            for _, texts in sorted(by_width.items())
        ]
        return "".join(parts) if node.negative else "(?:" + "|".join(parts) + ")"

    def shapes(self, node: Node) -> list[tuple[int, str]]:
        """The fixed-width forms a look-behind's body takes, together matching what the body matches."""
        found = list(self._shapes(node))
        if len(found) > MAX_SHAPES:
            raise Untranslatable(f"a look-behind of more than {MAX_SHAPES} shapes")
        return found

    def _shapes(self, node: Node) -> Iterator[tuple[int, str]]:
        least, most = widths(node)
        if least == most and not _captures(node):
            yield least, self._safe(node)
            return
        if isinstance(node, Seq):
            parts = [self.shapes(item) for item in node.items]
            if _count(parts) > MAX_SHAPES:
                raise Untranslatable(f"a look-behind of more than {MAX_SHAPES} shapes")
            for combination in product(*parts):
                yield sum(width for width, _ in combination), "".join(text for _, text in combination)
        elif isinstance(node, Alt):
            for branch in node.branches:
                yield from self.shapes(branch)
        elif isinstance(node, Group) and node.index is None:
            yield from self.shapes(node.body)
        elif isinstance(node, LineEnding):
            yield from (
                (width, _skeleton(text)) if self.skeleton else (width, text) for width, text in LINE_ENDING_SHAPES
            )
        elif isinstance(node, Repeat) and node.mode is not Mode.POSSESSIVE and node.high is not None:
            if node.java in (Java.QUES, Java.CURLY, Java.GROUP_CURLY) and _has_line_ending(node.body):
                raise Untranslatable("a look-behind repeating \\R")
            inner = self.shapes(node.body)
            for count in range(node.low, node.high + 1):
                if count and len(inner) ** count > MAX_SHAPES:
                    raise Untranslatable(f"a look-behind of more than {MAX_SHAPES} shapes")
                for combination in product(inner, repeat=count):
                    yield sum(width for width, _ in combination), "".join(text for _, text in combination)
        else:
            raise Untranslatable("a look-behind of several widths that captures, or is possessive or atomic inside")

    def _safe(self, node: Node) -> str:
        text = self.emit(node)
        return text if isinstance(node, (Chars, Slice, Seq, Group, Look, Atomic, Repeat)) else f"(?:{text})"


def widths(node: Node) -> tuple[int, int | None]:
    """The fewest and most code points ``node`` matches (None: no most)."""
    if isinstance(node, Chars):
        return 1, 1
    if isinstance(node, Slice):
        return len(node.chars), len(node.chars)
    if isinstance(node, LineEnding):
        return 1, 2
    if isinstance(node, Seq):
        least = 0
        most: int | None = 0
        for item in node.items:
            low, high = widths(item)
            least += low
            most = None if most is None or high is None else most + high
        return least, most
    if isinstance(node, Alt):
        found = [widths(branch) for branch in node.branches]
        highs = [high for _, high in found]
        return min(low for low, _ in found), None if None in highs else max(h for h in highs if h is not None)
    if isinstance(node, (Group, Atomic)):
        return widths(node.body)
    if isinstance(node, Repeat):
        low, high = widths(node.body)
        if high == 0:
            return 0, 0
        return low * node.low, None if high is None or node.high is None else high * node.high
    if isinstance(node, BackRef):
        return 0, None
    return 0, 0


def _ascii(chars: CharSet) -> bool:
    return not chars.ranges or chars.ranges[-1][1] < 0x80


def _skeleton(text: str) -> str:
    """A fixed text (an anchor, \\R) with each class written ``[a]``, for ``Emitter(skeleton=True)``: its classes hold
    characters above U+00FF, which Python's ``re`` compiles into a 64K table, a third of a skeleton's cost."""
    head, *rest = text.split("[")  # the fixed texts' classes hold no "[" or "]" of their own
    return head + "".join(STAND_IN + part.split("]", 1)[1] for part in rest)


def _first(chars: CharSet, count: int) -> Iterator[int]:
    for index, point in enumerate(chars):
        if index == count:
            return
        yield point


def _count(parts: list[list[tuple[int, str]]]) -> int:
    total = 1
    for part in parts:
        total *= max(len(part), 1)
    return total


def _atom_safe(node: Node, text: str) -> bool:
    if isinstance(node, Chars):
        return True
    return isinstance(node, (Group, Look, Atomic)) or text in ("(?:)", "(?!)")


def _has_line_ending(node: Node) -> bool:
    if isinstance(node, LineEnding):
        return True
    if isinstance(node, Look):
        return False
    return any(_has_line_ending(child) for child in children(node))


def _captures(node: Node) -> bool:
    if isinstance(node, Group) and node.index is not None:
        return True
    return any(_captures(child) for child in children(node))
