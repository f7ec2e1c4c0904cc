"""The cursor over a Java pattern, as ``java.util.regex.Pattern`` reads one: the pattern as code points with two
zero terminators, ``\\Q...\\E`` rewritten before parsing, whitespace and ``#`` comments skipped under COMMENTS,
the flags, and the small escapes (octal, hex, ``\\u``, ``\\c``, ``\\N{...}``).

Method names follow Pattern's (``peek``, ``read``, ``next``, ``skip``, ``unread``, ``accept``) so the port can be
read side by side with OpenJDK 17's source; so do the errors' descriptions (PatternSyntaxException's).
"""

from __future__ import annotations

import unicodedata
from typing import Final

from toolkit.javaregex.errors import PatternError
from toolkit.javaregex.unicode import tables

# Pattern's flag bits
UNIX_LINES: Final = 0x01
CASE_INSENSITIVE: Final = 0x02
COMMENTS: Final = 0x04
MULTILINE: Final = 0x08
DOTALL: Final = 0x20
UNICODE_CASE: Final = 0x40
CANON_EQ: Final = 0x80
UNICODE_CHARACTER_CLASS: Final = 0x100

ASCII_SPACES: Final = frozenset((0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D))
HEX: Final = frozenset(b"0123456789abcdefABCDEF")
UNNAMED_IN_JAVA: Final = ("CJK UNIFIED IDEOGRAPH-", "HANGUL SYLLABLE ")
"""Names Python makes up (by algorithm) for characters UnicodeData lists as ranges: Java has no such names."""
ALGORITHMIC_NAMES: Final = (*UNNAMED_IN_JAVA, "TANGUT IDEOGRAPH-", "KHITAN SMALL SCRIPT CHARACTER-", "NUSHU CHARACTER-")


