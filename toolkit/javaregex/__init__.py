"""Java's regular expressions (java.util.regex, OpenJDK 17) read with Python's ``re``: the one translation the
toolkit uses wherever AWS reads a Java pattern (SSM's ``allowedPattern``, Parameter Store's ``AllowedPattern``,
CloudFormation's ``AllowedPattern``).

``compile_java(pattern)`` parses the pattern as ``java.util.regex.Pattern`` does (a port of its parser: the same
errors, raised as PatternError) and writes it as a Python pattern that ``fullmatch``es exactly what Java's
``Matcher.matches()`` accepts: ``\\w \\d \\s`` ASCII as Java's defaults, ``\\b`` as OpenJDK 17's, ``$`` and ``\\Z``
before any final line terminator Java knows, ``.`` excluding all of them, possessive quantifiers and atomic groups,
``\\p{...}`` and ``\\P{...}`` (categories, POSIX classes, ``java.lang.Character`` properties, scripts, blocks:
the JDK's own tables, ``java_unicode.json``), ``\\Q...\\E``, class union and intersection (with Pattern's quirks),
embedded flags (case-insensitivity ASCII-only unless ``u``), ``\\h \\v \\R \\z \\G`` and the rest.

What Python cannot express is named, never guessed: the pattern's ``construct`` says what (``\\X``, an unbounded
look-behind...), and ``matches()`` raises CannotDecide for it, and for the few values a translation cannot decide
(``JavaPattern.undecided``). The linter reports such a pattern; the simulator refuses to decide a value with it.
tests/javaregex/ compares the translation with java.util.regex itself (docs/conformance.md).
"""

from toolkit.javaregex.errors import CannotDecide, PatternError, Untranslatable
from toolkit.javaregex.pattern import JavaPattern, compile_java

__all__ = ["CannotDecide", "JavaPattern", "PatternError", "Untranslatable", "compile_java"]
