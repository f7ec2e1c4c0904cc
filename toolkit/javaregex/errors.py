"""What reading a Java pattern can end in, besides a translation."""

from __future__ import annotations


class PatternError(ValueError):
    """The pattern does not compile in Java either: PatternSyntaxException's description and index."""

    def __init__(self, description: str, index: int) -> None:
        super().__init__(f"{description} near index {index}" if index >= 0 else description)
        self.description = description
        self.index = index


class Untranslatable(ValueError):
    """The pattern compiles in Java, but uses a construct Python's ``re`` cannot express as Java matches it."""

    def __init__(self, construct: str) -> None:
        super().__init__(construct)
        self.construct = construct


class CannotDecide(ValueError):
    """Whether a value matches cannot be decided here as java.util.regex would decide it: the pattern uses a
    construct Python cannot express, or the value meets a limit of the translation (the reason says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