def code_points(text: str) -> list[int]:
    """The text's code points as Java reads its UTF-16 string: a surrogate pair is one code point."""
    return [ord(c) for c in text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")]


def is_ascii_alpha(ch: int) -> bool:
    return 0x41 <= ch <= 0x5A or 0x61 <= ch <= 0x7A


def is_ascii_digit(ch: int) -> bool:
    return 0x30 <= ch <= 0x39


def remove_qe_quoting(temp: list[int]) -> list[int]:
    """Pattern.RemoveQEQuoting: ``\\Q...\\E`` becomes the same characters escaped, before anything is parsed."""
    length = len(temp)
    i = 0
    while i < length - 1:
        if temp[i] != 0x5C:
            i += 1
        elif temp[i + 1] != 0x51:  # Q
            i += 2
        else:
            break
    if i >= length - 1:
        return temp
    out = temp[:i]
    i += 2
    in_quote = True
    begin_quote = True
    while i < length:
        c = temp[i]
        i += 1
        if c >= 0x80 or is_ascii_alpha(c):
            out.append(c)
        elif is_ascii_digit(c):
            if begin_quote:  # a digit right after \Q must not extend an escape before it
                out.extend((0x5C, 0x78, 0x33))  # \x3
            out.append(c)
        elif c != 0x5C:
            if in_quote:
                out.append(0x5C)
            out.append(c)
        elif in_quote:
            if i < length and temp[i] == 0x45:  # E
                i += 1
                in_quote = False
            else:
                out.extend((0x5C, 0x5C))
        else:
            if i < length and temp[i] == 0x51:  # Q
                i += 1
                in_quote = True
                begin_quote = True
                continue
            out.append(c)
            if i != length:
                out.append(temp[i])
                i += 1
        begin_quote = False
    return out


class Reader:
    """The pattern, the cursor and the flags."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        points = remove_qe_quoting(code_points(pattern))
        self.length = len(points)
        self.temp = [*points, 0, 0]
        self.cursor = 0
        self.flags = 0
        self.problems: list[str] = []
        """Constructs Python cannot express, met while parsing (parsing goes on: Java may still refuse the pattern)."""

    def has(self, flag: int) -> bool:
        return bool(self.flags & flag)

    def error(self, description: str) -> PatternError:
        return PatternError(description, self.cursor - 1)

    def untranslatable(self, construct: str) -> None:
        self.problems.append(construct)

    # -- moving through the pattern ------------------------------------------------------------------------------

    def peek(self) -> int:
        ch = self.temp[self.cursor]
        if self.has(COMMENTS):
            ch = self.peek_past_whitespace(ch)
        return ch

    def read(self) -> int:
        ch = self.temp[self.cursor]
        self.cursor += 1
        if self.has(COMMENTS):
            ch = self.parse_past_whitespace(ch)
        return ch

    def next(self) -> int:
        self.cursor += 1
        ch = self.temp[self.cursor]
        if self.has(COMMENTS):
            ch = self.peek_past_whitespace(ch)
        return ch

    def next_escaped(self) -> int:
        self.cursor += 1
        return self.temp[self.cursor]

    def skip(self) -> int:
        ch = self.temp[self.cursor + 1]
        self.cursor += 2
        return ch

    def unread(self) -> None:
        self.cursor -= 1

    def accept(self, ch: int, description: str) -> None:
        test = self.temp[self.cursor]
        self.cursor += 1
        if self.has(COMMENTS):
            test = self.parse_past_whitespace(test)
        if test != ch:
            raise self.error(description)

    def mark(self, ch: int) -> None:
        self.temp[self.length] = ch

    def peek_past_whitespace(self, ch: int) -> int:
        while ch in ASCII_SPACES or ch == 0x23:
            while ch in ASCII_SPACES:
                self.cursor += 1
                ch = self.temp[self.cursor]
            if ch == 0x23:
                ch = self.peek_past_line()
        return ch

    def parse_past_whitespace(self, ch: int) -> int:
        while ch in ASCII_SPACES or ch == 0x23:
            while ch in ASCII_SPACES:
                ch = self.temp[self.cursor]
                self.cursor += 1
            if ch == 0x23:
                ch = self.parse_past_line()
        return ch

    def parse_past_line(self) -> int:
        ch = self.temp[self.cursor]
        self.cursor += 1
        while ch != 0 and not self.is_line_separator(ch):
            ch = self.temp[self.cursor]
            self.cursor += 1
        if ch == 0 and self.cursor > self.length:
            self.cursor = self.length
            ch = self.temp[self.cursor]
            self.cursor += 1
        return ch

    def peek_past_line(self) -> int:
        self.cursor += 1
        ch = self.temp[self.cursor]
        while ch != 0 and not self.is_line_separator(ch):
            self.cursor += 1
            ch = self.temp[self.cursor]
        if ch == 0 and self.cursor > self.length:
            self.cursor = self.length
            ch = self.temp[self.cursor]
        return ch

    def is_line_separator(self, ch: int) -> bool:
        if self.has(UNIX_LINES):
            return ch == 0x0A
        return ch in (0x0A, 0x0D, 0x85) or (ch | 1) == 0x2029

    # -- the small escapes ------------------------------------------------------------------------------------

    def control(self) -> int:
        """``\\cX``."""
        if self.cursor < self.length:
            return self.read() ^ 64
        raise self.error("Illegal control escape sequence")

    def octal(self) -> int:
        """``\\0n``, ``\\0nn``, ``\\0mnn``."""
        n = self.read()
        if 0x30 <= n <= 0x37:
            m = self.read()
            if 0x30 <= m <= 0x37:
                o = self.read()
                if 0x30 <= o <= 0x37 and 0x30 <= n <= 0x33:
                    return (n - 0x30) * 64 + (m - 0x30) * 8 + (o - 0x30)
                self.unread()
                return (n - 0x30) * 8 + (m - 0x30)
            self.unread()
            return n - 0x30
        raise self.error("Illegal octal escape sequence")

    def hexadecimal(self) -> int:
        """``\\xhh`` and ``\\x{h...h}``."""
        n = self.read()
        if n in HEX:
            m = self.read()
            if m in HEX:
                return int(chr(n) + chr(m), 16)
        elif n == 0x7B and self.peek() in HEX:
            value = 0
            n = self.read()
            while n in HEX:
                value = value * 16 + int(chr(n), 16)
                if value > 0x10FFFF:
                    raise self.error("Hexadecimal codepoint is too big")
                n = self.read()
            if n != 0x7D:
                raise self.error("Unclosed hexadecimal escape sequence")
            return value
        raise self.error("Illegal hexadecimal escape sequence")

    def uxxxx(self) -> int:
        value = 0
        for _ in range(4):
            ch = self.read()
            if ch not in HEX:
                raise self.error("Illegal Unicode escape sequence")
            value = value * 16 + int(chr(ch), 16)
        return value

    def unicode_escape(self) -> int:
        """``\\uhhhh``, and a surrogate pair written as two of them."""
        n = self.uxxxx()
        if 0xD800 <= n <= 0xDBFF:
            saved = self.cursor
            if self.read() == 0x5C and self.read() == 0x75:
                n2 = self.uxxxx()
                if 0xDC00 <= n2 <= 0xDFFF:
                    return 0x10000 + ((n - 0xD800) << 10) + (n2 - 0xDC00)
            self.cursor = saved
        return n

    def named_character(self) -> int:
        """``\\N{name}``: Character.codePointOf, for the names Python's unicodedata gives as Java does."""
        if self.read() != 0x7B:
            raise self.error("Illegal character name escape sequence")
        start = self.cursor
        while self.read() != 0x7D:
            if self.cursor >= self.length:
                raise self.error("Unclosed character name escape sequence")
        name = "".join(chr(c) for c in self.temp[start : self.cursor - 1])
        wanted = _java_trim(name).upper()
        try:
            point = ord(unicodedata.lookup(wanted))
        except KeyError:
            point = -1
        assigned = tables().category("Cn")
        known = point >= 0 and point not in assigned and unicodedata.name(chr(point), "") == wanted
        if known and not wanted.startswith(ALGORITHMIC_NAMES):
            return point
        if wanted.startswith(UNNAMED_IN_JAVA):
            raise self.error(f"Unknown character name [{name}]")
        block_form = _block_form(wanted)
        if block_form == NAMED:
            raise self.error(f"Unknown character name [{name}]")
        if block_form is not None:
            return block_form
        if point >= 0 or " " in wanted:
            # an alias, a control's Unicode 1.0 name (Java knows "LINE FEED (LF)"), or a name Python makes up
            self.untranslatable(f"\\N{{{name}}} (a character name Python's unicodedata reads otherwise)")
            return 0xFFFD  # stands in for the character: the pattern is parsed on, for Java's other errors
        raise self.error(f"Unknown character name [{name}]")

    def groupname(self, ch: int) -> str:
        if not is_ascii_alpha(ch):
            raise self.error("capturing group name does not start with a Latin letter")
        name = []
        while True:
            name.append(chr(ch))
            ch = self.read()
            if not (is_ascii_alpha(ch) or is_ascii_digit(ch)):
                break
        if ch != 0x3E:
            raise self.error("named capturing group is missing trailing '>'")
        return "".join(name)


NAMED: Final = -2


def _block_form(wanted: str) -> int | None:
    """Java's name of a character UnicodeData does not name (a CJK ideograph, a Hangul syllable, a private use
    character): its block's name and its code in hex, "CJK UNIFIED IDEOGRAPHS 4E00"; NAMED when ``wanted`` is that
    form of a character with a name of its own (which Java refuses), None when it is not that form."""
    block, _, code = wanted.rpartition(" ")
    if not block or not code or any(c not in "0123456789ABCDEF" for c in code):
        return None
    point = int(code, 16)
    if point > 0x10FFFF or f"{point:X}" != code:
        return None
    t = tables()
    if point in t.category("Cn") or point in t.category("Cc"):
        return None  # no name at all, or a control's (Java's names for those are Unicode 1.0's)
    canonical = block.replace(" ", "_")
    chars = t.block(canonical)
    if canonical not in t.canonical_blocks() or chars is None or point not in chars:
        return None
    python_name = unicodedata.name(chr(point), "")
    if python_name and not python_name.startswith(ALGORITHMIC_NAMES):
        return NAMED
    return point


def _java_trim(text: str) -> str:
    """String.trim(): code points up to U+0020 removed from both ends."""
    start, end = 0, len(text)
    while start < end and ord(text[start]) <= 0x20:
        start += 1
    while end > start and ord(text[end - 1]) <= 0x20:
        end -= 1
    return text[start:end]
