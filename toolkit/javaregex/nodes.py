"""The tree a Java pattern parses into, and ``study``: the lengths and determinism Pattern's ``TreeInfo`` computes
(with Java's 32-bit arithmetic, overflow included), which decide whether a look-behind compiles and how a quantified
group is matched."""

from __future__ import annotations

from enum import Enum
from typing import Final

from toolkit.javaregex.charset import CharSet
from toolkit.records import MutableRecord

MAX_REPS: Final = 0x7FFFFFFF


class Mode(Enum):
    GREEDY = ""
    LAZY = "?"
    POSSESSIVE = "+"


class Java(Enum):
    """The node Pattern builds for a quantifier: it decides how the quantified part backtracks."""

    QUES = "Ques"  # x?, x{0,1} on a character, slice or escape; (x)?+
    CURLY = "Curly"  # x*, x{n,m} on a slice or escape; possessive groups
    CHAR_GREEDY = "CharPropertyGreedy"  # x*, x+, x{n,} on one character (greedy)
    GROUP_CURLY = "GroupCurly"  # a quantified group whose body is deterministic
    LOOP = "Loop"  # a quantified group whose body is not
    BRANCH = "Branch"  # (x)? and (x)?? : a branch between the group and nothing


class Node(MutableRecord):
    """A part of the pattern."""

    __slots__ = ()


class Chars(Node):
    """One code point of a set (Pattern's CharProperty)."""

    __slots__ = _FIELDS = ("chars",)

    def __init__(self, chars: CharSet) -> None:
        self.chars = chars


class Slice(Node):
    """Literal characters in a row, each a set once case-insensitivity is applied (Pattern's Slice nodes)."""

    __slots__ = _FIELDS = ("chars",)

    def __init__(self, chars: list[CharSet]) -> None:
        self.chars = chars


class Seq(Node):
    __slots__ = _FIELDS = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items


class Alt(Node):
    __slots__ = _FIELDS = ("branches",)

    def __init__(self, branches: list[Node]) -> None:
        self.branches = branches


class Group(Node):
    __slots__ = _FIELDS = ("body", "index", "name")

    def __init__(self, body: Node, index: int | None = None, name: str | None = None) -> None:
        self.body = body
        self.index = index  # a capturing group's number
        self.name = name


class Look(Node):
    __slots__ = _FIELDS = ("body", "behind", "negative", "supplementary")

    def __init__(self, body: Node, behind: bool, negative: bool, supplementary: bool = False) -> None:
        self.body = body
        self.behind = behind
        self.negative = negative
        self.supplementary = supplementary  # Java steps a look-behind by code points (BehindS), not UTF-16 units


class Atomic(Node):
    __slots__ = _FIELDS = ("body",)

    def __init__(self, body: Node) -> None:
        self.body = body


class Repeat(Node):
    __slots__ = _FIELDS = ("body", "low", "high", "mode", "java")

    def __init__(self, body: Node, low: int, high: int | None, mode: Mode, java: Java) -> None:
        self.body = body
        self.low = low
        self.high = high  # None: no maximum (MAX_REPS)
        self.mode = mode
        self.java = java


class Anchor(Node):
    """A zero-width assertion written as Python source (``\\A``, Java's ``$``, multiline ``^``...)."""

    __slots__ = _FIELDS = ("python",)

    def __init__(self, python: str) -> None:
        self.python = python


class Bound(Node):
    """``\\b`` (negate False) or ``\\B``; ``unicode``: under UNICODE_CHARACTER_CLASS."""

    __slots__ = _FIELDS = ("negate", "unicode")

    def __init__(self, negate: bool, unicode: bool) -> None:
        self.negate = negate
        self.unicode = unicode


class BackRef(Node):
    __slots__ = _FIELDS = ("group", "case", "closed")

    def __init__(self, group: int, case: str = "", closed: bool = True) -> None:
        self.group = group
        self.case = case  # "", "ascii" or "unicode": case-insensitive back-reference
        self.closed = closed  # the group was closed where the reference is


