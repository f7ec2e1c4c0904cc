"""A Java pattern parsed as ``java.util.regex.Pattern`` (OpenJDK 17) parses it: the same recursive descent
(``expr``, ``sequence``, ``atom``, ``escape``, ``group0``, ``closure``), the same errors, and a tree of the nodes
Pattern would build (``toolkit.javaregex.nodes``) for ``toolkit.javaregex.emit`` to write as Python."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from toolkit.javaregex import unicode as uc
from toolkit.javaregex.charset import CharSet
from toolkit.javaregex.classes import ClassReader, JavaThrows, Pred, evaluate
from toolkit.javaregex.nodes import (
    MAX_REPS,
    Alt,
    Anchor,
    Atomic,
    BackRef,
    Bound,
    Chars,
    Group,
    Info,
    Java,
    LineEnding,
    Look,
    Mode,
    Node,
    Repeat,
    Seq,
    Slice,
    Unsupported,
    deterministic,
    study,
)
from toolkit.javaregex.reader import (
    CANON_EQ,
    CASE_INSENSITIVE,
    COMMENTS,
    DOTALL,
    MULTILINE,
    UNICODE_CASE,
    UNICODE_CHARACTER_CLASS,
    UNIX_LINES,
    is_ascii_digit,
)

# Java's anchors as Python (Pattern's Begin, End, Dollar, UnixDollar, Caret, UnixCaret, LastMatch)
ANY: Final = r"[\x00-\U0010ffff]"
BEGIN: Final = r"\A"
END: Final = r"\Z"
DOLLAR: Final = r"(?=(?:\r\n|(?<!\r)\n|[\r\x85\u2028\u2029])?\Z)"
DOLLAR_MULTILINE: Final = r"(?=\Z|(?<!\r)\n|[\r\x85\u2028\u2029])"
UNIX_DOLLAR: Final = r"(?=\n?\Z)"
UNIX_DOLLAR_MULTILINE: Final = r"(?=\n|\Z)"
CARET: Final = rf"(?={ANY})(?:\A|(?<=[\n\x85\u2028\u2029])|(?<=\r)(?!\n))"
UNIX_CARET: Final = rf"(?={ANY})(?:\A|(?<=\n))"

ESCAPE_ERRORS: Final = frozenset("CEFIJKLMOPQTUYgijlmopqy")
NOT_IN_CLASS: Final = frozenset("123456789ABGRXZbkz")
FLAG_BITS: Final = {
    "i": CASE_INSENSITIVE,
    "m": MULTILINE,
    "s": DOTALL,
    "d": UNIX_LINES,
    "u": UNICODE_CASE,
    "c": CANON_EQ,
    "x": COMMENTS,
    "U": UNICODE_CHARACTER_CLASS | UNICODE_CASE,
}


class Parser(ClassReader):
    """One pattern, parsed once: ``parse()`` gives the tree or raises PatternError."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.group_count = 1  # Pattern.capturingGroupCount: group 0 is the whole match
        self.named: dict[str, int] = {}
        self.closed: set[int] = set()

    def parse(self) -> Node:
        node = self.expr()
        if self.length != self.cursor:
            if self.peek() == 0x29:
                raise self.error("Unmatched closing ')'")
            raise self.error("Unexpected internal error")
        return node

    def expr(self) -> Node:
        branches = []
        while True:
            branches.append(self.sequence())
            if self.peek() != 0x7C:  # |
                return branches[0] if len(branches) == 1 else Alt(branches)
            self.next()

    def sequence(self) -> Node:
        items: list[Node] = []
        while True:
            ch = self.peek()
            node: Node
            if ch == 0x28:  # (
                group = self.group0()
                if group is not None:
                    items.append(group)
                continue
            if ch == 0x5B:  # [
                node = self.class_node(self.clazz(True))
            elif ch == 0x5C:  # \
                ch = self.next_escaped()
                if ch in (0x70, 0x50):
                    node = self.property_node(ch)
                else:
                    self.unread()
                    node = self.atom()
            elif ch == 0x5E:  # ^
                self.next()
                caret = UNIX_CARET if self.has(UNIX_LINES) else CARET
                node = Anchor(caret if self.has(MULTILINE) else BEGIN)
            elif ch == 0x24:  # $
                self.next()
                node = Anchor(self.dollar(self.has(MULTILINE)))
            elif ch == 0x2E:  # .
                self.next()
                if self.has(DOTALL):
                    node = Chars(CharSet.span(0, 0x10FFFF))
                else:
                    node = Chars(uc.UNIX_DOT if self.has(UNIX_LINES) else uc.DOT)
            elif ch in (0x7C, 0x29):  # | )
                break
            elif ch in (0x3F, 0x2A, 0x2B):  # ? * +
                self.next()
                raise self.error(f"Dangling meta character '{chr(ch)}'")
            elif ch == 0 and self.cursor >= self.length:
                break
            else:
                node = self.atom()
            items.append(self.closure(node))
        return items[0] if len(items) == 1 else Seq(items)

    def dollar(self, multiline: bool) -> str:
        if self.has(UNIX_LINES):
            return UNIX_DOLLAR_MULTILINE if multiline else UNIX_DOLLAR
        return DOLLAR_MULTILINE if multiline else DOLLAR

    def class_node(self, chars: CharSet | Pred) -> Node:
        if self.has(CANON_EQ):
            return Unsupported("a class under CANON_EQ ((?c): canonical equivalence)")
        if isinstance(chars, CharSet):
            return Chars(chars)
        try:
            return Chars(evaluate(chars))
        except JavaThrows:
            return Unsupported("a class Java fails on when matching ('&&' after a character: NullPointerException)")

    def property_node(self, letter: int) -> Node:
        one_letter = True
        ch = self.next()
        if ch != 0x7B:
            self.unread()
        else:
            one_letter = False
        return self.class_node(self.family(one_letter, letter == 0x50))

    def atom(self) -> Node:
        """Pattern.atom: literal characters in a row (a Slice), or the one escape that starts here."""
        first = 0
        prev = -1
        buffer: list[int] = []
        ch = self.peek()
        while True:
            if ch in (0x2A, 0x2B, 0x3F, 0x7B):  # * + ? {
                if first > 1:
                    self.cursor = prev
                    first -= 1
                break
            if ch in (0x24, 0x2E, 0x5E, 0x28, 0x5B, 0x7C, 0x29):  # $ . ^ ( [ | )
                break
            if ch == 0x5C:
                ch = self.next_escaped()
                if ch in (0x70, 0x50):
                    if first > 0:
                        self.unread()
                        break
                    return self.property_node(ch)
                self.unread()
                prev = self.cursor
                code, node = self.escape(False, first == 0, False)
                if code >= 0:
                    del buffer[first:]
                    buffer.append(code)
                    first += 1
                    ch = self.peek()
                    continue
                if first == 0:
                    assert isinstance(node, Node)
                    return node
                self.cursor = prev
                break
            if ch == 0 and self.cursor >= self.length:
                break
            prev = self.cursor
            del buffer[first:]
            buffer.append(ch)
            first += 1
            ch = self.next()
        if first == 1:
            return Chars(self.single(buffer[0]))
        return Slice(self.slice_chars(buffer[:first]))

    def escape(self, in_class: bool, create: bool, is_range: bool) -> tuple[int, Node | CharSet | None]:
        """Pattern.escape: a code point (>= 0), or -1 with the node (or, in a class, the set) it stands for."""
        ch = self.skip()
        letter = chr(ch) if ch < 0x80 else ""
        if letter == "0":
            return self.octal(), None
        if in_class and letter in NOT_IN_CLASS:
            raise self.error("Illegal/unsupported escape sequence")
        if letter and letter in "123456789":
            return -1, (self.ref(ch - 0x30) if create else None)
        if letter in ("d", "D", "s", "S", "w", "W", "h", "H", "v", "V"):
            if letter == "v" and is_range:
                return 0x0B, None
            chars = self.predefined(letter) if create else None
            return -1, (chars if in_class or chars is None else Chars(chars))
        simple = {"a": 0x07, "e": 0x1B, "f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09}
        if letter in simple:
            return simple[letter], None
        if letter == "c":
            return self.control(), None
        if letter == "u":
            return self.unicode_escape(), None
        if letter == "x":
            return self.hexadecimal(), None
        if letter == "N":
            return self.named_character(), None
        if letter == "k":
            return -1, self.named_reference(create)
        if letter == "b":
            if create:
                if self.peek() == 0x7B:
                    if self.skip() == 0x67:  # \b{g
                        if self.read() == 0x7D:
                            return -1, Unsupported("\\b{g} (a grapheme cluster boundary)")
                        raise self.error("Illegal/unsupported escape sequence")
                    self.unread()
                    self.unread()
                return -1, Bound(negate=False, unicode=self.has(UNICODE_CHARACTER_CLASS))
            return -1, None
        nodes: dict[str, Callable[[], Node]] = {
            "A": lambda: Anchor(BEGIN),
            "B": lambda: Bound(negate=True, unicode=self.has(UNICODE_CHARACTER_CLASS)),
            "G": lambda: Anchor(BEGIN),  # where the last match ended: for matches(), the start
            "R": lambda: LineEnding(),
            "X": lambda: Unsupported("\\X (an extended grapheme cluster)"),
            "Z": lambda: Anchor(self.dollar(False)),
            "z": lambda: Anchor(END),
        }
        if letter in nodes:
            return -1, (nodes[letter]() if create else None)
        if letter and letter in ESCAPE_ERRORS:
            raise self.error("Illegal/unsupported escape sequence")
        return ch, None

    def predefined(self, letter: str) -> CharSet:
        unicode_classes = self.has(UNICODE_CHARACTER_CLASS)
        lower = letter.lower()
        if lower == "d":
            chars = uc.tables().category("Nd") if unicode_classes else uc.ASCII_DIGIT
        elif lower == "s":
            chars = uc.white_space(uc.tables()) if unicode_classes else uc.ASCII_SPACE
        elif lower == "w":
            chars = uc.word(uc.tables()) if unicode_classes else uc.ASCII_WORD
        elif lower == "h":
            chars = uc.HORIZONTAL_SPACE
        else:
            chars = uc.VERTICAL_SPACE
        return ~chars if letter.isupper() else chars

    def class_escape(self, is_range: bool) -> tuple[int, CharSet | None]:
        code, chars = self.escape(True, True, is_range)
        assert chars is None or isinstance(chars, CharSet)
        return code, chars

    def range_end_escape(self) -> int:
        return self.escape(True, False, True)[0]

    def ref(self, number: int) -> Node:
        """Pattern.ref: the first digit always refers; a further digit only while that group exists by now."""
        while True:
            ch = self.peek()
            if not is_ascii_digit(ch):
                break
            candidate = number * 10 + (ch - 0x30)
            if self.group_count - 1 < candidate:
                break
            number = candidate
            self.read()
        return self.backref(number)

    def backref(self, number: int) -> Node:
        case = ""
        if self.has(CASE_INSENSITIVE):
            case = "unicode" if self.has(UNICODE_CASE) else "ascii"
        return BackRef(number, case, closed=number in self.closed)

    def named_reference(self, create: bool) -> Node | None:
        if self.read() != 0x3C:
            raise self.error("\\k is not followed by '<' for named capturing group")
        name = self.groupname(self.read())
        if name not in self.named:
            raise self.error(f"named capturing group <{name}> does not exist")
        return self.backref(self.named[name]) if create else None

    # -- groups and quantifiers ---------------------------------------------------------------------------------

    def group0(self) -> Node | None:
        """Pattern.group0: a group and its quantifier; None for a flags-only group such as ``(?i)``."""
        saved = self.flags
        ch = self.next()
        capturing = False
        node: Node
        if ch == 0x3F:  # ?
            ch = self.skip()
            if ch == 0x3A:  # (?:
                node = Group(self.expr())
            elif ch in (0x3D, 0x21):  # (?= (?!
                node = Look(self.expr(), behind=False, negative=ch == 0x21)
            elif ch == 0x3E:  # (?>
                node = Atomic(self.expr())
            elif ch == 0x3C:  # (?<
                ch = self.read()
                if ch not in (0x3D, 0x21):
                    name = self.groupname(ch)
                    if name in self.named:
                        raise self.error(f"Named capturing group <{name}> is already defined")
                    capturing = True
                    index = self.group_count
                    self.group_count += 1
                    self.named[name] = index
                    node = Group(self.expr(), index, name)
                else:
                    start = self.cursor
                    body = self.expr()
                    info = study(body, Info())
                    if not info.max_valid:
                        raise self.error("Look-behind group does not have an obvious maximum length")
                    supplementary = any(c >= 0x10000 or 0xD800 <= c <= 0xDFFF for c in self.temp[start : self.length])
                    node = Look(body, behind=True, negative=ch == 0x21, supplementary=supplementary)
            elif ch in (0x24, 0x40):  # (?$ (?@
                raise self.error("Unknown group type")
            else:
                self.unread()
                self.add_flags()
                ch = self.read()
                if ch == 0x29:  # (?flags): they hold to the end of the enclosing group
                    return None
                if ch != 0x3A:
                    raise self.error("Unknown inline modifier")
                node = Group(self.expr())
        else:
            capturing = True
            index = self.group_count
            self.group_count += 1
            node = Group(self.expr(), index)
        self.accept(0x29, "Unclosed group")
        self.flags = saved
        if isinstance(node, Group) and node.index is not None:
            self.closed.add(node.index)
        return self.group_closure(node, capturing)

    def group_closure(self, group: Node, capturing: bool) -> Node:
        node = self.closure(group)
        if not isinstance(node, Repeat) or isinstance(group, (Look, Atomic)):
            return node
        if node.mode is Mode.POSSESSIVE:
            return node
        if node.java is Java.QUES:
            node.java = Java.BRANCH
        else:
            node.java = Java.GROUP_CURLY if deterministic(group) else Java.LOOP
        return node

    def add_flags(self) -> None:
        ch = self.peek()
        while True:
            letter = chr(ch) if ch < 0x80 else ""
            if letter and letter in FLAG_BITS:
                self.flags |= FLAG_BITS[letter]
            elif letter == "-":
                self.next()
                self.sub_flags()
                return
            else:
                return
            ch = self.next()

    def sub_flags(self) -> None:
        ch = self.peek()
        while True:
            letter = chr(ch) if ch < 0x80 else ""
            if not (letter and letter in FLAG_BITS):
                return
            self.flags &= ~FLAG_BITS[letter]
            ch = self.next()

    def closure(self, prev: Node) -> Node:
        """Pattern.closure: the quantifier after ``prev``, if any."""
        ch = self.peek()
        if ch == 0x3F:  # ?
            return Repeat(prev, 0, 1, self.qtype(), Java.QUES)
        if ch in (0x2A, 0x2B):  # * +
            return self.curly(prev, 0 if ch == 0x2A else 1)
        if ch != 0x7B:  # {
            return prev
        ch = self.skip()
        if not is_ascii_digit(ch):
            raise self.error("Illegal repetition")
        low = 0
        while True:
            low = low * 10 + (ch - 0x30)
            if low > MAX_REPS:
                raise self.error("Illegal repetition range")
            ch = self.read()
            if not is_ascii_digit(ch):
                break
        if ch == 0x2C:  # ,
            ch = self.read()
            if ch == 0x7D:
                self.unread()
                return self.curly(prev, low)
            high = 0
            while is_ascii_digit(ch):
                high = high * 10 + (ch - 0x30)
                if high > MAX_REPS:
                    raise self.error("Illegal repetition range")
                ch = self.read()
        else:
            high = low
        if ch != 0x7D:
            raise self.error("Unclosed counted closure")
        if high < low:
            raise self.error("Illegal repetition range")
        self.unread()
        if low == 0 and high == 1:
            return Repeat(prev, 0, 1, self.qtype(), Java.QUES)
        return Repeat(prev, low, None if high == MAX_REPS else high, self.qtype(), Java.CURLY)

    def qtype(self) -> Mode:
        ch = self.next()
        if ch == 0x3F:
            self.next()
            return Mode.LAZY
        if ch == 0x2B:
            self.next()
            return Mode.POSSESSIVE
        return Mode.GREEDY

    def curly(self, prev: Node, low: int) -> Node:
        mode = self.qtype()
        java = Java.CHAR_GREEDY if mode is Mode.GREEDY and isinstance(prev, Chars) else Java.CURLY
        return Repeat(prev, low, None, mode, java)
