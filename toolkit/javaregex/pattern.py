"""A Java pattern compiled once, matched as ``Pattern.compile(pattern).matcher(value).matches()``.

Building a ``JavaPattern`` parses the pattern (Java's errors) and writes its translation as a skeleton, each class of
two characters or more written ``[a]`` (``Emitter(skeleton=True)``), which Python's ``re`` compiles: that settles
``construct`` (what the translation cannot express, or what ``re`` refuses) without compiling Unicode's classes.
Whether ``re`` accepts a translation does not depend on what its classes hold: a class is one character wide
whatever it holds (so look-behinds keep their widths), and the class text ``CharSet.python`` writes is always valid
(sorted, merged ranges of characters escaped or written as letters and digits). The full translation is compiled
when it is first needed (``python``, or a second value to match): most allowedPatterns a lint meets are never
matched (58 of the corpus's 69), and compiling classes is most of the cost (a ``\\b`` holds four classes of
Unicode's ~700 ranges of letters and digits). The first value matched (a lint asks about a parameter's default,
usually one) is matched by the translation with each class narrowed to that value's characters
(``Emitter(within=...)``; an empty class stays one character wide): exactly what the whole translation answers, since
the engine only ever asks whether one of the value's characters is in a class. Should ``re`` refuse a translation
where it took the skeleton (by the above it cannot), ``construct`` says so from then on and no value is decided, as
when matching finds a construct.
"""

from __future__ import annotations

import re
from typing import Final

from toolkit.javaregex import unicode as uc
from toolkit.javaregex.charset import CharSet
from toolkit.javaregex.emit import MARK_RUN, Emitter
from toolkit.javaregex.errors import CannotDecide, PatternError, Untranslatable
from toolkit.javaregex.nodes import Bound, Look, Node, children
from toolkit.javaregex.parser import Parser
from toolkit.javaregex.reader import code_points

NESTING: Final = "nesting deeper than the translation follows"