class LineEnding(Node):
    """``\\R``."""

    __slots__ = ()


class Unsupported(Node):
    """A construct Java matches and Python cannot express."""

    __slots__ = _FIELDS = ("construct",)

    def __init__(self, construct: str) -> None:
        self.construct = construct


class Info(MutableRecord):
    """Pattern.TreeInfo."""

    __slots__ = _FIELDS = ("min", "max", "max_valid", "deterministic", "branched")
    _NO_REPR = ("branched",)

    def __init__(
        self,
        min: int = 0,
        max: int = 0,
        max_valid: bool = True,
        deterministic: bool = True,
        branched: bool = False,
    ) -> None:
        self.min = min
        self.max = max
        self.max_valid = max_valid
        self.deterministic = deterministic
        self.branched = branched


def int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value >= 0x80000000 else value


def study(node: Node, info: Info) -> Info:
    """Add ``node`` to ``info`` as the node's study() does, the nodes after it following."""
    if isinstance(node, Chars):
        info.min, info.max = int32(info.min + 1), int32(info.max + 1)
    elif isinstance(node, Slice):
        info.min, info.max = int32(info.min + len(node.chars)), int32(info.max + len(node.chars))
    elif isinstance(node, LineEnding):
        info.min, info.max = int32(info.min + 1), int32(info.max + 2)
    elif isinstance(node, BackRef):
        info.max_valid = False
    elif isinstance(node, Seq):
        for item in node.items:
            study(item, info)
    elif isinstance(node, (Group, Atomic)):
        study(node.body, info)
    elif isinstance(node, Alt):
        _study_branch(node.branches, info)
    elif isinstance(node, Repeat):
        _study_repeat(node, info)
    elif isinstance(node, Unsupported):
        info.deterministic = False
    return info


def _study_branch(branches: list[Node], info: Info) -> None:
    least, most = 0x7FFFFFFF, -1
    valid = info.max_valid
    for branch in branches:
        inner = study(branch, Info())
        least = min(least, inner.min)
        most = max(most, inner.max)
        valid = valid and inner.max_valid
    info.min, info.max = int32(info.min + least), int32(info.max + most)
    info.max_valid = valid
    info.deterministic = False
    info.branched = True  # Branch.study answers false, whatever follows


def _study_repeat(node: Repeat, info: Info) -> None:
    if node.java is Java.QUES:
        least = info.min
        study(node.body, info)
        info.min = least
        info.deterministic = False
    elif node.java is Java.BRANCH:
        _study_branch([node.body, Seq([])], info)
    elif node.java is Java.CHAR_GREEDY:
        info.min = int32(info.min + node.low)
        if info.max_valid:
            info.max = int32(info.max + MAX_REPS)
        info.deterministic = False
    elif node.java is Java.LOOP:
        info.max_valid = False
        info.deterministic = False
    else:  # Curly, GroupCurly
        least, most, valid, deterministic = info.min, info.max, info.max_valid, info.deterministic
        inner = study(node.body, Info())
        high = MAX_REPS if node.high is None else node.high
        total = int32(int32(inner.min * node.low) + least)
        info.min = 0xFFFFFFF if total < least else total
        if valid and inner.max_valid:
            total = int32(int32(inner.max * high) + most)
            info.max = total
            info.max_valid = total >= most
        else:
            info.max = inner.max
            info.max_valid = False
        fixed = inner.deterministic and not inner.branched and node.low == high
        info.deterministic = deterministic if fixed else False


def deterministic(body: Node) -> bool:
    """Whether Pattern finds the group body deterministic (a quantified group then becomes a GroupCurly)."""
    info = study(body, Info())
    return info.deterministic and not info.branched


def children(node: Node) -> list[Node]:
    """The nodes directly inside ``node``."""
    if isinstance(node, Seq):
        return node.items
    if isinstance(node, Alt):
        return node.branches
    if isinstance(node, (Group, Atomic, Look, Repeat)):
        return [node.body]
    return []