class JavaPattern:
    """One Java pattern: its Python translation, or the construct Python cannot express.

    ``matches(value)`` answers as java.util.regex's ``Matcher.matches()`` (the whole value must match), or raises
    CannotDecide. Building one raises PatternError when Java refuses the pattern too."""

    __slots__ = (
        "_compiled",
        "_group_count",
        "_marks",
        "_matched",
        "_tree",
        "bmp_lookbehind",
        "bound",
        "construct",
        "source",
    )

    def __init__(self, source: str) -> None:
        self.source = source
        self.construct: str | None = None
        """What Python cannot express, when the pattern uses it (then ``python`` is None)."""
        self._compiled: re.Pattern[str] | None = None
        self._marks: re.Pattern[str] | None = None
        self._matched = False
        """Whether a value was matched: the first is matched with the classes narrowed to its characters."""
        parser = Parser(source)
        try:
            tree = parser.parse()
        except PatternError:
            if parser.problems:  # a stand-in character may have caused it: Java's answer is not known
                self.construct = parser.problems[0]
                tree = None
            else:
                raise
        except RecursionError:
            self.construct = NESTING
            tree = None
        if parser.problems and self.construct is None:
            self.construct = parser.problems[0]
        self._tree = tree
        self._group_count = parser.group_count
        kinds = set() if tree is None else _kinds(tree)
        self.bound = "bound" in kinds
        """A ``\\b`` or ``\\B`` that counts non-spacing marks as Java 17 does."""
        self.bmp_lookbehind = "bmp look-behind" in kinds
        """A look-behind Java measures in UTF-16 units: values outside the BMP are not decided."""
        if tree is not None and self.construct is None:
            self._compile(tree, marks=False, skeleton=True)

    @property
    def python(self) -> str | None:
        """The translation: a Python pattern that ``fullmatch``es what Java's ``matches()``."""
        compiled = self._translation()
        return None if compiled is None else compiled.pattern

    def _translation(self) -> re.Pattern[str] | None:
        """The translation compiled, on first need (the module's doc)."""
        if self._compiled is None and self.construct is None and self._tree is not None:
            self._compiled = self._compile(self._tree, marks=False)
        return self._compiled

    def _compile(
        self, tree: Node, marks: bool, skeleton: bool = False, within: CharSet | None = None
    ) -> re.Pattern[str] | None:
        try:
            return re.compile(Emitter(self._group_count, marks, skeleton=skeleton, within=within).emit(tree))
        except Untranslatable as err:
            self.construct = err.construct
        except RecursionError:
            self.construct = NESTING
        except (re.error, OverflowError) as err:
            self.construct = f"a construct Python's re refuses once translated ({err})"
        return None

    def sample_pattern(self, alphabet: str) -> str | None:
        """The translation with each class narrowed to ``alphabet``'s characters (a class with none of them keeps
        its first three), without assertions or back-references: a pattern to generate sample values from (they
        need not match). None when untranslatable."""
        if self._tree is None or self.construct is not None:
            return None
        try:
            return Emitter(self._group_count, narrow=CharSet.of(*(ord(c) for c in alphabet))).emit(self._tree)
        except Untranslatable:
            return None

    def undecided(self, value: str) -> str | None:
        """Why ``matches(value)`` cannot be decided here as Java decides it, or None when it can."""
        if self.construct is not None:
            return f"it uses {self.construct}, which Python's re cannot express as Java matches it"
        text = _java_text(value)
        if self.bmp_lookbehind and any(ord(c) > 0xFFFF for c in text):
            return "the value holds characters outside the BMP, which Java's look-behind counts in UTF-16 units"
        if self.bound and _marks_beyond(text):
            return (
                f"the value holds more than {MARK_RUN} non-spacing marks in a row, or one outside the BMP, "
                "which Java's \\b reads otherwise"
            )
        return None

    def matches(self, value: str) -> bool:
        """Java's ``matches()``: the whole value matches. Raises CannotDecide (see ``undecided``)."""
        reason = self.undecided(value)
        if reason is not None:
            raise CannotDecide(reason)
        text = _java_text(value)
        first, self._matched = not self._matched, True
        if self.bound and _has_marks(text):
            if self._marks is None and self._tree is not None:
                self._marks = self._compile(self._tree, marks=True)
            compiled = self._marks
        elif first and self._compiled is None and self._tree is not None:
            # the first value (often the only one): its characters' part of each class, not Unicode's classes
            compiled = self._compile(self._tree, marks=False, within=CharSet.of(*{ord(c) for c in text}))
        else:
            compiled = self._translation()
        if compiled is None:
            raise CannotDecide(f"it uses {self.construct}, which Python's re cannot express as Java matches it")
        return compiled.fullmatch(text) is not None


def compile_java(source: str) -> JavaPattern:
    """The pattern compiled as java.util.regex compiles it; raises PatternError when Java refuses it."""
    return JavaPattern(source)


def _java_text(value: str) -> str:
    """The value as Java's UTF-16 string reads it (a surrogate pair written as two code points is one)."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return value
    return "".join(chr(c) for c in code_points(value))


def _has_marks(text: str) -> bool:
    if all(ord(c) < 0x300 for c in text):  # no mark is below U+0300: the tables need not be read
        return False
    marks = uc.tables().category("Mn")
    return any(ord(c) in marks for c in text if ord(c) >= 0x300)


def _marks_beyond(text: str) -> bool:
    if all(ord(c) < 0x300 for c in text):
        return False
    marks = uc.tables().category("Mn")
    run = 0
    for c in text:
        if ord(c) >= 0x300 and ord(c) in marks:
            if ord(c) > 0xFFFF:
                return True
            run += 1
            if run > MARK_RUN:
                return True
        else:
            run = 0
    return False


def _kinds(tree: Node) -> set[str]:
    """The nodes whose values the translation decides only within limits: a default ``\\b`` (runs of marks), a
    look-behind Java measures in UTF-16 units (characters outside the BMP)."""
    found = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Bound) and not node.unicode:
            found.add("bound")
        elif isinstance(node, Look) and node.behind and not node.supplementary:
            found.add("bmp look-behind")
        stack.extend(children(node))
    return found
